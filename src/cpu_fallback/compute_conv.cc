// CONV_2D and DEPTHWISE_CONV_2D: float32 NHWC reference kernels with
// TFLite's output-size and padding rules.
//
//   CONV_2D            input [N, H, W, Cin], filter [Cout, KH, KW, Cin / groups]
//                      (groups = Cin / filter's last dim, 1 for ordinary conv)
//   DEPTHWISE_CONV_2D  input [N, H, W, Cin], filter [1, KH, KW, Cin * M]
//                      (output channel c * M + m reads input channel c)
//   bias               optional (-1), Cout elements
//   output             [N, OH, OW, Cout]
//
// Output size (TFLite): SAME  -> ceil(in / stride)
//                       VALID -> (in - eff + stride) / stride (C division)
// with eff = (k - 1) * dilation + 1; the leading pad is
// max(0, (out - 1) * stride + eff - in) / 2, the odd pixel going to the end.
#include <algorithm>
#include <cstdint>
#include <string>

#include "core/op_registry.h"
#include "cpu_fallback/compute_kernels.h"
#include "cpu_fallback/compute_util.h"
#include "cpu_fallback/kernel_util.h"

namespace rnnlite::compute {
namespace {

// One spatial axis of a convolution.
struct Window {
  int64_t in = 0;
  int64_t kernel = 0;
  int64_t stride = 1;
  int64_t dilation = 1;
  int64_t out = 0;
  int64_t pad = 0;  // leading padding
};

Status ReadPositiveAttr(const KernelContext& ctx, const char* name, int64_t fallback, int64_t* out) {
  *out = ctx.attrs().GetInt(name, fallback);
  if (*out < 1 || *out > INT32_MAX) {
    return ctx.Error(std::string(name) + " must be >= 1, got " + std::to_string(*out));
  }
  return Status::Ok();
}

Status ComputeWindow(const KernelContext& ctx, const char* axis, bool same, Window* w) {
  if (w->kernel < 1) return ctx.Error(std::string("filter ") + axis + " must be >= 1");
  const int64_t eff = (w->kernel - 1) * w->dilation + 1;
  w->out = same ? (w->in + w->stride - 1) / w->stride : (w->in - eff + w->stride) / w->stride;
  if (w->out < 0) {
    return ctx.Error(std::string("VALID padding: dilated filter ") + axis + " " + std::to_string(eff) +
                     " exceeds input " + axis + " " + std::to_string(w->in));
  }
  if (w->out > INT32_MAX) return ctx.Error(std::string("output ") + axis + " is out of range");
  w->pad = std::max<int64_t>(0, (w->out - 1) * w->stride + eff - w->in) / 2;
  return Status::Ok();
}

struct ConvPlan {
  int64_t batch = 0, in_c = 0, out_c = 0;
  int64_t filter_in_c = 0;  // input channels each filter reads (CONV_2D)
  int64_t groups = 1;       // CONV_2D channel groups
  int64_t multiplier = 1;   // DEPTHWISE_CONV_2D channels per input channel
  Window h, w;
  FusedActivation act = FusedActivation::kNone;
  Shape out_shape;
};

Status PlanConv(KernelContext& ctx, bool depthwise, ConvPlan* p) {
  RNNLITE_RETURN_IF_ERROR(CheckArity(ctx, 2, 3, 1));
  const Tensor* input;
  const Tensor* filter;
  Tensor* output;
  RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 0, "input", &input));
  RNNLITE_RETURN_IF_ERROR(RequireInput(ctx, 1, "filter", &filter));
  RNNLITE_RETURN_IF_ERROR(RequireOutput(ctx, 0, &output));
  const Tensor* bias = ctx.input(2);
  RNNLITE_RETURN_IF_ERROR(CheckFloatOperand(ctx, *input, "input"));
  RNNLITE_RETURN_IF_ERROR(CheckFloatOperand(ctx, *filter, "filter"));
  RNNLITE_RETURN_IF_ERROR(ExpectDType(ctx, *output, DType::kFloat32, "output"));
  RNNLITE_RETURN_IF_ERROR(ExpectRank(ctx, *input, 4, "input (NHWC)"));
  RNNLITE_RETURN_IF_ERROR(ExpectRank(ctx, *filter, 4, "filter"));
  RNNLITE_RETURN_IF_ERROR(GetFusedActivation(ctx, &p->act));

