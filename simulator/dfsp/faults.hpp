// Fault rules: how a DFSP misbehaves on demand when it answers as the payee.
//
// A rule matches a message the DFSP is about to answer (a party lookup, a quote request or
// a transfer prepare) by step, payee party id, amount (exact or a range) and "every n-th
// message that matches the rest". When it fires, its action replaces the normal answer:
//
//   error              answer with PUT .../error carrying error_code
//   delay              answer normally, but only after delay
//   no_callback        acknowledge (202) and never call back
//   duplicate_callback send the callback twice
//   wrong_fulfilment   (transfers) a fulfilment that does not match the condition
//   malformed_body     a callback whose body is not valid JSON
//   forged_signature   a callback whose FSPIOP-Signature does not verify (signed over
//                      another body, or by no key): a switch validating JWS refuses it with 3105
//
// delay applies to every action (an error can come late too). Rules are tried in order;
// the first that fires wins. A rule with `times` fires that many times, then stops.
#pragma once

#include "simulator/core/decimal.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mojasim::dfsp {

using core::decimal;

/// lookup, quote, transfer: a single message, or (quote, transfer) each item of a bulk;
/// bulk_quote, bulk_transfer: a whole POST /bulkQuotes or /bulkTransfers.
enum class fault_step : std::uint8_t { any, lookup, quote, transfer, bulk_quote, bulk_transfer };

enum class fault_action : std::uint8_t
{
    error,
    delay,
    no_callback,
    duplicate_callback,
    wrong_fulfilment,
    malformed_body,
    forged_signature,
};

std::string_view to_string(fault_step s) noexcept;
std::string_view to_string(fault_action a) noexcept;
std::optional<fault_step> fault_step_from_string(std::string_view s) noexcept;
std::optional<fault_action> fault_action_from_string(std::string_view s) noexcept;

struct fault_rule
{
    std::string id;                       ///< name, for the test API and logs
    fault_step step = fault_step::any;
    std::string party;                    ///< payee partyIdentifier; empty matches any
    std::optional<decimal> amount;        ///< exact amount (quote: requested; transfer: transferred)
    std::optional<decimal> amount_min;    ///< inclusive range bounds
    std::optional<decimal> amount_max;
    std::uint32_t every = 1;              ///< fire on every n-th message that matches the rest
    /// Only the n-th item (from 1) of a bulk; such a rule never matches a single message.
    std::optional<std::uint32_t> item;
    fault_action action = fault_action::error;
    std::string error_code;               ///< for `error`: four digits; empty = the step's default
    std::string error_description;        ///< empty = the code's standard description
    std::chrono::milliseconds delay{0};   ///< wait this long before calling back
    std::optional<std::uint32_t> times;   ///< fire at most this many times
    bool enabled = true;

    /// The error code to send: error_code, or 3204 (lookup), 5101 (quote, bulk_quote), 5104
    /// (transfer, bulk_transfer).
    [[nodiscard]] std::string effective_error_code(fault_step at) const;

    /// Empty when consistent, else what is wrong ("every must be at least 1", ...).
    [[nodiscard]] std::string check() const;

    friend bool operator==(fault_rule const&, fault_rule const&) = default;
};

/// What is being answered.
struct fault_subject
{
    fault_step step = fault_step::lookup;
    std::string_view party;               ///< payee partyIdentifier
    std::optional<decimal> amount;        ///< none for lookups and whole bulks
    /// An item of a bulk (from 1), 0 for a single message or a whole bulk. Inside a bulk only
    /// the actions that can change one item's result apply: error and wrong_fulfilment.
    std::uint32_t item = 0;
};

/// The rules of one DFSP with their counters.
class fault_set
{
public:
    fault_set() = default;
    explicit fault_set(std::vector<fault_rule> rules) { replace(std::move(rules)); }

    /// The rule that fires for `s`, if any. Counts the message for every enabled rule tried.
    std::optional<fault_rule> match(fault_subject const& s);

    void replace(std::vector<fault_rule> rules);
    /// Add, or replace the rule with the same id (its counters restart).
    void upsert(fault_rule rule);
    /// False when no rule has this id.
    bool remove(std::string_view id);
    void clear() noexcept { entries_.clear(); }

    struct entry
    {
        fault_rule rule;
        std::uint64_t seen = 0;   ///< messages that matched its criteria
        std::uint64_t fired = 0;  ///< times it fired
    };
    [[nodiscard]] std::vector<entry> const& entries() const noexcept { return entries_; }

private:
    std::vector<entry> entries_;
};

/// True when the static criteria of `r` (step, party, amount) hold for `s`.
bool criteria_match(fault_rule const& r, fault_subject const& s) noexcept;

/// JSON of the rules and their counters, as the test API lists them.
std::string encode_fault_entries(std::vector<fault_set::entry> const& entries);
/// One rule as JSON in the same keys (what the test API's POST /faults takes).
std::string encode_fault_rule(fault_rule const& rule);

} // namespace mojasim::dfsp
