// FuseRecurrentLoops (rnnlite/convert.h): replaces each WHILE loop that
// TensorFlow's TFLite converter emitted for a recurrent layer by ONE
// SequenceRnn node, then removes what only the loop used (condition and
// body subgraphs, dead nodes, tensors). Loops that are not proven to be a
// recurrent layer stay as they are, with the reason in the report.
#include <algorithm>
#include <exception>
#include <functional>
#include <new>
#include <set>

#include "frontend/importer_state.h"
#include "frontend/tflite_fusion.h"
#include "rnnlite/convert.h"

namespace rnnlite {
namespace tflite_fusion {
namespace {

struct LookupCtx {
  const Subgraph* outer;
  const Node* loop;
  const Subgraph* body;
};

// A body tensor's constant: a body constant, or a loop invariant fed by a
// constant of the enclosing subgraph.
const Tensor* LookupConstant(const void* p, int t) {
  const auto* ctx = static_cast<const LookupCtx*>(p);
  const Subgraph& body = *ctx->body;
  if (t < 0 || t >= static_cast<int>(body.tensors.size())) return nullptr;
  if (body.tensors[t].is_constant()) return &body.tensors[t];
  for (size_t k = 0; k < body.inputs.size(); ++k) {
    if (body.inputs[k] != t || body.outputs[k] != t) continue;
    const int outer = ctx->loop->inputs[k];
    if (outer >= 0 && ctx->outer->tensors[outer].is_constant()) return &ctx->outer->tensors[outer];
  }
  return nullptr;
}

std::vector<int> ConsumerCounts(const Subgraph& sg) {
  std::vector<int> uses(sg.tensors.size(), 0);
  for (const Node& n : sg.nodes) {
    for (int t : n.inputs) {
      if (t >= 0) ++uses[t];
    }
  }
  for (int t : sg.outputs) {
    if (t >= 0) ++uses[t];
  }
  return uses;
}

void Rewire(Subgraph& sg, int from, int to) {
  for (Node& n : sg.nodes) {
    for (int& t : n.inputs) {
      if (t == from) t = to;
    }
  }
  for (int& t : sg.outputs) {
    if (t == from) t = to;
  }
}

std::string LoopName(const Graph& graph, const Node& loop) {
  const int body = static_cast<int>(loop.attrs.GetInt("body_subgraph_index", -1));
  if (body > 0 && body < static_cast<int>(graph.subgraphs.size())) {
    std::string n = graph.subgraphs[body].name;
    const std::string suffix = "_body";
    if (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0) {
      n.resize(n.size() - suffix.size());
    }
    if (!n.empty()) return n;
  }
  return "WHILE";
}

bool ReadsBoolSequence(const Subgraph& outer, const Node& loop, const Subgraph& body) {
  for (const Node& n : body.nodes) {
    if (n.op != Op::kGather || n.inputs.empty()) continue;
    for (size_t k = 0; k < body.inputs.size(); ++k) {
      if (body.inputs[k] == n.inputs[0] && loop.inputs[k] >= 0 &&
          outer.tensors[loop.inputs[k]].dtype == DType::kBool) {
        return true;
      }
    }
  }
  return false;
}

// Proves the loop and returns the nodes that replace it (and the tensors
// they need, appended to `sg`). Does not modify anything on failure.
StatusOr<std::string> FuseOne(Graph& graph, int sidx, int node_index, std::vector<Node>* replacement) {
  Subgraph& sg = graph.subgraphs[sidx];
  RNNLITE_ASSIGN_OR_RETURN(LoopInfo info, AnalyzeLoop(graph, sg, node_index));
  const Node loop = sg.nodes[node_index];
  const Subgraph& body = graph.subgraphs[info.body];
  LookupCtx ctx{&sg, &loop, &body};
  Algebra alg;
  BodyEvaluator ev(body, &alg, &LookupConstant, &ctx);
  ev.SetBase(info.x_step, 0);
  std::map<int, int> next;
  for (size_t k = 0; k < info.vars.size(); ++k) {
    if (info.vars[k].kind == VarKind::kState) ev.SetBase(body.inputs[k], StateBase(static_cast<int>(k)));
  }
  RNNLITE_ASSIGN_OR_RETURN(LengthGuards guards, StripLengthGuards(sg, loop, body, info, ev));
  for (size_t k = 0; k < info.vars.size(); ++k) {
    if (info.vars[k].kind != VarKind::kState) continue;
    StatusOr<int> p = ev.Eval(guards.state_next.at(static_cast<int>(k)));
    if (!p.ok()) {
      if (ReadsBoolSequence(sg, loop, body)) {
        return Unsupported("per-step mask (Keras masking): masked steps keep the previous state and output, "
                           "which a prefix length cannot express in general; state " +
                           std::to_string(k) + ": " + p.status().message());
      }
      return Unsupported("state " + std::to_string(k) + ": " + p.status().message());
    }
    next[static_cast<int>(k)] = *p;
  }
  if (next.empty()) return Unsupported("the loop carries no recurrent state");
  StatusOr<CellMatch> match = Unsupported("no cell template applies");
  if (next.size() == 2) {
    match = MatchLstm(alg, next, info.input_size);
  } else if (next.size() == 1) {
    const bool one_term = alg.poly(next.begin()->second).terms.size() == 1;
    match = one_term ? MatchRnn(alg, next, info.input_size) : MatchGru(alg, next, info.input_size);
  } else {
    return Unsupported("the loop carries " + std::to_string(next.size()) + " states (LSTM 2, GRU/RNN 1)");
  }
  if (!match.ok()) return match.status();
  CellMatch& m = *match;
  const int H = m.params.hidden_size;
  const int G = m.params.num_gates();

  // Every per-step output must be h_t.
  for (size_t k = 0; k < info.vars.size(); ++k) {
    const LoopVar& v = info.vars[k];
    if (v.kind != VarKind::kSequence && v.kind != VarKind::kLastValue) continue;
    RNNLITE_ASSIGN_OR_RETURN(int p, ev.Eval(guards.written.at(static_cast<int>(k))));
    if (p != m.output_poly) return Unsupported("loop variable " + std::to_string(k) + " collects something other than h_t");
    if (LastDim(body.tensors[v.written]) != H) return Unsupported("step output width differs from the hidden size");
  }
  // States must be [B, H] at the loop boundary.
  for (int var : {m.h_var, m.c_var}) {
    if (var < 0) continue;
    const Tensor& init = sg.tensors[loop.inputs[var]];
    if (init.rank() != 2 || init.dim(1) != H || init.dim(0) != info.batch) {
      return Unsupported("initial state '" + init.name + "' is not [batch, " + std::to_string(H) + "]");
    }
    // A variable tensor in a state slot would make the node write its final
    // state back (streaming), which the loop never does.
    if (init.is_variable) return Unsupported("initial state '" + init.name + "' is a variable tensor");
  }
  const std::vector<int> uses = ConsumerCounts(sg);
  for (size_t k = 0; k < info.vars.size(); ++k) {
    if (info.vars[k].kind == VarKind::kCounter && uses[loop.outputs[k]] > 0) {
      return Unsupported("the final value of loop counter " + std::to_string(k) + " is used after the loop");
    }
  }

  // The replacement. Everything below only appends to `sg`.
  const std::string base = sg.tensors[loop.outputs[0]].name;
  const Shape& xsig = sg.tensors[loop.inputs[info.x_var]].shape_signature;
  const bool dynamic_batch = xsig.size() == 3 && xsig[1] < 0;
  const int I = info.input_size;
  auto add_const = [&](const std::string& suffix, Shape shape, const std::vector<float>& v) {
    return graph.AddConstant(sg, base + "/fused_" + suffix, DType::kFloat32, std::move(shape), v);
  };
  const int w = add_const("w", {1, G * H, I}, m.w);
  const int r = add_const("r", {1, G * H, H}, m.r);
  const int wb = add_const("wb", {1, G * H}, m.wb);
  const int rb = add_const("rb", {1, G * H}, m.rb);
  m.params.direction = RnnDirection::kForward;
  m.params.time_major = true;
  m.params.output_layout = RnnOutputLayout::kConcat;
  m.params.state_layout = RnnStateLayout::kPerDirection;

  Node rnn;
  rnn.op = Op::kCustom;
  rnn.custom_code = kSequenceRnnCustomCode;
  m.params.ToAttrs(&rnn.attrs);
  rnn.inputs.assign(seq_rnn_input::kC0 + 1, kNoTensor);
  rnn.inputs[seq_rnn_input::kX] = loop.inputs[info.x_var];
  rnn.inputs[seq_rnn_input::kW] = w;
  rnn.inputs[seq_rnn_input::kR] = r;
  rnn.inputs[seq_rnn_input::kWb] = wb;
  rnn.inputs[seq_rnn_input::kRb] = rb;
  if (guards.seq_var >= 0) rnn.inputs[seq_rnn_input::kSeqLens] = loop.inputs[guards.seq_var];
  rnn.inputs[seq_rnn_input::kH0] = loop.inputs[m.h_var];
  if (m.c_var >= 0) rnn.inputs[seq_rnn_input::kC0] = loop.inputs[m.c_var];
  else rnn.inputs.resize(seq_rnn_input::kH0 + 1);
  rnn.outputs.assign(seq_rnn_output::kYc + 1, kNoTensor);

  std::vector<Node> after;
  auto state_output = [&](int slot, int var, int last_value_tensor) {
    // Final state of the node: [1, B, H]; the loop's is [B, H].
    const bool var_used = var >= 0 && uses[loop.outputs[var]] > 0;
    if (!var_used && last_value_tensor < 0) return;
    int y = last_value_tensor;
    if (y < 0) {
      Tensor t;
      t.name = base + "/fused_final_" + (slot == seq_rnn_output::kYh ? "h" : "c");
      t.shape = {1, info.batch, H};
      if (dynamic_batch) t.shape_signature = {1, -1, H};
      y = sg.AddTensor(std::move(t));
    }
    rnn.outputs[slot] = y;
    if (var_used) {
      Node reshape;
      reshape.op = Op::kReshape;
      const int shape = graph.AddConstant(sg, base + "/fused_state_shape_" + std::to_string(slot), DType::kInt32, {2},
                                          std::vector<int32_t>{-1, H});
      reshape.inputs = {y, shape};
      reshape.outputs = {loop.outputs[var]};
      reshape.attrs.SetInts("new_shape", {-1, H});
      after.push_back(std::move(reshape));
    }
  };
  int last_value = -1, sequence = -1;
  std::vector<int> extra_last, extra_seq;
  for (size_t k = 0; k < info.vars.size(); ++k) {
    const int out = loop.outputs[k];
    if (uses[out] == 0) continue;
    if (info.vars[k].kind == VarKind::kLastValue) (last_value < 0 ? last_value : extra_last.emplace_back()) = out;
    if (info.vars[k].kind == VarKind::kSequence) (sequence < 0 ? sequence : extra_seq.emplace_back()) = out;
  }
  if (sequence >= 0) rnn.outputs[seq_rnn_output::kY] = sequence;
  state_output(seq_rnn_output::kYh, m.h_var, last_value);
  if (m.c_var >= 0) state_output(seq_rnn_output::kYc, m.c_var, -1);
  while (!rnn.outputs.empty() && rnn.outputs.back() == kNoTensor) rnn.outputs.pop_back();
  if (rnn.outputs.empty()) {
    rnn.outputs.push_back(-1);
    Tensor t;
    t.name = base + "/fused_y";
    t.shape = {info.seq_len, info.batch, H};
    if (dynamic_batch) t.shape_signature = {info.seq_len, -1, H};
    rnn.outputs[0] = sg.AddTensor(std::move(t));
  }
  // Loop outputs that repeat one already produced (a second h_t list,
  // invariants) read the first one instead.
  for (int t : extra_seq) Rewire(sg, t, sequence);
  for (int t : extra_last) Rewire(sg, t, last_value);
  for (size_t k = 0; k < info.vars.size(); ++k) {
    if (info.vars[k].kind == VarKind::kInvariant && uses[loop.outputs[k]] > 0) {
      Rewire(sg, loop.outputs[k], loop.inputs[k]);
    }
  }
  replacement->push_back(std::move(rnn));
  for (Node& n : after) replacement->push_back(std::move(n));
  return m.summary;
}

// What dead-node removal must keep in a TFLite graph: control flow (its
// bodies may assign variables), variable assignments, custom ops other
// than ours (their effects are unknown), and writers of variable inputs.
bool HasSideEffects(const Node& n, const Subgraph& sg) {
  switch (n.op) {
    case Op::kWhile: case Op::kIf: case Op::kCallOnce: case Op::kAssignVariable:
      return true;
    case Op::kCustom:
      if (!n.is_custom(kSequenceRnnCustomCode)) return true;
      break;
    default:
      break;
  }
  return onnx_import::WritesVariableInput(n, sg);
}

const char* const kSubgraphAttrs[] = {"cond_subgraph_index", "body_subgraph_index", "then_subgraph_index",
                                      "else_subgraph_index", "init_subgraph_index"};

bool IsControlFlow(const Node& n) { return n.op == Op::kWhile || n.op == Op::kIf || n.op == Op::kCallOnce; }

// Drops subgraphs no control-flow node reachable from the main subgraph
// refers to, renumbering the references. Returns how many went away.
int RemoveUnreachableSubgraphs(Graph& graph) {
  const int n = static_cast<int>(graph.subgraphs.size());
  std::vector<bool> reach(n, false);
  std::function<void(int)> visit = [&](int s) {
    if (s < 0 || s >= n || reach[s]) return;
    reach[s] = true;
    for (const Node& node : graph.subgraphs[s].nodes) {
      if (!IsControlFlow(node)) continue;
      for (const char* a : kSubgraphAttrs) {
        if (node.attrs.Has(a)) visit(static_cast<int>(node.attrs.GetInt(a)));
      }
    }
  };
  visit(0);
  std::vector<int> remap(n, -1);
  std::vector<Subgraph> kept;
  for (int s = 0; s < n; ++s) {
    if (!reach[s]) continue;
    remap[s] = static_cast<int>(kept.size());
    kept.push_back(std::move(graph.subgraphs[s]));
  }
  const int removed = n - static_cast<int>(kept.size());
  graph.subgraphs = std::move(kept);
  for (Subgraph& sg : graph.subgraphs) {
    for (Node& node : sg.nodes) {
      if (!IsControlFlow(node)) continue;
      for (const char* a : kSubgraphAttrs) {
        if (node.attrs.Has(a)) node.attrs.SetInt(a, remap[node.attrs.GetInt(a)]);
      }
    }
  }
  return removed;
}

}  // namespace
}  // namespace tflite_fusion

std::string LoopFusionReport::Summary() const {
  std::string s = "loops: " + std::to_string(loops) + ", fused: " + std::to_string(fused);
  for (const LoopFusionEntry& e : entries) {
    s += "\n  " + std::string(e.fused ? "fused " : "left  ") + e.name + ": " + e.detail;
  }
  if (removed_subgraphs > 0) s += "\nsubgraphs removed: " + std::to_string(removed_subgraphs);
  if (reverse_folded > 0) s += "\nreversed-input loops folded into reverse nodes: " + std::to_string(reverse_folded);
  if (bidirectional_merged > 0) {
    s += "\nforward + reverse pairs merged into bidirectional nodes: " + std::to_string(bidirectional_merged);
  }
  return s;
}

StatusOr<LoopFusionReport> FuseRecurrentLoops(Graph& graph) {
  using namespace tflite_fusion;
  LoopFusionReport report;
  // The matchers assume a structurally valid graph (indices in range).
  RNNLITE_RETURN_IF_ERROR(ValidateGraph(graph));
  std::vector<bool> changed(graph.subgraphs.size(), false);
  try {
    for (size_t s = 0; s < graph.subgraphs.size(); ++s) {
      for (size_t k = 0; k < graph.subgraphs[s].nodes.size(); ++k) {
        const Node& node = graph.subgraphs[s].nodes[k];
        if (node.op != Op::kWhile) continue;
        LoopFusionEntry e;
        e.subgraph = static_cast<int>(s);
        e.node = static_cast<int>(k);
        e.name = LoopName(graph, node);
        ++report.loops;
        std::vector<Node> replacement;
        const size_t tensors_before = graph.subgraphs[s].tensors.size();
        StatusOr<std::string> r = FuseOne(graph, static_cast<int>(s), static_cast<int>(k), &replacement);
        if (r.ok()) {
          Subgraph& sg = graph.subgraphs[s];
          sg.nodes.erase(sg.nodes.begin() + static_cast<ptrdiff_t>(k));
          sg.nodes.insert(sg.nodes.begin() + static_cast<ptrdiff_t>(k), replacement.begin(), replacement.end());
          k += replacement.size() - 1;
          e.fused = true;
          e.detail = *r;
          ++report.fused;
          changed[s] = true;
        } else {
          graph.subgraphs[s].tensors.resize(tensors_before);
          e.detail = r.status().message();
        }
        report.entries.push_back(std::move(e));
      }
    }
    for (size_t s = 0; s < graph.subgraphs.size(); ++s) {
      if (!changed[s]) continue;
      report.reverse_folded += FoldReversedLoops(graph, graph.subgraphs[s]);
      report.bidirectional_merged += MergeBidirectional(graph, graph.subgraphs[s]);
      report.removed_nodes += onnx_import::RemoveDeadNodes(graph.subgraphs[s], HasSideEffects);
      onnx_import::CompactTensors(graph.subgraphs[s]);  // the graph pass the ONNX importer uses too
    }
    if (report.fused > 0) report.removed_subgraphs = RemoveUnreachableSubgraphs(graph);
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory while fusing loops");
  } catch (const std::exception& e) {
    return Internal(std::string("loop fusion failure: ") + e.what());
  }
  RNNLITE_RETURN_IF_ERROR(ValidateGraph(graph));
  return report;
}

}  // namespace rnnlite
