// Raw HTTP/1.1 over a blocking TCP socket to 127.0.0.1, for the hostile-input suite: it sends
// exactly the bytes a test writes (malformed, partial, pipelined, dribbled) and reads what the
// server answers. Every read and write is bounded by the socket's timeout, so a server that
// never answers fails the test instead of hanging it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mojasim::test {

/// One HTTP response as read off the wire.
struct http_reply
{
    unsigned status = 0;
    std::string head; ///< status line and header fields, CRLF-separated
    std::string body;

    /// A header field's value (case-insensitive name), or empty.
    [[nodiscard]] std::string field(std::string_view name) const
    {
        std::size_t pos = head.find("\r\n");
        while(pos != std::string::npos && pos + 2 < head.size())
        {
            auto const start = pos + 2;
            auto const end = head.find("\r\n", start);
            std::string_view const line(head.data() + start, (end == std::string::npos ? head.size() : end) - start);
            auto const colon = line.find(':');
            if(colon != std::string_view::npos && colon == name.size() &&
               std::equal(name.begin(), name.end(), line.begin(),
                          [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) ==
                                                      std::tolower(static_cast<unsigned char>(b)); }))
            {
                auto v = line.substr(colon + 1);
                while(!v.empty() && v.front() == ' ')
                    v.remove_prefix(1);
                return std::string(v);
            }
            pos = end;
        }
        return {};
    }
};

class raw_conn
{
public:
    explicit raw_conn(std::uint16_t port, std::chrono::milliseconds io_timeout = std::chrono::milliseconds(10'000))
    {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if(fd_ < 0)
            throw std::runtime_error("socket() failed");
        set_timeout(io_timeout);
        int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if(::connect(fd_, reinterpret_cast<sockaddr const*>(&a), sizeof a) != 0)
        {
            ::close(fd_);
            fd_ = -1;
            throw std::runtime_error("connect to port " + std::to_string(port) + " failed");
        }
    }
    ~raw_conn()
    {
        if(fd_ >= 0)
            ::close(fd_);
    }
    raw_conn(raw_conn&& o) noexcept : fd_(std::exchange(o.fd_, -1)), buf_(std::move(o.buf_)) {}
    raw_conn(raw_conn const&) = delete;
    raw_conn& operator=(raw_conn const&) = delete;
    raw_conn& operator=(raw_conn&&) = delete;

    void set_timeout(std::chrono::milliseconds t)
    {
        timeval tv{};
        tv.tv_sec = static_cast<time_t>(t.count() / 1000);
        tv.tv_usec = static_cast<suseconds_t>((t.count() % 1000) * 1000);
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    }

    [[nodiscard]] int fd() const noexcept { return fd_; }

    /// Write every byte; false when the peer closed or reset the connection.
    bool send(std::string_view data)
    {
        while(!data.empty())
        {
            auto const n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
            if(n <= 0)
                return false;
            data.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }

    /// The next response, or nothing when the connection ended (or timed out) first.
    std::optional<http_reply> read_reply()
    {
        std::size_t end = 0;
        while((end = buf_.find("\r\n\r\n")) == std::string::npos)
            if(!fill())
                return std::nullopt;
        http_reply r;
        r.head = buf_.substr(0, end);
        buf_.erase(0, end + 4);
        if(r.head.size() < 12 || r.head.compare(0, 5, "HTTP/") != 0)
            return std::nullopt;
        r.status = static_cast<unsigned>(std::stoul(r.head.substr(9, 3)));
        auto const length = r.field("Content-Length");
        std::size_t const n = length.empty() ? 0 : std::stoul(length);
        while(buf_.size() < n)
            if(!fill())
                return std::nullopt;
        r.body = buf_.substr(0, n);
        buf_.erase(0, n);
        return r;
    }

    /// True when the peer ends the connection (EOF or reset) within the socket's timeout;
    /// anything it still sends is read and dropped.
    bool closed_by_peer()
    {
        buf_.clear();
        char tmp[4096];
        for(;;)
        {
            auto const n = ::recv(fd_, tmp, sizeof tmp, 0);
            if(n == 0)
                return true;
            if(n < 0)
                return errno == ECONNRESET || errno == EPIPE;
        }
    }

    /// Abort the connection with a TCP reset (SO_LINGER 0), as a crashed client does.
    void reset()
    {
        linger l{1, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        ::close(fd_);
        fd_ = -1;
    }

private:
    bool fill()
    {
        char tmp[16 * 1024];
        auto const n = ::recv(fd_, tmp, sizeof tmp, 0);
        if(n <= 0)
            return false;
        buf_.append(tmp, static_cast<std::size_t>(n));
        return true;
    }

    int fd_ = -1;
    std::string buf_;
};

/// A request's text: the request line, Host, the fields given, Content-Length (unless a field
/// already frames the body) and the body.
inline std::string http_text(std::string_view method, std::string_view target,
                             std::vector<std::pair<std::string, std::string>> const& fields = {},
                             std::string_view body = {})
{
    std::string s;
    s.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    bool framed = false;
    for(auto const& [k, v] : fields)
    {
        s.append(k).append(": ").append(v).append("\r\n");
        framed = framed || k == "Content-Length" || k == "Transfer-Encoding";
    }
    if(!framed && (!body.empty() || method == "POST" || method == "PUT"))
        s.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
    s.append("\r\n").append(body);
    return s;
}

} // namespace mojasim::test
