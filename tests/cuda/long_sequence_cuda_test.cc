// 1,000,000 steps at B = 1, H = 256 (issue 6): time chunking keeps device
// memory independent of T, so this must run, on both engines. Only Y_h / Y_c
// are requested (Y alone would be 1 GB on the host); the check is that the
// run succeeds, the final state is finite and in range, the device memory
// peak equals a 10,000-step run's, and the first 10,000 steps of the same
// input (a prefix run) agree with the CPU reference. Takes tens of seconds
// on an H100; skips without a device.
#include <chrono>

#include "cuda/cuda_test_util.h"

namespace rnnlite::testing::cuda {
namespace {

using Extra = std::map<std::string, std::string>;

NodeSpec LongSpec(int T) {
  NodeSpec spec = SimpleSpec(RnnCell::kLstm, RnnDirection::kForward, T, 1, 16, 256, 97);
  spec.outputs = {false, true, true, false};
  return spec;
}

void RunMillion(const Extra& extra) {
  DelegateOptions options;
  options.extra = extra;
  uint64_t peak_short = 0;
  {
    auto d = LoadDelegatePlugin(kCudaPlugin, options);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    Config c;
    c.spec = LongSpec(10000);
    c.label = "T=10000";
    ExpectSameAsCpu(c, *d, 1e-4f, 1e-4f);  // 10k steps: rounding accumulates a little
    peak_short = (*d)->device_memory().peak_bytes;
  }
  auto d = LoadDelegatePlugin(kCudaPlugin, options);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  const NodeSpec spec = LongSpec(1000000);
  Runner dev(spec, *d);
  ASSERT_TRUE(dev.status().ok()) << dev.status().ToString();
  ASSERT_EQ(dev.Placement(), "cuda");
  const auto start = std::chrono::steady_clock::now();
  Status s = dev.Invoke();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::printf("1,000,000 steps: %.2f s (%.2f us/step)\n", seconds, seconds);
  for (int slot : {1, 2}) {
    const std::vector<float> v = dev.Output(slot).values<float>();
    ASSERT_EQ(v.size(), 256u);
    for (float f : v) {
      ASSERT_TRUE(std::isfinite(f)) << "slot " << slot;
      if (slot == 1) {
        ASSERT_LE(std::fabs(f), 1.0f);  // h = o * tanh(c)
      }
    }
  }
  EXPECT_EQ((*d)->device_memory().peak_bytes, peak_short) << "device memory grew with T";
}

TEST(CudaLongSequence, MillionStepsCudnn) {
  RNNLITE_CUDA_OR_SKIP(probe);
  RunMillion({});
}

TEST(CudaLongSequence, MillionStepsCustomKernels) {
  RNNLITE_CUDA_OR_SKIP(probe);
  RunMillion({{"engine", "custom"}});
}

}  // namespace
}  // namespace rnnlite::testing::cuda
