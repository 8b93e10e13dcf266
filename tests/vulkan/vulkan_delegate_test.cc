// The Vulkan plugin as a delegate: streaming state kept on the device across
// Invoke (equal to the CPU, through host reads, host writes and resets, and
// equal to one long run), partitions of several recurrent nodes, resizes,
// what Supports() declines and why, device selection and option errors.
#include <cstdio>
#include <cstdlib>
#include <functional>

#include "vulkan/vulkan_test_util.h"

namespace rnnlite::testing::vulkan {
namespace {

NodeSpec StreamingSpec(RnnCell cell, RnnDirection dir, RnnStateLayout state_layout, bool time_major, int T, int B,
                       uint32_t seed) {
  SequenceRnnParams p = MakeParams(cell, dir, 6, time_major);
  p.state_layout = state_layout;
  NodeSpec spec;
  spec.attrs = Attrs(p);
  Dims d;
  d.T = T;
  d.B = B;
  d.I = 4;
  spec.inputs = RandomInputs(p, d, Extras{}, seed);
  PrepareWeights(&spec.inputs);
  const bool lstm = cell == RnnCell::kLstm;
  spec.variable_slots = {in::kH0};
  if (lstm) spec.variable_slots.push_back(in::kC0);
  if (state_layout == RnnStateLayout::kPerDirection && p.num_directions() == 2) {
    spec.variable_slots.push_back(in::kH0Bw);
    if (lstm) spec.variable_slots.push_back(in::kC0Bw);
  }
  spec.outputs = {true, true, lstm, false};
  return spec;
}

struct StreamingCase {
  RnnCell cell;
  RnnDirection dir;
  RnnStateLayout layout;
  bool time_major;
};

// Each Invoke feeds a fresh chunk; the state carries over on the device.
void CheckStreaming(const StreamingCase& c, const std::shared_ptr<Delegate>& vulkan) {
  NodeSpec spec = StreamingSpec(c.cell, c.dir, c.layout, c.time_major, 3, 2, 61);
  Runner cpu(spec, nullptr), dev(spec, vulkan);
  ASSERT_TRUE(cpu.status().ok()) << cpu.status().ToString();
  ASSERT_TRUE(dev.status().ok()) << dev.status().ToString();
  ASSERT_EQ(dev.Placement(), "vulkan");
  std::vector<TestTensor> feed = spec.inputs;
  const TestTensor& x = spec.inputs[in::kX];
  auto run = [&](uint32_t seed) {
    feed[in::kX] = F32(x.shape, RandomFloats(static_cast<size_t>(NumElements(x.shape)), seed));
    ASSERT_TRUE(cpu.Invoke(feed).ok());
    Status s = dev.Invoke(feed);
    ASSERT_TRUE(s.ok()) << s.ToString();
    for (int slot = 0; slot < 3; ++slot) {
      if (spec.outputs[static_cast<size_t>(slot)]) {
        EXPECT_TRUE(Close(dev.Output(slot), cpu.Output(slot))) << "output " << slot << ", chunk seed " << seed;
      }
    }
  };
  for (uint32_t k = 0; k < 3; ++k) run(100 + k);  // no host reads in between
  for (int slot : spec.variable_slots) EXPECT_TRUE(Close(dev.State(slot), cpu.State(slot))) << "state " << slot;
  // A host write through the interpreter reaches the device.
  for (Runner* r : {&cpu, &dev}) {
    Tensor* h = r->interpreter().tensor(r->tensor_index(in::kH0));
    h->data_as<float>()[0] = 0.75f;
  }
  run(200);
  ASSERT_TRUE(cpu.interpreter().ResetVariableTensors().ok());
  ASSERT_TRUE(dev.interpreter().ResetVariableTensors().ok());
  run(300);
  for (int slot : spec.variable_slots) EXPECT_TRUE(Close(dev.State(slot), cpu.State(slot))) << "state " << slot;
}

TEST(VulkanDelegate, StreamingStateStaysOnDeviceAndMatchesCpu) {
  RNNLITE_VULKAN_OR_SKIP(mapped);
  // The state hand-off through staging copies, as on a discrete GPU, too.
  RNNLITE_VULKAN_OR_SKIP(staged, {{"map_device_memory", "0"}});
  const StreamingCase cases[] = {
      {RnnCell::kLstm, RnnDirection::kForward, RnnStateLayout::kPerDirection, true},
      {RnnCell::kLstm, RnnDirection::kBidirectional, RnnStateLayout::kPerDirection, false},
      {RnnCell::kLstm, RnnDirection::kBidirectional, RnnStateLayout::kStacked, false},
      {RnnCell::kGru, RnnDirection::kReverse, RnnStateLayout::kStacked, true},
      {RnnCell::kRnn, RnnDirection::kBidirectional, RnnStateLayout::kStacked, true},
  };
  for (const auto& vulkan : {mapped, staged}) {
    for (const StreamingCase& c : cases) {
      SCOPED_TRACE(RnnCellName(c.cell) + " direction " + std::to_string(static_cast<int>(c.dir)) + " state layout " +
                   std::to_string(static_cast<int>(c.layout)) + " time_major " + std::to_string(c.time_major) +
                   (vulkan == staged ? " (staged)" : ""));
      CheckStreaming(c, vulkan);
    }
  }
}

// Four Invokes of 5 steps with state on the device equal one run of 20.
TEST(VulkanDelegate, ChunkedInvokeEqualsOneLongRun) {
  RNNLITE_VULKAN_OR_SKIP(vulkan);
  const int chunks = 4, T = 5, B = 3;
  NodeSpec stream = StreamingSpec(RnnCell::kLstm, RnnDirection::kForward, RnnStateLayout::kPerDirection, true, T, B, 71);
  for (int slot : stream.variable_slots) {
    TestTensor& t = stream.inputs[static_cast<size_t>(slot)];
    t = F32(t.shape, std::vector<float>(static_cast<size_t>(NumElements(t.shape)), 0.0f));
  }
  NodeSpec whole = stream;
  whole.variable_slots.clear();
  whole.inputs[in::kH0] = Absent();
  whole.inputs[in::kC0] = Absent();
  const int I = stream.inputs[in::kX].shape[2];
  const std::vector<float> xs = RandomFloats(static_cast<size_t>(chunks * T * B * I), 72);
  whole.inputs[in::kX] = F32({chunks * T, B, I}, xs);
  Runner one(whole, vulkan), parts(stream, vulkan);
  ASSERT_TRUE(one.status().ok() && parts.status().ok());
  ASSERT_TRUE(one.Invoke().ok());
  const std::vector<float> y_all = one.Output(0).values<float>();
  std::vector<TestTensor> feed = stream.inputs;
  const size_t per_chunk = static_cast<size_t>(T * B * 6);
  for (int k = 0; k < chunks; ++k) {
    const auto begin = xs.begin() + static_cast<std::ptrdiff_t>(k) * T * B * I;
    feed[in::kX] = F32({T, B, I}, std::vector<float>(begin, begin + T * B * I));
    ASSERT_TRUE(parts.Invoke(feed).ok());
    TestTensor want = F32({T, 1, B, 6}, std::vector<float>(y_all.begin() + static_cast<std::ptrdiff_t>(k * per_chunk),
                                                          y_all.begin() + static_cast<std::ptrdiff_t>((k + 1) * per_chunk)));
    EXPECT_TRUE(Close(parts.Output(0), want)) << "chunk " << k;
  }
  EXPECT_TRUE(Close(parts.Output(1), one.Output(1)));
  EXPECT_TRUE(Close(parts.Output(2), one.Output(2)));
}

// Two stacked bidirectional GRU layers and an LSTM: one partition; the
// tensors between them never reach the interpreter's host memory.
TEST(VulkanDelegate, StackedLayersFormOnePartition) {
  RNNLITE_VULKAN_OR_SKIP(vulkan);
  const int T = 4, B = 2, I = 3, H = 5;
  GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, {T, B, I});
  auto layer = [&](RnnCell cell, int input, int in_size, uint32_t seed) {
    SequenceRnnParams p = MakeParams(cell, RnnDirection::kBidirectional, H);
    p.output_layout = RnnOutputLayout::kConcat;
    const int G = p.num_gates();
    int w = b.Constant("w" + std::to_string(seed), ConstF32({2, G * H, in_size}, RandomFloats(2 * G * H * in_size, seed)));
    int r = b.Constant("r" + std::to_string(seed), ConstF32({2, G * H, H}, RandomFloats(2 * G * H * H, seed + 1)));
    int y = b.Tensor("y" + std::to_string(seed), DType::kFloat32);
    b.AddCustomNode(kSequenceRnnCustomCode, {input, w, r}, {y}, Attrs(p));
    return y;
  };
  int y1 = layer(RnnCell::kGru, x, I, 81);
  int y2 = layer(RnnCell::kGru, y1, 2 * H, 83);
  int y3 = layer(RnnCell::kLstm, y2, 2 * H, 85);
  b.Output(y3);
  auto model = b.Build();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter cpu(*model), dev(*model);
  ASSERT_TRUE(dev.ModifyGraphWithDelegate(vulkan).ok());
  EXPECT_EQ(dev.num_partitions(), 1u);
  for (const NodePlacement& p : dev.placement()) EXPECT_EQ(p.backend, "vulkan") << p.reason;
  ASSERT_TRUE(cpu.AllocateTensors().ok());
  ASSERT_TRUE(dev.AllocateTensors().ok());
  const std::vector<float> xv = RandomFloats(T * B * I, 87);
  for (Interpreter* in : {&cpu, &dev}) std::memcpy(in->input_tensor(0)->data, xv.data(), xv.size() * 4);
  ASSERT_TRUE(cpu.Invoke().ok());
  Status s = dev.Invoke();
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto read = [](Interpreter& in) {
    const Tensor* t = in.output_tensor(0);
    return MakeTensor(DType::kFloat32, t->shape, std::vector<float>(t->data_as<float>(), t->data_as<float>() + t->num_elements()));
  };
  EXPECT_TRUE(Close(read(dev), read(cpu)));
}

// A dynamic T: the partition re-plans its chunk buffers on every resize.
TEST(VulkanDelegate, ResizeReplansBuffers) {
  RNNLITE_VULKAN_OR_SKIP(vulkan, {{"chunk_steps", "4"}});
  const int B = 2, I = 3, H = 7;
  GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, {1, B, I}, {-1, B, I});
  SequenceRnnParams p = MakeParams(RnnCell::kGru, RnnDirection::kBidirectional, H);
  int w = b.Constant("w", ConstF32({2, 3 * H, I}, RandomFloats(2 * 3 * H * I, 91)));
  int r = b.Constant("r", ConstF32({2, 3 * H, H}, RandomFloats(2 * 3 * H * H, 92)));
  int y = b.Tensor("y", DType::kFloat32), yh = b.Tensor("yh", DType::kFloat32);
  b.AddCustomNode(kSequenceRnnCustomCode, {x, w, r}, {y, yh}, Attrs(p));
  b.Output(y);
  b.Output(yh);
  auto model = b.Build();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter cpu(*model), dev(*model);
  ASSERT_TRUE(dev.ModifyGraphWithDelegate(vulkan).ok());
  for (int T : {1, 9, 4, 13}) {
    SCOPED_TRACE("T=" + std::to_string(T));
    const std::vector<float> xv = RandomFloats(static_cast<size_t>(T * B * I), 93 + T);
    std::vector<TestTensor> outs[2];
    int k = 0;
    for (Interpreter* in : {&cpu, &dev}) {
      ASSERT_TRUE(in->ResizeInputTensor(x, {T, B, I}).ok());
      ASSERT_TRUE(in->AllocateTensors().ok());
      std::memcpy(in->tensor(x)->data, xv.data(), xv.size() * 4);
      Status s = in->Invoke();
      ASSERT_TRUE(s.ok()) << s.ToString();
      for (size_t o = 0; o < 2; ++o) {
        const Tensor* t = in->output_tensor(o);
        outs[k].push_back(MakeTensor(DType::kFloat32, t->shape,
                                     std::vector<float>(t->data_as<float>(), t->data_as<float>() + t->num_elements())));
      }
      ++k;
    }
    EXPECT_EQ(dev.placement()[0].backend, "vulkan");
    for (size_t o = 0; o < 2; ++o) EXPECT_TRUE(Close(outs[1][o], outs[0][o])) << "output " << o;
  }
}

