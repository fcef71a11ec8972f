// The HTTP layer over real sockets on 127.0.0.1, port 0.
#include "simulator/net/client.hpp"
#include "simulator/net/router.hpp"
#include "simulator/net/server.hpp"
#include "tests/support/async_test.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <catch2/catch.hpp>

#include <map>

using namespace mojasim;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto tuple = asio::as_tuple(asio::use_awaitable);

namespace {

net::awaitable<net::response> on_echo(net::request req)
{
    auto res = net::make_response(200, std::string(req.path()) + "|" + req.body, "text/plain");
    co_return res;
}

// Answers after `delay`: makes the order of pipelined answers observable.
net::awaitable<net::response> on_slow(net::request req)
{
    auto const ex = co_await asio::this_coro::executor;
    asio::steady_timer t(ex, 50ms);
    co_await t.async_wait(tuple);
    co_return net::make_response(200, std::string(req.path()), "text/plain");
}

// Never answers within any test's patience.
net::awaitable<net::response> on_stall(net::request)
{
    auto const ex = co_await asio::this_coro::executor;
    asio::steady_timer t(ex, 30s);
    co_await t.async_wait(tuple);
    co_return net::make_empty(204);
}

// Answers with fields a handler should not be able to break the header with.
net::awaitable<net::response> on_fields(net::request)
{
    auto res = net::make_response(200, "ok", "text/plain");
    res.fields.set("X-Good", "yes");
    res.fields.set("X-Bad", "a\r\nX-Injected: 1");
    res.fields.set("X-Tabbed", "a\tb \xc3\xa9"); // HTAB and obs-text bytes are allowed
    res.fields.set("X-Del", "long enough to be read eight bytes at a time\x7f");
    res.fields.set("Bad Name", "x");
    res.fields.set("Content-Length", "999"); // a forwarded copy: the layer writes its own
    co_return res;
}

net::awaitable<net::response> on_nothing(net::request)
{
    co_return net::make_empty(204);
}

// Answers with the request's fields, one "name=value" a line.
net::awaitable<net::response> on_headers(net::request req)
{
    std::string out;
    for(auto const& f : req.fields)
        out.append(f.name).append("=").append(f.value).append("\n");
    co_return net::make_response(200, std::move(out), "text/plain");
}

struct fixture
{
    std::shared_ptr<net::router> routes = std::make_shared<net::router>();
    std::unique_ptr<net::server> server;
    std::string base;

    fixture(asio::io_context& ioc, net::server_options opts = {})
    {
        routes->add(net::method::get, "/echo/{x}", [](net::request r) { return on_echo(std::move(r)); });
        routes->add(net::method::post, "/echo/{x}", [](net::request r) { return on_echo(std::move(r)); });
        routes->add(net::method::get, "/slow/{x}", [](net::request r) { return on_slow(std::move(r)); });
        routes->add(net::method::get, "/stall", [](net::request r) { return on_stall(std::move(r)); });
        routes->add(net::method::get, "/fields", [](net::request r) { return on_fields(std::move(r)); });
        routes->add(net::method::get, "/nothing", [](net::request r) { return on_nothing(std::move(r)); });
        routes->add(net::method::post, "/headers", [](net::request r) { return on_headers(std::move(r)); });
        server = std::make_unique<net::server>(asio::make_strand(ioc), routes, std::move(opts));
        server->listen();
        server->start();
        base = server->base_url();
    }
    ~fixture() { server->stop(); }
};

net::request get(std::string path = "/")
{
    net::request r;
    r.method = net::method::get;
    r.target = std::move(path);
    return r;
}

// Write raw bytes on a fresh connection and read until the peer closes or `until` is seen.
net::awaitable<std::string> raw_exchange(std::uint16_t port, std::string bytes, std::string until = {})
{
    auto const sex = co_await asio::this_coro::executor;
    tcp::socket s(sex);
    co_await s.async_connect({asio::ip::make_address("127.0.0.1"), port}, asio::use_awaitable);
    co_await asio::async_write(s, asio::buffer(bytes), asio::use_awaitable);
    std::string in;
    if(until.empty())
        co_await asio::async_read(s, asio::dynamic_buffer(in), tuple);
    else
        co_await asio::async_read_until(s, asio::dynamic_buffer(in), until, tuple);
    co_return in;
}

} // namespace

