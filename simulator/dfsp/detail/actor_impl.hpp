// The inside of dfsp_actor, shared by its translation units:
//   dfsp_actor.cpp      construction, listeners, FSPIOP sending, onboarding
//   payee_flows.cpp     the payee: parties, quotes, transfers, notifications
//   connector_flows.cpp the payer: the connector's outbound API and its callbacks
//   request_flows.cpp   requests to pay: the payee asks, the payer answers and pays
//   test_api.cpp        faults, repository, balances
//
// Everything here runs on the actor's executor. Coroutines hold a shared_ptr to the impl, so
// it lives as long as any of them, even after the dfsp_actor handle is gone.
#pragma once

#include "simulator/connector/types.hpp"
#include "simulator/dfsp/detail/bulk_outbound.hpp"
#include "simulator/dfsp/detail/outbound.hpp"
#include "simulator/core/ids.hpp"
#include "simulator/dfsp/dfsp_actor.hpp"
#include "simulator/dfsp/payee.hpp"
#include "simulator/fspiop/headers.hpp"
#include "simulator/fspiop/types.hpp"
#include "simulator/net/client.hpp"
#include "simulator/net/one_shot.hpp"
#include "simulator/net/router.hpp"
#include "simulator/net/server.hpp"

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>
#include <spdlog/logger.h>

#include <chrono>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace mojasim::dfsp {

namespace detail {

using waiter = net::one_shot<callback>;

/// The payee's view of a transfer it was asked to fulfil.
enum class inbound_state : std::uint8_t
{
    refused,    ///< answered with an error
    silent,     ///< not answered (fault), or answered with a broken body
    credited,   ///< fulfil sent, beneficiary credited
    committed,  ///< the switch confirmed (PATCH COMMITTED or PUT copy)
    reversed,   ///< the switch aborted after the credit: credit taken back
};

struct inbound_transfer
{
    inbound_state state = inbound_state::silent;
    bool aborted = false;        ///< the switch reported an abort (possibly before we answered)
    std::string account;
    decimal credit;
    decimal fee;
    // The answer, to repeat it when the same prepare comes again.
    std::string answer_body;
    bool answer_error = false;
    std::string payer_fsp;
};

/// A bulk transaction of the connector: its state, its flow, the synchronous callers waiting.
struct bulk_run
{
    bulk_transaction b;
    std::unique_ptr<bulk_flow> flow;
    std::vector<net::one_shot<bool>*> stop_waiters;
    bool counted = false;
};

/// A bulk quote or bulk transfer the payee answered.
struct inbound_bulk
{
    std::string answer_body;         ///< the callback sent (empty: none was, a fault)
    bool answer_error = false;       ///< sent on .../error
    std::string payer_fsp;
    std::vector<std::string> transfer_ids; ///< a bulk transfer's items credited here
};

/// Keys remembered oldest first, each with a weight (a bulk's items): the oldest are forgotten,
/// whole, while the weight kept passes a bound, and the newest always stays. Counting bulks
/// rather than their items would keep a million-row batch (1,000 bulks) whole.
class weighted_order
{
public:
    void add(std::string key, std::size_t weight)
    {
        kept_ += weight;
        order_.push_back({std::move(key), weight});
    }
    /// Calls `forget(key)` for each key dropped.
    template <class Forget>
    void keep_within(std::size_t bound, Forget forget)
    {
        while(order_.size() > 1 && kept_ > bound)
        {
            kept_ -= order_.front().weight;
            forget(order_.front().key);
            order_.pop_front();
        }
    }

private:
    struct entry
    {
        std::string key;
        std::size_t weight;
    };
    std::deque<entry> order_;
    std::size_t kept_ = 0;
};

/// Unregisters a waiter from a multi-waiter map when the wait ends (or the frame dies).
class multi_registration
{
public:
    multi_registration(std::unordered_map<std::string, std::vector<waiter*>>& map, std::string key, waiter* w);
    ~multi_registration();
    multi_registration(multi_registration const&) = delete;
    multi_registration& operator=(multi_registration const&) = delete;

private:
    std::unordered_map<std::string, std::vector<waiter*>>& map_;
    std::string key_;
    waiter* w_;
};

/// The same for a map with one waiter per key.
class single_registration
{
public:
    single_registration(std::unordered_map<std::string, waiter*>& map, std::string key, waiter* w);
    ~single_registration();
    single_registration(single_registration const&) = delete;
    single_registration& operator=(single_registration const&) = delete;

