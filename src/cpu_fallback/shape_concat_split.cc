// Joining and cutting along one axis: CONCATENATION, PACK (join along a new
// axis), SPLIT, SPLIT_V, UNPACK (cut and drop the axis). Along an axis, a
// row-major tensor is `outer` rows each made of contiguous per-part chunks,
// so all five reduce to copying chunks row by row.
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "cpu_fallback/kernel_util.h"
#include "cpu_fallback/shape_util.h"

namespace rnnlite::shape_kernels {
namespace {

// dst row o = part 0's chunk o, part 1's chunk o, ...
void ConcatRows(const std::vector<const uint8_t*>& parts, const std::vector<int64_t>& chunk_elems,
                int64_t outer, size_t esize, uint8_t* dst) {
  for (int64_t o = 0; o < outer; ++o) {
    for (size_t i = 0; i < parts.size(); ++i) {
      size_t n = static_cast<size_t>(chunk_elems[i]) * esize;
      if (n == 0) continue;
      std::memcpy(dst, parts[i] + o * n, n);
      dst += n;
    }
  }
}

// The inverse of ConcatRows.
void SplitRows(const uint8_t* src, const std::vector<uint8_t*>& parts, const std::vector<int64_t>& chunk_elems,
               int64_t outer, size_t esize) {
  for (int64_t o = 0; o < outer; ++o) {
    for (size_t i = 0; i < parts.size(); ++i) {
      size_t n = static_cast<size_t>(chunk_elems[i]) * esize;
      if (n == 0) continue;
      std::memcpy(parts[i] + o * n, src, n);
      src += n;
    }
  }
}

// Every output must carry `dtype`.
Status CheckAllOutputs(KernelContext& ctx, DType dtype) {
  for (int i = 0; i < ctx.num_outputs(); ++i) RNNLITE_RETURN_IF_ERROR(CheckOutputDType(ctx, i, dtype));
  return Status::Ok();
}

// Storage pointers of all outputs after checking each holds its shape.
Status OutputPointers(KernelContext& ctx, std::vector<uint8_t*>* ptrs) {
  ptrs->clear();
  for (int i = 0; i < ctx.num_outputs(); ++i) {
    Tensor* out = ctx.output(i);
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, *out, "output " + std::to_string(i)));
    ptrs->push_back(out->data);
  }
  return Status::Ok();
}

