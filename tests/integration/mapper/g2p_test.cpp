// G2P Connect's mapper face (as SPAR serves it) over real HTTP, with the bodies of
// shared/notes/account-mapper.md §3; and the hub's client call that resolves an id.
#include "simulator/mapper/client.hpp"
#include "tests/integration/mapper/mapper_fixture.hpp"

using namespace mojasim;
using namespace mojasim::test;

namespace {

std::string link_body(std::string const& sender_uri = "")
{
    return R"({"signature":"Signature: namespace=\"g2p\"","header":{"version":"0.1.0","message_id":"m-1",
 "message_ts":"2024-05-01T10:00:00","action":"link","sender_id":"registry.example.org",
 "sender_uri":")" + sender_uri + R"(","receiver_id":"pymts.example.org","total_count":1,"is_msg_encrypted":false},
 "message":{"transaction_id":"t-1","link_request":[{"reference_id":"r-1","timestamp":"2024-05-01T10:00:00",
 "id":"token:abc@nationalId","fa":"account:5494373447@indigo.dfsp2.bank_acc","name":"Jane","phone_number":null,"locale":"eng"}]}})";
}

std::string const resolve_body =
    R"({"signature":"","header":{"message_id":"m-3","message_ts":"2024-12-03 10:00:00.123456","action":"resolve",
 "sender_id":"","sender_uri":"","total_count":1},"message":{"transaction_id":"t-3","resolve_request":[
 {"reference_id":"r-3","timestamp":"2024-12-03T10:00:00","fa":"","id":"token:abc@nationalId","scope":"details","locale":"en"}]}})";

} // namespace

TEST_CASE("G2P Connect sync link, resolve, update, unlink", "[mapper][g2p]")
{
    mapper_world w;
    auto body = [&]() -> net::awaitable<void> {
        auto res = co_await w.call(net::method::post, "/mapper/sync/link", link_body());
        CHECK(res.status == 200);
        auto o = json::parse(res.body).as_object();
        CHECK(o.at("signature") == "Signature: namespace=\"g2p\"");
        auto const& h = o.at("header").as_object();
        CHECK(h.at("message_id") == "m-1");
        CHECK(h.at("action") == "link");
        CHECK(h.at("status") == "succ");
        CHECK(h.at("total_count") == 1);
        CHECK(h.at("completed_count") == 1);
        CHECK(h.at("sender_id") == "spar.dev.openg2p.net");
        CHECK(h.at("receiver_id") == "registry.example.org");
        CHECK(h.at("is_encrypted") == false);
        auto const& m = o.at("message").as_object();
        CHECK(m.at("transaction_id") == "t-1");
        CHECK(m.at("correlation_id").as_string().size() == 36);
        auto const& link = m.at("link_response").as_array().at(0).as_object();
        CHECK(link.at("reference_id") == "r-1");
        CHECK(link.at("fa") == "account:5494373447@indigo.dfsp2.bank_acc");
        CHECK(link.at("status") == "succ");
        CHECK(link.at("status_reason_code").is_null());
        CHECK(link.at("locale") == "eng");

        // G2P Bridge's resolve (Python timestamps, fa "").
        res = co_await w.call(net::method::post, "/mapper/sync/resolve", resolve_body);
        CHECK(res.status == 200);
        auto r = json::parse(res.body).at("message").at("resolve_response").as_array().at(0).as_object();
        CHECK(r.at("fa") == "account:5494373447@indigo.dfsp2.bank_acc");
        CHECK(r.at("id") == "token:abc@nationalId");
        CHECK(r.at("status") == "succ");
        CHECK(r.at("status_reason_code") == "succ.id.active");
        CHECK(r.at("locale") == "en");

        // The id linked through G2P Connect is seen by PH-EE's batch lookup? No: PH-EE keys by
        // institution; a G2P link has none. It is one store all the same:
        CHECK(w.mapper->entries().find("", "token:abc@nationalId")->bank == "dfsp2");

        std::string update = link_body();
        update.replace(update.find("\"action\":\"link\""), 15, "\"action\":\"update\"");
        update.replace(update.find("link_request"), 12, "update_request");
        update.replace(update.find("account:5494373447@indigo.dfsp2.bank_acc"), 40, "mobile:0495822412@dfsp3");
        res = co_await w.call(net::method::post, "/mapper/sync/update", update);
        CHECK(res.status == 200);
        auto u = json::parse(res.body).at("message").at("update_response").as_array().at(0).as_object();
        CHECK(u.at("id") == "token:abc@nationalId");
        CHECK(u.at("status") == "succ");
        res = co_await w.call(net::method::post, "/mapper/sync/resolve", resolve_body);
        r = json::parse(res.body).at("message").at("resolve_response").as_array().at(0).as_object();
        CHECK(r.at("fa") == "mobile:0495822412@dfsp3");

        std::string unlink = R"({"signature":"s","header":{"message_id":"m-9","message_ts":"2024-05-01T10:00:00","action":"unlink",
          "sender_id":"registry","total_count":1},"message":{"transaction_id":"t-9","unlink_request":[
          {"reference_id":"r-9","timestamp":"2024-05-01T10:00:00","id":"token:abc@nationalId"}]}})";
        res = co_await w.call(net::method::post, "/mapper/sync/unlink", unlink);
        CHECK(res.status == 200);
        CHECK(json::parse(res.body).at("message").at("unlink_response").at(0).at("status") == "succ");

        // Gone: SPAR's answer for an unknown id is status succ, succ.id.not_found, no fa.
        res = co_await w.call(net::method::post, "/mapper/sync/resolve", resolve_body);
        r = json::parse(res.body).at("message").at("resolve_response").as_array().at(0).as_object();
        CHECK(r.at("status") == "succ");
        CHECK(r.at("status_reason_code") == "succ.id.not_found");
        CHECK(r.at("status_reason_message") == "Mapping not found against given ID.");
        CHECK(r.at("fa").is_null());
        CHECK(json::parse(res.body).at("header").at("status") == "succ");
    };
    w.run(body());
}

