#include "simulator/central/admin_service.hpp"

#include "simulator/core/json_writer.hpp"

#include "simulator/net/health.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace mojasim::central {

namespace {

using fspiop::errc;

// The hub's HTTP status for an error code: central-services-error-handling maps 1xxx to
// 503, 2xxx to 500 and the rest to 400, with the API's own exceptions (406, 404, 501, 503).
unsigned
admin_status(errc code) noexcept
{
    switch(fspiop::category(code))
    {
    case fspiop::error_category::communication: return 503;
    case fspiop::error_category::server:
        return code == errc::not_implemented ? 501 : code == errc::service_currently_unavailable ? 503 : 500;
    default: return fspiop::http_status(code);
    }
}

net::response
error(errc code, std::string_view detail = {})
{
    return net::make_response(admin_status(code), fspiop::error_body(code, detail));
}

net::response
error(ledger::failure const& f)
{
    return error(f.code, f.detail);
}

net::response
error(admin_api::request_error const& e)
{
    return error(e.code, e.detail);
}

net::response
json_response(unsigned status, std::string body)
{
    return net::make_response(status, std::move(body));
}

// A positive decimal id, as in the Admin API's paths.
std::optional<std::uint32_t>
positive_id(std::string_view s) noexcept
{
    std::uint32_t n = 0;
    auto const [p, e] = std::from_chars(s.data(), s.data() + s.size(), n);
    if(e != std::errc{} || p != s.data() + s.size() || n == 0)
        return std::nullopt;
    return n;
}

std::optional<std::uint32_t>
id_param(net::request const& req, std::string_view name)
{
    return positive_id(req.params.get(name));
}

std::string
datetime(core::time_point t)
{
    return core::format_datetime(t);
}

// A text member the real services write as null when it is not set.
void
field_or_null(core::json_writer& o, std::string_view key, std::string_view value)
{
    o.key(key);
    if(value.empty())
        o.null();
    else
        o.string(value);
}

// central-ledger's limit member: "limit":{"type":"NET_DEBIT_CAP","value":..,"alarmPercentage":..}.
void
write_limit(core::json_writer& o, core::decimal value, int alarm_percentage)
{
    o.key("limit")
        .begin_object()
        .field("type", "NET_DEBIT_CAP")
        .field("value", value)
        .field("alarmPercentage", alarm_percentage)
        .end_object();
}

} // namespace

admin_service::
admin_service(hub_context& ctx)
    : ctx_(ctx)
{
}

net::awaitable<net::response>
admin_service::
run(handler h, net::request req)
{
    co_return (this->*h)(req);
}

void
admin_service::
route(net::router& r, net::method m, std::string_view pattern, handler h)
{
    r.add(m, pattern, [this, h](net::request q) { return run(h, std::move(q)); });
}

void
admin_service::
add_routes(net::router& r)
{
    using net::method;
    route(r, method::get, "/health", &admin_service::get_health);
    route(r, method::get, "/participants", &admin_service::get_participants);
    route(r, method::post, "/participants", &admin_service::post_participants);
    route(r, method::get, "/participants/limits", &admin_service::get_all_limits);
    route(r, method::get, "/participants/{name}", &admin_service::get_participant);
    route(r, method::put, "/participants/{name}", &admin_service::put_participant);
    route(r, method::put, "/participants/{name}/jwsKey", &admin_service::put_jws_key);
    route(r, method::get, "/participants/{name}/jwsKey", &admin_service::get_jws_key);
    route(r, method::post, "/participants/{name}/accounts", &admin_service::post_hub_account);
    route(r, method::get, "/participants/{name}/accounts", &admin_service::get_accounts);
    route(r, method::put, "/participants/{name}/accounts/{id}", &admin_service::put_account);
    route(r, method::post, "/participants/{name}/accounts/{id}", &admin_service::post_funds);
    route(r, method::put, "/participants/{name}/accounts/{id}/transfers/{transferId}", &admin_service::put_funds);
    route(r, method::post, "/participants/{name}/endpoints", &admin_service::post_endpoint);
    route(r, method::get, "/participants/{name}/endpoints", &admin_service::get_endpoints);
    route(r, method::post, "/participants/{name}/initialPositionAndLimits",
          &admin_service::post_initial_position_and_limits);
    route(r, method::get, "/participants/{name}/limits", &admin_service::get_limits);
    route(r, method::put, "/participants/{name}/limits", &admin_service::put_limits);
    route(r, method::get, "/participants/{name}/positions", &admin_service::get_positions);
    route(r, method::post, "/settlementModels", &admin_service::post_settlement_model);
    route(r, method::get, "/settlementModels", &admin_service::get_settlement_models);
    route(r, method::post, "/oracles", &admin_service::post_oracle);
    route(r, method::get, "/oracles", &admin_service::get_oracles);
    route(r, method::delete_, "/oracles/{ID}", &admin_service::delete_oracle);
    route(r, method::get, "/settlementWindows", &admin_service::get_settlement_windows);
    route(r, method::get, "/settlementWindows/{id}", &admin_service::get_settlement_window);
    route(r, method::post, "/settlementWindows/{id}", &admin_service::post_settlement_window);
    route(r, method::post, "/settlements", &admin_service::post_settlement);
    route(r, method::get, "/settlements", &admin_service::get_settlements);
    route(r, method::get, "/settlements/{id}", &admin_service::get_settlement);
    route(r, method::put, "/settlements/{id}", &admin_service::put_settlement);
}

