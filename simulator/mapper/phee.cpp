#include "simulator/mapper/phee.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace mojasim::mapper::phee {

namespace json = boost::json;

namespace {

/// A string member: absent or null -> nullopt; numbers and booleans as Jackson coerces them.
bool read_string(json::object const& o, std::string_view name, std::optional<std::string>& out)
{
    auto const* v = o.if_contains(name);
    if(!v || v->is_null())
        return true;
    if(v->is_string())
        out = std::string(v->get_string());
    else if(v->is_int64())
        out = std::to_string(v->get_int64());
    else if(v->is_uint64())
        out = std::to_string(v->get_uint64());
    else if(v->is_bool())
        out = v->get_bool() ? "true" : "false";
    else
        return false;
    return true;
}

std::optional<beneficiary_dto> read_beneficiary(json::value const& v)
{
    if(!v.is_object())
        return std::nullopt;
    auto const& o = v.get_object();
    beneficiary_dto b;
    if(!read_string(o, "payeeIdentity", b.payee_identity) || !read_string(o, "paymentModality", b.payment_modality)
       || !read_string(o, "financialAddress", b.financial_address)
       || !read_string(o, "bankingInstitutionCode", b.banking_institution_code))
        return std::nullopt;
    return b;
}

/// An optional list of beneficiaries under `key` (absent or null: none); false when it is not
/// an array or an entry is not a beneficiary.
bool read_beneficiaries(json::object const& o, std::string_view key, std::vector<beneficiary_dto>& out)
{
    auto const* list = o.if_contains(key);
    if(!list || list->is_null())
        return true;
    if(!list->is_array())
        return false;
    for(auto const& item : list->get_array())
    {
        auto b = read_beneficiary(item);
        if(!b)
            return false;
        out.push_back(std::move(*b));
    }
    return true;
}

json::value opt(std::optional<std::string> const& s)
{
    if(!s)
        return nullptr;
    return json::value(*s);
}

json::object beneficiary_json(beneficiary_dto const& b)
{
    json::object o;
    o["payeeIdentity"] = opt(b.payee_identity);
    o["paymentModality"] = opt(b.payment_modality);
    o["financialAddress"] = opt(b.financial_address);
    o["bankingInstitutionCode"] = opt(b.banking_institution_code);
    return o;
}

json::object entry_json(entry const& e)
{
    json::object o;
    o["payeeIdentity"] = e.identity;
    o["paymentModality"] = e.modality;
    o["financialAddress"] = e.financial_address;
    o["bankingInstitutionCode"] = e.bank;
    return o;
}

bool bank_ok(std::optional<std::string> const& modality, std::optional<std::string> const& bank)
{
    if(!modality || !needs_bank(*modality))
        return true;
    return bank && !bank->empty() && bank->size() <= 11;
}

bool address_ok(std::optional<std::string> const& fa) { return !fa || fa->size() <= 30; }

std::string error_body(std::string_view code, std::string_view description)
{
    json::object o;
    o["errorCategory"] = "Validation";
    o["errorCode"] = code;
    o["errorDescription"] = description;
    o["developerMessage"] = description;
    o["defaultUserMessage"] = description;
    o["errorParameters"] = nullptr;
    o["errors"] = json::array{};
    return json::serialize(o);
}

} // namespace

std::optional<request_dto> decode_request(std::string_view body)
{
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    if(ec || !v.is_object())
        return std::nullopt;
    auto const& o = v.get_object();
    request_dto r;
    if(!read_string(o, "requestID", r.request_id) || !read_string(o, "sourceBBID", r.source_bb_id))
        return std::nullopt;
    if(!read_beneficiaries(o, "beneficiaries", r.beneficiaries))
        return std::nullopt;
    return r;
}

std::string encode_request(request_dto const& r)
{
    json::object o;
    o["requestID"] = opt(r.request_id);
    o["sourceBBID"] = opt(r.source_bb_id);
    json::array list;
    for(auto const& b : r.beneficiaries)
        list.push_back(beneficiary_json(b));
    o["beneficiaries"] = std::move(list);
    return json::serialize(o);
}

bool valid_request_id(std::optional<std::string> const& id) noexcept
{
    return id && id->size() <= 12;
}

