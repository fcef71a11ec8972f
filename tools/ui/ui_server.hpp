// The live page of `mojasim serve --ui` / `demo --ui`: an HTTP listener of its own that
// serves the page (HTML, CSS and JavaScript built into the binary, ui/), a stream of the
// world's messages as Server-Sent Events, the story of one payment, and a pass-through to
// the actors' public APIs so that every control of the page is a request a user could send
// with curl. docs/ui.md.
#pragma once

#include "simulator/net/awaitable.hpp"
#include "simulator/net/trace.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace mojasim::ui {

struct ui_options
{
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;                      ///< 0: any free port
    std::size_t queue_limit = 256 * 1024;        ///< bytes of events kept per browser
    std::size_t max_clients = 8;                 ///< browsers following at once (503 past it)
    std::size_t story_records = 5'000;           ///< messages kept for the stories of payments (the latest ~170)
    /// Message events sent to the pages per second, at most (0: every one). The page animates
    /// at most 400 a second at its fastest pace; past that a batch's thousands a second would
    /// cost the browser and the server CPU the actors need, for nothing shown. The others are
    /// counted ("not shown") and the page reads the state from the APIs.
    std::size_t events_per_second = 400;
    /// Called (on the UI's executor) when a page asks to reset the world; empty: 501.
    std::function<void()> on_reset;
    /// The first page to load sends the demo batch (demo --ui).
    bool autoplay = false;
};

/// What the page needs to know about the world it shows: who listens where.
struct world_view
{
    std::string topology_json;                        ///< serve --json's line
    std::map<std::string, std::string> actor_at;      ///< "host:port" -> node name on the page
    std::map<std::string, std::string> url_of;        ///< API name (hub, hub-ops, switch-admin, dfsp2-test...) -> base URL
    std::string hub_actor = "hub";                    ///< the trace name of the Payment Hub
};

/// Runs on one executor (its own thread in `serve`); the trace sink it gives is called from
/// the actors' threads and only formats and enqueues (a mutex, no I/O, no post unless a
/// browser waits).
class ui_server
{
public:
    ui_server(net::executor ex, ui_options opts);
    ~ui_server();
    ui_server(ui_server const&) = delete;
    ui_server& operator=(ui_server const&) = delete;

    /// Bind and start serving; the port.
    std::uint16_t start();
    void stop();
    [[nodiscard]] std::string url() const;

    /// For world_options::trace: every message of every actor.
    [[nodiscard]] net::trace_sink sink() const;
    /// The world now shown (after it started; again after a reset). Safe from any thread.
    void show(world_view view);
    /// Forget the world (before it stops): events are ignored until the next show().
    void hide();

    /// Events dropped for slow browsers since start, and bytes held for browsers now.
    [[nodiscard]] std::uint64_t events_dropped() const;
    [[nodiscard]] std::size_t bytes_held() const;

    struct state;

private:
    std::shared_ptr<state> state_;
};

/// The files of the page (ui/ in the repository), built in: path ("/", "/app.js") -> body and
/// content type.
struct asset
{
    std::string_view body;
    std::string_view content_type;
};
asset const* find_asset(std::string_view path) noexcept;

} // namespace mojasim::ui
