#include "simulator/net/client.hpp"

#include "simulator/core/log.hpp"
#include "simulator/net/beast.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <charconv>
#include <deque>
#include <unordered_map>

namespace mojasim::net {

using namespace detail;
namespace errc = boost::asio::error;

std::optional<url> url::parse(std::string_view text)
{
    constexpr std::string_view scheme = "http://";
    if(text.substr(0, scheme.size()) != scheme)
        return std::nullopt;
    text.remove_prefix(scheme.size());
    auto const slash = text.find_first_of("/?");
    std::string_view authority = text.substr(0, slash);
    url u;
    u.target = slash == std::string_view::npos ? "/" : std::string(text.substr(slash));
    if(!u.target.empty() && u.target.front() == '?')
        u.target.insert(0, "/");
    // A port follows the last ':' unless that ':' is inside an IPv6 literal ("[::1]").
    auto const colon = authority.rfind(':');
    auto const bracket = authority.rfind(']');
    if(colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket))
    {
        auto const port = authority.substr(colon + 1);
        unsigned value = 0;
        auto const [p, e] = std::from_chars(port.data(), port.data() + port.size(), value);
        if(e != std::errc{} || p != port.data() + port.size() || value == 0 || value > 65535)
            return std::nullopt;
        u.port = static_cast<std::uint16_t>(value);
        authority = authority.substr(0, colon);
    }
    if(authority.size() >= 2 && authority.front() == '[' && authority.back() == ']')
        authority = authority.substr(1, authority.size() - 2);
    if(authority.empty())
        return std::nullopt;
    u.host = std::string(authority);
    return u;
}

std::string url::origin() const
{
    return "http://" + host + ":" + std::to_string(port);
}

struct client::impl
{
    struct connection
    {
        beast::tcp_stream stream;
        beast::flat_buffer buffer;
        bool reused = false;
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
        std::vector<connection_ptr> idle;
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

    // Give a healthy connection back: to a waiter first, else to the idle list.
    void release(pool& p, connection_ptr c)
    {
        c->reused = true;
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

// Get a connection for `key`: idle, new (connected here) or handed over by another exchange.
awaitable<result<connection_ptr>> acquire(impl_ptr self, std::string const& key, url const& u,
                                          std::chrono::steady_clock::time_point deadline)
{
    auto& p = self->pools[key];
    if(!p.idle.empty())
    {
        auto c = std::move(p.idle.back());
        p.idle.pop_back();
        co_return c;
    }
    if(p.open >= self->opts.max_connections_per_host)
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

awaitable<result<response>> client::send(std::string_view destination, request req)
{
    return send(destination, std::move(req), impl_->opts.request_timeout);
}

namespace {

awaitable<result<response>> exchange(impl_ptr self, std::string destination, request req,
                                     std::chrono::milliseconds timeout)
{
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
        auto acquired = co_await acquire(self, key, *u, deadline);
        if(!acquired)
        {
            // Nothing was sent: a refused connection may be retried.
            if(acquired.error() == errc::connection_refused && attempt < self->opts.retries)
                continue;
            co_return acquired.error();
        }
        connection_ptr c = std::move(*acquired);
        auto& p = self->pools[key];
        bool const reused = c->reused;

        if(self->trace)
            emit(self->trace, self->opts.name, exchange_id, key, trace_event::direction::sent,
                 trace_event::kind::request, req.method, u->target, 0,
                 req.fields, req.body);

        auto const left = deadline - std::chrono::steady_clock::now();
        c->stream.expires_after(left > std::chrono::steady_clock::duration::zero() ? left : std::chrono::milliseconds(1));
        auto [wec, wn] = co_await boost::asio::async_write(c->stream, wire_buffers(head, req.body), use_tuple);
        message_parser<false> parser;
        parser.body_limit(self->opts.body_limit);
        parser.skip(req.method == method::head); // its Content-Length describes a body not sent
        boost::system::error_code rec;
        if(!wec)
        {
            auto [ec, n] = co_await http::async_read(c->stream, c->buffer, parser, use_tuple);
            rec = ec;
        }
        auto const ec = wec ? wec : rec;
        if(ec)
        {
            c.reset();
            self->release_slot(p);
            // A pooled connection the server had already closed: the request never arrived.
            bool const stale = reused && (ec == http::error::end_of_stream || ec == errc::connection_reset ||
                                          ec == errc::broken_pipe || ec == errc::eof);
            if(stale && attempt < self->opts.retries + 1)
                continue;
            co_return ec == beast::error::timeout ? make_error_code(errc::timed_out) : ec;
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

awaitable<result<response>> client::send(std::string_view destination, request req, std::chrono::milliseconds timeout)
{
    return exchange(impl_, std::string(destination), std::move(req), timeout);
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
