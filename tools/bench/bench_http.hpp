// `mojasim bench http`: the physical limit of this machine's loopback HTTP with the project's
// own server and client. Every later benchmark reports its ratio to this figure.
#pragma once

#include "tools/bench/process.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mojasim::tools {

struct bench_http_options
{
    std::size_t threads = 2;         ///< io_context threads (server and client share them)
    std::size_t connections = 16;    ///< concurrent kept-alive connections
    std::chrono::milliseconds duration{3000};
    std::size_t body_size = 600;     ///< bytes of JSON posted per request (an FSPIOP message's size)
    std::size_t max_requests = 0;    ///< stop after this many (0: run for `duration`)
};

struct latency_summary
{
    double p50_ms = 0;
    double p99_ms = 0;
    double max_ms = 0;
};

struct bench_http_result
{
    std::size_t exchanges = 0;
    std::size_t failures = 0;
    double seconds = 0;
    double per_second = 0;
    latency_summary latency;
    cpu_time cpu; ///< the process's (server and client), over the run
};

bench_http_result run_bench_http(bench_http_options const& opts);

/// Percentiles of a set of samples in microseconds (sorts them).
latency_summary summarize_us(std::vector<std::uint32_t>& samples);

std::string describe(bench_http_options const& opts, bench_http_result const& r);

} // namespace mojasim::tools
