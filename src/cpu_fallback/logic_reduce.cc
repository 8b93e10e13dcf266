// REDUCE_ANY, REDUCE_ALL (bool) and REDUCE_MIN (float32, int32, int64) with
// TFLite semantics: inputs (data, axis); axis is an int32/int64 scalar or
// list, negative values count from the back, duplicates count once;
// keep_dims keeps reduced dims as size 1; a scalar input gives a scalar. An
// empty reduction yields false (ANY), true (ALL) or the type's largest value
// (MIN). REDUCE_MIN keeps the current value unless a strictly smaller one
// arrives, so NaNs are skipped, mirroring REDUCE_MAX. Masked Keras layers use
// REDUCE_ANY to turn a Masking layer's NOT_EQUAL into per-step masks, TF1
// sequence lengths use REDUCE_MIN / REDUCE_MAX.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/op_registry.h"
#include "cpu_fallback/compute_util.h"
#include "cpu_fallback/families.h"

namespace rnnlite {
namespace {

using compute::CheckArity;
using compute::CheckHoldsShape;
using compute::FinalizeOutput;

enum class Reduce { kAny, kAll, kMin };

struct Plan {
  Shape out_shape;
  std::vector<int64_t> out_strides;  // per input dim; 0 along reduced dims
};

Status MakePlan(const KernelContext& ctx, Plan* p) {
  const Tensor& in = *ctx.input(0);
  std::vector<int64_t> axes;
  RNNLITE_RETURN_IF_ERROR(compute::ReadIndexValues(ctx, *ctx.input(1), "axis", &axes));
  const bool keep_dims = ctx.attrs().GetInt("keep_dims", 0) != 0;
  const int rank = in.rank();
  std::vector<bool> reduced(static_cast<size_t>(rank), false);
  if (rank > 0) {
    for (int64_t a : axes) {
      int axis = 0;
      RNNLITE_RETURN_IF_ERROR(compute::NormalizeAxis(ctx, a, rank, &axis));
      reduced[static_cast<size_t>(axis)] = true;
    }
  }
  p->out_shape.clear();
  for (int d = 0; d < rank; ++d) {
    if (!reduced[d]) {
      p->out_shape.push_back(in.shape[d]);
    } else if (keep_dims) {
      p->out_shape.push_back(1);
    }
  }
  p->out_strides.assign(static_cast<size_t>(rank), 0);
  int64_t s = 1;
  for (int d = rank - 1; d >= 0; --d) {
    if (!reduced[d]) {
      p->out_strides[d] = s;
      s *= in.shape[d];
    }
  }
  return Status::Ok();
}

// Calls fn(input_flat, output_flat) for every input element in order.
template <typename Fn>
void ForEach(const Shape& in, const std::vector<int64_t>& out_strides, Fn fn) {
  const int64_t n = NumElements(in);
  std::vector<int32_t> idx(in.size(), 0);
  int64_t out = 0;
  for (int64_t i = 0; i < n; ++i) {
    fn(i, out);
    for (int d = static_cast<int>(in.size()) - 1; d >= 0; --d) {
      out += out_strides[d];
      if (++idx[d] < in[d]) break;
      out -= out_strides[d] * idx[d];
      idx[d] = 0;
    }
  }
}

template <typename T>
void RunMin(const Tensor& in, const Plan& p, Tensor* out) {
  const T* x = in.data_as<T>();
  T* y = out->data_as<T>();
  const int64_t n = NumElements(p.out_shape);
  for (int64_t i = 0; i < n; ++i) y[i] = std::numeric_limits<T>::max();
  ForEach(in.shape, p.out_strides, [&](int64_t i, int64_t o) {
    if (x[i] < y[o]) y[o] = x[i];
  });
}

class LogicReduceKernel final : public OpKernel {
 public:
  explicit LogicReduceKernel(Reduce r) : r_(r) {}

  Status Prepare(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
    const Tensor* in = ctx.input(0);
    const Tensor* axis = ctx.input(1);
    const Tensor* out = ctx.output(0);
    if (in == nullptr || axis == nullptr || out == nullptr) return ctx.Error("missing input or output");
    const bool ok = r_ == Reduce::kMin ? (in->dtype == DType::kFloat32 || in->dtype == DType::kInt32 ||
                                          in->dtype == DType::kInt64)
                                       : in->dtype == DType::kBool;
    if (!ok) return ctx.UnsupportedError("reduction of " + DTypeName(in->dtype) + " is not supported");
    if (out->dtype != in->dtype) return ctx.Error("output must be " + DTypeName(in->dtype));
    dynamic_ = !axis->is_constant();
    if (dynamic_) {
      ctx.MarkOutputDynamic(0);
      return Status::Ok();
    }
    Plan p;
    RNNLITE_RETURN_IF_ERROR(MakePlan(ctx, &p));
    return ctx.ResizeOutput(0, p.out_shape);
  }

  Status Eval(KernelContext& ctx) override {
    Plan p;
    RNNLITE_RETURN_IF_ERROR(MakePlan(ctx, &p));
    RNNLITE_RETURN_IF_ERROR(FinalizeOutput(ctx, 0, p.out_shape, dynamic_));
    const Tensor& in = *ctx.input(0);
    RNNLITE_RETURN_IF_ERROR(CheckHoldsShape(ctx, in, "input"));
    Tensor* out = ctx.output(0);
    if (r_ != Reduce::kMin) {
      const bool any = r_ == Reduce::kAny;
      const int64_t n = NumElements(p.out_shape);
      for (int64_t i = 0; i < n; ++i) out->data[i] = any ? 0 : 1;
      ForEach(in.shape, p.out_strides, [&](int64_t i, int64_t o) {
        const bool v = in.data[i] != 0;
        if (any && v) out->data[o] = 1;
        if (!any && !v) out->data[o] = 0;
      });
      return Status::Ok();
    }
    switch (in.dtype) {
      case DType::kFloat32: RunMin<float>(in, p, out); break;
      case DType::kInt32: RunMin<int32_t>(in, p, out); break;
      case DType::kInt64: RunMin<int64_t>(in, p, out); break;
      default: return ctx.UnsupportedError("REDUCE_MIN of " + DTypeName(in.dtype));
    }
    return Status::Ok();
  }

 private:
  Reduce r_;
  bool dynamic_ = false;
};

}  // namespace

void RegisterLogicReduceKernels(OpRegistry& registry) {
  registry.Register(Op::kReduceAny, [] { return std::make_unique<LogicReduceKernel>(Reduce::kAny); });
  registry.Register(Op::kReduceAll, [] { return std::make_unique<LogicReduceKernel>(Reduce::kAll); });
  registry.Register(Op::kReduceMin, [] { return std::make_unique<LogicReduceKernel>(Reduce::kMin); });
}

}  // namespace rnnlite
