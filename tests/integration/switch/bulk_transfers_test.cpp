// /bulkTransfers over real HTTP: every item prepared, fulfilled, aborted or expired through
// the switch's transfer book, reported together (docs/switch.md, "/bulkTransfers"). After
// each case the positions sum to 0 and match the committed items.
#include "switch_harness.hpp"

#include <boost/json/value.hpp>

namespace mojasim::test {

namespace {

using net::method;

struct item_spec
{
    item_spec(std::string i, std::string a, std::string p = {})
        : id(std::move(i)), amount(std::move(a)), payee_in_packet(std::move(p))
    {
    }

    std::string id;
    std::string amount;
    std::string payee_in_packet; ///< the payee FSP the item's ILP packet names; empty: the fixed packet
};

std::string
ilp_packet_for(item_spec const& s)
{
    if(s.payee_in_packet.empty())
        return "AYIBgQAAAAAAAASwNGxldmVsb25lLmRmc3AxLm1lci45T2RTOF81MDdqUUZERmZlakgyOVc4bXFmNEpLMHlGTFGCAUBQU0sxLjAKTm9uY2U6IHVJ";
    fspiop::transaction t;
    t.transaction_id = s.id;
    t.quote_id = s.id;
    t.payee.party_id_info.party_identifier = "256700000001";
    t.payee.party_id_info.fsp_id = s.payee_in_packet;
    t.payer.party_id_info.party_identifier = "256711111111";
    t.payer.party_id_info.fsp_id = "dfsp1";
    t.amount = {"USD", s.amount};
    auto packet = fspiop::make_ilp_packet(t);
    REQUIRE(packet);
    return *packet;
}

std::string
bulk_body(std::string const& bulk_id, std::vector<item_spec> const& items, std::chrono::milliseconds expires = 30s,
          std::string payer = "dfsp1")
{
    fspiop::post_bulk_transfers b;
    b.bulk_transfer_id = bulk_id;
    b.bulk_quote_id = bulk_id;
    b.payer_fsp = std::move(payer);
    b.payee_fsp = "dfsp2";
    for(auto const& s : items)
    {
        fspiop::individual_transfer t;
        t.transfer_id = s.id;
        t.transfer_amount = {"USD", s.amount};
        t.ilp_packet = ilp_packet_for(s);
        t.condition = *fspiop::make_condition(world::fulfilment_of(s.id));
        b.individual_transfers.push_back(std::move(t));
    }
    b.expiration = core::format_datetime(std::chrono::system_clock::now() + expires);
    return fspiop::encode(b);
}

/// One result of the payee: the right fulfilment, a given one, or an error code.
struct result_spec
{
    result_spec(std::string i, std::string f = {}, std::string e = {}) // NOLINT: implicit from an id
        : id(std::move(i)), fulfilment(std::move(f)), error_code(std::move(e))
    {
    }

    std::string id;
    std::string fulfilment; ///< empty: the right one (unless error_code)
    std::string error_code;
};

std::string
results_body(std::vector<result_spec> const& results)
{
    // Written by hand (ids, fulfilments and codes need no escaping).
    std::string items;
    for(auto const& r : results)
    {
        if(!items.empty())
            items += ",";
        items += R"({"transferId":")" + r.id + R"(",)";
        if(!r.error_code.empty())
            items += R"("errorInformation":{"errorCode":")" + r.error_code +
                     R"(","errorDescription":"Payee rejected transaction"}})";
        else
            items += R"("fulfilment":")" + (r.fulfilment.empty() ? world::fulfilment_of(r.id) : r.fulfilment) + R"("})";
    }
    return R"({"bulkTransferState":"COMPLETED","completedTimestamp":")" +
           core::format_datetime(std::chrono::system_clock::now()) + R"(","individualTransferResults":[)" + items +
           "]}";
}

