// /bulkQuotes over real HTTP: the switch's bulk quoting rules (docs/switch.md).
#include "switch_harness.hpp"

namespace mojasim::test {

namespace {

using net::method;

std::string
bulk_quote_body(std::string const& bulk_id, std::string const& quote_id, std::string const& amount,
                std::string const& payee_fsp = "dfsp2")
{
    return R"({"bulkQuoteId":")" + bulk_id +
           R"(","payer":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":"256711111111","fspId":"dfsp1"}},)"
           R"("individualQuotes":[{"quoteId":")" + quote_id + R"(","transactionId":")" + quote_id +
           R"(","payee":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":"256700000001","fspId":")" +
           payee_fsp + R"("}},"amountType":"SEND","amount":{"currency":"USD","amount":")" + amount +
           R"("},"transactionType":{"scenario":"TRANSFER","initiator":"PAYER","initiatorType":"CONSUMER"}}]})";
}

std::string
bulk_quote_answer(std::string const& quote_id)
{
    return R"({"individualQuoteResults":[{"quoteId":")" + quote_id +
           R"(","transferAmount":{"currency":"USD","amount":"100"},"ilpPacket":"AYIBgQAAAAAAAASw","condition":")" +
           *fspiop::make_condition(world::fulfilment_of(quote_id)) + R"("}],"expiration":")" +
           core::format_datetime(std::chrono::system_clock::now() + 60s) + R"("})";
}

/// Register `f`'s FSPIOP_CALLBACK_URL_BULK_QUOTES base.
net::awaitable<void>
register_bulk(world& w, test_fsp const& f)
{
    auto const path = "/participants/" + f.name() + "/endpoints";
    auto const body = R"({"type":"FSPIOP_CALLBACK_URL_BULK_QUOTES","value":")" + f.base_url() + R"("})";
    auto r = co_await w.admin(method::post, path, body);
    REQUIRE(r.status == 201);
}

/// The usual setup plus dfsp1's and dfsp2's bulk quotes endpoints.
net::awaitable<void>
setup_bulk(world& w)
{
    co_await w.setup();
    co_await register_bulk(w, w.dfsp1);
    co_await register_bulk(w, w.dfsp2);
}

net::awaitable<void>
bulk_quotes(asio::io_context& ioc)
{
    world w(ioc);
    co_await setup_bulk(w);
    auto const id = w.new_id();
    auto const qid = w.new_id();
    auto const body = bulk_quote_body(id, qid, "100");
    auto r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/bulkQuotes", body, "dfsp2"));
    CHECK(r.status == 202);
    auto request = co_await w.dfsp2.expect(method::post, "/bulkQuotes");
    REQUIRE(request);
    CHECK(request->body == body);
    CHECK(request->fields.value_or("FSPIOP-Source") == "dfsp1");
    CHECK(request->fields.value_or("FSPIOP-URI") == "/bulkQuotes");

    // The payee's answer goes to the payer as it is.
    auto const answer = bulk_quote_answer(qid);
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/bulkQuotes/" + id, answer, "dfsp1"));
    CHECK(r.status == 200);
    auto reply = co_await w.dfsp1.expect(method::put, "/bulkQuotes/" + id);
    REQUIRE(reply);
    CHECK(reply->body == answer);

    // GET /bulkQuotes/{ID} without a destination goes to the other side of the bulk.
    r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/bulkQuotes/" + id, {}));
    CHECK(r.status == 202);
    auto get = co_await w.dfsp2.expect(method::get, "/bulkQuotes/" + id);
    REQUIRE(get);
    CHECK(get->fields.value_or("FSPIOP-Source") == "dfsp1");

    // The same request again is sent on again; a changed one is 3106 to the payer only.
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/bulkQuotes", body, "dfsp2"));
    auto again = co_await w.dfsp2.expect(method::post, "/bulkQuotes");
    REQUIRE(again);
    CHECK(again->body == body);
    auto const changed = bulk_quote_body(id, qid, "101");
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/bulkQuotes", changed, "dfsp2"));
    auto modified = co_await w.dfsp1.expect(method::put, "/bulkQuotes/" + id + "/error");
    REQUIRE(modified);
    CHECK(error_code_in(*modified) == "3106");
    CHECK(modified->fields.value_or("FSPIOP-Source") == "Hub");
    CHECK(modified->fields.value_or("Content-Type") == media("bulkQuotes"));
    CHECK(w.dfsp2.unexpected().empty());

    // A changed answer from the payee is 3106 to it, nothing to the payer.
    auto const other_answer = bulk_quote_answer(w.new_id());
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/bulkQuotes/" + id, other_answer, "dfsp1"));
    auto changed_answer = co_await w.dfsp2.expect(method::put, "/bulkQuotes/" + id + "/error");
    REQUIRE(changed_answer);
    CHECK(error_code_in(*changed_answer) == "3106");

    // The payee's rejection of another bulk is passed through.
    auto const id2 = w.new_id();
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/bulkQuotes", bulk_quote_body(id2, w.new_id(), "5"), "dfsp2"));
    auto const got2 = co_await w.dfsp2.expect(method::post, "/bulkQuotes");
    REQUIRE(got2);
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/bulkQuotes/" + id2 + "/error",
                                                   fspiop::error_body(fspiop::errc::payee_rejected_quote), "dfsp1"));
    auto rejected = co_await w.dfsp1.expect(method::put, "/bulkQuotes/" + id2 + "/error");
    REQUIRE(rejected);
    CHECK(error_code_in(*rejected) == "5101");
    CHECK(w.dfsp1.unexpected().empty());
    CHECK(w.hub.bulk_quotes().size() == 2);
}

