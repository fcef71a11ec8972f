#include "simulator/fspiop/codec.hpp"

#include "simulator/core/json_writer.hpp"
#include "simulator/fspiop/validate.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <initializer_list>
#include <optional>
#include <utility>
#include <vector>

namespace mojasim::fspiop {

namespace json = boost::json;

namespace {

// ---------------------------------------------------------------------------------------
// Decoding

// Walks a parsed body. Keeps the path of the current element as a stack of keys and
// indexes; the path text is built only when something fails.
class reader
{
public:
    reader(int api_major, bool strict_spec) : api_major_(api_major), strict_spec_(strict_spec) { path_.reserve(8); }

    [[nodiscard]] int api_major() const noexcept { return api_major_; }
    [[nodiscard]] bool strict_spec() const noexcept { return strict_spec_; }

    void push(std::string_view key) { path_.push_back({key, 0}); }
    void push(std::size_t index) { path_.push_back({{}, index}); }
    void pop() noexcept { path_.pop_back(); }

    // Record the first failure at the current path; always returns false.
    bool fail(errc code, std::string message)
    {
        if(!failed_)
        {
            failed_ = true;
            error_.code = code;
            error_.field = path_text();
            error_.message = std::move(message);
            error_.schema = true;
        }
        return false;
    }

    decode_error take_error() { return std::move(error_); }

private:
    struct segment
    {
        std::string_view key; // empty: an array index
        std::size_t index;
    };

    [[nodiscard]] std::string path_text() const
    {
        std::string out;
        for(auto const& s : path_)
        {
            if(s.key.empty())
                out.append("[").append(std::to_string(s.index)).append("]");
            else
            {
                if(!out.empty())
                    out += '.';
                out.append(s.key);
            }
        }
        return out;
    }