/// Register `f`'s bulk transfer endpoints.
net::awaitable<void>
register_bulk_transfers(world& w, test_fsp const& f)
{
    auto const base = f.base_url();
    std::vector<std::pair<std::string, std::string>> const endpoints = {
        {"FSPIOP_CALLBACK_URL_BULK_TRANSFER_POST", base + "/bulkTransfers"},
        {"FSPIOP_CALLBACK_URL_BULK_TRANSFER_PUT", base + "/bulkTransfers/{{id}}"},
        {"FSPIOP_CALLBACK_URL_BULK_TRANSFER_ERROR", base + "/bulkTransfers/{{id}}/error"},
    };
    for(auto const& [type, value] : endpoints)
    {
        auto r = co_await w.admin(method::post, "/participants/" + f.name() + "/endpoints",
                                  R"({"type":")" + type + R"(","value":")" + value + R"("})");
        REQUIRE(r.status == 201);
    }
}

net::awaitable<void>
setup_bulk(world& w, std::string ndc = "1000", std::string funds = "5000")
{
    co_await w.setup(std::move(ndc), std::move(funds));
    co_await register_bulk_transfers(w, w.dfsp1);
    co_await register_bulk_transfers(w, w.dfsp2);
}

/// Positions sum to 0, match `committed` (the sum of the committed items) and nothing is
/// left reserved.
void
check_positions(world& w, char const* committed)
{
    auto const payer = w.hub.position("dfsp1", "USD");
    auto const payee = w.hub.position("dfsp2", "USD");
    REQUIRE(payer);
    REQUIRE(payee);
    CHECK(*payer == *core::decimal::parse(committed));
    CHECK(checked_add(*payer, *payee) == core::decimal{});
    CHECK(w.hub.transfers().in_flight() == 0);
}

/// The items of a PUT /bulkTransfers/{ID}: transferId -> fulfilment or "error:<code>".
std::map<std::string, std::string>
results_of(net::request const& r)
{
    std::map<std::string, std::string> out;
    auto const v = boost::json::parse(r.body);
    auto const* list = v.as_object().if_contains("individualTransferResults");
    if(!list)
        return out;
    for(auto const& item : list->as_array())
    {
        auto const& o = item.as_object();
        std::string what;
        if(auto const* f = o.if_contains("fulfilment"))
            what = std::string(f->as_string());
        if(auto const* e = o.if_contains("errorInformation"))
            what = "error:" + std::string(e->at("errorCode").as_string());
        out[std::string(o.at("transferId").as_string())] = what;
    }
    return out;
}

/// The hub's notice of a COMPLETED bulk to the payee (central-ledger's bulk processing
/// handler): from the hub, to dfsp2, with the results of the items forwarded to it, which
/// are the payer's results for those items.
net::awaitable<std::map<std::string, std::string>>
payee_notice(world& w, std::string const& id, net::request const& payer_put)
{
    auto notice = co_await w.dfsp2.expect(method::put, "/bulkTransfers/" + id, 5s);
    REQUIRE(notice);
    CHECK(notice->fields.value_or("FSPIOP-Source") == "Hub");
    CHECK(notice->fields.value_or("FSPIOP-Destination") == "dfsp2");
    CHECK(json_text(notice->body, {"bulkTransferState"}) == "COMPLETED");
    CHECK(fspiop::decode<fspiop::put_bulk_transfers>(notice->body, 1, true));
    auto const mine = results_of(*notice);
    auto const payer = results_of(payer_put);
    for(auto const& [transfer, result] : mine)
        CHECK(payer.at(transfer) == result);
    co_return mine;
}

