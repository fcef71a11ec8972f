// One YAML config reader for every file mojasim reads (switch, DFSP, hub and scenario files):
// typed values, unknown keys refused with the known ones listed (a typo must not silently fall
// back to a default), and every problem reported as "<file>:<line>:<column>: <message>".
#pragma once

#include "simulator/core/decimal.hpp"

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mojasim::yaml {

/// A configuration problem; what() is "<file>:<line>:<column>: <message>" (line and column
/// left out when unknown, e.g. "<file>: cannot read the file").
class error : public std::runtime_error
{
public:
    error(std::string const& file, int line, int column, std::string const& message);
    [[nodiscard]] int line() const noexcept { return line_; }
    [[nodiscard]] int column() const noexcept { return column_; }
    /// The message alone, without the position.
    [[nodiscard]] std::string const& message() const noexcept { return message_; }

private:
    int line_;
    int column_;
    std::string message_;
};

/// "unknown key 'prot' in a party (known: id_type, id, ...)": the one wording for unknown keys.
std::string unknown_key(std::string_view key, std::string_view where, std::span<std::string_view const> known);
inline std::string unknown_key(std::string_view key, std::string_view where, std::initializer_list<std::string_view> known)
{
    return unknown_key(key, where, std::span<std::string_view const>(known.begin(), known.size()));
}

/// Load one document; a syntax error is a yaml::error at its position.
YAML::Node load(std::string_view text, std::string const& file);

/// Reads values of one document, turning every problem into a yaml::error at the node.
class reader
{
public:
    explicit reader(std::string file) : file_(std::move(file)) {}

    [[noreturn]] void fail(YAML::Node const& at, std::string const& message) const;

    void require_map(YAML::Node const& n, std::string const& what) const;

    /// Refuses any key of `n` not in `keys`; `where` names the mapping ("the switch config").
    void only_keys(YAML::Node const& n, std::string_view where, std::initializer_list<std::string_view> keys) const;

    std::string text(YAML::Node const& n, std::string const& what) const;
    std::string text_or(YAML::Node const& parent, char const* key, std::string fallback) const;

    core::decimal amount(YAML::Node const& n, std::string const& what) const;
    std::optional<core::decimal> amount_opt(YAML::Node const& parent, char const* key) const;

    bool boolean(YAML::Node const& n, std::string const& what) const;
    bool boolean_or(YAML::Node const& parent, char const* key, bool fallback) const;

    std::uint64_t unsigned_number(YAML::Node const& n, std::string const& what, std::uint64_t max) const;

    template <class T>
    T number_or(YAML::Node const& parent, char const* key, T fallback) const
    {
        auto const n = parent[key];
        if(!n)
            return fallback;
        return static_cast<T>(unsigned_number(n, key, static_cast<std::uint64_t>(std::numeric_limits<T>::max())));
    }

    std::chrono::milliseconds ms_or(YAML::Node const& parent, char const* key, std::chrono::milliseconds fallback) const;
    std::chrono::seconds seconds_or(YAML::Node const& parent, char const* key, std::chrono::seconds fallback) const;

    [[nodiscard]] std::string const& file() const noexcept { return file_; }

private:
    std::string file_;
};

} // namespace mojasim::yaml
