// The Vulkan backend against the CPU reference on seeded random SequenceRnn
// configurations: every cell (LSTM, GRU lbr 0/1, RNN), direction, layout,
// sequence lengths (absent, random with 0 and T, all equal), initial
// states, projection, peepholes, CIFG / input_forget, clips, activations,
// aux input, hidden sizes on and off the workgroup size, batch 1 and > 1,
// T = 1 and longer, one chunk and many (the seeded list is shared with the
// CUDA tests: tests/support/rnn_test_configs.h). Outputs are poisoned with
// NaN before every run.
#include "support/rnn_test_configs.h"
#include "vulkan/vulkan_test_util.h"

namespace rnnlite::testing::vulkan {
namespace {

// The configurations shared with the CUDA backend's tests.
using rnncfg::Config;
using rnncfg::RandomConfig;

void ExpectSameAsCpu(const Config& c, const std::shared_ptr<Delegate>& vulkan) {
  SCOPED_TRACE(c.label);
  Runner cpu(c.spec, nullptr);
  ASSERT_TRUE(cpu.status().ok()) << cpu.status().ToString();
  ASSERT_TRUE(cpu.Invoke().ok());
  Runner dev(c.spec, vulkan);
  ASSERT_TRUE(dev.status().ok()) << dev.status().ToString();
  ASSERT_EQ(dev.Placement(), "vulkan");
  Status s = dev.Invoke();
  ASSERT_TRUE(s.ok()) << s.ToString();
  static constexpr const char* kNames[] = {"Y", "Y_h", "Y_c", "Y_bw"};
  for (int slot = 0; slot < 4; ++slot) {
    if (!c.spec.outputs[static_cast<size_t>(slot)]) continue;
    EXPECT_TRUE(Close(dev.Output(slot), cpu.Output(slot))) << kNames[slot];
  }
}

// Even seeds run with the default chunking (one submit for these short
// sequences), odd seeds with two steps per submit, so chunk boundaries fall
// inside every kind of sequence; every fourth seed with device memory left
// unmapped, so weights and state move through staging copies as on a
// discrete GPU. One test (not one per seed) keeps the per-process device
// start-up out of the suite's run time.
TEST(VulkanSequenceRnn, RandomConfigsMatchCpuReference) {
  RNNLITE_VULKAN_OR_SKIP(vulkan);
  RNNLITE_VULKAN_OR_SKIP(chunked, {{"chunk_steps", "2"}});
  RNNLITE_VULKAN_OR_SKIP(staged, {{"map_device_memory", "0"}});
  for (uint32_t seed = 0; seed < 96; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    ExpectSameAsCpu(RandomConfig(seed), seed % 4 == 2 ? staged : seed % 2 == 1 ? chunked : vulkan);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

NodeSpec Lstm(int T, int B, int I, int H, RnnDirection dir, uint32_t seed) {
  SequenceRnnParams p = MakeParams(RnnCell::kLstm, dir, H);
  NodeSpec spec;
  spec.attrs = Attrs(p);
  Dims d;
  d.T = T;
  d.B = B;
  d.I = I;
  spec.inputs = RandomInputs(p, d, Extras{}, seed);
  PrepareWeights(&spec.inputs);
  spec.outputs = {true, true, true, false};
  return spec;
}

TEST(VulkanSequenceRnn, ZeroAndFullLengthsInOneBatch) {
  RNNLITE_VULKAN_OR_SKIP(vulkan);
  for (RnnDirection dir : {RnnDirection::kForward, RnnDirection::kReverse, RnnDirection::kBidirectional}) {
    Config c;
    c.spec = Lstm(6, 4, 3, 5, dir, 41);
    c.spec.inputs[in::kSeqLens] = I32({4}, {0, 6, 3, 1});
    c.label = "lengths 0 6 3 1, direction " + std::to_string(static_cast<int>(dir));
    ExpectSameAsCpu(c, vulkan);
  }
}

TEST(VulkanSequenceRnn, LongSequenceAcrossManyChunks) {
  RNNLITE_VULKAN_OR_SKIP(vulkan, {{"chunk_steps", "37"}});
  Config c;
  c.spec = Lstm(300, 2, 4, 8, RnnDirection::kBidirectional, 43);
  c.spec.inputs[in::kSeqLens] = I32({2}, {300, 251});
  c.label = "T=300, 37 steps per submit";
  ExpectSameAsCpu(c, vulkan);
}

TEST(VulkanSequenceRnn, WideHiddenSizeSpansWorkgroups) {
  RNNLITE_VULKAN_OR_SKIP(vulkan);
  for (RnnCell cell : {RnnCell::kLstm, RnnCell::kGru, RnnCell::kRnn}) {
    SequenceRnnParams p = MakeParams(cell, RnnDirection::kBidirectional, 200);
    Config c;
    c.spec.attrs = Attrs(p);
    Dims d;
    d.T = 3;
    d.B = 2;
    d.I = 33;
    c.spec.inputs = RandomInputs(p, d, Extras{}, 47);
    PrepareWeights(&c.spec.inputs);
    c.label = "H=200 " + RnnCellName(cell);
    ExpectSameAsCpu(c, vulkan);
  }
}

// Layer norm reduces over all H units in one workgroup: H = 150 spans
// several passes of it; with CIFG, peepholes and a projection.
TEST(VulkanSequenceRnn, LayerNormAcrossWorkgroupPasses) {
  RNNLITE_VULKAN_OR_SKIP(vulkan);
  for (bool cifg : {false, true}) {
    SequenceRnnParams p = MakeParams(RnnCell::kLstm, RnnDirection::kBidirectional, 150);
    p.cifg = cifg;
    p.proj_size = cifg ? 40 : 0;
    Config c;
    c.spec.attrs = Attrs(p);
    Dims d;
    d.T = 4;
    d.B = 3;
    d.I = 5;
    Extras e;
    e.peephole = true;
    e.layer_norm = true;
    e.proj_bias = cifg;
    c.spec.inputs = RandomInputs(p, d, e, 59);
    c.spec.inputs[in::kSeqLens] = I32({3}, {4, 0, 2});
    PrepareWeights(&c.spec.inputs);
    c.spec.outputs = {true, true, true, false};
    c.label = std::string("layer norm H=150 cifg=") + (cifg ? "1" : "0");
    ExpectSameAsCpu(c, vulkan);
  }
}

TEST(VulkanSequenceRnn, EmptySequenceReturnsInitialState) {
  RNNLITE_VULKAN_OR_SKIP(vulkan);
  Config c;
  c.spec = Lstm(0, 3, 2, 4, RnnDirection::kBidirectional, 53);
  c.label = "T=0";
  ExpectSameAsCpu(c, vulkan);
}

}  // namespace
}  // namespace rnnlite::testing::vulkan
