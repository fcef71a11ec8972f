// The FSPIOP data-type rules (API Definition v1.1 section 7.2, and the patterns and lengths of
// the v1.1/v2.0 OpenAPI files the reference hub validates with), one function each. decode()
// applies them to every field; other code can use them on path parameters, headers, config.
//
// Lengths count characters (Unicode code points), as the hub's JSON-schema validator does.
// All functions are noexcept and allocation-free.
#pragma once

#include <cstddef>
#include <string_view>

namespace mojasim::fspiop {

/// Number of characters (code points) of a UTF-8 string.
std::size_t char_count(std::string_view s) noexcept;

/// min <= char_count(s) <= max.
bool has_length(std::string_view s, std::size_t min, std::size_t max) noexcept;

/// Amount: ^([0]|([1-9][0-9]{0,17}))([.][0-9]{0,3}[1-9])?$ ("5", "0.5", "123.4567"; not
/// "5.0", "-5", ".5", "00.5").
bool is_amount(std::string_view s) noexcept;

/// Currency: an ISO 4217 code of the API's enumeration (core::is_currency).
bool is_currency(std::string_view s) noexcept;

/// DateTime: the OpenAPI pattern: calendar-checked yyyy-MM-ddTHH:mm:ss.SSS (exactly three
/// fraction digits, year 1000..9999) then Z or +hh:mm/-hh:mm with hh 00..19.
bool is_datetime(std::string_view s) noexcept;

/// Date / DateOfBirth: calendar-checked yyyy-MM-dd, year 1000..9999.
bool is_date(std::string_view s) noexcept;

/// CorrelationId as the real hub reads it under every API version (one OpenAPI for all):
/// lowercase UUID of version 1-7, or a ULID ^[0-9A-HJKMNP-TV-Z]{26}$. With `strict_spec`,
/// the specification's rule of `api_major`: v1.x lowercase UUID of version 1-5 only; v2.0
/// and later as the hub.
bool is_correlation_id(std::string_view s, int api_major = 1, bool strict_spec = false) noexcept;

/// The OpenAPI pattern is_correlation_id applies (for error descriptions).
std::string_view correlation_id_pattern(int api_major = 1, bool strict_spec = false) noexcept;

/// FspId: 1..32 characters.
bool is_fsp_id(std::string_view s) noexcept;

/// PartyIdentifier: 1..128 characters.
bool is_party_identifier(std::string_view s) noexcept;

/// PartySubIdOrType: 1..128 characters.
bool is_party_sub_id_or_type(std::string_view s) noexcept;

/// PartyIdType enumeration (MSISDN, EMAIL, PERSONAL_ID, BUSINESS, DEVICE, ACCOUNT_ID, IBAN, ALIAS).
bool is_party_id_type(std::string_view s) noexcept;

/// PersonalIdentifierType enumeration (PASSPORT, NATIONAL_REGISTRATION, ...).
bool is_personal_identifier_type(std::string_view s) noexcept;

/// PartyName (Party.name): 1..128 characters, no pattern in the v1.1 OpenAPI.
bool is_party_name(std::string_view s) noexcept;

/// FirstName / MiddleName / LastName:
///   ^(?!\s*$)[\p{L}\p{gc=Mark}\p{digit}\p{gc=Connector_Punctuation}\p{Join_Control} .,''-]{1,128}$
/// ASCII is checked exactly (letters, digits, '_', space, '.', ',', '\'', '-'; not blank).
/// Without Unicode tables, non-ASCII characters are accepted unless they are controls,
/// Latin-1 punctuation/symbols, general punctuation (except join controls and connector
/// punctuation), spaces, private-use, specials or emoji: an approximation of the class.
bool is_name(std::string_view s) noexcept;

/// MerchantClassificationCode: ^[\d]{1,4}$.
bool is_merchant_classification_code(std::string_view s) noexcept;

/// ErrorCode: ^[1-9]\d{3}$.
bool is_error_code(std::string_view s) noexcept;

/// ErrorDescription: 1..128 characters.
bool is_error_description(std::string_view s) noexcept;

/// ExtensionKey: 1..32 characters.
bool is_extension_key(std::string_view s) noexcept;

/// ExtensionValue: 1..128 characters.
bool is_extension_value(std::string_view s) noexcept;

/// IlpPacket: BinaryString ^[A-Za-z0-9-_]+[=]{0,2}$, 1..32768 characters.
bool is_ilp_packet(std::string_view s) noexcept;

/// IlpCondition: BinaryString32 ^[A-Za-z0-9-_]{43}$ (32 bytes, base64url, no padding).
bool is_ilp_condition(std::string_view s) noexcept;

/// IlpFulfilment: same rule as IlpCondition.
bool is_ilp_fulfilment(std::string_view s) noexcept;

/// Note: 1..128 characters.
bool is_note(std::string_view s) noexcept;

/// AuthenticationValue as a string: ^\d{3,10}$ (OtpValue) or ^\S{1,64}$ (QRCODE, U2FPIN).
bool is_authentication_value(std::string_view s) noexcept;

/// RefundReason: 1..128 characters.
bool is_refund_reason(std::string_view s) noexcept;

/// AmountType enumeration (SEND, RECEIVE).
bool is_amount_type(std::string_view s) noexcept;

/// TransactionScenario enumeration (DEPOSIT, WITHDRAWAL, TRANSFER, PAYMENT, REFUND).
bool is_transaction_scenario(std::string_view s) noexcept;

/// TransactionSubScenario (UndefinedEnum): ^[A-Z_]{1,32}$.
bool is_transaction_sub_scenario(std::string_view s) noexcept;

/// TransactionInitiator enumeration (PAYER, PAYEE).
bool is_transaction_initiator(std::string_view s) noexcept;

/// TransactionInitiatorType enumeration (CONSUMER, AGENT, BUSINESS, DEVICE).
bool is_transaction_initiator_type(std::string_view s) noexcept;

/// TransferState enumeration (RECEIVED, RESERVED, COMMITTED, ABORTED).
bool is_transfer_state(std::string_view s) noexcept;

/// BulkTransferState enumeration (RECEIVED, PENDING, ACCEPTED, PROCESSING, COMPLETED, REJECTED).
bool is_bulk_transfer_state(std::string_view s) noexcept;

/// BalanceOfPayments (BopCode): ^[1-9]\d{2}$.
bool is_balance_of_payments(std::string_view s) noexcept;

/// Latitude: ^(\+|-)?(?:90(?:(?:\.0{1,6})?)|(?:[0-9]|[1-8][0-9])(?:(?:\.[0-9]{1,6})?))$
bool is_latitude(std::string_view s) noexcept;

/// Longitude: ^(\+|-)?(?:180(?:(?:\.0{1,6})?)|(?:[0-9]|[1-9][0-9]|1[0-7][0-9])(?:(?:\.[0-9]{1,6})?))$
bool is_longitude(std::string_view s) noexcept;

/// Integer: ^[1-9]\d*$.
bool is_integer(std::string_view s) noexcept;

/// OtpValue: ^\d{3,10}$.
bool is_otp_value(std::string_view s) noexcept;

/// TokenCode / Code: ^[0-9a-zA-Z]{4,32}$.
bool is_token_code(std::string_view s) noexcept;

/// MSISDN as E.164 with an optional leading '+': ^\+?[1-9]\d{1,14}$. The API itself has no
/// normative pattern (PartyIdentifier is any 1..128 string), so decode() does NOT apply
/// this; it is our choice for simulators and scenario checks.
bool is_msisdn(std::string_view s) noexcept;

} // namespace mojasim::fspiop