net::response
admin_service::
get_health(net::request const&)
{
    // central-ledger and the ALS list their datastore; the switch's is its in-memory ledger,
    // which is up whenever the switch answers. Oracles registered by the operator are
    // dependencies of lookups only and are not probed here.
    return net::health_response(ctx_.started, {{"datastore", true}});
}

// ---- Participants --------------------------------------------------------------------------

void
admin_service::
write(core::json_writer& o, ledger::participant const& p) const
{
    // central-ledger's entityItem: the link is the participant's own URL.
    auto const link = "http://" + ctx_.cfg.host + ":" + std::to_string(ctx_.cfg.admin_port) + "/participants/" +
                      net::percent_encode(p.name);
    o.begin_object()
        .field("name", p.name)
        .field("id", link)
        .field("created", datetime(p.created))
        .field("isActive", p.active ? 1 : 0);
    o.key("links").begin_object().field("self", link).end_object();
    o.key("accounts").begin_array();
    for(auto id : p.accounts)
    {
        auto const& a = *ctx_.participants.find_account(id);
        o.begin_object()
            .field("id", a.id)
            .field("ledgerAccountType", ledger::to_string(a.type))
            .field("currency", a.currency)
            .field("isActive", a.active ? 1 : 0)
            .field("createdDate", datetime(a.created))
            .field("createdBy", "unknown")
            .end_object();
    }
    o.end_array().end_object();
}

net::response
admin_service::
get_participants(net::request const&)
{
    core::json_writer o;
    o.begin_array();
    for(auto const& p : ctx_.participants.participants())
        write(o, p);
    o.end_array();
    return json_response(200, std::move(o).finish());
}

net::response
admin_service::
post_participants(net::request const& req)
{
    auto const p = admin_api::decode_participant(req.body);
    if(!p)
        return error(p.error());
    auto r = ctx_.participants.add_participant(p->name, p->currency, ctx_.clock.now());
    if(!r)
        return error(r.error());
    return entity(201, **r);
}

net::response
admin_service::
get_participant(net::request const& req)
{
    auto const* p = ctx_.participants.find(req.params.get("name"));
    if(!p)
        return error(errc::generic_id_not_found, "The requested resource could not be found.");
    return entity(200, *p);
}

net::response
admin_service::
put_jws_key(net::request const& req)
{
    auto const k = admin_api::decode_jws_key(req.body);
    if(!k)
        return error(k.error());
    auto const name = req.params.get("name");
    auto const* p = ctx_.participants.find(name);
    if(!p)
        return error(errc::generic_id_not_found, "The requested resource could not be found.");
    if(p->is_hub)
        return error(errc::generic_validation_error, "the hub's own key is configured, not registered");
    auto key = fspiop::jws::load_pem(k->public_key);
    if(!key)
        return error(errc::generic_validation_error, "publicKey: " + key.error());
    ctx_.cfg.jws.public_keys[std::string(name)] = key->public_key();
    ctx_.log->info("participant {}: JWS public key registered", name);
    return json_response(200, admin_api::encode(admin_api::jws_key{key->public_pem()}));
}

