// The payee's fee rule and the terms of a quote (API Definition 5.1, "quoting"):
//
//   amountType RECEIVE: the payee receives `amount`; fee = rule(amount);
//                       transferAmount = amount + fee.
//   amountType SEND:    the payer sends `amount` = transferAmount; fee = rule(amount);
//                       payeeReceiveAmount = amount - fee (must stay above zero).
//
// so that payeeReceiveAmount = transferAmount - payeeFspFee always holds (no commission).
// Everything is exact decimal arithmetic; a percentage is rounded half up to the minor
// unit of the currency, because the ILP packet carries the amount in minor units.
#pragma once

#include "simulator/core/decimal.hpp"
#include "simulator/fspiop/decode_result.hpp"
#include "simulator/fspiop/types.hpp"

#include <optional>
#include <string_view>

namespace mojasim::dfsp {

using core::decimal;

/// fee = clamp(fixed + round(base * percent / 100), min, max).
struct fee_rule
{
    decimal fixed;                 ///< added to every fee
    decimal percent;               ///< of the base amount, e.g. 1.5 for 1.5 %
    std::optional<decimal> min;    ///< lower bound of the fee
    std::optional<decimal> max;    ///< upper bound of the fee

    /// The fee on `base` in `currency` (rounded half up to its minor unit); empty when it
    /// does not fit the decimal range.
    [[nodiscard]] std::optional<decimal> fee_for(decimal base, std::string_view currency) const noexcept;

    /// True when no fee is ever charged.
    [[nodiscard]] bool is_free() const noexcept { return fixed.is_zero() && percent.is_zero() && !min; }

    friend bool operator==(fee_rule const&, fee_rule const&) = default;
};

/// The amounts of a quote answer.
struct quote_terms
{
    decimal transfer_amount;       ///< what the payer's FSP pays into the scheme
    decimal payee_receive_amount;  ///< what lands in the beneficiary's account
    decimal payee_fsp_fee;         ///< what the payee's FSP keeps
};

/// The terms for a quote request. Fails with 3100 when the amount has more decimals than the
/// currency allows (the ILP packet could not carry it), with 5103 when, for SEND, the fee
/// eats the whole amount, and with 5200 when the fee or the total is beyond the decimal
/// range.
fspiop::decode_result<quote_terms> compute_terms(fee_rule const& rule, fspiop::amount_type type, decimal amount,
                                                 std::string_view currency);

/// `amount` rounded half up to `exponent` decimals (scale 4 at most); empty when rounding
/// up leaves the decimal range.
std::optional<decimal> round_to_exponent(decimal amount, int exponent) noexcept;

/// True when `amount` has no more decimals than the currency's minor unit.
bool fits_currency(decimal amount, std::string_view currency) noexcept;

} // namespace mojasim::dfsp
