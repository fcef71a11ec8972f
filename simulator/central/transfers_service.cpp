#include "simulator/central/transfers_service.hpp"

#include "simulator/fspiop/codec.hpp"
#include "simulator/fspiop/ilp.hpp"
#include "simulator/fspiop/validate.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>

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

fspiop::transfer_state
wire_state(ledger::api_state s) noexcept
{
    switch(s)
    {
    case ledger::api_state::received: return fspiop::transfer_state::received;
    case ledger::api_state::reserved: return fspiop::transfer_state::reserved;
    case ledger::api_state::committed: return fspiop::transfer_state::committed;
    case ledger::api_state::aborted: break;
    }
    return fspiop::transfer_state::aborted;
}

} // namespace

transfers_service::
transfers_service(hub_context& ctx)
    : ctx_(ctx)
    , timer_(ctx.ex)
{
}

void
transfers_service::
add_routes(net::router& r)
{
    r.add(net::method::post, "/transfers", [this](net::request q) { return on_post_transfers(std::move(q)); });
    r.add(net::method::get, "/transfers/{ID}", [this](net::request q) { return on_get_transfer(std::move(q)); });
    r.add(net::method::put, "/transfers/{ID}", [this](net::request q) { return on_put_transfer(std::move(q)); });
    r.add(net::method::put, "/transfers/{ID}/error",
          [this](net::request q) { return on_put_transfer_error(std::move(q)); });
}

void
transfers_service::
carry_out(ledger::decision& d, std::string const& transfer_id, fspiop::version v, std::optional<net::request> original,
          forward_route route)
{
    template_params p;
    p.transfer_id = transfer_id;
    // Every message carries FSPIOP-URI (its own path) and FSPIOP-HTTP-Method, as
    // ml-api-adapter's callback headers do.
    auto const put_uri = resource_path("transfers", transfer_id);
    auto const error_uri = resource_path("transfers", transfer_id, "/error");
    for(auto& e : d.effects)
    {
        std::visit(overloaded{
                       // The request being handled goes on, untouched.
                       [&](ledger::forward& f) {
                           if(!original)
                               return;
                           auto const& uri = route.endpoint_type == endpoint::transfer_post ? std::string("/transfers")
                                             : route.endpoint_type == endpoint::transfer_error ? error_uri
                                                                                              : put_uri;
                           ctx_.dispatch(std::move(f.to), route.endpoint_type, p, {},
                                         hub_context::forwarded(std::move(*original), route.method, uri));
                           original.reset();
                       },
                       // A PUT /transfers/{ID} written by the hub.
                       [&](ledger::notify_state& s) {
                           fspiop::put_transfers body;
                           body.fulfilment = std::move(s.fulfilment);
                           if(s.completed)
                               body.completed_timestamp = core::format_datetime(*s.completed);
                           body.transfer_state = wire_state(s.state);
                           body.extension_list = std::move(s.extensions);
                           auto req = ctx_.hub_request(net::method::put, "transfers", v, s.to, fspiop::encode(body),
                                                       put_uri);
                           ctx_.dispatch(std::move(s.to), endpoint::transfer_put, p, {}, std::move(req));
                       },
                       // The commit notification to the payee.
                       [&](ledger::notify_patch& n) {
                           fspiop::patch_transfers body;
                           body.completed_timestamp = core::format_datetime(n.completed);
                           body.transfer_state = wire_state(n.state);
                           auto req = ctx_.hub_request(net::method::patch, "transfers", v, n.to,
                                                       fspiop::encode(body), put_uri);
                           ctx_.dispatch(std::move(n.to), endpoint::transfer_put, p, {}, std::move(req));
                       },
                       // A PUT /transfers/{ID}/error written by the hub.
                       [&](ledger::notify_error& n) {
                           auto req = ctx_.hub_request(net::method::put, "transfers", v, n.to,
                                                       fspiop::error_body(n.error), error_uri);
                           ctx_.dispatch(std::move(n.to), endpoint::transfer_error, p, {}, std::move(req));
                       },
                   },
                   e);
    }
}

net::awaitable<net::response>
transfers_service::
on_post_transfers(net::request req)
{
    fspiop::version v;
    auto body = ctx_.read_request<fspiop::post_transfers>(req, v);
    if(!body)
        co_return body.error();
    // The codec has checked the formats; the ledger holds amounts of up to 14 integer digits.
    auto const amount = core::decimal::parse_fspiop(body->amount.amount);
    if(!amount)
        co_return hub_context::reject(errc::malformed_syntax, "amount.amount is out of range");
    auto const expiration = core::parse_datetime(body->expiration);
    if(!expiration)
        co_return hub_context::reject(errc::malformed_syntax, "expiration must be a DateTime");

    ledger::prepare_command cmd;
    cmd.transfer_id = body->transfer_id;
    cmd.payer_fsp = std::move(body->payer_fsp);
    cmd.payee_fsp = std::move(body->payee_fsp);
    cmd.amount = *amount;
    cmd.currency = std::move(body->amount.currency);
    cmd.condition = std::move(body->condition);
    cmd.expiration = *expiration;
    cmd.source = req.fields.value_or("FSPIOP-Source");
    cmd.hash = fspiop::body_digest(req.body);
    cmd.tag = version_tag(v);
    auto const& id = body->transfer_id;
    auto d = ctx_.transfers.prepare(std::move(cmd), ctx_.clock.now());
    carry_out(d, id, v, std::move(req), {endpoint::transfer_post, net::method::post});
    co_return net::make_empty(202);
}

