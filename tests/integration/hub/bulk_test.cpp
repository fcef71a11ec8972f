// The hub's BULK payment modes over real HTTP, with the fake connector's outbound bulk API:
// sub-batches of bulk_size rows as POST /bulkTransactions, polled with GET, per-row outcomes
// in the same batch store (operations API and callbacks as for individual payments), the
// same outcomes as the individual mode, the POST's retry rule, a refused bulk, acceptance.
#include "hub_fixture.hpp"
#include "tests/support/async_test.hpp"

#include <boost/json/serialize.hpp>

#include <set>

using namespace mojasim;
using namespace mojasim::test;

namespace {

std::string const header = "id,request_id,payment_mode,payer_identifier_type,payer_identifier,"
                           "payee_identifier_type,payee_identifier,amount,currency,note\r\n";

std::string row(int i, std::string const& payee, std::string const& mode = "MOJALOOP", std::string const& amount = "50.0",
                std::string const& payer = "0413356886")
{
    return std::to_string(i) + ",req-" + std::to_string(i) + "," + mode + ",msisdn," + payer + ",PHONE," + payee + "," +
           amount + ",USD,Program: Demo. Cycle ID - C1\r\n";
}

/// The hub with MOJALOOP switched to BULK, sub-batches of `size` rows.
hub::hub_config bulk_config(std::size_t size)
{
    hub::hub_config cfg;
    cfg.payment_mode_types["MOJALOOP"] = hub::payment_mode_type::bulk;
    cfg.bulk_size = size;
    cfg.bulk_poll_delay = 1ms;
    cfg.bulk_max_poll_delay = 4ms;
    return cfg;
}

/// Each row's status and error code, by clientCorrelationId, from the operations API.
net::awaitable<std::map<std::string, std::string>> outcomes(hub_world& w, std::string id)
{
    auto d = co_await ops_get(w, "/api/v1/batch/detail?batchId=" + id + "&pageSize=1000");
    REQUIRE(d.status == 200);
    std::map<std::string, std::string> out;
    auto const page = json::parse(d.body); // kept: the loop walks into it
    for(auto const& t : page.as_object().at("content").as_array())
    {
        auto const& o = t.as_object();
        std::string v(o.at("status").as_string());
        if(v == "FAILED")
            v += " " + std::string(json::parse(o.at("errorInformation").as_string())
                                       .as_object()
                                       .at("errorInformation")
                                       .at("errorCode")
                                       .as_string());
        else
        {
            CHECK(std::string_view(o.at("transactionId").as_string()).starts_with("tr-"));
            CHECK(o.at("payeeDfspId") == "dfsp2");
        }
        out[std::string(o.at("clientCorrelationId").as_string())] = v;
    }
    co_return out;
}

net::awaitable<void> pay_batch(hub_world& w, std::string csv, std::string callback_url,
                               std::map<std::string, std::string>& result, json::object& summary)
{
    upload_spec spec{std::move(csv)};
    spec.callback_url = std::move(callback_url);
    auto res = co_await upload(w, spec);
    REQUIRE(res.status == 202);
    auto const id = batch_id_of(res);
    summary = co_await poll_summary(w, id, finished);
    result = co_await outcomes(w, id);
    // The callbacks follow the rows settling: wait for the last one.
    if(!spec.callback_url.empty())
    {
        auto const sent = co_await eventually([&] { return w.hub->callback_senders() == 0; });
        CHECK(sent);
    }
}

net::awaitable<void> upload_and_wait(hub_world& w, std::string csv, json::object& summary)
{
    std::map<std::string, std::string> ignored;
    co_await pay_batch(w, std::move(csv), {}, ignored, summary);
}

net::awaitable<void> upload_and_finish(hub_world& w, upload_spec spec, net::response& out)
{
    out = co_await upload(w, std::move(spec));
    if(out.status == 202)
    {
        auto const summary = co_await poll_summary(w, batch_id_of(out), finished);
        CHECK(summary.at("successful") == 2);
    }
}

} // namespace

