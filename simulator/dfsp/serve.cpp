#include "simulator/dfsp/serve.hpp"

#include "simulator/dfsp/dfsp_actor.hpp"
#include "simulator/net/run.hpp"

#include <boost/asio/co_spawn.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/system/system_error.hpp>

#include <cstdio>

namespace mojasim::dfsp {

namespace {

// One line of JSON: this bank as `run --attach` reads it (role payer when it serves the
// connector; the payer also says who pays: its first party and the connector's account).
std::string describe_json(dfsp_actor const& actor, bool onboarded)
{
    namespace json = boost::json;
    auto const& cfg = actor.settings();
    json::object bank{{"fspId", actor.fsp_id()},
                      {"role", cfg.connector.enabled ? "payer" : "payee"},
                      {"fspiop", actor.fspiop_url()},
                      {"test", actor.test_url()},
                      {"onboarded", onboarded}};
    if(cfg.connector.enabled)
        bank["connector"] = actor.connector_url();
    json::object out{{"dfsps", json::array{std::move(bank)}}, {"currency", cfg.currency}};
    if(cfg.connector.enabled && !cfg.parties.empty())
        out["payer"] = json::object{{"fspId", actor.fsp_id()},
                                    {"idType", fspiop::to_string(cfg.parties.front().id_type)},
                                    {"msisdn", cfg.parties.front().id},
                                    {"account", cfg.connector.payer_account}};
    return json::serialize(out);
}

// Onboard, again a second later while the switch cannot take the participant (not up yet,
// or not bootstrapped): in a cluster the banks may start before the switch.
net::awaitable<void> onboard_at_start(dfsp_actor* actor, int attempts, bool as_json)
{
    onboard_report report;
    for(int i = 1;; ++i)
    {
        report = co_await actor->onboard();
        if(report.participant_created || i >= attempts)
            break;
        std::fprintf(stderr, "%s: onboarding attempt %d of %d failed, again in 1 s\n", actor->fsp_id().c_str(), i,
                     attempts);
        boost::asio::steady_timer t(actor->executor(), std::chrono::seconds(1));
        co_await t.async_wait(boost::asio::use_awaitable);
    }
    if(as_json)
        std::printf("%s\n", describe_json(*actor, report.ok()).c_str());
    else
        std::printf("%s onboarded: participant %s, %zu endpoints, limits %s, funds in %s, %zu parties registered\n",
                    actor->fsp_id().c_str(), report.participant_created ? "ok" : "FAILED", report.endpoints_registered,
                    report.limits_set ? "ok" : "not set", report.funds_recorded ? "ok" : "not recorded",
                    report.parties_registered);
    for(auto const& p : report.problems)
        std::fprintf(as_json ? stderr : stdout, "  problem: %s\n", p.c_str());
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
    if(options.fspiop_port)
        cfg.listen.fspiop_port = *options.fspiop_port;
    if(options.test_port)
        cfg.listen.test_port = *options.test_port;
    if(options.connector_port)
        cfg.connector.port = *options.connector_port;
    if(!options.switch_fspiop_url.empty())
        cfg.switch_api.fspiop_url = options.switch_fspiop_url;
    if(!options.switch_admin_url.empty())
        cfg.switch_api.admin_url = options.switch_admin_url;
    if(!options.callback_url.empty())
        cfg.switch_api.callback_url = options.callback_url;

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
    if(!options.json)
    {
        std::printf("%s fspiop    %s\n", actor.fsp_id().c_str(), actor.fspiop_url().c_str());
        if(!actor.connector_url().empty())
            std::printf("%s connector %s\n", actor.fsp_id().c_str(), actor.connector_url().c_str());
        if(!actor.test_url().empty())
            std::printf("%s test      %s\n", actor.fsp_id().c_str(), actor.test_url().c_str());
        std::fflush(stdout);
    }

    if(options.onboard && !actor.settings().switch_api.admin_url.empty())
        net::spawn(actor.executor(), onboard_at_start(&actor, options.onboard_attempts, options.json), "dfsp");
    else if(options.json)
    {
        std::printf("%s\n", describe_json(actor, false).c_str());
        std::fflush(stdout);
    }

    net::run_until_signal(ioc, options.threads, [&] { actor.stop(); });
    return 0;
}

} // namespace mojasim::dfsp
