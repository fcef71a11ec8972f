// /quotes and /bulkQuotes: the quoting service in pass-through mode, one instance per
// resource. Each message is checked at the API layer, the quote book
// (ledger/quote_book.hpp: answers only from the payee, duplicates) says what to do, and the
// message goes on to the other FSP at its FSPIOP_CALLBACK_URL_QUOTES or
// FSPIOP_CALLBACK_URL_BULK_QUOTES base (hub_context::pass_on). FSPIOP-Destination is
// required on the POST (3102). 3201 when the destination is unknown, inactive, without an
// account in a currency of the request or without the endpoint; 1001 when it does not take
// the message. A bulk has one payee FSP, the destination: an individual quote naming another
// payee FSP refuses the whole bulk (3100).
#pragma once

#include "simulator/central/hub_context.hpp"
#include "simulator/ledger/quote_book.hpp"
#include "simulator/net/router.hpp"

#include <string>
#include <vector>

namespace mojasim::central {

class quotes_service
{
public:
    enum class kind : std::uint8_t
    {
        single, ///< /quotes
        bulk,   ///< /bulkQuotes
    };

    quotes_service(hub_context& ctx, kind k);

    void add_routes(net::router& r);

    net::awaitable<net::response> on_post(net::request req);
    net::awaitable<net::response> on_get(net::request req);
    net::awaitable<net::response> on_put(net::request req);
    net::awaitable<net::response> on_put_error(net::request req);

    [[nodiscard]] ledger::quote_book const& book() const noexcept { return book_; }

private:
    /// A POST whose body has passed its own checks: duplicates, the payee's accounts in
    /// `currencies`, then on to `to`.
    void admit(net::request req, fspiop::version v, std::string const& id, std::string to,
               std::vector<std::string> const& currencies);
    net::awaitable<net::response> on_answer(net::request req, bool is_error);
    /// Pass `req` on to `to`; failures go back to `source` at /{resource}/{id}/error.
    void forward(net::request req, net::method m, std::string_view uri, std::string source, std::string to,
                 std::string id, fspiop::version v);
    void quote_error(std::string to, std::string const& id, fspiop::version v, fspiop::error_information const& e);

    hub_context& ctx_;
    kind kind_;
    std::string_view resource_;      ///< "quotes", "bulkQuotes"
    std::string_view endpoint_type_; ///< the destination's base URL
    ledger::quote_book book_;
};

} // namespace mojasim::central
