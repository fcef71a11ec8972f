// Every fault rule of the payee, seen end to end: the connector's currentState and lastError,
// the switch's final state, and no funds left reserved or blocked.
#include "tests/integration/dfsp/world.hpp"

using namespace mojasim;
using test::dec;
using dfsp::decimal;
using ledger::transfer_state;

namespace {

// Assert the outcome of a failed transfer.
void check_failed(test::outcome const& o, unsigned status, std::string_view code)
{
    INFO(o.body);
    CHECK(o.status == status);
    CHECK(o.state() == "ERROR_OCCURRED");
    CHECK(o.error_code() == code);
    CHECK(o.status_code == code);
}

// Assert the outcome of a transfer that lost a callback: the SDK's 504 with no Mojaloop error.
void check_timeout(test::outcome const& o)
{
    INFO(o.body);
    CHECK(o.status == 504);
    CHECK(o.state() == "ERROR_OCCURRED");
    CHECK(o.status_code == "504");
    REQUIRE(o.transfer.last_error);
    CHECK(o.transfer.last_error->http_status_code == 504);
    CHECK_FALSE(o.transfer.last_error->mojaloop_error);
}

} // namespace

TEST_CASE("an unknown beneficiary: 3204 from the account lookup service")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        test::world w(ioc);
        co_await w.setup();
        auto const o = co_await w.pay(w.transfer_body("0499000404", "50"));
        check_failed(o, 500, "3204");
        REQUIRE(o.transfer.get_parties_response);
        CHECK(o.transfer.get_parties_response->error_information->error_code == "3204");
        CHECK_FALSE(w.switch_state(o.id()));
        co_await w.check_conservation();
        CHECK(w.position("dfsp1") == decimal{});
    });
}

TEST_CASE("error rules at each step give their code, a rejected transfer is aborted in the switch")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        test::world w(ioc);
        co_await w.setup();
        w.dfsp2->faults().replace({test::rule(R"({"id":"l","step":"lookup","party":"0495822412","action":"error"})"),
                                   test::rule(R"({"id":"q","step":"quote","party":"0424942603","action":"error",)"
                                              R"("error_code":"5106"})"),
                                   test::rule(R"({"id":"t","step":"transfer","party":"0455510400","action":"error"})")});

        auto const lookup = co_await w.pay(w.transfer_body(test::amina, "10"));
        check_failed(lookup, 500, "3204");
        auto const quote = co_await w.pay(w.transfer_body(test::brian, "10"));
        check_failed(quote, 500, "5106");
        CHECK_FALSE(w.switch_state(quote.id()));

        auto const transfer = co_await w.pay(w.transfer_body(test::esi, "10"));
        check_failed(transfer, 500, "5104");
        REQUIRE(transfer.transfer.quote_response); // it got that far
        auto const state = w.switch_state(transfer.id());
        REQUIRE(state);
        CHECK(*state == transfer_state::aborted_error);
        CHECK(w.balance(*w.dfsp2, test::esi) == decimal{});
        co_await w.check_conservation();
        CHECK(w.position("dfsp1") == decimal{});
        CHECK(w.dfsp2->stats().faults_fired == 3);
    });
}

TEST_CASE("payer-side refusals: insufficient liquidity at the switch (4001) and in the payer's account")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        test::world_options opts;
        opts.tweak_dfsp1 = [](dfsp::config& c) { c.accounts.push_back({"small", dec("10")}); };
        test::world w(ioc, opts);
        co_await w.setup();

        // Funds in at the switch are 1,000,000: more than that is refused by the ledger.
        auto const big = co_await w.pay(w.transfer_body(test::amina, "1000001"));
        check_failed(big, 500, "4001");
        auto const state = w.switch_state(big.id());
        REQUIRE(state);
        CHECK(*state == transfer_state::aborted_rejected);

        // The customer's own account cannot cover it: nothing reaches the switch.
        auto const cfg_party = dfsp::party_config{fspiop::party_id_type::msisdn, "0413000001", "", "Small Payer", "",
                                                  "", "", "", "small"};
        auto const added = co_await w.dfsp1->add_party(cfg_party);
        CHECK(added.empty());
        std::string body = w.transfer_body(test::amina, "20");
        body.replace(body.find(test::payer_msisdn), 10, "0413000001");
        auto const poor = co_await w.pay(body);
        check_failed(poor, 500, "4000");
        CHECK_FALSE(w.switch_state(poor.id()));
        CHECK(w.balance(*w.dfsp1, "small") == dec("10"));
        co_await w.check_conservation();
    });
}

