// The user's path: `rnnlite convert model.onnx -o m.tflite`, then
// `rnnlite run m.tflite --input NAME=FILE.npy --output-dir DIR`, for the
// ONNX recurrent node tests and the ../shared/testdata models. Outputs are
// compared with the reference files (node tests 1e-5, models 1e-4).
// Skips while the `convert` subcommand is not registered in the CLI.
#include "../../tools/npy.cc"  // NOLINT(bugprone-suspicious-include): the CLI's .npy reader, header-less

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "conformance/onnx_test_util.h"
#include "support/test_util.h"

namespace rnnlite {
namespace {

namespace fs = std::filesystem;
using onnx_test::HostValue;

int Sh(const std::string& cmd) {
  const int rc = std::system((cmd + " > /dev/null 2>&1").c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

bool ConvertAvailable() { return Sh(std::string(RNNLITE_CLI) + " help convert") == 0; }

std::string Quote(const std::string& s) { return "'" + s + "'"; }

HostValue LoadNpy(const std::string& path, const std::string& name) {
  auto a = npy::ReadFile(path);
  EXPECT_TRUE(a.ok()) << path << ": " << a.status().ToString();
  if (!a.ok()) return {};
  return {name, a->dtype, a->shape, a->data};
}

// Converts and runs; `inputs` are (name, .npy path); returns the output dir.
std::string ConvertAndRun(const std::string& model, const std::vector<std::pair<std::string, std::string>>& inputs,
                          const std::string& tag) {
  const std::string dir = testing::TempDir(tag);
  EXPECT_FALSE(dir.empty());
  const std::string tfl = dir + "/model.tflite";
  EXPECT_EQ(Sh(std::string(RNNLITE_CLI) + " convert " + Quote(model) + " -o " + Quote(tfl)), 0) << model;
  std::string cmd = std::string(RNNLITE_CLI) + " run " + Quote(tfl) + " --output-dir " + Quote(dir + "/out");
  for (const auto& [name, path] : inputs) cmd += " --input " + Quote(name + "=" + path);
  EXPECT_EQ(Sh(cmd), 0) << cmd;
  return dir + "/out";
}

TEST(OnnxCli, NodeTestsThroughConvertAndRun) {
  if (!ConvertAvailable()) GTEST_SKIP() << "`rnnlite convert` is not registered in this CLI build";
  std::vector<std::string> dirs;
  const fs::path debian = "/usr/share/libonnx-testdata/data/node";
  if (fs::exists(debian)) {
    for (const auto& e : fs::directory_iterator(debian)) {
      const std::string n = e.path().filename().string();
      if (n.rfind("test_lstm_", 0) == 0 || n.rfind("test_gru_", 0) == 0 || n.rfind("test_simple_rnn_", 0) == 0 ||
          n == "test_rnn_seq_length") {
        dirs.push_back(e.path().string());
      }
    }
  }
  const std::string shared = testing::SharedTestdata("onnx-rnn-reverse-bidir");
  if (!shared.empty()) {
    for (const auto& e : fs::directory_iterator(shared)) {
      if (fs::exists(e.path() / "model.onnx")) dirs.push_back(e.path().string());
    }
  }
  if (dirs.empty()) GTEST_SKIP() << "no ONNX node tests installed";
  for (const std::string& d : dirs) {
    SCOPED_TRACE(d);
    auto conv = ConvertOnnxFile(d + "/model.onnx");  // for the graph's input/output names
    ASSERT_TRUE(conv.ok()) << conv.status().ToString();
    const Subgraph& sg = conv->graph.main();
    const std::string work = testing::TempDir("onnx_cli_in");
    std::vector<std::pair<std::string, std::string>> inputs;
    for (size_t i = 0; i < sg.inputs.size(); ++i) {
      auto t = ReadOnnxTensorFile(d + "/test_data_set_0/input_" + std::to_string(i) + ".pb");
      ASSERT_TRUE(t.ok()) << t.status().ToString();
      const std::string p = work + "/in" + std::to_string(i) + ".npy";
      ASSERT_TRUE(npy::WriteFile(p, t->dtype, t->dims, t->bytes.data(), t->bytes.size()).ok());
      inputs.emplace_back(sg.tensors[sg.inputs[i]].name, p);
    }
    const std::string out = ConvertAndRun(d + "/model.onnx", inputs, "onnx_cli");
    for (size_t i = 0; i < sg.outputs.size(); ++i) {
      auto want = ReadOnnxTensorFile(d + "/test_data_set_0/output_" + std::to_string(i) + ".pb");
      ASSERT_TRUE(want.ok()) << want.status().ToString();
      const std::string name = sg.tensors[sg.outputs[i]].name;
      onnx_test::ExpectClose(LoadNpy(out + "/" + name + ".npy", name), onnx_test::FromOnnx(*want), 1e-5, 1e-5,
                             d + " output " + name);
    }
  }
}

TEST(OnnxCli, SharedModelsInTwoCommands) {
  if (!ConvertAvailable()) GTEST_SKIP() << "`rnnlite convert` is not registered in this CLI build";
  struct Case {
    const char* folder;
    const char* model;
  };
  int ran = 0;
  for (const Case& c : {Case{"dtln", "model_1.onnx"}, Case{"silero-vad", "silero_vad_openvino_16k.onnx"},
                        Case{"openvino-lstm-bidir-mixed-seq", "lstm_bidir_mixed_seq_const.onnx"}}) {
    const std::string dir = testing::SharedTestdata(c.folder);
    if (dir.empty()) continue;
    SCOPED_TRACE(c.folder);
    std::vector<std::pair<std::string, std::string>> inputs;
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string n = e.path().filename().string();
      if (n.rfind("in_", 0) == 0 && e.path().extension() == ".npy") {
        inputs.emplace_back(n.substr(3, n.size() - 7), e.path().string());
      }
    }
    const std::string out = ConvertAndRun(dir + "/" + c.model, inputs, "onnx_cli_model");
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string n = e.path().filename().string();
      if (n.rfind("out_", 0) != 0) continue;
      const std::string name = n.substr(4, n.size() - 8);
      onnx_test::ExpectClose(LoadNpy(out + "/" + name + ".npy", name), LoadNpy(e.path().string(), name), 1e-4, 1e-4,
                             std::string(c.folder) + " " + name);
    }
    ++ran;
  }
  if (ran == 0) GTEST_SKIP() << "../shared/testdata absent";
}

}  // namespace
}  // namespace rnnlite
