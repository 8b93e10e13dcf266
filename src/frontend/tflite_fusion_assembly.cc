// Assembly after loop fusion: Keras' go_backwards (and the backward half of
// Bidirectional) runs a forward loop over REVERSE_V2(x, time) and, for
// Bidirectional, reverses the output sequence back; TF1's
// bidirectional_dynamic_rnn does the same with REVERSE_V2 on the
// batch-major time axis, or with REVERSE_SEQUENCE(x, sequence_length).
// Such a node is exactly a reverse-direction SequenceRnn on x (its reverse
// direction walks each row's valid prefix backwards, which is what
// REVERSE_SEQUENCE with the same lengths does; without lengths every row has
// T valid steps and the prefix is the whole sequence):
//   forward(reverse(x)).Y = reverse(reverse_node(x).Y), final states equal.
// The output reversal is cancelled where the graph reverses it back
// (directly, or after the batch-major TRANSPOSE); elsewhere one reversal
// after the node keeps the original order.
#include <algorithm>

#include "frontend/tflite_fusion.h"

namespace rnnlite::tflite_fusion {
namespace {

bool ConstAxis(const Subgraph& sg, int t, int axis) {
  if (t < 0) return false;
  std::vector<double> v;
  return ReadConstant(sg.tensors[t], &v) && v.size() == 1 && v[0] == axis;
}

std::vector<int> ConsumersOf(const Subgraph& sg, int t) {
  std::vector<int> c;
  for (size_t k = 0; k < sg.nodes.size(); ++k) {
    const auto& in = sg.nodes[k].inputs;
    if (std::find(in.begin(), in.end(), t) != in.end()) c.push_back(static_cast<int>(k));
  }
  return c;
}

bool IsGraphOutput(const Subgraph& sg, int t) {
  return std::find(sg.outputs.begin(), sg.outputs.end(), t) != sg.outputs.end();
}

int ProducerIndex(const Subgraph& sg, int t) {
  for (size_t k = 0; k < sg.nodes.size(); ++k) {
    const auto& out = sg.nodes[k].outputs;
    if (std::find(out.begin(), out.end(), t) != out.end()) return static_cast<int>(k);
  }
  return -1;
}

// Rewires consumers of `from` to `to`.
void Replace(Subgraph& sg, int from, int to) {
  for (Node& n : sg.nodes) {
    for (int& t : n.inputs) {
      if (t == from) t = to;
    }
  }
  for (int& t : sg.outputs) {
    if (t == from) t = to;
  }
}

// How the sequence was reversed: the whole time axis, or each row's valid
// prefix (REVERSE_SEQUENCE with the node's own lengths).
struct Reversal {
  int lengths = -1;  // -1: REVERSE_V2 of the whole time axis
};

// `n` reverses `t` along `time_axis` (batch axis 1 - time_axis) as `how` does.
bool Reverses(const Subgraph& sg, const Node& n, int t, int time_axis, const Reversal& how) {
  if (n.inputs.size() != 2 || n.inputs[0] != t || n.outputs.size() != 1) return false;
  if (how.lengths < 0) return n.op == Op::kReverseV2 && ConstAxis(sg, n.inputs[1], time_axis);
  return n.op == Op::kReverseSequence && n.inputs[1] == how.lengths &&
         n.attrs.GetInt("seq_dim") == time_axis && n.attrs.GetInt("batch_dim") == 1 - time_axis;
}

bool IsTranspose102(const Subgraph& sg, const Node& n) {
  std::vector<double> perm;
  return n.op == Op::kTranspose && n.inputs.size() == 2 && n.outputs.size() == 1 && n.inputs[0] >= 0 &&
         ConstantAt(sg, n.inputs[1], &perm) && perm == std::vector<double>{1, 0, 2};
}

// Y (time-major) of the old node equals reverse(y_new). Cancels the
// reversals downstream when every use reverses it back; else inserts one.
void RestoreOrder(Graph& graph, Subgraph& sg, int y_old, int y_new, const Reversal& how) {
  const std::vector<int> uses = ConsumersOf(sg, y_old);
  bool direct = !uses.empty() && !IsGraphOutput(sg, y_old);
  for (int u : uses) direct = direct && Reverses(sg, sg.nodes[u], y_old, 0, how);
  if (direct) {
    for (int u : uses) Replace(sg, sg.nodes[u].outputs[0], y_new);
    return;
  }
  // TRANSPOSE [1, 0, 2] to batch-major, then the reversal on axis 1.
  if (uses.size() == 1 && !IsGraphOutput(sg, y_old) && IsTranspose102(sg, sg.nodes[uses[0]]) &&
      sg.nodes[uses[0]].inputs[0] == y_old) {
    const int bt = sg.nodes[uses[0]].outputs[0];
    const std::vector<int> rev = ConsumersOf(sg, bt);
    bool all = !rev.empty() && !IsGraphOutput(sg, bt);
    for (int u : rev) all = all && Reverses(sg, sg.nodes[u], bt, 1, how);
    if (all) {
      sg.nodes[uses[0]].inputs[0] = y_new;
      for (int u : rev) Replace(sg, sg.nodes[u].outputs[0], bt);
      return;
    }
  }
  // Keep the order with one reversal after the node.
  Node rev;
  if (how.lengths < 0) {
    rev.op = Op::kReverseV2;
    rev.inputs = {y_new, graph.AddConstant(sg, sg.tensors[y_new].name + "/time_axis", DType::kInt32, {1},
                                          std::vector<int32_t>{0})};
  } else {
    rev.op = Op::kReverseSequence;
    rev.inputs = {y_new, how.lengths};
    rev.attrs.SetInt("seq_dim", 0);
    rev.attrs.SetInt("batch_dim", 1);
  }
  rev.outputs = {y_old};
  const int p = ProducerIndex(sg, y_new);
  sg.nodes.insert(sg.nodes.begin() + p + 1, std::move(rev));
}

// The time-major sequence that `x` reverses, or -1. May append a TRANSPOSE
// (batch-major reversal, then transposed) reading the unreversed input.
int UnreversedInput(Graph& graph, Subgraph& sg, size_t node, int x, const Reversal& how) {
  const int px = ProducerIndex(sg, x);
  if (px < 0) return -1;
  const Node& rx = sg.nodes[px];
  if (Reverses(sg, rx, rx.inputs.empty() ? -1 : rx.inputs[0], 0, how)) return rx.inputs[0];
  if (!IsTranspose102(sg, rx)) return -1;
  const int pr = ProducerIndex(sg, rx.inputs[0]);
  if (pr < 0) return -1;
  const Node& rb = sg.nodes[pr];
  if (!Reverses(sg, rb, rb.inputs.empty() ? -1 : rb.inputs[0], 1, how)) return -1;
  // transpose(reverse_1(xb)) = reverse_0(transpose(xb)): transpose xb itself.
  Tensor t = sg.tensors[x];
  t.name += "/unreversed";
  const int xt = sg.AddTensor(std::move(t));
  Node tr;
  tr.op = Op::kTranspose;
  tr.inputs = {rb.inputs[0], rx.inputs[1]};
  tr.outputs = {xt};
  sg.nodes.insert(sg.nodes.begin() + static_cast<ptrdiff_t>(node), std::move(tr));
  (void)graph;
  return xt;
}

}  // namespace

int FoldReversedLoops(Graph& graph, Subgraph& sg) {
  int folded = 0;
  for (size_t k = 0; k < sg.nodes.size(); ++k) {
    if (!sg.nodes[k].is_custom(kSequenceRnnCustomCode)) continue;
    StatusOr<SequenceRnnParams> p = SequenceRnnParams::FromAttrs(sg.nodes[k].attrs);
    if (!p.ok() || p->direction != RnnDirection::kForward || !p->time_major) continue;
    Reversal how;
    if (static_cast<int>(sg.nodes[k].inputs.size()) > seq_rnn_input::kSeqLens) {
      how.lengths = sg.nodes[k].inputs[seq_rnn_input::kSeqLens];
    }
    const int x0 = UnreversedInput(graph, sg, k, sg.nodes[k].inputs[seq_rnn_input::kX], how);
    if (x0 < 0) continue;
    if (sg.nodes[k].op != Op::kCustom) ++k;  // a TRANSPOSE was inserted before the node
    Node& n = sg.nodes[k];
    p->direction = RnnDirection::kReverse;
    n.attrs = AttrMap();
    p->ToAttrs(&n.attrs);
    n.inputs[seq_rnn_input::kX] = x0;
    if (!n.outputs.empty() && n.outputs[0] >= 0) {
      const int y_old = n.outputs[0];
      Tensor t = sg.tensors[y_old];
      t.name += "/reverse_node";
      const int y_new = sg.AddTensor(std::move(t));
      sg.nodes[k].outputs[0] = y_new;
      RestoreOrder(graph, sg, y_old, y_new, how);
    }
    ++folded;
  }
  return folded;
}

}  // namespace rnnlite::tflite_fusion

