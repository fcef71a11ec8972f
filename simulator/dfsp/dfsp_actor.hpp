// One DFSP simulator: a bank with accounts and customers that speaks FSPIOP v1.1 to the
// switch as the payee, and (when its connector is enabled, as for DFSP1) serves the Mojaloop
// connector's outbound API (sdk-scheme-adapter v2.1.0 POST/PUT/GET /transfers) as the payer.
//
// Listeners, all on the actor's executor:
//   FSPIOP     requests and callbacks from the switch (GET /parties, POST /quotes,
//              POST /transfers, PUT .../error, PATCH /transfers, PUT /participants, ...)
//   connector  the outbound API the Payment Hub calls (only when connector.enabled)
//   test       fault rules at run time, POST /repository/parties, balances (docs/dfsp.md)
//
//     asio::io_context ioc;
//     dfsp::dfsp_actor dfsp2(ioc, dfsp::load_config("scenarios/topology/dfsp2.yaml"));
//     dfsp2.start();
//     co_await dfsp2.onboard();      // Admin API + ALS registration of its parties
//
// State accessors (accounts(), faults(), ...) are for tests and tools: call them on the
// actor's executor, or while the io_context runs on the calling thread only.
#pragma once

#include "simulator/dfsp/bank.hpp"
#include "simulator/dfsp/config.hpp"
#include "simulator/dfsp/faults.hpp"
#include "simulator/net/awaitable.hpp"
#include "simulator/net/trace.hpp"

#include "simulator/core/clock.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mojasim::dfsp {

/// What onboard() did; `problems` is empty when everything succeeded.
struct onboard_report
{
    bool participant_created = false;     ///< POST /participants accepted (or it existed)
    std::size_t endpoints_registered = 0;
    bool limits_set = false;
    bool funds_recorded = false;
    std::size_t parties_registered = 0;   ///< ALS registrations confirmed by callback
    std::vector<std::string> problems;

    [[nodiscard]] bool ok() const noexcept { return problems.empty(); }
};

/// Counters of what the actor did, for tests, the CLI and benchmarks.
struct dfsp_stats
{
    // payee side
    std::uint64_t lookups_answered = 0;
    std::uint64_t quotes_answered = 0;
    std::uint64_t transfers_fulfilled = 0;   ///< fulfils sent with a credit
    std::uint64_t fulfils_sent = 0;          ///< fulfil callbacks sent (with or without a credit)
    std::uint64_t commits_confirmed = 0;     ///< credits the switch confirmed (PATCH or PUT copy)
    std::uint64_t transfers_refused = 0;     ///< PUT /transfers/{ID}/error sent
    std::uint64_t credits_reversed = 0;      ///< aborted by the switch after the credit
    std::uint64_t faults_fired = 0;
    // payer side (connector)
    std::uint64_t outbound_started = 0;
    std::uint64_t outbound_completed = 0;
    std::uint64_t outbound_failed = 0;
    std::uint64_t outbound_in_flight = 0;
    std::uint64_t bulk_started = 0;          ///< connector bulk transactions received
    std::uint64_t bulk_completed = 0;        ///< ... that reached COMPLETED
    std::uint64_t late_callbacks = 0;        ///< callbacks that found nobody waiting
    std::uint64_t unresolved = 0;            ///< transfers whose outcome is unknown (funds kept blocked)
    std::uint64_t connector_connections_accepted = 0; ///< connections the connector listener took in
    std::uint64_t connector_connections_open = 0;     ///< of which still open
    // requests to pay (POST /transactionRequests)
    std::uint64_t requests_sent = 0;         ///< payee: requests to pay sent to a payer
    std::uint64_t requests_accepted = 0;     ///< payer: answered ACCEPTED (and paid)
    std::uint64_t requests_rejected = 0;     ///< payer: answered REJECTED (or an error)
    // both
    std::uint64_t callbacks_failed = 0;      ///< sends that got no 2xx
    std::uint64_t signatures_refused = 0;    ///< sends refused with 3105 (invalid signature)
};

class dfsp_actor
{
public:
    /// The actor makes its own strand on `ioc`. `clock` must outlive the actor's state:
    /// the io_context's run (the system clock always does).
    dfsp_actor(net::asio::io_context& ioc, config cfg,
               core::clock const& clock = core::system_clock::instance());
    /// The actor runs on `ex`: a strand, or the executor of an io_context that one thread runs.
    dfsp_actor(net::executor ex, config cfg, core::clock const& clock = core::system_clock::instance());
    ~dfsp_actor();
    dfsp_actor(dfsp_actor const&) = delete;
    dfsp_actor& operator=(dfsp_actor const&) = delete;

    /// Bind the listeners and start serving. Throws boost::system::system_error when a port
    /// cannot be bound.
    void start();

    /// Stop listening and close client connections. Work in progress ends on its own.
    void stop();

    /// Register with the switch's Admin API (participant, limits, callback endpoints as
    /// templates pointing at this actor's FSPIOP listener, funds in) and then every party
    /// with the account lookup service. Needs switch.admin_url (and fspiop_url for the
    /// parties).
    net::awaitable<onboard_report> onboard();

    /// Only the ALS registration of every party (for a switch onboarded by other means).
    net::awaitable<onboard_report> register_parties();

    /// Add a customer (and its account when new) and register it with the ALS, waiting for
    /// the switch's callback. Returns an empty string on success, else what failed.
    net::awaitable<std::string> add_party(party_config party, decimal opening_balance = {});

    [[nodiscard]] std::string const& fsp_id() const noexcept;
    [[nodiscard]] config const& settings() const noexcept;
    /// "http://127.0.0.1:port" of each listener (empty when not listening).
    [[nodiscard]] std::string fspiop_url() const;
    [[nodiscard]] std::string connector_url() const;
    [[nodiscard]] std::string test_url() const;
    /// The base URL registered with the switch for callbacks.
    [[nodiscard]] std::string callback_url() const;

    /// The public half of the JWS signing key (empty when the DFSP does not sign). The key is
    /// made with the actor, so this is safe from any thread.
    [[nodiscard]] fspiop::jws::key jws_public_key() const;
    /// Trust `public_key` for messages whose FSPIOP-Source is `source` (the hub, a peer FSP).
    /// Call on the actor's executor, or before it runs.
    void add_jws_key(std::string const& source, fspiop::jws::key public_key);

    /// Point the actor at a switch after construction (tests with port 0 learn it late).
    void set_switch(switch_config s);

    [[nodiscard]] std::optional<account> find_account(std::string_view id) const;
    [[nodiscard]] std::vector<account> accounts() const;
    [[nodiscard]] std::optional<decimal> total_blocked() const;
    [[nodiscard]] std::size_t block_count() const;
    [[nodiscard]] dfsp_stats stats() const;
    /// Requests its listeners have read (safe from any thread).
    [[nodiscard]] std::uint64_t requests_served() const noexcept;
    [[nodiscard]] fault_set& faults();

    /// Trace every message this actor's listeners and client see.
    void set_trace(net::trace_sink sink);

    /// The actor's executor.
    [[nodiscard]] net::executor executor() const;
    /// Watches the actor's shared state: it expires once the actor is destroyed and the last
    /// request or task running for it has ended (the lifetime tests).
    [[nodiscard]] std::weak_ptr<void const> lifetime() const noexcept { return impl_; }

    struct impl; ///< defined in detail/actor_impl.hpp

private:
    std::shared_ptr<impl> impl_;
};

} // namespace mojasim::dfsp
