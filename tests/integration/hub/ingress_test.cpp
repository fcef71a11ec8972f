// The hub's other ingresses over real HTTP: G2P Connect's disburse API (sync, async with
// on-disburse, transaction status in OpenG2P 15.0's list form and the spec's object form) and
// OpenG2P's Payment Interoperability Layer, with the notes' bodies (payment-hub.md §3,
// account-mapper.md §5). Every batch must show in the operations API like a CSV upload.
#include "hub_fixture.hpp"
#include "tests/support/async_test.hpp"

#include <cctype>

using namespace mojasim;
using namespace mojasim::test;

namespace {

/// OpenG2P's side of G2P Connect's async API: {sender_uri}/on-disburse and
/// {sender_uri}/disburse/txn/on-status.
class g2p_receiver
{
public:
    std::vector<std::string> on_disburse;
    std::vector<std::string> on_status;

    explicit g2p_receiver(asio::io_context& ioc)
    {
        routes_->add(net::method::post, "/openg2p/on-disburse", [this](net::request r) { return take(std::move(r), on_disburse); });
        routes_->add(net::method::post, "/openg2p/disburse/txn/on-status",
                     [this](net::request r) { return take(std::move(r), on_status); });
        net::server_options o;
        o.name = "openg2p";
        server_ = std::make_unique<net::server>(asio::make_strand(ioc), routes_, o);
        server_->listen();
        server_->start();
    }
    [[nodiscard]] std::string sender_uri() const { return server_->base_url() + "/openg2p/"; }
    void stop() { server_->stop(); }

private:
    static net::awaitable<net::response> take(net::request req, std::vector<std::string>& into)
    {
        into.push_back(req.body);
        co_return net::make_response(200, R"({"message":{"ack_status":"ACK"}})", "application/json");
    }
    std::shared_ptr<net::router> routes_ = std::make_shared<net::router>();
    std::unique_ptr<net::server> server_;
};

hub::hub_config ingress_config()
{
    hub::hub_config cfg;
    cfg.ingress_payer_id = "0413356886";
    return cfg;
}

net::awaitable<net::response> post_json(hub_world& w, std::string path, std::string body)
{
    net::request req;
    req.method = net::method::post;
    req.fields.set("Content-Type", "application/json");
    req.body = std::move(body);
    auto res = co_await w.client.send(w.hub->bulk_url() + path, std::move(req), 30s);
    REQUIRE(res.has_value());
    co_return std::move(*res);
}

// OpenG2P 15.0's disburse (payment-hub.md §3.2): no sender_uri, Python timestamps, payer_fa "",
// one payee by phone, one in reg_id mode (prefix token:, suffix @nationalId), one by account.
std::string const openg2p_disburse = R"({"signature":"dummy","header":{"message_id":"8f2d","message_ts":
 "2024-05-01 10:00:00.123456","action":"disburse","sender_id":"payments.openg2p.org","receiver_id":
 "pymts.example.org","total_count":3},"message":{"transaction_id":"BATCH/2024/0001","disbursements":[
 {"reference_id":"PAY/0001","payer_fa":"","payee_fa":"phone:0495822412","amount":"50.0","payee_name":"Jane",
  "note":"Program: Demo","scheduled_timestamp":"2024-05-01 10:00:00.123456","purpose":"Demo","currency_code":"USD","locale":"eng"},
 {"reference_id":"PAY/0002","payer_fa":"","payee_fa":"token:4711@nationalId","amount":"20.0","payee_name":"John",
  "note":"Program: Demo","scheduled_timestamp":"2024-05-01 10:00:00.123456","purpose":"Demo","currency_code":"USD","locale":"eng"},
 {"reference_id":"PAY/0003","payer_fa":"","payee_fa":"mobile:0495822413@dfsp2","amount":"12.5","payee_name":"Ann",
  "note":"Program: Demo","scheduled_timestamp":"2024-05-01 10:00:00.123456","purpose":"Demo","currency_code":"USD","locale":"eng"}]}})";

std::string status_request(std::string const& ids_json)
{
    return R"({"signature":"dummy","header":{"message_id":"s-1","message_ts":"2024-05-01 10:01:00.000001",
      "action":"disburse","sender_id":"payments.openg2p.org","receiver_id":"pymts.example.org","total_count":1},
      "message":{"transaction_id":"BATCH/2024/0001","txnstatus_request":{"reference_id":"0b6f","txn_type":"disburse",
      "attribute_type":"reference_id_list","attribute_value":)" + ids_json + R"(,"locale":"eng"}}})";
}

