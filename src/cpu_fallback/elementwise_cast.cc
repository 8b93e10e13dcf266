// Dtype conversions: CAST and DEQUANTIZE.
//
// CAST converts between float32, float16, float64, bool, int8/16/32/64 and
// uint8/16/32/64. The tensor dtypes decide; the "in_data_type" /
// "out_data_type" attributes only describe them. Conversions that C++ leaves
// undefined get one fixed rule here so the reference is deterministic:
//   float -> integer: truncates toward zero, saturates at the integer range,
//                     NaN -> 0;
//   integer -> narrower integer: two's-complement wrap (as static_cast);
//   anything -> bool: value != 0 (NaN -> true); bool -> anything: 0 or 1;
//   float64 -> float32 (or float16): IEEE rounding, overflow -> +-inf.
//
// DEQUANTIZE produces float32 from float16 (weights stored at half
// precision) or from int8 / uint8 / int16 with the input tensor's
// quantization: (q - zero_point) * scale, per tensor or per channel along
// quantized_dimension.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include "cpu_fallback/elementwise_common.h"
#include "cpu_fallback/elementwise_half.h"

namespace rnnlite::elementwise {
namespace {

// Element storage for the two dtypes with no matching C++ arithmetic type.
struct F16 {
  uint16_t bits;
};
struct BoolByte {
  uint8_t value;
};
static_assert(sizeof(F16) == 2 && sizeof(BoolByte) == 1);

template <typename To, typename From>
To ConvertValue(From v) {
  if constexpr (std::is_same_v<From, F16>) {
    if constexpr (std::is_same_v<To, F16>) {
      return v;
    } else {
      return ConvertValue<To>(HalfToFloat(v.bits));
    }
  } else if constexpr (std::is_same_v<From, BoolByte>) {
    return ConvertValue<To>(static_cast<uint8_t>(v.value != 0 ? 1 : 0));
  } else if constexpr (std::is_same_v<To, BoolByte>) {
    return BoolByte{static_cast<uint8_t>(v != From{0} ? 1 : 0)};
  } else if constexpr (std::is_same_v<To, F16>) {
    return F16{FloatToHalf(ConvertValue<float>(v))};
  } else if constexpr (std::is_floating_point_v<To>) {
    if constexpr (std::is_same_v<To, float> && std::is_same_v<From, double>) {
      // Half an ulp above FLT_MAX is where IEEE rounding reaches infinity
      // (FLT_MAX's mantissa is odd, so the tie goes up); casting a finite
      // double beyond float's range is undefined in C++.
      constexpr double kOverflow = static_cast<double>(std::numeric_limits<float>::max()) + 0x1p103;
      if (std::fabs(v) >= kOverflow) {
        return std::signbit(v) ? -std::numeric_limits<float>::infinity()
                               : std::numeric_limits<float>::infinity();
      }
    }
    return static_cast<To>(v);
  } else if constexpr (std::is_floating_point_v<From>) {
    // (From)max rounds up to a power of two for wide integer types, so ">="
    // catches exactly the values that do not fit.
    if (std::isnan(v)) return To{0};
    if (v <= static_cast<From>(std::numeric_limits<To>::lowest())) return std::numeric_limits<To>::lowest();
    if (v >= static_cast<From>(std::numeric_limits<To>::max())) return std::numeric_limits<To>::max();
    return static_cast<To>(v);
  } else {
    return static_cast<To>(v);  // integer -> integer: modular since C++20
  }
}

// Calls fn(T{}) with the element type of `t`; false if CAST does not take t.
template <typename Fn>
bool VisitCastType(DType t, Fn&& fn) {
  switch (t) {
    case DType::kFloat32: fn(float{}); return true;
    case DType::kFloat16: fn(F16{}); return true;
    case DType::kFloat64: fn(double{}); return true;
    case DType::kBool: fn(BoolByte{}); return true;
    case DType::kInt8: fn(int8_t{}); return true;
    case DType::kUInt8: fn(uint8_t{}); return true;
    case DType::kInt16: fn(int16_t{}); return true;
    case DType::kUInt16: fn(uint16_t{}); return true;
    case DType::kInt32: fn(int32_t{}); return true;
    case DType::kUInt32: fn(uint32_t{}); return true;
    case DType::kInt64: fn(int64_t{}); return true;
    case DType::kUInt64: fn(uint64_t{}); return true;
    default: return false;
  }
}

bool IsCastType(DType t) {
  return VisitCastType(t, [](auto) {});
}

class CastKernel : public OpKernel {
 public:
  Status Prepare(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1));
    const Tensor& in = *ctx.input(0);
    const Tensor& out = *ctx.output(0);
    if (!IsCastType(in.dtype) || !IsCastType(out.dtype)) {
      return ctx.UnsupportedError("cast from " + DTypeName(in.dtype) + " to " +
                                  DTypeName(out.dtype) + " is not supported");
    }
    return ctx.ResizeOutput(0, in.shape);
  }

  Status Eval(KernelContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    RNNLITE_RETURN_IF_ERROR(ResizeOutputInEval(ctx, in.shape));
    Tensor& out = *ctx.output(0);
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, in, "input 0"));
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, out, "output 0"));
    const int64_t n = in.num_elements();
    bool handled = false;
    VisitCastType(in.dtype, [&](auto from_tag) {
      using From = decltype(from_tag);
      VisitCastType(out.dtype, [&](auto to_tag) {
        using To = decltype(to_tag);
        const From* src = in.data_as<From>();
        To* dst = out.data_as<To>();
        for (int64_t i = 0; i < n; ++i) dst[i] = ConvertValue<To>(src[i]);
        handled = true;
      });
    });
    if (!handled) {
      return ctx.UnsupportedError("cast from " + DTypeName(in.dtype) + " to " +
                                  DTypeName(out.dtype) + " is not supported");
    }
    return Status::Ok();
  }
};

