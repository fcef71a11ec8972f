#include "simulator/connector/codec.hpp"

#include "simulator/connector/detail/wire_names.hpp"
#include "simulator/core/clock.hpp"
#include "simulator/core/json_writer.hpp"
#include "simulator/fspiop/validate.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>

namespace mojasim::connector {

namespace json = boost::json;

namespace {

// The enumerations' wire names and their lookup (connector/detail/wire_names.hpp).
using namespace detail;

json::string_view jv(std::string_view s) noexcept { return {s.data(), s.size()}; }

/// The members of a PUT /transfers/{transferId} body, by transfer_continuation::kind.
constexpr std::array<std::string_view, 4> continuation_names{
    "acceptParty", "acceptQuote", "acceptConversion", "acceptQuoteOrConversion"};

template<std::size_t N>
std::string one_of(std::array<std::string_view, N> const& names)
{
    std::string s = "must be one of ";
    for(std::size_t i = 0; i < N; ++i)
    {
        if(i != 0)
            s += ", ";
        s += names[i];
    }
    return s;
}

} // namespace

//------------------------------------------------------------------------------
// Encoding as a JSON value

json::value to_json(error_information const& v)
{
    json::object o;
    o.emplace("errorCode", jv(v.error_code));
    o.emplace("errorDescription", jv(v.error_description));
    if(v.extension_list)
    {
        json::array a;
        a.reserve(v.extension_list->size());
        for(auto const& e : *v.extension_list)
        {
            json::object x;
            x.emplace("key", jv(e.key));
            x.emplace("value", jv(e.value));
            a.emplace_back(std::move(x));
        }
        json::object list;
        list.emplace("extension", std::move(a));
        o.emplace("extensionList", std::move(list));
    }
    return o;
}

//------------------------------------------------------------------------------
// Encoding as text: written member by member into one string, no DOM. The output is byte
// for byte what serializing a DOM built member by member gives (same order, omissions,
// escapes and numbers), which tests/unit/connector checks against such a DOM over a corpus
// of values.

namespace {

using core::json_writer;

// Size estimates for the writer's buffer: the text of every string plus room for its key
// and quotes. The writer zero-fills its buffer at this size, so estimates stay near the real
// size; text that outgrows one (many escapes) doubles the buffer.

std::size_t estimate(std::optional<std::string> const& s) noexcept { return s ? s->size() + 32 : 0; }

std::size_t estimate(extension_list const& list) noexcept
{
    std::size_t n = 24;
    for(auto const& e : list)
        n += e.key.size() + e.value.size() + 24;
    return n;
}

std::size_t estimate(std::optional<extension_list> const& list) noexcept { return list ? estimate(*list) : 0; }

std::size_t estimate(header_list const& h) noexcept
{
    std::size_t n = 16;
    for(auto const& [name, value] : h)
        n += name.size() + value.size() + 6;
    return n;
}

std::size_t estimate(transfer_party const& p) noexcept
{
    std::size_t n = 64 + p.id_value.size() + estimate(p.id_sub_value) + estimate(p.display_name)
                    + estimate(p.first_name) + estimate(p.middle_name) + estimate(p.last_name)
                    + estimate(p.date_of_birth) + estimate(p.merchant_classification_code) + estimate(p.fsp_id)
                    + estimate(p.kyc_information) + estimate(p.extension_list);
    if(p.supported_currencies)
        n += 32 + 6 * p.supported_currencies->size();
    return n;
}

std::size_t estimate(error_information const& e) noexcept
{
    return 64 + e.error_code.size() + e.error_description.size() + estimate(e.extension_list);
}

std::size_t estimate(fulfil_response const& f) noexcept
{
    return 96 + estimate(f.body.fulfilment) + estimate(f.body.completed_timestamp) + estimate(f.body.extension_list)
           + estimate(f.headers);
}

std::size_t estimate(transfer_response const& v) noexcept
{
    std::size_t n = 256 + estimate(v.transfer_id) + v.home_transaction_id.size() + estimate(v.from) + estimate(v.to)
                    + v.transaction_type.size() + estimate(v.sub_scenario) + estimate(v.note) + estimate(v.quote_id)
                    + estimate(v.quote_response_source);
    if(v.get_parties_response)
    {
        auto const& g = *v.get_parties_response;
        n += 64 + estimate(g.headers);
        if(g.party)
        {
            auto const& p = *g.party;
            n += 192 + p.party_id_info.party_identifier.size() + estimate(p.party_id_info.party_sub_id_or_type)
                 + estimate(p.party_id_info.fsp_id) + estimate(p.party_id_info.extension_list)
                 + estimate(p.merchant_classification_code) + estimate(p.name);
            if(p.personal_info)
            {
                n += 96 + estimate(p.personal_info->date_of_birth) + estimate(p.personal_info->kyc_information);
                if(auto const& cn = p.personal_info->complex_name)
                    n += estimate(cn->first_name) + estimate(cn->middle_name) + estimate(cn->last_name);
            }
            if(p.supported_currencies)
                n += 32 + 6 * p.supported_currencies->size();
        }
        if(g.error_information)
            n += estimate(*g.error_information);
    }
    if(v.quote_response)
    {
        auto const& q = v.quote_response->body;
        n += 320 + q.expiration.size() + q.ilp_packet.size() + q.condition.size() + estimate(q.extension_list)
             + estimate(v.quote_response->headers);
        if(q.geo_code)
            n += 48 + q.geo_code->latitude.size() + q.geo_code->longitude.size();
    }
    if(v.fulfil)
        n += estimate(*v.fulfil);
    if(v.last_error)
    {
        n += 64;
        if(auto const* e = v.mojaloop_error_information())
            n += estimate(*e);
    }
    return n;
}

void write_extensions(json_writer& w, extension_list const& list)
{
    w.begin_array();
    for(auto const& e : list)
    {
        w.begin_object();
        w.member("key", e.key);
        w.member("value", e.value);
        w.end_object();
    }
    w.end_array();
}

/// ExtensionList_v2_1_0: {"extension":[...]}.
void write_extension_object(json_writer& w, std::string_view k, extension_list const& list)
{
    w.begin_object(k);
    w.key("extension");
    write_extensions(w, list);
    w.end_object();
}

void write_money(json_writer& w, std::string_view k, money const& m)
{
    w.begin_object(k);
    w.member("currency", m.currency);
    w.member("amount", m.amount.to_string());
    w.end_object();
}

void write_strings(json_writer& w, std::string_view k, std::vector<std::string> const& v)
{
    w.begin_array(k);
    for(auto const& s : v)
        w.string(s);
    w.end_array();
}

/// Header fields as an object. A JSON object has one member per name, so a repeated name
/// is written once, at its first position, with its last value (as an object assigned
/// field by field holds it).
void write_headers(json_writer& w, std::string_view k, header_list const& h)
{
    w.begin_object(k);
    for(std::size_t i = 0; i < h.size(); ++i)
    {
        auto const& name = h[i].first;
        bool repeated = false;
        for(std::size_t j = 0; j < i && !repeated; ++j)
            repeated = h[j].first == name;
        if(repeated)
            continue;
        std::string const* value = &h[i].second;
        for(std::size_t j = i + 1; j < h.size(); ++j)
            if(h[j].first == name)
                value = &h[j].second;
        w.any_key(name);
        w.string(*value);
    }
    w.end_object();
}

void write_error_information(json_writer& w, error_information const& v)
{
    w.begin_object();
    w.member("errorCode", v.error_code);
    w.member("errorDescription", v.error_description);
    if(v.extension_list)
        write_extension_object(w, "extensionList", *v.extension_list);
    w.end_object();
}

void write_party(json_writer& w, transfer_party const& p)
{
    w.begin_object();
    if(p.type)
        w.member("type", to_string(*p.type));
    w.member("idType", to_string(p.id_type));
    w.member("idValue", p.id_value);
    w.optional_member("idSubValue", p.id_sub_value);
    w.optional_member("displayName", p.display_name);
    w.optional_member("firstName", p.first_name);
    w.optional_member("middleName", p.middle_name);
    w.optional_member("lastName", p.last_name);
    w.optional_member("dateOfBirth", p.date_of_birth);
    w.optional_member("merchantClassificationCode", p.merchant_classification_code);
    w.optional_member("fspId", p.fsp_id);
    if(p.supported_currencies)
        write_strings(w, "supportedCurrencies", *p.supported_currencies);
    w.optional_member("kycInformation", p.kyc_information);
    if(p.extension_list)
    {
        w.key("extensionList");
        write_extensions(w, *p.extension_list);
    }
    w.end_object();
}

void write_party_object(json_writer& w, std::string_view key, party const& p);

void write_parties_party(json_writer& w, party const& p)
{
    write_party_object(w, "party", p);
}

void write_party_object(json_writer& w, std::string_view key, party const& p)
{
    w.begin_object(key);
    w.begin_object("partyIdInfo");
    w.member("partyIdType", to_string(p.party_id_info.party_id_type));
    w.member("partyIdentifier", p.party_id_info.party_identifier);
    w.optional_member("partySubIdOrType", p.party_id_info.party_sub_id_or_type);
    w.optional_member("fspId", p.party_id_info.fsp_id);
    if(p.party_id_info.extension_list)
        write_extension_object(w, "extensionList", *p.party_id_info.extension_list);
    w.end_object();
    w.optional_member("merchantClassificationCode", p.merchant_classification_code);
    w.optional_member("name", p.name);
    if(p.personal_info)
    {
        w.begin_object("personalInfo");
        if(auto const& cn = p.personal_info->complex_name)
        {
            w.begin_object("complexName");
            w.optional_member("firstName", cn->first_name);
            w.optional_member("middleName", cn->middle_name);
            w.optional_member("lastName", cn->last_name);
            w.end_object();
        }
        w.optional_member("dateOfBirth", p.personal_info->date_of_birth);
        w.optional_member("kycInformation", p.personal_info->kyc_information);
        w.end_object();
    }
    if(p.supported_currencies)
        write_strings(w, "supportedCurrencies", *p.supported_currencies);
    w.end_object();
}

void write_quote_body(json_writer& w, quote_response_body const& q)
{
    w.begin_object("body");
    write_money(w, "transferAmount", q.transfer_amount);
    if(q.payee_receive_amount)
        write_money(w, "payeeReceiveAmount", *q.payee_receive_amount);
    if(q.payee_fsp_fee)
        write_money(w, "payeeFspFee", *q.payee_fsp_fee);
    if(q.payee_fsp_commission)
        write_money(w, "payeeFspCommission", *q.payee_fsp_commission);
    w.member("expiration", q.expiration);
    if(q.geo_code)
    {
        w.begin_object("geoCode");
        w.member("latitude", q.geo_code->latitude);
        w.member("longitude", q.geo_code->longitude);
        w.end_object();
    }
    w.member("ilpPacket", q.ilp_packet);
    w.member("condition", q.condition);
    if(q.extension_list)
        write_extension_object(w, "extensionList", *q.extension_list);
    w.end_object();
}

void write_fulfil(json_writer& w, fulfil_response const& f)
{
    w.begin_object("fulfil");
    w.begin_object("body");
    w.optional_member("fulfilment", f.body.fulfilment);
    w.optional_member("completedTimestamp", f.body.completed_timestamp);
    w.member("transferState", to_string(f.body.transfer_state));
    if(f.body.extension_list)
        write_extension_object(w, "extensionList", *f.body.extension_list);
    w.end_object();
    write_headers(w, "headers", f.headers);
    w.end_object();
}

/// The members a transfer request and its response share, homeTransactionId to note.
template<class Transfer>
void write_transfer_terms(json_writer& w, Transfer const& v)
{
    w.member("homeTransactionId", v.home_transaction_id);
    w.key("from");
    write_party(w, v.from);
    w.key("to");
    write_party(w, v.to);
    w.member("amountType", to_string(v.amount_type));
    w.member("currency", v.currency);
    w.member("amount", v.amount.to_string());
    w.member("transactionType", v.transaction_type);
    w.optional_member("subScenario", v.sub_scenario);
    w.optional_member("note", v.note);
}

void write_last_error(json_writer& w, transfer_error const& e)
{
    w.begin_object("lastError");
    if(e.http_status_code)
    {
        w.key("httpStatusCode");
        w.integer(*e.http_status_code);
    }
    if(e.mojaloop_error)
    {
        w.begin_object("mojaloopError");
        if(e.mojaloop_error->error_information)
        {
            w.key("errorInformation");
            write_error_information(w, *e.mojaloop_error->error_information);
        }
        w.end_object();
    }
    w.end_object();
}

void write_transfer_response(json_writer& w, transfer_response const& v)
{
    w.begin_object();
    w.optional_member("transferId", v.transfer_id);
    write_transfer_terms(w, v);
    if(v.current_state)
        w.member("currentState", to_string(*v.current_state));
    w.optional_member("quoteId", v.quote_id);
    if(v.get_parties_response)
    {
        auto const& g = *v.get_parties_response;
        w.begin_object("getPartiesResponse");
        w.begin_object("body");
        if(g.party)
            write_parties_party(w, *g.party);
        if(g.error_information)
        {
            w.key("errorInformation");
            write_error_information(w, *g.error_information);
        }
        w.end_object();
        write_headers(w, "headers", g.headers);
        w.end_object();
    }
    if(v.quote_response)
    {
        w.begin_object("quoteResponse");
        write_quote_body(w, v.quote_response->body);
        write_headers(w, "headers", v.quote_response->headers);
        w.end_object();
    }
    w.optional_member("quoteResponseSource", v.quote_response_source);
    if(v.fulfil)
        write_fulfil(w, *v.fulfil);
    if(v.last_error)
        write_last_error(w, *v.last_error);
    if(v.skip_party_lookup)
    {
        w.key("skipPartyLookup");
        w.boolean(*v.skip_party_lookup);
    }
    w.end_object();
}

void write_optional_int(json_writer& w, std::string_view k, std::optional<std::int32_t> v)
{
    if(v)
    {
        w.key(k);
        w.integer(*v);
    }
}

} // namespace

std::string encode(transfer_request const& v)
{
    json_writer w(192 + v.home_transaction_id.size() + estimate(v.from) + estimate(v.to) + v.transaction_type.size()
                  + estimate(v.sub_scenario) + estimate(v.note) + estimate(v.quote_request_extensions)
                  + estimate(v.transfer_request_extensions) + 5 * 32);
    w.begin_object();
    write_transfer_terms(w, v);
    if(v.quote_request_extensions)
    {
        w.key("quoteRequestExtensions");
        write_extensions(w, *v.quote_request_extensions);
    }
    if(v.transfer_request_extensions)
    {
        w.key("transferRequestExtensions");
        write_extensions(w, *v.transfer_request_extensions);
    }
    if(v.skip_party_lookup)
    {
        w.key("skipPartyLookup");
        w.boolean(*v.skip_party_lookup);
    }
    write_optional_int(w, "prepareExpirySeconds", v.prepare_expiry_seconds);
    write_optional_int(w, "fxPrepareExpirySeconds", v.fx_prepare_expiry_seconds);
    write_optional_int(w, "quoteExpirySeconds", v.quote_expiry_seconds);
    write_optional_int(w, "fxQuoteExpirySeconds", v.fx_quote_expiry_seconds);
    w.end_object();
    return std::move(w).finish();
}

std::string encode(transfer_continuation const& v)
{
    json_writer w(40);
    w.begin_object();
    w.key(continuation_names[static_cast<std::size_t>(v.what)]);
    w.boolean(v.accepted);
    w.end_object();
    return std::move(w).finish();
}

std::string encode(transfer_response const& v)
{
    json_writer w(estimate(v));
    write_transfer_response(w, v);
    return std::move(w).finish();
}

std::string encode(error_response const& v)
{
    json_writer w(32 + estimate(v.status_code) + estimate(v.message));
    w.begin_object();
    w.optional_member("statusCode", v.status_code);
    w.optional_member("message", v.message);
    w.end_object();
    return std::move(w).finish();
}

std::string encode(transfer_error_response const& v)
{
    json_writer w(48 + estimate(v.status_code) + estimate(v.message) + (v.transfer_state ? estimate(*v.transfer_state) : 0));
    w.begin_object();
    w.optional_member("statusCode", v.status_code);
    w.optional_member("message", v.message);
    w.key("transferState");
    if(v.transfer_state)
        write_transfer_response(w, *v.transfer_state);
    else if(v.partial_state)
    {
        w.begin_object();
        w.member("transferId", v.partial_state->transfer_id);
        w.member("currentState", to_string(v.partial_state->current_state));
        if(v.partial_state->last_error)
            write_last_error(w, *v.partial_state->last_error);
        w.end_object();
    }
    else
    {
        w.begin_object();
        w.end_object();
    }
    w.end_object();
    return std::move(w).finish();
}

std::string encode(transfer_status_response const& v)
{
    json_writer w(96 + v.transfer_id.size() + estimate(v.fulfil));
    w.begin_object();
    w.member("transferId", v.transfer_id);
    w.member("currentState", to_string(v.current_state));
    write_fulfil(w, v.fulfil);
    w.end_object();
    return std::move(w).finish();
}

std::string validation_error_body(decode_error const& e)
{
    return encode(error_response{std::string("400"), e.detail()});
}

//------------------------------------------------------------------------------
// Decoding

namespace {

constexpr std::size_t unlimited = std::numeric_limits<std::size_t>::max();

bool all_space(std::string_view s) noexcept
{
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

std::string join(std::string_view path, std::string_view key)
{
    std::string s;
    s.reserve(path.size() + 1 + key.size());
    if(!path.empty())
        s.append(path).append(".");
    s.append(key);
    return s;
}

std::string index(std::string_view path, std::size_t i)
{
    return std::string(path) + "[" + std::to_string(i) + "]";
}

/// An object member found by decoder::object_member, and its path.
struct member_object
{
    json::object const* object = nullptr;
    std::string path;
};

/// Walks a JSON document, keeping the first error. Every accessor is safe to call after a
/// failure (it returns an empty value), so decoders read straight through and test once.
class decoder
{
public:
    explicit decoder(bool strict) noexcept : strict_(strict) {}

    [[nodiscard]] bool ok() const noexcept { return !error_; }
    [[nodiscard]] bool strict() const noexcept { return strict_; }
    decode_error take() { return std::move(*error_); }

    void fail(std::string field, std::string message)
    {
        if(!error_)
            error_ = decode_error{std::move(field), std::move(message)};
    }

    json::object const* object(json::value const& v, std::string_view path)
    {
        if(!ok())
            return nullptr;
        if(!v.is_object())
        {
            fail(std::string(path), "must be an object");
            return nullptr;
        }
        return &v.get_object();
    }

    /// In strict mode, every member must be one of `known`.
    void only(json::object const& o, std::string_view path, std::initializer_list<std::string_view> known)
    {
        if(!strict_ || !ok())
            return;
        for(auto const& kv : o)
        {
            std::string_view k(kv.key().data(), kv.key().size());
            if(std::find(known.begin(), known.end(), k) == known.end())
            {
                fail(join(path, k), "is not an allowed property");
                return;
            }
        }
    }

    /// The member `key`, or null when absent (an error when required). JSON null counts as
    /// absent for optional members of responses, as JavaScript servers emit it freely.
    json::value const* member(json::object const& o, std::string_view path, std::string_view key, bool required)
    {
        if(!ok())
            return nullptr;
        auto const* v = o.if_contains(jv(key));
        if(v && v->is_null() && !strict_ && !required)
            v = nullptr;
        if(!v && required)
            fail(join(path, key), "is required");
        return v;
    }

    /// The member `key` as an object, and its path: a null object when absent (an error when
    /// required) or not an object.
    member_object object_member(json::object const& o, std::string_view path, std::string_view key, bool required)
    {
        member_object m;
        auto const* v = member(o, path, key, required);
        if(!v)
            return m;
        m.path = join(path, key);
        m.object = object(*v, m.path);
        return m;
    }

    std::optional<std::string> string(json::object const& o, std::string_view path, std::string_view key,
                                      bool required, std::size_t min = 0, std::size_t max = unlimited)
    {
        auto const* v = member(o, path, key, required);
        if(!v)
            return std::nullopt;
        if(!v->is_string())
        {
            fail(join(path, key), "must be a string");
            return std::nullopt;
        }
        std::string_view s(v->get_string().data(), v->get_string().size());
        if(min != 0 || max != unlimited)
        {
            auto const n = fspiop::char_count(s);
            if(n < min || n > max)
            {
                fail(join(path, key), max == unlimited
                    ? "must have at least " + std::to_string(min) + " characters"
                    : "must have " + std::to_string(min) + " to " + std::to_string(max) + " characters");
                return std::nullopt;
            }
        }
        return std::string(s);
    }

    std::optional<bool> boolean(json::object const& o, std::string_view path, std::string_view key, bool required)
    {
        auto const* v = member(o, path, key, required);
        if(!v)
            return std::nullopt;
        if(!v->is_bool())
        {
            fail(join(path, key), "must be a boolean");
            return std::nullopt;
        }
        return v->get_bool();
    }

    std::optional<std::int32_t> int32(json::object const& o, std::string_view path, std::string_view key,
                                      bool required, std::int64_t min)
    {
        auto const* v = member(o, path, key, required);
        if(!v)
            return std::nullopt;
        std::int64_t n = 0;
        if(v->is_int64())
            n = v->get_int64();
        else if(v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            n = static_cast<std::int64_t>(v->get_uint64());
        else
        {
            fail(join(path, key), "must be an integer");
            return std::nullopt;
        }
        if(n < min || n > std::numeric_limits<std::int32_t>::max())
        {
            fail(join(path, key), "must be an integer from " + std::to_string(min) + " to 2147483647");
            return std::nullopt;
        }
        return static_cast<std::int32_t>(n);
    }

    template<class E, std::size_t N>
    std::optional<E> enumeration(json::object const& o, std::string_view path, std::string_view key, bool required,
                                 std::array<std::string_view, N> const& names)
    {
        auto s = string(o, path, key, required);
        if(!s)
            return std::nullopt;
        auto e = lookup<E>(names, *s);
        if(!e)
            fail(join(path, key), one_of(names));
        return e;
    }

    /// Amount: the FSPIOP pattern in strict mode; any plain decimal in lenient mode.
    core::decimal amount(json::object const& o, std::string_view path, std::string_view key, bool required)
    {
        auto s = string(o, path, key, required);
        if(!s)
            return {};
        auto d = strict_ ? core::decimal::parse_fspiop(*s) : core::decimal::parse(*s);
        if(!d || d->is_negative())
        {
            fail(join(path, key), "must match the Amount format ^([0]|([1-9][0-9]{0,17}))([.][0-9]{0,3}[1-9])?$");
            return {};
        }
        return *d;
    }

    /// Currency: an ISO 4217 code of the spec's enum in strict mode; three characters otherwise.
    std::string currency(json::object const& o, std::string_view path, std::string_view key, bool required)
    {
        auto s = string(o, path, key, required);
        if(!s)
            return {};
        if(strict_ ? !core::is_currency(*s) : s->size() != 3)
        {
            fail(join(path, key), "must be an ISO 4217 currency code");
            return {};
        }
        return std::move(*s);
    }

    /// A string matching `pred` (checked in strict mode only).
    template<class Pred>
    std::optional<std::string> checked(json::object const& o, std::string_view path, std::string_view key,
                                       bool required, std::string_view rule, Pred pred)
    {
        auto s = string(o, path, key, required);
        if(s && strict_ && !pred(*s))
        {
            fail(join(path, key), std::string(rule));
            return std::nullopt;
        }
        return s;
    }

    /// A JSON array member (or null when absent), with at most `max` items.
    json::array const* array(json::object const& o, std::string_view path, std::string_view key, bool required,
                             std::size_t max = unlimited)
    {
        auto const* v = member(o, path, key, required);
        if(!v)
            return nullptr;
        if(!v->is_array())
        {
            fail(join(path, key), "must be an array");
            return nullptr;
        }
        if(strict_ && v->get_array().size() > max)
        {
            fail(join(path, key), "must have at most " + std::to_string(max) + " items");
            return nullptr;
        }
        return &v->get_array();
    }

private:
    bool strict_;
    std::optional<decode_error> error_;
};

bool is_name(std::string_view s) noexcept
{
    auto const n = fspiop::char_count(s);
    return n >= 1 && n <= 128 && !all_space(s);
}

/// A bare array of Extension_v2_1_0 (extensionListEmptiable), at most 16.
std::optional<extension_list> extension_array(decoder& d, json::array const& a, std::string_view path)
{
    if(d.strict() && a.size() > 16)
    {
        d.fail(std::string(path), "must have at most 16 items");
        return std::nullopt;
    }
    extension_list list;
    list.reserve(a.size());
    for(std::size_t i = 0; i < a.size() && d.ok(); ++i)
    {
        auto const p = index(path, i);
        auto const* o = d.object(a[i], p);
        if(!o)
            break;
        d.only(*o, p, {"key", "value"});
        auto k = d.string(*o, p, "key", true, 1);
        auto v = d.string(*o, p, "value", true, 1, 128);
        if(k && v)
            list.push_back({std::move(*k), std::move(*v)});
    }
    if(!d.ok())
        return std::nullopt;
    return list;
}

/// ExtensionList_v2_1_0: {"extension":[1..16]}.
std::optional<extension_list> extension_object(decoder& d, json::object const& parent, std::string_view path,
                                               std::string_view key)
{
    auto const [o, p] = d.object_member(parent, path, key, false);
    if(!o)
        return std::nullopt;
    d.only(*o, p, {"extension"});
    auto const* a = d.array(*o, p, "extension", true, 16);
    if(!a)
        return std::nullopt;
    if(d.strict() && a->empty())
    {
        d.fail(join(p, "extension"), "must have at least 1 item");
        return std::nullopt;
    }
    return extension_array(d, *a, join(p, "extension"));
}

std::optional<extension_list> extension_list_member(decoder& d, json::object const& parent, std::string_view path,
                                                    std::string_view key)
{
    auto const* a = d.array(parent, path, key, false, 16);
    if(!a)
        return std::nullopt;
    return extension_array(d, *a, join(path, key));
}

std::optional<std::vector<std::string>> currency_list(decoder& d, json::object const& o, std::string_view path,
                                                      std::string_view key)
{
    auto const* a = d.array(o, path, key, false, 16);
    if(!a)
        return std::nullopt;
    std::vector<std::string> out;
    for(std::size_t i = 0; i < a->size(); ++i)
    {
        auto const& v = (*a)[i];
        if(!v.is_string() || (d.strict() && !core::is_currency(std::string_view(v.get_string()))))
        {
            d.fail(index(join(path, key), i), "must be an ISO 4217 currency code");
            return std::nullopt;
        }
        out.emplace_back(v.get_string());
    }
    return out;
}

std::optional<error_information> error_information_of(decoder& d, json::value const& v, std::string_view path)
{
    auto const* o = d.object(v, path);
    if(!o)
        return std::nullopt;
    d.only(*o, path, {"errorCode", "errorDescription", "extensionList"});
    error_information e;
    auto code = d.checked(*o, path, "errorCode", true, "must be four digits, not starting with 0",
                        fspiop::is_error_code);
    auto desc = d.string(*o, path, "errorDescription", true);
    e.extension_list = extension_object(d, *o, path, "extensionList");
    if(!d.ok())
        return std::nullopt;
    e.error_code = std::move(*code);
    e.error_description = std::move(*desc);
    return e;
}

std::optional<money> money_of(decoder& d, json::object const& parent, std::string_view path, std::string_view key,
                              bool required)
{
    auto const [o, p] = d.object_member(parent, path, key, required);
    if(!o)
        return std::nullopt;
    d.only(*o, p, {"currency", "amount"});
    money m;
    m.currency = d.currency(*o, p, "currency", true);
    m.amount = d.amount(*o, p, "amount", true);
    if(!d.ok())
        return std::nullopt;
    return m;
}

header_list headers_of(decoder& d, json::object const& parent, std::string_view path)
{
    header_list h;
    auto const* o = d.object_member(parent, path, "headers", false).object;
    if(!o)
        return h;
    h.reserve(o->size());
    for(auto const& kv : *o)
    {
        std::string value = kv.value().is_string() ? std::string(kv.value().get_string()) : json::serialize(kv.value());
        h.emplace_back(std::string(kv.key()), std::move(value));
    }
    return h;
}

std::optional<transfer_party> transfer_party_of(decoder& d, json::object const& parent, std::string_view path,
                                                std::string_view key)
{
    auto const [o, p] = d.object_member(parent, path, key, true);
    if(!o)
        return std::nullopt;
    d.only(*o, p, {"type", "idType", "idValue", "idSubValue", "displayName", "firstName", "middleName", "lastName",
                   "dateOfBirth", "merchantClassificationCode", "fspId", "supportedCurrencies", "kycInformation",
                   "extensionList"});
    transfer_party t;
    t.type = d.enumeration<initiator_type>(*o, p, "type", false, initiator_type_names);
    auto id_type = d.enumeration<party_id_type>(*o, p, "idType", true, party_id_type_names);
    auto id_value = d.string(*o, p, "idValue", true, 1, 128);
    t.id_sub_value = d.string(*o, p, "idSubValue", false, 1, 128);
    t.display_name = d.checked(*o, p, "displayName", false, "must be a Name of 1 to 128 characters", is_name);
    t.first_name = d.checked(*o, p, "firstName", false, "must be a name of 1 to 128 characters", is_name);
    t.middle_name = d.checked(*o, p, "middleName", false, "must be a name of 1 to 128 characters", is_name);
    t.last_name = d.checked(*o, p, "lastName", false, "must be a name of 1 to 128 characters", is_name);
    t.date_of_birth = d.checked(*o, p, "dateOfBirth", false, "must be a date yyyy-MM-dd",
                                [](std::string const& s) { return core::is_date(s); });
    t.merchant_classification_code = d.checked(*o, p, "merchantClassificationCode", false,
                                               "must be 1 to 4 digits",
                                               fspiop::is_merchant_classification_code);
    t.fsp_id = d.string(*o, p, "fspId", false, 1, 32);
    t.supported_currencies = currency_list(d, *o, p, "supportedCurrencies");
    t.kyc_information = d.string(*o, p, "kycInformation", false, 1, 2048);
    t.extension_list = extension_list_member(d, *o, p, "extensionList");
    if(!d.ok())
        return std::nullopt;
    t.id_type = *id_type;
    t.id_value = std::move(*id_value);
    return t;
}

std::optional<party> party_of(decoder& d, json::value const& v, std::string_view p)
{
    auto const* o = d.object(v, p);
    if(!o)
        return std::nullopt;
    party out;
    auto const [info, ip] = d.object_member(*o, p, "partyIdInfo", true);
    if(!info)
        return std::nullopt;
    auto type = d.enumeration<party_id_type>(*info, ip, "partyIdType", true, party_id_type_names);
    auto id = d.string(*info, ip, "partyIdentifier", true);
    out.party_id_info.party_sub_id_or_type = d.string(*info, ip, "partySubIdOrType", false);
    out.party_id_info.fsp_id = d.string(*info, ip, "fspId", false);
    out.party_id_info.extension_list = extension_object(d, *info, ip, "extensionList");
    out.merchant_classification_code = d.string(*o, p, "merchantClassificationCode", false);
    out.name = d.string(*o, p, "name", false);
    if(auto const [pi, pp] = d.object_member(*o, p, "personalInfo", false); pi)
    {
        party_personal_info info_out;
        if(auto const [cn, cp] = d.object_member(*pi, pp, "complexName", false); cn)
        {
            party_complex_name name;
            name.first_name = d.string(*cn, cp, "firstName", false);
            name.middle_name = d.string(*cn, cp, "middleName", false);
            name.last_name = d.string(*cn, cp, "lastName", false);
            info_out.complex_name = std::move(name);
        }
        info_out.date_of_birth = d.string(*pi, pp, "dateOfBirth", false);
        info_out.kyc_information = d.string(*pi, pp, "kycInformation", false);
        out.personal_info = std::move(info_out);
    }
    out.supported_currencies = currency_list(d, *o, p, "supportedCurrencies");
    if(!d.ok())
        return std::nullopt;
    out.party_id_info.party_id_type = *type;
    out.party_id_info.party_identifier = std::move(*id);
    return out;
}

/// An echoed callback, {"body":{...},"headers":{...}}: the object at `p` and its required
/// object member `body` with its path (null objects after a failure).
struct envelope
{
    json::object const* outer = nullptr;
    json::object const* body = nullptr;
    std::string body_path;
};

envelope envelope_of(decoder& d, json::value const& v, std::string_view p)
{
    envelope e;
    e.outer = d.object(v, p);
    if(!e.outer)
        return e;
    auto body = d.object_member(*e.outer, p, "body", true);
    e.body = body.object;
    e.body_path = std::move(body.path);
    return e;
}

std::optional<parties_response> parties_response_of(decoder& d, json::value const& v, std::string_view p)
{
    auto const [o, body, bp] = envelope_of(d, v, p);
    if(!body)
        return std::nullopt;
    parties_response out;
    if(auto const* party_v = d.member(*body, bp, "party", false))
        out.party = party_of(d, *party_v, join(bp, "party"));
    if(auto const* err_v = d.member(*body, bp, "errorInformation", false))
        out.error_information = error_information_of(d, *err_v, join(bp, "errorInformation"));
    if(d.ok() && !out.party && !out.error_information)
        d.fail(bp, "must have party or errorInformation");
    out.headers = headers_of(d, *o, p);
    if(!d.ok())
        return std::nullopt;
    return out;
}

std::optional<quote_response> quote_response_of(decoder& d, json::value const& v, std::string_view p)
{
    auto const [o, b, bp] = envelope_of(d, v, p);
    if(!b)
        return std::nullopt;
    quote_response out;
    auto transfer_amount = money_of(d, *b, bp, "transferAmount", true);
    out.body.payee_receive_amount = money_of(d, *b, bp, "payeeReceiveAmount", false);
    out.body.payee_fsp_fee = money_of(d, *b, bp, "payeeFspFee", false);
    out.body.payee_fsp_commission = money_of(d, *b, bp, "payeeFspCommission", false);
    auto expiration = d.string(*b, bp, "expiration", true);
    if(auto const [g, gp] = d.object_member(*b, bp, "geoCode", false); g)
    {
        auto lat = d.string(*g, gp, "latitude", true);
        auto lon = d.string(*g, gp, "longitude", true);
        if(lat && lon)
            out.body.geo_code = geo_code{std::move(*lat), std::move(*lon)};
    }
    auto ilp = d.string(*b, bp, "ilpPacket", true);
    auto condition = d.string(*b, bp, "condition", true);
    out.body.extension_list = extension_object(d, *b, bp, "extensionList");
    out.headers = headers_of(d, *o, p);
    if(!d.ok())
        return std::nullopt;
    out.body.transfer_amount = std::move(*transfer_amount);
    out.body.expiration = std::move(*expiration);
    out.body.ilp_packet = std::move(*ilp);
    out.body.condition = std::move(*condition);
    return out;
}

std::optional<fulfil_response> fulfil_of(decoder& d, json::value const& v, std::string_view p)
{
    auto const [o, b, bp] = envelope_of(d, v, p);
    if(!b)
        return std::nullopt;
    fulfil_response out;
    out.body.fulfilment = d.string(*b, bp, "fulfilment", false);
    out.body.completed_timestamp = d.string(*b, bp, "completedTimestamp", false);
    auto state = d.enumeration<transfer_state>(*b, bp, "transferState", true, transfer_state_names);
    out.body.extension_list = extension_object(d, *b, bp, "extensionList");
    out.headers = headers_of(d, *o, p);
    if(!d.ok())
        return std::nullopt;
    out.body.transfer_state = *state;
    return out;
}

std::optional<transfer_error> transfer_error_of(decoder& d, json::value const& v, std::string_view p)
{
    auto const* o = d.object(v, p);
    if(!o)
        return std::nullopt;
    transfer_error out;
    out.http_status_code = d.int32(*o, p, "httpStatusCode", false, 0);
    if(auto const [m, mp] = d.object_member(*o, p, "mojaloopError", false); m)
    {
        mojaloop_error me;
        if(auto const* e_v = d.member(*m, mp, "errorInformation", false))
            me.error_information = error_information_of(d, *e_v, join(mp, "errorInformation"));
        out.mojaloop_error = std::move(me);
    }
    if(!d.ok())
        return std::nullopt;
    return out;
}

std::optional<partial_transfer_state> partial_state_of(decoder& d, json::object const& o, std::string_view p)
{
    partial_transfer_state out;
    out.transfer_id = d.string(o, p, "transferId", true).value_or(std::string{});
    auto state = d.enumeration<transfer_status>(o, p, "currentState", true, transfer_status_names);
    if(auto const* e = d.member(o, p, "lastError", false))
        out.last_error = transfer_error_of(d, *e, join(p, "lastError"));
    if(!d.ok() || !state)
        return std::nullopt;
    out.current_state = *state;
    return out;
}

std::optional<transfer_response> transfer_response_of(decoder& d, json::value const& v, std::string_view p)
{
    auto const* o = d.object(v, p);
    if(!o)
        return std::nullopt;
    transfer_response out;
    out.transfer_id = d.string(*o, p, "transferId", false);
    auto home = d.string(*o, p, "homeTransactionId", true);
    auto from = transfer_party_of(d, *o, p, "from");
    auto to = transfer_party_of(d, *o, p, "to");
    auto at = d.enumeration<amount_type>(*o, p, "amountType", true, amount_type_names);
    out.currency = d.currency(*o, p, "currency", true);
    out.amount = d.amount(*o, p, "amount", true);
    auto tt = d.string(*o, p, "transactionType", true);
    out.sub_scenario = d.string(*o, p, "subScenario", false);
    out.note = d.string(*o, p, "note", false);
    out.current_state = d.enumeration<transfer_status>(*o, p, "currentState", false, transfer_status_names);
    out.quote_id = d.string(*o, p, "quoteId", false);
    if(auto const* g = d.member(*o, p, "getPartiesResponse", false))
        out.get_parties_response = parties_response_of(d, *g, join(p, "getPartiesResponse"));
    if(auto const* q = d.member(*o, p, "quoteResponse", false))
        out.quote_response = quote_response_of(d, *q, join(p, "quoteResponse"));
    out.quote_response_source = d.string(*o, p, "quoteResponseSource", false);
    if(auto const* f = d.member(*o, p, "fulfil", false))
        out.fulfil = fulfil_of(d, *f, join(p, "fulfil"));
    if(auto const* e = d.member(*o, p, "lastError", false))
        out.last_error = transfer_error_of(d, *e, join(p, "lastError"));
    out.skip_party_lookup = d.boolean(*o, p, "skipPartyLookup", false);
    if(!d.ok())
        return std::nullopt;
    out.home_transaction_id = std::move(*home);
    out.from = std::move(*from);
    out.to = std::move(*to);
    out.amount_type = *at;
    out.transaction_type = std::move(*tt);
    return out;
}

/// Parse body text; bad JSON is a decode_error with an empty field.
std::optional<json::value> parse(std::string_view body, decode_error& error)
{
    boost::system::error_code ec;
    auto v = json::parse(json::string_view(body.data(), body.size()), ec);
    if(ec)
    {
        error = decode_error{{}, "is not valid JSON (" + ec.message() + ")"};
        return std::nullopt;
    }
    return v;
}

template<class T, class F>
decode_result<T> from_text(std::string_view body, F decode)
{
    decode_error e;
    auto v = parse(body, e);
    if(!v)
        return e;
    return decode(*v);
}

} // namespace

decode_result<transfer_request> decode_transfer_request(json::value const& v)
{
    decoder d(true);
    auto const* o = d.object(v, "");
    if(!o)
        return d.take();
    d.only(*o, "", {"homeTransactionId", "from", "to", "amountType", "currency", "amount", "transactionType",
                    "subScenario", "note", "quoteRequestExtensions", "transferRequestExtensions", "skipPartyLookup",
                    "prepareExpirySeconds", "fxPrepareExpirySeconds", "quoteExpirySeconds", "fxQuoteExpirySeconds"});
    transfer_request r;
    auto home = d.string(*o, "", "homeTransactionId", true);
    auto from = transfer_party_of(d, *o, "", "from");
    auto to = transfer_party_of(d, *o, "", "to");
    auto at = d.enumeration<amount_type>(*o, "", "amountType", true, amount_type_names);
    r.currency = d.currency(*o, "", "currency", true);
    r.amount = d.amount(*o, "", "amount", true);
    auto tt = d.checked(*o, "", "transactionType", true, "must be one of TRANSFER",
                        [](std::string const& s) { return s == "TRANSFER"; });
    r.sub_scenario = d.checked(*o, "", "subScenario", false, "must match ^[A-Z_]{1,32}$",
                                fspiop::is_transaction_sub_scenario);
    r.note = d.string(*o, "", "note", false, 1, 128);
    r.quote_request_extensions = extension_list_member(d, *o, "", "quoteRequestExtensions");
    r.transfer_request_extensions = extension_list_member(d, *o, "", "transferRequestExtensions");
    r.skip_party_lookup = d.boolean(*o, "", "skipPartyLookup", false);
    r.prepare_expiry_seconds = d.int32(*o, "", "prepareExpirySeconds", false, 1);
    r.fx_prepare_expiry_seconds = d.int32(*o, "", "fxPrepareExpirySeconds", false, 1);
    r.quote_expiry_seconds = d.int32(*o, "", "quoteExpirySeconds", false, 1);
    r.fx_quote_expiry_seconds = d.int32(*o, "", "fxQuoteExpirySeconds", false, 1);
    if(!d.ok())
        return d.take();
    r.home_transaction_id = std::move(*home);
    r.from = std::move(*from);
    r.to = std::move(*to);
    r.amount_type = *at;
    r.transaction_type = std::move(*tt);
    return r;
}

decode_result<transfer_continuation> decode_transfer_continuation(json::value const& v)
{
    decoder d(true);
    auto const* o = d.object(v, "");
    if(!o)
        return d.take();
    if(o->size() != 1)
        return decode_error{{}, "must have exactly one of acceptParty, acceptQuote, acceptConversion, acceptQuoteOrConversion"};
    auto const& kv = *o->begin();
    std::string_view key(kv.key().data(), kv.key().size());
    auto const kind = lookup<transfer_continuation::kind>(continuation_names, key);
    if(!kind)
        return decode_error{std::string(key), "is not an allowed property"};
    if(!kv.value().is_bool())
        return decode_error{std::string(key), "must be a boolean"};
    return transfer_continuation{*kind, kv.value().get_bool()};
}

decode_result<transfer_response> decode_transfer_response(json::value const& v)
{
    decoder d(false);
    auto r = transfer_response_of(d, v, "");
    if(!r)
        return d.take();
    return std::move(*r);
}

decode_result<error_response> decode_error_response(json::value const& v)
{
    decoder d(false);
    auto const* o = d.object(v, "");
    if(!o)
        return d.take();
    error_response r;
    // statusCode is a string in the spec, but SDK versions have sent a number.
    if(auto const* sc = o->if_contains("statusCode"); sc && (sc->is_int64() || sc->is_uint64()))
        r.status_code = json::serialize(*sc);
    else
        r.status_code = d.string(*o, "", "statusCode", false);
    r.message = d.string(*o, "", "message", false);
    if(!d.ok())
        return d.take();
    return r;
}

decode_result<transfer_error_response> decode_transfer_error_response(json::value const& v)
{
    auto base = decode_error_response(v);
    if(!base)
        return base.error();
    transfer_error_response r;
    r.status_code = std::move(base->status_code);
    r.message = std::move(base->message);
    decoder d(false);
    auto const& o = v.get_object();
    if(auto const* ts = d.member(o, "", "transferState", false))
    {
        // `{}` is what the SDK sends when the transfer never got a state; a state without
        // homeTransactionId is the partial one of a transfer the connector does not hold.
        if(ts->is_object() && !ts->get_object().empty() && !ts->get_object().contains("homeTransactionId"))
            r.partial_state = partial_state_of(d, ts->get_object(), "transferState");
        else if(!(ts->is_object() && ts->get_object().empty()))
            r.transfer_state = transfer_response_of(d, *ts, "transferState");
    }
    if(!d.ok())
        return d.take();
    return r;
}

decode_result<transfer_status_response> decode_transfer_status_response(json::value const& v)
{
    decoder d(false);
    auto const* o = d.object(v, "");
    if(!o)
        return d.take();
    transfer_status_response r;
    auto id = d.string(*o, "", "transferId", true);
    auto state = d.enumeration<transfer_status>(*o, "", "currentState", true, transfer_status_names);
    auto const* f = d.member(*o, "", "fulfil", true);
    std::optional<fulfil_response> fulfil;
    if(f)
        fulfil = fulfil_of(d, *f, "fulfil");
    if(!d.ok())
        return d.take();
    r.transfer_id = std::move(*id);
    r.current_state = *state;
    r.fulfil = std::move(*fulfil);
    return r;
}

decode_result<transfer_request> decode_transfer_request(std::string_view body)
{
    return from_text<transfer_request>(body, [](json::value const& v) { return decode_transfer_request(v); });
}
decode_result<transfer_continuation> decode_transfer_continuation(std::string_view body)
{
    return from_text<transfer_continuation>(body, [](json::value const& v) { return decode_transfer_continuation(v); });
}
decode_result<transfer_response> decode_transfer_response(std::string_view body)
{
    return from_text<transfer_response>(body, [](json::value const& v) { return decode_transfer_response(v); });
}
decode_result<error_response> decode_error_response(std::string_view body)
{
    return from_text<error_response>(body, [](json::value const& v) { return decode_error_response(v); });
}
decode_result<transfer_error_response> decode_transfer_error_response(std::string_view body)
{
    return from_text<transfer_error_response>(body,
                                              [](json::value const& v) { return decode_transfer_error_response(v); });
}
decode_result<transfer_status_response> decode_transfer_status_response(std::string_view body)
{
    return from_text<transfer_status_response>(
        body, [](json::value const& v) { return decode_transfer_status_response(v); });
}

// ---------------------------------------------------------------------------------------
// Bulk

namespace {

constexpr std::array<std::string_view, 4> bulk_state_names{"PROCESSING", "WAITING_FOR_PARTY_ACCEPTANCE",
                                                           "WAITING_FOR_QUOTE_ACCEPTANCE", "COMPLETED"};

bool is_correlation(std::string const& s)
{
    return fspiop::is_correlation_id(s, 2);
}

constexpr std::string_view correlation_rule =
    "must match ^[0-9a-f]{8}-[0-9a-f]{4}-[1-7][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$|^[0-9A-HJKMNP-TV-Z]{26}$";

void write_bool(json_writer& w, std::string_view k, std::optional<bool> v)
{
    if(v)
    {
        w.key(k);
        w.boolean(*v);
    }
}

} // namespace

std::string_view to_string(bulk_transaction_state v) noexcept
{
    return bulk_state_names[static_cast<std::size_t>(v)];
}

std::optional<bulk_transaction_state> bulk_transaction_state_from_string(std::string_view s) noexcept
{
    return lookup<bulk_transaction_state>(bulk_state_names, s);
}

std::string encode(bulk_transaction_request const& v)
{
    json_writer w(256 + v.individual_transfers.size() * 256);
    w.begin_object();
    w.member("bulkHomeTransactionID", v.bulk_home_transaction_id);
    w.member("bulkTransactionId", v.bulk_transaction_id);
    w.begin_object("options");
    write_bool(w, "onlyValidateParty", v.options.only_validate_party);
    w.begin_object("autoAcceptParty");
    w.key("enabled");
    w.boolean(v.options.auto_accept_party);
    w.end_object();
    w.begin_object("autoAcceptQuote");
    w.key("enabled");
    w.boolean(v.options.auto_accept_quote);
    if(!v.options.per_transfer_fee_limits.empty())
    {
        w.begin_array("perTransferFeeLimits");
        for(auto const& l : v.options.per_transfer_fee_limits)
        {
            w.begin_object();
            w.member("currency", l.currency);
            w.member("amount", l.amount.to_string());
            w.end_object();
        }
        w.end_array();
    }
    w.end_object();
    write_bool(w, "skipPartyLookup", v.options.skip_party_lookup);
    write_bool(w, "synchronous", v.options.synchronous);
    w.member("bulkExpiration", v.options.bulk_expiration);
    w.end_object();
    write_party_object(w, "from", v.from);
    w.begin_array("individualTransfers");
    for(auto const& t : v.individual_transfers)
    {
        w.begin_object();
        w.member("homeTransactionId", t.home_transaction_id);
        write_party_object(w, "to", t.to);
        w.optional_member("reference", t.reference);
        w.member("amountType", to_string(t.amount_type));
        w.member("currency", t.currency);
        w.member("amount", t.amount.to_string());
        w.optional_member("note", t.note);
        if(t.quote_extensions)
            write_extension_object(w, "quoteExtensions", *t.quote_extensions);
        if(t.transfer_extensions)
            write_extension_object(w, "transferExtensions", *t.transfer_extensions);
        w.end_object();
    }
    w.end_array();
    if(v.extensions)
        write_extension_object(w, "extensions", *v.extensions);
    w.end_object();
    return std::move(w).finish();
}

std::string encode(bulk_transaction_continuation const& v)
{
    json_writer w(64 + v.individual_transfers.size() * 64);
    std::string_view const flag = v.what == bulk_transaction_continuation::kind::accept_party ? "acceptParty"
                                                                                              : "acceptQuote";
    w.begin_object();
    w.begin_array("individualTransfers");
    for(auto const& e : v.individual_transfers)
    {
        w.begin_object();
        w.member("transferId", e.transfer_id);
        w.key(flag);
        w.boolean(e.accepted);
        w.end_object();
    }
    w.end_array();
    w.end_object();
    return std::move(w).finish();
}

std::string encode(bulk_transaction_response const& v)
{
    json_writer w(128 + v.individual_transfer_results.size() * 512);
    w.begin_object();
    w.member("bulkTransactionId", v.bulk_transaction_id);
    w.member("bulkHomeTransactionID", v.bulk_home_transaction_id);
    w.member("currentState", to_string(v.current_state));
    w.begin_array("individualTransferResults");
    for(auto const& r : v.individual_transfer_results)
    {
        w.begin_object();
        w.member("transferId", r.transfer_id);
        w.member("homeTransactionId", r.home_transaction_id);
        write_party_object(w, "to", r.to);
        w.member("amountType", to_string(r.amount_type));
        w.member("currency", r.currency);
        w.member("amount", r.amount.to_string());
        w.optional_member("note", r.note);
        if(r.current_state)
            w.member("currentState", to_string(*r.current_state));
        w.optional_member("quoteId", r.quote_id);
        if(r.transfer_amount)
            write_money(w, "transferAmount", *r.transfer_amount);
        if(r.payee_receive_amount)
            write_money(w, "payeeReceiveAmount", *r.payee_receive_amount);
        if(r.payee_fsp_fee)
            write_money(w, "payeeFspFee", *r.payee_fsp_fee);
        w.optional_member("fulfilment", r.fulfilment);
        if(r.transfer_state)
            w.member("transferState", to_string(*r.transfer_state));
        if(r.last_error)
            write_last_error(w, *r.last_error);
        w.end_object();
    }
    w.end_array();
    w.end_object();
    return std::move(w).finish();
}

namespace {

decode_result<bulk_transaction_request> bulk_request_of(json::value const& v)
{
    decoder d(true);
    auto const* o = d.object(v, "");
    if(!o)
        return d.take();
    d.only(*o, "", {"bulkHomeTransactionID", "bulkTransactionId", "options", "from", "individualTransfers", "extensions"});
    bulk_transaction_request r;
    auto home = d.string(*o, "", "bulkHomeTransactionID", true);
    auto id = d.checked(*o, "", "bulkTransactionId", true, correlation_rule, is_correlation);
    if(auto const [op, opp] = d.object_member(*o, "", "options", true); op)
    {
        d.only(*op, opp, {"onlyValidateParty", "autoAcceptParty", "autoAcceptQuote", "skipPartyLookup", "synchronous",
                          "bulkExpiration"});
        auto& opt = r.options;
        opt.only_validate_party = d.boolean(*op, opp, "onlyValidateParty", false);
        if(auto const [ap, app] = d.object_member(*op, opp, "autoAcceptParty", true); ap)
        {
            d.only(*ap, app, {"enabled"});
            opt.auto_accept_party = d.boolean(*ap, app, "enabled", true).value_or(false);
        }
        if(auto const [aq, aqp] = d.object_member(*op, opp, "autoAcceptQuote", true); aq)
        {
            d.only(*aq, aqp, {"enabled", "perTransferFeeLimits"});
            opt.auto_accept_quote = d.boolean(*aq, aqp, "enabled", true).value_or(false);
            if(auto const* limits = d.array(*aq, aqp, "perTransferFeeLimits", false))
            {
                auto const lp = join(aqp, "perTransferFeeLimits");
                for(std::size_t i = 0; i < limits->size() && d.ok(); ++i)
                {
                    auto const ip = index(lp, i);
                    auto const* lo = d.object((*limits)[i], ip);
                    if(!lo)
                        break;
                    d.only(*lo, ip, {"currency", "amount"});
                    money m;
                    m.currency = d.currency(*lo, ip, "currency", true);
                    m.amount = d.amount(*lo, ip, "amount", true);
                    opt.per_transfer_fee_limits.push_back(std::move(m));
                }
            }
        }
        opt.skip_party_lookup = d.boolean(*op, opp, "skipPartyLookup", false);
        opt.synchronous = d.boolean(*op, opp, "synchronous", false);
        auto exp = d.checked(*op, opp, "bulkExpiration", true, "must be a DateTime", fspiop::is_datetime);
        if(exp)
            opt.bulk_expiration = std::move(*exp);
    }
    std::optional<party> from;
    if(auto const* f = d.member(*o, "", "from", true))
        from = party_of(d, *f, "from");
    if(auto const* items = d.array(*o, "", "individualTransfers", true))
    {
        if(items->empty())
            d.fail("individualTransfers", "must have at least 1 item");
        r.individual_transfers.reserve(items->size());
        for(std::size_t i = 0; i < items->size() && d.ok(); ++i)
        {
            auto const ip = index("individualTransfers", i);
            auto const* it = d.object((*items)[i], ip);
            if(!it)
                break;
            d.only(*it, ip, {"homeTransactionId", "to", "reference", "amountType", "currency", "amount", "note",
                             "quoteExtensions", "transferExtensions", "lastError"});
            bulk_individual_transfer t;
            auto h = d.string(*it, ip, "homeTransactionId", true);
            std::optional<party> to;
            if(auto const* tv = d.member(*it, ip, "to", true))
                to = party_of(d, *tv, join(ip, "to"));
            t.reference = d.string(*it, ip, "reference", false);
            auto at = d.enumeration<amount_type>(*it, ip, "amountType", true, amount_type_names);
            t.currency = d.currency(*it, ip, "currency", true);
            t.amount = d.amount(*it, ip, "amount", true);
            t.note = d.string(*it, ip, "note", false, 1, 128);
            t.quote_extensions = extension_object(d, *it, ip, "quoteExtensions");
            t.transfer_extensions = extension_object(d, *it, ip, "transferExtensions");
            if(!d.ok())
                break;
            t.home_transaction_id = std::move(*h);
            t.to = std::move(*to);
            t.amount_type = *at;
            r.individual_transfers.push_back(std::move(t));
        }
    }
    r.extensions = extension_object(d, *o, "", "extensions");
    if(!d.ok())
        return d.take();
    r.bulk_home_transaction_id = std::move(*home);
    r.bulk_transaction_id = std::move(*id);
    r.from = std::move(*from);
    return r;
}

decode_result<bulk_transaction_continuation> bulk_continuation_of(json::value const& v)
{
    decoder d(true);
    auto const* o = d.object(v, "");
    if(!o)
        return d.take();
    d.only(*o, "", {"individualTransfers"});
    bulk_transaction_continuation c;
    auto const* items = d.array(*o, "", "individualTransfers", true);
    if(!items)
        return d.take();
    if(items->empty())
        return decode_error{"individualTransfers", "must have at least 1 item"};
    std::optional<bulk_transaction_continuation::kind> kind;
    for(std::size_t i = 0; i < items->size(); ++i)
    {
        auto const ip = index("individualTransfers", i);
        auto const* it = d.object((*items)[i], ip);
        if(!it)
            return d.take();
        d.only(*it, ip, {"transferId", "acceptParty", "acceptQuote"});
        auto id = d.checked(*it, ip, "transferId", true, correlation_rule, is_correlation);
        bool const party = it->contains("acceptParty");
        bool const quote = it->contains("acceptQuote");
        if(d.ok() && party == quote)
            d.fail(ip, "must have exactly one of acceptParty, acceptQuote");
        auto const this_kind =
            party ? bulk_transaction_continuation::kind::accept_party : bulk_transaction_continuation::kind::accept_quote;
        if(d.ok() && kind && *kind != this_kind)
            d.fail(ip, "must accept the same thing as the other items");
        auto accepted = d.boolean(*it, ip, party ? "acceptParty" : "acceptQuote", true);
        if(!d.ok())
            return d.take();
        kind = this_kind;
        c.individual_transfers.push_back({std::move(*id), *accepted});
    }
    c.what = *kind;
    return c;
}

decode_result<bulk_transaction_response> bulk_response_of(json::value const& v)
{
    decoder d(false);
    auto const* o = d.object(v, "");
    if(!o)
        return d.take();
    bulk_transaction_response r;
    auto id = d.string(*o, "", "bulkTransactionId", true);
    auto home = d.string(*o, "", "bulkHomeTransactionID", false);
    auto state = d.enumeration<bulk_transaction_state>(*o, "", "currentState", true, bulk_state_names);
    if(auto const* items = d.array(*o, "", "individualTransferResults", true))
    {
        r.individual_transfer_results.reserve(items->size());
        for(std::size_t i = 0; i < items->size() && d.ok(); ++i)
        {
            auto const ip = index("individualTransferResults", i);
            auto const* it = d.object((*items)[i], ip);
            if(!it)
                break;
            bulk_transfer_result t;
            auto tid = d.string(*it, ip, "transferId", true);
            auto h = d.string(*it, ip, "homeTransactionId", false);
            std::optional<party> to;
            if(auto const* tv = d.member(*it, ip, "to", true))
                to = party_of(d, *tv, join(ip, "to"));
            auto at = d.enumeration<amount_type>(*it, ip, "amountType", true, amount_type_names);
            t.currency = d.currency(*it, ip, "currency", true);
            t.amount = d.amount(*it, ip, "amount", true);
            t.note = d.string(*it, ip, "note", false);
            t.current_state = d.enumeration<transfer_status>(*it, ip, "currentState", false, transfer_status_names);
            t.quote_id = d.string(*it, ip, "quoteId", false);
            t.transfer_amount = money_of(d, *it, ip, "transferAmount", false);
            t.payee_receive_amount = money_of(d, *it, ip, "payeeReceiveAmount", false);
            t.payee_fsp_fee = money_of(d, *it, ip, "payeeFspFee", false);
            t.fulfilment = d.string(*it, ip, "fulfilment", false);
            t.transfer_state = d.enumeration<transfer_state>(*it, ip, "transferState", false, transfer_state_names);
            if(auto const* le = d.member(*it, ip, "lastError", false))
                t.last_error = transfer_error_of(d, *le, join(ip, "lastError"));
            if(!d.ok())
                break;
            t.transfer_id = std::move(*tid);
            t.home_transaction_id = h.value_or("");
            t.to = std::move(*to);
            t.amount_type = *at;
            r.individual_transfer_results.push_back(std::move(t));
        }
    }
    if(!d.ok())
        return d.take();
    r.bulk_transaction_id = std::move(*id);
    r.bulk_home_transaction_id = home.value_or("");
    r.current_state = *state;
    return r;
}

} // namespace

decode_result<bulk_transaction_request> decode_bulk_transaction_request(std::string_view body)
{
    return from_text<bulk_transaction_request>(body, [](json::value const& v) { return bulk_request_of(v); });
}

decode_result<bulk_transaction_continuation> decode_bulk_transaction_continuation(std::string_view body)
{
    return from_text<bulk_transaction_continuation>(body, [](json::value const& v) { return bulk_continuation_of(v); });
}

decode_result<bulk_transaction_response> decode_bulk_transaction_response(std::string_view body)
{
    return from_text<bulk_transaction_response>(body, [](json::value const& v) { return bulk_response_of(v); });
}

} // namespace mojasim::connector
