// The word-at-a-time and table-driven fast paths (JSON string escaping, base64/base64url,
// the base64url check of ILP packets and conditions) against plain byte-by-byte models of
// the same rules, over every short input from an alphabet of the interesting bytes and
// over special bytes at every position of longer inputs (so every 8-byte word boundary);
// and SHA-256 / HMAC-SHA256 (a reused digest context) against published vectors.
#include "simulator/core/json_writer.hpp"
#include "simulator/fspiop/ilp.hpp"
#include "simulator/fspiop/validate.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fspiop = mojasim::fspiop;

namespace {

// ---------------------------------------------------------------------------------------
// Models: one byte per step, written straight from the rules.

std::string model_json_string(std::string_view s)
{
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "\"";
    for(char ch : s)
    {
        auto const c = static_cast<unsigned char>(ch);
        switch(c)
        {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if(c < 0x20)
            {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xF];
            }
            else
                out += ch;
        }
    }
    out += '"';
    return out;
}

constexpr std::string_view url_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view std_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string model_encode(std::string_view bytes, std::string_view alphabet, bool pad)
{
    std::string out;
    unsigned acc = 0;
    int bits = 0;
    for(char ch : bytes)
    {
        acc = (acc << 8) | static_cast<unsigned char>(ch);
        bits += 8;
        while(bits >= 6)
        {
            bits -= 6;
            out += alphabet[(acc >> bits) & 63];
        }
    }
    if(bits > 0)
        out += alphabet[(acc << (6 - bits)) & 63];
    while(pad && out.size() % 4 != 0)
        out += '=';
    return out;
}

// base64url with at most two '=' at the end; a length of 1 mod 4 (after the padding) is
// rejected; leftover low bits are ignored.
std::optional<std::string> model_decode(std::string_view text)
{
    std::size_t pad = 0;
    while(pad < text.size() && text[text.size() - 1 - pad] == '=')
        ++pad;
    if(pad > 2)
        return std::nullopt;
    text.remove_suffix(pad);
    if(text.size() % 4 == 1)
        return std::nullopt;
    std::string out;
    unsigned acc = 0;
    int bits = 0;
    for(char ch : text)
    {
        auto const pos = url_alphabet.find(ch);
        if(pos == std::string_view::npos)
            return std::nullopt;
        acc = (acc << 6) | static_cast<unsigned>(pos);
        bits += 6;
        if(bits >= 8)
        {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xFF);
        }
    }
    return out;
}

bool model_b64url(std::string_view s)
{
    return s.find_first_not_of(url_alphabet) == std::string_view::npos;
}

// ^[A-Za-z0-9-_]+[=]{0,2}$, 1 to 32768 characters.
bool model_ilp_packet(std::string_view s)
{
    if(s.empty() || s.size() > 32768)
        return false;
    auto const body_end = s.find_last_not_of('=');
    if(body_end == std::string_view::npos || s.size() - body_end - 1 > 2)
        return false;
    return model_b64url(s.substr(0, body_end + 1));
}

std::string json_string(std::string_view s)
{
    mojasim::core::json_writer w(0);
    w.string(s);
    return std::move(w).finish();
}

// Every string of length 0..max_length over `alphabet`.
template<class F>
void for_each_string(std::string_view alphabet, std::size_t max_length, F&& f)
{
    std::string s;
    std::vector<std::size_t> digits;
    for(std::size_t n = 0; n <= max_length; ++n)
    {
        digits.assign(n, 0);
        for(;;)
        {
            s.resize(n);
            for(std::size_t i = 0; i < n; ++i)
                s[i] = alphabet[digits[i]];
            f(std::string_view(s));
            std::size_t k = 0;
            while(k < n && ++digits[k] == alphabet.size())
                digits[k++] = 0;
            if(k == n)
                break;
        }
    }
}

} // namespace

TEST_CASE("json escape: literal cases", "[fspiop][json]")
{
    CHECK(json_string("") == R"("")");
    CHECK(json_string("plain text, longer than one word") == R"("plain text, longer than one word")");
    CHECK(json_string(R"("quoted")") == R"("\"quoted\"")");
    CHECK(json_string(R"(\\)") == R"("\\\\")");
    CHECK(json_string("a\"\\b") == R"("a\"\\b")");
    CHECK(json_string("line\nnext\r\ttab\bback\fform") == R"("line\nnext\r\ttab\bback\fform")");
    CHECK(json_string(std::string_view("\0\x01\x1f", 3)) == R"("\u0000\u0001\u001f")");
    CHECK(json_string(" ~\x7f") == "\" ~\x7f\""); // space, '~' and DEL need no escape
    std::string_view const utf8 = "Ren\xc3\xa9" "e \xe2\x82\xac \xf0\x9f\x98\x80";
    CHECK(json_string(utf8) == "\"" + std::string(utf8) + "\"");

    // Written after what the writer holds, and as a key from data.
    mojasim::core::json_writer w(0);
    w.begin_object();
    w.any_key("k\"");
    CHECK(std::move(w).finish() == R"({"k\"":)");
}

