// The OpenG2P payment manager (g2p_payment_phee), as far as the wire is concerned: it builds
// the batch CSV exactly as OpenG2P does (payment-hub.md §2: columns, CRLF, Python float amounts
// such as "50.0", max_batch_size), uploads it as multipart part "data" with OpenG2P's headers,
// then polls PH-EE's operations API and reconciles each payment as working deployments do
// (§2.5: COMPLETED => paid; FAILED, EXCEPTION, REJECTED, ABORTED => failed). As the other
// managers it speaks G2P Connect (sync disburse and status polling as 15.0 does, or the async
// API with its own on-disburse listener) and OpenG2P's interoperability layer.
#pragma once

#include "simulator/core/decimal.hpp"
#include "simulator/core/ids.hpp"
#include "simulator/net/client.hpp"
#include "simulator/net/trace.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace mojasim::openg2p {

struct payment
{
    enum class state : std::uint8_t { issued, sent, reconciled };
    enum class status : std::uint8_t { none, paid, failed };

    std::string name;              ///< uuid4: the CSV request_id
    std::string payee_id_type;     ///< the CSV label, e.g. "PHONE" (payee_id_type_to_send)
    std::string payee_identifier;  ///< e.g. the beneficiary's MSISDN (or its national id)
    std::string phone;             ///< the beneficiary's phone (G2P Connect phone mode)
    core::decimal amount;
    std::string currency = "USD";
    state st = state::issued;
    status result = status::none;
    std::string batch_id;          ///< PH-EE's batch id, from PollingPath
    std::string detail_status;     ///< the hub's status string, as last read
    std::string error;             ///< the hub's errorInformation, when failed
    std::string reason_code;       ///< G2P Connect: the entry's status_reason_code (rjct.*), when failed
    std::string error_code;        ///< G2P Connect: the FSPIOP code leading status_reason_message, if any
};

struct options
{
    std::string payment_endpoint_url;  ///< POST target, used verbatim ("http://127.0.0.1:5000/batchtransactions")
    std::string operations_url;        ///< ops base ("http://127.0.0.1:5000"): /api/v1/batch/...
    std::string tenant_id = "greenbank";
    std::string payment_mode = "MOJALOOP";
    std::string payer_id_type = "msisdn";
    std::string payer_id = "0413356886";
    std::string batch_type_header = "csv"; ///< OpenG2P's default is the literal "type"
    std::string batch_purpose_header = "G2P Payment";
    std::string file_name_prefix = "ph_ee_";
    std::size_t max_batch_size = 500;
    std::string note = "Program: Demo Program. Cycle ID - Demo Program Cycle 1";
    std::chrono::milliseconds request_timeout{10'000}; ///< batch_request_timeout
    std::size_t detail_page_size = 1000;

    /// Which OpenG2P payment manager this is: "phee" (g2p_payment_phee, the CSV upload),
    /// "g2p_connect" (15.0's g2p_payment_g2p_connect) or "interop" (g2p_payment_interop_layer).
    std::string manager = "phee";
    std::string g2p_disburse_url;   ///< g2p_connect: payment_endpoint_url (".../disburse/sync/disburse")
    std::string g2p_status_url;     ///< g2p_connect: status_endpoint_url (".../disburse/sync/txn/status")
    std::string g2p_payee_mode = "phone"; ///< "phone" or "reg_id" (payee_fa = prefix + reg id + suffix)
    std::string g2p_payee_prefix = "phone:";
    std::string g2p_payee_suffix;
    /// g2p_connect: how payments are reconciled. "polling" (15.0's status cron on
    /// g2p_status_url after a sync disburse) or "on_disburse" (the async API: POST
    /// g2p_async_disburse_url with header.sender_uri naming a listener of the emulator's own,
    /// then each payment's final status from the hub's POST {sender_uri}/on-disburse, or from
    /// a /disburse/txn/on-status it gets).
    std::string g2p_reconcile = "polling";
    std::string g2p_async_disburse_url; ///< g2p_connect on_disburse: ".../disburse"
    std::string interop_url;        ///< interop: payment_endpoint_url
};

/// One payment's status as a G2P Connect answer or callback gives it (an entry of
/// disbursements_status or txn_status).
struct g2p_outcome
{
    std::string reference_id;
    std::string status;         ///< rcvd, pdng, succ, rjct (or anything the sender wrote)
    std::string reason_code;    ///< status_reason_code; empty when null or absent
    std::string reason_message; ///< status_reason_message; empty when null or absent
};

/// What a G2P Connect callback to the emulator says.
struct g2p_callback
{
    std::string action;         ///< header.action ("on-disburse", "on-status")
    std::string status;         ///< header.status (succ, rjct, ...)
    std::string transaction_id; ///< message.transaction_id
    std::vector<g2p_outcome> entries;
};

/// Read the body of POST {sender_uri}/on-disburse (message.disbursements_status[]) or of
/// POST {sender_uri}/disburse/txn/on-status (message.txnstatus_response.txn_status: a list,
/// null items skipped, or a DisburseResponse object; null: no entries). nullopt, with `error`
/// saying why, when it is not such an envelope: not JSON, header or message missing or not an
/// object, neither entry list present, an entry that is not an object or has no reference_id.
std::optional<g2p_callback> read_g2p_callback(std::string_view body, std::string& error);

/// The FSPIOP error code leading a status_reason_message ("3204 Party not found" -> "3204"),
/// or empty.
std::string leading_error_code(std::string_view reason_message);

/// Apply an outcome to its payment as OpenG2P does: succ => paid, rjct => failed (with the
/// reason code and message); other statuses only update detail_status. A payment already
/// reconciled is left alone. True when the payment became final.
bool apply_g2p_outcome(payment& p, g2p_outcome const& o);

/// Python's repr of a float for our amounts: "50.0", "12.5", "0.25".
std::string python_float(core::decimal amount);

/// The CSV OpenG2P uploads for these payments (ids 0..n-1, CRLF, minimal quoting).
std::string build_csv(options const& opts, std::span<payment const* const> payments);

/// The multipart/form-data body with one part "data" (no part Content-Type, as Python's
/// requests sends a 2-tuple file).
std::string build_multipart(std::string_view boundary, std::string_view filename, std::string_view csv);

struct batch_summary
{
    std::string batch_id;
    std::string status;
    std::int64_t total = 0;
    std::int64_t successful = 0;
    std::int64_t failed = 0;
    std::int64_t ongoing = 0;
    std::string body; ///< the JSON as received
};

class client
{
public:
    client(net::executor ex, options opts, core::id_generator& ids);
    ~client();
    client(client const&) = delete;
    client& operator=(client const&) = delete;

