#include "simulator/net/awaitable.hpp"

#include "simulator/core/log.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>

#include <exception>

namespace mojasim::net {

void spawn(executor ex, awaitable<void> task, std::string_view who, std::shared_ptr<void const> keep)
{
    // The name is copied: the task may outlive whatever owned the caller's string.
    asio::co_spawn(std::move(ex), std::move(task), [who = std::string(who), keep = std::move(keep)](std::exception_ptr e) {
        if(!e)
            return;
        try
        {
            std::rethrow_exception(e);
        }
        catch(std::exception const& x)
        {
            core::logger(who)->error("background task failed: {}", x.what());
        }
        catch(...)
        {
            core::logger(who)->error("background task failed with an unknown exception");
        }
    });
}

awaitable<void> sleep_for(std::chrono::steady_clock::duration d)
{
    auto const ex = co_await asio::this_coro::executor;
    asio::steady_timer timer(ex, d);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

} // namespace mojasim::net
