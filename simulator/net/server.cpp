#include "simulator/net/server.hpp"

#include "simulator/core/log.hpp"
#include "simulator/net/beast.hpp"
#include "simulator/net/router.hpp"

#include <boost/asio/dispatch.hpp>

#include <atomic>
#include <list>
#include <stdexcept>

namespace mojasim::net {

using namespace detail;

struct server::impl
{
    // One open connection, as seen by stop(): close it now when idle, later when busy.
    struct session
    {
        beast::tcp_stream* stream = nullptr;
        bool busy = false;
        body_stream* streaming = nullptr; ///< the body being streamed, if any
    };

    executor ex;
    // Weak: the routes usually point into the actor that owns this server. The accept loop
    // and each session hold them strongly while they run, so what a handler refers to lives
    // as long as any request is being served, and nothing keeps the actor alive once it has
    // stopped.
    std::weak_ptr<router const> routes;
    server_options opts;
    tcp::acceptor acceptor;
    std::uint16_t port = 0;
    trace_sink trace;
    error_responder on_error;
    response_finisher finish;
    std::shared_ptr<spdlog::logger> log;
    std::list<session> sessions;
    std::atomic<std::size_t> open_count{0};
    std::atomic<std::uint64_t> accepted_count{0};
    std::atomic<std::uint64_t> idle_close_count{0};
    std::atomic<std::uint64_t> served_count{0};
    bool stopping = false;

