// WHILE, IF and CALL_ONCE with TFLite semantics (docs/control_flow.md).
//
// The subgraphs they call run on the interpreter's child executors
// (KernelContext::PrepareSubgraph / InvokeSubgraph). Outputs are static when
// shape propagation through the called subgraphs proves their shapes (a
// WHILE body that maps its input shapes to themselves, IF branches that
// agree); otherwise they are dynamic and sized when the node runs, which is
// how loop-carried tensors may change shape from one iteration to the next.
#include <cstring>
#include <string>
#include <vector>

#include "core/op_registry.h"
#include "core/resource_variables.h"
#include "cpu_fallback/families.h"

namespace rnnlite {
namespace {

size_t TensorBytes(const Tensor& t) {
  const int64_t n = t.num_elements();
  return n > 0 ? static_cast<size_t>(n) * StorageElementSize(t.dtype) : 0;
}

// Resolves a subgraph-index attribute and checks the callee's arity.
Status CalledSubgraph(const KernelContext& ctx, const char* attr, size_t num_inputs, size_t num_outputs, int* index) {
  const int64_t v = ctx.attrs().GetInt(attr, -1);
  const Subgraph* sg = (v >= 1 && v < ctx.num_subgraphs()) ? ctx.subgraph(static_cast<int>(v)) : nullptr;
  if (sg == nullptr) {
    return ctx.Error(std::string(attr) + " " + std::to_string(v) + " out of range [1, " +
                     std::to_string(ctx.num_subgraphs()) + ")");
  }
  const std::string label = std::string(attr) + " " + std::to_string(v) + (sg->name.empty() ? "" : " ('" + sg->name + "')");
  if (sg->inputs.size() != num_inputs || sg->outputs.size() != num_outputs) {
    return ctx.Error(label + " has " + std::to_string(sg->inputs.size()) + " inputs and " +
                     std::to_string(sg->outputs.size()) + " outputs, expected " + std::to_string(num_inputs) +
                     " and " + std::to_string(num_outputs));
  }
  *index = static_cast<int>(v);
  return Status::Ok();
}

Status GatherInputs(const KernelContext& ctx, int first, std::vector<const Tensor*>* inputs) {
  inputs->clear();
  for (int i = first; i < ctx.num_inputs(); ++i) {
    const Tensor* t = ctx.input(i);
    if (t == nullptr) return ctx.Error("input " + std::to_string(i) + " is absent");
    inputs->push_back(t);
  }
  return Status::Ok();
}

// Sizes output i like `value` (checked against a static shape) and copies it.
Status CopyToOutput(KernelContext& ctx, int i, const Tensor& value) {
  Tensor* out = ctx.output(i);
  if (out == nullptr) return Status::Ok();  // unused output
  if (out->dtype != value.dtype) {
    return ctx.Error("output " + std::to_string(i) + " is " + DTypeName(out->dtype) + " but the subgraph produced " +
                     DTypeName(value.dtype));
  }
  RNNLITE_RETURN_IF_ERROR(ctx.ResizeOutput(i, value.shape));
  const size_t bytes = TensorBytes(value);
  if (bytes == 0) return Status::Ok();
  if (value.data == nullptr || out->data == nullptr || out->bytes < bytes) {
    return ctx.Error("output " + std::to_string(i) + " has no storage for " + std::to_string(bytes) + " bytes");
  }
  std::memmove(out->data, value.data, bytes);
  return Status::Ok();
}

// Reads a bool condition tensor (IF's input 0, a WHILE cond's output).
Status ReadCondition(const KernelContext& ctx, const Tensor* cond, const char* what, bool* value) {
  if (cond == nullptr || cond->dtype != DType::kBool || cond->num_elements() != 1 || cond->data == nullptr) {
    return ctx.Error(std::string(what) + " must be a bool tensor with one element" +
                     (cond ? ", got " + DTypeName(cond->dtype) + " " + ShapeToString(cond->shape) : ""));
  }
  *value = cond->data[0] != 0;
  return Status::Ok();
}

// WHILE: inputs x_1..x_n, outputs y_1..y_n. cond(x) -> bool; body(x) -> x'.
// TFLite bounds the number of iterations by nothing but cond; so does this
// kernel (the tensor memory limit still bounds loop-carried growth).
class WhileKernel final : public OpKernel {
 public:
  Status Prepare(KernelContext& ctx) override {
    const size_t n = static_cast<size_t>(ctx.num_inputs());
    if (ctx.num_outputs() != ctx.num_inputs()) {
      return ctx.Error("has " + std::to_string(ctx.num_inputs()) + " inputs but " +
                       std::to_string(ctx.num_outputs()) + " outputs; they must match");
    }
    RNNLITE_RETURN_IF_ERROR(CalledSubgraph(ctx, "cond_subgraph_index", n, 1, &cond_));
    RNNLITE_RETURN_IF_ERROR(CalledSubgraph(ctx, "body_subgraph_index", n, n, &body_));
    if (cond_ == body_) return ctx.Error("cond and body are the same subgraph " + std::to_string(cond_));
    std::vector<const Tensor*> inputs, outs;
    std::vector<char> dynamic;
    RNNLITE_RETURN_IF_ERROR(GatherInputs(ctx, 0, &inputs));
    for (size_t i = 0; i < n; ++i) {
      const Tensor* out = ctx.output(static_cast<int>(i));
      if (out != nullptr && out->dtype != inputs[i]->dtype) {
        return ctx.Error("output " + std::to_string(i) + " is " + DTypeName(out->dtype) + " but input " +
                         std::to_string(i) + " is " + DTypeName(inputs[i]->dtype));
      }
    }
    RNNLITE_RETURN_IF_ERROR(ctx.PrepareSubgraph(cond_, inputs, &outs, &dynamic));
    if (outs.size() != 1 || outs[0]->dtype != DType::kBool) {
      return ctx.Error("cond subgraph " + std::to_string(cond_) + " must produce one bool tensor");
    }
    RNNLITE_RETURN_IF_ERROR(ctx.PrepareSubgraph(body_, inputs, &outs, &dynamic));
    // Static when one body step maps the input shapes to themselves: then
    // every iteration does, and the outputs have the inputs' shapes.
    bool fixed_point = true;
    for (size_t i = 0; i < n; ++i) {
      if (outs[i]->dtype != inputs[i]->dtype) {
        return ctx.Error("body subgraph " + std::to_string(body_) + " output " + std::to_string(i) + " is " +
                         DTypeName(outs[i]->dtype) + " but loop variable " + std::to_string(i) + " is " +
                         DTypeName(inputs[i]->dtype));
      }
      fixed_point &= !dynamic[i] && outs[i]->shape == inputs[i]->shape;
    }
    for (size_t i = 0; i < n; ++i) {
      const int k = static_cast<int>(i);
      if (ctx.output(k) == nullptr) continue;
      if (fixed_point) {
        RNNLITE_RETURN_IF_ERROR(ctx.ResizeOutput(k, inputs[i]->shape));
      } else {
        ctx.MarkOutputDynamic(k);
      }
    }
    return Status::Ok();
  }

