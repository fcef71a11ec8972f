// FSPIOP-Signature: JSON Web Signatures over FSPIOP messages (the Mojaloop "Signature"
// specification v1.1, and the FSPIOP-Signature header of the API definition in spec/). Pure code, no I/O:
// OpenSSL does the cryptography, Boost.JSON reads the header, core::json_writer writes it.
//
// The header's value is the JSON text {"signature":"<b64url>","protectedHeader":"<b64url>"};
// the protected header is a JSON object holding alg, FSPIOP-URI, FSPIOP-HTTP-Method,
// FSPIOP-Source and, when the sender knows it, FSPIOP-Destination. The signing input is
// BASE64URL(protected header) "." BASE64URL(body): the body's bytes as sent.
//
//     auto key = fspiop::jws::generate_rsa();                       // or load_pem(text)
//     req.fields.set("FSPIOP-Signature", fspiop::jws::sign(key, {"/transfers", "POST", "dfsp1", "dfsp2"}, body));
//     auto ok = fspiop::jws::verify(public_key, header, {"/transfers", "POST", "dfsp1", "dfsp2"}, body);
//     if(!ok) ... 3105, ok.error() says why
//
// Lives in simulator/fspiop (not core) because it is a wire rule of FSPIOP, next to the
// header checks; it has no FSPIOP types in its interface, so anything may use it.
#pragma once

#include <boost/system/result.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace mojasim::fspiop::jws {

/// The smallest RSA key the specification allows (bits).
inline constexpr int min_rsa_bits = 2048;

/// An RSA key (private, or public only): shared ownership of an OpenSSL EVP_PKEY. Copies
/// are cheap and share the key; an empty key is false. Signing and verifying with one key
/// from several threads is safe (each call makes its own context).
class key
{
public:
    key() = default;

    [[nodiscard]] explicit operator bool() const noexcept { return pkey_ != nullptr; }
    /// True when the key can sign.
    [[nodiscard]] bool is_private() const noexcept { return private_; }
    /// Size of the modulus in bits (0 for an empty key).
    [[nodiscard]] int bits() const noexcept;

    /// PEM text: "-----BEGIN PUBLIC KEY-----" (SubjectPublicKeyInfo) for public_pem(),
    /// "-----BEGIN PRIVATE KEY-----" (PKCS#8, unencrypted) for private_pem() (empty for a
    /// public key).
    [[nodiscard]] std::string public_pem() const;
    [[nodiscard]] std::string private_pem() const;

    /// The public half (the key itself when it is public already).
    [[nodiscard]] key public_key() const;

    /// The OpenSSL key (an EVP_PKEY*), for the implementation.
    [[nodiscard]] void* native() const noexcept { return pkey_.get(); }

    /// Take ownership of an EVP_PKEY*.
    static key adopt(void* evp_pkey, bool is_private);

private:
    std::shared_ptr<void> pkey_;
    bool private_ = false;
};

/// A fresh RSA key of `bits` bits (RSA-2048 takes tens of milliseconds: generate once).
key generate_rsa(int bits = min_rsa_bits);

/// Read a PEM key: a private key (PKCS#8 "PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY") or a
/// public one ("PUBLIC KEY", SubjectPublicKeyInfo, as `openssl rsa -pubout` writes). Refused: not PEM, not RSA, fewer than
/// 2,048 bits. The error says which.
boost::system::result<key, std::string> load_pem(std::string_view pem);

/// Read a PEM file with load_pem; the error names the file.
boost::system::result<key, std::string> load_pem_file(std::string const& path);

/// BASE64URL without padding (RFC 7515 §2).
std::string base64url_encode(std::string_view bytes);
/// The bytes of unpadded BASE64URL text; empty when the text is not BASE64URL (padding,
/// '+', '/', whitespace or a length of 4n+1 are refused).
std::optional<std::string> base64url_decode(std::string_view text);

