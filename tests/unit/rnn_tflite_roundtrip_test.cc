// Load -> write -> load of every recurrent form: the reloaded graph has the
// same SequenceRnn nodes (attributes and packed constants) and computes the
// same outputs, and the writer chose the TFLite builtin exactly when one
// computes the same function.
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

std::shared_ptr<const Model> Reload(const Graph& g) {
  auto bytes = WriteTflite(g);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  if (!bytes.ok()) return nullptr;
  auto model = Model::FromBuffer(bytes->data(), bytes->size());
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  return model.ok() ? *model : nullptr;
}

std::vector<uint8_t> Bytes(const Tensor& t) {
  if (t.constant_data == nullptr) return {};
  return std::vector<uint8_t>(t.constant_data, t.constant_data + t.constant_bytes);
}

// The two graphs have the same nodes; SequenceRnn nodes have equal attrs and
// equal constant inputs (the constants of other nodes are compared too).
void ExpectSameRecurrentGraph(const Graph& a, const Graph& b) {
  const Subgraph& sa = a.main();
  const Subgraph& sb = b.main();
  ASSERT_EQ(sa.nodes.size(), sb.nodes.size());
  for (size_t i = 0; i < sa.nodes.size(); ++i) {
    const Node& na = sa.nodes[i];
    const Node& nb = sb.nodes[i];
    EXPECT_EQ(NodeOpName(na), NodeOpName(nb)) << "node " << i;
    EXPECT_EQ(na.attrs, nb.attrs) << "node " << i;
    ASSERT_EQ(na.inputs.size(), nb.inputs.size()) << "node " << i;
    for (size_t k = 0; k < na.inputs.size(); ++k) {
      ASSERT_EQ(na.inputs[k] == kNoTensor, nb.inputs[k] == kNoTensor) << "node " << i << " input " << k;
      if (na.inputs[k] == kNoTensor) continue;
      const Tensor& ta = sa.tensors[na.inputs[k]];
      const Tensor& tb = sb.tensors[nb.inputs[k]];
      EXPECT_EQ(ta.shape, tb.shape) << "node " << i << " input " << k;
      EXPECT_EQ(ta.is_variable, tb.is_variable) << "node " << i << " input " << k;
      EXPECT_EQ(Bytes(ta), Bytes(tb)) << "node " << i << " input " << k;
    }
    EXPECT_EQ(na.outputs.size(), nb.outputs.size()) << "node " << i;
  }
}

// Runs a model's graph inputs with seeded values, `invokes` times (states
// stream), and returns every graph output of the last Invoke.
std::vector<std::vector<float>> RunModel(const std::shared_ptr<const Model>& m, int invokes = 2) {
  Interpreter interp(m);
  Status s = interp.AllocateTensors();
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return {};
  for (int k = 0; k < invokes; ++k) {
    uint32_t seed = 100;
    for (int idx : interp.inputs()) {
      Tensor* t = interp.tensor(idx);
      if (t->dtype == DType::kFloat32) {
        std::vector<float> v = RandomFloats(t->bytes / 4, seed++ + static_cast<uint32_t>(k));
        std::memcpy(t->data, v.data(), t->bytes);
      } else if (t->dtype == DType::kInt32) {  // sequence lengths: 1..T
        for (size_t j = 0; j < t->bytes / 4; ++j) t->data_as<int32_t>()[j] = static_cast<int32_t>(1 + j % 3);
      }
    }
    s = interp.Invoke();
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (!s.ok()) return {};
  }
  std::vector<std::vector<float>> outs;
  for (int idx : interp.outputs()) {
    const Tensor* t = interp.tensor(idx);
    std::vector<float> v(t->bytes / 4);
    if (!v.empty()) std::memcpy(v.data(), t->data, t->bytes);
    outs.push_back(std::move(v));
  }
  return outs;
}

// The op each SequenceRnn node is written as.
std::vector<std::string> WrittenOps(const Graph& g) {
  Graph out;
  Status s = ExportTfliteRecurrentOps(g, &out);
  EXPECT_TRUE(s.ok()) << s.ToString();
  std::vector<std::string> ops;
  for (const Node& n : out.main().nodes) ops.push_back(NodeOpName(n));
  return ops;
}

