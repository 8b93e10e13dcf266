// ImportTfliteRecurrentOps: how TFLite's recurrent ops land in the IR
// (packing, gate order, attributes, state slots) and what is rejected.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "conformance/tflite_golden_util.h"
#include "core/rnn_tflite.h"
#include "core/sequence_rnn.h"

namespace rnnlite::testing {
namespace {

namespace in = seq_rnn_input;

// A cell whose every tensor holds one distinct value per gate, so the packed
// layout can be read off: input_to_* = 1..4, recurrent_to_* = 5..8,
// cell_to_* = 9..11, biases = 12..15 (TFLite order i, f, c, o).
TfliteLstmCell MarkedCell(int n_input, int n_cell, int n_output, bool cifg) {
  TfliteLstmCell c;
  auto fill = [](int n, float v) { return std::vector<float>(static_cast<size_t>(n), v); };
  if (!cifg) {
    c.input_to_input = fill(n_cell * n_input, 1);
    c.recurrent_to_input = fill(n_cell * n_output, 5);
    c.cell_to_input = fill(n_cell, 9);
    c.input_gate_bias = fill(n_cell, 12);
  }
  c.input_to_forget = fill(n_cell * n_input, 2);
  c.input_to_cell = fill(n_cell * n_input, 3);
  c.input_to_output = fill(n_cell * n_input, 4);
  c.recurrent_to_forget = fill(n_cell * n_output, 6);
  c.recurrent_to_cell = fill(n_cell * n_output, 7);
  c.recurrent_to_output = fill(n_cell * n_output, 8);
  c.cell_to_forget = fill(n_cell, 10);
  c.cell_to_output = fill(n_cell, 11);
  c.forget_gate_bias = fill(n_cell, 13);
  c.cell_gate_bias = fill(n_cell, 14);
  c.output_gate_bias = fill(n_cell, 15);
  return c;
}

UniLstmConfig Config(int n_input, int n_cell, int n_output) {
  UniLstmConfig cfg;
  cfg.n_batch = 2;
  cfg.n_input = n_input;
  cfg.n_cell = n_cell;
  cfg.n_output = n_output;
  cfg.seq_len = 3;
  return cfg;
}

std::vector<float> Values(const Subgraph& sg, int index) {
  const Tensor& t = sg.tensors.at(static_cast<size_t>(index));
  std::vector<float> v(t.constant_bytes / sizeof(float));
  if (!v.empty()) std::memcpy(v.data(), t.constant_data, t.constant_bytes);
  return v;
}

// Every packed row block [G*H, K]: the value each gate's rows hold.
std::vector<float> GateValues(const std::vector<float>& packed, int gates, int rows_per_gate, int cols) {
  std::vector<float> out;
  for (int g = 0; g < gates; ++g) out.push_back(packed[static_cast<size_t>(g * rows_per_gate * cols)]);
  return out;
}

const Node& OnlyNode(const Graph& g) {
  EXPECT_EQ(g.main().nodes.size(), 1u);
  return g.main().nodes.at(0);
}

TEST(RnnTfliteImport, UnidirectionalLstmPacksGatesInOrder) {
  GraphBuilder b;
  UniLstmConfig cfg = Config(2, 3, 3);
  BuiltGraph g = BuildUniLstm(b, MarkedCell(2, 3, 3, false), cfg);
  ASSERT_TRUE(ImportTfliteRecurrentOps(b.graph()).ok());
  const Subgraph& sg = b.graph().main();
  const Node& n = OnlyNode(b.graph());
  ASSERT_TRUE(n.is_custom(kSequenceRnnCustomCode));
  EXPECT_TRUE(n.custom_options.empty());
  auto p = SequenceRnnParams::FromAttrs(n.attrs);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->cell, RnnCell::kLstm);
  EXPECT_EQ(p->direction, RnnDirection::kForward);
  EXPECT_TRUE(p->time_major);
  EXPECT_EQ(p->hidden_size, 3);
  EXPECT_EQ(p->proj_size, 0);
  EXPECT_FALSE(p->cifg);
  EXPECT_EQ(p->output_layout, RnnOutputLayout::kConcat);
  EXPECT_EQ(p->state_layout, RnnStateLayout::kPerDirection);
  ASSERT_EQ(p->activations.size(), 3u);
  EXPECT_EQ(p->activations[0].kind, RnnActivation::kSigmoid);
  EXPECT_EQ(p->activations[1].kind, RnnActivation::kTanh);
  EXPECT_EQ(p->activations[2].kind, RnnActivation::kTanh);

