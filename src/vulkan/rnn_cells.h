// Per-cell parts of the backend: how each cell family's weights are repacked
// for the device, and which shaders one time step dispatches.
#pragma once

#include <cstdint>
#include <vector>

#include "vulkan/rnn_support.h"
#include "vulkan/vk_pipeline.h"

namespace rnnlite::vk {

// Device-ready weights of one node, built once at Compile.
struct PackedWeights {
  std::vector<float> w;          // [D][G*H][K]: W with aux W appended per row
  std::vector<float> bias;       // [D][G*H]: the bias the input projection adds
  std::vector<float> r;          // R transposed: [D][X][G*H]
  std::vector<float> proj;       // proj_w transposed: [D][H][P] (empty without projection)
  std::vector<uint32_t> params;  // common.glsl's parameter block
};
StatusOr<PackedWeights> PackWeights(const RnnNodePlan& p, const TensorLookup& tensors);

// One dispatch of a time step; a step runs them in order with a barrier
// after each. Grid: (ceil(units / workgroup), B, D).
struct StepDispatch {
  ShaderId shader;
  uint32_t mode = 0;               // specialization constant 1 (gru_step MODE)
  bool projection_weights = false;  // binds proj_w instead of R as `mat`
  int64_t units = 0;
};
std::vector<StepDispatch> StepRecipe(const RnnNodePlan& p);

}  // namespace rnnlite::vk
