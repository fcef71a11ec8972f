// G2P Connect's disbursement API as the hub serves it: the envelope ({signature, header,
// message}), the disburse and transaction-status requests, the ack, the callback/sync
// answers and the financial-address (FA) reading. Pure: no sockets, no state.
//
// Facts: research notes payment-hub.md §3.2, §11 and account-mapper.md §5. What is read is
// what the specification (disburse core v1.0.0) allows and what OpenG2P 15.0 actually sends:
// Python timestamps ("2024-05-01 10:00:00.123456"), no sender_uri, payer_fa "", amounts as
// strings ("50.0") or numbers, total_count as number or string.
#pragma once

#include "simulator/connector/types.hpp"
#include "simulator/core/decimal.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mojasim::hub::g2p {

/// Statuses of an entry or a whole message (spec RequestStatus).
namespace status {
inline constexpr std::string_view rcvd = "rcvd";
inline constexpr std::string_view pdng = "pdng";
inline constexpr std::string_view succ = "succ";
inline constexpr std::string_view rjct = "rjct";
} // namespace status

/// Reason codes (spec DisburseStatusReasonCode, GCTB's rjct.payment.failed, header reasons).
namespace reason {
inline constexpr std::string_view reference_id_invalid = "rjct.reference_id.invalid";
inline constexpr std::string_view reference_id_duplicate = "rjct.reference_id.duplicate";
inline constexpr std::string_view timestamp_invalid = "rjct.timestamp.invalid";
inline constexpr std::string_view payer_fa_invalid = "rjct.payer_fa.invalid";
inline constexpr std::string_view payee_fa_invalid = "rjct.payee_fa.invalid";
inline constexpr std::string_view amount_invalid = "rjct.amount.invalid";
inline constexpr std::string_view schedule_ts_invalid = "rjct.schedule_ts.invalid";
inline constexpr std::string_view currency_code_invalid = "rjct.currency_code.invalid";
inline constexpr std::string_view payment_failed = "rjct.payment.failed";
inline constexpr std::string_view errors_too_many = "rjct.errors.too_many";
} // namespace reason

/// The request header (MsgHeader). Only message_id, message_ts and action are required.
struct header
{
    std::string version;
    std::string message_id;
    std::string message_ts;
    std::string action;
    std::string sender_id;
    std::string sender_uri; ///< empty: no callback possible (OpenG2P 15.0 sends none)
    std::string receiver_id;
    std::optional<std::int64_t> total_count;
};

/// One disbursement entry. Every member is kept as text, as received.
struct disbursement
{
    std::string reference_id;
    std::string payer_fa;
    std::string payee_fa;
    std::string amount; ///< "50.0" (spec: a string), or a JSON number's exact text
    std::string scheduled_timestamp;
    std::string payer_name;
    std::string payee_name;
    std::string note;
    std::string purpose;
    std::string instruction;
    std::string currency_code;
    std::string locale;
};

struct disburse_request
{
    std::string signature;
    g2p::header header;
    std::string transaction_id;
    std::vector<disbursement> disbursements;
};

/// A transaction status request (TxnStatusRequest). attribute_value is a string for
/// transaction_id and correlation_id, a list of reference ids for reference_id_list.
struct status_request
{
    std::string signature;
    g2p::header header;
    std::string transaction_id;
    std::string reference_id;
    std::string txn_type;
    std::string attribute_type;
    std::variant<std::string, std::vector<std::string>> attribute_value;
    std::string locale;
};

/// Why a request is refused as a whole: answered `status` with errors_body().
struct bad_request
{
    unsigned status = 400;
    std::string code = "err.request.bad";
    std::string message;
};

template<class T>
using decoded = boost::system::result<T, bad_request>;

/// The body of a refused request, the spec's HTTP error shape:
/// {"errors":[{"code":"err.request.bad","message":"..."}]}.
std::string errors_body(bad_request const& e);

/// Decode POST /disburse and /disburse/sync/disburse. Refused: not JSON, not an object,
/// signature/header/message missing, header.message_id/message_ts/action missing, a
/// message_ts that is no timestamp, message.transaction_id or message.disbursements missing,
/// an entry that is not an object, a member of the wrong type. Entry values are not judged
/// here (disbursement_reason does it, per entry).
decoded<disburse_request> decode_disburse(std::string_view body);

