// ONNX compute ops: Gemm, MatMul, Conv (1-D and 2-D, NCHW -> TFLite NHWC),
// BatchNormalization, Softmax / LogSoftmax, ReduceMean / ReduceSum /
// ReduceMax, ArgMax.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "frontend/importer.h"

namespace rnnlite::onnx_import {
namespace {

constexpr DType kF32 = DType::kFloat32;

Status RequireFloat(NodeContext& c, int i) {
  if (c.dtype(i) != kF32) {
    return Unsupported("input " + std::to_string(i) + " has dtype " + DTypeName(c.dtype(i)) + "; only float32 is supported");
  }
  return Status::Ok();
}

StatusOr<std::vector<float>> ConstF32Values(NodeContext& c, int i) {
  RNNLITE_ASSIGN_OR_RETURN(auto d, c.ConstFloats(i));
  return std::vector<float>(d.begin(), d.end());
}

// [rows, cols] row-major -> [cols, rows].
std::vector<float> Transposed(const std::vector<float>& m, int64_t rows, int64_t cols) {
  std::vector<float> t(m.size());
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t k = 0; k < cols; ++k) t[k * rows + r] = m[r * cols + k];
  }
  return t;
}

Status ConvertGemm(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"alpha", "beta", "transA", "transB", "broadcast"}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(2, 3));
  for (int i = 0; i < 3; ++i) {
    if (c.has_input(i)) RNNLITE_RETURN_IF_ERROR(RequireFloat(c, i));
  }
  const float alpha = static_cast<float>(c.GetFloat("alpha", 1.0));
  const float beta = static_cast<float>(c.GetFloat("beta", 1.0));
  const bool ta = c.GetInt("transA", 0) != 0, tb = c.GetInt("transB", 0) != 0;
  const Dims a = c.dims(0), b = c.dims(1);
  if (a.size() != 2 || b.size() != 2) return InvalidArgument("A and B must be 2-D");
  const int64_t m = ta ? a[1] : a[0], k = ta ? a[0] : a[1];
  const int64_t n = tb ? b[0] : b[1], kb = tb ? b[1] : b[0];
  if (k >= 0 && kb >= 0 && k != kb) return InvalidArgument("inner dims differ: " + DimsToString(a) + " x " + DimsToString(b));
  const Dims out = {m, n};
  const bool has_c = c.has_input(2) && beta != 0.0f;
  int bias = kNoTensor;
  bool add_c = has_c;
  int y_pre;
  if (c.is_const(1) && n >= 0 && kb >= 0) {
    RNNLITE_ASSIGN_OR_RETURN(auto w, ConstF32Values(c, 1));
    if (!tb) w = Transposed(w, kb, n);  // FULLY_CONNECTED wants [N, K]
    if (alpha != 1.0f) {
      for (float& v : w) v *= alpha;
    }
    const int wt = c.ConstF32("weights", w, {n, kb});
    if (has_c && c.is_const(2)) {
      RNNLITE_ASSIGN_OR_RETURN(auto cv, ConstF32Values(c, 2));
      const Dims cd = c.dims(2);
      const bool per_unit = cv.size() == 1 || (static_cast<int64_t>(cv.size()) == n && (cd.size() == 1 || (cd.size() == 2 && cd[0] == 1)));
      if (per_unit) {
        std::vector<float> bv(n);
        for (int64_t i = 0; i < n; ++i) bv[i] = beta * cv[cv.size() == 1 ? 0 : i];
        bias = c.ConstF32("bias", bv, {n});
        add_c = false;
      }
    }
    int x = c.input(0);
    if (ta) {
      RNNLITE_ASSIGN_OR_RETURN(x, c.Transpose(x, {1, 0}, "a_t"));
    }
    y_pre = add_c ? c.Temp("matmul", kF32, out) : c.Output(0, kF32, out);
    RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kFullyConnected, {x, wt, bias}, {y_pre}));
  } else {
    AttrMap at;
    at.SetInt("adj_x", ta);
    at.SetInt("adj_y", tb);
    const bool scale = alpha != 1.0f;
    y_pre = (add_c || scale) ? c.Temp("matmul", kF32, out) : c.Output(0, kF32, out);
    RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kBatchMatmul, {c.input(0), c.input(1)}, {y_pre}, std::move(at)));
    if (scale) {
      const int y = add_c ? c.Temp("scaled", kF32, out) : c.Output(0, kF32, out);
      RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kMul, {y_pre, c.ConstF32("alpha", {alpha}, {})}, {y}));
      y_pre = y;
    }
  }
  if (add_c) {
    int cc = c.input(2);
    if (beta != 1.0f) {
      RNNLITE_ASSIGN_OR_RETURN(cc, c.Binary(Op::kMul, cc, c.ConstF32("beta", {beta}, {}), kF32, c.dims(2), "c_scaled"));
    }
    RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kAdd, {y_pre, cc}, {c.Output(0, kF32, out)}));
  }
  return Status::Ok();
}

