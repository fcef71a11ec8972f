// The connector's bulk transaction as a state machine (detail/bulk_outbound.hpp).
#include "simulator/dfsp/detail/bulk_outbound.hpp"

#include "simulator/dfsp/detail/enum_bridge.hpp"
#include "simulator/fspiop/codec.hpp"

#include <algorithm>
#include <unordered_map>

namespace mojasim::dfsp::detail {

using connector::transfer_status;

namespace {

fspiop::party to_fspiop(connector::party const& c, std::string const& fsp_id)
{
    fspiop::party p;
    auto const& id = c.party_id_info;
    p.party_id_info.party_id_type = bridge<fspiop::party_id_type>(id.party_id_type);
    p.party_id_info.party_identifier = id.party_identifier;
    p.party_id_info.party_sub_id_or_type = id.party_sub_id_or_type.value_or("");
    p.party_id_info.fsp_id = fsp_id;
    p.merchant_classification_code = c.merchant_classification_code.value_or("");
    p.name = c.name.value_or("");
    if(c.personal_info)
    {
        fspiop::party_personal_info info;
        if(auto const& n = c.personal_info->complex_name)
            info.complex_name =
                fspiop::party_complex_name{n->first_name.value_or(""), n->middle_name.value_or(""), n->last_name.value_or("")};
        info.date_of_birth = c.personal_info->date_of_birth.value_or("");
        p.personal_info = std::move(info);
    }
    return p;
}

connector::party to_connector_party(fspiop::party const& p)
{
    auto const c = to_connector(p);
    return c;
}

bool same_party(fspiop::party_id_info const& got, connector::party_id_info const& want)
{
    return same_value(got.party_id_type, want.party_id_type) && got.party_identifier == want.party_identifier &&
           got.party_sub_id_or_type == want.party_sub_id_or_type.value_or("");
}

bool final_state(bulk_item const& it)
{
    return it.stage == outbound_stage::done;
}

} // namespace

bulk_flow::bulk_flow(bulk_transaction& b, bank& money, std::string payer_fsp, connector_config const& o,
                     core::id_generator& ids, core::clock const& clock)
    : b_(b), money_(money), payer_fsp_(std::move(payer_fsp)), o_(o), ids_(ids), clock_(clock)
{
}

bool bulk_flow::stopped() const noexcept
{
    return b_.state != connector::bulk_transaction_state::processing;
}

void bulk_flow::fail(bulk_item& it, std::int32_t http, std::optional<connector::error_information> info)
{
    if(it.funds_blocked)
        money_.release(it.transfer_id);
    it.funds_blocked = false;
    it.stage = outbound_stage::done;
    it.state = transfer_status::error_occurred;
    connector::transfer_error e;
    e.http_status_code = http;
    if(info)
        e.mojaloop_error = connector::mojaloop_error{std::move(info)};
    it.last_error = std::move(e);
}

void bulk_flow::fail_refused(bulk_item& it, refused const& r)
{
    if(!r.ack)
    {
        fail(it, 503, std::nullopt);
        return;
    }
    auto e = fspiop::decode<fspiop::error_information_object>(r.ack->body);
    std::optional<connector::error_information> info;
    if(e)
        info = to_connector(e->error_information);
    fail(it, static_cast<std::int32_t>(r.ack->status), std::move(info));
}

std::vector<bulk_flow::send> bulk_flow::start()
{
    auto const skip = b_.request.options.skip_party_lookup.value_or(false);
    for(auto& it : b_.items)
    {
        it.transfer_id = ids_.uuid_v4();
        if(skip)
        {
            auto const& fsp = it.request.to.party_id_info.fsp_id;
            if(!fsp)
            {
                fail(it, 400, error_info(fspiop::errc::generic_validation_error,
                                         "to.partyIdInfo.fspId is required when skipPartyLookup is true"));
                continue;
            }
            it.payee_fsp = *fsp;
            it.payee = to_fspiop(it.request.to, it.payee_fsp);
            it.stage = outbound_stage::quote;
        }
    }
    if(skip)
        return after_lookups();
    return next_lookups();
}

std::vector<bulk_flow::send> bulk_flow::next_lookups()
{
    std::vector<send> out;
    auto const limit = std::max<std::size_t>(o_.bulk_concurrency, 1);
    while(next_lookup_ < b_.items.size() && in_flight_ < limit)
    {
        auto const i = next_lookup_++;
        auto const& it = b_.items[i];
        if(it.stage != outbound_stage::lookup)
            continue;
        auto const& to = it.request.to.party_id_info;
        std::string const type(connector::to_string(to.party_id_type));
        std::string const sub = to.party_sub_id_or_type.value_or("");
        ++in_flight_;
        out.push_back(send{step::lookup, i, net::method::get, "parties",
                           party_path("parties", type, to.party_identifier, sub), {}, {},
                           party_key(type, to.party_identifier, sub), o_.party_timeout});
    }
    if(out.empty() && in_flight_ == 0)
        return after_lookups();
    return out;
}

void bulk_flow::lookup_answered(bulk_item& it, callback const& cb)
{
    if(cb.error)
    {
        fail(it, 500, error_of(cb.body));
        return;
    }
    auto put = fspiop::decode<fspiop::put_parties>(cb.body);
    if(!put)
    {
        fail(it, 500, error_info(fspiop::errc::internal_server_error, "unreadable party callback: " + put.error().detail()));
        return;
    }
    if(!same_party(put->party.party_id_info, it.request.to.party_id_info))
    {
        fail(it, 500, error_info(fspiop::errc::generic_validation_error, "the lookup answered for another party"));
        return;
    }
    it.payee = put->party;
    it.payee_fsp = put->party.party_id_info.fsp_id.empty() ? cb.source : put->party.party_id_info.fsp_id;
    it.payee.party_id_info.fsp_id = it.payee_fsp;
    it.stage = b_.request.options.auto_accept_party ? outbound_stage::quote : outbound_stage::party_acceptance;
    if(it.stage == outbound_stage::party_acceptance)
        it.state = transfer_status::waiting_for_party_acceptance;
}

std::vector<bulk_flow::send> bulk_flow::after_lookups()
{
    bool const waiting = std::any_of(b_.items.begin(), b_.items.end(),
                                     [](bulk_item const& it) { return it.stage == outbound_stage::party_acceptance; });
    if(waiting)
    {
        b_.state = connector::bulk_transaction_state::waiting_for_party_acceptance;
        return {};
    }
    return quotes();
}

std::vector<bulk_flow::send> bulk_flow::quotes()
{
    b_.state = connector::bulk_transaction_state::processing;
    // Group by payee FSP in the order of the request, at most bulk_max_items per group.
    auto const max_items = std::clamp<std::size_t>(o_.bulk_max_items, 1, 1000);
    std::unordered_map<std::string, std::size_t> open; // payee FSP -> its group being filled
    for(std::size_t i = 0; i < b_.items.size(); ++i)
    {
        auto& it = b_.items[i];
        if(it.stage != outbound_stage::quote)
            continue;
        auto found = open.find(it.payee_fsp);
        if(found == open.end() || b_.groups[found->second].items.size() >= max_items)
        {
            b_.groups.push_back(bulk_group{it.payee_fsp, {}, ids_.uuid_v4(), {}, {}, false});
            found = open.insert_or_assign(it.payee_fsp, b_.groups.size() - 1).first;
        }
        b_.groups[found->second].items.push_back(i);
    }
    auto const& r = b_.request;
    auto const now = clock_.now();
    auto expiration = now + o_.quote_expiry;
    if(auto const until = core::parse_datetime(r.options.bulk_expiration); until && *until > now)
        expiration = std::min(expiration, *until);
    std::vector<send> out;
    for(std::size_t g = 0; g < b_.groups.size(); ++g)
    {
        auto& group = b_.groups[g];
        fspiop::post_bulk_quotes q;
        q.bulk_quote_id = group.bulk_quote_id;
        q.payer = to_fspiop(r.from, payer_fsp_);
        q.expiration = core::format_datetime(expiration);
        q.individual_quotes.reserve(group.items.size());
        for(auto const i : group.items)
        {
            auto& it = b_.items[i];
            it.quote_id = ids_.uuid_v4();
            fspiop::individual_quote iq;
            iq.quote_id = it.quote_id;
            iq.transaction_id = it.transfer_id;
            iq.payee = it.payee;
            iq.amount_type = it.request.amount_type == connector::amount_type::send ? fspiop::amount_type::send
                                                                                     : fspiop::amount_type::receive;
            iq.amount = fspiop::money{it.request.currency, it.request.amount.to_string()};
            iq.transaction_type.scenario = fspiop::transaction_scenario::transfer;
            iq.transaction_type.initiator = fspiop::transaction_initiator::payer;
            iq.transaction_type.initiator_type = fspiop::transaction_initiator_type::consumer;
            iq.note = it.request.note.value_or("");
            q.individual_quotes.push_back(std::move(iq));
        }
        ++in_flight_;
        ++groups_waiting_;
        out.push_back(send{step::bulk_quote, g, net::method::post, "bulkQuotes", "/bulkQuotes", group.payee_fsp,
                           fspiop::encode(q), group.bulk_quote_id, o_.quote_timeout});
    }
    if(out.empty())
        return after_quotes();
    return out;
}

bool bulk_flow::fee_acceptable(fspiop::individual_quote_result const& q) const
{
    if(!q.payee_fsp_fee)
        return true;
    auto const fee = decimal::parse_fspiop(q.payee_fsp_fee->amount);
    for(auto const& limit : b_.request.options.per_transfer_fee_limits)
        if(limit.currency == q.payee_fsp_fee->currency && fee && *fee > limit.amount)
            return false;
    return true;
}

void bulk_flow::quote_answered(bulk_group& g, callback const& cb)
{
    if(cb.error)
    {
        auto const info = error_of(cb.body);
        for(auto const i : g.items)
            fail(b_.items[i], 500, info);
        return;
    }
    auto put = fspiop::decode<fspiop::put_bulk_quotes>(cb.body);
    if(!put)
    {
        auto const info = error_info(fspiop::errc::internal_server_error, "unreadable bulk quote callback: " + put.error().detail());
        for(auto const i : g.items)
            fail(b_.items[i], 500, info);
        return;
    }
    std::unordered_map<std::string, fspiop::individual_quote_result*> by_id;
    for(auto& r : put->individual_quote_results)
        by_id.emplace(r.quote_id, &r);
    for(auto const i : g.items)
    {
        auto& it = b_.items[i];
        auto const found = by_id.find(it.quote_id);
        if(found == by_id.end())
        {
            fail(it, 500, error_info(fspiop::errc::generic_payee_error, "the bulk quote has no result for this quote"));
            continue;
        }
        auto& r = *found->second;
        if(r.error_information)
        {
            fail(it, 500, to_connector(*r.error_information));
            continue;
        }
        if(!r.transfer_amount || r.ilp_packet.empty() || r.condition.empty())
        {
            fail(it, 500, error_info(fspiop::errc::generic_payee_error, "the quote result has no terms"));
            continue;
        }
        it.quote = std::move(r);
        if(!b_.request.options.auto_accept_quote)
        {
            it.stage = outbound_stage::quote_acceptance;
            it.state = transfer_status::waiting_for_quote_acceptance;
        }
        else if(!fee_acceptable(*it.quote))
            fail(it, 500, error_info(fspiop::errc::generic_payer_rejection, "payee fee above perTransferFeeLimits"));
        else
            it.stage = outbound_stage::transfer;
    }
}

std::vector<bulk_flow::send> bulk_flow::after_quotes()
{
    bool const waiting = std::any_of(b_.items.begin(), b_.items.end(),
                                     [](bulk_item const& it) { return it.stage == outbound_stage::quote_acceptance; });
    if(waiting)
    {
        b_.state = connector::bulk_transaction_state::waiting_for_quote_acceptance;
        return {};
    }
    return transfers();
}

std::vector<bulk_flow::send> bulk_flow::transfers()
{
    b_.state = connector::bulk_transaction_state::processing;
    auto const expiry = o_.prepare_expiry;
    transfer_timeout_ = std::chrono::duration_cast<std::chrono::milliseconds>(expiry) + o_.transfer_grace;
    std::vector<send> out;
    for(std::size_t g = 0; g < b_.groups.size(); ++g)
    {
        auto& group = b_.groups[g];
        fspiop::post_bulk_transfers t;
        for(auto const i : group.items)
        {
            auto& it = b_.items[i];
            if(it.stage != outbound_stage::transfer)
                continue;
            it.state.reset();
            auto const& q = *it.quote;
            auto const amount = decimal::parse_fspiop(q.transfer_amount->amount).value_or(decimal{});
            auto const blocked = money_.block(it.transfer_id, b_.payer_account, amount);
            if(blocked != block_outcome::blocked)
            {
                fail(it, 500, error_info(fspiop::errc::generic_payer_error,
                                         blocked == block_outcome::insufficient_funds
                                             ? "insufficient funds in account " + b_.payer_account
                                             : "cannot block funds in " + b_.payer_account));
                continue;
            }
            it.funds_blocked = true;
            fspiop::individual_transfer item;
            item.transfer_id = it.transfer_id;
            item.transfer_amount = *q.transfer_amount;
            item.ilp_packet = q.ilp_packet;
            item.condition = q.condition;
            t.individual_transfers.push_back(std::move(item));
            group.prepared.push_back(i);
        }
        if(group.prepared.empty())
            continue;
        group.bulk_transfer_id = ids_.uuid_v4();
        t.bulk_transfer_id = group.bulk_transfer_id;
        t.bulk_quote_id = group.bulk_quote_id;
        t.payer_fsp = payer_fsp_;
        t.payee_fsp = group.payee_fsp;
        t.expiration = core::format_datetime(clock_.now() + expiry);
        ++in_flight_;
        ++groups_waiting_;
        out.push_back(send{step::bulk_transfer, g, net::method::post, "bulkTransfers", "/bulkTransfers",
                           group.payee_fsp, fspiop::encode(t), group.bulk_transfer_id, transfer_timeout_});
    }
    finish_if_done();
    return out;
}

bool bulk_flow::transfer_answered(bulk_group& g, callback const& cb)
{
    if(cb.error)
    {
        auto const info = error_of(cb.body);
        for(auto const i : g.prepared)
            if(!final_state(b_.items[i]))
                fail(b_.items[i], 500, info);
        return true;
    }
    auto put = fspiop::decode<fspiop::put_bulk_transfers>(cb.body);
    if(!put)
        return false;
    if(put->bulk_transfer_state != fspiop::bulk_transfer_state::completed &&
       put->bulk_transfer_state != fspiop::bulk_transfer_state::rejected)
        return false; // not final: the outcome is still open
    std::unordered_map<std::string, fspiop::individual_transfer_result const*> by_id;
    for(auto const& r : put->individual_transfer_results)
        by_id.emplace(r.transfer_id, &r);
    for(auto const i : g.prepared)
    {
        auto& it = b_.items[i];
        if(final_state(it))
            continue;
        auto const found = by_id.find(it.transfer_id);
        if(found == by_id.end())
        {
            if(put->bulk_transfer_state == fspiop::bulk_transfer_state::rejected)
                fail(it, 500, error_info(fspiop::errc::generic_payee_rejection, "bulk transfer REJECTED"));
            continue; // left open: resolved below
        }
        auto const& r = *found->second;
        if(r.error_information || r.fulfilment.empty())
        {
            fail(it, 500, r.error_information ? to_connector(*r.error_information)
                                              : error_info(fspiop::errc::generic_payee_error, "no fulfilment"));
            continue;
        }
        if(it.funds_blocked)
            money_.book(it.transfer_id);
        it.funds_blocked = false;
        it.fulfilment = r.fulfilment;
        it.stage = outbound_stage::done;
        it.state = transfer_status::completed;
        it.last_error.reset();
    }
    return true;
}

void bulk_flow::finish_if_done()
{
    if(groups_waiting_ != 0 || in_flight_ != 0)
        return;
    // What is left open now stays so: funds blocked, outcome unknown (a 504 without a
    // Mojaloop error, as a lost callback of a single transfer).
    for(auto& it : b_.items)
    {
        if(final_state(it))
            continue;
        it.unresolved = true;
        it.stage = outbound_stage::done;
        it.state = transfer_status::error_occurred;
        it.last_error = connector::transfer_error{504, std::nullopt};
    }
    b_.state = connector::bulk_transaction_state::completed;
}

std::vector<bulk_flow::send> bulk_flow::on_answer(step what, std::size_t index, bulk_answer answer)
{
    if(in_flight_ > 0)
        --in_flight_;
    switch(what)
    {
    case step::lookup:
    {
        auto& it = b_.items.at(index);
        if(auto const* r = std::get_if<refused>(&answer))
            fail_refused(it, *r);
        else if(std::holds_alternative<timed_out>(answer))
            fail(it, 504, std::nullopt);
        else
            lookup_answered(it, std::get<callback>(answer));
        return next_lookups();
    }
    case step::bulk_quote:
    {
        auto& g = b_.groups.at(index);
        --groups_waiting_;
        if(auto const* r = std::get_if<refused>(&answer))
            for(auto const i : g.items)
                fail_refused(b_.items[i], *r);
        else if(std::holds_alternative<timed_out>(answer))
            for(auto const i : g.items)
                fail(b_.items[i], 504, std::nullopt);
        else
            quote_answered(g, std::get<callback>(answer));
        if(groups_waiting_ != 0)
            return {};
        return after_quotes();
    }
    case step::bulk_transfer:
    case step::bulk_status:
    {
        auto& g = b_.groups.at(index);
        bool settled = false;
        if(auto const* r = std::get_if<refused>(&answer))
        {
            // The switch did not take the prepare (or the question): it holds nothing new.
            if(what == step::bulk_transfer)
            {
                for(auto const i : g.prepared)
                    fail_refused(b_.items[i], *r);
                settled = true;
            }
        }
        else if(auto* cb = std::get_if<callback>(&answer))
            settled = transfer_answered(g, *cb);
        bool const open = std::any_of(g.prepared.begin(), g.prepared.end(),
                                      [this](std::size_t i) { return !final_state(b_.items[i]); });
        if(open && !g.status_asked && (!settled || what == step::bulk_transfer))
        {
            // No (final) answer: ask the switch once where the bulk transfer is.
            g.status_asked = true;
            ++in_flight_;
            return {send{step::bulk_status, index, net::method::get, "bulkTransfers",
                         "/bulkTransfers/" + net::percent_encode(g.bulk_transfer_id), {}, {}, g.bulk_transfer_id,
                         o_.quote_timeout}};
        }
        --groups_waiting_;
        finish_if_done();
        return {};
    }
    }
    return {};
}

std::string bulk_flow::on_accept(connector::bulk_transaction_continuation const& c, std::vector<send>& out)
{
    using kind = connector::bulk_transaction_continuation::kind;
    auto const want = c.what == kind::accept_party ? outbound_stage::party_acceptance : outbound_stage::quote_acceptance;
    auto const state = c.what == kind::accept_party ? connector::bulk_transaction_state::waiting_for_party_acceptance
                                                    : connector::bulk_transaction_state::waiting_for_quote_acceptance;
    if(b_.state != state)
        return "bulk transaction " + b_.request.bulk_transaction_id + " is not " + std::string(connector::to_string(state));
    std::unordered_map<std::string, bulk_item*> by_id;
    for(auto& it : b_.items)
        by_id.emplace(it.transfer_id, &it);
    for(auto const& e : c.individual_transfers)
    {
        auto const found = by_id.find(e.transfer_id);
        if(found == by_id.end())
            return "no individual transfer " + e.transfer_id + " in bulk transaction " + b_.request.bulk_transaction_id;
        if(found->second->stage != want)
            return "individual transfer " + e.transfer_id + " is not waiting for this acceptance";
    }
    for(auto const& e : c.individual_transfers)
    {
        auto& it = *by_id.at(e.transfer_id);
        if(!e.accepted)
        {
            fail(it, 500, error_info(fspiop::errc::generic_payer_rejection,
                                     c.what == kind::accept_party ? "payee party rejected" : "quote rejected"));
            continue;
        }
        it.state.reset();
        it.stage = c.what == kind::accept_party ? outbound_stage::quote : outbound_stage::transfer;
    }
    bool const still = std::any_of(b_.items.begin(), b_.items.end(), [want](bulk_item const& it) { return it.stage == want; });
    if(still)
        return {};
    out = c.what == kind::accept_party ? quotes() : transfers();
    return {};
}

connector::bulk_transaction_response response_of(bulk_transaction const& b)
{
    connector::bulk_transaction_response r;
    r.bulk_transaction_id = b.request.bulk_transaction_id;
    r.bulk_home_transaction_id = b.request.bulk_home_transaction_id;
    r.current_state = b.state;
    r.individual_transfer_results.reserve(b.items.size());
    for(auto const& it : b.items)
    {
        connector::bulk_transfer_result t;
        t.transfer_id = it.transfer_id;
        t.home_transaction_id = it.request.home_transaction_id;
        t.to = it.request.to;
        if(!it.payee_fsp.empty())
        {
            t.to = to_connector_party(it.payee);
            t.to.party_id_info.fsp_id = it.payee_fsp;
        }
        t.amount_type = it.request.amount_type;
        t.currency = it.request.currency;
        t.amount = it.request.amount;
        t.note = it.request.note;
        t.current_state = it.state;
        if(!it.quote_id.empty())
            t.quote_id = it.quote_id;
        if(it.quote)
        {
            auto money_of = [](std::optional<fspiop::money> const& m) -> std::optional<connector::money> {
                if(!m)
                    return std::nullopt;
                return connector::money{m->currency, decimal::parse_fspiop(m->amount).value_or(decimal{})};
            };
            t.transfer_amount = money_of(it.quote->transfer_amount);
            t.payee_receive_amount = money_of(it.quote->payee_receive_amount);
            t.payee_fsp_fee = money_of(it.quote->payee_fsp_fee);
        }
        if(!it.fulfilment.empty())
            t.fulfilment = it.fulfilment;
        if(it.state == transfer_status::completed)
            t.transfer_state = connector::transfer_state::committed;
        t.last_error = it.last_error;
        r.individual_transfer_results.push_back(std::move(t));
    }
    return r;
}

} // namespace mojasim::dfsp::detail
