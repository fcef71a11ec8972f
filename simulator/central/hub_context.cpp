#include "simulator/central/hub_context.hpp"

#include "simulator/core/log.hpp"
#include "simulator/fspiop/jws.hpp"
#include "simulator/fspiop/validate.hpp"

#include <boost/asio/post.hpp>

#include <array>

namespace mojasim::central {

namespace {

std::string_view value_of(template_params const& p, std::string_view name) noexcept
{
    if(name == "partyIdType")
        return p.party_id_type;
    if(name == "partyIdentifier")
        return p.party_identifier;
    if(name == "partySubIdOrType")
        return p.party_sub_id_or_type;
    if(name == "transferId")
        return p.transfer_id;
    if(name == "requestId")
        return p.request_id;
    if(name == "bulkTransferId")
        return p.bulk_transfer_id;
    if(name == "bulkQuoteId")
        return p.bulk_quote_id;
    if(name == "id")
        return p.id;
    return {};
}

// Hop-by-hop and recomputed headers that a forward must not carry over.
constexpr std::array<std::string_view, 9> dropped_on_forward = {
    "Host", "Content-Length", "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade",
    "Proxy-Connection"};

} // namespace

std::string
render(std::string_view tmpl, template_params const& p)
{
    std::string out;
    out.reserve(tmpl.size() + 48);
    std::size_t pos = 0;
    while(pos < tmpl.size())
    {
        auto const open = tmpl.find("{{", pos);
        if(open == std::string_view::npos)
            break;
        auto const close = tmpl.find("}}", open + 2);
        if(close == std::string_view::npos)
            break;
        out.append(tmpl.substr(pos, open - pos));
        auto name = tmpl.substr(open + 2, close - open - 2);
        while(!name.empty() && name.front() == ' ')
            name.remove_prefix(1);
        while(!name.empty() && name.back() == ' ')
            name.remove_suffix(1);
        // A value keeps RFC 3986's pchar (unreserved, sub-delims, ':' and '@'); everything
        // else ('/', '?', '#', '%', spaces, non-ASCII) is percent-encoded, so a value always
        // stays one path segment.
        out += net::percent_encode_path(value_of(p, name));
        pos = close + 2;
    }
    out.append(tmpl.substr(pos));
    return out;
}

std::string
resource_path(std::string_view resource, std::string_view id, std::string_view tail)
{
    std::string p;
    p.reserve(2 + resource.size() + id.size() + tail.size());
    p.append("/").append(resource).append("/").append(id).append(tail);
    return p;
}

std::string
callback_uri(std::string_view url)
{
    // The path from the first FSPIOP resource on (as a JWS protected header names it),
    // without the query.
    auto uri = fspiop::jws::uri_of(url);
    if(auto const query = uri.find_first_of("?#"); query != std::string::npos)
        uri.erase(query);
    return uri;
}

std::uint8_t
version_tag(fspiop::version v) noexcept
{
    return static_cast<std::uint8_t>(((v.major & 0xF) << 4) | (v.minor & 0xF));
}

fspiop::version
version_of_tag(std::uint8_t tag) noexcept
{
    if(tag == 0)
        return {1, 1};
    return {tag >> 4, tag & 0xF};
}

hub_context::
hub_context(net::executor executor, switch_config config, core::clock const& clk)
    : ex(executor)
    , cfg(std::move(config))
    , clock(clk)
    , log(core::logger(cfg.name))
    , participants(cfg.hub_name, clk.now())
    , settlement(clk.now())
    , transfers(participants, settlement,
                ledger::transfer_book_options{cfg.send_transfer_confirmation_to_payee})
    , client(executor, net::client_options{cfg.max_connections_per_fsp, std::chrono::milliseconds(5'000),
                                           cfg.callback_timeout, 2, 64 * 1024 * 1024, cfg.name})
{
    // JWS_SIGN without a configured key: the hub makes its own (the Admin API's
    // GET /participants/{hub}/jwsKey hands its public half out).
    if(cfg.jws.sign && !cfg.jws.signing_key)
        cfg.jws.signing_key = fspiop::jws::generate_rsa();
}

net::response
hub_context::
reject(fspiop::errc code, std::string_view detail)
{
    return net::make_response(fspiop::http_status(code), fspiop::error_body(code, detail));
}

std::optional<net::response>
hub_context::
check_headers_and_id(net::request const& req, bool is_request, fspiop::version& v, std::string& id,
                     std::string_view param) const
{
    if(auto bad = check_headers(req, is_request, v))
        return bad;
    id = std::string(req.params.get(param));
    if(!fspiop::is_correlation_id(id, v.major, cfg.strict_spec))
        return reject(fspiop::errc::generic_validation_error,
                      "/path/ID must match pattern \"" +
                          std::string(fspiop::correlation_id_pattern(v.major, cfg.strict_spec)) + "\"");
    return std::nullopt;
}

std::optional<net::response>
hub_context::
check_headers(net::request const& req, bool is_request, fspiop::version& v, bool defer_source) const
{
    auto const h = fspiop::view_request_headers(req.fields, req.body.size());
    auto check = fspiop::check_request_headers(fspiop::resource_of_path(req.path()), is_request, h,
                                               req.method == net::method::get);
    if(!check)
        return net::make_response(check.http_status, std::move(check.body));
    v = check.negotiated;

    // The sender must be an FSP the hub knows and lets trade.
    if(!defer_source)
        if(auto problem = source_problem(*h.fspiop_source))
            return net::make_response(fspiop::http_status(fspiop::errc::generic_id_not_found), fspiop::error_body(*problem));
    return check_signature(req, *h.fspiop_source);
}

std::optional<fspiop::error_information>
hub_context::
source_problem(std::string_view source) const
{
    auto const* p = participants.find(source);
    if(!p || p->is_hub)
        return fspiop::error_information::from(fspiop::errc::generic_id_not_found,
                                               "FSPIOP-Source " + std::string(source) + " is not a participant");
    if(!p->active)
        return fspiop::error_information::from(fspiop::errc::generic_id_not_found,
                                               "FSPIOP-Source " + std::string(source) + " is inactive");
    return std::nullopt;
}

std::optional<net::response>
hub_context::
check_signature(net::request const& req, std::string_view source) const
{
    if(!cfg.jws.validate)
        return std::nullopt; // (no header lookups on the hot path when JWS is off)
    auto const why = fspiop::jws::check_incoming(
        cfg.jws, {net::to_string(req.method), req.target, source,
                  req.fields.get("FSPIOP-Destination").value_or(std::string_view{}), req.fields.get("FSPIOP-Signature"),
                  req.fields.get("Date"), req.body});
    if(!why)
        return std::nullopt;
    log->info("{} {} from {}: invalid signature: {}", net::to_string(req.method), req.target, source, *why);
    return reject(fspiop::errc::invalid_signature, *why);
}

void
hub_context::
sign_if_hub_made(net::request& req) const
{
    // Forwarded messages keep their sender's signature untouched; the hub signs only what it
    // writes itself, and only messages with a body. send() has set FSPIOP-URI and
    // FSPIOP-HTTP-Method (ml-api-adapter's callback headers); the protected header repeats them.
    if(!cfg.jws.sign || req.body.empty() || req.fields.get("FSPIOP-Source") != std::string_view(cfg.hub_name))
        return;
    fspiop::jws::message_fields const f{req.fields.get("FSPIOP-URI").value_or(std::string_view{}),
                                        req.fields.get("FSPIOP-HTTP-Method").value_or(std::string_view{}),
                                        cfg.hub_name,
                                        req.fields.get("FSPIOP-Destination").value_or(std::string_view{})};
    req.fields.set("FSPIOP-Signature", fspiop::jws::sign(cfg.jws.signing_key, f, req.body));
}

std::optional<std::string>
hub_context::
endpoint_url(std::string_view fsp, std::string_view type, template_params const& p, std::string_view suffix) const
{
    auto const* participant = participants.find(fsp);
    if(!participant)
        return std::nullopt;
    auto const tmpl = ledger::participant_registry::endpoint_of(*participant, type);
    if(tmpl.empty())
        return std::nullopt;
    auto url = render(tmpl, p);
    if(!suffix.empty())
    {
        while(!url.empty() && url.back() == '/')
            url.pop_back();
        url.append(suffix);
    }
    return url;
}

net::request
hub_context::
hub_request(net::method m, std::string_view resource, fspiop::version v, std::string_view destination,
            std::string body, std::string_view uri) const
{
    net::request req;
    req.method = m;
    req.fields.reserve(6);
    req.fields.add("Content-Type", fspiop::media_type(resource, v));
    req.fields.add("Date", core::format_http_date(clock.now()));
    req.fields.add("FSPIOP-Source", cfg.hub_name);
    req.fields.add("FSPIOP-Destination", std::string(destination));
    req.fields.add("FSPIOP-HTTP-Method", net::to_string(m));
    if(!uri.empty())
        req.fields.add("FSPIOP-URI", uri);
    req.body = std::move(body);
    return req;
}

net::request
hub_context::
forwarded(net::request req, net::method m, std::string_view uri)
{
    for(auto name : dropped_on_forward)
        req.fields.erase(name);
    req.fields.set("FSPIOP-URI", uri);
    req.fields.set("FSPIOP-HTTP-Method", net::to_string(m));
    req.method = m;
    req.params.clear();
    req.peer.clear();
    return req;
}

void
hub_context::
count_failure(std::string_view fsp, std::string_view what)
{
    ++stats.failed;
    auto it = stats.failed_by_fsp.find(fsp);
    if(it == stats.failed_by_fsp.end())
        stats.failed_by_fsp.emplace(std::string(fsp), 1);
    else
        ++it->second;
    log->warn("callback to {} failed: {}", fsp, what);
}

net::awaitable<bool>
hub_context::
send(std::string fsp, std::string url, net::request req)
{
    // Let the handler that caused this message answer first: the sender gets its 202/200
    // before the hub acts on its request.
    co_await boost::asio::post(ex, boost::asio::use_awaitable);

    ++stats.sent;
    auto const method = req.method;
    if(!req.fields.contains("FSPIOP-HTTP-Method"))
        req.fields.set("FSPIOP-HTTP-Method", net::to_string(method));
    if(!req.fields.contains("FSPIOP-URI"))
        req.fields.set("FSPIOP-URI", callback_uri(url));
    sign_if_hub_made(req);
    // FSPIOP: the DFSP de-duplicates by id and body hash, so a message that may have
    // arrived is sent again.
    auto r = co_await client.send(url, std::move(req), net::send_options{{}, true});
    if(!r)
    {
        count_failure(fsp, std::string(net::to_string(method)) + " " + url + ": " + r.error().message());
        co_return false;
    }
    if(!r->ok())
    {
        count_failure(fsp, std::string(net::to_string(method)) + " " + url + ": HTTP " + std::to_string(r->status));
        co_return false;
    }
    ++stats.delivered;
    co_return true;
}

void
hub_context::
dispatch(std::string fsp, std::string_view type, template_params const& p, std::string_view suffix, net::request req)
{
    auto url = endpoint_url(fsp, type, p, suffix);
    if(!url)
    {
        ++stats.sent;
        count_failure(fsp, "no " + std::string(type) + " endpoint");
        return;
    }
    spawn(relay_task(std::move(fsp), std::move(*url), std::move(req), {}));
}

void
hub_context::
pass_on(net::request req, std::string to, destination_endpoint const& where, net::method m, std::string_view uri,
        failure_handler on_failure)
{
    auto const* p = participants.find(to);
    std::optional<std::string> url;
    std::string why;
    if(to.empty())
        why = "FSPIOP-Destination is missing";
    else if(!p || p->is_hub)
        why = "unknown FSP " + to;
    else if(!p->active)
        why = to + " is inactive";
    else if(url = endpoint_url(to, where.type, where.params, where.suffix); !url)
        why = "no " + std::string(where.type) + " endpoint for " + to;
    if(!url)
    {
        if(on_failure)
            on_failure(fspiop::error_information::from(fspiop::errc::destination_fsp_error, why));
        return;
    }
    relay(std::move(to), std::move(*url), forwarded(std::move(req), m, uri), std::move(on_failure));
}

void
hub_context::
relay(std::string to, std::string url, net::request req, failure_handler on_failure)
{
    spawn(relay_task(std::move(to), std::move(url), std::move(req), std::move(on_failure)));
}

net::awaitable<void>
hub_context::
relay_task(std::string to, std::string url, net::request req, failure_handler on_failure)
{
    // (co_await only as an initializer: g++ 12 miscompiles it inside conditions.)
    bool const delivered = co_await send(to, std::move(url), std::move(req));
    if(!delivered && on_failure)
        on_failure(fspiop::error_information::from(fspiop::errc::destination_communication_error,
                                                   to + " did not take the message"));
}

void
hub_context::
spawn(net::awaitable<void> task)
{
    net::spawn(ex, std::move(task), cfg.name, owner.lock());
}

} // namespace mojasim::central
