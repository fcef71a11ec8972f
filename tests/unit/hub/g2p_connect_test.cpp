// G2P Connect's disburse envelope and OpenG2P's interop layer bodies, without sockets: what
// the specification sends, what OpenG2P 15.0 sends, and the refusals.
#include "payment-hub/g2p_connect.hpp"
#include "payment-hub/interop.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <catch2/catch.hpp>

using namespace mojasim;
using namespace mojasim::hub;
namespace json = boost::json;

namespace {

// OpenG2P 15.0's g2p_payment_g2p_connect (payment-hub.md §3.2): no sender_uri, Python
// timestamps, payer_fa "", amount a string.
std::string const openg2p_disburse = R"({"signature":"dummy","header":{"message_id":"123",
 "message_ts":"2024-05-01 10:00:00.123456","action":"disburse","sender_id":"payments.openg2p.org",
 "receiver_id":"pymts.example.org","total_count":2},"message":{"transaction_id":"BATCH/2024/0001",
 "disbursements":[{"reference_id":"PAY/0001","payer_fa":"","payee_fa":"token:4711@nationalId","amount":"50.0",
 "payee_name":"Jane","note":"Cycle 1","scheduled_timestamp":"2024-05-01 10:00:00.123456","purpose":"Demo",
 "currency_code":"USD","locale":"eng"},{"reference_id":"PAY/0002","payer_fa":"","payee_fa":"phone:0495822412",
 "amount":"12.5","payee_name":"John","note":"Cycle 1","scheduled_timestamp":"2024-05-01 10:00:00.123456",
 "purpose":"Demo","currency_code":"USD","locale":"eng"}]}})";

// The specification's shape: RFC 3339, sender_uri, a real FA, total_count as a number.
std::string const spec_disburse = R"({"signature":"Signature: namespace=\"g2p\", kidId=\"k\"","header":{
 "version":"1.0.0","message_id":"m-1","message_ts":"2024-05-01T10:00:00.000Z","action":"disburse",
 "sender_id":"spp.example.org","sender_uri":"http://127.0.0.1:9/g2p/","receiver_id":"pymts.example.org",
 "total_count":1,"is_msg_encrypted":false},"message":{"transaction_id":"t-1","disbursements":[
 {"reference_id":"r-1","payer_fa":"mobile:0413356886@dfsp1","payee_fa":"mobile:0495822412@dfsp2","amount":"50.00",
 "scheduled_timestamp":"2024-05-01T10:00:00Z","payer_name":"Treasury","payee_name":"Jane","note":"n",
 "purpose":"p","instruction":"i","currency_code":"USD","locale":"eng"}]}})";

} // namespace

TEST_CASE("G2P Connect: OpenG2P 15.0's disburse is read as sent", "[hub][g2p]")
{
    auto r = g2p::decode_disburse(openg2p_disburse);
    REQUIRE(r);
    CHECK(r->signature == "dummy");
    CHECK(r->header.sender_uri.empty());
    CHECK(r->header.total_count == 2);
    CHECK(r->transaction_id == "BATCH/2024/0001");
    REQUIRE(r->disbursements.size() == 2);
    CHECK(r->disbursements[0].payer_fa.empty());
    CHECK(r->disbursements[0].amount == "50.0");
    CHECK(r->disbursements[1].payee_fa == "phone:0495822412");
    CHECK_FALSE(g2p::disbursement_reason(r->disbursements[0]));
    CHECK_FALSE(g2p::disbursement_reason(r->disbursements[1]));
}

TEST_CASE("G2P Connect: the specification's disburse is read as sent", "[hub][g2p]")
{
    auto r = g2p::decode_disburse(spec_disburse);
    REQUIRE(r);
    CHECK(r->header.sender_uri == "http://127.0.0.1:9/g2p/");
    CHECK(r->header.version == "1.0.0");
    REQUIRE(r->disbursements.size() == 1);
    CHECK(r->disbursements[0].instruction == "i");
    CHECK_FALSE(g2p::disbursement_reason(r->disbursements[0]));
}

