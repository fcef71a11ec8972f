#include "tools/openg2p/openg2p_client.hpp"

#include <catch2/catch.hpp>

using namespace mojasim;

namespace {

openg2p::payment make(std::string name, std::string msisdn, std::string amount)
{
    openg2p::payment p;
    p.name = std::move(name);
    p.payee_id_type = "PHONE";
    p.payee_identifier = std::move(msisdn);
    p.amount = *core::decimal::parse(amount);
    return p;
}

} // namespace

TEST_CASE("amounts are written as Python floats")
{
    CHECK(openg2p::python_float(*core::decimal::parse("50")) == "50.0");
    CHECK(openg2p::python_float(*core::decimal::parse("12.5")) == "12.5");
    CHECK(openg2p::python_float(*core::decimal::parse("0.25")) == "0.25");
}

TEST_CASE("the CSV is OpenG2P's: header, 0-based ids, CRLF, minimal quoting")
{
    openg2p::options o;
    o.note = "Program: Food, Shelter. Cycle ID - Cycle \"1\"";
    std::vector<openg2p::payment> ps{make("9a2e6c1e-5f0b-4d8e-8f7a-1c2b3d4e5f60", "0495822412", "50"),
                                     make("0c7d9e3f-2a1b-4c5d-9e8f-7a6b5c4d3e21", "0424942603", "12.5")};
    std::vector<openg2p::payment const*> const rows{&ps[0], &ps[1]};
    auto const csv = openg2p::build_csv(o, rows);
    CHECK(csv ==
          "id,request_id,payment_mode,payer_identifier_type,payer_identifier,payee_identifier_type,payee_identifier,"
          "amount,currency,note\r\n"
          "0,9a2e6c1e-5f0b-4d8e-8f7a-1c2b3d4e5f60,MOJALOOP,msisdn,0413356886,PHONE,0495822412,50.0,USD,"
          "\"Program: Food, Shelter. Cycle ID - Cycle \"\"1\"\"\"\r\n"
          "1,0c7d9e3f-2a1b-4c5d-9e8f-7a6b5c4d3e21,MOJALOOP,msisdn,0413356886,PHONE,0424942603,12.5,USD,"
          "\"Program: Food, Shelter. Cycle ID - Cycle \"\"1\"\"\"\r\n");
}

TEST_CASE("the upload is one multipart part named data without a part Content-Type")
{
    auto const body = openg2p::build_multipart("abc123", "ph_ee_x.csv", "id\r\n");
    CHECK(body == "--abc123\r\nContent-Disposition: form-data; name=\"data\"; filename=\"ph_ee_x.csv\"\r\n\r\n"
                  "id\r\n\r\n--abc123--\r\n");
}

TEST_CASE("G2P Connect: an on-disburse callback is read into per-payment outcomes")
{
    // The hub's body (docs/payment-hub.md, "POST /disburse"): header, then
    // message.disbursements_status with succ, rjct + reason, and pdng entries.
    std::string const body = R"({"signature":"dummy","header":{"version":"1.0.0","message_id":"m-1",
      "message_ts":"2024-05-01T10:00:00.123Z","action":"on-disburse","status":"succ","status_reason_code":null,
      "status_reason_message":null,"total_count":3,"completed_count":2,"sender_id":"payment-hub",
      "receiver_id":"payments.openg2p.org","is_msg_encrypted":false},"message":{"transaction_id":"B-1",
      "correlation_id":"c-1","disbursements_status":[
      {"reference_id":"P-1","timestamp":"2024-05-01T10:00:00.100Z","status":"succ","status_reason_code":null,
       "status_reason_message":null,"amount":"30.0","payer_fa":"","payee_fa":"phone:0495000001","currency_code":"USD"},
      {"reference_id":"P-2","status":"rjct","status_reason_code":"rjct.payment.failed",
       "status_reason_message":"3204 Party not found"},
      {"reference_id":"P-3","status":"pdng"}]}})";
    std::string error;
    auto const cb = openg2p::read_g2p_callback(body, error);
    REQUIRE(cb);
    CHECK(error.empty());
    CHECK(cb->action == "on-disburse");
    CHECK(cb->status == "succ");
    CHECK(cb->transaction_id == "B-1");
    REQUIRE(cb->entries.size() == 3);
    CHECK(cb->entries[0].reference_id == "P-1");
    CHECK(cb->entries[0].status == "succ");
    CHECK(cb->entries[0].reason_code.empty());
    CHECK(cb->entries[1].status == "rjct");
    CHECK(cb->entries[1].reason_code == "rjct.payment.failed");
    CHECK(cb->entries[1].reason_message == "3204 Party not found");
    CHECK(cb->entries[2].status == "pdng");
}

