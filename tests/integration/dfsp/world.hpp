// A small Mojaloop world over real HTTP on 127.0.0.1 (ports 0): the real switch
// (simulator/central), DFSP1 with its connector and DFSP2, onboarded through the Admin API as
// an operator onboards real DFSPs. Used by every integration test of the DFSP simulators.
#pragma once

#include "simulator/central/switch_actor.hpp"
#include "simulator/connector/codec.hpp"
#include "simulator/core/ids.hpp"
#include "simulator/core/log.hpp"
#include "simulator/dfsp/dfsp_actor.hpp"
#include "simulator/net/client.hpp"
#include "simulator/net/trace.hpp"
#include "tests/support/async_test.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <string>

namespace mojasim::test {

using dfsp::decimal;

inline decimal dec(std::string_view s)
{
    return *decimal::parse(s);
}

inline constexpr char const* payer_msisdn = "0413356886";
inline constexpr char const* amina = "0495822412";
inline constexpr char const* brian = "0424942603";
inline constexpr char const* esi = "0455510400";

inline std::string dfsp1_yaml()
{
    return R"(
fsp_id: dfsp1
currency: USD
ilp_secret: dfsp1-secret
onboarding: { net_debit_cap: 1000000, funds_in: 1000000 }
connector:
  payer_account: treasury
  party_timeout_ms: 3000
  quote_timeout_ms: 3000
  prepare_expiry_seconds: 10
  transfer_grace_ms: 3000
accounts:
  - { id: treasury, balance: 10000000 }
parties:
  - { id_type: MSISDN, id: "0413356886", display_name: Government Treasury, account: treasury }
)";
}

inline std::string dfsp2_yaml()
{
    return R"(
fsp_id: dfsp2
currency: USD
ilp_secret: dfsp2-secret
onboarding: { net_debit_cap: 1000000, funds_in: 1000000 }
payee:
  fee: { fixed: 0.5, percent: 1 }
  fee_account: fees
parties:
  - { id: "0495822412", first_name: Amina, last_name: Okello, date_of_birth: 1988-03-14 }
  - { id: "0424942603", first_name: Brian, last_name: Mwangi, date_of_birth: 1979-11-02 }
  - { id: "0455510400", first_name: Esi, last_name: Mensah, date_of_birth: 1985-01-30 }
  - { id_type: PERSONAL_ID, id: "A1234567", sub_id: PASSPORT, display_name: Kofi Boateng }
)";
}

struct world_options
{
    std::function<void(dfsp::config&)> tweak_dfsp1;
    std::function<void(dfsp::config&)> tweak_dfsp2;
    std::function<void(central::switch_config&)> tweak_switch;
    std::chrono::milliseconds sweep{50};
    /// Sees every message of the switch and both DFSPs (set before they start).
    net::trace_sink trace;
};

/// What the connector answered, decoded.
struct outcome
{
    unsigned status = 0;
    connector::transfer_response transfer;  ///< the transferResponse (or the error's transferState)
    std::string status_code;                ///< statusCode of an error answer
    std::string body;

    [[nodiscard]] std::string state() const
    {
        return transfer.current_state ? std::string(connector::to_string(*transfer.current_state)) : "(none)";
    }
    [[nodiscard]] std::string error_code() const
    {
        auto const* e = transfer.mojaloop_error_information();
        return e ? e->error_code : std::string{};
    }
    [[nodiscard]] std::string id() const { return transfer.transfer_id.value_or(""); }
};

