// The generated models of tests/models/onnx (generate.py): recurrent
// attribute coverage (numpy reference), PyTorch export patterns with dynamic
// batch and time run at shapes the graph does not fix, and ordinary-op
// coverage (onnx.reference outputs). Tolerance 1e-5 abs + 1e-5 rel, except
// the conv/dense cases (1e-4: long float32 dot products).
#include "../../tools/npy.cc"  // NOLINT(bugprone-suspicious-include): the CLI's .npy reader, header-less

#include <string>

#include "conformance/onnx_test_util.h"
#include "support/test_util.h"

namespace rnnlite {
namespace {

using onnx_test::HostValue;

HostValue LoadNpy(const std::string& path, const std::string& name) {
  auto a = npy::ReadFile(path);
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  if (!a.ok()) return {};
  return {name, a->dtype, a->shape, a->data};
}

std::string CaseDir(const std::string& name) { return testing::SourcePath("tests/models/onnx/" + name); }

struct GeneratedCase {
  const char* name;
  int recurrent_layers;
  double tol;
};

class GeneratedModelTest : public ::testing::TestWithParam<GeneratedCase> {};

TEST_P(GeneratedModelTest, MatchesReference) {
  const GeneratedCase& c = GetParam();
  onnx_test::RunCaseDir(CaseDir(c.name), "model.onnx", c.recurrent_layers, c.tol, c.tol, LoadNpy);
}

INSTANTIATE_TEST_SUITE_P(Onnx, GeneratedModelTest,
                         ::testing::Values(GeneratedCase{"lstm_bidir_everything", 1, 1e-5},
                                           GeneratedCase{"lstm_input_forget", 1, 1e-5},
                                           GeneratedCase{"gru_reverse_lbr_clip", 1, 1e-5},
                                           GeneratedCase{"rnn_relu_bidir", 1, 1e-5},
                                           GeneratedCase{"torch_lstm_2layer_bidir_batch_first", 2, 1e-5},
                                           GeneratedCase{"torch_gru_stacked", 2, 1e-5},
                                           GeneratedCase{"torch_lstm_explicit_states", 1, 1e-5},
                                           GeneratedCase{"gru_external_data", 1, 1e-5},
                                           GeneratedCase{"dynamic_shapes", 0, 1e-5},
                                           GeneratedCase{"ops_dense", 0, 1e-4},
                                           GeneratedCase{"ops_shape", 0, 1e-5},
                                           GeneratedCase{"ops_conv", 0, 1e-4}),
                         [](const ::testing::TestParamInfo<GeneratedCase>& info) { return std::string(info.param.name); });

// The PyTorch patterns reduce to the fused layers plus the transposes the
// batch_first layout needs: zero initial states fold away (absent state =
// zeros), and the Transpose+Reshape after each bidirectional layer becomes
// the node's concatenated output layout.
TEST(GeneratedModelStructure, TorchGlueFolds) {
  ConvertReport report;
  onnx_test::RunCaseDir(CaseDir("torch_lstm_2layer_bidir_batch_first"), "model.onnx", 2, 1e-5, 1e-5, LoadNpy, &report);
  EXPECT_EQ(report.ops_out_by_type["RNNLITE_SEQUENCE_RNN"], 2) << report.Summary();
  EXPECT_EQ(report.ops_out_by_type.count("FILL"), 0u) << report.Summary();
  EXPECT_EQ(report.ops_out_by_type.count("RESHAPE"), 0u) << report.Summary();
  EXPECT_EQ(report.ops_out_by_type["TRANSPOSE"], 2) << report.Summary();
  EXPECT_EQ(report.folded_rnn_glue, 4) << report.Summary();

  onnx_test::RunCaseDir(CaseDir("torch_gru_stacked"), "model.onnx", 2, 1e-5, 1e-5, LoadNpy, &report);
  EXPECT_EQ(report.ops_out_by_type.count("SQUEEZE"), 0u) << report.Summary();
  EXPECT_EQ(report.folded_rnn_glue, 2) << report.Summary();
}

// Graph inputs with symbolic dims stay dynamic in the written file.
TEST(GeneratedModelStructure, DynamicDimsStayDynamic) {
  auto conv = ConvertOnnxFile(CaseDir("torch_lstm_2layer_bidir_batch_first") + "/model.onnx");
  ASSERT_TRUE(conv.ok()) << conv.status().ToString();
  auto bytes = WriteTflite(conv->graph);
  ASSERT_TRUE(bytes.ok());
  auto model = Model::FromBuffer(bytes->data(), bytes->size());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const Subgraph& sg = (*model)->graph().main();
  ASSERT_EQ(sg.inputs.size(), 1u);
  EXPECT_EQ(sg.tensors[sg.inputs[0]].shape_signature, (Shape{-1, -1, 4}));
  EXPECT_EQ(sg.tensors[sg.outputs[0]].shape_signature, (Shape{-1, -1, 10}));
}

}  // namespace
}  // namespace rnnlite
