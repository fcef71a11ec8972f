#include "simulator/ledger/participant_registry.hpp"

#include <algorithm>
#include <exception>
#include <stdexcept>
#include <utility>

namespace mojasim::ledger {

namespace {

using fspiop::errc;

failure fail(errc code, std::string detail) { return failure{code, std::move(detail)}; }

// central-ledger raises these as createInternalServerFSPIOPError (2001, HTTP 500).
constexpr std::string_view participant_not_found = "Participant does not exist";
constexpr std::string_view participant_inactive = "Participant is currently set inactive";

// A funds movement whose balance would leave the decimal range: refused (3100, HTTP 400)
// before anything changes.
failure out_of_range(decimal amount)
{
    return fail(errc::generic_validation_error,
                "amount " + amount.to_string() + " would take a balance beyond " + decimal::max().to_string());
}

} // namespace

void
throw_exception_from_error(failure const& f, boost::source_location const&)
{
    throw std::logic_error("ledger result used without checking: " + std::to_string(fspiop::code(f.code)) + " " +
                           f.detail);
}

std::string_view
to_string(funds_action a) noexcept
{
    switch(a)
    {
    case funds_action::record_funds_in: return "recordFundsIn";
    case funds_action::record_funds_out_prepare_reserve: return "recordFundsOutPrepareReserve";
    case funds_action::record_funds_out_commit: return "recordFundsOutCommit";
    case funds_action::record_funds_out_abort: return "recordFundsOutAbort";
    }
    return "recordFundsIn";
}

std::optional<funds_action>
funds_action_from_string(std::string_view s) noexcept
{
    for(auto a : {funds_action::record_funds_in, funds_action::record_funds_out_prepare_reserve,
                  funds_action::record_funds_out_commit, funds_action::record_funds_out_abort})
        if(to_string(a) == s)
            return a;
    return std::nullopt;
}

participant_registry::
participant_registry(std::string hub_name, time_point now)
{
    // The hub exists from the start, as central-ledger's seeded participant 1.
    participant hub;
    hub.id = hub_id();
    hub.name = std::move(hub_name);
    hub.is_hub = true;
    hub.created = now;
    by_name_.emplace(hub.name, hub.id);
    participants_.push_back(std::move(hub));
}

participant*
participant_registry::
find_mutable(std::string_view name) noexcept
{
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : &participants_[it->second - 1];
}

participant const*
participant_registry::
find(std::string_view name) const noexcept
{
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : &participants_[it->second - 1];
}

participant const*
participant_registry::
find(participant_id id) const noexcept
{
    return id >= 1 && id <= participants_.size() ? &participants_[id - 1] : nullptr;
}

account const*
participant_registry::
find_account(account_id id) const noexcept
{
    return id >= 1 && id <= accounts_.size() ? &accounts_[id - 1] : nullptr;
}

account const*
participant_registry::
account_of(participant_id owner, account_type type, std::string_view currency) const noexcept
{
    auto const* p = find(owner);
    if(!p)
        return nullptr;
    for(auto id : p->accounts)
    {
        auto const& a = accounts_[id - 1];
        if(a.type == type && a.currency == currency)
            return &a;
    }
    return nullptr;
}

std::string_view
participant_registry::
endpoint_of(participant const& p, std::string_view type) noexcept
{
    for(auto const& e : p.endpoints)
        if(e.type == type)
            return e.value;
    return {};
}

settlement_model const*
participant_registry::
model_for(std::string_view currency) const noexcept
{
    settlement_model const* fallback = nullptr;
    for(auto const& m : models_)
    {
        // Interchange fee models settle fees, not positions.
        if(!m.active || m.ledger_account_type != account_type::position)
            continue;
        if(m.currency == currency)
            return &m;
        if(m.currency.empty())
            fallback = &m;
    }
    return fallback;
}

funds_transfer const*
participant_registry::
find_funds_transfer(std::string_view id) const noexcept
{
    auto it = funds_.find(id);
    return it == funds_.end() ? nullptr : &it->second;
}

account&
participant_registry::
new_account(participant& p, account_type type, std::string_view currency, bool active, time_point now)
{
    account a;
    a.id = static_cast<account_id>(accounts_.size() + 1);
    a.owner = p.id;
    a.type = type;
    a.currency = currency;
    a.active = active;
    a.created = now;
    a.changed = now;
    p.accounts.push_back(a.id);
    accounts_.push_back(std::move(a));
    return accounts_.back();
}

namespace {

// The value of a step the invariant proves in range (see account::reservations). Reaching
// the empty case would be a bug in this file, never a consequence of input.
decimal
proven(std::optional<decimal> d) noexcept
{
    if(!d)
        std::terminate();
    return *d;
}

// The account's value and committed part (value - reservations) after adding `delta`, or
// empty when either would not fit.
std::optional<decimal>
moved_value(account const& a, decimal delta) noexcept
{
    auto const committed = checked_sub(a.value, a.reservations);
    auto const value = checked_add(a.value, delta);
    if(!committed || !value || !checked_add(*committed, delta))
        return std::nullopt;
    return value;
}

} // namespace

bool
participant_registry::
can_move(account_id id, decimal delta) const noexcept
{
    return moved_value(accounts_[id - 1], delta).has_value();
}

bool
participant_registry::
move(account_id id, decimal delta, time_point now) noexcept
{
    auto& a = accounts_[id - 1];
    auto const value = moved_value(a, delta);
    if(!value)
        return false;
    a.value = *value;
    a.changed = now;
    return true;
}

bool
participant_registry::
reserve(account_id id, decimal amount, time_point now) noexcept
{
    auto& a = accounts_[id - 1];
    auto const value = checked_add(a.value, amount);
    auto const reservations = checked_add(a.reservations, amount);
    if(!value || !reservations)
        return false;
    a.value = *value;
    a.reservations = *reservations;
    a.changed = now;
    return true;
}

void
participant_registry::
release(account_id id, decimal amount, time_point now) noexcept
{
    // value - reservations <= value - amount <= value, both in range.
    auto& a = accounts_[id - 1];
    a.value = proven(checked_sub(a.value, amount));
    a.reservations = proven(checked_sub(a.reservations, amount));
    a.changed = now;
}

void
participant_registry::
commit_reservation(account_id id, decimal amount) noexcept
{
    // 0 <= reservations - amount <= reservations.
    auto& a = accounts_[id - 1];
    a.reservations = proven(checked_sub(a.reservations, amount));
}

result<participant const*>
participant_registry::
add_hub_account(std::string_view name, account_type type, std::string_view currency, time_point now)
{
    // The checks and texts of central-ledger's createHubAccount, in its order.
    auto* p = find_mutable(name);
    if(!p)
        return fail(errc::add_party_information_error, "Participant was not found.");
    if(!core::is_currency(currency))
        return fail(errc::malformed_syntax, "currency must be an ISO 4217 code");
    if(account_of(p->id, type, currency))
        return fail(errc::add_party_information_error, "Hub account has already been registered.");
    if(!p->is_hub)
        return fail(errc::add_party_information_error, "Endpoint is reserved for creation of Hub account types only.");
    if(type != account_type::hub_multilateral_settlement && type != account_type::hub_reconciliation)
        return fail(errc::add_party_information_error, "The requested hub operator account type is not allowed.");
    new_account(*p, type, currency, true, now);
    return p;
}

result<settlement_model const*>
participant_registry::
add_settlement_model(settlement_model model, time_point now)
{
    if(model.name.empty())
        return fail(errc::missing_mandatory_element, "name is required");
    if(!model.currency.empty() && !core::is_currency(model.currency))
        return fail(errc::malformed_syntax, "currency must be an ISO 4217 code");
    bool const on_positions =
        model.ledger_account_type == account_type::position && model.settlement_account_type == account_type::settlement;
    bool const on_fees = model.ledger_account_type == account_type::interchange_fee &&
                         model.settlement_account_type == account_type::interchange_fee_settlement;
    if(!on_positions && !on_fees)
        return fail(errc::generic_validation_error,
                    "only settlement models on POSITION and SETTLEMENT or INTERCHANGE_FEE and "
                    "INTERCHANGE_FEE_SETTLEMENT accounts are supported");
    for(auto const& m : models_)
    {
        if(m.name == model.name)
            return fail(errc::generic_client_error, "Settlement model already exists");
        if(m.active && m.currency == model.currency && m.ledger_account_type == model.ledger_account_type)
            return fail(errc::generic_client_error, model.currency.empty()
                                                        ? "A default settlement model already exists"
                                                        : "A settlement model for this currency already exists");
    }
    model.id = static_cast<std::uint32_t>(models_.size() + 1);
    models_.push_back(std::move(model));
    auto const& added = models_.back();
    if(on_fees)
    {
        // The FSPs that hold a POSITION account in the model's currency get its two types.
        std::vector<std::pair<participant_id, std::string>> holders;
        for(auto const& a : accounts_)
            if(a.type == account_type::position && (added.currency.empty() || added.currency == a.currency))
                holders.emplace_back(a.owner, a.currency);
        for(auto const& [owner, currency] : holders)
            add_fee_accounts(participants_[owner - 1], currency, now);
    }
    return &added;
}

void
participant_registry::
add_fee_accounts(participant& p, std::string_view currency, time_point now)
{
    for(auto const type : {account_type::interchange_fee, account_type::interchange_fee_settlement})
        if(!account_of(p.id, type, currency))
            new_account(p, type, currency, true, now);
}

bool
participant_registry::
has_fee_model(std::string_view currency) const noexcept
{
    for(auto const& m : models_)
        if(m.active && m.ledger_account_type == account_type::interchange_fee &&
           (m.currency.empty() || m.currency == currency))
            return true;
    return false;
}

result<participant const*>
participant_registry::
add_participant(std::string_view name, std::string_view currency, time_point now)
{
    if(!core::is_currency(currency))
        return fail(errc::malformed_syntax, "currency must be an ISO 4217 code");

    // central-ledger's validateHubAccounts comes first.
    if(!account_of(hub_id(), account_type::hub_reconciliation, currency))
        return fail(errc::add_party_information_error,
                    "Hub reconciliation account for the specified currency does not exist");
    if(!account_of(hub_id(), account_type::hub_multilateral_settlement, currency))
        return fail(errc::add_party_information_error,
                    "Hub multilateral settlement account for the specified currency does not exist");

    auto* p = find_mutable(name);
    if(p && p->is_hub)
        return fail(errc::generic_client_error, "The hub participant cannot hold FSP accounts");
    if(p && account_of(p->id, account_type::position, currency))
        return fail(errc::generic_client_error, "Participant currency has already been registered");

    // Checked before anything is created, so a refusal leaves no half-made participant.
    if(!model_for(currency))
        return fail(errc::generic_settlement_error, "Unable to find a matching or default, Settlement Model");

    if(!p)
    {
        participant fresh;
        fresh.id = static_cast<participant_id>(participants_.size() + 1);
        fresh.name = name;
        fresh.created = now;
        by_name_.emplace(fresh.name, fresh.id);
        participants_.push_back(std::move(fresh));
        p = &participants_.back();
    }
    // Accounts start inactive; initialPositionAndLimits activates them (as in the real hub).
    new_account(*p, account_type::position, currency, false, now);
    new_account(*p, account_type::settlement, currency, false, now);
    if(has_fee_model(currency))
        add_fee_accounts(*p, currency, now);
    return p;
}

result<participant const*>
participant_registry::
set_participant_active(std::string_view name, bool active)
{
    auto* p = find_mutable(name);
    if(!p)
        return fail(errc::internal_server_error, std::string(participant_not_found));
    p->active = active;
    return p;
}

result<void>
participant_registry::
set_initial_position_and_limits(std::string_view name, std::string_view currency, decimal net_debit_cap,
                                decimal initial_position, time_point now)
{
    auto const* p = find(name);
    auto const* pos = p ? account_of(p->id, account_type::position, currency) : nullptr;
    auto const* settlement = p ? account_of(p->id, account_type::settlement, currency) : nullptr;
    if(!pos || !settlement)
        return fail(errc::internal_server_error, std::string(participant_not_found));
    if(net_debit_cap.is_negative())
        return fail(errc::malformed_syntax, "limit.value must be greater than or equal to 0");
    if(pos->net_debit_cap)
        return fail(errc::internal_server_error, "Participant Limit or Initial Position already set");

    auto& position = accounts_[pos->id - 1];
    position.net_debit_cap = net_debit_cap;
    position.value = initial_position;
    position.active = true;
    position.changed = now;
    auto& settle = accounts_[settlement->id - 1];
    settle.active = true;
    settle.changed = now;
    return {};
}

result<account const*>
participant_registry::
adjust_net_debit_cap(std::string_view name, std::string_view currency, decimal value, int alarm_percentage,
                     time_point now)
{
    auto const* p = find(name);
    auto const* pos = p ? account_of(p->id, account_type::position, currency) : nullptr;
    if(!pos)
        return fail(errc::internal_server_error, std::string(participant_not_found));
    if(value.is_negative())
        return fail(errc::malformed_syntax, "limit.value must be greater than or equal to 0");
    if(alarm_percentage < 0 || alarm_percentage > 100)
        return fail(errc::malformed_syntax, "limit.alarmPercentage must be between 0 and 100");
    auto& position = accounts_[pos->id - 1];
    position.net_debit_cap = value;
    position.alarm_percentage = alarm_percentage;
    position.changed = now;
    return &position;
}

result<void>
participant_registry::
set_account_active(std::string_view name, account_id id, bool active, time_point now)
{
    auto const* p = find(name);
    if(!p)
        return fail(errc::internal_server_error, std::string(participant_not_found));
    auto const* a = find_account(id);
    if(!a)
        return fail(errc::internal_server_error, "Account not found");
    if(a->owner != p->id)
        return fail(errc::internal_server_error, "Participant/account mismatch");
    if(a->type != account_type::position)
        return fail(errc::internal_server_error, "Only position account update is permitted");
    auto& acc = accounts_[id - 1];
    acc.active = active;
    acc.changed = now;
    return {};
}

result<void>
participant_registry::
set_endpoint(std::string_view name, std::string type, std::string value)
{
    auto* p = find_mutable(name);
    if(!p)
        return fail(errc::internal_server_error, std::string(participant_not_found));
    for(auto& e : p->endpoints)
    {
        if(e.type == type)
        {
            e.value = std::move(value);
            return {};
        }
    }
    p->endpoints.push_back({std::move(type), std::move(value)});
    return {};
}

result<funds_transfer const*>
participant_registry::
record_funds(funds_command cmd, time_point now)
{
    // The checks of central-ledger's recordFundsInOut, all raised as 2001.
    auto const* p = find(cmd.participant);
    if(!p)
        return fail(errc::internal_server_error, std::string(participant_not_found));
    if(!p->active)
        return fail(errc::internal_server_error, std::string(participant_inactive));
    auto const* a = find_account(cmd.account);
    bool const moves_money = cmd.action == funds_action::record_funds_in ||
                             cmd.action == funds_action::record_funds_out_prepare_reserve;
    if(!a || a->owner != p->id || (moves_money && a->currency != cmd.currency))
        return fail(errc::internal_server_error, "The account does not match participant or currency specified");
    if(!a->active)
        return fail(errc::internal_server_error, "Account is currently set inactive");
    if(a->type != account_type::settlement)
        return fail(errc::internal_server_error, "Account is not SETTLEMENT type");

    auto const* hub = account_of(hub_id(), account_type::hub_reconciliation, a->currency);
    if(!hub)
        return fail(errc::add_party_information_error,
                    "Hub reconciliation account for the specified currency does not exist");

    if(moves_money)
    {
        if(cmd.transfer_id.empty())
            return fail(errc::missing_mandatory_element, "transferId is required");
        if(cmd.amount.is_negative() || cmd.amount.is_zero())
            return fail(errc::malformed_syntax, "amount.amount must be a positive number");
        // The real hub answers 202 and its duplicate check drops a repeated transfer id.
        if(auto it = funds_.find(cmd.transfer_id); it != funds_.end())
            return &it->second;

        funds_transfer t;
        t.id = cmd.transfer_id;
        t.account = a->id;
        t.action = cmd.action;
        t.amount = cmd.amount;
        t.reason = std::move(cmd.reason);
        t.changed = now;
        if(cmd.action == funds_action::record_funds_in)
        {
            // Deposit: the settlement balance goes down (more liquidity), the hub's
            // reconciliation account up by as much. Refused whole when either would not fit.
            if(!can_move(a->id, -cmd.amount) || !can_move(hub->id, cmd.amount))
                return out_of_range(cmd.amount);
            (void)move(a->id, -cmd.amount, now);
            (void)move(hub->id, cmd.amount, now);
            t.state = funds_state::committed;
        }
        else if(auto const after = checked_add(accounts_[a->id - 1].value, cmd.amount); !after || *after > decimal{})
        {
            // Reserving more than the deposits is aborted at once, as the hub's
            // reconciliationTransferReserve does.
            t.state = funds_state::aborted;
            t.reason = "Aborted due to insufficient funds";
        }
        else
        {
            // Withdrawal, first leg: the funds leave the settlement balance now; the hub's
            // side follows on commit.
            if(!move(a->id, cmd.amount, now))
                return out_of_range(cmd.amount);
            t.state = funds_state::reserved;
        }
        auto [it, inserted] = funds_.emplace(t.id, std::move(t));
        return &it->second;
    }

    auto it = funds_.find(cmd.transfer_id);
    if(it == funds_.end() || it->second.account != a->id ||
       it->second.action != funds_action::record_funds_out_prepare_reserve)
        return fail(errc::transfer_id_not_found, "no funds-out reservation " + cmd.transfer_id + " on this account");
    auto& t = it->second;
    if(t.state != funds_state::reserved)
        return &t; // already committed or aborted: a repeat changes nothing
    // Either leg is refused (and may be asked again) when its balance would not fit.
    if(!move(cmd.action == funds_action::record_funds_out_commit ? hub->id : a->id, -t.amount, now))
        return out_of_range(t.amount);
    t.state = cmd.action == funds_action::record_funds_out_commit ? funds_state::committed : funds_state::aborted;
    t.changed = now;
    if(!cmd.reason.empty())
        t.reason = std::move(cmd.reason);
    return &t;
}

} // namespace mojasim::ledger
