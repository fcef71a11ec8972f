#include "simulator/central/switch_actor.hpp"

#include "simulator/central/admin_service.hpp"
#include "simulator/central/als_service.hpp"
#include "simulator/central/bulk_transfers_service.hpp"
#include "simulator/central/quotes_service.hpp"
#include "simulator/central/requests_service.hpp"
#include "simulator/central/transfers_service.hpp"
#include "simulator/net/router.hpp"
#include "simulator/net/server.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/strand.hpp>

#include <optional>

namespace mojasim::central {

namespace {

using fspiop::errc;

// The answer, on both listeners, when no route matched.
net::response
not_routed(net::request const&, bool path_matched)
{
    if(path_matched)
        return net::make_response(405, fspiop::error_body(errc::generic_client_error, "method not allowed"));
    return net::make_response(404, fspiop::error_body(errc::unknown_uri));
}

// The FSPIOP answer for requests the server refused.
net::response
fspiop_refusal(net::request_error kind, std::string_view)
{
    switch(kind)
    {
    case net::request_error::body_too_large:
        return net::make_response(fspiop::http_status(errc::too_large_payload),
                                  fspiop::error_body(errc::too_large_payload));
    case net::request_error::header_too_large:
        return net::make_response(431, fspiop::error_body(errc::malformed_syntax, "header block too large"));
    case net::request_error::bad_request: break;
    }
    return net::make_response(400, fspiop::error_body(errc::malformed_syntax));
}

// What the hub's HTTP servers (Hapi on Node) put on every answer, 202 and 200 included:
// Date and Cache-Control: no-cache, and Content-Type when there is a body.
void
finish_answer(net::response& res, core::clock const& clock)
{
    if(!res.fields.contains("Date"))
        res.fields.add("Date", core::format_http_date(clock.now()));
    if(!res.fields.contains("Cache-Control"))
        res.fields.add("Cache-Control", "no-cache");
    if(!res.body.empty() && !res.fields.contains("Content-Type"))
        res.fields.add("Content-Type", "application/json");
}

// Both listeners take FSPIOP-sized bodies and the same timeouts.
net::server_options
listener_options(switch_config const& cfg, std::uint16_t port)
{
    return net::server_options{cfg.host,
                               port,
                               64 * 1024,
                               fspiop::max_content_length,
                               cfg.read_timeout,
                               std::chrono::milliseconds(60'000),
                               cfg.name};
}

} // namespace

struct switch_actor::parts
{
    parts(net::executor ex, switch_config cfg, core::clock const& clock)
        : ctx(ex, std::move(cfg), clock)
        , transfers(ctx)
        , als(ctx)
        , quotes(ctx, quotes_service::kind::single)
        , bulk_quotes(ctx, quotes_service::kind::bulk)
        , bulk_transfers(ctx)
        , requests(ctx)
        , admin(ctx)
    {
        transfers.add_routes(fspiop_routes);
        // GET /health on the FSPIOP listener too (the admin service answers it on its own).
        fspiop_routes.add(net::method::get, "/health", [this](net::request q) { return health(std::move(q)); });
        als.add_routes(fspiop_routes);
        quotes.add_routes(fspiop_routes);
        bulk_quotes.add_routes(fspiop_routes);
        bulk_transfers.add_routes(fspiop_routes);
        transfers.set_bulk_expiry([this](std::vector<ledger::expiry>& due) { bulk_transfers.on_expired(due); });
        requests.add_routes(fspiop_routes);
        fspiop_routes.set_fallback(not_routed);
        admin.add_routes(admin_routes);
        admin_routes.set_fallback(not_routed);
    }

    // The listeners, once the parts are shared: their sessions hold the parts through the
    // routes, and every task the context spawns holds them through `owner`, so the actor
    // can be destroyed with requests in progress (docs/engineering.md, "Lifetime").
    static void listen_on(std::shared_ptr<parts> const& self)
    {
        self->ctx.owner = self;
        auto const& cfg = self->ctx.cfg;
        self->fspiop_server.emplace(self->ctx.ex, std::shared_ptr<net::router const>(self, &self->fspiop_routes),
                                    listener_options(cfg, cfg.fspiop_port));
        self->admin_server.emplace(self->ctx.ex, std::shared_ptr<net::router const>(self, &self->admin_routes),
                                   listener_options(cfg, cfg.admin_port));
        self->fspiop_server->set_error_responder(fspiop_refusal);
        // The Admin API's own errors are FSPIOP error bodies: so are the listener's.
        self->admin_server->set_error_responder(fspiop_refusal);
        // The clock outlives the actor's state (switch_actor.hpp), so the finisher may hold it.
        auto finish = [&clock = self->ctx.clock](net::response& res) { finish_answer(res, clock); };
        self->fspiop_server->set_response_finisher(finish);
        self->admin_server->set_response_finisher(finish);
    }

