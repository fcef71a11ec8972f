#include "simulator/core/ids.hpp"

#include <random>

namespace mojasim::core {

namespace {

std::uint64_t splitmix(std::uint64_t& x) noexcept
{
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

constexpr char hex[] = "0123456789abcdef";
constexpr char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

bool is_hex(char c) noexcept { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

} // namespace

id_generator::id_generator()
    : id_generator((static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}())
{
}

id_generator::id_generator(std::uint64_t seed) noexcept
{
    state_[0] = splitmix(seed);
    state_[1] = splitmix(seed);
}

std::uint64_t id_generator::next() noexcept
{
    // xorshift128+
    std::uint64_t s1 = state_[0];
    std::uint64_t const s0 = state_[1];
    state_[0] = s0;
    s1 ^= s1 << 23;
    state_[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
    return state_[1] + s0;
}

std::string id_generator::uuid_v4()
{
    std::uint64_t hi = next();
    std::uint64_t lo = next();
    hi = (hi & ~0xf000ULL) | 0x4000ULL;                // version 4
    lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL; // variant 10xx
    std::string out(36, '-');
    std::size_t pos = 0;
    auto put = [&](std::uint64_t v, int nibbles) {
        for(int i = nibbles - 1; i >= 0; --i)
        {
            if(pos == 8 || pos == 13 || pos == 18 || pos == 23)
                ++pos;
            out[pos++] = hex[(v >> (4 * i)) & 0xf];
        }
    };
    put(hi, 16);
    put(lo, 16);
    return out;
}

std::string id_generator::ulid(std::uint64_t unix_ms)
{
    std::string out(26, '0');
    // 48-bit time in 10 chars (the first char carries only 3 bits)
    for(int i = 9; i >= 0; --i)
    {
        out[static_cast<std::size_t>(i)] = crockford[unix_ms & 31];
        unix_ms >>= 5;
    }
    std::uint64_t a = next();
    std::uint64_t b = next();
    for(std::size_t i = 10; i < 26; ++i)
    {
        out[i] = crockford[a & 31];
        a >>= 5;
        if(i == 21)
            a = b;
    }
    return out;
}

std::uint64_t derive_seed(std::uint64_t run_seed, std::string_view stream) noexcept
{
    // FNV-1a of the name, mixed with the run's seed through splitmix64.
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for(char c : stream)
        h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    std::uint64_t x = run_seed ^ h;
    return splitmix(x);
}

bool is_uuid(std::string_view s, char max_version) noexcept
{
    if(s.size() != 36)
        return false;
    for(std::size_t i = 0; i < 36; ++i)
    {
        bool const dash = i == 8 || i == 13 || i == 18 || i == 23;
        if(dash != (s[i] == '-'))
            return false;
        if(!dash && !is_hex(s[i]))
            return false;
    }
    if(s[14] < '1' || s[14] > max_version)
        return false;
    return s[19] == '8' || s[19] == '9' || s[19] == 'a' || s[19] == 'b';
}

bool is_ulid(std::string_view s) noexcept
{
    if(s.size() != 26)
        return false;
    for(char c : s)
    {
        bool const ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' && c != 'O' && c != 'U');
        if(!ok)
            return false;
    }
    return s[0] <= '7'; // 48-bit time: the first char holds 3 bits
}

} // namespace mojasim::core
