// The connector outbound API codec: wire names and order, strict request validation that
// names the wrong field, lenient response decoding.
#include "simulator/connector/codec.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace mojasim;
using namespace mojasim::connector;

namespace {

core::decimal dec(std::string_view s) { return *core::decimal::parse(s); }

transfer_request sample_request()
{
    transfer_request r;
    r.home_transaction_id = "9a2e6c1e-5f0b-4d8e-8f7a-1c2b3d4e5f60";
    r.from.id_type = party_id_type::msisdn;
    r.from.id_value = "0413356886";
    r.from.fsp_id = "dfsp1";
    r.to.id_type = party_id_type::msisdn;
    r.to.id_value = "0495822412";
    r.amount_type = amount_type::receive;
    r.currency = "USD";
    r.amount = dec("50.0");
    r.note = "Program: Demo Program. Cycle ID - Demo Program Cycle 1";
    return r;
}

std::string const request_wire =
    R"({"homeTransactionId":"9a2e6c1e-5f0b-4d8e-8f7a-1c2b3d4e5f60",)"
    R"("from":{"idType":"MSISDN","idValue":"0413356886","fspId":"dfsp1"},)"
    R"("to":{"idType":"MSISDN","idValue":"0495822412"},)"
    R"("amountType":"RECEIVE","currency":"USD","amount":"50","transactionType":"TRANSFER",)"
    R"("note":"Program: Demo Program. Cycle ID - Demo Program Cycle 1"})";

// A COMPLETED answer shaped like the SDK's (headers trimmed).
std::string const completed_wire = R"({
  "transferId": "b51ec534-ee48-4575-b6a9-ead2955b8069",
  "homeTransactionId": "9a2e6c1e-5f0b-4d8e-8f7a-1c2b3d4e5f60",
  "from": {"idType": "MSISDN", "idValue": "0413356886", "fspId": "dfsp1"},
  "to": {"idType": "MSISDN", "idValue": "0495822412", "fspId": "dfsp2", "firstName": "Ana", "lastName": "Silva"},
  "amountType": "RECEIVE", "currency": "USD", "amount": "50", "transactionType": "TRANSFER",
  "currentState": "COMPLETED",
  "quoteId": "7c23e80c-d078-4077-8263-2c047876fcf6",
  "getPartiesResponse": {
    "body": {"party": {"partyIdInfo": {"partyIdType": "MSISDN", "partyIdentifier": "0495822412", "fspId": "dfsp2"},
                       "name": "Ana Silva",
                       "personalInfo": {"complexName": {"firstName": "Ana", "lastName": "Silva"}, "dateOfBirth": "1980-01-01"}}},
    "headers": {"fspiop-source": "dfsp2", "content-length": 120}
  },
  "quoteResponse": {
    "body": {"transferAmount": {"currency": "USD", "amount": "50"},
             "payeeReceiveAmount": {"currency": "USD", "amount": "50"},
             "payeeFspFee": {"currency": "USD", "amount": "0"},
             "expiration": "2024-05-01T10:01:00.000Z",
             "ilpPacket": "AYIBgQAAAAAAAASwNGxldmVsb25lLmRmc3AxLm1lci45T2RTOF81MDdqUUZERmZlakgyOVc4bXFmNEpLMHlGTFGCAUBQU0svMS4wCk5vbmNlOiB1SXlweUYzY3pYSXBFdzVVc05TYWh3CkVuY3J5cHRpb246IG5vbmUKUGF5bWVudC1JZDogMTMyMzZhM2ItOGZhOC00MTYzLTg0NDctNGMzZWQzZGE5OGE3",
             "condition": "HOr22-H3AfTDHrSkPjJtVPRdKouuMkDXTR4ejlQa8Ks"},
    "headers": {}
  },
  "quoteResponseSource": "dfsp2",
  "fulfil": {
    "body": {"completedTimestamp": "2024-05-01T10:00:01.123Z", "transferState": "COMMITTED",
             "fulfilment": "WLctttbu2HvTsa1XWvUoGRcQozHsqeu9Ahl2JW9Bsu8"},
    "headers": {}
  },
  "someFieldOfANewerSdk": true
})";

std::string const rejected_wire = R"({
  "statusCode": "5101",
  "message": "Payee rejected",
  "transferState": {
    "transferId": "0f2b5d9c-6a3e-4d1b-9c8e-7a6b5c4d3e21",
    "homeTransactionId": "0c7d9e3f-2a1b-4c5d-9e8f-7a6b5c4d3e21",
    "from": {"idType": "MSISDN", "idValue": "0413356886"},
    "to": {"idType": "MSISDN", "idValue": "0424942603"},
    "amountType": "RECEIVE", "currency": "USD", "amount": "50", "transactionType": "TRANSFER",
    "currentState": "ERROR_OCCURRED",
    "lastError": {"httpStatusCode": 500,
                  "mojaloopError": {"errorInformation": {"errorCode": "5101", "errorDescription": "Payee transaction limit reached"}}}
  }
})";

} // namespace

