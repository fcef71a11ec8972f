#include "tools/bench/bench_switch.hpp"

#include "simulator/admin/admin_api.hpp"

#include "simulator/central/switch_actor.hpp"
#include "simulator/core/ids.hpp"
#include "simulator/core/log.hpp"
#include "simulator/fspiop/ilp.hpp"
#include "simulator/net/client.hpp"
#include "simulator/net/one_shot.hpp"
#include "simulator/net/router.hpp"
#include "simulator/net/run.hpp"
#include "simulator/net/server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <cstdio>
#include <unordered_map>

namespace mojasim::tools {

namespace asio = boost::asio;

namespace {

using namespace std::chrono_literals;

constexpr std::string_view transfers_type = "application/vnd.interoperability.transfers+json;version=1.1";

net::request
fspiop_request(net::method m, std::string_view source, std::string_view destination, std::string body)
{
    net::request r;
    r.method = m;
    r.fields.reserve(5);
    if(m == net::method::post)
        r.fields.add("Accept", std::string(transfers_type));
    r.fields.add("Content-Type", std::string(transfers_type));
    r.fields.add("Date", core::format_http_date(std::chrono::system_clock::now()));
    r.fields.add("FSPIOP-Source", std::string(source));
    r.fields.add("FSPIOP-Destination", std::string(destination));
    r.body = std::move(body);
    return r;
}

// The payee derives the fulfilment from the transfer id: the payer needs no quote.
std::string
fulfilment_of(std::string_view id)
{
    return fspiop::base64url_encode(fspiop::sha256(id));
}

// The payer: sends prepares and waits for the commit callback of each.
struct bench_payer
{
    explicit bench_payer(net::executor e, std::size_t connections)
        : ex(std::move(e))
        , client(ex, net::client_options{.max_connections_per_host = connections, .name = "bench-dfsp1"})
    {
        routes->add(net::method::put, "/transfers/{ID}", [this](net::request r) { return on_put(std::move(r), true); });
        routes->add(net::method::put, "/transfers/{ID}/error",
                   [this](net::request r) { return on_put(std::move(r), false); });
        server = std::make_unique<net::server>(ex, routes, net::server_options{.name = "bench-dfsp1"});
        server->listen();
        server->start();
    }

    net::awaitable<net::response> on_put(net::request r, bool committed)
    {
        if(auto it = waiting.find(std::string(r.params.get("ID"))); it != waiting.end())
            it->second->deliver(committed);
        co_return net::make_empty(200);
    }

    net::executor ex;
    std::shared_ptr<net::router> routes = std::make_shared<net::router>();
    std::unique_ptr<net::server> server;
    net::client client;
    std::unordered_map<std::string, net::one_shot<bool>*> waiting;
    core::id_generator ids;
};

// The payee: fulfils every prepare at once.
struct bench_payee
{
    explicit bench_payee(net::executor e, std::size_t connections)
        : ex(std::move(e))
        , client(ex, net::client_options{.max_connections_per_host = connections, .name = "bench-dfsp2"})
    {
        routes->add(net::method::post, "/transfers", [this](net::request r) { return on_prepare(std::move(r)); });
        routes->add(net::method::put, "/transfers/{ID}", [this](net::request r) { return on_copy(std::move(r)); });
        server = std::make_unique<net::server>(ex, routes, net::server_options{.name = "bench-dfsp2"});
        server->listen();
        server->start();
    }

    net::awaitable<net::response> on_prepare(net::request r)
    {
        // The body is the payer's own compact JSON: the id follows "transferId":"
        constexpr std::string_view key = R"("transferId":")";
        auto const at = r.body.find(key);
        if(at != std::string::npos)
        {
            auto const start = at + key.size();
            net::spawn(ex, fulfil(r.body.substr(start, r.body.find('"', start) - start)), "bench-dfsp2");
        }
        co_return net::make_empty(202);
    }

    static net::awaitable<net::response> on_copy(net::request) { co_return net::make_empty(200); }

    net::awaitable<void> fulfil(std::string id)
    {
        std::string body = R"({"fulfilment":")" + fulfilment_of(id) + R"(","completedTimestamp":")" +
                           core::format_datetime(std::chrono::system_clock::now()) +
                           R"(","transferState":"COMMITTED"})";
        auto req = fspiop_request(net::method::put, "dfsp2", "dfsp1", std::move(body));
        auto const url = switch_url + "/transfers/" + id;
        auto r = co_await client.send(url, std::move(req));
        if(!r || r->status != 200)
            ++failures;
    }

    net::executor ex;
    std::shared_ptr<net::router> routes = std::make_shared<net::router>();
    std::unique_ptr<net::server> server;
    net::client client;
    std::string switch_url;
    std::size_t failures = 0;
};

struct worker_state
{
    std::vector<std::uint32_t> latencies_us;
    std::size_t failures = 0;
};

