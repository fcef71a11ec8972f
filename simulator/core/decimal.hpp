// Exact decimal amounts. Money is never a double: amounts are integers of 1/10000
// (scale 4, the FSPIOP maximum), held in 64 bits: at most 922337203685477.5807 either
// way. Amounts keep the real hub's limits (central-ledger's AMOUNT.SCALE 4 and
// AMOUNT.PRECISION 18); FSPIOP amounts also keep the ledger's 14 integer digits
// (DECIMAL(18,4)).
//
// Money never wraps: there is no `+` or `-` between decimals. checked_add and checked_sub
// give the result or nothing when it would leave the range, so every caller decides what
// an overflow means (a refused request) before it changes anything.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace mojasim::core {

class decimal
{
public:
    static constexpr int scale = 4;
    static constexpr std::int64_t one = 10000;
    /// At most 18 significant digits, as central-ledger's AMOUNT.PRECISION.
    static constexpr int precision = 18;
    /// The range is symmetric, [-max_units, max_units]: INT64_MIN is never produced (not by
    /// parsing, not by checked arithmetic), so negating a decimal always fits.
    static constexpr std::int64_t max_units = std::numeric_limits<std::int64_t>::max();

    constexpr decimal() = default;

    /// From a count of 1/10000 units (never INT64_MIN: the range is symmetric).
    static constexpr decimal from_units(std::int64_t units) noexcept
    {
        decimal d;
        d.units_ = units;
        return d;
    }

    /// Parse a plain decimal: optional '-', digits, optional '.' and digits.
    /// Accepts "50", "50.0", "0.5", "-5", "123.4567", "7.50000" (zeros past scale 4 are
    /// fine). Rejects empty strings, exponents, spaces, more than 4 significant
    /// fractional digits, more than 18 significant digits (as decimal.js's precision(true)
    /// counts them for central-ledger: leading zeros and trailing fractional zeros do not
    /// count) and values beyond the range.
    static std::optional<decimal> parse(std::string_view text) noexcept;

    /// Parse FSPIOP's Amount type exactly (^([0]|([1-9][0-9]{0,17}))([.][0-9]{0,3}[1-9])?$),
    /// with the extra limit of 14 integer digits that the ledger enforces.
    static std::optional<decimal> parse_fspiop(std::string_view text) noexcept;

    /// The canonical FSPIOP form: no trailing zeros, no '.' for integers ("50", "0.5").
    [[nodiscard]] std::string to_string() const;

    /// The largest decimal, 922337203685477.5807.
    static constexpr decimal max() noexcept { return from_units(max_units); }

    /// Fixed number of fraction digits, truncating (e.g. 2 -> "50.00").
    [[nodiscard]] std::string to_string_fixed(int digits) const;

    [[nodiscard]] constexpr std::int64_t units() const noexcept { return units_; }
    [[nodiscard]] constexpr std::int64_t whole_part() const noexcept { return units_ / one; }
    [[nodiscard]] constexpr bool is_zero() const noexcept { return units_ == 0; }
    [[nodiscard]] constexpr bool is_negative() const noexcept { return units_ < 0; }

    /// Minor units for a currency with `exponent` decimals (USD 2: 100.5 -> 10050).
    /// Empty when the amount has more decimals than the currency allows.
    [[nodiscard]] std::optional<std::int64_t> to_minor_units(int exponent) const noexcept;

    /// a + b, or empty when the sum would leave the range.
    friend constexpr std::optional<decimal> checked_add(decimal a, decimal b) noexcept
    {
        std::int64_t r = 0;
        if(__builtin_add_overflow(a.units_, b.units_, &r) || r == std::numeric_limits<std::int64_t>::min())
            return std::nullopt;
        return from_units(r);
    }
    /// a - b, or empty when the difference would leave the range.
    friend constexpr std::optional<decimal> checked_sub(decimal a, decimal b) noexcept
    {
        std::int64_t r = 0;
        if(__builtin_sub_overflow(a.units_, b.units_, &r) || r == std::numeric_limits<std::int64_t>::min())
            return std::nullopt;
        return from_units(r);
    }
    /// Always fits: the range is symmetric.
    friend constexpr decimal operator-(decimal a) noexcept { return from_units(-a.units_); }
    friend constexpr auto operator<=>(decimal, decimal) noexcept = default;

private:
    std::int64_t units_ = 0;
};

/// ISO 4217 minor-unit exponent (USD 2, JPY 0, BHD 3). Unknown codes give 2.
int currency_exponent(std::string_view currency) noexcept;

/// True for a known ISO 4217 alphabetic code (the FSPIOP Currency enum).
bool is_currency(std::string_view code) noexcept;

} // namespace mojasim::core
