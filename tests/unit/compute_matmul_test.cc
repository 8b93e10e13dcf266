// FULLY_CONNECTED and BATCH_MATMUL reference kernels: hand-computed values,
// a naive independent loop on seeded random data, dynamic batch, bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "support/test_util.h"

namespace rnnlite {
namespace {

using testing::Absent;
using testing::ConstF32;
using testing::ExpectTensorNear;
using testing::F32;
using testing::MakeTensor;
using testing::RandomFloats;
using testing::RunOp;

AttrMap Attrs(std::initializer_list<std::pair<const char*, int64_t>> ints) {
  AttrMap a;
  for (auto& [k, v] : ints) a.SetInt(k, v);
  return a;
}

// input rows [1,2,3], [4,5,6]; weights rows [1,0,-1], [.5,.5,.5]; bias [1,-1]
//   row 0: 1-3+1 = -1, 3-1 = 2      row 1: 4-6+1 = -1, 7.5-1 = 6.5
const std::vector<float> kFcIn = {1, 2, 3, 4, 5, 6};
const std::vector<float> kFcW = {1, 0, -1, 0.5f, 0.5f, 0.5f};
const std::vector<float> kFcB = {1, -1};

TEST(FullyConnected, HandComputedWithBias) {
  auto r = RunOp(Op::kFullyConnected, {F32({2, 3}, kFcIn), ConstF32({2, 3}, kFcW), ConstF32({2}, kFcB)},
                 {DType::kFloat32});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectTensorNear(r.outputs[0], {2, 2}, {-1, 2, -1, 6.5f});
}

TEST(FullyConnected, AbsentBiasAndNonConstantWeights) {
  auto r = RunOp(Op::kFullyConnected, {F32({2, 3}, kFcIn), F32({2, 3}, kFcW), Absent()}, {DType::kFloat32});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectTensorNear(r.outputs[0], {2, 2}, {-2, 3, -2, 7.5f});
  // Two inputs only (no bias slot at all) is accepted too.
  auto r2 = RunOp(Op::kFullyConnected, {F32({2, 3}, kFcIn), ConstF32({2, 3}, kFcW)}, {DType::kFloat32});
  ASSERT_TRUE(r2.status.ok()) << r2.status.ToString();
  ExpectTensorNear(r2.outputs[0], {2, 2}, {-2, 3, -2, 7.5f});
}

TEST(FullyConnected, FusedActivations) {
  struct Case {
    int64_t act;
    std::vector<float> expected;
  };
  // Pre-activation values: -1, 2, -1, 6.5.
  const Case cases[] = {
      {1, {0, 2, 0, 6.5f}},                                               // RELU
      {2, {-1, 1, -1, 1}},                                                // RELU_N1_TO_1
      {3, {0, 2, 0, 6}},                                                  // RELU6
      {4, {std::tanh(-1.0f), std::tanh(2.0f), std::tanh(-1.0f), std::tanh(6.5f)}},  // TANH
  };
  for (const Case& c : cases) {
    auto r = RunOp(Op::kFullyConnected, {F32({2, 3}, kFcIn), ConstF32({2, 3}, kFcW), ConstF32({2}, kFcB)},
                   {DType::kFloat32}, Attrs({{"fused_activation_function", c.act}}));
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    ExpectTensorNear(r.outputs[0], {2, 2}, c.expected);
  }
}

TEST(FullyConnected, FlattensLeadingDimsOrKeepsThem) {
  // [1, 2, 3] without keep_num_dims: 2 rows of 3 features -> [2, 2].
  auto flat = RunOp(Op::kFullyConnected, {F32({1, 2, 3}, kFcIn), ConstF32({2, 3}, kFcW), ConstF32({2}, kFcB)},
                    {DType::kFloat32});
  ASSERT_TRUE(flat.status.ok()) << flat.status.ToString();
  ExpectTensorNear(flat.outputs[0], {2, 2}, {-1, 2, -1, 6.5f});

  auto kept = RunOp(Op::kFullyConnected, {F32({1, 2, 3}, kFcIn), ConstF32({2, 3}, kFcW), ConstF32({2}, kFcB)},
                    {DType::kFloat32}, Attrs({{"keep_num_dims", 1}}));
  ASSERT_TRUE(kept.status.ok()) << kept.status.ToString();
  ExpectTensorNear(kept.outputs[0], {1, 2, 2}, {-1, 2, -1, 6.5f});

  // TFLite reads any input as rows of `in` features, even across dims:
  // [3, 2] holds 6 values = 2 rows of 3.
  auto odd = RunOp(Op::kFullyConnected, {F32({3, 2}, kFcIn), ConstF32({2, 3}, kFcW), ConstF32({2}, kFcB)},
                   {DType::kFloat32});
  ASSERT_TRUE(odd.status.ok()) << odd.status.ToString();
  ExpectTensorNear(odd.outputs[0], {2, 2}, {-1, 2, -1, 6.5f});
}

TEST(FullyConnected, RandomAgainstNaiveLoop) {
  const int batch = 5, in = 7, units = 4;
  auto x = RandomFloats(batch * in, 11);
  auto w = RandomFloats(units * in, 12);
  auto b = RandomFloats(units, 13);
  auto r = RunOp(Op::kFullyConnected, {F32({batch, in}, x), ConstF32({units, in}, w), ConstF32({units}, b)},
                 {DType::kFloat32});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  std::vector<float> expected(batch * units);
  for (int n = 0; n < batch; ++n) {
    for (int u = 0; u < units; ++u) {
      double acc = b[u];
      for (int k = 0; k < in; ++k) acc += double(x[n * in + k]) * w[u * in + k];
      expected[n * units + u] = float(acc);
    }
  }
  ExpectTensorNear(r.outputs[0], {batch, units}, expected, 1e-5f, 1e-5f);
}

TEST(FullyConnected, RejectsBadInput) {
  // Feature count mismatch: 6 values are not whole rows of 4.
  auto bad_in = RunOp(Op::kFullyConnected, {F32({2, 3}, kFcIn), ConstF32({2, 4}, RandomFloats(8, 1))},
                      {DType::kFloat32});
  EXPECT_EQ(bad_in.status.code(), StatusCode::kInvalidArgument) << bad_in.status.ToString();
  // keep_num_dims needs the last dim to match even when the count divides.
  auto bad_keep = RunOp(Op::kFullyConnected, {F32({3, 2}, kFcIn), ConstF32({2, 3}, kFcW)}, {DType::kFloat32},
                        Attrs({{"keep_num_dims", 1}}));
  EXPECT_FALSE(bad_keep.status.ok());
  // Bias size must equal the number of units.
  auto bad_bias = RunOp(Op::kFullyConnected, {F32({2, 3}, kFcIn), ConstF32({2, 3}, kFcW), ConstF32({3}, {1, 2, 3})},
                        {DType::kFloat32});
  EXPECT_FALSE(bad_bias.status.ok());
  // Weights must be 2-D.
  auto bad_rank = RunOp(Op::kFullyConnected, {F32({2, 3}, kFcIn), ConstF32({1, 2, 3}, kFcW)}, {DType::kFloat32});
  EXPECT_FALSE(bad_rank.status.ok());
  // Bad activation enum.
  auto bad_act = RunOp(Op::kFullyConnected, {F32({2, 3}, kFcIn), ConstF32({2, 3}, kFcW)}, {DType::kFloat32},
                       Attrs({{"fused_activation_function", 9}}));
  EXPECT_FALSE(bad_act.status.ok());
  // Wrong output dtype.
  auto bad_out = RunOp(Op::kFullyConnected, {F32({2, 3}, kFcIn), ConstF32({2, 3}, kFcW)}, {DType::kInt32});
  EXPECT_FALSE(bad_out.status.ok());
}

TEST(FullyConnected, UnsupportedFormatsAreUnsupported) {
  auto shuffled = RunOp(Op::kFullyConnected, {F32({2, 3}, kFcIn), ConstF32({2, 3}, kFcW)}, {DType::kFloat32},
                        Attrs({{"weights_format", 1}}));
  EXPECT_EQ(shuffled.status.code(), StatusCode::kUnsupported) << shuffled.status.ToString();
  EXPECT_NE(shuffled.status.message().find("weights_format"), std::string::npos);

  auto int8_w = MakeTensor<int8_t>(DType::kInt8, {2, 3}, {1, 0, -1, 2, 2, 2}, /*constant=*/true);
  auto hybrid = RunOp(Op::kFullyConnected, {F32({2, 3}, kFcIn), int8_w}, {DType::kFloat32});
  EXPECT_EQ(hybrid.status.code(), StatusCode::kUnsupported) << hybrid.status.ToString();
  EXPECT_NE(hybrid.status.message().find("quantized"), std::string::npos);
}

// ---------------------------------------------------------------------------

// lhs [[1,2,3],[4,5,6]] x rhs [[7,8],[9,10],[11,12]] = [[58,64],[139,154]].
TEST(BatchMatmul, HandComputed2D) {
  auto r = RunOp(Op::kBatchMatmul, {F32({2, 3}, {1, 2, 3, 4, 5, 6}), F32({3, 2}, {7, 8, 9, 10, 11, 12})},
                 {DType::kFloat32});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectTensorNear(r.outputs[0], {2, 2}, {58, 64, 139, 154});
}

TEST(BatchMatmul, AdjointFlagsReadTransposedOperands) {
  // Same product, operands stored transposed.
  AttrMap adj;
  adj.SetInt("adj_x", 1);
  adj.SetInt("adj_y", 1);
  auto r = RunOp(Op::kBatchMatmul, {F32({3, 2}, {1, 4, 2, 5, 3, 6}), F32({2, 3}, {7, 9, 11, 8, 10, 12})},
                 {DType::kFloat32}, adj);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectTensorNear(r.outputs[0], {2, 2}, {58, 64, 139, 154});

  AttrMap only_y;
  only_y.SetInt("adj_y", 1);
  auto ry = RunOp(Op::kBatchMatmul, {F32({2, 3}, {1, 2, 3, 4, 5, 6}), ConstF32({2, 3}, {7, 9, 11, 8, 10, 12})},
                  {DType::kFloat32}, only_y);
  ASSERT_TRUE(ry.status.ok()) << ry.status.ToString();
  ExpectTensorNear(ry.outputs[0], {2, 2}, {58, 64, 139, 154});
}

// Naive product with explicit broadcasting of the batch dims, for shapes
// lhs [A, 1, M, K] and rhs [B, K, N] -> out [A, B, M, N].
TEST(BatchMatmul, BroadcastBatchDimsAgainstNaiveLoop) {
  const int A = 2, B = 3, M = 2, K = 4, N = 3;
  auto lhs = RandomFloats(A * M * K, 21);
  auto rhs = RandomFloats(B * K * N, 22);
  auto r = RunOp(Op::kBatchMatmul, {F32({A, 1, M, K}, lhs), F32({B, K, N}, rhs)}, {DType::kFloat32});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  std::vector<float> expected;
  for (int a = 0; a < A; ++a) {
    for (int b = 0; b < B; ++b) {
      for (int i = 0; i < M; ++i) {
        for (int j = 0; j < N; ++j) {
          double acc = 0;
          for (int k = 0; k < K; ++k) acc += double(lhs[(a * M + i) * K + k]) * rhs[(b * K + k) * N + j];
          expected.push_back(float(acc));
        }
      }
    }
  }
  ExpectTensorNear(r.outputs[0], {A, B, M, N}, expected);

  // Broadcast the other way round, with adj_x: lhs [K, M] shared by 3 rhs.
  auto lhs_t = RandomFloats(K * M, 23);
  AttrMap adj;
  adj.SetInt("adj_x", 1);
  auto r2 = RunOp(Op::kBatchMatmul, {F32({K, M}, lhs_t), F32({B, K, N}, rhs)}, {DType::kFloat32}, adj);
  ASSERT_TRUE(r2.status.ok()) << r2.status.ToString();
  std::vector<float> expected2;
  for (int b = 0; b < B; ++b) {
    for (int i = 0; i < M; ++i) {
      for (int j = 0; j < N; ++j) {
        double acc = 0;
        for (int k = 0; k < K; ++k) acc += double(lhs_t[k * M + i]) * rhs[(b * K + k) * N + j];
        expected2.push_back(float(acc));
      }
    }
  }
  ExpectTensorNear(r2.outputs[0], {B, M, N}, expected2);
}

TEST(BatchMatmul, RejectsBadShapes) {
  auto inner = RunOp(Op::kBatchMatmul, {F32({2, 3}, RandomFloats(6, 1)), F32({2, 2}, RandomFloats(4, 2))},
                     {DType::kFloat32});
  EXPECT_EQ(inner.status.code(), StatusCode::kInvalidArgument) << inner.status.ToString();
  auto batch = RunOp(Op::kBatchMatmul, {F32({2, 2, 2}, RandomFloats(8, 1)), F32({3, 2, 2}, RandomFloats(12, 2))},
                     {DType::kFloat32});
  EXPECT_FALSE(batch.status.ok());
  auto rank1 = RunOp(Op::kBatchMatmul, {F32({3}, RandomFloats(3, 1)), F32({3, 2}, RandomFloats(6, 2))},
                     {DType::kFloat32});
  EXPECT_FALSE(rank1.status.ok());
  auto one_input = RunOp(Op::kBatchMatmul, {F32({2, 2}, RandomFloats(4, 1))}, {DType::kFloat32});
  EXPECT_FALSE(one_input.status.ok());
}

// A graph input whose batch dim is dynamic (-1 in shape_signature), resized
// after loading: FULLY_CONNECTED -> SOFTMAX -> ARG_MAX must follow the new
// batch through shape propagation.
TEST(FullyConnected, DynamicBatchThroughResizeInputTensor) {
  testing::GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, {1, 3}, {-1, 3});
  int w = b.Constant("w", ConstF32({2, 3}, kFcW));
  int bias = b.Constant("b", ConstF32({2}, kFcB));
  int logits = b.Tensor("logits", DType::kFloat32);
  int probs = b.Tensor("probs", DType::kFloat32);
  int axis = b.Constant("axis", testing::ConstI32({}, {-1}));
  int best = b.Tensor("best", DType::kInt64);
  b.AddNode(Op::kFullyConnected, {x, w, bias}, {logits});
  AttrMap sm;
  sm.SetFloat("beta", 1.0);
  b.AddNode(Op::kSoftmax, {logits}, {probs}, sm);
  b.AddNode(Op::kArgMax, {probs, axis}, {best});
  b.Output(logits);
  b.Output(best);
  auto model = b.Build();
  ASSERT_TRUE(model.ok()) << model.status().ToString();

