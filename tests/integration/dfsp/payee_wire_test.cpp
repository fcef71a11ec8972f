// The payee on the wire, with the test playing the switch: what DFSP2 sends back for each
// request, with which headers, and what it does with the switch's notices.
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

// Records every callback the DFSP sends "to the switch".
struct recorder
{
    std::vector<net::request> seen;
    unsigned answer = 200;
};

net::awaitable<net::response> record(recorder* r, net::request req)
{
    r->seen.push_back(std::move(req));
    co_return net::make_empty(r->answer);
}

struct fake_switch
{
    recorder rec;
    std::shared_ptr<net::router> routes = std::make_shared<net::router>();
    std::unique_ptr<net::server> server;

    explicit fake_switch(net::asio::io_context& ioc)
    {
        auto h = [r = &rec](net::request q) { return record(r, std::move(q)); };
        for(auto const* p : {"/parties/{Type}/{ID}", "/parties/{Type}/{ID}/error", "/parties/{Type}/{ID}/{SubId}",
                             "/quotes/{ID}", "/quotes/{ID}/error", "/transfers/{ID}", "/transfers/{ID}/error"})
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
  - { id: "0495822412", first_name: Amina, last_name: Okello, date_of_birth: 1988-03-14 }
)";

net::request fspiop_request(net::method m, std::string target, std::string_view resource, std::string body,
                    std::string_view version = "1.1")
{
    net::request r;
    r.method = m;
    r.target = std::move(target);
    auto const type = "application/vnd.interoperability." + std::string(resource) + "+json;version=" + std::string(version);
    if(m != net::method::put && m != net::method::patch)
        r.fields.add("Accept", type);
    r.fields.add("Content-Type", type);
    r.fields.add("Date", core::format_http_date(core::system_clock::instance().now()));
    r.fields.add("FSPIOP-Source", m == net::method::put || m == net::method::patch ? "Hub" : "dfsp1");
    r.fields.add("FSPIOP-Destination", "dfsp2");
    r.body = std::move(body);
    return r;
}

// Every message the payee sends is a proper FSPIOP callback.
void check_callback_headers(net::request const& r, std::string_view resource, std::string_view version = "1.1")
{
    INFO(r.target);
    CHECK(r.method == net::method::put);
    CHECK_FALSE(r.fields.contains("Accept"));
    CHECK(r.fields.value_or("Content-Type") ==
          "application/vnd.interoperability." + std::string(resource) + "+json;version=" + std::string(version));
    CHECK(core::parse_http_date(r.fields.value_or("Date")));
    CHECK(r.fields.value_or("FSPIOP-Source") == "dfsp2");
    CHECK(r.fields.value_or("FSPIOP-Destination") == "dfsp1");
}

fspiop::post_quotes quote_request(std::string amount)
{
    fspiop::post_quotes q;
    q.quote_id = "7c23e80c-d078-4077-8263-2c047876fcf6";
    q.transaction_id = "85feac2f-39b2-491b-817e-4a03203d4f14";
    q.payee.party_id_info.party_identifier = "0495822412";
    q.payee.party_id_info.fsp_id = "dfsp2";
    q.payer.party_id_info.party_identifier = "0413356886";
    q.payer.party_id_info.fsp_id = "dfsp1";
    q.amount_type = fspiop::amount_type::receive;
    q.amount = fspiop::money{"USD", std::move(amount)};
    return q;
}

/// The prepare for a quote the payee gave: its amount, packet and condition, 30 s to expiry.
fspiop::post_transfers transfer_for(fspiop::put_quotes const& quote, std::string transfer_id)
{
    fspiop::post_transfers t;
    t.transfer_id = std::move(transfer_id);
    t.payer_fsp = "dfsp1";
    t.payee_fsp = "dfsp2";
    t.amount = quote.transfer_amount;
    t.ilp_packet = quote.ilp_packet;
    t.condition = quote.condition;
    t.expiration = core::format_datetime(core::system_clock::instance().now() + std::chrono::seconds(30));
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

    // Wait until the fake switch has seen `n` messages.
    net::awaitable<bool> seen(std::size_t n)
    {
        auto const limit = std::chrono::milliseconds(5000);
        auto const step = std::chrono::milliseconds(2);
        std::function<bool()> const cond = [this, n] { return sw.rec.seen.size() >= n; };
        auto const ok = co_await test::eventually(cond, limit, step);
        co_return ok;
    }

    decimal balance(std::string_view id) const { return dfsp2->find_account(id)->balance; }
};

} // namespace

