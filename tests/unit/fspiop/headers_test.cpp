#include "simulator/fspiop/headers.hpp"

#include "simulator/core/clock.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace fspiop = mojasim::fspiop;
using fspiop::errc;

namespace {

std::string const date = mojasim::core::format_http_date(mojasim::core::time_point{std::chrono::seconds{1700000000}});

// Owns the header strings; request_headers only views them.
struct headers
{
    std::optional<std::string> accept;
    std::optional<std::string> content_type;
    std::optional<std::string> date;
    std::optional<std::string> source = std::string("dfsp1");
    std::optional<std::string> destination = std::string("dfsp2");
    std::optional<std::uint64_t> content_length;

    headers(std::string_view resource, fspiop::version v)
        : accept(fspiop::media_type(resource, v)), content_type(fspiop::media_type(resource, v)),
          date(::date)
    {
    }

    [[nodiscard]] fspiop::request_headers view() const
    {
        auto const opt = [](std::optional<std::string> const& s) -> std::optional<std::string_view> {
            if(!s)
                return std::nullopt;
            return std::string_view(*s);
        };
        return {opt(accept), opt(content_type), opt(date), opt(source), opt(destination), content_length};
    }
};

fspiop::header_check check(std::string_view resource, bool is_request, headers const& h, bool is_get = false)
{
    return fspiop::check_request_headers(resource, is_request, h.view(), is_get);
}

std::string const supported_list =
    R"("extensionList":{"extension":[{"key":"1","value":"0"},{"key":"1","value":"1"},{"key":"2","value":"0"}]})";

} // namespace

TEST_CASE("media_type and resource_of_path")
{
    CHECK(fspiop::media_type("transfers", {1, 1}) == "application/vnd.interoperability.transfers+json;version=1.1");
    CHECK(fspiop::media_type("bulkQuotes", {2, 0}) == "application/vnd.interoperability.bulkQuotes+json;version=2.0");
    CHECK(fspiop::resource_of_path("/transfers") == "transfers");
    CHECK(fspiop::resource_of_path("/transfers/abc/error") == "transfers");
    CHECK(fspiop::resource_of_path("/parties/MSISDN/123?x=y") == "parties");
    CHECK(fspiop::resource_of_path("/participants?currency=USD") == "participants");
    CHECK(fspiop::resource_of_path("quotes/1") == "quotes");
    CHECK(fspiop::resource_of_path("/") == "");
    CHECK(fspiop::resource_of_path("") == "");
    CHECK(fspiop::is_resource("bulkTransfers"));
    CHECK_FALSE(fspiop::is_resource("bulktransfers"));
    CHECK_FALSE(fspiop::is_resource("health"));
}

TEST_CASE("a good Accept/Content-Type pair is accepted for 1.0, 1.1, 2.0 and every resource")
{
    for(auto const resource : fspiop::resources)
    {
        for(auto const v : fspiop::supported_versions)
        {
            INFO(resource << " " << v.to_string());
            headers const h(resource, v);
            for(bool is_request : {true, false})
            {
                auto const c = check(resource, is_request, h);
                REQUIRE(c.ok());
                CHECK(c.negotiated == v);
                CHECK(c.body.empty());
            }
        }
    }
}

TEST_CASE("Accept: required on requests, validated when present")
{
    headers h("transfers", {1, 1});
    h.accept.reset();
    // POST and DELETE: the OpenAPI requires it (ml-api-adapter's and the quoting service's
    // answer, central-services-shared's openapi backend handlers).
    auto const c = check("transfers", true, h);
    CHECK(c.http_status == 400);
    CHECK(c.code == errc::missing_mandatory_element);
    CHECK(c.body ==
          R"({"errorInformation":{"errorCode":"3102","errorDescription":"Missing mandatory element - /header must have required property 'accept'"}})");
    // GET: the header plugin asks first.
    auto const get = check("transfers", true, h, true);
    CHECK(get.body ==
          R"({"errorInformation":{"errorCode":"3102","errorDescription":"Missing mandatory element - Accept is required"}})");
    CHECK(check("transfers", false, h).ok()); // callbacks carry no Accept

    h.accept = "application/json";
    auto const bad = check("transfers", false, h);
    CHECK(bad.code == errc::malformed_syntax);
    CHECK(bad.body == R"({"errorInformation":{"errorCode":"3101","errorDescription":"Malformed syntax - Invalid accept header"}})");
}

