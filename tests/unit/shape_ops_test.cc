// RESHAPE, SQUEEZE, EXPAND_DIMS, SHAPE, FILL, ZEROS_LIKE: hand-computed
// shapes and values, every dtype these ops move, shapes that depend on
// runtime values (dynamic outputs), graph inputs resized at run time, and
// errors. Data movement copies bits, so values are compared exactly.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "support/test_util.h"

namespace rnnlite {
namespace {

using testing::Bool;
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

AttrMap Ints(const char* name, std::vector<int64_t> v) {
  AttrMap a;
  a.SetInts(name, std::move(v));
  return a;
}

const std::vector<float> kSix = {1.5f, -2, 3, -4.25f, 5, 6};

// --- RESHAPE -------------------------------------------------------------------

TEST(Reshape, ConstantShapeWithInferredDim) {
  OpRun run = RunOp(Op::kReshape, {F32({2, 3}, kSix), ConstI32({2}, {3, -1})}, {DType::kFloat32});
  ExpectOutput<float>(run, 0, DType::kFloat32, {3, 2}, kSix);
}

TEST(Reshape, Int64ShapeTensor) {
  OpRun run = RunOp(Op::kReshape, {F32({6}, kSix), ConstI64({3}, {-1, 1, 2})}, {DType::kFloat32});
  ExpectOutput<float>(run, 0, DType::kFloat32, {3, 1, 2}, kSix);
}

TEST(Reshape, NewShapeAttributeWithoutShapeInput) {
  OpRun run = RunOp(Op::kReshape, {F32({2, 3}, kSix)}, {DType::kFloat32}, Ints("new_shape", {1, 6}));
  ExpectOutput<float>(run, 0, DType::kFloat32, {1, 6}, kSix);
}

TEST(Reshape, LegacyZeroNewShapeMeansScalar) {
  OpRun run = RunOp(Op::kReshape, {F32({1, 1}, {7.5f})}, {DType::kFloat32}, Ints("new_shape", {0}));
  ExpectOutput<float>(run, 0, DType::kFloat32, {}, {7.5f});
}

TEST(Reshape, ShapeTensorWinsOverAttribute) {
  OpRun run = RunOp(Op::kReshape, {F32({2, 3}, kSix), ConstI32({1}, {6})}, {DType::kFloat32},
                    Ints("new_shape", {3, 2}));
  ExpectOutput<float>(run, 0, DType::kFloat32, {6}, kSix);
}

TEST(Reshape, NonConstantShapeGivesDynamicOutput) {
  // The shape tensor is a graph input: its value is only known in Invoke.
  OpRun run = RunOp(Op::kReshape, {F32({2, 3}, kSix), I32({3}, {3, 1, -1})}, {DType::kFloat32});
  ExpectOutput<float>(run, 0, DType::kFloat32, {3, 1, 2}, kSix);
}

TEST(Reshape, EmptyTensorKeepsZeroDim) {
  OpRun run = RunOp(Op::kReshape, {F32({0, 3}, {}), ConstI32({2}, {3, 0})}, {DType::kFloat32});
  ExpectOutput<float>(run, 0, DType::kFloat32, {3, 0}, {});
}

TEST(Reshape, MovesEveryDType) {
  OpRun b = RunOp(Op::kReshape, {Bool({4}, {1, 0, 0, 1}), ConstI32({2}, {2, 2})}, {DType::kBool});
  ExpectOutput<uint8_t>(b, 0, DType::kBool, {2, 2}, {1, 0, 0, 1});
  OpRun i8 = RunOp(Op::kReshape, {MakeTensor<int8_t>(DType::kInt8, {4}, {-128, 0, 5, 127}), ConstI32({1}, {-1})},
                   {DType::kInt8}, Ints("new_shape", {4}));
  ExpectOutput<int8_t>(i8, 0, DType::kInt8, {4}, {-128, 0, 5, 127});
  OpRun u8 = RunOp(Op::kReshape, {MakeTensor<uint8_t>(DType::kUInt8, {2, 1}, {200, 3}), ConstI32({1}, {2})},
                   {DType::kUInt8});
  ExpectOutput<uint8_t>(u8, 0, DType::kUInt8, {2}, {200, 3});
  // float16 bit patterns for 1.0, -2.0, 0.5
  OpRun f16 = RunOp(Op::kReshape,
                    {MakeTensor<uint16_t>(DType::kFloat16, {3}, {0x3c00, 0xc000, 0x3800}), ConstI32({2}, {3, 1})},
                    {DType::kFloat16});
  ExpectOutput<uint16_t>(f16, 0, DType::kFloat16, {3, 1}, {0x3c00, 0xc000, 0x3800});
  OpRun i64 = RunOp(Op::kReshape, {I64({2}, {int64_t{1} << 40, -3}), ConstI32({2}, {1, 2})}, {DType::kInt64});
  ExpectOutput<int64_t>(i64, 0, DType::kInt64, {1, 2}, {int64_t{1} << 40, -3});
}

TEST(Reshape, Errors) {
  ExpectError(RunOp(Op::kReshape, {F32({2, 3}, kSix), ConstI32({2}, {-1, -1})}, {DType::kFloat32}),
              "more than one -1");
  ExpectError(RunOp(Op::kReshape, {F32({2, 3}, kSix), ConstI32({2}, {4, 2})}, {DType::kFloat32}), "elements");
  ExpectError(RunOp(Op::kReshape, {F32({2, 3}, kSix), ConstI32({2}, {4, -1})}, {DType::kFloat32}),
              "cannot infer");
  ExpectError(RunOp(Op::kReshape, {F32({2, 3}, kSix), ConstI32({2}, {-2, -3})}, {DType::kFloat32}),
              "invalid dimension");
  ExpectError(RunOp(Op::kReshape, {F32({0, 3}, {}), ConstI32({2}, {0, -1})}, {DType::kFloat32}), "cannot infer");
  ExpectError(RunOp(Op::kReshape, {F32({2, 3}, kSix), ConstI64({2}, {int64_t{1} << 62, 1 << 20})},
                    {DType::kFloat32}),
              "elements");
  ExpectError(RunOp(Op::kReshape, {F32({2, 3}, kSix)}, {DType::kFloat32}), "new_shape");
  ExpectError(RunOp(Op::kReshape, {F32({2, 3}, kSix), ConstF32({2}, {3, 2})}, {DType::kFloat32}), "1-D");
  ExpectError(RunOp(Op::kReshape, {F32({2, 3}, kSix), ConstI32({2}, {3, 2})}, {DType::kInt32}), "dtype");
  // A wrong runtime shape fails in Invoke with a status, not a crash.
  ExpectError(RunOp(Op::kReshape, {F32({2, 3}, kSix), I32({2}, {5, 5})}, {DType::kFloat32}), "elements");
}

// --- SQUEEZE -------------------------------------------------------------------

TEST(Squeeze, AllSizeOneDimsByDefault) {
  OpRun run = RunOp(Op::kSqueeze, {F32({1, 2, 1, 3, 1}, kSix)}, {DType::kFloat32});
  ExpectOutput<float>(run, 0, DType::kFloat32, {2, 3}, kSix);
}

TEST(Squeeze, ListedDimsIncludingNegative) {
  OpRun run = RunOp(Op::kSqueeze, {F32({1, 2, 1, 3}, kSix)}, {DType::kFloat32}, Ints("squeeze_dims", {-2}));
  ExpectOutput<float>(run, 0, DType::kFloat32, {1, 2, 3}, kSix);
  OpRun both = RunOp(Op::kSqueeze, {F32({1, 2, 1, 3}, kSix)}, {DType::kFloat32}, Ints("squeeze_dims", {0, 2}));
  ExpectOutput<float>(both, 0, DType::kFloat32, {2, 3}, kSix);
}

TEST(Squeeze, ToScalar) {
  OpRun run = RunOp(Op::kSqueeze, {I32({1, 1}, {42})}, {DType::kInt32});
  ExpectOutput<int32_t>(run, 0, DType::kInt32, {}, {42});
}

TEST(Squeeze, Errors) {
  ExpectError(RunOp(Op::kSqueeze, {F32({1, 2, 3}, kSix)}, {DType::kFloat32}, Ints("squeeze_dims", {1})),
              "cannot squeeze");
  ExpectError(RunOp(Op::kSqueeze, {F32({1, 6}, kSix)}, {DType::kFloat32}, Ints("squeeze_dims", {2})),
              "out of range");
  ExpectError(RunOp(Op::kSqueeze, {F32({1, 6}, kSix)}, {DType::kFloat32}, Ints("squeeze_dims", {-3})),
              "out of range");
}

// --- EXPAND_DIMS ---------------------------------------------------------------

TEST(ExpandDims, EveryPositionIncludingNegative) {
  struct Case {
    int32_t axis;
    Shape shape;
  };
  for (const Case& c : {Case{0, {1, 2, 3}}, Case{1, {2, 1, 3}}, Case{2, {2, 3, 1}}, Case{-1, {2, 3, 1}},
                        Case{-3, {1, 2, 3}}}) {
    OpRun run = RunOp(Op::kExpandDims, {F32({2, 3}, kSix), ConstI32({}, {c.axis})}, {DType::kFloat32});
    ExpectOutput<float>(run, 0, DType::kFloat32, c.shape, kSix);
  }
}

TEST(ExpandDims, Int64AndRuntimeAxis) {
  OpRun i64 = RunOp(Op::kExpandDims, {I32({2}, {7, 8}), ConstI64({1}, {-1})}, {DType::kInt32});
  ExpectOutput<int32_t>(i64, 0, DType::kInt32, {2, 1}, {7, 8});
  OpRun dynamic = RunOp(Op::kExpandDims, {I32({2}, {7, 8}), I32({}, {0})}, {DType::kInt32});
  ExpectOutput<int32_t>(dynamic, 0, DType::kInt32, {1, 2}, {7, 8});
}

TEST(ExpandDims, Errors) {
  ExpectError(RunOp(Op::kExpandDims, {F32({2, 3}, kSix), ConstI32({}, {3})}, {DType::kFloat32}), "out of range");
  ExpectError(RunOp(Op::kExpandDims, {F32({2, 3}, kSix), ConstI32({}, {-4})}, {DType::kFloat32}), "out of range");
  ExpectError(RunOp(Op::kExpandDims, {F32({2, 3}, kSix), ConstI32({2}, {0, 1})}, {DType::kFloat32}),
              "exactly one");
  ExpectError(RunOp(Op::kExpandDims, {F32({2, 3}, kSix), ConstF32({}, {0})}, {DType::kFloat32}), "int32");
}

// --- SHAPE ---------------------------------------------------------------------

TEST(ShapeOp, Int32AndInt64Outputs) {
  TestTensor x = F32({2, 3, 1}, kSix);
  ExpectOutput<int32_t>(RunOp(Op::kShape, {x}, {DType::kInt32}), 0, DType::kInt32, {3}, {2, 3, 1});
  AttrMap out_type;
  out_type.SetInt("out_type", static_cast<int64_t>(DType::kInt64));
  ExpectOutput<int64_t>(RunOp(Op::kShape, {x}, {DType::kInt64}, out_type), 0, DType::kInt64, {3}, {2, 3, 1});
}

TEST(ShapeOp, ScalarInputGivesEmptyVector) {
  ExpectOutput<int32_t>(RunOp(Op::kShape, {F32({}, {1})}, {DType::kInt32}), 0, DType::kInt32, {0}, {});
}

TEST(ShapeOp, Errors) {
  ExpectError(RunOp(Op::kShape, {F32({2}, {1, 2})}, {DType::kFloat32}), "int32 or int64");
  AttrMap out_type;
  out_type.SetInt("out_type", static_cast<int64_t>(DType::kInt64));
  ExpectError(RunOp(Op::kShape, {F32({2}, {1, 2})}, {DType::kInt32}, out_type), "out_type");
}

// --- FILL ----------------------------------------------------------------------

TEST(Fill, ConstantDims) {
  OpRun run = RunOp(Op::kFill, {ConstI32({2}, {2, 3}), F32({}, {1.5f})}, {DType::kFloat32});
  ExpectOutput<float>(run, 0, DType::kFloat32, {2, 3}, std::vector<float>(6, 1.5f));
}

TEST(Fill, Int64DimsAndOtherDTypes) {
  OpRun i32 = RunOp(Op::kFill, {ConstI64({1}, {3}), I32({}, {-7})}, {DType::kInt32});
  ExpectOutput<int32_t>(i32, 0, DType::kInt32, {3}, {-7, -7, -7});
  OpRun b = RunOp(Op::kFill, {ConstI32({2}, {1, 2}), Bool({}, {1})}, {DType::kBool});
  ExpectOutput<uint8_t>(b, 0, DType::kBool, {1, 2}, {1, 1});
  OpRun i64 = RunOp(Op::kFill, {ConstI32({0}, {}), I64({}, {int64_t{1} << 33})}, {DType::kInt64});
  ExpectOutput<int64_t>(i64, 0, DType::kInt64, {}, {int64_t{1} << 33});
}

TEST(Fill, RuntimeDimsGiveDynamicOutput) {
  OpRun run = RunOp(Op::kFill, {I32({3}, {1, 2, 2}), F32({}, {-0.5f})}, {DType::kFloat32});
  ExpectOutput<float>(run, 0, DType::kFloat32, {1, 2, 2}, std::vector<float>(4, -0.5f));
}

TEST(Fill, Errors) {
  ExpectError(RunOp(Op::kFill, {ConstI32({2}, {2, -1}), F32({}, {1})}, {DType::kFloat32}), "negative");
  ExpectError(RunOp(Op::kFill, {ConstI32({2}, {2, 2}), F32({1}, {1})}, {DType::kFloat32}), "scalar");
  ExpectError(RunOp(Op::kFill, {ConstI32({2}, {2, 2}), F32({}, {1})}, {DType::kInt32}), "dtype");
  ExpectError(RunOp(Op::kFill, {ConstI32({1, 2}, {2, 2}), F32({}, {1})}, {DType::kFloat32}), "1-D");
  ExpectError(RunOp(Op::kFill, {I32({2}, {3, -3}), F32({}, {1})}, {DType::kFloat32}), "negative");
}

// --- ZEROS_LIKE ----------------------------------------------------------------

TEST(ZerosLike, FloatAndInt) {
  OpRun f = RunOp(Op::kZerosLike, {F32({2, 3}, RandomFloats(6, 11))}, {DType::kFloat32});
  ExpectOutput<float>(f, 0, DType::kFloat32, {2, 3}, std::vector<float>(6, 0.0f));
  OpRun i = RunOp(Op::kZerosLike, {I64({3}, {5, -6, 7})}, {DType::kInt64});
  ExpectOutput<int64_t>(i, 0, DType::kInt64, {3}, {0, 0, 0});
  ExpectError(RunOp(Op::kZerosLike, {I64({3}, {5, -6, 7})}, {DType::kInt32}), "dtype");
}

// --- graphs with runtime shapes ------------------------------------------------

// x [-1, 6] (dynamic batch) feeds:
//   RESHAPE(x, [-1, 3]) -> r          static once x is resized
//   SHAPE(x) -> s ; FILL(s, 2.5) -> f dynamic (dims computed in the graph)
//   TRANSPOSE(f, [1, 0]) -> t         prepared in Invoke (dynamic input)
TEST(ShapeGraph, ResizedInputFlowsThroughStaticAndDynamicNodes) {
  GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, {1, 6}, {-1, 6});
  int shape_const = b.Constant("shape", ConstI32({2}, {-1, 3}));
  int value = b.Constant("value", ConstF32({}, {2.5f}));
  int perm = b.Constant("perm", ConstI32({2}, {1, 0}));
  int r = b.Tensor("r", DType::kFloat32);
  int s = b.Tensor("s", DType::kInt32);
  int f = b.Tensor("f", DType::kFloat32);
  int t = b.Tensor("t", DType::kFloat32);
  b.AddNode(Op::kReshape, {x, shape_const}, {r});
  b.AddNode(Op::kShape, {x}, {s});
  b.AddNode(Op::kFill, {s, value}, {f});
  b.AddNode(Op::kTranspose, {f, perm}, {t});
  b.Output(r);
  b.Output(t);
  auto model = b.Build();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter interp(*model);

