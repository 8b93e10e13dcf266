#include "rnnlite/interpreter.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "core/kernel.h"
#include "core/memory_planner.h"
#include "core/op_registry.h"

namespace rnnlite {
namespace {

struct FreeDeleter {
  void operator()(uint8_t* p) const { std::free(p); }
};
using AlignedBytes = std::unique_ptr<uint8_t[], FreeDeleter>;

AlignedBytes AllocateAligned(size_t bytes) {
  size_t rounded = (bytes + kArenaAlignment - 1) / kArenaAlignment * kArenaAlignment;
  if (rounded == 0) rounded = kArenaAlignment;
  return AlignedBytes(static_cast<uint8_t*>(std::aligned_alloc(kArenaAlignment, rounded)));
}

enum class Phase { kIdle, kPrepare, kDeferredPrepare, kEval };

}  // namespace

struct Interpreter::Impl {
  std::shared_ptr<const Model> model;
  InterpreterOptions options;
  const Subgraph* subgraph = nullptr;
  std::vector<Tensor> tensors;
  // Initial values of variable tensors that carry data in the model.
  std::vector<const uint8_t*> variable_init;
  std::vector<std::unique_ptr<OpKernel>> kernels;
  Status init_status;

  bool allocated = false;
  std::vector<char> dynamic;        // shape known only during Invoke
  std::vector<char> deferred_node;  // Prepare runs in Invoke (dynamic inputs)
  AlignedBytes arena;
  size_t arena_capacity = 0;
  size_t arena_used = 0;
  std::vector<AlignedBytes> owned;  // dynamic and persistent storage per tensor
  std::vector<size_t> owned_bytes;

  Phase phase = Phase::kIdle;

  uint64_t OwnedTotal() const {
    uint64_t t = 0;
    for (size_t b : owned_bytes) t += b;
    return t;
  }

  Status CheckedBytes(const Tensor& t, int index, size_t* bytes) const {
    int64_t n = NumElements(t.shape);
    size_t elem = DTypeSize(t.dtype);
    if (n < 0) return InvalidArgument("tensor " + std::to_string(index) + " ('" + t.name + "'): invalid shape " + ShapeToString(t.shape));
    if (elem == 0) {
      if (n == 0) {
        *bytes = 0;
        return Status::Ok();
      }
      return Unsupported("tensor " + std::to_string(index) + " ('" + t.name + "'): dtype " + DTypeName(t.dtype) + " has no fixed element size");
    }
    if (static_cast<uint64_t>(n) > options.max_tensor_bytes / elem) {
      return ResourceExhausted("tensor " + std::to_string(index) + " ('" + t.name + "') of shape " +
                               ShapeToString(t.shape) + " needs more than the " +
                               std::to_string(options.max_tensor_bytes) + "-byte tensor memory limit");
    }
    *bytes = static_cast<size_t>(n) * elem;
    return Status::Ok();
  }

  // Gives tensor `index` its own heap storage (dynamic or persistent).
  Status AllocateOwned(int index, Storage storage) {
    Tensor& t = tensors[index];
    size_t bytes = 0;
    RNNLITE_RETURN_IF_ERROR(CheckedBytes(t, index, &bytes));
    if (owned[index] && owned_bytes[index] == bytes) {
      t.data = owned[index].get();
      t.bytes = bytes;
      t.storage = storage;
      return Status::Ok();
    }
    uint64_t total = OwnedTotal() - owned_bytes[index] + arena_used;
    if (bytes > options.max_tensor_bytes - std::min<uint64_t>(total, options.max_tensor_bytes)) {
      return ResourceExhausted("tensor " + std::to_string(index) + " ('" + t.name + "'): allocating " +
                               std::to_string(bytes) + " bytes exceeds the tensor memory limit of " +
                               std::to_string(options.max_tensor_bytes));
    }
    owned[index] = AllocateAligned(bytes);
    if (!owned[index]) return ResourceExhausted("out of memory allocating tensor '" + t.name + "'");
    owned_bytes[index] = bytes;
    t.data = owned[index].get();
    t.bytes = bytes;
    t.storage = storage;
    return Status::Ok();
  }

  void ResetVariable(int index) {
    Tensor& t = tensors[index];
    if (t.data == nullptr) return;
    const uint8_t* init = variable_init[index];
    const Tensor& original = subgraph->tensors[index];
    if (init != nullptr && original.constant_bytes == t.bytes) {
      std::memcpy(t.data, init, t.bytes);
    } else {
      std::memset(t.data, 0, t.bytes);
    }
  }