TEST_CASE("a thousand requests on one kept-alive connection")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        fixture f(ioc);
        auto const ex = co_await asio::this_coro::executor;
        net::client c(ex);
        for(int i = 0; i < 1000; ++i)
        {
            auto req = get();
            req.method = net::method::post;
            req.body = std::to_string(i);
            auto res = co_await c.send(f.base + "/echo/n", std::move(req));
            REQUIRE(res);
            REQUIRE(res->status == 200);
            REQUIRE(res->body == "/echo/n|" + std::to_string(i));
        }
        CHECK(c.connection_count() == 1);
        CHECK(f.server->connection_count() == 1);
    });
}

TEST_CASE("pipelined requests are answered in order")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        fixture f(ioc);
        std::string const pipeline = "GET /slow/first HTTP/1.1\r\nHost: x\r\n\r\n"
                                     "GET /echo/second HTTP/1.1\r\nHost: x\r\n\r\n"
                                     "GET /echo/third HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        auto const in = co_await raw_exchange(f.server->port(), pipeline);
        auto const a = in.find("/slow/first");
        auto const b = in.find("/echo/second|");
        auto const c = in.find("/echo/third|");
        REQUIRE(a != std::string::npos);
        REQUIRE(b != std::string::npos);
        REQUIRE(c != std::string::npos);
        CHECK(a < b);
        CHECK(b < c);
    });
}

TEST_CASE("an oversize body gets the API's error while other connections are served")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        net::server_options opts;
        opts.body_limit = 1024;
        fixture f(ioc, opts);
        f.server->set_error_responder([](net::request_error e, std::string_view target) {
            CHECK(e == net::request_error::body_too_large);
            CHECK(target == "/echo/big");
            return net::make_response(400, R"({"errorInformation":{"errorCode":"3104"}})");
        });
        auto const ex = co_await asio::this_coro::executor;
        net::client c(ex);
        auto warm = co_await c.send(f.base + "/echo/a", get());
        REQUIRE(warm);

        std::string big = "POST /echo/big HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'x');
        auto const in = co_await raw_exchange(f.server->port(), big);
        CHECK(in.rfind("HTTP/1.1 400", 0) == 0);
        CHECK(in.find("3104") != std::string::npos);

        // The kept-alive connection is still served.
        auto again = co_await c.send(f.base + "/echo/b", get());
        REQUIRE(again);
        CHECK(again->body == "/echo/b|");
        CHECK(c.connection_count() == 1);
    });
}

TEST_CASE("a client still writing a body far over the limit reads the error answer, not a reset")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        net::server_options opts;
        opts.body_limit = 1024;
        fixture f(ioc, opts);
        auto const ex = co_await asio::this_coro::executor;
        net::client c(ex);
        auto req = get();
        req.method = net::method::post;
        req.body = std::string(16 * 1024 * 1024, 'x'); // more than the loopback socket buffers hold
        auto res = co_await c.send(f.base + "/echo/big", std::move(req));
        REQUIRE(res);
        CHECK(res->status == 413);
        // The server is still serving.
        auto again = co_await c.send(f.base + "/echo/b", get());
        REQUIRE(again);
        CHECK(again->body == "/echo/b|");
    });
}

TEST_CASE("responses carry the handler's fields, one Content-Length and no field that would break the header")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        fixture f(ioc);
        auto const in = co_await raw_exchange(f.server->port(), "GET /fields HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        CHECK(in.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
        CHECK(in.find("\r\nX-Good: yes\r\n") != std::string::npos);
        CHECK(in.find("\r\nContent-Length: 2\r\n") != std::string::npos);
        CHECK(in.find("999") == std::string::npos);
        CHECK(in.find("X-Injected") == std::string::npos);
        CHECK(in.find("X-Bad") == std::string::npos);
        CHECK(in.find("\r\nX-Tabbed: a\tb \xc3\xa9\r\n") != std::string::npos);
        CHECK(in.find("X-Del") == std::string::npos);
        CHECK(in.find("Bad Name") == std::string::npos);
        CHECK(in.find("\r\nConnection: close\r\n") != std::string::npos);
        CHECK(in.size() >= 6);
        CHECK(in.substr(in.size() - 6) == "\r\n\r\nok");

        auto const none = co_await raw_exchange(f.server->port(), "GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        CHECK(none.rfind("HTTP/1.1 204 No Content\r\n", 0) == 0);
        CHECK(none.find("Content-Length") == std::string::npos);
    });
}