// One transfer after another until the deadline or the budget.
net::awaitable<void>
drive(bench_payer& payer, std::string switch_url, std::chrono::steady_clock::time_point deadline, std::size_t budget,
      worker_state& out)
{
    auto const url = switch_url + "/transfers";
    for(std::size_t i = 0; budget == 0 || i < budget; ++i)
    {
        auto const start = std::chrono::steady_clock::now();
        if(start >= deadline)
            break;
        auto const id = payer.ids.uuid_v4();
        auto const condition = *fspiop::make_condition(fulfilment_of(id));
        std::string body = R"({"transferId":")" + id +
                           R"(","payeeFsp":"dfsp2","payerFsp":"dfsp1","amount":{"currency":"USD","amount":"1"},)"
                           R"("ilpPacket":"AYIBgQAAAAAAAASwNGxldmVsb25lLmRmc3AxLm1lci45T2RTOF81MDdqUUZERmZlakgyOVc4)"
                           R"(bXFmNEpLMHlGTFGCAUBQU0sxLjAKTm9uY2U6IHVJ","condition":")" +
                           condition + R"(","expiration":")" +
                           core::format_datetime(std::chrono::system_clock::now() + 60s) + R"("})";
        net::one_shot<bool> done(payer.ex);
        payer.waiting.emplace(id, &done);
        auto req = fspiop_request(net::method::post, "dfsp1", "dfsp2", std::move(body));
        auto ack = co_await payer.client.send(url, std::move(req));
        bool ok = ack && ack->status == 202;
        if(ok)
        {
            auto const committed = co_await done.wait(10s);
            ok = committed && *committed;
        }
        payer.waiting.erase(id);
        auto const us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
        if(ok)
            out.latencies_us.push_back(static_cast<std::uint32_t>(us.count()));
        else
            ++out.failures;
    }
}

// The operator's onboarding, through the Admin API.
net::awaitable<bool>
onboard(net::client& admin, std::string base, std::string payer_url, std::string payee_url)
{
    admin_api::settlement_model model;
    model.name = "DEFERRED_NET";
    std::vector<std::pair<std::string, std::string>> calls = {
        {"/participants/Hub/accounts", admin_api::encode(admin_api::hub_account{"HUB_MULTILATERAL_SETTLEMENT", "USD"})},
        {"/participants/Hub/accounts", admin_api::encode(admin_api::hub_account{"HUB_RECONCILIATION", "USD"})},
        {"/settlementModels", admin_api::encode(model)},
    };
    auto const plenty = core::decimal::from_units(900'000'000'000 * core::decimal::one);
    for(auto const& [name, url] : {std::pair{std::string("dfsp1"), payer_url}, std::pair{std::string("dfsp2"), payee_url}})
    {
        calls.push_back({"/participants", admin_api::encode(admin_api::participant{name, "USD"})});
        calls.push_back({"/participants/" + name + "/initialPositionAndLimits",
                         admin_api::encode(admin_api::initial_position_and_limits{"USD", plenty, core::decimal{}})});
        for(auto const& e : admin_api::transfer_endpoints(url))
            calls.push_back({"/participants/" + name + "/endpoints", admin_api::encode(e)});
    }
    // Settlement accounts are the second account of each FSP: ids 4 and 6 after the hub's two.
    admin_api::funds_movement funds;
    funds.transfer_id = "8b4ac6a6-3f7e-4c2d-9f9f-0d3a1c2b5e71";
    funds.external_reference = "bench";
    funds.reason = "bench";
    funds.amount = plenty;
    funds.currency = "USD";
    calls.push_back({"/participants/dfsp1/accounts/4", admin_api::encode(funds)});
    for(auto& [path, body] : calls)
    {
        net::request r;
        r.method = net::method::post;
        r.fields.add("Content-Type", "application/json");
        r.body = std::move(body);
        auto const url = base + path;
        auto res = co_await admin.send(url, std::move(r));
        if(!res || !res->ok())
        {
            std::fprintf(stderr, "bench: onboarding %s failed: %s\n", path.c_str(),
                         res ? res->body.c_str() : res.error().message().c_str());
            co_return false;
        }
    }
    co_return true;
}

struct bench_run
{
    // The switch on `switch_ex`, the two banks and the operator on `banks_ex`.
    bench_run(net::executor const& switch_ex, net::executor const& banks_ex, bench_switch_options const& o)
        : opts(o)
        , hub(switch_ex, config())
        , payer(banks_ex, o.connections)
        , payee(banks_ex, o.connections)
        , admin_ex(banks_ex)
        , admin(admin_ex, net::client_options{.name = "bench-operator"})
        , workers(o.concurrency)
    {
        hub.start();
        payee.switch_url = hub.fspiop_url();
    }

    static central::switch_config config()
    {
        central::switch_config c;
        c.fspiop_port = 0;
        c.admin_port = 0;
        c.name = "bench-switch";
        c.max_connections_per_fsp = 32;
        return c;
    }

    void stop()
    {
        hub.stop();
        payer.server->stop();
        payer.client.close();
        payee.server->stop();
        payee.client.close();
        admin.close();
    }

    bench_switch_options opts;
    central::switch_actor hub;
    bench_payer payer;
    bench_payee payee;
    net::executor admin_ex;
    net::client admin;
    std::vector<worker_state> workers;
    std::chrono::steady_clock::time_point started;
    std::chrono::steady_clock::time_point finished;
    std::size_t running = 0;
    bool onboarded = false;
};

// Let the switch finish the callbacks it has started (the payees' copies), then stop.
net::awaitable<void>
drain_then_stop(bench_run& run)
{
    for(int i = 0; i < 2000; ++i)
    {
        auto const& s = run.hub.callbacks();
        if(s.sent == s.delivered + s.failed)
            break;
        co_await net::sleep_for(1ms);
    }
    run.stop();
}

void
worker_done(bench_run& run)
{
    if(--run.running != 0)
        return;
    run.finished = std::chrono::steady_clock::now();
    // The switch's statistics are read on its own strand.
    net::spawn(run.hub.executor(), drain_then_stop(run), "bench-switch");
}

// Onboard, then start the workers on the payer's strand.
net::awaitable<void>
start(bench_run& run)
{
    run.onboarded = co_await onboard(run.admin, run.hub.admin_url(), run.payer.server->base_url(),
                                     run.payee.server->base_url());
    if(!run.onboarded)
    {
        run.stop();
        co_return;
    }
    auto const budget = run.opts.max_transfers == 0 ? 0
                                                    : std::max<std::size_t>(1, run.opts.max_transfers / run.opts.concurrency);
    run.started = std::chrono::steady_clock::now();
    auto const deadline =
        run.opts.max_transfers == 0 ? run.started + run.opts.duration : std::chrono::steady_clock::time_point::max();
    run.running = run.workers.size();
    for(auto& w : run.workers)
        asio::co_spawn(run.payer.ex, drive(run.payer, run.hub.fspiop_url(), deadline, budget, w),
                       [&run](std::exception_ptr) { worker_done(run); });
}

} // namespace

