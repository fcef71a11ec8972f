// Run an io_context on N threads until SIGINT or SIGTERM: the body of every `mojasim serve`.
#pragma once

#include "simulator/net/awaitable.hpp"

#include <functional>

namespace mojasim::net {

/// Run `ioc` on `threads` threads (the caller's included). On SIGINT or SIGTERM call
/// `on_stop` (stop the actors), then stop the context; returns when every thread is done.
void run_until_signal(asio::io_context& ioc, int threads, std::function<void()> on_stop);

} // namespace mojasim::net
