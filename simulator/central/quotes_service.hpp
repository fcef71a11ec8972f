// /quotes: the quoting service in pass-through mode (fspiop.md §7.9): validate, ask the
// quote book (ledger/quote_book.hpp: answers only from the payee, duplicates) what to do,
// forward to the
// other FSP at its FSPIOP_CALLBACK_URL_QUOTES base. 3201 when the destination is unknown,
// inactive, without an account in the currency or without an endpoint; 1001 when it does
// not take the message.
#pragma once

#include "simulator/central/hub_context.hpp"
#include "simulator/ledger/quote_book.hpp"
#include "simulator/net/router.hpp"

#include <string>

namespace mojasim::central {

class quotes_service
{
public:
    explicit quotes_service(hub_context& ctx);

    void add_routes(net::router& r);

    net::awaitable<net::response> on_post_quotes(net::request req);
    net::awaitable<net::response> on_get_quote(net::request req);
    net::awaitable<net::response> on_put_quote(net::request req);
    net::awaitable<net::response> on_put_quote_error(net::request req);

private:
    /// Forward `req` as `m` `uri` to `to` at its quotes base + `uri`; errors go back to
    /// `source` at /quotes/{id}/error.
    void forward(net::request req, net::method m, std::string_view uri, std::string source, std::string to,
                 std::string quote_id, fspiop::version v);
    void quote_error(std::string to, std::string const& quote_id, fspiop::version v,
                     fspiop::error_information const& e);

    hub_context& ctx_;
    ledger::quote_book book_;
};

} // namespace mojasim::central
