// SequenceRnnParams <-> AttrMap, names, and the input shape contract of the
// SequenceRnn op (docs/semantics.md).
#include "core/sequence_rnn.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

namespace rnnlite {
namespace {

namespace attr = seq_rnn_attr;
namespace in = seq_rnn_input;

constexpr int64_t kMaxActivation = static_cast<int64_t>(RnnActivation::kReluN1To1);

struct ActivationName {
  RnnActivation kind;
  const char* name;
};
constexpr ActivationName kActivationNames[] = {
    {RnnActivation::kSigmoid, "Sigmoid"},
    {RnnActivation::kTanh, "Tanh"},
    {RnnActivation::kRelu, "Relu"},
    {RnnActivation::kHardSigmoid, "HardSigmoid"},
    {RnnActivation::kLeakyRelu, "LeakyRelu"},
    {RnnActivation::kThresholdedRelu, "ThresholdedRelu"},
    {RnnActivation::kScaledTanh, "ScaledTanh"},
    {RnnActivation::kAffine, "Affine"},
    {RnnActivation::kElu, "Elu"},
    {RnnActivation::kSoftsign, "Softsign"},
    {RnnActivation::kSoftplus, "Softplus"},
    {RnnActivation::kRelu6, "Relu6"},
    {RnnActivation::kReluN1To1, "ReluN1To1"},
};

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

const char* DirectionName(RnnDirection d) {
  switch (d) {
    case RnnDirection::kForward: return "forward";
    case RnnDirection::kReverse: return "reverse";
    case RnnDirection::kBidirectional: return "bidirectional";
  }
  return "?";
}

// Reads an int attribute that must lie in [lo, hi].
Status ReadIntIn(const AttrMap& attrs, const char* name, int64_t fallback, int64_t lo, int64_t hi,
                 int64_t* out) {
  int64_t v = attrs.GetInt(name, fallback);
  if (v < lo || v > hi) {
    return InvalidArgument(std::string("SequenceRnn attribute ") + name + " = " + std::to_string(v) +
                           " is outside [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  *out = v;
  return Status::Ok();
}

Status ReadClip(const AttrMap& attrs, const char* name, float* out) {
  double v = attrs.GetFloat(name, 0.0);
  if (!std::isfinite(v) || v < 0.0) {
    return InvalidArgument(std::string("SequenceRnn attribute ") + name + " = " + std::to_string(v) +
                           " must be finite and >= 0 (0: no clipping)");
  }
  *out = static_cast<float>(v);
  return Status::Ok();
}

// ONNX lets a bidirectional model give one direction's list; it then applies
// to both. Lists for alpha/beta follow the activation list one to one.
Status ExpandPerDirection(const char* name, size_t size, size_t per_dir, int dirs) {
  if (size == per_dir * static_cast<size_t>(dirs) || size == per_dir) return Status::Ok();
  return InvalidArgument(std::string("SequenceRnn attribute ") + name + " has " + std::to_string(size) +
                         " entries, expected " + std::to_string(per_dir) + " per direction (" +
                         std::to_string(per_dir * static_cast<size_t>(dirs)) + " in all)");
}

}  // namespace

std::string RnnCellName(RnnCell cell) {
  switch (cell) {
    case RnnCell::kLstm: return "LSTM";
    case RnnCell::kGru: return "GRU";
    case RnnCell::kRnn: return "RNN";
  }
  return "cell(" + std::to_string(static_cast<int64_t>(cell)) + ")";
}

std::string RnnActivationName(RnnActivation act) {
  for (const auto& a : kActivationNames) {
    if (a.kind == act) return a.name;
  }
  return "activation(" + std::to_string(static_cast<int64_t>(act)) + ")";
}

RnnActivationSpec DefaultRnnActivation(RnnActivation kind) {
  RnnActivationSpec s;
  s.kind = kind;
  switch (kind) {
    case RnnActivation::kLeakyRelu: s.alpha = 0.01f; break;
    case RnnActivation::kHardSigmoid: s.alpha = 0.2f; s.beta = 0.5f; break;
    case RnnActivation::kElu: s.alpha = 1.0f; break;
    default: break;
  }
  return s;
}

bool ParseRnnActivationName(const std::string& name, RnnActivation* kind) {
  std::string lower = Lower(name);
  for (const auto& a : kActivationNames) {
    if (a.kind == RnnActivation::kRelu6 || a.kind == RnnActivation::kReluN1To1) continue;  // not ONNX
    if (Lower(a.name) == lower) {
      *kind = a.kind;
      return true;
    }
  }
  return false;
}

const char* SequenceRnnInputName(int slot) {
  static constexpr const char* kNames[in::kCount] = {
      "x",  "w",      "r",       "wb",         "rb",    "sequence_lengths", "h0",    "c0",
      "peephole", "proj_w", "proj_b", "layer_norm", "aux_x", "aux_w",           "h0_bw", "c0_bw"};
  return slot >= 0 && slot < in::kCount ? kNames[slot] : "?";
}

StatusOr<SequenceRnnParams> SequenceRnnParams::FromAttrs(const AttrMap& attrs) {
  SequenceRnnParams p;
  int64_t v = 0;
  RNNLITE_RETURN_IF_ERROR(ReadIntIn(attrs, attr::kCell, 0, 0, 2, &v));
  p.cell = static_cast<RnnCell>(v);
  RNNLITE_RETURN_IF_ERROR(ReadIntIn(attrs, attr::kDirection, 0, 0, 2, &v));
  p.direction = static_cast<RnnDirection>(v);
  RNNLITE_RETURN_IF_ERROR(ReadIntIn(attrs, attr::kTimeMajor, 1, 0, 1, &v));
  p.time_major = v != 0;
  if (!attrs.Has(attr::kHiddenSize)) return InvalidArgument("SequenceRnn attribute hidden_size is missing");
  RNNLITE_RETURN_IF_ERROR(ReadIntIn(attrs, attr::kHiddenSize, 0, 1, INT32_MAX, &v));
  p.hidden_size = static_cast<int32_t>(v);
  RNNLITE_RETURN_IF_ERROR(ReadIntIn(attrs, attr::kProjSize, 0, 0, INT32_MAX, &v));
  p.proj_size = static_cast<int32_t>(v);
  RNNLITE_RETURN_IF_ERROR(ReadIntIn(attrs, attr::kLinearBeforeReset, 0, 0, 1, &v));
  p.linear_before_reset = v != 0;
  RNNLITE_RETURN_IF_ERROR(ReadIntIn(attrs, attr::kCifg, 0, 0, 1, &v));
  p.cifg = v != 0;
  RNNLITE_RETURN_IF_ERROR(ReadIntIn(attrs, attr::kInputForget, 0, 0, 1, &v));
  p.input_forget = v != 0;
  RNNLITE_RETURN_IF_ERROR(ReadClip(attrs, attr::kCellClip, &p.cell_clip));
  RNNLITE_RETURN_IF_ERROR(ReadClip(attrs, attr::kProjClip, &p.proj_clip));
  RNNLITE_RETURN_IF_ERROR(ReadClip(attrs, attr::kGateClip, &p.gate_clip));
  RNNLITE_RETURN_IF_ERROR(ReadIntIn(attrs, attr::kOutputLayout, 0, 0, 2, &v));
  p.output_layout = static_cast<RnnOutputLayout>(v);
  RNNLITE_RETURN_IF_ERROR(ReadIntIn(attrs, attr::kStateLayout, 0, 0, 1, &v));
  p.state_layout = static_cast<RnnStateLayout>(v);

  const std::string cell = RnnCellName(p.cell);
  if (p.proj_size > 0 && p.cell != RnnCell::kLstm) {
    return Unsupported("SequenceRnn " + cell + ": proj_size needs an LSTM cell");
  }
  if (p.linear_before_reset && p.cell != RnnCell::kGru) {
    return Unsupported("SequenceRnn " + cell + ": linear_before_reset is a GRU attribute");
  }
  if ((p.cifg || p.input_forget) && p.cell != RnnCell::kLstm) {
    return Unsupported("SequenceRnn " + cell + ": cifg/input_forget need an LSTM cell");
  }
  if (p.cifg && p.input_forget) {
    return InvalidArgument("SequenceRnn: cifg (i = 1 - f) and input_forget (f = 1 - i) exclude each other");
  }
  if ((p.cell_clip > 0.0f || p.proj_clip > 0.0f) && p.cell != RnnCell::kLstm) {
    return Unsupported("SequenceRnn " + cell + ": cell_clip/proj_clip need an LSTM cell");
  }

  const int dirs = p.num_directions();
  const size_t per_dir = static_cast<size_t>(p.activations_per_direction());
  std::vector<int64_t> kinds = attrs.GetInts(attr::kActivations);
  if (kinds.empty()) {
    if (p.cell == RnnCell::kLstm) kinds = {0, 1, 1};
    else if (p.cell == RnnCell::kGru) kinds = {0, 1};
    else kinds = {1};
  }
  RNNLITE_RETURN_IF_ERROR(ExpandPerDirection(attr::kActivations, kinds.size(), per_dir, dirs));
  std::vector<double> alphas = attrs.GetFloats(attr::kActivationAlpha);
  std::vector<double> betas = attrs.GetFloats(attr::kActivationBeta);
  if (!alphas.empty() && alphas.size() != kinds.size()) {
    return InvalidArgument("SequenceRnn attribute activation_alpha has " + std::to_string(alphas.size()) +
                           " entries; it must match activations (" + std::to_string(kinds.size()) + ")");
  }
  if (!betas.empty() && betas.size() != kinds.size()) {
    return InvalidArgument("SequenceRnn attribute activation_beta has " + std::to_string(betas.size()) +
                           " entries; it must match activations (" + std::to_string(kinds.size()) + ")");
  }
  for (size_t i = 0; i < per_dir * static_cast<size_t>(dirs); ++i) {
    size_t src = i % kinds.size();
    if (kinds[src] < 0 || kinds[src] > kMaxActivation) {
      return InvalidArgument("SequenceRnn attribute activations[" + std::to_string(src) + "] = " +
                             std::to_string(kinds[src]) + " is not an RnnActivation");
    }
    RnnActivationSpec spec = DefaultRnnActivation(static_cast<RnnActivation>(kinds[src]));
    if (!alphas.empty()) spec.alpha = static_cast<float>(alphas[src]);
    if (!betas.empty()) spec.beta = static_cast<float>(betas[src]);
    if (!std::isfinite(spec.alpha) || !std::isfinite(spec.beta)) {
      return InvalidArgument("SequenceRnn activation " + std::to_string(src) + " has a non-finite alpha/beta");
    }
    p.activations.push_back(spec);
  }
  return p;
}

void SequenceRnnParams::ToAttrs(AttrMap* attrs) const {
  attrs->SetInt(attr::kCell, static_cast<int64_t>(cell));
  attrs->SetInt(attr::kDirection, static_cast<int64_t>(direction));
  attrs->SetInt(attr::kTimeMajor, time_major ? 1 : 0);
  attrs->SetInt(attr::kHiddenSize, hidden_size);
  attrs->SetInt(attr::kProjSize, proj_size);
  attrs->SetInt(attr::kLinearBeforeReset, linear_before_reset ? 1 : 0);
  attrs->SetInt(attr::kCifg, cifg ? 1 : 0);
  attrs->SetInt(attr::kInputForget, input_forget ? 1 : 0);
  attrs->SetFloat(attr::kCellClip, cell_clip);
  attrs->SetFloat(attr::kProjClip, proj_clip);
  attrs->SetFloat(attr::kGateClip, gate_clip);
  std::vector<int64_t> kinds;
  std::vector<double> alphas, betas;
  for (const RnnActivationSpec& a : activations) {
    kinds.push_back(static_cast<int64_t>(a.kind));
    alphas.push_back(a.alpha);
    betas.push_back(a.beta);
  }
  attrs->SetInts(attr::kActivations, std::move(kinds));
  attrs->SetFloats(attr::kActivationAlpha, std::move(alphas));
  attrs->SetFloats(attr::kActivationBeta, std::move(betas));
  attrs->SetInt(attr::kOutputLayout, static_cast<int64_t>(output_layout));
  attrs->SetInt(attr::kStateLayout, static_cast<int64_t>(state_layout));
}

std::string SequenceRnnParams::Describe() const {
  std::ostringstream os;
  os << RnnCellName(cell) << ' ' << DirectionName(direction) << " H=" << hidden_size << " P=" << proj_size
     << (time_major ? " time-major" : " batch-major");
  if (cell == RnnCell::kGru) os << " lbr=" << (linear_before_reset ? 1 : 0);
  if (cifg) os << " cifg";
  if (input_forget) os << " input_forget";
  if (cell_clip > 0.0f) os << " cell_clip=" << cell_clip;
  if (proj_clip > 0.0f) os << " proj_clip=" << proj_clip;
  if (gate_clip > 0.0f) os << " clip=" << gate_clip;
  os << " act=";
  for (size_t i = 0; i < activations.size(); ++i) {
    const RnnActivationSpec& a = activations[i];
    os << (i ? "," : "") << RnnActivationName(a.kind);
    if (a.alpha != 0.0f || a.beta != 0.0f) os << '(' << a.alpha << ',' << a.beta << ')';
  }
  static constexpr const char* kOut[] = {"stacked", "concat", "split"};
  static constexpr const char* kState[] = {"stacked", "per-direction"};
  os << " y=" << kOut[static_cast<int>(output_layout)] << " state=" << kState[static_cast<int>(state_layout)];
  return os.str();
}

StatusOr<SequenceRnnShapes> CheckSequenceRnnInputs(const SequenceRnnParams& p,
                                                   const std::vector<const Tensor*>& inputs) {
  auto get = [&](int slot) -> const Tensor* {
    return slot < static_cast<int>(inputs.size()) ? inputs[static_cast<size_t>(slot)] : nullptr;
  };
  auto label = [](int slot) {
    return "input " + std::to_string(slot) + " (" + SequenceRnnInputName(slot) + ")";
  };
  const bool lstm = p.cell == RnnCell::kLstm;
  const std::string cell = RnnCellName(p.cell);

  const Tensor* x = get(in::kX);
  if (x == nullptr) return InvalidArgument(label(in::kX) + " is required");
  if (x->dtype != DType::kFloat32 && x->dtype != DType::kFloat64) {
    return Unsupported(label(in::kX) + ": dtype " + DTypeName(x->dtype) + "; SequenceRnn computes float32 or float64");
  }
  if (x->rank() != 3) {
    return InvalidArgument(label(in::kX) + ": shape " + ShapeToString(x->shape) + ", expected rank 3 (" +
                           (p.time_major ? "[T, B, I])" : "[B, T, I])"));
  }
  SequenceRnnShapes s;
  s.dtype = x->dtype;
  s.seq_len = p.time_major ? x->dim(0) : x->dim(1);
  s.batch = p.time_major ? x->dim(1) : x->dim(0);
  s.input_size = x->dim(2);
  const int32_t T = s.seq_len, B = s.batch, I = s.input_size;
  const int32_t D = p.num_directions(), H = p.hidden_size, X = p.recurrent_width();
  const int64_t gh = static_cast<int64_t>(p.num_gates()) * H;
  if (gh > INT32_MAX) return InvalidArgument("SequenceRnn: gates * hidden_size overflows int32");
  const int32_t GH = static_cast<int32_t>(gh);

  // Checks one optional float input against its expected shape.
  auto check = [&](int slot, const Shape& want, const char* what, bool required) -> Status {
    const Tensor* t = get(slot);
    if (t == nullptr) {
      return required ? InvalidArgument(label(slot) + " is required (" + what + " = " + ShapeToString(want) + ")")
                      : Status::Ok();
    }
    if (t->dtype != s.dtype) {
      return InvalidArgument(label(slot) + ": dtype " + DTypeName(t->dtype) + ", expected " + DTypeName(s.dtype) +
                             " like x");
    }
    if (t->shape != want) {
      return InvalidArgument(label(slot) + ": shape " + ShapeToString(t->shape) + ", expected " +
                             ShapeToString(want) + " (" + what + ")");
    }
    return Status::Ok();
  };
  auto only_lstm = [&](int slot) -> Status {
    if (get(slot) != nullptr && !lstm) {
      return Unsupported(label(slot) + " is given but the cell is " + cell + " (LSTM only)");
    }
    return Status::Ok();
  };

  RNNLITE_RETURN_IF_ERROR(check(in::kW, {D, GH, I}, "[D, G*H, I]", true));
  RNNLITE_RETURN_IF_ERROR(check(in::kR, {D, GH, X}, "[D, G*H, X]", true));
  RNNLITE_RETURN_IF_ERROR(check(in::kWb, {D, GH}, "[D, G*H]", false));
  RNNLITE_RETURN_IF_ERROR(check(in::kRb, {D, GH}, "[D, G*H]", false));

  if (const Tensor* len = get(in::kSeqLens)) {
    if (len->dtype != DType::kInt32 && len->dtype != DType::kInt64) {
      return InvalidArgument(label(in::kSeqLens) + ": dtype " + DTypeName(len->dtype) + ", expected int32 or int64");
    }
    if (len->shape != Shape{B}) {
      return InvalidArgument(label(in::kSeqLens) + ": shape " + ShapeToString(len->shape) + ", expected " +
                             ShapeToString({B}) + " ([B])");
    }
  }

  const bool stacked = p.state_layout == RnnStateLayout::kStacked;
  if (stacked) {
    s.h_state = p.time_major ? Shape{D, B, X} : Shape{B, D, X};
    s.c_state = p.time_major ? Shape{D, B, H} : Shape{B, D, H};
  } else {
    s.h_state = {B, X};
    s.c_state = {B, H};
  }
  const char* state_what = stacked ? (p.time_major ? "[D, B, width]" : "[B, D, width]") : "[B, width]";
  RNNLITE_RETURN_IF_ERROR(check(in::kH0, s.h_state, state_what, false));
  RNNLITE_RETURN_IF_ERROR(only_lstm(in::kC0));
  RNNLITE_RETURN_IF_ERROR(check(in::kC0, s.c_state, state_what, false));
  for (int slot : {in::kH0Bw, in::kC0Bw}) {
    if (get(slot) != nullptr && (stacked || D != 2)) {
      return InvalidArgument(label(slot) + " is only used by a bidirectional node with per-direction states");
    }
  }
  RNNLITE_RETURN_IF_ERROR(check(in::kH0Bw, s.h_state, state_what, false));
  RNNLITE_RETURN_IF_ERROR(only_lstm(in::kC0Bw));
  RNNLITE_RETURN_IF_ERROR(check(in::kC0Bw, s.c_state, state_what, false));

  RNNLITE_RETURN_IF_ERROR(only_lstm(in::kPeephole));
  RNNLITE_RETURN_IF_ERROR(check(in::kPeephole, {D, 3, H}, "[D, 3, H]", false));
  RNNLITE_RETURN_IF_ERROR(only_lstm(in::kProjW));
  if ((get(in::kProjW) != nullptr) != (p.proj_size > 0)) {
    return InvalidArgument(label(in::kProjW) + (p.proj_size > 0 ? " is required when proj_size > 0"
                                                                : " is given but proj_size is 0"));
  }
  RNNLITE_RETURN_IF_ERROR(check(in::kProjW, {D, p.proj_size, H}, "[D, P, H]", false));
  if (get(in::kProjB) != nullptr && get(in::kProjW) == nullptr) {
    return InvalidArgument(label(in::kProjB) + " is given without projection weights");
  }
  RNNLITE_RETURN_IF_ERROR(check(in::kProjB, {D, p.proj_size}, "[D, P]", false));
  RNNLITE_RETURN_IF_ERROR(only_lstm(in::kLayerNorm));
  RNNLITE_RETURN_IF_ERROR(check(in::kLayerNorm, {D, 4, H}, "[D, 4, H]", false));

  const Tensor* aux = get(in::kAuxX);
  if ((aux != nullptr) != (get(in::kAuxW) != nullptr)) {
    return InvalidArgument("aux_x (input 12) and aux_w (input 13) must be given together");
  }
  if (aux != nullptr) {
    if (aux->dtype != s.dtype || aux->rank() != 3 ||
        (p.time_major ? (aux->dim(0) != T || aux->dim(1) != B) : (aux->dim(0) != B || aux->dim(1) != T))) {
      return InvalidArgument(label(in::kAuxX) + ": " + DTypeName(aux->dtype) + " " + ShapeToString(aux->shape) +
                             ", expected " + DTypeName(s.dtype) + " " +
                             (p.time_major ? "[T, B, I2] with T = " : "[B, T, I2] with T = ") + std::to_string(T) +
                             ", B = " + std::to_string(B));
    }
    s.aux_input_size = aux->dim(2);
    RNNLITE_RETURN_IF_ERROR(check(in::kAuxW, {D, GH, s.aux_input_size}, "[D, G*H, I2]", false));
  }

  switch (p.output_layout) {
    case RnnOutputLayout::kStacked:
      s.y = p.time_major ? Shape{T, D, B, X} : Shape{B, T, D, X};
      break;
    case RnnOutputLayout::kConcat: {
      const int64_t dx = static_cast<int64_t>(D) * X;
      if (dx > INT32_MAX) return InvalidArgument("SequenceRnn: D * X overflows int32");
      s.y = p.time_major ? Shape{T, B, static_cast<int32_t>(dx)} : Shape{B, T, static_cast<int32_t>(dx)};
      break;
    }
    case RnnOutputLayout::kSplit:
      s.y = p.time_major ? Shape{T, B, X} : Shape{B, T, X};
      if (D == 2) s.y_bw = s.y;
      break;
  }
  const bool bm_stacked = stacked && !p.time_major;
  s.y_h = bm_stacked ? Shape{B, D, X} : Shape{D, B, X};
  if (lstm) s.y_c = bm_stacked ? Shape{B, D, H} : Shape{D, B, H};
  if (NumElements(s.y) < 0) return InvalidArgument("SequenceRnn: output Y " + ShapeToString(s.y) + " overflows");
  return s;
}

}  // namespace rnnlite
