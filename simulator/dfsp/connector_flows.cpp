// The payer: the Mojaloop connector's outbound API (sdk-scheme-adapter v2.1.0) and the FSPIOP
// callbacks it waits for.
//
// POST /transfers runs lookup, quote and transfer against the switch as one coroutine per
// transfer (no thread per transfer). What to do next is decided by detail::outbound_flow
// (detail/outbound.hpp, no I/O); the coroutine sends each request, waits for its callback on
// a net::one_shot registered under the callback's key (party, quoteId, transferId) with the
// step's timeout, and feeds the flow. Funds are blocked in the payer's account before the
// prepare and booked (COMMITTED) or released (error) after, as PH-EE does.
//
// Answers follow the SDK's handlers: 200 with the transferResponse when COMPLETED (or when
// stopping for acceptance); on failure currentState ERROR_OCCURRED inside errorTransferResponse
// {statusCode, message, transferState}, with HTTP 500 for errors from the scheme and 504 for
// timeouts. lastError carries the FSPIOP errorInformation of the scheme's answer; a timeout
// has httpStatusCode 504 and no mojaloopError, as with the SDK.
#include "simulator/dfsp/detail/actor_impl.hpp"
#include "simulator/dfsp/detail/enum_bridge.hpp"

#include "simulator/connector/codec.hpp"
#include "simulator/fspiop/codec.hpp"
#include "simulator/fspiop/errors.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace mojasim::dfsp {

namespace {

using detail::error_info;
using detail::error_of;
using detail::fail;
using detail::fail_callback;
using detail::fail_timeout;
using detail::outbound_stage;
using detail::outbound_transfer;
using connector::transfer_status;
using transfer_ptr = std::shared_ptr<outbound_transfer>;

std::string segment(std::string_view s)
{
    return net::percent_encode(s);
}

// Run the flow from the transfer's stage until it ends or waits for an acceptance: the flow
// decides (detail/outbound.hpp), this loop sends, waits and feeds it what came back.
net::awaitable<void> advance(impl_ptr self, transfer_ptr t)
{
    detail::outbound_flow flow(*t, self->money, self->cfg.fsp_id, self->cfg.connector, self->ids, self->clock);
    bool const was_unresolved = t->unresolved;
    auto next = flow.advance();
    while(auto* s = std::get_if<detail::outbound_flow::send>(&next))
    {
        // The waiter is registered before the request goes: its callback may beat the ack.
        detail::waiter w(self->ex);
        std::optional<detail::multi_registration> party_reg;
        std::optional<detail::single_registration> id_reg;
        std::string base;
        switch(s->what)
        {
        case detail::outbound_flow::step::lookup:
            party_reg.emplace(self->party_waiters, s->waiter_key, &w);
            base = self->cfg.switch_api.als();
            break;
        case detail::outbound_flow::step::quote:
            id_reg.emplace(self->quote_waiters, s->waiter_key, &w);
            base = self->cfg.switch_api.quotes();
            break;
        case detail::outbound_flow::step::prepare:
        case detail::outbound_flow::step::status:
            id_reg.emplace(self->transfer_waiters, s->waiter_key, &w);
            base = self->cfg.switch_api.transfers();
            break;
        }
        auto req = self->fspiop_message(s->method, s->resource, s->destination, std::move(s->body));
        std::string const url = base + s->path;
        auto ack = co_await send_to(self, url, std::move(req));
        next = flow.on_ack(ack);
        if(auto const* pause = std::get_if<detail::outbound_flow::wait>(&next))
        {
            auto cb = co_await w.wait(pause->timeout);
            next = flow.on_callback(std::move(cb));
        }
    }
    if(!was_unresolved && t->unresolved)
        ++self->counters.unresolved;
}

// ---------------------------------------------------------------------------------------
// answers

connector::transfer_response response_of(outbound_transfer const& t)
{
    auto const& r = t.request;
    connector::transfer_response res;
    res.transfer_id = t.transfer_id;
    res.home_transaction_id = r.home_transaction_id;
    res.from = r.from;
    res.to = r.to;
    if(t.payee_fsp.size() && !res.to.fsp_id)
        res.to.fsp_id = t.payee_fsp;
    res.amount_type = r.amount_type;
    res.currency = r.currency;
    res.amount = r.amount;
    res.transaction_type = r.transaction_type;
    res.sub_scenario = r.sub_scenario;
    res.note = r.note;
    res.current_state = t.state;
    if(!t.quote_id.empty())
        res.quote_id = t.quote_id;
    res.get_parties_response = t.party_response;
    res.quote_response = t.quote_response;
    if(!t.quote_source.empty())
        res.quote_response_source = t.quote_source;
    res.fulfil = t.fulfil;
    res.last_error = t.last_error;
    res.skip_party_lookup = r.skip_party_lookup;
    return res;
}

// The FSPIOP error of the transfer's lastError, if the scheme sent one.
connector::error_information const* mojaloop_error_of(outbound_transfer const& t) noexcept
{
    if(t.last_error && t.last_error->mojaloop_error && t.last_error->mojaloop_error->error_information)
        return &*t.last_error->mojaloop_error->error_information;
    return nullptr;
}

net::response answer(outbound_transfer const& t)
{
    if(t.state != transfer_status::error_occurred)
        return net::make_response(200, connector::encode(response_of(t)));
    connector::transfer_error_response e;
    e.message = t.error_message;
    // Like the SDK: the statusCode is the FSPIOP errorCode when there is one.
    e.status_code = std::to_string(t.error_status);
    if(auto const* info = mojaloop_error_of(t))
        e.status_code = info->error_code;
    e.transfer_state = response_of(t);
    return net::make_response(t.error_status, connector::encode(e));
}

// The error answer for a transfer this connector does not hold: like the SDK, its
// transferState has only what is known (transferId, currentState, lastError).
net::response partial_answer(outbound_transfer const& t)
{
    connector::transfer_error_response e;
    e.message = t.error_message;
    e.status_code = std::to_string(t.error_status);
    if(auto const* info = mojaloop_error_of(t))
        e.status_code = info->error_code;
    connector::partial_transfer_state state;
    state.transfer_id = t.transfer_id;
    state.current_state = t.state;
    state.last_error = t.last_error.value_or(connector::transfer_error{});
    e.partial_state = std::move(state);
    return net::make_response(t.error_status, connector::encode(e));
}

net::response plain_error(unsigned status, std::string message)
{
    connector::error_response e;
    e.status_code = std::to_string(status);
    e.message = std::move(message);
    return net::make_response(status, connector::encode(e));
}

// After answering: count, drop the heavy parts of a finished transfer, cap the finished ones.
void after_answer(dfsp_actor::impl& self, outbound_transfer& t)
{
    if(t.stage != outbound_stage::done)
        return;
    --self.counters.outbound_in_flight;
    if(t.state == transfer_status::completed)
        ++self.counters.outbound_completed;
    else
        ++self.counters.outbound_failed;
    t.party_response.reset();
    t.quote_response.reset();
    t.quote.reset();
    t.payee = {};
    self.finished(t.transfer_id);
}

// Advance the transfer (unless it has just ended), then answer the caller with its state.
net::awaitable<net::response> advance_and_answer(impl_ptr self, transfer_ptr t)
{
    if(t->stage != outbound_stage::done)
    {
        t->busy = true;
        co_await advance(self, t);
        t->busy = false;
    }
    auto res = answer(*t);
    after_answer(*self, *t);
    co_return res;
}

} // namespace

