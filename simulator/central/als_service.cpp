#include "simulator/central/als_service.hpp"

#include "simulator/fspiop/codec.hpp"
#include "simulator/fspiop/validate.hpp"

#include <boost/json/parse.hpp>

namespace mojasim::central {

namespace {

using fspiop::errc;
using fspiop::error_information;

// The oracle API (als-oracle interface) speaks plain JSON over participants media types.
net::request
oracle_request(hub_context const& ctx, net::method m, std::string body)
{
    net::request req;
    req.method = m;
    auto const type = fspiop::media_type("participants", {1, 0});
    req.fields.add("Accept", type);
    if(!body.empty())
        req.fields.add("Content-Type", type);
    req.fields.add("Date", core::format_http_date(ctx.clock.now()));
    req.fields.add("FSPIOP-Source", ctx.cfg.hub_name);
    req.body = std::move(body);
    return req;
}

std::string
oracle_target(oracle_config const& o, als_service::party_path const& pp)
{
    std::string url = o.url;
    url.append("/participants/").append(net::percent_encode(pp.type)).append("/").append(net::percent_encode(pp.id));
    return url;
}

std::string
query_string(std::string_view currency, std::string_view sub_id)
{
    std::string q;
    if(!currency.empty())
        q.append(q.empty() ? "?" : "&").append("currency=").append(net::percent_encode(currency));
    if(!sub_id.empty())
        q.append(q.empty() ? "?" : "&").append("partySubIdOrType=").append(net::percent_encode(sub_id));
    return q;
}

} // namespace

template_params
als_service::party_path::
params() const
{
    template_params p;
    p.party_id_type = type;
    p.party_identifier = id;
    p.party_sub_id_or_type = sub_id;
    return p;
}

std::string
als_service::party_path::
path(std::string_view resource, std::string_view tail) const
{
    std::string p = "/";
    p.append(resource).append("/").append(type).append("/").append(id);
    if(!sub_id.empty())
        p.append("/").append(sub_id);
    p.append(tail);
    return p;
}

als_service::
als_service(hub_context& ctx)
    : ctx_(ctx)
{
}

void
als_service::
add_routes(net::router& r)
{
    for(auto const* pattern : {"/parties/{Type}/{ID}", "/parties/{Type}/{ID}/{SubId}"})
    {
        r.add(net::method::get, pattern, [this](net::request q) { return on_get_parties(std::move(q)); });
        r.add(net::method::put, pattern,
              [this](net::request q) { return on_callback<fspiop::put_parties>(std::move(q), "parties", false); });
    }
    for(auto const* pattern : {"/parties/{Type}/{ID}/error", "/parties/{Type}/{ID}/{SubId}/error"})
        r.add(net::method::put, pattern, [this](net::request q) {
            return on_callback<fspiop::error_information_object>(std::move(q), "parties", true);
        });
    for(auto const* pattern : {"/participants/{Type}/{ID}", "/participants/{Type}/{ID}/{SubId}"})
    {
        r.add(net::method::get, pattern, [this](net::request q) { return on_get_participants(std::move(q)); });
        r.add(net::method::post, pattern, [this](net::request q) { return on_post_participants(std::move(q)); });
        r.add(net::method::delete_, pattern,
              [this](net::request q) { return on_delete_participants(std::move(q)); });
    }
    r.add(net::method::post, "/participants", [this](net::request q) { return on_post_participants_batch(std::move(q)); });
    // Callbacks between FSPs, passed on as the ALS does. The batch's {requestId} sits where
    // {Type} does (one placeholder name per position), and the literal /error wins over {ID}.
    for(auto const* pattern : {"/participants/{Type}/{ID}", "/participants/{Type}/{ID}/{SubId}"})
        r.add(net::method::put, pattern, [this](net::request q) {
            return on_callback<fspiop::put_participants_type_id>(std::move(q), "participants", false);
        });
    for(auto const* pattern : {"/participants/{Type}/{ID}/error", "/participants/{Type}/{ID}/{SubId}/error"})
        r.add(net::method::put, pattern, [this](net::request q) {
            return on_callback<fspiop::error_information_object>(std::move(q), "participants", true);
        });
    r.add(net::method::put, "/participants/{Type}",
          [this](net::request q) { return on_batch_callback<fspiop::put_participants>(std::move(q), false); });
    r.add(net::method::put, "/participants/{Type}/error",
          [this](net::request q) { return on_batch_callback<fspiop::error_information_object>(std::move(q), true); });
}

std::optional<net::response>
als_service::
check_request(net::request const& req, bool is_request, fspiop::version& v, party_path& pp) const
{
    // Requests from an unknown FSP are accepted and failed afterwards, as the ALS does.
    if(auto bad = ctx_.check_headers(req, is_request, v, is_request))
        return bad;
    pp = {std::string(req.params.get("Type")), std::string(req.params.get("ID")), std::string(req.params.get("SubId"))};
    // The hub validator's words and codes (enum and length: 3100); a path segment is never
    // empty here, so only the maximum can fail.
    if(!fspiop::is_party_id_type(pp.type))
        return hub_context::reject(errc::generic_validation_error, "/path/Type must be equal to one of the allowed values");
    if(!fspiop::is_party_identifier(pp.id))
        return hub_context::reject(errc::generic_validation_error, "/path/ID must NOT have more than 128 characters");
    if(!pp.sub_id.empty() && !fspiop::is_party_sub_id_or_type(pp.sub_id))
        return hub_context::reject(errc::generic_validation_error,
                                   "/path/SubId must NOT have more than 128 characters");
    return std::nullopt;
}

namespace {

// The endpoint of a PUT /{resource}/{Type}/{ID}[/{SubId}][/error] (resource: parties,
// participants).
std::string_view
callback_endpoint(std::string_view resource, als_service::party_path const& pp, bool error)
{
    bool const sub = !pp.sub_id.empty();
    if(resource == "parties")
        return sub ? (error ? endpoint::parties_sub_id_put_error : endpoint::parties_sub_id_put)
                   : (error ? endpoint::parties_put_error : endpoint::parties_put);
    return sub ? (error ? endpoint::participant_sub_id_put_error : endpoint::participant_sub_id_put)
               : (error ? endpoint::participant_put_error : endpoint::participant_put);
}

} // namespace

void
als_service::
callback(std::string_view resource, std::string to, party_path const& pp, fspiop::version v, std::string body,
         bool error)
{
    auto req = ctx_.hub_request(net::method::put, resource, v, to, std::move(body));
    ctx_.dispatch(std::move(to), callback_endpoint(resource, pp, error), pp.params(), {}, std::move(req));
}

void
als_service::
party_error(std::string to, party_path const& pp, fspiop::version v, error_information const& e)
{
    callback("parties", std::move(to), pp, v, fspiop::error_body(e), true);
}

hub_context::failure_handler
als_service::
errors_to(std::string_view resource, std::string source, party_path pp, fspiop::version v)
{
    return [this, resource, source = std::move(source), pp = std::move(pp), v](error_information const& e) {
        callback(resource, source, pp, v, fspiop::error_body(e), true);
    };
}

bool
als_service::
refused_source(net::request const& req, party_path const& pp, fspiop::version v)
{
    std::string source(req.fields.value_or("FSPIOP-Source"));
    auto problem = ctx_.source_problem(source);
    if(problem)
        callback("participants", std::move(source), pp, v, fspiop::error_body(*problem), true);
    return problem.has_value();
}

// ---- Oracles -------------------------------------------------------------------------------

net::awaitable<als_service::lookup_result>
als_service::
lookup(party_path pp, std::string currency)
{
    lookup_result out;
    auto const* o = ctx_.oracles.for_type(pp.type, currency);
    if(!o)
    {
        out.fsps = ctx_.oracles.builtin.lookup({pp.type, pp.id, pp.sub_id}, currency);
        if(out.fsps.empty())
            out.error = error_information::from(errc::party_not_found);
        co_return out;
    }

    // An external oracle: GET {oracle}/participants/{Type}/{ID}?currency=&partySubIdOrType=
    auto const url = oracle_target(*o, pp) + query_string(currency, pp.sub_id);
    auto query = oracle_request(ctx_, net::method::get, {});
    auto r = co_await ctx_.client.send(url, std::move(query), net::send_options{{}, true});
    if(!r || (r->status != 200 && r->status != 404))
    {
        ctx_.log->warn("oracle {} failed: {}", url, r ? "HTTP " + std::to_string(r->status) : r.error().message());
        out.error = error_information::from(errc::service_currently_unavailable, "oracle did not answer");
        co_return out;
    }
    if(r->status == 200)
    {
        boost::system::error_code ec;
        auto const doc = boost::json::parse(r->body, ec);
        auto const* obj = ec ? nullptr : doc.if_object();
        auto const* list = obj && obj->contains("partyList") ? obj->at("partyList").if_array() : nullptr;
        for(auto const& item : list ? *list : boost::json::array{})
        {
            auto const* party = item.if_object();
            if(!party || !party->contains("fspId") || !party->at("fspId").is_string())
                continue;
            // Records with or without a sub-id must match the request (ALS filters them).
            std::string_view sub;
            if(party->contains("partySubIdOrType") && party->at("partySubIdOrType").is_string())
                sub = party->at("partySubIdOrType").get_string();
            if(sub != pp.sub_id)
                continue;
            out.fsps.emplace_back(party->at("fspId").get_string());
        }
    }
    if(out.fsps.empty())
        out.error = error_information::from(errc::party_not_found);
    co_return out;
}

net::awaitable<std::optional<error_information>>
als_service::
register_party(party_path pp, std::string currency, std::string fsp)
{
    auto const* o = ctx_.oracles.for_type(pp.type, currency);
    if(!o)
    {
        auto const c = ctx_.oracles.builtin.add({pp.type, pp.id, pp.sub_id}, currency, fsp);
        if(c == builtin_oracle::change::conflict)
            co_return error_information::from(errc::add_party_information_error,
                                              "the party is registered to another FSP");
        co_return std::nullopt;
    }
    std::string body = R"({"fspId":")" + fsp + '"';
    if(!currency.empty())
        body += R"(,"currency":")" + currency + '"';
    if(!pp.sub_id.empty())
        body += R"(,"partySubIdOrType":")" + pp.sub_id + '"';
    body += '}';
    auto const url = oracle_target(*o, pp);
    auto add = oracle_request(ctx_, net::method::post, std::move(body));
    auto r = co_await ctx_.client.send(url, std::move(add));
    if(!r || !r->ok())
        co_return error_information::from(errc::add_party_information_error, "the oracle refused the party");
    co_return std::nullopt;
}

