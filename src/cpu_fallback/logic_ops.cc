// Comparisons (LESS, LESS_EQUAL, GREATER, GREATER_EQUAL, EQUAL, NOT_EQUAL),
// LOGICAL_AND / LOGICAL_OR / LOGICAL_NOT, SELECT and SELECT_V2: the small ops
// of the loop conditions and masked steps the TFLite converter emits for
// recurrent layers. TFLite semantics:
// - comparisons broadcast (NumPy rules) over float32, int32, int64 (EQUAL and
//   NOT_EQUAL also bool) and produce bool; NaN compares unequal to all;
// - logical ops take bool and broadcast;
// - SELECT (v1): a scalar condition, one of the same shape as x and y, or a rank-1
//   condition picking whole rows along dim 0 (TF1 tf.where); x and y have the
//   same shape;
// - SELECT_V2: condition, x and y all broadcast against each other.
#include <cstring>
#include <string>
#include <vector>

#include "core/op_registry.h"
#include "cpu_fallback/broadcast.h"
#include "cpu_fallback/compute_util.h"
#include "cpu_fallback/families.h"

namespace rnnlite {
namespace {

using compute::CheckArity;
using compute::CheckHoldsShape;
using compute::FinalizeOutput;

enum class Cmp { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual, kNotEqual };

template <typename T>
bool Compare(Cmp c, T a, T b) {
  switch (c) {
    case Cmp::kLess: return a < b;
    case Cmp::kLessEqual: return a <= b;
    case Cmp::kGreater: return a > b;
    case Cmp::kGreaterEqual: return a >= b;
    case Cmp::kEqual: return a == b;
    case Cmp::kNotEqual: return a != b;
  }
  return false;
}

// Shared Prepare for binary ops producing a broadcast output.
Status PrepareBroadcastBinary(KernelContext& ctx, Shape* out_shape) {
  RNNLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* a = ctx.input(0);
  const Tensor* b = ctx.input(1);
  if (a == nullptr || b == nullptr || ctx.output(0) == nullptr) return ctx.Error("missing input or output");
  if (a->dtype != b->dtype) {
    return ctx.Error("inputs have different dtypes " + DTypeName(a->dtype) + " and " + DTypeName(b->dtype));
  }
  StatusOr<Shape> shape = BroadcastShapes(a->shape, b->shape);
  if (!shape.ok()) return ctx.Error(shape.status().message());
  *out_shape = shape.value();
  return Status::Ok();
}

class CompareKernel final : public OpKernel {
 public:
  explicit CompareKernel(Cmp cmp) : cmp_(cmp) {}

  Status Prepare(KernelContext& ctx) override {
    Shape shape;
    RNNLITE_RETURN_IF_ERROR(PrepareBroadcastBinary(ctx, &shape));
    const DType t = ctx.input(0)->dtype;
    const bool equality = cmp_ == Cmp::kEqual || cmp_ == Cmp::kNotEqual;
    if (t != DType::kFloat32 && t != DType::kInt32 && t != DType::kInt64 && !(equality && t == DType::kBool)) {
      return ctx.UnsupportedError("comparison of " + DTypeName(t) + " is not supported");
    }
    if (ctx.output(0)->dtype != DType::kBool) return ctx.Error("output must be bool");
    return ctx.ResizeOutput(0, shape);
  }

  Status Eval(KernelContext& ctx) override {
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(1);
    Shape shape;
    RNNLITE_RETURN_IF_ERROR(PrepareBroadcastBinary(ctx, &shape));
    RNNLITE_RETURN_IF_ERROR(FinalizeOutput(ctx, 0, shape, false));
    RNNLITE_RETURN_IF_ERROR(CheckHoldsShape(ctx, a, "input 0"));
    RNNLITE_RETURN_IF_ERROR(CheckHoldsShape(ctx, b, "input 1"));
    switch (a.dtype) {
      case DType::kFloat32: Run<float>(a, b, ctx.output(0)); break;
      case DType::kInt32: Run<int32_t>(a, b, ctx.output(0)); break;
      case DType::kInt64: Run<int64_t>(a, b, ctx.output(0)); break;
      case DType::kBool: Run<uint8_t>(a, b, ctx.output(0)); break;
      default: return ctx.UnsupportedError("comparison of " + DTypeName(a.dtype));
    }
    return Status::Ok();
  }

