#include "simulator/ledger/settlement_book.hpp"

#include <algorithm>
#include <utility>

namespace mojasim::ledger {

namespace {

using fspiop::errc;

failure fail(std::string detail) { return failure{errc::generic_validation_error, std::move(detail)}; }

} // namespace

std::string_view
to_string(window_state s) noexcept
{
    switch(s)
    {
    case window_state::open: return "OPEN";
    case window_state::closed: return "CLOSED";
    case window_state::pending_settlement: return "PENDING_SETTLEMENT";
    case window_state::settled: return "SETTLED";
    case window_state::aborted: return "ABORTED";
    }
    return "OPEN";
}

std::string_view
to_string(settlement_state s) noexcept
{
    switch(s)
    {
    case settlement_state::pending_settlement: return "PENDING_SETTLEMENT";
    case settlement_state::ps_transfers_recorded: return "PS_TRANSFERS_RECORDED";
    case settlement_state::ps_transfers_reserved: return "PS_TRANSFERS_RESERVED";
    case settlement_state::ps_transfers_committed: return "PS_TRANSFERS_COMMITTED";
    case settlement_state::settled: return "SETTLED";
    case settlement_state::aborted: return "ABORTED";
    }
    return "ABORTED";
}

std::optional<settlement_state>
settlement_state_from_string(std::string_view s) noexcept
{
    for(auto st : {settlement_state::pending_settlement, settlement_state::ps_transfers_recorded,
                   settlement_state::ps_transfers_reserved, settlement_state::ps_transfers_committed,
                   settlement_state::settled, settlement_state::aborted})
        if(to_string(st) == s)
            return st;
    return std::nullopt;
}

settlement_book::
settlement_book(time_point now)
{
    settlement_window w;
    w.id = 1;
    w.created = now;
    w.changed = now;
    windows_.push_back(std::move(w));
}

settlement_window const*
settlement_book::
find_window(window_id id) const noexcept
{
    return id >= 1 && id <= windows_.size() ? &windows_[id - 1] : nullptr;
}

settlement const*
settlement_book::
find_settlement(settlement_id id) const noexcept
{
    return id >= 1 && id <= settlements_.size() ? &settlements_[id - 1] : nullptr;
}

bool
settlement_book::
is_settled(window_id id) const noexcept
{
    auto const* w = find_window(id);
    return w && w->state == window_state::settled;
}

namespace {

// The net amount an account has in a window so far (zero when it has none yet).
decimal
net_of(settlement_window const& w, account_id id) noexcept
{
    for(auto const& e : w.entries)
        if(e.account == id)
            return e.net;
    return {};
}

} // namespace

bool
settlement_book::
can_record(account_id payer_position, account_id payee_position, decimal amount) const noexcept
{
    auto const& w = windows_[open_ - 1];
    return checked_add(net_of(w, payer_position), amount) && checked_sub(net_of(w, payee_position), amount);
}

window_id
settlement_book::
record(account_id payer_position, account_id payee_position, std::string_view currency, decimal amount)
{
    auto& w = windows_[open_ - 1];
    auto add = [&w](account_id id, decimal delta) {
        for(auto& e : w.entries)
        {
            if(e.account == id)
            {
                // Checked by can_record before the commit.
                e.net = checked_add(e.net, delta).value();
                return;
            }
        }
        w.entries.push_back({id, delta});
    };
    add(payer_position, amount);
    add(payee_position, -amount);
    if(std::find(w.currencies.begin(), w.currencies.end(), currency) == w.currencies.end())
        w.currencies.emplace_back(currency);
    ++w.transfer_count;
    return open_;
}

result<settlement_window const*>
settlement_book::
close(window_id id, std::string reason, time_point now)
{
    if(!find_window(id))
        return fail("settlementWindowId " + std::to_string(id) + " not found");
    if(id != open_)
        return fail("settlementWindowId " + std::to_string(id) + " is not OPEN");

    auto& w = windows_[id - 1];
    w.state = window_state::closed;
    w.reason = std::move(reason);
    w.changed = now;

    // Closing a window opens the next one.
    settlement_window next;
    next.id = static_cast<window_id>(windows_.size() + 1);
    next.created = now;
    next.changed = now;
    windows_.push_back(std::move(next));
    open_ = windows_.back().id;
    return &windows_.back();
}

result<settlement const*>
settlement_book::
create_settlement(std::string model, std::string reason, std::span<window_id const> windows,
                  participant_registry const& participants, time_point now)
{
    if(windows.empty())
        return failure{errc::missing_mandatory_element, "settlementWindows must not be empty"};
    for(std::size_t i = 0; i < windows.size(); ++i)
    {
        auto const* w = find_window(windows[i]);
        if(!w)
            return fail("settlementWindowId " + std::to_string(windows[i]) + " not found");
        if(w->state != window_state::closed)
            return fail("settlementWindowId " + std::to_string(windows[i]) + " is " + std::string(to_string(w->state)) +
                        ", not CLOSED");
        if(std::find(windows.begin(), windows.begin() + static_cast<std::ptrdiff_t>(i), windows[i]) !=
           windows.begin() + static_cast<std::ptrdiff_t>(i))
            return fail("settlementWindowId " + std::to_string(windows[i]) + " is listed twice");
    }

    settlement s;
    s.id = static_cast<settlement_id>(settlements_.size() + 1);
    s.model = std::move(model);
    s.reason = std::move(reason);
    s.created = now;
    s.changed = now;
    for(auto id : windows)
    {
        s.windows.push_back(id);
        // Sum each account's net amounts over the windows; a sum out of range refuses the
        // settlement before any window changes.
        for(auto const& e : windows_[id - 1].entries)
        {
            auto it = std::find_if(s.accounts.begin(), s.accounts.end(),
                                   [&](settlement_account const& a) { return a.account == e.account; });
            if(it != s.accounts.end())
            {
                auto const sum = checked_add(it->net, e.net);
                if(!sum)
                    return fail("the net amount of account " + std::to_string(e.account) +
                                " over these windows is beyond " + decimal::max().to_string());
                it->net = *sum;
                continue;
            }
            auto const* acc = participants.find_account(e.account);
            settlement_account a;
            a.account = e.account;
            a.participant = acc ? acc->owner : 0;
            a.currency = acc ? acc->currency : std::string();
            a.net = e.net;
            s.accounts.push_back(std::move(a));
        }
    }
    for(auto id : windows)
    {
        windows_[id - 1].state = window_state::pending_settlement;
        windows_[id - 1].changed = now;
    }
    settlements_.push_back(std::move(s));
    return &settlements_.back();
}

result<void>
settlement_book::
move_account(settlement& s, settlement_account& a, settlement_state to, participant_registry& participants,
             time_point now)
{
    if(to == settlement_state::aborted || to == settlement_state::pending_settlement)
        return fail("an account cannot move to " + std::string(to_string(to)));
    if(to < a.state)
        return fail("account " + std::to_string(a.account) + " is already " + std::string(to_string(a.state)));
    // The money moves when the account's settlement transfers are committed: the net amount
    // leaves the position and lands on the settlement balance (both sum to zero across the
    // settlement, so no hub account is left holding anything).
    if(moves_money(a, to))
    {
        // can_commit checked both moves for every account before any moved.
        (void)participants.move(a.account, -a.net, now);
        if(auto const* settle = participants.account_of(a.participant, account_type::settlement, a.currency))
            (void)participants.move(settle->id, a.net, now);
    }
    a.state = to;
    s.changed = now;
    return {};
}

bool
settlement_book::
moves_money(settlement_account const& a, settlement_state to) noexcept
{
    return a.state < settlement_state::ps_transfers_committed && to >= settlement_state::ps_transfers_committed;
}

result<void>
settlement_book::
can_commit(settlement_account const& a, settlement_state to, participant_registry const& participants)
{
    if(!moves_money(a, to))
        return {};
    auto const* settle = participants.account_of(a.participant, account_type::settlement, a.currency);
    if(!participants.can_move(a.account, -a.net) || (settle && !participants.can_move(settle->id, a.net)))
        return fail("settling account " + std::to_string(a.account) + " would take a balance beyond " +
                    decimal::max().to_string());
    return {};
}

void
settlement_book::
refresh(settlement& s, time_point now)
{
    // The settlement is as far as its least advanced account.
    auto state = settlement_state::settled;
    for(auto const& a : s.accounts)
        state = std::min(state, a.state);
    s.state = state;
    s.changed = now;
    if(state == settlement_state::settled)
    {
        for(auto id : s.windows)
        {
            windows_[id - 1].state = window_state::settled;
            windows_[id - 1].changed = now;
        }
    }
}

result<settlement*>
settlement_book::
movable(settlement_id id)
{
    if(!find_settlement(id))
        return failure{errc::generic_id_not_found, "settlement " + std::to_string(id) + " not found"};
    auto& s = settlements_[id - 1];
    if(s.state == settlement_state::aborted || s.state == settlement_state::settled)
        return fail("settlement " + std::to_string(id) + " is " + std::string(to_string(s.state)));
    return &s;
}

result<settlement const*>
settlement_book::
advance(settlement_id id, std::span<account_transition const> transitions, participant_registry& participants,
        time_point now)
{
    auto open = movable(id);
    if(!open)
        return open.error();
    auto& s = **open;
    auto const account_of = [&s](account_transition const& t) {
        return std::find_if(s.accounts.begin(), s.accounts.end(), [&t](settlement_account const& a) {
            return a.account == t.account && a.participant == t.participant;
        });
    };

    // Check every transition before applying any, so a refused request changes nothing.
    for(auto const& t : transitions)
    {
        auto const it = account_of(t);
        if(it == s.accounts.end())
            return fail("participant " + std::to_string(t.participant) + " account " + std::to_string(t.account) +
                        " is not in settlement " + std::to_string(id));
        if(t.state == settlement_state::aborted || t.state == settlement_state::pending_settlement || t.state < it->state)
            return fail("account " + std::to_string(t.account) + " cannot move from " +
                        std::string(to_string(it->state)) + " to " + std::string(to_string(t.state)));
        if(auto ok = can_commit(*it, t.state, participants); !ok)
            return ok.error();
    }
    for(auto const& t : transitions)
    {
        auto const it = account_of(t);
        auto moved = move_account(s, *it, t.state, participants, now);
        if(!moved)
            return moved.error();
        if(!t.reason.empty())
            it->reason = t.reason;
    }
    refresh(s, now);
    return &s;
}

result<settlement const*>
settlement_book::
advance_all(settlement_id id, settlement_state all, std::string reason, participant_registry& participants,
            time_point now)
{
    auto open = movable(id);
    if(!open)
        return open.error();
    auto& s = **open;

    if(all == settlement_state::aborted)
    {
        // Only a settlement whose money has not moved may be aborted.
        for(auto const& a : s.accounts)
            if(a.state >= settlement_state::ps_transfers_committed)
                return fail("settlement " + std::to_string(id) + " has committed accounts and cannot be aborted");
        for(auto& a : s.accounts)
            a.state = settlement_state::aborted;
        s.state = settlement_state::aborted;
        s.reason = std::move(reason);
        s.changed = now;
        for(auto wid : s.windows)
        {
            windows_[wid - 1].state = window_state::closed;
            windows_[wid - 1].changed = now;
        }
        return &s;
    }

    for(auto const& a : s.accounts)
    {
        if(all < a.state || all == settlement_state::pending_settlement)
            return fail("settlement " + std::to_string(id) + " cannot move from " + std::string(to_string(a.state)) +
                        " to " + std::string(to_string(all)));
        if(auto ok = can_commit(a, all, participants); !ok)
            return ok.error();
    }
    for(auto& a : s.accounts)
    {
        auto moved = move_account(s, a, all, participants, now);
        if(!moved)
            return moved.error();
    }
    if(!reason.empty())
        s.reason = std::move(reason);
    // A settlement with no accounts (windows without transfers) settles at once.
    if(s.accounts.empty())
    {
        s.state = all;
        if(all == settlement_state::settled)
            refresh(s, now);
        return &s;
    }
    refresh(s, now);
    return &s;
}

} // namespace mojasim::ledger