class world
{
public:
    world(net::asio::io_context& ioc, world_options opts = {}) : ioc_(ioc), opts_(std::move(opts))
    {
        core::set_log_level("error");
        central::switch_config sc;
        sc.fspiop_port = 0;
        sc.admin_port = 0;
        sc.expiry_sweep_interval = opts_.sweep;
        if(opts_.tweak_switch)
            opts_.tweak_switch(sc);
        hub = std::make_unique<central::switch_actor>(ioc, sc);
        if(opts_.trace)
            hub->set_trace(opts_.trace);
        net::client_options co;
        co.max_connections_per_host = 1024;
        co.request_timeout = std::chrono::milliseconds(120'000);
        client = std::make_unique<net::client>(ioc.get_executor(), co);
    }

    ~world()
    {
        if(dfsp1)
            dfsp1->stop();
        if(dfsp2)
            dfsp2->stop();
        hub->stop();
        client->close();
    }

    world(world const&) = delete;
    world& operator=(world const&) = delete;

    /// Start the switch, set up the hub's accounts and settlement model, start and onboard
    /// both DFSPs.
    net::awaitable<void> setup()
    {
        hub->start();
        auto const admin = hub->admin_url();
        for(auto const* type : {"HUB_MULTILATERAL_SETTLEMENT", "HUB_RECONCILIATION"})
        {
            std::string const body = std::string(R"({"type":")") + type + R"(","currency":"USD"})";
            auto const r = co_await admin_post("/participants/Hub/accounts", body);
            REQUIRE(r == 201);
        }
        std::string const model =
            R"({"name":"DEFERREDNET","settlementGranularity":"NET","settlementInterchange":"MULTILATERAL",)"
            R"("settlementDelay":"DEFERRED","requireLiquidityCheck":true,"ledgerAccountType":"POSITION",)"
            R"("autoPositionReset":true,"currency":"USD","settlementAccountType":"SETTLEMENT"})";
        auto const m = co_await admin_post("/settlementModels", model);
        REQUIRE(m == 201);

        dfsp::switch_config s;
        s.fspiop_url = hub->fspiop_url();
        s.admin_url = admin;
        auto c1 = dfsp::parse_config(dfsp1_yaml(), "dfsp1");
        auto c2 = dfsp::parse_config(dfsp2_yaml(), "dfsp2");
        c1.switch_api = s;
        c2.switch_api = s;
        c1.connector.enabled = true;
        if(opts_.tweak_dfsp1)
            opts_.tweak_dfsp1(c1);
        if(opts_.tweak_dfsp2)
            opts_.tweak_dfsp2(c2);
        dfsp1 = std::make_unique<dfsp::dfsp_actor>(ioc_, std::move(c1));
        dfsp2 = std::make_unique<dfsp::dfsp_actor>(ioc_, std::move(c2));
        if(opts_.trace)
        {
            dfsp1->set_trace(opts_.trace);
            dfsp2->set_trace(opts_.trace);
        }
        dfsp1->start();
        dfsp2->start();
        auto const r1 = co_await dfsp1->onboard();
        INFO((r1.problems.empty() ? std::string{} : r1.problems.front()));
        REQUIRE(r1.ok());
        CHECK(r1.parties_registered == 1);
        CHECK(r1.endpoints_registered == 20);
        auto const r2 = co_await dfsp2->onboard();
        INFO((r2.problems.empty() ? std::string{} : r2.problems.front()));
        REQUIRE(r2.ok());
        CHECK(r2.parties_registered == 4);
        treasury_start = balance(*dfsp1, "treasury");
    }

    /// The body of a connector POST /transfers.
    std::string transfer_body(std::string_view to, std::string_view amount, std::string_view amount_type = "RECEIVE",
                              std::string_view extra = {}, std::string_view to_type = "MSISDN",
                              std::string_view to_sub = {})
    {
        std::string b = R"({"homeTransactionId":")" + ids.uuid_v4() +
                        R"(","from":{"idType":"MSISDN","idValue":")" + payer_msisdn +
                        R"(","displayName":"Government Treasury"},"to":{"idType":")" + std::string(to_type) +
                        R"(","idValue":")" + std::string(to) + '"';
        if(!to_sub.empty())
            b += R"(,"idSubValue":")" + std::string(to_sub) + '"';
        b += R"(},"amountType":")" + std::string(amount_type) + R"(","currency":"USD","amount":")" +
             std::string(amount) + R"(","transactionType":"TRANSFER","note":"G2P payment")";
        if(!extra.empty())
            b += "," + std::string(extra);
        b += "}";
        return b;
    }

    /// POST the body to DFSP1's connector and decode its answer.
    net::awaitable<outcome> pay(std::string body)
    {
        auto res = co_await connector_call(net::method::post, "/transfers", std::move(body));
        co_return decode(res);
    }

    net::awaitable<outcome> continue_transfer(std::string const& id, std::string body)
    {
        auto res = co_await connector_call(net::method::put, "/transfers/" + id, std::move(body));
        co_return decode(res);
    }

    net::awaitable<net::response> connector_call(net::method m, std::string path, std::string body)
    {
        net::request req;
        req.method = m;
        req.fields.add("Content-Type", "application/json");
        req.body = std::move(body);
        std::string const url = dfsp1->connector_url() + path;
        auto res = co_await client->send(url, std::move(req));
        REQUIRE(res);
        co_return std::move(*res);
    }

    net::awaitable<net::response> call(std::string url, net::method m, std::string body)
    {
        net::request req;
        req.method = m;
        req.fields.add("Content-Type", "application/json");
        req.body = std::move(body);
        auto res = co_await client->send(url, std::move(req));
        REQUIRE(res);
        co_return std::move(*res);
    }

    static outcome decode(net::response const& res)
    {
        outcome o;
        o.status = res.status;
        o.body = res.body;
        if(res.status == 200)
        {
            auto t = connector::decode_transfer_response(res.body);
            INFO(res.body);
            REQUIRE(t);
            o.transfer = std::move(*t);
            return o;
        }
        auto e = connector::decode_transfer_error_response(res.body);
        if(e && e->transfer_state)
        {
            o.transfer = std::move(*e->transfer_state);
            o.status_code = e->status_code.value_or("");
        }
        return o;
    }

    static decimal balance(dfsp::dfsp_actor const& d, std::string_view account)
    {
        auto const a = d.find_account(account);
        REQUIRE(a);
        return a->balance;
    }

    decimal position(std::string_view fsp) const { return hub->position(fsp, "USD").value_or(decimal{}); }

    std::optional<ledger::transfer_state> switch_state(std::string_view id) const { return hub->transfer_state(id); }

    /// Sum of DFSP2's customer balances, fee account included.
    decimal dfsp2_total() const
    {
        decimal sum;
        for(auto const& a : dfsp2->accounts())
            sum = checked_add(sum, a.balance).value();
        return sum;
    }

    /// Money is conserved: what left the treasury is DFSP1's position, what DFSP2 holds is the
    /// opposite of its position, nothing is blocked at DFSP1, nothing stays reserved at the
    /// switch. Waits for notices still on their way (payee reversals).
    net::awaitable<void> check_conservation()
    {
        auto const settled =
            co_await settle([this] { return dfsp2_total() == -position("dfsp2") && position("dfsp1") == -position("dfsp2"); });
        CHECK(settled);
        CHECK(checked_sub(treasury_start, balance(*dfsp1, "treasury")) == position("dfsp1"));
        CHECK(dfsp2_total() == -position("dfsp2"));
        CHECK(position("dfsp1") == -position("dfsp2"));
        CHECK(dfsp1->total_blocked() == decimal{});
        CHECK(dfsp1->block_count() == 0);
        CHECK(dfsp1->stats().outbound_in_flight == 0);
    }

    /// Wait (at most 5 s) for a condition that notices still on their way will make true.
    net::awaitable<bool> settle(std::function<bool()> condition)
    {
        auto const ok = co_await settle_within(std::move(condition), std::chrono::milliseconds(5000));
        co_return ok;
    }

    net::awaitable<bool> settle_within(std::function<bool()> condition, std::chrono::milliseconds limit)
    {
        auto const step = std::chrono::milliseconds(5);
        auto const ok = co_await test::eventually(std::move(condition), limit, step);
        co_return ok;
    }

    net::awaitable<unsigned> admin_post(std::string path, std::string body)
    {
        std::string const url = hub->admin_url() + path;
        auto r = co_await call(url, net::method::post, std::move(body));
        co_return r.status;
    }

    net::asio::io_context& ioc_;
    world_options opts_;
    std::unique_ptr<central::switch_actor> hub;
    std::unique_ptr<dfsp::dfsp_actor> dfsp1;
    std::unique_ptr<dfsp::dfsp_actor> dfsp2;
    std::unique_ptr<net::client> client;
    core::id_generator ids;
    decimal treasury_start;
};

/// A fault rule from its JSON text (the test API's shape).
inline dfsp::fault_rule rule(std::string_view json)
{
    auto r = dfsp::parse_fault_rule_text(json);
    INFO(r.error);
    REQUIRE(r.rule);
    return *r.rule;
}

} // namespace mojasim::test
