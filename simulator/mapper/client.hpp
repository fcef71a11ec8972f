// Asking the account mapper, for the hub (and the hub's G2P Connect ingress): resolve one
// G2P Connect id to its FA through /mapper/sync/resolve.
#pragma once

#include "simulator/net/awaitable.hpp"
#include "simulator/net/client.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace mojasim::mapper {

/// The FA `mapper_url` (the mapper's base URL) resolves `id` to; nullopt when the mapper
/// knows no FA for it (an answer without `fa`: SPAR says `succ.id.not_found`); an error when
/// the mapper could not be reached or answered other than 200.
net::awaitable<net::result<std::optional<std::string>>> resolve_id(net::client& client, std::string mapper_url,
                                                                   std::string id, std::string message_id,
                                                                   std::chrono::milliseconds timeout);

} // namespace mojasim::mapper
