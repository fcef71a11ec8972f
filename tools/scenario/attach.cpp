#include "tools/scenario/attach.hpp"

#include "simulator/central/bootstrap.hpp"
#include "simulator/dfsp/faults.hpp"
#include "simulator/net/client.hpp"
#include "tools/support/json_reply.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <fstream>
#include <future>
#include <sstream>
#include <stdexcept>

namespace mojasim::scenario {

namespace asio = boost::asio;
namespace json = boost::json;

attached_bank const* attached_topology::bank(std::string_view fsp) const noexcept
{
    for(auto const& b : dfsps)
        if(b.fsp == fsp)
            return &b;
    return nullptr;
}

namespace {

std::string text(json::object const& o, std::string_view key)
{
    auto const* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string{};
}

void take(std::string& into, json::object const& o, std::string_view key)
{
    if(auto t = text(o, key); !t.empty())
        into = std::move(t);
}

std::string host_port(std::string const& url)
{
    auto const u = net::url::parse(url);
    return u ? u->host + ":" + std::to_string(u->port) : std::string{};
}

std::string origin(std::string const& url)
{
    auto const u = net::url::parse(url);
    return u ? u->origin() : url;
}

} // namespace

std::variant<attached_topology, std::string> parse_topology(std::vector<std::string> const& texts,
                                                            std::vector<std::string> const& names)
{
    attached_topology t;
    for(std::size_t i = 0; i < texts.size(); ++i)
    {
        auto const& name = names[i];
        json::error_code ec;
        auto const v = json::parse(texts[i], ec);
        if(ec || !v.is_object())
            return name + ": not a JSON object (the line `mojasim serve ... --json` prints)";
        auto const& o = v.get_object();
        if(auto const* s = o.if_contains("switch"); s && s->is_object())
        {
            take(t.switch_fspiop, s->get_object(), "fspiop");
            take(t.switch_admin, s->get_object(), "admin");
            take(t.hub_name, s->get_object(), "hubName");
        }
        if(auto const* d = o.if_contains("dfsps"); d && d->is_array())
            for(auto const& item : d->get_array())
            {
                if(!item.is_object())
                    return name + ": dfsps[] must hold objects";
                auto const& b = item.get_object();
                attached_bank bank{text(b, "fspId"), text(b, "role"), text(b, "fspiop"), text(b, "connector"),
                                   text(b, "test")};
                if(bank.fsp.empty())
                    return name + ": a dfsps[] entry has no fspId";
                std::erase_if(t.dfsps, [&](attached_bank const& x) { return x.fsp == bank.fsp; });
                t.dfsps.push_back(std::move(bank));
            }
        if(auto const* h = o.if_contains("hub"); h && h->is_object())
        {
            take(t.hub_bulk, h->get_object(), "bulk");
            take(t.hub_ops, h->get_object(), "operations");
        }
        take(t.tenant, o, "tenant");
        take(t.currency, o, "currency");
        if(auto const* p = o.if_contains("payer"); p && p->is_object())
        {
            take(t.payer_fsp, p->get_object(), "fspId");
            take(t.payer_msisdn, p->get_object(), "msisdn");
            take(t.payer_account, p->get_object(), "account");
        }
    }
    std::string const all = names.empty() ? std::string("topology") : names.front() + (names.size() > 1 ? ", ..." : "");
    auto missing = [&](char const* what, char const* who) { return all + ": no " + what + " (" + who + " prints it)"; };
    if(t.switch_fspiop.empty() || t.switch_admin.empty())
        return missing("switch.fspiop and switch.admin", "`serve switch --json`");
    if(t.hub_bulk.empty() || t.hub_ops.empty())
        return missing("hub.bulk and hub.operations", "`serve hub --json`");
    if(t.tenant.empty())
        return missing("tenant", "`serve hub --json` with a tenant configured");
    if(t.currency.empty())
        return missing("currency", "`serve dfsp --json`");
    if(t.payer_fsp.empty() || t.payer_msisdn.empty())
        return missing("payer", "`serve dfsp --json` of the payer bank");
    auto const* payer = t.bank(t.payer_fsp);
    if(!payer || payer->connector.empty())
        return all + ": the payer bank " + t.payer_fsp + " has no connector URL in dfsps[]";
    return t;
}

std::variant<attached_topology, std::string> load_topology(std::vector<std::string> const& files)
{
    std::vector<std::string> texts;
    for(auto const& f : files)
    {
        std::ifstream in(f);
        if(!in)
            return f + ": cannot be read";
        std::ostringstream os;
        os << in.rdbuf();
        texts.push_back(os.str());
    }
    return parse_topology(texts, files);
}

std::vector<std::string> attach_refusals(scenario const& sc, attached_topology const& t)
{
    std::vector<std::string> out;
    topology const def;
    auto const at = [&](position const& p) {
        return sc.file + (p.line > 0 ? ":" + std::to_string(p.line) : std::string{}) + ": ";
    };
    auto const refuse = [&](position const& p, std::string const& key, std::string const& why) {
        out.push_back(at(p) + key + ": attach cannot honour it: " + why);
    };
    position const none;
    auto const& w = sc.world;
    if(w.currency != t.currency)
        refuse(none, "topology.currency", w.currency + ", but the attached actors use " + t.currency);
    if(w.hub_name != t.hub_name)
        refuse(none, "topology.hub_name", w.hub_name + ", but the attached switch's is " + t.hub_name);
    if(w.expiry_sweep != def.expiry_sweep)
        refuse(none, "topology.expiry_sweep", "the switch's own setting (serve switch --config)");
    if(w.transfer_expiry != def.transfer_expiry)
        refuse(none, "topology.transfer_expiry", "the payer bank's own setting (connector.prepare_expiry_seconds)");
    if(w.connector_timeout != def.connector_timeout)
        refuse(none, "topology.connector_timeout", "the payer bank's own setting (connector.*_timeout_ms)");
    if(w.hub_concurrency != def.hub_concurrency)
        refuse(none, "topology.hub_concurrency", "the hub's own setting (max_in_flight)");
    if(w.hub_lenient != def.hub_lenient)
        refuse(none, "topology.hub_lenient", "the hub's own setting (type_check)");
    if(w.jws != def.jws)
        refuse(none, "topology.jws", "the switch's and the banks' own setting (jws: in their config files)");
    // The payer's names: the topology's unless the scenario names others.
    auto const same_or_default = [&](std::string const& mine, std::string const& d, std::string const& theirs) {
        return mine == d || mine == theirs;
    };
    if(!same_or_default(w.payer.fsp, def.payer.fsp, t.payer_fsp))
        refuse(none, "topology.payer.fsp", w.payer.fsp + ", but the attached payer bank is " + t.payer_fsp);
    if(!same_or_default(w.payer.tenant, def.payer.tenant, t.tenant))
        refuse(none, "topology.payer.tenant", w.payer.tenant + ", but the attached hub's tenant is " + t.tenant);
    if(!same_or_default(w.payer.msisdn, def.payer.msisdn, t.payer_msisdn))
        refuse(none, "topology.payer.msisdn", "the payer bank's own party (" + t.payer_msisdn + ")");
    if(!same_or_default(w.payer.account, def.payer.account, t.payer_account))
        refuse(none, "topology.payer.account", "the payer bank's own account (" + t.payer_account + ")");
    if(w.payer.balance != def.payer.balance)
        refuse(none, "topology.payer.balance", "the payer bank's own accounts (serve dfsp --config)");
    if(w.payer.liquidity != def.payer.liquidity)
        refuse(none, "topology.payer.liquidity", "funds in are the payer bank's onboarding (onboarding.funds_in)");
    if(w.payer.transaction_requests != def.payer.transaction_requests)
        refuse(none, "topology.payer.transaction_requests",
               "the payer bank's own setting (transaction_requests.policy)");
    if(w.mapper.lookup != def.mapper.lookup || !w.mapper.institution.empty() || w.mapper.timeout != def.mapper.timeout
       || w.mapper.lost_callbacks != def.mapper.lost_callbacks || w.mapper.reachable != def.mapper.reachable)
        refuse(none, "topology.mapper", "the hub's tenant flow and the mapper are their own settings (serve hub --config, "
                                        "serve mapper --config)");
    payee_bank const payee_def;
    for(auto const& p : w.payees)
    {
        auto const* b = t.bank(p.fsp);
        if(!b || b->test.empty())
            refuse(p.pos, "topology.payees", p.fsp + " is not in the topology (or has no test API)");
        if(p.liquidity != payee_def.liquidity)
            refuse(p.pos, "topology.payees.liquidity", "funds in are " + p.fsp + "'s onboarding (onboarding.funds_in)");
        if(p.fee != payee_def.fee)
            refuse(p.pos, "topology.payees.fee", "the fee is " + p.fsp + "'s own setting (payee.fee)");
        if(p.reserved_fulfil != payee_def.reserved_fulfil)
            refuse(p.pos, "topology.payees.reserved_fulfil", "it is " + p.fsp + "'s own setting (payee.fulfil_state)");
    }
    for(auto const& b : sc.beneficiaries)
        if(b.national_id || !b.mapped)
        {
            refuse(b.pos, "beneficiaries.national_id", "the attached mapper's entries are its own (serve mapper --config)");
            break;
        }
    for(auto const& b : sc.beneficiaries)
    {
        auto const* bank = t.bank(b.fsp);
        if(!bank || bank->test.empty())
        {
            refuse(b.pos, "beneficiaries", b.msisdn + "'s bank " + b.fsp + " is not in the topology (or has no test API)");
            break;
        }
    }
    for(auto const& f : sc.faults)
    {
        auto const* bank = t.bank(f.dfsp);
        if(!bank || bank->test.empty())
            refuse(f.pos, "faults", f.dfsp + " is not in the topology (or has no test API)");
    }
    for(auto const& s : sc.steps)
        if(std::holds_alternative<close_window>(s.what))
            refuse(s.pos, "close_settlement_window", "the window's figures are read from the switch's ledger");
    for(auto const& e : sc.expectations)
    {
        if(std::holds_alternative<expect::message_count>(e.what))
            refuse(e.pos, "messages", "the messages between actors are not seen from outside them");
        else if(std::holds_alternative<expect::message_sequence>(e.what))
            refuse(e.pos, "sequence", "the messages between actors are not seen from outside them");
        else if(std::holds_alternative<expect::settlement_value>(e.what))
            refuse(e.pos, "settlement", "the window's figures are read from the switch's ledger");
        else if(std::holds_alternative<expect::counter_value>(e.what))
            refuse(e.pos, "counters", "a bank's counters count every run it served, not this scenario's");
    }
    return out;
}

//------------------------------------------------------------------------------

struct attached_world::state
{
    std::unique_ptr<net::client> client;
    std::map<std::string, core::decimal> position_base;
    std::map<std::string, core::decimal> balance_base; ///< "fsp.account"
    std::vector<std::pair<std::string, std::string>> faults_added; ///< test URL, rule id
    std::size_t next_beneficiary = 0;
    std::vector<std::string> problems;
};

namespace {

using central::admin_request;

// Every request and URL below is a local before its co_await, never a temporary in it (g++ 12,
// docs/engineering.md).

std::optional<core::decimal> decimal_in(json::value const& v)
{
    if(v.is_string())
        return core::decimal::parse(v.get_string());
    if(v.is_int64())
        return core::decimal::parse(std::to_string(v.get_int64()));
    if(v.is_uint64())
        return core::decimal::parse(std::to_string(v.get_uint64()));
    if(v.is_double())
    {
        // Boost.JSON writes doubles as 1.755E2, which is no amount: four decimals, as money.
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.4f", v.get_double());
        return core::decimal::parse(buf);
    }
    return std::nullopt;
}

// GET url; the JSON object member `key` as a decimal.
net::awaitable<std::optional<core::decimal>> read_decimal(net::client& c, std::string url, std::string key)
{
    auto request = admin_request(net::method::get);
    auto res = co_await c.send(url, std::move(request));
    auto const obj = tools::object_of_ok(res);
    if(!obj)
        co_return std::nullopt;
    auto const* x = obj->if_contains(key);
    if(!x)
        co_return std::nullopt;
    co_return decimal_in(*x);
}

std::string position_url(attached_topology const& t, std::string const& fsp)
{
    return t.switch_admin + "/participants/" + fsp + "/positions?currency=" + t.currency;
}

std::string what_failed(net::result<net::response> const& res)
{
    return res ? "HTTP " + std::to_string(res->status) + " " + res->body.substr(0, 200) : res.error().message();
}

// Before the run: the switch answers, net debit caps, the figures the checks compare with,
// and the scenario's fault rules.
net::awaitable<std::string> prepare(attached_world::state* st, attached_topology const* t, scenario const* sc)
{
    auto& c = *st->client;
    auto const health_url = t->switch_admin + "/health";
    auto probe = admin_request(net::method::get);
    auto health = co_await c.send(health_url, std::move(probe));
    if(!health || health->status != 200)
        co_return "the switch's Admin API at " + t->switch_admin + " does not answer: " + what_failed(health);
    topology const def;
    std::vector<std::pair<std::string, core::decimal>> caps;
    if(sc->world.payer.ndc != def.payer.ndc)
        caps.emplace_back(t->payer_fsp, sc->world.payer.ndc);
    for(auto const& p : sc->world.payees)
        if(p.ndc != payee_bank{}.ndc)
            caps.emplace_back(p.fsp, p.ndc);
    for(auto const& [fsp, ndc] : caps)
    {
        json::object limit{{"type", "NET_DEBIT_CAP"}, {"value", ndc.to_string()}, {"alarmPercentage", 10}};
        json::object body{{"currency", t->currency}, {"limit", std::move(limit)}};
        auto const url = t->switch_admin + "/participants/" + fsp + "/limits";
        auto request = admin_request(net::method::put, json::serialize(body));
        auto res = co_await c.send(url, std::move(request));
        if(!res || !res->ok())
            co_return "setting " + fsp + "'s net debit cap: " + what_failed(res);
    }
    for(auto const& b : t->dfsps)
    {
        auto const url = position_url(*t, b.fsp);
        std::string const key = "value";
        auto pos = co_await read_decimal(c, url, key);
        st->position_base[b.fsp] = pos.value_or(core::decimal{});
    }
    for(auto const& e : sc->expectations)
    {
        auto const* b = std::get_if<expect::balance_value>(&e.what);
        if(!b)
            continue;
        auto const rest = b->fsp + "." + b->account;
        auto const* bank = t->bank(b->fsp);
        if(!bank)
            continue;
        auto const url = bank->test + "/accounts/" + b->account;
        std::string const key = "balance";
        auto bal = co_await read_decimal(c, url, key);
        st->balance_base[rest] = bal.value_or(core::decimal{});
    }
    for(auto const& f : sc->faults)
    {
        auto const* bank = t->bank(f.dfsp);
        auto const url = bank->test + "/faults";
        auto request = admin_request(net::method::post, dfsp::encode_fault_rule(f.rule));
        auto res = co_await c.send(url, std::move(request));
        if(!res || !res->ok())
            co_return "setting fault rule '" + f.rule.id + "' on " + f.dfsp + ": " + what_failed(res);
        st->faults_added.emplace_back(bank->test, f.rule.id);
    }
    co_return std::string{};
}

// One of several workers making the scenario's beneficiaries parties of their banks (the test
// API registers each with the ALS); a party the bank has already is fine.
net::awaitable<void> add_beneficiaries(attached_world::state* st, attached_topology const* t, scenario const* sc)
{
    auto& c = *st->client;
    while(st->next_beneficiary < sc->beneficiaries.size() && st->problems.empty())
    {
        auto const& b = sc->beneficiaries[st->next_beneficiary++];
        if(!b.registered)
            continue;
        auto const space = b.name.find(' ');
        json::object party{{"idType", "MSISDN"},
                           {"idValue", b.msisdn},
                           {"displayName", b.name},
                           {"firstName", b.name.substr(0, space)},
                           {"lastName", space == std::string::npos ? std::string{} : b.name.substr(space + 1)},
                           {"account", b.msisdn}};
        auto const url = t->bank(b.fsp)->test + "/repository/parties";
        auto request = admin_request(net::method::post, json::serialize(party));
        auto res = co_await c.send(url, std::move(request));
        if(!res || (!res->ok() && res->status != 409))
            st->problems.push_back("adding beneficiary " + b.msisdn + " to " + b.fsp + ": " + what_failed(res));
    }
}

net::awaitable<void> remove_faults(attached_world::state* st)
{
    for(auto const& [test, id] : st->faults_added)
    {
        auto const url = test + "/faults/" + id;
        auto request = admin_request(net::method::delete_);
        co_await st->client->send(url, std::move(request));
    }
    st->faults_added.clear();
}

// The bank's rule `id` as it lists it, with `enabled` set, posted back.
net::awaitable<void> toggle_fault(attached_world::state* st, std::string test, std::string id, bool enabled)
{
    auto& c = *st->client;
    auto const url = test + "/faults";
    auto request = admin_request(net::method::get);
    auto res = co_await c.send(url, std::move(request));
    if(!res || res->status != 200)
        co_return;
    json::error_code ec;
    auto v = json::parse(res->body, ec);
    if(ec || !v.is_array())
        co_return;
    for(auto& item : v.get_array())
    {
        if(!item.is_object() || text(item.get_object(), "id") != id)
            continue;
        auto& o = item.get_object();
        o.erase("seen");
        o.erase("fired");
        o["enabled"] = enabled;
        auto post = admin_request(net::method::post, json::serialize(o));
        co_await c.send(url, std::move(post));
        break;
    }
}

net::awaitable<std::optional<core::decimal>> read_at(attached_world::state* st, std::string url, std::string key)
{
    co_return co_await read_decimal(*st->client, std::move(url), std::move(key));
}

} // namespace

attached_world::attached_world(attached_topology t, scenario const& sc)
    : topology_(std::move(t)), scenario_(sc), pool_(1), state_(std::make_unique<state>())
{
}

attached_world::~attached_world()
{
    stop();
}

void attached_world::start()
{
    if(started_)
        return;
    started_ = true;
    pool_.start();
    net::client_options o;
    o.name = "attach";
    o.max_connections_per_host = 32;
    state_->client = std::make_unique<net::client>(client_executor(), o);
    auto const problem = asio::co_spawn(client_executor(), prepare(state_.get(), &topology_, &scenario_), asio::use_future).get();
    if(!problem.empty())
        throw std::runtime_error(problem);
    std::vector<std::future<void>> workers;
    for(int i = 0; i < 16; ++i)
        workers.push_back(
            asio::co_spawn(client_executor(), add_beneficiaries(state_.get(), &topology_, &scenario_), asio::use_future));
    for(auto& w : workers)
        w.get();
    if(!state_->problems.empty())
        throw std::runtime_error(state_->problems.front());
}

void attached_world::stop()
{
    if(!started_)
        return;
    started_ = false;
    if(state_->client)
    {
        // Leave the actors as found: the fault rules this run added go.
        asio::co_spawn(client_executor(), remove_faults(state_.get()), asio::use_future).wait();
        state_->client->close();
    }
    pool_.stop(std::chrono::seconds(2));
}

openg2p::options attached_world::openg2p_options() const
{
    openg2p::options o;
    o.payment_endpoint_url = topology_.hub_bulk;
    o.operations_url = topology_.hub_ops;
    o.tenant_id = topology_.tenant;
    o.payer_id = topology_.payer_msisdn;
    return o;
}

std::string attached_world::url_of(std::string_view actor) const
{
    if(actor == "switch")
        return topology_.switch_fspiop;
    if(actor == "switch-admin")
        return topology_.switch_admin;
    if(actor == "connector")
        return topology_.bank(topology_.payer_fsp)->connector;
    if(actor == "hub")
        return origin(topology_.hub_bulk);
    if(actor == "hub-ops")
        return topology_.hub_ops;
    auto const* b = topology_.bank(actor);
    if(!b && actor.ends_with("-test"))
    {
        b = topology_.bank(actor.substr(0, actor.size() - 5));
        return b ? b->test : std::string{};
    }
    return b ? b->fspiop : std::string{};
}

std::string attached_world::actor_at(std::string const& hp) const
{
    if(hp == host_port(topology_.switch_fspiop) || hp == host_port(topology_.switch_admin))
        return "switch";
    if(hp == host_port(topology_.hub_bulk) || hp == host_port(topology_.hub_ops))
        return "hub";
    for(auto const& b : topology_.dfsps)
        if(hp == host_port(b.fspiop) || (!b.connector.empty() && hp == host_port(b.connector)) ||
           (!b.test.empty() && hp == host_port(b.test)))
            return b.fsp;
    return {};
}

net::awaitable<void> attached_world::set_fault(std::string dfsp, std::string id, bool enabled)
{
    auto const* b = topology_.bank(dfsp);
    if(!b || b->test.empty())
        co_return;
    co_await toggle_fault(state_.get(), b->test, std::move(id), enabled);
}

net::awaitable<std::map<std::string, core::decimal>> attached_world::close_settlement_window_async()
{
    // Refused before the run (attach_refusals).
    co_return std::map<std::string, core::decimal>{};
}

std::optional<core::decimal> attached_world::position(std::string const& fsp)
{
    if(!topology_.bank(fsp))
        return std::nullopt;
    auto const now =
        asio::co_spawn(client_executor(), read_at(state_.get(), position_url(topology_, fsp), "value"), asio::use_future)
            .get();
    if(!now)
        return std::nullopt;
    return checked_sub(*now, state_->position_base[fsp]);
}

std::optional<core::decimal> attached_world::balance(std::string const& fsp, std::string const& account)
{
    auto const* b = topology_.bank(fsp);
    if(!b || b->test.empty())
        return std::nullopt;
    auto const url = b->test + "/accounts/" + account;
    auto const now = asio::co_spawn(client_executor(), read_at(state_.get(), url, "balance"), asio::use_future).get();
    if(!now)
        return std::nullopt;
    return checked_sub(*now, state_->balance_base[fsp + "." + account]);
}

std::optional<core::decimal> attached_world::blocked(std::string const& fsp)
{
    auto const* b = topology_.bank(fsp);
    if(!b || b->test.empty())
        return std::nullopt;
    auto const url = b->test + "/stats";
    return asio::co_spawn(client_executor(), read_at(state_.get(), url, "totalBlocked"), asio::use_future).get();
}

std::optional<dfsp::dfsp_stats> attached_world::stats(std::string const&)
{
    // Refused before the run (attach_refusals).
    return std::nullopt;
}

std::vector<std::string> attached_world::pending_payments()
{
    // The hub runs elsewhere: a timeout names the step, not the payments.
    return {};
}

} // namespace mojasim::scenario
