// SOFTMAX, LOG_SOFTMAX, MEAN, SUM, REDUCE_MAX and ARG_MAX reference
// kernels: hand-computed values, keep_dims, negative and duplicate axes,
// runtime (non-constant) axis tensors, and bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "support/test_util.h"

namespace rnnlite {
namespace {

using testing::ConstI32;
using testing::ConstI64;
using testing::ExpectTensorNear;
using testing::F32;
using testing::I32;
using testing::I64;
using testing::RandomFloats;
using testing::RunOp;

AttrMap Beta(double beta) {
  AttrMap a;
  a.SetFloat("beta", beta);
  return a;
}

AttrMap KeepDims(bool keep) {
  AttrMap a;
  a.SetInt("keep_dims", keep ? 1 : 0);
  return a;
}

// softmax([1,2,3]) = [e^-2, e^-1, 1] / (e^-2 + e^-1 + 1)
const std::vector<float> kSoftmax123 = {0.09003057f, 0.24472847f, 0.66524096f};

TEST(Softmax, HandComputedRowsAndBeta) {
  auto r = RunOp(Op::kSoftmax, {F32({2, 3}, {1, 2, 3, 2, 4, 6})}, {DType::kFloat32}, Beta(1.0));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  // Row 2 with beta 1 is softmax([2,4,6]); check beta instead on its own.
  std::vector<float> expected = kSoftmax123;
  const float e2 = std::exp(-4.0f), e1 = std::exp(-2.0f), s = e2 + e1 + 1.0f;
  expected.insert(expected.end(), {e2 / s, e1 / s, 1.0f / s});
  ExpectTensorNear(r.outputs[0], {2, 3}, expected, 1e-6f, 1e-5f);

  // beta 0.5 on [2,4,6] equals softmax([1,2,3]).
  auto rb = RunOp(Op::kSoftmax, {F32({1, 1, 3}, {2, 4, 6})}, {DType::kFloat32}, Beta(0.5));
  ASSERT_TRUE(rb.status.ok()) << rb.status.ToString();
  ExpectTensorNear(rb.outputs[0], {1, 1, 3}, kSoftmax123, 1e-6f, 1e-5f);

  // A negative beta favours the smallest logit; huge logits must not overflow.
  auto rn = RunOp(Op::kSoftmax, {F32({3}, {-3, -2, -1})}, {DType::kFloat32}, Beta(-1.0));
  ASSERT_TRUE(rn.status.ok()) << rn.status.ToString();
  ExpectTensorNear(rn.outputs[0], {3}, {kSoftmax123[2], kSoftmax123[1], kSoftmax123[0]}, 1e-6f, 1e-5f);
  auto big = RunOp(Op::kSoftmax, {F32({2}, {1000.0f, 1000.0f})}, {DType::kFloat32}, Beta(1.0));
  ASSERT_TRUE(big.status.ok());
  ExpectTensorNear(big.outputs[0], {2}, {0.5f, 0.5f});
}

TEST(Softmax, RowsSumToOneOnRandomData) {
  auto x = RandomFloats(4 * 9, 7, -5, 5);
  auto r = RunOp(Op::kSoftmax, {F32({4, 9}, x)}, {DType::kFloat32}, Beta(1.7));
  ASSERT_TRUE(r.status.ok());
  auto y = r.outputs[0].values<float>();
  for (int row = 0; row < 4; ++row) {
    double sum = 0, denom = 0;
    for (int i = 0; i < 9; ++i) denom += std::exp(1.7 * x[row * 9 + i]);
    for (int i = 0; i < 9; ++i) {
      sum += y[row * 9 + i];
      EXPECT_NEAR(y[row * 9 + i], std::exp(1.7 * x[row * 9 + i]) / denom, 1e-6);
    }
    EXPECT_NEAR(sum, 1.0, 1e-5);
  }
}

TEST(LogSoftmax, HandComputed) {
  // log_softmax([1,2,3]) = x - 3 - log(1 + e^-1 + e^-2) = x - 3.40760596
  auto r = RunOp(Op::kLogSoftmax, {F32({2, 3}, {1, 2, 3, -1000, 0, -1000})}, {DType::kFloat32});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectTensorNear(r.outputs[0], {2, 3}, {-2.40760596f, -1.40760596f, -0.40760596f, -1000, 0, -1000}, 1e-5f, 1e-6f);
}

TEST(Softmax, RejectsBadInput) {
  EXPECT_FALSE(RunOp(Op::kSoftmax, {F32({}, {1})}, {DType::kFloat32}, Beta(1)).status.ok());
  EXPECT_FALSE(RunOp(Op::kSoftmax, {F32({3}, {1, 2, 3})}, {DType::kInt32}, Beta(1)).status.ok());
  EXPECT_EQ(RunOp(Op::kSoftmax, {I32({3}, {1, 2, 3})}, {DType::kInt32}, Beta(1)).status.code(),
            StatusCode::kUnsupported);
  EXPECT_FALSE(RunOp(Op::kLogSoftmax, {F32({3}, {1, 2, 3}), F32({3}, {1, 2, 3})}, {DType::kFloat32}).status.ok());
}

// ---------------------------------------------------------------------------
// Reductions on [[1,2,3],[4,5,6]].

const std::vector<float> k23 = {1, 2, 3, 4, 5, 6};

TEST(Reduce, SumAxesKeepDimsNegativeAndDuplicates) {
  auto r = RunOp(Op::kSum, {F32({2, 3}, k23), ConstI32({1}, {1})}, {DType::kFloat32});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectTensorNear(r.outputs[0], {2}, {6, 15});

  auto keep = RunOp(Op::kSum, {F32({2, 3}, k23), ConstI32({1}, {1})}, {DType::kFloat32}, KeepDims(true));
  ASSERT_TRUE(keep.status.ok());
  ExpectTensorNear(keep.outputs[0], {2, 1}, {6, 15});

  // -1 and 1 name the same axis: reduced once.
  auto dup = RunOp(Op::kSum, {F32({2, 3}, k23), ConstI32({2}, {-1, 1})}, {DType::kFloat32});
  ASSERT_TRUE(dup.status.ok());
  ExpectTensorNear(dup.outputs[0], {2}, {6, 15});

  auto axis0 = RunOp(Op::kSum, {F32({2, 3}, k23), ConstI64({}, {-2})}, {DType::kFloat32});
  ASSERT_TRUE(axis0.status.ok()) << axis0.status.ToString();
  ExpectTensorNear(axis0.outputs[0], {3}, {5, 7, 9});

  auto all = RunOp(Op::kSum, {F32({2, 3}, k23), ConstI32({2}, {1, 0})}, {DType::kFloat32});
  ASSERT_TRUE(all.status.ok());
  ExpectTensorNear(all.outputs[0], {}, {21});
  auto all_keep = RunOp(Op::kSum, {F32({2, 3}, k23), ConstI32({2}, {0, 1})}, {DType::kFloat32}, KeepDims(true));
  ASSERT_TRUE(all_keep.status.ok());
  ExpectTensorNear(all_keep.outputs[0], {1, 1}, {21});

  // An empty axis list reduces nothing.
  auto none = RunOp(Op::kSum, {F32({2, 3}, k23), ConstI32({0}, {})}, {DType::kFloat32});
  ASSERT_TRUE(none.status.ok()) << none.status.ToString();
  ExpectTensorNear(none.outputs[0], {2, 3}, k23);
}

TEST(Reduce, MeanAndMax) {
  auto mean = RunOp(Op::kMean, {F32({2, 3}, k23), ConstI32({1}, {-1})}, {DType::kFloat32});
  ASSERT_TRUE(mean.status.ok()) << mean.status.ToString();
  ExpectTensorNear(mean.outputs[0], {2}, {2, 5});
  auto mean_all = RunOp(Op::kMean, {F32({2, 3}, k23), ConstI32({2}, {0, -1})}, {DType::kFloat32}, KeepDims(true));
  ASSERT_TRUE(mean_all.status.ok());
  ExpectTensorNear(mean_all.outputs[0], {1, 1}, {3.5f});

  auto max = RunOp(Op::kReduceMax, {F32({2, 3}, {1, 5, 3, 4, 2, 6}), ConstI32({1}, {0})}, {DType::kFloat32});
  ASSERT_TRUE(max.status.ok());
  ExpectTensorNear(max.outputs[0], {3}, {4, 5, 6});
  auto max_keep = RunOp(Op::kReduceMax, {F32({2, 3}, {-1, -5, -3, -4, -2, -6}), ConstI32({1}, {1})},
                        {DType::kFloat32}, KeepDims(true));
  ASSERT_TRUE(max_keep.status.ok());
  ExpectTensorNear(max_keep.outputs[0], {2, 1}, {-1, -2});
}

TEST(Reduce, IntegerSumAndMax) {
  auto sum = RunOp(Op::kSum, {I32({2, 3}, {1, -2, 3, 4, 5, -6}), ConstI32({1}, {1})}, {DType::kInt32});
  ASSERT_TRUE(sum.status.ok()) << sum.status.ToString();
  EXPECT_EQ(sum.outputs[0].shape, (Shape{2}));
  EXPECT_EQ(sum.outputs[0].values<int32_t>(), (std::vector<int32_t>{2, 3}));

  const int64_t big = int64_t{1} << 40;
  auto max = RunOp(Op::kReduceMax, {I64({2, 2}, {big, -big, 3, -7}), ConstI32({1}, {0})}, {DType::kInt64},
                   KeepDims(true));
  ASSERT_TRUE(max.status.ok()) << max.status.ToString();
  EXPECT_EQ(max.outputs[0].shape, (Shape{1, 2}));
  EXPECT_EQ(max.outputs[0].values<int64_t>(), (std::vector<int64_t>{big, -7}));

  auto sum64 = RunOp(Op::kSum, {I64({3}, {big, big, 5}), ConstI32({1}, {0})}, {DType::kInt64});
  ASSERT_TRUE(sum64.status.ok());
  EXPECT_EQ(sum64.outputs[0].values<int64_t>(), (std::vector<int64_t>{2 * big + 5}));
}

// [2, 3, 4] reduced over axes {0, 2}, against a direct loop.
TEST(Reduce, ThreeDimsAgainstNaiveLoop) {
  auto x = RandomFloats(24, 31);
  auto sum = RunOp(Op::kSum, {F32({2, 3, 4}, x), ConstI32({2}, {2, -3})}, {DType::kFloat32}, KeepDims(true));
  auto max = RunOp(Op::kReduceMax, {F32({2, 3, 4}, x), ConstI32({2}, {0, 2})}, {DType::kFloat32});
  auto mean = RunOp(Op::kMean, {F32({2, 3, 4}, x), ConstI32({2}, {0, 2})}, {DType::kFloat32});
  ASSERT_TRUE(sum.status.ok() && max.status.ok() && mean.status.ok());
  std::vector<float> es(3, 0), em(3, -1e30f), emean(3);
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 3; ++b)
      for (int c = 0; c < 4; ++c) {
        float v = x[(a * 3 + b) * 4 + c];
        es[b] += v;
        em[b] = std::max(em[b], v);
      }
  for (int b = 0; b < 3; ++b) emean[b] = es[b] / 8;
  ExpectTensorNear(sum.outputs[0], {1, 3, 1}, es);
  ExpectTensorNear(max.outputs[0], {3}, em);
  ExpectTensorNear(mean.outputs[0], {3}, emean);
}

TEST(Reduce, ScalarInputIsReturnedAsIs) {
  // TFLite short-circuits scalars: the axis list is not consulted.
  auto r = RunOp(Op::kSum, {F32({}, {4.5f}), ConstI32({1}, {0})}, {DType::kFloat32});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectTensorNear(r.outputs[0], {}, {4.5f});
}

TEST(Reduce, RuntimeAxisMakesADynamicOutput) {
  // The axis is a graph input here, so the output shape is found in Invoke.
  auto r = RunOp(Op::kSum, {F32({2, 3}, k23), I32({1}, {-1})}, {DType::kFloat32}, KeepDims(true));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectTensorNear(r.outputs[0], {2, 1}, {6, 15});
  auto bad = RunOp(Op::kSum, {F32({2, 3}, k23), I32({1}, {2})}, {DType::kFloat32});
  EXPECT_EQ(bad.status.code(), StatusCode::kInvalidArgument) << bad.status.ToString();
}

TEST(Reduce, RejectsBadInput) {
  // Axis out of range (constant: caught in AllocateTensors).
  EXPECT_FALSE(RunOp(Op::kSum, {F32({2, 3}, k23), ConstI32({1}, {2})}, {DType::kFloat32}).status.ok());
  EXPECT_FALSE(RunOp(Op::kMean, {F32({2, 3}, k23), ConstI32({1}, {-3})}, {DType::kFloat32}).status.ok());
  // Float axis tensor.
  EXPECT_FALSE(RunOp(Op::kSum, {F32({2, 3}, k23), testing::ConstF32({1}, {1})}, {DType::kFloat32}).status.ok());
  // 2-D axis tensor.
  EXPECT_FALSE(RunOp(Op::kSum, {F32({2, 3}, k23), ConstI32({1, 1}, {1})}, {DType::kFloat32}).status.ok());
  // Output dtype differs from input dtype.
  EXPECT_FALSE(RunOp(Op::kSum, {F32({2, 3}, k23), ConstI32({1}, {1})}, {DType::kInt32}).status.ok());
  // MEAN of integers is not supported (TFLite's integer mean is quantized).
  EXPECT_EQ(RunOp(Op::kMean, {I32({2}, {1, 2}), ConstI32({1}, {0})}, {DType::kInt32}).status.code(),
            StatusCode::kUnsupported);
  // Missing axis input.
  EXPECT_FALSE(RunOp(Op::kSum, {F32({2, 3}, k23)}, {DType::kFloat32}).status.ok());
}

// ---------------------------------------------------------------------------

TEST(ArgMax, AxesAndOutputTypes) {
  const auto x = F32({2, 3}, {1, 5, 3, 4, 2, 6});
  auto last = RunOp(Op::kArgMax, {x, ConstI32({1}, {1})}, {DType::kInt32});
  ASSERT_TRUE(last.status.ok()) << last.status.ToString();
  EXPECT_EQ(last.outputs[0].shape, (Shape{2}));
  EXPECT_EQ(last.outputs[0].values<int32_t>(), (std::vector<int32_t>{1, 2}));

  AttrMap as64;
  as64.SetInt("output_type", static_cast<int64_t>(DType::kInt64));
  auto first = RunOp(Op::kArgMax, {x, ConstI64({}, {-2})}, {DType::kInt64}, as64);
  ASSERT_TRUE(first.status.ok()) << first.status.ToString();
  EXPECT_EQ(first.outputs[0].shape, (Shape{3}));
  EXPECT_EQ(first.outputs[0].values<int64_t>(), (std::vector<int64_t>{1, 0, 1}));

  // Ties pick the first maximum; integer input.
  auto ties = RunOp(Op::kArgMax, {I32({1, 4}, {7, 9, 9, 2}), ConstI32({1}, {-1})}, {DType::kInt32});
  ASSERT_TRUE(ties.status.ok()) << ties.status.ToString();
  EXPECT_EQ(ties.outputs[0].values<int32_t>(), (std::vector<int32_t>{1}));

  // 3-D, middle axis, runtime axis input (dynamic output).
  auto mid = RunOp(Op::kArgMax, {F32({2, 3, 2}, {0, 9, 5, 1, 2, 3, 8, 0, 8, 1, 9, 1}), I32({}, {1})}, {DType::kInt64});
  ASSERT_TRUE(mid.status.ok()) << mid.status.ToString();
  EXPECT_EQ(mid.outputs[0].shape, (Shape{2, 2}));
  EXPECT_EQ(mid.outputs[0].values<int64_t>(), (std::vector<int64_t>{1, 0, 2, 1}));
}

TEST(ArgMax, RejectsBadInput) {
  const auto x = F32({2, 3}, {1, 5, 3, 4, 2, 6});
  // Float output.
  EXPECT_FALSE(RunOp(Op::kArgMax, {x, ConstI32({1}, {1})}, {DType::kFloat32}).status.ok());
  // output_type attribute disagrees with the output tensor.
  AttrMap as64;
  as64.SetInt("output_type", static_cast<int64_t>(DType::kInt64));
  EXPECT_FALSE(RunOp(Op::kArgMax, {x, ConstI32({1}, {1})}, {DType::kInt32}, as64).status.ok());
  // Two axis values; axis out of range; scalar input.
  EXPECT_FALSE(RunOp(Op::kArgMax, {x, ConstI32({2}, {0, 1})}, {DType::kInt32}).status.ok());
  EXPECT_FALSE(RunOp(Op::kArgMax, {x, ConstI32({1}, {2})}, {DType::kInt32}).status.ok());
  EXPECT_FALSE(RunOp(Op::kArgMax, {F32({}, {1}), ConstI32({1}, {0})}, {DType::kInt32}).status.ok());
  // Runtime axis out of range is caught in Invoke.
  EXPECT_FALSE(RunOp(Op::kArgMax, {x, I32({1}, {-3})}, {DType::kInt32}).status.ok());
}

}  // namespace
}  // namespace rnnlite
