// The importer's state, shared by importer*.cc (not by op converters, which
// go through NodeContext).
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "frontend/importer.h"

namespace rnnlite::onnx_import {

class Importer {
 public:
  Importer(const ConvertOptions& opts, std::string ext_dir) : options(opts), external_dir(std::move(ext_dir)) {
    graph.subgraphs.emplace_back();
    graph.main().name = "main";
  }

  // Appends `node` to the main subgraph, or, when every input is constant
  // and folding is on, runs it on the CPU reference kernels and turns its
  // outputs into constants.
  Status AddNode(Node node);

  const ConvertOptions& options;
  std::string external_dir;
  int64_t opset = 0;
  Graph graph;
  std::map<std::string, Value> values;
  // Tensors whose RESHAPE consumer merges the last two of 4 dims.
  std::set<int> merge_last_two;
  ConvertReport report;

 private:
  Status Fold(const Node& node);
};

// Graph passes over the IR (passes.cc).
// Whether a node matters even when none of its outputs is used.
using SideEffectPredicate = std::function<bool(const Node&, const Subgraph&)>;
// The default for ONNX-made graphs: a node with a variable (state) input
// writes it.
bool WritesVariableInput(const Node& n, const Subgraph& sg);
// Drops nodes none of whose outputs reach a graph output and that have no
// side effect; returns how many.
int RemoveDeadNodes(Subgraph& sg, const SideEffectPredicate& has_side_effects = WritesVariableInput);
// Drops tensors no node, input or output refers to, renumbering the rest.
void CompactTensors(Subgraph& sg);
// Folds reordering glue after SequenceRnn outputs into the node's output
// layout (see passes.cc); returns how many glue nodes went away.
// `merge_last_two`: tensors known to be reshaped [A, C, D, H] -> [A, C, D*H]
// by their RESHAPE consumer even when its shape is computed at run time.
int FoldRnnOutputGlue(Subgraph& sg, const std::set<int>& merge_last_two);
// RESHAPE(const shape) of a RESHAPE / SQUEEZE / EXPAND_DIMS result reads the
// original tensor instead; returns how many steps were skipped.
int CollapseReshapeChains(Subgraph& sg);
// Cancels TRANSPOSE pairs whose permutations compose to the identity.
int CancelTransposePairs(Subgraph& sg);

}  // namespace rnnlite::onnx_import
