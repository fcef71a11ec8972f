// `run --html FILE`: one self-contained HTML page for a run, to hand out. Every scenario with
// every expectation (expected, actual, where it was set), each payment's outcome, the
// positions, the batch's overview and each failed payment's story as inline SVG, with the
// Mermaid text in a <details> block. No script, no stylesheet or font fetched: it reads
// offline.
#pragma once

#include "tools/scenario/runner.hpp"
#include "tools/scenario/scenario.hpp"

#include <string>
#include <vector>

namespace mojasim::scenario {

/// Failed payments drawn per scenario at most (the rest are listed in the table).
inline constexpr std::size_t html_max_stories = 10;

/// One scenario's section (made right after its run, so the trace need not be kept).
std::string html_section(scenario const& sc, run_result const& r);

/// A section for a file that could not be loaded.
std::string html_invalid_section(std::string const& file, std::string const& errors);

/// The whole page around the sections.
std::string html_document(std::string const& title, std::vector<std::string> const& sections, std::size_t passed,
                          std::size_t failed, std::size_t invalid);

} // namespace mojasim::scenario
