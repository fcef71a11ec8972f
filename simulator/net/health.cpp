#include "simulator/net/health.hpp"

#include "simulator/core/clock.hpp"

#include <cstdio>

namespace mojasim::net {

namespace {

// Names come from configuration (tenant names): escape what JSON needs.
void append_string(std::string& out, std::string_view s)
{
    out += '"';
    for(char const c : s)
    {
        if(c == '"' || c == '\\')
            out += '\\';
        if(static_cast<unsigned char>(c) < 0x20)
        {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
            out += buf;
            continue;
        }
        out += c;
    }
    out += '"';
}

} // namespace

std::string_view version_number() noexcept
{
    return MOJASIM_VERSION;
}

response health_response(std::chrono::system_clock::time_point started, std::vector<health_service> const& services)
{
    bool all_ok = true;
    for(auto const& s : services)
        all_ok = all_ok && s.ok;
    auto const uptime = std::chrono::duration<double>(std::chrono::system_clock::now() - started).count();
    char up[32];
    std::snprintf(up, sizeof up, "%.3f", uptime < 0 ? 0.0 : uptime);
    std::string body = "{\"status\":";
    body += all_ok ? "\"OK\"" : "\"DOWN\"";
    body += ",\"uptime\":";
    body += up;
    body += ",\"startTime\":";
    append_string(body, core::format_datetime(started));
    body += ",\"versionNumber\":";
    append_string(body, version_number());
    body += ",\"services\":[";
    for(std::size_t i = 0; i < services.size(); ++i)
    {
        body += i ? ",{\"name\":" : "{\"name\":";
        append_string(body, services[i].name);
        body += services[i].ok ? ",\"status\":\"OK\"}" : ",\"status\":\"DOWN\"}";
    }
    body += "]}";
    return make_response(all_ok ? 200 : 502, std::move(body));
}

} // namespace mojasim::net
