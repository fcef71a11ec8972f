# ASan + UBSan together (MOJASIM_SANITIZE=ON), ThreadSanitizer (MOJASIM_TSAN=ON), or the
# fuzzing instrumentation (MOJASIM_FUZZ=ON, clang: coverage for libFuzzer plus ASan + UBSan;
# the fuzz targets add -fsanitize=fuzzer at link). Every failure is fatal.
if(MOJASIM_TSAN AND (MOJASIM_SANITIZE OR MOJASIM_FUZZ))
  message(FATAL_ERROR "MOJASIM_TSAN cannot be combined with MOJASIM_SANITIZE or MOJASIM_FUZZ")
endif()
if(MOJASIM_FUZZ AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "MOJASIM_FUZZ needs clang (libFuzzer): configure with CXX=clang++")
endif()

function(mojasim_set_sanitizers target)
  set(flags)
  if(MOJASIM_FUZZ)
    # -fno-sanitize=function: clang 14 cannot emit its prologue data for a coroutine's split
    # functions ("Cannot represent a difference across sections"); g++'s UBSan lacks it too.
    set(flags -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=function -fno-sanitize-recover=all
              -fno-omit-frame-pointer)
  elseif(MOJASIM_SANITIZE)
    set(flags -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  elseif(MOJASIM_TSAN)
    # -Wno-tsan: g++ 12 warns that TSan does not model atomic_thread_fence, which Asio's
    # fenced_block uses around handler calls; the scheduler's mutex orders them anyway.
    set(flags -fsanitize=thread -fno-omit-frame-pointer -Wno-tsan)
  endif()
  if(flags)
    target_compile_options(${target} INTERFACE ${flags})
    target_link_options(${target} INTERFACE ${flags})
  endif()
endfunction()