std::vector<failed_case> apply(store& s, std::string_view institution, request_dto const& r, operation op)
{
    std::vector<failed_case> failed;
    for(auto const& b : r.beneficiaries)
    {
        auto fail = [&](std::string_view why) { failed.push_back({b.payee_identity, b.payment_modality, std::string(why)}); };
        std::string const identity = b.payee_identity.value_or("");
        if(op == operation::register_beneficiary)
        {
            if(s.find(institution, identity))
                fail(reason::already_registered);
            else if(identity.empty() || identity.size() > 20)
                fail(reason::payee_identity_invalid);
            else if(!bank_ok(b.payment_modality, b.banking_institution_code))
                fail(reason::bank_invalid);
            else if(!address_ok(b.financial_address))
                fail(reason::address_invalid);
            else
            {
                entry e;
                e.institution = std::string(institution);
                e.identity = identity;
                e.modality = b.payment_modality.value_or("");
                e.financial_address = b.financial_address.value_or("");
                e.bank = b.banking_institution_code.value_or("");
                e.has_modality = b.payment_modality.has_value();
                s.insert(std::move(e));
            }
            continue;
        }
        // Update and the modality operations.
        auto* e = s.find(institution, identity);
        if(!e)
        {
            fail(s.find_any(identity) ? reason::institution_mismatch : reason::not_registered);
            continue;
        }
        if(!b.payment_modality || !valid_modality(*b.payment_modality))
            fail(reason::modality_invalid);
        else if(!bank_ok(b.payment_modality, b.banking_institution_code ? b.banking_institution_code
                                                                        : std::optional<std::string>(e->bank)))
            fail(reason::bank_invalid);
        else if(!address_ok(b.financial_address))
            fail(reason::address_invalid);
        else if(op == operation::add_modality && e->has_modality)
            fail(reason::other_modality);
        else
        {
            e->modality = *b.payment_modality;
            e->has_modality = true;
            if(b.financial_address)
                e->financial_address = *b.financial_address;
            if(b.banking_institution_code)
                e->bank = *b.banking_institution_code;
            e->fa.clear(); // the G2P Connect FA follows the new address
        }
    }
    return failed;
}

std::string ack_body(bool ok, std::optional<std::string> const& request_id)
{
    json::object o;
    o["responseCode"] = ok ? "00" : "01";
    o["responseDescription"] = ok ? ack_ok_description : ack_failed_description;
    o["requestID"] = opt(request_id);
    return json::serialize(o);
}

std::string callback_body(std::string_view new_request_id, std::optional<std::string> const& register_request_id,
                          std::vector<failed_case> const& failed)
{
    json::object o;
    o["requestID"] = new_request_id;
    o["registerRequestID"] = opt(register_request_id);
    o["numberFailedCases"] = failed.size();
    json::array list;
    for(auto const& f : failed)
    {
        json::object c;
        c["payeeIdentity"] = opt(f.payee_identity);
        c["paymentModality"] = opt(f.payment_modality);
        c["failureReason"] = f.failure_reason;
        list.push_back(std::move(c));
    }
    o["failedCases"] = std::move(list);
    return json::serialize(o);
}

std::string batch_lookup_body(std::optional<std::string> const& request_id, std::string_view institution,
                              store const& s, request_dto const& r)
{
    json::object o;
    o["requestID"] = opt(request_id);
    o["registeringInstitutionId"] = institution;
    json::array list;
    for(auto const& b : r.beneficiaries)
        if(b.payee_identity)
            if(auto const* e = s.find(institution, *b.payee_identity))
                list.push_back(entry_json(*e));
    o["beneficiaryDTOList"] = std::move(list);
    return json::serialize(o);
}

std::string single_lookup_body(std::string_view request_id, entry const& e, bool validated)
{
    json::object o;
    o["requestId"] = request_id;
    o["payeeIdentity"] = e.identity;
    json::object m;
    m["paymentModality"] = e.modality;
    m["financialAddress"] = e.financial_address;
    m["bankingInstitutionCode"] = e.bank;
    o["paymentModalityList"] = json::array{std::move(m)};
    o["isValidated"] = validated;
    return json::serialize(o);
}

std::string fetch_body(std::string_view institution, std::string_view payee_identity, entry const* e)
{
    json::object o;
    if(e)
    {
        o["registeringInstitutionId"] = institution;
        o["payeeIdentity"] = payee_identity;
        o["paymentModality"] = e->modality;
        o["financialAddress"] = e->financial_address;
        o["bankingInstitutionCode"] = e->bank;
    }
    else
    {
        for(auto const* k : {"registeringInstitutionId", "payeeIdentity", "paymentModality", "financialAddress",
                             "bankingInstitutionCode"})
            o[k] = nullptr;
    }
    return json::serialize(o);
}

std::string header_error_body() { return error_body("error.msg.header.validation.errors", "The headers are invalid"); }
std::string schema_error_body() { return error_body("error.msg.schema.validation.errors", "The request is invalid"); }

std::optional<batch_lookup_answer> decode_batch_lookup(std::string_view body)
{
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    if(ec || !v.is_object())
        return std::nullopt;
    auto const& o = v.get_object();
    batch_lookup_answer a;
    if(!read_string(o, "requestID", a.request_id) || !read_string(o, "registeringInstitutionId", a.registering_institution_id))
        return std::nullopt;
    if(!read_beneficiaries(o, "beneficiaryDTOList", a.beneficiaries))
        return std::nullopt;
    return a;
}

} // namespace mojasim::mapper::phee