TEST_CASE("G2P Connect: a JSON number amount keeps its exact text", "[hub][g2p]")
{
    std::string body = spec_disburse;
    auto const at = body.find(R"("amount":"50.00")");
    body.replace(at, 16, R"("amount":50.10)");
    auto r = g2p::decode_disburse(body);
    REQUIRE(r);
    CHECK(r->disbursements[0].amount == "50.10");
}

TEST_CASE("G2P Connect: bad envelopes are refused with the spec's error body", "[hub][g2p]")
{
    struct bad_case
    {
        std::string body;
        std::string message;
    };
    std::vector<bad_case> const cases{
        {"not json", "the body is not JSON"},
        {"[]", "the body must be a JSON object"},
        {R"({"header":{},"message":{}})", "signature is required"},
        {R"({"signature":"s","message":{}})", "header is required"},
        {R"({"signature":"s","header":{}})", "message is required"},
        {R"({"signature":"s","header":[],"message":{}})", "header must be an object"},
        {R"({"signature":"s","header":{"message_ts":"2024-05-01T10:00:00Z","action":"disburse"},"message":{}})",
         "header.message_id is required"},
        {R"({"signature":"s","header":{"message_id":"m","message_ts":"yesterday","action":"disburse"},"message":{}})",
         "header.message_ts is not a date-time: yesterday"},
        {R"({"signature":"s","header":{"message_id":"m","message_ts":"2024-05-01T10:00:00Z","action":"disburse",
           "total_count":-1},"message":{"transaction_id":"t","disbursements":[]}})",
         "header.total_count must be a non-negative integer"},
        {R"({"signature":"s","header":{"message_id":"m","message_ts":"2024-05-01T10:00:00Z","action":"disburse"},
           "message":{"disbursements":[]}})",
         "message.transaction_id is required"},
        {R"({"signature":"s","header":{"message_id":"m","message_ts":"2024-05-01T10:00:00Z","action":"disburse"},
           "message":{"transaction_id":"t"}})",
         "message.disbursements is required"},
        {R"({"signature":"s","header":{"message_id":"m","message_ts":"2024-05-01T10:00:00Z","action":"disburse"},
           "message":{"transaction_id":"t","disbursements":[1]}})",
         "message.disbursements[0] must be an object"},
        {R"({"signature":"s","header":{"message_id":"m","message_ts":"2024-05-01T10:00:00Z","action":"disburse"},
           "message":{"transaction_id":"t","disbursements":[{"payee_fa":{"x":1}}]}})",
         "message.disbursements[0].payee_fa must be a string"},
    };
    for(auto const& c : cases)
    {
        INFO(c.body);
        auto r = g2p::decode_disburse(c.body);
        REQUIRE_FALSE(r);
        CHECK(r.error().status == 400);
        CHECK(r.error().code == "err.request.bad");
        CHECK(r.error().message == c.message);
        CHECK(g2p::errors_body(r.error()) ==
              R"({"errors":[{"code":"err.request.bad","message":")" + json::serialize(json::string(c.message)).substr(1) + "}]}");
    }
}

