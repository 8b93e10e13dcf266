// Real torch.onnx.export output (tests/models/torch, made by generate.py with
// PyTorch; CI needs only the committed files): convert with the front end,
// write and reload the .tflite, resize the dynamic batch and time dims to
// shapes other than the export's (batch 3, 7 steps vs 2 and 5), run on the
// CPU interpreter and compare with PyTorch's own outputs. Tolerance 1e-5 abs
// + 1e-4 rel: PyTorch and the reference kernels sum gate products in
// different orders in float32.
#include "../../tools/npy.cc"  // NOLINT(bugprone-suspicious-include): the CLI's .npy reader, header-less

#include <filesystem>
#include <string>

#include "conformance/onnx_test_util.h"
#include "support/test_util.h"

namespace rnnlite {
namespace {

using onnx_test::HostValue;

constexpr double kAtol = 1e-5;
constexpr double kRtol = 1e-4;

HostValue LoadNpy(const std::string& path, const std::string& name) {
  auto a = npy::ReadFile(path);
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  if (!a.ok()) return {};
  return {name, a->dtype, a->shape, a->data};
}

std::string CaseDir(const std::string& name) { return testing::SourcePath("tests/models/torch/" + name); }

struct TorchCase {
  const char* name;
  int recurrent_layers;  // nn.Module layers (num_layers), each one fused node
  int graph_inputs;
  int graph_outputs;
};

class TorchExportTest : public ::testing::TestWithParam<TorchCase> {};

TEST_P(TorchExportTest, MatchesPyTorchAtOtherShapes) {
  const TorchCase& c = GetParam();
  const std::string dir = CaseDir(c.name);
  ConvertReport report;
  onnx_test::RunCaseDir(dir, "model.onnx", c.recurrent_layers, kAtol, kRtol, LoadNpy, &report);
  EXPECT_EQ(report.ops_out_by_type["RNNLITE_SEQUENCE_RNN"], c.recurrent_layers) << report.Summary();
  EXPECT_EQ(report.issues.size(), 0u) << report.Summary();
}

// Exactly one fused node per layer in the written file too, graph inputs
// keep their ONNX names, every output has PyTorch's reference (so
// RunCaseDir compared them all), and batch/time stay dynamic.
TEST_P(TorchExportTest, OneFusedNodePerLayerAndDynamicDims) {
  const TorchCase& c = GetParam();
  const std::string dir = CaseDir(c.name);
  auto conv = ConvertOnnxFile(dir + "/model.onnx");
  ASSERT_TRUE(conv.ok()) << conv.status().ToString();
  auto bytes = WriteTflite(conv->graph);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto model = Model::FromBuffer(bytes->data(), bytes->size());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const Subgraph& sg = (*model)->graph().main();
  int fused = 0;
  for (const Node& n : sg.nodes) {
    const std::string op = NodeOpName(n);
    if (op == "RNNLITE_SEQUENCE_RNN") ++fused;
    // No unfused recurrence may remain (no loops exist in TFLite builtins we
    // emit, but an LSTM split into per-step ops would show up as these).
    EXPECT_NE(op, "WHILE") << c.name;
  }
  EXPECT_EQ(fused, c.recurrent_layers) << conv->report.Summary();
  ASSERT_EQ(static_cast<int>(sg.inputs.size()), c.graph_inputs);
  ASSERT_EQ(static_cast<int>(sg.outputs.size()), c.graph_outputs);
  for (int idx : sg.inputs) {
    const Tensor& t = sg.tensors[idx];
    EXPECT_TRUE(std::filesystem::exists(dir + "/in_" + t.name + ".npy")) << t.name;
    int dynamic = 0;
    for (int64_t d : t.shape_signature) dynamic += d == -1;
    // The sequence input has batch and time dynamic; the states only batch.
    EXPECT_EQ(dynamic, t.name == "input" ? 2 : 1) << c.name << " input " << t.name;
  }
  for (int idx : sg.outputs) {
    const std::string& name = sg.tensors[idx].name;
    EXPECT_TRUE(std::filesystem::exists(dir + "/out_" + name + ".npy")) << c.name << " output " << name;
  }
}

INSTANTIATE_TEST_SUITE_P(Torch, TorchExportTest,
                         ::testing::Values(TorchCase{"lstm_2layer_bidir_batch_first", 2, 1, 2},
                                           TorchCase{"gru_stacked", 2, 1, 2},
                                           TorchCase{"rnn_relu_bidir", 1, 1, 2},
                                           TorchCase{"lstm_explicit_states", 1, 3, 3}),
                         [](const ::testing::TestParamInfo<TorchCase>& info) { return std::string(info.param.name); });

// The saved inputs really are at shapes the export did not trace (batch 2,
// 5 steps): otherwise the dynamic-shape path would go untested.
TEST(TorchExports, InputsUseOtherShapesThanTheExport) {
  for (const char* name : {"lstm_2layer_bidir_batch_first", "lstm_explicit_states"}) {
    HostValue x = LoadNpy(CaseDir(name) + "/in_input.npy", "input");
    ASSERT_EQ(x.dims.size(), 3u) << name;
    EXPECT_EQ(x.dims[0], 3) << name;  // batch_first
    EXPECT_EQ(x.dims[1], 7) << name;
  }
  for (const char* name : {"gru_stacked", "rnn_relu_bidir"}) {
    HostValue x = LoadNpy(CaseDir(name) + "/in_input.npy", "input");
    ASSERT_EQ(x.dims.size(), 3u) << name;
    EXPECT_EQ(x.dims[0], 7) << name;  // time-major
    EXPECT_EQ(x.dims[1], 3) << name;
  }
}

}  // namespace
}  // namespace rnnlite
