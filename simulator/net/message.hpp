// HTTP messages as plain data. Handlers and business code see only these types, never
// Beast, so they compile fast and can be tested without sockets. The server and client
// (the only translation units with Beast I/O) convert at the edge, moving bodies.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mojasim::net {

enum class method : std::uint8_t { get, head, post, put, patch, delete_, options, unknown };

std::string_view to_string(method m) noexcept;
method method_from_string(std::string_view s) noexcept;

/// ASCII case-insensitive comparison, as HTTP field names need.
bool iequals(std::string_view a, std::string_view b) noexcept;

/// Header fields in arrival order, looked up case-insensitively. Small vectors beat maps
/// at the 5 to 15 fields an FSPIOP message carries.
class headers
{
public:
    struct field
    {
        std::string name;
        std::string value;
    };

    /// The first value of `name`, if present.
    [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const noexcept;
    [[nodiscard]] std::string_view value_or(std::string_view name, std::string_view fallback = {}) const noexcept;
    [[nodiscard]] bool contains(std::string_view name) const noexcept { return get(name).has_value(); }

    /// Replace every value of `name` by one.
    void set(std::string_view name, std::string_view value);
    /// Append a value (keeps existing ones).
    void add(std::string_view name, std::string_view value);
    void erase(std::string_view name) noexcept;

    [[nodiscard]] auto begin() const noexcept { return fields_.begin(); }
    [[nodiscard]] auto end() const noexcept { return fields_.end(); }
    [[nodiscard]] std::size_t size() const noexcept { return fields_.size(); }
    void reserve(std::size_t n) { fields_.reserve(n); }

private:
    std::vector<field> fields_;
};

/// Path parameters captured by the router, in pattern order: {"Type", "MSISDN"}, ...
class path_params
{
public:
    [[nodiscard]] std::string_view get(std::string_view name) const noexcept;
    [[nodiscard]] bool contains(std::string_view name) const noexcept;
    void add(std::string name, std::string value) { params_.push_back({std::move(name), std::move(value)}); }
    [[nodiscard]] auto begin() const noexcept { return params_.begin(); }
    [[nodiscard]] auto end() const noexcept { return params_.end(); }
    [[nodiscard]] std::size_t size() const noexcept { return params_.size(); }
    void clear() noexcept { params_.clear(); }

private:
    std::vector<std::pair<std::string, std::string>> params_;
};

struct request
{
    net::method method = method::get;
    std::string target; ///< origin-form: path and query, as received ("/batch/detail?batchId=1")
    net::headers fields;
    std::string body;

    // Filled by the server/router on receipt.
    path_params params;   ///< from the matched route's {placeholders}, percent-decoded
    std::string peer;     ///< "127.0.0.1:53412"

    [[nodiscard]] std::string_view path() const noexcept;  ///< target before '?'
    [[nodiscard]] std::string_view query() const noexcept; ///< after '?', or empty
    /// A query parameter, percent-decoded ('+' as space). First occurrence wins.
    [[nodiscard]] std::optional<std::string> query_param(std::string_view name) const;
};

struct response
{
    unsigned status = 200;
    net::headers fields;
    std::string body;
    bool close = false; ///< close the connection after sending

    [[nodiscard]] bool ok() const noexcept { return status >= 200 && status < 300; }
};

/// "HTTP 200 {...}" (body cut at 200 bytes): for logs and test failure messages.
std::ostream& operator<<(std::ostream& os, response const& r);

/// A response with a body and its Content-Type.
response make_response(unsigned status, std::string body, std::string_view content_type = "application/json");
/// A response with no body.
response make_empty(unsigned status);

/// Decode %XX escapes (and '+' as space when `plus_is_space`); nullopt on a bad escape.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space = false);
/// Encode everything but unreserved characters (RFC 3986) as %XX.
std::string percent_encode(std::string_view s);

/// One message seen by the trace hook: every request and response an actor sends or
/// receives, with what scenario checks, JSONL traces and sequence diagrams need.
struct trace_event
{
    enum class direction : std::uint8_t { sent, received };
    enum class kind : std::uint8_t { request, response };

    std::chrono::system_clock::time_point time;
    std::uint64_t exchange = 0; ///< the same for a request and its response (unique per process)
    std::string_view actor;   ///< the actor that saw the message (valid during the call)
    std::string peer;         ///< the other end: "127.0.0.1:4002" (or the URL's host:port)
    direction dir = direction::sent;
    kind type = kind::request;
    net::method method = method::unknown; ///< of the request (also on its response)
    std::string_view target;  ///< of the request (also on its response)
    unsigned status = 0;      ///< responses only
    net::headers const* fields = nullptr;
    std::string_view body;
};

/// A fresh exchange id for the trace (thread-safe).
std::uint64_t next_exchange_id() noexcept;

} // namespace mojasim::net