TEST_CASE("connector enums use the exact wire spellings", "[connector]")
{
    CHECK(to_string(party_id_type::account_id) == "ACCOUNT_ID");
    CHECK(to_string(transfer_status::waiting_for_quote_acceptance) == "WAITING_FOR_QUOTE_ACCEPTANCE");
    CHECK(to_string(transfer_state::committed) == "COMMITTED");
    CHECK(party_id_type_from_string("IBAN") == party_id_type::iban);
    CHECK_FALSE(party_id_type_from_string("msisdn").has_value());
    CHECK(transfer_status_from_string("ERROR_OCCURRED") == transfer_status::error_occurred);
    CHECK_FALSE(amount_type_from_string("Send").has_value());
}

TEST_CASE("a transfer request encodes with the spec's names, order and canonical amount", "[connector]")
{
    CHECK(encode(sample_request()) == request_wire);
}

TEST_CASE("a transfer request round-trips through the strict decoder", "[connector]")
{
    auto r = decode_transfer_request(request_wire);
    REQUIRE(r);
    CHECK(*r == sample_request());

    auto full = sample_request();
    full.from.type = initiator_type::consumer;
    full.to.display_name = "Ana Silva";
    full.to.supported_currencies = std::vector<std::string>{"USD", "EUR"};
    full.sub_scenario = "LOCALLY_DEFINED";
    full.quote_request_extensions = extension_list{{"k", "v"}};
    full.transfer_request_extensions = extension_list{};
    full.skip_party_lookup = false;
    full.prepare_expiry_seconds = 60;
    full.quote_expiry_seconds = 30;
    auto again = decode_transfer_request(encode(full));
    REQUIRE(again);
    CHECK(*again == full);
}

TEST_CASE("the strict decoder names the wrong field of a transfer request", "[connector]")
{
    auto const base = boost::json::parse(request_wire).as_object();
    auto reject = [&](auto edit) {
        auto o = base;
        edit(o);
        auto r = decode_transfer_request(boost::json::value(o));
        REQUIRE_FALSE(r);
        return r.error();
    };

    auto e = reject([](boost::json::object& o) { o["from"].as_object().erase("idType"); });
    CHECK(e.field == "from.idType");
    CHECK(e.message == "is required");

    e = reject([](boost::json::object& o) { o["to"].as_object()["idType"] = "PHONE"; });
    CHECK(e.field == "to.idType");
    CHECK(e.message == "must be one of MSISDN, EMAIL, PERSONAL_ID, BUSINESS, DEVICE, ACCOUNT_ID, IBAN, ALIAS");

    // The Amount pattern allows no trailing zeros: "50.0" is what a careless client sends.
    e = reject([](boost::json::object& o) { o["amount"] = "50.0"; });
    CHECK(e.field == "amount");

    e = reject([](boost::json::object& o) { o["amount"] = 50; });
    CHECK(e.field == "amount");
    CHECK(e.message == "must be a string");

    e = reject([](boost::json::object& o) { o["currency"] = "XYZ"; });
    CHECK(e.field == "currency");

    e = reject([](boost::json::object& o) { o["transactionType"] = "PAYMENT"; });
    CHECK(e.field == "transactionType");

    e = reject([](boost::json::object& o) { o["note"] = std::string(129, 'n'); });
    CHECK(e.field == "note");

    e = reject([](boost::json::object& o) { o["payee"] = "x"; });
    CHECK(e.field == "payee");
    CHECK(e.message == "is not an allowed property");

    e = reject([](boost::json::object& o) { o["from"].as_object()["nickname"] = "x"; });
    CHECK(e.field == "from.nickname");

    e = reject([](boost::json::object& o) { o["to"].as_object()["fspId"] = std::string(33, 'f'); });
    CHECK(e.field == "to.fspId");

    e = reject([](boost::json::object& o) { o["quoteRequestExtensions"] = boost::json::array{boost::json::object{{"key", "k"}}}; });
    CHECK(e.field == "quoteRequestExtensions[0].value");

    e = reject([](boost::json::object& o) { o["prepareExpirySeconds"] = 0; });
    CHECK(e.field == "prepareExpirySeconds");

    for(char const* sub : {"", "lower", "A-B", "ABCDEFGHIJKLMNOPQRSTUVWXYZ_ABCDEFG"})
    {
        e = reject([&](boost::json::object& o) { o["subScenario"] = sub; });
        CHECK(e.field == "subScenario");
        CHECK(e.message == "must match ^[A-Z_]{1,32}$");
    }

    for(char const* mcc : {"", "12345", "12a"})
    {
        e = reject([&](boost::json::object& o) { o["to"].as_object()["merchantClassificationCode"] = mcc; });
        CHECK(e.field == "to.merchantClassificationCode");
        CHECK(e.message == "must be 1 to 4 digits");
    }

    auto bad = decode_transfer_request(std::string_view("{\"homeTransactionId\":"));
    REQUIRE_FALSE(bad);
    CHECK(bad.error().field.empty());

    auto not_object = decode_transfer_request(std::string_view("[]"));
    REQUIRE_FALSE(not_object);
    CHECK(not_object.error().message == "must be an object");
}

