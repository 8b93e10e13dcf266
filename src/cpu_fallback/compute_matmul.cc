// FULLY_CONNECTED and BATCH_MATMUL: float32 kernels with TFLite semantics.
// With fast CPU kernels (the default) the products go through Sgemm (the
// GEMM of the fast recurrent op, gemm.h); with CpuKernels::kReference
// through the plain loops below. Both re-derive their geometry in Eval from
// the tensors' current shapes, so a stale plan can never index past a buffer.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "core/op_registry.h"
#include "cpu_fallback/compute_kernels.h"
#include "cpu_fallback/compute_util.h"
#include "cpu_fallback/gemm.h"
#include "cpu_fallback/kernel_util.h"

namespace rnnlite::compute {
namespace {

// ---------------------------------------------------------------------------
// FULLY_CONNECTED: output = act(input · weightsᵀ + bias).
//   input:   any shape whose element count is a multiple of `in`, read as
//            [batch, in]
//   weights: [units, in]
//   bias:    optional (-1), `units` elements
//   output:  [batch, units], or the input shape with the last dim replaced
//            by `units` when keep_num_dims is set.

struct FcPlan {
  int64_t batch = 0;
  int64_t in = 0;
  int64_t units = 0;
  Shape out_shape;
  FusedActivation act = FusedActivation::kNone;
};

Status PlanFullyConnected(KernelContext& ctx, FcPlan* p) {
  RNNLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 3, 1));
  const Tensor* input;
  const Tensor* weights;
  Tensor* output;
  RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, "input", &input));
  RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, "weights", &weights));
  RNNLITE_RETURN_IF_ERROR(RequireOutput(ctx, 0, &output));
  const Tensor* bias = ctx.input(2);

  int64_t format = ctx.attrs().GetInt("weights_format", 0);
  if (format != 0) {
    return ctx.UnsupportedError("weights_format " + std::to_string(format) +
                                " (shuffled int8 weights) is not supported; only DEFAULT (0) is");
  }
  RNNLITE_RETURN_IF_ERROR(CheckFloatOperand(ctx, *input, "input"));
  RNNLITE_RETURN_IF_ERROR(CheckFloatOperand(ctx, *weights, "weights"));
  RNNLITE_RETURN_IF_ERROR(ExpectDType(ctx, *output, DType::kFloat32, "output"));
  RNNLITE_RETURN_IF_ERROR(ExpectRank(ctx, *weights, 2, "weights"));
  RNNLITE_RETURN_IF_ERROR(GetFusedActivation(ctx, &p->act));

  p->units = weights->shape[0];
  p->in = weights->shape[1];
  if (bias != nullptr) {
    RNNLITE_RETURN_IF_ERROR(CheckFloatOperand(ctx, *bias, "bias"));
    if (bias->num_elements() != p->units) {
      return ctx.Error("bias has shape " + ShapeToString(bias->shape) + " but weights have " +
                       std::to_string(p->units) + " output units");
    }
  }
  if (p->in <= 0) return ctx.Error("weights " + ShapeToString(weights->shape) + " have no input features");

  int64_t elements = input->num_elements();
  if (elements < 0 || elements % p->in != 0) {
    return ctx.Error("input shape " + ShapeToString(input->shape) + " is not a whole number of rows of " +
                     std::to_string(p->in) + " features (weights " + ShapeToString(weights->shape) + ")");
  }
  p->batch = elements / p->in;

  if (ctx.attrs().GetInt("keep_num_dims", 0) != 0) {
    if (input->rank() == 0 || input->dim(-1) != p->in) {
      return ctx.Error("keep_num_dims needs the input's last dim to equal the weights' " +
                       std::to_string(p->in) + " features, got input " + ShapeToString(input->shape));
    }
    p->out_shape = input->shape;
    p->out_shape.back() = static_cast<int32_t>(p->units);
  } else {
    int32_t batch_dim;
    RNNLITE_RETURN_IF_ERROR(ToDim(ctx, p->batch, "batch size", &batch_dim));
    p->out_shape = {batch_dim, static_cast<int32_t>(p->units)};
  }
  return Status::Ok();
}

class FullyConnectedKernel : public OpKernel {
 public:
  Status Prepare(KernelContext& ctx) override {
    FcPlan p;
    RNNLITE_RETURN_IF_ERROR(PlanFullyConnected(ctx, &p));
    return ctx.ResizeOutput(0, p.out_shape);
  }

