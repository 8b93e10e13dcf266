// The interpreter's internals, shared by core/interpreter.cc (allocation and
// execution) and delegate/modify_graph.cc (partitioning). Not public API.
#pragma once

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "core/kernel.h"
#include "core/resource_variables.h"
#include "rnnlite/delegate.h"
#include "rnnlite/interpreter.h"

namespace rnnlite {

struct FreeDeleter {
  void operator()(uint8_t* p) const { std::free(p); }
};
using AlignedBytes = std::unique_ptr<uint8_t[], FreeDeleter>;

// One entry of the execution plan: a CPU node or a delegate partition.
struct ExecutionStep {
  int node = -1;       // >= 0: run this node's CPU kernel
  int partition = -1;  // >= 0: run this partition (or its nodes on the CPU when disabled)
};

struct PartitionRecord {
  std::shared_ptr<Delegate> delegate;
  std::unique_ptr<DelegatePartition> kernel;
  std::vector<int> nodes;  // ascending = execution order
  std::vector<int> inputs, outputs, variables;
  bool disabled = false;  // fell back to the CPU (reason in disabled_reason)
  std::string disabled_reason;
};

// Who holds the newest value of a variable tensor owned by a partition.
enum class VariableState { kInSync, kHostNewer, kDeviceNewer };

enum class Phase { kIdle, kPrepare, kDeferredPrepare, kEval };

struct Interpreter::Impl {
  std::shared_ptr<const Model> model;
  InterpreterOptions options;
  const Subgraph* subgraph = nullptr;
  std::vector<Tensor> tensors;
  std::vector<const uint8_t*> variable_init;  // model-provided initial values
  std::vector<std::unique_ptr<OpKernel>> kernels;
  Status init_status;

  // Execution plan; by default every node on the CPU in model order.
  std::vector<ExecutionStep> plan;
  std::vector<PartitionRecord> partitions;
  std::vector<int> node_partition;          // -1: CPU
  std::vector<std::string> node_cpu_reason;  // why a node is on the CPU
  std::vector<int> variable_owner;           // partition owning the state, or -1
  std::vector<VariableState> variable_state;
  std::vector<std::string> log;              // delegation decisions, in order

  bool allocated = false;
  std::vector<char> dynamic;        // shape known only during Invoke
  std::vector<char> deferred_node;  // Prepare runs in Invoke (dynamic inputs)
  AlignedBytes arena;
  size_t arena_capacity = 0;
  size_t arena_used = 0;
  std::vector<AlignedBytes> owned;  // dynamic and persistent storage per tensor
  std::vector<size_t> owned_bytes;
  Phase phase = Phase::kIdle;
  int num_threads = 1;                // resolved from options.num_threads
  std::vector<StepProfile> profile;  // one per plan step when profiling

  // Control flow (core/interpreter_subgraphs.cc). The Impl of the main
  // subgraph is the root: it owns one child Impl per subgraph that WHILE,
  // IF or CALL_ONCE call (created on first use; CPU only, no delegates) and
  // the resource variables. Children point back at the root.
  int subgraph_index = 0;
  Impl* root = this;
  std::vector<std::unique_ptr<Impl>> children;  // by subgraph index (root only)
  std::vector<char> subgraph_active;            // re-entry guard (root only)
  int call_depth = 0;                           // nesting of active calls (root only)
  ResourceVariables resources;                  // root only
  // Sets up tensors, kernels and the default plan for subgraph `index`.
  void InitSubgraph(int index);
  StatusOr<Impl*> Child(int index);
  Status PrepareSubgraph(int index, const std::vector<const Tensor*>& inputs, std::vector<const Tensor*>* outputs,
                         std::vector<char>* dynamic_outputs);
  Status InvokeSubgraph(int index, const std::vector<const Tensor*>& inputs, std::vector<const Tensor*>* outputs);

  // Labels one profile entry per plan step (after the plan is final).
  void InitProfile();
  Status RunStep(const ExecutionStep& st);

  void Log(const std::string& line);
  Status CheckedBytes(const Tensor& t, int index, size_t* bytes) const;
  Status AllocateOwned(int index, Storage storage);
  void ResetVariable(int index);
  Status PrepareNode(int node_index);
  Status RunNode(int node_index);
  Status PreparePartitions();
  Status Allocate();
  Status AllocateOnce(bool* retry);
  Status Invoke();
  // Makes the host copy of variable `index` current (device -> host).
  Status SyncVariableToHost(int index);
  // Drops a partition back to the CPU (or fails without CPU fallback).
  Status DisablePartition(int p, const std::string& reason);
};

}  // namespace rnnlite
