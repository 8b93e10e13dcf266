// UNIDIRECTIONAL_SEQUENCE_LSTM and BIDIRECTIONAL_SEQUENCE_LSTM -> SequenceRnn.
//
// Input indices are TFLite's (tensorflow/lite/kernels/lstm_shared.h and
// bidirectional_sequence_lstm.cc). TFLite's gate order i, f, c, o is
// rnnlite's i, f, g, o, so packing only stacks the per-gate tensors.
#include <string>

#include "core/rnn_tflite.h"

namespace rnnlite::rnn_tflite_detail {
namespace {

constexpr const char* kGateNames[4] = {"input", "forget", "cell", "output"};

// Where one direction's tensors sit in the node's input list.
struct LstmInputs {
  const char* prefix;  // "" (unidirectional), "fw_" or "bw_"
  int input_to[4];     // i, f, c, o: [H, I]
  int recurrent_to[4]; // [H, X] (or [H] when diagonal)
  int cell_to[3];      // peepholes i, f, o: [H]
  int bias[4];         // [H]
  int projection;      // [P, H]
  int projection_bias; // [P]
  int layer_norm[4];   // [H]; -1 when the form has none
  int aux_input_to[4]; // [H, I2]; -1 when the form has none
};

constexpr LstmInputs kUniInputs = {
    "", {1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11}, {12, 13, 14, 15}, 16, 17, {20, 21, 22, 23}, {-1, -1, -1, -1}};
constexpr LstmInputs kFwInputs = {
    "fw_", {1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11}, {12, 13, 14, 15}, 16, 17, {-1, -1, -1, -1}, {40, 41, 42, 43}};
constexpr LstmInputs kBwInputs = {"bw_",      {18, 19, 20, 21}, {22, 23, 24, 25}, {26, 27, 28}, {29, 30, 31, 32},
                                  33,         34,               {-1, -1, -1, -1}, {44, 45, 46, 47}};

// Uni/bidirectional LSTM state and auxiliary input slots.
constexpr int kUniOutputState = 18, kUniCellState = 19;
constexpr int kFwActivationState = 35, kFwCellState = 36, kBwActivationState = 37, kBwCellState = 38;
constexpr int kAuxInput = 39;

std::string Field(int index, const std::string& name) {
  return "input " + std::to_string(index) + " (" + name + ")";
}

struct LstmDirection {
  int H = 0, X = 0, P = 0;
  bool cifg = false;
  DirectionWeights weights;
};

// Reads and checks one direction. `use_aux` reads the auxiliary-input
// weights (cross-linked stacking) for an auxiliary input of width `aux_size`.
StatusOr<LstmDirection> ReadDirection(const ImportSite& site, const LstmInputs& idx, int input_size, bool use_aux,
                                      int aux_size, bool layer_norm) {
  const std::string pre = idx.prefix;
  auto field = [&](int i, const std::string& name) { return Field(i, pre + name); };
  LstmDirection d;
  const Tensor* to_output = site.tensor(site.in(idx.input_to[3]));
  const std::string to_output_field = field(idx.input_to[3], "input_to_output_weights");
  if (to_output == nullptr) return site.Invalid(to_output_field, "required tensor is absent");
  if (to_output->rank() != 2) return site.Invalid(to_output_field, "expected rank 2, got " + ShapeToString(to_output->shape));
  d.H = to_output->dim(0);
  if (to_output->dim(1) != input_size) {
    return site.Invalid(to_output_field, "input width " + std::to_string(to_output->dim(1)) +
                                             " does not match the input's " + std::to_string(input_size));
  }
  const Tensor* rec_output = site.tensor(site.in(idx.recurrent_to[3]));
  const std::string rec_output_field = field(idx.recurrent_to[3], "recurrent_to_output_weights");
  if (rec_output == nullptr) return site.Invalid(rec_output_field, "required tensor is absent");
  if (rec_output->rank() == 1) {
    d.X = d.H;  // diagonal recurrent weights (IndyLSTM): X == H by construction
  } else if (rec_output->rank() == 2) {
    d.X = rec_output->dim(1);
  } else {
    return site.Invalid(rec_output_field, "expected rank 1 or 2, got " + ShapeToString(rec_output->shape));
  }
  const int H = d.H, X = d.X, I = input_size;
  if (H <= 0 || X <= 0) return site.Invalid(to_output_field, "empty hidden size");

  d.cifg = site.in(idx.input_to[0]) == kNoTensor;
  if ((site.in(idx.recurrent_to[0]) == kNoTensor) != d.cifg) {
    return site.Invalid(field(idx.recurrent_to[0], "recurrent_to_input_weights"),
                        "input-gate weights must be all present (LSTM) or all absent (CIFG)");
  }
  if (d.cifg && site.in(idx.bias[0]) != kNoTensor) {
    return site.Invalid(field(idx.bias[0], "input_gate_bias"), "must be absent in a CIFG LSTM");
  }

  DirectionWeights& w = d.weights;
  w.w.reserve(static_cast<size_t>(4 * H * I));
  w.r.reserve(static_cast<size_t>(4 * H * X));
  for (int g = 0; g < 4; ++g) {
    const std::string gate = kGateNames[g];
    if (g == 0 && d.cifg) {
      // i = 1 - f: the input gate's rows are never read.
      w.w.insert(w.w.end(), static_cast<size_t>(H * I), 0.0f);
      w.r.insert(w.r.end(), static_cast<size_t>(H * X), 0.0f);
      w.wb.insert(w.wb.end(), static_cast<size_t>(H), 0.0f);
      continue;
    }
    RNNLITE_ASSIGN_OR_RETURN(std::vector<float> wi,
                             ReadFloatConstant(site, site.in(idx.input_to[g]), {H, I},
                                               field(idx.input_to[g], "input_to_" + gate + "_weights")));
    w.w.insert(w.w.end(), wi.begin(), wi.end());

    const int rt = site.in(idx.recurrent_to[g]);
    const std::string rfield = field(idx.recurrent_to[g], "recurrent_to_" + gate + "_weights");
    const Tensor* rtensor = site.tensor(rt);
    if (rtensor == nullptr) return site.Invalid(rfield, "required tensor is absent");
    if (rtensor->rank() == 1) {
      if (X != H) return site.Invalid(rfield, "diagonal recurrent weights need an output width equal to the cell's");
      RNNLITE_ASSIGN_OR_RETURN(std::vector<float> diag, ReadFloatConstant(site, rt, {H}, rfield));
      // A diagonal matrix times h is diag .* h: expanded once, exactly.
      std::vector<float> full(static_cast<size_t>(H * H), 0.0f);
      for (int k = 0; k < H; ++k) full[static_cast<size_t>(k * H + k)] = diag[static_cast<size_t>(k)];
      w.r.insert(w.r.end(), full.begin(), full.end());
    } else {
      RNNLITE_ASSIGN_OR_RETURN(std::vector<float> ri, ReadFloatConstant(site, rt, {H, X}, rfield));
      w.r.insert(w.r.end(), ri.begin(), ri.end());
    }
    RNNLITE_ASSIGN_OR_RETURN(std::vector<float> bi, ReadFloatConstant(site, site.in(idx.bias[g]), {H},
                                                                      field(idx.bias[g], gate + "_gate_bias")));
    w.wb.insert(w.wb.end(), bi.begin(), bi.end());
  }

  // Peepholes: all or none (the input one is optional, and unused, in CIFG).
  const bool has_ci = site.in(idx.cell_to[0]) != kNoTensor;
  const bool has_cf = site.in(idx.cell_to[1]) != kNoTensor;
  const bool has_co = site.in(idx.cell_to[2]) != kNoTensor;
  const bool peephole = (has_ci || d.cifg) && has_cf && has_co;
  if (!peephole && (has_ci || has_cf || has_co)) {
    return site.Invalid(field(idx.cell_to[1], "cell_to_forget_weights"), "peephole weights must be all present or all absent");
  }
  if (peephole) {
    const char* names[3] = {"cell_to_input_weights", "cell_to_forget_weights", "cell_to_output_weights"};
    for (int k = 0; k < 3; ++k) {
      if (k == 0 && d.cifg) {
        w.peephole.insert(w.peephole.end(), static_cast<size_t>(H), 0.0f);
        continue;
      }
      RNNLITE_ASSIGN_OR_RETURN(std::vector<float> pk,
                               ReadFloatConstant(site, site.in(idx.cell_to[k]), {H}, field(idx.cell_to[k], names[k])));
      w.peephole.insert(w.peephole.end(), pk.begin(), pk.end());
    }
  }

  const int proj = site.in(idx.projection);
  const int proj_bias = site.in(idx.projection_bias);
  if (proj != kNoTensor) {
    d.P = X;
    RNNLITE_ASSIGN_OR_RETURN(w.proj_w,
                             ReadFloatConstant(site, proj, {X, H}, field(idx.projection, "projection_weights")));
    if (proj_bias != kNoTensor) {
      RNNLITE_ASSIGN_OR_RETURN(
          w.proj_b, ReadFloatConstant(site, proj_bias, {X}, field(idx.projection_bias, "projection_bias")));
    }
  } else {
    if (proj_bias != kNoTensor) {
      return site.Invalid(field(idx.projection_bias, "projection_bias"), "present without projection_weights");
    }
    if (X != H) {
      return site.Invalid(rec_output_field, "output width " + std::to_string(X) + " differs from the cell width " +
                                                std::to_string(H) + " but there is no projection");
    }
  }

  if (layer_norm) {
    const char* names[4] = {"input_layer_norm_coefficients", "forget_layer_norm_coefficients",
                            "cell_layer_norm_coefficients", "output_layer_norm_coefficients"};
    if (d.cifg && site.in(idx.layer_norm[0]) != kNoTensor) {
      return site.Invalid(field(idx.layer_norm[0], names[0]), "must be absent in a CIFG LSTM");
    }
    for (int g = 0; g < 4; ++g) {
      if (g == 0 && d.cifg) {
        w.layer_norm.insert(w.layer_norm.end(), static_cast<size_t>(H), 0.0f);
        continue;
      }
      RNNLITE_ASSIGN_OR_RETURN(std::vector<float> ln, ReadFloatConstant(site, site.in(idx.layer_norm[g]), {H},
                                                                        field(idx.layer_norm[g], names[g])));
      w.layer_norm.insert(w.layer_norm.end(), ln.begin(), ln.end());
    }
  }

  if (use_aux) {
    for (int g = 0; g < 4; ++g) {
      if (g == 0 && d.cifg) {
        w.aux_w.insert(w.aux_w.end(), static_cast<size_t>(H * aux_size), 0.0f);
        continue;
      }
      const std::string name = std::string("aux_input_to_") + kGateNames[g] + "_weights";
      RNNLITE_ASSIGN_OR_RETURN(std::vector<float> a,
                               ReadFloatConstant(site, site.in(idx.aux_input_to[g]), {H, aux_size},
                                                 field(idx.aux_input_to[g], name)));
      w.aux_w.insert(w.aux_w.end(), a.begin(), a.end());
    }
  }
  return d;
}

struct LstmOptions {
  RnnActivationSpec act;
  float cell_clip = 0.0f, proj_clip = 0.0f;
  bool time_major = false;
};

StatusOr<LstmOptions> ReadOptions(const ImportSite& site, bool time_major_default) {
  LstmOptions o;
  StatusOr<RnnActivationSpec> act = FromTfliteActivation(site.node.attrs.GetInt("fused_activation_function", 0));
  if (!act.ok()) return act.status().WithContext(site.Label() + ": ");
  o.act = *act;
  o.cell_clip = static_cast<float>(site.node.attrs.GetFloat("cell_clip", 0.0));
  o.proj_clip = static_cast<float>(site.node.attrs.GetFloat("proj_clip", 0.0));
  if (!(o.cell_clip >= 0.0f)) return site.Invalid("cell_clip", "must be >= 0 (0 disables clipping)");
  if (!(o.proj_clip >= 0.0f)) return site.Invalid("proj_clip", "must be >= 0 (0 disables clipping)");
  o.time_major = site.node.attrs.GetInt("time_major", time_major_default ? 1 : 0) != 0;
  return o;
}

SequenceRnnParams LstmParams(const LstmOptions& o, const LstmDirection& d, RnnDirection direction,
                             RnnOutputLayout layout) {
  SequenceRnnParams p;
  p.cell = RnnCell::kLstm;
  p.direction = direction;
  p.time_major = o.time_major;
  p.hidden_size = d.H;
  p.proj_size = d.P;
  p.cifg = d.cifg;
  p.cell_clip = o.cell_clip;
  p.proj_clip = o.proj_clip;
  const RnnActivationSpec sigmoid{RnnActivation::kSigmoid, 0.0f, 0.0f};
  for (int k = 0; k < p.num_directions(); ++k) {
    p.activations.push_back(sigmoid);
    p.activations.push_back(o.act);
    p.activations.push_back(o.act);
  }
  p.output_layout = layout;
  p.state_layout = RnnStateLayout::kPerDirection;
  return p;
}

// The sequence input: float32, rank 3. Returns {batch, input width}.
StatusOr<std::pair<int, int>> ReadSequenceInput(const ImportSite& site, int slot, bool time_major,
                                                const std::string& name) {
  const std::string field = "input " + std::to_string(slot) + " (" + name + ")";
  const Tensor* x = site.tensor(site.in(slot));
  if (x == nullptr) return site.Invalid(field, "required tensor is absent");
  if (x->dtype != DType::kFloat32) {
    return site.Unsupported(field, DTypeName(x->dtype) + " input (quantized model); rnnlite runs recurrent layers in float32");
  }
  if (x->rank() != 3) return site.Invalid(field, "expected rank 3, got " + ShapeToString(x->shape));
  return std::make_pair(time_major ? x->dim(1) : x->dim(0), x->dim(2));
}

std::string NodeName(const ImportSite& site) {
  const Tensor* y = site.tensor(site.out(0));
  return (y != nullptr && !y->name.empty() ? y->name : "rnn") + "/rnnlite";
}

// The single-step ops' input: float32 [B, I]. Returns {B, I}.
StatusOr<std::pair<int, int>> ReadStepInput(const ImportSite& site) {
  const std::string field = "input 0 (input)";
  const Tensor* x = site.tensor(site.in(0));
  if (x == nullptr) return site.Invalid(field, "required tensor is absent");
  if (x->dtype != DType::kFloat32) {
    return site.Unsupported(field, DTypeName(x->dtype) + " input (quantized model); rnnlite runs recurrent layers in float32");
  }
  if (x->rank() != 2) return site.Invalid(field, "expected rank 2 ([batch, input]), got " + ShapeToString(x->shape));
  return std::make_pair(x->dim(0), x->dim(1));
}

}  // namespace

StatusOr<int> ImportUnidirectionalLstm(ImportSite& site) {
  const int n_in = static_cast<int>(site.node.inputs.size());
  if (n_in != 24 && n_in != 20) {
    return site.Invalid("inputs", "expected 24 inputs (or the legacy 20), got " + std::to_string(n_in));
  }
  if (site.node.outputs.size() != 1) {
    return site.Invalid("outputs", "expected 1 output, got " + std::to_string(site.node.outputs.size()));
  }
  RNNLITE_ASSIGN_OR_RETURN(LstmOptions opt, ReadOptions(site, /*time_major_default=*/false));
  RNNLITE_ASSIGN_OR_RETURN(auto bi, ReadSequenceInput(site, 0, opt.time_major, "input"));
  // TFLite decides "layer norm" by the forget coefficients alone.
  const bool layer_norm = n_in == 24 && site.in(21) != kNoTensor;
  RNNLITE_ASSIGN_OR_RETURN(LstmDirection d, ReadDirection(site, kUniInputs, bi.second, false, 0, layer_norm));
  RNNLITE_RETURN_IF_ERROR(NormalizeStateShape(site, site.in(kUniOutputState), bi.first, d.X,
                                              Field(kUniOutputState, "output_state")));
  RNNLITE_RETURN_IF_ERROR(NormalizeStateShape(site, site.in(kUniCellState), bi.first, d.H,
                                              Field(kUniCellState, "cell_state")));
  SequenceRnnSpec spec;
  spec.params = LstmParams(opt, d, RnnDirection::kForward, RnnOutputLayout::kConcat);
  spec.input_size = bi.second;
  spec.dirs = {std::move(d.weights)};
  spec.x = site.in(0);
  spec.h0 = site.in(kUniOutputState);
  spec.c0 = site.in(kUniCellState);
  spec.y = site.out(0);
  spec.name = NodeName(site);
  StatusOr<Node> node = MakeSequenceRnnNode(site.graph, site.sg(), spec);
  if (!node.ok()) return node.status().WithContext(site.Label() + ": ");
  return ReplaceNode(site, {std::move(node).value()});
}

StatusOr<int> ImportBidirectionalLstm(ImportSite& site) {
  const int n_in = static_cast<int>(site.node.inputs.size());
  if (n_in != 48) return site.Invalid("inputs", "expected 48 inputs, got " + std::to_string(n_in));
  RNNLITE_ASSIGN_OR_RETURN(LstmOptions opt, ReadOptions(site, /*time_major_default=*/true));
  const bool merge = site.node.attrs.GetInt("merge_outputs", 0) != 0;
  const size_t want_out = merge ? 1 : 2;
  if (site.node.outputs.size() != want_out) {
    return site.Invalid("outputs", "expected " + std::to_string(want_out) + " output(s) with merge_outputs=" +
                                       std::to_string(merge ? 1 : 0) + ", got " +
                                       std::to_string(site.node.outputs.size()));
  }
  RNNLITE_ASSIGN_OR_RETURN(auto bi, ReadSequenceInput(site, 0, opt.time_major, "input"));
  const int batch = bi.first, input_size = bi.second;
  const Tensor* x = site.tensor(site.in(0));

  // Auxiliary input: with aux weights it feeds both directions (cross-linked
  // stacking); without them it replaces the backward direction's input.
  bool any_aux_w = false, fw_aux_core = true, bw_aux_core = true;
  for (int k = 40; k < 48; ++k) any_aux_w = any_aux_w || site.in(k) != kNoTensor;
  for (int k = 41; k < 44; ++k) fw_aux_core = fw_aux_core && site.in(k) != kNoTensor;
  for (int k = 45; k < 48; ++k) bw_aux_core = bw_aux_core && site.in(k) != kNoTensor;
  const bool use_aux_weights = fw_aux_core && bw_aux_core;
  if (any_aux_w && !use_aux_weights) {
    return site.Invalid(Field(41, "fw_aux_input_to_forget_weights"),
                        "auxiliary weights must be all present or all absent");
  }
  const int aux = site.in(kAuxInput);
  int aux_size = 0;
  if (aux != kNoTensor) {
    RNNLITE_ASSIGN_OR_RETURN(auto abi, ReadSequenceInput(site, kAuxInput, opt.time_major, "aux_input"));
    const Tensor* a = site.tensor(aux);
    if (a->dim(0) != x->dim(0) || a->dim(1) != x->dim(1)) {
      return site.Invalid(Field(kAuxInput, "aux_input"), "shape " + ShapeToString(a->shape) +
                                                                  " does not match the input's " +
                                                                  ShapeToString(x->shape) + " in time and batch");
    }
    aux_size = abi.second;
    if (!use_aux_weights && aux_size != input_size) {
      return site.Invalid(Field(kAuxInput, "aux_input"),
                          "without auxiliary weights it is the backward input and must be as wide as the input");
    }
  } else if (use_aux_weights) {
    return site.Invalid(Field(kAuxInput, "aux_input"), "absent although auxiliary weights are present");
  }
  const bool bw_reads_aux = aux != kNoTensor && !use_aux_weights;

  RNNLITE_ASSIGN_OR_RETURN(LstmDirection fw, ReadDirection(site, kFwInputs, input_size, use_aux_weights, aux_size, false));
  RNNLITE_ASSIGN_OR_RETURN(LstmDirection bw, ReadDirection(site, kBwInputs, input_size, use_aux_weights, aux_size, false));
  RNNLITE_RETURN_IF_ERROR(NormalizeStateShape(site, site.in(kFwActivationState), batch, fw.X,
                                              Field(kFwActivationState, "fw_activation_state")));
  RNNLITE_RETURN_IF_ERROR(
      NormalizeStateShape(site, site.in(kFwCellState), batch, fw.H, Field(kFwCellState, "fw_cell_state")));
  RNNLITE_RETURN_IF_ERROR(NormalizeStateShape(site, site.in(kBwActivationState), batch, bw.X,
                                              Field(kBwActivationState, "bw_activation_state")));
  RNNLITE_RETURN_IF_ERROR(
      NormalizeStateShape(site, site.in(kBwCellState), batch, bw.H, Field(kBwCellState, "bw_cell_state")));

  const std::string name = NodeName(site);
  const bool one_node = !bw_reads_aux && fw.H == bw.H && fw.P == bw.P && fw.cifg == bw.cifg;
  if (one_node) {
    SequenceRnnSpec spec;
    spec.params = LstmParams(opt, fw, RnnDirection::kBidirectional,
                             merge ? RnnOutputLayout::kConcat : RnnOutputLayout::kSplit);
    spec.input_size = input_size;
    spec.dirs = {std::move(fw.weights), std::move(bw.weights)};
    spec.x = site.in(0);
    if (use_aux_weights) {
      spec.aux_x = aux;
      spec.aux_input_size = aux_size;
    }
    spec.h0 = site.in(kFwActivationState);
    spec.c0 = site.in(kFwCellState);
    spec.h0_bw = site.in(kBwActivationState);
    spec.c0_bw = site.in(kBwCellState);
    spec.y = site.out(0);
    if (!merge) spec.y_bw = site.out(1);
    spec.name = name;
    StatusOr<Node> node = MakeSequenceRnnNode(site.graph, site.sg(), spec);
    if (!node.ok()) return node.status().WithContext(site.Label() + ": ");
    return ReplaceNode(site, {std::move(node).value()});
  }

  // The directions differ in shape or input: one forward and one reverse
  // SequenceRnn node, joined by a CONCATENATION when outputs are merged.
  int y_fw = site.out(0), y_bw = merge ? kNoTensor : site.out(1);
  const Tensor* y = site.tensor(site.out(0));
  if (merge) {
    if (y == nullptr) return site.Invalid("output 0", "absent");
    const Tensor like = *x;  // time and batch dims as the input's
    y_fw = AddIntermediateLike(site.sg(), like, fw.X, name + "/fw_output");
    y_bw = AddIntermediateLike(site.sg(), like, bw.X, name + "/bw_output");
  }
  std::vector<Node> nodes;
  for (int k = 0; k < 2; ++k) {
    LstmDirection& d = k == 0 ? fw : bw;
    SequenceRnnSpec spec;
    spec.params = LstmParams(opt, d, k == 0 ? RnnDirection::kForward : RnnDirection::kReverse,
                             RnnOutputLayout::kConcat);
    spec.input_size = input_size;
    spec.dirs = {std::move(d.weights)};
    spec.x = (k == 1 && bw_reads_aux) ? aux : site.in(0);
    if (use_aux_weights) {
      spec.aux_x = aux;
      spec.aux_input_size = aux_size;
    }
    spec.h0 = site.in(k == 0 ? kFwActivationState : kBwActivationState);
    spec.c0 = site.in(k == 0 ? kFwCellState : kBwCellState);
    spec.y = k == 0 ? y_fw : y_bw;
    spec.name = name + (k == 0 ? "/fw" : "/bw");
    StatusOr<Node> node = MakeSequenceRnnNode(site.graph, site.sg(), spec);
    if (!node.ok()) return node.status().WithContext(site.Label() + ": ");
    nodes.push_back(std::move(node).value());
  }
  if (merge) nodes.push_back(MakeConcatLastAxis(y_fw, y_bw, site.out(0)));
  return ReplaceNode(site, std::move(nodes));
}

// The single-step LSTM builtin (full kernel): the sequence op over one time
// step, between RESHAPEs [B, I] -> [1, B, I] and [1, B, X] -> [B, X].
StatusOr<int> ImportLstmStep(ImportSite& site) {
  if (site.node.attrs.GetInt("kernel_type", 0) != 0) {
    return site.Unsupported("kernel_type", "the BASIC LSTM kernel (concatenated weights, 4 outputs)");
  }
  const int n_in = static_cast<int>(site.node.inputs.size());
  if (n_in != 24 && n_in != 20) {
    return site.Invalid("inputs", "expected 24 inputs (or the legacy 20), got " + std::to_string(n_in));
  }
  if (site.node.outputs.size() != 1) {
    return site.Invalid("outputs", "expected 1 output, got " + std::to_string(site.node.outputs.size()));
  }
  RNNLITE_ASSIGN_OR_RETURN(LstmOptions opt, ReadOptions(site, /*time_major_default=*/true));
  opt.time_major = true;
  RNNLITE_ASSIGN_OR_RETURN(auto bi, ReadStepInput(site));
  const int batch = bi.first, input_size = bi.second;
  const bool layer_norm = n_in == 24 && site.in(21) != kNoTensor;
  RNNLITE_ASSIGN_OR_RETURN(LstmDirection d, ReadDirection(site, kUniInputs, input_size, false, 0, layer_norm));
  RNNLITE_RETURN_IF_ERROR(NormalizeStateShape(site, site.in(kUniOutputState), batch, d.X,
                                              Field(kUniOutputState, "output_state")));
  RNNLITE_RETURN_IF_ERROR(
      NormalizeStateShape(site, site.in(kUniCellState), batch, d.H, Field(kUniCellState, "cell_state")));
  const std::string name = NodeName(site);
  Subgraph& sg = site.sg();
  Tensor seq_x, seq_y;
  seq_x.name = name + "/input_sequence";
  seq_x.shape = {1, batch, input_size};
  seq_y.name = name + "/output_sequence";
  seq_y.shape = {1, batch, d.X};
  const int x3 = sg.AddTensor(std::move(seq_x));
  const int y3 = sg.AddTensor(std::move(seq_y));
  const int x_width = d.X;

  SequenceRnnSpec spec;
  spec.params = LstmParams(opt, d, RnnDirection::kForward, RnnOutputLayout::kConcat);
  spec.input_size = input_size;
  spec.dirs = {std::move(d.weights)};
  spec.x = x3;
  spec.h0 = site.in(kUniOutputState);
  spec.c0 = site.in(kUniCellState);
  spec.y = y3;
  spec.name = name;
  StatusOr<Node> node = MakeSequenceRnnNode(site.graph, sg, spec);
  if (!node.ok()) return node.status().WithContext(site.Label() + ": ");
  std::vector<Node> nodes;
  nodes.push_back(MakeReshape(site.graph, sg, site.in(0), x3, {1, batch, input_size}, name + "/input_sequence"));
  nodes.push_back(std::move(node).value());
  nodes.push_back(MakeReshape(site.graph, sg, y3, site.out(0), {batch, x_width}, name + "/output"));
  return ReplaceNode(site, std::move(nodes));
}

}  // namespace rnnlite::rnn_tflite_detail