net::awaitable<void>
happy_bulk(asio::io_context& ioc)
{
    world w(ioc);
    co_await setup_bulk(w);
    auto const id = w.new_id();
    std::vector<item_spec> const items = {{w.new_id(), "100"}, {w.new_id(), "50"}, {w.new_id(), "25.5"}};
    auto const body = bulk_body(id, items);
    auto r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/bulkTransfers", body, "dfsp2"));
    CHECK(r.status == 202);

    // Every item prepared: the payee gets the bulk as the payer sent it.
    auto prepare = co_await w.dfsp2.expect(method::post, "/bulkTransfers");
    REQUIRE(prepare);
    CHECK(prepare->body == body);
    CHECK(prepare->fields.value_or("FSPIOP-Source") == "dfsp1");
    CHECK(prepare->fields.value_or("FSPIOP-URI") == "/bulkTransfers");
    CHECK(w.hub.position("dfsp1", "USD") == core::decimal::parse("175.5"));
    CHECK(w.hub.transfer_state(items[1].id) == ledger::transfer_state::reserved);
    CHECK(w.hub.bulk_transfers().find(id)->state == ledger::bulk_state::accepted);

    // A GET while the payee works: ACCEPTED.
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/bulkTransfers/" + id, {}));
    auto state = co_await w.dfsp1.expect(method::put, "/bulkTransfers/" + id);
    REQUIRE(state);
    CHECK(json_text(state->body, {"bulkTransferState"}) == "ACCEPTED");

    // The payee fulfils every item; the payer gets the hub's PUT with every result.
    auto const fulfil = results_body({{items[0].id}, {items[1].id}, {items[2].id}});
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/bulkTransfers/" + id, fulfil, "dfsp1"));
    CHECK(r.status == 200);
    auto done = co_await w.dfsp1.expect(method::put, "/bulkTransfers/" + id);
    REQUIRE(done);
    CHECK(done->fields.value_or("FSPIOP-Source") == "Hub");
    CHECK(done->fields.value_or("FSPIOP-Destination") == "dfsp1");
    CHECK(done->fields.value_or("FSPIOP-URI") == "/bulkTransfers/" + id);
    CHECK(done->fields.value_or("Content-Type") == media("bulkTransfers"));
    CHECK(json_text(done->body, {"bulkTransferState"}) == "COMPLETED");
    // The hub's body is a valid PutBulkTransfers by the specification's reading.
    auto const strict = fspiop::decode<fspiop::put_bulk_transfers>(done->body, 1, true);
    CHECK(strict);
    auto const results = results_of(*done);
    REQUIRE(results.size() == 3);
    for(auto const& i : items)
        CHECK(results.at(i.id) == world::fulfilment_of(i.id));
    auto const notice = co_await payee_notice(w, id, *done);
    CHECK(notice.size() == 3);
    check_positions(w, "175.5");

    // Items are transfers like any other: GET /transfers/{ID}, the settlement window, the Admin API.
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/transfers/" + items[2].id, {}));
    auto single = co_await w.dfsp1.expect(method::put, "/transfers/" + items[2].id);
    REQUIRE(single);
    CHECK(json_text(single->body, {"transferState"}) == "COMMITTED");
    CHECK(w.hub.transfers().find(items[0].id)->window == w.hub.settlement().open_window());
    auto pos = co_await w.admin(method::get, "/participants/dfsp2/positions?currency=USD");
    CHECK(pos.body.find(R"("value":-175.5)") != std::string::npos);

    // GET from the payee: COMPLETED with its items.
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::get, "/bulkTransfers/" + id, {}));
    auto got = co_await w.dfsp2.expect(method::put, "/bulkTransfers/" + id);
    REQUIRE(got);
    CHECK(json_text(got->body, {"bulkTransferState"}) == "COMPLETED");
    CHECK(results_of(*got).size() == 3);

    // The same bulk again: the current result is sent again; a changed one is 3106.
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/bulkTransfers", body, "dfsp2"));
    auto again = co_await w.dfsp1.expect(method::put, "/bulkTransfers/" + id);
    REQUIRE(again);
    CHECK(results_of(*again) == results);
    CHECK(json_text(again->body, {"bulkTransferState"}) == "COMPLETED");
    auto const changed = bulk_body(id, {{items[0].id, "100"}, {items[1].id, "51"}});
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/bulkTransfers", changed, "dfsp2"));
    auto modified = co_await w.dfsp1.expect(method::put, "/bulkTransfers/" + id + "/error");
    REQUIRE(modified);
    CHECK(error_code_in(*modified) == "3106");
    check_positions(w, "175.5");
    CHECK(w.dfsp2.unexpected().empty());
    CHECK(w.dfsp1.unexpected().empty());
}

