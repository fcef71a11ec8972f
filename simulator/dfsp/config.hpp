// The description of one DFSP simulator, read from YAML (docs/dfsp.md has the reference):
//
//   fsp_id: dfsp2
//   currency: USD
//   ilp_secret: dfsp2-secret
//   listen:    { host: 127.0.0.1, fspiop_port: 4102, test_port: 4103 }
//   switch:    { fspiop_url: http://127.0.0.1:4000, admin_url: http://127.0.0.1:4001 }
//   onboarding: { net_debit_cap: 1000000, funds_in: 1000000 }
//   accounts:  [ { id: acc-1, balance: 0 } ]
//   parties:   [ { id_type: MSISDN, id: "256700000002", first_name: Jane, ..., account: acc-1 } ]
//   payee:     { fee: { fixed: 0.5, percent: 1 }, fee_account: fees, fulfil_state: COMMITTED }
//   connector: { enabled: true, port: 4100, payer_account: treasury, auto_accept_quote: true }
//   transaction_requests: { policy: accept, otp: "1234", timeout_ms: 30000 }
//   faults:    [ { id: reject, step: transfer, party: "256700000009", action: error, error_code: 5104 } ]
//
// Amounts are exact decimals (quoted or not: 50, "50.0", 0.5). Bad configuration is a bug of
// the caller: parse_config throws config_error naming the line and what is wrong.
#pragma once

#include "simulator/core/decimal.hpp"
#include "simulator/dfsp/faults.hpp"
#include "simulator/dfsp/fees.hpp"
#include "simulator/fspiop/jws.hpp"
#include "simulator/fspiop/types.hpp"
#include "simulator/yaml/reader.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace YAML {
class Node;
} // namespace YAML

namespace mojasim::dfsp {

using core::decimal;

struct account_config
{
    std::string id;
    decimal balance;

    friend bool operator==(account_config const&, account_config const&) = default;
};

/// A customer of the DFSP, reachable by an identifier (and optional sub-id).
struct party_config
{
    fspiop::party_id_type id_type = fspiop::party_id_type::msisdn;
    std::string id;
    std::string sub_id;          ///< optional partySubIdOrType
    std::string display_name;    ///< optional Party.name
    std::string first_name;
    std::string middle_name;
    std::string last_name;
    std::string date_of_birth;   ///< optional yyyy-MM-dd
    std::string account;         ///< the account credited (payee) or debited (payer)

    friend bool operator==(party_config const&, party_config const&) = default;
};

/// "MSISDN/123" or "MSISDN/123/sub": how a party is keyed, in the directory and for the
/// party and participant callbacks the payer waits for.
std::string party_key(std::string_view type, std::string_view id, std::string_view sub_id);

/// What the payee puts in its fulfil: COMMITTED, or RESERVED to ask for the switch's
/// commit notification (PATCH).
enum class fulfil_mode : std::uint8_t { committed, reserved };

struct listen_config
{
    std::string host = "127.0.0.1";
    std::uint16_t fspiop_port = 0;     ///< 0: any free port
    std::uint16_t test_port = 0;
    bool test_api = true;
    /// How long a client may take to send one request once it has begun (every listener).
    std::chrono::milliseconds read_timeout{30'000};
};

struct switch_config
{
    std::string fspiop_url;      ///< the switch's FSPIOP API (ALS, quotes, transfers) unless split below
    std::string als_url;         ///< optional: parties and participants
    std::string quotes_url;      ///< optional
    std::string transfers_url;   ///< optional
    std::string admin_url;       ///< the Admin API; when set, `serve` onboards at start
    std::string callback_url;    ///< how the switch reaches this DFSP; default: its FSPIOP listener

