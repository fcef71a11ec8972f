// The Admin API of the switch: central-ledger's (participants, accounts, limits, endpoints,
// funds in/out, settlement models), the ALS's (oracles) and central-settlement's (settlement
// windows, settlements). One home for the endpoint type names and the request bodies, one
// struct per body with its encoder and its decoder, so the switch reads them and its
// clients (the DFSPs' self-onboarding, the hub bootstrap, the benchmarks) write them one
// way. Encoding keeps central-ledger's member order.
#pragma once

#include "simulator/core/decimal.hpp"
#include "simulator/fspiop/errors.hpp"

#include <boost/assert/source_location.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mojasim::admin_api {

/// Endpoint types of central-ledger (fspiop.md §7.7).
namespace endpoint {
inline constexpr std::string_view participant_put = "FSPIOP_CALLBACK_URL_PARTICIPANT_PUT";
inline constexpr std::string_view participant_put_error = "FSPIOP_CALLBACK_URL_PARTICIPANT_PUT_ERROR";
inline constexpr std::string_view participant_sub_id_put = "FSPIOP_CALLBACK_URL_PARTICIPANT_SUB_ID_PUT";
inline constexpr std::string_view participant_sub_id_put_error = "FSPIOP_CALLBACK_URL_PARTICIPANT_SUB_ID_PUT_ERROR";
inline constexpr std::string_view participant_batch_put = "FSPIOP_CALLBACK_URL_PARTICIPANT_BATCH_PUT";
inline constexpr std::string_view participant_batch_put_error = "FSPIOP_CALLBACK_URL_PARTICIPANT_BATCH_PUT_ERROR";
inline constexpr std::string_view parties_get = "FSPIOP_CALLBACK_URL_PARTIES_GET";
inline constexpr std::string_view parties_put = "FSPIOP_CALLBACK_URL_PARTIES_PUT";
inline constexpr std::string_view parties_put_error = "FSPIOP_CALLBACK_URL_PARTIES_PUT_ERROR";
inline constexpr std::string_view parties_sub_id_get = "FSPIOP_CALLBACK_URL_PARTIES_SUB_ID_GET";
inline constexpr std::string_view parties_sub_id_put = "FSPIOP_CALLBACK_URL_PARTIES_SUB_ID_PUT";
inline constexpr std::string_view parties_sub_id_put_error = "FSPIOP_CALLBACK_URL_PARTIES_SUB_ID_PUT_ERROR";
inline constexpr std::string_view quotes = "FSPIOP_CALLBACK_URL_QUOTES";
/// Base: the bulk quotes service appends /bulkQuotes[/{ID}[/error]].
inline constexpr std::string_view bulk_quotes = "FSPIOP_CALLBACK_URL_BULK_QUOTES";
inline constexpr std::string_view bulk_transfer_post = "FSPIOP_CALLBACK_URL_BULK_TRANSFER_POST";
inline constexpr std::string_view bulk_transfer_put = "FSPIOP_CALLBACK_URL_BULK_TRANSFER_PUT";
inline constexpr std::string_view bulk_transfer_error = "FSPIOP_CALLBACK_URL_BULK_TRANSFER_ERROR";
inline constexpr std::string_view transfer_post = "FSPIOP_CALLBACK_URL_TRANSFER_POST";
inline constexpr std::string_view transfer_put = "FSPIOP_CALLBACK_URL_TRANSFER_PUT";
inline constexpr std::string_view transfer_error = "FSPIOP_CALLBACK_URL_TRANSFER_ERROR";
/// Bases: the transaction-requests service appends /transactionRequests[/{ID}[/error]].
inline constexpr std::string_view trx_req_service = "FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE";
/// ... and /authorizations/{ID}[/error] (with the GET's query).
inline constexpr std::string_view authorizations = "FSPIOP_CALLBACK_URL_AUTHORIZATIONS";
} // namespace endpoint

/// Why the switch refuses a request body: central-ledger's FSPIOP error code and detail.
struct request_error
{
    fspiop::errc code = fspiop::errc::malformed_syntax;
    std::string detail;

    friend bool operator==(request_error const&, request_error const&) = default;
};

/// Thrown only when value() is called on a failed decode: a bug in the caller.
[[noreturn]] inline void throw_exception_from_error(request_error const& e, boost::source_location const&)
{
    throw std::invalid_argument("value() of a refused Admin API body: " + e.detail);
}

/// Either the body or why it is refused; test it like a pointer.
template <class T>
using decoded = boost::system::result<T, request_error>;

// Every decoder below parses the body with parse_exact (json_io.hpp: numbers keep their
// text, so money never passes through a double) and applies the switch's checks in the
// switch's order, stopping at the first. A body that is not a JSON object
// is 3101 "the body must be a JSON object"; an absent member 3102 "<name> is required".
// Checks that need the switch's state (does the participant exist, is the account type
// known to the ledger) are the switch's.