TEST_CASE("json escape: every short string over the special bytes agrees with the model", "[fspiop][json]")
{
    // Letters, the two escaped ASCII, controls at both ends of the range, the first
    // unescaped byte, DEL, UTF-8 lead and continuation bytes, and bytes whose high bit
    // makes the word test borrow.
    static constexpr char alphabet[] = {'a', '"', '\\', '\n', '\0', '\x1f', ' ', '\x7f', '\xc3', '\xa9', '\x80', '\xff'};
    std::size_t count = 0;
    for_each_string(std::string_view(alphabet, sizeof alphabet), 4, [&](std::string_view s) {
        ++count;
        if(json_string(s) != model_json_string(s))
            FAIL_CHECK("mismatch for a string of " << s.size() << " bytes");
    });
    CHECK(count == 1 + 12 + 144 + 1728 + 20736);
}

TEST_CASE("json escape: escapes at every position of longer strings", "[fspiop][json]")
{
    // Runs before, after and between escapes, across the 8-byte words of the fast path.
    static constexpr char specials[] = {'"', '\\', '\n', '\0', '\x01', '\x1f', '\x20', '\x21', '\x5b', '\x5d', '\x7f', '\x80', '\xe0'};
    for(std::size_t n : {7U, 8U, 9U, 15U, 16U, 17U, 33U})
    {
        for(char special : specials)
        {
            for(std::size_t i = 0; i < n; ++i)
            {
                std::string s(n, 'x');
                s[i] = special;
                CHECK(json_string(s) == model_json_string(s));
                // Two adjacent escapes, and one at each end.
                if(i + 1 < n)
                    s[i + 1] = '"';
                s.front() = '\\';
                s.back() = '\t';
                CHECK(json_string(s) == model_json_string(s));
            }
        }
    }
    std::string all;
    for(int c = 0; c < 256; ++c)
        all += static_cast<char>(c);
    CHECK(json_string(all) == model_json_string(all));
    CHECK(json_string(all.substr(3)) == model_json_string(all.substr(3)));
}

TEST_CASE("base64: every length 0..7 encodes as the model and decodes back", "[fspiop][base64]")
{
    std::string const source = "\x00\xff\x10\x83\xfb\xef\xbe\x01\x7f";
    for(std::size_t n = 0; n <= 7; ++n)
    {
        for(std::size_t offset = 0; offset + n <= source.size(); ++offset)
        {
            auto const bytes = std::string_view(source).substr(offset, n);
            auto const url = fspiop::base64url_encode(bytes);
            auto const std64 = fspiop::base64_encode(bytes);
            CHECK(url == model_encode(bytes, url_alphabet, false));
            CHECK(std64 == model_encode(bytes, std_alphabet, true));
            CHECK(url.size() == (n * 4 + 2) / 3);
            CHECK(std64.size() == (n + 2) / 3 * 4);
            CHECK(fspiop::base64url_decode(url) == std::string(bytes));
            // Padded base64url decodes to the same bytes.
            auto padded = url;
            while(padded.size() % 4 != 0)
                padded += '=';
            CHECK(fspiop::base64url_decode(padded) == std::string(bytes));
        }
    }
}

TEST_CASE("base64url decode: every short text over the special characters agrees with the model", "[fspiop][base64]")
{
    // Valid characters at both ends of the value range, '=', and characters of other
    // alphabets or none.
    static constexpr char alphabet[] = {'A', '_', 'z', '0', '-', '=', '+', '/', ' ', '\0', '\xc3'};
    std::size_t accepted = 0;
    for_each_string(std::string_view(alphabet, sizeof alphabet), 6, [&](std::string_view s) {
        auto const got = fspiop::base64url_decode(s);
        auto const want = model_decode(s);
        if(got != want)
            FAIL_CHECK("mismatch for '" << std::string(s) << "'");
        if(got)
            ++accepted;
    });
    // Both branches were exercised.
    CHECK(accepted > 1000);
}

TEST_CASE("base64url decode: a bad character at any position is rejected", "[fspiop][base64]")
{
    for(std::size_t n = 2; n <= 12; ++n)
    {
        if(n % 4 == 1)
            continue;
        std::string const good(n, 'Q');
        REQUIRE(fspiop::base64url_decode(good));
        for(std::size_t i = 0; i < n; ++i)
        {
            for(char bad : {'+', '/', '=', '.', ' ', '\n', '\0', '\x80', '\xff'})
            {
                auto s = good;
                s[i] = bad;
                if(bad == '=' && i + 2 >= n)
                    CHECK(fspiop::base64url_decode(s) == model_decode(s)); // may be padding
                else
                    CHECK_FALSE(fspiop::base64url_decode(s));
            }
        }
    }
}

