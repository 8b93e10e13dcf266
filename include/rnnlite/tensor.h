// Tensor: one value in a graph. The same struct describes a tensor in a
// loaded model (name, dtype, shape, constant data) and in a running
// interpreter (where `data` points at the tensor's current storage).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "rnnlite/types.h"

namespace rnnlite {

struct QuantizationParams {
  std::vector<float> scale;
  std::vector<int64_t> zero_point;
  int32_t quantized_dimension = 0;
  bool empty() const { return scale.empty() && zero_point.empty(); }
};

// Where a tensor's bytes live while an interpreter runs.
enum class Storage : uint8_t {
  kNone,        // not allocated yet (or an absent optional)
  kConstant,    // read-only model data (mmap or owned by the Model)
  kArena,       // planned slice of the interpreter's arena
  kDynamic,     // shape known only during Invoke; own heap buffer
  kPersistent,  // variable (state) tensor; survives across Invoke
};

struct Tensor {
  std::string name;
  DType dtype = DType::kFloat32;
  Shape shape;            // current (resolved) shape
  Shape shape_signature;  // -1 marks a dynamic dim; empty means == shape
  bool is_variable = false;
  QuantizationParams quantization;

  // Constant data from the model (nullptr if the tensor is not a constant).
  const uint8_t* constant_data = nullptr;
  size_t constant_bytes = 0;

  // Runtime storage (set by the interpreter; equals constant_data for
  // constants, which are never written).
  uint8_t* data = nullptr;
  size_t bytes = 0;
  Storage storage = Storage::kNone;

  bool is_constant() const { return constant_data != nullptr; }
  int rank() const { return static_cast<int>(shape.size()); }
  int64_t num_elements() const { return NumElements(shape); }
  // Dim i, counting from the back for negative i (like Python).
  int32_t dim(int i) const { return shape[i < 0 ? shape.size() + i : static_cast<size_t>(i)]; }

  template <typename T>
  T* data_as() { return reinterpret_cast<T*>(data); }
  template <typename T>
  const T* data_as() const { return reinterpret_cast<const T*>(data); }
};

}  // namespace rnnlite
