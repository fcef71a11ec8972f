// The batch model: one batch per accepted upload, one payment row per CSV row, and the
// store of batches per tenant. Pure data and rules; the actor drives the payments.
//
// Memory per row stays small: values that repeat across a batch (payer, mode, currency,
// note, error texts, DFSP ids) are interned once per batch and rows hold 32-bit ids; rows
// keep only their own request_id, payee identifier and transaction id as strings.
// Counters are kept incrementally, so at every moment
// successful + failed + ongoing == total, and a summary costs O(1).
#pragma once

#include "payment-hub/upload.hpp"
#include "simulator/connector/types.hpp"
#include "simulator/core/decimal.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mojasim::hub {

/// Interned strings of one batch. Id 0 is the empty string.
class string_table
{
public:
    using id = std::uint32_t;

    string_table();
    string_table(string_table const&) = delete;
    string_table& operator=(string_table const&) = delete;

    id intern(std::string_view s);
    [[nodiscard]] std::string_view get(id i) const noexcept { return strings_[i]; }
    [[nodiscard]] std::size_t size() const noexcept { return strings_.size(); }

private:
    std::deque<std::string> strings_; // stable addresses: the index keys view into them
    std::unordered_map<std::string_view, id> index_;
};

/// A transfer's status as the operations app reports it.
enum class row_status : std::uint8_t { in_progress, completed, failed };
std::string_view to_string(row_status s) noexcept; ///< "IN_PROGRESS", "COMPLETED", "FAILED"

/// One payment.
struct payment_row
{
    std::string request_id;       ///< CSV request_id: the ops API's clientCorrelationId
    std::string payee_identifier;
    std::string transaction_id;   ///< the hub's id, replaced by the connector's transferId
    core::decimal amount;         ///< zero when the CSV amount was not a number
    std::int64_t started_ms = 0;
    std::int64_t completed_ms = 0;
    std::uint64_t workflow_key = 0;
    string_table::id payer_identifier = 0;
    string_table::id payer_type = 0;   ///< the party id type sent (MSISDN), or the CSV's
    string_table::id payee_type = 0;
    string_table::id payment_mode = 0;
    string_table::id currency = 0;
    string_table::id note = 0;
    string_table::id payee_dfsp = 0;   ///< forced (X-PayeeDFSP-ID, payee_dfsp_id) or learnt
    string_table::id error_code = 0;
    string_table::id error_description = 0;
    string_table::id status_detail = 0;
    row_status status = row_status::in_progress;
    bool payable = false;              ///< passed the hub's checks: waits for the connector
    bool bulk = false;                 ///< its payment mode is BULK: paid in a sub-batch
};

/// PH-EE's notes for rows the hub fails itself, and the codes it files them under.
namespace row_note {
inline constexpr std::string_view duplicate = "Duplicate transaction";
inline constexpr std::string_view mode_not_configured = "Payment mode not configured";
inline constexpr std::string_view invalid_data = "Invalid data";
inline constexpr std::string_view invalid_amount = "Invalid amount";
/// The batch note PH-EE sets when rows fail its data check.
inline constexpr std::string_view batch_invalid_data = "Invalid data in file data processing stopped";
} // namespace row_note

/// How a batch came in: PH-EE's bulk API, G2P Connect's disburse API or OpenG2P's
/// interoperability layer. All land in one store and are paid and reported alike.
enum class ingress : std::uint8_t { phee, g2p_connect, interop };
std::string_view to_string(ingress i) noexcept; ///< "phee", "g2p_connect", "interop"

/// Everything a batch knows besides its rows.
struct batch_info
{
    std::string batch_id;
    std::string tenant;
    std::string payer_fsp;       ///< the tenant's DFSP (fspId)
    std::string request_id;      ///< X-CorrelationID
    std::string purpose;
    std::string filename;
    std::string callback_url;    ///< X-CallbackURL, empty when none
    std::string payee_dfsp_id;   ///< X-PayeeDFSP-ID, empty when none
    std::string registering_institution_id;
    std::string program_id;
    bool raw = false;
    hub::ingress ingress = hub::ingress::phee;
    // G2P Connect: where and how to answer (request_id holds message.transaction_id).
    std::string sender_uri;     ///< empty: no on-disburse callback
    std::string sender_id;
    std::string message_id;
    std::string signature;
    std::string correlation_id; ///< the ack's
};

/// An entry as a G2P Connect client gave it, echoed in its status answers.
struct client_entry
{
    std::string payer_fa;
    std::string payee_fa;
    std::string amount; ///< as sent ("50.0")
};

/// A program's budget account: with X-Registering-Institution-ID and X-Program-ID, PH-EE
/// pays every row from it.
struct program_account
{
    std::string name;
    std::string identifier_type;
    std::string identifier_value;
};

/// payment_mode (case-insensitive) -> the party id type of both parties. MOJALOOP -> MSISDN.
using payment_mode_table = std::vector<std::pair<std::string, connector::party_id_type>>;
std::optional<connector::party_id_type> find_mode(payment_mode_table const& modes, std::string_view mode) noexcept;

