// One sub-batch of a BULK payment mode as a script of the connector's answers, without
// sockets or timers: the POST's retry rule, polling with its back-off and deadline,
// acceptance, and how each row's outcome is read from the bulk transaction.
#include "payment-hub/bulk_flow.hpp"

#include <catch2/catch.hpp>

using namespace mojasim;
using hub::bulk_flow;
using hub::bulk_item_result;
using hub::bulk_post_answer;
using hub::bulk_status;
using namespace std::chrono_literals;

namespace {

template <class A>
bool is(bulk_flow::action const& a)
{
    return std::holds_alternative<A>(a);
}

hub::bulk_flow_options options()
{
    hub::bulk_flow_options o;
    o.max_attempts = 3;
    o.retry_delay = 5ms;
    o.poll_delay = 10ms;
    o.max_poll_delay = 40ms;
    o.timeout = 1000ms;
    return o;
}

bulk_flow posted(std::vector<std::string> ids = {"r1", "r2", "r3"})
{
    bulk_flow f(std::move(ids), options());
    REQUIRE(is<bulk_flow::send_post>(f.start()));
    return f;
}

// After an accepted POST: the first wait, then the GET.
bulk_flow asking(std::vector<std::string> ids = {"r1", "r2", "r3"})
{
    auto f = posted(std::move(ids));
    auto a = f.on_post({});
    REQUIRE(is<bulk_flow::wait>(a));
    REQUIRE(is<bulk_flow::send_get>(f.on_waited()));
    return f;
}

std::vector<bulk_item_result> results(bulk_flow::action const& a)
{
    REQUIRE(is<bulk_flow::done>(a));
    return std::get<bulk_flow::done>(a).items;
}

constexpr std::string_view completed_body = R"({
  "bulkTransactionId": "b1", "bulkHomeTransactionID": "batch-1", "currentState": "COMPLETED",
  "individualTransferResults": [
    {"homeTransactionId": "r2", "transferId": "t2", "to": {"partyIdInfo": {"partyIdType": "MSISDN", "partyIdentifier": "2", "fspId": "dfsp3"}},
     "lastError": {"httpStatusCode": 500, "mojaloopError": {"errorInformation": {"errorCode": "5104", "errorDescription": "Transfer rejected"}}}},
    {"homeTransactionId": "r1", "transferId": "t1", "to": {"partyIdInfo": {"partyIdType": "MSISDN", "partyIdentifier": "1", "fspId": "dfsp2"}},
     "fulfil": {"body": {"transferState": "COMMITTED", "fulfilment": "x"}}},
    {"homeTransactionId": "r3", "transferId": "t3", "transferState": "COMMITTED"}
  ]})";

} // namespace

TEST_CASE("bulk flow: an accepted bulk is polled until final, each row read by homeTransactionId", "[hub][bulk]")
{
    auto f = asking();
    // Still working: the waits double up to max_poll_delay.
    auto pending = hub::interpret_bulk_status(200, R"({"bulkTransactionId":"b1","currentState":"TRANSFERS_PROCESSING"})");
    CHECK(pending.what == bulk_status::phase::pending);
    auto a = f.on_status(pending);
    REQUIRE(is<bulk_flow::wait>(a));
    CHECK(std::get<bulk_flow::wait>(a).delay == 20ms);
    REQUIRE(is<bulk_flow::send_get>(f.on_waited()));
    a = f.on_status(pending);
    CHECK(std::get<bulk_flow::wait>(a).delay == 40ms);
    REQUIRE(is<bulk_flow::send_get>(f.on_waited()));
    a = f.on_status(pending);
    CHECK(std::get<bulk_flow::wait>(a).delay == 40ms);
    CHECK(f.waited() == 110ms);
    REQUIRE(is<bulk_flow::send_get>(f.on_waited()));

    auto const items = results(f.on_status(hub::interpret_bulk_status(200, completed_body)));
    REQUIRE(items.size() == 3);
    CHECK(items[0].home_transaction_id == "r1");
    CHECK(items[0].completed);
    CHECK(items[0].transfer_id == "t1");
    CHECK(items[0].payee_fsp == "dfsp2");
    CHECK(items[1].home_transaction_id == "r2");
    CHECK_FALSE(items[1].completed);
    CHECK(items[1].error_code == "5104");
    CHECK(items[1].error_description == "Transfer rejected");
    CHECK(items[1].payee_fsp == "dfsp3");
    CHECK(items[2].completed);
    CHECK(items[2].transfer_id == "t3");
}

