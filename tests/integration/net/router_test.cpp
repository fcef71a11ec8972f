#include "simulator/net/client.hpp"
#include "simulator/net/router.hpp"
#include "simulator/net/run.hpp"
#include "tests/support/async_test.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <thread>

using namespace mojasim;

namespace {

net::awaitable<net::response> echo(net::request req)
{
    std::string out = std::string(to_string(req.method)) + " " + std::string(req.path());
    for(auto const& [k, v] : req.params)
        out += " " + k + "=" + v;
    co_return net::make_response(200, out, "text/plain");
}

net::router make_router()
{
    net::router r;
    net::router::handler h = [](net::request req) { return echo(std::move(req)); };
    r.add(net::method::get, "/parties/{Type}/{ID}", h);
    r.add(net::method::get, "/parties/{Type}/{ID}/{SubId}", h);
    r.add(net::method::put, "/parties/{Type}/{ID}/error", h);
    r.add(net::method::post, "/transfers", h);
    r.add(net::method::put, "/transfers/{ID}", h);
    r.add(net::method::put, "/transfers/{ID}/error", h);
    r.add(net::method::post, "/participants", h);
    r.add(net::method::put, "/participants/{ID}/error", h);
    return r;
}

net::response route(net::router const& r, net::method m, std::string target)
{
    net::response out;
    test::run_async([&](net::asio::io_context&) -> net::awaitable<void> {
        net::request req;
        req.method = m;
        req.target = target;
        out = co_await r.dispatch(std::move(req));
    });
    return out;
}

} // namespace

TEST_CASE("router matches path templates and captures decoded parameters")
{
    auto const r = make_router();
    CHECK(route(r, net::method::get, "/parties/MSISDN/123").body == "GET /parties/MSISDN/123 Type=MSISDN ID=123");
    CHECK(route(r, net::method::get, "/parties/PERSONAL_ID/9/PASSPORT").body ==
          "GET /parties/PERSONAL_ID/9/PASSPORT Type=PERSONAL_ID ID=9 SubId=PASSPORT");
    CHECK(route(r, net::method::get, "/parties/EMAIL/a%40b.org?x=1").body == "GET /parties/EMAIL/a%40b.org Type=EMAIL ID=a@b.org");
    CHECK(route(r, net::method::put, "/transfers/abc/error").body == "PUT /transfers/abc/error ID=abc");
    CHECK(route(r, net::method::put, "/parties/MSISDN/1/error").body == "PUT /parties/MSISDN/1/error Type=MSISDN ID=1");
    CHECK(route(r, net::method::put, "/participants/req-1/error").body == "PUT /participants/req-1/error ID=req-1");
}

TEST_CASE("router answers 404 for unknown paths and 405 for known paths with another method")
{
    auto const r = make_router();
    CHECK(route(r, net::method::get, "/nothing/here").status == 404);
    CHECK(route(r, net::method::get, "/transfers/").status == 404);
    // A trailing "/" names no resource: not the bare collection, not a 405.
    CHECK(route(r, net::method::put, "/transfers/").status == 404);
    CHECK(route(r, net::method::post, "/transfers").status == 200);
    CHECK(route(r, net::method::post, "/transfers/").status == 404);
    CHECK(route(r, net::method::post, "/participants/").status == 404);
    CHECK(route(r, net::method::put, "/transfers//error").status == 404);
    CHECK(route(r, net::method::delete_, "/transfers/abc").status == 405);
    CHECK(route(r, net::method::get, "/parties/MSISDN/bad%zz").status == 404);
}

TEST_CASE("query parameters are percent-decoded")
{
    net::request req;
    req.target = "/api/v1/batch/detail?batchId=a%2Fb&pageSize=10&name=x+y&empty";
    CHECK(req.path() == "/api/v1/batch/detail");
    CHECK(req.query_param("batchId") == "a/b");
    CHECK(req.query_param("pageSize") == "10");
    CHECK(req.query_param("name") == "x y");
    CHECK(req.query_param("empty") == "");
    CHECK_FALSE(req.query_param("missing"));
}

TEST_CASE("headers keep arrival order, set keeps the first one's place, and copying one field to another is safe")
{
    net::headers h;
    h.add("A", "1");
    h.add("B", "2");
    h.add("a", "3");
    h.add("C", std::string(200, 'c'));
    h.set("a", "x");
    std::string order;
    for(auto const& f : h)
        order += std::string(f.name) + "=" + std::string(f.value) + ";";
    CHECK(order == "A=x;B=2;C=" + std::string(200, 'c') + ";");

    // Values viewed from the headers themselves, while the store grows many times.
    for(int i = 0; i < 50; ++i)
        h.add("D" + std::to_string(i), h.value_or("C"));
    h.set("B", h.value_or("D49"));
    CHECK(h.value_or("B") == std::string(200, 'c'));
    CHECK(h.value_or("D0") == std::string(200, 'c'));
    CHECK(h.size() == 53);
    auto const copy = h;
    CHECK(copy.value_or("d17") == std::string(200, 'c'));
    CHECK_FALSE(h.get("D50"));
    CHECK(h.get("") == std::nullopt);
}

