// What the switch passes between FSPs without keeping it (issue 14 §4), over real HTTP: the
// ALS's participant callbacks, /transactionRequests and /authorizations; and GET /health on
// both listeners and the INTERCHANGE_FEE settlement model of the Admin API.
#include "switch_harness.hpp"

namespace mojasim::test {

namespace {

using net::method;

std::string
request_to_pay_body(std::string const& id, std::string const& payer_fsp = "dfsp1")
{
    fspiop::post_transaction_requests t;
    t.transaction_request_id = id;
    t.payee.party_id_info.party_identifier = "256700000002";
    t.payee.party_id_info.fsp_id = "dfsp2";
    t.payer.party_identifier = "256700000001";
    t.payer.fsp_id = payer_fsp;
    t.amount = {"USD", "25"};
    t.transaction_type.scenario = fspiop::transaction_scenario::payment;
    t.transaction_type.initiator = fspiop::transaction_initiator::payee;
    t.transaction_type.initiator_type = fspiop::transaction_initiator_type::business;
    t.authentication_type = fspiop::authentication_type::otp;
    return fspiop::encode(t);
}

net::awaitable<void>
health_on_both_listeners(asio::io_context& ioc)
{
    world w(ioc);
    // Named, not a braced list of temporaries, across the co_awaits (g++ 12).
    std::vector<std::string> const listeners{w.fspiop(), w.hub.admin_url()};
    for(auto const& base : listeners)
    {
        INFO(base);
        net::request get;
        get.method = method::get;
        get.target = "/health";
        auto r = co_await w.dfsp1.send(base, std::move(get));
        CHECK(r.status == 200);
        auto const v = boost::json::parse(r.body).as_object();
        CHECK(v.at("status") == "OK");
        CHECK(v.at("uptime").is_number());
        CHECK(v.at("startTime").is_string());
        CHECK(v.at("versionNumber").is_string());
        // The hub's shape: each dependency with its own state.
        auto const& services = v.at("services").as_array();
        REQUIRE(services.size() == 1);
        CHECK(services[0].at("name") == "datastore");
        CHECK(services[0].at("status") == "OK");
    }
}

net::awaitable<void>
interchange_fee_model(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    auto r = co_await w.admin(method::post, "/settlementModels",
                              R"({"name":"INTERCHANGE_FEE","settlementGranularity":"NET",)"
                              R"("settlementInterchange":"MULTILATERAL","settlementDelay":"DEFERRED",)"
                              R"("currency":"USD","requireLiquidityCheck":false,"ledgerAccountType":"INTERCHANGE_FEE",)"
                              R"("settlementAccountType":"INTERCHANGE_FEE_SETTLEMENT","autoPositionReset":false})");
    CHECK(r.status == 201);
    r = co_await w.admin(method::get, "/settlementModels");
    REQUIRE(r.status == 200);
    auto const models = boost::json::parse(r.body).as_array();
    REQUIRE(models.size() == 2);
    CHECK(models[1].at("ledgerAccountType") == "INTERCHANGE_FEE");
    CHECK(models[1].at("settlementAccountType") == "INTERCHANGE_FEE_SETTLEMENT");

    // The FSPs in the currency hold the model's two account types now.
    r = co_await w.admin(method::get, "/participants/dfsp1/accounts");
    REQUIRE(r.status == 200);
    std::vector<std::string> types;
    auto const accounts = boost::json::parse(r.body);
    for(auto const& a : accounts.as_array())
        types.emplace_back(a.at("ledgerAccountType").as_string());
    CHECK(std::count(types.begin(), types.end(), "INTERCHANGE_FEE") == 1);
    CHECK(std::count(types.begin(), types.end(), "INTERCHANGE_FEE_SETTLEMENT") == 1);

    // The pair is the only way to use them; the hub cannot hold them.
    r = co_await w.admin(method::post, "/settlementModels",
                         R"({"name":"MIXED","settlementGranularity":"NET","settlementInterchange":"MULTILATERAL",)"
                         R"("settlementDelay":"DEFERRED","currency":"EUR","requireLiquidityCheck":false,)"
                         R"("ledgerAccountType":"INTERCHANGE_FEE","settlementAccountType":"SETTLEMENT",)"
                         R"("autoPositionReset":false})");
    CHECK(r.status == 400);
    r = co_await w.admin(method::post, "/participants/Hub/accounts", R"({"type":"INTERCHANGE_FEE","currency":"USD"})");
    CHECK(r.status == 400);

    // Payments still settle under the position model.
    auto const id = w.new_id();
    auto const got = co_await w.prepare(id, "10");
    REQUIRE(got);
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/transfers/" + id, world::fulfil_body(id), "dfsp1"));
    auto const done = co_await w.dfsp1.expect(method::put, "/transfers/" + id);
    REQUIRE(done);
    CHECK(json_text(done->body, {"transferState"}) == "COMMITTED");
}

net::awaitable<void>
participant_callbacks(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();

    // PUT /participants/{Type}/{ID}[/{SubId}] and their /error: to FSPIOP-Destination, 200 to the sender.
    std::vector<std::string> const paths{"/participants/MSISDN/256700000001",
                                         "/participants/PERSONAL_ID/A1234567/PASSPORT"};
    for(auto const& path : paths)
    {
        INFO(path);
        auto r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, path, R"({"fspId":"dfsp2"})", "dfsp1"));
        CHECK(r.status == 200);
        auto got = co_await w.dfsp1.expect(method::put, path);
        REQUIRE(got);
        CHECK(got->body == R"({"fspId":"dfsp2"})");
        CHECK(got->fields.value_or("FSPIOP-Source") == "dfsp2");

