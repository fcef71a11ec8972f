#include "simulator/connector/types.hpp"

#include "simulator/connector/detail/wire_names.hpp"

#include <cstddef>
#include <optional>
#include <string_view>

namespace mojasim::connector {

using detail::amount_type_names;
using detail::initiator_type_names;
using detail::lookup;
using detail::party_id_type_names;
using detail::transfer_state_names;
using detail::transfer_status_names;

std::string_view to_string(party_id_type v) noexcept { return party_id_type_names[static_cast<std::size_t>(v)]; }
std::string_view to_string(amount_type v) noexcept { return amount_type_names[static_cast<std::size_t>(v)]; }
std::string_view to_string(initiator_type v) noexcept { return initiator_type_names[static_cast<std::size_t>(v)]; }
std::string_view to_string(transfer_status v) noexcept { return transfer_status_names[static_cast<std::size_t>(v)]; }
std::string_view to_string(transfer_state v) noexcept { return transfer_state_names[static_cast<std::size_t>(v)]; }

std::optional<party_id_type> party_id_type_from_string(std::string_view s) noexcept
{
    return lookup<party_id_type>(party_id_type_names, s);
}
std::optional<amount_type> amount_type_from_string(std::string_view s) noexcept
{
    return lookup<amount_type>(amount_type_names, s);
}
std::optional<initiator_type> initiator_type_from_string(std::string_view s) noexcept
{
    return lookup<initiator_type>(initiator_type_names, s);
}
std::optional<transfer_status> transfer_status_from_string(std::string_view s) noexcept
{
    return lookup<transfer_status>(transfer_status_names, s);
}
std::optional<transfer_state> transfer_state_from_string(std::string_view s) noexcept
{
    return lookup<transfer_state>(transfer_state_names, s);
}

} // namespace mojasim::connector
