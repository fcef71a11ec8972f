#include "tools/bench/bench_e2e.hpp"

#include "tools/bench/process.hpp"

#include "tools/openg2p/openg2p_client.hpp"
#include "simulator/net/server.hpp"
#include "tools/scenario/attach.hpp"
#include "tools/scenario/world.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace mojasim::tools {

namespace asio = boost::asio;

namespace {

/// Payments between two RSS reports while a batch runs.
constexpr std::size_t rss_step = 100'000;

/// The run's CPU per completed payment, in microseconds.
double cpu_per_payment_us(bench_e2e_result const& r)
{
    return r.cpu.us_per(r.completed).total();
}

// Times the hub's calls to the connector (one per payment: lookup, quote and transfer behind
// it). Only the hub is traced; exchanges are counted by the servers themselves.
class meter
{
public:
    net::trace_sink sink()
    {
        return [this](net::trace_event const& e) {
            if(e.method != net::method::post || e.target.rfind("/transfers", 0) != 0)
                return;
            bool const received = e.dir == net::trace_event::direction::received;
            bool const request = e.type == net::trace_event::kind::request;
            std::lock_guard lock(mutex_);
            if(!received && request)
                started_[e.exchange] = std::chrono::steady_clock::now();
            else if(received && !request)
            {
                if(auto it = started_.find(e.exchange); it != started_.end())
                {
                    latencies_.push_back(static_cast<std::uint32_t>(
                        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                              it->second)
                            .count()));
                    started_.erase(it);
                }
            }
        };
    }

    std::vector<std::uint32_t> take_latencies()
    {
        std::lock_guard lock(mutex_);
        return std::move(latencies_);
    }

private:
    std::mutex mutex_;
    std::unordered_map<std::uint64_t, std::chrono::steady_clock::time_point> started_;
    std::vector<std::uint32_t> latencies_;
};

struct upload_outcome
{
    std::vector<std::string> batches;
    std::string error;
    double upload_ms = 0;
    bool done = false;
    std::size_t completed = 0;
    std::size_t failed = 0;
};

net::awaitable<upload_outcome> drive(openg2p::client& og, std::vector<openg2p::payment>& payments,
                                     std::chrono::milliseconds limit)
{
    upload_outcome out;
    auto const start = std::chrono::steady_clock::now();
    std::vector<openg2p::payment*> all;
    all.reserve(payments.size());
    for(auto& p : payments)
        all.push_back(&p);
    out.batches = co_await og.send_payments(std::move(all), out.error);
    out.upload_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if(!out.error.empty())
        co_return out;
    out.done = true;
    // RSS each time another rss_step payments are final, as the status polls see them.
    std::size_t next_mark = rss_step;
    auto progress = [&out, &next_mark](openg2p::batch_summary const& s) {
        auto const final_now = out.completed + out.failed + static_cast<std::size_t>(s.successful + s.failed);
        for(; final_now >= next_mark; next_mark += rss_step)
        {
            std::printf("     %zu payments final: RSS %.1f MB\n", next_mark, rss_mb());
            std::fflush(stdout);
        }
    };
    for(auto const& id : out.batches)
    {
        bool const finished = co_await og.wait_until_done(id, limit, std::chrono::milliseconds(50), progress);
        if(!finished)
            out.done = false;
        auto s = co_await og.summary(id);
        if(s)
        {
            out.completed += static_cast<std::size_t>(s->successful);
            out.failed += static_cast<std::size_t>(s->failed);
        }
    }
    co_return out;
}

