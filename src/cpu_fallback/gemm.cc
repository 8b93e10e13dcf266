// Sgemm (OpenBLAS or a portable loop) and DotRows (AVX2+FMA with a runtime
// CPU check, or a portable loop). See gemm.h.
#include "cpu_fallback/gemm.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <string>

#if defined(__x86_64__)
#include <immintrin.h>
#define RNNLITE_X86 1
#endif

#ifdef RNNLITE_HAVE_OPENBLAS
#include <cblas.h>
#endif

namespace rnnlite {
namespace {

#ifdef RNNLITE_HAVE_OPENBLAS
}  // namespace
}  // namespace rnnlite

// Exported by OpenBLAS's pthread build (its fork handler uses it), absent
// from the serial and OpenMP builds: weak, so it is null there.
extern "C" int blas_thread_shutdown_(void) __attribute__((weak));

namespace rnnlite {
namespace {

// Our pool splits the work; OpenBLAS's own threads would oversubscribe the
// cores and add a wake-up per call (a recurrent step makes thousands).
// Pinning is not enough for the pthread build: it starts its server
// threads when the library loads, and they spin on sched_yield for about
// 0.1 s (OpenBLAS's thread timeout) before sleeping, a third busy thread
// beside our two during a process's first runs (docs/performance.md). With
// one thread OpenBLAS never hands work to them, so they are stopped; the
// serial build (thread-unsafe for concurrent callers in Debian's build,
// which our pool is) is not an option.
void PinBlasToOneThread() {
  static std::once_flag once;
  std::call_once(once, [] {
    openblas_set_num_threads(1);
    if (blas_thread_shutdown_ != nullptr) blas_thread_shutdown_();
  });
}
#endif

[[maybe_unused]] void SgemmPortable(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const float* A, int64_t lda,
                   const float* B, int64_t ldb, float* C, int64_t ldc, bool accumulate) {
  for (int64_t m = 0; m < M; ++m) {
    for (int64_t n = 0; n < N; ++n) {
      float acc = 0.0f;
      for (int64_t k = 0; k < K; ++k) {
        const float a = trans_a ? A[k * lda + m] : A[m * lda + k];
        const float b = trans_b ? B[n * ldb + k] : B[k * ldb + n];
        acc += a * b;
      }
      C[m * ldc + n] = accumulate ? C[m * ldc + n] + acc : acc;
    }
  }
}

float DotPortable(const float* a, const float* w, int64_t K) {
  float acc = 0.0f;
  for (int64_t k = 0; k < K; ++k) acc += a[k] * w[k];
  return acc;
}

#ifdef RNNLITE_X86
bool HasAvx2Fma() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
}

// Horizontal sums in one fixed order: pairs within 128-bit halves
// (hadd), pairs of pairs (hadd), then low half + high half. HSum4 does the
// same for four vectors at once, so an output's bits never depend on
// whether it was reduced alone or in a group of four.
__attribute__((target("avx2,fma"))) inline float HSum(__m256 v) {
  v = _mm256_hadd_ps(v, v);
  v = _mm256_hadd_ps(v, v);
  return _mm_cvtss_f32(_mm_add_ss(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1)));
}

__attribute__((target("avx2,fma"))) inline __m128 HSum4(__m256 a, __m256 b, __m256 c, __m256 d) {
  const __m256 t = _mm256_hadd_ps(_mm256_hadd_ps(a, b), _mm256_hadd_ps(c, d));
  return _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps(t, 1));
}