TEST_CASE("Accept forms: list, major only, no version, optional spaces")
{
    auto const accepts = [](std::string accept) {
        headers h("quotes", {1, 1});
        h.accept = std::move(accept);
        return check("quotes", true, h);
    };
    CHECK(accepts("application/vnd.interoperability.quotes+json").ok());
    CHECK(accepts("application/vnd.interoperability.quotes+json;version=1").ok());
    CHECK(accepts("application/vnd.interoperability.quotes+json;version=2").ok());
    CHECK(accepts("application/vnd.interoperability.quotes+json ; version=1.0").ok());
    CHECK(accepts("application/vnd.interoperability.quotes+json;version=9.9,application/vnd.interoperability.quotes+json;version=1.1").ok());

    for(auto bad : {"application/vnd.interoperability.transfers+json;version=1.1",
                    "application/vnd.interoperability.quotes+json;version=",
                    "application/vnd.interoperability.quotes+json;version=1.",
                    "application/vnd.interoperability.quotes+json;version=1.1,",
                    "application/vnd.interoperability.quotes+json;version=1.1, application/vnd.interoperability.quotes+json",
                    "application/vnd.interoperability.quotes+json  ;version=1.1",
                    "application/vnd.interoperability.quotes+xml", "*/*", ""})
    {
        INFO(bad);
        auto const c = accepts(bad);
        CHECK(c.http_status == 400);
        CHECK(c.code == errc::malformed_syntax);
    }

    for(auto unsupported : {"application/vnd.interoperability.quotes+json;version=3",
                            "application/vnd.interoperability.quotes+json;version=1.2",
                            "application/vnd.interoperability.quotes+json;version=2.1,application/vnd.interoperability.quotes+json;version=3.0",
                            "application/vnd.interoperability.quotes+json;version=01.1"})
    {
        INFO(unsupported);
        auto const c = accepts(unsupported);
        CHECK(c.http_status == 406);
        CHECK(c.code == errc::unacceptable_version);
        CHECK(c.body == R"({"errorInformation":{"errorCode":"3001","errorDescription":"Unacceptable version requested - )"
                        R"(The Client requested an unsupported version, see extension list for supported version(s).",)" +
                            supported_list + "}}");
    }
}

TEST_CASE("parse_accept")
{
    auto const a = fspiop::parse_accept(
        "parties", "application/vnd.interoperability.parties+json;version=1,application/vnd.interoperability.parties+json,"
                   "application/vnd.interoperability.parties+json;version=2.0");
    REQUIRE(a);
    REQUIRE(a->size() == 3);
    CHECK((*a)[0] == fspiop::accepted_version{1, -1});
    CHECK((*a)[1] == fspiop::accepted_version{-1, -1});
    CHECK((*a)[2] == fspiop::accepted_version{2, 0});
    CHECK_FALSE(fspiop::parse_accept("parties", "application/vnd.interoperability.participants+json"));
}

TEST_CASE("Content-Type: major.minor required, resource must match, version supported")
{
    headers h("transfers", {1, 1});

    h.content_type = fspiop::media_type("quotes", {1, 1});
    auto const wrong_resource = check("transfers", true, h);
    CHECK(wrong_resource.http_status == 400);
    CHECK(wrong_resource.code == errc::malformed_syntax);
    CHECK(wrong_resource.body ==
          R"({"errorInformation":{"errorCode":"3101","errorDescription":"Malformed syntax - Invalid content-type header"}})");

    for(auto bad : {"application/vnd.interoperability.transfers+json;version=1",
                    "application/vnd.interoperability.transfers+json",
                    "application/vnd.interoperability.transfers+json;version=1.1.0",
                    "application/vnd.interoperability.transfers+json;version=1.1;charset=utf-8",
                    "application/json", "APPLICATION/VND.INTEROPERABILITY.TRANSFERS+JSON;VERSION=1.1"})
    {
        INFO(bad);
        h.content_type = bad;
        auto const c = check("transfers", true, h);
        CHECK(c.http_status == 400);
        CHECK(c.code == errc::malformed_syntax);
    }

    h.content_type = "application/vnd.interoperability.transfers+json ; version=1.0";
    auto const spaced = check("transfers", true, h);
    REQUIRE(spaced.ok());
    CHECK(spaced.negotiated == fspiop::version{1, 0});

    for(auto unsupported : {"application/vnd.interoperability.transfers+json;version=1.2",
                            "application/vnd.interoperability.transfers+json;version=3.0",
                            "application/vnd.interoperability.transfers+json;version=01.1"})
    {
        INFO(unsupported);
        h.content_type = unsupported;
        auto const c = check("transfers", true, h);
        CHECK(c.http_status == 406);
        CHECK(c.code == errc::unacceptable_version);
        CHECK(c.body == R"({"errorInformation":{"errorCode":"3001","errorDescription":"Unacceptable version requested - )"
                        R"(Client supplied a protocol version which is not supported by the server",)" +
                            supported_list + "}}");
    }

    h.content_type.reset();
    auto const missing = check("transfers", false, h);
    CHECK(missing.code == errc::missing_mandatory_element);
    CHECK(missing.body ==
          R"({"errorInformation":{"errorCode":"3102","errorDescription":"Missing mandatory element - Content-type is required"}})");
}

