// JSON for the Admin API, where amounts are JSON numbers: parse_exact keeps every number's
// text (as a string value) so money never passes through a double, and json_out writes
// decimals as exact numbers.
#pragma once

#include "simulator/core/decimal.hpp"

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mojasim::central {

/// Parse JSON; numbers become strings holding their exact text ("1000", "12.5", "-3e2").
/// Empty on a syntax error.
std::optional<boost::json::value> parse_exact(std::string_view text);

/// A member of an object parsed by parse_exact.
boost::json::value const* member(boost::json::value const& v, std::string_view key) noexcept;

/// A member as text: a string, or a number's text. Empty when absent or of another type.
std::optional<std::string_view> text_of(boost::json::value const& v, std::string_view key) noexcept;

/// A member as an exact decimal (number or numeric string, at most 4 decimals).
std::optional<core::decimal> decimal_of(boost::json::value const& v, std::string_view key) noexcept;

/// A member as a boolean (true/false, or 1/0 as Joi's truthy/falsy allow).
std::optional<bool> bool_of(boost::json::value const& v, std::string_view key) noexcept;

/// A member as a non-negative integer.
std::optional<std::uint64_t> uint_of(boost::json::value const& v, std::string_view key) noexcept;

/// A compact JSON writer with commas placed automatically.
class json_out
{
public:
    json_out& begin_object();
    json_out& end_object();
    json_out& begin_array();
    json_out& end_array();
    json_out& key(std::string_view k);
    json_out& string(std::string_view s);
    json_out& number(core::decimal d);
    json_out& number(std::int64_t n);
    json_out& boolean(bool b);
    json_out& null();

    /// key + value in one call.
    template <class T>
    json_out& field(std::string_view k, T const& v)
    {
        key(k);
        return value(v);
    }

    [[nodiscard]] std::string release() { return std::move(out_); }

private:
    json_out& value(std::string_view s) { return string(s); }
    json_out& value(std::string const& s) { return string(s); }
    json_out& value(char const* s) { return string(s); }
    json_out& value(core::decimal d) { return number(d); }
    json_out& value(bool b) { return boolean(b); }
    template <class I>
        requires std::is_integral_v<I>
    json_out& value(I n)
    {
        return number(static_cast<std::int64_t>(n));
    }
    void prefix();

    std::string out_;
    bool comma_ = false;
};

} // namespace mojasim::central
