// The files a run reads and writes: scenario arguments (files and folders) and the report
// paths, checked before anything runs so that a pipeline never loses a report in silence.
#pragma once

#include <string>
#include <vector>

namespace mojasim::scenario {

/// Why `path` cannot be written as a report file (a folder that does not exist or is not
/// writable, a directory in its place, a read-only file); empty when it can. Creates nothing.
std::string why_not_writable(std::string const& path);

/// A scenario argument expanded: a file stays itself (even when missing: loading it says
/// why); a folder becomes every scenario file under it, sorted by path. A YAML file under a
/// folder is a scenario when its top level has `beneficiaries:` or `steps:` (every runnable
/// scenario has one); YAML files that do not parse are kept so their error is reported.
struct expanded_files
{
    std::vector<std::string> files;
    std::vector<std::string> skipped; ///< YAML files under a folder that are not scenarios
    std::vector<std::string> errors;  ///< "DIR: no scenario files" and the like
};
expanded_files expand_scenario_args(std::vector<std::string> const& args);

/// Does a scenario with `tags` pass `--tags` (any of them; empty: all) and `--skip-tags`
/// (none of them)?
bool tags_select(std::vector<std::string> const& tags, std::vector<std::string> const& wanted,
                 std::vector<std::string> const& skipped);

} // namespace mojasim::scenario
