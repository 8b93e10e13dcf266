// librnnlite_vulkan.so: the delegate (support check + compile), the
// partition (Prepare / Invoke / state hand-off) and the plugin entry point.
//
// Options (DelegateOptions::extra; environment variables in brackets):
//   allow_cpu_device=1   [RNNLITE_VULKAN_ALLOW_CPU=1]  accept CPU devices (lavapipe)
//   validation=0|1|auto  [RNNLITE_VULKAN_VALIDATION]   Khronos validation layer
//   chunk_steps=N        steps per submit (default: from workspace_mb)
//   workspace_mb=N       per-node chunk workspace budget (default 64)
//   map_device_memory=0  never map device-local memory (test knob: exercises
//                        the staging paths of discrete GPUs on lavapipe)
//   precision=fp32|fp16  fp16: weights stored as fp16 (fp32 math) where the
//                        device has storageBuffer16BitAccess; otherwise fp32
//                        with a note in device(). Default: from
//                        DelegateOptions::precision (fp32).
//   hide_fp16=1          test knob: act as if the device lacked 16-bit storage
//   test_fault=SPEC      test knob: inject device faults (vk_fault.h), e.g.
//                        oom@compile, oom@prepare, oom@invoke:1,
//                        device_lost@invoke, no_compute_queue
//   test_fault_skip=N    the first N chances of each injected fault pass
//
// Threads: a delegate and each partition are used by one thread at a time;
// partitions of one delegate may run on different threads at once (they
// share the Context, whose queue, pipeline cache and counters are locked).
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "rnnlite/delegate.h"
#include "rnnlite/plugin_abi.h"
#include "vulkan/rnn_node.h"

namespace rnnlite::vk {
namespace {

class VulkanPartition final : public DelegatePartition {
 public:
  VulkanPartition(std::shared_ptr<Context> ctx, std::vector<std::unique_ptr<RnnNode>> nodes)
      : ctx_(std::move(ctx)), nodes_(std::move(nodes)), stream_(*ctx_) {}

  Status Init() { return stream_.Init(); }

  Status Prepare(PartitionIo& io) override {
    PhaseScope phase(FaultPhase::kPrepare);
    TensorLookup lookup = [&io](int i) -> const Tensor* {
      return i >= 0 && i < static_cast<int>(io.graph().tensors.size()) ? &io.tensor(i) : nullptr;
    };
    internal_.clear();
    for (auto& node : nodes_) {
      RNNLITE_RETURN_IF_ERROR(node->Prepare(io.graph(), lookup));
      // Tensors passed between this partition's nodes have no host memory
      // in the interpreter; the partition keeps them.
      const RnnNodePlan& p = node->plan();
      for (const std::vector<int>* list : {&p.in, &p.out}) {
        for (int idx : *list) {
          if (idx < 0) continue;
          const Tensor& t = io.tensor(idx);
          if (t.data != nullptr || t.is_constant() || t.is_variable) continue;
          const int64_t n = t.num_elements();
          internal_[idx].assign(static_cast<size_t>(n > 0 ? n : 0), 0.0f);
        }
      }
    }
    return Status::Ok();
  }

  Status Invoke(PartitionIo& io) override {
    PhaseScope phase(FaultPhase::kInvoke);
    HostData host = [this, &io](int i) -> uint8_t* {
      Tensor& t = io.tensor(i);
      if (t.data != nullptr) return t.data;
      if (t.constant_data != nullptr) return const_cast<uint8_t*>(t.constant_data);
      auto it = internal_.find(i);
      return it == internal_.end() ? nullptr : reinterpret_cast<uint8_t*>(it->second.data());
    };
    for (auto& node : nodes_) RNNLITE_RETURN_IF_ERROR(node->Run(stream_, host));
    return Status::Ok();
  }

  Status ReadVariable(int tensor_index, Tensor& host) override {
    RnnNode* node = Owner(tensor_index);
    if (node == nullptr) return InvalidArgument("tensor " + std::to_string(tensor_index) + " is not a state variable here");
    return node->ReadVariable(tensor_index, host);
  }

