// CAST and DEQUANTIZE: hand-computed conversions, the rules for values C++
// leaves undefined (saturation, NaN), float16 bit patterns, per-tensor and
// per-channel dequantization, and errors.
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
using testing::MakeTensor;
using testing::OpRun;
using testing::RunOp;
using testing::TestTensor;

constexpr float kInf = std::numeric_limits<float>::infinity();

template <typename To>
std::vector<To> Cast(const TestTensor& in, DType to) {
  OpRun run = RunOp(Op::kCast, {in}, {to});
  EXPECT_TRUE(run.status.ok()) << run.status.ToString();
  if (!run.status.ok()) return {};
  EXPECT_EQ(run.outputs[0].dtype, to);
  EXPECT_EQ(run.outputs[0].shape, in.shape);
  return run.outputs[0].values<To>();
}

TEST(Cast, FloatToInt32TruncatesAndSaturates) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(Cast<int32_t>(F32({8}, {1.7f, -1.7f, 0, 2.5f, -2.5f, 3e9f, -3e9f, nan}), DType::kInt32),
            (std::vector<int32_t>{1, -1, 0, 2, -2, std::numeric_limits<int32_t>::max(),
                                  std::numeric_limits<int32_t>::min(), 0}));
}

TEST(Cast, FloatToUint8AndInt64) {
  EXPECT_EQ(Cast<uint8_t>(F32({4}, {-5, 300, 12.9f, 255}), DType::kUInt8),
            (std::vector<uint8_t>{0, 255, 12, 255}));
  EXPECT_EQ(Cast<int64_t>(F32({3}, {1099511627776.0f, -7.9f, -kInf}), DType::kInt64),
            (std::vector<int64_t>{1099511627776, -7, std::numeric_limits<int64_t>::min()}));
}

TEST(Cast, IntegersToFloat) {
  // 2^24 + 1 is not a float32: rounds to nearest even, 2^24.
  EXPECT_EQ(Cast<float>(I32({3}, {1, -2, 16777217}), DType::kFloat32),
            (std::vector<float>{1, -2, 16777216}));
  EXPECT_EQ(Cast<float>(I64({2}, {int64_t{1} << 40, -3}), DType::kFloat32),
            (std::vector<float>{1099511627776.0f, -3}));
  EXPECT_EQ(Cast<float>(MakeTensor<uint8_t>(DType::kUInt8, {3}, {0, 200, 255}), DType::kFloat32),
            (std::vector<float>{0, 200, 255}));
}

TEST(Cast, IntegerNarrowingWraps) {
  EXPECT_EQ(Cast<int32_t>(I64({3}, {(int64_t{1} << 32) + 5, -1, int64_t{3} << 31}), DType::kInt32),
            (std::vector<int32_t>{5, -1, std::numeric_limits<int32_t>::min()}));
  EXPECT_EQ(Cast<uint8_t>(I32({3}, {256 + 7, -1, 255}), DType::kUInt8),
            (std::vector<uint8_t>{7, 255, 255}));
  EXPECT_EQ(Cast<int64_t>(MakeTensor<int8_t>(DType::kInt8, {2}, {-128, 127}), DType::kInt64),
            (std::vector<int64_t>{-128, 127}));
  EXPECT_EQ(Cast<int64_t>(I32({2}, {-5, 6}), DType::kInt64), (std::vector<int64_t>{-5, 6}));
  EXPECT_EQ(Cast<int32_t>(I32({2}, {-5, 6}), DType::kInt32), (std::vector<int32_t>{-5, 6}));
}

TEST(Cast, Bool) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(Cast<uint8_t>(F32({4}, {0, -0.0f, 0.5f, nan}), DType::kBool),
            (std::vector<uint8_t>{0, 0, 1, 1}));
  EXPECT_EQ(Cast<uint8_t>(I64({3}, {0, -9, 1}), DType::kBool), (std::vector<uint8_t>{0, 1, 1}));
  // A stored byte other than 0/1 still reads as true.
  EXPECT_EQ(Cast<float>(testing::Bool({4}, {0, 1, 2, 0}), DType::kFloat32),
            (std::vector<float>{0, 1, 1, 0}));
  EXPECT_EQ(Cast<int32_t>(testing::Bool({2}, {1, 0}), DType::kInt32), (std::vector<int32_t>{1, 0}));
  EXPECT_EQ(Cast<uint8_t>(testing::Bool({2}, {7, 0}), DType::kBool), (std::vector<uint8_t>{1, 0}));
}

