// Private to simulator/net: the Beast and Asio pieces the server and client share.
#pragma once

#include "simulator/net/message.hpp"
#include "simulator/net/trace.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

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

inline http::verb to_verb(method m) noexcept
{
    switch(m)
    {
    case method::get: return http::verb::get;
    case method::head: return http::verb::head;
    case method::post: return http::verb::post;
    case method::put: return http::verb::put;
    case method::patch: return http::verb::patch;
    case method::delete_: return http::verb::delete_;
    case method::options: return http::verb::options;
    case method::unknown: break;
    }
    return http::verb::unknown;
}

/// Copy Beast's header fields into ours (names and values are short; bodies are moved).
template <typename Fields>
void copy_fields(Fields const& from, headers& to)
{
    for(auto const& f : from)
        to.add(std::string(f.name_string()), std::string(f.value()));
}

/// Fields Beast writes itself from the message (framing and routing): a forwarded message's
/// own copies must not be sent again.
inline bool is_framing_field(std::string_view name) noexcept
{
    return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") || iequals(name, "Connection") ||
           iequals(name, "Host");
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