    int api_major_;
    bool strict_spec_;
    std::vector<segment> path_;
    decode_error error_;
    bool failed_ = false;
};

// A string rule as the hub's OpenAPI states it: the whole check, then what the validator
// (ajv) reports when it fails. ajv tests maxLength, then minLength, then pattern; an enum
// rule has neither.
struct rule
{
    bool (*check)(std::string_view) noexcept;
    std::size_t min_length = 0; ///< 0: none
    std::size_t max_length = 0; ///< 0: none
    std::string_view pattern;   ///< empty: none (then an enum when no length failed)
};

constexpr std::string_view allowed_values = "must be equal to one of the allowed values";

// The patterns of the hub's OpenAPI (api-snippets, FSPIOP v2.0, used for every version).
constexpr std::string_view date_pattern =
    R"(^(?:[1-9]\d{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:[1-9]\d(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)-02-29)$)";
constexpr std::string_view datetime_pattern =
    R"(^(?:[1-9]\d{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:[1-9]\d(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)-02-29)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:(\.\d{3}))(?:Z|[+-][01]\d:[0-5]\d)$)";
constexpr std::string_view name_pattern =
    R"(^(?!\s*$)[\p{L}\p{gc=Mark}\p{digit}\p{gc=Connector_Punctuation}\p{Join_Control} .,''-]{1,128}$)";

constexpr rule amount_rule{is_amount, 0, 0, R"(^([0]|([1-9][0-9]{0,17}))([.][0-9]{0,3}[1-9])?$)"};
constexpr rule currency_rule{is_currency, 0, 0, {}};
constexpr rule datetime_rule{is_datetime, 0, 0, datetime_pattern};
constexpr rule date_rule{is_date, 0, 0, date_pattern};
constexpr rule fsp_id_rule{is_fsp_id, 1, 32, {}};
constexpr rule identifier_rule{is_party_identifier, 1, 128, {}};
constexpr rule sub_id_rule{is_party_sub_id_or_type, 1, 128, {}};
constexpr rule party_name_rule{is_party_name, 1, 128, {}};
constexpr rule name_rule{is_name, 1, 128, name_pattern};
constexpr rule authentication_value_rule{is_authentication_value, 0, 0, R"(^\d{3,10}$|^\S{1,64}$)"};
constexpr rule mcc_rule{is_merchant_classification_code, 0, 0, R"(^[\d]{1,4}$)"};
constexpr rule error_code_rule{is_error_code, 0, 0, R"(^[1-9]\d{3}$)"};
constexpr rule error_description_rule{is_error_description, 1, 128, {}};
constexpr rule extension_key_rule{is_extension_key, 1, 32, {}};
constexpr rule extension_value_rule{is_extension_value, 1, 128, {}};
constexpr rule ilp_packet_rule{is_ilp_packet, 1, 32768, R"(^[A-Za-z0-9-_]+[=]{0,2}$)"};
constexpr rule condition_rule{is_ilp_condition, 0, 48, R"(^[A-Za-z0-9-_]{43}$)"};
constexpr rule fulfilment_rule{is_ilp_fulfilment, 0, 48, R"(^[A-Za-z0-9-_]{43}$)"};
constexpr rule note_rule{is_note, 1, 128, {}};
constexpr rule refund_reason_rule{is_refund_reason, 1, 128, {}};
constexpr rule sub_scenario_rule{is_transaction_sub_scenario, 0, 0, R"(^[A-Z_]{1,32}$)"};
constexpr rule bop_rule{is_balance_of_payments, 0, 0, R"(^[1-9]\d{2}$)"};
constexpr rule latitude_rule{is_latitude, 0, 0,
                             R"(^(\+|-)?(?:90(?:(?:\.0{1,6})?)|(?:[0-9]|[1-8][0-9])(?:(?:\.[0-9]{1,6})?))$)"};
constexpr rule longitude_rule{is_longitude, 0, 0,
                              R"(^(\+|-)?(?:180(?:(?:\.0{1,6})?)|(?:[0-9]|[1-9][0-9]|1[0-7][0-9])(?:(?:\.[0-9]{1,6})?))$)"};

// What ajv says about a string that breaks `ru`.
std::string violation(rule const& ru, std::string_view text)
{
    auto const n = char_count(text);
    if(ru.max_length && n > ru.max_length)
        return "must NOT have more than " + std::to_string(ru.max_length) + " characters";
    if(ru.min_length && n < ru.min_length)
        return "must NOT have fewer than " + std::to_string(ru.min_length) + " characters";
    if(!ru.pattern.empty())
        return "must match pattern \"" + std::string(ru.pattern) + "\"";
    return std::string(allowed_values);
}

json::object const* object_of(reader& r, json::value const& v)
{
    auto const* o = v.if_object();
    if(!o)
        r.fail(errc::malformed_syntax, "must be object");
    return o;
}

// All required members present? Checked before any member is read, so a missing member is
// reported ahead of an invalid one, as the hub's schema validator does.
bool has_required(reader& r, json::object const& o, std::initializer_list<std::string_view> keys)
{
    for(auto const key : keys)
    {
        if(!o.contains(key))
        {
            r.push(key);
            r.fail(errc::missing_mandatory_element, "must have required property '" + std::string(key) + "'");
            r.pop();
            return false;
        }
    }
    return true;
}

template<class F>
bool required(reader& r, json::object const& o, std::string_view key, F&& read)
{
    auto const* v = o.if_contains(key);
    r.push(key);
    bool const ok = v ? read(*v)
                      : r.fail(errc::missing_mandatory_element, "must have required property '" + std::string(key) + "'");
    r.pop();
    return ok;
}

template<class F>
bool optional(reader& r, json::object const& o, std::string_view key, F&& read)
{
    auto const* v = o.if_contains(key);
    if(!v)
        return true;
    r.push(key);
    bool const ok = read(*v);
    r.pop();
    return ok;
}

bool read_string(reader& r, json::value const& v, std::string& out, rule const& ru)
{
    auto const* s = v.if_string();
    if(!s)
        return r.fail(errc::malformed_syntax, "must be string");
    std::string_view const text(s->data(), s->size());
    if(!ru.check(text))
        return r.fail(errc::generic_validation_error, violation(ru, text));
    out.assign(text.data(), text.size());
    return true;
}

bool read_correlation_id(reader& r, json::value const& v, std::string& out)
{
    auto const* s = v.if_string();
    if(!s)
        return r.fail(errc::malformed_syntax, "must be string");
    std::string_view const text(s->data(), s->size());
    if(!is_correlation_id(text, r.api_major(), r.strict_spec()))
        return r.fail(errc::generic_validation_error,
                      "must match pattern \"" + std::string(correlation_id_pattern(r.api_major(), r.strict_spec())) + "\"");
    out.assign(text.data(), text.size());
    return true;
}

template<fspiop_enum E>
bool read_enum(reader& r, json::value const& v, E& out)
{
    auto const* s = v.if_string();
    if(!s)
        return r.fail(errc::malformed_syntax, "must be string");
    auto const e = from_string<E>(std::string_view(s->data(), s->size()));
    if(!e)
        return r.fail(errc::generic_validation_error, std::string(allowed_values));
    out = *e;
    return true;
}

template<class T, class F>
bool read_array(reader& r, json::value const& v, std::size_t min, std::size_t max, std::vector<T>& out, F&& read_one)
{
    auto const* a = v.if_array();
    if(!a)
        return r.fail(errc::malformed_syntax, "must be array");
    if(a->size() > max)
        return r.fail(errc::generic_validation_error, "must NOT have more than " + std::to_string(max) + " items");
    if(a->size() < min)
        return r.fail(errc::generic_validation_error, "must NOT have fewer than " + std::to_string(min) + " items");
    out.clear();
    out.reserve(a->size());
    for(std::size_t i = 0; i < a->size(); ++i)
    {
        r.push(i);
        bool const ok = read_one((*a)[i], out.emplace_back());
        r.pop();
        if(!ok)
            return false;
    }
    return true;
}

// Callables for required()/optional().
auto str(reader& r, std::string& out, rule const& ru)
{
    return [&r, &out, &ru](json::value const& v) { return read_string(r, v, out, ru); };
}

auto id(reader& r, std::string& out)
{
    return [&r, &out](json::value const& v) { return read_correlation_id(r, v, out); };
}

template<fspiop_enum E>
auto enumeration(reader& r, E& out)
{
    return [&r, &out](json::value const& v) { return read_enum(r, v, out); };
}

bool read(reader& r, json::value const& v, std::vector<extension>& out);
bool read(reader& r, json::value const& v, money& out);
bool read(reader& r, json::value const& v, party_id_info& out);
bool read(reader& r, json::value const& v, party& out);
bool read(reader& r, json::value const& v, error_information& out);
bool read(reader& r, json::value const& v, geo_code& out);
bool read(reader& r, json::value const& v, transaction_type& out);

template<class T>
auto obj(reader& r, T& out)
{
    return [&r, &out](json::value const& v) { return read(r, v, out); };
}

template<class T>
auto obj(reader& r, std::optional<T>& out)
{
    return [&r, &out](json::value const& v) { return read(r, v, out.emplace()); };
}

bool read(reader& r, json::value const& v, std::vector<extension>& out)
{
    auto const* o = object_of(r, v);
    return o && required(r, *o, "extension", [&](json::value const& a) {
               return read_array(r, a, 1, 16, out, [&](json::value const& ev, extension& e) {
                   auto const* eo = object_of(r, ev);
                   return eo && has_required(r, *eo, {"key", "value"}) &&
                          required(r, *eo, "key", str(r, e.key, extension_key_rule)) &&
                          required(r, *eo, "value", str(r, e.value, extension_value_rule));
               });
           });
}

bool read(reader& r, json::value const& v, money& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"currency", "amount"}) &&
           required(r, *o, "currency", str(r, out.currency, currency_rule)) &&
           required(r, *o, "amount", str(r, out.amount, amount_rule));
}

