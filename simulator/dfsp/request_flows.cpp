// Requests to pay (FSPIOP /transactionRequests and /authorizations), through the switch.
//
// The payee's bank asks (its test API's POST /transactionRequests): it finds the payer's FSP
// (the payer's fspId, else a lookup), sends POST /transactionRequests and waits for the
// payer's PUT /transactionRequests/{ID}; once ACCEPTED it waits for the transfer named by
// its transactionId to end here (the switch's commit notice or abort), and answers its caller
// with the outcome.
//
// The payer's bank answers by its transaction_requests.policy (docs/dfsp.md):
//   reject     PUT REJECTED;
//   accept     PUT ACCEPTED with the transactionId, then pays: quote (naming the request, with
//              its transaction type) and transfer, as its connector's outbound transfers do,
//              from the payer's account, without waiting for acceptances;
//   authorize  PUT RECEIVED, GET /authorizations/{ID}?authenticationType=OTP&retriesLeft=1&
//              amount=&currency= to the payee's bank, whose customer enters the OTP (PUT
//              /authorizations/{ID}); the OTP it expects is its own transaction_requests.otp:
//              ENTERED with it accepts (as above), anything else rejects.
// A payer it does not hold, or another currency, is a PUT .../error (3204, 3201).
#include "simulator/dfsp/detail/actor_impl.hpp"
#include "simulator/dfsp/detail/enum_bridge.hpp"
#include "simulator/fspiop/codec.hpp"
#include "simulator/fspiop/errors.hpp"
#include "simulator/fspiop/validate.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <array>

