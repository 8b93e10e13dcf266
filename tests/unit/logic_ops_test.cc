// Comparisons, logical ops, SELECT / SELECT_V2, REDUCE_ANY / REDUCE_ALL /
// REDUCE_MIN and REVERSE_SEQUENCE (the small ops of TF-converted loops):
// values against expectations computed here from seeded random inputs,
// broadcasting, NaN, the TF1 row-select form, and errors.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "support/test_util.h"

namespace rnnlite {
namespace {

using testing::Bool;
using testing::ConstI32;
using testing::ExpectError;
using testing::F32;
using testing::I32;
using testing::I64;
using testing::OpRun;
using testing::RandomFloats;
using testing::RunOp;

std::vector<uint8_t> BoolsOf(const OpRun& run) { return run.outputs.at(0).values<uint8_t>(); }

TEST(LogicOps, ComparisonsBroadcastOverFloat) {
  const std::vector<float> a = RandomFloats(6, 1);  // [2, 3]
  const std::vector<float> b = RandomFloats(3, 2);  // [3]
  const std::pair<Op, bool (*)(float, float)> cases[] = {
      {Op::kLess, [](float x, float y) { return x < y; }},
      {Op::kLessEqual, [](float x, float y) { return x <= y; }},
      {Op::kGreater, [](float x, float y) { return x > y; }},
      {Op::kGreaterEqual, [](float x, float y) { return x >= y; }},
      {Op::kEqual, [](float x, float y) { return x == y; }},
      {Op::kNotEqual, [](float x, float y) { return x != y; }}};
  for (const auto& [op, fn] : cases) {
    // Make one pair equal so EQUAL and the *_EQUAL ops see a tie.
    std::vector<float> a2 = a;
    a2[4] = b[1];
    OpRun run = RunOp(op, {F32({2, 3}, a2), F32({3}, b)}, {DType::kBool});
    ASSERT_TRUE(run.status.ok()) << run.status.ToString();
    ASSERT_EQ(run.outputs[0].shape, (Shape{2, 3}));
    const std::vector<uint8_t> got = BoolsOf(run);
    for (int i = 0; i < 6; ++i) EXPECT_EQ(got[i], fn(a2[i], b[i % 3]) ? 1 : 0) << OpName(op) << " " << i;
  }
}

TEST(LogicOps, ComparisonsOnIntegersAndNaN) {
  OpRun run = RunOp(Op::kLess, {I32({4}, {-3, 0, 7, 2}), I32({}, {2})}, {DType::kBool});
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  EXPECT_EQ(BoolsOf(run), (std::vector<uint8_t>{1, 1, 0, 0}));
  run = RunOp(Op::kGreaterEqual, {I64({3}, {5, -1, 9}), I64({3}, {5, 0, 2})}, {DType::kBool});
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  EXPECT_EQ(BoolsOf(run), (std::vector<uint8_t>{1, 0, 1}));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  run = RunOp(Op::kNotEqual, {F32({2}, {nan, 1.5f}), F32({2}, {nan, 1.5f})}, {DType::kBool});
  ASSERT_TRUE(run.status.ok());
  EXPECT_EQ(BoolsOf(run), (std::vector<uint8_t>{1, 0}));
  run = RunOp(Op::kEqual, {Bool({2}, {1, 0}), Bool({2}, {1, 1})}, {DType::kBool});
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  EXPECT_EQ(BoolsOf(run), (std::vector<uint8_t>{1, 0}));
}

TEST(LogicOps, ComparisonErrors) {
  ExpectError(RunOp(Op::kLess, {F32({2}, {1, 2}), I32({2}, {1, 2})}, {DType::kBool}), "different dtypes");
  ExpectError(RunOp(Op::kLess, {F32({2}, {1, 2}), F32({3}, {1, 2, 3})}, {DType::kBool}), "cannot be broadcast");
  ExpectError(RunOp(Op::kLess, {Bool({1}, {1}), Bool({1}, {0})}, {DType::kBool}), "comparison of bool");
  ExpectError(RunOp(Op::kLess, {F32({1}, {1}), F32({1}, {2})}, {DType::kFloat32}), "output must be bool");
}

TEST(LogicOps, LogicalOps) {
  OpRun run = RunOp(Op::kLogicalAnd, {Bool({2, 2}, {1, 0, 1, 1}), Bool({2}, {1, 0})}, {DType::kBool});
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  EXPECT_EQ(BoolsOf(run), (std::vector<uint8_t>{1, 0, 1, 0}));
  run = RunOp(Op::kLogicalOr, {Bool({3}, {0, 0, 1}), Bool({3}, {0, 1, 0})}, {DType::kBool});
  ASSERT_TRUE(run.status.ok());
  EXPECT_EQ(BoolsOf(run), (std::vector<uint8_t>{0, 1, 1}));
  run = RunOp(Op::kLogicalNot, {Bool({3}, {0, 1, 1})}, {DType::kBool});
  ASSERT_TRUE(run.status.ok());
  EXPECT_EQ(BoolsOf(run), (std::vector<uint8_t>{1, 0, 0}));
  ExpectError(RunOp(Op::kLogicalAnd, {F32({1}, {1}), F32({1}, {1})}, {DType::kBool}), "must be bool");
}

TEST(LogicOps, SelectSameShapeRowsAndScalar) {
  const std::vector<float> x = RandomFloats(6, 3), y = RandomFloats(6, 4);
  const std::vector<uint8_t> c = {1, 0, 0, 1, 1, 0};
  OpRun run = RunOp(Op::kSelect, {Bool({2, 3}, c), F32({2, 3}, x), F32({2, 3}, y)}, {DType::kFloat32});
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  std::vector<float> got = run.outputs[0].values<float>();
  for (int i = 0; i < 6; ++i) EXPECT_EQ(got[i], c[i] ? x[i] : y[i]);
  // TF1 tf.where with a per-row condition (sequence-length masking).
  run = RunOp(Op::kSelect, {Bool({2}, {0, 1}), F32({2, 3}, x), F32({2, 3}, y)}, {DType::kFloat32});
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  got = run.outputs[0].values<float>();
  for (int i = 0; i < 6; ++i) EXPECT_EQ(got[i], i >= 3 ? x[i] : y[i]);
  run = RunOp(Op::kSelect, {Bool({}, {0}), F32({2, 3}, x), F32({2, 3}, y)}, {DType::kFloat32});
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  EXPECT_EQ(run.outputs[0].values<float>(), y);
  ExpectError(RunOp(Op::kSelect, {Bool({3}, {0, 1, 1}), F32({2, 3}, x), F32({2, 3}, y)}, {DType::kFloat32}),
              "vector over its first dim");
  ExpectError(RunOp(Op::kSelect, {Bool({2}, {0, 1}), F32({2}, {1, 2}), I32({2}, {1, 2})}, {DType::kFloat32}),
              "share a dtype");
}

TEST(LogicOps, SelectV2Broadcasts) {
  const std::vector<float> x = RandomFloats(3, 5);  // [1, 3]
  const std::vector<float> y = RandomFloats(2, 6);  // [2, 1]
  const std::vector<uint8_t> c = {1, 0, 1};         // [3]
  OpRun run = RunOp(Op::kSelectV2, {Bool({3}, c), F32({1, 3}, x), F32({2, 1}, y)}, {DType::kFloat32});
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  ASSERT_EQ(run.outputs[0].shape, (Shape{2, 3}));
  const std::vector<float> got = run.outputs[0].values<float>();
  for (int r = 0; r < 2; ++r) {
    for (int k = 0; k < 3; ++k) EXPECT_EQ(got[r * 3 + k], c[k] ? x[k] : y[r]);
  }
  ExpectError(RunOp(Op::kSelectV2, {Bool({4}, {1, 0, 1, 0}), F32({3}, x), F32({3}, x)}, {DType::kFloat32}),
              "cannot be broadcast");
}

AttrMap KeepDims(bool keep) {
  AttrMap a;
  a.SetInt("keep_dims", keep ? 1 : 0);
  return a;
}

TEST(LogicOps, ReduceAnyAllMin) {
  // [2, 3] bools.
  const std::vector<uint8_t> v = {0, 1, 0, 0, 0, 0};
  OpRun run = RunOp(Op::kReduceAny, {Bool({2, 3}, v), ConstI32({1}, {-1})}, {DType::kBool}, KeepDims(false));
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  EXPECT_EQ(run.outputs[0].shape, (Shape{2}));
  EXPECT_EQ(BoolsOf(run), (std::vector<uint8_t>{1, 0}));
  run = RunOp(Op::kReduceAll, {Bool({2, 3}, {1, 1, 1, 1, 0, 1}), ConstI32({1}, {1})}, {DType::kBool}, KeepDims(true));
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  EXPECT_EQ(run.outputs[0].shape, (Shape{2, 1}));
  EXPECT_EQ(BoolsOf(run), (std::vector<uint8_t>{1, 0}));
  const std::vector<float> f = RandomFloats(12, 7);  // [3, 4]
  run = RunOp(Op::kReduceMin, {F32({3, 4}, f), ConstI32({2}, {0, 0})}, {DType::kFloat32}, KeepDims(false));
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  ASSERT_EQ(run.outputs[0].shape, (Shape{4}));
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(run.outputs[0].values<float>()[k], std::min({f[k], f[4 + k], f[8 + k]}));
  }
  // Non-constant axis: output sized in Eval. int32 data (TF1 sequence lengths).
  run = RunOp(Op::kReduceMin, {I32({3}, {5, 3, 9}), I32({1}, {0})}, {DType::kInt32}, KeepDims(false));
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  EXPECT_EQ(run.outputs[0].shape, (Shape{}));
  EXPECT_EQ(run.outputs[0].values<int32_t>(), (std::vector<int32_t>{3}));
  // NaN is skipped, like REDUCE_MAX; an empty reduction gives the largest value.
  run = RunOp(Op::kReduceMin, {F32({2}, {std::nanf(""), 2.5f}), ConstI32({1}, {0})}, {DType::kFloat32});
  ASSERT_TRUE(run.status.ok());
  EXPECT_EQ(run.outputs[0].values<float>()[0], 2.5f);
  run = RunOp(Op::kReduceMin, {F32({0, 2}, {}), ConstI32({1}, {0})}, {DType::kFloat32});
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  EXPECT_EQ(run.outputs[0].values<float>(), (std::vector<float>(2, std::numeric_limits<float>::max())));
  ExpectError(RunOp(Op::kReduceAny, {F32({2}, {1, 2}), ConstI32({1}, {0})}, {DType::kFloat32}), "not supported");
  ExpectError(RunOp(Op::kReduceMin, {F32({2}, {1, 2}), ConstI32({1}, {3})}, {DType::kFloat32}), "out of range");
}

AttrMap SeqAttrs(int seq_dim, int batch_dim) {
  AttrMap a;
  a.SetInt("seq_dim", seq_dim);
  a.SetInt("batch_dim", batch_dim);
  return a;
}

TEST(LogicOps, ReverseSequence) {
  // [T=4, B=2, C=3], time-major, lengths [3, 4].
  const std::vector<float> x = RandomFloats(24, 8);
  OpRun run = RunOp(Op::kReverseSequence, {F32({4, 2, 3}, x), I32({2}, {3, 4})}, {DType::kFloat32}, SeqAttrs(0, 1));
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  const std::vector<float> got = run.outputs[0].values<float>();
  const int len[2] = {3, 4};
  for (int t = 0; t < 4; ++t) {
    for (int b = 0; b < 2; ++b) {
      const int src_t = t < len[b] ? len[b] - 1 - t : t;
      for (int c = 0; c < 3; ++c) EXPECT_EQ(got[(t * 2 + b) * 3 + c], x[(src_t * 2 + b) * 3 + c]) << t << b << c;
    }
  }
  // Batch-major with int64 lengths, one of them 0 (unchanged).
  run = RunOp(Op::kReverseSequence, {F32({2, 3}, {1, 2, 3, 4, 5, 6}), I64({2}, {0, 2})}, {DType::kFloat32},
              SeqAttrs(1, 0));
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  EXPECT_EQ(run.outputs[0].values<float>(), (std::vector<float>{1, 2, 3, 5, 4, 6}));
  const std::vector<float> x6(x.begin(), x.begin() + 6);
  ExpectError(RunOp(Op::kReverseSequence, {F32({2, 3}, x6), I32({2}, {4, 1})}, {DType::kFloat32}, SeqAttrs(1, 0)),
              "outside [0, 3]");
  ExpectError(RunOp(Op::kReverseSequence, {F32({2, 3}, x6), I32({3}, {1, 1, 1})}, {DType::kFloat32}, SeqAttrs(1, 0)),
              "one entry per batch entry");
  ExpectError(RunOp(Op::kReverseSequence, {F32({2, 3}, x6), I32({2}, {1, 1})}, {DType::kFloat32}, SeqAttrs(0, 0)),
              "both 0");
}

}  // namespace
}  // namespace rnnlite
