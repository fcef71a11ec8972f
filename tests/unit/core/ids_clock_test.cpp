#include "simulator/core/clock.hpp"
#include "simulator/core/ids.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <set>

using namespace mojasim::core;

TEST_CASE("uuid v4 and ulid ids are well formed and distinct")
{
    id_generator gen(42);
    std::set<std::string> seen;
    for(int i = 0; i < 1000; ++i)
    {
        auto id = gen.uuid_v4();
        CHECK(is_uuid(id));
        CHECK(id[14] == '4');
        seen.insert(id);
        auto u = gen.ulid(1700000000000);
        CHECK(is_ulid(u));
        seen.insert(u);
    }
    CHECK(seen.size() == 2000);
    CHECK_FALSE(is_uuid("b51ec534-ee48-4575-b6a9-ead2955b8069X"));
    CHECK_FALSE(is_uuid("B51EC534-EE48-4575-B6A9-EAD2955B8069"));
    CHECK_FALSE(is_uuid("b51ec534-ee48-7575-b6a9-ead2955b8069"));
    CHECK(is_uuid("b51ec534-ee48-7575-b6a9-ead2955b8069", '7'));
    CHECK(is_ulid("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
    CHECK_FALSE(is_ulid("01ARZ3NDEKTSV4RRFFQ69G5FAU"));
}

TEST_CASE("FSPIOP DateTime needs exactly three fraction digits")
{
    auto t = parse_datetime("2016-05-24T08:38:08.699Z");
    REQUIRE(t);
    CHECK(format_datetime(*t) == "2016-05-24T08:38:08.699Z");
    CHECK(parse_datetime("2016-05-24T10:38:08.699+02:00") == t);
    CHECK_FALSE(parse_datetime("2016-05-24T08:38:08.69Z"));
    CHECK_FALSE(parse_datetime("2016-05-24T08:38:08.6991Z"));
    CHECK_FALSE(parse_datetime("2016-02-30T08:38:08.699Z"));
    CHECK_FALSE(parse_datetime("2016-05-24 08:38:08.699Z"));
    // Far-future years saturate instead of overflowing the nanosecond clock.
    CHECK(parse_datetime("9999-12-31T23:59:59.999Z") == time_point::max());
    CHECK(parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT") == time_point::max());
    CHECK(is_date("2024-02-29"));
    CHECK_FALSE(is_date("2023-02-29"));
}

TEST_CASE("HTTP dates round trip in IMF-fixdate")
{
    auto t = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT");
    REQUIRE(t);
    CHECK(format_http_date(*t) == "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK_FALSE(parse_http_date("Mon, 06 Nov 1994 08:49:37 GMT"));
    CHECK_FALSE(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"));
    manual_clock c;
    auto start = c.now();
    c.advance(milliseconds{1500});
    CHECK(c.now() - start == milliseconds{1500});
}

TEST_CASE("dates written digit by digit match the C library's formatting across the clock's range")
{
    // From 1970 to past 2262 (where parsing saturates), in steps that hit every field width.
    auto const step = std::chrono::milliseconds{86'400'000LL * 37 + 3'723'457};
    for(auto t = time_point{}; t < time_point::max() - step; t += step)
    {
        auto const ms = std::chrono::floor<std::chrono::milliseconds>(t);
        auto const day = std::chrono::floor<std::chrono::days>(ms);
        std::chrono::year_month_day const ymd{day};
        std::chrono::hh_mm_ss const tod{ms - day};
        char want[40];
        std::snprintf(want, sizeof want, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                      static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                      static_cast<int>(tod.seconds().count()), static_cast<int>(tod.subseconds().count()));
        REQUIRE(format_datetime(t) == want);
        auto const http = format_http_date(t);
        auto const back = parse_http_date(http);
        REQUIRE(back);
        REQUIRE(*back == std::chrono::floor<std::chrono::seconds>(t));
        // The same second again comes from the per-thread cache, unchanged.
        REQUIRE(format_http_date(std::chrono::floor<std::chrono::seconds>(t) + std::chrono::milliseconds{500}) == http);
    }
    CHECK(format_http_date(*parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT")) == "Thu, 01 Jan 1970 00:00:00 GMT");
    // The clock's whole range has four-digit years.
    CHECK(format_datetime(time_point::min()).rfind("1677-09-21T00:12:43.", 0) == 0);
    CHECK(format_datetime(time_point::max()).rfind("2262-04-11T23:47:16.", 0) == 0);
    CHECK(format_http_date(time_point::max()) == "Fri, 11 Apr 2262 23:47:16 GMT");
}

TEST_CASE("derived seeds repeat for one run seed and differ between streams and seeds")
{
    using mojasim::core::derive_seed;
    CHECK(derive_seed(7, "dfsp1") == derive_seed(7, "dfsp1"));
    CHECK(derive_seed(7, "dfsp1") != derive_seed(7, "dfsp2"));
    CHECK(derive_seed(7, "dfsp1") != derive_seed(8, "dfsp1"));
    mojasim::core::id_generator a(derive_seed(7, "hub")), b(derive_seed(7, "hub"));
    CHECK(a.uuid_v4() == b.uuid_v4());
}
