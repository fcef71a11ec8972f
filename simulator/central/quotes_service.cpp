#include "simulator/central/quotes_service.hpp"

#include "simulator/fspiop/codec.hpp"
#include "simulator/fspiop/ilp.hpp"
#include "simulator/fspiop/validate.hpp"

namespace mojasim::central {

using fspiop::errc;
using fspiop::error_information;

quotes_service::
quotes_service(hub_context& ctx)
    : ctx_(ctx)
{
}

void
quotes_service::
add_routes(net::router& r)
{
    r.add(net::method::post, "/quotes", [this](net::request q) { return on_post_quotes(std::move(q)); });
    r.add(net::method::get, "/quotes/{ID}", [this](net::request q) { return on_get_quote(std::move(q)); });
    r.add(net::method::put, "/quotes/{ID}", [this](net::request q) { return on_put_quote(std::move(q)); });
    r.add(net::method::put, "/quotes/{ID}/error", [this](net::request q) { return on_put_quote_error(std::move(q)); });
}

void
quotes_service::
quote_error(std::string to, std::string const& quote_id, fspiop::version v, error_information const& e)
{
    auto req = ctx_.hub_request(net::method::put, "quotes", v, to, fspiop::error_body(e));
    ctx_.dispatch(std::move(to), endpoint::quotes, {}, resource_path("quotes", quote_id, "/error"), std::move(req));
}

void
quotes_service::
forward(net::request req, net::method m, std::string_view uri, std::string source, std::string to,
        std::string quote_id, fspiop::version v)
{
    auto const* p = ctx_.participants.find(to);
    auto url = p && p->active && !p->is_hub ? ctx_.endpoint_url(to, endpoint::quotes, {}, uri) : std::nullopt;
    if(!url)
    {
        quote_error(std::move(source), quote_id, v,
                    error_information::from(errc::destination_fsp_error,
                                            to.empty() ? "FSPIOP-Destination is missing"
                                            : !p       ? "unknown FSP " + to
                                                       : "no quotes endpoint for " + to));
        return;
    }
    auto on_failure = [this, source = std::move(source), quote_id = std::move(quote_id), v](
                          error_information const& e) { quote_error(source, quote_id, v, e); };
    ctx_.relay(std::move(to), std::move(*url), hub_context::forwarded(std::move(req), m, uri), std::move(on_failure));
}

net::awaitable<net::response>
quotes_service::
on_post_quotes(net::request req)
{
    fspiop::version v;
    auto body = ctx_.read_request<fspiop::post_quotes>(req, v, true);
    if(!body)
        co_return body.error();

    std::string source(req.fields.value_or("FSPIOP-Source"));
    std::string to(req.fields.value_or("FSPIOP-Destination"));
    if(to.empty())
        to = body->payee.party_id_info.fsp_id;
    auto const hash = fspiop::body_digest(req.body);
    auto const& id = body->quote_id;

    // Duplicates: the same body is sent on again, another body is a modified request.
    if(auto const seen = book_.on_request(id, hash))
    {
        if(auto const* again = std::get_if<ledger::quote_book::resend>(&*seen))
            forward(std::move(req), net::method::post, "/quotes", std::move(source), again->payee, id, v);
        else
            quote_error(std::move(source), id, v, std::get<error_information>(*seen));
        co_return net::make_empty(202);
    }

    // The payee FSP must be able to take a transfer in the currency.
    auto const* payee = ctx_.participants.find(to);
    if(payee && payee->active && !payee->is_hub)
    {
        auto const* account =
            ctx_.participants.account_of(payee->id, ledger::account_type::position, body->amount.currency);
        if(!account || !account->active)
        {
            quote_error(std::move(source), id, v,
                        error_information::from(errc::destination_fsp_error,
                                                to + " has no active " + body->amount.currency + " account"));
            co_return net::make_empty(202);
        }
        book_.record_request(id, source, to, hash);
    }
    forward(std::move(req), net::method::post, "/quotes", std::move(source), std::move(to), id, v);
    co_return net::make_empty(202);
}

net::awaitable<net::response>
quotes_service::
on_put_quote(net::request req)
{
    fspiop::version v;
    std::string id;
    auto body = ctx_.read_callback<fspiop::put_quotes>(req, v, id);
    if(!body)
        co_return body.error();

    std::string source(req.fields.value_or("FSPIOP-Source"));
    std::string to(req.fields.value_or("FSPIOP-Destination"));
    auto verdict = book_.on_answer(id, source, to, fspiop::body_digest(req.body));
    if(verdict.error)
    {
        // Refused answers go nowhere but back to their sender.
        quote_error(std::move(source), id, v, *verdict.error);
        co_return net::make_empty(200);
    }
    to = std::move(verdict.to);
    auto const uri = resource_path("quotes", id);
    forward(std::move(req), net::method::put, uri, std::move(source), std::move(to), std::move(id), v);
    co_return net::make_empty(200);
}

net::awaitable<net::response>
quotes_service::
on_put_quote_error(net::request req)
{
    fspiop::version v;
    std::string id;
    auto body = ctx_.read_callback<fspiop::error_information_object>(req, v, id);
    if(!body)
        co_return body.error();

    std::string source(req.fields.value_or("FSPIOP-Source"));
    std::string to(req.fields.value_or("FSPIOP-Destination"));
    auto verdict = book_.on_answer(id, source, to, std::nullopt);
    if(verdict.error)
    {
        quote_error(std::move(source), id, v, *verdict.error);
        co_return net::make_empty(200);
    }
    to = std::move(verdict.to);
    auto const uri = resource_path("quotes", id, "/error");
    forward(std::move(req), net::method::put, uri, std::move(source), std::move(to), std::move(id), v);
    co_return net::make_empty(200);
}

net::awaitable<net::response>
quotes_service::
on_get_quote(net::request req)
{
    fspiop::version v;
    std::string id;
    if(auto bad = ctx_.check_headers_and_id(req, true, v, id))
        co_return std::move(*bad);

    std::string source(req.fields.value_or("FSPIOP-Source"));
    std::string to(req.fields.value_or("FSPIOP-Destination"));
    if(to.empty())
        to = book_.other_side(id, source);
    auto const uri = resource_path("quotes", id);
    forward(std::move(req), net::method::get, uri, std::move(source), std::move(to), std::move(id), v);
    co_return net::make_empty(202);
}

} // namespace mojasim::central
