#include "tools/scenario/world.hpp"

#include "payment-hub/payment_hub.hpp"
#include "simulator/central/bootstrap.hpp"
#include "simulator/central/switch_actor.hpp"
#include "simulator/core/ids.hpp"
#include "simulator/dfsp/dfsp_actor.hpp"
#include "simulator/mapper/mapper_actor.hpp"
#include "simulator/net/client.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/system/system_error.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <stdexcept>

namespace mojasim::scenario {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

std::string host_port(std::string const& url)
{
    auto const u = net::url::parse(url);
    return u ? u->host + ":" + std::to_string(u->port) : std::string{};
}

// The payer bank: the treasury account, the government as its party, the connector on.
dfsp::config payer_config(topology const& t, world_options const& o)
{
    dfsp::config c;
    c.fsp_id = t.payer.fsp;
    c.currency = t.currency;
    c.ilp_secret = t.payer.fsp + "-secret";
    c.jws.sign = c.jws.validate = t.jws;
    c.jws.hub_name = t.hub_name;
    c.listen.host = o.host;
    c.listen.fspiop_port = o.default_ports ? default_ports::payer_fspiop : 0;
    c.listen.test_port = o.default_ports ? default_ports::payer_test : 0;
    if(o.read_timeout.count() > 0)
        c.listen.read_timeout = o.read_timeout;
    c.onboarding.net_debit_cap = t.payer.ndc;
    c.onboarding.funds_in = t.payer.liquidity;
    c.accounts.push_back({t.payer.account, t.payer.balance});
    dfsp::party_config gov;
    gov.id = t.payer.msisdn;
    gov.display_name = "Government Treasury";
    gov.first_name = "Government";
    gov.last_name = "Treasury";
    gov.account = t.payer.account;
    c.parties.push_back(std::move(gov));
    if(o.seed)
        c.id_seed = core::derive_seed(*o.seed, t.payer.fsp);
    c.transaction_requests.policy =
        dfsp::request_policy_from_string(t.payer.transaction_requests).value_or(dfsp::request_policy::accept);
    c.connector.enabled = true;
    c.connector.port = o.default_ports ? default_ports::connector : 0;
    c.connector.payer_account = t.payer.account;
    c.connector.party_timeout = t.connector_timeout;
    c.connector.quote_timeout = t.connector_timeout;
    c.connector.transfer_grace = t.connector_timeout;
    c.connector.prepare_expiry = std::chrono::duration_cast<std::chrono::seconds>(t.transfer_expiry);
    if(c.connector.prepare_expiry.count() == 0)
        c.connector.prepare_expiry = std::chrono::seconds(1);
    return c;
}

dfsp::config payee_config(topology const& t, payee_bank const& b, std::size_t index, std::vector<beneficiary> const& people,
                          std::vector<fault> const& faults, world_options const& o)
{
    dfsp::config c;
    c.fsp_id = b.fsp;
    c.currency = t.currency;
    c.ilp_secret = b.fsp + "-secret";
    c.jws.sign = c.jws.validate = t.jws;
    c.jws.hub_name = t.hub_name;
    c.listen.host = o.host;
    auto const step = static_cast<std::uint16_t>(10 * index);
    c.listen.fspiop_port = o.default_ports ? static_cast<std::uint16_t>(default_ports::payee_fspiop + step) : 0;
    c.listen.test_port = o.default_ports ? static_cast<std::uint16_t>(default_ports::payee_test + step) : 0;
    if(o.read_timeout.count() > 0)
        c.listen.read_timeout = o.read_timeout;
    c.onboarding.net_debit_cap = b.ndc;
    c.onboarding.funds_in = b.liquidity;
    if(o.seed)
        c.id_seed = core::derive_seed(*o.seed, b.fsp);
    c.payee.fee = b.fee;
    c.payee.mode = b.reserved_fulfil ? dfsp::fulfil_mode::reserved : dfsp::fulfil_mode::committed;
    c.payee.fee_account = "fees";
    // A quote is needed only until its transfer arrives (the hub keeps at most a few hundred
    // payments in flight): memory follows concurrency, not the length of the run.
    c.payee.quote_memory = 10'000;
    c.accounts.push_back({"fees", {}});
    for(auto const& p : people)
    {
        if(p.fsp != b.fsp)
            continue;
        c.accounts.push_back({p.msisdn, {}});
        if(!p.registered)
            continue; // it has an account, but the account lookup service never hears of it
        dfsp::party_config party;
        party.id = p.msisdn;
        party.display_name = p.name;
        auto const space = p.name.find(' ');
        party.first_name = p.name.substr(0, space);
        party.last_name = space == std::string::npos ? std::string{} : p.name.substr(space + 1);
        party.account = p.msisdn;
        c.parties.push_back(std::move(party));
    }
    for(auto const& f : faults)
        if(f.dfsp == b.fsp)
            c.faults.push_back(f.rule);
    return c;
}

// "FSPIOP 4000, Admin 4001" (ports 0, picked free, are left out).
std::string ports_text(std::initializer_list<std::pair<char const*, std::uint16_t>> ports)
{
    std::string out;
    for(auto const& [what, port] : ports)
        if(port != 0)
            out += (out.empty() ? "" : ", ") + std::string(what) + " " + std::to_string(port);
    return out;
}

// Start an actor's listeners; a port that is taken names the actor and its ports.
template <typename Start>
void listen_or_say(std::string const& actor, std::string const& ports, Start start)
{
    try
    {
        start();
    }
    catch(boost::system::system_error const& e)
    {
        throw std::runtime_error(actor + " cannot listen" + (ports.empty() ? "" : " on port(s) " + ports) + ": " +
                                 e.code().message());
    }
}

net::awaitable<dfsp::onboard_report> onboard(dfsp::dfsp_actor& bank)
{
    co_return co_await bank.onboard();
}

} // namespace

