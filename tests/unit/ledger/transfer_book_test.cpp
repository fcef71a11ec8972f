// The transfer state machine, path by path, as a script: command, decision, effects, sums.
#include "ledger_fixture.hpp"

namespace mojasim::ledger::test {

using fspiop::errc;

TEST_CASE("transfers: prepare reserves the payer and forwards to the payee", "[ledger][prepare]")
{
    ledger_fixture f;
    f.standard();
    auto d = f.book.prepare(f.prepare_cmd("t1", "100.25"), f.clock.now());
    REQUIRE(d.state == transfer_state::reserved);
    CHECK(d.changed);
    REQUIRE(d.effects.size() == 1);
    CHECK(effect_at<forward>(d, 0).to == "dfsp2");
    CHECK(f.position("dfsp1") == amount("100.25"));
    CHECK(f.position("dfsp2") == decimal{});
    CHECK(f.book.in_flight() == 1);
    CHECK(to_api(*f.book.state_of("t1")) == api_state::reserved);
    f.check_sums();
}

TEST_CASE("transfers: prepare validation in central-ledger's order", "[ledger][prepare]")
{
    ledger_fixture f;
    f.standard();
    f.setup_hub("EUR");
    f.onboard("dfsp3", "1000", "10000");

    struct invalid_case
    {
        char const* name;
        std::function<void(prepare_command&)> change;
        std::string detail;
    };
    std::vector<invalid_case> cases = {
        {"source is not the payer", [](prepare_command& c) { c.source = "dfsp2"; },
         "FSPIOP-Source header should match Payer"},
        {"unknown payer", [](prepare_command& c) { c.payer_fsp = c.source = "ghost"; }, "Participant ghost not found"},
        {"hub as payer", [](prepare_command& c) { c.payer_fsp = c.source = "Hub"; }, "Participant Hub not found"},
        {"unknown payee", [](prepare_command& c) { c.payee_fsp = "ghost"; }, "Participant ghost not found"},
        {"payer without the currency", [](prepare_command& c) { c.currency = "EUR"; },
         "Participant dfsp1 EUR account not found"},
        {"bad condition", [](prepare_command& c) { c.condition = "short"; }, "Condition validation failed"},
        {"expiration in the past",
         [&](prepare_command& c) { c.expiration = f.clock.now() - 1ms; },
         "Expiration date " + core::format_datetime(f.clock.now() - 1ms) + " is already in the past"},
        {"payer is payee", [](prepare_command& c) { c.payee_fsp = "dfsp1"; },
         "Payer FSP and Payee FSP should be different, unless on-us tranfers are allowed by the Scheme"},
    };
    int n = 0;
    for(auto const& c : cases)
    {
        SECTION(c.name)
        {
            auto cmd = f.prepare_cmd("bad-" + std::to_string(n));
            c.change(cmd);
            auto const sender = cmd.source;
            auto d = f.book.prepare(cmd, f.clock.now());
            REQUIRE(d.state == transfer_state::invalid);
            auto const& e = effect_at<notify_error>(d, 0);
            CHECK(e.to == sender);
            CHECK(e.error.error_code == "3100");
            CHECK(e.error.error_description == "Generic validation error - " + c.detail);
            CHECK(d.effects.size() == 1);
            // Nothing moved; the transfer is kept as INVALID (ABORTED to the API).
            CHECK(f.position("dfsp1") == decimal{});
            CHECK(to_api(*f.book.state_of(cmd.transfer_id)) == api_state::aborted);
            f.check_sums();
        }
        ++n;
    }

    SECTION("inactive participant and inactive account")
    {
        REQUIRE(f.participants.set_participant_active("dfsp2", false));
        auto d = f.book.prepare(f.prepare_cmd("t-inactive"), f.clock.now());
        CHECK(effect_at<notify_error>(d, 0).error.error_description ==
              "Generic validation error - Participant dfsp2 is inactive");
        REQUIRE(f.participants.set_participant_active("dfsp2", true));
        REQUIRE(f.participants.set_account_active("dfsp1", f.acc("dfsp1", account_type::position).id, false,
                                                  f.clock.now()));
        d = f.book.prepare(f.prepare_cmd("t-inactive-account"), f.clock.now());
        CHECK(effect_at<notify_error>(d, 0).error.error_description ==
              "Generic validation error - Participant dfsp1 USD account is inactive");
    }
}

TEST_CASE("transfers: liquidity cover is checked before the net debit cap", "[ledger][prepare]")
{
    ledger_fixture f;
    f.setup_hub();
    f.onboard("dfsp1", "100", "50"); // NDC 100, only 50 deposited
    f.onboard("dfsp2", "1000", "1000");

    SECTION("over both: 4001 wins")
    {
        auto d = f.book.prepare(f.prepare_cmd("t1", "150"), f.clock.now());
        REQUIRE(d.state == transfer_state::aborted_rejected);
        auto const& e = effect_at<notify_error>(d, 0);
        CHECK(e.to == "dfsp1");
        CHECK(e.error.error_code == "4001");
        CHECK(e.error.error_description == "Payer FSP insufficient liquidity");
    }
    SECTION("exactly the liquidity is fine, one unit more is not")
    {
        REQUIRE(f.book.prepare(f.prepare_cmd("t1", "50"), f.clock.now()).state == transfer_state::reserved);
        auto d = f.book.prepare(f.prepare_cmd("t2", "0.0001"), f.clock.now());
        CHECK(error_code_of(d, 0) == "4001");
    }
    SECTION("within liquidity but over the NDC: 4200")
    {
        funds_command more;
        more.participant = "dfsp1";
        more.account = f.settlement_account("dfsp1");
        more.action = funds_action::record_funds_in;
        more.transfer_id = "more";
        more.amount = amount("1000");
        more.currency = "USD";
        REQUIRE(f.participants.record_funds(more, f.clock.now()));
        REQUIRE(f.book.prepare(f.prepare_cmd("t1", "60"), f.clock.now()).state == transfer_state::reserved);
        auto d = f.book.prepare(f.prepare_cmd("t2", "40.0001"), f.clock.now());
        REQUIRE(d.state == transfer_state::aborted_rejected);
        CHECK(error_code_of(d, 0) == "4200");
        CHECK(effect_at<notify_error>(d, 0).error.error_description == "Payer limit error");
        CHECK(f.position("dfsp1") == amount("60"));
    }
    f.check_sums();
}

TEST_CASE("transfers: a model without liquidity check skips 4001", "[ledger][prepare]")
{
    ledger_fixture f;
    REQUIRE(f.participants.add_hub_account("Hub", account_type::hub_multilateral_settlement, "USD", f.clock.now()));
    REQUIRE(f.participants.add_hub_account("Hub", account_type::hub_reconciliation, "USD", f.clock.now()));
    settlement_model m;
    m.name = "NO_LIQUIDITY";
    m.require_liquidity_check = false;
    REQUIRE(f.participants.add_settlement_model(m));
    f.onboard("dfsp1", "100", "0");
    f.onboard("dfsp2", "100", "0");
    CHECK(f.book.prepare(f.prepare_cmd("t1", "100"), f.clock.now()).state == transfer_state::reserved);
    CHECK(error_code_of(f.book.prepare(f.prepare_cmd("t2", "1"), f.clock.now()), 0) == "4200");
}

TEST_CASE("transfers: commit credits the payee and lands in the open window", "[ledger][fulfil]")
{
    ledger_fixture f;
    f.standard();
    f.book.prepare(f.prepare_cmd("t1", "100"), f.clock.now());
    f.clock.advance(250ms);
    auto cmd = f.fulfil_cmd("t1");
    auto const given = f.clock.now() - 10ms;
    cmd.completed = given;
    auto d = f.book.fulfil(cmd, f.clock.now());
    REQUIRE(d.state == transfer_state::committed);
    REQUIRE(d.effects.size() == 2);
    CHECK(effect_at<forward>(d, 0).to == "dfsp1");
    auto const& copy = effect_at<notify_state>(d, 1);
    CHECK(copy.to == "dfsp2");
    CHECK(copy.state == api_state::committed);
    CHECK(copy.completed == given);
    CHECK(copy.fulfilment == make_ilp("t1").fulfilment);

    CHECK(f.position("dfsp1") == amount("100"));
    CHECK(f.position("dfsp2") == amount("-100"));
    auto const* t = f.book.find("t1");
    CHECK(t->window == f.settlement.open_window());
    CHECK(f.settlement.find_window(t->window)->transfer_count == 1);
    f.check_sums();
}

TEST_CASE("transfers: no payee copy when the scheme does not send confirmations", "[ledger][fulfil]")
{
    ledger_fixture f{transfer_book_options{false}};
    f.standard();
    f.book.prepare(f.prepare_cmd("t1"), f.clock.now());
    auto d = f.book.fulfil(f.fulfil_cmd("t1"), f.clock.now());
    REQUIRE(d.effects.size() == 1);
    CHECK(effect_at<forward>(d, 0).to == "dfsp1");

    f.book.prepare(f.prepare_cmd("t2"), f.clock.now());
    d = f.book.reject(f.reject_cmd("t2"), f.clock.now());
    REQUIRE(d.effects.size() == 1);
    CHECK(effect_at<forward>(d, 0).to == "dfsp1");
}

TEST_CASE("transfers: a RESERVED fulfil gets a hub PUT to the payer and a PATCH to the payee", "[ledger][fulfil]")
{
    ledger_fixture f;
    f.standard();
    f.book.prepare(f.prepare_cmd("t1", "10"), f.clock.now());
    f.clock.advance(1s);
    auto d = f.book.fulfil(f.fulfil_cmd("t1", api_state::reserved), f.clock.now());
    REQUIRE(d.state == transfer_state::committed);
    REQUIRE(d.effects.size() == 2);
    auto const& put = effect_at<notify_state>(d, 0);
    CHECK(put.to == "dfsp1");
    CHECK(put.state == api_state::committed);
    CHECK(put.completed == f.clock.now());
    auto const& patch = effect_at<notify_patch>(d, 1);
    CHECK(patch.to == "dfsp2");
    CHECK(patch.state == api_state::committed);
    CHECK(patch.completed == f.clock.now());
    CHECK(f.position("dfsp2") == amount("-10"));
    f.check_sums();
}

TEST_CASE("transfers: a wrong fulfilment aborts and releases the reservation", "[ledger][fulfil]")
{
    ledger_fixture f;
    f.standard();
    f.book.prepare(f.prepare_cmd("t1", "75"), f.clock.now());
    CHECK(f.position("dfsp1") == amount("75"));

    SECTION("COMMITTED fulfil: error to the payer and a copy to the payee")
    {
        auto cmd = f.fulfil_cmd("t1");
        cmd.fulfilment = make_ilp("another").fulfilment;
        auto d = f.book.fulfil(cmd, f.clock.now());
        REQUIRE(d.state == transfer_state::aborted_error);
        REQUIRE(d.effects.size() == 2);
        auto const& payer = effect_at<notify_error>(d, 0);
        CHECK(payer.to == "dfsp1");
        CHECK(payer.error.error_code == "3100");
        CHECK(payer.error.error_description == "Generic validation error - invalid fulfilment");
        CHECK(effect_at<notify_error>(d, 1).to == "dfsp2");
    }
    SECTION("RESERVED fulfil: error to the payer and PATCH ABORTED to the payee")
    {
        auto cmd = f.fulfil_cmd("t1", api_state::reserved);
        cmd.fulfilment = make_ilp("another").fulfilment;
        auto d = f.book.fulfil(cmd, f.clock.now());
        REQUIRE(d.effects.size() == 2);
        CHECK(error_code_of(d, 0) == "3100");
        auto const& patch = effect_at<notify_patch>(d, 1);
        CHECK(patch.to == "dfsp2");
        CHECK(patch.state == api_state::aborted);
    }
    SECTION("a fulfilment that is not 32 bytes is 2001")
    {
        auto cmd = f.fulfil_cmd("t1");
        cmd.fulfilment = "AAAA";
        auto d = f.book.fulfil(cmd, f.clock.now());
        CHECK(error_code_of(d, 0) == "2001");
    }
    CHECK(f.position("dfsp1") == decimal{});
    CHECK(f.position("dfsp2") == decimal{});
    CHECK(to_api(*f.book.state_of("t1")) == api_state::aborted);
    f.check_sums();
}

// A fulfil without fulfilment: central-ledger takes it and aborts the transfer with 3100;
// the funds come back at once instead of staying reserved until the expiry.
TEST_CASE("transfers: a fulfil without fulfilment aborts with 3100 and releases the funds", "[ledger][fulfil]")
{
    SECTION("COMMITTED fulfil: 3100 to the payer and to the payee")
    {
        ledger_fixture f;
        f.standard();
        f.book.prepare(f.prepare_cmd("t1", "40"), f.clock.now());
        REQUIRE(f.position("dfsp1") == amount("40"));
        auto cmd = f.fulfil_cmd("t1");
        cmd.fulfilment.clear();
        auto d = f.book.fulfil(cmd, f.clock.now());
        CHECK(d.changed);
        CHECK(d.state == transfer_state::aborted_error);
        REQUIRE(d.effects.size() == 2);
        CHECK(effect_at<notify_error>(d, 0).to == "dfsp1");
        CHECK(effect_at<notify_error>(d, 1).to == "dfsp2");
        CHECK(effect_at<notify_error>(d, 1).error.error_code == "3100");
        CHECK(effect_at<notify_error>(d, 1).error.error_description == "Generic validation error - fulfilment is missing");
        CHECK(f.position("dfsp1") == decimal{});
        CHECK(f.position("dfsp2") == decimal{});
        CHECK(f.book.in_flight() == 0);
        f.check_sums();
    }
    SECTION("without confirmations to payees the payee still hears it")
    {
        ledger_fixture f(transfer_book_options{false});
        f.standard();
        f.book.prepare(f.prepare_cmd("t1", "40"), f.clock.now());
        auto cmd = f.fulfil_cmd("t1");
        cmd.fulfilment.clear();
        auto d = f.book.fulfil(cmd, f.clock.now());
        REQUIRE(d.effects.size() == 2);
        CHECK(effect_at<notify_error>(d, 0).to == "dfsp1");
        CHECK(effect_at<notify_error>(d, 1).to == "dfsp2");
        CHECK(f.position("dfsp1") == decimal{});
        f.check_sums();
    }
    SECTION("RESERVED fulfil: 3100 to the payer, PATCH ABORTED to the payee")
    {
        ledger_fixture f;
        f.standard();
        f.book.prepare(f.prepare_cmd("t1", "40"), f.clock.now());
        auto cmd = f.fulfil_cmd("t1", api_state::reserved);
        cmd.fulfilment.clear();
        auto d = f.book.fulfil(cmd, f.clock.now());
        REQUIRE(d.effects.size() == 2);
        CHECK(error_code_of(d, 0) == "3100");
        CHECK(effect_at<notify_patch>(d, 1).state == api_state::aborted);
        CHECK(f.position("dfsp1") == decimal{});
        f.check_sums();
    }
}

TEST_CASE("transfers: completedTimestamp may lie at most 200 ms in the future", "[ledger][fulfil]")
{
    // ml-api-adapter's MAX_CALLBACK_TIME_LAG_DILATION_MILLISECONDS (200).
    core::manual_clock clock;
    auto const now = clock.now();
    CHECK_FALSE(completed_in_future(now - 1h, now));
    CHECK_FALSE(completed_in_future(now, now));
    CHECK_FALSE(completed_in_future(now + 200ms, now));
    CHECK(completed_in_future(now + 201ms, now));
    CHECK(completed_in_future(now + 24h, now));
}

TEST_CASE("transfers: the cause of an ABORTED state is cut at 128 characters", "[ledger][query]")
{
    // central-ledger: `${errorCode}: ${errorDescription}`.substr(0, 128).
    auto const e = fspiop::error_information::from(fspiop::errc::transfer_expired);
    CHECK(abort_cause(e) == fspiop::extension{"cause", "3303: Transfer expired"});
    fspiop::error_information longer;
    longer.error_code = "5100";
    longer.error_description = std::string(125, 'x') + "\xc3\xa9\xc3\xa9";
    auto const cut = abort_cause(longer);
    CHECK(cut.value.size() == 6 + 122); // "5100: " and 122 of the x
    CHECK(cut.value == "5100: " + std::string(122, 'x'));
}

TEST_CASE("transfers: a fulfil from the wrong FSP aborts the transfer", "[ledger][fulfil]")
{
    ledger_fixture f;
    f.standard();
    f.onboard("dfsp3", "1000", "1000");
    f.book.prepare(f.prepare_cmd("t1"), f.clock.now());
    std::string const source_message =
        "Generic validation error - FSPIOP-Source does not match payee fsp on the Fulfil callback response";
    std::string const destination_message =
        "Generic validation error - FSPIOP-Destination does not match payer fsp on the Fulfil callback response";

    // ABORT_VALIDATION comes from the hub: the payer hears it, nobody gets a copy.
    SECTION("wrong source")
    {
        auto cmd = f.fulfil_cmd("t1");
        cmd.source = "dfsp3";
        auto d = f.book.fulfil(cmd, f.clock.now());
        REQUIRE(d.effects.size() == 1);
        CHECK(effect_at<notify_error>(d, 0).to == "dfsp1");
        CHECK(effect_at<notify_error>(d, 0).error.error_description == source_message);
    }
    SECTION("wrong destination")
    {
        auto cmd = f.fulfil_cmd("t1");
        cmd.destination = "dfsp3";
        auto d = f.book.fulfil(cmd, f.clock.now());
        REQUIRE(d.effects.size() == 1);
        CHECK(effect_at<notify_error>(d, 0).error.error_description == destination_message);
    }
    SECTION("both wrong: the destination is named, as central-ledger keeps the last failure")
    {
        auto cmd = f.fulfil_cmd("t1");
        cmd.source = "dfsp3";
        cmd.destination = "dfsp3";
        auto d = f.book.fulfil(cmd, f.clock.now());
        CHECK(effect_at<notify_error>(d, 0).error.error_description == destination_message);
    }
    SECTION("a RESERVED fulfil from the wrong FSP: the payee still gets its PATCH ABORTED")
    {
        auto cmd = f.fulfil_cmd("t1", api_state::reserved);
        cmd.source = "dfsp3";
        auto d = f.book.fulfil(cmd, f.clock.now());
        REQUIRE(d.effects.size() == 2);
        CHECK(effect_at<notify_error>(d, 0).to == "dfsp1");
        CHECK(effect_at<notify_patch>(d, 1).to == "dfsp2");
        CHECK(effect_at<notify_patch>(d, 1).state == api_state::aborted);
    }
    CHECK(f.book.state_of("t1") == transfer_state::aborted_error);
    CHECK(f.position("dfsp1") == decimal{});
    // The payee's own fulfil, even with the same body, is not taken for a duplicate of
    // the wrong FSP's: it is a fulfil of a transfer that is no longer reserved.
    auto d = f.book.fulfil(f.fulfil_cmd("t1"), f.clock.now());
    CHECK_FALSE(d.changed);
    REQUIRE(d.effects.size() == 1);
    CHECK(effect_at<notify_error>(d, 0).to == "dfsp2");
    CHECK(effect_at<notify_error>(d, 0).error.error_description ==
          "Generic validation error - non-RESERVED transfer state");
    f.check_sums();
}

TEST_CASE("transfers: callbacks from the wrong FSP never enter the duplicate tables", "[ledger][duplicates]")
{
    ledger_fixture f;
    f.standard();
    f.onboard("dfsp3", "1000", "1000");

    SECTION("an error from a third FSP aborts; the payee's genuine 5104 is answered, not dropped")
    {
        f.book.prepare(f.prepare_cmd("t1"), f.clock.now());
        auto forged = f.reject_cmd("t1");
        forged.source = "dfsp3";
        auto d = f.book.reject(forged, f.clock.now());
        CHECK(d.state == transfer_state::aborted_error);
        REQUIRE(d.effects.size() == 1);
        CHECK(effect_at<notify_error>(d, 0).to == "dfsp1");
        CHECK(effect_at<notify_error>(d, 0).error.error_description ==
              "Generic validation error - FSPIOP-Source does not match payee fsp on the Fulfil callback response");
        CHECK_FALSE(f.book.find("t1")->error_hash);

        // The same body from the payee: not a duplicate (no silence), not 3106.
        d = f.book.reject(f.reject_cmd("t1"), f.clock.now());
        CHECK_FALSE(d.changed);
        REQUIRE(d.effects.size() == 1);
        CHECK(effect_at<notify_error>(d, 0).to == "dfsp2");
        CHECK(effect_at<notify_error>(d, 0).error.error_description ==
              "Generic validation error - non-RESERVED transfer state");
        CHECK(f.position("dfsp1") == decimal{});
    }
    SECTION("after a commit, a third FSP's fulfil or error changes nothing and is not recorded")
    {
        f.book.prepare(f.prepare_cmd("t1"), f.clock.now());
        REQUIRE(f.book.fulfil(f.fulfil_cmd("t1"), f.clock.now()).state == transfer_state::committed);
        auto forged = f.fulfil_cmd("t1");
        forged.source = "dfsp3";
        forged.hash = fspiop::body_digest("forged");
        auto d = f.book.fulfil(forged, f.clock.now());
        CHECK_FALSE(d.changed);
        REQUIRE(d.effects.size() == 1);
        CHECK(effect_at<notify_error>(d, 0).to == "dfsp3");
        CHECK(error_code_of(d, 0) == "3100");
        auto forged_error = f.reject_cmd("t1");
        forged_error.source = "dfsp3";
        d = f.book.reject(forged_error, f.clock.now());
        CHECK(effect_at<notify_error>(d, 0).to == "dfsp3");
        CHECK_FALSE(f.book.find("t1")->error_hash);
        CHECK(f.book.state_of("t1") == transfer_state::committed);
        // The payee's resend still gets the committed state back.
        d = f.book.fulfil(f.fulfil_cmd("t1"), f.clock.now());
        CHECK(effect_at<notify_state>(d, 0).state == api_state::committed);
        CHECK(f.position("dfsp2") == amount("-100"));
    }
    SECTION("an error without FSPIOP-Destination is not held to it")
    {
        f.book.prepare(f.prepare_cmd("t1"), f.clock.now());
        auto cmd = f.reject_cmd("t1");
        cmd.destination.clear();
        auto d = f.book.reject(cmd, f.clock.now());
        CHECK(effect_at<forward>(d, 0).to == "dfsp1");
    }
    f.check_sums();
}

TEST_CASE("transfers: fulfils of unknown, final and late transfers", "[ledger][fulfil]")
{
    ledger_fixture f;
    f.standard();

    SECTION("unknown transfer: 3208 to the sender")
    {
        auto d = f.book.fulfil(f.fulfil_cmd("nope"), f.clock.now());
        CHECK_FALSE(d.state);
        CHECK(effect_at<notify_error>(d, 0).to == "dfsp2");
        CHECK(error_code_of(d, 0) == "3208");
    }
    SECTION("after a payee error: 3100, nothing changes")
    {
        f.book.prepare(f.prepare_cmd("t1"), f.clock.now());
        f.book.reject(f.reject_cmd("t1"), f.clock.now());
        auto d = f.book.fulfil(f.fulfil_cmd("t1"), f.clock.now());
        CHECK_FALSE(d.changed);
        CHECK(d.state == transfer_state::aborted_error);
        REQUIRE(d.effects.size() == 1);
        CHECK(effect_at<notify_error>(d, 0).error.error_description ==
              "Generic validation error - non-RESERVED transfer state");
    }
    SECTION("at the expiration, before the sweeper: the transfer expires, 3303 to both")
    {
        f.book.prepare(f.prepare_cmd("t1"), f.clock.now());
        f.clock.advance(30s);
        auto d = f.book.fulfil(f.fulfil_cmd("t1"), f.clock.now());
        REQUIRE(d.state == transfer_state::expired_reserved);
        REQUIRE(d.effects.size() == 2);
        CHECK(effect_at<notify_error>(d, 0).to == "dfsp1");
        CHECK(error_code_of(d, 0) == "3303");
        CHECK(effect_at<notify_error>(d, 1).to == "dfsp2");
        CHECK(error_code_of(d, 1) == "3303");
        CHECK(f.position("dfsp1") == decimal{});
    }
    SECTION("after the sweeper expired it: 3303 to the payee")
    {
        f.book.prepare(f.prepare_cmd("t1"), f.clock.now());
        f.clock.advance(31s);
        REQUIRE(f.book.expire_due(f.clock.now()).size() == 1);
        auto d = f.book.fulfil(f.fulfil_cmd("t1"), f.clock.now());
        REQUIRE(d.effects.size() == 1);
        CHECK(effect_at<notify_error>(d, 0).to == "dfsp2");
        CHECK(error_code_of(d, 0) == "3303");
    }
    f.check_sums();
}

TEST_CASE("transfers: duplicate prepares", "[ledger][duplicates]")
{
    ledger_fixture f;
    f.standard();
    auto first = f.prepare_cmd("t1", "20");
    f.book.prepare(first, f.clock.now());

    SECTION("same body while in progress: ignored")
    {
        auto d = f.book.prepare(first, f.clock.now());
        CHECK(d.state == transfer_state::reserved);
        CHECK_FALSE(d.changed);
        CHECK(d.effects.empty());
        CHECK(f.position("dfsp1") == amount("20"));
    }
    SECTION("another body: 3106 to the sender, the original stands")
    {
        auto changed = f.prepare_cmd("t1", "21");
        auto d = f.book.prepare(changed, f.clock.now());
        CHECK_FALSE(d.changed);
        CHECK(effect_at<notify_error>(d, 0).to == "dfsp1");
        CHECK(error_code_of(d, 0) == "3106");
        CHECK(effect_at<notify_error>(d, 0).error.error_description == "Modified request");
        CHECK(f.position("dfsp1") == amount("20"));
        CHECK(f.book.find("t1")->amount == amount("20"));
    }
    SECTION("same body after commit: COMMITTED resent to the payer")
    {
        f.clock.advance(2s);
        f.book.fulfil(f.fulfil_cmd("t1"), f.clock.now());
        auto d = f.book.prepare(first, f.clock.now());
        CHECK_FALSE(d.changed);
        auto const& s = effect_at<notify_state>(d, 0);
        CHECK(s.to == "dfsp1");
        CHECK(s.state == api_state::committed);
        CHECK(s.completed == f.clock.now());
        CHECK(s.fulfilment == make_ilp("t1").fulfilment);
        CHECK(f.position("dfsp1") == amount("20"));
    }
    // central-ledger answers a duplicate of a final transfer "as if we received a GET": an
    // aborted one with PUT /transfers/{ID} ABORTED and the stored error as its `cause`.
    SECTION("same body after an abort: ABORTED resent with the stored error as cause")
    {
        f.book.reject(f.reject_cmd("t1", "5105"), f.clock.now());
        auto d = f.book.prepare(first, f.clock.now());
        CHECK(effect_at<notify_state>(d, 0).to == "dfsp1");
        CHECK(abort_cause_of(d, 0) == "5105: " + f.book.find("t1")->error->error_description);
    }
    SECTION("an invalid prepare repeated gets its 3100 again, as the cause of ABORTED")
    {
        auto bad = f.prepare_cmd("t2");
        bad.payee_fsp = "ghost";
        f.book.prepare(bad, f.clock.now());
        auto d = f.book.prepare(bad, f.clock.now());
        CHECK(abort_cause_of(d, 0) == "3100: Generic validation error - Participant ghost not found");
        CHECK(d.state == transfer_state::invalid);
    }
    f.check_sums();
}

TEST_CASE("transfers: duplicate fulfils and errors have their own tables", "[ledger][duplicates]")
{
    ledger_fixture f;
    f.standard();
    f.book.prepare(f.prepare_cmd("t1"), f.clock.now());
    auto fulfil = f.fulfil_cmd("t1");
    REQUIRE(f.book.fulfil(fulfil, f.clock.now()).state == transfer_state::committed);

    // The same fulfil again: the payee gets the committed state back.
    auto d = f.book.fulfil(fulfil, f.clock.now());
    CHECK_FALSE(d.changed);
    CHECK(effect_at<notify_state>(d, 0).to == "dfsp2");
    CHECK(effect_at<notify_state>(d, 0).state == api_state::committed);

    // A different fulfil body: 3106.
    auto changed = fulfil;
    changed.hash = fspiop::body_digest("other");
    CHECK(error_code_of(f.book.fulfil(changed, f.clock.now()), 0) == "3106");

    // An error callback after the commit is checked in its own table: first time 3100,
    // again with the same body the state is resent, another body 3106.
    auto reject = f.reject_cmd("t1");
    d = f.book.reject(reject, f.clock.now());
    CHECK(error_code_of(d, 0) == "3100");
    d = f.book.reject(reject, f.clock.now());
    CHECK(effect_at<notify_state>(d, 0).state == api_state::committed);
    reject.hash = fspiop::body_digest("other");
    CHECK(error_code_of(f.book.reject(reject, f.clock.now()), 0) == "3106");
    CHECK(f.book.state_of("t1") == transfer_state::committed);
    f.check_sums();
}

TEST_CASE("transfers: a payee error aborts and is forwarded", "[ledger][reject]")
{
    ledger_fixture f;
    f.standard();
    f.book.prepare(f.prepare_cmd("t1", "300"), f.clock.now());

    SECTION("a standard code is forwarded as sent")
    {
        auto d = f.book.reject(f.reject_cmd("t1", "5104"), f.clock.now());
        REQUIRE(d.state == transfer_state::aborted_error);
        REQUIRE(d.effects.size() == 2);
        CHECK(effect_at<forward>(d, 0).to == "dfsp1");
        auto const& echo = effect_at<notify_error>(d, 1);
        CHECK(echo.to == "dfsp2");
        CHECK(echo.error.error_code == "5104");
        CHECK(f.book.find("t1")->error->error_code == "5104");
    }
    SECTION("a scheme-specific code of a known family is kept")
    {
        auto d = f.book.reject(f.reject_cmd("t1", "5141"), f.clock.now());
        CHECK(effect_at<forward>(d, 0).to == "dfsp1");
    }
    SECTION("a code outside the numbering is replaced by 3100")
    {
        auto d = f.book.reject(f.reject_cmd("t1", "9999"), f.clock.now());
        auto const& e = effect_at<notify_error>(d, 0);
        CHECK(e.to == "dfsp1");
        CHECK(e.error.error_description == "Generic validation error - API specification undefined errorCode");
    }
    CHECK(f.position("dfsp1") == decimal{});
    CHECK(to_api(*f.book.state_of("t1")) == api_state::aborted);
    f.check_sums();
}

TEST_CASE("transfers: payee errors from the wrong FSP, for unknown and late transfers", "[ledger][reject]")
{
    ledger_fixture f;
    f.standard();
    f.book.prepare(f.prepare_cmd("t1"), f.clock.now());

    // As for a fulfil (central-ledger checks the route of REJECT and ABORT too): the
    // transfer is aborted and the payer hears 3100 from the hub.
    auto wrong = f.reject_cmd("t1");
    wrong.source = "dfsp1";
    auto d = f.book.reject(wrong, f.clock.now());
    CHECK(d.changed);
    CHECK(effect_at<notify_error>(d, 0).to == "dfsp1");
    CHECK(error_code_of(d, 0) == "3100");
    CHECK(f.book.state_of("t1") == transfer_state::aborted_error);

    CHECK(error_code_of(f.book.reject(f.reject_cmd("nope"), f.clock.now()), 0) == "3208");

    f.book.prepare(f.prepare_cmd("t2"), f.clock.now());
    f.clock.advance(30s);
    auto late = f.reject_cmd("t2");
    d = f.book.reject(late, f.clock.now());
    CHECK(d.state == transfer_state::expired_reserved);
    CHECK(error_code_of(d, 0) == "3303");
    f.check_sums();
}

TEST_CASE("transfers: GET answers from the ledger with the four API states", "[ledger][query]")
{
    ledger_fixture f;
    f.standard();
    f.onboard("dfsp3", "1000", "1000");

    auto d = f.book.query({"nope", "dfsp1"});
    CHECK(effect_at<notify_error>(d, 0).to == "dfsp1");
    CHECK(error_code_of(d, 0) == "3208");
    // central-ledger's getTransfer: 3208 with its own detail.
    CHECK(effect_at<notify_error>(d, 0).error.error_description ==
          "Transfer ID not found - Provided Transfer ID was not found on the server.");

    f.book.prepare(f.prepare_cmd("t1"), f.clock.now());
    d = f.book.query({"t1", "dfsp2"});
    CHECK(effect_at<notify_state>(d, 0).to == "dfsp2");
    CHECK(effect_at<notify_state>(d, 0).state == api_state::reserved);
    CHECK_FALSE(effect_at<notify_state>(d, 0).completed);

    d = f.book.query({"t1", "dfsp3"});
    CHECK(error_code_of(d, 0) == "3000");
    CHECK(effect_at<notify_error>(d, 0).error.error_description == "Generic client error");

    f.book.fulfil(f.fulfil_cmd("t1"), f.clock.now());
    d = f.book.query({"t1", "dfsp1"});
    CHECK(effect_at<notify_state>(d, 0).state == api_state::committed);
    CHECK(effect_at<notify_state>(d, 0).fulfilment == make_ilp("t1").fulfilment);

    f.book.prepare(f.prepare_cmd("t2"), f.clock.now());
    f.clock.advance(31s);
    f.book.expire_due(f.clock.now());
    d = f.book.query({"t2", "dfsp1"});
    // An expired transfer is ABORTED with its 3303 as the cause, never EXPIRED_RESERVED; no
    // fulfilment, the time it ended (central-ledger's transform.toFulfil of its read model).
    CHECK(abort_cause_of(d, 0) == "3303: Transfer expired");
    CHECK(effect_at<notify_state>(d, 0).fulfilment.empty());
    CHECK(effect_at<notify_state>(d, 0).completed == f.clock.now());
    CHECK(f.book.state_of("t2") == transfer_state::expired_reserved);
    CHECK(to_api(*f.book.state_of("t2")) == api_state::aborted);
}

TEST_CASE("transfers: the sweeper expires what is due, in order, and tells both sides", "[ledger][expiry]")
{
    ledger_fixture f;
    f.standard();
    auto a = f.prepare_cmd("a", "10");
    a.expiration = f.clock.now() + 5s;
    auto b = f.prepare_cmd("b", "20");
    b.expiration = f.clock.now() + 2s;
    auto c = f.prepare_cmd("c", "30");
    c.expiration = f.clock.now() + 10s;
    auto done = f.prepare_cmd("done", "40");
    done.expiration = f.clock.now() + 1s;
    b.tag = 7;
    for(auto* cmd : {&a, &b, &c, &done})
        f.book.prepare(*cmd, f.clock.now());
    f.book.fulfil(f.fulfil_cmd("done"), f.clock.now());
    CHECK(f.book.next_expiry() == f.clock.now() + 2s);

    CHECK(f.book.expire_due(f.clock.now() + 1999ms).empty());
    auto due = f.book.expire_due(f.clock.now() + 5s);
    REQUIRE(due.size() == 2);
    CHECK(due[0].transfer_id == "b");
    CHECK(due[0].tag == 7);
    CHECK(due[1].transfer_id == "a");
    for(auto const& e : due)
    {
        CHECK(e.outcome.state == transfer_state::expired_reserved);
        REQUIRE(e.outcome.effects.size() == 2);
        CHECK(effect_at<notify_error>(e.outcome, 0).to == "dfsp1");
        CHECK(effect_at<notify_error>(e.outcome, 1).to == "dfsp2");
        CHECK(error_code_of(e.outcome, 0) == "3303");
        CHECK(effect_at<notify_error>(e.outcome, 0).error.error_description == "Transfer expired");
    }
    CHECK(f.position("dfsp1") == amount("70")); // c (30) still reserved, done (40) committed
    CHECK(f.book.next_expiry() == f.clock.now() + 10s);
    CHECK(f.book.expire_due(f.clock.now() + 5s).empty());
    f.check_sums();
}


} // namespace mojasim::ledger::test