bool read(reader& r, json::value const& v, party_id_info& out)
{
    auto const* o = object_of(r, v);
    if(!(o && has_required(r, *o, {"partyIdType", "partyIdentifier"}) &&
         required(r, *o, "partyIdType", enumeration(r, out.party_id_type)) &&
         required(r, *o, "partyIdentifier", str(r, out.party_identifier, identifier_rule)) &&
         optional(r, *o, "partySubIdOrType", str(r, out.party_sub_id_or_type, sub_id_rule)) &&
         optional(r, *o, "fspId", str(r, out.fsp_id, fsp_id_rule)) &&
         optional(r, *o, "extensionList", obj(r, out.extension_list))))
        return false;
    // With PERSONAL_ID the sub-id carries the kind of document (API Definition 7.5.7).
    // The hub's OpenAPI does not say so: checked only with strict_spec.
    if(r.strict_spec() && out.party_id_type == party_id_type::personal_id && !out.party_sub_id_or_type.empty() &&
       !is_personal_identifier_type(out.party_sub_id_or_type))
    {
        r.push("partySubIdOrType");
        r.fail(errc::generic_validation_error, "must be a PersonalIdentifierType when partyIdType is PERSONAL_ID");
        r.pop();
        return false;
    }
    return true;
}

bool read(reader& r, json::value const& v, party_complex_name& out)
{
    auto const* o = object_of(r, v);
    return o && optional(r, *o, "firstName", str(r, out.first_name, name_rule)) &&
           optional(r, *o, "middleName", str(r, out.middle_name, name_rule)) &&
           optional(r, *o, "lastName", str(r, out.last_name, name_rule));
}

bool read(reader& r, json::value const& v, party_personal_info& out)
{
    auto const* o = object_of(r, v);
    return o && optional(r, *o, "complexName", obj(r, out.complex_name)) &&
           optional(r, *o, "dateOfBirth", str(r, out.date_of_birth, date_rule));
}

bool read(reader& r, json::value const& v, party& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"partyIdInfo"}) && required(r, *o, "partyIdInfo", obj(r, out.party_id_info)) &&
           optional(r, *o, "merchantClassificationCode", str(r, out.merchant_classification_code, mcc_rule)) &&
           optional(r, *o, "name", str(r, out.name, party_name_rule)) &&
           optional(r, *o, "personalInfo", obj(r, out.personal_info));
}

bool read(reader& r, json::value const& v, error_information& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"errorCode", "errorDescription"}) &&
           required(r, *o, "errorCode", str(r, out.error_code, error_code_rule)) &&
           required(r, *o, "errorDescription", str(r, out.error_description, error_description_rule)) &&
           optional(r, *o, "extensionList", obj(r, out.extension_list));
}

bool read(reader& r, json::value const& v, geo_code& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"latitude", "longitude"}) &&
           required(r, *o, "latitude", str(r, out.latitude, latitude_rule)) &&
           required(r, *o, "longitude", str(r, out.longitude, longitude_rule));
}

bool read(reader& r, json::value const& v, refund& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"originalTransactionId"}) &&
           required(r, *o, "originalTransactionId", id(r, out.original_transaction_id)) &&
           optional(r, *o, "refundReason", str(r, out.refund_reason, refund_reason_rule));
}

bool read(reader& r, json::value const& v, transaction_type& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"scenario", "initiator", "initiatorType"}) &&
           required(r, *o, "scenario", enumeration(r, out.scenario)) &&
           optional(r, *o, "subScenario", str(r, out.sub_scenario, sub_scenario_rule)) &&
           required(r, *o, "initiator", enumeration(r, out.initiator)) &&
           required(r, *o, "initiatorType", enumeration(r, out.initiator_type)) &&
           optional(r, *o, "refundInfo", obj(r, out.refund_info)) &&
           optional(r, *o, "balanceOfPayments", str(r, out.balance_of_payments, bop_rule));
}

bool read(reader& r, json::value const& v, error_information_object& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"errorInformation"}) &&
           required(r, *o, "errorInformation", obj(r, out.error_information));
}

bool read(reader& r, json::value const& v, put_parties& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"party"}) && required(r, *o, "party", obj(r, out.party));
}

bool read(reader& r, json::value const& v, post_participants_type_id& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"fspId"}) && required(r, *o, "fspId", str(r, out.fsp_id, fsp_id_rule)) &&
           optional(r, *o, "currency", str(r, out.currency, currency_rule)) &&
           optional(r, *o, "extensionList", obj(r, out.extension_list));
}

bool read(reader& r, json::value const& v, put_participants_type_id& out)
{
    auto const* o = object_of(r, v);
    return o && optional(r, *o, "fspId", str(r, out.fsp_id, fsp_id_rule));
}

bool read(reader& r, json::value const& v, post_participants& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"requestId", "partyList"}) && required(r, *o, "requestId", id(r, out.request_id)) &&
           required(r, *o, "partyList",
                    [&](json::value const& a) {
                        return read_array(r, a, 1, 10000, out.party_list,
                                          [&](json::value const& pv, party_id_info& p) { return read(r, pv, p); });
                    }) &&
           optional(r, *o, "currency", str(r, out.currency, currency_rule));
}

bool read(reader& r, json::value const& v, party_result& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"partyId"}) && required(r, *o, "partyId", obj(r, out.party_id)) &&
           optional(r, *o, "errorInformation", obj(r, out.error_information));
}

bool read(reader& r, json::value const& v, put_participants& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"partyList"}) &&
           required(r, *o, "partyList",
                    [&](json::value const& a) {
                        return read_array(r, a, 1, 10000, out.party_list,
                                          [&](json::value const& pv, party_result& p) { return read(r, pv, p); });
                    }) &&
           optional(r, *o, "currency", str(r, out.currency, currency_rule));
}