world::world(topology t, std::vector<beneficiary> people, std::vector<fault> faults, world_options opts)
    : topology_(std::move(t)),
      beneficiaries_(std::move(people)),
      faults_(std::move(faults)),
      opts_(std::move(opts)),
      pool_(opts_.threads)
{
}

// An actor lives on one of the pool's io_contexts. The switch and the hub share the first
// (the switch sees 13 of a payment's 28 message ends, the hub 2); the banks, whose flows do
// the JSON, ILP and crypto work, the others.
net::asio::io_context& world::ioc_for(std::size_t bank_index) noexcept
{
    if(pool_.size() == 1)
        return pool_.front();
    return pool_[1 + bank_index % (pool_.size() - 1)];
}

world::~world()
{
    stop();
}

void world::start()
{
    if(started_)
        return;
    started_ = true;
    pool_.start();

    // The switch.
    central::switch_config sc;
    sc.host = opts_.host;
    sc.fspiop_port = opts_.default_ports ? default_ports::switch_fspiop : 0;
    sc.admin_port = opts_.default_ports ? default_ports::switch_admin : 0;
    sc.hub_name = topology_.hub_name;
    sc.expiry_sweep_interval = topology_.expiry_sweep;
    sc.jws.validate = sc.jws.sign = topology_.jws;
    if(opts_.read_timeout.count() > 0)
        sc.read_timeout = opts_.read_timeout;
    switch_ = std::make_unique<central::switch_actor>(ioc().get_executor(), sc);
    if(opts_.trace)
        switch_->set_trace(opts_.trace);
    listen_or_say(topology_.hub_name == "Hub" ? "switch" : "switch " + topology_.hub_name,
                  ports_text({{"FSPIOP", sc.fspiop_port}, {"Admin", sc.admin_port}}), [&] { switch_->start(); });

    auto const setup = ioc().get_executor();
    auto problem = asio::co_spawn(setup, central::prepare_hub(switch_->admin_url(), topology_.hub_name, topology_.currency),
                                  asio::use_future)
                       .get();
    if(!problem.empty())
        throw std::runtime_error(problem);

    // The banks: each onboards itself through the Admin API and registers its parties.
    dfsp::switch_config api;
    api.fspiop_url = switch_->fspiop_url();
    api.admin_url = switch_->admin_url();
    payer_ = std::make_unique<dfsp::dfsp_actor>(ioc_for(0).get_executor(), payer_config(topology_, opts_));
    for(std::size_t i = 0; i < topology_.payees.size(); ++i)
        payees_.push_back(std::make_unique<dfsp::dfsp_actor>(
            ioc_for(i + 1).get_executor(), payee_config(topology_, topology_.payees[i], i, beneficiaries_, faults_, opts_)));
    std::vector<dfsp::dfsp_actor*> banks{payer_.get()};
    for(auto& p : payees_)
        banks.push_back(p.get());
    for(auto* bank : banks)
    {
        bank->set_switch(api);
        if(opts_.trace)
            bank->set_trace(opts_.trace);
        auto const& lc = bank->settings();
        listen_or_say(bank->fsp_id(),
                      ports_text({{"FSPIOP", lc.listen.fspiop_port},
                                  {"test", lc.listen.test_port},
                                  {"connector", lc.connector.enabled ? lc.connector.port : std::uint16_t{0}}}),
                      [&] { bank->start(); });
    }
    for(auto* bank : banks)
    {
        auto const report = asio::co_spawn(bank->executor(), onboard(*bank), asio::use_future).get();
        if(!report.ok())
        {
            std::string all;
            for(auto const& p : report.problems)
                all += (all.empty() ? "" : "; ") + p;
            throw std::runtime_error("onboarding " + bank->fsp_id() + " failed: " + all);
        }
    }
    // JWS: each bank took the hub's key while onboarding; the peers' keys come from the world,
    // as from a scheme's key directory (forwarded messages carry their sender's signature).
    if(topology_.jws)
        for(auto* bank : banks)
            for(auto* peer : banks)
                if(peer != bank)
                    on(bank->executor(), [bank, peer] { bank->add_jws_key(peer->fsp_id(), peer->jws_public_key()); });

    // The account mapper, seeded from the beneficiaries: each national id (or, without one,
    // the MSISDN) -> MSISDN at its bank, under the payer tenant's institution.
    mapper::mapper_config mc;
    mc.host = opts_.host;
    mc.port = opts_.default_ports ? default_ports::mapper : 0;
    if(opts_.read_timeout.count() > 0)
        mc.read_timeout = opts_.read_timeout;
    if(opts_.seed)
        mc.id_seed = core::derive_seed(*opts_.seed, "mapper");
    mc.lose_batch_callbacks = topology_.mapper.lost_callbacks;
    auto const institution = topology_.mapper.institution.empty() ? topology_.payer.tenant : topology_.mapper.institution;
    for(auto const& b : beneficiaries_)
    {
        if(!b.mapped)
            continue;
        mapper::entry e;
        e.institution = institution;
        e.identity = b.national_id.value_or(b.msisdn);
        e.modality = "01";
        e.financial_address = b.msisdn;
        e.bank = b.fsp;
        e.has_modality = true;
        mc.seed.push_back(std::move(e));
    }
    mapper_ = std::make_unique<mapper::mapper_actor>(ioc().get_executor(), std::move(mc));
    if(opts_.trace)
        mapper_->set_trace(opts_.trace);
    listen_or_say("mapper", ports_text({{"mapper", opts_.default_ports ? default_ports::mapper : std::uint16_t{0}}}),
                  [&] { mapper_->start(); });
    if(!topology_.mapper.reachable)
        mapper_->stop(); // its port refuses connections: the hub cannot reach it

    // The Payment Hub, paying through the payer bank's connector.
    hub::hub_config hc;
    hc.host = opts_.host;
    hc.bulk_port = opts_.default_ports ? default_ports::hub_bulk : 0;
    hc.ops_port = opts_.default_ports ? default_ports::hub_ops : 0;
    hc.lenient_type = topology_.hub_lenient;
    hc.max_in_flight = topology_.hub_concurrency;
    if(topology_.hub_bulk)
        hc.payment_mode_types["MOJALOOP"] = hub::payment_mode_type::bulk;
    hc.bulk_size = topology_.hub_bulk_size;
    if(opts_.read_timeout.count() > 0)
        hc.read_timeout = opts_.read_timeout;
    if(opts_.hub_max_file_bytes != 0)
        hc.max_file_bytes = opts_.hub_max_file_bytes;
    if(opts_.seed)
        hc.id_seed = core::derive_seed(*opts_.seed, "hub");
    hub::tenant_config tenant{topology_.payer.fsp, payer_->connector_url()};
    if(topology_.mapper.lookup)
    {
        tenant.flow = "bulk_processor_account_lookup";
        tenant.mapper_url = mapper_->url();
        tenant.registering_institution = institution;
        tenant.lookup_timeout = topology_.mapper.timeout;
    }
    hc.tenants[topology_.payer.tenant] = std::move(tenant);
    // The other ingresses (G2P Connect, the interop layer) pay from the payer's tenant and
    // account, and resolve G2P Connect ids at the world's mapper.
    hc.ingress_tenant = topology_.payer.tenant;
    hc.ingress_payer_id = topology_.payer.msisdn;
    hc.ingress_mapper_url = mapper_->url();
    hub_ = std::make_unique<hub::payment_hub>(ioc().get_executor(), hc);
    if(opts_.trace)
        hub_->set_trace(opts_.trace);
    else if(opts_.hub_trace)
        hub_->set_trace(opts_.hub_trace);
    listen_or_say("hub", ports_text({{"bulk", hc.bulk_port}, {"operations", hc.ops_port}}), [&] { hub_->start(); });
}

