// The payee's bulk answers on the wire, with the test playing the switch: POST /bulkQuotes
// and POST /bulkTransfers answered item by item (terms, errors, fulfilments, credits), the
// fault rules per item and per bulk, and the switch's notice settling each item.
#include "simulator/core/clock.hpp"
#include "simulator/core/log.hpp"
#include "simulator/dfsp/dfsp_actor.hpp"
#include "simulator/fspiop/codec.hpp"
#include "simulator/fspiop/ilp.hpp"
#include "simulator/net/client.hpp"
#include "simulator/net/router.hpp"
#include "simulator/net/server.hpp"
#include "tests/support/async_test.hpp"

#include <catch2/catch.hpp>

using namespace mojasim;
using dfsp::decimal;

namespace {

struct recorder
{
    std::vector<net::request> seen;
};

net::awaitable<net::response> record(recorder* r, net::request req)
{
    r->seen.push_back(std::move(req));
    co_return net::make_empty(200);
}

struct fake_switch
{
    recorder rec;
    std::shared_ptr<net::router> routes = std::make_shared<net::router>();
    std::unique_ptr<net::server> server;

    explicit fake_switch(net::asio::io_context& ioc)
    {
        auto h = [r = &rec](net::request q) { return record(r, std::move(q)); };
        for(auto const* p : {"/bulkQuotes/{ID}", "/bulkQuotes/{ID}/error", "/bulkTransfers/{ID}",
                             "/bulkTransfers/{ID}/error"})
            routes->add(net::method::put, p, h);
        server = std::make_unique<net::server>(net::asio::make_strand(ioc), routes);
        server->listen();
        server->start();
    }
    ~fake_switch() { server->stop(); }
};

constexpr char const* dfsp2_yaml = R"(
fsp_id: dfsp2
currency: USD
ilp_secret: dfsp2-secret
payee:
  fee: { fixed: 1, percent: 0 }
  fee_account: fees
parties:
  - { id: "0495822412", first_name: Amina, last_name: Okello }
  - { id: "0495822413", first_name: Kofi, last_name: Boateng }
)";

net::request fspiop_request(net::method m, std::string target, std::string_view resource, std::string body)
{
    net::request r;
    r.method = m;
    r.target = std::move(target);
    auto const type = "application/vnd.interoperability." + std::string(resource) + "+json;version=1.1";
    if(m != net::method::put)
        r.fields.add("Accept", type);
    r.fields.add("Content-Type", type);
    r.fields.add("Date", core::format_http_date(core::system_clock::instance().now()));
    r.fields.add("FSPIOP-Source", m == net::method::put ? "Hub" : "dfsp1");
    r.fields.add("FSPIOP-Destination", "dfsp2");
    r.body = std::move(body);
    return r;
}

fspiop::individual_quote item(std::string quote_id, std::string party, std::string amount)
{
    fspiop::individual_quote q;
    q.quote_id = std::move(quote_id);
    q.transaction_id = q.quote_id;
    q.transaction_id[0] = 'b';
    q.payee.party_id_info.party_identifier = std::move(party);
    q.payee.party_id_info.fsp_id = "dfsp2";
    q.amount_type = fspiop::amount_type::receive;
    q.amount = fspiop::money{"USD", std::move(amount)};
    return q;
}

// Three items: two customers of dfsp2 (20 and 30 received) and one stranger.
fspiop::post_bulk_quotes bulk_quote(std::string id)
{
    fspiop::post_bulk_quotes b;
    b.bulk_quote_id = std::move(id);
    b.payer.party_id_info.party_identifier = "0413356886";
    b.payer.party_id_info.fsp_id = "dfsp1";
    b.individual_quotes = {item("a1b2c3d4-0000-4000-8000-000000000001", "0495822412", "20"),
                           item("a1b2c3d4-0000-4000-8000-000000000002", "0499999999", "5"),
                           item("a1b2c3d4-0000-4000-8000-000000000003", "0495822413", "30")};
    return b;
}