class ConcatenationKernel : public DataMovementKernel {
 protected:
  Status Validate(KernelContext& ctx) override {
    if (ctx.num_inputs() < 1) return ctx.Error("expects at least 1 input");
    RNNLITE_RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
    const Tensor* first = nullptr;
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, "input", &first));
    for (int i = 1; i < ctx.num_inputs(); ++i) {
      const Tensor* t = nullptr;
      RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, i, "input", &t));
      if (t->dtype != first->dtype) {
        return ctx.Error("input " + std::to_string(i) + " has dtype " + DTypeName(t->dtype) + ", input 0 has " +
                         DTypeName(first->dtype));
      }
    }
    RNNLITE_RETURN_IF_ERROR(CheckPassThroughDType(ctx, *first, 0, &esize_));
    RNNLITE_RETURN_IF_ERROR(GetFusedActivation(ctx, &activation_));
    // TFLite itself accepts no activation here; we allow one on float32,
    // where it has an obvious meaning.
    if (activation_ != FusedActivation::kNone && first->dtype != DType::kFloat32) {
      return ctx.UnsupportedError("fused activation on " + DTypeName(first->dtype) + " inputs");
    }
    return Status::Ok();
  }

  Status Plan(KernelContext& ctx) override {
    const Tensor* first = ctx.input(0);
    const int rank = first->rank();
    if (rank == 0) return ctx.Error("cannot concatenate scalars");
    RNNLITE_RETURN_IF_ERROR(NormalizeAxis(ctx, ctx.attrs().GetInt("axis", 0), rank, "axis", &axis_));
    int64_t total = 0;
    for (int i = 0; i < ctx.num_inputs(); ++i) {
      const Tensor* t = ctx.input(i);
      bool compatible = t->rank() == rank;
      for (int d = 0; compatible && d < rank; ++d) compatible = d == axis_ || t->shape[d] == first->shape[d];
      if (!compatible) {
        return ctx.Error("input " + std::to_string(i) + " " + ShapeToString(t->shape) + " does not match input 0 " +
                         ShapeToString(first->shape) + " outside axis " + std::to_string(axis_));
      }
      total += t->shape[axis_];
    }
    Shape out_shape = first->shape;
    if (total > std::numeric_limits<int32_t>::max()) return ctx.Error("concatenated dimension is too large");
    out_shape[axis_] = static_cast<int32_t>(total);
    return ctx.ResizeOutput(0, out_shape);
  }

  Status Run(KernelContext& ctx) override {
    Tensor* out = ctx.output(0);
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, *out, "output"));
    std::vector<const uint8_t*> parts;
    std::vector<int64_t> chunks;
    const int64_t inner = DimProduct(out->shape, axis_ + 1, out->rank());
    for (int i = 0; i < ctx.num_inputs(); ++i) {
      const Tensor* t = ctx.input(i);
      RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, *t, "input " + std::to_string(i)));
      size_t bytes = 0;
      parts.push_back(ValueBytes(*t, &bytes));
      chunks.push_back(t->shape[axis_] * inner);
    }
    ConcatRows(parts, chunks, DimProduct(out->shape, 0, axis_), esize_, out->data);
    if (activation_ != FusedActivation::kNone) {
      float* y = out->data_as<float>();
      for (int64_t i = 0; i < out->num_elements(); ++i) y[i] = ApplyFusedActivation(y[i], activation_);
    }
    return Status::Ok();
  }

 private:
  size_t esize_ = 0;
  FusedActivation activation_ = FusedActivation::kNone;
  int axis_ = 0;
};

class PackKernel : public DataMovementKernel {
 protected:
  Status Validate(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
    int64_t count = ctx.attrs().GetInt("values_count", ctx.num_inputs());
    if (count < 1 || count != ctx.num_inputs()) {
      return ctx.Error("values_count " + std::to_string(count) + " does not match " +
                       std::to_string(ctx.num_inputs()) + " inputs");
    }
    const Tensor* first = nullptr;
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, "input", &first));
    for (int i = 1; i < ctx.num_inputs(); ++i) {
      const Tensor* t = nullptr;
      RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, i, "input", &t));
      if (t->dtype != first->dtype) return ctx.Error("input " + std::to_string(i) + " dtype differs from input 0");
    }
    return CheckPassThroughDType(ctx, *first, 0, &esize_);
  }

  Status Plan(KernelContext& ctx) override {
    const Tensor* first = ctx.input(0);
    for (int i = 1; i < ctx.num_inputs(); ++i) {
      if (ctx.input(i)->shape != first->shape) {
        return ctx.Error("input " + std::to_string(i) + " " + ShapeToString(ctx.input(i)->shape) +
                         " differs from input 0 " + ShapeToString(first->shape));
      }
    }
    RNNLITE_RETURN_IF_ERROR(NormalizeAxis(ctx, ctx.attrs().GetInt("axis", 0), first->rank() + 1, "axis", &axis_));
    Shape out_shape = first->shape;
    out_shape.insert(out_shape.begin() + axis_, static_cast<int32_t>(ctx.num_inputs()));
    return ctx.ResizeOutput(0, out_shape);
  }

  Status Run(KernelContext& ctx) override {
    Tensor* out = ctx.output(0);
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, *out, "output"));
    const Tensor* first = ctx.input(0);
    // Each input is one chunk of every row: its dims from `axis` on.
    const int64_t chunk = DimProduct(first->shape, axis_, first->rank());
    std::vector<const uint8_t*> parts;
    for (int i = 0; i < ctx.num_inputs(); ++i) {
      RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, *ctx.input(i), "input " + std::to_string(i)));
      size_t bytes = 0;
      parts.push_back(ValueBytes(*ctx.input(i), &bytes));
    }
    ConcatRows(parts, std::vector<int64_t>(parts.size(), chunk), DimProduct(first->shape, 0, axis_), esize_,
               out->data);
    return Status::Ok();
  }

 private:
  size_t esize_ = 0;
  int axis_ = 0;
};

