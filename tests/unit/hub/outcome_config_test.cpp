// What a connector answer means for a payment (PH-EE's retry rule), and the YAML config.
#include "payment-hub/config.hpp"
#include "payment-hub/payment_outcome.hpp"
#include "simulator/connector/codec.hpp"
#include "tests/unit/hub/connector_states.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

using namespace mojasim;
using namespace mojasim::hub;
using kind = payment_outcome::kind;
using test::a_quote;
using test::base_state;
using test::error_body;


TEST_CASE("outcome: COMPLETED with a committed fulfil is a paid payment", "[hub][outcome]")
{
    auto t = base_state();
    t.current_state = connector::transfer_status::completed;
    t.quote_response = a_quote();
    t.quote_response_source = "dfsp2";
    connector::fulfil_response f;
    f.body.transfer_state = connector::transfer_state::committed;
    t.fulfil = f;
    auto o = interpret_transfer_answer(200, connector::encode(t));
    CHECK(o.what == kind::completed);
    CHECK(o.transfer_id == "b51ec534-ee48-4575-b6a9-ead2955b8069");
    CHECK(o.payee_fsp == "dfsp2");
}

TEST_CASE("outcome: a Mojaloop error keeps its FSPIOP code, whatever the HTTP status", "[hub][outcome]")
{
    auto t = base_state();
    t.current_state = connector::transfer_status::error_occurred;
    t.last_error = connector::transfer_error{500, connector::mojaloop_error{connector::error_information{"5101", "Payee transaction limit reached", {}}}};
    for(unsigned status : {200U, 500U, 504U})
    {
        auto o = interpret_transfer_answer(status, status == 200 ? connector::encode(t) : error_body(t));
        CHECK(o.what == kind::failed);
        CHECK(o.error_code == "5101");
        CHECK(o.error_description == "Payee transaction limit reached");
    }
    // The party lookup said the payee does not exist.
    auto lookup = base_state();
    lookup.current_state = connector::transfer_status::error_occurred;
    lookup.last_error = connector::transfer_error{404, connector::mojaloop_error{connector::error_information{"3204", "Party not found", {}}}};
    auto o = interpret_transfer_answer(500, error_body(lookup));
    CHECK(o.what == kind::failed);
    CHECK(o.error_code == "3204");
}

TEST_CASE("outcome: the connector waiting for acceptance asks for PUT /transfers/{id}", "[hub][outcome]")
{
    auto t = base_state();
    t.current_state = connector::transfer_status::waiting_for_party_acceptance;
    CHECK(interpret_transfer_answer(200, connector::encode(t)).what == kind::accept_party);
    t.current_state = connector::transfer_status::waiting_for_quote_acceptance;
    t.quote_response = a_quote();
    CHECK(interpret_transfer_answer(200, connector::encode(t)).what == kind::accept_quote);
}

TEST_CASE("outcome: a timeout before the quote is retried, after it is queried", "[hub][outcome]")
{
    auto before = base_state();
    before.current_state = connector::transfer_status::error_occurred;
    auto o = interpret_transfer_answer(504, error_body(before, "504"));
    CHECK(o.what == kind::retry);
    CHECK(o.error_code == "2004");

    auto after = base_state();
    after.current_state = connector::transfer_status::error_occurred;
    after.quote_response = a_quote();
    o = interpret_transfer_answer(504, error_body(after, "504"));
    CHECK(o.what == kind::query);
    CHECK(o.transfer_id == "b51ec534-ee48-4575-b6a9-ead2955b8069");

    // A bare 503 or 500 without a state is retried; a 400 is not.
    CHECK(interpret_transfer_answer(503, "").what == kind::retry);
    CHECK(interpret_transfer_answer(500, R"({"message":"boom","transferState":{}})").what == kind::retry);
    auto v = interpret_transfer_answer(400, R"({"statusCode":"400","message":"from.idType is required"})");
    CHECK(v.what == kind::failed);
    CHECK(v.error_code == "3100");
    CHECK(v.error_description == "from.idType is required");
}

TEST_CASE("outcome: an unreadable 200 fails the payment rather than guessing", "[hub][outcome]")
{
    auto o = interpret_transfer_answer(200, "<html>");
    CHECK(o.what == kind::failed);
    CHECK(o.error_code == "2001");
    o = interpret_transfer_answer(200, R"({"currentState":"COMPLETED"})");
    CHECK(o.what == kind::failed);
    CHECK(o.error_description.find("homeTransactionId") != std::string::npos);
}

