// A scenario: the world (DFSPs, beneficiaries, balances, limits, faults), what happens
// (OpenG2P sends a batch, a fault switches on, a settlement window closes, ...) and what must
// then be true. Loaded from YAML (docs/scenarios.md); every element keeps its file position so
// errors and failed expectations point at the line that said it.
#pragma once

#include "simulator/core/decimal.hpp"
#include "simulator/dfsp/faults.hpp"
#include "simulator/dfsp/fees.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace mojasim::scenario {

using core::decimal;
using std::chrono::milliseconds;

struct position
{
    int line = 0;   ///< 1-based
    int column = 0; ///< 1-based
};

struct payer_bank
{
    std::string fsp = "dfsp1";
    std::string tenant = "greenbank";
    std::string msisdn = "0413356886"; ///< the government's payer identifier
    std::string account = "treasury";
    decimal balance = decimal::from_units(100'000'000 * decimal::one); ///< core banking
    decimal liquidity = decimal::from_units(10'000'000 * decimal::one); ///< funds in at the switch
    decimal ndc = decimal::from_units(10'000'000 * decimal::one);       ///< net debit cap
    /// Its answer to a payee's request to pay: accept, reject or authorize (docs/dfsp.md).
    std::string transaction_requests = "accept";
};

struct payee_bank
{
    std::string fsp = "dfsp2";
    decimal liquidity = decimal::from_units(10'000'000 * decimal::one);
    decimal ndc = decimal::from_units(10'000'000 * decimal::one);
    dfsp::fee_rule fee;            ///< payee fee per transfer: fixed + percent, bounded
    bool reserved_fulfil = false;  ///< answer RESERVED and wait for the switch's PATCH
    position pos;
};

