// SequenceRnn: rnnlite's ONE recurrent op (LSTM / GRU / RNN; forward,
// reverse, bidirectional; per-batch lengths; streaming state). Every importer
// produces it, every backend implements it. Full equations and the gate
// orders of TFLite / ONNX / cuDNN / PyTorch: docs/semantics.md. Serialized
// form (custom op RNNLITE_SEQUENCE_RNN + flexbuffer options): docs/format.md.
//
// In the IR it is a node with op == Op::kCustom and custom_code ==
// kSequenceRnnCustomCode; its parameters live in the node's AttrMap under the
// names in `seq_rnn_attr` and parse into SequenceRnnParams.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rnnlite/graph.h"
#include "rnnlite/status.h"

namespace rnnlite {

enum class RnnCell : int64_t { kLstm = 0, kGru = 1, kRnn = 2 };
enum class RnnDirection : int64_t { kForward = 0, kReverse = 1, kBidirectional = 2 };

// How Y is laid out when there are D directions.
enum class RnnOutputLayout : int64_t {
  kStacked = 0,  // ONNX: [T, D, B, H] time-major, [B, T, D, H] batch-major
  kConcat = 1,   // TFLite merge_outputs: [T, B, D*H] / [B, T, D*H] (fw first)
  kSplit = 2,    // TFLite merge_outputs=false: Y = forward, Y_bw = backward,
                 // each [T, B, H] / [B, T, H]
};

// How initial/final states are laid out.
enum class RnnStateLayout : int64_t {
  kStacked = 0,       // one tensor per state: [D, B, X] time-major, [B, D, X]
                      // batch-major (ONNX layout=1)
  kPerDirection = 1,  // TFLite: one [B, X] tensor per direction and state;
                      // forward (or the only direction) in kH0/kC0, backward
                      // in kH0Bw/kC0Bw
};

// Activation functions as ONNX lists them (alpha/beta as ONNX defines),
// plus the two TFLite fused activations ONNX lacks.
enum class RnnActivation : int64_t {
  kSigmoid = 0,
  kTanh = 1,
  kRelu = 2,
  kHardSigmoid = 3,      // max(0, min(1, alpha*x + beta))
  kLeakyRelu = 4,        // x >= 0 ? x : alpha*x
  kThresholdedRelu = 5,  // x > alpha ? x : 0
  kScaledTanh = 6,       // alpha * tanh(beta * x)
  kAffine = 7,           // alpha * x + beta
  kElu = 8,              // x >= 0 ? x : alpha*(exp(x)-1)
  kSoftsign = 9,         // x / (1 + |x|)
  kSoftplus = 10,        // log(1 + exp(x))
  kRelu6 = 11,           // min(6, max(0, x))          (TFLite)
  kReluN1To1 = 12,       // min(1, max(-1, x))         (TFLite)
};

struct RnnActivationSpec {
  RnnActivation kind = RnnActivation::kSigmoid;
  float alpha = 0.0f;
  float beta = 0.0f;
  bool operator==(const RnnActivationSpec&) const = default;
};

// Input slots of a SequenceRnn node (absent optional inputs are -1; the
// input list may be shorter than kCount when trailing inputs are absent).
// G = gates per cell (LSTM 4, GRU 3, RNN 1); D = directions (1 or 2);
// X = H, or P when an LSTM projection is present (the recurrent width).
// Canonical gate order: LSTM i, f, g, o; GRU r, z, n (same as cuDNN).
namespace seq_rnn_input {
enum : int {
  kX = 0,           // [T, B, I] time-major, [B, T, I] batch-major
  kW = 1,           // [D, G*H, I]     input weights
  kR = 2,           // [D, G*H, X]     recurrent weights
  kWb = 3,          // [D, G*H]        input-side bias (optional)
  kRb = 4,          // [D, G*H]        recurrent-side bias (optional)
  kSeqLens = 5,     // [B] int32 or int64 (optional)
  kH0 = 6,          // initial h (optional; see RnnStateLayout)
  kC0 = 7,          // initial c (optional; LSTM only)
  kPeephole = 8,    // [D, 3, H] in order i, f, o (optional; LSTM only)
  kProjW = 9,       // [D, P, H]       projection weights (optional; LSTM)
  kProjB = 10,      // [D, P]          projection bias (optional)
  kLayerNorm = 11,  // [D, 4, H] in order i, f, g, o (optional; LSTM)
  kAuxX = 12,       // [T, B, I2] ([B, T, I2] batch-major) auxiliary input (optional; TFLite)
  kAuxW = 13,       // [D, G*H, I2] weights for the auxiliary input
  kH0Bw = 14,       // backward initial h, kPerDirection layout only
  kC0Bw = 15,       // backward initial c, kPerDirection layout only
  kCount = 16,
};
}  // namespace seq_rnn_input

// Output slots (absent outputs are -1 or beyond the output list).
namespace seq_rnn_output {
enum : int {
  kY = 0,    // all steps (see RnnOutputLayout); forward part when kSplit
  kYh = 1,   // final h: [D, B, X] (batch-major stacked: [B, D, X])
  kYc = 2,   // final c: [D, B, H] (LSTM only)
  kYBw = 3,  // backward Y when kSplit
  kCount = 4,
};
}  // namespace seq_rnn_output

// Attribute names in the node's AttrMap.
namespace seq_rnn_attr {
inline constexpr const char* kCell = "cell";                          // int RnnCell
inline constexpr const char* kDirection = "direction";                // int RnnDirection
inline constexpr const char* kTimeMajor = "time_major";               // int 0/1
inline constexpr const char* kHiddenSize = "hidden_size";             // int H
inline constexpr const char* kProjSize = "proj_size";                 // int P (0: none)
inline constexpr const char* kLinearBeforeReset = "linear_before_reset";  // int 0/1 (GRU)
inline constexpr const char* kCifg = "cifg";                          // int 0/1: i = 1 - f
inline constexpr const char* kInputForget = "input_forget";          // int 0/1: f = 1 - i (ONNX)
inline constexpr const char* kCellClip = "cell_clip";                 // float, 0: none
inline constexpr const char* kProjClip = "proj_clip";                 // float, 0: none
inline constexpr const char* kGateClip = "clip";                      // float, 0: none (ONNX)
inline constexpr const char* kActivations = "activations";            // ints RnnActivation
inline constexpr const char* kActivationAlpha = "activation_alpha";   // floats
inline constexpr const char* kActivationBeta = "activation_beta";     // floats
inline constexpr const char* kOutputLayout = "output_layout";         // int RnnOutputLayout
inline constexpr const char* kStateLayout = "state_layout";           // int RnnStateLayout
}  // namespace seq_rnn_attr

struct SequenceRnnParams {
  RnnCell cell = RnnCell::kLstm;
  RnnDirection direction = RnnDirection::kForward;
  bool time_major = true;
  int32_t hidden_size = 0;
  int32_t proj_size = 0;
  bool linear_before_reset = false;
  bool cifg = false;
  // ONNX `input_forget` as onnxruntime computes it: f = 1 - i (the mirror
  // image of TFLite's CIFG, which computes f and sets i = 1 - f).
  bool input_forget = false;
  float cell_clip = 0.0f;
  float proj_clip = 0.0f;
  float gate_clip = 0.0f;
  // Per direction, in ONNX order: LSTM (f, g, h), GRU (f, g), RNN (f).
  // Size = num_directions() * activations_per_direction().
  std::vector<RnnActivationSpec> activations;
  RnnOutputLayout output_layout = RnnOutputLayout::kStacked;
  RnnStateLayout state_layout = RnnStateLayout::kStacked;

