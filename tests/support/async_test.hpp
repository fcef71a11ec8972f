// Run a test body as a coroutine on a fresh io_context, rethrowing what it throws.
// Catch2's CHECK/REQUIRE work inside (one thread). The context is stopped when the body
// ends, so servers left listening do not keep the test alive.
#pragma once

#include "simulator/net/awaitable.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <exception>
#include <functional>
#include <stdexcept>

namespace mojasim::test {

inline void run_async(std::function<net::awaitable<void>(net::asio::io_context&)> body,
                      std::chrono::seconds limit = std::chrono::seconds(60))
{
    net::asio::io_context ioc;
    std::exception_ptr failure;
    bool finished = false;
    net::asio::co_spawn(ioc, body(ioc), [&](std::exception_ptr e) {
        failure = e;
        finished = true;
        ioc.stop();
    });
    // A test that hangs fails instead of blocking ctest.
    ioc.run_for(limit);
    if(failure)
        std::rethrow_exception(failure);
    if(!finished)
        throw std::runtime_error("async test did not finish within its time limit");
}

/// Wait until `condition()` holds, checking every `step`, for at most `limit`.
/// For conditions observable only by polling (a peer closed a socket); returns the final value.
inline net::awaitable<bool> eventually(std::function<bool()> condition,
                                       std::chrono::milliseconds limit = std::chrono::milliseconds(5000),
                                       std::chrono::milliseconds step = std::chrono::milliseconds(5))
{
    auto const deadline = std::chrono::steady_clock::now() + limit;
    // (No co_await inside a constructor call: g++ 12 mishandles the temporaries.)
    auto const ex = co_await net::asio::this_coro::executor;
    net::asio::steady_timer timer(ex);
    while(!condition())
    {
        if(std::chrono::steady_clock::now() > deadline)
            co_return false;
        timer.expires_after(step);
        co_await timer.async_wait(net::asio::as_tuple(net::asio::use_awaitable));
    }
    co_return true;
}

} // namespace mojasim::test
