// The connector's bulk transaction as scripts of events, without sockets or timers: bounded
// lookups, grouping by payee FSP and by bulk_max_items, per-item quote and transfer results
// with the funds blocked, booked and released per item, the acceptance stops, fee limits, and
// a bulk transfer never called back (asked once, then left unresolved with its funds blocked).
#include "simulator/connector/codec.hpp"
#include "simulator/dfsp/detail/bulk_outbound.hpp"
#include "simulator/fspiop/codec.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace mojasim;
using namespace std::chrono_literals;
using dfsp::detail::bulk_flow;
using dfsp::detail::callback;
using connector::bulk_transaction_state;
using connector::transfer_status;

namespace {

constexpr char const* ilp_packet =
    "AYIBgQAAAAAAAASwNGxldmVsb25lLmRmc3AxLm1lci45T2RTOF81MDdqUUZERmZlakgyOVc4bXFmNEpLMHlGTFGCAUBQ";
constexpr char const* condition = "HOr22-H3AfTDHrSkPjJtVPRdKouuMkDXTR4ejlQa8Ks";
constexpr char const* fulfilment = "WLctttbu2HvTsa1XWvUoGRcQozHsqeu9Ahl2JW9Bsu8";

core::decimal dec(char const* s)
{
    return *core::decimal::parse(s);
}

callback answer(std::string body, std::string source, bool error = false)
{
    callback c;
    c.error = error;
    c.body = std::move(body);
    c.source = std::move(source);
    return c;
}

// The payee FSP of a party: numbers ending in 3 are at dfsp3, others at dfsp2.
std::string fsp_of(std::string const& id)
{
    return id.back() == '3' ? "dfsp3" : "dfsp2";
}

struct script
{
    core::manual_clock clock;
    core::id_generator ids{11};
    dfsp::bank money;
    dfsp::connector_config options;
    dfsp::detail::bulk_transaction b;

    explicit script(std::vector<std::string> const& payees)
    {
        money.open("payer", dec("1000"));
        options.party_timeout = 1000ms;
        options.quote_timeout = 2000ms;
        options.transfer_grace = 500ms;
        options.prepare_expiry = 30s;
        options.bulk_concurrency = 2;
        options.bulk_max_items = 2;
        b.payer_account = "payer";
        b.request.bulk_transaction_id = "01HZZZZZZZZZZZZZZZZZZZZZZZ";
        b.request.bulk_home_transaction_id = "batch-1";
        b.request.options.auto_accept_party = true;
        b.request.options.auto_accept_quote = true;
        b.request.from.party_id_info.party_identifier = "0413356886";
        for(auto const& p : payees)
        {
            dfsp::detail::bulk_item it;
            it.request.home_transaction_id = "row-" + p;
            it.request.to.party_id_info.party_identifier = p;
            it.request.currency = "USD";
            it.request.amount = dec("10");
            b.items.push_back(std::move(it));
        }
    }

    bulk_flow flow() { return bulk_flow(b, money, "dfsp1", options, ids, clock); }

    std::size_t item_of(std::string const& party) const
    {
        for(std::size_t i = 0; i < b.items.size(); ++i)
            if(b.items[i].request.to.party_id_info.party_identifier == party)
                return i;
        FAIL("no item for " << party);
        return 0;
    }
};

// PUT /parties for a lookup (3204 for parties named "0400000000").
callback lookup_answer(bulk_flow::send const& s, script const& sc)
{
    auto const& id = sc.b.items.at(s.index).request.to.party_id_info.party_identifier;
    if(id == "0400000000")
        return answer(R"({"errorInformation":{"errorCode":"3204","errorDescription":"Party not found"}})", "dfsp2", true);
    return answer(R"({"party":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":")" + id + R"(","fspId":")" +
                      fsp_of(id) + R"("}}})",
                  fsp_of(id));
}

// PUT /bulkQuotes: terms for every quote (fee 1), 5101 for parties listed in `refuse`.
callback bulk_quote_answer(bulk_flow::send const& s, std::vector<std::string> const& refuse = {})
{
    auto q = fspiop::decode<fspiop::post_bulk_quotes>(s.body);
    REQUIRE(q);
    fspiop::put_bulk_quotes put;
    put.expiration = "2030-01-01T00:00:00.000Z";
    for(auto const& iq : q->individual_quotes)
    {
        fspiop::individual_quote_result r;
        r.quote_id = iq.quote_id;
        if(std::find(refuse.begin(), refuse.end(), iq.payee.party_id_info.party_identifier) != refuse.end())
            r.error_information = fspiop::error_information::from(fspiop::errc::payee_rejected_quote);
        else
        {
            r.transfer_amount = fspiop::money{"USD", "11"};
            r.payee_fsp_fee = fspiop::money{"USD", "1"};
            r.ilp_packet = ilp_packet;
            r.condition = condition;
        }
        put.individual_quote_results.push_back(std::move(r));
    }
    return answer(fspiop::encode(put), s.destination);
}

