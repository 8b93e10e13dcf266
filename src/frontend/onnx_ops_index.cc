// ONNX ops that select or pad by index: Slice, Gather, Pad.
#include <algorithm>
#include <climits>
#include <limits>

#include "frontend/importer.h"

namespace rnnlite::onnx_import {
namespace {

int32_t Saturate(int64_t v) { return static_cast<int32_t>(std::clamp<int64_t>(v, INT32_MIN, INT32_MAX)); }

Status ConvertSlice(NodeContext& c) {
  std::vector<int64_t> starts, ends, axes, steps;
  if (c.opset() < 10) {
    RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"starts", "ends", "axes"}));
    RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 1));
    starts = c.GetInts("starts");
    ends = c.GetInts("ends");
    axes = c.GetInts("axes");
  } else {
    RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({}));
    RNNLITE_RETURN_IF_ERROR(c.RequireInputs(3, 5));
    RNNLITE_ASSIGN_OR_RETURN(starts, c.ConstInts(1));
    RNNLITE_ASSIGN_OR_RETURN(ends, c.ConstInts(2));
    if (c.has_input(3)) {
      RNNLITE_ASSIGN_OR_RETURN(axes, c.ConstInts(3));
    }
    if (c.has_input(4)) {
      RNNLITE_ASSIGN_OR_RETURN(steps, c.ConstInts(4));
    }
  }
  const Dims in = c.dims(0);
  const int64_t rank = static_cast<int64_t>(in.size());
  if (axes.empty()) {
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  }
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size()) {
    return InvalidArgument("starts, ends, axes and steps have different lengths");
  }
  std::vector<int32_t> begin(rank, 0), end(rank, 0), stride(rank, 1);
  int64_t begin_mask = 0, end_mask = 0;
  std::vector<bool> sliced(rank, false);
  Dims out = in;
  for (size_t k = 0; k < axes.size(); ++k) {
    int64_t a;
    RNNLITE_RETURN_IF_ERROR(NormalizeAxis(axes[k], rank, &a));
    if (sliced[a]) return InvalidArgument("axis " + std::to_string(axes[k]) + " repeats");
    sliced[a] = true;
    int64_t s = starts[k], e = ends[k];
    const int64_t st = steps[k];
    if (st == 0) return InvalidArgument("step is 0");
    if (st < INT32_MIN || st > INT32_MAX) return Unsupported("step out of int32 range");
    stride[a] = static_cast<int32_t>(st);
    const int64_t d = in[a];
    if (d >= 0) {
      // ONNX clamping, resolved here so the TFLite op sees plain indices.
      if (s < 0) s += d;
      if (e < 0) e += d;
      if (st > 0) {
        s = std::clamp<int64_t>(s, 0, d);
        e = std::clamp<int64_t>(e, 0, d);
        out[a] = e > s ? (e - s + st - 1) / st : 0;
      } else {
        s = std::clamp<int64_t>(s, 0, d > 0 ? d - 1 : 0);
        e = std::clamp<int64_t>(e, -1, d > 0 ? d - 1 : -1);
        out[a] = s > e ? (s - e + (-st) - 1) / (-st) : 0;
      }
      begin[a] = static_cast<int32_t>(s);
      if (st < 0 && e < 0) end_mask |= int64_t{1} << a;  // through index 0
      else end[a] = static_cast<int32_t>(e);
    } else {
      // Dynamic dim: TFLite wraps negatives once and clamps exactly as ONNX.
      begin[a] = Saturate(s);
      end[a] = Saturate(e);
      if (st > 0 && e >= INT32_MAX) end_mask |= int64_t{1} << a;
      if (st < 0 && e <= INT32_MIN) end_mask |= int64_t{1} << a;
      out[a] = -1;
    }
  }
  for (int64_t a = 0; a < rank; ++a) {
    if (!sliced[a]) {
      begin_mask |= int64_t{1} << a;
      end_mask |= int64_t{1} << a;
    }
  }
  if (out == in && std::all_of(stride.begin(), stride.end(), [](int32_t s) { return s == 1; }) && IsStatic(in)) {
    c.Alias(0, c.input(0));
    return Status::Ok();
  }
  AttrMap a;
  a.SetInt("begin_mask", begin_mask);
  a.SetInt("end_mask", end_mask);
  RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kStridedSlice,
                                 {c.input(0), c.ConstI32("begin", begin), c.ConstI32("end", end),
                                  c.ConstI32("strides", stride)},
                                 {c.Output(0, c.dtype(0), out)}, std::move(a)));
  // Slices of shape vectors keep their known entries.
  if (rank == 1 && c.value(0).has_partial && in[0] >= 0 && out[0] >= 0) {
    const auto& p = c.value(0).partial;
    std::vector<int64_t> part;
    for (int64_t i = 0, pos = begin[0]; i < out[0]; ++i, pos += stride[0]) {
      if (pos < 0 || pos >= static_cast<int64_t>(p.size())) return Status::Ok();
      part.push_back(p[pos]);
    }
    c.SetPartial(0, part);
  }
  return Status::Ok();
}

