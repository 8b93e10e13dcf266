// SOFTMAX and LOG_SOFTMAX over the last axis (float32), TFLite semantics:
//   softmax(x)_i     = exp(beta * x_i) / sum_j exp(beta * x_j)
//   log_softmax(x)_i = x_i - log(sum_j exp(x_j))
// The maximum is subtracted first so large logits do not overflow.
#include <cmath>
#include <cstdint>
#include <string>

#include "core/op_registry.h"
#include "cpu_fallback/compute_kernels.h"
#include "cpu_fallback/compute_util.h"

namespace rnnlite::compute {
namespace {

Status PlanSoftmax(KernelContext& ctx, Shape* out_shape) {
  RNNLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
  const Tensor* input;
  Tensor* output;
  RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, "input", &input));
  RNNLITE_RETURN_IF_ERROR(RequireOutput(ctx, 0, &output));
  if (input->dtype != DType::kFloat32) {
    return ctx.UnsupportedError("only float32 input is supported, got " + DTypeName(input->dtype));
  }
  RNNLITE_RETURN_IF_ERROR(ExpectDType(ctx, *output, DType::kFloat32, "output"));
  if (input->rank() < 1) return ctx.Error("input must have rank >= 1, got a scalar");
  *out_shape = input->shape;
  return Status::Ok();
}

class SoftmaxKernel : public OpKernel {
 public:
  explicit SoftmaxKernel(bool log) : log_(log) {}

  Status Prepare(KernelContext& ctx) override {
    Shape shape;
    RNNLITE_RETURN_IF_ERROR(PlanSoftmax(ctx, &shape));
    if (!log_) {
      double beta = ctx.attrs().GetFloat("beta", 0.0);
      if (!std::isfinite(beta)) return ctx.Error("beta must be finite, got " + std::to_string(beta));
    }
    return ctx.ResizeOutput(0, shape);
  }

  Status Eval(KernelContext& ctx) override {
    Shape shape;
    RNNLITE_RETURN_IF_ERROR(PlanSoftmax(ctx, &shape));
    RNNLITE_RETURN_IF_ERROR(FinalizeOutput(ctx, 0, shape, /*dynamic=*/false));
    const Tensor* input = ctx.input(0);
    RNNLITE_RETURN_IF_ERROR(CheckHoldsShape(ctx, *input, "input"));
    // Schema default for beta is 0 (uniform output); TFLite converters
    // always write it, and in-memory graphs must set it explicitly.
    const float beta = static_cast<float>(ctx.attrs().GetFloat("beta", 0.0));
    const int64_t depth = shape.back();
    if (depth == 0) return Status::Ok();
    const int64_t rows = input->num_elements() / depth;
    const float* x = input->data_as<float>();
    float* y = ctx.output(0)->data_as<float>();
    for (int64_t r = 0; r < rows; ++r) {
      const float* xr = x + r * depth;
      float* yr = y + r * depth;
      if (log_) {
        float max = xr[0];
        for (int64_t i = 1; i < depth; ++i) max = std::fmax(max, xr[i]);
        float sum = 0.0f;
        for (int64_t i = 0; i < depth; ++i) sum += std::exp(xr[i] - max);
        const float log_sum = std::log(sum);
        for (int64_t i = 0; i < depth; ++i) yr[i] = xr[i] - max - log_sum;
      } else {
        // Scale first: with a negative beta the smallest logit is largest.
        float max = beta * xr[0];
        for (int64_t i = 1; i < depth; ++i) max = std::fmax(max, beta * xr[i]);
        float sum = 0.0f;
        for (int64_t i = 0; i < depth; ++i) {
          yr[i] = std::exp(beta * xr[i] - max);
          sum += yr[i];
        }
        for (int64_t i = 0; i < depth; ++i) yr[i] /= sum;
      }
    }
    return Status::Ok();
  }

 private:
  bool log_;
};

}  // namespace

void RegisterSoftmaxKernels(OpRegistry& registry) {
  registry.Register(Op::kSoftmax, [] { return std::make_unique<SoftmaxKernel>(false); });
  registry.Register(Op::kLogSoftmax, [] { return std::make_unique<SoftmaxKernel>(true); });
}

}  // namespace rnnlite::compute
