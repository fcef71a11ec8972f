// Attach mode: a scenario's batch and expectations against actors already running elsewhere,
// one process each (`serve switch`, two `serve dfsp`, `serve hub`), instead of a world of its
// own. The topology file is the JSON `serve --json` prints: the whole world's in one line,
// or one fragment per actor (`serve switch --json`, ...), merged in the order given.
//
// The scenario's world-shaping keys go through the actors' public APIs: beneficiaries become
// parties of their bank (the DFSP test API, which registers them with the ALS), fault rules are
// set through the test API (and removed at the end), net debit caps through the switch's Admin
// API. A key that attach cannot honour is refused by attach_refusals, naming the key.
#pragma once

#include "simulator/net/run.hpp"
#include "tools/scenario/actors.hpp"
#include "tools/scenario/scenario.hpp"

#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace mojasim::net {
class client;
}

namespace mojasim::scenario {

struct attached_bank
{
    std::string fsp;
    std::string role; ///< payer or payee
    std::string fspiop;
    std::string connector; ///< the payer's outbound API
    std::string test;      ///< the test API (parties, faults, accounts)
};

struct attached_topology
{
    std::string switch_fspiop;
    std::string switch_admin;
    std::string hub_name = "Hub";
    std::vector<attached_bank> dfsps;
    std::string hub_bulk; ///< the full upload URL (".../batchtransactions")
    std::string hub_ops;
    std::string tenant;
    std::string currency;
    std::string payer_fsp;
    std::string payer_msisdn;
    std::string payer_account;

    [[nodiscard]] attached_bank const* bank(std::string_view fsp) const noexcept;
};

/// Read and merge topology files; the error names the file and what is missing.
std::variant<attached_topology, std::string> load_topology(std::vector<std::string> const& files);
/// The same from JSON texts (one per file), `names` naming them in errors.
std::variant<attached_topology, std::string> parse_topology(std::vector<std::string> const& texts,
                                                            std::vector<std::string> const& names);

/// What in `sc` attach cannot honour against `t`: "file:line: key: why", one per key.
std::vector<std::string> attach_refusals(scenario const& sc, attached_topology const& t);

/// The actors of a topology, seen through their HTTP APIs from one thread of our own.
/// Figures that accumulate on long-running actors (positions, balances) are the change over
/// the run; blocked funds are read as they are.
class attached_world final : public actors
{
public:
    attached_world(attached_topology t, scenario const& sc);
    ~attached_world() override;

    void start() override;
    void stop() override;
    [[nodiscard]] net::executor client_executor() override { return pool_.front().get_executor(); }
    [[nodiscard]] openg2p::options openg2p_options() const override;
    [[nodiscard]] std::string url_of(std::string_view actor) const override;
    [[nodiscard]] std::string actor_at(std::string const& host_port) const override;
    net::awaitable<void> set_fault(std::string dfsp, std::string id, bool enabled) override;
    net::awaitable<std::map<std::string, core::decimal>> close_settlement_window_async() override;
    [[nodiscard]] std::optional<core::decimal> position(std::string const& fsp) override;
    [[nodiscard]] std::optional<core::decimal> balance(std::string const& fsp, std::string const& account) override;
    [[nodiscard]] std::optional<core::decimal> blocked(std::string const& fsp) override;
    [[nodiscard]] std::optional<dfsp::dfsp_stats> stats(std::string const& fsp) override;
    [[nodiscard]] std::vector<std::string> pending_payments() override;

    struct state; ///< what the coroutines share (defined in the .cpp)

private:
    attached_topology topology_;
    scenario const& scenario_;
    net::context_pool pool_;
    std::unique_ptr<state> state_;
    bool started_ = false;
};

} // namespace mojasim::scenario
