# The project's warning set (after cpp-best-practices/cmake_template), as errors.
function(mojasim_set_warnings target)
  set(warnings
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Wunused -Woverloaded-virtual -Wconversion -Wmisleading-indentation -Wduplicated-cond
    -Wlogical-op -Wimplicit-fallthrough -Wformat=2 -Wsuggest-override
    # g++ 12 reports Asio's coroutine frame operator delete as mismatched with its
    # operator new when inlined under -O1 + sanitizers: a false positive (GCC bug 109224).
    -Wno-mismatched-new-delete)
  if(MOJASIM_WERROR)
    list(APPEND warnings -Werror)
  endif()
  target_compile_options(${target} INTERFACE ${warnings})
endfunction()
