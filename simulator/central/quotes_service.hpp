// /quotes: the quoting service in pass-through mode (fspiop.md §7.9): validate, check that
// an answer (PUT /quotes/{ID}, /error) to a known quote comes from its payee and goes to its
// payer (3100 to the sender otherwise, nothing forwarded or recorded), detect
// duplicates (3106 for a changed body; the same body is sent on again), forward to the
// other FSP at its FSPIOP_CALLBACK_URL_QUOTES base. 3201 when the destination is unknown,
// inactive, without an account in the currency or without an endpoint; 1001 when it does
// not take the message.
#pragma once

#include "simulator/central/hub_context.hpp"
#include "simulator/net/router.hpp"

#include <string>
#include <unordered_map>

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

    /// What the service remembers of a quote: who asked whom, and the hashes of the request
    /// and of the payee's answer, for duplicate detection.
    struct quote_record
    {
        std::string payer;
        std::string payee;
        ledger::body_digest request_hash{};
        std::optional<ledger::body_digest> response_hash;
    };

    [[nodiscard]] quote_record const* find(std::string_view quote_id) const;

private:
    /// Forward `req` as `m` `uri` to `to` at its quotes base + `uri`; errors go back to
    /// `source` at /quotes/{id}/error.
    void forward(net::request req, net::method m, std::string_view uri, std::string source, std::string to,
                 std::string quote_id, fspiop::version v);
    void quote_error(std::string to, std::string const& quote_id, fspiop::version v,
                     fspiop::error_information const& e);

    hub_context& ctx_;
    std::unordered_map<std::string, quote_record, ledger::string_hash, std::equal_to<>> quotes_;
};

} // namespace mojasim::central
