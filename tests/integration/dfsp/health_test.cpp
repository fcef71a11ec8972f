// GET /health on every listener of both banks (FSPIOP, connector, test API), in the shape of
// the real hub's health handlers: the bank's one dependency is the switch, asked for its own
// health.
#include "world.hpp"

#include <boost/json/parse.hpp>

namespace mojasim::test {

namespace {

net::awaitable<void>
health_everywhere(net::asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    std::vector<std::string> const listeners{w.dfsp1->fspiop_url(), w.dfsp1->connector_url(), w.dfsp1->test_url(),
                                             w.dfsp2->fspiop_url(), w.dfsp2->test_url()};
    for(auto const& base : listeners)
    {
        INFO(base);
        auto res = co_await w.call(base + "/health", net::method::get, {});
        CHECK(res.status == 200);
        auto const v = boost::json::parse(res.body);
        auto const& o = v.as_object();
        CHECK(o.at("status") == "OK");
        CHECK(o.at("uptime").is_number());
        CHECK(o.at("startTime").is_string());
        CHECK(o.at("versionNumber").is_string());
        auto const& services = o.at("services").as_array();
        REQUIRE(services.size() == 1);
        CHECK(services[0].at("name") == "switch");
        CHECK(services[0].at("status") == "OK");
    }
}

} // namespace

TEST_CASE("DFSP: GET /health on every listener in the hub's shape, the switch as its dependency", "[dfsp][health]")
{
    run_async(health_everywhere);
}

} // namespace mojasim::test