  Status Eval(KernelContext& ctx) override {
    std::vector<const Tensor*> current, outs;
    RNNLITE_RETURN_IF_ERROR(GatherInputs(ctx, 0, &current));
    const size_t n = current.size();
    carried_.resize(n);
    for (;;) {
      RNNLITE_RETURN_IF_ERROR(ctx.InvokeSubgraph(cond_, current, &outs));
      bool go = false;
      RNNLITE_RETURN_IF_ERROR(ReadCondition(ctx, outs.empty() ? nullptr : outs[0], "cond output", &go));
      if (!go) break;
      RNNLITE_RETURN_IF_ERROR(ctx.InvokeSubgraph(body_, current, &outs));
      // The body's outputs live in its own tensors, which its next run
      // overwrites while reading its inputs: keep the loop state here.
      for (size_t i = 0; i < n; ++i) Carry(*outs[i], &carried_[i]);
      current.clear();
      for (Carried& c : carried_) current.push_back(&c.tensor);
    }
    for (size_t i = 0; i < n; ++i) RNNLITE_RETURN_IF_ERROR(CopyToOutput(ctx, static_cast<int>(i), *current[i]));
    return Status::Ok();
  }

 private:
  struct Carried {
    Tensor tensor;
    std::vector<uint64_t> storage;  // 8-byte aligned for typed reads
  };

  static void Carry(const Tensor& src, Carried* dst) {
    const size_t bytes = TensorBytes(src);
    dst->storage.resize((bytes + sizeof(uint64_t) - 1) / sizeof(uint64_t));
    dst->tensor.name = src.name;
    dst->tensor.dtype = src.dtype;
    dst->tensor.shape = src.shape;
    dst->tensor.data = reinterpret_cast<uint8_t*>(dst->storage.data());
    dst->tensor.bytes = bytes;
    if (bytes > 0 && src.data != nullptr) std::memcpy(dst->tensor.data, src.data, bytes);
  }