// ---------------------------------------------------------------------------------------
// the outbound API

net::awaitable<net::response> on_connector_post_transfers(impl_ptr self, net::request req)
{
    auto request = connector::decode_transfer_request(req.body);
    if(!request)
        co_return net::make_response(400, connector::validation_error_body(request.error()));
    if(request->currency != self->cfg.currency)
        co_return plain_error(400, "currency must be " + self->cfg.currency + " at " + self->cfg.fsp_id);
    if(request->skip_party_lookup.value_or(false) && !request->to.fsp_id)
        co_return plain_error(400, "to.fspId is required when skipPartyLookup is true");

    auto t = std::make_shared<outbound_transfer>();
    auto const& from = request->from;
    auto const type = detail::bridge<fspiop::party_id_type>(from.id_type);
    if(auto const* p = self->parties.find(type, from.id_value, from.id_sub_value.value_or("")))
        t->payer_account = p->account;
    else if(!self->cfg.connector.payer_account.empty())
        t->payer_account = self->cfg.connector.payer_account;
    else
        co_return plain_error(400, "from: " + from.id_value + " is not a customer of " + self->cfg.fsp_id +
                                       " and no connector.payer_account is configured");

    t->transfer_id = self->ids.uuid_v4();
    t->request = std::move(*request);
    self->outbound.emplace(t->transfer_id, t);
    ++self->counters.outbound_started;
    ++self->counters.outbound_in_flight;

    auto res = co_await advance_and_answer(self, t);
    co_return res;
}

net::awaitable<void> run_outbound(impl_ptr self, std::shared_ptr<outbound_transfer> t)
{
    self->outbound.emplace(t->transfer_id, t);
    ++self->counters.outbound_started;
    ++self->counters.outbound_in_flight;
    t->busy = true;
    co_await advance(self, t);
    t->busy = false;
    after_answer(*self, *t);
}

