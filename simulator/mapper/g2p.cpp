#include "simulator/mapper/g2p.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <initializer_list>
#include <span>

namespace mojasim::mapper::g2p {

namespace json = boost::json;

namespace {

/// pydantic v1's missing-field answer.
refusal missing(json::array loc)
{
    json::object d;
    d["loc"] = std::move(loc);
    d["msg"] = "field required";
    d["type"] = "value_error.missing";
    json::object o;
    o["detail"] = json::array{std::move(d)};
    return {422, json::serialize(o)};
}

refusal wrong_type(json::array loc, std::string_view what)
{
    json::object d;
    d["loc"] = std::move(loc);
    d["msg"] = std::string(what);
    d["type"] = "type_error";
    json::object o;
    o["detail"] = json::array{std::move(d)};
    return {422, json::serialize(o)};
}

std::string text(json::object const& o, std::string_view name)
{
    auto const* v = o.if_contains(name);
    if(!v || !v->is_string())
        return {};
    return std::string(v->get_string());
}

bool present(json::object const& o, std::string_view name)
{
    auto const* v = o.if_contains(name);
    return v && !v->is_null();
}

/// The entries' list and the required fields of each, by action.
std::string_view list_name(std::string_view action)
{
    if(action == "link") return "link_request";
    if(action == "update") return "update_request";
    if(action == "resolve") return "resolve_request";
    return "unlink_request";
}

std::span<std::string_view const> required_fields(std::string_view action)
{
    static constexpr std::string_view link[] = {"reference_id", "timestamp", "id", "fa"};
    static constexpr std::string_view unlink[] = {"reference_id", "timestamp", "id"};
    static constexpr std::string_view resolve[] = {"reference_id", "timestamp"};
    if(action == "link" || action == "update")
        return link;
    if(action == "unlink")
        return unlink;
    return resolve;
}

std::string_view response_name(std::string_view action)
{
    if(action == "link") return "link_response";
    if(action == "update") return "update_response";
    if(action == "resolve") return "resolve_response";
    return "unlink_response";
}

json::value additional_info_json(entry const& e)
{
    if(e.additional_info.empty())
        return nullptr;
    json::array a;
    for(auto const& [name, value] : e.additional_info)
    {
        json::object i;
        i["name"] = name;
        i["value"] = value;
        a.push_back(std::move(i));
    }
    return a;
}

void merge_additional_info(entry& e, json::value const* info)
{
    if(!info || !info->is_array())
        return;
    for(auto const& item : info->get_array())
    {
        if(!item.is_object())
            continue;
        auto const& o = item.get_object();
        auto const name = text(o, "name");
        auto const* v = o.if_contains("value");
        std::string value = !v ? std::string() : v->is_string() ? std::string(v->get_string()) : json::serialize(*v);
        bool replaced = false;
        for(auto& [n, old] : e.additional_info)
            if(n == name)
            {
                old = value;
                replaced = true;
            }
        if(!replaced)
            e.additional_info.emplace_back(name, std::move(value));
    }
}

json::value locale_of(json::object const& req)
{
    if(auto const* v = req.if_contains("locale"); v && v->is_string())
        return *v;
    return "eng";
}

struct outcome
{
    json::object entry;
    bool ok = true;
};

void set_status(json::object& o, std::string_view status, std::string_view code, std::string_view message)
{
    o["status"] = status;
    o["status_reason_code"] = code.empty() ? json::value(nullptr) : json::value(code);
    o["status_reason_message"] = message.empty() ? json::value(nullptr) : json::value(message);
}

std::optional<outcome> link_one(store& s, json::object const& req, std::string const& now)
{
    outcome out;
    auto const id = text(req, "id");
    auto const fa = text(req, "fa");
    out.entry["reference_id"] = req.at("reference_id");
    out.entry["fa"] = fa;
    out.entry["timestamp"] = now;
    if(s.find("", id))
    {
        set_status(out.entry, "rjct", "rjct.id.invalid", "Duplicate ID exists. Use 'update' instead.");
        out.ok = false;
    }
    else
    {
        entry e;
        e.identity = id;
        set_from_fa(e, fa);
        e.name = text(req, "name");
        e.phone_number = text(req, "phone_number");
        merge_additional_info(e, req.if_contains("additional_info"));
        s.insert(std::move(e));
        set_status(out.entry, "succ", "", "");
    }
    out.entry["additional_info"] = nullptr;
    out.entry["locale"] = locale_of(req);
    return out;
}

std::optional<outcome> update_one(store& s, json::object const& req, std::string const& now)
{
    outcome out;
    auto const id = text(req, "id");
    out.entry["reference_id"] = req.at("reference_id");
    out.entry["timestamp"] = now;
    out.entry["id"] = id;
    if(auto* e = s.find("", id))
    {
        if(auto const fa = text(req, "fa"); !fa.empty())
            set_from_fa(*e, fa);
        if(auto const name = text(req, "name"); !name.empty())
            e->name = name;
        if(auto const phone = text(req, "phone_number"); !phone.empty())
            e->phone_number = phone;
        merge_additional_info(*e, req.if_contains("additional_info"));
        set_status(out.entry, "succ", "", "");
    }
    else
    {
        set_status(out.entry, "rjct", "rjct.id.invalid", "Mapping doesnt exist against given ID. Use 'link' instead.");
        out.ok = false;
    }
    out.entry["additional_info"] = nullptr;
    out.entry["locale"] = locale_of(req);
    return out;
}

std::optional<outcome> unlink_one(store& s, json::object const& req, std::string const& now)
{
    outcome out;
    auto const id = text(req, "id");
    out.entry["reference_id"] = req.at("reference_id");
    out.entry["timestamp"] = now;
    out.entry["id"] = id;
    if(s.erase("", id))
        set_status(out.entry, "succ", "", "");
    else
    {
        set_status(out.entry, "rjct", "rjct.id.invalid", "Mapping doesnt exist against given ID.");
        out.ok = false;
    }
    out.entry["additional_info"] = nullptr;
    out.entry["locale"] = locale_of(req);
    return out;
}

std::optional<outcome> resolve_one(store const& s, json::object const& req, std::string const& now)
{
    auto const id = text(req, "id");
    auto const fa = text(req, "fa");
    if(id.empty() && fa.empty())
        return std::nullopt; // SPAR drops such an entry from the answer
    bool const yes_no = text(req, "scope") == "yes_no";

    entry const* found = nullptr;
    std::string_view code;
    std::string_view message;
    if(!id.empty() && !fa.empty())
    {
        auto const* e = s.resolve_id(id);
        bool const partial = fa.back() == '@' && fa.find(':') != std::string::npos;
        if(e && (partial ? fa_of(*e).find(fa) != std::string::npos : fa_of(*e) == fa))
            found = e;
        code = found ? "succ.id.active" : "succ.fa.not_linked_to_id";
        message = found ? "" : "Mapping not found against given FA and ID.";
    }
    else if(!id.empty())
    {
        found = s.resolve_id(id);
        code = found ? "succ.id.active" : "succ.id.not_found";
        message = found ? "" : "Mapping not found against given ID.";
    }
    else
    {
        found = s.resolve_fa(fa);
        code = found ? "succ.fa.active" : "succ.fa.not_found";
        message = found ? "" : "Mapping not found against given FA.";
    }

    outcome out;
    out.entry["reference_id"] = req.at("reference_id");
    out.entry["timestamp"] = now;
    if(found && !yes_no)
    {
        out.entry["fa"] = fa_of(*found);
        out.entry["id"] = id.empty() ? found->identity : id;
    }
    else
    {
        out.entry["fa"] = nullptr;
        out.entry["id"] = nullptr;
    }
    set_status(out.entry, "succ", code, message);
    out.entry["additional_info"] = found && !yes_no ? additional_info_json(*found) : json::value(nullptr);
    out.entry["locale"] = locale_of(req);
    return out;
}

} // namespace

boost::system::result<envelope, refusal> parse(std::string_view body, std::string_view action)
{
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    if(ec)
    {
        json::object d;
        d["loc"] = json::array{"body", 0};
        d["msg"] = "Expecting value";
        d["type"] = "value_error.jsondecode";
        json::object o;
        o["detail"] = json::array{std::move(d)};
        return refusal{422, json::serialize(o)};
    }
    if(!v.is_object())
        return wrong_type({"body"}, "value is not a valid dict");
    auto const& o = v.get_object();
    for(auto const* name : {"signature", "header", "message"})
        if(!present(o, name))
            return missing({"body", name});
    if(!o.at("header").is_object())
        return wrong_type({"body", "header"}, "value is not a valid dict");
    if(!o.at("message").is_object())
        return wrong_type({"body", "message"}, "value is not a valid dict");
    auto const& h = o.at("header").get_object();
    for(auto const* name : {"message_id", "message_ts", "action", "sender_id", "total_count"})
        if(!present(h, name))
            return missing({"body", "header", name});

    envelope e;
    e.signature = o.at("signature").is_string() ? std::string(o.at("signature").get_string()) : json::serialize(o.at("signature"));
    e.action = text(h, "action");
    if(e.action != action)
    {
        json::object err;
        err["code"] = "MPR-REQ-400";
        err["message"] = "Received Invalid action in header for '" + std::string(action) + "'.";
        json::object out;
        out["errors"] = json::array{std::move(err)};
        return refusal{400, json::serialize(out)};
    }
    e.message_id = text(h, "message_id");
    e.sender_id = text(h, "sender_id");
    e.sender_uri = text(h, "sender_uri");
    e.message = o.at("message").get_object();

    auto const list = list_name(action);
    if(!present(e.message, "transaction_id"))
        return missing({"body", "message", "transaction_id"});
    if(!present(e.message, list))
        return missing({"body", "message", list});
    if(!e.message.at(list).is_array())
        return wrong_type({"body", "message", list}, "value is not a valid list");
    auto const& entries = e.message.at(list).get_array();
    for(std::size_t i = 0; i < entries.size(); ++i)
    {
        if(!entries[i].is_object())
            return wrong_type({"body", "message", list, i}, "value is not a valid dict");
        for(auto const name : required_fields(action))
            if(!present(entries[i].get_object(), name))
                return missing({"body", "message", list, i, name});
    }
    return e;
}

std::string process(store& s, envelope const& e, answer_options const& o)
{
    auto const list = list_name(e.action);
    auto const& entries = e.message.at(list).get_array();
    json::array responses;
    std::size_t failed = 0;
    for(auto const& item : entries)
    {
        auto const& req = item.get_object();
        std::optional<outcome> r;
        if(e.action == "link")
            r = link_one(s, req, o.now);
        else if(e.action == "update")
            r = update_one(s, req, o.now);
        else if(e.action == "unlink")
            r = unlink_one(s, req, o.now);
        else
            r = resolve_one(s, req, o.now);
        if(!r)
            continue;
        if(!r->ok)
            ++failed;
        responses.push_back(std::move(r->entry));
    }

    json::object header;
    header["version"] = "1.0.0";
    header["message_id"] = e.message_id;
    header["message_ts"] = o.now;
    header["action"] = e.action;
    bool const all_failed = !responses.empty() && failed == responses.size();
    header["status"] = all_failed ? "rjct" : "succ";
    header["status_reason_code"] = all_failed ? json::value("rjct.errors.too_many") : json::value(nullptr);
    header["status_reason_message"] = all_failed ? json::value("All requests in transaction failed.") : json::value(nullptr);
    header["total_count"] = entries.size();
    header["completed_count"] = responses.size();
    header["sender_id"] = o.sender_id;
    header["receiver_id"] = e.sender_id;
    header["is_encrypted"] = false;
    header["meta"] = json::object{};

    json::object message;
    message["transaction_id"] = e.message.at("transaction_id");
    message["correlation_id"] = o.correlation_id;
    message[response_name(e.action)] = std::move(responses);

    json::object out;
    out["signature"] = e.signature;
    out["header"] = std::move(header);
    out["message"] = std::move(message);
    return json::serialize(out);
}

std::string ack_body(std::string_view now, std::string_view correlation_id)
{
    json::object m;
    m["ack_status"] = "ACK";
    m["timestamp"] = now;
    m["error"] = nullptr;
    m["correlation_id"] = correlation_id;
    json::object o;
    o["message"] = std::move(m);
    return json::serialize(o);
}

refusal als_participants(store const& s, std::string_view type, std::string_view id)
{
    auto error = [](std::string_view code, std::string_view description) {
        json::object e;
        e["errorCode"] = code;
        e["errorDescription"] = description;
        json::object o;
        o["errorInformation"] = std::move(e);
        return refusal{400, json::serialize(o)};
    };
    if(type != "ACCOUNT_ID")
        return error("ML-SPR-100", "Given type is not supported by this oracle.");
    auto const* e = id.empty() ? nullptr : s.resolve_fa("account:" + std::string(id) + "@");
    if(!e)
        return error("ML-SPR-200", "Given Type and ID combination is invalid or not found in this oracle.");
    if(e->bank.empty())
        return error("ML-SPR-300", "FinancialAddress response is not recognisable by this oracle or by Mojaloop.");
    json::object party;
    party["fspId"] = e->bank;
    json::object o;
    o["partyList"] = json::array{std::move(party)};
    return refusal{200, json::serialize(o)};
}

std::string resolve_request(std::string_view message_id, std::string_view transaction_id, std::string_view id,
                            std::string_view now)
{
    json::object header;
    header["version"] = "1.0.0";
    header["message_id"] = message_id;
    header["message_ts"] = now;
    header["action"] = "resolve";
    header["sender_id"] = "mojasim";
    header["sender_uri"] = "";
    header["total_count"] = 1;
    json::object entry;
    entry["reference_id"] = std::string(message_id);
    entry["timestamp"] = now;
    entry["id"] = id;
    entry["fa"] = "";
    entry["scope"] = "details";
    entry["locale"] = "eng";
    json::object message;
    message["transaction_id"] = transaction_id;
    message["resolve_request"] = json::array{std::move(entry)};
    json::object o;
    o["signature"] = "";
    o["header"] = std::move(header);
    o["message"] = std::move(message);
    return json::serialize(o);
}

std::optional<std::string> resolved_fa(std::string_view body)
{
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    if(ec || !v.is_object())
        return std::nullopt;
    auto const* m = v.get_object().if_contains("message");
    if(!m || !m->is_object())
        return std::nullopt;
    auto const* list = m->get_object().if_contains("resolve_response");
    if(!list || !list->is_array() || list->get_array().empty() || !list->get_array()[0].is_object())
        return std::nullopt;
    auto const fa = text(list->get_array()[0].get_object(), "fa");
    if(fa.empty())
        return std::nullopt;
    return fa;
}

} // namespace mojasim::mapper::g2p
