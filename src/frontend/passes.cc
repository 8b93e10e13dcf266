// Clean-up passes over the converted IR: dead-node removal, tensor
// compaction, cancelling transpose pairs, and folding the reordering glue
// exporters put after recurrent layers into the SequenceRnn output layout.
#include <algorithm>
#include <map>
#include <set>

#include "core/sequence_rnn.h"
#include "frontend/importer_state.h"

namespace rnnlite::onnx_import {
namespace {

// Consumers of every tensor (node indices, in order).
std::map<int, std::vector<int>> Consumers(const Subgraph& sg) {
  std::map<int, std::vector<int>> users;
  for (size_t i = 0; i < sg.nodes.size(); ++i) {
    for (int in : sg.nodes[i].inputs) {
      if (in >= 0) users[in].push_back(static_cast<int>(i));
    }
  }
  return users;
}

bool IsGraphOutput(const Subgraph& sg, int t) {
  return std::find(sg.outputs.begin(), sg.outputs.end(), t) != sg.outputs.end();
}

// The node producing `t`, or -1.
int Producer(const Subgraph& sg, int t) {
  for (size_t i = 0; i < sg.nodes.size(); ++i) {
    for (int o : sg.nodes[i].outputs) {
      if (o == t) return static_cast<int>(i);
    }
  }
  return -1;
}

bool ConstInts(const Subgraph& sg, int t, std::vector<int64_t>* out) {
  return t >= 0 && ReadTensorInts(sg.tensors[t], out);
}

// `t` feeds exactly one node, which is `op`, and is not a graph output.
int SoleConsumer(const Subgraph& sg, const std::map<int, std::vector<int>>& users, int t, Op op) {
  auto it = users.find(t);
  if (it == users.end() || it->second.size() != 1 || IsGraphOutput(sg, t)) return -1;
  const int n = it->second[0];
  return sg.nodes[n].op == op ? n : -1;
}

void ReplaceUses(Subgraph& sg, int from, int to) {
  for (Node& n : sg.nodes) {
    for (int& in : n.inputs) {
      if (in == from) in = to;
    }
  }
}

// Consumers of `t` other than node `keep` that are SHAPE ops whose values
// only feed SLICEs of entries 0 and 1 (the run-time shape EmitReshape builds
// for [A, C, D, H] -> [A, C, D*H]); -1 in *ok when another kind of consumer
// exists.
std::vector<int> LeadingShapeReaders(const Subgraph& sg, const std::map<int, std::vector<int>>& users, int t, int keep,
                                     bool* ok) {
  std::vector<int> readers;
  *ok = true;
  auto it = users.find(t);
  if (it == users.end()) return readers;
  for (int n : it->second) {
    if (n == keep) continue;
    const Node& node = sg.nodes[n];
    if (node.op != Op::kShape || node.outputs.size() != 1 || IsGraphOutput(sg, node.outputs[0])) {
      *ok = false;
      return readers;
    }
    auto su = users.find(node.outputs[0]);
    if (su != users.end()) {
      for (int sl : su->second) {
        std::vector<int64_t> begin, size;
        const Node& slice = sg.nodes[sl];
        if (slice.op != Op::kSlice || slice.inputs.size() < 3 || !ConstInts(sg, slice.inputs[1], &begin) ||
            !ConstInts(sg, slice.inputs[2], &size) || begin.size() != 1 || size.size() != 1 || begin[0] < 0 ||
            begin[0] + size[0] > 2) {
          *ok = false;
          return readers;
        }
      }
    }
    readers.push_back(n);
  }
  return readers;
}

// True if a RESHAPE whose constant target is `shape` turns [A, C, D, H] into
// [A, C, D*H] (A, C possibly dynamic; only -1 stands in for them).
bool MergesLastTwo(const std::vector<int64_t>& shape, const Dims& in) {
  if (shape.size() != 3 || in.size() != 4 || in[2] < 0 || in[3] < 0) return false;
  if (shape[2] != in[2] * in[3]) return false;
  int wild = 0;
  for (int i = 0; i < 2; ++i) {
    if (shape[i] == -1) {
      ++wild;
    } else if (in[i] < 0 || shape[i] != in[i]) {
      return false;
    }
  }
  return wild <= 1;
}

}  // namespace

bool WritesVariableInput(const Node& n, const Subgraph& sg) {
  for (int in : n.inputs) {
    if (in >= 0 && sg.tensors[in].is_variable) return true;
  }
  return false;
}

int RemoveDeadNodes(Subgraph& sg, const SideEffectPredicate& has_side_effects) {
  std::set<int> live(sg.outputs.begin(), sg.outputs.end());
  std::vector<bool> keep(sg.nodes.size(), false);
  for (size_t k = sg.nodes.size(); k-- > 0;) {
    const Node& n = sg.nodes[k];
    bool needed = has_side_effects(n, sg);
    for (int o : n.outputs) needed = needed || (o >= 0 && live.count(o));
    if (!needed) continue;
    keep[k] = true;
    for (int in : n.inputs) {
      if (in >= 0) live.insert(in);
    }
  }
  std::vector<Node> kept;
  int removed = 0;
  for (size_t k = 0; k < sg.nodes.size(); ++k) {
    if (keep[k]) kept.push_back(std::move(sg.nodes[k]));
    else ++removed;
  }
  sg.nodes = std::move(kept);
  return removed;
}

void CompactTensors(Subgraph& sg) {
  std::vector<bool> used(sg.tensors.size(), false);
  auto mark = [&](int t) {
    if (t >= 0 && static_cast<size_t>(t) < used.size()) used[t] = true;
  };
  for (int t : sg.inputs) mark(t);
  for (int t : sg.outputs) mark(t);
  for (const Node& n : sg.nodes) {
    for (int t : n.inputs) mark(t);
    for (int t : n.outputs) mark(t);
    for (int t : n.intermediates) mark(t);
  }
  std::vector<int> remap(sg.tensors.size(), kNoTensor);
  std::vector<Tensor> tensors;
  for (size_t i = 0; i < sg.tensors.size(); ++i) {
    if (!used[i]) continue;
    remap[i] = static_cast<int>(tensors.size());
    tensors.push_back(std::move(sg.tensors[i]));
  }
  auto fix = [&](std::vector<int>& v) {
    for (int& t : v) {
      if (t >= 0) t = remap[t];
    }
  };
  fix(sg.inputs);
  fix(sg.outputs);
  for (Node& n : sg.nodes) {
    fix(n.inputs);
    fix(n.outputs);
    fix(n.intermediates);
  }
  sg.tensors = std::move(tensors);
}

namespace {

bool IsUnaryElementwise(Op op) {
  switch (op) {
    case Op::kRelu: case Op::kRelu6: case Op::kLogistic: case Op::kTanh: case Op::kLeakyRelu: case Op::kElu:
    case Op::kAbs: case Op::kNeg: case Op::kSqrt: case Op::kExp: case Op::kLog:
      return true;
    default:
      return false;
  }
}

// TRANSPOSE(p1) -> unary op -> TRANSPOSE(p2) with p2 undoing p1 (the layout
// round trips between NHWC convolutions): the unary op runs on the original
// tensor and both transposes die.
int SinkTransposesThroughUnary(Subgraph& sg) {
  int sunk = 0;
  for (size_t k = 0; k < sg.nodes.size(); ++k) {
    Node& first = sg.nodes[k];
    if (first.op != Op::kTranspose || first.inputs.size() < 2 || first.outputs.size() != 1) continue;
    const auto users = Consumers(sg);
    const int t1 = first.outputs[0];
    auto u_it = users.find(t1);
    if (u_it == users.end() || u_it->second.size() != 1 || IsGraphOutput(sg, t1)) continue;
    Node& unary = sg.nodes[u_it->second[0]];
    if (!IsUnaryElementwise(unary.op) || unary.inputs.size() != 1 || unary.outputs.size() != 1) continue;
    const int u = unary.outputs[0];
    const int second = SoleConsumer(sg, users, u, Op::kTranspose);
    if (second < 0 || sg.nodes[second].inputs.size() < 2 || sg.nodes[second].outputs.size() != 1) continue;
    std::vector<int64_t> p1, p2;
    if (!ConstInts(sg, first.inputs[1], &p1) || !ConstInts(sg, sg.nodes[second].inputs[1], &p2) ||
        p1.size() != p2.size()) {
      continue;
    }
    bool identity = true;
    for (size_t i = 0; i < p2.size(); ++i) {
      identity = identity && p2[i] >= 0 && static_cast<size_t>(p2[i]) < p1.size() && p1[p2[i]] == static_cast<int64_t>(i);
    }
    const int t2 = sg.nodes[second].outputs[0];
    if (!identity || IsGraphOutput(sg, t2)) continue;
    const int x = first.inputs[0];
    unary.inputs[0] = x;
    sg.tensors[u].shape = sg.tensors[x].shape;
    sg.tensors[u].shape_signature = sg.tensors[x].shape_signature;
    ReplaceUses(sg, t2, u);
    ++sunk;
  }
  return sunk;
}

}  // namespace

int CancelTransposePairs(Subgraph& sg) {
  int cancelled = SinkTransposesThroughUnary(sg);
  for (size_t k = 0; k < sg.nodes.size(); ++k) {
    const Node& second = sg.nodes[k];
    if (second.op != Op::kTranspose || second.inputs.size() < 2 || second.outputs.size() != 1) continue;
    const int mid = second.inputs[0];
    const int p = Producer(sg, mid);
    if (p < 0 || sg.nodes[p].op != Op::kTranspose || sg.nodes[p].inputs.size() < 2) continue;
    std::vector<int64_t> p1, p2;
    if (!ConstInts(sg, sg.nodes[p].inputs[1], &p1) || !ConstInts(sg, second.inputs[1], &p2)) continue;
    if (p1.size() != p2.size()) continue;
    bool identity = true;
    for (size_t i = 0; i < p2.size(); ++i) {
      identity = identity && p2[i] >= 0 && static_cast<size_t>(p2[i]) < p1.size() && p1[p2[i]] == static_cast<int64_t>(i);
    }
    const int out = second.outputs[0];
    if (!identity || IsGraphOutput(sg, out)) continue;
    ReplaceUses(sg, out, sg.nodes[p].inputs[0]);
    ++cancelled;  // `second` is now dead; RemoveDeadNodes drops it
  }
  return cancelled;
}

int CollapseReshapeChains(Subgraph& sg) {
  int collapsed = 0;
  for (bool changed = true; changed;) {
    changed = false;
    const auto users = Consumers(sg);
    for (Node& b : sg.nodes) {
      std::vector<int64_t> shape;
      if (b.op != Op::kReshape || b.inputs.size() < 2 || !ConstInts(sg, b.inputs[1], &shape)) continue;
      if (std::count(shape.begin(), shape.end(), -1) > 1) continue;
      const int a = b.inputs[0];
      const int p = Producer(sg, a);
      if (p < 0 || IsGraphOutput(sg, a) || users.at(a).size() != 1) continue;
      const Node& prev = sg.nodes[p];
      if (prev.op != Op::kReshape && prev.op != Op::kSqueeze && prev.op != Op::kExpandDims) continue;
      if (prev.inputs.empty() || prev.inputs[0] < 0) continue;
      // Reshapes keep the flat element order, and a constant target fixes
      // the result from the element count alone: skip the middle step.
      b.inputs[0] = prev.inputs[0];
      ++collapsed;
      changed = true;
      break;
    }
  }
  return collapsed;
}

int FoldRnnOutputGlue(Subgraph& sg, const std::set<int>& merge_last_two) {
  int folded = 0;
  for (size_t k = 0; k < sg.nodes.size(); ++k) {
    Node& rnn = sg.nodes[k];
    if (!rnn.is_custom(kSequenceRnnCustomCode) || rnn.outputs.empty() || rnn.outputs[0] < 0) continue;
    auto params = SequenceRnnParams::FromAttrs(rnn.attrs);
    if (!params.ok() || params->output_layout != RnnOutputLayout::kStacked) continue;
    const auto users = Consumers(sg);
    const int y = rnn.outputs[0];
    const Dims y_dims = DimsOf(sg.tensors[y]);
    if (y_dims.size() != 4) continue;
    // Stacked Y: [T, D, B, H] time-major, [B, T, D, H] batch-major; the
    // concat layout is [T, B, D*H] / [B, T, D*H].
    int new_y = -1;
    int removed = 0;
    std::vector<int> shape_readers;
    if (params->time_major) {
      if (int sq = SoleConsumer(sg, users, y, Op::kSqueeze); sq >= 0 && params->num_directions() == 1) {
        const auto dims = sg.nodes[sq].attrs.GetInts("squeeze_dims");
        if (dims.size() == 1 && (dims[0] == 1 || dims[0] == -3) && sg.nodes[sq].outputs.size() == 1) {
          new_y = sg.nodes[sq].outputs[0];
          removed = 1;
        }
      } else if (int tr = SoleConsumer(sg, users, y, Op::kTranspose); tr >= 0) {
        std::vector<int64_t> perm;
        const int t_out = sg.nodes[tr].outputs.empty() ? -1 : sg.nodes[tr].outputs[0];
        if (t_out >= 0 && sg.nodes[tr].inputs.size() >= 2 && ConstInts(sg, sg.nodes[tr].inputs[1], &perm) &&
            perm == std::vector<int64_t>{0, 2, 1, 3}) {
          int rs = SoleConsumer(sg, users, t_out, Op::kReshape);
          if (rs < 0 && merge_last_two.count(t_out) && !IsGraphOutput(sg, t_out)) {
            // The reshape's shape is built at run time from SHAPE(t_out).
            for (int n : users.at(t_out)) {
              if (sg.nodes[n].op == Op::kReshape && sg.nodes[n].inputs[0] == t_out) rs = n;
            }
            bool ok = rs >= 0;
            if (ok) shape_readers = LeadingShapeReaders(sg, users, t_out, rs, &ok);
            if (!ok) rs = -1;
          }
          if (rs >= 0 && sg.nodes[rs].inputs.size() >= 2) {
            std::vector<int64_t> shape;
            if (merge_last_two.count(t_out) ||
                (ConstInts(sg, sg.nodes[rs].inputs[1], &shape) && MergesLastTwo(shape, DimsOf(sg.tensors[t_out])))) {
              new_y = sg.nodes[rs].outputs[0];
              removed = 2;
            }
          }
        }
      }
    } else {
      int rs = SoleConsumer(sg, users, y, Op::kReshape);
      if (rs < 0 && merge_last_two.count(y)) {
        for (int n : users.count(y) ? users.at(y) : std::vector<int>{}) {
          if (sg.nodes[n].op == Op::kReshape && sg.nodes[n].inputs[0] == y) rs = n;
        }
        bool ok = rs >= 0;
        if (ok) shape_readers = LeadingShapeReaders(sg, users, y, rs, &ok);
        if (!ok) rs = -1;
      }
      if (rs >= 0 && sg.nodes[rs].inputs.size() >= 2) {
        std::vector<int64_t> shape;
        if (merge_last_two.count(y) || (ConstInts(sg, sg.nodes[rs].inputs[1], &shape) && MergesLastTwo(shape, y_dims))) {
          new_y = sg.nodes[rs].outputs[0];
          removed = 1;
        }
      } else if (int sq = SoleConsumer(sg, users, y, Op::kSqueeze); sq >= 0 && params->num_directions() == 1) {
        const auto dims = sg.nodes[sq].attrs.GetInts("squeeze_dims");
        if (dims.size() == 1 && (dims[0] == 2 || dims[0] == -2) && sg.nodes[sq].outputs.size() == 1) {
          new_y = sg.nodes[sq].outputs[0];
          removed = 1;
        }
      }
    }
    if (new_y < 0) continue;
    // The glue's output is now written by the recurrent node itself; the
    // glue nodes lose their consumers and RemoveDeadNodes drops them. The
    // recurrent node must then come before any user of new_y, which holds
    // because the glue already sat between them.
    // Leading dims of the merged output equal those of the glue's input.
    for (int n : shape_readers) sg.nodes[n].inputs[0] = new_y;
    rnn.outputs[0] = new_y;
    params->output_layout = RnnOutputLayout::kConcat;
    params->ToAttrs(&rnn.attrs);
    for (Node& n : sg.nodes) {
      if (&n == &rnn) continue;
      for (int& o : n.outputs) {
        if (o == new_y) o = kNoTensor;
      }
    }
    // Glue nodes now have no live output; keep their outputs valid-but-absent.
    folded += removed;
  }
  return folded;
}

}  // namespace rnnlite::onnx_import
