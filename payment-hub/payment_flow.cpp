#include "payment-hub/payment_flow.hpp"

#include <cassert>

namespace mojasim::hub {

using kind = payment_outcome::kind;

namespace {

bool waits_for_acceptance(kind k) noexcept
{
    return k == kind::accept_party || k == kind::accept_quote;
}

} // namespace

payment_flow::payment_flow(int max_attempts, std::chrono::milliseconds retry_delay)
    : max_attempts_(max_attempts < 1 ? 1 : max_attempts), retry_delay_(retry_delay)
{
}

payment_flow::action payment_flow::start()
{
    assert(stage_ == stage::idle);
    stage_ = stage::posted;
    attempt_ = 1;
    return send_post{attempt_};
}

void payment_flow::remember(payment_outcome const& x)
{
    if(!x.transfer_id.empty())
        transfer_id_ = x.transfer_id;
    if(!x.payee_fsp.empty())
        payee_fsp_ = x.payee_fsp;
}

payment_flow::action payment_flow::on_answer(payment_outcome o)
{
    assert(stage_ == stage::posted || stage_ == stage::accepting);
    if(stage_ == stage::posted)
        accepts_ = 0;
    else
    {
        ++accepts_;
        // A PUT is never re-sent: the transfer exists now.
        if(o.what == kind::retry)
            o.what = kind::query;
    }
    remember(o);
    o_ = std::move(o);
    return after_exchange();
}

payment_flow::action payment_flow::after_exchange()
{
    // A connector without auto-accept stops at the party, then at the quote.
    if(waits_for_acceptance(o_.what))
    {
        if(accepts_ < 2)
        {
            stage_ = stage::accepting;
            auto const what = o_.what == kind::accept_party ? connector::transfer_continuation::kind::accept_party
                                                            : connector::transfer_continuation::kind::accept_quote;
            return send_put{what, transfer_id_};
        }
        o_.what = kind::failed;
        o_.error_code = std::string(hub_error::internal_code);
        o_.error_description = "Connector kept waiting for acceptance";
    }
    // The outcome is unknown after the quote: ask, do not re-send.
    asks_ = 0;
    return ask_or_settle();
}

payment_flow::action payment_flow::ask_or_settle()
{
    if(o_.what == kind::query && asks_ < max_attempts_ && !transfer_id_.empty())
    {
        if(asks_ > 0)
        {
            stage_ = stage::waiting_query;
            return wait{retry_delay_};
        }
        stage_ = stage::asking;
        return send_get{transfer_id_};
    }
    return settle();
}

payment_flow::action payment_flow::on_status(std::optional<payment_outcome> q)
{
    assert(stage_ == stage::asking);
    ++asks_;
    if(q && q->what != kind::query)
    {
        remember(*q);
        o_.what = q->what;
        if(q->what == kind::failed)
        {
            o_.error_code = std::move(q->error_code);
            o_.error_description = std::move(q->error_description);
        }
    }
    return ask_or_settle();
}

payment_flow::action payment_flow::settle()
{
    if(o_.what == kind::query)
        o_.what = kind::failed;
    if(o_.what == kind::retry && attempt_ < max_attempts_)
    {
        stage_ = stage::waiting_retry;
        return wait{retry_delay_};
    }
    return finish();
}

payment_flow::action payment_flow::on_waited()
{
    assert(stage_ == stage::waiting_retry || stage_ == stage::waiting_query);
    if(stage_ == stage::waiting_query)
    {
        stage_ = stage::asking;
        return send_get{transfer_id_};
    }
    ++attempt_;
    stage_ = stage::posted;
    return send_post{attempt_};
}

payment_flow::action payment_flow::finish()
{
    stage_ = stage::finished;
    if(o_.what != kind::completed)
    {
        o_.what = kind::failed;
        if(o_.error_code.empty())
        {
            o_.error_code = std::string(hub_error::internal_code);
            o_.error_description = "Payment failed";
        }
    }
    o_.transfer_id = transfer_id_;
    o_.payee_fsp = payee_fsp_;
    return done{o_};
}

} // namespace mojasim::hub