TEST_CASE("the strict decoder accepts the edges of the sub-scenario and merchant code rules", "[connector]")
{
    auto o = boost::json::parse(request_wire).as_object();
    o["subScenario"] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ_ABCDE"; // 32 characters
    o["to"].as_object()["merchantClassificationCode"] = "0123";
    auto r = decode_transfer_request(boost::json::value(o));
    REQUIRE(r);
    CHECK(r->sub_scenario == "ABCDEFGHIJKLMNOPQRSTUVWXYZ_ABCDE");
    CHECK(r->to.merchant_classification_code == "0123");
}

TEST_CASE("the validation error body is the SDK's errorResponse", "[connector]")
{
    CHECK(validation_error_body({"from.idType", "is required"})
          == R"({"statusCode":"400","message":"from.idType is required"})");
}

TEST_CASE("PUT /transfers/{id} bodies accept the party or the quote", "[connector]")
{
    CHECK(encode(transfer_continuation{transfer_continuation::kind::accept_party, true}) == R"({"acceptParty":true})");
    CHECK(encode(transfer_continuation{transfer_continuation::kind::accept_quote, false}) == R"({"acceptQuote":false})");

    auto q = decode_transfer_continuation(std::string_view(R"({"acceptQuote":true})"));
    REQUIRE(q);
    CHECK(q->what == transfer_continuation::kind::accept_quote);
    CHECK(q->accepted);

    auto two = decode_transfer_continuation(std::string_view(R"({"acceptQuote":true,"acceptParty":true})"));
    REQUIRE_FALSE(two);
    CHECK(two.error().field.empty());

    auto none = decode_transfer_continuation(std::string_view("{}"));
    CHECK_FALSE(none);

    auto wrong = decode_transfer_continuation(std::string_view(R"({"acceptQuote":"yes"})"));
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().field == "acceptQuote");
    CHECK(wrong.error().message == "must be a boolean");

    auto unknown = decode_transfer_continuation(std::string_view(R"({"acceptEverything":true})"));
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().field == "acceptEverything");
}

TEST_CASE("a COMPLETED transfer response decodes with every stage and ignores new fields", "[connector]")
{
    auto r = decode_transfer_response(completed_wire);
    REQUIRE(r);
    CHECK(r->transfer_id == "b51ec534-ee48-4575-b6a9-ead2955b8069");
    CHECK(r->current_state == transfer_status::completed);
    CHECK(r->amount == dec("50"));
    CHECK(r->to.fsp_id == "dfsp2");
    REQUIRE(r->get_parties_response);
    REQUIRE(r->get_parties_response->party);
    CHECK(r->get_parties_response->party->party_id_info.fsp_id == "dfsp2");
    CHECK(r->get_parties_response->party->personal_info->complex_name->first_name == "Ana");
    // Non-string header values keep their JSON text.
    CHECK(r->get_parties_response->headers
          == header_list{{"fspiop-source", "dfsp2"}, {"content-length", "120"}});
    REQUIRE(r->quote_response);
    CHECK(r->quote_response->body.payee_fsp_fee->amount.is_zero());
    CHECK(r->quote_response->body.condition == "HOr22-H3AfTDHrSkPjJtVPRdKouuMkDXTR4ejlQa8Ks");
    CHECK(r->quote_response_source == "dfsp2");
    REQUIRE(r->fulfil);
    CHECK(r->fulfil->body.transfer_state == transfer_state::committed);
    CHECK(r->mojaloop_error_information() == nullptr);

    // What we encode decodes to the same value.
    auto again = decode_transfer_response(encode(*r));
    REQUIRE(again);
    CHECK(*again == *r);
}

