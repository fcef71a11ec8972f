// The payee's bulk answers (FSPIOP /bulkQuotes and /bulkTransfers), and the bulk callbacks
// the payer side waits for.
//
// POST /bulkQuotes: each individual quote is answered as a single POST /quotes would be (fee
// rule, ILP packet and condition, the same refusals), as one individualQuoteResult: the terms,
// or its errorInformation (an unknown party inside a bulk: 3204). POST /bulkTransfers: each
// individual transfer is checked as a single prepare (packet, payee, expiry, condition) and
// credited to its payee's account, its result the fulfilment or its errorInformation;
// bulkTransferState COMPLETED when one item at least was fulfilled, else REJECTED.
//
// Fault rules: a bulk_quote / bulk_transfer rule acts on the whole message (error: PUT
// .../error; delay, no_callback, duplicate_callback, malformed_body, forged_signature as for
// single callbacks); quote / transfer rules act on each item (error, wrong_fulfilment), an
// `item` rule on the n-th only. The same bulk again gets the same answer, never a second
// credit. The switch's PUT /bulkTransfers/{ID} (or /error) to the payee settles each item:
// committed, or aborted and its credit taken back.
#include "simulator/dfsp/detail/actor_impl.hpp"

#include "simulator/fspiop/codec.hpp"
#include "simulator/fspiop/errors.hpp"
#include "simulator/fspiop/ilp.hpp"

