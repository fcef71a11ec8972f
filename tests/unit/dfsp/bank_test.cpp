// Core banking: block, book, release; credits and reversals.
#include "simulator/dfsp/bank.hpp"

#include <catch2/catch.hpp>

using namespace mojasim;
using dfsp::decimal;

namespace {

decimal d(char const* s)
{
    return *decimal::parse(s);
}

} // namespace

TEST_CASE("blocked funds are unavailable until booked or released")
{
    dfsp::bank b;
    REQUIRE(b.open("treasury", d("100")));
    REQUIRE_FALSE(b.open("treasury"));
    CHECK(b.block("t1", "treasury", d("60")) == dfsp::block_outcome::blocked);
    CHECK(b.find("treasury")->available() == d("40"));
    CHECK(b.block("t2", "treasury", d("41")) == dfsp::block_outcome::insufficient_funds);
    CHECK(b.block("t1", "treasury", d("1")) == dfsp::block_outcome::duplicate);
    CHECK(b.block("t3", "nobody", d("1")) == dfsp::block_outcome::unknown_account);
    CHECK(b.block("t2", "treasury", d("40")) == dfsp::block_outcome::blocked);
    CHECK(b.block_count() == 2);
    CHECK(b.total_blocked() == d("100"));

    REQUIRE(b.book("t1"));
    CHECK(b.find("treasury")->balance == d("40"));
    CHECK(b.find("treasury")->blocked == d("40"));
    REQUIRE(b.release("t2"));
    CHECK(b.find("treasury")->balance == d("40"));
    CHECK(b.find("treasury")->available() == d("40"));
    CHECK_FALSE(b.book("t1"));
    CHECK_FALSE(b.release("t2"));
    CHECK(b.block_count() == 0);
    CHECK(b.total_blocked() == decimal{});
}

TEST_CASE("credits and reversals keep the total")
{
    dfsp::bank b;
    b.open("a", d("10"));
    b.open("fees");
    REQUIRE(b.credit("a", d("5.25")));
    REQUIRE(b.credit("fees", d("0.75")));
    CHECK(b.total_balance() == d("16"));
    REQUIRE(b.debit("a", d("5.25")));
    REQUIRE(b.debit("fees", d("0.75")));
    CHECK(b.total_balance() == d("10"));
    CHECK_FALSE(b.credit("nobody", d("1")));
    CHECK(b.accounts().size() == 2);
}

TEST_CASE("a balance never wraps: credits and debits beyond the decimal range change nothing")
{
    dfsp::bank b;
    REQUIRE(b.open("a", d("900000000000000")));
    REQUIRE(b.open("b", d("900000000000000")));
    // Up to the range's end exactly, and not one unit further.
    CHECK(b.can_credit("a", d("22337203685477.5807")));
    CHECK_FALSE(b.can_credit("a", d("22337203685477.5808")));
    CHECK_FALSE(b.credit("a", d("900000000000000")));
    CHECK(b.find("a")->balance == d("900000000000000"));
    CHECK(b.credit("a", d("22337203685477.5807")));
    CHECK(b.find("a")->balance == decimal::max());
    CHECK_FALSE(b.credit("a", d("0.0001")));
    CHECK(b.find("a")->balance == decimal::max());
    CHECK_FALSE(b.can_credit("nobody", d("1")));
    // Negative results: a reversal may go below zero, but not past the range.
    CHECK(b.debit("b", d("900000000000000")));
    CHECK(b.debit("b", d("900000000000000")));
    CHECK(b.find("b")->balance == d("-900000000000000"));
    CHECK_FALSE(b.debit("b", d("22337203685477.5808")));
    CHECK(b.find("b")->balance == d("-900000000000000"));
    // The sum of the balances does not fit either way: empty, not wrapped.
    REQUIRE(b.open("c", d("900000000000000")));
    CHECK(b.total_balance() == decimal::max()); // max - 9e14 + 9e14
    REQUIRE(b.credit("b", d("900000000000000")));
    CHECK_FALSE(b.total_balance());
}
