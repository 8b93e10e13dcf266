// The delegate framework, exercised with the test plugin
// (tests/plugins/test_delegate.cc) loaded through the real plugin loader.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "core/sequence_rnn.h"
#include "support/test_util.h"

namespace rnnlite {
namespace {

using testing::GraphBuilder;

const std::string kPluginDir = RNNLITE_TEST_PLUGIN_DIR;
const std::string kTestPlugin = kPluginDir + "/librnnlite_testdelegate.so";

std::shared_ptr<Delegate> LoadTest(const std::string& ops, std::map<std::string, std::string> extra = {},
                                   DelegateOptions options = {}) {
  options.extra = std::move(extra);
  options.extra["ops"] = ops;
  auto d = LoadDelegatePlugin(kTestPlugin, options);
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return d.ok() ? *d : nullptr;
}

struct Built {
  std::shared_ptr<const Model> model;
  std::vector<int> inputs;
};

// x -> ADD(x,c) -> RELU -> NEG -> ADD(.,c) -> out
Built Chain() {
  GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, {2, 8});
  int c = b.Constant("c", testing::ConstF32({8}, testing::RandomFloats(8, 11)));
  int t0 = b.Tensor("t0", DType::kFloat32), t1 = b.Tensor("t1", DType::kFloat32);
  int t2 = b.Tensor("t2", DType::kFloat32), t3 = b.Tensor("t3", DType::kFloat32);
  b.AddNode(Op::kAdd, {x, c}, {t0});
  b.AddNode(Op::kRelu, {t0}, {t1});
  b.AddNode(Op::kNeg, {t1}, {t2});
  b.AddNode(Op::kAdd, {t2, c}, {t3});
  b.Output(t3);
  auto m = b.Build();
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return {*m, {x}};
}

// A = ADD(x, c); B = RELU(A); C = NEG(A) [CPU]; D = ADD(B, C).
// Naively grouping {A, B, D} would form a cycle through C.
Built Diamond() {
  GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, {3, 4});
  int c = b.Constant("c", testing::ConstF32({4}, testing::RandomFloats(4, 12)));
  int a = b.Tensor("a", DType::kFloat32), bt = b.Tensor("b", DType::kFloat32);
  int ct = b.Tensor("c_out", DType::kFloat32), d = b.Tensor("d", DType::kFloat32);
  b.AddNode(Op::kAdd, {x, c}, {a});
  b.AddNode(Op::kRelu, {a}, {bt});
  b.AddNode(Op::kNeg, {a}, {ct});
  b.AddNode(Op::kAdd, {bt, ct}, {d});
  b.Output(d);
  auto m = b.Build();
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return {*m, {x}};
}

std::vector<std::vector<float>> RunWith(const Built& built, std::shared_ptr<Delegate> delegate, uint32_t seed,
                                        Interpreter** keep = nullptr) {
  static thread_local std::unique_ptr<Interpreter> holder;
  holder = std::make_unique<Interpreter>(built.model);
  Interpreter& interp = *holder;
  if (delegate) {
    EXPECT_TRUE(interp.ModifyGraphWithDelegate(delegate).ok());
  }
  Status s = interp.AllocateTensors();
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return {};
  for (int idx : built.inputs) {
    Tensor* t = interp.tensor(idx);
    auto v = testing::RandomFloats(t->num_elements(), seed++, -2.0f, 2.0f);
    std::memcpy(t->data, v.data(), t->bytes);
  }
  s = interp.Invoke();
  EXPECT_TRUE(s.ok()) << s.ToString();
  std::vector<std::vector<float>> outs;
  for (size_t i = 0; i < interp.outputs().size(); ++i) {
    const Tensor* t = interp.output_tensor(i);
    outs.emplace_back(t->data_as<float>(), t->data_as<float>() + t->num_elements());
  }
  if (keep) *keep = &interp;
  return outs;
}

TEST(Delegate, ChainPartitionsAroundUnsupportedNode) {
  Built g = Chain();
  Interpreter interp(g.model);
  ASSERT_TRUE(interp.ModifyGraphWithDelegate(LoadTest("ADD,RELU")).ok());
  EXPECT_EQ(interp.num_partitions(), 2u);
  auto p = interp.placement();
  EXPECT_EQ(p[0].backend, "test");
  EXPECT_EQ(p[0].partition, p[1].partition);
  EXPECT_EQ(p[2].backend, "cpu");
  EXPECT_NE(p[2].reason.find("NEG"), std::string::npos) << p[2].reason;
  EXPECT_EQ(p[3].backend, "test");
  EXPECT_NE(p[3].partition, p[0].partition);
  EXPECT_EQ(RunWith(g, nullptr, 5), RunWith(g, LoadTest("ADD,RELU"), 5));  // bit-identical
}

