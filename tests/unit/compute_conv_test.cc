// CONV_2D and DEPTHWISE_CONV_2D reference kernels: hand-computed SAME/VALID/
// stride/dilation cases, a padded-buffer naive convolution on seeded random
// data, dynamic batch, and bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "support/test_util.h"

namespace rnnlite {
namespace {

using testing::Absent;
using testing::ConstF32;
using testing::ExpectTensorNear;
using testing::F32;
using testing::RandomFloats;
using testing::RunOp;

std::vector<float> Iota(int n) {
  std::vector<float> v(n);
  for (int i = 0; i < n; ++i) v[i] = float(i + 1);
  return v;
}

struct ConvAttrs {
  int64_t padding = 1;  // VALID
  int64_t stride_h = 1, stride_w = 1;
  int64_t dil_h = 1, dil_w = 1;
  int64_t act = 0;
  int64_t depth_multiplier = 0;
  AttrMap map() const {
    AttrMap a;
    a.SetInt("padding", padding);
    a.SetInt("stride_h", stride_h);
    a.SetInt("stride_w", stride_w);
    a.SetInt("dilation_h_factor", dil_h);
    a.SetInt("dilation_w_factor", dil_w);
    a.SetInt("fused_activation_function", act);
    if (depth_multiplier != 0) a.SetInt("depth_multiplier", depth_multiplier);
    return a;
  }
};

// Input 3x3 (1..9), filter 2x2 [1,2,3,4], bias .5, VALID:
//   [1*1+2*2+4*3+5*4, ...] = [37, 47, 67, 77] + .5
TEST(Conv2d, ValidHandComputed) {
  auto r = RunOp(Op::kConv2d, {F32({1, 3, 3, 1}, Iota(9)), ConstF32({1, 2, 2, 1}, {1, 2, 3, 4}), ConstF32({1}, {0.5f})},
                 {DType::kFloat32}, ConvAttrs{}.map());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectTensorNear(r.outputs[0], {1, 2, 2, 1}, {37.5f, 47.5f, 67.5f, 77.5f});
}

// Same input and filter, SAME, stride 1: total padding 1 goes after (TFLite
// puts the odd pixel at the end), so the last row/column sees zeros.
TEST(Conv2d, SameHandComputedPadsAtTheEnd) {
  ConvAttrs a;
  a.padding = 0;
  auto r = RunOp(Op::kConv2d, {F32({1, 3, 3, 1}, Iota(9)), ConstF32({1, 2, 2, 1}, {1, 2, 3, 4}), Absent()},
                 {DType::kFloat32}, a.map());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectTensorNear(r.outputs[0], {1, 3, 3, 1}, {37, 47, 21, 67, 77, 33, 23, 26, 9});
}

// Input 4x4 (1..16), 3x3 ones, SAME, stride 2: out 2x2, total pad 1 (after):
//   windows rows/cols {0-2},{2-3} -> 54, 45, 72, 54.
TEST(Conv2d, SameStride2HandComputed) {
  ConvAttrs a;
  a.padding = 0;
  a.stride_h = a.stride_w = 2;
  auto r = RunOp(Op::kConv2d, {F32({1, 4, 4, 1}, Iota(16)), ConstF32({1, 3, 3, 1}, std::vector<float>(9, 1.0f))},
                 {DType::kFloat32}, a.map());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectTensorNear(r.outputs[0], {1, 2, 2, 1}, {54, 45, 72, 54});
}

// Dilation 2, VALID, 2x2 filter [1,2,3,4] on 4x4 (1..16): effective 3x3,
//   out(y,x) = in[y][x] + 2 in[y][x+2] + 3 in[y+2][x] + 4 in[y+2][x+2].
TEST(Conv2d, DilationHandComputed) {
  ConvAttrs a;
  a.dil_h = a.dil_w = 2;
  auto r = RunOp(Op::kConv2d, {F32({1, 4, 4, 1}, Iota(16)), ConstF32({1, 2, 2, 1}, {1, 2, 3, 4})}, {DType::kFloat32},
                 a.map());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectTensorNear(r.outputs[0], {1, 2, 2, 1}, {78, 88, 118, 128});
}

// 1x1 conv mixing 2 channels into 3, bias and RELU: [1,2] -> [1, 2, 3-10 -> 0].
TEST(Conv2d, ChannelsBiasAndRelu) {
  ConvAttrs a;
  a.act = 1;
  auto r = RunOp(Op::kConv2d,
                 {F32({1, 1, 1, 2}, {1, 2}), ConstF32({3, 1, 1, 2}, {1, 0, 0, 1, 1, 1}), ConstF32({3}, {0, 0, -10})},
                 {DType::kFloat32}, a.map());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectTensorNear(r.outputs[0], {1, 1, 1, 3}, {1, 2, 0});
}

// Grouped conv (filter sees 2 of 4 input channels): out 0 = 1+2, out 1 = 3-4.
TEST(Conv2d, GroupedChannels) {
  auto r = RunOp(Op::kConv2d, {F32({1, 1, 1, 4}, {1, 2, 3, 4}), ConstF32({2, 1, 1, 2}, {1, 1, 1, -1})},
                 {DType::kFloat32}, ConvAttrs{}.map());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectTensorNear(r.outputs[0], {1, 1, 1, 2}, {3, -1});
}

// Independent naive convolution: builds the zero-padded image explicitly
// and slides the (dilated) filter over it. groups = cin / filter cin;
// depthwise when `multiplier` > 0 (filter [1, kh, kw, cin * multiplier]).
std::vector<float> NaiveConv(const std::vector<float>& x, int n, int h, int w, int cin, const std::vector<float>& f,
                             int cout, int kh, int kw, const std::vector<float>& bias, bool same, int sh, int sw,
                             int dh, int dw, int multiplier, int* out_h, int* out_w) {
  const int eh = (kh - 1) * dh + 1, ew = (kw - 1) * dw + 1;
  *out_h = same ? (h + sh - 1) / sh : (h - eh) / sh + 1;
  *out_w = same ? (w + sw - 1) / sw : (w - ew) / sw + 1;
  const int pad_h = same ? std::max(0, (*out_h - 1) * sh + eh - h) : 0;
  const int pad_w = same ? std::max(0, (*out_w - 1) * sw + ew - w) : 0;
  const int top = pad_h / 2, left = pad_w / 2;
  const int ph = h + pad_h, pw = w + pad_w;
  std::vector<float> padded(size_t(n) * ph * pw * cin, 0.0f);
  for (int b = 0; b < n; ++b)
    for (int y = 0; y < h; ++y)
      for (int xx = 0; xx < w; ++xx)
        for (int c = 0; c < cin; ++c)
          padded[((size_t(b) * ph + y + top) * pw + xx + left) * cin + c] = x[((size_t(b) * h + y) * w + xx) * cin + c];
  const int fcin = multiplier > 0 ? 1 : static_cast<int>(f.size() / (size_t(cout) * kh * kw));
  std::vector<float> out;
  for (int b = 0; b < n; ++b)
    for (int oy = 0; oy < *out_h; ++oy)
      for (int ox = 0; ox < *out_w; ++ox)
        for (int oc = 0; oc < cout; ++oc) {
          double acc = bias.empty() ? 0.0 : bias[oc];
          for (int ky = 0; ky < kh; ++ky)
            for (int kx = 0; kx < kw; ++kx) {
              const int py = oy * sh + ky * dh, px = ox * sw + kx * dw;
              if (multiplier > 0) {
                const int ic = oc / multiplier;
                acc += double(padded[((size_t(b) * ph + py) * pw + px) * cin + ic]) * f[(ky * kw + kx) * cout + oc];
              } else {
                const int group = oc / (cout / (cin / fcin));
                for (int c = 0; c < fcin; ++c)
                  acc += double(padded[((size_t(b) * ph + py) * pw + px) * cin + group * fcin + c]) *
                         f[((size_t(oc) * kh + ky) * kw + kx) * fcin + c];
              }
            }
          out.push_back(float(acc));
        }
  return out;
}

TEST(Conv2d, RandomAgainstNaivePaddedConvolution) {
  struct Case {
    int n, h, w, cin, cout, kh, kw, fcin;
    bool same;
    int sh, sw, dh, dw;
  };
  const Case cases[] = {
      {2, 5, 6, 3, 4, 3, 3, 3, true, 1, 1, 1, 1},  {1, 7, 5, 2, 3, 3, 2, 2, true, 2, 3, 1, 1},
      {1, 8, 8, 2, 2, 3, 3, 2, true, 1, 1, 2, 3},  {2, 6, 7, 4, 2, 2, 3, 4, false, 2, 1, 2, 1},
      {1, 9, 9, 4, 6, 3, 3, 2, true, 2, 2, 1, 1},  {1, 4, 4, 1, 1, 5, 5, 1, true, 3, 3, 1, 1},
  };
  uint32_t seed = 100;
  for (const Case& c : cases) {
    auto x = RandomFloats(size_t(c.n) * c.h * c.w * c.cin, ++seed);
    auto f = RandomFloats(size_t(c.cout) * c.kh * c.kw * c.fcin, ++seed);
    auto bias = RandomFloats(c.cout, ++seed);
    ConvAttrs a;
    a.padding = c.same ? 0 : 1;
    a.stride_h = c.sh, a.stride_w = c.sw, a.dil_h = c.dh, a.dil_w = c.dw;
    auto r = RunOp(Op::kConv2d,
                   {F32({c.n, c.h, c.w, c.cin}, x), ConstF32({c.cout, c.kh, c.kw, c.fcin}, f), ConstF32({c.cout}, bias)},
                   {DType::kFloat32}, a.map());
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    int oh, ow;
    auto expected = NaiveConv(x, c.n, c.h, c.w, c.cin, f, c.cout, c.kh, c.kw, bias, c.same, c.sh, c.sw, c.dh, c.dw,
                              /*multiplier=*/0, &oh, &ow);
    SCOPED_TRACE("case seed " + std::to_string(seed));
    ExpectTensorNear(r.outputs[0], {c.n, oh, ow, c.cout}, expected, 1e-5f, 1e-5f);
  }
}

TEST(Conv2d, RejectsBadInput) {
  auto x = F32({1, 3, 3, 2}, RandomFloats(18, 1));
  // 2 input channels, filter reads 3 (does not divide): channel mismatch.
  auto mismatch = RunOp(Op::kConv2d, {x, ConstF32({1, 2, 2, 3}, RandomFloats(12, 2))}, {DType::kFloat32},
                        ConvAttrs{}.map());
  EXPECT_EQ(mismatch.status.code(), StatusCode::kInvalidArgument) << mismatch.status.ToString();
  // Rank 3 input.
  auto rank = RunOp(Op::kConv2d, {F32({3, 3, 2}, RandomFloats(18, 1)), ConstF32({1, 2, 2, 2}, RandomFloats(8, 2))},
                    {DType::kFloat32}, ConvAttrs{}.map());
  EXPECT_FALSE(rank.status.ok());
  auto filter = ConstF32({1, 2, 2, 2}, RandomFloats(8, 2));
  // Stride 0 (also what an in-memory graph without strides means).
  ConvAttrs zero_stride;
  zero_stride.stride_w = 0;
  EXPECT_FALSE(RunOp(Op::kConv2d, {x, filter}, {DType::kFloat32}, zero_stride.map()).status.ok());
  EXPECT_FALSE(RunOp(Op::kConv2d, {x, filter}, {DType::kFloat32}, AttrMap{}).status.ok());
  ConvAttrs bad_pad;
  bad_pad.padding = 2;
  EXPECT_FALSE(RunOp(Op::kConv2d, {x, filter}, {DType::kFloat32}, bad_pad.map()).status.ok());
  ConvAttrs bad_dil;
  bad_dil.dil_h = 0;
  EXPECT_FALSE(RunOp(Op::kConv2d, {x, filter}, {DType::kFloat32}, bad_dil.map()).status.ok());
  // Bias length differs from output channels.
  EXPECT_FALSE(RunOp(Op::kConv2d, {x, filter, ConstF32({2}, {1, 2})}, {DType::kFloat32}, ConvAttrs{}.map()).status.ok());
  // VALID with a dilated filter far larger than the input.
  ConvAttrs big;
  big.dil_h = big.dil_w = 4;
  EXPECT_FALSE(RunOp(Op::kConv2d, {x, filter}, {DType::kFloat32}, big.map()).status.ok());
  // Quantized filter with float input (hybrid) is Unsupported.
  auto int8_f = testing::MakeTensor<int8_t>(DType::kInt8, {1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}, true);
  EXPECT_EQ(RunOp(Op::kConv2d, {x, int8_f}, {DType::kFloat32}, ConvAttrs{}.map()).status.code(),
            StatusCode::kUnsupported);
}

// ---------------------------------------------------------------------------

// Input 2x2 with channels c0 = [1,2,3,4], c1 = [10,20,30,40]; multiplier 2:
//   oc0 (c0): ones -> 10         oc1 (c0): top-left only -> 1
//   oc2 (c1): bottom-right -> 40 oc3 (c1): [1,-1,1,-1] -> -20
// plus bias [1,2,3,4].
TEST(DepthwiseConv2d, HandComputedWithMultiplier) {
  ConvAttrs a;
  a.depth_multiplier = 2;
  auto r = RunOp(Op::kDepthwiseConv2d,
                 {F32({1, 2, 2, 2}, {1, 10, 2, 20, 3, 30, 4, 40}),
                  ConstF32({1, 2, 2, 4}, {1, 1, 0, 1, 1, 0, 0, -1, 1, 0, 0, 1, 1, 0, 1, -1}),
                  ConstF32({4}, {1, 2, 3, 4})},
                 {DType::kFloat32}, a.map());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectTensorNear(r.outputs[0], {1, 1, 1, 4}, {11, 3, 43, -16});
}

TEST(DepthwiseConv2d, SameStrideDilationAgainstNaive) {
  struct Case {
    int n, h, w, cin, mult, kh, kw;
    bool same;
    int sh, sw, dh, dw;
    int64_t act;
  };
  const Case cases[] = {
      {1, 5, 5, 3, 1, 3, 3, true, 1, 1, 1, 1, 0},  {2, 6, 7, 2, 3, 3, 2, true, 2, 2, 1, 1, 0},
      {1, 8, 8, 2, 2, 3, 3, true, 1, 1, 2, 2, 3},  {1, 7, 6, 4, 1, 2, 3, false, 1, 2, 2, 1, 1},
  };
  uint32_t seed = 200;
  for (const Case& c : cases) {
    const int cout = c.cin * c.mult;
    auto x = RandomFloats(size_t(c.n) * c.h * c.w * c.cin, ++seed, -3, 3);
    auto f = RandomFloats(size_t(c.kh) * c.kw * cout, ++seed);
    auto bias = RandomFloats(cout, ++seed);
    ConvAttrs a;
    a.padding = c.same ? 0 : 1;
    a.stride_h = c.sh, a.stride_w = c.sw, a.dil_h = c.dh, a.dil_w = c.dw, a.act = c.act;
    a.depth_multiplier = c.mult;
    auto r = RunOp(Op::kDepthwiseConv2d,
                   {F32({c.n, c.h, c.w, c.cin}, x), ConstF32({1, c.kh, c.kw, cout}, f), ConstF32({cout}, bias)},
                   {DType::kFloat32}, a.map());
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    int oh, ow;
    auto expected = NaiveConv(x, c.n, c.h, c.w, c.cin, f, cout, c.kh, c.kw, bias, c.same, c.sh, c.sw, c.dh, c.dw,
                              c.mult, &oh, &ow);
    for (float& v : expected) {
      if (c.act == 1) v = std::max(0.0f, v);
      if (c.act == 3) v = std::min(6.0f, std::max(0.0f, v));
    }
    SCOPED_TRACE("case seed " + std::to_string(seed));
    ExpectTensorNear(r.outputs[0], {c.n, oh, ow, cout}, expected, 1e-5f, 1e-5f);
  }
}

TEST(DepthwiseConv2d, RejectsBadInput) {
  auto x = F32({1, 3, 3, 2}, RandomFloats(18, 1));
  ConvAttrs a;
  // Filter channels 3 are not a multiple of 2 input channels.
  EXPECT_EQ(RunOp(Op::kDepthwiseConv2d, {x, ConstF32({1, 2, 2, 3}, RandomFloats(12, 2))}, {DType::kFloat32}, a.map())
                .status.code(),
            StatusCode::kInvalidArgument);
  // depth_multiplier attribute disagrees with the shapes (4 / 2 = 2, not 3).
  ConvAttrs wrong_mult;
  wrong_mult.depth_multiplier = 3;
  EXPECT_FALSE(RunOp(Op::kDepthwiseConv2d, {x, ConstF32({1, 2, 2, 4}, RandomFloats(16, 2))}, {DType::kFloat32},
                     wrong_mult.map())
                   .status.ok());
  // Filter's first dim must be 1.
  EXPECT_FALSE(RunOp(Op::kDepthwiseConv2d, {x, ConstF32({2, 2, 2, 2}, RandomFloats(16, 2))}, {DType::kFloat32},
                     a.map())
                   .status.ok());
  // Rank 2 filter.
  EXPECT_FALSE(
      RunOp(Op::kDepthwiseConv2d, {x, ConstF32({2, 2}, RandomFloats(4, 2))}, {DType::kFloat32}, a.map()).status.ok());
}

// A batch dimension left dynamic in shape_signature and resized after load.
TEST(Conv2d, DynamicBatchThroughResizeInputTensor) {
  testing::GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, {1, 3, 3, 1}, {-1, 3, 3, 1});
  int f = b.Constant("f", ConstF32({1, 2, 2, 1}, {1, 2, 3, 4}));
  int bias = b.Constant("b", ConstF32({1}, {0.5f}));
  int y = b.Tensor("y", DType::kFloat32);
  b.AddNode(Op::kConv2d, {x, f, bias}, {y}, ConvAttrs{}.map());
  b.Output(y);
  auto model = b.Build();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter interp(*model);
  ASSERT_TRUE(interp.ResizeInputTensor(x, {2, 3, 3, 1}).ok());
  ASSERT_TRUE(interp.AllocateTensors().ok());
  float* in = interp.tensor(x)->data_as<float>();
  for (int i = 0; i < 9; ++i) {
    in[i] = float(i + 1);
    in[9 + i] = -float(i + 1);  // second image: negated, so outputs negate (bias aside)
  }
  Status s = interp.Invoke();
  ASSERT_TRUE(s.ok()) << s.ToString();
  const Tensor* out = interp.tensor(y);
  ASSERT_EQ(out->shape, (Shape{2, 2, 2, 1}));
  const float* o = out->data_as<float>();
  ExpectTensorNear(F32(out->shape, std::vector<float>(o, o + 8)), {2, 2, 2, 1},
                   {37.5f, 47.5f, 67.5f, 77.5f, -36.5f, -46.5f, -66.5f, -76.5f});
}

}  // namespace
}  // namespace rnnlite