// load -> write -> load -> write -> load: graphs equal, outputs bit-equal.
void CheckRoundTrip(GraphBuilder& b, const std::vector<std::string>& written_ops) {
  auto first = b.Build();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(WrittenOps((*first)->graph()), written_ops);
  auto second = Reload((*first)->graph());
  ASSERT_NE(second, nullptr);
  ExpectSameRecurrentGraph((*first)->graph(), second->graph());
  auto third = Reload(second->graph());
  ASSERT_NE(third, nullptr);
  ExpectSameRecurrentGraph(second->graph(), third->graph());
  const auto y1 = RunModel(*first), y2 = RunModel(second);
  ASSERT_EQ(y1.size(), y2.size());
  for (size_t i = 0; i < y1.size(); ++i) EXPECT_EQ(y1[i], y2[i]) << "output " << i;
}

const std::string kSeqRnn = kSequenceRnnCustomCode;

UniLstmConfig SmallUni() {
  UniLstmConfig cfg;
  cfg.n_batch = 2;
  cfg.n_input = 2;
  cfg.n_cell = 4;
  cfg.n_output = 4;
  cfg.seq_len = 3;
  return cfg;
}

TEST(RnnTfliteRoundTrip, UnidirectionalLstmVariants) {
  struct Case {
    const char* name;
    TfliteLstmCell cell;
    UniLstmConfig cfg;
  };
  std::vector<Case> cases;
  cases.push_back({"plain", NoCifgNoPeepholeCell(), SmallUni()});
  cases.push_back({"cifg_peephole", CifgPeepholeCell(), SmallUni()});
  UniLstmConfig bm = SmallUni();
  bm.time_major = false;
  bm.cell_clip = 0.5f;
  bm.activation = kTfliteActRelu;
  cases.push_back({"batch_major_clip_relu", NoCifgNoPeepholeCell(), bm});
  UniLstmConfig legacy = SmallUni();
  legacy.legacy_20_inputs = true;
  cases.push_back({"legacy20", NoCifgNoPeepholeCell(), legacy});
  TfliteLstmCell ln = CifgPeepholeCell();
  ln.forget_layer_norm = {0.2f, 0.2f, 0.4f, 0.3f};
  ln.cell_layer_norm = {0.7f, 0.2f, 0.3f, 0.8f};
  ln.output_layer_norm = {0.6f, 0.2f, 0.2f, 0.5f};
  cases.push_back({"cifg_layer_norm", ln, SmallUni()});
  TfliteLstmCell proj = NoCifgNoPeepholeCell();
  proj.projection_weights = RandomFloats(12, 3);
  proj.projection_bias = RandomFloats(3, 4);
  proj.recurrent_to_input = RandomFloats(12, 5);
  proj.recurrent_to_forget = RandomFloats(12, 6);
  proj.recurrent_to_cell = RandomFloats(12, 7);
  proj.recurrent_to_output = RandomFloats(12, 8);
  UniLstmConfig pc = SmallUni();
  pc.n_output = 3;
  pc.proj_clip = 0.3f;
  cases.push_back({"projection", proj, pc});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    GraphBuilder b;
    BuildUniLstm(b, c.cell, c.cfg);
    CheckRoundTrip(b, {"UNIDIRECTIONAL_SEQUENCE_LSTM"});
  }
}

BidiLstmConfig SmallBidi() {
  BidiLstmConfig cfg;
  cfg.n_batch = 2;
  cfg.n_input = 2;
  cfg.n_cell = 4;
  cfg.n_output = 4;
  cfg.seq_len = 3;
  return cfg;
}

