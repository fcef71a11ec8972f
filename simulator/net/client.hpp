// HTTP/1.1 client with a keep-alive connection pool per destination, connect and request
// timeouts and bounded retries. Use it from the executor it was made with (the actor's: a
// strand, or a single-threaded io_context's).
#pragma once

#include "simulator/net/awaitable.hpp"
#include "simulator/net/message.hpp"
#include "simulator/net/trace.hpp"

#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

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
    /// Extra attempts when the request surely was not processed: connection refused, or a
    /// pooled connection the server had closed. Never after the request may have arrived.
    int retries = 2;
    std::size_t body_limit = 64 * 1024 * 1024;
    std::string name = "client"; ///< actor name, for logs and traces
};

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
    /// an error: timed_out, connection_refused, ... Non-2xx statuses are responses, not errors.
    awaitable<result<response>> send(std::string_view destination, request req);

    /// The same with a timeout for this exchange only.
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
