// CONCATENATION, PACK, SPLIT, SPLIT_V, UNPACK: hand-computed values along
// every axis (negative ones too), inferred split sizes, runtime axes and sizes
// (dynamic outputs), a seeded split-then-concat round trip, and errors.
// Values are copied bits, compared exactly (the RELU case is exact as well).
#include <gtest/gtest.h>

#include <cstdint>
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

AttrMap Attrs(std::initializer_list<std::pair<const char*, int64_t>> values) {
  AttrMap a;
  for (auto& [k, v] : values) a.SetInt(k, v);
  return a;
}

// --- CONCATENATION -------------------------------------------------------------

TEST(Concatenation, InnerAxisPositiveAndNegative) {
  TestTensor a = F32({2, 2}, {1, 2, 3, 4});
  TestTensor b = F32({2, 3}, {5, 6, 7, 8, 9, 10});
  const std::vector<float> expected = {1, 2, 5, 6, 7, 3, 4, 8, 9, 10};
  for (int64_t axis : {1, -1}) {
    OpRun run = RunOp(Op::kConcatenation, {a, b}, {DType::kFloat32}, Attrs({{"axis", axis}}));
    ExpectOutput<float>(run, 0, DType::kFloat32, {2, 5}, expected);
  }
}

TEST(Concatenation, OuterAxisThreeInputs) {
  OpRun run = RunOp(Op::kConcatenation, {I32({1, 2}, {1, 2}), I32({2, 2}, {3, 4, 5, 6}), I32({0, 2}, {})},
                    {DType::kInt32}, Attrs({{"axis", -2}}));
  ExpectOutput<int32_t>(run, 0, DType::kInt32, {3, 2}, {1, 2, 3, 4, 5, 6});
}

TEST(Concatenation, MiddleAxisInt64AndBool) {
  OpRun i64 = RunOp(Op::kConcatenation, {I64({2, 1, 2}, {1, 2, 3, 4}), I64({2, 1, 2}, {5, 6, 7, 8})},
                    {DType::kInt64}, Attrs({{"axis", 1}}));
  ExpectOutput<int64_t>(i64, 0, DType::kInt64, {2, 2, 2}, {1, 2, 5, 6, 3, 4, 7, 8});
  OpRun b = RunOp(Op::kConcatenation, {Bool({2}, {1, 0}), Bool({1}, {1})}, {DType::kBool});
  ExpectOutput<uint8_t>(b, 0, DType::kBool, {3}, {1, 0, 1});
}

TEST(Concatenation, FusedActivationOnFloat) {
  AttrMap relu6 = Attrs({{"axis", 0}, {"fused_activation_function", 3}});
  OpRun run = RunOp(Op::kConcatenation, {F32({2}, {-1, 7}), F32({2}, {2.5f, 6})}, {DType::kFloat32}, relu6);
  ExpectOutput<float>(run, 0, DType::kFloat32, {4}, {0, 6, 2.5f, 6});
}

TEST(Concatenation, Errors) {
  ExpectError(RunOp(Op::kConcatenation, {F32({2, 2}, {1, 2, 3, 4}), F32({3, 1}, {1, 2, 3})}, {DType::kFloat32},
                    Attrs({{"axis", 1}})),
              "does not match");
  ExpectError(RunOp(Op::kConcatenation, {F32({2, 2}, {1, 2, 3, 4}), F32({4}, {1, 2, 3, 4})}, {DType::kFloat32}),
              "does not match");
  ExpectError(RunOp(Op::kConcatenation, {F32({2}, {1, 2}), I32({2}, {1, 2})}, {DType::kFloat32}), "dtype");
  ExpectError(RunOp(Op::kConcatenation, {F32({2}, {1, 2})}, {DType::kFloat32}, Attrs({{"axis", 1}})),
              "out of range");
  ExpectError(RunOp(Op::kConcatenation, {F32({2}, {1, 2})}, {DType::kFloat32}, Attrs({{"axis", -2}})),
              "out of range");
  OpRun int_act = RunOp(Op::kConcatenation, {I32({2}, {1, 2})}, {DType::kInt32},
                        Attrs({{"fused_activation_function", 1}}));
  ASSERT_FALSE(int_act.status.ok());
  EXPECT_EQ(int_act.status.code(), StatusCode::kUnsupported);
  ExpectError(RunOp(Op::kConcatenation, {F32({2}, {1, 2})}, {DType::kFloat32},
                    Attrs({{"fused_activation_function", 9}})),
              "activation");
  ExpectError(RunOp(Op::kConcatenation, {F32({}, {1}), F32({}, {2})}, {DType::kFloat32}), "scalars");
}

// --- PACK ----------------------------------------------------------------------

