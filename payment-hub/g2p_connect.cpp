#include "payment-hub/g2p_connect.hpp"

#include "simulator/admin/json_io.hpp"
#include "simulator/core/clock.hpp"
#include "simulator/core/json_writer.hpp"

#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace mojasim::hub::g2p {

namespace json = boost::json;

namespace {

bad_request bad(std::string message)
{
    return bad_request{400, "err.request.bad", std::move(message)};
}

/// A member as text: absent or null -> empty; a string or a number's exact text; anything
/// else -> the error.
std::optional<std::string> text_member(json::object const& o, std::string_view key, std::string_view where,
                                       bad_request& err)
{
    auto const* v = o.if_contains(key);
    if(!v || v->is_null())
        return std::string{};
    if(v->is_string())
        return std::string(v->get_string());
    err = bad(std::string(where) + "." + std::string(key) + " must be a string");
    return std::nullopt;
}

json::object const* object_member(json::object const& o, std::string_view key)
{
    auto const* v = o.if_contains(key);
    return v && v->is_object() ? &v->get_object() : nullptr;
}

decoded<json::object> envelope(std::string_view body)
{
    auto v = admin_api::parse_exact(body);
    if(!v)
        return bad("the body is not JSON");
    if(!v->is_object())
        return bad("the body must be a JSON object");
    auto o = std::move(v->get_object());
    for(std::string_view k : {"signature", "header", "message"})
        if(!o.contains(k))
            return bad(std::string(k) + " is required");
    if(!o.at("signature").is_string())
        return bad("signature must be a string");
    if(!o.at("header").is_object())
        return bad("header must be an object");
    if(!o.at("message").is_object())
        return bad("message must be an object");
    return o;
}

decoded<header> read_header(json::object const& o)
{
    header h;
    bad_request err;
    auto get = [&](std::string_view k, std::string& out) {
        auto t = text_member(o, k, "header", err);
        if(!t)
            return false;
        out = std::move(*t);
        return true;
    };
    if(!get("version", h.version) || !get("message_id", h.message_id) || !get("message_ts", h.message_ts) ||
       !get("action", h.action) || !get("sender_id", h.sender_id) || !get("sender_uri", h.sender_uri) ||
       !get("receiver_id", h.receiver_id))
        return err;
    for(std::string_view k : {"message_id", "message_ts", "action"})
        if(auto const* v = o.if_contains(k); !v || v->is_null() || (v->is_string() && v->get_string().empty()))
            return bad("header." + std::string(k) + " is required");
    if(!parse_timestamp(h.message_ts))
        return bad("header.message_ts is not a date-time: " + h.message_ts);
    if(auto const* v = o.if_contains("total_count"); v && !v->is_null())
    {
        // parse_exact keeps a number's text: "3" is 3 either way.
        std::string_view const t = v->is_string() ? std::string_view(v->get_string()) : std::string_view{};
        std::int64_t n = 0;
        auto const [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
        if(t.empty() || ec != std::errc{} || p != t.data() + t.size() || n < 0)
            return bad("header.total_count must be a non-negative integer");
        h.total_count = n;
    }
    return h;
}

/// What every request envelope carries, from one already checked: the signature, the header
/// and message.transaction_id (may be empty); the error when one is not as it should be.
template <class Request>
std::optional<bad_request> read_common(json::object const& o, Request& r)
{
    r.signature = std::string(o.at("signature").get_string());
    auto h = read_header(o.at("header").get_object());
    if(!h)
        return h.error();
    r.header = std::move(*h);
    bad_request err;
    auto tid = text_member(o.at("message").get_object(), "transaction_id", "message", err);
    if(!tid)
        return err;
    r.transaction_id = std::move(*tid);
    return std::nullopt;
}

bool two_digits(std::string_view s, std::size_t at) noexcept
{
    return at + 2 <= s.size() && std::isdigit(static_cast<unsigned char>(s[at])) &&
           std::isdigit(static_cast<unsigned char>(s[at + 1]));
}

} // namespace

std::string errors_body(bad_request const& e)
{
    core::json_writer w(96 + e.message.size());
    w.begin_object().key("errors").begin_array().begin_object();
    w.member("code", e.code).member("message", e.message);
    w.end_object().end_array().end_object();
    return std::move(w).finish();
}

decoded<disburse_request> decode_disburse(std::string_view body)
{
    auto env = envelope(body);
    if(!env)
        return env.error();
    auto const& o = *env;
    disburse_request r;
    if(auto bad_common = read_common(o, r))
        return *bad_common;
    if(r.transaction_id.empty())
        return bad("message.transaction_id is required");

    auto const& m = o.at("message").get_object();
    bad_request err;
    auto const* list = m.if_contains("disbursements");
    if(!list)
        return bad("message.disbursements is required");
    if(!list->is_array())
        return bad("message.disbursements must be an array");
    r.disbursements.reserve(list->get_array().size());
    std::size_t i = 0;
    for(auto const& e : list->get_array())
    {
        auto const where = "message.disbursements[" + std::to_string(i++) + "]";
        if(!e.is_object())
            return bad(where + " must be an object");
        auto const& eo = e.get_object();
        disbursement d;
        std::pair<std::string_view, std::string*> const fields[] = {
            {"reference_id", &d.reference_id},   {"payer_fa", &d.payer_fa},
            {"payee_fa", &d.payee_fa},           {"amount", &d.amount},
            {"scheduled_timestamp", &d.scheduled_timestamp}, {"payer_name", &d.payer_name},
            {"payee_name", &d.payee_name},       {"note", &d.note},
            {"purpose", &d.purpose},             {"instruction", &d.instruction},
            {"currency_code", &d.currency_code}, {"locale", &d.locale}};
        for(auto const& [key, out] : fields)
        {
            auto t = text_member(eo, key, where, err);
            if(!t)
                return err;
            *out = std::move(*t);
        }
        r.disbursements.push_back(std::move(d));
    }
    return r;
}

decoded<status_request> decode_txn_status(std::string_view body)
{
    auto env = envelope(body);
    if(!env)
        return env.error();
    auto const& o = *env;
    status_request r;
    if(auto bad_common = read_common(o, r))
        return *bad_common;

    auto const& m = o.at("message").get_object();
    bad_request err;
    auto const* q = object_member(m, "txnstatus_request");
    if(!q)
        return bad("message.txnstatus_request is required (an object)");
    std::pair<std::string_view, std::string*> const fields[] = {{"reference_id", &r.reference_id},
                                                                {"txn_type", &r.txn_type},
                                                                {"attribute_type", &r.attribute_type},
                                                                {"locale", &r.locale}};
    for(auto const& [key, out] : fields)
    {
        auto t = text_member(*q, key, "message.txnstatus_request", err);
        if(!t)
            return err;
        *out = std::move(*t);
    }
    if(r.txn_type != "disburse")
        return bad("message.txnstatus_request.txn_type must be disburse");
    auto const* value = q->if_contains("attribute_value");
    if(!value)
        return bad("message.txnstatus_request.attribute_value is required");
    // GCTB's answer to a value of the wrong type for its attribute.
    auto wrong_type = [&](std::string what) { return bad_request{400, "GCTB-PMS-350", std::move(what)}; };
    if(r.attribute_type == "transaction_id" || r.attribute_type == "correlation_id")
    {
        if(!value->is_string())
            return wrong_type("attribute_value must be a string for " + r.attribute_type);
        r.attribute_value = std::string(value->get_string());
    }
    else if(r.attribute_type == "reference_id_list")
    {
        if(!value->is_array())
            return wrong_type("attribute_value must be a list for reference_id_list");
        std::vector<std::string> ids;
        ids.reserve(value->get_array().size());
        for(auto const& v : value->get_array())
        {
            if(!v.is_string())
                return wrong_type("attribute_value must be a list of strings");
            ids.emplace_back(v.get_string());
        }
        r.attribute_value = std::move(ids);
    }
    else
        return bad("message.txnstatus_request.attribute_type must be transaction_id, reference_id_list or "
                   "correlation_id");
    return r;
}

std::optional<std::int64_t> parse_timestamp(std::string_view s) noexcept
{
    // yyyy-mm-dd[T ]hh:mm:ss[.f+][Z|+hh:mm|-hh:mm]
    if(s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ' && s[10] != 't') || s[13] != ':' ||
       s[16] != ':')
        return std::nullopt;
    for(std::size_t at : {0U, 2U, 5U, 8U, 11U, 14U, 17U})
        if(!two_digits(s, at))
            return std::nullopt;
    std::size_t i = 19;
    std::string millis = "000";
    if(i < s.size() && s[i] == '.')
    {
        std::size_t const from = ++i;
        while(i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
            ++i;
        if(i == from)
            return std::nullopt;
        for(std::size_t k = 0; k < 3 && from + k < i; ++k)
            millis[k] = s[from + k];
    }
    std::string zone = "Z";
    if(i < s.size())
    {
        auto const rest = s.substr(i);
        if(rest == "Z" || rest == "z")
            zone = "Z";
        else if(rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && two_digits(rest, 1) && rest[3] == ':' &&
                two_digits(rest, 4))
            zone = std::string(rest);
        else
            return std::nullopt;
    }
    std::string canonical(s.substr(0, 19));
    canonical[10] = 'T';
    canonical += '.';
    canonical += millis;
    canonical += zone;
    auto t = core::parse_datetime(canonical);
    if(!t)
        return std::nullopt;
    return core::unix_ms(*t);
}

std::string format_timestamp(std::int64_t unix_ms)
{
    return core::format_datetime(core::time_point{std::chrono::milliseconds(unix_ms)});
}

fa_reading read_fa(std::string_view fa)
{
    auto const colon = fa.find(':');
    if(fa.empty() || colon == std::string_view::npos || colon == 0 || colon + 1 == fa.size())
        return invalid_fa{"not of the form type:value[@provider]"};
    std::string type(fa.substr(0, colon));
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto rest = fa.substr(colon + 1);
    std::string_view provider;
    if(auto const at = rest.rfind('@'); at != std::string_view::npos)
    {
        provider = rest.substr(at + 1);
        rest = rest.substr(0, at);
        if(provider.empty())
            return invalid_fa{"an empty provider after '@'"};
    }
    if(rest.empty())
        return invalid_fa{"an empty value"};

    struct known
    {
        std::string_view type;
        connector::party_id_type id_type;
    };
    static constexpr std::array<known, 8> addresses{{{"mobile", connector::party_id_type::msisdn},
                                                     {"phone", connector::party_id_type::msisdn},
                                                     {"msisdn", connector::party_id_type::msisdn},
                                                     {"account", connector::party_id_type::account_id},
                                                     {"account_no", connector::party_id_type::account_id},
                                                     {"bank_acc", connector::party_id_type::account_id},
                                                     {"iban", connector::party_id_type::iban},
                                                     {"email", connector::party_id_type::email}}};
    for(auto const& k : addresses)
        if(k.type == type)
            return address{k.id_type, std::string(rest), std::string(provider)};
    if(provider.empty())
        return invalid_fa{"'" + type + "' is no address type and there is no provider to resolve it at"};
    return id_to_resolve{std::string(fa)};
}

std::optional<entry_reason> disbursement_reason(disbursement const& d)
{
    if(d.reference_id.empty())
        return entry_reason{reason::reference_id_invalid, "reference_id is required"};
    // ^\d{1,13}(\.\d{1,2})?$ : the spec's form, with the fraction optional (a JSON number 50).
    auto const& a = d.amount;
    auto const dot = a.find('.');
    auto const whole = std::string_view(a).substr(0, dot);
    auto const frac = dot == std::string::npos ? std::string_view{} : std::string_view(a).substr(dot + 1);
    auto const digits = [](std::string_view s) {
        return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
    };
    bool const amount_ok = !whole.empty() && whole.size() <= 13 && digits(whole) &&
                           (dot == std::string::npos || (!frac.empty() && frac.size() <= 2 && digits(frac)));
    if(!amount_ok)
        return entry_reason{reason::amount_invalid, "amount must be a decimal with at most 2 decimals: '" + a + "'"};
    if(auto const v = core::decimal::parse(a); !v || v->is_zero())
        return entry_reason{reason::amount_invalid, "amount must be positive: '" + a + "'"};
    if(d.currency_code.size() != 3 ||
       !std::all_of(d.currency_code.begin(), d.currency_code.end(), [](unsigned char c) { return std::isupper(c) != 0; }))
        return entry_reason{reason::currency_code_invalid, "currency_code must be ISO 4217: '" + d.currency_code + "'"};
    if(!d.scheduled_timestamp.empty() && !parse_timestamp(d.scheduled_timestamp))
        return entry_reason{reason::schedule_ts_invalid, "scheduled_timestamp is not a date-time: '" + d.scheduled_timestamp + "'"};
    if(!d.payer_fa.empty() && std::holds_alternative<invalid_fa>(read_fa(d.payer_fa)))
        return entry_reason{reason::payer_fa_invalid, "payer_fa is not a financial address: '" + d.payer_fa + "'"};
    if(auto const r = read_fa(d.payee_fa); auto const* bad_fa = std::get_if<invalid_fa>(&r))
        return entry_reason{reason::payee_fa_invalid, "payee_fa '" + d.payee_fa + "': " + bad_fa->why};
    return std::nullopt;
}

std::string ack_body(bool callback_follows, std::string_view timestamp, std::string_view correlation_id)
{
    core::json_writer w(160);
    w.begin_object().key("message").begin_object();
    w.member("ack_status", callback_follows ? "ACK" : "NACK");
    w.member("timestamp", timestamp);
    w.key("error").null();
    w.member("correlation_id", correlation_id);
    w.end_object().end_object();
    return std::move(w).finish();
}

namespace {

void text_or_null(core::json_writer& w, std::string_view key, std::string_view v)
{
    w.key(key);
    if(v.empty())
        w.null();
    else
        w.string(v);
}

void write_header(core::json_writer& w, callback_header const& h)
{
    w.key("header").begin_object();
    w.member("version", "1.0.0");
    w.member("message_id", h.message_id);
    w.member("message_ts", h.message_ts);
    w.member("action", h.action);
    w.member("status", h.status);
    text_or_null(w, "status_reason_code", h.reason_code);
    text_or_null(w, "status_reason_message", h.reason_message);
    w.key("total_count").integer(h.total_count);
    w.key("completed_count").integer(h.completed_count);
    w.member("sender_id", h.sender_id);
    w.member("receiver_id", h.receiver_id);
    w.key("is_msg_encrypted").boolean(false);
    w.end_object();
}

void write_entry(core::json_writer& w, entry_status const& e)
{
    w.begin_object();
    w.member("reference_id", e.reference_id);
    w.member("timestamp", e.timestamp);
    w.member("status", e.status);
    text_or_null(w, "status_reason_code", e.reason_code);
    text_or_null(w, "status_reason_message", e.reason_message);
    w.member("amount", e.amount);
    w.member("payer_fa", e.payer_fa);
    w.member("payee_fa", e.payee_fa);
    w.member("currency_code", e.currency_code);
    w.end_object();
}

} // namespace

std::string disburse_response_body(std::string_view signature, callback_header const& h,
                                   std::string_view transaction_id, std::string_view correlation_id,
                                   std::span<entry_status const> entries)
{
    core::json_writer w(512 + entries.size() * 256);
    w.begin_object();
    w.member("signature", signature);
    write_header(w, h);
    w.key("message").begin_object();
    w.member("transaction_id", transaction_id);
    w.member("correlation_id", correlation_id);
    w.key("disbursements_status").begin_array();
    for(auto const& e : entries)
        write_entry(w, e);
    w.end_array().end_object().end_object();
    return std::move(w).finish();
}

std::string txn_status_body(std::string_view signature, callback_header const& h, std::string_view transaction_id,
                            std::string_view correlation_id, txn_status const& st)
{
    core::json_writer w(512);
    w.begin_object();
    w.member("signature", signature);
    write_header(w, h);
    w.key("message").begin_object();
    w.member("transaction_id", transaction_id);
    w.member("correlation_id", correlation_id);
    w.key("txnstatus_response").begin_object();
    w.member("txn_type", "disburse");
    w.key("txn_status");
    if(auto const* obj = std::get_if<disburse_status_object>(&st))
    {
        w.begin_object();
        w.member("transaction_id", obj->transaction_id);
        w.key("disbursements_status").begin_array();
        for(auto const& e : obj->entries)
            write_entry(w, e);
        w.end_array().end_object();
    }
    else if(auto const* list = std::get_if<std::vector<std::optional<entry_status>>>(&st))
    {
        w.begin_array();
        for(auto const& e : *list)
        {
            if(e)
                write_entry(w, *e);
            else
                w.null();
        }
        w.end_array();
    }
    else
        w.null();
    w.end_object().end_object().end_object();
    return std::move(w).finish();
}

std::string amount_text(core::decimal amount)
{
    std::string s = amount.to_string();
    if(s.find('.') == std::string::npos)
        s += ".0";
    return s;
}

} // namespace mojasim::hub::g2p