    [[nodiscard]] bool registered() const noexcept { return registered_; }

private:
    std::unordered_map<std::string, waiter*>& map_;
    std::string key_;
    waiter* w_;
    bool registered_ = false;
};

/// Header fields of a request as the SDK echoes them (lowercase names).
connector::header_list echo_headers(net::headers const& h);


} // namespace detail

struct dfsp_actor::impl : std::enable_shared_from_this<dfsp_actor::impl>
{
    using self_ptr = std::shared_ptr<impl>;

    impl(net::executor e, config c, core::clock const& clk);

    net::executor ex; ///< the actor's: its handlers never run in parallel
    config cfg;
    core::clock const& clock;
    std::shared_ptr<spdlog::logger> log;
    core::id_generator ids;

    bank money;
    party_directory parties;
    quote_memory quotes;
    fault_set faults;
    payee_settings payee;
    dfsp_stats counters;
    /// When the actor was made: GET /health reports it and the uptime since.
    std::chrono::system_clock::time_point made_at = std::chrono::system_clock::now();

    net::router fspiop_routes;
    net::router connector_routes;
    net::router test_routes;
    std::unique_ptr<net::server> fspiop_server;
    std::unique_ptr<net::server> connector_server;
    std::unique_ptr<net::server> test_server;
    std::unique_ptr<net::client> client;
    net::trace_sink trace;

    // payee side
    std::unordered_map<std::string, detail::inbound_transfer> inbound;
    std::deque<std::string> inbound_order;
    /// Bulk quotes and bulk transfers answered (their answer, to repeat it: a bulk quote's is
    /// about 1.5 KB per item), oldest forgotten once their items pass payee.quote_memory.
    std::unordered_map<std::string, detail::inbound_bulk> inbound_bulks;
    detail::weighted_order inbound_bulk_order;
    // payer side: the bulk callbacks waited for (bulk_flows.cpp)
    std::unordered_map<std::string, detail::waiter*> bulk_quote_waiters;
    std::unordered_map<std::string, detail::waiter*> bulk_transfer_waiters;
    /// The connector's bulk transactions by bulkTransactionId; completed ones are forgotten,
    /// oldest first, once their items pass connector.keep_bulk_items.
    std::unordered_map<std::string, std::shared_ptr<detail::bulk_run>> bulks;
    detail::weighted_order bulk_done;

    // payer side: who waits for which callback
    std::unordered_map<std::string, std::vector<detail::waiter*>> party_waiters;
    std::unordered_map<std::string, std::vector<detail::waiter*>> participant_waiters;
    std::unordered_map<std::string, detail::waiter*> quote_waiters;
    std::unordered_map<std::string, detail::waiter*> transfer_waiters;
    std::unordered_map<std::string, std::shared_ptr<detail::outbound_transfer>> outbound;
    std::deque<std::string> finished_order;
    // requests to pay (request_flows.cpp): the payee waits for PUT /transactionRequests/{ID}
    // and then for the inbound transfer's end; the payer for PUT /authorizations/{ID}.
    std::unordered_map<std::string, detail::waiter*> request_waiters;
    std::unordered_map<std::string, detail::waiter*> authorization_waiters;
    std::unordered_map<std::string, detail::waiter*> inbound_watchers;
    std::unordered_set<std::string> requests_open;       ///< payee: requests to pay awaiting their answer
    std::unordered_set<std::string> authorizations_open; ///< payer: authorizations asked for
    std::unordered_map<std::string, detail::callback> pending_request_answers;
    std::unordered_map<std::string, detail::callback> pending_authorizations;