net::response
admin_service::
get_jws_key(net::request const& req)
{
    auto const name = req.params.get("name");
    if(name == ctx_.cfg.hub_name && ctx_.cfg.jws.signing_key)
        return json_response(200, admin_api::encode(admin_api::jws_key{ctx_.cfg.jws.signing_key.public_pem()}));
    auto const it = ctx_.cfg.jws.public_keys.find(name);
    if(it == ctx_.cfg.jws.public_keys.end())
        return error(errc::generic_id_not_found, "no JWS key for " + std::string(name));
    return json_response(200, admin_api::encode(admin_api::jws_key{it->second.public_pem()}));
}

net::response
admin_service::
put_participant(net::request const& req)
{
    auto const a = admin_api::decode_activation(req.body);
    if(!a)
        return error(a.error());
    auto r = ctx_.participants.set_participant_active(req.params.get("name"), a->is_active);
    if(!r)
        return error(r.error());
    ctx_.log->info("participant {} {}", (*r)->name, a->is_active ? "activated" : "disabled");
    return entity(200, **r);
}

net::response
admin_service::
post_hub_account(net::request const& req)
{
    auto const a = admin_api::decode_hub_account(req.body);
    if(!a)
        return error(a.error());
    auto const account_type = ledger::account_type_from_string(a->type);
    if(!account_type)
        return error(errc::add_party_information_error, "Ledger account type was not found.");
    auto r = ctx_.participants.add_hub_account(req.params.get("name"), *account_type, a->currency, ctx_.clock.now());
    if(!r)
        return error(r.error());
    return entity(201, **r);
}

net::response
admin_service::
get_accounts(net::request const& req)
{
    auto const* p = ctx_.participants.find(req.params.get("name"));
    if(!p)
        return error(errc::internal_server_error, "Participant does not exist");
    auto const currency = req.query_param("currency");
    core::json_writer o;
    o.begin_array();
    for(auto id : p->accounts)
    {
        auto const& a = *ctx_.participants.find_account(id);
        if(currency && a.currency != *currency)
            continue;
        o.begin_object()
            .field("id", a.id)
            .field("ledgerAccountType", ledger::to_string(a.type))
            .field("currency", a.currency)
            .field("isActive", a.active ? 1 : 0)
            .field("value", a.value)
            .field("reservedValue", a.reserved_value)
            .field("changedDate", datetime(a.changed))
            .end_object();
    }
    o.end_array();
    return json_response(200, std::move(o).finish());
}

net::response
admin_service::
put_account(net::request const& req)
{
    auto const a = admin_api::decode_activation(req.body);
    if(!a)
        return error(a.error());
    auto const id = id_param(req, "id");
    if(!id)
        return error(errc::malformed_syntax, "id must be a positive integer");
    auto r = ctx_.participants.set_account_active(req.params.get("name"), *id, a->is_active, ctx_.clock.now());
    if(!r)
        return error(r.error());
    return net::make_empty(200);
}

net::response
admin_service::
funds(net::request const& req, bool put)
{
    // The body's shape first, then the account of the path, then the body's members.
    auto const body = admin_api::decode_object(req.body);
    if(!body)
        return error(body.error());
    auto const name = req.params.get("name");
    auto const id = id_param(req, "id");
    if(!id)
        return error(errc::malformed_syntax, "id must be a positive integer");
    auto f = admin_api::decode_funds_movement(*body, put, req.params.get("transferId"));
    if(!f)
        return error(f.error());
    auto const a = ledger::funds_action_from_string(f->action);
    if(!a)
        return error(errc::malformed_syntax, "action is missing or not supported");

    ledger::funds_command cmd;
    cmd.participant = name;
    cmd.account = *id;
    cmd.action = *a;
    cmd.reason = std::move(f->reason);
    cmd.transfer_id = std::move(f->transfer_id);
    // Empty and zero unless the action moves money (recordFundsIn, ...PrepareReserve).
    cmd.external_reference = std::move(f->external_reference);
    cmd.amount = f->amount;
    cmd.currency = std::move(f->currency);
    auto r = ctx_.participants.record_funds(std::move(cmd), ctx_.clock.now());
    if(!r)
        return error(r.error());
    ctx_.log->info("{} {} on {} account {}: {}", ledger::to_string(*a), (*r)->id, name, *id,
                   (*r)->state == ledger::funds_state::aborted ? "aborted" : "done");
    return net::make_empty(202);
}

