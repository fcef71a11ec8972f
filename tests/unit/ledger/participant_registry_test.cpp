// Onboarding, limits, endpoints and funds in/out, with central-ledger's checks and codes.
#include "ledger_fixture.hpp"

namespace mojasim::ledger::test {

using fspiop::errc;

TEST_CASE("registry: the hub exists from the start and holds only hub accounts", "[ledger][registry]")
{
    ledger_fixture f;
    auto const* hub = f.participants.find("Hub");
    REQUIRE(hub);
    CHECK(hub->id == participant_registry::hub_id());
    CHECK(hub->is_hub);
    CHECK(hub->accounts.empty());

    // Only the two hub account types, once per currency, and only on the hub.
    auto pos = f.participants.add_hub_account("Hub", account_type::position, "USD", f.clock.now());
    REQUIRE_FALSE(pos);
    CHECK(pos.error().code == errc::add_party_information_error);
    CHECK(pos.error().detail == "The requested hub operator account type is not allowed.");

    REQUIRE(f.participants.add_hub_account("Hub", account_type::hub_reconciliation, "USD", f.clock.now()));
    auto twice = f.participants.add_hub_account("Hub", account_type::hub_reconciliation, "USD", f.clock.now());
    REQUIRE_FALSE(twice);
    CHECK(twice.error().detail == "Hub account has already been registered.");

    auto unknown = f.participants.add_hub_account("nobody", account_type::hub_reconciliation, "EUR", f.clock.now());
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().detail == "Participant was not found.");

    CHECK(f.participants.accounts().size() == 1);
}

TEST_CASE("registry: participants need both hub accounts and a settlement model", "[ledger][registry]")
{
    ledger_fixture f;
    auto r = f.participants.add_participant("dfsp1", "USD", f.clock.now());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::add_party_information_error);
    CHECK(r.error().detail == "Hub reconciliation account for the specified currency does not exist");

    REQUIRE(f.participants.add_hub_account("Hub", account_type::hub_reconciliation, "USD", f.clock.now()));
    r = f.participants.add_participant("dfsp1", "USD", f.clock.now());
    REQUIRE_FALSE(r);
    CHECK(r.error().detail == "Hub multilateral settlement account for the specified currency does not exist");

    REQUIRE(f.participants.add_hub_account("Hub", account_type::hub_multilateral_settlement, "USD", f.clock.now()));
    r = f.participants.add_participant("dfsp1", "USD", f.clock.now());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::generic_settlement_error);
    // A refusal leaves nothing behind.
    CHECK(f.participants.find("dfsp1") == nullptr);

    settlement_model m;
    m.name = "DEFERRED_NET";
    REQUIRE(f.participants.add_settlement_model(m));
    r = f.participants.add_participant("dfsp1", "USD", f.clock.now());
    REQUIRE(r);
    auto const* p = *r;
    CHECK(p->id == 2);
    CHECK(p->active);
    REQUIRE(p->accounts.size() == 2);
    // Accounts exist but stay inactive until initialPositionAndLimits.
    auto const& pos = f.acc("dfsp1", account_type::position);
    auto const& settle = f.acc("dfsp1", account_type::settlement);
    CHECK_FALSE(pos.active);
    CHECK_FALSE(settle.active);

    auto again = f.participants.add_participant("dfsp1", "USD", f.clock.now());
    REQUIRE_FALSE(again);
    CHECK(again.error().code == errc::generic_client_error);
    CHECK(again.error().detail == "Participant currency has already been registered");

    auto bad = f.participants.add_participant("dfsp3", "XYZ", f.clock.now());
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == errc::malformed_syntax);
}

