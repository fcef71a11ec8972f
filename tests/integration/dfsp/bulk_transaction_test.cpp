// DFSP1's connector's bulk outbound API (POST/PUT/GET /bulkTransactions) through the real
// switch to DFSP2: lookups per transfer through the ALS, one POST /bulkQuotes per payee FSP
// (and per 1,000 transfers) answered by DFSP2's bulk quotes, the acceptance stops, and (with
// the switch's /bulkTransfers) the bulk transfers to the end.
#include "tests/integration/dfsp/world.hpp"

using namespace mojasim;
using namespace mojasim::test;

namespace {

std::string item(std::string_view to, std::string_view amount, std::string_view home)
{
    return R"({"homeTransactionId":")" + std::string(home) +
           R"(","to":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":")" + std::string(to) +
           R"("}},"amountType":"SEND","currency":"USD","amount":")" + std::string(amount) + R"("})";
}

std::string bulk_body(std::string const& id, std::vector<std::string> const& items, bool auto_party, bool auto_quote,
                      bool synchronous = true)
{
    std::string b = R"({"bulkHomeTransactionID":"batch-1","bulkTransactionId":")" + id +
                    R"(","options":{"autoAcceptParty":{"enabled":)" + (auto_party ? "true" : "false") +
                    R"(},"autoAcceptQuote":{"enabled":)" + (auto_quote ? "true" : "false") +
                    R"(},"synchronous":)" + (synchronous ? "true" : "false") +
                    R"(,"bulkExpiration":"2099-01-01T00:00:00.000Z"},)"
                    R"("from":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":")" +
                    std::string(payer_msisdn) + R"("}},"individualTransfers":[)";
    for(std::size_t i = 0; i < items.size(); ++i)
        b += (i ? "," : "") + items[i];
    return b + "]}";
}

connector::bulk_transaction_response decode_state(net::response const& res)
{
    INFO(res.body);
    auto r = connector::decode_bulk_transaction_response(res.body);
    REQUIRE(r);
    return std::move(*r);
}

std::string code_of(connector::bulk_transfer_result const& r)
{
    if(!r.last_error || !r.last_error->mojaloop_error || !r.last_error->mojaloop_error->error_information)
        return {};
    return r.last_error->mojaloop_error->error_information->error_code;
}

std::string accept_all(connector::bulk_transaction_response const& r, std::string_view flag, bool yes)
{
    std::string b = R"({"individualTransfers":[)";
    bool first = true;
    for(auto const& t : r.individual_transfer_results)
    {
        if(t.last_error)
            continue;
        b += std::string(first ? "" : ",") + R"({"transferId":")" + t.transfer_id + R"(",")" + std::string(flag) +
             R"(":)" + (yes ? "true" : "false") + "}";
        first = false;
    }
    return b + "]}";
}

} // namespace

