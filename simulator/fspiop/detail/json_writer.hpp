// A minimal compact JSON writer that appends to a std::string. The encoders of this library
// write bodies field by field in the wire order, so a DOM (and its allocations) is not needed.
// Internal to simulator/fspiop.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mojasim::fspiop::detail {

/// Append `s` as a JSON string literal (with quotes). Escapes '"', '\\' and control
/// characters the way JSON.stringify does; UTF-8 passes through unchanged.
inline void append_json_string(std::string& out, std::string_view s)
{
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    std::size_t run = 0; // start of the current run of characters that need no escape
    for(std::size_t i = 0; i < s.size(); ++i)
    {
        auto const c = static_cast<unsigned char>(s[i]);
        if(c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
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
    out.append(s.data() + run, s.size() - run);
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
