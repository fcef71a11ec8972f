#include "simulator/net/client.hpp"

#include "simulator/core/log.hpp"
#include "simulator/net/beast.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <deque>
#include <unordered_map>

namespace mojasim::net {

using namespace detail;
namespace errc = boost::asio::error;

namespace {

// As fspiop's category: error_category's destructor is protected and non-virtual by design.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
struct client_category final : boost::system::error_category
{
    // A fixed id so that categories compare equal across shared objects.
    client_category() noexcept : boost::system::error_category(0x6d6f6a61636c6e74ULL) {}
    [[nodiscard]] char const* name() const noexcept override { return "mojasim.client"; }
    [[nodiscard]] std::string message(int ev) const override
    {
        if(static_cast<client_error>(ev) == client_error::outcome_unknown)
            return "outcome unknown: the request was sent and no answer came back";
        return "unknown client error";
    }
};

#pragma GCC diagnostic pop

} // namespace

boost::system::error_code make_error_code(client_error e) noexcept
{
    static client_category const instance;
    return {static_cast<int>(e), instance};
}

bool may_have_arrived(boost::system::error_code const& ec) noexcept
{
    return ec == client_error::outcome_unknown || ec == errc::timed_out;
}

struct client::impl
{
    struct connection
    {
        beast::tcp_stream stream;
        beast::flat_buffer buffer;
        std::chrono::steady_clock::time_point idle_since; ///< when it was last given back
        explicit connection(executor const& ex) : stream(ex) {}
    };
    using connection_ptr = std::unique_ptr<connection>;

    // Someone waiting for a connection to a destination whose pool is full.
    struct waiter
    {
        boost::asio::steady_timer timer;
        connection_ptr handed;  ///< an idle connection given to this waiter
        bool slot = false;      ///< or the right to open a new one
        explicit waiter(executor const& ex) : timer(ex, std::chrono::steady_clock::time_point::max()) {}
    };

    struct pool
    {
        std::deque<connection_ptr> idle; ///< oldest first
        std::size_t open = 0; ///< idle + busy + being opened
        std::deque<waiter*> waiters;
        std::vector<tcp::endpoint> endpoints; ///< resolved once
    };

    executor ex;
    client_options opts;
    trace_sink trace;
    std::unordered_map<std::string, pool> pools; ///< by "host:port"
    std::shared_ptr<spdlog::logger> log;
    std::atomic<std::size_t> open_count{0};
    bool closed = false;

    impl(executor e, client_options o) : ex(e), opts(std::move(o)), log(core::logger(opts.name)) {}

    // A connection (or its slot) is gone: let the next waiter open one.
    void release_slot(pool& p)
    {
        --p.open;
        --open_count;
        if(!p.waiters.empty())
        {
            waiter* w = p.waiters.front();
            p.waiters.pop_front();
            w->slot = true;
            ++p.open;
            ++open_count;
            w->timer.cancel();
        }
    }

    // Close idle connections past max_idle (the oldest are at the front).
    void expire_idle(pool& p, std::chrono::steady_clock::time_point now)
    {
        while(!p.idle.empty() && now - p.idle.front()->idle_since > opts.max_idle)
        {
            p.idle.pop_front();
            release_slot(p);
        }
    }

