// `mojasim serve switch`: run the switch alone until SIGINT or SIGTERM.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mojasim::central {

struct serve_switch_options
{
    std::string config_path;                  ///< YAML file (empty: every default)
    std::optional<std::string> host;          ///< overrides the file's host (default 127.0.0.1)
    std::optional<std::uint16_t> fspiop_port; ///< overrides the file's fspiop_port (default 4000; 0 any)
    std::optional<std::uint16_t> admin_port;  ///< overrides the file's admin_port (default 4001; 0 any)
    std::optional<std::string> hub_name;      ///< overrides the file's hub_name (default Hub)
    std::string log_level = "info";
    int threads = 1;
    /// Currencies to bootstrap at start (the hub's accounts and a DEFERREDNET settlement
    /// model each), as an operator does before the first DFSP onboards. Empty: none.
    std::vector<std::string> currencies;
    /// Print one line of JSON ({"switch":{fspiop, admin, hubName}}, a fragment of the
    /// topology `run --attach` reads) once ready, instead of the text.
    bool json = false;
};

/// Load the config, start the switch, print its endpoints on stdout, and serve until SIGINT
/// or SIGTERM. Returns the process exit code: 0 after a signal, 1 when a port cannot be
/// bound, 2 for a bad configuration.
int run_serve_switch(serve_switch_options const& options);

} // namespace mojasim::central
