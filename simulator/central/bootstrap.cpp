#include "simulator/central/bootstrap.hpp"

#include "simulator/admin/admin_api.hpp"
#include "simulator/net/client.hpp"

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
    auto const ex = co_await boost::asio::this_coro::executor;
    net::client_options o;
    o.name = "operator";
    net::client c(ex, o);
    for(std::string const type : {"HUB_MULTILATERAL_SETTLEMENT", "HUB_RECONCILIATION"})
    {
        auto const url = admin + "/participants/" + hub_name + "/accounts";
        auto request = admin_request(net::method::post, admin_api::encode(admin_api::hub_account{type, currency}));
        auto res = co_await c.send(url, std::move(request));
        if(!res || !res->ok())
            co_return "creating hub account " + type + " failed: " + (res ? res->body : res.error().message());
    }
    admin_api::settlement_model model;
    model.currency = currency;
    auto const url = admin + "/settlementModels";
    auto request = admin_request(net::method::post, admin_api::encode(model));
    auto res = co_await c.send(url, std::move(request));
    if(!res || !res->ok())
        co_return "creating the settlement model failed: " + (res ? res->body : res.error().message());
    c.close();
    co_return std::string{};
}

} // namespace mojasim::central
