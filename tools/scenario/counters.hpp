#pragma once

#include "simulator/dfsp/dfsp_actor.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace mojasim::scenario {

/// One of a bank's counters by its `expect.counters` name ("late_callbacks", ...); nullopt for
/// a name that is not one (counter_names() in scenario.hpp lists them).
std::optional<std::uint64_t> counter_of(dfsp::dfsp_stats const& s, std::string_view name);

} // namespace mojasim::scenario
