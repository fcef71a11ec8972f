// The connector's bulk transaction (POST /bulkTransactions) as a state machine without I/O,
// in the shape of outbound_flow: events in (a request's answer: refused, timed out or its
// callback; a PUT /bulkTransactions/{id} acceptance), actions out (the requests to send).
//
// Phases, each over every individual transfer: lookup (GET /parties per transfer, at most
// connector.bulk_concurrency at a time; skipped with skipPartyLookup), party acceptance
// (unless autoAcceptParty), quotes (one POST /bulkQuotes per payee FSP and per
// connector.bulk_max_items transfers), quote acceptance (unless autoAcceptQuote, whose
// perTransferFeeLimits refuse a dearer quote), transfers (funds blocked per transfer, one
// POST /bulkTransfers per quoted group; each fulfilment books its funds, each error releases
// them; a bulk transfer not called back is asked for once with GET /bulkTransfers/{id}, then
// its items stay unresolved with their funds blocked). A transfer that fails leaves the
// others going. The bulk is COMPLETED when every transfer has its final result.
#pragma once

#include "simulator/connector/types.hpp"
#include "simulator/core/clock.hpp"
#include "simulator/core/ids.hpp"
#include "simulator/dfsp/bank.hpp"
#include "simulator/dfsp/config.hpp"
#include "simulator/dfsp/detail/outbound.hpp"
#include "simulator/fspiop/types.hpp"
#include "simulator/net/message.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace mojasim::dfsp::detail {

/// One individual transfer of a bulk transaction.
struct bulk_item
{
    std::string transfer_id;
    connector::bulk_individual_transfer request;
    outbound_stage stage = outbound_stage::lookup;
    std::optional<connector::transfer_status> state; ///< none while being processed
    fspiop::party payee;                  ///< from the lookup (or the request when skipped)
    std::string payee_fsp;
    std::string quote_id;
    std::optional<fspiop::individual_quote_result> quote;
    std::string fulfilment;
    std::optional<connector::transfer_error> last_error;
    bool funds_blocked = false;
    bool unresolved = false;              ///< prepared, outcome unknown: funds stay blocked
};

/// A group of at most bulk_max_items transfers to one payee FSP: one bulk quote, one bulk transfer.
struct bulk_group
{
    std::string payee_fsp;
    std::vector<std::size_t> items;       ///< indexes into bulk_transaction::items
    std::string bulk_quote_id;
    std::string bulk_transfer_id;
    std::vector<std::size_t> prepared;    ///< the items sent in the bulk transfer
    bool status_asked = false;
};

struct bulk_transaction
{
    connector::bulk_transaction_request request;
    std::string payer_account;
    std::vector<bulk_item> items;
    std::vector<bulk_group> groups;
    connector::bulk_transaction_state state = connector::bulk_transaction_state::processing;
};

/// The answer to one request of the flow.
struct refused
{
    std::optional<net::response> ack; ///< the switch's refusal, or none: unreachable
};
struct timed_out
{
};
using bulk_answer = std::variant<refused, timed_out, callback>;

class bulk_flow
{
public:
    enum class step : std::uint8_t
    {
        lookup,        ///< GET /parties for item `index`: PUT /parties/... by party key
        bulk_quote,    ///< POST /bulkQuotes for group `index`: PUT /bulkQuotes/{id}
        bulk_transfer, ///< POST /bulkTransfers for group `index`: PUT /bulkTransfers/{id}
        bulk_status,   ///< GET /bulkTransfers/{id} for group `index`: PUT /bulkTransfers/{id}
    };
    struct send
    {
        step what;
        std::size_t index;
        net::method method;
        std::string resource;    ///< "parties", "bulkQuotes", "bulkTransfers"
        std::string path;
        std::string destination; ///< FSPIOP-Destination, empty for none
        std::string body;
        std::string waiter_key;  ///< party key, bulkQuoteId or bulkTransferId
        std::chrono::milliseconds timeout;
    };

    bulk_flow(bulk_transaction& b, bank& money, std::string payer_fsp, connector_config const& o,
              core::id_generator& ids, core::clock const& clock);

    /// Begin: the first lookups (or quotes when every lookup is skipped).
    std::vector<send> start();
    /// The outcome of a request sent: a refusal, no callback in time, or the callback.
    std::vector<send> on_answer(step what, std::size_t index, bulk_answer answer);
    /// PUT /bulkTransactions/{id}: empty when taken (then `out` holds what to send), else why not.
    std::string on_accept(connector::bulk_transaction_continuation const& c, std::vector<send>& out);

    /// Requests sent and not yet answered.
    [[nodiscard]] std::size_t in_flight() const noexcept { return in_flight_; }
    /// True once the bulk is COMPLETED or waits for an acceptance (the caller can be answered).
    [[nodiscard]] bool stopped() const noexcept;

private:
    void fail(bulk_item& it, std::int32_t http, std::optional<connector::error_information> info);
    void fail_refused(bulk_item& it, refused const& r);
    std::vector<send> next_lookups();
    std::vector<send> after_lookups();
    std::vector<send> quotes();
    std::vector<send> after_quotes();
    std::vector<send> transfers();
    void lookup_answered(bulk_item& it, callback const& cb);
    void quote_answered(bulk_group& g, callback const& cb);
    bool transfer_answered(bulk_group& g, callback const& cb);
    void finish_if_done();
    bool fee_acceptable(fspiop::individual_quote_result const& q) const;

    bulk_transaction& b_;
    bank& money_;
    std::string payer_fsp_;
    connector_config const& o_;
    core::id_generator& ids_;
    core::clock const& clock_;
    std::size_t next_lookup_ = 0;
    std::size_t in_flight_ = 0;
    std::size_t groups_waiting_ = 0;
    std::chrono::milliseconds transfer_timeout_{0};
};

/// The response body of a bulk transaction: its state and every transfer's result.
connector::bulk_transaction_response response_of(bulk_transaction const& b);

} // namespace mojasim::dfsp::detail
