// A delegate for tests, built as a real plugin and loaded through the same
// loader as the GPU backends. It claims the op kinds listed in the option
// "ops" (comma-separated names as NodeOpName prints them) and computes its
// partitions on the host with a private Interpreter, whose tensors play the
// role of device memory: internal tensors and variable state live there, so
// a wrong hand-off between host and "device" shows up as a wrong answer.
//
// Options (DelegateOptions::extra):
//   ops=ADD,RELU        op kinds to claim
//   fail=create|compile|prepare|invoke   inject a failure at that stage
//   name=NAME           delegate name (default "test")
//   fail_after=N        with fail=invoke: the first N invokes succeed
//   fail_count=K        with fail=invoke: only K invokes fail, then it works again
//   lose_state=1        a failed invoke also loses the partition's variable
//                       state (ReadVariable fails until the next Prepare), as
//                       when a GPU is lost
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <sstream>

#include "rnnlite/delegate.h"
#include "rnnlite/interpreter.h"
#include "rnnlite/model.h"
#include "rnnlite/plugin_abi.h"

#ifndef RNNLITE_TEST_ABI_VERSION
#define RNNLITE_TEST_ABI_VERSION RNNLITE_PLUGIN_ABI_VERSION
#endif

namespace rnnlite::test_delegate {
namespace {

std::set<std::string> SplitList(const std::string& s) {
  std::set<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.insert(item);
  }
  return out;
}

int IntOption(const DelegateOptions& o, const char* key, int fallback) {
  const std::string v = o.Get(key);
  return v.empty() ? fallback : std::atoi(v.c_str());
}

class HostPartition final : public DelegatePartition {
 public:
  HostPartition(std::string fail, const DelegateOptions& o)
      : fail_(std::move(fail)),
        fail_after_(IntOption(o, "fail_after", 0)),
        fail_count_(IntOption(o, "fail_count", -1)),
        lose_state_(o.Get("lose_state") == "1") {}

  Status Prepare(PartitionIo& io) override {
    if (fail_ == "prepare") return Internal("injected prepare failure");
    const bool lost = state_lost_;
    state_lost_ = false;
    const Subgraph& g = io.graph();
    // The private graph: every tensor (so indices match), the partition's
    // nodes, its boundary as graph inputs/outputs. Shapes as of now.
    Graph graph;
    Subgraph sub;
    sub.tensors = g.tensors;
    for (size_t i = 0; i < sub.tensors.size(); ++i) {
      Tensor& t = sub.tensors[i];
      t.shape = io.tensor(static_cast<int>(i)).shape;
      t.shape_signature.clear();
      t.data = nullptr;
      t.bytes = 0;
    }
    for (int n : io.nodes()) sub.nodes.push_back(g.nodes[n]);
    sub.inputs = io.inputs();
    sub.outputs = io.outputs();
    graph.subgraphs.push_back(std::move(sub));
    auto model = Model::FromGraph(std::move(graph));
    if (!model.ok()) return model.status();
    // State carried from a previous plan survives a re-Prepare.
    std::map<int, std::vector<uint8_t>> saved;
    if (!lost) saved = SaveVariables(io);
    device_ = std::make_unique<Interpreter>(*model);
    RNNLITE_RETURN_IF_ERROR(device_->AllocateTensors());
    for (auto& [idx, bytes] : saved) {
      Tensor* t = device_->tensor(idx);
      if (t->bytes == bytes.size()) std::memcpy(t->data, bytes.data(), bytes.size());
    }
    return Status::Ok();
  }

  Status Invoke(PartitionIo& io) override {
    if (fail_ == "invoke" && attempts_++ >= fail_after_ && (fail_count_ < 0 || failed_ < fail_count_)) {
      ++failed_;
      state_lost_ = lose_state_;
      return Internal("injected invoke failure");
    }
    if (state_lost_) return FailedPrecondition("state lost; Prepare first");
    if (!device_) return FailedPrecondition("Invoke before Prepare");
    for (int idx : io.inputs()) {
      const Tensor& host = io.tensor(idx);
      Tensor* dev = device_->tensor(idx);
      if (dev->bytes != host.bytes) return Internal("input size changed without Prepare");
      if (host.bytes) std::memcpy(dev->data, host.data, host.bytes);
    }
    RNNLITE_RETURN_IF_ERROR(device_->Invoke());
    for (int idx : io.outputs()) {
      Tensor& host = io.tensor(idx);
      const Tensor* dev = device_->tensor(idx);
      if (dev->shape != host.shape || dev->bytes != host.bytes) {
        return Internal("output '" + host.name + "' shape differs from the host plan");
      }
      if (host.bytes) std::memcpy(host.data, dev->data, host.bytes);
    }
    ++invocations_;
    return Status::Ok();
  }

