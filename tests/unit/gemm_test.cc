// Sgemm (OpenBLAS or the portable loop) and DotRows against a double
// precision triple loop, over seeded random shapes, transposes, leading
// dimensions and accumulate. Tolerance: 1e-5·(1 + K·max|a||b|) relative to
// the fp64 result's scale (float sums of K products of values in [-1, 1]).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "cpu_fallback/gemm.h"
#include "support/test_util.h"

namespace rnnlite {
namespace {

double RefElem(bool ta, bool tb, int64_t m, int64_t n, int64_t K, const std::vector<float>& A, int64_t lda,
               const std::vector<float>& B, int64_t ldb) {
  double acc = 0.0;
  for (int64_t k = 0; k < K; ++k) {
    const double a = ta ? A[k * lda + m] : A[m * lda + k];
    const double b = tb ? B[n * ldb + k] : B[k * ldb + n];
    acc += a * b;
  }
  return acc;
}

TEST(Gemm, SgemmMatchesFp64OverRandomShapes) {
  std::mt19937 rng(11);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int iter = 0; iter < 200; ++iter) {
    const bool ta = pick(0, 1) == 1, tb = pick(0, 1) == 1, acc = pick(0, 1) == 1;
    const int64_t M = pick(1, 40), N = pick(1, 70), K = pick(1, 90);
    const int64_t lda = (ta ? M : K) + pick(0, 3), ldb = (tb ? K : N) + pick(0, 3), ldc = N + pick(0, 3);
    const auto A = testing::RandomFloats(static_cast<size_t>((ta ? K : M) * lda), 100 + iter);
    const auto B = testing::RandomFloats(static_cast<size_t>((tb ? N : K) * ldb), 200 + iter);
    auto C = testing::RandomFloats(static_cast<size_t>(M * ldc), 300 + iter);
    const auto C0 = C;
    Sgemm(ta, tb, M, N, K, A.data(), lda, B.data(), ldb, C.data(), ldc, acc);
    const double tol = 1e-5 * (1.0 + static_cast<double>(K));
    for (int64_t m = 0; m < M; ++m) {
      for (int64_t n = 0; n < N; ++n) {
        const double want = RefElem(ta, tb, m, n, K, A, lda, B, ldb) + (acc ? C0[m * ldc + n] : 0.0);
        ASSERT_NEAR(C[m * ldc + n], want, tol) << "iter " << iter << " m " << m << " n " << n;
      }
      // Padding past N in each row is left alone.
      for (int64_t n = N; n < ldc; ++n) ASSERT_EQ(C[m * ldc + n], C0[m * ldc + n]);
    }
  }
}

TEST(Gemm, SgemmWithEmptyInnerDimensionZeroesOrKeeps) {
  std::vector<float> C = testing::RandomFloats(6, 5);
  const auto C0 = C;
  Sgemm(false, true, 2, 3, 0, nullptr, 1, nullptr, 1, C.data(), 3, true);
  EXPECT_EQ(C, C0);
  Sgemm(false, true, 2, 3, 0, nullptr, 1, nullptr, 1, C.data(), 3, false);
  EXPECT_EQ(C, std::vector<float>(6, 0.0f));
}

TEST(Gemm, DotRowsMatchesFp64AndIgnoresTheSplit) {
  std::mt19937 rng(12);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int iter = 0; iter < 100; ++iter) {
    const int64_t M = pick(1, 9), N = pick(1, 45), K = pick(1, 300);
    const int64_t lda = K + pick(0, 5), ldw = K + pick(0, 5), ldo = N + pick(0, 3);
    const auto a = testing::RandomFloats(static_cast<size_t>(M * lda), 400 + iter);
    const auto w = testing::RandomFloats(static_cast<size_t>(N * ldw), 500 + iter);
    std::vector<float> out(static_cast<size_t>(M * ldo), -3.0f);
    DotRows(M, N, K, a.data(), lda, w.data(), ldw, out.data(), ldo);
    for (int64_t m = 0; m < M; ++m) {
      for (int64_t n = 0; n < N; ++n) {
        ASSERT_NEAR(out[m * ldo + n], RefElem(false, true, m, n, K, a, lda, w, ldw), 1e-5 * (1.0 + K))
            << "iter " << iter;
      }
    }
    // Any split of the N rows gives the same bits (what lets threads own
    // hidden units without changing results).
    const int64_t cut = pick(0, static_cast<int>(N));
    std::vector<float> split(out.size(), -3.0f);
    DotRows(M, cut, K, a.data(), lda, w.data(), ldw, split.data(), ldo);
    DotRows(M, N - cut, K, a.data(), lda, w.data() + cut * ldw, ldw, split.data() + cut, ldo);
    ASSERT_EQ(0, std::memcmp(split.data(), out.data(), out.size() * sizeof(float))) << "iter " << iter;
  }
}

