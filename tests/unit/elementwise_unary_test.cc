// Unary element-wise ops and activations: SQRT, RSQRT, EXP, LOG, ABS, NEG,
// LOGISTIC, TANH, RELU, RELU6, LEAKY_RELU, ELU. Expected values are worked
// out by hand (or are the correctly rounded constants, e.g. tanh(0.5)); float
// tolerance 1e-6 abs + rel.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "support/test_util.h"

namespace rnnlite {
namespace {

using testing::ExpectTensorNear;
using testing::F32;
using testing::I32;
using testing::I64;
using testing::OpRun;
using testing::RunOp;

constexpr float kTol = 1e-6f;
constexpr float kInf = std::numeric_limits<float>::infinity();

void ExpectUnaryF32(Op op, const Shape& shape, const std::vector<float>& in,
                    const std::vector<float>& expected, AttrMap attrs = {}) {
  OpRun run = RunOp(op, {F32(shape, in)}, {DType::kFloat32}, std::move(attrs));
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  ExpectTensorNear(run.outputs[0], shape, expected, kTol, kTol);
}

std::vector<float> RunUnaryF32(Op op, const std::vector<float>& in) {
  OpRun run = RunOp(op, {F32({static_cast<int32_t>(in.size())}, in)}, {DType::kFloat32});
  EXPECT_TRUE(run.status.ok()) << run.status.ToString();
  return run.status.ok() ? run.outputs[0].values<float>() : std::vector<float>();
}

TEST(ElementwiseUnary, Sqrt) {
  ExpectUnaryF32(Op::kSqrt, {2, 2}, {0, 1, 4, 2.25f}, {0, 1, 2, 1.5f});
  std::vector<float> out = RunUnaryF32(Op::kSqrt, {-1});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(std::isnan(out[0]));
}

TEST(ElementwiseUnary, Rsqrt) {
  ExpectUnaryF32(Op::kRsqrt, {4}, {1, 4, 0.25f, 16}, {1, 0.5f, 2, 0.25f});
  EXPECT_EQ(RunUnaryF32(Op::kRsqrt, {0}), std::vector<float>{kInf});
}

TEST(ElementwiseUnary, ExpAndLog) {
  ExpectUnaryF32(Op::kExp, {4}, {0, 1, -1, 2}, {1, 2.718281828f, 0.3678794412f, 7.389056099f});
  ExpectUnaryF32(Op::kLog, {4}, {1, 2.718281828f, 0.5f, 10}, {0, 1, -0.6931471806f, 2.302585093f});
  std::vector<float> out = RunUnaryF32(Op::kLog, {0, -1});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], -kInf);
  EXPECT_TRUE(std::isnan(out[1]));
}

TEST(ElementwiseUnary, AbsAndNegFloat) {
  ExpectUnaryF32(Op::kAbs, {2, 2}, {-1.5f, 0, 2, -3}, {1.5f, 0, 2, 3});
  ExpectUnaryF32(Op::kNeg, {3}, {1, -2, 0.5f}, {-1, 2, -0.5f});
}

TEST(ElementwiseUnary, AbsAndNegIntegers) {
  constexpr int32_t kMin32 = std::numeric_limits<int32_t>::min();
  constexpr int64_t kMin64 = std::numeric_limits<int64_t>::min();
  // The most negative value has no positive counterpart and wraps to itself.
  OpRun abs32 = RunOp(Op::kAbs, {I32({4}, {-3, 4, 0, kMin32})}, {DType::kInt32});
  ASSERT_TRUE(abs32.status.ok()) << abs32.status.ToString();
  EXPECT_EQ(abs32.outputs[0].values<int32_t>(), (std::vector<int32_t>{3, 4, 0, kMin32}));
  OpRun neg32 = RunOp(Op::kNeg, {I32({2, 2}, {-3, 4, 0, kMin32})}, {DType::kInt32});
  ASSERT_TRUE(neg32.status.ok()) << neg32.status.ToString();
  EXPECT_EQ(neg32.outputs[0].shape, (Shape{2, 2}));
  EXPECT_EQ(neg32.outputs[0].values<int32_t>(), (std::vector<int32_t>{3, -4, 0, kMin32}));
  constexpr int64_t kBig = int64_t{1} << 50;
  OpRun abs64 = RunOp(Op::kAbs, {I64({3}, {-kBig, kBig, kMin64})}, {DType::kInt64});
  ASSERT_TRUE(abs64.status.ok()) << abs64.status.ToString();
  EXPECT_EQ(abs64.outputs[0].values<int64_t>(), (std::vector<int64_t>{kBig, kBig, kMin64}));
  OpRun neg64 = RunOp(Op::kNeg, {I64({2}, {-kBig, 7})}, {DType::kInt64});
  ASSERT_TRUE(neg64.status.ok()) << neg64.status.ToString();
  EXPECT_EQ(neg64.outputs[0].values<int64_t>(), (std::vector<int64_t>{kBig, -7}));
}

TEST(ElementwiseUnary, LogisticAndTanh) {
  // 1/(1+e^-1) = 0.7310585786; saturates without overflow at +-100.
  ExpectUnaryF32(Op::kLogistic, {5}, {0, 1, -1, 100, -100},
                 {0.5f, 0.7310585786f, 0.2689414214f, 1, 0});
  ExpectUnaryF32(Op::kTanh, {4}, {0, 0.5f, -1, 20}, {0, 0.4621171573f, -0.7615941560f, 1});
}