TEST_CASE("G2P Connect: per-entry reasons", "[hub][g2p]")
{
    g2p::disbursement good;
    good.reference_id = "r";
    good.payee_fa = "mobile:0495822412@dfsp2";
    good.amount = "50.0";
    good.currency_code = "USD";
    REQUIRE_FALSE(g2p::disbursement_reason(good));

    auto reason_of = [&](auto change) {
        auto d = good;
        change(d);
        auto r = g2p::disbursement_reason(d);
        return r ? std::string(r->code) : std::string("none");
    };
    CHECK(reason_of([](auto& d) { d.reference_id.clear(); }) == "rjct.reference_id.invalid");
    CHECK(reason_of([](auto& d) { d.amount = "fifty"; }) == "rjct.amount.invalid");
    CHECK(reason_of([](auto& d) { d.amount = "50.001"; }) == "rjct.amount.invalid");
    CHECK(reason_of([](auto& d) { d.amount = "-5.0"; }) == "rjct.amount.invalid");
    CHECK(reason_of([](auto& d) { d.amount = "0.00"; }) == "rjct.amount.invalid");
    CHECK(reason_of([](auto& d) { d.amount = "50"; }) == "none");
    CHECK(reason_of([](auto& d) { d.currency_code = "usd"; }) == "rjct.currency_code.invalid");
    CHECK(reason_of([](auto& d) { d.scheduled_timestamp = "soon"; }) == "rjct.schedule_ts.invalid");
    CHECK(reason_of([](auto& d) { d.payer_fa = "nonsense"; }) == "rjct.payer_fa.invalid");
    CHECK(reason_of([](auto& d) { d.payer_fa = ""; }) == "none");
    CHECK(reason_of([](auto& d) { d.payee_fa = ""; }) == "rjct.payee_fa.invalid");
    CHECK(reason_of([](auto& d) { d.payee_fa = "mobile:@dfsp2"; }) == "rjct.payee_fa.invalid");
    CHECK(reason_of([](auto& d) { d.payee_fa = "token:4711@nationalId"; }) == "none");
}

TEST_CASE("G2P Connect: payee_fa is an address or an id", "[hub][g2p]")
{
    auto addr = [](std::string_view fa) { return std::get<g2p::address>(g2p::read_fa(fa)); };
    CHECK(addr("mobile:0495822412@dfsp2").type == connector::party_id_type::msisdn);
    CHECK(addr("mobile:0495822412@dfsp2").value == "0495822412");
    CHECK(addr("mobile:0495822412@dfsp2").provider == "dfsp2");
    CHECK(addr("phone:0495822412").provider.empty());
    CHECK(addr("account:5494373447@indigo.dfsp2.bank_acc").type == connector::party_id_type::account_id);
    CHECK(addr("account:5494373447@indigo.dfsp2.bank_acc").provider == "indigo.dfsp2.bank_acc");
    CHECK(addr("ACCOUNT_NO:12@X").type == connector::party_id_type::account_id);
    CHECK(addr("iban:DE89370400440532013000").type == connector::party_id_type::iban);
    CHECK(addr("email:a.b@x.org").value == "a.b");
    CHECK(std::get<g2p::id_to_resolve>(g2p::read_fa("token:4711@nationalId")).id == "token:4711@nationalId");
    CHECK(std::holds_alternative<g2p::id_to_resolve>(g2p::read_fa("vid:54321@nid")));
    CHECK(std::holds_alternative<g2p::invalid_fa>(g2p::read_fa("token:4711")));
    CHECK(std::holds_alternative<g2p::invalid_fa>(g2p::read_fa("0495822412")));
    CHECK(std::holds_alternative<g2p::invalid_fa>(g2p::read_fa(":x@y")));
}

TEST_CASE("G2P Connect: timestamps, RFC 3339 and Python's", "[hub][g2p]")
{
    auto const t = g2p::parse_timestamp("2024-05-01T10:00:00.123Z");
    REQUIRE(t);
    CHECK(g2p::parse_timestamp("2024-05-01 10:00:00.123456") == t);
    CHECK(g2p::parse_timestamp("2024-05-01T12:00:00.123+02:00") == t);
    CHECK(g2p::parse_timestamp("2024-05-01T10:00:00.1239") == t);
    CHECK(g2p::parse_timestamp("2024-05-01T10:00:00") == *t - 123);
    CHECK(g2p::format_timestamp(*t) == "2024-05-01T10:00:00.123Z");
    CHECK_FALSE(g2p::parse_timestamp("2024-05-01"));
    CHECK_FALSE(g2p::parse_timestamp("2024-02-30T10:00:00Z"));
    CHECK_FALSE(g2p::parse_timestamp("2024-05-01T10:00:00."));
    CHECK_FALSE(g2p::parse_timestamp("2024-05-01T10:00:00+0200"));
}

