// Cell features of the SequenceRnn reference checked with hand-computed
// values: every activation kind with alpha/beta, per-direction activation
// lists, peephole wiring, CIFG and input_forget, layer norm order, GRU
// linear_before_reset, ONNX clip, cell_clip and proj_clip, empty sequences.
// Most cases use identity activations (Affine 1, 0) or constant gates
// (Affine 0, 1) so the expected numbers are exact short decimals.
#include <gtest/gtest.h>

#include "cpu_fallback/sequence_rnn_ref.h"
#include "sequence_rnn_test_helpers.h"

namespace rnnlite::testing::seqrnn {
namespace {

RnnActivationSpec Act(RnnActivation k, float alpha = 0.0f, float beta = 0.0f) { return {k, alpha, beta}; }
const RnnActivationSpec kIdentity = Act(RnnActivation::kAffine, 1.0f, 0.0f);
const RnnActivationSpec kOne = Act(RnnActivation::kAffine, 0.0f, 1.0f);

struct ActCase {
  RnnActivationSpec act;
  float x;
  double expected;  // computed by hand / with Python's math module
};

std::vector<ActCase> ActivationTable() {
  using A = RnnActivation;
  return {
      {Act(A::kSigmoid), -2.0f, 0.11920292202211755},
      {Act(A::kSigmoid), 0.5f, 0.6224593312018546},
      {Act(A::kTanh), -2.0f, -0.9640275800758169},
      {Act(A::kTanh), 0.5f, 0.46211715726000974},
      {Act(A::kRelu), -0.5f, 0.0},
      {Act(A::kRelu), 2.0f, 2.0},
      {Act(A::kHardSigmoid, 0.2f, 0.5f), -2.0f, 0.1},
      {Act(A::kHardSigmoid, 0.2f, 0.5f), 0.5f, 0.6},
      {Act(A::kHardSigmoid, 1.0f, 0.5f), 2.0f, 1.0},
      {Act(A::kHardSigmoid, 1.0f, 0.5f), -2.0f, 0.0},
      {Act(A::kLeakyRelu, 0.01f), -2.0f, -0.02},
      {Act(A::kLeakyRelu, 0.01f), 2.0f, 2.0},
      {Act(A::kThresholdedRelu, 1.0f), 0.5f, 0.0},
      {Act(A::kThresholdedRelu, 1.0f), 1.0f, 0.0},
      {Act(A::kThresholdedRelu, 1.0f), 2.0f, 2.0},
      {Act(A::kScaledTanh, 2.0f, 0.5f), 2.0f, 1.5231883119115297},
      {Act(A::kAffine, 3.0f, -1.0f), 0.5f, 0.5},
      {Act(A::kElu, 1.0f), -2.0f, -0.8646647167633873},
      {Act(A::kElu, 1.0f), 0.5f, 0.5},
      {Act(A::kSoftsign), -2.0f, -2.0 / 3.0},
      {Act(A::kSoftsign), 0.5f, 1.0 / 3.0},
      {Act(A::kSoftplus), 0.5f, 0.9740769841801067},
      {Act(A::kSoftplus), -2.0f, 0.1269280110429725},
      {Act(A::kSoftplus), 100.0f, 100.0},  // no overflow of exp(100) in float32
      {Act(A::kRelu6), 7.0f, 6.0},
      {Act(A::kRelu6), 3.0f, 3.0},
      {Act(A::kRelu6), -1.0f, 0.0},
      {Act(A::kReluN1To1), 2.0f, 1.0},
      {Act(A::kReluN1To1), -2.0f, -1.0},
      {Act(A::kReluN1To1), 0.5f, 0.5},
  };
}

TEST(SequenceRnnFeaturesTest, ActivationFunctions) {
  for (const ActCase& c : ActivationTable()) {
    SCOPED_TRACE(RnnActivationName(c.act.kind) + " at " + std::to_string(c.x));
    EXPECT_NEAR(ApplyRnnActivation<double>(c.act, static_cast<double>(c.x)), c.expected, 1e-7);
    EXPECT_NEAR(ApplyRnnActivation<float>(c.act, c.x), c.expected, 2e-6);
  }
}

// A one-unit RNN with W = 1, R = 0 and no bias outputs f(x) at every step:
// every activation kind, with its alpha/beta, reaches the kernel.
TEST(SequenceRnnFeaturesTest, EveryActivationThroughTheNode) {
  for (const ActCase& c : ActivationTable()) {
    SCOPED_TRACE(RnnActivationName(c.act.kind) + " at " + std::to_string(c.x));
    SequenceRnnParams p = MakeParams(RnnCell::kRnn, RnnDirection::kForward, 1);
    p.activations = {c.act};
    NodeSpec s;
    s.attrs = Attrs(p);
    s.inputs = NoInputs();
    s.inputs[in::kX] = F32({1, 1, 1}, {c.x});
    s.inputs[in::kW] = ConstF32({1, 1, 1}, {1.0f});
    s.inputs[in::kR] = ConstF32({1, 1, 1}, {0.0f});
    RunResult r = RunNode(s);
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    ExpectNear(r.outputs[out::kY], {1, 1, 1, 1}, {static_cast<float>(c.expected)}, 2e-6f, 1e-6f);
  }
}

// Per-direction activation lists: a bidirectional LSTM (H = 1, one step,
// zero states, W only) whose directions use different f, g, h.
//   forward  (Sigmoid, Tanh, Tanh), W = (i .5, f -.3, g .8, o 1.5):
//     c = sigmoid(.5) tanh(.8) = 0.41333588, h = sigmoid(1.5) tanh(c) = 0.31991809
//   backward (HardSigmoid .2/.5, Relu, Softsign), W = (i 1, f .2, g .6, o 2):
//     c = .7 * .6 = .42, h = .9 * .42 / 1.42 = 0.26619718
TEST(SequenceRnnFeaturesTest, LstmActivationListPerDirection) {
  SequenceRnnParams p = MakeParams(RnnCell::kLstm, RnnDirection::kBidirectional, 1);
  p.activations = {Act(RnnActivation::kSigmoid), Act(RnnActivation::kTanh), Act(RnnActivation::kTanh),
                   Act(RnnActivation::kHardSigmoid, 0.2f, 0.5f), Act(RnnActivation::kRelu),
                   Act(RnnActivation::kSoftsign)};
  NodeSpec s;
  s.attrs = Attrs(p);
  s.inputs = NoInputs();
  s.inputs[in::kX] = F32({1, 1, 1}, {1.0f});
  s.inputs[in::kW] = ConstF32({2, 4, 1}, {0.5f, -0.3f, 0.8f, 1.5f, 1.0f, 0.2f, 0.6f, 2.0f});
  s.inputs[in::kR] = ConstF32({2, 4, 1}, std::vector<float>(8, 0.0f));
  s.outputs = {true, true, true, false};
  RunResult r = RunNode(s);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectNear(r.outputs[out::kY], {1, 2, 1, 1}, {0.3199180912f, 0.2661971831f}, 1e-6f, 1e-6f);
  ExpectNear(r.outputs[out::kYc], {2, 1, 1}, {0.4133358839f, 0.42f}, 1e-6f, 1e-6f);
}

// GRU with f = Elu(.5), g = ScaledTanh(2, .5), H = 1, h0 = 0, x = 1,
// W = (r .3, z -.4, n .9): z = Elu(-.4) = -0.16483998, n = 2 tanh(.45) =
// 0.84379801, h = (1 - z) n = 0.98288966.
TEST(SequenceRnnFeaturesTest, GruActivationList) {
  SequenceRnnParams p = MakeParams(RnnCell::kGru, RnnDirection::kForward, 1);
  p.activations = {Act(RnnActivation::kElu, 0.5f), Act(RnnActivation::kScaledTanh, 2.0f, 0.5f)};
  NodeSpec s;
  s.attrs = Attrs(p);
  s.inputs = NoInputs();
  s.inputs[in::kX] = F32({1, 1, 1}, {1.0f});
  s.inputs[in::kW] = ConstF32({1, 3, 1}, {0.3f, -0.4f, 0.9f});
  s.inputs[in::kR] = ConstF32({1, 3, 1}, {0.0f, 0.0f, 0.0f});
  RunResult r = RunNode(s);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectNear(r.outputs[out::kY], {1, 1, 1, 1}, {0.9828896551f}, 1e-6f, 1e-6f);
}

// An LSTM with identity activations, W = R = 0, gate biases (i .1, f .2,
// g .3, o .4), peepholes (i 1, f 2, o 3) and c0 = 1. Only the bias, the
// peephole terms and the cell update remain, so each coupling mode gives a
// distinct exact value:
//   plain:        i = 1.1, f = 2.2, c = 2.2 + 1.1 * .3 = 2.53,
//                 o = .4 + 3 * 2.53 = 7.99 (new c), h = o c = 20.2147
//   cifg:         i = 1 - f = -1.2, c = 2.2 - .36 = 1.84, o = 5.92, h = 10.8928
//   input_forget: f = 1 - i = -.1, c = -.1 + .33 = .23, o = 1.09, h = .2507
NodeSpec PeepholeLstm(bool cifg, bool input_forget) {
  SequenceRnnParams p = MakeParams(RnnCell::kLstm, RnnDirection::kForward, 1);
  p.activations = {kIdentity, kIdentity, kIdentity};
  p.cifg = cifg;
  p.input_forget = input_forget;
  NodeSpec s;
  s.attrs = Attrs(p);
  s.inputs = NoInputs();
  s.inputs[in::kX] = F32({1, 1, 1}, {5.0f});
  s.inputs[in::kW] = ConstF32({1, 4, 1}, {0, 0, 0, 0});
  s.inputs[in::kR] = ConstF32({1, 4, 1}, {0, 0, 0, 0});
  s.inputs[in::kWb] = ConstF32({1, 4}, {0.05f, 0.1f, 0.15f, 0.2f});
  s.inputs[in::kRb] = ConstF32({1, 4}, {0.05f, 0.1f, 0.15f, 0.2f});
  s.inputs[in::kC0] = F32({1, 1, 1}, {1.0f});
  s.inputs[in::kPeephole] = ConstF32({1, 3, 1}, {1.0f, 2.0f, 3.0f});
  s.outputs = {true, true, true, false};
  return s;
}

TEST(SequenceRnnFeaturesTest, PeepholeWiringAndCoupledGates) {
  struct Case {
    bool cifg, input_forget;
    float c, h;
  };
  for (const Case& c : {Case{false, false, 2.53f, 20.2147f}, Case{true, false, 1.84f, 10.8928f},
                        Case{false, true, 0.23f, 0.2507f}}) {
    SCOPED_TRACE(std::string("cifg ") + std::to_string(c.cifg) + " input_forget " + std::to_string(c.input_forget));
    RunResult r = RunNode(PeepholeLstm(c.cifg, c.input_forget));
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    ExpectNear(r.outputs[out::kYc], {1, 1, 1}, {c.c}, 1e-5f, 1e-6f);
    ExpectNear(r.outputs[out::kYh], {1, 1, 1}, {c.h}, 1e-5f, 1e-6f);
  }
}

// TFLite layer norm: normalize W x (+ R h + peephole) over H, scale by the
// layer-norm weight, then add the bias. H = 2, x = 1, identity activations:
// every gate's W x is a pair {m - 1, m + 1}, normalized to {-1, 1}.
//   i = {-1, 1} * {1, 1} + {1.5, 1.5} = {.5, 2.5};  g = {-1, 1} * {1, 2} = {-1, 2}
//   c = i g = {-.5, 5};  o = {-1, 1} * {.5, .5} + {1, 1} = {.5, 1.5};  h = {-.25, 7.5}
// Adding the bias before normalizing would erase it. The forget row has
// zero variance: epsilon keeps it finite (f = its bias; c0 = 0 anyway).
TEST(SequenceRnnFeaturesTest, LayerNormOrderAndEpsilon) {
  SequenceRnnParams p = MakeParams(RnnCell::kLstm, RnnDirection::kForward, 2);
  p.activations = {kIdentity, kIdentity, kIdentity};
  NodeSpec s;
  s.attrs = Attrs(p);
  s.inputs = NoInputs();
  s.inputs[in::kX] = F32({1, 1, 1}, {1.0f});
  s.inputs[in::kW] = ConstF32({1, 8, 1}, {1, 3, 0.7f, 0.7f, -1, 1, 2, 4});
  s.inputs[in::kR] = ConstF32({1, 8, 2}, std::vector<float>(16, 0.0f));
  s.inputs[in::kWb] = ConstF32({1, 8}, {1.5f, 1.5f, 0.25f, 0.25f, 0, 0, 1, 1});
  s.inputs[in::kLayerNorm] = ConstF32({1, 4, 2}, {1, 1, 1, 1, 1, 2, 0.5f, 0.5f});
  s.outputs = {true, true, true, false};
  RunResult r = RunNode(s);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectNear(r.outputs[out::kYc], {1, 1, 2}, {-0.5f, 5.0f}, 1e-5f, 1e-6f);
  ExpectNear(r.outputs[out::kYh], {1, 1, 2}, {-0.25f, 7.5f}, 1e-5f, 1e-6f);
}

// GRU with identity activations, H = 1, x = 1, h0 = .5, W = (r .2, z .3,
// n .4), R = (.1, .2, 2), Wb = (.01, .02, .03), Rb = (.04, .05, .06):
//   r = .2 + .05 + .05 = .3, z = .3 + .1 + .07 = .47
//   lbr 0: n = .4 + 2 (.3 * .5) + .03 + .06 = .79,      h = .53 * .79 + .47 * .5 = .6537
//   lbr 1: n = .4 + .03 + .3 (2 * .5 + .06) = .748,     h = .53 * .748 + .235 = .63144
TEST(SequenceRnnFeaturesTest, GruLinearBeforeReset) {
  for (bool lbr : {false, true}) {
    SCOPED_TRACE(lbr ? "linear_before_reset 1" : "linear_before_reset 0");
    SequenceRnnParams p = MakeParams(RnnCell::kGru, RnnDirection::kForward, 1);
    p.activations = {kIdentity, kIdentity};
    p.linear_before_reset = lbr;
    NodeSpec s;
    s.attrs = Attrs(p);
    s.inputs = NoInputs();
    s.inputs[in::kX] = F32({1, 1, 1}, {1.0f});
    s.inputs[in::kW] = ConstF32({1, 3, 1}, {0.2f, 0.3f, 0.4f});
    s.inputs[in::kR] = ConstF32({1, 3, 1}, {0.1f, 0.2f, 2.0f});
    s.inputs[in::kWb] = ConstF32({1, 3}, {0.01f, 0.02f, 0.03f});
    s.inputs[in::kRb] = ConstF32({1, 3}, {0.04f, 0.05f, 0.06f});
    s.inputs[in::kH0] = F32({1, 1, 1}, {0.5f});
    RunResult r = RunNode(s);
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    ExpectNear(r.outputs[out::kYh], {1, 1, 1}, {lbr ? 0.63144f : 0.6537f}, 1e-6f, 1e-6f);
  }
}

// ONNX clip bounds every gate pre-activation (bias included) before the
// activation. RNN: tanh(clip(2 x + .5)) with clip .75 and x = 1, -1, .1:
// tanh(.75), tanh(-.75), tanh(.7).
TEST(SequenceRnnFeaturesTest, GateClip) {
  SequenceRnnParams p = MakeParams(RnnCell::kRnn, RnnDirection::kForward, 1);
  p.gate_clip = 0.75f;
  NodeSpec s;
  s.attrs = Attrs(p);
  s.inputs = NoInputs();
  s.inputs[in::kX] = F32({3, 1, 1}, {1.0f, -1.0f, 0.1f});
  s.inputs[in::kW] = ConstF32({1, 1, 1}, {2.0f});
  s.inputs[in::kR] = ConstF32({1, 1, 1}, {0.0f});
  s.inputs[in::kWb] = ConstF32({1, 1}, {0.5f});
  RunResult r = RunNode(s);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectNear(r.outputs[out::kY], {3, 1, 1, 1}, {std::tanh(0.75f), std::tanh(-0.75f), std::tanh(0.7f)}, 1e-6f, 1e-6f);

  // LSTM, identity activations: every gate is clipped, the cell is not.
  // Gates from W x with x = 1: i 3 -> 1, f 5 -> 1, g -4 -> -1, o .5; c0 = 2:
  // c = 1 * 2 + 1 * -1 = 1, h = .5 * 1.
  SequenceRnnParams pl = MakeParams(RnnCell::kLstm, RnnDirection::kForward, 1);
  pl.activations = {kIdentity, kIdentity, kIdentity};
  pl.gate_clip = 1.0f;
  NodeSpec l;
  l.attrs = Attrs(pl);
  l.inputs = NoInputs();
  l.inputs[in::kX] = F32({1, 1, 1}, {1.0f});
  l.inputs[in::kW] = ConstF32({1, 4, 1}, {3.0f, 5.0f, -4.0f, 0.5f});
  l.inputs[in::kR] = ConstF32({1, 4, 1}, {0, 0, 0, 0});
  l.inputs[in::kC0] = F32({1, 1, 1}, {2.0f});
  l.outputs = {true, true, true, false};
  r = RunNode(l);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectNear(r.outputs[out::kYc], {1, 1, 1}, {1.0f}, 1e-6f, 1e-6f);
  ExpectNear(r.outputs[out::kYh], {1, 1, 1}, {0.5f}, 1e-6f, 1e-6f);

  // GRU, identity activations, clip .5, h0 = 0, x = 1, W = (r .2, z -3, n 2):
  // z = clip(-3) = -.5, n = clip(2) = .5, h = (1 - z) n = .75.
  SequenceRnnParams pg = MakeParams(RnnCell::kGru, RnnDirection::kForward, 1);
  pg.activations = {kIdentity, kIdentity};
  pg.gate_clip = 0.5f;
  NodeSpec g;
  g.attrs = Attrs(pg);
  g.inputs = NoInputs();
  g.inputs[in::kX] = F32({1, 1, 1}, {1.0f});
  g.inputs[in::kW] = ConstF32({1, 3, 1}, {0.2f, -3.0f, 2.0f});
  g.inputs[in::kR] = ConstF32({1, 3, 1}, {0, 0, 0});
  r = RunNode(g);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectNear(r.outputs[out::kYh], {1, 1, 1}, {0.75f}, 1e-6f, 1e-6f);
}

// TFLite cell_clip bounds the new cell state; proj_clip bounds the
// projection output (which is also the recurrent state). Gates are the
// constant 1 (Affine 0, 1), g and h are identities, H = 1, P = 1,
// ProjW = 2, ProjB = .25, R_g = 1, c0 = .5, h0 = 0, x = (2, 1), W_g = 1:
//   step 1: c = .5 + 2 = 2.5 -> clip 1.5; proj = 2 * 1.5 + .25 = 3.25 -> clip 1
//   step 2: g = 1 + 1 (h) = 2, c = 1.5 + 2 = 3.5 -> 1.5; proj 3.25 -> 1
// Without clipping: c = 2.5, h = 5.25; then g = 1 + 5.25, c = 8.75, h = 17.75.
TEST(SequenceRnnFeaturesTest, CellClipAndProjClip) {
  for (bool clip : {true, false}) {
    SCOPED_TRACE(clip ? "clipped" : "unclipped");
    SequenceRnnParams p = MakeParams(RnnCell::kLstm, RnnDirection::kForward, 1);
    p.activations = {kOne, kIdentity, kIdentity};
    p.proj_size = 1;
    p.cell_clip = clip ? 1.5f : 0.0f;
    p.proj_clip = clip ? 1.0f : 0.0f;
    NodeSpec s;
    s.attrs = Attrs(p);
    s.inputs = NoInputs();
    s.inputs[in::kX] = F32({2, 1, 1}, {2.0f, 1.0f});
    s.inputs[in::kW] = ConstF32({1, 4, 1}, {0, 0, 1, 0});
    s.inputs[in::kR] = ConstF32({1, 4, 1}, {0, 0, 1, 0});
    s.inputs[in::kC0] = F32({1, 1, 1}, {0.5f});
    s.inputs[in::kProjW] = ConstF32({1, 1, 1}, {2.0f});
    s.inputs[in::kProjB] = ConstF32({1, 1}, {0.25f});
    s.outputs = {true, true, true, false};
    RunResult r = RunNode(s);
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    if (clip) {
      ExpectNear(r.outputs[out::kY], {2, 1, 1, 1}, {1.0f, 1.0f}, 1e-6f, 1e-6f);
      ExpectNear(r.outputs[out::kYc], {1, 1, 1}, {1.5f}, 1e-6f, 1e-6f);
    } else {
      ExpectNear(r.outputs[out::kY], {2, 1, 1, 1}, {5.25f, 17.75f}, 1e-5f, 1e-6f);
      ExpectNear(r.outputs[out::kYc], {1, 1, 1}, {8.75f}, 1e-5f, 1e-6f);
    }
  }
}

// Length 0 everywhere: Y is all zeros, the final state is the initial one.
TEST(SequenceRnnFeaturesTest, AllLengthsZeroKeepInitialState) {
  SequenceRnnParams p = MakeParams(RnnCell::kLstm, RnnDirection::kBidirectional, 2);
  std::vector<TestTensor> a = RandomInputs(p, Dims{3, 2, 2, 2, 0, 0}, Extras(), 9);
  a[in::kSeqLens] = I32({2}, {0, 0});
  NodeSpec s;
  s.attrs = Attrs(p);
  s.inputs = a;
  s.outputs = {true, true, true, false};
  RunResult r = RunNode(s);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectNear(r.outputs[out::kY], {3, 2, 2, 2}, std::vector<float>(24, 0.0f), 0.0f, 0.0f);
  ExpectNear(r.outputs[out::kYh], {2, 2, 2}, Values(a[in::kH0]), 0.0f, 0.0f);
  ExpectNear(r.outputs[out::kYc], {2, 2, 2}, Values(a[in::kC0]), 0.0f, 0.0f);
}

// Sequence lengths are checked in Eval, against T, for both index types.
TEST(SequenceRnnFeaturesTest, SequenceLengthOutOfRangeFailsInEval) {
  SequenceRnnParams p = MakeParams(RnnCell::kGru, RnnDirection::kReverse, 2);
  std::vector<TestTensor> a = RandomInputs(p, Dims{3, 2, 2, 2, 0, 0}, Extras(), 10);
  for (const TestTensor& lens : {I32({2}, {1, 4}), I64({2}, {-1, 2})}) {
    NodeSpec s;
    s.attrs = Attrs(p);
    s.inputs = a;
    s.inputs[in::kSeqLens] = lens;
    NodeRunner runner(s);
    ASSERT_TRUE(runner.status().ok()) << runner.status().ToString();
    Status st = runner.Invoke();
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.message().find("sequence_lengths["), std::string::npos) << st.ToString();
    EXPECT_NE(st.message().find("outside [0, T = 3]"), std::string::npos) << st.ToString();
  }
}

// A bidirectional node with per-direction state variables writes each
// direction's final state to its own variable.
TEST(SequenceRnnFeaturesTest, BidirectionalStateVariablesPerDirection) {
  SequenceRnnParams p = MakeParams(RnnCell::kLstm, RnnDirection::kBidirectional, 3);
  p.state_layout = RnnStateLayout::kPerDirection;
  p.output_layout = RnnOutputLayout::kSplit;
  std::vector<TestTensor> a = RandomInputs(p, Dims{4, 2, 3, 3, 0, 0}, Extras(), 11);
  NodeSpec s;
  s.attrs = Attrs(p);
  s.inputs = a;
  s.variable_slots = {in::kH0, in::kC0, in::kH0Bw, in::kC0Bw};
  s.outputs = {true, true, true, true};
  NodeRunner runner(s);
  ASSERT_TRUE(runner.status().ok()) << runner.status().ToString();
  ASSERT_TRUE(runner.Invoke().ok());
  std::vector<float> yh = Values(runner.Output(out::kYh)), yc = Values(runner.Output(out::kYc));
  ExpectNear(runner.StateVariable(in::kH0), {2, 3}, std::vector<float>(yh.begin(), yh.begin() + 6), 0.0f, 0.0f);
  ExpectNear(runner.StateVariable(in::kH0Bw), {2, 3}, std::vector<float>(yh.begin() + 6, yh.end()), 0.0f, 0.0f);
  ExpectNear(runner.StateVariable(in::kC0), {2, 3}, std::vector<float>(yc.begin(), yc.begin() + 6), 0.0f, 0.0f);
  ExpectNear(runner.StateVariable(in::kC0Bw), {2, 3}, std::vector<float>(yc.begin() + 6, yc.end()), 0.0f, 0.0f);
}

}  // namespace
}  // namespace rnnlite::testing::seqrnn
