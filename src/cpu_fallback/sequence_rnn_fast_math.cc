// See sequence_rnn_fast_math.h. The vector and scalar forms below are kept
// operation-for-operation identical (same clamps, same rounding, same fma
// chain), so how many elements fall in the scalar tail never changes bits.
#include "cpu_fallback/sequence_rnn_fast_math.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "cpu_fallback/sequence_rnn_ref.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define RNNLITE_X86 1
#endif

namespace rnnlite {
namespace {

// exp(x) = 2^n · e^r with n = round(x / ln 2), r = x - n·ln 2 (ln 2 split in
// a high part exact in float and a low correction), e^r from its Taylor-like
// minimax polynomial (the classic single-precision coefficients).
constexpr float kExpHi = 88.3762626647949f;
constexpr float kExpLo = -87.3365478515625f;  // keeps 2^n a normal float
constexpr float kLog2e = 1.44269504088896341f;
constexpr float kLn2Hi = 0.693359375f;
constexpr float kLn2Lo = -2.12194440e-4f;
constexpr float kP0 = 1.9875691500e-4f;
constexpr float kP1 = 1.3981999507e-3f;
constexpr float kP2 = 8.3334519073e-3f;
constexpr float kP3 = 4.1665795894e-2f;
constexpr float kP4 = 1.6666665459e-1f;
constexpr float kP5 = 5.0000001201e-1f;
// Below this |x|, tanh uses x + x^3·(-1/3 + x^2·(2/15 + x^2·(-17/315))).
constexpr float kTanhSmall = 0.125f;
constexpr float kT3 = -1.0f / 3.0f;
constexpr float kT5 = 2.0f / 15.0f;
constexpr float kT7 = -17.0f / 315.0f;

float ExpScalar(float x) {
  x = std::min(kExpHi, std::max(kExpLo, x));
  const float n = std::nearbyint(x * kLog2e);
  float r = std::fma(n, -kLn2Hi, x);
  r = std::fma(n, -kLn2Lo, r);
  float p = kP0;
  p = std::fma(p, r, kP1);
  p = std::fma(p, r, kP2);
  p = std::fma(p, r, kP3);
  p = std::fma(p, r, kP4);
  p = std::fma(p, r, kP5);
  const float r2 = r * r;
  const float y = std::fma(p, r2, r) + 1.0f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof(scale));
  return y * scale;
}

#ifdef RNNLITE_X86
bool HasAvx2Fma() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
}

__attribute__((target("avx2,fma"))) inline __m256 ExpVec(__m256 x) {
  x = _mm256_min_ps(_mm256_set1_ps(kExpHi), _mm256_max_ps(_mm256_set1_ps(kExpLo), x));
  const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(kLog2e)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fmadd_ps(n, _mm256_set1_ps(-kLn2Hi), x);
  r = _mm256_fmadd_ps(n, _mm256_set1_ps(-kLn2Lo), r);
  __m256 p = _mm256_set1_ps(kP0);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kP1));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kP2));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kP3));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kP4));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kP5));
  const __m256 r2 = _mm256_mul_ps(r, r);
  const __m256 y = _mm256_add_ps(_mm256_fmadd_ps(p, r2, r), _mm256_set1_ps(1.0f));
  const __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  return _mm256_mul_ps(y, _mm256_castsi256_ps(bits));
}

__attribute__((target("avx2,fma"))) inline __m256 SigmoidVec(__m256 x) {
  const __m256 one = _mm256_set1_ps(1.0f);
  const __m256 e = ExpVec(_mm256_sub_ps(_mm256_setzero_ps(), x));
  return _mm256_div_ps(one, _mm256_add_ps(one, e));
}

__attribute__((target("avx2,fma"))) inline __m256 TanhVec(__m256 x) {
  const __m256 one = _mm256_set1_ps(1.0f);
  const __m256 sign_mask = _mm256_set1_ps(-0.0f);
  const __m256 a = _mm256_andnot_ps(sign_mask, x);
  const __m256 t = ExpVec(_mm256_mul_ps(a, _mm256_set1_ps(-2.0f)));
  const __m256 big = _mm256_div_ps(_mm256_sub_ps(one, t), _mm256_add_ps(one, t));
  const __m256 x2 = _mm256_mul_ps(a, a);
  __m256 q = _mm256_fmadd_ps(x2, _mm256_set1_ps(kT7), _mm256_set1_ps(kT5));
  q = _mm256_fmadd_ps(x2, q, _mm256_set1_ps(kT3));
  const __m256 small = _mm256_fmadd_ps(_mm256_mul_ps(x2, a), q, a);
  const __m256 use_small = _mm256_cmp_ps(a, _mm256_set1_ps(kTanhSmall), _CMP_LT_OQ);
  const __m256 mag = _mm256_blendv_ps(big, small, use_small);
  return _mm256_or_ps(mag, _mm256_and_ps(sign_mask, x));
}

__attribute__((target("avx2,fma"))) inline __m256 ClipVec(__m256 v, float clip) {
  return _mm256_min_ps(_mm256_set1_ps(clip), _mm256_max_ps(_mm256_set1_ps(-clip), v));
}

__attribute__((target("avx2,fma"))) int64_t ActivateAvx2(bool sigmoid, float clip, float* v, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 x = _mm256_loadu_ps(v + i);
    if (clip > 0.0f) x = ClipVec(x, clip);
    _mm256_storeu_ps(v + i, sigmoid ? SigmoidVec(x) : TanhVec(x));
  }
  return i;
}
#endif

}  // namespace

