// TRANSPOSE, REVERSE_V2, GATHER: hand-computed reorderings, negative axes,
// batch_dims, int32/int64 index tensors given as constants or at run time,
// a seeded transpose round trip, and errors (bad permutations, indices out of
// range caught in Invoke). Values are copied bits, compared exactly.
#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <vector>

#include "support/test_util.h"

namespace rnnlite {
namespace {

using testing::Bool;
using testing::ConstI32;
using testing::ConstI64;
using testing::F32;
using testing::GraphBuilder;
using testing::I32;
using testing::I64;
using testing::OpRun;
using testing::RandomFloats;
using testing::RunOp;
using testing::TestTensor;

using testing::ExpectError;
using testing::ExpectOutput;

TestTensor Iota(Shape shape) {
  std::vector<float> v(static_cast<size_t>(NumElements(shape)));
  std::iota(v.begin(), v.end(), 0.0f);
  return F32(std::move(shape), v);
}

AttrMap Attrs(std::initializer_list<std::pair<const char*, int64_t>> values) {
  AttrMap a;
  for (auto& [k, v] : values) a.SetInt(k, v);
  return a;
}

// --- TRANSPOSE -----------------------------------------------------------------

TEST(Transpose, Matrix) {
  OpRun run = RunOp(Op::kTranspose, {Iota({2, 3}), ConstI32({2}, {1, 0})}, {DType::kFloat32});
  ExpectOutput<float>(run, 0, DType::kFloat32, {3, 2}, {0, 3, 1, 4, 2, 5});
}

TEST(Transpose, ThreeDimsInt64Perm) {
  // out[i][j][k] = x[j][k][i] with x[a][b][c] = 12a + 4b + c.
  OpRun run = RunOp(Op::kTranspose, {Iota({2, 3, 4}), ConstI64({3}, {2, 0, 1})}, {DType::kFloat32});
  std::vector<float> expected;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 2; ++j)
      for (int k = 0; k < 3; ++k) expected.push_back(static_cast<float>(12 * j + 4 * k + i));
  ExpectOutput<float>(run, 0, DType::kFloat32, {4, 2, 3}, expected);
}

TEST(Transpose, RuntimePermAndBool) {
  OpRun run = RunOp(Op::kTranspose, {Bool({1, 2, 2}, {1, 0, 0, 0}), I32({3}, {2, 1, 0})}, {DType::kBool});
  ExpectOutput<uint8_t>(run, 0, DType::kBool, {2, 2, 1}, {1, 0, 0, 0});
  OpRun i64 = RunOp(Op::kTranspose, {I64({2, 2}, {1, 2, 3, 4}), I32({2}, {1, 0})}, {DType::kInt64});
  ExpectOutput<int64_t>(i64, 0, DType::kInt64, {2, 2}, {1, 3, 2, 4});
}

TEST(Transpose, SeededRoundTripThroughInversePerm) {
  const Shape shape = {2, 3, 4, 5};
  const std::vector<float> xs = RandomFloats(120, 2024);
  GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, shape);
  int perm = b.Constant("perm", ConstI32({4}, {3, 1, 0, 2}));
  int inverse = b.Constant("inverse", ConstI32({4}, {2, 1, 3, 0}));
  int mid = b.Tensor("mid", DType::kFloat32);
  int y = b.Tensor("y", DType::kFloat32);
  b.AddNode(Op::kTranspose, {x, perm}, {mid});
  b.AddNode(Op::kTranspose, {mid, inverse}, {y});
  b.Output(mid);
  b.Output(y);
  auto model = b.Build();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter interp(*model);
  ASSERT_TRUE(interp.AllocateTensors().ok());
  std::copy(xs.begin(), xs.end(), interp.tensor(x)->data_as<float>());
  ASSERT_TRUE(interp.Invoke().ok());
  EXPECT_EQ(interp.tensor(mid)->shape, (Shape{5, 3, 2, 4}));
  // mid[e][b][a][c] == x[a][b][c][e]
  EXPECT_EQ(interp.tensor(mid)->data_as<float>()[((4 * 3 + 2) * 2 + 1) * 4 + 3], xs[((1 * 3 + 2) * 4 + 3) * 5 + 4]);
  const Tensor* out = interp.tensor(y);
  EXPECT_EQ(out->shape, shape);
  EXPECT_EQ(std::vector<float>(out->data_as<float>(), out->data_as<float>() + 120), xs);
}

TEST(Transpose, Errors) {
  TestTensor x = Iota({2, 3});
  ExpectError(RunOp(Op::kTranspose, {x, ConstI32({2}, {0, 0})}, {DType::kFloat32}), "permutation");
  ExpectError(RunOp(Op::kTranspose, {x, ConstI32({2}, {0, 2})}, {DType::kFloat32}), "permutation");
  ExpectError(RunOp(Op::kTranspose, {x, ConstI32({2}, {-1, 0})}, {DType::kFloat32}), "permutation");
  ExpectError(RunOp(Op::kTranspose, {x, ConstI32({3}, {0, 1, 2})}, {DType::kFloat32}), "shape [2]");
  ExpectError(RunOp(Op::kTranspose, {x, I32({2}, {1, 1})}, {DType::kFloat32}), "permutation");
}

// --- REVERSE_V2 ----------------------------------------------------------------

