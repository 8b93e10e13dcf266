// Small helpers shared by CPU kernels.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "core/kernel.h"

namespace rnnlite {

// TFLite ActivationFunctionType values (attribute "fused_activation_function").
enum class FusedActivation : int64_t { kNone = 0, kRelu = 1, kReluN1To1 = 2, kRelu6 = 3, kTanh = 4, kSignBit = 5 };

inline float ApplyFusedActivation(float x, FusedActivation act) {
  switch (act) {
    case FusedActivation::kNone: return x;
    case FusedActivation::kRelu: return std::max(0.0f, x);
    case FusedActivation::kReluN1To1: return std::min(1.0f, std::max(-1.0f, x));
    case FusedActivation::kRelu6: return std::min(6.0f, std::max(0.0f, x));
    case FusedActivation::kTanh: return std::tanh(x);
    case FusedActivation::kSignBit: return std::signbit(x) ? 1.0f : 0.0f;
  }
  return x;
}

// Reads "fused_activation_function" and rejects values outside the enum.
inline Status GetFusedActivation(const KernelContext& ctx, FusedActivation* act) {
  int64_t v = ctx.attrs().GetInt("fused_activation_function", 0);
  if (v < 0 || v > 5) {
    return ctx.Error("fused_activation_function " + std::to_string(v) + " is not a TFLite activation");
  }
  *act = static_cast<FusedActivation>(v);
  return Status::Ok();
}

}  // namespace rnnlite
