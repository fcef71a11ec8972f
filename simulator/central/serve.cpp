#include "simulator/central/serve.hpp"

#include "simulator/central/bootstrap.hpp"
#include "simulator/central/switch_actor.hpp"
#include "simulator/core/log.hpp"
#include "simulator/net/run.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/system/system_error.hpp>

#include <csignal>
#include <future>
#include <iostream>
#include <thread>
#include <vector>

namespace mojasim::central {

int
run_serve_switch(serve_switch_options const& options)
{
    switch_config cfg;
    if(!options.config_path.empty())
    {
        if(auto error = load_config(options.config_path, cfg))
        {
            std::cerr << *error << "\n";
            return 2;
        }
    }
    if(options.host)
        cfg.host = *options.host;
    if(options.fspiop_port)
        cfg.fspiop_port = *options.fspiop_port;
    if(options.admin_port)
        cfg.admin_port = *options.admin_port;
    if(options.hub_name)
        cfg.hub_name = *options.hub_name;
    if(cfg.hub_name.empty())
    {
        std::cerr << "the hub name must not be empty\n";
        return 2;
    }
    if(!core::set_log_level(options.log_level))
    {
        std::cerr << "unknown log level '" << options.log_level << "'\n";
        return 2;
    }

    boost::asio::io_context ioc;
    switch_actor hub(ioc, cfg);
    try
    {
        hub.start();
    }
    catch(boost::system::system_error const& e)
    {
        std::cerr << "switch: cannot listen: " << e.what() << "\n";
        return 1;
    }

    // The operator's bootstrap, through the Admin API, before saying the switch is ready.
    for(auto const& currency : options.currencies)
    {
        auto done = boost::asio::co_spawn(ioc, prepare_hub(hub.admin_url(), cfg.hub_name, currency),
                                          boost::asio::use_future);
        while(done.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
            ioc.run_one();
        if(auto const problem = done.get(); !problem.empty())
        {
            std::cerr << "switch: bootstrapping " << currency << ": " << problem << "\n";
            hub.stop();
            return 1;
        }
    }

    if(options.json)
    {
        boost::json::object sw{{"fspiop", hub.fspiop_url()}, {"admin", hub.admin_url()}, {"hubName", cfg.hub_name}};
        std::cout << boost::json::serialize(boost::json::object{{"switch", std::move(sw)}}) << std::endl;
    }
    else
    {
        std::cout << "mojasim switch (Mojaloop hub emulator), hub name " << cfg.hub_name << "\n"
                  << "  FSPIOP API  " << hub.fspiop_url()
                  << "  (/parties, /participants, /quotes, /transfers; FSPIOP 1.0, 1.1, 2.0)\n"
                  << "  Admin API   " << hub.admin_url()
                  << "  (/participants..., /settlementModels, /oracles, /settlementWindows, /settlements)\n"
                  << "  expiry sweep every " << cfg.expiry_sweep_interval.count() << " ms; confirmations to payee "
                  << (cfg.send_transfer_confirmation_to_payee ? "on" : "off") << "\n";
        for(auto const& currency : options.currencies)
            std::cout << "  bootstrapped " << currency << ": hub accounts and the DEFERREDNET settlement model\n";
        std::cout.flush();
    }

    net::run_until_signal(ioc, options.threads, [&] {
        core::logger(cfg.name)->info("signal received, stopping");
        hub.stop();
    });
    return 0;
}

} // namespace mojasim::central
