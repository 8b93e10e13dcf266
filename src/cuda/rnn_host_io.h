// Host-side reshuffles between the node's tensors (any layout the op allows)
// and the canonical buffers both engines work on:
//   xs [D][chunk][B][K]   input of (direction, step, row), K = I + I2
//   ys [D][chunk][B][X]   output of (direction, step, row)
//   h  [D][B][X], c [D][B][H]
// Step s of row b in a reverse direction reads time len_b - 1 - s, so each
// direction is a forward recurrence over its rows whose first len_b steps
// are valid: exactly cuDNN's padded layout with per-row lengths, and the
// custom kernels' masks. Layouts, directions and lengths are handled here,
// once; the device code is layout-free.
#pragma once

#include <cstdint>
#include <vector>

#include "cuda/rnn_plan.h"

namespace rnnlite::cu {

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

// Fills xs for steps [s0, s0 + n) (invalid steps are zero rows).
void GatherInputs(const RnnNodePlan& p, const RnnHostTensors& t, const std::vector<int32_t>& lens, int64_t s0,
                  int64_t n, float* xs);
// Writes ys of steps [s0, s0 + n) into Y (and Y_bw) in the node's layout.
void ScatterOutputs(const RnnNodePlan& p, const std::vector<int32_t>& lens, int64_t s0, int64_t n, const float* ys,
                    const RnnHostTensors& t);
// Initial state (zeros where absent) into h [D][B][X] and c [D][B][H].
void PackInitialState(const RnnNodePlan& p, const RnnHostTensors& t, float* h, float* c);
// Final state into Y_h / Y_c.
void UnpackFinalState(const RnnNodePlan& p, const float* h, const float* c, const RnnHostTensors& t);

// A variable state tensor's region of the canonical state.
struct StateRegion {
  bool is_c = false;
  int64_t d0 = 0;
  int64_t dirs = 0;
  bool batch_major = false;  // tensor is [B][D][width]
};
StateRegion RegionOfStateSlot(const RnnNodePlan& p, int slot);
void RegionToTensor(const RnnNodePlan& p, const StateRegion& r, const float* canonical, float* tensor);
void TensorToRegion(const RnnNodePlan& p, const StateRegion& r, const float* tensor, float* canonical);

}  // namespace rnnlite::cu