  Status PrepareNode(int node_index);
  Status Allocate();
  Status Invoke();
};

namespace {

class NodeContext final : public KernelContext {
 public:
  NodeContext(Interpreter::Impl& impl, int node_index) : impl_(impl), index_(node_index) {}

  const Node& node() const override { return impl_.subgraph->nodes[index_]; }
  int node_index() const override { return index_; }

  const Tensor* input(int i) const override { return TensorAt(node().inputs, i); }
  Tensor* output(int i) override { return TensorAt(node().outputs, i); }
  Tensor* variable_input(int i) override {
    Tensor* t = TensorAt(node().inputs, i);
    return (t != nullptr && t->is_variable) ? t : nullptr;
  }

  Status ResizeOutput(int i, const Shape& shape) override {
    if (i < 0 || i >= num_outputs() || node().outputs[i] == kNoTensor) {
      return Error("output " + std::to_string(i) + " does not exist");
    }
    int index = node().outputs[i];
    Tensor& t = impl_.tensors[index];
    if (NumElements(shape) < 0) return Error("output shape " + ShapeToString(shape) + " is invalid");
    switch (impl_.phase) {
      case Phase::kPrepare:
        t.shape = shape;
        return Status::Ok();
      case Phase::kDeferredPrepare:
        t.shape = shape;
        return impl_.AllocateOwned(index, Storage::kDynamic);
      case Phase::kEval:
        if (!impl_.dynamic[index]) {
          if (shape == t.shape) return Status::Ok();
          return Internal("node " + std::to_string(index_) + " resized non-dynamic output " + std::to_string(i) +
                          " during Invoke");
        }
        t.shape = shape;
        return impl_.AllocateOwned(index, Storage::kDynamic);
      case Phase::kIdle:
        break;
    }
    return Internal("ResizeOutput outside Prepare/Eval");
  }

  void MarkOutputDynamic(int i) override {
    if (i < 0 || i >= num_outputs() || node().outputs[i] == kNoTensor) return;
    impl_.dynamic[node().outputs[i]] = 1;
  }

 private:
  Tensor* TensorAt(const std::vector<int>& list, int i) const {
    if (i < 0 || i >= static_cast<int>(list.size())) return nullptr;
    int index = list[i];
    if (index < 0 || index >= static_cast<int>(impl_.tensors.size())) return nullptr;
    return &impl_.tensors[index];
  }

