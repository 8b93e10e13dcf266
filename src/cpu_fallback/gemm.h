// Single-precision matrix products for the fast CPU kernels (the recurrent
// op, FULLY_CONNECTED, BATCH_MATMUL). Large products go to OpenBLAS's sgemm
// when rnnlite was built with it (RNNLITE_HAVE_OPENBLAS; docs/performance.md
// says why OpenBLAS); small-M products (matrix-vector work of a recurrent
// step) go to DotRows, a kernel of ours that reads the weights in place.
//
// All functions here are single-threaded: callers split the work across
// their own ThreadPool, so OpenBLAS is pinned to one thread (its own
// threads would fight the pool for the two cores).
#pragma once

#include <cstdint>

namespace rnnlite {

// C[M, N] (+)= A[M, K] · op(B), row-major with leading dimensions.
// trans_b: B is stored [N, K] (the weights layout of FC and SequenceRnn);
// otherwise [K, N]. trans_a: A is stored [K, M]. accumulate: C += instead
// of C =.
void Sgemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const float* A, int64_t lda,
           const float* B, int64_t ldb, float* C, int64_t ldc, bool accumulate);

// out[m * ldo + n] = dot(a[m * lda ...], w[n * ldw ...])
// for m < M, n < N, over K elements: the matrix-vector products of a
// recurrent step with M = batch rows. Each output's summation order depends
// only on K (never on M, N or alignment), so splitting N across threads
// gives bitwise identical results.
void DotRows(int64_t M, int64_t N, int64_t K, const float* a, int64_t lda, const float* w, int64_t ldw,
             float* out, int64_t ldo);

// Weights packed once for many products with the same weights (the
// recurrent product of every step): rows of w [N, K] are
// regrouped into panels of kPanelCols rows, stored k-major (panel p holds
// w[p*16 + c][k] at [k*16 + c], padded with zeros past N), so the kernel
// reads 16 output columns per k with two aligned-stride vector loads.
inline constexpr int64_t kPanelCols = 16;
int64_t PackedPanelFloats(int64_t N, int64_t K);
void PackPanels(int64_t N, int64_t K, const float* w, int64_t ldw, float* packed);

// out[m * ldo + n] = dot(a[m * lda ...], w[n]) for w packed by PackPanels.
// Each output is one chain of fused multiply-adds over k = 0 .. K-1 from
// zero (the portable loop does the same with std::fma), so its bits depend
// neither on M, N, the tiling, the CPU path, nor how callers split N.
// Register tiles of up to 6 batch rows × 16 columns, or of 1–2 rows × 32
// columns when M ≤ 2 (AVX2+FMA, runtime check).
// reverse_panels: visit the panels last to first. The outputs are the
// same; a caller that alternates it between products with the same weights
// (the steps of a recurrence) starts each on the panels the previous one
// touched last, which are still in L2.
void DotRowsPacked(int64_t M, int64_t N, int64_t K, const float* a, int64_t lda, const float* packed, float* out,
                   int64_t ldo, bool reverse_panels = false);

// True when Sgemm runs on OpenBLAS, false for the portable fallback.
bool SgemmUsesBlas();
// "OpenBLAS 0.3.21 (Zen, pthread)" or "builtin"; for docs and benchmarks.
const char* SgemmBackendName();

}  // namespace rnnlite