TEST_CASE("no callback at lookup or quote: the connector times out with 504 and no Mojaloop error")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        test::world_options opts;
        opts.tweak_dfsp1 = [](dfsp::config& c) {
            c.connector.party_timeout = std::chrono::milliseconds(300);
            c.connector.quote_timeout = std::chrono::milliseconds(300);
        };
        test::world w(ioc, opts);
        co_await w.setup();
        w.dfsp2->faults().replace({test::rule(R"({"step":"lookup","party":"0495822412","action":"no_callback"})"),
                                   test::rule(R"({"step":"quote","party":"0424942603","action":"no_callback"})"),
                                   test::rule(R"({"step":"quote","party":"0455510400","action":"malformed_body"})")});
        auto const lookup = co_await w.pay(w.transfer_body(test::amina, "10"));
        check_timeout(lookup);
        CHECK(lookup.transfer.get_parties_response == std::nullopt);
        auto const quote = co_await w.pay(w.transfer_body(test::brian, "10"));
        check_timeout(quote);
        CHECK(quote.transfer.get_parties_response);
        // A broken quote callback is refused by the switch: the payer hears nothing either.
        auto const broken = co_await w.pay(w.transfer_body(test::esi, "10"));
        check_timeout(broken);
        CHECK_FALSE(w.switch_state(broken.id()));
        co_await w.check_conservation();
    });
}

TEST_CASE("no callback, a late one, or a broken one at transfer: the switch expires it with 3303")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        test::world w(ioc);
        co_await w.setup();
        w.dfsp2->faults().replace(
            {test::rule(R"({"step":"transfer","party":"0495822412","action":"no_callback"})"),
             test::rule(R"({"step":"transfer","party":"0424942603","action":"delay","delay_ms":1600})"),
             test::rule(R"({"step":"transfer","party":"0455510400","action":"malformed_body"})")});
        auto const extra = R"("prepareExpirySeconds":1)";

        for(auto const* who : {test::amina, test::brian, test::esi})
        {
            INFO(who);
            auto const o = co_await w.pay(w.transfer_body(who, "10", "RECEIVE", extra));
            check_failed(o, 500, "3303");
            auto const state = w.switch_state(o.id());
            REQUIRE(state);
            CHECK(*state == transfer_state::expired_reserved);
            CHECK(w.dfsp1->total_blocked() == decimal{});
        }
        // The late fulfil arrives after the switch's abort notice: DFSP2 never credits it.
        auto const late = co_await w.settle([&] { return w.dfsp2->stats().fulfils_sent == 1; });
        CHECK(late);
        CHECK(w.dfsp2->stats().transfers_fulfilled == 0);
        CHECK(w.balance(*w.dfsp2, test::brian) == decimal{});
        co_await w.check_conservation();
        CHECK(w.position("dfsp1") == decimal{});
    });
}

TEST_CASE("a short delay and duplicate callbacks still complete, credited once")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        test::world w(ioc);
        co_await w.setup();
        w.dfsp2->faults().replace(
            {test::rule(R"({"step":"quote","party":"0495822412","action":"delay","delay_ms":200})"),
             test::rule(R"({"step":"any","party":"0424942603","action":"duplicate_callback"})")});
        auto const slow = co_await w.pay(w.transfer_body(test::amina, "10"));
        CHECK(slow.state() == "COMPLETED");
        auto const twice = co_await w.pay(w.transfer_body(test::brian, "10"));
        INFO(twice.body);
        CHECK(twice.state() == "COMPLETED");
        CHECK(w.balance(*w.dfsp2, test::brian) == dec("10"));
        CHECK(w.dfsp2->stats().faults_fired == 4);
        CHECK(w.position("dfsp1") == dec("21.2"));
        co_await w.check_conservation();
        // The second copy of each callback found nobody waiting.
        auto const late = co_await w.settle([&] { return w.dfsp1->stats().late_callbacks >= 2; });
        CHECK(late);
        CHECK(w.balance(*w.dfsp2, test::brian) == dec("10"));
    });
}

