#include "cpu_fallback/shape_util.h"

#include <cstring>
#include <limits>

namespace rnnlite::shape_kernels {

Status DataMovementKernel::Prepare(KernelContext& ctx) {
  in_eval_ = false;
  RNNLITE_RETURN_IF_ERROR(Validate(ctx));
  deferred_ = false;
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    const Tensor* t = ctx.input(i);
    if (t == nullptr) continue;
    if (HasRuntimeShape(t) || (ShapeDependsOnValueOf(i) && !t->is_constant())) deferred_ = true;
  }
  if (deferred_) {
    for (int i = 0; i < ctx.num_outputs(); ++i) ctx.MarkOutputDynamic(i);
    return Status::Ok();
  }
  return Plan(ctx);
}

Status DataMovementKernel::Eval(KernelContext& ctx) {
  in_eval_ = true;
  if (deferred_) RNNLITE_RETURN_IF_ERROR(Plan(ctx));
  return Run(ctx);
}

bool HasRuntimeShape(const Tensor* t) { return t != nullptr && t->storage == Storage::kDynamic; }

Status CheckInputCount(const KernelContext& ctx, int min_inputs, int max_inputs) {
  int n = ctx.num_inputs();
  if (n < min_inputs || n > max_inputs) {
    std::string want = min_inputs == max_inputs
                           ? std::to_string(min_inputs)
                           : std::to_string(min_inputs) + " to " + std::to_string(max_inputs);
    return ctx.Error("expects " + want + " inputs, got " + std::to_string(n));
  }
  return Status::Ok();
}

Status CheckOutputCount(const KernelContext& ctx, int outputs) {
  if (ctx.num_outputs() != outputs) {
    return ctx.Error("expects " + std::to_string(outputs) + " outputs, got " +
                     std::to_string(ctx.num_outputs()));
  }
  return Status::Ok();
}

Status RequireInput(const KernelContext& ctx, int i, const char* what, const Tensor** out) {
  *out = ctx.input(i);
  if (*out == nullptr) return ctx.Error(std::string(what) + " (input " + std::to_string(i) + ") is absent");
  return Status::Ok();
}

Status RequireOutput(KernelContext& ctx, int i, Tensor** out) {
  *out = ctx.output(i);
  if (*out == nullptr) return ctx.Error("output " + std::to_string(i) + " is absent");
  return Status::Ok();
}

Status ElementSize(const KernelContext& ctx, DType dtype, size_t* size) {
  *size = DTypeSize(dtype);
  if (*size == 0) return ctx.UnsupportedError("dtype " + DTypeName(dtype) + " is not supported");
  return Status::Ok();
}

Status CheckOutputDType(KernelContext& ctx, int i, DType dtype) {
  Tensor* out = nullptr;
  RNNLITE_RETURN_IF_ERROR(RequireOutput(ctx, i, &out));
  if (out->dtype != dtype) {
    return ctx.Error("output " + std::to_string(i) + " has dtype " + DTypeName(out->dtype) + ", expected " +
                     DTypeName(dtype));
  }
  return Status::Ok();
}

Status CheckPassThroughDType(KernelContext& ctx, const Tensor& data, int i, size_t* esize) {
  RNNLITE_RETURN_IF_ERROR(ElementSize(ctx, data.dtype, esize));
  return CheckOutputDType(ctx, i, data.dtype);
}

const uint8_t* ValueBytes(const Tensor& t, size_t* bytes) {
  if (t.is_constant()) {
    *bytes = t.constant_bytes;
    return t.constant_data;
  }
  *bytes = t.bytes;
  return t.data;
}

Status CheckStorage(const KernelContext& ctx, const Tensor& t, const std::string& what) {
  int64_t n = t.num_elements();
  size_t esize = DTypeSize(t.dtype);
  if (n < 0 || esize == 0) return ctx.Error(what + " has an invalid shape or dtype");
  size_t bytes = 0;
  const uint8_t* p = ValueBytes(t, &bytes);
  if (n > 0 && (p == nullptr || bytes / esize < static_cast<uint64_t>(n))) {
    return ctx.Error(what + " " + ShapeToString(t.shape) + " has " + std::to_string(bytes) +
                     " bytes of storage, too few for its shape");
  }
  return Status::Ok();
}

