// Helpers shared by the compute kernels (compute_*.cc): arity and dtype
// checks, axis tensors, and the Eval-time guard that keeps every kernel
// inside the bytes its tensors really own.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/kernel.h"
#include "rnnlite/tensor.h"
#include "rnnlite/types.h"

namespace rnnlite::compute {

inline Status CheckArity(const KernelContext& ctx, int min_inputs, int max_inputs, int outputs) {
  if (ctx.num_inputs() < min_inputs || ctx.num_inputs() > max_inputs) {
    std::string want = min_inputs == max_inputs
                           ? std::to_string(min_inputs)
                           : std::to_string(min_inputs) + " to " + std::to_string(max_inputs);
    return ctx.Error("expects " + want + " inputs, got " + std::to_string(ctx.num_inputs()));
  }
  if (ctx.num_outputs() != outputs) {
    return ctx.Error("expects " + std::to_string(outputs) + " output(s), got " +
                     std::to_string(ctx.num_outputs()));
  }
  return Status::Ok();
}

// Input `i` must be present; `what` names it in the error ("filter").
inline Status RequireInput(const KernelContext& ctx, int i, const char* what, const Tensor** out) {
  *out = ctx.input(i);
  if (*out == nullptr) return ctx.Error(std::string("missing required input ") + what);
  return Status::Ok();
}

inline Status RequireOutput(KernelContext& ctx, int i, Tensor** out) {
  *out = ctx.output(i);
  if (*out == nullptr) return ctx.Error("missing output " + std::to_string(i));
  return Status::Ok();
}

inline Status ExpectDType(const KernelContext& ctx, const Tensor& t, DType want, const char* what) {
  if (t.dtype != want) {
    return ctx.Error(std::string(what) + " must be " + DTypeName(want) + ", got " + DTypeName(t.dtype));
  }
  return Status::Ok();
}

inline Status ExpectRank(const KernelContext& ctx, const Tensor& t, int rank, const char* what) {
  if (t.rank() != rank) {
    return ctx.Error(std::string(what) + " must have rank " + std::to_string(rank) + ", got shape " +
                     ShapeToString(t.shape));
  }
  return Status::Ok();
}

inline bool IsQuantizedType(DType t) {
  return t == DType::kInt8 || t == DType::kUInt8 || t == DType::kInt16 || t == DType::kInt4;
}

// Float-only operand check for matmul/conv kernels: quantized or hybrid
// variants (int8 weights with float activations) are a separate family of
// kernels we do not have, so they are Unsupported rather than invalid.
inline Status CheckFloatOperand(const KernelContext& ctx, const Tensor& t, const char* what) {
  if (t.dtype == DType::kFloat32) return Status::Ok();
  if (IsQuantizedType(t.dtype)) {
    return ctx.UnsupportedError(std::string(what) + " is quantized (" + DTypeName(t.dtype) +
                                "); quantized and hybrid kernels are not supported, only float32");
  }
  if (t.dtype == DType::kFloat16) {
    return ctx.UnsupportedError(std::string("float16 ") + what +
                                " is not supported; a DEQUANTIZE op must convert it to float32 first");
  }
  return ctx.Error(std::string(what) + " must be float32, got " + DTypeName(t.dtype));
}

// True when the tensor's storage holds at least as many bytes as its shape
// and dtype need. Kernels check this in Eval so that a mis-sized buffer is an
// error rather than an out-of-bounds access.
inline bool HoldsShape(const Tensor& t) {
  int64_t n = t.num_elements();
  size_t elem = DTypeSize(t.dtype);
  if (n < 0 || elem == 0) return false;
  if (n == 0) return true;
  if (t.data == nullptr) return false;
  return static_cast<uint64_t>(n) <= t.bytes / elem;
}

inline Status CheckHoldsShape(const KernelContext& ctx, const Tensor& t, const char* what) {
  if (!HoldsShape(t)) {
    return ctx.Error(std::string(what) + " storage (" + std::to_string(t.bytes) + " bytes) does not hold shape " +
                     ShapeToString(t.shape) + " of " + DTypeName(t.dtype));
  }
  return Status::Ok();
}

// Used in Eval before writing output `i`: dynamic outputs are sized now;
// planned outputs must already have the shape Prepare gave them (inputs
// may have changed shape since only if the interpreter re-ran Prepare).
inline Status FinalizeOutput(KernelContext& ctx, int i, const Shape& shape, bool dynamic) {
  Tensor* out = ctx.output(i);
  if (out == nullptr) return ctx.Error("missing output " + std::to_string(i));
  if (dynamic || out->shape != shape) {
    if (!dynamic) {
      return ctx.Error("output " + std::to_string(i) + " has shape " + ShapeToString(out->shape) +
                       " but the inputs give " + ShapeToString(shape) + " (stale Prepare?)");
    }
    RNNLITE_RETURN_IF_ERROR(ctx.ResizeOutput(i, shape));
    out = ctx.output(i);
  }
  return CheckHoldsShape(ctx, *out, "output");
}

// Shape dims are int32; larger computed dims are rejected, not truncated.
inline Status ToDim(const KernelContext& ctx, int64_t v, const char* what, int32_t* out) {
  if (v < 0 || v > INT32_MAX) {
    return ctx.Error(std::string(what) + " " + std::to_string(v) + " is out of range");
  }
  *out = static_cast<int32_t>(v);
  return Status::Ok();
}

// Values of an int32/int64 tensor (axis lists); `what` names it in errors.
// The caller has checked that the data is readable (constant or in Eval).
inline Status ReadIndexValues(const KernelContext& ctx, const Tensor& t, const char* what,
                              std::vector<int64_t>* out) {
  if (t.dtype != DType::kInt32 && t.dtype != DType::kInt64) {
    return ctx.Error(std::string(what) + " must be int32 or int64, got " + DTypeName(t.dtype));
  }
  if (t.rank() > 1) {
    return ctx.Error(std::string(what) + " must be a scalar or 1-D, got shape " + ShapeToString(t.shape));
  }
  // Constants are readable in Prepare even before runtime storage is bound.
  const uint8_t* src = t.data != nullptr ? t.data : t.constant_data;
  size_t avail = t.data != nullptr ? t.bytes : t.constant_bytes;
  const size_t elem = DTypeSize(t.dtype);
  const int64_t n = t.num_elements();
  if (n < 0 || (n > 0 && (src == nullptr || static_cast<uint64_t>(n) > avail / elem))) {
    return ctx.Error(std::string(what) + " data is not available for shape " + ShapeToString(t.shape));
  }
  out->clear();
  out->reserve(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) {
    if (t.dtype == DType::kInt32) {
      int32_t v;
      std::memcpy(&v, src + k * 4, 4);
      out->push_back(v);
    } else {
      int64_t v;
      std::memcpy(&v, src + k * 8, 8);
      out->push_back(v);
    }
  }
  return Status::Ok();
}

// Python-style axis in [-rank, rank) to [0, rank).
inline Status NormalizeAxis(const KernelContext& ctx, int64_t axis, int rank, int* out) {
  if (axis < -rank || axis >= rank) {
    return ctx.Error("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  }
  *out = static_cast<int>(axis < 0 ? axis + rank : axis);
  return Status::Ok();
}

// Row-major strides of a shape (in elements).
inline std::vector<int64_t> Strides(const Shape& shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (int i = static_cast<int>(shape.size()) - 2; i >= 0; --i) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

}  // namespace rnnlite::compute
