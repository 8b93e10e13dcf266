// Element-wise ONNX ops: arithmetic with numpy broadcasting, activations,
// Clip and Cast.
#include <cmath>
#include <limits>

#include "frontend/importer.h"

namespace rnnlite::onnx_import {
namespace {

bool ArithmeticDType(DType t) { return t == DType::kFloat32 || t == DType::kInt32 || t == DType::kInt64; }

Status CheckFloat(NodeContext& c, int i) {
  if (c.dtype(i) != DType::kFloat32) {
    return Unsupported("input " + std::to_string(i) + " has dtype " + DTypeName(c.dtype(i)) + "; only float32 is supported");
  }
  return Status::Ok();
}

// Casts a constant operand to `dtype` (folds immediately); other operands
// with a different dtype are an error.
StatusOr<int> OperandAs(NodeContext& c, int i, DType dtype) {
  if (c.dtype(i) == dtype) return c.input(i);
  if (!c.is_const(i)) {
    return Unsupported("inputs have different dtypes (" + DTypeName(c.dtype(0)) + ", " + DTypeName(c.dtype(i)) + ")");
  }
  AttrMap a;
  a.SetInt("in_data_type", static_cast<int64_t>(c.dtype(i)));
  a.SetInt("out_data_type", static_cast<int64_t>(dtype));
  return c.Unary(Op::kCast, c.input(i), dtype, c.dims(i), "cast" + std::to_string(i), std::move(a));
}

template <Op kOp>
Status ConvertBinary(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(2, 2));
  const DType dt = c.dtype(0);
  if (!ArithmeticDType(dt)) return Unsupported("dtype " + DTypeName(dt) + " is not supported (float32, int32, int64)");
  // Pow may raise to an exponent of another type (opset 12+).
  RNNLITE_ASSIGN_OR_RETURN(int b, OperandAs(c, 1, dt));
  Dims out;
  RNNLITE_RETURN_IF_ERROR(BroadcastDims(c.dims(0), c.dims(1), &out));
  const int y = c.Output(0, dt, out);
  return c.Emit(kOp, {c.input(0), b}, {y});
}

// Max / Min / Sum with any number of inputs: a chain of binary ops.
template <Op kOp>
Status ConvertVariadic(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({}));
  if (c.num_inputs() < 1) return InvalidArgument("needs at least one input");
  const DType dt = c.dtype(0);
  if (!ArithmeticDType(dt)) return Unsupported("dtype " + DTypeName(dt) + " is not supported (float32, int32, int64)");
  if (c.num_inputs() == 1) {
    c.Alias(0, c.input(0));
    return Status::Ok();
  }
  int acc = c.input(0);
  Dims acc_dims = c.dims(0);
  for (int i = 1; i < c.num_inputs(); ++i) {
    RNNLITE_ASSIGN_OR_RETURN(int b, OperandAs(c, i, dt));
    Dims out;
    RNNLITE_RETURN_IF_ERROR(BroadcastDims(acc_dims, c.dims(i), &out));
    const int y = i + 1 == c.num_inputs() ? c.Output(0, dt, out) : c.Temp("acc" + std::to_string(i), dt, out);
    RNNLITE_RETURN_IF_ERROR(c.Emit(kOp, {acc, b}, {y}));
    acc = y;
    acc_dims = out;
  }
  return Status::Ok();
}

template <Op kOp>
Status ConvertUnaryFloat(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 1));
  RNNLITE_RETURN_IF_ERROR(CheckFloat(c, 0));
  const int y = c.Output(0, DType::kFloat32, c.dims(0));
  return c.Emit(kOp, {c.input(0)}, {y});
}

// Abs and Neg also take integers.
template <Op kOp>
Status ConvertUnaryNumeric(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 1));
  if (!ArithmeticDType(c.dtype(0))) return Unsupported("dtype " + DTypeName(c.dtype(0)) + " is not supported");
  const int y = c.Output(0, c.dtype(0), c.dims(0));
  return c.Emit(kOp, {c.input(0)}, {y});
}

