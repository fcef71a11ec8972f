// The Admin API of central-ledger (participants, accounts, limits, endpoints, funds in/out,
// settlement models) as its clients speak it. One home for the endpoint type names and the
// request bodies, so the switch, the DFSPs' self-onboarding, the hub bootstrap and the
// benchmarks write them one way. Bodies keep central-ledger's member order.
#pragma once

#include "simulator/core/decimal.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mojasim::admin_api {

/// Endpoint types of central-ledger (fspiop.md §7.7).
namespace endpoint {
inline constexpr std::string_view participant_put = "FSPIOP_CALLBACK_URL_PARTICIPANT_PUT";
inline constexpr std::string_view participant_put_error = "FSPIOP_CALLBACK_URL_PARTICIPANT_PUT_ERROR";
inline constexpr std::string_view participant_sub_id_put = "FSPIOP_CALLBACK_URL_PARTICIPANT_SUB_ID_PUT";
inline constexpr std::string_view participant_sub_id_put_error = "FSPIOP_CALLBACK_URL_PARTICIPANT_SUB_ID_PUT_ERROR";
inline constexpr std::string_view participant_batch_put = "FSPIOP_CALLBACK_URL_PARTICIPANT_BATCH_PUT";
inline constexpr std::string_view participant_batch_put_error = "FSPIOP_CALLBACK_URL_PARTICIPANT_BATCH_PUT_ERROR";
inline constexpr std::string_view parties_get = "FSPIOP_CALLBACK_URL_PARTIES_GET";
inline constexpr std::string_view parties_put = "FSPIOP_CALLBACK_URL_PARTIES_PUT";
inline constexpr std::string_view parties_put_error = "FSPIOP_CALLBACK_URL_PARTIES_PUT_ERROR";
inline constexpr std::string_view parties_sub_id_get = "FSPIOP_CALLBACK_URL_PARTIES_SUB_ID_GET";
inline constexpr std::string_view parties_sub_id_put = "FSPIOP_CALLBACK_URL_PARTIES_SUB_ID_PUT";
inline constexpr std::string_view parties_sub_id_put_error = "FSPIOP_CALLBACK_URL_PARTIES_SUB_ID_PUT_ERROR";
inline constexpr std::string_view quotes = "FSPIOP_CALLBACK_URL_QUOTES";
inline constexpr std::string_view transfer_post = "FSPIOP_CALLBACK_URL_TRANSFER_POST";
inline constexpr std::string_view transfer_put = "FSPIOP_CALLBACK_URL_TRANSFER_PUT";
inline constexpr std::string_view transfer_error = "FSPIOP_CALLBACK_URL_TRANSFER_ERROR";
} // namespace endpoint

/// One endpoint registration: a type above and its URL template.
using endpoint_registration = std::pair<std::string_view, std::string>;

/// The FSPIOP callback endpoints an operator registers for a DFSP whose FSPIOP API is at
/// `base`: parties, participants, quotes and transfers, with central-ledger's {{placeholders}}.
std::vector<endpoint_registration> fspiop_endpoints(std::string const& base);

/// The transfer endpoints alone (POST, PUT, error): enough for an FSP that only transfers.
std::vector<endpoint_registration> transfer_endpoints(std::string const& base);

/// POST /participants: {"name","currency"}.
std::string participant_body(std::string_view name, std::string_view currency);

/// POST /participants/{name}/endpoints: {"type","value"}.
std::string endpoint_body(std::string_view type, std::string_view value);

/// POST /participants/{name}/initialPositionAndLimits with a NET_DEBIT_CAP limit.
std::string initial_position_and_limits_body(std::string_view currency, core::decimal net_debit_cap,
                                             core::decimal initial_position);

/// POST /participants/Hub/accounts: {"type","currency"} (HUB_MULTILATERAL_SETTLEMENT, ...).
std::string hub_account_body(std::string_view type, std::string_view currency);

/// POST /settlementModels.
struct settlement_model
{
    std::string name = "DEFERREDNET";
    std::string granularity = "NET";
    std::string interchange = "MULTILATERAL";
    std::string delay = "DEFERRED";
    std::string currency; ///< empty: the model applies to every currency (not written)
    bool require_liquidity_check = true;
    std::string ledger_account_type = "POSITION";
    std::string settlement_account_type = "SETTLEMENT";
    bool auto_position_reset = true;
};
std::string encode(settlement_model const& m);

/// POST /participants/{name}/accounts/{id}: funds in or out of a settlement account.
struct funds_movement
{
    std::string transfer_id;
    std::string external_reference;
    std::string action = "recordFundsIn"; ///< or recordFundsOutPrepareReserve
    std::string reason;
    core::decimal amount;
    std::string currency;
};
std::string encode(funds_movement const& f);

/// The id of the SETTLEMENT account in `currency` from GET /participants/{name}/accounts;
/// empty when the body holds none.
std::optional<std::int64_t> settlement_account_id(std::string_view accounts_body, std::string_view currency);

} // namespace mojasim::admin_api
