// A minimal compact JSON writer that appends to a std::string. The encoders of this library
// write bodies field by field in the wire order, so a DOM (and its allocations) is not needed.
// Internal to simulator/fspiop.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace mojasim::fspiop::detail {

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

/// Append `s` as a JSON string literal (with quotes). Escapes '"', '\\' and control
/// characters the way JSON.stringify does; UTF-8 passes through unchanged. Runs of bytes
/// that need no escape are appended whole.
inline void append_json_string(std::string& out, std::string_view s)
{
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    std::size_t run = 0; // start of the current run of characters that need no escape
    for(;;)
    {
        std::size_t const i = find_json_escape(s, run);
        out.append(s.data() + run, i - run);
        if(i == s.size())
            break;
        run = i + 1;
        auto const c = static_cast<unsigned char>(s[i]);
        switch(c)
        {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xF];
            break;
        }
    }
    out += '"';
}

/// Writes objects, arrays, keys and string values; commas are placed automatically.
class json_writer
{
public:
    explicit json_writer(std::string& out) noexcept : out_(out) {}

    void begin_object()
    {
        prefix();
        out_ += '{';
        comma_ = false;
    }

    void end_object()
    {
        out_ += '}';
        comma_ = true;
    }

    void begin_array()
    {
        prefix();
        out_ += '[';
        comma_ = false;
    }

    void end_array()
    {
        out_ += ']';
        comma_ = true;
    }

    /// An object key; the next call writes its value.
    void key(std::string_view k)
    {
        prefix();
        append_json_string(out_, k);
        out_ += ':';
        comma_ = false;
    }

    void string(std::string_view v)
    {
        prefix();
        append_json_string(out_, v);
        comma_ = true;
    }

    /// key + string value.
    void member(std::string_view k, std::string_view v)
    {
        key(k);
        string(v);
    }

    /// key + string value, skipped when the value is empty (an absent optional field).
    void optional_member(std::string_view k, std::string_view v)
    {
        if(!v.empty())
            member(k, v);
    }

    /// key + an object started; the caller writes members and calls end_object().
    void begin_object(std::string_view k)
    {
        key(k);
        begin_object();
    }

    void begin_array(std::string_view k)
    {
        key(k);
        begin_array();
    }

    [[nodiscard]] std::string& out() noexcept { return out_; }

private:
    void prefix()
    {
        if(comma_)
            out_ += ',';
    }

    std::string& out_;
    bool comma_ = false;
};

} // namespace mojasim::fspiop::detail