Status ConvertMatMul(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(2, 2));
  RNNLITE_RETURN_IF_ERROR(RequireFloat(c, 0));
  RNNLITE_RETURN_IF_ERROR(RequireFloat(c, 1));
  const Dims a = c.dims(0), b = c.dims(1);
  if (a.size() < 2 || b.size() < 2) return Unsupported("MatMul of 1-D operands is not supported");
  const int64_t k = a.back(), kb = b[b.size() - 2], n = b.back();
  if (k >= 0 && kb >= 0 && k != kb) return InvalidArgument("inner dims differ: " + DimsToString(a) + " x " + DimsToString(b));
  if (c.is_const(1) && b.size() == 2 && n >= 0 && kb >= 0) {
    RNNLITE_ASSIGN_OR_RETURN(auto w, ConstF32Values(c, 1));
    Dims out = a;
    out.back() = n;
    AttrMap at;
    at.SetInt("keep_num_dims", a.size() > 2 ? 1 : 0);
    const int wt = c.ConstF32("weights", Transposed(w, kb, n), {n, kb});
    return c.Emit(Op::kFullyConnected, {c.input(0), wt, kNoTensor}, {c.Output(0, kF32, out)}, std::move(at));
  }
  Dims batch;
  RNNLITE_RETURN_IF_ERROR(BroadcastDims(Dims(a.begin(), a.end() - 2), Dims(b.begin(), b.end() - 2), &batch));
  batch.push_back(a[a.size() - 2]);
  batch.push_back(n);
  return c.Emit(Op::kBatchMatmul, {c.input(0), c.input(1)}, {c.Output(0, kF32, batch)});
}