namespace mojasim::dfsp {

namespace {

using detail::inbound_state;

std::string quote_key(std::string_view id)
{
    return "bulkQuotes/" + std::string(id);
}

std::string transfer_key(std::string_view id)
{
    return "bulkTransfers/" + std::string(id);
}

detail::inbound_bulk& remember_bulk(dfsp_actor::impl& self, std::string const& key, std::size_t items)
{
    auto const added = self.inbound_bulks.try_emplace(key).second;
    if(added)
    {
        self.inbound_bulk_order.add(key, std::max<std::size_t>(items, 1));
        self.inbound_bulk_order.keep_within(self.cfg.payee.quote_memory,
                                            [&](std::string const& old) { self.inbound_bulks.erase(old); });
    }
    return self.inbound_bulks.at(key);
}

fspiop::error_information error_of(fspiop::decode_error const& e)
{
    auto info = fspiop::error_information::from(e.code, e.detail());
    return info;
}

bool broken(std::optional<fault_rule> const& rule)
{
    return rule && (rule->action == fault_action::no_callback || rule->action == fault_action::malformed_body);
}

// The same bulk again: repeat the answer that was sent (none when a fault kept it back).
net::awaitable<void> resend(impl_ptr self, std::string base, std::string resource, std::string id,
                            detail::inbound_bulk rec, fspiop::version v)
{
    if(rec.answer_body.empty())
        co_return;
    std::string path = "/" + resource + "/" + net::percent_encode(id);
    if(rec.answer_error)
        path += "/error";
    auto req = self->fspiop_message(net::method::put, resource, rec.payer_fsp, std::move(rec.answer_body), v);
    std::string const url = base + path;
    auto sent = co_await send_to(self, url, std::move(req));
    (void)sent;
}

// ---------------------------------------------------------------------------------------
// POST /bulkQuotes

fspiop::individual_quote_result quote_item(dfsp_actor::impl& self, fspiop::post_bulk_quotes const& bulk,
                                           fspiop::individual_quote const& item, std::uint32_t n,
                                           core::time_point now)
{
    fspiop::individual_quote_result r;
    r.quote_id = item.quote_id;
    auto const amount = decimal::parse_fspiop(item.amount.amount);
    auto const rule =
        match_fault(self, fault_subject{fault_step::quote, item.payee.party_id_info.party_identifier, amount, n});
    if(rule && rule->action == fault_action::error)
    {
        r.error_information = fault_error_info(*rule, fault_step::quote);
        return r;
    }
    fspiop::post_quotes q;
    q.quote_id = item.quote_id;
    q.transaction_id = item.transaction_id;
    q.payee = item.payee;
    q.payer = bulk.payer;
    q.amount_type = item.amount_type;
    q.amount = item.amount;
    q.fees = item.fees;
    q.transaction_type = item.transaction_type;
    q.geo_code = bulk.geo_code;
    q.note = item.note;
    q.expiration = bulk.expiration;
    auto answer = answer_quote(self.parties, self.payee, q, now);
    if(!answer)
    {
        r.error_information = error_of(answer.error());
        return r;
    }
    auto& a = answer->response;
    r.payee = item.payee;
    r.transfer_amount = a.transfer_amount;
    r.payee_receive_amount = a.payee_receive_amount;
    r.payee_fsp_fee = a.payee_fsp_fee;
    r.payee_fsp_commission = a.payee_fsp_commission;
    r.ilp_packet = std::move(a.ilp_packet);
    r.condition = std::move(a.condition);
    self.quotes.remember(item.quote_id, std::move(answer->split));
    return r;
}

net::awaitable<void> answer_bulk_quote(impl_ptr self, fspiop::post_bulk_quotes bulk, std::string requester,
                                       fspiop::version v)
{
    auto const key = quote_key(bulk.bulk_quote_id);
    if(auto const it = self->inbound_bulks.find(key); it != self->inbound_bulks.end())
    {
        auto rec = it->second;
        co_await resend(self, self->cfg.switch_api.quotes(), "bulkQuotes", bulk.bulk_quote_id, std::move(rec), v);
        co_return;
    }
    auto const rule = match_fault(*self, fault_subject{fault_step::bulk_quote, {}, std::nullopt, 0});
    remember_bulk(*self, key, bulk.individual_quotes.size()).payer_fsp = requester;
    co_await pause_if(rule);

    auto const now = self->clock.now();
    std::string body;
    bool error = true;
    auto const requested = core::parse_datetime(bulk.expiration);
    if(rule && rule->action == fault_action::error)
        body = fault_error_body(*rule, fault_step::bulk_quote);
    else if(!bulk.expiration.empty() && requested && *requested <= now)
        body = fspiop::error_body(fspiop::errc::quote_expired, "the bulk quote's expiration has passed");
    else
    {
        error = false;
        fspiop::put_bulk_quotes out;
        auto expiration = now + self->cfg.payee.quote_expiry;
        if(requested)
            expiration = std::min(expiration, *requested);
        out.expiration = core::format_datetime(expiration);
        out.individual_quote_results.reserve(bulk.individual_quotes.size());
        std::uint32_t n = 0;
        for(auto const& item : bulk.individual_quotes)
            out.individual_quote_results.push_back(quote_item(*self, bulk, item, ++n, now));
        body = fspiop::encode(out);
    }
    ++self->counters.quotes_answered;
    if(auto const it = self->inbound_bulks.find(key); it != self->inbound_bulks.end() && !broken(rule))
    {
        it->second.answer_body = body;
        it->second.answer_error = error;
    }
    std::string path = "/bulkQuotes/" + net::percent_encode(bulk.bulk_quote_id);
    if(error)
        path += "/error";
    auto req = self->fspiop_message(net::method::put, "bulkQuotes", requester, std::move(body), v);
    std::string const url = self->cfg.switch_api.quotes() + path;
    auto sent = co_await send_callback(self, url, std::move(req), rule);
    (void)sent;
}

// ---------------------------------------------------------------------------------------
// POST /bulkTransfers

// One item: its result, and (when fulfilled and `book` holds) its credit, at once.
fspiop::individual_transfer_result transfer_item(dfsp_actor::impl& self, fspiop::post_bulk_transfers const& bulk,
                                                 fspiop::individual_transfer const& item, std::uint32_t n,
                                                 bool book, int api_major, detail::inbound_bulk& record)
{
    fspiop::individual_transfer_result r;
    r.transfer_id = item.transfer_id;
    fspiop::post_transfers t;
    t.transfer_id = item.transfer_id;
    t.payee_fsp = bulk.payee_fsp;
    t.payer_fsp = bulk.payer_fsp;
    t.amount = item.transfer_amount;
    t.ilp_packet = item.ilp_packet;
    t.condition = item.condition;
    t.expiration = bulk.expiration;
    auto const amount = decimal::parse_fspiop(item.transfer_amount.amount);
    auto decision = accept_transfer(self.parties, self.payee, self.quotes, t, self.clock.now(), api_major);
    auto const payee_id = decision ? decision->payee_party_id : payee_of_packet(item.ilp_packet, api_major);
    auto const rule = match_fault(self, fault_subject{fault_step::transfer, payee_id, amount, n});
    auto refuse = [&](fspiop::error_information info) {
        r.error_information = std::move(info);
        ++self.counters.transfers_refused;
    };
    if(self.inbound.contains(item.transfer_id))
        refuse(fspiop::error_information::from(fspiop::errc::generic_validation_error,
                                               "transferId " + item.transfer_id + " was already received"));
    else if(rule && rule->action == fault_action::error)
        refuse(fault_error_info(*rule, fault_step::transfer));
    else if(!decision)
        refuse(error_of(decision.error()));
    else if(!can_credit(self, *decision))
        refuse(fspiop::error_information::from(fspiop::errc::payee_limit_error,
                                               "the credit would take the account beyond " +
                                                   decimal::max().to_string()));
    else
    {
        r.fulfilment = decision->fulfilment;
        if(rule && rule->action == fault_action::wrong_fulfilment)
            r.fulfilment = fspiop::make_fulfilment(self.cfg.ilp_secret + "/wrong", item.ilp_packet);
        if(book)
        {
            auto& rec = self.remember_inbound(item.transfer_id);
            rec.payer_fsp = bulk.payer_fsp;
            rec.account = decision->account;
            rec.credit = decision->credit;
            rec.fee = decision->fee;
            credit(self, rec);
            ++self.counters.fulfils_sent;
            record.transfer_ids.push_back(item.transfer_id);
        }
    }
    return r;
}

net::awaitable<void> answer_bulk_transfer(impl_ptr self, fspiop::post_bulk_transfers bulk, std::string requester,
                                          fspiop::version v)
{
    auto const id = bulk.bulk_transfer_id;
    auto const key = transfer_key(id);
    if(auto const it = self->inbound_bulks.find(key); it != self->inbound_bulks.end())
    {
        auto rec = it->second;
        co_await resend(self, self->cfg.switch_api.transfers(), "bulkTransfers", id, std::move(rec), v);
        co_return;
    }
    auto const rule = match_fault(*self, fault_subject{fault_step::bulk_transfer, {}, std::nullopt, 0});
    remember_bulk(*self, key, bulk.individual_transfers.size()).payer_fsp = requester;
    co_await pause_if(rule);
    auto const found = self->inbound_bulks.find(key);
    if(found == self->inbound_bulks.end())
        co_return;
    auto& record = found->second;

    std::string body;
    bool error = true;
    auto const expiration = core::parse_datetime(bulk.expiration);
    if(rule && rule->action == fault_action::error)
        body = fault_error_body(*rule, fault_step::bulk_transfer);
    else if(bulk.payee_fsp != self->cfg.fsp_id)
        body = fspiop::error_body(fspiop::errc::generic_validation_error, "payeeFsp is not " + self->cfg.fsp_id);
    else if(!expiration || *expiration <= self->clock.now())
        body = fspiop::error_body(fspiop::errc::transfer_expired, "the bulk transfer's expiration has passed");
    else
    {
        error = false;
        fspiop::put_bulk_transfers out;
        out.completed_timestamp = core::format_datetime(self->clock.now());
        out.individual_transfer_results.reserve(bulk.individual_transfers.size());
        bool const book = !broken(rule);
        bool any = false;
        std::uint32_t n = 0;
        for(auto const& item : bulk.individual_transfers)
        {
            out.individual_transfer_results.push_back(transfer_item(*self, bulk, item, ++n, book, v.major, record));
            any = any || !out.individual_transfer_results.back().fulfilment.empty();
        }
        out.bulk_transfer_state = any ? fspiop::bulk_transfer_state::completed : fspiop::bulk_transfer_state::rejected;
        body = fspiop::encode(out);
    }
    if(!broken(rule))
    {
        record.answer_body = body;
        record.answer_error = error;
    }

    std::string path = "/bulkTransfers/" + net::percent_encode(id);
    if(error)
        path += "/error";
    auto req = self->fspiop_message(net::method::put, "bulkTransfers", requester, std::move(body), v);
    std::string const url = self->cfg.switch_api.transfers() + path;
    auto sent = co_await send_callback(self, url, std::move(req), rule);
    // Fulfils the switch did not take never commit: take the credits back.
    if(!sent || !sent->ok())
    {
        if(auto const again = self->inbound_bulks.find(key); again != self->inbound_bulks.end())
            for(auto const& tid : again->second.transfer_ids)
                if(auto const t = self->inbound.find(tid);
                   t != self->inbound.end() && t->second.state == inbound_state::credited)
                    reverse(*self, t->second);
    }
}

net::response bad_request(fspiop::decode_error const& e)
{
    return net::make_response(fspiop::http_status(e.code), e.body());
}

detail::callback callback_of(net::request& req, bool error)
{
    detail::callback cb;
    cb.error = error;
    cb.body = std::move(req.body);
    cb.headers = detail::echo_headers(req.fields);
    cb.source = std::string(req.fields.value_or("FSPIOP-Source"));
    return cb;
}

} // namespace

net::awaitable<net::response> on_post_bulk_quotes(impl_ptr self, net::request req)
{
    fspiop::version v;
    if(auto bad = self->check_headers(req, true, v))
        co_return std::move(*bad);
    auto bulk = fspiop::decode<fspiop::post_bulk_quotes>(req.body, v.major);
    if(!bulk)
        co_return bad_request(bulk.error());
    std::string const requester(req.fields.value_or("FSPIOP-Source"));
    net::spawn(self->ex, answer_bulk_quote(self, std::move(*bulk), requester, v), "dfsp");
    co_return net::make_empty(202);
}

net::awaitable<net::response> on_post_bulk_transfers(impl_ptr self, net::request req)
{
    fspiop::version v;
    if(auto bad = self->check_headers(req, true, v))
        co_return std::move(*bad);
    auto bulk = fspiop::decode<fspiop::post_bulk_transfers>(req.body, v.major);
    if(!bulk)
        co_return bad_request(bulk.error());
    std::string const requester(req.fields.value_or("FSPIOP-Source"));
    net::spawn(self->ex, answer_bulk_transfer(self, std::move(*bulk), requester, v), "dfsp");
    co_return net::make_empty(202);
}

net::awaitable<net::response> on_put_bulk_quotes(impl_ptr self, net::request req)
{
    fspiop::version v;
    if(auto bad = self->check_headers(req, false, v))
        co_return std::move(*bad);
    std::string const id(req.params.get("ID"));
    auto const it = self->bulk_quote_waiters.find(id);
    if(it == self->bulk_quote_waiters.end())
    {
        ++self->counters.late_callbacks;
        co_return net::make_empty(200);
    }
    it->second->deliver(callback_of(req, req.path().ends_with("/error")));
    co_return net::make_empty(200);
}

net::awaitable<net::response> on_put_bulk_transfers(impl_ptr self, net::request req)
{
    fspiop::version v;
    if(auto bad = self->check_headers(req, false, v))
        co_return std::move(*bad);
    std::string const id(req.params.get("ID"));
    bool const error = req.path().ends_with("/error");
    if(auto const it = self->bulk_transfer_waiters.find(id); it != self->bulk_transfer_waiters.end())
    {
        it->second->deliver(callback_of(req, error));
        co_return net::make_empty(200);
    }
    // The switch's notice to the payee: each item committed or aborted.
    auto const bulk = self->inbound_bulks.find(transfer_key(id));
    if(bulk == self->inbound_bulks.end())
    {
        ++self->counters.late_callbacks;
        co_return net::make_empty(200);
    }
    auto const items = bulk->second.transfer_ids;
    if(error)
    {
        auto e = fspiop::decode<fspiop::error_information_object>(req.body, v.major);
        if(!e)
            co_return bad_request(e.error());
        for(auto const& tid : items)
            settle_inbound(*self, tid, false);
        co_return net::make_empty(200);
    }
    auto put = fspiop::decode<fspiop::put_bulk_transfers>(req.body, v.major);
    if(!put)
        co_return bad_request(put.error());
    auto const state = put->bulk_transfer_state;
    if(state != fspiop::bulk_transfer_state::completed && state != fspiop::bulk_transfer_state::rejected)
        co_return net::make_empty(200); // not final yet
    std::unordered_map<std::string, bool> outcome;
    for(auto const& r : put->individual_transfer_results)
        outcome[r.transfer_id] = !r.error_information && !r.fulfilment.empty();
    for(auto const& tid : items)
    {
        auto const o = outcome.find(tid);
        // An item the notice leaves out of a COMPLETED bulk stays as it is; a REJECTED bulk
        // aborts every item.
        if(o != outcome.end())
            settle_inbound(*self, tid, o->second);
        else if(state == fspiop::bulk_transfer_state::rejected)
            settle_inbound(*self, tid, false);
    }
    co_return net::make_empty(200);
}

} // namespace mojasim::dfsp
