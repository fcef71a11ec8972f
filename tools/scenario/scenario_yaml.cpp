// YAML -> scenario, with every error at its file:line:column. Unknown keys are errors: a typo
// must not silently turn an expectation off.
#include "tools/scenario/scenario.hpp"

#include "simulator/dfsp/config.hpp"
#include "simulator/yaml/reader.hpp"

#include "simulator/net/message.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace mojasim::scenario {

std::string load_error::to_string() const
{
    if(pos.line == 0)
        return file + ": " + message; // about the whole file (it cannot be read)
    return file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) + ": " + message;
}

namespace {

namespace json = boost::json;

// Collects errors; every reader returns a default on error so one pass finds them all.
class reader
{
public:
    explicit reader(std::string file) : file_(std::move(file)) {}

    std::vector<load_error> errors;

    static position pos_of(YAML::Node const& n)
    {
        auto const m = n.Mark();
        return {m.line + 1, m.column + 1};
    }

    void fail(YAML::Node const& n, std::string message) { errors.push_back({file_, pos_of(n), std::move(message)}); }

    bool is_map(YAML::Node const& n, std::string_view what)
    {
        if(n.IsMap())
            return true;
        fail(n, std::string(what) + " must be a mapping");
        return false;
    }

    // Fails on any key of `n` not in `known`.
    void only(YAML::Node const& n, std::string_view what, std::initializer_list<std::string_view> known)
    {
        for(auto const& kv : n)
        {
            auto const key = kv.first.as<std::string>("");
            bool ok = false;
            for(auto k : known)
                ok = ok || k == key;
            if(!ok)
                fail(kv.first, yaml::unknown_key(key, what, known));
        }
    }

    // Reads `key` of `n` into `out` with `read` (text, money, ...) when the key is there.
    template <typename T, typename Read>
    void field(YAML::Node const& n, char const* key, T& out, Read read)
    {
        if(auto v = n[key])
            out = (this->*read)(v, key);
    }

    std::string text(YAML::Node const& n, std::string_view what)
    {
        if(!n.IsScalar())
        {
            fail(n, std::string(what) + " must be a scalar");
            return {};
        }
        return n.Scalar();
    }

    decimal money(YAML::Node const& n, std::string_view what)
    {
        auto const s = text(n, what);
        auto d = decimal::parse(s);
        if(!d && !s.empty())
            fail(n, std::string(what) + ": '" + s + "' is not a decimal amount");
        return d.value_or(decimal{});
    }

    bool boolean(YAML::Node const& n, std::string_view what)
    {
        auto const s = text(n, what);
        if(s == "true" || s == "yes" || s == "on")
            return true;
        if(s == "false" || s == "no" || s == "off")
            return false;
        fail(n, std::string(what) + " must be true or false");
        return false;
    }

    std::uint64_t count(YAML::Node const& n, std::string_view what)
    {
        auto const s = text(n, what);
        std::uint64_t v = 0;
        auto const [p, e] = std::from_chars(s.data(), s.data() + s.size(), v);
        if(e != std::errc{} || p != s.data() + s.size())
            fail(n, std::string(what) + " must be a whole number");
        return v;
    }

