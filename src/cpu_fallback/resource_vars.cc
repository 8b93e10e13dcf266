// VAR_HANDLE, READ_VARIABLE and ASSIGN_VARIABLE: TFLite resource variables.
//
// VAR_HANDLE writes the id of the variable named by its container and
// shared_name into a resource tensor (an int32); READ_VARIABLE copies the
// variable's value out (its shape is only known at run time, so the output
// is dynamic); ASSIGN_VARIABLE replaces the value, shape and dtype included.
// The variables live in the interpreter (shared by all its subgraphs) and
// keep their values across Invoke and AllocateTensors.
#include <cstring>
#include <string>

#include "core/op_registry.h"
#include "core/resource_variables.h"
#include "cpu_fallback/families.h"

namespace rnnlite {
namespace {

Status Variables(KernelContext& ctx, ResourceVariables** vars) {
  *vars = ctx.resource_variables();
  if (*vars == nullptr) return ctx.UnsupportedError("resource variables need an interpreter");
  return Status::Ok();
}

Status CheckHandleTensor(const KernelContext& ctx, const Tensor* t, const char* what) {
  if (t == nullptr || t->dtype != DType::kResource || t->num_elements() != 1) {
    return ctx.Error(std::string(what) + " must be a resource tensor with one element" +
                     (t ? ", got " + DTypeName(t->dtype) + " " + ShapeToString(t->shape) : ""));
  }
  return Status::Ok();
}

// The variable a resource tensor refers to; never trusts the id.
Status LookUp(KernelContext& ctx, const Tensor* handle, ResourceVariable** var) {
  ResourceVariables* vars = nullptr;
  RNNLITE_RETURN_IF_ERROR(Variables(ctx, &vars));
  RNNLITE_RETURN_IF_ERROR(CheckHandleTensor(ctx, handle, "input 0"));
  if (handle->data == nullptr) return ctx.Error("resource handle has no value");
  int32_t id = 0;
  std::memcpy(&id, handle->data, sizeof(id));
  *var = vars->Find(id);
  if (*var == nullptr) return ctx.Error("resource id " + std::to_string(id) + " names no variable");
  return Status::Ok();
}

class VarHandleKernel final : public OpKernel {
 public:
  Status Prepare(KernelContext& ctx) override {
    if (ctx.num_outputs() != 1) return ctx.Error("has one output");
    RNNLITE_RETURN_IF_ERROR(CheckHandleTensor(ctx, ctx.output(0), "output 0"));
    return ctx.ResizeOutput(0, ctx.output(0)->shape);
  }
  Status Eval(KernelContext& ctx) override {
    ResourceVariables* vars = nullptr;
    RNNLITE_RETURN_IF_ERROR(Variables(ctx, &vars));
    const int32_t id = vars->Handle(ctx.attrs().GetString("container"), ctx.attrs().GetString("shared_name"));
    std::memcpy(ctx.output(0)->data, &id, sizeof(id));
    return Status::Ok();
  }
};

class ReadVariableKernel final : public OpKernel {
 public:
  Status Prepare(KernelContext& ctx) override {
    if (ctx.num_inputs() != 1 || ctx.num_outputs() != 1) return ctx.Error("has one input and one output");
    RNNLITE_RETURN_IF_ERROR(CheckHandleTensor(ctx, ctx.input(0), "input 0"));
    ctx.MarkOutputDynamic(0);
    return Status::Ok();
  }
  Status Eval(KernelContext& ctx) override {
    ResourceVariable* var = nullptr;
    RNNLITE_RETURN_IF_ERROR(LookUp(ctx, ctx.input(0), &var));
    if (!var->assigned) return ctx.Error("variable read before any ASSIGN_VARIABLE gave it a value");
    Tensor* out = ctx.output(0);
    if (out->dtype != var->dtype) {
      return ctx.Error("output is " + DTypeName(out->dtype) + " but the variable holds " + DTypeName(var->dtype));
    }
    RNNLITE_RETURN_IF_ERROR(ctx.ResizeOutput(0, var->shape));
    if (!var->bytes.empty()) std::memcpy(out->data, var->bytes.data(), var->bytes.size());
    return Status::Ok();
  }
};

class AssignVariableKernel final : public OpKernel {
 public:
  Status Prepare(KernelContext& ctx) override {
    if (ctx.num_inputs() != 2 || ctx.num_outputs() != 0) return ctx.Error("has two inputs and no outputs");
    RNNLITE_RETURN_IF_ERROR(CheckHandleTensor(ctx, ctx.input(0), "input 0"));
    const Tensor* value = ctx.input(1);
    if (value == nullptr || DTypeSize(value->dtype) == 0) {
      return ctx.UnsupportedError("value must be a tensor of a fixed-size type");
    }
    return Status::Ok();
  }
  Status Eval(KernelContext& ctx) override {
    ResourceVariable* var = nullptr;
    RNNLITE_RETURN_IF_ERROR(LookUp(ctx, ctx.input(0), &var));
    const Tensor& value = *ctx.input(1);
    const int64_t n = value.num_elements();
    const size_t bytes = static_cast<size_t>(n) * DTypeSize(value.dtype);
    if (bytes > 0 && (value.data == nullptr || value.bytes < bytes)) return ctx.Error("value has no data");
    var->dtype = value.dtype;
    var->shape = value.shape;
    var->bytes.assign(value.data, value.data + bytes);
    var->assigned = true;
    return Status::Ok();
  }
};

}  // namespace

void RegisterResourceVariableKernels(OpRegistry& registry) {
  registry.Register(Op::kVarHandle, MakeFactory<VarHandleKernel>());
  registry.Register(Op::kReadVariable, MakeFactory<ReadVariableKernel>());
  registry.Register(Op::kAssignVariable, MakeFactory<AssignVariableKernel>());
}

}  // namespace rnnlite
