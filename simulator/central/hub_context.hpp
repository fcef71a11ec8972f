// What the switch's services share: the ledger, the oracles, the callback client, the
// header checks of the API layer and the way messages leave the hub (rendered endpoint
// templates, forwarded or hub-written headers, failures logged and counted). Internal to
// simulator/central; everything here runs on the actor's executor.
#pragma once

#include "simulator/admin/admin_api.hpp"
#include "simulator/central/config.hpp"
#include "simulator/central/oracle.hpp"
#include "simulator/core/clock.hpp"
#include "simulator/fspiop/codec.hpp"
#include "simulator/fspiop/errors.hpp"
#include "simulator/fspiop/headers.hpp"
#include "simulator/ledger/bulk_book.hpp"
#include "simulator/ledger/participant_registry.hpp"
#include "simulator/ledger/settlement_book.hpp"
#include "simulator/ledger/transfer_book.hpp"
#include "simulator/net/awaitable.hpp"
#include "simulator/net/client.hpp"
#include "simulator/net/message.hpp"

#include <boost/system/result.hpp>
#include <spdlog/logger.h>

#include <cstdint>
#include <functional>
#include <map>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace mojasim::central {

/// Endpoint types of central-ledger: their one home is the Admin API library.
namespace endpoint = admin_api::endpoint;

/// Values for the {{placeholders}} of an endpoint template. Views must outlive render().
struct template_params
{
    std::string_view party_id_type;
    std::string_view party_identifier;
    std::string_view party_sub_id_or_type;
    std::string_view transfer_id;
    std::string_view request_id;
    std::string_view bulk_transfer_id;
    std::string_view bulk_quote_id;
    std::string_view id;
};

/// Render a Mustache-style endpoint template: each {{name}} is replaced by its value,
/// with characters that cannot stand in a URL path percent-encoded; unknown names render
/// empty (as Mustache does).
std::string render(std::string_view tmpl, template_params const& p);

/// "/{resource}/{id}{tail}": the path of a message about one quote, transfer, ...
std::string resource_path(std::string_view resource, std::string_view id, std::string_view tail = {});

/// The FSPIOP-URI of a message sent to `url`: its path from the first FSPIOP resource
/// segment on ("/transfers/{ID}/error"), as ml-api-adapter derives it from its endpoint
/// templates; the whole path when no segment names a resource. Query strings are dropped.
std::string callback_uri(std::string_view url);

/// The API version kept with a transfer (ledger tag) and back.
std::uint8_t version_tag(fspiop::version v) noexcept;
fspiop::version version_of_tag(std::uint8_t tag) noexcept;

/// Callbacks the hub has tried to send.
struct callback_stats
{
    std::uint64_t sent = 0;      ///< attempts
    std::uint64_t delivered = 0; ///< answered 2xx
    std::uint64_t failed = 0;    ///< no endpoint, unreachable, timed out or non-2xx
    std::map<std::string, std::uint64_t, std::less<>> failed_by_fsp;
};

class hub_context
{
public:
    hub_context(net::executor ex, switch_config cfg, core::clock const& clock);

    net::executor ex;
    switch_config cfg;
    core::clock const& clock;
    std::shared_ptr<spdlog::logger> log;

    ledger::participant_registry participants;
    ledger::settlement_book settlement;
    ledger::transfer_book transfers;
    /// Bulk transfers: their items are transfers of `transfers`.
    ledger::bulk_book bulk_transfers{transfers, ledger::bulk_book_options{!cfg.strict_spec}};
    oracle_registry oracles;
    net::client client;
    callback_stats stats;
    /// When the switch was made: GET /health reports it and the uptime since.
    std::chrono::system_clock::time_point started = std::chrono::system_clock::now();
    /// The switch's state that holds this context: every spawned task keeps it alive until
    /// the task ends (docs/engineering.md, "Lifetime").
    std::weak_ptr<void const> owner;

    /// The API layer's header checks (fspiop.md §3) plus an FSPIOP-Source that names a
    /// known, active FSP. On success `v` holds the request's version; otherwise the
    /// synchronous error response is returned.
    /// With `defer_source` the FSPIOP-Source is only checked for its format: the ALS accepts
    /// a request from an unknown FSP and fails it afterwards (see source_problem).
    [[nodiscard]] std::optional<net::response> check_headers(net::request const& req, bool is_request,
                                                             fspiop::version& v, bool defer_source = false) const;

    /// With JWS validation on: the FSPIOP-Signature of a POST, PUT or PATCH from `source`,
    /// when the hub holds `source`'s public key (400 with 3105 when missing or invalid).
    [[nodiscard]] std::optional<net::response> check_signature(net::request const& req, std::string_view source) const;

    /// With JWS signing on: sign `req` when the hub wrote it (FSPIOP-Source is the hub) and it
    /// has a body, over its FSPIOP-URI and FSPIOP-HTTP-Method headers.
    void sign_if_hub_made(net::request& req) const;

    /// Why `source` may not send FSPIOP requests (3200: unknown, the hub, inactive); empty
    /// when it may.
    [[nodiscard]] std::optional<fspiop::error_information> source_problem(std::string_view source) const;

    /// check_headers, then the path's {ID} (the route's placeholder `param`) must be a
    /// CorrelationId (3100, the hub's pattern; with strict_spec the request version's). On
    /// success `v` and `id` are set.
    [[nodiscard]] std::optional<net::response> check_headers_and_id(net::request const& req, bool is_request,
                                                                    fspiop::version& v, std::string& id,
                                                                    std::string_view param = "ID") const;