// Refusals: each goes back to the sender alone and nothing is recorded.
net::awaitable<void>
bulk_quote_refusals(asio::io_context& ioc)
{
    world w(ioc);
    test_fsp dfsp3(ioc, "dfsp3");
    co_await setup_bulk(w);
    co_await w.onboard(dfsp3, "1000", "5000");
    co_await register_bulk(w, dfsp3);

    // No FSPIOP-Destination: 3102 at once (one payee FSP per bulk, named by the header).
    auto const id = w.new_id();
    auto r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/bulkQuotes", bulk_quote_body(id, w.new_id(), "1")));
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3102");

    // An individual quote for another FSP than the destination: 3100.
    co_await w.dfsp1.send(w.fspiop(),
                          w.dfsp1.make(method::post, "/bulkQuotes", bulk_quote_body(id, w.new_id(), "1", "dfsp3"), "dfsp2"));
    auto mixed = co_await w.dfsp1.expect(method::put, "/bulkQuotes/" + id + "/error");
    REQUIRE(mixed);
    CHECK(error_code_in(*mixed) == "3100");

    // An unknown payee FSP: 3201.
    auto const id3 = w.new_id();
    co_await w.dfsp1.send(w.fspiop(),
                          w.dfsp1.make(method::post, "/bulkQuotes", bulk_quote_body(id3, w.new_id(), "1", "nobank"), "nobank"));
    auto unknown = co_await w.dfsp1.expect(method::put, "/bulkQuotes/" + id3 + "/error");
    REQUIRE(unknown);
    CHECK(error_code_in(*unknown) == "3201");

    // A bulk without individual quotes is refused at once.
    auto const empty = R"({"bulkQuoteId":")" + w.new_id() +
                       R"(","payer":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":"1","fspId":"dfsp1"}},"individualQuotes":[]})";
    r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/bulkQuotes", empty, "dfsp2"));
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3100");
    CHECK(w.hub.bulk_quotes().size() == 0);

    // A stranger's answer to a real bulk is refused (3100 to it), then the payee's goes through.
    auto const id4 = w.new_id();
    auto const qid = w.new_id();
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/bulkQuotes", bulk_quote_body(id4, qid, "1"), "dfsp2"));
    auto const got = co_await w.dfsp2.expect(method::post, "/bulkQuotes");
    REQUIRE(got);
    auto const answer = bulk_quote_answer(qid);
    co_await dfsp3.send(w.fspiop(), dfsp3.make(method::put, "/bulkQuotes/" + id4, answer, "dfsp1"));
    auto refused = co_await dfsp3.expect(method::put, "/bulkQuotes/" + id4 + "/error");
    REQUIRE(refused);
    CHECK(error_code_in(*refused) == "3100");
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/bulkQuotes/" + id4, answer, "dfsp1"));
    auto reply = co_await w.dfsp1.expect(method::put, "/bulkQuotes/" + id4);
    REQUIRE(reply);
    CHECK(reply->body == answer);
    CHECK(w.dfsp1.unexpected().empty());
    CHECK(w.hub.bulk_quotes().size() == 1);
}

} // namespace

TEST_CASE("switch: bulk quote round trip, GET, resend and 3106", "[switch][bulk]")
{
    run_async(bulk_quotes);
}

TEST_CASE("switch: bulk quote refusals go to the sender alone", "[switch][bulk]")
{
    run_async(bulk_quote_refusals);
}

} // namespace mojasim::test