    // "250ms", "2s", "1.5s", "1m" or a plain number of milliseconds.
    milliseconds duration(YAML::Node const& n, std::string_view what)
    {
        auto const s = text(n, what);
        double value = 0;
        std::size_t used = 0;
        try
        {
            value = std::stod(s, &used);
        }
        catch(std::exception const&)
        {
            used = 0;
        }
        std::string_view const unit = std::string_view(s).substr(used);
        double scale = 0;
        if(unit.empty() || unit == "ms")
            scale = 1;
        else if(unit == "s")
            scale = 1000;
        else if(unit == "m" || unit == "min")
            scale = 60'000;
        if(used == 0 || scale == 0 || value < 0)
        {
            fail(n, std::string(what) + ": '" + s + "' is not a duration (e.g. 250ms, 2s, 1m)");
            return milliseconds{0};
        }
        return milliseconds{static_cast<std::int64_t>(value * scale)};
    }

private:
    std::string file_;
};

// A YAML node as a JSON value. A plain scalar that reads as a number, true, false or null
// stays one; a quoted scalar ("123") is a string.
json::value json_of(YAML::Node const& n)
{
    if(n.IsMap())
    {
        json::object o;
        for(auto const& kv : n)
            o[kv.first.as<std::string>("")] = json_of(kv.second);
        return o;
    }
    if(n.IsSequence())
    {
        json::array a;
        for(auto const& x : n)
            a.push_back(json_of(x));
        return a;
    }
    if(!n.IsScalar())
        return nullptr;
    auto const& s = n.Scalar();
    if(n.Tag() == "?")
    {
        if(s == "true" || s == "false")
            return s == "true";
        if(s == "null" || s == "~")
            return nullptr;
        json::error_code ec;
        auto v = json::parse(s, ec);
        if(!ec && v.is_number())
            return v;
    }
    return json::string(s);
}

// A payee fee: "0.5" (fixed), "1.5%" (of the amount) or { fixed, percent, min, max }.
dfsp::fee_rule read_fee(reader& r, YAML::Node const& n)
{
    dfsp::fee_rule fee;
    if(n.IsMap())
    {
        r.only(n, "fee", {"fixed", "percent", "min", "max"});
        r.field(n, "fixed", fee.fixed, &reader::money);
        r.field(n, "percent", fee.percent, &reader::money);
        if(auto v = n["min"])
            fee.min = r.money(v, "fee.min");
        if(auto v = n["max"])
            fee.max = r.money(v, "fee.max");
    }
    else
    {
        auto text = r.text(n, "fee");
        bool const percent = !text.empty() && text.back() == '%';
        if(percent)
            text.pop_back();
        auto const d = decimal::parse(text);
        if(!d)
            r.fail(n, "fee: '" + n.Scalar() + "' is not an amount (\"0.5\"), a percentage (\"1.5%\") or a mapping");
        (percent ? fee.percent : fee.fixed) = d.value_or(decimal{});
    }
    if(fee.fixed.is_negative() || fee.percent.is_negative() || (fee.min && fee.max && *fee.max < *fee.min))
        r.fail(n, "fee: amounts must not be negative, and min must not exceed max");
    return fee;
}

void read_topology(reader& r, YAML::Node const& n, topology& t)
{
    if(!r.is_map(n, "topology"))
        return;
    r.only(n, "topology", {"currency", "hub_name", "expiry_sweep", "transfer_expiry", "connector_timeout",
                           "hub_concurrency", "hub_lenient", "hub_mode", "hub_bulk_size", "jws", "payer", "payees",
                           "mapper", "openg2p"});
    if(auto v = n["currency"])
    {
        t.currency = r.text(v, "currency");
        if(!core::is_currency(t.currency))
            r.fail(v, "currency '" + t.currency + "' is not an ISO 4217 code");
    }
    r.field(n, "hub_name", t.hub_name, &reader::text);
    r.field(n, "expiry_sweep", t.expiry_sweep, &reader::duration);
    r.field(n, "transfer_expiry", t.transfer_expiry, &reader::duration);
    r.field(n, "connector_timeout", t.connector_timeout, &reader::duration);
    if(auto v = n["hub_concurrency"])
        t.hub_concurrency = static_cast<std::size_t>(r.count(v, "hub_concurrency"));
    r.field(n, "hub_lenient", t.hub_lenient, &reader::boolean);
    if(auto v = n["hub_mode"])
    {
        auto const mode = r.text(v, "hub_mode");
        if(mode != "bulk" && mode != "individual")
            r.fail(v, "hub_mode must be individual or bulk");
        t.hub_bulk = mode == "bulk";
    }
    if(auto v = n["hub_bulk_size"])
    {
        t.hub_bulk_size = static_cast<std::size_t>(r.count(v, "hub_bulk_size"));
        if(t.hub_bulk_size == 0 || t.hub_bulk_size > 1000)
            r.fail(v, "hub_bulk_size must be 1 to 1000");
    }
    r.field(n, "jws", t.jws, &reader::boolean);
    if(auto p = n["payer"]; p && r.is_map(p, "payer"))
    {
        r.only(p, "payer", {"fsp", "tenant", "msisdn", "account", "balance", "liquidity", "ndc", "transaction_requests"});
        if(auto v = p["fsp"])
            t.payer.fsp = r.text(v, "payer.fsp");
        if(auto v = p["tenant"])
            t.payer.tenant = r.text(v, "payer.tenant");
        if(auto v = p["msisdn"])
            t.payer.msisdn = r.text(v, "payer.msisdn");
        if(auto v = p["account"])
            t.payer.account = r.text(v, "payer.account");
        if(auto v = p["balance"])
            t.payer.balance = r.money(v, "payer.balance");
        if(auto v = p["liquidity"])
            t.payer.liquidity = r.money(v, "payer.liquidity");
        if(auto v = p["ndc"])
            t.payer.ndc = r.money(v, "payer.ndc");
        if(auto v = p["transaction_requests"])
        {
            t.payer.transaction_requests = r.text(v, "payer.transaction_requests");
            if(t.payer.transaction_requests != "accept" && t.payer.transaction_requests != "reject" &&
               t.payer.transaction_requests != "authorize")
                r.fail(v, "payer.transaction_requests must be accept, reject or authorize");
        }
    }
    if(auto m = n["mapper"]; m && r.is_map(m, "mapper"))
    {
        r.only(m, "mapper", {"lookup", "institution", "timeout", "lost_callbacks", "reachable"});
        r.field(m, "lookup", t.mapper.lookup, &reader::boolean);
        r.field(m, "institution", t.mapper.institution, &reader::text);
        r.field(m, "timeout", t.mapper.timeout, &reader::duration);
        r.field(m, "lost_callbacks", t.mapper.lost_callbacks, &reader::boolean);
        r.field(m, "reachable", t.mapper.reachable, &reader::boolean);
    }
    if(auto o = n["openg2p"]; o && r.is_map(o, "openg2p"))
    {
        r.only(o, "openg2p", {"manager", "payee_mode", "payee_prefix", "payee_suffix", "reconcile"});
        r.field(o, "manager", t.openg2p.manager, &reader::text);
        r.field(o, "payee_mode", t.openg2p.payee_mode, &reader::text);
        r.field(o, "payee_prefix", t.openg2p.payee_prefix, &reader::text);
        if(o["payee_suffix"])
            t.openg2p.payee_suffix = r.text(o["payee_suffix"], "openg2p.payee_suffix");
        if(t.openg2p.manager != "phee" && t.openg2p.manager != "g2p_connect" && t.openg2p.manager != "interop")
            r.fail(o["manager"], "openg2p.manager must be phee, g2p_connect or interop");
        if(t.openg2p.payee_mode != "phone" && t.openg2p.payee_mode != "reg_id")
            r.fail(o["payee_mode"], "openg2p.payee_mode must be phone or reg_id");
        r.field(o, "reconcile", t.openg2p.reconcile, &reader::text);
        if(t.openg2p.reconcile != "polling" && t.openg2p.reconcile != "on_disburse")
            r.fail(o["reconcile"], "openg2p.reconcile must be polling or on_disburse");
        else if(t.openg2p.reconcile == "on_disburse" && t.openg2p.manager != "g2p_connect")
            r.fail(o["reconcile"], "openg2p.reconcile: on_disburse needs manager: g2p_connect");
    }
    if(auto ps = n["payees"])
    {
        if(!ps.IsSequence() || ps.size() == 0)
        {
            r.fail(ps, "payees must be a non-empty list");
            return;
        }
        t.payees.clear();
        for(auto const& p : ps)
        {
            payee_bank b;
            b.pos = reader::pos_of(p);
            if(!r.is_map(p, "a payee bank"))
                continue;
            r.only(p, "a payee bank", {"fsp", "liquidity", "ndc", "fee", "reserved_fulfil"});
            r.field(p, "fsp", b.fsp, &reader::text);
            r.field(p, "liquidity", b.liquidity, &reader::money);
            r.field(p, "ndc", b.ndc, &reader::money);
            if(auto f = p["fee"])
                b.fee = read_fee(r, f);
            r.field(p, "reserved_fulfil", b.reserved_fulfil, &reader::boolean);
            if(b.fsp == t.payer.fsp)
                r.fail(p, "payee bank '" + b.fsp + "' is also the payer bank");
            t.payees.push_back(std::move(b));
        }
    }
}

std::string zero_pad(std::uint64_t i, std::size_t width)
{
    std::string s = std::to_string(i);
    if(s.size() < width)
        s.insert(0, width - s.size(), '0');
    return s;
}

void read_beneficiaries(reader& r, YAML::Node const& n, scenario& sc)
{
    if(!n.IsSequence())
    {
        r.fail(n, "beneficiaries must be a list");
        return;
    }
    std::string const default_fsp = sc.world.payees.front().fsp;
    for(auto const& item : n)
    {
        if(!r.is_map(item, "a beneficiary"))
            continue;
        if(auto g = item["generate"])
        {
            r.only(item, "a generated group", {"generate"});
            if(!r.is_map(g, "generate"))
                continue;
            r.only(g, "generate", {"count", "prefix", "fsp", "amount", "name", "start", "national_id_prefix"});
            auto const cnt = g["count"] ? r.count(g["count"], "count") : 0;
            if(!g["count"] || cnt == 0 || cnt > 1'000'000)
                r.fail(g, "generate needs a count between 1 and 1000000");
            std::string const prefix = g["prefix"] ? r.text(g["prefix"], "prefix") : "0495";
            std::uint64_t const start = g["start"] ? r.count(g["start"], "start") : 1;
            beneficiary proto;
            proto.fsp = g["fsp"] ? r.text(g["fsp"], "fsp") : default_fsp;
            r.field(g, "amount", proto.amount, &reader::money);
            r.field(g, "name", proto.name, &reader::text);
            proto.pos = reader::pos_of(item);
            std::size_t const width = prefix.size() < 10 ? 10 - prefix.size() : 1;
            for(std::uint64_t i = 0; i < cnt && i <= 1'000'000; ++i)
            {
                beneficiary b = proto;
                b.msisdn = prefix + zero_pad(start + i, width);
                if(g["national_id_prefix"])
                    b.national_id = r.text(g["national_id_prefix"], "national_id_prefix") + zero_pad(start + i, width);
                sc.beneficiaries.push_back(std::move(b));
            }
            continue;
        }
        r.only(item, "a beneficiary", {"msisdn", "fsp", "name", "amount", "registered", "request_id", "national_id", "mapped"});
        beneficiary b;
        b.pos = reader::pos_of(item);
        b.fsp = default_fsp;
        if(auto v = item["msisdn"])
            b.msisdn = r.text(v, "msisdn");
        else
            r.fail(item, "a beneficiary needs an msisdn");
        r.field(item, "fsp", b.fsp, &reader::text);
        r.field(item, "name", b.name, &reader::text);
        r.field(item, "amount", b.amount, &reader::money);
        r.field(item, "registered", b.registered, &reader::boolean);
        r.field(item, "request_id", b.request_id, &reader::text);
        r.field(item, "national_id", b.national_id, &reader::text);
        r.field(item, "mapped", b.mapped, &reader::boolean);
        sc.beneficiaries.push_back(std::move(b));
    }
}

void read_faults(reader& r, YAML::Node const& n, scenario& sc, std::string const& file)
{
    if(!n.IsSequence())
    {
        r.fail(n, "faults must be a list");
        return;
    }
    std::size_t index = 0;
    for(auto item : n)
    {
        ++index;
        if(!r.is_map(item, "a fault"))
            continue;
        fault f;
        f.pos = reader::pos_of(item);
        f.dfsp = sc.world.payees.front().fsp;
        if(auto v = item["dfsp"])
        {
            f.dfsp = r.text(v, "dfsp");
            item.remove("dfsp");
        }
        // The rest is a DFSP fault rule, in the DFSP's own words (docs/dfsp.md).
        try
        {
            f.rule = dfsp::parse_fault_rule(item, file);
        }
        catch(dfsp::config_error const& e)
        {
            r.errors.push_back(
                {file, e.line() > 0 ? position{e.line(), std::max(e.column(), 1)} : f.pos, "fault: " + e.message()});
            continue;
        }
        if(f.rule.id.empty())
            f.rule.id = "fault-" + std::to_string(index);
        sc.faults.push_back(std::move(f));
    }
}

void read_steps(reader& r, YAML::Node const& n, scenario& sc)
{
    if(!n.IsSequence())
    {
        r.fail(n, "steps must be a list");
        return;
    }
    for(auto const& item : n)
    {
        if(!item.IsMap() || item.size() != 1)
        {
            r.fail(item, "a step is a mapping with one key: send_batch, wait, sleep, fault, close_settlement_window or http");
            continue;
        }
        auto const kind = item.begin()->first.as<std::string>("");
        YAML::Node const body = item.begin()->second;
        step st;
        st.pos = reader::pos_of(item);
        bool const empty_body = body.IsNull();
        if(kind == "sleep")
        {
            // `sleep: 500ms` (a duration, bounded by max_sleep)
            sleep_step s;
            s.duration = r.duration(body, "sleep");
            if(s.duration > max_sleep)
                r.fail(body, "sleep is at most " + std::to_string(max_sleep.count() / 1000) + "s");
            st.what = s;
            sc.steps.push_back(std::move(st));
            continue;
        }
        if(!empty_body && !body.IsMap())
        {
            r.fail(body, "step '" + kind + "' takes a mapping");
            continue;
        }
        if(kind == "send_batch")
        {
            send_batch s;
            if(!empty_body)
            {
                r.only(body, "send_batch", {"beneficiaries", "type_header"});
                if(auto v = body["beneficiaries"])
                {
                    if(v.IsSequence())
                        for(auto const& b : v)
                            s.beneficiaries.push_back(r.text(b, "beneficiary"));
                    else if(r.text(v, "beneficiaries") != "all")
                        r.fail(v, "beneficiaries is 'all' or a list of msisdns");
                }
                r.field(body, "type_header", s.type_header, &reader::text);
            }
            st.what = std::move(s);
        }
        else if(kind == "wait")
        {
            wait_batch w;
            if(!empty_body)
            {
                r.only(body, "wait", {"batch", "timeout"});
                if(auto v = body["batch"]; v && r.text(v, "batch") != "done")
                    r.fail(v, "wait waits for 'batch: done'");
                r.field(body, "timeout", w.timeout, &reader::duration);
            }
            st.what = w;
        }
        else if(kind == "fault")
        {
            set_fault f;
            if(empty_body)
                r.fail(item, "fault needs id and enabled");
            else
            {
                r.only(body, "fault step", {"id", "dfsp", "enabled"});
                if(auto v = body["id"])
                    f.id = r.text(v, "id");
                else
                    r.fail(body, "fault needs the id of a fault rule");
                f.enabled = body["enabled"] ? r.boolean(body["enabled"], "enabled") : true;
                f.dfsp = body["dfsp"] ? r.text(body["dfsp"], "dfsp") : std::string{};
                bool known = false;
                for(auto const& x : sc.faults)
                    if(x.rule.id == f.id && (f.dfsp.empty() || x.dfsp == f.dfsp))
                    {
                        known = true;
                        if(f.dfsp.empty())
                            f.dfsp = x.dfsp;
                    }
                if(!known && body["id"])
                    r.fail(body["id"], "no fault rule with id '" + f.id + "' (define it under faults:)");
            }
            st.what = std::move(f);
        }
        else if(kind == "close_settlement_window")
        {
            if(!empty_body)
                r.only(body, "close_settlement_window", {});
            st.what = close_window{};
        }
        else if(kind == "http")
        {
            http_call c;
            if(empty_body)
            {
                r.fail(item, "http needs at least actor and path");
                continue;
            }
            r.only(body, "http", {"actor", "method", "path", "headers", "body", "expect_status", "expect_body_contains"});
            static std::set<std::string> const actors{"switch", "switch-admin", "dfsp1", "dfsp2", "dfsp1-test",
                                                      "dfsp2-test", "connector", "hub", "hub-ops"};
            if(auto v = body["actor"]; v && actors.contains(r.text(v, "actor")))
                c.actor = v.Scalar();
            else
                r.fail(v ? v : body, "http needs actor: switch, switch-admin, dfsp1, dfsp2, dfsp1-test, dfsp2-test, "
                                     "connector, hub or hub-ops");
            r.field(body, "method", c.method, &reader::text);
            r.field(body, "path", c.path, &reader::text);
            if(auto h = body["headers"]; h && r.is_map(h, "headers"))
                for(auto const& kv : h)
                    c.headers[kv.first.as<std::string>("")] = r.text(kv.second, "header value");
            if(auto v = body["body"])
            {
                // A string is sent as it is; a mapping or a list as JSON (Content-Type
                // application/json unless the headers say otherwise).
                if(v.IsScalar())
                    c.body = v.Scalar();
                else
                {
                    c.body = json::serialize(json_of(v));
                    bool typed = false;
                    for(auto const& [k, _] : c.headers)
                        typed = typed || net::iequals(k, "Content-Type");
                    if(!typed)
                        c.headers["Content-Type"] = "application/json";
                }
            }
            if(auto v = body["expect_status"])
                c.expect_status = static_cast<unsigned>(r.count(v, "expect_status"));
            r.field(body, "expect_body_contains", c.expect_body_contains, &reader::text);
            st.what = std::move(c);
        }
        else
        {
            r.fail(item, "unknown step '" + kind + "' (send_batch, wait, sleep, fault, close_settlement_window, http)");
            continue;
        }
        sc.steps.push_back(std::move(st));
    }
}

void add(scenario& sc, std::string subject, std::string expected, YAML::Node const& at, expect::target what)
{
    sc.expectations.push_back({std::move(subject), std::move(expected), reader::pos_of(at), std::move(what)});
}

void read_expect(reader& r, YAML::Node const& n, scenario& sc)
{
    if(!r.is_map(n, "expect"))
        return;
    r.only(n, "expect", {"batch", "payments", "positions", "balances", "blocked", "settlement", "counters", "messages",
                         "sequence", "upload_status"});
    if(auto c = n["counters"]; c && r.is_map(c, "expect.counters"))
        for(auto const& kv : c)
        {
            // "dfsp1.late_callbacks": 1
            auto const key = kv.first.as<std::string>("");
            auto const dot = key.find('.');
            auto const names = counter_names();
            if(dot == std::string::npos ||
               std::find(names.begin(), names.end(), std::string_view(key).substr(dot + 1)) == names.end())
            {
                std::string list;
                for(auto name : names)
                    list += (list.empty() ? "" : ", ") + std::string(name);
                r.fail(kv.first, "'" + key + "' is not <bank>.<counter> (counters: " + list + ")");
                continue;
            }
            add(sc, "counters." + key, std::to_string(r.count(kv.second, "expected count")), kv.second,
                expect::counter_value{key.substr(0, dot), key.substr(dot + 1)});
        }
    if(auto b = n["batch"]; b && r.is_map(b, "expect.batch"))
    {
        r.only(b, "expect.batch", {"total", "successful", "failed", "ongoing", "status", "totalAmount",
                                   "successfulAmount", "failedAmount", "pendingAmount"});
        for(auto const& kv : b)
        {
            auto field = kv.first.as<std::string>("");
            add(sc, "batch." + field, r.text(kv.second, "expected value"), kv.second, expect::batch_value{field});
        }
    }
    if(auto p = n["payments"]; p && r.is_map(p, "expect.payments"))
        for(auto const& kv : p)
        {
            auto const who = kv.first.as<std::string>("");
            if(kv.second.IsScalar())
            {
                add(sc, "payment." + who + ".verdict", kv.second.Scalar(), kv.second, expect::payment_value{who, "verdict"});
                continue;
            }
            if(!r.is_map(kv.second, "a payment expectation"))
                continue;
            r.only(kv.second, "a payment expectation", {"verdict", "status", "error", "reason"});
            for(auto const& f : kv.second)
            {
                auto field = f.first.as<std::string>("");
                add(sc, "payment." + who + "." + field, r.text(f.second, "expected value"), f.second,
                    expect::payment_value{who, field});
            }
        }
    for(std::string_view group : {"positions", "balances", "blocked", "settlement"})
        if(auto g = n[std::string(group)]; g && r.is_map(g, "expect." + std::string(group)))
            for(auto const& kv : g)
            {
                auto const value = r.text(kv.second, "expected amount");
                if(!decimal::parse(value))
                    r.fail(kv.second, "'" + value + "' is not a decimal amount");
                auto const key = kv.first.as<std::string>("");
                // A balance names a bank's account: "dfsp1.treasury".
                auto const dot = key.find('.');
                if(group == "balances" && (dot == 0 || dot == std::string::npos || dot + 1 == key.size()))
                {
                    r.fail(kv.first, "'" + key + "' is not <bank>.<account> (e.g. dfsp1.treasury)");
                    continue;
                }
                expect::target what = group == "positions" ? expect::target{expect::position_value{key}}
                                    : group == "blocked"   ? expect::target{expect::blocked_value{key}}
                                    : group == "balances"  ? expect::target{expect::balance_value{key.substr(0, dot), key.substr(dot + 1)}}
                                                           : expect::target{expect::settlement_value{key}};
                add(sc, std::string(group) + "." + key, value, kv.second, std::move(what));
            }
    if(auto m = n["messages"])
    {
        if(!m.IsSequence())
            r.fail(m, "expect.messages must be a list");
        else
            for(auto const& item : m)
            {
                if(!r.is_map(item, "a message expectation"))
                    continue;
                r.only(item, "a message expectation", {"from", "to", "method", "path", "count"});
                expect::message_count mc{item["from"] ? r.text(item["from"], "from") : "*",
                                         item["to"] ? r.text(item["to"], "to") : "*",
                                         item["method"] ? r.text(item["method"], "method") : "*",
                                         item["path"] ? r.text(item["path"], "path") : "/"};
                std::string subject = "messages " + mc.from + "->" + mc.to + " " + mc.method + " " + mc.path;
                if(!item["count"])
                    r.fail(item, "a message expectation needs a count");
                else
                    add(sc, std::move(subject), std::to_string(r.count(item["count"], "count")), item["count"],
                        std::move(mc));
            }
    }
    if(auto s = n["sequence"]; s && r.is_map(s, "expect.sequence"))
        for(auto const& kv : s)
        {
            if(!kv.second.IsSequence())
            {
                r.fail(kv.second, "a sequence is a list of 'from->to METHOD /path' lines");
                continue;
            }
            expect::message_sequence seq{kv.first.as<std::string>(""), {}};
            std::string joined;
            for(auto const& line : kv.second)
            {
                seq.steps.push_back(r.text(line, "sequence line"));
                joined += (joined.empty() ? "" : " | ") + seq.steps.back();
            }
            add(sc, "sequence." + seq.who, joined, kv.second, std::move(seq));
        }
    if(auto u = n["upload_status"])
        add(sc, "upload_status", std::to_string(r.count(u, "upload_status")), u, expect::upload_status{});
}

} // namespace