net::awaitable<void> openg2p_sync_flow(hub_world& w)
{
    w.connector.hold = true;
    auto res = co_await post_json(w, "/disburse/sync/disburse", openg2p_disburse);
    REQUIRE(res.status == 200);
    auto const answer = json::parse(res.body).as_object();
    CHECK(answer.at("signature") == "dummy");
    auto const& h = answer.at("header").as_object();
    CHECK(h.at("message_id") == "8f2d");
    CHECK(h.at("action") == "disburse");
    CHECK(h.at("status") == "rcvd");
    CHECK(h.at("total_count") == 3);
    CHECK(h.at("receiver_id") == "payments.openg2p.org");
    auto const& m = answer.at("message").as_object();
    CHECK(m.at("transaction_id") == "BATCH/2024/0001");
    auto const& entries = m.at("disbursements_status").as_array();
    REQUIRE(entries.size() == 3);
    CHECK(entries[0].at("status") == "rcvd");
    CHECK(entries[0].at("payee_fa") == "phone:0495822412");
    CHECK(entries[0].at("amount") == "50.0");
    // An id needs the mapper: refused per entry, with its reason, not paid.
    CHECK(entries[1].at("status") == "rjct");
    CHECK(entries[1].at("status_reason_code") == "rjct.payee_fa.invalid");
    CHECK(std::string(entries[1].at("status_reason_message").as_string()).find("account mapper") != std::string::npos);
    CHECK(entries[2].at("status") == "rcvd");

    // The answer came while the connector held the payments: pending now.
    auto const held = co_await eventually([&] { return w.connector.held > 0; });
    CHECK(held);
    auto pending = co_await post_json(w, "/disburse/sync/txn/status", status_request(R"(["PAY/0001"])"));
    REQUIRE(pending.status == 200);
    CHECK(json::parse(pending.body).at("message").at("txnstatus_response").at("txn_status").as_array()[0].at("status") == "pdng");
    w.connector.release();

    // OpenG2P's reconciliation: poll txn status (a list, null for unknown ids) until final.
    json::array list;
    for(;;)
    {
        auto st = co_await post_json(w, "/disburse/sync/txn/status",
                                     status_request(R"(["PAY/0001","PAY/0002","PAY/0003","PAY/9999"])"));
        REQUIRE(st.status == 200);
        auto const o = json::parse(st.body).as_object();
        CHECK(o.at("header").at("action") == "status");
        CHECK(o.at("header").at("status") == "succ");
        CHECK(o.at("message").at("txnstatus_response").at("txn_type") == "disburse");
        list = o.at("message").at("txnstatus_response").at("txn_status").as_array();
        REQUIRE(list.size() == 4);
        if(list[0].at("status") != "pdng" && list[2].at("status") != "pdng")
            break;
        co_await net::sleep_for(10ms); // OpenG2P polls on a cron
    }
    CHECK(list[0].at("reference_id") == "PAY/0001");
    CHECK(list[0].at("status") == "succ");
    CHECK(list[1].at("status") == "rjct");
    CHECK(list[2].at("status") == "succ");
    CHECK(list[3].is_null());

    // The same batch in the operations API, as a CSV upload's.
    auto batches = co_await ops_get(w, "/api/v1/batches");
    REQUIRE(batches.status == 200);
    auto const all = json::parse(batches.body);
    auto const& data = all.at("data").as_array();
    REQUIRE(data.size() == 1);
    std::string const id(data[0].at("batchId").as_string());
    auto summary = co_await ops_get(w, "/api/v1/batch/" + id);
    auto const s = json::parse(summary.body).as_object();
    CHECK(s.at("total") == 3);
    CHECK(s.at("successful") == 2);
    CHECK(s.at("failed") == 1);
}