void world::stop()
{
    if(!started_)
        return;
    started_ = false;
    if(hub_)
        hub_->stop();
    if(mapper_)
        mapper_->stop();
    // The switch before the banks: at the end of a batch its last notices to the payees may
    // still be on their way, and a payee already closed would make each a warning.
    if(switch_)
        switch_->stop();
    if(payer_)
        payer_->stop();
    for(auto& p : payees_)
        p->stop();
    // Let work in progress finish briefly, then stop whatever is left (timers of faults that
    // delay callbacks, the sweeper) so stop() cannot hang.
    pool_.stop(std::chrono::seconds(2));
}

dfsp::dfsp_actor* world::bank(std::string_view fsp) noexcept
{
    if(payer_ && payer_->fsp_id() == fsp)
        return payer_.get();
    for(auto& p : payees_)
        if(p->fsp_id() == fsp)
            return p.get();
    return nullptr;
}

std::uint64_t world::requests_served() const noexcept
{
    std::uint64_t n = switch_ ? switch_->requests_served() : 0;
    if(payer_)
        n += payer_->requests_served();
    for(auto const& p : payees_)
        n += p->requests_served();
    if(mapper_)
        n += mapper_->requests_served();
    return hub_ ? n + hub_->requests_served() : n;
}

std::string world::mapper_url() const
{
    return mapper_->url();
}