// Dot products of MB rows of `a` with R rows of w. Every output is one
// 8-wide accumulator over 8-element blocks of k, a fixed horizontal sum,
// then the scalar tail with fma, whatever R and MB are: the blocking only
// decides which outputs share loads, never an output's bits.
template <int R, int MB>
__attribute__((target("avx2,fma"))) inline void DotBlock(const float* a, int64_t lda, const float* w, int64_t ldw,
                                                         int64_t K, float* out, int64_t ldo) {
  __m256 acc[MB][R];
#pragma GCC unroll 8
  for (int m = 0; m < MB; ++m) {
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) acc[m][r] = _mm256_setzero_ps();
  }
  int64_t k = 0;
  for (; k + 8 <= K; k += 8) {
    __m256 x[MB];
#pragma GCC unroll 8
    for (int m = 0; m < MB; ++m) x[m] = _mm256_loadu_ps(a + m * lda + k);
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
      const __m256 wv = _mm256_loadu_ps(w + r * ldw + k);
#pragma GCC unroll 8
      for (int m = 0; m < MB; ++m) acc[m][r] = _mm256_fmadd_ps(wv, x[m], acc[m][r]);
    }
  }
  if constexpr (R % 4 == 0) {
    if (k == K) {
      for (int m = 0; m < MB; ++m) {
        for (int r = 0; r < R; r += 4) {
          _mm_storeu_ps(out + m * ldo + r, HSum4(acc[m][r], acc[m][r + 1], acc[m][r + 2], acc[m][r + 3]));
        }
      }
      return;
    }
  }
  for (int m = 0; m < MB; ++m) {
    for (int r = 0; r < R; ++r) {
      float s = HSum(acc[m][r]);
      for (int64_t j = k; j < K; ++j) s = std::fma(a[m * lda + j], w[r * ldw + j], s);
      out[m * ldo + r] = s;
    }
  }
}

// Rows of w in blocks of R (they stay in L1 while the batch rows pass over
// them, so each weight is read from memory once per call); batch rows in
// pairs when there are several (6 loads feed 8 FMAs), else 8 weight rows
// against one batch row (8 independent FMA chains).
__attribute__((target("avx2,fma"))) void DotRowsAvx2(int64_t M, int64_t N, int64_t K, const float* a,
                                                     int64_t lda, const float* w, int64_t ldw, float* out,
                                                     int64_t ldo) {
  if (M == 1) {
    int64_t n = 0;
    for (; n + 8 <= N; n += 8) DotBlock<8, 1>(a, lda, w + n * ldw, ldw, K, out + n, ldo);
    for (; n < N; ++n) DotBlock<1, 1>(a, lda, w + n * ldw, ldw, K, out + n, ldo);
    return;
  }
  int64_t n = 0;
  for (; n + 4 <= N; n += 4) {
    int64_t m = 0;
    for (; m + 2 <= M; m += 2) DotBlock<4, 2>(a + m * lda, lda, w + n * ldw, ldw, K, out + m * ldo + n, ldo);
    for (; m < M; ++m) DotBlock<4, 1>(a + m * lda, lda, w + n * ldw, ldw, K, out + m * ldo + n, ldo);
  }
  for (; n < N; ++n) {
    for (int64_t m = 0; m < M; ++m) DotBlock<1, 1>(a + m * lda, lda, w + n * ldw, ldw, K, out + m * ldo + n, ldo);
  }
}

// One tile: MR batch rows × 16 packed columns, 2·MR accumulators held in
// registers for the whole k loop (MR = 6: 12 accumulators + 2 weight
// vectors + 1 broadcast fit the 16 ymm registers). Named variables rather
// than an array: GCC kept an indexed accumulator array on the stack.
// Resumes an output row's accumulators from `out` (a later k block).
__attribute__((target("avx2,fma"))) inline void LoadRow(const float* out, int64_t width, __m256* lo, __m256* hi) {
  if (width == kPanelCols) {
    *lo = _mm256_loadu_ps(out);
    *hi = _mm256_loadu_ps(out + 8);
    return;
  }
  alignas(32) float tmp[kPanelCols] = {};
  std::memcpy(tmp, out, static_cast<size_t>(width) * sizeof(float));
  *lo = _mm256_load_ps(tmp);
  *hi = _mm256_load_ps(tmp + 8);
}

// Writes one output row of a tile: the first `width` of its 16 columns.
__attribute__((target("avx2,fma"))) inline void StoreRow(float* out, int64_t width, __m256 lo, __m256 hi) {
  if (width == kPanelCols) {
    _mm256_storeu_ps(out, lo);
    _mm256_storeu_ps(out + 8, hi);
    return;
  }
  alignas(32) float tmp[kPanelCols];
  _mm256_store_ps(tmp, lo);
  _mm256_store_ps(tmp + 8, hi);
  std::memcpy(out, tmp, static_cast<size_t>(width) * sizeof(float));
}

