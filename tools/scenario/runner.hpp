// Runs a scenario: builds its world, plays its steps as OpenG2P and an operator would, then
// checks every expectation and tells what happened.
#pragma once

#include "tools/openg2p/openg2p_client.hpp"
#include "tools/report/trace_log.hpp"
#include "tools/scenario/attach.hpp"
#include "tools/scenario/scenario.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace mojasim::scenario {

struct run_options
{
    std::optional<std::uint64_t> seed; ///< overrides the scenario's
    bool keep_trace = false;           ///< record every HTTP message (needed by --trace/--sequence)
    std::size_t threads = 2;
    bool progress_bar = false;         ///< draw the batch's progress on stderr (a terminal)
    /// Run against these actors, already running elsewhere, instead of a world of its own
    /// (check attach_refusals first).
    attached_topology const* attach = nullptr;
};

struct check
{
    expectation const* what = nullptr;
    std::string actual;
    bool passed = false;
    std::string why;      ///< replaces "expected X, actual Y" when set (a sequence's first missing step)
    std::string messages; ///< when it failed on one payment and the trace was kept: that payment's messages

    /// "scenarios/x.yaml:12: batch.successful: expected 3, actual 2"
    [[nodiscard]] std::string describe(std::string const& file) const;
};

struct run_result
{
    bool passed = false;
    std::string error;                ///< the scenario could not run to its end
    bool timed_out = false;           ///< it ran past its timeout
    std::vector<check> checks;
    double seconds = 0;               ///< wall time of the run, timed out or not
    std::uint64_t seed = 0;           ///< the seed of every id the run made
    std::vector<openg2p::payment> payments;
    std::vector<std::string> beneficiary_of; ///< msisdn of payments[i]
    std::vector<std::string> names;          ///< name of payments[i]
    std::string summary_json;                ///< the last batch summary as the hub sent it
    std::map<std::string, core::decimal> positions; ///< at the end, by fsp
    std::vector<report::trace_record> trace;        ///< when keep_trace
    std::map<std::string, std::string> actors;      ///< host:port -> actor name
};

run_result run(scenario const& sc, run_options const& opts);

/// The story of a run for people: each payment and its outcome, then the positions.
std::string story(scenario const& sc, run_result const& r, bool color);

/// One payment's outcome for a story's last line: "paid 50.00 USD" or
/// "failed: 5104 Payee rejected transaction" (the verdict, the FSPIOP code and description).
std::string payment_outcome(run_result const& r, std::size_t i);
/// A batch's: "3 paid (175.50 USD), 2 failed (3204 x1, 5104 x1); positions dfsp1 175.5, dfsp2 -175.5".
std::string batch_outcome(run_result const& r);

/// Where a sequence expectation fails: empty when every line of `want` matches an exchange of
/// `seen` in order (others may come between), else which step is the first missing and what
/// the payment did after the last step that matched.
std::string first_missing_step(std::vector<std::string> const& want, std::vector<std::string> const& seen);

/// Does the expected line ("hub->dfsp1 POST /transfers") describe the exchange `x`? Actors and
/// method match exactly, the path by prefix.
bool sequence_line_matches(std::string const& line, std::string const& x);

/// "step 2 (wait, line 9)"
std::string describe_step(std::size_t index, step const& s);

/// The FSPIOP code in a hub errorInformation text ("3204"), or empty.
std::string error_code_of(std::string_view error_information);
/// Its errorDescription ("Party not found"), or the whole text when it has none.
std::string error_description_of(std::string_view error_information);

} // namespace mojasim::scenario
