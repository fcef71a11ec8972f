#include "payment-hub/payment_outcome.hpp"

#include "simulator/connector/codec.hpp"
#include "simulator/fspiop/validate.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

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

/// The members of a transfer state (transferResponse) that decide a payment's outcome,
/// viewed in place: in a decoded connector::transfer_response or in a parsed JSON answer.
struct state_fields
{
    std::string_view transfer_id;
    std::string_view payee_fsp;                           ///< as payee_fsp_of() picks it
    std::optional<connector::transfer_state> fulfil_state; ///< fulfil.body.transferState
    bool has_error = false;                               ///< lastError.mojaloopError.errorInformation
    std::string_view error_code;
    std::string_view error_description;
    std::optional<transfer_status> current_state;
    bool quoted = false; ///< a quoteResponse is present
};

/// The payee's DFSP, as far as the transfer got: quote source, lookup, or the request.
std::string_view payee_fsp_of(connector::transfer_response const& t)
{
    if(t.quote_response_source && !t.quote_response_source->empty())
        return *t.quote_response_source;
    if(t.get_parties_response && t.get_parties_response->party && t.get_parties_response->party->party_id_info.fsp_id)
        return *t.get_parties_response->party->party_id_info.fsp_id;
    if(t.to.fsp_id)
        return *t.to.fsp_id;
    return {};
}

state_fields fields_of(connector::transfer_response const& t)
{
    state_fields f;
    if(t.transfer_id)
        f.transfer_id = *t.transfer_id;
    f.payee_fsp = payee_fsp_of(t);
    if(t.fulfil)
        f.fulfil_state = t.fulfil->body.transfer_state;
    if(auto const* e = t.mojaloop_error_information())
    {
        f.has_error = true;
        f.error_code = e->error_code;
        f.error_description = e->error_description;
    }
    f.current_state = t.current_state;
    f.quoted = t.quote_response.has_value();
    return f;
}

/// The error a failure of the connector itself (no Mojaloop error) is filed under: its
/// timeout (504) as "Server timed out", anything else with the connector's message.
void connector_failure(payment_outcome& o, unsigned status, std::string_view message)
{
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
}

