// FSPIOP v1.1 data model: enumerations, complex types and the bodies of the services the
// emulator speaks (parties, participants, quotes, transfers, bulk quotes, bulk transfers,
// transaction requests, authorizations, errors) plus the ILP Transaction object.
//
// Conventions
// - Members are snake_case; the wire names (camelCase) appear only in codec.cpp.
// - Every value is validated by decode() (codec.hpp), so a decoded struct holds wire-valid
//   data. Amounts stay strings in the canonical FSPIOP form ("100.5"); convert with
//   core::decimal::parse_fspiop. DateTimes stay strings as sent (offset kept); convert
//   with core::parse_datetime.
// - An optional string that is empty is absent (encode() omits it); an optional object is
//   std::optional; an empty extension_list is absent.
#pragma once

#include "simulator/fspiop/errors.hpp"

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mojasim::fspiop {

// ---------------------------------------------------------------------------------------
// Enumerations. to_string(e) gives the wire name, from_string<E>(s) parses it (exact,
// case-sensitive).

enum class party_id_type : std::uint8_t
{
    msisdn, email, personal_id, business, device, account_id, iban, alias,
};

/// Sub-types of PERSONAL_ID, carried in partySubIdOrType.
enum class personal_identifier_type : std::uint8_t
{
    passport, national_registration, driving_license, alien_registration, national_id_card,
    employer_id, tax_id_number, senior_citizens_card, marriage_certificate, health_card,
    voters_id, united_nations, other_id,
};

enum class amount_type : std::uint8_t
{
    send, receive,
};

enum class transaction_scenario : std::uint8_t
{
    deposit, withdrawal, transfer, payment, refund,
};

enum class transaction_initiator : std::uint8_t
{
    payer, payee,
};

enum class transaction_initiator_type : std::uint8_t
{
    consumer, agent, business, device,
};

/// The four spec states reported to FSPs (the ledger's internal states map onto these).
enum class transfer_state : std::uint8_t
{
    received, reserved, committed, aborted,
};

enum class bulk_transfer_state : std::uint8_t
{
    received, pending, accepted, processing, completed, rejected,
};

enum class authentication_type : std::uint8_t
{
    otp, qrcode, u2f,
};

enum class transaction_request_state : std::uint8_t
{
    received, pending, accepted, rejected,
};

enum class authorization_response : std::uint8_t
{
    entered, rejected, resend,
};

/// Wire names of each enumeration, indexed by value.
template<class E>
struct enum_names;

template<>
struct enum_names<party_id_type>
{
    static constexpr std::array<std::string_view, 8> names = {
        "MSISDN", "EMAIL", "PERSONAL_ID", "BUSINESS", "DEVICE", "ACCOUNT_ID", "IBAN", "ALIAS"};
};

template<>
struct enum_names<personal_identifier_type>
{
    static constexpr std::array<std::string_view, 13> names = {
        "PASSPORT", "NATIONAL_REGISTRATION", "DRIVING_LICENSE", "ALIEN_REGISTRATION", "NATIONAL_ID_CARD",
        "EMPLOYER_ID", "TAX_ID_NUMBER", "SENIOR_CITIZENS_CARD", "MARRIAGE_CERTIFICATE", "HEALTH_CARD",
        "VOTERS_ID", "UNITED_NATIONS", "OTHER_ID"};
};

template<>
struct enum_names<amount_type>
{
    static constexpr std::array<std::string_view, 2> names = {"SEND", "RECEIVE"};
};

template<>
struct enum_names<transaction_scenario>
{
    static constexpr std::array<std::string_view, 5> names = {"DEPOSIT", "WITHDRAWAL", "TRANSFER", "PAYMENT", "REFUND"};
};

template<>
struct enum_names<transaction_initiator>
{
    static constexpr std::array<std::string_view, 2> names = {"PAYER", "PAYEE"};
};

template<>
struct enum_names<transaction_initiator_type>
{
    static constexpr std::array<std::string_view, 4> names = {"CONSUMER", "AGENT", "BUSINESS", "DEVICE"};
};

template<>
struct enum_names<transfer_state>
{
    static constexpr std::array<std::string_view, 4> names = {"RECEIVED", "RESERVED", "COMMITTED", "ABORTED"};
};

template<>
struct enum_names<bulk_transfer_state>
{
    static constexpr std::array<std::string_view, 6> names = {
        "RECEIVED", "PENDING", "ACCEPTED", "PROCESSING", "COMPLETED", "REJECTED"};
};

template<>
struct enum_names<authentication_type>
{
    static constexpr std::array<std::string_view, 3> names = {"OTP", "QRCODE", "U2F"};
};

template<>
struct enum_names<transaction_request_state>
{
    static constexpr std::array<std::string_view, 4> names = {"RECEIVED", "PENDING", "ACCEPTED", "REJECTED"};
};

template<>
struct enum_names<authorization_response>
{
    static constexpr std::array<std::string_view, 3> names = {"ENTERED", "REJECTED", "RESEND"};
};

/// An enumeration of this library (one with enum_names).
template<class E>
concept fspiop_enum = std::is_enum_v<E> && requires { enum_names<E>::names; };

/// The wire name ("MSISDN").
template<fspiop_enum E>
constexpr std::string_view to_string(E e) noexcept
{
    return enum_names<E>::names[static_cast<std::size_t>(e)];
}

/// The value for a wire name; empty when the name is not one of the allowed values.
template<fspiop_enum E>
constexpr std::optional<E> from_string(std::string_view s) noexcept
{
    auto const& names = enum_names<E>::names;
    for(std::size_t i = 0; i < names.size(); ++i)
        if(names[i] == s)
            return static_cast<E>(i);
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------
// Complex types

/// Money: both fields required. amount is an FSPIOP Amount string ("100.5").
struct money
{
    std::string currency;
    std::string amount;

    friend bool operator==(money const&, money const&) = default;
};

struct party_id_info
{
    fspiop::party_id_type party_id_type = fspiop::party_id_type::msisdn;
    std::string party_identifier;        ///< required, 1..128
    std::string party_sub_id_or_type;    ///< optional, 1..128
    std::string fsp_id;                  ///< optional, 1..32
    std::vector<extension> extension_list;

    friend bool operator==(party_id_info const&, party_id_info const&) = default;
};

struct party_complex_name
{
    std::string first_name;
    std::string middle_name;
    std::string last_name;

    friend bool operator==(party_complex_name const&, party_complex_name const&) = default;
};

struct party_personal_info
{
    std::optional<party_complex_name> complex_name;
    std::string date_of_birth;           ///< optional Date "yyyy-MM-dd"

    friend bool operator==(party_personal_info const&, party_personal_info const&) = default;
};

struct party
{
    fspiop::party_id_info party_id_info;
    std::string merchant_classification_code;  ///< optional, ^\d{1,4}$
    std::string name;                          ///< optional PartyName, 1..128
    std::optional<party_personal_info> personal_info;

    friend bool operator==(party const&, party const&) = default;
};

/// Signed decimal strings ("+45.4215").
struct geo_code
{
    std::string latitude;
    std::string longitude;

    friend bool operator==(geo_code const&, geo_code const&) = default;
};

struct refund
{
    std::string original_transaction_id;  ///< required CorrelationId
    std::string refund_reason;            ///< optional, 1..128

    friend bool operator==(refund const&, refund const&) = default;
};

struct transaction_type
{
    transaction_scenario scenario = transaction_scenario::transfer;
    std::string sub_scenario;             ///< optional, ^[A-Z_]{1,32}$
    transaction_initiator initiator = transaction_initiator::payer;
    transaction_initiator_type initiator_type = transaction_initiator_type::consumer;
    std::optional<refund> refund_info;
    std::string balance_of_payments;      ///< optional BopCode ^[1-9]\d{2}$

    friend bool operator==(transaction_type const&, transaction_type const&) = default;
};

// ---------------------------------------------------------------------------------------
// Bodies. Names are <method>_<resource>[_<what>], after the API's services.

/// PUT /parties/{Type}/{ID}[/{SubId}]
struct put_parties
{
    fspiop::party party;

    friend bool operator==(put_parties const&, put_parties const&) = default;
};

/// POST /participants/{Type}/{ID}[/{SubId}] (register one identifier)
struct post_participants_type_id
{
    std::string fsp_id;                   ///< required
    std::string currency;                 ///< optional
    std::vector<extension> extension_list;

    friend bool operator==(post_participants_type_id const&, post_participants_type_id const&) = default;
};

/// PUT /participants/{Type}/{ID}[/{SubId}] (fspId empty after a DELETE)
struct put_participants_type_id
{
    std::string fsp_id;                   ///< optional

    friend bool operator==(put_participants_type_id const&, put_participants_type_id const&) = default;
};

/// POST /participants (batch registration, 1..10000 identifiers)
struct post_participants
{
    std::string request_id;
    std::vector<party_id_info> party_list;
    std::string currency;                 ///< optional

    friend bool operator==(post_participants const&, post_participants const&) = default;
};

struct party_result
{
    party_id_info party_id;
    std::optional<fspiop::error_information> error_information;

    friend bool operator==(party_result const&, party_result const&) = default;
};

/// PUT /participants/{requestId}
struct put_participants
{
    std::vector<party_result> party_list; ///< 1..10000
    std::string currency;                 ///< optional

    friend bool operator==(put_participants const&, put_participants const&) = default;
};

/// POST /quotes
struct post_quotes
{
    std::string quote_id;
    std::string transaction_id;
    std::string transaction_request_id;   ///< optional
    party payee;
    party payer;
    fspiop::amount_type amount_type = fspiop::amount_type::send;
    money amount;
    std::optional<money> fees;
    fspiop::transaction_type transaction_type;
    std::optional<fspiop::geo_code> geo_code;
    std::string note;                     ///< optional, 1..128
    std::string expiration;               ///< optional DateTime
    std::vector<extension> extension_list;

    friend bool operator==(post_quotes const&, post_quotes const&) = default;
};

/// PUT /quotes/{ID}
struct put_quotes
{
    money transfer_amount;
    std::optional<money> payee_receive_amount;
    std::optional<money> payee_fsp_fee;
    std::optional<money> payee_fsp_commission;
    std::string expiration;               ///< required DateTime
    std::optional<fspiop::geo_code> geo_code;
    std::string ilp_packet;               ///< required, base64url
    std::string condition;                ///< required, 43 base64url chars
    std::vector<extension> extension_list;

    friend bool operator==(put_quotes const&, put_quotes const&) = default;
};

/// POST /transfers (prepare)
struct post_transfers
{
    std::string transfer_id;
    std::string payee_fsp;
    std::string payer_fsp;
    money amount;
    std::string ilp_packet;
    std::string condition;
    std::string expiration;               ///< required DateTime
    std::vector<extension> extension_list;

    friend bool operator==(post_transfers const&, post_transfers const&) = default;
};

/// PUT /transfers/{ID} (fulfil, or the switch's state callback). The spec wants a
/// fulfilment with COMMITTED/RESERVED; that is a business rule checked by the switch, not
/// by decode().
struct put_transfers
{
    std::string fulfilment;               ///< optional, 43 base64url chars
    std::string completed_timestamp;      ///< optional DateTime
    fspiop::transfer_state transfer_state = fspiop::transfer_state::committed;
    std::vector<extension> extension_list;

    friend bool operator==(put_transfers const&, put_transfers const&) = default;
};

/// PATCH /transfers/{ID} (commit notification to the payee)
struct patch_transfers
{
    std::string completed_timestamp;      ///< required DateTime
    fspiop::transfer_state transfer_state = fspiop::transfer_state::committed;
    std::vector<extension> extension_list;

    friend bool operator==(patch_transfers const&, patch_transfers const&) = default;
};

struct individual_quote
{
    std::string quote_id;
    std::string transaction_id;
    party payee;
    fspiop::amount_type amount_type = fspiop::amount_type::send;
    money amount;
    std::optional<money> fees;
    fspiop::transaction_type transaction_type;
    std::string note;
    std::vector<extension> extension_list;

    friend bool operator==(individual_quote const&, individual_quote const&) = default;
};

/// POST /bulkQuotes
struct post_bulk_quotes
{
    std::string bulk_quote_id;
    party payer;
    std::optional<fspiop::geo_code> geo_code;
    std::string expiration;               ///< optional DateTime
    std::vector<individual_quote> individual_quotes; ///< 1..1000
    std::vector<extension> extension_list;

    friend bool operator==(post_bulk_quotes const&, post_bulk_quotes const&) = default;
};

/// One result of a bulk quote: either the quote fields or error_information.
struct individual_quote_result
{
    std::string quote_id;
    std::optional<party> payee;
    std::optional<money> transfer_amount;
    std::optional<money> payee_receive_amount;
    std::optional<money> payee_fsp_fee;
    std::optional<money> payee_fsp_commission;
    std::string ilp_packet;
    std::string condition;
    std::optional<fspiop::error_information> error_information;
    std::vector<extension> extension_list;

    friend bool operator==(individual_quote_result const&, individual_quote_result const&) = default;
};

/// PUT /bulkQuotes/{ID}
struct put_bulk_quotes
{
    std::vector<individual_quote_result> individual_quote_results; ///< 0..1000
    std::string expiration;               ///< required DateTime
    std::vector<extension> extension_list;

    friend bool operator==(put_bulk_quotes const&, put_bulk_quotes const&) = default;
};

struct individual_transfer
{
    std::string transfer_id;
    money transfer_amount;
    std::string ilp_packet;
    std::string condition;
    std::vector<extension> extension_list;

    friend bool operator==(individual_transfer const&, individual_transfer const&) = default;
};

/// POST /bulkTransfers
struct post_bulk_transfers
{
    std::string bulk_transfer_id;
    std::string bulk_quote_id;
    std::string payer_fsp;
    std::string payee_fsp;
    std::vector<individual_transfer> individual_transfers; ///< 1..1000
    std::string expiration;               ///< required DateTime
    std::vector<extension> extension_list;

    friend bool operator==(post_bulk_transfers const&, post_bulk_transfers const&) = default;
};

/// One result of a bulk transfer: fulfilment or error_information.
struct individual_transfer_result
{
    std::string transfer_id;
    std::string fulfilment;
    std::optional<fspiop::error_information> error_information;
    std::vector<extension> extension_list;

    friend bool operator==(individual_transfer_result const&, individual_transfer_result const&) = default;
};

/// PUT /bulkTransfers/{ID}
struct put_bulk_transfers
{
    std::string completed_timestamp;      ///< optional DateTime
    std::vector<individual_transfer_result> individual_transfer_results; ///< 0..1000
    fspiop::bulk_transfer_state bulk_transfer_state = fspiop::bulk_transfer_state::received;
    std::vector<extension> extension_list;

    friend bool operator==(put_bulk_transfers const&, put_bulk_transfers const&) = default;
};

/// POST /transactionRequests (a payee's request to pay, sent to the payer's FSP)
struct post_transaction_requests
{
    std::string transaction_request_id;
    party payee;
    party_id_info payer;
    money amount;
    fspiop::transaction_type transaction_type;
    std::string note;                     ///< optional, 1..128
    std::optional<fspiop::geo_code> geo_code;
    std::optional<fspiop::authentication_type> authentication_type;
    std::string expiration;               ///< optional DateTime
    std::vector<extension> extension_list;

    friend bool operator==(post_transaction_requests const&, post_transaction_requests const&) = default;
};

/// PUT /transactionRequests/{ID} (the payer FSP's answer)
struct put_transaction_requests
{
    std::string transaction_id;           ///< optional CorrelationId
    fspiop::transaction_request_state transaction_request_state = fspiop::transaction_request_state::received;
    std::vector<extension> extension_list;

    friend bool operator==(put_transaction_requests const&, put_transaction_requests const&) = default;
};

/// AuthenticationInfo. The value is an OtpValue or a QRCODE (a string); the third-party
/// U2F object is not modelled.
struct authentication_info
{
    fspiop::authentication_type authentication = fspiop::authentication_type::otp;
    std::string authentication_value;     ///< required, ^\d{3,10}$ or ^\S{1,64}$

    friend bool operator==(authentication_info const&, authentication_info const&) = default;
};

/// PUT /authorizations/{ID} (the payee FSP's answer to GET /authorizations/{ID})
struct put_authorizations
{
    std::optional<fspiop::authentication_info> authentication_info;
    fspiop::authorization_response response_type = fspiop::authorization_response::entered;

    friend bool operator==(put_authorizations const&, put_authorizations const&) = default;
};

/// PUT .../error bodies (and synchronous error responses): {"errorInformation":{...}}
struct error_information_object
{
    fspiop::error_information error_information;

    friend bool operator==(error_information_object const&, error_information_object const&) = default;
};

/// The Transaction object carried (as base64url JSON) in the data of the ILP packet.
/// `expiration` is not in the spec's schema but sdk-standard-components puts the quote's
/// expiration there, so it is kept to interoperate with real SDKs.
struct transaction
{
    std::string transaction_id;
    std::string quote_id;
    party payee;
    party payer;
    money amount;
    fspiop::transaction_type transaction_type;
    std::string note;                     ///< optional
    std::string expiration;               ///< optional (SDK extension) DateTime
    std::vector<extension> extension_list;

    friend bool operator==(transaction const&, transaction const&) = default;
};

} // namespace mojasim::fspiop