  Interpreter interp(*model);
  ASSERT_TRUE(interp.ResizeInputTensor(x, {3, 3}).ok());
  ASSERT_TRUE(interp.AllocateTensors().ok());
  const std::vector<float> in = {1, 2, 3, 4, 5, 6, -3, 0, 0};
  std::copy(in.begin(), in.end(), interp.tensor(x)->data_as<float>());
  Status s = interp.Invoke();
  ASSERT_TRUE(s.ok()) << s.ToString();
  // Row 2: [-3+0+1, -1.5-1] = [-2, -2.5].
  const Tensor* lt = interp.tensor(logits);
  ASSERT_EQ(lt->shape, (Shape{3, 2}));
  const float* lp = lt->data_as<float>();
  ExpectTensorNear(F32(lt->shape, std::vector<float>(lp, lp + 6)), {3, 2}, {-1, 2, -1, 6.5f, -2, -2.5f});
  ASSERT_EQ(interp.tensor(best)->shape, (Shape{3}));
  const int64_t* bp = interp.tensor(best)->data_as<int64_t>();
  EXPECT_EQ(std::vector<int64_t>(bp, bp + 3), (std::vector<int64_t>{1, 1, 0}));

  // Shrink again; the static dim may not change.
  ASSERT_TRUE(interp.ResizeInputTensor(x, {1, 3}).ok());
  ASSERT_TRUE(interp.AllocateTensors().ok());
  EXPECT_EQ(interp.tensor(logits)->shape, (Shape{1, 2}));
  EXPECT_FALSE(interp.ResizeInputTensor(x, {1, 4}).ok());
}

}  // namespace
}  // namespace rnnlite
