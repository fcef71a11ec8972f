// PH-EE's identity-account-mapper API (openMF/ph-ee-identity-account-mapper), the pure part:
// decoding RequestDTO, applying register / update / add-modality / update-modality to the
// store, and every body the service answers or calls back with, byte for byte as
// shared/notes/account-mapper.md §2 gives them (note `requestId` in the single lookup's
// answer against `requestID` everywhere else).
#pragma once

#include "simulator/mapper/store.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mojasim::mapper::phee {

inline constexpr std::string_view ack_ok_description = "Request successfully received by Pay-BB";
inline constexpr std::string_view ack_failed_description = "Request not acknowledged by Pay-BB";

/// The failure reasons of callbacks' failedCases.
namespace reason {
inline constexpr std::string_view already_registered = "Beneficiary already registered";
inline constexpr std::string_view payee_identity_invalid = "Payee Identity Invalid";
inline constexpr std::string_view bank_invalid = "Banking Institution Code Invalid";
inline constexpr std::string_view address_invalid = "Financial Address Invalid";
inline constexpr std::string_view not_registered = "Beneficiary is not registered";
inline constexpr std::string_view modality_invalid = "Payment Modality Invalid";
inline constexpr std::string_view institution_mismatch = "Registering Institution Id Mismatch";
inline constexpr std::string_view other_modality = "Beneficiary already registered with other Modality";
} // namespace reason

struct beneficiary_dto
{
    std::optional<std::string> payee_identity;
    std::optional<std::string> payment_modality;
    std::optional<std::string> financial_address;
    std::optional<std::string> banking_institution_code;
};

struct request_dto
{
    std::optional<std::string> request_id; ///< "requestID"
    std::optional<std::string> source_bb_id;
    std::vector<beneficiary_dto> beneficiaries;
};

/// RequestDTO from JSON; nullopt when the body is not an object of that shape (Spring's 400).
/// Unknown members are ignored, as Jackson is configured to.
std::optional<request_dto> decode_request(std::string_view body);
std::string encode_request(request_dto const& r);

/// The requestID rule of register and update: present and at most 12 characters.
bool valid_request_id(std::optional<std::string> const& id) noexcept;

struct failed_case
{
    std::optional<std::string> payee_identity;
    std::optional<std::string> payment_modality;
    std::string failure_reason;
};

enum class operation { register_beneficiary, update_beneficiary, add_modality, update_modality };

/// Apply a request to the store under `institution`; the entries that failed, in order.
/// Each failed entry is skipped; the others are saved.
std::vector<failed_case> apply(store& s, std::string_view institution, request_dto const& r, operation op);

/// ResponseDTO: {"responseCode":"00"|"01","responseDescription":…,"requestID":…}.
std::string ack_body(bool ok, std::optional<std::string> const& request_id);
/// CallbackRequestDTO.
std::string callback_body(std::string_view new_request_id, std::optional<std::string> const& register_request_id,
                          std::vector<failed_case> const& failed);
/// BatchAccountLookupResponseDTO: only the payees found, in request order.
std::string batch_lookup_body(std::optional<std::string> const& request_id, std::string_view institution,
                              store const& s, request_dto const& r);
/// AccountLookupResponseDTO (single lookup), with `requestId`.
std::string single_lookup_body(std::string_view request_id, entry const& e, bool validated);
/// FetchBeneficiariesResponseDTO; null fields when `e` is null.
std::string fetch_body(std::string_view institution, std::string_view payee_identity, entry const* e);
/// PhErrorDTO of the header interceptor ("The headers are invalid") or of the schema check.
std::string header_error_body();
std::string schema_error_body();

/// A parsed BatchAccountLookupResponseDTO (the hub reads it).
struct batch_lookup_answer
{
    std::optional<std::string> request_id;
    std::optional<std::string> registering_institution_id;
    std::vector<beneficiary_dto> beneficiaries;
};
std::optional<batch_lookup_answer> decode_batch_lookup(std::string_view body);

} // namespace mojasim::mapper::phee
