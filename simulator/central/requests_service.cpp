#include "simulator/central/requests_service.hpp"

#include "simulator/fspiop/codec.hpp"
#include "simulator/fspiop/validate.hpp"

namespace mojasim::central {

using fspiop::errc;
using fspiop::error_information;

namespace {

constexpr requests_service::resource transaction_requests{"transactionRequests", endpoint::trx_req_service};
constexpr requests_service::resource authorizations{"authorizations", endpoint::authorizations};

// The query of GET /authorizations/{ID}: authenticationType, retriesLeft, amount and currency
// (the spec describes them in prose; the real hub's schema does not declare them, so they are
// not required), each checked when present.
std::optional<net::response>
check_authorization_query(net::request const& req)
{
    // The hub validator's mapping: enum and pattern 3100, type 3101.
    if(auto t = req.query_param("authenticationType"); t && !fspiop::from_string<fspiop::authentication_type>(*t))
        return hub_context::reject(errc::generic_validation_error,
                                   "/query/authenticationType must be equal to one of the allowed values");
    if(auto n = req.query_param("retriesLeft"); n && !fspiop::is_integer(*n))
        return hub_context::reject(errc::malformed_syntax, "/query/retriesLeft must be integer");
    if(auto a = req.query_param("amount"); a && !fspiop::is_amount(*a))
        return hub_context::reject(errc::generic_validation_error,
                                   "/query/amount must match pattern \"^([0]|([1-9][0-9]{0,17}))([.][0-9]{0,3}[1-9])?$\"");
    if(auto c = req.query_param("currency"); c && !fspiop::is_currency(*c))
        return hub_context::reject(errc::generic_validation_error,
                                   "/query/currency must be equal to one of the allowed values");
    return std::nullopt;
}

} // namespace

requests_service::
requests_service(hub_context& ctx)
    : ctx_(ctx)
{
}

void
requests_service::
add_routes(net::router& r)
{
    using net::method;
    r.add(method::post, "/transactionRequests",
          [this](net::request q) { return on_post_transaction_requests(std::move(q)); });
    r.add(method::get, "/transactionRequests/{ID}",
          [this](net::request q) { return on_get_transaction_request(std::move(q)); });
    r.add(method::put, "/transactionRequests/{ID}",
          [this](net::request q) { return on_put_transaction_request(std::move(q)); });
    r.add(method::put, "/transactionRequests/{ID}/error",
          [this](net::request q) { return on_put_transaction_request_error(std::move(q)); });
    r.add(method::get, "/authorizations/{ID}", [this](net::request q) { return on_get_authorization(std::move(q)); });
    r.add(method::put, "/authorizations/{ID}", [this](net::request q) { return on_put_authorization(std::move(q)); });
    r.add(method::put, "/authorizations/{ID}/error",
          [this](net::request q) { return on_put_authorization_error(std::move(q)); });
}

void
requests_service::
send_error(resource const& res, std::string to, std::string const& id, fspiop::version v, error_information const& e)
{
    auto req = ctx_.hub_request(net::method::put, res.name, v, to, fspiop::error_body(e));
    ctx_.dispatch(std::move(to), res.endpoint_type, {}, resource_path(res.name, id, "/error"), std::move(req));
}

void
requests_service::
forward(resource const& res, net::request req, net::method m, std::string uri, std::string source, std::string to,
        std::string id, fspiop::version v)
{
    auto const* p = ctx_.participants.find(to);
    auto url = p && p->active && !p->is_hub ? ctx_.endpoint_url(to, res.endpoint_type, {}, uri) : std::nullopt;
    if(!url)
    {
        send_error(res, std::move(source), id, v,
                   error_information::from(errc::destination_fsp_error,
                                           to.empty()               ? "FSPIOP-Destination is missing"
                                           : !p || p->is_hub        ? "unknown FSP " + to
                                           : !p->active             ? to + " is inactive"
                                                                    : "no " + std::string(res.endpoint_type) +
                                                                          " endpoint for " + to));
        return;
    }
    auto on_failure = [this, &res, source = std::move(source), id = std::move(id), v](error_information const& e) {
        send_error(res, source, id, v, e);
    };
    ctx_.relay(std::move(to), std::move(*url), hub_context::forwarded(std::move(req), m, uri), std::move(on_failure));
}

// ---- /transactionRequests ------------------------------------------------------------------

net::awaitable<net::response>
requests_service::
on_post_transaction_requests(net::request req)
{
    fspiop::version v;
    auto body = ctx_.read_request<fspiop::post_transaction_requests>(req, v);
    if(!body)
        co_return body.error();
    std::string source(req.fields.value_or("FSPIOP-Source"));
    std::string to(req.fields.value_or("FSPIOP-Destination"));
    if(to.empty())
        to = body->payer.fsp_id;
    auto id = std::move(body->transaction_request_id);
    forward(transaction_requests, std::move(req), net::method::post, "/transactionRequests", std::move(source),
            std::move(to), std::move(id), v);
    co_return net::make_empty(202);
}

net::awaitable<net::response>
requests_service::
on_get_transaction_request(net::request req)
{
    fspiop::version v;
    std::string id;
    if(auto bad = ctx_.check_headers_and_id(req, true, v, id))
        co_return std::move(*bad);
    std::string source(req.fields.value_or("FSPIOP-Source"));
    std::string to(req.fields.value_or("FSPIOP-Destination"));
    auto uri = resource_path(transaction_requests.name, id);
    forward(transaction_requests, std::move(req), net::method::get, std::move(uri), std::move(source), std::move(to),
            std::move(id), v);
    co_return net::make_empty(202);
}

net::awaitable<net::response>
requests_service::
on_put_transaction_request(net::request req)
{
    fspiop::version v;
    std::string id;
    auto body = ctx_.read_callback<fspiop::put_transaction_requests>(req, v, id);
    if(!body)
        co_return body.error();
    std::string source(req.fields.value_or("FSPIOP-Source"));
    std::string to(req.fields.value_or("FSPIOP-Destination"));
    auto uri = resource_path(transaction_requests.name, id);
    forward(transaction_requests, std::move(req), net::method::put, std::move(uri), std::move(source), std::move(to),
            std::move(id), v);
    co_return net::make_empty(200);
}

net::awaitable<net::response>
requests_service::
on_put_transaction_request_error(net::request req)
{
    fspiop::version v;
    std::string id;
    auto body = ctx_.read_callback<fspiop::error_information_object>(req, v, id);
    if(!body)
        co_return body.error();
    std::string source(req.fields.value_or("FSPIOP-Source"));
    std::string to(req.fields.value_or("FSPIOP-Destination"));
    auto uri = resource_path(transaction_requests.name, id, "/error");
    forward(transaction_requests, std::move(req), net::method::put, std::move(uri), std::move(source), std::move(to),
            std::move(id), v);
    co_return net::make_empty(200);
}

// ---- /authorizations -----------------------------------------------------------------------

net::awaitable<net::response>
requests_service::
on_get_authorization(net::request req)
{
    fspiop::version v;
    std::string id;
    if(auto bad = ctx_.check_headers_and_id(req, true, v, id))
        co_return std::move(*bad);
    if(auto bad = check_authorization_query(req))
        co_return std::move(*bad);
    std::string source(req.fields.value_or("FSPIOP-Source"));
    std::string to(req.fields.value_or("FSPIOP-Destination"));
    // The query goes on with the request: the payee shows the amount and counts the retries.
    auto uri = resource_path(authorizations.name, id);
    if(auto const q = req.query(); !q.empty())
        uri.append("?").append(q);
    forward(authorizations, std::move(req), net::method::get, std::move(uri), std::move(source), std::move(to),
            std::move(id), v);
    co_return net::make_empty(202);
}

net::awaitable<net::response>
requests_service::
on_put_authorization(net::request req)
{
    fspiop::version v;
    std::string id;
    auto body = ctx_.read_callback<fspiop::put_authorizations>(req, v, id);
    if(!body)
        co_return body.error();
    std::string source(req.fields.value_or("FSPIOP-Source"));
    std::string to(req.fields.value_or("FSPIOP-Destination"));
    auto uri = resource_path(authorizations.name, id);
    forward(authorizations, std::move(req), net::method::put, std::move(uri), std::move(source), std::move(to),
            std::move(id), v);
    co_return net::make_empty(200);
}

net::awaitable<net::response>
requests_service::
on_put_authorization_error(net::request req)
{
    fspiop::version v;
    std::string id;
    auto body = ctx_.read_callback<fspiop::error_information_object>(req, v, id);
    if(!body)
        co_return body.error();
    std::string source(req.fields.value_or("FSPIOP-Source"));
    std::string to(req.fields.value_or("FSPIOP-Destination"));
    auto uri = resource_path(authorizations.name, id, "/error");
    forward(authorizations, std::move(req), net::method::put, std::move(uri), std::move(source), std::move(to),
            std::move(id), v);
    co_return net::make_empty(200);
}

} // namespace mojasim::central
