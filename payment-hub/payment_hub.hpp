// The Payment Hub actor: PH-EE's bulk API (POST /batchtransactions), one payment per row
// through the tenant's Mojaloop connector (POST /transfers on DFSP1's outbound API), the
// operations API that reports status, and progress callbacks to X-CallbackURL.
//
// Two listeners, as PH-EE's bulk processor and operations app are two services. Everything
// runs on the executor given (a strand, or a single-threaded io_context's): handlers,
// workers and callbacks share no locks.
// The upload is answered 202 as soon as its checks pass; payments run in `max_in_flight`
// workers that take rows batch by batch, oldest batch first.
//
// Lifetime: payment_hub is a handle to a shared state; stop() (or the destructor) winds
// the hub down (listeners close, workers end, exchanges in flight abort), and the state
// lives until the last task running for it has ended.
#pragma once

#include "payment-hub/batch.hpp"
#include "payment-hub/config.hpp"
#include "payment-hub/g2p_connect.hpp"
#include "payment-hub/ops_json.hpp"
#include "payment-hub/payment_outcome.hpp"
#include "simulator/core/clock.hpp"
#include "simulator/core/ids.hpp"
#include "simulator/net/awaitable.hpp"
#include "simulator/net/client.hpp"
#include "simulator/net/one_shot.hpp"
#include "simulator/net/router.hpp"
#include "simulator/net/server.hpp"
#include "simulator/net/trace.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/system/result.hpp>
#include <spdlog/logger.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace mojasim::hub {

/// The hub's state: shared by its handle (payment_hub) and by whatever runs for it on the
/// io_context (sessions hold it through the routes, workers and callback senders through
/// shared_from_this), so the handle may be destroyed at any time.
class hub_state : public std::enable_shared_from_this<hub_state>
{
public:
    hub_state(net::executor ex, hub_config cfg, core::clock const& clock);
    ~hub_state();
    hub_state(hub_state const&) = delete;
    hub_state& operator=(hub_state const&) = delete;

    /// Make the listeners (after construction: their routes point into the shared state).
    void make_servers();

    /// Bind both listeners (throws boost::system::system_error when a port is taken), then
    /// start serving and paying.
    void start();

    /// Stop listening and paying. Safe from any thread.
    void stop();

    [[nodiscard]] std::uint16_t bulk_port() const noexcept;
    [[nodiscard]] std::uint16_t ops_port() const noexcept;
    [[nodiscard]] std::string bulk_url() const; ///< "http://127.0.0.1:5000"
    [[nodiscard]] std::string ops_url() const;  ///< "http://127.0.0.1:5001"
    [[nodiscard]] hub_config const& config() const noexcept { return cfg_; }

    /// Every HTTP message the hub receives or sends (both listeners and the client).
    void set_trace(net::trace_sink sink);

    /// The batches. Read them on the hub's executor only.
    [[nodiscard]] batch_store const& store() const noexcept { return store_; }
    /// Payments being sent to a connector now.
    [[nodiscard]] std::size_t in_flight() const noexcept { return in_flight_; }
    /// Sub-batches of BULK modes being paid through a connector now.
    [[nodiscard]] std::size_t bulk_in_flight() const noexcept { return bulk_in_flight_; }
    /// Requests both listeners have read (safe from any thread).
    [[nodiscard]] std::uint64_t requests_served() const noexcept;
    /// Batches whose progress callbacks are still being sent or retried.
    [[nodiscard]] std::size_t callback_senders() const noexcept { return callbacks_.size(); }
    /// Batches waiting for the account mapper's callback.
    [[nodiscard]] std::size_t lookups_waiting() const noexcept { return lookups_.size(); }

private:
    struct job
    {
        batch* b = nullptr;
        std::size_t row = 0;
    };
    /// A sub-batch of a BULK mode: rows of one batch with the same payer, in order.
    struct bulk_job
    {
        batch* b = nullptr;
        std::vector<std::size_t> rows;
    };

    // Bulk API.
    net::awaitable<net::response> on_upload(net::request req);

