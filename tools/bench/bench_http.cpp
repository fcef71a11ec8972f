#include "tools/bench/bench_http.hpp"

#include "simulator/net/client.hpp"
#include "simulator/net/router.hpp"
#include "simulator/net/run.hpp"
#include "simulator/net/server.hpp"

#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <cstdio>

namespace mojasim::tools {

namespace asio = boost::asio;

namespace {

net::awaitable<net::response> on_post(net::request)
{
    co_return net::make_empty(202);
}

struct worker_state
{
    std::vector<std::uint32_t> latencies_us;
    std::size_t failures = 0;
};

// One connection's loop: request, wait, repeat, until the deadline or the request budget.
net::awaitable<void> drive(net::client& c, std::string url, std::string body,
                           std::chrono::steady_clock::time_point deadline, std::size_t budget, worker_state& out)
{
    for(std::size_t i = 0; budget == 0 || i < budget; ++i)
    {
        auto const start = std::chrono::steady_clock::now();
        if(start >= deadline)
            break;
        net::request req;
        req.method = net::method::post;
        req.fields.add("Content-Type", "application/vnd.interoperability.transfers+json;version=1.1");
        req.body = body;
        auto res = co_await c.send(url, std::move(req));
        auto const us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
        if(!res || res->status != 202)
            ++out.failures;
        else
            out.latencies_us.push_back(static_cast<std::uint32_t>(us.count()));
    }
}

} // namespace

latency_summary summarize_us(std::vector<std::uint32_t>& samples)
{
    latency_summary s;
    if(samples.empty())
        return s;
    auto at = [&](double q) {
        auto const i = static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1));
        std::nth_element(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(i), samples.end());
        return static_cast<double>(samples[i]) / 1000.0;
    };
    s.p50_ms = at(0.50);
    s.p99_ms = at(0.99);
    s.max_ms = static_cast<double>(*std::max_element(samples.begin(), samples.end())) / 1000.0;
    return s;
}

bench_http_result run_bench_http(bench_http_options const& opts)
{
    // The world's model: the server on the pool's first io_context, the client on its last
    // (the same one when there is one thread).
    net::context_pool iocs(opts.threads);
    auto routes = std::make_shared<net::router>();
    routes->add(net::method::post, "/transfers", [](net::request r) { return on_post(std::move(r)); });
    net::server_options so;
    so.name = "bench-server";
    net::server server(iocs.front().get_executor(), routes, so);
    server.listen();
    server.start();

    net::client_options co;
    co.name = "bench-client";
    co.max_connections_per_host = opts.connections;
    auto const client_ex = iocs.back().get_executor();
    net::client client(client_ex, co);

    // A JSON body of about the requested size.
    std::string body = R"({"transferId":"b51ec534-ee48-4575-b6a9-ead2955b8069","payerFsp":"dfsp1","payeeFsp":"dfsp2",)"
                       R"("amount":{"amount":"50","currency":"USD"},"note":")";
    if(body.size() + 3 < opts.body_size)
        body.append(opts.body_size - body.size() - 3, 'x');
    body += "\"}";

    std::vector<worker_state> workers(opts.connections);
    auto const budget = opts.max_requests == 0 ? 0 : std::max<std::size_t>(1, opts.max_requests / opts.connections);
    auto const cpu0 = process_cpu();
    auto const start = std::chrono::steady_clock::now();
    auto const deadline = opts.max_requests == 0 ? start + opts.duration : std::chrono::steady_clock::time_point::max();
    std::size_t running = opts.connections;
    for(auto& w : workers)
    {
        asio::co_spawn(client_ex, drive(client, server.base_url() + "/transfers", body, deadline, budget, w),
                       [&](std::exception_ptr) {
                           if(--running == 0)
                           {
                               server.stop();
                               client.close();
                           }
                       });
    }
    iocs.run();
    auto const elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    auto const cpu = process_cpu() - cpu0;

    bench_http_result r;
    std::vector<std::uint32_t> all;
    for(auto& w : workers)
    {
        all.insert(all.end(), w.latencies_us.begin(), w.latencies_us.end());
        r.failures += w.failures;
    }
    r.exchanges = all.size();
    r.seconds = elapsed;
    r.per_second = elapsed > 0 ? static_cast<double>(r.exchanges) / elapsed : 0;
    r.latency = summarize_us(all);
    r.cpu = cpu;
    return r;
}

std::string describe(bench_http_options const& opts, bench_http_result const& r)
{
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "http: %zu exchanges in %.2f s = %.0f exchanges/s (%zu failed); latency p50 %.3f ms, p99 %.3f ms, "
                  "max %.3f ms; %zu connections, %zu-byte POST, %zu thread(s)",
                  r.exchanges, r.seconds, r.per_second, r.failures, r.latency.p50_ms, r.latency.p99_ms,
                  r.latency.max_ms, opts.connections, opts.body_size, opts.threads);
    std::string out = buf;
    out += "\n" + describe_cpu(r.cpu, r.exchanges, "exchange");
    return out;
}

} // namespace mojasim::tools
