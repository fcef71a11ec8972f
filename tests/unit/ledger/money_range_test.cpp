// Money never wraps (issue 11 §1): every movement whose result would leave the decimal
// range is refused before anything changes, with the error the real hub would give.
#include "ledger_fixture.hpp"

namespace mojasim::ledger::test {

namespace {

// The largest decimal, and figures a little below it.
decimal const max = decimal::max();

decimal
minus(decimal a, char const* b)
{
    auto const r = checked_sub(a, amount(b));
    REQUIRE(r);
    return *r;
}

funds_command
funds_in(ledger_fixture const& f, std::string const& name, std::string id, decimal amt)
{
    funds_command c;
    c.participant = name;
    c.account = f.settlement_account(name);
    c.action = funds_action::record_funds_in;
    c.transfer_id = std::move(id);
    c.amount = amt;
    c.currency = "USD";
    c.reason = "deposit";
    return c;
}

// A DFSP with the given NDC, initial position and deposit (all decimals, any size).
void
onboard(ledger_fixture& f, std::string const& name, decimal ndc, decimal initial, decimal funds)
{
    REQUIRE(f.participants.add_participant(name, "USD", f.clock.now()));
    REQUIRE(f.participants.set_initial_position_and_limits(name, "USD", ndc, initial, f.clock.now()));
    if(!funds.is_zero())
        REQUIRE(f.participants.record_funds(funds_in(f, name, "funds-" + name, funds), f.clock.now()));
}

decision
fulfil(ledger_fixture& f, std::string const& id, std::string const& payer, std::string const& payee)
{
    auto cmd = f.fulfil_cmd(id);
    cmd.source = payee;
    cmd.destination = payer;
    return f.book.fulfil(cmd, f.clock.now());
}

prepare_command
prepare(ledger_fixture& f, std::string const& id, decimal amt, std::string const& payer, std::string const& payee)
{
    auto c = f.prepare_cmd(id, "1", payer, payee);
    c.amount = amt;
    return c;
}

} // namespace

TEST_CASE("money: a funds in that would take a balance beyond the range is refused, nothing changes",
          "[ledger][money]")
{
    ledger_fixture f;
    f.setup_hub();
    f.onboard("dfsp1", "1000", "900000000000000");
    f.onboard("dfsp2", "1000", "0");
    auto const& settle = f.acc("dfsp1", account_type::settlement);
    auto const& hub = f.acc("Hub", account_type::hub_reconciliation);
    REQUIRE(settle.value == amount("-900000000000000"));

    SECTION("the issue's second recordFundsIn of 900000000000000 to the same participant")
    {
        auto r = f.participants.record_funds(funds_in(f, "dfsp1", "again", amount("900000000000000")), f.clock.now());
        REQUIRE_FALSE(r);
        CHECK(r.error().code == fspiop::errc::generic_validation_error);
        CHECK(settle.value == amount("-900000000000000"));
        CHECK(hub.value == amount("900000000000000"));
        CHECK_FALSE(f.participants.find_funds_transfer("again")); // the id may be used again
    }
    SECTION("up to the range's end exactly, and not one unit further")
    {
        auto const rest = minus(max, "900000000000000"); // 22337203685477.5807
        REQUIRE(f.participants.record_funds(funds_in(f, "dfsp1", "rest", rest), f.clock.now()));
        CHECK(settle.value == -max);
        CHECK(hub.value == max);
        CHECK_FALSE(f.participants.record_funds(funds_in(f, "dfsp1", "unit", amount("0.0001")), f.clock.now()));
        CHECK(settle.value == -max);
        CHECK(hub.value == max);
    }
    SECTION("the hub's reconciliation account sums every participant's funds")
    {
        CHECK_FALSE(
            f.participants.record_funds(funds_in(f, "dfsp2", "dfsp2-in", amount("900000000000000")), f.clock.now()));
        CHECK(f.acc("dfsp2", account_type::settlement).value == decimal{});
        CHECK(hub.value == amount("900000000000000"));
    }
    // Transfers still work afterwards.
    REQUIRE(f.book.prepare(f.prepare_cmd("t1", "100"), f.clock.now()).state == transfer_state::reserved);
    REQUIRE(f.book.fulfil(f.fulfil_cmd("t1"), f.clock.now()).state == transfer_state::committed);
    CHECK(f.position("dfsp1") == amount("100"));
}

TEST_CASE("money: NDC minus a large negative position is not an overflow", "[ledger][money]")
{
    // L - effective and NDC - effective are both beyond the range here: the real hub
    // reserves, and so must we (before, the wrapped difference refused it with 4001).
    ledger_fixture f;
    f.setup_hub();
    onboard(f, "dfsp1", amount("900000000000000"), amount("-900000000000000"), amount("900000000000000"));
    onboard(f, "dfsp2", amount("1000"), decimal{}, decimal{});
    auto d = f.book.prepare(f.prepare_cmd("t1", "100"), f.clock.now());
    CHECK(d.state == transfer_state::reserved);
    CHECK(f.position("dfsp1") == amount("-899999999999900"));
}

TEST_CASE("money: a prepare that would overflow the payer's position is refused like a liquidity failure",
          "[ledger][money]")
{
    ledger_fixture f;
    bool const liquidity_check = GENERATE(true, false);
    f.setup_hub("USD", liquidity_check);
    onboard(f, "dfsp1", max, minus(max, "50"), max);
    onboard(f, "dfsp2", amount("1000"), decimal{}, decimal{});

    auto d = f.book.prepare(f.prepare_cmd("t1", "100"), f.clock.now());
    REQUIRE(d.state == transfer_state::aborted_rejected);
    CHECK(effect_at<notify_error>(d, 0).to == "dfsp1");
    // The real hub's answer for an amount beyond every limit: liquidity first, else the NDC.
    CHECK(error_code_of(d, 0) == (liquidity_check ? "4001" : "4200"));
    CHECK(f.position("dfsp1") == minus(max, "50"));
    CHECK(f.book.in_flight() == 0);
    // What fits still goes through.
    CHECK(f.book.prepare(f.prepare_cmd("t2", "50"), f.clock.now()).state == transfer_state::reserved);
    CHECK(f.position("dfsp1") == max);
}

TEST_CASE("money: a commit that would take the payee's position beyond the range is aborted", "[ledger][money]")
{
    ledger_fixture f;
    f.setup_hub();
    onboard(f, "dfsp1", amount("1000"), decimal{}, amount("1000"));
    onboard(f, "dfsp2", amount("1000"), minus(-max, "-50"), decimal{}); // position -max + 50
    REQUIRE(f.book.prepare(f.prepare_cmd("t1", "100"), f.clock.now()).state == transfer_state::reserved);

    auto d = f.book.fulfil(f.fulfil_cmd("t1"), f.clock.now());
    REQUIRE(d.state == transfer_state::aborted_rejected);
    auto const& e = effect_at<notify_error>(d, 0);
    CHECK(e.to == "dfsp1");
    CHECK(e.error.error_code == "5200");
    // The payer's reservation is released; the payee is untouched; nothing in the window.
    CHECK(f.position("dfsp1") == decimal{});
    CHECK(f.position("dfsp2") == minus(-max, "-50"));
    CHECK(f.settlement.find_window(f.settlement.open_window())->transfer_count == 0);
    CHECK(f.book.in_flight() == 0);
    // 50 still fits.
    REQUIRE(f.book.prepare(f.prepare_cmd("t2", "50"), f.clock.now()).state == transfer_state::reserved);
    CHECK(f.book.fulfil(f.fulfil_cmd("t2"), f.clock.now()).state == transfer_state::committed);
    CHECK(f.position("dfsp2") == -max);
}

TEST_CASE("money: a credit is refused when releasing the account's own reservation could no longer fit",
          "[ledger][money]")
{
    // dfsp1 holds a reservation of 100 and then receives almost the whole range: a further
    // credit would fit its position only thanks to the reservation, which may still be
    // released. Refusing it keeps the release in range.
    ledger_fixture f;
    f.setup_hub();
    onboard(f, "dfsp1", amount("1000"), decimal{}, amount("1000"));
    auto const big = minus(max, "50");
    // dfsp2 pays from a position as far below zero (funds in would overflow the hub's side).
    onboard(f, "dfsp2", decimal{}, -big, decimal{});
    onboard(f, "dfsp3", amount("1000"), decimal{}, amount("1000"));
    REQUIRE(f.book.prepare(f.prepare_cmd("out", "100"), f.clock.now()).state == transfer_state::reserved);
    REQUIRE(f.book.prepare(prepare(f, "in", big, "dfsp2", "dfsp1"), f.clock.now()).state == transfer_state::reserved);
    REQUIRE(fulfil(f, "in", "dfsp2", "dfsp1").state == transfer_state::committed);
    CHECK(f.position("dfsp1") == minus(-big, "-100"));

    REQUIRE(f.book.prepare(prepare(f, "more", amount("100"), "dfsp3", "dfsp1"), f.clock.now()).state ==
            transfer_state::reserved);
    auto d = fulfil(f, "more", "dfsp3", "dfsp1");
    REQUIRE(d.state == transfer_state::aborted_rejected);
    CHECK(error_code_of(d, 0) == "5200");
    CHECK(f.position("dfsp3") == decimal{});

    // The reservation is released and lands in range.
    auto r = f.book.reject(f.reject_cmd("out"), f.clock.now());
    REQUIRE(r.state == transfer_state::aborted_error);
    CHECK(f.position("dfsp1") == -big);
}

TEST_CASE("money: settlement figures beyond the range are refused", "[ledger][money]")
{
    // dfsp1 starts almost the whole range below zero so it can pay almost the whole range
    // twice; dfsp2 starts almost the whole range above zero so it can receive it twice.
    ledger_fixture f;
    f.setup_hub();
    auto const big = minus(max, "1");
    onboard(f, "dfsp1", max, -big, max);
    onboard(f, "dfsp2", max, big, decimal{});
    REQUIRE(f.book.prepare(prepare(f, "t1", big, "dfsp1", "dfsp2"), f.clock.now()).state == transfer_state::reserved);
    REQUIRE(fulfil(f, "t1", "dfsp1", "dfsp2").state == transfer_state::committed);
    REQUIRE(f.book.prepare(prepare(f, "t2", big, "dfsp1", "dfsp2"), f.clock.now()).state == transfer_state::reserved);

    SECTION("one window cannot hold a net beyond the range: the commit is aborted")
    {
        auto d = fulfil(f, "t2", "dfsp1", "dfsp2");
        REQUIRE(d.state == transfer_state::aborted_rejected);
        CHECK(error_code_of(d, 0) == "5200");
        CHECK(f.position("dfsp1") == decimal{});
        CHECK(f.position("dfsp2") == decimal{});
        CHECK(f.settlement.find_window(f.settlement.open_window())->transfer_count == 1);
    }
    SECTION("two windows fit alone, but a settlement over both is refused and changes nothing")
    {
        auto const w1 = f.settlement.open_window();
        REQUIRE(f.settlement.close(w1, "first", f.clock.now()));
        REQUIRE(fulfil(f, "t2", "dfsp1", "dfsp2").state == transfer_state::committed);
        auto const w2 = f.settlement.open_window();
        REQUIRE(f.settlement.close(w2, "second", f.clock.now()));
        std::vector<window_id> both{w1, w2};
        auto s = f.settlement.create_settlement("DEFERRED_NET", "both", both, f.participants, f.clock.now());
        REQUIRE_FALSE(s);
        CHECK(s.error().code == fspiop::errc::generic_validation_error);
        CHECK(f.settlement.find_window(w1)->state == window_state::closed);
        CHECK(f.settlement.find_window(w2)->state == window_state::closed);
        CHECK(f.settlement.settlements().empty());
        // Each window alone settles.
        std::vector<window_id> one{w1};
        CHECK(f.settlement.create_settlement("DEFERRED_NET", "one", one, f.participants, f.clock.now()));
    }
}

TEST_CASE("money: committing a settlement account whose balance would leave the range is refused",
          "[ledger][money]")
{
    // dfsp2's settlement balance holds almost the whole range (-(max - 50)): settling the
    // 100 it received would push it to -(max + 50). dfsp1 pays from a negative initial
    // position, so the hub's reconciliation account stays in range.
    ledger_fixture f;
    f.setup_hub();
    onboard(f, "dfsp1", amount("1000"), amount("-1000"), decimal{});
    onboard(f, "dfsp2", amount("1000"), decimal{}, minus(max, "50"));
    REQUIRE(f.book.prepare(f.prepare_cmd("t1", "100"), f.clock.now()).state == transfer_state::reserved);
    REQUIRE(f.book.fulfil(f.fulfil_cmd("t1"), f.clock.now()).state == transfer_state::committed);
    auto const w = f.settlement.open_window();
    REQUIRE(f.settlement.close(w, "close", f.clock.now()));
    std::vector<window_id> one{w};
    auto s = f.settlement.create_settlement("DEFERRED_NET", "settle", one, f.participants, f.clock.now());
    REQUIRE(s);
    auto const id = (*s)->id;
    auto r = f.settlement.advance_all(id, settlement_state::ps_transfers_committed, "", f.participants, f.clock.now());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == fspiop::errc::generic_validation_error);
    // Nothing moved: neither account of the settlement.
    CHECK(f.position("dfsp1") == amount("-900"));
    CHECK(f.position("dfsp2") == amount("-100"));
    CHECK(f.acc("dfsp1", account_type::settlement).value == decimal{});
    CHECK(f.acc("dfsp2", account_type::settlement).value == minus(-max, "-50"));
    for(auto const& a : f.settlement.find_settlement(id)->accounts)
        CHECK(a.state == settlement_state::pending_settlement);
}

} // namespace mojasim::ledger::test
