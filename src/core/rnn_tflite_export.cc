// SequenceRnn -> TFLite for the writer: the builtin where one computes the
// same function (stock TFLite can then run the file), otherwise the
// RNNLITE_SEQUENCE_RNN custom op with flexbuffer options (docs/format.md).
//
// A node becomes a builtin only if importing that builtin gives back the
// node's attributes exactly (checked, not assumed), so load -> write -> load
// keeps every attribute. Data is kept too, with two documented
// normalizations that leave the function unchanged: rows a CIFG LSTM never
// reads are dropped (they come back as zeros), and a recurrent-side bias Rb
// is added into the input-side bias (TFLite has one bias per gate).
#include <cstring>
#include <optional>
#include <string>

#include "core/rnn_tflite.h"

namespace rnnlite {
namespace {

using namespace rnn_tflite_detail;

// A float32 constant of exactly `shape` (not a variable), or nullopt.
std::optional<std::vector<float>> Constant(const Subgraph& sg, int index, const Shape& shape) {
  if (index < 0 || index >= static_cast<int>(sg.tensors.size())) return std::nullopt;
  const Tensor& t = sg.tensors[index];
  if (!t.is_constant() || t.is_variable || t.dtype != DType::kFloat32 || t.shape != shape) return std::nullopt;
  const int64_t n = NumElements(shape);
  if (n < 0 || t.constant_bytes != static_cast<size_t>(n) * 4) return std::nullopt;
  std::vector<float> v(static_cast<size_t>(n));
  if (n > 0) std::memcpy(v.data(), t.constant_data, static_cast<size_t>(n) * 4);
  return v;
}

bool IsFloatVariable(const Subgraph& sg, int index) {
  return index >= 0 && index < static_cast<int>(sg.tensors.size()) && sg.tensors[index].is_variable &&
         sg.tensors[index].dtype == DType::kFloat32;
}

int Slot(const std::vector<int>& list, int i) {
  return i < static_cast<int>(list.size()) ? list[i] : kNoTensor;
}

// Everything a builtin needs, read from the SequenceRnn node.
struct Gathered {
  int D = 1, G = 1, H = 0, X = 0, P = 0, I = 0, I2 = 0;
  int64_t act = 0;
  std::vector<float> w, r, b, peephole, proj_w, proj_b, layer_norm, aux_w;
  int x = kNoTensor, aux_x = kNoTensor, h0 = kNoTensor, c0 = kNoTensor, h0_bw = kNoTensor, c0_bw = kNoTensor;
  int y = kNoTensor, y_bw = kNoTensor;
};

// Checks that `node` is exactly a TFLite LSTM/RNN builtin and reads its
// data; false means "write the custom op".
bool Gather(const Subgraph& sg, const Node& node, const SequenceRnnParams& p, Gathered* g) {
  using namespace seq_rnn_input;
  const bool lstm = p.cell == RnnCell::kLstm;
  if (p.cell == RnnCell::kGru) return false;
  if (p.direction == RnnDirection::kReverse) return false;
  if (p.gate_clip != 0.0f || p.state_layout != RnnStateLayout::kPerDirection) return false;
  g->D = p.num_directions();
  g->G = p.num_gates();
  g->H = p.hidden_size;
  g->X = p.recurrent_width();
  g->P = p.proj_size;
  const int D = g->D, G = g->G, H = g->H, X = g->X, P = g->P;
  if (D == 1 && p.output_layout != RnnOutputLayout::kConcat) return false;
  if (D == 2 && p.output_layout == RnnOutputLayout::kStacked) return false;

  // Outputs: Y (and the backward Y when split), no explicit final states.
  const auto& outs = node.outputs;
  g->y = Slot(outs, seq_rnn_output::kY);
  g->y_bw = Slot(outs, seq_rnn_output::kYBw);
  if (g->y == kNoTensor || Slot(outs, seq_rnn_output::kYh) != kNoTensor ||
      Slot(outs, seq_rnn_output::kYc) != kNoTensor) {
    return false;
  }
  if ((p.output_layout == RnnOutputLayout::kSplit) != (g->y_bw != kNoTensor)) return false;
  if (outs.size() > static_cast<size_t>(seq_rnn_output::kCount)) return false;

  // One TFLite activation shared by every direction: LSTM (sigmoid, a, a), RNN (a).
  const int apd = p.activations_per_direction();
  if (static_cast<int>(p.activations.size()) != D * apd) return false;
  const RnnActivationSpec& a = p.activations[lstm ? 1 : 0];
  if (!ToTfliteActivation(a, &g->act)) return false;
  for (int d = 0; d < D; ++d) {
    const RnnActivationSpec* dir = &p.activations[static_cast<size_t>(d * apd)];
    if (lstm && !(dir[0] == RnnActivationSpec{RnnActivation::kSigmoid, 0.0f, 0.0f} && dir[1] == a && dir[2] == a)) {
      return false;
    }
    if (!lstm && !(dir[0] == a)) return false;
  }

  const auto& in = node.inputs;
  if (in.size() > static_cast<size_t>(kCount) || Slot(in, kSeqLens) != kNoTensor) return false;
  g->x = Slot(in, kX);
  if (g->x < 0 || g->x >= static_cast<int>(sg.tensors.size())) return false;
  const Tensor& xt = sg.tensors[g->x];
  if (xt.dtype != DType::kFloat32 || xt.rank() != 3) return false;
  g->I = xt.dim(2);
  const int I = g->I;

  auto w = Constant(sg, Slot(in, kW), {D, G * H, I});
  auto r = Constant(sg, Slot(in, kR), {D, G * H, X});
  if (!w || !r) return false;
  g->w = std::move(*w);
  g->r = std::move(*r);
  g->b.assign(static_cast<size_t>(D * G * H), 0.0f);
  for (int slot : {kWb, kRb}) {
    if (Slot(in, slot) == kNoTensor) continue;
    auto bias = Constant(sg, Slot(in, slot), {D, G * H});
    if (!bias) return false;
    for (size_t k = 0; k < g->b.size(); ++k) g->b[k] += (*bias)[k];
  }

  // TFLite's states are variable tensors (they persist across Invoke).
  g->h0 = Slot(in, kH0);
  g->c0 = Slot(in, kC0);
  g->h0_bw = Slot(in, kH0Bw);
  g->c0_bw = Slot(in, kC0Bw);
  if (!IsFloatVariable(sg, g->h0) || (lstm != IsFloatVariable(sg, g->c0))) return false;
  if (!lstm && g->c0 != kNoTensor) return false;
  if (D == 2) {
    if (!IsFloatVariable(sg, g->h0_bw) || (lstm != IsFloatVariable(sg, g->c0_bw))) return false;
    if (!lstm && g->c0_bw != kNoTensor) return false;
  } else if (g->h0_bw != kNoTensor || g->c0_bw != kNoTensor) {
    return false;
  }

  const int peep = Slot(in, kPeephole), proj_w = Slot(in, kProjW), proj_b = Slot(in, kProjB),
            ln = Slot(in, kLayerNorm);
  if (!lstm && (peep != kNoTensor || proj_w != kNoTensor || proj_b != kNoTensor || ln != kNoTensor)) return false;
  if (peep != kNoTensor) {
    auto v = Constant(sg, peep, {D, 3, H});
    if (!v) return false;
    g->peephole = std::move(*v);
  }
  if ((P > 0) != (proj_w != kNoTensor)) return false;
  if (P > 0) {
    auto v = Constant(sg, proj_w, {D, P, H});
    if (!v) return false;
    g->proj_w = std::move(*v);
    if (proj_b != kNoTensor) {
      auto pb = Constant(sg, proj_b, {D, P});
      if (!pb) return false;
      g->proj_b = std::move(*pb);
    }
  } else if (proj_b != kNoTensor) {
    return false;
  }
  if (ln != kNoTensor) {
    if (D != 1) return false;  // BIDIRECTIONAL_SEQUENCE_LSTM has no layer norm
    auto v = Constant(sg, ln, {D, 4, H});
    if (!v) return false;
    g->layer_norm = std::move(*v);
  }

  g->aux_x = Slot(in, kAuxX);
  const int aux_w = Slot(in, kAuxW);
  if ((g->aux_x != kNoTensor) != (aux_w != kNoTensor)) return false;
  if (g->aux_x != kNoTensor) {
    if (D != 2 || g->aux_x >= static_cast<int>(sg.tensors.size())) return false;
    const Tensor& at = sg.tensors[g->aux_x];
    if (at.dtype != DType::kFloat32 || at.rank() != 3) return false;
    g->I2 = at.dim(2);
    auto v = Constant(sg, aux_w, {D, G * H, g->I2});
    if (!v) return false;
    g->aux_w = std::move(*v);
  }
  return true;
}

// The parameters importing the builtin would produce; the node becomes the
// builtin only if they equal its own.
bool ImportWouldMatch(const SequenceRnnParams& p, const Gathered& g) {
  SequenceRnnParams q;
  q.cell = p.cell;
  q.direction = g.D == 2 ? RnnDirection::kBidirectional : RnnDirection::kForward;
  q.time_major = p.time_major;
  q.hidden_size = g.H;
  StatusOr<RnnActivationSpec> act = FromTfliteActivation(g.act);
  if (!act.ok()) return false;
  for (int d = 0; d < g.D; ++d) {
    if (p.cell == RnnCell::kLstm) q.activations.push_back({RnnActivation::kSigmoid, 0.0f, 0.0f});
    q.activations.push_back(*act);
    if (p.cell == RnnCell::kLstm) q.activations.push_back(*act);
  }
  if (p.cell == RnnCell::kLstm) {
    q.proj_size = g.P;
    q.cifg = p.cifg;
    q.cell_clip = p.cell_clip;
    q.proj_clip = p.proj_clip;
  }
  q.output_layout = p.output_layout;
  q.state_layout = RnnStateLayout::kPerDirection;
  AttrMap mine, theirs;
  p.ToAttrs(&theirs);
  q.ToAttrs(&mine);
  return mine == theirs;
}

// Adds the per-gate tensors of a builtin to `sg` (owned by `graph`).
class Emitter {
 public:
  Emitter(Graph& graph, Subgraph& sg, std::string base) : graph_(graph), sg_(sg), base_(std::move(base)) {}