/// The request values the protected header holds. `destination` empty: not known (then it
/// is left out of the protected header, as the specification says).
struct message_fields
{
    std::string_view uri;          ///< FSPIOP-URI: path and query from the resource on ("/transfers/1")
    std::string_view method;       ///< FSPIOP-HTTP-Method: "POST", "PUT", "PATCH", ...
    std::string_view source;       ///< FSPIOP-Source
    std::string_view destination;  ///< FSPIOP-Destination, may be empty
};

/// FSPIOP-URI of a request URL or target: the path and query from the first FSPIOP resource
/// segment on ("http://h:1/base/transfers/1?x" -> "/transfers/1?x"); the path itself (or "/")
/// when no segment names a resource.
std::string uri_of(std::string_view url_or_target);

/// The protected header's JSON for `f` signed with RS256 (alg first, then FSPIOP-URI,
/// FSPIOP-HTTP-Method, FSPIOP-Source, FSPIOP-Destination when not empty).
std::string protected_header_json(message_fields const& f);

/// The FSPIOP-Signature value for a message with these fields and body, signed RS256 with
/// `private_key`. Throws std::invalid_argument for a key that cannot sign.
std::string sign(key const& private_key, message_fields const& f, std::string_view body);

/// The same with a protected header given as JSON text (tests, forged signatures).
std::string sign_protected(key const& private_key, std::string_view protected_json, std::string_view body);

/// A forged FSPIOP-Signature value for a message with these fields: the real protected header
/// and a signature no key made, so that it never verifies (a DFSP's forged_signature fault
/// when it has no signing key of its own).
std::string unverifiable(message_fields const& f);

/// Verify an FSPIOP-Signature value against the message it came with (Signature v1.1 §3.3):
/// the value is the JSON object above; the protected header is BASE64URL of a JSON object
/// whose alg is RS256, RS384 or RS512; its FSPIOP-URI, FSPIOP-HTTP-Method and FSPIOP-Source
/// are present and equal `actual`'s; an FSPIOP-Destination in it equals `actual.destination`;
/// a Date in it equals `date` (when given); and the signature over
/// BASE64URL(protected header) "." BASE64URL(body) verifies with `public_key` (RSA, at least
/// 2,048 bits). On failure the error says what did not hold (for the 3105's errorDescription
/// and logs).
boost::system::result<void, std::string> verify(key const& public_key, std::string_view signature_header,
                                                message_fields const& actual, std::string_view body,
                                                std::optional<std::string_view> date = std::nullopt);

/// What an actor does with FSPIOP-Signature: off by default, as the real hub's JWS_VALIDATE
/// and JWS_SIGN. The switch's and the DFSPs' configuration hold one each.
struct settings
{
    /// Verify POST, PUT and PATCH messages from senders whose public key is held: missing,
    /// malformed, spoofed or not verifying is 400 with 3105.
    bool validate = false;
    /// Sign the FSPIOP messages with a body this actor writes itself.
    bool sign = false;
    /// The private key; generated at start when `sign` is on and none is given.
    key signing_key;
    /// Public keys by FSPIOP-Source (the switch: FSPs, also from the Admin API's PUT
    /// /participants/{name}/jwsKey; a DFSP: the hub's and its peers').
    std::map<std::string, key, std::less<>> public_keys;
};

/// An incoming message as the signature check sees it (views into the request).
struct incoming
{
    std::string_view method;                     ///< "POST", "PUT", ...
    std::string_view target;                     ///< the request target (path and query)
    std::string_view source;                     ///< FSPIOP-Source
    std::string_view destination;                ///< FSPIOP-Destination, may be empty
    std::optional<std::string_view> signature;   ///< FSPIOP-Signature
    std::optional<std::string_view> date;        ///< Date
    std::string_view body;
};

/// The check the switch and the DFSPs make with `s.validate` on: only messages with a body
/// (not GET or DELETE: the SDK neither signs nor validates them) from a sender whose public
/// key is held; the protected header must name this very message (its own path from the
/// resource on, its method, source and destination). The reason it fails (for the 3105), or
/// nothing when it passes or is not checked.
std::optional<std::string> check_incoming(settings const& s, incoming const& m);

} // namespace mojasim::fspiop::jws