TEST_CASE("BULK mode: rows go in sub-batches, outcomes land in the batch store as in the individual mode",
          "[hub][integration][bulk]")
{
    std::string const csv = header + row(0, "0495000001") + row(1, "0495000002") + row(2, "0495000003") +
                            row(3, "0495000004") + row(4, "0495000005");
    auto const reject = payee_rule{payee_rule::kind::reject, "5104", "Transfer rejected", 0};

    std::map<std::string, std::string> bulk_rows, single_rows;
    json::object bulk_summary, single_summary;
    std::vector<std::string> bulk_callbacks, single_callbacks;
    {
        hub_world w(bulk_config(2));
        w.connector.rules["0495000003"] = reject;
        w.run(pay_batch(w, csv, w.callbacks.url(), bulk_rows, bulk_summary));
        CHECK(w.connector.bad_requests.empty());
        CHECK(w.connector.received.empty()); // no POST /transfers
        CHECK(w.connector.bulk_sizes == std::vector<std::size_t>{2, 2, 1});
        CHECK(w.connector.bulk_gets >= 3 * 3); // two PROCESSING answers, then the result
        bulk_callbacks = w.callbacks.bodies;
        // One bulk transaction per sub-batch, the rows in CSV order, the batch named.
        auto const first = json::parse(w.connector.bulk_posts.front()).as_object();
        CHECK(first.at("bulkHomeTransactionID") == bulk_summary.at("batchId"));
        CHECK(first.at("from").at("partyIdInfo").at("partyIdentifier") == "0413356886");
        CHECK(first.at("from").at("partyIdInfo").at("fspId") == "dfsp1");
        CHECK(first.at("options").at("skipPartyLookup") == false); // the payees' FSPs are unknown
        auto const& items = first.at("individualTransfers").as_array();
        CHECK(items[0].at("homeTransactionId") == "req-0");
        CHECK(items[1].at("to").at("partyIdInfo").at("partyIdentifier") == "0495000002");
        CHECK(items[1].at("to").at("partyIdInfo").at("partyIdType") == "MSISDN");
        CHECK(items[1].at("amount") == "50");
        CHECK(items[1].at("amountType") == "RECEIVE");
        std::set<std::string> ids;
        for(auto const& body : w.connector.bulk_posts)
            ids.insert(std::string(json::parse(body).at("bulkTransactionId").as_string()));
        CHECK(ids.size() == 3);
    }
    {
        hub_world w;
        w.connector.rules["0495000003"] = reject;
        w.run(pay_batch(w, csv, w.callbacks.url(), single_rows, single_summary));
        CHECK(w.connector.bulk_posts.empty());
        single_callbacks = w.callbacks.bodies;
    }
    CHECK(bulk_rows.size() == 5);
    CHECK(bulk_rows["req-2"] == "FAILED 5104");
    CHECK(bulk_rows["req-4"] == "COMPLETED");
    CHECK(bulk_rows == single_rows);
    for(auto const key : {"total", "successful", "failed", "ongoing", "totalAmount", "successfulAmount", "failedAmount",
                          "status", "modes"})
        CHECK(bulk_summary.at(key) == single_summary.at(key));
    CHECK(bulk_summary.at("successful") == 4);
    // The progress callbacks end at the same rate (80 %), whatever the steps between.
    REQUIRE(!bulk_callbacks.empty());
    REQUIRE(!single_callbacks.empty());
    CHECK(bulk_callbacks.back().find("complete with : 80") != std::string::npos);
    CHECK(json::parse(bulk_callbacks.back()).at("message") == json::parse(single_callbacks.back()).at("message"));
}

TEST_CASE("BULK mode: MOJALOOP_BULK rows in bulk, MOJALOOP rows one by one, one batch, a new payer starts a new bulk",
          "[hub][integration][bulk]")
{
    hub::hub_config cfg;
    cfg.bulk_poll_delay = 1ms;
    hub_world w(cfg);
    std::string const csv = header + row(0, "0495000001", "MOJALOOP_BULK") + row(1, "0495000002", "MOJALOOP") +
                            row(2, "0495000003", "mojaloop_bulk") + row(3, "0495000004", "MOJALOOP_BULK", "5", "0413000000");
    json::object s;
    w.run(upload_and_wait(w, csv, s));
    CHECK(s.at("successful") == 4);
    CHECK(w.connector.bulk_sizes == std::vector<std::size_t>{2, 1});
    REQUIRE(w.connector.received.size() == 1);
    CHECK(w.connector.received[0].home_transaction_id == "req-1");
    CHECK(w.connector.bad_requests.empty());
}

TEST_CASE("BULK mode: rows that name their payee FSP skip the connector's party lookups", "[hub][integration][bulk]")
{
    for(bool const enabled : {true, false})
    {
        auto cfg = bulk_config(1000);
        cfg.bulk_skip_known_lookup = enabled;
        hub_world w(cfg);
        upload_spec spec{header + row(0, "0495000001") + row(1, "0495000002")};
        spec.add_headers = {{"X-PayeeDFSP-ID", "dfsp2"}};
        net::response res;
        w.run(upload_and_finish(w, spec, res));
        REQUIRE(res.status == 202);
        REQUIRE(w.connector.bulk_posts.size() == 1);
        auto const body = json::parse(w.connector.bulk_posts.front());
        CHECK(body.at("options").at("skipPartyLookup") == enabled);
        for(auto const& item : body.at("individualTransfers").as_array())
            CHECK(item.at("to").at("partyIdInfo").at("fspId") == "dfsp2");
    }
}

