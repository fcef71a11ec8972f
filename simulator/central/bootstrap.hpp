// What an operator does on a new switch before the first DFSP onboards, through the switch's
// Admin API as on the real hub: the hub's multilateral settlement and reconciliation accounts
// for a currency, and a DEFERREDNET settlement model. The world does it for its own switch;
// `serve switch --currency USD` does it for a switch run alone.
#pragma once

#include "simulator/net/awaitable.hpp"
#include "simulator/net/message.hpp"

#include <string>

namespace mojasim::central {

/// A request to the Admin API (or any JSON API): `body`, when not empty, as application/json.
net::request admin_request(net::method m, std::string body = {});

/// Empty on success, else what failed (a switch that has them already refuses them again).
net::awaitable<std::string> prepare_hub(std::string admin_url, std::string hub_name, std::string currency);

} // namespace mojasim::central
