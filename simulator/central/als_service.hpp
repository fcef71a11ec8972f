// /parties and /participants: the account lookup service (ALS, fspiop.md §7.8). Lookups ask
// the oracle for the party's FSP and route GET /parties there; the payee's PUT /parties
// (and its /error) go back to the requester; POST/DELETE /participants register parties in
// the oracle and call back. Errors as the real ALS raises them: 3204 party not found, 3200
// unknown requester (at the API layer), 3201 unknown destination or no endpoint, 1001 when
// the destination does not take the message, 3003/3040 for failed registrations.
#pragma once

#include "simulator/central/hub_context.hpp"
#include "simulator/fspiop/types.hpp"
#include "simulator/net/router.hpp"

#include <string>
#include <vector>

namespace mojasim::central {

class als_service
{
public:
    explicit als_service(hub_context& ctx);

    void add_routes(net::router& r);

    net::awaitable<net::response> on_get_parties(net::request req);
    net::awaitable<net::response> on_get_participants(net::request req);
    net::awaitable<net::response> on_post_participants(net::request req);
    net::awaitable<net::response> on_delete_participants(net::request req);
    net::awaitable<net::response> on_post_participants_batch(net::request req);

    /// A party path: /parties|participants/{Type}/{ID}[/{SubId}], owned.
    struct party_path
    {
        std::string type;
        std::string id;
        std::string sub_id;

        [[nodiscard]] template_params params() const;
        [[nodiscard]] std::string path(std::string_view resource, std::string_view tail = {}) const;
    };

    /// What an oracle said: the owning FSPs, or an error to report (3204, 2003).
    struct lookup_result
    {
        std::vector<std::string> fsps;
        std::optional<fspiop::error_information> error;
    };

private:
    net::awaitable<lookup_result> lookup(party_path pp, std::string currency);
    net::awaitable<std::optional<fspiop::error_information>> register_party(party_path pp, std::string currency,
                                                                            std::string fsp);
    net::awaitable<std::optional<fspiop::error_information>> unregister_party(party_path pp, std::string currency,
                                                                              std::string fsp);

    net::awaitable<void> resolve_party(net::request req, party_path pp, std::string source, fspiop::version v);
    net::awaitable<void> answer_participants(party_path pp, std::string source, std::string currency,
                                             fspiop::version v);
    net::awaitable<void> add_participant(party_path pp, std::string source, std::string fsp, std::string currency,
                                         fspiop::version v);
    net::awaitable<void> remove_participant(party_path pp, std::string source, std::string currency,
                                            fspiop::version v);
    net::awaitable<void> add_batch(fspiop::post_participants batch, std::string source, fspiop::version v);

    /// PUT /{resource}/{Type}/{ID}[/{SubId}] (or its /error, when `error`) from an FSP, Body
    /// its body (resource: parties, participants): sent on to FSPIOP-Destination; answers 200.
    template <class Body>
    net::awaitable<net::response> on_callback(net::request req, std::string_view resource, bool error);
    /// A batch callback (PUT /participants/{requestId} or its /error) sent on likewise.
    template <class Body>
    net::awaitable<net::response> on_batch_callback(net::request req, bool error);
    /// PUT /participants/{requestId}/error from the hub to `to`.
    void batch_error(std::string to, std::string const& request_id, fspiop::version v,
                     fspiop::error_information const& e);

    /// PUT /parties/.../error from the hub to `to`.
    void party_error(std::string to, party_path const& pp, fspiop::version v, fspiop::error_information const& e);
    /// PUT /{resource}/{Type}/{ID}[/{SubId}] (or its /error) from the hub to `to`.
    void callback(std::string_view resource, std::string to, party_path const& pp, fspiop::version v,
                  std::string body, bool error);
    /// Errors about a message passed on for `source` go back to it at its
    /// /{resource}/.../error.
    [[nodiscard]] hub_context::failure_handler errors_to(std::string_view resource, std::string source, party_path pp,
                                                         fspiop::version v);
    /// A /participants request from an FSP that may not send (unknown, inactive): its error
    /// callback is sent (the ALS answers 202 first, then fails; an unknown FSP has no endpoint,
    /// so the attempt is only counted). True when refused.
    bool refused_source(net::request const& req, party_path const& pp, fspiop::version v);
    /// hub_context::check_headers plus the path checks of the API layer: Type a
    /// PartyIdType, ID and SubId 1..128 characters (3100, the hub validator's words). On success `v` and `pp` are set. A
    /// request's FSPIOP-Source is only checked for its format (see refused_source).
    [[nodiscard]] std::optional<net::response> check_request(net::request const& req, bool is_request,
                                                             fspiop::version& v, party_path& pp) const;

    hub_context& ctx_;
};

} // namespace mojasim::central
