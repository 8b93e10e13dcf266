// The broadcasting helper (cpu_fallback/broadcast.h) and the float16
// conversions (cpu_fallback/elementwise_half.h), tested without a graph.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "cpu_fallback/broadcast.h"
#include "cpu_fallback/elementwise_half.h"

namespace rnnlite {
namespace {

Shape MustBroadcast(const Shape& a, const Shape& b) {
  StatusOr<Shape> s = BroadcastShapes(a, b);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : Shape{};
}

TEST(BroadcastShapes, NumpyRules) {
  EXPECT_EQ(MustBroadcast({2, 3}, {3}), (Shape{2, 3}));
  EXPECT_EQ(MustBroadcast({3}, {2, 3}), (Shape{2, 3}));
  EXPECT_EQ(MustBroadcast({2, 1, 3}, {4, 1}), (Shape{2, 4, 3}));
  EXPECT_EQ(MustBroadcast({}, {2, 2}), (Shape{2, 2}));
  EXPECT_EQ(MustBroadcast({}, {}), (Shape{}));
  EXPECT_EQ(MustBroadcast({1}, {}), (Shape{1}));
  EXPECT_EQ(MustBroadcast({5, 1}, {1, 7}), (Shape{5, 7}));
  // A zero dim broadcasts against 1 (and itself) only.
  EXPECT_EQ(MustBroadcast({0, 3}, {1, 3}), (Shape{0, 3}));
  EXPECT_EQ(MustBroadcast({2, 1, 2, 1, 2, 1}, {1, 2, 1, 2, 1, 2}), (Shape{2, 2, 2, 2, 2, 2}));
}

TEST(BroadcastShapes, IncompatibleShapesNameBothShapesAndTheDim) {
  StatusOr<Shape> s = BroadcastShapes({2, 3}, {4});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.status().message().find("[2, 3]"), std::string::npos) << s.status().message();
  EXPECT_NE(s.status().message().find("[4]"), std::string::npos) << s.status().message();
  EXPECT_NE(s.status().message().find("3 vs 4"), std::string::npos) << s.status().message();
  EXPECT_FALSE(BroadcastShapes({0, 3}, {2, 3}).ok());
  EXPECT_FALSE(BroadcastShapes({-1}, {1}).ok());
}

TEST(BroadcastShapes, ManyShapes) {
  StatusOr<Shape> s = BroadcastShapes(std::vector<Shape>{{3, 1, 1}, {1, 4, 1}, {5}});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, (Shape{3, 4, 5}));
  EXPECT_FALSE(BroadcastShapes(std::vector<Shape>{{3}, {1}, {4}}).ok());
  StatusOr<Shape> none = BroadcastShapes(std::vector<Shape>{});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, Shape{});
}

TEST(BroadcastsTo, Rules) {
  EXPECT_TRUE(BroadcastsTo({3}, {2, 3}));
  EXPECT_TRUE(BroadcastsTo({}, {2, 3}));
  EXPECT_TRUE(BroadcastsTo({1, 3}, {2, 3}));
  EXPECT_FALSE(BroadcastsTo({2, 3}, {3}));
  EXPECT_FALSE(BroadcastsTo({2}, {2, 3}));
}

TEST(BroadcastStrides, ZeroAlongRepeatedDims) {
  EXPECT_EQ(BroadcastStrides({2, 1, 3}, {2, 4, 3}), (std::vector<int64_t>{3, 0, 1}));
  EXPECT_EQ(BroadcastStrides({4, 1}, {2, 4, 3}), (std::vector<int64_t>{0, 1, 0}));
  EXPECT_EQ(BroadcastStrides({}, {2, 2}), (std::vector<int64_t>{0, 0}));
}

TEST(BroadcastIterator, VisitsEveryOutputInOrderWithMatchingInputIndices) {
  // out[i][j][k] = a[i][0][k], b[j][0] for a: [2,1,3], b: [4,1].
  BroadcastIterator it({2, 4, 3}, {{2, 1, 3}, {4, 1}});
  int64_t expected_out = 0;
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 4; ++j) {
      for (int k = 0; k < 3; ++k) {
        ASSERT_FALSE(it.done());
        EXPECT_EQ(it.output_index(), expected_out++);
        EXPECT_EQ(it.input_index(0), i * 3 + k);
        EXPECT_EQ(it.input_index(1), j);
        it.Next();
      }
    }
  }
  EXPECT_TRUE(it.done());
}

TEST(BroadcastIterator, ScalarAndEmptyOutputs) {
  BroadcastIterator scalar({}, {{}, {}});
  ASSERT_FALSE(scalar.done());
  EXPECT_EQ(scalar.input_index(0), 0);
  scalar.Next();
  EXPECT_TRUE(scalar.done());

  BroadcastIterator empty({0, 3}, {{0, 3}, {3}});
  EXPECT_TRUE(empty.done());
}