    // Give a healthy connection back: to a waiter first, else to the idle list.
    void release(pool& p, connection_ptr c)
    {
        auto const now = std::chrono::steady_clock::now();
        c->idle_since = now;
        expire_idle(p, now);
        if(!p.waiters.empty())
        {
            waiter* w = p.waiters.front();
            p.waiters.pop_front();
            w->handed = std::move(c);
            w->timer.cancel();
            return;
        }
        if(closed)
        {
            release_slot(p);
            return;
        }
        p.idle.push_back(std::move(c));
    }
};

namespace {

using impl_ptr = std::shared_ptr<client::impl>;
using connection_ptr = client::impl::connection_ptr;

awaitable<boost::system::error_code> resolve(impl_ptr self, client::impl::pool& p, url const& u)
{
    if(!p.endpoints.empty())
        co_return boost::system::error_code{};
    boost::system::error_code ec;
    auto const address = boost::asio::ip::make_address(u.host == "localhost" ? "127.0.0.1" : u.host, ec);
    if(!ec)
    {
        p.endpoints.emplace_back(address, u.port);
        co_return ec;
    }
    tcp::resolver resolver(self->ex);
    auto [rec, results] = co_await resolver.async_resolve(u.host, std::to_string(u.port), use_tuple);
    if(rec)
        co_return rec;
    for(auto const& r : results)
        p.endpoints.push_back(r.endpoint());
    co_return boost::system::error_code{};
}

// Whether an idle connection can carry a request: the peer has neither closed it nor sent
// anything on it while it idled (a peek that would block says so).
bool still_open(client::impl::connection& c)
{
    if(c.buffer.size() != 0)
        return false;
    boost::system::error_code ec;
    auto& socket = c.stream.socket();
    // Affects this peek only: Asio's async operations do not care. Set once per connection
    // (the flag is Asio's: reading it makes no system call, setting it makes an ioctl).
    if(!socket.non_blocking())
    {
        socket.non_blocking(true, ec);
        if(ec)
            return false;
    }
    char byte = 0;
    socket.receive(boost::asio::buffer(&byte, 1), tcp::socket::message_peek, ec);
    return ec == errc::would_block;
}

// Get a connection for `key`: idle, new (connected here) or handed over by another exchange.
// `fresh` (a retry) opens a new one rather than taking an idle one, closing an idle one when
// the pool is full.
awaitable<result<connection_ptr>> acquire(impl_ptr self, std::string const& key, url const& u,
                                          std::chrono::steady_clock::time_point deadline, bool fresh)
{
    auto& p = self->pools[key];
    self->expire_idle(p, std::chrono::steady_clock::now());
    while(!fresh && !p.idle.empty())
    {
        auto c = std::move(p.idle.back());
        p.idle.pop_back();
        if(still_open(*c))
            co_return c;
        // Closed by the peer while idle: nothing was written on it.
        c.reset();
        self->release_slot(p);
    }
    if(fresh && p.open >= self->opts.max_connections_per_host && !p.idle.empty())
    {
        // Trade the oldest idle connection for a new one: the slot stays counted.
        p.idle.pop_front();
    }
    else if(p.open >= self->opts.max_connections_per_host)
    {
        client::impl::waiter w(self->ex);
        w.timer.expires_at(deadline);
        p.waiters.push_back(&w);
        co_await w.timer.async_wait(use_tuple);
        if(w.handed)
            co_return std::move(w.handed);
        if(!w.slot)
        {
            // Timed out (or closed) while queued.
            std::erase(p.waiters, &w);
            co_return make_error_code(self->closed ? errc::operation_aborted : errc::timed_out);
        }
        // fall through with the slot the releaser counted for us
    }
    else
    {
        ++p.open;
        ++self->open_count;
    }

    auto const resolve_error = co_await resolve(self, p, u);
    if(auto ec = resolve_error)
    {
        self->release_slot(p);
        co_return ec;
    }
    auto c = std::make_unique<client::impl::connection>(self->ex);
    c->stream.expires_after(self->opts.connect_timeout);
    auto [ec, ep] = co_await c->stream.async_connect(p.endpoints, use_tuple);
    if(ec)
    {
        self->release_slot(p);
        co_return ec == beast::error::timeout ? make_error_code(errc::timed_out) : ec;
    }
    c->stream.socket().set_option(tcp::no_delay(true), ec);
    co_return c;
}

} // namespace

client::client(executor ex, client_options opts) : impl_(std::make_shared<impl>(ex, std::move(opts))) {}

client::~client()
{
    close();
}

awaitable<result<response>> client::send(std::string_view destination, request req, std::chrono::milliseconds timeout)
{
    return send(destination, std::move(req), send_options{timeout, false});
}

namespace {

awaitable<result<response>> exchange(impl_ptr self, std::string destination, request req, send_options how)
{
    auto const timeout = how.timeout.count() > 0 ? how.timeout : self->opts.request_timeout;
    auto const u = url::parse(destination);
    if(!u)
        co_return make_error_code(boost::system::errc::invalid_argument);
    if(self->closed)
        co_return make_error_code(errc::operation_aborted);
    std::string const key = u->host + ":" + std::to_string(u->port);
    auto const deadline = std::chrono::steady_clock::now() + timeout;

    // The head is written once; it and the body are reused by the retries.
    std::string const head = request_head(req.method, u->target, key, req.fields, req.body.size());

    std::uint64_t const exchange_id = self->trace ? next_exchange_id() : 0;
    for(int attempt = 0;; ++attempt)
    {
        bool const may_retry = attempt < self->opts.retries;
        auto acquired = co_await acquire(self, key, *u, deadline, attempt > 0);
        if(!acquired)
        {
            // Nothing was sent: a refused connection may be retried.
            if(acquired.error() == errc::connection_refused && may_retry)
                continue;
            co_return acquired.error();
        }
        connection_ptr c = std::move(*acquired);
        auto& p = self->pools[key];

        if(self->trace)
            emit(self->trace, self->opts.name, exchange_id, key, trace_event::direction::sent,
                 trace_event::kind::request, req.method, u->target, 0,
                 req.fields, req.body);

        auto const left = deadline - std::chrono::steady_clock::now();
        c->stream.expires_after(left > std::chrono::steady_clock::duration::zero() ? left : std::chrono::milliseconds(1));
        auto [wec, wn] = co_await boost::asio::async_write(c->stream, wire_buffers(head, req.body), use_tuple);
        if(wec)
        {
            // Not written whole: the peer has at most a part of it, which it cannot act on.
            c.reset();
            self->release_slot(p);
            if(wec == beast::error::timeout)
                co_return make_error_code(errc::timed_out);
            if(may_retry)
            {
                self->log->debug("{} {}{}: write failed ({}), sending again on a new connection", to_string(req.method),
                                 key, u->target, wec.message());
                continue;
            }
            co_return wec;
        }
        message_parser<false> parser;
        parser.body_limit(self->opts.body_limit);
        parser.skip(req.method == method::head); // its Content-Length describes a body not sent
        auto [rec, rn] = co_await http::async_read(c->stream, c->buffer, parser, use_tuple);
        if(rec)
        {
            // Written, and no whole answer: the peer may have acted on it.
            c.reset();
            self->release_slot(p);
            if(rec == beast::error::timeout)
                co_return make_error_code(errc::timed_out);
            if(how.idempotent && may_retry)
            {
                self->log->debug("{} {}{}: no answer ({}), sending again on a new connection", to_string(req.method),
                                 key, u->target, rec.message());
                continue;
            }
            co_return make_error_code(client_error::outcome_unknown);
        }

        bool const keep_alive = parser.keep_alive();
        response res = std::move(parser.msg);
        if(self->trace)
            emit(self->trace, self->opts.name, exchange_id, key, trace_event::direction::received,
                 trace_event::kind::response, req.method, u->target,
                 res.status, res.fields, res.body);
        if(keep_alive && !self->closed)
            self->release(p, std::move(c));
        else
        {
            c.reset();
            self->release_slot(p);
        }
        co_return res;
    }
}

} // namespace

awaitable<result<response>> client::send(std::string_view destination, request req, send_options how)
{
    return exchange(impl_, std::string(destination), std::move(req), how);
}

void client::set_trace(trace_sink sink)
{
    impl_->trace = std::move(sink);
}

void client::close()
{
    boost::asio::dispatch(impl_->ex, [self = impl_] {
        self->closed = true;
        for(auto& [key, p] : self->pools)
        {
            while(!p.idle.empty())
            {
                p.idle.pop_back();
                --p.open;
                --self->open_count;
            }
            for(auto* w : p.waiters)
                w->timer.cancel();
            p.waiters.clear();
        }
    });
}

std::size_t client::connection_count() const noexcept
{
    return impl_->open_count.load();
}

} // namespace mojasim::net
