// IEEE 754 binary16 (float16) <-> float32, written from the format's
// definition: 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits.
// Used by CAST and DEQUANTIZE (float16 weights); any kernel may include it.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace rnnlite {

inline float HalfToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1Fu;
  const uint32_t mant = h & 0x3FFu;
  uint32_t bits;
  if (exp == 0) {
    // Zero or subnormal: mant * 2^-24, exact in float32.
    const float v = std::ldexp(static_cast<float>(mant), -24);
    return sign ? -v : v;
  } else if (exp == 0x1F) {
    bits = sign | 0x7F800000u | (mant << 13);  // inf, or NaN keeping its payload
  } else {
    bits = sign | ((exp - 15 + 127) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

// Rounds to nearest, ties to even; overflow gives +-inf, NaN stays NaN.
inline uint16_t FloatToHalf(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  const uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
  const uint32_t abs = bits & 0x7FFFFFFFu;
  if (abs > 0x7F800000u) {
    // Keep the top payload bits and force the quiet bit so it stays a NaN.
    return static_cast<uint16_t>(sign | 0x7E00u | ((abs >> 13) & 0x3FFu));
  }
  const int exp = static_cast<int>(abs >> 23) - 127;
  if (exp > 15) return static_cast<uint16_t>(sign | 0x7C00u);  // too large, or inf
  if (exp >= -14) {
    // Normal half: drop 13 mantissa bits with rounding. A carry out of the
    // mantissa correctly bumps the exponent (up to inf).
    const uint32_t mant = abs & 0x7FFFFFu;
    uint32_t h = (static_cast<uint32_t>(exp + 15) << 10) | (mant >> 13);
    const uint32_t rest = mant & 0x1FFFu;
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) ++h;
    return static_cast<uint16_t>(sign | h);
  }
  if (exp >= -25) {
    // Subnormal half: value / 2^-24 = mant24 * 2^(exp + 1), shift in [14, 24].
    const uint32_t mant = (abs & 0x7FFFFFu) | 0x800000u;
    const int shift = -(exp + 1);
    uint32_t h = mant >> shift;
    const uint32_t rest = mant & ((1u << shift) - 1u);
    const uint32_t halfway = 1u << (shift - 1);
    if (rest > halfway || (rest == halfway && (h & 1u))) ++h;
    return static_cast<uint16_t>(sign | h);
  }
  return sign;  // underflows to +-0
}

}  // namespace rnnlite