    [[nodiscard]] std::string const& als() const noexcept { return als_url.empty() ? fspiop_url : als_url; }
    [[nodiscard]] std::string const& quotes() const noexcept { return quotes_url.empty() ? fspiop_url : quotes_url; }
    [[nodiscard]] std::string const& transfers() const noexcept
    {
        return transfers_url.empty() ? fspiop_url : transfers_url;
    }
};

struct onboarding_config
{
    decimal net_debit_cap = decimal::from_units(1'000'000 * decimal::one);
    decimal initial_position;
    decimal funds_in = decimal::from_units(1'000'000 * decimal::one);
    bool register_parties = true;          ///< POST /participants/{Type}/{ID} for each party
    std::chrono::milliseconds timeout{10'000}; ///< per ALS registration callback
};

struct payee_config
{
    fee_rule fee;
    std::string fee_account;               ///< where fees go; empty: kept outside customer accounts
    fulfil_mode mode = fulfil_mode::committed;
    std::chrono::seconds quote_expiry{60};
    bool check_ilp = true;                 ///< check the transfer against its ILP packet
    std::size_t quote_memory = 100'000;    ///< quotes remembered for their transfers
};

struct connector_config
{
    bool enabled = false;                  ///< serve the outbound API (DFSP1)
    std::uint16_t port = 0;
    bool auto_accept_party = true;
    bool auto_accept_quote = true;
    std::string payer_account;             ///< blocked when `from` is not one of the parties
    std::chrono::milliseconds party_timeout{30'000};
    std::chrono::milliseconds quote_timeout{30'000};
    /// Waiting for the fulfil lasts until the transfer's expiration plus this grace (the
    /// switch reports expiry itself, so a timeout here means a lost callback).
    std::chrono::milliseconds transfer_grace{10'000};
    std::chrono::seconds quote_expiry{60};
    std::chrono::seconds prepare_expiry{60};
    std::size_t keep_finished = 10'000;    ///< finished transfers kept for GET /transfers/{id}
    /// Bulk transactions: lookups (and bulk requests) in flight per bulk at most.
    std::size_t bulk_concurrency = 256;
    /// Individual transfers per bulk quote and bulk transfer at most (the hub's limit: 1,000).
    std::size_t bulk_max_items = 1000;
    /// Finished bulk transactions kept for GET, counted by their individual transfers (whole
    /// bulks, oldest forgotten first; the latest one always stays).
    std::size_t keep_bulk_items = 10'000;
};

/// What the payer bank does with a payee's request to pay (POST /transactionRequests).
enum class request_policy : std::uint8_t
{
    accept,    ///< PUT ACCEPTED, then quote and transfer with the transactionRequestId
    reject,    ///< PUT REJECTED
    authorize, ///< PUT RECEIVED, GET /authorizations from the payee side, then accept or reject
};

/// "accept", "reject", "authorize"; and back (empty when unknown).
std::string_view to_string(request_policy p) noexcept;
std::optional<request_policy> request_policy_from_string(std::string_view s) noexcept;

struct transaction_requests_config
{
    request_policy policy = request_policy::accept; ///< payer side
    std::string otp = "1234";              ///< payee side: the OTP its customer enters (PUT /authorizations)
    /// How long either side waits for the other's answer (the payee for PUT
    /// /transactionRequests and its transfer, the payer for PUT /authorizations).
    std::chrono::milliseconds timeout{30'000};
};

/// FSPIOP-Signature (JWS): off by default (docs/dfsp.md, "JWS"). Onboarding registers the
/// signing key's public half with the switch (PUT /participants/{fsp_id}/jwsKey) and, with
/// `validate`, adds the hub's key (GET /participants/{hub_name}/jwsKey).
struct jws_config : fspiop::jws::settings
{
    std::string hub_name = "Hub"; ///< the switch's FSPIOP-Source
};

struct config
{
    std::string fsp_id;
    std::string currency;
    std::string ilp_secret;
    listen_config listen;
    switch_config switch_api;
    onboarding_config onboarding;
    payee_config payee;
    connector_config connector;
    transaction_requests_config transaction_requests;
    std::vector<account_config> accounts;
    std::vector<party_config> parties;
    std::vector<fault_rule> faults;
    jws_config jws;
    /// Seed of the actor's ids (quote, transfer ids); empty: from the OS. A scenario's run
    /// seed sets it (core::derive_seed) so two runs with one seed make the same ids.
    std::optional<std::uint64_t> id_seed;
};

/// A configuration problem; what() is "<source>:<line>:<column>: <message>".
using config_error = yaml::error;

/// Parse and check a DFSP description. `source` names it in errors (a file name).
config parse_config(std::string_view yaml, std::string const& source = "config");

/// Read a file and parse it.
config load_config(std::string const& path);

/// Parse one fault rule (from YAML or JSON text's node). Throws config_error.
fault_rule parse_fault_rule(YAML::Node const& node, std::string const& source);

/// Parse one fault rule from JSON or YAML text; the error message on failure.
struct fault_rule_result
{
    std::optional<fault_rule> rule;
    std::string error;
};
fault_rule_result parse_fault_rule_text(std::string_view text);

/// Parse a list of rules ([{...}, ...]) from JSON or YAML text.
struct fault_rules_result
{
    std::optional<std::vector<fault_rule>> rules;
    std::string error;
};
fault_rules_result parse_fault_rules_text(std::string_view text);

/// Checks shared by the YAML and the test API: empty when the party is usable, else why.
std::string check_party(party_config const& p);

} // namespace mojasim::dfsp