TEST(RnnTfliteRoundTrip, BidirectionalLstmVariants) {
  for (bool merge : {false, true}) {
    SCOPED_TRACE(merge ? "merged" : "unmerged");
    BidiLstmConfig cfg = SmallBidi();
    cfg.merge_outputs = merge;
    GraphBuilder b;
    BuildBidiLstm(b, NoCifgNoPeepholeCell(), NoCifgNoPeepholeCell(), cfg);
    CheckRoundTrip(b, {"BIDIRECTIONAL_SEQUENCE_LSTM"});
  }
  {
    SCOPED_TRACE("aux weights, batch-major");
    BidiLstmConfig cfg = SmallBidi();
    cfg.time_major = false;
    cfg.aux_input_size = 1;
    cfg.fw_aux_weights = {{0.1f, 0.2f, 0.3f, 0.4f}, {0.7f, 0.6f, 0.5f, 0.4f}, {0.5f, 0.6f, 0.7f, 0.8f},
                          {0.1f, 0.2f, 0.3f, 0.4f}};
    cfg.bw_aux_weights = cfg.fw_aux_weights;
    GraphBuilder b;
    BuildBidiLstm(b, CifgPeepholeCell(), CifgPeepholeCell(), cfg);
    CheckRoundTrip(b, {"BIDIRECTIONAL_SEQUENCE_LSTM"});
  }
  {
    // Split on import: forward = builtin, reverse = custom op, CONCATENATION.
    SCOPED_TRACE("aux input without weights, merged");
    BidiLstmConfig cfg = SmallBidi();
    cfg.aux_input_size = 2;
    cfg.merge_outputs = true;
    GraphBuilder b;
    BuildBidiLstm(b, NoCifgNoPeepholeCell(), NoCifgNoPeepholeCell(), cfg);
    CheckRoundTrip(b, {"UNIDIRECTIONAL_SEQUENCE_LSTM", kSeqRnn, "CONCATENATION"});
  }
}

// [x, W, R, b, h] as TFLite's RNN ops take them.
std::vector<int> RnnDirectionInputs(GraphBuilder& b, const std::string& pre, int units, int input, uint32_t seed) {
  return {b.Constant(pre + "w", ConstF32({units, input}, RandomFloats(static_cast<size_t>(units * input), seed))),
          b.Constant(pre + "r", ConstF32({units, units}, RandomFloats(static_cast<size_t>(units * units), seed + 1))),
          b.Constant(pre + "b", ConstF32({units}, RandomFloats(static_cast<size_t>(units), seed + 2))),
          b.Variable(pre + "h", DType::kFloat32, {2, units})};
}

TEST(RnnTfliteRoundTrip, RnnVariants) {
  {
    GraphBuilder b;
    const int x = b.Input("x", DType::kFloat32, {2, 3, 5});
    std::vector<int> ins = {x};
    for (int t : RnnDirectionInputs(b, "", 4, 5, 10)) ins.push_back(t);
    const int y = b.Tensor("y", DType::kFloat32);
    b.Output(y);
    AttrMap a;
    a.SetInt("fused_activation_function", 3);  // RELU6
    b.AddNode(Op::kUnidirectionalSequenceRnn, ins, {y}, a);
    CheckRoundTrip(b, {"UNIDIRECTIONAL_SEQUENCE_RNN"});
  }
  for (bool merge : {false, true}) {
    GraphBuilder b;
    const int x = b.Input("x", DType::kFloat32, {3, 2, 5});
    std::vector<int> ins = {x};
    for (int t : RnnDirectionInputs(b, "fw_", 4, 5, 20)) ins.push_back(t);
    for (int t : RnnDirectionInputs(b, "bw_", 4, 5, 30)) ins.push_back(t);
    ins.insert(ins.end(), {kNoTensor, kNoTensor, kNoTensor});
    std::vector<int> outs = {b.Tensor("y_fw", DType::kFloat32)};
    if (!merge) outs.push_back(b.Tensor("y_bw", DType::kFloat32));
    for (int o : outs) b.Output(o);
    AttrMap a;
    a.SetInt("time_major", 1);
    a.SetInt("fused_activation_function", kTfliteActTanh);
    a.SetInt("merge_outputs", merge ? 1 : 0);
    b.AddNode(Op::kBidirectionalSequenceRnn, ins, outs, a);
    CheckRoundTrip(b, {"BIDIRECTIONAL_SEQUENCE_RNN"});
  }
}

TEST(RnnTfliteRoundTrip, GruIsWrittenAsTheCustomOp) {
  GraphBuilder b;
  const int x = b.Input("x", DType::kFloat32, {3, 2, 2});
  const int h = b.Input("h", DType::kFloat32, {2, 3});
  const int gw = b.Constant("gw", ConstF32({6, 5}, RandomFloats(30, 1)));
  const int gb = b.Constant("gb", ConstF32({6}, RandomFloats(6, 2)));
  const int cw = b.Constant("cw", ConstF32({3, 5}, RandomFloats(15, 3)));
  const int cb = b.Constant("cb", ConstF32({3}, RandomFloats(3, 4)));
  const int y = b.Tensor("y", DType::kFloat32);
  const int ys = b.Tensor("ys", DType::kFloat32);
  b.Output(y);
  b.Output(ys);
  b.AddCustomNode("UNIDIRECTIONAL_SEQUENCE_GRU", {x, h, gw, gb, cw, cb}, {y, ys});
  CheckRoundTrip(b, {kSeqRnn, "RESHAPE"});
}

