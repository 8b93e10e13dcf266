// What the Vulkan backend runs, decided in one place: PlanNode() is called by
// Delegate::Supports (graph shapes), by Compile (to upload weights) and by
// Prepare (actual shapes, to size buffers and pick the chunk length), so the
// support answer and the kernel never disagree.
//
// The plugin reads SequenceRnnParams / CheckSequenceRnnInputs from
// core/sequence_rnn.h: the op's parameter struct and shape contract, whose
// code lives in librnnlite.so (the one internal header GPU plugins use).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/sequence_rnn.h"
#include "rnnlite/graph.h"
#include "rnnlite/status.h"
#include "vulkan/vk_context.h"

namespace rnnlite::vk {

// Backend knobs from DelegateOptions::extra.
struct BackendOptions {
  // Steps per submit (0: derived from workspace_bytes).
  int64_t chunk_steps = 0;
  // Device workspace per node that grows with the chunk (inputs, gate
  // projections, step outputs); bounds memory however long T is.
  int64_t workspace_bytes = int64_t{64} << 20;
  // Most steps recorded into one command buffer (keeps submits short on
  // GPUs with a watchdog).
  int64_t max_chunk_steps = 4096;
};

struct RnnNodePlan {
  int node = -1;
  SequenceRnnParams params;
  SequenceRnnShapes shapes;
  std::vector<int> in;   // tensor per seq_rnn_input slot (-1: absent), kCount entries
  std::vector<int> out;  // tensor per seq_rnn_output slot (-1: absent), kCount entries
  bool streaming = false;  // state inputs are variable tensors
  bool lens_int64 = false;  // sequence_lengths dtype (else int32)
  bool layer_norm = false;  // LSTM with layer-norm weights
  // Sizes (see docs/vulkan.md): K = I + I2 (aux input appended to x).
  int64_t T = 0, B = 0, I = 0, I2 = 0, K = 0, H = 0, X = 0, P = 0, D = 0, G = 0, GH = 0;
  int64_t chunk = 1;  // steps per submit (Prepare)

  bool reverse(int64_t d) const {
    return params.direction == RnnDirection::kReverse || (params.direction == RnnDirection::kBidirectional && d == 1);
  }
  // Device buffer sizes in floats.
  int64_t state_floats() const { return 2 * D * B * X + D * B * H; }
  // m or r*h, then z or the four raw layer-norm gates ([D][B][H] each).
  int64_t scratch_floats() const { return (layer_norm ? 5 : 2) * D * B * H; }
};

// The tensor of index i as the caller currently sees it (graph tensors in
// Supports/Compile, the interpreter's tensors in Prepare).
using TensorLookup = std::function<const Tensor*(int)>;

// Checks that node `node` of `graph` is a SequenceRnn this backend runs on
// this device and fills `plan` (chunk = 1). Any "no" is a Status whose
// message is the reason shown by inspect.
//
// `final_shapes` is false before shape propagation (Supports, Compile):
// a non-constant input whose shape is not known yet (an in-memory graph's
// intermediate tensor, produced by another node) is then checked as if it
// had the shape the weights imply with T = B = 1; Prepare repeats every
// check with the real shapes.
Status PlanNode(const Subgraph& graph, int node, const TensorLookup& tensors, const DeviceCaps& caps,
                bool final_shapes, RnnNodePlan* plan);

// Picks plan->chunk for T within the workspace budget and device limits.
Status PlanChunks(const DeviceCaps& caps, const BackendOptions& options, RnnNodePlan* plan);

}  // namespace rnnlite::vk