TEST(Delegate, DiamondNeverFormsACycle) {
  Built g = Diamond();
  Interpreter interp(g.model);
  ASSERT_TRUE(interp.ModifyGraphWithDelegate(LoadTest("ADD,RELU")).ok());
  auto p = interp.placement();
  // A and B together; D separately (after C on the CPU).
  EXPECT_EQ(p[0].partition, p[1].partition);
  EXPECT_EQ(p[2].backend, "cpu");
  EXPECT_GE(p[3].partition, 0);
  EXPECT_NE(p[3].partition, p[0].partition);
  EXPECT_EQ(interp.num_partitions(), 2u);
  EXPECT_EQ(RunWith(g, nullptr, 9), RunWith(g, LoadTest("ADD,RELU"), 9));
}

TEST(Delegate, MinNodesPerPartitionKeepsSmallGroupsOnCpu) {
  Built g = Chain();
  DelegateOptions o;
  o.min_nodes_per_partition = 2;
  Interpreter interp(g.model);
  ASSERT_TRUE(interp.ModifyGraphWithDelegate(LoadTest("ADD,RELU", {}, o)).ok());
  auto p = interp.placement();
  EXPECT_EQ(interp.num_partitions(), 1u);
  EXPECT_EQ(p[3].backend, "cpu");
  EXPECT_NE(p[3].reason.find("min_nodes_per_partition=2"), std::string::npos) << p[3].reason;
}

TEST(Delegate, MaxPartitionsKeepsTheLargest) {
  Built g = Chain();
  DelegateOptions o;
  o.max_partitions = 1;
  Interpreter interp(g.model);
  ASSERT_TRUE(interp.ModifyGraphWithDelegate(LoadTest("ADD,RELU", {}, o)).ok());
  auto p = interp.placement();
  EXPECT_EQ(interp.num_partitions(), 1u);
  EXPECT_EQ(p[0].backend, "test");
  EXPECT_EQ(p[1].backend, "test");
  EXPECT_EQ(p[3].backend, "cpu");
  EXPECT_NE(p[3].reason.find("max_partitions=1"), std::string::npos) << p[3].reason;
}

TEST(Delegate, SeveralDelegatesInTurn) {
  Built g = Chain();
  Interpreter interp(g.model);
  ASSERT_TRUE(interp.ModifyGraphWithDelegate(LoadTest("RELU", {{"name", "first"}})).ok());
  ASSERT_TRUE(interp.ModifyGraphWithDelegate(LoadTest("ADD,NEG", {{"name", "second"}})).ok());
  auto p = interp.placement();
  EXPECT_EQ(p[0].backend, "second");
  EXPECT_EQ(p[1].backend, "first");
  EXPECT_EQ(p[2].backend, "second");
  EXPECT_EQ(p[3].backend, "second");
  // NEG and the last ADD join; the first ADD cannot join them across RELU.
  EXPECT_EQ(p[2].partition, p[3].partition);
  EXPECT_NE(p[0].partition, p[2].partition);
  ASSERT_TRUE(interp.AllocateTensors().ok());
  ASSERT_TRUE(interp.Invoke().ok());
}

TEST(Delegate, CompileFailureFallsBackToCpuWithReason) {
  Built g = Chain();
  Interpreter interp(g.model);
  ASSERT_TRUE(interp.ModifyGraphWithDelegate(LoadTest("ADD,RELU", {{"fail", "compile"}})).ok());
  EXPECT_EQ(interp.num_partitions(), 0u);
  auto p = interp.placement();
  EXPECT_NE(p[0].reason.find("injected compile failure"), std::string::npos) << p[0].reason;
  ASSERT_FALSE(interp.delegation_log().empty());
  EXPECT_EQ(RunWith(g, nullptr, 3), RunWith(g, LoadTest("ADD,RELU", {{"fail", "compile"}}), 3));
}

