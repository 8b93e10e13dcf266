// What the interpreter guarantees when a delegate fails at Invoke
// (docs/robustness.md): the failed Invoke reports the error; Invoke keeps
// reporting it until AllocateTensors; then the nodes run on the CPU (with
// fallback) or on the delegate again (without), and streaming state either
// continues from the last good Invoke or is reported reset, never silently
// lost. The test plugin (tests/plugins/test_delegate.cc) injects the faults;
// its partitions compute with the CPU reference, so results compare bitwise.
#include <gtest/gtest.h>

#include <cstring>

#include "core/sequence_rnn.h"
#include "support/test_util.h"

namespace rnnlite {
namespace {

using testing::GraphBuilder;

const std::string kTestPlugin = std::string(RNNLITE_TEST_PLUGIN_DIR) + "/librnnlite_testdelegate.so";
constexpr int kT = 3, kB = 2, kI = 3, kH = 4;

// x -> SequenceRnn(LSTM, state in variables h, c) -> RELU -> out.
std::shared_ptr<const Model> StreamingLstm() { return testing::StreamingLstmModel(kT, kB, kI, kH, 41); }

std::shared_ptr<Delegate> FaultyDelegate(std::map<std::string, std::string> extra, bool fallback) {
  DelegateOptions options;
  options.extra = std::move(extra);
  // RELU too: without fallback every node must be delegated.
  options.extra["ops"] = std::string(kSequenceRnnCustomCode) + ",RELU";
  options.extra["fail"] = "invoke";
  options.allow_cpu_fallback = fallback;
  auto d = LoadDelegatePlugin(kTestPlugin, options);
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return d.ok() ? *d : nullptr;
}

// Feeds chunk `seed` and invokes; the output on success.
Status RunChunk(Interpreter& interp, uint32_t seed, std::vector<float>* out) {
  const auto x = testing::RandomFloats(kT * kB * kI, seed);
  Tensor* in = interp.input_tensor(0);
  if (in == nullptr || in->data == nullptr) return Internal("no input buffer");
  std::memcpy(in->data, x.data(), x.size() * sizeof(float));
  RNNLITE_RETURN_IF_ERROR(interp.Invoke());
  const Tensor* o = interp.output_tensor(0);
  out->assign(o->data_as<float>(), o->data_as<float>() + o->num_elements());
  return Status::Ok();
}

std::vector<float> Chunk(Interpreter& interp, uint32_t seed) {
  std::vector<float> out;
  Status s = RunChunk(interp, seed, &out);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

std::vector<float> State(Interpreter& interp, const char* name) {
  const Tensor* t = interp.tensor_by_name(name);
  return std::vector<float>(t->data_as<float>(), t->data_as<float>() + t->num_elements());
}

bool LogMentions(const Interpreter& interp, const std::string& what) {
  for (const std::string& line : interp.delegation_log()) {
    if (line.find(what) != std::string::npos) return true;
  }
  return false;
}

TEST(DelegateFaults, InvokeFailureKeepsStateAndCpuContinuesFromIt) {
  auto model = StreamingLstm();
  ASSERT_NE(model, nullptr);
  Interpreter cpu(model), dev(model);
  ASSERT_TRUE(dev.ModifyGraphWithDelegate(FaultyDelegate({{"fail_after", "2"}}, true)).ok());
  ASSERT_EQ(dev.placement()[0].backend, "test");
  ASSERT_TRUE(cpu.AllocateTensors().ok());
  ASSERT_TRUE(dev.AllocateTensors().ok());
  for (uint32_t k = 0; k < 2; ++k) EXPECT_EQ(Chunk(cpu, 10 + k), Chunk(dev, 10 + k)) << "chunk " << k;

  std::vector<float> out;
  Status s = RunChunk(dev, 12, &out);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("injected invoke failure"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("streaming state kept"), std::string::npos) << s.ToString();
  // Invoke keeps failing until AllocateTensors re-plans.
  EXPECT_EQ(dev.Invoke().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(LogMentions(dev, "falls back to the CPU"));

  ASSERT_TRUE(dev.AllocateTensors().ok());
  EXPECT_EQ(dev.placement()[0].backend, "cpu");
  EXPECT_NE(dev.placement()[0].reason.find("Invoke failed"), std::string::npos);
  // The CPU picks up the state as of the last good Invoke: chunk 12 again
  // gives what an interpreter that never failed gives.
  EXPECT_EQ(Chunk(cpu, 12), Chunk(dev, 12));
  EXPECT_EQ(Chunk(cpu, 13), Chunk(dev, 13));
  EXPECT_EQ(State(cpu, "h"), State(dev, "h"));
  EXPECT_EQ(State(cpu, "c"), State(dev, "c"));
}

TEST(DelegateFaults, LostDeviceStateIsReportedAndResetNeverStale) {
  auto model = StreamingLstm();
  ASSERT_NE(model, nullptr);
  Interpreter dev(model), fresh(model);
  ASSERT_TRUE(dev.ModifyGraphWithDelegate(FaultyDelegate({{"fail_after", "2"}, {"lose_state", "1"}}, true)).ok());
  ASSERT_TRUE(dev.AllocateTensors().ok());
  ASSERT_TRUE(fresh.AllocateTensors().ok());
  for (uint32_t k = 0; k < 2; ++k) Chunk(dev, 20 + k);
  std::vector<float> out;
  Status s = RunChunk(dev, 22, &out);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("reset to its initial value"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("'h'"), std::string::npos) << s.ToString();
  EXPECT_TRUE(LogMentions(dev, "reset to its initial value"));
  ASSERT_TRUE(dev.AllocateTensors().ok());
  EXPECT_EQ(dev.placement()[0].backend, "cpu");
  // Reset means exactly the initial state: a fresh interpreter agrees.
  EXPECT_EQ(State(dev, "h"), State(fresh, "h"));
  EXPECT_EQ(Chunk(fresh, 22), Chunk(dev, 22));
  EXPECT_EQ(State(fresh, "c"), State(dev, "c"));
}

TEST(DelegateFaults, WithoutFallbackTransientFailureWorksAgainWithState) {
  auto model = StreamingLstm();
  ASSERT_NE(model, nullptr);
  Interpreter cpu(model), dev(model);
  ASSERT_TRUE(dev.ModifyGraphWithDelegate(FaultyDelegate({{"fail_after", "1"}, {"fail_count", "1"}}, false)).ok());
  ASSERT_TRUE(cpu.AllocateTensors().ok());
  ASSERT_TRUE(dev.AllocateTensors().ok());
  EXPECT_EQ(Chunk(cpu, 30), Chunk(dev, 30));
  std::vector<float> out;
  Status s = RunChunk(dev, 31, &out);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("injected invoke failure"), std::string::npos) << s.ToString();
  EXPECT_FALSE(dev.Invoke().ok());
  ASSERT_TRUE(dev.AllocateTensors().ok());
  EXPECT_EQ(dev.placement()[0].backend, "test");  // no fallback: still delegated
  EXPECT_EQ(Chunk(cpu, 31), Chunk(dev, 31));
  EXPECT_EQ(State(cpu, "h"), State(dev, "h"));
}

TEST(DelegateFaults, WithoutFallbackPersistentFailureKeepsReportingIt) {
  auto model = StreamingLstm();
  ASSERT_NE(model, nullptr);
  Interpreter cpu(model), dev(model);
  ASSERT_TRUE(dev.ModifyGraphWithDelegate(FaultyDelegate({{"fail_after", "1"}}, false)).ok());
  ASSERT_TRUE(cpu.AllocateTensors().ok());
  ASSERT_TRUE(dev.AllocateTensors().ok());
  EXPECT_EQ(Chunk(cpu, 40), Chunk(dev, 40));
  for (int attempt = 0; attempt < 3; ++attempt) {
    ASSERT_TRUE(dev.AllocateTensors().ok());
    std::vector<float> out;
    Status s = RunChunk(dev, 41, &out);
    EXPECT_FALSE(s.ok());
    EXPECT_NE(s.message().find("injected invoke failure"), std::string::npos) << s.ToString();
    EXPECT_FALSE(dev.Invoke().ok());
  }
  EXPECT_EQ(dev.placement()[0].backend, "test");
  // The state is the one after the last good Invoke, readable on the host.
  EXPECT_EQ(State(cpu, "h"), State(dev, "h"));
  EXPECT_EQ(State(cpu, "c"), State(dev, "c"));
}

TEST(DelegateFaults, PrepareFailureWithoutFallbackIsAnErrorEveryTime) {
  auto model = StreamingLstm();
  ASSERT_NE(model, nullptr);
  DelegateOptions options;
  options.extra = {{"ops", std::string(kSequenceRnnCustomCode) + ",RELU"}, {"fail", "prepare"}};
  options.allow_cpu_fallback = false;
  auto d = LoadDelegatePlugin(kTestPlugin, options);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  Interpreter dev(model);
  ASSERT_TRUE(dev.ModifyGraphWithDelegate(*d).ok());
  for (int attempt = 0; attempt < 2; ++attempt) {
    Status s = dev.AllocateTensors();
    EXPECT_EQ(s.code(), StatusCode::kUnavailable);
    EXPECT_NE(s.message().find("injected prepare failure"), std::string::npos) << s.ToString();
    EXPECT_EQ(dev.Invoke().code(), StatusCode::kFailedPrecondition);
  }
}

}  // namespace
}  // namespace rnnlite
