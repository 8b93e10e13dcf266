#include "rnnlite/graph.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

namespace rnnlite {

int64_t AttrMap::GetInt(const std::string& name, int64_t fallback) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  if (auto* v = std::get_if<int64_t>(&it->second)) return *v;
  if (auto* v = std::get_if<double>(&it->second)) return static_cast<int64_t>(*v);
  return fallback;
}

double AttrMap::GetFloat(const std::string& name, double fallback) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  if (auto* v = std::get_if<double>(&it->second)) return *v;
  if (auto* v = std::get_if<int64_t>(&it->second)) return static_cast<double>(*v);
  return fallback;
}

std::string AttrMap::GetString(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  if (auto* v = std::get_if<std::string>(&it->second)) return *v;
  return fallback;
}

std::vector<int64_t> AttrMap::GetInts(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return {};
  if (auto* v = std::get_if<std::vector<int64_t>>(&it->second)) return *v;
  return {};
}

std::vector<double> AttrMap::GetFloats(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return {};
  if (auto* v = std::get_if<std::vector<double>>(&it->second)) return *v;
  return {};
}

int Subgraph::FindTensor(const std::string& name) const {
  for (size_t i = 0; i < tensors.size(); ++i) {
    if (tensors[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int Subgraph::AddTensor(Tensor tensor) {
  tensors.push_back(std::move(tensor));
  return static_cast<int>(tensors.size()) - 1;
}

void Graph::AlignedFree::operator()(uint8_t* p) const { std::free(p); }

const uint8_t* Graph::OwnBytes(const void* bytes, size_t size) {
  // Round up so aligned_alloc's size requirement holds; never 0 bytes so the
  // pointer is non-null (a non-null pointer is what marks a constant).
  size_t alloc = (size + 63) / 64 * 64;
  if (alloc == 0) alloc = 64;
  auto* p = static_cast<uint8_t*>(std::aligned_alloc(64, alloc));
  if (p == nullptr) throw std::bad_alloc();
  if (size > 0) std::memcpy(p, bytes, size);
  owned_.emplace_back(p);
  return p;
}

int Graph::AddConstant(Subgraph& subgraph, std::string name, DType dtype, Shape shape,
                       const void* data, size_t size) {
  Tensor t;
  t.name = std::move(name);
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.constant_data = OwnBytes(data, size);
  t.constant_bytes = size;
  return subgraph.AddTensor(std::move(t));
}

namespace {

std::string Where(size_t sg, const std::string& what) {
  return "subgraph " + std::to_string(sg) + ": " + what;
}

std::string TensorLabel(const Subgraph& s, int index) {
  std::string label = "tensor " + std::to_string(index);
  if (index >= 0 && static_cast<size_t>(index) < s.tensors.size() && !s.tensors[index].name.empty()) {
    label += " ('" + s.tensors[index].name + "')";
  }
  return label;
}

Status ValidateTensor(size_t sg, const Subgraph& s, int index) {
  const Tensor& t = s.tensors[index];
  const std::string label = TensorLabel(s, index);
  if (!IsKnownDType(static_cast<int>(t.dtype))) {
    return InvalidModel(Where(sg, label + ": unknown dtype " + std::to_string(static_cast<int>(t.dtype))));
  }
  if (t.shape.size() > 16) {
    return InvalidModel(Where(sg, label + ": rank " + std::to_string(t.shape.size()) + " exceeds 16"));
  }
  if (NumElements(t.shape) < 0) {
    return InvalidModel(Where(sg, label + ": shape " + ShapeToString(t.shape) +
                                      " has a negative dim or overflows"));
  }
  if (!t.shape_signature.empty()) {
    if (t.shape_signature.size() != t.shape.size()) {
      return InvalidModel(Where(sg, label + ": shape_signature rank differs from shape rank"));
    }
    for (size_t d = 0; d < t.shape.size(); ++d) {
      int32_t sig = t.shape_signature[d];
      if (sig < -1 || (sig >= 0 && sig != t.shape[d])) {
        return InvalidModel(Where(sg, label + ": shape_signature " + ShapeToString(t.shape_signature) +
                                          " does not match shape " + ShapeToString(t.shape)));
      }
    }
  }
  if (t.is_constant()) {
    size_t elem = DTypeSize(t.dtype);
    if (elem == 0) {
      return Unsupported(Where(sg, label + ": constant of dtype " + DTypeName(t.dtype) + " is not supported"));
    }
    uint64_t expected = static_cast<uint64_t>(NumElements(t.shape));
    if (expected > UINT64_MAX / elem || expected * elem != t.constant_bytes) {
      return InvalidModel(Where(sg, label + ": constant holds " + std::to_string(t.constant_bytes) +
                                        " bytes but shape " + ShapeToString(t.shape) + " of " +
                                        DTypeName(t.dtype) + " needs " +
                                        std::to_string(expected * elem)));
    }
  }
  return Status::Ok();
}

// Control-flow ops name the subgraphs they call in these attributes.
std::vector<const char*> CalledSubgraphAttrs(Op op) {
  switch (op) {
    case Op::kWhile: return {"cond_subgraph_index", "body_subgraph_index"};
    case Op::kIf: return {"then_subgraph_index", "else_subgraph_index"};
    case Op::kCallOnce: return {"init_subgraph_index"};
    default: return {};
  }
}

// Every called subgraph exists and is not the main graph, and no subgraph
// calls itself through any chain: a call cycle would recurse without end
// (TFLite has no bound either, so it is rejected here, at load time).
Status ValidateSubgraphCalls(const Graph& graph) {
  const size_t n = graph.subgraphs.size();
  std::vector<std::vector<size_t>> calls(n);
  for (size_t sg = 0; sg < n; ++sg) {
    const Subgraph& s = graph.subgraphs[sg];
    for (size_t ni = 0; ni < s.nodes.size(); ++ni) {
      const Node& node = s.nodes[ni];
      for (const char* attr : CalledSubgraphAttrs(node.op)) {
        const int64_t target = node.attrs.GetInt(attr, -1);
        if (target < 1 || static_cast<uint64_t>(target) >= n) {
          return InvalidModel(Where(sg, "node " + std::to_string(ni) + " (" + NodeOpName(node) + "): " + attr + " " +
                                            std::to_string(target) + " out of range [1, " + std::to_string(n) +
                                            ") (subgraph 0 is the main graph)"));
        }
        calls[sg].push_back(static_cast<size_t>(target));
      }
    }
  }
  // Depth-first search; state 1 = on the current path, 2 = finished.
  std::vector<char> state(n, 0);
  std::vector<size_t> path;
  std::vector<std::pair<size_t, size_t>> stack;  // (subgraph, next call to follow)
  for (size_t start = 0; start < n; ++start) {
    if (state[start] != 0) continue;
    stack.push_back({start, 0});
    state[start] = 1;
    path.push_back(start);
    while (!stack.empty()) {
      auto& [sg, next] = stack.back();
      if (next == calls[sg].size()) {
        state[sg] = 2;
        path.pop_back();
        stack.pop_back();
        continue;
      }
      const size_t callee = calls[sg][next++];
      if (state[callee] == 1) {
        std::string cycle;
        bool on = false;
        for (size_t p : path) {
          on |= (p == callee);
          if (on) cycle += std::to_string(p) + " -> ";
        }
        return InvalidModel("subgraph call cycle " + cycle + std::to_string(callee) +
                            ": control flow would recurse without end");
      }
      if (state[callee] == 0) {
        state[callee] = 1;
        path.push_back(callee);
        stack.push_back({callee, 0});
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateGraph(const Graph& graph) {
  if (graph.subgraphs.empty()) return InvalidModel("model has no subgraphs");
  for (size_t sg = 0; sg < graph.subgraphs.size(); ++sg) {
    const Subgraph& s = graph.subgraphs[sg];
    const int n = static_cast<int>(s.tensors.size());
    for (int i = 0; i < n; ++i) RNNLITE_RETURN_IF_ERROR(ValidateTensor(sg, s, i));

    // available[i]: the tensor has a value before the next node runs.
    std::vector<char> available(n, 0), produced(n, 0);
    for (int i = 0; i < n; ++i) {
      if (s.tensors[i].is_constant() || s.tensors[i].is_variable) available[i] = 1;
    }
    for (int idx : s.inputs) {
      if (idx < 0 || idx >= n) {
        return InvalidModel(Where(sg, "graph input index " + std::to_string(idx) + " out of range [0, " +
                                          std::to_string(n) + ")"));
      }
      // Callers write inputs through Interpreter::input_tensor(): a constant
      // there would be model data (shared, possibly a read-only mapping).
      if (s.tensors[idx].is_constant()) {
        return InvalidModel(Where(sg, "graph input " + TensorLabel(s, idx) + " is a constant"));
      }
      available[idx] = 1;
      produced[idx] = 1;  // so a node writing it is refused below
    }
    for (size_t ni = 0; ni < s.nodes.size(); ++ni) {
      const Node& node = s.nodes[ni];
      const std::string where = "node " + std::to_string(ni) + " (" + NodeOpName(node) + ")";
      for (size_t k = 0; k < node.inputs.size(); ++k) {
        int idx = node.inputs[k];
        if (idx == kNoTensor) continue;
        if (idx < 0 || idx >= n) {
          return InvalidModel(Where(sg, where + ": input " + std::to_string(k) + " refers to tensor " +
                                            std::to_string(idx) + ", out of range [0, " +
                                            std::to_string(n) + ")"));
        }
        if (!available[idx]) {
          return InvalidModel(Where(sg, where + ": input " + std::to_string(k) + " (" + TensorLabel(s, idx) +
                                            ") is used before any node produces it"));
        }
      }
      for (int idx : node.intermediates) {
        if (idx < 0 || idx >= n) {
          return InvalidModel(Where(sg, where + ": intermediate tensor " + std::to_string(idx) + " out of range"));
        }
      }
      for (size_t k = 0; k < node.outputs.size(); ++k) {
        int idx = node.outputs[k];
        if (idx == kNoTensor) continue;
        if (idx < 0 || idx >= n) {
          return InvalidModel(Where(sg, where + ": output " + std::to_string(k) + " refers to tensor " +
                                            std::to_string(idx) + ", out of range [0, " +
                                            std::to_string(n) + ")"));
        }
        const Tensor& t = s.tensors[idx];
        if (produced[idx] || t.is_constant()) {
          return InvalidModel(Where(sg, where + ": output " + TensorLabel(s, idx) +
                                            (t.is_constant() ? " is a constant"
                                             : std::find(s.inputs.begin(), s.inputs.end(), idx) != s.inputs.end()
                                                 ? " is a graph input"
                                                 : " is produced twice")));
        }
        produced[idx] = 1;
        available[idx] = 1;
      }
    }
    for (int idx : s.outputs) {
      if (idx < 0 || idx >= n) {
        return InvalidModel(Where(sg, "graph output index " + std::to_string(idx) + " out of range"));
      }
      if (!available[idx]) {
        return InvalidModel(Where(sg, "graph output " + TensorLabel(s, idx) + " is never produced"));
      }
    }
  }
  return ValidateSubgraphCalls(graph);
}

}  // namespace rnnlite