TEST_CASE("bulk flow: a row missing from the final answer fails, with the bulk's error when it has one", "[hub][bulk]")
{
    auto f = asking({"r1", "r9"});
    auto s = hub::interpret_bulk_status(200, R"({"currentState":"ERROR_OCCURRED",
        "lastError":{"mojaloopError":{"errorInformation":{"errorCode":"3303","errorDescription":"Transfer expired"}}},
        "individualTransferResults":[{"homeTransactionId":"r1","transferId":"t1","transferState":"COMMITTED"}]})");
    CHECK(s.error_code == "3303");
    auto const items = results(f.on_status(s));
    REQUIRE(items.size() == 2);
    CHECK(items[0].completed);
    CHECK(items[1].home_transaction_id == "r9");
    CHECK(items[1].error_code == "3303");

    auto g = asking({"r9"});
    auto const bare = results(g.on_status(hub::interpret_bulk_status(200, R"({"currentState":"COMPLETED","individualTransferResults":[]})")));
    CHECK(bare[0].error_code == "2001");
    CHECK(bare[0].error_description == hub::bulk_error::missing_item);
}

TEST_CASE("bulk flow: a POST that did not arrive is re-sent, after max_attempts every row fails", "[hub][bulk]")
{
    auto f = posted({"r1", "r2"});
    bulk_post_answer lost;
    lost.what = bulk_post_answer::kind::not_arrived;
    lost.error_code = "1001";
    lost.error_description = "Destination communication error";
    for(int attempt = 2; attempt <= 3; ++attempt)
    {
        auto a = f.on_post(lost);
        REQUIRE(is<bulk_flow::wait>(a));
        CHECK(std::get<bulk_flow::wait>(a).delay == 5ms);
        auto again = f.on_waited();
        REQUIRE(is<bulk_flow::send_post>(again));
        CHECK(std::get<bulk_flow::send_post>(again).attempt == attempt);
    }
    auto const items = results(f.on_post(lost));
    REQUIRE(items.size() == 2);
    for(auto const& it : items)
    {
        CHECK_FALSE(it.completed);
        CHECK(it.error_code == "1001");
    }
    CHECK(items[1].home_transaction_id == "r2");
}

TEST_CASE("bulk flow: a POST whose answer was lost is asked about, never re-sent", "[hub][bulk]")
{
    auto f = posted({"r1"});
    bulk_post_answer unknown;
    unknown.what = bulk_post_answer::kind::unknown;
    REQUIRE(is<bulk_flow::wait>(f.on_post(unknown)));
    REQUIRE(is<bulk_flow::send_get>(f.on_waited()));
    // 404: the connector has not seen it (yet): keep asking until the deadline.
    auto a = f.on_status(hub::interpret_bulk_status(404, ""));
    REQUIRE(is<bulk_flow::wait>(a));
    REQUIRE(is<bulk_flow::send_get>(f.on_waited()));
    CHECK(results(f.on_status(hub::interpret_bulk_status(200, completed_body)))[0].completed);
}

TEST_CASE("bulk flow: a refused POST fails every row with the connector's error", "[hub][bulk]")
{
    auto f = posted({"r1", "r2"});
    auto const refused = hub::interpret_bulk_post(
        400, R"({"statusCode":"3100","message":"Invalid individualTransfers","bulkTransferState":{}})");
    CHECK(refused.what == bulk_post_answer::kind::refused);
    auto const items = results(f.on_post(refused));
    CHECK(items[0].error_code == "3100");
    CHECK(items[1].error_description == "Invalid individualTransfers");

    auto const odd = hub::interpret_bulk_post(500, "not json");
    CHECK(odd.error_code == "2001");
    CHECK(hub::interpret_bulk_post(202, "").what == bulk_post_answer::kind::accepted);
    CHECK_FALSE(hub::interpret_bulk_post(202, R"({"bulkTransactionId":"b1"})").result);
}

