#include "payment-hub/csv.hpp"

namespace mojasim::hub {

void
csv_reader::append_run(std::string& field, char stop)
{
    auto end = pos_ + 1;
    while(end < text_.size() && text_[end] != stop && text_[end] != '\r' && text_[end] != '\n')
        ++end;
    field.append(text_.substr(pos_, end - pos_));
    pos_ = end;
}

bool
csv_reader::next(std::vector<std::string>& fields)
{
    unterminated_ = false;

    // Skip empty lines between records (and a trailing line break at the end).
    while(pos_ < text_.size() && (text_[pos_] == '\r' || text_[pos_] == '\n'))
    {
        if(text_[pos_] == '\n' || (text_[pos_] == '\r' && (pos_ + 1 >= text_.size() || text_[pos_ + 1] != '\n')))
            ++line_;
        ++pos_;
    }
    if(pos_ >= text_.size())
        return false;

    record_line_ = line_;
    std::size_t count = 0;
    auto field = [&]() -> std::string& {
        if(count == fields.size())
            fields.emplace_back();
        auto& f = fields[count++];
        f.clear();
        return f;
    };

    std::string* current = &field();
    bool quoted = false;
    bool in_quotes = false;
    while(pos_ < text_.size())
    {
        char const c = text_[pos_];
        if(in_quotes)
        {
            if(c == '"')
            {
                if(pos_ + 1 < text_.size() && text_[pos_ + 1] == '"')
                {
                    current->push_back('"');
                    pos_ += 2;
                    continue;
                }
                in_quotes = false;
                ++pos_;
                continue;
            }
            if(c == '\n' || c == '\r')
            {
                if(c == '\n' || pos_ + 1 >= text_.size() || text_[pos_ + 1] != '\n')
                    ++line_;
                current->push_back(c);
                ++pos_;
                continue;
            }
            // A run up to the next quote or line break, appended whole.
            append_run(*current, '"');
            continue;
        }
        if(c == ',')
        {
            ++pos_;
            current = &field();
            quoted = false;
            continue;
        }
        if(c == '\r' || c == '\n')
        {
            // End of record: CRLF, LF or a lone CR.
            ++pos_;
            if(c == '\r' && pos_ < text_.size() && text_[pos_] == '\n')
                ++pos_;
            ++line_;
            break;
        }
        if(c == '"' && current->empty() && !quoted)
        {
            quoted = true;
            in_quotes = true;
            ++pos_;
            continue;
        }
        // A run up to the next separator or line break, appended whole: after its first
        // character the field is not empty, so a quote inside it is an ordinary character.
        append_run(*current, ',');
    }
    unterminated_ = in_quotes;
    fields.resize(count);
    return true;
}

std::string_view
first_line(std::string_view text) noexcept
{
    auto const end = text.find_first_of("\r\n");
    return end == std::string_view::npos ? text : text.substr(0, end);
}

std::vector<std::string_view>
split_naive(std::string_view line)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for(;;)
    {
        auto const comma = line.find(',', start);
        if(comma == std::string_view::npos)
        {
            parts.push_back(line.substr(start));
            break;
        }
        parts.push_back(line.substr(start, comma - start));
        start = comma + 1;
    }
    while(!parts.empty() && parts.back().empty())
        parts.pop_back();
    return parts;
}

} // namespace mojasim::hub
