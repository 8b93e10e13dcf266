// SequenceRnnParams <-> attributes, names, the input shape contract
// (CheckSequenceRnnInputs) and the kernel's validation errors: bad models
// give a non-OK status naming the problem, never a crash.
#include <gtest/gtest.h>

#include "sequence_rnn_test_helpers.h"

namespace rnnlite::testing::seqrnn {
namespace {

namespace attr = seq_rnn_attr;

AttrMap Hidden(int h) {
  AttrMap a;
  a.SetInt(attr::kHiddenSize, h);
  return a;
}

TEST(SequenceRnnParamsTest, DefaultsFromMinimalAttributes) {
  auto p = SequenceRnnParams::FromAttrs(Hidden(8));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->cell, RnnCell::kLstm);
  EXPECT_EQ(p->direction, RnnDirection::kForward);
  EXPECT_TRUE(p->time_major);
  EXPECT_EQ(p->hidden_size, 8);
  EXPECT_EQ(p->proj_size, 0);
  EXPECT_EQ(p->output_layout, RnnOutputLayout::kStacked);
  EXPECT_EQ(p->state_layout, RnnStateLayout::kStacked);
  ASSERT_EQ(p->activations.size(), 3u);
  EXPECT_EQ(p->activations[0].kind, RnnActivation::kSigmoid);
  EXPECT_EQ(p->activations[1].kind, RnnActivation::kTanh);
  EXPECT_EQ(p->activations[2].kind, RnnActivation::kTanh);

  AttrMap gru = Hidden(4);
  gru.SetInt(attr::kCell, 1);
  gru.SetInt(attr::kDirection, 2);
  p = SequenceRnnParams::FromAttrs(gru);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->activations.size(), 4u);  // (f, g) per direction
  EXPECT_EQ(p->activations[2].kind, RnnActivation::kSigmoid);
  EXPECT_EQ(p->activations[3].kind, RnnActivation::kTanh);

  AttrMap rnn = Hidden(4);
  rnn.SetInt(attr::kCell, 2);
  p = SequenceRnnParams::FromAttrs(rnn);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->activations.size(), 1u);
  EXPECT_EQ(p->activations[0].kind, RnnActivation::kTanh);
}

TEST(SequenceRnnParamsTest, RoundTripThroughAttributes) {
  SequenceRnnParams p = MakeParams(RnnCell::kLstm, RnnDirection::kBidirectional, 16, false);
  p.proj_size = 8;
  p.cifg = true;
  p.cell_clip = 10.0f;
  p.proj_clip = 2.5f;
  p.gate_clip = 3.0f;
  p.output_layout = RnnOutputLayout::kSplit;
  p.state_layout = RnnStateLayout::kPerDirection;
  p.activations = {{RnnActivation::kHardSigmoid, 0.25f, 0.4f}, {RnnActivation::kRelu6, 0, 0},
                   {RnnActivation::kScaledTanh, 1.5f, 0.75f}, {RnnActivation::kSigmoid, 0, 0},
                   {RnnActivation::kLeakyRelu, 0.1f, 0}, {RnnActivation::kSoftsign, 0, 0}};
  auto back = SequenceRnnParams::FromAttrs(Attrs(p));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, p);

  SequenceRnnParams g = MakeParams(RnnCell::kGru, RnnDirection::kReverse, 5);
  g.linear_before_reset = true;
  g.output_layout = RnnOutputLayout::kConcat;
  back = SequenceRnnParams::FromAttrs(Attrs(g));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, g);

  SequenceRnnParams l = MakeParams(RnnCell::kLstm, RnnDirection::kForward, 3);
  l.input_forget = true;
  back = SequenceRnnParams::FromAttrs(Attrs(l));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, l);
}