/// What a transfer state (from a 200 or an error body) says.
payment_outcome from_state(state_fields const& t, unsigned status, std::string_view message)
{
    payment_outcome o;
    o.transfer_id = t.transfer_id;
    o.payee_fsp = t.payee_fsp;

    // A fulfil callback is the switch's word on the transfer.
    if(t.fulfil_state)
    {
        if(*t.fulfil_state == connector::transfer_state::committed)
        {
            o.what = payment_outcome::kind::completed;
            return o;
        }
        if(*t.fulfil_state == connector::transfer_state::aborted)
        {
            o.what = payment_outcome::kind::failed;
            if(t.has_error)
            {
                o.error_code = t.error_code;
                o.error_description = t.error_description;
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
    if(t.has_error)
    {
        o.what = payment_outcome::kind::failed;
        o.error_code = t.error_code;
        o.error_description = t.error_description;
        return o;
    }

    if(t.current_state)
    {
        switch(*t.current_state)
        {
        case transfer_status::completed:
            o.what = payment_outcome::kind::completed;
            return o;
        // Waiting for an acceptance the hub can only give with the transfer's id; without
        // one, it is a connector failure like those below.
        case transfer_status::waiting_for_party_acceptance:
            if(!o.transfer_id.empty())
            {
                o.what = payment_outcome::kind::accept_party;
                return o;
            }
            break;
        case transfer_status::waiting_for_quote_acceptance:
            if(!o.transfer_id.empty())
            {
                o.what = payment_outcome::kind::accept_quote;
                return o;
            }
            break;
        case transfer_status::waiting_for_conversion_acceptance:
            o.what = payment_outcome::kind::failed;
            o.error_code = std::string(hub_error::internal_code);
            o.error_description = "Currency conversion is not supported";
            return o;
        case transfer_status::error_occurred:
            break;
        }
    }

    // No Mojaloop error: a timeout or an internal failure of the connector.
    if(t.quoted)
        o.what = o.transfer_id.empty() ? payment_outcome::kind::failed : payment_outcome::kind::query;
    else
        o.what = status >= 500 || status == 0 ? payment_outcome::kind::retry : payment_outcome::kind::failed;
    connector_failure(o, status, message);
    return o;
}

/// An errorTransferResponse (or a plain errorResponse): its message, and the transfer
/// state when it has one.
payment_outcome from_error(unsigned status, std::string_view message, state_fields const* state)
{
    if(state)
        return from_state(*state, status, message);
    if(status >= 400 && status < 500)
        return make(payment_outcome::kind::failed, "3100",
                    message.empty() ? std::string("Generic validation error") : std::string(message));
    auto o = make(payment_outcome::kind::retry);
    connector_failure(o, status, message);
    return o;
}

/// The answer read with the connector's decoders: every member decoded and checked, so a
/// 200 that is not a valid transferResponse fails with the decoder's words.
payment_outcome decode_fully(unsigned status, json::value const& v, bool parsed)
{
    if(status >= 200 && status < 300)
    {
        if(!parsed)
            return make(payment_outcome::kind::failed, std::string(hub_error::internal_code),
                        "Unreadable connector answer");
        auto t = connector::decode_transfer_response(v);
        if(!t)
            return make(payment_outcome::kind::failed, std::string(hub_error::internal_code),
                        "Unreadable connector answer: " + t.error().detail());
        return from_state(fields_of(*t), status, {});
    }

    // 4xx/5xx: errorTransferResponse (or a plain errorResponse).
    if(parsed)
    {
        if(auto e = connector::decode_transfer_error_response(v))
        {
            std::string_view const message = e->message ? std::string_view(*e->message) : std::string_view();
            if(!e->transfer_state)
                return from_error(status, message, nullptr);
            auto const state = fields_of(*e->transfer_state);
            return from_error(status, message, &state);
        }
    }
    if(status >= 400 && status < 500)
        return make(payment_outcome::kind::failed, "3100", "Connector rejected the request (HTTP " + std::to_string(status) + ")");
    return make(payment_outcome::kind::retry, std::string(hub_error::internal_code),
                "Connector error (HTTP " + std::to_string(status) + ")");
}

//------------------------------------------------------------------------------
// The lean reading: only the members from_state() needs, straight from the DOM. Each is
// checked with the rule the connector's (lenient) decoder applies to it: an optional member
// may be absent or null, a required one must be there. On anything else the reader gives
// up and the answer goes through decode_fully(), which words the error. Members the hub
// does not read are checked for presence (the required ones of each object it enters) but
// not for their values.

std::string_view view(json::string const& s) noexcept
{
    return {s.data(), s.size()};
}

/// An optional member: absent and null are alike.
json::value const* optional_member(json::object const& o, json::string_view key) noexcept
{
    auto const* v = o.if_contains(key);
    return v && !v->is_null() ? v : nullptr;
}

/// A required member that is an object, or null.
json::object const* required_object(json::object const& o, json::string_view key) noexcept
{
    auto const* v = o.if_contains(key);
    return v ? v->if_object() : nullptr;
}

/// Every one of `keys` is there and not null.
bool has_required(json::object const& o, std::initializer_list<char const*> keys) noexcept
{
    for(auto const* key : keys)
    {
        auto const* v = o.if_contains(key);
        if(!v || v->is_null())
            return false;
    }
    return true;
}

/// An optional string member into `out`; false when it is there but not a string.
bool optional_string(json::object const& o, json::string_view key, std::optional<std::string_view>& out) noexcept
{
    auto const* v = optional_member(o, key);
    if(!v)
        return true;
    auto const* s = v->if_string();
    if(!s)
        return false;
    out = view(*s);
    return true;
}

/// The members of a transferResponse that decide the outcome, or nullopt.
std::optional<state_fields> lean_fields(json::value const& v)
{
    auto const* o = v.if_object();
    if(!o)
        return std::nullopt;
    if(!has_required(*o, {"homeTransactionId", "from", "to", "amountType", "currency", "amount", "transactionType"}))
        return std::nullopt;
    state_fields f;

    std::optional<std::string_view> transfer_id;
    if(!optional_string(*o, "transferId", transfer_id))
        return std::nullopt;
    f.transfer_id = transfer_id.value_or(std::string_view());

    std::optional<std::string_view> current_state;
    if(!optional_string(*o, "currentState", current_state))
        return std::nullopt;
    if(current_state)
    {
        f.current_state = connector::transfer_status_from_string(*current_state);
        if(!f.current_state)
            return std::nullopt;
    }

    if(auto const* q = optional_member(*o, "quoteResponse"))
    {
        auto const* body = q->is_object() ? required_object(q->get_object(), "body") : nullptr;
        if(!body || !has_required(*body, {"transferAmount", "expiration", "ilpPacket", "condition"}))
            return std::nullopt;
        f.quoted = true;
    }

    // The payee's DFSP: the quote's source, else the lookup's party, else the request's.
    std::optional<std::string_view> source;
    if(!optional_string(*o, "quoteResponseSource", source))
        return std::nullopt;
    std::optional<std::string_view> looked_up;
    if(auto const* g = optional_member(*o, "getPartiesResponse"))
    {
        auto const* body = g->is_object() ? required_object(g->get_object(), "body") : nullptr;
        if(!body)
            return std::nullopt;
        if(auto const* p = optional_member(*body, "party"))
        {
            auto const* info = p->is_object() ? required_object(p->get_object(), "partyIdInfo") : nullptr;
            if(!info || !has_required(*info, {"partyIdType", "partyIdentifier"}) ||
               !optional_string(*info, "fspId", looked_up))
                return std::nullopt;
        }
        else if(!optional_member(*body, "errorInformation"))
            return std::nullopt; // must have party or errorInformation
    }
    auto const* to = required_object(*o, "to");
    std::optional<std::string_view> to_fsp;
    if(!to || !has_required(*to, {"idType", "idValue"}) || !optional_string(*to, "fspId", to_fsp))
        return std::nullopt;
    if(to_fsp && !fspiop::has_length(*to_fsp, 1, 32))
        return std::nullopt;
    if(source && !source->empty())
        f.payee_fsp = *source;
    else if(looked_up)
        f.payee_fsp = *looked_up;
    else if(to_fsp)
        f.payee_fsp = *to_fsp;

    if(auto const* fulfil = optional_member(*o, "fulfil"))
    {
        auto const* body = fulfil->is_object() ? required_object(fulfil->get_object(), "body") : nullptr;
        auto const* state = body ? body->if_contains("transferState") : nullptr;
        auto const* text = state ? state->if_string() : nullptr;
        if(!text)
            return std::nullopt;
        f.fulfil_state = connector::transfer_state_from_string(view(*text));
        if(!f.fulfil_state)
            return std::nullopt;
    }

    if(auto const* last = optional_member(*o, "lastError"))
    {
        if(!last->is_object())
            return std::nullopt;
        // httpStatusCode is not read, but is cheap to check as the decoder does: an integer
        // from 0 to 2147483647.
        if(auto const* code = optional_member(last->get_object(), "httpStatusCode"))
        {
            bool const in_range = code->is_int64()
                ? code->get_int64() >= 0 && code->get_int64() <= std::numeric_limits<std::int32_t>::max()
                : code->is_uint64() && code->get_uint64() <= std::numeric_limits<std::int32_t>::max();
            if(!in_range)
                return std::nullopt;
        }
        if(auto const* me = optional_member(last->get_object(), "mojaloopError"))
        {
            if(!me->is_object())
                return std::nullopt;
            if(auto const* ei = optional_member(me->get_object(), "errorInformation"))
            {
                auto const* e = ei->if_object();
                auto const* code = e ? e->if_contains("errorCode") : nullptr;
                auto const* description = e ? e->if_contains("errorDescription") : nullptr;
                if(!code || !code->is_string() || !fspiop::is_error_code(view(code->get_string())) || !description ||
                   !description->is_string())
                    return std::nullopt;
                f.has_error = true;
                f.error_code = view(code->get_string());
                f.error_description = view(description->get_string());
            }
        }
    }
    return f;
}

/// A 4xx/5xx answer read the lean way, or nullopt.
std::optional<payment_outcome> lean_error_answer(unsigned status, json::value const& v)
{
    auto const* o = v.if_object();
    if(!o)
        return std::nullopt;
    // statusCode is a string in the spec, but SDK versions have sent a number.
    if(auto const* code = optional_member(*o, "statusCode");
       code && !code->is_string() && !code->is_int64() && !code->is_uint64())
        return std::nullopt;
    std::optional<std::string_view> message;
    if(!optional_string(*o, "message", message))
        return std::nullopt;
    auto const text = message.value_or(std::string_view());
    // `{}` is what the SDK sends when the transfer never got a state.
    auto const* ts = optional_member(*o, "transferState");
    if(!ts || (ts->is_object() && ts->get_object().empty()))
        return from_error(status, text, nullptr);
    auto const state = lean_fields(*ts);
    if(!state)
        return std::nullopt;
    return from_error(status, text, &*state);
}

} // namespace

payment_outcome
interpret_transfer_answer(unsigned status, std::string_view body)
{
    // The DOM lives only for this call: parse into a stack buffer (a heap block is added
    // only when an answer outgrows it), and drop it without freeing node by node.
    unsigned char buffer[16384];
    json::monotonic_resource mr(buffer, sizeof buffer);
    boost::system::error_code ec;
    auto const v = json::parse(json::string_view(body.data(), body.size()), ec, &mr);
    if(!ec)
    {
        if(status >= 200 && status < 300)
        {
            if(auto const state = lean_fields(v))
                return from_state(*state, status, {});
        }
        else if(auto o = lean_error_answer(status, v))
            return std::move(*o);
    }
    return decode_fully(status, v, !ec);
}

payment_outcome interpret_transfer_answer_reference(unsigned status, std::string_view body)
{
    boost::system::error_code ec;
    auto const v = json::parse(json::string_view(body.data(), body.size()), ec);
    return decode_fully(status, v, !ec);
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
            auto o = from_state(fields_of(*e->transfer_state), status, e->message.value_or(std::string{}));
            if(o.what == payment_outcome::kind::completed || o.what == payment_outcome::kind::failed)
                return o;
        }
    }
    return make(payment_outcome::kind::query, std::string(hub_error::server_timed_out_code),
                std::string(hub_error::server_timed_out));
}

} // namespace mojasim::hub
