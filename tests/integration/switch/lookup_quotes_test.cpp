// Account lookup (ALS with the built-in and an external oracle) and quotes over real HTTP.
#include "switch_harness.hpp"

namespace mojasim::test {

namespace {

using net::method;

std::string
party_body(std::string const& id, std::string const& fsp)
{
    return R"({"party":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":")" + id + R"(","fspId":")" + fsp +
           R"("},"name":"Jane Doe"}})";
}

net::awaitable<void>
lookup(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();

    // dfsp2 registers its customer; the oracle answers and dfsp2 hears back.
    auto r = co_await w.dfsp2.send(w.fspiop(),
                                   w.dfsp2.make(method::post, "/participants/MSISDN/256700000001", R"({"fspId":"dfsp2","currency":"USD"})"));
    CHECK(r.status == 202);
    auto registered = co_await w.dfsp2.expect(method::put, "/participants/MSISDN/256700000001");
    REQUIRE(registered);
    CHECK(json_text(registered->body, {"fspId"}) == "dfsp2");
    CHECK(w.hub.oracle().size() == 1);

    // dfsp1 asks who owns the number.
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/participants/MSISDN/256700000001", {}));
    auto owner = co_await w.dfsp1.expect(method::put, "/participants/MSISDN/256700000001");
    REQUIRE(owner);
    CHECK(json_text(owner->body, {"fspId"}) == "dfsp2");

    // dfsp1 looks the party up; the GET reaches dfsp2 with FSPIOP-Destination filled in.
    r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/parties/MSISDN/256700000001", {}));
    CHECK(r.status == 202);
    auto get = co_await w.dfsp2.expect(method::get, "/parties/MSISDN/256700000001");
    REQUIRE(get);
    CHECK(get->fields.value_or("FSPIOP-Source") == "dfsp1");
    CHECK(get->fields.value_or("FSPIOP-Destination") == "dfsp2");

    // dfsp2's answer goes back to dfsp1 untouched.
    auto const party = party_body("256700000001", "dfsp2");
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/parties/MSISDN/256700000001", party, "dfsp1"));
    CHECK(r.status == 200);
    auto answer = co_await w.dfsp1.expect(method::put, "/parties/MSISDN/256700000001");
    REQUIRE(answer);
    CHECK(answer->body == party);
    CHECK(answer->fields.value_or("FSPIOP-Source") == "dfsp2");

    // An unknown party: 3204 from the hub.
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/parties/MSISDN/256799999999", {}));
    auto missing = co_await w.dfsp1.expect(method::put, "/parties/MSISDN/256799999999/error");
    REQUIRE(missing);
    CHECK(error_code_in(*missing) == "3204");
    CHECK(missing->fields.value_or("FSPIOP-Source") == "Hub");

    // The payee's error answer is forwarded too.
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/parties/MSISDN/256700000001", {}));
    auto const got1 = co_await w.dfsp2.expect(method::get, "/parties/MSISDN/256700000001");
    REQUIRE(got1);
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/parties/MSISDN/256700000001/error",
                                                   fspiop::error_body(fspiop::errc::party_not_found), "dfsp1"));
    auto forwarded = co_await w.dfsp1.expect(method::put, "/parties/MSISDN/256700000001/error");
    REQUIRE(forwarded);
    CHECK(forwarded->fields.value_or("FSPIOP-Source") == "dfsp2");

    // Another FSP cannot take the number; its owner can delete it.
    co_await w.dfsp1.send(w.fspiop(),
                          w.dfsp1.make(method::post, "/participants/MSISDN/256700000001", R"({"fspId":"dfsp1","currency":"USD"})"));
    auto refused = co_await w.dfsp1.expect(method::put, "/participants/MSISDN/256700000001/error");
    REQUIRE(refused);
    CHECK(error_code_in(*refused) == "3003");
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::delete_, "/participants/MSISDN/256700000001?currency=USD", {}));
    auto const got2 = co_await w.dfsp2.expect(method::put, "/participants/MSISDN/256700000001");
    REQUIRE(got2);
    CHECK(w.hub.oracle().size() == 0);

    // A sub-id lookup uses the SUB_ID endpoints.
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::post, "/participants/PERSONAL_ID/A123/PASSPORT",
                                                   R"({"fspId":"dfsp2"})"));
    auto const got3 = co_await w.dfsp2.expect(method::put, "/participants/PERSONAL_ID/A123/PASSPORT");
    REQUIRE(got3);
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/parties/PERSONAL_ID/A123/PASSPORT", {}));
    auto const got4 = co_await w.dfsp2.expect(method::get, "/parties/PERSONAL_ID/A123/PASSPORT");
    CHECK(got4);
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/parties/PERSONAL_ID/A123", {}));
    auto no_plain = co_await w.dfsp1.expect(method::put, "/parties/PERSONAL_ID/A123/error");
    REQUIRE(no_plain);
    CHECK(error_code_in(*no_plain) == "3204");
}

