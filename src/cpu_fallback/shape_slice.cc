// Rectangular windows: SLICE, STRIDED_SLICE (read a window) and PAD / PADV2
// (write the input into a window of a larger output). Each Plan turns the
// op's parameters into one strided walk (start offset, per-dim step and
// count) that StridedCopy executes.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "cpu_fallback/shape_util.h"

namespace rnnlite::shape_kernels {
namespace {

// Reads a 1-D index tensor that must have one entry per input dimension.
Status ReadPerDim(const KernelContext& ctx, int i, const char* what, int rank, std::vector<int64_t>* out) {
  const Tensor* t = ctx.input(i);
  if (t->rank() != 1 || t->shape[0] != rank) {
    return ctx.Error(std::string(what) + " must have shape [" + std::to_string(rank) + "], got " +
                     ShapeToString(t->shape));
  }
  return ReadIndexValues(ctx, *t, what, out);
}

// Reads a window (base offset, steps, counts) out of input 0 into output 0.
class WindowReadKernel : public DataMovementKernel {
 protected:
  Status Run(KernelContext& ctx) override {
    const Tensor* in = ctx.input(0);
    Tensor* out = ctx.output(0);
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, *in, "input"));
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, *out, "output"));
    size_t bytes = 0;
    StridedCopy(ValueBytes(*in, &bytes), out->data, esize_, counts_, base_, steps_);
    return Status::Ok();
  }

  size_t esize_ = 0;
  int64_t base_ = 0;
  std::vector<int64_t> steps_;
  Shape counts_;  // one per input dim; product == output element count
};

class SliceKernel : public WindowReadKernel {
 protected:
  Status Validate(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckInputCount(ctx, 3, 3));
    RNNLITE_RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
    const Tensor* in = nullptr;
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, "input", &in));
    RNNLITE_RETURN_IF_ERROR(CheckIndexDType(ctx, 1, "begin"));
    RNNLITE_RETURN_IF_ERROR(CheckIndexDType(ctx, 2, "size"));
    return CheckPassThroughDType(ctx, *in, 0, &esize_);
  }
  bool ShapeDependsOnValueOf(int input) const override { return input == 1 || input == 2; }

  Status Plan(KernelContext& ctx) override {
    const Tensor* in = ctx.input(0);
    const int rank = in->rank();
    std::vector<int64_t> begin, size;
    RNNLITE_RETURN_IF_ERROR(ReadPerDim(ctx, 1, "begin", rank, &begin));
    RNNLITE_RETURN_IF_ERROR(ReadPerDim(ctx, 2, "size", rank, &size));
    const std::vector<int64_t> strides = RowMajorStrides(in->shape);
    base_ = 0;
    steps_ = strides;
    counts_.assign(rank, 0);
    for (int d = 0; d < rank; ++d) {
      const int64_t dim = in->shape[d];
      if (begin[d] < 0 || begin[d] > dim) {
        return ctx.Error("begin " + std::to_string(begin[d]) + " is out of range for dimension " +
                         std::to_string(d) + " of size " + std::to_string(dim));
      }
      int64_t n = size[d] == -1 ? dim - begin[d] : size[d];  // -1: everything from begin on
      if (n < 0 || n > dim - begin[d]) {
        return ctx.Error("size " + std::to_string(size[d]) + " at begin " + std::to_string(begin[d]) +
                         " exceeds dimension " + std::to_string(d) + " of size " + std::to_string(dim));
      }
      counts_[d] = static_cast<int32_t>(n);
      base_ += begin[d] * strides[d];
    }
    return ctx.ResizeOutput(0, counts_);
  }
};

