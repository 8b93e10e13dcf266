// The import driver and the helpers every TFLite recurrent importer shares:
// reading weights, packing them into SequenceRnn constants, node surgery.
#include "core/rnn_tflite.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

namespace rnnlite {
namespace rnn_tflite_detail {
namespace {

// IEEE half -> float; exact (every half is a float).
float HalfToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1fu;
  const uint32_t mant = h & 0x3ffu;
  float magnitude;
  if (exp == 0) {
    magnitude = std::ldexp(static_cast<float>(mant), -24);  // zero or subnormal
  } else if (exp == 31) {
    magnitude = mant == 0 ? INFINITY : NAN;
  } else {
    magnitude = std::ldexp(static_cast<float>(mant | 0x400u), static_cast<int>(exp) - 25);
  }
  float out = magnitude;
  if (sign != 0) out = -out;
  return out;
}

std::string ShapeStr(const Shape& s) { return ShapeToString(s); }

// The node that produces `tensor` in `sg`, or nullptr.
const Node* Producer(const Subgraph& sg, int tensor) {
  for (const Node& n : sg.nodes) {
    if (std::find(n.outputs.begin(), n.outputs.end(), tensor) != n.outputs.end()) return &n;
  }
  return nullptr;
}

StatusOr<std::vector<float>> DecodeConstant(const ImportSite& site, const Tensor& t, const Shape& shape,
                                            const std::string& field) {
  if (t.shape != shape) {
    return site.Invalid(field, "shape " + ShapeStr(t.shape) + ", expected " + ShapeStr(shape));
  }
  const int64_t n = NumElements(shape);
  if (n < 0) return site.Invalid(field, "invalid shape " + ShapeStr(shape));
  std::vector<float> out(static_cast<size_t>(n));
  if (t.dtype == DType::kFloat32) {
    if (t.constant_bytes != static_cast<size_t>(n) * 4) {
      return site.Invalid(field, "constant holds " + std::to_string(t.constant_bytes) + " bytes, expected " +
                                     std::to_string(n * 4));
    }
    if (n > 0) std::memcpy(out.data(), t.constant_data, static_cast<size_t>(n) * 4);
    return out;
  }
  if (t.dtype == DType::kFloat16) {
    if (t.constant_bytes != static_cast<size_t>(n) * 2) {
      return site.Invalid(field, "constant holds " + std::to_string(t.constant_bytes) + " bytes, expected " +
                                     std::to_string(n * 2));
    }
    for (int64_t i = 0; i < n; ++i) {
      uint16_t h;
      std::memcpy(&h, t.constant_data + 2 * i, 2);
      out[static_cast<size_t>(i)] = HalfToFloat(h);
    }
    return out;
  }
  if (t.dtype == DType::kInt8 || t.dtype == DType::kUInt8 || t.dtype == DType::kInt16 ||
      t.dtype == DType::kInt4) {
    return site.Unsupported(field, DTypeName(t.dtype) +
                                       " (quantized / hybrid) weights; rnnlite runs recurrent layers in "
                                       "float32 only");
  }
  return site.Unsupported(field, "weights of type " + DTypeName(t.dtype) + " (expected float32)");
}

}  // namespace

StatusOr<RnnActivationSpec> FromTfliteActivation(int64_t act) {
  switch (act) {
    case kActNone: return RnnActivationSpec{RnnActivation::kAffine, 1.0f, 0.0f};
    case kActRelu: return RnnActivationSpec{RnnActivation::kRelu, 0.0f, 0.0f};
    case kActReluN1To1: return RnnActivationSpec{RnnActivation::kReluN1To1, 0.0f, 0.0f};
    case kActRelu6: return RnnActivationSpec{RnnActivation::kRelu6, 0.0f, 0.0f};
    case kActTanh: return RnnActivationSpec{RnnActivation::kTanh, 0.0f, 0.0f};
    case kActSignBit:
      return Unsupported("fused_activation_function SIGN_BIT has no SequenceRnn equivalent");
    default:
      return Unsupported("fused_activation_function " + std::to_string(act) + " is not a TFLite activation");
  }
}

bool ToTfliteActivation(const RnnActivationSpec& spec, int64_t* act) {
  switch (spec.kind) {
    case RnnActivation::kAffine:
      if (spec.alpha != 1.0f || spec.beta != 0.0f) return false;
      *act = kActNone;
      return true;
    case RnnActivation::kRelu: *act = kActRelu; return true;
    case RnnActivation::kReluN1To1: *act = kActReluN1To1; return true;
    case RnnActivation::kRelu6: *act = kActRelu6; return true;
    case RnnActivation::kTanh: *act = kActTanh; return true;
    default: return false;
  }
}

std::string ImportSite::Label() const {
  return "subgraph " + std::to_string(subgraph) + " node " + std::to_string(node_index) + " (" +
         NodeOpName(node) + ")";
}

int ImportSite::in(int i) const {
  return i >= 0 && i < static_cast<int>(node.inputs.size()) ? node.inputs[i] : kNoTensor;
}

int ImportSite::out(int i) const {
  return i >= 0 && i < static_cast<int>(node.outputs.size()) ? node.outputs[i] : kNoTensor;
}

const Tensor* ImportSite::tensor(int index) const {
  const Subgraph& s = graph.subgraphs[subgraph];
  if (index < 0 || index >= static_cast<int>(s.tensors.size())) return nullptr;
  return &s.tensors[index];
}

Status ImportSite::Unsupported(const std::string& field, const std::string& what) const {
  return rnnlite::Unsupported(Label() + ": " + field + ": " + what);
}

Status ImportSite::Invalid(const std::string& field, const std::string& what) const {
  return InvalidModel(Label() + ": " + field + ": " + what);
}

StatusOr<std::vector<float>> ReadFloatConstant(const ImportSite& site, int tensor, const Shape& shape,
                                               const std::string& field) {
  const Tensor* t = site.tensor(tensor);
  if (t == nullptr) return site.Invalid(field, "required tensor is absent");
  if (t->is_variable) {
    return site.Unsupported(field, "is a variable tensor; rnnlite needs constant weights");
  }
  if (t->is_constant()) return DecodeConstant(site, *t, shape, field);
  // TFLite's float16 weight format: a float16 constant dequantized at run time.
  const Subgraph& sg = site.graph.subgraphs[site.subgraph];
  const Node* producer = Producer(sg, tensor);
  if (producer != nullptr && producer->op == Op::kDequantize && producer->inputs.size() == 1) {
    const Tensor* src = site.tensor(producer->inputs[0]);
    if (src != nullptr && src->is_constant() && !src->is_variable && src->dtype == DType::kFloat16 &&
        t->dtype == DType::kFloat32) {
      return DecodeConstant(site, *src, shape, field + " (float16 via DEQUANTIZE)");
    }
    if (src != nullptr && src->dtype != DType::kFloat16) {
      return site.Unsupported(field, "weights dequantized from " + DTypeName(src->dtype) +
                                         " at run time (quantized model)");
    }
  }
  return site.Unsupported(field, "is not a constant (its value is only known at run time); rnnlite packs "
                                 "recurrent weights once at load");
}

int AddFloatConstant(Graph& graph, Subgraph& sg, const std::string& name, Shape shape,
                     const std::vector<float>& values) {
  return graph.AddConstant(sg, name, DType::kFloat32, std::move(shape), values);
}

StatusOr<Node> MakeSequenceRnnNode(Graph& graph, Subgraph& sg, const SequenceRnnSpec& spec) {
  const SequenceRnnParams& p = spec.params;
  const int D = p.num_directions();
  const int64_t G = p.num_gates(), H = p.hidden_size, X = p.recurrent_width(), P = p.proj_size;
  if (static_cast<int>(spec.dirs.size()) != D) return Internal("SequenceRnn spec: direction count mismatch");
  using Member = std::vector<float> DirectionWeights::*;
  // Concatenates one member over the directions. A member present in some
  // directions only is zero-filled elsewhere (absent peepholes and biases
  // are exactly zero ones); `zero_fill_ok` false makes that an error.
  auto pack = [&](Member m, int64_t per_dir, const Shape& shape, const char* suffix, bool required,
                  bool zero_fill_ok) -> StatusOr<int> {
    int present = 0;
    for (const DirectionWeights& d : spec.dirs) present += (d.*m).empty() ? 0 : 1;
    if (present == 0) {
      if (required) return Internal(std::string("SequenceRnn spec: missing ") + suffix);
      return kNoTensor;
    }
    if (present != D && !zero_fill_ok) return Internal(std::string("SequenceRnn spec: partial ") + suffix);
    std::vector<float> all;
    all.reserve(static_cast<size_t>(per_dir * D));
    for (const DirectionWeights& d : spec.dirs) {
      const std::vector<float>& v = d.*m;
      if (v.empty()) {
        all.insert(all.end(), static_cast<size_t>(per_dir), 0.0f);
      } else if (static_cast<int64_t>(v.size()) != per_dir) {
        return Internal(std::string("SequenceRnn spec: wrong size for ") + suffix);
      } else {
        all.insert(all.end(), v.begin(), v.end());
      }
    }
    return AddFloatConstant(graph, sg, spec.name + "/" + suffix, shape, all);
  };
  const int32_t d = D, gh = static_cast<int32_t>(G * H), i = spec.input_size, i2 = spec.aux_input_size;
  std::vector<int> in(seq_rnn_input::kCount, kNoTensor);
  in[seq_rnn_input::kX] = spec.x;
  RNNLITE_ASSIGN_OR_RETURN(in[seq_rnn_input::kW], pack(&DirectionWeights::w, G * H * i, {d, gh, i}, "W", true, false));
  RNNLITE_ASSIGN_OR_RETURN(in[seq_rnn_input::kR],
                           pack(&DirectionWeights::r, G * H * X, {d, gh, static_cast<int32_t>(X)}, "R", true, false));
  RNNLITE_ASSIGN_OR_RETURN(in[seq_rnn_input::kWb], pack(&DirectionWeights::wb, G * H, {d, gh}, "Wb", false, true));
  RNNLITE_ASSIGN_OR_RETURN(in[seq_rnn_input::kRb], pack(&DirectionWeights::rb, G * H, {d, gh}, "Rb", false, true));
  in[seq_rnn_input::kH0] = spec.h0;
  in[seq_rnn_input::kC0] = spec.c0;
  RNNLITE_ASSIGN_OR_RETURN(in[seq_rnn_input::kPeephole],
                           pack(&DirectionWeights::peephole, 3 * H, {d, 3, static_cast<int32_t>(H)}, "peephole",
                                false, true));
  RNNLITE_ASSIGN_OR_RETURN(in[seq_rnn_input::kProjW],
                           pack(&DirectionWeights::proj_w, P * H,
                                {d, static_cast<int32_t>(P), static_cast<int32_t>(H)}, "proj_W", false, false));
  RNNLITE_ASSIGN_OR_RETURN(in[seq_rnn_input::kProjB],
                           pack(&DirectionWeights::proj_b, P, {d, static_cast<int32_t>(P)}, "proj_b", false, true));
  RNNLITE_ASSIGN_OR_RETURN(in[seq_rnn_input::kLayerNorm],
                           pack(&DirectionWeights::layer_norm, 4 * H, {d, 4, static_cast<int32_t>(H)},
                                "layer_norm", false, false));
  if (spec.aux_x != kNoTensor) {
    in[seq_rnn_input::kAuxX] = spec.aux_x;
    RNNLITE_ASSIGN_OR_RETURN(in[seq_rnn_input::kAuxW],
                             pack(&DirectionWeights::aux_w, G * H * i2, {d, gh, i2}, "aux_W", true, false));
  }
  in[seq_rnn_input::kH0Bw] = spec.h0_bw;
  in[seq_rnn_input::kC0Bw] = spec.c0_bw;
  while (!in.empty() && in.back() == kNoTensor) in.pop_back();

  std::vector<int> out = {spec.y, spec.yh, spec.yc, spec.y_bw};
  while (!out.empty() && out.back() == kNoTensor) out.pop_back();

  Node node;
  node.op = Op::kCustom;
  node.custom_code = kSequenceRnnCustomCode;
  node.version = 1;
  node.inputs = std::move(in);
  node.outputs = std::move(out);
  p.ToAttrs(&node.attrs);
  return node;
}

int ReplaceNode(ImportSite& site, std::vector<Node> nodes) {
  std::vector<Node>& list = site.sg().nodes;
  const int at = site.node_index;
  list.erase(list.begin() + at);
  const int count = static_cast<int>(nodes.size());
  list.insert(list.begin() + at, std::make_move_iterator(nodes.begin()), std::make_move_iterator(nodes.end()));
  return at + count - 1;
}

int AddIntermediateLike(Subgraph& sg, const Tensor& like, int32_t last_dim, const std::string& name) {
  Tensor t;
  t.name = name;
  t.dtype = DType::kFloat32;
  t.shape = like.shape;
  if (!t.shape.empty()) t.shape.back() = last_dim;
  t.shape_signature = like.shape_signature;
  if (!t.shape_signature.empty()) t.shape_signature.back() = last_dim;
  return sg.AddTensor(std::move(t));
}

Node MakeConcatLastAxis(int a, int b, int out) {
  Node n;
  n.op = Op::kConcatenation;
  n.version = 1;
  n.inputs = {a, b};
  n.outputs = {out};
  n.attrs.SetInt("axis", 2);
  n.attrs.SetInt("fused_activation_function", kActNone);
  return n;
}

Node MakeReshape(Graph& graph, Subgraph& sg, int in, int out, const Shape& shape, const std::string& name) {
  std::vector<int32_t> dims(shape.begin(), shape.end());
  const int shape_tensor =
      graph.AddConstant(sg, name + "/shape", DType::kInt32, {static_cast<int32_t>(dims.size())}, dims);
  Node n;
  n.op = Op::kReshape;
  n.version = 1;
  n.inputs = {in, shape_tensor};
  n.outputs = {out};
  n.attrs.SetInts("new_shape", std::vector<int64_t>(shape.begin(), shape.end()));
  return n;
}

Status NormalizeStateShape(ImportSite& site, int tensor, int batch, int width, const std::string& field) {
  if (tensor < 0 || tensor >= static_cast<int>(site.sg().tensors.size())) {
    return site.Invalid(field, "required state tensor is absent");
  }
  Tensor& t = site.sg().tensors[tensor];
  if (t.dtype != DType::kFloat32) return site.Unsupported(field, "state of type " + DTypeName(t.dtype));
  const Shape want = {batch, width};
  if (t.shape == want) return Status::Ok();
  if (NumElements(t.shape) != static_cast<int64_t>(batch) * width) {
    return site.Invalid(field, "state shape " + ShapeToString(t.shape) + " does not hold " +
                                   std::to_string(batch) + " x " + std::to_string(width) + " values");
  }
  // TFLite accepts any shape with the right element count ([B*X] is common);
  // the bytes are the same row-major [B, X].
  t.shape = want;
  t.shape_signature.clear();
  return Status::Ok();
}

}  // namespace rnn_tflite_detail

