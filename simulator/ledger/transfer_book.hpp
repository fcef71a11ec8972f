// The transfer state machine of the switch, without I/O (sans-io, in the shape of
// Boost.Redis's FSMs). Each command returns a `decision`: the transfer's state afterwards
// and the messages the shell must send, as plain data. The shell acknowledges the request,
// then carries the effects out; every branch can be tested with no socket and no timer.
//
// What the book follows (fspiop.md §7): prepare validation in central-ledger's order (§7.2),
// duplicate detection by transfer id and body hash with separate tables for prepares,
// fulfils and payee errors (§7.3), liquidity cover then net debit cap (§7.4), the fulfil
// checks (§7.5), payee errors, and expiry (§7.6): `expire_due(now)` tells which transfers
// ran out of time. Committed transfers land in the open settlement window.
#pragma once

#include "simulator/ledger/participant_registry.hpp"
#include "simulator/ledger/settlement_book.hpp"
#include "simulator/ledger/types.hpp"

#include <boost/container/static_vector.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace mojasim::ledger {

// ---- Commands ------------------------------------------------------------------------------

/// POST /transfers, decoded. `source` is the FSPIOP-Source header; `hash` the body hash for
/// duplicate detection. `tag` is opaque to the book and kept with the transfer (the shell
/// stores the API version of the prepare there, for the messages the hub later sends on its
/// own, such as expiry notices).
struct prepare_command
{
    std::string transfer_id;
    std::string payer_fsp;
    std::string payee_fsp;
    decimal amount;
    std::string currency;
    std::string condition;
    time_point expiration;
    std::string source;
    body_digest hash{};
    std::uint8_t tag = 0;
};

/// PUT /transfers/{ID} from the payee: a fulfil with transferState COMMITTED, or RESERVED
/// to ask for a commit notification (PATCH). The shell has already dropped the states the
/// hub ignores (ABORTED; RESERVED under API version 1.0).
struct fulfil_command
{
    std::string transfer_id;
    std::string source;
    std::string destination;
    api_state requested = api_state::committed; ///< committed or reserved
    std::string fulfilment;
    std::optional<time_point> completed; ///< completedTimestamp, when given
    body_digest hash{};
};

/// PUT /transfers/{ID}/error from the payee.
struct reject_command
{
    std::string transfer_id;
    std::string source;
    std::string destination;
    fspiop::error_information error;
    body_digest hash{};
};

/// GET /transfers/{ID}.
struct query_command
{
    std::string transfer_id;
    std::string source;
};

// ---- Effects -------------------------------------------------------------------------------

/// Forward the request being handled, headers and body untouched, to `to` (the prepare to
/// the payee, the payee's fulfil or error to the payer).
struct forward
{
    std::string to;
};

/// A PUT /transfers/{ID} the hub writes itself (FSPIOP-Source: the hub): commit copies to
/// the payee, the payer's notice of a RESERVED fulfil, answers to GETs and duplicates (an
/// ABORTED transfer's with the `cause` extension, as central-ledger's read model adds it).
struct notify_state
{
    std::string to;
    api_state state = api_state::committed;
    std::optional<time_point> completed;
    std::string fulfilment; ///< empty: not sent
    std::vector<fspiop::extension> extensions; ///< empty: no extensionList
};

/// A PATCH /transfers/{ID} to the payee after a RESERVED fulfil (COMMITTED or ABORTED).
struct notify_patch
{
    std::string to;
    api_state state = api_state::committed;
    time_point completed;
};

/// A PUT /transfers/{ID}/error the hub writes itself.
struct notify_error
{
    std::string to;
    fspiop::error_information error;
};

using effect = std::variant<forward, notify_state, notify_patch, notify_error>;

/// No command produces more than two effects; four leaves room and never allocates.
using effect_list = boost::container::static_vector<effect, 4>;

/// What a command did: the transfer's state afterwards (none when the transfer is unknown)
/// and the messages to send. A command that changed nothing may still have effects (an
/// error to the sender, a resend of the current state).
struct decision
{
    std::optional<transfer_state> state;
    bool changed = false;
    effect_list effects;
};

/// A transfer that expired, and what to send about it.
struct expiry
{
    std::string transfer_id;
    std::uint8_t tag = 0;
    decision outcome;
};

/// How far in the future a fulfil's completedTimestamp may lie (ml-api-adapter's
/// MAX_CALLBACK_TIME_LAG_DILATION_MILLISECONDS): clocks of hub and payee differ a little.
inline constexpr std::chrono::milliseconds completed_timestamp_tolerance{200};

/// True when a fulfil's completedTimestamp lies further in the future than the tolerance;
/// ml-api-adapter refuses it with 400 and 3100 before the ledger sees it.
[[nodiscard]] bool completed_in_future(time_point completed, time_point now) noexcept;

/// The `cause` extension central-ledger adds to an ABORTED transfer's state:
/// "<errorCode>: <errorDescription>", cut at 128 characters.
[[nodiscard]] fspiop::extension abort_cause(fspiop::error_information const& error);

// ---- The book ------------------------------------------------------------------------------

/// One transfer as the book keeps it.
struct transfer
{
    std::string id;
    std::string payer_fsp;
    std::string payee_fsp;
    account_id payer_position = 0; ///< 0 when the prepare was invalid
    account_id payee_position = 0;
    decimal amount;
    std::string currency;
    std::string condition;
    time_point expiration;
    time_point created;
    std::optional<time_point> completed;
    std::string fulfilment;
    transfer_state state = transfer_state::received_prepare;
    std::optional<fspiop::error_information> error; ///< why it was aborted
    window_id window = 0; ///< settlement window, once committed
    body_digest prepare_hash{};
    std::optional<body_digest> fulfil_hash;
    std::optional<body_digest> error_hash;
    std::uint8_t tag = 0;
};

