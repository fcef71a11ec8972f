// One payment through DFSP1's connector as a state machine without I/O (the shape of
// ledger::transfer_book and Boost.Redis's FSMs): it takes each answer and returns the next
// action; payment_hub::pay is the short loop that carries actions out over HTTP and timers.
//
// The rule (payment_outcome.hpp): POST /transfers; a connector without auto-accept stops at
// the party, then at the quote, and is answered with PUT /transfers/{id} (at most twice; a
// PUT is never re-sent, so a PUT whose outcome is unknown is asked about); an outcome unknown
// after the quote is asked with GET /transfers/{id} up to max_attempts times, retry_delay
// apart, and never re-sent; a failure before any quote (retry) re-sends the POST after
// retry_delay, up to max_attempts attempts.
#pragma once

#include "payment-hub/payment_outcome.hpp"
#include "simulator/connector/types.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <variant>

namespace mojasim::hub {

class payment_flow
{
public:
    /// POST /transfers with the payment's transferRequest (again, on a retry).
    struct send_post
    {
        int attempt = 1;
    };
    /// PUT /transfers/{transfer_id} with acceptParty or acceptQuote.
    struct send_put
    {
        connector::transfer_continuation::kind what;
        std::string transfer_id;
    };
    /// GET /transfers/{transfer_id}.
    struct send_get
    {
        std::string transfer_id;
    };
    /// Wait, then call on_waited().
    struct wait
    {
        std::chrono::milliseconds delay;
    };
    /// The payment is final: completed, or failed with an FSPIOP code and description.
    struct done
    {
        payment_outcome outcome;
    };
    using action = std::variant<send_post, send_put, send_get, wait, done>;

    payment_flow(int max_attempts, std::chrono::milliseconds retry_delay);

    /// The first action: send_post.
    action start();
    /// The connector's answer to send_post or send_put (interpret_transfer_answer).
    action on_answer(payment_outcome o);
    /// The answer to send_get (interpret_status_answer), or nullopt when none came.
    action on_status(std::optional<payment_outcome> q);
    /// The wait asked for is over.
    action on_waited();

    /// What the connector named so far (kept across attempts).
    [[nodiscard]] std::string const& transfer_id() const noexcept { return transfer_id_; }
    [[nodiscard]] std::string const& payee_fsp() const noexcept { return payee_fsp_; }

private:
    enum class stage : unsigned char
    {
        idle,
        posted,         ///< waiting for the POST's answer
        accepting,      ///< waiting for a PUT's answer
        asking,         ///< waiting for a GET's answer
        waiting_retry,  ///< before the next POST
        waiting_query,  ///< before the next GET
        finished,
    };

    void remember(payment_outcome const& x);
    action after_exchange();
    action ask_or_settle();
    action settle();
    action finish();

    int max_attempts_;
    std::chrono::milliseconds retry_delay_;
    stage stage_ = stage::idle;
    int attempt_ = 0;
    int accepts_ = 0;
    int asks_ = 0;
    payment_outcome o_;
    std::string transfer_id_;
    std::string payee_fsp_;
};

} // namespace mojasim::hub
