// Participants of the switch as central-ledger keeps them: each FSP with its accounts per
// currency (POSITION and SETTLEMENT), its net debit cap, its callback endpoints, and the
// hub's own accounts. Funds in and out move SETTLEMENT balances against the hub's
// HUB_RECONCILIATION account (fspiop.md §7.4, §7.10).
//
// Sign conventions of the real hub: a POSITION > 0 means the FSP owes the scheme; funds
// deposited make a SETTLEMENT balance negative (recordFundsIn 10000 -> -10000), so the
// liquidity cover of an FSP is -settlement. Every movement has an opposite one on another
// account, so for each currency the balances add up (see the invariants in the tests).
#pragma once

#include "simulator/ledger/types.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mojasim::ledger {

/// One account (central-ledger's participantCurrency + participantPosition).
struct account
{
    account_id id = 0;
    participant_id owner = 0;
    account_type type = account_type::position;
    std::string currency;
    bool active = false;
    decimal value;          ///< the position or balance
    decimal reserved_value; ///< always 0 here: reservations are part of `value`, as in the real hub
    /// The part of `value` that prepared transfers hold (reserve() adds, release() and
    /// commit_reservation() take away). Every checked change keeps both `value` and
    /// `value - reservations` in range, so a release, which lands between the two, always
    /// fits.
    decimal reservations;
    /// NET_DEBIT_CAP of a POSITION account, once set (initialPositionAndLimits).
    std::optional<decimal> net_debit_cap;
    int alarm_percentage = 10;
    time_point created;
    time_point changed;
};

/// A callback endpoint (FSPIOP_CALLBACK_URL_* or an email type) and its template value.
struct endpoint
{
    std::string type;
    std::string value;
};

struct participant
{
    participant_id id = 0;
    std::string name;
    bool active = true;
    bool is_hub = false;
    time_point created;
    std::vector<account_id> accounts;
    std::vector<endpoint> endpoints;
};

/// A settlement model (POST /settlementModels) on POSITION/SETTLEMENT accounts, or on
/// INTERCHANGE_FEE/INTERCHANGE_FEE_SETTLEMENT accounts (central-ledger's seeds for interchange
/// fees: accepted, recorded and given their accounts, but no transfer moves fees). Their
/// attributes other than requireLiquidityCheck are recorded and reported but the settlement
/// itself is always deferred multilateral net.
struct settlement_model
{
    std::uint32_t id = 0;
    std::string name;
    bool active = true;
    std::string granularity = "NET";
    std::string interchange = "MULTILATERAL";
    std::string delay = "DEFERRED";
    std::string currency; ///< empty: the default model for every currency
    bool require_liquidity_check = true;
    account_type ledger_account_type = account_type::position;
    account_type settlement_account_type = account_type::settlement;
    bool auto_position_reset = true;
};

enum class funds_action : std::uint8_t
{
    record_funds_in,
    record_funds_out_prepare_reserve,
    record_funds_out_commit,
    record_funds_out_abort,
};

/// "recordFundsIn", ... as the Admin API spells them.
std::string_view to_string(funds_action a) noexcept;
std::optional<funds_action> funds_action_from_string(std::string_view s) noexcept;

/// POST /participants/{name}/accounts/{id} (and PUT .../transfers/{transferId}).
struct funds_command
{
    std::string participant;
    account_id account = 0;
    funds_action action = funds_action::record_funds_in;
    std::string transfer_id;
    decimal amount;       ///< ignored for commit and abort
    std::string currency; ///< ignored for commit and abort
    std::string reason;
    std::string external_reference;
};

enum class funds_state : std::uint8_t
{
    reserved,  ///< funds out reserved: already off the settlement balance
    committed, ///< done
    aborted,   ///< funds out aborted (by the operator, or for lack of funds)
};

/// A funds in/out transfer as the registry keeps it.
struct funds_transfer
{
    std::string id;
    account_id account = 0;
    funds_action action = funds_action::record_funds_in;
    decimal amount;
    funds_state state = funds_state::committed;
    std::string reason;
    time_point changed{}; ///< when it reached its state (a GET /transfers/{ID} names it)
};

/// Transparent hashing so maps keyed by std::string can be searched with a string_view.
struct string_hash
{
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

class participant_registry
{
public:
    /// A registry with the hub participant (id 1, no accounts yet) named `hub_name`.
    explicit participant_registry(std::string hub_name, time_point now = {});

    [[nodiscard]] std::string const& hub_name() const noexcept { return participants_.front().name; }
    [[nodiscard]] static constexpr participant_id hub_id() noexcept { return 1; }

    // ---- Onboarding (central-ledger Admin API) -------------------------------------------

    /// POST /participants/{hub}/accounts {type, currency}: a hub account (active, balance 0).
    /// Only the hub may have them, only the two hub types, once per currency (3003).
    result<participant const*> add_hub_account(std::string_view name, account_type type, std::string_view currency,
                                               time_point now);

    /// POST /settlementModels. Names are unique (3000); one model per currency and one
    /// default (3000) for each ledger account type. A model on INTERCHANGE_FEE gives every
    /// FSP in its currency (every FSP for a default model) an INTERCHANGE_FEE and an
    /// INTERCHANGE_FEE_SETTLEMENT account, as central-ledger creates the model's account types
    /// for the participants that match it; FSPs added later get them too.
    result<settlement_model const*> add_settlement_model(settlement_model model, time_point now = {});

