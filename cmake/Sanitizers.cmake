# ASan + UBSan together (MOJASIM_SANITIZE=ON); every failure is fatal.
function(mojasim_set_sanitizers target)
  if(MOJASIM_SANITIZE)
    set(flags -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_compile_options(${target} INTERFACE ${flags})
    target_link_options(${target} INTERFACE ${flags})
  endif()
endfunction()
