// The ONNX importer's working state and the interface op converters use.
//
// Each ONNX value is bound to one IR tensor of the main subgraph. Constants
// (initializers, Constant nodes, folded results) are IR constant tensors, so
// a converter reads constant operands the same way whatever produced them.
// Converters infer output shapes themselves (dims, -1 = dynamic) and emit
// TFLite builtins through NodeContext::Emit, which folds a node whose inputs
// are all constant by running it on rnnlite's CPU reference kernels: folding
// and execution can never disagree.
//
// Small integer vectors built from Shape() of partly dynamic tensors carry a
// "partial value" (known elements, kUnknownValue elsewhere), so Reshape /
// Expand / ConstantOfShape targets that exporters compute at run time still
// give static dims where the model has them.
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "frontend/onnx_model.h"
#include "rnnlite/convert.h"
#include "rnnlite/graph.h"

namespace rnnlite::onnx_import {

using Dims = std::vector<int64_t>;  // -1 marks a dynamic dim
inline constexpr int64_t kUnknownValue = std::numeric_limits<int64_t>::min();

struct Value {
  int tensor = kNoTensor;
  bool has_partial = false;
  std::vector<int64_t> partial;  // kUnknownValue where unknown
  bool known_zero = false;       // every element is 0 (ConstantOfShape(0), ...)
  bool poisoned = false;         // its producer failed to convert
};

// --- dims helpers ------------------------------------------------------------
Dims DimsOf(const Tensor& t);
Shape ToShape(const Dims& dims);      // dynamic dims as 1
Shape ToSignature(const Dims& dims);  // empty when fully static
bool IsStatic(const Dims& dims);
int64_t Product(const Dims& dims);  // -1 if any dim is dynamic
std::string DimsToString(const Dims& dims);
// numpy broadcasting; error when dims are known to clash.
Status BroadcastDims(const Dims& a, const Dims& b, Dims* out);
// Maps axis in [-rank, rank) to [0, rank).
Status NormalizeAxis(int64_t axis, int64_t rank, int64_t* out);

// Constant tensor contents as int64 / double (integer, bool and float
// dtypes; float16 is decoded). False for other dtypes.
bool ReadTensorInts(const Tensor& t, std::vector<int64_t>* out);
bool ReadTensorFloats(const Tensor& t, std::vector<double>* out);
// Encodes values into h->bytes with h->dtype (dims untouched).
bool WriteHostInts(const std::vector<int64_t>& v, HostTensor* h);
bool WriteHostFloats(const std::vector<double>& v, HostTensor* h);

class Importer;

class NodeContext {
 public:
  NodeContext(Importer& im, const onnx::NodeProto& node, int index);

  const onnx::NodeProto& node() const { return node_; }
  int64_t opset() const;
  // The node's name, or "#<index>" when it has none.
  std::string label() const;

  // --- inputs
  int num_inputs() const { return node_.input_size(); }
  bool has_input(int i) const { return i < node_.input_size() && !node_.input(i).empty(); }
  const Value& value(int i) const;
  int input(int i) const;  // IR tensor, or kNoTensor when absent
  const Tensor& tensor(int i) const;
  DType dtype(int i) const { return tensor(i).dtype; }
  Dims dims(int i) const { return DimsOf(tensor(i)); }
  int64_t rank(int i) const { return static_cast<int64_t>(tensor(i).shape.size()); }
  bool is_const(int i) const { return has_input(i) && tensor(i).is_constant(); }
  // Values of a constant input (any integer or float dtype), error otherwise.
  StatusOr<std::vector<int64_t>> ConstInts(int i) const;
  StatusOr<std::vector<double>> ConstFloats(int i) const;
  // Constant contents or the partial value of an integer input.
  std::optional<std::vector<int64_t>> KnownInts(int i) const;
  Status RequireInputs(int min_count, int max_count) const;