TEST_CASE("registry: settlement models are unique by name and by currency", "[ledger][registry]")
{
    ledger_fixture f;
    settlement_model m;
    m.name = "DEFERRED_NET";
    REQUIRE(f.participants.add_settlement_model(m));
    auto same_name = f.participants.add_settlement_model(m);
    REQUIRE_FALSE(same_name);
    m.name = "OTHER_DEFAULT";
    auto second_default = f.participants.add_settlement_model(m);
    REQUIRE_FALSE(second_default);
    m.currency = "EUR";
    m.require_liquidity_check = false;
    REQUIRE(f.participants.add_settlement_model(m));
    // A currency's own model wins over the default.
    CHECK(f.participants.model_for("EUR")->name == "OTHER_DEFAULT");
    CHECK(f.participants.model_for("USD")->name == "DEFERRED_NET");

    settlement_model fees;
    fees.name = "FEES";
    fees.currency = "KES";
    fees.ledger_account_type = account_type::settlement;
    REQUIRE_FALSE(f.participants.add_settlement_model(fees));
}

TEST_CASE("registry: an INTERCHANGE_FEE model is accepted beside the position model and gives FSPs its accounts",
          "[ledger][registry]")
{
    ledger_fixture f;
    f.setup_hub();
    REQUIRE(f.participants.add_participant("dfsp1", "USD", f.clock.now()));
    settlement_model fees;
    fees.name = "INTERCHANGE_FEE";
    fees.currency = "USD";
    fees.ledger_account_type = account_type::interchange_fee;
    fees.settlement_account_type = account_type::interchange_fee_settlement;
    REQUIRE(f.participants.add_settlement_model(fees, f.clock.now()));
    // Positions still settle under the default model, not the fee model.
    CHECK(f.participants.model_for("USD")->ledger_account_type == account_type::position);
    auto const* p1 = f.participants.find("dfsp1");
    CHECK(f.participants.account_of(p1->id, account_type::interchange_fee, "USD"));
    CHECK(f.participants.account_of(p1->id, account_type::interchange_fee_settlement, "USD"));
    // An FSP added later gets them too; a second fee model for the currency is refused.
    REQUIRE(f.participants.add_participant("dfsp2", "USD", f.clock.now()));
    CHECK(f.participants.account_of(f.participants.find("dfsp2")->id, account_type::interchange_fee, "USD"));
    fees.name = "INTERCHANGE_FEE_2";
    CHECK_FALSE(f.participants.add_settlement_model(fees, f.clock.now()));
    // The types pair only with each other.
    settlement_model mixed;
    mixed.name = "MIXED";
    mixed.currency = "EUR";
    mixed.ledger_account_type = account_type::interchange_fee;
    CHECK_FALSE(f.participants.add_settlement_model(mixed, f.clock.now()));
    CHECK(to_string(account_type::interchange_fee_settlement) == "INTERCHANGE_FEE_SETTLEMENT");
    CHECK(account_type_from_string("INTERCHANGE_FEE") == account_type::interchange_fee);
}

TEST_CASE("registry: initial position and limits are set once and activate the accounts", "[ledger][registry]")
{
    ledger_fixture f;
    f.setup_hub();
    REQUIRE(f.participants.add_participant("dfsp1", "USD", f.clock.now()));
    REQUIRE(f.participants.set_initial_position_and_limits("dfsp1", "USD", amount("500"), amount("12.5"), f.clock.now()));
    auto const& pos = f.acc("dfsp1", account_type::position);
    CHECK(pos.active);
    CHECK(f.acc("dfsp1", account_type::settlement).active);
    CHECK(pos.net_debit_cap == amount("500"));
    CHECK(pos.value == amount("12.5"));

    auto twice = f.participants.set_initial_position_and_limits("dfsp1", "USD", amount("1"), {}, f.clock.now());
    REQUIRE_FALSE(twice);
    CHECK(twice.error().code == errc::internal_server_error);
    CHECK(twice.error().detail == "Participant Limit or Initial Position already set");
    CHECK(f.acc("dfsp1", account_type::position).net_debit_cap == amount("500"));

    auto other_currency = f.participants.set_initial_position_and_limits("dfsp1", "EUR", amount("1"), {}, f.clock.now());
    REQUIRE_FALSE(other_currency);
    CHECK(other_currency.error().detail == "Participant does not exist");

    auto adjusted = f.participants.adjust_net_debit_cap("dfsp1", "USD", amount("750.25"), 20, f.clock.now());
    REQUIRE(adjusted);
    CHECK((*adjusted)->net_debit_cap == amount("750.25"));
    CHECK((*adjusted)->alarm_percentage == 20);
    REQUIRE_FALSE(f.participants.adjust_net_debit_cap("dfsp1", "USD", amount("-1"), 20, f.clock.now()));
    REQUIRE_FALSE(f.participants.adjust_net_debit_cap("nobody", "USD", amount("1"), 20, f.clock.now()));
}

