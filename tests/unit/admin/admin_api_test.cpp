// The Admin API's request bodies: every body decodes what it encodes, the clients' bodies keep
// their bytes, and every refusal carries the switch's FSPIOP code and detail, in the order the
// switch checks. No sockets: the switch's own answers are tested in tests/integration.
#include "simulator/admin/admin_api.hpp"
#include "simulator/admin/json_io.hpp"
#include "simulator/core/json_writer.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

namespace mojasim::admin_api {

namespace {

core::decimal dec(std::string_view s) { return *core::decimal::parse(s); }

// "ok", or the refusal as "<code> <detail>": one string Catch can print and compare.
template <class T>
std::string why(decoded<T> const& d)
{
    if(d)
        return "ok";
    return std::to_string(static_cast<int>(d.error().code)) + " " + d.error().detail;
}

template <class T>
T value_of(decoded<T> const& d)
{
    REQUIRE(why(d) == "ok");
    return *d;
}

std::string const guid = "8b4ac6a6-3f7e-4c2d-9f9f-0d3a1c2b5e71";

} // namespace

TEST_CASE("admin: JSON keeps numbers exact", "[admin]")
{
    auto v = parse_exact(R"({"value":1000.1234,"big":123456789012.5,"s":"7.5","on":true,"one":1,"neg":-3,"e":1e3})");
    REQUIRE(v);
    CHECK(decimal_of(*v, "value") == core::decimal::parse("1000.1234"));
    CHECK(decimal_of(*v, "big") == core::decimal::parse("123456789012.5"));
    CHECK(decimal_of(*v, "s") == core::decimal::parse("7.5"));
    CHECK(decimal_of(*v, "neg") == core::decimal::parse("-3"));
    CHECK_FALSE(decimal_of(*v, "e")); // exponents are refused rather than rounded
    CHECK(bool_of(*v, "on") == true);
    CHECK(bool_of(*v, "one") == true);
    CHECK(uint_of(*v, "one") == 1u);
    CHECK_FALSE(uint_of(*v, "neg"));
    CHECK_FALSE(text_of(*v, "missing"));
    CHECK_FALSE(parse_exact("{\"a\":"));
    CHECK_FALSE(parse_exact("{} trailing"));

    // The Admin API writes with the one JSON writer: decimals as exact numbers, strings escaped
    // as every other body is (named escapes for \n and \t, \u00xx for other controls).
    core::json_writer o(0);
    o.begin_object().field("name", "a\"b\n\x01").field("n", core::decimal::parse("-0.5").value()).key("list").begin_array();
    o.integer(1).boolean(false).null().end_array().field("big", core::decimal::parse("12345678901234.5678").value());
    o.end_object();
    CHECK(std::move(o).finish() == R"({"name":"a\"b\n\u0001","n":-0.5,"list":[1,false,null],"big":12345678901234.5678})");
}

TEST_CASE("admin: a body must be a JSON object", "[admin]")
{
    for(std::string_view body : {"", "[]", "[{}]", "\"x\"", "1", "null", "{", "{\"a\":1} trailing", "{\"a\":1,}"})
    {
        INFO(body);
        std::string const refused = "3101 the body must be a JSON object";
        CHECK(why(decode_object(body)) == refused);
        CHECK(why(decode_participant(body)) == refused);
        CHECK(why(decode_activation(body)) == refused);
        CHECK(why(decode_hub_account(body)) == refused);
        CHECK(why(decode_endpoint_registration(body)) == refused);
        CHECK(why(decode_initial_position_and_limits(body)) == refused);
        CHECK(why(decode_limits_update(body)) == refused);
        CHECK(why(decode_settlement_model(body)) == refused);
        CHECK(why(decode_funds_movement(body)) == refused);
        CHECK(why(decode_funds_movement(body, true, guid)) == refused);
        CHECK(why(decode_oracle_registration(body)) == refused);
        CHECK(why(decode_settlement_window_close(body)) == refused);
        CHECK(why(decode_settlement_create(body)) == refused);
        CHECK(why(decode_settlement_update(body)) == refused);
    }
    // The value overloads check the shape too.
    CHECK(why(decode_funds_movement(boost::json::value(boost::json::array{}))) == "3101 the body must be a JSON object");
    CHECK(why(decode_settlement_update(boost::json::value("x"))) == "3101 the body must be a JSON object");
    CHECK(why(decode_object("{}")) == "ok");
}

