// ONNX ops that produce or rearrange shapes: Identity, Dropout, Constant,
// Shape, ConstantOfShape, Expand, Reshape, Flatten, Squeeze, Unsqueeze,
// Transpose, Concat, Split.
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <set>

#include "frontend/importer.h"

namespace rnnlite::onnx_import {
namespace {

Status ConvertIdentity(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 1));
  c.Alias(0, c.input(0));
  return Status::Ok();
}

// Inference: Dropout passes its input through; the mask output is unsupported.
Status ConvertDropout(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"ratio", "seed", "is_test"}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 3));
  if (c.has_input(2)) {
    auto training = c.ConstInts(2);
    if (!training.ok() || (training->size() == 1 && (*training)[0] != 0)) {
      return Unsupported("training_mode must be a constant false");
    }
  }
  if (c.has_output(1)) return Unsupported("the mask output is not supported");
  c.Alias(0, c.input(0));
  return Status::Ok();
}

Status ConvertConstant(NodeContext& c) {
  HostTensor h;
  if (c.has_attr("value")) {
    RNNLITE_RETURN_IF_ERROR(c.GetTensor("value", &h));
  } else if (c.has_attr("value_float")) {
    h.dtype = DType::kFloat32;
    WriteHostFloats({c.GetFloat("value_float", 0)}, &h);
  } else if (c.has_attr("value_floats")) {
    h.dtype = DType::kFloat32;
    auto v = c.GetFloats("value_floats");
    h.dims = {static_cast<int64_t>(v.size())};
    WriteHostFloats(v, &h);
  } else if (c.has_attr("value_int")) {
    h.dtype = DType::kInt64;
    WriteHostInts({c.GetInt("value_int", 0)}, &h);
  } else if (c.has_attr("value_ints")) {
    h.dtype = DType::kInt64;
    auto v = c.GetInts("value_ints");
    h.dims = {static_cast<int64_t>(v.size())};
    WriteHostInts(v, &h);
  } else {
    const std::string what = c.node().attribute_size() > 0 ? c.node().attribute(0).name() : "no value";
    return Unsupported("Constant with " + what + " is not supported");
  }
  const int t = c.Const("value", h);
  c.sg().tensors[t].name = c.node().output(0);
  c.Alias(0, t);
  return Status::Ok();
}

Status ConvertShape(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"start", "end"}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 1));
  const Dims d = c.dims(0);
  const int64_t rank = static_cast<int64_t>(d.size());
  int64_t start = c.GetInt("start", 0), end = c.GetInt("end", rank);
  if (start < 0) start += rank;
  if (end < 0) end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, start, rank);
  std::vector<int64_t> part;
  for (int64_t i = start; i < end; ++i) part.push_back(d[i] < 0 ? kUnknownValue : d[i]);
  if (IsStatic(d)) {
    const int t = c.ConstI64("value", part);
    c.sg().tensors[t].name = c.node().output(0);
    c.Alias(0, t);
    return Status::Ok();
  }
  AttrMap a;
  a.SetInt("out_type", static_cast<int64_t>(DType::kInt64));
  const bool whole = start == 0 && end == rank;
  const int full = whole ? c.Output(0, DType::kInt64, {rank}) : c.Temp("full", DType::kInt64, {rank});
  RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kShape, {c.input(0)}, {full}, std::move(a)));
  if (!whole) {
    const int y = c.Output(0, DType::kInt64, {end - start});
    RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kSlice, {full, c.ConstI32("begin", {static_cast<int32_t>(start)}),
                                                c.ConstI32("size", {static_cast<int32_t>(end - start)})},
                                   {y}));
  }
  c.SetPartial(0, part);
  return Status::Ok();
}

