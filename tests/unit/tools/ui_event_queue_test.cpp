// The live page's bounded event queue: what a slow browser is owed never exceeds the bound,
// and it is told how much it missed.
#include "tools/ui/event_queue.hpp"

#include <catch2/catch.hpp>

#include <string>

using mojasim::ui::event_queue;

TEST_CASE("ui event_queue: events coalesce into one Server-Sent Events frame, in order")
{
    event_queue q(1024);
    CHECK(q.empty());
    CHECK(q.take().empty());
    CHECK(q.push(R"({"x":1})"));
    CHECK(q.push(R"({"x":2})"));
    CHECK_FALSE(q.empty());
    CHECK(q.take() == "data: [{\"x\":1},{\"x\":2}]\n\n");
    CHECK(q.empty());
    CHECK(q.bytes() == 0);
}

TEST_CASE("ui event_queue: past the bound events are dropped, counted and announced")
{
    std::string const ev = R"({"x":12345678})"; // 14 bytes
    event_queue q(100);
    std::size_t kept = 0;
    for(int i = 0; i < 1000; ++i)
        kept += q.push(ev) ? 1 : 0;
    // The bound holds whatever the producer does: at most one event past the limit.
    CHECK(q.bytes() < 100 + ev.size() + 1);
    CHECK(kept == 7); // 7 * 14 + 6 commas = 104 >= 100 after the 7th
    CHECK(q.dropped_total() == 1000 - kept);
    auto const frame = q.take();
    CHECK(frame.starts_with("event: dropped\ndata: 993\n\ndata: ["));
    CHECK(frame.ends_with("]\n\n"));
    CHECK(q.empty());
    // After a take the browser is owed nothing, and the queue takes events again.
    CHECK(q.push(ev));
    CHECK(q.take() == "data: [" + ev + "]\n\n");
    CHECK(q.dropped_total() == 993);
}

TEST_CASE("ui event_queue: only drops pending still make a frame")
{
    event_queue q(0);
    CHECK(q.full());
    CHECK_FALSE(q.push("{}"));
    CHECK_FALSE(q.empty());
    CHECK(q.take() == "event: dropped\ndata: 1\n\n");
    CHECK(q.empty());
}

TEST_CASE("ui event_queue: thinned events are announced with the dropped ones, not counted as dropped")
{
    event_queue q(1024);
    q.thin();
    CHECK_FALSE(q.empty());
    CHECK(q.push(R"({"x":1})"));
    q.thin();
    CHECK(q.take() == "event: dropped\ndata: 2\n\ndata: [{\"x\":1}]\n\n");
    CHECK(q.empty());
    CHECK(q.dropped_total() == 0); // the bound was never reached
}
