#include "fuzz_entries.h"

#include <cstring>
#include <iterator>
#include <string>
#include <memory>
#include <vector>

#include "../tools/npy.h"
#include "rnnlite/convert.h"
#include "rnnlite/interpreter.h"
#include "rnnlite/model.h"

namespace rnnlite::fuzz {
namespace {

// Inputs get small, varied values: zeros would hide NaN/overflow paths, and
// integer inputs are often indices, so they stay within a few elements.
void FillInput(Tensor* t) {
  if (t == nullptr || t->data == nullptr) return;
  const int64_t n = t->num_elements();
  if (n <= 0) return;
  switch (t->dtype) {
    case DType::kFloat32: {
      float* p = t->data_as<float>();
      for (int64_t i = 0; i < n; ++i) p[i] = static_cast<float>((i * 37) % 17) / 8.0f - 1.0f;
      break;
    }
    case DType::kInt32: {
      int32_t* p = t->data_as<int32_t>();
      for (int64_t i = 0; i < n; ++i) p[i] = static_cast<int32_t>(i % 3);
      break;
    }
    case DType::kInt64: {
      int64_t* p = t->data_as<int64_t>();
      for (int64_t i = 0; i < n; ++i) p[i] = i % 3;
      break;
    }
    default:
      // Other dtypes: a repeating byte pattern is a valid value for every
      // integer, bool (0/1) and half type we support.
      for (size_t i = 0; i < t->bytes; ++i) t->data[i] = static_cast<uint8_t>(i % 2);
      break;
  }
}

// Reads recipe bytes; past the end every read yields 0, so any input is a
// complete recipe.
class Recipe {
 public:
  Recipe(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  int Pick(int n) { return Byte() % n; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

constexpr DType kRecipeDTypes[] = {DType::kFloat32, DType::kInt32, DType::kInt64, DType::kBool,
                                   DType::kInt8,    DType::kUInt8, DType::kFloat16, DType::kInt16};
// Attributes the CPU kernels and the options tables read.
constexpr const char* kRecipeIntAttrs[] = {
    "axis", "num_splits", "keep_dims", "begin_mask", "end_mask", "shrink_axis_mask", "new_axis_mask",
    "ellipsis_mask", "values_count", "num", "batch_dims", "fused_activation_function", "out_type",
    "output_type", "adj_x", "adj_y", "padding", "stride_w", "stride_h", "filter_width", "filter_height",
    "depth_multiplier", "dilation_w_factor", "dilation_h_factor", "seq_dim", "batch_dim",
    "in_data_type", "out_data_type", "keep_num_dims", "offset"};

Tensor RecipeTensor(Recipe& r, const std::string& name, Graph& g) {
  Tensor t;
  t.name = name;
  t.dtype = kRecipeDTypes[r.Pick(static_cast<int>(std::size(kRecipeDTypes)))];
  const int rank = r.Pick(5);
  for (int d = 0; d < rank; ++d) t.shape.push_back(r.Pick(6));
  return t;
}

}  // namespace

Status RunGraphRecipe(const uint8_t* data, size_t size) {
  Recipe r(data, size);
  Graph g;
  g.subgraphs.emplace_back();
  Subgraph& sg = g.main();
  Node node;
  node.op = static_cast<Op>(r.Pick(160));
  const int num_inputs = 1 + r.Pick(4);
  const int num_outputs = 1 + r.Pick(3);
  for (int i = 0; i < num_inputs; ++i) {
    const int kind = r.Pick(4);  // 0, 1: graph input; 2: constant; 3: absent
    if (kind == 3) {
      node.inputs.push_back(kNoTensor);
      continue;
    }
    Tensor t = RecipeTensor(r, "in" + std::to_string(i), g);
    if (kind == 2) {
      // Constants are mostly small integers: axes, shapes, perms, indices.
      const int64_t n = t.num_elements();
      const size_t bytes = static_cast<size_t>(n) * DTypeSize(t.dtype);
      std::vector<uint8_t> v(bytes);
      const size_t esize = DTypeSize(t.dtype);
      for (size_t k = 0; k < bytes; k += esize) {
        const int64_t value = static_cast<int8_t>(r.Byte()) % 8;
        std::memcpy(v.data() + k, &value, esize);  // little-endian: the low bytes
      }
      if (t.dtype == DType::kFloat32) {
        for (size_t k = 0; k < bytes; k += 4) {
          int32_t iv;
          std::memcpy(&iv, v.data() + k, 4);
          const float f = static_cast<float>(iv) * 0.5f;
          std::memcpy(v.data() + k, &f, 4);
        }
      }
      t.constant_data = g.OwnBytes(v.data(), v.size());
      t.constant_bytes = v.size();
      node.inputs.push_back(sg.AddTensor(std::move(t)));
    } else {
      node.inputs.push_back(sg.AddTensor(std::move(t)));
      sg.inputs.push_back(node.inputs.back());
    }
  }
  for (int i = 0; i < num_outputs; ++i) {
    Tensor t;
    t.name = "out" + std::to_string(i);
    t.dtype = kRecipeDTypes[r.Pick(static_cast<int>(std::size(kRecipeDTypes)))];
    node.outputs.push_back(sg.AddTensor(std::move(t)));
    sg.outputs.push_back(node.outputs.back());
  }
  for (const char* name : kRecipeIntAttrs) {
    const uint8_t b = r.Byte();
    if (b & 1) node.attrs.SetInt(name, static_cast<int8_t>(b) >> 1);
  }
  if (r.Byte() & 1) {
    std::vector<int64_t> dims(r.Pick(5));
    for (int64_t& d : dims) d = static_cast<int8_t>(r.Byte()) % 8;
    node.attrs.SetInts(r.Byte() & 1 ? "new_shape" : "squeeze_dims", dims);
  }
  node.attrs.SetFloat("alpha", static_cast<int8_t>(r.Byte()) / 16.0);
  node.attrs.SetFloat("beta", static_cast<int8_t>(r.Byte()) / 16.0);
  sg.nodes.push_back(std::move(node));

  auto model = Model::FromGraph(std::move(g));
  if (!model.ok()) return model.status();
  auto bytes = WriteTflite((*model)->graph());
  if (!bytes.ok()) return bytes.status();
  return RunTflite(bytes->data(), bytes->size());
}

Status RunTflite(const uint8_t* data, size_t size) {
  LoadOptions load;
  load.max_file_bytes = kMaxInputBytes;
  auto model = Model::FromBuffer(data, size, load);
  if (!model.ok()) return model.status();
  InterpreterOptions opts;
  opts.max_tensor_bytes = kMaxTensorBytes;
  opts.num_threads = 1;
  Interpreter interp(*model, opts);
  RNNLITE_RETURN_IF_ERROR(interp.AllocateTensors());
  for (size_t i = 0; i < interp.inputs().size(); ++i) FillInput(interp.input_tensor(i));
  return interp.Invoke();
}

Status RunOnnx(const uint8_t* data, size_t size) {
  if (size > kMaxInputBytes) return ResourceExhausted("fuzz input too large");
  ConvertOptions opts;
  opts.max_file_bytes = kMaxInputBytes;
  auto converted = ConvertOnnxBytes(data, size, opts);
  if (!converted.ok()) return converted.status();
  auto bytes = WriteTflite(converted->graph);
  if (!bytes.ok()) return bytes.status();
  return RunTflite(bytes->data(), bytes->size());
}

Status RunNpy(const uint8_t* data, size_t size) {
  auto array = npy::Parse(data, size);
  if (!array.ok()) return array.status();
  auto encoded = npy::Encode(array->dtype, array->shape, array->data.data(), array->data.size());
  if (!encoded.ok()) return Internal("a parsed .npy does not encode: " + encoded.status().ToString());
  auto again = npy::Parse(encoded->data(), encoded->size());
  if (!again.ok()) return Internal("an encoded .npy does not parse: " + again.status().ToString());
  if (again->dtype != array->dtype || again->shape != array->shape || again->data != array->data) {
    return Internal(".npy round trip changed the array");
  }
  return Status::Ok();
}

}  // namespace rnnlite::fuzz
