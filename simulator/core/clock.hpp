// Time: a clock interface so expiry is testable without sleeping, and the two wire
// formats of time that FSPIOP uses (DateTime and the HTTP Date header).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mojasim::core {

using time_point = std::chrono::system_clock::time_point;
using milliseconds = std::chrono::milliseconds;

class clock
{
public:
    virtual ~clock() = default;
    [[nodiscard]] virtual time_point now() const = 0;
};

/// The real UTC wall clock.
class system_clock final : public clock
{
public:
    [[nodiscard]] time_point now() const override { return std::chrono::system_clock::now(); }
    static system_clock& instance();
};

/// A clock that moves only when told to (tests, deterministic scenarios).
class manual_clock final : public clock
{
public:
    explicit manual_clock(time_point start = time_point{std::chrono::seconds{1700000000}}) : now_(start) {}
    [[nodiscard]] time_point now() const override { return now_; }
    void advance(milliseconds d) { now_ += d; }
    void set(time_point t) { now_ = t; }

private:
    time_point now_;
};

/// FSPIOP DateTime in UTC with milliseconds: "2016-05-24T08:38:08.699Z".
std::string format_datetime(time_point t);

/// Parse FSPIOP DateTime: yyyy-MM-ddTHH:mm:ss.SSS then 'Z' or +hh:mm / -hh:mm, exactly three
/// fraction digits, calendar-checked. The offset is applied, so the result is UTC.
std::optional<time_point> parse_datetime(std::string_view s) noexcept;

/// Calendar-checked yyyy-MM-dd (FSPIOP Date).
bool is_date(std::string_view s) noexcept;

/// IMF-fixdate (RFC 7231): "Sun, 06 Nov 1994 08:49:37 GMT".
std::string format_http_date(time_point t);
std::optional<time_point> parse_http_date(std::string_view s) noexcept;

/// Milliseconds since the Unix epoch.
inline std::int64_t unix_ms(time_point t)
{
    return std::chrono::duration_cast<milliseconds>(t.time_since_epoch()).count();
}

} // namespace mojasim::core
