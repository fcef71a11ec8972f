#include "tools/ui/ui_server.hpp"

#include "simulator/core/json_writer.hpp"
#include "simulator/core/log.hpp"
#include "simulator/net/client.hpp"
#include "simulator/net/router.hpp"
#include "simulator/net/server.hpp"
#include "tools/report/trace_log.hpp"
#include "tools/ui/event_queue.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <vector>

namespace mojasim::ui {

namespace json = boost::json;
namespace asio = boost::asio;

namespace {

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);
/// A comment line this often on a quiet stream: a browser that left is noticed by the
/// failed write, and proxies keep the stream open.
constexpr std::chrono::seconds keep_alive_every{10};
// At most one frame per browser in this time: the events of a busy batch go out together
// rather than as thousands of tiny writes (each a syscall here and an event in the page).
constexpr std::chrono::milliseconds frame_every{200};
/// Bytes of a body kept for a payment's story.
constexpr std::size_t story_body_limit = 4096;

/// `body`, at most `limit` bytes of it, into `out` (whose capacity is reused), with the value
/// of every "ilpPacket" left out: the story shows the condition and the fulfilment, never the
/// packet, and packets are most of a transfer's or quote's bytes. The ring stays small enough
/// not to push the actors' own data out of the CPU's caches.
void keep_story_body(std::string& out, std::string_view body, std::size_t limit)
{
    constexpr std::string_view key = "\"ilpPacket\":\"";
    out.clear();
    while(out.size() < limit)
    {
        auto const at = body.find(key);
        if(at == std::string_view::npos)
        {
            out.append(body.substr(0, limit - out.size()));
            break;
        }
        auto const value = at + key.size();
        auto const end = body.find('"', value);
        if(value > limit - out.size() || end == std::string_view::npos)
        {
            out.append(body.substr(0, limit - out.size()));
            break;
        }
        out.append(body.substr(0, value));
        out.append("(not kept)");
        body.remove_prefix(end);
    }
}

class subscriber;

} // namespace

struct ui_server::state
{
    net::executor ex;
    ui_options opts;
    net::router routes;
    std::unique_ptr<net::server> server;
    std::unique_ptr<net::client> client;

    mutable std::mutex mutex; // guards what follows, up to the atomics
    std::shared_ptr<world_view const> view;
    std::uint64_t generation = 0;
    std::vector<subscriber*> subscribers;
    /// The latest messages for the stories: a ring of slots reused in place (the oldest at
    /// ring_next once full).
    std::vector<report::trace_record> ring;
    std::size_t ring_next = 0;
    std::uint64_t dropped_gone = 0; ///< events dropped for browsers that have left
    bool autoplay_pending = false;

    std::atomic<bool> showing{false};
    std::atomic<std::size_t> following{0};
    // The thinning of the stream (ui_options::events_per_second), in slices of 100 ms; from
    // any actor's thread, approximate by design.
    std::atomic<std::int64_t> slice{0};
    std::atomic<std::size_t> in_slice{0};
    std::atomic<std::uint64_t> thinned{0};

    /// Whether one more message event fits in this slice's share.
    bool admit_event()
    {
        if(opts.events_per_second == 0)
            return true;
        auto const now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now().time_since_epoch())
                             .count() /
                         100;
        if(slice.load(std::memory_order_relaxed) != now)
        {
            slice.store(now, std::memory_order_relaxed);
            in_slice.store(0, std::memory_order_relaxed);
        }
        auto const share = std::max<std::size_t>(opts.events_per_second / 10, 1);
        return in_slice.fetch_add(1, std::memory_order_relaxed) < share;
    }

    state(net::executor e, ui_options o) : ex(std::move(e)), opts(std::move(o)), autoplay_pending(opts.autoplay) {}

    void on_trace(net::trace_event const& e);
    std::shared_ptr<world_view const> current() const
    {
        std::lock_guard lock(mutex);
        return view;
    }
};

namespace {

/// One browser following /events: its bounded queue (under the state's mutex) and a timer
/// its next() waits on, cancelled by a publisher (through a post) when events arrive.
class subscriber final : public net::body_stream
{
public:
    subscriber(std::shared_ptr<ui_server::state> st, std::size_t limit)
        : st_(std::move(st)), queue_(limit), timer_(st_->ex)
    {
    }