  Interpreter::Impl& impl_;
  int index_;
};

}  // namespace

Status Interpreter::Impl::PrepareNode(int node_index) {
  NodeContext ctx(*this, node_index);
  Status s = kernels[node_index]->Prepare(ctx);
  if (!s.ok() && s.message().rfind("node ", 0) != 0) {
    s = s.WithContext("node " + std::to_string(node_index) + " (" + NodeOpName(subgraph->nodes[node_index]) + "): ");
  }
  return s;
}

Status Interpreter::Impl::Allocate() {
  RNNLITE_RETURN_IF_ERROR(init_status);
  allocated = false;
  const int num_nodes = static_cast<int>(subgraph->nodes.size());
  const int num_tensors = static_cast<int>(tensors.size());
  std::fill(dynamic.begin(), dynamic.end(), 0);
  std::fill(deferred_node.begin(), deferred_node.end(), 0);

  // Shape propagation, in execution order. A node fed by a dynamic tensor
  // cannot know its output shapes yet: it is prepared again inside Invoke.
  phase = Phase::kPrepare;
  for (int n = 0; n < num_nodes; ++n) {
    const Node& node = subgraph->nodes[n];
    bool has_dynamic_input = false;
    for (int idx : node.inputs) has_dynamic_input |= (idx >= 0 && dynamic[idx]);
    if (has_dynamic_input) {
      deferred_node[n] = 1;
      for (int idx : node.outputs) {
        if (idx >= 0) dynamic[idx] = 1;
      }
      continue;
    }
    Status s = PrepareNode(n);
    if (!s.ok()) {
      phase = Phase::kIdle;
      return s;
    }
  }
  phase = Phase::kIdle;

  // Lifetimes of every tensor the arena holds.
  std::vector<int> first(num_tensors, num_nodes + 1), last(num_tensors, -2);
  auto touch = [&](int idx, int when) {
    if (idx < 0) return;
    first[idx] = std::min(first[idx], when);
    last[idx] = std::max(last[idx], when);
  };
  for (int idx : subgraph->inputs) {
    touch(idx, -1);
    touch(idx, num_nodes);  // callers write inputs before Invoke: never reuse
  }
  for (int n = 0; n < num_nodes; ++n) {
    for (int idx : subgraph->nodes[n].inputs) touch(idx, n);
    for (int idx : subgraph->nodes[n].outputs) touch(idx, n);
  }
  for (int idx : subgraph->outputs) touch(idx, num_nodes);

  std::vector<BufferRequest> requests;
  std::vector<int> request_tensor;
  for (int i = 0; i < num_tensors; ++i) {
    Tensor& t = tensors[i];
    if (t.storage == Storage::kConstant || t.is_variable || dynamic[i] || last[i] < -1) continue;
    size_t bytes = 0;
    RNNLITE_RETURN_IF_ERROR(CheckedBytes(t, i, &bytes));
    requests.push_back({bytes, first[i], last[i]});
    request_tensor.push_back(i);
  }
  ArenaPlan plan = PlanArena(requests);
  // Storage no longer needed by dynamic tensors of an earlier plan.
  for (int i = 0; i < num_tensors; ++i) {
    if (!tensors[i].is_variable && owned[i]) {
      owned[i].reset();
      owned_bytes[i] = 0;
    }
  }
  if (plan.total_bytes > options.max_tensor_bytes) {
    return ResourceExhausted("tensor arena of " + std::to_string(plan.total_bytes) +
                             " bytes exceeds the tensor memory limit of " + std::to_string(options.max_tensor_bytes));
  }
  if (plan.total_bytes > arena_capacity) {
    arena = AllocateAligned(plan.total_bytes);
    if (!arena) return ResourceExhausted("out of memory allocating a " + std::to_string(plan.total_bytes) + "-byte arena");
    arena_capacity = plan.total_bytes;
  }
  arena_used = plan.total_bytes;
  for (size_t r = 0; r < requests.size(); ++r) {
    Tensor& t = tensors[request_tensor[r]];
    t.data = arena.get() + plan.offsets[r];
    t.bytes = requests[r].bytes;
    t.storage = Storage::kArena;
  }
  for (int i = 0; i < num_tensors; ++i) {
    Tensor& t = tensors[i];
    if (dynamic[i]) {
      t.data = nullptr;
      t.bytes = 0;
      t.storage = Storage::kDynamic;
    } else if (t.is_variable) {
      bool fresh = !owned[i] || owned_bytes[i] != static_cast<size_t>(NumElements(t.shape)) * DTypeSize(t.dtype);
      RNNLITE_RETURN_IF_ERROR(AllocateOwned(i, Storage::kPersistent));
      if (fresh) ResetVariable(i);
    }
  }
  allocated = true;
  return Status::Ok();
}

Status Interpreter::Impl::Invoke() {
  if (!allocated) return FailedPrecondition("Invoke called before a successful AllocateTensors");
  const int num_nodes = static_cast<int>(subgraph->nodes.size());
  for (int n = 0; n < num_nodes; ++n) {
    if (deferred_node[n]) {
      phase = Phase::kDeferredPrepare;
      Status s = PrepareNode(n);
      if (!s.ok()) {
        phase = Phase::kIdle;
        return s;
      }
    }
    phase = Phase::kEval;
    NodeContext ctx(*this, n);
    Status s = kernels[n]->Eval(ctx);
    phase = Phase::kIdle;
    if (!s.ok()) {
      if (s.message().rfind("node ", 0) != 0) {
        s = s.WithContext("node " + std::to_string(n) + " (" + NodeOpName(subgraph->nodes[n]) + "): ");
      }
      return s;
    }
    for (int idx : subgraph->nodes[n].outputs) {
      if (idx >= 0 && tensors[idx].data == nullptr && tensors[idx].num_elements() > 0) {
        return Internal("node " + std::to_string(n) + " (" + NodeOpName(subgraph->nodes[n]) +
                        ") left dynamic output tensor " + std::to_string(idx) + " unallocated");
      }
    }
  }
  return Status::Ok();
}

Interpreter::Interpreter(std::shared_ptr<const Model> model, InterpreterOptions options)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.model = std::move(model);
  m.options = options;
  if (!m.model) {
    static const Subgraph empty;
    m.subgraph = &empty;
    m.init_status = InvalidArgument("Interpreter created without a model");
    return;
  }
  m.subgraph = &m.model->graph().main();
  m.tensors = m.subgraph->tensors;
  const size_t n = m.tensors.size();
  m.variable_init.assign(n, nullptr);
  m.dynamic.assign(n, 0);
  m.owned.resize(n);
  m.owned_bytes.assign(n, 0);
  m.deferred_node.assign(m.subgraph->nodes.size(), 0);
  for (size_t i = 0; i < n; ++i) {
    Tensor& t = m.tensors[i];
    if (t.is_variable) {
      // A variable's model data is only its initial value.
      m.variable_init[i] = t.constant_data;
      t.constant_data = nullptr;
      t.constant_bytes = 0;
    } else if (t.is_constant()) {
      t.data = const_cast<uint8_t*>(t.constant_data);  // never written: kernels see inputs as const
      t.bytes = t.constant_bytes;
      t.storage = Storage::kConstant;
    }
  }
  const OpRegistry& registry = OpRegistry::Cpu();
  for (size_t i = 0; i < m.subgraph->nodes.size(); ++i) {
    const Node& node = m.subgraph->nodes[i];
    const KernelFactory* factory = registry.Find(node);
    if (factory == nullptr) {
      if (m.init_status.ok()) {
        m.init_status = Unsupported("node " + std::to_string(i) + " (" + NodeOpName(node) +
                                    "): no CPU kernel for this op");
      }
      m.kernels.push_back(nullptr);
      continue;
    }
    m.kernels.push_back((*factory)());
  }
}

