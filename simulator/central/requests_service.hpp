// /transactionRequests and /authorizations: the transaction-requests-service of the real hub,
// a pure pass-through (fspiop.md §1, §2.1). A payee FSP's request to pay (POST
// /transactionRequests) goes to the payer FSP; the payer's answer (PUT .../{ID}, its /error)
// and GETs go back to the FSP they name; GET /authorizations/{ID} (payer FSP -> payee FSP,
// ID = the transactionRequestId, with its query) and the payee's PUT /authorizations/{ID}
// (or /error) likewise. Each message is checked at the API layer (headers, known active
// source, the ID, the body against its schema) and forwarded with its headers and body to
// FSPIOP-Destination (for a POST without one: the payer's fspId) at the destination's
// FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE or FSPIOP_CALLBACK_URL_AUTHORIZATIONS base. An unknown,
// inactive or unreachable destination, or one without the endpoint, gets the sender 3201 at
// its own .../{ID}/error; a destination that does not take the message, 1001. The switch
// keeps nothing about them.
#pragma once

#include "simulator/central/hub_context.hpp"
#include "simulator/net/router.hpp"

#include <string>

namespace mojasim::central {

class requests_service
{
public:
    explicit requests_service(hub_context& ctx);

    void add_routes(net::router& r);

    /// One of the two resources: its path segment and its endpoint type.
    struct resource
    {
        std::string_view name;          ///< "transactionRequests", "authorizations"
        std::string_view endpoint_type; ///< the destination's base URL
        /// The GET's query checks (null: none); the synchronous answer when one fails.
        std::optional<net::response> (*check_query)(net::request const&) = nullptr;
    };

    net::awaitable<net::response> on_post_transaction_requests(net::request req);
    /// GET /{resource}/{ID} (with its query, for /authorizations).
    net::awaitable<net::response> on_get(resource const& res, net::request req);
    /// PUT /{resource}/{ID} (Body: the resource's PUT body) or .../error (Body:
    /// ErrorInformationObject, `tail` "/error").
    template <class Body>
    net::awaitable<net::response> on_put(resource const& res, net::request req, std::string_view tail);

private:
    /// Pass `req` on to `to` (its FSPIOP-Destination when empty) as `uri`; a failure goes back
    /// to its sender at /{resource}/{id}/error.
    void forward(resource const& res, net::request req, std::string_view uri, std::string id, fspiop::version v,
                 std::string to = {});
    /// PUT /{resource}/{id}/error from the hub to `to`.
    void send_error(resource const& res, std::string to, std::string const& id, fspiop::version v,
                    fspiop::error_information const& e);

    hub_context& ctx_;
};

} // namespace mojasim::central
