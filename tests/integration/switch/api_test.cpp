// The API layer (synchronous header checks), the Admin API, settlement, and callbacks that
// fail or are slow.
#include "switch_harness.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace mojasim::test {

namespace {

using net::method;
using tcp = asio::ip::tcp;

// Write raw bytes on a fresh connection and read until the peer closes.
net::awaitable<std::string>
raw_exchange(std::uint16_t port, std::string bytes)
{
    auto const ex = co_await asio::this_coro::executor;
    tcp::socket s(ex);
    auto const tuple = asio::as_tuple(asio::use_awaitable);
    auto const endpoint = tcp::endpoint(asio::ip::make_address("127.0.0.1"), port);
    auto [ec] = co_await s.async_connect(endpoint, tuple);
    REQUIRE(!ec);
    auto [wec, written] = co_await asio::async_write(s, asio::buffer(bytes), tuple);
    REQUIRE(!wec);
    REQUIRE(written == bytes.size());
    // The answer ends when the server closes the connection (end of file).
    std::string out;
    auto buffer = asio::dynamic_buffer(out);
    auto const read = co_await asio::async_read(s, buffer, tuple);
    CHECK(std::get<0>(read) == asio::error::eof);
    co_return out;
}

net::awaitable<void>
header_checks(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    auto const body = world::prepare_body(w.new_id(), "1");

    // Missing Date: 400 with 3102.
    auto req = w.dfsp1.make(method::post, "/transfers", body, "dfsp2");
    req.fields.erase("Date");
    auto r = co_await w.dfsp1.send(w.fspiop(), std::move(req));
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3102");

    // A Content-Type of another resource: 3101.
    req = w.dfsp1.make(method::post, "/transfers", body, "dfsp2");
    req.fields.set("Content-Type", media("parties"));
    r = co_await w.dfsp1.send(w.fspiop(), std::move(req));
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3101");

    // An Accept for a version the hub does not speak: 406 with 3001.
    req = w.dfsp1.make(method::post, "/transfers", body, "dfsp2");
    req.fields.set("Accept", media("transfers", "3.0"));
    r = co_await w.dfsp1.send(w.fspiop(), std::move(req));
    CHECK(r.status == 406);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3001");

    // A body that breaks the schema: 400 naming the field.
    r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/transfers", R"({"transferId":"x"})", "dfsp2"));
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}).front() == '3');

    // An unknown sender.
    req = w.dfsp1.make(method::post, "/transfers", body, "dfsp2");
    req.fields.set("FSPIOP-Source", "nobank");
    r = co_await w.dfsp1.send(w.fspiop(), std::move(req));
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3200");

    // An unknown path: 404 with 3002.
    r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/nothing/here", {}));
    CHECK(r.status == 404);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3002");

    // A body over 5 MB: 3104, answered as soon as the headers announce it.
    auto const refused = co_await raw_exchange(w.ports.fspiop, "POST /transfers HTTP/1.1\r\nHost: switch\r\n"
                                                               "Content-Type: application/json\r\n"
                                                               "Content-Length: 5242881\r\n\r\n");
    CHECK(refused.find("\"errorCode\":\"3104\"") != std::string::npos);

    // Nothing of the refused requests reached the payee or moved money.
    CHECK(w.dfsp2.unexpected().empty());
    CHECK(w.hub.position("dfsp1", "USD") == core::decimal{});
    CHECK(w.hub.transfers().size() == 0);
}

