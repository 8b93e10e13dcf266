// The two ways a node's chunk of steps is computed (rnn_plan.h picks one),
// behind one interface, and what they share: the partition's stream and
// library handles, and the node's weights repacked once on the host.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "cuda/device.h"
#include "cuda/rnn_plan.h"

namespace rnnlite::cu {

// One per partition: its stream (all of the partition's work is ordered on
// it) and the cuDNN / cuBLAS handles bound to that stream.
class PartitionContext {
 public:
  ~PartitionContext();
  static StatusOr<std::unique_ptr<PartitionContext>> Create(const DeviceInfo& device, MemoryTracker* tracker,
                                                            MathMode math);
  const DeviceInfo& device() const { return *device_; }
  const CudnnApi& cudnn() const { return *device_->cudnn; }
  const CublasApi& cublas() const { return *device_->cublas; }
  MemoryTracker* tracker() const { return tracker_; }
  MathMode math() const { return math_; }
  cudaStream_t stream() const { return stream_; }
  cudnnHandle_t cudnn_handle() const { return cudnn_; }
  cublasHandle_t cublas_handle() const { return cublas_; }

 private:
  PartitionContext() = default;
  const DeviceInfo* device_ = nullptr;
  MemoryTracker* tracker_ = nullptr;
  MathMode math_ = MathMode::kFp32;
  cudaStream_t stream_ = nullptr;
  cudnnHandle_t cudnn_ = nullptr;
  cublasHandle_t cublas_ = nullptr;
};

// The node's constant inputs per direction d, in canonical gate order, with
// the aux input's weights appended to each input-weight row (K = I + I2).
// Absent biases are zeros; absent optional tensors are empty.
struct HostWeights {
  std::vector<float> w;          // [D][GH][K]
  std::vector<float> r;          // [D][GH][X]
  std::vector<float> wb, rb;     // [D][GH]
  std::vector<float> peephole;   // [D][3][H]
  std::vector<float> layer_norm; // [D][4][H]
  std::vector<float> proj_w;     // [D][P][H]
  std::vector<float> proj_b;     // [D][P]
};

// The device side of one chunk: steps [s0, s0 + n) of the canonical buffers
// (rnn_host_io.h). h[cur_h] and c[cur_c] hold the state on entry; engines
// leave the new state there, flipping cur_h / cur_c when they write the
// other buffer.
struct ChunkIo {
  int64_t s0 = 0, n = 0;
  const std::vector<int32_t>* lens = nullptr;  // host copy of lens_dev
  const int* lens_dev = nullptr;               // [B]
  const float* xs = nullptr;                   // [D][chunk][B][K]
  float* ys = nullptr;                         // [D][chunk][B][X]
  float* h[2] = {nullptr, nullptr};            // [D][B][X] each
  float* c[2] = {nullptr, nullptr};            // [D][B][H] each
  int* cur_h = nullptr;
  int* cur_c = nullptr;
};

class RnnEngine {
 public:
  virtual ~RnnEngine() = default;
  // Uploads the weights (Compile).
  virtual Status Upload(const RnnNodePlan& plan, const HostWeights& weights) = 0;
  // Sizes buffers, descriptors and workspace for plan's T, B and chunk.
  virtual Status Prepare(const RnnNodePlan& plan) = 0;
  // Enqueues one chunk on the partition stream (no allocation, no sync).
  virtual Status Run(const ChunkIo& io) = 0;
};

std::unique_ptr<RnnEngine> MakeCustomEngine(PartitionContext* ctx);
std::unique_ptr<RnnEngine> MakeCudnnEngine(PartitionContext* ctx);

}  // namespace rnnlite::cu
