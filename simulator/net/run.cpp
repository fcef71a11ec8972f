#include "simulator/net/run.hpp"

#include <boost/asio/signal_set.hpp>

#include <algorithm>
#include <csignal>
#include <thread>
#include <vector>

namespace mojasim::net {

void run_until_signal(asio::io_context& ioc, int threads, std::function<void()> on_stop)
{
    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code const& ec, int) {
        if(ec)
            return;
        if(on_stop)
            on_stop();
        ioc.stop();
    });
    std::vector<std::thread> extra;
    for(int i = 1; i < std::max(1, threads); ++i)
        extra.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for(auto& t : extra)
        t.join();
}

context_pool::context_pool(std::size_t n)
{
    for(std::size_t i = 0; i < std::max<std::size_t>(1, n); ++i)
        contexts_.push_back(std::make_unique<asio::io_context>(1));
}

context_pool::~context_pool()
{
    stop(std::chrono::milliseconds{0});
}

void context_pool::run()
{
    std::vector<std::thread> others;
    for(std::size_t i = 1; i < contexts_.size(); ++i)
        others.emplace_back([&ioc = *contexts_[i]] { ioc.run(); });
    contexts_.front()->run();
    for(auto& t : others)
        t.join();
}

void context_pool::start()
{
    if(!threads_.empty())
        return;
    running_ = contexts_.size();
    for(auto& ioc : contexts_)
    {
        guards_.emplace_back(ioc->get_executor());
        threads_.emplace_back([this, &ioc = *ioc] {
            ioc.run();
            std::lock_guard const lock(mutex_);
            --running_;
            finished_.notify_all();
        });
    }
}

void context_pool::stop(std::chrono::milliseconds drain)
{
    if(threads_.empty())
        return;
    guards_.clear();
    {
        std::unique_lock lock(mutex_);
        finished_.wait_for(lock, drain, [this] { return running_ == 0; });
    }
    for(auto& ioc : contexts_)
        ioc->stop();
    for(auto& t : threads_)
        t.join();
    threads_.clear();
}

} // namespace mojasim::net
