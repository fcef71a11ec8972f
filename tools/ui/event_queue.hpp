// What one browser following the live page has not been sent yet. Pure: no I/O, no locks
// (ui_server holds it under its mutex), so its bound is unit-tested without sockets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mojasim::ui {

/// Events (JSON objects) waiting for one Server-Sent Events client, at most `limit` bytes of
/// them. Past the limit an event is counted, not kept: a browser that reads slower than the
/// actors talk never makes the server buffer more than `limit`, and it is told how many it
/// missed so it can refresh its state from the public APIs instead.
class event_queue
{
public:
    explicit event_queue(std::size_t limit_bytes) noexcept : limit_(limit_bytes) {}

    /// Keep `json_object` for the next take(); false when it was dropped (queue full).
    bool push(std::string_view json_object);

    /// Count an event not sent because the stream is thinned to what a page can show (the
    /// page hears of it as of a dropped one; it is not counted in dropped_total()).
    void thin() noexcept { ++thinned_; }
    /// Nothing to send: no event kept and none dropped or thinned since the last take().
    [[nodiscard]] bool empty() const noexcept { return pending_.empty() && dropped_ == 0 && thinned_ == 0; }
    /// Whether a push now would be dropped.
    [[nodiscard]] bool full() const noexcept { return pending_.size() >= limit_; }
    [[nodiscard]] std::size_t bytes() const noexcept { return pending_.size(); }
    /// Events dropped since the queue was made.
    [[nodiscard]] std::uint64_t dropped_total() const noexcept { return dropped_total_; }

    /// Everything pending as Server-Sent Events, coalesced into one frame: "event: dropped"
    /// with the count of events missed (dropped or thinned, when some were), then "data: [ev,ev,...]" with the
    /// events kept, in order. Empties the queue. Empty string when there is nothing.
    std::string take();

private:
    std::size_t limit_;
    std::string pending_; ///< the kept events, comma-separated
    std::uint64_t dropped_ = 0;
    std::uint64_t dropped_total_ = 0;
    std::uint64_t thinned_ = 0;
};

} // namespace mojasim::ui
