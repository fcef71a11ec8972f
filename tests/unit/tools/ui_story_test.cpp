// The live page's story of one payment comes from a ring of the latest messages: once full,
// the oldest go first, and a story read across the ring's wrap keeps the messages' order.
#include "tests/support/async_test.hpp"
#include "tools/ui/ui_server.hpp"

#include "simulator/net/client.hpp"
#include "simulator/net/message.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace json = boost::json;
namespace net = mojasim::net;
using namespace std::chrono_literals;

namespace {

// The hub asking the connector, as the hub's client traces it.
void send(net::trace_sink const& sink, std::uint64_t exchange, std::string const& target, std::string const& body)
{
    net::headers none;
    net::trace_event e;
    e.time = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000) + std::chrono::seconds(exchange));
    e.exchange = exchange;
    e.actor = "hub";
    e.peer = "127.0.0.1:9";
    e.dir = net::trace_event::direction::sent;
    e.type = net::trace_event::kind::request;
    e.method = net::method::post;
    e.target = target;
    e.fields = &none;
    e.body = body;
    sink(e);
}

net::awaitable<json::array> story(net::client& c, std::string const& base, std::string const& id)
{
    net::request req;
    req.method = net::method::get;
    auto res = co_await c.send(base + "api/story?id=" + id, std::move(req));
    REQUIRE(res);
    REQUIRE(res->status == 200);
    co_return json::parse(res->body).at("steps").as_array();
}

std::vector<std::string> paths(json::array const& steps)
{
    std::vector<std::string> out;
    for(auto const& s : steps)
        out.emplace_back(s.at("path").as_string());
    return out;
}

} // namespace

TEST_CASE("ui story: the ring keeps the latest messages, oldest first across its wrap")
{
    mojasim::test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        mojasim::ui::ui_options opts;
        opts.story_records = 3;
        mojasim::ui::ui_server page(ioc.get_executor(), opts);
        page.start();
        mojasim::ui::world_view view;
        view.actor_at["127.0.0.1:9"] = "connector";
        page.show(view);
        auto const sink = page.sink();
        send(sink, 1, "/transfers/1", R"({"transferId":"pay-aaa"})");
        send(sink, 2, "/transfers/2", R"({"transferId":"pay-bbb"})");
        send(sink, 3, "/transfers/3", R"({"transferId":"pay-aaa"})");
        send(sink, 4, "/transfers/4", R"({"transferId":"pay-aaa"})"); // takes the first one's slot

        net::client c(ioc.get_executor());
        auto const a = co_await story(c, page.url(), "pay-aaa");
        CHECK(paths(a) == std::vector<std::string>{"/transfers/3", "/transfers/4"});
        REQUIRE(a.size() == 2);
        CHECK(a[0].at("from").as_string() == "hub");
        CHECK(a[0].at("to").as_string() == "connector");
        CHECK(a[0].at("body").as_string() == R"({"transferId":"pay-aaa"})");
        auto const b = co_await story(c, page.url(), "pay-bbb");
        CHECK(paths(b) == std::vector<std::string>{"/transfers/2"});

        // Two more: the ring has wrapped again; the first story has only its latest message.
        send(sink, 5, "/transfers/5", R"({"transferId":"pay-ccc"})");
        send(sink, 6, "/transfers/6", R"({"transferId":"pay-ccc"})");
        auto const a2 = co_await story(c, page.url(), "pay-aaa");
        auto const c2 = co_await story(c, page.url(), "pay-ccc");
        auto const b2 = co_await story(c, page.url(), "pay-bbb");
        CHECK(paths(a2) == std::vector<std::string>{"/transfers/4"});
        CHECK(paths(c2) == std::vector<std::string>{"/transfers/5", "/transfers/6"});
        CHECK(b2.empty());
        page.stop();
    });
}
