// The hub's bulk_processor_account_lookup flow over real HTTP: the hub, the account mapper
// and a fake DFSP1 connector (tests/integration/hub/hub_fixture.hpp).
#include "payment-hub/account_lookup.hpp"
#include "simulator/mapper/mapper_actor.hpp"
#include "tests/integration/hub/hub_fixture.hpp"

#include <boost/json/serialize.hpp>

#include <set>

using namespace mojasim;
using namespace mojasim::test;

namespace {

std::string const header = "id,request_id,payment_mode,payer_identifier_type,payer_identifier,"
                           "payee_identifier_type,payee_identifier,amount,currency,note\r\n";

std::string row(int i, std::string const& payee)
{
    return std::to_string(i) + ",req-" + std::to_string(i) + ",MOJALOOP,msisdn,0413356886,NATIONAL_ID," + payee
        + ",50.0,USD,Program: Demo\r\n";
}

mapper::entry person(std::string id, std::string msisdn, std::string bank, std::string institution = "greenbank")
{
    mapper::entry e;
    e.institution = std::move(institution);
    e.identity = std::move(id);
    e.modality = "01";
    e.financial_address = std::move(msisdn);
    e.bank = std::move(bank);
    e.has_modality = true;
    return e;
}

/// A hub whose greenbank tenant runs the lookup flow against a mapper on the same io_context.
struct lookup_world
{
    std::unique_ptr<hub_world> w;                  // its io_context outlives the mapper:
    std::shared_ptr<mapper::mapper_actor> mapper;  // destroyed first

    explicit lookup_world(mapper::mapper_config mc, std::chrono::milliseconds lookup_timeout = 30s,
                          bool mapper_down = false)
    {
        w = std::make_unique<hub_world>(hub::hub_config{}, [&](hub_world& hw, hub::hub_config& cfg) {
            mc.port = 0;
            mapper = std::make_shared<mapper::mapper_actor>(asio::make_strand(hw.ioc), mc);
            mapper->start();
            hw.extras.push_back(mapper);
            hub::tenant_config t{"dfsp1", hw.connector.url()};
            t.flow = "bulk_processor_account_lookup";
            t.mapper_url = mapper->url();
            t.lookup_timeout = lookup_timeout;
            cfg.tenants["greenbank"] = t;
            if(mapper_down)
                mapper->stop(); // its port now refuses connections
            else
                hw.extra_stops.push_back([m = mapper] { m->stop(); });
        });
    }
};

net::awaitable<void> two_banks(hub_world& w)
{
    auto const csv = header + row(0, "NID-001") + row(1, "NID-002") + row(2, "NID-404") + row(3, "NID-001");
    upload_spec spec{csv};
    auto res = co_await upload(w, spec);
    REQUIRE(res.status == 202);
    auto const id = batch_id_of(res);
    auto s = co_await poll_summary(w, id, finished);
    CHECK(s.at("total") == 4);
    CHECK(s.at("successful") == 3);
    CHECK(s.at("failed") == 1);

    // The unknown id: FAILED, 404, "Payee Identifier not found", in the detail and the file.
    auto detail = co_await ops_get(w, "/api/v1/batch/detail?batchId=" + id + "&pageSize=10&status=FAILED");
    REQUIRE(detail.status == 200);
    auto const content = json::parse(detail.body).at("content").as_array();
    REQUIRE(content.size() == 1);
    auto const& failed = content.at(0).as_object();
    CHECK(failed.at("payeePartyId") == "NID-404");
    CHECK(failed.at("status") == "FAILED");
    CHECK(json::serialize(failed.at("errorInformation")).find("Payee Identifier not found") != std::string::npos);
    CHECK(json::serialize(failed.at("errorInformation")).find("404") != std::string::npos);

    auto file = co_await ops_get(w, "/files/" + id + "_response.csv");
    REQUIRE(file.status == 200);
    CHECK(file.body.find("NID-404") != std::string::npos);
    CHECK(file.body.find("Payee Identifier not found") != std::string::npos);
    CHECK(file.body.find("0496000001") != std::string::npos); // the resolved FA of NID-002
}

net::awaitable<void> whole_batch_fails(hub_world& w, std::string expected_note)
{
    auto res = co_await upload(w, {header + row(0, "NID-001") + row(1, "NID-002")});
    REQUIRE(res.status == 202);
    auto const id = batch_id_of(res);
    auto s = co_await poll_summary(w, id, finished);
    CHECK(s.at("failed") == 2);
    CHECK(s.at("successful") == 0);
    auto detail = co_await ops_get(w, "/api/v1/batch/detail?batchId=" + id + "&pageSize=10");
    auto const page = json::parse(detail.body);
    auto const& rows = page.at("content").as_array();
    CHECK(rows.size() == 2);
    for(auto const& t : rows)
        CHECK(json::serialize(t.at("errorInformation")).find(expected_note) != std::string::npos);
    CHECK(w.connector.received.empty());
}

} // namespace

TEST_CASE("lookup flow: ids rewritten to each row's FA and payee DFSP, paid at two banks, unknown ids fail 404",
          "[mapper][hub]")
{
    mapper::mapper_config mc;
    mc.seed = {person("NID-001", "0495000001", "dfsp2"), person("NID-002", "0496000001", "dfsp3"),
               person("NID-404", "0497000001", "dfsp2", "otherbank")}; // known, but to another institution
    lookup_world lw(mc);
    lw.w->run(two_banks(*lw.w));

    auto const& got = lw.w->connector.received;
    REQUIRE(got.size() == 3);
    std::multiset<std::string> payees;
    for(auto const& r : got)
    {
        payees.insert(r.to.id_value + "@" + r.to.fsp_id.value_or("?"));
        CHECK(r.to.id_type == connector::party_id_type::msisdn);
    }
    CHECK(payees == std::multiset<std::string>{"0495000001@dfsp2", "0495000001@dfsp2", "0496000001@dfsp3"});
    CHECK(lw.w->hub->lookups_waiting() == 0);
}

TEST_CASE("lookup flow: the mapper unreachable fails the whole batch, nothing paid", "[mapper][hub]")
{
    lookup_world lw({}, 30s, true);
    lw.w->run(whole_batch_fails(*lw.w, std::string(hub::lookup_note::unreachable)));
}

TEST_CASE("lookup flow: a lost mapper callback fails the batch after the configured wait", "[mapper][hub]")
{
    mapper::mapper_config mc;
    mc.seed = {person("NID-001", "0495000001", "dfsp2")};
    mc.lose_batch_callbacks = true;
    lookup_world lw(mc, 200ms);
    lw.w->run(whole_batch_fails(*lw.w, std::string(hub::lookup_note::timed_out)));
    CHECK(lw.w->hub->lookups_waiting() == 0);
}
