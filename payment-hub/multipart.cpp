#include "payment-hub/multipart.hpp"

#include "simulator/net/message.hpp"

#include <algorithm>

namespace mojasim::hub {

namespace {

using net::iequals;

bool istarts_with(std::string_view s, std::string_view prefix) noexcept
{
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::string_view trim(std::string_view s) noexcept
{
    while(!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while(!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

/// Parameters of a header value: `form-data; name="data"; filename="x.csv"`. Values may
/// be quoted strings with backslash escapes. Returns the value of `key` if present.
std::optional<std::string> header_param(std::string_view value, std::string_view key)
{
    std::size_t pos = value.find(';');
    while(pos != std::string_view::npos && pos < value.size())
    {
        ++pos;
        while(pos < value.size() && (value[pos] == ' ' || value[pos] == '\t'))
            ++pos;
        auto const eq = value.find('=', pos);
        if(eq == std::string_view::npos)
            return std::nullopt;
        auto const name = trim(value.substr(pos, eq - pos));
        pos = eq + 1;
        while(pos < value.size() && (value[pos] == ' ' || value[pos] == '\t'))
            ++pos;
        std::string v;
        if(pos < value.size() && value[pos] == '"')
        {
            ++pos;
            while(pos < value.size() && value[pos] != '"')
            {
                if(value[pos] == '\\' && pos + 1 < value.size())
                    ++pos;
                v.push_back(value[pos++]);
            }
            ++pos; // closing quote
            pos = value.find(';', pos);
        }
        else
        {
            auto const end = value.find(';', pos);
            v = std::string(trim(value.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos)));
            pos = end;
        }
        if(iequals(name, key))
            return v;
    }
    return std::nullopt;
}

/// One line of a part's header block, without its line break; advances `pos`.
std::optional<std::string_view> read_line(std::string_view body, std::size_t& pos)
{
    auto const nl = body.find('\n', pos);
    if(nl == std::string_view::npos)
        return std::nullopt;
    auto line = body.substr(pos, nl - pos);
    if(!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    pos = nl + 1;
    return line;
}

} // namespace

bool
is_multipart(std::string_view content_type) noexcept
{
    return istarts_with(trim(content_type), "multipart/");
}

std::optional<std::string>
multipart_boundary(std::string_view content_type)
{
    auto const ct = trim(content_type);
    if(!istarts_with(ct, "multipart/form-data"))
        return std::nullopt;
    auto b = header_param(ct, "boundary");
    // RFC 2046: 1 to 70 characters.
    if(!b || b->empty() || b->size() > 70)
        return std::nullopt;
    return b;
}

std::optional<std::vector<form_part>>
parse_multipart(std::string_view body, std::string_view boundary)
{
    std::string const delimiter = "--" + std::string(boundary);

    // The first delimiter may follow a preamble; it must start a line.
    std::size_t pos = 0;
    if(body.substr(0, delimiter.size()) != delimiter)
    {
        auto const at = body.find("\n" + delimiter);
        if(at == std::string_view::npos)
            return std::nullopt;
        pos = at + 1;
    }

    std::vector<form_part> parts;
    for(;;)
    {
        // At a delimiter: "--boundary--" closes, "--boundary" + line break opens a part.
        pos += delimiter.size();
        if(body.substr(pos, 2) == "--")
            return parts;
        // Transport padding, then the line break.
        while(pos < body.size() && (body[pos] == ' ' || body[pos] == '\t'))
            ++pos;
        if(body.substr(pos, 2) == "\r\n")
            pos += 2;
        else if(body.substr(pos, 1) == "\n")
            pos += 1;
        else
            return std::nullopt;

        form_part part;
        bool form_data = false;
        for(;;)
        {
            auto line = read_line(body, pos);
            if(!line)
                return std::nullopt;
            if(line->empty())
                break;
            auto const colon = line->find(':');
            if(colon == std::string_view::npos)
                return std::nullopt;
            auto const name = trim(line->substr(0, colon));
            auto const value = trim(line->substr(colon + 1));
            if(iequals(name, "Content-Disposition"))
            {
                if(!istarts_with(value, "form-data"))
                    return std::nullopt;
                form_data = true;
                if(auto n = header_param(value, "name"))
                    part.name = std::move(*n);
                part.filename = header_param(value, "filename");
            }
            else if(iequals(name, "Content-Type"))
                part.content_type = std::string(value);
        }
        if(!form_data)
            return std::nullopt;

        // The body runs to the line break before the next delimiter (CRLF, or LF alone).
        auto const next = body.find("\n" + delimiter, pos == 0 ? 0 : pos - 1);
        if(next == std::string_view::npos || next + 1 < pos)
            return std::nullopt;
        auto end = next;
        if(end > pos && body[end - 1] == '\r')
            --end;
        part.body = end >= pos ? body.substr(pos, end - pos) : std::string_view{};
        parts.push_back(std::move(part));
        pos = next + 1;
    }
}

form_part const*
find_part(std::vector<form_part> const& parts, std::string_view name) noexcept
{
    for(auto const& p : parts)
        if(p.name == name)
            return &p;
    return nullptr;
}

} // namespace mojasim::hub