bool read(reader& r, json::value const& v, post_quotes& out)
{
    auto const* o = object_of(r, v);
    return o &&
           has_required(r, *o, {"quoteId", "transactionId", "payee", "payer", "amountType", "amount", "transactionType"}) &&
           required(r, *o, "quoteId", id(r, out.quote_id)) &&
           required(r, *o, "transactionId", id(r, out.transaction_id)) &&
           optional(r, *o, "transactionRequestId", id(r, out.transaction_request_id)) &&
           required(r, *o, "payee", obj(r, out.payee)) && required(r, *o, "payer", obj(r, out.payer)) &&
           required(r, *o, "amountType", enumeration(r, out.amount_type)) &&
           required(r, *o, "amount", obj(r, out.amount)) && optional(r, *o, "fees", obj(r, out.fees)) &&
           required(r, *o, "transactionType", obj(r, out.transaction_type)) &&
           optional(r, *o, "geoCode", obj(r, out.geo_code)) &&
           optional(r, *o, "note", str(r, out.note, note_rule)) &&
           optional(r, *o, "expiration", str(r, out.expiration, datetime_rule)) &&
           optional(r, *o, "extensionList", obj(r, out.extension_list));
}

bool read(reader& r, json::value const& v, put_quotes& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"transferAmount", "expiration", "ilpPacket", "condition"}) &&
           required(r, *o, "transferAmount", obj(r, out.transfer_amount)) &&
           optional(r, *o, "payeeReceiveAmount", obj(r, out.payee_receive_amount)) &&
           optional(r, *o, "payeeFspFee", obj(r, out.payee_fsp_fee)) &&
           optional(r, *o, "payeeFspCommission", obj(r, out.payee_fsp_commission)) &&
           required(r, *o, "expiration", str(r, out.expiration, datetime_rule)) &&
           optional(r, *o, "geoCode", obj(r, out.geo_code)) &&
           required(r, *o, "ilpPacket", str(r, out.ilp_packet, ilp_packet_rule)) &&
           required(r, *o, "condition", str(r, out.condition, condition_rule)) &&
           optional(r, *o, "extensionList", obj(r, out.extension_list));
}

bool read(reader& r, json::value const& v, post_transfers& out)
{
    auto const* o = object_of(r, v);
    return o &&
           has_required(r, *o,
                        {"transferId", "payeeFsp", "payerFsp", "amount", "ilpPacket", "condition", "expiration"}) &&
           required(r, *o, "transferId", id(r, out.transfer_id)) &&
           required(r, *o, "payeeFsp", str(r, out.payee_fsp, fsp_id_rule)) &&
           required(r, *o, "payerFsp", str(r, out.payer_fsp, fsp_id_rule)) &&
           required(r, *o, "amount", obj(r, out.amount)) &&
           required(r, *o, "ilpPacket", str(r, out.ilp_packet, ilp_packet_rule)) &&
           required(r, *o, "condition", str(r, out.condition, condition_rule)) &&
           required(r, *o, "expiration", str(r, out.expiration, datetime_rule)) &&
           optional(r, *o, "extensionList", obj(r, out.extension_list));
}

bool read(reader& r, json::value const& v, put_transfers& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"transferState"}) &&
           optional(r, *o, "fulfilment", str(r, out.fulfilment, fulfilment_rule)) &&
           optional(r, *o, "completedTimestamp", str(r, out.completed_timestamp, datetime_rule)) &&
           required(r, *o, "transferState", enumeration(r, out.transfer_state)) &&
           optional(r, *o, "extensionList", obj(r, out.extension_list));
}

bool read(reader& r, json::value const& v, patch_transfers& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"completedTimestamp", "transferState"}) &&
           required(r, *o, "completedTimestamp", str(r, out.completed_timestamp, datetime_rule)) &&
           required(r, *o, "transferState", enumeration(r, out.transfer_state)) &&
           optional(r, *o, "extensionList", obj(r, out.extension_list));
}

bool read(reader& r, json::value const& v, individual_quote& out)
{
    auto const* o = object_of(r, v);
    return o &&
           has_required(r, *o, {"quoteId", "transactionId", "payee", "amountType", "amount", "transactionType"}) &&
           required(r, *o, "quoteId", id(r, out.quote_id)) &&
           required(r, *o, "transactionId", id(r, out.transaction_id)) &&
           required(r, *o, "payee", obj(r, out.payee)) &&
           required(r, *o, "amountType", enumeration(r, out.amount_type)) &&
           required(r, *o, "amount", obj(r, out.amount)) && optional(r, *o, "fees", obj(r, out.fees)) &&
           required(r, *o, "transactionType", obj(r, out.transaction_type)) &&
           optional(r, *o, "note", str(r, out.note, note_rule)) &&
           optional(r, *o, "extensionList", obj(r, out.extension_list));
}

bool read(reader& r, json::value const& v, post_bulk_quotes& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"bulkQuoteId", "payer", "individualQuotes"}) &&
           required(r, *o, "bulkQuoteId", id(r, out.bulk_quote_id)) && required(r, *o, "payer", obj(r, out.payer)) &&
           optional(r, *o, "geoCode", obj(r, out.geo_code)) &&
           optional(r, *o, "expiration", str(r, out.expiration, datetime_rule)) &&
           required(r, *o, "individualQuotes",
                    [&](json::value const& a) {
                        return read_array(r, a, 1, 1000, out.individual_quotes,
                                          [&](json::value const& qv, individual_quote& q) { return read(r, qv, q); });
                    }) &&
           optional(r, *o, "extensionList", obj(r, out.extension_list));
}

