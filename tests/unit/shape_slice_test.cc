// SLICE, STRIDED_SLICE, PAD, PADV2: hand-computed windows with negative
// indices and strides, every STRIDED_SLICE mask (begin, end, ellipsis,
// new_axis, shrink) and `offset`, clamping, runtime index tensors (dynamic
// outputs), quantized zero-point padding, and errors. Values are copied
// bits, compared exactly.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include "support/test_util.h"

namespace rnnlite {
namespace {

using testing::ConstF32;
using testing::ConstI32;
using testing::ConstI64;
using testing::F32;
using testing::GraphBuilder;
using testing::I32;
using testing::I64;
using testing::MakeTensor;
using testing::OpRun;
using testing::RandomFloats;
using testing::RunOp;
using testing::TestTensor;

using testing::ExpectError;
using testing::ExpectOutput;

// float32 tensor holding 0, 1, 2, ... (its flat index).
TestTensor Iota(Shape shape) {
  std::vector<float> v(static_cast<size_t>(NumElements(shape)));
  std::iota(v.begin(), v.end(), 0.0f);
  return F32(std::move(shape), v);
}

struct Masks {
  int64_t begin = 0, end = 0, ellipsis = 0, new_axis = 0, shrink = 0, offset = 0;
};

AttrMap SliceAttrs(const Masks& m) {
  AttrMap a;
  a.SetInt("begin_mask", m.begin);
  a.SetInt("end_mask", m.end);
  a.SetInt("ellipsis_mask", m.ellipsis);
  a.SetInt("new_axis_mask", m.new_axis);
  a.SetInt("shrink_axis_mask", m.shrink);
  a.SetInt("offset", m.offset);
  return a;
}

OpRun Strided(const TestTensor& x, std::vector<int32_t> begin, std::vector<int32_t> end,
              std::vector<int32_t> strides, const Masks& m = {}) {
  const int32_t n = static_cast<int32_t>(begin.size());
  return RunOp(Op::kStridedSlice,
               {x, ConstI32({n}, begin), ConstI32({n}, end), ConstI32({n}, strides)}, {x.dtype},
               SliceAttrs(m));
}

// --- SLICE ---------------------------------------------------------------------

TEST(Slice, SizeMinusOneTakesTheRest) {
  OpRun run = RunOp(Op::kSlice, {Iota({3, 4}), ConstI32({2}, {1, 1}), ConstI32({2}, {2, -1})}, {DType::kFloat32});
  ExpectOutput<float>(run, 0, DType::kFloat32, {2, 3}, {5, 6, 7, 9, 10, 11});
}

TEST(Slice, ThreeDimsInt64Indices) {
  OpRun run = RunOp(Op::kSlice, {Iota({2, 3, 2}), ConstI64({3}, {0, 1, 1}), ConstI64({3}, {2, 2, 1})},
                    {DType::kFloat32});
  ExpectOutput<float>(run, 0, DType::kFloat32, {2, 2, 1}, {3, 5, 9, 11});
}

TEST(Slice, RuntimeBeginAndSize) {
  OpRun run = RunOp(Op::kSlice, {I32({5}, {10, 11, 12, 13, 14}), I32({1}, {3}), I32({1}, {-1})}, {DType::kInt32});
  ExpectOutput<int32_t>(run, 0, DType::kInt32, {2}, {13, 14});
  OpRun empty = RunOp(Op::kSlice, {I32({5}, {10, 11, 12, 13, 14}), I32({1}, {5}), I32({1}, {0})}, {DType::kInt32});
  ExpectOutput<int32_t>(empty, 0, DType::kInt32, {0}, {});
}

TEST(Slice, Errors) {
  TestTensor x = Iota({3, 4});
  ExpectError(RunOp(Op::kSlice, {x, ConstI32({2}, {2, 0}), ConstI32({2}, {2, 1})}, {DType::kFloat32}), "exceeds");
  ExpectError(RunOp(Op::kSlice, {x, ConstI32({2}, {-1, 0}), ConstI32({2}, {1, 1})}, {DType::kFloat32}),
              "out of range");
  ExpectError(RunOp(Op::kSlice, {x, ConstI32({2}, {0, 0}), ConstI32({2}, {-2, 1})}, {DType::kFloat32}), "exceeds");
  ExpectError(RunOp(Op::kSlice, {x, ConstI32({1}, {0}), ConstI32({1}, {1})}, {DType::kFloat32}), "shape [2]");
  ExpectError(RunOp(Op::kSlice, {x, I32({2}, {0, 3}), I32({2}, {1, 2})}, {DType::kFloat32}), "exceeds");
}

// --- STRIDED_SLICE -------------------------------------------------------------

TEST(StridedSlice, BasicAndNegativeIndices) {
  TestTensor x = Iota({3, 4});
  ExpectOutput<float>(Strided(x, {0, 1}, {2, 3}, {1, 1}), 0, DType::kFloat32, {2, 2}, {1, 2, 5, 6});
  ExpectOutput<float>(Strided(x, {-2, -3}, {3, -1}, {1, 1}), 0, DType::kFloat32, {2, 2}, {5, 6, 9, 10});
  ExpectOutput<float>(Strided(x, {0, 0}, {3, 4}, {2, 3}), 0, DType::kFloat32, {2, 2}, {0, 3, 8, 11});
}

TEST(StridedSlice, NegativeStrides) {
  TestTensor x = Iota({8});
  ExpectOutput<float>(Strided(x, {-1}, {-9}, {-1}), 0, DType::kFloat32, {8}, {7, 6, 5, 4, 3, 2, 1, 0});
  ExpectOutput<float>(Strided(x, {6}, {1}, {-2}), 0, DType::kFloat32, {3}, {6, 4, 2});
  Masks whole;
  whole.begin = whole.end = 1;
  ExpectOutput<float>(Strided(x, {0}, {0}, {-3}, whole), 0, DType::kFloat32, {3}, {7, 4, 1});
}

TEST(StridedSlice, BeginAndEndMasks) {
  Masks m;
  m.begin = 1;
  m.end = 1;
  ExpectOutput<float>(Strided(Iota({3, 4}), {2, 0}, {0, 2}, {1, 1}, m), 0, DType::kFloat32, {3, 2},
                      {0, 1, 4, 5, 8, 9});
  Masks end_only;
  end_only.end = 2;
  ExpectOutput<float>(Strided(Iota({3, 4}), {1, 2}, {2, 0}, {1, 1}, end_only), 0, DType::kFloat32, {1, 2}, {6, 7});
}

TEST(StridedSlice, ClampingAndEmptyResults) {
  TestTensor x = Iota({4});
  ExpectOutput<float>(Strided(x, {-100}, {100}, {1}), 0, DType::kFloat32, {4}, {0, 1, 2, 3});
  ExpectOutput<float>(Strided(x, {3}, {1}, {1}), 0, DType::kFloat32, {0}, {});
  ExpectOutput<float>(Strided(x, {1}, {3}, {-1}), 0, DType::kFloat32, {0}, {});
  ExpectOutput<float>(Strided(Iota({0, 2}), {0, 0}, {1, 2}, {1, 1}), 0, DType::kFloat32, {0, 2}, {});
}

TEST(StridedSlice, ShrinkAxis) {
  TestTensor x = Iota({3, 4});
  Masks m;
  m.shrink = 1;
  ExpectOutput<float>(Strided(x, {1, 0}, {2, 4}, {1, 1}, m), 0, DType::kFloat32, {4}, {4, 5, 6, 7});
  // x[-1]: the end value does not matter for a shrunk axis.
  ExpectOutput<float>(Strided(x, {-1, 0}, {0, 4}, {1, 1}, m), 0, DType::kFloat32, {4}, {8, 9, 10, 11});
  Masks both;
  both.shrink = 3;
  ExpectOutput<float>(Strided(x, {2, -3}, {3, -2}, {1, 1}, both), 0, DType::kFloat32, {}, {9});
}

TEST(StridedSlice, Ellipsis) {
  TestTensor x = Iota({2, 3, 4});
  Masks last;  // x[..., 1]
  last.ellipsis = 1;
  last.shrink = 2;
  ExpectOutput<float>(Strided(x, {0, 1}, {0, 2}, {1, 1}, last), 0, DType::kFloat32, {2, 3}, {1, 5, 9, 13, 17, 21});
  Masks middle;  // x[0, ..., 1:3]
  middle.ellipsis = 2;
  middle.shrink = 1;
  ExpectOutput<float>(Strided(x, {0, 0, 1}, {1, 0, 3}, {1, 1, 1}, middle), 0, DType::kFloat32, {3, 2},
                      {1, 2, 5, 6, 9, 10});
  Masks empty_span;  // x[..., 0, 1, 2]: the ellipsis stands for no dimension
  empty_span.ellipsis = 1;
  empty_span.shrink = 14;
  ExpectOutput<float>(Strided(x, {0, 0, 1, 2}, {0, 1, 2, 3}, {1, 1, 1, 1}, empty_span), 0, DType::kFloat32, {},
                      {6});
  Masks alone;  // x[...]
  alone.ellipsis = 1;
  OpRun all = Strided(x, {0}, {0}, {1}, alone);
  ASSERT_TRUE(all.status.ok()) << all.status.ToString();
  EXPECT_EQ(all.outputs[0].shape, (Shape{2, 3, 4}));
}

TEST(StridedSlice, NewAxis) {
  TestTensor x = Iota({3, 4});
  Masks mid;  // x[:, newaxis, 1:3]
  mid.begin = 1;
  mid.end = 1;
  mid.new_axis = 2;
  ExpectOutput<float>(Strided(x, {0, 0, 1}, {0, 0, 3}, {1, 1, 1}, mid), 0, DType::kFloat32, {3, 1, 2},
                      {1, 2, 5, 6, 9, 10});
  Masks front;  // x[newaxis, 1]
  front.new_axis = 1;
  front.shrink = 2;
  ExpectOutput<float>(Strided(x, {0, 1}, {0, 2}, {1, 1}, front), 0, DType::kFloat32, {1, 4}, {4, 5, 6, 7});
  Masks with_ellipsis;  // x[..., newaxis]
  with_ellipsis.ellipsis = 1;
  with_ellipsis.new_axis = 2;
  OpRun r = Strided(x, {0, 0}, {0, 0}, {1, 1}, with_ellipsis);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.outputs[0].shape, (Shape{3, 4, 1}));
  Masks same_bit;  // ellipsis wins over new_axis at the same position
  same_bit.ellipsis = 1;
  same_bit.new_axis = 1;
  OpRun s = Strided(x, {0}, {0}, {1}, same_bit);
  ASSERT_TRUE(s.status.ok()) << s.status.ToString();
  EXPECT_EQ(s.outputs[0].shape, (Shape{3, 4}));
}

TEST(StridedSlice, FewerEntriesThanRank) {
  ExpectOutput<float>(Strided(Iota({3, 4}), {1}, {3}, {1}), 0, DType::kFloat32, {2, 4},
                      {4, 5, 6, 7, 8, 9, 10, 11});
}

TEST(StridedSlice, OffsetMakesEndRelative) {
  Masks m;
  m.offset = 1;
  ExpectOutput<float>(Strided(Iota({3, 4}), {1, 1}, {2, 2}, {1, 1}, m), 0, DType::kFloat32, {2, 2}, {5, 6, 9, 10});
  // Runtime begin with offset: the size stays, the window moves.
  TestTensor x = Iota({6});
  OpRun run = RunOp(Op::kStridedSlice, {x, I32({1}, {3}), ConstI32({1}, {2}), ConstI32({1}, {1})},
                    {DType::kFloat32}, SliceAttrs(m));
  ExpectOutput<float>(run, 0, DType::kFloat32, {2}, {3, 4});
}

TEST(StridedSlice, RuntimeIndicesAndInt64) {
  TestTensor x = I64({2, 3}, {1, 2, 3, 4, 5, 6});
  OpRun run = RunOp(Op::kStridedSlice, {x, I32({2}, {1, -1}), I32({2}, {2, -4}), I32({2}, {1, -1})}, {DType::kInt64});
  ExpectOutput<int64_t>(run, 0, DType::kInt64, {1, 3}, {6, 5, 4});
  OpRun i64 = RunOp(Op::kStridedSlice, {x, ConstI64({1}, {0}), ConstI64({1}, {1}), ConstI64({1}, {1})},
                    {DType::kInt64}, SliceAttrs({}));
  ExpectOutput<int64_t>(i64, 0, DType::kInt64, {1, 3}, {1, 2, 3});
}

TEST(StridedSlice, SeededRandomWithMixedSpec) {
  // x[3:0:-2, ::2, -1] on a [4, 5, 6] tensor: rows {3, 1}, cols {0, 2, 4}, last.
  std::vector<float> xs = RandomFloats(120, 42);
  Masks m;
  m.begin = 2;
  m.end = 2;
  m.shrink = 4;
  OpRun run = Strided(F32({4, 5, 6}, xs), {3, 0, -1}, {0, 0, 0}, {-2, 2, 1}, m);
  std::vector<float> expected;
  for (int i : {3, 1}) {
    for (int j : {0, 2, 4}) expected.push_back(xs[i * 30 + j * 6 + 5]);
  }
  ExpectOutput<float>(run, 0, DType::kFloat32, {2, 3}, expected);
}

TEST(StridedSlice, ExtremeInt64ValuesClampInsteadOfOverflowing) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min(), kMax = std::numeric_limits<int64_t>::max();
  TestTensor x = Iota({4});
  OpRun fwd = RunOp(Op::kStridedSlice, {x, ConstI64({1}, {kMin}), ConstI64({1}, {kMax}), ConstI64({1}, {kMax})},
                    {DType::kFloat32});
  ExpectOutput<float>(fwd, 0, DType::kFloat32, {1}, {0});
  OpRun bwd = RunOp(Op::kStridedSlice, {x, ConstI64({1}, {kMax}), ConstI64({1}, {kMin}), ConstI64({1}, {kMin})},
                    {DType::kFloat32});
  ExpectOutput<float>(bwd, 0, DType::kFloat32, {1}, {3});
  ExpectError(RunOp(Op::kSlice, {x, ConstI64({1}, {1}), ConstI64({1}, {kMax})}, {DType::kFloat32}), "exceeds");
  ExpectError(RunOp(Op::kSlice, {x, ConstI64({1}, {kMin}), ConstI64({1}, {1})}, {DType::kFloat32}), "out of range");
  ExpectError(RunOp(Op::kPad, {x, ConstI64({1, 2}, {0, kMax})}, {DType::kFloat32}), "too large");
}

