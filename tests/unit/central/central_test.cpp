// The switch's pure helpers: endpoint templates, the built-in oracle, oracle selection, the
// config file, version tags. (The Admin API's JSON is tested in tests/unit/admin.)
#include "simulator/admin/admin_api.hpp"
#include "simulator/central/config.hpp"
#include "simulator/central/hub_context.hpp"
#include "simulator/central/oracle.hpp"
#include "simulator/ledger/settlement_book.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace mojasim::central {

TEST_CASE("central: endpoint templates render per message", "[central]")
{
    template_params p;
    p.party_id_type = "MSISDN";
    p.party_identifier = "+256 700/1?x";
    p.transfer_id = "b51ec534-ee48-4575-b6a9-ead2955b8069";
    CHECK(render("http://dfsp:3000/parties/{{partyIdType}}/{{partyIdentifier}}", p) ==
          "http://dfsp:3000/parties/MSISDN/+256%20700%2F1%3Fx");
    CHECK(render("http://d/transfers/{{transferId}}/error", p) ==
          "http://d/transfers/b51ec534-ee48-4575-b6a9-ead2955b8069/error");
    // Spaces inside the braces are allowed; unknown names render empty, as in Mustache.
    CHECK(render("http://d/{{ transferId }}/{{nothing}}/x", p) == "http://d/b51ec534-ee48-4575-b6a9-ead2955b8069//x");
    CHECK(render("http://d/plain", p) == "http://d/plain");
    CHECK(render("http://d/{{unclosed", p) == "http://d/{{unclosed");
}

TEST_CASE("central: FSPIOP-URI of a message is its path from the resource on", "[central]")
{
    // As ml-api-adapter's createCallbackHeaders cuts its rendered endpoint templates.
    CHECK(callback_uri("http://dfsp:3000/transfers/abc/error") == "/transfers/abc/error");
    CHECK(callback_uri("http://dfsp:3000/base/api/quotes/q1") == "/quotes/q1");
    CHECK(callback_uri("http://dfsp/parties/MSISDN/123?x=1") == "/parties/MSISDN/123");
    CHECK(callback_uri("http://dfsp/participants/MSISDN/transfers") == "/participants/MSISDN/transfers");
    CHECK(callback_uri("http://dfsp/inbound/callback") == "/inbound/callback");
    CHECK(callback_uri("http://dfsp") == "/");
}

TEST_CASE("central: version tags round-trip", "[central]")
{
    for(auto v : fspiop::supported_versions)
        CHECK(version_of_tag(version_tag(v)) == v);
    CHECK(version_of_tag(0) == fspiop::version{1, 1});
}

TEST_CASE("central: the Admin API's settlement states are the ledger's", "[central]")
{
    // The Admin API refuses an account's unknown state before the switch reads the body
    // further, so both must know the same states.
    for(auto const name : admin_api::settlement_states)
    {
        auto const state = ledger::settlement_state_from_string(name);
        REQUIRE(state);
        CHECK(ledger::to_string(*state) == name);
    }
}

TEST_CASE("central: the built-in oracle", "[central]")
{
    builtin_oracle o;
    using change = builtin_oracle::change;
    CHECK(o.add({"MSISDN", "123", ""}, "", "dfsp2") == change::done);
    CHECK(o.add({"MSISDN", "123", ""}, "", "dfsp2") == change::unchanged);
    CHECK(o.add({"MSISDN", "123", ""}, "", "dfsp1") == change::conflict);
    CHECK(o.add({"MSISDN", "123", ""}, "EUR", "dfsp1") == change::done);
    CHECK(o.add({"PERSONAL_ID", "9", "PASSPORT"}, "", "dfsp1") == change::done);

    CHECK(o.lookup({"MSISDN", "123", ""}) == std::vector<std::string>{"dfsp2", "dfsp1"});
    CHECK(o.lookup({"MSISDN", "123", ""}, "USD") == std::vector<std::string>{"dfsp2"});
    CHECK(o.lookup({"MSISDN", "123", ""}, "EUR") == std::vector<std::string>{"dfsp2", "dfsp1"});
    // Records with and without sub-id do not mix.
    CHECK(o.lookup({"PERSONAL_ID", "9", ""}).empty());
    CHECK(o.lookup({"PERSONAL_ID", "9", "PASSPORT"}) == std::vector<std::string>{"dfsp1"});

    CHECK(o.remove({"MSISDN", "123", ""}, "", "dfsp2") == change::conflict); // dfsp1 owns the EUR one
    CHECK(o.remove({"MSISDN", "123", ""}, "EUR", "dfsp1") == change::done);
    CHECK(o.remove({"MSISDN", "123", ""}, "", "dfsp2") == change::done);
    CHECK(o.remove({"MSISDN", "123", ""}, "", "dfsp2") == change::not_found);
    CHECK(o.size() == 1);
}

