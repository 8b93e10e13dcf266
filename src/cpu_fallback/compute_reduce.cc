// MEAN, SUM, REDUCE_MAX, REDUCE_MIN, REDUCE_ANY, REDUCE_ALL and ARG_MAX
// with TFLite semantics.
//
// Reductions: inputs (data, axis); axis is an int32/int64 scalar or list,
// negative values count from the back, duplicates count once; keep_dims
// keeps reduced dims as size 1. A scalar input gives a scalar output and its
// axis list is ignored (TFLite short-circuits scalars). An empty axis list
// reduces nothing. REDUCE_MAX (REDUCE_MIN) starts from the type's lowest
// (largest) value and keeps the current value unless a strictly greater
// (smaller) one arrives, so NaNs are skipped and an empty reduction yields
// that start value, as in TFLite. REDUCE_ANY / REDUCE_ALL take bools; an
// empty reduction yields false / true. (Masked Keras layers use REDUCE_ANY
// to turn a Masking layer's NOT_EQUAL into per-step masks; TF1 sequence
// lengths use REDUCE_MIN / REDUCE_MAX.)
//
// ARG_MAX: inputs (data, axis) with exactly one axis value; the output has
// the axis removed, holds the index of the first maximum, and is int32 or
// int64 by the output tensor's dtype.
//
// When the axis tensor is not a constant the output shape is only known in
// Eval, so the output is marked dynamic.
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "core/op_registry.h"
#include "cpu_fallback/compute_kernels.h"
#include "cpu_fallback/compute_util.h"

