#include "simulator/core/clock.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace mojasim::core {

system_clock& system_clock::instance()
{
    static system_clock c;
    return c;
}

namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 7> weekdays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Read exactly n digits at s[pos..]; -1 when any is not a digit.
int digits(std::string_view s, std::size_t pos, std::size_t n) noexcept
{
    if(pos + n > s.size())
        return -1;
    int v = 0;
    for(std::size_t i = pos; i < pos + n; ++i)
    {
        if(s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

std::optional<sys_days> make_day(int y, int m, int d) noexcept
{
    if(y < 0 || m < 1 || m > 12 || d < 1)
        return std::nullopt;
    year_month_day const ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    if(!ymd.ok())
        return std::nullopt;
    return sys_days{ymd};
}

std::optional<seconds> make_time(int h, int mi, int s) noexcept
{
    if(h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59)
        return std::nullopt;
    return hours{h} + minutes{mi} + seconds{s};
}

// A millisecond time as a clock time point. system_clock counts nanoseconds in 64 bits, so
// years past 2262 do not fit: they saturate to the far future instead of overflowing.
time_point to_time_point(sys_time<milliseconds> t) noexcept
{
    constexpr auto max_ms = floor<milliseconds>(time_point::max()).time_since_epoch();
    constexpr auto min_ms = ceil<milliseconds>(time_point::min()).time_since_epoch();
    if(t.time_since_epoch() >= max_ms)
        return time_point::max();
    if(t.time_since_epoch() <= min_ms)
        return time_point::min();
    return time_point{duration_cast<time_point::duration>(t.time_since_epoch())};
}

} // namespace

namespace {

// Writes `n` (< 10^width) as `width` digits at `p`.
void put_digits(char* p, unsigned n, int width) noexcept
{
    for(int i = width - 1; i >= 0; --i)
    {
        p[i] = static_cast<char>('0' + n % 10);
        n /= 10;
    }
}

} // namespace

std::string format_datetime(time_point t)
{
    auto const ms = floor<milliseconds>(t);
    auto const day = floor<days>(ms);
    year_month_day const ymd{day};
    hh_mm_ss const tod{ms - day};
    // A nanosecond system_clock spans the years 1677 to 2262: always four digits.
    auto const year = static_cast<unsigned>(static_cast<int>(ymd.year()));
    // yyyy-MM-ddTHH:mm:ss.SSSZ, written digit by digit (this runs for every FSPIOP message).
    std::string out(24, '\0');
    char* p = out.data();
    put_digits(p, year, 4);
    p[4] = '-';
    put_digits(p + 5, static_cast<unsigned>(ymd.month()), 2);
    p[7] = '-';
    put_digits(p + 8, static_cast<unsigned>(ymd.day()), 2);
    p[10] = 'T';
    put_digits(p + 11, static_cast<unsigned>(tod.hours().count()), 2);
    p[13] = ':';
    put_digits(p + 14, static_cast<unsigned>(tod.minutes().count()), 2);
    p[16] = ':';
    put_digits(p + 17, static_cast<unsigned>(tod.seconds().count()), 2);
    p[19] = '.';
    put_digits(p + 20, static_cast<unsigned>(tod.subseconds().count()), 3);
    p[23] = 'Z';
    return out;
}

std::optional<time_point> parse_datetime(std::string_view s) noexcept
{
    // 0123456789012345678901234
    // yyyy-MM-ddTHH:mm:ss.SSSZ  or  ...SSS+hh:mm
    if(s.size() != 24 && s.size() != 29)
        return std::nullopt;
    if(s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.')
        return std::nullopt;
    auto const day = make_day(digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2));
    auto const tod = make_time(digits(s, 11, 2), digits(s, 14, 2), digits(s, 17, 2));
    int const ms = digits(s, 20, 3);
    if(!day || !tod || ms < 0)
        return std::nullopt;
    sys_time<milliseconds> const t = sys_time<milliseconds>{*day} + *tod + milliseconds{ms};
    if(s.size() == 24)
        return s[23] == 'Z' ? std::optional{to_time_point(t)} : std::nullopt;
    if((s[23] != '+' && s[23] != '-') || s[26] != ':')
        return std::nullopt;
    int const oh = digits(s, 24, 2);
    int const om = digits(s, 27, 2);
    if(oh < 0 || oh > 23 || om < 0 || om > 59)
        return std::nullopt;
    auto const offset = hours{oh} + minutes{om};
    return to_time_point(s[23] == '+' ? t - offset : t + offset);
}

bool is_date(std::string_view s) noexcept
{
    return s.size() == 10 && s[4] == '-' && s[7] == '-' &&
           make_day(digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2)).has_value();
}

std::string format_http_date(time_point t)
{
    auto const secs = floor<seconds>(t);
    // Every message carries a Date: one formatting per second and thread is enough.
    thread_local seconds cached_at{std::numeric_limits<seconds::rep>::min()};
    thread_local std::string cached;
    if(secs.time_since_epoch() == cached_at)
        return cached;
    auto const day = floor<days>(secs);
    year_month_day const ymd{day};
    hh_mm_ss const tod{secs - day};
    weekday const wd{day};
    // A nanosecond system_clock spans the years 1677 to 2262: always four digits.
    auto const year = static_cast<unsigned>(static_cast<int>(ymd.year()));
    // Sun, 06 Nov 1994 08:49:37 GMT
    std::string out(29, ' ');
    char* p = out.data();
    auto const name = weekdays[wd.c_encoding()];
    std::copy(name.begin(), name.end(), p);
    p[3] = ',';
    put_digits(p + 5, static_cast<unsigned>(ymd.day()), 2);
    auto const month = months[static_cast<unsigned>(ymd.month()) - 1];
    std::copy(month.begin(), month.end(), p + 8);
    put_digits(p + 12, year, 4);
    put_digits(p + 17, static_cast<unsigned>(tod.hours().count()), 2);
    p[19] = ':';
    put_digits(p + 20, static_cast<unsigned>(tod.minutes().count()), 2);
    p[22] = ':';
    put_digits(p + 23, static_cast<unsigned>(tod.seconds().count()), 2);
    std::copy_n("GMT", 3, p + 26);
    cached_at = secs.time_since_epoch();
    cached = out;
    return out;
}

std::optional<time_point> parse_http_date(std::string_view s) noexcept
{
    // 01234567890123456789012345678
    // Sun, 06 Nov 1994 08:49:37 GMT
    if(s.size() != 29 || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
       s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT")
        return std::nullopt;
    std::size_t wd = 0;
    while(wd < weekdays.size() && weekdays[wd] != s.substr(0, 3))
        ++wd;
    std::size_t mo = 0;
    while(mo < months.size() && months[mo] != s.substr(8, 3))
        ++mo;
    if(wd == weekdays.size() || mo == months.size())
        return std::nullopt;
    auto const day = make_day(digits(s, 12, 4), static_cast<int>(mo + 1), digits(s, 5, 2));
    auto const tod = make_time(digits(s, 17, 2), digits(s, 20, 2), digits(s, 23, 2));
    if(!day || !tod || weekday{*day}.c_encoding() != wd)
        return std::nullopt;
    return to_time_point(sys_time<milliseconds>{*day} + *tod);
}

} // namespace mojasim::core