TEST(SequenceRnnParamsTest, ActivationListsAndDefaults) {
  // One direction's list applies to both directions (as ONNX allows).
  AttrMap a = Hidden(4);
  a.SetInt(attr::kCell, 1);
  a.SetInt(attr::kDirection, 2);
  a.SetInts(attr::kActivations, {static_cast<int64_t>(RnnActivation::kLeakyRelu),
                                 static_cast<int64_t>(RnnActivation::kHardSigmoid)});
  auto p = SequenceRnnParams::FromAttrs(a);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->activations.size(), 4u);
  // onnxruntime's defaults when no alpha/beta is given.
  EXPECT_EQ(p->activations[0], (RnnActivationSpec{RnnActivation::kLeakyRelu, 0.01f, 0.0f}));
  EXPECT_EQ(p->activations[1], (RnnActivationSpec{RnnActivation::kHardSigmoid, 0.2f, 0.5f}));
  EXPECT_EQ(p->activations[2], p->activations[0]);
  EXPECT_EQ(p->activations[3], p->activations[1]);

  a.SetFloats(attr::kActivationAlpha, {0.3, 0.4});
  a.SetFloats(attr::kActivationBeta, {0.0, 0.6});
  p = SequenceRnnParams::FromAttrs(a);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->activations[3], (RnnActivationSpec{RnnActivation::kHardSigmoid, 0.4f, 0.6f}));

  EXPECT_EQ(DefaultRnnActivation(RnnActivation::kElu).alpha, 1.0f);
  EXPECT_EQ(DefaultRnnActivation(RnnActivation::kAffine).alpha, 0.0f);
  RnnActivation k = RnnActivation::kSigmoid;
  EXPECT_TRUE(ParseRnnActivationName("leakyrelu", &k));
  EXPECT_EQ(k, RnnActivation::kLeakyRelu);
  EXPECT_TRUE(ParseRnnActivationName("ScaledTanh", &k));
  EXPECT_EQ(k, RnnActivation::kScaledTanh);
  EXPECT_FALSE(ParseRnnActivationName("Relu6", &k));  // TFLite only
  EXPECT_FALSE(ParseRnnActivationName("Gelu", &k));
  EXPECT_EQ(RnnActivationName(RnnActivation::kThresholdedRelu), "ThresholdedRelu");
  EXPECT_EQ(RnnCellName(RnnCell::kGru), "GRU");
  EXPECT_STREQ(SequenceRnnInputName(in::kSeqLens), "sequence_lengths");
}

TEST(SequenceRnnParamsTest, RejectsBadAttributes) {
  struct Bad {
    const char* what;
    AttrMap attrs;
  };
  auto with = [](auto&& edit) {
    AttrMap a = Hidden(4);
    edit(a);
    return a;
  };
  std::vector<Bad> cases = {
      {"no hidden_size", AttrMap()},
      {"hidden_size 0", with([](AttrMap& a) { a.SetInt(attr::kHiddenSize, 0); })},
      {"cell 3", with([](AttrMap& a) { a.SetInt(attr::kCell, 3); })},
      {"direction -1", with([](AttrMap& a) { a.SetInt(attr::kDirection, -1); })},
      {"time_major 2", with([](AttrMap& a) { a.SetInt(attr::kTimeMajor, 2); })},
      {"output_layout 3", with([](AttrMap& a) { a.SetInt(attr::kOutputLayout, 3); })},
      {"state_layout 2", with([](AttrMap& a) { a.SetInt(attr::kStateLayout, 2); })},
      {"negative clip", with([](AttrMap& a) { a.SetFloat(attr::kGateClip, -1.0); })},
      {"nan cell_clip", with([](AttrMap& a) { a.SetFloat(attr::kCellClip, std::nan("")); })},
      {"lbr on LSTM", with([](AttrMap& a) { a.SetInt(attr::kLinearBeforeReset, 1); })},
      {"proj on GRU", with([](AttrMap& a) { a.SetInt(attr::kCell, 1), a.SetInt(attr::kProjSize, 2); })},
      {"cifg on RNN", with([](AttrMap& a) { a.SetInt(attr::kCell, 2), a.SetInt(attr::kCifg, 1); })},
      {"cifg and input_forget", with([](AttrMap& a) { a.SetInt(attr::kCifg, 1), a.SetInt(attr::kInputForget, 1); })},
      {"cell_clip on GRU", with([](AttrMap& a) { a.SetInt(attr::kCell, 1), a.SetFloat(attr::kCellClip, 1.0); })},
      {"activation 99", with([](AttrMap& a) { a.SetInts(attr::kActivations, {0, 99, 1}); })},
      {"2 LSTM activations", with([](AttrMap& a) { a.SetInts(attr::kActivations, {0, 1}); })},
      {"alpha count", with([](AttrMap& a) {
         a.SetInts(attr::kActivations, {0, 1, 1});
         a.SetFloats(attr::kActivationAlpha, {1.0});
       })},
  };
  for (const Bad& b : cases) {
    auto p = SequenceRnnParams::FromAttrs(b.attrs);
    EXPECT_FALSE(p.ok()) << b.what;
    if (!p.ok()) {
      EXPECT_NE(p.status().message().find("SequenceRnn"), std::string::npos) << p.status().ToString();
    }
  }
}

