// .tflite writer -> reader round trips: every field the IR carries survives.
#include <gtest/gtest.h>

#include <fstream>

#include "support/test_util.h"

namespace rnnlite {
namespace {

using testing::GraphBuilder;

std::shared_ptr<const Model> RoundTrip(Graph& graph) {
  auto bytes = WriteTflite(graph);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  if (!bytes.ok()) return nullptr;
  auto model = Model::FromBuffer(bytes->data(), bytes->size());
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  return model.ok() ? *model : nullptr;
}

TEST(TfliteRoundTrip, TensorsOptionsAndSignaturesSurvive) {
  GraphBuilder b;
  int x = b.Input("input:0", DType::kFloat32, {1, 5, 3}, {-1, -1, 3});
  std::vector<float> w = testing::RandomFloats(12, 7);
  int wt = b.Constant("dense/kernel", testing::ConstF32({4, 3}, w));
  int y = b.Tensor("dense/out", DType::kFloat32);
  AttrMap fc;
  fc.SetInt("fused_activation_function", 1);
  fc.SetInt("keep_num_dims", 1);
  b.AddNode(Op::kFullyConnected, {x, wt, kNoTensor}, {y}, fc);
  int state = b.Variable("state", DType::kFloat32, {1, 4});
  int r = b.Tensor("reshaped", DType::kFloat32);
  AttrMap rs;
  rs.SetInts("new_shape", {5, 4});
  b.AddNode(Op::kReshape, {y}, {r}, rs);
  b.Output(r);
  b.subgraph().tensors[state].quantization.scale = {0.5f};
  b.subgraph().tensors[state].quantization.zero_point = {3};
  b.graph().description = "round trip";

  auto model = RoundTrip(b.graph());
  ASSERT_NE(model, nullptr);
  const Subgraph& s = model->graph().main();
  ASSERT_EQ(s.tensors.size(), 5u);
  EXPECT_EQ(model->graph().description, "round trip");
  EXPECT_EQ(s.tensors[x].name, "input:0");
  EXPECT_EQ(s.tensors[x].shape, (Shape{1, 5, 3}));
  EXPECT_EQ(s.tensors[x].shape_signature, (Shape{-1, -1, 3}));
  ASSERT_TRUE(s.tensors[wt].is_constant());
  ASSERT_EQ(s.tensors[wt].constant_bytes, w.size() * sizeof(float));
  EXPECT_EQ(0, std::memcmp(s.tensors[wt].constant_data, w.data(), s.tensors[wt].constant_bytes));
  EXPECT_EQ(reinterpret_cast<uintptr_t>(s.tensors[wt].constant_data) % 16, 0u);
  EXPECT_TRUE(s.tensors[state].is_variable);
  EXPECT_EQ(s.tensors[state].quantization.scale, std::vector<float>{0.5f});
  EXPECT_EQ(s.tensors[state].quantization.zero_point, std::vector<int64_t>{3});
  EXPECT_EQ(s.inputs, std::vector<int>{x});
  EXPECT_EQ(s.outputs, std::vector<int>{r});
  ASSERT_EQ(s.nodes.size(), 2u);
  EXPECT_EQ(s.nodes[0].op, Op::kFullyConnected);
  EXPECT_EQ(s.nodes[0].inputs, (std::vector<int>{x, wt, kNoTensor}));
  EXPECT_EQ(s.nodes[0].attrs.GetInt("fused_activation_function"), 1);
  EXPECT_EQ(s.nodes[0].attrs.GetInt("keep_num_dims"), 1);
  EXPECT_EQ(s.nodes[0].attrs.GetInt("weights_format", -1), 0);  // schema default filled in
  EXPECT_EQ(s.nodes[1].attrs.GetInts("new_shape"), (std::vector<int64_t>{5, 4}));
}

TEST(TfliteRoundTrip, UnknownCustomOpKeepsItsOptionsBytes) {
  GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, {2});
  int y = b.Tensor("y", DType::kFloat32);
  Node& n = b.AddCustomNode("MyVendorOp", {x}, {y});
  n.custom_options = {1, 2, 3, 250};
  n.version = 3;
  b.Output(y);
  auto model = RoundTrip(b.graph());
  ASSERT_NE(model, nullptr);
  const Node& back = model->graph().main().nodes[0];
  EXPECT_EQ(back.op, Op::kCustom);
  EXPECT_EQ(back.custom_code, "MyVendorOp");
  EXPECT_EQ(back.version, 3);
  EXPECT_EQ(back.custom_options, (std::vector<uint8_t>{1, 2, 3, 250}));
  // Loading works; running names the op that has no kernel.
  Interpreter interp(model);
  Status s = interp.AllocateTensors();
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_NE(s.message().find("MyVendorOp"), std::string::npos) << s.message();
}

TEST(TfliteRoundTrip, ExtendedBuiltinCodesAbove127) {
  GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, {2, 3});
  int y = b.Input("y", DType::kFloat32, {3, 4});
  int z = b.Tensor("z", DType::kFloat32);
  b.AddNode(Op::kBatchMatmul, {x, y}, {z});  // code 126 still fits; use GELU too
  int g = b.Tensor("g", DType::kFloat32);
  b.AddNode(Op::kGelu, {z}, {g});
  b.Output(g);
  auto model = RoundTrip(b.graph());
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->graph().main().nodes[1].op, Op::kGelu);
}

TEST(TfliteRoundTrip, FileOnDiskLoadsWithMmap) {
  GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, {3});
  int c = b.Constant("c", testing::ConstF32({3}, {1.5f, -2.0f, 3.25f}));
  int y = b.Tensor("y", DType::kFloat32);
  b.AddNode(Op::kAdd, {x, c}, {y});
  b.Output(y);
  std::string dir = testing::TempDir("roundtrip");
  ASSERT_FALSE(dir.empty());
  std::string path = dir + "/m.tflite";
  ASSERT_TRUE(WriteTfliteFile(b.graph(), path).ok());
  auto model = Model::FromFile(path);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const Tensor& ct = (*model)->graph().main().tensors[c];
  ASSERT_TRUE(ct.is_constant());
  EXPECT_FLOAT_EQ(reinterpret_cast<const float*>(ct.constant_data)[2], 3.25f);
}

TEST(TfliteReader, MissingFileIsNotFound) {
  auto model = Model::FromFile("/nonexistent/dir/model.tflite");
  EXPECT_EQ(model.status().code(), StatusCode::kNotFound);
}

TEST(TfliteReader, WrongIdentifierIsInvalidModel) {
  std::vector<uint8_t> junk(64, 0x41);
  auto model = Model::FromBuffer(junk.data(), junk.size());
  EXPECT_EQ(model.status().code(), StatusCode::kInvalidModel);
  EXPECT_NE(model.status().message().find("TFL3"), std::string::npos);
}

}  // namespace
}  // namespace rnnlite