namespace {

using namespace rnn_tflite_detail;

constexpr const char* kTfliteGruCustomCode = "UNIDIRECTIONAL_SEQUENCE_GRU";

// Decodes RNNLITE_SEQUENCE_RNN's flexbuffer options into canonical attrs.
Status ImportSequenceRnnCustom(ImportSite& site) {
  Node& node = site.sg().nodes[site.node_index];
  AttrMap decoded;
  Status s = DecodeSequenceRnnOptions(node.custom_options, &decoded);
  if (!s.ok()) return s.WithContext(site.Label() + ": custom_options: ");
  StatusOr<SequenceRnnParams> params = SequenceRnnParams::FromAttrs(decoded);
  if (!params.ok()) return params.status().WithContext(site.Label() + ": custom_options: ");
  node.attrs = AttrMap();
  params->ToAttrs(&node.attrs);
  node.custom_options.clear();
  return Status::Ok();
}

// Builders may hand over SequenceRnn nodes with attributes only; valid ones
// get the canonical spelling (so write -> read round trips compare equal),
// invalid ones are left for the kernel's Prepare to report.
void CanonicalizeAttrs(Node& node) {
  StatusOr<SequenceRnnParams> params = SequenceRnnParams::FromAttrs(node.attrs);
  if (!params.ok()) return;
  AttrMap canonical;
  params->ToAttrs(&canonical);
  node.attrs = std::move(canonical);
}

// Float16 weights reach recurrent ops through DEQUANTIZE nodes; once the
// importer has read the constant behind one, the DEQUANTIZE is dead.
void RemoveDeadDequantize(Subgraph& sg) {
  std::set<int> used(sg.outputs.begin(), sg.outputs.end());
  for (const Node& n : sg.nodes) used.insert(n.inputs.begin(), n.inputs.end());
  std::vector<Node> kept;
  kept.reserve(sg.nodes.size());
  for (Node& n : sg.nodes) {
    const bool dead_dequantize = n.op == Op::kDequantize && n.outputs.size() == 1 && n.inputs.size() == 1 &&
                                 used.count(n.outputs[0]) == 0 && n.inputs[0] >= 0 &&
                                 n.inputs[0] < static_cast<int>(sg.tensors.size()) &&
                                 sg.tensors[n.inputs[0]].is_constant() &&
                                 sg.tensors[n.inputs[0]].dtype == DType::kFloat16;
    if (!dead_dequantize) kept.push_back(std::move(n));
  }
  sg.nodes = std::move(kept);
}

}  // namespace

