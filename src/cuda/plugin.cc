// librnnlite_cuda.so: the delegate (support check + compile), the partition
// (Prepare / Invoke / state hand-off) and the plugin entry point.
//
// Options (DelegateOptions::extra; environment variables in brackets):
//   engine=auto|cudnn|custom  [RNNLITE_CUDA_ENGINE] auto: cuDNN where it
//                        computes the node exactly, custom kernels elsewhere;
//                        cudnn: decline what cuDNN cannot do; custom: never cuDNN
//   precision=fp32|tf32  fp32 (default): TF32 off everywhere. tf32: tensor-op
//                        math (cuBLAS TF32, cuDNN with down-conversion);
//                        DelegateOptions::precision == kFp16 selects it too
//   chunk_steps=N        steps per chunk (default: from workspace_mb)
//   workspace_mb=N       per-node chunk buffer budget (default 64)
//   cudnn_library=PATH   [RNNLITE_CUDNN_LIBRARY]  default libcudnn.so.9
//   cublas_library=PATH  [RNNLITE_CUBLAS_LIBRARY] default libcublas.so.13, .12
//   test_fail=compile|prepare|invoke  [RNNLITE_CUDA_TEST_FAIL] fault injection
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "cuda/rnn_node.h"
#include "rnnlite/delegate.h"
#include "rnnlite/plugin_abi.h"

namespace rnnlite::cu {
namespace {

// What the delegate and its partitions share (partitions may outlive the
// delegate object).
struct Backend {
  DeviceInfo device;
  MemoryTracker memory;
  BackendOptions options;
};

class CudaPartition final : public DelegatePartition {
 public:
  CudaPartition(std::shared_ptr<Backend> backend, std::unique_ptr<PartitionContext> ctx)
      : backend_(std::move(backend)), ctx_(std::move(ctx)) {}

  // Nodes are destroyed (their buffers freed) before the stream and handles.
  ~CudaPartition() override { nodes_.clear(); }

  PartitionContext* context() { return ctx_.get(); }
  void Add(std::unique_ptr<RnnNode> node) { nodes_.push_back(std::move(node)); }

  Status Prepare(PartitionIo& io) override {
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
    HostData host = [this, &io](int i) -> uint8_t* {
      Tensor& t = io.tensor(i);
      if (t.data != nullptr) return t.data;
      if (t.constant_data != nullptr) return const_cast<uint8_t*>(t.constant_data);
      auto it = internal_.find(i);
      return it == internal_.end() ? nullptr : reinterpret_cast<uint8_t*>(it->second.data());
    };
    for (auto& node : nodes_) RNNLITE_RETURN_IF_ERROR(node->Run(host));
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

  std::string Describe() const override {
    std::string s = "CUDA: " + backend_->device.Describe();
    for (const auto& node : nodes_) s += "; node " + std::to_string(node->plan().node) + ": " + node->plan().Describe();
    return s;
  }

 private:
  RnnNode* Owner(int tensor) {
    for (auto& node : nodes_) {
      if (node->state_variables().count(tensor)) return node.get();
    }
    return nullptr;
  }

  std::shared_ptr<Backend> backend_;
  std::unique_ptr<PartitionContext> ctx_;
  std::vector<std::unique_ptr<RnnNode>> nodes_;
  std::map<int, std::vector<float>> internal_;
};

class CudaDelegate final : public Delegate {
 public:
  CudaDelegate(DelegateOptions options, std::shared_ptr<Backend> backend)
      : options_(std::move(options)), backend_(std::move(backend)) {}

  std::string name() const override { return "cuda"; }
  const DelegateOptions& options() const override { return options_; }
  std::string device() const override {
    return backend_->device.Describe() + (backend_->options.math == MathMode::kTf32 ? " [tf32 math]" : "");
  }
  DeviceMemoryStats device_memory() const override {
    DeviceMemoryStats s;
    s.available = true;
    s.current_bytes = backend_->memory.current();
    s.peak_bytes = backend_->memory.peak();
    return s;
  }