net::awaitable<std::optional<error_information>>
als_service::
unregister_party(party_path pp, std::string currency, std::string fsp)
{
    auto const* o = ctx_.oracles.for_type(pp.type, currency);
    if(!o)
    {
        switch(ctx_.oracles.builtin.remove({pp.type, pp.id, pp.sub_id}, currency, fsp))
        {
        case builtin_oracle::change::done:
        case builtin_oracle::change::unchanged: co_return std::nullopt;
        case builtin_oracle::change::conflict:
            co_return error_information::from(errc::delete_party_information_error,
                                              "the party is registered by another FSP");
        case builtin_oracle::change::not_found: break;
        }
        co_return error_information::from(errc::delete_party_information_error, "the party is not registered");
    }
    auto const url = oracle_target(*o, pp) + query_string(currency, pp.sub_id);
    auto remove = oracle_request(ctx_, net::method::delete_, {});
    auto r = co_await ctx_.client.send(url, std::move(remove));
    if(!r || !r->ok())
        co_return error_information::from(errc::delete_party_information_error, "the oracle refused the deletion");
    co_return std::nullopt;
}

// ---- /parties ------------------------------------------------------------------------------

net::awaitable<net::response>
als_service::
on_get_parties(net::request req)
{
    fspiop::version v;
    party_path pp;
    if(auto bad = check_request(req, true, v, pp))
        co_return std::move(*bad);
    std::string source(req.fields.value_or("FSPIOP-Source"));
    if(auto problem = ctx_.source_problem(source))
        party_error(std::move(source), pp, v, *problem);
    else
        ctx_.spawn(resolve_party(std::move(req), std::move(pp), std::move(source), v));
    co_return net::make_empty(202);
}