net::awaitable<net::response>
transfers_service::
on_get_transfer(net::request req)
{
    fspiop::version v;
    std::string id;
    if(auto bad = ctx_.check_headers_and_id(req, true, v, id))
        co_return std::move(*bad);
    auto source = std::string(req.fields.value_or("FSPIOP-Source"));
    // An Admin API funds transfer lives in central-ledger's transfer table too: its GET
    // answers the FSP whose account it moved, and 3000 to any other (getTransfer's
    // validateParticipantTransferId), with its state and no fulfilment (toFulfil drops the
    // "0" the funds handler records).
    if(!ctx_.transfers.find(id))
        if(auto const* f = ctx_.participants.find_funds_transfer(id))
        {
            auto const* acc = ctx_.participants.find_account(f->account);
            auto const* owner = acc ? ctx_.participants.find(acc->owner) : nullptr;
            ledger::decision d;
            if(owner && owner->name == source)
            {
                ledger::notify_state s{std::move(source), ledger::api_state::committed, f->changed, {}, {}};
                if(f->state == ledger::funds_state::reserved)
                {
                    s.state = ledger::api_state::reserved;
                    s.completed.reset();
                }
                else if(f->state == ledger::funds_state::aborted)
                    s.state = ledger::api_state::aborted;
                d.effects.emplace_back(std::move(s));
            }
            else
                d.effects.emplace_back(ledger::notify_error{std::move(source),
                                                            fspiop::error_information::from(errc::generic_client_error)});
            carry_out(d, id, v, std::nullopt, {});
            co_return net::make_empty(202);
        }
    auto d = ctx_.transfers.query({id, std::move(source)});
    carry_out(d, id, v, std::nullopt, {});
    co_return net::make_empty(202);
}

net::awaitable<net::response>
transfers_service::
on_put_transfer(net::request req)
{
    fspiop::version v;
    std::string id;
    auto body = ctx_.read_callback<fspiop::put_transfers>(req, v, id);
    if(!body)
        co_return body.error();

    ledger::fulfil_command cmd;
    switch(body->transfer_state)
    {
    case fspiop::transfer_state::committed: cmd.requested = ledger::api_state::committed; break;
    case fspiop::transfer_state::reserved:
        // A commit-notification request under API 1.0 is dropped, as the hub does; the
        // transfer then times out.
        if(v == fspiop::version{1, 0})
        {
            ctx_.log->info("transfer {}: RESERVED fulfil with version 1.0 dropped", id);
            co_return net::make_empty(200);
        }
        cmd.requested = ledger::api_state::reserved;
        break;
    case fspiop::transfer_state::received:
    case fspiop::transfer_state::aborted:
        // Payees reject with PUT .../error; the hub ignores other states ("REJECT not allowed").
        ctx_.log->info("transfer {}: PUT with state {} ignored", id, fspiop::to_string(body->transfer_state));
        co_return net::make_empty(200);
    }
    // The hub takes a fulfil without fulfilment and aborts the transfer (the ledger's 3100);
    // the specification requires it with COMMITTED and RESERVED: refused at once when strict.
    if(body->fulfilment.empty() && ctx_.cfg.strict_spec)
        co_return hub_context::reject(errc::missing_mandatory_element, "fulfilment is required");
    if(!body->completed_timestamp.empty())
        cmd.completed = core::parse_datetime(body->completed_timestamp);
    // ml-api-adapter refuses a completedTimestamp in the future (beyond its clock tolerance).
    if(cmd.completed && ledger::completed_in_future(*cmd.completed, ctx_.clock.now()))
        co_return hub_context::reject(errc::generic_validation_error,
                                      "completedTimestamp fails because future timestamp was provided");

    cmd.transfer_id = id;
    cmd.source = req.fields.value_or("FSPIOP-Source");
    cmd.destination = req.fields.value_or("FSPIOP-Destination");
    cmd.fulfilment = std::move(body->fulfilment);
    cmd.hash = fspiop::body_digest(req.body);
    auto d = ctx_.transfers.fulfil(std::move(cmd), ctx_.clock.now());
    carry_out(d, id, v, std::move(req), {endpoint::transfer_put, net::method::put});
    co_return net::make_empty(200);
}

net::awaitable<net::response>
transfers_service::
on_put_transfer_error(net::request req)
{
    fspiop::version v;
    std::string id;
    auto body = ctx_.read_error_callback(req, v, id);
    if(!body)
        co_return body.error();

    ledger::reject_command cmd;
    cmd.transfer_id = id;
    cmd.source = req.fields.value_or("FSPIOP-Source");
    cmd.destination = req.fields.value_or("FSPIOP-Destination");
    cmd.error = std::move(body->error_information);
    cmd.hash = fspiop::body_digest(req.body);
    auto d = ctx_.transfers.reject(std::move(cmd), ctx_.clock.now());
    carry_out(d, id, v, std::move(req), {endpoint::transfer_error, net::method::put});
    co_return net::make_empty(200);
}

void
transfers_service::
sweep()
{
    auto due = ctx_.transfers.expire_due(ctx_.clock.now());
    if(bulk_expiry_ && !due.empty())
        bulk_expiry_(due);
    for(auto& e : due)
    {
        ctx_.log->info("transfer {} expired", e.transfer_id);
        carry_out(e.outcome, e.transfer_id, version_of_tag(e.tag), std::nullopt, {});
    }
}

net::awaitable<void>
transfers_service::
run_sweeper()
{
    while(!stopped_)
    {
        timer_.expires_after(ctx_.cfg.expiry_sweep_interval);
        co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
        if(stopped_)
            break;
        sweep();
    }
}

void
transfers_service::
stop()
{
    stopped_ = true;
    timer_.cancel();
}

} // namespace mojasim::central