net::response
admin_service::
post_funds(net::request const& req)
{
    return funds(req, false);
}

net::response
admin_service::
put_funds(net::request const& req)
{
    return funds(req, true);
}

net::response
admin_service::
post_endpoint(net::request const& req)
{
    auto e = admin_api::decode_endpoint_registration(req.body);
    if(!e)
        return error(e.error());
    auto r = ctx_.participants.set_endpoint(req.params.get("name"), std::move(e->type), std::move(e->value));
    if(!r)
        return error(r.error());
    return net::make_empty(201);
}

net::response
admin_service::
get_endpoints(net::request const& req)
{
    auto const* p = ctx_.participants.find(req.params.get("name"));
    if(!p)
        return error(errc::internal_server_error, "Participant does not exist");
    core::json_writer o;
    if(auto const type = req.query_param("type"))
    {
        // With ?type= the answer is one object ({} when not registered).
        o.begin_object();
        auto const value = ledger::participant_registry::endpoint_of(*p, *type);
        if(!value.empty())
            o.field("type", *type).field("value", value);
        o.end_object();
        return json_response(200, std::move(o).finish());
    }
    o.begin_array();
    for(auto const& e : p->endpoints)
        o.begin_object().field("type", e.type).field("value", e.value).end_object();
    o.end_array();
    return json_response(200, std::move(o).finish());
}

net::response
admin_service::
post_initial_position_and_limits(net::request const& req)
{
    auto const l = admin_api::decode_initial_position_and_limits(req.body);
    if(!l)
        return error(l.error());
    auto r = ctx_.participants.set_initial_position_and_limits(req.params.get("name"), l->currency, l->net_debit_cap,
                                                                 l->initial_position, ctx_.clock.now());
    if(!r)
        return error(r.error());
    return net::make_empty(201);
}

net::response
admin_service::
get_limits(net::request const& req)
{
    auto const* p = ctx_.participants.find(req.params.get("name"));
    if(!p)
        return error(errc::internal_server_error, "Participant does not exist");
    auto const currency = req.query_param("currency");
    core::json_writer o;
    o.begin_array();
    for(auto id : p->accounts)
    {
        auto const& a = *ctx_.participants.find_account(id);
        if(a.type != ledger::account_type::position || !a.net_debit_cap || (currency && *currency != a.currency))
            continue;
        o.begin_object().field("currency", a.currency);
        write_limit(o, *a.net_debit_cap, a.alarm_percentage);
        o.end_object();
    }
    o.end_array();
    return json_response(200, std::move(o).finish());
}

net::response
admin_service::
get_all_limits(net::request const& req)
{
    auto const currency = req.query_param("currency");
    core::json_writer o;
    o.begin_array();
    for(auto const& a : ctx_.participants.accounts())
    {
        if(a.type != ledger::account_type::position || !a.net_debit_cap || (currency && *currency != a.currency))
            continue;
        o.begin_object().field("name", ctx_.participants.find(a.owner)->name).field("currency", a.currency);
        write_limit(o, *a.net_debit_cap, a.alarm_percentage);
        o.end_object();
    }
    o.end_array();
    return json_response(200, std::move(o).finish());
}

net::response
admin_service::
put_limits(net::request const& req)
{
    auto const l = admin_api::decode_limits_update(req.body);
    if(!l)
        return error(l.error());
    auto const alarm = static_cast<int>(std::min<std::uint64_t>(l->alarm_percentage, 1000));
    auto r = ctx_.participants.adjust_net_debit_cap(req.params.get("name"), l->currency, l->net_debit_cap, alarm,
                                                    ctx_.clock.now());
    if(!r)
        return error(r.error());
    core::json_writer o;
    o.begin_object().field("currency", l->currency);
    write_limit(o, *(*r)->net_debit_cap, (*r)->alarm_percentage);
    o.end_object();
    return json_response(200, std::move(o).finish());
}