TEST_CASE("BULK mode: options.synchronous with auto-accept unless bulk_synchronous is off, a final answer not "
          "polled, a 202 without it polled", "[hub][integration][bulk]")
{
    struct variant
    {
        bool synchronous;
        bool auto_accept;
        bool connector_honours;
    };
    for(auto const v : {variant{true, true, true}, variant{true, true, false}, variant{false, true, true},
                        variant{true, false, true}})
    {
        auto cfg = bulk_config(1000);
        cfg.bulk_synchronous = v.synchronous;
        cfg.bulk_auto_accept = v.auto_accept;
        hub_world w(cfg);
        w.connector.bulk_honour_synchronous = v.connector_honours;
        json::object s;
        w.run(upload_and_wait(w, header + row(0, "0495000001") + row(1, "0495000002"), s));
        CHECK(s.at("successful") == 2);
        REQUIRE(w.connector.bulk_posts.size() == 1);
        auto const body = json::parse(w.connector.bulk_posts.front());
        CHECK(body.at("options").at("synchronous") == (v.synchronous && v.auto_accept));
        // The final state in the POST's answer ends the bulk; a bare 202 is asked about.
        bool const answered = v.synchronous && v.auto_accept && v.connector_honours;
        CHECK((w.connector.bulk_gets == 0) == answered);
    }
}

TEST_CASE("BULK mode: a POST whose answer is lost is asked about, never sent again", "[hub][integration][bulk]")
{
    hub_world w(bulk_config(1000));
    w.connector.bulk_drop_posts = 1;
    json::object s;
    w.run(upload_and_wait(w, header + row(0, "0495000001") + row(1, "0495000002"), s));
    CHECK(s.at("successful") == 2);
    CHECK(w.connector.bulk_posts.size() == 1);
}

TEST_CASE("BULK mode: a refused bulk fails every row with the connector's code", "[hub][integration][bulk]")
{
    hub_world w(bulk_config(1000));
    w.connector.bulk_refuse = "3100";
    std::map<std::string, std::string> rows;
    json::object s;
    w.run(pay_batch(w, header + row(0, "0495000001") + row(1, "0495000002"), {}, rows, s));
    CHECK(s.at("failed") == 2);
    CHECK(s.at("status") == "Failed");
    CHECK(rows["req-0"] == "FAILED 3100");
    CHECK(w.connector.bulk_posts.size() == 1); // an answer is final: not re-sent
    CHECK(w.connector.bulk_gets == 0);
}

TEST_CASE("BULK mode: without auto-accept the hub accepts the parties, then the quotes", "[hub][integration][bulk]")
{
    auto cfg = bulk_config(1000);
    cfg.bulk_auto_accept = false;
    hub_world w(cfg);
    w.connector.rules["0495000002"] = payee_rule{payee_rule::kind::reject, "3204", "Party not found", 0};
    std::map<std::string, std::string> rows;
    json::object s;
    w.run(pay_batch(w, header + row(0, "0495000001") + row(1, "0495000002"), {}, rows, s));
    CHECK(rows["req-0"] == "COMPLETED");
    CHECK(rows["req-1"] == "FAILED 3204");
    REQUIRE(w.connector.bulk_puts.size() == 2);
    auto const party = json::parse(w.connector.bulk_puts[0]).as_object();
    auto const& accepted = party.at("individualTransfers").as_array();
    REQUIRE(accepted.size() == 1); // the failed item is not accepted
    CHECK(accepted[0].at("acceptParty") == true);
    CHECK(json::parse(w.connector.bulk_puts[1]).at("individualTransfers").at(0).at("acceptQuote") == true);
}

TEST_CASE("hub config: payment_mode_types and the bulk keys", "[hub][bulk]")
{
    auto const c = hub::parse_hub_config(R"(
payment_mode_types: {MOJALOOP: BULK, gsma: payment, SLCB: BULK}
bulk_size: 500
bulk_in_flight: 2
bulk_poll_delay_ms: 3
bulk_max_poll_delay_ms: 50
bulk_timeout_ms: 9000
bulk_expiration_ms: 7000
bulk_auto_accept: false
bulk_skip_known_lookup: false
bulk_synchronous: false
)");
    CHECK(c.mode_type("mojaloop") == hub::payment_mode_type::bulk);
    CHECK(c.mode_type("MOJALOOP_BULK") == hub::payment_mode_type::bulk);
    CHECK(c.mode_type("GSMA") == hub::payment_mode_type::payment);
    CHECK(c.mode_type("unknown") == hub::payment_mode_type::payment);
    CHECK(hub::find_mode(c.payment_modes, "slcb") == connector::party_id_type::msisdn); // a BULK mode is a mode
    CHECK(c.bulk_size == 500);
    CHECK(c.bulk_in_flight == 2);
    CHECK(c.bulk_poll_delay == 3ms);
    CHECK(c.bulk_max_poll_delay == 50ms);
    CHECK(c.bulk_timeout == 9000ms);
    CHECK(c.bulk_expiration == 7000ms);
    CHECK_FALSE(c.bulk_auto_accept);
    CHECK_FALSE(c.bulk_skip_known_lookup);
    CHECK_FALSE(c.bulk_synchronous);
    CHECK(hub::parse_hub_config("{}").bulk_skip_known_lookup);
    CHECK(hub::parse_hub_config("{}").bulk_synchronous);
    CHECK_THROWS_WITH(hub::parse_hub_config("payment_mode_types: {MOJALOOP: SOMETIMES}"),
                      Catch::Contains("payment_mode_types.MOJALOOP must be PAYMENT or BULK"));
    CHECK_THROWS_WITH(hub::parse_hub_config("bulk_size: 1001"), Catch::Contains("bulk_size"));
}