TEST(Pack, EveryAxis) {
  std::vector<TestTensor> in = {F32({2}, {1, 2}), F32({2}, {3, 4}), F32({2}, {5, 6})};
  ExpectOutput<float>(RunOp(Op::kPack, in, {DType::kFloat32}, Attrs({{"values_count", 3}, {"axis", 0}})), 0,
                      DType::kFloat32, {3, 2}, {1, 2, 3, 4, 5, 6});
  for (int64_t axis : {1, -1}) {
    ExpectOutput<float>(RunOp(Op::kPack, in, {DType::kFloat32}, Attrs({{"values_count", 3}, {"axis", axis}})), 0,
                        DType::kFloat32, {2, 3}, {1, 3, 5, 2, 4, 6});
  }
}

TEST(Pack, ScalarsAndInt64) {
  OpRun run = RunOp(Op::kPack, {I64({}, {9}), I64({}, {-9})}, {DType::kInt64});
  ExpectOutput<int64_t>(run, 0, DType::kInt64, {2}, {9, -9});
}

TEST(Pack, Errors) {
  ExpectError(RunOp(Op::kPack, {F32({2}, {1, 2}), F32({2}, {3, 4})}, {DType::kFloat32},
                    Attrs({{"values_count", 3}})),
              "values_count");
  ExpectError(RunOp(Op::kPack, {F32({2}, {1, 2}), F32({1}, {3})}, {DType::kFloat32}), "differs");
  ExpectError(RunOp(Op::kPack, {F32({2}, {1, 2}), F32({2}, {3, 4})}, {DType::kFloat32}, Attrs({{"axis", 2}})),
              "out of range");
}

// --- SPLIT ---------------------------------------------------------------------

