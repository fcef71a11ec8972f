// A world: the switch, the payer bank (DFSP1, with its Mojaloop connector), the payee banks
// and the Payment Hub, each an actor on one of the world's io_contexts (one per thread), talking real HTTP on
// 127.0.0.1. `mojasim serve`, `demo`, `run` and `bench e2e` all stand on it.
#pragma once

#include "simulator/core/decimal.hpp"
#include "simulator/net/awaitable.hpp"
#include "simulator/net/run.hpp"
#include "simulator/net/trace.hpp"
#include "tools/openg2p/openg2p_client.hpp"
#include "tools/scenario/actors.hpp"
#include "tools/scenario/scenario.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <future>
#include <optional>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mojasim::central {
class switch_actor;
}
namespace mojasim::dfsp {
class dfsp_actor;
struct dfsp_stats;
}
namespace mojasim::hub {
class payment_hub;
}
namespace mojasim::mapper {
class mapper_actor;
}

namespace mojasim::scenario {

struct world_options
{
    std::string host = "127.0.0.1";
    bool default_ports = false;       ///< true: the documented ports (serve); false: free ports
    std::size_t threads = 2;          ///< io_context threads
    net::trace_sink trace;            ///< sees every HTTP message of every actor, when set
    net::trace_sink hub_trace;        ///< the hub's messages only (when `trace` is not set)
    std::size_t hub_max_file_bytes = 0; ///< 0: the hub's default
    /// How long every listener waits for the rest of a request once it has begun; 0: each
    /// actor's default (30 s). Tests of slow clients make it short.
    std::chrono::milliseconds read_timeout{0};
    /// The run's seed: each actor's ids come from a generator of its own seeded from it
    /// (core::derive_seed with the actor's name). Empty: ids from the OS.
    std::optional<std::uint64_t> seed;
};

/// The documented default ports of `mojasim serve`.
struct default_ports
{
    static constexpr std::uint16_t switch_fspiop = 4000;
    static constexpr std::uint16_t switch_admin = 4001;
    static constexpr std::uint16_t payer_fspiop = 4100;
    static constexpr std::uint16_t connector = 4101;
    static constexpr std::uint16_t payer_test = 4102;
    static constexpr std::uint16_t payee_fspiop = 4200; ///< +10 for each further payee bank
    static constexpr std::uint16_t payee_test = 4202;
    static constexpr std::uint16_t hub_bulk = 5000;
    static constexpr std::uint16_t hub_ops = 5001;
    static constexpr std::uint16_t mapper = 5200;
};

class world final : public actors
{
public:
    world(topology t, std::vector<beneficiary> beneficiaries, std::vector<fault> faults, world_options opts);
    ~world() override;
    world(world const&) = delete;
    world& operator=(world const&) = delete;

    /// Start every actor and onboard the banks (Admin API, ALS registration of every
    /// registered beneficiary). Throws std::runtime_error naming what failed.
    void start() override;

    /// Stop every actor and join the threads. Idempotent.
    void stop() override;

    /// The io_context of the hub (and the switch), run by one thread: OpenG2P's client may use
    /// its executor directly.
    [[nodiscard]] net::asio::io_context& ioc() noexcept { return pool_.front(); }
    [[nodiscard]] net::executor client_executor() override { return pool_.front().get_executor(); }
    [[nodiscard]] topology const& settings() const noexcept { return topology_; }

    central::switch_actor& switch_actor() noexcept { return *switch_; }
    dfsp::dfsp_actor& payer() noexcept { return *payer_; }
    /// A bank by fspId (payer or payee), or null.
    dfsp::dfsp_actor* bank(std::string_view fsp) noexcept;
    /// Requests every listener of the world has read (safe from any thread): benchmarks count
    /// HTTP exchanges with it.
    [[nodiscard]] std::uint64_t requests_served() const noexcept;
    hub::payment_hub& hub() noexcept { return *hub_; }
    /// The account mapper (both faces on one listener).
    mapper::mapper_actor& account_mapper() noexcept { return *mapper_; }
    [[nodiscard]] std::string mapper_url() const;

    /// Base URLs.
    [[nodiscard]] std::string switch_fspiop_url() const;
    [[nodiscard]] std::string switch_admin_url() const;
    [[nodiscard]] std::string connector_url() const;
    [[nodiscard]] std::string hub_bulk_url() const;
    [[nodiscard]] std::string hub_ops_url() const;
    /// What OpenG2P needs to pay through this world's hub: the bulk and operations URLs, the
    /// payer's tenant and account.
    [[nodiscard]] openg2p::options openg2p_options() const override;
    /// The URL an `http` step of a scenario names (switch, switch-admin, dfsp1, ...).
    [[nodiscard]] std::string url_of(std::string_view actor) const override;

    /// The actor listening at "host:port": openg2p, hub, dfsp1, switch, dfsp2, ...
    [[nodiscard]] std::string actor_at(std::string const& host_port) const override;

    /// One line of JSON describing the running topology (serve --json).
    [[nodiscard]] std::string describe_json() const;
    /// Lines for people: each actor and its endpoints.
    [[nodiscard]] std::string describe_text() const;

    /// Run `f` on `ex` (an actor's executor) and wait for its result. Call from a thread that
    /// is not one of the world's threads.
    template <typename F>
    auto on(net::executor ex, F f) -> decltype(f())
    {
        return net::asio::post(ex, std::packaged_task<decltype(f())()>(std::move(f))).get();
    }

    // Figures read on the actors' executors (call from outside the world's threads).
    [[nodiscard]] std::optional<core::decimal> position(std::string const& fsp) override;
    [[nodiscard]] std::optional<core::decimal> balance(std::string const& fsp, std::string const& account) override;
    [[nodiscard]] std::optional<core::decimal> blocked(std::string const& fsp) override;
    [[nodiscard]] std::optional<dfsp::dfsp_stats> stats(std::string const& fsp) override;
    [[nodiscard]] std::vector<std::string> pending_payments() override;
    /// Close the open settlement window (on the switch's executor); the net figure of each
    /// participant in the closed window.
    net::awaitable<std::map<std::string, core::decimal>> close_settlement_window_async() override;
    /// Switch a bank's fault rule on or off, on the bank's executor.
    net::awaitable<void> set_fault(std::string dfsp, std::string id, bool enabled) override;

private:
    topology topology_;
    std::vector<beneficiary> beneficiaries_;
    std::vector<fault> faults_;
    world_options opts_;
    /// The io_context of the payer bank (0) or the payee bank i + 1.
    net::asio::io_context& ioc_for(std::size_t bank_index) noexcept;

    net::context_pool pool_;
    std::unique_ptr<central::switch_actor> switch_;
    std::unique_ptr<dfsp::dfsp_actor> payer_;
    std::vector<std::unique_ptr<dfsp::dfsp_actor>> payees_;
    std::unique_ptr<hub::payment_hub> hub_;
    std::unique_ptr<mapper::mapper_actor> mapper_;
    bool started_ = false;
};

} // namespace mojasim::scenario