  EXPECT_EQ(n.inputs[in::kX], g.x);
  EXPECT_EQ(sg.tensors[n.inputs[in::kW]].shape, (Shape{1, 12, 2}));
  EXPECT_EQ(sg.tensors[n.inputs[in::kR]].shape, (Shape{1, 12, 3}));
  EXPECT_EQ(sg.tensors[n.inputs[in::kWb]].shape, (Shape{1, 12}));
  EXPECT_EQ(sg.tensors[n.inputs[in::kPeephole]].shape, (Shape{1, 3, 3}));
  EXPECT_EQ(GateValues(Values(sg, n.inputs[in::kW]), 4, 3, 2), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(GateValues(Values(sg, n.inputs[in::kR]), 4, 3, 3), (std::vector<float>{5, 6, 7, 8}));
  EXPECT_EQ(GateValues(Values(sg, n.inputs[in::kWb]), 4, 3, 1), (std::vector<float>{12, 13, 14, 15}));
  EXPECT_EQ(GateValues(Values(sg, n.inputs[in::kPeephole]), 3, 1, 3), (std::vector<float>{9, 10, 11}));
  EXPECT_EQ(n.inputs.size(), static_cast<size_t>(in::kPeephole + 1));  // trailing absent inputs trimmed
  // The TFLite states stay the same variable tensors, shaped [B, X].
  EXPECT_EQ(n.inputs[in::kH0], g.states[0]);
  EXPECT_EQ(n.inputs[in::kC0], g.states[1]);
  EXPECT_TRUE(sg.tensors[g.states[0]].is_variable);
  EXPECT_EQ(sg.tensors[g.states[0]].shape, (Shape{2, 3}));
  EXPECT_EQ(n.outputs, std::vector<int>{g.outputs[0]});
}

TEST(RnnTfliteImport, CifgZeroesTheUnusedInputGate) {
  GraphBuilder b;
  BuildUniLstm(b, MarkedCell(2, 3, 3, true), Config(2, 3, 3));
  ASSERT_TRUE(ImportTfliteRecurrentOps(b.graph()).ok());
  const Subgraph& sg = b.graph().main();
  const Node& n = OnlyNode(b.graph());
  auto p = SequenceRnnParams::FromAttrs(n.attrs);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->cifg);
  EXPECT_EQ(GateValues(Values(sg, n.inputs[in::kW]), 4, 3, 2), (std::vector<float>{0, 2, 3, 4}));
  EXPECT_EQ(GateValues(Values(sg, n.inputs[in::kWb]), 4, 3, 1), (std::vector<float>{0, 13, 14, 15}));
  EXPECT_EQ(GateValues(Values(sg, n.inputs[in::kPeephole]), 3, 1, 3), (std::vector<float>{0, 10, 11}));
}

TEST(RnnTfliteImport, ProjectionLayerNormAndClips) {
  GraphBuilder b;
  TfliteLstmCell c = MarkedCell(2, 4, 3, false);
  c.projection_weights = RandomFloats(12, 1);
  c.projection_bias = RandomFloats(3, 2);
  c.input_layer_norm = {1, 1, 1, 1};
  c.forget_layer_norm = {2, 2, 2, 2};
  c.cell_layer_norm = {3, 3, 3, 3};
  c.output_layer_norm = {4, 4, 4, 4};
  UniLstmConfig cfg = Config(2, 4, 3);
  cfg.cell_clip = 3.5f;
  cfg.proj_clip = 0.25f;
  cfg.time_major = false;
  BuildUniLstm(b, c, cfg);
  ASSERT_TRUE(ImportTfliteRecurrentOps(b.graph()).ok());
  const Subgraph& sg = b.graph().main();
  const Node& n = OnlyNode(b.graph());
  auto p = SequenceRnnParams::FromAttrs(n.attrs);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->hidden_size, 4);
  EXPECT_EQ(p->proj_size, 3);
  EXPECT_FALSE(p->time_major);
  EXPECT_FLOAT_EQ(p->cell_clip, 3.5f);
  EXPECT_FLOAT_EQ(p->proj_clip, 0.25f);
  EXPECT_EQ(sg.tensors[n.inputs[in::kR]].shape, (Shape{1, 16, 3}));
  EXPECT_EQ(Values(sg, n.inputs[in::kProjW]), c.projection_weights);
  EXPECT_EQ(sg.tensors[n.inputs[in::kProjW]].shape, (Shape{1, 3, 4}));
  EXPECT_EQ(Values(sg, n.inputs[in::kProjB]), c.projection_bias);
  EXPECT_EQ(GateValues(Values(sg, n.inputs[in::kLayerNorm]), 4, 1, 4), (std::vector<float>{1, 2, 3, 4}));
}

