// mojasim: the command line. Wiring only: each command calls into its library.
#include "simulator/core/log.hpp"
#include "tools/bench/bench_http.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <string>
#include <thread>

namespace {

using namespace mojasim;

std::string command_line(int argc, char** argv)
{
    std::string out;
    for(int i = 0; i < argc; ++i)
    {
        if(i)
            out += ' ';
        out += argv[i];
    }
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"mojasim: the Mojaloop switch, two DFSPs and the Payment Hub on one machine"};
    app.set_version_flag("--version", std::string("mojasim ") + MOJASIM_VERSION);
    app.require_subcommand(1);
    std::string log_level = "warn";
    app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")->capture_default_str();

    // bench
    auto* bench = app.add_subcommand("bench", "Measure throughput and latency on 127.0.0.1");
    bench->require_subcommand(1);
    tools::bench_http_options http_opts;
    double seconds = 3.0;
    auto* bench_http = bench->add_subcommand("http", "Raw HTTP exchanges/s between mojasim's own server and client");
    bench_http->add_option("--threads", http_opts.threads, "io_context threads")->capture_default_str();
    bench_http->add_option("--connections", http_opts.connections, "kept-alive connections")->capture_default_str();
    bench_http->add_option("--seconds", seconds, "how long to run")->capture_default_str();
    bench_http->add_option("--body-size", http_opts.body_size, "bytes of JSON per POST")->capture_default_str();
    bench_http->add_option("--requests", http_opts.max_requests, "stop after this many exchanges (0: use --seconds)")
        ->capture_default_str();

    CLI11_PARSE(app, argc, argv);
    if(!core::set_log_level(log_level))
    {
        std::cerr << "unknown log level: " << log_level << "\n";
        return 2;
    }

    if(bench_http->parsed())
    {
        http_opts.duration = std::chrono::milliseconds(static_cast<long>(seconds * 1000));
        auto const r = tools::run_bench_http(http_opts);
        std::printf("%s\nmachine: %u cores\ncommand: %s\n", tools::describe(http_opts, r).c_str(),
                    std::thread::hardware_concurrency(), command_line(argc, argv).c_str());
        return r.failures == 0 ? 0 : 1;
    }
    return 0;
}