    // On the executor.
    void stop()
    {
        fspiop_server->stop();
        admin_server->stop();
        transfers.stop();
        ctx.client.close();
    }

    net::awaitable<net::response> health(net::request req) { co_return admin.get_health(req); }

    hub_context ctx;
    transfers_service transfers;
    als_service als;
    quotes_service quotes;
    quotes_service bulk_quotes;
    bulk_transfers_service bulk_transfers;
    requests_service requests;
    admin_service admin;
    net::router fspiop_routes;
    net::router admin_routes;
    std::optional<net::server> fspiop_server;
    std::optional<net::server> admin_server;
};

switch_actor::
switch_actor(boost::asio::io_context& ioc, switch_config cfg, core::clock const& clock)
    : switch_actor(boost::asio::make_strand(ioc), std::move(cfg), clock)
{
}

switch_actor::
switch_actor(net::executor ex, switch_config cfg, core::clock const& clock)
    : p_(std::make_shared<parts>(std::move(ex), std::move(cfg), clock))
{
    parts::listen_on(p_);
}

switch_actor::~switch_actor()
{
    stop();
}

switch_ports
switch_actor::
start()
{
    switch_ports ports;
    ports.fspiop = p_->fspiop_server->listen();
    ports.admin = p_->admin_server->listen();
    // Links the Admin API writes (and logs) name the ports actually bound.
    p_->ctx.cfg.fspiop_port = ports.fspiop;
    p_->ctx.cfg.admin_port = ports.admin;
    p_->fspiop_server->start();
    p_->admin_server->start();
    p_->ctx.spawn(p_->transfers.run_sweeper());
    p_->ctx.log->info("switch {} listening: FSPIOP {}, Admin {}", p_->ctx.cfg.hub_name, fspiop_url(), admin_url());
    return ports;
}

void
switch_actor::
stop()
{
    // The stop runs on the executor and holds the parts until it has run.
    boost::asio::dispatch(p_->ctx.ex, [p = p_] { p->stop(); });
}

void
switch_actor::
set_trace(net::trace_sink sink)
{
    p_->fspiop_server->set_trace(sink);
    p_->admin_server->set_trace(sink);
    p_->ctx.client.set_trace(std::move(sink));
}

switch_config const&
switch_actor::
config() const noexcept
{
    return p_->ctx.cfg;
}

std::string
switch_actor::
fspiop_url() const
{
    return p_->fspiop_server->base_url();
}

std::string
switch_actor::
admin_url() const
{
    return p_->admin_server->base_url();
}

std::uint64_t
switch_actor::
requests_served() const noexcept
{
    return p_->fspiop_server->requests_served() + p_->admin_server->requests_served();
}

ledger::participant_registry const&
switch_actor::
participants() const noexcept
{
    return p_->ctx.participants;
}

ledger::transfer_book const&
switch_actor::
transfers() const noexcept
{
    return p_->ctx.transfers;
}

ledger::settlement_book const&
switch_actor::
settlement() const noexcept
{
    return p_->ctx.settlement;
}

builtin_oracle const&
switch_actor::
oracle() const noexcept
{
    return p_->ctx.oracles.builtin;
}

ledger::quote_book const&
switch_actor::
bulk_quotes() const noexcept
{
    return p_->bulk_quotes.book();
}

ledger::bulk_book const&
switch_actor::
bulk_transfers() const noexcept
{
    return p_->ctx.bulk_transfers;
}

callback_stats const&
switch_actor::
callbacks() const noexcept
{
    return p_->ctx.stats;
}

std::optional<core::decimal>
switch_actor::
position(std::string_view fsp, std::string_view currency) const
{
    auto const* p = p_->ctx.participants.find(fsp);
    if(!p)
        return std::nullopt;
    auto const* a = p_->ctx.participants.account_of(p->id, ledger::account_type::position, currency);
    if(!a)
        return std::nullopt;
    return a->value;
}

std::optional<ledger::transfer_state>
switch_actor::
transfer_state(std::string_view id) const
{
    return p_->ctx.transfers.state_of(id);
}

net::executor
switch_actor::
executor() const noexcept
{
    return p_->ctx.ex;
}

} // namespace mojasim::central