TEST(Delegate, CompileFailureWithoutFallbackIsAnError) {
  Built g = Chain();
  DelegateOptions o;
  o.allow_cpu_fallback = false;
  Interpreter interp(g.model);
  Status s = interp.ModifyGraphWithDelegate(LoadTest("ADD,RELU,NEG", {{"fail", "compile"}}, o));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("injected compile failure"), std::string::npos) << s.message();
}

TEST(Delegate, FullDelegationRequiredNamesTheNodeLeftOnCpu) {
  Built g = Chain();
  DelegateOptions o;
  o.allow_cpu_fallback = false;
  Interpreter interp(g.model);
  Status s = interp.ModifyGraphWithDelegate(LoadTest("ADD,RELU", {}, o));
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("node 2 (NEG)"), std::string::npos) << s.message();
}

TEST(Delegate, PrepareFailureFallsBackAtAllocate) {
  Built g = Chain();
  auto expected = RunWith(g, nullptr, 21);
  Interpreter* interp = nullptr;
  auto got = RunWith(g, LoadTest("ADD,RELU", {{"fail", "prepare"}}), 21, &interp);
  EXPECT_EQ(expected, got);
  ASSERT_NE(interp, nullptr);
  EXPECT_EQ(interp->placement()[0].backend, "cpu");
  EXPECT_NE(interp->placement()[0].reason.find("injected prepare failure"), std::string::npos);
}

TEST(Delegate, InvokeFailureIsReportedThenCpuAfterReallocation) {
  Built g = Chain();
  Interpreter interp(g.model);
  DelegateOptions o;
  o.min_nodes_per_partition = 2;  // one partition: {ADD, RELU}
  ASSERT_TRUE(interp.ModifyGraphWithDelegate(LoadTest("ADD,RELU", {{"fail", "invoke"}}, o)).ok());
  ASSERT_TRUE(interp.AllocateTensors().ok());
  std::vector<float> x = testing::RandomFloats(16, 4);
  std::memcpy(interp.input_tensor(0)->data, x.data(), 16 * sizeof(float));
  Status s = interp.Invoke();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("injected invoke failure"), std::string::npos) << s.message();
  EXPECT_EQ(interp.Invoke().code(), StatusCode::kFailedPrecondition);  // keeps reporting
  ASSERT_TRUE(interp.AllocateTensors().ok());
  std::memcpy(interp.input_tensor(0)->data, x.data(), 16 * sizeof(float));
  EXPECT_TRUE(interp.Invoke().ok());
  EXPECT_EQ(interp.placement()[0].backend, "cpu");
}

TEST(Delegate, InternalTensorsNeverTouchTheHost) {
  Built g = Chain();
  Interpreter interp(g.model);
  ASSERT_TRUE(interp.ModifyGraphWithDelegate(LoadTest("ADD,RELU")).ok());
  ASSERT_TRUE(interp.AllocateTensors().ok());
  // t0 is produced and consumed inside the first partition.
  const Tensor* t0 = interp.tensor(interp.FindTensor("t0"));
  EXPECT_EQ(t0->data, nullptr);
  EXPECT_EQ(t0->storage, Storage::kNone);
}

TEST(Delegate, ResizeAfterDelegationRepreparesPartitions) {
  GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, {1, 4}, {-1, 4});
  int t = b.Tensor("t", DType::kFloat32), y = b.Tensor("y", DType::kFloat32);
  b.AddNode(Op::kRelu, {x}, {t});
  b.AddNode(Op::kNeg, {t}, {y});
  b.Output(y);
  auto model = b.Build();
  ASSERT_TRUE(model.ok());
  Interpreter interp(*model);
  ASSERT_TRUE(interp.ModifyGraphWithDelegate(LoadTest("RELU,NEG")).ok());
  ASSERT_TRUE(interp.ResizeInputTensor(x, {3, 4}).ok());
  ASSERT_TRUE(interp.AllocateTensors().ok());
  std::vector<float> v = testing::RandomFloats(12, 8);
  std::memcpy(interp.input_tensor(0)->data, v.data(), v.size() * sizeof(float));
  ASSERT_TRUE(interp.Invoke().ok());
  const float* out = interp.output_tensor(0)->data_as<float>();
  for (size_t i = 0; i < v.size(); ++i) EXPECT_EQ(out[i], -std::max(0.0f, v[i]));
}

// A streaming LSTM whose h/c state lives in variable tensors: the partition
// keeps the state "on the device" across Invoke; the host sees it when it
// reads it, and a reset reaches the device.
std::shared_ptr<const Model> StreamingLstm(int T, int B, int I, int H) {
  return testing::StreamingLstmModel(T, B, I, H, 31);
}

