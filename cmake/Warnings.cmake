# The project's warning set (after cpp-best-practices/cmake_template), as errors. Clang (the
# fuzz build) lacks the two g++-only warnings; the order is kept so g++ flags stay the same.
function(mojasim_set_warnings target)
  set(warnings
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Wunused -Woverloaded-virtual -Wconversion -Wmisleading-indentation)
  set(gnu CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  if(${gnu})
    list(APPEND warnings -Wduplicated-cond -Wlogical-op)
  endif()
  list(APPEND warnings -Wimplicit-fallthrough -Wformat=2 -Wsuggest-override)
  if(${gnu})
    # g++ 12 reports Asio's coroutine frame operator delete as mismatched with its
    # operator new when inlined under -O1 + sanitizers: a false positive (GCC bug 109224).
    list(APPEND warnings -Wno-mismatched-new-delete)
  endif()
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    # fspiop's base64url check ands bools with & on purpose (no branch per character).
    list(APPEND warnings -Wno-bitwise-instead-of-logical)
  endif()
  if(MOJASIM_WERROR)
    list(APPEND warnings -Werror)
  endif()
  target_compile_options(${target} INTERFACE ${warnings})
endfunction()