net::awaitable<void> async_flow(hub_world& w, g2p_receiver& og)
{
    std::string body = R"({"signature":"Signature: namespace=\"g2p\"","header":{"version":"1.0.0","message_id":"m-1",
      "message_ts":"2024-05-01T10:00:00.000Z","action":"disburse","sender_id":"spp.example.org","sender_uri":")" +
                       og.sender_uri() + R"(","receiver_id":"pymts.example.org","total_count":2,"is_msg_encrypted":false},
      "message":{"transaction_id":"t-1","disbursements":[
      {"reference_id":"r-1","payer_fa":"mobile:0413356886@dfsp1","payee_fa":"mobile:0495822412@dfsp2","amount":"50.00",
       "scheduled_timestamp":"2024-05-01T10:00:00Z","currency_code":"USD","note":"n"},
      {"reference_id":"r-2","payer_fa":"","payee_fa":"account:0495000009@dfsp2","amount":"5.00","currency_code":"USD"},
      {"reference_id":"r-1","payer_fa":"","payee_fa":"mobile:0495822412@dfsp2","amount":"1.00","currency_code":"USD"}]}})";
    auto res = co_await post_json(w, "/disburse", body);
    REQUIRE(res.status == 200);
    auto const ack = json::parse(res.body).at("message").as_object();
    CHECK(ack.at("ack_status") == "ACK");
    CHECK(ack.at("error").is_null());
    std::string const correlation(ack.at("correlation_id").as_string());

    auto const called = co_await eventually([&] { return !og.on_disburse.empty(); }, 20s);
    REQUIRE(called);
    auto const cb = json::parse(og.on_disburse.front()).as_object();
    CHECK(cb.at("header").at("action") == "on-disburse");
    CHECK(cb.at("header").at("status") == "succ");
    CHECK(cb.at("header").at("message_id") == "m-1");
    CHECK(cb.at("header").at("completed_count") == 3);
    CHECK(cb.at("message").at("transaction_id") == "t-1");
    CHECK(cb.at("message").at("correlation_id").as_string() == correlation);
    auto const& st = cb.at("message").at("disbursements_status").as_array();
    REQUIRE(st.size() == 3);
    CHECK(st[0].at("status") == "succ");
    CHECK(st[0].at("payer_fa") == "mobile:0413356886@dfsp1");
    CHECK(st[1].at("status") == "rjct");
    CHECK(st[1].at("status_reason_code") == "rjct.payment.failed");
    CHECK(std::string(st[1].at("status_reason_message").as_string()).find("5101") != std::string::npos);
    CHECK(st[2].at("status") == "rjct");
    CHECK(st[2].at("status_reason_code") == "rjct.reference_id.duplicate");

    // The async status call by transaction id: ack, then on-status in the spec's object form.
    std::string status = R"({"signature":"s","header":{"message_id":"m-2","message_ts":"2024-05-01T10:05:00Z",
      "action":"txn-status","sender_id":"spp.example.org","sender_uri":")" + og.sender_uri() + R"("},
      "message":{"transaction_id":"q-1","txnstatus_request":{"reference_id":"x","txn_type":"disburse",
      "attribute_type":"transaction_id","attribute_value":"t-1"}}})";
    auto sres = co_await post_json(w, "/disburse/txn/status", status);
    REQUIRE(sres.status == 200);
    CHECK(json::parse(sres.body).at("message").at("ack_status") == "ACK");
    auto const answered = co_await eventually([&] { return !og.on_status.empty(); }, 20s);
    REQUIRE(answered);
    auto const on_status = json::parse(og.on_status.front()).as_object();
    CHECK(on_status.at("header").at("action") == "on-status");
    auto const& obj = on_status.at("message").at("txnstatus_response").at("txn_status").as_object();
    CHECK(obj.at("transaction_id") == "t-1");
    CHECK(obj.at("disbursements_status").as_array().size() == 3);
}

net::awaitable<void> refusals(hub_world& w)
{
    std::vector<std::pair<std::string, std::string>> const bad{
        {"/disburse", "{"},
        {"/disburse/sync/disburse", R"({"signature":"s","header":{"message_id":"m","action":"disburse"},"message":{}})"},
        {"/disburse/sync/txn/status", R"({"signature":"s","header":{"message_id":"m","message_ts":"2024-05-01T10:00:00Z",
           "action":"status"},"message":{"transaction_id":"q","txnstatus_request":{"txn_type":"disburse",
           "attribute_type":"reference_id_list","attribute_value":"PAY/1"}}})"},
    };
    std::vector<std::string> codes;
    for(auto const& [path, body] : bad)
    {
        auto res = co_await post_json(w, path, body);
        CHECK(res.status == 400);
        auto const e = json::parse(res.body).at("errors").as_array().at(0).as_object();
        codes.emplace_back(e.at("code").as_string());
    }
    CHECK(codes == std::vector<std::string>{"err.request.bad", "err.request.bad", "GCTB-PMS-350"});
    auto interop_bad = co_await post_json(w, "/interop/disbursement", R"({"payeeList":[]})");
    CHECK(interop_bad.status == 400);
    CHECK(interop_bad.body == R"x({"error":"disbursementId is required (a string)"})x");
    // Nothing reached the store.
    auto batches = co_await ops_get(w, "/api/v1/batches");
    CHECK(json::parse(batches.body).at("totalBatches") == 0);
}

