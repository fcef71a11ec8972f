// /bulkTransfers: the shell around ledger::bulk_book (the bulk-api-adapter and the bulk
// handlers of central-ledger in the real hub). Each handler checks headers and body as
// hub_context does for every FSPIOP message, asks the book, answers 202/200 and carries the
// book's effects out: the prepared items to the payee's FSPIOP_CALLBACK_URL_BULK_TRANSFER_POST,
// the result to the payer's FSPIOP_CALLBACK_URL_BULK_TRANSFER_PUT, errors to
// FSPIOP_CALLBACK_URL_BULK_TRANSFER_ERROR. The items are transfers of the switch's transfer
// book; the transfers service's sweeper expires them and hands them here (on_expired).
#pragma once

#include "simulator/central/hub_context.hpp"
#include "simulator/net/router.hpp"

#include <optional>
#include <vector>

namespace mojasim::central {

class bulk_transfers_service
{
public:
    explicit bulk_transfers_service(hub_context& ctx);

    void add_routes(net::router& r);

    net::awaitable<net::response> on_post(net::request req);
    net::awaitable<net::response> on_get(net::request req);
    net::awaitable<net::response> on_put(net::request req);
    net::awaitable<net::response> on_put_error(net::request req);

    /// The sweeper's expiries: the bulks' items are taken out of `due` and the bulks left
    /// with nothing reserved are finished (the payer is told).
    void on_expired(std::vector<ledger::expiry>& due);

private:
    /// Carry a decision out; `original` is the request being handled (forwarded when the
    /// book says so), `prepare` its decoded body for a POST.
    void carry_out(ledger::bulk_decision& d, fspiop::version v, std::optional<net::request> original,
                   fspiop::post_bulk_transfers const* prepare = nullptr);

    hub_context& ctx_;
};

} // namespace mojasim::central