    ~subscriber() override { close(); } // a session dropped unfinished leaves no dangling entry

    net::awaitable<std::optional<std::string>> next() override
    {
        for(;;)
        {
            if(auto const due = last_frame_ + frame_every; std::chrono::steady_clock::now() < due)
            {
                // Events keep arriving meanwhile; publishers do not wake this wait (waiting_
                // is false), close() does.
                timer_.expires_at(due);
                co_await timer_.async_wait(tuple_awaitable);
            }
            {
                std::lock_guard lock(st_->mutex);
                if(closed_)
                    co_return std::nullopt;
                if(!hello_sent_)
                {
                    hello_sent_ = true;
                    co_return "retry: 1000\nevent: hello\ndata: " + std::to_string(st_->generation) + "\n\n";
                }
                if(!queue_.empty())
                {
                    last_frame_ = std::chrono::steady_clock::now();
                    co_return queue_.take();
                }
                waiting_ = true;
            }
            timer_.expires_after(keep_alive_every);
            auto [ec] = co_await timer_.async_wait(tuple_awaitable);
            bool closed = false;
            {
                std::lock_guard lock(st_->mutex);
                waiting_ = false;
                woken_ = false;
                closed = closed_;
            }
            if(!ec && !closed)
                co_return std::string(": keep-alive\n\n");
        }
    }

    void close() noexcept override
    {
        {
            std::lock_guard lock(st_->mutex);
            if(closed_)
                return;
            closed_ = true;
            std::erase(st_->subscribers, this);
            st_->dropped_gone += queue_.dropped_total();
            st_->following.store(st_->subscribers.size());
        }
        timer_.cancel();
    }

    /// Under the state's mutex, from any thread.
    void push_locked(std::string const& event)
    {
        queue_.push(event);
        wake_locked();
    }
    /// Under the state's mutex: an event thinned out of the stream.
    void thin_locked()
    {
        queue_.thin();
        wake_locked();
    }
    /// Under the state's mutex: say hello again (the world was reset).
    void greet_locked()
    {
        hello_sent_ = false;
        wake_locked();
    }
    [[nodiscard]] event_queue const& queue() const noexcept { return queue_; }

private:
    void wake_locked()
    {
        if(waiting_ && !woken_)
        {
            woken_ = true;
            wake();
        }
    }
    // Cancel the writer's wait, on the page's executor (the timer is not thread-safe).
    void wake()
    {
        if(auto me = self_.lock())
            asio::post(st_->ex, [me] { me->timer_.cancel(); });
    }

public:
    std::weak_ptr<subscriber> self_;

private:
    std::shared_ptr<ui_server::state> st_;
    event_queue queue_;
    asio::steady_timer timer_;
    bool waiting_ = false;
    bool woken_ = false;
    bool closed_ = false;
    bool hello_sent_ = false;
    std::chrono::steady_clock::time_point last_frame_{}; ///< when the last events went out
};

// Fields of a browser's request that are not passed on to the actor.
bool hop_field(std::string_view name)
{
    for(std::string_view f : {"Host", "Connection", "Content-Length", "Transfer-Encoding", "Keep-Alive", "Origin",
                              "Referer", "Cookie", "Upgrade", "TE", "Accept-Encoding"})
        if(net::iequals(name, f))
            return true;
    return name.size() > 4 && net::iequals(name.substr(0, 4), "Sec-");
}

std::string event_json(std::uint64_t exchange, std::string_view from, std::string_view to, net::method m,
                       std::string_view target, unsigned status)
{
    core::json_writer w;
    w.begin_object();
    w.field("x", exchange);
    w.field("a", from);
    w.field("b", to);
    w.field("m", net::to_string(m));
    w.field("p", target.substr(0, std::min<std::size_t>(target.size(), 160)));
    w.field("s", status);
    w.end_object();
    return std::move(w).finish();
}

} // namespace

