// Binary element-wise ops with NumPy broadcasting: ADD, SUB, MUL, DIV (with
// TFLite's fused activation), POW, MAXIMUM, MINIMUM.
//
// Dtypes follow TFLite's float/integer kernels: ADD, SUB, MUL, MAXIMUM and
// MINIMUM take float32, int32 and int64; DIV and POW take float32 and int32.
// Both inputs and the output share one dtype. Integer arithmetic wraps on
// overflow (as TFLite's does in practice) instead of being undefined.
#include <cmath>
#include <string>
#include <type_traits>

#include "cpu_fallback/broadcast.h"
#include "cpu_fallback/elementwise_common.h"
#include "cpu_fallback/kernel_util.h"

namespace rnnlite::elementwise {
namespace {

enum class BinaryKind { kAdd, kSub, kMul, kDiv, kPow, kMaximum, kMinimum };

constexpr bool HasFusedActivation(BinaryKind k) {
  return k == BinaryKind::kAdd || k == BinaryKind::kSub || k == BinaryKind::kMul ||
         k == BinaryKind::kDiv;
}

bool SupportsDType(BinaryKind k, DType t) {
  switch (k) {
    case BinaryKind::kDiv:
    case BinaryKind::kPow:
      return t == DType::kFloat32 || t == DType::kInt32;
    default:
      return t == DType::kFloat32 || t == DType::kInt32 || t == DType::kInt64;
  }
}

// TFLite applies fused activations to integer outputs as a clamp range.
template <typename T>
T ClampIntActivation(T x, FusedActivation act) {
  switch (act) {
    case FusedActivation::kRelu: return x < 0 ? T{0} : x;
    case FusedActivation::kRelu6: return x < 0 ? T{0} : (x > 6 ? T{6} : x);
    case FusedActivation::kReluN1To1: return x < -1 ? T{-1} : (x > 1 ? T{1} : x);
    default: return x;
  }
}

// Exponentiation by squaring; exponent >= 0 (checked by the caller).
template <typename T>
T IntPow(T base, T exponent) {
  T result = 1;
  while (exponent > 0) {
    if (exponent & 1) result = WrapMul(result, base);
    base = WrapMul(base, base);
    exponent >>= 1;
  }
  return result;
}

float ApplyFloat(BinaryKind k, float x, float y) {
  switch (k) {
    case BinaryKind::kAdd: return x + y;
    case BinaryKind::kSub: return x - y;
    case BinaryKind::kMul: return x * y;
    case BinaryKind::kDiv: return x / y;
    case BinaryKind::kPow: return std::pow(x, y);
    // The comparison order matches TFLite's kernels (and decides NaN handling).
    case BinaryKind::kMaximum: return x > y ? x : y;
    case BinaryKind::kMinimum: return x < y ? x : y;
  }
  return 0.0f;
}

template <typename T>
T ApplyInt(BinaryKind k, T x, T y) {
  switch (k) {
    case BinaryKind::kAdd: return WrapAdd(x, y);
    case BinaryKind::kSub: return WrapSub(x, y);
    case BinaryKind::kMul: return WrapMul(x, y);
    // Truncates toward zero like C++ and TFLite; MIN / -1 wraps to MIN.
    case BinaryKind::kDiv: return y == -1 ? WrapNeg(x) : static_cast<T>(x / y);
    case BinaryKind::kPow: return IntPow(x, y);
    case BinaryKind::kMaximum: return x > y ? x : y;
    case BinaryKind::kMinimum: return x < y ? x : y;
  }
  return T{0};
}

template <typename T>
Status EvalTyped(const KernelContext& ctx, BinaryKind kind, FusedActivation act, const Tensor& a,
                 const Tensor& b, Tensor& out) {
  const T* pa = a.data_as<T>();
  const T* pb = b.data_as<T>();
  T* po = out.data_as<T>();
  for (BroadcastIterator it(out.shape, {a.shape, b.shape}); !it.done(); it.Next()) {
    const T x = pa[it.input_index(0)];
    const T y = pb[it.input_index(1)];
    if constexpr (std::is_floating_point_v<T>) {
      po[it.output_index()] = ApplyFusedActivation(ApplyFloat(kind, x, y), act);
    } else {
      if (kind == BinaryKind::kDiv && y == 0) {
        return ctx.Error("integer division by zero (flat output index " +
                         std::to_string(it.output_index()) + ")");
      }
      if (kind == BinaryKind::kPow && y < 0) {
        return ctx.Error("integer power with negative exponent " + std::to_string(y) +
                         " is not supported");
      }
      po[it.output_index()] = ClampIntActivation(ApplyInt(kind, x, y), act);
    }
  }
  return Status::Ok();
}

template <BinaryKind K>
class BinaryKernel : public OpKernel {
 public:
  Status Prepare(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 1));
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(1);
    const Tensor& out = *ctx.output(0);
    if (a.dtype != b.dtype) {
      return ctx.Error("input dtypes differ: " + DTypeName(a.dtype) + " vs " + DTypeName(b.dtype));
    }
    if (!SupportsDType(K, a.dtype)) {
      return ctx.UnsupportedError("dtype " + DTypeName(a.dtype) + " is not supported");
    }
    if (out.dtype != a.dtype) {
      return ctx.Error("output dtype " + DTypeName(out.dtype) + " does not match input dtype " +
                       DTypeName(a.dtype));
    }
    act_ = FusedActivation::kNone;
    if constexpr (HasFusedActivation(K)) {
      RNNLITE_RETURN_IF_ERROR(GetFusedActivation(ctx, &act_));
      if (a.dtype != DType::kFloat32 &&
          (act_ == FusedActivation::kTanh || act_ == FusedActivation::kSignBit)) {
        return ctx.UnsupportedError("fused activation " +
                                    std::to_string(static_cast<int64_t>(act_)) +
                                    " is not supported for " + DTypeName(a.dtype));
      }
    }
    StatusOr<Shape> shape = BroadcastShapes(a.shape, b.shape);
    if (!shape.ok()) return ctx.Error(shape.status().message());
    return ctx.ResizeOutput(0, *shape);
  }

