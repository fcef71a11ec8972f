// The connector's bulk outbound API (sdk-scheme-adapter v2.1.0 outbound spec):
//
//   POST /bulkTransactions            202; with options.synchronous the 202 comes once the bulk
//                                     is COMPLETED or waits for an acceptance, with its state
//   PUT  /bulkTransactions/{id}       acceptParty / acceptQuote per individual transfer; 202
//                                     (synchronous bulks: with the state, as above)
//   GET  /bulkTransactions/{id}       (mojasim's addition; the SDK calls its backend back
//                                     instead) the state and every individual transfer's result
//
// What to do is decided by detail::bulk_flow (detail/bulk_outbound.hpp, no I/O); this loop
// carries its sends out, each as its own task on the actor's executor: it registers the
// callback's waiter, sends, waits, and feeds the flow the answer, which may give new sends.
// The flow bounds how many requests are in flight (connector.bulk_concurrency), so a 10,000-
// transfer bulk never waits on one lookup at a time and never floods the switch.
#include "simulator/dfsp/detail/actor_impl.hpp"
#include "simulator/dfsp/detail/enum_bridge.hpp"

#include "simulator/connector/codec.hpp"
#include "simulator/fspiop/codec.hpp"

namespace mojasim::dfsp {

namespace {

using detail::bulk_flow;

net::response plain_error(unsigned status, std::string message)
{
    connector::error_response e;
    e.status_code = std::to_string(status);
    e.message = std::move(message);
    return net::make_response(status, connector::encode(e));
}

void notify_if_stopped(detail::bulk_run& run)
{
    if(!run.flow->stopped())
        return;
    auto waiters = std::move(run.stop_waiters);
    run.stop_waiters.clear();
    for(auto* w : waiters)
        w->deliver(true);
}

void carry_out(impl_ptr const& self, std::shared_ptr<detail::bulk_run> const& run, std::vector<bulk_flow::send> sends);

net::awaitable<void> perform(impl_ptr self, std::shared_ptr<detail::bulk_run> run, bulk_flow::send s)
{
    // The waiter is registered before the request goes: its callback may beat the ack.
    detail::waiter w(self->ex);
    std::optional<detail::multi_registration> party_reg;
    std::optional<detail::single_registration> id_reg;
    std::string base;
    switch(s.what)
    {
    case bulk_flow::step::lookup:
        party_reg.emplace(self->party_waiters, s.waiter_key, &w);
        base = self->cfg.switch_api.als();
        break;
    case bulk_flow::step::bulk_quote:
        id_reg.emplace(self->bulk_quote_waiters, s.waiter_key, &w);
        base = self->cfg.switch_api.quotes();
        break;
    case bulk_flow::step::bulk_transfer:
    case bulk_flow::step::bulk_status:
        id_reg.emplace(self->bulk_transfer_waiters, s.waiter_key, &w);
        base = self->cfg.switch_api.transfers();
        break;
    }
    auto req = self->fspiop_message(s.method, s.resource, s.destination, std::move(s.body));
    std::string const url = base + s.path;
    auto ack = co_await send_to(self, url, std::move(req));
    detail::bulk_answer answer = detail::timed_out{};
    if(!ack || !ack->ok())
        answer = detail::refused{std::move(ack)};
    else
    {
        auto cb = co_await w.wait(s.timeout);
        if(cb)
            answer = std::move(*cb);
    }
    auto next = run->flow->on_answer(s.what, s.index, std::move(answer));
    carry_out(self, run, std::move(next));
}

void carry_out(impl_ptr const& self, std::shared_ptr<detail::bulk_run> const& run, std::vector<bulk_flow::send> sends)
{
    for(auto& s : sends)
        net::spawn(self->ex, perform(self, run, std::move(s)), "dfsp bulk");
    if(run->flow->stopped() && run->b.state == connector::bulk_transaction_state::completed && !run->counted)
    {
        run->counted = true;
        ++self->counters.bulk_completed;
        self->bulk_done.add(run->b.request.bulk_transaction_id, run->b.items.size());
        self->bulk_done.keep_within(self->cfg.connector.keep_bulk_items,
                                    [&](std::string const& id) { self->bulks.erase(id); });
    }
    notify_if_stopped(*run);
}

net::response state_answer(detail::bulk_run const& run, unsigned status)
{
    return net::make_response(status, connector::encode(detail::response_of(run.b)));
}

// The longest a bulk can take to stop: every phase's wait in turn.
std::chrono::milliseconds longest(connector_config const& o)
{
    return o.party_timeout + 2 * o.quote_timeout + std::chrono::duration_cast<std::chrono::milliseconds>(o.prepare_expiry) +
           o.transfer_grace;
}

// A synchronous bulk: wait until it stops (or the longest it may take), then its state.
net::awaitable<net::response> answer_when_stopped(impl_ptr self, std::shared_ptr<detail::bulk_run> run)
{
    if(!run->flow->stopped())
    {
        net::one_shot<bool> w(self->ex);
        run->stop_waiters.push_back(&w);
        auto const done = co_await w.wait(longest(self->cfg.connector));
        std::erase(run->stop_waiters, &w);
        (void)done;
    }
    co_return state_answer(*run, 202);
}

} // namespace

net::awaitable<net::response> on_connector_post_bulk_transactions(impl_ptr self, net::request req)
{
    auto request = connector::decode_bulk_transaction_request(req.body);
    if(!request)
        co_return net::make_response(400, connector::validation_error_body(request.error()));
    if(request->options.only_validate_party.value_or(false))
        co_return plain_error(400, "options.onlyValidateParty is not supported by this connector");
    for(std::size_t i = 0; i < request->individual_transfers.size(); ++i)
        if(request->individual_transfers[i].currency != self->cfg.currency)
            co_return plain_error(400, "individualTransfers[" + std::to_string(i) + "].currency must be " +
                                           self->cfg.currency + " at " + self->cfg.fsp_id);
    if(self->bulks.contains(request->bulk_transaction_id))
        co_return plain_error(400, "bulkTransactionId " + request->bulk_transaction_id + " was already received");

    auto run = std::make_shared<detail::bulk_run>();
    auto const& from = request->from.party_id_info;
    auto const type = detail::bridge<fspiop::party_id_type>(from.party_id_type);
    if(auto const* p = self->parties.find(type, from.party_identifier, from.party_sub_id_or_type.value_or("")))
        run->b.payer_account = p->account;
    else if(!self->cfg.connector.payer_account.empty())
        run->b.payer_account = self->cfg.connector.payer_account;
    else
        co_return plain_error(400, "from: " + from.party_identifier + " is not a customer of " + self->cfg.fsp_id +
                                       " and no connector.payer_account is configured");
    run->b.items.reserve(request->individual_transfers.size());
    for(auto& t : request->individual_transfers)
    {
        detail::bulk_item it;
        it.request = std::move(t);
        run->b.items.push_back(std::move(it));
    }
    request->individual_transfers.clear();
    run->b.request = std::move(*request);
    run->flow = std::make_unique<bulk_flow>(run->b, self->money, self->cfg.fsp_id, self->cfg.connector, self->ids,
                                            self->clock);
    self->bulks.emplace(run->b.request.bulk_transaction_id, run);
    ++self->counters.bulk_started;
    carry_out(self, run, run->flow->start());
    if(!run->b.request.options.synchronous.value_or(false))
        co_return net::make_empty(202);
    auto res = co_await answer_when_stopped(self, run);
    co_return res;
}

net::awaitable<net::response> on_connector_put_bulk_transactions(impl_ptr self, net::request req)
{
    auto cont = connector::decode_bulk_transaction_continuation(req.body);
    if(!cont)
        co_return net::make_response(400, connector::validation_error_body(cont.error()));
    std::string const id(req.params.get("bulkTransactionId"));
    auto const it = self->bulks.find(id);
    if(it == self->bulks.end())
        co_return plain_error(404, "no bulk transaction " + id);
    auto run = it->second;
    std::vector<bulk_flow::send> sends;
    auto const problem = run->flow->on_accept(*cont, sends);
    if(!problem.empty())
        co_return plain_error(400, problem);
    carry_out(self, run, std::move(sends));
    if(!run->b.request.options.synchronous.value_or(false))
        co_return net::make_empty(202);
    auto res = co_await answer_when_stopped(self, run);
    co_return res;
}

net::awaitable<net::response> on_connector_get_bulk_transactions(impl_ptr self, net::request req)
{
    std::string const id(req.params.get("bulkTransactionId"));
    auto const it = self->bulks.find(id);
    if(it == self->bulks.end())
        co_return plain_error(404, "no bulk transaction " + id);
    co_return state_answer(*it->second, 200);
}

} // namespace mojasim::dfsp