namespace mojasim::dfsp {

namespace {

using fspiop::errc;

// The switch's pass-through services (/transactionRequests, /authorizations).
std::string const& requests_base(dfsp_actor::impl const& self)
{
    auto const& s = self.cfg.switch_api;
    return s.fspiop_url.empty() ? s.quotes() : s.fspiop_url;
}

net::response message(unsigned status, std::string_view text)
{
    return test_message(status, text);
}

// The members of the test API's request to pay.
constexpr std::array<std::string_view, 4> request_to_pay_members{"payer", "payee", "amount", "note"};

// A callback for `key` in `waiters`: delivered to the waiter and unregistered (so a second
// one is kept for the next wait), or kept in `pending` when nobody waits yet.
void deliver_or_keep(std::unordered_map<std::string, detail::waiter*>& waiters,
                     std::unordered_map<std::string, detail::callback>& pending, std::string const& key,
                     detail::callback cb)
{
    if(auto const it = waiters.find(key); it != waiters.end())
    {
        auto* w = it->second;
        waiters.erase(it);
        w->deliver(std::move(cb));
        return;
    }
    pending.insert_or_assign(key, std::move(cb));
}

// The next callback for `key`: one that came while nobody waited, else the next within
// `timeout`.
net::awaitable<std::optional<detail::callback>> next_callback(impl_ptr self,
                                                              std::unordered_map<std::string, detail::waiter*>& waiters,
                                                              std::unordered_map<std::string, detail::callback>& pending,
                                                              std::string key, std::chrono::milliseconds timeout)
{
    if(auto const it = pending.find(key); it != pending.end())
    {
        auto cb = std::move(it->second);
        pending.erase(it);
        co_return cb;
    }
    detail::waiter w(self->ex);
    detail::single_registration reg(waiters, key, &w);
    if(!reg.registered())
        co_return std::nullopt;
    auto cb = co_await w.wait(timeout);
    co_return cb;
}

// Open while a side waits for answers about `id`; what came for it and was not taken is
// dropped with it.
class open_while_waiting
{
public:
    open_while_waiting(std::unordered_set<std::string>& open, std::unordered_map<std::string, detail::callback>& pending,
                       std::string id)
        : open_(open), pending_(pending), id_(std::move(id))
    {
        open_.insert(id_);
    }
    ~open_while_waiting()
    {
        open_.erase(id_);
        pending_.erase(id_);
    }
    open_while_waiting(open_while_waiting const&) = delete;
    open_while_waiting& operator=(open_while_waiting const&) = delete;

private:
    std::unordered_set<std::string>& open_;
    std::unordered_map<std::string, detail::callback>& pending_;
    std::string id_;
};

// A callback body that fails its schema: the synchronous 400, as the hub's API layer answers.
template<class T>
std::optional<net::response> refused_body(net::request const& req, fspiop::version v)
{
    if(req.path().ends_with("/error"))
    {
        if(auto e = fspiop::decode<fspiop::error_information_object>(req.body, v.major); !e)
            return net::make_response(400, e.error().body());
        return std::nullopt;
    }
    if(auto b = fspiop::decode<T>(req.body, v.major); !b)
        return net::make_response(400, b.error().body());
    return std::nullopt;
}

detail::callback callback_of(net::request& req)
{
    detail::callback cb;
    cb.error = req.path().ends_with("/error");
    cb.body = std::move(req.body);
    cb.source = std::string(req.fields.value_or("FSPIOP-Source"));
    return cb;
}

// ---- payer side ----------------------------------------------------------------------------

// PUT /transactionRequests/{id} (or its /error) to the payee's bank through the switch.
net::awaitable<bool> answer_request(impl_ptr self, std::string id, std::string to, std::string body, bool error)
{
    auto req = self->fspiop_message(net::method::put, "transactionRequests", to, std::move(body));
    std::string const url =
        requests_base(*self) + "/transactionRequests/" + net::percent_encode(id) + (error ? "/error" : "");
    auto ack = co_await send_to(self, url, std::move(req));
    co_return ack && ack->ok();
}

net::awaitable<void> reject(impl_ptr self, std::string id, std::string to)
{
    ++self->counters.requests_rejected;
    fspiop::put_transaction_requests put;
    put.transaction_request_state = fspiop::transaction_request_state::rejected;
    co_await answer_request(self, std::move(id), std::move(to), fspiop::encode(put), false);
}

// GET /authorizations/{id} to the payee's bank; true when its customer entered our OTP.
net::awaitable<bool> authorized(impl_ptr self, fspiop::post_transaction_requests const& r, std::string const& to)
{
    auto const& id = r.transaction_request_id;
    std::string const query = "?authenticationType=OTP&retriesLeft=1&amount=" + r.amount.amount +
                              "&currency=" + r.amount.currency;
    auto req = self->fspiop_message(net::method::get, "authorizations", to, {});
    std::string const url = requests_base(*self) + "/authorizations/" + net::percent_encode(id) + query;
    // The answer may beat the acknowledgement: it is kept until asked for.
    open_while_waiting const open(self->authorizations_open, self->pending_authorizations, id);
    auto ack = co_await send_to(self, url, std::move(req));
    if(!ack || !ack->ok())
        co_return false;
    auto cb = co_await next_callback(self, self->authorization_waiters, self->pending_authorizations, id,
                                     self->cfg.transaction_requests.timeout);
    if(!cb || cb->error)
        co_return false;
    auto put = fspiop::decode<fspiop::put_authorizations>(cb->body);
    co_return put && put->response_type == fspiop::authorization_response::entered && put->authentication_info &&
        put->authentication_info->authentication_value == self->cfg.transaction_requests.otp;
}

net::awaitable<void> consider_request(impl_ptr self, fspiop::post_transaction_requests r, std::string source)
{
    auto const id = r.transaction_request_id;
    // The account, not the directory entry: the directory may change while this waits.
    auto const* payer = self->parties.find(r.payer.party_id_type, r.payer.party_identifier, r.payer.party_sub_id_or_type);
    std::string const payer_account = payer ? payer->account : std::string{};
    std::optional<fspiop::error_information> refusal;
    if(!payer)
        refusal = fspiop::error_information::from(errc::party_not_found,
                                                  "the payer is not a customer of " + self->cfg.fsp_id);
    else if(r.amount.currency != self->cfg.currency)
        refusal = fspiop::error_information::from(errc::destination_fsp_error,
                                                  self->cfg.fsp_id + " holds no " + r.amount.currency + " accounts");
    auto const amount = decimal::parse_fspiop(r.amount.amount);
    if(!refusal && !amount)
        refusal = fspiop::error_information::from(errc::generic_validation_error, "amount out of range");
    if(refusal)
    {
        ++self->counters.requests_rejected;
        co_await answer_request(self, id, source, fspiop::error_body(*refusal), true);
        co_return;
    }

    switch(self->cfg.transaction_requests.policy)
    {
    case request_policy::reject:
        co_await reject(self, id, source);
        co_return;
    case request_policy::authorize: {
        fspiop::put_transaction_requests received;
        received.transaction_request_state = fspiop::transaction_request_state::received;
        co_await answer_request(self, id, source, fspiop::encode(received), false);
        bool const ok = co_await authorized(self, r, source);
        if(!ok)
        {
            co_await reject(self, id, source);
            co_return;
        }
        break;
    }
    case request_policy::accept: break;
    }

    // Accepted: the payer pays, as its connector's outbound transfers do.
    auto t = std::make_shared<detail::outbound_transfer>();
    t->transfer_id = self->ids.uuid_v4();
    t->payer_account = payer_account;
    t->transaction_request_id = id;
    t->requested_type = r.transaction_type;
    auto& req = t->request;
    req.home_transaction_id = id;
    req.from.id_type = detail::bridge<connector::party_id_type>(r.payer.party_id_type);
    req.from.id_value = r.payer.party_identifier;
    if(!r.payer.party_sub_id_or_type.empty())
        req.from.id_sub_value = r.payer.party_sub_id_or_type;
    auto const& payee = r.payee.party_id_info;
    req.to.id_type = detail::bridge<connector::party_id_type>(payee.party_id_type);
    req.to.id_value = payee.party_identifier;
    if(!payee.party_sub_id_or_type.empty())
        req.to.id_sub_value = payee.party_sub_id_or_type;
    req.to.fsp_id = payee.fsp_id.empty() ? source : payee.fsp_id;
    req.skip_party_lookup = true;
    req.amount_type = connector::amount_type::send;
    req.currency = r.amount.currency;
    req.amount = *amount;
    if(!r.note.empty())
        req.note = r.note;

    ++self->counters.requests_accepted;
    fspiop::put_transaction_requests accepted;
    accepted.transaction_id = t->transfer_id;
    accepted.transaction_request_state = fspiop::transaction_request_state::accepted;
    co_await answer_request(self, id, source, fspiop::encode(accepted), false);
    co_await run_outbound(self, std::move(t));
}

// ---- payee side ----------------------------------------------------------------------------

// A message sent after the handler that caused it has answered.
net::awaitable<void> send_later(impl_ptr self, std::string url, net::request req)
{
    co_await send_to(std::move(self), std::move(url), std::move(req));
}

// The FSP of a party, asked of the switch's ALS; empty when the lookup failed.
net::awaitable<std::string> fsp_of(impl_ptr self, fspiop::party_id_info const& who)
{
    std::string const type(fspiop::to_string(who.party_id_type));
    detail::waiter w(self->ex);
    detail::multi_registration reg(self->party_waiters, party_key(type, who.party_identifier, who.party_sub_id_or_type),
                                   &w);
    auto req = self->fspiop_message(net::method::get, "parties", {}, {});
    std::string const url = self->cfg.switch_api.als() +
                            detail::party_path("parties", type, who.party_identifier, who.party_sub_id_or_type);
    auto ack = co_await send_to(self, url, std::move(req));
    if(!ack || !ack->ok())
        co_return std::string{};
    auto cb = co_await w.wait(self->cfg.transaction_requests.timeout);
    if(!cb || cb->error)
        co_return std::string{};
    auto put = fspiop::decode<fspiop::put_parties>(cb->body);
    if(!put)
        co_return std::string{};
    co_return put->party.party_id_info.fsp_id.empty() ? cb->source : put->party.party_id_info.fsp_id;
}

} // namespace

// The payer's bank takes a payee's request to pay.
net::awaitable<net::response> on_post_transaction_requests(impl_ptr self, net::request req)
{
    fspiop::version v;
    if(auto bad = self->check_headers(req, true, v))
        co_return std::move(*bad);
    auto body = fspiop::decode<fspiop::post_transaction_requests>(req.body, v.major);
    if(!body)
        co_return net::make_response(400, body.error().body());
    std::string source(req.fields.value_or("FSPIOP-Source"));
    net::spawn(self->ex, consider_request(self, std::move(*body), std::move(source)), "dfsp");
    co_return net::make_empty(202);
}

// The payee's bank hears the payer's answer.
net::awaitable<net::response> on_put_transaction_requests(impl_ptr self, net::request req)
{
    fspiop::version v;
    if(auto bad = self->check_headers(req, false, v))
        co_return std::move(*bad);
    if(auto bad = refused_body<fspiop::put_transaction_requests>(req, v))
        co_return std::move(*bad);
    std::string const id(req.params.get("ID"));
    if(!self->requests_open.contains(id))
    {
        ++self->counters.late_callbacks;
        co_return net::make_empty(200);
    }
    deliver_or_keep(self->request_waiters, self->pending_request_answers, id, callback_of(req));
    co_return net::make_empty(200);
}

// The payee's bank asks its customer to authorize (the customer enters the bank's OTP).
net::awaitable<net::response> on_get_authorizations(impl_ptr self, net::request req)
{
    fspiop::version v;
    if(auto bad = self->check_headers(req, true, v))
        co_return std::move(*bad);
    std::string const id(req.params.get("ID"));
    std::string to(req.fields.value_or("FSPIOP-Source"));
    if(!fspiop::is_correlation_id(id, v.major))
        co_return net::make_response(400, fspiop::error_body(errc::malformed_syntax, "ID must be a CorrelationId"));
    fspiop::put_authorizations put;
    put.response_type = fspiop::authorization_response::entered;
    put.authentication_info = fspiop::authentication_info{fspiop::authentication_type::otp,
                                                          self->cfg.transaction_requests.otp};
    auto answer = self->fspiop_message(net::method::put, "authorizations", to, fspiop::encode(put), v);
    std::string const url = requests_base(*self) + "/authorizations/" + net::percent_encode(id);
    net::spawn(self->ex, send_later(self, url, std::move(answer)), "dfsp");
    co_return net::make_empty(202);
}

// The payer's bank hears the payee's customer's answer.
net::awaitable<net::response> on_put_authorizations(impl_ptr self, net::request req)
{
    fspiop::version v;
    if(auto bad = self->check_headers(req, false, v))
        co_return std::move(*bad);
    if(auto bad = refused_body<fspiop::put_authorizations>(req, v))
        co_return std::move(*bad);
    std::string const id(req.params.get("ID"));
    if(!self->authorizations_open.contains(id))
    {
        ++self->counters.late_callbacks;
        co_return net::make_empty(200);
    }
    deliver_or_keep(self->authorization_waiters, self->pending_authorizations, id, callback_of(req));
    co_return net::make_empty(200);
}

// Test API: {"payer": PartyIdInfo, "payee": "<this bank's MSISDN>", "amount": "25", "note"?}.
// Answers once the request is over: 200 {transactionRequestId, transactionRequestState,
// transactionId?, transferState?} (transferState COMMITTED or ABORTED once the transfer ended
// here), 502 with the payer's errorInformation, 504 when an answer did not come in time.
net::awaitable<net::response> on_test_request_to_pay(impl_ptr self, net::request req)
{
    auto parsed = test_body(req.body, request_to_pay_members);
    if(!parsed)
        co_return parsed.error();
    auto const& o = *parsed;
    auto const* payer_v = o.if_contains("payer");
    auto const* payee_v = o.if_contains("payee");
    auto const* amount_v = o.if_contains("amount");
    auto const* note_v = o.if_contains("note");
    if(!payer_v || !payee_v || !payee_v->is_string() || !amount_v || !amount_v->is_string() ||
       (note_v && !note_v->is_string()))
        co_return message(400, "payer (a PartyIdInfo), payee and amount (strings) are required");
    auto payer = fspiop::decode_parsed<fspiop::party_id_info>(*payer_v);
    if(!payer)
        co_return message(400, "payer: " + payer.error().detail());
    auto const* found = self->parties.find(fspiop::party_id_type::msisdn, std::string(payee_v->get_string()), "");
    if(!found)
        co_return message(400, "payee: MSISDN " + std::string(payee_v->get_string()) + " is not a customer of " +
                                   self->cfg.fsp_id);
    // A copy: the directory may change while this waits.
    party_config const payee = *found;
    auto const amount = decimal::parse(std::string(amount_v->get_string()));
    if(!amount || !(*amount > decimal{}) || !fits_currency(*amount, self->cfg.currency) ||
       !fspiop::is_amount(amount->to_string()))
        co_return message(400, "amount must be a positive amount in " + self->cfg.currency);
    std::string const note = note_v ? std::string(note_v->get_string()) : std::string{};
    if(!note.empty() && !fspiop::is_note(note))
        co_return message(400, "note must have 1 to 128 characters");

    auto const timeout = self->cfg.transaction_requests.timeout;
    std::string payer_fsp = payer->fsp_id;
    if(payer_fsp.empty())
    {
        payer_fsp = co_await fsp_of(self, *payer);
        if(payer_fsp.empty())
            co_return message(504, "the payer's FSP could not be found");
    }

    fspiop::post_transaction_requests r;
    r.transaction_request_id = self->ids.uuid_v4();
    r.payee = to_fspiop_party(payee, self->cfg.fsp_id);
    r.payer = std::move(*payer);
    r.payer.fsp_id = payer_fsp;
    r.amount = {self->cfg.currency, amount->to_string()};
    r.transaction_type.scenario = fspiop::transaction_scenario::payment;
    r.transaction_type.initiator = fspiop::transaction_initiator::payee;
    r.transaction_type.initiator_type = fspiop::transaction_initiator_type::consumer;
    r.note = note;
    auto const id = r.transaction_request_id;

    // Open before sending: the answer may beat the acknowledgement.
    open_while_waiting const open(self->requests_open, self->pending_request_answers, id);

    ++self->counters.requests_sent;
    auto post = self->fspiop_message(net::method::post, "transactionRequests", payer_fsp, fspiop::encode(r));
    auto ack = co_await send_to(self, requests_base(*self) + "/transactionRequests", std::move(post));
    if(!ack || !ack->ok())
        co_return message(502, "the switch did not take POST /transactionRequests");

    boost::json::object out;
    out["transactionRequestId"] = id;
    // RECEIVED and PENDING are on the way to ACCEPTED or REJECTED.
    for(;;)
    {
        auto cb = co_await next_callback(self, self->request_waiters, self->pending_request_answers, id, timeout);
        if(!cb)
            co_return message(504, "no answer to transaction request " + id);
        if(cb->error)
        {
            boost::system::error_code pec;
            auto e = boost::json::parse(cb->body, pec);
            if(!pec)
                out["errorInformation"] = e.is_object() && e.as_object().contains("errorInformation")
                                              ? e.as_object().at("errorInformation")
                                              : e;
            co_return net::make_response(502, boost::json::serialize(out));
        }
        auto put = fspiop::decode<fspiop::put_transaction_requests>(cb->body);
        if(!put)
            co_return message(502, "unreadable answer: " + put.error().detail());
        out["transactionRequestState"] = fspiop::to_string(put->transaction_request_state);
        if(put->transaction_request_state == fspiop::transaction_request_state::rejected)
            co_return net::make_response(200, boost::json::serialize(out));
        if(put->transaction_request_state != fspiop::transaction_request_state::accepted)
            continue;
        if(put->transaction_id.empty())
            co_return net::make_response(200, boost::json::serialize(out));
        out["transactionId"] = put->transaction_id;
        break;
    }

    // Accepted: the payer's transfer (its id is the transactionId) ends here.
    auto const tid = out.at("transactionId").as_string();
    std::string const transfer_id(tid.data(), tid.size());
    auto const ended = [&]() -> std::optional<bool> {
        auto const it = self->inbound.find(transfer_id);
        if(it == self->inbound.end())
            return std::nullopt;
        if(it->second.state == detail::inbound_state::committed)
            return true;
        if(it->second.aborted || it->second.state == detail::inbound_state::refused ||
           it->second.state == detail::inbound_state::reversed)
            return false;
        return std::nullopt;
    };
    auto outcome = ended();
    if(!outcome)
    {
        detail::waiter w(self->ex);
        detail::single_registration reg(self->inbound_watchers, transfer_id, &w);
        auto cb = co_await w.wait(timeout + self->cfg.connector.prepare_expiry);
        outcome = ended();
        if(!cb && !outcome)
            co_return message(504, "transfer " + transfer_id + " did not end here in time");
    }
    out["transferState"] = outcome.value_or(false) ? "COMMITTED" : "ABORTED";
    co_return net::make_response(200, boost::json::serialize(out));
}

/// Tell a payee waiting for its request's transfer that it has ended here.
void notify_inbound_watcher(dfsp_actor::impl& self, std::string const& transfer_id)
{
    if(auto const it = self.inbound_watchers.find(transfer_id); it != self.inbound_watchers.end())
        it->second->deliver(detail::callback{});
}

} // namespace mojasim::dfsp
