// libFuzzer target: the FSPIOP JSON decoders (simulator/fspiop/codec.hpp). The first byte
// picks the type (and the API major version), the rest is the body. Whatever a body decodes
// to must encode and decode back to the same value (the codec's promise).
#include "simulator/fspiop/codec.hpp"

#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace fspiop = mojasim::fspiop;

namespace {

template<class T>
void round_trip(std::string_view body, int api_major)
{
    auto const first = fspiop::decode<T>(body, api_major);
    if(!first)
    {
        // A rejected body is answered with a well-formed FSPIOP error body.
        boost::system::error_code ec;
        boost::json::parse(first.error().body(), ec);
        if(ec)
            std::abort();
        return;
    }
    auto const again = fspiop::decode<T>(fspiop::encode(*first), api_major);
    if(!again || !(*again == *first))
        std::abort();
}

using decoder = void (*)(std::string_view, int);

#define MOJASIM_FUZZ_DECODER(T) &round_trip<fspiop::T>,
constexpr decoder decoders[] = {MOJASIM_FSPIOP_DECODABLE_TYPES(MOJASIM_FUZZ_DECODER)};
#undef MOJASIM_FUZZ_DECODER

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if(size == 0)
        return 0;
    constexpr std::size_t n = std::size(decoders);
    std::size_t const pick = data[0] % (2 * n);
    std::string_view const body(reinterpret_cast<char const*>(data + 1), size - 1);
    decoders[pick % n](body, pick < n ? 1 : 2);
    return 0;
}