        auto const error = fspiop::error_body(fspiop::errc::party_not_found);
        r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, path + "/error", error, "dfsp1"));
        CHECK(r.status == 200);
        got = co_await w.dfsp1.expect(method::put, path + "/error");
        REQUIRE(got);
        CHECK(error_code_in(*got) == "3204");
    }

    // The batch's answers likewise.
    auto const request_id = w.new_id();
    std::string const batch =
        R"({"partyList":[{"partyId":{"partyIdType":"MSISDN","partyIdentifier":"256700000001","fspId":"dfsp2"}}],"currency":"USD"})";
    auto r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/participants/" + request_id, batch, "dfsp1"));
    CHECK(r.status == 200);
    auto got = co_await w.dfsp1.expect(method::put, "/participants/" + request_id);
    REQUIRE(got);
    CHECK(got->body == batch);
    r = co_await w.dfsp2.send(w.fspiop(),
                              w.dfsp2.make(method::put, "/participants/" + request_id + "/error",
                                           fspiop::error_body(fspiop::errc::generic_client_error), "dfsp1"));
    CHECK(r.status == 200);
    got = co_await w.dfsp1.expect(method::put, "/participants/" + request_id + "/error");
    REQUIRE(got);

    // No destination, or an unknown one: 3201 back to the sender at its own error endpoint.
    r = co_await w.dfsp2.send(w.fspiop(),
                              w.dfsp2.make(method::put, "/participants/MSISDN/256700000009", R"({"fspId":"dfsp2"})"));
    CHECK(r.status == 200);
    got = co_await w.dfsp2.expect(method::put, "/participants/MSISDN/256700000009/error");
    REQUIRE(got);
    CHECK(error_code_in(*got) == "3201");
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/participants/" + request_id, batch, "dfsp9"));
    CHECK(r.status == 200);
    got = co_await w.dfsp2.expect(method::put, "/participants/" + request_id + "/error");
    REQUIRE(got);
    CHECK(error_code_in(*got) == "3201");

    // Bad input is refused at once and goes nowhere.
    r = co_await w.dfsp2.send(w.fspiop(),
                              w.dfsp2.make(method::put, "/participants/MSISDN/256700000001", R"({"fspId":7})", "dfsp1"));
    CHECK(r.status == 400);
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/participants/not-an-id", batch, "dfsp1"));
    CHECK(r.status == 400);
    // The batch's {ID} is checked as every path id: the hub validator's 3100 and pattern.
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3100");
    CHECK(json_text(r.body, {"errorInformation", "errorDescription"}).starts_with("Generic validation error - /path/ID must match pattern"));
    CHECK(w.dfsp1.unexpected().empty());

    // A ULID is a batch requestId too, as for every CorrelationId.
    auto const ulid_id = w.ids.ulid(1'700'000'000'000);
    std::string const ulid_path = "/participants/" + ulid_id;
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, ulid_path, batch, "dfsp1"));
    CHECK(r.status == 200);
    got = co_await w.dfsp1.expect(method::put, ulid_path);
    REQUIRE(got);
}

