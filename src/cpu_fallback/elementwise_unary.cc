// Unary element-wise math and activations: SQRT, RSQRT, EXP, LOG, ABS, NEG,
// LOGISTIC, TANH, RELU, RELU6, LEAKY_RELU ("alpha"), ELU.
//
// All take float32; ABS and NEG also take int32 and int64 (wrapping at the
// most negative value, which has no positive counterpart). Input and output
// share dtype and shape. Out-of-domain inputs follow IEEE (SQRT(-1) = NaN,
// LOG(0) = -inf), as TFLite's float kernels do.
#include <cmath>
#include <string>

#include "cpu_fallback/elementwise_common.h"

namespace rnnlite::elementwise {
namespace {

enum class UnaryKind {
  kSqrt, kRsqrt, kExp, kLog, kAbs, kNeg, kLogistic, kTanh, kRelu, kRelu6, kLeakyRelu, kElu
};

constexpr bool TakesIntegers(UnaryKind k) { return k == UnaryKind::kAbs || k == UnaryKind::kNeg; }

float ApplyFloat(UnaryKind k, float x, float alpha) {
  switch (k) {
    case UnaryKind::kSqrt: return std::sqrt(x);
    case UnaryKind::kRsqrt: return 1.0f / std::sqrt(x);
    case UnaryKind::kExp: return std::exp(x);
    case UnaryKind::kLog: return std::log(x);
    case UnaryKind::kAbs: return std::fabs(x);
    case UnaryKind::kNeg: return -x;
    // exp(-x) overflows to inf for very negative x, giving exactly 0.
    case UnaryKind::kLogistic: return 1.0f / (1.0f + std::exp(-x));
    case UnaryKind::kTanh: return std::tanh(x);
    // Written as comparisons (not std::max) so that NaN passes through, as in
    // TFLite's reference activations.
    case UnaryKind::kRelu: return x < 0.0f ? 0.0f : x;
    case UnaryKind::kRelu6: return x < 0.0f ? 0.0f : (x > 6.0f ? 6.0f : x);
    case UnaryKind::kLeakyRelu: return x > 0.0f ? x : alpha * x;
    case UnaryKind::kElu: return x < 0.0f ? std::expm1(x) : x;
  }
  return x;
}

template <typename T>
T ApplyInt(UnaryKind k, T x) {
  if (k == UnaryKind::kNeg) return WrapNeg(x);
  return x < 0 ? WrapNeg(x) : x;  // kAbs
}

template <UnaryKind K>
class UnaryKernel : public OpKernel {
 public:
  Status Prepare(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1));
    const Tensor& in = *ctx.input(0);
    const Tensor& out = *ctx.output(0);
    const bool ok_dtype = in.dtype == DType::kFloat32 ||
                          (TakesIntegers(K) && (in.dtype == DType::kInt32 || in.dtype == DType::kInt64));
    if (!ok_dtype) return ctx.UnsupportedError("dtype " + DTypeName(in.dtype) + " is not supported");
    if (out.dtype != in.dtype) {
      return ctx.Error("output dtype " + DTypeName(out.dtype) + " does not match input dtype " +
                       DTypeName(in.dtype));
    }
    if constexpr (K == UnaryKind::kLeakyRelu) {
      // Schema default is 0, but graphs built in memory may omit it too.
      const double alpha = ctx.attrs().GetFloat("alpha", 0.0);
      if (!std::isfinite(alpha)) return ctx.Error("alpha must be finite, got " + std::to_string(alpha));
      alpha_ = static_cast<float>(alpha);
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
    switch (in.dtype) {
      case DType::kFloat32:
        for (int64_t i = 0; i < n; ++i) {
          out.data_as<float>()[i] = ApplyFloat(K, in.data_as<float>()[i], alpha_);
        }
        return Status::Ok();
      case DType::kInt32:
        for (int64_t i = 0; i < n; ++i) out.data_as<int32_t>()[i] = ApplyInt(K, in.data_as<int32_t>()[i]);
        return Status::Ok();
      case DType::kInt64:
        for (int64_t i = 0; i < n; ++i) out.data_as<int64_t>()[i] = ApplyInt(K, in.data_as<int64_t>()[i]);
        return Status::Ok();
      default:
        return ctx.UnsupportedError("dtype " + DTypeName(in.dtype) + " is not supported");
    }
  }

 private:
  float alpha_ = 0.0f;
};

}  // namespace

void RegisterUnaryKernels(OpRegistry& registry) {
  registry.Register(Op::kSqrt, MakeFactory<UnaryKernel<UnaryKind::kSqrt>>());
  registry.Register(Op::kRsqrt, MakeFactory<UnaryKernel<UnaryKind::kRsqrt>>());
  registry.Register(Op::kExp, MakeFactory<UnaryKernel<UnaryKind::kExp>>());
  registry.Register(Op::kLog, MakeFactory<UnaryKernel<UnaryKind::kLog>>());
  registry.Register(Op::kAbs, MakeFactory<UnaryKernel<UnaryKind::kAbs>>());
  registry.Register(Op::kNeg, MakeFactory<UnaryKernel<UnaryKind::kNeg>>());
  registry.Register(Op::kLogistic, MakeFactory<UnaryKernel<UnaryKind::kLogistic>>());
  registry.Register(Op::kTanh, MakeFactory<UnaryKernel<UnaryKind::kTanh>>());
  registry.Register(Op::kRelu, MakeFactory<UnaryKernel<UnaryKind::kRelu>>());
  registry.Register(Op::kRelu6, MakeFactory<UnaryKernel<UnaryKind::kRelu6>>());
  registry.Register(Op::kLeakyRelu, MakeFactory<UnaryKernel<UnaryKind::kLeakyRelu>>());
  registry.Register(Op::kElu, MakeFactory<UnaryKernel<UnaryKind::kElu>>());
}

}  // namespace rnnlite::elementwise