TEST(Split, EqualPartsAlongInnerAxis) {
  TestTensor x = F32({2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
  OpRun run = RunOp(Op::kSplit, {ConstI32({}, {1}), x}, {DType::kFloat32, DType::kFloat32},
                    Attrs({{"num_splits", 2}}));
  ExpectOutput<float>(run, 0, DType::kFloat32, {2, 2}, {1, 2, 5, 6});
  ExpectOutput<float>(run, 1, DType::kFloat32, {2, 2}, {3, 4, 7, 8});
}

TEST(Split, NegativeAxisAndRuntimeAxis) {
  TestTensor x = I32({2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
  OpRun neg = RunOp(Op::kSplit, {ConstI32({1}, {-2}), x}, {DType::kInt32, DType::kInt32});
  ExpectOutput<int32_t>(neg, 0, DType::kInt32, {1, 4}, {1, 2, 3, 4});
  ExpectOutput<int32_t>(neg, 1, DType::kInt32, {1, 4}, {5, 6, 7, 8});
  OpRun dyn = RunOp(Op::kSplit, {I32({}, {1}), x}, {DType::kInt32, DType::kInt32, DType::kInt32, DType::kInt32},
                    Attrs({{"num_splits", 4}}));
  ExpectOutput<int32_t>(dyn, 3, DType::kInt32, {2, 1}, {4, 8});
}

TEST(Split, Errors) {
  TestTensor x = F32({2, 3}, {1, 2, 3, 4, 5, 6});
  ExpectError(RunOp(Op::kSplit, {ConstI32({}, {1}), x}, {DType::kFloat32, DType::kFloat32}), "equal parts");
  ExpectError(RunOp(Op::kSplit, {ConstI32({}, {0}), x}, {DType::kFloat32, DType::kFloat32},
                    Attrs({{"num_splits", 3}})),
              "num_splits");
  ExpectError(RunOp(Op::kSplit, {ConstI32({}, {2}), x}, {DType::kFloat32}), "out of range");
  ExpectError(RunOp(Op::kSplit, {I32({}, {-3}), x}, {DType::kFloat32}), "out of range");
  ExpectError(RunOp(Op::kSplit, {ConstI32({}, {0}), x}, {DType::kInt32}), "dtype");
}

// --- SPLIT_V -------------------------------------------------------------------

TEST(SplitV, InferredSize) {
  TestTensor x = F32({2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  OpRun run = RunOp(Op::kSplitV, {x, ConstI32({3}, {1, -1, 2}), ConstI32({}, {-1})},
                    {DType::kFloat32, DType::kFloat32, DType::kFloat32}, Attrs({{"num_splits", 3}}));
  ExpectOutput<float>(run, 0, DType::kFloat32, {2, 1}, {1, 6});
  ExpectOutput<float>(run, 1, DType::kFloat32, {2, 2}, {2, 3, 7, 8});
  ExpectOutput<float>(run, 2, DType::kFloat32, {2, 2}, {4, 5, 9, 10});
}

TEST(SplitV, Int64SizesWithEmptyPartAndRuntimeSizes) {
  TestTensor x = I32({3, 2}, {1, 2, 3, 4, 5, 6});
  OpRun run = RunOp(Op::kSplitV, {x, ConstI64({2}, {0, 3}), ConstI32({}, {0})}, {DType::kInt32, DType::kInt32});
  ExpectOutput<int32_t>(run, 0, DType::kInt32, {0, 2}, {});
  ExpectOutput<int32_t>(run, 1, DType::kInt32, {3, 2}, {1, 2, 3, 4, 5, 6});
  OpRun dyn = RunOp(Op::kSplitV, {x, I32({2}, {2, -1}), I32({}, {0})}, {DType::kInt32, DType::kInt32});
  ExpectOutput<int32_t>(dyn, 0, DType::kInt32, {2, 2}, {1, 2, 3, 4});
  ExpectOutput<int32_t>(dyn, 1, DType::kInt32, {1, 2}, {5, 6});
}

TEST(SplitV, Errors) {
  TestTensor x = F32({4}, {1, 2, 3, 4});
  auto two = std::vector<DType>{DType::kFloat32, DType::kFloat32};
  ExpectError(RunOp(Op::kSplitV, {x, ConstI32({2}, {-1, -1}), ConstI32({}, {0})}, two), "more than one -1");
  ExpectError(RunOp(Op::kSplitV, {x, ConstI32({2}, {1, 2}), ConstI32({}, {0})}, two), "add up");
  ExpectError(RunOp(Op::kSplitV, {x, ConstI32({2}, {-2, 6}), ConstI32({}, {0})}, two), "invalid");
  ExpectError(RunOp(Op::kSplitV, {x, ConstI32({2}, {5, -1}), ConstI32({}, {0})}, two), "invalid");
  ExpectError(RunOp(Op::kSplitV, {x, ConstI32({3}, {1, 1, 2}), ConstI32({}, {0})}, two), "entries");
  ExpectError(RunOp(Op::kSplitV, {x, I32({2}, {1, 1}), ConstI32({}, {0})}, two), "add up");
}

// --- UNPACK --------------------------------------------------------------------

TEST(Unpack, AlongFirstAndLastAxis) {
  TestTensor x = F32({3, 2}, {1, 2, 3, 4, 5, 6});
  OpRun rows = RunOp(Op::kUnpack, {x}, {DType::kFloat32, DType::kFloat32, DType::kFloat32},
                     Attrs({{"num", 3}, {"axis", 0}}));
  ExpectOutput<float>(rows, 0, DType::kFloat32, {2}, {1, 2});
  ExpectOutput<float>(rows, 2, DType::kFloat32, {2}, {5, 6});
  OpRun cols = RunOp(Op::kUnpack, {x}, {DType::kFloat32, DType::kFloat32}, Attrs({{"num", 2}, {"axis", -1}}));
  ExpectOutput<float>(cols, 0, DType::kFloat32, {3}, {1, 3, 5});
  ExpectOutput<float>(cols, 1, DType::kFloat32, {3}, {2, 4, 6});
}

TEST(Unpack, Errors) {
  TestTensor x = F32({3, 2}, {1, 2, 3, 4, 5, 6});
  ExpectError(RunOp(Op::kUnpack, {x}, {DType::kFloat32, DType::kFloat32}, Attrs({{"num", 2}})), "does not match");
  ExpectError(RunOp(Op::kUnpack, {x}, {DType::kFloat32, DType::kFloat32}, Attrs({{"num", 3}})), "num");
  ExpectError(RunOp(Op::kUnpack, {x}, {DType::kFloat32, DType::kFloat32}, Attrs({{"num", 2}, {"axis", 2}})),
              "out of range");
}

// --- round trip ----------------------------------------------------------------

// SPLIT_V then CONCATENATION along the same axis restores seeded random data.
TEST(ConcatSplit, RoundTripRestoresInput) {
  for (int32_t axis = 0; axis < 3; ++axis) {
    SCOPED_TRACE(axis);
    Shape shape = {3, 4, 5};
    std::vector<float> xs = RandomFloats(60, 7 + axis);
    GraphBuilder b;
    int x = b.Input("x", DType::kFloat32, shape);
    int sizes = b.Constant("sizes", ConstI32({2}, {1, -1}));
    int ax = b.Constant("axis", ConstI32({}, {axis}));
    int p0 = b.Tensor("p0", DType::kFloat32);
    int p1 = b.Tensor("p1", DType::kFloat32);
    int y = b.Tensor("y", DType::kFloat32);
    b.AddNode(Op::kSplitV, {x, sizes, ax}, {p0, p1}, Attrs({{"num_splits", 2}}));
    b.AddNode(Op::kConcatenation, {p0, p1}, {y}, Attrs({{"axis", axis}}));
    b.Output(y);
    auto model = b.Build();
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    Interpreter interp(*model);
    ASSERT_TRUE(interp.AllocateTensors().ok());
    std::copy(xs.begin(), xs.end(), interp.tensor(x)->data_as<float>());
    ASSERT_TRUE(interp.Invoke().ok());
    const Tensor* out = interp.tensor(y);
    EXPECT_EQ(out->shape, shape);
    EXPECT_EQ(std::vector<float>(out->data_as<float>(), out->data_as<float>() + 60), xs);
  }
}

}  // namespace
}  // namespace rnnlite