Status ReadIndexValues(const KernelContext& ctx, const Tensor& t, const std::string& what,
                       std::vector<int64_t>* out) {
  if (t.dtype != DType::kInt32 && t.dtype != DType::kInt64) {
    return ctx.Error(what + " must be int32 or int64, got " + DTypeName(t.dtype));
  }
  RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, t, what));
  size_t bytes = 0;
  const uint8_t* p = ValueBytes(t, &bytes);
  size_t n = static_cast<size_t>(t.num_elements());
  out->assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    if (t.dtype == DType::kInt32) {
      int32_t v;
      std::memcpy(&v, p + i * sizeof(v), sizeof(v));
      (*out)[i] = v;
    } else {
      int64_t v;
      std::memcpy(&v, p + i * sizeof(v), sizeof(v));
      (*out)[i] = v;
    }
  }
  return Status::Ok();
}

Status ReadScalarIndex(const KernelContext& ctx, const Tensor& t, const std::string& what, int64_t* out) {
  std::vector<int64_t> values;
  RNNLITE_RETURN_IF_ERROR(ReadIndexValues(ctx, t, what, &values));
  if (values.size() != 1) {
    return ctx.Error(what + " must hold exactly one value, has shape " + ShapeToString(t.shape));
  }
  *out = values[0];
  return Status::Ok();
}

Status NormalizeAxis(const KernelContext& ctx, int64_t axis, int rank, const std::string& what, int* out) {
  if (axis < -static_cast<int64_t>(rank) || axis >= rank) {
    return ctx.Error(what + " " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  }
  *out = static_cast<int>(axis < 0 ? axis + rank : axis);
  return Status::Ok();
}

Status ToShape(const KernelContext& ctx, const std::vector<int64_t>& dims, const std::string& what,
               Shape* out) {
  out->clear();
  for (int64_t d : dims) {
    if (d < 0 || d > std::numeric_limits<int32_t>::max()) {
      return ctx.Error(what + ": dimension " + std::to_string(d) + " is negative or too large");
    }
    out->push_back(static_cast<int32_t>(d));
  }
  if (NumElements(*out) < 0) return ctx.Error(what + ": shape " + ShapeToString(*out) + " is too large");
  return Status::Ok();
}

std::vector<int64_t> RowMajorStrides(const Shape& shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (int d = static_cast<int>(shape.size()) - 2; d >= 0; --d) strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

int64_t DimProduct(const Shape& shape, int begin, int end) {
  int64_t p = 1;
  for (int d = begin; d < end; ++d) p *= shape[d];
  return p;
}

int64_t SaturatingMul(int64_t a, int64_t b) {
  if (b != 0 && a > std::numeric_limits<int64_t>::max() / b) return std::numeric_limits<int64_t>::max();
  return a * b;
}

void CopyElement(uint8_t* dst, const uint8_t* src, size_t esize) {
  // Constant-size memcpy compiles to a single load/store.
  switch (esize) {
    case 1: *dst = *src; break;
    case 2: std::memcpy(dst, src, 2); break;
    case 4: std::memcpy(dst, src, 4); break;
    case 8: std::memcpy(dst, src, 8); break;
    default: std::memcpy(dst, src, esize); break;
  }
}

void StridedCopy(const uint8_t* src, uint8_t* dst, size_t esize, const Shape& counts, int64_t base,
                 const std::vector<int64_t>& steps, bool scatter) {
  const int64_t n = NumElements(counts);
  if (n <= 0) return;
  const int rank = static_cast<int>(counts.size());
  std::vector<int32_t> idx(rank, 0);
  int64_t offset = base;
  for (int64_t k = 0; k < n; ++k) {
    if (scatter) {
      CopyElement(dst + offset * esize, src + k * esize, esize);
    } else {
      CopyElement(dst + k * esize, src + offset * esize, esize);
    }
    // Odometer step: bump the last index, carrying into earlier ones.
    for (int d = rank - 1; d >= 0; --d) {
      if (++idx[d] < counts[d]) {
        offset += steps[d];
        break;
      }
      offset -= steps[d] * (counts[d] - 1);
      idx[d] = 0;
    }
  }
}

Status CheckIndexDType(const KernelContext& ctx, int i, const char* what) {
  const Tensor* t = nullptr;
  RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, i, what, &t));
  if (t->dtype != DType::kInt32 && t->dtype != DType::kInt64) {
    return ctx.Error(std::string(what) + " must be int32 or int64, got " + DTypeName(t->dtype));
  }
  return Status::Ok();
}

}  // namespace rnnlite::shape_kernels
