// libFuzzer target: the hub's RFC 4180 CSV reader (payment-hub/csv.hpp) and the row reader of
// an accepted CSV upload (payment-hub/upload.hpp), on any text. Every record consumes input,
// so the reader always ends.
#include "payment-hub/csv.hpp"
#include "payment-hub/upload.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace hub = mojasim::hub;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    std::string_view const text(reinterpret_cast<char const*>(data), size);

    hub::csv_reader reader(text);
    std::vector<std::string> fields;
    std::size_t left = text.size();
    std::size_t line = 0;
    while(reader.next(fields))
    {
        if(fields.empty() || reader.rest().size() >= left || reader.record_line() <= line)
            std::abort();
        left = reader.rest().size();
        line = reader.record_line();
    }
    (void)hub::split_naive(hub::first_line(text));

    hub::accepted_upload upload;
    upload.csv = text;
    std::size_t rows = 0;
    hub::for_each_row(upload, [&rows](hub::input_row const&) { ++rows; });
    return 0;
}