TEST_CASE("central: external oracles are chosen by type, currency and default", "[central]")
{
    oracle_registry r;
    CHECK_FALSE(r.add({0, "PHONE", "http://o", "", false}));
    CHECK_FALSE(r.add({0, "MSISDN", "ftp://o", "", false}));
    REQUIRE(r.add({0, "MSISDN", "http://any/", "", false}));
    REQUIRE(r.add({0, "MSISDN", "http://usd", "USD", false}));
    REQUIRE(r.add({0, "MSISDN", "http://default", "EUR", true}));
    CHECK_FALSE(r.add({0, "MSISDN", "http://again", "USD", false}));
    CHECK(r.for_type("MSISDN", "USD")->url == "http://usd");
    CHECK(r.for_type("MSISDN", "")->url == "http://default");
    CHECK(r.for_type("ACCOUNT_ID", "") == nullptr);
    auto const id = r.for_type("MSISDN", "USD")->id;
    CHECK(r.remove(id));
    CHECK_FALSE(r.remove(id));
    CHECK(r.configs().front().url == "http://any"); // trailing slash dropped
}

TEST_CASE("central: the config file", "[central]")
{
    switch_config c;
    CHECK_FALSE(parse_config("hub_name: switch\nfspiop_port: 0\nadmin_port: 14001\nexpiry_sweep_interval_ms: 250\n"
                             "send_transfer_confirmation_to_payee: false\nmax_connections_per_fsp: 4\n",
                             c));
    CHECK(c.hub_name == "switch");
    CHECK(c.fspiop_port == 0);
    CHECK(c.admin_port == 14001);
    CHECK(c.expiry_sweep_interval == std::chrono::milliseconds(250));
    CHECK_FALSE(c.send_transfer_confirmation_to_payee);
    CHECK(c.max_connections_per_fsp == 4);
    CHECK(c.host == "127.0.0.1");
    CHECK_FALSE(c.strict_spec);
    CHECK_FALSE(parse_config("strict_spec: true\n", c));
    CHECK(c.strict_spec);

    // A bad value leaves the configuration as it was.
    auto const before = c.admin_port;
    CHECK(parse_config("admin_port: 70000\n", c));
    CHECK(parse_config("expiry_sweep_interval_ms: 0\n", c));
    CHECK(parse_config("hub_name: ''\n", c));
    CHECK(parse_config("- a list\n", c));
    CHECK(parse_config("fspiop_port: [\n", c));
    CHECK(c.admin_port == before);
    CHECK(load_config("/nonexistent/switch.yaml", c));
    // An unknown key is an error at its line and column, with the known keys listed (it was
    // silently ignored before), and changes nothing.
    auto const typo = parse_config("hub_name: other\nadmin_prot: 1\n", c, "switch.yaml");
    REQUIRE(typo);
    CHECK(typo->rfind("switch.yaml:2:1: unknown key 'admin_prot' in the switch config (known: host, fspiop_port, admin_port,", 0) == 0);
    CHECK(c.hub_name == "switch");
    auto const bad_port = parse_config("admin_port: 70000\n", c, "switch.yaml");
    REQUIRE(bad_port);
    CHECK(*bad_port == "switch.yaml:1:13: admin_port must be at most 65535");
}

TEST_CASE("central: the config file's jws section", "[central][jws]")
{
    // Key files are read relative to the config file's folder.
    auto const dir = std::filesystem::temp_directory_path() / ("mojasim-jws-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto const key = fspiop::jws::generate_rsa();
    auto const small = fspiop::jws::generate_rsa(1024);
    auto write = [&](char const* name, std::string const& text) { std::ofstream(dir / name) << text; };
    write("hub.pem", key.private_pem());
    write("dfsp1.pub.pem", key.public_pem());
    write("small.pub.pem", small.public_pem());
    auto const source = (dir / "switch.yaml").string();

    switch_config c;
    CHECK_FALSE(c.jws.validate);
    CHECK_FALSE(c.jws.sign);
    CHECK_FALSE(parse_config("jws:\n  validate: true\n  sign: true\n  private_key_file: hub.pem\n"
                             "  public_keys: { dfsp1: dfsp1.pub.pem }\n",
                             c, source));
    CHECK(c.jws.validate);
    CHECK(c.jws.sign);
    CHECK(c.jws.signing_key.is_private());
    REQUIRE(c.jws.public_keys.contains("dfsp1"));
    CHECK(c.jws.public_keys.at("dfsp1").public_pem() == key.public_pem());

    switch_config d;
    auto const too_small = parse_config("jws:\n  public_keys: { dfsp1: small.pub.pem }\n", d, source);
    REQUIRE(too_small);
    CHECK(too_small->find("switch.yaml:2:") != std::string::npos);
    CHECK(too_small->find("2048") != std::string::npos);
    CHECK(parse_config("jws: { private_key_file: dfsp1.pub.pem }\n", d, source));   // not private
    CHECK(parse_config("jws: { private_key_file: missing.pem }\n", d, source));
    CHECK(parse_config("jws: { valdate: true }\n", d, source));
    CHECK(d.jws.public_keys.empty());
    std::filesystem::remove_all(dir);
}

} // namespace mojasim::central