    bool started = false;

    // ---- dfsp_actor.cpp
    void install_routes();
    [[nodiscard]] std::string callback_base() const;

    /// An FSPIOP message from this DFSP: Accept (requests only), Content-Type, Date,
    /// FSPIOP-Source, FSPIOP-Destination (when not empty).
    [[nodiscard]] net::request fspiop_message(net::method m, std::string_view resource, std::string_view destination,
                                              std::string body, fspiop::version v = {1, 1}) const;

    /// The synchronous answer to a request whose headers fail the hub's checks; nullopt
    /// when they pass (then `negotiated` holds the version to answer with).
    std::optional<net::response> check_headers(net::request const& req, bool is_request,
                                               fspiop::version& negotiated) const;

    /// With jws.validate: the FSPIOP-Signature of a message with a body from a sender whose
    /// public key the DFSP holds (400 with 3105 when missing or invalid).
    std::optional<net::response> check_signature(net::request const& req) const;

    /// Sign an FSPIOP message of this DFSP going to `url` (FSPIOP-URI, FSPIOP-HTTP-Method
    /// and FSPIOP-Signature); `forge`: sign another body, so that the signature fails.
    void sign(std::string_view url, net::request& req, bool forge) const;

    /// Remember an inbound transfer, forgetting the oldest beyond capacity.
    detail::inbound_transfer& remember_inbound(std::string const& transfer_id);

    /// Mark an outbound transfer finished and forget the oldest finished ones beyond
    /// connector.keep_finished.
    void finished(std::string const& transfer_id);
};

using impl_ptr = std::shared_ptr<dfsp_actor::impl>;

/// A route handler of the actor: `fn` runs with the impl shared (the session serving the
/// request already holds it through the server's routes).
using handler_fn = net::awaitable<net::response> (*)(impl_ptr, net::request);
net::router::handler bind(dfsp_actor::impl* p, handler_fn fn);

// ---- dfsp_actor.cpp: sending
/// How send_to sends and logs.
struct send_mode
{
    /// Safe to send again when the outcome is unknown (FSPIOP requests are: the switch and the
    /// payee de-duplicate by id and body hash); the Admin API's writes are not.
    bool idempotent = true;
    /// A fault rule shaped this message (a broken body, a late callback the world may refuse):
    /// its failure is logged at info, not as a warning.
    bool asked_for = false;
    /// The forged_signature fault: an FSPIOP-Signature that does not verify.
    bool forge_signature = false;
};

/// Send and log a failure; the response, or empty when it failed at the transport level.
net::awaitable<std::optional<net::response>> send_to(impl_ptr self, std::string url, net::request req,
                                                     send_mode mode = {});

// ---- payee_flows.cpp
net::awaitable<net::response> on_get_parties(impl_ptr self, net::request req);
net::awaitable<net::response> on_post_quotes(impl_ptr self, net::request req);
net::awaitable<net::response> on_post_transfers(impl_ptr self, net::request req);
net::awaitable<net::response> on_patch_transfers(impl_ptr self, net::request req);

// ---- connector_flows.cpp: callbacks to the payer side
net::awaitable<net::response> on_put_parties(impl_ptr self, net::request req);
net::awaitable<net::response> on_put_participants(impl_ptr self, net::request req);
net::awaitable<net::response> on_put_quotes(impl_ptr self, net::request req);
net::awaitable<net::response> on_put_transfers(impl_ptr self, net::request req);
// the outbound API
net::awaitable<net::response> on_connector_post_transfers(impl_ptr self, net::request req);
net::awaitable<net::response> on_connector_put_transfers(impl_ptr self, net::request req);
net::awaitable<net::response> on_connector_get_transfers(impl_ptr self, net::request req);
// ---- connector_bulk_flows.cpp: the bulk outbound API
net::awaitable<net::response> on_connector_post_bulk_transactions(impl_ptr self, net::request req);
net::awaitable<net::response> on_connector_put_bulk_transactions(impl_ptr self, net::request req);
net::awaitable<net::response> on_connector_get_bulk_transactions(impl_ptr self, net::request req);
/// Run an outbound transfer prepared by the bank itself (a request to pay it accepted) from
/// lookup or quote to its end, counted like the connector's.
net::awaitable<void> run_outbound(impl_ptr self, std::shared_ptr<detail::outbound_transfer> t);
/// ALS registration of one party: empty on success, else what failed.
net::awaitable<std::string> register_with_als(impl_ptr self, party_config party);

