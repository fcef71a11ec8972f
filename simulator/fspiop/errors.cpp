#include "simulator/fspiop/errors.hpp"

#include "simulator/core/json_writer.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace mojasim::fspiop {

namespace {

struct code_entry
{
    errc code;
    std::string_view description;
};

// The descriptions are those of sdk-standard-components' MojaloopApiErrorCodes, which
// central-services-error-handling (and so the whole reference hub) uses. Sorted by code.
constexpr code_entry table[] = {
    {errc::communication_error, "Communication error"},
    {errc::destination_communication_error, "Destination communication error"},
    {errc::generic_server_error, "Generic server error"},
    {errc::internal_server_error, "Internal server error"},
    {errc::not_implemented, "Not implemented"},
    {errc::service_currently_unavailable, "Service currently unavailable"},
    {errc::server_timed_out, "Server timed out"},
    {errc::server_busy, "Server busy"},
    {errc::temporary_party_resolution_failure, "Temporary party resolution failure"},
    {errc::generic_client_error, "Generic client error"},
    {errc::unacceptable_version, "Unacceptable version requested"},
    {errc::unknown_uri, "Unknown URI"},
    {errc::add_party_information_error, "Add Party information error"},
    {errc::delete_party_information_error, "Delete Party information error"},
    {errc::generic_validation_error, "Generic validation error"},
    {errc::malformed_syntax, "Malformed syntax"},
    {errc::missing_mandatory_element, "Missing mandatory element"},
    {errc::too_many_elements, "Too many elements"},
    {errc::too_large_payload, "Too large payload"},
    {errc::invalid_signature, "Invalid signature"},
    {errc::modified_request, "Modified request"},
    {errc::missing_mandatory_extension, "Missing mandatory extension parameter"},
    {errc::generic_id_not_found, "Generic ID not found"},
    {errc::destination_fsp_error, "Destination FSP Error"},
    {errc::payer_fsp_id_not_found, "Payer FSP ID not found"},
    {errc::payee_fsp_id_not_found, "Payee FSP ID not found"},
    {errc::party_not_found, "Party not found"},
    {errc::quote_id_not_found, "Quote ID not found"},
    {errc::transaction_request_id_not_found, "Transaction request ID not found"},
    {errc::transaction_id_not_found, "Transaction ID not found"},
    {errc::transfer_id_not_found, "Transfer ID not found"},
    {errc::bulk_quote_id_not_found, "Bulk quote ID not found"},
    {errc::bulk_transfer_id_not_found, "Bulk transfer ID not found"},
    {errc::generic_expired_error, "Generic expired error"},
    {errc::transaction_request_expired, "Transaction request expired"},
    {errc::quote_expired, "Quote expired"},
    {errc::transfer_expired, "Transfer expired"},
    {errc::generic_payer_error, "Generic Payer error"},
    {errc::payer_fsp_insufficient_liquidity, "Payer FSP insufficient liquidity"},
    {errc::generic_payer_rejection, "Generic Payer rejection"},
    {errc::payer_rejected_transaction_request, "Payer rejected transaction request"},
    {errc::payer_fsp_unsupported_transaction_type, "Payer FSP unsupported transaction type"},
    {errc::payer_unsupported_currency, "Payer unsupported currency"},
    {errc::payer_limit_error, "Payer limit error"},
    {errc::payer_permission_error, "Payer permission error"},
    {errc::generic_payer_blocked_error, "Generic Payer blocked error"},
    {errc::generic_payee_error, "Generic Payee error"},
    {errc::payee_fsp_insufficient_liquidity, "Payee FSP insufficient liquidity"},
    {errc::generic_payee_rejection, "Generic Payee rejection"},
    {errc::payee_rejected_quote, "Payee rejected quote"},
    {errc::payee_fsp_unsupported_transaction_type, "Payee FSP unsupported transaction type"},
    {errc::payee_fsp_rejected_quote, "Payee FSP rejected quote"},
    {errc::payee_rejected_transaction, "Payee rejected transaction"},
    {errc::payee_fsp_rejected_transaction, "Payee FSP rejected transaction"},
    {errc::payee_unsupported_currency, "Payee unsupported currency"},
    {errc::payee_identifier_not_valid, "Payee identifier no-longer valid"},
    {errc::payee_limit_error, "Payee limit error"},
    {errc::payee_permission_error, "Payee permission error"},
    {errc::generic_payee_blocked_error, "Generic Payee blocked error"},
    {errc::generic_settlement_error, "Generic settlement error"},
    {errc::generic_thirdparty_error, "Generic Thirdparty error"},
    {errc::generic_thirdparty_transaction_error, "Generic Thirdparty transaction error"},
    {errc::tp_transaction_request_not_valid, "Transaction request failed DFSP validation"},
    {errc::tp_transaction_update_failed, "Transaction request PUT update send to PISP failed"},
    {errc::tp_transaction_request_quote_failed, "Transaction request quote send to payee DFSP failed"},
    {errc::tp_transaction_request_authorization_failed, "Transaction request for user authorization send to PISP failed"},
    {errc::tp_transaction_authorization_not_valid, "Authorization received from PISP failed DFSP validation"},
    {errc::tp_transaction_authorization_rejected_by_user, "DFSP received reject by user authorization, so transaction cancelled"},
    {errc::tp_transaction_authorization_unexpected, "DFSP received unexpected authorization responseType"},
    {errc::tp_transaction_transfer_failed, "Transaction request transfer failed"},
    {errc::tp_transaction_notification_failed, "Transaction request notification failed"},
    {errc::generic_thirdparty_account_linking_error, "Generic Thirdparty account linking error"},
    {errc::tp_no_service_providers_found, "No thirdparty enabled FSP found"},
    {errc::tp_no_accounts_found, "No accounts found for generic ID"},
    {errc::tp_no_supported_auth_channels, "FSP does not support any requested authentication channels"},
    {errc::tp_no_supported_scope_actions, "FSP does not support any requested scope actions"},
    {errc::tp_otp_validation_error, "OTP failed validation"},
    {errc::tp_fsp_otp_validation_error, "FSP failed to validate OTP"},
    {errc::tp_fsp_consent_scopes_error, "FSP failed retrieve scopes for consent request"},
    {errc::tp_consent_request_validation_error, "FSP failed to validate consent request"},
    {errc::tp_fsp_consent_request_no_scopes, "FSP does not find scopes suitable"},
    {errc::tp_no_trusted_callback_uri, "FSP does not trust PISP callback URI"},
    {errc::tp_consent_request_user_not_allowed, "FSP does not allow consent requests for specified username"},
    {errc::tp_signed_challenge_mismatch, "Signed challenge does not match derived challenge"},
    {errc::tp_consent_invalid, "Consent is invalid"},
    {errc::tp_failed_register_account_links, "Failed to register account links with oracle"},
    {errc::generic_thirdparty_auth_service_error, "Generic Thirdparty auth service error"},
};

constexpr auto make_all()
{
    std::array<errc, std::size(table)> all{};
    for(std::size_t i = 0; i < std::size(table); ++i)
        all[i] = table[i].code;
    return all;
}

constexpr auto all = make_all();

static_assert(std::is_sorted(std::begin(table), std::end(table),
                             [](code_entry const& a, code_entry const& b) { return a.code < b.code; }));

code_entry const* find(int c) noexcept
{
    auto const it = std::lower_bound(std::begin(table), std::end(table), c,
                                     [](code_entry const& e, int v) { return code(e.code) < v; });
    if(it == std::end(table) || code(it->code) != c)
        return nullptr;
    return it;
}

std::string write_body(std::size_t estimate, std::string_view code, std::string_view desc_a, std::string_view desc_b,
                       std::span<extension const> extensions)
{
    // ErrorDescription is 1..128 characters; cut the joined text, not each part.
    std::string description;
    std::string_view desc = desc_a;
    if(!desc_b.empty())
    {
        description.reserve(desc_a.size() + 3 + desc_b.size());
        description.append(desc_a).append(" - ").append(desc_b);
        desc = description;
    }
    core::json_writer w(estimate);
    w.begin_object();
    w.begin_object("errorInformation");
    w.member("errorCode", code);
    w.member("errorDescription", cut_chars(desc, 128));
    if(!extensions.empty())
    {
        w.begin_object("extensionList");
        w.begin_array("extension");
        for(auto const& e : extensions)
        {
            w.begin_object();
            w.member("key", cut_chars(e.key, 32));
            w.member("value", cut_chars(e.value, 128));
            w.end_object();
        }
        w.end_array();
        w.end_object();
    }
    w.end_object();
    w.end_object();
    return std::move(w).finish();
}

// boost::system::error_category has a protected non-virtual destructor by design (categories
// are never deleted through a base pointer); silence the project-wide warning for it only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class category_impl final : public boost::system::error_category
{
public:
    // A fixed id so that categories compare equal across shared objects.
    category_impl() noexcept : boost::system::error_category(0x6d6f6a6166737069ULL) {}

    char const* name() const noexcept override { return "fspiop"; }

    std::string message(int ev) const override
    {
        auto const* e = find(ev);
        return e ? std::string(e->description) : "Unknown FSPIOP error " + std::to_string(ev);
    }
};
#pragma GCC diagnostic pop

} // namespace