 private:
  template <typename T>
  void Run(const Tensor& a, const Tensor& b, Tensor* out) const {
    const T* x = a.data_as<T>();
    const T* y = b.data_as<T>();
    uint8_t* z = out->data;
    for (BroadcastIterator it(out->shape, {a.shape, b.shape}); !it.done(); it.Next()) {
      z[it.output_index()] = Compare(cmp_, x[it.input_index(0)], y[it.input_index(1)]) ? 1 : 0;
    }
  }

  Cmp cmp_;
};

enum class Logic { kAnd, kOr };

class LogicalBinaryKernel final : public OpKernel {
 public:
  explicit LogicalBinaryKernel(Logic op) : op_(op) {}

  Status Prepare(KernelContext& ctx) override {
    Shape shape;
    RNNLITE_RETURN_IF_ERROR(PrepareBroadcastBinary(ctx, &shape));
    if (ctx.input(0)->dtype != DType::kBool || ctx.output(0)->dtype != DType::kBool) {
      return ctx.Error("inputs and output must be bool");
    }
    return ctx.ResizeOutput(0, shape);
  }

  Status Eval(KernelContext& ctx) override {
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(1);
    Shape shape;
    RNNLITE_RETURN_IF_ERROR(PrepareBroadcastBinary(ctx, &shape));
    RNNLITE_RETURN_IF_ERROR(FinalizeOutput(ctx, 0, shape, false));
    RNNLITE_RETURN_IF_ERROR(CheckHoldsShape(ctx, a, "input 0"));
    RNNLITE_RETURN_IF_ERROR(CheckHoldsShape(ctx, b, "input 1"));
    Tensor* out = ctx.output(0);
    for (BroadcastIterator it(out->shape, {a.shape, b.shape}); !it.done(); it.Next()) {
      const bool x = a.data[it.input_index(0)] != 0, y = b.data[it.input_index(1)] != 0;
      out->data[it.output_index()] = (op_ == Logic::kAnd ? (x && y) : (x || y)) ? 1 : 0;
    }
    return Status::Ok();
  }

 private:
  Logic op_;
};

class LogicalNotKernel final : public OpKernel {
 public:
  Status Prepare(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckArity(ctx, 1, 1, 1));
    const Tensor* a = ctx.input(0);
    if (a == nullptr || ctx.output(0) == nullptr) return ctx.Error("missing input or output");
    if (a->dtype != DType::kBool || ctx.output(0)->dtype != DType::kBool) {
      return ctx.Error("input and output must be bool");
    }
    return ctx.ResizeOutput(0, a->shape);
  }
  Status Eval(KernelContext& ctx) override {
    const Tensor& a = *ctx.input(0);
    RNNLITE_RETURN_IF_ERROR(FinalizeOutput(ctx, 0, a.shape, false));
    RNNLITE_RETURN_IF_ERROR(CheckHoldsShape(ctx, a, "input"));
    const int64_t n = a.num_elements();
    for (int64_t i = 0; i < n; ++i) ctx.output(0)->data[i] = a.data[i] != 0 ? 0 : 1;
    return Status::Ok();
  }
};

class SelectKernel final : public OpKernel {
 public:
  explicit SelectKernel(bool v2) : v2_(v2) {}

  Status Prepare(KernelContext& ctx) override {
    Shape shape;
    RNNLITE_RETURN_IF_ERROR(Check(ctx, &shape));
    return ctx.ResizeOutput(0, shape);
  }

