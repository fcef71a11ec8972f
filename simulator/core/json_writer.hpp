// mojasim's one JSON writer. The encoders of simulator/fspiop and simulator/connector write
// bodies field by field in the wire order, and the Admin API writes its answers, so a DOM (and
// its allocations) is not needed. Every JSON text mojasim composes by hand goes through it, so
// every body escapes alike.
#pragma once

#include "simulator/core/decimal.hpp"

#include <algorithm>
#include <bit>
#include <cassert>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace mojasim::core {

/// True for the bytes a JSON string must escape: '"', '\\' and the controls below 0x20.
constexpr bool needs_json_escape(unsigned char c) noexcept
{
    return c < 0x20 || c == '"' || c == '\\';
}

/// Index of the first byte at or after `i` that needs an escape, or s.size(). Reads eight
/// bytes per step: a byte is flagged when it is below 0x20 or equal to '"' or '\\'
/// (the classic "has less / has zero byte" tests). Borrows can only flag bytes above a
/// really flagged one, so the lowest flag is exact.
inline std::size_t find_json_escape(std::string_view s, std::size_t i) noexcept
{
    if constexpr(std::endian::native == std::endian::little)
    {
        constexpr std::uint64_t ones = 0x0101010101010101U;
        constexpr std::uint64_t highs = 0x8080808080808080U;
        for(; i + 8 <= s.size(); i += 8)
        {
            std::uint64_t w = 0;
            std::memcpy(&w, s.data() + i, sizeof w);
            std::uint64_t const quote = w ^ (ones * '"');
            std::uint64_t const backslash = w ^ (ones * '\\');
            // The high bits of ~w, ~quote and ~backslash agree: '"' and '\\' are ASCII.
            std::uint64_t const hits = ((w - ones * 0x20) | (quote - ones) | (backslash - ones)) & ~w & highs;
            if(hits != 0)
                return i + static_cast<std::size_t>(std::countr_zero(hits)) / 8;
        }
    }
    for(; i < s.size(); ++i)
        if(needs_json_escape(static_cast<unsigned char>(s[i])))
            return i;
    return s.size();
}

/// A compact JSON writer that owns its text.
/// It writes through a raw pointer into a buffer sized from the caller's estimate and grows
/// it only when a write would not fit, so short members cost a few stores rather than
/// std::string appends. Commas are placed automatically: a value or key needs one unless it
/// is the first inside its object or array (or follows a key). Strings are escaped as
/// JSON.stringify and boost::json::serialize do: '"', '\\', named escapes for \b \f \n \r \t,
/// \u00xx (lower-case hex) for the other controls, all else (UTF-8 included) as is.
class json_writer
{
public:
    /// `estimate` is the expected size of the text. The buffer is zero-filled once at this
    /// size (std::string has no uninitialized resize before C++23), so estimates should stay
    /// near the real size; text that outgrows one (many escapes) doubles the buffer.
    explicit json_writer(std::size_t estimate = 256)
    {
        out_.resize(estimate);
        next_ = out_.data();
        end_ = next_ + out_.size();
    }

    json_writer(json_writer const&) = delete;
    json_writer& operator=(json_writer const&) = delete;

    /// The text written; the writer is spent.
    [[nodiscard]] std::string finish() &&
    {
        out_.resize(used());
        return std::move(out_);
    }

    json_writer& begin_object()
    {
        room(2);
        comma();
        *next_++ = '{';
        first_ = true;
        return *this;
    }

    json_writer& end_object()
    {
        room(1);
        *next_++ = '}';
        first_ = false;
        return *this;
    }

    json_writer& begin_array()
    {
        room(2);
        comma();
        *next_++ = '[';
        first_ = true;
        return *this;
    }

    json_writer& end_array()
    {
        room(1);
        *next_++ = ']';
        first_ = false;
        return *this;
    }

    /// A key that is a literal wire name: plain ASCII, never escaped. The next call writes
    /// its value.
    json_writer& key(std::string_view k)
    {
        assert(find_json_escape(k, 0) == k.size());
        room(k.size() + 4);
        comma();
        *next_++ = '"';
        std::memcpy(next_, k.data(), k.size());
        next_ += k.size();
        *next_++ = '"';
        *next_++ = ':';
        first_ = true;
        return *this;
    }

    /// A key from data (a header name): escaped like any string.
    json_writer& any_key(std::string_view k)
    {
        room(1);
        comma();
        quoted(k);
        room(1);
        *next_++ = ':';
        first_ = true;
        return *this;
    }