bool read(reader& r, json::value const& v, individual_quote_result& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"quoteId"}) && required(r, *o, "quoteId", id(r, out.quote_id)) &&
           optional(r, *o, "payee", obj(r, out.payee)) &&
           optional(r, *o, "transferAmount", obj(r, out.transfer_amount)) &&
           optional(r, *o, "payeeReceiveAmount", obj(r, out.payee_receive_amount)) &&
           optional(r, *o, "payeeFspFee", obj(r, out.payee_fsp_fee)) &&
           optional(r, *o, "payeeFspCommission", obj(r, out.payee_fsp_commission)) &&
           optional(r, *o, "ilpPacket", str(r, out.ilp_packet, ilp_packet_rule)) &&
           optional(r, *o, "condition", str(r, out.condition, condition_rule)) &&
           optional(r, *o, "errorInformation", obj(r, out.error_information)) &&
           optional(r, *o, "extensionList", obj(r, out.extension_list));
}

bool read(reader& r, json::value const& v, put_bulk_quotes& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"expiration"}) &&
           optional(r, *o, "individualQuoteResults",
                    [&](json::value const& a) {
                        return read_array(r, a, 0, 1000, out.individual_quote_results,
                                          [&](json::value const& qv, individual_quote_result& q) {
                                              return read(r, qv, q);
                                          });
                    }) &&
           required(r, *o, "expiration", str(r, out.expiration, datetime_rule)) &&
           optional(r, *o, "extensionList", obj(r, out.extension_list));
}

bool read(reader& r, json::value const& v, individual_transfer& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"transferId", "transferAmount", "ilpPacket", "condition"}) &&
           required(r, *o, "transferId", id(r, out.transfer_id)) &&
           required(r, *o, "transferAmount", obj(r, out.transfer_amount)) &&
           required(r, *o, "ilpPacket", str(r, out.ilp_packet, ilp_packet_rule)) &&
           required(r, *o, "condition", str(r, out.condition, condition_rule)) &&
           optional(r, *o, "extensionList", obj(r, out.extension_list));
}

bool read(reader& r, json::value const& v, post_bulk_transfers& out)
{
    auto const* o = object_of(r, v);
    return o &&
           has_required(r, *o,
                        {"bulkTransferId", "bulkQuoteId", "payerFsp", "payeeFsp", "individualTransfers", "expiration"}) &&
           required(r, *o, "bulkTransferId", id(r, out.bulk_transfer_id)) &&
           required(r, *o, "bulkQuoteId", id(r, out.bulk_quote_id)) &&
           required(r, *o, "payerFsp", str(r, out.payer_fsp, fsp_id_rule)) &&
           required(r, *o, "payeeFsp", str(r, out.payee_fsp, fsp_id_rule)) &&
           required(r, *o, "individualTransfers",
                    [&](json::value const& a) {
                        return read_array(r, a, 1, 1000, out.individual_transfers,
                                          [&](json::value const& tv, individual_transfer& t) { return read(r, tv, t); });
                    }) &&
           required(r, *o, "expiration", str(r, out.expiration, datetime_rule)) &&
           optional(r, *o, "extensionList", obj(r, out.extension_list));
}

bool read(reader& r, json::value const& v, individual_transfer_result& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"transferId"}) && required(r, *o, "transferId", id(r, out.transfer_id)) &&
           optional(r, *o, "fulfilment", str(r, out.fulfilment, fulfilment_rule)) &&
           optional(r, *o, "errorInformation", obj(r, out.error_information)) &&
           optional(r, *o, "extensionList", obj(r, out.extension_list));
}

bool read(reader& r, json::value const& v, put_bulk_transfers& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"bulkTransferState"}) &&
           optional(r, *o, "completedTimestamp", str(r, out.completed_timestamp, datetime_rule)) &&
           optional(r, *o, "individualTransferResults",
                    [&](json::value const& a) {
                        return read_array(r, a, 0, 1000, out.individual_transfer_results,
                                          [&](json::value const& tv, individual_transfer_result& t) {
                                              return read(r, tv, t);
                                          });
                    }) &&
           required(r, *o, "bulkTransferState", enumeration(r, out.bulk_transfer_state)) &&
           optional(r, *o, "extensionList", obj(r, out.extension_list));
}

bool read(reader& r, json::value const& v, post_transaction_requests& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"transactionRequestId", "payee", "payer", "amount", "transactionType"}) &&
           required(r, *o, "transactionRequestId", id(r, out.transaction_request_id)) &&
           required(r, *o, "payee", obj(r, out.payee)) && required(r, *o, "payer", obj(r, out.payer)) &&
           required(r, *o, "amount", obj(r, out.amount)) &&
           required(r, *o, "transactionType", obj(r, out.transaction_type)) &&
           optional(r, *o, "note", str(r, out.note, note_rule)) &&
           optional(r, *o, "geoCode", obj(r, out.geo_code)) &&
           optional(r, *o, "authenticationType",
                    [&](json::value const& e) {
                        return read_enum(r, e, out.authentication_type.emplace());
                    }) &&
           optional(r, *o, "expiration", str(r, out.expiration, datetime_rule)) &&
           optional(r, *o, "extensionList", obj(r, out.extension_list));
}

bool read(reader& r, json::value const& v, put_transaction_requests& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"transactionRequestState"}) &&
           optional(r, *o, "transactionId", id(r, out.transaction_id)) &&
           required(r, *o, "transactionRequestState", enumeration(r, out.transaction_request_state)) &&
           optional(r, *o, "extensionList", obj(r, out.extension_list));
}

bool read(reader& r, json::value const& v, authentication_info& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"authentication", "authenticationValue"}) &&
           required(r, *o, "authentication", enumeration(r, out.authentication)) &&
           required(r, *o, "authenticationValue", str(r, out.authentication_value, authentication_value_rule));
}

bool read(reader& r, json::value const& v, put_authorizations& out)
{
    auto const* o = object_of(r, v);
    return o && has_required(r, *o, {"responseType"}) &&
           optional(r, *o, "authenticationInfo", obj(r, out.authentication_info)) &&
           required(r, *o, "responseType", enumeration(r, out.response_type));
}

