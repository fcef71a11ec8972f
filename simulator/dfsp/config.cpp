#include "simulator/dfsp/config.hpp"

#include "simulator/core/clock.hpp"
#include "simulator/fspiop/validate.hpp"
#include "simulator/yaml/jws_section.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

namespace mojasim::dfsp {

namespace {

using yaml::reader;

fee_rule read_fee(reader const& r, YAML::Node const& n)
{
    r.require_map(n, "fee");
    r.only_keys(n, "a fee", {"fixed", "percent", "min", "max"});
    fee_rule f;
    if(auto const v = r.amount_opt(n, "fixed"))
        f.fixed = *v;
    if(auto const v = r.amount_opt(n, "percent"))
        f.percent = *v;
    f.min = r.amount_opt(n, "min");
    f.max = r.amount_opt(n, "max");
    if(f.fixed.is_negative() || f.percent.is_negative() || (f.min && f.min->is_negative()) ||
       (f.max && f.max->is_negative()))
        r.fail(n, "fee values must not be negative");
    if(f.min && f.max && *f.min > *f.max)
        r.fail(n, "fee min is above max");
    return f;
}

party_config read_party(reader const& r, YAML::Node const& n)
{
    r.require_map(n, "a party");
    r.only_keys(n, "a party", {"id_type", "id", "sub_id", "display_name", "first_name", "middle_name", "last_name",
                    "date_of_birth", "account", "balance"});
    party_config p;
    auto const type_text = r.text_or(n, "id_type", "MSISDN");
    auto const type = fspiop::from_string<fspiop::party_id_type>(type_text);
    if(!type)
        r.fail(n["id_type"], "id_type '" + type_text + "' is not a PartyIdType (MSISDN, EMAIL, PERSONAL_ID, ...)");
    p.id_type = *type;
    if(!n["id"])
        r.fail(n, "a party needs an id");
    p.id = r.text(n["id"], "id");
    p.sub_id = r.text_or(n, "sub_id", "");
    p.display_name = r.text_or(n, "display_name", "");
    p.first_name = r.text_or(n, "first_name", "");
    p.middle_name = r.text_or(n, "middle_name", "");
    p.last_name = r.text_or(n, "last_name", "");
    p.date_of_birth = r.text_or(n, "date_of_birth", "");
    p.account = r.text_or(n, "account", "");
    if(auto const problem = check_party(p); !problem.empty())
        r.fail(n, problem);
    return p;
}

} // namespace

std::string check_party(party_config const& p)
{
    if(!fspiop::is_party_identifier(p.id) || p.id.find_first_of("/?") != std::string::npos)
        return "party id must be 1 to 128 characters without '/' or '?'";
    if(!p.sub_id.empty() && (!fspiop::is_party_sub_id_or_type(p.sub_id) || p.sub_id.find_first_of("/?") != std::string::npos))
        return "party sub_id must be 1 to 128 characters without '/' or '?'";
    if(!p.display_name.empty() && !fspiop::is_party_name(p.display_name))
        return "display_name must be 1 to 128 characters";
    for(auto const* name : {&p.first_name, &p.middle_name, &p.last_name})
        if(!name->empty() && !fspiop::is_name(*name))
            return "'" + *name + "' is not a valid FSPIOP name";
    if(!p.date_of_birth.empty() && !fspiop::is_date(p.date_of_birth))
        return "date_of_birth must be a date yyyy-MM-dd";
    return {};
}

fault_rule parse_fault_rule(YAML::Node const& n, std::string const& source)
{
    reader const r(source);
    r.require_map(n, "a fault rule");
    r.only_keys(n, "a fault rule", {"id", "step", "party", "amount", "amount_min", "amount_max", "every", "item", "action",
                    "error_code", "error_description", "delay_ms", "times", "enabled"});
    fault_rule f;
    f.id = r.text_or(n, "id", "");
    auto const step = r.text_or(n, "step", "any");
    auto const s = fault_step_from_string(step);
    if(!s)
        r.fail(n["step"], "step must be one of any, lookup, quote, transfer, bulk_quote, bulk_transfer");
    f.step = *s;
    f.party = r.text_or(n, "party", "");
    f.amount = r.amount_opt(n, "amount");
    f.amount_min = r.amount_opt(n, "amount_min");
    f.amount_max = r.amount_opt(n, "amount_max");
    f.every = r.number_or<std::uint32_t>(n, "every", 1);
    if(n["item"])
        f.item = static_cast<std::uint32_t>(r.unsigned_number(n["item"], "item", 1'000));
    if(!n["action"])
        r.fail(n, "a fault rule needs an action (error, delay, no_callback, duplicate_callback, wrong_fulfilment, "
                  "malformed_body, forged_signature)");
    auto const action = r.text(n["action"], "action");
    auto const a = fault_action_from_string(action);
    if(!a)
        r.fail(n["action"], "action must be one of error, delay, no_callback, duplicate_callback, wrong_fulfilment, "
                            "malformed_body, forged_signature");
    f.action = *a;
    f.error_code = r.text_or(n, "error_code", "");
    f.error_description = r.text_or(n, "error_description", "");
    f.delay = r.ms_or(n, "delay_ms", std::chrono::milliseconds{0});
    if(n["times"])
        f.times = static_cast<std::uint32_t>(r.unsigned_number(n["times"], "times", 1'000'000'000));
    f.enabled = r.boolean_or(n, "enabled", true);
    if(auto const problem = f.check(); !problem.empty())
        r.fail(n, problem);
    return f;
}

std::string_view to_string(request_policy p) noexcept
{
    switch(p)
    {
    case request_policy::accept: return "accept";
    case request_policy::reject: return "reject";
    case request_policy::authorize: return "authorize";
    }
    return "accept";
}

std::optional<request_policy> request_policy_from_string(std::string_view s) noexcept
{
    for(auto const p : {request_policy::accept, request_policy::reject, request_policy::authorize})
        if(to_string(p) == s)
            return p;
    return std::nullopt;
}

namespace {

void read_jws(reader const& r, YAML::Node const& n, std::string const& source, jws_config& jws)
{
    r.require_map(n, "jws");
    r.only_keys(n, "jws", {"sign", "validate", "private_key_file", "public_keys", "hub_name"});
    yaml::read_jws_settings(r, n, source, jws);
    jws.hub_name = r.text_or(n, "hub_name", jws.hub_name);
}

} // namespace

config parse_config(std::string_view yaml, std::string const& source)
{
    auto const root = yaml::load(yaml, source);
    reader const r(source);
    r.require_map(root, "the DFSP description");
    r.only_keys(root, "the DFSP description", {"fsp_id", "currency", "ilp_secret", "listen", "switch", "onboarding", "payee", "connector",
                       "transaction_requests", "accounts", "parties", "faults", "jws"});

    config c;
    if(!root["fsp_id"])
        r.fail(root, "fsp_id is required");
    c.fsp_id = r.text(root["fsp_id"], "fsp_id");
    if(!fspiop::is_fsp_id(c.fsp_id))
        r.fail(root["fsp_id"], "fsp_id must be 1 to 32 characters");
    if(!root["currency"])
        r.fail(root, "currency is required");
    c.currency = r.text(root["currency"], "currency");
    if(!core::is_currency(c.currency))
        r.fail(root["currency"], "currency '" + c.currency + "' is not an ISO 4217 code");
    c.ilp_secret = r.text_or(root, "ilp_secret", "");
    if(c.ilp_secret.empty())
        r.fail(root, "ilp_secret is required (the payee's HMAC key for fulfilments)");

    if(auto const n = root["listen"])
    {
        r.require_map(n, "listen");
        r.only_keys(n, "listen", {"host", "fspiop_port", "test_port", "test_api"});
        c.listen.host = r.text_or(n, "host", c.listen.host);
        c.listen.fspiop_port = r.number_or<std::uint16_t>(n, "fspiop_port", 0);
        c.listen.test_port = r.number_or<std::uint16_t>(n, "test_port", 0);
        c.listen.test_api = r.boolean_or(n, "test_api", true);
    }
    if(auto const n = root["switch"])
    {
        r.require_map(n, "switch");
        r.only_keys(n, "switch", {"fspiop_url", "als_url", "quotes_url", "transfers_url", "admin_url", "callback_url"});
        c.switch_api.fspiop_url = r.text_or(n, "fspiop_url", "");
        c.switch_api.als_url = r.text_or(n, "als_url", "");
        c.switch_api.quotes_url = r.text_or(n, "quotes_url", "");
        c.switch_api.transfers_url = r.text_or(n, "transfers_url", "");
        c.switch_api.admin_url = r.text_or(n, "admin_url", "");
        c.switch_api.callback_url = r.text_or(n, "callback_url", "");
        for(auto const* url : {&c.switch_api.fspiop_url, &c.switch_api.als_url, &c.switch_api.quotes_url,
                               &c.switch_api.transfers_url, &c.switch_api.admin_url, &c.switch_api.callback_url})
            if(!url->empty() && url->rfind("http://", 0) != 0)
                r.fail(n, "switch URLs must start with http:// ('" + *url + "')");
        while(!c.switch_api.callback_url.empty() && c.switch_api.callback_url.back() == '/')
            c.switch_api.callback_url.pop_back();
    }
    if(auto const n = root["onboarding"])
    {
        r.require_map(n, "onboarding");
        r.only_keys(n, "onboarding", {"net_debit_cap", "initial_position", "funds_in", "register_parties", "timeout_ms"});
        if(auto const v = r.amount_opt(n, "net_debit_cap"))
            c.onboarding.net_debit_cap = *v;
        if(auto const v = r.amount_opt(n, "initial_position"))
            c.onboarding.initial_position = *v;
        if(auto const v = r.amount_opt(n, "funds_in"))
            c.onboarding.funds_in = *v;
        c.onboarding.register_parties = r.boolean_or(n, "register_parties", true);
        c.onboarding.timeout = r.ms_or(n, "timeout_ms", c.onboarding.timeout);
    }
    if(auto const n = root["payee"])
    {
        r.require_map(n, "payee");
        r.only_keys(n, "payee", {"fee", "fee_account", "fulfil_state", "quote_expiry_seconds", "check_ilp", "quote_memory"});
        if(n["fee"])
            c.payee.fee = read_fee(r, n["fee"]);
        c.payee.fee_account = r.text_or(n, "fee_account", "");
        auto const state = r.text_or(n, "fulfil_state", "COMMITTED");
        if(state == "COMMITTED")
            c.payee.mode = fulfil_mode::committed;
        else if(state == "RESERVED")
            c.payee.mode = fulfil_mode::reserved;
        else
            r.fail(n["fulfil_state"], "fulfil_state must be COMMITTED or RESERVED");
        c.payee.quote_expiry = r.seconds_or(n, "quote_expiry_seconds", c.payee.quote_expiry);
        c.payee.check_ilp = r.boolean_or(n, "check_ilp", true);
        c.payee.quote_memory = r.number_or<std::size_t>(n, "quote_memory", c.payee.quote_memory);
        for(auto const* v : {&c.payee.fee.fixed, c.payee.fee.min ? &*c.payee.fee.min : nullptr,
                             c.payee.fee.max ? &*c.payee.fee.max : nullptr})
            if(v && !fits_currency(*v, c.currency))
                r.fail(n["fee"], "fee amounts must fit the minor unit of " + c.currency);
    }
    if(auto const n = root["connector"])
    {
        r.require_map(n, "connector");
        r.only_keys(n, "connector", {"enabled", "port", "auto_accept_party", "auto_accept_quote", "payer_account",
                        "party_timeout_ms", "quote_timeout_ms", "transfer_grace_ms", "quote_expiry_seconds",
                        "prepare_expiry_seconds", "keep_finished", "bulk_concurrency", "bulk_max_items",
                        "keep_bulk_items"});
        auto& k = c.connector;
        k.enabled = r.boolean_or(n, "enabled", true);
        k.port = r.number_or<std::uint16_t>(n, "port", 0);
        k.auto_accept_party = r.boolean_or(n, "auto_accept_party", true);
        k.auto_accept_quote = r.boolean_or(n, "auto_accept_quote", true);
        k.payer_account = r.text_or(n, "payer_account", "");
        k.party_timeout = r.ms_or(n, "party_timeout_ms", k.party_timeout);
        k.quote_timeout = r.ms_or(n, "quote_timeout_ms", k.quote_timeout);
        k.transfer_grace = r.ms_or(n, "transfer_grace_ms", k.transfer_grace);
        k.quote_expiry = r.seconds_or(n, "quote_expiry_seconds", k.quote_expiry);
        k.prepare_expiry = r.seconds_or(n, "prepare_expiry_seconds", k.prepare_expiry);
        k.keep_finished = r.number_or<std::size_t>(n, "keep_finished", k.keep_finished);
        k.bulk_concurrency = r.number_or<std::size_t>(n, "bulk_concurrency", k.bulk_concurrency);
        if(k.bulk_concurrency == 0)
            r.fail(n["bulk_concurrency"], "bulk_concurrency must be at least 1");
        k.bulk_max_items = r.number_or<std::size_t>(n, "bulk_max_items", k.bulk_max_items);
        if(k.bulk_max_items == 0 || k.bulk_max_items > 1000)
            r.fail(n["bulk_max_items"], "bulk_max_items must be 1 to 1000 (the hub's limit per bulk)");
        k.keep_bulk_items = r.number_or<std::size_t>(n, "keep_bulk_items", k.keep_bulk_items);
        if(k.prepare_expiry.count() == 0)
            r.fail(n, "prepare_expiry_seconds must be at least 1");
    }

    if(auto const n = root["transaction_requests"])
    {
        r.require_map(n, "transaction_requests");
        r.only_keys(n, "transaction_requests", {"policy", "otp", "timeout_ms"});
        auto& k = c.transaction_requests;
        auto const policy = r.text_or(n, "policy", "accept");
        if(auto const p = request_policy_from_string(policy))
            k.policy = *p;
        else
            r.fail(n["policy"], "transaction_requests.policy must be accept, reject or authorize");
        k.otp = r.text_or(n, "otp", k.otp);
        if(!fspiop::is_otp_value(k.otp))
            r.fail(n["otp"], "transaction_requests.otp must be 3 to 10 digits");
        k.timeout = r.ms_or(n, "timeout_ms", k.timeout);
    }

    std::set<std::string, std::less<>> account_ids;
    if(auto const n = root["accounts"])
    {
        if(!n.IsSequence())
            r.fail(n, "accounts must be a list");
        for(auto const& a : n)
        {
            r.require_map(a, "an account");
            r.only_keys(a, "an account", {"id", "balance"});
            account_config ac;
            if(!a["id"])
                r.fail(a, "an account needs an id");
            ac.id = r.text(a["id"], "id");
            if(ac.id.empty() || ac.id.find_first_of("/?") != std::string::npos)
                r.fail(a["id"], "account id must be non-empty, without '/' or '?'");
            if(auto const v = r.amount_opt(a, "balance"))
                ac.balance = *v;
            if(!fits_currency(ac.balance, c.currency))
                r.fail(a, "balance must fit the minor unit of " + c.currency);
            if(!account_ids.insert(ac.id).second)
                r.fail(a["id"], "account '" + ac.id + "' is listed twice");
            c.accounts.push_back(std::move(ac));
        }
    }

    std::set<std::string, std::less<>> party_keys;
    if(auto const n = root["parties"])
    {
        if(!n.IsSequence())
            r.fail(n, "parties must be a list");
        for(auto const& node : n)
        {
            auto p = read_party(r, node);
            auto key = party_key(fspiop::to_string(p.id_type), p.id, p.sub_id);
            if(!party_keys.insert(key).second)
                r.fail(node, "party " + key + " is listed twice");
            // A party without an account gets its own, named after its identifier.
            if(p.account.empty())
                p.account = p.sub_id.empty() ? p.id : p.id + "-" + p.sub_id;
            if(!account_ids.contains(p.account))
            {
                account_config ac;
                ac.id = p.account;
                if(auto const v = r.amount_opt(node, "balance"))
                    ac.balance = *v;
                account_ids.insert(ac.id);
                c.accounts.push_back(std::move(ac));
            }
            else if(node["balance"])
                r.fail(node["balance"], "balance belongs to the account '" + p.account + "', listed under accounts");
            c.parties.push_back(std::move(p));
        }
    }
    if(!c.payee.fee_account.empty() && !account_ids.contains(c.payee.fee_account))
    {
        c.accounts.push_back(account_config{c.payee.fee_account, {}});
        account_ids.insert(c.payee.fee_account);
    }
    if(!c.connector.payer_account.empty() && !account_ids.contains(c.connector.payer_account))
        r.fail(root["connector"], "connector.payer_account '" + c.connector.payer_account + "' is not an account");

    if(auto const n = root["faults"])
    {
        if(!n.IsSequence())
            r.fail(n, "faults must be a list");
        for(auto const& f : n)
            c.faults.push_back(parse_fault_rule(f, source));
    }
    if(auto const n = root["jws"])
        read_jws(r, n, source, c.jws);
    return c;
}

config load_config(std::string const& path)
{
    std::ifstream in(path, std::ios::binary);
    if(!in)
        throw config_error(path, 0, 0, "cannot read the file");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_config(text.str(), path);
}

fault_rule_result parse_fault_rule_text(std::string_view text)
{
    fault_rule_result out;
    try
    {
        out.rule = parse_fault_rule(YAML::Load(std::string(text)), "body");
    }
    catch(config_error const& e)
    {
        out.error = e.what();
    }
    catch(YAML::Exception const& e)
    {
        out.error = e.what();
    }
    return out;
}

fault_rules_result parse_fault_rules_text(std::string_view text)
{
    fault_rules_result out;
    try
    {
        auto const root = YAML::Load(std::string(text));
        if(!root.IsSequence())
        {
            out.error = "body: the rules must be a list";
            return out;
        }
        std::vector<fault_rule> rules;
        for(auto const& n : root)
            rules.push_back(parse_fault_rule(n, "body"));
        out.rules = std::move(rules);
    }
    catch(config_error const& e)
    {
        out.error = e.what();
    }
    catch(YAML::Exception const& e)
    {
        out.error = e.what();
    }
    return out;
}

std::string party_key(std::string_view type, std::string_view id, std::string_view sub_id)
{
    std::string k(type);
    k.append("/").append(id);
    if(!sub_id.empty())
        k.append("/").append(sub_id);
    return k;
}

} // namespace mojasim::dfsp
