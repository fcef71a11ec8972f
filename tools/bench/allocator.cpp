#include "tools/bench/allocator.hpp"

#include <dlfcn.h>
#include <malloc.h>

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

} // namespace mojasim::tools
