// Validation as the real hub answers it (issue 14): ids under every version, the codes and
// words of its OpenAPI validator, the quoting service's FSPIOP-Destination, empty ids, the
// ALS's unknown sources and the Admin API's refusals. Where the hub's own tests record an
// exchange, it is quoted next to the check ("recorded:").
#include "switch_harness.hpp"

namespace mojasim::test {

namespace {

using net::method;

std::string
error_description(std::string_view body)
{
    return json_text(body, {"errorInformation", "errorDescription"});
}

std::string
quote_body(std::string const& quote_id)
{
    return R"({"quoteId":")" + quote_id + R"(","transactionId":")" + quote_id +
           R"(","payee":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":"256700000001","fspId":"dfsp2"}},)"
           R"("payer":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":"256700000002","fspId":"dfsp1"}},)"
           R"("amountType":"SEND","amount":{"currency":"USD","amount":"5"},)"
           R"("transactionType":{"scenario":"TRANSFER","initiator":"PAYER","initiatorType":"CONSUMER"}})";
}

std::string
ulid(world& w)
{
    return w.ids.ulid(1'700'000'000'000);
}

// A transfer prepared under 2.0 with a ULID is fulfilled under 1.0, and read back under 1.1
// (the hub validates every version against one OpenAPI whose CorrelationId is a UUID v1-7 or
// a ULID).
net::awaitable<void>
ulid_under_every_version(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    auto const id = ulid(w);
    REQUIRE(id.size() == 26);
    auto r = co_await w.dfsp1.send(
        w.fspiop(), w.dfsp1.make(method::post, "/transfers", world::prepare_body(id, "7"), "dfsp2", "2.0"));
    CHECK(r.status == 202);
    auto const prepared = co_await w.dfsp2.expect(method::post, "/transfers");
    REQUIRE(prepared);

    r = co_await w.dfsp2.send(w.fspiop(),
                              w.dfsp2.make(method::put, "/transfers/" + id, world::fulfil_body(id), "dfsp1", "1.0"));
    CHECK(r.status == 200);
    auto const committed = co_await w.dfsp1.expect(method::put, "/transfers/" + id);
    REQUIRE(committed);
    CHECK(json_text(committed->body, {"transferState"}) == "COMMITTED");
    CHECK(w.hub.position("dfsp2", "USD") == core::decimal::parse("-7"));

    // GET under 1.1 answers from the ledger as for any id.
    r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/transfers/" + id, {}, {}, "1.1"));
    CHECK(r.status == 202);
    auto const state = co_await w.dfsp1.expect(method::put, "/transfers/" + id);
    REQUIRE(state);
    CHECK(json_text(state->body, {"transferState"}) == "COMMITTED");

    // A ULID the hub has never seen: 3208 afterwards, not a synchronous 3101.
    auto const unknown = ulid(w);
    r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/transfers/" + unknown, {}, {}, "1.0"));
    CHECK(r.status == 202);
    auto const missing = co_await w.dfsp1.expect(method::put, "/transfers/" + unknown + "/error");
    REQUIRE(missing);
    CHECK(error_code_in(*missing) == "3208");

    // A 1.1 prepare may carry a ULID too.
    auto const id2 = ulid(w);
    r = co_await w.dfsp1.send(w.fspiop(),
                              w.dfsp1.make(method::post, "/transfers", world::prepare_body(id2, "1"), "dfsp2", "1.1"));
    CHECK(r.status == 202);
    auto const prepared2 = co_await w.dfsp2.expect(method::post, "/transfers");
    REQUIRE(prepared2);
}

