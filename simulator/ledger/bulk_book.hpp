// The switch's bulk transfers, without I/O, in the shape of transfer_book: each command
// returns a `bulk_decision` (the bulk's state afterwards and the messages to send, as data).
//
// A bulk owns its individual transfers, and they live in the SAME transfer_book as single
// transfers: prepared, fulfilled, rejected and expired by its commands, so positions, the
// settlement windows, the Admin API and GET /transfers/{ID} see them as any transfer. The
// transfer book's own effects for an item (PUT /transfers/{ID}, ...) are not sent: the bulk
// reports its items together, in PUT /bulkTransfers/{ID}.
//
// States (BulkTransferState of the API; central-ledger's bulk handlers):
//   RECEIVED    stored, items not yet prepared (only inside prepare());
//   ACCEPTED    every item went through prepare; the prepared ones went to the payee;
//   PROCESSING  the payee's results arrived, some items are still reserved (they end by
//               expiry);
//   COMPLETED   every item is final (committed, aborted or expired);
//   REJECTED    the bulk was refused as a whole (validation), no item could be prepared, or
//               the payee rejected the whole bulk (PUT /bulkTransfers/{ID}/error).
// PENDING (central-ledger's PENDING_PREPARE) is never observed: items are prepared in one call.
#pragma once

#include "simulator/fspiop/errors.hpp"
#include "simulator/ledger/transfer_book.hpp"
#include "simulator/ledger/types.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace mojasim::ledger {

/// The BulkTransferState enumeration of the API.
enum class bulk_state : std::uint8_t
{
    received,
    pending,
    accepted,
    processing,
    completed,
    rejected,
};

/// "RECEIVED", "PENDING", ...
std::string_view to_string(bulk_state s) noexcept;

/// The hub's limit on items per bulk (fspiop.md: at most 1,000).
inline constexpr std::size_t max_bulk_items = 1000;

// ---- Commands ------------------------------------------------------------------------------

/// One individualTransfer of a POST /bulkTransfers. `payee_fsp` is the payee FSP the item's
/// ILP packet names (empty when it names none or was not decoded); `hash` tells a resent
/// item from a changed one.
struct bulk_item_command
{
    std::string transfer_id;
    decimal amount;
    std::string currency;
    std::string condition;
    std::string payee_fsp;
    body_digest hash{};
};

/// POST /bulkTransfers, decoded.
struct bulk_prepare_command
{
    std::string bulk_id;
    std::string payer_fsp;
    std::string payee_fsp;
    time_point expiration;
    std::string source; ///< FSPIOP-Source
    body_digest hash{};
    std::uint8_t tag = 0; ///< kept with the bulk and its items (the shell's API version)
    std::vector<bulk_item_command> items;
};

/// One individualTransferResult of the payee's PUT /bulkTransfers/{ID}.
struct bulk_result_command
{
    std::string transfer_id;
    std::string fulfilment;
    std::optional<fspiop::error_information> error;
};

/// PUT /bulkTransfers/{ID} from the payee.
struct bulk_fulfil_command
{
    std::string bulk_id;
    std::string source;
    std::string destination;
    std::optional<time_point> completed;
    body_digest hash{};
    std::vector<bulk_result_command> results;
};

/// PUT /bulkTransfers/{ID}/error from the payee.
struct bulk_reject_command
{
    std::string bulk_id;
    std::string source;
    std::string destination;
    fspiop::error_information error;
    body_digest hash{};
};

/// GET /bulkTransfers/{ID}.
struct bulk_query_command
{
    std::string bulk_id;
    std::string source;
};

// ---- Effects -------------------------------------------------------------------------------

/// One item's result as the API reports it: a fulfilment (committed), an error (aborted),
/// or neither (still reserved).
struct bulk_item_result
{
    std::string transfer_id;
    std::string fulfilment;
    std::optional<fspiop::error_information> error;

    friend bool operator==(bulk_item_result const&, bulk_item_result const&) = default;
};

/// Forward the POST /bulkTransfers being handled to the payee with the items at `items`
/// (indexes into the request's individualTransfers, in order): the prepared ones.
struct forward_bulk
{
    std::string to;
    std::vector<std::size_t> items;
    bool all = false; ///< every item is there: the body may go on untouched
};

/// Forward the payee's PUT /bulkTransfers/{ID}/error being handled to the payer.
struct forward_bulk_error
{
    std::string to;
};

/// A PUT /bulkTransfers/{ID} the hub writes: the state and, unless it is PROCESSING, the
/// completion time and the items' results.
struct notify_bulk_state
{
    std::string to;
    bulk_state state = bulk_state::completed;
    std::optional<time_point> completed;
    std::vector<bulk_item_result> results;
};

/// A PUT /bulkTransfers/{ID}/error the hub writes.
struct notify_bulk_error
{
    std::string to;
    fspiop::error_information error;
};

using bulk_effect = std::variant<forward_bulk, forward_bulk_error, notify_bulk_state, notify_bulk_error>;

struct bulk_decision
{
    std::string bulk_id;
    std::optional<bulk_state> state; ///< none when the bulk is unknown
    bool changed = false;
    std::uint8_t tag = 0;
    std::vector<bulk_effect> effects;
};