// Dims of a tensor whose shape is given by an integer vector input.
StatusOr<Dims> DimsFromShapeInput(NodeContext& c, int i) {
  const Dims sd = c.dims(i);
  if (sd.size() != 1 || sd[0] < 0) return Unsupported("shape input must be a 1-D tensor of known length");
  Dims out(sd[0], -1);
  if (auto known = c.KnownInts(i)) {
    for (size_t k = 0; k < out.size() && k < known->size(); ++k) {
      if ((*known)[k] != kUnknownValue) {
        if ((*known)[k] < 0) return InvalidArgument("shape has negative dim " + std::to_string((*known)[k]));
        // .tflite dims are int32: a larger one would wrap (found by fuzz_onnx).
        if ((*known)[k] > INT32_MAX) return Unsupported("shape dim " + std::to_string((*known)[k]) + " exceeds 2^31-1");
        out[k] = (*known)[k];
      }
    }
  }
  return out;
}

Status ConvertConstantOfShape(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"value"}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 1));
  HostTensor v;
  v.dtype = DType::kFloat32;
  WriteHostFloats({0.0}, &v);
  if (c.has_attr("value")) {
    RNNLITE_RETURN_IF_ERROR(c.GetTensor("value", &v));
    if (v.num_elements() != 1) return InvalidArgument("value must hold one element");
  }
  v.dims.clear();
  RNNLITE_ASSIGN_OR_RETURN(Dims out, DimsFromShapeInput(c, 0));
  const int y = c.Output(0, v.dtype, out);
  RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kFill, {c.input(0), c.Const("value", v)}, {y}));
  bool zero = std::all_of(v.bytes.begin(), v.bytes.end(), [](uint8_t b) { return b == 0; });
  if (zero) c.SetKnownZero(0);
  return Status::Ok();
}

// Expand(x, shape) = x + zeros(shape): ADD broadcasts both ways, as Expand does.
Status ConvertExpand(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(2, 2));
  const DType dt = c.dtype(0);
  RNNLITE_ASSIGN_OR_RETURN(Dims target, DimsFromShapeInput(c, 1));
  Dims out;
  RNNLITE_RETURN_IF_ERROR(BroadcastDims(c.dims(0), target, &out));
  if (IsStatic(out) && out == c.dims(0)) {
    c.Alias(0, c.input(0));
    return Status::Ok();
  }
  if (dt != DType::kFloat32 && dt != DType::kInt32 && dt != DType::kInt64) {
    return Unsupported("dtype " + DTypeName(dt) + " is not supported");
  }
  RNNLITE_ASSIGN_OR_RETURN(int zero, c.ConstScalar("zero", dt, 0.0));
  const int zeros = c.Temp("zeros", dt, target);
  RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kFill, {c.input(1), zero}, {zeros}));
  const bool known_zero = c.value(0).known_zero;
  RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kAdd, {c.input(0), zeros}, {c.Output(0, dt, out)}));
  if (known_zero) c.SetKnownZero(0);
  return Status::Ok();
}

// Output dims of a reshape to `target` (kUnknownValue: unknown, -1: infer).
// copy[i] marks entries that repeat input dim i; they cancel against it when
// the -1 entry is inferred, so [T, B, 2, H] -> [0, 0, -1] gives [T, B, 2H]
// even with T and B dynamic.
Dims ReshapeDims(const Dims& in, const std::vector<int64_t>& target, const std::vector<bool>& copy) {
  Dims out;
  int infer = -1;
  int64_t out_rest = 1, in_rest = 1;
  bool rest_static = true;
  for (size_t i = 0; i < target.size(); ++i) {
    const int64_t t = target[i];
    if (t == -1) {
      infer = static_cast<int>(i);
      out.push_back(-1);
    } else if (copy[i]) {
      out.push_back(in[i]);
    } else if (t == kUnknownValue || t < 0) {
      out.push_back(-1);
      rest_static = false;
    } else {
      out.push_back(t);
      // A hostile target can overflow the product; the inferred dim then
      // stays unknown (the reshape kernel refuses it at run time).
      if (__builtin_mul_overflow(out_rest, t, &out_rest)) rest_static = false;
    }
  }
  for (size_t i = 0; i < in.size(); ++i) {
    if (i < copy.size() && copy[i]) continue;
    if (in[i] < 0) rest_static = false;
    else if (__builtin_mul_overflow(in_rest, in[i], &in_rest)) rest_static = false;
  }
  if (infer >= 0 && rest_static && out_rest > 0) out[infer] = in_rest / out_rest;
  return out;
}

