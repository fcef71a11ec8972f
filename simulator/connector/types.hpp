// The Mojaloop connector's OUTBOUND API (sdk-scheme-adapter v2.1.0, "Outbound" spec) as
// plain data: the types of POST /transfers, PUT /transfers/{transferId} and their answers.
// The Payment Hub is a client of this API and DFSP1's connector its server; both use these
// types and the codec in codec.hpp, so the wire names live in exactly one place.
//
// Names follow the OpenAPI schemas in snake_case (transferRequest -> transfer_request,
// homeTransactionId -> home_transaction_id). Optional wire fields are std::optional (or an
// empty vector where the spec has a list); money is core::decimal, never a double.
#pragma once

#include "simulator/core/decimal.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mojasim::connector {

/// PartyIdType.
enum class party_id_type : std::uint8_t { msisdn, email, personal_id, business, device, account_id, iban, alias };

/// AmountType.
enum class amount_type : std::uint8_t { send, receive };

/// TransactionInitiatorType (the `type` of a transferParty).
enum class initiator_type : std::uint8_t { consumer, agent, business, device };

/// transferStatus: the `currentState` of an outbound transfer.
enum class transfer_status : std::uint8_t
{
    error_occurred,
    waiting_for_party_acceptance,
    waiting_for_quote_acceptance,
    waiting_for_conversion_acceptance,
    completed,
};

/// TransferState of the FSPIOP PUT /transfers/{ID} callback (inside `fulfil.body`).
enum class transfer_state : std::uint8_t { received, reserved, committed, aborted };

std::string_view to_string(party_id_type v) noexcept;
std::string_view to_string(amount_type v) noexcept;
std::string_view to_string(initiator_type v) noexcept;
std::string_view to_string(transfer_status v) noexcept;
std::string_view to_string(transfer_state v) noexcept;

/// Exact (case-sensitive) wire spellings, as the spec's enums require.
std::optional<party_id_type> party_id_type_from_string(std::string_view s) noexcept;
std::optional<amount_type> amount_type_from_string(std::string_view s) noexcept;
std::optional<initiator_type> initiator_type_from_string(std::string_view s) noexcept;
std::optional<transfer_status> transfer_status_from_string(std::string_view s) noexcept;
std::optional<transfer_state> transfer_state_from_string(std::string_view s) noexcept;

/// Extension_v2_1_0.
struct extension
{
    std::string key;
    std::string value;
    friend bool operator==(extension const&, extension const&) = default;
};
using extension_list = std::vector<extension>;

/// Header fields echoed in `getPartiesResponse.headers`, `quoteResponse.headers` and
/// `fulfil.headers` (the FSPIOP callback's headers), in arrival order.
using header_list = std::vector<std::pair<std::string, std::string>>;

/// Money.
struct money
{
    std::string currency;
    core::decimal amount;
    friend bool operator==(money const&, money const&) = default;
};

/// GeoCode (latitude and longitude are strings on the wire).
struct geo_code
{
    std::string latitude;
    std::string longitude;
    friend bool operator==(geo_code const&, geo_code const&) = default;
};

/// ErrorInformation.
struct error_information
{
    std::string error_code;        ///< four digits, "5100"
    std::string error_description;
    std::optional<connector::extension_list> extension_list;
    friend bool operator==(error_information const&, error_information const&) = default;
};

/// transferParty: the `from` and `to` of a transfer.
struct transfer_party
{
    std::optional<initiator_type> type;
    party_id_type id_type = party_id_type::msisdn;
    std::string id_value;
    std::optional<std::string> id_sub_value;
    std::optional<std::string> display_name;
    std::optional<std::string> first_name;
    std::optional<std::string> middle_name;
    std::optional<std::string> last_name;
    std::optional<std::string> date_of_birth;
    std::optional<std::string> merchant_classification_code;
    std::optional<std::string> fsp_id;
    std::optional<std::vector<std::string>> supported_currencies;
    std::optional<std::string> kyc_information;
    std::optional<connector::extension_list> extension_list; ///< extensionListEmptiable: a bare array
    friend bool operator==(transfer_party const&, transfer_party const&) = default;
};