  Status WriteVariable(int tensor_index, const Tensor& host) override {
    RnnNode* node = Owner(tensor_index);
    if (node == nullptr) return InvalidArgument("tensor " + std::to_string(tensor_index) + " is not a state variable here");
    return node->WriteVariable(tensor_index, host);
  }

  std::string Describe() const override { return "Vulkan: " + ctx_->Describe(); }

 private:
  RnnNode* Owner(int tensor) {
    for (auto& node : nodes_) {
      if (node->state_variables().count(tensor)) return node.get();
    }
    return nullptr;
  }

  std::shared_ptr<Context> ctx_;
  std::vector<std::unique_ptr<RnnNode>> nodes_;
  CommandStream stream_;
  std::map<int, std::vector<float>> internal_;
};

class VulkanDelegate final : public Delegate {
 public:
  VulkanDelegate(DelegateOptions options, std::shared_ptr<Context> ctx, BackendOptions backend)
      : options_(std::move(options)), ctx_(std::move(ctx)), backend_(backend) {}

  std::string name() const override { return "vulkan"; }
  const DelegateOptions& options() const override { return options_; }
  std::string device() const override { return ctx_->Describe(); }
  DeviceMemoryStats device_memory() const override {
    DeviceMemoryStats m;
    m.available = true;
    m.current_bytes = ctx_->allocated_bytes();
    m.peak_bytes = ctx_->peak_bytes();
    return m;
  }

  SupportResult Supports(const Subgraph& graph, int node_index) const override {
    RnnNodePlan plan;
    Status s = PlanNode(graph, node_index, GraphLookup(graph), ctx_->caps(), /*final_shapes=*/false, &plan);
    return s.ok() ? SupportResult::Yes() : SupportResult::No(s.message());
  }

  StatusOr<std::unique_ptr<DelegatePartition>> Compile(const Subgraph& graph, const std::vector<int>& nodes) override {
    PhaseScope phase(FaultPhase::kCompile);
    std::vector<std::unique_ptr<RnnNode>> compiled;
    std::set<int> variables;
    for (int n : nodes) {
      auto node = std::make_unique<RnnNode>(ctx_, backend_);
      RNNLITE_RETURN_IF_ERROR(node->Compile(graph, n));
      for (const auto& [tensor, slot] : node->state_variables()) {
        if (!variables.insert(tensor).second) {
          return Unsupported("variable tensor " + std::to_string(tensor) + " is the state of two nodes");
        }
      }
      compiled.push_back(std::move(node));
    }
    auto partition = std::make_unique<VulkanPartition>(ctx_, std::move(compiled));
    RNNLITE_RETURN_IF_ERROR(partition->Init());
    return std::unique_ptr<DelegatePartition>(std::move(partition));
  }

 private:
  static TensorLookup GraphLookup(const Subgraph& graph) {
    return [&graph](int i) -> const Tensor* {
      return i >= 0 && i < static_cast<int>(graph.tensors.size()) ? &graph.tensors[i] : nullptr;
    };
  }

