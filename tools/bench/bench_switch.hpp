// `mojasim bench switch`: transfers per second through the switch, prepare to commit, over
// real HTTP on 127.0.0.1 with two in-process DFSPs that answer at once. Each transfer is five
// exchanges: payer POST, switch POST to the payee, payee PUT (fulfil), switch PUT to the
// payer, switch PUT copy to the payee. The figure is set against `bench http` run in the
// same process just before, the machine's loopback limit.
#pragma once

#include "tools/bench/bench_http.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace mojasim::tools {

struct bench_switch_options
{
    std::size_t threads = 2;        ///< io_context threads (switch and DFSPs share them)
    std::size_t concurrency = 64;   ///< transfers in flight
    std::size_t connections = 32;   ///< kept-alive connections per destination, each client
    std::chrono::milliseconds duration{3000};
    std::size_t max_transfers = 0;  ///< stop after this many (0: run for `duration`)
    bool compare_http = true;       ///< run `bench http` first for the ratio
};

struct bench_switch_result
{
    std::size_t transfers = 0;      ///< committed, as seen by the payer
    std::size_t failures = 0;       ///< rejected, refused or timed out
    double seconds = 0;
    double per_second = 0;          ///< committed transfers per second
    latency_summary latency;        ///< prepare sent -> commit callback received at the payer
    std::optional<bench_http_result> http;
};

/// Run the benchmark (and `bench http` first when asked).
bench_switch_result measure_switch(bench_switch_options const& opts);

std::string describe(bench_switch_options const& opts, bench_switch_result const& r);

/// The command: measure, print the figures and the ratio, return the exit code (0 when no
/// transfer failed).
int run_bench_switch(bench_switch_options const& opts);

} // namespace mojasim::tools