// strict_spec keeps the specification's reading: v1.x CorrelationIds are UUID v1-5 only.
net::awaitable<void>
ulid_strict(asio::io_context& ioc)
{
    auto cfg = world::config();
    cfg.strict_spec = true;
    world w(ioc, cfg);
    co_await w.setup();
    auto const id = ulid(w);
    auto r = co_await w.dfsp1.send(
        w.fspiop(), w.dfsp1.make(method::post, "/transfers", world::prepare_body(id, "7"), "dfsp2", "2.0"));
    CHECK(r.status == 202);
    auto const prepared = co_await w.dfsp2.expect(method::post, "/transfers");
    REQUIRE(prepared);

    r = co_await w.dfsp2.send(w.fspiop(),
                              w.dfsp2.make(method::put, "/transfers/" + id, world::fulfil_body(id), "dfsp1", "1.0"));
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3100");
    CHECK(error_description(r.body).rfind(R"(Generic validation error - /path/ID must match pattern "^[0-9a-f]{8}-)", 0) == 0);
    CHECK(w.hub.transfer_state(id) == ledger::transfer_state::reserved);

    r = co_await w.dfsp1.send(
        w.fspiop(), w.dfsp1.make(method::post, "/transfers", world::prepare_body(ulid(w), "1"), "dfsp2", "1.1"));
    CHECK(r.status == 400);
    CHECK(error_description(r.body).rfind("Generic validation error - /requestBody/transferId must match pattern", 0) == 0);
}

// The codes and words of the hub's OpenAPI validator (central-services-error-handling's
// createFSPIOPErrorFromOpenapiError: required 3102, type 3101, the rest 3100).
net::awaitable<void>
validator_words(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    auto const id = w.new_id();

    // recorded (ALS, POST /participants without requestId): 400
    // {"errorInformation":{"errorCode":"3102","errorDescription":"Missing mandatory element -
    //  /requestBody must have required property 'requestId'"}}
    auto r = co_await w.dfsp1.send(
        w.fspiop(), w.dfsp1.make(method::post, "/participants",
                                 R"({"partyList":[{"partyIdType":"MSISDN","partyIdentifier":"256700000009"}]})"));
    CHECK(r.status == 400);
    CHECK(r.body == R"({"errorInformation":{"errorCode":"3102","errorDescription":"Missing mandatory element - )"
                    R"(/requestBody must have required property 'requestId'"}})");

    // recorded (an enum, thirdparty-api-svc): 400 3100 "Generic validation error -
    //  /requestBody/status must be equal to one of the allowed values"
    auto body = world::prepare_body(id, "1");
    auto const usd = body.find(R"("USD")");
    REQUIRE(usd != std::string::npos);
    body.replace(usd, 5, R"("usd")");
    r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/transfers", body, "dfsp2"));
    CHECK(r.status == 400);
    CHECK(r.body == R"({"errorInformation":{"errorCode":"3100","errorDescription":"Generic validation error - )"
                    R"(/requestBody/amount/currency must be equal to one of the allowed values"}})");

    // Path parameters of the ALS: an enum and a length, 3100 (were 3101).
    r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/parties/NOTATYPE/256700000001", {}));
    CHECK(r.status == 400);
    CHECK(r.body == R"({"errorInformation":{"errorCode":"3100","errorDescription":"Generic validation error - )"
                    R"(/path/Type must be equal to one of the allowed values"}})");
    std::string const long_id = "/parties/MSISDN/" + std::string(129, '1');
    r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, long_id, {}));
    CHECK(r.status == 400);
    CHECK(error_description(r.body) == "Generic validation error - /path/ID must NOT have more than 128 characters");

    // A pattern: 3100 (was 3101).
    auto payer = world::prepare_body(id, "1.50");
    r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/transfers", payer, "dfsp2"));
    CHECK(r.status == 400);
    CHECK(error_description(r.body) ==
          R"(Generic validation error - /requestBody/amount/amount must match pattern "^([0]|([1-9][0-9]{0,17}))([.][0-9]{0,3}[1-9])?$")");

    // A missing member is named at its parent, before any invalid member.
    r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/transfers", R"({"transferId":5})", "dfsp2"));
    CHECK(r.status == 400);
    CHECK(error_description(r.body) == "Missing mandatory element - /requestBody must have required property 'payeeFsp'");

    // A wrong JSON type stays 3101.
    auto typed = world::prepare_body(id, "1");
    auto const payer_at = typed.find(R"("payerFsp":"dfsp1")");
    REQUIRE(payer_at != std::string::npos);
    typed.replace(payer_at, 18, R"("payerFsp":5)");
    r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/transfers", typed, "dfsp2"));
    CHECK(r.status == 400);
    CHECK(r.body == R"({"errorInformation":{"errorCode":"3101","errorDescription":"Malformed syntax - )"
                    R"(/requestBody/payerFsp must be string"}})");

    // A POST without Accept: the OpenAPI's required header (a GET meets the header plugin).
    auto req = w.dfsp1.make(method::post, "/transfers", world::prepare_body(id, "1"), "dfsp2");
    req.fields.erase("Accept");
    r = co_await w.dfsp1.send(w.fspiop(), std::move(req));
    CHECK(r.status == 400);
    CHECK(r.body == R"({"errorInformation":{"errorCode":"3102","errorDescription":"Missing mandatory element - )"
                    R"(/header must have required property 'accept'"}})");
    req = w.dfsp1.make(method::get, "/transfers/" + id, {});
    req.fields.erase("Accept");
    r = co_await w.dfsp1.send(w.fspiop(), std::move(req));
    CHECK(r.status == 400);
    CHECK(error_description(r.body) == "Missing mandatory element - Accept is required");

    // An Accept naming a version the hub does not serve: the header plugin's 406 with 3001
    // ("Unacceptable version requested") and the supported versions in the extensionList.
    req = w.dfsp1.make(method::get, "/transfers/" + id, {});
    req.fields.set("Accept", "application/vnd.interoperability.transfers+json;version=9.0");
    r = co_await w.dfsp1.send(w.fspiop(), std::move(req));
    CHECK(r.status == 406);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3001");
    CHECK(error_description(r.body) ==
          "Unacceptable version requested - The Client requested an unsupported version, see extension list for "
          "supported version(s).");
    CHECK(r.body.find("extensionList") != std::string::npos);
    // An Accept that is not the resource's media type at all: the plugin's 3101.
    req = w.dfsp1.make(method::get, "/transfers/" + id, {});
    req.fields.set("Accept", "application/json");
    r = co_await w.dfsp1.send(w.fspiop(), std::move(req));
    CHECK(r.status == 400);
    CHECK(r.body == R"({"errorInformation":{"errorCode":"3101","errorDescription":"Malformed syntax - Invalid accept header"}})");

    // Nothing of it reached the payee or moved money.
    CHECK(w.dfsp2.unexpected().empty());
    CHECK(w.hub.transfers().size() == 0);
    CHECK(w.hub.position("dfsp1", "USD") == core::decimal{});
}

