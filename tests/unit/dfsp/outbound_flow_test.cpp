// DFSP1's outbound flow as a script of acknowledgements and callbacks, without sockets or
// timers: lookup, quote and transfer, acceptance stops, every failure before and after the
// prepare, a lost fulfil resolved by asking the switch, and one left unresolved with its funds
// still blocked.
#include "simulator/dfsp/detail/outbound.hpp"
#include "simulator/fspiop/codec.hpp"

#include <catch2/catch.hpp>

using namespace mojasim;
using namespace std::chrono_literals;
using dfsp::detail::callback;
using dfsp::detail::outbound_flow;
using dfsp::detail::outbound_stage;
using connector::transfer_status;

namespace {

constexpr char const* party_body =
    R"({"party":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":"0495000001","fspId":"dfsp2"},"name":"Ana Ade"}})";
constexpr char const* quote_body =
    R"({"transferAmount":{"currency":"USD","amount":"10"},"expiration":"2030-01-01T00:00:00.000Z",)"
    R"("ilpPacket":"AYIBgQAAAAAAAASwNGxldmVsb25lLmRmc3AxLm1lci45T2RTOF81MDdqUUZERmZlakgyOVc4bXFmNEpLMHlGTFGCAUBQ",)"
    R"("condition":"HOr22-H3AfTDHrSkPjJtVPRdKouuMkDXTR4ejlQa8Ks"})";
constexpr char const* committed_body =
    R"({"transferState":"COMMITTED","fulfilment":"WLctttbu2HvTsa1XWvUoGRcQozHsqeu9Ahl2JW9Bsu8",)"
    R"("completedTimestamp":"2030-01-01T00:00:00.000Z"})";
constexpr char const* aborted_body = R"({"transferState":"ABORTED"})";
constexpr char const* reserved_body =
    R"({"transferState":"RESERVED","completedTimestamp":"2030-01-01T00:00:00.000Z"})";

std::string error_body(std::string const& code)
{
    return R"({"errorInformation":{"errorCode":")" + code + R"(","errorDescription":"error )" + code + R"("}})";
}

callback answer(std::string body, bool error = false)
{
    callback c;
    c.error = error;
    c.body = std::move(body);
    c.source = "dfsp2";
    return c;
}

net::response status(unsigned s)
{
    auto r = net::make_empty(s);
    if(s >= 400)
        r.body = error_body("3100");
    return r;
}

struct script
{
    core::manual_clock clock;
    core::id_generator ids{7};
    dfsp::bank money;
    dfsp::connector_config options;
    dfsp::detail::outbound_transfer t;

    script()
    {
        money.open("payer", *core::decimal::parse("100"));
        options.party_timeout = 1000ms;
        options.quote_timeout = 2000ms;
        options.transfer_grace = 500ms;
        options.quote_expiry = 60s;
        options.prepare_expiry = 30s;
        t.transfer_id = "11111111-1111-4111-8111-111111111111";
        t.payer_account = "payer";
        t.request.from.id_value = "0413356886";
        t.request.to.id_value = "0495000001";
        t.request.currency = "USD";
        t.request.amount = *core::decimal::parse("10");
    }

    outbound_flow flow() { return outbound_flow(t, money, "dfsp1", options, ids, clock); }
};

template <class A>
A as(outbound_flow::action const& a)
{
    REQUIRE(std::holds_alternative<A>(a));
    return std::get<A>(a);
}

// The first request sent and acknowledged: waiting for its callback.
void asked(outbound_flow& f)
{
    as<outbound_flow::send>(f.advance());
    as<outbound_flow::wait>(f.on_ack(status(202)));
}

// Lookup and quote answered: the flow then blocks the funds and sends the prepare.
void through_quote(script& s, outbound_flow& f)
{
    auto const& lookup = as<outbound_flow::send>(f.advance());
    CHECK(lookup.what == outbound_flow::step::lookup);
    CHECK(lookup.path == "/parties/MSISDN/0495000001");
    CHECK(as<outbound_flow::wait>(f.on_ack(status(202))).timeout == 1000ms);
    auto const& quote = as<outbound_flow::send>(f.on_callback(answer(party_body)));
    CHECK(quote.what == outbound_flow::step::quote);
    CHECK(quote.destination == "dfsp2");
    CHECK(quote.waiter_key == s.t.quote_id);
    CHECK(as<outbound_flow::wait>(f.on_ack(status(202))).timeout == 2000ms);
}

// Through the quote, the funds blocked, the prepare sent and acknowledged: waiting for its fulfil.
void prepared(script& s, outbound_flow& f)
{
    through_quote(s, f);
    as<outbound_flow::send>(f.on_callback(answer(quote_body)));
    as<outbound_flow::wait>(f.on_ack(status(202)));
}

} // namespace