bool read(reader& r, json::value const& v, transaction& out)
{
    auto const* o = object_of(r, v);
    return o &&
           has_required(r, *o, {"transactionId", "quoteId", "payee", "payer", "amount", "transactionType"}) &&
           required(r, *o, "transactionId", id(r, out.transaction_id)) &&
           required(r, *o, "quoteId", id(r, out.quote_id)) && required(r, *o, "payee", obj(r, out.payee)) &&
           required(r, *o, "payer", obj(r, out.payer)) && required(r, *o, "amount", obj(r, out.amount)) &&
           required(r, *o, "transactionType", obj(r, out.transaction_type)) &&
           optional(r, *o, "note", str(r, out.note, note_rule)) &&
           optional(r, *o, "expiration", str(r, out.expiration, datetime_rule)) &&
           optional(r, *o, "extensionList", obj(r, out.extension_list));
}

// ---------------------------------------------------------------------------------------
// Encoding

using core::json_writer;

void write(json_writer& w, std::vector<extension> const& list)
{
    w.begin_object();
    w.begin_array("extension");
    for(auto const& e : list)
    {
        w.begin_object();
        w.member("key", e.key);
        w.member("value", e.value);
        w.end_object();
    }
    w.end_array();
    w.end_object();
}

void write_extensions(json_writer& w, std::vector<extension> const& list)
{
    if(list.empty())
        return;
    w.key("extensionList");
    write(w, list);
}

void write(json_writer& w, money const& m)
{
    w.begin_object();
    w.member("currency", m.currency);
    w.member("amount", m.amount);
    w.end_object();
}

void write(json_writer& w, party_id_info const& p)
{
    w.begin_object();
    w.member("partyIdType", to_string(p.party_id_type));
    w.member("partyIdentifier", p.party_identifier);
    w.optional_member("partySubIdOrType", p.party_sub_id_or_type);
    w.optional_member("fspId", p.fsp_id);
    write_extensions(w, p.extension_list);
    w.end_object();
}

void write(json_writer& w, party_complex_name const& n)
{
    w.begin_object();
    w.optional_member("firstName", n.first_name);
    w.optional_member("middleName", n.middle_name);
    w.optional_member("lastName", n.last_name);
    w.end_object();
}

void write(json_writer& w, party_personal_info const& p);
void write(json_writer& w, party const& p);
void write(json_writer& w, error_information const& e);
void write(json_writer& w, geo_code const& g);
void write(json_writer& w, refund const& x);
void write(json_writer& w, transaction_type const& t);

// key + value for an optional object.
template<class T>
void write_optional(json_writer& w, std::string_view key, std::optional<T> const& x)
{
    if(!x)
        return;
    w.key(key);
    write(w, *x);
}

template<class T>
void write_member(json_writer& w, std::string_view key, T const& x)
{
    w.key(key);
    write(w, x);
}

void write(json_writer& w, party_personal_info const& p)
{
    w.begin_object();
    write_optional(w, "complexName", p.complex_name);
    w.optional_member("dateOfBirth", p.date_of_birth);
    w.end_object();
}

void write(json_writer& w, party const& p)
{
    w.begin_object();
    write_member(w, "partyIdInfo", p.party_id_info);
    w.optional_member("merchantClassificationCode", p.merchant_classification_code);
    w.optional_member("name", p.name);
    write_optional(w, "personalInfo", p.personal_info);
    w.end_object();
}

void write(json_writer& w, error_information const& e)
{
    w.begin_object();
    w.member("errorCode", e.error_code);
    w.member("errorDescription", e.error_description);
    write_extensions(w, e.extension_list);
    w.end_object();
}

void write(json_writer& w, geo_code const& g)
{
    w.begin_object();
    w.member("latitude", g.latitude);
    w.member("longitude", g.longitude);
    w.end_object();
}

void write(json_writer& w, refund const& x)
{
    w.begin_object();
    w.member("originalTransactionId", x.original_transaction_id);
    w.optional_member("refundReason", x.refund_reason);
    w.end_object();
}

void write(json_writer& w, transaction_type const& t)
{
    w.begin_object();
    w.member("scenario", to_string(t.scenario));
    w.optional_member("subScenario", t.sub_scenario);
    w.member("initiator", to_string(t.initiator));
    w.member("initiatorType", to_string(t.initiator_type));
    write_optional(w, "refundInfo", t.refund_info);
    w.optional_member("balanceOfPayments", t.balance_of_payments);
    w.end_object();
}

void write(json_writer& w, party_result const& p)
{
    w.begin_object();
    write_member(w, "partyId", p.party_id);
    write_optional(w, "errorInformation", p.error_information);
    w.end_object();
}

void write(json_writer& w, individual_quote const& q)
{
    w.begin_object();
    w.member("quoteId", q.quote_id);
    w.member("transactionId", q.transaction_id);
    write_member(w, "payee", q.payee);
    w.member("amountType", to_string(q.amount_type));
    write_member(w, "amount", q.amount);
    write_optional(w, "fees", q.fees);
    write_member(w, "transactionType", q.transaction_type);
    w.optional_member("note", q.note);
    write_extensions(w, q.extension_list);
    w.end_object();
}

void write(json_writer& w, individual_quote_result const& q)
{
    w.begin_object();
    w.member("quoteId", q.quote_id);
    write_optional(w, "payee", q.payee);
    write_optional(w, "transferAmount", q.transfer_amount);
    write_optional(w, "payeeReceiveAmount", q.payee_receive_amount);
    write_optional(w, "payeeFspFee", q.payee_fsp_fee);
    write_optional(w, "payeeFspCommission", q.payee_fsp_commission);
    w.optional_member("ilpPacket", q.ilp_packet);
    w.optional_member("condition", q.condition);
    write_optional(w, "errorInformation", q.error_information);
    write_extensions(w, q.extension_list);
    w.end_object();
}