  DelegateOptions options_;
  std::shared_ptr<Context> ctx_;
  BackendOptions backend_;
};

// Option value: extra[key], else the environment variable, else fallback.
std::string Setting(const DelegateOptions& o, const char* key, const char* env, const std::string& fallback) {
  auto it = o.extra.find(key);
  if (it != o.extra.end()) return it->second;
  if (env != nullptr) {
    if (const char* v = std::getenv(env)) return v;
  }
  return fallback;
}

Status ParsePositive(const DelegateOptions& o, const char* key, int64_t* out) {
  const std::string v = o.Get(key);
  if (v.empty()) return Status::Ok();
  char* end = nullptr;
  errno = 0;
  const long long parsed = std::strtoll(v.c_str(), &end, 10);
  if (errno != 0 || end == v.c_str() || *end != '\0' || parsed <= 0) {
    return InvalidArgument(std::string("vulkan option ") + key + "=" + v + " is not a positive integer");
  }
  *out = parsed;
  return Status::Ok();
}

Status ParseNonNegative(const DelegateOptions& o, const char* key, int64_t* out) {
  const std::string v = o.Get(key);
  if (v.empty()) return Status::Ok();
  char* end = nullptr;
  errno = 0;
  const long long parsed = std::strtoll(v.c_str(), &end, 10);
  if (errno != 0 || end == v.c_str() || *end != '\0' || parsed < 0 || parsed > 1000000) {
    return InvalidArgument(std::string("vulkan option ") + key + "=" + v + " is not an integer in [0, 1000000]");
  }
  *out = parsed;
  return Status::Ok();
}

StatusOr<Delegate*> CreateDelegate(const DelegateOptions& options) {
  ContextOptions ctx_options;
  const std::string allow = Setting(options, "allow_cpu_device", "RNNLITE_VULKAN_ALLOW_CPU", "0");
  ctx_options.allow_cpu_device = allow == "1" || allow == "true";
  ctx_options.device_index = options.device_index;
  ctx_options.validation = Setting(options, "validation", "RNNLITE_VULKAN_VALIDATION", "0");
  if (ctx_options.validation != "0" && ctx_options.validation != "1" && ctx_options.validation != "auto") {
    return InvalidArgument("vulkan option validation=" + ctx_options.validation + " (expected 0, 1 or auto)");
  }
  const std::string map = options.Get("map_device_memory", "1");
  if (map != "0" && map != "1") return InvalidArgument("vulkan option map_device_memory=" + map + " (expected 0 or 1)");
  ctx_options.map_device_memory = map == "1";
  const std::string precision = options.Get("precision", options.precision == Precision::kFp16 ? "fp16" : "fp32");
  if (precision != "fp32" && precision != "fp16") {
    return InvalidArgument("vulkan option precision=" + precision + " (expected fp32 or fp16)");
  }
  ctx_options.want_fp16 = precision == "fp16";
  const std::string hide = options.Get("hide_fp16", "0");
  if (hide != "0" && hide != "1") return InvalidArgument("vulkan option hide_fp16=" + hide + " (expected 0 or 1)");
  ctx_options.hide_fp16 = hide == "1";
  ctx_options.test_fault = options.Get("test_fault");
  int64_t skip = 0;
  RNNLITE_RETURN_IF_ERROR(ParseNonNegative(options, "test_fault_skip", &skip));
  ctx_options.test_fault_skip = static_cast<int>(skip);
  BackendOptions backend;
  RNNLITE_RETURN_IF_ERROR(ParsePositive(options, "chunk_steps", &backend.chunk_steps));
  int64_t mb = 0;
  RNNLITE_RETURN_IF_ERROR(ParsePositive(options, "workspace_mb", &mb));
  if (mb > 0) backend.workspace_bytes = mb << 20;
  RNNLITE_ASSIGN_OR_RETURN(std::shared_ptr<Context> ctx, Context::Create(ctx_options));
  return static_cast<Delegate*>(new VulkanDelegate(options, std::move(ctx), backend));
}

void* Create(const void* options, char* error, size_t error_size) {
  if (options == nullptr) {
    std::snprintf(error, error_size, "no options");
    return nullptr;
  }
  auto delegate = CreateDelegate(*static_cast<const DelegateOptions*>(options));
  if (!delegate.ok()) {
    std::snprintf(error, error_size, "%s", delegate.status().message().c_str());
    return nullptr;
  }
  return *delegate;
}

void Destroy(void* delegate) { delete static_cast<Delegate*>(delegate); }

const RnnlitePluginInfo kInfo = {RNNLITE_PLUGIN_ABI_VERSION, "vulkan", &Create, &Destroy};

}  // namespace
}  // namespace rnnlite::vk

extern "C" __attribute__((visibility("default"))) const RnnlitePluginInfo* rnnlite_plugin_entry(void) {
  return &rnnlite::vk::kInfo;
}
