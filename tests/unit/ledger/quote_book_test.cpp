// The quoting service's memory as a script: requests, resends, changed bodies, answers from
// the payee, from a third FSP and to the wrong payer, duplicate answers, unknown quotes.
#include "simulator/ledger/quote_book.hpp"

#include <catch2/catch.hpp>

using namespace mojasim;
using ledger::quote_book;

namespace {

ledger::body_digest digest(unsigned char b)
{
    ledger::body_digest d{};
    d.fill(b);
    return d;
}

std::optional<fspiop::errc> code_of(fspiop::error_information const& e)
{
    return e.code();
}

} // namespace

TEST_CASE("quote book: a new quote, its resend and a changed request", "[ledger][quotes]")
{
    quote_book book;
    CHECK_FALSE(book.on_request("q1", digest(1)));
    book.record_request("q1", "dfsp1", "dfsp2", digest(1));
    REQUIRE(book.size() == 1);

    auto const again = book.on_request("q1", digest(1));
    REQUIRE(again);
    REQUIRE(std::holds_alternative<quote_book::resend>(*again));
    CHECK(std::get<quote_book::resend>(*again).payee == "dfsp2");

    auto const changed = book.on_request("q1", digest(2));
    REQUIRE(changed);
    REQUIRE(std::holds_alternative<fspiop::error_information>(*changed));
    CHECK(code_of(std::get<fspiop::error_information>(*changed)) == fspiop::errc::modified_request);
    CHECK(book.find("q1")->request_hash == digest(1)); // the changed request left no trace
}

TEST_CASE("quote book: only the payee answers, to the payer, before any duplicate check", "[ledger][quotes]")
{
    quote_book book;
    book.record_request("q1", "dfsp1", "dfsp2", digest(1));

    // A third FSP's answer is refused and recorded nowhere.
    auto stranger = book.on_answer("q1", "dfsp3", "dfsp1", digest(9));
    REQUIRE(stranger.error);
    CHECK(code_of(*stranger.error) == fspiop::errc::generic_validation_error);
    CHECK(stranger.error->error_description.find("FSPIOP-Source does not match the payee fsp") != std::string::npos);
    CHECK_FALSE(book.find("q1")->response_hash);

    // The payee's answer to another FSP is refused too.
    auto misrouted = book.on_answer("q1", "dfsp2", "dfsp3", digest(3));
    REQUIRE(misrouted.error);
    CHECK(misrouted.error->error_description.find("FSPIOP-Destination does not match the payer fsp") !=
          std::string::npos);

    // The payee's own answer goes to the payer (also when it names no destination).
    auto ok = book.on_answer("q1", "dfsp2", "", digest(3));
    CHECK_FALSE(ok.error);
    CHECK(ok.to == "dfsp1");
    CHECK(book.find("q1")->response_hash == digest(3));

    // Its resend is passed on; a changed answer is 3106.
    auto resent = book.on_answer("q1", "dfsp2", "dfsp1", digest(3));
    CHECK_FALSE(resent.error);
    CHECK(resent.to == "dfsp1");
    auto changed = book.on_answer("q1", "dfsp2", "dfsp1", digest(4));
    REQUIRE(changed.error);
    CHECK(code_of(*changed.error) == fspiop::errc::modified_request);
    CHECK(book.find("q1")->response_hash == digest(3));
}

TEST_CASE("quote book: error answers are routed, never recorded, unknown quotes pass as they are", "[ledger][quotes]")
{
    quote_book book;
    book.record_request("q1", "dfsp1", "dfsp2", digest(1));

    auto stranger = book.on_answer("q1", "dfsp3", "", std::nullopt);
    CHECK(stranger.error);
    auto payee = book.on_answer("q1", "dfsp2", "", std::nullopt);
    CHECK_FALSE(payee.error);
    CHECK(payee.to == "dfsp1");
    CHECK_FALSE(book.find("q1")->response_hash);
    // The payee may still answer after its error, as the real service allows.
    CHECK_FALSE(book.on_answer("q1", "dfsp2", "", digest(5)).error);

    auto unknown = book.on_answer("q9", "dfsp7", "dfsp8", digest(1));
    CHECK_FALSE(unknown.error);
    CHECK(unknown.to == "dfsp8");
    CHECK_FALSE(book.find("q9"));

    CHECK(book.other_side("q1", "dfsp1") == "dfsp2");
    CHECK(book.other_side("q1", "dfsp2") == "dfsp1");
    CHECK(book.other_side("q9", "dfsp1").empty());
}