// Conv over NCW / NCHW as TFLite's NHWC CONV_2D (1-D runs with H = 1).
Status ConvertConv(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(2, 3));
  RNNLITE_RETURN_IF_ERROR(RequireFloat(c, 0));
  if (!c.is_const(1)) return Unsupported("weights must be constant");
  if (c.has_input(2) && !c.is_const(2)) return Unsupported("bias must be constant");
  const Dims x = c.dims(0), w = c.dims(1);
  const int64_t sp = static_cast<int64_t>(x.size()) - 2;  // spatial rank
  if (sp != 1 && sp != 2) return Unsupported("only 1-D and 2-D convolutions are supported (input rank " + std::to_string(x.size()) + ")");
  if (static_cast<int64_t>(w.size()) != sp + 2) return InvalidArgument("weights rank does not match the input");
  const int64_t group = c.GetInt("group", 1);
  const int64_t cin = x[1], cout = w[0], cpg = w[1];
  if (cin < 0) return Unsupported("the channel dim must be static");
  if (group < 1 || cin % group != 0 || cpg * group != cin || cout % group != 0) {
    return InvalidArgument("channels " + std::to_string(cin) + ", weights " + DimsToString(w) + " and group " +
                           std::to_string(group) + " do not agree");
  }
  auto attr_or = [&](const char* name, int64_t fill) {
    auto v = c.GetInts(name);
    if (v.empty()) v.assign(sp, fill);
    return v;
  };
  const auto strides = attr_or("strides", 1), dil = attr_or("dilations", 1);
  std::vector<int64_t> kshape(w.begin() + 2, w.end());
  if (c.has_attr("kernel_shape") && c.GetInts("kernel_shape") != kshape) return InvalidArgument("kernel_shape disagrees with the weights");
  if (static_cast<int64_t>(strides.size()) != sp || static_cast<int64_t>(dil.size()) != sp) return InvalidArgument("strides/dilations rank mismatch");
  std::vector<int64_t> pads = c.GetInts("pads");
  if (pads.empty()) pads.assign(2 * sp, 0);
  if (static_cast<int64_t>(pads.size()) != 2 * sp) return InvalidArgument("pads rank mismatch");
  const std::string auto_pad = c.GetString("auto_pad", "NOTSET");
  int64_t tfl_padding = 1;  // VALID after explicit PAD
  if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    for (int64_t i = 0; i < sp; ++i) {
      const int64_t in = x[2 + i];
      const int64_t eff = (kshape[i] - 1) * dil[i] + 1;
      if (in < 0) {
        if (auto_pad == "SAME_LOWER") return Unsupported("SAME_LOWER on a dynamic dim");
        tfl_padding = 0;  // TFLite SAME puts the odd pixel at the end, as SAME_UPPER
        pads.assign(2 * sp, 0);
        break;
      }
      const int64_t outd = (in + strides[i] - 1) / strides[i];
      const int64_t total = std::max<int64_t>(0, (outd - 1) * strides[i] + eff - in);
      const int64_t small = total / 2, big = total - small;
      pads[i] = auto_pad == "SAME_UPPER" ? small : big;
      pads[i + sp] = auto_pad == "SAME_UPPER" ? big : small;
    }
  } else if (auto_pad == "VALID") {
    pads.assign(2 * sp, 0);
  } else if (auto_pad != "NOTSET") {
    return Unsupported("auto_pad '" + auto_pad + "' is not supported");
  }
  for (int64_t p : pads) {
    if (p < 0) return Unsupported("negative pads");
  }

  // NC[H]W -> N[H]WC, with H = 1 for 1-D.
  int t = c.input(0);
  if (sp == 1) {
    RNNLITE_ASSIGN_OR_RETURN(t, c.Transpose(t, {0, 2, 1}, "nwc"));
    Dims d = DimsOf(c.sg().tensors[t]);
    RNNLITE_ASSIGN_OR_RETURN(t, c.Reshape(t, {d[0], 1, d[1], d[2]}, "nhwc"));
  } else {
    RNNLITE_ASSIGN_OR_RETURN(t, c.Transpose(t, {0, 2, 3, 1}, "nhwc"));
  }
  const int64_t ph0 = sp == 2 ? pads[0] : 0, ph1 = sp == 2 ? pads[2] : 0;
  const int64_t pw0 = sp == 2 ? pads[1] : pads[0], pw1 = sp == 2 ? pads[3] : pads[1];
  Dims nhwc = DimsOf(c.sg().tensors[t]);
  if (ph0 || ph1 || pw0 || pw1) {
    Dims padded = nhwc;
    if (padded[1] >= 0) padded[1] += ph0 + ph1;
    if (padded[2] >= 0) padded[2] += pw0 + pw1;
    std::vector<int32_t> p = {0, 0, static_cast<int32_t>(ph0), static_cast<int32_t>(ph1),
                              static_cast<int32_t>(pw0), static_cast<int32_t>(pw1), 0, 0};
    HostTensor ph;
    ph.dtype = DType::kInt32;
    ph.dims = {4, 2};
    ph.bytes.resize(32);
    std::memcpy(ph.bytes.data(), p.data(), 32);
    const int padded_t = c.Temp("padded", kF32, padded);
    RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kPad, {t, c.Const("paddings", ph)}, {padded_t}));
    t = padded_t;
    nhwc = padded;
  }
  const int64_t kh = sp == 2 ? kshape[0] : 1, kw = sp == 2 ? kshape[1] : kshape[0];
  const int64_t sh = sp == 2 ? strides[0] : 1, sw = sp == 2 ? strides[1] : strides[0];
  const int64_t dh = sp == 2 ? dil[0] : 1, dw = sp == 2 ? dil[1] : dil[0];
  RNNLITE_ASSIGN_OR_RETURN(auto wv, ConstF32Values(c, 1));
  // ONNX [O, I/g, kh, kw] -> CONV_2D [O, kh, kw, I/g]; depthwise [1, kh, kw, O].
  const bool depthwise = group > 1 && group == cin;
  std::vector<float> filter(wv.size());
  for (int64_t o = 0; o < cout; ++o) {
    for (int64_t i = 0; i < cpg; ++i) {
      for (int64_t y = 0; y < kh; ++y) {
        for (int64_t xk = 0; xk < kw; ++xk) {
          const float v = wv[((o * cpg + i) * kh + y) * kw + xk];
          if (depthwise) filter[(y * kw + xk) * cout + o] = v;  // cpg == 1
          else filter[((o * kh + y) * kw + xk) * cpg + i] = v;
        }
      }
    }
  }
  const int filter_t = depthwise ? c.ConstF32("filter", filter, {1, kh, kw, cout}) : c.ConstF32("filter", filter, {cout, kh, kw, cpg});
  int bias_t = kNoTensor;
  if (c.has_input(2)) {
    RNNLITE_ASSIGN_OR_RETURN(auto bv, ConstF32Values(c, 2));
    if (static_cast<int64_t>(bv.size()) != cout) return InvalidArgument("bias has " + std::to_string(bv.size()) + " values for " + std::to_string(cout) + " channels");
    bias_t = c.ConstF32("bias", bv, {cout});
  }
  auto out_dim = [&](int64_t in, int64_t k, int64_t s, int64_t d) -> int64_t {
    if (in < 0) return -1;
    const int64_t eff = (k - 1) * d + 1;
    if (tfl_padding == 0) return (in + s - 1) / s;
    return in >= eff ? (in - eff) / s + 1 : 0;
  };
  const Dims conv_out = {nhwc[0], out_dim(nhwc[1], kh, sh, dh), out_dim(nhwc[2], kw, sw, dw), cout};
  if (conv_out[2] == 0 || conv_out[1] == 0) return InvalidArgument("the kernel is larger than the padded input");
  AttrMap a;
  a.SetInt("padding", tfl_padding);
  a.SetInt("stride_h", sh);
  a.SetInt("stride_w", sw);
  a.SetInt("dilation_h_factor", dh);
  a.SetInt("dilation_w_factor", dw);
  if (depthwise) a.SetInt("depth_multiplier", cout / cin);
  const int conv = c.Temp("conv", kF32, conv_out);
  RNNLITE_RETURN_IF_ERROR(c.Emit(depthwise ? Op::kDepthwiseConv2d : Op::kConv2d, {t, filter_t, bias_t}, {conv}, std::move(a)));
  // N[H]WC -> NC[H]W.
  if (sp == 1) {
    const int squeezed = c.Temp("nwc_out", kF32, {conv_out[0], conv_out[2], cout});
    AttrMap sq;
    sq.SetInts("squeeze_dims", {1});
    RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kSqueeze, {conv}, {squeezed}, std::move(sq)));
    return c.Emit(Op::kTranspose, {squeezed, c.ConstI32("perm_out", {0, 2, 1})},
                  {c.Output(0, kF32, {conv_out[0], cout, conv_out[2]})});
  }
  return c.Emit(Op::kTranspose, {conv, c.ConstI32("perm_out", {0, 3, 1, 2})},
                {c.Output(0, kF32, {conv_out[0], cout, conv_out[1], conv_out[2]})});
}