TEST(StridedSlice, Errors) {
  TestTensor x = Iota({3, 4});
  ExpectError(Strided(x, {0, 0}, {1, 1}, {1, 0}), "zero");
  Masks shrink;
  shrink.shrink = 1;
  ExpectError(Strided(x, {3, 0}, {4, 1}, {1, 1}, shrink), "out of range");
  ExpectError(Strided(x, {-4, 0}, {4, 1}, {1, 1}, shrink), "out of range");
  Masks two_ellipses;
  two_ellipses.ellipsis = 3;
  ExpectError(Strided(x, {0, 0}, {1, 1}, {1, 1}, two_ellipses), "ellipsis");
  ExpectError(Strided(x, {0, 0, 0}, {1, 1, 1}, {1, 1, 1}), "dimensions");
  ExpectError(RunOp(Op::kStridedSlice, {x, ConstI32({2}, {0, 0}), ConstI32({1}, {1}), ConstI32({2}, {1, 1})},
                    {DType::kFloat32}),
              "same length");
  ExpectError(RunOp(Op::kStridedSlice, {x, ConstI32({1, 2}, {0, 0}), ConstI32({2}, {1, 1}), ConstI32({2}, {1, 1})},
                    {DType::kFloat32}),
              "1-D");
  ExpectError(RunOp(Op::kStridedSlice, {x, I32({2}, {0, 0}), I32({2}, {1, 1}), I32({2}, {0, 1})},
                    {DType::kFloat32}),
              "zero");
}