TEST_CASE("a response decoder still rejects known fields of the wrong type, naming them", "[connector]")
{
    auto o = boost::json::parse(completed_wire).as_object();
    o["quoteResponse"].as_object()["body"].as_object()["ilpPacket"] = 5;
    auto r = decode_transfer_response(boost::json::value(o));
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "quoteResponse.body.ilpPacket");
    CHECK(r.error().message == "must be a string");

    auto o2 = boost::json::parse(completed_wire).as_object();
    o2["currentState"] = "DONE";
    auto r2 = decode_transfer_response(boost::json::value(o2));
    REQUIRE_FALSE(r2);
    CHECK(r2.error().field == "currentState");

    auto o3 = boost::json::parse(completed_wire).as_object();
    o3["fulfil"].as_object()["body"].as_object().erase("transferState");
    auto r3 = decode_transfer_response(boost::json::value(o3));
    REQUIRE_FALSE(r3);
    CHECK(r3.error().field == "fulfil.body.transferState");
    CHECK(r3.error().message == "is required");
}

TEST_CASE("an error transfer response carries the Mojaloop error of lastError", "[connector]")
{
    auto r = decode_transfer_error_response(rejected_wire);
    REQUIRE(r);
    CHECK(r->status_code == "5101");
    REQUIRE(r->transfer_state);
    CHECK(r->transfer_state->current_state == transfer_status::error_occurred);
    auto const* e = r->transfer_state->mojaloop_error_information();
    REQUIRE(e != nullptr);
    CHECK(e->error_code == "5101");
    CHECK(e->error_description == "Payee transaction limit reached");
    CHECK(r->transfer_state->last_error->http_status_code == 500);

    auto again = decode_transfer_error_response(encode(*r));
    REQUIRE(again);
    CHECK(*again == *r);
}

TEST_CASE("an error answer for a transfer the connector does not hold carries a partial state", "[connector]")
{
    // What the SDK answers to GET /transfers/{id} when the switch reports an error.
    auto const wire = std::string_view(
        R"({"statusCode":"3208","message":"transfer not found","transferState":{"transferId":"01J0000000000000000000000A",)"
        R"("currentState":"ERROR_OCCURRED","lastError":{"httpStatusCode":500,"mojaloopError":{"errorInformation":)"
        R"({"errorCode":"3208","errorDescription":"Transfer ID not found"}}}}})");
    auto r = decode_transfer_error_response(wire);
    REQUIRE(r);
    CHECK_FALSE(r->transfer_state);
    REQUIRE(r->partial_state);
    CHECK(r->partial_state->transfer_id == "01J0000000000000000000000A");
    CHECK(r->partial_state->current_state == transfer_status::error_occurred);
    auto const* e = r->mojaloop_error_information();
    REQUIRE(e != nullptr);
    CHECK(e->error_code == "3208");
    CHECK(encode(*r) == wire);

    // A partial state still needs its transferId and a known currentState.
    auto bad = decode_transfer_error_response(std::string_view(R"({"transferState":{"currentState":"NOPE"}})"));
    REQUIRE_FALSE(bad);
}

TEST_CASE("an error response without a transfer state, or with a numeric status code, decodes", "[connector]")
{
    auto r = decode_transfer_error_response(std::string_view(R"({"message":"Timeout","statusCode":504,"transferState":{}})"));
    REQUIRE(r);
    CHECK(r->status_code == "504");
    CHECK(r->message == "Timeout");
    CHECK_FALSE(r->transfer_state.has_value());

    auto plain = decode_error_response(std::string_view(R"({"statusCode":"400","message":".from.idType is required"})"));
    REQUIRE(plain);
    CHECK(plain->status_code == "400");

    auto bad = decode_error_response(std::string_view(R"({"statusCode":[1]})"));
    REQUIRE_FALSE(bad);
    CHECK(bad.error().field == "statusCode");
}

TEST_CASE("the GET /transfers/{id} status response round-trips", "[connector]")
{
    transfer_status_response s;
    s.transfer_id = "b51ec534-ee48-4575-b6a9-ead2955b8069";
    s.current_state = transfer_status::completed;
    s.fulfil.body.transfer_state = transfer_state::committed;
    s.fulfil.body.completed_timestamp = "2024-05-01T10:00:01.123Z";
    auto const wire = encode(s);
    CHECK(wire == R"({"transferId":"b51ec534-ee48-4575-b6a9-ead2955b8069","currentState":"COMPLETED",)"
                  R"("fulfil":{"body":{"completedTimestamp":"2024-05-01T10:00:01.123Z","transferState":"COMMITTED"},"headers":{}}})");
    auto r = decode_transfer_status_response(wire);
    REQUIRE(r);
    CHECK(*r == s);
}