class batch
{
public:
    batch_info info;
    std::int64_t started_ms = 0;
    std::int64_t completed_ms = 0; ///< 0 while a row is ongoing
    std::uint64_t sequence = 0;    ///< store order; also the ops API's Batch.id
    std::uint64_t workflow_key = 0;
    std::optional<std::string> note;
    std::string modes;             ///< distinct payment modes, comma-separated
    string_table strings;
    std::vector<payment_row> rows;
    std::vector<int> phases_left{20, 40, 60, 80, 100}; ///< progress callbacks not yet sent
    std::size_t next_row = 0;      ///< the next row to hand to a payment worker
    std::size_t next_bulk_row = 0; ///< the next row to put in a sub-batch (BULK modes)
    std::vector<client_entry> client_entries; ///< G2P Connect batches: one per row, else empty

    [[nodiscard]] std::size_t total() const noexcept { return rows.size(); }
    [[nodiscard]] std::size_t ongoing() const noexcept { return ongoing_; }
    [[nodiscard]] std::size_t successful() const noexcept { return successful_; }
    [[nodiscard]] std::size_t failed() const noexcept { return failed_; }
    [[nodiscard]] core::decimal total_amount() const noexcept { return total_amount_; }
    [[nodiscard]] core::decimal ongoing_amount() const noexcept { return ongoing_amount_; }
    [[nodiscard]] core::decimal successful_amount() const noexcept { return successful_amount_; }
    [[nodiscard]] core::decimal failed_amount() const noexcept { return failed_amount_; }
    [[nodiscard]] bool finished() const noexcept { return ongoing_ == 0; }

    /// Whether a row of `amount` can join: false when the batch's total would leave the
    /// decimal range (make_batch fails such a row as an invalid amount).
    [[nodiscard]] bool can_add(core::decimal amount) const noexcept
    {
        return checked_add(total_amount_, amount).has_value();
    }
    /// Add a row (in progress) and count it; its amount must pass can_add. Rows' amounts
    /// are never negative, so every partial sum (ongoing, successful, failed) is at most
    /// the total and fits too.
    payment_row& add_row(payment_row row);

    /// Settle an ongoing row. Returns false (and changes nothing) when it is not ongoing.
    bool complete_row(std::size_t i, std::int64_t now_ms);
    bool fail_row(std::size_t i, std::int64_t now_ms, std::string_view code, std::string_view description,
                  std::string_view detail = {});

    /// PH-EE's completion rate for callbacks: successful * 100 / total, truncated.
    [[nodiscard]] int completion_rate() const noexcept;

private:
    /// Move ongoing row i to `to` (completed or failed) and count it; null when not ongoing.
    payment_row* settle_row(std::size_t i, std::int64_t now_ms, row_status to);

    std::size_t ongoing_ = 0;
    std::size_t successful_ = 0;
    std::size_t failed_ = 0;
    core::decimal total_amount_;
    core::decimal ongoing_amount_;
    core::decimal successful_amount_;
    core::decimal failed_amount_;
};

/// A batch's key among all tenants' batches: tenant, 0x1F, batch id.
std::string batch_key(batch const& b);

/// What make_batch needs from the hub's configuration.
struct batch_rules
{
    payment_mode_table const* modes = nullptr;
    program_account const* program = nullptr; ///< payer override, or null
    /// Take both parties' id types from the row (G2P Connect, interop layer); the mode then
    /// only has to be configured.
    bool row_id_types = false;
};

/// Build a batch from an accepted upload, applying PH-EE's row rules in order: a malformed
/// row or a bad amount fails ("Invalid data" / "Invalid amount"), a request_id seen before
/// fails ("Duplicate transaction"), an unknown payment_mode fails ("Payment mode not
/// configured"); every other row waits for its payment. A row an ingress rejected
/// (input_row::reject_code) fails with its code and note, before the duplicate check. `next_id` makes transaction ids.
std::unique_ptr<batch> make_batch(batch_info info, accepted_upload const& upload, batch_rules const& rules,
                                  std::int64_t now_ms, std::function<std::string()> const& next_id,
                                  std::uint64_t& next_workflow_key);

/// PH-EE sends a progress callback when the completion rate reaches a phase not yet sent:
/// removes every phase <= rate and returns true when at least one was removed.
bool take_phases(std::vector<int>& phases_left, int rate);

/// Batches per tenant, in arrival order. Finished batches beyond `max_batches` are dropped,
/// oldest first; ongoing batches are never dropped.
class batch_store
{
public:
    explicit batch_store(std::size_t max_batches = 1000) : max_batches_(max_batches) {}

    batch& add(std::unique_ptr<batch> b);
    [[nodiscard]] batch* find(std::string_view tenant, std::string_view batch_id) noexcept;
    [[nodiscard]] batch const* find(std::string_view tenant, std::string_view batch_id) const noexcept;
    [[nodiscard]] std::size_t size() const noexcept { return order_.size(); }

    /// Every batch of a tenant, oldest first.
    template<class F>
    void for_each(std::string_view tenant, F&& f) const
    {
        for(auto const& b : order_)
            if(b->info.tenant == tenant)
                f(*b);
    }

    /// Every batch, oldest first.
    template<class F>
    void for_each(F&& f) const
    {
        for(auto const& b : order_)
            f(*b);
    }

private:
    static std::string key(std::string_view tenant, std::string_view id);
    void evict();

    std::size_t max_batches_;
    std::vector<std::unique_ptr<batch>> order_;
    std::unordered_map<std::string, batch*> index_;
};

} // namespace mojasim::hub
