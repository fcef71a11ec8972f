# The project's warning set (after cpp-best-practices/cmake_template), as errors.
function(mojasim_set_warnings target)
  set(warnings
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Wunused -Woverloaded-virtual -Wconversion -Wmisleading-indentation -Wduplicated-cond
    -Wlogical-op -Wimplicit-fallthrough -Wformat=2 -Wsuggest-override)
  if(MOJASIM_WERROR)
    list(APPEND warnings -Werror)
  endif()
  target_compile_options(${target} INTERFACE ${warnings})
endfunction()
