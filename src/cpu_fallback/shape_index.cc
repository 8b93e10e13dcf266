// Ops that reorder elements by index: TRANSPOSE (permute dims), REVERSE_V2
// (flip dims) and GATHER (pick slices by runtime indices).
#include <cstring>
#include <string>
#include <vector>

#include "cpu_fallback/shape_util.h"

namespace rnnlite::shape_kernels {
namespace {

class TransposeKernel : public DataMovementKernel {
 protected:
  Status Validate(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
    RNNLITE_RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
    const Tensor* in = nullptr;
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, "input", &in));
    RNNLITE_RETURN_IF_ERROR(CheckIndexDType(ctx, 1, "perm"));
    return CheckPassThroughDType(ctx, *in, 0, &esize_);
  }
  bool ShapeDependsOnValueOf(int input) const override { return input == 1; }

  Status Plan(KernelContext& ctx) override {
    const Tensor* in = ctx.input(0);
    const Tensor* perm_t = ctx.input(1);
    const int rank = in->rank();
    if (perm_t->rank() != 1 || perm_t->shape[0] != rank) {
      return ctx.Error("perm must have shape [" + std::to_string(rank) + "], got " + ShapeToString(perm_t->shape));
    }
    std::vector<int64_t> perm;
    RNNLITE_RETURN_IF_ERROR(ReadIndexValues(ctx, *perm_t, "perm", &perm));
    const std::vector<int64_t> in_strides = RowMajorStrides(in->shape);
    std::vector<bool> seen(rank, false);
    out_shape_.assign(rank, 0);
    steps_.assign(rank, 0);
    for (int i = 0; i < rank; ++i) {
      // Like TFLite, negative entries are not wrapped.
      if (perm[i] < 0 || perm[i] >= rank || seen[perm[i]]) {
        return ctx.Error("perm entry " + std::to_string(perm[i]) + " at position " + std::to_string(i) +
                         " is out of range or repeated: perm must be a permutation of 0.." +
                         std::to_string(rank - 1));
      }
      seen[perm[i]] = true;
      out_shape_[i] = in->shape[perm[i]];
      steps_[i] = in_strides[perm[i]];
    }
    return ctx.ResizeOutput(0, out_shape_);
  }

  Status Run(KernelContext& ctx) override {
    const Tensor* in = ctx.input(0);
    Tensor* out = ctx.output(0);
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, *in, "input"));
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, *out, "output"));
    size_t bytes = 0;
    StridedCopy(ValueBytes(*in, &bytes), out->data, esize_, out_shape_, 0, steps_);
    return Status::Ok();
  }

 private:
  size_t esize_ = 0;
  Shape out_shape_;
  std::vector<int64_t> steps_;
};

class ReverseKernel : public DataMovementKernel {
 protected:
  Status Validate(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
    RNNLITE_RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
    const Tensor* in = nullptr;
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, "input", &in));
    RNNLITE_RETURN_IF_ERROR(CheckIndexDType(ctx, 1, "axis"));
    return CheckPassThroughDType(ctx, *in, 0, &esize_);
  }

  Status Plan(KernelContext& ctx) override {
    // The axes never change the shape; check them now when they are known.
    if (ctx.InputIsConstant(1) || in_eval()) RNNLITE_RETURN_IF_ERROR(PlanWalk(ctx));
    return ctx.ResizeOutput(0, ctx.input(0)->shape);
  }

  Status Run(KernelContext& ctx) override {
    if (!ctx.InputIsConstant(1)) RNNLITE_RETURN_IF_ERROR(PlanWalk(ctx));
    const Tensor* in = ctx.input(0);
    Tensor* out = ctx.output(0);
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, *in, "input"));
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, *out, "output"));
    size_t bytes = 0;
    StridedCopy(ValueBytes(*in, &bytes), out->data, esize_, in->shape, base_, steps_);
    return Status::Ok();
  }

 private:
  // A reversed dim starts at its last element and steps backwards.
  Status PlanWalk(const KernelContext& ctx) {
    const Tensor* in = ctx.input(0);
    const Tensor* axis_t = ctx.input(1);
    const int rank = in->rank();
    if (axis_t->rank() != 1) return ctx.Error("axis must be 1-D, got " + ShapeToString(axis_t->shape));
    std::vector<int64_t> axes;
    RNNLITE_RETURN_IF_ERROR(ReadIndexValues(ctx, *axis_t, "axis", &axes));
    steps_ = RowMajorStrides(in->shape);
    base_ = 0;
    std::vector<bool> flip(rank, false);
    for (int64_t a : axes) {
      int d = 0;
      RNNLITE_RETURN_IF_ERROR(NormalizeAxis(ctx, a, rank, "axis", &d));
      if (flip[d]) return ctx.Error("axis " + std::to_string(a) + " is listed more than once");
      flip[d] = true;
    }
    for (int d = 0; d < rank; ++d) {
      if (!flip[d] || in->shape[d] == 0) continue;
      base_ += (in->shape[d] - 1) * steps_[d];
      steps_[d] = -steps_[d];
    }
    return Status::Ok();
  }

  size_t esize_ = 0;
  int64_t base_ = 0;
  std::vector<int64_t> steps_;
};