// SequenceRnn nodes made in memory (as the ONNX importer makes them).
struct NodeSpec {
  SequenceRnnParams p;
  bool seq_lens = false, final_states = false, variable_states = false, both_biases = false;
};

void BuildSequenceRnn(GraphBuilder& b, const NodeSpec& s) {
  const SequenceRnnParams& p = s.p;
  const int D = p.num_directions(), G = p.num_gates(), H = p.hidden_size, I = 3, B = 2, T = 4;
  const bool lstm = p.cell == RnnCell::kLstm;
  std::vector<int> ins(in::kCount, kNoTensor);
  ins[in::kX] = b.Input("x", DType::kFloat32, p.time_major ? Shape{T, B, I} : Shape{B, T, I});
  ins[in::kW] = b.Constant("W", ConstF32({D, G * H, I}, RandomFloats(static_cast<size_t>(D * G * H * I), 1)));
  ins[in::kR] = b.Constant("R", ConstF32({D, G * H, H}, RandomFloats(static_cast<size_t>(D * G * H * H), 2, -0.5f, 0.5f)));
  ins[in::kWb] = b.Constant("Wb", ConstF32({D, G * H}, RandomFloats(static_cast<size_t>(D * G * H), 3)));
  if (s.both_biases) ins[in::kRb] = b.Constant("Rb", ConstF32({D, G * H}, RandomFloats(static_cast<size_t>(D * G * H), 4)));
  if (s.seq_lens) ins[in::kSeqLens] = b.Input("lens", DType::kInt32, {B});
  const bool per_dir = p.state_layout == RnnStateLayout::kPerDirection;
  auto state = [&](const std::string& name, int width, int dirs) {
    const Shape shape = per_dir ? Shape{B, width} : (p.time_major ? Shape{dirs, B, width} : Shape{B, dirs, width});
    return s.variable_states ? b.Variable(name, DType::kFloat32, shape) : b.Input(name, DType::kFloat32, shape);
  };
  ins[in::kH0] = state("h0", H, per_dir ? 1 : D);
  if (lstm) ins[in::kC0] = state("c0", H, per_dir ? 1 : D);
  if (per_dir && D == 2) {
    ins[in::kH0Bw] = state("h0_bw", H, 1);
    if (lstm) ins[in::kC0Bw] = state("c0_bw", H, 1);
  }
  if (lstm) ins[in::kPeephole] = b.Constant("P", ConstF32({D, 3, H}, RandomFloats(static_cast<size_t>(D * 3 * H), 5)));
  while (!ins.empty() && ins.back() == kNoTensor) ins.pop_back();
  std::vector<int> outs = {b.Tensor("y", DType::kFloat32)};
  if (s.final_states) {
    outs.push_back(b.Tensor("y_h", DType::kFloat32));
    if (lstm) outs.push_back(b.Tensor("y_c", DType::kFloat32));
  }
  if (p.output_layout == RnnOutputLayout::kSplit) {
    outs.resize(seq_rnn_output::kYBw, kNoTensor);
    outs.push_back(b.Tensor("y_bw", DType::kFloat32));
  }
  for (int o : outs) {
    if (o != kNoTensor) b.Output(o);
  }
  AttrMap a;
  p.ToAttrs(&a);
  b.AddCustomNode(kSequenceRnnCustomCode, ins, outs, a);
}

SequenceRnnParams Lstm(RnnDirection d, int H = 5) {
  SequenceRnnParams p;
  p.cell = RnnCell::kLstm;
  p.direction = d;
  p.hidden_size = H;
  p.activations.assign(static_cast<size_t>(3 * p.num_directions()), RnnActivationSpec{});
  for (size_t k = 0; k < p.activations.size(); ++k) {
    p.activations[k] = k % 3 == 0 ? RnnActivationSpec{RnnActivation::kSigmoid, 0, 0}
                                  : RnnActivationSpec{RnnActivation::kTanh, 0, 0};
  }
  p.output_layout = RnnOutputLayout::kConcat;
  p.state_layout = RnnStateLayout::kPerDirection;
  return p;
}

