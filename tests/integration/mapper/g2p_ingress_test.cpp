// The hub's G2P Connect ingress paying people by national id: OpenG2P 15.0's reg_id mode sends
// payee_fa = "token:" + id + "@nationalId"; the hub resolves it at the account mapper's G2P
// Connect face (/mapper/sync/resolve) and pays the FA found, over real HTTP.
#include "simulator/mapper/mapper_actor.hpp"
#include "tests/integration/hub/hub_fixture.hpp"
#include "tests/support/async_test.hpp"

#include <set>

using namespace mojasim;
using namespace mojasim::test;

namespace {

mapper::entry person(std::string id, std::string msisdn, std::string bank)
{
    mapper::entry e;
    e.institution = "greenbank";
    e.identity = std::move(id);
    e.modality = "01";
    e.financial_address = std::move(msisdn);
    e.bank = std::move(bank);
    e.has_modality = true;
    return e;
}

struct ingress_world
{
    std::unique_ptr<hub_world> w;
    std::shared_ptr<mapper::mapper_actor> mapper;

    explicit ingress_world(bool mapper_down = false)
    {
        hub::hub_config base;
        base.ingress_payer_id = "0413356886";
        w = std::make_unique<hub_world>(base, [&](hub_world& hw, hub::hub_config& cfg) {
            mapper::mapper_config mc;
            mc.port = 0;
            mc.seed = {person("NID-001", "0495000001", "dfsp2"), person("NID-002", "0496000001", "dfsp3")};
            mapper = std::make_shared<mapper::mapper_actor>(asio::make_strand(hw.ioc), mc);
            mapper->start();
            hw.extras.push_back(mapper);
            cfg.ingress_mapper_url = mapper->url();
            if(mapper_down)
                mapper->stop();
            else
                hw.extra_stops.push_back([m = mapper] { m->stop(); });
        });
    }
};

std::string entry(std::string const& ref, std::string const& fa, std::string const& amount)
{
    return R"({"reference_id":")" + ref + R"(","payer_fa":"","payee_fa":")" + fa + R"(","amount":")" + amount +
           R"(","payee_name":"X","note":"Cycle 1","scheduled_timestamp":"2024-05-01 10:00:00.123456",)"
           R"("purpose":"Demo","currency_code":"USD","locale":"eng"})";
}

net::awaitable<json::array> pay_and_poll(hub_world& w, std::vector<std::string> const& refs, std::string entries)
{
    net::request req;
    req.method = net::method::post;
    req.fields.set("Content-Type", "application/json");
    req.body = R"({"signature":"dummy","header":{"message_id":"1","message_ts":"2024-05-01 10:00:00.123456",
      "action":"disburse","sender_id":"payments.openg2p.org","receiver_id":"pymts.example.org","total_count":3},
      "message":{"transaction_id":"BATCH/1","disbursements":[)" + entries + "]}}";
    auto res = co_await w.client.send(w.hub->bulk_url() + "/disburse/sync/disburse", std::move(req), 10s);
    REQUIRE(res);
    REQUIRE(res->status == 200);

    std::string ids = "[";
    for(auto const& r : refs)
        ids += (ids.size() > 1 ? ",\"" : "\"") + r + "\"";
    ids += "]";
    for(;;)
    {
        net::request st;
        st.method = net::method::post;
        st.fields.set("Content-Type", "application/json");
        st.body = R"({"signature":"dummy","header":{"message_id":"2","message_ts":"2024-05-01 10:01:00.000001",
          "action":"disburse","sender_id":"payments.openg2p.org"},"message":{"transaction_id":"BATCH/1",
          "txnstatus_request":{"reference_id":"q","txn_type":"disburse","attribute_type":"reference_id_list",
          "attribute_value":)" + ids + R"(,"locale":"eng"}}})";
        auto a = co_await w.client.send(w.hub->bulk_url() + "/disburse/sync/txn/status", std::move(st), 10s);
        REQUIRE(a);
        REQUIRE(a->status == 200);
        auto const parsed = json::parse(a->body);
        auto list = parsed.at("message").at("txnstatus_response").at("txn_status").as_array();
        bool const done = std::all_of(list.begin(), list.end(), [](json::value const& e) { return e.at("status") != "pdng"; });
        if(done)
            co_return list;
        co_await net::sleep_for(10ms);
    }
}

net::awaitable<void> by_national_id(hub_world& w)
{
    // Locals, not temporaries, in the co_await (g++ 12).
    std::vector<std::string> const refs{"P1", "P2", "P3", "P4"};
    auto const entries = entry("P1", "token:NID-001@nationalId", "50.0") + "," +
                         entry("P2", "token:NID-999@nationalId", "20.0") + "," +
                         entry("P3", "token:NID-002@nationalId", "12.5") + "," + entry("P4", "phone:0495822412", "1.0");
    auto list = co_await pay_and_poll(w, refs, entries);
    CHECK(list[0].at("status") == "succ");
    CHECK(list[0].at("payee_fa") == "token:NID-001@nationalId"); // echoed as the client sent it
    CHECK(list[1].at("status") == "rjct");
    CHECK(list[1].at("status_reason_code") == "rjct.payee_fa.invalid");
    CHECK(list[2].at("status") == "succ");
    CHECK(list[3].at("status") == "succ");
}

net::awaitable<void> mapper_down(hub_world& w)
{
    std::vector<std::string> const refs{"P1", "P4"};
    auto const entries = entry("P1", "token:NID-001@nationalId", "50.0") + "," + entry("P4", "phone:0495822412", "1.0");
    auto list = co_await pay_and_poll(w, refs, entries);
    CHECK(list[0].at("status") == "rjct");
    CHECK(list[0].at("status_reason_code") == "rjct.payment.failed");
    CHECK(std::string(list[0].at("status_reason_message").as_string()).find("could not resolve") != std::string::npos);
    CHECK(list[1].at("status") == "succ");
}

} // namespace

TEST_CASE("G2P Connect ingress: national ids resolved at the mapper and paid at their banks", "[mapper][hub][g2p]")
{
    ingress_world iw;
    iw.w->run(by_national_id(*iw.w));
    auto const& got = iw.w->connector.received;
    REQUIRE(iw.w->connector.bad_requests.empty());
    REQUIRE(got.size() == 3);
    std::set<std::string> payees;
    for(auto const& r : got)
        payees.insert(r.to.id_value + "@" + r.to.fsp_id.value_or("?"));
    CHECK(payees == std::set<std::string>{"0495000001@dfsp2", "0496000001@dfsp3", "0495822412@?"});
}

TEST_CASE("G2P Connect ingress: the mapper unreachable fails the id entries only", "[mapper][hub][g2p]")
{
    ingress_world iw(true);
    iw.w->run(mapper_down(*iw.w));
    REQUIRE(iw.w->connector.received.size() == 1);
}