// ------------------------------------------------------------ bidirectional

namespace rnnlite::tflite_fusion {
namespace {

bool Slot(const Node& n, int slot, int* t) {
  *t = slot < static_cast<int>(n.inputs.size()) ? n.inputs[slot] : kNoTensor;
  return *t >= 0;
}

int OutSlot(const Node& n, int slot) { return slot < static_cast<int>(n.outputs.size()) ? n.outputs[slot] : kNoTensor; }

// Producer index of every tensor of `sg` (-1: input or constant).
std::vector<int> ProducerIndices(const Subgraph& sg) {
  std::vector<int> p(sg.tensors.size(), -1);
  for (size_t k = 0; k < sg.nodes.size(); ++k) {
    for (int o : sg.nodes[k].outputs) {
      if (o >= 0) p[o] = static_cast<int>(k);
    }
  }
  return p;
}

// Concatenates two [1, ...] float32 constants into one [2, ...] constant.
int StackConstants(Graph& graph, Subgraph& sg, int a, int b) {
  if (!TensorAt(sg, a) || !TensorAt(sg, b)) return -1;
  const Tensor& ta = sg.tensors[a];
  const Tensor& tb = sg.tensors[b];
  if (!ta.is_constant() || !tb.is_constant() || ta.dtype != DType::kFloat32 || ta.shape != tb.shape ||
      ta.rank() < 1 || ta.dim(0) != 1 || ta.constant_bytes != tb.constant_bytes) {
    return -1;
  }
  std::vector<uint8_t> bytes(ta.constant_data, ta.constant_data + ta.constant_bytes);
  bytes.insert(bytes.end(), tb.constant_data, tb.constant_data + tb.constant_bytes);
  Shape shape = ta.shape;
  shape[0] = 2;
  return graph.AddConstant(sg, ta.name + "+bw", DType::kFloat32, std::move(shape), bytes.data(), bytes.size());
}

}  // namespace

int MergeBidirectional(Graph& graph, Subgraph& sg) {
  int merged = 0;
  for (size_t i = 0; i < sg.nodes.size(); ++i) {
    for (size_t j = 0; j < sg.nodes.size(); ++j) {
      if (i == j || !sg.nodes[i].is_custom(kSequenceRnnCustomCode) || !sg.nodes[j].is_custom(kSequenceRnnCustomCode)) {
        continue;
      }
      const Node& fw = sg.nodes[i];
      const Node& bw = sg.nodes[j];
      auto pf = SequenceRnnParams::FromAttrs(fw.attrs);
      auto pb = SequenceRnnParams::FromAttrs(bw.attrs);
      if (!pf.ok() || !pb.ok() || pf->direction != RnnDirection::kForward || pb->direction != RnnDirection::kReverse) {
        continue;
      }
      SequenceRnnParams same = *pb;
      same.direction = RnnDirection::kForward;
      if (!(same == *pf) || pf->output_layout != RnnOutputLayout::kConcat ||
          pf->state_layout != RnnStateLayout::kPerDirection || !pf->time_major) {
        continue;
      }
      // Same sequence (the same tensor, or two TRANSPOSEs of one tensor)
      // and lengths; only x, weights, biases, lengths and states.
      const std::vector<int> prod = ProducerIndices(sg);
      int x = fw.inputs[seq_rnn_input::kX];
      const int xb = bw.inputs[seq_rnn_input::kX];
      if (x != xb) {
        const int px = prod[x], pb = prod[xb];
        if (px < 0 || pb < 0 || !IsTranspose102(sg, sg.nodes[px]) || !IsTranspose102(sg, sg.nodes[pb]) ||
            sg.nodes[px].inputs[0] != sg.nodes[pb].inputs[0]) {
          continue;
        }
        x = px < pb ? x : xb;
      }
      bool ok = true;
      for (int s = seq_rnn_input::kSeqLens; s < seq_rnn_input::kCount; ++s) {
        int a = kNoTensor, b = kNoTensor;
        const bool ha = Slot(fw, s, &a), hb = Slot(bw, s, &b);
        if (s == seq_rnn_input::kSeqLens) ok = ok && a == b;
        else if (s == seq_rnn_input::kH0 || s == seq_rnn_input::kC0) ok = ok && ha == hb;
        else ok = ok && !ha && !hb;
      }
      if (!ok || fw.outputs.size() > 3 || bw.outputs.size() > 3) continue;
      // Everything the later node reads must exist where the earlier one runs.
      const size_t at = std::min(i, j);
      for (const Node* n : {&fw, &bw}) {
        for (size_t s = 0; s < n->inputs.size(); ++s) {
          const int t = static_cast<int>(s) == seq_rnn_input::kX ? x : n->inputs[s];
          ok = ok && (t < 0 || prod[t] < static_cast<int>(at));
        }
      }
      if (!ok) continue;
      int w = kNoTensor, r = kNoTensor, wb = kNoTensor, rb = kNoTensor;
      {
        int a, b;
        Slot(fw, seq_rnn_input::kW, &a), Slot(bw, seq_rnn_input::kW, &b);
        w = StackConstants(graph, sg, a, b);
        Slot(fw, seq_rnn_input::kR, &a), Slot(bw, seq_rnn_input::kR, &b);
        r = StackConstants(graph, sg, a, b);
        const bool hwb = Slot(fw, seq_rnn_input::kWb, &a) && Slot(bw, seq_rnn_input::kWb, &b);
        if (hwb) wb = StackConstants(graph, sg, a, b);
        const bool hrb = Slot(fw, seq_rnn_input::kRb, &a) && Slot(bw, seq_rnn_input::kRb, &b);
        if (hrb) rb = StackConstants(graph, sg, a, b);
        if (w < 0 || r < 0 || !hwb || !hrb || wb < 0 || rb < 0) continue;  // constants added stay unused
      }
      Node m;
      m.op = Op::kCustom;
      m.custom_code = kSequenceRnnCustomCode;
      SequenceRnnParams p = *pf;
      p.direction = RnnDirection::kBidirectional;
      p.output_layout = RnnOutputLayout::kSplit;
      p.activations.insert(p.activations.end(), pb->activations.begin(), pb->activations.end());
      p.ToAttrs(&m.attrs);
      m.inputs.assign(seq_rnn_input::kCount, kNoTensor);
      m.inputs[seq_rnn_input::kX] = x;
      m.inputs[seq_rnn_input::kW] = w;
      m.inputs[seq_rnn_input::kR] = r;
      m.inputs[seq_rnn_input::kWb] = wb;
      m.inputs[seq_rnn_input::kRb] = rb;
      Slot(fw, seq_rnn_input::kSeqLens, &m.inputs[seq_rnn_input::kSeqLens]);
      Slot(fw, seq_rnn_input::kH0, &m.inputs[seq_rnn_input::kH0]);
      Slot(fw, seq_rnn_input::kC0, &m.inputs[seq_rnn_input::kC0]);
      Slot(bw, seq_rnn_input::kH0, &m.inputs[seq_rnn_input::kH0Bw]);
      Slot(bw, seq_rnn_input::kC0, &m.inputs[seq_rnn_input::kC0Bw]);
      while (!m.inputs.empty() && m.inputs.back() == kNoTensor) m.inputs.pop_back();
      m.outputs.assign(seq_rnn_output::kCount, kNoTensor);
      m.outputs[seq_rnn_output::kY] = OutSlot(fw, seq_rnn_output::kY);
      m.outputs[seq_rnn_output::kYBw] = OutSlot(bw, seq_rnn_output::kY);
      // Final states come out as [2, B, X]: split back into the two
      // [1, B, X] tensors the directions produced before.
      std::vector<Node> splits;
      for (int slot : {static_cast<int>(seq_rnn_output::kYh), static_cast<int>(seq_rnn_output::kYc)}) {
        const int a = OutSlot(fw, slot), b = OutSlot(bw, slot);
        if (a < 0 && b < 0) continue;
        const int like = a >= 0 ? a : b;
        Tensor both = sg.tensors[like];
        both.name += "+bw";
        both.shape[0] = 2;
        both.shape_signature.clear();
        Node split;
        split.op = Op::kSplit;
        split.attrs.SetInt("num_splits", 2);
        split.inputs = {graph.AddConstant(sg, both.name + "/axis", DType::kInt32, {}, std::vector<int32_t>{0}),
                        sg.AddTensor(std::move(both))};
        for (int t : {a, b}) {
          if (t >= 0) {
            split.outputs.push_back(t);
          } else {
            Tensor unused = sg.tensors[like];
            unused.name += "/unused";
            split.outputs.push_back(sg.AddTensor(std::move(unused)));
          }
        }
        m.outputs[slot] = split.inputs[1];
        splits.push_back(std::move(split));
      }
      if (m.outputs[seq_rnn_output::kY] < 0 && m.outputs[seq_rnn_output::kYBw] >= 0) {
        // The forward Y slot comes first; give it a tensor nobody reads.
        Tensor y = sg.tensors[m.outputs[seq_rnn_output::kYBw]];
        y.name += "/fw_unused";
        m.outputs[seq_rnn_output::kY] = sg.AddTensor(std::move(y));
      }
      while (!m.outputs.empty() && m.outputs.back() == kNoTensor) m.outputs.pop_back();
      const size_t later = std::max(i, j);
      sg.nodes.erase(sg.nodes.begin() + static_cast<ptrdiff_t>(later));
      sg.nodes[at] = std::move(m);
      sg.nodes.insert(sg.nodes.begin() + static_cast<ptrdiff_t>(at) + 1, splits.begin(), splits.end());
      ++merged;
      i = static_cast<size_t>(-1);  // rescan: indices moved
      break;
    }
  }
  return merged;
}

}  // namespace rnnlite::tflite_fusion