// PUT /bulkTransfers: a fulfilment for each item, 5104 for the items listed in `refuse`.
callback bulk_transfer_answer(bulk_flow::send const& s, std::vector<std::string> const& refuse = {})
{
    auto t = fspiop::decode<fspiop::post_bulk_transfers>(s.body);
    REQUIRE(t);
    fspiop::put_bulk_transfers put;
    put.bulk_transfer_state = fspiop::bulk_transfer_state::completed;
    for(auto const& it : t->individual_transfers)
    {
        fspiop::individual_transfer_result r;
        r.transfer_id = it.transfer_id;
        if(std::find(refuse.begin(), refuse.end(), it.transfer_id) != refuse.end())
            r.error_information = fspiop::error_information::from(fspiop::errc::payee_rejected_transaction);
        else
            r.fulfilment = fulfilment;
        put.individual_transfer_results.push_back(std::move(r));
    }
    return answer(fspiop::encode(put), s.destination);
}

std::string code_of(dfsp::detail::bulk_item const& it)
{
    if(!it.last_error || !it.last_error->mojaloop_error || !it.last_error->mojaloop_error->error_information)
        return {};
    return it.last_error->mojaloop_error->error_information->error_code;
}

} // namespace

TEST_CASE("bulk: bounded lookups, groups by payee FSP and size, per-item results and money")
{
    script sc({"0495000001", "0495000002", "0400000000", "0495000013", "0495000004", "0495000023"});
    auto flow = sc.flow();
    auto sends = flow.start();
    // At most bulk_concurrency lookups at a time; each answer lets the next one go.
    REQUIRE(sends.size() == 2);
    CHECK(flow.in_flight() == 2);
    std::vector<bulk_flow::send> quotes;
    std::size_t lookups = 0;
    while(!sends.empty())
    {
        auto const s = sends.front();
        sends.erase(sends.begin());
        REQUIRE(s.what == bulk_flow::step::lookup);
        CHECK(s.method == net::method::get);
        CHECK(s.timeout == 1000ms);
        ++lookups;
        CHECK(flow.in_flight() <= 2);
        auto next = flow.on_answer(s.what, s.index, lookup_answer(s, sc));
        for(auto& n : next)
            (n.what == bulk_flow::step::lookup ? sends : quotes).push_back(std::move(n));
    }
    CHECK(lookups == 6);
    // The stranger failed alone; the rest in groups of at most 2 per payee FSP, in the order
    // of the request: dfsp2 [1, 2], dfsp3 [13, 23], dfsp2 [4].
    auto const& stranger = sc.b.items[sc.item_of("0400000000")];
    CHECK(stranger.state == transfer_status::error_occurred);
    CHECK(code_of(stranger) == "3204");
    REQUIRE(quotes.size() == 3);
    CHECK(quotes[0].destination == "dfsp2");
    CHECK(quotes[1].destination == "dfsp3");
    CHECK(quotes[2].destination == "dfsp2");
    CHECK(sc.b.groups[0].items.size() == 2);
    CHECK(sc.b.groups[1].items.size() == 2);
    CHECK(sc.b.groups[2].items.size() == 1);
    auto const q0 = fspiop::decode<fspiop::post_bulk_quotes>(quotes[0].body);
    REQUIRE(q0);
    CHECK(q0->payer.party_id_info.fsp_id == "dfsp1");
    CHECK(q0->individual_quotes[0].transaction_id == sc.b.items[0].transfer_id);
    CHECK(q0->individual_quotes[0].payee.party_id_info.fsp_id == "dfsp2");

    // The quotes: dfsp3 refuses one item; nothing is sent until every group has answered.
    CHECK(flow.on_answer(quotes[0].what, quotes[0].index, bulk_quote_answer(quotes[0])).empty());
    CHECK(flow.on_answer(quotes[1].what, quotes[1].index, bulk_quote_answer(quotes[1], {"0495000013"})).empty());
    auto transfers = flow.on_answer(quotes[2].what, quotes[2].index, bulk_quote_answer(quotes[2]));
    CHECK(code_of(sc.b.items[sc.item_of("0495000013")]) == "5101");
    REQUIRE(transfers.size() == 3);
    // Funds are blocked per item: four items of 11.
    CHECK(sc.money.find("payer")->blocked == dec("44"));
    auto const t2 = fspiop::decode<fspiop::post_bulk_transfers>(transfers[2].body);
    REQUIRE(t2);
    CHECK(t2->payee_fsp == "dfsp2");
    CHECK(t2->individual_transfers.size() == 1);
    auto const t1 = fspiop::decode<fspiop::post_bulk_transfers>(transfers[1].body);
    REQUIRE(t1);
    CHECK(t1->payee_fsp == "dfsp3");
    CHECK(t1->individual_transfers.size() == 1); // its refused item is not prepared
    CHECK(t2->bulk_quote_id == sc.b.groups[2].bulk_quote_id);
    CHECK(transfers[0].timeout == 30500ms);

    // Transfers: one item refused by the payee, the rest fulfilled.
    auto const refused_id = sc.b.items[sc.item_of("0495000002")].transfer_id;
    CHECK(flow.on_answer(transfers[0].what, transfers[0].index, bulk_transfer_answer(transfers[0], {refused_id})).empty());
    CHECK_FALSE(flow.stopped());
    CHECK(flow.on_answer(transfers[1].what, transfers[1].index, bulk_transfer_answer(transfers[1])).empty());
    CHECK(flow.on_answer(transfers[2].what, transfers[2].index, bulk_transfer_answer(transfers[2])).empty());
    CHECK(flow.stopped());
    CHECK(sc.b.state == bulk_transaction_state::completed);
    CHECK(sc.money.find("payer")->blocked == dec("0"));
    CHECK(sc.money.find("payer")->balance == dec("967")); // three booked
    auto const r = dfsp::detail::response_of(sc.b);
    CHECK(r.current_state == bulk_transaction_state::completed);
    REQUIRE(r.individual_transfer_results.size() == 6);
    CHECK(r.individual_transfer_results[0].current_state == transfer_status::completed);
    CHECK(r.individual_transfer_results[0].fulfilment == std::string(fulfilment));
    CHECK(r.individual_transfer_results[0].transfer_state == connector::transfer_state::committed);
    CHECK_FALSE(r.individual_transfer_results[1].transfer_state);
    CHECK(r.individual_transfer_results[0].to.party_id_info.fsp_id == "dfsp2");
    CHECK(r.individual_transfer_results[0].transfer_amount->amount == dec("11"));
    CHECK(r.individual_transfer_results[1].current_state == transfer_status::error_occurred);
    CHECK(r.individual_transfer_results[1].last_error->mojaloop_error->error_information->error_code == "5104");
    CHECK(r.individual_transfer_results[2].home_transaction_id == "row-0400000000");
    // The body round-trips through the codec.
    auto const decoded = connector::decode_bulk_transaction_response(connector::encode(r));
    REQUIRE(decoded);
    CHECK(*decoded == r);
}