TEST_CASE("base64url decode: padding rules", "[fspiop][base64]")
{
    CHECK(fspiop::base64url_decode("") == std::string());
    CHECK(fspiop::base64url_decode("Zg") == std::string("f"));
    CHECK(fspiop::base64url_decode("Zg=") == std::string("f"));
    CHECK(fspiop::base64url_decode("Zg==") == std::string("f"));
    CHECK(fspiop::base64url_decode("Zm8=") == std::string("fo"));
    CHECK_FALSE(fspiop::base64url_decode("Zg==="));
    CHECK_FALSE(fspiop::base64url_decode("Zm9v==="));
    CHECK_FALSE(fspiop::base64url_decode("Zm9vY"));
    CHECK_FALSE(fspiop::base64url_decode("Zm9vY="));
    CHECK_FALSE(fspiop::base64url_decode("Zm9vY=="));
    CHECK_FALSE(fspiop::base64url_decode("Z=g="));
    CHECK_FALSE(fspiop::base64url_decode("=Zg"));
    // Leftover bits of the last character are not checked ("Zh" and "Zg" are both "f").
    CHECK(fspiop::base64url_decode("Zh") == std::string("f"));
}

TEST_CASE("base64url check of ILP packets and conditions agrees with the model", "[fspiop][base64]")
{
    static constexpr char alphabet[] = {'A', '_', '-', '9', '=', '+', ' ', '\0', '\xff'};
    for_each_string(std::string_view(alphabet, sizeof alphabet), 5, [&](std::string_view s) {
        if(fspiop::is_ilp_packet(s) != model_ilp_packet(s))
            FAIL_CHECK("mismatch for '" << std::string(s) << "'");
    });
    // A bad byte at every position of long packets (the check reads eight at a time).
    for(std::size_t n : {8U, 9U, 16U, 23U, 43U, 1500U})
    {
        std::string const good(n, 'A');
        CHECK(fspiop::is_ilp_packet(good));
        CHECK(fspiop::is_ilp_packet(good + "=="));
        for(std::size_t i = 0; i < n; ++i)
        {
            for(char bad : {'+', '=', '\0', '\x80'})
            {
                auto s = good;
                s[i] = bad;
                CHECK(fspiop::is_ilp_packet(s) == model_ilp_packet(s));
                CHECK(fspiop::is_ilp_condition(s) == (n == 43 && model_b64url(s)));
            }
        }
    }
    std::string const condition(43, '_');
    CHECK(fspiop::is_ilp_condition(condition));
    CHECK_FALSE(fspiop::is_ilp_condition(condition.substr(1)));
    CHECK_FALSE(fspiop::is_ilp_condition(condition + "-"));
}

namespace {

std::string hex_of(std::string_view bytes)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for(char c : bytes)
    {
        out += digits[static_cast<unsigned char>(c) >> 4];
        out += digits[static_cast<unsigned char>(c) & 0xF];
    }
    return out;
}

} // namespace

TEST_CASE("sha256 and hmac_sha256 match FIPS 180 / RFC 4231 vectors", "[fspiop][digest]")
{
    // SHA-256: FIPS 180-2 "abc", the empty string, and a multi-block input (python3 hashlib).
    CHECK(hex_of(fspiop::sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(hex_of(fspiop::sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(hex_of(fspiop::sha256(std::string(1000, 'a'))) ==
          "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");

    // RFC 4231 test cases 1, 2 and 6 (a key longer than the block is hashed first); then an
    // empty key, a key of exactly one block and one byte more (python3 hmac).
    CHECK(hex_of(fspiop::hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    CHECK(hex_of(fspiop::hmac_sha256("Jefe", "what do ya want for nothing?")) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(hex_of(fspiop::hmac_sha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")) ==
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    CHECK(hex_of(fspiop::hmac_sha256("", "")) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
    CHECK(hex_of(fspiop::hmac_sha256(std::string(64, 'k'), "block-size key")) ==
          "3639ed45f96410ae1abf821aaf15a4e616209464f7e06fb79435d35e485bd3c2");
    CHECK(hex_of(fspiop::hmac_sha256(std::string(65, 'k'), "one byte over")) ==
          "c78ea6bbaae214df9544b7aa49b4291b604e38d68a2d0d822359b1c974d7bd0f");
    // The context is reused: a digest after an HMAC is unaffected.
    CHECK(hex_of(fspiop::sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
