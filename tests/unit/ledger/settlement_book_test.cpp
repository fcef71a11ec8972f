// Settlement windows and deferred net settlement.
#include "ledger_fixture.hpp"

namespace mojasim::ledger::test {

using fspiop::errc;

namespace {

void
commit(ledger_fixture& f, std::string const& id, char const* amt, std::string payer = "dfsp1",
       std::string payee = "dfsp2")
{
    REQUIRE(f.book.prepare(f.prepare_cmd(id, amt, payer, payee), f.clock.now()).state == transfer_state::reserved);
    auto cmd = f.fulfil_cmd(id);
    cmd.source = payee;
    cmd.destination = payer;
    REQUIRE(f.book.fulfil(cmd, f.clock.now()).state == transfer_state::committed);
}

decimal
net_of(settlement const& s, account_id id)
{
    for(auto const& a : s.accounts)
        if(a.account == id)
            return a.net;
    FAIL("account not in settlement");
    return {};
}

} // namespace

TEST_CASE("settlement: one open window, closing it opens the next", "[ledger][settlement]")
{
    ledger_fixture f;
    f.standard();
    CHECK(f.settlement.open_window() == 1);
    commit(f, "t1", "100");
    commit(f, "t2", "30", "dfsp2", "dfsp1");

    auto next = f.settlement.close(1, "end of day", f.clock.now());
    REQUIRE(next);
    CHECK((*next)->id == 2);
    CHECK((*next)->state == window_state::open);
    CHECK(f.settlement.open_window() == 2);
    auto const* w1 = f.settlement.find_window(1);
    CHECK(w1->state == window_state::closed);
    CHECK(w1->reason == "end of day");
    CHECK(w1->transfer_count == 2);
    CHECK(w1->currencies == std::vector<std::string>{"USD"});

    // Later commits land in the new window.
    commit(f, "t3", "5");
    CHECK(f.book.find("t3")->window == 2);

    auto again = f.settlement.close(1, "", f.clock.now());
    REQUIRE_FALSE(again);
    CHECK(again.error().code == errc::generic_validation_error);
    REQUIRE_FALSE(f.settlement.close(99, "", f.clock.now()));
}

TEST_CASE("settlement: net figures of closed windows, settling resets positions", "[ledger][settlement]")
{
    ledger_fixture f;
    f.setup_hub();
    f.onboard("dfsp1", "1000", "10000");
    f.onboard("dfsp2", "1000", "10000");
    f.onboard("dfsp3", "1000", "10000");
    commit(f, "t1", "1000");                   // dfsp1 -> dfsp2
    commit(f, "t2", "250.5", "dfsp2", "dfsp3"); // dfsp2 -> dfsp3
    // dfsp1 used its whole net debit cap.
    CHECK(error_code_of(f.book.prepare(f.prepare_cmd("t3", "1"), f.clock.now()), 0) == "4200");
    REQUIRE(f.settlement.close(1, "", f.clock.now()));

    window_id const windows[] = {1};
    auto created = f.settlement.create_settlement("DEFERRED_NET", "daily", windows, f.participants, f.clock.now());
    REQUIRE(created);
    auto const id = (*created)->id;
    auto const& s = **created;
    CHECK(s.state == settlement_state::pending_settlement);
    CHECK(f.settlement.find_window(1)->state == window_state::pending_settlement);
    REQUIRE(s.accounts.size() == 3);
    CHECK(net_of(s, f.acc("dfsp1", account_type::position).id) == amount("1000"));
    CHECK(net_of(s, f.acc("dfsp2", account_type::position).id) == amount("-749.5"));
    CHECK(net_of(s, f.acc("dfsp3", account_type::position).id) == amount("-250.5"));

    // A window cannot be in two settlements.
    REQUIRE_FALSE(f.settlement.create_settlement("DEFERRED_NET", "", windows, f.participants, f.clock.now()));

    // Recorded and reserved: no money moves yet.
    REQUIRE(f.settlement.advance_all(id, settlement_state::ps_transfers_recorded, "", f.participants, f.clock.now()));
    REQUIRE(f.settlement.advance_all(id, settlement_state::ps_transfers_reserved, "", f.participants, f.clock.now()));
    CHECK(f.position("dfsp1") == amount("1000"));

    // Committed: positions reset, the net amounts move to the settlement balances.
    auto committed =
        f.settlement.advance_all(id, settlement_state::ps_transfers_committed, "", f.participants, f.clock.now());
    REQUIRE(committed);
    CHECK((*committed)->state == settlement_state::ps_transfers_committed);
    CHECK(f.position("dfsp1") == decimal{});
    CHECK(f.position("dfsp2") == decimal{});
    CHECK(f.position("dfsp3") == decimal{});
    CHECK(f.acc("dfsp1", account_type::settlement).value == amount("-9000"));
    CHECK(f.acc("dfsp2", account_type::settlement).value == amount("-10749.5"));
    CHECK(f.acc("dfsp3", account_type::settlement).value == amount("-10250.5"));
    f.check_sums();

    // The net debit cap headroom is back.
    CHECK(f.book.prepare(f.prepare_cmd("t4", "1000"), f.clock.now()).state == transfer_state::reserved);

    // Going back is refused; settling finishes the windows and their transfers.
    REQUIRE_FALSE(f.settlement.advance_all(id, settlement_state::ps_transfers_recorded, "", f.participants, f.clock.now()));
    REQUIRE(f.settlement.advance_all(id, settlement_state::settled, "paid", f.participants, f.clock.now()));
    CHECK(f.settlement.find_settlement(id)->state == settlement_state::settled);
    CHECK(f.settlement.find_window(1)->state == window_state::settled);
    CHECK(f.book.state_of("t1") == transfer_state::settled);
    CHECK(to_api(*f.book.state_of("t1")) == api_state::committed);
    CHECK(f.book.query({"t1", "dfsp1"}).effects.size() == 1);
    REQUIRE_FALSE(f.settlement.advance_all(id, settlement_state::settled, "", f.participants, f.clock.now()));
    f.check_sums();
}

TEST_CASE("settlement: accounts move one by one, the settlement follows the slowest", "[ledger][settlement]")
{
    ledger_fixture f;
    f.standard();
    commit(f, "t1", "40");
    REQUIRE(f.settlement.close(1, "", f.clock.now()));
    window_id const windows[] = {1};
    auto const id = (*f.settlement.create_settlement("DEFERRED_NET", "", windows, f.participants, f.clock.now()))->id;
    auto const p1 = f.participants.find("dfsp1")->id;
    auto const a1 = f.acc("dfsp1", account_type::position).id;
    auto const p2 = f.participants.find("dfsp2")->id;
    auto const a2 = f.acc("dfsp2", account_type::position).id;

    std::vector<account_transition> step = {{p1, a1, settlement_state::ps_transfers_committed, "payer done"}};
    auto s = f.settlement.advance(id, step, f.participants, f.clock.now());
    REQUIRE(s);
    CHECK((*s)->state == settlement_state::pending_settlement);
    CHECK(f.position("dfsp1") == decimal{});
    CHECK(f.position("dfsp2") == amount("-40"));

    // Unknown accounts, wrong owners and backward moves are refused without any change.
    std::vector<account_transition> bad = {{p2, a2, settlement_state::ps_transfers_committed, ""},
                                           {p2, a1, settlement_state::settled, ""}};
    REQUIRE_FALSE(f.settlement.advance(id, bad, f.participants, f.clock.now()));
    CHECK(f.position("dfsp2") == amount("-40"));
    std::vector<account_transition> back = {{p1, a1, settlement_state::ps_transfers_recorded, ""}};
    REQUIRE_FALSE(f.settlement.advance(id, back, f.participants, f.clock.now()));

    std::vector<account_transition> rest = {{p1, a1, settlement_state::settled, ""},
                                            {p2, a2, settlement_state::settled, ""}};
    s = f.settlement.advance(id, rest, f.participants, f.clock.now());
    REQUIRE(s);
    CHECK((*s)->state == settlement_state::settled);
    CHECK(f.position("dfsp2") == decimal{});
    CHECK(f.settlement.find_window(1)->state == window_state::settled);
    f.check_sums();
}

TEST_CASE("settlement: abort before any money moved returns the windows", "[ledger][settlement]")
{
    ledger_fixture f;
    f.standard();
    commit(f, "t1", "40");
    REQUIRE(f.settlement.close(1, "", f.clock.now()));
    window_id const windows[] = {1};
    auto const first = (*f.settlement.create_settlement("DEFERRED_NET", "", windows, f.participants, f.clock.now()))->id;
    REQUIRE(f.settlement.advance_all(first, settlement_state::aborted, "mistake", f.participants, f.clock.now()));
    CHECK(f.settlement.find_window(1)->state == window_state::closed);
    CHECK(f.position("dfsp1") == amount("40"));

    auto const second = (*f.settlement.create_settlement("DEFERRED_NET", "", windows, f.participants, f.clock.now()))->id;
    REQUIRE(f.settlement.advance_all(second, settlement_state::ps_transfers_committed, "", f.participants, f.clock.now()));
    auto late = f.settlement.advance_all(second, settlement_state::aborted, "", f.participants, f.clock.now());
    REQUIRE_FALSE(late);
    CHECK(f.position("dfsp1") == decimal{});

    std::vector<window_id> none;
    REQUIRE_FALSE(f.settlement.create_settlement("DEFERRED_NET", "", none, f.participants, f.clock.now()));
    window_id const open[] = {2};
    REQUIRE_FALSE(f.settlement.create_settlement("DEFERRED_NET", "", open, f.participants, f.clock.now()));
    REQUIRE_FALSE(f.settlement.advance_all(99, settlement_state::settled, "", f.participants, f.clock.now()));
    f.check_sums();
}

} // namespace mojasim::ledger::test