TEST(RnnTfliteImport, DiagonalRecurrentWeightsBecomeDiagonalMatrices) {
  GraphBuilder b;
  TfliteLstmCell c = MarkedCell(2, 3, 3, false);
  c.diagonal_recurrent = true;
  for (auto* r : {&c.recurrent_to_input, &c.recurrent_to_forget, &c.recurrent_to_cell, &c.recurrent_to_output}) {
    r->resize(3);
  }
  BuildUniLstm(b, c, Config(2, 3, 3));
  ASSERT_TRUE(ImportTfliteRecurrentOps(b.graph()).ok());
  const std::vector<float> r = Values(b.graph().main(), OnlyNode(b.graph()).inputs[in::kR]);
  ASSERT_EQ(r.size(), 36u);
  for (int g = 0; g < 4; ++g) {
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j) {
        EXPECT_EQ(r[static_cast<size_t>((g * 3 + i) * 3 + j)], i == j ? 5.0f + g : 0.0f) << g << i << j;
      }
    }
  }
}

TEST(RnnTfliteImport, IsIdempotentAndLeavesOtherOpsAlone) {
  GraphBuilder b;
  BuiltGraph g = BuildUniLstm(b, MarkedCell(2, 3, 3, false), Config(2, 3, 3));
  const int z = b.Tensor("z", DType::kFloat32);
  b.AddNode(Op::kTanh, {g.outputs[0]}, {z});
  ASSERT_TRUE(ImportTfliteRecurrentOps(b.graph()).ok());
  const size_t tensors = b.graph().main().tensors.size();
  const AttrMap attrs = b.graph().main().nodes[0].attrs;
  ASSERT_TRUE(ImportTfliteRecurrentOps(b.graph()).ok());
  EXPECT_EQ(b.graph().main().tensors.size(), tensors);
  ASSERT_EQ(b.graph().main().nodes.size(), 2u);
  EXPECT_EQ(b.graph().main().nodes[0].attrs, attrs);
  EXPECT_EQ(b.graph().main().nodes[1].op, Op::kTanh);
}

