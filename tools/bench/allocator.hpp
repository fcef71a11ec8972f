// Which malloc the process runs on, and handing its free memory back to the system, for the
// benchmarks' figures. build/mojasim links gperftools' tcmalloc (MOJASIM_TCMALLOC; docs/performance.md,
// "The allocator"); sanitizer builds and LD_PRELOAD runs may run on another.
#pragma once

namespace mojasim::tools {

/// "tcmalloc" when gperftools' allocator is in the process (linked or preloaded), else "glibc".
[[nodiscard]] char const* allocator_name() noexcept;

/// Return the allocator's free memory to the system, so that RSS counts live objects only:
/// tcmalloc's MallocExtension_ReleaseFreeMemory, or glibc's malloc_trim(0).
void release_free_memory() noexcept;

} // namespace mojasim::tools