net::awaitable<void>
transaction_requests(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    auto const id = w.new_id();
    auto const body = request_to_pay_body(id);

    // The payee's request to pay reaches the payer as sent.
    auto r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::post, "/transactionRequests", body, "dfsp1"));
    CHECK(r.status == 202);
    auto got = co_await w.dfsp1.expect(method::post, "/transactionRequests");
    REQUIRE(got);
    CHECK(got->body == body);
    CHECK(got->fields.value_or("FSPIOP-Source") == "dfsp2");
    CHECK(got->fields.value_or("FSPIOP-Destination") == "dfsp1");

    // Without FSPIOP-Destination it goes to the payer's fspId.
    auto const other = w.new_id();
    r = co_await w.dfsp2.send(w.fspiop(),
                              w.dfsp2.make(method::post, "/transactionRequests", request_to_pay_body(other)));
    CHECK(r.status == 202);
    got = co_await w.dfsp1.expect(method::post, "/transactionRequests");
    REQUIRE(got);
    CHECK(json_text(got->body, {"transactionRequestId"}) == other);

    // The payer's answer, the payee's GET and an error answer.
    std::string const accepted = R"({"transactionRequestState":"ACCEPTED"})";
    r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::put, "/transactionRequests/" + id, accepted, "dfsp2"));
    CHECK(r.status == 200);
    got = co_await w.dfsp2.expect(method::put, "/transactionRequests/" + id);
    REQUIRE(got);
    CHECK(got->body == accepted);
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::get, "/transactionRequests/" + id, {}, "dfsp1"));
    CHECK(r.status == 202);
    got = co_await w.dfsp1.expect(method::get, "/transactionRequests/" + id);
    REQUIRE(got);
    r = co_await w.dfsp1.send(w.fspiop(),
                              w.dfsp1.make(method::put, "/transactionRequests/" + other + "/error",
                                           fspiop::error_body(fspiop::errc::payer_rejected_transaction_request), "dfsp2"));
    CHECK(r.status == 200);
    got = co_await w.dfsp2.expect(method::put, "/transactionRequests/" + other + "/error");
    REQUIRE(got);

    // An unknown payer FSP: 3201 to the payee at its transaction requests endpoint.
    auto const lost = w.new_id();
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::post, "/transactionRequests",
                                                       request_to_pay_body(lost, "dfsp9"), "dfsp9"));
    CHECK(r.status == 202);
    got = co_await w.dfsp2.expect(method::put, "/transactionRequests/" + lost + "/error");
    REQUIRE(got);
    CHECK(error_code_in(*got) == "3201");
    CHECK(got->fields.value_or("FSPIOP-Source") == "Hub");

    // Invalid bodies and ids are refused synchronously and go nowhere.
    auto bad = boost::json::parse(body).as_object();
    bad.erase("payer");
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::post, "/transactionRequests",
                                                       boost::json::serialize(bad), "dfsp1"));
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3102");
    r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::put, "/transactionRequests/" + id,
                                                       R"({"transactionRequestState":"DONE"})", "dfsp2"));
    CHECK(r.status == 400);
    r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::put, "/transactionRequests/123", accepted, "dfsp2"));
    CHECK(r.status == 400);
    CHECK(w.dfsp1.unexpected().empty());
    CHECK(w.dfsp2.unexpected().empty());
}

net::awaitable<void>
authorizations(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    auto const id = w.new_id();

    // The payer FSP asks the payee FSP to have the payer authorize; the query goes on.
    auto const query = "?authenticationType=OTP&retriesLeft=2&amount=25&currency=USD";
    auto r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/authorizations/" + id + query, {}, "dfsp2"));
    CHECK(r.status == 202);
    auto got = co_await w.dfsp2.expect(method::get, "/authorizations/" + id);
    REQUIRE(got);
    CHECK(got->target == "/authorizations/" + id + query);
    CHECK(got->fields.value_or("FSPIOP-Source") == "dfsp1");

    // The payee's answer and an error answer go back.
    std::string const entered =
        R"({"authenticationInfo":{"authentication":"OTP","authenticationValue":"4711"},"responseType":"ENTERED"})";
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/authorizations/" + id, entered, "dfsp1"));
    CHECK(r.status == 200);
    got = co_await w.dfsp1.expect(method::put, "/authorizations/" + id);
    REQUIRE(got);
    CHECK(got->body == entered);
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/authorizations/" + id + "/error",
                                                       fspiop::error_body(fspiop::errc::generic_client_error), "dfsp1"));
    CHECK(r.status == 200);
    got = co_await w.dfsp1.expect(method::put, "/authorizations/" + id + "/error");
    REQUIRE(got);

    // No destination: 3201 to the sender at /authorizations/{ID}/error.
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/authorizations/" + id, entered));
    CHECK(r.status == 200);
    got = co_await w.dfsp2.expect(method::put, "/authorizations/" + id + "/error");
    REQUIRE(got);
    CHECK(error_code_in(*got) == "3201");

    // A bad query value or body is refused at once.
    r = co_await w.dfsp1.send(w.fspiop(),
                              w.dfsp1.make(method::get, "/authorizations/" + id + "?authenticationType=PIN", {}, "dfsp2"));
    CHECK(r.status == 400);
    CHECK(r.body == R"({"errorInformation":{"errorCode":"3100","errorDescription":"Generic validation error - )"
                    R"(/query/authenticationType must be equal to one of the allowed values"}})");
    r = co_await w.dfsp1.send(w.fspiop(),
                              w.dfsp1.make(method::get, "/authorizations/" + id + "?retriesLeft=two", {}, "dfsp2"));
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3101");
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/authorizations/" + id,
                                                       R"({"responseType":"MAYBE"})", "dfsp1"));
    CHECK(r.status == 400);
    CHECK(w.dfsp1.unexpected().empty());
    CHECK(w.dfsp2.unexpected().empty());
}

} // namespace

TEST_CASE("switch: GET /health on the FSPIOP and the Admin listener in the hub's shape", "[switch][health]")
{
    run_async(health_on_both_listeners);
}

TEST_CASE("switch: INTERCHANGE_FEE settlement models are accepted and give FSPs their accounts", "[switch][admin]")
{
    run_async(interchange_fee_model);
}

TEST_CASE("switch: participant callbacks between FSPs go to FSPIOP-Destination", "[switch][als]")
{
    run_async(participant_callbacks);
}

TEST_CASE("switch: transaction requests pass between payee and payer FSP", "[switch][requests]")
{
    run_async(transaction_requests);
}

TEST_CASE("switch: authorizations pass between payer and payee FSP with their query", "[switch][requests]")
{
    run_async(authorizations);
}

} // namespace mojasim::test