// k runs over [k0, k1); resume: continue the chains stored in `out` (the
// same fma sequence as one pass over all of k, so blocking k keeps bits).
template <int MR>
__attribute__((target("avx2,fma"))) inline void PanelTile(const float* a, int64_t lda, const float* p, int64_t k0,
                                                          int64_t k1, float* out, int64_t ldo, int64_t width,
                                                          bool resume) {
  __m256 l0 = _mm256_setzero_ps(), l1 = l0, l2 = l0, l3 = l0, l4 = l0, l5 = l0;
  __m256 h0 = l0, h1 = l0, h2 = l0, h3 = l0, h4 = l0, h5 = l0;
  if (resume) {
    LoadRow(out, width, &l0, &h0);
    if constexpr (MR > 1) LoadRow(out + ldo, width, &l1, &h1);
    if constexpr (MR > 2) LoadRow(out + 2 * ldo, width, &l2, &h2);
    if constexpr (MR > 3) LoadRow(out + 3 * ldo, width, &l3, &h3);
    if constexpr (MR > 4) LoadRow(out + 4 * ldo, width, &l4, &h4);
    if constexpr (MR > 5) LoadRow(out + 5 * ldo, width, &l5, &h5);
  }
  const float* a0 = a;
  const float* a1 = a + (MR > 1 ? 1 : 0) * lda;
  const float* a2 = a + (MR > 2 ? 2 : 0) * lda;
  const float* a3 = a + (MR > 3 ? 3 : 0) * lda;
  const float* a4 = a + (MR > 4 ? 4 : 0) * lda;
  const float* a5 = a + (MR > 5 ? 5 : 0) * lda;
  for (int64_t k = k0; k < k1; ++k) {
    const __m256 w0 = _mm256_loadu_ps(p + k * kPanelCols);
    const __m256 w1 = _mm256_loadu_ps(p + k * kPanelCols + 8);
    __m256 x = _mm256_broadcast_ss(a0 + k);
    l0 = _mm256_fmadd_ps(x, w0, l0);
    h0 = _mm256_fmadd_ps(x, w1, h0);
    if constexpr (MR > 1) {
      x = _mm256_broadcast_ss(a1 + k);
      l1 = _mm256_fmadd_ps(x, w0, l1);
      h1 = _mm256_fmadd_ps(x, w1, h1);
    }
    if constexpr (MR > 2) {
      x = _mm256_broadcast_ss(a2 + k);
      l2 = _mm256_fmadd_ps(x, w0, l2);
      h2 = _mm256_fmadd_ps(x, w1, h2);
    }
    if constexpr (MR > 3) {
      x = _mm256_broadcast_ss(a3 + k);
      l3 = _mm256_fmadd_ps(x, w0, l3);
      h3 = _mm256_fmadd_ps(x, w1, h3);
    }
    if constexpr (MR > 4) {
      x = _mm256_broadcast_ss(a4 + k);
      l4 = _mm256_fmadd_ps(x, w0, l4);
      h4 = _mm256_fmadd_ps(x, w1, h4);
    }
    if constexpr (MR > 5) {
      x = _mm256_broadcast_ss(a5 + k);
      l5 = _mm256_fmadd_ps(x, w0, l5);
      h5 = _mm256_fmadd_ps(x, w1, h5);
    }
  }
  const __m256 lo[6] = {l0, l1, l2, l3, l4, l5}, hi[6] = {h0, h1, h2, h3, h4, h5};
  for (int m = 0; m < MR; ++m) StoreRow(out + m * ldo, width, lo[m], hi[m]);
}