Status ConvertGather(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"axis"}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(2, 2));
  const Dims data = c.dims(0);
  int64_t axis;
  RNNLITE_RETURN_IF_ERROR(NormalizeAxis(c.GetInt("axis", 0), static_cast<int64_t>(data.size()), &axis));
  const Dims idx_dims = c.dims(1);
  Dims out(data.begin(), data.begin() + axis);
  out.insert(out.end(), idx_dims.begin(), idx_dims.end());
  out.insert(out.end(), data.begin() + axis + 1, data.end());
  int indices = c.input(1);
  std::vector<int64_t> idx;
  if (c.is_const(1)) {
    RNNLITE_ASSIGN_OR_RETURN(idx, c.ConstInts(1));
    const int64_t d = data[axis];
    std::vector<int32_t> i32;
    for (int64_t& v : idx) {
      if (v < 0) {
        if (d < 0) return Unsupported("negative index on a dynamic dim");
        v += d;
      }
      if (v < 0 || (d >= 0 && v >= d)) return InvalidArgument("index " + std::to_string(v) + " is out of range");
      i32.push_back(static_cast<int32_t>(v));
    }
    HostTensor h;
    h.dtype = DType::kInt32;
    h.dims = idx_dims;
    h.bytes.resize(i32.size() * 4);
    if (!i32.empty()) std::memcpy(h.bytes.data(), i32.data(), h.bytes.size());
    indices = c.Const("indices", h);
  } else if (c.dtype(1) != DType::kInt32 && c.dtype(1) != DType::kInt64) {
    return Unsupported("indices must be int32 or int64");
  }
  AttrMap a;
  a.SetInt("axis", axis);
  RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kGather, {c.input(0), indices}, {c.Output(0, c.dtype(0), out)}, std::move(a)));
  if (data.size() == 1 && c.value(0).has_partial && c.is_const(1) && idx_dims.size() <= 1) {
    std::vector<int64_t> part;
    for (int64_t v : idx) {
      if (v >= static_cast<int64_t>(c.value(0).partial.size())) return Status::Ok();
      part.push_back(c.value(0).partial[v]);
    }
    c.SetPartial(0, part);
  }
  return Status::Ok();
}

// reflect / edge padding of one axis as a GATHER with a fixed index list.
StatusOr<int> PadAxisByGather(NodeContext& c, int x, int64_t axis, int64_t before, int64_t after, bool reflect) {
  Dims d = DimsOf(c.sg().tensors[x]);
  const int64_t n = d[axis];
  if (n < 0) return Unsupported("reflect/edge padding of a dynamic dim");
  if (n == 0) return InvalidArgument("cannot pad an empty dim by reflection");
  if (reflect && (before > n - 1 || after > n - 1)) {
    return InvalidArgument("reflect padding larger than the dim minus one");
  }
  // The index list is a constant of the output model, one entry per padded
  // element: a hostile pad must not make it (or the time to fill it) huge.
  constexpr int64_t kMaxPaddedDim = int64_t{1} << 24;
  if (n > kMaxPaddedDim || before > kMaxPaddedDim - n || after > kMaxPaddedDim - n - before) {
    return Unsupported("reflect/edge padding to a dim above " + std::to_string(kMaxPaddedDim));
  }
  std::vector<int32_t> idx;
  for (int64_t i = -before; i < n + after; ++i) {
    int64_t j = i;
    if (reflect) j = i < 0 ? -i : (i >= n ? 2 * (n - 1) - i : i);
    else j = std::clamp<int64_t>(i, 0, n - 1);
    idx.push_back(static_cast<int32_t>(j));
  }
  d[axis] = n + before + after;
  const std::string tag = "pad_axis" + std::to_string(axis);
  const int y = c.Temp(tag, c.sg().tensors[x].dtype, d);
  AttrMap a;
  a.SetInt("axis", axis);
  RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kGather, {x, c.ConstI32(tag + "_indices", idx)}, {y}, std::move(a)));
  return y;
}