TEST_CASE("admin: participants", "[admin]")
{
    // The bytes participant_body("dfsp1", "USD") wrote.
    participant const p{"dfsp1", "USD"};
    CHECK(encode(p) == R"({"name":"dfsp1","currency":"USD"})");
    CHECK(value_of(decode_participant(encode(p))) == p);
    CHECK(value_of(decode_participant(R"({"currency":"EUR","name":"payeefsp","extra":1})")) ==
          participant{"payeefsp", "EUR"});

    CHECK(why(decode_participant("{}")) == "3102 name is required");
    CHECK(why(decode_participant(R"({"name":true,"currency":"USD"})")) == "3102 name is required");
    CHECK(why(decode_participant(R"({"name":"a","currency":"USD"})")) == "3101 name must be 2..30 characters");
    CHECK(why(decode_participant(R"({"name":"a"})")) == "3101 name must be 2..30 characters");
    CHECK(why(decode_participant(R"({"name":")" + std::string(31, 'x') + R"(","currency":"USD"})")) ==
          "3101 name must be 2..30 characters");
    CHECK(why(decode_participant(R"({"name":")" + std::string(30, 'x') + R"(","currency":"USD"})")) == "ok");
    CHECK(why(decode_participant(R"({"name":"dfsp1"})")) == "3102 currency is required");
    CHECK(why(decode_participant(R"({"name":"dfsp1","currency":null})")) == "3102 currency is required");
}

TEST_CASE("admin: isActive", "[admin]")
{
    for(bool active : {true, false})
    {
        activation const a{active};
        CHECK(value_of(decode_activation(encode(a))) == a);
    }
    CHECK(encode(activation{false}) == R"({"isActive":false})");
    // Joi's truthy(1) and falsy(0).
    CHECK(value_of(decode_activation(R"({"isActive":1})")).is_active);
    CHECK_FALSE(value_of(decode_activation(R"({"isActive":0})")).is_active);
    CHECK(why(decode_activation("{}")) == "3102 isActive is required");
    CHECK(why(decode_activation(R"({"isActive":"yes"})")) == "3102 isActive is required");
    CHECK(why(decode_activation(R"({"isActive":2})")) == "3102 isActive is required");
}

TEST_CASE("admin: hub accounts", "[admin]")
{
    // The bytes hub_account_body("HUB_RECONCILIATION", "USD") wrote.
    hub_account const a{"HUB_RECONCILIATION", "USD"};
    CHECK(encode(a) == R"({"type":"HUB_RECONCILIATION","currency":"USD"})");
    CHECK(value_of(decode_hub_account(encode(a))) == a);
    // Whether the ledger knows the type is the switch's question.
    CHECK(value_of(decode_hub_account(R"({"type":"NOPE","currency":"USD"})")).type == "NOPE");
    CHECK(why(decode_hub_account(R"({"currency":"USD"})")) == "3102 type is required");
    CHECK(why(decode_hub_account(R"({"type":"HUB_RECONCILIATION"})")) == "3102 currency is required");
}