TEST_CASE("bulk transaction: lookups and bulk quotes through the switch, acceptance stops, refusals")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        world w(ioc);
        co_await w.setup();
        auto const id = w.ids.uuid_v4();
        std::vector<std::string> const items = {item(amina, "100", "row-1"), item("0400000000", "5", "row-2"),
                                                item(brian, "50", "row-3")};
        auto const body = bulk_body(id, items, false, false);
        auto const posted = co_await w.connector_call(net::method::post, "/bulkTransactions", body);
        CHECK(posted.status == 202);
        auto const waiting = decode_state(posted);
        CHECK(waiting.current_state == connector::bulk_transaction_state::waiting_for_party_acceptance);
        REQUIRE(waiting.individual_transfer_results.size() == 3);
        auto const& stranger = waiting.individual_transfer_results[1];
        CHECK(stranger.home_transaction_id == "row-2");
        CHECK(stranger.current_state == connector::transfer_status::error_occurred);
        CHECK(code_of(stranger) == "3204");
        CHECK(waiting.individual_transfer_results[0].to.party_id_info.fsp_id == "dfsp2");
        CHECK(waiting.individual_transfer_results[0].current_state ==
              connector::transfer_status::waiting_for_party_acceptance);

        // The same id again, a bad body, an unknown id, the wrong acceptance.
        auto const dup = co_await w.connector_call(net::method::post, "/bulkTransactions", body);
        CHECK(dup.status == 400);
        auto const bad = co_await w.connector_call(net::method::post, "/bulkTransactions", R"({"bulkTransactionId":1})");
        CHECK(bad.status == 400);
        CHECK(bad.body.find("\"statusCode\":\"400\"") != std::string::npos);
        auto const unknown = co_await w.connector_call(net::method::put, "/bulkTransactions/" + w.ids.uuid_v4(),
                                                       accept_all(waiting, "acceptParty", true));
        CHECK(unknown.status == 404);
        auto const wrong =
            co_await w.connector_call(net::method::put, "/bulkTransactions/" + id, accept_all(waiting, "acceptQuote", true));
        CHECK(wrong.status == 400);

        // Parties accepted: one bulk quote to DFSP2 for both, its fee per item.
        auto const put = co_await w.connector_call(net::method::put, "/bulkTransactions/" + id,
                                                   accept_all(waiting, "acceptParty", true));
        CHECK(put.status == 202);
        auto const quoted = decode_state(put);
        CHECK(quoted.current_state == connector::bulk_transaction_state::waiting_for_quote_acceptance);
        auto const& a = quoted.individual_transfer_results[0];
        CHECK(a.current_state == connector::transfer_status::waiting_for_quote_acceptance);
        REQUIRE(a.payee_fsp_fee);
        CHECK(a.payee_fsp_fee->amount == dec("1.5")); // 0.5 + 1 % of 100
        CHECK(a.transfer_amount->amount == dec("100"));
        CHECK(a.payee_receive_amount->amount == dec("98.5"));
        CHECK(quoted.individual_transfer_results[2].payee_fsp_fee->amount == dec("1"));
        CHECK(w.hub->bulk_quotes().size() == 1);

        // GET says the same; declining every quote ends the bulk with no money moved.
        auto const got = co_await w.connector_call(net::method::get, "/bulkTransactions/" + id, "");
        CHECK(got.status == 200);
        CHECK(decode_state(got) == quoted);
        auto const declined = co_await w.connector_call(net::method::put, "/bulkTransactions/" + id,
                                                        accept_all(quoted, "acceptQuote", false));
        auto const done = decode_state(declined);
        CHECK(done.current_state == connector::bulk_transaction_state::completed);
        CHECK(code_of(done.individual_transfer_results[0]) == "4100");
        CHECK(code_of(done.individual_transfer_results[2]) == "4100");
        CHECK(world::balance(*w.dfsp1, "treasury") == w.treasury_start);
        CHECK(w.dfsp1->total_blocked() == decimal{});
        CHECK(w.dfsp1->stats().bulk_completed == 1);
    });
}

TEST_CASE("bulk transaction: 2,500 transfers are looked up concurrently and quoted in bulks of at most 1,000")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        world_options opts;
        opts.tweak_dfsp1 = [](dfsp::config& c) {
            c.connector.bulk_concurrency = 64;
            // Bulks of 1,000 quotes on a loaded 2-core machine (and under ASan) need more than 3 s.
            c.connector.quote_timeout = std::chrono::milliseconds(60'000);
        };
        world w(ioc, opts);
        co_await w.setup();
        std::vector<std::string> items;
        char const* const payees[] = {amina, brian, esi};
        for(int i = 0; i < 2500; ++i)
            items.push_back(item(payees[i % 3], "1", "row-" + std::to_string(i)));
        auto const id = w.ids.uuid_v4();
        auto const posted =
            co_await w.connector_call(net::method::post, "/bulkTransactions", bulk_body(id, items, true, false));
        CHECK(posted.status == 202);
        auto const quoted = decode_state(posted);
        INFO(posted.body.substr(0, 1000));
        CHECK(quoted.current_state == connector::bulk_transaction_state::waiting_for_quote_acceptance);
        REQUIRE(quoted.individual_transfer_results.size() == 2500);
        std::size_t waiting = 0;
        for(auto const& r : quoted.individual_transfer_results)
            waiting += r.current_state == connector::transfer_status::waiting_for_quote_acceptance ? 1 : 0;
        CHECK(waiting == 2500);
        // 2,500 transfers to one payee FSP: bulks of 1,000, 1,000 and 500.
        CHECK(w.hub->bulk_quotes().size() == 3);
        auto const declined = co_await w.connector_call(net::method::put, "/bulkTransactions/" + id,
                                                        accept_all(quoted, "acceptQuote", false));
        CHECK(decode_state(declined).current_state == connector::bulk_transaction_state::completed);
        CHECK(w.dfsp1->total_blocked() == decimal{});
    });
}

