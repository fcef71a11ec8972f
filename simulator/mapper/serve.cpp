#include "simulator/mapper/serve.hpp"

#include "simulator/core/log.hpp"
#include "simulator/net/run.hpp"
#include "simulator/yaml/reader.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/system/system_error.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

namespace mojasim::mapper {

namespace {

entry read_entry(yaml::reader const& r, YAML::Node const& n, std::string const& where)
{
    if(!n.IsMap())
        r.fail(n, where + " must be a map");
    entry e;
    std::string fa;
    for(auto const& kv : n)
    {
        auto const k = r.text(kv.first, where);
        auto const key = where + "." + k;
        if(k == "institution")
            e.institution = r.text(kv.second, key);
        else if(k == "identity")
            e.identity = r.text(kv.second, key);
        else if(k == "modality")
        {
            auto code = modality_code(r.text(kv.second, key));
            if(!code)
                r.fail(kv.second, key + " must be 00 to 04 or ACCOUNT_ID, MSISDN, VIRTUAL_ADDRESS, WALLET_ID, VOUCHER");
            e.modality = *code;
            e.has_modality = true;
        }
        else if(k == "financial_address")
            e.financial_address = r.text(kv.second, key);
        else if(k == "bank")
            e.bank = r.text(kv.second, key);
        else if(k == "fa")
            fa = r.text(kv.second, key);
        else
            r.fail(kv.first, yaml::unknown_key(k, where, {"institution", "identity", "modality", "financial_address", "bank", "fa"}));
    }
    if(e.identity.empty())
        r.fail(n, where + ".identity is required");
    if(!fa.empty())
        set_from_fa(e, fa);
    return e;
}

} // namespace

mapper_config parse_mapper_config(std::string_view text, std::string const& source)
{
    yaml::reader r(source);
    auto root = yaml::load(text, source);
    mapper_config c;
    if(!root || root.IsNull())
        return c;
    r.require_map(root, "the mapper config");
    if(root["mapper"])
        root = root["mapper"];
    r.require_map(root, "the mapper config");
    for(auto const& kv : root)
    {
        auto const k = r.text(kv.first, "the mapper config");
        if(k == "host")
            c.host = r.text(kv.second, k);
        else if(k == "port")
            c.port = static_cast<std::uint16_t>(r.unsigned_number(kv.second, k, 65535));
        else if(k == "name")
            c.name = r.text(kv.second, k);
        else if(k == "external_lookup")
            c.external_lookup = r.boolean(kv.second, k);
        else if(k == "validate_accounts")
            c.validate_accounts = r.boolean(kv.second, k);
        else if(k == "lose_batch_callbacks")
            c.lose_batch_callbacks = r.boolean(kv.second, k);
        else if(k == "g2p_sender_id")
            c.g2p_sender_id = r.text(kv.second, k);
        else if(k == "g2p_default_callback_url")
            c.g2p_default_callback_url = r.text(kv.second, k);
        else if(k == "callback_timeout_ms")
            c.callback_timeout = std::chrono::milliseconds(r.unsigned_number(kv.second, k, 3'600'000));
        else if(k == "entries")
        {
            if(!kv.second.IsSequence())
                r.fail(kv.second, "entries must be a list");
            for(std::size_t i = 0; i < kv.second.size(); ++i)
                c.seed.push_back(read_entry(r, kv.second[i], "entries[" + std::to_string(i) + "]"));
        }
        else
            r.fail(kv.first, yaml::unknown_key(k, "the mapper config",
                                               {"host", "port", "name", "external_lookup", "validate_accounts",
                                                "lose_batch_callbacks", "g2p_sender_id", "g2p_default_callback_url",
                                                "callback_timeout_ms", "entries"}));
    }
    return c;
}

mapper_config load_mapper_config(std::string const& path)
{
    std::ifstream in(path, std::ios::binary);
    if(!in)
        throw yaml::error(path, 0, 0, "cannot read the file");
    std::ostringstream s;
    s << in.rdbuf();
    return parse_mapper_config(s.str(), path);
}

int run_serve_mapper(serve_mapper_options const& options)
{
    mapper_config cfg;
    try
    {
        if(!options.config_path.empty())
            cfg = load_mapper_config(options.config_path);
    }
    catch(std::exception const& e)
    {
        std::cerr << e.what() << "\n";
        return 2;
    }
    if(options.port)
        cfg.port = *options.port;
    if(options.host)
        cfg.host = *options.host;
    if(!core::set_log_level(options.log_level))
    {
        std::cerr << "unknown log level '" << options.log_level << "'\n";
        return 2;
    }
    auto const entries = cfg.seed.size();

    boost::asio::io_context ioc;
    mapper_actor mapper(boost::asio::make_strand(ioc), cfg);
    try
    {
        mapper.start();
    }
    catch(boost::system::system_error const& e)
    {
        std::cerr << "mapper: cannot listen: " << e.what() << "\n";
        return 1;
    }
    if(options.json)
    {
        namespace json = boost::json;
        json::object out{{"mapper", json::object{{"url", mapper.url()}}}};
        std::cout << json::serialize(out) << std::endl;
    }
    else
    {
        std::cout << "mojasim mapper (account mapper: PH-EE identity-account-mapper and G2P Connect)\n"
                  << "  PH-EE API         " << mapper.url() << "/beneficiary, /paymentModality, /accountLookup, /beneficiaries\n"
                  << "  G2P Connect API   " << mapper.url() << "/mapper/{link,update,resolve,unlink}, /mapper/sync/...\n"
                  << "  entries           " << entries << "\n";
        std::cout.flush();
    }
    net::run_until_signal(ioc, options.threads, [&] {
        core::logger(cfg.name)->info("signal received, stopping");
        mapper.stop();
    });
    return 0;
}

} // namespace mojasim::mapper
