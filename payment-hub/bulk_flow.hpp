// One sub-batch of a BULK payment mode through the payer DFSP's connector, as a state machine
// without I/O (the shape of payment_flow.hpp): it takes each answer and returns the next
// action; hub_state::pay_bulk is the loop that carries actions out over HTTP and timers.
//
// The wire is the SDK scheme adapter's outbound bulk API
// (spec/sdk-scheme-adapter-outbound-v2_1_0-openapi3-snippets.yaml):
//   POST /bulkTransactions            bulkTransactionRequest; 202 and no body
//   GET  /bulkTransactions/{id}       the bulk transaction: currentState, individualTransferResults
//   PUT  /bulkTransactions/{id}       {individualTransfers:[{transferId, acceptParty|acceptQuote}]}
// The hub names the bulkTransactionId, so unlike POST /transfers a lost answer to the POST
// is asked about with GET, never re-sent.
//
// The rule: POST; a POST that surely did not arrive is re-sent after retry_delay, up to
// max_attempts; one that may have arrived, or was accepted, is followed by GETs, poll_delay
// apart and doubling up to max_poll_delay, until the bulk transaction is final or the waits
// add up to `timeout`; a connector waiting for acceptance gets a PUT accepting every item
// still in play (twice at most: party, then quote); a refused POST fails every item with
// its error. The result is one outcome per row, in the sub-batch's order.
#pragma once

#include "simulator/connector/types.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mojasim::hub {

/// One individual transfer's result in a bulk transaction.
struct bulk_item_result
{
    std::string home_transaction_id; ///< the row's request_id
    std::string transfer_id;         ///< the connector's (switch's) transferId, when known
    std::string payee_fsp;           ///< the payee DFSP the lookup found, when known
    bool completed = false;
    std::string error_code;          ///< FSPIOP code when failed
    std::string error_description;
};

/// GET /bulkTransactions/{id}, read.
struct bulk_status
{
    enum class phase : unsigned char
    {
        pending,      ///< still working (or not known yet): ask again later
        accept_party, ///< waiting for PUT acceptParty
        accept_quote, ///< waiting for PUT acceptQuote
        finished,     ///< COMPLETED, ERROR_OCCURRED or ABORTED: the items are the result
        malformed,    ///< a 200 whose body cannot be read: ask again, it counts as no answer
    };
    phase what = phase::pending;
    std::string current_state;
    std::vector<bulk_item_result> items;
    std::string error_code;          ///< a bulk-level error (lastError / errorInformation)
    std::string error_description;
};

/// Read a GET /bulkTransactions/{id} answer. 404 is `pending` (the POST may still be on its
/// way); any other non-200 is `malformed`.
bulk_status interpret_bulk_status(unsigned status, std::string_view body);

/// The connector's answer to POST /bulkTransactions.
struct bulk_post_answer
{
    enum class kind : unsigned char
    {
        accepted,    ///< 2xx
        refused,     ///< an error answer: every item fails with error_code
        not_arrived, ///< the request surely did not reach the connector: may be re-sent
        unknown,     ///< it may have arrived (lost answer, timeout): ask, never re-send
    };
    kind what = kind::accepted;
    std::string error_code;
    std::string error_description;
    /// A 2xx whose body is already the final bulk transaction (a synchronous answer).
    std::optional<bulk_status> result;
};

/// Read an HTTP answer to POST /bulkTransactions (status and body).
bulk_post_answer interpret_bulk_post(unsigned status, std::string_view body);

struct bulk_flow_options
{
    int max_attempts = 3;
    std::chrono::milliseconds retry_delay{1'000};
    std::chrono::milliseconds poll_delay{10};
    std::chrono::milliseconds max_poll_delay{500};
    std::chrono::milliseconds timeout{200'000}; ///< total waiting for a final answer
};

class bulk_flow
{
public:
    /// POST /bulkTransactions (again on a retry: the same body).
    struct send_post
    {
        int attempt = 1;
    };
    /// GET /bulkTransactions/{id}.
    struct send_get
    {
    };
    /// PUT /bulkTransactions/{id} accepting these transfers.
    struct send_put
    {
        connector::transfer_continuation::kind what;
        std::vector<std::string> transfer_ids;
    };
    struct wait
    {
        std::chrono::milliseconds delay;
    };
    /// Final: one result per row given to the constructor, in that order.
    struct done
    {
        std::vector<bulk_item_result> items;
    };
    using action = std::variant<send_post, send_get, send_put, wait, done>;

    /// `home_ids`: the rows' request_ids (homeTransactionId), in order.
    bulk_flow(std::vector<std::string> home_ids, bulk_flow_options opts);

    action start();
    action on_post(bulk_post_answer a);
    /// The answer to send_put: whatever it says, the GETs tell what followed.
    action on_put(bool accepted);
    /// The answer to send_get, or nullopt when none came.
    action on_status(std::optional<bulk_status> s);
    action on_waited();

    [[nodiscard]] std::chrono::milliseconds waited() const noexcept { return waited_; }

private:
    enum class stage : unsigned char
    {
        idle,
        posted,
        waiting_retry,
        waiting_poll,
        asking,
        accepting,
        finished,
    };

    action poll_later();
    action fail_all(std::string_view code, std::string_view description);
    action finish(bulk_status const& s);

    std::vector<std::string> home_ids_;
    bulk_flow_options opts_;
    stage stage_ = stage::idle;
    int attempt_ = 0;
    int accepts_ = 0;
    bool accepted_party_ = false;
    bool accepted_quote_ = false;
    std::chrono::milliseconds next_poll_{0};
    std::chrono::milliseconds waited_{0};
};

/// The error codes the hub files failed bulk items under when the connector gave none.
namespace bulk_error {
inline constexpr std::string_view missing_item = "No result for this transfer in the bulk transaction";
inline constexpr std::string_view timed_out = "Bulk transaction not final in time";
inline constexpr std::string_view failed = "Bulk transaction failed";
} // namespace bulk_error

} // namespace mojasim::hub
