// `mojasim serve dfsp --config FILE`: one DFSP simulator as a process of its own.
#pragma once

#include <string>

namespace mojasim::dfsp {

struct serve_options
{
    std::string config_path;   ///< the DFSP's YAML description (required)
    std::string host;          ///< overrides listen.host when not empty
    bool onboard = true;       ///< onboard at start when switch.admin_url is set
    int threads = 1;           ///< io_context threads (the actor runs on one strand)
};

/// Load the configuration, start the listeners, print the endpoints, onboard when a switch
/// Admin API is configured, and run until SIGINT or SIGTERM. Returns the process exit code:
/// 0 after a clean stop, 1 when a port cannot be bound, 2 for an invalid configuration.
int run_serve_dfsp(serve_options const& options);

} // namespace mojasim::dfsp