TEST_CASE("the payee answers a lookup with PUT /parties and proper FSPIOP headers")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        world w(ioc);
        auto const ack = co_await w.send(fspiop_request(net::method::get, "/parties/MSISDN/0495822412", "parties", ""));
        CHECK(ack.status == 202);
        auto const unknown = co_await w.send(fspiop_request(net::method::get, "/parties/MSISDN/0400000000", "parties", ""));
        CHECK(unknown.status == 202);
        auto const got = co_await w.seen(2);
        REQUIRE(got);
        auto const& put = w.sw.rec.seen[0].target == "/parties/MSISDN/0495822412" ? w.sw.rec.seen[0] : w.sw.rec.seen[1];
        auto const& err = &put == &w.sw.rec.seen[0] ? w.sw.rec.seen[1] : w.sw.rec.seen[0];
        check_callback_headers(put, "parties");
        auto const party = fspiop::decode<fspiop::put_parties>(put.body);
        REQUIRE(party);
        CHECK(party->party.party_id_info.fsp_id == "dfsp2");
        CHECK(party->party.personal_info->complex_name->last_name == "Okello");
        CHECK(err.target == "/parties/MSISDN/0400000000/error");
        check_callback_headers(err, "parties");
        CHECK(err.body == R"({"errorInformation":{"errorCode":"3204","errorDescription":"Party not found"}})");
    });
}

TEST_CASE("requests with bad headers or bodies are refused at once, as the hub's API layer does")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        world w(ioc);
        auto no_date = fspiop_request(net::method::get, "/parties/MSISDN/0495822412", "parties", "");
        no_date.fields.erase("Date");
        auto const r1 = co_await w.send(std::move(no_date));
        CHECK(r1.status == 400);
        CHECK(r1.body.find("3102") != std::string::npos);
        auto const wrong_resource = co_await w.send(fspiop_request(net::method::post, "/quotes", "transfers", "{}"));
        CHECK(wrong_resource.status == 400);
        CHECK(wrong_resource.body.find("3101") != std::string::npos);
        auto const bad_body = co_await w.send(fspiop_request(net::method::post, "/quotes", "quotes", R"({"quoteId":1})"));
        CHECK(bad_body.status == 400);
        auto const nowhere = co_await w.send(fspiop_request(net::method::get, "/nowhere", "parties", ""));
        CHECK(nowhere.status == 404);
        CHECK(nowhere.body.find("3002") != std::string::npos);
        CHECK(w.sw.rec.seen.empty());
    });
}

TEST_CASE("quote, transfer and abort on the wire: fulfil, credit, and the credit taken back")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        world w(ioc);
        // A 1.0 request is answered in 1.0.
        auto const qack = co_await w.send(
            fspiop_request(net::method::post, "/quotes", "quotes", fspiop::encode(quote_request("20")), "1.0"));
        CHECK(qack.status == 202);
        auto const quoted = co_await w.seen(1);
        REQUIRE(quoted);
        auto const qput = w.sw.rec.seen[0];
        CHECK(qput.target == "/quotes/7c23e80c-d078-4077-8263-2c047876fcf6");
        check_callback_headers(qput, "quotes", "1.0");
        auto const quote = fspiop::decode<fspiop::put_quotes>(qput.body);
        REQUIRE(quote);
        CHECK(quote->transfer_amount.amount == "21");

        auto t = transfer_for(*quote, "85feac2f-39b2-491b-817e-4a03203d4f14");
        auto const tack = co_await w.send(fspiop_request(net::method::post, "/transfers", "transfers", fspiop::encode(t)));
        CHECK(tack.status == 202);
        auto const fulfilled = co_await w.seen(2);
        REQUIRE(fulfilled);
        auto const fput = w.sw.rec.seen[1];
        CHECK(fput.target == "/transfers/85feac2f-39b2-491b-817e-4a03203d4f14");
        check_callback_headers(fput, "transfers");
        auto const fulfil = fspiop::decode<fspiop::put_transfers>(fput.body);
        REQUIRE(fulfil);
        CHECK(fulfil->transfer_state == fspiop::transfer_state::committed);
        CHECK(fspiop::check_fulfilment(fulfil->fulfilment, t.condition));
        CHECK(core::parse_datetime(fulfil->completed_timestamp));
        CHECK(w.balance("0495822412") == decimal::from_units(20 * decimal::one));
        CHECK(w.balance("fees") == decimal::from_units(1 * decimal::one));

        // The same prepare again: the same answer, no second credit.
        auto const again = co_await w.send(fspiop_request(net::method::post, "/transfers", "transfers", fspiop::encode(t)));
        CHECK(again.status == 202);
        auto const resent = co_await w.seen(3);
        REQUIRE(resent);
        CHECK(w.sw.rec.seen[2].body == fput.body);
        CHECK(w.balance("0495822412") == decimal::from_units(20 * decimal::one));

        // The switch aborts it after all (e.g. the fulfil came too late): the credit is reversed.
        auto const abort = co_await w.send(fspiop_request(net::method::put, "/transfers/" + t.transfer_id + "/error", "transfers",
                                                  fspiop::error_body(fspiop::errc::transfer_expired)));
        CHECK(abort.status == 200);
        CHECK(w.balance("0495822412") == decimal{});
        CHECK(w.balance("fees") == decimal{});
        CHECK(w.dfsp2->stats().credits_reversed == 1);
    });
}

