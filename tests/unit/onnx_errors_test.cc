// What the ONNX converter does with models it cannot convert: one message
// naming every offending node, clear errors for malformed files, no partial
// output file, no crash. Models: tests/models/onnx/errors (generate.py).
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "rnnlite/convert.h"
#include "rnnlite/interpreter.h"
#include "rnnlite/model.h"
#include "support/test_util.h"

namespace rnnlite {
namespace {

namespace fs = std::filesystem;

std::string ErrorModel(const std::string& name) {
  return testing::SourcePath("tests/models/onnx/errors/" + name + ".onnx");
}

std::vector<uint8_t> ReadBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(OnnxErrors, EveryOffendingNodeInOneMessage) {
  ConvertReport report;
  auto r = ConvertOnnxFile(ErrorModel("unsupported_ops"), {}, &report);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnsupported);
  const std::string& m = r.status().message();
  EXPECT_TRUE(Contains(m, "3 nodes cannot be converted")) << m;
  EXPECT_TRUE(Contains(m, "node 'first_unknown' (Erfinv): unsupported op")) << m;
  EXPECT_TRUE(Contains(m, "node 'second_unknown' (Hardmax)")) << m;
  EXPECT_TRUE(Contains(m, "node 'bad_conv' (Conv)")) << m;
  // Nodes that only depend on a failed node are not blamed.
  EXPECT_FALSE(Contains(m, "downstream_add")) << m;
  EXPECT_FALSE(Contains(m, "ok_relu")) << m;
  ASSERT_EQ(report.issues.size(), 3u);
  EXPECT_EQ(report.issues[0].node, "first_unknown");
  EXPECT_EQ(report.issues[0].op_type, "Erfinv");
}

TEST(OnnxErrors, UnsupportedAttributeValue) {
  auto r = ConvertOnnxFile(ErrorModel("bad_direction"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnsupported);
  EXPECT_TRUE(Contains(r.status().message(), "node 'lstm' (LSTM): direction 'sideways' is not supported"))
      << r.status().message();
}

TEST(OnnxErrors, MissingInitializerIsNamed) {
  auto r = ConvertOnnxFile(ErrorModel("missing_initializer"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Contains(r.status().message(), "node 'mm' (MatMul): input 'weights_that_are_not_there'"))
      << r.status().message();
}

TEST(OnnxErrors, ExternalDataProblemsAreNamed) {
  auto missing = ConvertOnnxFile(ErrorModel("external_missing"));
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(Contains(missing.status().message(), "not_there.bin")) << missing.status().message();
  auto escape = ConvertOnnxFile(ErrorModel("external_escape"));
  ASSERT_FALSE(escape.ok());
  EXPECT_TRUE(Contains(escape.status().message(), "leaves the model folder")) << escape.status().message();
  // Bytes without a folder cannot resolve external data.
  const auto bytes = ReadBytes(testing::SourcePath("tests/models/onnx/gru_external_data/model.onnx"));
  auto r = ConvertOnnxBytes(bytes.data(), bytes.size());
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Contains(r.status().message(), "weights.bin")) << r.status().message();
  ConvertOptions opt;
  opt.external_data_dir = testing::SourcePath("tests/models/onnx/gru_external_data");
  EXPECT_TRUE(ConvertOnnxBytes(bytes.data(), bytes.size(), opt).ok());
}

TEST(OnnxErrors, ForeignDomainAndOldOpset) {
  auto r = ConvertOnnxFile(ErrorModel("custom_domain"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Contains(r.status().message(), "com.microsoft:FusedGemm")) << r.status().message();
  auto old = ConvertOnnxFile(ErrorModel("old_opset"));
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.status().code(), StatusCode::kUnsupported);
  EXPECT_TRUE(Contains(old.status().message(), "opset 6")) << old.status().message();
}

TEST(OnnxErrors, MalformedFiles) {
  auto missing = ConvertOnnxFile("/nonexistent/model.onnx");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);

  const std::string garbage = "this is not a protobuf \xff\xff\xff\xff\x01";
  auto g = ConvertOnnxBytes(garbage.data(), garbage.size());
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), StatusCode::kInvalidModel);
  EXPECT_TRUE(Contains(g.status().message(), "not a valid ONNX model")) << g.status().message();

  auto empty = ConvertOnnxBytes("", 0);
  ASSERT_FALSE(empty.ok());  // parses as an empty ModelProto: no graph
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidModel);
}

TEST(OnnxErrors, TruncatedAndBitFlippedNeverCrash) {
  const auto good = ReadBytes(testing::SourcePath("tests/models/onnx/lstm_bidir_everything/model.onnx"));
  ASSERT_GT(good.size(), 1000u);
  ASSERT_TRUE(ConvertOnnxBytes(good.data(), good.size()).ok());
  auto half = ConvertOnnxBytes(good.data(), good.size() / 2);
  EXPECT_FALSE(half.ok());
  for (size_t cut : {size_t{1}, size_t{7}, good.size() / 3, good.size() - 1}) {
    auto r = ConvertOnnxBytes(good.data(), cut);  // any status, no crash
    if (r.ok()) {
      EXPECT_TRUE(ValidateGraph(r->graph).ok());
    }
  }
  std::mt19937 gen(7);
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<uint8_t> bad = good;
    for (int k = 0; k < 3; ++k) bad[gen() % bad.size()] ^= static_cast<uint8_t>(1u << (gen() % 8));
    auto r = ConvertOnnxBytes(bad.data(), bad.size());
    if (r.ok()) {
      EXPECT_TRUE(ValidateGraph(r->graph).ok()) << "trial " << trial;
    }
  }
}

