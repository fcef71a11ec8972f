// /transfers: the shell around ledger::transfer_book (the ml-api-adapter + central-ledger
// of the real hub). Each handler checks headers and body, asks the book, answers 202/200 and
// leaves the book's effects to be carried out; the sweeper expires transfers on a timer.
#pragma once

#include "simulator/central/hub_context.hpp"
#include "simulator/net/router.hpp"

#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <optional>
#include <vector>
#include <string_view>

namespace mojasim::central {

class transfers_service
{
public:
    explicit transfers_service(hub_context& ctx);

    void add_routes(net::router& r);

    net::awaitable<net::response> on_post_transfers(net::request req);
    net::awaitable<net::response> on_get_transfer(net::request req);
    net::awaitable<net::response> on_put_transfer(net::request req);
    net::awaitable<net::response> on_put_transfer_error(net::request req);

    /// Expire due transfers every `expiry_sweep_interval` until stop().
    net::awaitable<void> run_sweeper();
    /// Stop the sweeper (on the executor).
    void stop();

    /// Expire what is due now (the sweeper's step; also for tests).
    void sweep();

    /// Who takes the expiries of bulk items out of a sweep's list before the rest are told
    /// as single transfers (the bulk transfers service).
    void set_bulk_expiry(std::function<void(std::vector<ledger::expiry>&)> f) { bulk_expiry_ = std::move(f); }

private:
    /// Where the forward effect of a decision goes: the endpoint type and method of the
    /// message being handled (its path follows from the endpoint type).
    struct forward_route
    {
        std::string_view endpoint_type;
        net::method method = net::method::post;
    };

    void carry_out(ledger::decision& d, std::string const& transfer_id, fspiop::version v,
                   std::optional<net::request> original, forward_route route);

    hub_context& ctx_;
    std::function<void(std::vector<ledger::expiry>&)> bulk_expiry_;
    boost::asio::steady_timer timer_;
    bool stopped_ = false;
};

} // namespace mojasim::central
