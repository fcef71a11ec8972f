// RFC 4180 CSV and multipart/form-data parsing, as OpenG2P's uploads need them.
#include "payment-hub/csv.hpp"
#include "payment-hub/multipart.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

using namespace mojasim::hub;
using rows = std::vector<std::vector<std::string>>;

namespace {

rows read_all(std::string_view text, bool* unterminated = nullptr)
{
    csv_reader r(text);
    rows out;
    std::vector<std::string> fields;
    while(r.next(fields))
    {
        out.push_back(fields);
        if(unterminated)
            *unterminated = r.last_record_unterminated();
    }
    return out;
}

} // namespace

TEST_CASE("csv: CRLF, LF and CR line ends give the same records", "[hub][csv]")
{
    rows const want{{"id", "amount"}, {"0", "50.0"}, {"1", "10"}};
    CHECK(read_all("id,amount\r\n0,50.0\r\n1,10\r\n") == want);
    CHECK(read_all("id,amount\n0,50.0\n1,10") == want);
    CHECK(read_all("id,amount\r0,50.0\r1,10\r") == want);
}

TEST_CASE("csv: quoted fields hold commas, doubled quotes and line breaks", "[hub][csv]")
{
    auto const r = read_all("a,b,c\r\n1,\"Program: Food, Shelter\",\"say \"\"hi\"\"\"\r\n2,\"two\r\nlines\",\"\"\r\n");
    REQUIRE(r.size() == 3);
    CHECK(r[1] == std::vector<std::string>{"1", "Program: Food, Shelter", "say \"hi\""});
    CHECK(r[2] == std::vector<std::string>{"2", "two\r\nlines", ""});
}

TEST_CASE("csv: empty fields, empty lines and lenient quotes", "[hub][csv]")
{
    CHECK(read_all("a,,c\n,,\n") == rows{{"a", "", "c"}, {"", "", ""}});
    CHECK(read_all("a\n\n\r\nb\n") == rows{{"a"}, {"b"}});
    // A quote inside an unquoted field is a plain character; text after a closing quote is kept.
    CHECK(read_all("ab\"c,\"x\"y\n") == rows{{"ab\"c", "xy"}});
    CHECK(read_all("").empty());
}

TEST_CASE("csv: a quoted field that never ends marks its record", "[hub][csv]")
{
    bool unterminated = false;
    auto const r = read_all("a,b\n1,\"open\n2,3\n", &unterminated);
    REQUIRE(r.size() == 2);
    CHECK(unterminated);
    CHECK(r[1] == std::vector<std::string>{"1", "open\n2,3\n"});
}

TEST_CASE("csv: the record line counts quoted line breaks", "[hub][csv]")
{
    csv_reader r("h\r\n\"a\r\nb\"\r\nc\r\n");
    std::vector<std::string> f;
    REQUIRE(r.next(f));
    CHECK(r.record_line() == 1);
    REQUIRE(r.next(f));
    CHECK(r.record_line() == 2);
    REQUIRE(r.next(f));
    CHECK(r.record_line() == 4);
    CHECK_FALSE(r.next(f));
}

namespace {

// The reader as it was before it appended runs: one character at a time. What the reader
// returns must not depend on how it copies.
struct reference_record
{
    std::vector<std::string> fields;
    bool unterminated = false;
    std::size_t line = 0;
    friend bool operator==(reference_record const&, reference_record const&) = default;
};

std::vector<reference_record> read_by_character(std::string_view t)
{
    std::vector<reference_record> out;
    std::size_t pos = 0, line = 1;
    for(;;)
    {
        while(pos < t.size() && (t[pos] == '\r' || t[pos] == '\n'))
        {
            if(t[pos] == '\n' || pos + 1 >= t.size() || t[pos + 1] != '\n')
                ++line;
            ++pos;
        }
        if(pos >= t.size())
            return out;
        reference_record r;
        r.line = line;
        r.fields.emplace_back();
        bool quoted = false, in_quotes = false;
        while(pos < t.size())
        {
            char const c = t[pos];
            auto& cur = r.fields.back();
            if(in_quotes)
            {
                if(c == '"')
                {
                    if(pos + 1 < t.size() && t[pos + 1] == '"')
                    {
                        cur.push_back('"');
                        pos += 2;
                        continue;
                    }
                    in_quotes = false;
                    ++pos;
                    continue;
                }
                if(c == '\n' || (c == '\r' && (pos + 1 >= t.size() || t[pos + 1] != '\n')))
                    ++line;
                cur.push_back(c);
                ++pos;
                continue;
            }
            if(c == ',')
            {
                ++pos;
                r.fields.emplace_back();
                quoted = false;
                continue;
            }
            if(c == '\r' || c == '\n')
            {
                ++pos;
                if(c == '\r' && pos < t.size() && t[pos] == '\n')
                    ++pos;
                ++line;
                break;
            }
            if(c == '"' && cur.empty() && !quoted)
            {
                quoted = in_quotes = true;
                ++pos;
                continue;
            }
            cur.push_back(c);
            ++pos;
        }
        r.unterminated = in_quotes;
        out.push_back(std::move(r));
    }
}

} // namespace

