// ONNX backend node tests for the recurrent ops (Debian libonnx-testdata and
// ../shared/testdata/onnx-rnn-reverse-bidir): every model is converted,
// written as .tflite, loaded back, run on the CPU interpreter and compared
// with output_N.pb within 1e-5 (absolute + relative). The converted graph
// must hold exactly one fused SequenceRnn node.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "conformance/onnx_test_util.h"
#include "support/test_util.h"

namespace rnnlite {
namespace {

namespace fs = std::filesystem;
using onnx_test::HostValue;

constexpr const char* kDebianNodeTests = "/usr/share/libonnx-testdata/data/node";

void RunNodeTest(const std::string& dir) {
  auto conv = ConvertOnnxFile(dir + "/model.onnx");
  ASSERT_TRUE(conv.ok()) << conv.status().ToString();
  EXPECT_EQ(conv->report.recurrent_layers, 1) << conv->report.Summary();
  int fused = 0;
  for (const Node& n : conv->graph.main().nodes) fused += n.is_custom(kSequenceRnnCustomCode) ? 1 : 0;
  EXPECT_EQ(fused, 1);

  const std::string data = dir + "/test_data_set_0";
  std::vector<HostValue> inputs, expected;
  for (int i = 0;; ++i) {
    const std::string p = data + "/input_" + std::to_string(i) + ".pb";
    if (!fs::exists(p)) break;
    auto t = ReadOnnxTensorFile(p);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    inputs.push_back(onnx_test::FromOnnx(*t));
  }
  for (int i = 0;; ++i) {
    const std::string p = data + "/output_" + std::to_string(i) + ".pb";
    if (!fs::exists(p)) break;
    auto t = ReadOnnxTensorFile(p);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    expected.push_back(onnx_test::FromOnnx(*t));
  }
  ASSERT_FALSE(expected.empty());
  auto got = onnx_test::RunThroughTflite(conv->graph, inputs);
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].name, conv->graph.main().tensors[conv->graph.main().outputs[i]].name);
    onnx_test::ExpectClose(got[i], expected[i], 1e-5, 1e-5, "output " + std::to_string(i) + " (" + got[i].name + ")");
  }
}

class DebianNodeTest : public ::testing::TestWithParam<std::string> {};

TEST_P(DebianNodeTest, ConvertsAndMatches) {
  const std::string dir = std::string(kDebianNodeTests) + "/test_" + GetParam();
  if (!fs::exists(dir + "/model.onnx")) GTEST_SKIP() << dir << " absent (apt-get install libonnx-testdata)";
  RunNodeTest(dir);
}

INSTANTIATE_TEST_SUITE_P(Recurrent, DebianNodeTest,
                         ::testing::Values("lstm_batchwise", "lstm_defaults", "lstm_with_initial_bias",
                                           "lstm_with_peepholes", "gru_batchwise", "gru_defaults", "gru_seq_length",
                                           "gru_with_initial_bias", "rnn_seq_length", "simple_rnn_batchwise",
                                           "simple_rnn_defaults", "simple_rnn_with_initial_bias"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

class SharedNodeTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SharedNodeTest, ConvertsAndMatches) {
  RNNLITE_SKIP_WITHOUT_TESTDATA(root, "onnx-rnn-reverse-bidir");
  const std::string dir = root + "/test_" + GetParam();
  if (!fs::exists(dir + "/model.onnx")) GTEST_SKIP() << dir << " absent";
  RunNodeTest(dir);
}

INSTANTIATE_TEST_SUITE_P(ReverseBidirectional, SharedNodeTest,
                         ::testing::Values("lstm_reverse", "lstm_bidirectional", "gru_reverse", "gru_bidirectional",
                                           "simple_rnn_reverse", "simple_rnn_bidirectional"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

// Every test_lstm_* / test_gru_* / test_simple_rnn_* the Debian package
// ships is in the list above (a newer package adding cases fails here).
TEST(DebianNodeTestList, CoversEveryRecurrentCase) {
  if (!fs::exists(kDebianNodeTests)) GTEST_SKIP() << "libonnx-testdata absent";
  const std::vector<std::string> known = {"lstm_batchwise", "lstm_defaults", "lstm_with_initial_bias",
                                          "lstm_with_peepholes", "gru_batchwise", "gru_defaults", "gru_seq_length",
                                          "gru_with_initial_bias", "rnn_seq_length", "simple_rnn_batchwise",
                                          "simple_rnn_defaults", "simple_rnn_with_initial_bias"};
  for (const auto& e : fs::directory_iterator(kDebianNodeTests)) {
    const std::string name = e.path().filename().string();
    for (const char* prefix : {"test_lstm_", "test_gru_", "test_simple_rnn_", "test_rnn_seq_length"}) {
      if (name.rfind(prefix, 0) == 0) {
        EXPECT_NE(std::find(known.begin(), known.end(), name.substr(5)), known.end()) << name << " is not tested";
      }
    }
  }
}

}  // namespace
}  // namespace rnnlite
