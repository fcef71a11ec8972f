#include "simulator/admin/admin_api.hpp"

#include "simulator/admin/json_io.hpp"
#include "simulator/core/json_writer.hpp"
#include "simulator/fspiop/validate.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <initializer_list>

namespace mojasim::admin_api {

namespace {

using fspiop::errc;
namespace json = boost::json;

request_error
not_an_object()
{
    return {errc::malformed_syntax, "the body must be a JSON object"};
}

request_error
missing(std::string_view field)
{
    return {errc::missing_mandatory_element, std::string(field) + " is required"};
}

request_error
malformed(std::string detail)
{
    return {errc::malformed_syntax, std::move(detail)};
}

request_error
invalid(std::string detail)
{
    return {errc::generic_validation_error, std::move(detail)};
}

// Joi's guid(): 8-4-4-4-12 hexadecimal digits, any case and version.
bool
is_guid(std::string_view s) noexcept
{
    if(s.size() != 36)
        return false;
    for(std::size_t i = 0; i < s.size(); ++i)
    {
        auto const c = s[i];
        if(i == 8 || i == 13 || i == 18 || i == 23)
        {
            if(c != '-')
                return false;
        }
        else if(!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

bool
one_of(std::string_view v, std::initializer_list<std::string_view> allowed) noexcept
{
    return std::find(allowed.begin(), allowed.end(), v) != allowed.end();
}

bool
is_settlement_state(std::string_view s) noexcept
{
    return std::find(settlement_states.begin(), settlement_states.end(), s) != settlement_states.end();
}

// A string member required by the body.
decoded<std::string>
required_text(json::value const& v, std::string_view key)
{
    auto const t = text_of(v, key);
    if(!t)
        return missing(key);
    return std::string(*t);
}

// The same into `out`: the refusal when the member is missing.
std::optional<request_error>
take_text(json::value const& v, std::string_view key, std::string& out)
{
    auto t = required_text(v, key);
    if(!t)
        return t.error();
    out = std::move(*t);
    return std::nullopt;
}

// What POST .../initialPositionAndLimits and PUT .../limits both carry: a currency and a
// NET_DEBIT_CAP limit with a value.
struct limit_fields
{
    std::string currency;
    json::value const* limit = nullptr;
    core::decimal value;
};

decoded<limit_fields>
read_limit(json::value const& body)
{
    limit_fields out;
    auto const currency = text_of(body, "currency");
    if(!currency)
        return missing("currency");
    out.currency = *currency;
    out.limit = member(body, "limit");
    if(!out.limit || !out.limit->is_object())
        return missing("limit");
    auto const type = text_of(*out.limit, "type");
    if(!type)
        return missing("limit.type");
    if(*type != "NET_DEBIT_CAP")
        return invalid("limit.type must be NET_DEBIT_CAP");
    auto const value = decimal_of(*out.limit, "value");
    if(!value)
        return malformed("limit.value must be a number");
    out.value = *value;
    return out;
}

void
write_limit_type(core::json_writer& w)
{
    w.member("type", "NET_DEBIT_CAP");
}

} // namespace

decoded<json::value>
decode_object(std::string_view body)
{
    auto v = parse_exact(body);
    if(!v || !v->is_object())
        return not_an_object();
    return std::move(*v);
}

std::vector<endpoint_registration> fspiop_endpoints(std::string const& base)
{
    std::string const parties = base + "/parties/{{partyIdType}}/{{partyIdentifier}}";
    std::string const parties_sub = parties + "/{{partySubIdOrType}}";
    std::string const participants = base + "/participants/{{partyIdType}}/{{partyIdentifier}}";
    std::string const participants_sub = participants + "/{{partySubIdOrType}}";
    auto const reg = [](std::string_view type, std::string value) {
        return endpoint_registration{std::string(type), std::move(value)};
    };
    std::vector<endpoint_registration> out = {
        reg(endpoint::parties_get, parties),
        reg(endpoint::parties_put, parties),
        reg(endpoint::parties_put_error, parties + "/error"),
        reg(endpoint::parties_sub_id_get, parties_sub),
        reg(endpoint::parties_sub_id_put, parties_sub),
        reg(endpoint::parties_sub_id_put_error, parties_sub + "/error"),
        reg(endpoint::participant_put, participants),
        reg(endpoint::participant_put_error, participants + "/error"),
        reg(endpoint::participant_sub_id_put, participants_sub),
        reg(endpoint::participant_sub_id_put_error, participants_sub + "/error"),
        reg(endpoint::quotes, base),
        reg(endpoint::trx_req_service, base),
        reg(endpoint::authorizations, base),
    };
    for(auto& e : transfer_endpoints(base))
        out.push_back(std::move(e));
    return out;
}

std::vector<endpoint_registration> transfer_endpoints(std::string const& base)
{
    return {
        {std::string(endpoint::transfer_post), base + "/transfers"},
        {std::string(endpoint::transfer_put), base + "/transfers/{{transferId}}"},
        {std::string(endpoint::transfer_error), base + "/transfers/{{transferId}}/error"},
    };
}

// ---- Participants, accounts, endpoints, limits ------------------------------------------------

std::string
encode(participant const& p)
{
    core::json_writer w(64);
    w.begin_object().member("name", p.name).member("currency", p.currency).end_object();
    return std::move(w).finish();
}

decoded<participant>
decode_participant(std::string_view body)
{
    auto const v = decode_object(body);
    if(!v)
        return v.error();
    participant p;
    auto name = required_text(*v, "name");
    if(!name)
        return name.error();
    // central-ledger's nameValidator: 2..30 characters.
    if(!fspiop::has_length(*name, 2, 30))
        return malformed("name must be 2..30 characters");
    p.name = std::move(*name);
    if(auto e = take_text(*v, "currency", p.currency))
        return std::move(*e);
    return p;
}

std::string
encode(activation const& a)
{
    core::json_writer w(32);
    w.begin_object().field("isActive", a.is_active).end_object();
    return std::move(w).finish();
}

decoded<activation>
decode_activation(std::string_view body)
{
    auto const v = decode_object(body);
    if(!v)
        return v.error();
    auto const active = bool_of(*v, "isActive");
    if(!active)
        return missing("isActive");
    return activation{*active};
}

std::string
encode(jws_key const& k)
{
    core::json_writer w(32 + k.public_key.size() * 11 / 10);
    w.begin_object().field("publicKey", k.public_key).end_object();
    return std::move(w).finish();
}

decoded<jws_key>
decode_jws_key(std::string_view body)
{
    auto const v = decode_object(body);
    if(!v)
        return v.error();
    auto key = required_text(*v, "publicKey");
    if(!key)
        return key.error();
    return jws_key{std::move(*key)};
}

namespace {

// A body of two required text members (a hub account, an endpoint), in this order of checks.
template <class T>
decoded<T>
decode_two_texts(std::string_view body, std::string_view first, std::string_view second)
{
    auto const v = decode_object(body);
    if(!v)
        return v.error();
    auto a = required_text(*v, first);
    if(!a)
        return a.error();
    auto b = required_text(*v, second);
    if(!b)
        return b.error();
    return T{std::move(*a), std::move(*b)};
}

} // namespace

std::string
encode(hub_account const& a)
{
    core::json_writer w(64);
    w.begin_object().member("type", a.type).member("currency", a.currency).end_object();
    return std::move(w).finish();
}

decoded<hub_account>
decode_hub_account(std::string_view body)
{
    return decode_two_texts<hub_account>(body, "type", "currency");
}

std::string
encode(endpoint_registration const& e)
{
    core::json_writer w(64 + e.value.size());
    w.begin_object().member("type", e.type).member("value", e.value).end_object();
    return std::move(w).finish();
}

decoded<endpoint_registration>
decode_endpoint_registration(std::string_view body)
{
    return decode_two_texts<endpoint_registration>(body, "type", "value");
}

std::string
encode(initial_position_and_limits const& l)
{
    core::json_writer w(128);
    w.begin_object().member("currency", l.currency);
    w.begin_object("limit");
    write_limit_type(w);
    w.field("value", l.net_debit_cap).end_object();
    w.field("initialPosition", l.initial_position).end_object();
    return std::move(w).finish();
}

decoded<initial_position_and_limits>
decode_initial_position_and_limits(std::string_view body)
{
    auto const v = decode_object(body);
    if(!v)
        return v.error();
    auto l = read_limit(*v);
    if(!l)
        return l.error();
    initial_position_and_limits out;
    out.currency = std::move(l->currency);
    out.net_debit_cap = l->value;
    if(member(*v, "initialPosition"))
    {
        auto const initial = decimal_of(*v, "initialPosition");
        if(!initial)
            return malformed("initialPosition must be a number");
        out.initial_position = *initial;
    }
    return out;
}

std::string
encode(limits_update const& l)
{
    core::json_writer w(128);
    w.begin_object().member("currency", l.currency);
    w.begin_object("limit");
    write_limit_type(w);
    w.field("value", l.net_debit_cap).field("alarmPercentage", l.alarm_percentage).end_object();
    w.end_object();
    return std::move(w).finish();
}

decoded<limits_update>
decode_limits_update(std::string_view body)
{
    auto const v = decode_object(body);
    if(!v)
        return v.error();
    auto l = read_limit(*v);
    if(!l)
        return l.error();
    auto const alarm = uint_of(*l->limit, "alarmPercentage");
    if(!alarm)
        return missing("limit.alarmPercentage");
    return limits_update{std::move(l->currency), l->value, *alarm};
}

// ---- Settlement models, funds --------------------------------------------------------------

std::string
encode(settlement_model const& m)
{
    core::json_writer w(320);
    w.begin_object()
        .member("name", m.name)
        .member("settlementGranularity", m.granularity)
        .member("settlementInterchange", m.interchange)
        .member("settlementDelay", m.delay)
        .optional_member("currency", m.currency)
        .field("requireLiquidityCheck", m.require_liquidity_check)
        .member("ledgerAccountType", m.ledger_account_type)
        .member("settlementAccountType", m.settlement_account_type)
        .field("autoPositionReset", m.auto_position_reset)
        .end_object();
    return std::move(w).finish();
}

decoded<settlement_model>
decode_settlement_model(std::string_view body)
{
    auto const v = decode_object(body);
    if(!v)
        return v.error();
    settlement_model m;
    if(auto e = take_text(*v, "name", m.name))
        return std::move(*e);
    struct choice
    {
        char const* key;
        std::string* out;
        std::initializer_list<std::string_view> allowed;
    };
    for(auto const& c : {choice{"settlementGranularity", &m.granularity, {"GROSS", "NET"}},
                         choice{"settlementInterchange", &m.interchange, {"BILATERAL", "MULTILATERAL"}},
                         choice{"settlementDelay", &m.delay, {"IMMEDIATE", "DEFERRED"}}})
    {
        auto const t = text_of(*v, c.key);
        if(!t)
            return missing(c.key);
        if(!one_of(*t, c.allowed))
            return malformed(std::string(c.key) + " has an unknown value");
        *c.out = *t;
    }
    if(auto const currency = text_of(*v, "currency"))
        m.currency = *currency;
    auto const liquidity = bool_of(*v, "requireLiquidityCheck");
    if(!liquidity)
        return missing("requireLiquidityCheck");
    m.require_liquidity_check = *liquidity;
    auto const reset = bool_of(*v, "autoPositionReset");
    if(!reset)
        return missing("autoPositionReset");
    m.auto_position_reset = *reset;
    if(auto e = take_text(*v, "ledgerAccountType", m.ledger_account_type))
        return std::move(*e);
    if(auto const settlement_type = text_of(*v, "settlementAccountType"))
        m.settlement_account_type = *settlement_type;
    return m;
}

std::string
encode(funds_movement const& f)
{
    core::json_writer w(256);
    w.begin_object()
        .member("transferId", f.transfer_id)
        .member("externalReference", f.external_reference)
        .member("action", f.action)
        .member("reason", f.reason);
    // The amount is a string here, as central-ledger's Money type is.
    w.begin_object("amount").member("amount", f.amount.to_string()).member("currency", f.currency).end_object();
    w.end_object();
    return std::move(w).finish();
}

decoded<funds_movement>
decode_funds_movement(std::string_view body, bool put, std::string_view transfer_id)
{
    auto const v = decode_object(body);
    if(!v)
        return v.error();
    return decode_funds_movement(*v, put, transfer_id);
}

decoded<funds_movement>
decode_funds_movement(json::value const& body, bool put, std::string_view transfer_id)
{
    if(!body.is_object())
        return not_an_object();
    funds_movement f;
    auto const action = text_of(body, "action");
    bool const moves_money = action && one_of(*action, {"recordFundsIn", "recordFundsOutPrepareReserve"});
    bool const known = moves_money || (action && one_of(*action, {"recordFundsOutCommit", "recordFundsOutAbort"}));
    // POST takes the first leg (and, here, commit/abort too); PUT .../transfers/{id} the last.
    if(!known || (put && moves_money))
        return malformed("action is missing or not supported");
    f.action = *action;
    if(auto e = take_text(body, "reason", f.reason))
        return std::move(*e);

    if(put)
        f.transfer_id = transfer_id;
    else if(auto t = text_of(body, "transferId"))
        f.transfer_id = *t;
    else
        return missing("transferId");
    // central-ledger takes a GUID or a ULID (as the FSPIOP CorrelationId the hub validates).
    if(!is_guid(f.transfer_id) && !(f.transfer_id.size() == 26 && fspiop::is_correlation_id(f.transfer_id)))
        return malformed("transferId must be a valid GUID");

    if(moves_money)
    {
        if(auto e = take_text(body, "externalReference", f.external_reference))
            return std::move(*e);
        auto const* amount = member(body, "amount");
        if(!amount || !amount->is_object())
            return request_error{errc::missing_mandatory_element, "No amount provided"};
        auto const value = decimal_of(*amount, "amount");
        if(!value || value->is_negative() || value->is_zero())
            return malformed("amount.amount must be a positive number with at most 4 decimals");
        auto const currency = text_of(*amount, "currency");
        if(!currency || !fspiop::is_currency(*currency))
            return malformed("amount.currency must be an ISO 4217 code");
        f.amount = *value;
        f.currency = *currency;
    }
    return f;
}

// ---- Oracles (ALS admin) -------------------------------------------------------------------

std::string
encode(oracle_registration const& o)
{
    core::json_writer w(128 + o.url.size());
    w.begin_object().member("oracleIdType", o.oracle_id_type);
    w.begin_object("endpoint").member("value", o.url).member("endpointType", "URL").end_object();
    w.optional_member("currency", o.currency);
    if(o.is_default)
        w.field("isDefault", *o.is_default);
    w.end_object();
    return std::move(w).finish();
}

decoded<oracle_registration>
decode_oracle_registration(std::string_view body)
{
    auto const v = decode_object(body);
    if(!v)
        return v.error();
    oracle_registration o;
    if(auto e = take_text(*v, "oracleIdType", o.oracle_id_type))
        return std::move(*e);
    auto const* ep = member(*v, "endpoint");
    if(!ep || !ep->is_object())
        return missing("endpoint");
    auto const value = text_of(*ep, "value");
    if(!value)
        return missing("endpoint.value");
    if(auto const kind = text_of(*ep, "endpointType"); kind && *kind != "URL")
        return malformed("endpoint.endpointType must be URL");
    o.url = *value;
    if(auto const currency = text_of(*v, "currency"))
        o.currency = std::string(*currency);
    o.is_default = bool_of(*v, "isDefault");
    return o;
}

// ---- Settlement windows and settlements (central-settlement) -------------------------------

std::string
encode(settlement_window_close const& c)
{
    core::json_writer w(64 + c.reason.size());
    w.begin_object().member("state", "CLOSED").optional_member("reason", c.reason).end_object();
    return std::move(w).finish();
}

decoded<settlement_window_close>
decode_settlement_window_close(std::string_view body)
{
    auto const v = decode_object(body);
    if(!v)
        return v.error();
    auto const state = text_of(*v, "state");
    if(!state)
        return missing("state");
    if(*state != "CLOSED")
        return invalid("state must be CLOSED");
    return settlement_window_close{std::string(text_of(*v, "reason").value_or(""))};
}

std::string
encode(settlement_create const& s)
{
    core::json_writer w(128 + s.reason.size() + 16 * s.settlement_windows.size());
    w.begin_object().member("settlementModel", s.model).member("reason", s.reason);
    w.begin_array("settlementWindows");
    for(auto id : s.settlement_windows)
        w.begin_object().field("id", id).end_object();
    w.end_array().end_object();
    return std::move(w).finish();
}

decoded<settlement_create>
decode_settlement_create(std::string_view body)
{
    auto const v = decode_object(body);
    if(!v)
        return v.error();
    settlement_create s;
    if(auto e = take_text(*v, "settlementModel", s.model))
        return std::move(*e);
    if(auto e = take_text(*v, "reason", s.reason))
        return std::move(*e);
    auto const* list = member(*v, "settlementWindows");
    if(!list || !list->is_array())
        return missing("settlementWindows");
    for(auto const& item : list->get_array())
    {
        auto const id = uint_of(item, "id");
        if(!id || *id == 0 || *id > 0xFFFFFFFFu)
            return malformed("settlementWindows[].id must be a positive integer");
        s.settlement_windows.push_back(static_cast<std::uint32_t>(*id));
    }
    return s;
}

std::string
encode(settlement_update const& u)
{
    core::json_writer w(256);
    w.begin_object().optional_member("state", u.state).optional_member("reason", u.reason);
    if(!u.state)
    {
        w.begin_array("participants");
        for(auto const& p : u.participants)
        {
            w.begin_object().field("id", p.id).begin_array("accounts");
            for(auto const& a : p.accounts)
                w.begin_object().field("id", a.id).member("state", a.state).member("reason", a.reason).end_object();
            w.end_array().end_object();
        }
        w.end_array();
    }
    w.end_object();
    return std::move(w).finish();
}

decoded<settlement_update>
decode_settlement_update(std::string_view body)
{
    auto const v = decode_object(body);
    if(!v)
        return v.error();
    return decode_settlement_update(*v);
}

decoded<settlement_update>
decode_settlement_update(json::value const& body)
{
    if(!body.is_object())
        return not_an_object();
    settlement_update u;
    u.reason = text_of(body, "reason").value_or("");

    // {"state": ..., "reason": ...} moves the whole settlement (ABORTED, or the emulator's
    // shortcut to any later state).
    if(auto const state = text_of(body, "state"))
    {
        u.state = std::string(*state);
        return u;
    }

    // {"participants":[{"id":..,"accounts":[{"id":..,"state":..,"reason":..}]}]}
    auto const* participants = member(body, "participants");
    if(!participants || !participants->is_array())
        return missing("participants");
    for(auto const& p : participants->get_array())
    {
        auto const pid = uint_of(p, "id");
        auto const* accounts = member(p, "accounts");
        if(!pid || !accounts || !accounts->is_array())
            return malformed("participants[] needs id and accounts");
        settlement_participant_update& out = u.participants.emplace_back();
        out.id = *pid;
        for(auto const& a : accounts->get_array())
        {
            auto const aid = uint_of(a, "id");
            auto const state = text_of(a, "state");
            if(!aid || !state || !is_settlement_state(*state))
                return malformed("participants[].accounts[] needs id and a known state");
            out.accounts.push_back({*aid, std::string(*state), std::string(text_of(a, "reason").value_or(""))});
        }
    }
    return u;
}

std::optional<std::int64_t> settlement_account_id(std::string_view accounts_body, std::string_view currency)
{
    boost::system::error_code ec;
    auto const v = boost::json::parse(accounts_body, ec);
    if(ec || !v.is_array())
        return std::nullopt;
    for(auto const& a : v.as_array())
    {
        if(!a.is_object())
            continue;
        auto const& o = a.as_object();
        auto const* type = o.if_contains("ledgerAccountType");
        auto const* cur = o.if_contains("currency");
        auto const* id = o.if_contains("id");
        if(!type || !cur || !id || !type->is_string() || !cur->is_string())
            continue;
        if(type->as_string() != "SETTLEMENT" || cur->as_string() != currency)
            continue;
        if(id->is_int64())
            return id->as_int64();
        if(id->is_uint64())
            return static_cast<std::int64_t>(id->as_uint64());
    }
    return std::nullopt;
}

} // namespace mojasim::admin_api
