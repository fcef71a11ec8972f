#include "tools/scenario/runner.hpp"

#include "simulator/core/ids.hpp"
#include "simulator/dfsp/dfsp_actor.hpp"
#include "tools/scenario/attach.hpp"
#include "tools/scenario/counters.hpp"
#include "tools/scenario/world.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <atomic>
#include <cstdio>
#include <functional>
#include <future>
#include <random>
#include <sstream>
#include <unordered_map>

namespace mojasim::scenario {

namespace json = boost::json;
namespace asio = boost::asio;

std::string check::describe(std::string const& file) const
{
    if(!why.empty())
        return file + ":" + std::to_string(what->pos.line) + ": " + what->subject + ": " + why;
    return file + ":" + std::to_string(what->pos.line) + ": " + what->subject + ": expected " + what->expected +
           ", actual " + (actual.empty() ? "(none)" : actual);
}

std::string describe_step(std::size_t index, step const& s)
{
    static constexpr char const* kinds[] = {"send_batch", "wait", "fault", "close_settlement_window", "http", "sleep"};
    static_assert(std::size(kinds) == std::variant_size_v<decltype(step::what)>);
    std::string out = "step " + std::to_string(index + 1) + " (" + kinds[s.what.index()];
    if(s.pos.line > 0)
        out += ", line " + std::to_string(s.pos.line);
    return out + ")";
}

bool sequence_line_matches(std::string const& line, std::string const& x)
{
    auto const sp = line.rfind(' ');
    if(sp == std::string::npos)
        return x.rfind(line, 0) == 0;
    return x.rfind(line.substr(0, sp + 1), 0) == 0 && x.compare(sp + 1, line.size() - sp - 1, line, sp + 1) == 0;
}

std::string first_missing_step(std::vector<std::string> const& want, std::vector<std::string> const& seen)
{
    std::size_t k = 0;
    std::size_t after = 0; // exchanges of `seen` consumed by the steps that matched
    for(std::size_t i = 0; i < seen.size() && k < want.size(); ++i)
        if(sequence_line_matches(want[k], seen[i]))
        {
            ++k;
            after = i + 1;
        }
    if(k == want.size())
        return {};
    std::string out = "step " + std::to_string(k + 1) + " of " + std::to_string(want.size()) + " '" + want[k] +
                      "' never came";
    out += k == 0 ? " (no step matched)" : " after step " + std::to_string(k) + " '" + want[k - 1] + "'";
    // What the payment did instead, briefly.
    std::string next;
    for(std::size_t i = after; i < seen.size() && i < after + 3; ++i)
        next += (next.empty() ? "" : ", ") + seen[i];
    if(seen.empty())
        out += "; the payment has no messages";
    else if(next.empty())
        out += "; no messages after it";
    else
        out += "; next: " + next + (seen.size() > after + 3 ? ", ..." : "");
    return out;
}

std::string error_description_of(std::string_view text)
{
    constexpr std::string_view key = "\"errorDescription\":\"";
    auto const at = text.find(key);
    if(at == std::string_view::npos)
        return std::string(text);
    auto const start = at + key.size();
    return std::string(text.substr(start, text.find('"', start) - start));
}

std::string error_code_of(std::string_view text)
{
    // PH-EE keeps errorInformation as text; ours holds the FSPIOP body. Find "errorCode".
    auto const key = text.find("errorCode");
    if(key == std::string_view::npos)
        return {};
    for(std::size_t i = key + 9; i + 4 <= text.size(); ++i)
    {
        auto const c = text[i];
        if(c >= '0' && c <= '9')
        {
            std::size_t j = i;
            while(j < text.size() && text[j] >= '0' && text[j] <= '9')
                ++j;
            return std::string(text.substr(i, j - i));
        }
        if(c != '"' && c != ':' && c != ' ' && c != '\\')
            break;
    }
    return {};
}

namespace {

// What the steps leave behind for the checks.
struct step_state
{
    std::vector<std::string> batches;
    std::optional<unsigned> upload_status;
    std::vector<std::string> summaries; ///< of every batch sent, as the hub answered
    std::map<std::string, core::decimal> settlement;
    std::vector<std::string> failures; ///< http steps that did not answer as expected
    std::atomic<std::size_t> current{0}; ///< the step being played (read by the runner on a timeout)
};

// "\r  [#########           ]  450/1000 final" on stderr, redrawn in place.
void draw_progress(openg2p::batch_summary const& s)
{
    constexpr int width = 30;
    auto const final = s.successful + s.failed;
    int const filled = s.total > 0 ? static_cast<int>(final * width / s.total) : 0;
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, ' ');
    std::fprintf(stderr, "\r  [%s] %lld/%lld final, %lld failed ", bar.c_str(), static_cast<long long>(final),
                 static_cast<long long>(s.total), static_cast<long long>(s.failed));
    if(final == s.total)
        std::fprintf(stderr, "\r%*s\r", width + 48, "");
}

// The coroutine that plays the steps; runs on the hub's io_context, beside OpenG2P's client.
net::awaitable<void> play(scenario const& sc, actors& w, openg2p::client& og, std::vector<openg2p::payment>& payments,
                          std::vector<std::string> const& msisdn_of, step_state& st, bool progress_bar)
{
    for(std::size_t index = 0; index < sc.steps.size(); ++index)
    {
        auto const& s = sc.steps[index];
        st.current = index;
        if(auto const* pause = std::get_if<sleep_step>(&s.what))
        {
            co_await net::sleep_for(pause->duration);
        }
        else if(auto const* send = std::get_if<send_batch>(&s.what))
        {
            std::vector<openg2p::payment*> chosen;
            for(std::size_t i = 0; i < payments.size(); ++i)
                if(send->beneficiaries.empty() || std::find(send->beneficiaries.begin(), send->beneficiaries.end(),
                                                            msisdn_of[i]) != send->beneficiaries.end())
                    chosen.push_back(&payments[i]);
            og.set_type_header(send->type_header);
            std::string error;
            auto ids = co_await og.send_payments(std::move(chosen), error);
            st.upload_status = og.last_upload_status();
            st.batches.insert(st.batches.end(), ids.begin(), ids.end());
        }
        else if(auto const* wait = std::get_if<wait_batch>(&s.what))
        {
            for(auto const& id : st.batches)
            {
                if(og.reconciles_by_callback())
                {
                    // G2P Connect's async API: the hub's on-disburse callbacks reconcile; the
                    // wait wakes on each of them and polls nothing.
                    if(!co_await og.wait_for_callbacks(id, payments, wait->timeout))
                    {
                        std::size_t open = 0;
                        for(auto const& p : payments)
                            if(p.batch_id == id && p.st != openg2p::payment::state::reconciled)
                                ++open;
                        st.failures.push_back(sc.file + ":" + std::to_string(s.pos.line) + ": batch " + id + ": " +
                                              std::to_string(open) +
                                              " payments got no final status from the hub's on-disburse callback "
                                              "within the wait's timeout of " +
                                              std::to_string(wait->timeout.count()) + " ms");
                    }
                    continue;
                }
                // Every poll must add up (PH-EE's summary): successful + failed + ongoing = total.
                std::function<void(openg2p::batch_summary const&)> progress =
                    [&st, &sc, &s, progress_bar](openg2p::batch_summary const& b) {
                        if(b.successful + b.failed + b.ongoing != b.total && st.failures.size() < 10)
                            st.failures.push_back(sc.file + ":" + std::to_string(s.pos.line) + ": batch " + b.batch_id +
                                                  " summary does not add up: successful " +
                                                  std::to_string(b.successful) + " + failed " + std::to_string(b.failed) +
                                                  " + ongoing " + std::to_string(b.ongoing) + " != total " +
                                                  std::to_string(b.total));
                        if(progress_bar)
                            draw_progress(b);
                    };
                bool const finished =
                    co_await og.wait_until_done(id, wait->timeout, std::chrono::milliseconds(20), progress);
                if(!finished)
                    st.failures.push_back(sc.file + ":" + std::to_string(s.pos.line) + ": batch " + id +
                                          " did not finish within the wait's timeout");
                co_await og.reconcile(id, payments);
            }
            st.summaries.clear();
            for(auto const& id : st.batches)
            {
                auto summary = co_await og.summary(id);
                if(summary)
                    st.summaries.push_back(std::move(summary->body));
            }
        }
        else if(auto const* f = std::get_if<set_fault>(&s.what))
        {
            co_await w.set_fault(f->dfsp, f->id, f->enabled);
        }
        else if(std::holds_alternative<close_window>(s.what))
        {
            st.settlement = co_await w.close_settlement_window_async();
        }
        else if(auto const* call = std::get_if<http_call>(&s.what))
        {
            net::request req;
            req.method = net::method_from_string(call->method);
            for(auto const& [k, v] : call->headers)
                req.fields.add(k, v);
            req.body = call->body;
            auto const url = w.url_of(call->actor) + call->path;
            auto res = co_await og.http().send(url, std::move(req));
            std::string const where = sc.file + ":" + std::to_string(s.pos.line) + ": http " + call->method + " " + url;
            if(!res)
                st.failures.push_back(where + ": " + res.error().message());
            else
            {
                if(call->path.find("batchtransactions") != std::string::npos)
                    st.upload_status = res->status;
                if(call->expect_status && res->status != *call->expect_status)
                    st.failures.push_back(where + ": expected status " + std::to_string(*call->expect_status) +
                                          ", actual " + std::to_string(res->status) + " " + res->body.substr(0, 300));
                if(!call->expect_body_contains.empty() && res->body.find(call->expect_body_contains) == std::string::npos)
                    st.failures.push_back(where + ": body does not contain '" + call->expect_body_contains +
                                          "': " + res->body.substr(0, 300));
            }
        }
    }
}

// play, then close OpenG2P's callback listener on its executor: once the steps are over the
// payments are read from the runner's thread, and no late callback may change them.
net::awaitable<void> play_then_close(scenario const& sc, actors& w, openg2p::client& og,
                                     std::vector<openg2p::payment>& payments, std::vector<std::string> const& msisdn_of,
                                     step_state& st, bool progress_bar)
{
    std::exception_ptr failed;
    try
    {
        co_await play(sc, w, og, payments, msisdn_of, st, progress_bar);
    }
    catch(...)
    {
        failed = std::current_exception();
    }
    og.close_listener();
    if(failed)
        std::rethrow_exception(failed);
}

std::string json_scalar(json::value const& v)
{
    switch(v.kind())
    {
    case json::kind::string: return std::string(v.get_string());
    case json::kind::int64: return std::to_string(v.get_int64());
    case json::kind::uint64: return std::to_string(v.get_uint64());
    case json::kind::double_: {
        std::ostringstream os;
        os << v.get_double();
        return os.str();
    }
    case json::kind::bool_: return v.get_bool() ? "true" : "false";
    case json::kind::null: return "null";
    default: return "(not a scalar)";
    }
}

// One summary for all batches: counts and amounts summed; status COMPLETED when every batch
// is, Pending while any is, else Failed (PH-EE's rule on the sums).
json::value aggregate_summaries(std::vector<std::string> const& bodies)
{
    json::object sum;
    bool any = false;
    for(auto const& body : bodies)
    {
        json::error_code ec;
        auto v = json::parse(body, ec);
        if(ec || !v.is_object())
            continue;
        auto& o = v.get_object();
        if(!any)
        {
            sum = o;
            any = true;
            continue;
        }
        for(char const* k : {"total", "successful", "failed", "ongoing", "totalAmount", "successfulAmount",
                             "pendingAmount", "failedAmount"})
            if(auto const* x = o.if_contains(k); x && x->is_number())
                if(auto* y = sum.if_contains(k); y && y->is_number())
                    *y = y->to_number<std::int64_t>() + x->to_number<std::int64_t>();
    }
    if(!any)
        return nullptr;
    auto const n = [&](char const* k) {
        auto const* v = sum.if_contains(k);
        return v && v->is_number() ? v->to_number<std::int64_t>() : 0;
    };
    if(bodies.size() > 1)
        sum["status"] = n("successful") == n("total") ? "COMPLETED" : n("ongoing") != 0 ? "Pending" : "Failed";
    return sum;
}

bool same_amount(std::string const& a, std::string const& b)
{
    auto const x = core::decimal::parse(a);
    auto const y = core::decimal::parse(b);
    return x && y ? *x == *y : a == b;
}

// The payment's FSPIOP error code: G2P Connect gives it in status_reason_message, PH-EE in
// errorInformation.
std::string payment_error_code(openg2p::payment const& p)
{
    return !p.error_code.empty() ? p.error_code : error_code_of(p.error);
}

std::string verdict_of(openg2p::payment const& p)
{
    if(p.result == openg2p::payment::status::paid)
        return "paid";
    if(p.result == openg2p::payment::status::failed)
        // The connector's distinct timeout (FSPIOP 2004): a callback that never came.
        return payment_error_code(p) == "2004" ? "callback_not_received" : "failed";
    return p.st == openg2p::payment::state::issued ? "not_sent" : "pending";
}

// "from->to METHOD /path" of each request in `records`, as the client sent it.
std::vector<std::string> exchanges(std::vector<report::trace_record const*> const& records,
                                   std::map<std::string, std::string> const& actors)
{
    std::vector<std::string> out;
    for(auto const* r : records)
    {
        if(!r->sent || !r->is_request)
            continue;
        auto const it = actors.find(r->peer);
        out.push_back(r->actor + "->" + (it == actors.end() ? r->peer : it->second) + " " +
                      std::string(net::to_string(r->method)) + " " + r->target.substr(0, r->target.find('?')));
    }
    return out;
}


} // namespace