net::awaitable<void>
batch_registration(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    auto const request_id = w.new_id();
    auto const body = R"({"requestId":")" + request_id +
                      R"(","partyList":[{"partyIdType":"MSISDN","partyIdentifier":"111"},)"
                      R"({"partyIdType":"MSISDN","partyIdentifier":"222","fspId":"dfsp1"}],"currency":"USD"})";
    auto r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::post, "/participants", body));
    CHECK(r.status == 202);
    auto result = co_await w.dfsp2.expect(method::put, "/participants/" + request_id);
    REQUIRE(result);
    auto list = boost::json::parse(result->body).at("partyList").as_array();
    REQUIRE(list.size() == 2);
    CHECK_FALSE(list[0].as_object().contains("errorInformation"));
    CHECK(list[1].at("errorInformation").at("errorCode") == "3003");
    CHECK(w.hub.oracle().size() == 1);
}

// An oracle outside the switch: answers GET /participants/{Type}/{ID} with a partyList.
struct external_oracle
{
    explicit external_oracle(asio::io_context& ioc)
    {
        routes->set_fallback([this](net::request const& r, bool) {
            ++calls;
            if(r.method == net::method::get && r.path() == "/participants/ACCOUNT_ID/77")
                return net::make_response(200, R"({"partyList":[{"fspId":"dfsp2"}]})");
            return net::make_response(404, "{}");
        });
        server = std::make_unique<net::server>(asio::make_strand(ioc), routes);
        server->listen();
        server->start();
    }
    ~external_oracle() { server->stop(); }

    std::shared_ptr<net::router> routes = std::make_shared<net::router>();
    std::unique_ptr<net::server> server;
    int calls = 0;
};

net::awaitable<void>
external_oracle_lookup(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    external_oracle oracle(ioc);
    auto r = co_await w.admin(method::post, "/oracles",
                              R"({"oracleIdType":"ACCOUNT_ID","endpoint":{"value":")" + oracle.server->base_url() +
                                  R"(","endpointType":"URL"},"isDefault":true})");
    CHECK(r.status == 201);
    r = co_await w.admin(method::get, "/oracles");
    CHECK(json_text(r.body, {}).find("ACCOUNT_ID") != std::string::npos);

    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/parties/ACCOUNT_ID/77", {}));
    auto get = co_await w.dfsp2.expect(method::get, "/parties/ACCOUNT_ID/77");
    REQUIRE(get);
    CHECK(oracle.calls == 1);
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/parties/ACCOUNT_ID/78", {}));
    auto missing = co_await w.dfsp1.expect(method::put, "/parties/ACCOUNT_ID/78/error");
    REQUIRE(missing);
    CHECK(error_code_in(*missing) == "3204");
    CHECK(oracle.calls == 2);

    // Other types still use the built-in oracle.
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/parties/MSISDN/123456", {}));
    auto const got5 = co_await w.dfsp1.expect(method::put, "/parties/MSISDN/123456/error");
    REQUIRE(got5);
    CHECK(oracle.calls == 2);
}