    /// Store a new batch made from an accepted upload (every ingress) and start paying it.
    /// `entries`: a G2P Connect batch's entries as the client gave them (one per row).
    /// `pay_now` false: the caller activates the batch later (after the account lookup).
    batch& admit(batch_info info, accepted_upload const& upload, batch_rules const& rules,
                 std::vector<client_entry> entries = {}, bool pay_now = true);
    /// A batch has no row left in progress: G2P Connect's on-disburse, interop waiters.
    void batch_finished(batch& b);

    // G2P Connect's disburse API and OpenG2P's interoperability layer (ingress.cpp).
    net::awaitable<net::response> on_disburse(net::request req, bool sync);
    net::awaitable<net::response> on_txn_status(net::request req, bool sync);
    net::awaitable<net::response> on_interop(net::request req);
    /// The batch of a decoded disburse request (null when no tenant can pay it).
    batch* admit_disburse(g2p::disburse_request const& r, std::string correlation_id);
    /// Resolve the rows whose payee_fa holds an id through the mapper (one sync resolve per
    /// row, as GCTB's translate_id_to_fa does), rewrite them to the FA found, then pay.
    net::awaitable<void> resolve_ids(batch* b, std::vector<std::size_t> rows, std::string mapper_url);
    /// The mapper G2P Connect ids are resolved at; empty: none.
    [[nodiscard]] std::string ingress_mapper_url() const;
    std::vector<g2p::entry_status> entry_statuses(batch const& b, std::string_view pending) const;
    g2p::txn_status status_of(g2p::status_request const& r) const;
    g2p::callback_header answer_header(g2p::header const& h, std::string action) const;

    // Operations API.
    net::awaitable<net::response> on_token(net::request req);
    net::awaitable<net::response> on_batch_aggregate(net::request req);
    net::awaitable<net::response> on_batch_stored(net::request req);
    net::awaitable<net::response> on_batch_detail(net::request req);
    net::awaitable<net::response> on_batch_transactions(net::request req);
    net::awaitable<net::response> on_batches(net::request req);
    net::awaitable<net::response> on_file(net::request req);
    /// GET /health on both listeners: each tenant's connector is a dependency.
    net::awaitable<net::response> on_health(net::request req);

    /// The tenant of an ops request (header or ?tenantIdentifier=), or the error answer:
    /// 500 without a known tenant, 401 without a valid token when auth is on.
    std::optional<net::response> check_ops_request(net::request const& req, std::string& tenant) const;
    net::response spring_error(unsigned status, net::request const& req) const;
    /// The tenant's batch named by ?batchId= (`b` null when there is none), or the error
    /// answer: check_ops_request's, or 400 without a batchId.
    struct batch_query
    {
        std::string id;
        batch const* b = nullptr;
    };
    boost::system::result<batch_query, net::response> batch_of_query(net::request const& req) const;
    std::string file_url_prefix() const;
    /// GET /api/v1/batch/{id} or /api/v1/batch?batchId=: the BatchDTO, or 404 text.
    net::response batch_summary(std::string const& tenant, std::optional<std::string> const& id,
                                summary_kind kind) const;

    // Payments.
    net::awaitable<void> worker();
    std::optional<job> next_job();
    net::awaitable<void> pay(job j);
    // Sub-batches of BULK modes (bulk_flow.hpp).
    net::awaitable<void> bulk_worker();
    std::optional<bulk_job> next_bulk_job();
    net::awaitable<void> pay_bulk(bulk_job j);
    std::string bulk_request_body(bulk_job const& j, std::string const& bulk_id) const;
    /// One exchange with the connector, read as a payment outcome.
    net::awaitable<payment_outcome> exchange(net::request r, std::string url);
    void settled(batch& b);

    // PH-EE's bulk_processor_account_lookup flow (account_lookup.hpp): ask the mapper, wait
    // for its callback (PUT /batchAccountLookupCallback on the bulk listener), then pay.
    net::awaitable<void> look_up(batch* b, tenant_config t, std::string institution);
    net::awaitable<net::response> on_lookup_callback(net::request req);
    void activate(batch& b);

    // Progress callbacks.
    void queue_callback(batch const& b, int rate);
    /// POST `body` to `url` after the batch's earlier callbacks, tried callback_max_tries times.
    void queue_post(batch const& b, std::string url, std::string body);
    /// The same for posts of their own (`key` names their sender).
    void queue_post(std::string key, std::string url, std::string body);
    net::awaitable<void> send_callbacks(std::string key);