  SupportResult Supports(const Subgraph& graph, int node_index) const override {
    RnnNodePlan plan;
    TensorLookup lookup = [&graph](int i) -> const Tensor* {
      return i >= 0 && i < static_cast<int>(graph.tensors.size()) ? &graph.tensors[i] : nullptr;
    };
    Status s = PlanNode(graph, node_index, lookup, backend_->options, /*final_shapes=*/false, &plan);
    return s.ok() ? SupportResult::Yes() : SupportResult::No(s.message());
  }

  StatusOr<std::unique_ptr<DelegatePartition>> Compile(const Subgraph& graph, const std::vector<int>& nodes) override {
    RNNLITE_ASSIGN_OR_RETURN(std::unique_ptr<PartitionContext> ctx,
                             PartitionContext::Create(backend_->device, &backend_->memory, backend_->options.math));
    auto partition = std::make_unique<CudaPartition>(backend_, std::move(ctx));
    std::set<int> variables;
    for (int n : nodes) {
      auto node = std::make_unique<RnnNode>(partition->context(), backend_->options);
      RNNLITE_RETURN_IF_ERROR(node->Compile(graph, n));
      for (const auto& [tensor, slot] : node->state_variables()) {
        if (!variables.insert(tensor).second) {
          return Unsupported("variable tensor " + std::to_string(tensor) + " is the state of two nodes");
        }
      }
      partition->Add(std::move(node));
    }
    return std::unique_ptr<DelegatePartition>(std::move(partition));
  }

 private:
  DelegateOptions options_;
  std::shared_ptr<Backend> backend_;
};

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
    return InvalidArgument(std::string("cuda option ") + key + "=" + v + " is not a positive integer");
  }
  *out = parsed;
  return Status::Ok();
}

StatusOr<BackendOptions> ParseOptions(const DelegateOptions& options) {
  BackendOptions b;
  const std::string engine = Setting(options, "engine", "RNNLITE_CUDA_ENGINE", "auto");
  if (engine == "auto") {
    b.engine = EngineChoice::kAuto;
  } else if (engine == "cudnn") {
    b.engine = EngineChoice::kCudnn;
  } else if (engine == "custom") {
    b.engine = EngineChoice::kCustom;
  } else {
    return InvalidArgument("cuda option engine=" + engine + " (expected auto, cudnn or custom)");
  }
  const std::string precision =
      options.Get("precision", options.precision == Precision::kFp16 ? "tf32" : "fp32");
  if (precision != "fp32" && precision != "tf32") {
    return InvalidArgument("cuda option precision=" + precision + " (expected fp32 or tf32)");
  }
  b.math = precision == "tf32" ? MathMode::kTf32 : MathMode::kFp32;
  RNNLITE_RETURN_IF_ERROR(ParsePositive(options, "chunk_steps", &b.chunk_steps));
  int64_t mb = 0;
  RNNLITE_RETURN_IF_ERROR(ParsePositive(options, "workspace_mb", &mb));
  if (mb > 0) b.workspace_bytes = mb << 20;
  b.fail_at = Setting(options, "test_fail", "RNNLITE_CUDA_TEST_FAIL", "");
  if (!b.fail_at.empty() && b.fail_at != "compile" && b.fail_at != "prepare" && b.fail_at != "invoke") {
    return InvalidArgument("cuda option test_fail=" + b.fail_at + " (expected compile, prepare or invoke)");
  }
  return b;
}

StatusOr<Delegate*> CreateDelegate(const DelegateOptions& options) {
  auto backend = std::make_shared<Backend>();
  RNNLITE_ASSIGN_OR_RETURN(backend->options, ParseOptions(options));
  RNNLITE_ASSIGN_OR_RETURN(backend->device, OpenDevice(options.device_index,
                                                       Setting(options, "cudnn_library", "RNNLITE_CUDNN_LIBRARY", ""),
                                                       Setting(options, "cublas_library", "RNNLITE_CUBLAS_LIBRARY", "")));
  return static_cast<Delegate*>(new CudaDelegate(options, std::move(backend)));
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

const RnnlitePluginInfo kInfo = {RNNLITE_PLUGIN_ABI_VERSION, "cuda", &Create, &Destroy};

}  // namespace
}  // namespace rnnlite::cu

extern "C" __attribute__((visibility("default"))) const RnnlitePluginInfo* rnnlite_plugin_entry(void) {
  return &rnnlite::cu::kInfo;
}
