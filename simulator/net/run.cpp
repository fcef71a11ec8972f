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

} // namespace mojasim::net
