// Deferred multilateral net settlement (fspiop.md §7.10): exactly one OPEN window collects
// the committed transfers; closing it opens the next; a settlement over closed windows
// walks its accounts through PS_TRANSFERS_RECORDED, PS_TRANSFERS_RESERVED,
// PS_TRANSFERS_COMMITTED and SETTLED. When an account's settlement is committed its net
// amount leaves the POSITION (restoring net debit cap headroom) and moves to the
// participant's SETTLEMENT balance, so the money that changed hands shows where it went.
#pragma once

#include "simulator/ledger/participant_registry.hpp"
#include "simulator/ledger/types.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mojasim::ledger {

enum class window_state : std::uint8_t
{
    open,
    closed,
    pending_settlement,
    settled,
    aborted,
};

/// "OPEN", "CLOSED", "PENDING_SETTLEMENT", "SETTLED", "ABORTED".
std::string_view to_string(window_state s) noexcept;

/// The net amount of one POSITION account over a window: payer +amount, payee -amount for
/// each committed transfer.
struct net_entry
{
    account_id account = 0;
    decimal net;
};

struct settlement_window
{
    window_id id = 0;
    window_state state = window_state::open;
    std::string reason;
    time_point created;
    time_point changed;
    std::size_t transfer_count = 0;
    std::vector<net_entry> entries; ///< one per position account that moved, in first-seen order
    std::vector<std::string> currencies; ///< currencies of the transfers, in first-seen order
};

enum class settlement_state : std::uint8_t
{
    pending_settlement,
    ps_transfers_recorded,
    ps_transfers_reserved,
    ps_transfers_committed,
    settled,
    aborted,
};

/// "PENDING_SETTLEMENT", "PS_TRANSFERS_RECORDED", ..., "SETTLED", "ABORTED".
std::string_view to_string(settlement_state s) noexcept;
std::optional<settlement_state> settlement_state_from_string(std::string_view s) noexcept;

/// One participant account within a settlement.
struct settlement_account
{
    participant_id participant = 0;
    account_id account = 0; ///< the POSITION account
    std::string currency;
    decimal net; ///< > 0: the participant pays (net sender); < 0: it receives
    settlement_state state = settlement_state::pending_settlement;
    std::string reason;
};

struct settlement
{
    settlement_id id = 0;
    settlement_state state = settlement_state::pending_settlement; ///< the least advanced account's
    std::string reason;
    std::string model;
    time_point created;
    time_point changed;
    std::vector<window_id> windows;
    std::vector<settlement_account> accounts;
};

/// A request to move one account of a settlement (PUT /settlements/{id} participants form).
struct account_transition
{
    participant_id participant = 0;
    account_id account = 0;
    settlement_state state = settlement_state::ps_transfers_recorded;
    std::string reason;
};

class settlement_book
{
public:
    /// Opens window 1 at `now`.
    explicit settlement_book(time_point now = {});

    [[nodiscard]] window_id open_window() const noexcept { return open_; }
    [[nodiscard]] settlement_window const* find_window(window_id id) const noexcept;
    [[nodiscard]] std::span<settlement_window const> windows() const noexcept { return windows_; }
    [[nodiscard]] settlement const* find_settlement(settlement_id id) const noexcept;
    [[nodiscard]] std::span<settlement const> settlements() const noexcept { return settlements_; }

    /// Whether record() can book the amount: false when the payer's or the payee's net in
    /// the open window would leave the decimal range.
    [[nodiscard]] bool can_record(account_id payer_position, account_id payee_position, decimal amount) const noexcept;
    /// Book a committed transfer into the open window (can_record first); returns that window.
    window_id record(account_id payer_position, account_id payee_position, std::string_view currency,
                     decimal amount);

    /// POST /settlementWindows/{id} {state: CLOSED, reason}: close the open window and open
    /// the next, which is returned. 3100 when the window is unknown or not OPEN.
    result<settlement_window const*> close(window_id id, std::string reason, time_point now);

    /// POST /settlements {settlementModel, reason, settlementWindows}: settle closed windows.
    /// Every window must exist and be CLOSED (3100); they become PENDING_SETTLEMENT. An
    /// account's net over the windows out of range is 3100 too, and nothing changes.
    result<settlement const*> create_settlement(std::string model, std::string reason,
                                                std::span<window_id const> windows,
                                                participant_registry const& participants, time_point now);

    /// PUT /settlements/{id}: move accounts forward (a step may jump several states; going
    /// back is 3100). Reaching PS_TRANSFERS_COMMITTED resets the account's position by its
    /// net amount; when every account is SETTLED the windows are SETTLED. An empty list
    /// moves every account to `all` (the emulator's shortcut for the whole settlement).
    /// ABORTED is allowed until an account is committed; the windows return to CLOSED.
    result<settlement const*> advance(settlement_id id, std::span<account_transition const> transitions,
                                      participant_registry& participants, time_point now);
    result<settlement const*> advance_all(settlement_id id, settlement_state all, std::string reason,
                                          participant_registry& participants, time_point now);

    /// True when the window of a committed transfer has been settled.
    [[nodiscard]] bool is_settled(window_id id) const noexcept;

private:
    /// A settlement that can still move: 3002 when unknown, 3100 when ABORTED or SETTLED.
    result<settlement*> movable(settlement_id id);
    /// True when moving the account to `to` commits its settlement transfers (money moves).
    static bool moves_money(settlement_account const& a, settlement_state to) noexcept;
    /// 3100 when committing the account would take its position or settlement balance out
    /// of range; checked for every account before any moves.
    static result<void> can_commit(settlement_account const& a, settlement_state to,
                                   participant_registry const& participants);
    result<void> move_account(settlement& s, settlement_account& a, settlement_state to,
                              participant_registry& participants, time_point now);
    void refresh(settlement& s, time_point now);

    std::vector<settlement_window> windows_; // index = id - 1
    std::vector<settlement> settlements_;    // index = id - 1
    window_id open_ = 1;
};

} // namespace mojasim::ledger
