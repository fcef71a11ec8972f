// GET /health on both of the hub's listeners, in the shape of the real hub's health handlers:
// each tenant's connector is a dependency, asked for its own health. The fake connector has
// no /health, so the hub reports it DOWN and answers 502, as central-ledger does.
#include "hub_fixture.hpp"
#include "tests/support/async_test.hpp"

#include <boost/json/parse.hpp>

using namespace mojasim;
using namespace mojasim::test;

namespace {

net::awaitable<void> health_on_both_listeners(hub_world& w)
{
    std::vector<std::string> const listeners{w.hub->bulk_url(), w.hub->ops_url()};
    for(auto const& base : listeners)
    {
        INFO(base);
        net::request get;
        get.method = net::method::get;
        get.target = "/health";
        auto const url = base + "/health";
        auto res = co_await w.client.send(url, std::move(get));
        REQUIRE(res);
        CHECK(res->status == 502);
        auto const v = boost::json::parse(res->body);
        auto const& o = v.as_object();
        CHECK(o.at("status") == "DOWN");
        CHECK(o.at("uptime").is_number());
        CHECK(o.at("startTime").is_string());
        CHECK(o.at("versionNumber").is_string());
        auto const& services = o.at("services").as_array();
        REQUIRE(services.size() == 1);
        CHECK(services[0].at("name") == "connector:greenbank");
        CHECK(services[0].at("status") == "DOWN");
    }
}

} // namespace

TEST_CASE("hub: GET /health on both listeners lists each tenant's connector with its state", "[hub][health]")
{
    hub_world w;
    w.run(health_on_both_listeners(w));
}
