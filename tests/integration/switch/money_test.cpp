// Money never wraps (issue 11 §1), over real HTTP: funds in beyond the decimal range are
// refused with the Admin API's 400, a prepare beyond the payer's position range gets the
// liquidity error callback, and state stays as it was; transfers keep working.
#include "switch_harness.hpp"

namespace mojasim::test {

namespace {

using net::method;

// The id of an FSP's SETTLEMENT account, from the Admin API.
net::awaitable<std::string>
settlement_account(world& w, std::string const& fsp)
{
    auto r = co_await w.admin(method::get, "/participants/" + fsp + "/accounts");
    REQUIRE(r.status == 200);
    std::string id;
    auto const accounts = boost::json::parse(r.body);
    for(auto const& a : accounts.as_array())
        if(a.at("ledgerAccountType") == "SETTLEMENT")
            id = std::to_string(a.at("id").as_int64());
    REQUIRE(!id.empty());
    co_return id;
}

net::awaitable<net::response>
funds_in(world& w, std::string const& fsp, std::string const& amount)
{
    auto const account = co_await settlement_account(w, fsp);
    auto r = co_await w.admin(method::post, "/participants/" + fsp + "/accounts/" + account,
                              R"({"transferId":")" + w.new_id() +
                                  R"(","externalReference":"deposit","action":"recordFundsIn","reason":"deposit",)"
                                  R"("amount":{"amount":")" + amount + R"(","currency":"USD"}})");
    co_return r;
}

// An FSP onboarded as the harness does, with an initial position of its own.
net::awaitable<void>
onboard(world& w, test_fsp const& f, std::string const& ndc, std::string const& initial, std::string const& funds)
{
    auto r = co_await w.admin(method::post, "/participants", R"({"name":")" + f.name() + R"(","currency":"USD"})");
    REQUIRE(r.status == 201);
    r = co_await w.admin(method::post, "/participants/" + f.name() + "/initialPositionAndLimits",
                         R"({"currency":"USD","limit":{"type":"NET_DEBIT_CAP","value":)" + ndc +
                             R"(},"initialPosition":)" + initial + "}");
    REQUIRE(r.status == 201);
    for(auto const& [type, value] : endpoints_for(f.base_url()))
    {
        r = co_await w.admin(method::post, "/participants/" + f.name() + "/endpoints",
                             R"({"type":")" + type + R"(","value":")" + value + R"("})");
        REQUIRE(r.status == 201);
    }
    r = co_await funds_in(w, f.name(), funds);
    REQUIRE(r.status == 202);
}

core::decimal
balance(world& w, std::string const& fsp, ledger::account_type type)
{
    auto const& reg = w.hub.participants();
    auto const* p = reg.find(fsp);
    REQUIRE(p);
    auto const* a = reg.account_of(p->id, type, "USD");
    REQUIRE(a);
    return a->value;
}

core::decimal
dec(char const* s)
{
    auto d = core::decimal::parse(s);
    REQUIRE(d);
    return *d;
}

net::awaitable<void>
money_never_wraps(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.onboard_hub();
    // dfsp1: 900000000000000 deposited and as much received before (a position that far
    // below zero), so its liquidity minus its position is beyond the 64-bit range.
    co_await onboard(w, w.dfsp1, "900000000000000", "-900000000000000", "900000000000000");
    // dfsp2: a position close to the range's end.
    co_await onboard(w, w.dfsp2, "922337203685477", "900000000000000", "5000");
    auto const hub_before = balance(w, "Hub", ledger::account_type::hub_reconciliation);
    CHECK(hub_before == dec("900000000005000"));

    // The issue's second recordFundsIn of 900000000000000: refused with the hub's error
    // body, balances as they were.
    auto r = co_await funds_in(w, "dfsp1", "900000000000000");
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3100");
    CHECK(balance(w, "dfsp1", ledger::account_type::settlement) == dec("-900000000000000"));
    CHECK(balance(w, "Hub", ledger::account_type::hub_reconciliation) == hub_before);
    // Through the Admin API too.
    auto listing = co_await w.admin(method::get, "/participants/dfsp1/accounts");
    CHECK(listing.body.find("-900000000000000") != std::string::npos);

    // A transfer from dfsp1 still goes through (before, the wrapped difference refused it
    // with 4001) and commits.
    auto const id = w.new_id();
    auto const got = co_await w.prepare(id, "100");
    REQUIRE(got);
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/transfers/" + id, world::fulfil_body(id), "dfsp1"));
    CHECK(r.status == 200);
    auto const done = co_await w.dfsp1.expect(method::put, "/transfers/" + id);
    REQUIRE(done);
    CHECK(w.hub.transfer_state(id) == ledger::transfer_state::committed);
    CHECK(w.hub.position("dfsp1", "USD") == dec("-899999999999900"));
    CHECK(w.hub.position("dfsp2", "USD") == dec("899999999999900"));

    // A prepare whose amount would take dfsp2's position beyond the range: the liquidity
    // error from the hub, nothing reserved, nothing forwarded.
    auto const over = w.new_id();
    r = co_await w.dfsp2.send(
        w.fspiop(), w.dfsp2.make(method::post, "/transfers",
                                 world::prepare_body(over, "99999999999999.9999", 30s, "dfsp2", "dfsp1"), "dfsp1"));
    CHECK(r.status == 202);
    auto const e = co_await w.dfsp2.expect(method::put, "/transfers/" + over + "/error");
    REQUIRE(e);
    CHECK(error_code_in(*e) == "4001");
    CHECK(e->fields.value_or("FSPIOP-Source") == "Hub");
    CHECK(w.hub.transfer_state(over) == ledger::transfer_state::aborted_rejected);
    CHECK(w.hub.position("dfsp2", "USD") == dec("899999999999900"));
    CHECK(w.dfsp1.unexpected().empty());

    // And transfers keep working afterwards.
    auto const again = w.new_id();
    auto const got2 = co_await w.prepare(again, "0.5");
    CHECK(got2);
    CHECK(w.hub.position("dfsp1", "USD") == dec("-899999999999899.5"));
}

} // namespace

TEST_CASE("switch: funds in and prepares beyond the decimal range are refused, state stays", "[switch][money]")
{
    run_async(money_never_wraps);
}

} // namespace mojasim::test
