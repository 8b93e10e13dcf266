// Shared machinery of the data-movement kernels (shape_*.cc): a kernel base
// that decides once whether output shapes are known in Prepare or only in
// Eval, readers for small integer index tensors, and one strided copy loop
// that slicing, reversing, transposing and padding all reduce to.
//
// Every op here only moves bytes, so kernels work on any dtype with a fixed
// element size (float32/16, bf16, int8..int64, uint*, bool, complex).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/kernel.h"
#include "core/op_registry.h"

namespace rnnlite::shape_kernels {

// Registration of each shape_*.cc file; RegisterShapeKernels calls them all.
void RegisterReshapeKernels(OpRegistry& registry);     // shape_ops.cc
void RegisterConcatSplitKernels(OpRegistry& registry);  // shape_concat_split.cc
void RegisterSliceKernels(OpRegistry& registry);        // shape_slice.cc
void RegisterIndexKernels(OpRegistry& registry);        // shape_index.cc

// A kernel whose output shapes may depend on the values of some inputs.
//
// Prepare runs Validate (things that never depend on shapes: counts, dtypes,
// attributes). If every input the output shapes depend on is a constant and
// no input has a runtime-only shape, Plan runs right away; otherwise all
// outputs are marked dynamic and Plan runs at the start of each Eval. Plan
// checks shapes and values and resizes the outputs; Run moves the data.
class DataMovementKernel : public OpKernel {
 public:
  Status Prepare(KernelContext& ctx) final;
  Status Eval(KernelContext& ctx) final;

 protected:
  virtual Status Validate(KernelContext& ctx) = 0;
  // True if output shapes depend on the values (not just the shape) of input i.
  virtual bool ShapeDependsOnValueOf(int input) const { return false; }
  virtual Status Plan(KernelContext& ctx) = 0;
  virtual Status Run(KernelContext& ctx) = 0;

  // True while Plan/Run execute inside Eval (values of every input readable).
  bool in_eval() const { return in_eval_; }

 private:
  bool deferred_ = false;
  bool in_eval_ = false;
};

// True if the tensor's shape is only known during Invoke (produced by an op
// whose output was marked dynamic).
bool HasRuntimeShape(const Tensor* t);

// Input/output count checks with messages naming the op's expectation.
Status CheckInputCount(const KernelContext& ctx, int min_inputs, int max_inputs);
Status CheckOutputCount(const KernelContext& ctx, int outputs);
// The input, or an error naming `what` when it is absent.
Status RequireInput(const KernelContext& ctx, int i, const char* what, const Tensor** out);
// Input i must be present and hold int32 or int64 indices.
Status CheckIndexDType(const KernelContext& ctx, int i, const char* what);
Status RequireOutput(KernelContext& ctx, int i, Tensor** out);

// Bytes per element; Unsupported for dtypes without a fixed size (string...).
Status ElementSize(const KernelContext& ctx, DType dtype, size_t* size);
// Output i must have `dtype` (the file declares output dtypes; we never change them).
Status CheckOutputDType(KernelContext& ctx, int i, DType dtype);
// For ops that pass `data`'s elements through: output i has data's dtype,
// which must have a fixed element size (returned in *esize).
Status CheckPassThroughDType(KernelContext& ctx, const Tensor& data, int i, size_t* esize);

// Bytes holding the tensor's current value: constant data for constants,
// runtime storage otherwise.
const uint8_t* ValueBytes(const Tensor& t, size_t* bytes);
// Fails unless the tensor's storage holds all elements of its shape.
Status CheckStorage(const KernelContext& ctx, const Tensor& t, const std::string& what);

// Reads an int32/int64 tensor's values (any rank) as int64.
Status ReadIndexValues(const KernelContext& ctx, const Tensor& t, const std::string& what,
                       std::vector<int64_t>* out);
// Reads a tensor that must hold exactly one int32/int64 value (scalar or [1]).
Status ReadScalarIndex(const KernelContext& ctx, const Tensor& t, const std::string& what,
                       int64_t* out);

// Maps axis in [-rank, rank) to [0, rank).
Status NormalizeAxis(const KernelContext& ctx, int64_t axis, int rank, const std::string& what,
                     int* out);

// Converts computed dims to a Shape, rejecting negatives and values > int32.
Status ToShape(const KernelContext& ctx, const std::vector<int64_t>& dims, const std::string& what,
               Shape* out);

// Row-major element strides of `shape`.
std::vector<int64_t> RowMajorStrides(const Shape& shape);
// Product of dims [begin, end) of `shape` (1 when empty).
int64_t DimProduct(const Shape& shape, int begin, int end);
// a*b for non-negative a, b, saturating at INT64_MAX instead of overflowing.
int64_t SaturatingMul(int64_t a, int64_t b);

// Copies NumElements(counts) elements of `esize` bytes. Element k of `dst`
// (row-major over `counts`) is src[base + sum_d idx_d * steps[d]], with
// offsets in elements. Writes contiguously into dst when `scatter` is false;
// with `scatter` true the roles swap: src is read contiguously and written to
// dst[base + sum_d idx_d * steps[d]]. Callers guarantee every offset is in range.
void StridedCopy(const uint8_t* src, uint8_t* dst, size_t esize, const Shape& counts, int64_t base,
                 const std::vector<int64_t>& steps, bool scatter = false);

// Copies one element of `esize` bytes.
void CopyElement(uint8_t* dst, const uint8_t* src, size_t esize);

}  // namespace rnnlite::shape_kernels