// ---- payee_flows.cpp: fault rules and credits, shared with payee_bulk_flows.cpp
/// The errorInformation a fault rule's `error` asks for (the step's default code when the
/// rule's is unusable), and the same as a callback body.
fspiop::error_information fault_error_info(fault_rule const& rule, fault_step at);
std::string fault_error_body(fault_rule const& rule, fault_step at);
/// Wait the rule's delay, if any.
net::awaitable<void> pause_if(std::optional<fault_rule> const& rule);
/// Send a callback as the rule says: not at all, with a broken body, twice, with a forged
/// signature. The answer to the (first) message, empty when none was sent or it failed.
net::awaitable<std::optional<net::response>> send_callback(impl_ptr self, std::string url, net::request req,
                                                           std::optional<fault_rule> rule);
/// The rule that fires for `s` (counted and logged), if any.
std::optional<fault_rule> match_fault(dfsp_actor::impl& self, fault_subject const& s);
/// Whether the beneficiary and the fee account can take an accepted transfer's credit.
bool can_credit(dfsp_actor::impl const& self, transfer_acceptance const& a);
/// Credit an inbound transfer (checked by can_credit), and take a credit back.
void credit(dfsp_actor::impl& self, detail::inbound_transfer& rec);
void reverse(dfsp_actor::impl& self, detail::inbound_transfer& rec);

// ---- payee_bulk_flows.cpp: /bulkQuotes and /bulkTransfers, payee and payer callbacks
net::awaitable<net::response> on_post_bulk_quotes(impl_ptr self, net::request req);
net::awaitable<net::response> on_post_bulk_transfers(impl_ptr self, net::request req);
net::awaitable<net::response> on_put_bulk_quotes(impl_ptr self, net::request req);
net::awaitable<net::response> on_put_bulk_transfers(impl_ptr self, net::request req);

// ---- payee_flows.cpp: what the payee does when the switch reports a transfer's end
/// `committed` false: aborted (reverse the credit if any). True when the id was an inbound one.
bool settle_inbound(dfsp_actor::impl& self, std::string const& transfer_id, bool committed);

// ---- request_flows.cpp: requests to pay (payee side, payer side)
net::awaitable<net::response> on_post_transaction_requests(impl_ptr self, net::request req);
net::awaitable<net::response> on_put_transaction_requests(impl_ptr self, net::request req);
net::awaitable<net::response> on_get_authorizations(impl_ptr self, net::request req);
net::awaitable<net::response> on_put_authorizations(impl_ptr self, net::request req);
/// The test API's POST /transactionRequests: this bank (the payee's) asks the payer to pay.
net::awaitable<net::response> on_test_request_to_pay(impl_ptr self, net::request req);
/// A payee waiting for its request's transfer hears that the transfer has ended here.
void notify_inbound_watcher(dfsp_actor::impl& self, std::string const& transfer_id);

// ---- test_api.cpp
void install_test_routes(dfsp_actor::impl& self);
/// A test API answer: {"message": text} with `status`.
net::response test_message(unsigned status, std::string_view text);
/// A test API body: a JSON object whose members are all in `members` (none is dropped
/// unread); else the 400 to answer.
boost::system::result<boost::json::object, net::response> test_body(std::string_view body,
                                                                    std::span<std::string_view const> members);

} // namespace mojasim::dfsp