net::awaitable<void> wrong_fulfilment_case(net::asio::io_context& ioc, dfsp::fulfil_mode mode)
{
    test::world_options opts;
    opts.tweak_dfsp2 = [mode](dfsp::config& c) { c.payee.mode = mode; };
    test::world w(ioc, opts);
    co_await w.setup();
    w.dfsp2->faults().replace({test::rule(R"({"step":"transfer","action":"wrong_fulfilment"})")});
    auto const o = co_await w.pay(w.transfer_body(test::amina, "10"));
    check_failed(o, 500, "3100");
    auto const state = w.switch_state(o.id());
    REQUIRE(state);
    CHECK(ledger::to_api(*state) == ledger::api_state::aborted);
    // The switch's abort notice (PUT .../error copy, or PATCH ABORTED) takes the credit back.
    auto const reversed = co_await w.settle([&] { return w.dfsp2->stats().credits_reversed == 1; });
    CHECK(reversed);
    CHECK(w.balance(*w.dfsp2, test::amina) == decimal{});
    CHECK(w.balance(*w.dfsp2, "fees") == decimal{});
    co_await w.check_conservation();
}

TEST_CASE("a wrong COMMITTED fulfilment: 3100 to the payer, aborted in the switch, the payee's credit reversed")
{
    test::run_async([](net::asio::io_context& ioc) { return wrong_fulfilment_case(ioc, dfsp::fulfil_mode::committed); });
}

TEST_CASE("a wrong RESERVED fulfilment: the switch's PATCH ABORTED reverses the payee's credit")
{
    test::run_async([](net::asio::io_context& ioc) { return wrong_fulfilment_case(ioc, dfsp::fulfil_mode::reserved); });
}

TEST_CASE("a RESERVED fulfil is committed by the switch's PATCH")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        test::world_options opts;
        opts.tweak_dfsp2 = [](dfsp::config& c) { c.payee.mode = dfsp::fulfil_mode::reserved; };
        test::world w(ioc, opts);
        co_await w.setup();
        auto const o = co_await w.pay(w.transfer_body(test::amina, "10"));
        INFO(o.body);
        CHECK(o.state() == "COMPLETED");
        auto const patched = co_await w.settle([&] { return w.dfsp2->stats().commits_confirmed == 1; });
        CHECK(patched);
        CHECK(w.balance(*w.dfsp2, test::amina) == dec("10"));
        co_await w.check_conservation();
    });
}

TEST_CASE("every n-th message and amount ranges select what fails")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        test::world w(ioc);
        co_await w.setup();
        w.dfsp2->faults().replace(
            {test::rule(R"({"id":"second","step":"transfer","party":"0495822412","every":2,"action":"error"})"),
             test::rule(R"({"id":"range","step":"quote","party":"0424942603","amount_min":"100","amount_max":"200",)"
                        R"("action":"error","error_code":"5103"})")});
        std::vector<std::string> states;
        for(int i = 0; i < 4; ++i)
        {
            auto const o = co_await w.pay(w.transfer_body(test::amina, "1"));
            states.push_back(o.state() + " " + o.error_code());
        }
        CHECK(states == std::vector<std::string>{"COMPLETED ", "ERROR_OCCURRED 5104", "COMPLETED ", "ERROR_OCCURRED 5104"});
        auto const below = co_await w.pay(w.transfer_body(test::brian, "99.99"));
        CHECK(below.state() == "COMPLETED");
        auto const inside = co_await w.pay(w.transfer_body(test::brian, "150"));
        check_failed(inside, 500, "5103");
        auto const edge = co_await w.pay(w.transfer_body(test::brian, "200"));
        check_failed(edge, 500, "5103");
        CHECK(w.balance(*w.dfsp2, test::amina) == dec("2"));
        CHECK(w.balance(*w.dfsp2, test::brian) == dec("99.99"));
        co_await w.check_conservation();
    });
}

