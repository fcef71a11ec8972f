#include "payment-hub/interop.hpp"

#include "simulator/admin/json_io.hpp"
#include "simulator/core/clock.hpp"
#include "simulator/core/json_writer.hpp"

#include <boost/json/value.hpp>

#include <algorithm>
#include <cctype>

namespace mojasim::hub::interop {

namespace json = boost::json;

decoded decode(std::string_view body)
{
    auto v = admin_api::parse_exact(body);
    if(!v || !v->is_object())
        return bad_request{"the body must be a JSON object"};
    auto const& o = v->get_object();
    request r;
    auto text = [](json::object const& obj, std::string_view key, std::string& out) {
        auto const* m = obj.if_contains(key);
        if(!m || m->is_null())
            return true;
        if(!m->is_string()) // parse_exact gives numbers as strings too
            return false;
        out = std::string(m->get_string());
        return true;
    };
    if(!text(o, "note", r.note))
        return bad_request{"note must be a string"};
    if(!text(o, "disbursementId", r.disbursement_id) || r.disbursement_id.empty())
        return bad_request{"disbursementId is required (a string)"};
    auto const* list = o.if_contains("payeeList");
    if(!list || !list->is_array())
        return bad_request{"payeeList is required (an array)"};
    std::size_t i = 0;
    for(auto const& e : list->get_array())
    {
        auto const where = "payeeList[" + std::to_string(i++) + "]";
        if(!e.is_object())
            return bad_request{where + " must be an object"};
        auto const& eo = e.get_object();
        payee p;
        if(!text(eo, "payeeIdType", p.id_type))
            return bad_request{where + ".payeeIdType must be a string"};
        if(!text(eo, "payeeIdValue", p.id_value))
            return bad_request{where + ".payeeIdValue must be a string"};
        if(!text(eo, "amount", p.amount))
            return bad_request{where + ".amount must be a number"};
        if(!text(eo, "currency", p.currency))
            return bad_request{where + ".currency must be a string"};
        r.payees.push_back(std::move(p));
    }
    return r;
}

std::string error_body(bad_request const& e)
{
    core::json_writer w(32 + e.message.size());
    w.begin_object().member("error", e.message).end_object();
    return std::move(w).finish();
}

std::optional<connector::party_id_type> payee_type(std::string_view id_type)
{
    std::string u(id_type);
    std::transform(u.begin(), u.end(), u.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if(u == "PHONE" || u == "MOBILE" || u == "MSISDN")
        return connector::party_id_type::msisdn;
    if(u == "ACCOUNT" || u == "ACCOUNT_ID" || u == "ACCOUNT_NO")
        return connector::party_id_type::account_id;
    return connector::party_id_type_from_string(u);
}

std::string response_body(std::string_view disbursement_id, std::span<result const> results)
{
    core::json_writer w(64 + results.size() * 96);
    w.begin_object();
    w.member("disbursementId", disbursement_id);
    w.key("payeeResults").begin_array();
    for(auto const& r : results)
    {
        w.begin_object();
        w.member("status", r.status);
        w.key("amountCredited");
        if(r.amount_credited)
            w.number(*r.amount_credited);
        else
            w.null();
        w.member("timestamp", core::format_datetime(core::time_point{std::chrono::milliseconds(r.timestamp_ms)}));
        w.end_object();
    }
    w.end_array().end_object();
    return std::move(w).finish();
}

} // namespace mojasim::hub::interop