net::awaitable<void>
als_service::
resolve_party(net::request req, party_path pp, std::string source, fspiop::version v)
{
    // A request that names its destination skips the oracle.
    std::vector<std::string> owners;
    if(auto dest = req.fields.value_or("FSPIOP-Destination"); !dest.empty())
        owners.emplace_back(dest);
    else
    {
        std::string any_currency;
        auto found = co_await lookup(pp, std::move(any_currency));
        if(found.error)
        {
            party_error(std::move(source), pp, v, *found.error);
            co_return;
        }
        owners = std::move(found.fsps);
    }

    // Every FSP the oracle lists gets the GET (usually exactly one), with FSPIOP-Destination.
    auto const type = pp.sub_id.empty() ? endpoint::parties_get : endpoint::parties_sub_id_get;
    for(std::size_t i = 0; i < owners.size(); ++i)
    {
        auto const& to = owners[i];
        auto const* p = ctx_.participants.find(to);
        auto url = p && p->active ? ctx_.endpoint_url(to, type, pp.params()) : std::nullopt;
        if(!url)
        {
            party_error(source, pp, v,
                        error_information::from(errc::destination_fsp_error,
                                                p ? "no " + std::string(type) + " endpoint for " + to
                                                  : "unknown FSP " + to));
            continue;
        }
        auto out = hub_context::forwarded(i + 1 == owners.size() ? std::move(req) : req, net::method::get,
                                          pp.path("parties"));
        out.fields.set("FSPIOP-Destination", to);
        ctx_.relay(to, std::move(*url), std::move(out), errors_to("parties", source, pp, v));
    }
}

