// Binary element-wise ops (ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM):
// hand-computed values, broadcasting, fused activations, integer dtypes,
// errors, and inputs resized at run time. Float tolerance: 1e-6 abs + rel
// (each expected value is one correctly rounded float operation).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "support/test_util.h"

namespace rnnlite {
namespace {

using testing::ConstF32;
using testing::ExpectTensorNear;
using testing::F32;
using testing::I32;
using testing::I64;
using testing::OpRun;
using testing::RunOp;

constexpr float kTol = 1e-6f;

AttrMap Act(int64_t activation) {
  AttrMap attrs;
  attrs.SetInt("fused_activation_function", activation);
  return attrs;
}

// Runs a float32 binary op and checks shape and values.
void ExpectBinaryF32(Op op, const testing::TestTensor& a, const testing::TestTensor& b,
                     const Shape& shape, const std::vector<float>& expected, AttrMap attrs = {}) {
  OpRun run = RunOp(op, {a, b}, {DType::kFloat32}, std::move(attrs));
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  ExpectTensorNear(run.outputs[0], shape, expected, kTol, kTol);
}

template <typename T>
void ExpectBinaryInt(Op op, const testing::TestTensor& a, const testing::TestTensor& b,
                     const Shape& shape, const std::vector<T>& expected, AttrMap attrs = {}) {
  OpRun run = RunOp(op, {a, b}, {a.dtype}, std::move(attrs));
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  EXPECT_EQ(run.outputs[0].dtype, a.dtype);
  EXPECT_EQ(run.outputs[0].shape, shape);
  EXPECT_EQ(run.outputs[0].values<T>(), expected);
}

// --- hand-computed values ----------------------------------------------------

TEST(ElementwiseBinary, AddSameShape) {
  ExpectBinaryF32(Op::kAdd, F32({2, 2}, {1, -2, 3.5f, 0.25f}), F32({2, 2}, {10, 20, -3.5f, 0.5f}),
                  {2, 2}, {11, 18, 0, 0.75f});
}

TEST(ElementwiseBinary, SubMulDiv) {
  ExpectBinaryF32(Op::kSub, F32({4}, {1, -2, 3, 0.5f}), F32({4}, {4, -2, -1, 0.25f}), {4},
                  {-3, 0, 4, 0.25f});
  ExpectBinaryF32(Op::kMul, F32({4}, {1.5f, -2, 3, 0}), F32({4}, {2, -2.5f, -1, 7}), {4},
                  {3, 5, -3, 0});
  ExpectBinaryF32(Op::kDiv, F32({4}, {1, -6, 9, 2}), F32({4}, {2, 3, -3, 0.5f}), {4},
                  {0.5f, -2, -3, 4});
}

TEST(ElementwiseBinary, FloatDivisionByZeroFollowsIeee) {
  OpRun run = RunOp(Op::kDiv, {F32({3}, {1, -1, 0}), F32({3}, {0, 0, 0})}, {DType::kFloat32});
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  std::vector<float> got = run.outputs[0].values<float>();
  EXPECT_EQ(got[0], std::numeric_limits<float>::infinity());
  EXPECT_EQ(got[1], -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(got[2]));
}

TEST(ElementwiseBinary, Pow) {
  ExpectBinaryF32(Op::kPow, F32({4}, {2, 9, 4, 2}), F32({4}, {3, 0.5f, -1, 0}), {4},
                  {8, 3, 0.25f, 1});
  ExpectBinaryF32(Op::kPow, F32({2, 2}, {1, 2, 3, 4}), F32({}, {2}), {2, 2}, {1, 4, 9, 16});
}

TEST(ElementwiseBinary, MaximumMinimumBroadcast) {
  ExpectBinaryF32(Op::kMaximum, F32({2, 2}, {1, 5, -2, 3}), F32({2}, {2, 2}), {2, 2},
                  {2, 5, 2, 3});
  ExpectBinaryF32(Op::kMinimum, F32({2, 2}, {1, 5, -2, 3}), F32({2}, {2, 2}), {2, 2},
                  {1, 2, -2, 2});
}

// --- broadcasting --------------------------------------------------------------

TEST(ElementwiseBinary, BroadcastRowVector) {
  ExpectBinaryF32(Op::kAdd, F32({2, 3}, {1, 2, 3, 4, 5, 6}), F32({3}, {10, 20, 30}), {2, 3},
                  {11, 22, 33, 14, 25, 36});
  // Either operand may be the smaller one.
  ExpectBinaryF32(Op::kSub, F32({3}, {10, 20, 30}), F32({2, 3}, {1, 2, 3, 4, 5, 6}), {2, 3},
                  {9, 18, 27, 6, 15, 24});
}

TEST(ElementwiseBinary, BroadcastBothOperands) {
  // [2,1,3] + [4,1] -> [2,4,3]: out[i][j][k] = a[i][0][k] + b[j][0].
  ExpectBinaryF32(Op::kAdd, F32({2, 1, 3}, {1, 2, 3, 4, 5, 6}), F32({4, 1}, {10, 20, 30, 40}),
                  {2, 4, 3},
                  {11, 12, 13, 21, 22, 23, 31, 32, 33, 41, 42, 43,
                   14, 15, 16, 24, 25, 26, 34, 35, 36, 44, 45, 46});
  ExpectBinaryF32(Op::kMul, F32({3, 1}, {1, 2, 3}), F32({1, 2}, {10, -1}), {3, 2},
                  {10, -1, 20, -2, 30, -3});
}

TEST(ElementwiseBinary, BroadcastScalar) {
  ExpectBinaryF32(Op::kSub, F32({}, {10}), F32({2, 2}, {1, 2, 3, 4}), {2, 2}, {9, 8, 7, 6});
  ExpectBinaryF32(Op::kDiv, F32({2, 2}, {1, 2, 3, 4}), F32({}, {4}), {2, 2},
                  {0.25f, 0.5f, 0.75f, 1});
  ExpectBinaryF32(Op::kMul, F32({}, {3}), F32({}, {-2}), {}, {-6});
  // A constant operand (as in real models: biases, scales) broadcasts too.
  ExpectBinaryF32(Op::kAdd, F32({2, 2}, {1, 2, 3, 4}), ConstF32({1}, {0.5f}), {2, 2},
                  {1.5f, 2.5f, 3.5f, 4.5f});
}

TEST(ElementwiseBinary, BroadcastEmptyTensor) {
  OpRun run = RunOp(Op::kAdd, {F32({0, 3}, {}), F32({3}, {1, 2, 3})}, {DType::kFloat32});
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  EXPECT_EQ(run.outputs[0].shape, (Shape{0, 3}));
  EXPECT_TRUE(run.outputs[0].bytes.empty());
}

// Expected values of a broadcast computed with explicit multi-indices, so
// the kernel's index mapping is checked against an independent formula.
std::vector<float> NaiveBroadcast(const Shape& out, const Shape& a, const std::vector<float>& va,
                                  const Shape& b, const std::vector<float>& vb,
                                  float (*f)(float, float)) {
  const size_t rank = out.size();
  auto flat = [&](const Shape& s, const std::vector<int64_t>& idx) {
    int64_t f = 0;
    const size_t off = rank - s.size();
    for (size_t d = 0; d < s.size(); ++d) f = f * s[d] + (s[d] == 1 ? 0 : idx[off + d]);
    return f;
  };
  std::vector<float> result;
  std::vector<int64_t> idx(rank, 0);
  const int64_t n = NumElements(out);
  for (int64_t i = 0; i < n; ++i) {
    int64_t rem = i;
    for (size_t d = rank; d-- > 0;) {
      idx[d] = rem % out[d];
      rem /= out[d];
    }
    result.push_back(f(va[flat(a, idx)], vb[flat(b, idx)]));
  }
  return result;
}

TEST(ElementwiseBinary, BroadcastRandomShapesUpToRank6) {
  struct Case {
    Shape a, b, out;
  };
  const std::vector<Case> cases = {
      {{3, 1, 4}, {2, 1}, {3, 2, 4}},
      {{2, 1, 2, 1, 2, 1}, {1, 2, 1, 2, 1, 2}, {2, 2, 2, 2, 2, 2}},
      {{1, 3, 1, 2, 1}, {4, 1, 3}, {1, 3, 4, 2, 3}},
      {{5}, {2, 1, 3, 1, 1, 5}, {2, 1, 3, 1, 1, 5}},
  };
  uint32_t seed = 7;
  for (const Case& c : cases) {
    const std::vector<float> va = testing::RandomFloats(NumElements(c.a), seed++);
    const std::vector<float> vb = testing::RandomFloats(NumElements(c.b), seed++);
    SCOPED_TRACE(ShapeToString(c.a) + " op " + ShapeToString(c.b));
    ExpectBinaryF32(Op::kMul, F32(c.a, va), F32(c.b, vb), c.out,
                    NaiveBroadcast(c.out, c.a, va, c.b, vb, [](float x, float y) { return x * y; }));
    ExpectBinaryF32(Op::kSub, F32(c.a, va), F32(c.b, vb), c.out,
                    NaiveBroadcast(c.out, c.a, va, c.b, vb, [](float x, float y) { return x - y; }));
  }
}

// --- fused activations -------------------------------------------------------

TEST(ElementwiseBinary, FusedActivations) {
  // 1 RELU, 2 RELU_N1_TO_1, 3 RELU6, 4 TANH, 5 SIGN_BIT.
  ExpectBinaryF32(Op::kMul, F32({4}, {-1, 2, -3, 4}), F32({1}, {2}), {4}, {0, 4, 0, 8}, Act(1));
  ExpectBinaryF32(Op::kMul, F32({4}, {0.5f, -3, 2, -0.25f}), F32({1}, {1}), {4},
                  {0.5f, -1, 1, -0.25f}, Act(2));
  ExpectBinaryF32(Op::kAdd, F32({4}, {-3, 2, 5, 9}), F32({1}, {1}), {4}, {0, 3, 6, 6}, Act(3));
  ExpectBinaryF32(Op::kAdd, F32({2}, {0, 1}), F32({1}, {0.5f}), {2},
                  {0.46211715726f, 0.90514825364f}, Act(4));
  ExpectBinaryF32(Op::kSub, F32({2}, {3, -1}), F32({1}, {2}), {2}, {0, 1}, Act(5));
  ExpectBinaryF32(Op::kDiv, F32({3}, {-4, 4, 30}), F32({1}, {2}), {3}, {0, 2, 6}, Act(3));
  // Absent attribute means NONE.
  ExpectBinaryF32(Op::kSub, F32({2}, {-3, 1}), F32({1}, {2}), {2}, {-5, -1});
}

// --- integer dtypes --------------------------------------------------------------

TEST(ElementwiseBinary, Int32Arithmetic) {
  ExpectBinaryInt<int32_t>(Op::kAdd, I32({2, 2}, {1, -2, 3, 4}), I32({2}, {10, 20}), {2, 2},
                           {11, 18, 13, 24});
  ExpectBinaryInt<int32_t>(Op::kSub, I32({3}, {1, -2, 3}), I32({}, {5}), {3}, {-4, -7, -2});
  ExpectBinaryInt<int32_t>(Op::kMul, I32({3}, {1, -2, 3}), I32({3}, {-7, 8, 0}), {3}, {-7, -16, 0});
  // Truncates toward zero, like C++ and TFLite.
  ExpectBinaryInt<int32_t>(Op::kDiv, I32({4}, {7, -7, 7, -7}), I32({4}, {2, 2, -2, -2}), {4},
                           {3, -3, -3, 3});
  ExpectBinaryInt<int32_t>(Op::kPow, I32({4}, {2, -3, 5, 7}), I32({4}, {10, 3, 0, 1}), {4},
                           {1024, -27, 1, 7});
  ExpectBinaryInt<int32_t>(Op::kMaximum, I32({3}, {-1, 5, 2}), I32({3}, {0, 4, 2}), {3}, {0, 5, 2});
  ExpectBinaryInt<int32_t>(Op::kMinimum, I32({3}, {-1, 5, 2}), I32({1}, {3}), {3}, {-1, 3, 2});
}

TEST(ElementwiseBinary, Int32OverflowWraps) {
  constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  ExpectBinaryInt<int32_t>(Op::kAdd, I32({1}, {kMax}), I32({1}, {1}), {1}, {kMin});
  ExpectBinaryInt<int32_t>(Op::kSub, I32({1}, {kMin}), I32({1}, {1}), {1}, {kMax});
  ExpectBinaryInt<int32_t>(Op::kMul, I32({1}, {65536}), I32({1}, {65536}), {1}, {0});
  ExpectBinaryInt<int32_t>(Op::kDiv, I32({1}, {kMin}), I32({1}, {-1}), {1}, {kMin});
}

TEST(ElementwiseBinary, Int32FusedActivationClamps) {
  ExpectBinaryInt<int32_t>(Op::kAdd, I32({3}, {-5, 3, 9}), I32({1}, {1}), {3}, {0, 4, 10}, Act(1));
  ExpectBinaryInt<int32_t>(Op::kAdd, I32({3}, {-5, 3, 9}), I32({1}, {1}), {3}, {-1, 1, 1}, Act(2));
  ExpectBinaryInt<int32_t>(Op::kMul, I32({3}, {-5, 3, 9}), I32({1}, {1}), {3}, {0, 3, 6}, Act(3));
}

TEST(ElementwiseBinary, Int64Arithmetic) {
  constexpr int64_t kBig = int64_t{1} << 40;
  ExpectBinaryInt<int64_t>(Op::kAdd, I64({2}, {kBig, -5}), I64({1}, {kBig}), {2},
                           {2 * kBig, kBig - 5});
  ExpectBinaryInt<int64_t>(Op::kSub, I64({2}, {kBig, 5}), I64({2}, {1, 10}), {2}, {kBig - 1, -5});
  ExpectBinaryInt<int64_t>(Op::kMul, I64({2, 1}, {kBig, -3}), I64({2}, {2, -1}), {2, 2},
                           {2 * kBig, -kBig, -6, 3});
  ExpectBinaryInt<int64_t>(Op::kMaximum, I64({2}, {kBig, -5}), I64({2}, {3, -2 * kBig}), {2},
                           {kBig, -5});
  ExpectBinaryInt<int64_t>(Op::kMinimum, I64({2}, {kBig, -5}), I64({2}, {3, -2 * kBig}), {2},
                           {3, -2 * kBig});
  ExpectBinaryInt<int64_t>(Op::kAdd, I64({2}, {-5, 9}), I64({}, {1}), {2}, {0, 6}, Act(3));
}

// --- errors ------------------------------------------------------------------

void ExpectFails(const OpRun& run, const std::string& fragment) {
  ASSERT_FALSE(run.status.ok());
  EXPECT_NE(run.status.message().find(fragment), std::string::npos) << run.status.ToString();
}

TEST(ElementwiseBinary, IncompatibleBroadcastIsAnError) {
  ExpectFails(RunOp(Op::kAdd, {F32({2, 3}, {1, 2, 3, 4, 5, 6}), F32({4}, {1, 2, 3, 4})},
                    {DType::kFloat32}),
              "cannot be broadcast");
  ExpectFails(RunOp(Op::kMaximum, {F32({2, 1, 3}, std::vector<float>(6, 1)),
                                   F32({2, 2}, std::vector<float>(4, 1))},
                    {DType::kFloat32}),
              "cannot be broadcast");
}

TEST(ElementwiseBinary, WrongDtypesAreErrors) {
  // Inputs disagree.
  ExpectFails(RunOp(Op::kAdd, {F32({1}, {1}), I32({1}, {1})}, {DType::kFloat32}), "dtypes differ");
  // Output disagrees with inputs.
  ExpectFails(RunOp(Op::kMul, {F32({1}, {1}), F32({1}, {1})}, {DType::kInt32}), "output dtype");
  // Types the op does not take.
  OpRun u8 = RunOp(Op::kAdd,
                   {testing::MakeTensor<uint8_t>(DType::kUInt8, {1}, {1}),
                    testing::MakeTensor<uint8_t>(DType::kUInt8, {1}, {1})},
                   {DType::kUInt8});
  ASSERT_FALSE(u8.status.ok());
  EXPECT_EQ(u8.status.code(), StatusCode::kUnsupported) << u8.status.ToString();
  OpRun div64 = RunOp(Op::kDiv, {I64({1}, {4}), I64({1}, {2})}, {DType::kInt64});
  EXPECT_EQ(div64.status.code(), StatusCode::kUnsupported) << div64.status.ToString();
  OpRun pow64 = RunOp(Op::kPow, {I64({1}, {4}), I64({1}, {2})}, {DType::kInt64});
  EXPECT_EQ(pow64.status.code(), StatusCode::kUnsupported) << pow64.status.ToString();
}

TEST(ElementwiseBinary, BadActivationsAreErrors) {
  ExpectFails(RunOp(Op::kAdd, {F32({1}, {1}), F32({1}, {1})}, {DType::kFloat32}, Act(9)),
              "fused_activation_function");
  OpRun tanh_int = RunOp(Op::kAdd, {I32({1}, {1}), I32({1}, {1})}, {DType::kInt32}, Act(4));
  EXPECT_EQ(tanh_int.status.code(), StatusCode::kUnsupported) << tanh_int.status.ToString();
}

TEST(ElementwiseBinary, WrongArityIsAnError) {
  ExpectFails(RunOp(Op::kAdd, {F32({1}, {1})}, {DType::kFloat32}), "input");
  ExpectFails(RunOp(Op::kSub, {F32({1}, {1}), F32({1}, {1}), F32({1}, {1})}, {DType::kFloat32}),
              "input");
  ExpectFails(RunOp(Op::kMul, {F32({1}, {1}), testing::Absent()}, {DType::kFloat32}), "absent");
}

TEST(ElementwiseBinary, IntegerRuntimeErrors) {
  ExpectFails(RunOp(Op::kDiv, {I32({3}, {1, 2, 3}), I32({3}, {1, 0, 1})}, {DType::kInt32}),
              "division by zero");
  ExpectFails(RunOp(Op::kPow, {I32({2}, {2, 2}), I32({2}, {1, -1})}, {DType::kInt32}),
              "negative exponent");
}

// --- shapes resized at run time ---------------------------------------------

TEST(ElementwiseBinary, DynamicBatchResizedBeforeAllocate) {
  testing::GraphBuilder b;
  const int x = b.Input("x", DType::kFloat32, {1, 3}, {-1, 3});
  const int bias = b.Constant("bias", ConstF32({3}, {10, 20, 30}));
  const int y = b.Tensor("y", DType::kFloat32);
  b.Output(y);
  b.AddNode(Op::kAdd, {x, bias}, {y}, Act(1));
  auto model = b.Build();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter interp(*model);

  for (int batch : {4, 2, 1}) {
    SCOPED_TRACE("batch " + std::to_string(batch));
    ASSERT_TRUE(interp.ResizeInputTensor(x, {batch, 3}).ok());
    Status st = interp.AllocateTensors();
    ASSERT_TRUE(st.ok()) << st.ToString();
    std::vector<float> expected;
    float* in = interp.tensor(x)->data_as<float>();
    for (int i = 0; i < batch * 3; ++i) {
      in[i] = static_cast<float>(i * (i % 2 ? -7 : 5));
      expected.push_back(std::max(0.0f, in[i] + 10.0f * static_cast<float>(i % 3 + 1)));
    }
    st = interp.Invoke();
    ASSERT_TRUE(st.ok()) << st.ToString();
    const Tensor* out = interp.tensor(y);
    ASSERT_EQ(out->shape, (Shape{batch, 3}));
    for (int i = 0; i < batch * 3; ++i) EXPECT_EQ(out->data_as<float>()[i], expected[i]) << i;
  }
}

TEST(ElementwiseBinary, DynamicDimsOnBothInputs) {
  testing::GraphBuilder b;
  const int x = b.Input("x", DType::kInt32, {1, 1}, {-1, 1});
  const int z = b.Input("z", DType::kInt32, {1, 1}, {1, -1});
  const int y = b.Tensor("y", DType::kInt32);
  b.Output(y);
  b.AddNode(Op::kMul, {x, z}, {y});
  auto model = b.Build();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter interp(*model);
  ASSERT_TRUE(interp.ResizeInputTensor(x, {3, 1}).ok());
  ASSERT_TRUE(interp.ResizeInputTensor(z, {1, 2}).ok());
  Status st = interp.AllocateTensors();
  ASSERT_TRUE(st.ok()) << st.ToString();
  const std::vector<int32_t> xv{1, 2, 3};
  const std::vector<int32_t> zv{10, -1};
  std::copy(xv.begin(), xv.end(), interp.tensor(x)->data_as<int32_t>());
  std::copy(zv.begin(), zv.end(), interp.tensor(z)->data_as<int32_t>());
  st = interp.Invoke();
  ASSERT_TRUE(st.ok()) << st.ToString();
  const Tensor* out = interp.tensor(y);
  ASSERT_EQ(out->shape, (Shape{3, 2}));
  const int32_t* o = out->data_as<int32_t>();
  EXPECT_EQ(std::vector<int32_t>(o, o + 6), (std::vector<int32_t>{10, -1, 20, -2, 30, -3}));
}

TEST(ElementwiseBinary, ResizeToIncompatibleShapeFailsInAllocate) {
  testing::GraphBuilder b;
  const int x = b.Input("x", DType::kFloat32, {1, 3}, {-1, -1});
  const int bias = b.Constant("bias", ConstF32({3}, {1, 2, 3}));
  const int y = b.Tensor("y", DType::kFloat32);
  b.Output(y);
  b.AddNode(Op::kSub, {x, bias}, {y});
  auto model = b.Build();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter interp(*model);
  ASSERT_TRUE(interp.ResizeInputTensor(x, {2, 4}).ok());
  Status st = interp.AllocateTensors();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("cannot be broadcast"), std::string::npos) << st.ToString();
  // Back to a compatible shape: the interpreter recovers.
  ASSERT_TRUE(interp.ResizeInputTensor(x, {2, 3}).ok());
  st = interp.AllocateTensors();
  ASSERT_TRUE(st.ok()) << st.ToString();
}

// RESHAPE with a shape computed at run time makes its output dynamic, so the
// ADD after it is prepared inside Invoke (its output shape is unknown before).
TEST(ElementwiseBinary, InputProducedAtRunTimeWithDynamicShape) {
  testing::GraphBuilder b;
  const int x = b.Input("x", DType::kFloat32, {2, 3});
  const int new_shape = b.Input("new_shape", DType::kInt32, {2});
  const int r = b.Tensor("r", DType::kFloat32);
  const int bias = b.Constant("bias", ConstF32({2}, {10, 20}));
  const int y = b.Tensor("y", DType::kFloat32);
  b.Output(y);
  b.AddNode(Op::kReshape, {x, new_shape}, {r});
  b.AddNode(Op::kAdd, {r, bias}, {y});
  auto model = b.Build();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter interp(*model);
  Status st = interp.AllocateTensors();
  ASSERT_TRUE(st.ok()) << st.ToString();
  const std::vector<float> xv{1, 2, 3, 4, 5, 6};
  std::copy(xv.begin(), xv.end(), interp.tensor(x)->data_as<float>());
  interp.tensor(new_shape)->data_as<int32_t>()[0] = 3;
  interp.tensor(new_shape)->data_as<int32_t>()[1] = 2;
  st = interp.Invoke();
  ASSERT_TRUE(st.ok()) << st.ToString();
  const Tensor* out = interp.tensor(y);
  ASSERT_EQ(out->shape, (Shape{3, 2}));
  const float* o = out->data_as<float>();
  EXPECT_EQ(std::vector<float>(o, o + 6), (std::vector<float>{11, 22, 13, 24, 15, 26}));

  // The same model with a shape the bias cannot broadcast against fails in
  // Invoke with the broadcast error.
  interp.tensor(new_shape)->data_as<int32_t>()[0] = 2;
  interp.tensor(new_shape)->data_as<int32_t>()[1] = 3;
  st = interp.Invoke();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("cannot be broadcast"), std::string::npos) << st.ToString();
}

}  // namespace
}  // namespace rnnlite
