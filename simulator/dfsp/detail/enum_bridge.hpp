// The connector API and FSPIOP spell four enumerations alike (PartyIdType,
// TransactionInitiatorType, TransferState); the DFSP converts between them here, and the
// static_asserts keep the two declarations in the same order.
#pragma once

#include "simulator/connector/types.hpp"
#include "simulator/fspiop/types.hpp"

#include <type_traits>

namespace mojasim::dfsp::detail {

template <typename A, typename B>
constexpr bool same_value(A a, B b) noexcept
{
    return static_cast<std::underlying_type_t<A>>(a) == static_cast<std::underlying_type_t<B>>(b);
}

namespace c = connector;
namespace f = fspiop;

static_assert(same_value(c::party_id_type::msisdn, f::party_id_type::msisdn) &&
              same_value(c::party_id_type::email, f::party_id_type::email) &&
              same_value(c::party_id_type::personal_id, f::party_id_type::personal_id) &&
              same_value(c::party_id_type::business, f::party_id_type::business) &&
              same_value(c::party_id_type::device, f::party_id_type::device) &&
              same_value(c::party_id_type::account_id, f::party_id_type::account_id) &&
              same_value(c::party_id_type::iban, f::party_id_type::iban) &&
              same_value(c::party_id_type::alias, f::party_id_type::alias));
static_assert(same_value(c::initiator_type::consumer, f::transaction_initiator_type::consumer) &&
              same_value(c::initiator_type::agent, f::transaction_initiator_type::agent) &&
              same_value(c::initiator_type::business, f::transaction_initiator_type::business) &&
              same_value(c::initiator_type::device, f::transaction_initiator_type::device));
static_assert(same_value(c::transfer_state::received, f::transfer_state::received) &&
              same_value(c::transfer_state::reserved, f::transfer_state::reserved) &&
              same_value(c::transfer_state::committed, f::transfer_state::committed) &&
              same_value(c::transfer_state::aborted, f::transfer_state::aborted));

/// The same enumerator in the other API's enumeration (one of the pairs checked above).
template <typename To, typename From>
constexpr To bridge(From v) noexcept
{
    return static_cast<To>(static_cast<std::underlying_type_t<From>>(v));
}

} // namespace mojasim::dfsp::detail