std::string world::switch_fspiop_url() const
{
    return switch_->fspiop_url();
}

std::string world::switch_admin_url() const
{
    return switch_->admin_url();
}

std::string world::connector_url() const
{
    return payer_->connector_url();
}

std::string world::hub_bulk_url() const
{
    return hub_->bulk_url();
}

std::string world::hub_ops_url() const
{
    return hub_->ops_url();
}

openg2p::options world::openg2p_options() const
{
    openg2p::options o;
    o.payment_endpoint_url = hub_bulk_url() + "/batchtransactions";
    o.operations_url = hub_ops_url();
    o.tenant_id = topology_.payer.tenant;
    o.payer_id = topology_.payer.msisdn;
    auto const& og = topology_.openg2p;
    o.manager = og.manager;
    o.g2p_disburse_url = hub_bulk_url() + "/disburse/sync/disburse";
    o.g2p_status_url = hub_bulk_url() + "/disburse/sync/txn/status";
    o.g2p_async_disburse_url = hub_bulk_url() + "/disburse";
    o.g2p_reconcile = og.reconcile;
    o.interop_url = hub_bulk_url() + "/interop/disbursement";
    bool const reg_id = og.payee_mode == "reg_id";
    o.g2p_payee_mode = og.payee_mode;
    o.g2p_payee_prefix = !og.payee_prefix.empty() ? og.payee_prefix : reg_id ? "token:" : "phone:";
    o.g2p_payee_suffix = og.payee_suffix.value_or(reg_id ? "@nationalId" : "");
    return o;
}

std::string world::url_of(std::string_view actor) const
{
    if(actor == "switch")
        return switch_->fspiop_url();
    if(actor == "switch-admin")
        return switch_->admin_url();
    if(actor == "connector")
        return payer_->connector_url();
    if(actor == "hub")
        return hub_->bulk_url();
    if(actor == "hub-ops")
        return hub_->ops_url();
    if(actor == "mapper")
        return mapper_->url();
    if(payer_->fsp_id() == actor)
        return payer_->fspiop_url();
    for(auto const& p : payees_)
        if(p->fsp_id() == actor)
            return p->fspiop_url();
    // "<fsp>-test": a bank's test API.
    if(actor.ends_with("-test"))
    {
        auto const fsp = actor.substr(0, actor.size() - 5);
        if(payer_->fsp_id() == fsp)
            return payer_->test_url();
        for(auto const& p : payees_)
            if(p->fsp_id() == fsp)
                return p->test_url();
    }
    return {};
}

std::string world::actor_at(std::string const& hp) const
{
    if(hp == host_port(switch_->fspiop_url()) || hp == host_port(switch_->admin_url()))
        return "switch";
    if(hp == host_port(hub_->bulk_url()) || hp == host_port(hub_->ops_url()))
        return "hub";
    if(mapper_ && hp == host_port(mapper_->url()))
        return "mapper";
    for(auto const* bank : {payer_.get()})
        if(hp == host_port(bank->fspiop_url()) || hp == host_port(bank->connector_url()) || hp == host_port(bank->test_url()))
            return bank->fsp_id();
    for(auto const& p : payees_)
        if(hp == host_port(p->fspiop_url()) || hp == host_port(p->test_url()))
            return p->fsp_id();
    return {};
}