TEST_CASE("a HEAD request gets the fields a GET would, with no body, and the connection goes on")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        fixture f(ioc);
        f.routes->add(net::method::head, "/echo/{x}", [](net::request r) { return on_echo(std::move(r)); });
        auto const in = co_await raw_exchange(f.server->port(),
                                              "HEAD /echo/h HTTP/1.1\r\nHost: x\r\n\r\n"
                                              "GET /echo/g HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        // "/echo/h|" is 8 bytes: announced, not sent; the GET's answer follows the HEAD's head.
        auto const first_end = in.find("\r\n\r\n");
        REQUIRE(first_end != std::string::npos);
        CHECK(in.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
        CHECK(in.substr(0, first_end).find("Content-Length: 8") != std::string::npos);
        CHECK(in.substr(first_end + 4).rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
        CHECK(in.find("/echo/h|") == std::string::npos);
        CHECK(in.find("/echo/g|") != std::string::npos);

        // The client reads that answer without waiting for the body it announces.
        auto const ex = co_await asio::this_coro::executor;
        net::client c(ex);
        auto req = get();
        req.method = net::method::head;
        auto res = co_await c.send(f.base + "/echo/h", std::move(req), 2s);
        REQUIRE(res);
        CHECK(res->status == 200);
        CHECK(res->body.empty());
        CHECK(res->fields.value_or("Content-Length") == "8");
        auto again = co_await c.send(f.base + "/echo/g", get(), 2s);
        REQUIRE(again);
        CHECK(again->body == "/echo/g|");
    });
}

TEST_CASE("the client writes Host and Content-Length itself, and the caller's fields but not their framing copies")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        fixture f(ioc);
        auto const ex = co_await asio::this_coro::executor;
        net::client c(ex);
        auto req = get();
        req.method = net::method::post;
        req.body = "hello";
        req.fields.set("X-A", "1");
        req.fields.set("Content-Length", "999");
        req.fields.set("Host", "elsewhere");
        req.fields.set("X-Bad", "a\r\nX-Injected: 1");
        auto res = co_await c.send(f.base + "/headers", std::move(req));
        REQUIRE(res);
        CHECK(res->body.find("Host=127.0.0.1:" + std::to_string(f.server->port()) + "\n") != std::string::npos);
        CHECK(res->body.find("Content-Length=5\n") != std::string::npos);
        CHECK(res->body.find("X-A=1\n") != std::string::npos);
        CHECK(res->body.find("999") == std::string::npos);
        CHECK(res->body.find("elsewhere") == std::string::npos);
        CHECK(res->body.find("X-Bad") == std::string::npos);
        CHECK(res->body.find("X-Injected") == std::string::npos);
    });
}

TEST_CASE("a chunked request body is read, and Expect: 100-continue is answered before the body")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        fixture f(ioc);
        auto const chunked = co_await raw_exchange(f.server->port(),
                                                   "POST /echo/c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                                   "Connection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
        CHECK(chunked.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
        CHECK(chunked.find("/echo/c|abcde") != std::string::npos);

        auto const sex = co_await asio::this_coro::executor;
        tcp::socket s(sex);
        co_await s.async_connect({asio::ip::make_address("127.0.0.1"), f.server->port()}, asio::use_awaitable);
        std::string const head = "POST /echo/e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n"
                                 "Connection: close\r\n\r\n";
        co_await asio::async_write(s, asio::buffer(head), asio::use_awaitable);
        std::string in;
        co_await asio::async_read_until(s, asio::dynamic_buffer(in), "\r\n\r\n", tuple);
        CHECK(in.rfind("HTTP/1.1 100 Continue\r\n\r\n", 0) == 0);
        std::string const body = "xyz";
        co_await asio::async_write(s, asio::buffer(body), asio::use_awaitable);
        co_await asio::async_read(s, asio::dynamic_buffer(in), tuple);
        CHECK(in.find("HTTP/1.1 200 OK\r\n") != std::string::npos);
        CHECK(in.find("/echo/e|xyz") != std::string::npos);
    });
}