/// transferRequest: the body of POST /transfers.
struct transfer_request
{
    std::string home_transaction_id;
    transfer_party from;
    transfer_party to;
    connector::amount_type amount_type = connector::amount_type::send;
    std::string currency;
    core::decimal amount;
    std::string transaction_type = "TRANSFER"; ///< transferTransactionType: only "TRANSFER"
    std::optional<std::string> sub_scenario;
    std::optional<std::string> note;
    std::optional<connector::extension_list> quote_request_extensions;
    std::optional<connector::extension_list> transfer_request_extensions;
    std::optional<bool> skip_party_lookup;
    std::optional<std::int32_t> prepare_expiry_seconds;
    std::optional<std::int32_t> fx_prepare_expiry_seconds;
    std::optional<std::int32_t> quote_expiry_seconds;
    std::optional<std::int32_t> fx_quote_expiry_seconds;
    friend bool operator==(transfer_request const&, transfer_request const&) = default;
};

/// The body of PUT /transfers/{transferId}: exactly one of acceptParty, acceptQuote,
/// acceptConversion, acceptQuoteOrConversion.
struct transfer_continuation
{
    enum class kind : std::uint8_t { accept_party, accept_quote, accept_conversion, accept_quote_or_conversion };
    kind what = kind::accept_party;
    bool accepted = true;
    friend bool operator==(transfer_continuation const&, transfer_continuation const&) = default;
};

/// PartyIdInfo, PartyComplexName, PartyPersonalInfo and Party (FSPIOP, as echoed in
/// `getPartiesResponse.body.party`).
struct party_id_info
{
    connector::party_id_type party_id_type = connector::party_id_type::msisdn;
    std::string party_identifier;
    std::optional<std::string> party_sub_id_or_type;
    std::optional<std::string> fsp_id;
    std::optional<connector::extension_list> extension_list;
    friend bool operator==(party_id_info const&, party_id_info const&) = default;
};

struct party_complex_name
{
    std::optional<std::string> first_name;
    std::optional<std::string> middle_name;
    std::optional<std::string> last_name;
    friend bool operator==(party_complex_name const&, party_complex_name const&) = default;
};

struct party_personal_info
{
    std::optional<party_complex_name> complex_name;
    std::optional<std::string> date_of_birth;
    std::optional<std::string> kyc_information;
    friend bool operator==(party_personal_info const&, party_personal_info const&) = default;
};

struct party
{
    connector::party_id_info party_id_info;
    std::optional<std::string> merchant_classification_code;
    std::optional<std::string> name;
    std::optional<party_personal_info> personal_info;
    std::optional<std::vector<std::string>> supported_currencies;
    friend bool operator==(party const&, party const&) = default;
};

/// `getPartiesResponse`: body is either {party} or {errorInformation}.
struct parties_response
{
    std::optional<connector::party> party;
    std::optional<connector::error_information> error_information;
    header_list headers;
    friend bool operator==(parties_response const&, parties_response const&) = default;
};

/// QuotesIDPutResponse, as echoed in `quoteResponse.body`.
struct quote_response_body
{
    money transfer_amount;
    std::optional<money> payee_receive_amount;
    std::optional<money> payee_fsp_fee;
    std::optional<money> payee_fsp_commission;
    std::string expiration;
    std::optional<connector::geo_code> geo_code;
    std::string ilp_packet;
    std::string condition;
    std::optional<connector::extension_list> extension_list;
    friend bool operator==(quote_response_body const&, quote_response_body const&) = default;
};

struct quote_response
{
    quote_response_body body;
    header_list headers;
    friend bool operator==(quote_response const&, quote_response const&) = default;
};

/// TransfersIDPutResponse, as echoed in `fulfil.body`.
struct fulfil_body
{
    std::optional<std::string> fulfilment;
    std::optional<std::string> completed_timestamp;
    connector::transfer_state transfer_state = connector::transfer_state::committed;
    std::optional<connector::extension_list> extension_list;
    friend bool operator==(fulfil_body const&, fulfil_body const&) = default;
};

struct fulfil_response
{
    fulfil_body body;
    header_list headers;
    friend bool operator==(fulfil_response const&, fulfil_response const&) = default;
};

/// mojaloopError and transferError (`lastError`): the Mojaloop error the connector saw.
struct mojaloop_error
{
    std::optional<connector::error_information> error_information;
    friend bool operator==(mojaloop_error const&, mojaloop_error const&) = default;
};