TEST(BroadcastIterator, Rank6IndicesStayInBounds) {
  const Shape a{2, 1, 2, 1, 2, 1};
  const Shape b{1, 2, 1, 2, 1, 2};
  const Shape out = MustBroadcast(a, b);
  int64_t count = 0;
  for (BroadcastIterator it(out, {a, b}); !it.done(); it.Next()) {
    ASSERT_GE(it.input_index(0), 0);
    ASSERT_LT(it.input_index(0), 8);
    ASSERT_GE(it.input_index(1), 0);
    ASSERT_LT(it.input_index(1), 8);
    // a's flat index uses the odd dims' bits, b's the even ones.
    const int64_t o = it.output_index();
    int64_t ia = 0, ib = 0;
    for (int d = 0; d < 6; ++d) {
      const int64_t digit = (o >> (5 - d)) & 1;
      if (d % 2 == 0) ia = ia * 2 + digit;
      else ib = ib * 2 + digit;
    }
    EXPECT_EQ(it.input_index(0), ia) << "output index " << o;
    EXPECT_EQ(it.input_index(1), ib) << "output index " << o;
    ++count;
  }
  EXPECT_EQ(count, 64);
}

uint32_t Bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

TEST(Float16, ToFloatExactValues) {
  EXPECT_EQ(HalfToFloat(0x3C00), 1.0f);
  EXPECT_EQ(HalfToFloat(0xC000), -2.0f);
  EXPECT_EQ(HalfToFloat(0x3800), 0.5f);
  EXPECT_EQ(HalfToFloat(0x7BFF), 65504.0f);
  EXPECT_EQ(HalfToFloat(0x0001), std::ldexp(1.0f, -24));  // smallest subnormal
  EXPECT_EQ(HalfToFloat(0x03FF), std::ldexp(1023.0f, -24));  // largest subnormal
  EXPECT_EQ(HalfToFloat(0x0400), std::ldexp(1.0f, -14));  // smallest normal
  EXPECT_EQ(HalfToFloat(0x7C00), std::numeric_limits<float>::infinity());
  EXPECT_EQ(HalfToFloat(0xFC00), -std::numeric_limits<float>::infinity());
  EXPECT_EQ(Bits(HalfToFloat(0x8000)), 0x80000000u);  // -0 keeps its sign
  EXPECT_TRUE(std::isnan(HalfToFloat(0x7E00)));
  EXPECT_TRUE(std::isnan(HalfToFloat(0x7C01)));
}

TEST(Float16, FromFloatRoundsToNearestEven) {
  EXPECT_EQ(FloatToHalf(1.0f), 0x3C00);
  EXPECT_EQ(FloatToHalf(-2.0f), 0xC000);
  EXPECT_EQ(FloatToHalf(65504.0f), 0x7BFF);
  EXPECT_EQ(FloatToHalf(1.0f / 3.0f), 0x3555);
  EXPECT_EQ(FloatToHalf(0.1f), 0x2E66);
  // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to the even 1.
  EXPECT_EQ(FloatToHalf(1.0f + std::ldexp(1.0f, -11)), 0x3C00);
  // 1 + 3 * 2^-11 lies halfway between odd 0x3C01 and even 0x3C02.
  EXPECT_EQ(FloatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3C02);
  // 65520 is halfway between 65504 and the next (unrepresentable) step: inf.
  EXPECT_EQ(FloatToHalf(65519.0f), 0x7BFF);
  EXPECT_EQ(FloatToHalf(65520.0f), 0x7C00);
  EXPECT_EQ(FloatToHalf(1e10f), 0x7C00);
  EXPECT_EQ(FloatToHalf(-1e10f), 0xFC00);
  EXPECT_EQ(FloatToHalf(std::numeric_limits<float>::infinity()), 0x7C00);
  EXPECT_EQ(FloatToHalf(std::ldexp(1.0f, -24)), 0x0001);
  EXPECT_EQ(FloatToHalf(std::ldexp(1.0f, -25)), 0x0000);  // tie to even zero
  EXPECT_EQ(FloatToHalf(std::ldexp(1.5f, -25)), 0x0001);
  EXPECT_EQ(FloatToHalf(std::ldexp(3.0f, -25)), 0x0002);  // 1.5 ulp: tie to even 2
  EXPECT_EQ(FloatToHalf(std::ldexp(1023.5f, -24)), 0x0400);  // rounds up into normals
  EXPECT_EQ(FloatToHalf(1e-30f), 0x0000);
  EXPECT_EQ(FloatToHalf(-0.0f), 0x8000);
  const uint16_t nan = FloatToHalf(std::numeric_limits<float>::quiet_NaN());
  EXPECT_EQ(nan & 0x7C00, 0x7C00);
  EXPECT_NE(nan & 0x03FF, 0);
}

TEST(Float16, EveryFiniteHalfRoundTrips) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float f = HalfToFloat(static_cast<uint16_t>(h));
    if (std::isnan(f)) continue;
    ASSERT_EQ(FloatToHalf(f), h) << "half bits " << h;
  }
}

}  // namespace
}  // namespace rnnlite
