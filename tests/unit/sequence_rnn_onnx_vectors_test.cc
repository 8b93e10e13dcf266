// Independent evidence for the SequenceRnn reference from the ONNX side:
//  1. ONNX backend node tests (onnx/onnx, Apache-2.0): the .pb tensors of
//     Debian's libonnx-testdata (/usr/share/libonnx-testdata/data/node/) and
//     of ../shared/testdata/onnx-rnn-reverse-bidir/ transcribed as constants.
//  2. Cases computed by ONNX's own numpy implementation
//     (onnx.reference.ReferenceEvaluator, onnx 1.23.2) on seeded random
//     weights: tests/unit/sequence_rnn_vectors_gen.py prints them.
//  3. onnxruntime 1.30 results for a bidirectional LSTM with per-batch
//     sequence lengths (../shared/testdata/openvino-lstm-bidir-mixed-seq/).
// Weights are written in ONNX's gate order and reordered here exactly as an
// importer must (LSTM iofc -> ifgo, GRU zrh -> rzn, peephole iof -> ifo), so
// these tests also pin the gate-order mapping of docs/semantics.md.
#include <gtest/gtest.h>

#include "sequence_rnn_test_helpers.h"

namespace rnnlite::testing::seqrnn {
namespace {

// Float32 results of another implementation: a few ulps of drift per step.
constexpr float kAtol = 2e-6f;
constexpr float kRtol = 1e-5f;

std::vector<float> Fill(size_t n, float v) { return std::vector<float>(n, v); }

struct OnnxNode {
  RnnCell cell = RnnCell::kLstm;
  RnnDirection dir = RnnDirection::kForward;
  int hidden = 0;
  bool layout1 = false;  // ONNX layout = 1: batch-major X, Y, states
  bool lbr = false;
  Shape x_shape;
  std::vector<float> x, w, r, b, h0, c0, p;
  std::vector<int32_t> lens;
};

RunResult RunOnnx(const OnnxNode& n) {
  SequenceRnnParams p = MakeParams(n.cell, n.dir, n.hidden, !n.layout1);
  p.linear_before_reset = n.lbr;
  const int D = p.num_directions(), G = p.num_gates(), H = n.hidden;
  const int B = n.layout1 ? n.x_shape[0] : n.x_shape[1];
  const int I = n.x_shape[2];
  const std::vector<int> order = n.cell == RnnCell::kLstm ? kFromOnnxLstm
                                 : n.cell == RnnCell::kGru ? kFromOnnxGru
                                                           : std::vector<int>{0};
  NodeSpec s;
  s.attrs = Attrs(p);
  s.inputs = NoInputs();
  s.inputs[in::kX] = F32(n.x_shape, n.x);
  s.inputs[in::kW] = ConstF32({D, G * H, I}, ReorderGates(n.w, D, H, I, order));
  s.inputs[in::kR] = ConstF32({D, G * H, H}, ReorderGates(n.r, D, H, H, order));
  if (!n.b.empty()) {
    std::vector<float> wb, rb;
    SplitOnnxBias(n.b, D, G * H, &wb, &rb);
    s.inputs[in::kWb] = ConstF32({D, G * H}, ReorderGates(wb, D, H, 1, order));
    s.inputs[in::kRb] = ConstF32({D, G * H}, ReorderGates(rb, D, H, 1, order));
  }
  if (!n.lens.empty()) s.inputs[in::kSeqLens] = I32({B}, n.lens);
  const Shape state = n.layout1 ? Shape{B, D, H} : Shape{D, B, H};
  if (!n.h0.empty()) s.inputs[in::kH0] = F32(state, n.h0);
  if (!n.c0.empty()) s.inputs[in::kC0] = F32(state, n.c0);
  if (!n.p.empty()) s.inputs[in::kPeephole] = ConstF32({D, 3, H}, ReorderGates(n.p, D, H, 1, kFromOnnxPeephole));
  s.outputs = {true, true, n.cell == RnnCell::kLstm, false};
  return RunNode(s);
}

// ---------------------------------------------------------------------------
// 1. ONNX backend node tests.

// test_lstm_defaults: X [1, 3, 2] = 1..6, W [1, 12, 2] and R [1, 12, 3] all
// 0.1, hidden 3; expected Y_h [1, 3, 3].
TEST(SequenceRnnOnnxNodeTest, LstmDefaults) {
  OnnxNode n;
  n.hidden = 3;
  n.x_shape = {1, 3, 2};
  n.x = {1, 2, 3, 4, 5, 6};
  n.w = Fill(24, 0.1f);
  n.r = Fill(36, 0.1f);
  RunResult r = RunOnnx(n);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectNear(r.outputs[out::kYh], {1, 3, 3},
             {0.0952412039f, 0.0952412039f, 0.0952412039f, 0.256064475f, 0.256064475f, 0.256064475f,
              0.40323776f, 0.40323776f, 0.40323776f},
             kAtol, kRtol);
}

// test_lstm_with_peepholes: X [1, 2, 4] = 1..8, W [1, 12, 4] and R [1, 12, 3]
// all 0.1, B zeros, sequence_lens {1, 1}, zero initial states, P all 0.1.
TEST(SequenceRnnOnnxNodeTest, LstmWithPeepholes) {
  OnnxNode n;
  n.hidden = 3;
  n.x_shape = {1, 2, 4};
  n.x = {1, 2, 3, 4, 5, 6, 7, 8};
  n.w = Fill(48, 0.1f);
  n.r = Fill(36, 0.1f);
  n.b = Fill(24, 0.0f);
  n.lens = {1, 1};
  n.h0 = Fill(6, 0.0f);
  n.c0 = Fill(6, 0.0f);
  n.p = Fill(9, 0.1f);
  RunResult r = RunOnnx(n);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectNear(r.outputs[out::kYh], {1, 2, 3},
             {0.375069112f, 0.375069112f, 0.375069112f, 0.680130899f, 0.680130899f, 0.680130899f}, kAtol, kRtol);
}

// test_lstm_batchwise: layout = 1, X [3, 1, 2] = 1..6, W, R all 0.3, hidden 7.
TEST(SequenceRnnOnnxNodeTest, LstmBatchwise) {
  OnnxNode n;
  n.hidden = 7;
  n.layout1 = true;
  n.x_shape = {3, 1, 2};
  n.x = {1, 2, 3, 4, 5, 6};
  n.w = Fill(56, 0.3f);
  n.r = Fill(196, 0.3f);
  RunResult r = RunOnnx(n);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  std::vector<float> y;
  for (float v : {0.33369261f, 0.62239319f, 0.71857899f}) y.insert(y.end(), 7, v);
  ExpectNear(r.outputs[out::kY], {3, 1, 1, 7}, y, kAtol, kRtol);
  ExpectNear(r.outputs[out::kYh], {3, 1, 7}, y, kAtol, kRtol);
}

// test_gru_with_initial_bias: X [1, 3, 3] = 1..9, W, R all 0.1, B = 0.1 for
// the 9 Wb entries and 0 for Rb, hidden 3.
TEST(SequenceRnnOnnxNodeTest, GruWithInitialBias) {
  OnnxNode n;
  n.cell = RnnCell::kGru;
  n.hidden = 3;
  n.x_shape = {1, 3, 3};
  n.x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  n.w = Fill(27, 0.1f);
  n.r = Fill(27, 0.1f);
  n.b = Fill(9, 0.1f);
  n.b.resize(18, 0.0f);
  RunResult r = RunOnnx(n);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectNear(r.outputs[out::kYh], {1, 3, 3},
             {0.200536624f, 0.200536624f, 0.200536624f, 0.154823378f, 0.154823378f, 0.154823378f, 0.0748427585f,
              0.0748427585f, 0.0748427585f},
             kAtol, kRtol);
}

// test_gru_seq_length (random weights, so it pins the z/r/h block order):
// X [2, 3, 3] = 1..18, hidden 5, W [1, 15, 3], R [1, 15, 5], B [1, 30].
TEST(SequenceRnnOnnxNodeTest, GruSeqLengthRandomWeights) {
  OnnxNode n;
  n.cell = RnnCell::kGru;
  n.hidden = 5;
  n.x_shape = {2, 3, 3};
  for (int i = 1; i <= 18; ++i) n.x.push_back(static_cast<float>(i));
  n.w = {1.76405239f, 0.400157213f, 0.97873801f, 2.24089313f, 1.867558f,
          -0.977277875f, 0.950088441f, -0.151357204f, -0.103218853f, 0.410598516f,
          0.144043565f, 1.45427346f, 0.761037707f, 0.121675014f, 0.443863243f,
          0.333674341f, 1.49407911f, -0.205158263f, 0.313067704f, -0.854095757f,
          -2.55298972f, 0.653618574f, 0.864436209f, -0.742165029f, 2.26975465f,
          -1.45436573f, 0.0457585156f, -0.187183857f, 1.53277922f, 1.4693588f,
          0.15494743f, 0.378162533f, -0.887785733f, -1.98079646f, -0.347912163f,
          0.156348974f, 1.23029065f, 1.20237982f, -0.387326807f, -0.302302748f,
          -1.04855299f, -1.42001796f, -1.70627022f, 1.95077538f, -0.509652197f};
  n.r = {-0.438074291f, -1.25279534f, 0.777490377f, -1.6138978f, -0.212740287f,
          -0.895466566f, 0.386902511f, -0.51080513f, -1.18063223f, -0.028182229f,
          0.428331882f, 0.0665172189f, 0.302471906f, -0.634322107f, -0.362741172f,
          -0.672460437f, -0.359553158f, -0.813146293f, -1.7262826f, 0.177426144f,
          -0.401780933f, -1.63019836f, 0.462782264f, -0.907298386f, 0.0519453958f,
          0.729090571f, 0.128982916f, 1.13940072f, -1.23482585f, 0.402341634f,
          -0.684810102f, -0.870797157f, -0.578849673f, -0.311552525f,
          0.0561653413f, -1.16514981f, 0.900826514f, 0.46566245f, -1.53624368f,
          1.48825216f, 1.89588916f, 1.1787796f, -0.179924831f, -1.07075262f,
          1.0544517f, -0.403176934f, 1.22244501f, 0.208274975f, 0.976639032f,
          0.356366396f, 0.706573188f, 0.0105000203f, 1.78587055f, 0.126912087f,
          0.401989371f, 1.8831507f, -1.34775901f, -1.27048504f, 0.96939671f,
          -1.17312336f, 1.94362116f, -0.413618982f, -0.747454822f, 1.92294204f,
          1.48051476f, 1.86755896f, 0.906044662f, -0.861225665f, 1.91006494f,
          -0.268003374f, 0.802456379f, 0.947251976f, -0.155010089f, 0.614079356f,
          0.9222067f};
  n.b = {0.376425534f, -1.09940076f, 0.298238188f, 1.32638586f, -0.694567859f,
          -0.14963454f, -0.435153544f, 1.84926379f, 0.672294736f, 0.407461822f,
          -0.769916058f, 0.539249182f, -0.674332678f, 0.0318305567f, -0.635846078f,
          0.676433265f, 0.576590836f, -0.208298758f, 0.396006703f, -1.09306157f,
          -1.49125755f, 0.439391702f, 0.166673496f, 0.635031462f, 2.38314486f,
          0.944479465f, -0.912822247f, 1.11701632f, -1.31590736f, -0.461584598f};
  RunResult r = RunOnnx(n);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectNear(r.outputs[out::kYh], {1, 3, 5}, {-0.00130678061f, -0.0735266358f, 0.393016756f, -0.00113057345f,
             -0.148788989f, -1.13389646e-07f, -6.69003566e-06f, 0.0750085562f,
             -2.73153091e-06f, -0.0089931516f, -9.19529036e-12f, -5.57028423e-10f,
             0.00996355526f, -6.59210997e-09f, -0.000194893437f}, kAtol, kRtol);
}

// test_simple_rnn_batchwise: layout = 1, X [3, 1, 2] = 1..6, W, R all 0.5.
TEST(SequenceRnnOnnxNodeTest, SimpleRnnBatchwise) {
  OnnxNode n;
  n.cell = RnnCell::kRnn;
  n.hidden = 4;
  n.layout1 = true;
  n.x_shape = {3, 1, 2};
  n.x = {1, 2, 3, 4, 5, 6};
  n.w = Fill(8, 0.5f);
  n.r = Fill(16, 0.5f);
  RunResult r = RunOnnx(n);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  std::vector<float> y;
  for (float v : {0.905148208f, 0.998177886f, 0.999966621f}) y.insert(y.end(), 4, v);
  ExpectNear(r.outputs[out::kY], {3, 1, 1, 4}, y, kAtol, kRtol);
  ExpectNear(r.outputs[out::kYh], {3, 1, 4}, y, kAtol, kRtol);
}

// test_simple_rnn_with_initial_bias: X [1, 3, 3] = 1..9, W, R all 0.1,
// B = 0.1 (Wb) and 0 (Rb), hidden 5.
TEST(SequenceRnnOnnxNodeTest, SimpleRnnWithInitialBias) {
  OnnxNode n;
  n.cell = RnnCell::kRnn;
  n.hidden = 5;
  n.x_shape = {1, 3, 3};
  n.x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  n.w = Fill(15, 0.1f);
  n.r = Fill(25, 0.1f);
  n.b = Fill(5, 0.1f);
  n.b.resize(10, 0.0f);
  RunResult r = RunOnnx(n);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  std::vector<float> y;
  for (float v : {0.604367793f, 0.92166853f, 0.986614287f}) y.insert(y.end(), 5, v);
  ExpectNear(r.outputs[out::kYh], {1, 3, 5}, y, kAtol, kRtol);
}

// onnx-rnn-reverse-bidir/test_lstm_reverse: X [3, 1, 2] = 1..6, W, R all 0.1.
TEST(SequenceRnnOnnxNodeTest, LstmReverse) {
  OnnxNode n;
  n.dir = RnnDirection::kReverse;
  n.hidden = 3;
  n.x_shape = {3, 1, 2};
  n.x = {1, 2, 3, 4, 5, 6};
  n.w = Fill(24, 0.1f);
  n.r = Fill(36, 0.1f);
  RunResult r = RunOnnx(n);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectNear(r.outputs[out::kYh], {1, 1, 3}, Fill(3, 0.404125035f), kAtol, kRtol);
  ExpectNear(r.outputs[out::kYc], {1, 1, 3}, Fill(3, 0.797023296f), kAtol, kRtol);
}

// onnx-rnn-reverse-bidir/test_lstm_bidirectional: W, R = 0.5 (forward) and
// 2.0 (backward).
TEST(SequenceRnnOnnxNodeTest, LstmBidirectional) {
  OnnxNode n;
  n.dir = RnnDirection::kBidirectional;
  n.hidden = 3;
  n.x_shape = {3, 1, 2};
  n.x = {1, 2, 3, 4, 5, 6};
  n.w = Fill(24, 0.5f);
  n.w.resize(48, 2.0f);
  n.r = Fill(36, 0.5f);
  n.r.resize(72, 2.0f);
  RunResult r = RunOnnx(n);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectNear(r.outputs[out::kYh], {2, 1, 3},
             {0.990224421f, 0.990224421f, 0.990224421f, 0.995046973f, 0.995046973f, 0.995046973f}, kAtol, kRtol);
  ExpectNear(r.outputs[out::kYc], {2, 1, 3},
             {2.71291304f, 2.71291304f, 2.71291304f, 2.99997711f, 2.99997711f, 2.99997711f}, kAtol, kRtol);
}

// onnx-rnn-reverse-bidir/test_gru_reverse: X [3, 1, 2] = 1..6, W, R all 0.1.
TEST(SequenceRnnOnnxNodeTest, GruReverse) {
  OnnxNode n;
  n.cell = RnnCell::kGru;
  n.dir = RnnDirection::kReverse;
  n.hidden = 5;
  n.x_shape = {3, 1, 2};
  n.x = {1, 2, 3, 4, 5, 6};
  n.w = Fill(30, 0.1f);
  n.r = Fill(75, 0.1f);
  RunResult r = RunOnnx(n);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  std::vector<float> y;
  for (float v : {0.355675548f, 0.338319719f, 0.199916527f}) y.insert(y.end(), 5, v);
  ExpectNear(r.outputs[out::kY], {3, 1, 1, 5}, y, kAtol, kRtol);
  ExpectNear(r.outputs[out::kYh], {1, 1, 5}, Fill(5, 0.355675548f), kAtol, kRtol);
}

// onnx-rnn-reverse-bidir/test_gru_bidirectional: W, R = 0.5 / 2.0.
TEST(SequenceRnnOnnxNodeTest, GruBidirectional) {
  OnnxNode n;
  n.cell = RnnCell::kGru;
  n.dir = RnnDirection::kBidirectional;
  n.hidden = 5;
  n.x_shape = {3, 1, 2};
  n.x = {1, 2, 3, 4, 5, 6};
  n.w = Fill(30, 0.5f);
  n.w.resize(60, 2.0f);
  n.r = Fill(75, 0.5f);
  n.r.resize(150, 2.0f);
  RunResult r = RunOnnx(n);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  std::vector<float> y;
  for (float v : {0.165122107f, 0.00247338158f, 0.181463823f, 8.34465027e-07f, 0.183583513f, 0.0f}) {
    y.insert(y.end(), 5, v);
  }
  ExpectNear(r.outputs[out::kY], {3, 2, 1, 5}, y, kAtol, kRtol);
  std::vector<float> yh = Fill(5, 0.183583513f);
  yh.resize(10, 0.00247338158f);
  ExpectNear(r.outputs[out::kYh], {2, 1, 5}, yh, kAtol, kRtol);
}

// onnx-rnn-reverse-bidir/test_simple_rnn_reverse and _bidirectional.
TEST(SequenceRnnOnnxNodeTest, SimpleRnnReverseAndBidirectional) {
  OnnxNode n;
  n.cell = RnnCell::kRnn;
  n.dir = RnnDirection::kReverse;
  n.hidden = 4;
  n.x_shape = {3, 1, 2};
  n.x = {1, 2, 3, 4, 5, 6};
  n.w = Fill(8, 0.1f);
  n.r = Fill(16, 0.1f);
  RunResult r = RunOnnx(n);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectNear(r.outputs[out::kYh], {1, 1, 4}, Fill(4, 0.542703032f), kAtol, kRtol);

  n.dir = RnnDirection::kBidirectional;
  n.w = Fill(8, 0.5f);
  n.w.resize(16, 2.0f);
  n.r = Fill(16, 0.5f);
  n.r.resize(32, 2.0f);
  r = RunOnnx(n);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  std::vector<float> yh = Fill(4, 0.999999404f);
  yh.resize(8, 1.0f);
  ExpectNear(r.outputs[out::kYh], {2, 1, 4}, yh, kAtol, kRtol);
}

// ---------------------------------------------------------------------------
// 2. onnx.reference.ReferenceEvaluator on seeded random weights (inputs are
// rounded to two decimals so they are exact as float literals).

// LSTM forward with bias, initial h and c, and peepholes; T=3, B=2, I=3, H=3.
TEST(SequenceRnnOnnxReferenceTest, LstmForwardAllInputs) {
  // X shape [3, 2, 3]
  const std::vector<float> X = {-0.30f, 0.68f, -0.34f, -0.33f, 0.26f, -0.99f, 0.83f, 0.98f, -0.55f, -0.51f,
      0.65f, 0.20f, -0.78f, 0.92f, 0.18f, 0.62f, -0.13f, 0.43f};
  // W shape [1, 12, 3]
  const std::vector<float> W = {0.97f, -0.46f, 0.44f, -0.31f, -0.44f, -0.02f, -0.97f, -0.87f, 0.14f, -0.98f,
      0.58f, 0.76f, 0.78f, 0.39f, -0.00f, -0.07f, -0.79f, -0.06f, 0.37f, -0.72f,
      0.41f, 0.57f, 0.72f, -0.15f, 0.47f, -0.33f, -0.08f, 0.63f, 0.98f, -0.52f,
      0.30f, -0.25f, 0.98f, -0.12f, 0.40f, -0.47f};
  // R shape [1, 12, 3]
  const std::vector<float> R = {0.62f, 0.36f, 0.97f, -0.82f, 0.32f, 0.52f, -0.10f, -0.63f, 0.08f, 0.18f,
      -0.34f, 0.29f, -0.39f, 0.56f, -0.54f, 0.61f, 0.57f, 0.82f, -0.15f, 0.68f,
      0.54f, 0.21f, 0.48f, 0.35f, 0.54f, -0.65f, 0.19f, -0.67f, 0.82f, -0.61f,
      -0.48f, -0.41f, 0.29f, 0.26f, 0.37f, 0.53f};
  // B shape [1, 24]
  const std::vector<float> B = {-0.94f, 0.33f, -0.02f, 0.84f, -0.84f, 0.44f, 0.39f, 0.27f, 0.89f, 0.01f,
      -0.80f, -0.42f, -0.69f, 0.35f, -0.73f, -0.84f, 0.78f, -0.53f, 0.55f, -0.33f,
      0.58f, -0.52f, 0.29f, -0.20f};
  // initial_h shape [1, 2, 3]
  const std::vector<float> initial_h = {-0.46f, 0.95f, 0.49f, 0.87f, -0.88f, 0.07f};
  // initial_c shape [1, 2, 3]
  const std::vector<float> initial_c = {0.30f, 0.60f, 0.00f, -0.18f, -0.01f, -0.80f};
  // P shape [1, 9]
  const std::vector<float> P = {-0.32f, 0.26f, 0.45f, 0.56f, 0.64f, -0.50f, -0.19f, -0.12f, 0.51f};
  // Y shape [3, 1, 2, 3]
  const std::vector<float> Y = {0.179909497f, -0.143872276f, 0.027846653f, -0.0836442187f, -0.0797819719f,
      -0.3466084f, 0.118931636f, -0.304844052f, 0.0123636005f, -0.0655140653f,
      -0.198854104f, -0.184049636f, 0.0916922018f, -0.156297952f, -0.0244541261f,
      -0.0718460158f, -0.0915371627f, -0.286809862f};
  // Y_h shape [1, 2, 3]
  const std::vector<float> Y_h = {0.0916922018f, -0.156297952f, -0.0244541261f, -0.0718460158f, -0.0915371627f,
      -0.286809862f};
  // Y_c shape [1, 2, 3]
  const std::vector<float> Y_c = {0.110188633f, -0.623120129f, -0.0803662837f, -0.18770045f, -0.16192317f,
      -0.665186405f};
  OnnxNode n;
  n.hidden = 3;
  n.x_shape = {3, 2, 3};
  n.x = X; n.w = W; n.r = R; n.b = B; n.h0 = initial_h; n.c0 = initial_c; n.p = P;
  RunResult r = RunOnnx(n);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectNear(r.outputs[out::kY], {3, 1, 2, 3}, Y, kAtol, kRtol);
  ExpectNear(r.outputs[out::kYh], {1, 2, 3}, Y_h, kAtol, kRtol);
  ExpectNear(r.outputs[out::kYc], {1, 2, 3}, Y_c, kAtol, kRtol);
}

// LSTM bidirectional, layout = 1 (batch-major X, Y, states); T=3, B=2, I=2, H=2.
TEST(SequenceRnnOnnxReferenceTest, LstmBidirectionalBatchMajor) {
  // X shape [2, 3, 2]
  const std::vector<float> X = {0.16f, -0.01f, -0.90f, -0.03f, -0.98f, 0.52f, 0.49f, 0.73f, -0.45f, -0.41f,
      -0.78f, 0.50f};
  // W shape [2, 8, 2]
  const std::vector<float> W = {-0.28f, -0.07f, 0.95f, 0.30f, 0.60f, 0.88f, 0.29f, -0.76f, -0.19f, -0.68f,
      0.16f, 0.10f, 0.48f, 0.62f, -0.47f, 0.31f, 0.68f, 0.24f, -0.09f, 0.32f,
      0.58f, -0.87f, 0.24f, 0.86f, -0.79f, 0.62f, -0.98f, 0.75f, 0.44f, -0.95f,
      -0.28f, -1.00f};
  // R shape [2, 8, 2]
  const std::vector<float> R = {0.29f, 0.89f, -0.43f, 0.76f, 0.22f, -0.19f, 0.03f, -0.23f, -0.74f, -0.01f,
      0.26f, 0.44f, 0.08f, -0.69f, 0.35f, 0.88f, -0.21f, 0.91f, 0.41f, 0.08f,
      0.53f, 0.37f, 0.03f, 0.26f, 0.85f, 0.76f, -0.36f, -0.53f, -0.49f, -0.92f,
      0.51f, 0.66f};
  // B shape [2, 16]
  const std::vector<float> B = {-0.73f, 0.76f, -0.23f, -0.21f, 0.41f, -0.32f, 0.20f, -0.35f, -0.52f, 0.66f,
      -0.85f, -0.57f, 0.58f, -0.65f, -0.96f, -0.68f, 0.85f, -0.28f, -0.12f, -0.05f,
      0.26f, -0.48f, -0.25f, 0.35f, -0.16f, 1.00f, 0.29f, -0.58f, 0.62f, -0.87f,
      0.42f, -0.79f};
  // initial_h shape [2, 2, 2]
  const std::vector<float> initial_h = {0.26f, -0.71f, -0.61f, -0.13f, 0.29f, 0.10f, -0.38f, 0.74f};
  // initial_c shape [2, 2, 2]
  const std::vector<float> initial_c = {-0.76f, -0.46f, 0.35f, 0.63f, 0.51f, 0.08f, 0.20f, 0.31f};
  // Y shape [2, 3, 2, 2]
  const std::vector<float> Y = {-0.154007286f, -0.23600018f, 0.113654114f, -0.118032962f, -0.0879569575f,
      -0.147702932f, 0.0047040442f, -0.0563492775f, -0.121937826f, -0.0849959776f,
      0.0234459434f, -0.065846093f, 0.11760167f, -0.120925643f, -0.105899051f,
      -0.294254929f, 0.000691476627f, -0.209636152f, -0.0193596296f,
      -0.0133227045f, -0.0326608829f, -0.105164193f, -0.137803182f, -0.0724754855f};
  // Y_h shape [2, 2, 2]
  const std::vector<float> Y_h = {-0.121937826f, -0.0849959776f, 0.113654114f, -0.118032962f, -0.0326608829f,
      -0.105164193f, -0.105899051f, -0.294254929f};
  // Y_c shape [2, 2, 2]
  const std::vector<float> Y_c = {-0.586632311f, -0.471589506f, 0.204702288f, -0.349903554f, -0.128391981f,
      -0.557302833f, -0.239199728f, -0.629200518f};
  OnnxNode n;
  n.dir = RnnDirection::kBidirectional;
  n.hidden = 2;
  n.layout1 = true;
  n.x_shape = {2, 3, 2};
  n.x = X; n.w = W; n.r = R; n.b = B; n.h0 = initial_h; n.c0 = initial_c;
  RunResult r = RunOnnx(n);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectNear(r.outputs[out::kY], {2, 3, 2, 2}, Y, kAtol, kRtol);
  ExpectNear(r.outputs[out::kYh], {2, 2, 2}, Y_h, kAtol, kRtol);
  ExpectNear(r.outputs[out::kYc], {2, 2, 2}, Y_c, kAtol, kRtol);
}

// GRU forward, linear_before_reset = 0; T=3, B=2, I=3, H=3.
TEST(SequenceRnnOnnxReferenceTest, GruLinearBeforeReset0) {
  // X shape [3, 2, 3]
  const std::vector<float> X = {-0.79f, -0.73f, -0.39f, -0.72f, 0.57f, -0.11f, 0.98f, 0.63f, -0.83f, 0.12f,
      0.55f, -0.16f, -0.50f, -0.21f, 0.52f, -0.43f, -0.84f, 0.36f};
  // W shape [1, 9, 3]
  const std::vector<float> W = {-0.98f, -0.28f, 0.13f, -0.33f, -0.44f, 0.99f, 0.37f, -0.67f, -0.45f, 0.68f,
      0.46f, 0.04f, -0.88f, 0.36f, -0.68f, -0.68f, -0.88f, -0.67f, 0.12f, 0.52f,
      0.08f, -0.62f, 0.74f, 0.70f, -0.76f, 0.02f, -0.08f};
  // R shape [1, 9, 3]
  const std::vector<float> R = {-0.63f, -0.21f, 0.95f, 0.61f, -0.99f, 0.80f, 0.87f, -0.77f, -0.41f, -0.99f,
      0.06f, 0.48f, -0.24f, -0.53f, -0.38f, -0.18f, -0.67f, -0.68f, -0.53f, 0.63f,
      -0.04f, 0.06f, -0.41f, 0.26f, -0.76f, -0.55f, 0.48f};
  // B shape [1, 18]
  const std::vector<float> B = {0.82f, -0.07f, 0.62f, 0.61f, -0.17f, 0.80f, -0.49f, 0.03f, 0.64f, 0.05f,
      0.17f, -0.46f, -0.84f, -0.25f, -0.52f, 0.08f, -0.87f, -0.88f};
  // initial_h shape [1, 2, 3]
  const std::vector<float> initial_h = {-0.07f, -0.60f, 0.79f, -0.90f, -0.68f, -0.48f};
  // Y shape [3, 1, 2, 3]
  const std::vector<float> Y = {-0.116235524f, -0.617082596f, 0.764136791f, -0.797891021f, -0.268961817f,
      0.234824657f, -0.128092825f, -0.761633635f, 0.293164194f, -0.615563869f,
      -0.414018095f, 0.250800639f, -0.188126892f, -0.669536412f, 0.342619449f,
      -0.622027934f, -0.47643131f, 0.330208302f};
  // Y_h shape [1, 2, 3]
  const std::vector<float> Y_h = {-0.188126892f, -0.669536412f, 0.342619449f, -0.622027934f, -0.47643131f,
      0.330208302f};
  OnnxNode n;
  n.cell = RnnCell::kGru;
  n.hidden = 3;
  n.x_shape = {3, 2, 3};
  n.x = X; n.w = W; n.r = R; n.b = B; n.h0 = initial_h;
  RunResult r = RunOnnx(n);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectNear(r.outputs[out::kY], {3, 1, 2, 3}, Y, kAtol, kRtol);
  ExpectNear(r.outputs[out::kYh], {1, 2, 3}, Y_h, kAtol, kRtol);
}

// GRU reverse, linear_before_reset = 1; T=3, B=2, I=3, H=3.
TEST(SequenceRnnOnnxReferenceTest, GruLinearBeforeReset1Reverse) {
  // X shape [3, 2, 3]
  const std::vector<float> X = {0.75f, -0.38f, -0.39f, -0.65f, -0.21f, 0.22f, 0.12f, -0.26f, -0.11f, -0.99f,
      -0.56f, -0.25f, 0.46f, -0.61f, -0.31f, -0.08f, 0.07f, -0.75f};
  // W shape [1, 9, 3]
  const std::vector<float> W = {-0.08f, -0.66f, 1.00f, 0.28f, 0.05f, -0.59f, -0.12f, 0.64f, -0.15f, 0.63f,
      -0.55f, -0.37f, 0.03f, -0.64f, -0.08f, 0.93f, 0.02f, -0.32f, 0.29f, 0.23f,
      -0.94f, 0.63f, -0.52f, -0.75f, 0.34f, 0.78f, 0.82f};
  // R shape [1, 9, 3]
  const std::vector<float> R = {-0.11f, 0.44f, -0.22f, 0.40f, -0.31f, -0.93f, 0.65f, -0.27f, 0.75f, 0.36f,
      0.84f, 0.73f, -0.44f, 0.49f, -0.42f, 0.54f, 0.85f, -0.91f, 0.97f, -0.44f,
      0.95f, -0.86f, -0.52f, 0.02f, 0.50f, -0.83f, -0.07f};
  // B shape [1, 18]
  const std::vector<float> B = {0.37f, 0.72f, -0.71f, 0.42f, -0.77f, 0.31f, 0.63f, -0.22f, -0.56f, -0.67f,
      -0.72f, -0.24f, -0.35f, -0.40f, -0.88f, -0.79f, -0.46f, 0.68f};
  // initial_h shape [1, 2, 3]
  const std::vector<float> initial_h = {0.01f, 0.31f, 0.24f, 0.90f, -0.64f, 0.62f};
  // Y shape [3, 1, 2, 3]
  const std::vector<float> Y = {0.219364464f, 0.248012513f, -0.446294248f, 0.393845081f, -0.517393351f,
      -0.355062187f, 0.0955114961f, 0.14739649f, -0.466722488f, 0.725183368f,
      -0.409844697f, -0.439120322f, 0.200237811f, 0.350477874f, -0.513324618f,
      0.948307574f, -0.32011497f, 0.135248229f};
  // Y_h shape [1, 2, 3]
  const std::vector<float> Y_h = {0.219364464f, 0.248012513f, -0.446294248f, 0.393845081f, -0.517393351f,
      -0.355062187f};
  OnnxNode n;
  n.cell = RnnCell::kGru;
  n.dir = RnnDirection::kReverse;
  n.lbr = true;
  n.hidden = 3;
  n.x_shape = {3, 2, 3};
  n.x = X; n.w = W; n.r = R; n.b = B; n.h0 = initial_h;
  RunResult r = RunOnnx(n);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectNear(r.outputs[out::kY], {3, 1, 2, 3}, Y, kAtol, kRtol);
  ExpectNear(r.outputs[out::kYh], {1, 2, 3}, Y_h, kAtol, kRtol);
}

// RNN (tanh) bidirectional with bias; T=3, B=2, I=3, H=2.
TEST(SequenceRnnOnnxReferenceTest, RnnBidirectional) {
  // X shape [3, 2, 3]
  const std::vector<float> X = {-0.96f, -0.07f, 0.18f, 0.96f, -0.29f, -0.53f, 0.78f, 0.23f, -0.97f, 0.08f,
      0.71f, -0.58f, -0.58f, -0.29f, -0.72f, 0.12f, -0.82f, -0.59f};
  // W shape [2, 2, 3]
  const std::vector<float> W = {-0.27f, 0.23f, -0.02f, -0.31f, -0.74f, 0.87f, 0.66f, 0.51f, 0.95f, -0.70f,
      -0.79f, 0.88f};
  // R shape [2, 2, 2]
  const std::vector<float> R = {-0.35f, 0.65f, -0.64f, 0.20f, 0.94f, -0.70f, -0.13f, -0.19f};
  // B shape [2, 4]
  const std::vector<float> B = {-0.96f, 0.28f, 0.35f, -0.92f, -0.93f, 0.76f, 0.47f, 0.41f};
  // Y shape [3, 2, 2, 2]
  const std::vector<float> Y = {-0.354429007f, -0.133203626f, -0.728395045f, -0.82874006f, -0.918934524f,
      0.978551269f, -0.881527901f, 0.368407309f, -0.611198425f, -0.934870124f,
      -0.629412591f, -0.884129763f, -0.975884914f, -0.419282138f, -0.964479625f,
      -0.0026142539f, -0.716028035f, -0.583535552f, -0.825419605f, -0.343188196f,
      -0.932170331f, 0.82475245f, -0.87627703f, 0.838054061f};
  // Y_h shape [2, 2, 2]
  const std::vector<float> Y_h = {-0.716028035f, -0.583535552f, -0.825419605f, -0.343188196f, -0.918934524f,
      0.978551269f, -0.881527901f, 0.368407309f};
  OnnxNode n;
  n.cell = RnnCell::kRnn;
  n.dir = RnnDirection::kBidirectional;
  n.hidden = 2;
  n.x_shape = {3, 2, 3};
  n.x = X; n.w = W; n.r = R; n.b = B;
  RunResult r = RunOnnx(n);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectNear(r.outputs[out::kY], {3, 2, 2, 2}, Y, kAtol, kRtol);
  ExpectNear(r.outputs[out::kYh], {2, 2, 2}, Y_h, kAtol, kRtol);
}

// ---------------------------------------------------------------------------
// 3. onnxruntime 1.30 on openvino's lstm_bidir_mixed_seq_const.onnx: hidden 2,
// W and R identical for both directions, no bias, sequence_lens {1, 2}; the
// values are those of the .onnx constants and the .npy files.
TEST(SequenceRnnOnnxRuntimeTest, LstmBidirectionalMixedSequenceLengths) {
  const std::vector<float> w = {0.314037651f, -0.167933241f, 1.38825798f,
                                -0.690295398f, -0.399404496f, -0.783351123f,
                                -0.309929579f, 0.355757296f, -0.46826309f,
                                1.17414594f, -2.41478896f, -0.427832544f,
                                -0.82199496f, -0.03900861f, -0.436700881f,
                                -0.538105667f};
  const std::vector<float> r = {0.84905827f, 0.451212436f, -1.17990136f,
                                0.135364488f, 0.813286543f, 0.601751626f,
                                0.484757245f, -1.21360373f, 0.163833216f,
                                1.51062608f, 1.11775029f, 0.235824615f,
                                0.575465202f, 0.438798875f, 0.739929378f,
                                0.451755792f};
  OnnxNode n;
  n.dir = RnnDirection::kBidirectional;
  n.hidden = 2;
  n.x_shape = {2, 2, 2};
  n.x = {0.681729257f, 1.14055634f, -0.0393117703f, -0.0375960693f, 1.13970268f,
         0.604449034f, 1.32463837f, -0.281917155f};
  n.w = w;
  n.w.insert(n.w.end(), w.begin(), w.end());
  n.r = r;
  n.r.insert(n.r.end(), r.begin(), r.end());
  n.lens = {1, 2};
  RunResult res = RunOnnx(n);
  ASSERT_TRUE(res.status.ok()) << res.status.ToString();
  ExpectNear(res.outputs[out::kY], {2, 2, 2, 2},
             {-0.0633729994f, -0.203471914f, 0.00860565715f, 0.00920491759f,
              -0.0633729994f, -0.203471914f, -0.120044768f, -0.128004208f, 0.0f,
              0.0f, -0.190956056f, -0.124598309f, 0.0f, 0.0f, -0.191162795f,
              -0.128139392f},
             kAtol, kRtol);
  ExpectNear(res.outputs[out::kYh], {2, 2, 2},
             {-0.0633729994f, -0.203471914f, -0.190956056f, -0.124598309f,
              -0.0633729994f, -0.203471914f, -0.120044768f, -0.128004208f},
             kAtol, kRtol);
  ExpectNear(res.outputs[out::kYc], {2, 2, 2},
             {-0.273299903f, -0.38956356f, -0.481708437f, -0.347012639f,
              -0.273299903f, -0.38956356f, -0.271301746f, -0.25365901f},
             kAtol, kRtol);
}

}  // namespace
}  // namespace rnnlite::testing::seqrnn
