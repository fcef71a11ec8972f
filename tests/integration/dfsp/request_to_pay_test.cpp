// Requests to pay over real HTTP: DFSP2 (the payee's bank) asks DFSP1 to pay through the
// switch (POST /transactionRequests); DFSP1 answers by its transaction_requests.policy and,
// when it accepts, pays with a quote naming the request and a transfer.
#include "world.hpp"

#include "simulator/core/clock.hpp"

#include <boost/json/parse.hpp>

namespace mojasim::test {

namespace {

std::string
request_body(std::string_view amount = "25")
{
    return R"({"payer":{"partyIdType":"MSISDN","partyIdentifier":")" + std::string(payer_msisdn) +
           R"("},"payee":")" + std::string(amina) + R"(","amount":")" + std::string(amount) +
           R"(","note":"School fees"})";
}

net::awaitable<net::response>
request_to_pay(world& w, std::string body)
{
    auto res = co_await w.call(w.dfsp2->test_url() + "/transactionRequests", net::method::post, std::move(body));
    co_return res;
}

std::string
member(std::string const& body, char const* key)
{
    auto const v = boost::json::parse(body);
    auto const* m = v.as_object().if_contains(key);
    return m && m->is_string() ? std::string(m->as_string()) : std::string{};
}

// A callback to a bank's FSPIOP listener, as the switch would send it.
net::awaitable<net::response>
callback_to(world& w, std::string const& base, std::string resource, std::string path, std::string body)
{
    net::request req;
    req.method = net::method::put;
    req.fields.add("Content-Type", "application/vnd.interoperability." + resource + "+json;version=1.1");
    req.fields.add("Date", core::format_http_date(std::chrono::system_clock::now()));
    req.fields.add("FSPIOP-Source", "dfsp2");
    req.body = std::move(body);
    auto res = co_await w.client->send(base + path, std::move(req));
    REQUIRE(res);
    co_return std::move(*res);
}

net::awaitable<void>
accepted_and_paid(net::asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    auto const amina_start = world::balance(*w.dfsp2, amina);
    auto const res = co_await request_to_pay(w, request_body());
    INFO(res.body);
    REQUIRE(res.status == 200);
    CHECK(member(res.body, "transactionRequestState") == "ACCEPTED");
    CHECK(member(res.body, "transferState") == "COMMITTED");
    auto const transfer_id = member(res.body, "transactionId");
    CHECK(w.switch_state(transfer_id) == ledger::transfer_state::committed);
    // SEND 25: the payer pays 25, Amina gets it less DFSP2's fee (0.5 + 1 %).
    CHECK(w.position("dfsp1") == dec("25"));
    CHECK(w.position("dfsp2") == dec("-25"));
    CHECK(checked_sub(world::balance(*w.dfsp2, amina), amina_start) == dec("24.25"));
    co_await w.check_conservation();
    CHECK(w.dfsp2->stats().requests_sent == 1);
    CHECK(w.dfsp1->stats().requests_accepted == 1);
    CHECK(w.dfsp1->stats().outbound_completed == 1);
}

net::awaitable<void>
rejected(net::asio::io_context& ioc)
{
    world_options o;
    o.tweak_dfsp1 = [](dfsp::config& c) { c.transaction_requests.policy = dfsp::request_policy::reject; };
    world w(ioc, std::move(o));
    co_await w.setup();
    auto const res = co_await request_to_pay(w, request_body());
    INFO(res.body);
    REQUIRE(res.status == 200);
    CHECK(member(res.body, "transactionRequestState") == "REJECTED");
    CHECK(member(res.body, "transactionId").empty());
    CHECK(w.position("dfsp1") == decimal{});
    CHECK(w.dfsp1->stats().requests_rejected == 1);
    CHECK(w.dfsp1->stats().outbound_started == 0);
    co_await w.check_conservation();
}

net::awaitable<void>
authorized(net::asio::io_context& ioc)
{
    world_options o;
    o.tweak_dfsp1 = [](dfsp::config& c) { c.transaction_requests.policy = dfsp::request_policy::authorize; };
    world w(ioc, std::move(o));
    co_await w.setup();
    auto const res = co_await request_to_pay(w, request_body("10"));
    INFO(res.body);
    REQUIRE(res.status == 200);
    CHECK(member(res.body, "transactionRequestState") == "ACCEPTED");
    CHECK(member(res.body, "transferState") == "COMMITTED");
    CHECK(w.position("dfsp1") == dec("10"));
    co_await w.check_conservation();
}