Status ConvertRelu(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 1));
  RNNLITE_RETURN_IF_ERROR(CheckFloat(c, 0));
  return c.Emit(Op::kRelu, {c.input(0)}, {c.Output(0, DType::kFloat32, c.dims(0))});
}

Status ConvertLeakyRelu(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"alpha"}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 1));
  RNNLITE_RETURN_IF_ERROR(CheckFloat(c, 0));
  AttrMap a;
  a.SetFloat("alpha", static_cast<float>(c.GetFloat("alpha", 0.01)));
  return c.Emit(Op::kLeakyRelu, {c.input(0)}, {c.Output(0, DType::kFloat32, c.dims(0))}, std::move(a));
}

// TFLite ELU has alpha 1; other alphas: relu(x) + alpha * elu(min(x, 0)).
Status ConvertElu(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"alpha"}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 1));
  RNNLITE_RETURN_IF_ERROR(CheckFloat(c, 0));
  const float alpha = static_cast<float>(c.GetFloat("alpha", 1.0));
  const Dims d = c.dims(0);
  if (alpha == 1.0f) return c.Emit(Op::kElu, {c.input(0)}, {c.Output(0, DType::kFloat32, d)});
  const int zero = c.ConstF32("zero", {0.0f}, {});
  RNNLITE_ASSIGN_OR_RETURN(int neg, c.Binary(Op::kMinimum, c.input(0), zero, DType::kFloat32, d, "neg"));
  RNNLITE_ASSIGN_OR_RETURN(int elu, c.Unary(Op::kElu, neg, DType::kFloat32, d, "elu"));
  RNNLITE_ASSIGN_OR_RETURN(int scaled, c.Binary(Op::kMul, elu, c.ConstF32("alpha", {alpha}, {}), DType::kFloat32, d, "scaled"));
  RNNLITE_ASSIGN_OR_RETURN(int pos, c.Unary(Op::kRelu, c.input(0), DType::kFloat32, d, "pos"));
  return c.Emit(Op::kAdd, {pos, scaled}, {c.Output(0, DType::kFloat32, d)});
}

Status ConvertReciprocal(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 1));
  RNNLITE_RETURN_IF_ERROR(CheckFloat(c, 0));
  return c.Emit(Op::kDiv, {c.ConstF32("one", {1.0f}, {}), c.input(0)}, {c.Output(0, DType::kFloat32, c.dims(0))});
}

// Clip: bounds from attributes (opset < 11) or optional inputs.
Status ConvertClip(NodeContext& c) {
  const DType dt = c.dtype(0);
  if (!ArithmeticDType(dt)) return Unsupported("dtype " + DTypeName(dt) + " is not supported");
  const Dims d = c.dims(0);
  int bound_t[2] = {kNoTensor, kNoTensor};  // lower, upper as tensors
  double bound_v[2] = {0.0, 0.0};
  bool has_v[2] = {false, false};
  if (c.opset() < 11) {
    RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"min", "max"}));
    RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 1));
    const char* names[2] = {"min", "max"};
    for (int k = 0; k < 2; ++k) {
      has_v[k] = c.has_attr(names[k]);
      bound_v[k] = c.GetFloat(names[k], 0.0);
    }
  } else {
    RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({}));
    RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 3));
    for (int k = 0; k < 2; ++k) {
      if (!c.has_input(k + 1)) continue;
      if (c.is_const(k + 1)) {
        RNNLITE_ASSIGN_OR_RETURN(auto v, c.ConstFloats(k + 1));
        if (v.size() != 1) return InvalidArgument("min/max must be scalars");
        has_v[k] = true;
        bound_v[k] = v[0];
      } else {
        if (c.dtype(k + 1) != dt) return Unsupported("min/max dtype differs from the input's");
        bound_t[k] = c.input(k + 1);
      }
    }
  }
  // Infinite bounds clip nothing.
  if (has_v[0] && std::isinf(bound_v[0]) && bound_v[0] < 0) has_v[0] = false;
  if (has_v[1] && std::isinf(bound_v[1]) && bound_v[1] > 0) has_v[1] = false;
  if (dt == DType::kFloat32 && bound_t[0] < 0 && bound_t[1] < 0 && has_v[0] && bound_v[0] == 0.0) {
    // Exact TFLite activations where the bounds match one.
    if (!has_v[1]) return c.Emit(Op::kRelu, {c.input(0)}, {c.Output(0, dt, d)});
    if (bound_v[1] == 6.0) return c.Emit(Op::kRelu6, {c.input(0)}, {c.Output(0, dt, d)});
  }
  for (int k = 0; k < 2; ++k) {
    if (has_v[k]) {
      RNNLITE_ASSIGN_OR_RETURN(bound_t[k], c.ConstScalar(k == 0 ? "min" : "max", dt, bound_v[k]));
    }
  }
  if (bound_t[0] < 0 && bound_t[1] < 0) {
    c.Alias(0, c.input(0));
    return Status::Ok();
  }
  int x = c.input(0);
  if (bound_t[0] >= 0) {
    const int y = bound_t[1] >= 0 ? c.Temp("lower", dt, d) : c.Output(0, dt, d);
    RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kMaximum, {x, bound_t[0]}, {y}));
    x = y;
  }
  if (bound_t[1] >= 0) RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kMinimum, {x, bound_t[1]}, {c.Output(0, dt, d)}));
  return Status::Ok();
}

