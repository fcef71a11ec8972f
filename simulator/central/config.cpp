#include "simulator/central/config.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <limits>
#include <sstream>

namespace mojasim::central {

namespace {

template <class T>
std::optional<std::string>
read(YAML::Node const& root, char const* key, T& out)
{
    auto const n = root[key];
    if(!n)
        return std::nullopt;
    try
    {
        out = n.as<T>();
    }
    catch(YAML::Exception const&)
    {
        return std::string("config: bad value for ") + key;
    }
    return std::nullopt;
}

std::optional<std::string>
read_port(YAML::Node const& root, char const* key, std::uint16_t& out)
{
    long long v = out;
    if(auto e = read(root, key, v))
        return e;
    if(v < 0 || v > std::numeric_limits<std::uint16_t>::max())
        return std::string("config: ") + key + " must be 0..65535";
    out = static_cast<std::uint16_t>(v);
    return std::nullopt;
}

std::optional<std::string>
read_ms(YAML::Node const& root, char const* key, std::chrono::milliseconds& out)
{
    long long v = out.count();
    if(auto e = read(root, key, v))
        return e;
    if(v <= 0)
        return std::string("config: ") + key + " must be positive";
    out = std::chrono::milliseconds(v);
    return std::nullopt;
}

} // namespace

std::optional<std::string>
parse_config(std::string_view yaml, switch_config& base)
{
    YAML::Node root;
    try
    {
        root = YAML::Load(std::string(yaml));
    }
    catch(YAML::Exception const& e)
    {
        return std::string("config: ") + e.what();
    }
    if(root.IsNull())
        return std::nullopt;
    if(!root.IsMap())
        return std::string("config: the document must be a mapping");

    auto cfg = base;
    std::optional<std::string> e;
    long long connections = static_cast<long long>(cfg.max_connections_per_fsp);
    if((e = read(root, "host", cfg.host)) || (e = read_port(root, "fspiop_port", cfg.fspiop_port)) ||
       (e = read_port(root, "admin_port", cfg.admin_port)) || (e = read(root, "hub_name", cfg.hub_name)) ||
       (e = read_ms(root, "expiry_sweep_interval_ms", cfg.expiry_sweep_interval)) ||
       (e = read(root, "send_transfer_confirmation_to_payee", cfg.send_transfer_confirmation_to_payee)) ||
       (e = read_ms(root, "callback_timeout_ms", cfg.callback_timeout)) ||
       (e = read(root, "max_connections_per_fsp", connections)) || (e = read(root, "name", cfg.name)))
        return e;
    if(connections < 1)
        return std::string("config: max_connections_per_fsp must be at least 1");
    cfg.max_connections_per_fsp = static_cast<std::size_t>(connections);
    if(cfg.hub_name.empty())
        return std::string("config: hub_name must not be empty");
    base = std::move(cfg);
    return std::nullopt;
}

std::optional<std::string>
load_config(std::string const& path, switch_config& base)
{
    std::ifstream in(path);
    if(!in)
        return "config: cannot read " + path;
    std::ostringstream text;
    text << in.rdbuf();
    return parse_config(text.str(), base);
}

} // namespace mojasim::central
