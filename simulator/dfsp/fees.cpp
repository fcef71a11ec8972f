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

fspiop::decode_error terms_error(fspiop::errc code, std::string message)
{
    return fspiop::decode_error{code, "amount.amount", std::move(message)};
}

} // namespace

decimal round_to_exponent(decimal amount, int exponent) noexcept
{
    auto const q = quantum(exponent);
    if(q == 1)
        return amount;
    auto const u = amount.units();
    auto const half = q / 2;
    // Half away from zero.
    auto const r = u >= 0 ? (u + half) / q * q : -((-u + half) / q * q);
    return decimal::from_units(r);
}

bool fits_currency(decimal amount, std::string_view currency) noexcept
{
    return amount.to_minor_units(core::currency_exponent(currency)).has_value();
}

decimal fee_rule::fee_for(decimal base, std::string_view currency) const noexcept
{
    // base * percent / 100 in minor units of the currency, rounded half up once:
    // (b * p) / (100 * 10000 * quantum), where b and p are in 1/10000 units.
    auto const q = quantum(core::currency_exponent(currency));
    int128 const product = static_cast<int128>(base.units()) * percent.units();
    int128 const denominator = static_cast<int128>(100) * decimal::one * q;
    int128 const half = denominator / 2;
    int128 const share = product >= 0 ? (product + half) / denominator : -((-product + half) / denominator);
    auto fee = fixed + decimal::from_units(static_cast<std::int64_t>(share * q));
    if(min)
        fee = std::max(fee, *min);
    if(max)
        fee = std::min(fee, *max);
    return fee;
}

fspiop::decode_result<quote_terms> compute_terms(fee_rule const& rule, fspiop::amount_type type, decimal amount,
                                                 std::string_view currency)
{
    if(!fits_currency(amount, currency))
        return terms_error(fspiop::errc::generic_validation_error,
                           "has more decimals than " + std::string(currency) + " allows");
    quote_terms t;
    t.payee_fsp_fee = rule.fee_for(amount, currency);
    if(type == fspiop::amount_type::receive)
    {
        t.payee_receive_amount = amount;
        t.transfer_amount = amount + t.payee_fsp_fee;
    }
    else
    {
        t.transfer_amount = amount;
        t.payee_receive_amount = amount - t.payee_fsp_fee;
        if(t.payee_receive_amount <= decimal{})
            return terms_error(fspiop::errc::payee_fsp_rejected_quote, "does not cover the payee FSP fee");
    }
    return t;
}

} // namespace mojasim::dfsp