net::response
admin_service::
get_positions(net::request const& req)
{
    auto const* p = ctx_.participants.find(req.params.get("name"));
    if(!p)
        return error(errc::internal_server_error, "Participant does not exist");
    core::json_writer o;
    auto write = [&](ledger::account const& a) {
        o.begin_object()
            .field("currency", a.currency)
            .field("value", a.value)
            .field("changedDate", datetime(a.changed))
            .end_object();
    };
    // With ?currency= the answer is one object ({} when none), else a list.
    if(auto const currency = req.query_param("currency"))
    {
        if(auto const* a = ctx_.participants.account_of(p->id, ledger::account_type::position, *currency))
            write(*a);
        else
            o.begin_object().end_object();
        return json_response(200, std::move(o).finish());
    }
    o.begin_array();
    for(auto id : p->accounts)
    {
        auto const& a = *ctx_.participants.find_account(id);
        if(a.type == ledger::account_type::position)
            write(a);
    }
    o.end_array();
    return json_response(200, std::move(o).finish());
}

net::response
admin_service::
post_settlement_model(net::request const& req)
{
    auto d = admin_api::decode_settlement_model(req.body);
    if(!d)
        return error(d.error());
    ledger::settlement_model m;
    m.name = std::move(d->name);
    m.granularity = std::move(d->granularity);
    m.interchange = std::move(d->interchange);
    m.delay = std::move(d->delay);
    m.currency = std::move(d->currency);
    m.require_liquidity_check = d->require_liquidity_check;
    m.auto_position_reset = d->auto_position_reset;
    auto const lt = ledger::account_type_from_string(d->ledger_account_type);
    if(!lt)
        return error(errc::generic_validation_error, "ledgerAccountType is not supported");
    m.ledger_account_type = *lt;
    auto const st = ledger::account_type_from_string(d->settlement_account_type);
    if(!st)
        return error(errc::generic_validation_error, "settlementAccountType is not supported");
    m.settlement_account_type = *st;
    auto r = ctx_.participants.add_settlement_model(std::move(m), ctx_.clock.now());
    if(!r)
        return error(r.error());
    return net::make_empty(201);
}

net::response
admin_service::
get_settlement_models(net::request const&)
{
    core::json_writer o;
    o.begin_array();
    for(auto const& m : ctx_.participants.settlement_models())
    {
        o.begin_object()
            .field("settlementModelId", m.id)
            .field("name", m.name)
            .field("isActive", m.active ? 1 : 0)
            .field("settlementGranularity", m.granularity)
            .field("settlementInterchange", m.interchange)
            .field("settlementDelay", m.delay);
        field_or_null(o, "currency", m.currency);
        o.field("requireLiquidityCheck", m.require_liquidity_check)
            .field("ledgerAccountType", ledger::to_string(m.ledger_account_type))
            .field("settlementAccountType", ledger::to_string(m.settlement_account_type))
            .field("autoPositionReset", m.auto_position_reset)
            .end_object();
    }
    o.end_array();
    return json_response(200, std::move(o).finish());
}

// ---- Oracles (ALS admin) -------------------------------------------------------------------

net::response
admin_service::
post_oracle(net::request const& req)
{
    auto o = admin_api::decode_oracle_registration(req.body);
    if(!o)
        return error(o.error());
    oracle_config c;
    c.id_type = std::move(o->oracle_id_type);
    c.url = std::move(o->url);
    c.currency = std::move(o->currency).value_or("");
    c.is_default = o->is_default.value_or(false);
    auto r = ctx_.oracles.add(std::move(c));
    if(!r)
        return error(r.error());
    return net::make_empty(201);
}

