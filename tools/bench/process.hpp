// What the benchmarks read off their own process: which malloc it runs on (and handing its
// free memory back to the system), its resident memory and its CPU time. build/mojasim links
// gperftools' tcmalloc (MOJASIM_TCMALLOC; docs/performance.md, "The allocator"); sanitizer
// builds and LD_PRELOAD runs may run on another.
#pragma once

#include <cstddef>
#include <string>

namespace mojasim::tools {

/// CPU time of the whole process (every thread), in seconds: user space and the kernel apart,
/// since a loopback benchmark spends about half of it in the kernel.
struct cpu_time
{
    double user = 0;
    double kernel = 0;

    [[nodiscard]] double total() const noexcept { return user + kernel; }
    /// Microseconds per one of `count` (exchanges, payments); zero for none.
    [[nodiscard]] cpu_time us_per(std::size_t count) const noexcept
    {
        if(count == 0)
            return {};
        double const n = static_cast<double>(count);
        return {user * 1e6 / n, kernel * 1e6 / n};
    }
    friend cpu_time operator-(cpu_time a, cpu_time b) noexcept { return {a.user - b.user, a.kernel - b.kernel}; }
};

/// getrusage(RUSAGE_SELF) now.
[[nodiscard]] cpu_time process_cpu() noexcept;

/// "     CPU 2.40 s user + 5.51 s kernel = 6.1 + 14.1 us per exchange" (`unit`, `count` of them).
[[nodiscard]] std::string describe_cpu(cpu_time cpu, std::size_t count, char const* unit);

/// Resident set now (/proc/self/statm), and its peak so far (ru_maxrss), in MiB.
[[nodiscard]] double rss_mb();
[[nodiscard]] double peak_rss_mb() noexcept;

/// "tcmalloc" when gperftools' allocator is in the process (linked or preloaded), else "glibc".
[[nodiscard]] char const* allocator_name() noexcept;

/// Return the allocator's free memory to the system, so that RSS counts live objects only:
/// tcmalloc's MallocExtension_ReleaseFreeMemory, or glibc's malloc_trim(0).
void release_free_memory() noexcept;

} // namespace mojasim::tools
