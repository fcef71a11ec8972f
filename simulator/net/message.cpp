#include "simulator/net/message.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <functional>
#include <ostream>

namespace mojasim::net {

namespace {

constexpr char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

/// RFC 9110 token characters (field names).
constexpr auto token_chars = [] {
    std::array<bool, 256> t{};
    for(int c = '0'; c <= '9'; ++c)
        t[static_cast<std::size_t>(c)] = true;
    for(int c = 'a'; c <= 'z'; ++c)
        t[static_cast<std::size_t>(c)] = t[static_cast<std::size_t>(c - 'a' + 'A')] = true;
    for(char const c : std::string_view{"!#$%&'*+-.^_`|~"})
        t[static_cast<unsigned char>(c)] = true;
    return t;
}();

constexpr bool is_value_byte(unsigned char u) noexcept
{
    return (u >= 0x20 || u == '\t') && u != 0x7f;
}

constexpr std::uint64_t ones = 0x0101010101010101ULL;
constexpr std::uint64_t highs = 0x8080808080808080ULL;

/// Whether any byte of `x` is below 0x20 or is 0x7f (HTAB among them; the caller looks at
/// those eight bytes one by one). The high bit of each byte of `(x - n) & ~x & highs` is set
/// for a byte below n when no byte borrowed before it; the first such byte always sets it,
/// so the test as a whole has no false negative (and bytes from 0x80 never count).
constexpr bool may_have_control(std::uint64_t x) noexcept
{
    std::uint64_t const below = (x - ones * 0x20) & ~x & highs;
    std::uint64_t const y = x ^ (ones * 0x7f); // a DEL byte becomes zero
    std::uint64_t const del = (y - ones) & ~y & highs;
    return (below | del) != 0;
}

constexpr std::array<std::string_view, 8> method_names = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "UNKNOWN"};

} // namespace

std::uint64_t next_exchange_id() noexcept
{
    static std::atomic<std::uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
}

std::string_view to_string(method m) noexcept
{
    return method_names[static_cast<std::size_t>(m)];
}

method method_from_string(std::string_view s) noexcept
{
    for(std::size_t i = 0; i + 1 < method_names.size(); ++i)
        if(method_names[i] == s)
            return static_cast<method>(i);
    return method::unknown;
}

bool iequals(std::string_view a, std::string_view b) noexcept
{
    if(a.size() != b.size())
        return false;
    // Most names arrive in the case they are asked for (our own actors write them so).
    if(a == b)
        return true;
    for(std::size_t i = 0; i < a.size(); ++i)
        if(lower(a[i]) != lower(b[i]))
            return false;
    return true;
}

bool is_field_name(std::string_view name) noexcept
{
    if(name.empty())
        return false;
    for(char const c : name)
        if(!token_chars[static_cast<unsigned char>(c)])
            return false;
    return true;
}

bool is_field_value(std::string_view value) noexcept
{
    auto const* p = value.data();
    auto const* const end = p + value.size();
    for(; end - p >= 8; p += 8)
    {
        std::uint64_t x;
        std::memcpy(&x, p, 8);
        if(!may_have_control(x))
            continue;
        for(int i = 0; i < 8; ++i)
            if(!is_value_byte(static_cast<unsigned char>(p[i])))
                return false;
    }
    for(; p != end; ++p)
        if(!is_value_byte(static_cast<unsigned char>(*p)))
            return false;
    return true;
}

std::optional<std::string_view> headers::get(std::string_view name) const noexcept
{
    for(std::size_t i = 0; i < entries_.size(); ++i)
    {
        if(entries_[i].name_size != name.size())
            continue;
        auto const f = at(i);
        if(iequals(f.name, name))
            return f.value;
    }
    return std::nullopt;
}

std::string_view headers::value_or(std::string_view name, std::string_view fallback) const noexcept
{
    auto v = get(name);
    return v ? *v : fallback;
}

bool headers::views_self(std::string_view s) const noexcept
{
    std::less<char const*> const before;
    return !s.empty() && !before(s.data(), text_.data()) && before(s.data(), text_.data() + text_.size());
}

std::uint32_t headers::store(std::string_view s)
{
    auto const at = static_cast<std::uint32_t>(text_.size());
    text_.append(s);
    return at;
}

void headers::set(std::string_view name, std::string_view value)
{
    for(std::size_t i = 0; i < entries_.size(); ++i)
    {
        if(!iequals(name_of(entries_[i]), name))
            continue;
        if(views_self(value))
        {
            set(name, std::string(value));
            return;
        }
        entries_[i].value_at = store(value);
        entries_[i].value_size = static_cast<std::uint32_t>(value.size());
        // drop any further values of the same field
        auto const rest = entries_.begin() + static_cast<std::ptrdiff_t>(i) + 1;
        entries_.erase(std::remove_if(rest, entries_.end(), [&](entry const& e) { return iequals(name_of(e), name); }),
                       entries_.end());
        return;
    }
    add(name, value);
}

void headers::add(std::string_view name, std::string_view value)
{
    // A name or value viewed from these headers (copying one field to another) is read before
    // text_ grows and moves.
    if(views_self(name) || views_self(value))
    {
        add(std::string(name), std::string(value));
        return;
    }
    entry e;
    e.name_size = static_cast<std::uint32_t>(name.size());
    e.value_size = static_cast<std::uint32_t>(value.size());
    text_.reserve(text_.size() + name.size() + value.size());
    e.name_at = store(name);
    e.value_at = store(value);
    entries_.push_back(e);
}

void headers::erase(std::string_view name) noexcept
{
    entries_.erase(std::remove_if(entries_.begin(), entries_.end(), [&](entry const& e) { return iequals(name_of(e), name); }),
                   entries_.end());
}

void headers::reserve(std::size_t n)
{
    entries_.reserve(n);
    text_.reserve(n * 48);
}

std::string_view path_params::get(std::string_view name) const noexcept
{
    for(auto const& [k, v] : params_)
        if(k == name)
            return v;
    return {};
}

bool path_params::contains(std::string_view name) const noexcept
{
    for(auto const& p : params_)
        if(p.first == name)
            return true;
    return false;
}

std::string_view request::path() const noexcept
{
    std::string_view t = target;
    return t.substr(0, t.find('?'));
}

std::string_view request::query() const noexcept
{
    std::string_view t = target;
    auto const q = t.find('?');
    return q == std::string_view::npos ? std::string_view{} : t.substr(q + 1);
}

std::optional<std::string> request::query_param(std::string_view name) const
{
    std::string_view q = query();
    while(!q.empty())
    {
        auto const amp = q.find('&');
        std::string_view pair = q.substr(0, amp);
        q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
        auto const eq = pair.find('=');
        auto const key = percent_decode(pair.substr(0, eq), true);
        if(key && *key == name)
            return eq == std::string_view::npos ? std::string{} : percent_decode(pair.substr(eq + 1), true);
    }
    return std::nullopt;
}

response make_response(unsigned status, std::string body, std::string_view content_type)
{
    response r;
    r.status = status;
    r.fields.add("Content-Type", std::string(content_type));
    r.body = std::move(body);
    return r;
}

std::ostream& operator<<(std::ostream& os, response const& r)
{
    os << "HTTP " << r.status << ' ' << std::string_view(r.body).substr(0, 200);
    return os;
}

response make_empty(unsigned status)
{
    response r;
    r.status = status;
    return r;
}

} // namespace mojasim::net
