// The operator's API, on its own listener: central-ledger's Admin API (participants,
// accounts, limits, endpoints, funds in and out, positions, settlement models), the ALS
// admin API (oracles) and central-settlement's windows and settlements, with the real
// shapes and status codes (fspiop.md §7.8, §7.10). Errors carry errorInformation with the
// hub's HTTP statuses: 3xxx 400, 2xxx 500, 1xxx 503.
#pragma once

#include "simulator/admin/admin_api.hpp"
#include "simulator/central/hub_context.hpp"
#include "simulator/core/json_writer.hpp"
#include "simulator/net/router.hpp"

namespace mojasim::central {

class admin_service
{
public:
    explicit admin_service(hub_context& ctx);

    void add_routes(net::router& r);

    // central-ledger
    net::response get_health(net::request const& req);
    net::response get_participants(net::request const& req);
    net::response post_participants(net::request const& req);
    net::response get_participant(net::request const& req);
    net::response put_jws_key(net::request const& req);
    net::response get_jws_key(net::request const& req);
    net::response put_participant(net::request const& req);
    net::response post_hub_account(net::request const& req);
    net::response get_accounts(net::request const& req);
    net::response put_account(net::request const& req);
    net::response post_funds(net::request const& req);
    net::response put_funds(net::request const& req);
    net::response post_endpoint(net::request const& req);
    net::response get_endpoints(net::request const& req);
    net::response post_initial_position_and_limits(net::request const& req);
    net::response get_limits(net::request const& req);
    net::response get_all_limits(net::request const& req);
    net::response put_limits(net::request const& req);
    net::response get_positions(net::request const& req);
    net::response post_settlement_model(net::request const& req);
    net::response get_settlement_models(net::request const& req);
    // ALS admin
    net::response post_oracle(net::request const& req);
    net::response get_oracles(net::request const& req);
    net::response delete_oracle(net::request const& req);
    // central-settlement
    net::response get_settlement_windows(net::request const& req);
    net::response get_settlement_window(net::request const& req);
    net::response post_settlement_window(net::request const& req);
    net::response post_settlement(net::request const& req);
    net::response get_settlements(net::request const& req);
    net::response get_settlement(net::request const& req);
    net::response put_settlement(net::request const& req);

private:
    using handler = net::response (admin_service::*)(net::request const&);
    net::awaitable<net::response> run(handler h, net::request req);
    void route(net::router& r, net::method m, std::string_view pattern, handler h);

    /// The JSON of one participant, settlement window or settlement, as the real services
    /// show it alone or in lists.
    void write(core::json_writer& o, ledger::participant const& p) const;
    void write(core::json_writer& o, ledger::settlement_window const& w) const;
    void write(core::json_writer& o, ledger::settlement const& s) const;

    /// One entity as the whole answer.
    template <class T>
    [[nodiscard]] net::response entity(unsigned status, T const& x) const
    {
        core::json_writer o;
        write(o, x);
        return net::make_response(status, std::move(o).finish());
    }
    /// POST .../accounts/{id} (put false) and PUT .../accounts/{id}/transfers/{transferId}.
    net::response funds(net::request const& req, bool put);

    hub_context& ctx_;
};

} // namespace mojasim::central
