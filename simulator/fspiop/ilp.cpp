#include "simulator/fspiop/ilp.hpp"

#include "simulator/core/decimal.hpp"
#include "simulator/fspiop/codec.hpp"
#include "simulator/fspiop/validate.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstring>
#include <initializer_list>
#include <memory>

namespace mojasim::fspiop {

namespace {

constexpr char b64url_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// 6-bit value of a base64url character, -1 if none.
constexpr std::array<signed char, 256> make_b64url_table()
{
    std::array<signed char, 256> t{};
    for(auto& v : t)
        v = -1;
    for(int i = 0; i < 64; ++i)
        t[static_cast<unsigned char>(b64url_alphabet[i])] = static_cast<signed char>(i);
    return t;
}

constexpr auto b64url_table = make_b64url_table();

std::string encode_base64(std::string_view bytes, char const* alphabet, bool pad)
{
    auto const groups = bytes.size() / 3;
    auto const rest = bytes.size() % 3;
    auto const tail = rest == 0 ? 0 : pad ? 4 : rest + 1;
    std::string out(groups * 4 + tail, '\0');
    auto const* in = reinterpret_cast<unsigned char const*>(bytes.data());
    char* o = out.data();
    for(std::size_t g = 0; g < groups; ++g, in += 3, o += 4)
    {
        unsigned const n = (unsigned{in[0]} << 16) | (unsigned{in[1]} << 8) | unsigned{in[2]};
        o[0] = alphabet[(n >> 18) & 63];
        o[1] = alphabet[(n >> 12) & 63];
        o[2] = alphabet[(n >> 6) & 63];
        o[3] = alphabet[n & 63];
    }
    if(rest != 0)
    {
        unsigned const n = (unsigned{in[0]} << 16) | (rest == 2 ? unsigned{in[1]} << 8 : 0U);
        o[0] = alphabet[(n >> 18) & 63];
        o[1] = alphabet[(n >> 12) & 63];
        if(rest == 2)
            o[2] = alphabet[(n >> 6) & 63];
        if(pad)
        {
            if(rest == 1)
                o[2] = '=';
            o[3] = '=';
        }
    }
    return out;
}

// OER length determinant: short form below 128, else 0x80|n followed by n big-endian bytes.
void put_length(std::string& out, std::size_t n)
{
    if(n < 128)
    {
        out += static_cast<char>(n);
        return;
    }
    char buf[8];
    int k = 0;
    while(n > 0)
    {
        buf[k++] = static_cast<char>(n & 0xFF);
        n >>= 8;
    }
    out += static_cast<char>(0x80 | k);
    while(k > 0)
        out += buf[--k];
}

void put_var_octets(std::string& out, std::string_view bytes)
{
    put_length(out, bytes.size());
    out.append(bytes);
}

// Reads OER fields from a byte string; every read checks the bounds.
class oer_reader
{
public:
    explicit oer_reader(std::string_view bytes) noexcept : s_(bytes) {}

    bool byte(unsigned& out) noexcept
    {
        if(s_.empty())
            return false;
        out = static_cast<unsigned char>(s_.front());
        s_.remove_prefix(1);
        return true;
    }

    bool length(std::size_t& out) noexcept
    {
        unsigned first = 0;
        if(!byte(first))
            return false;
        if(first < 0x80)
        {
            out = first;
            return true;
        }
        unsigned const count = first & 0x7F;
        if(count == 0 || count > 4)
            return false; // indefinite or absurd lengths; packets are at most 32 KiB
        out = 0;
        for(unsigned i = 0; i < count; ++i)
        {
            unsigned b = 0;
            if(!byte(b))
                return false;
            out = (out << 8) | b;
        }
        return true;
    }

    bool octets(std::size_t n, std::string_view& out) noexcept
    {
        if(n > s_.size())
            return false;
        out = s_.substr(0, n);
        s_.remove_prefix(n);
        return true;
    }

    bool var_octets(std::string_view& out) noexcept
    {
        std::size_t n = 0;
        return length(n) && octets(n, out);
    }

    bool uint64(std::uint64_t& out) noexcept
    {
        std::string_view b;
        if(!octets(8, b))
            return false;
        out = 0;
        for(char c : b)
            out = (out << 8) | static_cast<unsigned char>(c);
        return true;
    }