// TFLite STRIDED_SLICE, including ellipsis_mask, new_axis_mask and offset.
//
// The spec (begin/end/strides entries plus masks) is expanded against the
// input rank the way TensorFlow defines it: the ellipsis stands for as many
// full dimensions as the other non-new-axis entries leave over (possibly
// none; TFLite's expansion always gives it at least one), entries missing at
// the end are full dimensions, a new-axis entry inserts a size-1 dimension
// (an ellipsis bit wins over a new-axis bit at the same position). Per input
// dimension, start/end follow TFLite's StridedSliceStart/EndForAxis:
// negatives wrap once, then clamp to [0, dim] (stride > 0) or [-1, dim-1]
// (stride < 0); begin/end masks select the whole range; with `offset` the
// end is relative to the clamped start. A shrunk axis takes the single
// element at the start index, which must lie inside the dimension.
class StridedSliceKernel : public WindowReadKernel {
 protected:
  Status Validate(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckInputCount(ctx, 4, 4));
    RNNLITE_RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
    const Tensor* in = nullptr;
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, "input", &in));
    RNNLITE_RETURN_IF_ERROR(CheckIndexDType(ctx, 1, "begin"));
    RNNLITE_RETURN_IF_ERROR(CheckIndexDType(ctx, 2, "end"));
    RNNLITE_RETURN_IF_ERROR(CheckIndexDType(ctx, 3, "strides"));
    return CheckPassThroughDType(ctx, *in, 0, &esize_);
  }
  bool ShapeDependsOnValueOf(int input) const override { return input >= 1 && input <= 3; }

  Status Plan(KernelContext& ctx) override {
    const Tensor* in = ctx.input(0);
    const int rank = in->rank();
    const AttrMap& a = ctx.attrs();
    const int64_t begin_mask = a.GetInt("begin_mask", 0), end_mask = a.GetInt("end_mask", 0);
    const int64_t ellipsis_mask = a.GetInt("ellipsis_mask", 0), new_axis_mask = a.GetInt("new_axis_mask", 0);
    const int64_t shrink_mask = a.GetInt("shrink_axis_mask", 0);
    const bool offset = a.GetInt("offset", 0) != 0;

    std::vector<int64_t> begin, end, strides;
    for (int i = 1; i <= 3; ++i) {
      const Tensor* t = ctx.input(i);
      if (t->rank() != 1) return ctx.Error("begin, end and strides must be 1-D, got " + ShapeToString(t->shape));
    }
    RNNLITE_RETURN_IF_ERROR(ReadIndexValues(ctx, *ctx.input(1), "begin", &begin));
    RNNLITE_RETURN_IF_ERROR(ReadIndexValues(ctx, *ctx.input(2), "end", &end));
    RNNLITE_RETURN_IF_ERROR(ReadIndexValues(ctx, *ctx.input(3), "strides", &strides));
    // Saturating hostile int64 values keeps every sum below from overflowing;
    // indices this large clamp to the same place either way.
    constexpr int64_t kLimit = int64_t{1} << 40;
    for (auto* v : {&begin, &end, &strides}) {
      for (int64_t& x : *v) x = std::clamp(x, -kLimit, kLimit);
    }
    const int n = static_cast<int>(begin.size());
    if (static_cast<int>(end.size()) != n || static_cast<int>(strides.size()) != n) {
      return ctx.Error("begin, end and strides must have the same length");
    }
    // Masks are 32-bit fields: entries past 32 could not be addressed.
    if (n > 32) return ctx.Error("slice spec has " + std::to_string(n) + " entries, at most 32 are supported");
    auto bit = [](int64_t mask, int j) { return ((static_cast<uint64_t>(mask) >> j) & 1u) != 0; };

    int ellipsis_at = -1;
    int real_entries = 0;  // entries that consume an input dimension
    for (int j = 0; j < n; ++j) {
      if (bit(ellipsis_mask, j)) {
        if (ellipsis_at >= 0) return ctx.Error("ellipsis_mask has more than one bit set");
        ellipsis_at = j;
      } else if (!bit(new_axis_mask, j)) {
        ++real_entries;
      }
    }
    if (real_entries > rank) {
      return ctx.Error("slice spec indexes " + std::to_string(real_entries) + " dimensions of a rank-" +
                       std::to_string(rank) + " input");
    }

    const std::vector<int64_t> in_strides = RowMajorStrides(in->shape);
    base_ = 0;
    steps_.clear();
    counts_.clear();
    Shape out_shape;
    int d = 0;  // next input dimension
    auto full_dim = [&]() {
      steps_.push_back(in_strides[d]);
      counts_.push_back(in->shape[d]);
      out_shape.push_back(in->shape[d]);
      ++d;
    };
    for (int j = 0; j < n; ++j) {
      if (j == ellipsis_at) {
        const int span = rank - real_entries;
        for (int k = 0; k < span; ++k) full_dim();
        continue;
      }
      if (bit(new_axis_mask, j)) {
        out_shape.push_back(1);
        continue;
      }
      const int64_t dim = in->shape[d];
      const int64_t stride = strides[j];
      if (stride == 0) return ctx.Error("strides entry " + std::to_string(j) + " is zero");
      const int64_t lo = stride > 0 ? 0 : -1, hi = stride > 0 ? dim : dim - 1;
      int64_t start = begin[j] < 0 ? begin[j] + dim : begin[j];
      if (bit(shrink_mask, j)) {
        // Not clamped: an index outside the dimension is an error, not the edge.
        if (bit(begin_mask, j)) start = stride > 0 ? 0 : dim - 1;
        if (start < 0 || start >= dim) {
          return ctx.Error("shrink index " + std::to_string(begin[j]) + " is out of range for dimension " +
                           std::to_string(d) + " of size " + std::to_string(dim));
        }
        base_ += start * in_strides[d];
        steps_.push_back(in_strides[d]);
        counts_.push_back(1);
        ++d;
        continue;
      }
      start = std::clamp(start, lo, hi);
      if (bit(begin_mask, j)) start = stride > 0 ? 0 : dim - 1;
      int64_t stop = offset ? end[j] + start : end[j];
      if (stop < 0) stop += dim;
      stop = std::clamp(stop, lo, hi);
      if (bit(end_mask, j)) stop = stride > 0 ? dim : -1;
      // Elements start, start+stride, ... strictly before stop.
      int64_t count = stride > 0 ? (stop - start + stride - 1) / stride : (start - stop - stride - 1) / -stride;
      count = std::max<int64_t>(count, 0);
      if (count > 0) base_ += start * in_strides[d];
      // A step is only taken when count > 1, which bounds |stride| by dim.
      steps_.push_back(count > 1 ? stride * in_strides[d] : 0);
      counts_.push_back(static_cast<int32_t>(count));
      out_shape.push_back(static_cast<int32_t>(count));
      ++d;
    }
    while (d < rank) full_dim();  // entries missing at the end: whole dims
    return ctx.ResizeOutput(0, out_shape);
  }
};

