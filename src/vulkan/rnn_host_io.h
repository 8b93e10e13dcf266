// Host-side reshuffles between the node's tensors (any layout the op
// allows) and the device's canonical chunk buffers. The device only ever sees
//   xs [D][chunk][B][K]   inputs per (direction, step, row), K = I + I2
//   ys [D][chunk][B][X]   outputs per (direction, step, row)
//   h  [D][B][X], c [D][B][H]
// where step s of row b in a reverse direction reads time len_b - 1 - s, so
// every layout, direction and sequence length is handled here, once, and
// the shaders stay layout-free.
#pragma once

#include <cstdint>
#include <vector>

#include "vulkan/rnn_support.h"

namespace rnnlite::vk {

// Pointers to the node's host tensors (nullptr where absent).
struct RnnHostTensors {
  const float* x = nullptr;
  const float* aux_x = nullptr;
  const float* h0 = nullptr;
  const float* c0 = nullptr;
  const float* h0_bw = nullptr;
  const float* c0_bw = nullptr;
  float* y = nullptr;
  float* y_h = nullptr;
  float* y_c = nullptr;
  float* y_bw = nullptr;
};

// Time read (and output row written) by step s of row b in direction d:
// valid steps walk the row's sequence (backwards when reversed); steps at or
// past the length map to time s, whose output is zero.
inline int64_t StepTime(const RnnNodePlan& p, int64_t d, int64_t len, int64_t s) {
  return (s < len && p.reverse(d)) ? len - 1 - s : s;
}

// Fills xs for steps [s0, s0 + n) (rows of invalid steps are zeros).
void GatherInputs(const RnnNodePlan& p, const RnnHostTensors& t, const std::vector<int32_t>& lens, int64_t s0,
                  int64_t n, float* xs);
// Writes ys of steps [s0, s0 + n) to Y (and Y_bw) in the node's layout.
void ScatterOutputs(const RnnNodePlan& p, const std::vector<int32_t>& lens, int64_t s0, int64_t n, const float* ys,
                    const RnnHostTensors& t);
// Initial state (zeros where absent) into h [D][B][X] and c [D][B][H].
void PackInitialState(const RnnNodePlan& p, const RnnHostTensors& t, float* h, float* c);
// Final state h [D][B][X] / c [D][B][H] into Y_h / Y_c.
void UnpackFinalState(const RnnNodePlan& p, const float* h, const float* c, const RnnHostTensors& t);

// A variable state tensor's place in the canonical state: slot (h0, c0,
// h0_bw or c0_bw). Per-direction tensors are one direction's [B][width]
// block; stacked ones are all of [D][B][width] (batch-major: [B][D][width]).
struct StateRegion {
  bool is_c = false;  // c (width H) rather than h (width X)
  int64_t d0 = 0;     // first direction covered
  int64_t dirs = 0;   // directions covered
  bool batch_major = false;  // tensor is [B][D][width]
};
StateRegion RegionOfStateSlot(const RnnNodePlan& p, int slot);
// canonical <-> tensor for one region. `canonical` points at the region's
// first direction ([dirs][B][width]).
void RegionToTensor(const RnnNodePlan& p, const StateRegion& r, const float* canonical, float* tensor);
void TensorToRegion(const RnnNodePlan& p, const StateRegion& r, const float* tensor, float* canonical);

}  // namespace rnnlite::vk
