// Shared by the Vulkan suites: load the plugin once per option set (skip
// with the reason when no Vulkan device is usable), run one SequenceRnn node
// on the CPU reference and through the plugin with poisoned outputs, and
// compare with a stated tolerance.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "unit/sequence_rnn_test_helpers.h"

namespace rnnlite::testing::vulkan {

using namespace ::rnnlite::testing::seqrnn;  // NOLINT: test helpers

inline const std::string kVulkanPlugin = std::string(RNNLITE_TEST_PLUGIN_DIR) + "/librnnlite_vulkan.so";

// fp32 tolerance against the CPU reference: |got - want| <= kAtol + kRtol * |want|.
// The device sums dot products in another order (tiled gemm, shared-memory
// tiles), so results differ by a few ulps per step; 1e-5 relative holds
// with margin on the short random sequences used here.
inline constexpr float kAtol = 2e-6f;
inline constexpr float kRtol = 1e-5f;

struct LoadedPlugin {
  std::shared_ptr<Delegate> delegate;
  std::string skip_reason;
};

// The plugin with allow_cpu_device=1 (lavapipe), validation=auto and
// `extra`, loaded once per distinct option set and kept for the process.
// Deliberately never destroyed: at exit the validation layer's own statics
// may already be gone, and tearing a Vulkan device down from a static
// destructor then crashes inside the layer.
inline const LoadedPlugin& Plugin(const std::map<std::string, std::string>& extra = {}) {
  static auto* cache = new std::map<std::map<std::string, std::string>, LoadedPlugin>();
  auto it = cache->find(extra);
  if (it != cache->end()) return it->second;
  LoadedPlugin loaded;
  DelegateOptions options;
  options.extra = extra;
  options.extra.emplace("allow_cpu_device", "1");
  options.extra.emplace("validation", "auto");
  auto d = LoadDelegatePlugin(kVulkanPlugin, options);
  if (d.ok()) {
    loaded.delegate = *d;
  } else {
    loaded.skip_reason = d.status().ToString();
  }
  return cache->emplace(extra, loaded).first->second;
}

// Loads the plugin into `var` or skips the test when no device is usable.
// A missing plugin file is a failure, not a skip: the build must make it.
#define RNNLITE_VULKAN_OR_SKIP(var, ...)                                                          \
  ASSERT_TRUE(std::filesystem::exists(::rnnlite::testing::vulkan::kVulkanPlugin))                 \
      << "plugin not built: " << ::rnnlite::testing::vulkan::kVulkanPlugin;                       \
  const auto& var##_loaded = ::rnnlite::testing::vulkan::Plugin(__VA_ARGS__);                     \
  if (!var##_loaded.delegate) GTEST_SKIP() << "no usable Vulkan device: " << var##_loaded.skip_reason; \
  std::shared_ptr<Delegate> var = var##_loaded.delegate

// Makes the weight slots of `inputs` constant (the plugin uploads weights at
// compile and declines nodes whose weights are graph inputs) and scales the
// recurrent and projection matrices by ~2.3 / sqrt(columns), which keeps
// their spectral radius below one. Unscaled random matrices make many random
// recurrences chaotic, where any two correct fp32 implementations drift
// apart by orders of magnitude within a few steps (rounding differences
// amplified 3-4x per step), and no fixed tolerance could tell that from a bug.
inline void PrepareWeights(std::vector<TestTensor>* inputs) {
  for (int slot : {in::kW, in::kR, in::kWb, in::kRb, in::kPeephole, in::kProjW, in::kProjB, in::kLayerNorm,
                   in::kAuxW}) {
    TestTensor& t = (*inputs)[static_cast<size_t>(slot)];
    if (t.dtype == DType::kVariant) continue;
    t.constant = true;
    if ((slot == in::kR || slot == in::kProjW) && !t.shape.empty()) {
      const float scale = std::min(1.0f, 2.3f / std::sqrt(static_cast<float>(t.shape.back())));
      std::vector<float> v = t.values<float>();
      for (float& f : v) f *= scale;
      std::memcpy(t.bytes.data(), v.data(), t.bytes.size());
    }
  }
}

// One SequenceRnn node in an interpreter, optionally delegated.
class Runner {
 public:
  Runner(const NodeSpec& spec, std::shared_ptr<Delegate> delegate) : spec_(spec) {
    GraphBuilder b;
    for (size_t i = 0; i < spec.inputs.size(); ++i) {
      const TestTensor& t = spec.inputs[i];
      const std::string name = "in" + std::to_string(i);
      if (IsVariable(static_cast<int>(i))) {
        inputs_.push_back(b.Variable(name, t.dtype, t.shape));
      } else if (t.dtype == DType::kVariant) {
        inputs_.push_back(kNoTensor);
      } else if (t.constant) {
        inputs_.push_back(b.Constant(name, t));
      } else {
        inputs_.push_back(b.Input(name, t.dtype, t.shape));
      }
    }
    for (size_t i = 0; i < spec.outputs.size(); ++i) {
      int idx = kNoTensor;
      if (spec.outputs[i]) {
        idx = b.Tensor("out" + std::to_string(i), spec.out_dtype);
        b.Output(idx);
      }
      outputs_.push_back(idx);
    }
    std::vector<int> outs = outputs_;
    while (!outs.empty() && outs.back() == kNoTensor) outs.pop_back();
    b.AddCustomNode(kSequenceRnnCustomCode, inputs_, outs, spec.attrs);
    auto model = b.Build();
    if (!model.ok()) {
      status_ = model.status();
      return;
    }
    interp_ = std::make_unique<Interpreter>(*model);
    if (delegate) {
      status_ = interp_->ModifyGraphWithDelegate(delegate);
      if (!status_.ok()) return;
    }
    status_ = interp_->AllocateTensors();
    if (!status_.ok()) return;
    for (int slot : spec.variable_slots) {
      const TestTensor& t = spec.inputs[static_cast<size_t>(slot)];
      Tensor* v = interp_->tensor(inputs_[static_cast<size_t>(slot)]);
      if (!t.bytes.empty() && v->bytes == t.bytes.size()) std::memcpy(v->data, t.bytes.data(), t.bytes.size());
    }
  }

  const Status& status() const { return status_; }
  Interpreter& interpreter() { return *interp_; }
  // "vulkan" when the node was delegated, else "cpu" (+ the reason).
  std::string Placement() const {
    auto p = interp_->placement();
    return p.empty() ? "none" : p[0].backend + (p[0].reason.empty() ? "" : ": " + p[0].reason);
  }

  // Feeds the non-constant, non-variable inputs, fills every output with NaN
  // (an element the device does not write then fails the comparison) and
  // invokes.
  Status Invoke(const std::vector<TestTensor>& inputs) {
    if (!status_.ok()) return status_;
    for (size_t i = 0; i < inputs_.size() && i < inputs.size(); ++i) {
      const TestTensor& t = spec_.inputs[i];
      if (inputs_[i] == kNoTensor || t.constant || IsVariable(static_cast<int>(i))) continue;
      Tensor* dst = interp_->tensor(inputs_[i]);
      if (dst->bytes != inputs[i].bytes.size()) return Internal("feed size mismatch for slot " + std::to_string(i));
      if (!inputs[i].bytes.empty()) std::memcpy(dst->data, inputs[i].bytes.data(), inputs[i].bytes.size());
    }
    for (int idx : outputs_) {
      if (idx < 0) continue;
      Tensor* t = interp_->tensor(idx);
      float* f = t->data_as<float>();
      for (int64_t k = 0; k < t->num_elements(); ++k) f[k] = std::numeric_limits<float>::quiet_NaN();
    }
    return interp_->Invoke();
  }
  Status Invoke() { return Invoke(spec_.inputs); }

  TestTensor Output(int slot) { return Read(outputs_[static_cast<size_t>(slot)]); }
  TestTensor State(int slot) { return Read(inputs_[static_cast<size_t>(slot)]); }
  int tensor_index(int slot) const { return inputs_[static_cast<size_t>(slot)]; }

 private:
  bool IsVariable(int slot) const {
    for (int s : spec_.variable_slots) {
      if (s == slot) return true;
    }
    return false;
  }
  TestTensor Read(int index) {
    TestTensor t;
    if (index < 0) return t;
    const Tensor* src = interp_->tensor(index);
    t.dtype = src->dtype;
    t.shape = src->shape;
    t.bytes.assign(src->data, src->data + src->bytes);
    return t;
  }

  NodeSpec spec_;
  std::vector<int> inputs_, outputs_;
  Status status_;
  std::unique_ptr<Interpreter> interp_;
};

// Every element within tolerance, no NaN; reports the worst element.
inline ::testing::AssertionResult Close(const TestTensor& got, const TestTensor& want, float atol = kAtol,
                                        float rtol = kRtol) {
  if (got.shape != want.shape) {
    return ::testing::AssertionFailure() << "shape " << ShapeToString(got.shape) << " vs " << ShapeToString(want.shape);
  }
  const std::vector<float> g = got.values<float>(), w = want.values<float>();
  if (g.size() != w.size()) return ::testing::AssertionFailure() << "size " << g.size() << " vs " << w.size();
  size_t bad = 0, worst = 0;
  double worst_excess = -1.0;
  for (size_t i = 0; i < g.size(); ++i) {
    const double err = std::fabs(static_cast<double>(g[i]) - w[i]);
    const double excess = std::isnan(g[i]) || std::isnan(w[i]) ? 1e30 : err - (atol + rtol * std::fabs(w[i]));
    if (excess > 0) ++bad;
    if (excess > worst_excess) {
      worst_excess = excess;
      worst = i;
    }
  }
  if (bad == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << bad << " of " << g.size() << " elements off; worst at flat index " << worst
                                       << ": got " << g[worst] << ", want " << w[worst];
}

}  // namespace rnnlite::testing::vulkan