  Status Eval(KernelContext& ctx) override {
    FcPlan p;
    RNNLITE_RETURN_IF_ERROR(PlanFullyConnected(ctx, &p));
    RNNLITE_RETURN_IF_ERROR(FinalizeOutput(ctx, 0, p.out_shape, /*dynamic=*/false));
    const Tensor* input = ctx.input(0);
    const Tensor* weights = ctx.input(1);
    const Tensor* bias = ctx.input(2);
    RNNLITE_RETURN_IF_ERROR(CheckHoldsShape(ctx, *input, "input"));
    RNNLITE_RETURN_IF_ERROR(CheckHoldsShape(ctx, *weights, "weights"));
    if (bias != nullptr) RNNLITE_RETURN_IF_ERROR(CheckHoldsShape(ctx, *bias, "bias"));

    const float* x = input->data_as<float>();
    const float* w = weights->data_as<float>();
    const float* b = bias != nullptr ? bias->data_as<float>() : nullptr;
    float* y = ctx.output(0)->data_as<float>();
    if (ctx.cpu_kernels() == CpuKernels::kFast) {
      Sgemm(false, true, p.batch, p.units, p.in, x, p.in, w, p.in, y, p.units, false);
      for (int64_t n = 0; n < p.batch; ++n) {
        float* row = y + n * p.units;
        for (int64_t u = 0; u < p.units; ++u) {
          row[u] = ApplyFusedActivation(b != nullptr ? row[u] + b[u] : row[u], p.act);
        }
      }
      return Status::Ok();
    }
    for (int64_t n = 0; n < p.batch; ++n) {
      const float* row = x + n * p.in;
      for (int64_t u = 0; u < p.units; ++u) {
        const float* wrow = w + u * p.in;
        float acc = 0.0f;
        for (int64_t k = 0; k < p.in; ++k) acc += row[k] * wrow[k];
        if (b != nullptr) acc += b[u];
        y[n * p.units + u] = ApplyFusedActivation(acc, p.act);
      }
    }
    return Status::Ok();
  }
};

// ---------------------------------------------------------------------------
// BATCH_MATMUL: output[..., m, n] = sum_k lhs[..., m, k] * rhs[..., k, n],
// where adj_x / adj_y mean the operand's last two dims are stored swapped,
// and the leading (batch) dims broadcast numpy-style.

struct BmmPlan {
  bool adj_x = false;
  bool adj_y = false;
  int64_t m = 0, k = 0, n = 0;
  // Batch dims of lhs, rhs and output, left-padded with 1 to the same rank.
  Shape lhs_batch, rhs_batch, out_batch;
  Shape out_shape;
};

Status PlanBatchMatmul(KernelContext& ctx, BmmPlan* p) {
  RNNLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* lhs;
  const Tensor* rhs;
  Tensor* output;
  RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, "lhs", &lhs));
  RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, "rhs", &rhs));
  RNNLITE_RETURN_IF_ERROR(RequireOutput(ctx, 0, &output));
  RNNLITE_RETURN_IF_ERROR(CheckFloatOperand(ctx, *lhs, "lhs"));
  RNNLITE_RETURN_IF_ERROR(CheckFloatOperand(ctx, *rhs, "rhs"));
  RNNLITE_RETURN_IF_ERROR(ExpectDType(ctx, *output, DType::kFloat32, "output"));
  if (lhs->rank() < 2 || rhs->rank() < 2) {
    return ctx.Error("lhs and rhs need rank >= 2, got " + ShapeToString(lhs->shape) + " and " +
                     ShapeToString(rhs->shape));
  }
  p->adj_x = ctx.attrs().GetInt("adj_x", 0) != 0;
  p->adj_y = ctx.attrs().GetInt("adj_y", 0) != 0;
  int64_t lhs_rows = lhs->dim(-2), lhs_cols = lhs->dim(-1);
  int64_t rhs_rows = rhs->dim(-2), rhs_cols = rhs->dim(-1);
  p->m = p->adj_x ? lhs_cols : lhs_rows;
  p->k = p->adj_x ? lhs_rows : lhs_cols;
  int64_t rhs_k = p->adj_y ? rhs_cols : rhs_rows;
  p->n = p->adj_y ? rhs_rows : rhs_cols;
  if (p->k != rhs_k) {
    return ctx.Error("inner dims differ: lhs " + ShapeToString(lhs->shape) + (p->adj_x ? " (adj_x)" : "") +
                     " contracts " + std::to_string(p->k) + ", rhs " + ShapeToString(rhs->shape) +
                     (p->adj_y ? " (adj_y)" : "") + " contracts " + std::to_string(rhs_k));
  }

  size_t batch_rank = static_cast<size_t>(std::max(lhs->rank(), rhs->rank()) - 2);
  auto padded = [batch_rank](const Tensor& t) {
    Shape s(batch_rank, 1);
    size_t own = t.shape.size() - 2;
    for (size_t i = 0; i < own; ++i) s[batch_rank - own + i] = t.shape[i];
    return s;
  };
  p->lhs_batch = padded(*lhs);
  p->rhs_batch = padded(*rhs);
  p->out_batch.assign(batch_rank, 1);
  for (size_t i = 0; i < batch_rank; ++i) {
    int32_t a = p->lhs_batch[i], b = p->rhs_batch[i];
    if (a != b && a != 1 && b != 1) {
      return ctx.Error("batch dims of lhs " + ShapeToString(lhs->shape) + " and rhs " +
                       ShapeToString(rhs->shape) + " do not broadcast");
    }
    p->out_batch[i] = a == 1 ? b : a;
  }
  p->out_shape = p->out_batch;
  p->out_shape.push_back(static_cast<int32_t>(p->m));
  p->out_shape.push_back(static_cast<int32_t>(p->n));
  if (NumElements(p->out_shape) < 0) return ctx.Error("output shape overflows");
  return Status::Ok();
}

