// Device faults injected into the Vulkan plugin (option test_fault, see
// src/vulkan/vk_fault.h) at the real call sites: out of device memory at
// compile, prepare and invoke, a device lost during Invoke, an ICD without
// a compute queue. Each must give a clear error or a CPU fallback as
// allow_cpu_fallback says, never a crash, hang or wrong answer, and
// streaming state must continue from the last good Invoke or be reported
// reset. Also: device_memory() accounting.
#include "vulkan/vulkan_test_util.h"

namespace rnnlite::testing::vulkan {
namespace {

// Streaming LSTM, T = 6 in chunks of 2 steps: three submits per Invoke, so a
// fault can hit the middle of a run.
constexpr int kSubmitsPerInvoke = 3;

NodeSpec Streaming(uint32_t seed) {
  SequenceRnnParams p = MakeParams(RnnCell::kLstm, RnnDirection::kForward, 5);
  NodeSpec spec;
  spec.attrs = Attrs(p);
  Dims d;
  d.T = 6;
  d.B = 2;
  d.I = 4;
  spec.inputs = RandomInputs(p, d, Extras{}, seed);
  PrepareWeights(&spec.inputs);
  spec.variable_slots = {in::kH0, in::kC0};
  spec.outputs = {true, true, true, false};
  return spec;
}

// A fresh delegate (its own device and counters), or the load error.
StatusOr<std::shared_ptr<Delegate>> Fresh(std::map<std::string, std::string> extra, bool fallback = true) {
  DelegateOptions options;
  options.extra = std::move(extra);
  options.extra["allow_cpu_device"] = "1";
  options.extra["chunk_steps"] = "2";
  options.allow_cpu_fallback = fallback;
  return LoadDelegatePlugin(kVulkanPlugin, options);
}

#define RNNLITE_FRESH(var, ...)                                     \
  auto var##_or = Fresh(__VA_ARGS__);                               \
  ASSERT_TRUE(var##_or.ok()) << var##_or.status().ToString();       \
  std::shared_ptr<Delegate> var = *var##_or

std::vector<TestTensor> Feed(const NodeSpec& spec, uint32_t seed) {
  std::vector<TestTensor> feed = spec.inputs;
  const Shape& s = spec.inputs[in::kX].shape;
  feed[in::kX] = F32(s, RandomFloats(static_cast<size_t>(NumElements(s)), seed));
  return feed;
}

void ExpectSameAsCpu(Runner& dev, Runner& cpu, const NodeSpec& spec, const char* what) {
  for (int slot = 0; slot < 3; ++slot) EXPECT_TRUE(Close(dev.Output(slot), cpu.Output(slot))) << what << " output " << slot;
  for (int slot : spec.variable_slots) EXPECT_TRUE(Close(dev.State(slot), cpu.State(slot))) << what << " state " << slot;
}

bool Contains(const Status& s, const std::string& what) { return s.message().find(what) != std::string::npos; }

TEST(VulkanFaults, OomAtCompileFallsBackOrFails) {
  RNNLITE_VULKAN_OR_SKIP(base);
  const NodeSpec spec = Streaming(1);
  RNNLITE_FRESH(faulty, {{"test_fault", "oom@compile"}});
  Runner cpu(spec, nullptr), dev(spec, faulty);
  ASSERT_TRUE(dev.status().ok()) << dev.status().ToString();
  EXPECT_NE(dev.Placement().find("cpu: vulkan: compile failed"), std::string::npos) << dev.Placement();
  EXPECT_NE(dev.Placement().find("VK_ERROR_OUT_OF_DEVICE_MEMORY"), std::string::npos) << dev.Placement();
  ASSERT_TRUE(cpu.Invoke().ok());
  ASSERT_TRUE(dev.Invoke().ok());
  ExpectSameAsCpu(dev, cpu, spec, "fallback");
  EXPECT_EQ(faulty->device_memory().current_bytes, 0u) << "a failed compile frees what it allocated";

  RNNLITE_FRESH(strict, {{"test_fault", "oom@compile"}}, false);
  Runner no_fallback(spec, strict);
  EXPECT_EQ(no_fallback.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(Contains(no_fallback.status(), "VK_ERROR_OUT_OF_DEVICE_MEMORY")) << no_fallback.status().ToString();
}

TEST(VulkanFaults, OomAtPrepareFallsBackOrFails) {
  RNNLITE_VULKAN_OR_SKIP(base);
  const NodeSpec spec = Streaming(2);
  RNNLITE_FRESH(faulty, {{"test_fault", "oom@prepare"}});
  Runner cpu(spec, nullptr), dev(spec, faulty);
  ASSERT_TRUE(dev.status().ok()) << dev.status().ToString();
  EXPECT_NE(dev.Placement().find("Prepare failed"), std::string::npos) << dev.Placement();
  ASSERT_TRUE(cpu.Invoke().ok());
  ASSERT_TRUE(dev.Invoke().ok());
  ExpectSameAsCpu(dev, cpu, spec, "fallback");
  EXPECT_EQ(faulty->device_memory().current_bytes, 0u) << "the dropped partition freed its weights";

  RNNLITE_FRESH(strict, {{"test_fault", "oom@prepare"}}, false);
  Runner no_fallback(spec, strict);
  EXPECT_EQ(no_fallback.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(Contains(no_fallback.status(), "CPU fallback is disabled")) << no_fallback.status().ToString();
  EXPECT_TRUE(Contains(no_fallback.status(), "VK_ERROR_OUT_OF_DEVICE_MEMORY")) << no_fallback.status().ToString();
  // Keeps reporting it.
  EXPECT_EQ(no_fallback.interpreter().AllocateTensors().code(), StatusCode::kUnavailable);
  EXPECT_FALSE(no_fallback.interpreter().Invoke().ok());
}

// Two good Invokes, then a fault in the third at submit `which` (0-based) of
// that Invoke; the run is repeated after AllocateTensors and must equal the
// CPU, whose state never saw the failed run.
// `host_copy`: the caller reads the state before the fault, so the host
// holds the last good state and even a lost device cannot lose it.
void CheckInvokeFault(const std::string& fault, int which, bool fallback, bool state_survives,
                      bool host_copy = false) {
  SCOPED_TRACE(fault + " at submit " + std::to_string(which) + (fallback ? ", fallback" : ", no fallback") +
               (host_copy ? ", state read before" : ""));
  const NodeSpec spec = Streaming(3);
  RNNLITE_FRESH(faulty, {{"test_fault", fault + ":1"},
                         {"test_fault_skip", std::to_string(2 * kSubmitsPerInvoke + which)}}, fallback);
  Runner cpu(spec, nullptr), dev(spec, faulty);
  ASSERT_TRUE(dev.status().ok()) << dev.status().ToString();
  ASSERT_EQ(dev.Placement(), "vulkan");
  for (uint32_t k = 0; k < 2; ++k) {
    ASSERT_TRUE(cpu.Invoke(Feed(spec, 10 + k)).ok());
    ASSERT_TRUE(dev.Invoke(Feed(spec, 10 + k)).ok());
  }
  // Outputs only: reading the state would leave a host copy behind.
  for (int slot = 0; slot < 3; ++slot) EXPECT_TRUE(Close(dev.Output(slot), cpu.Output(slot))) << "output " << slot;
  if (host_copy) ExpectSameAsCpu(dev, cpu, spec, "before the fault");
  Status s = dev.Invoke(Feed(spec, 12));
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(Contains(s, fault.rfind("oom", 0) == 0 ? "VK_ERROR_OUT_OF_DEVICE_MEMORY" : "VK_ERROR_DEVICE_LOST"))
      << s.ToString();
  EXPECT_TRUE(Contains(s, state_survives ? "streaming state kept" : "reset to its initial value")) << s.ToString();
  EXPECT_FALSE(dev.interpreter().Invoke().ok()) << "Invoke keeps failing until AllocateTensors";

  const bool lost = fault.rfind("device_lost", 0) == 0;
  Status a = dev.interpreter().AllocateTensors();
  if (lost && !fallback) {
    // The device is gone and the CPU is not allowed: an error, every time.
    EXPECT_EQ(a.code(), StatusCode::kUnavailable) << a.ToString();
    EXPECT_TRUE(Contains(a, "VK_ERROR_DEVICE_LOST")) << a.ToString();
    EXPECT_FALSE(dev.interpreter().AllocateTensors().ok());
    EXPECT_FALSE(dev.interpreter().Invoke().ok());
    return;
  }
  ASSERT_TRUE(a.ok()) << a.ToString();
  EXPECT_EQ(dev.Placement().rfind(fallback ? "cpu" : "vulkan", 0), 0u) << dev.Placement();
  if (!state_survives) {
    ASSERT_TRUE(cpu.interpreter().ResetVariableTensors().ok());
  }
  for (uint32_t k = 2; k < 4; ++k) {
    ASSERT_TRUE(cpu.Invoke(Feed(spec, 10 + k)).ok());
    Status r = dev.Invoke(Feed(spec, 10 + k));
    ASSERT_TRUE(r.ok()) << r.ToString();
    ExpectSameAsCpu(dev, cpu, spec, "after recovery");
  }
}

TEST(VulkanFaults, OomAtFirstSubmitOfInvokeKeepsState) {
  RNNLITE_VULKAN_OR_SKIP(base);
  CheckInvokeFault("oom@invoke", 0, /*fallback=*/true, /*state_survives=*/true);
  CheckInvokeFault("oom@invoke", 0, /*fallback=*/false, /*state_survives=*/true);
}

TEST(VulkanFaults, OomMidInvokeRollsStateBack) {
  RNNLITE_VULKAN_OR_SKIP(base);
  CheckInvokeFault("oom@invoke", 1, /*fallback=*/true, /*state_survives=*/true);
  CheckInvokeFault("oom@invoke", 2, /*fallback=*/false, /*state_survives=*/true);
}

TEST(VulkanFaults, DeviceLostAtInvokeReportsResetThenCpu) {
  RNNLITE_VULKAN_OR_SKIP(base);
  CheckInvokeFault("device_lost@invoke", 1, /*fallback=*/true, /*state_survives=*/false);
  CheckInvokeFault("device_lost@invoke", 0, /*fallback=*/false, /*state_survives=*/false);
}

TEST(VulkanFaults, DeviceLostKeepsStateTheHostAlreadyHolds) {
  RNNLITE_VULKAN_OR_SKIP(base);
  CheckInvokeFault("device_lost@invoke", 1, /*fallback=*/true, /*state_survives=*/true, /*host_copy=*/true);
}

TEST(VulkanFaults, LostDeviceDeclinesNewPartitionsWithReason) {
  RNNLITE_VULKAN_OR_SKIP(base);
  const NodeSpec spec = Streaming(4);
  RNNLITE_FRESH(faulty, {{"test_fault", "device_lost@invoke"}});
  {
    Runner dev(spec, faulty);
    ASSERT_EQ(dev.Placement(), "vulkan");
    EXPECT_EQ(dev.Invoke().code(), StatusCode::kUnavailable);
  }
  Runner cpu(spec, nullptr), later(spec, faulty);
  ASSERT_TRUE(later.status().ok()) << later.status().ToString();
  EXPECT_NE(later.Placement().find("VK_ERROR_DEVICE_LOST"), std::string::npos) << later.Placement();
  ASSERT_TRUE(cpu.Invoke().ok());
  ASSERT_TRUE(later.Invoke().ok());
  ExpectSameAsCpu(later, cpu, spec, "on the CPU");
}

// The device is lost while another interpreter's state lives on it: that
// interpreter learns it at its next AllocateTensors, moves to the CPU and
// reports the reset instead of continuing from a stale host copy.
TEST(VulkanFaults, DeviceLostUnderAnotherInterpreterReportsItsReset) {
  RNNLITE_VULKAN_OR_SKIP(base);
  const NodeSpec spec = Streaming(6);
  RNNLITE_FRESH(shared, {{"test_fault", "device_lost@invoke:1"}, {"test_fault_skip", std::to_string(kSubmitsPerInvoke)}});
  Runner cpu(spec, nullptr), bystander(spec, shared), victim(spec, shared);
  ASSERT_EQ(bystander.Placement(), "vulkan");
  ASSERT_EQ(victim.Placement(), "vulkan");
  ASSERT_TRUE(bystander.Invoke(Feed(spec, 60)).ok());  // its state now lives on the device
  EXPECT_EQ(victim.Invoke(Feed(spec, 61)).code(), StatusCode::kUnavailable);

  Status a = bystander.interpreter().AllocateTensors();
  ASSERT_TRUE(a.ok()) << a.ToString();
  EXPECT_EQ(bystander.Placement().rfind("cpu", 0), 0u) << bystander.Placement();
  bool reported = false;
  for (const std::string& line : bystander.interpreter().delegation_log()) {
    reported |= line.find("reset to its initial value") != std::string::npos;
  }
  EXPECT_TRUE(reported);
  ASSERT_TRUE(cpu.interpreter().ResetVariableTensors().ok());
  ASSERT_TRUE(cpu.Invoke(Feed(spec, 62)).ok());
  ASSERT_TRUE(bystander.Invoke(Feed(spec, 62)).ok());
  ExpectSameAsCpu(bystander, cpu, spec, "after the reset");
}

TEST(VulkanFaults, NoComputeQueueIsAClearLoadError) {
  RNNLITE_VULKAN_OR_SKIP(base);
  auto d = Fresh({{"test_fault", "no_compute_queue"}});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(Contains(d.status(), "no compute queue")) << d.status().ToString();
  EXPECT_TRUE(Contains(d.status(), "vulkan backend unavailable")) << d.status().ToString();
}

TEST(VulkanFaults, MalformedFaultSpecIsRejected) {
  RNNLITE_VULKAN_OR_SKIP(base);
  for (const char* bad : {"oom", "oom@never", "melt@invoke", "device_lost@compile", "oom@invoke:0", "oom@invoke:x"}) {
    auto d = Fresh({{"test_fault", bad}});
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_TRUE(Contains(d.status(), "test_fault")) << d.status().ToString();
  }
  auto d = Fresh({{"test_fault_skip", "-1"}});
  EXPECT_FALSE(d.ok());
}

TEST(VulkanDeviceMemory, TracksCurrentAndPeakBytes) {
  RNNLITE_VULKAN_OR_SKIP(base);
  RNNLITE_FRESH(fresh, {});
  DeviceMemoryStats m = fresh->device_memory();
  EXPECT_TRUE(m.available);
  EXPECT_EQ(m.current_bytes, 0u);
  EXPECT_EQ(m.peak_bytes, 0u);
  const NodeSpec spec = Streaming(5);
  // The weights alone: W [1, 4H, I] and R [1, 4H, H] in fp32.
  const uint64_t weight_bytes = 4u * static_cast<uint64_t>(NumElements(spec.inputs[in::kW].shape) +
                                                           NumElements(spec.inputs[in::kR].shape));
  uint64_t held = 0;
  {
    Runner dev(spec, fresh);
    ASSERT_EQ(dev.Placement(), "vulkan");
    ASSERT_TRUE(dev.Invoke().ok());
    m = fresh->device_memory();
    held = m.current_bytes;
    EXPECT_GE(held, weight_bytes);
    EXPECT_GE(m.peak_bytes, held);
    // A second interpreter on the same delegate adds its own buffers.
    Runner second(spec, fresh);
    ASSERT_EQ(second.Placement(), "vulkan");
    EXPECT_GT(fresh->device_memory().current_bytes, held);
    EXPECT_GE(fresh->device_memory().peak_bytes, fresh->device_memory().current_bytes);
  }
  m = fresh->device_memory();
  EXPECT_EQ(m.current_bytes, 0u) << "every buffer freed with its interpreter";
  EXPECT_GT(m.peak_bytes, held) << "the high-water mark stays";
}

}  // namespace
}  // namespace rnnlite::testing::vulkan
