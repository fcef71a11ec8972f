// interpret_transfer_answer reads only the members that decide a payment's outcome; it must
// agree with interpret_transfer_answer_reference (the connector's full decoder) on valid
// answers, error answers, malformed JSON, and wrong, null or missing values of every member
// it reads or requires.
#include "payment-hub/payment_outcome.hpp"
#include "simulator/connector/codec.hpp"
#include "tests/unit/hub/connector_states.hpp"

#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

using namespace mojasim;
using namespace mojasim::hub;
using kind = payment_outcome::kind;
namespace json = boost::json;
using test::a_quote;
using test::base_state;
using test::error_body;

namespace {

connector::parties_response a_lookup(std::optional<std::string> fsp_id)
{
    connector::parties_response p;
    p.party.emplace();
    p.party->party_id_info.party_id_type = connector::party_id_type::msisdn;
    p.party->party_id_info.party_identifier = "0495822412";
    p.party->party_id_info.fsp_id = std::move(fsp_id);
    return p;
}

connector::transfer_error an_error(std::string code, std::string description)
{
    return connector::transfer_error{500, connector::mojaloop_error{connector::error_information{std::move(code), std::move(description), {}}}};
}

/// A state with every member the hub reads.
connector::transfer_response full_state()
{
    auto t = base_state();
    t.current_state = connector::transfer_status::error_occurred;
    t.get_parties_response = a_lookup("dfsp3");
    t.to.fsp_id = "dfsp4";
    t.quote_response = a_quote();
    t.quote_response_source = "dfsp2";
    connector::fulfil_response f;
    f.body.transfer_state = connector::transfer_state::aborted;
    t.fulfil = f;
    t.last_error = an_error("5101", "Payee transaction limit reached");
    return t;
}

/// Valid states covering every branch of the outcome rule.
std::vector<connector::transfer_response> states()
{
    std::vector<connector::transfer_response> out;
    out.push_back(base_state());
    for(auto s : {connector::transfer_status::completed, connector::transfer_status::waiting_for_party_acceptance,
                  connector::transfer_status::waiting_for_quote_acceptance,
                  connector::transfer_status::waiting_for_conversion_acceptance,
                  connector::transfer_status::error_occurred})
    {
        auto t = base_state();
        t.current_state = s;
        out.push_back(t);
        t.quote_response = a_quote();
        out.push_back(t);
        t.transfer_id.reset();
        out.push_back(t);
    }
    for(auto s : {connector::transfer_state::received, connector::transfer_state::reserved,
                  connector::transfer_state::committed, connector::transfer_state::aborted})
    {
        auto t = full_state();
        t.fulfil->body.transfer_state = s;
        out.push_back(t);
        t.last_error.reset();
        out.push_back(t);
    }
    // Where the payee's DFSP comes from.
    auto t = full_state();
    t.fulfil.reset();
    t.last_error.reset();
    out.push_back(t);
    t.quote_response_source = "";
    out.push_back(t);
    t.quote_response_source.reset();
    out.push_back(t);
    t.get_parties_response = a_lookup(std::nullopt);
    out.push_back(t);
    t.get_parties_response->party.reset();
    t.get_parties_response->error_information = connector::error_information{"3204", "Party not found", {}};
    out.push_back(t);
    t.get_parties_response.reset();
    out.push_back(t);
    t.to.fsp_id.reset();
    out.push_back(t);
    // Errors without a Mojaloop error information.
    t = full_state();
    t.fulfil.reset();
    t.last_error->mojaloop_error->error_information.reset();
    out.push_back(t);
    t.last_error->mojaloop_error.reset();
    out.push_back(t);
    return out;
}

/// `body` with the member at `path` set to `v` (or removed when `v` is absent).
std::string edit(std::string_view body, std::vector<std::string_view> const& path, std::optional<json::value> v)
{
    auto doc = json::parse(json::string_view(body.data(), body.size()));
    json::value* at = &doc;
    for(std::size_t i = 0; i + 1 < path.size(); ++i)
    {
        auto* next = at->as_object().if_contains(path[i]);
        REQUIRE(next);
        at = next;
    }
    if(v)
        at->as_object()[path.back()] = std::move(*v);
    else
        at->as_object().erase(path.back());
    return json::serialize(doc);
}

std::size_t compared = 0;

void check_agree(unsigned status, std::string const& body)
{
    INFO("HTTP " << status << " " << body);
    auto const lean = interpret_transfer_answer(status, body);
    auto const full = interpret_transfer_answer_reference(status, body);
    CHECK(lean.what == full.what);
    CHECK(lean.transfer_id == full.transfer_id);
    CHECK(lean.payee_fsp == full.payee_fsp);
    CHECK(lean.error_code == full.error_code);
    CHECK(lean.error_description == full.error_description);
    ++compared;
}

constexpr unsigned statuses[] = {200, 201, 400, 404, 500, 503, 504};

} // namespace

