// What `mojasim serve` tells while it runs, from the trace hook that sees every message: one
// info line per payment outcome (the payer bank's connector answering the Payment Hub), one
// debug line per FSPIOP message an actor received, and `--trace FILE` written as JSON lines
// by a thread of its own, so that no actor's event loop waits on the disk.
#pragma once

#include "simulator/net/trace.hpp"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

namespace mojasim::report {

/// "switch <- dfsp1 POST /quotes (for dfsp2)" for an FSPIOP request an actor received (one
/// with FSPIOP-Source); empty for anything else.
std::string fspiop_message_line(net::trace_event const& e);

/// For the connector's answer to the hub's POST /transfers: "payment to MSISDN 0495822412
/// 50.00 USD: paid (transfer tr-1)" or "payment to MSISDN 0455510400 20.00 USD: failed 5104
/// Payee rejected transaction"; empty for anything else.
std::string payment_outcome_line(net::trace_event const& e);

/// Writes trace events as JSON lines (the format of `run --trace`) on a thread of its own.
/// The queue is bounded: past `max_queued` lines, events are dropped and counted rather than
/// held without limit or waited for.
class trace_file_writer
{
public:
    explicit trace_file_writer(std::size_t max_queued = 1'000'000) : max_queued_(max_queued) {}
    ~trace_file_writer();
    trace_file_writer(trace_file_writer const&) = delete;
    trace_file_writer& operator=(trace_file_writer const&) = delete;

    /// Open (truncate) the file and start the thread; false when it cannot be opened.
    bool open(std::string const& path);
    /// Queue one event (thread-safe, never blocks on the disk).
    void write(net::trace_event const& e);
    /// Write what is queued, stop the thread and close the file; false when a write failed.
    bool close();
    [[nodiscard]] std::size_t dropped() const noexcept { return dropped_.load(); }

private:
    void run();

    std::size_t max_queued_;
    std::ofstream out_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::string> lines_;
    bool stopping_ = false;
    bool failed_ = false;
    std::atomic<std::size_t> dropped_{0};
    std::thread thread_;
};

} // namespace mojasim::report
