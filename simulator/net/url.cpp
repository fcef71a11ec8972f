// URLs and percent-encoding, all through Boost.URL: peer URLs are parsed by its RFC 3986
// grammar, path segments and query values are encoded and decoded with its character sets.
#include "simulator/net/client.hpp"
#include "simulator/net/message.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/pchars.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/url_view.hpp>

#include <charconv>

namespace mojasim::net {

namespace urls = boost::urls;

std::optional<url> url::parse(std::string_view text)
{
    auto const r = urls::parse_uri(text);
    if(!r || r->scheme_id() != urls::scheme::http || !r->has_authority() || r->has_userinfo())
        return std::nullopt;
    url u;
    // host_address(): a name or an address, IPv6 without its brackets.
    u.host = std::string(r->encoded_host_address());
    if(u.host.empty())
        return std::nullopt;
    if(r->has_port())
    {
        // The grammar takes any digits: the number must be a port.
        auto const digits = r->port();
        unsigned value = 0;
        auto const [p, e] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        if(e != std::errc{} || p != digits.data() + digits.size() || value == 0 || value > 65535)
            return std::nullopt;
        u.port = static_cast<std::uint16_t>(value);
    }
    u.target = std::string(r->encoded_path());
    if(u.target.empty())
        u.target = "/";
    if(r->has_query())
        u.target.append("?").append(r->encoded_query());
    return u;
}

std::string url::origin() const
{
    return "http://" + host + ":" + std::to_string(port);
}

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space)
{
    auto const v = urls::make_pct_string_view(s);
    if(!v)
        return std::nullopt;
    urls::encoding_opts opts;
    opts.space_as_plus = plus_is_space;
    std::string out;
    v->decode(opts, urls::string_token::assign_to(out)); // sizes `out` itself
    return out;
}

std::string percent_encode(std::string_view s)
{
    return urls::encode(s, urls::unreserved_chars);
}

std::string percent_encode_path(std::string_view s)
{
    return urls::encode(s, urls::pchars);
}

} // namespace mojasim::net
