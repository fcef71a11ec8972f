// What a scenario's run needs from the actors it pays through: the world it starts itself
// (world.hpp), or actors already running elsewhere, one process each (attach.hpp). The
// runner sees only this.
#pragma once

#include "simulator/core/decimal.hpp"
#include "simulator/dfsp/dfsp_actor.hpp"
#include "simulator/net/awaitable.hpp"
#include "tools/openg2p/openg2p_client.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mojasim::scenario {

class actors
{
public:
    actors() = default;
    actors(actors const&) = delete;
    actors& operator=(actors const&) = delete;
    virtual ~actors() = default;

    /// Make the actors ready for the scenario. Throws std::runtime_error naming what failed.
    virtual void start() = 0;
    /// Leave them (stop a world; undo what a run added to attached actors). Idempotent.
    virtual void stop() = 0;

    /// Where OpenG2P's client and the scenario's steps run: a single-threaded io_context.
    [[nodiscard]] virtual net::executor client_executor() = 0;
    /// What OpenG2P needs to pay through the hub.
    [[nodiscard]] virtual openg2p::options openg2p_options() const = 0;
    /// The URL an `http` step names (switch, switch-admin, dfsp1, connector, hub, hub-ops).
    [[nodiscard]] virtual std::string url_of(std::string_view actor) const = 0;
    /// The actor listening at "host:port", or empty.
    [[nodiscard]] virtual std::string actor_at(std::string const& host_port) const = 0;

    /// Switch a bank's fault rule on or off (a `fault` step). Run on client_executor().
    virtual net::awaitable<void> set_fault(std::string dfsp, std::string id, bool enabled) = 0;
    /// Close the open settlement window; each participant's net figure in it.
    virtual net::awaitable<std::map<std::string, core::decimal>> close_settlement_window_async() = 0;

    // Figures, read from outside the actors' threads.
    [[nodiscard]] virtual std::optional<core::decimal> position(std::string const& fsp) = 0;
    [[nodiscard]] virtual std::optional<core::decimal> balance(std::string const& fsp, std::string const& account) = 0;
    [[nodiscard]] virtual std::optional<core::decimal> blocked(std::string const& fsp) = 0;
    /// A bank's counters (late callbacks, reversals, ...), or empty when unknown or not seen
    /// from outside (attached actors: `expect.counters` is refused before the run).
    [[nodiscard]] virtual std::optional<dfsp::dfsp_stats> stats(std::string const& fsp) = 0;
    /// The payee identifiers of the hub's payments that are not final yet, oldest batch first
    /// (empty when the hub runs elsewhere).
    [[nodiscard]] virtual std::vector<std::string> pending_payments() = 0;
};

} // namespace mojasim::scenario
