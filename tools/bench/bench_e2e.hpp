// `mojasim bench e2e`: an OpenG2P batch of N rows through the Payment Hub, DFSP1's Mojaloop
// connector, the switch and DFSP2, all over real HTTP on 127.0.0.1 in one process. Measured
// from the upload to the summary's COMPLETED, against `bench http` run just before.
#pragma once

#include "tools/bench/bench_http.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace mojasim::tools {

/// Rows per upload when none is asked for: a larger run is several batches, as OpenG2P sends
/// them (one 1,000,000-row CSV would pass the hub's upload limit).
inline constexpr std::size_t default_batch_rows = 100'000;

struct bench_e2e_options
{
    std::size_t payments = 10'000;   ///< rows in the batch
    std::size_t batch_size = 0;      ///< rows per upload (0: default_batch_rows at most)
    std::size_t threads = 2;         ///< io_context threads
    std::size_t concurrency = 256;   ///< payments the hub keeps in flight
    std::chrono::milliseconds limit{600'000}; ///< give up after this long
    bool compare_http = true;        ///< run `bench http` first for the ratio
    /// FSPIOP-Signature: "off", "on" (every actor signs and verifies, as topology.jws), or
    /// "both": the same batch plain and then signed in one run, with the ratio.
    std::string jws = "off";
    /// PH-EE's account lookup flow: "off", "on" (OpenG2P sends national ids, the hub asks the
    /// account mapper before paying), or "both": the same batch plain and then with the lookup.
    std::string lookup = "off";
    /// The hub's MOJALOOP payment mode: "individual" (type PAYMENT) or "bulk" (type BULK:
    /// sub-batches through the connector's POST /bulkTransactions). `run_bench_e2e` with
    /// "bulk" measures the individual mode too, in the same run, for the ratio.
    std::string mode = "individual";
    std::size_t bulk_size = 1000;    ///< rows per bulk transaction
    bool with_individual = true;     ///< bulk mode: also run the individual mode, for the ratio
    /// Topology files of actors running as separate processes (`serve ... --json`): the same
    /// batch is then paid through them too, for the multi-process figure beside this one.
    std::vector<std::string> attach;
};

/// The same batch through actors in processes of their own (bench e2e --attach).
struct bench_e2e_attached
{
    std::size_t completed = 0;
    std::size_t failed = 0;
    double setup_ms = 0;   ///< the beneficiaries made parties of the attached payee bank
    double seconds = 0;    ///< upload to every row final
    double per_second = 0; ///< completed payments per second
    std::string error;
};

struct bench_e2e_result
{
    std::size_t payments = 0;        ///< rows sent
    std::size_t completed = 0;       ///< rows the hub reports COMPLETED
    std::size_t failed = 0;
    double upload_ms = 0;            ///< until the hub's 202
    double seconds = 0;              ///< upload to every row final
    double per_second = 0;           ///< completed payments per second
    std::size_t exchanges = 0;       ///< HTTP request/response exchanges, all actors
    double exchanges_per_second = 0;
    double exchanges_per_payment = 0;
    latency_summary latency;         ///< hub -> connector POST /transfers, answer received
    std::size_t latency_samples = 0; ///< 0 in bulk mode (no POST /transfers from the hub)
    double startup_ms = 0;           ///< world start and onboarding of every party
    double ready_ms = 0;             ///< a demo-size world from nothing to serving, banks onboarded
    double idle_rss_mb = 0;          ///< after onboarding, before the upload
    double peak_rss_mb = 0;
    double rss_per_payment_bytes = 0; ///< RSS growth over the run / payments
    cpu_time cpu;                     ///< the process's, over the run
    std::optional<bench_http_result> http;
    std::optional<bench_e2e_attached> attached;
    std::string error;
};

bench_e2e_result measure_e2e(bench_e2e_options const& opts);
std::string describe(bench_e2e_options const& opts, bench_e2e_result const& r);
int run_bench_e2e(bench_e2e_options const& opts);

} // namespace mojasim::tools
