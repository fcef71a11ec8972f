// `mojasim serve dfsp --config FILE`: one DFSP simulator as a process of its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace mojasim::dfsp {

struct serve_options
{
    std::string config_path;   ///< the DFSP's YAML description (required)
    std::string host;          ///< overrides listen.host when not empty
    bool onboard = true;       ///< onboard at start when switch.admin_url is set
    int threads = 1;           ///< io_context threads (the actor runs on one strand)
    // Overrides of the file, so one file serves every environment (each also read from an
    // environment variable by the command line: docs/deploy.md).
    std::optional<std::uint16_t> fspiop_port;    ///< listen.fspiop_port (0: any)
    std::optional<std::uint16_t> test_port;      ///< listen.test_port (0: any)
    std::optional<std::uint16_t> connector_port; ///< connector.port (0: any)
    std::string switch_fspiop_url;               ///< switch.fspiop_url
    std::string switch_admin_url;                ///< switch.admin_url
    std::string callback_url;                    ///< switch.callback_url (how the switch reaches us)
    /// Onboarding attempts while the switch is not reachable yet (a second apart).
    int onboard_attempts = 30;
    /// Print one line of JSON ({"dfsps":[...]}, plus "payer" for a payer bank: a fragment of
    /// the topology `run --attach` reads) once onboarded, instead of the text.
    bool json = false;
};

/// Load the configuration, start the listeners, print the endpoints, onboard when a switch
/// Admin API is configured, and run until SIGINT or SIGTERM. Returns the process exit code:
/// 0 after a clean stop, 1 when a port cannot be bound, 2 for an invalid configuration.
int run_serve_dfsp(serve_options const& options);

} // namespace mojasim::dfsp
