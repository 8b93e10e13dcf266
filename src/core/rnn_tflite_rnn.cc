// UNIDIRECTIONAL_SEQUENCE_RNN, BIDIRECTIONAL_SEQUENCE_RNN and TFLite's
// experimental custom op UNIDIRECTIONAL_SEQUENCE_GRU -> SequenceRnn.
//
// Input indices are TFLite's (tensorflow/lite/kernels/
// unidirectional_sequence_rnn.cc, bidirectional_sequence_rnn.cc and
// tensorflow/lite/experimental/kernels/unidirectional_sequence_gru.cc).
#include <string>

#include "core/rnn_tflite.h"

namespace rnnlite::rnn_tflite_detail {
namespace {

std::string Field(int index, const std::string& name) {
  return "input " + std::to_string(index) + " (" + name + ")";
}

std::string NodeName(const ImportSite& site) {
  const Tensor* y = site.tensor(site.out(0));
  return (y != nullptr && !y->name.empty() ? y->name : "rnn") + "/rnnlite";
}

// The sequence input: float32, rank 3 ([T, B, I] or [B, T, I]).
Status CheckSequenceInput(const ImportSite& site, int slot, const std::string& name) {
  const Tensor* x = site.tensor(site.in(slot));
  const std::string field = Field(slot, name);
  if (x == nullptr) return site.Invalid(field, "required tensor is absent");
  if (x->dtype != DType::kFloat32) {
    return site.Unsupported(field, DTypeName(x->dtype) +
                                       " input (quantized model); rnnlite runs recurrent layers in float32");
  }
  if (x->rank() != 3) return site.Invalid(field, "expected rank 3, got " + ShapeToString(x->shape));
  return Status::Ok();
}

// The slots of one vanilla-RNN direction.
struct RnnInputs {
  const char* prefix;
  int weights, recurrent, bias, state, aux_weights;
};
constexpr RnnInputs kUniRnn = {"", 1, 2, 3, 4, -1};
constexpr RnnInputs kFwRnn = {"fw_", 1, 2, 3, 4, 10};
constexpr RnnInputs kBwRnn = {"bw_", 5, 6, 7, 8, 11};
constexpr int kRnnAuxInput = 9;

struct RnnDirection1 {
  int H = 0;
  DirectionWeights weights;
};

StatusOr<RnnDirection1> ReadRnnDirection(ImportSite& site, const RnnInputs& idx, int batch, int input_size,
                                         int aux_size) {
  const std::string pre = idx.prefix;
  RnnDirection1 d;
  const Tensor* w = site.tensor(site.in(idx.weights));
  const std::string wfield = Field(idx.weights, pre + "weights");
  if (w == nullptr) return site.Invalid(wfield, "required tensor is absent");
  if (w->rank() != 2) return site.Invalid(wfield, "expected rank 2, got " + ShapeToString(w->shape));
  d.H = w->dim(0);
  const int H = d.H;
  if (H <= 0) return site.Invalid(wfield, "empty number of units");
  RNNLITE_ASSIGN_OR_RETURN(d.weights.w, ReadFloatConstant(site, site.in(idx.weights), {H, input_size}, wfield));
  RNNLITE_ASSIGN_OR_RETURN(d.weights.r, ReadFloatConstant(site, site.in(idx.recurrent), {H, H},
                                                          Field(idx.recurrent, pre + "recurrent_weights")));
  RNNLITE_ASSIGN_OR_RETURN(d.weights.wb,
                           ReadFloatConstant(site, site.in(idx.bias), {H}, Field(idx.bias, pre + "bias")));
  if (aux_size > 0) {
    RNNLITE_ASSIGN_OR_RETURN(d.weights.aux_w, ReadFloatConstant(site, site.in(idx.aux_weights), {H, aux_size},
                                                                Field(idx.aux_weights, pre + "aux_weights")));
  }
  RNNLITE_RETURN_IF_ERROR(
      NormalizeStateShape(site, site.in(idx.state), batch, H, Field(idx.state, pre + "hidden_state")));
  return d;
}

SequenceRnnParams RnnParams(bool time_major, int H, const RnnActivationSpec& act, RnnDirection direction,
                            RnnOutputLayout layout) {
  SequenceRnnParams p;
  p.cell = RnnCell::kRnn;
  p.direction = direction;
  p.time_major = time_major;
  p.hidden_size = H;
  for (int k = 0; k < p.num_directions(); ++k) p.activations.push_back(act);
  p.output_layout = layout;
  p.state_layout = RnnStateLayout::kPerDirection;
  return p;
}

}  // namespace

StatusOr<int> ImportUnidirectionalRnn(ImportSite& site) {
  if (site.node.inputs.size() != 5) {
    return site.Invalid("inputs", "expected 5 inputs, got " + std::to_string(site.node.inputs.size()));
  }
  if (site.node.outputs.size() != 1) {
    return site.Invalid("outputs", "expected 1 output, got " + std::to_string(site.node.outputs.size()));
  }
  StatusOr<RnnActivationSpec> act = FromTfliteActivation(site.node.attrs.GetInt("fused_activation_function", 0));
  if (!act.ok()) return act.status().WithContext(site.Label() + ": ");
  const bool time_major = site.node.attrs.GetInt("time_major", 0) != 0;
  RNNLITE_RETURN_IF_ERROR(CheckSequenceInput(site, 0, "input"));
  const Tensor* x = site.tensor(site.in(0));
  const int batch = time_major ? x->dim(1) : x->dim(0), input_size = x->dim(2);
  RNNLITE_ASSIGN_OR_RETURN(RnnDirection1 d, ReadRnnDirection(site, kUniRnn, batch, input_size, 0));
  SequenceRnnSpec spec;
  spec.params = RnnParams(time_major, d.H, *act, RnnDirection::kForward, RnnOutputLayout::kConcat);
  spec.input_size = input_size;
  spec.dirs = {std::move(d.weights)};
  spec.x = site.in(0);
  spec.h0 = site.in(kUniRnn.state);
  spec.y = site.out(0);
  spec.name = NodeName(site);
  StatusOr<Node> node = MakeSequenceRnnNode(site.graph, site.sg(), spec);
  if (!node.ok()) return node.status().WithContext(site.Label() + ": ");
  return ReplaceNode(site, {std::move(node).value()});
}

StatusOr<int> ImportBidirectionalRnn(ImportSite& site) {
  if (site.node.inputs.size() != 12) {
    return site.Invalid("inputs", "expected 12 inputs, got " + std::to_string(site.node.inputs.size()));
  }
  const bool merge = site.node.attrs.GetInt("merge_outputs", 0) != 0;
  const size_t want_out = merge ? 1 : 2;
  if (site.node.outputs.size() != want_out) {
    return site.Invalid("outputs", "expected " + std::to_string(want_out) + " output(s) with merge_outputs=" +
                                       std::to_string(merge ? 1 : 0) + ", got " +
                                       std::to_string(site.node.outputs.size()));
  }
  StatusOr<RnnActivationSpec> act = FromTfliteActivation(site.node.attrs.GetInt("fused_activation_function", 0));
  if (!act.ok()) return act.status().WithContext(site.Label() + ": ");
  const bool time_major = site.node.attrs.GetInt("time_major", 0) != 0;
  RNNLITE_RETURN_IF_ERROR(CheckSequenceInput(site, 0, "input"));
  const Tensor x = *site.tensor(site.in(0));
  const int batch = time_major ? x.dim(1) : x.dim(0), input_size = x.dim(2);

  // Auxiliary input: with aux weights it feeds both directions (cross-linked
  // stacking); without them it replaces the backward direction's input.
  const bool fw_aux_w = site.in(kFwRnn.aux_weights) != kNoTensor;
  const bool bw_aux_w = site.in(kBwRnn.aux_weights) != kNoTensor;
  if (fw_aux_w != bw_aux_w) {
    return site.Invalid(Field(kFwRnn.aux_weights, "fw_aux_weights"),
                        "auxiliary weights must be present for both directions or for neither");
  }
  const int aux = site.in(kRnnAuxInput);
  int aux_size = 0;
  if (aux != kNoTensor) {
    RNNLITE_RETURN_IF_ERROR(CheckSequenceInput(site, kRnnAuxInput, "aux_input"));
    const Tensor* a = site.tensor(aux);
    if (a->dim(0) != x.dim(0) || a->dim(1) != x.dim(1)) {
      return site.Invalid(Field(kRnnAuxInput, "aux_input"), "shape " + ShapeToString(a->shape) +
                                                                " does not match the input's " +
                                                                ShapeToString(x.shape) + " in time and batch");
    }
    aux_size = a->dim(2);
    if (!fw_aux_w && aux_size != input_size) {
      return site.Invalid(Field(kRnnAuxInput, "aux_input"),
                          "without auxiliary weights it is the backward input and must be as wide as the input");
    }
  } else if (fw_aux_w) {
    return site.Invalid(Field(kRnnAuxInput, "aux_input"), "absent although auxiliary weights are present");
  }
  const bool bw_reads_aux = aux != kNoTensor && !fw_aux_w;
  const int weight_aux_size = fw_aux_w ? aux_size : 0;

  RNNLITE_ASSIGN_OR_RETURN(RnnDirection1 fw, ReadRnnDirection(site, kFwRnn, batch, input_size, weight_aux_size));
  RNNLITE_ASSIGN_OR_RETURN(RnnDirection1 bw, ReadRnnDirection(site, kBwRnn, batch, input_size, weight_aux_size));

  const std::string name = NodeName(site);
  if (!bw_reads_aux && fw.H == bw.H) {
    SequenceRnnSpec spec;
    spec.params = RnnParams(time_major, fw.H, *act, RnnDirection::kBidirectional,
                            merge ? RnnOutputLayout::kConcat : RnnOutputLayout::kSplit);
    spec.input_size = input_size;
    spec.dirs = {std::move(fw.weights), std::move(bw.weights)};
    spec.x = site.in(0);
    if (fw_aux_w) {
      spec.aux_x = aux;
      spec.aux_input_size = aux_size;
    }
    spec.h0 = site.in(kFwRnn.state);
    spec.h0_bw = site.in(kBwRnn.state);
    spec.y = site.out(0);
    if (!merge) spec.y_bw = site.out(1);
    spec.name = name;
    StatusOr<Node> node = MakeSequenceRnnNode(site.graph, site.sg(), spec);
    if (!node.ok()) return node.status().WithContext(site.Label() + ": ");
    return ReplaceNode(site, {std::move(node).value()});
  }

  // Directions that differ in width or input become a forward and a reverse
  // node (joined by a CONCATENATION when outputs are merged).
  int y_fw = site.out(0), y_bw = merge ? kNoTensor : site.out(1);
  if (merge) {
    y_fw = AddIntermediateLike(site.sg(), x, fw.H, name + "/fw_output");
    y_bw = AddIntermediateLike(site.sg(), x, bw.H, name + "/bw_output");
  }
  std::vector<Node> nodes;
  for (int k = 0; k < 2; ++k) {
    RnnDirection1& d = k == 0 ? fw : bw;
    SequenceRnnSpec spec;
    spec.params = RnnParams(time_major, d.H, *act, k == 0 ? RnnDirection::kForward : RnnDirection::kReverse,
                            RnnOutputLayout::kConcat);
    spec.input_size = input_size;
    spec.dirs = {std::move(d.weights)};
    spec.x = (k == 1 && bw_reads_aux) ? aux : site.in(0);
    if (fw_aux_w) {
      spec.aux_x = aux;
      spec.aux_input_size = aux_size;
    }
    spec.h0 = site.in(k == 0 ? kFwRnn.state : kBwRnn.state);
    spec.y = k == 0 ? y_fw : y_bw;
    spec.name = name + (k == 0 ? "/fw" : "/bw");
    StatusOr<Node> node = MakeSequenceRnnNode(site.graph, site.sg(), spec);
    if (!node.ok()) return node.status().WithContext(site.Label() + ": ");
    nodes.push_back(std::move(node).value());
  }
  if (merge) nodes.push_back(MakeConcatLastAxis(y_fw, y_bw, site.out(0)));
  return ReplaceNode(site, std::move(nodes));
}

// The single-step RNN builtin: the sequence op over one time step, between
// RESHAPEs [B, I] -> [1, B, I] and [1, B, H] -> [B, H].
StatusOr<int> ImportRnnStep(ImportSite& site) {
  if (site.node.inputs.size() != 5) {
    return site.Invalid("inputs", "expected 5 inputs, got " + std::to_string(site.node.inputs.size()));
  }
  if (site.node.outputs.size() != 1) {
    return site.Invalid("outputs", "expected 1 output, got " + std::to_string(site.node.outputs.size()));
  }
  StatusOr<RnnActivationSpec> act = FromTfliteActivation(site.node.attrs.GetInt("fused_activation_function", 0));
  if (!act.ok()) return act.status().WithContext(site.Label() + ": ");
  const Tensor* x = site.tensor(site.in(0));
  if (x == nullptr) return site.Invalid(Field(0, "input"), "required tensor is absent");
  if (x->dtype != DType::kFloat32) {
    return site.Unsupported(Field(0, "input"), DTypeName(x->dtype) +
                                                   " input (quantized model); rnnlite runs recurrent layers in float32");
  }
  if (x->rank() != 2) return site.Invalid(Field(0, "input"), "expected rank 2, got " + ShapeToString(x->shape));
  const int batch = x->dim(0), input_size = x->dim(1);
  RNNLITE_ASSIGN_OR_RETURN(RnnDirection1 d, ReadRnnDirection(site, kUniRnn, batch, input_size, 0));
  const std::string name = NodeName(site);
  Subgraph& sg = site.sg();
  Tensor seq_x, seq_y;
  seq_x.name = name + "/input_sequence";
  seq_x.shape = {1, batch, input_size};
  seq_y.name = name + "/output_sequence";
  seq_y.shape = {1, batch, d.H};
  const int x3 = sg.AddTensor(std::move(seq_x));
  const int y3 = sg.AddTensor(std::move(seq_y));
  const int H = d.H;
  SequenceRnnSpec spec;
  spec.params = RnnParams(true, H, *act, RnnDirection::kForward, RnnOutputLayout::kConcat);
  spec.input_size = input_size;
  spec.dirs = {std::move(d.weights)};
  spec.x = x3;
  spec.h0 = site.in(kUniRnn.state);
  spec.y = y3;
  spec.name = name;
  StatusOr<Node> node = MakeSequenceRnnNode(site.graph, sg, spec);
  if (!node.ok()) return node.status().WithContext(site.Label() + ": ");
  std::vector<Node> nodes;
  nodes.push_back(MakeReshape(site.graph, sg, site.in(0), x3, {1, batch, input_size}, name + "/input_sequence"));
  nodes.push_back(std::move(node).value());
  nodes.push_back(MakeReshape(site.graph, sg, y3, site.out(0), {batch, H}, name + "/output"));
  return ReplaceNode(site, std::move(nodes));
}

// TFLite's GRU (gru_cell.cc), per step with [x h] the concatenation:
//   [r u] = sigmoid([x h] * gate_weight^T + gate_bias)
//   c     = tanh([x r.*h] * candidate_weight^T + candidate_bias)
//   h'    = (1 - u) .* c + u .* h
// which is SequenceRnn's GRU with z = u, n = c and linear_before_reset = 0
// (the reset gate scales h before the recurrent product).
StatusOr<int> ImportGru(ImportSite& site) {
  constexpr int kInput = 0, kInputState = 1, kGateWeight = 2, kGateBias = 3, kCandWeight = 4, kCandBias = 5;
  if (site.node.inputs.size() != 6) {
    return site.Invalid("inputs", "expected 6 inputs, got " + std::to_string(site.node.inputs.size()));
  }
  if (site.node.outputs.size() != 2) {
    return site.Invalid("outputs", "expected 2 outputs (output, output_state), got " +
                                       std::to_string(site.node.outputs.size()));
  }
  RNNLITE_RETURN_IF_ERROR(CheckSequenceInput(site, kInput, "input"));
  const Tensor* x = site.tensor(site.in(kInput));
  const int batch = x->dim(1), I = x->dim(2);  // the op is time-major only
  const Tensor* h = site.tensor(site.in(kInputState));
  if (h == nullptr) return site.Invalid(Field(kInputState, "input_state"), "required tensor is absent");
  if (h->rank() != 2 || h->dim(0) != batch) {
    return site.Invalid(Field(kInputState, "input_state"),
                        "expected [" + std::to_string(batch) + ", n_output], got " + ShapeToString(h->shape));
  }
  const int H = h->dim(1);
  if (H <= 0) return site.Invalid(Field(kInputState, "input_state"), "empty state width");
  if (h->dtype != DType::kFloat32) {
    return site.Unsupported(Field(kInputState, "input_state"), "state of type " + DTypeName(h->dtype));
  }
  RNNLITE_ASSIGN_OR_RETURN(std::vector<float> gw, ReadFloatConstant(site, site.in(kGateWeight), {2 * H, I + H},
                                                                    Field(kGateWeight, "gate_weight")));
  RNNLITE_ASSIGN_OR_RETURN(std::vector<float> gb,
                           ReadFloatConstant(site, site.in(kGateBias), {2 * H}, Field(kGateBias, "gate_bias")));
  RNNLITE_ASSIGN_OR_RETURN(std::vector<float> cw, ReadFloatConstant(site, site.in(kCandWeight), {H, I + H},
                                                                    Field(kCandWeight, "candidate_weight")));
  RNNLITE_ASSIGN_OR_RETURN(std::vector<float> cb, ReadFloatConstant(site, site.in(kCandBias), {H},
                                                                    Field(kCandBias, "candidate_bias")));
  // Rows r (gate rows 0..H), z (gate rows H..2H), n (candidate rows); the
  // first I columns multiply x, the last H multiply h.
  DirectionWeights w;
  auto split_rows = [&](const std::vector<float>& m, int row0) {
    for (int row = row0; row < row0 + H; ++row) {
      const float* src = m.data() + static_cast<size_t>(row) * (I + H);
      w.w.insert(w.w.end(), src, src + I);
      w.r.insert(w.r.end(), src + I, src + I + H);
    }
  };
  split_rows(gw, 0);
  split_rows(gw, H);
  split_rows(cw, 0);
  w.wb = gb;
  w.wb.insert(w.wb.end(), cb.begin(), cb.end());

  SequenceRnnSpec spec;
  SequenceRnnParams& p = spec.params;
  p.cell = RnnCell::kGru;
  p.direction = RnnDirection::kForward;
  p.time_major = true;
  p.hidden_size = H;
  p.linear_before_reset = false;
  p.activations = {RnnActivationSpec{RnnActivation::kSigmoid, 0.0f, 0.0f},
                   RnnActivationSpec{RnnActivation::kTanh, 0.0f, 0.0f}};
  p.output_layout = RnnOutputLayout::kConcat;
  p.state_layout = RnnStateLayout::kPerDirection;
  spec.input_size = I;
  spec.dirs = {std::move(w)};
  spec.x = site.in(kInput);
  spec.y = site.out(0);
  spec.name = NodeName(site);

  std::vector<Node> nodes;
  Subgraph& sg = site.sg();
  // TFLite's GRU reads its (variable) input_state but never writes it; a
  // SequenceRnn would stream into a variable state, so it reads a copy.
  spec.h0 = site.in(kInputState);
  if (h->is_variable) {
    const Tensor state = *h;
    Tensor copy;
    copy.name = spec.name + "/h0";
    copy.dtype = DType::kFloat32;
    copy.shape = state.shape;
    spec.h0 = sg.AddTensor(std::move(copy));
    nodes.push_back(MakeReshape(site.graph, sg, site.in(kInputState), spec.h0, {batch, H}, spec.name + "/h0"));
  }
  // SequenceRnn's final h is [D, B, H]; TFLite's output_state is [B, H].
  if (site.out(1) != kNoTensor) {
    Tensor fin;
    fin.name = spec.name + "/y_h";
    fin.dtype = DType::kFloat32;
    fin.shape = {1, batch, H};
    spec.yh = sg.AddTensor(std::move(fin));
  }
  StatusOr<Node> node = MakeSequenceRnnNode(site.graph, sg, spec);
  if (!node.ok()) return node.status().WithContext(site.Label() + ": ");
  nodes.push_back(std::move(node).value());
  if (spec.yh != kNoTensor) {
    nodes.push_back(MakeReshape(site.graph, sg, spec.yh, site.out(1), {batch, H}, spec.name + "/output_state"));
  }
  return ReplaceNode(site, std::move(nodes));
}

}  // namespace rnnlite::rnn_tflite_detail
