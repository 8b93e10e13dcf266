// The CUDA plugin's view of its libraries. The CUDA runtime is linked
// statically; cuDNN and cuBLAS are opened with dlopen when the delegate is
// created, so that loading librnnlite_cuda.so never fails at link time and a
// missing library becomes a Status naming it (and `--delegate auto` moves
// on). Every call into CUDA, cuDNN or cuBLAS goes through one of the CHECK
// macros below and turns into a Status; none is ever ignored.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <cudnn.h>

#include <string>

#include "rnnlite/status.h"

namespace rnnlite::cu {

// cuDNN entry points used by the plugin (cuDNN >= 9.0).
struct CudnnApi {
#define RNNLITE_CUDNN_FUNCTIONS(X)                                                                            \
  X(cudnnGetVersion) X(cudnnGetErrorString) X(cudnnCreate) X(cudnnDestroy) X(cudnnSetStream)               \
  X(cudnnCreateTensorDescriptor) X(cudnnDestroyTensorDescriptor) X(cudnnSetTensorNdDescriptor)              \
  X(cudnnGetTensorNdDescriptor) X(cudnnCreateDropoutDescriptor) X(cudnnDestroyDropoutDescriptor)           \
  X(cudnnSetDropoutDescriptor) X(cudnnCreateRNNDescriptor) X(cudnnDestroyRNNDescriptor)                    \
  X(cudnnSetRNNDescriptor_v8) X(cudnnRNNSetClip_v9) X(cudnnGetRNNWeightSpaceSize) X(cudnnGetRNNWeightParams) \
  X(cudnnCreateRNNDataDescriptor) X(cudnnDestroyRNNDataDescriptor) X(cudnnSetRNNDataDescriptor)            \
  X(cudnnGetRNNTempSpaceSizes) X(cudnnRNNForward)
#define RNNLITE_DECLARE_FN(name) decltype(&::name) name = nullptr;
  RNNLITE_CUDNN_FUNCTIONS(RNNLITE_DECLARE_FN)
  std::string path;     // what dlopen was given
  size_t version = 0;   // cudnnGetVersion(), e.g. 91000
};

// cuBLAS entry points (libcublas.so.13 or .12; the ones used have the same
// ABI in both).
struct CublasApi {
#define RNNLITE_CUBLAS_FUNCTIONS(X)                                                                 \
  X(cublasCreate_v2) X(cublasDestroy_v2) X(cublasSetStream_v2) X(cublasSetMathMode) \
  X(cublasSgemmStridedBatched)
  RNNLITE_CUBLAS_FUNCTIONS(RNNLITE_DECLARE_FN)
#undef RNNLITE_DECLARE_FN
  std::string path;
};

// Loads (once per process and library name; never unloaded) the library
// `name`, or the default list when empty: "libcudnn.so.9" for cuDNN,
// "libcublas.so.13" then "libcublas.so.12" for cuBLAS. Environment
// overrides: RNNLITE_CUDNN_LIBRARY, RNNLITE_CUBLAS_LIBRARY.
StatusOr<const CudnnApi*> LoadCudnn(const std::string& name);
StatusOr<const CublasApi*> LoadCublas(const std::string& name);

// "cuda: <what>: <error name>: <error text>"; cudaErrorMemoryAllocation
// becomes ResourceExhausted, so callers can tell out-of-memory apart.
Status CudaStatus(cudaError_t e, const char* what);
Status CudnnStatus(const CudnnApi& api, cudnnStatus_t s, const char* what);
Status CublasStatus(cublasStatus_t s, const char* what);

}  // namespace rnnlite::cu

#define RNNLITE_CUDA_CHECK(expr)                                                  \
  do {                                                                           \
    const cudaError_t rnnlite_cuda_err_ = (expr);                                \
    if (rnnlite_cuda_err_ != cudaSuccess) return ::rnnlite::cu::CudaStatus(rnnlite_cuda_err_, #expr); \
  } while (0)

// `api` is the CudnnApi in scope; `call` is e.g. cudnnCreate(&h).
#define RNNLITE_CUDNN_CHECK(api, call)                                                          \
  do {                                                                                         \
    const cudnnStatus_t rnnlite_cudnn_err_ = (api).call;                                       \
    if (rnnlite_cudnn_err_ != CUDNN_STATUS_SUCCESS) return ::rnnlite::cu::CudnnStatus(api, rnnlite_cudnn_err_, #call); \
  } while (0)

#define RNNLITE_CUBLAS_CHECK(api, call)                                                           \
  do {                                                                                           \
    const cublasStatus_t rnnlite_cublas_err_ = (api).call;                                       \
    if (rnnlite_cublas_err_ != CUBLAS_STATUS_SUCCESS) return ::rnnlite::cu::CublasStatus(rnnlite_cublas_err_, #call); \
  } while (0)
