// `mojasim serve mapper [--config FILE]`: the account mapper alone until SIGINT or SIGTERM,
// and its YAML form (docs/mapper.md).
#pragma once

#include "simulator/mapper/mapper_actor.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mojasim::mapper {

/// Parse a mapper file: its keys at the root or under `mapper:`. Throws yaml::error
/// "<source>:<line>:<column>: <what>"; an unknown key lists the known ones.
mapper_config parse_mapper_config(std::string_view yaml, std::string const& source = "mapper config");
mapper_config load_mapper_config(std::string const& path);

struct serve_mapper_options
{
    std::string config_path;
    std::optional<std::uint16_t> port;
    std::optional<std::string> host;
    std::string log_level = "info";
    int threads = 1;
    bool json = false; ///< one line of JSON ({"mapper":{"url"}}) once ready
};

/// 0 after a signal, 1 when the port cannot be bound, 2 for a bad configuration.
int run_serve_mapper(serve_mapper_options const& options);

} // namespace mojasim::mapper