  // Rows [row0, row0 + rows) of direction d of a [D, R, cols] matrix.
  int Rows(const std::vector<float>& m, int total_rows, int d, int row0, int rows, int cols, const std::string& name,
           Shape shape) {
    const size_t begin = (static_cast<size_t>(d) * total_rows + row0) * cols;
    std::vector<float> part(m.begin() + begin, m.begin() + begin + static_cast<size_t>(rows) * cols);
    return AddFloatConstant(graph_, sg_, base_ + "/" + name, std::move(shape), part);
  }

 private:
  Graph& graph_;
  Subgraph& sg_;
  std::string base_;
};

std::string BaseName(const Subgraph& sg, const Gathered& g) {
  const std::string& n = sg.tensors[g.y].name;
  return n.empty() ? std::string("rnn") : n;
}

Node ExportLstm(Graph& graph, Subgraph& sg, const SequenceRnnParams& p, const Gathered& g) {
  const int H = g.H, X = g.X, P = g.P, I = g.I, I2 = g.I2;
  Emitter e(graph, sg, BaseName(sg, g));
  const char* gates[4] = {"input", "forget", "cell", "output"};
  const bool bidi = g.D == 2;
  std::vector<int> in(bidi ? 48 : 24, kNoTensor);
  in[0] = g.x;
  for (int d = 0; d < g.D; ++d) {
    const int base = d == 0 ? 0 : 17;  // backward tensors follow the forward 17
    const std::string pre = !bidi ? "" : d == 0 ? "fw_" : "bw_";
    for (int k = 0; k < 4; ++k) {
      if (k == 0 && p.cifg) continue;  // CIFG: input-gate tensors are absent
      const std::string gate = gates[k];
      in[base + 1 + k] = e.Rows(g.w, 4 * H, d, k * H, H, I, pre + "input_to_" + gate + "_weights", {H, I});
      in[base + 5 + k] = e.Rows(g.r, 4 * H, d, k * H, H, X, pre + "recurrent_to_" + gate + "_weights", {H, X});
      in[base + 12 + k] = e.Rows(g.b, 4 * H, d, k * H, H, 1, pre + gate + "_gate_bias", {H});
    }
    if (!g.peephole.empty()) {
      const char* names[3] = {"cell_to_input_weights", "cell_to_forget_weights", "cell_to_output_weights"};
      for (int k = p.cifg ? 1 : 0; k < 3; ++k) in[base + 9 + k] = e.Rows(g.peephole, 3, d, k, 1, H, pre + names[k], {H});
    }
    if (P > 0) {
      in[base + 16] = e.Rows(g.proj_w, P, d, 0, P, H, pre + "projection_weights", {P, H});
      if (!g.proj_b.empty()) in[base + 17] = e.Rows(g.proj_b, 1, d, 0, 1, P, pre + "projection_bias", {P});
    }
    if (g.aux_x != kNoTensor) {
      for (int k = p.cifg ? 1 : 0; k < 4; ++k) {
        in[(d == 0 ? 40 : 44) + k] = e.Rows(g.aux_w, 4 * H, d, k * H, H, I2,
                                            pre + "aux_input_to_" + gates[k] + "_weights", {H, I2});
      }
    }
  }
  Node n;
  n.version = 1;
  n.attrs.SetInt("fused_activation_function", g.act);
  n.attrs.SetFloat("cell_clip", p.cell_clip);
  n.attrs.SetFloat("proj_clip", p.proj_clip);
  n.attrs.SetInt("time_major", p.time_major ? 1 : 0);
  n.attrs.SetInt("asymmetric_quantize_inputs", 0);
  if (!bidi) {
    n.op = Op::kUnidirectionalSequenceLstm;
    in[18] = g.h0;
    in[19] = g.c0;
    if (!g.layer_norm.empty()) {
      for (int k = p.cifg ? 1 : 0; k < 4; ++k) {
        in[20 + k] = e.Rows(g.layer_norm, 4, 0, k, 1, H, std::string(gates[k]) + "_layer_norm_coefficients", {H});
      }
    }
    n.attrs.SetInt("diagonal_recurrent_tensors", 0);
    n.outputs = {g.y};
  } else {
    n.op = Op::kBidirectionalSequenceLstm;
    in[35] = g.h0;
    in[36] = g.c0;
    in[37] = g.h0_bw;
    in[38] = g.c0_bw;
    in[39] = g.aux_x;
    const bool merge = p.output_layout == RnnOutputLayout::kConcat;
    n.attrs.SetInt("merge_outputs", merge ? 1 : 0);
    n.outputs = merge ? std::vector<int>{g.y} : std::vector<int>{g.y, g.y_bw};
  }
  n.inputs = std::move(in);
  return n;
}

Node ExportRnn(Graph& graph, Subgraph& sg, const SequenceRnnParams& p, const Gathered& g) {
  const int H = g.H, I = g.I, I2 = g.I2;
  Emitter e(graph, sg, BaseName(sg, g));
  Node n;
  n.version = 1;
  n.attrs.SetInt("time_major", p.time_major ? 1 : 0);
  n.attrs.SetInt("fused_activation_function", g.act);
  n.attrs.SetInt("asymmetric_quantize_inputs", 0);
  if (g.D == 1) {
    n.op = Op::kUnidirectionalSequenceRnn;
    n.inputs = {g.x, e.Rows(g.w, H, 0, 0, H, I, "weights", {H, I}), e.Rows(g.r, H, 0, 0, H, H, "recurrent_weights", {H, H}),
                e.Rows(g.b, H, 0, 0, H, 1, "bias", {H}), g.h0};
    n.outputs = {g.y};
    return n;
  }
  n.op = Op::kBidirectionalSequenceRnn;
  n.inputs.assign(12, kNoTensor);
  n.inputs[0] = g.x;
  for (int d = 0; d < 2; ++d) {
    const std::string pre = d == 0 ? "fw_" : "bw_";
    const int base = d == 0 ? 1 : 5;
    n.inputs[base] = e.Rows(g.w, H, d, 0, H, I, pre + "weights", {H, I});
    n.inputs[base + 1] = e.Rows(g.r, H, d, 0, H, H, pre + "recurrent_weights", {H, H});
    n.inputs[base + 2] = e.Rows(g.b, H, d, 0, H, 1, pre + "bias", {H});
    n.inputs[base + 3] = d == 0 ? g.h0 : g.h0_bw;
    if (g.aux_x != kNoTensor) n.inputs[10 + d] = e.Rows(g.aux_w, H, d, 0, H, I2, pre + "aux_weights", {H, I2});
  }
  n.inputs[9] = g.aux_x;
  const bool merge = p.output_layout == RnnOutputLayout::kConcat;
  n.attrs.SetInt("merge_outputs", merge ? 1 : 0);
  n.outputs = merge ? std::vector<int>{g.y} : std::vector<int>{g.y, g.y_bw};
  return n;
}

}  // namespace

Status ExportTfliteRecurrentOps(const Graph& in, Graph* out) {
  out->description = in.description;
  out->subgraphs = in.subgraphs;
  for (size_t s = 0; s < out->subgraphs.size(); ++s) {
    Subgraph& sg = out->subgraphs[s];
    for (size_t i = 0; i < sg.nodes.size(); ++i) {
      if (!sg.nodes[i].is_custom(kSequenceRnnCustomCode)) continue;
      const Node node = sg.nodes[i];
      const std::string label = "subgraph " + std::to_string(s) + " node " + std::to_string(i) + " (" +
                                kSequenceRnnCustomCode + ")";
      // Custom options already present are what a reader could not decode;
      // they are written back untouched.
      if (node.attrs.values().empty() && !node.custom_options.empty()) continue;
      StatusOr<SequenceRnnParams> params = SequenceRnnParams::FromAttrs(node.attrs);
      if (!params.ok()) return params.status().WithContext(label + ": cannot be written: ");
      Gathered g;
      if (Gather(sg, node, *params, &g) && ImportWouldMatch(*params, g)) {
        sg.nodes[i] = params->cell == RnnCell::kLstm ? ExportLstm(*out, sg, *params, g)
                                                     : ExportRnn(*out, sg, *params, g);
        continue;
      }
      Node custom = node;
      AttrMap canonical;
      params->ToAttrs(&canonical);
      custom.custom_options = EncodeSequenceRnnOptions(canonical);
      custom.attrs = AttrMap();
      sg.nodes[i] = std::move(custom);
    }
  }
  return Status::Ok();
}

}  // namespace rnnlite