TEST_CASE("registry: activation of participants and position accounts", "[ledger][registry]")
{
    ledger_fixture f;
    f.standard();
    REQUIRE(f.participants.set_participant_active("dfsp1", false));
    CHECK_FALSE(f.participants.find("dfsp1")->active);
    REQUIRE(f.participants.set_participant_active("dfsp1", true));
    REQUIRE_FALSE(f.participants.set_participant_active("nobody", false));

    auto const pos = f.acc("dfsp1", account_type::position).id;
    REQUIRE(f.participants.set_account_active("dfsp1", pos, false, f.clock.now()));
    CHECK_FALSE(f.acc("dfsp1", account_type::position).active);
    auto settlement = f.participants.set_account_active("dfsp1", f.settlement_account("dfsp1"), false, f.clock.now());
    REQUIRE_FALSE(settlement);
    CHECK(settlement.error().detail == "Only position account update is permitted");
    auto mismatch = f.participants.set_account_active("dfsp2", pos, false, f.clock.now());
    REQUIRE_FALSE(mismatch);
    CHECK(mismatch.error().detail == "Participant/account mismatch");
    REQUIRE_FALSE(f.participants.set_account_active("dfsp1", 999, false, f.clock.now()));
}

TEST_CASE("registry: endpoints are added and replaced by type", "[ledger][registry]")
{
    ledger_fixture f;
    f.standard();
    REQUIRE(f.participants.set_endpoint("dfsp1", "FSPIOP_CALLBACK_URL_TRANSFER_POST", "http://a/transfers"));
    REQUIRE(f.participants.set_endpoint("dfsp1", "FSPIOP_CALLBACK_URL_TRANSFER_PUT", "http://a/transfers/{{transferId}}"));
    REQUIRE(f.participants.set_endpoint("dfsp1", "FSPIOP_CALLBACK_URL_TRANSFER_POST", "http://b/transfers"));
    auto const& p = *f.participants.find("dfsp1");
    CHECK(p.endpoints.size() == 2);
    CHECK(participant_registry::endpoint_of(p, "FSPIOP_CALLBACK_URL_TRANSFER_POST") == "http://b/transfers");
    CHECK(participant_registry::endpoint_of(p, "FSPIOP_CALLBACK_URL_QUOTES").empty());
    REQUIRE_FALSE(f.participants.set_endpoint("nobody", "X", "y"));
}

