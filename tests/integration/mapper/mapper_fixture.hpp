// The account mapper over real HTTP on 127.0.0.1 (port 0), with a receiver for its callbacks
// (PH-EE's PUTs to X-CallbackURL, G2P Connect's POSTs to sender_uri/on-…).
#pragma once

#include "simulator/mapper/mapper_actor.hpp"
#include "simulator/net/client.hpp"
#include "simulator/net/router.hpp"
#include "simulator/net/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

namespace mojasim::test {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

/// Takes every request on any of its paths and hands them out in arrival order.
class receiver
{
public:
    struct received
    {
        net::method method = net::method::unknown;
        std::string path;
        std::string content_type;
        std::string body;
    };

    explicit receiver(asio::io_context& ioc) : arrived_(ioc, asio::steady_timer::time_point::max())
    {
        for(auto m : {net::method::put, net::method::post})
            for(auto const* p : {"/cb/{a}", "/g2p/callback/mapper/{a}"})
                routes_->add(m, p, [this](net::request r) { return on(std::move(r)); });
        net::server_options o;
        o.name = "receiver";
        server_ = std::make_unique<net::server>(asio::make_strand(ioc), routes_, o);
        server_->listen();
        server_->start();
    }
    [[nodiscard]] std::string url() const { return server_->base_url(); }
    void stop() { server_->stop(); }
    [[nodiscard]] std::size_t count() const noexcept { return taken_ + queue_.size(); }

    /// The next request, waiting for it (for at most `limit`).
    net::awaitable<received> next(std::chrono::milliseconds limit = 10s)
    {
        auto const deadline = std::chrono::steady_clock::now() + limit;
        while(queue_.empty())
        {
            REQUIRE(std::chrono::steady_clock::now() < deadline);
            arrived_.expires_at(deadline);
            co_await arrived_.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        auto r = std::move(queue_.front());
        queue_.pop_front();
        ++taken_;
        co_return r;
    }

private:
    net::awaitable<net::response> on(net::request req)
    {
        queue_.push_back({req.method, std::string(req.path()), std::string(req.fields.value_or("Content-Type")), req.body});
        arrived_.cancel();
        co_return net::make_response(200, "{}");
    }

    asio::steady_timer arrived_;
    std::deque<received> queue_;
    std::size_t taken_ = 0;
    std::shared_ptr<net::router> routes_ = std::make_shared<net::router>();
    std::unique_ptr<net::server> server_;
};

struct mapper_world
{
    asio::io_context ioc;
    receiver callbacks{ioc};
    std::unique_ptr<mapper::mapper_actor> mapper;
    net::strand client_strand{asio::make_strand(ioc)};
    net::client client{client_strand};

    explicit mapper_world(mapper::mapper_config cfg = {})
    {
        cfg.port = 0;
        mapper = std::make_unique<mapper::mapper_actor>(asio::make_strand(ioc), std::move(cfg));
        mapper->start();
    }

    void run(net::awaitable<void> task, std::chrono::seconds limit = 60s)
    {
        std::exception_ptr failure;
        bool finished = false;
        asio::co_spawn(client_strand, std::move(task), [&](std::exception_ptr e) {
            failure = e;
            finished = true;
            mapper->stop();
            callbacks.stop();
            client.close();
            ioc.stop();
        });
        ioc.run_for(limit);
        if(failure)
            std::rethrow_exception(failure);
        if(!finished)
            throw std::runtime_error("mapper test did not finish within its time limit");
    }

    /// One request to the mapper; the headers given as name, value pairs.
    net::awaitable<net::response> call(net::method m, std::string target, std::string body,
                                       std::map<std::string, std::string> headers = {})
    {
        net::request req;
        req.method = m;
        if(!body.empty())
            req.fields.set("Content-Type", "application/json");
        for(auto const& [k, v] : headers)
            req.fields.set(k, v);
        req.body = std::move(body);
        auto const url = mapper->url() + target;
        auto res = co_await client.send(url, std::move(req), 10s);
        REQUIRE(res.has_value());
        co_return std::move(*res);
    }

    /// PH-EE's two headers, the callback to the receiver's /cb/<name>.
    std::map<std::string, std::string> phee_headers(std::string const& name, std::string institution = "greenbank")
    {
        return {{"X-CallbackURL", callbacks.url() + "/cb/" + name}, {"X-Registering-Institution-ID", institution}};
    }
};

} // namespace mojasim::test