    [[nodiscard]] bool empty() const noexcept { return s_.empty(); }

private:
    std::string_view s_;
};

void append_lower(std::string& out, std::string_view s)
{
    for(char c : s)
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// SHA-256, fetched once. With EVP_sha256() every EVP_DigestInit fetches the provider's
// implementation again (thousands of instructions per digest), and HMAC() also sets up a
// MAC context per call.
EVP_MD const* sha256_md() noexcept
{
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return md;
}

// One digest context per thread, reset by every EVP_DigestInit_ex2.
EVP_MD_CTX* digest_context() noexcept
{
    thread_local std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> const ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    return ctx.get();
}

// The SHA-256 of the concatenated parts into out[32]; false if OpenSSL fails.
bool sha256_into(std::initializer_list<std::string_view> parts, unsigned char* out) noexcept
{
    auto* const ctx = digest_context();
    auto const* const md = sha256_md();
    if(ctx == nullptr || md == nullptr || EVP_DigestInit_ex2(ctx, md, nullptr) != 1)
        return false;
    for(auto const part : parts)
        if(EVP_DigestUpdate(ctx, part.data(), part.size()) != 1)
            return false;
    unsigned int len = 0;
    return EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == 32;
}

decode_error ilp_error(errc code, std::string field, std::string message)
{
    return decode_error{code, std::move(field), std::move(message), false};
}

} // namespace

std::string base64url_encode(std::string_view bytes)
{
    return encode_base64(bytes, b64url_alphabet, false);
}

std::string base64_encode(std::string_view bytes)
{
    return encode_base64(bytes, b64_alphabet, true);
}

std::optional<std::string> base64url_decode(std::string_view text)
{
    // Up to two '=' of padding, and only at the end.
    std::size_t pad = 0;
    while(pad < text.size() && pad < 3 && text[text.size() - 1 - pad] == '=')
        ++pad;
    if(pad > 2)
        return std::nullopt;
    text.remove_suffix(pad);
    auto const rest = text.size() % 4;
    if(rest == 1)
        return std::nullopt;
    // Each group of 4 characters is 3 bytes; a tail of 2 or 3 characters is 1 or 2 bytes.
    // Leftover low bits of the last character are ignored, not required to be zero.
    auto const groups = text.size() / 4;
    std::string out(groups * 3 + (rest == 0 ? 0 : rest - 1), '\0');
    auto const* in = reinterpret_cast<unsigned char const*>(text.data());
    char* o = out.data();
    auto const value = [](unsigned char c) noexcept { return int{b64url_table[c]}; };
    for(std::size_t g = 0; g < groups; ++g, in += 4, o += 3)
    {
        int const a = value(in[0]), b = value(in[1]), c = value(in[2]), d = value(in[3]);
        if((a | b | c | d) < 0)
            return std::nullopt;
        auto const n = (static_cast<unsigned>(a) << 18) | (static_cast<unsigned>(b) << 12) |
                       (static_cast<unsigned>(c) << 6) | static_cast<unsigned>(d);
        o[0] = static_cast<char>((n >> 16) & 0xFF);
        o[1] = static_cast<char>((n >> 8) & 0xFF);
        o[2] = static_cast<char>(n & 0xFF);
    }
    if(rest != 0)
    {
        int const a = value(in[0]), b = value(in[1]), c = rest == 3 ? value(in[2]) : 0;
        if((a | b | c) < 0)
            return std::nullopt;
        auto const n = (static_cast<unsigned>(a) << 18) | (static_cast<unsigned>(b) << 12) |
                       (static_cast<unsigned>(c) << 6);
        o[0] = static_cast<char>((n >> 16) & 0xFF);
        if(rest == 3)
            o[1] = static_cast<char>((n >> 8) & 0xFF);
    }
    return out;
}

std::string sha256(std::string_view bytes)
{
    std::string out(32, '\0');
    if(!sha256_into({bytes}, reinterpret_cast<unsigned char*>(out.data())))
        out.clear();
    return out;
}

std::string hmac_sha256(std::string_view key, std::string_view message)
{
    // RFC 2104 over SHA-256 (block size 64): H((K ^ opad) || H((K ^ ipad) || message)),
    // K being the key, or its digest when longer than a block, padded with zeros.
    constexpr std::size_t block = 64;
    std::array<unsigned char, block> k{};
    if(key.size() > block)
    {
        if(!sha256_into({key}, k.data()))
            return {};
    }
    else if(!key.empty())
        std::memcpy(k.data(), key.data(), key.size());
    std::array<char, block> ipad{};
    std::array<char, block> opad{};
    for(std::size_t i = 0; i < block; ++i)
    {
        ipad[i] = static_cast<char>(k[i] ^ 0x36U);
        opad[i] = static_cast<char>(k[i] ^ 0x5cU);
    }
    std::array<unsigned char, 32> inner{};
    std::string out(32, '\0');
    if(!sha256_into({std::string_view(ipad.data(), block), message}, inner.data()) ||
       !sha256_into({std::string_view(opad.data(), block),
                     std::string_view(reinterpret_cast<char const*>(inner.data()), inner.size())},
                    reinterpret_cast<unsigned char*>(out.data())))
        out.clear();
    return out;
}

std::string encode_ilp_payment(ilp_payment const& p)
{
    // Inner contents first: the envelope needs their length.
    std::string contents;
    contents.reserve(8 + 4 + p.destination.size() + 4 + p.data.size() + 1);
    for(int shift = 56; shift >= 0; shift -= 8)
        contents += static_cast<char>((p.amount >> shift) & 0xFF);
    put_var_octets(contents, p.destination);
    put_var_octets(contents, p.data);
    contents += '\0'; // no extensions

    std::string out;
    out.reserve(contents.size() + 6);
    out += '\x01'; // type: ILP payment
    put_var_octets(out, contents);
    return out;
}

std::optional<ilp_payment> decode_ilp_payment(std::string_view bytes)
{
    oer_reader envelope(bytes);
    unsigned type = 0;
    std::string_view contents;
    if(!envelope.byte(type) || type != 0x01 || !envelope.var_octets(contents) || !envelope.empty())
        return std::nullopt;
    oer_reader r(contents);
    ilp_payment p;
    std::string_view destination;
    std::string_view data;
    unsigned extensions = 0;
    if(!r.uint64(p.amount) || !r.var_octets(destination) || !r.var_octets(data) || !r.byte(extensions) ||
       extensions != 0 || !r.empty())
        return std::nullopt;
    p.destination.assign(destination);
    p.data.assign(data);
    return p;
}

std::string ilp_address(party const& payee)
{
    auto const& id = payee.party_id_info;
    std::string out;
    out.reserve(4 + id.fsp_id.size() + 12 + id.party_identifier.size() + 1 + id.party_sub_id_or_type.size());
    out.append("g.").append(id.fsp_id).append(".");
    append_lower(out, to_string(id.party_id_type));
    out += '.';
    append_lower(out, id.party_identifier);
    if(!id.party_sub_id_or_type.empty())
    {
        out += '.';
        append_lower(out, id.party_sub_id_or_type);
    }
    return out;
}

transaction make_transaction(post_quotes const& request, put_quotes const& response)
{
    transaction t;
    t.quote_id = request.quote_id;
    t.transaction_id = request.transaction_id;
    t.transaction_type = request.transaction_type;
    t.payee = request.payee;
    t.payer = request.payer;
    t.expiration = response.expiration;
    t.amount = response.transfer_amount;
    return t;
}

decode_result<std::string> make_ilp_packet(transaction const& t)
{
    if(!core::is_currency(t.amount.currency))
        return ilp_error(errc::generic_validation_error, "amount.currency", "is not a known currency");
    auto const amount = core::decimal::parse_fspiop(t.amount.amount);
    if(!amount)
        return ilp_error(errc::generic_validation_error, "amount.amount", "is not a valid amount");
    auto const exponent = core::currency_exponent(t.amount.currency);
    auto const minor = amount->to_minor_units(exponent);
    if(!minor)
        return ilp_error(errc::generic_validation_error, "amount.amount",
                         "has more decimals than " + t.amount.currency + " allows");
    ilp_payment p;
    p.amount = static_cast<std::uint64_t>(*minor);
    p.destination = ilp_address(t.payee);
    p.data = base64url_encode(encode(t));
    return base64url_encode(encode_ilp_payment(p));
}

decode_result<transaction> decode_ilp_transaction(std::string_view ilp_packet, int api_major)
{
    auto const bytes = base64url_decode(ilp_packet);
    if(!bytes)
        return ilp_error(errc::malformed_syntax, "ilpPacket", "is not base64url");
    auto const payment = decode_ilp_payment(*bytes);
    if(!payment)
        return ilp_error(errc::malformed_syntax, "ilpPacket", "is not an ILP v1 payment packet");
    auto const json = base64url_decode(payment->data);
    if(!json)
        return ilp_error(errc::malformed_syntax, "ilpPacket", "data is not base64url");
    return decode<transaction>(*json, api_major);
}

std::string make_fulfilment(std::string_view secret, std::string_view ilp_packet)
{
    // Key: the ASCII of the standard base64 of the secret (Buffer.from(secret).toString('base64')).
    return base64url_encode(hmac_sha256(base64_encode(secret), ilp_packet));
}

std::optional<std::string> make_condition(std::string_view fulfilment)
{
    auto const preimage = base64url_decode(fulfilment);
    if(!preimage || preimage->size() != 32)
        return std::nullopt;
    return base64url_encode(sha256(*preimage));
}

bool check_fulfilment(std::string_view fulfilment, std::string_view condition) noexcept
{
    // The decoded fulfilment must be 32 bytes, so its text is 43 characters plus padding.
    if(fulfilment.size() > 48 || condition.size() != 43)
        return false;
    std::array<unsigned char, 36> preimage{};
    std::size_t n = 0;
    unsigned acc = 0;
    int bits = 0;
    std::size_t len = fulfilment.size();
    while(len > 0 && fulfilment[len - 1] == '=' && fulfilment.size() - len < 2)
        --len;
    for(std::size_t i = 0; i < len; ++i)
    {
        int const v = b64url_table[static_cast<unsigned char>(fulfilment[i])];
        if(v < 0)
            return false;
        acc = (acc << 6) | static_cast<unsigned>(v);
        bits += 6;
        if(bits >= 8)
        {
            bits -= 8;
            if(n == preimage.size())
                return false;
            preimage[n++] = static_cast<unsigned char>((acc >> bits) & 0xFF);
        }
    }
    if(n != 32 || len % 4 == 1)
        return false;
    unsigned char digest[32];
    unsigned int const digest_len = 32;
    if(!sha256_into({std::string_view(reinterpret_cast<char const*>(preimage.data()), n)}, digest))
        return false;
    // base64url of 32 bytes is 43 characters; compare while encoding, no allocation.
    unsigned bits_acc = 0;
    int nbits = 0;
    std::size_t out = 0;
    for(unsigned k = 0; k < digest_len; ++k)
    {
        bits_acc = (bits_acc << 8) | digest[k];
        nbits += 8;
        while(nbits >= 6)
        {
            nbits -= 6;
            if(b64url_alphabet[(bits_acc >> nbits) & 63] != condition[out++])
                return false;
        }
    }
    if(nbits > 0 && b64url_alphabet[(bits_acc << (6 - nbits)) & 63] != condition[out++])
        return false;
    return out == condition.size();
}

decode_result<ilp_response> make_ilp_response(transaction const& t, std::string_view secret)
{
    auto packet = make_ilp_packet(t);
    if(!packet)
        return packet.error();
    ilp_response r;
    r.ilp_packet = std::move(*packet);
    r.fulfilment = make_fulfilment(secret, r.ilp_packet);
    r.condition = *make_condition(r.fulfilment);
    return r;
}

bool transfer_matches_transaction(post_transfers const& transfer, transaction const& t) noexcept
{
    return transfer.payer_fsp == t.payer.party_id_info.fsp_id && transfer.payee_fsp == t.payee.party_id_info.fsp_id &&
           transfer.amount.currency == t.amount.currency && transfer.amount.amount == t.amount.amount;
}

std::array<unsigned char, 32> body_digest(std::string_view body)
{
    std::array<unsigned char, 32> out{};
    if(!sha256_into({body}, out.data()))
        out.fill(0);
    return out;
}

std::string body_hash(std::string_view body)
{
    auto h = base64_encode(sha256(body));
    while(!h.empty() && h.back() == '=')
        h.pop_back();
    return h;
}

} // namespace mojasim::fspiop