  int num_directions() const { return direction == RnnDirection::kBidirectional ? 2 : 1; }
  int num_gates() const { return cell == RnnCell::kLstm ? 4 : cell == RnnCell::kGru ? 3 : 1; }
  int activations_per_direction() const { return cell == RnnCell::kLstm ? 3 : cell == RnnCell::kGru ? 2 : 1; }
  int recurrent_width() const { return proj_size > 0 ? proj_size : hidden_size; }

  // Parses and range-checks the attributes; fills default activations
  // (LSTM sigmoid/tanh/tanh, GRU sigmoid/tanh, RNN tanh) when absent.
  static StatusOr<SequenceRnnParams> FromAttrs(const AttrMap& attrs);
  void ToAttrs(AttrMap* attrs) const;
  // "LSTM bidirectional H=128 P=0 lbr=0 ..." for messages and inspect.
  std::string Describe() const;

  bool operator==(const SequenceRnnParams&) const = default;
};

std::string RnnCellName(RnnCell cell);
std::string RnnActivationName(RnnActivation act);

// The activation with the alpha/beta onnxruntime uses when a model gives
// none: LeakyRelu 0.01, HardSigmoid 0.2/0.5, Elu 1.0, everything else 0.
RnnActivationSpec DefaultRnnActivation(RnnActivation kind);
// ONNX activation names ("Sigmoid", "LeakyRelu", ...), case-insensitive.
// False for names ONNX does not define.
bool ParseRnnActivationName(const std::string& name, RnnActivation* kind);

// Input slot names for messages: "x", "w", ..., "c0_bw".
const char* SequenceRnnInputName(int slot);

// What CheckSequenceRnnInputs derives from a node's inputs.
struct SequenceRnnShapes {
  DType dtype = DType::kFloat32;  // of X; every float input and output must match
  int32_t seq_len = 0;            // T
  int32_t batch = 0;              // B
  int32_t input_size = 0;         // I
  int32_t aux_input_size = 0;     // I2; 0 without aux input
  Shape y;                        // kY
  Shape y_h;                      // kYh
  Shape y_c;                      // kYc (empty unless LSTM)
  Shape y_bw;                     // kYBw (empty unless kSplit and D == 2)
  Shape h_state;                  // expected kH0 (and kH0Bw) shape
  Shape c_state;                  // expected kC0 (and kC0Bw) shape (LSTM)
};

// Checks presence, dtype and shape of every input slot against `params`
// (`inputs[i]` is nullptr, or i is beyond the vector, when absent) and
// computes the output shapes. Errors name the slot and the expected shape:
// "input 6 (h0): shape [3, 4], expected [1, 3, 4] ([D, B, X])".
StatusOr<SequenceRnnShapes> CheckSequenceRnnInputs(const SequenceRnnParams& params,
                                                   const std::vector<const Tensor*>& inputs);

}  // namespace rnnlite