TEST(SequenceRnnParamsTest, Describe) {
  SequenceRnnParams p = MakeParams(RnnCell::kGru, RnnDirection::kBidirectional, 128);
  p.linear_before_reset = true;
  p.gate_clip = 2.0f;
  const std::string d = p.Describe();
  for (const char* part : {"GRU", "bidirectional", "H=128", "lbr=1", "clip=2", "Sigmoid", "Tanh"}) {
    EXPECT_NE(d.find(part), std::string::npos) << d;
  }
}

// Tensors for CheckSequenceRnnInputs: shapes only matter.
rnnlite::Tensor T(Shape s, DType dt = DType::kFloat32) {
  rnnlite::Tensor t;
  t.shape = std::move(s);
  t.dtype = dt;
  return t;
}

TEST(SequenceRnnParamsTest, OutputShapesForEveryLayout) {
  // T = 5, B = 2, I = 3, H = 4, P = 2, bidirectional LSTM.
  SequenceRnnParams p = MakeParams(RnnCell::kLstm, RnnDirection::kBidirectional, 4);
  p.proj_size = 2;
  rnnlite::Tensor x = T({5, 2, 3}), w = T({2, 16, 3}), r = T({2, 16, 2}), pw = T({2, 2, 4});
  std::vector<const rnnlite::Tensor*> ins(in::kCount, nullptr);
  ins[in::kX] = &x;
  ins[in::kW] = &w;
  ins[in::kR] = &r;
  ins[in::kProjW] = &pw;
  auto s = CheckSequenceRnnInputs(p, ins);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->seq_len, 5);
  EXPECT_EQ(s->batch, 2);
  EXPECT_EQ(s->y, (Shape{5, 2, 2, 2}));
  EXPECT_EQ(s->y_h, (Shape{2, 2, 2}));
  EXPECT_EQ(s->y_c, (Shape{2, 2, 4}));
  EXPECT_TRUE(s->y_bw.empty());
  EXPECT_EQ(s->h_state, (Shape{2, 2, 2}));

  p.output_layout = RnnOutputLayout::kConcat;
  EXPECT_EQ(CheckSequenceRnnInputs(p, ins)->y, (Shape{5, 2, 4}));
  p.output_layout = RnnOutputLayout::kSplit;
  p.state_layout = RnnStateLayout::kPerDirection;
  s = CheckSequenceRnnInputs(p, ins);
  EXPECT_EQ(s->y, (Shape{5, 2, 2}));
  EXPECT_EQ(s->y_bw, (Shape{5, 2, 2}));
  EXPECT_EQ(s->h_state, (Shape{2, 2}));
  EXPECT_EQ(s->c_state, (Shape{2, 4}));
  EXPECT_EQ(s->y_h, (Shape{2, 2, 2}));

  // Batch-major: X is [B, T, I]; stacked Y is [B, T, D, X], states [B, D, X].
  p.time_major = false;
  p.output_layout = RnnOutputLayout::kStacked;
  p.state_layout = RnnStateLayout::kStacked;
  x = T({2, 5, 3});
  s = CheckSequenceRnnInputs(p, ins);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->y, (Shape{2, 5, 2, 2}));
  EXPECT_EQ(s->y_h, (Shape{2, 2, 2}));
  EXPECT_EQ(s->h_state, (Shape{2, 2, 2}));
  EXPECT_EQ(s->y_c, (Shape{2, 2, 4}));
}