TEST_CASE("registry: funds in and out move settlement balances against hub reconciliation", "[ledger][registry]")
{
    ledger_fixture f;
    f.standard();
    auto const hub_recon = f.acc("Hub", account_type::hub_reconciliation).id;
    CHECK(f.acc("dfsp1", account_type::settlement).value == amount("-10000"));
    CHECK(f.participants.find_account(hub_recon)->value == amount("20000"));
    f.check_sums();

    funds_command out;
    out.participant = "dfsp1";
    out.account = f.settlement_account("dfsp1");
    out.action = funds_action::record_funds_out_prepare_reserve;
    out.transfer_id = "out-1";
    out.amount = amount("2500.5");
    out.currency = "USD";
    out.reason = "withdrawal";

    SECTION("reserve then commit")
    {
        auto r = f.participants.record_funds(out, f.clock.now());
        REQUIRE(r);
        CHECK((*r)->state == funds_state::reserved);
        // The funds leave the settlement balance at once; the hub's side waits for commit.
        CHECK(f.acc("dfsp1", account_type::settlement).value == amount("-7499.5"));
        CHECK(f.participants.find_account(hub_recon)->value == amount("20000"));
        f.funds_out_in_flight = amount("2500.5");
        f.check_sums();

        funds_command commit;
        commit.participant = "dfsp1";
        commit.account = out.account;
        commit.action = funds_action::record_funds_out_commit;
        commit.transfer_id = "out-1";
        auto c = f.participants.record_funds(commit, f.clock.now());
        REQUIRE(c);
        CHECK((*c)->state == funds_state::committed);
        CHECK(f.participants.find_account(hub_recon)->value == amount("17499.5"));
        f.funds_out_in_flight = {};
        f.check_sums();

        // Committing again changes nothing.
        REQUIRE(f.participants.record_funds(commit, f.clock.now()));
        CHECK(f.participants.find_account(hub_recon)->value == amount("17499.5"));
    }
    SECTION("reserve then abort")
    {
        REQUIRE(f.participants.record_funds(out, f.clock.now()));
        funds_command abort;
        abort.participant = "dfsp1";
        abort.account = out.account;
        abort.action = funds_action::record_funds_out_abort;
        abort.transfer_id = "out-1";
        auto a = f.participants.record_funds(abort, f.clock.now());
        REQUIRE(a);
        CHECK((*a)->state == funds_state::aborted);
        CHECK(f.acc("dfsp1", account_type::settlement).value == amount("-10000"));
        f.check_sums();
    }
    SECTION("more than the deposits is aborted at once")
    {
        out.amount = amount("10000.0001");
        auto r = f.participants.record_funds(out, f.clock.now());
        REQUIRE(r);
        CHECK((*r)->state == funds_state::aborted);
        CHECK((*r)->reason == "Aborted due to insufficient funds");
        CHECK(f.acc("dfsp1", account_type::settlement).value == amount("-10000"));
        f.check_sums();
    }
    SECTION("a repeated transfer id is ignored")
    {
        funds_command in;
        in.participant = "dfsp1";
        in.account = out.account;
        in.action = funds_action::record_funds_in;
        in.transfer_id = "funds-dfsp1-USD";
        in.amount = amount("5");
        in.currency = "USD";
        REQUIRE(f.participants.record_funds(in, f.clock.now()));
        CHECK(f.acc("dfsp1", account_type::settlement).value == amount("-10000"));
    }
    SECTION("refusals change nothing")
    {
        auto wrong_account = out;
        wrong_account.account = f.acc("dfsp1", account_type::position).id;
        auto r = f.participants.record_funds(wrong_account, f.clock.now());
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::internal_server_error);
        CHECK(r.error().detail == "Account is not SETTLEMENT type");

        auto other_owner = out;
        other_owner.account = f.settlement_account("dfsp2");
        r = f.participants.record_funds(other_owner, f.clock.now());
        REQUIRE_FALSE(r);
        CHECK(r.error().detail == "The account does not match participant or currency specified");

        auto other_currency = out;
        other_currency.currency = "EUR";
        REQUIRE_FALSE(f.participants.record_funds(other_currency, f.clock.now()));

        auto zero = out;
        zero.amount = decimal{};
        REQUIRE_FALSE(f.participants.record_funds(zero, f.clock.now()));

        auto commit_unknown = out;
        commit_unknown.action = funds_action::record_funds_out_commit;
        commit_unknown.transfer_id = "never-reserved";
        r = f.participants.record_funds(commit_unknown, f.clock.now());
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::transfer_id_not_found);

        REQUIRE(f.participants.set_participant_active("dfsp1", false));
        r = f.participants.record_funds(out, f.clock.now());
        REQUIRE_FALSE(r);
        CHECK(r.error().detail == "Participant is currently set inactive");

        CHECK(f.acc("dfsp1", account_type::settlement).value == amount("-10000"));
        f.check_sums();
    }
}

} // namespace mojasim::ledger::test
