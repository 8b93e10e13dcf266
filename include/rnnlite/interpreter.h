// Interpreter: runs a Model's main subgraph. Usage mirrors TFLite:
//
//   auto model = rnnlite::Model::FromFile("m.tflite").value();
//   rnnlite::Interpreter interp(model);
//   interp.ResizeInputTensor(interp.inputs()[0], {1, 100, 40});  // optional
//   interp.AllocateTensors();
//   float* x = interp.input_tensor(0)->data_as<float>();  ... fill ...
//   interp.Invoke();
//   const float* y = interp.output_tensor(0)->data_as<float>();
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rnnlite/delegate.h"
#include "rnnlite/model.h"
#include "rnnlite/status.h"
#include "rnnlite/tensor.h"

namespace rnnlite {

// Which CPU implementation runs the ops that have two: the optimized kernels
// (the default) or the plain reference kernels, which are the correctness
// oracle every other implementation is tested against.
enum class CpuKernels { kFast, kReference };

struct InterpreterOptions {
  // Upper bound on all memory the interpreter allocates for tensors (arena,
  // dynamic and variable tensors together). Hostile or mistaken shapes fail
  // with ResourceExhausted instead of exhausting the machine.
  uint64_t max_tensor_bytes = uint64_t{8} << 30;  // 8 GiB
  CpuKernels cpu_kernels = CpuKernels::kFast;
  // Threads the CPU kernels may use; 0 = one per hardware core.
  int num_threads = 0;
  // Records the time of every execution step (see Interpreter::profile()).
  bool enable_profiling = false;
};

// Time spent in one execution step: a CPU node or a delegate partition.
struct StepProfile {
  std::string name;   // "node 3 (FULLY_CONNECTED)" or "vulkan partition 0"
  std::string kind;   // op name for CPU nodes, "delegate:<name>" for partitions
  std::vector<int> nodes;  // the graph nodes this step covers
  bool delegated = false;
  uint64_t invocations = 0;
  uint64_t total_ns = 0;
  uint64_t min_ns = 0;
  uint64_t max_ns = 0;
};

class Interpreter {
 public:
  explicit Interpreter(std::shared_ptr<const Model> model, InterpreterOptions options = {});
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  const std::vector<int>& inputs() const;
  const std::vector<int>& outputs() const;
  size_t tensors_size() const;

  // nullptr for an out-of-range index.
  Tensor* tensor(int index);
  const Tensor* tensor(int index) const;
  Tensor* input_tensor(size_t i);
  Tensor* output_tensor(size_t i);
  // Tensor index by name, or -1.
  int FindTensor(const std::string& name) const;
  Tensor* tensor_by_name(const std::string& name);

  // Changes the shape of a graph input. Only dims that are dynamic in the
  // tensor's shape_signature (-1) may change; takes effect at the next
  // AllocateTensors.
  Status ResizeInputTensor(int tensor_index, const Shape& dims);
  // Propagates shapes through every node, plans memory (buffers reused
  // between tensors whose lifetimes do not overlap) and allocates it.
  Status AllocateTensors();
  Status Invoke();
  // Sets every variable (state) tensor back to zero (or to its initial value
  // from the model), on the host and on any device holding it.
  Status ResetVariableTensors();

  // Offers every node still on the CPU to `delegate`; groups the supported
  // ones into the largest partitions that create no cycle and compiles them.
  // Call before AllocateTensors; may be called with several delegates in
  // turn. A partition that fails to compile stays on the CPU (logged), unless
  // the delegate's options forbid CPU fallback, which makes it an error.
  Status ModifyGraphWithDelegate(std::shared_ptr<Delegate> delegate);
  // Where each node runs, and why a node stayed on the CPU.
  std::vector<NodePlacement> placement() const;
  size_t num_partitions() const;
  // Delegation decisions (fallbacks and their reasons), oldest first.
  const std::vector<std::string>& delegation_log() const;

  // Per-step timings accumulated over every Invoke since AllocateTensors or
  // ResetProfile(), in execution order; empty unless enable_profiling.
  std::vector<StepProfile> profile() const;
  void ResetProfile();
  const InterpreterOptions& options() const;

  // Bytes held by the arena plan (for reporting and tests).
  size_t arena_bytes() const;
  const Subgraph& subgraph() const;

  struct Impl;  // opaque; public only so the kernel context can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace rnnlite
