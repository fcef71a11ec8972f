#include "payment-hub/config.hpp"

#include "simulator/net/message.hpp"

#include "simulator/yaml/reader.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace mojasim::hub {

namespace {

template<class T>
T integer(yaml::reader const& r, YAML::Node const& n, std::string const& key, T min, T max)
{
    auto const s = r.text(n, key);
    long long v = 0;
    std::size_t used = 0;
    try
    {
        v = std::stoll(s, &used);
    }
    catch(std::exception const&)
    {
        r.fail(n, key + " must be an integer");
    }
    if(used != s.size() || v < static_cast<long long>(min) || static_cast<unsigned long long>(v) > static_cast<unsigned long long>(max))
        r.fail(n, key + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return static_cast<T>(v);
}

bool boolean(yaml::reader const& r, YAML::Node const& n, std::string const& key)
{
    auto s = r.text(n, key);
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if(s == "true" || s == "yes" || s == "on")
        return true;
    if(s == "false" || s == "no" || s == "off")
        return false;
    r.fail(n, key + " must be true or false");
}

std::chrono::milliseconds millis(yaml::reader const& r, YAML::Node const& n, std::string const& key)
{
    return std::chrono::milliseconds(integer<long long>(r, n, key, 0, 24LL * 3600 * 1000));
}

connector::party_id_type id_type(yaml::reader const& r, YAML::Node const& n, std::string const& key)
{
    auto s = r.text(n, key);
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    auto t = connector::party_id_type_from_string(s);
    if(!t)
        r.fail(n, key + " must be a party id type (MSISDN, EMAIL, PERSONAL_ID, BUSINESS, DEVICE, ACCOUNT_ID, IBAN, ALIAS)");
    return *t;
}

bool is_http_url(std::string const& s)
{
    return s.rfind("http://", 0) == 0 && s.size() > 7;
}

void read_tenants(yaml::reader const& r, YAML::Node const& n, hub_config& c)
{
    if(!n.IsMap())
        r.fail(n, "tenants must be a map of tenant name to {payer_fsp, connector_url}");
    for(auto const& kv : n)
    {
        auto const name = r.text(kv.first, "tenants");
        auto const key = "tenants." + name;
        if(!kv.second.IsMap())
            r.fail(kv.second, key + " must be a map");
        tenant_config t;
        for(auto const& f : kv.second)
        {
            auto const k = r.text(f.first, key);
            if(k == "payer_fsp")
                t.payer_fsp = r.text(f.second, key + ".payer_fsp");
            else if(k == "connector_url")
                t.connector_url = r.text(f.second, key + ".connector_url");
            else if(k == "flow")
            {
                t.flow = r.text(f.second, key + ".flow");
                if(t.flow != "bulk_processor" && t.flow != "bulk_processor_account_lookup")
                    r.fail(f.second, key + ".flow must be bulk_processor or bulk_processor_account_lookup");
            }
            else if(k == "mapper_url")
                t.mapper_url = r.text(f.second, key + ".mapper_url");
            else if(k == "registering_institution")
                t.registering_institution = r.text(f.second, key + ".registering_institution");
            else if(k == "lookup_timeout_ms")
                t.lookup_timeout = millis(r, f.second, key + ".lookup_timeout_ms");
            else
                r.fail(f.first, yaml::unknown_key(k, key, {"payer_fsp", "connector_url", "flow", "mapper_url",
                                                          "registering_institution", "lookup_timeout_ms"}));
        }
        if(t.payer_fsp.empty())
            t.payer_fsp = name;
        if(!is_http_url(t.connector_url))
            r.fail(kv.second, key + ".connector_url must be an http:// URL");
        while(t.connector_url.size() > 7 && t.connector_url.back() == '/')
            t.connector_url.pop_back();
        if(t.account_lookup() && !is_http_url(t.mapper_url))
            r.fail(kv.second, key + ".mapper_url must be an http:// URL (the account lookup flow asks the mapper)");
        while(t.mapper_url.size() > 7 && t.mapper_url.back() == '/')
            t.mapper_url.pop_back();
        c.tenants[name] = std::move(t);
    }
}

void read_modes(yaml::reader const& r, YAML::Node const& n, hub_config& c)
{
    if(!n.IsMap())
        r.fail(n, "payment_modes must be a map of payment mode to party id type");
    for(auto const& kv : n)
    {
        auto const mode = r.text(kv.first, "payment_modes");
        auto const type = id_type(r, kv.second, "payment_modes." + mode);
        auto it = std::find_if(c.payment_modes.begin(), c.payment_modes.end(),
                               [&](auto const& m) { return net::iequals(m.first, mode); });
        if(it != c.payment_modes.end())
            it->second = type;
        else
            c.payment_modes.emplace_back(mode, type);
    }
}

void read_mode_types(yaml::reader const& r, YAML::Node const& n, hub_config& c)
{
    if(!n.IsMap())
        r.fail(n, "payment_mode_types must be a map of payment mode to PAYMENT or BULK");
    for(auto const& kv : n)
    {
        auto mode = r.text(kv.first, "payment_mode_types");
        auto const t = r.text(kv.second, "payment_mode_types." + mode);
        payment_mode_type type = payment_mode_type::payment;
        if(net::iequals(t, "BULK"))
            type = payment_mode_type::bulk;
        else if(!net::iequals(t, "PAYMENT"))
            r.fail(kv.second, "payment_mode_types." + mode + " must be PAYMENT or BULK");
        std::transform(mode.begin(), mode.end(), mode.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
        // A BULK mode needs a party id type too: MSISDN unless payment_modes names one.
        if(std::none_of(c.payment_modes.begin(), c.payment_modes.end(),
                        [&](auto const& m) { return net::iequals(m.first, mode); }))
            c.payment_modes.emplace_back(mode, connector::party_id_type::msisdn);
        c.payment_mode_types[mode] = type;
    }
}

void read_institutions(yaml::reader const& r, YAML::Node const& n, hub_config& c)
{
    if(!n.IsSequence())
        r.fail(n, "registering_institutions must be a list");
    for(std::size_t i = 0; i < n.size(); ++i)
    {
        auto const key = "registering_institutions[" + std::to_string(i) + "]";
        auto const& item = n[i];
        if(!item.IsMap())
            r.fail(item, key + " must be a map with id and programs");
        registering_institution ri;
        for(auto const& f : item)
        {
            auto const k = r.text(f.first, key);
            if(k == "id")
                ri.id = r.text(f.second, key + ".id");
            else if(k == "programs")
            {
                if(!f.second.IsSequence())
                    r.fail(f.second, key + ".programs must be a list");
                for(std::size_t j = 0; j < f.second.size(); ++j)
                {
                    auto const pk = key + ".programs[" + std::to_string(j) + "]";
                    auto const& p = f.second[j];
                    if(!p.IsMap())
                        r.fail(p, pk + " must be a map");
                    std::string id;
                    program_account acc;
                    for(auto const& pf : p)
                    {
                        auto const name = r.text(pf.first, pk);
                        if(name == "id")
                            id = r.text(pf.second, pk + ".id");
                        else if(name == "name")
                            acc.name = r.text(pf.second, pk + ".name");
                        else if(name == "identifier_type")
                            acc.identifier_type = r.text(pf.second, pk + ".identifier_type");
                        else if(name == "identifier_value")
                            acc.identifier_value = r.text(pf.second, pk + ".identifier_value");
                        else
                            r.fail(pf.first, yaml::unknown_key(name, pk, {"id", "name", "identifier_type", "identifier_value"}));
                    }
                    if(id.empty() || acc.identifier_value.empty())
                        r.fail(p, pk + " needs id and identifier_value");
                    ri.programs[id] = std::move(acc);
                }
            }
            else
                r.fail(f.first, yaml::unknown_key(k, key, {"id", "programs"}));
        }
        if(ri.id.empty())
            r.fail(item, key + ".id is required");
        c.registering_institutions.push_back(std::move(ri));
    }
}

void read_oauth(yaml::reader const& r, YAML::Node const& n, hub_config& c)
{
    if(!n.IsMap())
        r.fail(n, "oauth must be a map");
    for(auto const& kv : n)
    {
        auto const k = r.text(kv.first, "oauth");
        auto const v = r.text(kv.second, "oauth." + k);
        if(k == "client_id")
            c.oauth_client_id = v;
        else if(k == "client_secret")
            c.oauth_client_secret = v;
        else if(k == "username")
            c.oauth_username = v;
        else if(k == "password")
            c.oauth_password = v;
        else
            r.fail(kv.first, yaml::unknown_key(k, "oauth", {"client_id", "client_secret", "username", "password"}));
    }
}

std::string path_key(yaml::reader const& r, YAML::Node const& n, std::string const& key)
{
    auto p = r.text(n, key);
    if(p.empty() || p.front() != '/')
        r.fail(n, key + " must start with '/'");
    return p;
}

// The keys of the hub's file (docs/payment-hub.md).
constexpr std::string_view root_keys[] = {
    "host", "bulk_port", "ops_port", "bulk_path", "bulk_paths", "public_ops_url", "lookup_callback_url", "type_check",
    "max_file_bytes", "max_body_bytes", "polling_path", "suggested_callback_seconds", "tenants",
    "payment_modes", "payment_mode_types", "registering_institutions", "max_in_flight", "payment_timeout_ms", "max_attempts",
    "retry_delay_ms", "amount_type", "callback_max_tries", "callback_retry_delay_ms", "callback_timeout_ms",
    "require_auth", "oauth", "max_batches", "name", "bulk_size", "bulk_in_flight", "bulk_poll_delay_ms",
    "bulk_max_poll_delay_ms", "bulk_timeout_ms", "bulk_expiration_ms", "bulk_auto_accept",
    "bulk_skip_known_lookup", "bulk_synchronous",
    "ingress_tenant", "ingress_payer_id_type",
    "ingress_payer_id", "interop_path", "interop_paths", "interop_timeout_ms", "g2p_sender_id",
    "ingress_mapper_url"};

hub_config
read_hub_config(yaml::reader const& r, YAML::Node root)
{
    hub_config c;
    if(!root || root.IsNull())
        return c;
    if(root.IsMap() && root["hub"])
        root = root["hub"];
    if(!root.IsMap())
        r.fail(root, "(root) must be a map");
    auto const at_root = root;

    for(auto const& kv : root)
    {
        auto const k = r.text(kv.first, "(root)");
        auto const& v = kv.second;
        if(k == "host")
            c.host = r.text(v, k);
        else if(k == "bulk_port")
            c.bulk_port = integer<std::uint16_t>(r, v, k, 0, 65535);
        else if(k == "ops_port")
            c.ops_port = integer<std::uint16_t>(r, v, k, 0, 65535);
        else if(k == "bulk_path")
            c.bulk_paths = {path_key(r, v, k)};
        else if(k == "bulk_paths")
        {
            if(!v.IsSequence() || v.size() == 0)
                r.fail(v, k + " must be a non-empty list of paths");
            c.bulk_paths.clear();
            for(std::size_t i = 0; i < v.size(); ++i)
                c.bulk_paths.push_back(path_key(r, v[i], k + "[" + std::to_string(i) + "]"));
        }
        else if(k == "public_ops_url")
            c.public_ops_url = r.text(v, k);
        else if(k == "lookup_callback_url")
            c.lookup_callback_url = r.text(v, k);
        else if(k == "type_check")
        {
            auto const s = r.text(v, k);
            if(s == "strict")
                c.lenient_type = false;
            else if(s == "lenient")
                c.lenient_type = true;
            else
                r.fail(v, k + " must be strict or lenient");
        }
        else if(k == "max_file_bytes")
            c.max_file_bytes = integer<std::size_t>(r, v, k, 1, std::size_t{1} << 30);
        else if(k == "max_body_bytes")
            c.max_body_bytes = integer<std::size_t>(r, v, k, 0, std::size_t{1} << 31);
        else if(k == "polling_path")
            c.polling_path = path_key(r, v, k);
        else if(k == "suggested_callback_seconds")
            c.suggested_callback_seconds = r.text(v, k);
        else if(k == "tenants")
            read_tenants(r, v, c);
        else if(k == "payment_modes")
            read_modes(r, v, c);
        else if(k == "payment_mode_types")
            read_mode_types(r, v, c);
        else if(k == "registering_institutions")
            read_institutions(r, v, c);
        else if(k == "bulk_size")
            c.bulk_size = integer<std::size_t>(r, v, k, 1, 1000);
        else if(k == "bulk_in_flight")
            c.bulk_in_flight = integer<std::size_t>(r, v, k, 1, 256);
        else if(k == "bulk_poll_delay_ms")
            c.bulk_poll_delay = millis(r, v, k);
        else if(k == "bulk_max_poll_delay_ms")
            c.bulk_max_poll_delay = millis(r, v, k);
        else if(k == "bulk_timeout_ms")
            c.bulk_timeout = millis(r, v, k);
        else if(k == "bulk_expiration_ms")
            c.bulk_expiration = millis(r, v, k);
        else if(k == "bulk_auto_accept")
            c.bulk_auto_accept = boolean(r, v, k);
        else if(k == "bulk_skip_known_lookup")
            c.bulk_skip_known_lookup = boolean(r, v, k);
        else if(k == "bulk_synchronous")
            c.bulk_synchronous = boolean(r, v, k);
        else if(k == "max_in_flight")
            c.max_in_flight = integer<std::size_t>(r, v, k, 1, 4096);
        else if(k == "payment_timeout_ms")
            c.payment_timeout = millis(r, v, k);
        else if(k == "max_attempts")
            c.max_attempts = integer<int>(r, v, k, 1, 100);
        else if(k == "retry_delay_ms")
            c.retry_delay = millis(r, v, k);
        else if(k == "amount_type")
        {
            auto const s = r.text(v, k);
            if(s != "SEND" && s != "RECEIVE")
                r.fail(v, k + " must be SEND or RECEIVE");
            c.amount_type = s;
        }
        else if(k == "callback_max_tries")
            c.callback_max_tries = integer<int>(r, v, k, 1, 100);
        else if(k == "callback_retry_delay_ms")
            c.callback_retry_delay = millis(r, v, k);
        else if(k == "callback_timeout_ms")
            c.callback_timeout = millis(r, v, k);
        else if(k == "require_auth")
            c.require_auth = boolean(r, v, k);
        else if(k == "oauth")
            read_oauth(r, v, c);
        else if(k == "max_batches")
            c.max_batches = integer<std::size_t>(r, v, k, 1, 1'000'000);
        else if(k == "name")
            c.name = r.text(v, k);
        else if(k == "ingress_tenant")
            c.ingress_tenant = r.text(v, k);
        else if(k == "ingress_payer_id_type")
            c.ingress_payer_id_type = std::string(connector::to_string(id_type(r, v, k)));
        else if(k == "ingress_payer_id")
            c.ingress_payer_id = r.text(v, k);
        else if(k == "interop_path")
            c.interop_paths = {path_key(r, v, k)};
        else if(k == "interop_paths")
        {
            if(!v.IsSequence())
                r.fail(v, k + " must be a list of paths");
            c.interop_paths.clear();
            for(std::size_t i = 0; i < v.size(); ++i)
                c.interop_paths.push_back(path_key(r, v[i], k + "[" + std::to_string(i) + "]"));
        }
        else if(k == "interop_timeout_ms")
            c.interop_timeout = millis(r, v, k);
        else if(k == "g2p_sender_id")
            c.g2p_sender_id = r.text(v, k);
        else if(k == "ingress_mapper_url")
        {
            c.ingress_mapper_url = r.text(v, k);
            if(!c.ingress_mapper_url.empty() && !is_http_url(c.ingress_mapper_url))
                r.fail(v, k + " must be an http:// URL");
        }
        else
            r.fail(kv.first, yaml::unknown_key(k, "the hub config", root_keys));
    }
    if(!c.ingress_tenant.empty() && !c.tenants.contains(c.ingress_tenant))
        r.fail(at_root["ingress_tenant"], "ingress_tenant '" + c.ingress_tenant + "' is not one of tenants");
    return c;
}

} // namespace

std::string_view to_string(payment_mode_type t) noexcept
{
    return t == payment_mode_type::bulk ? "BULK" : "PAYMENT";
}

payment_mode_type
hub_config::mode_type(std::string_view mode) const
{
    for(auto const& [id, type] : payment_mode_types)
        if(net::iequals(id, mode))
            return type;
    return payment_mode_type::payment;
}

std::pair<std::string const, tenant_config> const*
hub_config::ingress_tenant_entry() const
{
    auto it = ingress_tenant.empty() ? tenants.begin() : tenants.find(ingress_tenant);
    return it == tenants.end() ? nullptr : &*it;
}

program_account const*
hub_config::find_program(std::string_view institution, std::string_view program) const
{
    for(auto const& ri : registering_institutions)
    {
        if(ri.id != institution)
            continue;
        auto it = ri.programs.find(std::string(program));
        return it == ri.programs.end() ? nullptr : &it->second;
    }
    return nullptr;
}

hub_config
parse_hub_config(std::string_view yaml, std::string const& source)
{
    yaml::reader const r(source);
    return read_hub_config(r, yaml::load(yaml, source));
}

hub_config
load_hub_config(std::string const& path)
{
    std::ifstream in(path, std::ios::binary);
    if(!in)
        throw yaml::error(path, 0, 0, "cannot read the file");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_hub_config(text.str(), path);
}

} // namespace mojasim::hub