TEST_CASE("G2P Connect: txn status requests, list and transaction forms", "[hub][g2p]")
{
    // OpenG2P 15.0's status call (payment-hub.md §3.2).
    auto list = g2p::decode_txn_status(R"({"signature":"dummy","header":{"message_id":"9","message_ts":
      "2024-05-01 10:05:00.000001","action":"disburse","sender_id":"payments.openg2p.org","total_count":2},
      "message":{"transaction_id":"BATCH/2024/0001","txnstatus_request":{"reference_id":"0b6f","txn_type":"disburse",
      "attribute_type":"reference_id_list","attribute_value":["PAY/0001","PAY/0002"],"locale":"eng"}}})");
    REQUIRE(list);
    CHECK(std::get<std::vector<std::string>>(list->attribute_value) == std::vector<std::string>{"PAY/0001", "PAY/0002"});

    auto by_txn = g2p::decode_txn_status(R"({"signature":"s","header":{"message_id":"9","message_ts":
      "2024-05-01T10:05:00Z","action":"txn-status"},"message":{"transaction_id":"q","txnstatus_request":{
      "reference_id":"x","txn_type":"disburse","attribute_type":"transaction_id","attribute_value":"t-1"}}})");
    REQUIRE(by_txn);
    CHECK(std::get<std::string>(by_txn->attribute_value) == "t-1");

    auto wrong = g2p::decode_txn_status(R"({"signature":"s","header":{"message_id":"9","message_ts":
      "2024-05-01T10:05:00Z","action":"status"},"message":{"transaction_id":"q","txnstatus_request":{
      "txn_type":"disburse","attribute_type":"reference_id_list","attribute_value":"PAY/0001"}}})");
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == "GCTB-PMS-350");

    auto search = g2p::decode_txn_status(R"({"signature":"s","header":{"message_id":"9","message_ts":
      "2024-05-01T10:05:00Z","action":"status"},"message":{"transaction_id":"q","txnstatus_request":{
      "txn_type":"search","attribute_type":"transaction_id","attribute_value":"t"}}})");
    REQUIRE_FALSE(search);
    CHECK(search.error().message == "message.txnstatus_request.txn_type must be disburse");
}