Status ConvertCast(NodeContext& c) {
  RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"to", "saturate"}));
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(1, 1));
  DType to;
  const int64_t onnx_to = c.GetInt("to", 0);
  if (!DTypeFromOnnx(static_cast<int32_t>(onnx_to), &to)) {
    return Unsupported("cast to " + OnnxTypeName(static_cast<int32_t>(onnx_to)) + " is not supported");
  }
  if (to == c.dtype(0)) {
    c.Alias(0, c.input(0));
    return Status::Ok();
  }
  AttrMap a;
  a.SetInt("in_data_type", static_cast<int64_t>(c.dtype(0)));
  a.SetInt("out_data_type", static_cast<int64_t>(to));
  const int y = c.Output(0, to, c.dims(0));
  RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kCast, {c.input(0)}, {y}, std::move(a)));
  // Casting integer shape vectors keeps what is known of them.
  if (c.value(0).has_partial && (to == DType::kInt32 || to == DType::kInt64)) c.SetPartial(0, c.value(0).partial);
  return Status::Ok();
}

}  // namespace

void RegisterElementwiseConverters(ConverterTable& t) {
  t["Add"] = ConvertBinary<Op::kAdd>;
  t["Sub"] = ConvertBinary<Op::kSub>;
  t["Mul"] = ConvertBinary<Op::kMul>;
  t["Div"] = ConvertBinary<Op::kDiv>;
  t["Pow"] = ConvertBinary<Op::kPow>;
  t["Max"] = ConvertVariadic<Op::kMaximum>;
  t["Min"] = ConvertVariadic<Op::kMinimum>;
  t["Sum"] = ConvertVariadic<Op::kAdd>;
  t["Relu"] = ConvertRelu;
  t["Sigmoid"] = ConvertUnaryFloat<Op::kLogistic>;
  t["Tanh"] = ConvertUnaryFloat<Op::kTanh>;
  t["Sqrt"] = ConvertUnaryFloat<Op::kSqrt>;
  t["Exp"] = ConvertUnaryFloat<Op::kExp>;
  t["Log"] = ConvertUnaryFloat<Op::kLog>;
  t["Abs"] = ConvertUnaryNumeric<Op::kAbs>;
  t["Neg"] = ConvertUnaryNumeric<Op::kNeg>;
  t["LeakyRelu"] = ConvertLeakyRelu;
  t["Elu"] = ConvertElu;
  t["Reciprocal"] = ConvertReciprocal;
  t["Clip"] = ConvertClip;
  t["Cast"] = ConvertCast;
}

}  // namespace rnnlite::onnx_import