  // --- attributes
  const onnx::AttributeProto* attr(const std::string& name) const;
  bool has_attr(const std::string& name) const { return attr(name) != nullptr; }
  int64_t GetInt(const std::string& name, int64_t fallback) const;
  double GetFloat(const std::string& name, double fallback) const;
  std::string GetString(const std::string& name, const std::string& fallback) const;
  std::vector<int64_t> GetInts(const std::string& name) const;
  std::vector<double> GetFloats(const std::string& name) const;
  std::vector<std::string> GetStrings(const std::string& name) const;
  Status GetTensor(const std::string& name, HostTensor* out) const;
  // Fails naming the first attribute not in `known` (attributes the
  // converter would otherwise ignore silently).
  Status CheckAttributes(std::initializer_list<const char*> known) const;

  // --- outputs
  int num_outputs() const { return node_.output_size(); }
  bool has_output(int i) const { return i < node_.output_size() && !node_.output(i).empty(); }
  // Creates and binds the IR tensor of output i, named like the ONNX value.
  int Output(int i, DType dtype, const Dims& dims);
  // Output i is the same value as `tensor` (Identity, no-op Reshape, ...).
  void Alias(int i, int tensor);
  void SetPartial(int i, std::vector<int64_t> partial);
  void SetKnownZero(int i);
  Value& out_value(int i);

  // --- building
  int Temp(const std::string& suffix, DType dtype, const Dims& dims);
  int Const(const std::string& suffix, const HostTensor& value);
  int ConstI32(const std::string& suffix, const std::vector<int32_t>& v, bool scalar = false);
  int ConstI64(const std::string& suffix, const std::vector<int64_t>& v, bool scalar = false);
  int ConstF32(const std::string& suffix, const std::vector<float>& v, const Dims& dims);
  // A scalar of `dtype` holding `v` (float or integer types).
  StatusOr<int> ConstScalar(const std::string& suffix, DType dtype, double v);
  // Appends a node (or folds it when every input is constant).
  Status Emit(Op op, std::vector<int> inputs, std::vector<int> outputs, AttrMap attrs = {});
  Status EmitCustom(const std::string& code, std::vector<int> inputs, std::vector<int> outputs, AttrMap attrs);
  // Single-output helpers: create the output tensor and emit.
  StatusOr<int> Unary(Op op, int x, DType dtype, const Dims& out_dims, const std::string& suffix,
                      AttrMap attrs = {});
  StatusOr<int> Binary(Op op, int a, int b, DType dtype, const Dims& out_dims, const std::string& suffix);
  // RESHAPE to `dims` (at most one dynamic dim; -1 in the shape tensor).
  StatusOr<int> Reshape(int x, const Dims& dims, const std::string& suffix);
  StatusOr<int> Transpose(int x, const std::vector<int64_t>& perm, const std::string& suffix);

  // Records that a RESHAPE about to consume `tensor` merges its last two dims
  // (a hint for the recurrent-output pass when the shape is computed at run time).
  void MarkMergesLastTwo(int tensor);

  Graph& graph();
  Subgraph& sg();
  void Note(const std::string& note);

  // The first tensor this node made with a dim a .tflite shape cannot hold
  // (int32), or "": the importer reports it as this node's error, instead
  // of a wrapped dim reaching later checks.
  const std::string& shape_error() const { return shape_error_; }

 private:
  void CheckDims(const std::string& tensor, const Dims& dims);

  Importer& im_;
  const onnx::NodeProto& node_;
  int index_;
  std::string shape_error_;
};

using Converter = Status (*)(NodeContext&);
using ConverterTable = std::map<std::string, Converter>;

// One registration function per converter family (onnx_ops_*.cc).
void RegisterElementwiseConverters(ConverterTable& table);
void RegisterShapeConverters(ConverterTable& table);
void RegisterIndexConverters(ConverterTable& table);
void RegisterComputeConverters(ConverterTable& table);
void RegisterRecurrentConverters(ConverterTable& table);

// Converts a parsed model. `external_dir` locates external tensor data.
StatusOr<ConvertResult> ImportOnnx(const onnx::ModelProto& model, const std::string& external_dir,
                                   const ConvertOptions& options, ConvertReport* report_on_error);

}  // namespace rnnlite::onnx_import