TEST_CASE("G2P Connect async: ack, then POST {sender_uri}/on-link and /on-resolve with the sync body", "[mapper][g2p]")
{
    mapper_world w;
    auto body = [&]() -> net::awaitable<void> {
        auto const sender = w.callbacks.url() + "/g2p/callback/mapper/";
        auto res = co_await w.call(net::method::post, "/mapper/link", link_body(sender));
        CHECK(res.status == 200);
        auto ack = json::parse(res.body).as_object();
        auto const& m = ack.at("message").as_object();
        CHECK(m.at("ack_status") == "ACK");
        CHECK(m.at("error").is_null());
        CHECK(m.size() == 4);
        auto cb = co_await w.callbacks.next();
        CHECK(cb.method == net::method::post);
        CHECK(cb.path == "/g2p/callback/mapper/on-link");
        auto o = json::parse(cb.body).as_object();
        CHECK(o.at("message").at("correlation_id") == m.at("correlation_id"));
        CHECK(o.at("message").at("link_response").at(0).at("status") == "succ");

        std::string resolve = resolve_body;
        resolve.replace(resolve.find("\"sender_uri\":\"\""), 15, "\"sender_uri\":\"" + sender + "\"");
        res = co_await w.call(net::method::post, "/mapper/resolve", resolve);
        CHECK(res.status == 200);
        cb = co_await w.callbacks.next();
        CHECK(cb.path == "/g2p/callback/mapper/on-resolve");
        CHECK(json::parse(cb.body).at("message").at("resolve_response").at(0).at("fa") ==
              "account:5494373447@indigo.dfsp2.bank_acc");

        // A link of an id already linked: every entry failed, header rjct.
        res = co_await w.call(net::method::post, "/mapper/sync/link", link_body());
        o = json::parse(res.body).as_object();
        CHECK(o.at("header").at("status") == "rjct");
        CHECK(o.at("header").at("status_reason_code") == "rjct.errors.too_many");
        CHECK(o.at("message").at("link_response").at(0).at("status_reason_message") ==
              "Duplicate ID exists. Use 'update' instead.");
    };
    w.run(body());
}

TEST_CASE("G2P Connect refusals: MPR-REQ-400 for a wrong action, 422 for a missing field, state intact",
          "[mapper][g2p]")
{
    mapper_world w;
    auto body = [&]() -> net::awaitable<void> {
        auto res = co_await w.call(net::method::post, "/mapper/sync/resolve", link_body());
        CHECK(res.status == 400);
        CHECK(res.body == R"({"errors":[{"code":"MPR-REQ-400","message":"Received Invalid action in header for 'resolve'."}]})");
        std::string no_header = R"({"signature":"","message":{}})";
        res = co_await w.call(net::method::post, "/mapper/link", no_header);
        CHECK(res.status == 422);
        CHECK(res.body == R"({"detail":[{"loc":["body","header"],"msg":"field required","type":"value_error.missing"}]})");
        CHECK(w.mapper->entries().size() == 0);
        CHECK(w.callbacks.count() == 0);
        res = co_await w.call(net::method::get, "/ping", "");
        CHECK(res.status == 200);
    };
    w.run(body());
}

TEST_CASE("mapper::resolve_id: a PH-EE-seeded national id resolves to its FA, unknown ids to none", "[mapper][g2p]")
{
    mapper::mapper_config cfg;
    mapper::entry e;
    e.institution = "greenbank";
    e.identity = "1234567890";
    e.modality = "01";
    e.financial_address = "0495822412";
    e.bank = "dfsp2";
    cfg.seed.push_back(e);
    mapper_world w(cfg);
    auto body = [&]() -> net::awaitable<void> {
        auto fa = co_await mapper::resolve_id(w.client, w.mapper->url(), "token:1234567890@nationalId", "m-1", 5s);
        REQUIRE(fa.has_value());
        CHECK(*fa == std::optional<std::string>("mobile:0495822412@dfsp2"));
        fa = co_await mapper::resolve_id(w.client, w.mapper->url(), "token:0000@nationalId", "m-2", 5s);
        REQUIRE(fa.has_value());
        CHECK_FALSE(fa->has_value());
        fa = co_await mapper::resolve_id(w.client, w.callbacks.url() + "/nothing-here", "token:1@nationalId", "m-3", 5s);
        CHECK_FALSE(fa.has_value()); // 404: not a mapper
    };
    w.run(body());
}