// Range of the stored integer type, for checking zero points.
bool ZeroPointFits(DType t, int64_t zp) {
  switch (t) {
    case DType::kInt8: return zp >= -128 && zp <= 127;
    case DType::kUInt8: return zp >= 0 && zp <= 255;
    case DType::kInt16: return zp >= -32768 && zp <= 32767;
    default: return false;
  }
}

// Checks the input's quantization against its current shape. Returns the
// quantized dimension in *axis (-1 for per-tensor parameters).
Status CheckQuantization(const KernelContext& ctx, const Tensor& in, int* axis) {
  const QuantizationParams& q = in.quantization;
  if (q.scale.empty()) {
    return ctx.Error("input '" + in.name + "' (" + DTypeName(in.dtype) +
                     ") has no quantization scale");
  }
  if (!q.zero_point.empty() && q.zero_point.size() != q.scale.size()) {
    return ctx.Error("input '" + in.name + "' has " + std::to_string(q.scale.size()) +
                     " scales but " + std::to_string(q.zero_point.size()) + " zero points");
  }
  for (float s : q.scale) {
    if (!std::isfinite(s)) return ctx.Error("input '" + in.name + "' has a non-finite scale");
  }
  for (int64_t zp : q.zero_point) {
    if (!ZeroPointFits(in.dtype, zp)) {
      return ctx.Error("input '" + in.name + "' zero point " + std::to_string(zp) +
                       " is outside the range of " + DTypeName(in.dtype));
    }
  }
  *axis = -1;
  if (q.scale.size() > 1) {
    const int qd = q.quantized_dimension;
    if (qd < 0 || qd >= in.rank()) {
      return ctx.Error("input '" + in.name + "' quantized_dimension " + std::to_string(qd) +
                       " is out of range for shape " + ShapeToString(in.shape));
    }
    if (static_cast<int64_t>(q.scale.size()) != in.shape[qd]) {
      return ctx.Error("input '" + in.name + "' has " + std::to_string(q.scale.size()) +
                       " per-channel scales but dim " + std::to_string(qd) + " of shape " +
                       ShapeToString(in.shape) + " is " + std::to_string(in.shape[qd]));
    }
    *axis = qd;
  }
  return Status::Ok();
}

template <typename T>
void DequantizeTyped(const Tensor& in, int axis, float* out) {
  const QuantizationParams& q = in.quantization;
  const int64_t n = in.num_elements();
  // Elements in one step of the quantized dimension (1 for the last dim).
  int64_t inner = 1;
  if (axis >= 0) {
    for (int d = axis + 1; d < in.rank(); ++d) inner *= in.shape[d];
  }
  const T* src = in.data_as<T>();
  for (int64_t i = 0; i < n; ++i) {
    const size_t c = axis < 0 ? 0 : static_cast<size_t>((i / inner) % in.shape[axis]);
    const int64_t zp = q.zero_point.empty() ? 0 : q.zero_point[c];
    out[i] = static_cast<float>(static_cast<int64_t>(src[i]) - zp) * q.scale[c];
  }
}

class DequantizeKernel : public OpKernel {
 public:
  Status Prepare(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1));
    const Tensor& in = *ctx.input(0);
    const Tensor& out = *ctx.output(0);
    if (out.dtype != DType::kFloat32) {
      return ctx.Error("output dtype must be float32, got " + DTypeName(out.dtype));
    }
    if (in.dtype != DType::kFloat16 && in.dtype != DType::kInt8 && in.dtype != DType::kUInt8 &&
        in.dtype != DType::kInt16) {
      return ctx.UnsupportedError("input dtype " + DTypeName(in.dtype) + " is not supported");
    }
    if (in.dtype != DType::kFloat16) {
      int axis = -1;
      RNNLITE_RETURN_IF_ERROR(CheckQuantization(ctx, in, &axis));
    }
    return ctx.ResizeOutput(0, in.shape);
  }

  Status Eval(KernelContext& ctx) override {
    const Tensor& in = *ctx.input(0);
    int axis = -1;
    if (in.dtype != DType::kFloat16) RNNLITE_RETURN_IF_ERROR(CheckQuantization(ctx, in, &axis));
    RNNLITE_RETURN_IF_ERROR(ResizeOutputInEval(ctx, in.shape));
    Tensor& out = *ctx.output(0);
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, in, "input 0"));
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, out, "output 0"));
    float* dst = out.data_as<float>();
    switch (in.dtype) {
      case DType::kFloat16: {
        const uint16_t* src = in.data_as<uint16_t>();
        for (int64_t i = 0, n = in.num_elements(); i < n; ++i) dst[i] = HalfToFloat(src[i]);
        return Status::Ok();
      }
      case DType::kInt8: DequantizeTyped<int8_t>(in, axis, dst); return Status::Ok();
      case DType::kUInt8: DequantizeTyped<uint8_t>(in, axis, dst); return Status::Ok();
      case DType::kInt16: DequantizeTyped<int16_t>(in, axis, dst); return Status::Ok();
      default: return ctx.UnsupportedError("input dtype " + DTypeName(in.dtype) + " is not supported");
    }
  }
};

}  // namespace

void RegisterConversionKernels(OpRegistry& registry) {
  registry.Register(Op::kCast, MakeFactory<CastKernel>());
  registry.Register(Op::kDequantize, MakeFactory<DequantizeKernel>());
}

}  // namespace rnnlite::elementwise
