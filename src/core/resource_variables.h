// Resource variables (TFLite VAR_HANDLE / READ_VARIABLE / ASSIGN_VARIABLE):
// named values shared by every subgraph of one interpreter, which keep their
// value across Invoke. A resource tensor (dtype kResource) holds one int32:
// the id of a variable in this table, as in TFLite.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "rnnlite/types.h"

namespace rnnlite {

// Bytes per element of a tensor as the interpreter stores it: resource
// handles are int32 ids; other types have their DTypeSize.
inline size_t StorageElementSize(DType dtype) {
  return dtype == DType::kResource ? sizeof(int32_t) : DTypeSize(dtype);
}

struct ResourceVariable {
  bool assigned = false;  // READ_VARIABLE before any ASSIGN_VARIABLE is an error
  DType dtype = DType::kFloat32;
  Shape shape;
  std::vector<uint8_t> bytes;
};

class ResourceVariables {
 public:
  // The id of the variable (container, shared_name); the first handle
  // creates it, unassigned. Every VAR_HANDLE with the same names, in any
  // subgraph, refers to the same variable (TFLite keys them the same way).
  int32_t Handle(const std::string& container, const std::string& shared_name) {
    auto key = std::make_pair(container, shared_name);
    auto it = ids_.find(key);
    if (it != ids_.end()) return it->second;
    const auto id = static_cast<int32_t>(vars_.size());
    vars_.emplace_back();
    ids_.emplace(std::move(key), id);
    return id;
  }
  // nullptr for an id no handle produced (a corrupt or hand-made tensor).
  ResourceVariable* Find(int32_t id) {
    return (id >= 0 && static_cast<size_t>(id) < vars_.size()) ? &vars_[static_cast<size_t>(id)] : nullptr;
  }
  size_t size() const { return vars_.size(); }

 private:
  std::map<std::pair<std::string, std::string>, int32_t> ids_;
  std::deque<ResourceVariable> vars_;  // deque: pointers stay valid as it grows
};

}  // namespace rnnlite