Interpreter::~Interpreter() = default;

const std::vector<int>& Interpreter::inputs() const { return impl_->subgraph->inputs; }
const std::vector<int>& Interpreter::outputs() const { return impl_->subgraph->outputs; }
size_t Interpreter::tensors_size() const { return impl_->tensors.size(); }

Tensor* Interpreter::tensor(int index) {
  if (index < 0 || index >= static_cast<int>(impl_->tensors.size())) return nullptr;
  return &impl_->tensors[index];
}
const Tensor* Interpreter::tensor(int index) const {
  if (index < 0 || index >= static_cast<int>(impl_->tensors.size())) return nullptr;
  return &impl_->tensors[index];
}
Tensor* Interpreter::input_tensor(size_t i) { return i < inputs().size() ? tensor(inputs()[i]) : nullptr; }
Tensor* Interpreter::output_tensor(size_t i) { return i < outputs().size() ? tensor(outputs()[i]) : nullptr; }
int Interpreter::FindTensor(const std::string& name) const { return impl_->subgraph->FindTensor(name); }
Tensor* Interpreter::tensor_by_name(const std::string& name) { return tensor(FindTensor(name)); }
size_t Interpreter::arena_bytes() const { return impl_->arena_used; }
const Subgraph& Interpreter::subgraph() const { return *impl_->subgraph; }

Status Interpreter::ResizeInputTensor(int tensor_index, const Shape& dims) {
  Impl& m = *impl_;
  bool is_input = false;
  for (int idx : m.subgraph->inputs) is_input |= (idx == tensor_index);
  if (!is_input) return InvalidArgument("tensor " + std::to_string(tensor_index) + " is not a graph input");
  Tensor& t = m.tensors[tensor_index];
  const std::string label = "input tensor " + std::to_string(tensor_index) + " ('" + t.name + "')";
  if (NumElements(dims) < 0) return InvalidArgument(label + ": invalid shape " + ShapeToString(dims));
  const Shape& signature = t.shape_signature;
  if (!signature.empty()) {
    if (signature.size() != dims.size()) {
      return InvalidArgument(label + ": rank " + std::to_string(dims.size()) + " does not match signature " +
                             ShapeToString(signature));
    }
    for (size_t d = 0; d < dims.size(); ++d) {
      if (signature[d] != -1 && signature[d] != dims[d]) {
        return InvalidArgument(label + ": dim " + std::to_string(d) + " is fixed at " + std::to_string(signature[d]) +
                               " (signature " + ShapeToString(signature) + "), cannot resize to " + ShapeToString(dims));
      }
    }
  }
  if (t.shape != dims) {
    t.shape = dims;
    m.allocated = false;
  }
  return Status::Ok();
}

Status Interpreter::AllocateTensors() { return impl_->Allocate(); }
Status Interpreter::Invoke() { return impl_->Invoke(); }

Status Interpreter::ResetVariableTensors() {
  for (size_t i = 0; i < impl_->tensors.size(); ++i) {
    if (impl_->tensors[i].is_variable) impl_->ResetVariable(static_cast<int>(i));
  }
  return Status::Ok();
}

}  // namespace rnnlite