// output = params[:axis] + indices[batch_dims:] + params[axis+1:] (shapes).
class GatherKernel : public DataMovementKernel {
 protected:
  Status Validate(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
    RNNLITE_RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
    const Tensor* params = nullptr;
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, "params", &params));
    RNNLITE_RETURN_IF_ERROR(CheckIndexDType(ctx, 1, "indices"));
    return CheckPassThroughDType(ctx, *params, 0, &esize_);
  }

  Status Plan(KernelContext& ctx) override {
    const Tensor* params = ctx.input(0);
    const Tensor* indices = ctx.input(1);
    const int p_rank = params->rank(), i_rank = indices->rank();
    if (p_rank == 0) return ctx.Error("params must have rank >= 1");
    RNNLITE_RETURN_IF_ERROR(NormalizeAxis(ctx, ctx.attrs().GetInt("axis", 0), p_rank, "axis", &axis_));
    int64_t batch_dims = ctx.attrs().GetInt("batch_dims", 0);
    if (batch_dims < 0) batch_dims += i_rank;
    if (batch_dims < 0 || batch_dims > i_rank || batch_dims > axis_) {
      return ctx.Error("batch_dims " + std::to_string(ctx.attrs().GetInt("batch_dims", 0)) +
                       " must lie in [0, min(indices rank " + std::to_string(i_rank) + ", axis " +
                       std::to_string(axis_) + ")]");
    }
    batch_dims_ = static_cast<int>(batch_dims);
    for (int d = 0; d < batch_dims_; ++d) {
      if (params->shape[d] != indices->shape[d]) {
        return ctx.Error("batch dimension " + std::to_string(d) + " differs: params " +
                         ShapeToString(params->shape) + ", indices " + ShapeToString(indices->shape));
      }
    }
    Shape out_shape(params->shape.begin(), params->shape.begin() + axis_);
    out_shape.insert(out_shape.end(), indices->shape.begin() + batch_dims_, indices->shape.end());
    out_shape.insert(out_shape.end(), params->shape.begin() + axis_ + 1, params->shape.end());
    if (NumElements(out_shape) < 0) return ctx.Error("output shape " + ShapeToString(out_shape) + " is too large");
    return ctx.ResizeOutput(0, out_shape);
  }

  Status Run(KernelContext& ctx) override {
    const Tensor* params = ctx.input(0);
    const Tensor* indices_t = ctx.input(1);
    Tensor* out = ctx.output(0);
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, *params, "params"));
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, *out, "output"));
    std::vector<int64_t> indices;
    RNNLITE_RETURN_IF_ERROR(ReadIndexValues(ctx, *indices_t, "indices", &indices));
    const int64_t axis_size = params->shape[axis_];
    // Checked before any copy, so a bad index leaves no partial output.
    for (size_t k = 0; k < indices.size(); ++k) {
      if (indices[k] < 0 || indices[k] >= axis_size) {
        return ctx.Error("index " + std::to_string(indices[k]) + " at position " + std::to_string(k) +
                         " is out of range [0, " + std::to_string(axis_size) + ") for axis " +
                         std::to_string(axis_));
      }
    }
    const int64_t batch = DimProduct(params->shape, 0, batch_dims_);
    const int64_t outer = DimProduct(params->shape, batch_dims_, axis_);
    const int64_t inner = DimProduct(params->shape, axis_ + 1, params->rank());
    const int64_t coords = DimProduct(indices_t->shape, batch_dims_, indices_t->rank());
    const size_t chunk = static_cast<size_t>(inner) * esize_;
    size_t bytes = 0;
    const uint8_t* src = ValueBytes(*params, &bytes);
    for (int64_t b = 0; b < batch; ++b) {
      for (int64_t o = 0; o < outer; ++o) {
        const int64_t row = b * outer + o;
        for (int64_t c = 0; c < coords; ++c) {
          const int64_t idx = indices[b * coords + c];
          if (chunk == 0) continue;
          std::memcpy(out->data + ((row * coords + c) * inner) * esize_,
                      src + ((row * axis_size + idx) * inner) * esize_, chunk);
        }
      }
    }
    return Status::Ok();
  }

 private:
  size_t esize_ = 0;
  int axis_ = 0;
  int batch_dims_ = 0;
};

}  // namespace

void RegisterIndexKernels(OpRegistry& registry) {
  registry.Register(Op::kTranspose, MakeFactory<TransposeKernel>());
  registry.Register(Op::kReverseV2, MakeFactory<ReverseKernel>());
  registry.Register(Op::kGather, MakeFactory<GatherKernel>());
}

}  // namespace rnnlite::shape_kernels
