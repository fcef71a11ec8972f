// Private to simulator/net: the Beast and Asio pieces the server and client share.
#pragma once

#include "simulator/net/message.hpp"
#include "simulator/net/trace.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <charconv>
#include <limits>
#include <type_traits>

namespace mojasim::net::detail {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

/// use_awaitable, completing with (error_code, ...) instead of throwing.
inline constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);

inline method from_verb(http::verb v) noexcept
{
    switch(v)
    {
    case http::verb::get: return method::get;
    case http::verb::head: return method::head;
    case http::verb::post: return method::post;
    case http::verb::put: return method::put;
    case http::verb::patch: return method::patch;
    case http::verb::delete_: return method::delete_;
    case http::verb::options: return method::options;
    default: return method::unknown;
    }
}

/// Reads one HTTP message straight into a net::request or net::response: no Beast fields
/// container in between (one allocation and one copy less per field). Beast's basic_parser
/// does the parsing, the header and body limits and chunked decoding.
template <bool isRequest>
class message_parser final : public http::basic_parser<isRequest>
{
public:
    using message_type = std::conditional_t<isRequest, request, response>;

    message_type msg;
    bool expect_continue = false; ///< a request with "Expect: 100-continue"
    /// Bytes of chunk extensions a message may carry in all (they are parsed and dropped):
    /// more is a flood and fails the read with bad_chunk_extension.
    std::size_t chunk_extension_limit = std::numeric_limits<std::size_t>::max();

    message_parser() { msg.fields.reserve(16); }

private:
    using string_view = beast::string_view;
    using error_code = beast::error_code;

    void on_request_impl(http::verb v, string_view, string_view target, int, error_code&) override
    {
        if constexpr(isRequest)
        {
            msg.method = from_verb(v);
            msg.target.assign(target.data(), target.size());
        }
    }

    void on_response_impl(int code, string_view, int, error_code&) override
    {
        if constexpr(!isRequest)
            msg.status = static_cast<unsigned>(code);
    }

    void on_field_impl(http::field f, string_view name, string_view value, error_code&) override
    {
        std::string_view const v{value.data(), value.size()};
        if(isRequest && f == http::field::expect && iequals(v, "100-continue"))
            expect_continue = true;
        msg.fields.add(std::string_view{name.data(), name.size()}, v);
    }

    void on_header_impl(error_code&) override {}

    void on_body_init_impl(boost::optional<std::uint64_t> const& length, error_code&) override
    {
        // basic_parser has checked the length against the body limit already.
        if(length)
            msg.body.reserve(static_cast<std::size_t>(*length));
    }

    std::size_t on_body_impl(string_view body, error_code&) override
    {
        msg.body.append(body.data(), body.size());
        return body.size();
    }

    void on_chunk_header_impl(std::uint64_t, string_view extensions, error_code& ec) override
    {
        if(extensions.size() > chunk_extension_limit - chunk_extension_bytes_)
        {
            ec = http::error::bad_chunk_extension;
            return;
        }
        chunk_extension_bytes_ += extensions.size();
    }

    std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code&) override
    {
        msg.body.append(body.data(), body.size());
        return body.size();
    }

    void on_finish_impl(error_code&) override {}

    std::size_t chunk_extension_bytes_ = 0;
};

/// Fields this layer writes itself from the message (framing and routing): a forwarded
/// message's own copies must not be sent again.
inline bool is_framing_field(std::string_view name) noexcept
{
    return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") || iequals(name, "Connection") ||
           iequals(name, "Host");
}

/// Append "Name: value\r\n" for every field of `fields` except the framing ones (written by
/// the caller) and any unwritable one.
inline void append_fields(std::string& out, headers const& fields)
{
    for(auto const& f : fields)
    {
        if(is_framing_field(f.name) || !is_field_name(f.name) || !is_field_value(f.value))
            continue;
        out.append(f.name).append(": ", 2).append(f.value).append("\r\n", 2);
    }
}

