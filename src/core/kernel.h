// The contract between the interpreter and an op's implementation.
//
// A kernel is created once per node. Prepare() runs in AllocateTensors: it
// validates inputs/attributes and sets every output's shape (shape
// propagation); outputs whose shape depends on runtime values are marked
// dynamic and sized in Eval(). Eval() runs in Invoke and only computes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rnnlite/graph.h"
#include "rnnlite/interpreter.h"
#include "rnnlite/status.h"

namespace rnnlite {

class ResourceVariables;

class KernelContext {
 public:
  virtual ~KernelContext() = default;

  virtual const Node& node() const = 0;
  virtual int node_index() const = 0;
  const AttrMap& attrs() const { return node().attrs; }
  int num_inputs() const { return static_cast<int>(node().inputs.size()); }
  int num_outputs() const { return static_cast<int>(node().outputs.size()); }

  // nullptr when input i is absent (-1) or beyond the node's input list.
  virtual const Tensor* input(int i) const = 0;
  virtual Tensor* output(int i) = 0;
  // Mutable access to an input that is a variable (state) tensor.
  virtual Tensor* variable_input(int i) = 0;

  // Sets output i's shape. During Prepare the tensor becomes part of the
  // memory plan; during Eval (dynamic outputs only) storage is allocated now.
  virtual Status ResizeOutput(int i, const Shape& shape) = 0;
  // Declares that output i's shape is only known in Eval.
  virtual void MarkOutputDynamic(int i) = 0;
  // True if the value of input i is available in Prepare (a constant).
  bool InputIsConstant(int i) const {
    const Tensor* t = input(i);
    return t != nullptr && t->is_constant();
  }

  // The interpreter's choice of CPU implementation and thread budget
  // (InterpreterOptions); kernels with a fast path dispatch on it.
  virtual CpuKernels cpu_kernels() const = 0;
  // Threads this kernel may use (>= 1).
  virtual int num_threads() const = 0;

  // Control flow (WHILE, IF, CALL_ONCE; docs/control_flow.md). Contexts
  // outside an interpreter (kernel unit tests) have no subgraphs.
  virtual int num_subgraphs() const { return 0; }
  // Subgraph `index` of the model, or nullptr when out of range.
  virtual const Subgraph* subgraph(int /*index*/) const { return nullptr; }
  // Runs subgraph `index`'s shape propagation for inputs of these dtypes and
  // shapes and points `outputs` at its output tensors; (*dynamic)[i] is 1
  // when output i's shape is only known once the subgraph runs.
  virtual Status PrepareSubgraph(int index, const std::vector<const Tensor*>& /*inputs*/,
                                 std::vector<const Tensor*>* /*outputs*/, std::vector<char>* /*dynamic*/) {
    return UnsupportedError("subgraph " + std::to_string(index) + ": no subgraphs outside an interpreter");
  }
  // Copies `inputs` into subgraph `index`'s inputs (re-preparing it when a
  // shape changed) and runs it. `outputs` then point at its output tensors,
  // valid until the next call for that subgraph.
  virtual Status InvokeSubgraph(int index, const std::vector<const Tensor*>& /*inputs*/,
                                std::vector<const Tensor*>* /*outputs*/) {
    return UnsupportedError("subgraph " + std::to_string(index) + ": no subgraphs outside an interpreter");
  }
  // Resource variables shared by every subgraph of the interpreter, or
  // nullptr outside one.
  virtual ResourceVariables* resource_variables() { return nullptr; }

  // An InvalidArgument/Unsupported status whose message names this node:
  // "node 3 (RESHAPE): <message>".
  Status Error(const std::string& message) const;
  Status UnsupportedError(const std::string& message) const;
};

class OpKernel {
 public:
  virtual ~OpKernel() = default;
  virtual Status Prepare(KernelContext& ctx) = 0;
  virtual Status Eval(KernelContext& ctx) = 0;
};

}  // namespace rnnlite
