// The in-memory IR shared by the .tflite reader/writer, the front end and the
// interpreter: a Graph of Subgraphs, each a list of Tensors and Nodes in
// execution order. Node options are a small typed attribute map (AttrMap) so
// importers, the writer and kernels share one representation of every op's
// parameters (names follow the TFLite option fields, e.g. "fused_activation").
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "rnnlite/ops.h"
#include "rnnlite/status.h"
#include "rnnlite/tensor.h"

namespace rnnlite {

using AttrValue = std::variant<int64_t, double, std::string, std::vector<int64_t>,
                               std::vector<double>>;

class AttrMap {
 public:
  void SetInt(const std::string& name, int64_t v) { values_[name] = v; }
  void SetFloat(const std::string& name, double v) { values_[name] = v; }
  void SetString(const std::string& name, std::string v) { values_[name] = std::move(v); }
  void SetInts(const std::string& name, std::vector<int64_t> v) { values_[name] = std::move(v); }
  void SetFloats(const std::string& name, std::vector<double> v) { values_[name] = std::move(v); }

  bool Has(const std::string& name) const { return values_.count(name) != 0; }
  // Typed getters return `fallback` when the attribute is absent or has
  // another type (ints and floats convert to each other).
  int64_t GetInt(const std::string& name, int64_t fallback = 0) const;
  double GetFloat(const std::string& name, double fallback = 0.0) const;
  std::string GetString(const std::string& name, const std::string& fallback = "") const;
  std::vector<int64_t> GetInts(const std::string& name) const;
  std::vector<double> GetFloats(const std::string& name) const;

  const std::map<std::string, AttrValue>& values() const { return values_; }
  bool operator==(const AttrMap& other) const { return values_ == other.values_; }

 private:
  std::map<std::string, AttrValue> values_;
};

// Absent optional inputs/outputs are index -1 (as in TFLite).
inline constexpr int kNoTensor = -1;

struct Node {
  Op op = Op::kCustom;
  std::string custom_code;  // set when op == Op::kCustom
  int32_t version = 1;
  std::vector<int> inputs;
  std::vector<int> outputs;
  std::vector<int> intermediates;
  AttrMap attrs;
  // Raw custom options of custom ops that no importer understood; written
  // back unchanged so unknown custom ops survive a load/write round trip.
  std::vector<uint8_t> custom_options;

  bool is_custom(const char* code) const { return op == Op::kCustom && custom_code == code; }
};

// "ADD", or the custom code for custom ops.
std::string NodeOpName(const Node& node);

struct Subgraph {
  std::string name;
  std::vector<Tensor> tensors;
  std::vector<int> inputs;
  std::vector<int> outputs;
  std::vector<Node> nodes;  // in execution order

  // Index of the tensor with this name, or -1.
  int FindTensor(const std::string& name) const;
  // Appends a tensor; returns its index.
  int AddTensor(Tensor tensor);
};

class Graph {
 public:
  Graph() = default;
  Graph(Graph&&) = default;
  Graph& operator=(Graph&&) = default;
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;

  std::vector<Subgraph> subgraphs;
  std::string description;

  Subgraph& main() { return subgraphs.at(0); }
  const Subgraph& main() const { return subgraphs.at(0); }

  // Copies `bytes` into storage owned by the graph (64-byte aligned) and
  // returns a pointer that stays valid for the Graph's lifetime.
  const uint8_t* OwnBytes(const void* bytes, size_t size);
  // Keeps an external owner (e.g. an mmap) alive as long as the graph.
  void KeepAlive(std::shared_ptr<const void> owner) { keep_alive_.push_back(std::move(owner)); }

  // Convenience for builders: adds a constant tensor to `subgraph` whose
  // data is copied into the graph. Returns the tensor index.
  int AddConstant(Subgraph& subgraph, std::string name, DType dtype, Shape shape,
                  const void* data, size_t size);
  template <typename T>
  int AddConstant(Subgraph& subgraph, std::string name, DType dtype, Shape shape,
                  const std::vector<T>& values) {
    return AddConstant(subgraph, std::move(name), dtype, std::move(shape), values.data(),
                       values.size() * sizeof(T));
  }

 private:
  struct AlignedFree {
    void operator()(uint8_t* p) const;
  };
  std::vector<std::unique_ptr<uint8_t[], AlignedFree>> owned_;
  std::vector<std::shared_ptr<const void>> keep_alive_;
};

// Structural checks every graph passes before it runs or is written: tensor
// indices in range, shapes non-negative without overflow, constant sizes
// matching shapes, no tensor produced twice, no input used before it is
// produced. Errors name the subgraph, node and field.
Status ValidateGraph(const Graph& graph);

}  // namespace rnnlite