net::awaitable<void>
liquidity_part_way(asio::io_context& ioc)
{
    world w(ioc);
    co_await setup_bulk(w, "10000", "250"); // liquidity 250 under a high net debit cap
    auto const id = w.new_id();
    std::vector<item_spec> const items = {
        {w.new_id(), "100"}, {w.new_id(), "100"}, {w.new_id(), "100"}, {w.new_id(), "40"}};
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/bulkTransfers", bulk_body(id, items), "dfsp2"));

    // The third item does not fit (300 > 250), the fourth does (240): the payee gets three.
    auto prepare = co_await w.dfsp2.expect(method::post, "/bulkTransfers");
    REQUIRE(prepare);
    auto const sent = boost::json::parse(prepare->body).at("individualTransfers").as_array();
    REQUIRE(sent.size() == 3);
    CHECK(sent[2].at("transferId").as_string() == items[3].id);
    CHECK(!prepare->fields.get("FSPIOP-Signature"));
    auto const strict = fspiop::decode<fspiop::post_bulk_transfers>(prepare->body, 1, true);
    CHECK(strict);
    CHECK(w.hub.transfer_state(items[2].id) == ledger::transfer_state::aborted_rejected);
    CHECK(w.hub.position("dfsp1", "USD") == core::decimal::parse("240"));

    auto const fulfil = results_body({{items[0].id}, {items[1].id}, {items[3].id}});
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/bulkTransfers/" + id, fulfil, "dfsp1"));
    auto done = co_await w.dfsp1.expect(method::put, "/bulkTransfers/" + id);
    REQUIRE(done);
    auto const strict_put = fspiop::decode<fspiop::put_bulk_transfers>(done->body, 1, true);
    CHECK(strict_put);
    auto const results = results_of(*done);
    REQUIRE(results.size() == 4);
    CHECK(results.at(items[2].id) == "error:4001");
    CHECK(results.at(items[3].id) == world::fulfilment_of(items[3].id));
    // The payee hears of the three items it was sent, not of the one refused at prepare.
    auto const notice = co_await payee_notice(w, id, *done);
    CHECK(notice.size() == 3);
    CHECK(!notice.contains(items[2].id));
    check_positions(w, "240");
}

net::awaitable<void>
wrong_fulfilment(asio::io_context& ioc)
{
    world w(ioc);
    co_await setup_bulk(w);
    auto const id = w.new_id();
    std::vector<item_spec> const items = {{w.new_id(), "10"}, {w.new_id(), "20"}, {w.new_id(), "30"}};
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/bulkTransfers", bulk_body(id, items), "dfsp2"));
    auto const got_1 = co_await w.dfsp2.expect(method::post, "/bulkTransfers");
    REQUIRE(got_1);

    auto const fulfil =
        results_body({{items[0].id}, {items[1].id, world::fulfilment_of("not it")}, {items[2].id, {}, "5104"}});
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/bulkTransfers/" + id, fulfil, "dfsp1"));
    auto done = co_await w.dfsp1.expect(method::put, "/bulkTransfers/" + id);
    REQUIRE(done);
    CHECK(json_text(done->body, {"bulkTransferState"}) == "COMPLETED");
    auto const results = results_of(*done);
    CHECK(results.at(items[0].id) == world::fulfilment_of(items[0].id));
    CHECK(results.at(items[1].id) == "error:3100");
    CHECK(results.at(items[2].id) == "error:5104");
    auto const notice = co_await payee_notice(w, id, *done);
    CHECK(notice.size() == 3);
    CHECK(w.hub.transfer_state(items[1].id) == ledger::transfer_state::aborted_error);
    check_positions(w, "10");
    // No single-transfer callbacks for bulk items.
    CHECK(w.dfsp1.unexpected().empty());
    CHECK(w.dfsp2.unexpected().empty());
}

net::awaitable<void>
payee_rejects_bulk(asio::io_context& ioc)
{
    world w(ioc);
    co_await setup_bulk(w);
    auto const id = w.new_id();
    std::vector<item_spec> const items = {{w.new_id(), "10"}, {w.new_id(), "20"}};
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/bulkTransfers", bulk_body(id, items), "dfsp2"));
    auto const got_2 = co_await w.dfsp2.expect(method::post, "/bulkTransfers");
    REQUIRE(got_2);
    CHECK(w.hub.position("dfsp1", "USD") == core::decimal::parse("30"));

    auto const error = std::string(R"({"errorInformation":{"errorCode":"5104","errorDescription":"Payee rejected"}})");
    auto r = co_await w.dfsp2.send(w.fspiop(),
                                   w.dfsp2.make(method::put, "/bulkTransfers/" + id + "/error", error, "dfsp1"));
    CHECK(r.status == 200);
    auto forwarded = co_await w.dfsp1.expect(method::put, "/bulkTransfers/" + id + "/error");
    REQUIRE(forwarded);
    CHECK(forwarded->body == error);
    CHECK(forwarded->fields.value_or("FSPIOP-Source") == "dfsp2");
    CHECK(w.hub.transfer_state(items[0].id) == ledger::transfer_state::aborted_error);
    check_positions(w, "0");

    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/bulkTransfers/" + id, {}));
    auto got = co_await w.dfsp1.expect(method::put, "/bulkTransfers/" + id);
    REQUIRE(got);
    CHECK(json_text(got->body, {"bulkTransferState"}) == "REJECTED");
    CHECK(results_of(*got).at(items[1].id) == "error:5104");
}