// PAD (input, paddings) and PADV2 (input, paddings, constant_values).
class PadKernel : public DataMovementKernel {
 protected:
  Status Validate(KernelContext& ctx) override {
    RNNLITE_RETURN_IF_ERROR(CheckInputCount(ctx, 2, 3));
    RNNLITE_RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
    const Tensor* in = nullptr;
    RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, "input", &in));
    RNNLITE_RETURN_IF_ERROR(CheckIndexDType(ctx, 1, "paddings"));
    const Tensor* value = ctx.input(2);
    if (value != nullptr && value->dtype != in->dtype) {
      return ctx.Error("constant_values dtype " + DTypeName(value->dtype) + " differs from input " +
                       DTypeName(in->dtype));
    }
    return CheckPassThroughDType(ctx, *in, 0, &esize_);
  }
  bool ShapeDependsOnValueOf(int input) const override { return input == 1; }

  Status Plan(KernelContext& ctx) override {
    const Tensor* in = ctx.input(0);
    const Tensor* pad_t = ctx.input(1);
    const int rank = in->rank();
    if (pad_t->rank() != 2 || pad_t->shape[0] != rank || pad_t->shape[1] != 2) {
      return ctx.Error("paddings must have shape [" + std::to_string(rank) + ", 2], got " +
                       ShapeToString(pad_t->shape));
    }
    std::vector<int64_t> pads;
    RNNLITE_RETURN_IF_ERROR(ReadIndexValues(ctx, *pad_t, "paddings", &pads));
    std::vector<int64_t> dims(rank);
    before_.assign(rank, 0);
    for (int d = 0; d < rank; ++d) {
      const int64_t b = pads[2 * d], e = pads[2 * d + 1];
      if (b < 0 || e < 0) {
        return ctx.Error("paddings of dimension " + std::to_string(d) + " are negative: " + std::to_string(b) +
                         ", " + std::to_string(e));
      }
      if (b > std::numeric_limits<int32_t>::max() || e > std::numeric_limits<int32_t>::max()) {
        return ctx.Error("paddings of dimension " + std::to_string(d) + " are too large");
      }
      before_[d] = b;
      dims[d] = static_cast<int64_t>(in->shape[d]) + b + e;
    }
    Shape out_shape;
    RNNLITE_RETURN_IF_ERROR(ToShape(ctx, dims, "padded shape", &out_shape));
    return ctx.ResizeOutput(0, out_shape);
  }

  Status Run(KernelContext& ctx) override {
    const Tensor* in = ctx.input(0);
    Tensor* out = ctx.output(0);
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, *in, "input"));
    RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, *out, "output"));
    std::vector<uint8_t> pad_value(esize_, 0);
    RNNLITE_RETURN_IF_ERROR(PadValue(ctx, pad_value.data()));
    for (int64_t i = 0; i < out->num_elements(); ++i) CopyElement(out->data + i * esize_, pad_value.data(), esize_);
    const std::vector<int64_t> out_strides = RowMajorStrides(out->shape);
    int64_t base = 0;
    for (int d = 0; d < in->rank(); ++d) base += before_[d] * out_strides[d];
    size_t bytes = 0;
    StridedCopy(ValueBytes(*in, &bytes), out->data, esize_, in->shape, base, out_strides, /*scatter=*/true);
    return Status::Ok();
  }

 private:
  // constant_values if given; else, as TFLite, a quantized integer output's
  // zero point (the encoding of real 0); else all-zero bytes.
  Status PadValue(KernelContext& ctx, uint8_t* value) {
    const Tensor* v = ctx.input(2);
    if (v != nullptr) {
      RNNLITE_RETURN_IF_ERROR(CheckStorage(ctx, *v, "constant_values"));
      if (v->num_elements() != 1) return ctx.Error("constant_values must hold one value");
      size_t bytes = 0;
      CopyElement(value, ValueBytes(*v, &bytes), esize_);
      return Status::Ok();
    }
    const Tensor* out = ctx.output(0);
    const std::vector<int64_t>& zp = out->quantization.zero_point;
    if (zp.empty() || zp[0] == 0) return Status::Ok();
    switch (out->dtype) {
      case DType::kInt8: *reinterpret_cast<int8_t*>(value) = static_cast<int8_t>(zp[0]); break;
      case DType::kUInt8: *value = static_cast<uint8_t>(zp[0]); break;
      case DType::kInt16: {
        int16_t z = static_cast<int16_t>(zp[0]);
        std::copy_n(reinterpret_cast<const uint8_t*>(&z), sizeof(z), value);
        break;
      }
      default: break;
    }
    return Status::Ok();
  }

  size_t esize_ = 0;
  std::vector<int64_t> before_;
};

}  // namespace

void RegisterSliceKernels(OpRegistry& registry) {
  registry.Register(Op::kSlice, MakeFactory<SliceKernel>());
  registry.Register(Op::kStridedSlice, MakeFactory<StridedSliceKernel>());
  registry.Register(Op::kPad, MakeFactory<PadKernel>());
  registry.Register(Op::kPadv2, MakeFactory<PadKernel>());
}

}  // namespace rnnlite::shape_kernels
