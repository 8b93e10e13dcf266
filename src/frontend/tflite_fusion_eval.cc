// BodyEvaluator: TFLite ops of a loop body -> canonical polynomials
// (tflite_fusion_expr.h). Only ops whose effect on a [B, n] value is exactly
// an elementwise polynomial, an activation or a constant linear map on the
// last axis are modelled; every other op ends the evaluation with a reason.
#include <algorithm>

#include "frontend/tflite_fusion_expr.h"

namespace rnnlite::tflite_fusion {
namespace {

// TFLite's ActivationFunctionType.
// Guards the recursion of Eval against pathological bodies.
constexpr int kMaxDepthGuard = 512;

enum FusedAct : int64_t { kNone = 0, kFusedRelu = 1, kFusedReluN1To1 = 2, kFusedRelu6 = 3, kFusedTanh = 4 };

std::string TensorLabel(const Subgraph& sg, int t) {
  if (t < 0 || t >= static_cast<int>(sg.tensors.size())) return "tensor " + std::to_string(t);
  return "'" + sg.tensors[t].name + "'";
}

// Normalizes an axis of a rank-`rank` tensor; -1 when out of range.
int NormAxis(int64_t axis, int rank) {
  if (axis < 0) axis += rank;
  return axis >= 0 && axis < rank ? static_cast<int>(axis) : -1;
}

}  // namespace

BodyEvaluator::BodyEvaluator(const Subgraph& body, Algebra* algebra, ConstantLookup lookup, const void* ctx)
    : body_(body), alg_(algebra), lookup_(lookup), ctx_(ctx), producer_(body.tensors.size(), -1) {
  for (size_t k = 0; k < body.nodes.size(); ++k) {
    for (int o : body.nodes[k].outputs) {
      if (o >= 0 && o < static_cast<int>(producer_.size())) producer_[o] = static_cast<int>(k);
    }
  }
}

int BodyEvaluator::Producer(int tensor) const {
  return tensor >= 0 && tensor < static_cast<int>(producer_.size()) ? producer_[tensor] : -1;
}

void BodyEvaluator::SetBase(int tensor, int base_id) {
  bases_[tensor] = base_id;
  memo_.erase(tensor);
}

StatusOr<int> BodyEvaluator::Eval(int tensor) {
  if (tensor < 0 || tensor >= static_cast<int>(body_.tensors.size())) return Unsupported("missing operand");
  if (auto it = memo_.find(tensor); it != memo_.end()) return it->second;
  const Tensor& t = body_.tensors[tensor];
  if (auto it = bases_.find(tensor); it != bases_.end()) {
    const int w = LastDim(t);
    if (w <= 0) return Unsupported(TensorLabel(body_, tensor) + " is not a [batch, n] tensor");
    const int id = alg_->Base(it->second, w);
    memo_[tensor] = id;
    return id;
  }
  if (t.dtype != DType::kFloat32) {
    return Unsupported(TensorLabel(body_, tensor) + " has type " + DTypeName(t.dtype) + ", not float32");
  }
  if (const Tensor* c = ConstantOf(tensor)) {
    std::vector<double> v;
    if (!ReadConstant(*c, &v)) return Unsupported("constant " + TensorLabel(body_, tensor) + " is unreadable");
    const int w = c->rank() == 0 ? 1 : c->dim(-1);
    if (c->rank() > 2 || w <= 0 || v.size() % static_cast<size_t>(w) != 0) {
      return Unsupported("constant " + TensorLabel(body_, tensor) + " has an unexpected shape");
    }
    // Rows of a [B, n] constant must agree: the cell computes the same
    // function for every batch row.
    for (size_t i = w; i < v.size(); ++i) {
      if (v[i] != v[i % w]) return Unsupported("constant " + TensorLabel(body_, tensor) + " differs between batch rows");
    }
    v.resize(w);
    const int id = alg_->Constant(std::move(v));
    memo_[tensor] = id;
    return id;
  }
  const int p = Producer(tensor);
  if (p < 0) return Unsupported(TensorLabel(body_, tensor) + " is a loop value the cell may not read");
  if (++depth_ > kMaxDepthGuard) {
    --depth_;
    return Unsupported("loop body too deep to analyse");
  }
  const Node& node = body_.nodes[p];
  int index = 0;
  for (size_t i = 0; i < node.outputs.size(); ++i) {
    if (node.outputs[i] == tensor) index = static_cast<int>(i);
  }
  StatusOr<int> r = EvalNode(tensor, node, index);
  --depth_;
  if (!r.ok()) return r;
  const int w = LastDim(t);
  if (w > 0 && alg_->width(*r) != w && alg_->width(*r) != 1) {
    return Unsupported(TensorLabel(body_, tensor) + ": computed width " + std::to_string(alg_->width(*r)) +
                       ", declared " + std::to_string(w));
  }
  memo_[tensor] = *r;
  return r;
}

StatusOr<int> BodyEvaluator::ApplyFusedActivation(const Node& node, int poly) {
  switch (node.attrs.GetInt("fused_activation_function", kNone)) {
    case kNone: return poly;
    case kFusedRelu: return alg_->Activation(RnnActivation::kRelu, poly);
    case kFusedReluN1To1: return alg_->Activation(RnnActivation::kReluN1To1, poly);
    case kFusedRelu6: return alg_->Activation(RnnActivation::kRelu6, poly);
    case kFusedTanh: return alg_->Activation(RnnActivation::kTanh, poly);
    default: return Unsupported(NodeOpName(node) + " with an unsupported fused activation");
  }
}

StatusOr<int> BodyEvaluator::FullyConnected(const Node& node) {
  if (node.inputs.size() < 2) return Unsupported("FULLY_CONNECTED without weights");
  const Tensor* w = ConstantOf(node.inputs[1]);
  if (!w || w->rank() != 2 || w->dtype != DType::kFloat32) {
    return Unsupported("FULLY_CONNECTED weights are not a float32 constant matrix");
  }
  if (node.attrs.GetInt("weights_format", 0) != 0) return Unsupported("FULLY_CONNECTED with shuffled weights");
  const Tensor* in = TensorAt(body_, node.inputs[0]);
  if (!in || in->rank() != 2) return Unsupported("FULLY_CONNECTED input is not [batch, n]");
  Matrix m{w->dim(0), w->dim(1), {}};
  if (!ReadConstant(*w, &m.v)) return Unsupported("FULLY_CONNECTED weights unreadable");
  std::vector<double> bias;
  if (node.inputs.size() > 2 && node.inputs[2] >= 0) {
    const Tensor* b = ConstantOf(node.inputs[2]);
    if (!b || !ReadConstant(*b, &bias) || static_cast<int>(bias.size()) != m.rows) {
      return Unsupported("FULLY_CONNECTED bias is not a constant of " + std::to_string(m.rows) + " values");
    }
  }
  RNNLITE_ASSIGN_OR_RETURN(int x, Eval(node.inputs[0]));
  RNNLITE_ASSIGN_OR_RETURN(int y, alg_->Linear(m, x, bias));
  return ApplyFusedActivation(node, y);
}

// SPLIT / SPLIT_V / STRIDED_SLICE / SLICE along the last axis of [B, n],
// keeping every batch row.
StatusOr<int> BodyEvaluator::SliceLastAxis(const Node& node, int output_index) {
  auto const_ints = [&](int tensor, std::vector<double>* v) {
    const Tensor* c = tensor >= 0 ? ConstantOf(tensor) : nullptr;
    return c && ReadConstant(*c, v);
  };
  int data = -1, begin = 0, count = 0;
  if (node.op == Op::kSplit || node.op == Op::kSplitV) {
    const bool v = node.op == Op::kSplitV;
    if (node.inputs.size() < (v ? 3u : 2u)) return Unsupported(NodeOpName(node) + ": missing inputs");
    data = node.inputs[v ? 0 : 1];
    if (!TensorAt(body_, data)) return Unsupported(NodeOpName(node) + ": missing operand");
    std::vector<double> axis;
    if (!const_ints(node.inputs[v ? 2 : 0], &axis) || axis.size() != 1) {
      return Unsupported(NodeOpName(node) + ": axis is not constant");
    }
    const Tensor& d = body_.tensors[data];
    if (d.rank() != 2 || NormAxis(static_cast<int64_t>(axis[0]), 2) != 1) {
      return Unsupported(NodeOpName(node) + " along an axis other than the feature axis");
    }
    const int n = d.dim(1);
    const int parts = static_cast<int>(node.outputs.size());
    std::vector<int> sizes(parts, parts > 0 ? n / parts : 0);
    if (v) {
      std::vector<double> s;
      if (!const_ints(node.inputs[1], &s) || static_cast<int>(s.size()) != parts) {
        return Unsupported("SPLIT_V sizes are not constant");
      }
      int known = 0, unknown = -1;
      for (int i = 0; i < parts; ++i) {
        if (s[i] < 0) unknown = i;
        else known += static_cast<int>(s[i]);
        sizes[i] = static_cast<int>(s[i]);
      }
      if (unknown >= 0) sizes[unknown] = n - known;
    } else if (parts <= 0 || n % parts != 0) {
      return Unsupported("SPLIT into unequal parts");
    }
    for (int i = 0; i < output_index; ++i) begin += sizes[i];
    count = sizes[output_index];
  } else if (node.op == Op::kStridedSlice) {
    if (node.inputs.size() < 4 || !TensorAt(body_, node.inputs[0])) return Unsupported("STRIDED_SLICE: missing inputs");
    data = node.inputs[0];
    const Tensor& d = body_.tensors[data];
    std::vector<double> b, e, s;
    if (d.rank() != 2 || !const_ints(node.inputs[1], &b) || !const_ints(node.inputs[2], &e) ||
        !const_ints(node.inputs[3], &s) || b.size() != 2 || e.size() != 2 || s.size() != 2) {
      return Unsupported("STRIDED_SLICE with non-constant or non-2-D bounds");
    }
    const int64_t bm = node.attrs.GetInt("begin_mask"), em = node.attrs.GetInt("end_mask");
    if (node.attrs.GetInt("ellipsis_mask") || node.attrs.GetInt("new_axis_mask") ||
        node.attrs.GetInt("shrink_axis_mask") || node.attrs.GetInt("offset") || s[0] != 1 || s[1] != 1) {
      return Unsupported("STRIDED_SLICE with masks or strides the cell matcher does not model");
    }
    const bool full_batch = ((bm & 1) || b[0] == 0) && ((em & 1) || (d.dim(0) > 0 && e[0] >= d.dim(0)));
    if (!full_batch) return Unsupported("STRIDED_SLICE that drops batch rows");
    const int n = d.dim(1);
    auto norm = [n](double v) { return std::clamp(v < 0 ? static_cast<int>(v) + n : static_cast<int>(v), 0, n); };
    const int lo = (bm & 2) ? 0 : norm(b[1]);
    const int hi = (em & 2) ? n : norm(e[1]);
    begin = lo;
    count = std::max(0, hi - lo);
  } else {  // SLICE
    if (node.inputs.size() < 3 || !TensorAt(body_, node.inputs[0])) return Unsupported("SLICE: missing inputs");
    data = node.inputs[0];
    const Tensor& d = body_.tensors[data];
    std::vector<double> b, sz;
    if (d.rank() != 2 || !const_ints(node.inputs[1], &b) || !const_ints(node.inputs[2], &sz) || b.size() != 2 ||
        sz.size() != 2) {
      return Unsupported("SLICE with non-constant or non-2-D bounds");
    }
    if (b[0] != 0 || !(sz[0] == -1 || (d.dim(0) > 0 && sz[0] == d.dim(0)))) {
      return Unsupported("SLICE that drops batch rows");
    }
    begin = static_cast<int>(b[1]);
    count = sz[1] < 0 ? d.dim(1) - begin : static_cast<int>(sz[1]);
  }
  RNNLITE_ASSIGN_OR_RETURN(int x, Eval(data));
  return alg_->Slice(x, begin, count);
}

StatusOr<int> BodyEvaluator::EvalNode(int tensor, const Node& node, int output_index) {
  (void)tensor;
  auto binary = [&](int* a, int* b) -> Status {
    if (node.inputs.size() != 2) return Unsupported(NodeOpName(node) + " without two operands");
    RNNLITE_ASSIGN_OR_RETURN(*a, Eval(node.inputs[0]));
    RNNLITE_ASSIGN_OR_RETURN(*b, Eval(node.inputs[1]));
    // Only constants broadcast: a [B, 1] value times a [B, n] one is not
    // an elementwise polynomial of equal-width atoms.
    const int wa = alg_->width(*a), wb = alg_->width(*b);
    auto constant_only = [&](int p) {
      for (const Term& t : alg_->poly(p).terms) {
        if (!t.atoms.empty()) return false;
      }
      return true;
    };
    if (wa != wb && !((wa == 1 && constant_only(*a)) || (wb == 1 && constant_only(*b)))) {
      return Unsupported(NodeOpName(node) + " broadcasts a non-constant value across features");
    }
    return Status::Ok();
  };
  switch (node.op) {
    case Op::kAdd:
    case Op::kSub:
    case Op::kMul: {
      int a = 0, b = 0;
      RNNLITE_RETURN_IF_ERROR(binary(&a, &b));
      int r = 0;
      if (node.op == Op::kAdd) r = alg_->Add(a, b);
      else if (node.op == Op::kSub) r = alg_->Add(a, alg_->Scale(b, {-1.0}));
      else r = alg_->Mul(a, b);
      return ApplyFusedActivation(node, r);
    }
    case Op::kNeg: {
      if (node.inputs.empty()) return Unsupported("NEG without operand");
      RNNLITE_ASSIGN_OR_RETURN(int a, Eval(node.inputs[0]));
      return alg_->Scale(a, {-1.0});
    }
    case Op::kLogistic:
    case Op::kTanh:
    case Op::kRelu:
    case Op::kRelu6:
    case Op::kReluN1To1: {
      if (node.inputs.empty()) return Unsupported(NodeOpName(node) + " without operand");
      RNNLITE_ASSIGN_OR_RETURN(int a, Eval(node.inputs[0]));
      const RnnActivation act = node.op == Op::kLogistic ? RnnActivation::kSigmoid
                                : node.op == Op::kTanh   ? RnnActivation::kTanh
                                : node.op == Op::kRelu   ? RnnActivation::kRelu
                                : node.op == Op::kRelu6  ? RnnActivation::kRelu6
                                                         : RnnActivation::kReluN1To1;
      return alg_->Activation(act, a);
    }
    case Op::kFullyConnected:
      if (output_index != 0) return Unsupported("FULLY_CONNECTED with several outputs");
      return FullyConnected(node);
    case Op::kSplit:
    case Op::kSplitV:
    case Op::kStridedSlice:
    case Op::kSlice:
      return SliceLastAxis(node, output_index);
    case Op::kConcatenation: {
      if (node.outputs.size() != 1 || !TensorAt(body_, node.outputs[0])) {
        return Unsupported("CONCATENATION with several outputs");
      }
      const Tensor& out = body_.tensors[node.outputs[0]];
      if (out.rank() != 2 || NormAxis(node.attrs.GetInt("axis"), 2) != 1) {
        return Unsupported("CONCATENATION along an axis other than the feature axis");
      }
      // concat(P1, P2, ...) = E1·P1 + E2·P2 + ... with embedding matrices.
      const int n = out.dim(1);
      int offset = 0;
      int acc = alg_->Constant(std::vector<double>(n, 0.0));
      for (int in : node.inputs) {
        RNNLITE_ASSIGN_OR_RETURN(int p, Eval(in));
        const int w = LastDim(body_.tensors[in]);
        if (w <= 0 || offset + w > n) return Unsupported("CONCATENATION operand widths do not add up");
        int part = p;
        if (alg_->width(p) != w) part = alg_->Scale(p, std::vector<double>(w, 1.0));
        Matrix e{n, w, std::vector<double>(static_cast<size_t>(n) * w, 0.0)};
        for (int i = 0; i < w; ++i) e.at(offset + i, i) = 1.0;
        RNNLITE_ASSIGN_OR_RETURN(int embedded, alg_->Linear(e, part, {}));
        acc = alg_->Add(acc, embedded);
        offset += w;
      }
      if (offset != n) return Unsupported("CONCATENATION operand widths do not add up");
      return ApplyFusedActivation(node, acc);
    }
    case Op::kReshape: {
      // Only a reshape that keeps [B, n] is the identity on the cell's values.
      if (node.inputs.empty() || !TensorAt(body_, node.inputs[0]) || node.outputs.empty()) {
        return Unsupported("RESHAPE without operand");
      }
      const Tensor& in = body_.tensors[node.inputs[0]];
      const Tensor& out = body_.tensors[node.outputs[0]];
      if (in.shape != out.shape || in.rank() != 2) return Unsupported("RESHAPE that changes the [batch, n] layout");
      return Eval(node.inputs[0]);
    }
    default:
      return Unsupported(NodeOpName(node) + " (producing " + TensorLabel(body_, node.outputs.empty() ? -1 : node.outputs[0]) +
                         ") is not part of a recognized cell");
  }
}

}  // namespace rnnlite::tflite_fusion