struct transfer_error
{
    std::optional<std::int32_t> http_status_code;
    std::optional<connector::mojaloop_error> mojaloop_error;
    friend bool operator==(transfer_error const&, transfer_error const&) = default;
};

/// transferResponse: the answer to POST /transfers and PUT /transfers/{transferId}.
struct transfer_response
{
    std::optional<std::string> transfer_id;
    std::string home_transaction_id;
    transfer_party from;
    transfer_party to;
    connector::amount_type amount_type = connector::amount_type::send;
    std::string currency;
    core::decimal amount;
    std::string transaction_type = "TRANSFER";
    std::optional<std::string> sub_scenario;
    std::optional<std::string> note;
    std::optional<transfer_status> current_state;
    std::optional<std::string> quote_id;
    std::optional<parties_response> get_parties_response;
    std::optional<connector::quote_response> quote_response;
    std::optional<std::string> quote_response_source;
    std::optional<fulfil_response> fulfil;
    std::optional<transfer_error> last_error;
    std::optional<bool> skip_party_lookup;
    friend bool operator==(transfer_response const&, transfer_response const&) = default;

    /// The FSPIOP error of `lastError`, if the connector recorded one.
    [[nodiscard]] error_information const* mojaloop_error_information() const noexcept
    {
        if(last_error && last_error->mojaloop_error && last_error->mojaloop_error->error_information)
            return &*last_error->mojaloop_error->error_information;
        return nullptr;
    }
};

/// errorResponse: {statusCode, message}, the body of a plain 4xx/5xx of the outbound API.
struct error_response
{
    std::optional<std::string> status_code; ///< a string on the wire ("400", or an FSPIOP code)
    std::optional<std::string> message;
    friend bool operator==(error_response const&, error_response const&) = default;
};

/// The `transferState` of a failed GET /transfers/{transferId} for a transfer the connector
/// does not hold: only what is known, as the SDK sends it (no homeTransactionId, parties or
/// amount).
struct partial_transfer_state
{
    std::string transfer_id;
    transfer_status current_state = transfer_status::error_occurred;
    std::optional<transfer_error> last_error;
    friend bool operator==(partial_transfer_state const&, partial_transfer_state const&) = default;
};

/// errorTransferResponse: errorResponse plus the transfer's state, the body of a failed
/// POST/PUT /transfers (400, 500, 504). The SDK sends `transferState: {}` when it has none.
/// At most one of `transfer_state` (a whole transferResponse) and `partial_state` is set; the
/// decoder takes a state without homeTransactionId as partial.
struct transfer_error_response
{
    std::optional<std::string> status_code;
    std::optional<std::string> message;
    std::optional<transfer_response> transfer_state;
    std::optional<partial_transfer_state> partial_state;
    friend bool operator==(transfer_error_response const&, transfer_error_response const&) = default;

    /// The FSPIOP error of the state's `lastError`, whichever state it is.
    [[nodiscard]] error_information const* mojaloop_error_information() const noexcept
    {
        if(transfer_state)
            return transfer_state->mojaloop_error_information();
        if(partial_state && partial_state->last_error && partial_state->last_error->mojaloop_error &&
           partial_state->last_error->mojaloop_error->error_information)
            return &*partial_state->last_error->mojaloop_error->error_information;
        return nullptr;
    }
};

/// transferStatusResponse: the answer to GET /transfers/{transferId}.
struct transfer_status_response
{
    std::string transfer_id;
    transfer_status current_state = transfer_status::completed;
    fulfil_response fulfil;
    friend bool operator==(transfer_status_response const&, transfer_status_response const&) = default;
};

} // namespace mojasim::connector

