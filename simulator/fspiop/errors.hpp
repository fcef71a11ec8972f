// FSPIOP error codes (API Definition v1.1 section 7.6, plus the codes the reference hub adds),
// their standard descriptions, the synchronous HTTP status of each, and the error body
// {"errorInformation":{...}} that every error response and error callback carries.
//
// Business outcomes in mojasim are these codes, returned in results, never thrown. The enum
// is also a boost::system error code enum, so `boost::system::result<T>` can carry it:
//
//     boost::system::result<int> r = fspiop::errc::transfer_expired;
//     if(!r) log(r.error().message());   // "Transfer expired"
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <boost/system/error_code.hpp>

namespace mojasim::fspiop {

/// Every FSPIOP error code; the value is the code itself.
enum class errc : int
{
    // 10xx communication errors
    communication_error = 1000,
    destination_communication_error = 1001,     ///< peer did not answer / non-2xx on forward

    // 20xx server errors
    generic_server_error = 2000,
    internal_server_error = 2001,
    not_implemented = 2002,                     ///< sync 501
    service_currently_unavailable = 2003,       ///< sync 503
    server_timed_out = 2004,
    server_busy = 2005,
    temporary_party_resolution_failure = 2006,  ///< [impl] ALS inter-scheme, sync 503

    // 30xx generic client errors
    generic_client_error = 3000,
    unacceptable_version = 3001,                ///< sync 406
    unknown_uri = 3002,                         ///< sync 404
    add_party_information_error = 3003,
    delete_party_information_error = 3040,      ///< [impl] ALS

    // 31xx client validation errors
    generic_validation_error = 3100,
    malformed_syntax = 3101,
    missing_mandatory_element = 3102,
    too_many_elements = 3103,
    too_large_payload = 3104,
    invalid_signature = 3105,
    modified_request = 3106,
    missing_mandatory_extension = 3107,

    // 32xx identifier errors
    generic_id_not_found = 3200,
    destination_fsp_error = 3201,
    payer_fsp_id_not_found = 3202,
    payee_fsp_id_not_found = 3203,
    party_not_found = 3204,
    quote_id_not_found = 3205,
    transaction_request_id_not_found = 3206,
    transaction_id_not_found = 3207,
    transfer_id_not_found = 3208,
    bulk_quote_id_not_found = 3209,
    bulk_transfer_id_not_found = 3210,

    // 33xx expired errors
    generic_expired_error = 3300,
    transaction_request_expired = 3301,
    quote_expired = 3302,
    transfer_expired = 3303,

    // 4xxx payer errors
    generic_payer_error = 4000,
    payer_fsp_insufficient_liquidity = 4001,
    generic_payer_rejection = 4100,
    payer_rejected_transaction_request = 4101,
    payer_fsp_unsupported_transaction_type = 4102,
    payer_unsupported_currency = 4103,
    payer_limit_error = 4200,
    payer_permission_error = 4300,
    generic_payer_blocked_error = 4400,

    // 5xxx payee errors
    generic_payee_error = 5000,
    payee_fsp_insufficient_liquidity = 5001,
    generic_payee_rejection = 5100,
    payee_rejected_quote = 5101,
    payee_fsp_unsupported_transaction_type = 5102,
    payee_fsp_rejected_quote = 5103,
    payee_rejected_transaction = 5104,
    payee_fsp_rejected_transaction = 5105,
    payee_unsupported_currency = 5106,
    payee_identifier_not_valid = 5107,          ///< [impl]
    payee_limit_error = 5200,
    payee_permission_error = 5300,
    generic_payee_blocked_error = 5400,

    // 6xxx settlement errors [impl]
    generic_settlement_error = 6000,

