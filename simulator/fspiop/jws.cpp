#include "simulator/fspiop/jws.hpp"

#include "simulator/core/json_writer.hpp"
#include "simulator/fspiop/headers.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <array>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mojasim::fspiop::jws {

namespace {

struct bio_free
{
    void operator()(BIO* b) const noexcept { BIO_free(b); }
};
using bio_ptr = std::unique_ptr<BIO, bio_free>;

struct md_ctx_free
{
    void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, md_ctx_free>;

EVP_PKEY* pkey_of(key const& k) noexcept
{
    return static_cast<EVP_PKEY*>(k.native());
}

std::string bio_text(BIO* b)
{
    char* data = nullptr;
    auto const n = BIO_get_mem_data(b, &data);
    return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string{};
}

constexpr std::string_view b64url_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int b64url_value(char c) noexcept
{
    if(c >= 'A' && c <= 'Z')
        return c - 'A';
    if(c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if(c >= '0' && c <= '9')
        return c - '0' + 52;
    if(c == '-')
        return 62;
    if(c == '_')
        return 63;
    return -1;
}

EVP_MD const* digest_of(std::string_view alg) noexcept
{
    if(alg == "RS256")
        return EVP_sha256();
    if(alg == "RS384")
        return EVP_sha384();
    if(alg == "RS512")
        return EVP_sha512();
    return nullptr;
}

std::string signing_input(std::string_view protected_b64, std::string_view body)
{
    std::string input;
    input.reserve(protected_b64.size() + 1 + (body.size() + 2) / 3 * 4);
    input.append(protected_b64).push_back('.');
    input += base64url_encode(body);
    return input;
}

/// The string member `name` of `o`, or nothing when absent or not a string.
std::optional<std::string_view> string_member(boost::json::object const& o, std::string_view name)
{
    auto const* v = o.if_contains(name);
    if(!v || !v->is_string())
        return std::nullopt;
    auto const& s = v->get_string();
    return std::string_view(s.data(), s.size());
}

using check = boost::system::result<void, std::string>;

check fail(std::string why)
{
    return check(boost::system::in_place_error, std::move(why));
}

/// A protected header member that must be present and equal the message's value.
check require_equal(boost::json::object const& h, std::string_view name, std::string_view actual)
{
    auto const v = string_member(h, name);
    if(!v)
        return fail("the protected header has no " + std::string(name));
    if(*v != actual)
        return fail("the protected header's " + std::string(name) + " \"" + std::string(*v) +
                    "\" is not the request's \"" + std::string(actual) + "\"");
    return {};
}

/// The FSPIOP-Signature value: the signature's bytes and the protected header (BASE64URL).
std::string signature_value(std::string_view signature, std::string_view header_b64)
{
    core::json_writer w(64 + header_b64.size() + signature.size() * 4 / 3);
    w.begin_object();
    w.field("signature", base64url_encode(signature));
    w.field("protectedHeader", header_b64);
    w.end_object();
    return std::move(w).finish();
}

} // namespace

// ---------------------------------------------------------------------------------------
// keys

int key::bits() const noexcept
{
    return pkey_ ? EVP_PKEY_get_bits(pkey_of(*this)) : 0;
}

key key::adopt(void* evp_pkey, bool is_private)
{
    key k;
    if(evp_pkey)
    {
        k.pkey_ = std::shared_ptr<void>(evp_pkey, [](void* p) { EVP_PKEY_free(static_cast<EVP_PKEY*>(p)); });
        k.private_ = is_private;
    }
    return k;
}

std::string key::public_pem() const
{
    if(!pkey_)
        return {};
    bio_ptr b(BIO_new(BIO_s_mem()));
    if(!b || PEM_write_bio_PUBKEY(b.get(), pkey_of(*this)) != 1)
        return {};
    return bio_text(b.get());
}

std::string key::private_pem() const
{
    if(!pkey_ || !private_)
        return {};
    bio_ptr b(BIO_new(BIO_s_mem()));
    if(!b || PEM_write_bio_PrivateKey(b.get(), pkey_of(*this), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    return bio_text(b.get());
}

key key::public_key() const
{
    if(!private_)
        return *this;
    auto loaded = load_pem(public_pem());
    return loaded ? *loaded : key{};
}

key generate_rsa(int bits)
{
    auto* p = EVP_RSA_gen(static_cast<unsigned>(bits));
    if(!p)
        throw std::runtime_error("RSA key generation failed");
    return key::adopt(p, true);
}

boost::system::result<key, std::string> load_pem(std::string_view pem)
{
    using result = boost::system::result<key, std::string>;
    bio_ptr b(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if(!b)
        return result(boost::system::in_place_error, "out of memory");
    key k;
    if(pem.find("PRIVATE KEY-----") != std::string_view::npos)
        k = key::adopt(PEM_read_bio_PrivateKey(b.get(), nullptr, nullptr, nullptr), true);
    else
        k = key::adopt(PEM_read_bio_PUBKEY(b.get(), nullptr, nullptr, nullptr), false);
    if(!k)
        return result(boost::system::in_place_error, "not a PEM public or private key");
    if(EVP_PKEY_get_base_id(pkey_of(k)) != EVP_PKEY_RSA)
        return result(boost::system::in_place_error, "not an RSA key (RS256 needs one)");
    if(k.bits() < min_rsa_bits)
        return result(boost::system::in_place_error,
                      "an RSA key of " + std::to_string(k.bits()) + " bits (at least 2048 are required)");
    return k;
}

boost::system::result<key, std::string> load_pem_file(std::string const& path)
{
    using result = boost::system::result<key, std::string>;
    std::ifstream in(path);
    if(!in)
        return result(boost::system::in_place_error, path + ": cannot read the file");
    std::ostringstream text;
    text << in.rdbuf();
    auto k = load_pem(text.str());
    if(!k)
        return result(boost::system::in_place_error, path + ": " + k.error());
    return k;
}

// ---------------------------------------------------------------------------------------
// base64url

std::string base64url_encode(std::string_view bytes)
{
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    auto const at = [&](std::size_t j) { return static_cast<unsigned>(static_cast<unsigned char>(bytes[j])); };
    for(; i + 3 <= bytes.size(); i += 3)
    {
        unsigned const v = at(i) << 16 | at(i + 1) << 8 | at(i + 2);
        out.push_back(b64url_alphabet[(v >> 18) & 63]);
        out.push_back(b64url_alphabet[(v >> 12) & 63]);
        out.push_back(b64url_alphabet[(v >> 6) & 63]);
        out.push_back(b64url_alphabet[v & 63]);
    }
    if(bytes.size() - i == 1)
    {
        unsigned const v = at(i) << 16;
        out.push_back(b64url_alphabet[(v >> 18) & 63]);
        out.push_back(b64url_alphabet[(v >> 12) & 63]);
    }
    else if(bytes.size() - i == 2)
    {
        unsigned const v = at(i) << 16 | at(i + 1) << 8;
        out.push_back(b64url_alphabet[(v >> 18) & 63]);
        out.push_back(b64url_alphabet[(v >> 12) & 63]);
        out.push_back(b64url_alphabet[(v >> 6) & 63]);
    }
    return out;
}

std::optional<std::string> base64url_decode(std::string_view text)
{
    if(text.size() % 4 == 1)
        return std::nullopt;
    std::string out;
    out.reserve(text.size() / 4 * 3 + 2);
    unsigned acc = 0;
    int bits = 0;
    for(char const c : text)
    {
        int const v = b64url_value(c);
        if(v < 0)
            return std::nullopt;
        acc = (acc << 6) | static_cast<unsigned>(v);
        bits += 6;
        if(bits >= 8)
        {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    // The unused low bits of the last character must be zero (canonical encoding).
    if(bits > 0 && (acc & ((1U << bits) - 1)) != 0)
        return std::nullopt;
    return out;
}

// ---------------------------------------------------------------------------------------
// signing

std::string uri_of(std::string_view url)
{
    // Drop scheme and authority.
    if(auto const scheme = url.find("://"); scheme != std::string_view::npos)
    {
        auto const path = url.find('/', scheme + 3);
        url = path == std::string_view::npos ? std::string_view("/") : url.substr(path);
    }
    auto const query = url.find('?');
    auto const path = url.substr(0, query);
    std::size_t pos = 0;
    while(pos < path.size())
    {
        auto const slash = path.find('/', pos);
        if(slash == std::string_view::npos)
            break;
        auto const next = path.find('/', slash + 1);
        auto const segment = path.substr(slash + 1, next == std::string_view::npos ? std::string_view::npos : next - slash - 1);
        if(is_resource(segment))
            return std::string(url.substr(slash));
        pos = slash + 1;
    }
    return url.empty() ? std::string("/") : std::string(url);
}

std::string protected_header_json(message_fields const& f)
{
    core::json_writer w(96 + f.uri.size() + f.source.size() + f.destination.size());
    w.begin_object();
    w.field("alg", "RS256");
    w.field("FSPIOP-URI", f.uri);
    w.field("FSPIOP-HTTP-Method", f.method);
    w.field("FSPIOP-Source", f.source);
    if(!f.destination.empty())
        w.field("FSPIOP-Destination", f.destination);
    w.end_object();
    return std::move(w).finish();
}

std::string sign_protected(key const& private_key, std::string_view protected_json, std::string_view body)
{
    if(!private_key || !private_key.is_private())
        throw std::invalid_argument("JWS signing needs a private key");
    auto const header_b64 = base64url_encode(protected_json);
    auto const input = signing_input(header_b64, body);

    md_ctx_ptr ctx(EVP_MD_CTX_new());
    std::size_t length = 0;
    if(!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey_of(private_key)) != 1 ||
       EVP_DigestSign(ctx.get(), nullptr, &length, reinterpret_cast<unsigned char const*>(input.data()),
                      input.size()) != 1)
        throw std::runtime_error("RS256 signing failed");
    std::string signature(length, '\0');
    if(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                      reinterpret_cast<unsigned char const*>(input.data()), input.size()) != 1)
        throw std::runtime_error("RS256 signing failed");
    signature.resize(length);
    return signature_value(signature, header_b64);
}

std::string unverifiable(message_fields const& f)
{
    // As long as an RSA-2048 signature, and made by no key: no key has to be generated (a
    // key generation can take a second, far too long on an event loop).
    return signature_value(std::string(256, '\0'), base64url_encode(protected_header_json(f)));
}

std::string sign(key const& private_key, message_fields const& f, std::string_view body)
{
    return sign_protected(private_key, protected_header_json(f), body);
}

// ---------------------------------------------------------------------------------------
// verifying

boost::system::result<void, std::string> verify(key const& public_key, std::string_view signature_header,
                                                message_fields const& actual, std::string_view body,
                                                std::optional<std::string_view> date)
{
    if(!public_key)
        return fail("no public key");
    if(EVP_PKEY_get_base_id(pkey_of(public_key)) != EVP_PKEY_RSA || public_key.bits() < min_rsa_bits)
        return fail("the public key is not RSA of at least 2048 bits");

    // 1. The header's value: {"signature": ..., "protectedHeader": ...}.
    boost::system::error_code ec;
    auto const outer = boost::json::parse(signature_header, ec);
    if(ec || !outer.is_object())
        return fail("FSPIOP-Signature is not a JSON object");
    auto const signature_b64 = string_member(outer.get_object(), "signature");
    auto const header_b64 = string_member(outer.get_object(), "protectedHeader");
    if(!signature_b64 || !header_b64)
        return fail("FSPIOP-Signature needs the strings signature and protectedHeader");

    // 2. The protected header: BASE64URL of a JSON object.
    auto const header_text = base64url_decode(*header_b64);
    if(!header_text)
        return fail("protectedHeader is not BASE64URL");
    auto const header = boost::json::parse(*header_text, ec);
    if(ec || !header.is_object())
        return fail("the protected header is not a JSON object");
    auto const& h = header.get_object();

    // 3. Its parameters against the request.
    auto const alg = string_member(h, "alg");
    if(!alg)
        return fail("the protected header has no alg");
    auto const* md = digest_of(*alg);
    if(!md)
        return fail("alg " + std::string(*alg) + " is not RS256, RS384 or RS512");
    if(auto c = require_equal(h, "FSPIOP-URI", actual.uri); !c)
        return c;
    if(auto c = require_equal(h, "FSPIOP-HTTP-Method", actual.method); !c)
        return c;
    if(auto c = require_equal(h, "FSPIOP-Source", actual.source); !c)
        return c;
    if(h.contains("FSPIOP-Destination"))
        if(auto c = require_equal(h, "FSPIOP-Destination", actual.destination); !c)
            return c;
    if(h.contains("Date"))
    {
        if(!date)
            return fail("the protected header has a Date but the request has none");
        if(auto c = require_equal(h, "Date", *date); !c)
            return c;
    }

    // 4, 5. The signature over BASE64URL(header) "." BASE64URL(body).
    auto const signature = base64url_decode(*signature_b64);
    if(!signature || signature->empty())
        return fail("signature is not BASE64URL");
    auto const input = signing_input(*header_b64, body);
    md_ctx_ptr ctx(EVP_MD_CTX_new());
    if(!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, pkey_of(public_key)) != 1)
        return fail("cannot set up the verification");
    int const ok = EVP_DigestVerify(ctx.get(), reinterpret_cast<unsigned char const*>(signature->data()),
                                    signature->size(), reinterpret_cast<unsigned char const*>(input.data()),
                                    input.size());
    if(ok != 1)
        return fail("the signature does not verify with " + std::string(actual.source) + "'s key");
    return {};
}

std::optional<std::string> check_incoming(settings const& s, incoming const& m)
{
    if(!s.validate || m.method == "GET" || m.method == "DELETE")
        return std::nullopt;
    auto const key = s.public_keys.find(m.source);
    if(key == s.public_keys.end())
        return std::nullopt;
    if(!m.signature)
        return "FSPIOP-Signature is required from " + std::string(m.source);
    auto const uri = uri_of(m.target);
    auto const ok = verify(key->second, *m.signature, {uri, m.method, m.source, m.destination}, m.body, m.date);
    if(!ok)
        return ok.error();
    return std::nullopt;
}

} // namespace mojasim::fspiop::jws