namespace rnnlite::compute {
namespace {

enum class Reducer { kMean, kSum, kMax, kMin, kAny, kAll };

const char* ReducerName(Reducer r) {
  switch (r) {
    case Reducer::kMean: return "MEAN";
    case Reducer::kSum: return "SUM";
    case Reducer::kMax: return "REDUCE_MAX";
    case Reducer::kMin: return "REDUCE_MIN";
    case Reducer::kAny: return "REDUCE_ANY";
    case Reducer::kAll: return "REDUCE_ALL";
  }
  return "?";
}

bool IsLogical(Reducer r) { return r == Reducer::kAny || r == Reducer::kAll; }

struct ReducePlan {
  // Per input dim: true if reduced.
  std::vector<bool> reduced;
  Shape out_shape;
  // Product of the reduced dims' sizes (elements folded into each output).
  int64_t count = 1;
};

Status PlanReduce(const KernelContext& ctx, const Shape& in, const std::vector<int64_t>& axes, bool keep_dims,
                  ReducePlan* p) {
  const int rank = static_cast<int>(in.size());
  p->reduced.assign(in.size(), false);
  p->out_shape.clear();
  p->count = 1;
  if (rank == 0) return Status::Ok();
  for (int64_t a : axes) {
    int axis;
    RNNLITE_RETURN_IF_ERROR(NormalizeAxis(ctx, a, rank, &axis));
    p->reduced[axis] = true;
  }
  for (int d = 0; d < rank; ++d) {
    if (p->reduced[d]) {
      p->count *= in[d];
      if (keep_dims) p->out_shape.push_back(1);
    } else {
      p->out_shape.push_back(in[d]);
    }
  }
  return Status::Ok();
}

// Maps each input element to its output element: the flat output index is
// sum(index[d] * out_stride[d]) with stride 0 along reduced dims (the same
// whether or not keep_dims keeps them as size 1).
std::vector<int64_t> OutputStrides(const Shape& in, const std::vector<bool>& reduced) {
  std::vector<int64_t> strides(in.size(), 0);
  int64_t s = 1;
  for (int d = static_cast<int>(in.size()) - 1; d >= 0; --d) {
    if (!reduced[d]) {
      strides[d] = s;
      s *= in[d];
    }
  }
  return strides;
}

// Calls fn(input_flat, output_flat) for every input element in order.
template <typename Fn>
void ForEachElement(const Shape& in, const std::vector<int64_t>& out_strides, Fn fn) {
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
void RunMaxOrMin(const Tensor& input, const ReducePlan& p, bool max, Tensor* output) {
  const T* x = input.data_as<T>();
  T* y = output->data_as<T>();
  const int64_t out_n = NumElements(p.out_shape);
  const T start = max ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
  for (int64_t i = 0; i < out_n; ++i) y[i] = start;
  const std::vector<int64_t> strides = OutputStrides(input.shape, p.reduced);
  if (max) {
    ForEachElement(input.shape, strides, [&](int64_t i, int64_t o) {
      if (x[i] > y[o]) y[o] = x[i];
    });
  } else {
    ForEachElement(input.shape, strides, [&](int64_t i, int64_t o) {
      if (x[i] < y[o]) y[o] = x[i];
    });
  }
}

void RunAnyOrAll(const Tensor& input, const ReducePlan& p, bool any, Tensor* output) {
  const int64_t out_n = NumElements(p.out_shape);
  for (int64_t i = 0; i < out_n; ++i) output->data[i] = any ? 0 : 1;
  ForEachElement(input.shape, OutputStrides(input.shape, p.reduced), [&](int64_t i, int64_t o) {
    const bool v = input.data[i] != 0;
    if (any && v) output->data[o] = 1;
    if (!any && !v) output->data[o] = 0;
  });
}

// Integer sums wrap modulo 2^bits (well defined through the unsigned type)
// rather than invoking signed-overflow undefined behaviour.
template <typename T>
void RunIntSum(const Tensor& input, const ReducePlan& p, Tensor* output) {
  using U = std::make_unsigned_t<T>;
  const T* x = input.data_as<T>();
  const int64_t out_n = NumElements(p.out_shape);
  std::vector<U> acc(static_cast<size_t>(out_n), 0);
  ForEachElement(input.shape, OutputStrides(input.shape, p.reduced),
                 [&](int64_t i, int64_t o) { acc[o] += static_cast<U>(x[i]); });
  T* y = output->data_as<T>();
  for (int64_t i = 0; i < out_n; ++i) y[i] = static_cast<T>(acc[i]);
}

// Float sums and means accumulate in double: this kernel is the oracle
// other backends are compared against, so it should be the accurate one.
void RunFloatSumOrMean(const Tensor& input, const ReducePlan& p, bool mean, Tensor* output) {
  const float* x = input.data_as<float>();
  const int64_t out_n = NumElements(p.out_shape);
  std::vector<double> acc(static_cast<size_t>(out_n), 0.0);
  ForEachElement(input.shape, OutputStrides(input.shape, p.reduced),
                 [&](int64_t i, int64_t o) { acc[o] += x[i]; });
  float* y = output->data_as<float>();
  for (int64_t i = 0; i < out_n; ++i) {
    // An empty mean is 0/0 = NaN, as in TFLite.
    y[i] = static_cast<float>(mean ? acc[i] / static_cast<double>(p.count) : acc[i]);
  }
}

class ReduceKernel : public OpKernel {
 public:
  explicit ReduceKernel(Reducer reducer) : reducer_(reducer) {}

  Status Prepare(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
    const Tensor* input;
    const Tensor* axis;
    Tensor* output;
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, "input", &input));
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, "axis", &axis));
    RNNLITE_RETURN_IF_ERROR(RequireOutput(ctx, 0, &output));
    const bool integer = input->dtype == DType::kInt32 || input->dtype == DType::kInt64;
    const bool supported = IsLogical(reducer_) ? input->dtype == DType::kBool
                                               : input->dtype == DType::kFloat32 ||
                                                     (reducer_ != Reducer::kMean && integer);
    if (!supported) {
      return ctx.UnsupportedError(std::string(ReducerName(reducer_)) + " of " + DTypeName(input->dtype) +
                                  " is not supported");
    }
    RNNLITE_RETURN_IF_ERROR(ExpectDType(ctx, *output, input->dtype, "output"));
    if (axis->dtype != DType::kInt32 && axis->dtype != DType::kInt64) {
      return ctx.Error("axis must be int32 or int64, got " + DTypeName(axis->dtype));
    }
    if (axis->rank() > 1) return ctx.Error("axis must be a scalar or 1-D, got shape " + ShapeToString(axis->shape));