TEST(Reverse, SingleAndMultipleAxes) {
  TestTensor x = Iota({2, 3});
  ExpectOutput<float>(RunOp(Op::kReverseV2, {x, ConstI32({1}, {1})}, {DType::kFloat32}), 0, DType::kFloat32, {2, 3},
                      {2, 1, 0, 5, 4, 3});
  ExpectOutput<float>(RunOp(Op::kReverseV2, {x, ConstI32({1}, {-2})}, {DType::kFloat32}), 0, DType::kFloat32,
                      {2, 3}, {3, 4, 5, 0, 1, 2});
  ExpectOutput<float>(RunOp(Op::kReverseV2, {x, ConstI64({2}, {0, -1})}, {DType::kFloat32}), 0, DType::kFloat32,
                      {2, 3}, {5, 4, 3, 2, 1, 0});
  ExpectOutput<float>(RunOp(Op::kReverseV2, {x, ConstI32({0}, {})}, {DType::kFloat32}), 0, DType::kFloat32, {2, 3},
                      {0, 1, 2, 3, 4, 5});
}

TEST(Reverse, RuntimeAxisMiddleDim) {
  OpRun run = RunOp(Op::kReverseV2, {I32({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}), I32({1}, {1})}, {DType::kInt32});
  ExpectOutput<int32_t>(run, 0, DType::kInt32, {2, 2, 2}, {3, 4, 1, 2, 7, 8, 5, 6});
}

TEST(Reverse, Errors) {
  TestTensor x = Iota({2, 3});
  ExpectError(RunOp(Op::kReverseV2, {x, ConstI32({1}, {2})}, {DType::kFloat32}), "out of range");
  ExpectError(RunOp(Op::kReverseV2, {x, ConstI32({2}, {1, -1})}, {DType::kFloat32}), "more than once");
  ExpectError(RunOp(Op::kReverseV2, {x, I32({1}, {-3})}, {DType::kFloat32}), "out of range");
  ExpectError(RunOp(Op::kReverseV2, {x, ConstI32({}, {0})}, {DType::kFloat32}), "1-D");
}

// --- GATHER --------------------------------------------------------------------

TEST(Gather, RowsAlongAxisZero) {
  OpRun run = RunOp(Op::kGather, {F32({3, 2}, {1, 2, 3, 4, 5, 6}), ConstI32({2}, {2, 0})}, {DType::kFloat32});
  ExpectOutput<float>(run, 0, DType::kFloat32, {2, 2}, {5, 6, 1, 2});
}

TEST(Gather, NegativeAxisAndMatrixIndices) {
  OpRun cols = RunOp(Op::kGather, {Iota({2, 3}), ConstI64({2}, {2, 0})}, {DType::kFloat32}, Attrs({{"axis", -1}}));
  ExpectOutput<float>(cols, 0, DType::kFloat32, {2, 2}, {2, 0, 5, 3});
  OpRun grid = RunOp(Op::kGather, {I32({3}, {10, 20, 30}), I32({2, 2}, {0, 2, 1, 1})}, {DType::kInt32});
  ExpectOutput<int32_t>(grid, 0, DType::kInt32, {2, 2}, {10, 30, 20, 20});
}

TEST(Gather, ScalarIndexDropsTheAxis) {
  OpRun run = RunOp(Op::kGather, {F32({3, 2}, {1, 2, 3, 4, 5, 6}), I64({}, {1})}, {DType::kFloat32});
  ExpectOutput<float>(run, 0, DType::kFloat32, {2}, {3, 4});
}

TEST(Gather, BatchDims) {
  TestTensor params = Iota({2, 3});
  TestTensor indices = I32({2, 2}, {0, 2, 1, 1});
  for (int64_t batch_dims : {1, -1}) {
    OpRun run = RunOp(Op::kGather, {params, indices}, {DType::kFloat32},
                      Attrs({{"axis", 1}, {"batch_dims", batch_dims}}));
    ExpectOutput<float>(run, 0, DType::kFloat32, {2, 2}, {0, 2, 4, 4});
  }
  // [2, 2, 2] params, per-batch indices [2, 1] along axis 2 with an outer dim.
  OpRun deep = RunOp(Op::kGather, {Iota({2, 2, 2}), I32({2, 1}, {1, 0})}, {DType::kFloat32},
                     Attrs({{"axis", 2}, {"batch_dims", 1}}));
  ExpectOutput<float>(deep, 0, DType::kFloat32, {2, 2, 1}, {1, 3, 4, 6});
}

TEST(Gather, OutOfRangeIndexFailsInInvoke) {
  TestTensor params = F32({3, 2}, {1, 2, 3, 4, 5, 6});
  ExpectError(RunOp(Op::kGather, {params, I32({2}, {0, 3})}, {DType::kFloat32}), "out of range");
  ExpectError(RunOp(Op::kGather, {params, I64({1}, {-1})}, {DType::kFloat32}), "out of range");
  ExpectError(RunOp(Op::kGather, {params, ConstI32({1}, {1 << 30})}, {DType::kFloat32}), "out of range");
}

TEST(Gather, Errors) {
  TestTensor params = Iota({2, 3});
  ExpectError(RunOp(Op::kGather, {params, I32({1}, {0})}, {DType::kFloat32}, Attrs({{"axis", 2}})), "out of range");
  ExpectError(RunOp(Op::kGather, {params, I32({2, 1}, {0, 0})}, {DType::kFloat32}, Attrs({{"batch_dims", 1}})),
              "batch_dims");
  ExpectError(RunOp(Op::kGather, {params, I32({3, 1}, {0, 0, 0})}, {DType::kFloat32},
                    Attrs({{"axis", 1}, {"batch_dims", 1}})),
              "batch dimension");
  ExpectError(RunOp(Op::kGather, {params, F32({1}, {0})}, {DType::kFloat32}), "int32");
  ExpectError(RunOp(Op::kGather, {F32({}, {1}), I32({1}, {0})}, {DType::kFloat32}), "rank");
}

}  // namespace
}  // namespace rnnlite
