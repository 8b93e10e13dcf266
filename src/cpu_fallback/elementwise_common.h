// Checks shared by the element-wise kernels (elementwise_*.cc). Private to
// those files; generic kernels use cpu_fallback/kernel_util.h.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>

#include "core/kernel.h"
#include "core/op_registry.h"
#include "rnnlite/graph.h"
#include "rnnlite/tensor.h"

namespace rnnlite::elementwise {

// Validates the node's arity and that every input/output tensor is present.
inline Status CheckArity(KernelContext& ctx, int num_inputs, int num_outputs) {
  if (ctx.num_inputs() != num_inputs) {
    return ctx.Error("expects " + std::to_string(num_inputs) + " input(s), got " +
                     std::to_string(ctx.num_inputs()));
  }
  if (ctx.num_outputs() != num_outputs) {
    return ctx.Error("expects " + std::to_string(num_outputs) + " output(s), got " +
                     std::to_string(ctx.num_outputs()));
  }
  for (int i = 0; i < num_inputs; ++i) {
    if (ctx.input(i) == nullptr) return ctx.Error("input " + std::to_string(i) + " is absent");
  }
  for (int i = 0; i < num_outputs; ++i) {
    if (ctx.output(i) == nullptr) {
      return ctx.Error("output " + std::to_string(i) + " is absent");
    }
  }
  return Status::Ok();
}

// Guards Eval against storage that does not cover the tensor's shape (a
// planner bug or a hostile model must not turn into an out-of-bounds access).
inline Status CheckStorage(const KernelContext& ctx, const Tensor& t, const char* what) {
  const int64_t n = t.num_elements();
  const size_t elem = DTypeSize(t.dtype);
  if (n < 0 || elem == 0) {
    return ctx.Error(std::string(what) + " '" + t.name + "' has an invalid shape or dtype");
  }
  if (n > 0 && (t.data == nullptr || t.bytes / elem < static_cast<uint64_t>(n))) {
    return ctx.Error(std::string(what) + " '" + t.name + "' has " + std::to_string(t.bytes) +
                     " bytes of storage for shape " + ShapeToString(t.shape) + " " +
                     DTypeName(t.dtype));
  }
  return Status::Ok();
}

// Confirms output 0's shape from Eval. The interpreter prepares nodes fed by
// dynamic tensors again inside Invoke, so the shape normally matches and the
// output already has storage; otherwise ResizeOutput allocates a dynamic
// output, or rejects a planned one whose shape changed (rather than letting
// Eval write past its storage).
inline Status ResizeOutputInEval(KernelContext& ctx, const Shape& shape) {
  const Tensor* out = ctx.output(0);
  if (out->shape == shape && (out->data != nullptr || out->num_elements() == 0)) {
    return Status::Ok();
  }
  return ctx.ResizeOutput(0, shape);
}

// Two's-complement wrap-around arithmetic for signed integers: TFLite's
// kernels overflow silently, and wrapping reproduces that without UB.
template <typename T>
T WrapAdd(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
}
template <typename T>
T WrapSub(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(a) - static_cast<U>(b));
}
template <typename T>
T WrapMul(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(a) * static_cast<U>(b));
}
template <typename T>
T WrapNeg(T a) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(U{0} - static_cast<U>(a));
}

// Registration of each element-wise sub-family (one source file each).
void RegisterBinaryKernels(OpRegistry& registry);
void RegisterUnaryKernels(OpRegistry& registry);
void RegisterConversionKernels(OpRegistry& registry);

}  // namespace rnnlite::elementwise
