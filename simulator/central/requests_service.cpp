#include "simulator/central/requests_service.hpp"

#include "simulator/fspiop/codec.hpp"
#include "simulator/fspiop/validate.hpp"

namespace mojasim::central {

using fspiop::errc;
using fspiop::error_information;

namespace {


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

constexpr requests_service::resource transaction_requests{"transactionRequests", endpoint::trx_req_service};
constexpr requests_service::resource authorizations{"authorizations", endpoint::authorizations,
                                                    &check_authorization_query};

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
          [this](net::request q) { return on_get(transaction_requests, std::move(q)); });
    r.add(method::put, "/transactionRequests/{ID}", [this](net::request q) {
        return on_put<fspiop::put_transaction_requests>(transaction_requests, std::move(q), "");
    });
    r.add(method::put, "/transactionRequests/{ID}/error", [this](net::request q) {
        return on_put<fspiop::error_information_object>(transaction_requests, std::move(q), "/error");
    });
    r.add(method::get, "/authorizations/{ID}",
          [this](net::request q) { return on_get(authorizations, std::move(q)); });
    r.add(method::put, "/authorizations/{ID}", [this](net::request q) {
        return on_put<fspiop::put_authorizations>(authorizations, std::move(q), "");
    });
    r.add(method::put, "/authorizations/{ID}/error", [this](net::request q) {
        return on_put<fspiop::error_information_object>(authorizations, std::move(q), "/error");
    });
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
forward(resource const& res, net::request req, std::string_view uri, std::string id, fspiop::version v,
        std::string to)
{
    std::string source(req.fields.value_or("FSPIOP-Source"));
    if(to.empty())
        to = req.fields.value_or("FSPIOP-Destination");
    auto const m = req.method;
    ctx_.pass_on(std::move(req), std::move(to), {res.endpoint_type, {}, uri}, m, uri,
                 [this, &res, source = std::move(source), id = std::move(id), v](error_information const& e) {
                     send_error(res, source, id, v, e);
                 });
}

net::awaitable<net::response>
requests_service::
on_post_transaction_requests(net::request req)
{
    fspiop::version v;
    auto body = ctx_.read_request<fspiop::post_transaction_requests>(req, v);
    if(!body)
        co_return body.error();
    // Without FSPIOP-Destination the request goes to the payer's FSP.
    std::string to(req.fields.value_or("FSPIOP-Destination"));
    if(to.empty())
        to = std::move(body->payer.fsp_id);
    forward(transaction_requests, std::move(req), "/transactionRequests", std::move(body->transaction_request_id), v,
            std::move(to));
    co_return net::make_empty(202);
}

net::awaitable<net::response>
requests_service::
on_get(resource const& res, net::request req)
{
    fspiop::version v;
    std::string id;
    if(auto bad = ctx_.check_headers_and_id(req, true, v, id))
        co_return std::move(*bad);
    if(res.check_query)
        if(auto bad = res.check_query(req))
            co_return std::move(*bad);
    // The query goes on with the request: the payee shows the amount and counts the retries.
    auto uri = resource_path(res.name, id);
    if(auto const q = req.query(); !q.empty())
        uri.append("?").append(q);
    forward(res, std::move(req), uri, std::move(id), v);
    co_return net::make_empty(202);
}

template <class Body>
net::awaitable<net::response>
requests_service::
on_put(resource const& res, net::request req, std::string_view tail)
{
    fspiop::version v;
    std::string id;
    auto body = ctx_.read_callback<Body>(req, v, id);
    if(!body)
        co_return body.error();
    auto const uri = resource_path(res.name, id, tail);
    forward(res, std::move(req), uri, std::move(id), v);
    co_return net::make_empty(200);
}

} // namespace mojasim::central