// OpenG2P's interop-layer POST (payment-hub.md §3.1).
net::awaitable<void> interop_flow(hub_world& w)
{
    auto res = co_await post_json(w, "/interop/disbursement", R"({"note":"Program: Demo Program. Cycle ID - Cycle 1",
      "disbursementId":"5c0a2f0e-7d1b-4b61-8f43-3a2b9c1d0e77","payeeList":[
      {"payeeIdType":"PHONE","payeeIdValue":"0495822412","amount":50.0,"currency":"USD"},
      {"payeeIdType":"NATIONAL_ID","payeeIdValue":"4711","amount":20.0,"currency":"USD"},
      {"payeeIdType":"PHONE","payeeIdValue":"0495000009","amount":5.0,"currency":"USD"},
      {"payeeIdType":"PHONE","payeeIdValue":"0495822413","amount":12.5,"currency":"USD"}]})");
    REQUIRE(res.status == 200);
    auto const o = json::parse(res.body).as_object();
    CHECK(o.at("disbursementId") == "5c0a2f0e-7d1b-4b61-8f43-3a2b9c1d0e77");
    auto const& results = o.at("payeeResults").as_array();
    REQUIRE(results.size() == 4);
    CHECK(results[0].at("status") == "COMPLETED");
    CHECK(results[0].at("amountCredited").to_number<double>() == 50.0);
    CHECK(results[1].at("status") == "REJECTED");
    CHECK(results[2].at("status") == "ERROR_OCCURRED");
    CHECK(results[3].at("status") == "COMPLETED");
    // %Y-%m-%dT%H:%M:%S.%fZ, the fraction mandatory.
    // (No std::regex: libstdc++'s trips -Wmaybe-uninitialized under the sanitizers.)
    auto const parses = [](std::string const& t) {
        std::string const shape = "dddd-dd-ddTdd:dd:dd.";
        if(t.size() < shape.size() + 2 || t.size() > shape.size() + 7 || t.back() != 'Z')
            return false;
        for(std::size_t i = 0; i + 1 < t.size(); ++i)
        {
            char const want = i < shape.size() ? shape[i] : 'd';
            bool const ok = want == 'd' ? std::isdigit(static_cast<unsigned char>(t[i])) != 0 : t[i] == want;
            if(!ok)
                return false;
        }
        return true;
    };
    for(auto const& r : results)
        CHECK(parses(std::string(r.at("timestamp").as_string())));

    auto batches = co_await ops_get(w, "/api/v1/batches");
    auto const all = json::parse(batches.body);
    auto const& data = all.at("data").as_array();
    REQUIRE(data.size() == 1);
    std::string const id(data[0].at("batchId").as_string());
    auto detail = co_await ops_get(w, "/api/v1/batch/detail?batchId=" + id + "&pageSize=10");
    CHECK(json::parse(detail.body).at("content").as_array().size() == 4);
}

} // namespace

TEST_CASE("G2P Connect: OpenG2P 15.0's sync disburse, reconciled by polling txn status", "[hub][integration][g2p]")
{
    hub_world w(ingress_config());
    w.run(openg2p_sync_flow(w));
    REQUIRE(w.connector.bad_requests.empty());
    REQUIRE(w.connector.received.size() == 2);
    auto const& first = w.connector.received[0].to.id_value == "0495822412" ? w.connector.received[0] : w.connector.received[1];
    auto const& other = &first == &w.connector.received[0] ? w.connector.received[1] : w.connector.received[0];
    CHECK(first.from.id_value == "0413356886");
    CHECK(first.from.fsp_id == "dfsp1");
    CHECK(first.to.id_type == connector::party_id_type::msisdn);
    CHECK_FALSE(first.to.fsp_id.has_value());
    CHECK(first.home_transaction_id == "PAY/0001");
    CHECK(other.to.id_value == "0495822413");
    CHECK(other.to.fsp_id == "dfsp2");
}

TEST_CASE("G2P Connect: async disburse calls on-disburse, async status calls on-status", "[hub][integration][g2p]")
{
    hub_world w(ingress_config());
    g2p_receiver og(w.ioc);
    w.connector.rules["0495000009"] = payee_rule{payee_rule::kind::reject, "5101", "Payee transaction limit reached"};
    w.run(async_flow(w, og));
    og.stop();
    REQUIRE(w.connector.bad_requests.empty());
    REQUIRE(w.connector.received.size() == 2);
    for(auto const& r : w.connector.received)
        if(r.to.id_value == "0495000009")
            CHECK(r.to.id_type == connector::party_id_type::account_id);
}

TEST_CASE("G2P Connect and interop: bad requests get their own error bodies and leave the store alone",
          "[hub][integration][g2p]")
{
    hub_world w(ingress_config());
    w.run(refusals(w));
    CHECK(w.connector.received.empty());
}

TEST_CASE("interop layer: one synchronous POST answered with aligned payeeResults", "[hub][integration][interop]")
{
    hub_world w(ingress_config());
    w.connector.rules["0495000009"] = payee_rule{payee_rule::kind::reject, "5101", "Payee transaction limit reached"};
    w.run(interop_flow(w));
    REQUIRE(w.connector.bad_requests.empty());
    CHECK(w.connector.received.size() == 3);
}
