#include "simulator/mapper/client.hpp"

#include "simulator/core/clock.hpp"
#include "simulator/mapper/g2p.hpp"

#include <boost/system/errc.hpp>

namespace mojasim::mapper {

net::awaitable<net::result<std::optional<std::string>>>
resolve_id(net::client& client, std::string mapper_url, std::string id, std::string message_id,
           std::chrono::milliseconds timeout)
{
    while(!mapper_url.empty() && mapper_url.back() == '/')
        mapper_url.pop_back();
    net::request req;
    req.method = net::method::post;
    req.fields.set("Content-Type", "application/json");
    req.body = g2p::resolve_request(message_id, message_id, id, core::format_datetime(std::chrono::system_clock::now()));
    auto const url = mapper_url + "/mapper/sync/resolve";
    auto res = co_await client.send(url, std::move(req), net::send_options{timeout, true});
    if(!res)
        co_return res.error();
    if(res->status != 200)
        co_return boost::system::errc::make_error_code(boost::system::errc::bad_message);
    co_return g2p::resolved_fa(res->body);
}

} // namespace mojasim::mapper
