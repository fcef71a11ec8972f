// Logging: one spdlog logger per actor, named after it; one level for all.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

namespace mojasim::core {

/// The logger for an actor ("switch", "dfsp1", "hub", ...), created on first use.
std::shared_ptr<spdlog::logger> logger(std::string const& name);

/// "trace", "debug", "info", "warn", "error", "off". Unknown names are ignored (false).
bool set_log_level(std::string_view level);

} // namespace mojasim::core
