// Data-movement kernels that keep the element order: RESHAPE, SQUEEZE,
// EXPAND_DIMS, plus the shape/creation ops SHAPE, FILL, ZEROS_LIKE. Also the
// family's registration entry point (the other ops live in shape_*.cc).
#include <cstring>
#include <string>
#include <vector>

#include "core/op_registry.h"
#include "cpu_fallback/families.h"
#include "cpu_fallback/shape_util.h"

namespace rnnlite {
namespace shape_kernels {
namespace {

// Copies all of `in` into `out` (same element count, same dtype).
Status CopyWhole(const KernelContext& ctx, const Tensor& in, Tensor& out) {
  RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, in, "input"));
  RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, out, "output"));
  if (in.num_elements() != out.num_elements()) return ctx.Error("input and output sizes differ");
  size_t in_bytes = 0;
  const uint8_t* src = ValueBytes(in, &in_bytes);
  size_t n = static_cast<size_t>(in.num_elements()) * DTypeSize(in.dtype);
  // memmove: an interpreter may let a reshape alias its input.
  if (n > 0 && src != out.data) std::memmove(out.data, src, n);
  return Status::Ok();
}

// Kernels whose single output holds input 0's bytes unchanged, under a new shape.
class PassThroughKernel : public DataMovementKernel {
 protected:
  Status Run(KernelContext& ctx) override { return CopyWhole(ctx, *ctx.input(0), *ctx.output(0)); }
};

class ReshapeKernel : public PassThroughKernel {
 protected:
  Status Validate(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckInputCount(ctx, 1, 2));
    RNNLITE_RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
    const Tensor* in = nullptr;
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, "input", &in));
    size_t esize = 0;
    return CheckPassThroughDType(ctx, *in, 0, &esize);
  }
  bool ShapeDependsOnValueOf(int input) const override { return input == 1; }

  Status Plan(KernelContext& ctx) override {
    const Tensor* in = ctx.input(0);
    const Tensor* shape_t = ctx.input(1);
    std::vector<int64_t> dims;
    // As in TFLite: a 1-D integer shape tensor wins; otherwise the
    // "new_shape" option, where the legacy value [0] means a scalar.
    bool tensor_usable = shape_t != nullptr && shape_t->rank() == 1 &&
                         (shape_t->dtype == DType::kInt32 || shape_t->dtype == DType::kInt64);
    if (tensor_usable) {
      RNNLITE_RETURN_IF_ERROR(ReadIndexValues(ctx, *shape_t, "shape tensor", &dims));
    } else if (ctx.attrs().Has("new_shape")) {
      dims = ctx.attrs().GetInts("new_shape");
      if (dims.size() == 1 && dims[0] == 0) dims.clear();
    } else if (shape_t != nullptr) {
      return ctx.Error("shape tensor must be a 1-D int32/int64 tensor, got " + DTypeName(shape_t->dtype) +
                       " " + ShapeToString(shape_t->shape));
    } else {
      return ctx.Error("needs a shape tensor (input 1) or a new_shape attribute");
    }

    const int64_t in_elems = in->num_elements();
    int stretch = -1;
    int64_t known = 1;
    for (size_t i = 0; i < dims.size(); ++i) {
      if (dims[i] == -1) {
        if (stretch >= 0) return ctx.Error("new shape has more than one -1");
        stretch = static_cast<int>(i);
      } else if (dims[i] < 0) {
        return ctx.Error("new shape has invalid dimension " + std::to_string(dims[i]));
      } else {
        known = SaturatingMul(known, dims[i]);
      }
    }
    if (stretch >= 0) {
      if (known == 0 || in_elems % known != 0) {
        return ctx.Error("cannot infer the -1 dimension: input has " + std::to_string(in_elems) +
                         " elements, the other dimensions multiply to " + std::to_string(known));
      }
      dims[stretch] = in_elems / known;
    } else if (known != in_elems) {
      return ctx.Error("input " + ShapeToString(in->shape) + " has " + std::to_string(in_elems) +
                       " elements, the new shape " + std::to_string(known));
    }
    Shape out_shape;
    RNNLITE_RETURN_IF_ERROR(ToShape(ctx, dims, "new shape", &out_shape));
    return ctx.ResizeOutput(0, out_shape);
  }
};

