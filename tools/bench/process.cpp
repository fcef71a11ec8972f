#include "tools/bench/process.hpp"

#include <dlfcn.h>
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

namespace mojasim::tools {

namespace {

using release_fn = void (*)();

/// gperftools' C entry point, looked up at run time: the libraries that use it need not link
/// tcmalloc, and a preloaded tcmalloc is found as well as a linked one.
release_fn tcmalloc_release() noexcept
{
    static release_fn const f = reinterpret_cast<release_fn>(dlsym(RTLD_DEFAULT, "MallocExtension_ReleaseFreeMemory"));
    return f;
}

} // namespace

char const* allocator_name() noexcept
{
    return tcmalloc_release() != nullptr ? "tcmalloc" : "glibc";
}

void release_free_memory() noexcept
{
    if(auto const f = tcmalloc_release())
        f();
    else
        malloc_trim(0);
}

cpu_time process_cpu() noexcept
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto const seconds = [](timeval t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return {seconds(u.ru_utime), seconds(u.ru_stime)};
}

std::string describe_cpu(cpu_time cpu, std::size_t count, char const* unit)
{
    auto const each = cpu.us_per(count);
    char buf[160];
    int const len = std::snprintf(buf, sizeof buf, "     CPU %.2f s user + %.2f s kernel = %.1f + %.1f us per %s",
                                  cpu.user, cpu.kernel, each.user, each.kernel, unit);
    return {buf, static_cast<std::size_t>(std::clamp(len, 0, static_cast<int>(sizeof buf) - 1))};
}

double rss_mb()
{
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

double peak_rss_mb() noexcept
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;
}

} // namespace mojasim::tools
