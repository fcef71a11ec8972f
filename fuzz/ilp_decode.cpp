// libFuzzer target: the ILP v1 packet decoders (simulator/fspiop/ilp.hpp). The input is
// tried both as OER bytes and as a base64url ilpPacket. A decoded packet encodes and decodes
// back to itself.
#include "simulator/fspiop/ilp.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace fspiop = mojasim::fspiop;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    std::string_view const bytes(reinterpret_cast<char const*>(data), size);
    if(auto const p = fspiop::decode_ilp_payment(bytes))
    {
        auto const again = fspiop::decode_ilp_payment(fspiop::encode_ilp_payment(*p));
        if(!again || !(*again == *p))
            std::abort();
    }
    for(int const major : {1, 2})
    {
        auto const t = fspiop::decode_ilp_transaction(bytes, major);
        if(t)
        {
            // A Transaction that decoded from a packet makes a packet that decodes to it.
            auto const packet = fspiop::make_ilp_packet(*t);
            if(packet)
            {
                auto const back = fspiop::decode_ilp_transaction(*packet, major);
                if(!back || !(*back == *t))
                    std::abort();
            }
        }
    }
    return 0;
}