// Float16 weights reach the op through DEQUANTIZE (TFLite's float16 format):
// they are read exactly and the DEQUANTIZE nodes go away.
TEST(RnnTfliteImport, Float16WeightsThroughDequantize) {
  GraphBuilder b;
  const int x = b.Input("x", DType::kFloat32, {2, 1, 3});
  // 1.5 and -0.25 are exact in float16: 0x3E00 and 0xB400.
  const std::vector<uint16_t> w16(4 * 3, 0x3E00), r16(4 * 4, 0xB400);
  const int w16t = b.Constant("w16", MakeTensor(DType::kFloat16, {4, 3}, w16, true));
  const int r16t = b.Constant("r16", MakeTensor(DType::kFloat16, {4, 4}, r16, true));
  const int w = b.Tensor("w", DType::kFloat32, {4, 3});
  const int r = b.Tensor("r", DType::kFloat32, {4, 4});
  b.AddNode(Op::kDequantize, {w16t}, {w});
  b.AddNode(Op::kDequantize, {r16t}, {r});
  const int bias = b.Constant("b", ConstF32({4}, {0.1f, 0.2f, 0.3f, 0.4f}));
  const int h = b.Variable("h", DType::kFloat32, {1, 4});
  const int y = b.Tensor("y", DType::kFloat32);
  b.Output(y);
  AttrMap a;
  a.SetInt("time_major", 1);
  a.SetInt("fused_activation_function", kTfliteActTanh);
  b.AddNode(Op::kUnidirectionalSequenceRnn, {x, w, r, bias, h}, {y}, a);
  ASSERT_TRUE(ImportTfliteRecurrentOps(b.graph()).ok());
  const Subgraph& sg = b.graph().main();
  ASSERT_EQ(sg.nodes.size(), 1u);
  const Node& n = sg.nodes[0];
  EXPECT_EQ(Values(sg, n.inputs[in::kW]), std::vector<float>(12, 1.5f));
  EXPECT_EQ(Values(sg, n.inputs[in::kR]), std::vector<float>(16, -0.25f));
}

// --- rejections: Unsupported / InvalidModel naming node, op and field ------

Status ImportStatus(GraphBuilder& b) { return ImportTfliteRecurrentOps(b.graph()); }

void ExpectError(const Status& s, StatusCode code, const std::vector<std::string>& fragments) {
  EXPECT_EQ(s.code(), code) << s.ToString();
  for (const std::string& f : fragments) EXPECT_NE(s.message().find(f), std::string::npos) << f << " in " << s.ToString();
}

TEST(RnnTfliteImport, QuantizedWeightsAreUnsupported) {
  GraphBuilder b;
  BuiltGraph g = BuildUniLstm(b, MarkedCell(2, 3, 3, false), Config(2, 3, 3));
  const Node& node = b.graph().main().nodes[0];
  Tensor& w = b.graph().main().tensors[node.inputs[2]];
  w.dtype = DType::kInt8;
  w.constant_bytes = 6;
  w.quantization.scale = {0.1f};
  (void)g;
  ExpectError(ImportStatus(b), StatusCode::kUnsupported,
              {"node 0", "UNIDIRECTIONAL_SEQUENCE_LSTM", "input 2 (input_to_forget_weights)", "int8"});
}

TEST(RnnTfliteImport, QuantizedInputIsUnsupported) {
  GraphBuilder b;
  BuiltGraph g = BuildUniLstm(b, MarkedCell(2, 3, 3, false), Config(2, 3, 3));
  b.graph().main().tensors[g.x].dtype = DType::kInt8;
  ExpectError(ImportStatus(b), StatusCode::kUnsupported, {"node 0", "input 0", "int8"});
}

TEST(RnnTfliteImport, SignBitActivationIsUnsupported) {
  GraphBuilder b;
  UniLstmConfig cfg = Config(2, 3, 3);
  cfg.activation = 5;  // SIGN_BIT
  BuildUniLstm(b, MarkedCell(2, 3, 3, false), cfg);
  ExpectError(ImportStatus(b), StatusCode::kUnsupported, {"node 0", "fused_activation_function", "SIGN_BIT"});
}