TEST_CASE("bulk: party and quote acceptance stops, rejections, and the fee limit")
{
    script sc({"0495000001", "0495000002", "0495000004"});
    sc.b.request.options.auto_accept_party = false;
    sc.b.request.options.auto_accept_quote = false;
    auto flow = sc.flow();
    auto sends = flow.start();
    REQUIRE(sends.size() == 2);
    auto more = flow.on_answer(sends[0].what, sends[0].index, lookup_answer(sends[0], sc));
    REQUIRE(more.size() == 1);
    CHECK(flow.on_answer(sends[1].what, sends[1].index, lookup_answer(sends[1], sc)).empty());
    CHECK_FALSE(flow.stopped());
    CHECK(flow.on_answer(more[0].what, more[0].index, lookup_answer(more[0], sc)).empty());
    CHECK(flow.stopped());
    CHECK(sc.b.state == bulk_transaction_state::waiting_for_party_acceptance);
    CHECK(sc.b.items[0].state == transfer_status::waiting_for_party_acceptance);

    using kind = connector::bulk_transaction_continuation::kind;
    std::vector<bulk_flow::send> out;
    // The wrong acceptance, or an unknown transfer, is refused and changes nothing.
    CHECK_FALSE(flow.on_accept({kind::accept_quote, {{sc.b.items[0].transfer_id, true}}}, out).empty());
    CHECK_FALSE(flow.on_accept({kind::accept_party, {{"nobody", true}}}, out).empty());
    // Accepting part of them keeps waiting for the rest.
    CHECK(flow.on_accept({kind::accept_party, {{sc.b.items[0].transfer_id, true}}}, out).empty());
    CHECK(out.empty());
    CHECK(sc.b.state == bulk_transaction_state::waiting_for_party_acceptance);
    CHECK(flow.on_accept({kind::accept_party, {{sc.b.items[1].transfer_id, false}, {sc.b.items[2].transfer_id, true}}},
                         out).empty());
    CHECK(code_of(sc.b.items[1]) == "4100");
    REQUIRE(out.size() == 1);
    CHECK(out[0].what == bulk_flow::step::bulk_quote);
    CHECK(sc.b.state == bulk_transaction_state::processing);
    CHECK(flow.on_answer(out[0].what, out[0].index, bulk_quote_answer(out[0])).empty());
    CHECK(sc.b.state == bulk_transaction_state::waiting_for_quote_acceptance);
    CHECK(sc.money.find("payer")->blocked == dec("0"));
    out.clear();
    CHECK(flow.on_accept({kind::accept_quote, {{sc.b.items[0].transfer_id, true}, {sc.b.items[2].transfer_id, false}}},
                         out).empty());
    REQUIRE(out.size() == 1);
    CHECK(sc.money.find("payer")->blocked == dec("11"));
    CHECK(flow.on_answer(out[0].what, out[0].index, bulk_transfer_answer(out[0])).empty());
    CHECK(sc.b.state == bulk_transaction_state::completed);
    CHECK(sc.b.items[0].state == transfer_status::completed);
    CHECK(code_of(sc.b.items[2]) == "4100");

    // Auto-accepted quotes above the fee limit are refused by the payer.
    script limited({"0495000001"});
    limited.b.request.options.per_transfer_fee_limits = {connector::money{"USD", dec("0.5")}};
    auto f2 = limited.flow();
    auto l = f2.start();
    auto q = f2.on_answer(l[0].what, l[0].index, lookup_answer(l[0], limited));
    REQUIRE(q.size() == 1);
    CHECK(f2.on_answer(q[0].what, q[0].index, bulk_quote_answer(q[0])).empty());
    CHECK(limited.b.state == bulk_transaction_state::completed);
    CHECK(code_of(limited.b.items[0]) == "4100");
}