// Base of SPLIT / SPLIT_V / UNPACK: Plan fills axis_ and sizes_ (one entry
// per output); Run cuts input `data_input_` accordingly.
class SplitBase : public DataMovementKernel {
 protected:
  explicit SplitBase(int data_input) : data_input_(data_input) {}

  Status CheckNumOutputs(KernelContext& ctx, const char* attr) {
    int64_t n = ctx.attrs().GetInt(attr, ctx.num_outputs());
    if (n < 1 || n != ctx.num_outputs()) {
      return ctx.Error(std::string(attr) + " " + std::to_string(n) + " does not match " +
                       std::to_string(ctx.num_outputs()) + " outputs");
    }
    const Tensor* data = nullptr;
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, data_input_, "input", &data));
    RNNLITE_RETURN_IF_ERROR(ElementSize(ctx, data->dtype, &esize_));
    return CheckAllOutputs(ctx, data->dtype);
  }

  // Resizes every output: input shape with axis_ set to sizes_[i] (or removed).
  Status ResizeParts(KernelContext& ctx, bool drop_axis) {
    const Tensor* data = ctx.input(data_input_);
    for (int i = 0; i < ctx.num_outputs(); ++i) {
      Shape s = data->shape;
      if (drop_axis) {
        s.erase(s.begin() + axis_);
      } else {
        s[axis_] = static_cast<int32_t>(sizes_[i]);
      }
      RNNLITE_RETURN_IF_ERROR(ctx.ResizeOutput(i, s));
    }
    return Status::Ok();
  }

  Status Run(KernelContext& ctx) override {
    const Tensor* data = ctx.input(data_input_);
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, *data, "input"));
    std::vector<uint8_t*> parts;
    RNNLITE_RETURN_IF_ERROR(OutputPointers(ctx, &parts));
    const int64_t inner = DimProduct(data->shape, axis_ + 1, data->rank());
    std::vector<int64_t> chunks;
    for (int64_t s : sizes_) chunks.push_back(s * inner);
    size_t bytes = 0;
    SplitRows(ValueBytes(*data, &bytes), parts, chunks, DimProduct(data->shape, 0, axis_), esize_);
    return Status::Ok();
  }

  const int data_input_;
  size_t esize_ = 0;
  int axis_ = 0;
  std::vector<int64_t> sizes_;
};

// Inputs: axis (scalar), value. Equal parts.
class SplitKernel : public SplitBase {
 public:
  SplitKernel() : SplitBase(1) {}

 protected:
  Status Validate(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
    const Tensor* axis = nullptr;
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, "axis", &axis));
    return CheckNumOutputs(ctx, "num_splits");
  }
  bool ShapeDependsOnValueOf(int input) const override { return input == 0; }

  Status Plan(KernelContext& ctx) override {
    const Tensor* data = ctx.input(1);
    int64_t axis = 0;
    RNNLITE_RETURN_IF_ERROR(ReadScalarIndex(ctx, *ctx.input(0), "axis", &axis));
    RNNLITE_RETURN_IF_ERROR(NormalizeAxis(ctx, axis, data->rank(), "axis", &axis_));
    const int64_t n = ctx.num_outputs();
    if (data->shape[axis_] % n != 0) {
      return ctx.Error("dimension " + std::to_string(axis_) + " of size " + std::to_string(data->shape[axis_]) +
                       " does not split into " + std::to_string(n) + " equal parts");
    }
    sizes_.assign(n, data->shape[axis_] / n);
    return ResizeParts(ctx, false);
  }
};