    /// POST /participants {name, currency}: creates the participant if new and its POSITION
    /// and SETTLEMENT accounts in `currency`, inactive until initialPositionAndLimits. Needs
    /// both hub accounts in the currency (3003) and a settlement model (6000); a currency
    /// registered twice is 3000.
    result<participant const*> add_participant(std::string_view name, std::string_view currency, time_point now);

    /// PUT /participants/{name} {isActive}.
    result<participant const*> set_participant_active(std::string_view name, bool active);

    /// POST /participants/{name}/initialPositionAndLimits: sets the NET_DEBIT_CAP and the
    /// initial position once (2001 the second time) and activates both accounts.
    result<void> set_initial_position_and_limits(std::string_view name, std::string_view currency,
                                                 decimal net_debit_cap, decimal initial_position, time_point now);

    /// PUT /participants/{name}/limits: a new NET_DEBIT_CAP and alarm percentage.
    result<account const*> adjust_net_debit_cap(std::string_view name, std::string_view currency, decimal value,
                                                int alarm_percentage, time_point now);

    /// PUT /participants/{name}/accounts/{id} {isActive}: only POSITION accounts (2001).
    result<void> set_account_active(std::string_view name, account_id id, bool active, time_point now);

    /// POST /participants/{name}/endpoints {type, value}: adds or replaces.
    result<void> set_endpoint(std::string_view name, std::string type, std::string value);

    /// Funds in and out of a SETTLEMENT account, with central-ledger's checks (2001: unknown
    /// or inactive participant, account of another participant or currency, inactive or not
    /// a SETTLEMENT account). A repeated transfer id is ignored (the real hub answers 202 and
    /// drops duplicates). A funds-out reservation that would leave the account with less
    /// than nothing is aborted at once ("Aborted due to insufficient funds"), as the hub does.
    /// Commit and abort need a reserved funds-out transfer of this account (3208 otherwise).
    result<funds_transfer const*> record_funds(funds_command cmd, time_point now);

    // ---- Lookups -----------------------------------------------------------------------

    [[nodiscard]] participant const* find(std::string_view name) const noexcept;
    [[nodiscard]] participant const* find(participant_id id) const noexcept;
    [[nodiscard]] account const* find_account(account_id id) const noexcept;
    /// The participant's account of that type and currency, active or not.
    [[nodiscard]] account const* account_of(participant_id owner, account_type type,
                                            std::string_view currency) const noexcept;
    /// The template registered for an endpoint type, or empty.
    [[nodiscard]] static std::string_view endpoint_of(participant const& p, std::string_view type) noexcept;
    /// The model that applies to a currency: its own, else the default; null when none.
    [[nodiscard]] settlement_model const* model_for(std::string_view currency) const noexcept;
    [[nodiscard]] funds_transfer const* find_funds_transfer(std::string_view id) const noexcept;

    [[nodiscard]] std::span<participant const> participants() const noexcept { return participants_; }
    [[nodiscard]] std::span<account const> accounts() const noexcept { return accounts_; }
    [[nodiscard]] std::span<settlement_model const> settlement_models() const noexcept { return models_; }

    // ---- Movements, for the transfer and settlement books ------------------------------

    /// Add `delta` to an account's value. The callers have validated the movement and make
    /// the opposite movement themselves; the only check is the range: false, and nothing
    /// changed, when the value (or the value without its reservations) would not fit.
    [[nodiscard]] bool move(account_id id, decimal delta, time_point now) noexcept;
    /// Whether move(id, delta) would succeed.
    [[nodiscard]] bool can_move(account_id id, decimal delta) const noexcept;
    /// A prepared transfer's reservation: value and reservations grow by `amount`; false,
    /// and nothing changed, when either would not fit.
    [[nodiscard]] bool reserve(account_id id, decimal amount, time_point now) noexcept;
    /// Undo a reservation made by reserve() (abort, expiry): always fits.
    void release(account_id id, decimal amount, time_point now) noexcept;
    /// A reservation made by reserve() becomes a committed debit: `value` stays, the
    /// reservations shrink. Always fits.
    void commit_reservation(account_id id, decimal amount) noexcept;

private:
    participant* find_mutable(std::string_view name) noexcept;
    account& new_account(participant& p, account_type type, std::string_view currency, bool active, time_point now);
    /// The INTERCHANGE_FEE and INTERCHANGE_FEE_SETTLEMENT accounts of `p` in `currency` (active).
    void add_fee_accounts(participant& p, std::string_view currency, time_point now);
    /// An active INTERCHANGE_FEE model covers `currency`.
    [[nodiscard]] bool has_fee_model(std::string_view currency) const noexcept;

    std::vector<participant> participants_; // index = id - 1; the hub first
    std::vector<account> accounts_;         // index = id - 1
    std::vector<settlement_model> models_;
    std::unordered_map<std::string, participant_id, string_hash, std::equal_to<>> by_name_;
    std::unordered_map<std::string, funds_transfer, string_hash, std::equal_to<>> funds_;
};

} // namespace mojasim::ledger
