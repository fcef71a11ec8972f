// Fee rule and quote terms: SEND and RECEIVE, rounding to the currency's minor unit.
#include "simulator/dfsp/fees.hpp"

#include <catch2/catch.hpp>

using namespace mojasim;
using dfsp::decimal;

namespace {

decimal d(char const* s)
{
    return *decimal::parse(s);
}

dfsp::fee_rule rule(char const* fixed, char const* percent)
{
    dfsp::fee_rule r;
    r.fixed = d(fixed);
    r.percent = d(percent);
    return r;
}

} // namespace

TEST_CASE("a fee is fixed plus a percentage rounded half up to the minor unit")
{
    auto const r = rule("0.5", "1.5");
    CHECK(r.fee_for(d("100"), "USD") == d("2"));      // 0.5 + 1.5
    CHECK(r.fee_for(d("10.3"), "USD") == d("0.65"));  // 0.5 + 0.1545 -> 0.15
    CHECK(r.fee_for(d("10.5"), "USD") == d("0.66"));  // 0.5 + 0.1575 -> 0.16
    CHECK(r.fee_for(d("3"), "USD") == d("0.55"));     // 0.5 + 0.045 -> 0.05 (half up)
    // JPY has no minor unit: the share is rounded to whole yen.
    CHECK(rule("0", "1").fee_for(d("150"), "JPY") == d("2"));  // 1.5 -> 2
    CHECK(rule("0", "1").fee_for(d("149"), "JPY") == d("1"));  // 1.49 -> 1
    // Rounded once, at the minor unit: 1.11 * 0.45 % = 0.004995 is 0.00, not 0.005 -> 0.01.
    CHECK(rule("0", "0.45").fee_for(d("1.11"), "USD") == decimal{});
    // BHD has three decimals.
    CHECK(rule("0", "1").fee_for(d("1.2345"), "BHD") == d("0.012"));
}

TEST_CASE("a fee stays within its bounds")
{
    auto r = rule("0", "10");
    r.min = d("1");
    r.max = d("5");
    CHECK(r.fee_for(d("2"), "USD") == d("1"));
    CHECK(r.fee_for(d("30"), "USD") == d("3"));
    CHECK(r.fee_for(d("1000"), "USD") == d("5"));
    CHECK(dfsp::fee_rule{}.fee_for(d("1000"), "USD") == decimal{});
    CHECK(dfsp::fee_rule{}.is_free());
}

TEST_CASE("a big amount does not overflow the percentage")
{
    // 10^13 USD at 2.5 %: the product of the units needs more than 64 bits.
    auto const fee = rule("0", "2.5").fee_for(d("10000000000000"), "USD");
    CHECK(fee == d("250000000000"));
}

TEST_CASE("RECEIVE: the payee receives the amount, the payer pays it plus the fee")
{
    auto const t = dfsp::compute_terms(rule("0.5", "1"), fspiop::amount_type::receive, d("100"), "USD");
    REQUIRE(t);
    CHECK(t->payee_receive_amount == d("100"));
    CHECK(t->payee_fsp_fee == d("1.5"));
    CHECK(t->transfer_amount == d("101.5"));
    CHECK(checked_sub(t->transfer_amount, t->payee_fsp_fee) == t->payee_receive_amount);
}

TEST_CASE("SEND: the payer pays the amount, the payee receives it less the fee")
{
    auto const t = dfsp::compute_terms(rule("0.5", "1"), fspiop::amount_type::send, d("100"), "USD");
    REQUIRE(t);
    CHECK(t->transfer_amount == d("100"));
    CHECK(t->payee_fsp_fee == d("1.5"));
    CHECK(t->payee_receive_amount == d("98.5"));
}

TEST_CASE("SEND of an amount the fee eats is refused with 5103")
{
    auto const t = dfsp::compute_terms(rule("2", "0"), fspiop::amount_type::send, d("2"), "USD");
    REQUIRE_FALSE(t);
    CHECK(t.error().code == fspiop::errc::payee_fsp_rejected_quote);
    CHECK(dfsp::compute_terms(rule("2", "0"), fspiop::amount_type::send, d("2.01"), "USD"));
}

TEST_CASE("an amount finer than the currency's minor unit is refused with 3100")
{
    auto const t = dfsp::compute_terms(rule("0", "0"), fspiop::amount_type::receive, d("1.005"), "USD");
    REQUIRE_FALSE(t);
    CHECK(t.error().code == fspiop::errc::generic_validation_error);
    CHECK(t.error().field == "amount.amount");
    CHECK_FALSE(dfsp::compute_terms(rule("0", "0"), fspiop::amount_type::send, d("1.5"), "JPY"));
    CHECK(dfsp::round_to_exponent(d("1.005"), 2) == d("1.01"));
    CHECK(dfsp::round_to_exponent(d("-1.005"), 2) == d("-1.01"));
}

TEST_CASE("fees and quote totals beyond the decimal range are refused, never wrapped")
{
    auto const max = decimal::max();
    // 100 % of the largest amount, rounded to cents, fits; one cent of fixed fee more does not.
    CHECK(rule("0", "100").fee_for(max, "USD") == d("922337203685477.58"));
    CHECK_FALSE(rule("0.01", "100").fee_for(max, "USD"));
    // A fee clamped by its maximum fits however large the percentage made it.
    auto capped = rule("0", "1000");
    capped.max = d("5");
    CHECK(capped.fee_for(max, "USD") == d("5"));
    // Rounding up to the minor unit may step past the range.
    CHECK(dfsp::round_to_exponent(max, 2) == d("922337203685477.58"));
    CHECK_FALSE(dfsp::round_to_exponent(max, 0));
    // RECEIVE: amount + fee beyond the range is the payee's limit (5200).
    auto const big = d("922337203685477");
    auto t = dfsp::compute_terms(rule("1", "0"), fspiop::amount_type::receive, big, "USD");
    REQUIRE_FALSE(t);
    CHECK(t.error().code == fspiop::errc::payee_limit_error);
    // SEND: amount - a negative fee beyond the range likewise.
    t = dfsp::compute_terms(rule("-1", "0"), fspiop::amount_type::send, big, "USD");
    REQUIRE_FALSE(t);
    CHECK(t.error().code == fspiop::errc::payee_limit_error);
    // What fits is fine.
    t = dfsp::compute_terms(rule("0.5", "0"), fspiop::amount_type::receive, big, "USD");
    REQUIRE(t);
    CHECK(t->transfer_amount == d("922337203685477.5"));
}