// Inputs: value, size_splits (1-D, one entry may be -1), axis (scalar).
class SplitVKernel : public SplitBase {
 public:
  SplitVKernel() : SplitBase(0) {}

 protected:
  Status Validate(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckInputCount(ctx, 3, 3));
    const Tensor* t = nullptr;
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, "size_splits", &t));
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 2, "axis", &t));
    return CheckNumOutputs(ctx, "num_splits");
  }
  bool ShapeDependsOnValueOf(int input) const override { return input == 1 || input == 2; }

  Status Plan(KernelContext& ctx) override {
    const Tensor* data = ctx.input(0);
    const Tensor* splits = ctx.input(1);
    int64_t axis = 0;
    RNNLITE_RETURN_IF_ERROR(ReadScalarIndex(ctx, *ctx.input(2), "axis", &axis));
    RNNLITE_RETURN_IF_ERROR(NormalizeAxis(ctx, axis, data->rank(), "axis", &axis_));
    if (splits->rank() != 1) return ctx.Error("size_splits must be 1-D, got " + ShapeToString(splits->shape));
    RNNLITE_RETURN_IF_ERROR(ReadIndexValues(ctx, *splits, "size_splits", &sizes_));
    if (static_cast<int>(sizes_.size()) != ctx.num_outputs()) {
      return ctx.Error("size_splits has " + std::to_string(sizes_.size()) + " entries for " +
                       std::to_string(ctx.num_outputs()) + " outputs");
    }
    const int64_t dim = data->shape[axis_];
    int inferred = -1;
    int64_t sum = 0;
    for (size_t i = 0; i < sizes_.size(); ++i) {
      if (sizes_[i] == -1) {
        if (inferred >= 0) return ctx.Error("size_splits has more than one -1");
        inferred = static_cast<int>(i);
      } else if (sizes_[i] < 0 || sizes_[i] > dim) {
        return ctx.Error("size_splits entry " + std::to_string(sizes_[i]) + " is invalid for dimension of size " +
                         std::to_string(dim));
      } else {
        sum += sizes_[i];
      }
    }
    if (inferred >= 0 && sum <= dim) {
      sizes_[inferred] = dim - sum;
      sum = dim;
    }
    if (sum != dim) {
      return ctx.Error("size_splits add up to " + std::to_string(sum) + ", dimension " + std::to_string(axis_) +
                       " has size " + std::to_string(dim));
    }
    return ResizeParts(ctx, false);
  }
};

class UnpackKernel : public SplitBase {
 public:
  UnpackKernel() : SplitBase(0) {}

 protected:
  Status Validate(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckInputCount(ctx, 1, 1));
    return CheckNumOutputs(ctx, "num");
  }

  Status Plan(KernelContext& ctx) override {
    const Tensor* data = ctx.input(0);
    RNNLITE_RETURN_IF_ERROR(NormalizeAxis(ctx, ctx.attrs().GetInt("axis", 0), data->rank(), "axis", &axis_));
    if (data->shape[axis_] != ctx.num_outputs()) {
      return ctx.Error("dimension " + std::to_string(axis_) + " of " + ShapeToString(data->shape) +
                       " does not match num " + std::to_string(ctx.num_outputs()));
    }
    sizes_.assign(ctx.num_outputs(), 1);
    return ResizeParts(ctx, true);
  }
};

}  // namespace

void RegisterConcatSplitKernels(OpRegistry& registry) {
  registry.Register(Op::kConcatenation, MakeFactory<ConcatenationKernel>());
  registry.Register(Op::kPack, MakeFactory<PackKernel>());
  registry.Register(Op::kSplit, MakeFactory<SplitKernel>());
  registry.Register(Op::kSplitV, MakeFactory<SplitVKernel>());
  registry.Register(Op::kUnpack, MakeFactory<UnpackKernel>());
}

}  // namespace rnnlite::shape_kernels