TEST(ElementwiseUnary, ReluFamily) {
  ExpectUnaryF32(Op::kRelu, {4}, {-1, 0, 2.5f, -0.1f}, {0, 0, 2.5f, 0});
  ExpectUnaryF32(Op::kRelu6, {5}, {-1, 3, 6, 7.5f, 0.5f}, {0, 3, 6, 6, 0.5f});
  AttrMap alpha;
  alpha.SetFloat("alpha", 0.2);
  ExpectUnaryF32(Op::kLeakyRelu, {4}, {-2, 0, 3, -0.5f}, {-0.4f, 0, 3, -0.1f}, alpha);
  // Schema default alpha = 0 when the attribute is absent.
  ExpectUnaryF32(Op::kLeakyRelu, {2}, {-2, 3}, {0, 3});
  // expm1(-1) = -0.6321205588, expm1(-3) = -0.9502129316.
  ExpectUnaryF32(Op::kElu, {4}, {-1, 0, 2, -3}, {-0.6321205588f, 0, 2, -0.9502129316f});
}

TEST(ElementwiseUnary, NanPassesThroughActivations) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (Op op : {Op::kRelu, Op::kRelu6, Op::kTanh, Op::kLogistic, Op::kElu, Op::kExp}) {
    std::vector<float> out = RunUnaryF32(op, {nan});
    ASSERT_EQ(out.size(), 1u) << OpName(op);
    EXPECT_TRUE(std::isnan(out[0])) << OpName(op);
  }
}

TEST(ElementwiseUnary, ShapesArePreserved) {
  OpRun scalar = RunOp(Op::kExp, {F32({}, {0})}, {DType::kFloat32});
  ASSERT_TRUE(scalar.status.ok()) << scalar.status.ToString();
  ExpectTensorNear(scalar.outputs[0], {}, {1});
  OpRun empty = RunOp(Op::kTanh, {F32({2, 0, 3}, {})}, {DType::kFloat32});
  ASSERT_TRUE(empty.status.ok()) << empty.status.ToString();
  EXPECT_EQ(empty.outputs[0].shape, (Shape{2, 0, 3}));
  const std::vector<float> in = testing::RandomFloats(2 * 3 * 4, 11, -4, 4);
  std::vector<float> expected;
  for (float x : in) expected.push_back(1.0f / (1.0f + std::exp(-x)));
  ExpectUnaryF32(Op::kLogistic, {2, 3, 4}, in, expected);
}

void ExpectFails(const OpRun& run, StatusCode code) {
  ASSERT_FALSE(run.status.ok());
  EXPECT_EQ(run.status.code(), code) << run.status.ToString();
}

TEST(ElementwiseUnary, Errors) {
  // Integer input to float-only ops.
  for (Op op : {Op::kSqrt, Op::kRsqrt, Op::kExp, Op::kLog, Op::kLogistic, Op::kTanh, Op::kRelu,
                Op::kRelu6, Op::kLeakyRelu, Op::kElu}) {
    ExpectFails(RunOp(op, {I32({1}, {1})}, {DType::kInt32}), StatusCode::kUnsupported);
  }
  ExpectFails(RunOp(Op::kAbs, {testing::Bool({1}, {1})}, {DType::kBool}), StatusCode::kUnsupported);
  // Output dtype differs from the input's.
  ExpectFails(RunOp(Op::kNeg, {F32({1}, {1})}, {DType::kInt32}), StatusCode::kInvalidArgument);
  ExpectFails(RunOp(Op::kAbs, {I32({1}, {1})}, {DType::kInt64}), StatusCode::kInvalidArgument);
  // Arity.
  ExpectFails(RunOp(Op::kExp, {F32({1}, {1}), F32({1}, {1})}, {DType::kFloat32}),
              StatusCode::kInvalidArgument);
  ExpectFails(RunOp(Op::kTanh, {F32({1}, {1})}, {DType::kFloat32, DType::kFloat32}),
              StatusCode::kInvalidArgument);
  ExpectFails(RunOp(Op::kRelu, {testing::Absent()}, {DType::kFloat32}),
              StatusCode::kInvalidArgument);
  // Non-finite alpha.
  AttrMap alpha;
  alpha.SetFloat("alpha", std::numeric_limits<double>::infinity());
  ExpectFails(RunOp(Op::kLeakyRelu, {F32({1}, {1})}, {DType::kFloat32}, alpha),
              StatusCode::kInvalidArgument);
}

TEST(ElementwiseUnary, DynamicShapeResizedBeforeAllocate) {
  testing::GraphBuilder b;
  const int x = b.Input("x", DType::kFloat32, {1, 2}, {-1, 2});
  const int h = b.Tensor("h", DType::kFloat32);
  const int y = b.Tensor("y", DType::kFloat32);
  b.Output(y);
  b.AddNode(Op::kAbs, {x}, {h});
  b.AddNode(Op::kSqrt, {h}, {y});
  auto model = b.Build();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter interp(*model);
  ASSERT_TRUE(interp.ResizeInputTensor(x, {3, 2}).ok());
  Status st = interp.AllocateTensors();
  ASSERT_TRUE(st.ok()) << st.ToString();
  const std::vector<float> in{-4, 9, 0.25f, -16, 1, -2.25f};
  std::copy(in.begin(), in.end(), interp.tensor(x)->data_as<float>());
  st = interp.Invoke();
  ASSERT_TRUE(st.ok()) << st.ToString();
  const Tensor* out = interp.tensor(y);
  ASSERT_EQ(out->shape, (Shape{3, 2}));
  const float* o = out->data_as<float>();
  EXPECT_EQ(std::vector<float>(o, o + 6), (std::vector<float>{2, 3, 0.5f, 4, 1, 1.5f}));
}

}  // namespace
}  // namespace rnnlite