    dynamic_ = !axis->is_constant();
    if (dynamic_) {
      ctx.MarkOutputDynamic(0);
      return Status::Ok();
    }
    ReducePlan p;
    RNNLITE_RETURN_IF_ERROR(Plan(ctx, &p));
    return ctx.ResizeOutput(0, p.out_shape);
  }

  Status Eval(KernelContext& ctx) override {
    ReducePlan p;
    RNNLITE_RETURN_IF_ERROR(Plan(ctx, &p));
    RNNLITE_RETURN_IF_ERROR(FinalizeOutput(ctx, 0, p.out_shape, dynamic_));
    const Tensor& input = *ctx.input(0);
    RNNLITE_RETURN_IF_ERROR(CheckHoldsShape(ctx, input, "input"));
    Tensor* output = ctx.output(0);
    if (input.dtype != output->dtype) return ctx.Error("output dtype changed since Prepare");
    if (IsLogical(reducer_)) {
      if (input.dtype != DType::kBool) return ctx.UnsupportedError("dtype " + DTypeName(input.dtype));
      RunAnyOrAll(input, p, reducer_ == Reducer::kAny, output);
      return Status::Ok();
    }
    const bool extremum = reducer_ == Reducer::kMax || reducer_ == Reducer::kMin;
    const bool max = reducer_ == Reducer::kMax;
    switch (input.dtype) {
      case DType::kFloat32:
        if (extremum) {
          RunMaxOrMin<float>(input, p, max, output);
        } else {
          RunFloatSumOrMean(input, p, reducer_ == Reducer::kMean, output);
        }
        break;
      case DType::kInt32:
        if (extremum) {
          RunMaxOrMin<int32_t>(input, p, max, output);
        } else {
          RunIntSum<int32_t>(input, p, output);
        }
        break;
      case DType::kInt64:
        if (extremum) {
          RunMaxOrMin<int64_t>(input, p, max, output);
        } else {
          RunIntSum<int64_t>(input, p, output);
        }
        break;
      default:
        return ctx.UnsupportedError("dtype " + DTypeName(input.dtype));
    }
    return Status::Ok();
  }

 private:
  Status Plan(const KernelContext& ctx, ReducePlan* p) const {
    std::vector<int64_t> axes;
    RNNLITE_RETURN_IF_ERROR(ReadIndexValues(ctx, *ctx.input(1), "axis", &axes));
    bool keep_dims = ctx.attrs().GetInt("keep_dims", 0) != 0;
    return PlanReduce(ctx, ctx.input(0)->shape, axes, keep_dims, p);
  }

  Reducer reducer_;
  bool dynamic_ = false;
};

// ---------------------------------------------------------------------------
// ARG_MAX

struct ArgMaxPlan {
  int64_t outer = 1, axis_len = 0, inner = 1;
  Shape out_shape;
};