/// The account mapper of the world (docs/mapper.md): always there, seeded from the
/// beneficiaries; `lookup` puts the payer's tenant on PH-EE's account lookup flow.
struct mapper_settings
{
    bool lookup = false;               ///< the tenant's flow: bulk_processor_account_lookup
    std::string institution;           ///< X-Registering-Institution-ID; empty: the payer's tenant
    milliseconds timeout{10'000};      ///< the hub's wait for the mapper's callback
    bool lost_callbacks = false;       ///< the mapper takes batch lookups and never calls back
    bool reachable = true;             ///< false: the hub finds no mapper at its URL
};

/// Which of OpenG2P's payment managers the emulator acts as (docs/scenarios.md).
struct openg2p_settings
{
    std::string manager = "phee";      ///< phee (CSV upload), g2p_connect or interop
    std::string payee_mode = "phone";  ///< g2p_connect: phone, or reg_id (prefix + national id + suffix)
    std::string payee_prefix;          ///< empty: "phone:" (phone) / "token:" (reg_id)
    std::optional<std::string> payee_suffix; ///< unset: "" (phone) / "@nationalId" (reg_id)
    /// g2p_connect: polling (sync disburse, status cron) or on_disburse (async disburse with a
    /// sender_uri; reconciled from the hub's on-disburse callback).
    std::string reconcile = "polling";
};

struct topology
{
    std::string currency = "USD";
    std::string hub_name = "Hub";
    milliseconds expiry_sweep{100};
    milliseconds transfer_expiry{30'000};  ///< the connector's transfer expiration
    milliseconds connector_timeout{5'000}; ///< the connector's wait for each callback
    std::size_t hub_concurrency = 32;      ///< payments in flight at the hub
    bool hub_lenient = false;              ///< accept OpenG2P's default `Type: type`
    /// `bulk`: the hub's MOJALOOP payment mode is of type BULK (sub-batches through the
    /// connector's POST /bulkTransactions) instead of PAYMENT (one POST /transfers per row).
    bool hub_bulk = false;
    std::size_t hub_bulk_size = 1000;      ///< rows per sub-batch in bulk mode
    /// FSPIOP-Signature everywhere: the switch validates and signs, every bank signs and
    /// verifies; each actor makes its key at start and the world hands the public keys over.
    bool jws = false;
    payer_bank payer;
    std::vector<payee_bank> payees{payee_bank{}};
    mapper_settings mapper;
    openg2p_settings openg2p;
};

struct beneficiary
{
    std::string msisdn;
    std::string fsp;           ///< the payee bank holding the account ("dfsp2")
    std::string name = "Beneficiary";
    decimal amount = decimal::from_units(50 * decimal::one);
    bool registered = true;    ///< false: unknown to the account lookup service (3204)
    /// A functional id beside the account (a national id): OpenG2P's registry holds it instead
    /// of the MSISDN, and the account mapper maps it to the MSISDN at `fsp`.
    std::optional<std::string> national_id;
    bool mapped = true;        ///< false: the account mapper does not know it
    std::optional<std::string> request_id; ///< fixed CSV request_id (to make duplicates)
    position pos;
};

struct fault
{
    std::string dfsp = "dfsp2";
    dfsp::fault_rule rule;
    position pos;
};

// Steps ---------------------------------------------------------------------------------

struct send_batch
{
    std::vector<std::string> beneficiaries; ///< msisdns; empty: all
    std::string type_header = "csv";
};

struct wait_batch
{
    milliseconds timeout{30'000};
};

struct set_fault
{
    std::string dfsp;
    std::string id;
    bool enabled = true;
};

struct close_window
{
};

/// Let time pass (bounded by the scenario's timeout): for checks on messages that arrive
/// after the batch is final (late callbacks, reversals). `wait` is not a sleep.
struct sleep_step
{
    milliseconds duration{0};
};

/// The longest `sleep` a scenario may ask for.
inline constexpr milliseconds max_sleep{60'000};

/// A raw HTTP call to an actor, checked on its status (and body substring).
struct http_call
{
    std::string actor;  ///< switch, switch-admin, dfsp1, dfsp2, dfsp1-test, dfsp2-test, connector, hub, hub-ops, mapper
    std::string method = "GET";
    std::string path = "/";
    std::map<std::string, std::string> headers;
    std::string body;              ///< a mapping in the YAML is sent as JSON
    std::optional<unsigned> expect_status;
    std::string expect_body_contains;
};

struct step
{
    std::variant<send_batch, wait_batch, set_fault, close_window, http_call, sleep_step> what;
    position pos;
};

// Expectations ----------------------------------------------------------------------------

/// One checked value: `subject` names it (batch.successful, payment.0495000003.status,
/// position.dfsp1, balance.dfsp2.0495000001, messages.PUT /transfers, ...).
/// What an expectation reads, parsed once by the loader; the runner has one small evaluator
/// for each (runner.cpp).
namespace expect {
struct batch_value      { std::string field; };                    ///< batch.<field> of the summary
struct payment_value    { std::string who; std::string field; };   ///< verdict, status, error or reason of a payment
struct position_value   { std::string fsp; };                      ///< the switch's position of an FSP
struct blocked_value    { std::string fsp; };                      ///< funds a bank holds blocked
struct balance_value    { std::string fsp; std::string account; }; ///< a bank account's balance (both set)
struct settlement_value { std::string key; };                      ///< a settlement figure
struct counter_value    { std::string fsp; std::string name; };    ///< a bank's counter
struct upload_status    {};                                        ///< the hub's answer to the upload
struct message_count    { std::string from, to, method, path; };   ///< '*' matches anything; path by prefix
struct message_sequence { std::string who; std::vector<std::string> steps; }; ///< in order, others between
using target = std::variant<batch_value, payment_value, position_value, blocked_value, balance_value, settlement_value,
                            counter_value, upload_status, message_count, message_sequence>;
} // namespace expect

struct expectation
{
    std::string subject;  ///< as reports show it: "payment.0495000001.verdict", "messages a->b GET /x"
    std::string expected; ///< as written (a sequence's steps joined by " | ")
    position pos;
    expect::target what;
};

struct scenario
{
    std::string file;
    std::string name;
    std::string description;
    milliseconds timeout{60'000};
    std::optional<std::uint64_t> seed;
    std::vector<std::string> tags; ///< for `run --tags` / `--skip-tags`
    topology world;
    std::vector<beneficiary> beneficiaries;
    std::vector<fault> faults;
    std::vector<step> steps;
    std::vector<expectation> expectations;
};

struct load_error
{
    std::string file;
    position pos;
    std::string message;

    /// "file:line:column: message"
    [[nodiscard]] std::string to_string() const;
};

using load_result = std::variant<scenario, std::vector<load_error>>;

load_result load_file(std::string const& path);
load_result load_text(std::string const& text, std::string const& file);

/// The names a bank's counters go by in `expect.counters` ("late_callbacks", ...).
std::span<std::string_view const> counter_names() noexcept;

/// The scenario `mojasim demo` runs (scenarios/demo.yaml, built in): a small OpenG2P batch
/// with payments made, one beneficiary unknown and one rejected by the payee.
std::string_view demo_yaml() noexcept;


} // namespace mojasim::scenario
