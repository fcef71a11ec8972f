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
    CHECK((a + b).to_string() == "101");
    CHECK((b - a).to_string() == "-99.5");
    CHECK((a - a).is_zero());
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