TEST_CASE("headers are case-insensitive and set replaces")
{
    net::headers h;
    h.add("Content-Type", "a");
    h.add("X-One", "1");
    h.add("x-one", "2");
    CHECK(h.get("content-type") == "a");
    h.set("X-ONE", "3");
    CHECK(h.size() == 2);
    CHECK(h.value_or("x-one") == "3");
    h.erase("CONTENT-TYPE");
    CHECK_FALSE(h.contains("Content-Type"));
    CHECK(h.size() == 1);
    CHECK(h.begin() != h.end());
    CHECK((*h.begin()).name == "X-One");
    CHECK(net::url::parse("http://127.0.0.1:4000/a/b?c=d")->target == "/a/b?c=d");
    CHECK(net::url::parse("http://localhost:81")->port == 81);
    CHECK(net::url::parse("http://host")->port == 80);
    CHECK_FALSE(net::url::parse("https://host/"));
    CHECK_FALSE(net::url::parse("http://host:99999/"));
    CHECK(net::url::parse("http://[::1]:4000/x")->host == "::1");
    CHECK(net::url::parse("http://[::1]:4000/x")->port == 4000);
    CHECK(net::url::parse("http://[::1]/x")->port == 80);
}

TEST_CASE("URLs and percent-encoding through Boost.URL")
{
    CHECK(net::url::parse("http://h:1?x=y")->target == "/?x=y");
    CHECK(net::url::parse("http://h:1/a#frag")->target == "/a"); // a fragment is never sent
    CHECK_FALSE(net::url::parse("http://h:0/"));
    CHECK_FALSE(net::url::parse("http://h:/"));
    CHECK_FALSE(net::url::parse("http://user@h/"));
    CHECK_FALSE(net::url::parse("http:///x"));
    CHECK_FALSE(net::url::parse("not a url"));

    CHECK(net::percent_encode("a b/c?d%e~f") == "a%20b%2Fc%3Fd%25e~f");
    CHECK(net::percent_encode_path("a b/c?d:e@f!$&'()*+,;=") == "a%20b%2Fc%3Fd:e@f!$&'()*+,;=");
    CHECK(net::percent_decode("a%20b%2Fc") == "a b/c");
    CHECK(net::percent_decode("a+b") == "a+b");
    CHECK(net::percent_decode("a+b", true) == "a b");
    CHECK_FALSE(net::percent_decode("a%2"));
    CHECK_FALSE(net::percent_decode("a%zz"));
    CHECK(net::percent_decode(net::percent_encode("é/ü?")) == "é/ü?");
}

TEST_CASE("a context pool runs each io_context on a thread of its own and stops within its drain time")
{
    net::context_pool pool(2);
    REQUIRE(pool.size() == 2);
    pool.start();
    auto const id_on = [](net::asio::io_context& ioc) {
        return net::asio::post(ioc, std::packaged_task<std::thread::id()>([] { return std::this_thread::get_id(); }))
            .get();
    };
    auto const a = id_on(pool[0]);
    auto const b = id_on(pool[1]);
    CHECK(a != b);
    CHECK(a != std::this_thread::get_id());
    CHECK(b != std::this_thread::get_id());

    // A timer that would keep the first context busy for an hour does not hold stop() up.
    net::asio::steady_timer long_wait(pool[0], std::chrono::hours(1));
    long_wait.async_wait([](boost::system::error_code) {});
    auto const before = std::chrono::steady_clock::now();
    pool.stop(std::chrono::milliseconds(50));
    CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(10));
    CHECK(pool[0].stopped());
    CHECK(pool[1].stopped());
}

TEST_CASE("a context pool's run() returns once every io_context is out of work")
{
    net::context_pool pool(3);
    std::atomic<int> done{0};
    for(std::size_t i = 0; i < pool.size(); ++i)
        net::asio::post(pool[i], [&done] { ++done; });
    pool.run();
    CHECK(done == 3);
}

TEST_CASE("router refuses two routes that name one placeholder differently")
{
    net::router r;
    net::router::handler h = [](net::request req) { return echo(std::move(req)); };
    r.add(net::method::get, "/transfers/{ID}", h);
    r.add(net::method::put, "/transfers/{ID}/error", h);
    CHECK_THROWS_AS(r.add(net::method::patch, "/transfers/{id}", h), std::invalid_argument);
    CHECK_THROWS_WITH(r.add(net::method::put, "/transfers/{transferId}/error", h),
                      Catch::Contains("{transferId}") && Catch::Contains("{ID}"));
    // The routes added before still match with their own name.
    CHECK(route(r, net::method::get, "/transfers/abc").body == "GET /transfers/abc ID=abc");
}