void ui_server::state::on_trace(net::trace_event const& e)
{
    if(!showing.load(std::memory_order_relaxed))
        return;
    bool const sent = e.dir == net::trace_event::direction::sent;
    bool const is_request = e.type == net::trace_event::kind::request;
    // The client side of each exchange (who asked whom), and uploads to the hub from outside
    // (OpenG2P, curl, the page): requests the hub received on its bulk API.
    bool const client_side = sent == is_request;
    bool const maybe_upload = !sent && is_request && e.method == net::method::post &&
                              e.target.find("batchtransactions") != std::string_view::npos;
    if(!client_side && !maybe_upload)
        return;
    // One lock for the whole message: the view, the event and the story's ring. Every actor's
    // thread passes here for each message, so nothing is allocated that a slot can reuse.
    std::lock_guard lock(mutex);
    auto const* v = view.get();
    if(!v)
        return;
    bool const upload = maybe_upload && e.actor == v->hub_actor;
    if(!client_side && !upload)
        return;
    std::string_view from = e.actor;
    std::string_view to;
    if(upload)
    {
        to = from;
        from = "openg2p";
    }
    else
    {
        auto const it = v->actor_at.find(e.peer);
        to = it == v->actor_at.end() ? std::string_view(e.peer) : std::string_view(it->second);
    }
    // Requests are animated; of the answers only errors (2xx acknowledgements fold into
    // their requests).
    if((is_request || e.status >= 400) && following.load(std::memory_order_relaxed) != 0)
    {
        // Errors always reach the page; requests past the rate are counted instead.
        if(is_request && !admit_event())
        {
            thinned.fetch_add(1, std::memory_order_relaxed);
            for(auto* s : subscribers)
                s->thin_locked();
        }
        else
        {
            auto const event = is_request ? event_json(e.exchange, from, to, e.method, e.target, 0)
                                          : event_json(e.exchange, to, from, e.method, e.target, e.status);
            for(auto* s : subscribers)
                s->push_locked(event);
        }
    }

    if(opts.story_records == 0)
        return;
    report::trace_record& r = ring.size() < opts.story_records ? ring.emplace_back() : ring[ring_next];
    ring_next = (ring_next + 1) % opts.story_records;
    r.unix_us = std::chrono::duration_cast<std::chrono::microseconds>(e.time.time_since_epoch()).count();
    r.exchange = e.exchange;
    r.actor.assign(upload ? std::string_view("openg2p") : e.actor);
    r.peer.assign(upload ? e.actor : to);
    r.sent = upload ? true : sent;
    r.is_request = is_request;
    r.method = e.method;
    r.target.assign(e.target);
    r.status = e.status;
    keep_story_body(r.body, e.body, upload ? std::size_t{256} : story_body_limit);
}

