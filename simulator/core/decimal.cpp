#include "simulator/core/decimal.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace mojasim::core {

namespace {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Significant digits as decimal.js's precision(true) counts them, which is what
// central-ledger compares with AMOUNT.PRECISION: from the first non-zero digit to the
// last digit, the integer part's trailing zeros included ("100" is 3, "0.05" is 1).
// `frac` has no trailing zeros.
std::size_t significant_digits(std::string_view whole, std::string_view frac) noexcept
{
    auto const first = whole.find_first_not_of('0');
    if(first != std::string_view::npos)
        return whole.size() - first + frac.size();
    auto const first_frac = frac.find_first_not_of('0');
    return first_frac == std::string_view::npos ? 0 : frac.size() - first_frac;
}

// Shared by both parsers once the syntax has been checked: digits of the integer
// part and of the fraction (at most `scale` significant digits after trimming zeros,
// at most `precision` significant digits in all).
std::optional<decimal> build(bool negative, std::string_view whole, std::string_view frac) noexcept
{
    while(!frac.empty() && frac.back() == '0')
        frac.remove_suffix(1);
    if(frac.size() > static_cast<std::size_t>(decimal::scale))
        return std::nullopt;
    if(significant_digits(whole, frac) > static_cast<std::size_t>(decimal::precision))
        return std::nullopt;
    constexpr auto max = std::numeric_limits<std::int64_t>::max();
    std::int64_t units = 0;
    for(char c : whole)
    {
        if(units > (max - (c - '0')) / 10)
            return std::nullopt;
        units = units * 10 + (c - '0');
    }
    if(units > max / decimal::one)
        return std::nullopt;
    units *= decimal::one;
    std::int64_t f = 0;
    for(std::size_t i = 0; i < static_cast<std::size_t>(decimal::scale); ++i)
        f = f * 10 + (i < frac.size() ? frac[i] - '0' : 0);
    if(units > max - f)
        return std::nullopt;
    units += f;
    return decimal::from_units(negative ? -units : units);
}

} // namespace

std::optional<decimal> decimal::parse(std::string_view text) noexcept
{
    bool negative = false;
    if(!text.empty() && (text.front() == '-' || text.front() == '+'))
    {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    auto const dot = text.find('.');
    std::string_view whole = text.substr(0, dot);
    std::string_view frac = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
    if(whole.empty() && frac.empty())
        return std::nullopt;
    if(dot != std::string_view::npos && frac.empty())
        return std::nullopt; // "5." is not a number either
    if(!std::all_of(whole.begin(), whole.end(), is_digit) || !std::all_of(frac.begin(), frac.end(), is_digit))
        return std::nullopt;
    if(whole.empty())
        return std::nullopt; // ".5" is not a number in any of our formats
    return build(negative, whole, frac);
}

std::optional<decimal> decimal::parse_fspiop(std::string_view text) noexcept
{
    auto const dot = text.find('.');
    std::string_view whole = text.substr(0, dot);
    if(whole.empty() || whole.size() > 18 || !std::all_of(whole.begin(), whole.end(), is_digit))
        return std::nullopt;
    if(whole.size() > 1 && whole.front() == '0')
        return std::nullopt;
    std::string_view frac;
    if(dot != std::string_view::npos)
    {
        frac = text.substr(dot + 1);
        // [.][0-9]{0,3}[1-9]: one to four digits, the last not zero
        if(frac.empty() || frac.size() > 4 || !std::all_of(frac.begin(), frac.end(), is_digit) || frac.back() == '0')
            return std::nullopt;
    }
    if(whole.size() > 14)
        return std::nullopt;
    return build(false, whole, frac);
}

std::string decimal::to_string() const
{
    std::string out = to_string_fixed(scale);
    if(out.find('.') != std::string::npos)
    {
        while(out.back() == '0')
            out.pop_back();
        if(out.back() == '.')
            out.pop_back();
    }
    return out;
}

std::string decimal::to_string_fixed(int digits) const
{
    digits = std::clamp(digits, 0, scale);
    // Work on the magnitude as unsigned so INT64_MIN does not overflow.
    auto const mag = units_ < 0 ? 0 - static_cast<std::uint64_t>(units_) : static_cast<std::uint64_t>(units_);
    std::string out = units_ < 0 ? "-" : "";
    out += std::to_string(mag / static_cast<std::uint64_t>(one));
    if(digits > 0)
    {
        auto frac = std::to_string(mag % static_cast<std::uint64_t>(one));
        frac.insert(0, static_cast<std::size_t>(scale) - frac.size(), '0');
        out += '.';
        out.append(frac, 0, static_cast<std::size_t>(digits));
    }
    return out;
}

std::optional<std::int64_t> decimal::to_minor_units(int exponent) const noexcept
{
    exponent = std::clamp(exponent, 0, scale);
    std::int64_t div = 1;
    for(int i = exponent; i < scale; ++i)
        div *= 10;
    if(units_ % div != 0)
        return std::nullopt;
    return units_ / div;
}

namespace {

// The Currency enum of the FSPIOP v1.1 OpenAPI (ISO 4217), sorted.
constexpr std::array<std::string_view, 164> currencies = {
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN",
    "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF",
    "CLP", "CNY", "COP", "CRC", "CUC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN",
    "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GGP", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD",
    "HNL", "HRK", "HTG", "HUF", "IDR", "ILS", "IMP", "INR", "IQD", "IRR", "ISK", "JEP", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD",
    "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRO", "MUR", "MVR", "MWK", "MXN",
    "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR",
    "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP",
    "SLL", "SOS", "SPL", "SRD", "STD", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY",
    "TTD", "TVD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VEF", "VND", "VUV", "WST", "XAF",
    "XCD", "XDR", "XOF", "XPF", "XTS", "XXX", "YER", "ZAR", "ZMW", "ZWD"};

constexpr std::array<std::string_view, 16> zero_decimals = {
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF",
    "XOF", "XPF"};
constexpr std::array<std::string_view, 7> three_decimals = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};

} // namespace

bool is_currency(std::string_view code) noexcept
{
    return std::binary_search(currencies.begin(), currencies.end(), code);
}

int currency_exponent(std::string_view currency) noexcept
{
    if(std::find(zero_decimals.begin(), zero_decimals.end(), currency) != zero_decimals.end())
        return 0;
    if(std::find(three_decimals.begin(), three_decimals.end(), currency) != three_decimals.end())
        return 3;
    return 2;
}

} // namespace mojasim::core
