#include "simulator/dfsp/serve.hpp"

#include "simulator/dfsp/dfsp_actor.hpp"
#include "simulator/net/run.hpp"

#include <boost/asio/co_spawn.hpp>

#include <boost/system/system_error.hpp>

#include <algorithm>
#include <cstdio>
#include <thread>
#include <vector>

namespace mojasim::dfsp {

namespace {

net::awaitable<void> onboard_at_start(dfsp_actor* actor)
{
    auto const report = co_await actor->onboard();
    std::printf("%s onboarded: participant %s, %zu endpoints, limits %s, funds in %s, %zu parties registered\n",
                actor->fsp_id().c_str(), report.participant_created ? "ok" : "FAILED", report.endpoints_registered,
                report.limits_set ? "ok" : "not set", report.funds_recorded ? "ok" : "not recorded",
                report.parties_registered);
    for(auto const& p : report.problems)
        std::printf("  problem: %s\n", p.c_str());
    std::fflush(stdout);
}

} // namespace

int run_serve_dfsp(serve_options const& options)
{
    config cfg;
    try
    {
        cfg = load_config(options.config_path);
    }
    catch(config_error const& e)
    {
        std::fprintf(stderr, "%s\n", e.what());
        return 2;
    }
    if(!options.host.empty())
        cfg.listen.host = options.host;

    net::asio::io_context ioc;
    dfsp_actor actor(ioc, std::move(cfg));
    try
    {
        actor.start();
    }
    catch(boost::system::system_error const& e)
    {
        std::fprintf(stderr, "%s: cannot listen on %s: %s\n", actor.fsp_id().c_str(),
                     actor.settings().listen.host.c_str(), e.code().message().c_str());
        return 1;
    }
    std::printf("%s fspiop    %s\n", actor.fsp_id().c_str(), actor.fspiop_url().c_str());
    if(!actor.connector_url().empty())
        std::printf("%s connector %s\n", actor.fsp_id().c_str(), actor.connector_url().c_str());
    if(!actor.test_url().empty())
        std::printf("%s test      %s\n", actor.fsp_id().c_str(), actor.test_url().c_str());
    std::fflush(stdout);

    if(options.onboard && !actor.settings().switch_api.admin_url.empty())
        net::spawn(actor.executor(), onboard_at_start(&actor), "dfsp");

    net::run_until_signal(ioc, options.threads, [&] { actor.stop(); });
    return 0;
}

} // namespace mojasim::dfsp