// ---- /participants -------------------------------------------------------------------------

net::awaitable<net::response>
als_service::
on_get_participants(net::request req)
{
    fspiop::version v;
    party_path pp;
    if(auto bad = check_request(req, true, v, pp))
        co_return std::move(*bad);
    auto currency = req.query_param("currency").value_or(std::string());
    if(refused_source(req, pp, v))
        co_return net::make_empty(202);
    ctx_.spawn(answer_participants(std::move(pp), std::string(req.fields.value_or("FSPIOP-Source")),
                                   std::move(currency), v));
    co_return net::make_empty(202);
}

net::awaitable<void>
als_service::
answer_participants(party_path pp, std::string source, std::string currency, fspiop::version v)
{
    auto found = co_await lookup(pp, currency);
    if(found.error)
    {
        callback("participants", std::move(source), pp, v, fspiop::error_body(*found.error), true);
        co_return;
    }
    fspiop::put_participants_type_id body;
    body.fsp_id = found.fsps.front();
    callback("participants", std::move(source), pp, v, fspiop::encode(body), false);
}

net::awaitable<net::response>
als_service::
on_post_participants(net::request req)
{
    fspiop::version v;
    party_path pp;
    if(auto bad = check_request(req, true, v, pp))
        co_return std::move(*bad);
    auto body = fspiop::decode<fspiop::post_participants_type_id>(req.body, v.major, ctx_.cfg.strict_spec);
    if(!body)
        co_return net::make_response(400, body.error().body());
    if(refused_source(req, pp, v))
        co_return net::make_empty(202);
    ctx_.spawn(add_participant(std::move(pp), std::string(req.fields.value_or("FSPIOP-Source")),
                               std::move(body->fsp_id), std::move(body->currency), v));
    co_return net::make_empty(202);
}

net::awaitable<void>
als_service::
add_participant(party_path pp, std::string source, std::string fsp, std::string currency, fspiop::version v)
{
    std::optional<error_information> error;
    auto const* owner = ctx_.participants.find(fsp);
    if(!owner || owner->is_hub)
        error = error_information::from(errc::add_party_information_error, "FSP " + fsp + " is not a participant");
    else
        error = co_await register_party(pp, currency, fsp);
    if(error)
    {
        callback("participants", std::move(source), pp, v, fspiop::error_body(*error), true);
        co_return;
    }
    fspiop::put_participants_type_id body;
    body.fsp_id = std::move(fsp);
    callback("participants", std::move(source), pp, v, fspiop::encode(body), false);
}

net::awaitable<net::response>
als_service::
on_delete_participants(net::request req)
{
    fspiop::version v;
    party_path pp;
    if(auto bad = check_request(req, true, v, pp))
        co_return std::move(*bad);
    auto currency = req.query_param("currency").value_or(std::string());
    if(refused_source(req, pp, v))
        co_return net::make_empty(202);
    ctx_.spawn(remove_participant(std::move(pp), std::string(req.fields.value_or("FSPIOP-Source")),
                                  std::move(currency), v));
    co_return net::make_empty(202);
}

net::awaitable<void>
als_service::
remove_participant(party_path pp, std::string source, std::string currency, fspiop::version v)
{
    auto error = co_await unregister_party(pp, currency, source);
    if(error)
    {
        callback("participants", std::move(source), pp, v, fspiop::error_body(*error), true);
        co_return;
    }
    // The callback of a DELETE carries no fspId.
    callback("participants", std::move(source), pp, v, "{}", false);
}