TEST_CASE("the test API changes rules at run time and adds parties that can be paid at once")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        test::world w(ioc);
        co_await w.setup();
        auto const test_api = w.dfsp2->test_url();

        // A party the ALS has never heard of is unknown...
        auto const before = co_await w.pay(w.transfer_body("0466000001", "5"));
        check_failed(before, 500, "3204");
        // ...until the test API adds it (mojaloop-simulator's shape).
        auto const added = co_await w.call(test_api + "/repository/parties", net::method::post,
                                           R"({"displayName":"Nia Adjei","firstName":"Nia","middleName":"",)"
                                           R"("lastName":"Adjei","dateOfBirth":"1999-09-09","idType":"MSISDN",)"
                                           R"("idValue":"0466000001"})");
        CHECK(added.status == 204);
        auto const again = co_await w.call(test_api + "/repository/parties", net::method::post,
                                           R"({"idType":"MSISDN","idValue":"0466000001"})");
        CHECK(again.status == 409);
        auto const bad = co_await w.call(test_api + "/repository/parties", net::method::post, R"({"idType":"PHONE"})");
        CHECK(bad.status == 400);
        // A member the API does not know is refused, not dropped (here a misspelt sub-id that
        // would otherwise add the party without it).
        auto const unknown = co_await w.call(test_api + "/repository/parties", net::method::post,
                                             R"({"idType":"PERSONAL_ID","idValue":"B7654321","subId":"PASSPORT"})");
        CHECK(unknown.status == 400);
        CHECK(unknown.body.find("subId") != std::string::npos);
        // mojaloop-simulator's own spelling of the sub-id.
        auto const with_sub = co_await w.call(test_api + "/repository/parties", net::method::post,
                                              R"({"displayName":"Ama Owusu","idType":"PERSONAL_ID",)"
                                              R"("idValue":"B7654321","idSubValue":"PASSPORT"})");
        CHECK(with_sub.status == 204);
        auto const sub_paid = co_await w.pay(w.transfer_body("B7654321", "5", "RECEIVE", {}, "PERSONAL_ID", "PASSPORT"));
        INFO(sub_paid.body);
        CHECK(sub_paid.state() == "COMPLETED");
        auto const paid = co_await w.pay(w.transfer_body("0466000001", "5"));
        INFO(paid.body);
        CHECK(paid.state() == "COMPLETED");
        CHECK(paid.transfer.get_parties_response->party->personal_info->complex_name->last_name == "Adjei");
        auto const listed = co_await w.call(test_api + "/repository/parties", net::method::get, std::string{});
        CHECK(listed.body.find(R"("idValue":"0466000001")") != std::string::npos);
        CHECK(listed.body.find(R"("idValue":"B7654321","idSubValue":"PASSPORT")") != std::string::npos);

        // Rules set over HTTP take effect on the next message.
        auto const set = co_await w.call(test_api + "/faults", net::method::put,
                                         R"([{"id":"reject-all","step":"transfer","action":"error","error_code":"5105"}])");
        CHECK(set.status == 200);
        auto const rejected = co_await w.pay(w.transfer_body("0466000001", "5"));
        check_failed(rejected, 500, "5105");
        auto const listed_rules = co_await w.call(test_api + "/faults", net::method::get, std::string{});
        CHECK(listed_rules.body.find(R"("fired":1)") != std::string::npos);
        auto const invalid = co_await w.call(test_api + "/faults", net::method::post, R"({"action":"explode"})");
        CHECK(invalid.status == 400);
        auto const removed = co_await w.call(test_api + "/faults/reject-all", net::method::delete_, std::string{});
        CHECK(removed.status == 204);
        auto const ok = co_await w.pay(w.transfer_body("0466000001", "5"));
        CHECK(ok.state() == "COMPLETED");

        auto const account = co_await w.call(test_api + "/accounts/0466000001", net::method::get, std::string{});
        CHECK(account.body == R"({"id":"0466000001","balance":"10","blocked":"0","available":"10"})");
        co_await w.check_conservation();
    });
}
