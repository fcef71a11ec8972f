// One payment's flow through the connector as a script of answers, without sockets or
// timers: every branch of the retry, acceptance and query rules, in microseconds.
#include "payment-hub/payment_flow.hpp"

#include <catch2/catch.hpp>

using namespace mojasim;
using hub::payment_flow;
using hub::payment_outcome;
using kind = payment_outcome::kind;
using namespace std::chrono_literals;

namespace {

payment_outcome outcome(kind k, std::string transfer_id = {}, std::string code = {})
{
    payment_outcome o;
    o.what = k;
    o.transfer_id = std::move(transfer_id);
    o.error_code = std::move(code);
    if(!o.error_code.empty())
        o.error_description = "error " + o.error_code;
    return o;
}

template <class A>
bool is(payment_flow::action const& a)
{
    return std::holds_alternative<A>(a);
}

// A flow of 3 attempts, 5 ms apart, past its first POST.
payment_flow started()
{
    payment_flow f(3, 5ms);
    REQUIRE(is<payment_flow::send_post>(f.start()));
    return f;
}

payment_outcome final_outcome(payment_flow::action const& a)
{
    REQUIRE(is<payment_flow::done>(a));
    return std::get<payment_flow::done>(a).outcome;
}

} // namespace

TEST_CASE("payment flow: a completed POST is done at once", "[hub][flow]")
{
    payment_flow f(3, 5ms);
    auto a = f.start();
    REQUIRE(is<payment_flow::send_post>(a));
    CHECK(std::get<payment_flow::send_post>(a).attempt == 1);
    auto o = outcome(kind::completed, "t1");
    o.payee_fsp = "dfsp2";
    auto const done = final_outcome(f.on_answer(o));
    CHECK(done.what == kind::completed);
    CHECK(done.transfer_id == "t1");
    CHECK(done.payee_fsp == "dfsp2");
}

TEST_CASE("payment flow: a definite failure keeps its FSPIOP code, never retried", "[hub][flow]")
{
    auto f = started();
    auto const done = final_outcome(f.on_answer(outcome(kind::failed, "t1", "5101")));
    CHECK(done.what == kind::failed);
    CHECK(done.error_code == "5101");
}

TEST_CASE("payment flow: retry re-sends the POST after the delay, up to the attempt limit", "[hub][flow]")
{
    payment_flow f(3, 7ms);
    f.start();
    for(int attempt = 2; attempt <= 3; ++attempt)
    {
        auto w = f.on_answer(outcome(kind::retry, {}, "2004"));
        REQUIRE(is<payment_flow::wait>(w));
        CHECK(std::get<payment_flow::wait>(w).delay == 7ms);
        auto p = f.on_waited();
        REQUIRE(is<payment_flow::send_post>(p));
        CHECK(std::get<payment_flow::send_post>(p).attempt == attempt);
    }
    auto const done = final_outcome(f.on_answer(outcome(kind::retry, {}, "2004")));
    CHECK(done.what == kind::failed);
    CHECK(done.error_code == "2004"); // the last error, not a made-up one
}

TEST_CASE("payment flow: a retry that then completes", "[hub][flow]")
{
    auto f = started();
    REQUIRE(is<payment_flow::wait>(f.on_answer(outcome(kind::retry))));
    REQUIRE(is<payment_flow::send_post>(f.on_waited()));
    CHECK(final_outcome(f.on_answer(outcome(kind::completed, "t9"))).transfer_id == "t9");
}

TEST_CASE("payment flow: acceptance stops are answered by PUT, party then quote", "[hub][flow]")
{
    auto f = started();
    auto a = f.on_answer(outcome(kind::accept_party, "t1"));
    REQUIRE(is<payment_flow::send_put>(a));
    CHECK(std::get<payment_flow::send_put>(a).what == connector::transfer_continuation::kind::accept_party);
    CHECK(std::get<payment_flow::send_put>(a).transfer_id == "t1");
    a = f.on_answer(outcome(kind::accept_quote));
    REQUIRE(is<payment_flow::send_put>(a));
    CHECK(std::get<payment_flow::send_put>(a).what == connector::transfer_continuation::kind::accept_quote);
    CHECK(std::get<payment_flow::send_put>(a).transfer_id == "t1"); // kept from the first answer
    CHECK(final_outcome(f.on_answer(outcome(kind::completed))).what == kind::completed);
}