struct transfer_book_options
{
    /// SEND_TRANSFER_CONFIRMATION_TO_PAYEE of ml-api-adapter (default true): the payee gets a
    /// copy of the commit (PUT /transfers/{ID}) and of abort errors.
    bool send_transfer_confirmation_to_payee = true;
};

class transfer_book
{
public:
    /// The registry and settlement book must outlive the transfer book.
    transfer_book(participant_registry& participants, settlement_book& settlement, transfer_book_options opts = {});

    /// POST /transfers: duplicates, validation (3100), liquidity (4001), net debit cap
    /// (4200), then the reservation and the forward to the payee.
    decision prepare(prepare_command cmd, time_point now);

    /// PUT /transfers/{ID}: existence (3208), source and destination (3100, aborts a
    /// reserved transfer; not recorded as a duplicate), duplicates, fulfilment (3100 when it
    /// is missing, 2001 when not 32 bytes, 3100 when it does not match; aborts),
    /// state (3100), expiry (3303, expires the transfer), then the commit.
    decision fulfil(fulfil_command cmd, time_point now);

    /// PUT /transfers/{ID}/error: existence (3208), source and destination as for a fulfil
    /// (3100, aborts a reserved transfer), duplicates, state, then the abort; the error is forwarded to the payer. An errorCode that is not a valid
    /// FSPIOP code is replaced by 3100, as the hub does.
    decision reject(reject_command cmd, time_point now);

    /// GET /transfers/{ID}: the current state to the requester as a PUT /transfers/{ID}
    /// (ABORTED with the `cause` extension), 3208 unknown, 3000 when the requester is neither
    /// payer nor payee.
    [[nodiscard]] decision query(query_command const& cmd) const;

    /// Expire every reserved transfer whose expiration is not after `now`: the reservation
    /// is released and both payer and payee get 3303 from the hub. In expiry order.
    std::vector<expiry> expire_due(time_point now);

    /// The earliest expiration of a transfer still reserved (for a precise sweeper).
    [[nodiscard]] std::optional<time_point> next_expiry();

    [[nodiscard]] transfer const* find(std::string_view id) const noexcept;
    /// The internal state, SETTLED for committed transfers of a settled window.
    [[nodiscard]] std::optional<transfer_state> state_of(std::string_view id) const noexcept;
    [[nodiscard]] std::size_t size() const noexcept { return transfers_.size(); }
    /// Transfers reserved and not yet final.
    [[nodiscard]] std::size_t in_flight() const noexcept { return in_flight_; }
    [[nodiscard]] std::vector<transfer> const& transfers() const noexcept { return transfers_; }
    [[nodiscard]] transfer_book_options const& options() const noexcept { return opts_; }

private:
    using index = std::uint32_t;

    struct due
    {
        time_point at;
        index which;
        friend bool operator>(due const& a, due const& b) noexcept { return a.at > b.at; }
    };

    /// The answer to a message seen before for `t`: 3106 when its body changed, the
    /// current state when the transfer is final, else nothing (it is still in progress).
    [[nodiscard]] decision duplicate(transfer const& t, bool same_body, std::string to) const;
    /// What a fulfil and a reject check first, with `seen` their own table of body hashes
    /// (set here on first sight): a duplicate, then a transfer that is no longer RESERVED
    /// (3303 when it expired, else 3100). A decision when the message stops here.
    [[nodiscard]] std::optional<decision> screen(transfer& t, std::optional<body_digest>& seen,
                                                 body_digest const& hash, std::string& source) const;
    /// The current state for a requester, as a GET or a duplicate gets it.
    [[nodiscard]] effect resend(transfer const& t, std::string to) const;
    [[nodiscard]] transfer_state effective_state(transfer const& t) const noexcept;
    transfer& store(prepare_command& cmd, time_point now);
    /// Release the reservation and tell the payer; the payee gets a PATCH when `patch_payee`,
    /// else a copy when `copy_payee` and the scheme sends confirmations.
    void abort(transfer& t, transfer_state to, fspiop::error_information error, bool patch_payee, decision& d,
               time_point now, bool copy_payee = true);
    /// Why a fulfil or error callback may not speak for `t` (FSPIOP-Source not the payee,
    /// FSPIOP-Destination given and not the payer), or nothing.
    [[nodiscard]] static std::optional<fspiop::error_information>
    wrong_route(transfer const& t, std::string_view source, std::string_view destination);
    /// A callback from the wrong FSP: ABORT_VALIDATION of a reserved transfer, else the error
    /// to the sender alone. Never recorded for duplicate detection.
    decision refuse_route(transfer& t, fspiop::error_information error, std::string sender, bool patch_payee,
                          time_point now);
    void expire(transfer& t, decision& d, time_point now);
    [[nodiscard]] decision reply_error(transfer const* t, std::string to, fspiop::errc code,
                                       std::string detail = {}) const;

    participant_registry& participants_;
    settlement_book& settlement_;
    transfer_book_options opts_;
    std::vector<transfer> transfers_;
    std::unordered_map<std::string, index, string_hash, std::equal_to<>> by_id_;
    std::priority_queue<due, std::vector<due>, std::greater<>> expiries_;
    std::size_t in_flight_ = 0;
};

} // namespace mojasim::ledger
