#include "simulator/fspiop/validate.hpp"

#include "simulator/core/clock.hpp"
#include "simulator/core/decimal.hpp"
#include "simulator/core/ids.hpp"
#include "simulator/fspiop/types.hpp"

#include <array>

namespace mojasim::fspiop {

namespace {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_upper(char c) noexcept { return c >= 'A' && c <= 'Z'; }
constexpr bool is_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }
constexpr bool is_alnum(char c) noexcept { return is_digit(c) || is_upper(c) || is_lower(c); }

// [A-Za-z0-9-_]: the base64url alphabet, as a table (ILP packets are checked byte by byte).
constexpr std::array<bool, 256> make_b64url_table() noexcept
{
    std::array<bool, 256> t{};
    for(int c = 0; c < 256; ++c)
    {
        auto const ch = static_cast<char>(c);
        t[static_cast<std::size_t>(c)] = is_alnum(ch) || ch == '-' || ch == '_';
    }
    return t;
}

constexpr auto b64url_table = make_b64url_table();

// Every character of `s` in the base64url alphabet. Tests eight table entries per branch.
bool all_b64url(std::string_view s) noexcept
{
    auto const* p = reinterpret_cast<unsigned char const*>(s.data());
    std::size_t i = 0;
    for(; i + 8 <= s.size(); i += 8)
    {
        bool const ok = b64url_table[p[i]] & b64url_table[p[i + 1]] & b64url_table[p[i + 2]] &
                        b64url_table[p[i + 3]] & b64url_table[p[i + 4]] & b64url_table[p[i + 5]] &
                        b64url_table[p[i + 6]] & b64url_table[p[i + 7]];
        if(!ok)
            return false;
    }
    for(; i < s.size(); ++i)
        if(!b64url_table[p[i]])
            return false;
    return true;
}

bool all_digits(std::string_view s) noexcept
{
    for(char c : s)
        if(!is_digit(c))
            return false;
    return true;
}

// Decode one UTF-8 code point at s[i], advancing i. Returns -1 on a malformed sequence.
long next_code_point(std::string_view s, std::size_t& i) noexcept
{
    auto const b0 = static_cast<unsigned char>(s[i++]);
    if(b0 < 0x80)
        return b0;
    std::size_t extra = 0;
    long cp = 0;
    if((b0 & 0xE0) == 0xC0)
    {
        extra = 1;
        cp = b0 & 0x1F;
    }
    else if((b0 & 0xF0) == 0xE0)
    {
        extra = 2;
        cp = b0 & 0x0F;
    }
    else if((b0 & 0xF8) == 0xF0)
    {
        extra = 3;
        cp = b0 & 0x07;
    }
    else
        return -1;
    if(i + extra > s.size())
        return -1;
    for(std::size_t k = 0; k < extra; ++k)
    {
        auto const b = static_cast<unsigned char>(s[i++]);
        if((b & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (b & 0x3F);
    }
    return cp;
}

// Non-ASCII part of the Name character class, approximated (see is_name in the header).
bool is_name_code_point(long cp) noexcept
{
    if(cp < 0x80)
        return false; // ASCII is handled exactly by the caller
    if(cp <= 0xBF)
        return cp == 0xAA || cp == 0xB5 || cp == 0xBA; // ª µ º are letters; the rest are C1/symbols
    if(cp == 0xD7 || cp == 0xF7)
        return false; // × ÷
    if(cp >= 0x2000 && cp <= 0x206F)
        return cp == 0x200C || cp == 0x200D || cp == 0x203F || cp == 0x2040 || cp == 0x2054;
    if(cp == 0x3000 || cp == 0xFEFF)
        return false; // ideographic space, BOM
    if(cp >= 0x2190 && cp <= 0x2BFF)
        return false; // arrows, math operators, technical, box drawing, shapes, dingbats
    if(cp >= 0xE000 && cp <= 0xF8FF)
        return false; // private use
    if(cp >= 0xFFF0 && cp <= 0xFFFF)
        return false; // specials
    if(cp >= 0x1F000 && cp <= 0x1FAFF)
        return false; // emoji and pictographs
    if(cp >= 0xF0000)
        return false; // supplementary private use
    return cp <= 0x10FFFF;
}

// ^(\+|-)?(?:LIMIT(?:\.0{1,6})?|(?:<0..LIMIT-1 without leading zeros>)(?:\.[0-9]{1,6})?)$
bool is_coordinate(std::string_view s, int limit) noexcept
{
    if(!s.empty() && (s.front() == '+' || s.front() == '-'))
        s.remove_prefix(1);
    auto const dot = s.find('.');
    std::string_view const whole = s.substr(0, dot);
    if(whole.empty() || whole.size() > 3 || !all_digits(whole) || (whole.size() > 1 && whole.front() == '0'))
        return false;
    int value = 0;
    for(char c : whole)
        value = value * 10 + (c - '0');
    if(value > limit)
        return false;
    if(dot == std::string_view::npos)
        return true;
    std::string_view const frac = s.substr(dot + 1);
    if(frac.empty() || frac.size() > 6 || !all_digits(frac))
        return false;
    if(value == limit)
        return frac.find_first_not_of('0') == std::string_view::npos;
    return true;
}

} // namespace

std::size_t char_count(std::string_view s) noexcept
{
    std::size_t n = 0;
    for(char c : s)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

bool has_length(std::string_view s, std::size_t min, std::size_t max) noexcept
{
    // A character takes 1 to 4 bytes, so the byte count bounds the character count.
    if(s.size() < min || s.size() > 4 * max)
        return false;
    auto const n = char_count(s);
    return n >= min && n <= max;
}

bool is_amount(std::string_view s) noexcept
{
    auto const dot = s.find('.');
    std::string_view const whole = s.substr(0, dot);
    if(whole.empty() || whole.size() > 18 || !all_digits(whole))
        return false;
    if(whole.size() > 1 && whole.front() == '0')
        return false;
    if(dot == std::string_view::npos)
        return true;
    std::string_view const frac = s.substr(dot + 1);
    return !frac.empty() && frac.size() <= 4 && all_digits(frac) && frac.back() != '0';
}

bool is_currency(std::string_view s) noexcept
{
    return core::is_currency(s);
}

bool is_datetime(std::string_view s) noexcept
{
    // 0123456789012345678901234
    // yyyy-MM-ddTHH:mm:ss.SSSZ  or  ...SSS+hh:mm
    // Checked here without core::parse_datetime: it converts to a nanosecond time_point,
    // which cannot hold years after 2262, while the pattern allows up to 9999.
    if(s.size() != 24 && s.size() != 29)
        return false;
    if(!is_date(s.substr(0, 10)) || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.')
        return false;
    auto const two = [&](std::size_t pos) {
        return is_digit(s[pos]) && is_digit(s[pos + 1]) ? (s[pos] - '0') * 10 + (s[pos + 1] - '0') : -1;
    };
    int const hour = two(11);
    int const minute = two(14);
    int const second = two(17);
    if(hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
        return false;
    if(!all_digits(s.substr(20, 3)))
        return false;
    if(s.size() == 24)
        return s[23] == 'Z';
    // Offset: [+-][01]\d:[0-5]\d
    int const offset_hour = two(24);
    int const offset_minute = two(27);
    return (s[23] == '+' || s[23] == '-') && s[26] == ':' && offset_hour >= 0 && offset_hour <= 19 &&
           offset_minute >= 0 && offset_minute <= 59;
}

bool is_date(std::string_view s) noexcept
{
    return !s.empty() && s[0] != '0' && core::is_date(s);
}

bool is_correlation_id(std::string_view s, int api_major, bool strict_spec) noexcept
{
    if(strict_spec && api_major < 2)
        return core::is_uuid(s, '5');
    if(core::is_uuid(s, '7'))
        return true;
    // ^[0-9A-HJKMNP-TV-Z]{26}$ exactly (core::is_ulid also limits the first character).
    if(s.size() != 26)
        return false;
    for(char c : s)
        if(!(is_digit(c) || (is_upper(c) && c != 'I' && c != 'L' && c != 'O' && c != 'U')))
            return false;
    return true;
}

std::string_view correlation_id_pattern(int api_major, bool strict_spec) noexcept
{
    if(strict_spec && api_major < 2)
        return R"(^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$)";
    return R"(^[0-9a-f]{8}-[0-9a-f]{4}-[1-7][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$|^[0-9A-HJKMNP-TV-Z]{26}$)";
}

bool is_fsp_id(std::string_view s) noexcept
{
    return has_length(s, 1, 32);
}

bool is_party_identifier(std::string_view s) noexcept
{
    return has_length(s, 1, 128);
}

bool is_party_sub_id_or_type(std::string_view s) noexcept
{
    return has_length(s, 1, 128);
}

bool is_party_id_type(std::string_view s) noexcept
{
    return from_string<party_id_type>(s).has_value();
}

bool is_personal_identifier_type(std::string_view s) noexcept
{
    return from_string<personal_identifier_type>(s).has_value();
}

bool is_party_name(std::string_view s) noexcept
{
    return has_length(s, 1, 128);
}

bool is_name(std::string_view s) noexcept
{
    std::size_t chars = 0;
    bool blank = true;
    for(std::size_t i = 0; i < s.size();)
    {
        long const cp = next_code_point(s, i);
        if(cp < 0)
            return false;
        if(++chars > 128)
            return false;
        if(cp < 0x80)
        {
            char const c = static_cast<char>(cp);
            if(!(is_alnum(c) || c == '_' || c == ' ' || c == '.' || c == ',' || c == '\'' || c == '-'))
                return false;
        }
        else if(!is_name_code_point(cp))
            return false;
        if(cp != ' ')
            blank = false;
    }
    return chars >= 1 && !blank;
}

bool is_merchant_classification_code(std::string_view s) noexcept
{
    return !s.empty() && s.size() <= 4 && all_digits(s);
}

bool is_error_code(std::string_view s) noexcept
{
    return s.size() == 4 && s[0] != '0' && all_digits(s);
}

bool is_error_description(std::string_view s) noexcept
{
    return has_length(s, 1, 128);
}

bool is_extension_key(std::string_view s) noexcept
{
    return has_length(s, 1, 32);
}

bool is_extension_value(std::string_view s) noexcept
{
    return has_length(s, 1, 128);
}

bool is_ilp_packet(std::string_view s) noexcept
{
    if(s.empty() || s.size() > 32768)
        return false;
    auto const body_end = s.find_last_not_of('=');
    if(body_end == std::string_view::npos || s.size() - body_end - 1 > 2)
        return false;
    return all_b64url(s.substr(0, body_end + 1));
}

bool is_ilp_condition(std::string_view s) noexcept
{
    return s.size() == 43 && all_b64url(s);
}

bool is_ilp_fulfilment(std::string_view s) noexcept
{
    return is_ilp_condition(s);
}

bool is_note(std::string_view s) noexcept
{
    return has_length(s, 1, 128);
}

bool is_authentication_value(std::string_view s) noexcept
{
    // Every OtpValue is also \S{1,64}, so the pattern's second branch decides.
    if(!has_length(s, 1, 64))
        return false;
    for(char const c : s)
        if(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
            return false;
    return true;
}

bool is_refund_reason(std::string_view s) noexcept
{
    return has_length(s, 1, 128);
}

bool is_amount_type(std::string_view s) noexcept
{
    return from_string<amount_type>(s).has_value();
}

bool is_transaction_scenario(std::string_view s) noexcept
{
    return from_string<transaction_scenario>(s).has_value();
}

bool is_transaction_sub_scenario(std::string_view s) noexcept
{
    if(s.empty() || s.size() > 32)
        return false;
    for(char c : s)
        if(!is_upper(c) && c != '_')
            return false;
    return true;
}

bool is_transaction_initiator(std::string_view s) noexcept
{
    return from_string<transaction_initiator>(s).has_value();
}

bool is_transaction_initiator_type(std::string_view s) noexcept
{
    return from_string<transaction_initiator_type>(s).has_value();
}

bool is_transfer_state(std::string_view s) noexcept
{
    return from_string<transfer_state>(s).has_value();
}

bool is_bulk_transfer_state(std::string_view s) noexcept
{
    return from_string<bulk_transfer_state>(s).has_value();
}

bool is_balance_of_payments(std::string_view s) noexcept
{
    return s.size() == 3 && s[0] != '0' && all_digits(s);
}

bool is_latitude(std::string_view s) noexcept
{
    return is_coordinate(s, 90);
}

bool is_longitude(std::string_view s) noexcept
{
    return is_coordinate(s, 180);
}

bool is_integer(std::string_view s) noexcept
{
    return !s.empty() && s[0] != '0' && all_digits(s);
}

bool is_otp_value(std::string_view s) noexcept
{
    return s.size() >= 3 && s.size() <= 10 && all_digits(s);
}

bool is_token_code(std::string_view s) noexcept
{
    if(s.size() < 4 || s.size() > 32)
        return false;
    for(char c : s)
        if(!is_alnum(c))
            return false;
    return true;
}

bool is_msisdn(std::string_view s) noexcept
{
    if(!s.empty() && s.front() == '+')
        s.remove_prefix(1);
    return s.size() >= 2 && s.size() <= 15 && s[0] != '0' && all_digits(s);
}

} // namespace mojasim::fspiop