Status ConvertPad(NodeContext& c) {
  std::vector<int64_t> pads;
  std::string mode;
  double value = 0.0;
  int value_t = kNoTensor;
  const Dims in = c.dims(0);
  const int64_t rank = static_cast<int64_t>(in.size());
  std::vector<int64_t> axes;
  if (c.opset() < 11) {
    RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"pads", "mode", "value"}));
    RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 1));
    pads = c.GetInts("pads");
    value = c.GetFloat("value", 0.0);
  } else {
    RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"mode"}));
    RNNLITE_RETURN_IF_ERROR(c.RequireInputs(2, 4));
    RNNLITE_ASSIGN_OR_RETURN(pads, c.ConstInts(1));
    if (c.has_input(2)) {
      if (c.is_const(2)) {
        RNNLITE_ASSIGN_OR_RETURN(auto v, c.ConstFloats(2));
        if (v.size() > 1) return InvalidArgument("constant_value must be a scalar");
        if (!v.empty()) value = v[0];
      } else {
        value_t = c.input(2);
      }
    }
    if (c.has_input(3)) {
      RNNLITE_ASSIGN_OR_RETURN(axes, c.ConstInts(3));
    }
  }
  mode = c.GetString("mode", "constant");
  if (axes.empty()) {
    for (int64_t i = 0; i < rank; ++i) axes.push_back(i);
  }
  if (pads.size() != 2 * axes.size()) {
    return InvalidArgument("pads has " + std::to_string(pads.size()) + " entries, expected " + std::to_string(2 * axes.size()));
  }
  std::vector<int64_t> before(rank, 0), after(rank, 0);
  for (size_t k = 0; k < axes.size(); ++k) {
    int64_t a;
    RNNLITE_RETURN_IF_ERROR(NormalizeAxis(axes[k], rank, &a));
    before[a] = pads[k];
    after[a] = pads[k + axes.size()];
    if (before[a] < 0 || after[a] < 0) return Unsupported("negative pads (cropping) are not supported");
  }
  // .tflite dims are int32; checking here also keeps the sums from overflowing.
  constexpr int64_t kMaxDim = std::numeric_limits<int32_t>::max();
  Dims out = in;
  for (int64_t a = 0; a < rank; ++a) {
    if (before[a] > kMaxDim || after[a] > kMaxDim - before[a] ||
        (out[a] >= 0 && out[a] > kMaxDim - before[a] - after[a])) {
      return Unsupported("padding axis " + std::to_string(a) + " gives a dim above 2^31-1");
    }
    if (out[a] >= 0) out[a] += before[a] + after[a];
  }
  if (mode == "reflect" || mode == "edge") {
    int x = c.input(0);
    std::vector<int64_t> padded;
    for (int64_t a = 0; a < rank; ++a) {
      if (before[a] || after[a]) padded.push_back(a);
    }
    if (padded.empty()) {
      c.Alias(0, x);
      return Status::Ok();
    }
    for (size_t k = 0; k < padded.size(); ++k) {
      RNNLITE_ASSIGN_OR_RETURN(x, PadAxisByGather(c, x, padded[k], before[padded[k]], after[padded[k]], mode == "reflect"));
    }
    // The last gather's result is the output value.
    c.Alias(0, x);
    c.sg().tensors[x].name = c.node().output(0);
    return Status::Ok();
  }
  if (mode != "constant") return Unsupported("mode '" + mode + "' is not supported (constant, reflect, edge)");
  std::vector<int32_t> p32;
  for (int64_t a = 0; a < rank; ++a) {
    p32.push_back(static_cast<int32_t>(before[a]));
    p32.push_back(static_cast<int32_t>(after[a]));
  }
  HostTensor ph;
  ph.dtype = DType::kInt32;
  ph.dims = {rank, 2};
  ph.bytes.resize(p32.size() * 4);
  if (!p32.empty()) std::memcpy(ph.bytes.data(), p32.data(), ph.bytes.size());
  const int paddings = c.Const("paddings", ph);
  const int y = c.Output(0, c.dtype(0), out);
  if (value_t < 0 && value == 0.0) return c.Emit(Op::kPad, {c.input(0), paddings}, {y});
  if (value_t < 0) {
    RNNLITE_ASSIGN_OR_RETURN(value_t, c.ConstScalar("value", c.dtype(0), value));
  }
  return c.Emit(Op::kPadv2, {c.input(0), paddings, value_t}, {y});
}

}  // namespace

void RegisterIndexConverters(ConverterTable& t) {
  t["Slice"] = ConvertSlice;
  t["Gather"] = ConvertGather;
  t["Pad"] = ConvertPad;
}

}  // namespace rnnlite::onnx_import
