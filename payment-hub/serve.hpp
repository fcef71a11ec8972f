// `mojasim serve hub --config FILE`: run the Payment Hub alone until SIGINT or SIGTERM.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace mojasim::hub {

struct serve_hub_options
{
    std::string config_path;               ///< YAML file (empty: every default)
    std::optional<std::uint16_t> bulk_port; ///< overrides the file's bulk_port
    std::optional<std::uint16_t> ops_port;  ///< overrides the file's ops_port
    std::string log_level = "info";
    int threads = 1;
    std::optional<std::string> host;  ///< overrides the file's host
    /// Overrides every tenant's connector_url (the payer bank's connector, from the
    /// environment in a cluster).
    std::string connector_url;
    /// Print one line of JSON ({"hub":{bulk, operations}, "tenant"}: a fragment of the
    /// topology `run --attach` reads) once ready, instead of the text.
    bool json = false;
};

/// Load the config, start the hub, print its endpoints on stdout, and serve until SIGINT or
/// SIGTERM. Returns the process exit code: 0 after a signal, 1 when a port cannot be bound,
/// 2 for a bad configuration.
int run_serve_hub(serve_hub_options const& options);

} // namespace mojasim::hub