TEST_CASE("outbound flow: lookup, quote and a committed transfer book the funds", "[dfsp][flow]")
{
    script s;
    auto f = s.flow();
    through_quote(s, f);
    auto const& prepare = as<outbound_flow::send>(f.on_callback(answer(quote_body)));
    CHECK(prepare.what == outbound_flow::step::prepare);
    CHECK(prepare.waiter_key == s.t.transfer_id);
    CHECK(s.money.blocked_for(s.t.transfer_id) == *core::decimal::parse("10"));
    CHECK(as<outbound_flow::wait>(f.on_ack(status(202))).timeout == 30500ms); // expiry + grace
    as<outbound_flow::stop>(f.on_callback(answer(committed_body)));
    CHECK(s.t.state == transfer_status::completed);
    CHECK(s.t.stage == outbound_stage::done);
    CHECK(s.money.find("payer")->balance == *core::decimal::parse("90"));
    CHECK(s.money.block_count() == 0);
}

TEST_CASE("outbound flow: acceptance stops at the party, then at the quote", "[dfsp][flow]")
{
    script s;
    s.options.auto_accept_party = false;
    s.options.auto_accept_quote = false;
    {
        auto f = s.flow();
        asked(f);
        as<outbound_flow::stop>(f.on_callback(answer(party_body)));
        CHECK(s.t.stage == outbound_stage::party_acceptance);
        CHECK(s.t.state == transfer_status::waiting_for_party_acceptance);
        CHECK(s.t.payee_fsp == "dfsp2");
    }
    s.t.stage = outbound_stage::quote; // the caller accepted the party
    {
        auto f = s.flow();
        asked(f);
        as<outbound_flow::stop>(f.on_callback(answer(quote_body)));
        CHECK(s.t.stage == outbound_stage::quote_acceptance);
        CHECK(s.money.block_count() == 0); // nothing blocked before the quote is accepted
    }
}

TEST_CASE("outbound flow: a skipped lookup goes straight to the quote", "[dfsp][flow]")
{
    script s;
    s.t.request.skip_party_lookup = true;
    s.t.request.to.fsp_id = "dfsp9";
    auto f = s.flow();
    auto const& quote = as<outbound_flow::send>(f.advance());
    CHECK(quote.what == outbound_flow::step::quote);
    CHECK(quote.destination == "dfsp9");
}

TEST_CASE("outbound flow: an accepted request to pay names it in the quote and waits for no acceptance",
          "[dfsp][flow]")
{
    script s;
    s.options.auto_accept_party = false;
    s.options.auto_accept_quote = false;
    s.t.request.skip_party_lookup = true;
    s.t.request.to.fsp_id = "dfsp2";
    s.t.transaction_request_id = "22222222-2222-4222-8222-222222222222";
    mojasim::fspiop::transaction_type type;
    type.scenario = mojasim::fspiop::transaction_scenario::payment;
    type.initiator = mojasim::fspiop::transaction_initiator::payee;
    s.t.requested_type = type;
    auto f = s.flow();
    auto const& quote = as<outbound_flow::send>(f.advance());
    REQUIRE(quote.what == outbound_flow::step::quote);
    auto const q = mojasim::fspiop::decode<mojasim::fspiop::post_quotes>(quote.body);
    REQUIRE(q);
    CHECK(q->transaction_request_id == s.t.transaction_request_id);
    CHECK(q->transaction_type.initiator == mojasim::fspiop::transaction_initiator::payee);
    CHECK(q->transaction_type.scenario == mojasim::fspiop::transaction_scenario::payment);
    as<outbound_flow::wait>(f.on_ack(status(202)));
    // The quote is not held for an acceptance: the funds are blocked and the prepare goes.
    CHECK(as<outbound_flow::send>(f.on_callback(answer(quote_body))).what == outbound_flow::step::prepare);
    CHECK(s.money.block_count() == 1);
}