// Thousands of steps in several submits (at most 4096 steps are recorded per
// command buffer), both directions, one row ending early.
TEST(VulkanDelegate, LongSequence) {
  RNNLITE_VULKAN_OR_SKIP(vulkan);
  SequenceRnnParams p = MakeParams(RnnCell::kGru, RnnDirection::kBidirectional, 4);
  p.linear_before_reset = true;
  NodeSpec spec;
  spec.attrs = Attrs(p);
  Dims d;
  d.T = 5000;
  d.B = 2;
  d.I = 2;
  spec.inputs = RandomInputs(p, d, Extras{}, 97);
  PrepareWeights(&spec.inputs);
  spec.inputs[in::kSeqLens] = I32({2}, {5000, 3999});
  Runner cpu(spec, nullptr), dev(spec, vulkan);
  ASSERT_TRUE(cpu.Invoke().ok());
  Status s = dev.Invoke();
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(Close(dev.Output(0), cpu.Output(0)));
  EXPECT_TRUE(Close(dev.Output(1), cpu.Output(1)));
}

TEST(VulkanDelegate, SequenceLengthOutOfRangeIsAnError) {
  RNNLITE_VULKAN_OR_SKIP(vulkan);
  SequenceRnnParams p = MakeParams(RnnCell::kRnn, RnnDirection::kForward, 4);
  NodeSpec spec;
  spec.attrs = Attrs(p);
  spec.inputs = RandomInputs(p, Dims{}, Extras{}, 95);
  PrepareWeights(&spec.inputs);
  spec.inputs[in::kSeqLens] = I32({3}, {1, 7, 2});  // T = 4
  Runner dev(spec, vulkan);
  ASSERT_TRUE(dev.status().ok()) << dev.status().ToString();
  ASSERT_EQ(dev.Placement(), "vulkan");
  Status s = dev.Invoke();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("sequence_lengths[1] = 7"), std::string::npos) << s.message();
}

