// The coroutine vocabulary of mojasim: Asio's awaitable, without Beast.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <string_view>

namespace mojasim::net {

namespace asio = boost::asio;
template <typename T = void>
using awaitable = asio::awaitable<T>;
using executor = asio::any_io_executor;
using strand = asio::strand<asio::io_context::executor_type>;

/// Start a coroutine that nobody awaits, logging (to `who`'s logger) any exception it ends
/// with instead of dropping it as `detached` would. The name is copied. `keep` (an actor's
/// state) is held until the task has ended, or until the io_context drops it unfinished.
void spawn(executor ex, awaitable<void> task, std::string_view who, std::shared_ptr<void const> keep = {});

/// Suspend for `d` on the current executor (for retries, delays and fault injection; never
/// as a way to wait for something to happen).
awaitable<void> sleep_for(std::chrono::steady_clock::duration d);

} // namespace mojasim::net