// Reshape to `target` where 0 means "copy input dim i" (allowzero = 0).
Status EmitReshape(NodeContext& c, int x, std::vector<int64_t> target, bool allowzero, int runtime_shape) {
  const Dims in = DimsOf(c.sg().tensors[x]);
  std::vector<bool> copy_dim(target.size(), false);
  for (size_t i = 0; i < target.size(); ++i) {
    if (target[i] == 0 && !allowzero) {
      if (i >= in.size()) return InvalidArgument("shape copies dim " + std::to_string(i) + " the input lacks");
      copy_dim[i] = true;
      target[i] = in[i] < 0 ? kUnknownValue : in[i];
    }
  }
  const Dims out = ReshapeDims(in, target, copy_dim);
  const DType dt = c.dtype(0);
  // [A, C, D, H] -> [A, C, D*H]: the glue after bidirectional recurrent
  // layers, which the output-layout pass looks for even when the shape is
  // assembled at run time.
  if (in.size() == 4 && out.size() == 3 && in[2] >= 0 && in[3] >= 0 && out[2] == in[2] * in[3] &&
      (copy_dim[0] || (in[0] >= 0 && out[0] == in[0])) && (copy_dim[1] || (in[1] >= 0 && out[1] == in[1]))) {
    c.MarkMergesLastTwo(c.input(0));
  }
  int open = 0;
  for (int64_t t : target) open += (t == -1 || t == kUnknownValue) ? 1 : 0;
  int shape_t;
  AttrMap attrs;
  if (open <= 1) {
    std::vector<int32_t> s32;
    for (int64_t t : target) s32.push_back(t == kUnknownValue ? -1 : static_cast<int32_t>(t));
    attrs.SetInts("new_shape", std::vector<int64_t>(s32.begin(), s32.end()));
    shape_t = c.ConstI32("shape", s32);
  } else {
    // Assemble the shape at run time: constants, copied input dims and the
    // unknown entries of the model's own shape tensor.
    int x_shape = kNoTensor;
    std::vector<int> pieces;
    for (size_t i = 0; i < target.size(); ++i) {
      const std::string tag = "dim" + std::to_string(i);
      if (target[i] != kUnknownValue) {
        pieces.push_back(c.ConstI64(tag, {target[i]}));
        continue;
      }
      int src = runtime_shape;
      if (copy_dim[i]) {
        if (x_shape < 0) {
          x_shape = c.Temp("input_shape", DType::kInt64, {static_cast<int64_t>(in.size())});
          AttrMap a;
          a.SetInt("out_type", static_cast<int64_t>(DType::kInt64));
          RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kShape, {x}, {x_shape}, std::move(a)));
        }
        src = x_shape;
      }
      if (src < 0) return Unsupported("cannot determine the reshape target");
      if (c.sg().tensors[src].dtype != DType::kInt64) return Unsupported("shape must be int64");
      const int piece = c.Temp(tag, DType::kInt64, {1});
      RNNLITE_RETURN_IF_ERROR(c.Emit(
          Op::kSlice, {src, c.ConstI32(tag + "_begin", {static_cast<int32_t>(i)}), c.ConstI32(tag + "_size", {1})},
          {piece}));
      pieces.push_back(piece);
    }
    shape_t = c.Temp("shape", DType::kInt64, {static_cast<int64_t>(target.size())});
    AttrMap a;
    a.SetInt("axis", 0);
    RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kConcatenation, pieces, {shape_t}, std::move(a)));
  }
  const int y = c.Output(0, dt, out);
  RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kReshape, {x, shape_t}, {y}, std::move(attrs)));
  if (c.value(0).has_partial && out.size() <= 1) c.SetPartial(0, c.value(0).partial);
  return Status::Ok();
}