TEST_CASE("G2P Connect: the answers' exact bytes", "[hub][g2p]")
{
    CHECK(g2p::ack_body(true, "2024-05-01T10:00:00.000Z", "c-1") ==
          R"({"message":{"ack_status":"ACK","timestamp":"2024-05-01T10:00:00.000Z","error":null,"correlation_id":"c-1"}})");
    CHECK(g2p::ack_body(false, "t", "c") ==
          R"({"message":{"ack_status":"NACK","timestamp":"t","error":null,"correlation_id":"c"}})");

    g2p::callback_header h;
    h.message_id = "m-1";
    h.message_ts = "2024-05-01T10:00:01.000Z";
    h.action = "on-disburse";
    h.total_count = 2;
    h.completed_count = 2;
    h.sender_id = "payment-hub";
    h.receiver_id = "spp.example.org";
    std::vector<g2p::entry_status> entries(2);
    entries[0] = {"r-1", "2024-05-01T10:00:01.000Z", g2p::status::succ, {}, {}, "50.0", "", "mobile:1@dfsp2", "USD"};
    entries[1] = {"r-2", "2024-05-01T10:00:01.000Z", g2p::status::rjct, g2p::reason::payment_failed,
                  "5101 Payee rejected", "12.5", "", "mobile:2@dfsp2", "USD"};
    CHECK(g2p::disburse_response_body("sig", h, "t-1", "c-1", entries) ==
          R"({"signature":"sig","header":{"version":"1.0.0","message_id":"m-1","message_ts":"2024-05-01T10:00:01.000Z",)"
          R"("action":"on-disburse","status":"succ","status_reason_code":null,"status_reason_message":null,)"
          R"("total_count":2,"completed_count":2,"sender_id":"payment-hub","receiver_id":"spp.example.org",)"
          R"("is_msg_encrypted":false},"message":{"transaction_id":"t-1","correlation_id":"c-1","disbursements_status":[)"
          R"({"reference_id":"r-1","timestamp":"2024-05-01T10:00:01.000Z","status":"succ","status_reason_code":null,)"
          R"("status_reason_message":null,"amount":"50.0","payer_fa":"","payee_fa":"mobile:1@dfsp2","currency_code":"USD"},)"
          R"({"reference_id":"r-2","timestamp":"2024-05-01T10:00:01.000Z","status":"rjct",)"
          R"("status_reason_code":"rjct.payment.failed","status_reason_message":"5101 Payee rejected","amount":"12.5",)"
          R"("payer_fa":"","payee_fa":"mobile:2@dfsp2","currency_code":"USD"}]}})");

    // OpenG2P reads txn_status as a list with nulls; the spec nests a DisburseResponse.
    h.action = "status";
    std::vector<std::optional<g2p::entry_status>> list{entries[0], std::nullopt};
    auto const as_list = json::parse(g2p::txn_status_body("s", h, "q", "c", list));
    auto const& st = as_list.at("message").at("txnstatus_response");
    CHECK(st.at("txn_type") == "disburse");
    CHECK(st.at("txn_status").as_array().size() == 2);
    CHECK(st.at("txn_status").as_array()[0].at("status") == "succ");
    CHECK(st.at("txn_status").as_array()[1].is_null());
    auto const as_object =
        json::parse(g2p::txn_status_body("s", h, "q", "c", g2p::disburse_status_object{"t-1", entries}));
    CHECK(as_object.at("message").at("txnstatus_response").at("txn_status").at("transaction_id") == "t-1");
    auto const unknown = json::parse(g2p::txn_status_body("s", h, "q", "c", g2p::txn_status{}));
    CHECK(unknown.at("message").at("txnstatus_response").at("txn_status").is_null());
}

TEST_CASE("interop layer: OpenG2P's POST is read and its answer written as parsed", "[hub][interop]")
{
    auto r = interop::decode(R"({"note":"Program: Demo Program. Cycle ID - Cycle 1","disbursementId":"d-1",
      "payeeList":[{"payeeIdType":"PHONE","payeeIdValue":"0495822412","amount":50.0,"currency":"USD"},
                   {"payeeIdType":"ACCOUNT","payeeIdValue":"12","amount":"12.5","currency":"USD"}]})");
    REQUIRE(r);
    CHECK(r->disbursement_id == "d-1");
    REQUIRE(r->payees.size() == 2);
    CHECK(r->payees[0].amount == "50.0");
    CHECK(interop::payee_type(r->payees[0].id_type) == connector::party_id_type::msisdn);
    CHECK(interop::payee_type(r->payees[1].id_type) == connector::party_id_type::account_id);
    CHECK(interop::payee_type("email") == connector::party_id_type::email);
    CHECK_FALSE(interop::payee_type("NATIONAL_ID"));

    CHECK_FALSE(interop::decode(R"({"payeeList":[]})"));
    CHECK_FALSE(interop::decode(R"({"disbursementId":"d","payeeList":{}})"));
    CHECK(interop::decode(R"({"disbursementId":"d","payeeList":[{"amount":[1]}]})").error().message ==
          "payeeList[0].amount must be a number");

    // The fraction is what OpenG2P's %Y-%m-%dT%H:%M:%S.%fZ needs.
    std::vector<interop::result> results{{"COMPLETED", core::decimal::parse("50"), 1714557600123},
                                         {"REJECTED", std::nullopt, 1714557600000}};
    CHECK(interop::response_body("d-1", results) ==
          R"({"disbursementId":"d-1","payeeResults":[{"status":"COMPLETED","amountCredited":50,)"
          R"("timestamp":"2024-05-01T10:00:00.123Z"},{"status":"REJECTED","amountCredited":null,)"
          R"("timestamp":"2024-05-01T10:00:00.000Z"}]})");
}