std::string world::describe_json() const
{
    json::object o;
    o["switch"] = json::object{{"fspiop", switch_->fspiop_url()}, {"admin", switch_->admin_url()},
                               {"hubName", topology_.hub_name}};
    json::array banks;
    banks.push_back(json::object{{"fspId", payer_->fsp_id()},
                                 {"role", "payer"},
                                 {"fspiop", payer_->fspiop_url()},
                                 {"connector", payer_->connector_url()},
                                 {"test", payer_->test_url()}});
    for(auto const& p : payees_)
        banks.push_back(json::object{{"fspId", p->fsp_id()}, {"role", "payee"}, {"fspiop", p->fspiop_url()},
                                     {"test", p->test_url()}});
    o["dfsps"] = std::move(banks);
    o["hub"] = json::object{{"bulk", hub_->bulk_url() + "/batchtransactions"}, {"operations", hub_->ops_url()}};
    o["mapper"] = json::object{{"url", mapper_->url()}};
    o["tenant"] = topology_.payer.tenant;
    o["currency"] = topology_.currency;
    o["payer"] = json::object{{"fspId", topology_.payer.fsp},
                              {"idType", "MSISDN"},
                              {"msisdn", topology_.payer.msisdn},
                              {"account", topology_.payer.account}};
    json::array people;
    for(auto const& b : beneficiaries_)
    {
        json::object person{{"msisdn", b.msisdn}, {"fspId", b.fsp}, {"name", b.name},
                            {"amount", b.amount.to_string()}, {"registered", b.registered}};
        if(b.national_id)
            person["nationalId"] = *b.national_id;
        people.push_back(std::move(person));
    }
    o["beneficiaries"] = std::move(people);
    json::array rules;
    for(auto const& f : faults_)
        rules.push_back(json::object{{"dfsp", f.dfsp},
                                     {"id", f.rule.id},
                                     {"step", dfsp::to_string(f.rule.step)},
                                     {"action", dfsp::to_string(f.rule.action)},
                                     {"enabled", f.rule.enabled}});
    o["faults"] = std::move(rules);
    return json::serialize(o);
}

std::string world::describe_text() const
{
    std::string s;
    s += "switch     FSPIOP " + switch_->fspiop_url() + "   Admin " + switch_->admin_url() + "\n";
    s += payer_->fsp_id() + "      FSPIOP " + payer_->fspiop_url() + "   connector " + payer_->connector_url() +
         "   test " + payer_->test_url() + "\n";
    for(auto const& p : payees_)
        s += p->fsp_id() + "      FSPIOP " + p->fspiop_url() + "   test " + p->test_url() + "\n";
    s += "hub        bulk " + hub_->bulk_url() + "/batchtransactions   operations " + hub_->ops_url() + "\n";
    s += "mapper     " + mapper_->url() + "   PH-EE identity-account-mapper (/beneficiary, /accountLookup), G2P Connect (/mapper/...)\n";
    s += "tenant " + topology_.payer.tenant + ", payer " + topology_.payer.fsp + " MSISDN " + topology_.payer.msisdn +
         ", currency " + topology_.currency + ", " + std::to_string(beneficiaries_.size()) + " beneficiaries\n";
    // What it started with: the beneficiaries (the first 20) and every fault rule.
    for(std::size_t i = 0; i < beneficiaries_.size() && i < 20; ++i)
    {
        auto const& b = beneficiaries_[i];
        s += "  beneficiary " + b.msisdn + " at " + b.fsp + ", " + b.name + ", " + b.amount.to_string() +
             (b.registered ? "" : " (not registered)") + "\n";
    }
    if(beneficiaries_.size() > 20)
        s += "  ... and " + std::to_string(beneficiaries_.size() - 20) + " more\n";
    for(auto const& f : faults_)
        s += "  fault " + f.rule.id + " at " + f.dfsp + ": " + std::string(dfsp::to_string(f.rule.action)) + " on " +
             std::string(dfsp::to_string(f.rule.step)) + (f.rule.party.empty() ? std::string{} : " for " + f.rule.party) +
             (f.rule.enabled ? "" : " (off)") + "\n";
    if(faults_.empty())
        s += "  no fault rules\n";
    return s;
}