TEST(Delegate, VariableStateStaysOnDeviceAndSyncsOnReadAndReset) {
  const int T = 3, B = 2, I = 3, H = 4;
  auto model = StreamingLstm(T, B, I, H);
  ASSERT_NE(model, nullptr);
  Interpreter cpu(model), dev(model);
  ASSERT_TRUE(dev.ModifyGraphWithDelegate(LoadTest(kSequenceRnnCustomCode)).ok());
  ASSERT_EQ(dev.placement()[0].backend, "test");
  ASSERT_TRUE(cpu.AllocateTensors().ok());
  ASSERT_TRUE(dev.AllocateTensors().ok());
  int h = cpu.FindTensor("h");
  auto run_chunk = [&](Interpreter& in, uint32_t seed) {
    auto v = testing::RandomFloats(T * B * I, seed);
    std::memcpy(in.input_tensor(0)->data, v.data(), v.size() * sizeof(float));
    EXPECT_TRUE(in.Invoke().ok());
    const Tensor* o = in.output_tensor(0);
    return std::vector<float>(o->data_as<float>(), o->data_as<float>() + o->num_elements());
  };
  for (uint32_t chunk = 0; chunk < 3; ++chunk) {
    EXPECT_EQ(run_chunk(cpu, 100 + chunk), run_chunk(dev, 100 + chunk)) << "chunk " << chunk;
  }
  // Reading the state brings the device's value to the host.
  const Tensor* hc = cpu.tensor(h);
  const Tensor* hd = dev.tensor(h);
  ASSERT_EQ(hc->bytes, hd->bytes);
  EXPECT_EQ(0, std::memcmp(hc->data, hd->data, hc->bytes));
  // A host write wins at the next Invoke.
  for (Interpreter* in : {&cpu, &dev}) in->tensor(h)->data_as<float>()[0] = 0.75f;
  EXPECT_EQ(run_chunk(cpu, 200), run_chunk(dev, 200));
  // Reset reaches the device.
  ASSERT_TRUE(cpu.ResetVariableTensors().ok());
  ASSERT_TRUE(dev.ResetVariableTensors().ok());
  EXPECT_EQ(run_chunk(cpu, 300), run_chunk(dev, 300));
}

TEST(PluginLoader, MissingPathIsNotFound) {
  auto d = LoadDelegatePlugin("/nonexistent/librnnlite_x.so");
  EXPECT_EQ(d.status().code(), StatusCode::kNotFound);
}

TEST(PluginLoader, WrongAbiVersionIsRejected) {
  auto d = LoadDelegatePlugin(kPluginDir + "/librnnlite_badabi.so");
  EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(d.status().message().find("ABI version 999"), std::string::npos) << d.status().message();
}

TEST(PluginLoader, LibraryWithoutEntryPointIsRejected) {
  auto d = LoadDelegatePlugin(kPluginDir + "/librnnlite_noentry.so");
  EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(d.status().message().find("rnnlite_plugin_entry"), std::string::npos) << d.status().message();
}

TEST(PluginLoader, FileThatIsNotALibraryIsRejected) {
  std::string dir = testing::TempDir("plugin");
  std::string path = dir + "/librnnlite_fake.so";
  std::ofstream(path) << "this is not an ELF file\n";
  auto d = LoadDelegatePlugin(path);
  EXPECT_EQ(d.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(d.status().message().find("cannot load plugin"), std::string::npos) << d.status().message();
}

TEST(PluginLoader, CreateFailureIsUnavailableWithReason) {
  DelegateOptions o;
  o.extra["fail"] = "create";
  auto d = LoadDelegatePlugin(kTestPlugin, o);
  EXPECT_EQ(d.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(d.status().message().find("no device"), std::string::npos) << d.status().message();
}

TEST(PluginLoader, FindsPluginByNameOnPluginPath) {
  ::setenv("RNNLITE_PLUGIN_PATH", ("/nonexistent:" + kPluginDir).c_str(), 1);
  auto d = LoadDelegatePlugin("testdelegate");
  ::unsetenv("RNNLITE_PLUGIN_PATH");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ((*d)->name(), "test");
  auto missing = LoadDelegatePlugin("nosuchbackend");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(LoadDelegatePlugin("../evil").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(LoadDelegatePlugin("bad name").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rnnlite