  for (int32_t batch : {2, 3, 1}) {
    SCOPED_TRACE(batch);
    ASSERT_TRUE(interp.ResizeInputTensor(x, {batch, 6}).ok());
    ASSERT_TRUE(interp.AllocateTensors().ok());
    std::vector<float> xs = RandomFloats(static_cast<size_t>(batch) * 6, 100 + batch);
    std::memcpy(interp.tensor(x)->data, xs.data(), xs.size() * sizeof(float));
    Status st = interp.Invoke();
    ASSERT_TRUE(st.ok()) << st.ToString();
    const Tensor* rt = interp.tensor(r);
    EXPECT_EQ(rt->shape, (Shape{2 * batch, 3}));
    EXPECT_EQ(std::vector<float>(rt->data_as<float>(), rt->data_as<float>() + xs.size()), xs);
    const Tensor* tt = interp.tensor(t);
    EXPECT_EQ(tt->shape, (Shape{6, batch}));
    for (int64_t i = 0; i < tt->num_elements(); ++i) EXPECT_EQ(tt->data_as<float>()[i], 2.5f);
  }
}

TEST(ShapeGraph, ResizeOnlyDynamicDims) {
  GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, {1, 4}, {-1, 4});
  int y = b.Tensor("y", DType::kFloat32);
  b.AddNode(Op::kSqueeze, {x}, {y});
  b.Output(y);
  auto model = b.Build();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter interp(*model);
  EXPECT_FALSE(interp.ResizeInputTensor(x, {1, 5}).ok());  // dim 1 is static
  ASSERT_TRUE(interp.ResizeInputTensor(x, {3, 4}).ok());
  ASSERT_TRUE(interp.AllocateTensors().ok());
  EXPECT_EQ(interp.tensor(y)->shape, (Shape{3, 4}));
  // Back to batch 1: the default squeeze now drops the batch dim.
  ASSERT_TRUE(interp.ResizeInputTensor(x, {1, 4}).ok());
  ASSERT_TRUE(interp.AllocateTensors().ok());
  EXPECT_EQ(interp.tensor(y)->shape, (Shape{4}));
}