TEST_CASE("payment flow: a connector that keeps asking for acceptance fails the payment", "[hub][flow]")
{
    auto f = started();
    REQUIRE(is<payment_flow::send_put>(f.on_answer(outcome(kind::accept_party, "t1"))));
    REQUIRE(is<payment_flow::send_put>(f.on_answer(outcome(kind::accept_quote))));
    auto const done = final_outcome(f.on_answer(outcome(kind::accept_quote)));
    CHECK(done.what == kind::failed);
    CHECK(done.error_code == "2001");
    CHECK(done.error_description == "Connector kept waiting for acceptance");
}

TEST_CASE("payment flow: a PUT whose outcome is unknown is asked about, never re-sent", "[hub][flow]")
{
    auto f = started();
    REQUIRE(is<payment_flow::send_put>(f.on_answer(outcome(kind::accept_party, "t1"))));
    auto a = f.on_answer(outcome(kind::retry));
    REQUIRE(is<payment_flow::send_get>(a));
    CHECK(std::get<payment_flow::send_get>(a).transfer_id == "t1");
    CHECK(final_outcome(f.on_status(outcome(kind::completed))).what == kind::completed);
}

TEST_CASE("payment flow: an unknown outcome is asked up to the limit, the delay between asks", "[hub][flow]")
{
    payment_flow f(3, 9ms);
    f.start();
    auto a = f.on_answer(outcome(kind::query, "t1", "2004"));
    REQUIRE(is<payment_flow::send_get>(a)); // the first ask at once
    a = f.on_status(std::nullopt);          // no answer
    REQUIRE(is<payment_flow::wait>(a));
    CHECK(std::get<payment_flow::wait>(a).delay == 9ms);
    REQUIRE(is<payment_flow::send_get>(f.on_waited()));
    a = f.on_status(outcome(kind::query)); // still unknown
    REQUIRE(is<payment_flow::wait>(a));
    REQUIRE(is<payment_flow::send_get>(f.on_waited()));
    auto const done = final_outcome(f.on_status(std::nullopt));
    CHECK(done.what == kind::failed);
    CHECK(done.error_code == "2004");
}

TEST_CASE("payment flow: a query answered failed takes the status's code, without an id nothing is asked", "[hub][flow]")
{
    {
        auto f = started();
        REQUIRE(is<payment_flow::send_get>(f.on_answer(outcome(kind::query, "t1"))));
        auto const done = final_outcome(f.on_status(outcome(kind::failed, {}, "3303")));
        CHECK(done.error_code == "3303");
        CHECK(done.transfer_id == "t1");
    }
    {
        auto f = started();
        auto const done = final_outcome(f.on_answer(outcome(kind::query)));
        CHECK(done.what == kind::failed);
        CHECK(done.error_code == "2001");
        CHECK(done.error_description == "Payment failed");
    }
}

TEST_CASE("payment flow: a late answer after a retry is the retry's answer, the id is kept across attempts", "[hub][flow]")
{
    payment_flow f(2, 5ms);
    f.start();
    REQUIRE(is<payment_flow::wait>(f.on_answer(outcome(kind::retry, "t1"))));
    REQUIRE(is<payment_flow::send_post>(f.on_waited()));
    // The second attempt names no id: the first one's stays, and is what the query asks for.
    auto a = f.on_answer(outcome(kind::query));
    REQUIRE(is<payment_flow::send_get>(a));
    CHECK(std::get<payment_flow::send_get>(a).transfer_id == "t1");
    CHECK(final_outcome(f.on_status(outcome(kind::completed))).transfer_id == "t1");
}