TEST_CASE("a transfer that does not match its quoted packet gets PUT /transfers/{ID}/error 3100")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        world w(ioc);
        co_await w.send(fspiop_request(net::method::post, "/quotes", "quotes", fspiop::encode(quote_request("20"))));
        auto const quoted = co_await w.seen(1);
        REQUIRE(quoted);
        auto const quote = fspiop::decode<fspiop::put_quotes>(w.sw.rec.seen[0].body);
        REQUIRE(quote);
        auto t = transfer_for(*quote, "5a0e6b6c-52f3-4ec4-9f43-8a8c8d3b5f01");
        t.amount = fspiop::money{"USD", "2100"};
        co_await w.send(fspiop_request(net::method::post, "/transfers", "transfers", fspiop::encode(t)));
        auto const refused = co_await w.seen(2);
        REQUIRE(refused);
        auto const& e = w.sw.rec.seen[1];
        CHECK(e.target == "/transfers/5a0e6b6c-52f3-4ec4-9f43-8a8c8d3b5f01/error");
        check_callback_headers(e, "transfers");
        CHECK(e.body.find(R"("errorCode":"3100")") != std::string::npos);
        CHECK(e.body.find("amount.amount does not match the quoted ILP packet") != std::string::npos);
        CHECK(w.balance("0495822412") == decimal{});
    });
}

TEST_CASE("a fulfil the switch refuses at once is never credited")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        world w(ioc);
        co_await w.send(fspiop_request(net::method::post, "/quotes", "quotes", fspiop::encode(quote_request("5"))));
        auto const quoted = co_await w.seen(1);
        REQUIRE(quoted);
        auto const quote = fspiop::decode<fspiop::put_quotes>(w.sw.rec.seen[0].body);
        REQUIRE(quote);
        w.sw.rec.answer = 400;
        auto t = transfer_for(*quote, "85feac2f-39b2-491b-817e-4a03203d4f14");
        co_await w.send(fspiop_request(net::method::post, "/transfers", "transfers", fspiop::encode(t)));
        auto const sent = co_await w.seen(2);
        REQUIRE(sent);
        auto const reversed = co_await test::eventually([&] { return w.dfsp2->stats().credits_reversed == 1; },
                                                        std::chrono::milliseconds(5000), std::chrono::milliseconds(2));
        CHECK(reversed);
        CHECK(w.balance("0495822412") == decimal{});
    });
}

// The Mojaloop SDK on its defaults: FSPIOP 2.0 with ULID ids. The ids inside the ILP packet
// follow the rule of the request that carried it, so the payee takes the transfer.
TEST_CASE("a 2.0 payment with ULID ids completes: the packet's ids follow the carrying request's version")
{
    test::run_async([](net::asio::io_context& ioc) -> net::awaitable<void> {
        world w(ioc);
        auto q = quote_request("20");
        q.quote_id = "01JEQ4ZK9Y8M3N5P7R2S4T6V8W";
        q.transaction_id = "01JEQ4ZK9Y8M3N5P7R2S4T6V8X";
        co_await w.send(fspiop_request(net::method::post, "/quotes", "quotes", fspiop::encode(q), "2.0"));
        auto const quoted = co_await w.seen(1);
        REQUIRE(quoted);
        auto const& qput = w.sw.rec.seen[0];
        CHECK(qput.target == "/quotes/01JEQ4ZK9Y8M3N5P7R2S4T6V8W");
        check_callback_headers(qput, "quotes", "2.0");
        auto const quote = fspiop::decode<fspiop::put_quotes>(qput.body, 2);
        REQUIRE(quote);
        auto const inside = fspiop::decode_ilp_transaction(quote->ilp_packet, 2);
        REQUIRE(inside);
        CHECK(inside->transaction_id == "01JEQ4ZK9Y8M3N5P7R2S4T6V8X");

        // The SDK uses the transactionId as the transferId.
        auto const t = transfer_for(*quote, "01JEQ4ZK9Y8M3N5P7R2S4T6V8X");
        co_await w.send(fspiop_request(net::method::post, "/transfers", "transfers", fspiop::encode(t), "2.0"));
        auto const fulfilled = co_await w.seen(2);
        REQUIRE(fulfilled);
        auto const& fput = w.sw.rec.seen[1];
        CHECK(fput.target == "/transfers/01JEQ4ZK9Y8M3N5P7R2S4T6V8X");
        check_callback_headers(fput, "transfers", "2.0");
        auto const fulfil = fspiop::decode<fspiop::put_transfers>(fput.body, 2);
        REQUIRE(fulfil);
        CHECK(fulfil->transfer_state == fspiop::transfer_state::committed);
        CHECK(fspiop::check_fulfilment(fulfil->fulfilment, t.condition));
        CHECK(w.balance("0495822412") == decimal::from_units(20 * decimal::one));
        CHECK(w.dfsp2->stats().transfers_fulfilled == 1);
    });
}