TEST(Cast, Float16BitPatterns) {
  EXPECT_EQ(Cast<uint16_t>(F32({7}, {1, -2, 65504, 0.5f, 1.0f / 3, 1e5f, 5.9604645e-8f}),
                           DType::kFloat16),
            (std::vector<uint16_t>{0x3C00, 0xC000, 0x7BFF, 0x3800, 0x3555, 0x7C00, 0x0001}));
  std::vector<float> back = Cast<float>(
      MakeTensor<uint16_t>(DType::kFloat16, {6}, {0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x8000}),
      DType::kFloat32);
  EXPECT_EQ(back, (std::vector<float>{1, -2, 65504, 5.9604645e-8f, kInf, -0.0f}));
  EXPECT_EQ(Cast<int32_t>(MakeTensor<uint16_t>(DType::kFloat16, {2}, {0x4500, 0xC500}),
                          DType::kInt32),
            (std::vector<int32_t>{5, -5}));
}

TEST(Cast, Float64) {
  EXPECT_EQ(Cast<float>(MakeTensor<double>(DType::kFloat64, {4}, {1.5, 1e300, -1e300, 0.1}),
                        DType::kFloat32),
            (std::vector<float>{1.5f, kInf, -kInf, 0.1f}));
  EXPECT_EQ(Cast<double>(F32({2}, {0.1f, -3}), DType::kFloat64),
            (std::vector<double>{static_cast<double>(0.1f), -3.0}));
  EXPECT_EQ(Cast<int64_t>(MakeTensor<double>(DType::kFloat64, {2}, {-1e30, 4e15 + 0.5}),
                          DType::kInt64),
            (std::vector<int64_t>{std::numeric_limits<int64_t>::min(), 4000000000000000}));
}

TEST(Cast, ShapesAndAttributes) {
  // The attributes only describe the conversion; the tensor dtypes decide.
  AttrMap attrs;
  attrs.SetInt("in_data_type", static_cast<int64_t>(DType::kFloat32));
  attrs.SetInt("out_data_type", static_cast<int64_t>(DType::kInt32));
  OpRun run = RunOp(Op::kCast, {F32({2, 1, 2}, {1.5f, 2.5f, -3.5f, 4})}, {DType::kInt32}, attrs);
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  EXPECT_EQ(run.outputs[0].shape, (Shape{2, 1, 2}));
  EXPECT_EQ(run.outputs[0].values<int32_t>(), (std::vector<int32_t>{1, 2, -3, 4}));
  EXPECT_EQ(Cast<int32_t>(F32({}, {9.9f}), DType::kInt32), std::vector<int32_t>{9});
}

TEST(Cast, UnsupportedDtypes) {
  OpRun run = RunOp(Op::kCast, {F32({1}, {1})}, {DType::kComplex64});
  ASSERT_FALSE(run.status.ok());
  EXPECT_EQ(run.status.code(), StatusCode::kUnsupported) << run.status.ToString();
  OpRun arity = RunOp(Op::kCast, {F32({1}, {1}), F32({1}, {1})}, {DType::kInt32});
  EXPECT_FALSE(arity.status.ok());
}

// --- DEQUANTIZE ----------------------------------------------------------------

// Runs DEQUANTIZE on `in` carrying quantization `q` (a constant when
// `constant`, as weights are, otherwise a graph input).
OpRun Dequantize(const TestTensor& in, const QuantizationParams& q, bool constant,
                 DType out_dtype = DType::kFloat32) {
  testing::GraphBuilder b;
  const int x = constant ? b.Constant("q", in) : b.Input("q", in.dtype, in.shape);
  b.subgraph().tensors[x].quantization = q;
  const int y = b.Tensor("y", out_dtype);
  b.Output(y);
  b.AddNode(Op::kDequantize, {x}, {y});
  OpRun run;
  auto model = b.Build();
  if (!model.ok()) {
    run.status = model.status();
    return run;
  }
  Interpreter interp(*model);
  run.status = interp.AllocateTensors();
  if (!run.status.ok()) return run;
  if (!constant) std::copy(in.bytes.begin(), in.bytes.end(), interp.tensor(x)->data);
  run.status = interp.Invoke();
  if (!run.status.ok()) return run;
  const Tensor* t = interp.tensor(y);
  run.outputs.push_back(TestTensor{t->dtype, t->shape, std::vector<uint8_t>(t->data, t->data + t->bytes)});
  return run;
}

QuantizationParams Quant(std::vector<float> scale, std::vector<int64_t> zero_point, int axis = 0) {
  QuantizationParams q;
  q.scale = std::move(scale);
  q.zero_point = std::move(zero_point);
  q.quantized_dimension = axis;
  return q;
}

