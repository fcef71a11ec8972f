#include "payment-hub/bulk_flow.hpp"

#include "payment-hub/payment_outcome.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cassert>
#include <unordered_map>

namespace mojasim::hub {

namespace json = boost::json;

namespace {

json::object const* object_at(json::object const& o, std::string_view key)
{
    auto const* v = o.if_contains(key);
    return v ? v->if_object() : nullptr;
}

std::string string_at(json::object const* o, std::string_view key)
{
    if(!o)
        return {};
    auto const* v = o->if_contains(key);
    if(!v)
        return {};
    if(auto const* s = v->if_string())
        return std::string(*s);
    if(v->is_int64())
        return std::to_string(v->as_int64());
    return {};
}

/// The FSPIOP error inside a connector error: {mojaloopError:{errorInformation}}, a bare
/// {errorInformation}, or the SDK's {statusCode, message}.
bool read_error(json::object const& e, std::string& code, std::string& description)
{
    json::object const* info = nullptr;
    if(auto const* m = object_at(e, "mojaloopError"))
        info = object_at(*m, "errorInformation");
    if(!info)
        info = object_at(e, "errorInformation");
    if(info)
    {
        code = string_at(info, "errorCode");
        description = string_at(info, "errorDescription");
    }
    if(code.empty())
    {
        code = string_at(&e, "statusCode");
        description = string_at(&e, "message");
    }
    if(code.size() != 4 || !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }))
        code = std::string(hub_error::internal_code);
    if(description.empty())
        description = std::string(bulk_error::failed);
    return true;
}

bool committed(json::object const* o)
{
    return o && string_at(o, "transferState") == "COMMITTED";
}

/// An item of the bulk transaction; `final`: the bulk is over, so an item neither committed
/// nor failed has failed. Before that only lastError marks a failure.
bulk_item_result read_item(json::object const& it, bool final)
{
    bulk_item_result r;
    r.home_transaction_id = string_at(&it, "homeTransactionId");
    r.transfer_id = string_at(&it, "transferId");
    if(auto const* to = object_at(it, "to"))
        r.payee_fsp = string_at(object_at(*to, "partyIdInfo"), "fspId");
    if(auto const* e = object_at(it, "lastError"))
    {
        read_error(*e, r.error_code, r.error_description);
        return r;
    }
    auto const* fulfil = object_at(it, "fulfil");
    auto const* fulfil_body = fulfil ? object_at(*fulfil, "body") : nullptr;
    auto const state = string_at(&it, "transferState");
    if(state == "COMMITTED" || committed(fulfil) || committed(fulfil_body) ||
       (state.empty() && fulfil && !string_at(fulfil, "fulfilment").empty()))
    {
        r.completed = true;
        return r;
    }
    if(!final)
        return r;
    r.error_code = std::string(hub_error::internal_code);
    r.error_description = state.empty() ? std::string(bulk_error::missing_item) : "Transfer " + state;
    return r;
}

bool is_final(std::string_view s)
{
    return s == "COMPLETED" || s == "ERROR_OCCURRED" || s == "ABORTED";
}

} // namespace

bulk_status interpret_bulk_status(unsigned status, std::string_view body)
{
    bulk_status s;
    if(status == 404)
        return s; // pending: not (yet) known
    if(status != 200)
    {
        s.what = bulk_status::phase::malformed;
        return s;
    }
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    auto const* o = ec ? nullptr : v.if_object();
    if(!o)
    {
        s.what = bulk_status::phase::malformed;
        return s;
    }
    s.current_state = string_at(o, "currentState");
    if(s.current_state.empty()) // the bulk transfer's own word for it
        s.current_state = string_at(o, "bulkTransactionState");
    if(auto const* e = object_at(*o, "lastError"))
        read_error(*e, s.error_code, s.error_description);
    else if(object_at(*o, "errorInformation"))
        read_error(*o, s.error_code, s.error_description);
    auto const& st = s.current_state;
    if(st == "WAITING_FOR_PARTY_ACCEPTANCE" || st == "DISCOVERY_ACCEPTANCE_PENDING")
        s.what = bulk_status::phase::accept_party;
    else if(st == "WAITING_FOR_QUOTE_ACCEPTANCE" || st == "AGREEMENT_ACCEPTANCE_PENDING")
        s.what = bulk_status::phase::accept_quote;
    else if(is_final(st))
        s.what = bulk_status::phase::finished;
    else
        s.what = bulk_status::phase::pending;
    if(auto const* items = o->if_contains("individualTransferResults"))
    {
        if(auto const* a = items->if_array())
            for(auto const& it : *a)
                if(auto const* io = it.if_object())
                    s.items.push_back(read_item(*io, s.what == bulk_status::phase::finished));
    }
    return s;
}

bulk_post_answer interpret_bulk_post(unsigned status, std::string_view body)
{
    bulk_post_answer a;
    if(status >= 200 && status < 300)
    {
        if(!body.empty())
            if(auto s = interpret_bulk_status(200, body); s.what == bulk_status::phase::finished)
                a.result = std::move(s);
        return a;
    }
    a.what = bulk_post_answer::kind::refused;
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    if(auto const* o = ec ? nullptr : v.if_object())
        read_error(*o, a.error_code, a.error_description);
    else
    {
        a.error_code = std::string(hub_error::internal_code);
        a.error_description = "Connector answered HTTP " + std::to_string(status);
    }
    return a;
}

