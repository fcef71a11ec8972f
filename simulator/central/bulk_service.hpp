// /bulkQuotes: the bulk quoting service in pass-through mode, as /quotes
// (central/quotes_service.hpp) with the same quote book rules (ledger/quote_book.hpp):
// validated; a resend (same body) sent on again to the payee, a changed body 3106 to the
// sender; answers (PUT /bulkQuotes/{ID} and its /error) only from the payee to the payer;
// forwarded to the other FSP at its FSPIOP_CALLBACK_URL_BULK_QUOTES base. The hub's limit of
// one payee FSP per bulk: FSPIOP-Destination is required (3102) and every individual quote
// naming a payee fspId must name it (3100); the payee must hold an active position account in
// every currency of the bulk (3201), as for a single quote.
#pragma once

#include "simulator/central/hub_context.hpp"
#include "simulator/ledger/quote_book.hpp"
#include "simulator/net/router.hpp"

#include <string>

namespace mojasim::central {

class bulk_quotes_service
{
public:
    explicit bulk_quotes_service(hub_context& ctx);

    void add_routes(net::router& r);

    net::awaitable<net::response> on_post(net::request req);
    net::awaitable<net::response> on_get(net::request req);
    net::awaitable<net::response> on_put(net::request req);
    net::awaitable<net::response> on_put_error(net::request req);

    [[nodiscard]] ledger::quote_book const& book() const noexcept { return book_; }

private:
    void forward(net::request req, net::method m, std::string_view uri, std::string source, std::string to,
                 std::string bulk_id, fspiop::version v);
    void bulk_error(std::string to, std::string const& bulk_id, fspiop::version v,
                    fspiop::error_information const& e);
    net::awaitable<net::response> on_answer(net::request req, bool is_error);

    hub_context& ctx_;
    ledger::quote_book book_;
};

} // namespace mojasim::central