// The bulk transfer of the quoted items, 30 s to expiry.
fspiop::post_bulk_transfers bulk_transfer(std::string id, fspiop::put_bulk_quotes const& quotes)
{
    fspiop::post_bulk_transfers t;
    t.bulk_transfer_id = std::move(id);
    t.bulk_quote_id = "a1b2c3d4-0000-4000-8000-0000000000aa";
    t.payer_fsp = "dfsp1";
    t.payee_fsp = "dfsp2";
    t.expiration = core::format_datetime(core::system_clock::instance().now() + std::chrono::seconds(30));
    for(auto const& r : quotes.individual_quote_results)
    {
        if(r.error_information)
            continue;
        fspiop::individual_transfer i;
        i.transfer_id = r.quote_id;
        i.transfer_id[0] = 'c';
        i.transfer_amount = *r.transfer_amount;
        i.ilp_packet = r.ilp_packet;
        i.condition = r.condition;
        t.individual_transfers.push_back(std::move(i));
    }
    return t;
}

struct world
{
    fake_switch sw;
    std::unique_ptr<dfsp::dfsp_actor> dfsp2;
    net::client client;

    explicit world(net::asio::io_context& ioc) : sw(ioc), client(ioc.get_executor())
    {
        core::set_log_level("error");
        auto c = dfsp::parse_config(dfsp2_yaml);
        c.switch_api.fspiop_url = sw.server->base_url();
        dfsp2 = std::make_unique<dfsp::dfsp_actor>(ioc, std::move(c));
        dfsp2->start();
    }
    ~world() { dfsp2->stop(); client.close(); }

    net::awaitable<net::response> send(net::request req)
    {
        std::string const url = dfsp2->fspiop_url() + req.target;
        auto res = co_await client.send(url, std::move(req));
        REQUIRE(res);
        co_return std::move(*res);
    }

    net::awaitable<bool> seen(std::size_t n)
    {
        std::function<bool()> const cond = [this, n] { return sw.rec.seen.size() >= n; };
        auto const ok = co_await test::eventually(cond, std::chrono::milliseconds(5000), std::chrono::milliseconds(2));
        co_return ok;
    }

    // Send a bulk quote and return its PUT.
    net::awaitable<fspiop::put_bulk_quotes> quote(fspiop::post_bulk_quotes const& q)
    {
        auto const before = sw.rec.seen.size();
        auto const ack = co_await send(fspiop_request(net::method::post, "/bulkQuotes", "bulkQuotes", fspiop::encode(q)));
        CHECK(ack.status == 202);
        auto const got = co_await seen(before + 1);
        REQUIRE(got);
        auto const& put = sw.rec.seen.back();
        CHECK(put.target == "/bulkQuotes/" + q.bulk_quote_id);
        auto answer = fspiop::decode<fspiop::put_bulk_quotes>(put.body);
        REQUIRE(answer);
        co_return std::move(*answer);
    }

    decimal balance(std::string_view id) const { return dfsp2->find_account(id)->balance; }
};

decimal units(std::int64_t n)
{
    return decimal::from_units(n * decimal::one);
}

} // namespace

TEST_CASE("bulk quote: terms, packet and condition per item, 3204 for a stranger inside the bulk")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        world w(ioc);
        auto const q = bulk_quote("a1b2c3d4-0000-4000-8000-00000000b001");
        auto const answer = co_await w.quote(q);
        auto const& put = w.sw.rec.seen.back();
        CHECK(put.fields.value_or("Content-Type") == "application/vnd.interoperability.bulkQuotes+json;version=1.1");
        CHECK(put.fields.value_or("FSPIOP-Source") == "dfsp2");
        CHECK(put.fields.value_or("FSPIOP-Destination") == "dfsp1");
        CHECK(core::parse_datetime(answer.expiration));
        REQUIRE(answer.individual_quote_results.size() == 3);
        auto const& first = answer.individual_quote_results[0];
        CHECK(first.quote_id == q.individual_quotes[0].quote_id);
        CHECK_FALSE(first.error_information);
        CHECK(first.transfer_amount->amount == "21"); // RECEIVE 20 + the fixed fee 1
        CHECK(first.payee_fsp_fee->amount == "1");
        CHECK(first.payee_receive_amount->amount == "20");
        // The packet carries the item's own transaction, and the condition is the payee's.
        auto const tx = fspiop::decode_ilp_transaction(first.ilp_packet, 1);
        REQUIRE(tx);
        CHECK(tx->quote_id == q.individual_quotes[0].quote_id);
        CHECK(tx->payee.party_id_info.party_identifier == "0495822412");
        CHECK(fspiop::check_fulfilment(fspiop::make_fulfilment("dfsp2-secret", first.ilp_packet), first.condition));
        auto const& stranger = answer.individual_quote_results[1];
        REQUIRE(stranger.error_information);
        CHECK(stranger.error_information->error_code == "3204");
        CHECK(stranger.ilp_packet.empty());
        CHECK(answer.individual_quote_results[2].transfer_amount->amount == "31");
        CHECK(answer.individual_quote_results[2].condition != first.condition);

        // A malformed bulk is refused at once, as a single quote would be.
        auto const bad =
            co_await w.send(fspiop_request(net::method::post, "/bulkQuotes", "bulkQuotes", R"({"bulkQuoteId":"x"})"));
        CHECK(bad.status == 400);
    });
}