net::awaitable<void>
admin_api(asio::io_context& ioc)
{
    world w(ioc);

    // Participants need the hub's accounts first.
    auto r = co_await w.admin(method::post, "/participants", R"({"name":"dfsp1","currency":"USD"})");
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3003");
    co_await w.setup("1000", "2500.5");

    r = co_await w.admin(method::get, "/participants/dfsp1");
    CHECK(r.status == 200);
    CHECK(json_text(r.body, {"name"}) == "dfsp1");
    CHECK(json_text(r.body, {"isActive"}) == "1");
    auto accounts = boost::json::parse(r.body).at("accounts").as_array();
    REQUIRE(accounts.size() == 2);
    CHECK(accounts[0].at("ledgerAccountType") == "POSITION");
    CHECK(accounts[1].at("ledgerAccountType") == "SETTLEMENT");

    r = co_await w.admin(method::get, "/participants");
    CHECK(boost::json::parse(r.body).as_array().size() == 3); // Hub, dfsp1, dfsp2

    r = co_await w.admin(method::get, "/participants/dfsp1/accounts");
    auto balances = boost::json::parse(r.body).as_array();
    CHECK(balances[0].at("value").as_int64() == 0);
    CHECK(r.body.find(R"("value":-2500.5)") != std::string::npos);

    r = co_await w.admin(method::get, "/participants/dfsp1/limits");
    CHECK(json_text(r.body, {}) == R"([{"currency":"USD","limit":{"type":"NET_DEBIT_CAP","value":1000,"alarmPercentage":10}}])");

    r = co_await w.admin(method::get, "/participants/dfsp1/endpoints?type=FSPIOP_CALLBACK_URL_TRANSFER_POST");
    CHECK(json_text(r.body, {"value"}) == w.dfsp1.base_url() + "/transfers");
    r = co_await w.admin(method::get, "/participants/dfsp1/endpoints");
    CHECK(boost::json::parse(r.body).as_array().size() == endpoints_for("x").size());

    // Errors with the hub's codes and statuses.
    r = co_await w.admin(method::post, "/participants", R"({"name":"dfsp1","currency":"USD"})");
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3000");
    r = co_await w.admin(method::get, "/participants/nobank");
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3200");
    r = co_await w.admin(method::post, "/participants/dfsp1/initialPositionAndLimits",
                         R"({"currency":"USD","limit":{"type":"NET_DEBIT_CAP","value":5}})");
    CHECK(r.status == 500);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "2001");
    r = co_await w.admin(method::post, "/participants", "not json");
    CHECK(r.status == 400);

    // A deactivated FSP can no longer send.
    r = co_await w.admin(method::put, "/participants/dfsp1", R"({"isActive":false})");
    CHECK(r.status == 200);
    CHECK(json_text(r.body, {"isActive"}) == "0");
    r = co_await w.dfsp1.send(w.fspiop(),
                              w.dfsp1.make(method::post, "/transfers", world::prepare_body(w.new_id(), "1"), "dfsp2"));
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3200");
}

net::awaitable<void>
settlement(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    for(auto const* amount : {"100", "50.5"})
    {
        auto const id = w.new_id();
        auto const got1 = co_await w.prepare(id, amount);
        REQUIRE(got1);
        co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/transfers/" + id, world::fulfil_body(id), "dfsp1"));
        auto const got2 = co_await w.dfsp1.expect(method::put, "/transfers/" + id);
        REQUIRE(got2);
    }

    auto r = co_await w.admin(method::get, "/settlementWindows?state=OPEN");
    auto windows = boost::json::parse(r.body).as_array();
    REQUIRE(windows.size() == 1);
    auto const open = std::to_string(windows[0].at("settlementWindowId").as_int64());
    r = co_await w.admin(method::post, "/settlementWindows/" + open, R"({"state":"CLOSED","reason":"end of day"})");
    CHECK(r.status == 200);
    CHECK(json_text(r.body, {"state"}) == "OPEN");
    CHECK(json_text(r.body, {"settlementWindowId"}) != open);

    r = co_await w.admin(method::post, "/settlements",
                         R"({"settlementModel":"DEFERRED_NET","reason":"daily","settlementWindows":[{"id":)" + open + "}]}");
    CHECK(r.status == 200);
    auto s = boost::json::parse(r.body);
    CHECK(s.at("state") == "PENDING_SETTLEMENT");
    auto participants = s.at("participants").as_array();
    REQUIRE(participants.size() == 2);
    CHECK(r.body.find(R"("netSettlementAmount":{"amount":150.5,"currency":"USD"})") != std::string::npos);
    CHECK(r.body.find(R"("netSettlementAmount":{"amount":-150.5,"currency":"USD"})") != std::string::npos);

    auto const sid = std::to_string(s.at("id").as_int64());
    r = co_await w.admin(method::put, "/settlements/" + sid, R"({"state":"SETTLED","reason":"paid"})");
    CHECK(r.status == 200);
    CHECK(json_text(r.body, {"state"}) == "SETTLED");
    r = co_await w.admin(method::get, "/participants/dfsp1/positions");
    CHECK(r.body.find(R"("value":0)") != std::string::npos);
    CHECK(w.hub.position("dfsp2", "USD") == core::decimal{});
    r = co_await w.admin(method::get, "/settlementWindows/" + open);
    CHECK(json_text(r.body, {"state"}) == "SETTLED");
}