TEST(RnnTfliteImport, RuntimeWeightsAreUnsupported) {
  GraphBuilder b;
  BuildUniLstm(b, MarkedCell(2, 3, 3, false), Config(2, 3, 3));
  Subgraph& sg = b.graph().main();
  Tensor& w = sg.tensors[sg.nodes[0].inputs[3]];
  w.constant_data = nullptr;
  w.constant_bytes = 0;
  sg.inputs.push_back(sg.nodes[0].inputs[3]);
  ExpectError(ImportStatus(b), StatusCode::kUnsupported, {"input 3 (input_to_cell_weights)", "not a constant"});
}

TEST(RnnTfliteImport, MalformedLstmsAreInvalid) {
  {
    GraphBuilder b;
    BuildUniLstm(b, MarkedCell(2, 3, 3, false), Config(2, 3, 3));
    b.graph().main().nodes[0].inputs.pop_back();  // 23 inputs
    ExpectError(ImportStatus(b), StatusCode::kInvalidModel, {"node 0", "24 inputs"});
  }
  {
    GraphBuilder b;
    TfliteLstmCell c = MarkedCell(2, 3, 3, false);
    c.recurrent_to_input.clear();  // input-gate weights half present
    BuildUniLstm(b, c, Config(2, 3, 3));
    ExpectError(ImportStatus(b), StatusCode::kInvalidModel, {"recurrent_to_input_weights"});
  }
  {
    GraphBuilder b;
    UniLstmConfig cfg = Config(2, 3, 3);
    cfg.cell_clip = -1.0f;
    BuildUniLstm(b, MarkedCell(2, 3, 3, false), cfg);
    ExpectError(ImportStatus(b), StatusCode::kInvalidModel, {"cell_clip"});
  }
  {
    GraphBuilder b;
    UniLstmConfig cfg = Config(2, 3, 3);
    BuiltGraph g = BuildUniLstm(b, MarkedCell(2, 3, 3, false), cfg);
    b.graph().main().tensors[g.states[1]].shape = {5};  // cell state of the wrong size
    ExpectError(ImportStatus(b), StatusCode::kInvalidModel, {"input 19 (cell_state)"});
  }
}

TEST(RnnTfliteImport, BidirectionalAuxWeightsWithoutAuxInputAreInvalid) {
  GraphBuilder b;
  BidiLstmConfig cfg;
  cfg.n_batch = 1;
  cfg.n_input = 2;
  cfg.n_cell = 4;
  cfg.n_output = 4;
  cfg.seq_len = 3;
  cfg.aux_input_size = 2;
  const std::vector<float> w(8, 0.5f);
  cfg.fw_aux_weights = {w, w, w, w};
  cfg.bw_aux_weights = cfg.fw_aux_weights;
  BuildBidiLstm(b, NoCifgNoPeepholeCell(), NoCifgNoPeepholeCell(), cfg);
  b.graph().main().nodes[0].inputs[39] = kNoTensor;
  ExpectError(ImportStatus(b), StatusCode::kInvalidModel, {"BIDIRECTIONAL_SEQUENCE_LSTM", "aux_input"});
}

TEST(RnnTfliteImport, HybridBidirectionalRnnIsUnsupported) {
  GraphBuilder b;
  const int x = b.Input("x", DType::kFloat32, {3, 1, 2});
  std::vector<int> ins = {x};
  for (const char* pre : {"fw_", "bw_"}) {
    ins.push_back(b.Constant(std::string(pre) + "w", MakeTensor<uint8_t>(DType::kUInt8, {4, 2}, std::vector<uint8_t>(8, 1), true)));
    ins.push_back(b.Constant(std::string(pre) + "r", ConstF32({4, 4}, std::vector<float>(16, 0.1f))));
    ins.push_back(b.Constant(std::string(pre) + "b", ConstF32({4}, std::vector<float>(4, 0.0f))));
    ins.push_back(b.Variable(std::string(pre) + "h", DType::kFloat32, {1, 4}));
  }
  ins.insert(ins.end(), {kNoTensor, kNoTensor, kNoTensor});
  const int y = b.Tensor("y", DType::kFloat32);
  AttrMap a;
  a.SetInt("merge_outputs", 1);
  a.SetInt("asymmetric_quantize_inputs", 1);
  b.AddNode(Op::kBidirectionalSequenceRnn, ins, {y}, a);
  ExpectError(ImportStatus(b), StatusCode::kUnsupported, {"BIDIRECTIONAL_SEQUENCE_RNN", "input 1 (fw_weights)", "uint8"});
}