bench_switch_result
measure_switch(bench_switch_options const& opts)
{
    bench_switch_result r;
    if(opts.compare_http)
    {
        bench_http_options h;
        h.threads = opts.threads;
        h.connections = std::min<std::size_t>(opts.concurrency, 64);
        h.duration = std::min(opts.duration, std::chrono::milliseconds(2000));
        r.http = run_bench_http(h);
    }

    // The world's model: the switch on the pool's first io_context, the banks on its last
    // (the same one when there is one thread).
    net::context_pool iocs(opts.threads);
    bench_run run(iocs.front().get_executor(), iocs.back().get_executor(), opts);
    asio::co_spawn(run.payer.ex, start(run), [](std::exception_ptr) {});
    iocs.run();
    auto const elapsed = std::chrono::duration<double>(run.finished - run.started).count();

    std::vector<std::uint32_t> all;
    for(auto& w : run.workers)
    {
        all.insert(all.end(), w.latencies_us.begin(), w.latencies_us.end());
        r.failures += w.failures;
    }
    r.failures += run.payee.failures + (run.onboarded ? 0 : 1);
    r.transfers = all.size();
    r.seconds = run.onboarded ? elapsed : 0;
    r.per_second = r.seconds > 0 ? static_cast<double>(r.transfers) / r.seconds : 0;
    r.latency = summarize_us(all);
    return r;
}

std::string
describe(bench_switch_options const& opts, bench_switch_result const& r)
{
    char buf[768];
    int n = std::snprintf(buf, sizeof buf,
                          "switch: %zu transfers in %.2f s = %.0f transfers/s (%zu failed), %.0f exchanges/s; "
                          "prepare->commit p50 %.3f ms, p99 %.3f ms, max %.3f ms; %zu in flight, %zu thread(s)",
                          r.transfers, r.seconds, r.per_second, r.failures, r.per_second * 5, r.latency.p50_ms,
                          r.latency.p99_ms, r.latency.max_ms, opts.concurrency, opts.threads);
    if(r.http && r.http->per_second > 0 && n > 0 && static_cast<std::size_t>(n) < sizeof buf)
        std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n),
                      "\nratio to bench http (%.0f exchanges/s): %.3f transfers per exchange; "
                      "the switch's 5 exchanges/transfer run at %.0f%% of the raw HTTP rate",
                      r.http->per_second, r.per_second / r.http->per_second,
                      100.0 * r.per_second * 5 / r.http->per_second);
    return buf;
}

int
run_bench_switch(bench_switch_options const& opts)
{
    auto const r = measure_switch(opts);
    if(r.http)
    {
        bench_http_options h;
        h.threads = opts.threads;
        h.connections = std::min<std::size_t>(opts.concurrency, 64);
        std::printf("%s\n", describe(h, *r.http).c_str());
    }
    std::printf("%s\n", describe(opts, r).c_str());
    return r.failures == 0 && r.transfers > 0 ? 0 : 1;
}

} // namespace mojasim::tools