  int64_t padding = ctx.attrs().GetInt("padding", 0);
  if (padding != 0 && padding != 1) {
    return ctx.Error("padding must be 0 (SAME) or 1 (VALID), got " + std::to_string(padding));
  }
  // Strides have no schema default other than 0, which TFLite rejects too.
  RNNLITE_RETURN_IF_ERROR(ReadPositiveAttr(ctx, "stride_h", 0, &p->h.stride));
  RNNLITE_RETURN_IF_ERROR(ReadPositiveAttr(ctx, "stride_w", 0, &p->w.stride));
  RNNLITE_RETURN_IF_ERROR(ReadPositiveAttr(ctx, "dilation_h_factor", 1, &p->h.dilation));
  RNNLITE_RETURN_IF_ERROR(ReadPositiveAttr(ctx, "dilation_w_factor", 1, &p->w.dilation));

  p->batch = input->shape[0];
  p->h.in = input->shape[1];
  p->w.in = input->shape[2];
  p->in_c = input->shape[3];
  p->h.kernel = filter->shape[1];
  p->w.kernel = filter->shape[2];
  if (p->in_c < 1) return ctx.Error("input " + ShapeToString(input->shape) + " has no channels");

  if (depthwise) {
    if (filter->shape[0] != 1) {
      return ctx.Error("depthwise filter must be [1, KH, KW, C*M], got " + ShapeToString(filter->shape));
    }
    p->out_c = filter->shape[3];
    if (p->out_c % p->in_c != 0 || p->out_c == 0) {
      return ctx.Error("depthwise filter channels " + std::to_string(p->out_c) +
                       " are not a multiple of input channels " + std::to_string(p->in_c));
    }
    p->multiplier = p->out_c / p->in_c;
    // The attribute is redundant with the shapes; 0 means "not given" (an
    // in-memory graph may omit it), anything else must agree.
    int64_t attr = ctx.attrs().GetInt("depth_multiplier", 0);
    if (attr != 0 && attr != p->multiplier) {
      return ctx.Error("depth_multiplier " + std::to_string(attr) + " disagrees with filter " +
                       ShapeToString(filter->shape) + " and input channels " + std::to_string(p->in_c));
    }
  } else {
    p->out_c = filter->shape[0];
    p->filter_in_c = filter->shape[3];
    if (p->filter_in_c < 1 || p->in_c % p->filter_in_c != 0) {
      return ctx.Error("input channels " + std::to_string(p->in_c) + " do not match filter " +
                       ShapeToString(filter->shape) + " (its last dim must divide them)");
    }
    p->groups = p->in_c / p->filter_in_c;
    if (p->out_c % p->groups != 0) {
      return ctx.Error("output channels " + std::to_string(p->out_c) + " are not divisible by the " +
                       std::to_string(p->groups) + " channel groups");
    }
  }
  if (bias != nullptr) {
    RNNLITE_RETURN_IF_ERROR(CheckFloatOperand(ctx, *bias, "bias"));
    if (bias->num_elements() != p->out_c) {
      return ctx.Error("bias has shape " + ShapeToString(bias->shape) + " but there are " +
                       std::to_string(p->out_c) + " output channels");
    }
  }

  bool same = padding == 0;
  RNNLITE_RETURN_IF_ERROR(ComputeWindow(ctx, "height", same, &p->h));
  RNNLITE_RETURN_IF_ERROR(ComputeWindow(ctx, "width", same, &p->w));
  p->out_shape = {static_cast<int32_t>(p->batch), static_cast<int32_t>(p->h.out),
                  static_cast<int32_t>(p->w.out), static_cast<int32_t>(p->out_c)};
  if (NumElements(p->out_shape) < 0) return ctx.Error("output shape overflows");
  return Status::Ok();
}

// Checks shared by both kernels in Eval; returns the bias pointer or null.
Status PrepareEval(KernelContext& ctx, const ConvPlan& p, const float** bias) {
  RNNLITE_RETURN_IF_ERROR(FinalizeOutput(ctx, 0, p.out_shape, /*dynamic=*/false));
  RNNLITE_RETURN_IF_ERROR(CheckHoldsShape(ctx, *ctx.input(0), "input"));
  RNNLITE_RETURN_IF_ERROR(CheckHoldsShape(ctx, *ctx.input(1), "filter"));
  *bias = nullptr;
  if (const Tensor* b = ctx.input(2)) {
    RNNLITE_RETURN_IF_ERROR(CheckHoldsShape(ctx, *b, "bias"));
    *bias = b->data_as<float>();
  }
  return Status::Ok();
}

class Conv2dKernel : public OpKernel {
 public:
  Status Prepare(KernelContext& ctx) override {
    ConvPlan p;
    RNNLITE_RETURN_IF_ERROR(PlanConv(ctx, /*depthwise=*/false, &p));
    return ctx.ResizeOutput(0, p.out_shape);
  }

