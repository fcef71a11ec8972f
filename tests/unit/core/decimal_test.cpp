#include "simulator/core/decimal.hpp"

#include <catch2/catch.hpp>

using mojasim::core::decimal;

TEST_CASE("decimal parses CSV and FSPIOP amounts exactly")
{
    CHECK(decimal::parse("50.0")->to_string() == "50");
    CHECK(decimal::parse("50")->units() == 500000);
    CHECK(decimal::parse("0.5")->to_string() == "0.5");
    CHECK(decimal::parse("123.4567")->to_string() == "123.4567");
    CHECK(decimal::parse("7.50000")->to_string() == "7.5");
    CHECK(decimal::parse("-5")->to_string() == "-5");
    CHECK_FALSE(decimal::parse(""));
    CHECK_FALSE(decimal::parse(".5"));
    CHECK_FALSE(decimal::parse("5."));
    CHECK_FALSE(decimal::parse("1e3"));
    CHECK_FALSE(decimal::parse("1.23456"));
    CHECK_FALSE(decimal::parse(" 5"));
    CHECK_FALSE(decimal::parse("99999999999999999999"));
}

TEST_CASE("decimal follows the FSPIOP Amount rule")
{
    for(auto ok : {"5", "0.5", "123.4567", "0", "5.5", "10000000000000"})
        CHECK(decimal::parse_fspiop(ok));
    for(auto bad : {"5.0", "-5", ".5", "00.5", "5.50", "5.", "", "1.23456", "+5", "05"})
        CHECK_FALSE(decimal::parse_fspiop(bad));
}

TEST_CASE("decimal arithmetic and formatting")
{
    auto a = *decimal::parse("100.25");
    auto b = *decimal::parse("0.75");
    CHECK(checked_add(a, b)->to_string() == "101");
    CHECK(checked_sub(b, a)->to_string() == "-99.5");
    CHECK(checked_sub(a, a)->is_zero());
    CHECK(a.to_string_fixed(2) == "100.25");
    CHECK(b.to_string_fixed(0) == "0");
    CHECK(a > b);
    CHECK(a.to_minor_units(2) == 10025);
    CHECK_FALSE(a.to_minor_units(0));
    CHECK(mojasim::core::currency_exponent("USD") == 2);
    CHECK(mojasim::core::currency_exponent("JPY") == 0);
    CHECK(mojasim::core::is_currency("USD"));
    CHECK_FALSE(mojasim::core::is_currency("ABC"));
}

TEST_CASE("decimal keeps central-ledger's AMOUNT.SCALE 4 and AMOUNT.PRECISION 18")
{
    // Significant digits as decimal.js's precision(true) counts them.
    CHECK(decimal::parse("12345678901234.5678")->to_string() == "12345678901234.5678"); // 18
    CHECK_FALSE(decimal::parse("123456789012345.6789"));                                // 19, in range
    CHECK_FALSE(decimal::parse("-123456789012345.6789"));
    CHECK(decimal::parse("000123456789012345.678")->to_string() == "123456789012345.678"); // leading zeros
    CHECK(decimal::parse("123456789012345.67800")->to_string() == "123456789012345.678");  // trailing zeros
    CHECK(decimal::parse("0.0001")->units() == 1);
    CHECK(decimal::parse("100000000000000")); // 15 digits: the integer part's zeros count
    CHECK_FALSE(decimal::parse("0.00001"));   // scale 5
}

TEST_CASE("decimal's range: the largest amounts accepted and the first refused")
{
    CHECK(decimal::max().to_string() == "922337203685477.5807");
    // The largest amount with at most 18 significant digits that fits.
    auto const largest = decimal::parse("922337203685477.58");
    REQUIRE(largest);
    CHECK(largest->units() == 9223372036854775800);
    CHECK_FALSE(decimal::parse("922337203685477.59"));    // beyond the range
    CHECK_FALSE(decimal::parse("922337203685477.5807"));  // 19 significant digits
    CHECK(decimal::parse("-922337203685477.58")->units() == -9223372036854775800);
    // FSPIOP amounts keep the ledger's DECIMAL(18,4).
    CHECK(decimal::parse_fspiop("99999999999999.9999")->to_string() == "99999999999999.9999");
    CHECK_FALSE(decimal::parse_fspiop("100000000000000"));
}

TEST_CASE("decimal arithmetic is checked: a result beyond the range is empty, never wrapped")
{
    auto const d = [](char const* s) { return *decimal::parse(s); };
    auto const unit = decimal::from_units(1);
    // The figures: 900000000000000 fits, twice does not.
    CHECK(checked_add(d("900000000000000"), d("22337203685477.5807")) == decimal::max());
    CHECK_FALSE(checked_add(d("900000000000000"), d("900000000000000")));
    CHECK_FALSE(checked_add(decimal::max(), unit));
    CHECK(checked_add(decimal::max(), -unit)->units() == decimal::max_units - 1);
    // Negative results down to -max; INT64_MIN is never produced, so negation always fits.
    CHECK(checked_sub(decimal{}, decimal::max()) == -decimal::max());
    CHECK_FALSE(checked_sub(-decimal::max(), unit));
    CHECK_FALSE(checked_add(-decimal::max(), -unit));
    CHECK_FALSE(checked_sub(decimal::max(), -unit));
    CHECK_FALSE(checked_sub(-decimal::max(), decimal::max()));
    CHECK(-(-decimal::max()) == decimal::max());
    CHECK(checked_sub(d("-900000000000000"), d("22337203685477.5807")) == -decimal::max());
    CHECK_FALSE(checked_sub(d("-900000000000000"), d("900000000000000")));
}
