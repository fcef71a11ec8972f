// The Mojaloop switch as one actor: an FSPIOP listener (account lookup with its oracle,
// quotes, transfers with the ledger, expiry) and an Admin listener (central-ledger, ALS
// and settlement admin APIs), on its own executor, calling FSPs back through a kept-alive
// connection pool. Behaviour on the wire follows the real hub (fspiop.md §2, §3, §7).
//
//     boost::asio::io_context ioc;
//     central::switch_actor hub(ioc, {.fspiop_port = 0, .admin_port = 0});
//     auto ports = hub.start();          // bound and accepting
//     ioc.run();                         // until hub.stop() and the work drains
#pragma once

#include "simulator/central/config.hpp"
#include "simulator/central/hub_context.hpp"
#include "simulator/core/clock.hpp"
#include "simulator/ledger/quote_book.hpp"
#include "simulator/net/trace.hpp"

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace mojasim::central {

class admin_service;
class als_service;
class quotes_service;
class transfers_service;

/// The ports the listeners got (the real ones when 0 was asked for).
struct switch_ports
{
    std::uint16_t fspiop = 0;
    std::uint16_t admin = 0;
};

class switch_actor
{
public:
    /// The actor runs on a strand of `ioc`; `clock` (for expiry and timestamps) must
    /// outlive the actor's state: the io_context's run (the system clock always does).
    switch_actor(boost::asio::io_context& ioc, switch_config cfg,
                 core::clock const& clock = core::system_clock::instance());
    /// The actor runs on `ex`: a strand, or the executor of an io_context that one thread runs.
    switch_actor(net::executor ex, switch_config cfg, core::clock const& clock = core::system_clock::instance());
    ~switch_actor();
    switch_actor(switch_actor const&) = delete;
    switch_actor& operator=(switch_actor const&) = delete;

    /// Bind both listeners, start accepting and start the expiry sweeper. Throws
    /// boost::system::system_error when an address cannot be bound.
    switch_ports start();

    /// Stop accepting, let requests in progress finish, stop the sweeper and close the
    /// callback pool. Safe from any thread. The destructor stops the actor too, and may run
    /// at any time: requests and callbacks in progress keep the actor's state until they
    /// end (docs/engineering.md, "Lifetime").
    void stop();

    /// See every HTTP message both listeners and the callback client handle.
    void set_trace(net::trace_sink sink);

    [[nodiscard]] switch_config const& config() const noexcept;
    /// "http://127.0.0.1:4000" (valid after start()).
    [[nodiscard]] std::string fspiop_url() const;
    [[nodiscard]] std::string admin_url() const;
    /// Requests both listeners have read (safe from any thread).
    [[nodiscard]] std::uint64_t requests_served() const noexcept;

    // ---- Reading the state (tests, scenarios). Call on the actor's executor, or while no
    // other thread runs the io_context.

    [[nodiscard]] ledger::participant_registry const& participants() const noexcept;
    [[nodiscard]] ledger::transfer_book const& transfers() const noexcept;
    [[nodiscard]] ledger::settlement_book const& settlement() const noexcept;
    [[nodiscard]] builtin_oracle const& oracle() const noexcept;
    /// The bulk quoting service's memory.
    [[nodiscard]] ledger::quote_book const& bulk_quotes() const noexcept;
    /// The bulk transfers (their items are in transfers()).
    [[nodiscard]] ledger::bulk_book const& bulk_transfers() const noexcept;
    [[nodiscard]] callback_stats const& callbacks() const noexcept;
    /// The POSITION of an FSP in a currency.
    [[nodiscard]] std::optional<core::decimal> position(std::string_view fsp, std::string_view currency) const;
    /// The internal state of a transfer (to_api() gives what FSPs see).
    [[nodiscard]] std::optional<ledger::transfer_state> transfer_state(std::string_view id) const;


    /// The actor's executor.
    [[nodiscard]] net::executor executor() const noexcept;

    /// Watches the actor's shared state: it expires once the actor is destroyed and the last
    /// request or task running for it has ended (the lifetime tests).
    [[nodiscard]] std::weak_ptr<void const> lifetime() const noexcept { return p_; }

private:
    struct parts;
    std::shared_ptr<parts> p_;
};

} // namespace mojasim::central