run_result run(scenario const& sc, run_options const& opts)
{
    run_result out;
    auto const started = std::chrono::steady_clock::now();
    std::uint64_t const seed = opts.seed.value_or(sc.seed.value_or(std::random_device{}()));
    out.seed = seed;
    // OpenG2P's ids (request ids, batch names) and each actor's come from generators of
    // their own, all seeded from the run's seed.
    core::id_generator ids(core::derive_seed(seed, "openg2p"));
    auto const elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };

    report::trace_log log;
    world_options wo;
    wo.threads = opts.threads;
    wo.seed = seed;
    bool const need_trace = opts.keep_trace || std::any_of(sc.expectations.begin(), sc.expectations.end(),
                                                           [](expectation const& e) {
                                                               return std::holds_alternative<expect::message_count>(e.what) ||
                                                                      std::holds_alternative<expect::message_sequence>(e.what);
                                                           });
    if(need_trace)
        wo.trace = log.sink();
    // Its own world, or actors running elsewhere (run --attach).
    std::unique_ptr<actors> actors_here;
    if(opts.attach)
        actors_here = std::make_unique<attached_world>(*opts.attach, sc);
    else
        actors_here = std::make_unique<world>(sc.world, sc.beneficiaries, sc.faults, wo);
    actors& w = *actors_here;
    try
    {
        w.start();
    }
    catch(std::exception const& e)
    {
        out.error = std::string(opts.attach ? "the attached actors are not ready: " : "the world did not start: ") +
                    e.what();
        out.seconds = elapsed();
        w.stop();
        return out;
    }

    // OpenG2P's payments, one per beneficiary.
    for(auto const& b : sc.beneficiaries)
    {
        openg2p::payment p;
        p.name = b.request_id.value_or(ids.uuid_v4());
        // OpenG2P sends what its registry holds: the national id when there is one (the
        // account mapper turns it into the MSISDN), else the MSISDN.
        p.payee_id_type = b.national_id ? "NATIONAL_ID" : "PHONE";
        p.payee_identifier = b.national_id.value_or(b.msisdn);
        p.phone = b.msisdn;
        p.amount = b.amount;
        p.currency = sc.world.currency;
        out.payments.push_back(std::move(p));
        out.beneficiary_of.push_back(b.msisdn);
        out.names.push_back(b.name);
    }
    auto const oo = w.openg2p_options();
    auto const og_ex = w.client_executor();
    openg2p::client og(og_ex, oo, ids);
    if(wo.trace)
        og.set_trace(log.sink());

    step_state st;
    auto done = asio::co_spawn(og_ex, play_then_close(sc, w, og, out.payments, out.beneficiary_of, st, opts.progress_bar),
                               asio::use_future);
    if(done.wait_for(sc.timeout) != std::future_status::ready)
    {
        // Say where it stood: the step being played and the payments the hub still had open.
        out.timed_out = true;
        auto const at = st.current.load();
        out.error = "the scenario did not finish within its timeout of " + std::to_string(sc.timeout.count()) +
                    " ms: it was in " + (at < sc.steps.size() ? describe_step(at, sc.steps[at]) : "no step");
        auto const pending = w.pending_payments();
        if(!pending.empty())
        {
            out.error += "; " + std::to_string(pending.size()) + " payments still pending:";
            for(std::size_t i = 0; i < pending.size() && i < 10; ++i)
                out.error += " " + pending[i];
            if(pending.size() > 10)
                out.error += " ...";
        }
        if(auto const awaited = og.awaiting_callbacks(); awaited > 0)
            out.error += "; OpenG2P still awaited the hub's on-disburse callback for " + std::to_string(awaited) +
                         " payments";
        og.http().close();
        w.stop();
        // The coroutine ends once the world's threads have stopped running it.
        out.seconds = elapsed();
        return out;
    }
    try
    {
        done.get();
    }
    catch(std::exception const& e)
    {
        out.error = std::string("a step failed: ") + e.what();
    }
    og.http().close();

    // Read the figures on the actors' executors, then stop the world.
    if(!st.summaries.empty())
        out.summary_json = st.summaries.back();
    std::map<std::string, std::optional<core::decimal>> blocked;
    for(std::string const& fsp : {sc.world.payer.fsp})
        blocked[fsp] = w.blocked(fsp);
    for(auto const& p : sc.world.payees)
        blocked[p.fsp] = w.blocked(p.fsp);
    for(auto const& [fsp, _] : blocked)
        if(auto pos = w.position(fsp))
            out.positions[fsp] = *pos;
    // What the expectations read from the banks, read now, before the world stops.
    std::map<std::pair<std::string, std::string>, std::optional<core::decimal>> balances;
    std::map<std::string, std::optional<dfsp::dfsp_stats>> stats;
    for(auto const& e : sc.expectations)
    {
        if(auto const* b = std::get_if<expect::balance_value>(&e.what))
            balances[{b->fsp, b->account}] = w.balance(b->fsp, b->account);
        else if(auto const* c = std::get_if<expect::counter_value>(&e.what); c && !stats.contains(c->fsp))
            stats[c->fsp] = w.stats(c->fsp);
    }
    if(need_trace)
    {
        out.trace = log.snapshot();
        // OpenG2P's callback listener (G2P Connect's async API) is no actor of the world.
        if(auto const u = net::url::parse(og.listener_url()))
            out.actors[u->host + ":" + std::to_string(u->port)] = "openg2p";
        for(auto const& r : out.trace)
            if(!out.actors.contains(r.peer))
                out.actors[r.peer] = w.actor_at(r.peer);
    }
    w.stop();

    // The checks.
    // OpenG2P splits large payments into batches of max_batch_size: `batch.*` adds them up.
    json::value summary = aggregate_summaries(st.summaries);
    std::unordered_map<std::string, std::size_t> by_msisdn;
    for(std::size_t i = 0; i < out.beneficiary_of.size(); ++i)
        by_msisdn.emplace(out.beneficiary_of[i], i);

    // One small evaluator for each kind of expectation; each sets actual and passed.
    // Every exchange of the run as "from->to METHOD /path", made once for all message counts.
    std::optional<std::vector<std::string>> all_exchanges;
    auto const every_exchange = [&]() -> std::vector<std::string> const& {
        if(!all_exchanges)
        {
            std::vector<report::trace_record const*> all;
            for(auto const& r : out.trace)
                all.push_back(&r);
            all_exchanges = exchanges(all, out.actors);
        }
        return *all_exchanges;
    };
    auto const payment_of = [&](std::string const& who) -> openg2p::payment const* {
        auto const it = by_msisdn.find(who);
        return it == by_msisdn.end() ? nullptr : &out.payments[it->second];
    };
    auto const amount_check = [](check& c, std::optional<core::decimal> const& v, std::string const& expected) {
        c.actual = v ? v->to_string() : "";
        c.passed = v && same_amount(c.actual, expected);
    };
    for(auto const& e : sc.expectations)
    {
        check c;
        c.what = &e;
        std::visit(
            [&](auto const& x) {
                using X = std::decay_t<decltype(x)>;
                if constexpr(std::is_same_v<X, expect::batch_value>)
                {
                    if(summary.is_object())
                        if(auto const* v = summary.get_object().if_contains(x.field))
                            c.actual = json_scalar(*v);
                    c.passed = c.actual == e.expected || (!c.actual.empty() && same_amount(c.actual, e.expected) &&
                                                          x.field.find("Amount") != std::string::npos);
                }
                else if constexpr(std::is_same_v<X, expect::payment_value>)
                {
                    if(auto const* p = payment_of(x.who))
                        c.actual = x.field == "verdict"  ? verdict_of(*p)
                                   : x.field == "status" ? p->detail_status
                                   : x.field == "reason" ? p->reason_code
                                                         : payment_error_code(*p);
                    c.passed = c.actual == e.expected;
                }
                else if constexpr(std::is_same_v<X, expect::position_value>)
                {
                    auto const it = out.positions.find(x.fsp);
                    amount_check(c, it == out.positions.end() ? std::nullopt : std::optional(it->second), e.expected);
                }
                else if constexpr(std::is_same_v<X, expect::blocked_value>)
                {
                    auto const it = blocked.find(x.fsp);
                    amount_check(c, it == blocked.end() ? std::nullopt : it->second, e.expected);
                }
                else if constexpr(std::is_same_v<X, expect::balance_value>)
                    amount_check(c, balances[{x.fsp, x.account}], e.expected);
                else if constexpr(std::is_same_v<X, expect::settlement_value>)
                {
                    auto const it = st.settlement.find(x.key);
                    amount_check(c, it == st.settlement.end() ? std::nullopt : std::optional(it->second), e.expected);
                }
                else if constexpr(std::is_same_v<X, expect::counter_value>)
                {
                    auto const& bank = stats[x.fsp];
                    if(auto const v = bank ? counter_of(*bank, x.name) : std::nullopt)
                        c.actual = std::to_string(*v);
                    c.passed = c.actual == e.expected;
                }
                else if constexpr(std::is_same_v<X, expect::upload_status>)
                {
                    c.actual = st.upload_status ? std::to_string(*st.upload_status) : "";
                    c.passed = c.actual == e.expected;
                }
                else if constexpr(std::is_same_v<X, expect::message_count>)
                {
                    // '*' matches anything; the path matches by prefix.
                    std::size_t n = 0;
                    for(auto const& line : every_exchange())
                    {
                        auto const xa = line.find("->");
                        auto const xs = line.find(' ');
                        auto const xs2 = line.find(' ', xs + 1);
                        bool const ok = (x.from == "*" || line.substr(0, xa) == x.from) &&
                                        (x.to == "*" || line.substr(xa + 2, xs - xa - 2) == x.to) &&
                                        (x.method == "*" || line.substr(xs + 1, xs2 - xs - 1) == x.method) &&
                                        line.compare(xs2 + 1, x.path.size(), x.path) == 0;
                        n += ok ? 1 : 0;
                    }
                    c.actual = std::to_string(n);
                    c.passed = c.actual == e.expected;
                }
                else
                {
                    static_assert(std::is_same_v<X, expect::message_sequence>);
                    // The expected lines must appear in this order (others may come between).
                    std::vector<std::string> seen;
                    if(auto const* p = payment_of(x.who))
                        seen = exchanges(report::payment_messages(out.trace, p->name), out.actors);
                    c.why = first_missing_step(x.steps, seen);
                    c.passed = c.why.empty();
                    c.actual = std::to_string(seen.size()) + " exchanges";
                }
            },
            e.what);
        // A failed check on one payment carries that payment's messages (JUnit <system-out>).
        if(!c.passed && !out.trace.empty())
        {
            std::string who;
            if(auto const* pv = std::get_if<expect::payment_value>(&e.what))
                who = pv->who;
            else if(auto const* sq = std::get_if<expect::message_sequence>(&e.what))
                who = sq->who;
            if(auto const it = by_msisdn.find(who); it != by_msisdn.end())
            {
                auto const& name = out.payments[it->second].name;
                c.messages = report::describe_messages(report::payment_messages(out.trace, name), [&](std::string const& hp) {
                    auto const a = out.actors.find(hp);
                    return a == out.actors.end() ? std::string{} : a->second;
                });
            }
        }
        out.checks.push_back(std::move(c));
    }
    for(auto const& f : st.failures)
    {
        out.error += (out.error.empty() ? "" : "\n") + f;
    }
    out.passed = out.error.empty() &&
                 std::all_of(out.checks.begin(), out.checks.end(), [](check const& c) { return c.passed; });
    out.seconds = elapsed();
    return out;
}

