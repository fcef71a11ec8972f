// The reference the text encoder is tested against: each connector body built as a
// boost::json DOM, member by member in the spec's order, and serialized by Boost. This is
// the path encode replaced; it stays here, independent of the writer, as the tests' model.
#pragma once

#include "simulator/connector/codec.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mojasim::connector::test {

namespace json = boost::json;

/// The members of a PUT /transfers/{transferId} body, by transfer_continuation::kind.
inline constexpr std::array<std::string_view, 4> continuation_names{
    "acceptParty", "acceptQuote", "acceptConversion", "acceptQuoteOrConversion"};

inline json::string_view jv(std::string_view s) noexcept { return {s.data(), s.size()}; }

inline void put(json::object& o, std::string_view key, std::string_view value) { o.emplace(jv(key), jv(value)); }

inline void put_opt(json::object& o, std::string_view key, std::optional<std::string> const& value)
{
    if(value)
        put(o, key, *value);
}

inline json::array extensions_json(extension_list const& list)
{
    json::array a;
    a.reserve(list.size());
    for(auto const& e : list)
    {
        json::object x;
        put(x, "key", e.key);
        put(x, "value", e.value);
        a.emplace_back(std::move(x));
    }
    return a;
}

/// ExtensionList_v2_1_0: {"extension":[...]}.
inline json::object extension_object(extension_list const& list)
{
    json::object o;
    o.emplace("extension", extensions_json(list));
    return o;
}

inline json::object money_json(money const& m)
{
    json::object o;
    put(o, "currency", m.currency);
    put(o, "amount", m.amount.to_string());
    return o;
}

inline json::object headers_json(header_list const& h)
{
    json::object o;
    for(auto const& [name, value] : h)
        o[jv(name)] = jv(value);
    return o;
}

inline json::array strings_json(std::vector<std::string> const& v)
{
    json::array a;
    for(auto const& s : v)
        a.emplace_back(jv(s));
    return a;
}

inline json::object party_json(party const& p)
{
    json::object info;
    put(info, "partyIdType", to_string(p.party_id_info.party_id_type));
    put(info, "partyIdentifier", p.party_id_info.party_identifier);
    put_opt(info, "partySubIdOrType", p.party_id_info.party_sub_id_or_type);
    put_opt(info, "fspId", p.party_id_info.fsp_id);
    if(p.party_id_info.extension_list)
        info.emplace("extensionList", extension_object(*p.party_id_info.extension_list));

    json::object o;
    o.emplace("partyIdInfo", std::move(info));
    put_opt(o, "merchantClassificationCode", p.merchant_classification_code);
    put_opt(o, "name", p.name);
    if(p.personal_info)
    {
        json::object pi;
        if(p.personal_info->complex_name)
        {
            json::object cn;
            put_opt(cn, "firstName", p.personal_info->complex_name->first_name);
            put_opt(cn, "middleName", p.personal_info->complex_name->middle_name);
            put_opt(cn, "lastName", p.personal_info->complex_name->last_name);
            pi.emplace("complexName", std::move(cn));
        }
        put_opt(pi, "dateOfBirth", p.personal_info->date_of_birth);
        put_opt(pi, "kycInformation", p.personal_info->kyc_information);
        o.emplace("personalInfo", std::move(pi));
    }
    if(p.supported_currencies)
        o.emplace("supportedCurrencies", strings_json(*p.supported_currencies));
    return o;
}

inline json::object quote_body_json(quote_response_body const& q)
{
    json::object o;
    o.emplace("transferAmount", money_json(q.transfer_amount));
    if(q.payee_receive_amount)
        o.emplace("payeeReceiveAmount", money_json(*q.payee_receive_amount));
    if(q.payee_fsp_fee)
        o.emplace("payeeFspFee", money_json(*q.payee_fsp_fee));
    if(q.payee_fsp_commission)
        o.emplace("payeeFspCommission", money_json(*q.payee_fsp_commission));
    put(o, "expiration", q.expiration);
    if(q.geo_code)
    {
        json::object g;
        put(g, "latitude", q.geo_code->latitude);
        put(g, "longitude", q.geo_code->longitude);
        o.emplace("geoCode", std::move(g));
    }
    put(o, "ilpPacket", q.ilp_packet);
    put(o, "condition", q.condition);
    if(q.extension_list)
        o.emplace("extensionList", extension_object(*q.extension_list));
    return o;
}

inline json::object fulfil_json(fulfil_response const& f)
{
    json::object body;
    put_opt(body, "fulfilment", f.body.fulfilment);
    put_opt(body, "completedTimestamp", f.body.completed_timestamp);
    put(body, "transferState", to_string(f.body.transfer_state));
    if(f.body.extension_list)
        body.emplace("extensionList", extension_object(*f.body.extension_list));
    json::object o;
    o.emplace("body", std::move(body));
    o.emplace("headers", headers_json(f.headers));
    return o;
}


inline json::value reference_json(error_information const& v)
{
    json::object o;
    put(o, "errorCode", v.error_code);
    put(o, "errorDescription", v.error_description);
    if(v.extension_list)
        o.emplace("extensionList", extension_object(*v.extension_list));
    return o;
}

