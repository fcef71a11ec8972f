// FSPIOP media types and the header checks the switch's API layer performs before it
// accepts a request (API Definition 3.2, and central-services-shared's header validation
// plugin, which this follows in order, codes and messages).
//
// Typical use in a service shell:
//
//     fspiop::request_headers h;
//     h.accept = req.header("Accept"); ...
//     auto const check = fspiop::check_request_headers(fspiop::resource_of_path(path), is_post_get_delete, h);
//     if(!check)
//         return reply(check.http_status, check.body);
//     auto const reply_type = fspiop::media_type(resource, check.negotiated);
#pragma once

#include "simulator/fspiop/errors.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mojasim::fspiop {

/// An API version, e.g. {1, 1}.
struct version
{
    int major = 1;
    int minor = 1;

    /// "1.1"
    [[nodiscard]] std::string to_string() const;

    friend constexpr bool operator==(version, version) noexcept = default;
};

/// The versions this emulator accepts, as the reference hub (v17+) does: 1.0, 1.1, 2.0.
inline constexpr std::array<version, 3> supported_versions = {version{1, 0}, version{1, 1}, version{2, 0}};

/// True for 1.0, 1.1 and 2.0.
bool is_supported(version v) noexcept;

/// The FSPIOP resources (first path segments) whose headers are validated.
inline constexpr std::array<std::string_view, 10> resources = {
    "participants", "parties", "quotes", "transfers", "bulkQuotes", "bulkTransfers",
    "transactionRequests", "authorizations", "fxQuotes", "fxTransfers"};

/// True when `s` is one of `resources`.
bool is_resource(std::string_view s) noexcept;

/// The first segment of a request path: "/transfers/abc/error" -> "transfers",
/// "/parties/MSISDN/123?x=y" -> "parties", "/" -> "". A leading '/' is optional.
std::string_view resource_of_path(std::string_view path) noexcept;

/// "application/vnd.interoperability.transfers+json;version=1.1"
std::string media_type(std::string_view resource, version v);

/// Parse a Content-Type by the hub's rule
///   ^application/vnd\.interoperability\.{resource}\+json\s?;\s?version=(\d+\.\d+)$
/// (major.minor required, resource must match). Empty when malformed. The version text must
/// be canonical decimal numbers ("1.1", not "01.1") to be returned as a version; a
/// well-formed but non-canonical one comes back as {-1, -1}, which no server supports
/// (the hub compares the text and answers 406).
std::optional<version> parse_content_type(std::string_view resource, std::string_view header) noexcept;

/// One entry of an Accept header. major -1: no version given (any version); minor -1: only
/// the major version given ("version=1").
struct accepted_version
{
    int major = -1;
    int minor = -1;

    friend constexpr bool operator==(accepted_version, accepted_version) noexcept = default;
};

/// Parse an Accept header: a comma-separated list (no spaces around commas) of
///   application/vnd.interoperability.{resource}+json[\s?;\s?version=\d+(\.\d+)?]
/// Empty when any entry is malformed or names another resource.
std::optional<std::vector<accepted_version>> parse_accept(std::string_view resource, std::string_view header);

/// True when an Accept list allows a supported version: an entry without version, a major
/// of a supported version ("1", "2"), or a supported major.minor.
bool accepts_supported(std::vector<accepted_version> const& accept) noexcept;

/// Maximum body size the API allows (5 MB); above it the hub answers 3104.
inline constexpr std::uint64_t max_content_length = 5242880;

/// The headers the check looks at. Absent headers are std::nullopt. The views must stay valid
/// for the duration of the call only.
struct request_headers
{
    std::optional<std::string_view> accept;
    std::optional<std::string_view> content_type;
    std::optional<std::string_view> date;
    std::optional<std::string_view> fspiop_source;
    std::optional<std::string_view> fspiop_destination;
    std::optional<std::uint64_t> content_length;
};

/// The FSPIOP headers of a message whose fields offer `get(name) -> optional<string_view>`
/// (net::headers does), as views into those fields.
template <typename Fields>
request_headers view_request_headers(Fields const& fields, std::uint64_t content_length)
{
    request_headers h;
    h.accept = fields.get("Accept");
    h.content_type = fields.get("Content-Type");
    h.date = fields.get("Date");
    h.fspiop_source = fields.get("FSPIOP-Source");
    h.fspiop_destination = fields.get("FSPIOP-Destination");
    h.content_length = content_length;
    return h;
}

/// Outcome of check_request_headers: OK with the negotiated version, or the synchronous
/// error to answer with.
struct header_check
{
    /// The Content-Type's version when OK: the version to answer with.
    version negotiated{1, 1};

    /// 0 when OK; else 400, 404 or 406.
    unsigned http_status = 0;

    /// The FSPIOP code when not OK (3001, 3002, 3101, 3102, 3104).
    errc code = errc::generic_client_error;

    /// The complete JSON error body when not OK.
    std::string body;

    [[nodiscard]] bool ok() const noexcept { return http_status == 0; }
    explicit operator bool() const noexcept { return ok(); }
};

/// Validate the FSPIOP headers of an incoming message for `resource` (the first path
/// segment) as the hub does: its header plugin (central-services-shared), then what its
/// OpenAPI requires. `is_request` is true for POST, GET and DELETE, which must carry Accept;
/// false for callbacks (PUT) and notifications (PATCH); `is_get` for GET. Checks, in order:
///  1. Content-Length above 5 MB: 3104.
///  2. Accept (on GET, or when present): missing "Accept is required" 3102, malformed or
///     other resource 3101, no supported version 406/3001 with the supported versions in
///     extensionList (key = major, value = minor).
///  3. Content-Type (also on GET): missing 3102, malformed (version must be major.minor),
///     other resource 3101, unsupported version 406/3001 with extensionList.
///  4. Required headers missing (Accept on requests, Date, FSPIOP-Source; an empty
///     FSPIOP-Source counts as missing): 3102 "/header must have required property 'date'".
///  5. Date not an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") 3101; FSPIOP-Source or a
///     non-empty FSPIOP-Destination longer than an FspId 3101.
/// An unknown resource gives 404/3002.
header_check check_request_headers(std::string_view resource, bool is_request, request_headers const& h,
                                   bool is_get = false);

/// The 3102 a resource's own required header gets when missing, in the OpenAPI validator's
/// words: missing_header("fspiop-destination") -> "/header must have required property
/// 'fspiop-destination'".
header_check missing_header(std::string_view lowercase_name);

} // namespace mojasim::fspiop
