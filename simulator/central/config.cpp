#include "simulator/central/config.hpp"

#include "simulator/yaml/jws_section.hpp"
#include "simulator/yaml/reader.hpp"

#include <fstream>
#include <sstream>

namespace mojasim::central {

std::optional<std::string>
parse_config(std::string_view text, switch_config& base, std::string const& source)
{
    try
    {
        auto const root = yaml::load(text, source);
        if(root.IsNull())
            return std::nullopt;
        yaml::reader const r(source);
        r.require_map(root, "the switch config");
        r.only_keys(root, "the switch config",
                    {"host", "fspiop_port", "admin_port", "hub_name", "expiry_sweep_interval_ms",
                     "send_transfer_confirmation_to_payee", "callback_timeout_ms", "max_connections_per_fsp",
                     "read_timeout_ms", "strict_spec", "name", "jws"});
        auto cfg = base;
        cfg.host = r.text_or(root, "host", cfg.host);
        cfg.fspiop_port = r.number_or<std::uint16_t>(root, "fspiop_port", cfg.fspiop_port);
        cfg.admin_port = r.number_or<std::uint16_t>(root, "admin_port", cfg.admin_port);
        cfg.hub_name = r.text_or(root, "hub_name", cfg.hub_name);
        cfg.expiry_sweep_interval = r.ms_or(root, "expiry_sweep_interval_ms", cfg.expiry_sweep_interval);
        cfg.send_transfer_confirmation_to_payee =
            r.boolean_or(root, "send_transfer_confirmation_to_payee", cfg.send_transfer_confirmation_to_payee);
        cfg.callback_timeout = r.ms_or(root, "callback_timeout_ms", cfg.callback_timeout);
        cfg.max_connections_per_fsp = r.number_or<std::size_t>(root, "max_connections_per_fsp", cfg.max_connections_per_fsp);
        cfg.read_timeout = r.ms_or(root, "read_timeout_ms", cfg.read_timeout);
        cfg.strict_spec = r.boolean_or(root, "strict_spec", cfg.strict_spec);
        cfg.name = r.text_or(root, "name", cfg.name);
        if(auto const jws = root["jws"])
        {
            r.require_map(jws, "jws");
            r.only_keys(jws, "jws", {"validate", "sign", "private_key_file", "public_keys"});
            yaml::read_jws_settings(r, jws, source, cfg.jws);
        }
        auto const at_least_one = [&](char const* key, bool zero) {
            if(zero)
                r.fail(root[key], std::string(key) + " must be at least 1");
        };
        at_least_one("expiry_sweep_interval_ms", cfg.expiry_sweep_interval.count() == 0);
        at_least_one("callback_timeout_ms", cfg.callback_timeout.count() == 0);
        at_least_one("read_timeout_ms", cfg.read_timeout.count() == 0);
        at_least_one("max_connections_per_fsp", cfg.max_connections_per_fsp == 0);
        if(cfg.hub_name.empty())
            r.fail(root["hub_name"], "hub_name must not be empty");
        base = std::move(cfg);
        return std::nullopt;
    }
    catch(yaml::error const& e)
    {
        return e.what();
    }
}

std::optional<std::string>
load_config(std::string const& path, switch_config& base)
{
    std::ifstream in(path);
    if(!in)
        return path + ": cannot read the file";
    std::ostringstream text;
    text << in.rdbuf();
    return parse_config(text.str(), base, path);
}

} // namespace mojasim::central