namespace {

using state_ptr = std::shared_ptr<ui_server::state>;

net::response json_response(unsigned status, std::string body)
{
    auto res = net::make_response(status, std::move(body));
    res.fields.set("Cache-Control", "no-cache");
    return res;
}

net::awaitable<net::response> serve_asset(net::request req)
{
    auto const path = req.path();
    auto const* a = find_asset(path);
    if(!a)
        co_return net::make_response(404, "not found\n", "text/plain");
    auto res = net::make_response(200, std::string(a->body), a->content_type);
    res.fields.set("Cache-Control", "no-cache");
    co_return res;
}

net::awaitable<net::response> serve_events(state_ptr st, net::request)
{
    std::shared_ptr<subscriber> sub;
    {
        std::lock_guard lock(st->mutex);
        if(st->subscribers.size() >= st->opts.max_clients)
            co_return json_response(503, R"({"error":"too many pages following"})");
        sub = std::make_shared<subscriber>(st, st->opts.queue_limit);
        sub->self_ = sub;
        st->subscribers.push_back(sub.get());
        st->following.store(st->subscribers.size());
    }
    net::response res;
    res.fields.set("Content-Type", "text/event-stream");
    res.fields.set("Cache-Control", "no-cache");
    res.stream = sub;
    co_return res;
}

net::awaitable<net::response> serve_topology(state_ptr st, net::request)
{
    std::string world;
    std::uint64_t generation = 0;
    bool autoplay = false;
    {
        std::lock_guard lock(st->mutex);
        world = st->view ? st->view->topology_json : "null";
        generation = st->generation;
        autoplay = st->autoplay_pending && st->view;
        if(autoplay)
            st->autoplay_pending = false;
    }
    co_return json_response(200, "{\"generation\":" + std::to_string(generation) + ",\"autoplay\":" +
                                     (autoplay ? "true" : "false") + ",\"world\":" + world + "}");
}

net::awaitable<net::response> serve_reset(state_ptr st, net::request)
{
    if(!st->opts.on_reset)
        co_return json_response(501, R"({"error":"this world cannot be reset"})");
    std::uint64_t generation = 0;
    {
        std::lock_guard lock(st->mutex);
        generation = st->generation;
    }
    st->opts.on_reset();
    co_return json_response(202, "{\"generation\":" + std::to_string(generation) + "}");
}

net::awaitable<net::response> serve_stats(state_ptr st, net::request)
{
    std::size_t held = 0;
    std::uint64_t dropped = 0;
    std::size_t following = 0;
    {
        std::lock_guard lock(st->mutex);
        dropped = st->dropped_gone;
        for(auto const* s : st->subscribers)
        {
            held += s->queue().bytes();
            dropped += s->queue().dropped_total();
        }
        following = st->subscribers.size();
    }
    co_return json_response(200, "{\"following\":" + std::to_string(following) + ",\"bytesHeld\":" +
                                     std::to_string(held) + ",\"eventsDropped\":" + std::to_string(dropped) +
                                     ",\"eventsThinned\":" + std::to_string(st->thinned.load()) + "}");
}

// The messages of one payment (OpenG2P's request id), each request with its answer folded in.
net::awaitable<net::response> serve_story(state_ptr st, net::request req)
{
    auto const id = req.query_param("id");
    if(!id || id->empty())
        co_return json_response(400, R"({"error":"id (the payment's request_id) is required"})");
    std::vector<report::trace_record> records;
    {
        std::lock_guard lock(st->mutex);
        // The oldest is at ring_next (the end while the ring fills).
        auto const& ring = st->ring;
        auto const oldest = ring.begin() + static_cast<std::ptrdiff_t>(st->ring_next);
        records.assign(oldest, ring.end());
        records.insert(records.end(), ring.begin(), oldest);
    }
    auto const mine = report::payment_messages(records, *id);
    json::array steps;
    std::map<std::pair<std::string, std::uint64_t>, std::size_t> at; // (actor, exchange) -> step
    for(auto const* r : mine)
    {
        if(r->is_request)
        {
            at[{r->actor, r->exchange}] = steps.size();
            steps.push_back(json::object{{"from", r->actor},
                                         {"to", r->peer},
                                         {"method", net::to_string(r->method)},
                                         {"path", r->target},
                                         {"us", r->unix_us},
                                         {"body", r->body}});
        }
        else if(auto const it = at.find({r->actor, r->exchange}); it != at.end())
        {
            auto& o = steps[it->second].as_object();
            o["status"] = r->status;
            o["answer"] = r->body;
        }
    }
    json::object out{{"id", *id}, {"steps", std::move(steps)}};
    co_return json_response(200, json::serialize(out));
}

// A request to an actor's public API, passed on as it came: /x/{api}/rest -> {url of api}/rest.
net::awaitable<net::response> pass_on(state_ptr st, net::request req)
{
    auto const v = st->current();
    std::string const api(req.params.get("api"));
    auto const it = v ? v->url_of.find(api) : decltype(v->url_of.end()){};
    if(!v || it == v->url_of.end())
        co_return json_response(404, R"({"error":"no such API"})");
    auto const rest_at = req.target.find('/', 3);
    std::string const destination = it->second + (rest_at == std::string::npos ? "/" : req.target.substr(rest_at));
    net::request out;
    out.method = req.method;
    for(auto const& f : req.fields)
        if(!hop_field(f.name))
            out.fields.add(f.name, f.value);
    out.body = std::move(req.body);
    net::send_options how;
    how.timeout = std::chrono::seconds(60);
    auto r = co_await st->client->send(destination, std::move(out), how);
    if(!r)
        co_return json_response(502, "{\"error\":\"" + r.error().message() + "\"}");
    net::response res = std::move(*r);
    for(std::string_view f : {"Connection", "Content-Length", "Transfer-Encoding", "Keep-Alive"})
        res.fields.erase(f);
    co_return res;
}

} // namespace

ui_server::ui_server(net::executor ex, ui_options opts) : state_(std::make_shared<state>(ex, std::move(opts))) {}

ui_server::~ui_server()
{
    stop();
}

std::uint16_t ui_server::start()
{
    auto& st = *state_;
    using net::method;
    // Weak: the routes live in the state (a strong pointer would be a cycle); the server
    // holds the state while it serves a request.
    std::weak_ptr<state> const self = state_;
    for(std::string_view path : {"/index.html", "/app.js", "/app.css"})
        st.routes.add(method::get, path, serve_asset);
    // "/" names no segment the router can match: the page itself is the fallback's.
    st.routes.set_fallback([](net::request const& req, bool path_matched) {
        if(req.method == method::get && req.path() == "/")
            if(auto const* a = find_asset("/"))
                return net::make_response(200, std::string(a->body), a->content_type);
        return json_response(path_matched ? 405 : 404, path_matched ? R"({"error":"method not allowed"})"
                                                                    : R"({"error":"not found"})");
    });
    st.routes.add(method::get, "/events", [self](net::request r) { return serve_events(self.lock(), std::move(r)); });
    st.routes.add(method::get, "/api/topology", [self](net::request r) { return serve_topology(self.lock(), std::move(r)); });
    st.routes.add(method::post, "/api/reset", [self](net::request r) { return serve_reset(self.lock(), std::move(r)); });
    st.routes.add(method::get, "/api/story", [self](net::request r) { return serve_story(self.lock(), std::move(r)); });
    st.routes.add(method::get, "/api/ui", [self](net::request r) { return serve_stats(self.lock(), std::move(r)); });
    std::string pattern = "/x/{api}";
    for(int depth = 0; depth < 7; ++depth)
    {
        pattern += "/{p" + std::to_string(depth) + "}";
        for(auto m : {method::get, method::post, method::put, method::delete_})
            st.routes.add(m, pattern, [self](net::request r) { return pass_on(self.lock(), std::move(r)); });
    }
    net::client_options co;
    co.name = "ui";
    co.request_timeout = std::chrono::seconds(60);
    co.retries = 0;
    st.client = std::make_unique<net::client>(st.ex, co);
    net::server_options so;
    so.host = st.opts.host;
    so.port = st.opts.port;
    so.name = "ui";
    so.body_limit = 64 * 1024 * 1024;
    // The routes live in the state; the server holds them through an aliasing pointer.
    st.server = std::make_unique<net::server>(st.ex, std::shared_ptr<net::router const>(state_, &st.routes), so);
    auto const port = st.server->listen();
    st.server->start();
    return port;
}

void ui_server::stop()
{
    if(state_->server)
        state_->server->stop();
    if(state_->client)
        state_->client->close();
}

std::string ui_server::url() const
{
    return state_->server ? state_->server->base_url() + "/" : std::string{};
}

net::trace_sink ui_server::sink() const
{
    return [st = state_](net::trace_event const& e) { st->on_trace(e); };
}

void ui_server::show(world_view v)
{
    auto shown = std::make_shared<world_view const>(std::move(v));
    {
        std::lock_guard lock(state_->mutex);
        state_->view = shown;
        ++state_->generation;
        state_->ring.clear();
        state_->ring_next = 0;
        for(auto* s : state_->subscribers)
            s->greet_locked();
    }
    state_->showing.store(true);
}

void ui_server::hide()
{
    state_->showing.store(false);
}

std::uint64_t ui_server::events_dropped() const
{
    std::lock_guard lock(state_->mutex);
    std::uint64_t n = state_->dropped_gone;
    for(auto const* s : state_->subscribers)
        n += s->queue().dropped_total();
    return n;
}

std::size_t ui_server::bytes_held() const
{
    std::lock_guard lock(state_->mutex);
    std::size_t n = 0;
    for(auto const* s : state_->subscribers)
        n += s->queue().bytes();
    return n;
}

} // namespace mojasim::ui