// Through the kernel: each bad node fails in AllocateTensors (Prepare) with
// a message naming the problem.
TEST(SequenceRnnParamsTest, KernelRejectsBadNodes) {
  SequenceRnnParams lstm = MakeParams(RnnCell::kLstm, RnnDirection::kForward, 3);
  SequenceRnnParams gru = MakeParams(RnnCell::kGru, RnnDirection::kForward, 3);
  const Dims dims{4, 2, 3, 3, 0, 0};
  struct Bad {
    const char* what;
    NodeSpec spec;
    const char* needle;
  };
  auto node = [&](const SequenceRnnParams& p, auto&& edit) {
    NodeSpec s;
    s.attrs = Attrs(p);
    s.inputs = RandomInputs(p, dims, Extras(), 1);
    s.outputs = {true, true, p.cell == RnnCell::kLstm, false};
    edit(s);
    return s;
  };
  std::vector<Bad> cases = {
      {"GRU with peepholes", node(gru, [](NodeSpec& s) { s.inputs[in::kPeephole] = F32({1, 3, 3}, std::vector<float>(9, 0.1f)); }),
       "input 8 (peephole)"},
      {"GRU with c0", node(gru, [](NodeSpec& s) { s.inputs[in::kC0] = F32({1, 2, 3}, std::vector<float>(6, 0.1f)); }),
       "LSTM only"},
      {"W shape", node(lstm, [](NodeSpec& s) { s.inputs[in::kW] = F32({1, 12, 2}, std::vector<float>(24, 0.1f)); }),
       "input 1 (w): shape [1, 12, 2], expected [1, 12, 3]"},
      {"hidden_size vs R", node(lstm, [](NodeSpec& s) { s.attrs.SetInt(attr::kHiddenSize, 2); }), "input 1 (w)"},
      {"h0 shape", node(lstm, [](NodeSpec& s) { s.inputs[in::kH0] = F32({2, 3}, std::vector<float>(6, 0.1f)); }),
       "input 6 (h0)"},
      {"X int32", node(lstm, [](NodeSpec& s) { s.inputs[in::kX] = I32({4, 2, 3}, std::vector<int32_t>(24, 1)); }),
       "float32 or float64"},
      {"X rank 2", node(lstm, [](NodeSpec& s) { s.inputs[in::kX] = F32({4, 6}, std::vector<float>(24, 0.1f)); }),
       "rank 3"},
      {"mixed dtypes", node(lstm, [](NodeSpec& s) {
         s.inputs[in::kWb] = MakeTensor(DType::kFloat64, {1, 12}, std::vector<double>(12, 0.1));
       }),
       "input 3 (wb): dtype float64"},
      {"lengths float", node(lstm, [](NodeSpec& s) { s.inputs[in::kSeqLens] = F32({2}, {1, 2}); }), "int32 or int64"},
      {"lengths shape", node(lstm, [](NodeSpec& s) { s.inputs[in::kSeqLens] = I32({3}, {1, 2, 3}); }), "([B])"},
      {"aux without weights", node(lstm, [](NodeSpec& s) { s.inputs[in::kAuxX] = F32({4, 2, 1}, std::vector<float>(8, 0.1f)); }),
       "together"},
      {"projection without proj_size", node(lstm, [](NodeSpec& s) { s.inputs[in::kProjW] = F32({1, 2, 3}, std::vector<float>(6, 0.1f)); }),
       "proj_size is 0"},
      {"proj_size without weights", node(lstm, [](NodeSpec& s) {
         s.attrs.SetInt(attr::kProjSize, 2);
         s.inputs[in::kR] = F32({1, 12, 2}, std::vector<float>(24, 0.1f));
         s.inputs[in::kH0] = Absent();
       }),
       "required when proj_size > 0"},
      {"h0_bw on a stacked node", node(lstm, [](NodeSpec& s) { s.inputs[in::kH0Bw] = F32({2, 3}, std::vector<float>(6, 0.1f)); }),
       "per-direction"},
      {"Y_c of a GRU", node(gru, [](NodeSpec& s) { s.outputs = {true, true, true, false}; }), "only LSTM"},
      {"Y_bw without split", node(lstm, [](NodeSpec& s) { s.outputs = {true, true, true, true}; }), "y_bw"},
      {"output dtype", node(lstm, [](NodeSpec& s) { s.out_dtype = DType::kFloat64; }), "expected float32"},
      {"17 inputs", node(lstm, [](NodeSpec& s) { s.inputs.push_back(Absent()); }), "at most 16"},
      {"h variable, c not", node(lstm, [](NodeSpec& s) { s.variable_slots = {in::kH0}; }), "streaming state"},
      {"bad attribute", node(lstm, [](NodeSpec& s) { s.attrs.SetInt(attr::kCifg, 5); }), "cifg"},
  };
  for (const Bad& b : cases) {
    SCOPED_TRACE(b.what);
    NodeRunner runner(b.spec);
    ASSERT_FALSE(runner.status().ok());
    EXPECT_NE(runner.status().message().find(b.needle), std::string::npos) << runner.status().ToString();
    EXPECT_NE(runner.status().message().find(kSequenceRnnCustomCode), std::string::npos)
        << "the message names the node: " << runner.status().ToString();
  }
}

}  // namespace
}  // namespace rnnlite::testing::seqrnn