std::string story(scenario const& sc, run_result const& r, bool color)
{
    auto const paint = [&](char const* code, std::string const& text) {
        return color ? std::string("\033[") + code + "m" + text + "\033[0m" : text;
    };
    std::ostringstream os;
    os << sc.name << "\n";
    for(std::size_t i = 0; i < r.payments.size(); ++i)
    {
        auto const& p = r.payments[i];
        auto const v = verdict_of(p);
        std::string line = "  " + r.beneficiary_of[i] + "  " + r.names[i] + "  " + p.amount.to_string_fixed(2) + " " +
                           p.currency + "  ";
        if(v == "paid")
            os << paint("32", line + "paid") << "\n";
        else
        {
            std::string why = p.error.empty() ? p.detail_status : error_description_of(p.error);
            auto const code = error_code_of(p.error);
            if(!code.empty())
                why = code + " " + why;
            os << paint("31", line + v + (why.empty() ? "" : ": " + why.substr(0, 160))) << "\n";
        }
    }
    if(!r.positions.empty())
    {
        os << "positions at the switch:";
        for(auto const& [fsp, pos] : r.positions)
            os << "  " << fsp << " " << pos.to_string();
        os << "\n";
    }
    return os.str();
}

std::string payment_outcome(run_result const& r, std::size_t i)
{
    auto const& p = r.payments[i];
    auto const v = verdict_of(p);
    if(v == "paid")
        return "paid " + p.amount.to_string_fixed(2) + " " + p.currency;
    std::string why = p.error.empty() ? p.detail_status : error_description_of(p.error);
    auto const code = error_code_of(p.error);
    if(!code.empty())
        why = code + " " + why;
    return v + (why.empty() ? "" : ": " + why.substr(0, 160));
}

