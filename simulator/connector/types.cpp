#include "simulator/connector/types.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace mojasim::connector {

namespace {

constexpr std::array<std::string_view, 8> party_id_type_names{
    "MSISDN", "EMAIL", "PERSONAL_ID", "BUSINESS", "DEVICE", "ACCOUNT_ID", "IBAN", "ALIAS"};
constexpr std::array<std::string_view, 2> amount_type_names{"SEND", "RECEIVE"};
constexpr std::array<std::string_view, 4> initiator_type_names{"CONSUMER", "AGENT", "BUSINESS", "DEVICE"};
constexpr std::array<std::string_view, 5> transfer_status_names{
    "ERROR_OCCURRED", "WAITING_FOR_PARTY_ACCEPTANCE", "WAITING_FOR_QUOTE_ACCEPTANCE",
    "WAITING_FOR_CONVERSION_ACCEPTANCE", "COMPLETED"};
constexpr std::array<std::string_view, 4> transfer_state_names{"RECEIVED", "RESERVED", "COMMITTED", "ABORTED"};

template<class E, std::size_t N>
std::optional<E> lookup(std::array<std::string_view, N> const& names, std::string_view s) noexcept
{
    for(std::size_t i = 0; i < N; ++i)
        if(names[i] == s)
            return static_cast<E>(i);
    return std::nullopt;
}

} // namespace

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
