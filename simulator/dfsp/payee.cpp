#include "simulator/dfsp/payee.hpp"

#include "simulator/fspiop/ilp.hpp"

#include <algorithm>

namespace mojasim::dfsp {

namespace {

fspiop::decode_error refuse(fspiop::errc code, std::string field, std::string message)
{
    return fspiop::decode_error{code, std::move(field), std::move(message), false};
}

} // namespace

// ---------------------------------------------------------------------------------------
// party_directory

std::string party_directory::key(fspiop::party_id_type type, std::string_view id, std::string_view sub_id)
{
    return party_key(fspiop::to_string(type), id, sub_id);
}

bool party_directory::add(party_config p)
{
    auto k = key(p.id_type, p.id, p.sub_id);
    auto const [it, added] = parties_.try_emplace(k, std::move(p));
    if(added)
        order_.push_back(std::move(k));
    return added;
}

party_config const* party_directory::find(fspiop::party_id_type type, std::string_view id,
                                          std::string_view sub_id) const
{
    auto const it = parties_.find(key(type, id, sub_id));
    return it == parties_.end() ? nullptr : &it->second;
}

std::vector<party_config> party_directory::all() const
{
    std::vector<party_config> out;
    out.reserve(order_.size());
    for(auto const& k : order_)
        out.push_back(parties_.at(k));
    return out;
}

fspiop::party to_fspiop_party(party_config const& p, std::string const& fsp_id)
{
    fspiop::party party;
    party.party_id_info.party_id_type = p.id_type;
    party.party_id_info.party_identifier = p.id;
    party.party_id_info.party_sub_id_or_type = p.sub_id;
    party.party_id_info.fsp_id = fsp_id;
    party.name = p.display_name;
    if(!p.first_name.empty() || !p.middle_name.empty() || !p.last_name.empty() || !p.date_of_birth.empty())
    {
        fspiop::party_personal_info info;
        if(!p.first_name.empty() || !p.middle_name.empty() || !p.last_name.empty())
            info.complex_name = fspiop::party_complex_name{p.first_name, p.middle_name, p.last_name};
        info.date_of_birth = p.date_of_birth;
        party.personal_info = std::move(info);
    }
    return party;
}

// ---------------------------------------------------------------------------------------
// quote_memory

void quote_memory::remember(std::string quote_id, quoted_split split)
{
    if(capacity_ == 0)
        return;
    auto const [it, added] = splits_.insert_or_assign(quote_id, std::move(split));
    if(!added)
        return;
    order_.push_back(std::move(quote_id));
    while(order_.size() > capacity_)
    {
        splits_.erase(order_.front());
        order_.pop_front();
    }
}

quoted_split const* quote_memory::find(std::string_view quote_id) const
{
    auto const it = splits_.find(std::string(quote_id));
    return it == splits_.end() ? nullptr : &it->second;
}

// ---------------------------------------------------------------------------------------
// decisions

fspiop::decode_result<fspiop::put_parties> answer_party(party_directory const& dir, payee_settings const& s,
                                                        fspiop::party_id_type type, std::string_view id,
                                                        std::string_view sub_id)
{
    auto const* p = dir.find(type, id, sub_id);
    if(!p)
        return refuse(fspiop::errc::party_not_found, "", "");
    return fspiop::put_parties{to_fspiop_party(*p, s.fsp_id)};
}

fspiop::decode_result<quote_answer> answer_quote(party_directory const& dir, payee_settings const& s,
                                                 fspiop::post_quotes const& request, core::time_point now)
{
    auto const& who = request.payee.party_id_info;
    auto const* p = dir.find(who.party_id_type, who.party_identifier, who.party_sub_id_or_type);
    if(!p)
        return refuse(fspiop::errc::party_not_found, "", "");
    if(request.amount.currency != s.currency)
        return refuse(fspiop::errc::payee_unsupported_currency, "amount.currency", "is not " + s.currency);
    if(request.fees && request.fees->currency != s.currency)
        return refuse(fspiop::errc::payee_unsupported_currency, "fees.currency", "is not " + s.currency);

    auto expiration = now + s.payee->quote_expiry;
    if(!request.expiration.empty())
    {
        auto const requested = core::parse_datetime(request.expiration);
        if(requested && *requested <= now)
            return refuse(fspiop::errc::quote_expired, "", "");
        if(requested)
            expiration = std::min(expiration, *requested);
    }

    auto const amount = decimal::parse_fspiop(request.amount.amount);
    if(!amount)
        return refuse(fspiop::errc::generic_validation_error, "amount.amount", "is not a valid amount");
    auto terms = compute_terms(s.payee->fee, request.amount_type, *amount, s.currency);
    if(!terms)
        return terms.error();

    quote_answer a;
    auto& r = a.response;
    r.transfer_amount = fspiop::money{s.currency, terms->transfer_amount.to_string()};
    r.payee_receive_amount = fspiop::money{s.currency, terms->payee_receive_amount.to_string()};
    r.payee_fsp_fee = fspiop::money{s.currency, terms->payee_fsp_fee.to_string()};
    r.expiration = core::format_datetime(expiration);
    auto ilp = fspiop::make_ilp_response(fspiop::make_transaction(request, r), s.ilp_secret);
    if(!ilp)
        return ilp.error();
    r.ilp_packet = std::move(ilp->ilp_packet);
    r.condition = std::move(ilp->condition);
    a.split = quoted_split{p->account, terms->payee_receive_amount, terms->payee_fsp_fee};
    return a;
}

fspiop::decode_result<transfer_acceptance> accept_transfer(party_directory const& dir, payee_settings const& s,
                                                           quote_memory const& quotes,
                                                           fspiop::post_transfers const& transfer,
                                                           core::time_point now, int api_major)
{
    auto t = fspiop::decode_ilp_transaction(transfer.ilp_packet, api_major);
    if(!t)
        return refuse(fspiop::errc::generic_validation_error, "ilpPacket", "does not hold an FSPIOP transaction");
    if(s.payee->check_ilp && !fspiop::transfer_matches_transaction(transfer, *t))
    {
        // Name the first difference, as a payee's log would.
        std::string field = "amount.amount";
        if(transfer.payer_fsp != t->payer.party_id_info.fsp_id)
            field = "payerFsp";
        else if(transfer.payee_fsp != t->payee.party_id_info.fsp_id)
            field = "payeeFsp";
        else if(transfer.amount.currency != t->amount.currency)
            field = "amount.currency";
        return refuse(fspiop::errc::generic_validation_error, field, "does not match the quoted ILP packet");
    }
    if(transfer.payee_fsp != s.fsp_id)
        return refuse(fspiop::errc::generic_validation_error, "payeeFsp", "is not " + s.fsp_id);

    auto const& who = t->payee.party_id_info;
    auto const* p = dir.find(who.party_id_type, who.party_identifier, who.party_sub_id_or_type);
    if(!p)
        return refuse(fspiop::errc::party_not_found, "", "");

    auto const expiration = core::parse_datetime(transfer.expiration);
    if(!expiration || *expiration <= now)
        return refuse(fspiop::errc::transfer_expired, "", "");

    transfer_acceptance a;
    a.fulfilment = fspiop::make_fulfilment(s.ilp_secret, transfer.ilp_packet);
    if(fspiop::make_condition(a.fulfilment) != transfer.condition)
        return refuse(fspiop::errc::generic_validation_error, "condition", "does not match the ILP packet");

    auto const amount = decimal::parse_fspiop(transfer.amount.amount);
    if(!amount)
        return refuse(fspiop::errc::generic_validation_error, "amount.amount", "is not a valid amount");
    a.account = p->account;
    a.payee_party_id = who.party_identifier;
    if(auto const* q = quotes.find(t->quote_id); q && checked_add(q->payee_receive_amount, q->payee_fsp_fee) == *amount)
    {
        a.credit = q->payee_receive_amount;
        a.fee = q->payee_fsp_fee;
    }
    else
    {
        auto const fee = s.payee->fee.fee_for(*amount, s.currency);
        auto const credit = fee ? checked_sub(*amount, std::min(*fee, *amount)) : std::nullopt;
        if(!credit)
            return refuse(fspiop::errc::payee_limit_error, "amount.amount", "with the fee is beyond the decimal range");
        a.fee = std::min(*fee, *amount);
        a.credit = *credit;
    }
    return a;
}

std::string payee_of_packet(std::string_view ilp_packet, int api_major)
{
    auto t = fspiop::decode_ilp_transaction(ilp_packet, api_major);
    return t ? t->payee.party_id_info.party_identifier : std::string{};
}

} // namespace mojasim::dfsp
