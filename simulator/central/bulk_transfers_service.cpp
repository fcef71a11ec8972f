#include "simulator/central/bulk_transfers_service.hpp"

#include "simulator/fspiop/codec.hpp"
#include "simulator/fspiop/ilp.hpp"
#include "simulator/fspiop/validate.hpp"

namespace mojasim::central {

namespace {

using fspiop::errc;

template <class... F>
struct overloaded : F...
{
    using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

fspiop::bulk_transfer_state
wire_state(ledger::bulk_state s) noexcept
{
    switch(s)
    {
    case ledger::bulk_state::received: return fspiop::bulk_transfer_state::received;
    case ledger::bulk_state::pending: return fspiop::bulk_transfer_state::pending;
    case ledger::bulk_state::accepted: return fspiop::bulk_transfer_state::accepted;
    case ledger::bulk_state::processing: return fspiop::bulk_transfer_state::processing;
    case ledger::bulk_state::completed: return fspiop::bulk_transfer_state::completed;
    case ledger::bulk_state::rejected: break;
    }
    return fspiop::bulk_transfer_state::rejected;
}

// What tells a resent item from a changed one: its fields, each closed by a separator that
// cannot occur in them.
ledger::body_digest
item_digest(fspiop::individual_transfer const& t)
{
    std::string s;
    s.reserve(t.transfer_id.size() + t.ilp_packet.size() + t.condition.size() + 48);
    s.append(t.transfer_id).append("\n").append(t.transfer_amount.amount).append("\n");
    s.append(t.transfer_amount.currency).append("\n").append(t.condition).append("\n").append(t.ilp_packet);
    return fspiop::body_digest(s);
}

} // namespace

bulk_transfers_service::
bulk_transfers_service(hub_context& ctx)
    : ctx_(ctx)
{
}

void
bulk_transfers_service::
add_routes(net::router& r)
{
    r.add(net::method::post, "/bulkTransfers", [this](net::request q) { return on_post(std::move(q)); });
    r.add(net::method::get, "/bulkTransfers/{ID}", [this](net::request q) { return on_get(std::move(q)); });
    r.add(net::method::put, "/bulkTransfers/{ID}", [this](net::request q) { return on_put(std::move(q)); });
    r.add(net::method::put, "/bulkTransfers/{ID}/error", [this](net::request q) { return on_put_error(std::move(q)); });
}

void
bulk_transfers_service::
carry_out(ledger::bulk_decision& d, fspiop::version v, std::optional<net::request> original,
          fspiop::post_bulk_transfers const* prepare)
{
    template_params p;
    p.bulk_transfer_id = d.bulk_id;
    p.id = d.bulk_id;
    auto const put_uri = resource_path("bulkTransfers", d.bulk_id);
    auto const error_uri = resource_path("bulkTransfers", d.bulk_id, "/error");
    for(auto& e : d.effects)
    {
        std::visit(overloaded{
                       // The prepared items go to the payee: the request untouched when every
                       // item is there, else its body with the prepared items alone (and
                       // without the payer's signature, which no longer covers it).
                       [&](ledger::forward_bulk& f) {
                           if(!original || !prepare)
                               return;
                           if(!f.all)
                           {
                               auto body = *prepare;
                               body.individual_transfers.clear();
                               for(auto const i : f.items)
                                   body.individual_transfers.push_back(prepare->individual_transfers[i]);
                               original->body = fspiop::encode(body);
                               original->fields.erase("FSPIOP-Signature");
                           }
                           ctx_.dispatch(std::move(f.to), endpoint::bulk_transfer_post, p, {},
                                         hub_context::forwarded(std::move(*original), net::method::post,
                                                                "/bulkTransfers"));
                           original.reset();
                       },
                       // The payee's error goes on to the payer as it is.
                       [&](ledger::forward_bulk_error& f) {
                           if(!original)
                               return;
                           ctx_.dispatch(std::move(f.to), endpoint::bulk_transfer_error, p, {},
                                         hub_context::forwarded(std::move(*original), net::method::put, error_uri));
                           original.reset();
                       },
                       // A PUT /bulkTransfers/{ID} written by the hub.
                       [&](ledger::notify_bulk_state& s) {
                           fspiop::put_bulk_transfers body;
                           body.bulk_transfer_state = wire_state(s.state);
                           if(s.completed)
                               body.completed_timestamp = core::format_datetime(*s.completed);
                           body.individual_transfer_results.reserve(s.results.size());
                           for(auto& r : s.results)
                           {
                               fspiop::individual_transfer_result out;
                               out.transfer_id = std::move(r.transfer_id);
                               out.fulfilment = std::move(r.fulfilment);
                               out.error_information = std::move(r.error);
                               body.individual_transfer_results.push_back(std::move(out));
                           }
                           auto req = ctx_.hub_request(net::method::put, "bulkTransfers", v, s.to,
                                                       fspiop::encode(body), put_uri);
                           ctx_.dispatch(std::move(s.to), endpoint::bulk_transfer_put, p, {}, std::move(req));
                       },
                       // A PUT /bulkTransfers/{ID}/error written by the hub.
                       [&](ledger::notify_bulk_error& n) {
                           auto req = ctx_.hub_request(net::method::put, "bulkTransfers", v, n.to,
                                                       fspiop::error_body(n.error), error_uri);
                           ctx_.dispatch(std::move(n.to), endpoint::bulk_transfer_error, p, {}, std::move(req));
                       },
                   },
                   e);
    }
}

net::awaitable<net::response>
bulk_transfers_service::
on_post(net::request req)
{
    fspiop::version v;
    auto body = ctx_.read_request<fspiop::post_bulk_transfers>(req, v);
    if(!body)
        co_return body.error();
    auto const expiration = core::parse_datetime(body->expiration);
    if(!expiration)
        co_return hub_context::reject(errc::malformed_syntax, "expiration must be a DateTime");

    ledger::bulk_prepare_command cmd;
    cmd.bulk_id = body->bulk_transfer_id;
    cmd.payer_fsp = body->payer_fsp;
    cmd.payee_fsp = body->payee_fsp;
    cmd.expiration = *expiration;
    cmd.source = req.fields.value_or("FSPIOP-Source");
    cmd.hash = fspiop::body_digest(req.body);
    cmd.tag = version_tag(v);
    cmd.items.reserve(body->individual_transfers.size());
    for(std::size_t i = 0; i < body->individual_transfers.size(); ++i)
    {
        auto const& t = body->individual_transfers[i];
        // The codec has checked the formats; the ledger holds amounts of up to 14 integer digits.
        auto const amount = core::decimal::parse_fspiop(t.transfer_amount.amount);
        if(!amount)
            co_return hub_context::reject(errc::malformed_syntax, "individualTransfers[" + std::to_string(i) +
                                                                      "].transferAmount.amount is out of range");
        ledger::bulk_item_command item;
        item.transfer_id = t.transfer_id;
        item.amount = *amount;
        item.currency = t.transfer_amount.currency;
        item.condition = t.condition;
        item.hash = item_digest(t);
        // One payee FSP per bulk: the payee an item's ILP packet names, when it names one.
        if(auto tx = fspiop::decode_ilp_transaction(t.ilp_packet, v.major))
            item.payee_fsp = std::move(tx->payee.party_id_info.fsp_id);
        cmd.items.push_back(std::move(item));
    }
    auto d = ctx_.bulk_transfers.prepare(std::move(cmd), ctx_.clock.now());
    carry_out(d, v, std::move(req), &*body);
    co_return net::make_empty(202);
}

net::awaitable<net::response>
bulk_transfers_service::
on_get(net::request req)
{
    fspiop::version v;
    std::string id;
    if(auto bad = ctx_.check_headers_and_id(req, true, v, id))
        co_return std::move(*bad);
    auto d = ctx_.bulk_transfers.query({id, std::string(req.fields.value_or("FSPIOP-Source"))});
    d.bulk_id = id;
    carry_out(d, v, std::nullopt);
    co_return net::make_empty(202);
}

net::awaitable<net::response>
bulk_transfers_service::
on_put(net::request req)
{
    fspiop::version v;
    std::string id;
    auto body = ctx_.read_callback<fspiop::put_bulk_transfers>(req, v, id);
    if(!body)
        co_return body.error();

    ledger::bulk_fulfil_command cmd;
    if(!body->completed_timestamp.empty())
        cmd.completed = core::parse_datetime(body->completed_timestamp);
    // As for a single fulfil, a completedTimestamp in the future is refused at once.
    if(cmd.completed && ledger::completed_in_future(*cmd.completed, ctx_.clock.now()))
        co_return hub_context::reject(errc::generic_validation_error,
                                      "completedTimestamp fails because future timestamp was provided");
    cmd.bulk_id = id;
    cmd.source = req.fields.value_or("FSPIOP-Source");
    cmd.destination = req.fields.value_or("FSPIOP-Destination");
    cmd.hash = fspiop::body_digest(req.body);
    cmd.results.reserve(body->individual_transfer_results.size());
    for(auto& r : body->individual_transfer_results)
        cmd.results.push_back({std::move(r.transfer_id), std::move(r.fulfilment), std::move(r.error_information)});
    auto d = ctx_.bulk_transfers.fulfil(std::move(cmd), ctx_.clock.now());
    d.bulk_id = id;
    carry_out(d, v, std::nullopt);
    co_return net::make_empty(200);
}

net::awaitable<net::response>
bulk_transfers_service::
on_put_error(net::request req)
{
    fspiop::version v;
    std::string id;
    auto body = ctx_.read_error_callback(req, v, id);
    if(!body)
        co_return body.error();

    ledger::bulk_reject_command cmd;
    cmd.bulk_id = id;
    cmd.source = req.fields.value_or("FSPIOP-Source");
    cmd.destination = req.fields.value_or("FSPIOP-Destination");
    cmd.error = std::move(body->error_information);
    cmd.hash = fspiop::body_digest(req.body);
    auto d = ctx_.bulk_transfers.reject(std::move(cmd), ctx_.clock.now());
    d.bulk_id = id;
    carry_out(d, v, std::move(req));
    co_return net::make_empty(200);
}

void
bulk_transfers_service::
on_expired(std::vector<ledger::expiry>& due)
{
    for(auto& d : ctx_.bulk_transfers.take_expired(due, ctx_.clock.now()))
    {
        ctx_.log->info("bulk transfer {} expired", d.bulk_id);
        carry_out(d, version_of_tag(d.tag), std::nullopt);
    }
}

} // namespace mojasim::central
