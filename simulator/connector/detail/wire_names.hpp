// The wire spellings of the connector API's enums, in enumerator order (the enums are dense
// from 0), and the lookup from a spelling back to its enumerator. Shared by to_string and
// *_from_string (types.cpp) and the codec's enum checks and their messages (codec.cpp).
// Internal to simulator/connector.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace mojasim::connector::detail {

inline constexpr std::array<std::string_view, 8> party_id_type_names{
    "MSISDN", "EMAIL", "PERSONAL_ID", "BUSINESS", "DEVICE", "ACCOUNT_ID", "IBAN", "ALIAS"};
inline constexpr std::array<std::string_view, 2> amount_type_names{"SEND", "RECEIVE"};
inline constexpr std::array<std::string_view, 4> initiator_type_names{"CONSUMER", "AGENT", "BUSINESS", "DEVICE"};
inline constexpr std::array<std::string_view, 5> transfer_status_names{
    "ERROR_OCCURRED", "WAITING_FOR_PARTY_ACCEPTANCE", "WAITING_FOR_QUOTE_ACCEPTANCE",
    "WAITING_FOR_CONVERSION_ACCEPTANCE", "COMPLETED"};
inline constexpr std::array<std::string_view, 4> transfer_state_names{"RECEIVED", "RESERVED", "COMMITTED", "ABORTED"};

/// The enumerator spelled `s` (exactly, case-sensitive), or none.
template<class E, std::size_t N>
std::optional<E> lookup(std::array<std::string_view, N> const& names, std::string_view s) noexcept
{
    for(std::size_t i = 0; i < N; ++i)
        if(names[i] == s)
            return static_cast<E>(i);
    return std::nullopt;
}

} // namespace mojasim::connector::detail