// Packed panels: against fp64, bitwise against the documented summation
// (one fma chain over k from zero), and bitwise across any split of N at a
// panel boundary as the recurrent op's threads split it (each thread packs
// its own rows). Odd M leaves partial 6-row tiles, N partial panels.
TEST(Gemm, DotRowsPackedMatchesFmaChainAndIgnoresTheSplit) {
  std::mt19937 rng(13);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int iter = 0; iter < 120; ++iter) {
    // K past 256 crosses the kernel's k blocks (the chains must resume).
    // M = 1 and 2 take the two-panel tiles (odd panel counts and a partial
    // second panel included through N).
    const int64_t M = iter % 3 == 0 ? 1 + (iter / 12) % 2 : pick(1, 23);
    const int64_t N = pick(1, 70), K = pick(1, iter % 4 == 0 ? 700 : 140);
    const int64_t lda = K + pick(0, 5), ldw = K + pick(0, 5), ldo = N + pick(0, 3);
    const auto a = testing::RandomFloats(static_cast<size_t>(M * lda), 600 + iter);
    const auto w = testing::RandomFloats(static_cast<size_t>(N * ldw), 700 + iter);
    std::vector<float> packed(static_cast<size_t>(PackedPanelFloats(N, K)), 9.0f);
    PackPanels(N, K, w.data(), ldw, packed.data());
    std::vector<float> out(static_cast<size_t>(M * ldo), -3.0f);
    DotRowsPacked(M, N, K, a.data(), lda, packed.data(), out.data(), ldo);
    for (int64_t m = 0; m < M; ++m) {
      for (int64_t n = 0; n < N; ++n) {
        float chain = 0.0f;
        for (int64_t k = 0; k < K; ++k) chain = std::fma(a[m * lda + k], w[n * ldw + k], chain);
        ASSERT_EQ(out[m * ldo + n], chain) << "iter " << iter << " m " << m << " n " << n;
        ASSERT_NEAR(out[m * ldo + n], RefElem(false, true, m, n, K, a, lda, w, ldw), 1e-5 * (1.0 + K));
      }
      for (int64_t n = N; n < ldo; ++n) ASSERT_EQ(out[m * ldo + n], -3.0f) << "wrote past N";
    }
    std::vector<float> reversed(out.size(), -3.0f);
    DotRowsPacked(M, N, K, a.data(), lda, packed.data(), reversed.data(), ldo, /*reverse_panels=*/true);
    ASSERT_EQ(0, std::memcmp(reversed.data(), out.data(), out.size() * sizeof(float))) << "reversed, iter " << iter;
    const int64_t cut = pick(0, static_cast<int>(N));
    std::vector<float> p0(static_cast<size_t>(PackedPanelFloats(cut, K)) + 1);
    std::vector<float> p1(static_cast<size_t>(PackedPanelFloats(N - cut, K)) + 1);
    PackPanels(cut, K, w.data(), ldw, p0.data());
    PackPanels(N - cut, K, w.data() + cut * ldw, ldw, p1.data());
    std::vector<float> split(out.size(), -3.0f);
    DotRowsPacked(M, cut, K, a.data(), lda, p0.data(), split.data(), ldo);
    DotRowsPacked(M, N - cut, K, a.data(), lda, p1.data(), split.data() + cut, ldo);
    ASSERT_EQ(0, std::memcmp(split.data(), out.data(), out.size() * sizeof(float))) << "iter " << iter;
  }
}

TEST(Gemm, BackendNameIsReported) {
  const std::string name = SgemmBackendName();
  EXPECT_FALSE(name.empty());
  EXPECT_EQ(SgemmUsesBlas(), name.rfind("OpenBLAS", 0) == 0) << name;
}

}  // namespace
}  // namespace rnnlite
