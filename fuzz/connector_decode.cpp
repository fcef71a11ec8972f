// libFuzzer target: the connector outbound API decoders (simulator/connector/codec.hpp). The
// first byte picks the message, the rest is the body. What decodes must encode and decode
// back to the same value.
#include "simulator/connector/codec.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace connector = mojasim::connector;

namespace {

template<auto Decode>
void round_trip(std::string_view body)
{
    auto const first = Decode(body);
    if(!first)
        return;
    auto const again = Decode(connector::encode(*first));
    if(!again || !(*again == *first))
        std::abort();
}

using decoder = void (*)(std::string_view);

template<class T>
using decode_fn = connector::decode_result<T> (*)(std::string_view);

constexpr decoder decoders[] = {
    &round_trip<decode_fn<connector::transfer_request>{&connector::decode_transfer_request}>,
    &round_trip<decode_fn<connector::transfer_continuation>{&connector::decode_transfer_continuation}>,
    &round_trip<decode_fn<connector::transfer_response>{&connector::decode_transfer_response}>,
    &round_trip<decode_fn<connector::error_response>{&connector::decode_error_response}>,
    &round_trip<decode_fn<connector::transfer_error_response>{&connector::decode_transfer_error_response}>,
    &round_trip<decode_fn<connector::transfer_status_response>{&connector::decode_transfer_status_response}>,
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if(size == 0)
        return 0;
    std::string_view const body(reinterpret_cast<char const*>(data + 1), size - 1);
    decoders[data[0] % std::size(decoders)](body);
    return 0;
}
