#include "rnnlite/interpreter.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#include "core/interpreter_impl.h"
#include "core/memory_planner.h"
#include "core/op_registry.h"

namespace rnnlite {
namespace {

AlignedBytes AllocateAligned(size_t bytes) {
  size_t rounded = (bytes + kArenaAlignment - 1) / kArenaAlignment * kArenaAlignment;
  if (rounded == 0) rounded = kArenaAlignment;
  return AlignedBytes(static_cast<uint8_t*>(std::aligned_alloc(kArenaAlignment, rounded)));
}

std::string NodeLabel(const Subgraph& s, int n) {
  return "node " + std::to_string(n) + " (" + NodeOpName(s.nodes[n]) + ")";
}

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
  CpuKernels cpu_kernels() const override { return impl_.options.cpu_kernels; }
  int num_threads() const override { return impl_.num_threads; }

  int num_subgraphs() const override { return static_cast<int>(impl_.model->graph().subgraphs.size()); }
  const Subgraph* subgraph(int index) const override {
    return (index >= 0 && index < num_subgraphs()) ? &impl_.model->graph().subgraphs[index] : nullptr;
  }
  Status PrepareSubgraph(int index, const std::vector<const Tensor*>& inputs, std::vector<const Tensor*>* outputs,
                         std::vector<char>* dynamic) override {
    return impl_.PrepareSubgraph(index, inputs, outputs, dynamic);
  }
  Status InvokeSubgraph(int index, const std::vector<const Tensor*>& inputs,
                        std::vector<const Tensor*>* outputs) override {
    return impl_.InvokeSubgraph(index, inputs, outputs);
  }
  ResourceVariables* resource_variables() override { return &impl_.root->resources; }

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

class PartitionIoImpl final : public PartitionIo {
 public:
  PartitionIoImpl(Interpreter::Impl& impl, const PartitionRecord& p) : impl_(impl), p_(p) {}
  const Subgraph& graph() const override { return *impl_.subgraph; }
  const std::vector<int>& nodes() const override { return p_.nodes; }
  const std::vector<int>& inputs() const override { return p_.inputs; }
  const std::vector<int>& outputs() const override { return p_.outputs; }
  const std::vector<int>& variables() const override { return p_.variables; }
  Tensor& tensor(int index) override { return impl_.tensors.at(index); }