// What Supports() declines stays on the CPU, with the reason, and the
// results stay right (the same CPU reference runs in both interpreters).
TEST(VulkanDelegate, DeclinesWithReasonAndFallsBackToCpu) {
  RNNLITE_VULKAN_OR_SKIP(vulkan);
  struct Decline {
    std::string what;
    std::function<void(NodeSpec*)> edit;
    std::string reason;
  };
  SequenceRnnParams p = MakeParams(RnnCell::kLstm, RnnDirection::kForward, 4);
  auto to_f64 = [](TestTensor* t) {
    if (t->dtype != DType::kFloat32) return;
    const std::vector<float> f = t->values<float>();
    *t = MakeTensor(DType::kFloat64, t->shape, std::vector<double>(f.begin(), f.end()), t->constant);
  };
  const std::vector<Decline> cases = {
      {"weights fed at run time", [](NodeSpec* s) { s->inputs[in::kR].constant = false; }, "not a constant"},
      {"float64",
       [&](NodeSpec* s) {
         for (TestTensor& t : s->inputs) to_f64(&t);
         s->out_dtype = DType::kFloat64;
       },
       "float32 only"},
  };
  for (const Decline& c : cases) {
    SCOPED_TRACE(c.what);
    NodeSpec spec;
    spec.attrs = Attrs(p);
    spec.inputs = RandomInputs(p, Dims{}, Extras{}, 99);
    PrepareWeights(&spec.inputs);
    c.edit(&spec);
    Runner cpu(spec, nullptr), dev(spec, vulkan);
    ASSERT_TRUE(cpu.status().ok() && dev.status().ok()) << dev.status().ToString();
    const std::string placement = dev.Placement();
    EXPECT_EQ(placement.rfind("cpu: vulkan: ", 0), 0u) << placement;
    EXPECT_NE(placement.find(c.reason), std::string::npos) << placement;
    ASSERT_TRUE(cpu.Invoke().ok());
    ASSERT_TRUE(dev.Invoke().ok());
    EXPECT_EQ(dev.Output(0).bytes, cpu.Output(0).bytes);  // both ran the CPU reference
  }
  // Other ops and float64 nodes.
  GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, {2, 3});
  int y = b.Tensor("y", DType::kFloat32);
  b.AddNode(Op::kRelu, {x}, {y});
  b.Output(y);
  auto model = b.Build();
  ASSERT_TRUE(model.ok());
  SupportResult r = vulkan->Supports((*model)->graph().main(), 0);
  EXPECT_FALSE(r.supported);
  EXPECT_NE(r.reason.find("not SequenceRnn"), std::string::npos) << r.reason;
}