TEST_CASE("bulk transfer: a fulfilment and a credit per item, wrong fulfilment for item n, settled by the notice")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        world w(ioc);
        auto const quotes = co_await w.quote(bulk_quote("a1b2c3d4-0000-4000-8000-00000000b002"));
        dfsp::fault_rule wrong;
        wrong.id = "second";
        wrong.step = dfsp::fault_step::transfer;
        wrong.item = 2;
        wrong.action = dfsp::fault_action::wrong_fulfilment;
        w.dfsp2->faults().upsert(wrong);

        auto const t = bulk_transfer("a1b2c3d4-0000-4000-8000-00000000c002", quotes);
        REQUIRE(t.individual_transfers.size() == 2);
        auto const ack =
            co_await w.send(fspiop_request(net::method::post, "/bulkTransfers", "bulkTransfers", fspiop::encode(t)));
        CHECK(ack.status == 202);
        auto const got = co_await w.seen(2);
        REQUIRE(got);
        auto const put = w.sw.rec.seen[1];
        CHECK(put.target == "/bulkTransfers/" + t.bulk_transfer_id);
        CHECK(put.fields.value_or("Content-Type") == "application/vnd.interoperability.bulkTransfers+json;version=1.1");
        auto const result = fspiop::decode<fspiop::put_bulk_transfers>(put.body);
        REQUIRE(result);
        CHECK(result->bulk_transfer_state == fspiop::bulk_transfer_state::completed);
        REQUIRE(result->individual_transfer_results.size() == 2);
        auto const& r1 = result->individual_transfer_results[0];
        auto const& r2 = result->individual_transfer_results[1];
        CHECK(r1.transfer_id == t.individual_transfers[0].transfer_id);
        CHECK(fspiop::check_fulfilment(r1.fulfilment, t.individual_transfers[0].condition));
        CHECK_FALSE(r2.fulfilment.empty());
        CHECK_FALSE(fspiop::check_fulfilment(r2.fulfilment, t.individual_transfers[1].condition));
        CHECK(w.balance("0495822412") == units(20));
        CHECK(w.balance("0495822413") == units(30));
        CHECK(w.balance("fees") == units(2));

        // The same bulk again: the same answer, no second credit.
        auto const again =
            co_await w.send(fspiop_request(net::method::post, "/bulkTransfers", "bulkTransfers", fspiop::encode(t)));
        CHECK(again.status == 202);
        auto const resent = co_await w.seen(3);
        REQUIRE(resent);
        CHECK(w.sw.rec.seen[2].body == put.body);
        CHECK(w.balance("0495822412") == units(20));

        // The switch commits item 1 and aborts item 2 (its fulfilment did not match).
        fspiop::put_bulk_transfers notice;
        notice.bulk_transfer_state = fspiop::bulk_transfer_state::completed;
        notice.completed_timestamp = core::format_datetime(core::system_clock::instance().now());
        notice.individual_transfer_results = {r1, r2};
        notice.individual_transfer_results[1].fulfilment.clear();
        notice.individual_transfer_results[1].error_information =
            fspiop::error_information::from(fspiop::errc::generic_validation_error, "invalid fulfilment");
        auto const n = co_await w.send(fspiop_request(net::method::put, "/bulkTransfers/" + t.bulk_transfer_id,
                                                      "bulkTransfers", fspiop::encode(notice)));
        CHECK(n.status == 200);
        CHECK(w.balance("0495822412") == units(20));
        CHECK(w.balance("0495822413") == units(0));
        CHECK(w.balance("fees") == units(1));
        auto const stats = w.dfsp2->stats();
        CHECK(stats.commits_confirmed == 1);
        CHECK(stats.credits_reversed == 1);
    });
}