// Options written to and read back from a .tflite file reach the kernels
// under the names they expect (masks, axes, counts, new_shape).
TEST(ShapeGraph, OptionsSurviveTfliteRoundTrip) {
  GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, {2, 3});
  int begin = b.Constant("begin", ConstI32({2}, {-1, 0}));
  int end = b.Constant("end", ConstI32({2}, {0, 0}));
  int strides = b.Constant("strides", ConstI32({2}, {-1, 1}));
  int indices = b.Constant("indices", ConstI32({2}, {4, 0}));
  int rev = b.Tensor("rev", DType::kFloat32);
  int cat = b.Tensor("cat", DType::kFloat32);
  int picked = b.Tensor("picked", DType::kFloat32);
  int row0 = b.Tensor("row0", DType::kFloat32);
  int row1 = b.Tensor("row1", DType::kFloat32);
  int packed = b.Tensor("packed", DType::kFloat32);
  int flat = b.Tensor("flat", DType::kFloat32);
  AttrMap ss;
  ss.SetInt("end_mask", 3);  // rows from the last backwards, all columns
  b.AddNode(Op::kStridedSlice, {x, begin, end, strides}, {rev}, ss);
  AttrMap concat;
  concat.SetInt("axis", -1);
  b.AddNode(Op::kConcatenation, {rev, x}, {cat}, concat);
  AttrMap gather;
  gather.SetInt("axis", 1);
  b.AddNode(Op::kGather, {cat, indices}, {picked}, gather);
  AttrMap unpack;
  unpack.SetInt("num", 2);
  b.AddNode(Op::kUnpack, {picked}, {row0, row1}, unpack);
  AttrMap pack;
  pack.SetInt("values_count", 2);
  pack.SetInt("axis", 1);
  b.AddNode(Op::kPack, {row0, row1}, {packed}, pack);
  b.AddNode(Op::kReshape, {packed}, {flat}, Ints("new_shape", {4}));
  b.Output(flat);
  auto bytes = WriteTflite(b.graph());
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto model = Model::FromBuffer(bytes->data(), bytes->size());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter interp(*model);
  ASSERT_TRUE(interp.AllocateTensors().ok());
  const std::vector<float> xs = {0, 1, 2, 3, 4, 5};
  std::memcpy(interp.input_tensor(0)->data, xs.data(), sizeof(float) * xs.size());
  Status st = interp.Invoke();
  ASSERT_TRUE(st.ok()) << st.ToString();
  // rev = [[3 4 5] [0 1 2]]; cat = [[3 4 5 0 1 2] [0 1 2 3 4 5]];
  // picked = cat[:, [4, 0]] = [[1 3] [4 0]]; pack(unpack(picked), axis 1) = picked^T.
  const Tensor* out = interp.output_tensor(0);
  ASSERT_EQ(out->shape, (Shape{4}));
  EXPECT_EQ(std::vector<float>(out->data_as<float>(), out->data_as<float>() + 4), (std::vector<float>{1, 4, 3, 0}));
}

}  // namespace
}  // namespace rnnlite