net::awaitable<net::response> on_connector_put_transfers(impl_ptr self, net::request req)
{
    auto cont = connector::decode_transfer_continuation(req.body);
    if(!cont)
        co_return net::make_response(400, connector::validation_error_body(cont.error()));
    auto const it = self->outbound.find(std::string(req.params.get("transferId")));
    if(it == self->outbound.end())
        co_return plain_error(500, "no transfer " + std::string(req.params.get("transferId")));
    auto t = it->second;
    using kind = connector::transfer_continuation::kind;
    bool const party_step = t->stage == outbound_stage::party_acceptance &&
                            (cont->what == kind::accept_party);
    bool const quote_step = t->stage == outbound_stage::quote_acceptance &&
                            (cont->what == kind::accept_quote || cont->what == kind::accept_quote_or_conversion);
    if(t->busy || (!party_step && !quote_step))
        co_return plain_error(500, "transfer " + t->transfer_id + " is not waiting for this acceptance");

    if(!cont->accepted)
    {
        fail(*t, 500, 500,
             error_info(fspiop::errc::generic_payer_rejection, party_step ? "payee party rejected" : "quote rejected"),
             party_step ? "Payee party rejected" : "Quote rejected");
    }
    else
        t->stage = party_step ? outbound_stage::quote : outbound_stage::transfer;
    auto res = co_await advance_and_answer(self, t);
    co_return res;
}

net::awaitable<net::response> on_connector_get_transfers(impl_ptr self, net::request req)
{
    std::string const id(req.params.get("transferId"));
    if(auto const it = self->outbound.find(id); it != self->outbound.end())
    {
        auto const& t = *it->second;
        if(t.state == transfer_status::error_occurred)
            co_return answer(t);
        connector::transfer_status_response s;
        s.transfer_id = id;
        s.current_state = t.state;
        if(t.fulfil)
            s.fulfil = *t.fulfil;
        else
            s.fulfil.body.transfer_state =
                t.stage == outbound_stage::transfer ? connector::transfer_state::reserved : connector::transfer_state::received;
        co_return net::make_response(200, connector::encode(s));
    }

    // Not (or no longer) known here: ask the switch.
    detail::waiter w(self->ex);
    detail::single_registration reg(self->transfer_waiters, id, &w);
    if(!reg.registered())
        co_return plain_error(500, "transfer " + id + " is being resolved");
    auto get = self->fspiop_message(net::method::get, "transfers", {}, {});
    std::string const url = self->cfg.switch_api.transfers() + "/transfers/" + segment(id);
    auto ack = co_await send_to(self, url, std::move(get));
    if(!ack || !ack->ok())
        co_return plain_error(500, "the switch did not take GET /transfers/" + id);
    auto const timeout = self->cfg.connector.quote_timeout;
    auto cb = co_await w.wait(timeout);
    if(!cb || cb->error)
    {
        outbound_transfer t;
        t.transfer_id = id;
        if(!cb)
            fail_timeout(t, "getting transfer", timeout);
        else
            fail_callback(t, error_of(cb->body), "getting transfer");
        co_return partial_answer(t);
    }
    auto put = fspiop::decode<fspiop::put_transfers>(cb->body);
    if(!put)
        co_return plain_error(500, "unreadable transfer callback: " + put.error().detail());
    connector::transfer_status_response s;
    s.transfer_id = id;
    s.current_state = put->transfer_state == fspiop::transfer_state::committed ? transfer_status::completed
                                                                               : transfer_status::error_occurred;
    s.fulfil = connector::fulfil_response{detail::to_connector(*put), std::move(cb->headers)};
    co_return net::make_response(200, connector::encode(s));
}

// ---------------------------------------------------------------------------------------
// callbacks

namespace {

detail::callback callback_of(net::request& req, bool error)
{
    detail::callback cb;
    cb.error = error;
    cb.body = std::move(req.body);
    cb.headers = detail::echo_headers(req.fields);
    cb.source = std::string(req.fields.value_or("FSPIOP-Source"));
    return cb;
}

void deliver_all(dfsp_actor::impl& self, std::unordered_map<std::string, std::vector<detail::waiter*>>& map,
                 std::string const& key, detail::callback const& cb)
{
    auto const it = map.find(key);
    if(it == map.end())
    {
        ++self.counters.late_callbacks;
        return;
    }
    for(auto* w : it->second)
        w->deliver(cb);
}

} // namespace