//------------------------------------------------------------------------------

bulk_flow::bulk_flow(std::vector<std::string> home_ids, bulk_flow_options opts)
    : home_ids_(std::move(home_ids)), opts_(opts)
{
    if(opts_.max_attempts < 1)
        opts_.max_attempts = 1;
    if(opts_.poll_delay <= std::chrono::milliseconds::zero())
        opts_.poll_delay = std::chrono::milliseconds(1);
    opts_.max_poll_delay = std::max(opts_.max_poll_delay, opts_.poll_delay);
    next_poll_ = opts_.poll_delay;
}

bulk_flow::action bulk_flow::start()
{
    assert(stage_ == stage::idle);
    stage_ = stage::posted;
    attempt_ = 1;
    return send_post{attempt_};
}

bulk_flow::action bulk_flow::on_post(bulk_post_answer a)
{
    assert(stage_ == stage::posted);
    switch(a.what)
    {
    case bulk_post_answer::kind::accepted:
        if(a.result)
            return finish(*a.result);
        return poll_later();
    case bulk_post_answer::kind::unknown:
        return poll_later();
    case bulk_post_answer::kind::not_arrived:
        if(attempt_ < opts_.max_attempts)
        {
            stage_ = stage::waiting_retry;
            waited_ += opts_.retry_delay;
            return wait{opts_.retry_delay};
        }
        return fail_all(a.error_code.empty() ? hub_error::communication_code : std::string_view(a.error_code),
                        a.error_description.empty() ? hub_error::communication : std::string_view(a.error_description));
    case bulk_post_answer::kind::refused:
        break;
    }
    return fail_all(a.error_code, a.error_description);
}

bulk_flow::action bulk_flow::poll_later()
{
    if(waited_ >= opts_.timeout)
        return fail_all(hub_error::server_timed_out_code, bulk_error::timed_out);
    stage_ = stage::waiting_poll;
    auto const d = next_poll_;
    waited_ += d;
    next_poll_ = std::min(next_poll_ * 2, opts_.max_poll_delay);
    return wait{d};
}

bulk_flow::action bulk_flow::on_waited()
{
    assert(stage_ == stage::waiting_retry || stage_ == stage::waiting_poll);
    if(stage_ == stage::waiting_retry)
    {
        ++attempt_;
        stage_ = stage::posted;
        return send_post{attempt_};
    }
    stage_ = stage::asking;
    return send_get{};
}

bulk_flow::action bulk_flow::on_put(bool)
{
    assert(stage_ == stage::accepting);
    // The connector goes on from here: ask again soon.
    next_poll_ = opts_.poll_delay;
    return poll_later();
}

bulk_flow::action bulk_flow::on_status(std::optional<bulk_status> s)
{
    assert(stage_ == stage::asking);
    if(!s)
        return poll_later();
    using phase = bulk_status::phase;
    if(s->what == phase::finished)
        return finish(*s);
    bool const party = s->what == phase::accept_party;
    if((party && !accepted_party_) || (s->what == phase::accept_quote && !accepted_quote_))
    {
        (party ? accepted_party_ : accepted_quote_) = true;
        ++accepts_;
        send_put put;
        put.what = party ? connector::transfer_continuation::kind::accept_party
                         : connector::transfer_continuation::kind::accept_quote;
        for(auto const& it : s->items)
            if(it.error_code.empty() && !it.transfer_id.empty())
                put.transfer_ids.push_back(it.transfer_id);
        if(!put.transfer_ids.empty())
        {
            stage_ = stage::accepting;
            return put;
        }
        // Nothing left to accept: every item failed before this point.
        return finish(*s);
    }
    return poll_later();
}

bulk_flow::action bulk_flow::fail_all(std::string_view code, std::string_view description)
{
    stage_ = stage::finished;
    done d;
    d.items.reserve(home_ids_.size());
    for(auto& id : home_ids_)
    {
        bulk_item_result r;
        r.home_transaction_id = std::move(id);
        r.error_code = code.empty() ? std::string(hub_error::internal_code) : std::string(code);
        r.error_description = description.empty() ? std::string(bulk_error::failed) : std::string(description);
        d.items.push_back(std::move(r));
    }
    return d;
}

bulk_flow::action bulk_flow::finish(bulk_status const& s)
{
    stage_ = stage::finished;
    std::unordered_map<std::string_view, bulk_item_result const*> by_home;
    by_home.reserve(s.items.size());
    for(auto const& it : s.items)
        by_home.emplace(it.home_transaction_id, &it);
    done d;
    d.items.reserve(home_ids_.size());
    for(auto& id : home_ids_)
    {
        auto found = by_home.find(id);
        if(found != by_home.end())
        {
            d.items.push_back(*found->second);
            continue;
        }
        bulk_item_result r;
        r.home_transaction_id = std::move(id);
        r.error_code = s.error_code.empty() ? std::string(hub_error::internal_code) : s.error_code;
        r.error_description = s.error_code.empty() ? std::string(bulk_error::missing_item) : s.error_description;
        d.items.push_back(std::move(r));
    }
    return d;
}

} // namespace mojasim::hub