TEST(VulkanDelegate, ReportsDevice) {
  RNNLITE_VULKAN_OR_SKIP(vulkan);
  EXPECT_EQ(vulkan->name(), "vulkan");
  EXPECT_NE(vulkan->device().find("Vulkan"), std::string::npos) << vulkan->device();
  std::printf("Vulkan device: %s\n", vulkan->device().c_str());  // for CI logs
  RecordProperty("vulkan_device", vulkan->device());
}

TEST(VulkanDelegate, CpuDeviceOnlyWhenAllowed) {
  RNNLITE_VULKAN_OR_SKIP(vulkan);
  if (vulkan->device().find("[CPU") == std::string::npos) GTEST_SKIP() << "a GPU is present: " << vulkan->device();
  if (std::getenv("RNNLITE_VULKAN_ALLOW_CPU") != nullptr) GTEST_SKIP() << "RNNLITE_VULKAN_ALLOW_CPU is set";
  DelegateOptions options;
  options.extra["allow_cpu_device"] = "0";
  auto d = LoadDelegatePlugin(kVulkanPlugin, options);
  // Only CPU devices here: nothing is usable without the permission.
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("allow_cpu_device=1"), std::string::npos) << d.status().message();
}

TEST(VulkanDelegate, BadOptionsAreErrors) {
  RNNLITE_VULKAN_OR_SKIP(vulkan);
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"chunk_steps", "abc"}, {"chunk_steps", "0"}, {"workspace_mb", "-3"}, {"validation", "maybe"},
           {"map_device_memory", "yes"}}) {
    DelegateOptions options;
    options.extra = {{"allow_cpu_device", "1"}, {key, value}};
    auto d = LoadDelegatePlugin(kVulkanPlugin, options);
    EXPECT_FALSE(d.ok()) << key << "=" << value;
  }
  DelegateOptions options;
  options.extra = {{"allow_cpu_device", "1"}};
  options.device_index = 99;
  EXPECT_FALSE(LoadDelegatePlugin(kVulkanPlugin, options).ok());
}

}  // namespace
}  // namespace rnnlite::testing::vulkan