TEST_CASE("admin: endpoints", "[admin]")
{
    // The bytes endpoint_body(type, value) wrote.
    endpoint_registration const e{std::string(endpoint::transfer_post), "http://dfsp1:4000/transfers"};
    CHECK(encode(e) == R"({"type":"FSPIOP_CALLBACK_URL_TRANSFER_POST","value":"http://dfsp1:4000/transfers"})");
    CHECK(value_of(decode_endpoint_registration(encode(e))) == e);
    CHECK(why(decode_endpoint_registration(R"({"value":"http://x"})")) == "3102 type is required");
    CHECK(why(decode_endpoint_registration(R"({"type":"FSPIOP_CALLBACK_URL_QUOTES"})")) == "3102 value is required");

    // Every registration of the lists survives the trip, and the callers' bindings still work.
    auto const all = fspiop_endpoints("http://dfsp1:4000");
    CHECK(all.size() == 16);
    CHECK(std::count(all.begin(), all.end(),
                     endpoint_registration{"FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE", "http://dfsp1:4000"}) == 1);
    CHECK(std::count(all.begin(), all.end(),
                     endpoint_registration{"FSPIOP_CALLBACK_URL_AUTHORIZATIONS", "http://dfsp1:4000"}) == 1);
    for(auto const& [type, value] : all)
        CHECK(value_of(decode_endpoint_registration(encode(endpoint_registration{type, value}))) ==
              endpoint_registration{type, value});
    CHECK(all.front() == endpoint_registration{"FSPIOP_CALLBACK_URL_PARTIES_GET",
                                               "http://dfsp1:4000/parties/{{partyIdType}}/{{partyIdentifier}}"});
    auto const transfers = transfer_endpoints("http://b");
    REQUIRE(transfers.size() == 3);
    CHECK(transfers[1] == endpoint_registration{"FSPIOP_CALLBACK_URL_TRANSFER_PUT", "http://b/transfers/{{transferId}}"});
    CHECK(all.back() == transfer_endpoints("http://dfsp1:4000").back());
}

TEST_CASE("admin: initial position and limits", "[admin]")
{
    // The bytes initial_position_and_limits_body("USD", 10000.5, 0) wrote.
    initial_position_and_limits const l{"USD", dec("10000.5"), dec("0")};
    CHECK(encode(l) == R"({"currency":"USD","limit":{"type":"NET_DEBIT_CAP","value":10000.5},"initialPosition":0})");
    CHECK(value_of(decode_initial_position_and_limits(encode(l))) == l);
    initial_position_and_limits const exact{"EUR", dec("922337203685.4775"), dec("-12.0001")};
    CHECK(value_of(decode_initial_position_and_limits(encode(exact))) == exact);

    // Without initialPosition it is 0; numbers may come as strings.
    CHECK(value_of(decode_initial_position_and_limits(
              R"({"currency":"USD","limit":{"type":"NET_DEBIT_CAP","value":"1000.1234"}})")) ==
          initial_position_and_limits{"USD", dec("1000.1234"), {}});

    CHECK(why(decode_initial_position_and_limits(R"({"limit":{}})")) == "3102 currency is required");
    CHECK(why(decode_initial_position_and_limits(R"({"currency":"USD"})")) == "3102 limit is required");
    CHECK(why(decode_initial_position_and_limits(R"({"currency":"USD","limit":5})")) == "3102 limit is required");
    CHECK(why(decode_initial_position_and_limits(R"({"currency":"USD","limit":{"value":5}})")) ==
          "3102 limit.type is required");
    CHECK(why(decode_initial_position_and_limits(R"({"currency":"USD","limit":{"type":"OTHER","value":5}})")) ==
          "3100 limit.type must be NET_DEBIT_CAP");
    for(auto value : {R"()", R"(,"value":"abc")", R"(,"value":1e3)", R"(,"value":1.23456)", R"(,"value":true)"})
        CHECK(why(decode_initial_position_and_limits(std::string(R"({"currency":"USD","limit":{"type":"NET_DEBIT_CAP")") +
                                                     value + "}}")) == "3101 limit.value must be a number");
    CHECK(why(decode_initial_position_and_limits(
              R"({"currency":"USD","limit":{"type":"NET_DEBIT_CAP","value":5},"initialPosition":"x"})")) ==
          "3101 initialPosition must be a number");
    CHECK(why(decode_initial_position_and_limits(
              R"({"currency":"USD","limit":{"type":"NET_DEBIT_CAP","value":5},"initialPosition":null})")) ==
          "3101 initialPosition must be a number");
}

TEST_CASE("admin: limits", "[admin]")
{
    limits_update const l{"USD", dec("5000.25"), 15};
    CHECK(encode(l) == R"({"currency":"USD","limit":{"type":"NET_DEBIT_CAP","value":5000.25,"alarmPercentage":15}})");
    CHECK(value_of(decode_limits_update(encode(l))) == l);
    // As sent: the switch caps it.
    CHECK(value_of(decode_limits_update(
                       R"({"currency":"USD","limit":{"type":"NET_DEBIT_CAP","value":1,"alarmPercentage":5000}})"))
              .alarm_percentage == 5000);

    // The checks POST initialPositionAndLimits makes, then the alarm.
    CHECK(why(decode_limits_update("{}")) == "3102 currency is required");
    CHECK(why(decode_limits_update(R"({"currency":"USD","limit":{"type":"X"}})")) ==
          "3100 limit.type must be NET_DEBIT_CAP");
    CHECK(why(decode_limits_update(R"({"currency":"USD","limit":{"type":"NET_DEBIT_CAP","alarmPercentage":10}})")) ==
          "3101 limit.value must be a number");
    CHECK(why(decode_limits_update(R"({"currency":"USD","limit":{"type":"NET_DEBIT_CAP","value":1}})")) ==
          "3102 limit.alarmPercentage is required");
    CHECK(why(decode_limits_update(
              R"({"currency":"USD","limit":{"type":"NET_DEBIT_CAP","value":1,"alarmPercentage":-1}})")) ==
          "3102 limit.alarmPercentage is required");
}

TEST_CASE("admin: settlement models", "[admin]")
{
    // The bytes encode(settlement_model) wrote before the decoder existed.
    settlement_model const d;
    CHECK(encode(d) == R"({"name":"DEFERREDNET","settlementGranularity":"NET","settlementInterchange":"MULTILATERAL",)"
                       R"("settlementDelay":"DEFERRED","requireLiquidityCheck":true,"ledgerAccountType":"POSITION",)"
                       R"("settlementAccountType":"SETTLEMENT","autoPositionReset":true})");
    CHECK(value_of(decode_settlement_model(encode(d))) == d);
    settlement_model const m{"CGS", "GROSS", "BILATERAL", "IMMEDIATE", "XOF", false, "INTERCHANGE_FEE",
                             "INTERCHANGE_FEE_SETTLEMENT", false};
    CHECK(value_of(decode_settlement_model(encode(m))) == m);

    std::string const base = R"("name":"M","settlementGranularity":"NET","settlementInterchange":"MULTILATERAL",)"
                             R"("settlementDelay":"DEFERRED","requireLiquidityCheck":true,"autoPositionReset":1)";
    // settlementAccountType defaults to SETTLEMENT; account types are the ledger's to know.
    auto const minimal = value_of(decode_settlement_model("{" + base + R"(,"ledgerAccountType":"WHATEVER"})"));
    CHECK(minimal.settlement_account_type == "SETTLEMENT");
    CHECK(minimal.ledger_account_type == "WHATEVER");
    CHECK(minimal.currency.empty());
    CHECK(minimal.auto_position_reset);

    CHECK(why(decode_settlement_model("{}")) == "3102 name is required");
    CHECK(why(decode_settlement_model(R"({"name":"M"})")) == "3102 settlementGranularity is required");
    CHECK(why(decode_settlement_model(R"({"name":"M","settlementGranularity":"NETT"})")) ==
          "3101 settlementGranularity has an unknown value");
    CHECK(why(decode_settlement_model(R"({"name":"M","settlementGranularity":"GROSS"})")) ==
          "3102 settlementInterchange is required");
    CHECK(why(decode_settlement_model(R"({"name":"M","settlementGranularity":"GROSS","settlementInterchange":"X"})")) ==
          "3101 settlementInterchange has an unknown value");
    CHECK(why(decode_settlement_model(
              R"({"name":"M","settlementGranularity":"GROSS","settlementInterchange":"BILATERAL"})")) ==
          "3102 settlementDelay is required");
    CHECK(why(decode_settlement_model(
              R"({"name":"M","settlementGranularity":"GROSS","settlementInterchange":"BILATERAL","settlementDelay":"LATER"})")) ==
          "3101 settlementDelay has an unknown value");
    std::string const choices = R"("name":"M","settlementGranularity":"NET","settlementInterchange":"MULTILATERAL",)"
                                R"("settlementDelay":"DEFERRED")";
    CHECK(why(decode_settlement_model("{" + choices + "}")) == "3102 requireLiquidityCheck is required");
    CHECK(why(decode_settlement_model("{" + choices + R"(,"requireLiquidityCheck":true})")) ==
          "3102 autoPositionReset is required");
    CHECK(why(decode_settlement_model("{" + base + "}")) == "3102 ledgerAccountType is required");
}

TEST_CASE("admin: funds in and out", "[admin]")
{
    // The bytes encode(funds_movement) wrote before the decoder existed.
    funds_movement in{guid, "bench", "recordFundsIn", "initial funds", dec("5000.25"), "USD"};
    CHECK(encode(in) == R"({"transferId":"8b4ac6a6-3f7e-4c2d-9f9f-0d3a1c2b5e71","externalReference":"bench",)"
                        R"("action":"recordFundsIn","reason":"initial funds","amount":{"amount":"5000.25","currency":"USD"}})");
    CHECK(value_of(decode_funds_movement(encode(in))) == in);
    auto out = in;
    out.action = "recordFundsOutPrepareReserve";
    CHECK(value_of(decode_funds_movement(encode(out))) == out);
    // The amount may be a JSON number too.
    CHECK(value_of(decode_funds_movement(
                       R"({"transferId":"8b4ac6a6-3f7e-4c2d-9f9f-0d3a1c2b5e71","externalReference":"e",)"
                       R"("action":"recordFundsIn","reason":"r","amount":{"amount":1000.1234,"currency":"EUR"}})"))
              .amount == dec("1000.1234"));

    // Commit and abort: no externalReference, no amount; PUT takes its transfer id from the path.
    for(char const* action : {"recordFundsOutCommit", "recordFundsOutAbort"})
    {
        funds_movement const last{guid, "", action, "done", {}, ""};
        CHECK(value_of(decode_funds_movement(encode(last))) == last);
        CHECK(value_of(decode_funds_movement(encode(last), true, guid)) == last);
        auto const put = value_of(decode_funds_movement(std::string(R"({"action":")") + action + R"(","reason":"r"})",
                                                        true, guid));
        CHECK(put.transfer_id == guid);
        CHECK(put.external_reference.empty());
        CHECK(put.amount.is_zero());
        CHECK(why(decode_funds_movement(std::string(R"({"action":")") + action + R"(","reason":"r"})", true, "x")) ==
              "3101 transferId must be a valid GUID");
        // The body's transferId is not read on PUT.
        CHECK(why(decode_funds_movement(std::string(R"({"transferId":"x","action":")") + action + R"(","reason":"r"})",
                                        true, guid)) == "ok");
    }

    // The checks in the switch's order.
    std::string const action_refused = "3101 action is missing or not supported";
    CHECK(why(decode_funds_movement("{}")) == action_refused);
    CHECK(why(decode_funds_movement(R"({"action":"recordFundsOut"})")) == action_refused);
    CHECK(why(decode_funds_movement(R"({"action":true,"reason":"r"})")) == action_refused);
    CHECK(why(decode_funds_movement(R"({"action":"recordFundsIn","reason":"r"})", true, guid)) == action_refused);
    CHECK(why(decode_funds_movement(R"({"action":"recordFundsOutPrepareReserve"})", true, guid)) == action_refused);
    CHECK(why(decode_funds_movement(R"({"action":"recordFundsIn"})")) == "3102 reason is required");
    CHECK(why(decode_funds_movement(R"({"action":"recordFundsIn","reason":"r"})")) == "3102 transferId is required");
    CHECK(why(decode_funds_movement(R"({"action":"recordFundsIn","reason":"r","transferId":"8b4ac6a6"})")) ==
          "3101 transferId must be a valid GUID");
    CHECK(why(decode_funds_movement(
              R"({"action":"recordFundsIn","reason":"r","transferId":"8B4AC6A6-3F7E-4C2D-9F9F-0D3A1C2B5E7G"})")) ==
          "3101 transferId must be a valid GUID");
    // A ULID is a transferId too (central-ledger takes UUID or ULID); a lowercase one is not.
    std::string const ulid_head = R"({"action":"recordFundsIn","reason":"r","transferId":"01ARZ3NDEKTSV4RRFFQ69G5FAV")";
    CHECK(why(decode_funds_movement(ulid_head + "}")) == "3102 externalReference is required");
    CHECK(why(decode_funds_movement(R"({"action":"recordFundsIn","reason":"r","transferId":"01arz3ndektsv4rrffq69g5fav"})")) ==
          "3101 transferId must be a valid GUID");
    CHECK(why(decode_funds_movement(R"({"action":"recordFundsOutCommit","reason":"r"})", true,
                                    "01ARZ3NDEKTSV4RRFFQ69G5FAV")) == "ok");
    std::string const head = R"({"action":"recordFundsIn","reason":"r","transferId":"8B4AC6A6-3F7E-4C2D-9F9F-0D3A1C2B5E71")";
    CHECK(why(decode_funds_movement(head + "}")) == "3102 externalReference is required");
    CHECK(why(decode_funds_movement(head + R"(,"externalReference":"e"})")) == "3102 No amount provided");
    CHECK(why(decode_funds_movement(head + R"(,"externalReference":"e","amount":"5"})")) == "3102 No amount provided");
    for(auto amount : {R"({"currency":"USD"})", R"({"amount":0,"currency":"USD"})", R"({"amount":"-5","currency":"USD"})",
                       R"({"amount":"1.23456","currency":"USD"})", R"({"amount":"1e2","currency":"USD"})"})
        CHECK(why(decode_funds_movement(head + R"(,"externalReference":"e","amount":)" + amount + "}")) ==
              "3101 amount.amount must be a positive number with at most 4 decimals");
    for(auto amount : {R"({"amount":"5"})", R"({"amount":"5","currency":"usd"})", R"({"amount":"5","currency":"XYZ"})"})
        CHECK(why(decode_funds_movement(head + R"(,"externalReference":"e","amount":)" + amount + "}")) ==
              "3101 amount.currency must be an ISO 4217 code");
    CHECK(why(decode_funds_movement(head + R"(,"externalReference":"e","amount":{"amount":"5","currency":"USD"}})")) ==
          "ok");
}

TEST_CASE("admin: oracles", "[admin]")
{
    oracle_registration const full{"MSISDN", "http://oracle:8444", "USD", true};
    CHECK(encode(full) ==
          R"({"oracleIdType":"MSISDN","endpoint":{"value":"http://oracle:8444","endpointType":"URL"},"currency":"USD","isDefault":true})");
    CHECK(value_of(decode_oracle_registration(encode(full))) == full);
    oracle_registration const bare{"IBAN", "http://o", std::nullopt, std::nullopt};
    CHECK(encode(bare) == R"({"oracleIdType":"IBAN","endpoint":{"value":"http://o","endpointType":"URL"}})");
    CHECK(value_of(decode_oracle_registration(encode(bare))) == bare);
    CHECK(value_of(decode_oracle_registration(R"({"oracleIdType":"IBAN","endpoint":{"value":"http://o"}})")) == bare);
    // A isDefault of another type is no default.
    CHECK_FALSE(value_of(decode_oracle_registration(
                             R"({"oracleIdType":"IBAN","endpoint":{"value":"http://o"},"isDefault":"maybe"})"))
                    .is_default);

    CHECK(why(decode_oracle_registration(R"({"endpoint":{"value":"http://o"}})")) == "3102 oracleIdType is required");
    CHECK(why(decode_oracle_registration(R"({"oracleIdType":"IBAN"})")) == "3102 endpoint is required");
    CHECK(why(decode_oracle_registration(R"({"oracleIdType":"IBAN","endpoint":"http://o"})")) ==
          "3102 endpoint is required");
    CHECK(why(decode_oracle_registration(R"({"oracleIdType":"IBAN","endpoint":{"endpointType":"URL"}})")) ==
          "3102 endpoint.value is required");
    CHECK(why(decode_oracle_registration(
              R"({"oracleIdType":"IBAN","endpoint":{"value":"http://o","endpointType":"HTTP"}})")) ==
          "3101 endpoint.endpointType must be URL");
}

TEST_CASE("admin: closing a settlement window", "[admin]")
{
    settlement_window_close const c{"end of day"};
    CHECK(encode(c) == R"({"state":"CLOSED","reason":"end of day"})");
    CHECK(value_of(decode_settlement_window_close(encode(c))) == c);
    CHECK(encode(settlement_window_close{}) == R"({"state":"CLOSED"})");
    CHECK(value_of(decode_settlement_window_close(encode(settlement_window_close{}))) == settlement_window_close{});

    CHECK(why(decode_settlement_window_close(R"({"reason":"r"})")) == "3102 state is required");
    CHECK(why(decode_settlement_window_close(R"({"state":"OPEN"})")) == "3100 state must be CLOSED");
}

TEST_CASE("admin: creating a settlement", "[admin]")
{
    settlement_create const s{"DEFERREDNET", "weekly", {1, 2, 4294967295u}};
    CHECK(encode(s) ==
          R"({"settlementModel":"DEFERREDNET","reason":"weekly","settlementWindows":[{"id":1},{"id":2},{"id":4294967295}]})");
    CHECK(value_of(decode_settlement_create(encode(s))) == s);
    settlement_create const none{"M", "r", {}};
    CHECK(value_of(decode_settlement_create(encode(none))) == none);

    CHECK(why(decode_settlement_create(R"({"reason":"r","settlementWindows":[]})")) ==
          "3102 settlementModel is required");
    CHECK(why(decode_settlement_create(R"({"settlementModel":"M","settlementWindows":[]})")) == "3102 reason is required");
    CHECK(why(decode_settlement_create(R"({"settlementModel":"M","reason":"r"})")) ==
          "3102 settlementWindows is required");
    CHECK(why(decode_settlement_create(R"({"settlementModel":"M","reason":"r","settlementWindows":{"id":1}})")) ==
          "3102 settlementWindows is required");
    for(auto item : {R"({"id":0})", R"({"id":-1})", R"({"id":4294967296})", R"({"id":"x"})", R"({})", R"(1)", R"({"id":1.5})"})
        CHECK(why(decode_settlement_create(std::string(R"({"settlementModel":"M","reason":"r","settlementWindows":[{"id":1},)") +
                                           item + "]}")) == "3101 settlementWindows[].id must be a positive integer");
}

TEST_CASE("admin: updating a settlement", "[admin]")
{
    // The whole settlement.
    settlement_update const all{"ABORTED", "operator says no", {}};
    CHECK(encode(all) == R"({"state":"ABORTED","reason":"operator says no"})");
    CHECK(value_of(decode_settlement_update(encode(all))) == all);
    // Its state is the switch's to know; the participants are not read.
    CHECK(value_of(decode_settlement_update(R"({"state":"SOMEDAY","participants":"junk"})")) ==
          settlement_update{"SOMEDAY", "", {}});

    // Account by account.
    settlement_update const accounts{std::nullopt,
                                     "",
                                     {{3, {{5, "PS_TRANSFERS_RECORDED", "recorded"}, {6, "PS_TRANSFERS_RESERVED", ""}}},
                                      {4, {{7, "SETTLED", "paid"}}}}};
    CHECK(encode(accounts) == R"({"participants":[{"id":3,"accounts":[{"id":5,"state":"PS_TRANSFERS_RECORDED",)"
                              R"("reason":"recorded"},{"id":6,"state":"PS_TRANSFERS_RESERVED","reason":""}]},)"
                              R"({"id":4,"accounts":[{"id":7,"state":"SETTLED","reason":"paid"}]}]})");
    CHECK(value_of(decode_settlement_update(encode(accounts))) == accounts);
    for(auto state : settlement_states)
    {
        settlement_update const one{std::nullopt, "why", {{1, {{2, std::string(state), "r"}}}}};
        CHECK(value_of(decode_settlement_update(encode(one))) == one);
    }

    CHECK(why(decode_settlement_update("{}")) == "3102 participants is required");
    CHECK(why(decode_settlement_update(R"({"reason":"r","participants":{}})")) == "3102 participants is required");
    CHECK(why(decode_settlement_update(R"({"participants":[{"id":1}]})")) == "3101 participants[] needs id and accounts");
    CHECK(why(decode_settlement_update(R"({"participants":[{"accounts":[]}]})")) ==
          "3101 participants[] needs id and accounts");
    CHECK(why(decode_settlement_update(R"({"participants":[{"id":1,"accounts":{}}]})")) ==
          "3101 participants[] needs id and accounts");
    std::string const account_refused = "3101 participants[].accounts[] needs id and a known state";
    CHECK(why(decode_settlement_update(R"({"participants":[{"id":1,"accounts":[{"state":"SETTLED"}]}]})")) ==
          account_refused);
    CHECK(why(decode_settlement_update(R"({"participants":[{"id":1,"accounts":[{"id":2}]}]})")) == account_refused);
    CHECK(why(decode_settlement_update(R"({"participants":[{"id":1,"accounts":[{"id":2,"state":"settled"}]}]})")) ==
          account_refused);
    // The first fault counts: an unknown state before a participant without accounts.
    CHECK(why(decode_settlement_update(
              R"({"participants":[{"id":1,"accounts":[{"id":2,"state":"NOPE"}]},{"id":2}]})")) == account_refused);
    CHECK(why(decode_settlement_update(
              R"({"participants":[{"id":2},{"id":1,"accounts":[{"id":2,"state":"NOPE"}]}]})")) ==
          "3101 participants[] needs id and accounts");
}

TEST_CASE("admin: the settlement account of a participant", "[admin]")
{
    std::string const accounts = R"([{"id":3,"ledgerAccountType":"POSITION","currency":"USD"},)"
                                 R"({"id":4,"ledgerAccountType":"SETTLEMENT","currency":"USD"},)"
                                 R"({"id":6,"ledgerAccountType":"SETTLEMENT","currency":"EUR"}])";
    CHECK(settlement_account_id(accounts, "USD") == 4);
    CHECK(settlement_account_id(accounts, "EUR") == 6);
    CHECK_FALSE(settlement_account_id(accounts, "XOF"));
    CHECK_FALSE(settlement_account_id("{}", "USD"));
}

} // namespace mojasim::admin_api