// Inference BatchNormalization: y = x * s + (B - mean * s), s = scale / sqrt(var + eps).
Status ConvertBatchNorm(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"epsilon", "momentum", "spatial", "training_mode"}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(5, 5));
  RNNLITE_RETURN_IF_ERROR(RequireFloat(c, 0));
  if (c.GetInt("training_mode", 0) != 0) return Unsupported("training_mode is not supported");
  if (c.num_outputs() > 1 && (c.has_output(1) || c.has_output(2))) return Unsupported("training outputs are not supported");
  const Dims x = c.dims(0);
  if (x.size() < 2 || x[1] < 0) return Unsupported("the channel dim must be static");
  const int64_t ch = x[1];
  std::vector<float> p[4];
  for (int i = 0; i < 4; ++i) {
    RNNLITE_ASSIGN_OR_RETURN(p[i], ConstF32Values(c, i + 1));
    if (static_cast<int64_t>(p[i].size()) != ch) return InvalidArgument("parameter " + std::to_string(i + 1) + " does not have one value per channel");
  }
  const double eps = c.GetFloat("epsilon", 1e-5);
  std::vector<float> s(ch), b(ch);
  for (int64_t i = 0; i < ch; ++i) {
    s[i] = static_cast<float>(p[0][i] / std::sqrt(static_cast<double>(p[3][i]) + eps));
    b[i] = static_cast<float>(p[1][i] - p[2][i] * static_cast<double>(s[i]));
  }
  Dims pd(x.size() - 1, 1);
  pd[0] = ch;
  RNNLITE_ASSIGN_OR_RETURN(int scaled, c.Binary(Op::kMul, c.input(0), c.ConstF32("scale", s, pd), kF32, x, "scaled"));
  return c.Emit(Op::kAdd, {scaled, c.ConstF32("shift", b, pd)}, {c.Output(0, kF32, x)});
}