  int cond_ = -1, body_ = -1;
  std::vector<Carried> carried_;
};

// IF: input 0 is a bool scalar; inputs 1.. go to the taken branch, whose
// outputs become the node's outputs.
class IfKernel final : public OpKernel {
 public:
  Status Prepare(KernelContext& ctx) override {
    if (ctx.num_inputs() < 1) return ctx.Error("needs a condition input");
    const size_t n_in = static_cast<size_t>(ctx.num_inputs() - 1), n_out = static_cast<size_t>(ctx.num_outputs());
    RNNLITE_RETURN_IF_ERROR(CalledSubgraph(ctx, "then_subgraph_index", n_in, n_out, &then_));
    RNNLITE_RETURN_IF_ERROR(CalledSubgraph(ctx, "else_subgraph_index", n_in, n_out, &else_));
    const Tensor* cond = ctx.input(0);
    if (cond == nullptr || cond->dtype != DType::kBool || cond->num_elements() != 1) {
      return ctx.Error("condition must be a bool tensor with one element");
    }
    std::vector<const Tensor*> inputs;
    RNNLITE_RETURN_IF_ERROR(GatherInputs(ctx, 1, &inputs));
    // A constant condition prepares only the branch that runs.
    std::vector<int> branches = {then_, else_};
    if (ctx.InputIsConstant(0)) branches = {cond->data[0] != 0 ? then_ : else_};
    std::vector<Shape> shapes(n_out);
    bool known = true;
    for (size_t b = 0; b < branches.size(); ++b) {
      std::vector<const Tensor*> outs;
      std::vector<char> dynamic;
      RNNLITE_RETURN_IF_ERROR(ctx.PrepareSubgraph(branches[b], inputs, &outs, &dynamic));
      for (size_t i = 0; i < n_out; ++i) {
        const Tensor* out = ctx.output(static_cast<int>(i));
        if (out != nullptr && out->dtype != outs[i]->dtype) {
          return ctx.Error("subgraph " + std::to_string(branches[b]) + " output " + std::to_string(i) + " is " +
                           DTypeName(outs[i]->dtype) + " but the node's output is " + DTypeName(out->dtype));
        }
        known &= !dynamic[i] && (b == 0 || shapes[i] == outs[i]->shape);
        shapes[i] = outs[i]->shape;
      }
    }
    for (size_t i = 0; i < n_out; ++i) {
      const int k = static_cast<int>(i);
      if (ctx.output(k) == nullptr) continue;
      if (known) {
        RNNLITE_RETURN_IF_ERROR(ctx.ResizeOutput(k, shapes[i]));
      } else {
        ctx.MarkOutputDynamic(k);
      }
    }
    return Status::Ok();
  }

  Status Eval(KernelContext& ctx) override {
    bool cond = false;
    RNNLITE_RETURN_IF_ERROR(ReadCondition(ctx, ctx.input(0), "condition", &cond));
    std::vector<const Tensor*> inputs, outs;
    RNNLITE_RETURN_IF_ERROR(GatherInputs(ctx, 1, &inputs));
    RNNLITE_RETURN_IF_ERROR(ctx.InvokeSubgraph(cond ? then_ : else_, inputs, &outs));
    for (size_t i = 0; i < outs.size(); ++i) RNNLITE_RETURN_IF_ERROR(CopyToOutput(ctx, static_cast<int>(i), *outs[i]));
    return Status::Ok();
  }

 private:
  int then_ = -1, else_ = -1;
};

// CALL_ONCE: runs its init subgraph (no inputs, no outputs; typically
// VAR_HANDLE + ASSIGN_VARIABLE) at the first Invoke of this interpreter and
// never again, as TFLite does; resource variables keep what it assigned.
class CallOnceKernel final : public OpKernel {
 public:
  Status Prepare(KernelContext& ctx) override {
    if (ctx.num_inputs() != 0 || ctx.num_outputs() != 0) return ctx.Error("takes no inputs and no outputs");
    return CalledSubgraph(ctx, "init_subgraph_index", 0, 0, &init_);
  }
  Status Eval(KernelContext& ctx) override {
    if (done_) return Status::Ok();
    std::vector<const Tensor*> outs;
    RNNLITE_RETURN_IF_ERROR(ctx.InvokeSubgraph(init_, {}, &outs));
    done_ = true;
    return Status::Ok();
  }

 private:
  int init_ = -1;
  bool done_ = false;
};

}  // namespace

void RegisterControlFlowKernels(OpRegistry& registry) {
  registry.Register(Op::kWhile, MakeFactory<WhileKernel>());
  registry.Register(Op::kIf, MakeFactory<IfKernel>());
  registry.Register(Op::kCallOnce, MakeFactory<CallOnceKernel>());
}

}  // namespace rnnlite
