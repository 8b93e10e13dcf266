// fp16 mode of the Vulkan backend (precision=fp16 or
// DelegateOptions::precision = kFp16): weights stored as fp16 on devices
// with storageBuffer16BitAccess, all arithmetic, state and activations fp32.
// Lavapipe exposes 16-bit storage, so the fp16 shaders really run here.
//
// Tolerance against the fp32 CPU reference:
//   |got - want| <= 5e-3 + 1e-2 * |want|
// fp16 rounds each weight by up to 2^-11 (4.9e-4) relative; a dot product
// over K inputs of magnitude <= 0.6 then moves by ~5e-4 * sqrt(K) * 0.6 in
// the worst realistic case, and the contracting recurrences of these tests
// (PrepareWeights) keep the error from growing with T. Devices without the
// feature run fp32 and say so in device(); those results must meet the fp32
// tolerance.
#include <cstdio>
#include <random>

#include "vulkan/vulkan_test_util.h"

namespace rnnlite::testing::vulkan {
namespace {

constexpr float kFp16Atol = 5e-3f;
constexpr float kFp16Rtol = 1e-2f;

NodeSpec RandomSpec(uint32_t seed) {
  std::mt19937 rng(seed * 104729u + 5u);
  auto pick = [&rng](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  const RnnCell cell = static_cast<RnnCell>(pick(3));
  const RnnDirection dir = static_cast<RnnDirection>(pick(3));
  const int hidden = std::vector<int>{1, 7, 33, 64, 70}[static_cast<size_t>(pick(5))];
  SequenceRnnParams p = MakeParams(cell, dir, hidden, pick(2) == 0);
  Extras e;
  e.bias = pick(5) != 0;
  e.h0 = pick(2) == 0;
  e.c0 = pick(2) == 0;
  if (cell == RnnCell::kLstm) {
    e.peephole = pick(3) == 0;
    if (pick(3) == 0) {
      p.proj_size = std::vector<int>{3, 40}[static_cast<size_t>(pick(2))];
      e.projection = true;
      e.proj_bias = pick(2) == 0;
    }
    e.layer_norm = pick(4) == 0;
  }
  if (cell == RnnCell::kGru) p.linear_before_reset = pick(2) == 0;
  Dims d;
  d.T = std::vector<int>{1, 4, 11}[static_cast<size_t>(pick(3))];
  d.B = 1 + pick(4);
  d.I = std::vector<int>{2, 16, 50}[static_cast<size_t>(pick(3))];
  NodeSpec spec;
  spec.attrs = Attrs(p);
  spec.inputs = RandomInputs(p, d, e, seed + 500u);
  PrepareWeights(&spec.inputs);
  spec.outputs = {true, true, cell == RnnCell::kLstm, false};
  return spec;
}

// Runs `spec` on the CPU and through `delegate`; every present output within
// atol + rtol * |want|. Returns the largest |device - cpu| seen.
double ExpectClose(const NodeSpec& spec, const std::shared_ptr<Delegate>& delegate, float atol, float rtol) {
  Runner cpu(spec, nullptr);
  EXPECT_TRUE(cpu.status().ok()) << cpu.status().ToString();
  EXPECT_TRUE(cpu.Invoke().ok());
  Runner dev(spec, delegate);
  EXPECT_TRUE(dev.status().ok()) << dev.status().ToString();
  if (!dev.status().ok()) return 0.0;
  EXPECT_EQ(dev.Placement(), "vulkan");
  const Status s = dev.Invoke();
  EXPECT_TRUE(s.ok()) << s.ToString();
  double worst = 0.0;
  for (int slot = 0; slot < 3; ++slot) {
    if (!spec.outputs[static_cast<size_t>(slot)]) continue;
    const TestTensor got = dev.Output(slot), want = cpu.Output(slot);
    EXPECT_TRUE(Close(got, want, atol, rtol)) << "output " << slot;
    const std::vector<float> g = got.values<float>(), w = want.values<float>();
    for (size_t i = 0; i < g.size() && i < w.size(); ++i) worst = std::max(worst, std::fabs(double(g[i]) - w[i]));
  }
  return worst;
}

TEST(VulkanFp16, DeviceReportsFp16OrTheFallback) {
  RNNLITE_VULKAN_OR_SKIP(fp16, {{"precision", "fp16"}});
  const std::string device = fp16->device();
  EXPECT_TRUE(device.find("fp16 weights") != std::string::npos ||
              device.find("running fp32") != std::string::npos)
      << device;
  RNNLITE_VULKAN_OR_SKIP(fp32);
  EXPECT_EQ(fp32->device().find("fp16"), std::string::npos) << "fp32 is the default: " << fp32->device();
}

TEST(VulkanFp16, RandomConfigsWithinFp16Tolerance) {
  RNNLITE_VULKAN_OR_SKIP(fp16, {{"precision", "fp16"}});
  RNNLITE_VULKAN_OR_SKIP(fp32);
  const bool active = fp16->device().find("fp16 weights") != std::string::npos;
  double worst_fp16 = 0.0, worst_fp32 = 0.0;
  for (uint32_t seed = 0; seed < 40; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const NodeSpec spec = RandomSpec(seed);
    worst_fp16 = std::max(worst_fp16, ExpectClose(spec, fp16, kFp16Atol, kFp16Rtol));
    worst_fp32 = std::max(worst_fp32, ExpectClose(spec, fp32, kAtol, kRtol));
    if (::testing::Test::HasFailure()) return;
  }
  std::printf("largest |device - cpu|: fp16 mode %.3g, fp32 mode %.3g\n", worst_fp16, worst_fp32);
  // fp16 weights must actually be in use where the device has the feature:
  // rounding them moves the results visibly beyond the fp32 differences.
  if (active) {
    EXPECT_GT(worst_fp16, 10.0 * worst_fp32);
  }
}

TEST(VulkanFp16, PrecisionFieldSelectsFp16LikeTheExtraOption) {
  ASSERT_TRUE(std::filesystem::exists(kVulkanPlugin));
  DelegateOptions options;
  options.precision = Precision::kFp16;
  options.extra = {{"allow_cpu_device", "1"}, {"validation", "auto"}};
  auto d = LoadDelegatePlugin(kVulkanPlugin, options);
  if (!d.ok()) GTEST_SKIP() << "no usable Vulkan device: " << d.status().ToString();
  RNNLITE_VULKAN_OR_SKIP(by_extra, {{"precision", "fp16"}});
  EXPECT_EQ((*d)->device(), by_extra->device());
  ExpectClose(RandomSpec(3), *d, kFp16Atol, kFp16Rtol);
}

TEST(VulkanFp16, MissingFeatureFallsBackToFp32) {
  RNNLITE_VULKAN_OR_SKIP(hidden, {{"precision", "fp16"}, {"hide_fp16", "1"}});
  EXPECT_NE(hidden->device().find("running fp32"), std::string::npos) << hidden->device();
  EXPECT_EQ(hidden->device().find("fp16 weights"), std::string::npos) << hidden->device();
  for (uint32_t seed = 0; seed < 6; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    ExpectClose(RandomSpec(seed), hidden, kAtol, kRtol);
  }
}

TEST(VulkanFp16, WeightsOutsideTheFp16RangeKeepTheNodeInFp32) {
  RNNLITE_VULKAN_OR_SKIP(fp16, {{"precision", "fp16"}});
  NodeSpec spec = RandomSpec(7);
  // 7e4 is beyond fp16's largest finite value (65504): stored as fp16 it
  // would become inf and the outputs NaN.
  TestTensor& w = spec.inputs[in::kW];
  std::vector<float> v = w.values<float>();
  v[0] = 7e4f;
  std::memcpy(w.bytes.data(), v.data(), w.bytes.size());
  // The fp32 tolerance also proves the node's other weights stayed fp32:
  // fp16 rounding alone moves these outputs by ~1e-4.
  ExpectClose(spec, fp16, kAtol, kRtol);
}

TEST(VulkanFp16, UnknownPrecisionIsAnError) {
  ASSERT_TRUE(std::filesystem::exists(kVulkanPlugin));
  DelegateOptions options;
  options.extra = {{"allow_cpu_device", "1"}, {"precision", "fp8"}};
  auto d = LoadDelegatePlugin(kVulkanPlugin, options);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("precision=fp8"), std::string::npos) << d.status().ToString();
}

}  // namespace
}  // namespace rnnlite::testing::vulkan