TEST_CASE("a malformed request line gets 400")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        fixture f(ioc);
        auto const in = co_await raw_exchange(f.server->port(), "THIS IS NOT HTTP\r\n\r\n");
        CHECK(in.rfind("HTTP/1.1 400", 0) == 0);
    });
}

TEST_CASE("a header block over the limit is refused")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        net::server_options opts;
        opts.header_limit = 1024;
        fixture f(ioc, opts);
        auto const in = co_await raw_exchange(f.server->port(),
                                              "GET /echo/a HTTP/1.1\r\nX-Big: " + std::string(2000, 'y') + "\r\n\r\n");
        CHECK(in.rfind("HTTP/1.1 431", 0) == 0);
    });
}

TEST_CASE("an idle client is dropped after the timeout")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        net::server_options opts;
        opts.idle_timeout = 200ms;
        fixture f(ioc, opts);
        auto const sex = co_await asio::this_coro::executor;
    tcp::socket s(sex);
        co_await s.async_connect({asio::ip::make_address("127.0.0.1"), f.server->port()}, asio::use_awaitable);
        char byte = 0;
        // The server closes: the read ends with eof, not with data, and the server says it
        // closed an idle connection.
        auto [ec, n] = co_await s.async_read_some(asio::buffer(&byte, 1), tuple);
        CHECK(ec == asio::error::eof);
        CHECK(n == 0);
        CHECK(f.server->idle_closes() == 1);
    });
}

TEST_CASE("a slow client sending its body is dropped after the read timeout")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        net::server_options opts;
        opts.read_timeout = 200ms;
        fixture f(ioc, opts);
        // Headers promise 100 bytes, only 3 come.
        auto const in = co_await raw_exchange(f.server->port(),
                                              "POST /echo/a HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc");
        CHECK(in.empty());
    });
}

TEST_CASE("the client pool reconnects after the server closes a connection")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        net::server_options opts;
        opts.idle_timeout = 100ms;
        fixture f(ioc, opts);
        auto const ex = co_await asio::this_coro::executor;
        net::client c(ex);
        auto first = co_await c.send(f.base + "/echo/1", get());
        REQUIRE(first);
        // The server drops the idle kept-alive connection; the pool still holds it.
        bool const ok1 = co_await test::eventually([&] { return f.server->connection_count() == 0; });
        REQUIRE(ok1);
        CHECK(c.connection_count() == 1);
        auto second = co_await c.send(f.base + "/echo/2", get());
        REQUIRE(second);
        CHECK(second->body == "/echo/2|");
    });
}

TEST_CASE("client errors: refused connection and timeout")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        std::uint16_t closed_port = 0;
        {
            // A port that was just free: nobody listens there now.
            tcp::acceptor a(ioc, {asio::ip::make_address("127.0.0.1"), 0});
            closed_port = a.local_endpoint().port();
        }
        auto const ex = co_await asio::this_coro::executor;
        net::client c(ex);
        auto refused = co_await c.send("http://127.0.0.1:" + std::to_string(closed_port) + "/x", get());
        REQUIRE_FALSE(refused);
        CHECK(refused.error() == asio::error::connection_refused);

        fixture f(ioc);
        auto const start = std::chrono::steady_clock::now();
        auto stalled = co_await c.send(f.base + "/stall", get(), 200ms);
        REQUIRE_FALSE(stalled);
        CHECK(stalled.error() == asio::error::timed_out);
        CHECK(std::chrono::steady_clock::now() - start < 5s);

        auto bad = co_await c.send("not a url", get());
        CHECK_FALSE(bad);
    });
}

