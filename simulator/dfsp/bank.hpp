// The DFSP's core banking: customer accounts with exact balances and blocked funds.
//
// A payer's money is first blocked (it stays in the balance but is no longer available),
// then booked (taken from the balance) when the transfer commits, or released when it
// fails, as PH-EE's AMS does with block-funds / book-funds / release-block. A payee's money
// is credited directly, and debited back when the switch aborts the transfer.
//
// Pure data: no I/O, no clock. Used from the actor's executor only.
#pragma once

#include "simulator/core/decimal.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mojasim::dfsp {

using core::decimal;

struct account
{
    std::string id;
    decimal balance;   ///< booked funds
    decimal blocked;   ///< part of balance held for transfers in flight

    /// balance - blocked; blocks keep blocked <= max(balance, 0), so it fits whenever the
    /// balance is not negative, and is clamped to the range's end otherwise.
    [[nodiscard]] decimal available() const noexcept
    {
        return checked_sub(balance, blocked).value_or(-decimal::max());
    }

    friend bool operator==(account const&, account const&) = default;
};

enum class block_outcome : std::uint8_t
{
    blocked,            ///< funds held
    unknown_account,
    insufficient_funds, ///< available < amount
    duplicate,          ///< a block with this key exists
};

class bank
{
public:
    /// Open an account; false when the id exists.
    bool open(std::string id, decimal balance = {});

    [[nodiscard]] account const* find(std::string_view id) const noexcept;
    [[nodiscard]] std::vector<account> accounts() const;

    /// Whether credit(id, amount) would succeed.
    [[nodiscard]] bool can_credit(std::string_view id, decimal amount) const noexcept;
    /// Add to a balance; false, and nothing changed, for an unknown account or a balance
    /// that would leave the decimal range.
    bool credit(std::string_view id, decimal amount);
    /// Take from a balance, even below zero (reversals must succeed whenever they can);
    /// false, and nothing changed, for an unknown account or a balance that would leave the
    /// decimal range.
    bool debit(std::string_view id, decimal amount);

    /// Hold `amount` of `id`'s available funds under `key` (a transfer id).
    block_outcome block(std::string key, std::string_view id, decimal amount);
    /// Take blocked funds out of the balance; false when no block has this key.
    bool book(std::string_view key);
    /// Give blocked funds back; false when no block has this key.
    bool release(std::string_view key);
    /// The amount held under `key`, or zero.
    [[nodiscard]] decimal blocked_for(std::string_view key) const noexcept;

    /// Number of blocks held now.
    [[nodiscard]] std::size_t block_count() const noexcept { return blocks_.size(); }
    /// Sum of every balance; empty when it does not fit the decimal range.
    [[nodiscard]] std::optional<decimal> total_balance() const noexcept;
    /// Sum of every blocked amount; empty when it does not fit the decimal range.
    [[nodiscard]] std::optional<decimal> total_blocked() const noexcept;

private:
    struct held
    {
        std::string account;
        decimal amount;
    };

    account* find_mutable(std::string_view id) noexcept;
    /// End the block under `key`, taking its amount out of the balance when `take`.
    bool unblock(std::string_view key, bool take);

    std::map<std::string, account, std::less<>> accounts_;
    std::map<std::string, held, std::less<>> blocks_;
};

} // namespace mojasim::dfsp