std::string
quote_body(std::string const& quote_id, std::string const& amount)
{
    return R"({"quoteId":")" + quote_id + R"(","transactionId":")" + quote_id +
           R"(","payee":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":"256700000001","fspId":"dfsp2"}},)"
           R"("payer":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":"256711111111","fspId":"dfsp1"}},)"
           R"("amountType":"SEND","amount":{"currency":"USD","amount":")" +
           amount + R"("},"transactionType":{"scenario":"TRANSFER","initiator":"PAYER","initiatorType":"CONSUMER"}})";
}

net::awaitable<void>
quotes(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    auto const id = w.new_id();
    auto const body = quote_body(id, "100");
    auto r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/quotes", body, "dfsp2"));
    CHECK(r.status == 202);
    auto request = co_await w.dfsp2.expect(method::post, "/quotes");
    REQUIRE(request);
    CHECK(request->body == body);
    CHECK(request->fields.value_or("FSPIOP-Source") == "dfsp1");

    auto const answer = R"({"transferAmount":{"currency":"USD","amount":"100"},"expiration":")" +
                        core::format_datetime(std::chrono::system_clock::now() + 60s) +
                        R"(","ilpPacket":"AYIBgQAAAAAAAASw","condition":")" + *fspiop::make_condition(world::fulfilment_of(id)) +
                        R"("})";
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/quotes/" + id, answer, "dfsp1"));
    CHECK(r.status == 200);
    auto reply = co_await w.dfsp1.expect(method::put, "/quotes/" + id);
    REQUIRE(reply);
    CHECK(reply->body == answer);

    // The same request again is sent on again; a changed one is 3106.
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/quotes", body, "dfsp2"));
    auto const got6 = co_await w.dfsp2.expect(method::post, "/quotes");
    CHECK(got6);
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/quotes", quote_body(id, "101"), "dfsp2"));
    auto modified = co_await w.dfsp1.expect(method::put, "/quotes/" + id + "/error");
    REQUIRE(modified);
    CHECK(error_code_in(*modified) == "3106");
    CHECK(modified->fields.value_or("FSPIOP-Source") == "Hub");

    // The payee's rejection is passed through.
    auto const id2 = w.new_id();
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/quotes", quote_body(id2, "5"), "dfsp2"));
    auto const got7 = co_await w.dfsp2.expect(method::post, "/quotes");
    REQUIRE(got7);
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/quotes/" + id2 + "/error",
                                                   fspiop::error_body(fspiop::errc::payee_rejected_quote), "dfsp1"));
    auto rejected = co_await w.dfsp1.expect(method::put, "/quotes/" + id2 + "/error");
    REQUIRE(rejected);
    CHECK(error_code_in(*rejected) == "5101");

    // An unknown payee FSP: 3201.
    auto const id3 = w.new_id();
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/quotes", quote_body(id3, "5"), "nobank"));
    auto unknown = co_await w.dfsp1.expect(method::put, "/quotes/" + id3 + "/error");
    REQUIRE(unknown);
    CHECK(error_code_in(*unknown) == "3201");
}