net::response
admin_service::
get_oracles(net::request const& req)
{
    auto const type = req.query_param("type");
    core::json_writer o;
    o.begin_array();
    for(auto const& c : ctx_.oracles.configs())
    {
        if(type && *type != c.id_type)
            continue;
        o.begin_object().field("oracleId", c.id).field("oracleIdType", c.id_type);
        o.key("endpoint").begin_object().field("value", c.url).field("endpointType", "URL").end_object();
        field_or_null(o, "currency", c.currency);
        o.field("isDefault", c.is_default).end_object();
    }
    o.end_array();
    return json_response(200, std::move(o).finish());
}

net::response
admin_service::
delete_oracle(net::request const& req)
{
    auto const id = id_param(req, "ID");
    if(!id || !ctx_.oracles.remove(*id))
        return error(errc::generic_id_not_found, "oracle not found");
    return net::make_empty(204);
}

// ---- Settlement windows and settlements (central-settlement) -------------------------------

void
admin_service::
write(core::json_writer& o, ledger::settlement_window const& w) const
{
    o.begin_object().field("settlementWindowId", w.id);
    field_or_null(o, "reason", w.reason);
    o.field("state", ledger::to_string(w.state))
        .field("createdDate", datetime(w.created))
        .field("changedDate", datetime(w.changed));
    o.key("content").begin_array();
    std::int64_t n = 0;
    for(auto const& currency : w.currencies)
    {
        o.begin_object()
            .field("id", ++n)
            .field("state", ledger::to_string(w.state))
            .field("ledgerAccountType", "POSITION")
            .field("currencyId", currency)
            .field("createdDate", datetime(w.created))
            .field("changedDate", datetime(w.changed))
            .end_object();
    }
    o.end_array().end_object();
}

net::response
admin_service::
get_settlement_windows(net::request const& req)
{
    auto const state = req.query_param("state");
    auto const participant = req.query_param("participantId");
    // central-settlement's query schema: the window states, upper case (Joi's any.only: 3101).
    constexpr std::array states = {ledger::window_state::open, ledger::window_state::closed,
                                   ledger::window_state::pending_settlement, ledger::window_state::settled,
                                   ledger::window_state::aborted};
    if(state && std::none_of(states.begin(), states.end(), [&](auto s) { return *state == ledger::to_string(s); }))
        return error(errc::malformed_syntax,
                     R"("state" must be one of [OPEN, CLOSED, PENDING_SETTLEMENT, SETTLED, ABORTED])");
    auto const involves = [&](ledger::settlement_window const& w) {
        return std::any_of(w.entries.begin(), w.entries.end(), [&](auto const& e) {
            return std::to_string(ctx_.participants.find_account(e.account)->owner) == *participant;
        });
    };
    core::json_writer o;
    o.begin_array();
    for(auto const& w : ctx_.settlement.windows())
    {
        if(state && *state != ledger::to_string(w.state))
            continue;
        if(participant && !involves(w))
            continue;
        write(o, w);
    }
    o.end_array();
    return json_response(200, std::move(o).finish());
}

net::response
admin_service::
get_settlement_window(net::request const& req)
{
    auto const id = id_param(req, "id");
    auto const* w = id ? ctx_.settlement.find_window(*id) : nullptr;
    if(!w)
        return error(errc::generic_id_not_found, "settlementWindowId not found");
    return entity(200, *w);
}

net::response
admin_service::
post_settlement_window(net::request const& req)
{
    auto c = admin_api::decode_settlement_window_close(req.body);
    if(!c)
        return error(c.error());
    auto const id = id_param(req, "id");
    if(!id)
        return error(errc::malformed_syntax, "id must be a positive integer");
    auto r = ctx_.settlement.close(*id, std::move(c->reason), ctx_.clock.now());
    if(!r)
        return error(r.error());
    // central-settlement answers with the new OPEN window.
    return entity(200, **r);
}