// TFLite softmax works on the last axis.
Status ConvertSoftmaxLike(NodeContext& c, Op op) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"axis"}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 1));
  RNNLITE_RETURN_IF_ERROR(RequireFloat(c, 0));
  const Dims in = c.dims(0);
  const int64_t rank = static_cast<int64_t>(in.size());
  if (rank == 0) return InvalidArgument("input is a scalar");
  const bool legacy = c.opset() < 13;  // coerce to 2-D at axis, default 1
  int64_t axis;
  RNNLITE_RETURN_IF_ERROR(NormalizeAxis(c.GetInt("axis", legacy ? 1 : -1), rank, &axis));
  AttrMap a;
  if (op == Op::kSoftmax) a.SetFloat("beta", 1.0);
  if (axis == rank - 1) return c.Emit(op, {c.input(0)}, {c.Output(0, kF32, in)}, std::move(a));
  if (legacy) {
    // Softmax over the flattened trailing dims [axis, rank).
    const int64_t outer = Product(Dims(in.begin(), in.begin() + axis));
    const int64_t inner = Product(Dims(in.begin() + axis, in.end()));
    if (inner < 0) return Unsupported("opset < 13 softmax over dynamic trailing dims");
    RNNLITE_ASSIGN_OR_RETURN(int flat, c.Reshape(c.input(0), {outer, inner}, "flat"));
    RNNLITE_ASSIGN_OR_RETURN(int sm, c.Unary(op, flat, kF32, {outer, inner}, "softmax", std::move(a)));
    std::vector<int64_t> back(in.begin(), in.end());
    int dynamic = 0;
    for (int64_t d : back) dynamic += d < 0;
    if (dynamic > 1) return Unsupported("opset < 13 softmax with several dynamic dims");
    std::vector<int32_t> s32;
    for (int64_t d : back) s32.push_back(d < 0 ? -1 : static_cast<int32_t>(d));
    AttrMap ra;
    ra.SetInts("new_shape", std::vector<int64_t>(s32.begin(), s32.end()));
    return c.Emit(Op::kReshape, {sm, c.ConstI32("shape_back", s32)}, {c.Output(0, kF32, in)}, std::move(ra));
  }
  std::vector<int64_t> perm(rank);
  std::iota(perm.begin(), perm.end(), 0);
  std::swap(perm[axis], perm[rank - 1]);
  RNNLITE_ASSIGN_OR_RETURN(int moved, c.Transpose(c.input(0), perm, "moved"));
  RNNLITE_ASSIGN_OR_RETURN(int sm, c.Unary(op, moved, kF32, DimsOf(c.sg().tensors[moved]), "softmax", std::move(a)));
  std::vector<int32_t> p32(perm.begin(), perm.end());
  return c.Emit(Op::kTranspose, {sm, c.ConstI32("perm_back", p32)}, {c.Output(0, kF32, in)});
}