// One or two batch rows × two adjacent panels (32 columns): with so few
// rows a single panel gives only 2–4 FMA chains and the weights' stream is
// the bottleneck (a step at batch 1 is a matrix-vector product that reads
// all of R from L3). Two panels keep 4–8 chains in flight and read two
// sequential streams (docs/performance.md). Each output is still one fma
// chain over k = 0 .. K-1, so the bits are those of PanelTile.
// The first panel is full; the second has width2 columns (1..16).
template <int MR>
__attribute__((target("avx2,fma"))) inline void PanelPairTile(const float* a, int64_t lda, const float* p0,
                                                              const float* p1, int64_t K, float* out, int64_t ldo,
                                                              int64_t width2) {
  static_assert(MR == 1 || MR == 2);
  __m256 a0 = _mm256_setzero_ps(), b0 = a0, c0 = a0, d0 = a0;  // row 0: panel 0 lo/hi, panel 1 lo/hi
  __m256 a1 = a0, b1 = a0, c1 = a0, d1 = a0;                   // row 1
  const float* r0 = a;
  const float* r1 = a + (MR > 1 ? lda : 0);
  for (int64_t k = 0; k < K; ++k) {
    const __m256 w0 = _mm256_loadu_ps(p0 + k * kPanelCols);
    const __m256 w1 = _mm256_loadu_ps(p0 + k * kPanelCols + 8);
    const __m256 w2 = _mm256_loadu_ps(p1 + k * kPanelCols);
    const __m256 w3 = _mm256_loadu_ps(p1 + k * kPanelCols + 8);
    __m256 x = _mm256_broadcast_ss(r0 + k);
    a0 = _mm256_fmadd_ps(x, w0, a0);
    b0 = _mm256_fmadd_ps(x, w1, b0);
    c0 = _mm256_fmadd_ps(x, w2, c0);
    d0 = _mm256_fmadd_ps(x, w3, d0);
    if constexpr (MR > 1) {
      x = _mm256_broadcast_ss(r1 + k);
      a1 = _mm256_fmadd_ps(x, w0, a1);
      b1 = _mm256_fmadd_ps(x, w1, b1);
      c1 = _mm256_fmadd_ps(x, w2, c1);
      d1 = _mm256_fmadd_ps(x, w3, d1);
    }
  }
  const __m256 lo[2][2] = {{a0, c0}, {a1, c1}}, hi[2][2] = {{b0, d0}, {b1, d1}};
  for (int m = 0; m < MR; ++m) {
    StoreRow(out + m * ldo, kPanelCols, lo[m][0], hi[m][0]);
    StoreRow(out + m * ldo + kPanelCols, width2, lo[m][1], hi[m][1]);
  }
}

// k blocks outer (a panel's block, 16 KB, plus the batch rows' block stay
// in L1/L2: a whole 16 × 512 panel would fill L1 alone), then panels, then
// batch tiles, so each panel block is read from memory once per call.
constexpr int64_t kPanelKBlock = 256;

__attribute__((target("avx2,fma"))) void DotRowsPackedAvx2(int64_t M, int64_t N, int64_t K, const float* a,
                                                           int64_t lda, const float* packed, float* out,
                                                           int64_t ldo, bool reverse_panels) {
  const int64_t panels = (N + kPanelCols - 1) / kPanelCols;
  if (M <= 2) {
    // One pass over each panel pair with all of k: the batch rows are a few
    // KB, so there is nothing for k blocks to keep in L1; the weights
    // stream exactly once either way.
    const int64_t units = (panels + 1) / 2;  // pairs, the last maybe a single panel
    for (int64_t i = 0; i < units; ++i) {
      const int64_t n = (reverse_panels ? units - 1 - i : i) * 2 * kPanelCols;
      const float* p0 = packed + n * K;
      if (n + kPanelCols < N) {
        const int64_t width2 = std::min<int64_t>(kPanelCols, N - n - kPanelCols);
        if (M == 2) {
          PanelPairTile<2>(a, lda, p0, p0 + kPanelCols * K, K, out + n, ldo, width2);
        } else {
          PanelPairTile<1>(a, lda, p0, p0 + kPanelCols * K, K, out + n, ldo, width2);
        }
      } else if (M == 2) {
        PanelTile<2>(a, lda, p0, 0, K, out + n, ldo, N - n, false);
      } else {
        PanelTile<1>(a, lda, p0, 0, K, out + n, ldo, N - n, false);
      }
    }
    return;
  }
  // Rows spread evenly over ceil(M/6) tiles (16 = 6+5+5, not 6+6+4):
  // a 4-row tile has only 8 independent FMA chains, too few to hide the
  // FMA latency.
  const int64_t tiles = (M + 5) / 6, base = M / tiles, extra = M % tiles;
  for (int64_t k0 = 0; k0 < K; k0 += kPanelKBlock) {
    const int64_t k1 = std::min(K, k0 + kPanelKBlock);
    const bool resume = k0 > 0;
    for (int64_t i = 0; i < panels; ++i) {
      const int64_t n = (reverse_panels ? panels - 1 - i : i) * kPanelCols;
      const float* p = packed + n * K;
      const int64_t width = std::min<int64_t>(kPanelCols, N - n);
      int64_t m = 0;
      for (int64_t t = 0; t < tiles; ++t) {
        const int64_t rows = base + (t < extra ? 1 : 0);
        const float* at = a + m * lda;
        float* ot = out + m * ldo + n;
        switch (rows) {
          case 6: PanelTile<6>(at, lda, p, k0, k1, ot, ldo, width, resume); break;
          case 5: PanelTile<5>(at, lda, p, k0, k1, ot, ldo, width, resume); break;
          case 4: PanelTile<4>(at, lda, p, k0, k1, ot, ldo, width, resume); break;
          case 3: PanelTile<3>(at, lda, p, k0, k1, ot, ldo, width, resume); break;
          case 2: PanelTile<2>(at, lda, p, k0, k1, ot, ldo, width, resume); break;
          default: PanelTile<1>(at, lda, p, k0, k1, ot, ldo, width, resume); break;
        }
        m += rows;
      }
    }
  }
}
#endif

}  // namespace

