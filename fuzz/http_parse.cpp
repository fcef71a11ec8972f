// libFuzzer target: the HTTP/1.1 message parser the server and the client read with
// (net::detail::message_parser, Beast's basic_parser filling net::request / net::response).
// The first byte picks request or response (and HEAD's bodiless response); the rest is fed
// as the peer's bytes, in pieces, as a pipelined connection would deliver them. Beast is
// instantiated here for the fuzz target only.
#include "simulator/net/awaitable.hpp"
#include "simulator/net/beast.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

using namespace mojasim::net::detail;

// Parse messages from `wire` one after another until it runs out or one is malformed.
template<bool isRequest>
void parse_all(std::string_view wire, std::size_t piece, bool skip_body)
{
    for(int messages = 0; messages < 64 && !wire.empty(); ++messages)
    {
        message_parser<isRequest> parser;
        parser.header_limit(64 * 1024);
        parser.body_limit(1024 * 1024);
        if constexpr(!isRequest)
            parser.skip(skip_body);
        parser.eager(true);
        // Feed at most `piece` more bytes at a time, as a socket read would.
        std::size_t have = 0;
        std::size_t used = 0;
        beast::error_code ec;
        while(!parser.is_done())
        {
            have = std::min(wire.size(), have + piece);
            std::size_t const n = parser.put(boost::asio::buffer(wire.data() + used, have - used), ec);
            used += n;
            if(used > have)
                std::abort();
            if(ec == http::error::need_more)
            {
                ec = {};
                if(have < wire.size())
                    continue;
                // The peer closed: only a message that ends at the close is complete.
                parser.put_eof(ec);
                if(ec || !parser.is_done())
                    return;
                break;
            }
            if(ec || (n == 0 && have == wire.size()))
                return;
        }
        // A parsed message: its body never exceeds the limit.
        if(parser.msg.body.size() > 1024 * 1024)
            std::abort();
        wire.remove_prefix(used);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if(size == 0)
        return 0;
    std::size_t const piece = 1 + (data[0] >> 2); // 1..64 bytes per read
    std::string_view const wire(reinterpret_cast<char const*>(data + 1), size - 1);
    switch(data[0] & 3)
    {
    case 0:
    case 1: parse_all<true>(wire, piece, false); break;
    case 2: parse_all<false>(wire, piece, false); break;
    default: parse_all<false>(wire, piece, true); break;
    }
    return 0;
}
