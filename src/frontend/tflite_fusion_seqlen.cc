// tf.compat.v1 dynamic_rnn with sequence_length: every step computes
//   copy = time >= sequence_length            (GREATER_EQUAL, [B])
//   out  = SELECT(copy, zeros, h_t)           written at time t
//   s'   = SELECT(copy, s, s_t)               every state
// and the loop stops early at max_len = min(max(max(sequence_length), 1), T).
// That is SequenceRnn's contract for sequence lengths: rows past their
// length write zeros and keep their state. Stopping at max_len changes
// nothing because every step past max(sequence_length) is a copy step and
// the output list starts as zeros; both facts are proven here.
#include <algorithm>

#include "frontend/tflite_fusion.h"

namespace rnnlite::tflite_fusion {
namespace {

const Node* Producer(const Subgraph& sg, int t) {
  if (t < 0) return nullptr;
  for (const Node& n : sg.nodes) {
    if (std::find(n.outputs.begin(), n.outputs.end(), t) != n.outputs.end()) return &n;
  }
  return nullptr;
}

bool AllZeroConstant(const Tensor* t) {
  std::vector<double> v;
  return t && ReadConstant(*t, &v) && std::all_of(v.begin(), v.end(), [](double d) { return d == 0.0; });
}

int VarOf(const Subgraph& body, int tensor) {
  const auto it = std::find(body.inputs.begin(), body.inputs.end(), tensor);
  return it == body.inputs.end() ? -1 : static_cast<int>(it - body.inputs.begin());
}

}  // namespace

StatusOr<LengthGuards> StripLengthGuards(const Subgraph& outer, const Node& loop, const Subgraph& body,
                                         const LoopInfo& info, const BodyEvaluator& ev) {
  LengthGuards g;
  const int time = body.inputs[info.time_var];
  // SELECT(time >= L, keep, new) (or LESS(time, L) with the branches
  // swapped): returns {keep, new} and the lengths' loop variable.
  auto strip = [&](int t, int* keep, int* next, int* len_var) {
    const Node* sel = Producer(body, t);
    if (!sel || (sel->op != Op::kSelect && sel->op != Op::kSelectV2) || sel->inputs.size() != 3) return false;
    const Node* cmp = Producer(body, sel->inputs[0]);
    if (!cmp || cmp->inputs.size() != 2 || cmp->inputs[0] != time) return false;
    bool copy_first = false;
    if (cmp->op == Op::kGreaterEqual) copy_first = true;
    else if (cmp->op != Op::kLess) return false;
    const int lv = VarOf(body, cmp->inputs[1]);
    if (lv < 0 || info.vars[lv].kind != VarKind::kInvariant || loop.inputs[lv] < 0) return false;
    const Tensor& lens = outer.tensors[loop.inputs[lv]];
    if ((lens.dtype != DType::kInt32 && lens.dtype != DType::kInt64) || lens.rank() != 1 ||
        lens.dim(0) != info.batch) {
      return false;
    }
    // SELECT picks rows with a [B] condition; SELECT_V2 would broadcast a
    // [B] condition over the last axis, which is not a per-row choice.
    if (sel->op == Op::kSelectV2) return false;
    *keep = sel->inputs[copy_first ? 1 : 2];
    *next = sel->inputs[copy_first ? 2 : 1];
    *len_var = lv;
    return true;
  };
  int guarded = 0, unguarded = 0;
  for (size_t k = 0; k < info.vars.size(); ++k) {
    const LoopVar& v = info.vars[k];
    int keep = -1, next = -1, lv = -1;
    if (v.kind == VarKind::kState) {
      if (strip(body.outputs[k], &keep, &next, &lv) && keep == body.inputs[k] &&
          (g.seq_var < 0 || g.seq_var == lv)) {
        g.seq_var = lv;
        g.state_next[static_cast<int>(k)] = next;
        ++guarded;
      } else {
        g.state_next[static_cast<int>(k)] = body.outputs[k];
        ++unguarded;
      }
    } else if (v.kind == VarKind::kSequence || v.kind == VarKind::kLastValue) {
      if (strip(v.written, &keep, &next, &lv) && AllZeroConstant(ev.ConstantOf(keep)) &&
          (g.seq_var < 0 || g.seq_var == lv) && v.kind == VarKind::kSequence) {
        g.seq_var = lv;
        g.written[static_cast<int>(k)] = next;
        ++guarded;
      } else {
        g.written[static_cast<int>(k)] = v.written;
        ++unguarded;
      }
    }
  }
  if (guarded > 0 && unguarded > 0) {
    return Unsupported("some loop values are guarded by the sequence lengths and some are not");
  }
  if (!info.dynamic_bounds.empty()) {
    if (g.seq_var < 0) return Unsupported("the loop stops at a run-time bound without sequence lengths");
    RNNLITE_RETURN_IF_ERROR(ProveDynamicBounds(outer, loop, info, g.seq_var));
  }
  return g;
}

Status ProveDynamicBounds(const Subgraph& outer, const Node& loop, const LoopInfo& info, int seq_var) {
  const int lens = loop.inputs[seq_var];
  for (int bv : info.dynamic_bounds) {
    // max_len = MINIMUM(MAXIMUM(REDUCE_MAX(L, 0), c), K) with K >= T, or
    // without the MAXIMUM: >= min(max(L), T), so no row loses a step.
    const Node* mn = Producer(outer, loop.inputs[bv]);
    std::vector<double> k;
    if (!mn || mn->op != Op::kMinimum || mn->inputs.size() != 2) {
      return Unsupported("the loop's run-time bound is not min(max(sequence_length), T)");
    }
    int inner = -1;
    for (int side = 0; side < 2; ++side) {
      if (ConstantAt(outer, mn->inputs[side], &k) && k.size() == 1 && k[0] >= info.seq_len) inner = mn->inputs[1 - side];
    }
    if (inner < 0) return Unsupported("the loop's run-time bound may be below the number of time steps");
    const Node* mx = Producer(outer, inner);
    if (mx && mx->op == Op::kMaximum && mx->inputs.size() == 2) {
      std::vector<double> unused;
      const bool c0 = ConstantAt(outer, mx->inputs[0], &unused);
      const bool c1 = ConstantAt(outer, mx->inputs[1], &unused);
      if (c0 == c1) return Unsupported("the loop's run-time bound is not min(max(sequence_length), T)");
      mx = Producer(outer, mx->inputs[c0 ? 1 : 0]);
    }
    std::vector<double> axes;
    if (!mx || mx->op != Op::kReduceMax || mx->inputs.size() != 2 || mx->inputs[0] != lens ||
        !ConstantAt(outer, mx->inputs[1], &axes) || axes.size() != 1 || axes[0] != 0) {
      return Unsupported("the loop's run-time bound is not the largest sequence length");
    }
  }
  // Steps past the bound never write: the output lists must start as zeros.
  for (size_t k = 0; k < info.vars.size(); ++k) {
    if (info.vars[k].kind != VarKind::kSequence) continue;
    const Tensor& init = outer.tensors[loop.inputs[k]];
    std::vector<double> v;
    if (!init.is_constant() || !ReadConstant(init, &v) ||
        !std::all_of(v.begin(), v.end(), [](double d) { return d == 0.0; })) {
      return Unsupported("an output list of an early-stopping loop does not start as zeros");
    }
  }
  return Status::Ok();
}

}  // namespace rnnlite::tflite_fusion