void
admin_service::
write(core::json_writer& o, ledger::settlement const& s) const
{
    o.begin_object()
        .field("id", s.id)
        .field("state", ledger::to_string(s.state))
        .field("reason", s.reason)
        .field("settlementModel", s.model)
        .field("createdDate", datetime(s.created))
        .field("changedDate", datetime(s.changed));
    o.key("settlementWindows").begin_array();
    for(auto id : s.windows)
    {
        auto const& w = *ctx_.settlement.find_window(id);
        o.begin_object()
            .field("id", w.id)
            .field("state", ledger::to_string(w.state))
            .field("reason", w.reason)
            .field("createdDate", datetime(w.created))
            .field("changedDate", datetime(w.changed))
            .end_object();
    }
    o.end_array();
    // Participants with their accounts, in first-seen order.
    o.key("participants").begin_array();
    std::vector<ledger::participant_id> seen;
    for(auto const& a : s.accounts)
    {
        if(std::find(seen.begin(), seen.end(), a.participant) != seen.end())
            continue;
        seen.push_back(a.participant);
        o.begin_object().field("id", a.participant);
        o.key("accounts").begin_array();
        for(auto const& b : s.accounts)
        {
            if(b.participant != a.participant)
                continue;
            o.begin_object().field("id", b.account).field("reason", b.reason).field("state", ledger::to_string(b.state));
            o.key("netSettlementAmount")
                .begin_object()
                .field("amount", b.net)
                .field("currency", b.currency)
                .end_object();
            o.end_object();
        }
        o.end_array().end_object();
    }
    o.end_array().end_object();
}

net::response
admin_service::
post_settlement(net::request const& req)
{
    auto s = admin_api::decode_settlement_create(req.body);
    if(!s)
        return error(s.error());
    std::vector<ledger::window_id> windows(s->settlement_windows.begin(), s->settlement_windows.end());
    auto const& models = ctx_.participants.settlement_models();
    if(std::none_of(models.begin(), models.end(), [&](auto const& m) { return m.name == s->model; }))
        return error(errc::generic_validation_error, "settlementModel " + s->model + " not found");
    auto r = ctx_.settlement.create_settlement(std::move(s->model), std::move(s->reason), windows, ctx_.participants,
                                               ctx_.clock.now());
    if(!r)
        return error(r.error());
    return entity(200, **r);
}

net::response
admin_service::
get_settlements(net::request const& req)
{
    auto const state = req.query_param("state");
    core::json_writer o;
    o.begin_array();
    for(auto const& s : ctx_.settlement.settlements())
        if(!state || *state == ledger::to_string(s.state))
            write(o, s);
    o.end_array();
    return json_response(200, std::move(o).finish());
}

net::response
admin_service::
get_settlement(net::request const& req)
{
    auto const id = id_param(req, "id");
    auto const* s = id ? ctx_.settlement.find_settlement(*id) : nullptr;
    if(!s)
        return error(errc::generic_id_not_found, "settlement not found");
    return entity(200, *s);
}

net::response
admin_service::
put_settlement(net::request const& req)
{
    // The body's shape first, then the settlement of the path, then the body's members.
    auto const body = admin_api::decode_object(req.body);
    if(!body)
        return error(body.error());
    auto const id = id_param(req, "id");
    if(!id)
        return error(errc::malformed_syntax, "id must be a positive integer");
    auto u = admin_api::decode_settlement_update(*body);
    if(!u)
        return error(u.error());

    // {"state": ..., "reason": ...} moves the whole settlement (ABORTED, or the emulator's
    // shortcut to any later state).
    if(u->state)
    {
        auto const st = ledger::settlement_state_from_string(*u->state);
        if(!st)
            return error(errc::malformed_syntax, "state has an unknown value");
        auto r = ctx_.settlement.advance_all(*id, *st, u->reason, ctx_.participants, ctx_.clock.now());
        if(!r)
            return error(r.error());
        return entity(200, **r);
    }

    // {"participants":[{"id":..,"accounts":[{"id":..,"state":..,"reason":..}]}]}
    std::vector<ledger::account_transition> moves;
    for(auto& p : u->participants)
    {
        for(auto& a : p.accounts)
        {
            auto const st = ledger::settlement_state_from_string(a.state);
            if(!st)
                return error(errc::malformed_syntax, "participants[].accounts[] needs id and a known state");
            moves.push_back({static_cast<ledger::participant_id>(p.id), static_cast<ledger::account_id>(a.id), *st,
                             std::move(a.reason)});
        }
    }
    auto r = ctx_.settlement.advance(*id, moves, ctx_.participants, ctx_.clock.now());
    if(!r)
        return error(r.error());
    return entity(200, **r);
}

} // namespace mojasim::central