class BatchMatmulKernel : public OpKernel {
 public:
  Status Prepare(KernelContext& ctx) override {
    BmmPlan p;
    RNNLITE_RETURN_IF_ERROR(PlanBatchMatmul(ctx, &p));
    return ctx.ResizeOutput(0, p.out_shape);
  }

  Status Eval(KernelContext& ctx) override {
    BmmPlan p;
    RNNLITE_RETURN_IF_ERROR(PlanBatchMatmul(ctx, &p));
    RNNLITE_RETURN_IF_ERROR(FinalizeOutput(ctx, 0, p.out_shape, /*dynamic=*/false));
    const Tensor* lhs = ctx.input(0);
    const Tensor* rhs = ctx.input(1);
    RNNLITE_RETURN_IF_ERROR(CheckHoldsShape(ctx, *lhs, "lhs"));
    RNNLITE_RETURN_IF_ERROR(CheckHoldsShape(ctx, *rhs, "rhs"));
    const float* a = lhs->data_as<float>();
    const float* b = rhs->data_as<float>();
    float* y = ctx.output(0)->data_as<float>();

    const int64_t lhs_mat = p.m * p.k, rhs_mat = p.k * p.n, out_mat = p.m * p.n;
    // Element strides of whole matrices along each batch dim; a broadcast
    // (size-1) dim gets stride 0 so every output batch reads the same matrix.
    std::vector<int64_t> lhs_stride = Strides(p.lhs_batch), rhs_stride = Strides(p.rhs_batch);
    for (size_t i = 0; i < p.out_batch.size(); ++i) {
      if (p.lhs_batch[i] == 1) lhs_stride[i] = 0;
      if (p.rhs_batch[i] == 1) rhs_stride[i] = 0;
    }
    const int64_t batches = NumElements(p.out_batch);
    const bool fast = ctx.cpu_kernels() == CpuKernels::kFast;
    std::vector<int32_t> idx(p.out_batch.size(), 0);
    for (int64_t bi = 0; bi < batches; ++bi) {
      int64_t lhs_off = 0, rhs_off = 0;
      for (size_t d = 0; d < idx.size(); ++d) {
        lhs_off += idx[d] * lhs_stride[d];
        rhs_off += idx[d] * rhs_stride[d];
      }
      const float* am = a + lhs_off * lhs_mat;
      const float* bm = b + rhs_off * rhs_mat;
      float* ym = y + bi * out_mat;
      if (fast) {
        Sgemm(p.adj_x, p.adj_y, p.m, p.n, p.k, am, p.adj_x ? p.m : p.k, bm, p.adj_y ? p.k : p.n, ym, p.n, false);
      }
      for (int64_t i = 0; i < (fast ? 0 : p.m); ++i) {
        for (int64_t j = 0; j < p.n; ++j) {
          float acc = 0.0f;
          for (int64_t t = 0; t < p.k; ++t) {
            float av = p.adj_x ? am[t * p.m + i] : am[i * p.k + t];
            float bv = p.adj_y ? bm[j * p.k + t] : bm[t * p.n + j];
            acc += av * bv;
          }
          ym[i * p.n + j] = acc;
        }
      }
      // Advance the batch multi-index, last dim fastest.
      for (int d = static_cast<int>(idx.size()) - 1; d >= 0; --d) {
        if (++idx[d] < p.out_batch[d]) break;
        idx[d] = 0;
      }
    }
    return Status::Ok();
  }
};

}  // namespace

void RegisterMatmulKernels(OpRegistry& registry) {
  registry.Register(Op::kFullyConnected, MakeFactory<FullyConnectedKernel>());
  registry.Register(Op::kBatchMatmul, MakeFactory<BatchMatmulKernel>());
}

}  // namespace rnnlite::compute
