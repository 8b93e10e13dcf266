// What the CUDA backend runs for one SequenceRnn node, decided in one place:
// PlanNode() is called by Delegate::Supports (graph shapes), by Compile
// (before uploading weights) and by Prepare (actual shapes), so the support
// answer and the kernel never disagree. It also picks the engine:
//   kCudnn  - cudnnRNNForward, for nodes whose function cuDNN computes
//             exactly (CudnnExact() says why not otherwise);
//   kCustom - cuBLAS GEMMs + the fused step kernels of rnn_kernels.cu, for
//             every other variant.
// Both engines see the same canonical device buffers (rnn_host_io.h), in
// which every direction, reverse included, runs forward over its rows.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/sequence_rnn.h"
#include "rnnlite/graph.h"
#include "rnnlite/status.h"

namespace rnnlite::cu {

enum class Engine { kCudnn, kCustom };
enum class EngineChoice { kAuto, kCudnn, kCustom };
// fp32: exact fp32 math (TF32 off). kTf32: tensor-op math with TF32 (and,
// in cuDNN, fp16) down-conversion of GEMM inputs; storage stays fp32.
enum class MathMode { kFp32, kTf32 };

struct BackendOptions {
  EngineChoice engine = EngineChoice::kAuto;
  MathMode math = MathMode::kFp32;
  int64_t chunk_steps = 0;                          // 0: from workspace_bytes
  int64_t workspace_bytes = int64_t{64} << 20;      // per node, grows with the chunk
  int64_t max_chunk_steps = 65536;
  std::string fail_at;  // test fault injection: "compile", "prepare", "invoke"
};

struct RnnNodePlan {
  int node = -1;
  SequenceRnnParams params;
  SequenceRnnShapes shapes;
  std::vector<int> in;   // tensor per seq_rnn_input slot (-1: absent)
  std::vector<int> out;  // tensor per seq_rnn_output slot (-1: absent)
  bool streaming = false;
  bool lens_int64 = false;
  bool layer_norm = false;
  bool peephole = false;
  bool has_proj_bias = false;
  Engine engine = Engine::kCustom;
  std::string custom_reason;  // why not cuDNN (when engine == kCustom)
  // Sizes: K = I + I2 (the aux input is appended to x), X = P or H.
  int64_t T = 0, B = 0, I = 0, I2 = 0, K = 0, H = 0, X = 0, P = 0, D = 0, G = 0, GH = 0;
  int64_t chunk = 1;

  bool reverse(int64_t d) const {
    return params.direction == RnnDirection::kReverse || (params.direction == RnnDirection::kBidirectional && d == 1);
  }
  std::string Describe() const;
};

using TensorLookup = std::function<const Tensor*(int)>;

// Checks that node `node` is a SequenceRnn this backend runs and fills
// `plan`. `final_shapes` false: non-constant inputs whose shape is not known
// yet are checked with T = B = 1 stand-ins (Prepare repeats every check).
Status PlanNode(const Subgraph& graph, int node, const TensorLookup& tensors, const BackendOptions& options,
                bool final_shapes, RnnNodePlan* plan);

// OK when cudnnRNNForward computes exactly this node's function; otherwise
// the reason (e.g. "peepholes").
Status CudnnExact(const RnnNodePlan& plan, const std::vector<const Tensor*>& inputs);

// Picks plan->chunk for T within the workspace budget.
void PlanChunks(const BackendOptions& options, RnnNodePlan* plan);

}  // namespace rnnlite::cu