TEST_CASE("outbound flow: failures before the prepare keep the funds untouched", "[dfsp][flow]")
{
    SECTION("the switch is unreachable: 503 inside, no Mojaloop error")
    {
        script s;
        auto f = s.flow();
        as<outbound_flow::send>(f.advance());
        as<outbound_flow::stop>(f.on_ack(std::nullopt));
        CHECK(s.t.last_error->http_status_code == 503);
        CHECK_FALSE(s.t.last_error->mojaloop_error);
    }
    SECTION("no party callback: the SDK's 504")
    {
        script s;
        auto f = s.flow();
        asked(f);
        as<outbound_flow::stop>(f.on_callback(std::nullopt));
        CHECK(s.t.error_status == 504);
        CHECK(s.t.error_message == "Timeout resolving party: no callback within 1000 ms");
    }
    SECTION("the party is unknown: its 3204 is kept")
    {
        script s;
        auto f = s.flow();
        asked(f);
        as<outbound_flow::stop>(f.on_callback(answer(error_body("3204"), true)));
        CHECK(s.t.last_error->mojaloop_error->error_information->error_code == "3204");
        CHECK(s.t.party_response->error_information);
    }
    SECTION("another party resolved than asked for")
    {
        script s;
        s.t.request.to.id_value = "0495000002";
        auto f = s.flow();
        asked(f);
        as<outbound_flow::stop>(f.on_callback(answer(party_body)));
        CHECK(s.t.error_message == "Resolved payee party does not match");
    }
    SECTION("the payer cannot cover the quote")
    {
        script s;
        s.money.debit("payer", *core::decimal::parse("95"));
        auto f = s.flow();
        through_quote(s, f);
        as<outbound_flow::stop>(f.on_callback(answer(quote_body)));
        CHECK(s.t.error_message == "Failed to block funds");
        CHECK(s.money.block_count() == 0);
    }
}

TEST_CASE("outbound flow: after the prepare, refusals and aborts release the funds", "[dfsp][flow]")
{
    SECTION("the prepare is refused synchronously")
    {
        script s;
        auto f = s.flow();
        through_quote(s, f);
        as<outbound_flow::send>(f.on_callback(answer(quote_body)));
        as<outbound_flow::stop>(f.on_ack(status(400)));
        CHECK(s.t.last_error->mojaloop_error->error_information->error_code == "3100");
        CHECK(s.money.block_count() == 0);
    }
    SECTION("an error callback")
    {
        script s;
        auto f = s.flow();
        prepared(s, f);
        as<outbound_flow::stop>(f.on_callback(answer(error_body("4001"), true)));
        CHECK(s.t.last_error->mojaloop_error->error_information->error_code == "4001");
        CHECK(s.money.block_count() == 0);
        CHECK(s.money.find("payer")->balance == *core::decimal::parse("100"));
    }
    SECTION("ABORTED")
    {
        script s;
        auto f = s.flow();
        prepared(s, f);
        as<outbound_flow::stop>(f.on_callback(answer(aborted_body)));
        CHECK(s.t.error_message == "Transfer was aborted");
        CHECK(s.money.block_count() == 0);
    }
}

TEST_CASE("outbound flow: a lost or open fulfil is asked about, unknown outcomes keep the funds blocked",
          "[dfsp][flow]")
{
    SECTION("no callback, then the switch's answer commits it")
    {
        script s;
        auto f = s.flow();
        prepared(s, f);
        auto const& ask = as<outbound_flow::send>(f.on_callback(std::nullopt));
        CHECK(ask.what == outbound_flow::step::status);
        CHECK(ask.method == net::method::get);
        CHECK(ask.path == "/transfers/" + s.t.transfer_id);
        CHECK(as<outbound_flow::wait>(f.on_ack(status(202))).timeout == 500ms);
        as<outbound_flow::stop>(f.on_callback(answer(committed_body)));
        CHECK(s.t.state == transfer_status::completed);
        CHECK(s.money.find("payer")->balance == *core::decimal::parse("90"));
    }
    SECTION("a RESERVED answer leaves it open: asked, still open: unresolved")
    {
        script s;
        auto f = s.flow();
        prepared(s, f);
        as<outbound_flow::send>(f.on_callback(answer(reserved_body)));
        as<outbound_flow::wait>(f.on_ack(status(202)));
        as<outbound_flow::stop>(f.on_callback(std::nullopt));
        CHECK(s.t.unresolved);
        CHECK(s.t.error_status == 504);
        CHECK(s.money.blocked_for(s.t.transfer_id) == *core::decimal::parse("10")); // kept for a late callback
        // The late callback settles it (connector_flows.cpp calls this for a late PUT).
        auto late = answer(committed_body);
        CHECK(dfsp::detail::settle_outbound(s.money, s.t, late));
        CHECK(s.money.block_count() == 0);
        CHECK(s.money.find("payer")->balance == *core::decimal::parse("90"));
    }
    SECTION("the status query is refused: unresolved at once")
    {
        script s;
        auto f = s.flow();
        prepared(s, f);
        as<outbound_flow::send>(f.on_callback(std::nullopt));
        as<outbound_flow::stop>(f.on_ack(std::nullopt));
        CHECK(s.t.unresolved);
        CHECK(s.money.block_count() == 1);
    }
}