/// The body as a JSON object, or 3101 "the body must be a JSON object": for a handler that
/// checks its path between the body's shape and its members (then decodes the value).
decoded<boost::json::value> decode_object(std::string_view body);

/// POST /participants: {"name","currency"}. The name has 2..30 characters.
struct participant
{
    std::string name;
    std::string currency;

    friend bool operator==(participant const&, participant const&) = default;
};
std::string encode(participant const& p);
decoded<participant> decode_participant(std::string_view body);

/// PUT /participants/{name} and PUT /participants/{name}/accounts/{id}: {"isActive"} (a
/// boolean, or 1/0 as Joi's truthy/falsy allow).
struct activation
{
    bool is_active = true;

    friend bool operator==(activation const&, activation const&) = default;
};
std::string encode(activation const& a);
decoded<activation> decode_activation(std::string_view body);

/// mojasim extension: PUT /participants/{name}/jwsKey {"publicKey": "<PEM>"} registers an
/// FSP's public JWS key (the real hub reads its keys from a folder); GET answers the same body
/// (for the hub's name: the hub's own signing key's public half).
struct jws_key
{
    std::string public_key;

    friend bool operator==(jws_key const&, jws_key const&) = default;
};
std::string encode(jws_key const& k);
decoded<jws_key> decode_jws_key(std::string_view body);

/// POST /participants/Hub/accounts: {"type","currency"} (HUB_MULTILATERAL_SETTLEMENT, ...).
struct hub_account
{
    std::string type;
    std::string currency;

    friend bool operator==(hub_account const&, hub_account const&) = default;
};
std::string encode(hub_account const& a);
decoded<hub_account> decode_hub_account(std::string_view body);

/// POST /participants/{name}/endpoints: {"type","value"}, a type of `endpoint` above and
/// its URL template.
struct endpoint_registration
{
    std::string type;
    std::string value;

    friend bool operator==(endpoint_registration const&, endpoint_registration const&) = default;
};
std::string encode(endpoint_registration const& e);
decoded<endpoint_registration> decode_endpoint_registration(std::string_view body);

/// The FSPIOP callback endpoints an operator registers for a DFSP whose FSPIOP API is at
/// `base`: parties, participants, quotes, transaction requests, authorizations and transfers,
/// with central-ledger's {{placeholders}}.
std::vector<endpoint_registration> fspiop_endpoints(std::string const& base);

/// The transfer endpoints alone (POST, PUT, error): enough for an FSP that only transfers.
std::vector<endpoint_registration> transfer_endpoints(std::string const& base);

/// POST /participants/{name}/initialPositionAndLimits:
/// {"currency","limit":{"type":"NET_DEBIT_CAP","value"},"initialPosition"}. NET_DEBIT_CAP is
/// the only limit type; initialPosition may be absent (0).
struct initial_position_and_limits
{
    std::string currency;
    core::decimal net_debit_cap; ///< limit.value
    core::decimal initial_position;

    friend bool operator==(initial_position_and_limits const&, initial_position_and_limits const&) = default;
};
std::string encode(initial_position_and_limits const& l);
decoded<initial_position_and_limits> decode_initial_position_and_limits(std::string_view body);

/// PUT /participants/{name}/limits:
/// {"currency","limit":{"type":"NET_DEBIT_CAP","value","alarmPercentage"}}.
struct limits_update
{
    std::string currency;
    core::decimal net_debit_cap;          ///< limit.value
    std::uint64_t alarm_percentage = 10; ///< limit.alarmPercentage, as sent (the switch caps it)

    friend bool operator==(limits_update const&, limits_update const&) = default;
};
std::string encode(limits_update const& l);
decoded<limits_update> decode_limits_update(std::string_view body);

/// POST /settlementModels. The account types stay names: the ledger knows which exist.
struct settlement_model
{
    std::string name = "DEFERREDNET";
    std::string granularity = "NET";          ///< GROSS or NET
    std::string interchange = "MULTILATERAL"; ///< BILATERAL or MULTILATERAL
    std::string delay = "DEFERRED";           ///< IMMEDIATE or DEFERRED
    std::string currency; ///< empty: the model applies to every currency (not written)
    bool require_liquidity_check = true;
    std::string ledger_account_type = "POSITION";
    std::string settlement_account_type = "SETTLEMENT"; ///< kept when the body has none
    bool auto_position_reset = true;

    friend bool operator==(settlement_model const&, settlement_model const&) = default;
};
std::string encode(settlement_model const& m);
decoded<settlement_model> decode_settlement_model(std::string_view body);