TEST_CASE("lean outcome: valid answers and error answers agree with the full decoder", "[hub][outcome]")
{
    auto const all = states();
    REQUIRE(all.size() > 30);
    for(auto const& t : all)
    {
        auto const ok = connector::encode(t);
        for(unsigned status : statuses)
        {
            check_agree(status, ok);
            check_agree(status, error_body(t, std::to_string(status)));
        }
    }
    // Error bodies without a state, with an empty or null state, without a message, with a
    // numeric or bad statusCode, or not a transferResponse at all.
    for(std::string_view body :
        {R"({"message":"boom","transferState":{}})", R"({"statusCode":"500","transferState":null})",
         R"({"statusCode":500,"message":"boom"})", R"({"statusCode":"400","message":"from.idType is required"})",
         R"({"statusCode":4.5,"message":"boom"})", R"({"statusCode":true})", R"({"message":5})",
         R"({"message":null})", R"({})", R"({"transferState":"x"})", R"({"transferState":[]})",
         R"({"transferState":{"currentState":"COMPLETED"}})", "", "<html>", "[]", "null", "\"text\"", "{",
         R"({"currentState":"COMPLETED"})"})
    {
        for(unsigned status : statuses)
            check_agree(status, std::string(body));
    }
}

TEST_CASE("lean outcome: bad, null or missing members it reads agree with the full decoder", "[hub][outcome]")
{
    using path = std::vector<std::string_view>;
    // Members the hub reads, and the objects on the way to them.
    std::vector<path> const read = {
        {"transferId"},
        {"currentState"},
        {"quoteResponse"},
        {"quoteResponse", "body"},
        {"quoteResponseSource"},
        {"getPartiesResponse"},
        {"getPartiesResponse", "body"},
        {"getPartiesResponse", "body", "party"},
        {"getPartiesResponse", "body", "party", "partyIdInfo"},
        {"getPartiesResponse", "body", "party", "partyIdInfo", "fspId"},
        {"to"},
        {"to", "fspId"},
        {"fulfil"},
        {"fulfil", "body"},
        {"fulfil", "body", "transferState"},
        {"lastError"},
        {"lastError", "httpStatusCode"},
        {"lastError", "mojaloopError"},
        {"lastError", "mojaloopError", "errorInformation"},
        {"lastError", "mojaloopError", "errorInformation", "errorCode"},
        {"lastError", "mojaloopError", "errorInformation", "errorDescription"},
    };
    std::vector<json::value> const bad = {json::value(5),        json::value("NOPE"), json::value(nullptr),
                                          json::value(json::object{}), json::value(json::array{}), json::value(true),
                                          json::value(""),       json::value(std::string(33, 'd')),
                                          json::value("0123"),   json::value("51011"), json::value("COMMITTED"),
                                          json::value("COMPLETED"), json::value(-1),
                                          json::value(std::int64_t{1} << 40), json::value(std::uint64_t{1} << 63),
                                          json::value(500.0)};
    // Required members the hub does not read: missing or null.
    std::vector<path> const required = {
        {"homeTransactionId"},
        {"from"},
        {"amountType"},
        {"currency"},
        {"amount"},
        {"transactionType"},
        {"to", "idType"},
        {"to", "idValue"},
        {"quoteResponse", "body", "transferAmount"},
        {"quoteResponse", "body", "expiration"},
        {"quoteResponse", "body", "ilpPacket"},
        {"quoteResponse", "body", "condition"},
        {"getPartiesResponse", "body", "party", "partyIdInfo", "partyIdType"},
        {"getPartiesResponse", "body", "party", "partyIdInfo", "partyIdentifier"},
    };

    auto const t = full_state();
    auto const ok = connector::encode(t);
    auto const err = error_body(t);
    auto const with_prefix = [](path p) {
        p.insert(p.begin(), "transferState");
        return p;
    };
    for(auto const& p : read)
    {
        for(auto const& v : bad)
        {
            check_agree(200, edit(ok, p, v));
            check_agree(500, edit(err, with_prefix(p), v));
        }
        check_agree(200, edit(ok, p, std::nullopt));
        check_agree(500, edit(err, with_prefix(p), std::nullopt));
    }
    for(auto const& p : required)
    {
        check_agree(200, edit(ok, p, std::nullopt));
        check_agree(200, edit(ok, p, json::value(nullptr)));
        check_agree(504, edit(err, with_prefix(p), std::nullopt));
    }
    CHECK(compared > 600);
}

TEST_CASE("lean outcome: values of members the hub does not read are not checked", "[hub][outcome]")
{
    // The one place the two readings part: the full decoder rejects a bad amount, the lean
    // one never looks at it. (This also shows the lean reading is the one in use.)
    auto t = base_state();
    t.current_state = connector::transfer_status::completed;
    auto const body = edit(connector::encode(t), {"amount"}, json::value("fifty"));
    auto const full = interpret_transfer_answer_reference(200, body);
    CHECK(full.what == kind::failed);
    CHECK(full.error_description.find("amount") != std::string::npos);
    auto const lean = interpret_transfer_answer(200, body);
    CHECK(lean.what == kind::completed);
    CHECK(lean.transfer_id == "b51ec534-ee48-4575-b6a9-ead2955b8069");
}