    json_writer& string(std::string_view v)
    {
        room(1);
        comma();
        quoted(v);
        first_ = false;
        return *this;
    }

    json_writer& boolean(bool v)
    {
        return raw(v ? std::string_view("true") : std::string_view("false"));
    }

    json_writer& null() { return raw("null"); }

    json_writer& integer(std::int64_t v)
    {
        room(21);
        comma();
        next_ = std::to_chars(next_, next_ + 20, v).ptr;
        first_ = false;
        return *this;
    }

    /// An exact decimal as a JSON number ("1000", "12.5"): the Admin API's amounts.
    json_writer& number(decimal d) { return raw(d.to_string()); }

    /// key + string value.
    json_writer& member(std::string_view k, std::string_view v) { return key(k).string(v); }

    /// key + string value, skipped when the value is empty (an absent FSPIOP optional field).
    json_writer& optional_member(std::string_view k, std::string const& v)
    {
        if(!v.empty())
            member(k, v);
        return *this;
    }

    /// key + string value, skipped when there is none (an empty string is still written).
    json_writer& optional_member(std::string_view k, std::optional<std::string> const& v)
    {
        if(v)
            member(k, *v);
        return *this;
    }

    /// key + a value by its type: a string, an exact decimal (a number), a bool, an integer.
    json_writer& field(std::string_view k, std::string_view v) { return key(k).string(v); }
    json_writer& field(std::string_view k, std::string const& v) { return key(k).string(v); }
    json_writer& field(std::string_view k, char const* v) { return key(k).string(v); }
    json_writer& field(std::string_view k, decimal v) { return key(k).number(v); }
    json_writer& field(std::string_view k, bool v) { return key(k).boolean(v); }
    template <class I>
        requires(std::is_integral_v<I> && !std::is_same_v<I, bool>)
    json_writer& field(std::string_view k, I v)
    {
        return key(k).integer(static_cast<std::int64_t>(v));
    }

    /// key + an object started; the caller writes members and calls end_object().
    json_writer& begin_object(std::string_view k) { return key(k).begin_object(); }

    json_writer& begin_array(std::string_view k) { return key(k).begin_array(); }

private:
    /// A value written as is (true, null, a number's text).
    json_writer& raw(std::string_view text)
    {
        room(text.size() + 1);
        comma();
        std::memcpy(next_, text.data(), text.size());
        next_ += text.size();
        first_ = false;
        return *this;
    }

    [[nodiscard]] std::size_t used() const noexcept { return static_cast<std::size_t>(next_ - out_.data()); }

    /// Make room for `n` more bytes.
    void room(std::size_t n)
    {
        if(static_cast<std::size_t>(end_ - next_) < n)
            grow(n);
    }

    void grow(std::size_t n)
    {
        auto const at = used();
        out_.resize(std::max(2 * out_.size(), at + n));
        next_ = out_.data() + at;
        end_ = out_.data() + out_.size();
    }

    void comma() noexcept
    {
        if(!first_)
            *next_++ = ',';
    }

    /// `s` as a JSON string literal. Runs that need no escape are copied whole.
    void quoted(std::string_view s)
    {
        static constexpr char hex[] = "0123456789abcdef";
        // Invariant: there is room for the rest of `s` unescaped and the closing quote.
        room(s.size() + 2);
        *next_++ = '"';
        std::size_t run = 0;
        for(;;)
        {
            std::size_t const i = find_json_escape(s, run);
            std::memcpy(next_, s.data() + run, i - run);
            next_ += i - run;
            if(i == s.size())
                break;
            run = i + 1;
            room(6 + (s.size() - run) + 1);
            auto const c = static_cast<unsigned char>(s[i]);
            *next_++ = '\\';
            switch(c)
            {
            case '"': *next_++ = '"'; break;
            case '\\': *next_++ = '\\'; break;
            case '\b': *next_++ = 'b'; break;
            case '\f': *next_++ = 'f'; break;
            case '\n': *next_++ = 'n'; break;
            case '\r': *next_++ = 'r'; break;
            case '\t': *next_++ = 't'; break;
            default:
                *next_++ = 'u';
                *next_++ = '0';
                *next_++ = '0';
                *next_++ = hex[c >> 4];
                *next_++ = hex[c & 0xF];
                break;
            }
        }
        *next_++ = '"';
    }

    std::string out_;
    char* next_ = nullptr;
    char* end_ = nullptr;
    bool first_ = true;
};

} // namespace mojasim::core
