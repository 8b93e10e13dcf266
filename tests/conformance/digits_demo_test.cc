// The demo model (examples/digits_lstm.onnx, trained and exported by
// examples/train_demo_model.py): converted by the front end and run on the
// CPU interpreter over the 360 held-out digits, it must classify at least
// 90% correctly and agree with PyTorch's probabilities within 1e-4 (abs).
//
// DigitsDemo.CliOutput is what scripts/demo uses to report on the CLI's run:
// with RNNLITE_DIGITS_PROBS=<probs.npy written by `rnnlite run --output-dir`>
// it scores that file the same way and prints accuracy and agreement;
// without the variable it is skipped.
#include "../../tools/npy.cc"  // NOLINT(bugprone-suspicious-include): the CLI's .npy reader, header-less

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "conformance/onnx_test_util.h"
#include "support/test_util.h"

namespace rnnlite {
namespace {

using onnx_test::HostValue;

constexpr double kMinAccuracy = 0.9;
constexpr double kMaxAbsDiff = 1e-4;
constexpr int kClasses = 10;

HostValue LoadNpy(const std::string& path, const std::string& name) {
  auto a = npy::ReadFile(path);
  EXPECT_TRUE(a.ok()) << path << ": " << a.status().ToString();
  if (!a.ok()) return {};
  return {name, a->dtype, a->shape, a->data};
}

std::string ExamplePath(const std::string& file) { return testing::SourcePath("examples/" + file); }

struct Score {
  int correct = 0;
  int total = 0;
  double max_abs_diff = 0;
};

// Scores `probs` [N, 10] against the labels and PyTorch's probabilities.
Score ScoreProbs(const HostValue& probs) {
  Score s;
  const HostValue labels = LoadNpy(ExamplePath("digits_test_labels.npy"), "labels");
  const HostValue torch_probs = LoadNpy(ExamplePath("digits_torch_probs.npy"), "probs");
  EXPECT_EQ(probs.dtype, DType::kFloat32);
  EXPECT_EQ(probs.dims, torch_probs.dims);
  if (probs.dims != torch_probs.dims || probs.dims.size() != 2 || probs.dims[1] != kClasses) return s;
  const auto got = onnx_test::AsDoubles(probs), want = onnx_test::AsDoubles(torch_probs);
  const auto label = onnx_test::AsDoubles(labels);
  EXPECT_EQ(static_cast<int64_t>(label.size()), probs.dims[0]);
  if (static_cast<int64_t>(label.size()) != probs.dims[0]) return s;
  s.total = static_cast<int>(label.size());
  for (int i = 0; i < s.total; ++i) {
    const double* row = got.data() + static_cast<size_t>(i) * kClasses;
    const int predicted = static_cast<int>(std::max_element(row, row + kClasses) - row);
    s.correct += predicted == static_cast<int>(label[i]);
  }
  for (size_t i = 0; i < got.size(); ++i) s.max_abs_diff = std::max(s.max_abs_diff, std::fabs(got[i] - want[i]));
  return s;
}

void ExpectGoodScore(const Score& s) {
  ASSERT_GT(s.total, 0);
  EXPECT_GE(static_cast<double>(s.correct) / s.total, kMinAccuracy) << s.correct << " / " << s.total;
  EXPECT_LE(s.max_abs_diff, kMaxAbsDiff);
}

TEST(DigitsDemo, ConvertedModelMatchesPyTorch) {
  auto conv = ConvertOnnxFile(ExamplePath("digits_lstm.onnx"));
  ASSERT_TRUE(conv.ok()) << conv.status().ToString();
  EXPECT_EQ(conv->report.recurrent_layers, 1) << conv->report.Summary();
  EXPECT_EQ(conv->report.ops_out_by_type["RNNLITE_SEQUENCE_RNN"], 1) << conv->report.Summary();
  const Subgraph& sg = conv->graph.main();
  ASSERT_EQ(sg.inputs.size(), 1u);
  ASSERT_EQ(sg.outputs.size(), 1u);
  EXPECT_EQ(sg.tensors[sg.inputs[0]].name, "pixels");
  EXPECT_EQ(sg.tensors[sg.outputs[0]].name, "probs");
  // The export traced batch 2; the test split has 360 images.
  const HostValue x = LoadNpy(ExamplePath("digits_test_x.npy"), "pixels");
  ASSERT_EQ(x.dims.size(), 3u);
  EXPECT_NE(x.dims[0], 2);
  auto out = onnx_test::RunThroughTflite(conv->graph, {x});
  ASSERT_EQ(out.size(), 1u);
  const Score s = ScoreProbs(out[0]);
  ExpectGoodScore(s);
  std::printf("CPU interpreter: accuracy %.4f (%d / %d), max |p - p_torch| %.3g\n",
              s.total ? static_cast<double>(s.correct) / s.total : 0.0, s.correct, s.total, s.max_abs_diff);
}

TEST(DigitsDemo, CliOutput) {
  const char* path = std::getenv("RNNLITE_DIGITS_PROBS");
  if (!path || !*path) GTEST_SKIP() << "set RNNLITE_DIGITS_PROBS to a probs.npy written by rnnlite run";
  const Score s = ScoreProbs(LoadNpy(path, "probs"));
  ExpectGoodScore(s);
  std::printf("accuracy %.4f (%d of %d held-out digits correct), max |p - p_torch| = %.3g (limit %.0e)\n",
              s.total ? static_cast<double>(s.correct) / s.total : 0.0, s.correct, s.total, s.max_abs_diff,
              kMaxAbsDiff);
}

}  // namespace
}  // namespace rnnlite
