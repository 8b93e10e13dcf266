// Delegates: backends that take over groups of nodes ("partitions").
//
// A backend implements Delegate: Supports() answers per node (yes, or no
// with a reason) and Compile() turns a list of supported nodes into a
// DelegatePartition. Supports() must run the same code that Compile() uses
// to build the kernel, so the answer and the kernel never disagree.
// The interpreter partitions the graph once, in ModifyGraphWithDelegate;
// the partition then sees Prepare (all shapes known) and Invoke.
//
// Backends built as plugins (librnnlite_<name>.so) export one C entry point,
// declared in rnnlite/plugin_abi.h. docs/delegates.md walks through writing one.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rnnlite/graph.h"
#include "rnnlite/status.h"
#include "rnnlite/tensor.h"

namespace rnnlite {

enum class Precision { kFp32 = 0, kFp16 = 1 };

struct DelegateOptions {
  int max_partitions = 0;           // 0: unlimited; else keep the largest N
  int min_nodes_per_partition = 1;  // smaller groups stay on the CPU
  Precision precision = Precision::kFp32;  // fp16 only when asked for
  int device_index = 0;
  // false: any node left on the CPU, or any backend failure, is an error
  // instead of a CPU fallback ("require full delegation").
  bool allow_cpu_fallback = true;
  // Backend-specific settings ("allow_cpu_device=1", test fault injection).
  std::map<std::string, std::string> extra;

  std::string Get(const std::string& key, const std::string& fallback = "") const {
    auto it = extra.find(key);
    return it == extra.end() ? fallback : it->second;
  }
};

struct SupportResult {
  bool supported = false;
  std::string reason;  // why not (empty when supported)
  static SupportResult Yes() { return {true, ""}; }
  static SupportResult No(std::string why) { return {false, std::move(why)}; }
};

// What a partition sees of the interpreter. Tensor shapes and dtypes of
// every tensor the partition touches are set before Prepare; host data is
// valid only for boundary inputs (read) and boundary outputs (write).
class PartitionIo {
 public:
  virtual ~PartitionIo() = default;
  virtual const Subgraph& graph() const = 0;
  // Nodes (indices into graph().nodes) in execution order.
  virtual const std::vector<int>& nodes() const = 0;
  // Tensors read from / written to the host at the partition boundary.
  virtual const std::vector<int>& inputs() const = 0;
  virtual const std::vector<int>& outputs() const = 0;
  // Variable (state) tensors read and written by the partition's nodes. Their
  // state may live on the device between Invoke calls (see ReadVariable).
  virtual const std::vector<int>& variables() const = 0;
  // The interpreter's tensor: current shape/dtype; data for boundary tensors.
  virtual Tensor& tensor(int index) = 0;
};

class DelegatePartition {
 public:
  virtual ~DelegatePartition() = default;
  // Shapes are known: size device buffers, plan work. Called by
  // AllocateTensors (again after every resize).
  virtual Status Prepare(PartitionIo& io) = 0;
  // Reads io.inputs() from the host, computes, writes io.outputs() to the
  // host. Variables are read and updated where the partition keeps them.
  virtual Status Invoke(PartitionIo& io) = 0;
  // Copies a variable's current state to `host` (same shape and dtype).
  virtual Status ReadVariable(int tensor_index, Tensor& host) = 0;
  // Replaces a variable's state with `host` (after a reset or a CPU write).
  virtual Status WriteVariable(int tensor_index, const Tensor& host) = 0;
  // e.g. "NVIDIA H100 (cuDNN 9.1)"; shown by inspect.
  virtual std::string Describe() const { return ""; }
};

// Device memory a backend holds for its partitions (weights, state,
// workspace), for `rnnlite bench` and reports.
struct DeviceMemoryStats {
  bool available = false;   // false: the backend does not track it
  uint64_t current_bytes = 0;
  uint64_t peak_bytes = 0;  // high-water mark since the delegate was created
};

class Delegate {
 public:
  virtual ~Delegate() = default;
  virtual std::string name() const = 0;
  virtual const DelegateOptions& options() const = 0;
  // Device or backend in words, for reports ("lavapipe (CPU)").
  virtual std::string device() const { return ""; }
  virtual DeviceMemoryStats device_memory() const { return {}; }
  virtual SupportResult Supports(const Subgraph& graph, int node_index) const = 0;
  virtual StatusOr<std::unique_ptr<DelegatePartition>> Compile(const Subgraph& graph,
                                                               const std::vector<int>& nodes) = 0;
};

// Loads a backend plugin. `name_or_path` is a backend name ("vulkan" looks
// for librnnlite_vulkan.so on RNNLITE_PLUGIN_PATH, then next to
// librnnlite.so) or a path to a shared library. Every failure (missing file,
// wrong ABI version, missing entry point, no driver) is a Status.
StatusOr<std::shared_ptr<Delegate>> LoadDelegatePlugin(const std::string& name_or_path,
                                                       const DelegateOptions& options = {});

// Where a node runs after partitioning.
struct NodePlacement {
  int node = 0;
  std::string backend = "cpu";  // "cpu" or the delegate's name
  int partition = -1;           // index in the interpreter's partition list
  std::string reason;           // why it stayed on the CPU (if it did)
};

}  // namespace rnnlite