TEST_CASE("the pool bounds connections per destination and queues the rest")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        fixture f(ioc);
        net::client_options o;
        o.max_connections_per_host = 2;
        auto ex = co_await asio::this_coro::executor;
        net::client c(ex, o);
        int done = 0;
        for(int i = 0; i < 6; ++i)
            net::spawn(ex, [](net::client& cl, std::string url, int& n) -> net::awaitable<void> {
                auto r = co_await cl.send(url, get());
                CHECK(r);
                ++n;
            }(c, f.base + "/slow/" + std::to_string(i), done), "test");
        bool const ok2 = co_await test::eventually([&] { return done == 6; });
        REQUIRE(ok2);
        CHECK(c.connection_count() <= 2);
        CHECK(f.server->connection_count() <= 2);
    });
}

TEST_CASE("the trace hook sees every message sent and received")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        fixture f(ioc);
        std::vector<std::string> seen;
        auto sink = [&](net::trace_event const& e) {
            seen.push_back(std::string(e.actor) + (e.dir == net::trace_event::direction::sent ? " sent " : " received ") +
                           (e.type == net::trace_event::kind::request ? std::string(to_string(e.method)) + " " + std::string(e.target)
                                                                      : std::to_string(e.status)) +
                           " " + std::string(e.body));
        };
        f.server->set_trace(sink);
        net::client_options o;
        o.name = "payer";
        auto const ex = co_await asio::this_coro::executor;
        net::client c(ex, o);
        c.set_trace(sink);
        auto req = get();
        req.method = net::method::post;
        req.body = "hi";
        auto sent = co_await c.send(f.base + "/echo/t", std::move(req));
        REQUIRE(sent);
        REQUIRE(seen.size() == 4);
        CHECK(seen[0] == "payer sent POST /echo/t hi");
        CHECK(seen[1] == "server received POST /echo/t hi");
        CHECK(seen[2] == "server sent 200 /echo/t|hi");
        CHECK(seen[3] == "payer received 200 /echo/t|hi");
    });
}

TEST_CASE("graceful shutdown lets the request in progress finish")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        fixture f(ioc);
        auto ex = co_await asio::this_coro::executor;
        net::client c(ex);
        bool answered = false;
        net::spawn(ex, [](net::client& cl, std::string url, bool& ok) -> net::awaitable<void> {
            auto r = co_await cl.send(url, get());
            ok = r && r->status == 200;
        }(c, f.base + "/slow/last", answered), "test");
        bool const ok3 = co_await test::eventually([&] { return f.server->connection_count() == 1; });
        REQUIRE(ok3);
        f.server->stop();
        bool const ok4 = co_await test::eventually([&] { return answered; });
        REQUIRE(ok4);
        bool const ok5 = co_await test::eventually([&] { return f.server->connection_count() == 0; });
        REQUIRE(ok5);
        auto after = co_await c.send(f.base + "/echo/x", get(), 500ms);
        CHECK_FALSE(after);
    });
}

namespace {

// Counts requests by target; /drop/{x} takes the first `drop_first` and closes without an
// answer.
struct counting_server
{
    std::shared_ptr<net::router> routes = std::make_shared<net::router>();
    std::unique_ptr<net::server> server;
    std::map<std::string, int> hits;
    int drop_first = 0; ///< /drop/{x}: requests taken and closed without an answer, first
    std::string base;

    explicit counting_server(asio::io_context& ioc, net::server_options opts = {})
    {
        routes->add(net::method::post, "/count/{x}", [this](net::request r) { return on_count(std::move(r)); });
        routes->add(net::method::post, "/drop/{x}", [this](net::request r) { return on_drop(std::move(r)); });
        server = std::make_unique<net::server>(asio::make_strand(ioc), routes, std::move(opts));
        server->listen();
        server->start();
        base = server->base_url();
    }
    ~counting_server() { server->stop(); }

    net::awaitable<net::response> on_count(net::request req)
    {
        ++hits[std::string(req.path())];
        co_return net::make_response(200, std::string(req.path()), "text/plain");
    }

