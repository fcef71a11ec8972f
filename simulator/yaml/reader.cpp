#include "simulator/yaml/reader.hpp"

#include <algorithm>

namespace mojasim::yaml {

namespace {

std::string position_prefix(std::string const& file, int line, int column)
{
    if(line <= 0)
        return file + ": ";
    if(column <= 0)
        return file + ":" + std::to_string(line) + ": ";
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
}

} // namespace

error::error(std::string const& file, int line, int column, std::string const& message)
    : std::runtime_error(position_prefix(file, line, column) + message), line_(line), column_(column), message_(message)
{
}

std::string unknown_key(std::string_view key, std::string_view where, std::span<std::string_view const> known)
{
    std::string list;
    for(auto k : known)
        list.append(list.empty() ? "" : ", ").append(k);
    return "unknown key '" + std::string(key) + "' in " + std::string(where) + " (known: " + list + ")";
}

YAML::Node load(std::string_view text, std::string const& file)
{
    try
    {
        return YAML::Load(std::string(text));
    }
    catch(YAML::Exception const& e)
    {
        throw error(file, e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1, e.msg);
    }
}

void reader::fail(YAML::Node const& at, std::string const& message) const
{
    auto const mark = at.Mark();
    throw error(file_, mark.is_null() ? 0 : mark.line + 1, mark.is_null() ? 0 : mark.column + 1, message);
}

void reader::require_map(YAML::Node const& n, std::string const& what) const
{
    if(!n.IsMap())
        fail(n, what + " must be a mapping");
}

void reader::only_keys(YAML::Node const& n, std::string_view where, std::initializer_list<std::string_view> keys) const
{
    for(auto const& kv : n)
    {
        // A key that is itself a mapping or a list ("{[a]: 1}") has no text to compare: it is
        // an input error like any unknown key, not a yaml-cpp conversion exception.
        if(!kv.first.IsScalar())
            fail(kv.first, "a key in " + std::string(where) + " must be text");
        auto const key = kv.first.Scalar();
        if(std::find(keys.begin(), keys.end(), key) == keys.end())
            fail(kv.first, unknown_key(key, where, keys));
    }
}

std::string reader::text(YAML::Node const& n, std::string const& what) const
{
    if(!n.IsScalar())
        fail(n, what + " must be a scalar");
    return n.Scalar();
}

std::string reader::text_or(YAML::Node const& parent, char const* key, std::string fallback) const
{
    auto const n = parent[key];
    return n ? text(n, key) : fallback;
}

core::decimal reader::amount(YAML::Node const& n, std::string const& what) const
{
    auto const d = core::decimal::parse(text(n, what));
    if(!d)
        fail(n, what + " must be a decimal amount with at most 4 decimals");
    return *d;
}

std::optional<core::decimal> reader::amount_opt(YAML::Node const& parent, char const* key) const
{
    auto const n = parent[key];
    if(!n)
        return std::nullopt;
    return amount(n, key);
}

bool reader::boolean(YAML::Node const& n, std::string const& what) const
{
    auto const s = text(n, what);
    if(s == "true" || s == "yes" || s == "on")
        return true;
    if(s == "false" || s == "no" || s == "off")
        return false;
    fail(n, what + " must be true or false");
}

bool reader::boolean_or(YAML::Node const& parent, char const* key, bool fallback) const
{
    auto const n = parent[key];
    return n ? boolean(n, key) : fallback;
}

std::uint64_t reader::unsigned_number(YAML::Node const& n, std::string const& what, std::uint64_t max) const
{
    auto const s = text(n, what);
    if(s.empty() || s.size() > 18 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        fail(n, what + " must be a whole number");
    auto const v = std::stoull(s);
    if(v > max)
        fail(n, what + " must be at most " + std::to_string(max));
    return v;
}

std::chrono::milliseconds reader::ms_or(YAML::Node const& parent, char const* key, std::chrono::milliseconds fallback) const
{
    auto const n = parent[key];
    if(!n)
        return fallback;
    return std::chrono::milliseconds(static_cast<std::int64_t>(unsigned_number(n, key, 86'400'000ull * 365)));
}

std::chrono::seconds reader::seconds_or(YAML::Node const& parent, char const* key, std::chrono::seconds fallback) const
{
    auto const n = parent[key];
    if(!n)
        return fallback;
    return std::chrono::seconds(static_cast<std::int64_t>(unsigned_number(n, key, 86'400ull * 365)));
}

} // namespace mojasim::yaml
