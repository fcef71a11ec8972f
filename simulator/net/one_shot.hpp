// Wait for something that arrives on another path (an FSPIOP callback), with a timeout.
// One waiter, one value; use on one executor (the actor's: a strand, or a single-threaded
// io_context's).
#pragma once

#include "simulator/net/awaitable.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <optional>

namespace mojasim::net {

template <typename T>
class one_shot
{
public:
    explicit one_shot(executor ex) : timer_(ex, std::chrono::steady_clock::time_point::max()) {}

    /// Store the value and wake the waiter. Later values are ignored (returns false).
    bool deliver(T value)
    {
        if(value_ || done_)
            return false;
        value_ = std::move(value);
        timer_.cancel();
        return true;
    }

    /// The value, or nullopt after `timeout`. Values delivered after a timeout are refused.
    awaitable<std::optional<T>> wait(std::chrono::steady_clock::duration timeout)
    {
        if(!value_)
        {
            timer_.expires_after(timeout);
            co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        done_ = true;
        co_return std::move(value_);
    }

    [[nodiscard]] bool has_value() const noexcept { return value_.has_value(); }

private:
    asio::steady_timer timer_;
    std::optional<T> value_;
    bool done_ = false;
};

} // namespace mojasim::net
