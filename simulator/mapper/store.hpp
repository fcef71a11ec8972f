// The account mapper's store: identities -> financial addresses (payment modality, financial
// address, banking institution = the payee DFSP). Pure data and rules, no I/O; both wire faces
// (phee.hpp: PH-EE's identity-account-mapper, g2p.hpp: G2P Connect as SPAR serves it) read and
// change the same entries.
//
// PH-EE keys an entry by (payeeIdentity, X-Registering-Institution-ID); G2P Connect links an
// `id` (`token:123@nationalId`) with no institution. Entries linked through G2P Connect live
// under the empty institution. A G2P Connect id also finds a PH-EE entry whose payeeIdentity
// is the id's value (`token:<value>@...`), so a beneficiary seeded once is found on both faces.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mojasim::mapper {

/// PH-EE's paymentModality codes (PaymentModalityEnum).
namespace modality {
inline constexpr std::string_view account_id = "00";
inline constexpr std::string_view msisdn = "01";
inline constexpr std::string_view virtual_address = "02";
inline constexpr std::string_view wallet_id = "03";
inline constexpr std::string_view voucher = "04";
} // namespace modality

/// Whether `code` is one of 00-04.
bool valid_modality(std::string_view code) noexcept;
/// The code of an enum name (ACCOUNT_ID -> 00, MSISDN -> 01, ...) or of a code; nullopt otherwise.
std::optional<std::string> modality_code(std::string_view name_or_code);
/// Whether the modality needs a banking institution code (00, 01, 03).
bool needs_bank(std::string_view code) noexcept;

struct entry
{
    std::string institution;       ///< X-Registering-Institution-ID; empty for G2P Connect links
    std::string identity;          ///< payeeIdentity, or the G2P Connect id as sent
    std::string modality;          ///< "00".."04" as registered (may be empty)
    std::string financial_address; ///< account number, MSISDN, ...
    std::string bank;              ///< bankingInstitutionCode: the payee DFSP
    // G2P Connect's extra fields.
    std::string fa;                ///< the FA as linked ("mobile:0495822412@dfsp2"); empty: composed
    std::string name;
    std::string phone_number;
    std::vector<std::pair<std::string, std::string>> additional_info;
    bool has_modality = false;     ///< a modality row was given (PH-EE's add refuses a second)
};

/// A G2P Connect FA or id split: `type:value@provider`.
struct fa_parts
{
    std::string type;
    std::string value;
    std::string provider;
};
/// Split `type:value@provider` at the first ':' and the last '@'; nullopt when either is missing.
std::optional<fa_parts> split_fa(std::string_view fa);
/// The G2P Connect FA of an entry: as linked, else composed from the modality
/// (00 account, 01 mobile, 02 vpa, 03 wallet, 04 voucher): "mobile:0495822412@dfsp2".
std::string fa_of(entry const& e);
/// Fill modality, financial address and bank from a G2P Connect FA: the type names the
/// modality (account 00, mobile 01, wallet 03, voucher 04, else 02), the value is the
/// address, and the bank is the provider, or in SPAR's dotted forms its bank label
/// (`indigo.dfsp2.bank_acc` -> dfsp2, `dfsp2.wallet` -> dfsp2).
void set_from_fa(entry& e, std::string_view fa);

class store
{
public:
    [[nodiscard]] entry const* find(std::string_view institution, std::string_view identity) const;
    [[nodiscard]] entry* find(std::string_view institution, std::string_view identity);
    /// The first entry of `identity` under any institution (institutions in order).
    [[nodiscard]] entry const* find_any(std::string_view identity) const;
    /// Add an entry; false (and nothing changes) when its key exists.
    bool insert(entry e);
    /// Remove an entry; false when absent.
    bool erase(std::string_view institution, std::string_view identity);
    /// Add or replace.
    void put(entry e);

    /// A G2P Connect id: a link of that exact id, else an entry whose identity is the id's
    /// value (`token:<value>@...`) under any institution.
    [[nodiscard]] entry const* resolve_id(std::string_view id) const;
    /// A G2P Connect FA: the first entry whose FA equals `fa`, or contains it when `fa` ends
    /// with '@' and has a ':' (SPAR's LIKE match, as its ALS oracle uses).
    [[nodiscard]] entry const* resolve_fa(std::string_view fa) const;

    /// Every entry, by (institution, identity).
    [[nodiscard]] std::vector<entry const*> all(std::optional<std::string_view> institution = std::nullopt) const;
    [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

private:
    using key = std::pair<std::string, std::string>;
    std::map<key, entry, std::less<>> entries_;
};

} // namespace mojasim::mapper