TEST(Dequantize, Float16) {
  OpRun run = RunOp(Op::kDequantize,
                    {MakeTensor<uint16_t>(DType::kFloat16, {2, 2}, {0x3C00, 0xB800, 0x4248, 0x0000}, true)},
                    {DType::kFloat32});
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  // 0x4248 = 2^1 * (1 + 0x248/1024) = 3.140625.
  ExpectTensorNear(run.outputs[0], {2, 2}, {1, -0.5f, 3.140625f, 0}, 0, 0);
}

TEST(Dequantize, Int8AndUint8PerTensor) {
  for (bool constant : {true, false}) {
    SCOPED_TRACE(constant ? "constant" : "input");
    OpRun i8 = Dequantize(MakeTensor<int8_t>(DType::kInt8, {4}, {-128, -1, 0, 127}),
                          Quant({0.5f}, {-1}), constant);
    ASSERT_TRUE(i8.status.ok()) << i8.status.ToString();
    ExpectTensorNear(i8.outputs[0], {4}, {-63.5f, 0, 0.5f, 64}, 0, 0);
    OpRun u8 = Dequantize(MakeTensor<uint8_t>(DType::kUInt8, {3}, {0, 128, 255}),
                          Quant({0.1f}, {128}), constant);
    ASSERT_TRUE(u8.status.ok()) << u8.status.ToString();
    ExpectTensorNear(u8.outputs[0], {3}, {-12.8f, 0, 12.7f}, 1e-6f, 1e-6f);
  }
  OpRun i16 = Dequantize(MakeTensor<int16_t>(DType::kInt16, {2}, {-32768, 1000}),
                         Quant({0.25f}, {0}), true);
  ASSERT_TRUE(i16.status.ok()) << i16.status.ToString();
  ExpectTensorNear(i16.outputs[0], {2}, {-8192, 250}, 0, 0);
  // No zero points at all means zero.
  OpRun nozp = Dequantize(MakeTensor<int8_t>(DType::kInt8, {2}, {4, -4}), Quant({2}, {}), true);
  ASSERT_TRUE(nozp.status.ok()) << nozp.status.ToString();
  ExpectTensorNear(nozp.outputs[0], {2}, {8, -8}, 0, 0);
}

TEST(Dequantize, Int8PerChannel) {
  const TestTensor q = MakeTensor<int8_t>(DType::kInt8, {2, 3}, {1, 2, 3, 4, 5, 6}, true);
  OpRun rows = Dequantize(q, Quant({1, 0.5f}, {0, 0}, 0), true);
  ASSERT_TRUE(rows.status.ok()) << rows.status.ToString();
  ExpectTensorNear(rows.outputs[0], {2, 3}, {1, 2, 3, 2, 2.5f, 3}, 0, 0);
  // Along the last dim: (q - zp[c]) * scale[c] with c = column.
  OpRun cols = Dequantize(q, Quant({1, 2, 3}, {0, 1, -1}, 1), true);
  ASSERT_TRUE(cols.status.ok()) << cols.status.ToString();
  ExpectTensorNear(cols.outputs[0], {2, 3}, {1, 2, 12, 4, 8, 21}, 0, 0);
}

TEST(Dequantize, Errors) {
  const TestTensor q = MakeTensor<int8_t>(DType::kInt8, {2, 3}, {1, 2, 3, 4, 5, 6}, true);
  // No quantization parameters.
  EXPECT_FALSE(Dequantize(q, QuantizationParams{}, true).status.ok());
  // Scale count matches no dim / quantized_dimension out of range.
  EXPECT_FALSE(Dequantize(q, Quant({1, 2}, {0, 0}, 1), true).status.ok());
  EXPECT_FALSE(Dequantize(q, Quant({1, 2}, {0, 0}, 2), true).status.ok());
  // Zero points disagree with scales, or do not fit the stored type.
  EXPECT_FALSE(Dequantize(q, Quant({1, 2}, {0}, 0), true).status.ok());
  EXPECT_FALSE(Dequantize(q, Quant({1}, {200}), true).status.ok());
  EXPECT_FALSE(Dequantize(q, Quant({std::numeric_limits<float>::quiet_NaN()}, {0}), true).status.ok());
  // Output must be float32; float32 input is not quantized.
  EXPECT_FALSE(Dequantize(q, Quant({1}, {0}), true, DType::kInt32).status.ok());
  OpRun f32 = RunOp(Op::kDequantize, {F32({1}, {1})}, {DType::kFloat32});
  ASSERT_FALSE(f32.status.ok());
  EXPECT_EQ(f32.status.code(), StatusCode::kUnsupported) << f32.status.ToString();
}

}  // namespace
}  // namespace rnnlite