void write(json_writer& w, individual_transfer const& t)
{
    w.begin_object();
    w.member("transferId", t.transfer_id);
    write_member(w, "transferAmount", t.transfer_amount);
    w.member("ilpPacket", t.ilp_packet);
    w.member("condition", t.condition);
    write_extensions(w, t.extension_list);
    w.end_object();
}

void write(json_writer& w, individual_transfer_result const& t)
{
    w.begin_object();
    w.member("transferId", t.transfer_id);
    w.optional_member("fulfilment", t.fulfilment);
    write_optional(w, "errorInformation", t.error_information);
    write_extensions(w, t.extension_list);
    w.end_object();
}

// An array member; omitted when empty and the member is optional.
template<class T>
void write_array(json_writer& w, std::string_view key, std::vector<T> const& items, bool omit_empty)
{
    if(omit_empty && items.empty())
        return;
    w.begin_array(key);
    for(auto const& x : items)
        write(w, x);
    w.end_array();
}

// Run `body` against a writer whose buffer starts at `estimate` bytes; the text written.
template<class F>
std::string build(std::size_t estimate, F&& body)
{
    json_writer w(estimate);
    body(w);
    return std::move(w).finish();
}

std::size_t extensions_size(std::vector<extension> const& list) noexcept
{
    return list.size() * 48;
}

} // namespace

// ---------------------------------------------------------------------------------------
// Public entry points

template<class T>
decode_result<T> decode_parsed(json::value const& body, int api_major, bool strict_spec)
{
    reader r(api_major, strict_spec);
    T out;
    if(read(r, body, out))
        return out;
    return r.take_error();
}

template<class T>
decode_result<T> decode(std::string_view body, int api_major, bool strict_spec)
{
    // Most bodies fit the stack buffer; the DOM is thrown away once the fields are copied.
    unsigned char buffer[4096];
    json::monotonic_resource mr(buffer, sizeof buffer);
    boost::system::error_code ec;
    json::value const v = json::parse(json::string_view(body.data(), body.size()), ec, &mr);
    if(ec)
        return decode_error{errc::malformed_syntax, {}, "is not valid JSON: " + ec.message(), true};
    return decode_parsed<T>(v, api_major, strict_spec);
}

#define MOJASIM_FSPIOP_DECODABLE(T)                                                                           \
    template decode_result<T> decode<T>(std::string_view, int, bool);                                          \
    template decode_result<T> decode_parsed<T>(boost::json::value const&, int, bool);
MOJASIM_FSPIOP_DECODABLE_TYPES(MOJASIM_FSPIOP_DECODABLE)
#undef MOJASIM_FSPIOP_DECODABLE

std::string encode(money const& x)
{
    return build(64, [&](json_writer& w) { write(w, x); });
}

std::string encode(party_id_info const& x)
{
    return build(128 + extensions_size(x.extension_list), [&](json_writer& w) { write(w, x); });
}

std::string encode(party const& x)
{
    return build(256, [&](json_writer& w) { write(w, x); });
}

std::string encode(error_information const& x)
{
    return build(128 + extensions_size(x.extension_list), [&](json_writer& w) { write(w, x); });
}

std::string encode(error_information_object const& x)
{
    return build(160 + extensions_size(x.error_information.extension_list), [&](json_writer& w) {
        w.begin_object();
        write_member(w, "errorInformation", x.error_information);
        w.end_object();
    });
}

std::string encode(put_parties const& x)
{
    return build(320, [&](json_writer& w) {
        w.begin_object();
        write_member(w, "party", x.party);
        w.end_object();
    });
}

std::string encode(post_participants_type_id const& x)
{
    return build(64 + extensions_size(x.extension_list), [&](json_writer& w) {
        w.begin_object();
        w.member("fspId", x.fsp_id);
        w.optional_member("currency", x.currency);
        write_extensions(w, x.extension_list);
        w.end_object();
    });
}

std::string encode(put_participants_type_id const& x)
{
    return build(48, [&](json_writer& w) {
        w.begin_object();
        w.optional_member("fspId", x.fsp_id);
        w.end_object();
    });
}

std::string encode(post_participants const& x)
{
    return build(96 + x.party_list.size() * 96, [&](json_writer& w) {
        w.begin_object();
        w.member("requestId", x.request_id);
        write_array(w, "partyList", x.party_list, false);
        w.optional_member("currency", x.currency);
        w.end_object();
    });
}

std::string encode(put_participants const& x)
{
    return build(64 + x.party_list.size() * 112, [&](json_writer& w) {
        w.begin_object();
        write_array(w, "partyList", x.party_list, false);
        w.optional_member("currency", x.currency);
        w.end_object();
    });
}

std::string encode(post_quotes const& x)
{
    return build(768 + extensions_size(x.extension_list), [&](json_writer& w) {
        w.begin_object();
        w.member("quoteId", x.quote_id);
        w.member("transactionId", x.transaction_id);
        w.optional_member("transactionRequestId", x.transaction_request_id);
        write_member(w, "payee", x.payee);
        write_member(w, "payer", x.payer);
        w.member("amountType", to_string(x.amount_type));
        write_member(w, "amount", x.amount);
        write_optional(w, "fees", x.fees);
        write_member(w, "transactionType", x.transaction_type);
        write_optional(w, "geoCode", x.geo_code);
        w.optional_member("note", x.note);
        w.optional_member("expiration", x.expiration);
        write_extensions(w, x.extension_list);
        w.end_object();
    });
}

std::string encode(put_quotes const& x)
{
    return build(384 + x.ilp_packet.size() + extensions_size(x.extension_list), [&](json_writer& w) {
        w.begin_object();
        write_member(w, "transferAmount", x.transfer_amount);
        write_optional(w, "payeeReceiveAmount", x.payee_receive_amount);
        write_optional(w, "payeeFspFee", x.payee_fsp_fee);
        write_optional(w, "payeeFspCommission", x.payee_fsp_commission);
        w.member("expiration", x.expiration);
        write_optional(w, "geoCode", x.geo_code);
        w.member("ilpPacket", x.ilp_packet);
        w.member("condition", x.condition);
        write_extensions(w, x.extension_list);
        w.end_object();
    });
}