TEST(RnnTfliteRoundTrip, InMemoryNodesPickBuiltinOrCustom) {
  struct Case {
    const char* name;
    NodeSpec spec;
    std::vector<std::string> ops;
  };
  std::vector<Case> cases;
  NodeSpec streaming{Lstm(RnnDirection::kForward), false, false, true, false};
  cases.push_back({"streaming lstm", streaming, {"UNIDIRECTIONAL_SEQUENCE_LSTM"}});
  NodeSpec not_streaming = streaming;
  not_streaming.variable_states = false;  // states restart every Invoke
  cases.push_back({"graph-input states", not_streaming, {kSeqRnn}});
  NodeSpec lens = streaming;
  lens.seq_lens = true;
  cases.push_back({"sequence lengths", lens, {kSeqRnn}});
  NodeSpec finals = not_streaming;
  finals.final_states = true;
  cases.push_back({"final-state outputs", finals, {kSeqRnn}});
  NodeSpec reverse = streaming;
  reverse.p.direction = RnnDirection::kReverse;
  cases.push_back({"reverse", reverse, {kSeqRnn}});
  NodeSpec onnx = not_streaming;
  onnx.p = Lstm(RnnDirection::kBidirectional);
  onnx.p.output_layout = RnnOutputLayout::kStacked;
  onnx.p.state_layout = RnnStateLayout::kStacked;
  onnx.p.gate_clip = 2.5f;
  onnx.p.activations[1] = {RnnActivation::kLeakyRelu, 0.2f, 0.0f};
  onnx.final_states = true;
  onnx.both_biases = true;
  cases.push_back({"onnx-style bidirectional", onnx, {kSeqRnn}});
  NodeSpec gru = not_streaming;
  gru.p.cell = RnnCell::kGru;
  gru.p.linear_before_reset = true;
  gru.p.activations = {{RnnActivation::kSigmoid, 0, 0}, {RnnActivation::kTanh, 0, 0}};
  gru.p.time_major = false;
  cases.push_back({"gru lbr", gru, {kSeqRnn}});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    GraphBuilder b;
    BuildSequenceRnn(b, c.spec);
    CheckRoundTrip(b, c.ops);
  }
}

// Input- and recurrent-side biases become TFLite's single bias (their sum,
// as the kernel forms it), so the builtin computes the same outputs.
TEST(RnnTfliteRoundTrip, BothBiasesFoldIntoTheBuiltinBias) {
  NodeSpec s{Lstm(RnnDirection::kBidirectional), false, false, true, true};
  s.p.output_layout = RnnOutputLayout::kSplit;
  GraphBuilder b;
  BuildSequenceRnn(b, s);
  auto first = b.Build();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(WrittenOps((*first)->graph()), std::vector<std::string>{"BIDIRECTIONAL_SEQUENCE_LSTM"});
  auto second = Reload((*first)->graph());
  ASSERT_NE(second, nullptr);
  const Node& n = second->graph().main().nodes.at(0);
  EXPECT_EQ(n.attrs, (*first)->graph().main().nodes.at(0).attrs);
  EXPECT_TRUE(n.inputs.size() <= static_cast<size_t>(in::kRb) || n.inputs[in::kRb] == kNoTensor);
  const auto y1 = RunModel(*first), y2 = RunModel(second);
  ASSERT_EQ(y1.size(), y2.size());
  for (size_t i = 0; i < y1.size(); ++i) ExpectNear(y2[i], y1[i], 1e-6f, "output " + std::to_string(i));
}

TEST(RnnTfliteRoundTrip, InvalidAttributesCannotBeWritten) {
  GraphBuilder b;
  const int x = b.Input("x", DType::kFloat32, {2, 1, 3});
  const int y = b.Tensor("y", DType::kFloat32);
  AttrMap a;
  a.SetInt(seq_rnn_attr::kCell, 7);
  a.SetInt(seq_rnn_attr::kHiddenSize, 4);
  b.AddCustomNode(kSequenceRnnCustomCode, {x}, {y}, a);
  Graph out;
  Status s = ExportTfliteRecurrentOps(b.graph(), &out);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("node 0"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace rnnlite::testing
