// HTTP messages as plain data. Handlers and business code see only these types, never
// Beast, so they compile fast and can be tested without sockets. The server and client
// (the only translation units with Beast I/O) convert at the edge, moving bodies.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <iterator>
#include <memory>
#include <cstddef>
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

/// A field this layer can write as it is (RFC 9110 §5.1, §5.5): the name a non-empty token,
/// the value free of control characters other than HTAB (a CR or LF would end the head early
/// or smuggle another field in) and of DEL; bytes from 0x80 (obs-text) pass. Runs for every
/// field sent, so the value is checked eight bytes at a time.
bool is_field_name(std::string_view name) noexcept;
bool is_field_value(std::string_view value) noexcept;

/// Header fields in arrival order, looked up case-insensitively. All names and values live
/// in one string and the fields are offsets into it: two allocations per message, however
/// many fields (an FSPIOP message carries 5 to 15), and a linear search beats a map there.
/// Views from get() or iteration stay valid until the headers are next changed.
class headers
{
public:
    struct field
    {
        std::string_view name;
        std::string_view value;
    };

    class const_iterator
    {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = field;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = field;

        const_iterator() = default;
        field operator*() const noexcept { return owner_->at(i_); }
        const_iterator& operator++() noexcept
        {
            ++i_;
            return *this;
        }
        const_iterator operator++(int) noexcept
        {
            auto const old = *this;
            ++i_;
            return old;
        }
        friend bool operator==(const_iterator const& a, const_iterator const& b) noexcept { return a.i_ == b.i_; }

    private:
        friend class headers;
        const_iterator(headers const* owner, std::size_t i) noexcept : owner_(owner), i_(i) {}
        headers const* owner_ = nullptr;
        std::size_t i_ = 0;
    };

    /// The first value of `name`, if present.
    [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const noexcept;
    [[nodiscard]] std::string_view value_or(std::string_view name, std::string_view fallback = {}) const noexcept;
    /// The first value of `name` as an owned string, if present.
    [[nodiscard]] std::optional<std::string> copy(std::string_view name) const
    {
        auto v = get(name);
        return v ? std::optional<std::string>(std::string(*v)) : std::nullopt;
    }
    [[nodiscard]] bool contains(std::string_view name) const noexcept { return get(name).has_value(); }

    /// Replace every value of `name` by one (at the first one's place).
    void set(std::string_view name, std::string_view value);
    /// Append a value (keeps existing ones).
    void add(std::string_view name, std::string_view value);
    void erase(std::string_view name) noexcept;

    [[nodiscard]] const_iterator begin() const noexcept { return {this, 0}; }
    [[nodiscard]] const_iterator end() const noexcept { return {this, entries_.size()}; }
    [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }
    /// Room for `n` fields of a typical size.
    void reserve(std::size_t n);

private:
    struct entry
    {
        std::uint32_t name_at = 0; ///< offsets in text_
        std::uint32_t name_size = 0;
        std::uint32_t value_at = 0;
        std::uint32_t value_size = 0;
    };

    [[nodiscard]] std::string_view name_of(entry const& e) const noexcept
    {
        return std::string_view{text_}.substr(e.name_at, e.name_size);
    }
    [[nodiscard]] field at(std::size_t i) const noexcept
    {
        auto const& e = entries_[i];
        return {name_of(e), std::string_view{text_}.substr(e.value_at, e.value_size)};
    }
    /// Append `s` (not a view into text_) to text_; its offset.
    std::uint32_t store(std::string_view s);
    /// Whether `s` views text_.
    [[nodiscard]] bool views_self(std::string_view s) const noexcept;

    std::string text_;
    std::vector<entry> entries_;
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

class body_stream; // simulator/net/server.hpp

struct response
{
    unsigned status = 200;
    net::headers fields;
    std::string body;
    bool close = false; ///< close the connection after sending
    /// Close the connection without answering: a peer that took the request and died (fault
    /// injection and tests; the client cannot tell whether the request was acted on).
    bool drop = false;
    /// A body written piece by piece as it is produced (Server-Sent Events) instead of
    /// `body`: the server writes the head without a length, then each piece, and closes the
    /// connection when the stream ends or the client leaves.
    std::shared_ptr<body_stream> stream;

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
/// Encode everything but a path segment's characters (RFC 3986 pchar: unreserved, sub-delims,
/// ':' and '@') as %XX.
std::string percent_encode_path(std::string_view s);

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