    /// check_headers, then the body decoded as T under the request's version: the body, or the
    /// synchronous answer to send instead (the header error, or 400 with errorInformation).
    /// `needs_destination`: the service's OpenAPI requires FSPIOP-Destination (the quoting
    /// service's POST /quotes): 3102 when it is absent.
    template <class T>
    [[nodiscard]] boost::system::result<T, net::response> read_request(net::request const& req,
                                                                       fspiop::version& v,
                                                                       bool needs_destination = false) const
    {
        if(auto bad = check_headers(req, true, v))
            return std::move(*bad);
        if(needs_destination && !req.fields.get("FSPIOP-Destination"))
        {
            auto missing = fspiop::missing_header("fspiop-destination");
            return net::make_response(missing.http_status, std::move(missing.body));
        }
        return decoded<T>(req, v);
    }

    /// The same for a callback (PUT .../{ID}, .../{ID}/error): check_headers_and_id first.
    template <class T>
    [[nodiscard]] boost::system::result<T, net::response> read_callback(net::request const& req, fspiop::version& v,
                                                                        std::string& id) const
    {
        if(auto bad = check_headers_and_id(req, false, v, id))
            return std::move(*bad);
        return decoded<T>(req, v);
    }

    /// A transfer's or a bulk transfer's PUT .../{ID}/error: read_callback, then, as
    /// ml-api-adapter does before accepting, a refusal of error codes outside the FSPIOP
    /// numbering.
    [[nodiscard]] boost::system::result<fspiop::error_information_object, net::response>
    read_error_callback(net::request const& req, fspiop::version& v, std::string& id) const
    {
        auto body = read_callback<fspiop::error_information_object>(req, v, id);
        if(!body)
            return body;
        auto const& code = body->error_information.error_code;
        if(!fspiop::is_spec_error_code(code))
            return reject(fspiop::errc::generic_validation_error,
                          "The incoming error code: " + code + " is not a valid mojaloop specification error code");
        return body;
    }

    /// A synchronous 400 (or the code's status) with errorInformation.
    [[nodiscard]] static net::response reject(fspiop::errc code, std::string_view detail = {});


    /// The URL of `fsp`'s endpoint `type` rendered with `p`, plus `suffix`; empty when the
    /// FSP or the endpoint is unknown.
    [[nodiscard]] std::optional<std::string> endpoint_url(std::string_view fsp, std::string_view type,
                                                          template_params const& p,
                                                          std::string_view suffix = {}) const;

    /// A message the hub writes itself: FSPIOP-Source is the hub, Content-Type the
    /// resource's media type in version `v` (`resource` as in "quotes"), a fresh Date,
    /// FSPIOP-HTTP-Method and, when given, FSPIOP-URI (the message's own path; else send()
    /// derives it from the URL).
    [[nodiscard]] net::request hub_request(net::method m, std::string_view resource, fspiop::version v,
                                           std::string_view destination, std::string body,
                                           std::string_view uri = {}) const;

    /// The incoming request made ready to forward: headers and body untouched except the
    /// hop-by-hop ones (Host and Content-Length are set by the client), FSPIOP-URI and
    /// FSPIOP-HTTP-Method set to the outgoing message's path and method (ml-api-adapter's
    /// callback headers carry both on every message, signed or not).
    [[nodiscard]] static net::request forwarded(net::request req, net::method m, std::string_view uri);

    /// Send `req` to `url` (an endpoint of `fsp`) after the current handler has answered;
    /// a message without FSPIOP-HTTP-Method or FSPIOP-URI gets them (its method, and
    /// callback_uri(url)). Counts the outcome and logs failures. True when a 2xx came back.
    net::awaitable<bool> send(std::string fsp, std::string url, net::request req);

    /// What to do when a passed-on message was not taken: usually send the error back to
    /// the message's sender at its error callback.
    using failure_handler = std::function<void(fspiop::error_information const&)>;

    /// Pass `req` on to `url` (an endpoint of `to`) in the background; when `to` does not
    /// take it, `on_failure` hears 1001 "<to> did not take the message".
    void relay(std::string to, std::string url, net::request req, failure_handler on_failure);

    /// Where a passed-on message goes: the destination's endpoint `type` rendered with
    /// `params`, plus `suffix` (for base endpoints such as FSPIOP_CALLBACK_URL_QUOTES).
    struct destination_endpoint
    {
        std::string_view type;
        template_params params;
        std::string_view suffix;
    };

    /// Pass an FSP's message on, as the hub's pass-through services do: `req` goes to `to`
    /// (its FSPIOP-Destination) at `where`, as `m` `uri` with its headers and body
    /// (forwarded()). When `to` is empty, not an active FSP or without that endpoint,
    /// `on_failure` hears 3201 at once; when `to` does not take it, relay()'s 1001.
    void pass_on(net::request req, std::string to, destination_endpoint const& where, net::method m,
                 std::string_view uri, failure_handler on_failure);

    /// Fire and forget: render `fsp`'s endpoint and send; a missing endpoint is logged and
    /// counted as a failure.
    void dispatch(std::string fsp, std::string_view type, template_params const& p, std::string_view suffix,
                  net::request req);

    /// Start a background task on the actor's executor (failures logged); it holds `owner`.
    void spawn(net::awaitable<void> task);

    /// Count a callback that could not even be attempted.
    void count_failure(std::string_view fsp, std::string_view what);

private:
    /// The body decoded as T, or 400 with the decoder's errorInformation.
    template <class T>
    [[nodiscard]] boost::system::result<T, net::response> decoded(net::request const& req, fspiop::version v) const
    {
        auto body = fspiop::decode<T>(req.body, v.major, cfg.strict_spec);
        if(!body)
            return net::make_response(400, body.error().body());
        return std::move(*body);
    }

    net::awaitable<void> relay_task(std::string to, std::string url, net::request req, failure_handler on_failure);
};

} // namespace mojasim::central