/// Decode POST /disburse/txn/status and /disburse/sync/txn/status (message.txnstatus_request).
/// Refused: as decode_disburse, and txn_type other than "disburse", attribute_type other than
/// transaction_id / reference_id_list / correlation_id, or a value of the wrong type for its
/// attribute (GCTB's 400 "GCTB-PMS-350").
decoded<status_request> decode_txn_status(std::string_view body);

/// Milliseconds since the epoch of an RFC 3339 date-time ("2024-05-01T10:00:00Z",
/// "...T10:00:00.123+02:00") or Python's str(datetime) ("2024-05-01 10:00:00.123456", read as
/// UTC); a missing zone is UTC, fractions are cut to milliseconds.
std::optional<std::int64_t> parse_timestamp(std::string_view s) noexcept;

/// "2024-05-01T10:00:00.123Z".
std::string format_timestamp(std::int64_t unix_ms);

/// What a payee_fa names. An address ("mobile:0495822412@dfsp2", "account:123@dfsp2",
/// "phone:0495822412") is paid as it stands; anything else of the form type:value@provider
/// ("token:abc@nationalId") is an id a mapper must resolve.
struct address
{
    connector::party_id_type type = connector::party_id_type::msisdn;
    std::string value;
    std::string provider; ///< after the last '@'; the payee DFSP when it has no '.'
};
struct id_to_resolve
{
    std::string id; ///< the whole payee_fa
};
struct invalid_fa
{
    std::string why;
};
using fa_reading = std::variant<address, id_to_resolve, invalid_fa>;

/// Read a payee_fa. Address types: mobile, phone, msisdn (MSISDN); account, account_no,
/// bank_acc (ACCOUNT_ID); iban (IBAN); email (EMAIL). The FSP is the provider when it is a
/// single label ("dfsp2"); a dotted provider ("indigo.dfsp2.bank_acc") leaves it to the
/// switch's lookup.
fa_reading read_fa(std::string_view fa);

/// The entry reason of a disbursement before payment (nullopt: payable): reference_id empty,
/// amount not a positive decimal with at most 2 decimals, currency_code not 3 letters,
/// scheduled_timestamp present but unreadable, payer_fa present but not type:value form.
struct entry_reason
{
    std::string_view code;
    std::string message;
};
std::optional<entry_reason> disbursement_reason(disbursement const& d);

/// The ack of an async request: {"message":{"ack_status":..,"timestamp":..,"error":null,
/// "correlation_id":..}}. ACK when a callback will follow, NACK when none can (no sender_uri).
std::string ack_body(bool callback_follows, std::string_view timestamp, std::string_view correlation_id);

/// The callback/sync header (MsgCallbackHeader).
struct callback_header
{
    std::string message_id;
    std::string message_ts;
    std::string action;
    std::string_view status = status::succ;
    std::string_view reason_code; ///< empty: null
    std::string reason_message;   ///< empty: null
    std::int64_t total_count = 0;
    std::int64_t completed_count = 0;
    std::string sender_id;
    std::string receiver_id;
};

/// One entry of disbursements_status / txn_status.
struct entry_status
{
    std::string reference_id;
    std::string timestamp;
    std::string_view status = status::pdng;
    std::string_view reason_code; ///< empty: null
    std::string reason_message;   ///< empty: null
    std::string amount;
    std::string payer_fa;
    std::string payee_fa;
    std::string currency_code;
};

/// The answer of /disburse/sync/disburse and the body of POST {sender_uri}/on-disburse:
/// {signature, header, message:{transaction_id, correlation_id, disbursements_status:[...]}}.
std::string disburse_response_body(std::string_view signature, callback_header const& h,
                                   std::string_view transaction_id, std::string_view correlation_id,
                                   std::span<entry_status const> entries);

/// txn_status as the spec nests it (a DisburseResponse) or as OpenG2P 15.0 reads it (a list,
/// null for an unknown reference id), or null (an unknown transaction).
struct disburse_status_object
{
    std::string transaction_id;
    std::vector<entry_status> entries;
};
using txn_status = std::variant<std::monostate, disburse_status_object, std::vector<std::optional<entry_status>>>;

/// The answer of /disburse/sync/txn/status and the body of POST {sender_uri}/disburse/txn/on-status:
/// {signature, header, message:{transaction_id, correlation_id, txnstatus_response:{txn_type, txn_status}}}.
std::string txn_status_body(std::string_view signature, callback_header const& h, std::string_view transaction_id,
                            std::string_view correlation_id, txn_status const& st);

/// An amount as G2P Connect writes it: at least one decimal ("50.0", "12.5", "0.25").
std::string amount_text(core::decimal amount);

} // namespace mojasim::hub::g2p
