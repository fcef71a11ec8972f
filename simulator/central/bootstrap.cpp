#include "simulator/central/bootstrap.hpp"

#include "simulator/net/client.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace mojasim::central {

net::request admin_request(net::method m, std::string body)
{
    net::request r;
    r.method = m;
    if(!body.empty())
        r.fields.add("Content-Type", "application/json");
    r.body = std::move(body);
    return r;
}

net::awaitable<std::string> prepare_hub(std::string admin, std::string hub_name, std::string currency)
{
    namespace json = boost::json;
    auto const ex = co_await boost::asio::this_coro::executor;
    net::client_options o;
    o.name = "operator";
    net::client c(ex, o);
    for(std::string const type : {"HUB_MULTILATERAL_SETTLEMENT", "HUB_RECONCILIATION"})
    {
        json::object body{{"type", type}, {"currency", currency}};
        auto const url = admin + "/participants/" + hub_name + "/accounts";
        auto request = admin_request(net::method::post, json::serialize(body));
        auto res = co_await c.send(url, std::move(request));
        if(!res || !res->ok())
            co_return "creating hub account " + type + " failed: " + (res ? res->body : res.error().message());
    }
    json::object model{{"name", "DEFERREDNET"},
                       {"settlementGranularity", "NET"},
                       {"settlementInterchange", "MULTILATERAL"},
                       {"settlementDelay", "DEFERRED"},
                       {"currency", currency},
                       {"requireLiquidityCheck", true},
                       {"ledgerAccountType", "POSITION"},
                       {"settlementAccountType", "SETTLEMENT"},
                       {"autoPositionReset", true}};
    auto const url = admin + "/settlementModels";
    auto request = admin_request(net::method::post, json::serialize(model));
    auto res = co_await c.send(url, std::move(request));
    if(!res || !res->ok())
        co_return "creating the settlement model failed: " + (res ? res->body : res.error().message());
    c.close();
    co_return std::string{};
}

} // namespace mojasim::central