    net::awaitable<net::response> on_drop(net::request req)
    {
        int const n = ++hits[std::string(req.path())];
        net::response res = net::make_response(200, "answered", "text/plain");
        res.drop = n <= drop_first;
        co_return res;
    }
};

net::request post(std::string body = "x")
{
    net::request r;
    r.method = net::method::post;
    r.body = std::move(body);
    return r;
}

// `n` requests one after another to /count/{prefix}-{i}, in bursts of 10 with quiet spells
// between them: alternately longer than the server's idle timeout (it closes the pooled
// connections) and than the client's max_idle only. Counts answers and errors.
net::awaitable<void> send_series(net::client& c, std::string base, std::string prefix, int n, bool idempotent,
                                 int& answered, std::vector<boost::system::error_code>& errors, int& finished)
{
    for(int i = 0; i < n; ++i)
    {
        if(i % 10 == 9)
            co_await net::sleep_for((i / 10) % 2 == 0 ? 250ms : 80ms); // load shape, not a wait for anything
        auto res = co_await c.send(base + "/count/" + prefix + "-" + std::to_string(i), post(),
                                   net::send_options{5s, idempotent});
        if(res && res->status == 200)
            ++answered;
        else if(!res)
            errors.push_back(res.error());
    }
    ++finished;
}

} // namespace

TEST_CASE("a malformed chunked body is answered 400 with the API's error body, then the connection closes")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        net::server_options opts;
        opts.read_timeout = 5s; // before the fix the connection only ended here, silently
        fixture f(ioc, opts);
        f.server->set_error_responder([](net::request_error e, std::string_view) {
            CHECK(e == net::request_error::bad_request);
            return net::make_response(400, R"({"errorInformation":{"errorCode":"3101"}})");
        });
        auto const in = co_await raw_exchange(f.server->port(),
                                              "POST /echo/c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                              "zz\r\nabc\r\n0\r\n\r\n");
        CHECK(in.rfind("HTTP/1.1 400", 0) == 0);
        CHECK(in.find("\r\nConnection: close\r\n") != std::string::npos);
        CHECK(in.find("3101") != std::string::npos);
        CHECK(in.find("/echo/c|") == std::string::npos);

        // The server goes on serving.
        auto const ex = co_await asio::this_coro::executor;
        net::client c(ex);
        auto again = co_await c.send(f.base + "/echo/b", get());
        REQUIRE(again);
        CHECK(again->body == "/echo/b|");
    });
}

TEST_CASE("a chunk-extension flood is answered 400, in one endless line or spread over chunks")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        net::server_options opts;
        opts.read_timeout = 5s;
        fixture f(ioc, opts);
        std::string const head = "POST /echo/c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";

        // One chunk-size line that never ends: the server must not buffer it all.
        std::string line = "1";
        while(line.size() < 1024 * 1024)
            line += ";name=value";
        auto const endless = co_await raw_exchange(f.server->port(), head + line);
        CHECK(endless.rfind("HTTP/1.1 400", 0) == 0);
        CHECK(endless.find("bad request") != std::string::npos);

        // Short lines, each within any limit, whose extensions add up to a flood.
        std::string chunks;
        std::string const ext = ";" + std::string(1000, 'e');
        for(int i = 0; i < 64; ++i)
            chunks += "1" + ext + "\r\na\r\n";
        auto const spread = co_await raw_exchange(f.server->port(), head + chunks + "0\r\n\r\n");
        CHECK(spread.rfind("HTTP/1.1 400", 0) == 0);

        // A few extensions are fine.
        auto const fine = co_await raw_exchange(f.server->port(),
                                                "POST /echo/c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                                "Connection: close\r\n\r\n3;a=b\r\nabc\r\n0;c\r\n\r\n");
        CHECK(fine.rfind("HTTP/1.1 200", 0) == 0);
        CHECK(fine.find("/echo/c|abc") != std::string::npos);
    });
}

