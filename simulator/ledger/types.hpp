// Vocabulary of the switch's ledger: identifiers, account types, the transfer states of
// central-ledger and the four states the API shows, and the failure every operation may
// return. Pure data: no I/O, no JSON, no clock of its own (callers pass `now`).
#pragma once

#include "simulator/core/clock.hpp"
#include "simulator/core/decimal.hpp"
#include "simulator/fspiop/errors.hpp"

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include <array>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace mojasim::ledger {

using core::decimal;
using core::time_point;

/// Participant ids count from 1 in creation order; the hub is participant 1, as in
/// central-ledger (HUB_ID).
using participant_id = std::uint32_t;
/// Account ids (central-ledger's participantCurrencyId) count from 1 across all participants.
using account_id = std::uint32_t;
/// Settlement window ids count from 1; window 1 is open when the ledger starts.
using window_id = std::uint32_t;
using settlement_id = std::uint32_t;

/// A message body's SHA-256, by which duplicates are told from modified requests (§7.3).
/// Kept as 32 bytes inside each record, not as 43 characters of base64 on the heap: the
/// switch keeps one per prepare, fulfil and quote for as long as it runs.
using body_digest = std::array<unsigned char, 32>;

/// Why an operation was refused: the FSPIOP code and the detail that follows its standard
/// description ("Generic validation error - <detail>"). Refused operations change nothing.
struct failure
{
    fspiop::errc code = fspiop::errc::generic_validation_error;
    std::string detail;

    /// The ErrorInformation the API reports for it.
    [[nodiscard]] fspiop::error_information info() const { return fspiop::error_information::from(code, detail); }
};

/// "3100 <detail>", for logs and test output.
std::ostream& operator<<(std::ostream& os, failure const& f);

/// Thrown only when value() is called on a failed result: a bug in the caller.
[[noreturn]] void throw_exception_from_error(failure const& f, boost::source_location const& loc);

template <class T>
using result = boost::system::result<T, failure>;

/// Ledger account types of central-ledger (ledgerAccountType seeds) that the emulator keeps.
enum class account_type : std::uint8_t
{
    position,                    ///< POSITION: > 0 means the FSP owes the scheme
    settlement,                  ///< SETTLEMENT: funds deposited show as a negative balance
    hub_multilateral_settlement, ///< HUB_MULTILATERAL_SETTLEMENT: the hub's side of net settlement
    hub_reconciliation,          ///< HUB_RECONCILIATION: the hub's side of funds in and out
    interchange_fee,             ///< INTERCHANGE_FEE: an FSP's interchange fees (settlement models only)
    interchange_fee_settlement,  ///< INTERCHANGE_FEE_SETTLEMENT: their settlement account
};

/// "POSITION", "SETTLEMENT", "HUB_MULTILATERAL_SETTLEMENT", "HUB_RECONCILIATION", "INTERCHANGE_FEE",
/// "INTERCHANGE_FEE_SETTLEMENT" (central-ledger's ledgerAccountType seeds).
std::string_view to_string(account_type t) noexcept;
std::optional<account_type> account_type_from_string(std::string_view s) noexcept;

/// Internal transfer states of central-ledger (seeds/transferState.js, fspiop.md §7.1).
/// The book moves through the transitional ones (received_fulfil, received_error,
/// reserved_timeout) inside a single call, so they are never observed between calls; they
/// are named so traces and logs can speak the real hub's language.
enum class transfer_state : std::uint8_t
{
    received_prepare, ///< prepare stored, position check pending
    reserved,         ///< payer position reserved, prepare forwarded to the payee
    received_fulfil,  ///< fulfil accepted, commit in progress
    received_error,   ///< payee error accepted, abort in progress
    reserved_timeout, ///< expired while reserved, reversal in progress
    committed,        ///< payee credited
    settled,          ///< committed and part of a settled window
    invalid,          ///< prepare failed validation (3100)
    aborted_rejected, ///< position check failed (4001, 4200)
    aborted_error,    ///< payee error, invalid fulfilment or fulfil from the wrong FSP
    expired_prepared, ///< expired before the reservation
    expired_reserved, ///< expired after the reservation; funds returned
    failed,           ///< any other failure
};

/// The TransferState enumeration of the API: all an FSP ever sees.
enum class api_state : std::uint8_t
{
    received,
    reserved,
    committed,
    aborted,
};

/// The API state of an internal state (SETTLED is reported as COMMITTED: the v1.1 enum has
/// no SETTLED, and a settled transfer is a committed one to the FSPs).
constexpr api_state to_api(transfer_state s) noexcept
{
    switch(s)
    {
    case transfer_state::received_prepare: return api_state::received;
    case transfer_state::reserved:
    case transfer_state::received_fulfil:
    case transfer_state::received_error:
    case transfer_state::reserved_timeout: return api_state::reserved;
    case transfer_state::committed:
    case transfer_state::settled: return api_state::committed;
    case transfer_state::invalid:
    case transfer_state::aborted_rejected:
    case transfer_state::aborted_error:
    case transfer_state::expired_prepared:
    case transfer_state::expired_reserved:
    case transfer_state::failed: return api_state::aborted;
    }
    return api_state::aborted;
}

/// True once nothing can change the transfer any more (COMMITTED or ABORTED in the API).
constexpr bool is_final(transfer_state s) noexcept
{
    auto const a = to_api(s);
    return a == api_state::committed || a == api_state::aborted;
}

/// "RECEIVED_PREPARE", "RESERVED", ... as central-ledger names them.
std::string_view to_string(transfer_state s) noexcept;
/// "RECEIVED", "RESERVED", "COMMITTED", "ABORTED".
std::string_view to_string(api_state s) noexcept;

} // namespace mojasim::ledger