// --- RNNLITE_SEQUENCE_RNN custom options ------------------------------------

AttrMap SampleAttrs() {
  SequenceRnnParams p;
  p.cell = RnnCell::kGru;
  p.direction = RnnDirection::kBidirectional;
  p.hidden_size = 7;
  p.linear_before_reset = true;
  p.gate_clip = 0.1f;
  p.activations = {{RnnActivation::kHardSigmoid, 0.2f, 0.5f}, {RnnActivation::kLeakyRelu, 0.01f, 0.0f},
                   {RnnActivation::kSigmoid, 0.0f, 0.0f}, {RnnActivation::kScaledTanh, 1.7f, 0.3f}};
  AttrMap a;
  p.ToAttrs(&a);
  return a;
}

TEST(RnnTfliteOptions, EncodeDecodeIsExact) {
  const AttrMap a = SampleAttrs();
  AttrMap back;
  ASSERT_TRUE(DecodeSequenceRnnOptions(EncodeSequenceRnnOptions(a), &back).ok());
  EXPECT_EQ(back, a);
  AttrMap empty_lists;
  empty_lists.SetInt(seq_rnn_attr::kHiddenSize, 3);
  empty_lists.SetInts(seq_rnn_attr::kActivations, {});
  empty_lists.SetFloats(seq_rnn_attr::kActivationAlpha, {});
  ASSERT_TRUE(DecodeSequenceRnnOptions(EncodeSequenceRnnOptions(empty_lists), &back).ok());
  EXPECT_EQ(back, empty_lists);
}

TEST(RnnTfliteOptions, BadOptionsAreRejected) {
  AttrMap back;
  EXPECT_EQ(DecodeSequenceRnnOptions({}, &back).code(), StatusCode::kInvalidModel);
  EXPECT_EQ(DecodeSequenceRnnOptions({1, 2, 3, 4, 5, 6, 7}, &back).code(), StatusCode::kInvalidModel);
  AttrMap unknown = SampleAttrs();
  unknown.SetInt("future_feature", 1);
  Status s = DecodeSequenceRnnOptions(EncodeSequenceRnnOptions(unknown), &back);
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_NE(s.message().find("future_feature"), std::string::npos);
}

TEST(RnnTfliteImport, DecodesTheCustomOp) {
  GraphBuilder b;
  const int x = b.Input("x", DType::kFloat32, {2, 1, 3});
  const int y = b.Tensor("y", DType::kFloat32);
  Node& n = b.AddCustomNode(kSequenceRnnCustomCode, {x}, {y});
  n.custom_options = EncodeSequenceRnnOptions(SampleAttrs());
  ASSERT_TRUE(ImportTfliteRecurrentOps(b.graph()).ok());
  const Node& back = b.graph().main().nodes[0];
  EXPECT_TRUE(back.custom_options.empty());
  EXPECT_EQ(back.attrs, SampleAttrs());

  AttrMap bad = SampleAttrs();
  bad.SetInt(seq_rnn_attr::kHiddenSize, 0);
  b.graph().main().nodes[0].custom_options = EncodeSequenceRnnOptions(bad);
  Status s = ImportTfliteRecurrentOps(b.graph());
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("node 0"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("hidden_size"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace rnnlite::testing