TEST_CASE("pooled connections the server closes under load lose no request")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        net::server_options so;
        so.idle_timeout = 200ms; // a server dropping idle connections after every burst
        counting_server s(ioc, so);
        auto const ex = co_await asio::this_coro::executor;
        net::client_options o;
        o.max_connections_per_host = 8;
        o.max_idle = 50ms; // the margin: well below the server's idle timeout
        net::client c(ex, o);
        constexpr int workers = 8; // of each kind
        constexpr int each = 100;
        int answered = 0;
        int answered_once = 0;
        int finished = 0;
        std::vector<boost::system::error_code> errors;
        std::vector<boost::system::error_code> unknown;
        for(int w = 0; w < workers; ++w)
        {
            net::spawn(ex, send_series(c, s.base, "i" + std::to_string(w), each, true, answered, errors, finished),
                       "test");
            net::spawn(ex, send_series(c, s.base, "n" + std::to_string(w), each, false, answered_once, unknown, finished),
                       "test");
        }
        bool const done = co_await test::eventually([&] { return finished == 2 * workers; }, 60s);
        REQUIRE(done);
        // Idempotent requests (FSPIOP's): every one answered.
        for(auto const& e : errors)
            UNSCOPED_INFO(e.message());
        CHECK(errors.empty());
        CHECK(answered == workers * each);
        // The others too (no pooled connection is used near the server's idle timeout), and
        // none sent twice.
        for(auto const& e : unknown)
            UNSCOPED_INFO(e.message());
        CHECK(unknown.empty());
        CHECK(answered_once == workers * each);
        bool at_most_once = true;
        int idempotent_seen = 0;
        for(auto const& [target, n] : s.hits)
        {
            if(target.rfind("/count/n", 0) == 0)
                at_most_once = at_most_once && n == 1;
            else
                ++idempotent_seen;
        }
        CHECK(at_most_once);
        CHECK(idempotent_seen == workers * each);
    });
}

TEST_CASE("a request taken and not answered: sent once and reported unknown, unless idempotent")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        counting_server s(ioc);
        s.drop_first = 1000;
        auto const ex = co_await asio::this_coro::executor;
        net::client c(ex);
        // A kept-alive connection first: a failure on it must not pass for a stale one.
        auto warm = co_await c.send(s.base + "/count/warm", post());
        REQUIRE(warm);

        auto once = co_await c.send(s.base + "/drop/once", post());
        REQUIRE_FALSE(once);
        CHECK(once.error() == net::client_error::outcome_unknown);
        CHECK(net::may_have_arrived(once.error()));
        CHECK(s.hits["/drop/once"] == 1);

        // Idempotent: re-sent on new connections, retries + 1 times in all, then unknown.
        auto again = co_await c.send(s.base + "/drop/again", post(), net::send_options{5s, true});
        REQUIRE_FALSE(again);
        CHECK(again.error() == net::client_error::outcome_unknown);
        CHECK(s.hits["/drop/again"] == net::client_options{}.retries + 1);

        // Idempotent and answered the second time.
        s.drop_first = 1;
        auto second = co_await c.send(s.base + "/drop/second", post(), net::send_options{5s, true});
        REQUIRE(second);
        CHECK(second->body == "answered");
        CHECK(s.hits["/drop/second"] == 2);

        // Not sent at all is not "may have arrived".
        std::uint16_t closed_port = 0;
        {
            tcp::acceptor a(ioc, {asio::ip::make_address("127.0.0.1"), 0});
            closed_port = a.local_endpoint().port();
        }
        auto refused = co_await c.send("http://127.0.0.1:" + std::to_string(closed_port) + "/x", post());
        REQUIRE_FALSE(refused);
        CHECK_FALSE(net::may_have_arrived(refused.error()));
    });
}

TEST_CASE("a pooled connection idle past max_idle is not reused")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        counting_server s(ioc);
        auto const ex = co_await asio::this_coro::executor;
        net::client_options o;
        o.max_idle = 0ms; // every idle connection is past it
        net::client c(ex, o);
        auto first = co_await c.send(s.base + "/count/1", post());
        REQUIRE(first);
        CHECK(c.connection_count() == 1);
        auto second = co_await c.send(s.base + "/count/2", post());
        REQUIRE(second);
        // The first connection was closed by the client, not reused: the server saw it go.
        bool const gone = co_await test::eventually([&] { return s.server->connection_count() == 1; });
        CHECK(gone);
        CHECK(c.connection_count() == 1);
    });
}