TEST_CASE("bulk: a refused prepare releases the funds, a lost one is asked for once, then left unresolved")
{
    script sc({"0495000001", "0495000013"});
    sc.b.request.options.skip_party_lookup = true;
    sc.b.items[0].request.to.party_id_info.fsp_id = "dfsp2";
    sc.b.items[1].request.to.party_id_info.fsp_id = "dfsp3";
    auto flow = sc.flow();
    auto quotes = flow.start();
    REQUIRE(quotes.size() == 2); // no lookups
    CHECK(flow.on_answer(quotes[0].what, quotes[0].index, bulk_quote_answer(quotes[0])).empty());
    auto transfers = flow.on_answer(quotes[1].what, quotes[1].index, bulk_quote_answer(quotes[1]));
    REQUIRE(transfers.size() == 2);
    CHECK(sc.money.find("payer")->blocked == dec("22"));

    // dfsp2's bulk refused by the switch at once: its funds are released.
    auto ack = net::make_empty(400);
    ack.body = R"({"errorInformation":{"errorCode":"3100","errorDescription":"Generic validation error"}})";
    CHECK(flow.on_answer(transfers[0].what, transfers[0].index, dfsp::detail::refused{ack}).empty());
    CHECK(code_of(sc.b.items[0]) == "3100");
    CHECK(sc.money.find("payer")->blocked == dec("11"));

    // dfsp3's never called back: GET /bulkTransfers/{id}, which is not answered either.
    auto status = flow.on_answer(transfers[1].what, transfers[1].index, dfsp::detail::timed_out{});
    REQUIRE(status.size() == 1);
    CHECK(status[0].what == bulk_flow::step::bulk_status);
    CHECK(status[0].method == net::method::get);
    CHECK(status[0].path == "/bulkTransfers/" + sc.b.groups[1].bulk_transfer_id);
    CHECK_FALSE(flow.stopped());
    CHECK(flow.on_answer(status[0].what, status[0].index, dfsp::detail::timed_out{}).empty());
    CHECK(flow.stopped());
    auto const& lost = sc.b.items[1];
    CHECK(lost.unresolved);
    CHECK(lost.state == transfer_status::error_occurred);
    CHECK(lost.last_error->http_status_code == 504);
    CHECK_FALSE(lost.last_error->mojaloop_error);
    CHECK(sc.money.find("payer")->blocked == dec("11")); // kept until the outcome is known

    // A status answer resolves a lost bulk transfer.
    script again({"0495000001"});
    again.b.request.options.skip_party_lookup = true;
    again.b.items[0].request.to.party_id_info.fsp_id = "dfsp2";
    auto f2 = again.flow();
    auto q = f2.start();
    auto t = f2.on_answer(q[0].what, q[0].index, bulk_quote_answer(q[0]));
    auto s = f2.on_answer(t[0].what, t[0].index, dfsp::detail::timed_out{});
    REQUIRE(s.size() == 1);
    CHECK(f2.on_answer(s[0].what, s[0].index, bulk_transfer_answer(t[0])).empty());
    CHECK(again.b.items[0].state == transfer_status::completed);
    CHECK(again.money.find("payer")->balance == dec("989"));
    CHECK(again.b.state == bulk_transaction_state::completed);
}