  Status ReadVariable(int index, Tensor& host) override {
    if (!device_) return FailedPrecondition("no device state yet");
    if (state_lost_) return Unavailable("injected: device state lost");
    const Tensor* dev = device_->tensor(index);
    if (dev == nullptr || dev->bytes != host.bytes) return Internal("variable size mismatch");
    std::memcpy(host.data, dev->data, host.bytes);
    return Status::Ok();
  }

  Status WriteVariable(int index, const Tensor& host) override {
    if (!device_) return FailedPrecondition("no device state yet");
    Tensor* dev = device_->tensor(index);
    if (dev == nullptr || dev->bytes != host.bytes) return Internal("variable size mismatch");
    std::memcpy(dev->data, host.data, host.bytes);
    return Status::Ok();
  }

  std::string Describe() const override { return "host (test delegate)"; }

 private:
  std::map<int, std::vector<uint8_t>> SaveVariables(PartitionIo& io) {
    std::map<int, std::vector<uint8_t>> saved;
    if (!device_) return saved;
    for (int idx : io.variables()) {
      const Tensor* t = device_->tensor(idx);
      if (t != nullptr && t->data != nullptr) saved[idx].assign(t->data, t->data + t->bytes);
    }
    return saved;
  }

  std::string fail_;
  int fail_after_ = 0;
  int fail_count_ = -1;
  bool lose_state_ = false;
  int attempts_ = 0;
  int failed_ = 0;
  bool state_lost_ = false;
  std::unique_ptr<Interpreter> device_;
  int invocations_ = 0;
};

class TestDelegate final : public Delegate {
 public:
  explicit TestDelegate(DelegateOptions options)
      : options_(std::move(options)), ops_(SplitList(options_.Get("ops"))), fail_(options_.Get("fail")) {}

  std::string name() const override { return options_.Get("name", "test"); }
  const DelegateOptions& options() const override { return options_; }
  std::string device() const override { return "host"; }

  SupportResult Supports(const Subgraph& graph, int node_index) const override {
    Status s = CheckNode(graph, node_index);
    return s.ok() ? SupportResult::Yes() : SupportResult::No(s.message());
  }

  StatusOr<std::unique_ptr<DelegatePartition>> Compile(const Subgraph& graph, const std::vector<int>& nodes) override {
    if (fail_ == "compile") return Internal("injected compile failure");
    for (int n : nodes) RNNLITE_RETURN_IF_ERROR(CheckNode(graph, n));
    return std::unique_ptr<DelegatePartition>(new HostPartition(fail_, options_));
  }

 private:
  // The one check that both Supports and Compile run.
  Status CheckNode(const Subgraph& graph, int node_index) const {
    if (node_index < 0 || node_index >= static_cast<int>(graph.nodes.size())) {
      return InvalidArgument("node index out of range");
    }
    const std::string op = NodeOpName(graph.nodes[node_index]);
    if (!ops_.count(op)) return Unsupported("op " + op + " not in this test delegate's list");
    return Status::Ok();
  }

  DelegateOptions options_;
  std::set<std::string> ops_;
  std::string fail_;
};

void* Create(const void* options, char* error, size_t error_size) {
  const auto* opts = static_cast<const DelegateOptions*>(options);
  if (opts->Get("fail") == "create") {
    std::snprintf(error, error_size, "injected create failure (no device)");
    return nullptr;
  }
  return static_cast<Delegate*>(new TestDelegate(*opts));
}

void Destroy(void* delegate) { delete static_cast<Delegate*>(delegate); }

const RnnlitePluginInfo kInfo = {RNNLITE_TEST_ABI_VERSION, "test", &Create, &Destroy};

}  // namespace
}  // namespace rnnlite::test_delegate

#ifndef RNNLITE_TEST_NO_ENTRY
extern "C" __attribute__((visibility("default"))) const RnnlitePluginInfo* rnnlite_plugin_entry(void) {
  return &rnnlite::test_delegate::kInfo;
}
#endif
