// Streamed responses (response::stream, issue 16): the head without a length, each piece as
// the stream gives it, the connection closed at the end; stop() ends a stream that would not.
#include "simulator/net/router.hpp"
#include "simulator/net/server.hpp"
#include "tests/support/async_test.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <catch2/catch.hpp>

using namespace mojasim;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto as_tuple = asio::as_tuple(asio::use_awaitable);

// Gives its pieces, then waits (for a timer the test never lets expire) unless `end` is set.
class pieces final : public net::body_stream
{
public:
    pieces(net::executor ex, std::vector<std::string> p, bool end) : timer_(ex), pieces_(std::move(p)), end_(end) {}
    net::awaitable<std::optional<std::string>> next() override
    {
        if(next_ < pieces_.size())
            co_return pieces_[next_++];
        if(!end_ && !closed_)
        {
            timer_.expires_after(60s);
            co_await timer_.async_wait(as_tuple);
        }
        co_return std::nullopt;
    }
    void close() noexcept override
    {
        closed_ = true;
        ++closes;
        timer_.cancel();
    }
    int closes = 0;

private:
    asio::steady_timer timer_;
    std::vector<std::string> pieces_;
    std::size_t next_ = 0;
    bool end_;
    bool closed_ = false;
};

std::shared_ptr<pieces> last_stream;

net::awaitable<net::response> on_stream(net::request req)
{
    auto const ex = co_await asio::this_coro::executor;
    net::response res;
    res.fields.set("Content-Type", "text/event-stream");
    last_stream = std::make_shared<pieces>(ex, std::vector<std::string>{"data: a\n\n", "data: b\n\n", "data: c\n\n"},
                                           req.path() == "/finite");
    res.stream = last_stream;
    co_return res;
}

net::awaitable<std::string> read_all(std::uint16_t port, std::string until)
{
    auto const ex = co_await asio::this_coro::executor;
    tcp::socket s(ex);
    co_await s.async_connect({asio::ip::make_address("127.0.0.1"), port}, asio::use_awaitable);
    std::string const get = "GET /" + until + " HTTP/1.1\r\nHost: x\r\n\r\n";
    co_await asio::async_write(s, asio::buffer(get), asio::use_awaitable);
    std::string in;
    co_await asio::async_read(s, asio::dynamic_buffer(in), as_tuple); // until the server closes
    co_return in;
}

} // namespace

TEST_CASE("a streamed response: head without a length, every piece, then the connection closes")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        auto routes = std::make_shared<net::router>();
        routes->add(net::method::get, "/finite", [](net::request r) { return on_stream(std::move(r)); });
        net::server server(ioc.get_executor(), routes);
        server.listen();
        server.start();
        auto const in = co_await read_all(server.port(), "finite");
        auto const split = in.find("\r\n\r\n");
        REQUIRE(split != std::string::npos);
        auto const head = in.substr(0, split);
        CHECK(head.starts_with("HTTP/1.1 200 OK\r\n"));
        CHECK(head.find("Content-Type: text/event-stream") != std::string::npos);
        CHECK(head.find("Connection: close") != std::string::npos);
        CHECK(head.find("Content-Length") == std::string::npos);
        CHECK(in.substr(split + 4) == "data: a\n\ndata: b\n\ndata: c\n\n");
        CHECK(last_stream->closes == 1);
        server.stop();
        last_stream.reset(); // its timer must go with this test's io_context
    });
}

TEST_CASE("stop() ends a stream that would go on, and closes it")
{
    test::run_async([](asio::io_context& ioc) -> net::awaitable<void> {
        auto routes = std::make_shared<net::router>();
        routes->add(net::method::get, "/endless", [](net::request r) { return on_stream(std::move(r)); });
        net::server server(ioc.get_executor(), routes);
        server.listen();
        server.start();
        auto const ex = co_await asio::this_coro::executor;
        tcp::socket s(ex);
        co_await s.async_connect({asio::ip::make_address("127.0.0.1"), server.port()}, asio::use_awaitable);
        std::string const get = "GET /endless HTTP/1.1\r\nHost: x\r\n\r\n";
        co_await asio::async_write(s, asio::buffer(get), asio::use_awaitable);
        std::string in;
        co_await asio::async_read_until(s, asio::dynamic_buffer(in), "data: c\n\n", as_tuple);
        CHECK(in.ends_with("data: c\n\n"));
        server.stop();
        co_await asio::async_read(s, asio::dynamic_buffer(in), as_tuple); // the server closes
        CHECK(in.ends_with("data: c\n\n"));
        CHECK(last_stream->closes >= 1);
        last_stream.reset(); // its timer must go with this test's io_context
    });
}
