// The loop skeleton TensorFlow's TFLite converter emits for an RNN layer
// (Keras' backend `rnn`, tf.compat.v1 dynamic_rnn): while_v2 carries
//   loop_counter, [max_iterations,] time, output TensorList(s), states...,
//   the input TensorList (and masks) as loop invariants;
// the condition is `counter < N [&& time < T]`; the body reads x[t] with
// GATHER (the lowered TensorListGetItem) and writes the step output with
// CONCATENATION(SLICE(list, 0, t), RESHAPE(y, [1, B, n]), SLICE(list, t+1,
// end)) (the lowered TensorListSetItem), or, when only the last output is
// kept, replaces a [1, B, n] list with RESHAPE(y, [1, B, n]).
// AnalyzeLoop proves each of these facts from the graph; the first one that
// does not hold is the Unsupported reason.
#include <algorithm>

#include "frontend/tflite_fusion.h"

namespace rnnlite::tflite_fusion {
namespace {

bool IsConstScalar(const Subgraph& sg, int t, double value) {
  std::vector<double> v;
  return ConstantAt(sg, t, &v) && v.size() == 1 && v[0] == value;
}

bool AllEqual(const std::vector<double>& v, double value) {
  return std::all_of(v.begin(), v.end(), [&](double d) { return d == value; });
}

std::vector<int> Producers(const Subgraph& sg) {
  std::vector<int> p(sg.tensors.size(), -1);
  for (size_t k = 0; k < sg.nodes.size(); ++k) {
    for (int o : sg.nodes[k].outputs) {
      if (o >= 0 && o < static_cast<int>(p.size())) p[o] = static_cast<int>(k);
    }
  }
  return p;
}

const Node* ProducerOf(const Subgraph& sg, const std::vector<int>& prod, int t) {
  if (t < 0 || t >= static_cast<int>(prod.size()) || prod[t] < 0) return nullptr;
  return &sg.nodes[prod[t]];
}

// `t` is RESHAPE(scalar, [1]) of tensor `of`.
bool IsScalarAsVector(const Subgraph& sg, const std::vector<int>& prod, int t, int of) {
  const Node* n = ProducerOf(sg, prod, t);
  return n && n->op == Op::kReshape && !n->inputs.empty() && n->inputs[0] == of;
}

// `t` is CONCATENATION(axis 0)(RESHAPE(index, [1]), const tail) with every
// tail entry equal to `fill`.
bool IsIndexThenConst(const Subgraph& sg, const std::vector<int>& prod, int t, int index, double fill,
                      size_t rank) {
  const Node* n = ProducerOf(sg, prod, t);
  if (!n || n->op != Op::kConcatenation || n->inputs.size() != 2 || n->attrs.GetInt("axis") != 0) return false;
  std::vector<double> tail;
  if (!ConstantAt(sg, n->inputs[1], &tail) || tail.size() + 1 != rank || !AllEqual(tail, fill)) return false;
  return IsScalarAsVector(sg, prod, n->inputs[0], index);
}

// A tensor of the body that holds t + 1 (ADD(t, 1) in either order).
bool IsTimePlusOne(const Subgraph& sg, const std::vector<int>& prod, int t, int time) {
  const Node* n = ProducerOf(sg, prod, t);
  if (!n || n->op != Op::kAdd || n->inputs.size() != 2 || n->attrs.GetInt("fused_activation_function") != 0) {
    return false;
  }
  return (n->inputs[0] == time && IsConstScalar(sg, n->inputs[1], 1)) ||
         (n->inputs[1] == time && IsConstScalar(sg, n->inputs[0], 1));
}

// RESHAPE(y, [1, dims of y]) -> y, else -1.
int UnwrapLeadingOne(const Subgraph& sg, const std::vector<int>& prod, int t) {
  const Node* n = ProducerOf(sg, prod, t);
  if (!n || n->op != Op::kReshape || n->inputs.empty() || !TensorAt(sg, n->inputs[0])) return -1;
  const Tensor& in = sg.tensors[n->inputs[0]];
  const Tensor& out = sg.tensors[t];
  if (out.rank() != in.rank() + 1 || out.dim(0) != 1) return -1;
  for (int i = 0; i < in.rank(); ++i) {
    if (out.dim(i + 1) != in.dim(i)) return -1;
  }
  return n->inputs[0];
}

// The lowered TensorListSetItem(list, time, y): returns y or -1.
int MatchSetItem(const Subgraph& body, const std::vector<int>& prod, int out, int list, int time) {
  const Node* cat = ProducerOf(body, prod, out);
  if (!cat || cat->op != Op::kConcatenation || cat->inputs.size() != 3 || cat->attrs.GetInt("axis") != 0 ||
      cat->attrs.GetInt("fused_activation_function") != 0) {
    return -1;
  }
  const size_t rank = body.tensors[list].shape.size();
  // Head: SLICE(list, zeros, [t, -1, ...]).
  const Node* head = ProducerOf(body, prod, cat->inputs[0]);
  std::vector<double> zeros;
  if (!head || head->op != Op::kSlice || head->inputs.size() != 3 || head->inputs[0] != list ||
      !ConstantAt(body, head->inputs[1], &zeros) || zeros.size() != rank || !AllEqual(zeros, 0) ||
      !IsIndexThenConst(body, prod, head->inputs[2], time, -1, rank)) {
    return -1;
  }
  // Tail: SLICE(list, [t + 1, 0, ...], [-1, ...]).
  const Node* tail = ProducerOf(body, prod, cat->inputs[2]);
  std::vector<double> all;
  if (!tail || tail->op != Op::kSlice || tail->inputs.size() != 3 || tail->inputs[0] != list ||
      !ConstantAt(body, tail->inputs[2], &all) || all.size() != rank || !AllEqual(all, -1)) {
    return -1;
  }
  const Node* begin = ProducerOf(body, prod, tail->inputs[1]);
  if (!begin || begin->op != Op::kConcatenation || begin->inputs.size() != 2) return -1;
  const Node* as_vec = ProducerOf(body, prod, begin->inputs[0]);
  if (!as_vec || as_vec->op != Op::kReshape || as_vec->inputs.empty() ||
      !IsTimePlusOne(body, prod, as_vec->inputs[0], time) ||
      !IsIndexThenConst(body, prod, tail->inputs[1], as_vec->inputs[0], 0, rank)) {
    return -1;
  }
  return UnwrapLeadingOne(body, prod, cat->inputs[1]);
}

// Conditions `var < K` joined by LOGICAL_AND; collects (cond input, K).
Status CollectBounds(const Subgraph& cond, const std::vector<int>& prod, int t,
                     std::vector<std::pair<int, int64_t>>* bounds) {
  const Node* n = ProducerOf(cond, prod, t);
  if (!n) return Unsupported("loop condition is not computed from the loop variables");
  if (n->op == Op::kLogicalAnd && n->inputs.size() == 2) {
    RNNLITE_RETURN_IF_ERROR(CollectBounds(cond, prod, n->inputs[0], bounds));
    return CollectBounds(cond, prod, n->inputs[1], bounds);
  }
  if (n->op != Op::kLess || n->inputs.size() != 2) {
    return Unsupported("loop condition uses " + NodeOpName(*n) + " (only counter < constant is proven)");
  }
  const auto it = std::find(cond.inputs.begin(), cond.inputs.end(), n->inputs[0]);
  const auto limit = std::find(cond.inputs.begin(), cond.inputs.end(), n->inputs[1]);
  std::vector<double> k;
  if (it != cond.inputs.end() && limit != cond.inputs.end()) {
    // counter < loop variable: a run-time bound (dynamic_rnn's max length),
    // proven harmless by the caller. Encoded as -1 - variable.
    bounds->emplace_back(static_cast<int>(it - cond.inputs.begin()),
                         -1 - static_cast<int64_t>(limit - cond.inputs.begin()));
    return Status::Ok();
  }
  if (it == cond.inputs.end() || !ConstantAt(cond, n->inputs[1], &k) || k.size() != 1 || k[0] < 0) {
    return Unsupported("loop condition compares something other than a loop variable with a constant");
  }
  bounds->emplace_back(static_cast<int>(it - cond.inputs.begin()), static_cast<int64_t>(k[0]));
  return Status::Ok();
}

}  // namespace

StatusOr<LoopInfo> AnalyzeLoop(const Graph& graph, const Subgraph& sg, int while_node) {
  LoopInfo info;
  info.node_index = while_node;
  const Node& w = sg.nodes[while_node];
  const int nsub = static_cast<int>(graph.subgraphs.size());
  info.cond = static_cast<int>(w.attrs.GetInt("cond_subgraph_index", -1));
  info.body = static_cast<int>(w.attrs.GetInt("body_subgraph_index", -1));
  if (info.cond <= 0 || info.body <= 0 || info.cond >= nsub || info.body >= nsub || info.cond == info.body) {
    return Unsupported("condition/body subgraph indices out of range");
  }
  const Subgraph& cond = graph.subgraphs[info.cond];
  const Subgraph& body = graph.subgraphs[info.body];
  const size_t nv = w.inputs.size();
  if (w.outputs.size() != nv || cond.inputs.size() != nv || body.inputs.size() != nv || body.outputs.size() != nv ||
      cond.outputs.size() != 1) {
    return Unsupported("loop variable counts of the WHILE, its condition and its body differ");
  }
  for (size_t k = 0; k < nv; ++k) {
    if (!TensorAt(sg, w.inputs[k]) || !TensorAt(sg, w.outputs[k]) || !TensorAt(body, body.inputs[k]) ||
        !TensorAt(body, body.outputs[k]) || !TensorAt(cond, cond.inputs[k])) {
      return Unsupported("loop variable " + std::to_string(k) + " is missing");
    }
  }
  for (const Node& n : body.nodes) {
    if (n.op == Op::kWhile || n.op == Op::kIf || n.op == Op::kCallOnce || n.op == Op::kAssignVariable ||
        n.op == Op::kVarHandle || n.op == Op::kReadVariable || n.op == Op::kCustom) {
      return Unsupported("loop body contains " + NodeOpName(n));
    }
  }
  const std::vector<int> bprod = Producers(body);
  const std::vector<int> cprod = Producers(cond);
  info.vars.resize(nv);
  for (size_t k = 0; k < nv; ++k) {
    const int in = body.inputs[k], out = body.outputs[k];
    if (in == out) {
      info.vars[k].kind = VarKind::kInvariant;
      continue;
    }
    if (IsConstScalar(sg, w.inputs[k], 0) && IsTimePlusOne(body, bprod, out, in)) {
      info.vars[k].kind = VarKind::kCounter;
    }
  }
  // x[t]: GATHER(invariant, counter) on axis 0.
  for (const Node& n : body.nodes) {
    if (n.op != Op::kGather || n.inputs.size() != 2 || n.attrs.GetInt("axis") != 0 ||
        n.attrs.GetInt("batch_dims") != 0) {
      continue;
    }
    const auto src = std::find(body.inputs.begin(), body.inputs.end(), n.inputs[0]);
    const auto idx = std::find(body.inputs.begin(), body.inputs.end(), n.inputs[1]);
    if (src == body.inputs.end() || idx == body.inputs.end()) continue;
    const int sv = static_cast<int>(src - body.inputs.begin()), iv = static_cast<int>(idx - body.inputs.begin());
    if (info.vars[sv].kind != VarKind::kInvariant || info.vars[iv].kind != VarKind::kCounter) continue;
    const Tensor& seq = sg.tensors[w.inputs[sv]];
    if (seq.dtype != DType::kFloat32 || seq.rank() != 3) continue;  // masks are bool
    if (info.x_step >= 0) return Unsupported("the body reads more than one float sequence at time t");
    info.x_var = sv;
    info.time_var = iv;
    info.x_step = n.outputs.empty() ? -1 : n.outputs[0];
  }
  if (info.x_step < 0) return Unsupported("no step input: the body reads no float sequence at a loop counter");
  const Tensor& x = sg.tensors[w.inputs[info.x_var]];
  if (!x.shape_signature.empty() && x.shape_signature.size() == 3 && x.shape_signature[0] < 0) {
    return Unsupported("the number of time steps is dynamic");
  }
  info.seq_len = x.dim(0);
  info.batch = x.dim(1);
  info.input_size = x.dim(2);
  if (info.input_size <= 0) return Unsupported("the step input has no features");

  // Trip count: every condition bounds a counter; the loop runs min(K).
  std::vector<std::pair<int, int64_t>> bounds;
  RNNLITE_RETURN_IF_ERROR(CollectBounds(cond, cprod, cond.outputs[0], &bounds));
  int64_t trips = INT64_MAX;
  for (const auto& [var, k] : bounds) {
    if (info.vars[var].kind != VarKind::kCounter) {
      return Unsupported("loop condition bounds loop variable " + std::to_string(var) + ", which is not a counter");
    }
    if (k < 0) {
      const int limit_var = static_cast<int>(-1 - k);
      if (var != info.time_var || info.vars[limit_var].kind != VarKind::kInvariant) {
        return Unsupported("loop condition bounds a counter by a loop variable that is not a loop invariant");
      }
      info.dynamic_bounds.push_back(limit_var);
      continue;
    }
    trips = std::min(trips, k);
  }
  if (trips != info.seq_len) {
    return Unsupported("loop runs " + std::to_string(trips) + " iterations over " + std::to_string(info.seq_len) +
                       " time steps");
  }
  info.trip_count = static_cast<int>(trips);

  // Outputs and states.
  for (size_t k = 0; k < nv; ++k) {
    LoopVar& v = info.vars[k];
    if (v.kind == VarKind::kInvariant || v.kind == VarKind::kCounter) continue;
    const int in = body.inputs[k], out = body.outputs[k];
    const Tensor& init = sg.tensors[w.inputs[k]];
    if (init.dtype != DType::kFloat32) {
      return Unsupported("loop variable " + std::to_string(k) + " ('" + init.name + "') is not float32");
    }
    if (init.rank() == 3) {
      const int y = MatchSetItem(body, bprod, out, in, body.inputs[info.time_var]);
      if (y >= 0 && init.dim(0) == info.seq_len &&
          (init.shape_signature.empty() || init.shape_signature[0] >= 0)) {
        v.kind = VarKind::kSequence;
        v.written = y;
        continue;
      }
      const int last = UnwrapLeadingOne(body, bprod, out);
      if (last >= 0 && init.dim(0) == 1) {
        v.kind = VarKind::kLastValue;
        v.written = last;
        continue;
      }
      return Unsupported("loop variable " + std::to_string(k) + " ('" + init.name +
                         "') is a sequence not written at time t");
    }
    if (init.rank() != 2) {
      return Unsupported("loop variable " + std::to_string(k) + " ('" + init.name + "') is not a [batch, n] state");
    }
    v.kind = VarKind::kState;
  }
  return info;
}

}  // namespace rnnlite::tflite_fusion