net::awaitable<void>
wrong_otp(net::asio::io_context& ioc)
{
    world_options o;
    o.tweak_dfsp1 = [](dfsp::config& c) { c.transaction_requests.policy = dfsp::request_policy::authorize; };
    o.tweak_dfsp2 = [](dfsp::config& c) { c.transaction_requests.otp = "9999"; };
    world w(ioc, std::move(o));
    co_await w.setup();
    auto const res = co_await request_to_pay(w, request_body("10"));
    INFO(res.body);
    REQUIRE(res.status == 200);
    CHECK(member(res.body, "transactionRequestState") == "REJECTED");
    CHECK(w.position("dfsp1") == decimal{});
    CHECK(w.dfsp1->stats().requests_rejected == 1);
}

net::awaitable<void>
bad_requests(net::asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    // An unknown payee, a bad amount, an unknown member: refused by the test API.
    auto res = co_await request_to_pay(w, R"({"payer":{"partyIdType":"MSISDN","partyIdentifier":"1"},"payee":"999","amount":"1"})");
    CHECK(res.status == 400);
    res = co_await request_to_pay(w, request_body("-1"));
    CHECK(res.status == 400);
    res = co_await request_to_pay(w, R"({"payer":{},"payee":"x","amount":"1","extra":1})");
    CHECK(res.status == 400);
    // A payer the payer bank does not hold: its error comes back (3204), nothing moves.
    res = co_await request_to_pay(w, R"({"payer":{"partyIdType":"MSISDN","partyIdentifier":"0400000000","fspId":"dfsp1"},)"
                                     R"("payee":")" + std::string(amina) + R"(","amount":"5"})");
    INFO(res.body);
    CHECK(res.status == 502);
    CHECK(res.body.find("3204") != std::string::npos);
    CHECK(w.position("dfsp1") == decimal{});
    CHECK(w.dfsp2->stats().requests_sent == 1);

    // Answers nobody asked for are counted and dropped; bodies that fail the schema get 400.
    auto const id = w.ids.uuid_v4();
    auto const late = w.dfsp1->stats().late_callbacks;
    res = co_await callback_to(w, w.dfsp1->fspiop_url(), "authorizations", "/authorizations/" + id,
                               R"({"responseType":"ENTERED"})");
    CHECK(res.status == 200);
    res = co_await callback_to(w, w.dfsp2->fspiop_url(), "transactionRequests", "/transactionRequests/" + id,
                               R"({"transactionRequestState":"ACCEPTED"})");
    CHECK(res.status == 200);
    CHECK(w.dfsp1->stats().late_callbacks == late + 1);
    res = co_await callback_to(w, w.dfsp1->fspiop_url(), "authorizations", "/authorizations/" + id,
                               R"({"responseType":"SOON"})");
    CHECK(res.status == 400);
    res = co_await callback_to(w, w.dfsp2->fspiop_url(), "transactionRequests", "/transactionRequests/" + id + "/error",
                               R"({"errorInformation":{}})");
    CHECK(res.status == 400);
}

} // namespace

TEST_CASE("request to pay: DFSP2 asks, DFSP1 accepts and pays through the switch", "[dfsp][requests]")
{
    run_async(accepted_and_paid);
}

TEST_CASE("request to pay: a payer bank whose policy is reject answers REJECTED and pays nothing", "[dfsp][requests]")
{
    run_async(rejected);
}

TEST_CASE("request to pay: authorize asks the payee's customer for the OTP, then pays", "[dfsp][requests]")
{
    run_async(authorized);
}

TEST_CASE("request to pay: a wrong OTP is rejected", "[dfsp][requests]")
{
    run_async(wrong_otp);
}

TEST_CASE("request to pay: bad requests are refused and leave the books alone", "[dfsp][requests]")
{
    run_async(bad_requests);
}

} // namespace mojasim::test