    // 7xxx third-party (PISP) errors, as listed by sdk-standard-components
    generic_thirdparty_error = 7000,
    generic_thirdparty_transaction_error = 7100,
    tp_transaction_request_not_valid = 7101,
    tp_transaction_update_failed = 7102,
    tp_transaction_request_quote_failed = 7103,
    tp_transaction_request_authorization_failed = 7104,
    tp_transaction_authorization_not_valid = 7105,
    tp_transaction_authorization_rejected_by_user = 7106,
    tp_transaction_authorization_unexpected = 7107,
    tp_transaction_transfer_failed = 7108,
    tp_transaction_notification_failed = 7109,
    generic_thirdparty_account_linking_error = 7200,
    tp_no_service_providers_found = 7201,
    tp_no_accounts_found = 7202,
    tp_no_supported_auth_channels = 7203,
    tp_no_supported_scope_actions = 7204,
    tp_otp_validation_error = 7205,
    tp_fsp_otp_validation_error = 7206,
    tp_fsp_consent_scopes_error = 7207,
    tp_consent_request_validation_error = 7208,
    tp_fsp_consent_request_no_scopes = 7209,
    tp_no_trusted_callback_uri = 7210,
    tp_consent_request_user_not_allowed = 7211,
    tp_signed_challenge_mismatch = 7212,
    tp_consent_invalid = 7213,
    tp_failed_register_account_links = 7214,
    generic_thirdparty_auth_service_error = 7300,
};

/// All codes of the enum, ascending (for tests and tables).
std::span<errc const> all_errcs() noexcept;

/// The numeric code (3303).
constexpr int code(errc e) noexcept { return static_cast<int>(e); }

/// The code as the 4-character wire string ("3303").
std::string code_string(errc e);

/// The standard description as the reference hub writes it ("Transfer expired",
/// "Payer FSP insufficient liquidity", "Generic validation error"). Empty for a value
/// that is not one of the enumerators.
std::string_view description(errc e) noexcept;

/// The enumerator for a known code; empty for unknown codes (including valid-looking
/// scheme-specific codes such as 3241; see generic_parent).
std::optional<errc> errc_from_code(int code) noexcept;

/// Same from the wire form: exactly four digits, first not zero ("3303"); empty otherwise.
std::optional<errc> errc_from_code(std::string_view code) noexcept;

/// The generic code an unknown (scheme-specific) code falls back to, per the spec's
/// numbering: the known xy00 of its sub-category, else x000 of its category. E.g. 3241 ->
/// 3200, 4150 -> 4100, 5999 -> 5000. Known codes map to themselves. Empty when the
/// category itself is unknown (0xxx, 8xxx, 9xxx) or the code is not 4 digits.
std::optional<errc> generic_parent(int code) noexcept;

/// True for an errorCode of the FSPIOP numbering in its wire form: a known code, or a
/// scheme-specific one in a category the spec defines (see generic_parent). ml-api-adapter
/// refuses other codes; central-ledger replaces them.
bool is_spec_error_code(std::string_view code) noexcept;

/// HTTP status for an error returned synchronously (before a 202): 3001 -> 406, 3002 -> 404,
/// 2002 -> 501, 2003 and 2006 -> 503, everything else 400.
unsigned http_status(errc e) noexcept;

/// The first digit of a code.
enum class error_category : int
{
    communication = 1,
    server = 2,
    client = 3,
    payer = 4,
    payee = 5,
    settlement = 6,
    third_party = 7,
};

/// The category of a code (its first digit).
constexpr error_category category(errc e) noexcept { return static_cast<error_category>(code(e) / 1000); }

/// One key/value of an ExtensionList (key 1..32 chars, value 1..128 chars).
struct extension
{
    std::string key;
    std::string value;

    friend bool operator==(extension const&, extension const&) = default;
};

/// The ErrorInformation object. error_code is kept as the wire string because error
/// callbacks from FSPs may carry scheme-specific codes that are not in errc.
struct error_information
{
    std::string error_code;
    std::string error_description;
    std::vector<extension> extension_list; ///< empty = absent

    /// The standard information for a code: description alone or "<description> - <detail>".
    static error_information from(errc e, std::string_view detail = {});

    /// The code when it is a known one.
    [[nodiscard]] std::optional<errc> code() const noexcept { return errc_from_code(error_code); }

    friend bool operator==(error_information const&, error_information const&) = default;
};

/// The complete error body, compact, exactly as the reference hub writes it:
///   {"errorInformation":{"errorCode":"3100","errorDescription":"Generic validation error - <detail>"}}
/// The description is the standard one alone when detail is empty. With extensions,
/// "extensionList":{"extension":[{"key":..,"value":..}]} follows the description.
/// ErrorDescription is limited to 128 characters by the API, so a longer description is
/// cut at 128 characters (never inside a UTF-8 sequence); extension keys and values are cut
/// to 32 and 128 characters as the hub does.
/// The longest prefix of `s` with at most `max` characters (code points), never cutting a
/// UTF-8 sequence (FSPIOP's lengths count characters: ErrorDescription 128, ExtensionKey 32).
std::string_view cut_chars(std::string_view s, std::size_t max) noexcept;

std::string error_body(errc e, std::string_view detail = {}, std::span<extension const> extensions = {});

/// {"errorInformation":{...}} for an arbitrary ErrorInformation (e.g. forwarding an FSP's
/// error). Fields are written as given, except that the limits above are applied.
std::string error_body(error_information const& info);

/// The boost::system category of FSPIOP codes; message(int) is the description.
boost::system::error_category const& fspiop_category() noexcept;

/// Makes errc usable as a boost::system::error_code.
boost::system::error_code make_error_code(errc e) noexcept;

} // namespace mojasim::fspiop

template<>
struct boost::system::is_error_code_enum<mojasim::fspiop::errc> : std::true_type
{
};