TEST_CASE("csv: the reader gives what a character-by-character reader gives, on random text", "[hub][csv]")
{
    // Text of separators, quotes, line breaks and a few letters: every branch of the reader,
    // in every order, many times over.
    static constexpr char alphabet[] = {'a', 'b', ',', '"', '\r', '\n', ' '};
    std::uint32_t state = 12345;
    auto next = [&state] {
        state = state * 1664525U + 1013904223U;
        return state >> 16;
    };
    for(int round = 0; round < 20000; ++round)
    {
        std::string text(next() % 24, ' ');
        for(auto& ch : text)
            ch = alphabet[next() % sizeof alphabet];
        std::vector<reference_record> got;
        csv_reader r(text);
        std::vector<std::string> fields;
        while(r.next(fields))
            got.push_back({fields, r.last_record_unterminated(), r.record_line()});
        auto const want = read_by_character(text);
        INFO("text: " << text);
        REQUIRE(got == want);
    }
}

TEST_CASE("csv: PH-EE's naive header split drops trailing empty columns", "[hub][csv]")
{
    CHECK(first_line("id,amount\r\n0,1") == "id,amount");
    CHECK(first_line("only") == "only");
    CHECK(split_naive("a,b,,") == std::vector<std::string_view>{"a", "b"});
    CHECK(split_naive("a,,b") == std::vector<std::string_view>{"a", "", "b"});
    CHECK(split_naive("\"a,b\"") == std::vector<std::string_view>{"\"a", "b\""});
}

TEST_CASE("multipart: the boundary comes from the Content-Type, quoted or not", "[hub][multipart]")
{
    CHECK(multipart_boundary("multipart/form-data; boundary=5e1c9f") == "5e1c9f");
    CHECK(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b:c\"") == "a b:c");
    CHECK_FALSE(multipart_boundary("multipart/form-data").has_value());
    CHECK_FALSE(multipart_boundary("multipart/form-data; boundary=").has_value());
    CHECK_FALSE(multipart_boundary("application/json; boundary=x").has_value());
    CHECK(is_multipart("multipart/mixed; boundary=x"));
    CHECK_FALSE(is_multipart("text/csv"));
}

TEST_CASE("multipart: a part without Content-Type, CRLF, as Python requests sends it", "[hub][multipart]")
{
    std::string const body =
        "--5e1c\r\n"
        "Content-Disposition: form-data; name=\"data\"; filename=\"ph_ee_1.csv\"\r\n"
        "\r\n"
        "id,amount\r\n0,50.0\r\n"
        "\r\n--5e1c--\r\n";
    auto parts = parse_multipart(body, "5e1c");
    REQUIRE(parts);
    REQUIRE(parts->size() == 1);
    auto const& p = (*parts)[0];
    CHECK(p.name == "data");
    CHECK(p.filename == "ph_ee_1.csv");
    CHECK_FALSE(p.content_type.has_value());
    // The CRLF before the delimiter belongs to it; the CSV keeps its own last CRLF.
    CHECK(p.body == "id,amount\r\n0,50.0\r\n");
}

TEST_CASE("multipart: several parts, LF line ends, a preamble and an empty part", "[hub][multipart]")
{
    std::string const body =
        "preamble\n"
        "--b\n"
        "content-disposition: form-data; name=\"note\"\n"
        "\n"
        "hello\n"
        "--b\n"
        "Content-Disposition: form-data; name=\"data\"; filename=\"x.csv\"\n"
        "Content-Type: text/csv\n"
        "\n"
        "a,b\n1,2\n"
        "--b\n"
        "Content-Disposition: form-data; name=\"empty\"\n"
        "\n"
        "\n"
        "--b--";
    auto parts = parse_multipart(body, "b");
    REQUIRE(parts);
    REQUIRE(parts->size() == 3);
    CHECK((*parts)[0].body == "hello");
    auto const* data = find_part(*parts, "data");
    REQUIRE(data != nullptr);
    CHECK(data->content_type == "text/csv");
    CHECK(data->body == "a,b\n1,2");
    CHECK(find_part(*parts, "empty")->body.empty());
    CHECK(find_part(*parts, "file") == nullptr);
}

TEST_CASE("multipart: malformed bodies are refused", "[hub][multipart]")
{
    // No delimiter at all.
    CHECK_FALSE(parse_multipart("just text", "b"));
    // No closing delimiter.
    CHECK_FALSE(parse_multipart("--b\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\nabc", "b"));
    // Headers that never end.
    CHECK_FALSE(parse_multipart("--b\r\nContent-Disposition: form-data; name=\"data\"", "b"));
    // A part that is not form-data.
    CHECK_FALSE(parse_multipart("--b\r\nContent-Disposition: attachment; name=\"data\"\r\n\r\nx\r\n--b--", "b"));
    // A header line without a colon.
    CHECK_FALSE(parse_multipart("--b\r\nbroken header\r\n\r\nx\r\n--b--", "b"));
    // Garbage right after the delimiter.
    CHECK_FALSE(parse_multipart("--bXX\r\n\r\n--b--", "b"));
    // The closing delimiter alone is a valid form without parts.
    auto none = parse_multipart("--b--\r\n", "b");
    REQUIRE(none);
    CHECK(none->empty());
}
