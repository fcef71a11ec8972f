// DFSP1's connector through the real switch to DFSP2, over real HTTP: the happy paths.
#include "tests/integration/dfsp/world.hpp"

#include "simulator/fspiop/ilp.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>

using namespace mojasim;
using test::dec;
using dfsp::decimal;

namespace {

bool has_header(connector::header_list const& h, std::string_view name, std::string_view value)
{
    return std::any_of(h.begin(), h.end(), [&](auto const& kv) { return kv.first == name && kv.second == value; });
}

} // namespace

TEST_CASE("DFSP1's connector pays DFSP2 through the switch: COMPLETED, balances and positions agree")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        test::world w(ioc);
        co_await w.setup();

        auto const body = w.transfer_body(test::amina, "100");
        auto const o = co_await w.pay(body);
        INFO(o.body);
        REQUIRE(o.status == 200);
        CHECK(o.state() == "COMPLETED");
        CHECK(o.transfer.last_error == std::nullopt);

        // The lookup's answer, as DFSP2 gave it.
        REQUIRE(o.transfer.get_parties_response);
        auto const& parties = *o.transfer.get_parties_response;
        REQUIRE(parties.party);
        CHECK(parties.party->party_id_info.fsp_id == "dfsp2");
        CHECK(parties.party->party_id_info.party_identifier == test::amina);
        REQUIRE(parties.party->personal_info);
        CHECK(parties.party->personal_info->complex_name->first_name == "Amina");
        CHECK(parties.party->personal_info->date_of_birth == "1988-03-14");
        CHECK(has_header(parties.headers, "fspiop-source", "dfsp2"));
        CHECK(has_header(parties.headers, "fspiop-destination", "dfsp1"));

        // The quote: RECEIVE 100 with DFSP2's fee of 0.5 + 1 %.
        REQUIRE(o.transfer.quote_response);
        auto const& q = o.transfer.quote_response->body;
        CHECK(q.transfer_amount.amount == dec("101.5"));
        CHECK(q.payee_receive_amount->amount == dec("100"));
        CHECK(q.payee_fsp_fee->amount == dec("1.5"));
        CHECK(o.transfer.quote_response_source == "dfsp2");
        CHECK(o.transfer.quote_id);

        // The fulfil, whose fulfilment hashes to the quote's condition.
        REQUIRE(o.transfer.fulfil);
        auto const& f = o.transfer.fulfil->body;
        CHECK(f.transfer_state == connector::transfer_state::committed);
        REQUIRE(f.fulfilment);
        CHECK(fspiop::check_fulfilment(*f.fulfilment, q.condition));

        // Money: the payer pays amount plus fee, the beneficiary gets the amount.
        CHECK(checked_sub(w.treasury_start, w.balance(*w.dfsp1, "treasury")) == dec("101.5"));
        CHECK(w.balance(*w.dfsp2, test::amina) == dec("100"));
        CHECK(w.balance(*w.dfsp2, "fees") == dec("1.5"));
        CHECK(w.position("dfsp1") == dec("101.5"));
        CHECK(w.position("dfsp2") == dec("-101.5"));
        auto const state = w.switch_state(o.id());
        REQUIRE(state);
        CHECK(*state == ledger::transfer_state::committed);
        co_await w.check_conservation();
        // The switch's PUT copy tells DFSP2 the transfer committed.
        auto const confirmed = co_await w.settle([&] { return w.dfsp2->stats().commits_confirmed == 1; });
        CHECK(confirmed);

        // GET /transfers/{id} reads it back.
        auto const got = co_await w.connector_call(net::method::get, "/transfers/" + o.id(), {});
        REQUIRE(got.status == 200);
        auto const status = connector::decode_transfer_status_response(got.body);
        REQUIRE(status);
        CHECK(status->transfer_id == o.id());
        CHECK(status->current_state == connector::transfer_status::completed);
        CHECK(status->fulfil.body.fulfilment == f.fulfilment);
    });
}

TEST_CASE("SEND to a party with a sub-id: the payee receives the amount less its fee")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        test::world w(ioc);
        co_await w.setup();
        auto const body = w.transfer_body("A1234567", "50", "SEND", {}, "PERSONAL_ID", "PASSPORT");
        auto const o = co_await w.pay(body);
        INFO(o.body);
        REQUIRE(o.status == 200);
        CHECK(o.state() == "COMPLETED");
        CHECK(o.transfer.quote_response->body.transfer_amount.amount == dec("50"));
        CHECK(o.transfer.quote_response->body.payee_receive_amount->amount == dec("49"));
        CHECK(checked_sub(w.treasury_start, w.balance(*w.dfsp1, "treasury")) == dec("50"));
        CHECK(w.balance(*w.dfsp2, "A1234567-PASSPORT") == dec("49"));
        CHECK(w.position("dfsp1") == dec("50"));
        co_await w.check_conservation();
    });
}