namespace {

// PUT /parties/... and PUT /participants/... callbacks: keyed by the party, delivered to
// whoever waits in `waiters`.
net::response deliver_party_callback(dfsp_actor::impl& self, net::request& req,
                                     std::unordered_map<std::string, std::vector<detail::waiter*>>& waiters)
{
    fspiop::version v;
    if(auto bad = self.check_headers(req, false, v))
        return std::move(*bad);
    auto const key = party_key(req.params.get("Type"), req.params.get("ID"), req.params.get("SubId"));
    deliver_all(self, waiters, key, callback_of(req, req.path().ends_with("/error")));
    return net::make_empty(200);
}

} // namespace

net::awaitable<net::response> on_put_parties(impl_ptr self, net::request req)
{
    co_return deliver_party_callback(*self, req, self->party_waiters);
}

net::awaitable<net::response> on_put_participants(impl_ptr self, net::request req)
{
    co_return deliver_party_callback(*self, req, self->participant_waiters);
}

net::awaitable<net::response> on_put_quotes(impl_ptr self, net::request req)
{
    fspiop::version v;
    if(auto bad = self->check_headers(req, false, v))
        co_return std::move(*bad);
    std::string const id(req.params.get("ID"));
    auto const it = self->quote_waiters.find(id);
    if(it == self->quote_waiters.end())
    {
        ++self->counters.late_callbacks;
        co_return net::make_empty(200);
    }
    it->second->deliver(callback_of(req, req.path().ends_with("/error")));
    co_return net::make_empty(200);
}

net::awaitable<net::response> on_put_transfers(impl_ptr self, net::request req)
{
    fspiop::version v;
    if(auto bad = self->check_headers(req, false, v))
        co_return std::move(*bad);
    std::string const id(req.params.get("ID"));
    bool const error = req.path().ends_with("/error");
    if(auto const it = self->transfer_waiters.find(id); it != self->transfer_waiters.end())
    {
        it->second->deliver(callback_of(req, error));
        co_return net::make_empty(200);
    }
    // The switch's notice to the payee (the PUT copy, or the abort of a transfer it fulfilled).
    if(self->inbound.contains(id))
    {
        bool committed = false;
        if(!error)
        {
            auto put = fspiop::decode<fspiop::put_transfers>(req.body, v.major);
            if(!put)
                co_return net::make_response(400, put.error().body());
            if(put->transfer_state != fspiop::transfer_state::committed &&
               put->transfer_state != fspiop::transfer_state::aborted)
                co_return net::make_empty(200);
            committed = put->transfer_state == fspiop::transfer_state::committed;
        }
        settle_inbound(*self, id, committed);
        co_return net::make_empty(200);
    }
    // A late answer for one of our own transfers whose outcome was left open.
    ++self->counters.late_callbacks;
    if(auto const it = self->outbound.find(id); it != self->outbound.end() && it->second->unresolved)
    {
        auto& t = *it->second;
        auto cb = callback_of(req, error);
        if(detail::settle_outbound(self->money, t, cb))
        {
            t.unresolved = false;
            --self->counters.unresolved;
            self->log->info("late callback settled transfer {}: {}", id, connector::to_string(t.state));
            self->finished(id); // now it may be forgotten like any other
        }
    }
    co_return net::make_empty(200);
}

// ---------------------------------------------------------------------------------------
// ALS registration

net::awaitable<std::string> register_with_als(impl_ptr self, party_config party)
{
    std::string const type(fspiop::to_string(party.id_type));
    detail::waiter w(self->ex);
    detail::multi_registration reg(self->participant_waiters, party_key(type, party.id, party.sub_id), &w);
    auto const path = detail::party_path("participants", type, party.id, party.sub_id);
    fspiop::post_participants_type_id body;
    body.fsp_id = self->cfg.fsp_id;
    body.currency = self->cfg.currency;
    auto req = self->fspiop_message(net::method::post, "participants", {}, fspiop::encode(body));
    std::string const url = self->cfg.switch_api.als() + path;
    auto ack = co_await send_to(self, url, std::move(req));
    std::string const what = "ALS registration of " + type + "/" + party.id;
    if(!ack)
        co_return what + ": switch unreachable";
    if(!ack->ok())
        co_return what + ": HTTP " + std::to_string(ack->status) + " " + ack->body.substr(0, 200);
    auto const timeout = self->cfg.onboarding.timeout;
    auto cb = co_await w.wait(timeout);
    if(!cb)
        co_return what + ": no callback within " + std::to_string(timeout.count()) + " ms";
    if(cb->error)
        co_return what + ": " + cb->body.substr(0, 200);
    co_return std::string{};
}

} // namespace mojasim::dfsp