net::awaitable<net::response>
als_service::
on_post_participants_batch(net::request req)
{
    fspiop::version v;
    if(auto bad = ctx_.check_headers(req, true, v, true))
        co_return std::move(*bad);
    auto body = fspiop::decode<fspiop::post_participants>(req.body, v.major, ctx_.cfg.strict_spec);
    if(!body)
        co_return net::make_response(400, body.error().body());
    std::string source(req.fields.value_or("FSPIOP-Source"));
    if(auto problem = ctx_.source_problem(source))
    {
        batch_error(std::move(source), body->request_id, v, *problem);
        co_return net::make_empty(202);
    }
    ctx_.spawn(add_batch(std::move(*body), std::string(req.fields.value_or("FSPIOP-Source")), v));
    co_return net::make_empty(202);
}

net::awaitable<void>
als_service::
add_batch(fspiop::post_participants batch, std::string source, fspiop::version v)
{
    // Each party is registered for the requester (or the fspId it names, which must be the
    // requester); failures are reported per party in the PUT /participants/{requestId}.
    fspiop::put_participants result;
    result.currency = batch.currency;
    for(auto& party : batch.party_list)
    {
        fspiop::party_result r;
        if(!party.fsp_id.empty() && party.fsp_id != source)
            r.error_information = error_information::from(errc::add_party_information_error,
                                                          "fspId does not match FSPIOP-Source");
        else
        {
            party_path pp{std::string(fspiop::to_string(party.party_id_type)), party.party_identifier,
                          party.party_sub_id_or_type};
            auto error = co_await register_party(std::move(pp), batch.currency, source);
            if(error)
                r.error_information = std::move(*error);
        }
        if(party.fsp_id.empty())
            party.fsp_id = source;
        r.party_id = std::move(party);
        result.party_list.push_back(std::move(r));
    }
    template_params p;
    p.request_id = batch.request_id;
    auto req = ctx_.hub_request(net::method::put, "participants", v, source, fspiop::encode(result));
    ctx_.dispatch(std::move(source), endpoint::participant_batch_put, p, {}, std::move(req));
}

// ---- Participant callbacks between FSPs -----------------------------------------------------

void
als_service::
batch_error(std::string to, std::string const& request_id, fspiop::version v, error_information const& e)
{
    template_params p;
    p.request_id = request_id;
    auto req = ctx_.hub_request(net::method::put, "participants", v, to, fspiop::error_body(e));
    ctx_.dispatch(std::move(to), endpoint::participant_batch_put_error, p, {}, std::move(req));
}

// ---- Callbacks between FSPs ----------------------------------------------------------------

template <class Body>
net::awaitable<net::response>
als_service::
on_callback(net::request req, std::string_view resource, bool error)
{
    fspiop::version v;
    party_path pp;
    if(auto bad = check_request(req, false, v, pp))
        co_return std::move(*bad);
    auto body = fspiop::decode<Body>(req.body, v.major, ctx_.cfg.strict_spec);
    if(!body)
        co_return net::make_response(400, body.error().body());
    // The answer (or its error) goes on to the FSP named in FSPIOP-Destination (the
    // requester, for /parties); what fails goes back to the sender's error endpoint.
    std::string source(req.fields.value_or("FSPIOP-Source"));
    std::string to(req.fields.value_or("FSPIOP-Destination"));
    auto const uri = pp.path(resource, error ? "/error" : "");
    ctx_.pass_on(std::move(req), std::move(to), {callback_endpoint(resource, pp, error), pp.params(), {}},
                 net::method::put, uri, errors_to(resource, std::move(source), pp, v));
    co_return net::make_empty(200);
}

template <class Body>
net::awaitable<net::response>
als_service::
on_batch_callback(net::request req, bool error)
{
    fspiop::version v;
    std::string request_id;
    // The route's first placeholder holds the requestId.
    if(auto bad = ctx_.check_headers_and_id(req, false, v, request_id, "Type"))
        co_return std::move(*bad);
    auto body = fspiop::decode<Body>(req.body, v.major, ctx_.cfg.strict_spec);
    if(!body)
        co_return net::make_response(400, body.error().body());
    std::string source(req.fields.value_or("FSPIOP-Source"));
    std::string to(req.fields.value_or("FSPIOP-Destination"));
    template_params params;
    params.request_id = request_id;
    auto const uri = resource_path("participants", request_id, error ? "/error" : "");
    ctx_.pass_on(std::move(req), std::move(to),
                 {error ? endpoint::participant_batch_put_error : endpoint::participant_batch_put, params, {}},
                 net::method::put, uri,
                 [this, source = std::move(source), request_id, v](error_information const& e) {
                     batch_error(source, request_id, v, e);
                 });
    co_return net::make_empty(200);
}

} // namespace mojasim::central
