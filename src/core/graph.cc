#include "rnnlite/graph.h"

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
      available[idx] = 1;
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
                                            (t.is_constant() ? " is a constant" : " is produced twice")));
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
  return Status::Ok();
}

}  // namespace rnnlite