float FastSigmoid(float x) { return 1.0f / (1.0f + ExpScalar(0.0f - x)); }

float FastTanh(float x) {
  const float a = std::fabs(x);
  float mag;
  if (a < kTanhSmall) {
    const float x2 = a * a;
    float q = std::fma(x2, kT7, kT5);
    q = std::fma(x2, q, kT3);
    mag = std::fma(x2 * a, q, a);
  } else {
    const float t = ExpScalar(a * -2.0f);
    mag = (1.0f - t) / (1.0f + t);
  }
  return std::copysign(mag, x);
}

namespace {

#ifdef RNNLITE_X86
__attribute__((target("avx2,fma"))) int64_t AddThreeAvx2(const float* a, const float* b, const float* c, float* out,
                                                         int64_t n) {
  int64_t k = 0;
  for (; k + 8 <= n; k += 8) {
    const __m256 s = _mm256_add_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(b + k));
    _mm256_storeu_ps(out + k, _mm256_add_ps(s, _mm256_loadu_ps(c + k)));
  }
  return k;
}

__attribute__((target("avx2,fma"))) int64_t LstmCellAvx2(const float* i, const float* f, const float* g, float* c,
                                                         int64_t n) {
  int64_t k = 0;
  for (; k + 8 <= n; k += 8) {
    const __m256 fc = _mm256_mul_ps(_mm256_loadu_ps(f + k), _mm256_loadu_ps(c + k));
    const __m256 ig = _mm256_mul_ps(_mm256_loadu_ps(i + k), _mm256_loadu_ps(g + k));
    _mm256_storeu_ps(c + k, _mm256_add_ps(fc, ig));
  }
  return k;
}

__attribute__((target("avx2,fma"))) int64_t MulArraysAvx2(const float* a, const float* b, float* out, int64_t n) {
  int64_t k = 0;
  for (; k + 8 <= n; k += 8) _mm256_storeu_ps(out + k, _mm256_mul_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(b + k)));
  return k;
}

__attribute__((target("avx2,fma"))) int64_t GruBlendAvx2(const float* z, const float* ng, const float* hp, float* h,
                                                         int64_t n) {
  const __m256 one = _mm256_set1_ps(1.0f);
  int64_t k = 0;
  for (; k + 8 <= n; k += 8) {
    const __m256 zv = _mm256_loadu_ps(z + k);
    const __m256 a = _mm256_mul_ps(_mm256_sub_ps(one, zv), _mm256_loadu_ps(ng + k));
    _mm256_storeu_ps(h + k, _mm256_add_ps(a, _mm256_mul_ps(zv, _mm256_loadu_ps(hp + k))));
  }
  return k;
}
#endif

// The scalar tails below are compiled for the baseline x86-64 target (no
// fma instruction to contract into), so they round like the vector lanes.
}  // namespace

void AddThree(const float* a, const float* b, const float* c, float* out, int64_t n) {
  int64_t k = 0;
#ifdef RNNLITE_X86
  if (HasAvx2Fma()) k = AddThreeAvx2(a, b, c, out, n);
#endif
  for (; k < n; ++k) out[k] = (a[k] + b[k]) + c[k];
}

void LstmCell(const float* i, const float* f, const float* g, float* c, int64_t n) {
  int64_t k = 0;
#ifdef RNNLITE_X86
  if (HasAvx2Fma()) k = LstmCellAvx2(i, f, g, c, n);
#endif
  for (; k < n; ++k) c[k] = f[k] * c[k] + i[k] * g[k];
}

void MulArrays(const float* a, const float* b, float* out, int64_t n) {
  int64_t k = 0;
#ifdef RNNLITE_X86
  if (HasAvx2Fma()) k = MulArraysAvx2(a, b, out, n);
#endif
  for (; k < n; ++k) out[k] = a[k] * b[k];
}

void GruBlend(const float* z, const float* n_gate, const float* h_prev, float* h, int64_t n) {
  int64_t k = 0;
#ifdef RNNLITE_X86
  if (HasAvx2Fma()) k = GruBlendAvx2(z, n_gate, h_prev, h, n);
#endif
  for (; k < n; ++k) h[k] = (1.0f - z[k]) * n_gate[k] + z[k] * h_prev[k];
}

void ActivateArray(const RnnActivationSpec& act, float clip, float* v, int64_t n) {
  const bool sigmoid = act.kind == RnnActivation::kSigmoid;
  const bool tanh = act.kind == RnnActivation::kTanh;
  if (!sigmoid && !tanh) {
    for (int64_t i = 0; i < n; ++i) {
      const float x = clip > 0.0f ? std::min(clip, std::max(-clip, v[i])) : v[i];
      v[i] = ApplyRnnActivation(act, x);
    }
    return;
  }
  int64_t i = 0;
#ifdef RNNLITE_X86
  if (HasAvx2Fma()) i = ActivateAvx2(sigmoid, clip, v, n);
#endif
  for (; i < n; ++i) {
    const float x = clip > 0.0f ? std::min(clip, std::max(-clip, v[i])) : v[i];
    v[i] = sigmoid ? FastSigmoid(x) : FastTanh(x);
  }
}

}  // namespace rnnlite