inline json::value reference_json(transfer_party const& p)
{
    json::object o;
    if(p.type)
        put(o, "type", to_string(*p.type));
    put(o, "idType", to_string(p.id_type));
    put(o, "idValue", p.id_value);
    put_opt(o, "idSubValue", p.id_sub_value);
    put_opt(o, "displayName", p.display_name);
    put_opt(o, "firstName", p.first_name);
    put_opt(o, "middleName", p.middle_name);
    put_opt(o, "lastName", p.last_name);
    put_opt(o, "dateOfBirth", p.date_of_birth);
    put_opt(o, "merchantClassificationCode", p.merchant_classification_code);
    put_opt(o, "fspId", p.fsp_id);
    if(p.supported_currencies)
        o.emplace("supportedCurrencies", strings_json(*p.supported_currencies));
    put_opt(o, "kycInformation", p.kyc_information);
    if(p.extension_list)
        o.emplace("extensionList", extensions_json(*p.extension_list));
    return o;
}

inline json::value reference_json(transfer_request const& v)
{
    json::object o;
    put(o, "homeTransactionId", v.home_transaction_id);
    o.emplace("from", reference_json(v.from));
    o.emplace("to", reference_json(v.to));
    put(o, "amountType", to_string(v.amount_type));
    put(o, "currency", v.currency);
    put(o, "amount", v.amount.to_string());
    put(o, "transactionType", v.transaction_type);
    put_opt(o, "subScenario", v.sub_scenario);
    put_opt(o, "note", v.note);
    if(v.quote_request_extensions)
        o.emplace("quoteRequestExtensions", extensions_json(*v.quote_request_extensions));
    if(v.transfer_request_extensions)
        o.emplace("transferRequestExtensions", extensions_json(*v.transfer_request_extensions));
    if(v.skip_party_lookup)
        o.emplace("skipPartyLookup", *v.skip_party_lookup);
    if(v.prepare_expiry_seconds)
        o.emplace("prepareExpirySeconds", *v.prepare_expiry_seconds);
    if(v.fx_prepare_expiry_seconds)
        o.emplace("fxPrepareExpirySeconds", *v.fx_prepare_expiry_seconds);
    if(v.quote_expiry_seconds)
        o.emplace("quoteExpirySeconds", *v.quote_expiry_seconds);
    if(v.fx_quote_expiry_seconds)
        o.emplace("fxQuoteExpirySeconds", *v.fx_quote_expiry_seconds);
    return o;
}

inline json::value reference_json(transfer_continuation const& v)
{
    json::object o;
    o.emplace(jv(continuation_names[static_cast<std::size_t>(v.what)]), v.accepted);
    return o;
}

inline json::object last_error_json(transfer_error const& v)
{
    json::object e;
    if(v.http_status_code)
        e.emplace("httpStatusCode", *v.http_status_code);
    if(v.mojaloop_error)
    {
        json::object m;
        if(v.mojaloop_error->error_information)
            m.emplace("errorInformation", reference_json(*v.mojaloop_error->error_information));
        e.emplace("mojaloopError", std::move(m));
    }
    return e;
}

inline json::value reference_json(transfer_response const& v)
{
    json::object o;
    put_opt(o, "transferId", v.transfer_id);
    put(o, "homeTransactionId", v.home_transaction_id);
    o.emplace("from", reference_json(v.from));
    o.emplace("to", reference_json(v.to));
    put(o, "amountType", to_string(v.amount_type));
    put(o, "currency", v.currency);
    put(o, "amount", v.amount.to_string());
    put(o, "transactionType", v.transaction_type);
    put_opt(o, "subScenario", v.sub_scenario);
    put_opt(o, "note", v.note);
    if(v.current_state)
        put(o, "currentState", to_string(*v.current_state));
    put_opt(o, "quoteId", v.quote_id);
    if(v.get_parties_response)
    {
        auto const& g = *v.get_parties_response;
        json::object body;
        if(g.party)
            body.emplace("party", party_json(*g.party));
        if(g.error_information)
            body.emplace("errorInformation", reference_json(*g.error_information));
        json::object gp;
        gp.emplace("body", std::move(body));
        gp.emplace("headers", headers_json(g.headers));
        o.emplace("getPartiesResponse", std::move(gp));
    }
    if(v.quote_response)
    {
        json::object q;
        q.emplace("body", quote_body_json(v.quote_response->body));
        q.emplace("headers", headers_json(v.quote_response->headers));
        o.emplace("quoteResponse", std::move(q));
    }
    put_opt(o, "quoteResponseSource", v.quote_response_source);
    if(v.fulfil)
        o.emplace("fulfil", fulfil_json(*v.fulfil));
    if(v.last_error)
        o.emplace("lastError", last_error_json(*v.last_error));
    if(v.skip_party_lookup)
        o.emplace("skipPartyLookup", *v.skip_party_lookup);
    return o;
}

inline json::value reference_json(error_response const& v)
{
    json::object o;
    put_opt(o, "statusCode", v.status_code);
    put_opt(o, "message", v.message);
    return o;
}

inline json::value reference_json(transfer_error_response const& v)
{
    auto o = reference_json(error_response{v.status_code, v.message}).as_object();
    if(v.transfer_state)
        o.emplace("transferState", reference_json(*v.transfer_state));
    else if(v.partial_state)
    {
        json::object s;
        s.emplace("transferId", v.partial_state->transfer_id);
        s.emplace("currentState", to_string(v.partial_state->current_state));
        if(v.partial_state->last_error)
            s.emplace("lastError", last_error_json(*v.partial_state->last_error));
        o.emplace("transferState", std::move(s));
    }
    else
        o.emplace("transferState", json::object{});
    return o;
}

inline json::value reference_json(transfer_status_response const& v)
{
    json::object o;
    put(o, "transferId", v.transfer_id);
    put(o, "currentState", to_string(v.current_state));
    o.emplace("fulfil", fulfil_json(v.fulfil));
    return o;
}

/// json::serialize of the reference DOM.
template<class T>
std::string dom_text(T const& v)
{
    return json::serialize(reference_json(v));
}

} // namespace mojasim::connector::test