TEST_CASE("two-step transfers wait for acceptParty and acceptQuote")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        test::world_options opts;
        opts.tweak_dfsp1 = [](dfsp::config& c) {
            c.connector.auto_accept_party = false;
            c.connector.auto_accept_quote = false;
        };
        test::world w(ioc, opts);
        co_await w.setup();

        auto const first = co_await w.pay(w.transfer_body(test::brian, "20"));
        INFO(first.body);
        REQUIRE(first.status == 200);
        CHECK(first.state() == "WAITING_FOR_PARTY_ACCEPTANCE");
        REQUIRE(first.transfer.get_parties_response);
        CHECK_FALSE(first.transfer.quote_response);
        auto const id = first.id();

        // Accepting the quote before the party is refused.
        auto const early = co_await w.continue_transfer(id, R"({"acceptQuote":true})");
        CHECK(early.status == 500);

        auto const party = co_await w.continue_transfer(id, R"({"acceptParty":true})");
        INFO(party.body);
        REQUIRE(party.status == 200);
        CHECK(party.state() == "WAITING_FOR_QUOTE_ACCEPTANCE");
        REQUIRE(party.transfer.quote_response);
        CHECK(party.transfer.quote_response->body.transfer_amount.amount == dec("20.7"));
        // Nothing is blocked or reserved before the quote is accepted.
        CHECK(w.dfsp1->block_count() == 0);
        CHECK(w.position("dfsp1") == decimal{});

        auto const done = co_await w.continue_transfer(id, R"({"acceptQuote":true})");
        INFO(done.body);
        REQUIRE(done.status == 200);
        CHECK(done.state() == "COMPLETED");
        CHECK(w.position("dfsp1") == dec("20.7"));
        CHECK(w.balance(*w.dfsp2, test::brian) == dec("20"));

        // A rejected quote ends the transfer with nothing sent to the switch.
        auto const second = co_await w.pay(w.transfer_body(test::brian, "30"));
        auto const accepted = co_await w.continue_transfer(second.id(), R"({"acceptParty":true})");
        REQUIRE(accepted.state() == "WAITING_FOR_QUOTE_ACCEPTANCE");
        auto const rejected = co_await w.continue_transfer(second.id(), R"({"acceptQuote":false})");
        CHECK(rejected.status == 500);
        CHECK(rejected.state() == "ERROR_OCCURRED");
        CHECK(rejected.error_code() == "4100");
        CHECK_FALSE(w.switch_state(second.id()));
        CHECK(w.position("dfsp1") == dec("20.7"));
        co_await w.check_conservation();
    });
}

TEST_CASE("the connector refuses bad requests with the SDK's 400 bodies")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        test::world w(ioc);
        co_await w.setup();
        auto const missing = co_await w.connector_call(net::method::post, "/transfers", R"({"from":{}})");
        CHECK(missing.status == 400);
        auto const err = connector::decode_error_response(missing.body);
        REQUIRE(err);
        CHECK(err->status_code == "400");

        auto euro_body = w.transfer_body(test::amina, "10");
        euro_body.replace(euro_body.find("USD"), 3, "EUR");
        auto const euro = co_await w.connector_call(net::method::post, "/transfers", euro_body);
        CHECK(euro.status == 400);

        auto const unknown = co_await w.connector_call(net::method::put, "/transfers/7c23e80c-d078-4077-8263-2c047876fcf6",
                                                       R"({"acceptQuote":true})");
        CHECK(unknown.status == 500);
        CHECK(w.dfsp1->stats().outbound_started == 0);
    });
}

TEST_CASE("GET of a transfer the connector does not hold asks the switch")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        test::world w(ioc);
        co_await w.setup();
        std::string const none;
        auto const got = co_await w.connector_call(net::method::get, "/transfers/7c23e80c-d078-4077-8263-2c047876fcf6", none);
        INFO(got.body);
        CHECK(got.status == 500);
        // As the SDK: the state holds only the id, the state and the error.
        auto const v = boost::json::parse(got.body);
        CHECK(v.at("statusCode") == "3208");
        auto const& state = v.at("transferState");
        CHECK(state.at("transferId") == "7c23e80c-d078-4077-8263-2c047876fcf6");
        CHECK(state.at("currentState") == "ERROR_OCCURRED");
        CHECK(state.at("lastError").at("mojaloopError").at("errorInformation").at("errorCode") == "3208");
    });
}