// --- PAD / PADV2 ---------------------------------------------------------------

TEST(Pad, ZeroPadding) {
  OpRun run = RunOp(Op::kPad, {F32({2, 2}, {1, 2, 3, 4}), ConstI32({2, 2}, {1, 0, 0, 2})}, {DType::kFloat32});
  ExpectOutput<float>(run, 0, DType::kFloat32, {3, 4}, {0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0});
}

TEST(Pad, Int64PaddingsAndRuntimePaddings) {
  OpRun run = RunOp(Op::kPad, {I32({2}, {7, 8}), ConstI64({1, 2}, {2, 1})}, {DType::kInt32});
  ExpectOutput<int32_t>(run, 0, DType::kInt32, {5}, {0, 0, 7, 8, 0});
  OpRun dyn = RunOp(Op::kPad, {I64({1, 2}, {5, 6}), I32({2, 2}, {0, 1, 1, 0})}, {DType::kInt64});
  ExpectOutput<int64_t>(dyn, 0, DType::kInt64, {2, 3}, {0, 5, 6, 0, 0, 0});
}

TEST(Pad, PadV2ConstantValue) {
  OpRun run = RunOp(Op::kPadv2, {F32({2}, {1, 2}), ConstI32({1, 2}, {1, 1}), ConstF32({}, {-9})}, {DType::kFloat32});
  ExpectOutput<float>(run, 0, DType::kFloat32, {4}, {-9, 1, 2, -9});
}