TEST_CASE("parse_content_type")
{
    CHECK(fspiop::parse_content_type("parties", "application/vnd.interoperability.parties+json;version=1.1") ==
          fspiop::version{1, 1});
    CHECK(fspiop::parse_content_type("parties", "application/vnd.interoperability.parties+json;version=12.34") ==
          fspiop::version{12, 34});
    CHECK(fspiop::parse_content_type("parties", "application/vnd.interoperability.parties+json;version=1.01") ==
          fspiop::version{-1, -1});
    CHECK_FALSE(fspiop::parse_content_type("parties", "application/vnd.interoperability.parties+json;version=1"));
    CHECK_FALSE(fspiop::parse_content_type("parties", "application/vnd.interoperability.participants+json;version=1.1"));
}

TEST_CASE("Date: missing is 3102, anything but an IMF-fixdate is 3101")
{
    headers h("parties", {1, 1});
    h.date.reset();
    auto const missing = check("parties", true, h);
    CHECK(missing.http_status == 400);
    CHECK(missing.code == errc::missing_mandatory_element);
    CHECK(missing.body ==
          R"({"errorInformation":{"errorCode":"3102","errorDescription":"Missing mandatory element - /header must have required property 'date'"}})");

    for(auto bad : {"2023-11-14T22:13:20.000Z", "Tue, 14 Nov 2023 22:13:20", "Mon, 14 Nov 2023 22:13:20 GMT",
                    "Tue, 14 Nov 2023 22:13:20 UTC", "Tuesday, 14-Nov-23 22:13:20 GMT", "Tue, 31 Nov 2023 22:13:20 GMT", ""})
    {
        INFO(bad);
        h.date = bad;
        auto const c = check("parties", true, h);
        CHECK(c.http_status == 400);
        CHECK(c.code == errc::malformed_syntax);
        CHECK(c.body == R"({"errorInformation":{"errorCode":"3101","errorDescription":"Malformed syntax - Invalid date header"}})");
    }
    for(auto good : {"Tue, 14 Nov 2023 22:13:20 GMT", "Thu, 29 Feb 2024 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT"})
    {
        INFO(good);
        h.date = good;
        CHECK(check("parties", true, h).ok());
    }
    // The check agrees with core's formatter.
    h.date = mojasim::core::format_http_date(std::chrono::system_clock::now());
    CHECK(check("parties", true, h).ok());
}

TEST_CASE("the checks run in the hub's order")
{
    headers h("transfers", {1, 1});
    h.accept = "bad";
    h.date.reset();
    h.content_type.reset();
    CHECK(check("transfers", true, h).body.find("Invalid accept header") != std::string::npos);
    h.accept.reset();
    // The header plugin (Content-Type) before the OpenAPI's required headers.
    CHECK(check("transfers", false, h).body.find("Content-type is required") != std::string::npos);
    h.content_type = fspiop::media_type("transfers", {1, 1});
    CHECK(check("transfers", false, h).body.find("'date'") != std::string::npos);
    h.content_type.reset();
    // The size before everything.
    h.content_length = fspiop::max_content_length + 1;
    auto const big = check("transfers", false, h);
    CHECK(big.code == errc::too_large_payload);
    CHECK(big.http_status == 400);
    h.content_length = fspiop::max_content_length;
    CHECK(check("transfers", false, h).code == errc::missing_mandatory_element); // now the Content-Type
    // The required headers before the formats.
    h.content_type = fspiop::media_type("transfers", {1, 1});
    h.date = "yesterday";
    h.source.reset();
    CHECK(check("transfers", false, h).body.find("'fspiop-source'") != std::string::npos);
    h.source = "dfsp1";
    CHECK(check("transfers", false, h).body.find("Invalid date header") != std::string::npos);
}

TEST_CASE("FSPIOP-Source and FSPIOP-Destination")
{
    headers h("transfers", {1, 1});
    h.source.reset();
    CHECK(check("transfers", true, h).code == errc::missing_mandatory_element);
    CHECK(check("transfers", true, h).body ==
          R"({"errorInformation":{"errorCode":"3102","errorDescription":"Missing mandatory element - /header must have required property 'fspiop-source'"}})");
    CHECK(fspiop::missing_header("fspiop-destination").body ==
          R"({"errorInformation":{"errorCode":"3102","errorDescription":"Missing mandatory element - /header must have required property 'fspiop-destination'"}})");
    h.source = "";
    CHECK(check("transfers", true, h).code == errc::missing_mandatory_element);
    h.source = std::string(33, 'd');
    CHECK(check("transfers", true, h).code == errc::malformed_syntax);
    h.source = "dfsp1";
    h.destination.reset();
    CHECK(check("transfers", true, h).ok());
    h.destination = ""; // GET /parties: the ALS fills it in
    CHECK(check("transfers", true, h).ok());
    h.destination = std::string(33, 'd');
    CHECK(check("transfers", true, h).code == errc::malformed_syntax);
}

TEST_CASE("an unknown resource is 404/3002")
{
    headers const h("health", {1, 1});
    auto const c = check("health", true, h);
    CHECK(c.http_status == 404);
    CHECK(c.code == errc::unknown_uri);
}
