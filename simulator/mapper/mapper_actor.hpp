// The account mapper actor: one store (store.hpp) behind two wire faces on one listener —
// PH-EE's identity-account-mapper at the root (/beneficiary, /paymentModality,
// /accountLookup, /beneficiaries, …) and G2P Connect's mapper as SPAR serves it under
// /mapper (/mapper/link, /mapper/sync/resolve, …). The paths do not overlap, so one port
// serves both (docs/mapper.md).
//
// Lifetime as every actor (docs/engineering.md): mapper_actor is a handle to a shared state;
// sessions hold it through their routes, callbacks in flight through net::spawn.
#pragma once

#include "simulator/core/clock.hpp"
#include "simulator/core/ids.hpp"
#include "simulator/mapper/store.hpp"
#include "simulator/net/awaitable.hpp"
#include "simulator/net/client.hpp"
#include "simulator/net/router.hpp"
#include "simulator/net/server.hpp"
#include "simulator/net/trace.hpp"

#include <spdlog/logger.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mojasim::mapper {

struct mapper_config
{
    std::string host = "127.0.0.1";
    std::uint16_t port = 5200;  ///< 0: any free port
    std::string name = "mapper"; ///< actor name in logs and traces
    /// PH-EE's isExternalLookup: GET /beneficiary answers 202 and calls back (true), or
    /// answers 200 at once (false).
    bool external_lookup = true;
    /// The account validator's verdict (`isValidated`; PH-EE asks the payee's AMS, mojasim
    /// does not): true when the lookup's paymentModality is a known code or name.
    bool validate_accounts = true;
    /// Fault: take POST /accountLookup (202) and never call back (a lost callback).
    bool lose_batch_callbacks = false;
    /// G2P Connect: header.sender_id of answers, and where callbacks go when a request has
    /// no sender_uri (SPAR's callback_sender_id and default_callback_url).
    std::string g2p_sender_id = "spar.dev.openg2p.net";
    std::string g2p_default_callback_url;
    std::chrono::milliseconds callback_timeout{10'000}; ///< SPAR's default_callback_timeout
    std::chrono::milliseconds read_timeout{30'000};
    /// A batch lookup of 100,000 payees is about 10 MB.
    std::size_t body_limit = 64 * 1024 * 1024;
    std::vector<entry> seed;                ///< entries at start (the scenario's beneficiaries)
    std::optional<std::uint64_t> id_seed;   ///< seed of the ids it makes; empty: from the OS
};

/// The mapper's state, shared by its handle and whatever runs for it.
class mapper_state : public std::enable_shared_from_this<mapper_state>
{
public:
    mapper_state(net::executor ex, mapper_config cfg, core::clock const& clock);
    ~mapper_state();
    mapper_state(mapper_state const&) = delete;
    mapper_state& operator=(mapper_state const&) = delete;

    void make_server();
    /// Bind (throws boost::system::system_error when the port is taken) and serve.
    void start();
    void stop();

    [[nodiscard]] std::uint16_t port() const noexcept;
    [[nodiscard]] std::string url() const;
    [[nodiscard]] mapper_config const& config() const noexcept { return cfg_; }
    void set_trace(net::trace_sink sink);
    /// Read and change on the actor's executor only.
    [[nodiscard]] mapper::store& entries() noexcept { return store_; }
    /// Callbacks sent and answered (safe from any thread).
    [[nodiscard]] std::uint64_t callbacks_sent() const noexcept { return callbacks_sent_.load(); }
    [[nodiscard]] std::uint64_t requests_served() const noexcept;
    void set_lose_batch_callbacks(bool lose) noexcept { cfg_.lose_batch_callbacks = lose; }

private:
    // PH-EE face.
    net::awaitable<net::response> on_register(net::request req);
    net::awaitable<net::response> on_update(net::request req);
    net::awaitable<net::response> on_add_modality(net::request req);
    net::awaitable<net::response> on_update_modality(net::request req);
    net::awaitable<net::response> on_lookup(net::request req);
    net::awaitable<net::response> on_batch_lookup(net::request req);
    net::awaitable<net::response> on_fetch_one(net::request req);
    net::awaitable<net::response> on_fetch_page(net::request req);
    net::awaitable<net::response> on_own_callback(net::request req);
    net::awaitable<net::response> write(net::request req, int op, bool check_request_id);
    // G2P Connect face.
    net::awaitable<net::response> on_g2p(net::request req, std::string action, bool sync);
    net::awaitable<net::response> on_ping(net::request req);
    net::awaitable<net::response> on_als_participants(net::request req);
    net::awaitable<net::response> on_health(net::request req);

    net::response spring_error(unsigned status, net::request const& req) const;
    void call_back(std::string url, net::method m, std::string body);
    net::awaitable<void> send_callback(std::string url, net::method m, std::string body);

    net::executor ex_;
    mapper_config cfg_;
    core::clock const& clock_;
    std::shared_ptr<spdlog::logger> log_;
    core::id_generator ids_;
    mapper::store store_;
    net::router routes_;
    std::unique_ptr<net::server> server_;
    net::client client_;
    std::atomic<std::uint64_t> callbacks_sent_{0};
    std::chrono::system_clock::time_point made_ = std::chrono::system_clock::now();
};

class mapper_actor
{
public:
    mapper_actor(net::executor ex, mapper_config cfg, core::clock const& clock = core::system_clock::instance());
    ~mapper_actor();
    mapper_actor(mapper_actor const&) = delete;
    mapper_actor& operator=(mapper_actor const&) = delete;

    void start() { s_->start(); }
    void stop() { s_->stop(); }
    [[nodiscard]] std::uint16_t port() const noexcept { return s_->port(); }
    [[nodiscard]] std::string url() const { return s_->url(); } ///< "http://127.0.0.1:5200"
    [[nodiscard]] mapper_config const& config() const noexcept { return s_->config(); }
    void set_trace(net::trace_sink sink) { s_->set_trace(std::move(sink)); }
    /// The store: read and change it on the actor's executor only.
    [[nodiscard]] mapper::store& entries() noexcept { return s_->entries(); }
    [[nodiscard]] std::uint64_t callbacks_sent() const noexcept { return s_->callbacks_sent(); }
    [[nodiscard]] std::uint64_t requests_served() const noexcept { return s_->requests_served(); }
    /// Lose (or stop losing) batch lookup callbacks; on the actor's executor.
    void set_lose_batch_callbacks(bool lose) noexcept { s_->set_lose_batch_callbacks(lose); }
    [[nodiscard]] std::weak_ptr<void const> lifetime() const noexcept { return s_; }

private:
    std::shared_ptr<mapper_state> s_;
};

} // namespace mojasim::mapper
