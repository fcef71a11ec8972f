// serve's lines: one per payment outcome, one per FSPIOP message; pure functions of an event.
#include "tools/report/serve_log.hpp"

#include <catch2/catch.hpp>

using namespace mojasim;

namespace {

net::trace_event answer_to_hub(unsigned status, std::string_view body)
{
    net::trace_event e;
    e.actor = "hub";
    e.dir = net::trace_event::direction::received;
    e.type = net::trace_event::kind::response;
    e.method = net::method::post;
    e.target = "/transfers";
    e.status = status;
    e.body = body;
    return e;
}

} // namespace

TEST_CASE("serve log: the connector's answer to the hub is the payment's outcome")
{
    auto const paid = answer_to_hub(200, R"({"transferId":"tr-1","to":{"idType":"MSISDN","idValue":"0495"},"amount":"50","currency":"USD","currentState":"COMPLETED"})");
    CHECK(report::payment_outcome_line(paid) == "payment to MSISDN 0495 50.00 USD: paid (transfer tr-1)");
    auto const failed = answer_to_hub(500, R"({"statusCode":"5104","message":"Got an error response preparing transfer","transferState":{"to":{"idType":"MSISDN","idValue":"0455"},"amount":"20","currency":"USD","lastError":{"mojaloopError":{"errorInformation":{"errorCode":"5104","errorDescription":"Payee rejected transaction"}}}}})");
    CHECK(report::payment_outcome_line(failed) == "payment to MSISDN 0455 20.00 USD: failed 5104 Payee rejected transaction");
    CHECK(report::payment_outcome_line(answer_to_hub(502, "oops")) ==
          "payment: the connector answered 502 with a body that is not JSON");
    // Not the hub's answer, or not to POST /transfers: nothing.
    auto other = paid;
    other.actor = "dfsp1";
    CHECK(report::payment_outcome_line(other).empty());
    other = paid;
    other.type = net::trace_event::kind::request;
    CHECK(report::payment_outcome_line(other).empty());
}

TEST_CASE("serve log: an FSPIOP request received is one line, other messages none")
{
    net::headers h;
    h.set("FSPIOP-Source", "dfsp1");
    h.set("FSPIOP-Destination", "dfsp2");
    net::trace_event e;
    e.actor = "switch";
    e.dir = net::trace_event::direction::received;
    e.method = net::method::post;
    e.target = "/quotes?x=1";
    e.fields = &h;
    CHECK(report::fspiop_message_line(e) == "switch <- dfsp1 POST /quotes (for dfsp2)");
    e.actor = "dfsp2";
    CHECK(report::fspiop_message_line(e) == "dfsp2 <- dfsp1 POST /quotes");
    e.dir = net::trace_event::direction::sent; // the sender's copy: told once, by the receiver
    CHECK(report::fspiop_message_line(e).empty());
    net::headers plain;
    e.dir = net::trace_event::direction::received;
    e.fields = &plain; // an upload or an Admin API call: not FSPIOP
    CHECK(report::fspiop_message_line(e).empty());
}