Status ConvertSoftmax(NodeContext& c) { return ConvertSoftmaxLike(c, Op::kSoftmax); }
Status ConvertLogSoftmax(NodeContext& c) { return ConvertSoftmaxLike(c, Op::kLogSoftmax); }

template <Op kOp>
Status ConvertReduce(NodeContext& c) {
  // ReduceSum takes axes as an input from opset 13, the others from 18.
  const int64_t input_from = kOp == Op::kSum ? 13 : 18;
  std::vector<int64_t> axes;
  bool noop_empty = false;
  if (c.opset() < input_from) {
    RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"axes", "keepdims"}));
    RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 1));
    axes = c.GetInts("axes");
  } else {
    RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"keepdims", "noop_with_empty_axes"}));
    RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 2));
    if (c.has_input(1)) {
      RNNLITE_ASSIGN_OR_RETURN(axes, c.ConstInts(1));
    }
    noop_empty = c.GetInt("noop_with_empty_axes", 0) != 0;
  }
  const Dims in = c.dims(0);
  const int64_t rank = static_cast<int64_t>(in.size());
  if (axes.empty()) {
    if (noop_empty) {
      c.Alias(0, c.input(0));
      return Status::Ok();
    }
    for (int64_t i = 0; i < rank; ++i) axes.push_back(i);
  }
  std::set<int64_t> red;
  for (int64_t a : axes) {
    int64_t n;
    RNNLITE_RETURN_IF_ERROR(NormalizeAxis(a, rank, &n));
    red.insert(n);
  }
  const bool keep = c.GetInt("keepdims", 1) != 0;
  Dims out;
  for (int64_t i = 0; i < rank; ++i) {
    if (!red.count(i)) out.push_back(in[i]);
    else if (keep) out.push_back(1);
  }
  std::vector<int32_t> a32(red.begin(), red.end());
  AttrMap a;
  a.SetInt("keep_dims", keep);
  return c.Emit(kOp, {c.input(0), c.ConstI32("axes", a32)}, {c.Output(0, c.dtype(0), out)}, std::move(a));
}

Status ConvertArgMax(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"axis", "keepdims", "select_last_index"}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 1));
  if (c.GetInt("select_last_index", 0) != 0) return Unsupported("select_last_index=1 is not supported");
  const Dims in = c.dims(0);
  int64_t axis;
  RNNLITE_RETURN_IF_ERROR(NormalizeAxis(c.GetInt("axis", 0), static_cast<int64_t>(in.size()), &axis));
  const bool keep = c.GetInt("keepdims", 1) != 0;
  Dims reduced = in;
  reduced.erase(reduced.begin() + axis);
  AttrMap a;
  a.SetInt("output_type", static_cast<int64_t>(DType::kInt64));
  const int axis_t = c.ConstI32("axis", {static_cast<int32_t>(axis)}, true);
  if (!keep) return c.Emit(Op::kArgMax, {c.input(0), axis_t}, {c.Output(0, DType::kInt64, reduced)}, std::move(a));
  const int arg = c.Temp("argmax", DType::kInt64, reduced);
  RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kArgMax, {c.input(0), axis_t}, {arg}, std::move(a)));
  Dims out = in;
  out[axis] = 1;
  return c.Emit(Op::kExpandDims, {arg, c.ConstI32("expand_axis", {static_cast<int32_t>(axis)}, true)},
                {c.Output(0, DType::kInt64, out)});
}

}  // namespace

void RegisterComputeConverters(ConverterTable& t) {
  t["Gemm"] = ConvertGemm;
  t["MatMul"] = ConvertMatMul;
  t["Conv"] = ConvertConv;
  t["BatchNormalization"] = ConvertBatchNorm;
  t["Softmax"] = ConvertSoftmax;
  t["LogSoftmax"] = ConvertLogSoftmax;
  t["ReduceMean"] = ConvertReduce<Op::kMean>;
  t["ReduceSum"] = ConvertReduce<Op::kSum>;
  t["ReduceMax"] = ConvertReduce<Op::kReduceMax>;
  t["ArgMax"] = ConvertArgMax;
}

}  // namespace rnnlite::onnx_import
