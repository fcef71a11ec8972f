// GET /health on every listener, in the shape of the real hub's health handlers
// (central-ledger, ml-api-adapter): {status, uptime, startTime, versionNumber, services[]},
// each service a dependency with its own status. HTTP 200 when every dependency is OK, 502
// (and status DOWN) when one is not, as central-ledger answers.
#pragma once

#include "simulator/net/message.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace mojasim::net {

struct health_service
{
    std::string name; ///< the dependency: "switch", "connector:greenbank", ...
    bool ok = false;
};

/// The version every health body reports (the project's version).
[[nodiscard]] std::string_view version_number() noexcept;

/// The health answer of a listener whose actor started at `started`.
[[nodiscard]] response health_response(std::chrono::system_clock::time_point started,
                                       std::vector<health_service> const& services);

} // namespace mojasim::net
