// The CPU reference of SequenceRnn: plain loops that follow the equations of
// docs/semantics.md one to one. It is the oracle every backend is tested
// against, so it favours being obviously right over being fast: each
// (direction, batch row) is run on its own, step by step.
#pragma once

#include <cstdint>
#include <vector>

#include "core/sequence_rnn.h"
#include "rnnlite/status.h"

namespace rnnlite {

// Pointers into tensors laid out exactly as the node's inputs and outputs
// (see seq_rnn_input / seq_rnn_output); nullptr where absent or not wanted.
template <typename T>
struct SequenceRnnRefArgs {
  const T* x = nullptr;
  const T* w = nullptr;
  const T* r = nullptr;
  const T* wb = nullptr;
  const T* rb = nullptr;
  const T* h0 = nullptr;
  const T* c0 = nullptr;
  const T* h0_bw = nullptr;
  const T* c0_bw = nullptr;
  const T* peephole = nullptr;
  const T* proj_w = nullptr;
  const T* proj_b = nullptr;
  const T* layer_norm = nullptr;
  const T* aux_x = nullptr;
  const T* aux_w = nullptr;
  // One length per batch row; empty means every row has T steps.
  std::vector<int64_t> seq_lens;

  T* y = nullptr;
  T* y_h = nullptr;
  T* y_c = nullptr;
  T* y_bw = nullptr;
  // Optional: final states in the canonical [D][B][X] and [D][B][H] order,
  // whatever the node's layouts (used to write streaming state back).
  T* final_h = nullptr;
  T* final_c = nullptr;
};

// Runs the op. `shapes` must come from CheckSequenceRnnInputs for the same
// params and inputs (it fixes T, B, I, I2). Fails only on sequence lengths
// outside [0, T].
template <typename T>
Status RunSequenceRnnReference(const SequenceRnnParams& params, const SequenceRnnShapes& shapes,
                               const SequenceRnnRefArgs<T>& args);

// One activation as ONNX defines it (docs/semantics.md); exposed for tests.
template <typename T>
T ApplyRnnActivation(const RnnActivationSpec& act, T x);

// TFLite's layer-norm epsilon (added to the variance).
inline constexpr double kRnnLayerNormEpsilon = 1e-8;

extern template Status RunSequenceRnnReference<float>(const SequenceRnnParams&, const SequenceRnnShapes&,
                                                      const SequenceRnnRefArgs<float>&);
extern template Status RunSequenceRnnReference<double>(const SequenceRnnParams&, const SequenceRnnShapes&,
                                                       const SequenceRnnRefArgs<double>&);
extern template float ApplyRnnActivation<float>(const RnnActivationSpec&, float);
extern template double ApplyRnnActivation<double>(const RnnActivationSpec&, double);

}  // namespace rnnlite
