// The Vulkan backend against the CPU reference on seeded random SequenceRnn
// configurations: every cell (LSTM, GRU lbr 0/1, RNN), direction, layout,
// sequence lengths (absent, random with 0 and T, all equal), initial
// states, projection, peepholes, CIFG / input_forget, clips, activations,
// aux input, hidden sizes on and off the workgroup size, batch 1 and > 1,
// T = 1 and longer, one chunk and many. Outputs are poisoned with NaN before
// every run.
#include <random>

#include "vulkan/vulkan_test_util.h"

namespace rnnlite::testing::vulkan {
namespace {

template <typename T>
T Pick(std::mt19937& rng, const std::vector<T>& options) {
  return options[std::uniform_int_distribution<size_t>(0, options.size() - 1)(rng)];
}

bool Chance(std::mt19937& rng, double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }

float Uniform(std::mt19937& rng, float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(rng); }

// Activations with well-behaved alpha/beta for random models.
RnnActivationSpec RandomActivation(std::mt19937& rng) {
  const RnnActivation kind = Pick<RnnActivation>(
      rng, {RnnActivation::kSigmoid, RnnActivation::kTanh, RnnActivation::kRelu, RnnActivation::kHardSigmoid,
            RnnActivation::kLeakyRelu, RnnActivation::kThresholdedRelu, RnnActivation::kScaledTanh,
            RnnActivation::kAffine, RnnActivation::kElu, RnnActivation::kSoftsign, RnnActivation::kSoftplus,
            RnnActivation::kRelu6, RnnActivation::kReluN1To1});
  RnnActivationSpec a = DefaultRnnActivation(kind);
  switch (kind) {
    case RnnActivation::kHardSigmoid: a.alpha = Uniform(rng, 0.1f, 0.5f); a.beta = Uniform(rng, 0.3f, 0.7f); break;
    case RnnActivation::kLeakyRelu: a.alpha = Uniform(rng, 0.01f, 0.3f); break;
    case RnnActivation::kThresholdedRelu: a.alpha = Uniform(rng, 0.05f, 0.3f); break;
    case RnnActivation::kScaledTanh: a.alpha = Uniform(rng, 0.5f, 1.5f); a.beta = Uniform(rng, 0.5f, 1.5f); break;
    case RnnActivation::kAffine: a.alpha = Uniform(rng, 0.3f, 0.9f); a.beta = Uniform(rng, -0.2f, 0.2f); break;
    case RnnActivation::kElu: a.alpha = Uniform(rng, 0.5f, 1.5f); break;
    default: break;
  }
  return a;
}

struct Config {
  NodeSpec spec;
  std::string label;
};

Config RandomConfig(uint32_t seed) {
  std::mt19937 rng(seed * 7919u + 17u);
  SequenceRnnParams p;
  p.cell = Pick<RnnCell>(rng, {RnnCell::kLstm, RnnCell::kLstm, RnnCell::kGru, RnnCell::kGru, RnnCell::kRnn});
  p.direction = Pick<RnnDirection>(rng, {RnnDirection::kForward, RnnDirection::kReverse, RnnDirection::kBidirectional});
  p.time_major = Chance(rng, 0.5);
  p.hidden_size = Pick<int32_t>(rng, {1, 3, 8, 17, 64, 70});
  const bool lstm = p.cell == RnnCell::kLstm;
  if (lstm) {
    if (Chance(rng, 0.3)) p.proj_size = Pick<int32_t>(rng, {2, 5, 66});
    if (Chance(rng, 0.2)) {
      p.cifg = true;
    } else if (Chance(rng, 0.15)) {
      p.input_forget = true;
    }
    if (Chance(rng, 0.25)) p.cell_clip = Uniform(rng, 0.3f, 1.5f);
    if (p.proj_size > 0 && Chance(rng, 0.4)) p.proj_clip = Uniform(rng, 0.1f, 0.6f);
  }
  if (p.cell == RnnCell::kGru) p.linear_before_reset = Chance(rng, 0.5);
  if (Chance(rng, 0.2)) p.gate_clip = Uniform(rng, 0.3f, 1.5f);
  const int D = p.num_directions();
  const size_t acts = static_cast<size_t>(p.activations_per_direction() * D);
  if (Chance(rng, 0.35)) {
    for (size_t i = 0; i < acts; ++i) p.activations.push_back(RandomActivation(rng));
  }
  p.output_layout = Pick<RnnOutputLayout>(rng, {RnnOutputLayout::kStacked, RnnOutputLayout::kConcat, RnnOutputLayout::kSplit});
  p.state_layout = Pick<RnnStateLayout>(rng, {RnnStateLayout::kStacked, RnnStateLayout::kPerDirection});
  AttrMap attrs;
  p.ToAttrs(&attrs);  // empty activation lists: FromAttrs fills the cell's defaults
  p = SequenceRnnParams::FromAttrs(attrs).value();

  Dims dims;
  dims.T = Pick<int>(rng, {1, 2, 5, 9});
  dims.B = Pick<int>(rng, {1, 2, 3, 5});
  dims.I = Pick<int>(rng, {1, 3, 6, 20});
  Extras e;
  e.bias = Chance(rng, 0.8);
  e.h0 = Chance(rng, 0.6);
  e.c0 = Chance(rng, 0.6);
  e.peephole = lstm && Chance(rng, 0.35);
  e.layer_norm = lstm && Chance(rng, 0.3);
  e.proj_bias = p.proj_size > 0 && Chance(rng, 0.6);
  e.aux = Chance(rng, 0.15);
  if (e.aux) dims.I2 = Pick<int>(rng, {1, 4});

  Config c;
  c.spec.attrs = attrs;
  c.spec.inputs = RandomInputs(p, dims, e, seed + 1000u);
  PrepareWeights(&c.spec.inputs);
  std::string lens_label = "none";
  if (Chance(rng, 0.5)) {
    std::vector<int64_t> lens(static_cast<size_t>(dims.B));
    const int kind = Pick<int>(rng, {0, 1, 2});
    for (int b = 0; b < dims.B; ++b) {
      if (kind == 0) lens[static_cast<size_t>(b)] = dims.T;  // all equal
      else lens[static_cast<size_t>(b)] = std::uniform_int_distribution<int>(0, dims.T)(rng);
    }
    if (kind == 2) {  // both ends present
      lens[0] = 0;
      lens[static_cast<size_t>(dims.B - 1)] = dims.T;
    }
    if (Chance(rng, 0.5)) {
      c.spec.inputs[in::kSeqLens] = I64({dims.B}, lens);
    } else {
      c.spec.inputs[in::kSeqLens] = I32({dims.B}, std::vector<int32_t>(lens.begin(), lens.end()));
    }
    std::ostringstream os;
    for (int64_t l : lens) os << l << ' ';
    lens_label = os.str();
  }
  c.spec.outputs = {Chance(rng, 0.9), Chance(rng, 0.7), lstm && Chance(rng, 0.7),
                    p.output_layout == RnnOutputLayout::kSplit && D == 2};
  if (!c.spec.outputs[0] && !c.spec.outputs[1] && !c.spec.outputs[2]) c.spec.outputs[1] = true;
  std::ostringstream os;
  os << p.Describe() << " T=" << dims.T << " B=" << dims.B << " I=" << dims.I << " I2=" << dims.I2
     << " bias=" << e.bias << " h0=" << e.h0 << " c0=" << e.c0 << " peephole=" << e.peephole
     << " proj_bias=" << e.proj_bias << " layer_norm=" << e.layer_norm << " lens=" << lens_label;
  c.label = os.str();
  return c;
}

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
