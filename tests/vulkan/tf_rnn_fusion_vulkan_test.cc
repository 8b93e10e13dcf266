// TensorFlow-converted RNN models (tests/data/tf_rnn) after the WHILE-loop
// fusion pass, on the Vulkan backend (lavapipe in CI): every fused
// recurrent node is delegated, the outputs still match TensorFlow's, and
// `rnnlite inspect --fuse-loops --delegate vulkan` reports the placement.
#include "../../tools/npy.cc"  // NOLINT(bugprone-suspicious-include): the CLI's .npy reader, header-less

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "rnnlite/convert.h"
#include "rnnlite/interpreter.h"
#include "vulkan/vulkan_test_util.h"

namespace rnnlite {
namespace {

namespace fs = std::filesystem;

std::string DataDir() { return ::rnnlite::testing::SourcePath("tests/data/tf_rnn"); }

std::vector<std::string> Models() {
  std::ifstream f(DataDir() + "/manifest.json");
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string text = ss.str();
  std::vector<std::string> names;
  const std::regex re("\"file\":\\s*\"([A-Za-z0-9_]+)\\.tflite\"");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) {
    names.push_back((*it)[1]);
  }
  return names;
}

std::vector<npy::Array> ReadAll(const std::string& name, const char* kind) {
  std::vector<npy::Array> v;
  for (int k = 0;; ++k) {
    const std::string p = DataDir() + "/" + name + "." + kind + std::to_string(k) + ".npy";
    if (!fs::exists(p)) break;
    auto a = npy::ReadFile(p);
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    if (a.ok()) v.push_back(std::move(*a));
  }
  return v;
}

class TfRnnFusionVulkan : public ::testing::TestWithParam<std::string> {};

TEST_P(TfRnnFusionVulkan, FusedNodesRunOnVulkanAndMatchTensorFlow) {
  RNNLITE_VULKAN_OR_SKIP(vk);
  const std::string name = GetParam();
  LoopFusionReport rep;
  auto model = LoadTfliteFusingLoops(DataDir() + "/" + name + ".tflite", &rep);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  if (rep.fused < rep.loops) GTEST_SKIP() << name << " keeps loops (CPU only): " << rep.Summary();
  Interpreter interp(*model);
  ASSERT_TRUE(interp.ModifyGraphWithDelegate(vk).ok());
  int recurrent = 0;
  for (const NodePlacement& p : interp.placement()) {
    const Node& n = interp.subgraph().nodes[p.node];
    if (!n.is_custom(kSequenceRnnCustomCode)) continue;
    ++recurrent;
    EXPECT_NE(p.backend, "cpu") << name << " node " << p.node << ": " << p.reason;
  }
  if (recurrent == 0 && rep.loops == 0) GTEST_SKIP() << name << " has no recurrent layer (e.g. static_rnn unrolls)";
  EXPECT_GT(recurrent, 0) << name;
  const std::vector<npy::Array> in = ReadAll(name, "in"), out = ReadAll(name, "out");
  ASSERT_EQ(interp.inputs().size(), in.size());
  ASSERT_EQ(interp.outputs().size(), out.size());
  ASSERT_TRUE(interp.AllocateTensors().ok());
  for (size_t i = 0; i < in.size(); ++i) {
    ASSERT_EQ(interp.input_tensor(i)->bytes, in[i].data.size());
    std::memcpy(interp.input_tensor(i)->data, in[i].data.data(), in[i].data.size());
  }
  const Status s = interp.Invoke();
  ASSERT_TRUE(s.ok()) << s.ToString();
  for (size_t i = 0; i < out.size(); ++i) {
    const Tensor* t = interp.output_tensor(i);
    ASSERT_EQ(static_cast<size_t>(t->num_elements()) * 4, out[i].data.size());
    const float* ref = reinterpret_cast<const float*>(out[i].data.data());
    for (int64_t k = 0; k < t->num_elements(); ++k) {
      // Same fp32 tolerance as the other Vulkan suites (device sums in
      // another order), against TensorFlow rather than the CPU reference.
      EXPECT_NEAR(t->data_as<float>()[k], ref[k], 1e-5 + 1e-5 * std::fabs(ref[k])) << name << " output " << i;
    }
  }
}

std::vector<std::string> Existing() {
  std::vector<std::string> v;
  for (const std::string& n : Models()) {
    if (fs::exists(DataDir() + "/" + n + ".tflite")) v.push_back(n);
  }
  return v;
}

INSTANTIATE_TEST_SUITE_P(Models, TfRnnFusionVulkan, ::testing::ValuesIn(Existing()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(TfRnnFusionVulkan);

// The command line shows the placement of the fused nodes.
TEST(TfRnnFusionVulkanCli, InspectShowsFusedNodesDelegated) {
  RNNLITE_VULKAN_OR_SKIP(vk);
  (void)vk;
  const std::string model = DataDir() + "/keras_bidirectional_gru.tflite";
  ASSERT_TRUE(fs::exists(model));
  const std::string cmd = std::string("RNNLITE_VULKAN_ALLOW_CPU=1 '") + RNNLITE_CLI + "' inspect '" + model +
                          "' --fuse-loops --delegate vulkan --delegate-option allow_cpu_device=1 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), buf.size(), p)) out += buf.data();
  ASSERT_EQ(pclose(p), 0) << out;
  EXPECT_NE(out.find("loops: 2, fused: 2"), std::string::npos) << out;
  EXPECT_NE(out.find("(RNNLITE_SEQUENCE_RNN) -> vulkan"), std::string::npos) << out;
  EXPECT_EQ(out.find("(RNNLITE_SEQUENCE_RNN) -> cpu"), std::string::npos) << out;
  EXPECT_EQ(out.find("WHILE"), std::string::npos) << out;
}

}  // namespace
}  // namespace rnnlite
