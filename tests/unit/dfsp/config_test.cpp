// The YAML description of a DFSP: every section, defaults, and errors with their line.
#include "simulator/dfsp/config.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace mojasim;
using dfsp::decimal;

namespace {

decimal d(char const* s)
{
    return *decimal::parse(s);
}

std::string error_of(std::string const& yaml)
{
    try
    {
        dfsp::parse_config(yaml, "t.yaml");
    }
    catch(dfsp::config_error const& e)
    {
        return e.what();
    }
    return "no error";
}

constexpr char const* full = R"(
fsp_id: dfsp1
currency: USD
ilp_secret: s3cret
listen: { host: 0.0.0.0, fspiop_port: 4101, test_port: 4103 }
switch:
  fspiop_url: http://127.0.0.1:4001
  admin_url: http://127.0.0.1:4002
  callback_url: http://dfsp1:4101/
onboarding: { net_debit_cap: 500000, funds_in: "250000.5" }
payee:
  fee: { fixed: 0.5, percent: 1, max: 10 }
  fee_account: fees
  fulfil_state: RESERVED
  quote_expiry_seconds: 30
connector:
  port: 4100
  payer_account: treasury
  auto_accept_quote: false
  party_timeout_ms: 1500
  prepare_expiry_seconds: 20
accounts:
  - { id: treasury, balance: 1000000.00 }
parties:
  - { id_type: BUSINESS, id: gov-treasury, display_name: Treasury, account: treasury }
  - { id: "256700000001", first_name: Ann, last_name: Ole, date_of_birth: 1980-02-29, balance: 12 }
faults:
  - { id: slow, step: quote, action: delay, delay_ms: 500 }
)";

} // namespace

TEST_CASE("a full description is read")
{
    auto const c = dfsp::parse_config(full);
    CHECK(c.fsp_id == "dfsp1");
    CHECK(c.currency == "USD");
    CHECK(c.ilp_secret == "s3cret");
    CHECK(c.listen.host == "0.0.0.0");
    CHECK(c.listen.fspiop_port == 4101);
    CHECK(c.listen.test_port == 4103);
    CHECK(c.switch_api.als() == "http://127.0.0.1:4001");
    CHECK(c.switch_api.transfers() == "http://127.0.0.1:4001");
    CHECK(c.switch_api.callback_url == "http://dfsp1:4101");
    CHECK(c.onboarding.net_debit_cap == d("500000"));
    CHECK(c.onboarding.funds_in == d("250000.5"));
    CHECK(c.payee.fee.fixed == d("0.5"));
    CHECK(c.payee.fee.max == d("10"));
    CHECK(c.payee.mode == dfsp::fulfil_mode::reserved);
    CHECK(c.payee.quote_expiry == std::chrono::seconds(30));
    CHECK(c.connector.enabled);
    CHECK(c.connector.port == 4100);
    CHECK_FALSE(c.connector.auto_accept_quote);
    CHECK(c.connector.auto_accept_party);
    CHECK(c.connector.party_timeout == std::chrono::milliseconds(1500));
    CHECK(c.connector.prepare_expiry == std::chrono::seconds(20));
    REQUIRE(c.parties.size() == 2);
    CHECK(c.parties[0].id_type == fspiop::party_id_type::business);
    CHECK(c.parties[0].account == "treasury");
    // A party without an account gets its own, with its opening balance.
    CHECK(c.parties[1].account == "256700000001");
    REQUIRE(c.accounts.size() == 3);
    CHECK(c.accounts[0].balance == d("1000000"));
    CHECK(c.accounts[1].id == "256700000001");
    CHECK(c.accounts[1].balance == d("12"));
    CHECK(c.accounts[2].id == "fees");
    REQUIRE(c.faults.size() == 1);
    CHECK(c.faults[0].delay == std::chrono::milliseconds(500));
}

TEST_CASE("defaults make a short description enough")
{
    auto const c = dfsp::parse_config("fsp_id: dfsp2\ncurrency: XOF\nilp_secret: x\n");
    CHECK(c.listen.host == "127.0.0.1");
    CHECK(c.listen.fspiop_port == 0);
    CHECK(c.listen.test_api);
    CHECK_FALSE(c.connector.enabled);
    CHECK(c.payee.mode == dfsp::fulfil_mode::committed);
    CHECK(c.payee.fee.is_free());
    CHECK(c.parties.empty());
}

