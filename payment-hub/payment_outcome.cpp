#include "payment-hub/payment_outcome.hpp"

#include "simulator/connector/codec.hpp"

#include <boost/json/parse.hpp>

namespace mojasim::hub {

namespace json = boost::json;
using connector::transfer_status;

namespace {

payment_outcome make(payment_outcome::kind k, std::string code = {}, std::string description = {})
{
    payment_outcome o;
    o.what = k;
    o.error_code = std::move(code);
    o.error_description = std::move(description);
    return o;
}

/// The payee's DFSP, as far as the transfer got: quote source, lookup, or the request.
std::string payee_fsp_of(connector::transfer_response const& t)
{
    if(t.quote_response_source && !t.quote_response_source->empty())
        return *t.quote_response_source;
    if(t.get_parties_response && t.get_parties_response->party && t.get_parties_response->party->party_id_info.fsp_id)
        return *t.get_parties_response->party->party_id_info.fsp_id;
    if(t.to.fsp_id)
        return *t.to.fsp_id;
    return {};
}

/// What a transfer state (from a 200 or an error body) says.
payment_outcome from_state(connector::transfer_response const& t, unsigned status, std::string_view message)
{
    payment_outcome o;
    o.transfer_id = t.transfer_id.value_or(std::string{});
    o.payee_fsp = payee_fsp_of(t);

    // A fulfil callback is the switch's word on the transfer.
    if(t.fulfil)
    {
        if(t.fulfil->body.transfer_state == connector::transfer_state::committed)
        {
            o.what = payment_outcome::kind::completed;
            return o;
        }
        if(t.fulfil->body.transfer_state == connector::transfer_state::aborted)
        {
            o.what = payment_outcome::kind::failed;
            if(auto const* e = t.mojaloop_error_information())
            {
                o.error_code = e->error_code;
                o.error_description = e->error_description;
            }
            else
            {
                o.error_code = "5000";
                o.error_description = "Transfer aborted";
            }
            return o;
        }
    }

    // A Mojaloop error from the switch or the payee is definite, whatever the HTTP status.
    if(auto const* e = t.mojaloop_error_information())
    {
        o.what = payment_outcome::kind::failed;
        o.error_code = e->error_code;
        o.error_description = e->error_description;
        return o;
    }

    if(t.current_state)
    {
        switch(*t.current_state)
        {
        case transfer_status::completed:
            o.what = payment_outcome::kind::completed;
            return o;
        case transfer_status::waiting_for_party_acceptance:
            o.what = o.transfer_id.empty() ? payment_outcome::kind::failed : payment_outcome::kind::accept_party;
            break;
        case transfer_status::waiting_for_quote_acceptance:
            o.what = o.transfer_id.empty() ? payment_outcome::kind::failed : payment_outcome::kind::accept_quote;
            break;
        case transfer_status::waiting_for_conversion_acceptance:
            o.what = payment_outcome::kind::failed;
            o.error_code = std::string(hub_error::internal_code);
            o.error_description = "Currency conversion is not supported";
            return o;
        case transfer_status::error_occurred:
            break;
        }
        if(o.what == payment_outcome::kind::accept_party || o.what == payment_outcome::kind::accept_quote)
            return o;
    }

    // No Mojaloop error: a timeout or an internal failure of the connector.
    bool const quoted = t.quote_response.has_value();
    if(quoted)
        o.what = o.transfer_id.empty() ? payment_outcome::kind::failed : payment_outcome::kind::query;
    else
        o.what = status >= 500 || status == 0 ? payment_outcome::kind::retry : payment_outcome::kind::failed;
    if(status == 504)
    {
        o.error_code = std::string(hub_error::server_timed_out_code);
        o.error_description = std::string(hub_error::server_timed_out);
    }
    else
    {
        o.error_code = std::string(hub_error::internal_code);
        o.error_description = message.empty() ? std::string("Connector error") : std::string(message);
    }
    return o;
}

} // namespace

payment_outcome
interpret_transfer_answer(unsigned status, std::string_view body)
{
    boost::system::error_code ec;
    auto const v = json::parse(json::string_view(body.data(), body.size()), ec);

    if(status >= 200 && status < 300)
    {
        if(ec)
            return make(payment_outcome::kind::failed, std::string(hub_error::internal_code),
                        "Unreadable connector answer");
        auto t = connector::decode_transfer_response(v);
        if(!t)
            return make(payment_outcome::kind::failed, std::string(hub_error::internal_code),
                        "Unreadable connector answer: " + t.error().detail());
        return from_state(*t, status, {});
    }

    // 4xx/5xx: errorTransferResponse (or a plain errorResponse).
    if(!ec)
    {
        if(auto e = connector::decode_transfer_error_response(v))
        {
            auto const message = e->message.value_or(std::string{});
            if(e->transfer_state)
                return from_state(*e->transfer_state, status, message);
            if(status >= 400 && status < 500)
                return make(payment_outcome::kind::failed, "3100",
                            message.empty() ? std::string("Generic validation error") : message);
            auto o = make(payment_outcome::kind::retry, std::string(hub_error::internal_code),
                          message.empty() ? std::string("Connector error") : message);
            if(status == 504)
            {
                o.error_code = std::string(hub_error::server_timed_out_code);
                o.error_description = std::string(hub_error::server_timed_out);
            }
            return o;
        }
    }
    if(status >= 400 && status < 500)
        return make(payment_outcome::kind::failed, "3100", "Connector rejected the request (HTTP " + std::to_string(status) + ")");
    return make(payment_outcome::kind::retry, std::string(hub_error::internal_code),
                "Connector error (HTTP " + std::to_string(status) + ")");
}

payment_outcome
interpret_status_answer(unsigned status, std::string_view body)
{
    if(status >= 200 && status < 300)
    {
        auto s = connector::decode_transfer_status_response(body);
        if(s)
        {
            payment_outcome o;
            o.transfer_id = s->transfer_id;
            if(s->fulfil.body.transfer_state == connector::transfer_state::committed
               || s->current_state == transfer_status::completed)
                o.what = payment_outcome::kind::completed;
            else if(s->fulfil.body.transfer_state == connector::transfer_state::aborted
                    || s->current_state == transfer_status::error_occurred)
            {
                o.what = payment_outcome::kind::failed;
                o.error_code = "5000";
                o.error_description = "Transfer aborted";
            }
            else
                o.what = payment_outcome::kind::query;
            return o;
        }
    }
    else
    {
        // A connector that still knows the transfer answers a failed one as it answered the
        // POST: an error body whose state holds the Mojaloop error.
        if(auto e = connector::decode_transfer_error_response(body); e && e->transfer_state)
        {
            auto o = from_state(*e->transfer_state, status, e->message.value_or(std::string{}));
            if(o.what == payment_outcome::kind::completed || o.what == payment_outcome::kind::failed)
                return o;
        }
    }
    return make(payment_outcome::kind::query, std::string(hub_error::server_timed_out_code),
                std::string(hub_error::server_timed_out));
}

} // namespace mojasim::hub