int64_t PackedPanelFloats(int64_t N, int64_t K) { return (N + kPanelCols - 1) / kPanelCols * kPanelCols * K; }

void PackPanels(int64_t N, int64_t K, const float* w, int64_t ldw, float* packed) {
  for (int64_t n0 = 0; n0 < N; n0 += kPanelCols) {
    float* p = packed + n0 * K;
    for (int64_t c = 0; c < kPanelCols; ++c) {
      const int64_t n = n0 + c;
      if (n < N) {
        for (int64_t k = 0; k < K; ++k) p[k * kPanelCols + c] = w[n * ldw + k];
      } else {
        for (int64_t k = 0; k < K; ++k) p[k * kPanelCols + c] = 0.0f;
      }
    }
  }
}

void DotRowsPacked(int64_t M, int64_t N, int64_t K, const float* a, int64_t lda, const float* packed, float* out,
                   int64_t ldo, bool reverse_panels) {
#ifdef RNNLITE_X86
  if (HasAvx2Fma()) {
    DotRowsPackedAvx2(M, N, K, a, lda, packed, out, ldo, reverse_panels);
    return;
  }
#else
  (void)reverse_panels;  // the order of independent outputs; only a cache matter
#endif
  for (int64_t n = 0; n < N; ++n) {
    const float* p = packed + (n / kPanelCols) * kPanelCols * K + n % kPanelCols;
    for (int64_t m = 0; m < M; ++m) {
      float acc = 0.0f;
      for (int64_t k = 0; k < K; ++k) acc = std::fma(a[m * lda + k], p[k * kPanelCols], acc);
      out[m * ldo + n] = acc;
    }
  }
}

void Sgemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const float* A, int64_t lda,
           const float* B, int64_t ldb, float* C, int64_t ldc, bool accumulate) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!accumulate) {
      for (int64_t m = 0; m < M; ++m) {
        for (int64_t n = 0; n < N; ++n) C[m * ldc + n] = 0.0f;
      }
    }
    return;
  }
#ifdef RNNLITE_HAVE_OPENBLAS
  PinBlasToOneThread();
  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans,
              static_cast<blasint>(M), static_cast<blasint>(N), static_cast<blasint>(K), 1.0f, A,
              static_cast<blasint>(lda), B, static_cast<blasint>(ldb), accumulate ? 1.0f : 0.0f, C,
              static_cast<blasint>(ldc));
#else
  // Without a BLAS, the weights-layout product (FC, the recurrent op's
  // projection) still gets the vectorized kernel.
  if (!trans_a && trans_b && !accumulate) {
    DotRows(M, N, K, A, lda, B, ldb, C, ldc);
    return;
  }
  SgemmPortable(trans_a, trans_b, M, N, K, A, lda, B, ldb, C, ldc, accumulate);
#endif
}

void DotRows(int64_t M, int64_t N, int64_t K, const float* a, int64_t lda, const float* w, int64_t ldw,
             float* out, int64_t ldo) {
#ifdef RNNLITE_X86
  if (HasAvx2Fma()) {
    DotRowsAvx2(M, N, K, a, lda, w, ldw, out, ldo);
    return;
  }
#endif
  for (int64_t n = 0; n < N; ++n) {
    for (int64_t m = 0; m < M; ++m) out[m * ldo + n] = DotPortable(a + m * lda, w + n * ldw, K);
  }
}

bool SgemmUsesBlas() {
#ifdef RNNLITE_HAVE_OPENBLAS
  return true;
#else
  return false;
#endif
}

const char* SgemmBackendName() {
#ifdef RNNLITE_HAVE_OPENBLAS
  static const std::string name = std::string("OpenBLAS (") + openblas_get_corename() + ", " +
                                  openblas_get_config() + ")";
  return name.c_str();
#else
  return "builtin";
#endif
}

}  // namespace rnnlite
