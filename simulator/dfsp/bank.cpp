#include "simulator/dfsp/bank.hpp"

namespace mojasim::dfsp {

bool bank::open(std::string id, decimal balance)
{
    if(accounts_.contains(id))
        return false;
    account a;
    a.id = id;
    a.balance = balance;
    accounts_.emplace(std::move(id), std::move(a));
    return true;
}

account const* bank::find(std::string_view id) const noexcept
{
    auto const it = accounts_.find(id);
    return it == accounts_.end() ? nullptr : &it->second;
}

account* bank::find_mutable(std::string_view id) noexcept
{
    auto const it = accounts_.find(id);
    return it == accounts_.end() ? nullptr : &it->second;
}

std::vector<account> bank::accounts() const
{
    std::vector<account> out;
    out.reserve(accounts_.size());
    for(auto const& [id, a] : accounts_)
        out.push_back(a);
    return out;
}

bool bank::can_credit(std::string_view id, decimal amount) const noexcept
{
    auto const* a = find(id);
    return a && checked_add(a->balance, amount);
}

bool bank::credit(std::string_view id, decimal amount)
{
    auto* a = find_mutable(id);
    auto const after = a ? checked_add(a->balance, amount) : std::nullopt;
    if(!after)
        return false;
    a->balance = *after;
    return true;
}

bool bank::debit(std::string_view id, decimal amount)
{
    auto* a = find_mutable(id);
    auto const after = a ? checked_sub(a->balance, amount) : std::nullopt;
    if(!after)
        return false;
    a->balance = *after;
    return true;
}

block_outcome bank::block(std::string key, std::string_view id, decimal amount)
{
    auto* a = find_mutable(id);
    if(!a)
        return block_outcome::unknown_account;
    if(blocks_.contains(key))
        return block_outcome::duplicate;
    // blocked + amount <= balance, so the new blocked sum fits.
    if(a->available() < amount)
        return block_outcome::insufficient_funds;
    a->blocked = checked_add(a->blocked, amount).value();
    blocks_.emplace(std::move(key), held{a->id, amount});
    return block_outcome::blocked;
}

bool bank::book(std::string_view key)
{
    return unblock(key, true);
}

bool bank::release(std::string_view key)
{
    return unblock(key, false);
}

bool bank::unblock(std::string_view key, bool take)
{
    auto const it = blocks_.find(key);
    if(it == blocks_.end())
        return false;
    if(auto* a = find_mutable(it->second.account))
    {
        // The block is part of the blocked sum, so 0 <= blocked - amount. Booking takes
        // from a balance that held the block when it was made; only reversals below zero
        // can have moved it since, so it is checked, and a booking that would not fit
        // keeps its block.
        auto const balance = take ? checked_sub(a->balance, it->second.amount) : a->balance;
        if(!balance)
            return false;
        a->balance = *balance;
        a->blocked = checked_sub(a->blocked, it->second.amount).value();
    }
    blocks_.erase(it);
    return true;
}

decimal bank::blocked_for(std::string_view key) const noexcept
{
    auto const it = blocks_.find(key);
    return it == blocks_.end() ? decimal{} : it->second.amount;
}

std::optional<decimal> bank::total_balance() const noexcept
{
    std::optional<decimal> sum = decimal{};
    for(auto const& [id, a] : accounts_)
        if(sum)
            sum = checked_add(*sum, a.balance);
    return sum;
}

std::optional<decimal> bank::total_blocked() const noexcept
{
    std::optional<decimal> sum = decimal{};
    for(auto const& [id, a] : accounts_)
        if(sum)
            sum = checked_add(*sum, a.blocked);
    return sum;
}

} // namespace mojasim::dfsp
