// Helpers shared by the test suites: build small graphs in memory, run one op,
// seeded random data, paths to external test data.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "rnnlite/graph.h"
#include "rnnlite/interpreter.h"
#include "rnnlite/model.h"

namespace rnnlite::testing {

// A value to feed or expect: dtype, shape and raw little-endian bytes.
struct TestTensor {
  DType dtype = DType::kFloat32;
  Shape shape;
  std::vector<uint8_t> bytes;
  bool constant = false;  // baked into the model instead of fed as an input

  template <typename T>
  std::vector<T> values() const {
    std::vector<T> out(bytes.size() / sizeof(T));
    if (!out.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());
    return out;
  }
};

template <typename T>
TestTensor MakeTensor(DType dtype, Shape shape, const std::vector<T>& values, bool constant = false) {
  TestTensor t{dtype, std::move(shape), std::vector<uint8_t>(values.size() * sizeof(T)), constant};
  if (!values.empty()) std::memcpy(t.bytes.data(), values.data(), t.bytes.size());
  return t;
}
inline TestTensor F32(Shape s, const std::vector<float>& v) { return MakeTensor(DType::kFloat32, std::move(s), v); }
inline TestTensor I32(Shape s, const std::vector<int32_t>& v) { return MakeTensor(DType::kInt32, std::move(s), v); }
inline TestTensor I64(Shape s, const std::vector<int64_t>& v) { return MakeTensor(DType::kInt64, std::move(s), v); }
inline TestTensor Bool(Shape s, const std::vector<uint8_t>& v) { return MakeTensor(DType::kBool, std::move(s), v); }
// Same, but baked into the model as a constant tensor.
inline TestTensor ConstF32(Shape s, const std::vector<float>& v) { return MakeTensor(DType::kFloat32, std::move(s), v, true); }
inline TestTensor ConstI32(Shape s, const std::vector<int32_t>& v) { return MakeTensor(DType::kInt32, std::move(s), v, true); }
inline TestTensor ConstI64(Shape s, const std::vector<int64_t>& v) { return MakeTensor(DType::kInt64, std::move(s), v, true); }
// An absent optional input (index -1).
inline TestTensor Absent() { TestTensor t; t.dtype = DType::kVariant; return t; }

// Builds a graph in memory, tensor by tensor, node by node.
class GraphBuilder {
 public:
  GraphBuilder();
  // A graph input. `signature` (-1 = dynamic dim) defaults to `shape`.
  int Input(const std::string& name, DType dtype, Shape shape, Shape signature = {});
  int Constant(const std::string& name, const TestTensor& value);
  // An intermediate or output tensor; its shape is set by shape propagation.
  int Tensor(const std::string& name, DType dtype, Shape shape = {});
  int Variable(const std::string& name, DType dtype, Shape shape);
  void Output(int tensor);
  Node& AddNode(Op op, std::vector<int> inputs, std::vector<int> outputs, AttrMap attrs = {});
  Node& AddCustomNode(const std::string& code, std::vector<int> inputs, std::vector<int> outputs,
                      AttrMap attrs = {});

  Graph& graph() { return graph_; }
  Subgraph& subgraph() { return graph_.main(); }
  // Validates and wraps the graph (the builder is empty afterwards).
  StatusOr<std::shared_ptr<const Model>> Build();

 private:
  Graph graph_;
};

struct OpRun {
  Status status;                    // first failing step's status, or OK
  std::vector<TestTensor> outputs;  // filled when status is OK
};

// Builds a one-node graph, feeds `inputs` (non-constant ones as graph
// inputs), runs AllocateTensors + Invoke, and returns the outputs. The output
// dtypes must be given (the file format declares them).
OpRun RunOp(Op op, const std::vector<TestTensor>& inputs, const std::vector<DType>& output_dtypes,
            AttrMap attrs = {});
OpRun RunCustomOp(const std::string& code, const std::vector<TestTensor>& inputs,
                  const std::vector<DType>& output_dtypes, AttrMap attrs = {});

// Expects output i of the run to have exactly this dtype, shape and values.
template <typename T>
void ExpectOutput(const OpRun& run, size_t i, DType dtype, const Shape& shape, const std::vector<T>& values) {
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  ASSERT_LT(i, run.outputs.size());
  EXPECT_EQ(run.outputs[i].dtype, dtype);
  EXPECT_EQ(run.outputs[i].shape, shape);
  EXPECT_EQ(run.outputs[i].values<T>(), values);
}

// Expects the run to have failed with a message containing `fragment`.
inline void ExpectError(const OpRun& run, const char* fragment) {
  ASSERT_FALSE(run.status.ok()) << "expected an error mentioning '" << fragment << "'";
  EXPECT_NE(run.status.message().find(fragment), std::string::npos) << run.status.ToString();
}

// Expects shape equality and |a-b| <= atol + rtol*|b| elementwise (float32).
void ExpectTensorNear(const TestTensor& actual, const Shape& shape, const std::vector<float>& expected,
                      float atol = 1e-5f, float rtol = 1e-5f);

// Uniform floats in [lo, hi) from a seeded generator: reproducible, never zeros.
std::vector<float> RandomFloats(size_t n, uint32_t seed, float lo = -1.0f, float hi = 1.0f);

// x [T, B, I] -> SequenceRnn (LSTM, hidden H, state in variable tensors h
// and c, so it streams across Invoke) -> RELU -> out. Weights uniform in
// ±0.5 from seeds seed, seed + 1, seed + 2.
std::shared_ptr<const Model> StreamingLstmModel(int T, int B, int I, int H, uint32_t seed);

// Path of ../shared/testdata/<relative>, or "" if the folder is absent
// (tests then GTEST_SKIP with a message).
std::string SharedTestdata(const std::string& relative);
// Path inside the source checkout.
std::string SourcePath(const std::string& relative);
// A fresh temporary directory (removed by the OS / test harness later).
std::string TempDir(const std::string& tag);

}  // namespace rnnlite::testing

#define RNNLITE_SKIP_WITHOUT_TESTDATA(path_var, relative)                                        \
  std::string path_var = ::rnnlite::testing::SharedTestdata(relative);                            \
  if (path_var.empty()) GTEST_SKIP() << "external test data absent: ../shared/testdata/" relative