class SqueezeKernel : public PassThroughKernel {
 protected:
  Status Validate(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckInputCount(ctx, 1, 1));
    RNNLITE_RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
    const Tensor* in = nullptr;
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, "input", &in));
    size_t esize = 0;
    return CheckPassThroughDType(ctx, *in, 0, &esize);
  }

  Status Plan(KernelContext& ctx) override {
    const Tensor* in = ctx.input(0);
    const int rank = in->rank();
    std::vector<int64_t> squeeze = ctx.attrs().GetInts("squeeze_dims");
    std::vector<bool> drop(rank, false);
    if (squeeze.empty()) {
      // No dims listed: every size-1 dim goes.
      for (int d = 0; d < rank; ++d) drop[d] = in->shape[d] == 1;
    } else {
      for (int64_t s : squeeze) {
        int d = 0;
        RNNLITE_RETURN_IF_ERROR(NormalizeAxis(ctx, s, rank, "squeeze_dims entry", &d));
        if (in->shape[d] != 1) {
          return ctx.Error("cannot squeeze dimension " + std::to_string(s) + " of size " +
                           std::to_string(in->shape[d]) + " in " + ShapeToString(in->shape));
        }
        drop[d] = true;
      }
    }
    Shape out_shape;
    for (int d = 0; d < rank; ++d) {
      if (!drop[d]) out_shape.push_back(in->shape[d]);
    }
    return ctx.ResizeOutput(0, out_shape);
  }
};

class ExpandDimsKernel : public PassThroughKernel {
 protected:
  Status Validate(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
    RNNLITE_RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
    const Tensor* in = nullptr;
    const Tensor* axis = nullptr;
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, "input", &in));
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, "axis", &axis));
    if (axis->dtype != DType::kInt32 && axis->dtype != DType::kInt64) {
      return ctx.Error("axis must be int32 or int64, got " + DTypeName(axis->dtype));
    }
    size_t esize = 0;
    return CheckPassThroughDType(ctx, *in, 0, &esize);
  }
  bool ShapeDependsOnValueOf(int input) const override { return input == 1; }

  Status Plan(KernelContext& ctx) override {
    const Tensor* in = ctx.input(0);
    int64_t axis = 0;
    RNNLITE_RETURN_IF_ERROR(ReadScalarIndex(ctx, *ctx.input(1), "axis", &axis));
    // The new dim may go anywhere in [0, rank], so the valid range is one wider.
    int pos = 0;
    RNNLITE_RETURN_IF_ERROR(NormalizeAxis(ctx, axis, in->rank() + 1, "axis", &pos));
    Shape out_shape = in->shape;
    out_shape.insert(out_shape.begin() + pos, 1);
    return ctx.ResizeOutput(0, out_shape);
  }
};

class ShapeKernel : public DataMovementKernel {
 protected:
  Status Validate(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckInputCount(ctx, 1, 1));
    RNNLITE_RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
    const Tensor* in = nullptr;
    Tensor* out = nullptr;
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, "input", &in));
    RNNLITE_RETURN_IF_ERROR(RequireOutput(ctx, 0, &out));
    if (out->dtype != DType::kInt32 && out->dtype != DType::kInt64) {
      return ctx.Error("output must be int32 or int64, got " + DTypeName(out->dtype));
    }
    // 0 is the schema default (option table absent); any other value must
    // agree with the declared output dtype.
    int64_t out_type = ctx.attrs().GetInt("out_type", 0);
    if (out_type != 0 && out_type != static_cast<int64_t>(out->dtype)) {
      return ctx.Error("out_type " + std::to_string(out_type) + " disagrees with output dtype " +
                       DTypeName(out->dtype));
    }
    return Status::Ok();
  }

  Status Plan(KernelContext& ctx) override {
    return ctx.ResizeOutput(0, Shape{static_cast<int32_t>(ctx.input(0)->rank())});
  }

  Status Run(KernelContext& ctx) override {
    const Tensor* in = ctx.input(0);
    Tensor* out = ctx.output(0);
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, *out, "output"));
    for (int d = 0; d < in->rank(); ++d) {
      if (out->dtype == DType::kInt32) {
        out->data_as<int32_t>()[d] = in->shape[d];
      } else {
        out->data_as<int64_t>()[d] = in->shape[d];
      }
    }
    return Status::Ok();
  }
};