Status ConvertReshape(NodeContext& c) {
  std::vector<int64_t> target;
  int runtime = kNoTensor;
  bool allowzero = false;
  if (c.opset() < 5) {
    RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"shape"}));
    target = c.GetInts("shape");
  } else {
    RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"allowzero"}));
    RNNLITE_RETURN_IF_ERROR(c.RequireInputs(2, 2));
    allowzero = c.GetInt("allowzero", 0) != 0;
    const Dims sd = c.dims(1);
    if (sd.size() != 1 || sd[0] < 0) return Unsupported("shape input must be a 1-D tensor of known length");
    auto known = c.KnownInts(1);
    target = known ? *known : std::vector<int64_t>(sd[0], kUnknownValue);
    if (!c.is_const(1)) runtime = c.input(1);
  }
  // .tflite dims are int32: a larger one would wrap (found by fuzz_onnx).
  for (int64_t t : target) {
    if (t != kUnknownValue && t > INT32_MAX) return Unsupported("shape dim " + std::to_string(t) + " exceeds 2^31-1");
  }
  return EmitReshape(c, c.input(0), target, allowzero, runtime);
}

Status ConvertFlatten(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"axis"}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 1));
  const Dims in = c.dims(0);
  const int64_t rank = static_cast<int64_t>(in.size());
  int64_t axis = c.GetInt("axis", 1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis > rank) return InvalidArgument("axis " + std::to_string(c.GetInt("axis", 1)) + " is out of range");
  const int64_t outer = Product(Dims(in.begin(), in.begin() + axis));
  const int64_t inner = Product(Dims(in.begin() + axis, in.end()));
  if (outer < 0 && inner < 0) return Unsupported("both flattened parts have dynamic dims");
  return EmitReshape(c, c.input(0), {outer < 0 ? -1 : outer, inner < 0 ? -1 : inner}, true, kNoTensor);
}

// Axes from the attribute (before `input_from`) or from input 1.
StatusOr<std::optional<std::vector<int64_t>>> AxesOf(NodeContext& c, int64_t input_from) {
  if (c.opset() < input_from) {
    RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"axes"}));
    if (!c.has_attr("axes")) return std::optional<std::vector<int64_t>>();
    return std::optional<std::vector<int64_t>>(c.GetInts("axes"));
  }
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({}));
  if (!c.has_input(1)) return std::optional<std::vector<int64_t>>();
  RNNLITE_ASSIGN_OR_RETURN(auto axes, c.ConstInts(1));
  return std::optional<std::vector<int64_t>>(axes);
}

Status ConvertSqueeze(NodeContext& c) {
  RNNLITE_ASSIGN_OR_RETURN(auto axes, AxesOf(c, 13));
  const Dims in = c.dims(0);
  const int64_t rank = static_cast<int64_t>(in.size());
  std::set<int64_t> drop;
  if (axes) {
    for (int64_t a : *axes) {
      int64_t n;
      RNNLITE_RETURN_IF_ERROR(NormalizeAxis(a, rank, &n));
      if (in[n] > 1 || in[n] == 0) return InvalidArgument("cannot squeeze dim " + std::to_string(n) + " of size " + std::to_string(in[n]));
      drop.insert(n);
    }
  } else {
    for (int64_t i = 0; i < rank; ++i) {
      if (in[i] < 0) return Unsupported("Squeeze without axes on a dynamic dim");
      if (in[i] == 1) drop.insert(i);
    }
  }
  Dims out;
  for (int64_t i = 0; i < rank; ++i) {
    if (!drop.count(i)) out.push_back(in[i]);
  }
  AttrMap a;
  a.SetInts("squeeze_dims", std::vector<int64_t>(drop.begin(), drop.end()));
  RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kSqueeze, {c.input(0)}, {c.Output(0, c.dtype(0), out)}, std::move(a)));
  if (c.value(0).has_partial) c.SetPartial(0, c.value(0).partial);
  return Status::Ok();
}

