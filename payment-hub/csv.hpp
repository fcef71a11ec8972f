// An RFC 4180 CSV reader: records end with CRLF, LF or CR; fields are separated by commas;
// a quoted field may hold commas, doubled quotes and line breaks. It reads one record at a
// time into a caller-owned vector, so a 10,000-row file never exists twice in memory.
//
// Leniencies, as Python's csv module (which writes OpenG2P's files) and Jackson's reader
// have them: a quote inside an unquoted field is a plain character, text after a closing
// quote is appended to the field, and empty lines are skipped.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mojasim::hub {

class csv_reader
{
public:
    explicit csv_reader(std::string_view text) noexcept : text_(text) {}

    /// Read the next record into `fields` (reusing its strings). False at the end of input.
    /// A record whose quoted field runs to the end of input is returned with
    /// last_record_unterminated() true.
    bool next(std::vector<std::string>& fields);

    /// The last record read ended inside a quoted field (a broken file).
    [[nodiscard]] bool last_record_unterminated() const noexcept { return unterminated_; }

    /// 1-based line on which the last record read began.
    [[nodiscard]] std::size_t record_line() const noexcept { return record_line_; }

    /// Bytes not yet read.
    [[nodiscard]] std::string_view rest() const noexcept { return text_.substr(pos_); }

private:
    /// Append to `field` the text from the current position (whose first character is taken
    /// as it is) up to `stop` or a line break, and move past it.
    void append_run(std::string& field, char stop);

    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
    std::size_t record_line_ = 0;
    bool unterminated_ = false;
};

/// The first line of `text` without its line break (what PH-EE's naive header check reads).
std::string_view first_line(std::string_view text) noexcept;

/// Java's String.split(","): naive, no quoting, trailing empty strings removed.
std::vector<std::string_view> split_naive(std::string_view line);

} // namespace mojasim::hub