// The quoting service requires FSPIOP-Destination on POST /quotes.
net::awaitable<void>
quote_without_destination(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    // recorded (quoting-service, POST /quotes without fspiop-destination): 400
    // {"errorInformation":{"errorCode":"3102","errorDescription":"Missing mandatory element -
    //  /header must have required property 'fspiop-destination'"}}
    auto r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/quotes", quote_body(w.new_id())));
    CHECK(r.status == 400);
    CHECK(r.body == R"({"errorInformation":{"errorCode":"3102","errorDescription":"Missing mandatory element - )"
                    R"(/header must have required property 'fspiop-destination'"}})");
    CHECK(w.dfsp2.unexpected().empty());

    // With it, the quote goes on.
    r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/quotes", quote_body(w.new_id()), "dfsp2"));
    CHECK(r.status == 202);
    auto const forwarded = co_await w.dfsp2.expect(method::post, "/quotes");
    CHECK(forwarded);
}

// PUT /transfers/ and PUT /quotes/ name no resource.
net::awaitable<void>
empty_ids(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    for(auto const* path : {"/transfers/", "/quotes/", "/transfers//error", "/quotes//error"})
    {
        INFO(path);
        // (The request is built first: g++ 12 mishandles temporaries in a co_await's arguments.)
        std::string body = "{}";
        if(fspiop::resource_of_path(path) == "transfers")
            body = world::fulfil_body(w.new_id());
        auto req = w.dfsp2.make(method::put, path, std::move(body), "dfsp1");
        auto r = co_await w.dfsp2.send(w.fspiop(), std::move(req));
        CHECK(r.status == 404);
        CHECK(r.body == R"({"errorInformation":{"errorCode":"3002","errorDescription":"Unknown URI"}})");
    }
    // The resource itself still answers its own methods.
    auto r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::put, "/transfers", "{}", "dfsp2"));
    CHECK(r.status == 405);
    CHECK(w.dfsp1.unexpected().empty());
}

