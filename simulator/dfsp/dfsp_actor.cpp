// The actor's frame: listeners and routes, FSPIOP message building, sending, onboarding
// through the switch's Admin API, and the public accessors.
#include "simulator/dfsp/detail/actor_impl.hpp"
#include "simulator/dfsp/detail/enum_bridge.hpp"

#include "simulator/admin/admin_api.hpp"
#include "simulator/core/log.hpp"
#include "simulator/fspiop/codec.hpp"
#include "simulator/fspiop/errors.hpp"
#include "simulator/net/health.hpp"

#include <boost/asio/co_spawn.hpp>

#include <algorithm>
#include <cctype>

namespace mojasim::dfsp {

namespace detail {

// ---------------------------------------------------------------------------------------
// waiter registrations

multi_registration::multi_registration(std::unordered_map<std::string, std::vector<waiter*>>& map, std::string key,
                                       waiter* w)
    : map_(map), key_(std::move(key)), w_(w)
{
    map_[key_].push_back(w_);
}

multi_registration::~multi_registration()
{
    auto const it = map_.find(key_);
    if(it == map_.end())
        return;
    std::erase(it->second, w_);
    if(it->second.empty())
        map_.erase(it);
}

single_registration::single_registration(std::unordered_map<std::string, waiter*>& map, std::string key, waiter* w)
    : map_(map), key_(std::move(key)), w_(w)
{
    registered_ = map_.try_emplace(key_, w_).second;
}

single_registration::~single_registration()
{
    if(!registered_)
        return;
    auto const it = map_.find(key_);
    if(it != map_.end() && it->second == w_)
        map_.erase(it);
}

std::string party_path(std::string_view resource, std::string_view type, std::string_view id, std::string_view sub_id)
{
    std::string p;
    p.append("/").append(resource).append("/").append(type).append("/").append(net::percent_encode(id));
    if(!sub_id.empty())
        p.append("/").append(net::percent_encode(sub_id));
    return p;
}

connector::header_list echo_headers(net::headers const& h)
{
    connector::header_list out;
    out.reserve(h.size());
    for(auto const& f : h)
    {
        std::string name(f.name);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        out.emplace_back(std::move(name), f.value);
    }
    return out;
}


// ---------------------------------------------------------------------------------------
// conversions

namespace {

connector::party_id_type to_connector(fspiop::party_id_type t)
{
    return detail::bridge<connector::party_id_type>(t);
}

std::optional<std::string> opt(std::string const& s)
{
    if(s.empty())
        return std::nullopt;
    return s;
}

std::optional<connector::extension_list> to_connector(std::vector<fspiop::extension> const& list)
{
    if(list.empty())
        return std::nullopt;
    connector::extension_list out;
    out.reserve(list.size());
    for(auto const& e : list)
        out.push_back(connector::extension{e.key, e.value});
    return out;
}

connector::money to_connector(fspiop::money const& m)
{
    return connector::money{m.currency, core::decimal::parse_fspiop(m.amount).value_or(core::decimal{})};
}

std::optional<connector::money> to_connector(std::optional<fspiop::money> const& m)
{
    if(!m)
        return std::nullopt;
    return to_connector(*m);
}

} // namespace

connector::party to_connector(fspiop::party const& p)
{
    connector::party out;
    auto const& id = p.party_id_info;
    out.party_id_info.party_id_type = to_connector(id.party_id_type);
    out.party_id_info.party_identifier = id.party_identifier;
    out.party_id_info.party_sub_id_or_type = opt(id.party_sub_id_or_type);
    out.party_id_info.fsp_id = opt(id.fsp_id);
    out.party_id_info.extension_list = to_connector(id.extension_list);
    out.merchant_classification_code = opt(p.merchant_classification_code);
    out.name = opt(p.name);
    if(p.personal_info)
    {
        connector::party_personal_info info;
        if(p.personal_info->complex_name)
        {
            auto const& n = *p.personal_info->complex_name;
            info.complex_name = connector::party_complex_name{opt(n.first_name), opt(n.middle_name), opt(n.last_name)};
        }
        info.date_of_birth = opt(p.personal_info->date_of_birth);
        out.personal_info = std::move(info);
    }
    return out;
}

connector::error_information to_connector(fspiop::error_information const& e)
{
    return connector::error_information{e.error_code, e.error_description, to_connector(e.extension_list)};
}

connector::quote_response_body to_connector(fspiop::put_quotes const& q)
{
    connector::quote_response_body b;
    b.transfer_amount = to_connector(q.transfer_amount);
    b.payee_receive_amount = to_connector(q.payee_receive_amount);
    b.payee_fsp_fee = to_connector(q.payee_fsp_fee);
    b.payee_fsp_commission = to_connector(q.payee_fsp_commission);
    b.expiration = q.expiration;
    if(q.geo_code)
        b.geo_code = connector::geo_code{q.geo_code->latitude, q.geo_code->longitude};
    b.ilp_packet = q.ilp_packet;
    b.condition = q.condition;
    b.extension_list = to_connector(q.extension_list);
    return b;
}

connector::fulfil_body to_connector(fspiop::put_transfers const& t)
{
    connector::fulfil_body b;
    b.fulfilment = opt(t.fulfilment);
    b.completed_timestamp = opt(t.completed_timestamp);
    b.transfer_state = detail::bridge<connector::transfer_state>(t.transfer_state);
    b.extension_list = to_connector(t.extension_list);
    return b;
}

fspiop::party to_fspiop(connector::transfer_party const& p, std::string const& fsp_id)
{
    fspiop::party out;
    out.party_id_info.party_id_type = detail::bridge<fspiop::party_id_type>(p.id_type);
    out.party_id_info.party_identifier = p.id_value;
    out.party_id_info.party_sub_id_or_type = p.id_sub_value.value_or("");
    out.party_id_info.fsp_id = fsp_id;
    out.merchant_classification_code = p.merchant_classification_code.value_or("");
    out.name = p.display_name.value_or("");
    if(p.first_name || p.middle_name || p.last_name || p.date_of_birth)
    {
        fspiop::party_personal_info info;
        if(p.first_name || p.middle_name || p.last_name)
            info.complex_name = fspiop::party_complex_name{p.first_name.value_or(""), p.middle_name.value_or(""),
                                                           p.last_name.value_or("")};
        info.date_of_birth = p.date_of_birth.value_or("");
        out.personal_info = std::move(info);
    }
    return out;
}

} // namespace detail

// ---------------------------------------------------------------------------------------
// impl

dfsp_actor::impl::impl(net::executor e, config c, core::clock const& clk)
    : ex(std::move(e))
    , cfg(std::move(c))
    , clock(clk)
    , log(core::logger(cfg.fsp_id))
    , ids(cfg.id_seed ? core::id_generator(*cfg.id_seed) : core::id_generator())
    , quotes(cfg.payee.quote_memory)
    , faults(cfg.faults)
{
    payee.fsp_id = cfg.fsp_id;
    payee.currency = cfg.currency;
    payee.ilp_secret = cfg.ilp_secret;
    payee.payee = &cfg.payee;
    for(auto const& a : cfg.accounts)
        money.open(a.id, a.balance);
    for(auto const& p : cfg.parties)
        parties.add(p);
    if(cfg.jws.sign && !cfg.jws.signing_key)
        cfg.jws.signing_key = fspiop::jws::generate_rsa();
}

std::string dfsp_actor::impl::callback_base() const
{
    if(!cfg.switch_api.callback_url.empty())
        return cfg.switch_api.callback_url;
    return fspiop_server ? fspiop_server->base_url() : std::string{};
}

net::request dfsp_actor::impl::fspiop_message(net::method m, std::string_view resource, std::string_view destination,
                                              std::string body, fspiop::version v) const
{
    net::request req;
    req.method = m;
    req.fields.reserve(6);
    auto const type = fspiop::media_type(resource, v);
    if(m == net::method::get || m == net::method::post || m == net::method::delete_)
        req.fields.add("Accept", type);
    req.fields.add("Content-Type", type);
    req.fields.add("Date", core::format_http_date(clock.now()));
    req.fields.add("FSPIOP-Source", cfg.fsp_id);
    if(!destination.empty())
        req.fields.add("FSPIOP-Destination", std::string(destination));
    req.body = std::move(body);
    return req;
}

std::optional<net::response> dfsp_actor::impl::check_headers(net::request const& req, bool is_request,
                                                             fspiop::version& negotiated) const
{
    auto const check = fspiop::check_request_headers(fspiop::resource_of_path(req.path()), is_request,
                                                     fspiop::view_request_headers(req.fields, req.body.size()),
                                                     req.method == net::method::get);
    if(!check)
    {
        auto res = net::make_response(check.http_status, check.body);
        return res;
    }
    negotiated = check.negotiated;
    return check_signature(req);
}

std::optional<net::response> dfsp_actor::impl::check_signature(net::request const& req) const
{
    if(!cfg.jws.validate)
        return std::nullopt; // (no header lookups on the hot path when JWS is off)
    // As at the switch. Forwarded messages carry their original sender's signature (a peer's
    // key is needed for them), the switch's own messages the hub's.
    auto const source = req.fields.get("FSPIOP-Source").value_or(std::string_view{});
    auto const why = fspiop::jws::check_incoming(
        cfg.jws, {net::to_string(req.method), req.target, source,
                  req.fields.get("FSPIOP-Destination").value_or(std::string_view{}), req.fields.get("FSPIOP-Signature"),
                  req.fields.get("Date"), req.body});
    if(!why)
        return std::nullopt;
    log->info("{} {} from {}: invalid signature: {}", net::to_string(req.method), req.target, source, *why);
    return net::make_response(400, fspiop::error_body(fspiop::errc::invalid_signature, *why));
}

void dfsp_actor::impl::sign(std::string_view url, net::request& req, bool forge) const
{
    auto const uri = fspiop::jws::uri_of(url);
    auto const method = net::to_string(req.method);
    req.fields.set("FSPIOP-URI", uri);
    req.fields.set("FSPIOP-HTTP-Method", method);
    fspiop::jws::message_fields const f{uri, method, cfg.fsp_id,
                                        req.fields.get("FSPIOP-Destination").value_or(std::string_view{})};
    if(!forge)
    {
        req.fields.set("FSPIOP-Signature", fspiop::jws::sign(cfg.jws.signing_key, f, req.body));
        return;
    }
    // A forged signature: the real protected header, signed with the DFSP's key over a body
    // other than the one sent; without a key, a signature no key made. (No key is made for the
    // purpose: an RSA-2048 key takes 0.07-0.59 s to generate here, all of it on this actor's
    // event loop.)
    req.fields.set("FSPIOP-Signature", cfg.jws.signing_key ? fspiop::jws::sign(cfg.jws.signing_key, f, req.body + " ")
                                                           : fspiop::jws::unverifiable(f));
}

detail::inbound_transfer& dfsp_actor::impl::remember_inbound(std::string const& transfer_id)
{
    auto const [it, added] = inbound.try_emplace(transfer_id);
    if(added)
    {
        inbound_order.push_back(transfer_id);
        auto const cap = std::max<std::size_t>(cfg.payee.quote_memory, 1);
        while(inbound_order.size() > cap)
        {
            // The oldest is long settled: the switch reports an abort before the expiration.
            if(inbound_order.front() != transfer_id)
                inbound.erase(inbound_order.front());
            inbound_order.pop_front();
        }
    }
    return inbound.at(transfer_id);
}

void dfsp_actor::impl::finished(std::string const& transfer_id)
{
    finished_order.push_back(transfer_id);
    while(finished_order.size() > cfg.connector.keep_finished)
    {
        auto const it = outbound.find(finished_order.front());
        // Unresolved transfers stay until a late callback settles them.
        if(it != outbound.end() && !it->second->unresolved && !it->second->busy)
            outbound.erase(it);
        finished_order.pop_front();
    }
}

namespace {


net::response fspiop_fallback(net::request const&, bool path_matched)
{
    if(path_matched)
        return net::make_response(405, fspiop::error_body(fspiop::errc::generic_client_error, "method not allowed"));
    return net::make_response(404, fspiop::error_body(fspiop::errc::unknown_uri));
}

net::awaitable<net::response> on_health(net::request)
{
    co_return net::make_response(200, R"({"status":"OK"})");
}

// GET /health on every listener: the bank's one dependency is the switch, asked for its own
// health (the Admin API's, else the FSPIOP listener's) within two seconds.
net::awaitable<net::response> on_health_check(impl_ptr self, net::request)
{
    std::vector<net::health_service> services;
    auto const& api = self->cfg.switch_api;
    auto const& base = api.admin_url.empty() ? api.fspiop_url : api.admin_url;
    if(!base.empty())
    {
        // Locals, not temporaries, in the co_await (g++ 12, docs/engineering.md).
        auto const url = base + "/health";
        net::request probe;
        auto const timeout = std::chrono::milliseconds(2'000);
        auto res = co_await self->client->send(url, std::move(probe), timeout);
        services.push_back({"switch", res && res->status == 200});
    }
    co_return net::health_response(self->made_at, services);
}

} // namespace

void dfsp_actor::impl::install_routes()
{
    using net::method;
    auto& r = fspiop_routes;
    r.set_fallback(fspiop_fallback);
    r.add(method::get, "/", [](net::request q) { return on_health(std::move(q)); });
    r.add(method::get, "/health", bind(this, on_health_check));
    // payee
    r.add(method::get, "/parties/{Type}/{ID}", bind(this, on_get_parties));
    r.add(method::get, "/parties/{Type}/{ID}/{SubId}", bind(this, on_get_parties));
    r.add(method::post, "/quotes", bind(this, on_post_quotes));
    r.add(method::post, "/transfers", bind(this, on_post_transfers));
    r.add(method::patch, "/transfers/{ID}", bind(this, on_patch_transfers));
    r.add(method::patch, "/transfers/{ID}/error", bind(this, on_patch_transfers));
    r.add(method::post, "/bulkQuotes", bind(this, on_post_bulk_quotes));
    r.add(method::post, "/bulkTransfers", bind(this, on_post_bulk_transfers));
    r.add(method::put, "/bulkQuotes/{ID}", bind(this, on_put_bulk_quotes));
    r.add(method::put, "/bulkQuotes/{ID}/error", bind(this, on_put_bulk_quotes));
    r.add(method::put, "/bulkTransfers/{ID}", bind(this, on_put_bulk_transfers));
    r.add(method::put, "/bulkTransfers/{ID}/error", bind(this, on_put_bulk_transfers));
    // payer callbacks
    r.add(method::put, "/parties/{Type}/{ID}", bind(this, on_put_parties));
    r.add(method::put, "/parties/{Type}/{ID}/error", bind(this, on_put_parties));
    r.add(method::put, "/parties/{Type}/{ID}/{SubId}", bind(this, on_put_parties));
    r.add(method::put, "/parties/{Type}/{ID}/{SubId}/error", bind(this, on_put_parties));
    r.add(method::put, "/participants/{Type}/{ID}", bind(this, on_put_participants));
    r.add(method::put, "/participants/{Type}/{ID}/error", bind(this, on_put_participants));
    r.add(method::put, "/participants/{Type}/{ID}/{SubId}", bind(this, on_put_participants));
    r.add(method::put, "/participants/{Type}/{ID}/{SubId}/error", bind(this, on_put_participants));
    r.add(method::put, "/quotes/{ID}", bind(this, on_put_quotes));
    r.add(method::put, "/quotes/{ID}/error", bind(this, on_put_quotes));
    r.add(method::put, "/transfers/{ID}", bind(this, on_put_transfers));
    r.add(method::put, "/transfers/{ID}/error", bind(this, on_put_transfers));
    // requests to pay: the payer takes POST /transactionRequests and PUT /authorizations, the
    // payee PUT /transactionRequests and GET /authorizations
    r.add(method::post, "/transactionRequests", bind(this, on_post_transaction_requests));
    r.add(method::put, "/transactionRequests/{ID}", bind(this, on_put_transaction_requests));
    r.add(method::put, "/transactionRequests/{ID}/error", bind(this, on_put_transaction_requests));
    r.add(method::get, "/authorizations/{ID}", bind(this, on_get_authorizations));
    r.add(method::put, "/authorizations/{ID}", bind(this, on_put_authorizations));
    r.add(method::put, "/authorizations/{ID}/error", bind(this, on_put_authorizations));

    if(cfg.connector.enabled)
    {
        auto& c = connector_routes;
        c.add(method::get, "/", [](net::request q) { return on_health(std::move(q)); });
        c.add(method::get, "/health", bind(this, on_health_check));
        c.add(method::post, "/transfers", bind(this, on_connector_post_transfers));
        c.add(method::put, "/transfers/{transferId}", bind(this, on_connector_put_transfers));
        c.add(method::get, "/transfers/{transferId}", bind(this, on_connector_get_transfers));
        c.add(method::post, "/bulkTransactions", bind(this, on_connector_post_bulk_transactions));
        c.add(method::put, "/bulkTransactions/{bulkTransactionId}", bind(this, on_connector_put_bulk_transactions));
        c.add(method::get, "/bulkTransactions/{bulkTransactionId}", bind(this, on_connector_get_bulk_transactions));
    }
    if(cfg.listen.test_api)
    {
        install_test_routes(*this);
        test_routes.add(method::get, "/health", bind(this, on_health_check));
    }
}

net::awaitable<std::optional<net::response>> send_to(impl_ptr self, std::string url, net::request req, send_mode mode)
{
    auto const target = req.method;
    auto const level = mode.asked_for ? spdlog::level::info : spdlog::level::warn;
    // FSPIOP messages of this DFSP (not the Admin API's) with a body are signed.
    if((self->cfg.jws.sign || mode.forge_signature) && !req.body.empty() &&
       req.fields.get("FSPIOP-Source") == std::string_view(self->cfg.fsp_id))
        self->sign(url, req, mode.forge_signature);
    auto res = co_await self->client->send(url, std::move(req), net::send_options{{}, mode.idempotent});
    if(!res)
    {
        ++self->counters.callbacks_failed;
        self->log->log(level, "{} {} failed: {}", net::to_string(target), url, res.error().message());
        co_return std::nullopt;
    }
    if(!res->ok())
    {
        ++self->counters.callbacks_failed;
        if(res->body.find(R"("errorCode":"3105")") != std::string::npos)
            ++self->counters.signatures_refused;
        self->log->log(level, "{} {} answered {} {}", net::to_string(target), url, res->status, res->body.substr(0, 200));
    }
    co_return std::move(*res);
}

// ---------------------------------------------------------------------------------------
// onboarding

namespace {

net::awaitable<std::optional<net::response>> admin_call(impl_ptr self, net::method m, std::string path,
                                                        std::string body)
{
    net::request req;
    req.method = m;
    req.fields.add("Content-Type", "application/json");
    req.fields.add("Accept", "application/json");
    req.body = std::move(body);
    std::string const url = self->cfg.switch_api.admin_url + path;
    // The Admin API is not FSPIOP: a funds-in that may have arrived is not sent twice.
    auto res = co_await send_to(self, url, std::move(req), {.idempotent = m == net::method::get});
    co_return res;
}

std::string describe(std::optional<net::response> const& r)
{
    if(!r)
        return "no answer";
    return "HTTP " + std::to_string(r->status) + " " + r->body.substr(0, 200);
}

net::awaitable<onboard_report> do_register_parties(impl_ptr self, onboard_report report)
{
    if(self->cfg.switch_api.als().empty())
    {
        report.problems.push_back("no switch fspiop_url to register parties with");
        co_return report;
    }
    for(auto const& p : self->parties.all())
    {
        auto problem = co_await register_with_als(self, p);
        if(problem.empty())
            ++report.parties_registered;
        else
            report.problems.push_back(std::move(problem));
    }
    co_return report;
}

net::awaitable<onboard_report> do_onboard(impl_ptr self)
{
    onboard_report report;
    auto const& c = self->cfg;
    if(c.switch_api.admin_url.empty())
    {
        report.problems.push_back("no switch admin_url to onboard with");
        co_return report;
    }
    auto const name = c.fsp_id;
    std::string const create_body = admin_api::encode(admin_api::participant{name, c.currency});
    std::string const create_path = "/participants";
    auto const created = co_await admin_call(self, net::method::post, create_path, create_body);
    bool existed = false;
    if(created && created->ok())
        report.participant_created = true;
    else
    {
        // Already onboarded (a restart against a running switch) is fine.
        std::string const path = "/participants/" + net::percent_encode(name);
        std::string const no_body;
        auto const known = co_await admin_call(self, net::method::get, path, no_body);
        existed = known && known->status == 200;
        report.participant_created = existed;
        if(!existed)
            report.problems.push_back("POST /participants: " + describe(created));
    }
    if(!report.participant_created)
        co_return report;

    auto const base = "/participants/" + net::percent_encode(name);
    std::string const limits_path = base + "/initialPositionAndLimits";
    std::string const limits_body = admin_api::encode(
        admin_api::initial_position_and_limits{c.currency, c.onboarding.net_debit_cap, c.onboarding.initial_position});
    auto const limits = co_await admin_call(self, net::method::post, limits_path, limits_body);
    report.limits_set = limits && limits->ok();
    if(!report.limits_set && !existed)
        report.problems.push_back("POST initialPositionAndLimits: " + describe(limits));

    std::string const endpoints_path = base + "/endpoints";
    // The single endpoints, then the bulk ones (POST /bulkQuotes, /bulkTransfers and their
    // callbacks are served here too).
    auto endpoints = admin_api::fspiop_endpoints(self->callback_base());
    auto const cb = self->callback_base();
    endpoints.push_back({std::string(admin_api::endpoint::bulk_quotes), cb});
    endpoints.push_back({std::string(admin_api::endpoint::bulk_transfer_post), cb + "/bulkTransfers"});
    endpoints.push_back({std::string(admin_api::endpoint::bulk_transfer_put), cb + "/bulkTransfers/{{id}}"});
    endpoints.push_back({std::string(admin_api::endpoint::bulk_transfer_error), cb + "/bulkTransfers/{{id}}/error"});
    for(auto const& e : endpoints)
    {
        std::string const body = admin_api::encode(e);
        auto const r = co_await admin_call(self, net::method::post, endpoints_path, body);
        if(r && r->ok())
            ++report.endpoints_registered;
        else
            report.problems.push_back("POST endpoints " + e.type + ": " + describe(r));
    }

    // JWS: hand the switch this DFSP's public key (a mojasim Admin API extension), and take
    // the hub's to check its messages.
    if(c.jws.sign)
    {
        std::string const key_path = base + "/jwsKey";
        std::string const key_body = admin_api::encode(admin_api::jws_key{c.jws.signing_key.public_pem()});
        auto const r = co_await admin_call(self, net::method::put, key_path, key_body);
        if(!r || !r->ok())
            report.problems.push_back("PUT jwsKey: " + describe(r));
    }
    if(c.jws.validate)
    {
        std::string const hub_key_path = "/participants/" + net::percent_encode(c.jws.hub_name) + "/jwsKey";
        std::string const no_body;
        auto const r = co_await admin_call(self, net::method::get, hub_key_path, no_body);
        // A switch that does not sign has no key to give: its messages stay unchecked.
        if(r && r->ok())
        {
            auto const pem = admin_api::decode_jws_key(r->body);
            std::string problem = "no publicKey";
            if(pem)
            {
                auto const key = fspiop::jws::load_pem(pem->public_key);
                if(key)
                {
                    self->cfg.jws.public_keys[c.jws.hub_name] = *key;
                    problem.clear();
                }
                else
                    problem = key.error();
            }
            if(!problem.empty())
                report.problems.push_back("GET " + c.jws.hub_name + "'s jwsKey: " + problem);
        }
    }

    if(!c.onboarding.funds_in.is_zero() && !existed)
    {
        std::string const accounts_path = base + "/accounts";
        std::string const no_body;
        auto const accounts = co_await admin_call(self, net::method::get, accounts_path, no_body);
        auto const id = accounts && accounts->ok() ? admin_api::settlement_account_id(accounts->body, c.currency) : std::nullopt;
        if(!id)
            report.problems.push_back("GET accounts: no SETTLEMENT account in " + c.currency + ": " + describe(accounts));
        else
        {
            std::string const funds_path = base + "/accounts/" + std::to_string(*id);
            admin_api::funds_movement f;
            f.transfer_id = self->ids.uuid_v4();
            f.external_reference = "mojasim onboarding " + name;
            f.reason = "initial funds";
            f.amount = c.onboarding.funds_in;
            f.currency = c.currency;
            std::string const funds_body = admin_api::encode(f);
            auto const r = co_await admin_call(self, net::method::post, funds_path, funds_body);
            report.funds_recorded = r && r->ok();
            if(!report.funds_recorded)
                report.problems.push_back("recordFundsIn: " + describe(r));
        }
    }

    if(c.onboarding.register_parties)
    {
        auto registered = co_await do_register_parties(self, std::move(report));
        co_return registered;
    }
    co_return report;
}

net::awaitable<std::string> do_add_party(impl_ptr self, party_config party, decimal opening_balance)
{
    if(auto problem = check_party(party); !problem.empty())
        co_return problem;
    if(party.account.empty())
        party.account = party.sub_id.empty() ? party.id : party.id + "-" + party.sub_id;
    if(!self->money.find(party.account))
        self->money.open(party.account, opening_balance);
    if(!self->parties.add(party))
        co_return "party " + party_key(fspiop::to_string(party.id_type), party.id, party.sub_id) +
            " exists";
    if(self->cfg.switch_api.als().empty())
        co_return std::string{};
    auto problem = co_await register_with_als(self, std::move(party));
    co_return problem;
}

} // namespace

// ---------------------------------------------------------------------------------------
// dfsp_actor

dfsp_actor::dfsp_actor(net::asio::io_context& ioc, config cfg, core::clock const& clock)
    : dfsp_actor(net::asio::make_strand(ioc), std::move(cfg), clock)
{
}

dfsp_actor::dfsp_actor(net::executor ex, config cfg, core::clock const& clock)
    : impl_(std::make_shared<impl>(std::move(ex), std::move(cfg), clock))
{
}

dfsp_actor::~dfsp_actor()
{
    stop();
}

net::router::handler bind(dfsp_actor::impl* p, handler_fn fn)
{
    return [p, fn](net::request r) { return fn(p->shared_from_this(), std::move(r)); };
}

namespace {

// The routes as the server holds them: an aliasing pointer that keeps the whole impl alive
// while a session serves a request (docs/engineering.md, "Lifetime").
std::shared_ptr<net::router const> routes_of(impl_ptr const& self, net::router const& routes)
{
    return {self, &routes};
}

} // namespace

void dfsp_actor::start()
{
    auto& s = *impl_;
    if(s.started)
        return;
    s.install_routes();
    net::client_options copts;
    copts.name = s.cfg.fsp_id;
    copts.max_connections_per_host = 64;
    s.client = std::make_unique<net::client>(s.ex, copts);

    net::server_options opts;
    opts.host = s.cfg.listen.host;
    opts.name = s.cfg.fsp_id;
    opts.port = s.cfg.listen.fspiop_port;
    opts.read_timeout = s.cfg.listen.read_timeout;
    s.fspiop_server = std::make_unique<net::server>(s.ex, routes_of(impl_, s.fspiop_routes), opts);
    s.fspiop_server->set_error_responder([](net::request_error e, std::string_view) {
        if(e == net::request_error::body_too_large)
            return net::make_response(400, fspiop::error_body(fspiop::errc::too_large_payload));
        return net::make_response(400, fspiop::error_body(fspiop::errc::malformed_syntax));
    });
    s.fspiop_server->listen();
    if(s.cfg.connector.enabled)
    {
        opts.port = s.cfg.connector.port;
        opts.name = s.cfg.fsp_id + "-connector";
        // The connector answers when the whole transfer is done: allow slow exchanges.
        opts.idle_timeout = std::chrono::milliseconds(300'000);
        s.connector_server = std::make_unique<net::server>(s.ex, routes_of(impl_, s.connector_routes), opts);
        s.connector_server->listen();
    }
    if(s.cfg.listen.test_api)
    {
        opts.port = s.cfg.listen.test_port;
        opts.name = s.cfg.fsp_id + "-test";
        s.test_server = std::make_unique<net::server>(s.ex, routes_of(impl_, s.test_routes), opts);
        s.test_server->listen();
    }
    if(s.trace)
        set_trace(s.trace);
    s.fspiop_server->start();
    if(s.connector_server)
        s.connector_server->start();
    if(s.test_server)
        s.test_server->start();
    s.started = true;
    s.log->info("{} listening: fspiop {}{}{}", s.cfg.fsp_id, s.fspiop_server->base_url(),
                s.connector_server ? ", connector " + s.connector_server->base_url() : std::string{},
                s.test_server ? ", test " + s.test_server->base_url() : std::string{});
}

void dfsp_actor::stop()
{
    auto& s = *impl_;
    if(s.fspiop_server)
        s.fspiop_server->stop();
    if(s.connector_server)
        s.connector_server->stop();
    if(s.test_server)
        s.test_server->stop();
    if(s.client)
        s.client->close();
}

net::awaitable<onboard_report> dfsp_actor::onboard()
{
    auto task = net::asio::co_spawn(impl_->ex, do_onboard(impl_), net::asio::use_awaitable);
    auto report = co_await std::move(task);
    co_return report;
}

net::awaitable<onboard_report> dfsp_actor::register_parties()
{
    auto task = net::asio::co_spawn(impl_->ex, do_register_parties(impl_, onboard_report{}),
                                    net::asio::use_awaitable);
    auto report = co_await std::move(task);
    co_return report;
}

net::awaitable<std::string> dfsp_actor::add_party(party_config party, decimal opening_balance)
{
    auto task = net::asio::co_spawn(impl_->ex, do_add_party(impl_, std::move(party), opening_balance),
                                    net::asio::use_awaitable);
    auto problem = co_await std::move(task);
    co_return problem;
}

std::string const& dfsp_actor::fsp_id() const noexcept
{
    return impl_->cfg.fsp_id;
}

config const& dfsp_actor::settings() const noexcept
{
    return impl_->cfg;
}

std::string dfsp_actor::fspiop_url() const
{
    return impl_->fspiop_server ? impl_->fspiop_server->base_url() : std::string{};
}

std::string dfsp_actor::connector_url() const
{
    return impl_->connector_server ? impl_->connector_server->base_url() : std::string{};
}

std::string dfsp_actor::test_url() const
{
    return impl_->test_server ? impl_->test_server->base_url() : std::string{};
}

std::string dfsp_actor::callback_url() const
{
    return impl_->callback_base();
}

fspiop::jws::key dfsp_actor::jws_public_key() const
{
    return impl_->cfg.jws.signing_key ? impl_->cfg.jws.signing_key.public_key() : fspiop::jws::key{};
}

void dfsp_actor::add_jws_key(std::string const& source, fspiop::jws::key public_key)
{
    impl_->cfg.jws.public_keys[source] = std::move(public_key);
}

void dfsp_actor::set_switch(switch_config s)
{
    while(!s.callback_url.empty() && s.callback_url.back() == '/')
        s.callback_url.pop_back();
    impl_->cfg.switch_api = std::move(s);
}

std::optional<account> dfsp_actor::find_account(std::string_view id) const
{
    if(auto const* a = impl_->money.find(id))
        return *a;
    return std::nullopt;
}

std::vector<account> dfsp_actor::accounts() const
{
    return impl_->money.accounts();
}

std::optional<decimal> dfsp_actor::total_blocked() const
{
    return impl_->money.total_blocked();
}

std::size_t dfsp_actor::block_count() const
{
    return impl_->money.block_count();
}

dfsp_stats dfsp_actor::stats() const
{
    dfsp_stats s = impl_->counters;
    if(impl_->connector_server)
    {
        s.connector_connections_accepted = impl_->connector_server->connections_accepted();
        s.connector_connections_open = impl_->connector_server->connection_count();
    }
    return s;
}

std::uint64_t dfsp_actor::requests_served() const noexcept
{
    std::uint64_t n = 0;
    for(auto const* s : {impl_->fspiop_server.get(), impl_->connector_server.get(), impl_->test_server.get()})
        if(s)
            n += s->requests_served();
    return n;
}

fault_set& dfsp_actor::faults()
{
    return impl_->faults;
}

void dfsp_actor::set_trace(net::trace_sink sink)
{
    auto& s = *impl_;
    s.trace = sink;
    if(s.fspiop_server)
        s.fspiop_server->set_trace(sink);
    if(s.connector_server)
        s.connector_server->set_trace(sink);
    if(s.test_server)
        s.test_server->set_trace(sink);
    if(s.client)
        s.client->set_trace(sink);
}

net::executor dfsp_actor::executor() const
{
    return impl_->ex;
}

} // namespace mojasim::dfsp