std::string encode(post_transfers const& x)
{
    return build(320 + x.ilp_packet.size() + extensions_size(x.extension_list), [&](json_writer& w) {
        w.begin_object();
        w.member("transferId", x.transfer_id);
        w.member("payeeFsp", x.payee_fsp);
        w.member("payerFsp", x.payer_fsp);
        write_member(w, "amount", x.amount);
        w.member("ilpPacket", x.ilp_packet);
        w.member("condition", x.condition);
        w.member("expiration", x.expiration);
        write_extensions(w, x.extension_list);
        w.end_object();
    });
}

std::string encode(put_transfers const& x)
{
    return build(160 + extensions_size(x.extension_list), [&](json_writer& w) {
        w.begin_object();
        w.optional_member("fulfilment", x.fulfilment);
        w.optional_member("completedTimestamp", x.completed_timestamp);
        w.member("transferState", to_string(x.transfer_state));
        write_extensions(w, x.extension_list);
        w.end_object();
    });
}

std::string encode(patch_transfers const& x)
{
    return build(96 + extensions_size(x.extension_list), [&](json_writer& w) {
        w.begin_object();
        w.member("completedTimestamp", x.completed_timestamp);
        w.member("transferState", to_string(x.transfer_state));
        write_extensions(w, x.extension_list);
        w.end_object();
    });
}

std::string encode(post_bulk_quotes const& x)
{
    return build(384 + x.individual_quotes.size() * 512, [&](json_writer& w) {
        w.begin_object();
        w.member("bulkQuoteId", x.bulk_quote_id);
        write_member(w, "payer", x.payer);
        write_optional(w, "geoCode", x.geo_code);
        w.optional_member("expiration", x.expiration);
        write_array(w, "individualQuotes", x.individual_quotes, false);
        write_extensions(w, x.extension_list);
        w.end_object();
    });
}

std::string encode(put_bulk_quotes const& x)
{
    std::size_t packets = 0;
    for(auto const& q : x.individual_quote_results)
        packets += q.ilp_packet.size();
    return build(128 + packets + x.individual_quote_results.size() * 384, [&](json_writer& w) {
        w.begin_object();
        write_array(w, "individualQuoteResults", x.individual_quote_results, true);
        w.member("expiration", x.expiration);
        write_extensions(w, x.extension_list);
        w.end_object();
    });
}

std::string encode(post_bulk_transfers const& x)
{
    std::size_t packets = 0;
    for(auto const& t : x.individual_transfers)
        packets += t.ilp_packet.size();
    return build(256 + packets + x.individual_transfers.size() * 192, [&](json_writer& w) {
        w.begin_object();
        w.member("bulkTransferId", x.bulk_transfer_id);
        w.member("bulkQuoteId", x.bulk_quote_id);
        w.member("payerFsp", x.payer_fsp);
        w.member("payeeFsp", x.payee_fsp);
        write_array(w, "individualTransfers", x.individual_transfers, false);
        w.member("expiration", x.expiration);
        write_extensions(w, x.extension_list);
        w.end_object();
    });
}

std::string encode(put_bulk_transfers const& x)
{
    return build(128 + x.individual_transfer_results.size() * 128, [&](json_writer& w) {
        w.begin_object();
        w.optional_member("completedTimestamp", x.completed_timestamp);
        write_array(w, "individualTransferResults", x.individual_transfer_results, true);
        w.member("bulkTransferState", to_string(x.bulk_transfer_state));
        write_extensions(w, x.extension_list);
        w.end_object();
    });
}

std::string encode(post_transaction_requests const& x)
{
    return build(640 + extensions_size(x.extension_list), [&](json_writer& w) {
        w.begin_object();
        w.member("transactionRequestId", x.transaction_request_id);
        write_member(w, "payee", x.payee);
        write_member(w, "payer", x.payer);
        write_member(w, "amount", x.amount);
        write_member(w, "transactionType", x.transaction_type);
        w.optional_member("note", x.note);
        write_optional(w, "geoCode", x.geo_code);
        if(x.authentication_type)
            w.member("authenticationType", to_string(*x.authentication_type));
        w.optional_member("expiration", x.expiration);
        write_extensions(w, x.extension_list);
        w.end_object();
    });
}

std::string encode(put_transaction_requests const& x)
{
    return build(128 + extensions_size(x.extension_list), [&](json_writer& w) {
        w.begin_object();
        w.optional_member("transactionId", x.transaction_id);
        w.member("transactionRequestState", to_string(x.transaction_request_state));
        write_extensions(w, x.extension_list);
        w.end_object();
    });
}

std::string encode(put_authorizations const& x)
{
    return build(160, [&](json_writer& w) {
        w.begin_object();
        if(x.authentication_info)
        {
            w.key("authenticationInfo").begin_object();
            w.member("authentication", to_string(x.authentication_info->authentication));
            w.member("authenticationValue", x.authentication_info->authentication_value);
            w.end_object();
        }
        w.member("responseType", to_string(x.response_type));
        w.end_object();
    });
}

std::string encode(transaction const& x)
{
    return build(768 + extensions_size(x.extension_list), [&](json_writer& w) {
        w.begin_object();
        w.member("quoteId", x.quote_id);
        w.member("transactionId", x.transaction_id);
        write_member(w, "transactionType", x.transaction_type);
        write_member(w, "payee", x.payee);
        write_member(w, "payer", x.payer);
        w.optional_member("expiration", x.expiration);
        write_member(w, "amount", x.amount);
        w.optional_member("note", x.note);
        write_extensions(w, x.extension_list);
        w.end_object();
    });
}

} // namespace mojasim::fspiop