std::optional<core::decimal> world::position(std::string const& fsp)
{
    return on(switch_->executor(), [&] { return switch_->position(fsp, topology_.currency); });
}

std::optional<core::decimal> world::balance(std::string const& fsp, std::string const& account)
{
    auto* b = bank(fsp);
    if(!b)
        return std::nullopt;
    return on(b->executor(), [&]() -> std::optional<core::decimal> {
        auto a = b->find_account(account);
        return a ? std::optional{a->balance} : std::nullopt;
    });
}

std::optional<core::decimal> world::blocked(std::string const& fsp)
{
    auto* b = bank(fsp);
    if(!b)
        return std::nullopt;
    return on(b->executor(), [&] { return std::optional{b->total_blocked()}; });
}

std::optional<dfsp::dfsp_stats> world::stats(std::string const& fsp)
{
    auto* b = bank(fsp);
    if(!b)
        return std::nullopt;
    return on(b->executor(), [b] { return std::optional{b->stats()}; });
}

std::vector<std::string> world::pending_payments()
{
    return on(ioc().get_executor(), [this] {
        std::vector<std::string> out;
        hub_->store().for_each([&](hub::batch const& b) {
            for(auto const& row : b.rows)
                if(row.status == hub::row_status::in_progress)
                    out.push_back(row.payee_identifier);
        });
        return out;
    });
}

namespace {

// The operator closes the open window through the Admin API, as on the real hub.
net::awaitable<std::optional<std::uint64_t>> close_open_window(std::string admin)
{
    auto const ex = co_await asio::this_coro::executor;
    net::client_options o;
    o.name = "operator";
    net::client c(ex, o);
    net::request get;
    auto list = co_await c.send(admin + "/settlementWindows?state=OPEN", std::move(get));
    std::optional<std::uint64_t> id;
    if(list && list->ok())
    {
        json::error_code ec;
        auto const v = json::parse(list->body, ec);
        if(!ec && v.is_array() && !v.get_array().empty() && v.get_array()[0].is_object())
            if(auto const* w = v.get_array()[0].get_object().if_contains("settlementWindowId"); w && w->is_number())
                id = w->to_number<std::uint64_t>();
    }
    if(id)
    {
        json::object body{{"state", "CLOSED"}, {"reason", "scenario step"}};
        auto request = central::admin_request(net::method::post, json::serialize(body));
        auto const url = admin + "/settlementWindows/" + std::to_string(*id);
        auto res = co_await c.send(url, std::move(request));
        if(!res || !res->ok())
            id.reset();
    }
    c.close();
    co_return id;
}

// The net figure of each participant in a window, read from the switch's ledger.
net::awaitable<std::map<std::string, core::decimal>> window_figures(central::switch_actor& sw, std::uint64_t id)
{
    std::map<std::string, core::decimal> out;
    if(auto const* w = sw.settlement().find_window(static_cast<ledger::window_id>(id)))
        for(auto const& e : w->entries)
            if(auto const* a = sw.participants().find_account(e.account))
                if(auto const* p = sw.participants().find(a->owner))
                {
                    // A participant's accounts in several currencies add up here; a sum
                    // beyond the decimal range throws (the step fails) rather than wrap.
                    auto& figure = out[p->name];
                    figure = checked_add(figure, e.net).value();
                }
    co_return out;
}

} // namespace

namespace {

net::awaitable<void> toggle_fault(dfsp::dfsp_actor& bank, std::string id, bool enabled)
{
    for(auto const& e : bank.faults().entries())
        if(e.rule.id == id)
        {
            auto rule = e.rule;
            rule.enabled = enabled;
            bank.faults().upsert(std::move(rule));
            break;
        }
    co_return;
}

} // namespace

net::awaitable<void> world::set_fault(std::string dfsp, std::string id, bool enabled)
{
    auto* b = bank(dfsp);
    if(!b)
        co_return;
    // On the bank's own executor.
    auto task = toggle_fault(*b, std::move(id), enabled);
    co_await asio::co_spawn(b->executor(), std::move(task), asio::use_awaitable);
}

net::awaitable<std::map<std::string, core::decimal>> world::close_settlement_window_async()
{
    auto const id = co_await close_open_window(switch_->admin_url());
    if(!id)
        co_return std::map<std::string, core::decimal>{};
    co_return co_await asio::co_spawn(switch_->executor(), window_figures(*switch_, *id), asio::use_awaitable);
}

} // namespace mojasim::scenario
