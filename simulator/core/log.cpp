#include "simulator/core/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace mojasim::core {

std::shared_ptr<spdlog::logger> logger(std::string const& name)
{
    if(auto existing = spdlog::get(name))
        return existing;
    try
    {
        auto l = spdlog::stderr_color_mt(name);
        l->set_pattern("%H:%M:%S.%e %^%-5l%$ [%n] %v");
        return l;
    }
    catch(spdlog::spdlog_ex const&)
    {
        // Another thread registered it first.
        return spdlog::get(name);
    }
}

bool set_log_level(std::string_view level)
{
    auto const lvl = spdlog::level::from_str(std::string(level));
    if(lvl == spdlog::level::off && level != "off")
        return false;
    spdlog::set_level(lvl);
    return true;
}

} // namespace mojasim::core