    net::executor ex_;
    hub_config cfg_;
    core::clock const& clock_;
    std::shared_ptr<spdlog::logger> log_;
    core::id_generator ids_;
    net::router bulk_routes_;
    net::router ops_routes_;
    std::unique_ptr<net::server> bulk_server_;
    std::unique_ptr<net::server> ops_server_;
    net::client client_;
    batch_store store_;
    std::deque<batch*> active_;       ///< batches with rows not yet sent, oldest first
    std::deque<batch*> bulk_active_;  ///< batches with BULK rows not yet sent, oldest first
    boost::asio::steady_timer wake_;  ///< idle workers wait on it; cancel() wakes them
    std::size_t in_flight_ = 0;
    std::size_t bulk_in_flight_ = 0;
    std::uint64_t next_sequence_ = 1;
    std::uint64_t next_workflow_key_ = 2251799813685249ULL; ///< Zeebe-like instance keys
    /// Per batch, while sending: (url, body) in order.
    std::unordered_map<std::string, std::deque<std::pair<std::string, std::string>>> callbacks_;
    /// Interop-layer requests waiting for their batch to finish, by batch key.
    std::unordered_map<std::string, std::shared_ptr<net::one_shot<bool>>> finish_waiters_;
    /// Account lookups waiting for the mapper's callback, by requestID.
    std::unordered_map<std::string, std::shared_ptr<net::one_shot<std::string>>> lookups_;
    std::unordered_set<std::string> tokens_;
    std::deque<std::string> token_order_;
    bool started_ = false;
    bool stopping_ = false;
    std::chrono::system_clock::time_point made_ = std::chrono::system_clock::now();
};

/// The Payment Hub actor's handle. Destroying it stops the hub; exchanges in progress end
/// with the state still alive (docs/engineering.md, "Lifetime").
class payment_hub
{
public:
    payment_hub(net::executor ex, hub_config cfg, core::clock const& clock = core::system_clock::instance());
    ~payment_hub();
    payment_hub(payment_hub const&) = delete;
    payment_hub& operator=(payment_hub const&) = delete;

    /// Bind both listeners (throws boost::system::system_error when a port is taken), then
    /// start serving and paying.
    void start() { s_->start(); }
    /// Stop listening and paying. Safe from any thread.
    void stop() { s_->stop(); }

    [[nodiscard]] std::uint16_t bulk_port() const noexcept { return s_->bulk_port(); }
    [[nodiscard]] std::uint16_t ops_port() const noexcept { return s_->ops_port(); }
    [[nodiscard]] std::string bulk_url() const { return s_->bulk_url(); } ///< "http://127.0.0.1:5000"
    [[nodiscard]] std::string ops_url() const { return s_->ops_url(); }   ///< "http://127.0.0.1:5001"
    [[nodiscard]] hub_config const& config() const noexcept { return s_->config(); }
    /// Every HTTP message the hub receives or sends (both listeners and the client).
    void set_trace(net::trace_sink sink) { s_->set_trace(std::move(sink)); }
    /// The batches. Read them on the hub's executor only.
    [[nodiscard]] batch_store const& store() const noexcept { return s_->store(); }
    /// Payments being sent to a connector now.
    [[nodiscard]] std::size_t in_flight() const noexcept { return s_->in_flight(); }
    /// Sub-batches of BULK modes in flight now.
    [[nodiscard]] std::size_t bulk_in_flight() const noexcept { return s_->bulk_in_flight(); }
    /// Requests both listeners have read (safe from any thread).
    [[nodiscard]] std::uint64_t requests_served() const noexcept { return s_->requests_served(); }
    /// Batches whose progress callbacks are still being sent or retried.
    [[nodiscard]] std::size_t callback_senders() const noexcept { return s_->callback_senders(); }
    /// Batches waiting for the account mapper's callback.
    [[nodiscard]] std::size_t lookups_waiting() const noexcept { return s_->lookups_waiting(); }
    /// Watches the shared state: it expires once the hub is destroyed and the last request
    /// or task running for it has ended (the lifetime tests).
    [[nodiscard]] std::weak_ptr<void const> lifetime() const noexcept { return s_; }

private:
    std::shared_ptr<hub_state> s_;
};

} // namespace mojasim::hub
