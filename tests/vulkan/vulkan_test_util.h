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

#include "support/rnn_test_configs.h"
#include "unit/sequence_rnn_test_helpers.h"

namespace rnnlite::testing::vulkan {

using namespace ::rnnlite::testing::seqrnn;  // NOLINT: test helpers

inline const std::string kVulkanPlugin = std::string(RNNLITE_TEST_PLUGIN_DIR) + "/librnnlite_vulkan.so";

// Tolerances, weight preparation, the one-node Runner and Close() are the
// cross-backend harness's (support/rnn_test_configs.h), shared with CUDA.
using rnncfg::Close;
using rnncfg::kAtol;
using rnncfg::kRtol;
using rnncfg::PrepareWeights;
using rnncfg::Runner;

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

}  // namespace rnnlite::testing::vulkan
