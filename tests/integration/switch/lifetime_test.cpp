// The switch destroyed while its io_context runs and traffic is in flight: callbacks the
// switch is relaying to a payee that has not answered yet, and a request half read by one
// of its listeners. Whatever runs for the actor holds its state (docs/engineering.md,
// "Lifetime"): the relays and the request finish on it, its listeners are closed, and the
// state is gone once the io_context has run out of work. ASan and TSan builds run this too.
#include "tests/integration/switch/switch_harness.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

namespace mojasim::test {
namespace {

using net::method;
using tcp = asio::ip::tcp;

/// A payee whose POST /transfers answers wait until release().
class holding_payee
{
public:
    explicit holding_payee(asio::io_context& ioc)
        : ex_(asio::make_strand(ioc)), gate_(ex_, std::chrono::steady_clock::time_point::max())
    {
        routes_->add(method::post, "/transfers", [this](net::request) -> net::awaitable<net::response> {
            ++held;
            co_await gate_.async_wait(asio::as_tuple(asio::use_awaitable));
            co_return net::make_empty(202);
        });
        server_ = std::make_unique<net::server>(ex_, routes_, net::server_options{.name = "holding-payee"});
        server_->listen();
        server_->start();
    }
    ~holding_payee() { server_->stop(); }
    holding_payee(holding_payee const&) = delete;
    holding_payee& operator=(holding_payee const&) = delete;

    void release() { gate_.cancel(); }
    [[nodiscard]] std::string base_url() const { return server_->base_url(); }

    int held = 0; ///< requests taken and not answered yet

private:
    net::executor ex_;
    asio::steady_timer gate_;
    std::shared_ptr<net::router> routes_ = std::make_shared<net::router>();
    std::unique_ptr<net::server> server_;
};

net::awaitable<bool> refused(std::uint16_t port)
{
    auto const ex = co_await asio::this_coro::executor;
    tcp::socket s(ex);
    auto [ec] = co_await s.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                         asio::as_tuple(asio::use_awaitable));
    co_return ec == asio::error::connection_refused;
}

} // namespace

TEST_CASE("switch: destroyed while its io_context runs, with callbacks and a request in flight", "[switch][lifetime]")
{
    asio::io_context ioc;
    std::weak_ptr<void const> state;
    std::exception_ptr failure;
    bool finished = false;
    // A named lambda: the coroutine reads its captures through the closure, which must outlive it.
    auto const traffic = [&]() -> net::awaitable<void> {
        auto cfg = world::config();
        cfg.callback_timeout = 60s; // the relays wait for the payee, not for a timeout
        world w(ioc, cfg);
        co_await w.setup();
        holding_payee payee(ioc);
        auto r = co_await w.admin(method::post, "/participants/dfsp2/endpoints",
                                  R"({"type":"FSPIOP_CALLBACK_URL_TRANSFER_POST","value":")" + payee.base_url() +
                                      R"(/transfers"})");
        REQUIRE(r.status == 201);
        state = w.hub.lifetime();
        auto const fspiop_port = w.ports.fspiop;
        auto const admin_port = w.ports.admin;

        // Three prepares: each answered 202, each relayed to the payee, who holds it.
        for(int i = 0; i < 3; ++i)
        {
            auto ack = co_await w.dfsp1.send(
                w.fspiop(), w.dfsp1.make(method::post, "/transfers", world::prepare_body(w.new_id(), "10"), "dfsp2"));
            REQUIRE(ack.status == 202);
        }
        REQUIRE(co_await eventually([&] { return payee.held == 3; }));

        // A request whose head has been read and whose body has not all arrived: a session
        // is busy with it. (The operator's round trip after it gives the single-threaded
        // io_context the turns to read that head.)
        std::string const body = R"({"name":"dfsp9","currency":"USD"})";
        tcp::socket raw(ioc);
        co_await raw.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), w.ports.admin),
                                   asio::use_awaitable);
        std::string const head = "POST /participants HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                 "Connection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
        co_await asio::async_write(raw, asio::buffer(head + body.substr(0, 10)), asio::use_awaitable);
        r = co_await w.admin(method::get, "/participants/dfsp1");
        REQUIRE(r.status == 200);

        w.destroy_switch();
        // The relays and the session still hold the state.
        CHECK_FALSE(state.expired());

        // The body ends: the session that read the head answers from the state it holds.
        co_await asio::async_write(raw, asio::buffer(body.substr(10)), asio::use_awaitable);
        std::string reply;
        auto [ec, n] = co_await asio::async_read(raw, asio::dynamic_buffer(reply),
                                                  asio::as_tuple(asio::use_awaitable));
        CHECK(ec == asio::error::eof);
        CHECK(reply.rfind("HTTP/1.1 201 ", 0) == 0);
        CHECK(n == reply.size());
        // Both listeners are closed.
        CHECK(co_await refused(fspiop_port));
        CHECK(co_await refused(admin_port));
        CHECK_FALSE(state.expired());

        // The payee answers: the relays finish on the state they hold.
        payee.release();
        finished = true;
    };
    asio::co_spawn(ioc, traffic(), [&](std::exception_ptr e) { failure = e; });
    // No ioc.stop(): the io_context must run out of work by itself once everything has ended.
    ioc.run_for(60s);
    if(failure)
        std::rethrow_exception(failure);
    REQUIRE(finished);
    CHECK(ioc.stopped());
    CHECK(state.expired());
}

} // namespace mojasim::test
