// OpenG2P's Payment Interoperability Layer (g2p_payment_interop_layer) as the hub serves it:
// one synchronous JSON POST per batch {note, disbursementId, payeeList:[{payeeIdType,
// payeeIdValue, amount, currency}]}, answered with payeeResults aligned with payeeList
// (research note payment-hub.md §3.1). Pure: no sockets, no state.
#pragma once

#include "simulator/connector/types.hpp"
#include "simulator/core/decimal.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mojasim::hub::interop {

struct payee
{
    std::string id_type;  ///< payeeIdType as sent ("PHONE")
    std::string id_value; ///< payeeIdValue
    std::string amount;   ///< the number's exact text ("50.0"), or a string's
    std::string currency;
};

struct request
{
    std::string note;
    std::string disbursement_id;
    std::vector<payee> payees;
};

/// Why a request is refused as a whole: 400 with {"error":"<message>"}.
struct bad_request
{
    std::string message;
};

using decoded = boost::system::result<request, bad_request>;

/// Decode the POST. Refused: not a JSON object, disbursementId missing or not a string,
/// payeeList missing or not an array, an entry that is not an object or has a member of the
/// wrong type. Entry values are judged per payee (payee_type, the hub's amount check).
decoded decode(std::string_view body);

std::string error_body(bad_request const& e);

/// The party id type of a payeeIdType: PHONE/MOBILE/MSISDN -> MSISDN, ACCOUNT/ACCOUNT_ID ->
/// ACCOUNT_ID, and the other FSPIOP names (EMAIL, IBAN, ...) as themselves; case-insensitive.
std::optional<connector::party_id_type> payee_type(std::string_view id_type);

/// One payeeResults entry.
struct result
{
    std::string_view status;           ///< COMPLETED, REJECTED, ERROR_OCCURRED, PENDING
    std::optional<core::decimal> amount_credited;
    std::int64_t timestamp_ms = 0;     ///< written %Y-%m-%dT%H:%M:%S.%fZ (the fraction OpenG2P needs)
};

/// {"disbursementId":..,"payeeResults":[{"status","amountCredited","timestamp"},...]}.
std::string response_body(std::string_view disbursement_id, std::span<result const> results);

} // namespace mojasim::hub::interop