    impl(executor e, std::weak_ptr<router const> r, server_options o)
        : ex(e), routes(std::move(r)), opts(std::move(o)), acceptor(e), log(core::logger(opts.name))
    {
    }
};

namespace {

/// How long a connection is read and discarded after an error answer, at most.
constexpr std::chrono::milliseconds linger_time{2'000};

/// Room in a session's read buffer beyond the header limit (Beast reads up to 64 KiB at a
/// time; pipelined requests wait there).
constexpr std::size_t read_slack = 64 * 1024;

/// Chunk extensions a request may carry in all: Node's HTTP parser allows 16 KiB
/// (CVE-2024-22019); they carry nothing any API here reads.
constexpr std::size_t chunk_extension_limit = 16 * 1024;

using impl_ptr = std::shared_ptr<server::impl>;

response default_error(request_error kind, std::string_view)
{
    switch(kind)
    {
    case request_error::header_too_large:
        return make_response(431, R"({"error":"request header fields too large"})");
    case request_error::body_too_large:
        return make_response(413, R"({"error":"payload too large"})");
    case request_error::bad_request:
        break;
    }
    return make_response(400, R"({"error":"bad request"})");
}

// A read that ended because the client left, timed out or the server shuts down: nobody
// waits for an answer. Anything else is something the client sent that cannot be read.
bool peer_gone(boost::system::error_code const& ec) noexcept
{
    return ec == http::error::end_of_stream || ec == beast::error::timeout ||
           ec == boost::asio::error::operation_aborted || ec == boost::asio::error::connection_reset ||
           ec == boost::asio::error::eof || ec == http::error::partial_message;
}

// Write `res` on the stream. Returns false when the connection must end.
awaitable<bool> write_response(impl_ptr self, beast::tcp_stream& stream, std::string const& peer,
                               std::uint64_t exchange, method m, std::string_view target, response res, bool keep_alive)
{
    bool const go_on = keep_alive && !res.close && !self->stopping;
    if(self->finish)
        self->finish(res);
    if(is_bodiless_status(res.status))
        res.body.clear();
    std::string const head = response_head(res.status, res.fields, res.body.size(), go_on);
    // A response to HEAD has the fields a GET would have, Content-Length included, and no
    // body (RFC 9110 §9.3.2).
    std::string_view const body = m == method::head ? std::string_view{} : std::string_view{res.body};
    if(self->trace)
        emit(self->trace, self->opts.name, exchange ? exchange : next_exchange_id(), peer,
             trace_event::direction::sent,
             trace_event::kind::response, m, target, res.status,
             res.fields, res.body);
    stream.expires_after(self->opts.read_timeout);
    auto [ec, n] = co_await boost::asio::async_write(stream, wire_buffers(head, body), use_tuple);
    co_return !ec && go_on;
}

// Write a streamed response: the head, then each piece the stream gives, until it ends, the
// client stops reading for a read timeout or the server stops. One write at a time: what the
// client does not take stays with the stream, which bounds it.
awaitable<void> write_stream(impl_ptr self, beast::tcp_stream& stream, server::impl::session& me, response res)
{
    if(self->finish)
        self->finish(res);
    std::string const head = stream_head(res.status, res.fields);
    stream.expires_after(self->opts.read_timeout);
    auto [hec, hn] = co_await boost::asio::async_write(stream, boost::asio::buffer(head), use_tuple);
    auto const body = res.stream;
    // Nothing is owed to a streaming client: stop() may close it at any time.
    me.busy = false;
    me.streaming = body.get();
    while(!hec && !self->stopping)
    {
        auto piece = co_await body->next();
        if(!piece || self->stopping)
            break;
        stream.expires_after(self->opts.read_timeout);
        auto [ec, n] = co_await boost::asio::async_write(stream, boost::asio::buffer(*piece), use_tuple);
        if(ec)
            break;
    }
    me.streaming = nullptr;
    body->close();
}

// Answer a request the session could not read with the API's own error (the connection ends
// after it).
awaitable<void> refuse(impl_ptr self, beast::tcp_stream& stream, std::string const& peer, request_error kind,
                       method m, std::string target)
{
    auto res = self->on_error(kind, target);
    co_await write_response(std::move(self), stream, peer, 0, m, target, std::move(res), false);
}

// Read and drop what the peer still sends, until it closes or `limit` passes. A coroutine of
// its own so the buffer is not part of every session's frame.
awaitable<void> discard_input(beast::tcp_stream& stream, std::chrono::milliseconds limit)
{
    stream.expires_after(limit);
    std::vector<char> sink(16 * 1024);
    for(;;)
    {
        auto [ec, n] = co_await stream.async_read_some(boost::asio::buffer(sink), use_tuple);
        if(ec)
            break;
    }
}

awaitable<void> run_session(impl_ptr self, std::shared_ptr<router const> routes, tcp::socket socket)
{
    beast::tcp_stream stream(std::move(socket));
    auto const me = self->sessions.insert(self->sessions.end(), server::impl::session{&stream, false});
    ++self->open_count;
    ++self->accepted_count;
    // Leave the session list however this coroutine ends.
    struct leave
    {
        impl_ptr const& self;
        std::list<server::impl::session>::iterator it;
        ~leave()
        {
            self->sessions.erase(it);
            --self->open_count;
        }
    } const guard{self, me};

    boost::system::error_code ec;
    std::string const peer = to_string(stream.socket().remote_endpoint(ec));
    // Bounded: a chunk-size line that never ends (a chunk-extension flood) fails the read
    // with buffer_overflow once it passes the header limit, instead of growing without end.
    beast::flat_buffer buffer(self->opts.header_limit + read_slack);
    // After answering a request it could not read (too large, malformed), the server still
    // reads what the client is sending, so the client finishes its write and reads the
    // answer instead of meeting a reset (a "lingering close", RFC 9112 §9.6).
    bool linger = false;

    while(!self->stopping)
    {
        me->busy = false;
        message_parser<true> parser;
        parser.header_limit(static_cast<std::uint32_t>(self->opts.header_limit));
        parser.body_limit(self->opts.body_limit);
        parser.chunk_extension_limit = chunk_extension_limit;

        // Wait for the next request; a kept-alive connection may stay idle this long.
        if(buffer.size() == 0)
        {
            stream.expires_after(self->opts.idle_timeout);
            auto [iec, in] = co_await stream.async_read_some(buffer.prepare(4096), use_tuple);
            buffer.commit(in);
            if(iec)
            {
                // The client left, or stayed idle too long: nothing is owed.
                if(iec == beast::error::timeout)
                    ++self->idle_close_count;
                break;
            }
        }
        // Once a request has begun, its header must arrive within the read timeout: a client
        // that dribbles it byte by byte (slowloris) is cut off like a slow body.
        stream.expires_after(self->opts.read_timeout);
        auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, use_tuple);
        me->busy = true;
        if(hec == http::error::header_limit)
        {
            co_await refuse(self, stream, peer, request_error::header_too_large, method::unknown, {});
            linger = true;
            break;
        }
        if(hec == http::error::body_limit)
        {
            co_await refuse(self, stream, peer, request_error::body_too_large, parser.msg.method, parser.msg.target);
            linger = true;
            break;
        }
        if(hec)
        {
            if(!peer_gone(hec))
            {
                co_await refuse(self, stream, peer, request_error::bad_request, method::unknown, {});
                linger = true;
            }
            break;
        }

        // A request body framed by a transfer coding other than chunked has no length the
        // server can know: 400 and close (RFC 9112 §6.3).
        if(parser.msg.fields.contains("Transfer-Encoding") && !parser.chunked())
        {
            co_await refuse(self, stream, peer, request_error::bad_request, parser.msg.method, parser.msg.target);
            linger = true;
            break;
        }

        // Honour "Expect: 100-continue" so clients that wait for it send their body.
        if(parser.expect_continue && !parser.is_done())
        {
            static constexpr std::string_view cont = "HTTP/1.1 100 Continue\r\n\r\n";
            auto [cec, cn] = co_await boost::asio::async_write(stream, boost::asio::buffer(cont.data(), cont.size()),
                                                               use_tuple);
            if(cec)
                break;
        }

        // Read the body, within the read timeout.
        if(!parser.is_done())
        {
            stream.expires_after(self->opts.read_timeout);
            auto [bec, bn] = co_await http::async_read(stream, buffer, parser, use_tuple);
            if(bec == http::error::body_limit)
            {
                co_await refuse(self, stream, peer, request_error::body_too_large, parser.msg.method,
                                parser.msg.target);
                linger = true;
                break;
            }
            if(bec)
            {
                // A malformed chunked body or a chunk-extension flood is answered like
                // malformed headers (before, the connection was closed without a word).
                if(!peer_gone(bec))
                {
                    co_await refuse(self, stream, peer, request_error::bad_request, parser.msg.method,
                                    parser.msg.target);
                    linger = true;
                }
                break;
            }
        }

        self->served_count.fetch_add(1, std::memory_order_relaxed);
        bool const keep_alive = parser.keep_alive();
        request req = std::move(parser.msg);
        req.peer = peer;
        std::uint64_t const exchange = self->trace ? next_exchange_id() : 0;
        if(self->trace)
            emit(self->trace, self->opts.name, exchange, peer, trace_event::direction::received,
                 trace_event::kind::request, req.method,
                 req.target, 0,
                 req.fields, req.body);

        method const m = req.method;
        std::string target = req.target;
        response res;
        try
        {
            res = co_await routes->dispatch(std::move(req));
        }
        catch(std::exception const& e)
        {
            // A handler bug must not take the actor down: answer 500 and go on.
            self->log->error("handler for {} {} failed: {}", to_string(m), target, e.what());
            res = make_response(500, R"({"error":"internal server error"})");
        }
        if(res.drop)
            break;
        if(res.stream)
        {
            co_await write_stream(self, stream, *me, std::move(res));
            break;
        }
        bool const go_on = co_await write_response(self, stream, peer, exchange, m, target, std::move(res), keep_alive);
        if(!go_on)
            break;
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    if(linger && !self->stopping)
    {
        me->busy = false; // stop() may close it at once: nothing is owed to this client now
        co_await discard_input(stream, std::min<std::chrono::milliseconds>(self->opts.read_timeout, linger_time));
    }
}

awaitable<void> accept_loop(impl_ptr self, std::shared_ptr<router const> routes)
{
    while(!self->stopping)
    {
        auto [ec, socket] = co_await self->acceptor.async_accept(self->ex, use_tuple);
        if(ec)
        {
            if(ec == boost::asio::error::operation_aborted || self->stopping)
                co_return;
            self->log->warn("accept failed: {}", ec.message());
            continue;
        }
        socket.set_option(tcp::no_delay(true), ec);
        spawn(self->ex, run_session(self, routes, std::move(socket)), self->opts.name);
    }
}

} // namespace

server::server(executor ex, std::shared_ptr<router const> const& routes, server_options opts)
    : impl_(std::make_shared<impl>(ex, routes, std::move(opts)))
{
    impl_->on_error = default_error;
}

server::~server()
{
    stop();
}

std::uint16_t server::listen()
{
    auto& a = impl_->acceptor;
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(impl_->opts.host == "localhost" ? "127.0.0.1" : impl_->opts.host, ec);
    if(ec)
        throw boost::system::system_error(ec, "bad listen address '" + impl_->opts.host + "'");
    tcp::endpoint const ep{address, impl_->opts.port};
    a.open(ep.protocol());
    a.set_option(boost::asio::socket_base::reuse_address(true));
    a.bind(ep);
    a.listen(boost::asio::socket_base::max_listen_connections);
    impl_->port = a.local_endpoint().port();
    return impl_->port;
}

void server::start()
{
    auto routes = impl_->routes.lock();
    if(!routes)
        throw std::logic_error("server " + impl_->opts.name + " started after its routes were destroyed");
    spawn(impl_->ex, accept_loop(impl_, std::move(routes)), impl_->opts.name);
}

void server::stop()
{
    boost::asio::dispatch(impl_->ex, [self = impl_] {
        if(self->stopping)
            return;
        self->stopping = true;
        boost::system::error_code ec;
        self->acceptor.close(ec);
        for(auto& s : self->sessions)
        {
            if(s.streaming)
                s.streaming->close();
            if(!s.busy)
                s.stream->socket().close(ec); // busy ones close after their response
        }
    });
}

std::uint16_t server::port() const noexcept
{
    return impl_->port;
}

std::string server::base_url() const
{
    std::string host = impl_->opts.host;
    if(host == "0.0.0.0")
        host = "127.0.0.1";
    return "http://" + host + ":" + std::to_string(impl_->port);
}

std::size_t server::connection_count() const noexcept
{
    return impl_->open_count.load();
}

std::uint64_t server::connections_accepted() const noexcept
{
    return impl_->accepted_count.load();
}

std::uint64_t server::idle_closes() const noexcept
{
    return impl_->idle_close_count.load();
}

std::uint64_t server::requests_served() const noexcept
{
    return impl_->served_count.load(std::memory_order_relaxed);
}

void server::set_trace(trace_sink sink)
{
    impl_->trace = std::move(sink);
}

void server::set_response_finisher(response_finisher finisher)
{
    impl_->finish = std::move(finisher);
}

void server::set_error_responder(error_responder responder)
{
    impl_->on_error = std::move(responder);
}

} // namespace mojasim::net
