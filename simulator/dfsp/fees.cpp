#include "simulator/dfsp/fees.hpp"

#include <algorithm>

namespace mojasim::dfsp {

namespace {

// 128-bit intermediate: 10^18 units times a percentage in units overflows 64 bits.
__extension__ using int128 = __int128;

std::int64_t quantum(int exponent) noexcept
{
    std::int64_t q = 1;
    for(int i = exponent; i < decimal::scale; ++i)
        q *= 10;
    return q;
}

// The decimal of a 128-bit count of units, or empty beyond the range.
std::optional<decimal> from_int128(int128 units) noexcept
{
    if(units > decimal::max_units || units < -decimal::max_units)
        return std::nullopt;
    return decimal::from_units(static_cast<std::int64_t>(units));
}

fspiop::decode_error terms_error(fspiop::errc code, std::string message)
{
    return fspiop::decode_error{code, "amount.amount", std::move(message), false};
}

} // namespace

std::optional<decimal> round_to_exponent(decimal amount, int exponent) noexcept
{
    auto const q = quantum(exponent);
    if(q == 1)
        return amount;
    // Half away from zero, in 128 bits: rounding up may step past the 64-bit range.
    int128 const u = amount.units();
    int128 const half = q / 2;
    int128 const r = u >= 0 ? (u + half) / q * q : -((-u + half) / q * q);
    return from_int128(r);
}

bool fits_currency(decimal amount, std::string_view currency) noexcept
{
    return amount.to_minor_units(core::currency_exponent(currency)).has_value();
}

std::optional<decimal> fee_rule::fee_for(decimal base, std::string_view currency) const noexcept
{
    // base * percent / 100 in minor units of the currency, rounded half up once:
    // (b * p) / (100 * 10000 * quantum), where b and p are in 1/10000 units. The product
    // of two 64-bit values fits 127 bits, and the share is at most a 64-bit value times
    // 10^4, so every step below fits 128 bits; only the clamped fee must fit 64.
    auto const q = quantum(core::currency_exponent(currency));
    int128 const product = static_cast<int128>(base.units()) * percent.units();
    int128 const denominator = static_cast<int128>(100) * decimal::one * q;
    int128 const half = denominator / 2;
    int128 const share = product >= 0 ? (product + half) / denominator : -((-product + half) / denominator);
    int128 fee = fixed.units() + share * q;
    if(min)
        fee = std::max<int128>(fee, min->units());
    if(max)
        fee = std::min<int128>(fee, max->units());
    return from_int128(fee);
}

fspiop::decode_result<quote_terms> compute_terms(fee_rule const& rule, fspiop::amount_type type, decimal amount,
                                                 std::string_view currency)
{
    if(!fits_currency(amount, currency))
        return terms_error(fspiop::errc::generic_validation_error,
                           "has more decimals than " + std::string(currency) + " allows");
    // A fee or a total beyond the decimal range is the payee's limit (5200).
    auto const beyond = [] {
        return terms_error(fspiop::errc::payee_limit_error, "with the fee is beyond " + decimal::max().to_string());
    };
    auto const fee = rule.fee_for(amount, currency);
    if(!fee)
        return beyond();
    quote_terms t;
    t.payee_fsp_fee = *fee;
    if(type == fspiop::amount_type::receive)
    {
        auto const total = checked_add(amount, t.payee_fsp_fee);
        if(!total)
            return beyond();
        t.payee_receive_amount = amount;
        t.transfer_amount = *total;
    }
    else
    {
        auto const received = checked_sub(amount, t.payee_fsp_fee);
        if(!received)
            return beyond();
        t.transfer_amount = amount;
        t.payee_receive_amount = *received;
        if(t.payee_receive_amount <= decimal{})
            return terms_error(fspiop::errc::payee_fsp_rejected_quote, "does not cover the payee FSP fee");
    }
    return t;
}

} // namespace mojasim::dfsp