  Status Eval(KernelContext& ctx) override {
    Shape shape;
    RNNLITE_RETURN_IF_ERROR(Check(ctx, &shape));
    RNNLITE_RETURN_IF_ERROR(FinalizeOutput(ctx, 0, shape, false));
    const Tensor& c = *ctx.input(0);
    const Tensor& x = *ctx.input(1);
    const Tensor& y = *ctx.input(2);
    RNNLITE_RETURN_IF_ERROR(CheckHoldsShape(ctx, c, "condition"));
    RNNLITE_RETURN_IF_ERROR(CheckHoldsShape(ctx, x, "x"));
    RNNLITE_RETURN_IF_ERROR(CheckHoldsShape(ctx, y, "y"));
    Tensor* out = ctx.output(0);
    const size_t elem = DTypeSize(x.dtype);
    if (!v2_ && c.rank() == 1 && x.rank() > 1) {
      // One condition per row along dim 0.
      const int64_t rows = x.shape[0];
      const size_t row_bytes = rows > 0 ? static_cast<size_t>(x.num_elements() / rows) * elem : 0;
      for (int64_t r = 0; r < rows; ++r) {
        const uint8_t* src = (c.data[r] != 0 ? x.data : y.data) + r * row_bytes;
        std::memcpy(out->data + r * row_bytes, src, row_bytes);
      }
      return Status::Ok();
    }
    for (BroadcastIterator it(out->shape, {c.shape, x.shape, y.shape}); !it.done(); it.Next()) {
      const uint8_t* src = c.data[it.input_index(0)] != 0 ? x.data + it.input_index(1) * elem
                                                           : y.data + it.input_index(2) * elem;
      std::memcpy(out->data + it.output_index() * elem, src, elem);
    }
    return Status::Ok();
  }

 private:
  Status Check(KernelContext& ctx, Shape* shape) const {
    RNNLITE_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, 1));
    const Tensor* c = ctx.input(0);
    const Tensor* x = ctx.input(1);
    const Tensor* y = ctx.input(2);
    const Tensor* out = ctx.output(0);
    if (c == nullptr || x == nullptr || y == nullptr || out == nullptr) return ctx.Error("missing input or output");
    if (c->dtype != DType::kBool) return ctx.Error("condition must be bool, got " + DTypeName(c->dtype));
    if (x->dtype != y->dtype || out->dtype != x->dtype) {
      return ctx.Error("x, y and output must share a dtype, got " + DTypeName(x->dtype) + ", " +
                       DTypeName(y->dtype) + ", " + DTypeName(out->dtype));
    }
    if (DTypeSize(x->dtype) == 0) return ctx.UnsupportedError("dtype " + DTypeName(x->dtype));
    if (v2_) {
      StatusOr<Shape> s = BroadcastShapes({c->shape, x->shape, y->shape});
      if (!s.ok()) return ctx.Error(s.status().message());
      *shape = s.value();
      return Status::Ok();
    }
    if (x->shape != y->shape) {
      return ctx.Error("x " + ShapeToString(x->shape) + " and y " + ShapeToString(y->shape) + " must have one shape");
    }
    const bool rows = c->rank() == 1 && x->rank() > 1 && c->shape[0] == x->shape[0];
    if (c->shape != x->shape && !rows && c->rank() != 0) {
      return ctx.Error("condition " + ShapeToString(c->shape) + " must be a scalar, have the shape of x " +
                       ShapeToString(x->shape) + " or be a vector over its first dim");
    }
    *shape = x->shape;
    return Status::Ok();
  }

  bool v2_;
};

}  // namespace

void RegisterLogicKernels(OpRegistry& registry) {
  const std::pair<Op, Cmp> comparisons[] = {{Op::kLess, Cmp::kLess},       {Op::kLessEqual, Cmp::kLessEqual},
                                            {Op::kGreater, Cmp::kGreater}, {Op::kGreaterEqual, Cmp::kGreaterEqual},
                                            {Op::kEqual, Cmp::kEqual},     {Op::kNotEqual, Cmp::kNotEqual}};
  for (const auto& [op, cmp] : comparisons) {
    const Cmp c = cmp;
    registry.Register(op, [c] { return std::make_unique<CompareKernel>(c); });
  }
  registry.Register(Op::kLogicalAnd, [] { return std::make_unique<LogicalBinaryKernel>(Logic::kAnd); });
  registry.Register(Op::kLogicalOr, [] { return std::make_unique<LogicalBinaryKernel>(Logic::kOr); });
  registry.Register(Op::kLogicalNot, MakeFactory<LogicalNotKernel>());
  registry.Register(Op::kSelect, [] { return std::make_unique<SelectKernel>(false); });
  registry.Register(Op::kSelectV2, [] { return std::make_unique<SelectKernel>(true); });
}

}  // namespace rnnlite
