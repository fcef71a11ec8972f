#include "payment-hub/serve.hpp"

#include "payment-hub/payment_hub.hpp"
#include "simulator/core/log.hpp"
#include "simulator/net/run.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/system/system_error.hpp>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace mojasim::hub {

int
run_serve_hub(serve_hub_options const& options)
{
    hub_config cfg;
    try
    {
        if(!options.config_path.empty())
            cfg = load_hub_config(options.config_path);
    }
    catch(std::exception const& e)
    {
        std::cerr << e.what() << "\n";
        return 2;
    }
    if(options.bulk_port)
        cfg.bulk_port = *options.bulk_port;
    if(options.ops_port)
        cfg.ops_port = *options.ops_port;
    if(options.host)
        cfg.host = *options.host;
    if(!options.connector_url.empty())
        for(auto& [name, t] : cfg.tenants)
            t.connector_url = options.connector_url;
    if(!core::set_log_level(options.log_level))
    {
        std::cerr << "unknown log level '" << options.log_level << "'\n";
        return 2;
    }

    boost::asio::io_context ioc;
    payment_hub hub(boost::asio::make_strand(ioc), cfg);
    try
    {
        hub.start();
    }
    catch(boost::system::system_error const& e)
    {
        std::cerr << "hub: cannot listen: " << e.what() << "\n";
        return 1;
    }

    if(options.json)
    {
        namespace json = boost::json;
        json::object out{{"hub", json::object{{"bulk", hub.bulk_url() + (cfg.bulk_paths.empty() ? std::string("/batchtransactions") : cfg.bulk_paths.front())},
                                              {"operations", hub.ops_url()}}}};
        if(!cfg.tenants.empty())
            out["tenant"] = cfg.tenants.begin()->first;
        std::cout << json::serialize(out) << std::endl;
    }
    else
    {
        std::cout << "mojasim hub (Payment Hub EE emulator)\n";
        for(auto const& path : cfg.bulk_paths)
            std::cout << "  bulk API        POST " << hub.bulk_url() << path << "\n";
        std::cout << "  operations API  " << hub.ops_url() << "/api/v1/batch/{batchId}, /api/v1/batch/detail, "
                  << "/api/v1/batches, POST /oauth/token\n";
        std::cout << "  Type header     " << (cfg.lenient_type ? "lenient (any Type for multipart)" : "strict (csv or raw)")
                  << "\n";
        if(cfg.tenants.empty())
            std::cout << "  tenants         none configured: every upload will be refused\n";
        for(auto const& [name, t] : cfg.tenants)
            std::cout << "  tenant          " << name << " -> " << t.payer_fsp << " via " << t.connector_url << "\n";
        std::cout.flush();
    }

    net::run_until_signal(ioc, options.threads, [&] {
        core::logger(cfg.name)->info("signal received, stopping");
        hub.stop();
    });
    return 0;
}

} // namespace mojasim::hub
