// Real recurrent models from ../shared/testdata: convert the ONNX file, run
// the .tflite on the CPU interpreter with in_<name>.npy, compare with the
// out_<name>.npy files ONNX Runtime computed. Tolerance 1e-4 abs + 1e-4 rel:
// the models chain hundreds of float32 steps (dtln 128-unit LSTMs, silero's
// STFT convolution), so summation order alone moves the last digits.
#include "../../tools/npy.cc"  // NOLINT(bugprone-suspicious-include): header-less reuse of the CLI's .npy reader

#include <filesystem>
#include <string>
#include <vector>

#include "conformance/onnx_test_util.h"
#include "support/test_util.h"

namespace rnnlite {
namespace {

namespace fs = std::filesystem;
using onnx_test::HostValue;

HostValue LoadNpy(const std::string& path, const std::string& name) {
  auto a = npy::ReadFile(path);
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  if (!a.ok()) return {};
  return {name, a->dtype, a->shape, a->data};
}

struct ModelCase {
  const char* folder;
  const char* model;
  int recurrent_layers;
};

class SharedModelTest : public ::testing::TestWithParam<ModelCase> {};

TEST_P(SharedModelTest, ConvertsRunsAndMatchesOnnxRuntime) {
  const ModelCase& mc = GetParam();
  const std::string dir = testing::SharedTestdata(mc.folder);
  if (dir.empty()) GTEST_SKIP() << "external test data absent: ../shared/testdata/" << mc.folder;
  onnx_test::RunCaseDir(dir, mc.model, mc.recurrent_layers, 1e-4, 1e-4, LoadNpy);
}

INSTANTIATE_TEST_SUITE_P(Models, SharedModelTest,
                         ::testing::Values(ModelCase{"dtln", "model_1.onnx", 2},
                                           ModelCase{"silero-vad", "silero_vad_openvino_16k.onnx", 1},
                                           ModelCase{"openvino-lstm-bidir-mixed-seq", "lstm_bidir_mixed_seq_const.onnx", 1}),
                         [](const ::testing::TestParamInfo<ModelCase>& info) {
                           std::string n = info.param.folder;
                           for (char& ch : n) {
                             if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return n;
                         });

// The converted file keeps ONNX's graph input and output names, so
// `rnnlite run --input NAME=...` uses the names ONNX Runtime users know.
TEST(SharedModelNames, InputsAndOutputsKeepOnnxNames) {
  RNNLITE_SKIP_WITHOUT_TESTDATA(dir, "dtln");
  auto conv = ConvertOnnxFile(dir + "/model_1.onnx");
  ASSERT_TRUE(conv.ok()) << conv.status().ToString();
  const Subgraph& sg = conv->graph.main();
  std::vector<std::string> in, out;
  for (int i : sg.inputs) in.push_back(sg.tensors[i].name);
  for (int i : sg.outputs) out.push_back(sg.tensors[i].name);
  EXPECT_EQ(in, (std::vector<std::string>{"input_2", "input_3"}));
  EXPECT_EQ(out, (std::vector<std::string>{"activation_2", "tf_op_layer_stack_2"}));
}

}  // namespace
}  // namespace rnnlite