TEST_CASE("bulk faults: an item refused, the whole bulk refused, a bulk never answered, a broken body")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        world w(ioc);
        auto const quotes = co_await w.quote(bulk_quote("a1b2c3d4-0000-4000-8000-00000000b003"));

        // Item 1 refused by a rule: the other item goes on.
        dfsp::fault_rule first;
        first.id = "first";
        first.step = dfsp::fault_step::transfer;
        first.item = 1;
        first.error_code = "5105";
        w.dfsp2->faults().upsert(first);
        auto const t1 = bulk_transfer("a1b2c3d4-0000-4000-8000-00000000c031", quotes);
        co_await w.send(fspiop_request(net::method::post, "/bulkTransfers", "bulkTransfers", fspiop::encode(t1)));
        auto const got1 = co_await w.seen(2);
        REQUIRE(got1);
        auto const r1 = fspiop::decode<fspiop::put_bulk_transfers>(w.sw.rec.seen[1].body);
        REQUIRE(r1);
        REQUIRE(r1->individual_transfer_results.size() == 2);
        REQUIRE(r1->individual_transfer_results[0].error_information);
        CHECK(r1->individual_transfer_results[0].error_information->error_code == "5105");
        CHECK(r1->individual_transfer_results[0].fulfilment.empty());
        CHECK_FALSE(r1->individual_transfer_results[1].fulfilment.empty());
        CHECK(w.balance("0495822412") == units(0));
        CHECK(w.balance("0495822413") == units(30));
        w.dfsp2->faults().clear();

        // The whole bulk refused: PUT .../error, nothing credited.
        dfsp::fault_rule all;
        all.id = "all";
        all.step = dfsp::fault_step::bulk_transfer;
        w.dfsp2->faults().upsert(all);
        auto const q2 = co_await w.quote(bulk_quote("a1b2c3d4-0000-4000-8000-00000000b004"));
        auto const t2 = bulk_transfer("a1b2c3d4-0000-4000-8000-00000000c032", q2);
        co_await w.send(fspiop_request(net::method::post, "/bulkTransfers", "bulkTransfers", fspiop::encode(t2)));
        auto const got2 = co_await w.seen(4);
        REQUIRE(got2);
        CHECK(w.sw.rec.seen[3].target == "/bulkTransfers/" + t2.bulk_transfer_id + "/error");
        CHECK(w.sw.rec.seen[3].body.find("\"5104\"") != std::string::npos);
        CHECK(w.balance("0495822413") == units(30));

        // Never called back (whole bulk), then a broken body: neither credits anything. The
        // bulk quote that follows shows the silent one was passed over, not late.
        all.action = dfsp::fault_action::no_callback;
        all.times = 1;
        w.dfsp2->faults().upsert(all);
        auto const q3 = co_await w.quote(bulk_quote("a1b2c3d4-0000-4000-8000-00000000b005"));
        auto const t3 = bulk_transfer("a1b2c3d4-0000-4000-8000-00000000c033", q3);
        auto const ack3 =
            co_await w.send(fspiop_request(net::method::post, "/bulkTransfers", "bulkTransfers", fspiop::encode(t3)));
        CHECK(ack3.status == 202);
        dfsp::fault_rule broken;
        broken.id = "broken";
        broken.step = dfsp::fault_step::bulk_quote;
        broken.action = dfsp::fault_action::malformed_body;
        w.dfsp2->faults().replace({broken});
        auto const q4 = bulk_quote("a1b2c3d4-0000-4000-8000-00000000b006");
        co_await w.send(fspiop_request(net::method::post, "/bulkQuotes", "bulkQuotes", fspiop::encode(q4)));
        auto const got4 = co_await w.seen(6);
        REQUIRE(got4);
        CHECK(w.sw.rec.seen.size() == 6);
        CHECK(w.sw.rec.seen[5].target == "/bulkQuotes/" + q4.bulk_quote_id);
        CHECK_FALSE(fspiop::decode<fspiop::put_bulk_quotes>(w.sw.rec.seen[5].body));
        CHECK(w.balance("0495822412") == units(0));
        CHECK(w.balance("0495822413") == units(30));
    });
}