Status ConvertUnsqueeze(NodeContext& c) {
  RNNLITE_ASSIGN_OR_RETURN(auto axes, AxesOf(c, 13));
  if (!axes) return InvalidArgument("Unsqueeze needs axes");
  const Dims in = c.dims(0);
  const int64_t out_rank = static_cast<int64_t>(in.size() + axes->size());
  std::set<int64_t> add;
  for (int64_t a : *axes) {
    int64_t n;
    RNNLITE_RETURN_IF_ERROR(NormalizeAxis(a, out_rank, &n));
    if (!add.insert(n).second) return InvalidArgument("axis " + std::to_string(a) + " repeats");
  }
  Dims out;
  size_t k = 0;
  for (int64_t i = 0; i < out_rank; ++i) out.push_back(add.count(i) ? 1 : in[k++]);
  const DType dt = c.dtype(0);
  const int dynamic = static_cast<int>(std::count(out.begin(), out.end(), -1));
  if (dynamic <= 1) {
    std::vector<int32_t> s32;
    for (int64_t d : out) s32.push_back(static_cast<int32_t>(d));
    AttrMap a;
    a.SetInts("new_shape", std::vector<int64_t>(s32.begin(), s32.end()));
    RNNLITE_RETURN_IF_ERROR(
        c.Emit(Op::kReshape, {c.input(0), c.ConstI32("shape", s32)}, {c.Output(0, dt, out)}, std::move(a)));
  } else {
    // EXPAND_DIMS one axis at a time (ascending, so later axes stay valid).
    int x = c.input(0);
    Dims cur = in;
    size_t step = 0;
    for (int64_t axis : add) {
      cur.insert(cur.begin() + axis, 1);
      const bool last = ++step == add.size();
      const int y = last ? c.Output(0, dt, cur) : c.Temp("expand" + std::to_string(axis), dt, cur);
      RNNLITE_RETURN_IF_ERROR(
          c.Emit(Op::kExpandDims, {x, c.ConstI32("axis" + std::to_string(axis), {static_cast<int32_t>(axis)}, true)}, {y}));
      x = y;
    }
  }
  if (c.value(0).has_partial && out.size() <= 1) c.SetPartial(0, c.value(0).partial);
  return Status::Ok();
}

Status ConvertTranspose(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"perm"}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 1));
  const Dims in = c.dims(0);
  std::vector<int64_t> perm = c.GetInts("perm");
  if (perm.empty()) {
    for (int64_t i = static_cast<int64_t>(in.size()) - 1; i >= 0; --i) perm.push_back(i);
  }
  if (perm.size() != in.size()) return InvalidArgument("perm has " + std::to_string(perm.size()) + " entries for rank " + std::to_string(in.size()));
  std::vector<bool> seen(in.size(), false);
  Dims out;
  std::vector<int32_t> p32;
  for (int64_t p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(in.size()) || seen[p]) return InvalidArgument("perm is not a permutation");
    seen[p] = true;
    out.push_back(in[p]);
    p32.push_back(static_cast<int32_t>(p));
  }
  return c.Emit(Op::kTranspose, {c.input(0), c.ConstI32("perm", p32)}, {c.Output(0, c.dtype(0), out)});
}