namespace mojasim::connector {

// ---- Bulk: POST /bulkTransactions, PUT /bulkTransactions/{bulkTransactionId} and the
// result mojasim's connector gives back (GET /bulkTransactions/{bulkTransactionId}).

/// bulkPerTransferFeeLimit: auto-accept a quote whose payee fee is at most `amount`.
using bulk_fee_limit = money;

/// bulkTransactionOptions.
struct bulk_transaction_options
{
    std::optional<bool> only_validate_party;
    bool auto_accept_party = false;            ///< autoAcceptParty.enabled
    bool auto_accept_quote = false;            ///< autoAcceptQuote.enabled
    std::vector<bulk_fee_limit> per_transfer_fee_limits; ///< autoAcceptQuote.perTransferFeeLimits
    std::optional<bool> skip_party_lookup;
    std::optional<bool> synchronous;
    std::string bulk_expiration;               ///< DateTime
    friend bool operator==(bulk_transaction_options const&, bulk_transaction_options const&) = default;
};

/// bulkTransactionIndividualTransfer.
struct bulk_individual_transfer
{
    std::string home_transaction_id;
    party to;
    std::optional<std::string> reference;
    connector::amount_type amount_type = connector::amount_type::send;
    std::string currency;
    core::decimal amount;
    std::optional<std::string> note;
    std::optional<extension_list> quote_extensions;
    std::optional<extension_list> transfer_extensions;
    friend bool operator==(bulk_individual_transfer const&, bulk_individual_transfer const&) = default;
};

/// bulkTransactionRequest: the body of POST /bulkTransactions.
struct bulk_transaction_request
{
    std::string bulk_home_transaction_id;      ///< bulkHomeTransactionID
    std::string bulk_transaction_id;
    bulk_transaction_options options;
    party from;
    std::vector<bulk_individual_transfer> individual_transfers; ///< at least 1
    std::optional<extension_list> extensions;
    friend bool operator==(bulk_transaction_request const&, bulk_transaction_request const&) = default;
};

/// bulkTransactionContinuationAcceptParty / ...AcceptQuote: the body of
/// PUT /bulkTransactions/{bulkTransactionId}.
struct bulk_transaction_continuation
{
    enum class kind : std::uint8_t { accept_party, accept_quote };
    struct entry
    {
        std::string transfer_id;
        bool accepted = true;
        friend bool operator==(entry const&, entry const&) = default;
    };
    kind what = kind::accept_party;
    std::vector<entry> individual_transfers; ///< at least 1
    friend bool operator==(bulk_transaction_continuation const&, bulk_transaction_continuation const&) = default;
};

/// Where a bulk transaction is: PROCESSING, WAITING_FOR_PARTY_ACCEPTANCE,
/// WAITING_FOR_QUOTE_ACCEPTANCE, COMPLETED (every individual transfer has its final result).
enum class bulk_transaction_state : std::uint8_t
{
    processing,
    waiting_for_party_acceptance,
    waiting_for_quote_acceptance,
    completed,
};
std::string_view to_string(bulk_transaction_state v) noexcept;
std::optional<bulk_transaction_state> bulk_transaction_state_from_string(std::string_view s) noexcept;

/// One individual transfer's state and result. `current_state` uses transferStatus: COMPLETED
/// (committed), ERROR_OCCURRED (lastError says why), WAITING_FOR_PARTY_ACCEPTANCE,
/// WAITING_FOR_QUOTE_ACCEPTANCE; absent while it is being processed.
struct bulk_transfer_result
{
    std::string transfer_id;
    std::string home_transaction_id;
    party to;                                  ///< with fspId once the lookup found it
    connector::amount_type amount_type = connector::amount_type::send;
    std::string currency;
    core::decimal amount;
    std::optional<std::string> note;
    std::optional<transfer_status> current_state;
    std::optional<std::string> quote_id;
    std::optional<money> transfer_amount;      ///< from the quote
    std::optional<money> payee_receive_amount;
    std::optional<money> payee_fsp_fee;
    std::optional<std::string> fulfilment;
    std::optional<connector::transfer_state> transfer_state; ///< COMMITTED once completed
    std::optional<transfer_error> last_error;
    friend bool operator==(bulk_transfer_result const&, bulk_transfer_result const&) = default;
};

/// The state and per-transfer results of a bulk transaction (the shape of the SDK's
/// bulkTransactionResponse to the backend).
struct bulk_transaction_response
{
    std::string bulk_transaction_id;
    std::string bulk_home_transaction_id;      ///< bulkHomeTransactionID
    bulk_transaction_state current_state = bulk_transaction_state::processing;
    std::vector<bulk_transfer_result> individual_transfer_results;
    friend bool operator==(bulk_transaction_response const&, bulk_transaction_response const&) = default;
};

} // namespace mojasim::connector
