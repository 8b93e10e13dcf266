// Shared by the CUDA suites: load the plugin once per option set (skip with
// the reason when no CUDA device is usable) and compare one SequenceRnn node
// run through it with the CPU reference (tests/support/rnn_test_configs.h).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "support/rnn_test_configs.h"

namespace rnnlite::testing::cuda {

using namespace ::rnnlite::testing::rnncfg;  // NOLINT: test helpers

inline const std::string kCudaPlugin = std::string(RNNLITE_TEST_PLUGIN_DIR) + "/librnnlite_cuda.so";

// tf32 mode (precision=tf32): GEMM inputs rounded to 10 mantissa bits, so
// about 1e-3 relative per product; on the short, contracting sequences used
// here the outputs stay within this.
inline constexpr float kTf32Atol = 5e-3f;
inline constexpr float kTf32Rtol = 5e-3f;

struct LoadedPlugin {
  std::shared_ptr<Delegate> delegate;
  std::string skip_reason;
};

// Loaded once per option set and kept for the process: tearing CUDA down
// from static destructors at exit races the runtime's own teardown.
inline const LoadedPlugin& Plugin(const std::map<std::string, std::string>& extra = {}) {
  static auto* cache = new std::map<std::map<std::string, std::string>, LoadedPlugin>();
  auto it = cache->find(extra);
  if (it != cache->end()) return it->second;
  LoadedPlugin loaded;
  DelegateOptions options;
  options.extra = extra;
  auto d = LoadDelegatePlugin(kCudaPlugin, options);
  if (d.ok()) {
    loaded.delegate = *d;
  } else {
    loaded.skip_reason = d.status().ToString();
  }
  return cache->emplace(extra, loaded).first->second;
}

// Loads the plugin into `var` or skips when no CUDA device is usable. A
// missing plugin file is a failure: the build must make it.
#define RNNLITE_CUDA_OR_SKIP(var, ...)                                                            \
  ASSERT_TRUE(std::filesystem::exists(::rnnlite::testing::cuda::kCudaPlugin))                     \
      << "plugin not built: " << ::rnnlite::testing::cuda::kCudaPlugin;                           \
  const auto& var##_loaded = ::rnnlite::testing::cuda::Plugin(__VA_ARGS__);                       \
  if (!var##_loaded.delegate) GTEST_SKIP() << "no usable CUDA device: " << var##_loaded.skip_reason; \
  std::shared_ptr<Delegate> var = var##_loaded.delegate

// Runs `c` on the CPU reference and through `cuda` (outputs poisoned with
// NaN first) and compares every output.
inline void ExpectSameAsCpu(const Config& c, const std::shared_ptr<Delegate>& cuda, float atol = kAtol,
                            float rtol = kRtol) {
  SCOPED_TRACE(c.label);
  Runner cpu(c.spec, nullptr);
  ASSERT_TRUE(cpu.status().ok()) << cpu.status().ToString();
  ASSERT_TRUE(cpu.Invoke().ok());
  Runner dev(c.spec, cuda);
  ASSERT_TRUE(dev.status().ok()) << dev.status().ToString();
  ASSERT_EQ(dev.Placement(), "cuda");
  Status s = dev.Invoke();
  ASSERT_TRUE(s.ok()) << s.ToString();
  static constexpr const char* kNames[] = {"Y", "Y_h", "Y_c", "Y_bw"};
  for (int slot = 0; slot < 4; ++slot) {
    if (!c.spec.outputs[static_cast<size_t>(slot)]) continue;
    EXPECT_TRUE(Close(dev.Output(slot), cpu.Output(slot), atol, rtol)) << kNames[slot];
  }
}

// A plain LSTM/GRU/RNN node with scaled weights and every output.
inline NodeSpec SimpleSpec(RnnCell cell, RnnDirection dir, int T, int B, int I, int H, uint32_t seed) {
  SequenceRnnParams p = MakeParams(cell, dir, H);
  if (cell == RnnCell::kGru) p.linear_before_reset = true;
  NodeSpec spec;
  spec.attrs = Attrs(p);
  Dims d;
  d.T = T;
  d.B = B;
  d.I = I;
  spec.inputs = RandomInputs(p, d, Extras{}, seed);
  PrepareWeights(&spec.inputs);
  spec.outputs = {true, true, cell == RnnCell::kLstm, false};
  return spec;
}

}  // namespace rnnlite::testing::cuda