// The ALS: a malformed FSPIOP-Source is refused at once; an unknown one gets 202 and fails
// afterwards (the error callback has nowhere to go: it is only counted).
net::awaitable<void>
als_sources(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();

    auto req = w.dfsp1.make(method::get, "/parties/MSISDN/256700000001", {});
    req.fields.set("FSPIOP-Source", std::string(33, 'x'));
    auto r = co_await w.dfsp1.send(w.fspiop(), std::move(req));
    CHECK(r.status == 400);
    CHECK(r.body == R"({"errorInformation":{"errorCode":"3101","errorDescription":"Malformed syntax - Invalid fspiop-source header"}})");

    auto const failed_before = w.hub.callbacks().failed;
    for(auto const* path : {"/parties/MSISDN/256700000001", "/participants/MSISDN/256700000001"})
    {
        INFO(path);
        req = w.dfsp1.make(method::get, path, {});
        req.fields.set("FSPIOP-Source", "nobank");
        r = co_await w.dfsp1.send(w.fspiop(), std::move(req));
        CHECK(r.status == 202);
    }
    req = w.dfsp1.make(method::post, "/participants/MSISDN/256700000001", R"({"fspId":"nobank","currency":"USD"})");
    req.fields.set("FSPIOP-Source", "nobank");
    r = co_await w.dfsp1.send(w.fspiop(), std::move(req));
    CHECK(r.status == 202);
    auto const counted = co_await eventually([&] {
        auto const& by = w.hub.callbacks().failed_by_fsp;
        auto const it = by.find("nobank");
        return it != by.end() && it->second == 3;
    });
    CHECK(counted);
    CHECK(w.hub.callbacks().failed == failed_before + 3);
    // Nothing was looked up, registered or sent on.
    CHECK(w.hub.oracle().size() == 0);
    CHECK(w.dfsp1.unexpected().empty());
    CHECK(w.dfsp2.unexpected().empty());

    // An inactive FSP is told so by callback.
    auto const off = co_await w.admin(method::put, "/participants/dfsp1", R"({"isActive":false})");
    REQUIRE(off.status == 200);
    r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/participants/MSISDN/256700000001", {}));
    CHECK(r.status == 202);
    auto const told = co_await w.dfsp1.expect(method::put, "/participants/MSISDN/256700000001/error");
    REQUIRE(told);
    CHECK(error_code_in(*told) == "3200");

    // Transfers keep the synchronous refusal.
    req = w.dfsp2.make(method::post, "/transfers", world::prepare_body(w.new_id(), "1"), "dfsp2");
    req.fields.set("FSPIOP-Source", "nobank");
    r = co_await w.dfsp2.send(w.fspiop(), std::move(req));
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3200");
}