TEST_CASE("bulk transaction end to end: transfers booked per item, the unknown party alone failing")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        world w(ioc);
        co_await w.setup();
        auto const id = w.ids.uuid_v4();
        std::vector<std::string> const items = {item(amina, "100", "row-1"), item("0400000000", "5", "row-2"),
                                                item(brian, "50", "row-3")};
        auto body = bulk_body(id, items, true, true);
        auto const posted = co_await w.connector_call(net::method::post, "/bulkTransactions", std::move(body));
        CHECK(posted.status == 202);
        auto const done = decode_state(posted);
        CHECK(done.current_state == connector::bulk_transaction_state::completed);
        REQUIRE(done.individual_transfer_results.size() == 3);
        CHECK(done.individual_transfer_results[0].current_state == connector::transfer_status::completed);
        CHECK(done.individual_transfer_results[0].transfer_state == connector::transfer_state::committed);
        CHECK(done.individual_transfer_results[0].fulfilment);
        CHECK(code_of(done.individual_transfer_results[1]) == "3204");
        CHECK(done.individual_transfer_results[2].current_state == connector::transfer_status::completed);
        CHECK(world::balance(*w.dfsp2, amina) == dec("98.5"));
        CHECK(world::balance(*w.dfsp2, brian) == dec("49"));
        CHECK(checked_sub(w.treasury_start, world::balance(*w.dfsp1, "treasury")) == dec("150"));
        co_await w.check_conservation();

        // An asynchronous bulk is read with GET until it is COMPLETED.
        auto const id2 = w.ids.uuid_v4();
        std::vector<std::string> const one = {item(esi, "10", "row-9")};
        auto body2 = bulk_body(id2, one, true, true, false);
        auto const accepted = co_await w.connector_call(net::method::post, "/bulkTransactions", std::move(body2));
        CHECK(accepted.status == 202);
        CHECK(accepted.body.empty());
        dfsp::dfsp_actor const* dfsp1 = w.dfsp1.get();
        std::function<bool()> completed = [dfsp1] { return dfsp1->stats().bulk_completed == 2; };
        auto const finished = co_await w.settle(std::move(completed));
        CHECK(finished);
        auto const got = co_await w.connector_call(net::method::get, "/bulkTransactions/" + id2, "");
        CHECK(decode_state(got).individual_transfer_results[0].current_state == connector::transfer_status::completed);
        co_await w.check_conservation();
    });
}

namespace {

// A synchronous bulk, accepted automatically, paid to the end: its id.
net::awaitable<std::string> pay_bulk(world& w, std::vector<std::string> items)
{
    auto id = w.ids.uuid_v4();
    auto body = bulk_body(id, items, true, true);
    auto const posted = co_await w.connector_call(net::method::post, "/bulkTransactions", std::move(body));
    CHECK(posted.status == 202);
    CHECK(decode_state(posted).current_state == connector::bulk_transaction_state::completed);
    co_return id;
}

// GET /bulkTransactions/{id} of each: its status (200 kept, 404 forgotten).
net::awaitable<std::vector<unsigned>> get_statuses(world& w, std::vector<std::string> ids)
{
    std::vector<unsigned> out;
    for(auto const& id : ids)
    {
        auto const got = co_await w.connector_call(net::method::get, "/bulkTransactions/" + id, "");
        out.push_back(got.status);
    }
    co_return out;
}

} // namespace

TEST_CASE("bulk transaction: completed bulks are forgotten whole, oldest first, once their transfers pass keep_bulk_items")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        world_options opts;
        opts.tweak_dfsp1 = [](dfsp::config& c) { c.connector.keep_bulk_items = 3; };
        world w(ioc, opts);
        co_await w.setup();
        std::vector<std::string> const two_a = {item(amina, "1", "a-1"), item(brian, "1", "a-2")};
        std::vector<std::string> const two_b = {item(amina, "1", "b-1"), item(brian, "1", "b-2")};
        std::vector<std::string> const one_c = {item(esi, "1", "c-1")};
        std::vector<std::string> const one_d = {item(esi, "1", "d-1")};
        auto const a = co_await pay_bulk(w, two_a);
        auto const b = co_await pay_bulk(w, two_b);
        // 4 transfers kept would pass 3: the first bulk goes, whole.
        std::vector<std::string> const ab = {a, b};
        auto const after_b = co_await get_statuses(w, ab);
        CHECK(after_b == std::vector<unsigned>{404, 200});
        auto const c = co_await pay_bulk(w, one_c);
        std::vector<std::string> const bc = {b, c};
        auto const after_c = co_await get_statuses(w, bc); // 2 + 1 = 3 kept
        CHECK(after_c == std::vector<unsigned>{200, 200});
        auto const d = co_await pay_bulk(w, one_d);
        std::vector<std::string> const bcd = {b, c, d};
        auto const after_d = co_await get_statuses(w, bcd);
        CHECK(after_d == std::vector<unsigned>{404, 200, 200});
        CHECK(w.dfsp1->stats().bulk_completed == 4);
    });
}