scenario::topology bench_topology(bench_e2e_options const& opts)
{
    scenario::topology t;
    t.hub_concurrency = opts.concurrency;
    t.hub_bulk = opts.mode == "bulk";
    t.hub_bulk_size = opts.bulk_size;
    t.jws = opts.jws == "on";
    t.mapper.lookup = opts.lookup == "on";
    t.mapper.timeout = opts.limit;
    t.connector_timeout = std::chrono::milliseconds(30'000);
    t.transfer_expiry = std::chrono::milliseconds(120'000);
    t.expiry_sweep = std::chrono::milliseconds(1000);
    // Enough for every payment: liquidity and cap far above N x 10.
    t.payer.liquidity = core::decimal::from_units(1'000'000'000LL * core::decimal::one);
    t.payer.ndc = t.payer.liquidity;
    return t;
}

// OpenG2P's payment to each beneficiary.
std::vector<openg2p::payment> payments_for(std::vector<scenario::beneficiary> const& people, core::id_generator& ids)
{
    std::vector<openg2p::payment> payments;
    payments.reserve(people.size());
    for(auto const& b : people)
    {
        openg2p::payment p;
        p.name = ids.uuid_v4();
        p.payee_id_type = b.national_id ? "NATIONAL_ID" : "PHONE";
        p.payee_identifier = b.national_id.value_or(b.msisdn);
        p.amount = b.amount;
        payments.push_back(std::move(p));
    }
    return payments;
}

openg2p::options bench_openg2p(openg2p::options oo, bench_e2e_options const& opts, std::size_t payments)
{
    oo.max_batch_size = opts.batch_size == 0 ? std::min(payments, default_batch_rows) : opts.batch_size;
    oo.request_timeout = std::chrono::milliseconds(60'000);
    return oo;
}

// The same payments through actors running elsewhere: their payee bank learns the
// beneficiaries through its test API first (not timed with the batch).
bench_e2e_attached measure_attached(bench_e2e_options const& opts, std::vector<scenario::beneficiary> const& people)
{
    bench_e2e_attached a;
    auto loaded = scenario::load_topology(opts.attach);
    if(auto const* error = std::get_if<std::string>(&loaded))
    {
        a.error = *error;
        return a;
    }
    scenario::scenario sc;
    sc.file = "bench e2e";
    sc.beneficiaries = people;
    scenario::attached_world w(std::get<scenario::attached_topology>(std::move(loaded)), sc);
    auto const t0 = std::chrono::steady_clock::now();
    try
    {
        w.start();
    }
    catch(std::exception const& e)
    {
        a.error = std::string("the attached actors are not ready: ") + e.what();
        w.stop();
        return a;
    }
    a.setup_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    core::id_generator ids(43);
    auto payments = payments_for(people, ids);
    auto const oo = bench_openg2p(w.openg2p_options(), opts, payments.size());
    auto const og_ex = w.client_executor();
    openg2p::client og(og_ex, oo, ids);
    auto const start = std::chrono::steady_clock::now();
    auto const out = asio::co_spawn(og_ex, drive(og, payments, opts.limit), asio::use_future).get();
    a.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    og.http().close();
    w.stop();
    a.completed = out.completed;
    a.failed = out.failed;
    a.per_second = a.seconds > 0 ? static_cast<double>(a.completed) / a.seconds : 0;
    if(!out.error.empty())
        a.error = out.error;
    else if(!out.done)
        a.error = "the batch did not finish within the limit";
    return a;
}

} // namespace

bench_e2e_result measure_e2e(bench_e2e_options const& opts)
{
    bench_e2e_result r;
    if(opts.compare_http)
    {
        bench_http_options ho;
        ho.threads = opts.threads;
        ho.duration = std::chrono::milliseconds(2000);
        r.http = run_bench_http(ho);
    }

    // Ready: a small world (the demo's size) from nothing to serving and onboarded.
    {
        std::vector<scenario::beneficiary> few(5);
        for(std::size_t i = 0; i < few.size(); ++i)
        {
            few[i].msisdn = "04950" + std::to_string(10000 + i);
            few[i].fsp = "dfsp2";
        }
        scenario::world_options wo;
        wo.threads = opts.threads;
        auto const t0 = std::chrono::steady_clock::now();
        scenario::world small(bench_topology(opts), few, {}, wo);
        small.start();
        r.ready_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        small.stop();
    }

    // The benchmark's world: N beneficiaries at DFSP2.
    std::vector<scenario::beneficiary> people(opts.payments);
    for(std::size_t i = 0; i < people.size(); ++i)
    {
        auto id = std::to_string(i + 1);
        people[i].msisdn = "0495" + std::string(id.size() < 6 ? 6 - id.size() : 0, '0') + id;
        people[i].fsp = "dfsp2";
        people[i].amount = core::decimal::from_units(10 * core::decimal::one);
        if(opts.lookup == "on")
            people[i].national_id = "NID" + std::string(id.size() < 7 ? 7 - id.size() : 0, '0') + id;
    }
    meter m;
    scenario::world_options wo;
    wo.threads = opts.threads;
    wo.hub_trace = m.sink();
    wo.hub_max_file_bytes = 64 * 1024 * 1024;
    auto const t0 = std::chrono::steady_clock::now();
    scenario::world w(bench_topology(opts), people, {}, wo);
    try
    {
        w.start();
    }
    catch(std::exception const& e)
    {
        r.error = std::string("the world did not start: ") + e.what();
        return r;
    }
    r.startup_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();

    core::id_generator ids(42);
    auto payments = payments_for(people, ids);
    auto const oo = bench_openg2p(w.openg2p_options(), opts, payments.size());
    auto const og_ex = w.ioc().get_executor();
    openg2p::client og(og_ex, oo, ids);

    release_free_memory();
    r.idle_rss_mb = rss_mb();
    auto const cpu0 = process_cpu();
    auto const exchanges0 = w.requests_served();
    auto const start = std::chrono::steady_clock::now();
    auto future = asio::co_spawn(og_ex, drive(og, payments, opts.limit), asio::use_future);
    auto const out = future.get();
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.cpu = process_cpu() - cpu0;
    r.exchanges = static_cast<std::size_t>(w.requests_served() - exchanges0);
    r.peak_rss_mb = peak_rss_mb();
    // What the actors keep per payment once it is final: RSS growth with the allocator's free
    // memory handed back first, so only live objects count. OpenG2P's own list of payments is
    // the client's, not mojasim's: it goes first.
    auto const sent = payments.size();
    std::vector<openg2p::payment>().swap(payments);
    release_free_memory();
    r.rss_per_payment_bytes = (rss_mb() - r.idle_rss_mb) * 1024.0 * 1024.0 /
                              static_cast<double>(std::max<std::size_t>(1, sent));
    og.http().close();
    w.stop();

    r.payments = sent;
    r.upload_ms = out.upload_ms;
    r.completed = out.completed;
    r.failed = out.failed;
    if(!out.error.empty())
        r.error = out.error;
    else if(!out.done)
        r.error = "the batch did not finish within the limit";
    r.per_second = r.seconds > 0 ? static_cast<double>(r.completed) / r.seconds : 0;
    r.exchanges_per_second = r.seconds > 0 ? static_cast<double>(r.exchanges) / r.seconds : 0;
    r.exchanges_per_payment = r.completed > 0 ? static_cast<double>(r.exchanges) / static_cast<double>(r.completed) : 0;
    auto lat = m.take_latencies();
    r.latency_samples = lat.size();
    r.latency = summarize_us(lat);
    if(!opts.attach.empty())
        r.attached = measure_attached(opts, people);
    return r;
}

std::string describe(bench_e2e_options const& opts, bench_e2e_result const& r)
{
    char buf[2048];
    int n = std::snprintf(
        buf, sizeof buf,
        "e2e%s: %zu payments (%zu completed, %zu failed) in %.2f s = %.0f payments/s; upload answered in %.1f ms\n"
        "     %zu HTTP exchanges = %.0f exchanges/s, %.1f per payment\n"
        "     time per payment (hub -> connector): p50 %.2f ms, p99 %.2f ms\n"
        "     ready in %.1f ms (demo-size world, onboarded); startup with %zu parties %.0f ms\n"
        "     RSS idle %.1f MB, peak %.1f MB, %.0f bytes per payment; CPU %.2f s; %zu threads, %zu in flight\n",
        opts.mode == "bulk" ? " (bulk)" : "", r.payments, r.completed, r.failed, r.seconds, r.per_second, r.upload_ms,
        r.exchanges, r.exchanges_per_second, r.exchanges_per_payment, r.latency.p50_ms, r.latency.p99_ms, r.ready_ms, r.payments, r.startup_ms,
        r.idle_rss_mb, r.peak_rss_mb, r.rss_per_payment_bytes, r.cpu.total(), opts.threads, opts.concurrency);
    std::string out(buf, static_cast<std::size_t>(std::max(0, n)));
    if(r.latency_samples == 0)
    {
        // Bulk: the hub sends no POST /transfers, so that line has nothing to say.
        auto const at = out.find("     time per payment");
        if(at != std::string::npos)
            out.erase(at, out.find('\n', at) + 1 - at);
    }
    // A bound by exchanges only means something at one exchange per payment or more (a bulk
    // run with the mapper makes a handful per 1,000 rows).
    if(r.http && r.exchanges_per_payment >= 1.0)
    {
        double const limit = r.http->per_second / r.exchanges_per_payment;
        std::snprintf(buf, sizeof buf,
                      "     raw HTTP limit %.0f exchanges/s -> %.0f payments/s at %.1f exchanges each; ratio %.2f\n",
                      r.http->per_second, limit, r.exchanges_per_payment, limit > 0 ? r.per_second / limit : 0);
        out += buf;
        // Where the ratio goes: the raw run's CPU per exchange against this run's, user space
        // (the actors' own work on top of the same HTTP code) and the kernel apart.
        out += describe_cpu(r.cpu, r.exchanges, "exchange") + "; the raw HTTP run: ";
        auto const raw = r.http->cpu.us_per(r.http->exchanges);
        std::snprintf(buf, sizeof buf, "%.1f + %.1f us\n", raw.user, raw.kernel);
        out += buf;
    }
    if(r.attached)
    {
        auto const& a = *r.attached;
        std::snprintf(buf, sizeof buf,
                      "e2e attached (every actor its own process): %zu payments (%zu completed, %zu failed) in %.2f s = "
                      "%.0f payments/s; in-process %.0f payments/s, ratio %.2f; beneficiaries added in %.0f ms\n",
                      r.payments, a.completed, a.failed, a.seconds, a.per_second, r.per_second,
                      r.per_second > 0 ? a.per_second / r.per_second : 0, a.setup_ms);
        out += buf;
        if(!a.error.empty())
            out += "     error (attached): " + a.error + "\n";
    }
    if(!r.error.empty())
        out += "     error: " + r.error + "\n";
    return out;
}

int run_bench_e2e(bench_e2e_options const& opts)
{
    auto const good = [](bench_e2e_result const& r) {
        return r.error.empty() && r.failed == 0 && r.completed == r.payments;
    };
    if(opts.mode == "bulk" && opts.jws != "both" && opts.with_individual)
    {
        // The individual mode first (with the raw HTTP limit), then the same batch in bulk.
        auto individual_opts = opts;
        individual_opts.mode = "individual";
        individual_opts.attach.clear();
        auto bulk_opts = opts;
        bulk_opts.compare_http = false;
        auto const individual = measure_e2e(individual_opts);
        if(individual.http)
            std::printf("%s\n", describe(bench_http_options{}, *individual.http).c_str());
        std::printf("%s", describe(individual_opts, individual).c_str());
        auto bulk = measure_e2e(bulk_opts);
        bulk.http = individual.http;
        std::printf("%s", describe(bulk_opts, bulk).c_str());
        std::printf("bulk: %.0f payments/s at %.2f exchanges per payment; individual %.0f payments/s at %.1f; "
                    "ratio %.2f; CPU per payment %.0f us (individual %.0f us); %zu rows per bulk transaction\n",
                    bulk.per_second, bulk.exchanges_per_payment, individual.per_second,
                    individual.exchanges_per_payment,
                    individual.per_second > 0 ? bulk.per_second / individual.per_second : 0, cpu_per_payment_us(bulk),
                    cpu_per_payment_us(individual), opts.bulk_size);
        return good(individual) && good(bulk) ? 0 : 1;
    }
    if(opts.jws == "both")
    {
        // The same batch plain, then signed and verified everywhere, in one run.
        auto plain_opts = opts;
        plain_opts.jws = "off";
        auto signed_opts = opts;
        signed_opts.jws = "on";
        signed_opts.compare_http = false;
        signed_opts.attach.clear();
        auto const plain = measure_e2e(plain_opts);
        if(plain.http)
            std::printf("%s\n", describe(bench_http_options{}, *plain.http).c_str());
        std::printf("JWS off:\n%s", describe(plain_opts, plain).c_str());
        auto const signed_run = measure_e2e(signed_opts);
        std::printf("JWS on (switch validates and signs, banks sign and verify, RS256 2048-bit):\n%s",
                    describe(signed_opts, signed_run).c_str());
        std::printf("jws: %.0f payments/s plain, %.0f payments/s signed; ratio %.2f; CPU per payment %.0f us -> %.0f us\n",
                    plain.per_second, signed_run.per_second,
                    plain.per_second > 0 ? signed_run.per_second / plain.per_second : 0,
                    cpu_per_payment_us(plain), cpu_per_payment_us(signed_run));
        return good(plain) && good(signed_run) ? 0 : 1;
    }
    if(opts.lookup == "both")
    {
        // The same batch paying MSISDNs, then national ids resolved by the account mapper.
        auto plain_opts = opts;
        plain_opts.lookup = "off";
        auto lookup_opts = opts;
        lookup_opts.lookup = "on";
        lookup_opts.compare_http = false;
        lookup_opts.attach.clear();
        auto const plain = measure_e2e(plain_opts);
        if(plain.http)
            std::printf("%s\n", describe(bench_http_options{}, *plain.http).c_str());
        std::printf("account lookup off:\n%s", describe(plain_opts, plain).c_str());
        auto const looked_up = measure_e2e(lookup_opts);
        std::printf("account lookup on (national ids; POST /accountLookup, callback, then pay):\n%s",
                    describe(lookup_opts, looked_up).c_str());
        std::printf("lookup: %.0f payments/s plain, %.0f payments/s with the account lookup; ratio %.2f\n",
                    plain.per_second, looked_up.per_second,
                    plain.per_second > 0 ? looked_up.per_second / plain.per_second : 0);
        return good(plain) && good(looked_up) ? 0 : 1;
    }
    auto const r = measure_e2e(opts);
    if(r.http)
        std::printf("%s\n", describe(bench_http_options{}, *r.http).c_str());
    std::printf("%s", describe(opts, r).c_str());
    bool const attached_ok =
        !r.attached || (r.attached->error.empty() && r.attached->failed == 0 && r.attached->completed == r.payments);
    return good(r) && attached_ok ? 0 : 1;
}

} // namespace mojasim::tools