// The Admin API: settlement window states, oracles and funds transfer ids.
net::awaitable<void>
admin_refusals(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();

    // central-settlement's query schema: the states in upper case (Joi any.only -> 3101).
    auto r = co_await w.admin(method::get, "/settlementWindows?state=open");
    CHECK(r.status == 400);
    CHECK(r.body == R"({"errorInformation":{"errorCode":"3101","errorDescription":"Malformed syntax - )"
                    R"(\"state\" must be one of [OPEN, CLOSED, PENDING_SETTLEMENT, SETTLED, ABORTED]"}})");
    r = co_await w.admin(method::get, "/settlementWindows?state=OPEN");
    CHECK(r.status == 200);
    CHECK(boost::json::parse(r.body).as_array().size() == 1);

    // A second oracle for a type and currency: the ALS's 500 with 2001; the first stays.
    std::string const oracle = R"({"oracleIdType":"MSISDN","endpoint":{"value":"http://127.0.0.1:9/oracle","endpointType":"URL"},"currency":"USD"})";
    r = co_await w.admin(method::post, "/oracles", oracle);
    CHECK(r.status == 201);
    r = co_await w.admin(method::post, "/oracles", oracle);
    CHECK(r.status == 500);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "2001");
    r = co_await w.admin(method::get, "/oracles");
    CHECK(boost::json::parse(r.body).as_array().size() == 1);

    // Funds in and out with ULID transfer ids, as central-ledger takes them. (Paths and bodies
    // are built before each co_await: g++ 12 mishandles temporaries in its arguments.)
    r = co_await w.admin(method::get, "/participants/dfsp1/accounts");
    std::string settlement_id;
    auto const listed = boost::json::parse(r.body);
    for(auto const& a : listed.as_array())
        if(a.at("ledgerAccountType") == "SETTLEMENT")
            settlement_id = std::to_string(a.at("id").as_int64());
    REQUIRE(!settlement_id.empty());
    std::string const accounts = "/participants/dfsp1/accounts";
    std::string const account = accounts + "/" + settlement_id;
    auto const in = ulid(w);
    std::string body = R"({"transferId":")" + in +
                       R"(","externalReference":"e","action":"recordFundsIn","reason":"r","amount":{"amount":"10","currency":"USD"}})";
    r = co_await w.admin(method::post, account, body);
    CHECK(r.status == 202);
    auto const out = ulid(w);
    body = R"({"transferId":")" + out +
           R"(","externalReference":"e","action":"recordFundsOutPrepareReserve","reason":"r","amount":{"amount":"4","currency":"USD"}})";
    r = co_await w.admin(method::post, account, body);
    CHECK(r.status == 202);
    std::string const commit_path = account + "/transfers/" + out;
    r = co_await w.admin(method::put, commit_path, R"({"action":"recordFundsOutCommit","reason":"r"})");
    CHECK(r.status == 202);
    r = co_await w.admin(method::get, accounts);
    CHECK(r.body.find(R"("value":-5006)") != std::string::npos);

    // GET /transfers/{ID} of a funds transfer, as central-ledger's getTransfer answers it: its
    // state to the FSP whose account it moved (no fulfilment), 3000 to any other FSP.
    std::string const in_path = "/transfers/" + in;
    r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, in_path, {}));
    CHECK(r.status == 202);
    auto state = co_await w.dfsp1.expect(method::put, in_path);
    REQUIRE(state);
    CHECK(json_text(state->body, {"transferState"}) == "COMMITTED");
    CHECK(!json_text(state->body, {"completedTimestamp"}).empty());
    CHECK(state->body.find("fulfilment") == std::string::npos);
    std::string const out_path = "/transfers/" + out;
    r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, out_path, {}));
    CHECK(r.status == 202);
    state = co_await w.dfsp1.expect(method::put, out_path);
    REQUIRE(state);
    CHECK(json_text(state->body, {"transferState"}) == "COMMITTED");
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::get, in_path, {}));
    CHECK(r.status == 202);
    std::string const in_error = in_path + "/error";
    auto const refused = co_await w.dfsp2.expect(method::put, in_error);
    REQUIRE(refused);
    CHECK(error_code_in(*refused) == "3000");
    // A lowercase ULID is no id.
    body = R"({"transferId":"01arz3ndektsv4rrffq69g5fav","externalReference":"e","action":"recordFundsIn","reason":"r","amount":{"amount":"10","currency":"USD"}})";
    r = co_await w.admin(method::post, account, body);
    CHECK(r.status == 400);
}

} // namespace

TEST_CASE("validation: a ULID is a CorrelationId under 1.0, 1.1 and 2.0", "[switch][validation]")
{
    run_async(ulid_under_every_version);
}

TEST_CASE("validation: strict_spec reads CorrelationIds per API version", "[switch][validation]")
{
    run_async(ulid_strict);
}

TEST_CASE("validation: body and header violations get the hub validator's code and words", "[switch][validation]")
{
    run_async(validator_words);
}

TEST_CASE("validation: POST /quotes without FSPIOP-Destination is 3102 naming it", "[switch][validation]")
{
    run_async(quote_without_destination);
}

TEST_CASE("validation: PUT /transfers/ and /quotes/ with an empty id are 404 3002", "[switch][validation]")
{
    run_async(empty_ids);
}

TEST_CASE("validation: the ALS takes an unknown source with 202 and fails it afterwards", "[switch][validation]")
{
    run_async(als_sources);
}

TEST_CASE("validation: Admin API refuses lower-case window states and a second oracle, takes ULID funds ids", "[switch][validation]")
{
    run_async(admin_refusals);
}

} // namespace mojasim::test