inline void append_number(std::string& out, std::uint64_t n)
{
    std::array<char, 24> digits{};
    auto const [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), n);
    out.append(digits.data(), static_cast<std::size_t>(end - digits.data()));
}

/// The head of a message: its first line and fields are written into one string, which
/// goes out with the body in one gather write (no Beast serializer, no copy of the body).
inline std::array<boost::asio::const_buffer, 2> wire_buffers(std::string const& head, std::string_view body) noexcept
{
    return {boost::asio::const_buffer(head.data(), head.size()), boost::asio::const_buffer(body.data(), body.size())};
}

/// The head of a request to `host` (method, target, Host, the fields, Content-Length when
/// the message has a body or its method carries one, as Beast's prepare_payload does).
inline std::string request_head(method m, std::string_view target, std::string_view host, headers const& fields,
                                std::size_t body_size)
{
    std::string head;
    head.reserve(128 + target.size() + fields.size() * 64);
    head.append(to_string(m)).append(" ", 1).append(target).append(" HTTP/1.1\r\nHost: ", 17).append(host).append(
        "\r\n", 2);
    append_fields(head, fields);
    if(body_size > 0 || m == method::post || m == method::put || m == method::options)
    {
        head.append("Content-Length: ", 16);
        append_number(head, body_size);
        head.append("\r\n", 2);
    }
    head.append("\r\n", 2);
    return head;
}

/// Statuses that carry no body and no Content-Length (RFC 9110 §6.4.1, §8.6).
inline bool is_bodiless_status(unsigned status) noexcept
{
    return status < 200 || status == 204 || status == 304;
}

/// The head of a response (status line, the fields, Content-Length, "Connection: close" when
/// the connection ends after it).
inline std::string response_head(unsigned status, headers const& fields, std::size_t body_size, bool keep_alive)
{
    std::string head;
    head.reserve(96 + fields.size() * 64);
    head.append("HTTP/1.1 ", 9);
    append_number(head, status);
    auto const reason = http::obsolete_reason(static_cast<http::status>(status));
    head.append(" ", 1).append(reason.data(), reason.size()).append("\r\n", 2);
    append_fields(head, fields);
    if(!is_bodiless_status(status))
    {
        head.append("Content-Length: ", 16);
        append_number(head, body_size);
        head.append("\r\n", 2);
    }
    if(!keep_alive)
        head.append("Connection: close\r\n", 19);
    head.append("\r\n", 2);
    return head;
}

/// The head of a streamed response: no Content-Length, the body ends when the connection
/// closes (RFC 9112 §6.3, item 8).
inline std::string stream_head(unsigned status, headers const& fields)
{
    std::string head;
    head.append("HTTP/1.1 ", 9);
    append_number(head, status);
    auto const reason = http::obsolete_reason(static_cast<http::status>(status));
    head.append(" ", 1).append(reason.data(), reason.size()).append("\r\n", 2);
    append_fields(head, fields);
    head.append("Connection: close\r\n\r\n", 21);
    return head;
}

/// Hand one message to a trace sink (the server and the client trace alike).
inline void emit(trace_sink const& sink, std::string_view actor, std::uint64_t exchange, std::string const& peer,
                 trace_event::direction dir, trace_event::kind type, method m, std::string_view target,
                 unsigned status, headers const& fields, std::string_view body)
{
    trace_event ev;
    ev.time = std::chrono::system_clock::now();
    ev.exchange = exchange;
    ev.actor = actor;
    ev.peer = peer;
    ev.dir = dir;
    ev.type = type;
    ev.method = m;
    ev.target = target;
    ev.status = status;
    ev.fields = &fields;
    ev.body = body;
    sink(ev);
}

inline std::string to_string(tcp::endpoint const& ep)
{
    return ep.address().to_string() + ":" + std::to_string(ep.port());
}

} // namespace mojasim::net::detail
