# Resolves RNNLITE_CUDA / RNNLITE_VULKAN (AUTO, ON, OFF) into
# RNNLITE_HAVE_CUDA / RNNLITE_HAVE_VULKAN. AUTO builds a backend when its
# toolchain is present; ON makes a missing toolchain a configure error; OFF
# skips it. The core library and CLI never link either.

function(rnnlite_resolve_backend option found out_var what)
  string(TOUPPER "${${option}}" mode)
  if(mode STREQUAL "OFF")
    set(${out_var} OFF PARENT_SCOPE)
  elseif(${found})
    set(${out_var} ON PARENT_SCOPE)
  elseif(mode STREQUAL "ON")
    message(FATAL_ERROR "${option}=ON but ${what} was not found")
  else()
    set(${out_var} OFF PARENT_SCOPE)
  endif()
endfunction()

# CUDA: nvcc + cuDNN, under /usr/local/cuda by default.
set(_rnnlite_cuda_found OFF)
if(NOT RNNLITE_CUDA STREQUAL "OFF")
  if(NOT CMAKE_CUDA_COMPILER AND EXISTS /usr/local/cuda/bin/nvcc)
    set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
  endif()
  # Default target: H100/H200 (sm_90). "90" builds sm_90 machine code plus
  # compute_90 PTX, which the driver JIT-compiles on newer GPUs (sm_100 ...).
  # One architecture keeps CI's 2-core build short; pass e.g.
  # -DCMAKE_CUDA_ARCHITECTURES="80;90" for A100s too (docs/cuda.md).
  if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
    set(CMAKE_CUDA_ARCHITECTURES 90 CACHE STRING "CUDA architectures of the CUDA plugin (90: H100/H200 + PTX)")
  endif()
  include(CheckLanguage)
  check_language(CUDA)
  find_package(CUDAToolkit QUIET)
  find_path(CUDNN_INCLUDE_DIR cudnn.h HINTS /usr/local/cuda/include ${CUDAToolkit_INCLUDE_DIRS})
  find_library(CUDNN_LIBRARY cudnn HINTS /usr/local/cuda/lib64 ${CUDAToolkit_LIBRARY_DIR})
  if(CMAKE_CUDA_COMPILER AND CUDAToolkit_FOUND AND CUDNN_INCLUDE_DIR AND CUDNN_LIBRARY)
    set(_rnnlite_cuda_found ON)
  endif()
endif()
rnnlite_resolve_backend(RNNLITE_CUDA _rnnlite_cuda_found RNNLITE_HAVE_CUDA "CUDA toolkit with cuDNN")

# Vulkan: headers + glslc to compile shaders (the loader is opened at run time).
set(_rnnlite_vulkan_found OFF)
if(NOT RNNLITE_VULKAN STREQUAL "OFF")
  find_path(VULKAN_HEADER_DIR vulkan/vulkan.h)
  find_program(GLSLC glslc)
  if(VULKAN_HEADER_DIR AND GLSLC)
    set(_rnnlite_vulkan_found ON)
  endif()
endif()
rnnlite_resolve_backend(RNNLITE_VULKAN _rnnlite_vulkan_found RNNLITE_HAVE_VULKAN "Vulkan headers and glslc")