  Status Eval(KernelContext& ctx) override {
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(1);
    StatusOr<Shape> shape = BroadcastShapes(a.shape, b.shape);
    if (!shape.ok()) return ctx.Error(shape.status().message());
    RNNLITE_RETURN_IF_ERROR(ResizeOutputInEval(ctx, *shape));
    Tensor& out = *ctx.output(0);
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, a, "input 0"));
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, b, "input 1"));
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, out, "output 0"));
    switch (a.dtype) {
      case DType::kFloat32: return EvalTyped<float>(ctx, K, act_, a, b, out);
      case DType::kInt32: return EvalTyped<int32_t>(ctx, K, act_, a, b, out);
      case DType::kInt64: return EvalTyped<int64_t>(ctx, K, act_, a, b, out);
      default: return ctx.UnsupportedError("dtype " + DTypeName(a.dtype) + " is not supported");
    }
  }

 private:
  FusedActivation act_ = FusedActivation::kNone;
};

}  // namespace

void RegisterBinaryKernels(OpRegistry& registry) {
  registry.Register(Op::kAdd, MakeFactory<BinaryKernel<BinaryKind::kAdd>>());
  registry.Register(Op::kSub, MakeFactory<BinaryKernel<BinaryKind::kSub>>());
  registry.Register(Op::kMul, MakeFactory<BinaryKernel<BinaryKind::kMul>>());
  registry.Register(Op::kDiv, MakeFactory<BinaryKernel<BinaryKind::kDiv>>());
  registry.Register(Op::kPow, MakeFactory<BinaryKernel<BinaryKind::kPow>>());
  registry.Register(Op::kMaximum, MakeFactory<BinaryKernel<BinaryKind::kMaximum>>());
  registry.Register(Op::kMinimum, MakeFactory<BinaryKernel<BinaryKind::kMinimum>>());
}

}  // namespace rnnlite::elementwise