class FillKernel : public DataMovementKernel {
 protected:
  Status Validate(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
    RNNLITE_RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
    const Tensor* dims = nullptr;
    const Tensor* value = nullptr;
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, "dims", &dims));
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, "value", &value));
    if (dims->dtype != DType::kInt32 && dims->dtype != DType::kInt64) {
      return ctx.Error("dims must be int32 or int64, got " + DTypeName(dims->dtype));
    }
    return CheckPassThroughDType(ctx, *value, 0, &esize_);
  }
  bool ShapeDependsOnValueOf(int input) const override { return input == 0; }

  Status Plan(KernelContext& ctx) override {
    const Tensor* dims_t = ctx.input(0);
    const Tensor* value = ctx.input(1);
    if (dims_t->rank() != 1) return ctx.Error("dims must be 1-D, got " + ShapeToString(dims_t->shape));
    if (value->rank() != 0) return ctx.Error("value must be a scalar, got " + ShapeToString(value->shape));
    std::vector<int64_t> dims;
    RNNLITE_RETURN_IF_ERROR(ReadIndexValues(ctx, *dims_t, "dims", &dims));
    Shape out_shape;
    RNNLITE_RETURN_IF_ERROR(ToShape(ctx, dims, "dims", &out_shape));
    return ctx.ResizeOutput(0, out_shape);
  }

  Status Run(KernelContext& ctx) override {
    const Tensor* value = ctx.input(1);
    Tensor* out = ctx.output(0);
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, *value, "value"));
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, *out, "output"));
    size_t bytes = 0;
    const uint8_t* v = ValueBytes(*value, &bytes);
    const int64_t n = out->num_elements();
    for (int64_t i = 0; i < n; ++i) CopyElement(out->data + i * esize_, v, esize_);
    return Status::Ok();
  }

 private:
  size_t esize_ = 0;
};

class ZerosLikeKernel : public DataMovementKernel {
 protected:
  Status Validate(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckInputCount(ctx, 1, 1));
    RNNLITE_RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
    const Tensor* in = nullptr;
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, "input", &in));
    size_t esize = 0;
    return CheckPassThroughDType(ctx, *in, 0, &esize);
  }
  Status Plan(KernelContext& ctx) override { return ctx.ResizeOutput(0, ctx.input(0)->shape); }
  Status Run(KernelContext& ctx) override {
    Tensor* out = ctx.output(0);
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, *out, "output"));
    // All-zero bytes are zero for every fixed-size dtype (incl. float16, bool).
    size_t n = static_cast<size_t>(out->num_elements()) * DTypeSize(out->dtype);
    if (n > 0) std::memset(out->data, 0, n);
    return Status::Ok();
  }
};

}  // namespace

void RegisterReshapeKernels(OpRegistry& registry) {
  registry.Register(Op::kReshape, MakeFactory<ReshapeKernel>());
  registry.Register(Op::kSqueeze, MakeFactory<SqueezeKernel>());
  registry.Register(Op::kExpandDims, MakeFactory<ExpandDimsKernel>());
  registry.Register(Op::kShape, MakeFactory<ShapeKernel>());
  registry.Register(Op::kFill, MakeFactory<FillKernel>());
  registry.Register(Op::kZerosLike, MakeFactory<ZerosLikeKernel>());
}

}  // namespace shape_kernels

void RegisterShapeKernels(OpRegistry& registry) {
  shape_kernels::RegisterReshapeKernels(registry);
  shape_kernels::RegisterConcatSplitKernels(registry);
  shape_kernels::RegisterSliceKernels(registry);
  shape_kernels::RegisterIndexKernels(registry);
}

}  // namespace rnnlite
