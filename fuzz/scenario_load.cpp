// libFuzzer target: the scenario loader (tools/scenario/scenario.hpp), YAML text to a
// scenario or a list of "file:line:column: message" errors, never an exception or a crash.
#include "tools/scenario/scenario.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <variant>

namespace scenario = mojasim::scenario;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    std::string const text(reinterpret_cast<char const*>(data), size);
    auto const r = scenario::load_text(text, "fuzz.yaml");
    if(auto const* errors = std::get_if<std::vector<scenario::load_error>>(&r))
    {
        // A refused scenario always says why.
        if(errors->empty())
            std::abort();
        for(auto const& e : *errors)
            (void)e.to_string();
    }
    return 0;
}
