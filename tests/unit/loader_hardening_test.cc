// Hardening of the loaders against hostile files, one test per gap found by
// the audit of issue 9 and by the fuzzers (fuzz/): each builds the smallest
// graph or file showing the problem and expects a clear refusal naming the
// culprit. The broad corruption sweeps live in tflite_malformed_test.cc.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "rnnlite/convert.h"
#include "support/test_util.h"

namespace rnnlite {
namespace {

using testing::ConstF32;
using testing::GraphBuilder;

void ExpectInvalid(const Status& s, const std::string& fragment) {
  ASSERT_FALSE(s.ok()) << "expected a refusal mentioning '" << fragment << "'";
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel) << s.ToString();
  EXPECT_NE(s.message().find(fragment), std::string::npos) << s.ToString();
}

// A graph input is written by the caller through input_tensor(); a constant
// there would let it write into the model's (shared, possibly read-only
// mapped) weights.
TEST(LoaderHardening, GraphInputThatIsAConstantIsRefused) {
  GraphBuilder b;
  const int w = b.Constant("w", ConstF32({2}, testing::RandomFloats(2, 11)));
  const int y = b.Tensor("y", DType::kFloat32);
  b.AddNode(Op::kRelu, {w}, {y});
  b.Output(y);
  b.subgraph().inputs.push_back(w);
  ExpectInvalid(ValidateGraph(b.graph()), "graph input tensor 0 ('w') is a constant");
}

// A node overwriting a graph input would clobber what the caller supplied.
TEST(LoaderHardening, NodeWritingAGraphInputIsRefusedByName) {
  GraphBuilder b;
  const int x = b.Input("x", DType::kFloat32, {2});
  const int u = b.Input("u", DType::kFloat32, {2});
  b.AddNode(Op::kRelu, {x}, {u});
  b.Output(u);
  ExpectInvalid(ValidateGraph(b.graph()), "node 0 (RELU): output tensor 1 ('u') is a graph input");
}

std::vector<uint8_t> ReadSource(const std::string& relative) {
  std::ifstream f(testing::SourcePath(relative), std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// Found by fuzz_onnx: a node with an empty output list reached the op
// converters, which name their result after output 0 (a read past the end
// of the protobuf's repeated field).
TEST(LoaderHardening, OnnxNodeWithoutOutputsIsRefusedByName) {
  const std::vector<uint8_t> bytes = ReadSource("tests/data/fuzz_regressions/onnx/onnx-node-without-outputs-67cdc57a");
  ASSERT_FALSE(bytes.empty());
  ConvertReport report;
  auto r = ConvertOnnxBytes(bytes.data(), bytes.size(), {}, &report);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnsupported) << r.status().ToString();
  EXPECT_NE(r.status().message().find("node has no outputs"), std::string::npos) << r.status().ToString();
  bool named = false;
  for (const ConvertIssue& issue : report.issues) named = named || issue.reason == "node has no outputs";
  EXPECT_TRUE(named) << "no issue says 'node has no outputs'";
}

// Found by fuzz_onnx (a timeout): Pad in edge mode with pads near 2^62
// built a gather index list of that many entries (and overflowed the padded
// dim). Now refused at once, naming the node and the reason.
TEST(LoaderHardening, OnnxPadWithHugePadsIsRefusedQuickly) {
  const std::vector<uint8_t> bytes =
      ReadSource("tests/data/fuzz_regressions/onnx/onnx-pad-edge-huge-pads-hang-95872866");
  ASSERT_FALSE(bytes.empty());
  ConvertReport report;
  auto r = ConvertOnnxBytes(bytes.data(), bytes.size(), {}, &report);
  ASSERT_FALSE(r.ok());
  bool named = false;
  for (const ConvertIssue& issue : report.issues) {
    named = named || (issue.op_type == "Pad" && issue.reason.find("above") != std::string::npos);
  }
  EXPECT_TRUE(named) << r.status().ToString();
}

}  // namespace
}  // namespace rnnlite