// ---- The book ------------------------------------------------------------------------------

/// One item as the bulk keeps it: its id, and either the prepare error (it never became a
/// transfer of this bulk) or nothing (it is a transfer of the transfer book).
struct bulk_item
{
    std::string transfer_id;
    std::optional<fspiop::error_information> prepare_error;
};

struct bulk_transfer
{
    std::string id;
    std::string payer_fsp;
    std::string payee_fsp;
    time_point expiration;
    time_point created;
    std::optional<time_point> completed;
    bulk_state state = bulk_state::received;
    std::optional<fspiop::error_information> error; ///< why the whole bulk was refused or rejected
    body_digest prepare_hash{};
    std::optional<body_digest> fulfil_hash;
    std::optional<body_digest> error_hash;
    std::uint8_t tag = 0;
    std::vector<bulk_item> items;
    std::size_t open = 0; ///< items still reserved
};

struct bulk_book_options
{
    /// Once a bulk is COMPLETED (every item fulfilled, aborted or expired) the payee gets the
    /// hub's PUT /bulkTransfers/{ID} too, with its items' results, as central-ledger's bulk
    /// processing handler sends it (default true). False: the payer alone, as the FSPIOP
    /// specification's bulk sequence shows it.
    bool notify_payee = true;
};

class bulk_book
{
public:
    /// The transfer book (and what it refers to) must outlive the bulk book.
    explicit bulk_book(transfer_book& transfers, bulk_book_options opts = {});

    /// POST /bulkTransfers: duplicates (3106 for a changed body; the current result again
    /// for the same one once final), the bulk's own checks (FSPIOP-Source is the payer, at
    /// most 1,000 items, every item for the bulk's payee FSP, expiration not past: 3100 to
    /// the sender, the bulk kept as REJECTED), then every item prepared in order through the
    /// transfer book (its checks, duplicates, liquidity and net debit cap per item). The
    /// prepared items go to the payee; when none could be prepared the payer gets REJECTED
    /// with every item's error.
    bulk_decision prepare(bulk_prepare_command cmd, time_point now);

    /// PUT /bulkTransfers/{ID}: unknown (3210), not from the payee or not to the payer (3100
    /// to the sender; the bulk is left as it is), duplicates, not ACCEPTED (3100), then each
    /// result as a single fulfil (fulfilment) or error (errorInformation) of its item;
    /// results for items that are not prepared items of this bulk are ignored. Once every
    /// item is final the payer gets COMPLETED with every item's result.
    bulk_decision fulfil(bulk_fulfil_command cmd, time_point now);

    /// PUT /bulkTransfers/{ID}/error: the same checks, then every item still reserved is
    /// aborted with the payee's error, the bulk is REJECTED and the error goes on to the payer.
    bulk_decision reject(bulk_reject_command cmd, time_point now);

    /// GET /bulkTransfers/{ID}: 3210 unknown, 3000 for neither payer nor payee; else the state
    /// (and, unless PROCESSING, the results: every item for the payer, the forwarded ones for
    /// the payee).
    [[nodiscard]] bulk_decision query(bulk_query_command const& cmd) const;

    /// Take the items of bulks out of `due` (the transfer book's expire_due: they are expired
    /// already) and finish the bulks that have no item left reserved: the payer gets
    /// COMPLETED with every item's result.
    std::vector<bulk_decision> take_expired(std::vector<expiry>& due, time_point now);

    /// Every item's result, in the bulk's order.
    [[nodiscard]] std::vector<bulk_item_result> results(bulk_transfer const& b, bool prepared_only = false) const;

    [[nodiscard]] bulk_transfer const* find(std::string_view id) const noexcept;
    /// The bulk a transfer of the transfer book belongs to, if any.
    [[nodiscard]] bulk_transfer const* owner_of(std::string_view transfer_id) const noexcept;
    [[nodiscard]] std::size_t size() const noexcept { return bulks_.size(); }

private:
    using index = std::uint32_t;

    bulk_decision reply_error(bulk_transfer const* b, std::string to, fspiop::errc code,
                              std::string detail = {}) const;
    /// A fulfil's or error's first checks (route, duplicates, state); a decision when the
    /// message stops there.
    std::optional<bulk_decision> screen(bulk_transfer& b, std::optional<body_digest>& seen,
                                        body_digest const& hash, std::string const& source,
                                        std::string_view destination) const;
    /// COMPLETED once no item is reserved: the payer hears every item's result (and the
    /// payee its items', with notify_payee).
    void finish_if_done(bulk_transfer& b, bulk_decision& d, time_point now);
    [[nodiscard]] notify_bulk_state state_for(bulk_transfer const& b, std::string to, bool prepared_only) const;

    transfer_book& transfers_;
    bulk_book_options opts_;
    std::vector<bulk_transfer> bulks_;
    std::unordered_map<std::string, index, string_hash, std::equal_to<>> by_id_;
    /// Item transfer id -> its bulk (only the items that became transfers of a bulk).
    std::unordered_map<std::string, index, string_hash, std::equal_to<>> owners_;
};

} // namespace mojasim::ledger