/// Funds in or out of a settlement account: POST /participants/{name}/accounts/{id} takes
/// every action (central-ledger's first leg, and here commit and abort too), PUT
/// .../accounts/{id}/transfers/{transferId} only recordFundsOutCommit and
/// recordFundsOutAbort, with the transfer id of its path. externalReference and amount
/// belong to the actions that move money (recordFundsIn, recordFundsOutPrepareReserve) and
/// are not read for the others.
struct funds_movement
{
    std::string transfer_id;
    std::string external_reference;
    std::string action = "recordFundsIn"; ///< or recordFundsOutPrepareReserve, ...Commit, ...Abort
    std::string reason;
    core::decimal amount;
    std::string currency;

    friend bool operator==(funds_movement const&, funds_movement const&) = default;
};
std::string encode(funds_movement const& f);
/// `put`: the body of PUT .../transfers/{transferId}, whose id is `transfer_id`.
decoded<funds_movement> decode_funds_movement(std::string_view body, bool put = false,
                                              std::string_view transfer_id = {});
decoded<funds_movement> decode_funds_movement(boost::json::value const& body, bool put = false,
                                              std::string_view transfer_id = {});
/// Text (a literal would be ambiguous between the two above).
inline decoded<funds_movement> decode_funds_movement(char const* body, bool put = false,
                                                     std::string_view transfer_id = {})
{
    return decode_funds_movement(std::string_view(body), put, transfer_id);
}

/// POST /oracles (the ALS admin API):
/// {"oracleIdType","endpoint":{"value","endpointType":"URL"},"currency","isDefault"}.
struct oracle_registration
{
    std::string oracle_id_type;
    std::string url; ///< endpoint.value; endpoint.endpointType, when given, is URL
    std::optional<std::string> currency;
    std::optional<bool> is_default; ///< absent (or not a boolean): not the default

    friend bool operator==(oracle_registration const&, oracle_registration const&) = default;
};
std::string encode(oracle_registration const& o);
decoded<oracle_registration> decode_oracle_registration(std::string_view body);

/// POST /settlementWindows/{id}: {"state":"CLOSED","reason"} closes the window.
struct settlement_window_close
{
    std::string reason; ///< empty when absent (not written)

    friend bool operator==(settlement_window_close const&, settlement_window_close const&) = default;
};
std::string encode(settlement_window_close const& c);
decoded<settlement_window_close> decode_settlement_window_close(std::string_view body);

/// POST /settlements: {"settlementModel","reason","settlementWindows":[{"id"}]}.
struct settlement_create
{
    std::string model; ///< settlementModel
    std::string reason;
    std::vector<std::uint32_t> settlement_windows; ///< positive ids

    friend bool operator==(settlement_create const&, settlement_create const&) = default;
};
std::string encode(settlement_create const& s);
decoded<settlement_create> decode_settlement_create(std::string_view body);

/// The settlement states of central-settlement's API, in their order.
inline constexpr std::array<std::string_view, 6> settlement_states = {
    "PENDING_SETTLEMENT", "PS_TRANSFERS_RECORDED", "PS_TRANSFERS_RESERVED", "PS_TRANSFERS_COMMITTED",
    "SETTLED",            "ABORTED",
};

/// One account of PUT /settlements/{id}: {"id","state","reason"}.
struct settlement_account_update
{
    std::uint64_t id = 0;
    std::string state; ///< one of settlement_states
    std::string reason;

    friend bool operator==(settlement_account_update const&, settlement_account_update const&) = default;
};

/// One participant of PUT /settlements/{id}: {"id","accounts":[...]}.
struct settlement_participant_update
{
    std::uint64_t id = 0;
    std::vector<settlement_account_update> accounts;

    friend bool operator==(settlement_participant_update const&, settlement_participant_update const&) = default;
};

/// PUT /settlements/{id}: either {"state","reason"}, which moves the whole settlement, or
/// {"participants":[{"id","accounts":[{"id","state","reason"}]}]}, which moves accounts.
/// With a state the participants are not read. The whole-settlement state is not checked
/// here ("state has an unknown value" is the switch's); the accounts' states are, in the
/// order they come (3101 "participants[].accounts[] needs id and a known state").
struct settlement_update
{
    std::optional<std::string> state;
    std::string reason; ///< empty when absent (not written)
    std::vector<settlement_participant_update> participants;

    friend bool operator==(settlement_update const&, settlement_update const&) = default;
};
std::string encode(settlement_update const& u);
decoded<settlement_update> decode_settlement_update(std::string_view body);
decoded<settlement_update> decode_settlement_update(boost::json::value const& body);
/// Text (a literal would be ambiguous between the two above).
inline decoded<settlement_update> decode_settlement_update(char const* body)
{
    return decode_settlement_update(std::string_view(body));
}

/// The id of the SETTLEMENT account in `currency` from GET /participants/{name}/accounts;
/// empty when the body holds none.
std::optional<std::int64_t> settlement_account_id(std::string_view accounts_body, std::string_view currency);

} // namespace mojasim::admin_api