load_result load_text(std::string const& text, std::string const& file)
{
    reader r(file);
    YAML::Node root;
    try
    {
        root = YAML::Load(text);
    }
    catch(YAML::Exception const& e)
    {
        return std::vector<load_error>{{file, {e.mark.line + 1, e.mark.column + 1}, e.msg}};
    }
    scenario sc;
    sc.file = file;
    if(!root.IsMap())
        return std::vector<load_error>{{file, {1, 1}, "a scenario is a mapping (name:, beneficiaries:, expect:, ...)"}};
    r.only(root, "a scenario",
           {"name", "description", "tags", "timeout", "seed", "topology", "beneficiaries", "faults", "steps", "expect"});
    if(auto v = root["name"])
        sc.name = r.text(v, "name");
    else
        r.fail(root, "a scenario needs a name");
    r.field(root, "description", sc.description, &reader::text);
    r.field(root, "timeout", sc.timeout, &reader::duration);
    if(auto v = root["tags"])
    {
        if(v.IsSequence())
            for(auto const& t : v)
                sc.tags.push_back(r.text(t, "tag"));
        else
            r.fail(v, "tags is a list of words, e.g. [smoke, faults]");
    }
    r.field(root, "seed", sc.seed, &reader::count);
    if(auto v = root["topology"])
        read_topology(r, v, sc.world);
    if(auto v = root["beneficiaries"])
        read_beneficiaries(r, v, sc);
    if(auto v = root["faults"])
        read_faults(r, v, sc, file);
    if(auto v = root["steps"])
        read_steps(r, v, sc);
    else
    {
        // Default: OpenG2P sends every beneficiary one batch, and we wait for it to finish.
        sc.steps.push_back({send_batch{}, {}});
        sc.steps.push_back({wait_batch{}, {}});
    }
    if(auto v = root["expect"])
        read_expect(r, v, sc);

    // Cross-checks.
    std::set<std::string> banks{sc.world.payer.fsp};
    for(auto const& p : sc.world.payees)
        banks.insert(p.fsp);
    std::set<std::string> seen;
    for(auto const& b : sc.beneficiaries)
    {
        if(!banks.contains(b.fsp))
            r.errors.push_back({file, b.pos, "beneficiary " + b.msisdn + " banks with unknown fsp '" + b.fsp + "'"});
        if(!b.msisdn.empty() && !seen.insert(b.msisdn).second && !b.request_id)
            r.errors.push_back({file, b.pos, "beneficiary " + b.msisdn + " is listed twice"});
    }
    for(auto const& f : sc.faults)
        if(!banks.contains(f.dfsp))
            r.errors.push_back({file, f.pos, "fault '" + f.rule.id + "' names unknown dfsp '" + f.dfsp + "'"});
    bool sends = false;
    for(auto const& s : sc.steps)
        sends = sends || std::holds_alternative<send_batch>(s.what);
    if(sends && sc.beneficiaries.empty())
        r.errors.push_back({file, {1, 1}, "the scenario sends a batch but lists no beneficiaries"});

    if(!r.errors.empty())
        return std::move(r.errors);
    return sc;
}

load_result load_file(std::string const& path)
{
    std::error_code ec;
    if(std::filesystem::is_directory(path, ec))
        return std::vector<load_error>{{path, {0, 0}, "is a folder (mojasim run takes it; validate takes files)"}};
    std::ifstream in(path, std::ios::binary);
    if(!in)
        return std::vector<load_error>{{path, {0, 0}, std::string("cannot read the file: ") + std::strerror(errno)}};
    std::ostringstream ss;
    ss << in.rdbuf();
    return load_text(ss.str(), path);
}

} // namespace mojasim::scenario
