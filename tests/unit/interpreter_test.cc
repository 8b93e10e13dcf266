// Interpreter lifecycle: allocation, resizing, memory reuse, variables,
// dynamic tensors and error paths.
#include <gtest/gtest.h>

#include "support/test_util.h"

namespace rnnlite {
namespace {

using testing::GraphBuilder;

std::shared_ptr<const Model> ReluChain(int length, Shape shape, Shape signature = {}) {
  GraphBuilder b;
  int t = b.Input("x", DType::kFloat32, shape, signature);
  for (int i = 0; i < length; ++i) {
    int next = b.Tensor("t" + std::to_string(i), DType::kFloat32);
    b.AddNode(i % 2 ? Op::kNeg : Op::kRelu, {t}, {next});
    t = next;
  }
  b.Output(t);
  auto m = b.Build();
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return *m;
}

TEST(Interpreter, InvokeBeforeAllocateFails) {
  Interpreter interp(ReluChain(2, {4}));
  EXPECT_EQ(interp.Invoke().code(), StatusCode::kFailedPrecondition);
}

TEST(Interpreter, ChainComputesAndReusesArenaMemory) {
  const int kLen = 8;
  Interpreter interp(ReluChain(kLen, {1000}));
  ASSERT_TRUE(interp.AllocateTensors().ok());
  // Input + output live throughout; intermediates share at most two slots.
  EXPECT_LT(interp.arena_bytes(), 5u * 1000 * sizeof(float) + 5 * 64);
  std::vector<float> x = testing::RandomFloats(1000, 3, -2.0f, 2.0f);
  std::memcpy(interp.input_tensor(0)->data, x.data(), x.size() * sizeof(float));
  ASSERT_TRUE(interp.Invoke().ok());
  const float* y = interp.output_tensor(0)->data_as<float>();
  for (size_t i = 0; i < x.size(); ++i) {
    // relu, neg, relu, neg, ... -> 0 after the second relu (relu(-relu(x)) = 0), ends with neg(0).
    EXPECT_EQ(y[i], 0.0f) << i;
  }
}

TEST(Interpreter, ResizeDynamicInputPropagatesShapes) {
  Interpreter interp(ReluChain(1, {1, 3}, {-1, 3}));
  ASSERT_TRUE(interp.ResizeInputTensor(interp.inputs()[0], {4, 3}).ok());
  ASSERT_TRUE(interp.AllocateTensors().ok());
  EXPECT_EQ(interp.output_tensor(0)->shape, (Shape{4, 3}));
  EXPECT_EQ(interp.input_tensor(0)->bytes, 4u * 3 * sizeof(float));
}

TEST(Interpreter, ResizeRejectsFixedDimsAndNonInputs) {
  Interpreter interp(ReluChain(1, {1, 3}, {-1, 3}));
  Status s = interp.ResizeInputTensor(interp.inputs()[0], {4, 5});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("'x'"), std::string::npos) << s.message();
  EXPECT_FALSE(interp.ResizeInputTensor(interp.inputs()[0], {4}).ok());
  EXPECT_FALSE(interp.ResizeInputTensor(interp.outputs()[0], {4, 3}).ok());
  EXPECT_FALSE(interp.ResizeInputTensor(interp.inputs()[0], {-4, 3}).ok());
}

TEST(Interpreter, ResizeAfterAllocateRequiresReallocation) {
  Interpreter interp(ReluChain(1, {1, 3}, {-1, 3}));
  ASSERT_TRUE(interp.AllocateTensors().ok());
  ASSERT_TRUE(interp.ResizeInputTensor(interp.inputs()[0], {2, 3}).ok());
  EXPECT_EQ(interp.Invoke().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(interp.AllocateTensors().ok());
  EXPECT_TRUE(interp.Invoke().ok());
}

TEST(Interpreter, TensorMemoryCapIsEnforced) {
  auto model = ReluChain(1, {1, 3}, {-1, 3});
  InterpreterOptions options;
  options.max_tensor_bytes = 1 << 20;
  Interpreter interp(model, options);
  ASSERT_TRUE(interp.ResizeInputTensor(interp.inputs()[0], {1 << 20, 3}).ok());
  EXPECT_EQ(interp.AllocateTensors().code(), StatusCode::kResourceExhausted);
}

TEST(Interpreter, TensorLookupByNameAndIndex) {
  Interpreter interp(ReluChain(2, {2}));
  EXPECT_EQ(interp.FindTensor("x"), interp.inputs()[0]);
  EXPECT_EQ(interp.FindTensor("nope"), -1);
  EXPECT_EQ(interp.tensor_by_name("nope"), nullptr);
  EXPECT_EQ(interp.tensor(-1), nullptr);
  EXPECT_EQ(interp.tensor(1000), nullptr);
  EXPECT_NE(interp.tensor_by_name("t1"), nullptr);
}

TEST(Interpreter, NullModelReportsError) {
  Interpreter interp(nullptr);
  EXPECT_EQ(interp.AllocateTensors().code(), StatusCode::kInvalidArgument);
}

TEST(Interpreter, VariablesStartAtZeroAndReset) {
  GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, {3});
  int v = b.Variable("state", DType::kFloat32, {3});
  int y = b.Tensor("y", DType::kFloat32);
  b.AddNode(Op::kAdd, {x, v}, {y});
  b.Output(y);
  auto model = b.Build();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter interp(*model);
  ASSERT_TRUE(interp.AllocateTensors().ok());
  Tensor* state = interp.tensor(v);
  ASSERT_EQ(state->storage, Storage::kPersistent);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(state->data_as<float>()[i], 0.0f);
  state->data_as<float>()[1] = 5.0f;
  ASSERT_TRUE(interp.ResetVariableTensors().ok());
  EXPECT_EQ(state->data_as<float>()[1], 0.0f);
}

TEST(Interpreter, ManyInterpretersShareOneModel) {
  auto model = ReluChain(3, {16});
  Interpreter a(model), b(model);
  ASSERT_TRUE(a.AllocateTensors().ok());
  ASSERT_TRUE(b.AllocateTensors().ok());
  EXPECT_NE(a.input_tensor(0)->data, b.input_tensor(0)->data);
}

}  // namespace
}  // namespace rnnlite
