// REVERSE_SEQUENCE (TFLite semantics): for each batch entry b (along
// batch_dim), reverses the first seq_lengths[b] slices along seq_dim and
// copies the rest unchanged. tf.compat.v1.nn.bidirectional_dynamic_rnn with
// sequence_length reverses its backward direction's input and output with it.
// seq_lengths is int32 or int64, one per batch entry, each in [0, dim size].
#include <cstring>
#include <string>
#include <vector>

#include "core/op_registry.h"
#include "cpu_fallback/compute_util.h"
#include "cpu_fallback/families.h"

namespace rnnlite {
namespace {

using compute::CheckArity;
using compute::CheckHoldsShape;
using compute::FinalizeOutput;

class ReverseSequenceKernel final : public OpKernel {
 public:
  Status Prepare(KernelContext& ctx) override {
    int seq = 0, batch = 0;
    RNNLITE_RETURN_IF_ERROR(Check(ctx, &seq, &batch));
    return ctx.ResizeOutput(0, ctx.input(0)->shape);
  }

  Status Eval(KernelContext& ctx) override {
    int seq = 0, batch = 0;
    RNNLITE_RETURN_IF_ERROR(Check(ctx, &seq, &batch));
    const Tensor& in = *ctx.input(0);
    RNNLITE_RETURN_IF_ERROR(FinalizeOutput(ctx, 0, in.shape, false));
    RNNLITE_RETURN_IF_ERROR(CheckHoldsShape(ctx, in, "input"));
    std::vector<int64_t> lengths;
    RNNLITE_RETURN_IF_ERROR(compute::ReadIndexValues(ctx, *ctx.input(1), "seq_lengths", &lengths));
    const int32_t seq_size = in.shape[seq];
    for (size_t b = 0; b < lengths.size(); ++b) {
      if (lengths[b] < 0 || lengths[b] > seq_size) {
        return ctx.Error("seq_lengths[" + std::to_string(b) + "] = " + std::to_string(lengths[b]) +
                         " is outside [0, " + std::to_string(seq_size) + "]");
      }
    }
    // Walk every element by its multi-index; the source index differs from
    // the destination only along seq_dim, for positions below the length.
    const std::vector<int64_t> strides = compute::Strides(in.shape);
    const size_t elem = DTypeSize(in.dtype);
    const int64_t n = in.num_elements();
    std::vector<int32_t> idx(in.shape.size(), 0);
    Tensor* out = ctx.output(0);
    for (int64_t i = 0; i < n; ++i) {
      const int64_t len = lengths[static_cast<size_t>(idx[batch])];
      int64_t src = i;
      if (idx[seq] < len) src += (len - 1 - 2 * static_cast<int64_t>(idx[seq])) * strides[seq];
      std::memcpy(out->data + i * elem, in.data + src * elem, elem);
      for (int d = in.rank() - 1; d >= 0; --d) {
        if (++idx[d] < in.shape[d]) break;
        idx[d] = 0;
      }
    }
    return Status::Ok();
  }

 private:
  static Status Check(KernelContext& ctx, int* seq, int* batch) {
    RNNLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
    const Tensor* in = ctx.input(0);
    const Tensor* lengths = ctx.input(1);
    const Tensor* out = ctx.output(0);
    if (in == nullptr || lengths == nullptr || out == nullptr) return ctx.Error("missing input or output");
    if (out->dtype != in->dtype) return ctx.Error("output must be " + DTypeName(in->dtype));
    if (DTypeSize(in->dtype) == 0) return ctx.UnsupportedError("dtype " + DTypeName(in->dtype));
    const int rank = in->rank();
    RNNLITE_RETURN_IF_ERROR(compute::NormalizeAxis(ctx, ctx.attrs().GetInt("seq_dim", 0), rank, seq));
    RNNLITE_RETURN_IF_ERROR(compute::NormalizeAxis(ctx, ctx.attrs().GetInt("batch_dim", 0), rank, batch));
    if (*seq == *batch) return ctx.Error("seq_dim and batch_dim are both " + std::to_string(*seq));
    if (lengths->dtype != DType::kInt32 && lengths->dtype != DType::kInt64) {
      return ctx.Error("seq_lengths must be int32 or int64, got " + DTypeName(lengths->dtype));
    }
    if (lengths->rank() != 1 || lengths->shape[0] != in->shape[*batch]) {
      return ctx.Error("seq_lengths " + ShapeToString(lengths->shape) + " must have one entry per batch entry (" +
                       std::to_string(in->shape[*batch]) + ")");
    }
    return Status::Ok();
  }
};

}  // namespace

void RegisterReverseSequenceKernels(OpRegistry& registry) {
  registry.Register(Op::kReverseSequence, MakeFactory<ReverseSequenceKernel>());
}

}  // namespace rnnlite