TEST_CASE("outcome: GET /transfers/{id} settles an unknown outcome", "[hub][outcome]")
{
    connector::transfer_status_response s;
    s.transfer_id = "t1";
    s.current_state = connector::transfer_status::completed;
    s.fulfil.body.transfer_state = connector::transfer_state::committed;
    CHECK(interpret_status_answer(200, connector::encode(s)).what == kind::completed);
    s.current_state = connector::transfer_status::error_occurred;
    s.fulfil.body.transfer_state = connector::transfer_state::aborted;
    CHECK(interpret_status_answer(200, connector::encode(s)).what == kind::failed);
    s.current_state = connector::transfer_status::waiting_for_quote_acceptance;
    s.fulfil.body.transfer_state = connector::transfer_state::reserved;
    CHECK(interpret_status_answer(200, connector::encode(s)).what == kind::query);
    CHECK(interpret_status_answer(404, "").what == kind::query);

    // A failed transfer the connector still knows: its error body keeps the FSPIOP code.
    auto t = base_state();
    t.current_state = connector::transfer_status::error_occurred;
    t.quote_response = a_quote();
    t.last_error = connector::transfer_error{500, connector::mojaloop_error{connector::error_information{"4001", "Payer FSP insufficient liquidity", {}}}};
    auto o = interpret_status_answer(500, error_body(t));
    CHECK(o.what == kind::failed);
    CHECK(o.error_code == "4001");
    // Without a Mojaloop error the outcome stays unknown.
    t.last_error.reset();
    CHECK(interpret_status_answer(500, error_body(t)).what == kind::query);
}

TEST_CASE("config: defaults, a full file, and errors that name the key", "[hub][config]")
{
    auto const d = parse_hub_config("");
    CHECK(d.bulk_port == 5000);
    CHECK(d.ops_port == 5001);
    CHECK_FALSE(d.lenient_type);
    CHECK(d.bulk_paths == std::vector<std::string>{"/batchtransactions"});
    CHECK(find_mode(d.payment_modes, "mojaloop") == connector::party_id_type::msisdn);

    auto const c = parse_hub_config(R"(
hub:
  host: 0.0.0.0
  bulk_port: 0
  ops_port: 0
  bulk_paths: [/batchtransactions, /bulk/transfer]
  type_check: lenient
  max_file_bytes: 100000
  tenants:
    greenbank: {payer_fsp: dfsp1, connector_url: "http://127.0.0.1:4001/"}
  payment_modes:
    gsma: msisdn
    BANK: account_id
  registering_institutions:
    - id: SocialWelfare
      programs:
        - {id: SW_A, name: Program A, identifier_type: MSISDN, identifier_value: "0413356886"}
  max_in_flight: 4
  payment_timeout_ms: 5000
  max_attempts: 2
  retry_delay_ms: 10
  callback_max_tries: 5
  require_auth: true
  oauth: {client_id: ops, password: secret}
)");
    CHECK(c.host == "0.0.0.0");
    CHECK(c.bulk_port == 0);
    CHECK(c.bulk_paths.size() == 2);
    CHECK(c.lenient_type);
    CHECK(c.max_file_bytes == 100000);
    CHECK(c.body_limit() == 100000 + 1024 * 1024);
    REQUIRE(c.tenants.count("greenbank") == 1);
    CHECK(c.tenants.at("greenbank").payer_fsp == "dfsp1");
    CHECK(c.tenants.at("greenbank").connector_url == "http://127.0.0.1:4001");
    CHECK(find_mode(c.payment_modes, "MOJALOOP") == connector::party_id_type::msisdn);
    CHECK(find_mode(c.payment_modes, "GSMA") == connector::party_id_type::msisdn);
    CHECK(find_mode(c.payment_modes, "bank") == connector::party_id_type::account_id);
    auto const* p = c.find_program("SocialWelfare", "SW_A");
    REQUIRE(p != nullptr);
    CHECK(p->identifier_value == "0413356886");
    CHECK(c.find_program("SocialWelfare", "nope") == nullptr);
    CHECK(c.max_in_flight == 4);
    CHECK(c.payment_timeout == std::chrono::milliseconds(5000));
    CHECK(c.max_attempts == 2);
    CHECK(c.callback_max_tries == 5);
    CHECK(c.require_auth);
    CHECK(c.oauth_client_id == "ops");
    CHECK(c.oauth_password == "secret");

    auto fails_with = [](std::string const& yaml, std::string const& key) {
        try
        {
            (void)parse_hub_config(yaml);
            FAIL("accepted: " << yaml);
        }
        catch(std::runtime_error const& e)
        {
            CHECK_THAT(e.what(), Catch::Contains(key));
        }
    };
    fails_with("bulk_port: 70000", "bulk_port");
    fails_with("type_check: sloppy", "type_check");
    fails_with("tenants: {greenbank: {connector_url: ftp://x}}", "tenants.greenbank.connector_url");
    fails_with("tenants: {greenbank: {connector_url: http://x, color: red}}",
               "hub config:1:48: unknown key 'color' in tenants.greenbank (known: payer_fsp, connector_url, flow, mapper_url, registering_institution, lookup_timeout_ms)");
    fails_with("payment_modes: {MOJALOOP: PHONE}", "payment_modes.MOJALOOP");
    fails_with("max_in_flight: 0", "max_in_flight");
    fails_with("colour: blue", "hub config:1:1: unknown key 'colour' in the hub config (known: host, bulk_port,");
    fails_with("bulk_path: batchtransactions", "bulk_path");
    fails_with("[1, 2", "hub config:1:1: end of sequence flow not found");
}