TEST(Pad, QuantizedOutputPadsWithZeroPoint) {
  GraphBuilder b;
  int x = b.Input("x", DType::kInt8, {2});
  int pads = b.Constant("pads", ConstI32({1, 2}, {1, 2}));
  int y = b.Tensor("y", DType::kInt8);
  b.subgraph().tensors[y].quantization.scale = {0.5f};
  b.subgraph().tensors[y].quantization.zero_point = {-5};
  b.AddNode(Op::kPad, {x, pads}, {y});
  b.Output(y);
  auto model = b.Build();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter interp(*model);
  ASSERT_TRUE(interp.AllocateTensors().ok());
  interp.tensor(x)->data_as<int8_t>()[0] = 3;
  interp.tensor(x)->data_as<int8_t>()[1] = -4;
  ASSERT_TRUE(interp.Invoke().ok());
  const Tensor* out = interp.tensor(y);
  ASSERT_EQ(out->shape, (Shape{5}));
  EXPECT_EQ(std::vector<int8_t>(out->data_as<int8_t>(), out->data_as<int8_t>() + 5),
            (std::vector<int8_t>{-5, 3, -4, -5, -5}));
}

TEST(Pad, Errors) {
  TestTensor x = F32({2, 2}, {1, 2, 3, 4});
  ExpectError(RunOp(Op::kPad, {x, ConstI32({2, 2}, {1, -1, 0, 0})}, {DType::kFloat32}), "negative");
  ExpectError(RunOp(Op::kPad, {x, ConstI32({1, 2}, {1, 1})}, {DType::kFloat32}), "[2, 2]");
  ExpectError(RunOp(Op::kPad, {x, ConstI32({2, 3}, {1, 1, 1, 1, 1, 1})}, {DType::kFloat32}), "[2, 2]");
  ExpectError(RunOp(Op::kPad, {x, ConstF32({2, 2}, {1, 1, 1, 1})}, {DType::kFloat32}), "int32");
  ExpectError(RunOp(Op::kPadv2, {x, ConstI32({2, 2}, {1, 1, 1, 1}), ConstI32({}, {0})}, {DType::kFloat32}),
              "constant_values");
  ExpectError(RunOp(Op::kPad, {x, I32({2, 2}, {0, 0, -2, 0})}, {DType::kFloat32}), "negative");
}

}  // namespace
}  // namespace rnnlite