std::string_view cut_chars(std::string_view s, std::size_t max) noexcept
{
    std::size_t chars = 0;
    for(std::size_t i = 0; i < s.size(); ++i)
    {
        bool const lead = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
        if(lead && chars++ == max)
            return s.substr(0, i);
    }
    return s;
}

std::span<errc const> all_errcs() noexcept
{
    return all;
}

std::string code_string(errc e)
{
    return std::to_string(code(e));
}

std::string_view description(errc e) noexcept
{
    auto const* entry = find(code(e));
    return entry ? entry->description : std::string_view{};
}

std::optional<errc> errc_from_code(int c) noexcept
{
    auto const* entry = find(c);
    if(!entry)
        return std::nullopt;
    return entry->code;
}

namespace {

// The wire form's number: exactly four digits, first not zero.
std::optional<int> code_number(std::string_view s) noexcept
{
    if(s.size() != 4 || s[0] < '1' || s[0] > '9')
        return std::nullopt;
    int v = 0;
    for(char c : s)
    {
        if(c < '0' || c > '9')
            return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

} // namespace

std::optional<errc> errc_from_code(std::string_view s) noexcept
{
    auto const v = code_number(s);
    return v ? errc_from_code(*v) : std::nullopt;
}

bool is_spec_error_code(std::string_view s) noexcept
{
    auto const v = code_number(s);
    // A known code is its own generic parent.
    return v && generic_parent(*v).has_value();
}

std::optional<errc> generic_parent(int c) noexcept
{
    if(c < 1000 || c > 9999)
        return std::nullopt;
    if(auto const known = errc_from_code(c))
        return known;
    if(auto const sub = errc_from_code(c / 100 * 100))
        return sub;
    return errc_from_code(c / 1000 * 1000);
}

unsigned http_status(errc e) noexcept
{
    switch(e)
    {
    case errc::unacceptable_version: return 406;
    case errc::unknown_uri: return 404;
    case errc::not_implemented: return 501;
    case errc::service_currently_unavailable:
    case errc::temporary_party_resolution_failure: return 503;
    default: return 400;
    }
}

error_information error_information::from(errc e, std::string_view detail)
{
    error_information info;
    info.error_code = code_string(e);
    info.error_description = description(e);
    if(!detail.empty())
        info.error_description.append(" - ").append(detail);
    info.error_description = std::string(cut_chars(info.error_description, 128));
    return info;
}

std::string error_body(errc e, std::string_view detail, std::span<extension const> extensions)
{
    char code_text[8];
    auto const code_len = static_cast<std::size_t>(std::snprintf(code_text, sizeof code_text, "%d", code(e)));
    return write_body(96 + description(e).size() + detail.size() + extensions.size() * 32,
                      std::string_view(code_text, code_len),
                      description(e), detail, extensions);
}

std::string error_body(error_information const& info)
{
    return write_body(96 + info.error_description.size() + info.extension_list.size() * 32, info.error_code,
                      info.error_description, {}, info.extension_list);
}

boost::system::error_category const& fspiop_category() noexcept
{
    static category_impl const instance;
    return instance;
}

boost::system::error_code make_error_code(errc e) noexcept
{
    return {code(e), fspiop_category()};
}

} // namespace mojasim::fspiop