net::awaitable<void>
bulk_expiry(asio::io_context& ioc)
{
    world w(ioc);
    co_await setup_bulk(w);
    auto const id = w.new_id();
    std::vector<item_spec> const items = {{w.new_id(), "10"}, {w.new_id(), "20"}};
    co_await w.dfsp1.send(w.fspiop(),
                          w.dfsp1.make(method::post, "/bulkTransfers", bulk_body(id, items, 300ms), "dfsp2"));
    auto const got_3 = co_await w.dfsp2.expect(method::post, "/bulkTransfers");
    REQUIRE(got_3);

    // The payee never answers: the sweeper expires the items and the payer hears the bulk.
    auto done = co_await w.dfsp1.expect(method::put, "/bulkTransfers/" + id, 5s);
    REQUIRE(done);
    CHECK(done->fields.value_or("FSPIOP-Source") == "Hub");
    CHECK(json_text(done->body, {"bulkTransferState"}) == "COMPLETED");
    auto const results = results_of(*done);
    CHECK(results.at(items[0].id) == "error:3303");
    CHECK(results.at(items[1].id) == "error:3303");
    // The payee is told too: it may take back what it credited.
    auto const notice = co_await payee_notice(w, id, *done);
    CHECK(notice.size() == 2);
    CHECK(w.hub.transfer_state(items[1].id) == ledger::transfer_state::expired_reserved);
    check_positions(w, "0");

    // A late answer is refused with 3303 and changes nothing.
    auto const fulfil = results_body({{items[0].id}, {items[1].id}});
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/bulkTransfers/" + id, fulfil, "dfsp1"));
    auto late = co_await w.dfsp2.expect(method::put, "/bulkTransfers/" + id + "/error");
    REQUIRE(late);
    CHECK(error_code_in(*late) == "3303");
    check_positions(w, "0");
    // No single-transfer expiry notices for bulk items.
    CHECK(w.dfsp1.unexpected().empty());
    CHECK(w.dfsp2.unexpected().empty());
}