class ArgMaxKernel : public OpKernel {
 public:
  Status Prepare(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
    const Tensor* input;
    const Tensor* axis;
    Tensor* output;
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, "input", &input));
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, "axis", &axis));
    RNNLITE_RETURN_IF_ERROR(RequireOutput(ctx, 0, &output));
    switch (input->dtype) {
      case DType::kFloat32: case DType::kInt32: case DType::kInt64:
      case DType::kUInt8: case DType::kInt8: case DType::kBool:
        break;
      default:
        return ctx.UnsupportedError("input dtype " + DTypeName(input->dtype) + " is not supported");
    }
    if (output->dtype != DType::kInt32 && output->dtype != DType::kInt64) {
      return ctx.Error("output must be int32 or int64, got " + DTypeName(output->dtype));
    }
    // The reader fills output_type with the schema default (0, float32) when
    // a file omits it, so only an explicit int32/int64 is compared.
    int64_t output_type = ctx.attrs().GetInt("output_type", 0);
    if ((output_type == static_cast<int64_t>(DType::kInt32) || output_type == static_cast<int64_t>(DType::kInt64)) &&
        output_type != static_cast<int64_t>(output->dtype)) {
      return ctx.Error("output_type " + DTypeName(static_cast<DType>(output_type)) +
                       " disagrees with the output tensor's dtype " + DTypeName(output->dtype));
    }
    if (axis->dtype != DType::kInt32 && axis->dtype != DType::kInt64) {
      return ctx.Error("axis must be int32 or int64, got " + DTypeName(axis->dtype));
    }
    if (axis->num_elements() != 1) {
      return ctx.Error("axis must hold exactly one value, got shape " + ShapeToString(axis->shape));
    }
    if (input->rank() < 1) return ctx.Error("input must have rank >= 1, got a scalar");

    dynamic_ = !axis->is_constant();
    if (dynamic_) {
      ctx.MarkOutputDynamic(0);
      return Status::Ok();
    }
    ArgMaxPlan p;
    RNNLITE_RETURN_IF_ERROR(Plan(ctx, &p));
    return ctx.ResizeOutput(0, p.out_shape);
  }

  Status Eval(KernelContext& ctx) override {
    ArgMaxPlan p;
    RNNLITE_RETURN_IF_ERROR(Plan(ctx, &p));
    RNNLITE_RETURN_IF_ERROR(FinalizeOutput(ctx, 0, p.out_shape, dynamic_));
    const Tensor& input = *ctx.input(0);
    RNNLITE_RETURN_IF_ERROR(CheckHoldsShape(ctx, input, "input"));
    Tensor* output = ctx.output(0);
    switch (input.dtype) {
      case DType::kFloat32: return Run<float>(ctx, input, p, output);
      case DType::kInt32: return Run<int32_t>(ctx, input, p, output);
      case DType::kInt64: return Run<int64_t>(ctx, input, p, output);
      case DType::kUInt8: case DType::kBool: return Run<uint8_t>(ctx, input, p, output);
      case DType::kInt8: return Run<int8_t>(ctx, input, p, output);
      default: return ctx.UnsupportedError("input dtype " + DTypeName(input.dtype) + " is not supported");
    }
  }

 private:
  Status Plan(const KernelContext& ctx, ArgMaxPlan* p) const {
    const Tensor& input = *ctx.input(0);
    std::vector<int64_t> axes;
    RNNLITE_RETURN_IF_ERROR(ReadIndexValues(ctx, *ctx.input(1), "axis", &axes));
    if (axes.size() != 1) return ctx.Error("axis must hold exactly one value");
    int axis;
    RNNLITE_RETURN_IF_ERROR(NormalizeAxis(ctx, axes[0], input.rank(), &axis));
    p->axis_len = input.shape[axis];
    if (p->axis_len == 0) {
      return ctx.Error("axis " + std::to_string(axis) + " of input " + ShapeToString(input.shape) +
                       " is empty; there is no maximum to index");
    }
    p->outer = 1;
    p->inner = 1;
    p->out_shape.clear();
    for (int d = 0; d < input.rank(); ++d) {
      if (d < axis) p->outer *= input.shape[d];
      if (d > axis) p->inner *= input.shape[d];
      if (d != axis) p->out_shape.push_back(input.shape[d]);
    }
    return Status::Ok();
  }

  template <typename T>
  Status Run(const KernelContext& ctx, const Tensor& input, const ArgMaxPlan& p, Tensor* output) const {
    if (output->dtype == DType::kInt32 && p.axis_len > INT32_MAX) {
      return ctx.Error("axis length " + std::to_string(p.axis_len) + " does not fit an int32 index");
    }
    const T* x = input.data_as<T>();
    for (int64_t o = 0; o < p.outer; ++o) {
      for (int64_t i = 0; i < p.inner; ++i) {
        const T* base = x + o * p.axis_len * p.inner + i;
        T best = base[0];
        int64_t best_index = 0;
        for (int64_t a = 1; a < p.axis_len; ++a) {
          if (base[a * p.inner] > best) {
            best = base[a * p.inner];
            best_index = a;
          }
        }
        const int64_t out_index = o * p.inner + i;
        if (output->dtype == DType::kInt32) {
          output->data_as<int32_t>()[out_index] = static_cast<int32_t>(best_index);
        } else {
          output->data_as<int64_t>()[out_index] = best_index;
        }
      }
    }
    return Status::Ok();
  }

  bool dynamic_ = false;
};

}  // namespace

void RegisterReduceKernels(OpRegistry& registry) {
  registry.Register(Op::kMean, [] { return std::make_unique<ReduceKernel>(Reducer::kMean); });
  registry.Register(Op::kSum, [] { return std::make_unique<ReduceKernel>(Reducer::kSum); });
  registry.Register(Op::kReduceMax, [] { return std::make_unique<ReduceKernel>(Reducer::kMax); });
  registry.Register(Op::kReduceMin, [] { return std::make_unique<ReduceKernel>(Reducer::kMin); });
  registry.Register(Op::kReduceAny, [] { return std::make_unique<ReduceKernel>(Reducer::kAny); });
  registry.Register(Op::kReduceAll, [] { return std::make_unique<ReduceKernel>(Reducer::kAll); });
  registry.Register(Op::kArgMax, MakeFactory<ArgMaxKernel>());
}

}  // namespace rnnlite::compute
