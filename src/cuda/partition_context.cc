#include "cuda/engine.h"

namespace rnnlite::cu {

PartitionContext::~PartitionContext() {
  // Teardown errors cannot be reported (the interpreter is going away);
  // pending work is drained first so no kernel outlives its buffers.
  if (stream_) cudaStreamSynchronize(stream_);
  if (cublas_) device_->cublas->cublasDestroy_v2(cublas_);
  if (cudnn_) device_->cudnn->cudnnDestroy(cudnn_);
  if (stream_) cudaStreamDestroy(stream_);
}

StatusOr<std::unique_ptr<PartitionContext>> PartitionContext::Create(const DeviceInfo& device, MemoryTracker* tracker,
                                                                     MathMode math) {
  std::unique_ptr<PartitionContext> ctx(new PartitionContext());
  ctx->device_ = &device;
  ctx->tracker_ = tracker;
  ctx->math_ = math;
  RNNLITE_CUDA_CHECK(cudaSetDevice(device.index));
  RNNLITE_CUDA_CHECK(cudaStreamCreateWithFlags(&ctx->stream_, cudaStreamNonBlocking));
  const CudnnApi& dnn = *device.cudnn;
  RNNLITE_CUDNN_CHECK(dnn, cudnnCreate(&ctx->cudnn_));
  RNNLITE_CUDNN_CHECK(dnn, cudnnSetStream(ctx->cudnn_, ctx->stream_));
  const CublasApi& blas = *device.cublas;
  RNNLITE_CUBLAS_CHECK(blas, cublasCreate(&ctx->cublas_));
  RNNLITE_CUBLAS_CHECK(blas, cublasSetStream(ctx->cublas_, ctx->stream_));
  // fp32: no TF32 (CUBLAS_DEFAULT_MATH keeps SGEMM in full fp32).
  RNNLITE_CUBLAS_CHECK(blas, cublasSetMathMode(ctx->cublas_, math == MathMode::kFp32 ? CUBLAS_DEFAULT_MATH
                                                                                    : CUBLAS_TF32_TENSOR_OP_MATH));
  return ctx;
}

}  // namespace rnnlite::cu
