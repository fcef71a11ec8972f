#include "simulator/central/bulk_service.hpp"

#include "simulator/fspiop/codec.hpp"
#include "simulator/fspiop/ilp.hpp"
#include "simulator/fspiop/validate.hpp"

namespace mojasim::central {

using fspiop::errc;
using fspiop::error_information;

namespace {
constexpr std::string_view resource = "bulkQuotes";
} // namespace

bulk_quotes_service::
bulk_quotes_service(hub_context& ctx)
    : ctx_(ctx)
{
}

void
bulk_quotes_service::
add_routes(net::router& r)
{
    r.add(net::method::post, "/bulkQuotes", [this](net::request q) { return on_post(std::move(q)); });
    r.add(net::method::get, "/bulkQuotes/{ID}", [this](net::request q) { return on_get(std::move(q)); });
    r.add(net::method::put, "/bulkQuotes/{ID}", [this](net::request q) { return on_put(std::move(q)); });
    r.add(net::method::put, "/bulkQuotes/{ID}/error", [this](net::request q) { return on_put_error(std::move(q)); });
}

void
bulk_quotes_service::
bulk_error(std::string to, std::string const& bulk_id, fspiop::version v, error_information const& e)
{
    auto req = ctx_.hub_request(net::method::put, resource, v, to, fspiop::error_body(e));
    ctx_.dispatch(std::move(to), endpoint::bulk_quotes, {}, resource_path(resource, bulk_id, "/error"),
                  std::move(req));
}

void
bulk_quotes_service::
forward(net::request req, net::method m, std::string_view uri, std::string source, std::string to,
        std::string bulk_id, fspiop::version v)
{
    auto const* p = ctx_.participants.find(to);
    auto url = p && p->active && !p->is_hub ? ctx_.endpoint_url(to, endpoint::bulk_quotes, {}, uri) : std::nullopt;
    if(!url)
    {
        bulk_error(std::move(source), bulk_id, v,
                   error_information::from(errc::destination_fsp_error,
                                           to.empty() ? "FSPIOP-Destination is missing"
                                           : !p       ? "unknown FSP " + to
                                                      : "no bulk quotes endpoint for " + to));
        return;
    }
    auto on_failure = [this, source = std::move(source), bulk_id = std::move(bulk_id), v](
                          error_information const& e) { bulk_error(source, bulk_id, v, e); };
    ctx_.relay(std::move(to), std::move(*url), hub_context::forwarded(std::move(req), m, uri), std::move(on_failure));
}

net::awaitable<net::response>
bulk_quotes_service::
on_post(net::request req)
{
    fspiop::version v;
    auto body = ctx_.read_request<fspiop::post_bulk_quotes>(req, v, true);
    if(!body)
        co_return body.error();

    std::string source(req.fields.value_or("FSPIOP-Source"));
    std::string to(req.fields.value_or("FSPIOP-Destination"));
    auto const hash = fspiop::body_digest(req.body);
    auto const& id = body->bulk_quote_id;

    // Duplicates: the same body is sent on again, another body is a modified request.
    if(auto const seen = book_.on_request(id, hash))
    {
        if(auto const* again = std::get_if<ledger::quote_book::resend>(&*seen))
            forward(std::move(req), net::method::post, "/bulkQuotes", std::move(source), again->payee, id, v);
        else
            bulk_error(std::move(source), id, v, std::get<error_information>(*seen));
        co_return net::make_empty(202);
    }

    // One payee FSP per bulk: the destination.
    for(auto const& q : body->individual_quotes)
    {
        auto const& fsp = q.payee.party_id_info.fsp_id;
        if(!fsp.empty() && fsp != to)
        {
            bulk_error(std::move(source), id, v,
                       error_information::from(errc::generic_validation_error,
                                               "individual quote " + q.quote_id + " is for " + fsp +
                                                   ", not FSPIOP-Destination " + to));
            co_return net::make_empty(202);
        }
    }

    // The payee FSP must be able to take a transfer in every currency of the bulk.
    auto const* payee = ctx_.participants.find(to);
    if(payee && payee->active && !payee->is_hub)
    {
        for(auto const& q : body->individual_quotes)
        {
            auto const* account =
                ctx_.participants.account_of(payee->id, ledger::account_type::position, q.amount.currency);
            if(!account || !account->active)
            {
                bulk_error(std::move(source), id, v,
                           error_information::from(errc::destination_fsp_error,
                                                   to + " has no active " + q.amount.currency + " account"));
                co_return net::make_empty(202);
            }
        }
        book_.record_request(id, source, to, hash);
    }
    forward(std::move(req), net::method::post, "/bulkQuotes", std::move(source), std::move(to), id, v);
    co_return net::make_empty(202);
}

net::awaitable<net::response>
bulk_quotes_service::
on_answer(net::request req, bool is_error)
{
    fspiop::version v;
    std::string id;
    std::optional<ledger::body_digest> hash;
    if(is_error)
    {
        auto body = ctx_.read_callback<fspiop::error_information_object>(req, v, id);
        if(!body)
            co_return body.error();
    }
    else
    {
        auto body = ctx_.read_callback<fspiop::put_bulk_quotes>(req, v, id);
        if(!body)
            co_return body.error();
        hash = fspiop::body_digest(req.body);
    }

    std::string source(req.fields.value_or("FSPIOP-Source"));
    std::string to(req.fields.value_or("FSPIOP-Destination"));
    auto verdict = book_.on_answer(id, source, to, hash);
    if(verdict.error)
    {
        // Refused answers go nowhere but back to their sender.
        bulk_error(std::move(source), id, v, *verdict.error);
        co_return net::make_empty(200);
    }
    to = std::move(verdict.to);
    auto const uri = resource_path(resource, id, is_error ? "/error" : "");
    forward(std::move(req), net::method::put, uri, std::move(source), std::move(to), std::move(id), v);
    co_return net::make_empty(200);
}

net::awaitable<net::response>
bulk_quotes_service::
on_put(net::request req)
{
    return on_answer(std::move(req), false);
}

net::awaitable<net::response>
bulk_quotes_service::
on_put_error(net::request req)
{
    return on_answer(std::move(req), true);
}

net::awaitable<net::response>
bulk_quotes_service::
on_get(net::request req)
{
    fspiop::version v;
    std::string id;
    if(auto bad = ctx_.check_headers_and_id(req, true, v, id))
        co_return std::move(*bad);

    std::string source(req.fields.value_or("FSPIOP-Source"));
    std::string to(req.fields.value_or("FSPIOP-Destination"));
    if(to.empty())
        to = book_.other_side(id, source);
    auto const uri = resource_path(resource, id);
    forward(std::move(req), net::method::get, uri, std::move(source), std::move(to), std::move(id), v);
    co_return net::make_empty(202);
}

} // namespace mojasim::central
