#include "tools/report/story.hpp"

#include "simulator/core/decimal.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

namespace mojasim::report {

namespace json = boost::json;

namespace {

std::string path_of(std::string const& target)
{
    return target.substr(0, target.find('?'));
}

bool starts_with(std::string_view s, std::string_view p)
{
    return s.substr(0, p.size()) == p;
}

bool ends_with(std::string_view s, std::string_view p)
{
    return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

json::value parse(std::string const& body)
{
    if(body.empty() || body.size() > 64 * 1024)
        return nullptr;
    json::error_code ec;
    auto v = json::parse(body, ec);
    return ec ? json::value(nullptr) : v;
}

// The string at a path of keys, or empty.
std::string str(json::value const& v, std::initializer_list<std::string_view> keys)
{
    json::value const* at = &v;
    for(auto k : keys)
    {
        if(!at->is_object())
            return {};
        at = at->get_object().if_contains(k);
        if(!at)
            return {};
    }
    if(at->is_string())
        return std::string(at->get_string());
    if(at->is_int64())
        return std::to_string(at->get_int64());
    if(at->is_double())
    {
        auto d = core::decimal::parse(json::serialize(*at));
        return d ? d->to_string() : std::string{};
    }
    return {};
}

// "50.00 USD" from a money object {amount, currency}.
std::string money(json::value const& v, std::initializer_list<std::string_view> keys)
{
    json::value const* at = &v;
    for(auto k : keys)
    {
        if(!at->is_object())
            return {};
        at = at->get_object().if_contains(k);
        if(!at)
            return {};
    }
    auto const amount = str(*at, {"amount"});
    auto const currency = str(*at, {"currency"});
    if(amount.empty())
        return {};
    auto const d = core::decimal::parse(amount);
    return (d ? d->to_string_fixed(2) : amount) + (currency.empty() ? "" : " " + currency);
}

std::string amount_text(std::string const& amount, std::string const& currency)
{
    auto const d = core::decimal::parse(amount);
    return (d ? d->to_string_fixed(2) : amount) + (currency.empty() ? "" : " " + currency);
}

// "5104 Payee rejected transaction" from an FSPIOP error body or a connector error answer.
std::string error_text(json::value const& v)
{
    auto code = str(v, {"errorInformation", "errorCode"});
    auto desc = str(v, {"errorInformation", "errorDescription"});
    if(code.empty())
    {
        code = str(v, {"statusCode"});
        desc = str(v, {"message"});
    }
    if(code.empty())
    {
        // The connector's answer may carry the FSPIOP error of the callback inside.
        code = str(v, {"transferState", "lastError", "mojaloopError", "errorInformation", "errorCode"});
        desc = str(v, {"transferState", "lastError", "mojaloopError", "errorInformation", "errorDescription"});
    }
    if(code.empty())
        return desc;
    return desc.empty() ? code : code + " " + desc;
}

std::string phase_of(trace_record const& r)
{
    auto const p = path_of(r.target);
    if(starts_with(p, "/batchtransactions"))
        return "batch";
    if(starts_with(p, "/api/v1/") || starts_with(p, "/batch"))
        return "status";
    if(r.actor == "hub" && starts_with(p, "/transfers"))
        return "payment";
    if(starts_with(p, "/parties") || starts_with(p, "/participants"))
        return "lookup";
    if(starts_with(p, "/quotes") || starts_with(p, "/bulkQuotes"))
        return "quote";
    if(starts_with(p, "/transfers") || starts_with(p, "/bulkTransfers"))
        return "transfer";
    if(starts_with(p, "/transactionRequests") || starts_with(p, "/authorizations"))
        return "request to pay";
    return "other";
}

// What a request is and what it carries.
void describe_request(trace_record const& r, story_arrow& a)
{
    auto const p = path_of(r.target);
    auto const m = r.method;
    a.phase = phase_of(r);
    bool const is_error = ends_with(p, "/error");
    json::value const v = a.phase == "batch" ? json::value(nullptr) : parse(r.body);
    if(is_error)
    {
        a.kind = "error";
        a.detail = error_text(v);
        a.error = true;
        return;
    }
    if(a.phase == "batch")
    {
        // Rows of the CSV: its lines but the header (CRLF, as OpenG2P writes them).
        std::size_t lines = 0;
        for(std::size_t at = r.body.find("\r\n"); at != std::string::npos; at = r.body.find("\r\n", at + 2))
            ++lines;
        a.kind = "upload batch";
        if(r.body.find("request_id") != std::string::npos && lines > 1)
        {
            // Multipart: the part's headers and the boundaries are lines too; count CSV rows.
            std::size_t rows = 0;
            auto const csv = r.body.find("request_id");
            for(std::size_t at = r.body.find('\n', csv); at != std::string::npos; at = r.body.find('\n', at + 1))
                if(at + 1 < r.body.size() && r.body[at + 1] != '-' && r.body[at + 1] != '\r' && r.body[at + 1] != '\n')
                    ++rows;
            a.detail = std::to_string(rows) + (rows == 1 ? " row" : " rows");
        }
        return;
    }
    if(a.phase == "status")
    {
        a.kind = "status poll";
        return;
    }
    if(a.phase == "payment")
    {
        a.kind = m == net::method::post ? "pay" : std::string(net::to_string(m)) + " " + p;
        auto const amount = str(v, {"amount"});
        if(!amount.empty())
            a.detail = amount_text(amount, str(v, {"currency"}));
        auto const to = str(v, {"to", "idValue"});
        if(!to.empty())
            a.detail += (a.detail.empty() ? "" : " ") + std::string("to ") + str(v, {"to", "idType"}) + " " + to;
        return;
    }
    if(a.phase == "lookup")
    {
        // /parties/{Type}/{ID}: the identifier is the last segments.
        auto const rest = p.substr(p.find('/', 1) + 1);
        auto const slash = rest.find('/');
        auto const who = slash == std::string::npos ? rest : rest.substr(0, slash) + " " + rest.substr(slash + 1);
        if(m == net::method::get)
        {
            a.kind = "lookup";
            a.detail = who;
        }
        else if(m == net::method::put && starts_with(p, "/parties"))
        {
            a.kind = "party";
            auto const name = str(v, {"party", "name"});
            auto const fsp = str(v, {"party", "partyIdInfo", "fspId"});
            a.detail = (name.empty() ? who : name) + (fsp.empty() ? "" : " at " + fsp);
        }
        else
        {
            a.kind = std::string(net::to_string(m)) + " " + p;
            auto const fsp = str(v, {"fspId"});
            a.detail = fsp;
        }
        return;
    }
    if(a.phase == "quote")
    {
        if(m == net::method::post)
        {
            a.kind = "quote request";
            a.detail = money(v, {"amount"});
            auto const type = str(v, {"amountType"});
            if(!type.empty())
                a.detail += " " + type;
        }
        else if(m == net::method::put)
        {
            a.kind = "quote";
            a.detail = money(v, {"transferAmount"});
            auto const fee = money(v, {"payeeFspFee"});
            if(!fee.empty())
                a.detail += ", fee " + fee;
            auto const cond = str(v, {"condition"});
            if(!cond.empty())
                a.detail += ", condition " + cond.substr(0, 8) + "...";
        }
        else
            a.kind = std::string(net::to_string(m)) + " " + p;
        return;
    }
    if(a.phase == "transfer")
    {
        if(m == net::method::post)
        {
            a.kind = "prepare";
            a.detail = money(v, {"amount"});
        }
        else if(m == net::method::put)
        {
            a.kind = "fulfil";
            a.detail = str(v, {"transferState"});
        }
        else if(m == net::method::patch)
        {
            a.kind = "commit notice";
            a.detail = str(v, {"transferState"});
        }
        else
            a.kind = "transfer status";
        return;
    }
    if(a.phase == "request to pay")
    {
        a.kind = starts_with(p, "/authorizations") ? "authorization" : "request to pay";
        a.detail = str(v, {"transactionRequestState"});
        if(a.detail.empty())
            a.detail = money(v, {"amount"});
        return;
    }
    a.kind = std::string(net::to_string(m)) + " " + p;
}

// The plain name of an actor, knowing who pays and who is paid.
std::string plain_name(std::string const& id, std::set<std::string> const& payers, std::set<std::string> const& payees)
{
    if(id == "openg2p")
        return "OpenG2P";
    if(id == "hub")
        return "Payment Hub";
    if(id == "switch")
        return "Mojaloop switch";
    if(payers.contains(id))
        return id + " (payer bank)";
    if(payees.contains(id))
        return id + " (payee bank)";
    return id;
}

// Order the actors as the chain runs: OpenG2P, the hub, payer banks, the switch, payee banks.
void settle_actors(story& s, std::vector<std::string> const& seen, std::set<std::string> const& payers,
                   std::set<std::string> const& payees)
{
    auto rank = [&](std::string const& id) {
        if(id == "openg2p")
            return 0;
        if(id == "hub")
            return 1;
        if(payers.contains(id))
            return 2;
        if(id == "switch")
            return 3;
        if(payees.contains(id))
            return 4;
        return 5;
    };
    s.actors = seen;
    std::stable_sort(s.actors.begin(), s.actors.end(),
                     [&](std::string const& a, std::string const& b) { return rank(a) < rank(b); });
    for(auto const& id : s.actors)
        s.actor_names.push_back(plain_name(id, payers, payees));
}

struct prepared
{
    std::string payer, payee, amount;
};

// The transformation itself; `from_upload`: skip what comes before OpenG2P's first upload.
story tell(std::vector<trace_record const*> const& records, actor_namer const& name_of, std::string const& title)
{
    story s;
    s.title = title;
    std::vector<std::string> seen;
    std::set<std::string> payers, payees;
    auto const see = [&](std::string const& id) {
        if(std::find(seen.begin(), seen.end(), id) == seen.end())
            seen.push_back(id);
    };
    auto const server_of = [&](trace_record const& r) {
        auto n = name_of(r.peer);
        return n.empty() ? r.peer : n;
    };
    // The request each client-side exchange began with.
    std::map<std::pair<std::string, std::uint64_t>, std::pair<std::size_t, trace_record const*>> open;
    std::map<std::string, prepared> transfers; // by transferId
    std::set<std::string> committed, aborted;
    for(auto const* r : records)
    {
        if(r->sent && r->is_request)
        {
            story_arrow a;
            a.from = r->actor;
            a.to = server_of(*r);
            describe_request(*r, a);
            see(a.from);
            see(a.to);
            if(a.phase == "payment")
            {
                payers.insert(a.to);
            }
            if((a.phase == "quote" || a.phase == "transfer") && a.from == "switch" && r->method == net::method::post)
                payees.insert(a.to);
            if((a.phase == "quote" || a.phase == "lookup") && a.to == "switch" && r->method != net::method::put && !a.error)
                payers.insert(a.from);
            // Polls one after another are one arrow.
            if(a.kind == "status poll" && !s.arrows.empty() && s.arrows.back().kind == a.kind &&
               s.arrows.back().from == a.from && s.arrows.back().to == a.to)
            {
                ++s.arrows.back().count;
                open[{r->actor, r->exchange}] = {s.arrows.size() - 1, r};
                continue;
            }
            s.arrows.push_back(a);
            open[{r->actor, r->exchange}] = {s.arrows.size() - 1, r};
            // The switch's positions: a prepare it forwards reserves, a fulfil it passes on commits.
            if(a.from == "switch" && a.phase == "transfer")
            {
                auto const v = parse(r->body);
                auto const path = path_of(r->target);
                auto const id_start = path.find('/', 1);
                auto id = id_start == std::string::npos ? std::string{} : path.substr(id_start + 1);
                id = id.substr(0, id.find('/'));
                if(r->method == net::method::post)
                {
                    prepared p{str(v, {"payerFsp"}), str(v, {"payeeFsp"}), money(v, {"amount"})};
                    auto const tid = str(v, {"transferId"});
                    if(!tid.empty() && !transfers.contains(tid) && !p.payer.empty())
                    {
                        transfers[tid] = p;
                        story_arrow n;
                        n.note = true;
                        n.phase = a.phase;
                        n.from = "switch";
                        n.kind = "reserved";
                        n.detail = p.payer + " position +" + p.amount;
                        s.arrows.push_back(n);
                    }
                }
                else if(auto it = transfers.find(id); it != transfers.end())
                {
                    auto const state = str(v, {"transferState"});
                    if(a.error && !aborted.contains(id) && !committed.contains(id))
                    {
                        aborted.insert(id);
                        story_arrow n;
                        n.note = true;
                        n.phase = a.phase;
                        n.from = "switch";
                        n.kind = "aborted";
                        n.detail = it->second.payer + " reservation of " + it->second.amount + " released";
                        s.arrows.push_back(n);
                    }
                    else if(state == "COMMITTED" && !committed.contains(id))
                    {
                        committed.insert(id);
                        story_arrow n;
                        n.note = true;
                        n.phase = a.phase;
                        n.from = "switch";
                        n.kind = "committed";
                        n.detail = it->second.payer + " +" + it->second.amount + ", " + it->second.payee + " -" +
                                   it->second.amount;
                        s.arrows.push_back(n);
                    }
                }
            }
        }
        else if(!r->sent && !r->is_request)
        {
            auto const it = open.find({r->actor, r->exchange});
            if(it == open.end())
                continue;
            auto const [index, request] = it->second;
            open.erase(it);
            auto& asked = s.arrows[index];
            bool const ok = r->status >= 200 && r->status < 300;
            auto const v = parse(r->body);
            if(asked.kind == "status poll")
            {
                // What the last poll read.
                auto const status = str(v, {"status"});
                if(!status.empty())
                    asked.detail = "status " + status;
                continue;
            }
            bool const bare = std::all_of(r->body.begin(), r->body.end(), [](char c) {
                return c == ' ' || c == '\n' || c == '\r' || c == '\t';
            });
            if(ok && (bare || (asked.phase != "payment" && asked.phase != "batch" && asked.phase != "other")))
            {
                ++s.folded_acks;
                continue;
            }
            story_arrow a;
            // The connector's answer to the hub ends the payment: a phase of its own.
            a.phase = asked.phase == "payment" ? "result" : asked.phase;
            a.from = asked.to;
            a.to = asked.from;
            a.reply = true;
            a.error = !ok;
            a.kind = std::to_string(r->status);
            if(!ok)
                a.detail = error_text(v);
            else if(auto const state = str(v, {"currentState"}); !state.empty())
                a.detail = state;
            else if(auto const batch = str(v, {"PollingPath"}); !batch.empty())
                a.detail = "batch " + batch.substr(batch.rfind('/') + 1);
            s.arrows.push_back(std::move(a));
        }
    }
    // An error answer of the hub's request is the payment's outcome when none is given.
    for(auto const& a : s.arrows)
        if(a.phase == "result")
        {
            s.failed = a.error;
            s.outcome = a.error ? "failed: " + a.detail : "paid";
        }
    settle_actors(s, seen, payers, payees);
    return s;
}

} // namespace

std::string story_arrow::label() const
{
    std::string out = note ? kind + ": " + detail : kind;
    if(!note && !detail.empty())
        out += kind == "error" || reply ? " " + detail : ": " + detail;
    if(count > 1)
        out += " (x" + std::to_string(count) + ")";
    return out;
}

story make_story(std::vector<trace_record const*> const& records, actor_namer const& name_of, std::string const& title,
                 std::string const& outcome)
{
    auto s = tell(records, name_of, title);
    if(!outcome.empty())
    {
        s.outcome = outcome;
        s.failed = !starts_with(outcome, "paid");
    }
    return s;
}

story batch_overview(std::vector<trace_record> const& records, actor_namer const& name_of, std::string const& title,
                     std::string const& outcome)
{
    // From OpenG2P's first upload on: onboarding is not part of the batch.
    std::vector<trace_record const*> from_upload;
    bool started = false;
    for(auto const& r : records)
    {
        started = started || (r.is_request && starts_with(r.target, "/batchtransactions"));
        if(started)
            from_upload.push_back(&r);
    }
    auto const each = tell(from_upload, name_of, title);
    story s;
    s.title = title;
    s.actors = each.actors;
    s.actor_names = each.actor_names;
    s.folded_acks = each.folded_acks;
    s.outcome = outcome;
    s.failed = !starts_with(outcome, "paid");
    // One arrow per (from, to, kind, error), in the order each first happened; details that
    // differ per payment (amounts, names) become a count. Notes are left out: the outcome
    // line gives the positions.
    std::map<std::tuple<std::string, std::string, std::string, std::string, bool>, std::size_t> index;
    for(auto const& a : each.arrows)
    {
        if(a.note)
            continue;
        // Errors are told apart by code, states (COMMITTED, ABORTED) by name.
        std::string key_detail;
        if(a.error)
            key_detail = a.detail;
        else if(a.kind == "fulfil" || a.kind == "commit notice" || a.phase == "result" || a.kind == "upload batch")
            key_detail = a.detail;
        auto const key = std::tuple{a.from, a.to, a.kind, key_detail, a.reply};
        if(auto it = index.find(key); it != index.end())
        {
            s.arrows[it->second].count += a.count;
            continue;
        }
        story_arrow o = a;
        o.detail = key_detail;
        index.emplace(key, s.arrows.size());
        s.arrows.push_back(std::move(o));
    }
    // One band per phase, in the order a payment goes through them.
    auto const rank = [](std::string const& phase) {
        static constexpr std::string_view order[] = {"batch",          "payment", "lookup", "quote", "transfer",
                                                     "request to pay", "result",  "status", "other"};
        return std::find(std::begin(order), std::end(order), phase) - std::begin(order);
    };
    std::stable_sort(s.arrows.begin(), s.arrows.end(),
                     [&](story_arrow const& a, story_arrow const& b) { return rank(a.phase) < rank(b.phase); });
    return s;
}

namespace {

// Mermaid text may not carry ';' or '#' (statement separator, entity) nor line breaks.
std::string mermaid_text(std::string t)
{
    for(auto& c : t)
        if(c == ';' || c == '\n' || c == '\r')
            c = ',';
        else if(c == '#')
            c = ' ';
    return t;
}

std::string mermaid_id(std::string t)
{
    for(auto& c : t)
        if(!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-')
            c = '_';
    return t;
}

std::string phase_title(std::string const& p)
{
    if(p == "batch")
        return "Batch upload";
    if(p == "payment")
        return "Payment request";
    if(p == "lookup")
        return "Lookup: who is the payee and at which bank?";
    if(p == "quote")
        return "Quote: amount, fees, condition";
    if(p == "transfer")
        return "Transfer: reserve, fulfil, commit";
    if(p == "result")
        return "Result: the payer bank answers the Payment Hub";
    if(p == "status")
        return "Status";
    if(p == "request to pay")
        return "Request to pay";
    return "Other messages";
}

char const* phase_color(std::string const& p)
{
    if(p == "lookup")
        return "rgb(232, 240, 254)";
    if(p == "quote")
        return "rgb(254, 247, 224)";
    if(p == "transfer")
        return "rgb(230, 244, 234)";
    if(p == "request to pay")
        return "rgb(243, 232, 253)";
    return "rgb(245, 245, 245)";
}

} // namespace

std::string story_mermaid(story const& s)
{
    std::string out = "sequenceDiagram\n    title " + mermaid_text(s.title) + "\n";
    for(std::size_t i = 0; i < s.actors.size(); ++i)
        out += "    participant " + mermaid_id(s.actors[i]) + " as " + mermaid_text(s.actor_names[i]) + "\n";
    auto const span = [&]() {
        return s.actors.empty() ? std::string("x")
                                : mermaid_id(s.actors.front()) + (s.actors.size() > 1 ? "," + mermaid_id(s.actors.back()) : "");
    };
    std::string phase;
    for(auto const& a : s.arrows)
    {
        if(a.phase != phase)
        {
            if(!phase.empty())
                out += "    end\n";
            phase = a.phase;
            out += std::string("    rect ") + phase_color(phase) + "\n";
            out += "    Note over " + span() + ": " + mermaid_text(phase_title(phase)) + "\n";
        }
        if(a.note)
            out += "    Note over " + mermaid_id(a.from) + ": " + mermaid_text(a.label()) + "\n";
        else
        {
            char const* arrow = a.error ? (a.reply ? "--x" : "-x") : a.reply ? "-->>" : "->>";
            out += "    " + mermaid_id(a.from) + arrow + mermaid_id(a.to) + ": " + mermaid_text(a.label()) + "\n";
        }
    }
    if(!phase.empty())
        out += "    end\n";
    if(!s.outcome.empty())
        out += "    Note over " + span() + ": " + mermaid_text("Outcome: " + s.outcome) + "\n";
    return out;
}

std::string html_escape(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for(char c : text)
        switch(c)
        {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    return out;
}

std::string story_svg(story const& s)
{
    constexpr int col = 190, left = 150, top = 58, row = 30;
    int const n = static_cast<int>(s.actors.size());
    int const rows = static_cast<int>(s.arrows.size()) + 2;
    int const width = left + std::max(n, 1) * col;
    int const height = top + rows * row + 20;
    auto const x_of = [&](std::string const& id) {
        auto const it = std::find(s.actors.begin(), s.actors.end(), id);
        return left + static_cast<int>(it - s.actors.begin()) * col + col / 2;
    };
    auto const num = [](int v) { return std::to_string(v); };
    std::string out = "<svg class=\"story\" width=\"" + num(width) + "\" height=\"" +
                      num(height) + "\" viewBox=\"0 0 " + num(width) + " " + num(height) +
                      "\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\" aria-label=\"" + html_escape(s.title) +
                      "\">\n<title>" + html_escape(s.title) + "</title>\n";
    out += "<defs><marker id=\"arr\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
           "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333\"/></marker>"
           "<marker id=\"arr-err\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
           "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#c62828\"/></marker></defs>\n";
    // Phase bands behind the rows.
    std::size_t i = 0;
    while(i < s.arrows.size())
    {
        std::size_t j = i;
        while(j < s.arrows.size() && s.arrows[j].phase == s.arrows[i].phase)
            ++j;
        int const y0 = top + static_cast<int>(i) * row + 4;
        int const h = static_cast<int>(j - i) * row;
        out += "<rect x=\"4\" y=\"" + num(y0) + "\" width=\"" + num(width - 8) + "\" height=\"" + num(h) + "\" fill=\"" +
               phase_color(s.arrows[i].phase) + "\" stroke=\"#ccc\"/>\n";
        out += "<text x=\"10\" y=\"" + num(y0 + 16) + "\" font-weight=\"bold\" fill=\"#555\">" +
               html_escape(phase_title(s.arrows[i].phase).substr(0, phase_title(s.arrows[i].phase).find(':'))) +
               "</text>\n";
        i = j;
    }
    // Actors and lifelines.
    for(int k = 0; k < n; ++k)
    {
        int const x = left + k * col + col / 2;
        out += "<rect x=\"" + num(x - col / 2 + 8) + "\" y=\"8\" width=\"" + num(col - 16) +
               "\" height=\"30\" rx=\"4\" fill=\"#1565c0\"/>\n<text x=\"" + num(x) +
               "\" y=\"28\" text-anchor=\"middle\" fill=\"#fff\" font-weight=\"bold\">" +
               html_escape(s.actor_names[static_cast<std::size_t>(k)]) + "</text>\n";
        out += "<line x1=\"" + num(x) + "\" y1=\"38\" x2=\"" + num(x) + "\" y2=\"" + num(height - 10) +
               "\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n";
    }
    int y = top;
    for(auto const& a : s.arrows)
    {
        y += row;
        std::string const color = a.error ? "#c62828" : "#333";
        if(a.note)
        {
            int const x = x_of(a.from);
            out += "<rect x=\"" + num(x - col / 2 - 20) + "\" y=\"" + num(y - 18) + "\" width=\"" + num(col + 40) +
                   "\" height=\"22\" fill=\"#fff8c4\" stroke=\"#b8a200\"/>\n<text x=\"" + num(x) + "\" y=\"" + num(y - 3) +
                   "\" text-anchor=\"middle\">" + html_escape(a.label()) + "</text>\n";
            continue;
        }
        int const x1 = x_of(a.from), x2 = x_of(a.to);
        out += "<line x1=\"" + num(x1) + "\" y1=\"" + num(y) + "\" x2=\"" + num(x2 + (x2 > x1 ? -2 : 2)) + "\" y2=\"" +
               num(y) + "\" stroke=\"" + color + "\" stroke-width=\"1.5\"" +
               (a.reply ? " stroke-dasharray=\"6 3\"" : "") + " marker-end=\"url(#" + (a.error ? "arr-err" : "arr") +
               ")\"/>\n";
        out += "<text x=\"" + num((x1 + x2) / 2) + "\" y=\"" + num(y - 5) + "\" text-anchor=\"middle\" fill=\"" + color +
               "\"" + (a.error ? " font-weight=\"bold\"" : "") + ">" + html_escape(a.label()) + "</text>\n";
    }
    if(!s.outcome.empty())
    {
        y += row;
        out += "<rect x=\"4\" y=\"" + num(y - 16) + "\" width=\"" + num(width - 8) + "\" height=\"26\" fill=\"" +
               (s.failed ? "#ffebee" : "#e8f5e9") + "\" stroke=\"" + (s.failed ? "#c62828" : "#2e7d32") +
               "\"/>\n<text x=\"" + num(width / 2) + "\" y=\"" + num(y + 2) +
               "\" text-anchor=\"middle\" font-weight=\"bold\" font-size=\"14\">" +
               html_escape("Outcome: " + s.outcome) + "</text>\n";
    }
    out += "</svg>\n";
    return out;
}

} // namespace mojasim::report