TEST(OnnxErrors, NoPartialOutputFile) {
  const std::string dir = testing::TempDir("onnx_errors");
  ASSERT_FALSE(dir.empty());
  const std::string out = dir + "/out.tflite";
  ConvertReport report;
  Status s = ConvertModelFile(ErrorModel("unsupported_ops"), out, {}, &report);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(report.issues.size(), 3u);
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(fs::is_empty(dir));  // no temporary left behind either
}

TEST(OnnxErrors, WrongInputRankAtRunTime) {
  auto r = ConvertOnnxFile(ErrorModel("dynamic_relu"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto bytes = WriteTflite(r->graph);
  ASSERT_TRUE(bytes.ok());
  auto model = Model::FromBuffer(bytes->data(), bytes->size());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter interp(*model);
  const int x = interp.inputs()[0];
  EXPECT_EQ(interp.tensor(x)->shape_signature, (Shape{-1, 2}));
  EXPECT_FALSE(interp.ResizeInputTensor(x, {5, 2, 1}).ok());  // wrong rank
  EXPECT_FALSE(interp.ResizeInputTensor(x, {5, 3}).ok());     // static dim changed
  ASSERT_TRUE(interp.ResizeInputTensor(x, {5, 2}).ok());
  ASSERT_TRUE(interp.AllocateTensors().ok());
  EXPECT_EQ(interp.output_tensor(0)->shape, (Shape{5, 2}));
}

// Folding a 40 GB constant would exhaust memory; the node stays an op and
// the conversion succeeds (running it is then the interpreter's problem,
// which refuses with ResourceExhausted).
// A dim computed by a node that no .tflite shape can hold (int32) is that
// node's error, not a wrapped dim found invalid later.
TEST(OnnxErrors, DimBeyondInt32IsTheNodesError) {
  auto r = ConvertOnnxFile(ErrorModel("concat_dim_overflow"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().code(), StatusCode::kInternal);
  const std::string& m = r.status().message();
  EXPECT_TRUE(Contains(m, "node 'join' (Concat)")) << m;
  EXPECT_TRUE(Contains(m, "dim 4000000000")) << m;
  EXPECT_TRUE(Contains(m, "2^31 - 1")) << m;
}

TEST(OnnxErrors, HugeConstantIsNotFolded) {
  auto r = ConvertOnnxFile(ErrorModel("huge_constant"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->report.ops_out_by_type["FILL"], 1) << r->report.Summary();
  auto model = Model::FromGraph(std::move(r->graph));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter interp(*model);
  EXPECT_EQ(interp.AllocateTensors().code(), StatusCode::kResourceExhausted);
}

TEST(OnnxOptions, InputShapesFixDynamicDims) {
  ConvertOptions opt;
  opt.input_shapes["x"] = {7, -1};
  auto r = ConvertOnnxFile(ErrorModel("dynamic_relu"), opt);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Subgraph& sg = r->graph.main();
  EXPECT_EQ(sg.tensors[sg.inputs[0]].shape, (Shape{7, 2}));
  EXPECT_TRUE(sg.tensors[sg.inputs[0]].shape_signature.empty());

  opt.input_shapes["x"] = {7, 3};  // contradicts the model's static 2
  EXPECT_EQ(ConvertOnnxFile(ErrorModel("dynamic_relu"), opt).status().code(), StatusCode::kInvalidArgument);
  ConvertOptions unknown;
  unknown.input_shapes["nope"] = {1};
  EXPECT_EQ(ConvertOnnxFile(ErrorModel("dynamic_relu"), unknown).status().code(), StatusCode::kInvalidArgument);
}

// `rnnlite convert` also takes .tflite: the file is rewritten through the IR.
TEST(OnnxConvertFile, OnnxThenTfliteRoundTrip) {
  const std::string dir = testing::TempDir("onnx_convert");
  ASSERT_FALSE(dir.empty());
  ConvertReport report;
  uint64_t written = 0;
  Status s = ConvertModelFile(testing::SourcePath("tests/models/onnx/rnn_relu_bidir/model.onnx"), dir + "/a.tflite", {},
                              &report, &written);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_GT(written, 0u);
  EXPECT_EQ(report.recurrent_layers, 1);
  EXPECT_EQ(report.source_format, "onnx");
  EXPECT_TRUE(LooksLikeTflite(dir + "/a.tflite"));
  s = ConvertModelFile(dir + "/a.tflite", dir + "/b.tflite", {}, &report, &written);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(report.source_format, "tflite");
  EXPECT_EQ(report.recurrent_layers, 1);
  EXPECT_TRUE(Model::FromFile(dir + "/b.tflite").ok());
  EXPECT_TRUE(Contains(report.Summary(), "recurrent layers fused: 1")) << report.Summary();
}

}  // namespace
}  // namespace rnnlite
