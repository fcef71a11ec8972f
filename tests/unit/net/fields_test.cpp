#include "simulator/net/message.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>

using mojasim::net::is_field_name;
using mojasim::net::is_field_value;

namespace {

// The definition, a byte at a time: what the eight-at-a-time check must agree with.
bool value_by_bytes(std::string_view v)
{
    for(char const c : v)
    {
        auto const u = static_cast<unsigned char>(c);
        if((u < 0x20 && u != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

} // namespace

TEST_CASE("field names are RFC 9110 tokens")
{
    CHECK(is_field_name("FSPIOP-Source"));
    CHECK(is_field_name("x!#$%&'*+-.^_`|~9"));
    CHECK_FALSE(is_field_name(""));
    CHECK_FALSE(is_field_name("Bad Name"));
    CHECK_FALSE(is_field_name("Bad:Name"));
    CHECK_FALSE(is_field_name("Bad\r\nX-Injected"));
    CHECK_FALSE(is_field_name("caf\xc3\xa9"));
}

TEST_CASE("field values refuse control characters other than HTAB, and DEL, at every position")
{
    CHECK(is_field_value(""));
    CHECK(is_field_value("application/vnd.interoperability.quotes+json;version=1.1"));
    CHECK(is_field_value("a\tb"));
    CHECK(is_field_value("caf\xc3\xa9 \xff\x80"));
    // Each bad byte at each offset of a 24-byte value: in the first word, the middle, the
    // tail after the last whole word, and next to an HTAB or a high byte.
    for(char const bad : {'\r', '\n', '\0', '\x01', '\x1f', '\x7f'})
        for(std::size_t at = 0; at < 24; ++at)
        {
            std::string v(24, 'a');
            v[at] = bad;
            CHECK_FALSE(is_field_value(v));
            v[(at + 1) % v.size()] = '\t';
            CHECK_FALSE(is_field_value(v));
            v[(at + 2) % v.size()] = '\x80';
            CHECK_FALSE(is_field_value(v));
            CHECK_FALSE(is_field_value(std::string_view(v).substr(at)));
        }
}

TEST_CASE("the field value check agrees with a byte-at-a-time check on random values")
{
    // Bytes around each boundary the check draws: 0x00, HTAB, 0x1f/0x20, 0x7e/0x7f/0x80, 0xff.
    static constexpr unsigned char alphabet[] = {0x00, 0x01, 0x08, 0x09, 0x0a, 0x0d, 0x1f, 0x20, 0x21, 0x41,
                                                 0x61, 0x7e, 0x7f, 0x80, 0x81, 0xa0, 0xfe, 0xff};
    std::mt19937 rng(20261207);
    std::uniform_int_distribution<std::size_t> length(0, 40);
    std::uniform_int_distribution<std::size_t> pick(0, sizeof alphabet - 1);
    std::uniform_int_distribution<int> rare(0, 15);
    std::size_t refused = 0;
    for(int i = 0; i < 50'000; ++i)
    {
        std::string v(length(rng), 'x');
        for(auto& c : v)
            if(rare(rng) == 0) // mostly plain text, as real values are
                c = static_cast<char>(alphabet[pick(rng)]);
        bool const expected = value_by_bytes(v);
        refused += expected ? 0 : 1;
        if(is_field_value(v) != expected)
            FAIL("disagrees on a value of " << v.size() << " bytes");
    }
    // Both answers occur often enough for the comparison to mean something.
    CHECK(refused > 10'000);
    CHECK(refused < 40'000);
}
