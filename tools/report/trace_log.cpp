#include "tools/report/trace_log.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <ostream>
#include <set>

namespace mojasim::report {

namespace json = boost::json;

trace_record to_record(net::trace_event const& e)
{
    trace_record r;
    r.unix_us = std::chrono::duration_cast<std::chrono::microseconds>(e.time.time_since_epoch()).count();
    r.exchange = e.exchange;
    r.actor = std::string(e.actor);
    r.peer = e.peer;
    r.sent = e.dir == net::trace_event::direction::sent;
    r.is_request = e.type == net::trace_event::kind::request;
    r.method = e.method;
    r.target = std::string(e.target);
    r.status = e.status;
    if(e.fields)
        r.fields = *e.fields;
    r.body = std::string(e.body);
    return r;
}

net::trace_sink trace_log::sink()
{
    return [this](net::trace_event const& e) {
        auto r = to_record(e);
        std::lock_guard lock(mutex_);
        records_.push_back(std::move(r));
    };
}

std::vector<trace_record> trace_log::snapshot() const
{
    std::lock_guard lock(mutex_);
    return records_;
}

std::size_t trace_log::size() const
{
    std::lock_guard lock(mutex_);
    return records_.size();
}

void trace_log::clear()
{
    std::lock_guard lock(mutex_);
    records_.clear();
}

void trace_log::write_jsonl(std::ostream& os) const
{
    std::lock_guard lock(mutex_);
    report::write_jsonl(os, records_);
}

void write_jsonl(std::ostream& os, std::vector<trace_record> const& records)
{
    for(auto const& r : records)
    {
        json::object o;
        o["time_us"] = r.unix_us;
        o["exchange"] = r.exchange;
        o["actor"] = r.actor;
        o["peer"] = r.peer;
        o["direction"] = r.sent ? "sent" : "received";
        o["kind"] = r.is_request ? "request" : "response";
        o["method"] = std::string(net::to_string(r.method));
        o["target"] = r.target;
        if(!r.is_request)
            o["status"] = r.status;
        json::object h;
        for(auto const& [k, v] : r.fields)
            h[k] = v;
        o["headers"] = std::move(h);
        o["body"] = r.body;
        os << json::serialize(o) << '\n';
    }
}

namespace {

// Ids a message introduces for its payment.
void collect_ids(json::value const& v, std::set<std::string>& ids, int depth = 0)
{
    if(depth > 6)
        return;
    if(v.is_object())
    {
        for(auto const& [k, child] : v.get_object())
        {
            bool const id_key = k == "transferId" || k == "quoteId" || k == "transactionId" || k == "homeTransactionId";
            if(id_key && child.is_string() && !child.get_string().empty())
                ids.insert(std::string(child.get_string()));
            else if(k == "to" && child.is_object())
            {
                // The payee of a connector request: its lookup is keyed by this identifier.
                if(auto const* id = child.get_object().if_contains("idValue"); id && id->is_string())
                    ids.insert(std::string(id->get_string()));
            }
            else
                collect_ids(child, ids, depth + 1);
        }
    }
}

// The lists of items in the bodies of bulk messages (/bulkTransactions, /bulkQuotes,
// /bulkTransfers): requests, callbacks and the connector's answers.
constexpr std::string_view item_lists[] = {"individualTransfers", "individualQuotes", "individualQuoteResults",
                                           "individualTransferResults"};

bool is_bulk(trace_record const& r)
{
    for(auto const* resource : {"/bulkTransactions", "/bulkQuotes", "/bulkTransfers"})
        if(r.target.find(resource) != std::string::npos)
            return true;
    return false;
}

/// The items of a bulk message's body; -1 when it has no list of items.
long item_count(json::value const& v)
{
    auto const* o = v.if_object();
    if(!o)
        return -1;
    for(auto const key : item_lists)
        if(auto const* a = o->if_contains(key); a && a->is_array())
            return static_cast<long>(a->get_array().size());
    return -1;
}

/// The payee identifier of a bulk item: to.partyIdInfo or payee.partyIdInfo.
void collect_payee(json::object const& item, std::set<std::string>& ids)
{
    for(auto const key : {"to", "payee"})
        if(auto const* p = item.if_contains(key); p && p->is_object())
            if(auto const* info = p->get_object().if_contains("partyIdInfo"); info && info->is_object())
                if(auto const* id = info->get_object().if_contains("partyIdentifier"); id && id->is_string())
                    ids.insert(std::string(id->get_string()));
}

// A bulk message names every item of its bulk: only the items that already belong to the
// payment bring their ids in, and then the bulk's own id (which the bulk's later messages
// carry in their paths).
void collect_bulk_ids(json::value const& v, std::set<std::string>& ids)
{
    auto const* o = v.if_object();
    if(!o)
        return;
    bool mine = false;
    for(auto const key : item_lists)
    {
        auto const* a = o->if_contains(key);
        if(!a || !a->is_array())
            continue;
        for(auto const& item : a->get_array())
        {
            if(!item.is_object())
                continue;
            std::set<std::string> its;
            collect_ids(item, its);
            collect_payee(item.get_object(), its);
            if(std::none_of(its.begin(), its.end(), [&](std::string const& id) { return ids.contains(id); }))
                continue;
            mine = true;
            ids.insert(its.begin(), its.end());
        }
    }
    if(!mine)
        return;
    for(auto const key : {"bulkTransactionId", "bulkQuoteId", "bulkTransferId"})
        if(auto const* id = o->if_contains(key); id && id->is_string() && !id->get_string().empty())
            ids.insert(std::string(id->get_string()));
}

bool mentions(trace_record const& r, std::set<std::string> const& ids)
{
    for(auto const& id : ids)
        if(r.target.find(id) != std::string::npos || r.body.find(id) != std::string::npos)
            return true;
    return false;
}

// Batch uploads and status pages name every payment of a batch: they join a payment's story
// but do not bring new ids into it.
bool is_batch_wide(trace_record const& r)
{
    return r.target.find("/batchtransactions") != std::string::npos || r.target.find("/api/v1/") != std::string::npos ||
           r.body.size() > 16 * 1024;
}

} // namespace

std::vector<trace_record const*> payment_messages(std::vector<trace_record> const& records, std::string const& request_id)
{
    // A request and its response, as one actor saw them, join a payment together.
    std::set<std::pair<std::string_view, std::uint64_t>> exchanges;
    std::set<std::string> ids{request_id};
    auto const take = [&](trace_record const& r) {
        exchanges.emplace(r.actor, r.exchange);
        // A bulk message of any size brings in only its own items' ids.
        bool const bulk = is_bulk(r);
        if(!bulk && is_batch_wide(r))
            return;
        json::error_code ec;
        auto const v = json::parse(r.body, ec);
        if(ec)
            return;
        if(bulk)
            collect_bulk_ids(v, ids);
        else
            collect_ids(v, ids);
    };
    // Repeat until no new id turns up: ids first seen in a response pull in earlier messages.
    // Each message is taken (and its body parsed) once.
    std::vector<bool> taken(records.size(), false);
    for(std::size_t before = 0; before != ids.size() + exchanges.size();)
    {
        before = ids.size() + exchanges.size();
        for(std::size_t i = 0; i < records.size(); ++i)
        {
            auto const& r = records[i];
            if(!taken[i] && (exchanges.contains({r.actor, r.exchange}) || mentions(r, ids)))
            {
                taken[i] = true;
                take(r);
            }
        }
    }
    // The story starts when OpenG2P sends the payment (not at onboarding, which registered
    // the same beneficiary).
    std::vector<trace_record const*> out;
    bool started = false;
    for(auto const& r : records)
    {
        started = started || r.body.find(request_id) != std::string::npos || r.target.find(request_id) != std::string::npos;
        if(started && exchanges.contains({r.actor, r.exchange}))
            out.push_back(&r);
    }
    return out;
}

std::string mermaid_sequence(std::vector<trace_record const*> const& records, actor_namer const& name_of,
                             std::string const& title)
{
    std::string out = "sequenceDiagram\n    title " + title + "\n";
    // A bulk message is one arrow with its number of items.
    auto const items = [](trace_record const& r) -> std::string {
        if(!is_bulk(r) || r.body.empty())
            return {};
        json::error_code ec;
        auto const v = json::parse(r.body, ec);
        auto const n = ec ? -1 : item_count(v);
        if(n < 0)
            return {};
        return " (" + std::to_string(n) + (n == 1 ? " item)" : " items)");
    };
    auto const label = [&](trace_record const& r) {
        std::string path = r.target.substr(0, r.target.find('?'));
        if(path.size() > 60)
            path = path.substr(0, 57) + "...";
        return std::string(net::to_string(r.method)) + " " + path + items(r);
    };
    // Arrows; an exchange repeated at once (the hub polling a bulk transaction) is drawn once
    // with its count.
    std::vector<std::string> lines;
    for(auto const* r : records)
    {
        // The client side of each exchange: what it sent and what it got back.
        if(r->sent != r->is_request)
            continue;
        std::string server = name_of(r->peer);
        if(server.empty())
            server = r->peer;
        for(auto& c : server)
            if(c == ':' || c == '.')
                c = '_';
        if(r->is_request)
            lines.push_back(r->actor + "->>" + server + ": " + label(*r));
        else
            lines.push_back(server + "-->>" + r->actor + ": " + std::to_string(r->status) + items(*r));
    }
    for(std::size_t i = 0; i < lines.size();)
    {
        std::size_t repeats = 1;
        if(i + 1 < lines.size() && lines[i].find("-->>") == std::string::npos)
            while(i + 2 * repeats + 1 < lines.size() && lines[i + 2 * repeats] == lines[i] &&
                  lines[i + 2 * repeats + 1] == lines[i + 1])
                ++repeats;
        if(repeats > 1)
        {
            out += "    " + lines[i] + " (x" + std::to_string(repeats) + ")\n";
            out += "    " + lines[i + 1] + "\n";
            i += 2 * repeats;
            continue;
        }
        out += "    " + lines[i] + "\n";
        ++i;
    }
    return out;
}

std::string describe_messages(std::vector<trace_record const*> const& records, actor_namer const& name_of)
{
    constexpr std::size_t cut = 500;
    auto const body = [&](std::string const& b) {
        return b.size() > cut ? b.substr(0, cut) + "..." : b;
    };
    std::string out;
    for(auto const* r : records)
    {
        if(r->sent && r->is_request)
        {
            auto peer = name_of(r->peer);
            out += r->actor + "->" + (peer.empty() ? r->peer : peer) + " " + std::string(net::to_string(r->method)) + " " +
                   r->target + "\n";
            if(!r->body.empty())
                out += "  " + body(r->body) + "\n";
        }
        else if(!r->sent && !r->is_request)
        {
            out += "  answered " + std::to_string(r->status);
            if(r->status >= 400 && !r->body.empty())
                out += " " + body(r->body);
            out += "\n";
        }
    }
    return out;
}

} // namespace mojasim::report