TEST_CASE("bulk flow: a synchronous answer with the final bulk transaction needs no GET", "[hub][bulk]")
{
    auto f = posted({"r1", "r2", "r3"});
    auto const a = hub::interpret_bulk_post(200, completed_body);
    CHECK(a.what == bulk_post_answer::kind::accepted);
    REQUIRE(a.result);
    auto const items = results(f.on_post(a));
    CHECK(items[0].completed);
    CHECK(items[1].error_code == "5104");
    CHECK(f.waited() == 0ms);
}

TEST_CASE("bulk flow: waiting for acceptance gets one PUT per stage naming the live transfers", "[hub][bulk]")
{
    auto f = asking({"r1", "r2"});
    auto party = hub::interpret_bulk_status(200, R"({"currentState":"WAITING_FOR_PARTY_ACCEPTANCE",
        "individualTransferResults":[{"homeTransactionId":"r1","transferId":"t1"},
          {"homeTransactionId":"r2","transferId":"t2","lastError":{"mojaloopError":{"errorInformation":{"errorCode":"3204","errorDescription":"Party not found"}}}}]})");
    CHECK(party.what == bulk_status::phase::accept_party);
    auto a = f.on_status(party);
    REQUIRE(is<bulk_flow::send_put>(a));
    CHECK(std::get<bulk_flow::send_put>(a).what == connector::transfer_continuation::kind::accept_party);
    CHECK(std::get<bulk_flow::send_put>(a).transfer_ids == std::vector<std::string>{"t1"});
    a = f.on_put(true);
    REQUIRE(is<bulk_flow::wait>(a));
    CHECK(std::get<bulk_flow::wait>(a).delay == 10ms); // the back-off starts again
    REQUIRE(is<bulk_flow::send_get>(f.on_waited()));
    // The same stage again is not accepted twice: the PUT is on its way.
    REQUIRE(is<bulk_flow::wait>(f.on_status(party)));
    REQUIRE(is<bulk_flow::send_get>(f.on_waited()));
    auto quote = hub::interpret_bulk_status(200, R"({"currentState":"AGREEMENT_ACCEPTANCE_PENDING",
        "individualTransferResults":[{"homeTransactionId":"r1","transferId":"t1"}]})");
    a = f.on_status(quote);
    REQUIRE(is<bulk_flow::send_put>(a));
    CHECK(std::get<bulk_flow::send_put>(a).what == connector::transfer_continuation::kind::accept_quote);
}

TEST_CASE("bulk flow: nothing final within the timeout fails every row as timed out", "[hub][bulk]")
{
    auto f = asking({"r1"});
    std::optional<bulk_flow::action> last;
    for(int i = 0; i < 100; ++i)
    {
        auto a = f.on_status(std::nullopt); // no answer at all
        if(!is<bulk_flow::wait>(a))
        {
            last = std::move(a);
            break;
        }
        REQUIRE(is<bulk_flow::send_get>(f.on_waited()));
    }
    REQUIRE(last);
    auto const items = results(*last);
    CHECK(items[0].error_code == "2004");
    CHECK(items[0].error_description == hub::bulk_error::timed_out);
    CHECK(f.waited() >= 1000ms);
}

TEST_CASE("bulk status: bodies that cannot be read are no answer", "[hub][bulk]")
{
    CHECK(hub::interpret_bulk_status(200, "[]").what == bulk_status::phase::malformed);
    CHECK(hub::interpret_bulk_status(200, "{").what == bulk_status::phase::malformed);
    CHECK(hub::interpret_bulk_status(500, "{}").what == bulk_status::phase::malformed);
    CHECK(hub::interpret_bulk_status(200, R"({"bulkTransactionState":"COMPLETED"})").what == bulk_status::phase::finished);
    auto const aborted = hub::interpret_bulk_status(200, R"({"currentState":"COMPLETED",
        "individualTransferResults":[{"homeTransactionId":"r1","transferState":"ABORTED"}, 7]})");
    REQUIRE(aborted.items.size() == 1);
    CHECK_FALSE(aborted.items[0].completed);
    CHECK(aborted.items[0].error_description == "Transfer ABORTED");
}
