// HTTP/1.1 client with a keep-alive connection pool per destination, connect and request
// timeouts and bounded retries. Use it from the executor it was made with (the actor's: a
// strand, or a single-threaded io_context's).
#pragma once

#include "simulator/net/awaitable.hpp"
#include "simulator/net/message.hpp"
#include "simulator/net/trace.hpp"

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace mojasim::net {

/// "http://host:port/path?query" split up. Only http is supported (loopback emulation).
struct url
{
    std::string host;
    std::uint16_t port = 80;
    std::string target = "/"; ///< path and query

    static std::optional<url> parse(std::string_view text);
    [[nodiscard]] std::string origin() const; ///< "http://host:port"
};

struct client_options
{
    std::size_t max_connections_per_host = 16;
    std::chrono::milliseconds connect_timeout{5'000};
    std::chrono::milliseconds request_timeout{20'000}; ///< write + read of one exchange
    /// Extra attempts on a fresh connection (see client::send for when one is made).
    int retries = 2;
    std::size_t body_limit = 64 * 1024 * 1024;
    std::string name = "client"; ///< actor name, for logs and traces
    /// A pooled connection idle for longer than this is closed, never reused: it must stay
    /// below the peers' keep-alive timeout by a margin, so that the server never closes a
    /// connection under a request. Node's HTTP server (every Mojaloop service) keeps 5 s,
    /// mojasim's servers 60 s.
    std::chrono::milliseconds max_idle{4'000};
};

/// How one request may be treated.
struct send_options
{
    /// For this exchange only; zero: client_options::request_timeout.
    std::chrono::milliseconds timeout{0};
    /// The request may be acted on twice without harm, so it is re-sent when its outcome is
    /// unknown. FSPIOP requests are (the switch and the payee de-duplicate by id and body
    /// hash); the connector's POST /transfers and the hub's callbacks are not. The default
    /// is the safe one: not idempotent, never re-sent once it may have arrived.
    bool idempotent = false;
};

/// The client's own errors (category "mojasim.client").
enum class client_error : std::uint8_t
{
    /// The whole request was written, then the connection failed before a whole response
    /// came back: the peer may or may not have acted on it. Ask (GET) before re-sending.
    outcome_unknown = 1,
};
[[nodiscard]] boost::system::error_code make_error_code(client_error e) noexcept;

} // namespace mojasim::net

template <>
struct boost::system::is_error_code_enum<mojasim::net::client_error> : std::true_type
{
};

namespace mojasim::net {

/// Whether a failed send may have been acted on by the peer: outcome_unknown, or a timeout
/// (the exchange's time ran out, possibly after the request was written). Every other
/// error means the request did not arrive whole (refused, no connection, a write that
/// failed, a bad URL, a closed client), and it may be sent again.
[[nodiscard]] bool may_have_arrived(boost::system::error_code const& ec) noexcept;

template <typename T>
using result = boost::system::result<T>;

class client
{
public:
    client(executor ex, client_options opts = {});
    ~client();
    client(client const&) = delete;
    client& operator=(client const&) = delete;

    /// Send `req` to `destination` (an absolute http URL; its path and query replace
    /// req.target). Host and Content-Length are set here. Completes with the response, or
    /// an error: timed_out, connection_refused, client_error::outcome_unknown, ... Non-2xx
    /// statuses are responses, not errors.
    ///
    /// Retries (at most client_options::retries, each on a newly opened connection, within
    /// the exchange's time): when the connection was refused; when the request was not
    /// written whole (the peer cannot have acted on a part); and, for an idempotent request
    /// only, when it was written but no whole response came back. A request that is not
    /// idempotent is then never re-sent: it ends with outcome_unknown. Pooled connections
    /// that idled past max_idle, or that the peer has closed or written to while idle, are
    /// dropped before anything is written on them.
    awaitable<result<response>> send(std::string_view destination, request req, send_options how = {});

    /// The same with a timeout for this exchange only (not idempotent).
    awaitable<result<response>> send(std::string_view destination, request req, std::chrono::milliseconds timeout);

    void set_trace(trace_sink sink);

    /// Close idle connections and refuse new work (pending exchanges complete with
    /// operation_aborted). Safe from any thread.
    void close();

    /// Connections open now, idle and busy (for tests and stats).
    [[nodiscard]] std::size_t connection_count() const noexcept;

    struct impl; ///< opaque: defined in the .cpp, the only place with Beast

private:
    std::shared_ptr<impl> impl_;
};

} // namespace mojasim::net