TEST_CASE("G2P Connect: an on-status callback is read in the list and the object form")
{
    std::string error;
    // OpenG2P 15.0's list form, null for an id the hub does not know.
    auto const list = openg2p::read_g2p_callback(
        R"({"header":{"action":"on-status","status":"succ"},"message":{"transaction_id":"B-1",
          "txnstatus_response":{"txn_type":"disburse","txn_status":[null,{"reference_id":"P-1","status":"succ"}]}}})",
        error);
    REQUIRE(list);
    CHECK(list->action == "on-status");
    REQUIRE(list->entries.size() == 1);
    CHECK(list->entries[0].reference_id == "P-1");
    // The spec's DisburseResponse object.
    auto const object = openg2p::read_g2p_callback(
        R"({"header":{"action":"on-status"},"message":{"txnstatus_response":{"txn_status":
          {"transaction_id":"B-1","disbursements_status":[{"reference_id":"P-2","status":"rjct",
           "status_reason_code":"rjct.payee_fa.invalid","status_reason_message":"unknown"}]}}}})",
        error);
    REQUIRE(object);
    REQUIRE(object->entries.size() == 1);
    CHECK(object->entries[0].reason_code == "rjct.payee_fa.invalid");
    // An unknown transaction: txn_status null, no entries.
    auto const none = openg2p::read_g2p_callback(R"({"header":{},"message":{"txnstatus_response":{"txn_status":null}}})", error);
    REQUIRE(none);
    CHECK(none->entries.empty());
}

TEST_CASE("G2P Connect: a callback that is no envelope is refused with the reason")
{
    std::string error;
    CHECK_FALSE(openg2p::read_g2p_callback("not json", error));
    CHECK(error == "the body is not a JSON object");
    CHECK_FALSE(openg2p::read_g2p_callback(R"({"message":{"disbursements_status":[]}})", error));
    CHECK(error == "header or message is missing or not an object");
    CHECK_FALSE(openg2p::read_g2p_callback(R"({"header":{},"message":{}})", error));
    CHECK(error.find("neither") == 0);
    CHECK_FALSE(openg2p::read_g2p_callback(R"({"header":{},"message":{"disbursements_status":{}}})", error));
    CHECK(error == "message.disbursements_status is not a list");
    CHECK_FALSE(openg2p::read_g2p_callback(R"({"header":{},"message":{"disbursements_status":[7]}})", error));
    CHECK(error == "an entry is not an object");
    CHECK_FALSE(openg2p::read_g2p_callback(R"({"header":{},"message":{"disbursements_status":[{"status":"succ"}]}})", error));
    CHECK(error == "an entry has no reference_id");
    CHECK_FALSE(openg2p::read_g2p_callback(R"({"header":{},"message":{"txnstatus_response":{"txn_status":"x"}}})", error));
    CHECK(error.find("txn_status is neither") == 0);
}

TEST_CASE("G2P Connect: outcomes reconcile payments as OpenG2P does")
{
    auto p = make("P-1", "0495000001", "30");
    p.st = openg2p::payment::state::sent;
    // Not final: only the status is noted.
    CHECK_FALSE(openg2p::apply_g2p_outcome(p, {"P-1", "pdng", "", ""}));
    CHECK(p.detail_status == "pdng");
    CHECK(p.st == openg2p::payment::state::sent);
    // rjct: failed, with the hub's reason code and the FSPIOP code of its message.
    CHECK(openg2p::apply_g2p_outcome(p, {"P-1", "rjct", "rjct.payment.failed", "3204 Party not found"}));
    CHECK(p.st == openg2p::payment::state::reconciled);
    CHECK(p.result == openg2p::payment::status::failed);
    CHECK(p.reason_code == "rjct.payment.failed");
    CHECK(p.error_code == "3204");
    CHECK(p.error == "rjct.payment.failed 3204 Party not found");
    // Final stays final: a later callback changes nothing.
    CHECK_FALSE(openg2p::apply_g2p_outcome(p, {"P-1", "succ", "", ""}));
    CHECK(p.result == openg2p::payment::status::failed);

    auto q = make("P-2", "0495000002", "40.5");
    q.st = openg2p::payment::state::sent;
    CHECK(openg2p::apply_g2p_outcome(q, {"P-2", "succ", "", ""}));
    CHECK(q.result == openg2p::payment::status::paid);
    CHECK(q.detail_status == "succ");
    CHECK(q.reason_code.empty());

    CHECK(openg2p::leading_error_code("5104 Payee rejected transaction") == "5104");
    CHECK(openg2p::leading_error_code("2004") == "2004");
    CHECK(openg2p::leading_error_code("the account mapper knows no financial address").empty());
    CHECK(openg2p::leading_error_code("12ab").empty());
    CHECK(openg2p::leading_error_code("").empty());
}
