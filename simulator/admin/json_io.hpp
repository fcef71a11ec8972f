// JSON for the Admin API, where amounts are JSON numbers: parse_exact keeps every number's
// text (as a string value) so money never passes through a double (core::json_writer
// writes decimals as exact numbers).
#pragma once

#include "simulator/core/decimal.hpp"

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mojasim::admin_api {

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

} // namespace mojasim::admin_api