    /// Send every issued payment of `payments` (the caller's own, updated in place),
    /// max_batch_size rows per POST. Payments of a batch the hub
    /// accepted become `sent` with its batch id; on any failure they stay `issued` (OpenG2P
    /// retries on the next "Send Payments"). Returns the batch ids, or the first error text.
    net::awaitable<std::vector<std::string>> send_payments(std::vector<payment*> payments, std::string& error);

    /// GET /api/v1/batch/{id} with Platform-TenantId.
    net::awaitable<std::optional<batch_summary>> summary(std::string batch_id);

    /// Poll the summary until nothing is ongoing (or `limit` passes); true when settled.
    /// `progress`, when set, sees every summary read.
    net::awaitable<bool> wait_until_done(std::string batch_id, std::chrono::milliseconds limit,
                                         std::chrono::milliseconds interval = std::chrono::milliseconds(20),
                                         std::function<void(batch_summary const&)> progress = {});

    /// Reconcile the batch's payments as the manager does: PH-EE's /api/v1/batch/detail page by
    /// page (phee), txn status with the unpaid payments' names until none is pending or
    /// `limit` passes (g2p_connect), nothing left to do (interop: its POST answered it).
    /// Returns how many payments became final.
    net::awaitable<std::size_t> reconcile(std::string batch_id, std::span<payment> payments,
                                          std::chrono::milliseconds limit = std::chrono::milliseconds(30'000));

    /// g2p_connect on_disburse: the payments are reconciled by the hub's callbacks, not by
    /// polling.
    [[nodiscard]] bool reconciles_by_callback() const noexcept;

    /// g2p_connect on_disburse: wait until every payment of the batch has a final status from
    /// the hub's callbacks (each callback wakes the wait: no polling), or `limit` passes. True
    /// when all have one. Run on the client's executor.
    net::awaitable<bool> wait_for_callbacks(std::string batch_id, std::span<payment const> payments,
                                            std::chrono::milliseconds limit);

    /// Payments sent through the async API that have no final status from a callback yet
    /// (readable from any thread).
    [[nodiscard]] std::size_t awaiting_callbacks() const noexcept { return awaiting_->load(); }

    /// The callback listener's base URL, the disburse's sender_uri ("http://127.0.0.1:PORT");
    /// empty until the first async disburse started it.
    [[nodiscard]] std::string listener_url() const { return listener_url_; }

    /// Stop the callback listener and forget the payments it was reconciling: callbacks after
    /// this change nothing. Run on the client's executor (before the payments are read from
    /// another thread). Idempotent.
    void close_listener();

    /// Trace the client's requests and the listener's (like every actor's).
    void set_trace(net::trace_sink sink);

    net::client& http() noexcept { return http_; }

    /// The Type header of the next uploads (OpenG2P's batch_type_header).
    void set_type_header(std::string value) { opts_.batch_type_header = std::move(value); }
    /// HTTP status of the last upload (0 when it got no answer).
    [[nodiscard]] unsigned last_upload_status() const noexcept { return last_upload_status_; }

private:
    net::request make_request(net::method m) const;
    /// One batch's POST for the G2P Connect and interop managers; the hub's batch id found
    /// by the batch's name in /api/v1/batches (every ingress lands in PH-EE's store).
    net::awaitable<std::string> send_other(std::span<payment* const> rows, std::string& error);
    net::awaitable<std::string> hub_batch_of(std::string name);
    net::awaitable<std::size_t> reconcile_phee(std::string batch_id, std::span<payment> payments);
    net::awaitable<std::size_t> reconcile_g2p(std::string batch_id, std::span<payment> payments,
                                              std::chrono::milliseconds limit);

    /// Start the callback listener on 127.0.0.1, port 0, once.
    void ensure_listener();

    struct listener; ///< the listener's state: routes, server, payments awaited, the wake-up timer

    options opts_;
    core::id_generator& ids_;
    unsigned last_upload_status_ = 0;
    net::executor ex_;
    net::client http_;
    net::trace_sink trace_;
    std::shared_ptr<listener> listener_;
    std::string listener_url_;
    /// Shared with the listener, which counts down as callbacks come.
    std::shared_ptr<std::atomic<std::size_t>> awaiting_ = std::make_shared<std::atomic<std::size_t>>(0);
};

} // namespace mojasim::openg2p