// An FSP that takes every prepare in and answers none until the test lets it.
struct slow_fsp
{
    explicit slow_fsp(asio::io_context& ioc) : gate(ioc, asio::steady_timer::time_point::max())
    {
        routes->add(net::method::post, "/transfers", [this](net::request) { return answer_late(); });
        server = std::make_unique<net::server>(asio::make_strand(ioc), routes);
        server->listen();
        server->start();
    }
    ~slow_fsp()
    {
        release();
        server->stop();
    }

    net::awaitable<net::response> answer_late()
    {
        ++taken;
        if(!released)
            co_await gate.async_wait(asio::as_tuple(asio::use_awaitable));
        ++answered;
        co_return net::make_empty(202);
    }
    void release()
    {
        released = true;
        gate.cancel();
    }

    asio::steady_timer gate;
    bool released = false;
    int taken = 0;
    int answered = 0;
    std::shared_ptr<net::router> routes = std::make_shared<net::router>();
    std::unique_ptr<net::server> server;
};

net::awaitable<void>
slow_and_failing_fsps(asio::io_context& ioc)
{
    auto cfg = world::config();
    cfg.max_connections_per_fsp = 4;
    world w(ioc, cfg);
    co_await w.setup("100000", "100000");

    // dfsp3 is slow; dfsp4 is registered on a port where nobody listens.
    slow_fsp slow(ioc);
    test_fsp dfsp3(ioc, "dfsp3");
    co_await w.onboard(dfsp3, "1000", "1000");
    auto r = co_await w.admin(method::post, "/participants/dfsp3/endpoints",
                              R"({"type":"FSPIOP_CALLBACK_URL_TRANSFER_POST","value":")" + slow.server->base_url() +
                                  R"(/transfers"})");
    REQUIRE(r.status == 201);
    test_fsp dfsp4(ioc, "dfsp4");
    co_await w.onboard(dfsp4, "1000", "1000");
    dfsp4.stop();

    // Fill dfsp3's connections and its queue with prepares.
    for(int i = 0; i < 12; ++i)
        co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/transfers",
                                                       world::prepare_body(w.new_id(), "1", 30s, "dfsp1", "dfsp3"),
                                                       "dfsp3"));
    // dfsp4 cannot be reached.
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/transfers",
                                                   world::prepare_body(w.new_id(), "1", 30s, "dfsp1", "dfsp4"), "dfsp4"));

    // Traffic between dfsp1 and dfsp2 is not held up while dfsp3 answers nothing.
    auto const id = w.new_id();
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/transfers", world::prepare_body(id, "1"), "dfsp2"));
    auto const got3 = co_await w.dfsp2.expect(method::post, "/transfers", 5s);
    REQUIRE(got3);
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/transfers/" + id, world::fulfil_body(id), "dfsp1"));
    auto const got4 = co_await w.dfsp1.expect(method::put, "/transfers/" + id, 5s);
    REQUIRE(got4);
    CHECK(slow.taken > 0);
    CHECK(slow.answered == 0);
    // The slow FSP's prepares are still being delivered.
    CHECK(w.hub.callbacks().delivered < w.hub.callbacks().sent);

    // The unreachable FSP is counted as a failure, and so is an FSP that answers 500.
    auto const got5 = co_await eventually([&] { return w.hub.callbacks().failed_by_fsp.count("dfsp4") == 1; });
    CHECK(got5);
    w.dfsp2.answer_status = 500;
    auto const id2 = w.new_id();
    auto const got6 = co_await w.prepare(id2, "1");
    REQUIRE(got6);
    auto const got7 = co_await eventually([&] { return w.hub.callbacks().failed_by_fsp.count("dfsp2") == 1; });
    CHECK(got7);
    // Once dfsp3 answers, every prepare it took in is answered.
    slow.release();
    auto const drained = co_await eventually([&] { return slow.answered == slow.taken; });
    CHECK(drained);
}

} // namespace

TEST_CASE("switch: bad headers get the synchronous 400/406 with errorInformation", "[switch][api]")
{
    run_async(header_checks);
}

TEST_CASE("switch: Admin API shapes and status codes", "[switch][admin]")
{
    run_async(admin_api);
}

TEST_CASE("switch: closing a window gives net figures, settling resets positions", "[switch][admin]")
{
    run_async(settlement);
}

TEST_CASE("switch: a slow or unreachable FSP never holds up others, failures are counted", "[switch][callbacks]")
{
    run_async(slow_and_failing_fsps);
}

} // namespace mojasim::test
