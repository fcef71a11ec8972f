// HTTP/1.1 server on Beast with C++20 coroutines: keep-alive, pipelined requests answered in
// order, header and body limits, read and idle timeouts, graceful shutdown. Every session runs
// on the executor given (an actor's: a strand, or a single-threaded io_context's), so handlers
// need no locks.
#pragma once

#include "simulator/net/awaitable.hpp"
#include "simulator/net/message.hpp"
#include "simulator/net/trace.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace mojasim::net {

class router;

struct server_options
{
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;                          ///< 0: any free port
    std::size_t header_limit = 64 * 1024;            ///< bytes of request line + headers
    std::size_t body_limit = 5 * 1024 * 1024;        ///< bytes of body (FSPIOP: 5 MB)
    std::chrono::milliseconds read_timeout{30'000};  ///< to read one request once it has begun
    std::chrono::milliseconds idle_timeout{60'000};  ///< a kept-alive connection with no request
    std::string name = "server";                     ///< actor name, for logs and traces
};

/// A response body produced over time (`response::stream`), e.g. Server-Sent Events. The
/// server awaits next() on its executor and writes each piece as it comes; one write at a
/// time, so a slow client holds back next() rather than making the server buffer: a stream
/// that produces faster than its client reads must bound what it keeps itself.
class body_stream
{
public:
    virtual ~body_stream() = default;
    /// The next piece to write; nullopt when the stream has ended.
    virtual awaitable<std::optional<std::string>> next() = 0;
    /// The client left or the server stops: a pending or later next() returns nullopt soon.
    /// Called on the server's executor.
    virtual void close() noexcept = 0;
};

/// Problems found before a request reaches the router.
enum class request_error : std::uint8_t
{
    bad_request,      ///< malformed request line or headers (400)
    header_too_large, ///< header block over the limit (431)
    body_too_large,   ///< body over the limit (413)
};

/// Builds the API's own error response for a request_error (FSPIOP: errorInformation 3104
/// on too large bodies). `target` is the request target when it was read, else empty.
using error_responder = std::function<response(request_error, std::string_view target)>;

/// Completes every response just before it is written (handlers', fallbacks' and refusals'
/// alike): e.g. the fields an API's HTTP server adds to all its answers.
using response_finisher = std::function<void(response&)>;

class server
{
public:
    /// The server keeps `routes` weakly; from start() on, the accept loop and every session
    /// hold them (and, through an aliasing pointer into an actor, the actor's state) until
    /// they end. So an actor whose handlers refer to its own state gives an aliasing pointer
    /// (`std::shared_ptr<router const>(state, &state->routes)`) and may be destroyed at any
    /// time: requests in progress finish with the state still there (docs/engineering.md,
    /// "Lifetime").
    server(executor ex, std::shared_ptr<router const> const& routes, server_options opts = {});
    ~server();
    server(server const&) = delete;
    server& operator=(server const&) = delete;

    /// Bind and listen, returning the port (the real one when options asked for 0).
    /// Throws boost::system::system_error when the address cannot be bound.
    std::uint16_t listen();

    /// Begin accepting. Call after listen(), while `routes` still exist.
    void start();

    /// Stop accepting, close idle connections, let requests in progress finish and then
    /// close their connections. Safe from any thread.
    void stop();

    [[nodiscard]] std::uint16_t port() const noexcept;
    /// "http://127.0.0.1:4001"
    [[nodiscard]] std::string base_url() const;
    /// Connections open now (for tests and stats).
    [[nodiscard]] std::size_t connection_count() const noexcept;
    /// Connections accepted since start: with connection_count() a test knows when every
    /// connection it opened has been taken in and ended.
    [[nodiscard]] std::uint64_t connections_accepted() const noexcept;
    /// Kept-alive connections closed because they stayed idle past the idle timeout.
    [[nodiscard]] std::uint64_t idle_closes() const noexcept;
    /// Requests this server has read: benchmarks count exchanges with it instead of tracing
    /// every message.
    [[nodiscard]] std::uint64_t requests_served() const noexcept;

    void set_trace(trace_sink sink);
    void set_error_responder(error_responder responder);
    void set_response_finisher(response_finisher finisher);

    struct impl; ///< opaque: defined in the .cpp, the only place with Beast

private:
    std::shared_ptr<impl> impl_;
};

} // namespace mojasim::net
