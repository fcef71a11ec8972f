# Project options. Defaults suit a developer build; tools/test sets the rest.
option(MOJASIM_BUILD_TESTS "Build the Catch2 test suites" ON)
option(MOJASIM_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(MOJASIM_WERROR "Treat warnings as errors" ON)
# The libFuzzer targets of fuzz/ (clang only): every library gets
# -fsanitize=fuzzer-no-link,address,undefined; build-fuzz/ in tools/test.
option(MOJASIM_FUZZ "Build the libFuzzer targets (clang)" OFF)
# ThreadSanitizer (build-tsan/ in tools/test); not together with MOJASIM_SANITIZE.
option(MOJASIM_TSAN "Build with ThreadSanitizer" OFF)
# build/mojasim on gperftools' tcmalloc (libgoogle-perftools-dev); ignored with sanitizers.
option(MOJASIM_TCMALLOC "Link build/mojasim against tcmalloc_minimal" ON)
# Whether this build links it: the sanitizers and libFuzzer bring their own allocator. The
# binary (tools/), its benchmark test and the deploy check (tests/) all follow this one value.
if(MOJASIM_TCMALLOC AND NOT (MOJASIM_SANITIZE OR MOJASIM_TSAN OR MOJASIM_FUZZ))
  set(MOJASIM_MALLOC tcmalloc)
else()
  set(MOJASIM_MALLOC glibc)
endif()
# Threads of the world in the scenario.* tests (empty: the CLI's default). build-tsan sets 3.
set(MOJASIM_SCENARIO_THREADS "" CACHE STRING "--threads for the scenario tests")
# For parallel development only: library folders to leave out (e.g. "simulator/fspiop").
set(MOJASIM_SKIP_DIRS "" CACHE STRING "Library folders to leave out of this build tree")
set(MOJASIM_SKIP_TESTS "" CACHE STRING "Test folders to leave out (e.g. \"unit/fspiop\")")

set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE Release CACHE STRING "Build type" FORCE)
endif()
# -O2 builds noticeably faster than -O3 here and runs as fast on this code.
set(CMAKE_CXX_FLAGS_RELEASE "-O2 -DNDEBUG" CACHE STRING "" FORCE)

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()