 private:
  Interpreter::Impl& impl_;
  const PartitionRecord& p_;
};

// Brings the host copy of every variable partition `p` holds up to date
// before the partition goes away. A partition whose Invoke failed hands back
// the state as of before that Invoke, or cannot (device lost); then the
// state restarts from its initial value. Returns the names reset ("'h', 'c'").
std::string RecoverPartitionState(Interpreter::Impl& m, int p) {
  PartitionRecord& rec = m.partitions[p];
  std::string reset;
  for (int v : rec.variables) {
    if (m.variable_state[v] != VariableState::kDeviceNewer) continue;  // host already holds it
    if (rec.kernel && rec.kernel->ReadVariable(v, m.tensors[v]).ok()) {
      m.variable_state[v] = VariableState::kInSync;
      continue;
    }
    m.ResetVariable(v);
    reset += (reset.empty() ? "'" : ", '") + m.tensors[v].name + "'";
  }
  return reset;
}

}  // namespace

void Interpreter::Impl::Log(const std::string& line) {
  log.push_back(line);
  std::fprintf(stderr, "rnnlite: %s\n", line.c_str());
}

Status Interpreter::Impl::CheckedBytes(const Tensor& t, int index, size_t* bytes) const {
  int64_t n = NumElements(t.shape);
  size_t elem = StorageElementSize(t.dtype);
  const std::string label = "tensor " + std::to_string(index) + " ('" + t.name + "')";
  if (n < 0) return InvalidArgument(label + ": invalid shape " + ShapeToString(t.shape));
  if (elem == 0) {
    if (n == 0) {
      *bytes = 0;
      return Status::Ok();
    }
    return Unsupported(label + ": dtype " + DTypeName(t.dtype) + " has no fixed element size");
  }
  if (static_cast<uint64_t>(n) > options.max_tensor_bytes / elem) {
    return ResourceExhausted(label + " of shape " + ShapeToString(t.shape) + " needs more than the " +
                             std::to_string(options.max_tensor_bytes) + "-byte tensor memory limit");
  }
  *bytes = static_cast<size_t>(n) * elem;
  return Status::Ok();
}

Status Interpreter::Impl::AllocateOwned(int index, Storage storage) {
  Tensor& t = tensors[index];
  size_t bytes = 0;
  RNNLITE_RETURN_IF_ERROR(CheckedBytes(t, index, &bytes));
  if (owned[index] && owned_bytes[index] == bytes) {
    t.data = owned[index].get();
    t.bytes = bytes;
    t.storage = storage;
    return Status::Ok();
  }
  uint64_t total = arena_used;
  for (size_t i = 0; i < owned_bytes.size(); ++i) total += (static_cast<int>(i) == index) ? 0 : owned_bytes[i];
  if (total > options.max_tensor_bytes || bytes > options.max_tensor_bytes - total) {
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

void Interpreter::Impl::ResetVariable(int index) {
  Tensor& t = tensors[index];
  if (t.data == nullptr) return;
  const uint8_t* init = variable_init[index];
  if (init != nullptr && subgraph->tensors[index].constant_bytes == t.bytes) {
    std::memcpy(t.data, init, t.bytes);
  } else {
    std::memset(t.data, 0, t.bytes);
  }
  if (variable_owner[index] >= 0) variable_state[index] = VariableState::kHostNewer;
}

Status Interpreter::Impl::PrepareNode(int node_index) {
  if (!kernels[node_index]) {
    return Unsupported(NodeLabel(*subgraph, node_index) + ": no CPU kernel for this op");
  }
  NodeContext ctx(*this, node_index);
  Status s = kernels[node_index]->Prepare(ctx);
  if (!s.ok() && s.message().rfind("node ", 0) != 0) s = s.WithContext(NodeLabel(*subgraph, node_index) + ": ");
  return s;
}

Status Interpreter::Impl::SyncVariableToHost(int index) {
  int p = variable_owner[index];
  if (p < 0 || variable_state[index] != VariableState::kDeviceNewer) return Status::Ok();
  Status s = partitions[p].kernel->ReadVariable(index, tensors[index]);
  if (!s.ok()) return s.WithContext("reading variable '" + tensors[index].name + "' back from " + partitions[p].delegate->name() + ": ");
  variable_state[index] = VariableState::kInSync;
  return Status::Ok();
}

Status Interpreter::Impl::DisablePartition(int p, const std::string& reason) {
  PartitionRecord& rec = partitions[p];
  const std::string what = rec.delegate->name() + " partition " + std::to_string(p) + " (" +
                           std::to_string(rec.nodes.size()) + " nodes)";
  if (!rec.delegate->options().allow_cpu_fallback) {
    return Unavailable(what + " failed and CPU fallback is disabled: " + reason);
  }
  rec.disabled = true;
  rec.disabled_reason = reason;
  rec.kernel.reset();
  for (int n : rec.nodes) {
    node_partition[n] = -1;
    node_cpu_reason[n] = rec.delegate->name() + " failed: " + reason;
  }
  for (int v : rec.variables) variable_owner[v] = -1;
  Log(what + " falls back to the CPU: " + reason);
  return Status::Ok();
}

Status Interpreter::Impl::RunNode(int n) {
  if (deferred_node[n]) {
    phase = Phase::kDeferredPrepare;
    Status s = PrepareNode(n);
    phase = Phase::kIdle;
    RNNLITE_RETURN_IF_ERROR(s);
  }
  const Node& node = subgraph->nodes[n];
  // A CPU node reading a partition's state needs the device's newest value,
  // and may change it (stateful kernels), so the host copy wins afterwards.
  for (int idx : node.inputs) {
    if (idx >= 0 && tensors[idx].is_variable) RNNLITE_RETURN_IF_ERROR(SyncVariableToHost(idx));
  }
  phase = Phase::kEval;
  NodeContext ctx(*this, n);
  Status s = kernels[n]->Eval(ctx);
  phase = Phase::kIdle;
  if (!s.ok()) {
    if (s.message().rfind("node ", 0) != 0) s = s.WithContext(NodeLabel(*subgraph, n) + ": ");
    return s;
  }
  for (int idx : node.inputs) {
    if (idx >= 0 && tensors[idx].is_variable && variable_owner[idx] >= 0) {
      variable_state[idx] = VariableState::kHostNewer;
    }
  }
  for (int idx : node.outputs) {
    if (idx >= 0 && tensors[idx].data == nullptr && tensors[idx].num_elements() > 0) {
      return Internal(NodeLabel(*subgraph, n) + " left dynamic output tensor " + std::to_string(idx) + " unallocated");
    }
  }
  return Status::Ok();
}

Status Interpreter::Impl::Allocate() {
  RNNLITE_RETURN_IF_ERROR(init_status);
  // The device may hold newer state than the host: bring it home before the
  // plan (and possibly the partitions) change.
  for (size_t i = 0; i < tensors.size(); ++i) {
    const int v = static_cast<int>(i);
    Status s = SyncVariableToHost(v);
    if (s.ok()) continue;
    // Unreadable device state (e.g. the device was lost): the partition
    // leaves the device (or, without fallback, this is the error) and the
    // state restarts, reported.
    const int p = variable_owner[v];
    const std::string reset = RecoverPartitionState(*this, p);
    RNNLITE_RETURN_IF_ERROR(DisablePartition(p, s.message()));
    Log("streaming state " + reset + " lost on the device and reset to its initial value");
  }
  // A partition that fails to prepare is dropped and the plan recomputed;
  // each round disables at least one partition, so this terminates.
  for (size_t round = 0; round <= partitions.size(); ++round) {
    bool retry = false;
    RNNLITE_RETURN_IF_ERROR(AllocateOnce(&retry));
    if (!retry) return Status::Ok();
  }
  return Internal("partition preparation did not converge");
}

Status Interpreter::Impl::AllocateOnce(bool* retry) {
  allocated = false;
  const int num_nodes = static_cast<int>(subgraph->nodes.size());
  const int num_tensors = static_cast<int>(tensors.size());
  std::fill(dynamic.begin(), dynamic.end(), 0);
  std::fill(deferred_node.begin(), deferred_node.end(), 0);

  // Execution order of nodes (partitions expanded), used for shape
  // propagation: every node, delegated or not, runs its CPU Prepare, so the
  // CPU reference is the one source of output shapes.
  std::vector<int> order;
  for (const ExecutionStep& st : plan) {
    if (st.node >= 0) order.push_back(st.node);
    else for (int n : partitions[st.partition].nodes) order.push_back(n);
  }

  phase = Phase::kPrepare;
  for (int n : order) {
    const Node& node = subgraph->nodes[n];
    bool has_dynamic_input = false;
    for (int idx : node.inputs) has_dynamic_input |= (idx >= 0 && dynamic[idx]);
    if (has_dynamic_input) {
      // Cannot know output shapes yet: prepared again inside Invoke.
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

  // Partitions cannot run nodes whose shapes are only known during Invoke.
  for (size_t p = 0; p < partitions.size(); ++p) {
    if (partitions[p].disabled) continue;
    for (int n : partitions[p].nodes) {
      bool dyn = deferred_node[n];
      for (int idx : subgraph->nodes[n].outputs) dyn |= (idx >= 0 && dynamic[idx]);
      if (dyn) {
        RNNLITE_RETURN_IF_ERROR(DisablePartition(static_cast<int>(p), NodeLabel(*subgraph, n) +
                                                                          " has shapes known only at run time"));
        break;
      }
    }
  }

  // Which step touches which tensor; internal tensors of active partitions
  // never get host memory.
  std::vector<int> first(num_tensors, num_nodes + 1), last(num_tensors, -2);
  std::vector<char> internal(num_tensors, 0);
  const int num_steps = static_cast<int>(plan.size());
  auto touch = [&](int idx, int when) {
    if (idx < 0) return;
    first[idx] = std::min(first[idx], when);
    last[idx] = std::max(last[idx], when);
  };
  for (int idx : subgraph->inputs) {
    touch(idx, -1);
    touch(idx, num_steps);  // callers write inputs before Invoke: never reuse
  }
  for (int s = 0; s < num_steps; ++s) {
    const ExecutionStep& st = plan[s];
    if (st.node >= 0) {
      for (int idx : subgraph->nodes[st.node].inputs) touch(idx, s);
      for (int idx : subgraph->nodes[st.node].outputs) touch(idx, s);
      continue;
    }
    const PartitionRecord& rec = partitions[st.partition];
    if (rec.disabled) {
      for (int n : rec.nodes) {
        for (int idx : subgraph->nodes[n].inputs) touch(idx, s);
        for (int idx : subgraph->nodes[n].outputs) touch(idx, s);
      }
      continue;
    }
    for (int idx : rec.inputs) touch(idx, s);
    for (int idx : rec.outputs) touch(idx, s);
    for (int n : rec.nodes) {
      for (int idx : subgraph->nodes[n].outputs) {
        if (idx >= 0 && std::find(rec.outputs.begin(), rec.outputs.end(), idx) == rec.outputs.end()) {
          internal[idx] = 1;
        }
      }
    }
  }
  for (int idx : subgraph->outputs) touch(idx, num_steps);

  std::vector<BufferRequest> requests;
  std::vector<int> request_tensor;
  for (int i = 0; i < num_tensors; ++i) {
    Tensor& t = tensors[i];
    if (t.storage == Storage::kConstant || t.is_variable || dynamic[i] || internal[i] || last[i] < -1) {
      continue;
    }
    size_t bytes = 0;
    RNNLITE_RETURN_IF_ERROR(CheckedBytes(t, i, &bytes));
    requests.push_back({bytes, first[i], last[i]});
    request_tensor.push_back(i);
  }
  ArenaPlan arena_plan = PlanArena(requests);
  for (int i = 0; i < num_tensors; ++i) {
    if (!tensors[i].is_variable && owned[i]) {
      owned[i].reset();
      owned_bytes[i] = 0;
    }
  }
  if (arena_plan.total_bytes > options.max_tensor_bytes) {
    return ResourceExhausted("tensor arena of " + std::to_string(arena_plan.total_bytes) +
                             " bytes exceeds the tensor memory limit of " + std::to_string(options.max_tensor_bytes));
  }
  if (arena_plan.total_bytes > arena_capacity) {
    arena = AllocateAligned(arena_plan.total_bytes);
    if (!arena) {
      arena_capacity = 0;
      return ResourceExhausted("out of memory allocating a " + std::to_string(arena_plan.total_bytes) + "-byte arena");
    }
    arena_capacity = arena_plan.total_bytes;
  }
  arena_used = arena_plan.total_bytes;
  for (size_t r = 0; r < requests.size(); ++r) {
    Tensor& t = tensors[request_tensor[r]];
    t.data = arena.get() + arena_plan.offsets[r];
    t.bytes = requests[r].bytes;
    t.storage = Storage::kArena;
  }
  for (int i = 0; i < num_tensors; ++i) {
    Tensor& t = tensors[i];
    if (dynamic[i] || (internal[i] && !t.is_variable)) {
      t.data = nullptr;
      t.bytes = 0;
      t.storage = dynamic[i] ? Storage::kDynamic : Storage::kNone;
    } else if (t.is_variable) {
      bool fresh = !owned[i] || owned_bytes[i] != static_cast<size_t>(NumElements(t.shape)) * DTypeSize(t.dtype);
      RNNLITE_RETURN_IF_ERROR(AllocateOwned(i, Storage::kPersistent));
      if (fresh) ResetVariable(i);
    }
  }

  // Partitions see final shapes and host buffers now.
  for (size_t p = 0; p < partitions.size(); ++p) {
    PartitionRecord& rec = partitions[p];
    if (rec.disabled) continue;
    PartitionIoImpl io(*this, rec);
    Status s = rec.kernel->Prepare(io);
    if (!s.ok()) {
      RNNLITE_RETURN_IF_ERROR(DisablePartition(static_cast<int>(p), "Prepare failed: " + s.message()));
      *retry = true;  // its internal tensors now need host memory
      return Status::Ok();
    }
    for (int v : rec.variables) {
      variable_owner[v] = static_cast<int>(p);
      variable_state[v] = VariableState::kHostNewer;  // upload before first use
    }
  }
  allocated = true;
  InitProfile();
  return Status::Ok();
}

void Interpreter::Impl::InitProfile() {
  profile.clear();
  if (!options.enable_profiling) return;
  profile.resize(plan.size());
  for (size_t i = 0; i < plan.size(); ++i) {
    StepProfile& p = profile[i];
    const ExecutionStep& st = plan[i];
    if (st.node >= 0) {
      p.name = NodeLabel(*subgraph, st.node);
      p.kind = NodeOpName(subgraph->nodes[st.node]);
      p.nodes = {st.node};
      continue;
    }
    const PartitionRecord& rec = partitions[st.partition];
    p.name = rec.delegate->name() + " partition " + std::to_string(st.partition);
    p.kind = "delegate:" + rec.delegate->name();
    p.nodes = rec.nodes;
    p.delegated = !rec.disabled;
    if (rec.disabled) p.kind = "cpu-fallback:" + rec.delegate->name();
  }
}

Status Interpreter::Impl::Invoke() {
  if (!allocated) return FailedPrecondition("Invoke called before a successful AllocateTensors");
  const bool timing = options.enable_profiling && profile.size() == plan.size();
  for (size_t i = 0; i < plan.size(); ++i) {
    if (!timing) {
      RNNLITE_RETURN_IF_ERROR(RunStep(plan[i]));
      continue;
    }
    const auto start = std::chrono::steady_clock::now();
    Status s = RunStep(plan[i]);
    const auto ns = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
    RNNLITE_RETURN_IF_ERROR(s);
    StepProfile& p = profile[i];
    p.min_ns = p.invocations == 0 ? ns : std::min(p.min_ns, ns);
    p.max_ns = std::max(p.max_ns, ns);
    p.total_ns += ns;
    ++p.invocations;
  }
  return Status::Ok();
}

Status Interpreter::Impl::RunStep(const ExecutionStep& st) {
  if (st.node >= 0) return RunNode(st.node);
  PartitionRecord& rec = partitions[st.partition];
  if (rec.disabled) {
    for (int n : rec.nodes) RNNLITE_RETURN_IF_ERROR(RunNode(n));
    return Status::Ok();
  }
  for (int v : rec.variables) {
    if (variable_state[v] != VariableState::kHostNewer) continue;
    Status s = rec.kernel->WriteVariable(v, tensors[v]);
    if (!s.ok()) return s.WithContext(rec.delegate->name() + " partition " + std::to_string(st.partition) + ": ");
    variable_state[v] = VariableState::kInSync;
  }
  PartitionIoImpl io(*this, rec);
  Status s = rec.kernel->Invoke(io);
  if (!s.ok()) {
    // The partition's device state is unknown now: the next
    // AllocateTensors runs these nodes on the CPU (or re-prepares them
    // without fallback); until then Invoke keeps reporting the error.
    allocated = false;
    const std::string where = rec.delegate->name() + " partition " + std::to_string(st.partition);
    // Streaming state is never silently lost (docs/robustness.md): a
    // partition whose Invoke failed hands back the state as of before that
    // Invoke, or fails to, and then the state restarts from its initial
    // value and the error says so.
    const std::string reset = RecoverPartitionState(*this, st.partition);
    std::string note;
    if (!rec.variables.empty()) {
      note = reset.empty() ? "streaming state kept as of the last successful Invoke"
                           : "streaming state " + reset + " lost on the device and reset to its initial value";
      Log(where + ": " + note);
      note = "; " + note;
    }
    Status d = DisablePartition(st.partition, "Invoke failed: " + s.message());
    (void)d;
    return Status(s.code(), where + ": " + s.message() + note);
  }
  for (int v : rec.variables) variable_state[v] = VariableState::kDeviceNewer;
  return Status::Ok();
}

Interpreter::Interpreter(std::shared_ptr<const Model> model, InterpreterOptions options)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.model = std::move(model);
  m.options = options;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  m.num_threads = options.num_threads > 0 ? options.num_threads : static_cast<int>(cores);
  if (!m.model) {
    static const Subgraph empty;
    m.subgraph = &empty;
    m.init_status = InvalidArgument("Interpreter created without a model");
    return;
  }
  m.InitSubgraph(0);
}

void Interpreter::Impl::InitSubgraph(int index) {
  subgraph_index = index;
  subgraph = &model->graph().subgraphs.at(static_cast<size_t>(index));
  tensors = subgraph->tensors;
  const size_t n = tensors.size();
  const size_t num_nodes = subgraph->nodes.size();
  variable_init.assign(n, nullptr);
  dynamic.assign(n, 0);
  owned.resize(n);
  owned_bytes.assign(n, 0);
  variable_owner.assign(n, -1);
  variable_state.assign(n, VariableState::kInSync);
  deferred_node.assign(num_nodes, 0);
  node_partition.assign(num_nodes, -1);
  node_cpu_reason.assign(num_nodes, "");
  for (size_t i = 0; i < n; ++i) {
    Tensor& t = tensors[i];
    if (t.is_variable) {
      // A variable's model data is only its initial value.
      variable_init[i] = t.constant_data;
      t.constant_data = nullptr;
      t.constant_bytes = 0;
    } else if (t.is_constant()) {
      t.data = const_cast<uint8_t*>(t.constant_data);  // never written: kernels see inputs as const
      t.bytes = t.constant_bytes;
      t.storage = Storage::kConstant;
    }
  }
  const OpRegistry& registry = OpRegistry::Cpu();
  for (size_t i = 0; i < num_nodes; ++i) {
    const KernelFactory* factory = registry.Find(subgraph->nodes[i]);
    kernels.push_back(factory ? (*factory)() : nullptr);
    plan.push_back({static_cast<int>(i), -1});
  }
}

Interpreter::~Interpreter() = default;

const std::vector<int>& Interpreter::inputs() const { return impl_->subgraph->inputs; }
const std::vector<int>& Interpreter::outputs() const { return impl_->subgraph->outputs; }
size_t Interpreter::tensors_size() const { return impl_->tensors.size(); }

Tensor* Interpreter::tensor(int index) {
  if (index < 0 || index >= static_cast<int>(impl_->tensors.size())) return nullptr;
  Impl& m = *impl_;
  if (m.variable_owner[index] >= 0) {
    // The caller may read or write the state through this pointer: make the
    // host copy current and let it win at the next Invoke.
    Status s = m.SyncVariableToHost(index);
    if (!s.ok()) {
      // Never hand out a stale copy as if it were current.
      m.ResetVariable(index);
      m.Log(s.message() + "; streaming state '" + m.tensors[index].name + "' reset to its initial value");
    }
    m.variable_state[index] = VariableState::kHostNewer;
  }
  return &m.tensors[index];
}
const Tensor* Interpreter::tensor(int index) const { return const_cast<Interpreter*>(this)->tensor(index); }
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
std::vector<StepProfile> Interpreter::profile() const { return impl_->profile; }
void Interpreter::ResetProfile() { impl_->InitProfile(); }
const InterpreterOptions& Interpreter::options() const { return impl_->options; }

Status Interpreter::ResetVariableTensors() {
  for (size_t i = 0; i < impl_->tensors.size(); ++i) {
    if (impl_->tensors[i].is_variable) impl_->ResetVariable(static_cast<int>(i));
  }
  return Status::Ok();
}

std::vector<NodePlacement> Interpreter::placement() const {
  const Impl& m = *impl_;
  std::vector<NodePlacement> out;
  for (size_t n = 0; n < m.subgraph->nodes.size(); ++n) {
    NodePlacement p;
    p.node = static_cast<int>(n);
    p.partition = m.node_partition[n];
    if (p.partition >= 0) p.backend = m.partitions[p.partition].delegate->name();
    p.reason = m.node_cpu_reason[n];
    out.push_back(std::move(p));
  }
  return out;
}

size_t Interpreter::num_partitions() const { return impl_->partitions.size(); }
const std::vector<std::string>& Interpreter::delegation_log() const { return impl_->log; }

}  // namespace rnnlite