TEST_CASE("bulk: the connector's bulk bodies are read strictly and written back the same")
{
    auto const body = std::string(
        R"({"bulkHomeTransactionID":"batch-7","bulkTransactionId":"b51ec534-ee48-4575-b6a9-ead2955b8069",)"
        R"("options":{"autoAcceptParty":{"enabled":true},"autoAcceptQuote":{"enabled":false,)"
        R"("perTransferFeeLimits":[{"currency":"USD","amount":"2"}]},"synchronous":true,)"
        R"("bulkExpiration":"2030-01-01T00:00:00.000Z"},)"
        R"("from":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":"0413356886"}},)"
        R"("individualTransfers":[{"homeTransactionId":"row-1","to":{"partyIdInfo":{"partyIdType":"MSISDN",)"
        R"("partyIdentifier":"0495000001"}},"amountType":"SEND","currency":"USD","amount":"10.5","note":"grant"}]})");
    auto r = connector::decode_bulk_transaction_request(body);
    REQUIRE(r);
    CHECK(r->bulk_home_transaction_id == "batch-7");
    CHECK(r->options.auto_accept_party);
    CHECK_FALSE(r->options.auto_accept_quote);
    REQUIRE(r->options.per_transfer_fee_limits.size() == 1);
    CHECK(r->options.synchronous == true);
    REQUIRE(r->individual_transfers.size() == 1);
    CHECK(r->individual_transfers[0].amount == dec("10.5"));
    CHECK(connector::encode(*r) == body);

    auto bad = [](std::string const& b) {
        auto x = connector::decode_bulk_transaction_request(b);
        return x ? std::string{} : x.error().detail();
    };
    CHECK(bad(R"({"bulkTransactionId":"x"})") == "bulkHomeTransactionID is required");
    auto no_items = body;
    no_items.replace(no_items.find("[{\"homeTransactionId"), no_items.size() - no_items.find("[{\"homeTransactionId") - 1, "[]");
    CHECK(bad(no_items) == "individualTransfers must have at least 1 item");
    auto extra = body;
    extra.insert(1, R"("colour":"red",)");
    CHECK(bad(extra) == "colour is not an allowed property");

    auto c = connector::decode_bulk_transaction_continuation(
        R"({"individualTransfers":[{"transferId":"b51ec534-ee48-4575-b6a9-ead2955b8069","acceptQuote":false}]})");
    REQUIRE(c);
    CHECK(c->what == connector::bulk_transaction_continuation::kind::accept_quote);
    CHECK_FALSE(c->individual_transfers[0].accepted);
    CHECK(connector::decode_bulk_transaction_continuation(connector::encode(*c)).value() == *c);
    CHECK_FALSE(connector::decode_bulk_transaction_continuation(
        R"({"individualTransfers":[{"transferId":"b51ec534-ee48-4575-b6a9-ead2955b8069"}]})"));
    CHECK_FALSE(connector::decode_bulk_transaction_continuation(
        R"({"individualTransfers":[{"transferId":"b51ec534-ee48-4575-b6a9-ead2955b8069","acceptParty":true},)"
        R"({"transferId":"b51ec534-ee48-4575-b6a9-ead2955b8069","acceptQuote":true}]})"));
    CHECK_FALSE(connector::decode_bulk_transaction_continuation(R"({"individualTransfers":[]})"));
}