Status ConvertConcat(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"axis"}));
  if (c.num_inputs() < 1) return InvalidArgument("needs at least one input");
  const Dims first = c.dims(0);
  const int64_t rank = static_cast<int64_t>(first.size());
  if (rank == 0) return InvalidArgument("cannot concatenate scalars");
  int64_t axis;
  RNNLITE_RETURN_IF_ERROR(NormalizeAxis(c.GetInt("axis", 0), rank, &axis));
  Dims out = first;
  std::vector<int> inputs;
  std::vector<int64_t> partial;
  bool track = rank == 1;
  for (int i = 0; i < c.num_inputs(); ++i) {
    if (!c.has_input(i)) continue;
    const Dims d = c.dims(i);
    if (static_cast<int64_t>(d.size()) != rank) return InvalidArgument("inputs have different ranks");
    if (c.dtype(i) != c.dtype(0)) return InvalidArgument("inputs have different dtypes");
    if (i > 0) out[axis] = (out[axis] < 0 || d[axis] < 0) ? -1 : out[axis] + d[axis];
    for (int64_t k = 0; k < rank; ++k) {
      if (k != axis && out[k] < 0) out[k] = d[k];
    }
    inputs.push_back(c.input(i));
    if (track) {
      if (auto known = c.KnownInts(i)) partial.insert(partial.end(), known->begin(), known->end());
      else track = false;
    }
  }
  if (inputs.size() == 1) {
    c.Alias(0, inputs[0]);
    return Status::Ok();
  }
  AttrMap a;
  a.SetInt("axis", axis);
  RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kConcatenation, inputs, {c.Output(0, c.dtype(0), out)}, std::move(a)));
  if (track) c.SetPartial(0, partial);
  return Status::Ok();
}

Status ConvertSplit(NodeContext& c) {
  std::vector<int64_t> sizes;
  if (c.opset() < 13) {
    RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"axis", "split"}));
    RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 1));
    sizes = c.GetInts("split");
  } else {
    RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"axis", "num_outputs"}));
    RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 2));
    if (c.has_input(1)) {
      RNNLITE_ASSIGN_OR_RETURN(sizes, c.ConstInts(1));
    }
  }
  const Dims in = c.dims(0);
  int64_t axis;
  RNNLITE_RETURN_IF_ERROR(NormalizeAxis(c.GetInt("axis", 0), static_cast<int64_t>(in.size()), &axis));
  const int n = c.num_outputs();
  if (n < 1) return InvalidArgument("needs at least one output");
  if (sizes.empty() && in[axis] >= 0 && in[axis] % n != 0) {
    // opset 18 num_outputs: ceil-sized chunks, the last one smaller.
    const int64_t chunk = (in[axis] + n - 1) / n;
    for (int i = 0; i < n; ++i) sizes.push_back(std::min<int64_t>(chunk, in[axis] - chunk * i));
  }
  if (!sizes.empty() && static_cast<int>(sizes.size()) != n) {
    return InvalidArgument("split has " + std::to_string(sizes.size()) + " sizes for " + std::to_string(n) + " outputs");
  }
  std::vector<int> outs;
  for (int i = 0; i < n; ++i) {
    Dims d = in;
    d[axis] = sizes.empty() ? (in[axis] < 0 ? -1 : in[axis] / n) : sizes[i];
    outs.push_back(c.has_output(i) ? c.Output(i, c.dtype(0), d) : c.Temp("unused" + std::to_string(i), c.dtype(0), d));
  }
  AttrMap a;
  a.SetInt("num_splits", n);
  const int axis_t = c.ConstI32("axis", {static_cast<int32_t>(axis)}, true);
  if (sizes.empty()) return c.Emit(Op::kSplit, {axis_t, c.input(0)}, outs, std::move(a));
  std::vector<int32_t> s32(sizes.begin(), sizes.end());
  return c.Emit(Op::kSplitV, {c.input(0), c.ConstI32("sizes", s32), axis_t}, outs, std::move(a));
}

}  // namespace

void RegisterShapeConverters(ConverterTable& t) {
  t["Identity"] = ConvertIdentity;
  t["Dropout"] = ConvertDropout;
  t["Constant"] = ConvertConstant;
  t["Shape"] = ConvertShape;
  t["ConstantOfShape"] = ConvertConstantOfShape;
  t["Expand"] = ConvertExpand;
  t["Reshape"] = ConvertReshape;
  t["Flatten"] = ConvertFlatten;
  t["Squeeze"] = ConvertSqueeze;
  t["Unsqueeze"] = ConvertUnsqueeze;
  t["Transpose"] = ConvertTranspose;
  t["Concat"] = ConvertConcat;
  t["Split"] = ConvertSplit;
}

}  // namespace rnnlite::onnx_import
