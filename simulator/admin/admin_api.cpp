#include "simulator/admin/admin_api.hpp"

#include "simulator/core/json_writer.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace mojasim::admin_api {

std::vector<endpoint_registration> fspiop_endpoints(std::string const& base)
{
    std::string const parties = base + "/parties/{{partyIdType}}/{{partyIdentifier}}";
    std::string const parties_sub = parties + "/{{partySubIdOrType}}";
    std::string const participants = base + "/participants/{{partyIdType}}/{{partyIdentifier}}";
    std::string const participants_sub = participants + "/{{partySubIdOrType}}";
    std::vector<endpoint_registration> out = {
        {endpoint::parties_get, parties},
        {endpoint::parties_put, parties},
        {endpoint::parties_put_error, parties + "/error"},
        {endpoint::parties_sub_id_get, parties_sub},
        {endpoint::parties_sub_id_put, parties_sub},
        {endpoint::parties_sub_id_put_error, parties_sub + "/error"},
        {endpoint::participant_put, participants},
        {endpoint::participant_put_error, participants + "/error"},
        {endpoint::participant_sub_id_put, participants_sub},
        {endpoint::participant_sub_id_put_error, participants_sub + "/error"},
        {endpoint::quotes, base},
    };
    for(auto& e : transfer_endpoints(base))
        out.push_back(std::move(e));
    return out;
}

std::vector<endpoint_registration> transfer_endpoints(std::string const& base)
{
    return {
        {endpoint::transfer_post, base + "/transfers"},
        {endpoint::transfer_put, base + "/transfers/{{transferId}}"},
        {endpoint::transfer_error, base + "/transfers/{{transferId}}/error"},
    };
}

std::string participant_body(std::string_view name, std::string_view currency)
{
    core::json_writer w(64);
    w.begin_object().member("name", name).member("currency", currency).end_object();
    return std::move(w).finish();
}

std::string endpoint_body(std::string_view type, std::string_view value)
{
    core::json_writer w(64 + value.size());
    w.begin_object().member("type", type).member("value", value).end_object();
    return std::move(w).finish();
}

std::string initial_position_and_limits_body(std::string_view currency, core::decimal net_debit_cap,
                                             core::decimal initial_position)
{
    core::json_writer w(128);
    w.begin_object().member("currency", currency);
    w.begin_object("limit").member("type", "NET_DEBIT_CAP").field("value", net_debit_cap).end_object();
    w.field("initialPosition", initial_position).end_object();
    return std::move(w).finish();
}

std::string hub_account_body(std::string_view type, std::string_view currency)
{
    core::json_writer w(64);
    w.begin_object().member("type", type).member("currency", currency).end_object();
    return std::move(w).finish();
}

std::string encode(settlement_model const& m)
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

std::string encode(funds_movement const& f)
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