TEST_CASE("configuration errors name the line")
{
    CHECK(error_of("currency: USD\nilp_secret: x\n") == "t.yaml:1:1: fsp_id is required");
    CHECK(error_of("fsp_id: a\ncurrency: USX\nilp_secret: x\n") == "t.yaml:2:11: currency 'USX' is not an ISO 4217 code");
    CHECK(error_of("fsp_id: a\ncurrency: USD\nilp_secret: x\nlisten:\n  prot: 1\n").rfind(
              "t.yaml:5:3: unknown key 'prot' in listen (known: host, fspiop_port, test_port, test_api)", 0) == 0);
    CHECK(error_of("fsp_id: a\ncurrency: USD\nilp_secret: x\naccounts:\n  - { id: a, balance: 1.005 }\n") ==
          "t.yaml:5:5: balance must fit the minor unit of USD");
    CHECK(error_of("fsp_id: a\ncurrency: USD\nilp_secret: x\nparties:\n  - { id: 1 }\n  - { id: 1 }\n") ==
          "t.yaml:6:5: party MSISDN/1 is listed twice");
    CHECK(error_of("fsp_id: a\ncurrency: USD\nilp_secret: x\nparties:\n  - { id_type: PHONE, id: 1 }\n")
              .rfind("t.yaml:5:16: id_type 'PHONE'", 0) == 0);
    CHECK(error_of("fsp_id: a\ncurrency: USD\nilp_secret: x\nparties:\n  - { id: 'a/b' }\n") ==
          "t.yaml:5:5: party id must be 1 to 128 characters without '/' or '?'");
    CHECK(error_of("fsp_id: a\ncurrency: USD\nilp_secret: x\nparties:\n  - { id: 1, date_of_birth: 1981-02-29 }\n") ==
          "t.yaml:5:5: date_of_birth must be a date yyyy-MM-dd");
    CHECK(error_of("fsp_id: a\ncurrency: USD\nilp_secret: x\npayee: { fulfil_state: DONE }\n") ==
          "t.yaml:4:24: fulfil_state must be COMMITTED or RESERVED");
    CHECK(error_of("fsp_id: a\ncurrency: USD\nilp_secret: x\nconnector: { payer_account: nope }\n") ==
          "t.yaml:4:12: connector.payer_account 'nope' is not an account");
    CHECK(error_of("fsp_id: a\ncurrency: USD\nilp_secret: x\nfaults:\n  - { action: error, every: 0 }\n") ==
          "t.yaml:5:5: every must be at least 1");
    CHECK(error_of("fsp_id: a\ncurrency: USD\nilp_secret: x\nlisten: { fspiop_port: 70000 }\n") ==
          "t.yaml:4:24: fspiop_port must be at most 65535");
    CHECK(error_of("fsp_id: a\ncurrency: USD\n").find("ilp_secret is required") != std::string::npos);
    CHECK(error_of("fsp_id: [a\n").rfind("t.yaml:", 0) == 0);
    // A key that is a list or a mapping is an error at its place, not a yaml-cpp exception
    // (the scenario fuzzer's find: it ended the process through std::terminate).
    CHECK(error_of("fsp_id: a\ncurrency: USD\nilp_secret: x\nfaults:\n  - { [a, b]: 1, action: error }\n") ==
          "t.yaml:5:7: a key in a fault rule must be text");
    CHECK(error_of("fsp_id: a\ncurrency: USD\nilp_secret: x\n{ a: 1 }: 2\n").rfind("t.yaml:4:1: a key in ", 0) == 0);
}

TEST_CASE("transaction_requests: the payer's policy, the payee's OTP, the wait")
{
    auto const c = dfsp::parse_config("fsp_id: a\ncurrency: USD\nilp_secret: x\n"
                                      "transaction_requests: { policy: authorize, otp: \"0042\", timeout_ms: 1500 }\n");
    CHECK(c.transaction_requests.policy == dfsp::request_policy::authorize);
    CHECK(c.transaction_requests.otp == "0042");
    CHECK(c.transaction_requests.timeout == std::chrono::milliseconds(1500));
    auto const d = dfsp::parse_config("fsp_id: a\ncurrency: USD\nilp_secret: x\n");
    CHECK(d.transaction_requests.policy == dfsp::request_policy::accept);
    CHECK(dfsp::request_policy_from_string("reject") == dfsp::request_policy::reject);
    CHECK(dfsp::to_string(dfsp::request_policy::authorize) == "authorize");
    CHECK(error_of("fsp_id: a\ncurrency: USD\nilp_secret: x\ntransaction_requests: { policy: maybe }\n") ==
          "t.yaml:4:33: transaction_requests.policy must be accept, reject or authorize");
    CHECK(error_of("fsp_id: a\ncurrency: USD\nilp_secret: x\ntransaction_requests: { otp: abc }\n") ==
          "t.yaml:4:30: transaction_requests.otp must be 3 to 10 digits");
    CHECK(error_of("fsp_id: a\ncurrency: USD\nilp_secret: x\ntransaction_requests: { polcy: accept }\n")
              .rfind("t.yaml:4:", 0) == 0);
}

TEST_CASE("the example topology files are valid")
{
    for(auto const* name : {"dfsp1.yaml", "dfsp2.yaml"})
    {
        auto const path = std::string(MOJASIM_SOURCE_DIR) + "/scenarios/topology/" + name;
        auto const c = dfsp::load_config(path);
        CHECK_FALSE(c.parties.empty());
    }
    CHECK_THROWS_AS(dfsp::load_config("/nonexistent/dfsp.yaml"), dfsp::config_error);
}
