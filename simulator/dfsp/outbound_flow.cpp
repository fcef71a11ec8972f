// The payer side's flow as a state machine (detail/outbound.hpp): the logic that
// connector_flows.cpp's coroutines carried across their co_awaits, now without I/O.
#include "simulator/dfsp/detail/outbound.hpp"

#include "simulator/dfsp/detail/enum_bridge.hpp"
#include "simulator/fspiop/codec.hpp"

#include <cassert>

namespace mojasim::dfsp::detail {

using connector::transfer_status;

connector::error_information error_info(fspiop::errc code, std::string_view detail)
{
    auto const e = fspiop::error_information::from(code, detail);
    return connector::error_information{e.error_code, e.error_description, std::nullopt};
}

connector::error_information error_of(std::string const& body)
{
    auto e = fspiop::decode<fspiop::error_information_object>(body);
    if(!e)
        return error_info(fspiop::errc::internal_server_error, "unreadable error callback: " + e.error().detail());
    return to_connector(e->error_information);
}

void fail(outbound_transfer& t, unsigned status, std::int32_t http_status_code,
          std::optional<connector::error_information> info, std::string message)
{
    t.state = transfer_status::error_occurred;
    t.stage = outbound_stage::done;
    connector::transfer_error e;
    e.http_status_code = http_status_code;
    if(info)
        e.mojaloop_error = connector::mojaloop_error{std::move(info)};
    t.last_error = std::move(e);
    t.error_message = std::move(message);
    t.error_status = status;
}

void fail_callback(outbound_transfer& t, connector::error_information info, std::string_view what)
{
    fail(t, 500, 500, std::move(info), "Got an error response " + std::string(what));
}

// As the SDK: 504, and a lastError with no Mojaloop error, which is how a caller tells a lost
// callback from every answer of the scheme.
void fail_timeout(outbound_transfer& t, std::string_view what, std::chrono::milliseconds waited)
{
    fail(t, 504, 504, std::nullopt,
         "Timeout " + std::string(what) + ": no callback within " + std::to_string(waited.count()) + " ms");
}

namespace {

// The request itself was refused by the switch (its error body is kept), or never arrived
// (no Mojaloop error: the caller may try again).
void fail_request(outbound_transfer& t, std::optional<net::response> const& ack, std::string_view what)
{
    if(!ack)
    {
        fail(t, 500, 503, std::nullopt, "Error sending " + std::string(what) + ": the switch is unreachable");
        return;
    }
    auto e = fspiop::decode<fspiop::error_information_object>(ack->body);
    std::optional<connector::error_information> info;
    if(e)
        info = to_connector(e->error_information);
    fail(t, 500, static_cast<std::int32_t>(ack->status), std::move(info),
         "Error sending " + std::string(what) + ": HTTP " + std::to_string(ack->status));
}

bool same_party(fspiop::party_id_info const& got, connector::transfer_party const& want)
{
    return static_cast<std::uint8_t>(got.party_id_type) == static_cast<std::uint8_t>(want.id_type) &&
           got.party_identifier == want.id_value && got.party_sub_id_or_type == want.id_sub_value.value_or("");
}

void release_funds(bank& money, outbound_transfer& t)
{
    if(t.funds_blocked)
        money.release(t.transfer_id);
    t.funds_blocked = false;
}

void book_funds(bank& money, outbound_transfer& t)
{
    if(t.funds_blocked)
        money.book(t.transfer_id);
    t.funds_blocked = false;
}

bool acked(std::optional<net::response> const& ack)
{
    return ack && ack->ok();
}

} // namespace

bool settle_outbound(bank& money, outbound_transfer& t, callback& cb)
{
    if(cb.error)
    {
        release_funds(money, t);
        fail_callback(t, error_of(cb.body), "preparing transfer");
        return true;
    }
    auto put = fspiop::decode<fspiop::put_transfers>(cb.body);
    if(!put)
        return false;
    t.fulfil = connector::fulfil_response{to_connector(*put), std::move(cb.headers)};
    if(put->transfer_state == fspiop::transfer_state::committed)
    {
        book_funds(money, t);
        t.state = transfer_status::completed;
        t.stage = outbound_stage::done;
        t.last_error.reset();
        return true;
    }
    if(put->transfer_state == fspiop::transfer_state::aborted)
    {
        release_funds(money, t);
        fail(t, 500, 500, error_info(fspiop::errc::generic_payee_error, "transfer ABORTED"), "Transfer was aborted");
        return true;
    }
    return false;
}

outbound_flow::outbound_flow(outbound_transfer& t, bank& money, std::string payer_fsp, connector_config const& o,
                             core::id_generator& ids, core::clock const& clock)
    : t_(t), money_(money), payer_fsp_(std::move(payer_fsp)), o_(o), ids_(ids), clock_(clock)
{
}

outbound_flow::action outbound_flow::stopped()
{
    state_ = state::stopped;
    return stop{};
}

outbound_flow::action outbound_flow::advance()
{
    if(t_.stage == outbound_stage::lookup)
    {
        auto const& to = t_.request.to;
        if(!t_.request.skip_party_lookup.value_or(false))
        {
            std::string const type(connector::to_string(to.id_type));
            std::string const sub = to.id_sub_value.value_or("");
            state_ = state::lookup_sent;
            return send{step::lookup, net::method::get, "parties", party_path("parties", type, to.id_value, sub), {},
                        {}, party_key(type, to.id_value, sub)};
        }
        t_.payee_fsp = to.fsp_id.value_or("");
        t_.payee = to_fspiop(to, t_.payee_fsp);
        t_.stage = outbound_stage::quote;
    }
    if(t_.stage == outbound_stage::quote)
    {
        auto const& r = t_.request;
        fspiop::post_quotes q;
        q.quote_id = ids_.uuid_v4();
        q.transaction_id = t_.transfer_id;
        q.payee = t_.payee;
        q.payer = to_fspiop(r.from, payer_fsp_);
        q.amount_type = r.amount_type == connector::amount_type::send ? fspiop::amount_type::send
                                                                      : fspiop::amount_type::receive;
        q.amount = fspiop::money{r.currency, r.amount.to_string()};
        q.transaction_type.scenario = fspiop::from_string<fspiop::transaction_scenario>(r.transaction_type)
                                          .value_or(fspiop::transaction_scenario::transfer);
        q.transaction_type.sub_scenario = r.sub_scenario.value_or("");
        q.transaction_type.initiator = fspiop::transaction_initiator::payer;
        q.transaction_type.initiator_type =
            bridge<fspiop::transaction_initiator_type>(r.from.type.value_or(connector::initiator_type::consumer));
        q.note = r.note.value_or("");
        if(!t_.transaction_request_id.empty())
        {
            q.transaction_request_id = t_.transaction_request_id;
            if(t_.requested_type)
                q.transaction_type = *t_.requested_type;
        }
        auto const expiry = r.quote_expiry_seconds && *r.quote_expiry_seconds > 0
                                ? std::chrono::seconds(*r.quote_expiry_seconds)
                                : o_.quote_expiry;
        q.expiration = core::format_datetime(clock_.now() + expiry);
        t_.quote_id = q.quote_id;
        state_ = state::quote_sent;
        return send{step::quote, net::method::post, "quotes", "/quotes", t_.payee_fsp, fspiop::encode(q), q.quote_id};
    }
    if(t_.stage == outbound_stage::transfer)
    {
        auto const& quote = *t_.quote;
        auto const amount = decimal::parse_fspiop(quote.transfer_amount.amount).value_or(decimal{});
        switch(money_.block(t_.transfer_id, t_.payer_account, amount))
        {
        case block_outcome::blocked: break;
        case block_outcome::insufficient_funds:
            fail(t_, 500, 500,
                 error_info(fspiop::errc::generic_payer_error, "insufficient funds in account " + t_.payer_account),
                 "Failed to block funds");
            return stopped();
        case block_outcome::unknown_account:
        case block_outcome::duplicate:
            fail(t_, 500, 500, error_info(fspiop::errc::generic_payer_error, "cannot block funds in " + t_.payer_account),
                 "Failed to block funds");
            return stopped();
        }
        t_.funds_blocked = true;

        auto const& r = t_.request;
        auto const expiry = r.prepare_expiry_seconds && *r.prepare_expiry_seconds > 0
                                ? std::chrono::seconds(*r.prepare_expiry_seconds)
                                : o_.prepare_expiry;
        fspiop::post_transfers p;
        p.transfer_id = t_.transfer_id;
        p.payee_fsp = t_.quote_source.empty() ? t_.payee_fsp : t_.quote_source;
        p.payer_fsp = payer_fsp_;
        p.amount = quote.transfer_amount;
        p.ilp_packet = quote.ilp_packet;
        p.condition = quote.condition;
        p.expiration = core::format_datetime(clock_.now() + expiry);
        // The switch reports expiry itself (3303); waiting past it by the grace means a lost callback.
        prepare_timeout_ = std::chrono::duration_cast<std::chrono::milliseconds>(expiry) + o_.transfer_grace;
        state_ = state::prepare_sent;
        return send{step::prepare, net::method::post, "transfers", "/transfers", p.payee_fsp, fspiop::encode(p),
                    t_.transfer_id};
    }
    return stopped();
}

outbound_flow::action outbound_flow::on_ack(std::optional<net::response> const& ack)
{
    switch(state_)
    {
    case state::lookup_sent:
        if(!acked(ack))
        {
            fail_request(t_, ack, "party lookup");
            return stopped();
        }
        state_ = state::lookup_waiting;
        return wait{o_.party_timeout};
    case state::quote_sent:
        if(!acked(ack))
        {
            fail_request(t_, ack, "quote request");
            return stopped();
        }
        state_ = state::quote_waiting;
        return wait{o_.quote_timeout};
    case state::prepare_sent:
        if(!acked(ack))
        {
            // Refused synchronously: the switch holds nothing.
            release_funds(money_, t_);
            fail_request(t_, ack, "transfer prepare");
            return stopped();
        }
        state_ = state::prepare_waiting;
        return wait{prepare_timeout_};
    case state::status_sent:
        if(!acked(ack))
            return unresolved();
        state_ = state::status_waiting;
        return wait{o_.transfer_grace};
    default:
        assert(false && "on_ack without a request in flight");
        return stopped();
    }
}

outbound_flow::action outbound_flow::on_callback(std::optional<callback> cb)
{
    switch(state_)
    {
    case state::lookup_waiting:
        if(!cb)
        {
            fail_timeout(t_, "resolving party", o_.party_timeout);
            return stopped();
        }
        return lookup_answered(std::move(*cb));
    case state::quote_waiting:
        if(!cb)
        {
            fail_timeout(t_, "requesting quote", o_.quote_timeout);
            return stopped();
        }
        return quote_answered(std::move(*cb));
    case state::prepare_waiting:
        if(cb && settle_outbound(money_, t_, *cb))
            return stopped();
        return status_query();
    case state::status_waiting:
        if(cb && settle_outbound(money_, t_, *cb))
            return stopped();
        return unresolved();
    default:
        assert(false && "on_callback without a wait");
        return stopped();
    }
}

outbound_flow::action outbound_flow::lookup_answered(callback cb)
{
    connector::parties_response pr;
    pr.headers = std::move(cb.headers);
    if(cb.error)
    {
        auto info = error_of(cb.body);
        pr.error_information = info;
        t_.party_response = std::move(pr);
        fail_callback(t_, std::move(info), "resolving party");
        return stopped();
    }
    auto put = fspiop::decode<fspiop::put_parties>(cb.body);
    if(!put)
    {
        fail(t_, 500, 500, error_info(fspiop::errc::internal_server_error, put.error().detail()),
             "Unreadable party lookup callback");
        return stopped();
    }
    pr.party = to_connector(put->party);
    t_.party_response = std::move(pr);
    if(!same_party(put->party.party_id_info, t_.request.to))
    {
        fail(t_, 500, 500, error_info(fspiop::errc::generic_validation_error, "resolved party is not the one asked for"),
             "Resolved payee party does not match");
        return stopped();
    }
    t_.payee = std::move(put->party);
    t_.payee_fsp = t_.payee.party_id_info.fsp_id.empty() ? cb.source : t_.payee.party_id_info.fsp_id;
    t_.payee.party_id_info.fsp_id = t_.payee_fsp;
    if(!o_.auto_accept_party && t_.transaction_request_id.empty())
    {
        t_.stage = outbound_stage::party_acceptance;
        t_.state = transfer_status::waiting_for_party_acceptance;
        return stopped();
    }
    t_.stage = outbound_stage::quote;
    return advance();
}

outbound_flow::action outbound_flow::quote_answered(callback cb)
{
    if(cb.error)
    {
        fail_callback(t_, error_of(cb.body), "requesting quote");
        return stopped();
    }
    auto put = fspiop::decode<fspiop::put_quotes>(cb.body);
    if(!put)
    {
        fail(t_, 500, 500, error_info(fspiop::errc::internal_server_error, put.error().detail()),
             "Unreadable quote callback");
        return stopped();
    }
    t_.quote_response = connector::quote_response{to_connector(*put), std::move(cb.headers)};
    t_.quote_source = cb.source;
    if(put->transfer_amount.currency != t_.request.currency)
    {
        fail(t_, 500, 500, error_info(fspiop::errc::generic_validation_error, "quote in another currency"),
             "Quote currency does not match");
        return stopped();
    }
    t_.quote = std::move(*put);
    if(!o_.auto_accept_quote && t_.transaction_request_id.empty())
    {
        t_.stage = outbound_stage::quote_acceptance;
        t_.state = transfer_status::waiting_for_quote_acceptance;
        return stopped();
    }
    t_.stage = outbound_stage::transfer;
    return advance();
}

// No final callback: ask the switch what became of it (GET /transfers/{ID} is answered from
// its ledger).
outbound_flow::action outbound_flow::status_query()
{
    state_ = state::status_sent;
    return send{step::status, net::method::get, "transfers", "/transfers/" + net::percent_encode(t_.transfer_id), {},
                {}, t_.transfer_id};
}

// Unknown outcome: keep the funds blocked until a late callback settles it.
outbound_flow::action outbound_flow::unresolved()
{
    t_.unresolved = true;
    fail_timeout(t_, "waiting for the transfer fulfil", prepare_timeout_);
    return stopped();
}

} // namespace mojasim::dfsp::detail
