#include "simulator/fspiop/headers.hpp"

#include "simulator/fspiop/validate.hpp"

#include <algorithm>
#include <chrono>

namespace mojasim::fspiop {

namespace {

constexpr std::string_view prefix = "application/vnd.interoperability.";
constexpr std::string_view suffix = "+json";

// The hub's error texts (central-services-shared constants.errorMessages).
constexpr std::string_view msg_require_accept = "Accept is required";
constexpr std::string_view msg_invalid_accept = "Invalid accept header";
constexpr std::string_view msg_requested_version = "The Client requested an unsupported version, see extension list for supported version(s).";
// The OpenAPI validator's (ajv) words for a required header that is missing.
constexpr std::string_view msg_require_header_accept = "/header must have required property 'accept'";
constexpr std::string_view msg_require_header_date = "/header must have required property 'date'";
constexpr std::string_view msg_require_header_source = "/header must have required property 'fspiop-source'";
constexpr std::string_view msg_invalid_date = "Invalid date header";
constexpr std::string_view msg_too_large = "Payload size is too large";
constexpr std::string_view msg_require_content_type = "Content-type is required";
constexpr std::string_view msg_invalid_content_type = "Invalid content-type header";
constexpr std::string_view msg_supplied_version = "Client supplied a protocol version which is not supported by the server";
constexpr std::string_view msg_invalid_source = "Invalid fspiop-source header";
constexpr std::string_view msg_invalid_destination = "Invalid fspiop-destination header";
constexpr std::string_view msg_unknown_resource = "Unknown resource";

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT": layout, calendar and weekday, as the hub's
// strict 'ddd, DD MMM YYYY HH:mm:ss [GMT]' parse. Checked on days only, without
// core::parse_http_date's nanosecond time_point, which overflows after the year 2262.
bool is_http_date(std::string_view s) noexcept
{
    using namespace std::chrono;
    static constexpr std::string_view days_of_week[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::string_view month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if(s.size() != 29 || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s[19] != ':' ||
       s[22] != ':' || s.substr(25) != " GMT")
        return false;
    auto const number = [&](std::size_t pos, std::size_t n) {
        int v = 0;
        for(std::size_t i = pos; i < pos + n; ++i)
        {
            if(!is_digit(s[i]))
                return -1;
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    unsigned wd = 0;
    while(wd < 7 && days_of_week[wd] != s.substr(0, 3))
        ++wd;
    unsigned mo = 0;
    while(mo < 12 && month_names[mo] != s.substr(8, 3))
        ++mo;
    int const d = number(5, 2);
    int const y = number(12, 4);
    int const hh = number(17, 2);
    int const mm = number(20, 2);
    int const ss = number(23, 2);
    if(wd == 7 || mo == 12 || d < 1 || y < 0 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59)
        return false;
    year_month_day const ymd{year{y}, month{mo + 1}, day{static_cast<unsigned>(d)}};
    return ymd.ok() && weekday{sys_days{ymd}}.c_encoding() == wd;
}

// Consume "application/vnd.interoperability.{resource}+json" from the front of s.
bool eat_media_type(std::string_view& s, std::string_view resource) noexcept
{
    if(!s.starts_with(prefix))
        return false;
    s.remove_prefix(prefix.size());
    if(!s.starts_with(resource))
        return false;
    s.remove_prefix(resource.size());
    if(!s.starts_with(suffix))
        return false;
    s.remove_prefix(suffix.size());
    return true;
}

// Consume \s?;\s?version= (\s is one whitespace character of the JS class; the ASCII ones
// are enough for header values).
bool eat_version_param(std::string_view& s) noexcept
{
    auto const is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
    if(!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    if(s.empty() || s.front() != ';')
        return false;
    s.remove_prefix(1);
    if(!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    constexpr std::string_view param = "version=";
    if(!s.starts_with(param))
        return false;
    s.remove_prefix(param.size());
    return true;
}

// Consume \d+ ; returns the digits (empty if none).
std::string_view eat_digits(std::string_view& s) noexcept
{
    std::size_t n = 0;
    while(n < s.size() && is_digit(s[n]))
        ++n;
    auto const digits = s.substr(0, n);
    s.remove_prefix(n);
    return digits;
}

// The value of canonical decimal digits ("0", "1", "12"; not "01"), at most 6 digits; -1
// otherwise.
int canonical_number(std::string_view digits) noexcept
{
    if(digits.empty() || digits.size() > 6 || (digits.size() > 1 && digits.front() == '0'))
        return -1;
    int v = 0;
    for(char c : digits)
        v = v * 10 + (c - '0');
    return v;
}

// One Accept entry from s; false when malformed.
bool parse_accept_entry(std::string_view s, std::string_view resource, accepted_version& out) noexcept
{
    if(!eat_media_type(s, resource))
        return false;
    out = {};
    if(s.empty())
        return true;
    if(!eat_version_param(s))
        return false;
    auto const major = eat_digits(s);
    if(major.empty())
        return false;
    std::string_view minor;
    bool has_minor = false;
    if(!s.empty() && s.front() == '.')
    {
        s.remove_prefix(1);
        minor = eat_digits(s);
        if(minor.empty())
            return false;
        has_minor = true;
    }
    if(!s.empty())
        return false;
    // A non-canonical number is well-formed but matches no supported version (the hub
    // compares the text); mark it with a value that is never supported.
    int const mj = canonical_number(major);
    int const mn = has_minor ? canonical_number(minor) : -1;
    out.major = mj < 0 ? 999999 : mj;
    out.minor = has_minor ? (mn < 0 ? 999999 : mn) : -1;
    return true;
}

// Call f(entry) for each entry of an Accept header, in order; false when any entry is
// malformed (f has then seen the entries before it).
template<class F>
bool for_each_accept_entry(std::string_view resource, std::string_view header, F&& f)
{
    std::size_t start = 0;
    for(;;)
    {
        auto const comma = header.find(',', start);
        accepted_version entry;
        if(!parse_accept_entry(header.substr(start, comma - start), resource, entry))
            return false;
        f(entry);
        if(comma == std::string_view::npos)
            return true;
        start = comma + 1;
    }
}

// An Accept entry allows a supported version.
bool accepts(accepted_version a) noexcept
{
    if(a.major < 0)
        return true; // no version: any
    for(auto const v : supported_versions)
        if(a.major == v.major && (a.minor < 0 || a.minor == v.minor))
            return true;
    return false;
}

std::vector<extension> supported_extension_list()
{
    std::vector<extension> list;
    list.reserve(supported_versions.size());
    for(auto const v : supported_versions)
        list.push_back({std::to_string(v.major), std::to_string(v.minor)});
    return list;
}

header_check fail(errc code, std::string_view detail, bool with_versions = false)
{
    header_check c;
    c.http_status = http_status(code);
    c.code = code;
    if(with_versions)
    {
        auto const list = supported_extension_list();
        c.body = error_body(code, detail, list);
    }
    else
        c.body = error_body(code, detail);
    return c;
}

} // namespace

std::string version::to_string() const
{
    return std::to_string(major) + '.' + std::to_string(minor);
}

bool is_supported(version v) noexcept
{
    return std::find(supported_versions.begin(), supported_versions.end(), v) != supported_versions.end();
}

bool is_resource(std::string_view s) noexcept
{
    return std::find(resources.begin(), resources.end(), s) != resources.end();
}

std::string_view resource_of_path(std::string_view path) noexcept
{
    if(!path.empty() && path.front() == '/')
        path.remove_prefix(1);
    return path.substr(0, path.find_first_of("/?"));
}

std::string media_type(std::string_view resource, version v)
{
    std::string out;
    out.reserve(prefix.size() + resource.size() + suffix.size() + 16);
    out.append(prefix).append(resource).append(suffix).append(";version=").append(v.to_string());
    return out;
}

std::optional<version> parse_content_type(std::string_view resource, std::string_view header) noexcept
{
    std::string_view s = header;
    if(!eat_media_type(s, resource) || !eat_version_param(s))
        return std::nullopt;
    auto const major = eat_digits(s);
    if(major.empty() || s.empty() || s.front() != '.')
        return std::nullopt;
    s.remove_prefix(1);
    auto const minor = eat_digits(s);
    if(minor.empty() || !s.empty())
        return std::nullopt;
    int const mj = canonical_number(major);
    int const mn = canonical_number(minor);
    if(mj < 0 || mn < 0)
        return version{-1, -1};
    return version{mj, mn};
}

std::optional<std::vector<accepted_version>> parse_accept(std::string_view resource, std::string_view header)
{
    std::vector<accepted_version> out;
    if(!for_each_accept_entry(resource, header, [&](accepted_version a) { out.push_back(a); }))
        return std::nullopt;
    return out;
}

bool accepts_supported(std::vector<accepted_version> const& accept) noexcept
{
    return std::any_of(accept.begin(), accept.end(), accepts);
}

header_check check_request_headers(std::string_view resource, bool is_request, request_headers const& h, bool is_get)
{
    if(!is_resource(resource))
        return fail(errc::unknown_uri, msg_unknown_resource);

    // 1. Size: refused while the body is read, before any handler.
    if(h.content_length && *h.content_length > max_content_length)
        return fail(errc::too_large_payload, msg_too_large);

    // 2. Accept, by the header plugin: always on GET, otherwise when present.
    if(is_get || h.accept)
    {
        if(!h.accept)
            return fail(errc::missing_mandatory_element, msg_require_accept);
        // parse_accept + accepts_supported, without building the list: every entry must be
        // well-formed before an unsupported version counts.
        bool supported = false;
        if(!for_each_accept_entry(resource, *h.accept, [&](accepted_version a) { supported = supported || accepts(a); }))
            return fail(errc::malformed_syntax, msg_invalid_accept);
        if(!supported)
            return fail(errc::unacceptable_version, msg_requested_version, true);
    }

    // 3. Content-Type, by the header plugin, on every method.
    if(!h.content_type)
        return fail(errc::missing_mandatory_element, msg_require_content_type);
    auto const v = parse_content_type(resource, *h.content_type);
    if(!v)
        return fail(errc::malformed_syntax, msg_invalid_content_type);
    if(!is_supported(*v))
        return fail(errc::unacceptable_version, msg_supplied_version, true);

    // 4. The headers the OpenAPI requires, in its order, as its validator words it.
    if(is_request && !h.accept)
        return fail(errc::missing_mandatory_element, msg_require_header_accept);
    if(!h.date)
        return fail(errc::missing_mandatory_element, msg_require_header_date);
    if(!h.fspiop_source || h.fspiop_source->empty())
        return fail(errc::missing_mandatory_element, msg_require_header_source);

    // 5. Formats.
    if(!is_http_date(*h.date))
        return fail(errc::malformed_syntax, msg_invalid_date);
    if(!is_fsp_id(*h.fspiop_source))
        return fail(errc::malformed_syntax, msg_invalid_source);
    if(h.fspiop_destination && !h.fspiop_destination->empty() && !is_fsp_id(*h.fspiop_destination))
        return fail(errc::malformed_syntax, msg_invalid_destination);

    header_check ok;
    ok.negotiated = *v;
    return ok;
}

header_check missing_header(std::string_view lowercase_name)
{
    return fail(errc::missing_mandatory_element,
                "/header must have required property '" + std::string(lowercase_name) + "'");
}

} // namespace mojasim::fspiop