net::awaitable<void>
unknown_and_refused(asio::io_context& ioc)
{
    world w(ioc);
    co_await setup_bulk(w);
    auto const unknown = w.new_id();

    // Unknown ids: 3210 to the sender, for the results, the error and a GET.
    auto const stray = results_body({result_spec(w.new_id())});
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/bulkTransfers/" + unknown, stray, "dfsp1"));
    auto e1 = co_await w.dfsp2.expect(method::put, "/bulkTransfers/" + unknown + "/error");
    REQUIRE(e1);
    CHECK(error_code_in(*e1) == "3210");
    CHECK(json_text(e1->body, {"errorInformation", "errorDescription"}) ==
          "Bulk transfer ID not found - Provided Bulk Transfer ID was not found on the server.");
    co_await w.dfsp2.send(w.fspiop(),
                          w.dfsp2.make(method::put, "/bulkTransfers/" + unknown + "/error",
                                       R"({"errorInformation":{"errorCode":"5104","errorDescription":"x"}})", "dfsp1"));
    auto e2 = co_await w.dfsp2.expect(method::put, "/bulkTransfers/" + unknown + "/error");
    REQUIRE(e2);
    CHECK(error_code_in(*e2) == "3210");
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/bulkTransfers/" + unknown, {}));
    auto e3 = co_await w.dfsp1.expect(method::put, "/bulkTransfers/" + unknown + "/error");
    REQUIRE(e3);
    CHECK(error_code_in(*e3) == "3210");

    // More than 1,000 items: refused at once, nothing kept.
    std::vector<item_spec> many;
    for(int i = 0; i < 1001; ++i)
        many.emplace_back(w.new_id(), std::string("1"));
    auto const big = w.new_id();
    auto r = co_await w.dfsp1.send(w.fspiop(),
                                   w.dfsp1.make(method::post, "/bulkTransfers", bulk_body(big, many), "dfsp2"));
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3100");
    CHECK(w.hub.bulk_transfers().find(big) == nullptr);

    // Two payee FSPs in one bulk: refused as a whole, to the payer.
    auto const two = w.new_id();
    std::vector<item_spec> two_payees;
    two_payees.emplace_back(w.new_id(), std::string("5"), std::string("dfsp2"));
    two_payees.emplace_back(w.new_id(), std::string("5"), std::string("dfsp3"));
    auto const two_body = bulk_body(two, two_payees);
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/bulkTransfers", two_body, "dfsp2"));
    auto e4 = co_await w.dfsp1.expect(method::put, "/bulkTransfers/" + two + "/error");
    REQUIRE(e4);
    CHECK(error_code_in(*e4) == "3100");
    CHECK(json_text(e4->body, {"errorInformation", "errorDescription"}).find("one payee FSP per bulk") !=
          std::string::npos);
    CHECK(w.hub.bulk_transfers().find(two)->state == ledger::bulk_state::rejected);

    // FSPIOP-Source not the payer: refused to the sender.
    auto const spoof = w.new_id();
    std::vector<item_spec> one;
    one.emplace_back(w.new_id(), std::string("5"));
    auto const spoof_body = bulk_body(spoof, one);
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::post, "/bulkTransfers", spoof_body, "dfsp2"));
    auto e5 = co_await w.dfsp2.expect(method::put, "/bulkTransfers/" + spoof + "/error");
    REQUIRE(e5);
    CHECK(error_code_in(*e5) == "3100");

    // Results from the payer for a real bulk: 3100 to it, the bulk goes on.
    auto const id = w.new_id();
    auto const item = w.new_id();
    std::vector<item_spec> seven;
    seven.emplace_back(item, std::string("7"));
    auto const seven_body = bulk_body(id, seven);
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/bulkTransfers", seven_body, "dfsp2"));
    auto const got_4 = co_await w.dfsp2.expect(method::post, "/bulkTransfers");
    REQUIRE(got_4);
    auto const item_result = results_body({result_spec(item)});
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::put, "/bulkTransfers/" + id, item_result, "dfsp2"));
    auto e6 = co_await w.dfsp1.expect(method::put, "/bulkTransfers/" + id + "/error");
    REQUIRE(e6);
    CHECK(error_code_in(*e6) == "3100");
    CHECK(w.hub.transfer_state(item) == ledger::transfer_state::reserved);
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/bulkTransfers/" + id, item_result, "dfsp1"));
    auto done = co_await w.dfsp1.expect(method::put, "/bulkTransfers/" + id);
    REQUIRE(done);
    auto const notice = co_await payee_notice(w, id, *done);
    CHECK(notice.size() == 1);
    check_positions(w, "7");
    CHECK(w.dfsp2.unexpected().empty());
}

} // namespace

TEST_CASE("switch: bulk transfer of several items, GET, resend and 3106", "[switch][bulk]")
{
    run_async(happy_bulk);
}

TEST_CASE("switch: liquidity runs out part-way through a bulk", "[switch][bulk]")
{
    run_async(liquidity_part_way);
}

TEST_CASE("switch: a wrong fulfilment aborts its item alone", "[switch][bulk]")
{
    run_async(wrong_fulfilment);
}

TEST_CASE("switch: the payee rejects a whole bulk", "[switch][bulk]")
{
    run_async(payee_rejects_bulk);
}

TEST_CASE("switch: a bulk expires and the payer is told", "[switch][bulk]")
{
    run_async(bulk_expiry);
}

TEST_CASE("switch: unknown bulk ids, too many items, two payee FSPs, wrong senders", "[switch][bulk]")
{
    run_async(unknown_and_refused);
}

} // namespace mojasim::test
