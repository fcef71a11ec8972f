#include "simulator/central/quotes_service.hpp"

#include "simulator/fspiop/codec.hpp"
#include "simulator/fspiop/ilp.hpp"
#include "simulator/fspiop/validate.hpp"

namespace mojasim::central {

using fspiop::errc;
using fspiop::error_information;

quotes_service::
quotes_service(hub_context& ctx, kind k)
    : ctx_(ctx)
    , kind_(k)
    , resource_(k == kind::single ? "quotes" : "bulkQuotes")
    , endpoint_type_(k == kind::single ? endpoint::quotes : endpoint::bulk_quotes)
{
}

void
quotes_service::
add_routes(net::router& r)
{
    auto const base = "/" + std::string(resource_);
    r.add(net::method::post, base, [this](net::request q) { return on_post(std::move(q)); });
    r.add(net::method::get, base + "/{ID}", [this](net::request q) { return on_get(std::move(q)); });
    r.add(net::method::put, base + "/{ID}", [this](net::request q) { return on_put(std::move(q)); });
    r.add(net::method::put, base + "/{ID}/error", [this](net::request q) { return on_put_error(std::move(q)); });
}

void
quotes_service::
quote_error(std::string to, std::string const& id, fspiop::version v, error_information const& e)
{
    auto req = ctx_.hub_request(net::method::put, resource_, v, to, fspiop::error_body(e));
    ctx_.dispatch(std::move(to), endpoint_type_, {}, resource_path(resource_, id, "/error"), std::move(req));
}

void
quotes_service::
forward(net::request req, net::method m, std::string_view uri, std::string source, std::string to, std::string id,
        fspiop::version v)
{
    ctx_.pass_on(std::move(req), std::move(to), {endpoint_type_, {}, uri}, m, uri,
                 [this, source = std::move(source), id = std::move(id), v](error_information const& e) {
                     quote_error(source, id, v, e);
                 });
}

net::awaitable<net::response>
quotes_service::
on_post(net::request req)
{
    fspiop::version v;
    std::string to;
    std::vector<std::string> currencies;
    std::string id;
    if(kind_ == kind::single)
    {
        auto body = ctx_.read_request<fspiop::post_quotes>(req, v, true);
        if(!body)
            co_return body.error();
        to = req.fields.value_or("FSPIOP-Destination");
        currencies.push_back(std::move(body->amount.currency));
        id = std::move(body->quote_id);
    }
    else
    {
        auto body = ctx_.read_request<fspiop::post_bulk_quotes>(req, v, true);
        if(!body)
            co_return body.error();
        to = req.fields.value_or("FSPIOP-Destination");
        id = std::move(body->bulk_quote_id);
        // One payee FSP per bulk: the destination.
        for(auto& q : body->individual_quotes)
        {
            auto const& fsp = q.payee.party_id_info.fsp_id;
            if(!fsp.empty() && fsp != to)
            {
                quote_error(std::string(req.fields.value_or("FSPIOP-Source")), id, v,
                            error_information::from(errc::generic_validation_error,
                                                    "individual quote " + q.quote_id + " is for " + fsp +
                                                        ", not FSPIOP-Destination " + to));
                co_return net::make_empty(202);
            }
            currencies.push_back(std::move(q.amount.currency));
        }
    }
    admit(std::move(req), v, id, std::move(to), currencies);
    co_return net::make_empty(202);
}

void
quotes_service::
admit(net::request req, fspiop::version v, std::string const& id, std::string to,
      std::vector<std::string> const& currencies)
{
    std::string source(req.fields.value_or("FSPIOP-Source"));
    auto const hash = fspiop::body_digest(req.body);
    auto const uri = "/" + std::string(resource_);

    // Duplicates: the same body is sent on again, another body is a modified request.
    if(auto const seen = book_.on_request(id, hash))
    {
        if(auto const* again = std::get_if<ledger::quote_book::resend>(&*seen))
            forward(std::move(req), net::method::post, uri, std::move(source), again->payee, id, v);
        else
            quote_error(std::move(source), id, v, std::get<error_information>(*seen));
        return;
    }

    // The payee FSP must be able to take a transfer in every currency of the request.
    auto const* payee = ctx_.participants.find(to);
    if(payee && payee->active && !payee->is_hub)
    {
        for(auto const& currency : currencies)
        {
            auto const* account = ctx_.participants.account_of(payee->id, ledger::account_type::position, currency);
            if(!account || !account->active)
            {
                quote_error(std::move(source), id, v,
                            error_information::from(errc::destination_fsp_error,
                                                    to + " has no active " + currency + " account"));
                return;
            }
        }
        book_.record_request(id, source, to, hash);
    }
    forward(std::move(req), net::method::post, uri, std::move(source), std::move(to), id, v);
}

net::awaitable<net::response>
quotes_service::
on_answer(net::request req, bool is_error)
{
    fspiop::version v;
    std::string id;
    if(is_error)
    {
        auto body = ctx_.read_callback<fspiop::error_information_object>(req, v, id);
        if(!body)
            co_return body.error();
    }
    else if(kind_ == kind::single)
    {
        auto body = ctx_.read_callback<fspiop::put_quotes>(req, v, id);
        if(!body)
            co_return body.error();
    }
    else
    {
        auto body = ctx_.read_callback<fspiop::put_bulk_quotes>(req, v, id);
        if(!body)
            co_return body.error();
    }

    std::string source(req.fields.value_or("FSPIOP-Source"));
    std::string to(req.fields.value_or("FSPIOP-Destination"));
    std::optional<ledger::body_digest> hash;
    if(!is_error)
        hash = fspiop::body_digest(req.body);
    auto verdict = book_.on_answer(id, source, to, hash);
    if(verdict.error)
    {
        // Refused answers go nowhere but back to their sender.
        quote_error(std::move(source), id, v, *verdict.error);
        co_return net::make_empty(200);
    }
    auto const uri = resource_path(resource_, id, is_error ? "/error" : "");
    forward(std::move(req), net::method::put, uri, std::move(source), std::move(verdict.to), std::move(id), v);
    co_return net::make_empty(200);
}

net::awaitable<net::response>
quotes_service::
on_put(net::request req)
{
    return on_answer(std::move(req), false);
}

net::awaitable<net::response>
quotes_service::
on_put_error(net::request req)
{
    return on_answer(std::move(req), true);
}

net::awaitable<net::response>
quotes_service::
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
    auto const uri = resource_path(resource_, id);
    forward(std::move(req), net::method::get, uri, std::move(source), std::move(to), std::move(id), v);
    co_return net::make_empty(202);
}

} // namespace mojasim::central
