// The account lookup oracles: which FSP owns a party identifier. A built-in oracle serves
// every identifier type unless the operator registers an external one for the type
// (ALS admin POST /oracles), which is then asked over HTTP like als-msisdn-oracle.
// Pure data; the ALS service does the I/O.
#pragma once

#include "simulator/ledger/types.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mojasim::central {

/// A party identifier as the oracle keys it.
struct party_key
{
    std::string_view type;       ///< MSISDN, ACCOUNT_ID, ...
    std::string_view identifier;
    std::string_view sub_id;     ///< empty: none
};

/// The oracle built into the emulator.
class builtin_oracle
{
public:
    struct record
    {
        std::string fsp_id;
        std::string currency; ///< empty: any
        std::string sub_id;   ///< empty: none
    };

    enum class change : std::uint8_t
    {
        done,      ///< added or removed
        unchanged, ///< already registered to this FSP
        conflict,  ///< registered to another FSP (add) / by another FSP (remove)
        not_found, ///< nothing to remove
    };

    /// The FSPs that own the party: records with the same sub-id (or none when the request
    /// has none) and, when a currency is asked for, the same currency or none.
    [[nodiscard]] std::vector<std::string> lookup(party_key k, std::string_view currency = {}) const;

    /// Register the party for `fsp`.
    change add(party_key k, std::string_view currency, std::string_view fsp);

    /// Remove the party's record for `currency` (any currency when empty); only its owner
    /// `fsp` may remove it.
    change remove(party_key k, std::string_view currency, std::string_view fsp);

    [[nodiscard]] std::size_t size() const noexcept;

private:
    static std::string key_of(party_key k);

    std::unordered_map<std::string, std::vector<record>> records_; // by "TYPE/identifier"
};

/// An external oracle registered by the operator.
struct oracle_config
{
    std::uint32_t id = 0;
    std::string id_type;
    std::string url; ///< base URL; the ALS appends /participants/{Type}/{ID}
    std::string currency;
    bool is_default = false;
};

class oracle_registry
{
public:
    builtin_oracle builtin;

    /// POST /oracles. The type must be a PartyIdType and the URL an http:// URL (3101);
    /// one oracle per type and currency (3003).
    ledger::result<oracle_config const*> add(oracle_config c);
    /// DELETE /oracles/{ID}: false when unknown.
    bool remove(std::uint32_t id);
    [[nodiscard]] std::span<oracle_config const> configs() const noexcept { return configs_; }

    /// The external oracle for a type (its currency's, else its default, else any), or
    /// null: the built-in one serves.
    [[nodiscard]] oracle_config const* for_type(std::string_view type, std::string_view currency) const noexcept;

private:
    std::vector<oracle_config> configs_;
    std::uint32_t next_id_ = 1;
};

} // namespace mojasim::central
