#include "simulator/ledger/types.hpp"

#include <ostream>

namespace mojasim::ledger {

std::ostream&
operator<<(std::ostream& os, failure const& f)
{
    return os << fspiop::code(f.code) << ' ' << f.detail;
}

std::string_view
to_string(transfer_state s) noexcept
{
    switch(s)
    {
    case transfer_state::received_prepare: return "RECEIVED_PREPARE";
    case transfer_state::reserved: return "RESERVED";
    case transfer_state::received_fulfil: return "RECEIVED_FULFIL";
    case transfer_state::received_error: return "RECEIVED_ERROR";
    case transfer_state::reserved_timeout: return "RESERVED_TIMEOUT";
    case transfer_state::committed: return "COMMITTED";
    case transfer_state::settled: return "SETTLED";
    case transfer_state::invalid: return "INVALID";
    case transfer_state::aborted_rejected: return "ABORTED_REJECTED";
    case transfer_state::aborted_error: return "ABORTED_ERROR";
    case transfer_state::expired_prepared: return "EXPIRED_PREPARED";
    case transfer_state::expired_reserved: return "EXPIRED_RESERVED";
    case transfer_state::failed: return "FAILED";
    }
    return "FAILED";
}

std::string_view
to_string(api_state s) noexcept
{
    switch(s)
    {
    case api_state::received: return "RECEIVED";
    case api_state::reserved: return "RESERVED";
    case api_state::committed: return "COMMITTED";
    case api_state::aborted: return "ABORTED";
    }
    return "ABORTED";
}

std::string_view
to_string(account_type t) noexcept
{
    switch(t)
    {
    case account_type::position: return "POSITION";
    case account_type::settlement: return "SETTLEMENT";
    case account_type::hub_multilateral_settlement: return "HUB_MULTILATERAL_SETTLEMENT";
    case account_type::hub_reconciliation: return "HUB_RECONCILIATION";
    case account_type::interchange_fee: return "INTERCHANGE_FEE";
    case account_type::interchange_fee_settlement: return "INTERCHANGE_FEE_SETTLEMENT";
    }
    return "POSITION";
}

std::optional<account_type>
account_type_from_string(std::string_view s) noexcept
{
    for(auto t : {account_type::position, account_type::settlement, account_type::hub_multilateral_settlement,
                  account_type::hub_reconciliation, account_type::interchange_fee,
                  account_type::interchange_fee_settlement})
        if(to_string(t) == s)
            return t;
    return std::nullopt;
}

} // namespace mojasim::ledger
