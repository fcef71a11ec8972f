// Interledger as FSPIOP v1.x uses it (API Definition 4.4-4.5), built exactly like the
// de-facto reference, sdk-standard-components (IlpV1):
//
//   ilpPacket   = base64url( OER ILP v1 payment packet {amount in minor units,
//                 destination "g.{fspId}.{type}.{id}[.{subId}]" (lowercased),
//                 data = ASCII of base64url(JSON of the Transaction)} )
//   fulfilment  = base64url( HMAC-SHA256(key = ASCII of base64(secret),
//                                        message = ASCII of the ilpPacket string) )
//   condition   = base64url( SHA-256(32 raw fulfilment bytes) )
//
// The switch never decodes the packet; it only checks SHA-256(fulfilment) == condition
// (check_fulfilment). The payee derives the fulfilment again from its secret and the packet
// when the transfer arrives, so it needs to keep nothing per quote.
//
// base64url strings are written without padding; decoders tolerate padding.
#pragma once

#include "simulator/fspiop/decode_result.hpp"
#include "simulator/fspiop/types.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mojasim::fspiop {

// ---------------------------------------------------------------------------------------
// Encodings. Byte strings are carried in std::string / std::string_view.

/// base64url (RFC 4648 section 5), no padding.
std::string base64url_encode(std::string_view bytes);

/// Decode base64url; up to two trailing '=' are accepted. Empty on a character outside the
/// alphabet or an impossible length.
std::optional<std::string> base64url_decode(std::string_view text);

/// Standard base64 (RFC 4648 section 4) with padding.
std::string base64_encode(std::string_view bytes);

/// Raw SHA-256 digest (32 bytes).
std::string sha256(std::string_view bytes);

/// Raw HMAC-SHA256 (32 bytes).
std::string hmac_sha256(std::string_view key, std::string_view message);

// ---------------------------------------------------------------------------------------
// The ILP v1 payment packet (InterledgerProtocolPaymentMessage, OER):
//   0x01 | length | amount UInt64 BE | var-octets destination | var-octets data | 0x00

struct ilp_payment
{
    std::uint64_t amount = 0;    ///< minor units of the transfer currency
    std::string destination;     ///< ILP address, ASCII
    std::string data;            ///< opaque bytes (for FSPIOP: base64url text of the Transaction)

    friend bool operator==(ilp_payment const&, ilp_payment const&) = default;
};

/// The OER bytes of the packet (lengths in short or long form as needed).
std::string encode_ilp_payment(ilp_payment const& p);

/// Parse OER bytes. Empty when the type is not 0x01, a length runs past the end, bytes are
/// left over, or the extensions byte is missing.
std::optional<ilp_payment> decode_ilp_payment(std::string_view bytes);

// ---------------------------------------------------------------------------------------
// The FSPIOP layer (what a payee FSP does when it answers a quote)

/// The payee's ILP address: g.{fspId}.{partyIdType lowercased}.{partyIdentifier
/// lowercased}[.{partySubIdOrType lowercased}] (fspId as is, like the SDK).
std::string ilp_address(party const& payee);

/// The Transaction the SDK puts in the packet for a quote: quoteId, transactionId,
/// transactionType, payee and payer from the request; expiration and amount
/// (= transferAmount) from the response. (The SDK's `note` comes from a response field that
/// the API does not have, so it stays empty.)
transaction make_transaction(post_quotes const& request, put_quotes const& response);

/// The base64url ilpPacket for a Transaction. Fails (3100, field "amount.amount") when the
/// amount is not a valid FSPIOP amount, the currency unknown, or the amount has more
/// decimals than the currency's minor unit allows.
decode_result<std::string> make_ilp_packet(transaction const& t);

/// Decode an ilpPacket back to its Transaction: base64url -> OER -> data (base64url text)
/// -> JSON -> Transaction (validated like a body). 3101 with field "ilpPacket" when the
/// packet itself is not a valid ILP v1 payment; the Transaction's own errors otherwise.
decode_result<transaction> decode_ilp_transaction(std::string_view ilp_packet, int api_major = 1);

/// The fulfilment by the SDK recipe (43 chars).
std::string make_fulfilment(std::string_view secret, std::string_view ilp_packet);

/// The condition of a fulfilment: base64url(SHA-256(decoded fulfilment)). Empty when the
/// fulfilment does not decode to exactly 32 bytes.
std::optional<std::string> make_condition(std::string_view fulfilment);

/// The switch's check of a fulfil: the fulfilment decodes (base64url) to exactly 32 bytes
/// and base64url(SHA-256(bytes)) equals the condition string.
bool check_fulfilment(std::string_view fulfilment, std::string_view condition) noexcept;

/// Packet, fulfilment and condition for a quote response (the SDK's getResponseIlp).
struct ilp_response
{
    std::string ilp_packet;
    std::string fulfilment;
    std::string condition;
};

/// Build the packet of `t` and derive fulfilment and condition with `secret`.
decode_result<ilp_response> make_ilp_response(transaction const& t, std::string_view secret);

/// The SDK's optional check of an incoming transfer against its packet: payerFsp, payeeFsp,
/// currency and amount equal those of the Transaction (payer/payee fspId).
bool transfer_matches_transaction(post_transfers const& transfer, transaction const& t) noexcept;

// ---------------------------------------------------------------------------------------
// Duplicate detection

/// The hub's request hash: standard base64 of SHA-256(body) with the trailing '=' removed
/// (43 chars). The hub hashes JSON.stringify of the parsed payload, which is the body itself
/// when the body is compact JSON; pass the compact form when whitespace may differ.
std::string body_hash(std::string_view body);
/// The SHA-256 of a body as 32 bytes (all zero if the digest could not be computed).
std::array<unsigned char, 32> body_digest(std::string_view body);

} // namespace mojasim::fspiop