// A PUT /quotes/{ID} from an FSP that is not the quote's payee, then the payee's own answer:
// as for transfers, the route is checked before the duplicate check, so the stranger is
// refused (3100 to it, nothing to the payer) and the payee's answer goes through, not 3106.
net::awaitable<void>
quote_answer_from_a_stranger(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    test_fsp dfsp3(ioc, "dfsp3");
    co_await w.onboard(dfsp3, "1000", "5000");
    auto const id = w.new_id();
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/quotes", quote_body(id, "100"), "dfsp2"));
    auto const request = co_await w.dfsp2.expect(method::post, "/quotes");
    REQUIRE(request);

    auto const answer_with = [&id](std::string const& amount) {
        return R"({"transferAmount":{"currency":"USD","amount":")" + amount + R"("},"expiration":")" +
               core::format_datetime(std::chrono::system_clock::now() + 60s) +
               R"(","ilpPacket":"AYIBgQAAAAAAAASw","condition":")" + *fspiop::make_condition(world::fulfilment_of(id)) +
               R"("})";
    };
    auto const forged = answer_with("1");
    auto r = co_await dfsp3.send(w.fspiop(), dfsp3.make(method::put, "/quotes/" + id, forged, "dfsp1"));
    CHECK(r.status == 200);
    auto const refused = co_await dfsp3.expect(method::put, "/quotes/" + id + "/error");
    REQUIRE(refused);
    CHECK(error_code_in(*refused) == "3100");
    CHECK(refused->fields.value_or("FSPIOP-Source") == "Hub");
    // Nor may the payee send its answer elsewhere.
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/quotes/" + id, forged, "dfsp3"));
    auto const misrouted = co_await w.dfsp2.expect(method::put, "/quotes/" + id + "/error");
    REQUIRE(misrouted);
    CHECK(error_code_in(*misrouted) == "3100");
    // Nor answer it with an error in another FSP's name.
    r = co_await dfsp3.send(w.fspiop(), dfsp3.make(method::put, "/quotes/" + id + "/error",
                                                   fspiop::error_body(fspiop::errc::payee_rejected_quote), "dfsp1"));
    auto const refused_error = co_await dfsp3.expect(method::put, "/quotes/" + id + "/error");
    REQUIRE(refused_error);
    CHECK(error_code_in(*refused_error) == "3100");

    // The payee's genuine answer reaches the payer, which heard nothing before it.
    auto const genuine = answer_with("100");
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/quotes/" + id, genuine, "dfsp1"));
    CHECK(r.status == 200);
    auto const reply = co_await w.dfsp1.expect(method::put, "/quotes/" + id);
    REQUIRE(reply);
    CHECK(reply->body == genuine);
    CHECK(reply->fields.value_or("FSPIOP-Source") == "dfsp2");
    CHECK(w.dfsp1.unexpected().empty());
    CHECK(w.dfsp2.unexpected().empty());
}

net::awaitable<void>
refusing_destination(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    auto r = co_await w.dfsp2.send(w.fspiop(),
                                   w.dfsp2.make(method::post, "/participants/MSISDN/256700000009", R"({"fspId":"dfsp2"})"));
    CHECK(r.status == 202);
    auto const registered = co_await w.dfsp2.expect(method::put, "/participants/MSISDN/256700000009");
    REQUIRE(registered);

    // dfsp2 answers every message with 500: the requester hears 1001 from the hub.
    w.dfsp2.answer_status = 500;
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/parties/MSISDN/256700000009", {}));
    auto const lookup_error = co_await w.dfsp1.expect(method::put, "/parties/MSISDN/256700000009/error");
    REQUIRE(lookup_error);
    CHECK(error_code_in(*lookup_error) == "1001");

    auto const id = w.new_id();
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/quotes", quote_body(id, "5"), "dfsp2"));
    auto const quote_error = co_await w.dfsp1.expect(method::put, "/quotes/" + id + "/error");
    REQUIRE(quote_error);
    CHECK(error_code_in(*quote_error) == "1001");
    CHECK(w.hub.callbacks().failed_by_fsp.at("dfsp2") == 2);
}

} // namespace

TEST_CASE("switch: a destination that refuses the message gets the requester 1001", "[switch][als]")
{
    run_async(refusing_destination);
}

TEST_CASE("switch: lookup through the oracle, 3204 for unknown parties", "[switch][als]")
{
    run_async(lookup);
}

TEST_CASE("switch: batch registration reports each party", "[switch][als]")
{
    run_async(batch_registration);
}

TEST_CASE("switch: an external oracle registered by the operator is honoured", "[switch][als]")
{
    run_async(external_oracle_lookup);
}

TEST_CASE("switch: quote round trip, resend and 3106", "[switch][quotes]")
{
    run_async(quotes);
}

TEST_CASE("switch: only the payee answers a quote, a stranger's answer is refused, never recorded", "[switch][quotes]")
{
    run_async(quote_answer_from_a_stranger);
}

} // namespace mojasim::test