  Status Eval(KernelContext& ctx) override {
    ConvPlan p;
    RNNLITE_RETURN_IF_ERROR(PlanConv(ctx, /*depthwise=*/false, &p));
    const float* bias;
    RNNLITE_RETURN_IF_ERROR(PrepareEval(ctx, p, &bias));
    const float* x = ctx.input(0)->data_as<float>();
    const float* f = ctx.input(1)->data_as<float>();
    float* y = ctx.output(0)->data_as<float>();
    const int64_t out_per_group = p.out_c / p.groups;
    const int64_t fic = p.filter_in_c;
    for (int64_t b = 0; b < p.batch; ++b) {
      for (int64_t oy = 0; oy < p.h.out; ++oy) {
        for (int64_t ox = 0; ox < p.w.out; ++ox) {
          for (int64_t oc = 0; oc < p.out_c; ++oc) {
            const int64_t first_in_c = (oc / out_per_group) * fic;
            float acc = bias != nullptr ? bias[oc] : 0.0f;
            for (int64_t ky = 0; ky < p.h.kernel; ++ky) {
              const int64_t iy = oy * p.h.stride - p.h.pad + ky * p.h.dilation;
              if (iy < 0 || iy >= p.h.in) continue;  // zero padding
              for (int64_t kx = 0; kx < p.w.kernel; ++kx) {
                const int64_t ix = ox * p.w.stride - p.w.pad + kx * p.w.dilation;
                if (ix < 0 || ix >= p.w.in) continue;
                const float* xp = x + ((b * p.h.in + iy) * p.w.in + ix) * p.in_c + first_in_c;
                const float* fp = f + ((oc * p.h.kernel + ky) * p.w.kernel + kx) * fic;
                for (int64_t ic = 0; ic < fic; ++ic) acc += xp[ic] * fp[ic];
              }
            }
            y[((b * p.h.out + oy) * p.w.out + ox) * p.out_c + oc] = ApplyFusedActivation(acc, p.act);
          }
        }
      }
    }
    return Status::Ok();
  }
};

class DepthwiseConv2dKernel : public OpKernel {
 public:
  Status Prepare(KernelContext& ctx) override {
    ConvPlan p;
    RNNLITE_RETURN_IF_ERROR(PlanConv(ctx, /*depthwise=*/true, &p));
    return ctx.ResizeOutput(0, p.out_shape);
  }

  Status Eval(KernelContext& ctx) override {
    ConvPlan p;
    RNNLITE_RETURN_IF_ERROR(PlanConv(ctx, /*depthwise=*/true, &p));
    const float* bias;
    RNNLITE_RETURN_IF_ERROR(PrepareEval(ctx, p, &bias));
    const float* x = ctx.input(0)->data_as<float>();
    const float* f = ctx.input(1)->data_as<float>();
    float* y = ctx.output(0)->data_as<float>();
    for (int64_t b = 0; b < p.batch; ++b) {
      for (int64_t oy = 0; oy < p.h.out; ++oy) {
        for (int64_t ox = 0; ox < p.w.out; ++ox) {
          for (int64_t ic = 0; ic < p.in_c; ++ic) {
            for (int64_t m = 0; m < p.multiplier; ++m) {
              const int64_t oc = ic * p.multiplier + m;
              float acc = bias != nullptr ? bias[oc] : 0.0f;
              for (int64_t ky = 0; ky < p.h.kernel; ++ky) {
                const int64_t iy = oy * p.h.stride - p.h.pad + ky * p.h.dilation;
                if (iy < 0 || iy >= p.h.in) continue;
                for (int64_t kx = 0; kx < p.w.kernel; ++kx) {
                  const int64_t ix = ox * p.w.stride - p.w.pad + kx * p.w.dilation;
                  if (ix < 0 || ix >= p.w.in) continue;
                  acc += x[((b * p.h.in + iy) * p.w.in + ix) * p.in_c + ic] *
                         f[(ky * p.w.kernel + kx) * p.out_c + oc];
                }
              }
              y[((b * p.h.out + oy) * p.w.out + ox) * p.out_c + oc] = ApplyFusedActivation(acc, p.act);
            }
          }
        }
      }
    }
    return Status::Ok();
  }
};

}  // namespace

void RegisterConvKernels(OpRegistry& registry) {
  registry.Register(Op::kConv2d, MakeFactory<Conv2dKernel>());
  registry.Register(Op::kDepthwiseConv2d, MakeFactory<DepthwiseConv2dKernel>());
}

}  // namespace rnnlite::compute
