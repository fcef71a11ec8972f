// Running io_contexts: on N threads until SIGINT or SIGTERM (the single-actor `mojasim serve`
// commands), or one io_context per thread (the world and the benchmarks).
#pragma once

#include "simulator/net/awaitable.hpp"

#include <boost/asio/executor_work_guard.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace mojasim::net {

/// Run `ioc` on `threads` threads (the caller's included). On SIGINT or SIGTERM call
/// `on_stop` (stop the actors), then stop the context; returns when every thread is done.
void run_until_signal(asio::io_context& ioc, int threads, std::function<void()> on_stop);

/// `n` (at least one) io_contexts, each run by one thread of its own (concurrency hint 1): an
/// actor on one of them runs on its executor with no strand, no lock and no cross-thread
/// wake-up, and actors on different ones run in parallel.
class context_pool
{
public:
    explicit context_pool(std::size_t n);
    ~context_pool();
    context_pool(context_pool const&) = delete;
    context_pool& operator=(context_pool const&) = delete;

    [[nodiscard]] std::size_t size() const noexcept { return contexts_.size(); }
    [[nodiscard]] asio::io_context& operator[](std::size_t i) noexcept { return *contexts_[i]; }
    [[nodiscard]] asio::io_context& front() noexcept { return *contexts_.front(); }
    [[nodiscard]] asio::io_context& back() noexcept { return *contexts_.back(); }

    /// Run every io_context until it runs out of work: the first on the calling thread, the
    /// others on threads of their own. Returns when all are done.
    void run();

    /// Start a thread for each io_context, kept running (even with no work) until stop().
    void start();
    /// Let the work in progress finish for at most `drain`, stop whatever is left (timers that
    /// would run on), and join the threads. Idempotent; call from outside the pool's threads.
    void stop(std::chrono::milliseconds drain);

private:
    std::vector<std::unique_ptr<asio::io_context>> contexts_;
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
    std::vector<std::thread> threads_;
    std::mutex mutex_;
    std::condition_variable finished_;
    std::size_t running_ = 0; ///< threads still in run()
};

} // namespace mojasim::net