Status ImportTfliteRecurrentOps(Graph& graph) {
  for (int s = 0; s < static_cast<int>(graph.subgraphs.size()); ++s) {
    bool rewrote = false;
    for (int i = 0; i < static_cast<int>(graph.subgraphs[s].nodes.size()); ++i) {
      Node& node = graph.subgraphs[s].nodes[i];
      ImportSite site{graph, s, i, node};
      StatusOr<int> last = i;
      switch (node.op) {
        case Op::kUnidirectionalSequenceLstm: last = ImportUnidirectionalLstm(site); break;
        case Op::kBidirectionalSequenceLstm: last = ImportBidirectionalLstm(site); break;
        case Op::kUnidirectionalSequenceRnn: last = ImportUnidirectionalRnn(site); break;
        case Op::kBidirectionalSequenceRnn: last = ImportBidirectionalRnn(site); break;
        case Op::kLstm: last = ImportLstmStep(site); break;
        case Op::kRnn: last = ImportRnnStep(site); break;
        case Op::kCustom:
          if (node.custom_code == kTfliteGruCustomCode) {
            last = ImportGru(site);
          } else if (node.custom_code == kSequenceRnnCustomCode) {
            if (!node.custom_options.empty()) {
              RNNLITE_RETURN_IF_ERROR(ImportSequenceRnnCustom(site));
            } else {
              CanonicalizeAttrs(node);
            }
            continue;
          } else {
            continue;
          }
          break;
        default: continue;
      }
      if (!last.ok()) return last.status();
      rewrote = true;
      i = *last;
    }
    if (rewrote) RemoveDeadDequantize(graph.subgraphs[s]);
  }
  return Status::Ok();
}

}  // namespace rnnlite