std::string batch_outcome(run_result const& r)
{
    std::size_t paid = 0, failed = 0, other = 0;
    core::decimal paid_amount;
    std::map<std::string, std::size_t> codes;
    std::string currency;
    for(auto const& p : r.payments)
    {
        auto const v = verdict_of(p);
        currency = p.currency;
        if(v == "paid")
        {
            ++paid;
            paid_amount = checked_add(paid_amount, p.amount).value_or(paid_amount);
        }
        else if(v == "failed" || v == "callback_not_received")
        {
            ++failed;
            auto const code = error_code_of(p.error);
            ++codes[code.empty() ? v : code];
        }
        else
            ++other;
    }
    std::string out = std::to_string(paid) + " paid (" + paid_amount.to_string_fixed(2) + " " + currency + "), " +
                      std::to_string(failed) + " failed";
    if(!codes.empty())
    {
        out += " (";
        bool first = true;
        for(auto const& [code, n] : codes)
        {
            out += (first ? "" : ", ") + code + " x" + std::to_string(n);
            first = false;
        }
        out += ")";
    }
    if(other != 0)
        out += ", " + std::to_string(other) + " not final";
    if(!r.positions.empty())
    {
        out += "; positions";
        bool first = true;
        for(auto const& [fsp, pos] : r.positions)
        {
            out += (first ? " " : ", ") + fsp + " " + pos.to_string();
            first = false;
        }
    }
    return out;
}

} // namespace mojasim::scenario
