// The payer side's outbound transfer, and its flow through lookup, quote and transfer as a
// state machine without I/O (the shape of ledger::transfer_book and Boost.Redis's FSMs):
// outbound_flow takes each acknowledgement and callback (or timeout) and returns the next
// action (send a request, wait for its callback, stop and answer the caller); the coroutine
// in connector_flows.cpp carries the actions out. Funds are blocked, booked and released in
// the bank as the flow decides.
#pragma once

#include "simulator/connector/types.hpp"
#include "simulator/core/clock.hpp"
#include "simulator/core/ids.hpp"
#include "simulator/dfsp/bank.hpp"
#include "simulator/dfsp/config.hpp"
#include "simulator/fspiop/errors.hpp"
#include "simulator/fspiop/types.hpp"
#include "simulator/net/message.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace mojasim::dfsp::detail {

/// A callback the payer side waits for.
struct callback
{
    bool error = false;                 ///< arrived on .../error
    std::string body;
    connector::header_list headers;     ///< lowercase names, as the SDK echoes them
    std::string source;                 ///< FSPIOP-Source
};

enum class outbound_stage : std::uint8_t
{
    lookup,
    party_acceptance,
    quote,
    quote_acceptance,
    transfer,
    done,
};

/// One transfer of the connector's outbound API.
struct outbound_transfer
{
    std::string transfer_id;
    connector::transfer_request request;
    outbound_stage stage = outbound_stage::lookup;
    connector::transfer_status state = connector::transfer_status::waiting_for_party_acceptance;
    bool busy = false;                    ///< a request is advancing it now
    std::string payer_account;
    fspiop::party payee;                  ///< from the lookup (or the request when skipped)
    std::string payee_fsp;
    std::optional<connector::parties_response> party_response;
    std::string quote_id;
    std::optional<fspiop::put_quotes> quote;
    std::optional<connector::quote_response> quote_response;
    std::string quote_source;
    std::optional<connector::fulfil_response> fulfil;
    std::optional<connector::transfer_error> last_error;
    std::string error_message;            ///< `message` of the error answer
    unsigned error_status = 500;          ///< HTTP status of the error answer
    bool funds_blocked = false;
    bool unresolved = false;              ///< prepare sent, outcome unknown: funds stay blocked
    /// A payee's request to pay that the payer accepted: the quote names it and carries its
    /// transaction type, and neither the party nor the quote waits for an acceptance.
    std::string transaction_request_id;
    std::optional<fspiop::transaction_type> requested_type;
};

/// "/{resource}/{type}/{id}[/{subId}]" (parties or participants), id and subId percent-encoded.
std::string party_path(std::string_view resource, std::string_view type, std::string_view id, std::string_view sub_id);

// fspiop -> connector conversions (the connector echoes what the switch sent).
connector::party to_connector(fspiop::party const& p);
connector::error_information to_connector(fspiop::error_information const& e);
connector::quote_response_body to_connector(fspiop::put_quotes const& q);
connector::fulfil_body to_connector(fspiop::put_transfers const& t);
/// The FSPIOP Party of a connector transferParty, with `fsp_id`.
fspiop::party to_fspiop(connector::transfer_party const& p, std::string const& fsp_id);


// How an outbound transfer fails, as the SDK reports it (outbound_flow.cpp).
connector::error_information error_info(fspiop::errc code, std::string_view detail = {});
/// The errorInformation of an error callback body.
connector::error_information error_of(std::string const& body);
void fail(outbound_transfer& t, unsigned status, std::int32_t http_status_code,
          std::optional<connector::error_information> info, std::string message);
/// The switch (or the payee through it) answered with an error callback.
void fail_callback(outbound_transfer& t, connector::error_information info, std::string_view what);
/// Nobody called back in time: 504 and a lastError with no Mojaloop error.
void fail_timeout(outbound_transfer& t, std::string_view what, std::chrono::milliseconds waited);
/// Settle a transfer from its fulfil or error callback, booking or releasing its funds; false
/// when the callback leaves the outcome open (a non-final state, an unreadable body).
bool settle_outbound(bank& money, outbound_transfer& t, callback& cb);

class outbound_flow
{
public:
    /// Which callback a request is answered by (the shell registers its waiter before sending).
    enum class step : std::uint8_t
    {
        lookup,  ///< GET /parties: PUT /parties/... by party key
        quote,   ///< POST /quotes: PUT /quotes/{quote_id}
        prepare, ///< POST /transfers: PUT /transfers/{transfer_id}
        status,  ///< GET /transfers/{transfer_id}: PUT /transfers/{transfer_id}
    };
    /// Send an FSPIOP request to the switch (at the step's base URL + path).
    struct send
    {
        step what;
        net::method method;
        std::string resource;    ///< for the content type ("parties", "quotes", "transfers")
        std::string path;        ///< "/parties/MSISDN/0495..." (percent-encoded)
        std::string destination; ///< FSPIOP-Destination, empty for none
        std::string body;
        std::string waiter_key;  ///< party key, quote id or transfer id
    };
    /// Wait this long for the callback of the request just acknowledged.
    struct wait
    {
        std::chrono::milliseconds timeout;
    };
    /// Answer the caller now: the transfer is done or waits for an acceptance.
    struct stop
    {
    };
    using action = std::variant<send, wait, stop>;

    /// `payer_fsp` is the DFSP's own id; `o` its connector settings (timeouts, expiries,
    /// auto-accept).
    outbound_flow(outbound_transfer& t, bank& money, std::string payer_fsp, connector_config const& o,
                  core::id_generator& ids, core::clock const& clock);

    /// Go on from the transfer's stage (lookup, quote or transfer).
    action advance();
    /// The switch's synchronous answer to the request sent, or nullopt when it was unreachable.
    action on_ack(std::optional<net::response> const& ack);
    /// The callback, or nullopt when none came within the wait.
    action on_callback(std::optional<callback> cb);

private:
    enum class state : std::uint8_t
    {
        idle,
        lookup_sent,
        lookup_waiting,
        quote_sent,
        quote_waiting,
        prepare_sent,
        prepare_waiting,
        status_sent,
        status_waiting,
        stopped,
    };

    action lookup_answered(callback cb);
    action quote_answered(callback cb);
    action status_query();
    action unresolved();
    action stopped();

    outbound_transfer& t_;
    bank& money_;
    std::string payer_fsp_;
    connector_config const& o_;
    core::id_generator& ids_;
    core::clock const& clock_;
    state state_ = state::idle;
    std::chrono::milliseconds prepare_timeout_{0};
};

} // namespace mojasim::dfsp::detail
