// TFLite's published BIDIRECTIONAL_SEQUENCE_LSTM vectors, imported with
// ImportTfliteRecurrentOps and run by the SequenceRnn CPU reference: merged
// and unmerged outputs, reversed inputs, CIFG + peepholes, the auxiliary
// input with weights (cross-linked stacking) and without (it becomes the
// backward direction's input), and directions that differ.
// The numbers are facts transcribed from TensorFlow Lite's kernel test
// tensorflow/lite/kernels/bidirectional_sequence_lstm_test.cc (Apache-2.0):
// BlackBoxTestNoCifgNoPeepholeNoProjectionNoClipping, BlackBoxTestMergedOutput,
// ...Reverse, BlackBoxTestWithCifgWithPeepholeNoProjectionNoClipping,
// BlackBoxTestWithAuxInput, BlackBoxTestWithAuxInput[BatchMajor]DifferentSize.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/sequence_rnn.h"
#include "tflite_golden_util.h"

namespace rnnlite::testing {
namespace {

constexpr float kTol = 1e-5f;

const std::vector<float> kNoCifgBwGolden = {-0.0806187f, 0.139077f, 0.400476f,  -0.197842f,
                                            -0.0332076f, 0.123838f, 0.309777f,  -0.17621f,
                                            -0.0490733f, 0.0739237f, 0.067706f, -0.0208124f};
const std::vector<float> kCifgPeepholeBwGolden = {-0.401685f, -0.0232794f, 0.288642f,  -0.123074f,
                                                  -0.42915f,  -0.00871577f, 0.20912f,  -0.103567f,
                                                  -0.166398f, -0.00486649f, 0.0697471f, -0.0537578f};
// BlackBoxTestWithAuxInput: the auxiliary input equals the input.
const std::vector<float> kAuxFwGolden = {0.153335f, 0.542754f, 0.708602f, 0.742855f, 0.247581f, 0.835739f,
                                         0.947797f, 0.958177f, 0.410892f, 0.672268f, 0.761909f, 0.829133f};
const std::vector<float> kAuxBwGolden = {0.342275f, 0.883431f, 0.955930f, 0.975621f, 0.204939f, 0.806858f,
                                         0.914849f, 0.934871f, 0.123236f, 0.373087f, 0.465377f, 0.517630f};
// BlackBoxTestWithAuxInputBatchMajorDifferentSize (rows 0 and 1; the
// time-major single-row test expects row 0).
const std::vector<float> kAuxSizeFwGolden = {
    -0.0153267f, 0.0709481f, 0.0747161f,  0.032037f,  -0.0213498f, 0.128314f,  0.14931f,   0.0804913f,
    -0.0214208f, 0.175195f,  0.22529f,    0.137228f,  -0.023582f,  0.130663f,  0.153203f,  0.0715123f,
    -0.0366556f, 0.203642f,  0.275018f,   0.147994f,  -0.0436367f, 0.24829f,   0.377348f,  0.22007f};
const std::vector<float> kAuxSizeBwGolden = {
    -0.0218439f, 0.134365f, 0.182166f,    0.111282f, -0.0153589f, 0.143838f, 0.178971f,  0.1095f,
    -0.00913776f, 0.114432f, 0.130883f,   0.0769358f, -0.0451819f, 0.210909f, 0.333689f, 0.190545f,
    -0.0317985f, 0.211938f, 0.300535f,    0.176249f, -0.0177354f,  0.164079f, 0.206302f,  0.1203f};

BidiLstmConfig SmallConfig() {
  BidiLstmConfig cfg;
  cfg.n_batch = 1;
  cfg.n_input = 2;
  cfg.n_cell = 4;
  cfg.n_output = 4;
  cfg.seq_len = 3;
  return cfg;
}

// Reverses a [T, K] sequence in time.
std::vector<float> ReverseSteps(const std::vector<float>& v, int k) {
  std::vector<float> out;
  for (size_t t = v.size() / static_cast<size_t>(k); t-- > 0;) {
    out.insert(out.end(), v.begin() + static_cast<std::ptrdiff_t>(t * k),
               v.begin() + static_cast<std::ptrdiff_t>((t + 1) * k));
  }
  return out;
}

struct BidiRun {
  std::vector<float> fw, bw;
  std::vector<Shape> shapes;
  size_t sequence_rnn_nodes = 0;
};

BidiRun RunBidi(const TfliteLstmCell& fw, const TfliteLstmCell& bw, const BidiLstmConfig& cfg,
            const std::vector<float>& x, const std::vector<float>& aux = {}) {
  GraphBuilder b;
  BuiltGraph g = BuildBidiLstm(b, fw, bw, cfg);
  BidiRun out;
  Runner r(b);
  EXPECT_TRUE(r.status().ok()) << r.status().ToString();
  if (!r.status().ok()) return out;
  for (const Node& n : r.interp().subgraph().nodes) out.sequence_rnn_nodes += n.is_custom(kSequenceRnnCustomCode);
  EXPECT_TRUE(r.Feed(g.x, x));
  if (g.aux_x != kNoTensor) {
    EXPECT_TRUE(r.Feed(g.aux_x, aux));
  }
  Status s = r.interp().Invoke();
  EXPECT_TRUE(s.ok()) << s.ToString();
  for (int o : g.outputs) out.shapes.push_back(r.ShapeOf(o));
  const std::vector<float> y0 = r.Fetch(g.outputs[0]);
  if (cfg.merge_outputs) {
    const size_t w = static_cast<size_t>(2 * cfg.n_output);
    for (size_t row = 0; row < y0.size() / w; ++row) {
      out.fw.insert(out.fw.end(), y0.begin() + static_cast<std::ptrdiff_t>(row * w),
                    y0.begin() + static_cast<std::ptrdiff_t>(row * w + w / 2));
      out.bw.insert(out.bw.end(), y0.begin() + static_cast<std::ptrdiff_t>(row * w + w / 2),
                    y0.begin() + static_cast<std::ptrdiff_t>((row + 1) * w));
    }
  } else {
    out.fw = y0;
    out.bw = r.Fetch(g.outputs[1]);
  }
  return out;
}

TEST(TfliteGoldenBidiLstm, NoCifgNoPeepholeUnmerged) {
  BidiRun r = RunBidi(NoCifgNoPeepholeCell(), NoCifgNoPeepholeCell(), SmallConfig(), kInput3Steps);
  EXPECT_EQ(r.sequence_rnn_nodes, 1u);
  ExpectNear(r.fw, kNoCifgNoPeepholeGolden, kTol, "fw");
  ExpectNear(r.bw, kNoCifgBwGolden, kTol, "bw");
  ASSERT_EQ(r.shapes.size(), 2u);
  EXPECT_EQ(r.shapes[0], (Shape{3, 1, 4}));
  EXPECT_EQ(r.shapes[1], (Shape{3, 1, 4}));
}

// Two identical batch rows, one merged output [T, B, fw ++ bw].
TEST(TfliteGoldenBidiLstm, MergedOutput) {
  BidiLstmConfig cfg = SmallConfig();
  cfg.n_batch = 2;
  cfg.merge_outputs = true;
  const std::vector<float> x = TimeMajor({kInput3Steps, kInput3Steps}, 2);
  BidiRun r = RunBidi(NoCifgNoPeepholeCell(), NoCifgNoPeepholeCell(), cfg, x);
  ASSERT_EQ(r.shapes.size(), 1u);
  EXPECT_EQ(r.shapes[0], (Shape{3, 2, 8}));
  ExpectNear(r.fw, TimeMajor({kNoCifgNoPeepholeGolden, kNoCifgNoPeepholeGolden}, 4), kTol, "fw");
  ExpectNear(r.bw, TimeMajor({kNoCifgBwGolden, kNoCifgBwGolden}, 4), kTol, "bw");
}

TEST(TfliteGoldenBidiLstm, ReversedInputSwapsDirections) {
  BidiRun r = RunBidi(NoCifgNoPeepholeCell(), NoCifgNoPeepholeCell(), SmallConfig(), ReverseSteps(kInput3Steps, 2));
  ExpectNear(r.bw, ReverseSteps(kNoCifgNoPeepholeGolden, 4), kTol, "bw");
  ExpectNear(r.fw, ReverseSteps(kNoCifgBwGolden, 4), kTol, "fw");
}

TEST(TfliteGoldenBidiLstm, CifgPeephole) {
  BidiRun r = RunBidi(CifgPeepholeCell(), CifgPeepholeCell(), SmallConfig(), kInput3Steps);
  ExpectNear(r.fw, kCifgPeepholeGolden, kTol, "fw");
  ExpectNear(r.bw, kCifgPeepholeBwGolden, kTol, "bw");
}

TEST(TfliteGoldenBidiLstm, BatchMajorMatchesTimeMajor) {
  BidiLstmConfig cfg = SmallConfig();
  cfg.n_batch = 2;
  cfg.time_major = false;
  const std::vector<float> rev = ReverseSteps(kInput3Steps, 2);
  BidiRun r = RunBidi(CifgPeepholeCell(), CifgPeepholeCell(), cfg, BatchMajor({kInput3Steps, rev}));
  ASSERT_EQ(r.shapes.size(), 2u);
  EXPECT_EQ(r.shapes[0], (Shape{2, 3, 4}));
  // Row 0 is the golden; row 1 (reversed input) swaps the two directions.
  ExpectNear(r.fw, BatchMajor({kCifgPeepholeGolden, ReverseSteps(kCifgPeepholeBwGolden, 4)}), kTol, "fw");
  ExpectNear(r.bw, BatchMajor({kCifgPeepholeBwGolden, ReverseSteps(kCifgPeepholeGolden, 4)}), kTol, "bw");
}

// Different cells per direction: imported as a forward and a reverse node.
TEST(TfliteGoldenBidiLstm, DifferentDirectionsAreSplit) {
  BidiRun r = RunBidi(NoCifgNoPeepholeCell(), CifgPeepholeCell(), SmallConfig(), kInput3Steps);
  EXPECT_EQ(r.sequence_rnn_nodes, 2u);
  ExpectNear(r.fw, kNoCifgNoPeepholeGolden, kTol, "fw");
  ExpectNear(r.bw, kCifgPeepholeBwGolden, kTol, "bw");
  BidiLstmConfig merged = SmallConfig();
  merged.merge_outputs = true;
  BidiRun m = RunBidi(NoCifgNoPeepholeCell(), CifgPeepholeCell(), merged, kInput3Steps);
  ExpectNear(m.fw, kNoCifgNoPeepholeGolden, kTol, "merged fw");
  ExpectNear(m.bw, kCifgPeepholeBwGolden, kTol, "merged bw");
}

TEST(TfliteGoldenBidiLstm, AuxInputWithWeights) {
  BidiLstmConfig cfg = SmallConfig();
  cfg.aux_input_size = 2;
  cfg.fw_aux_weights = {{0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f},
                        {0.7f, 0.6f, 0.5f, 0.4f, 0.3f, 0.2f, 0.1f, 1.0f},
                        {0.5f, 0.6f, 0.7f, 0.8f, 0.5f, 0.6f, 0.7f, 0.8f},
                        {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f}};
  cfg.bw_aux_weights = cfg.fw_aux_weights;
  BidiRun r = RunBidi(NoCifgNoPeepholeCell(), NoCifgNoPeepholeCell(), cfg, kInput3Steps, kInput3Steps);
  EXPECT_EQ(r.sequence_rnn_nodes, 1u);
  ExpectNear(r.fw, kAuxFwGolden, kTol, "fw");
  ExpectNear(r.bw, kAuxBwGolden, kTol, "bw");
}

// An auxiliary input narrower than the input; values vary over batch, time
// and channel as TFLite's TestAuxInputWithDifferentSize generates them.
void CheckAuxDifferentSize(bool time_major, int batch) {
  BidiLstmConfig cfg = SmallConfig();
  cfg.n_batch = batch;
  cfg.time_major = time_major;
  cfg.aux_input_size = 1;
  cfg.fw_aux_weights = {{0.1f, 0.2f, 0.3f, 0.4f}, {0.7f, 0.6f, 0.5f, 0.4f}, {0.5f, 0.6f, 0.7f, 0.8f},
                        {0.1f, 0.2f, 0.3f, 0.4f}};
  cfg.bw_aux_weights = cfg.fw_aux_weights;
  std::vector<float> x(static_cast<size_t>(3 * batch * 2)), aux(static_cast<size_t>(3 * batch));
  for (int b = 0; b < batch; ++b) {
    for (int t = 0; t < 3; ++t) {
      const int row = time_major ? t * batch + b : b * 3 + t;
      for (int i = 0; i < 2; ++i) x[static_cast<size_t>(row * 2 + i)] = 0.5f * (b + 1) + 0.1f * t + 0.02f * i;
      aux[static_cast<size_t>(row)] = 0.2f * (b + 1) + 0.1f * t;
    }
  }
  BidiRun r = RunBidi(NoCifgNoPeepholeCell(), NoCifgNoPeepholeCell(), cfg, x, aux);
  const size_t n = static_cast<size_t>(12 * batch);
  ExpectNear(r.fw, std::vector<float>(kAuxSizeFwGolden.begin(), kAuxSizeFwGolden.begin() + n), kTol, "fw");
  ExpectNear(r.bw, std::vector<float>(kAuxSizeBwGolden.begin(), kAuxSizeBwGolden.begin() + n), kTol, "bw");
}

TEST(TfliteGoldenBidiLstm, AuxInputDifferentSizeTimeMajor) { CheckAuxDifferentSize(true, 1); }
TEST(TfliteGoldenBidiLstm, AuxInputDifferentSizeBatchMajor) { CheckAuxDifferentSize(false, 2); }

// Without auxiliary weights the auxiliary input is the backward direction's
// input (tf.nn.static_bidirectional_rnn stacking). Feeding the reversed
// sequence there makes the backward output the forward golden, reversed.
TEST(TfliteGoldenBidiLstm, AuxInputWithoutWeightsFeedsBackward) {
  for (bool merge : {false, true}) {
    BidiLstmConfig cfg = SmallConfig();
    cfg.aux_input_size = 2;
    cfg.merge_outputs = merge;
    BidiRun r = RunBidi(NoCifgNoPeepholeCell(), NoCifgNoPeepholeCell(), cfg, kInput3Steps,
                        ReverseSteps(kInput3Steps, 2));
    EXPECT_EQ(r.sequence_rnn_nodes, 2u);
    ExpectNear(r.fw, kNoCifgNoPeepholeGolden, kTol, merge ? "merged fw" : "fw");
    ExpectNear(r.bw, ReverseSteps(kNoCifgNoPeepholeGolden, 4), kTol, merge ? "merged bw" : "bw");
  }
}

// The four state variables persist: a second Invoke continues from the
// states the first left (the backward direction too), so it differs; after
// ResetVariableTensors the first result comes back.
TEST(TfliteGoldenBidiLstm, StatesPersistAcrossInvoke) {
  GraphBuilder b;
  BuiltGraph g = BuildBidiLstm(b, NoCifgNoPeepholeCell(), NoCifgNoPeepholeCell(), SmallConfig());
  Runner r(b);
  ASSERT_TRUE(r.status().ok()) << r.status().ToString();
  ASSERT_TRUE(r.Feed(g.x, kInput3Steps));
  ASSERT_TRUE(r.interp().Invoke().ok());
  const std::vector<float> bw1 = r.Fetch(g.outputs[1]);
  ASSERT_TRUE(r.interp().Invoke().ok());
  const std::vector<float> bw2 = r.Fetch(g.outputs[1]);
  EXPECT_NE(bw1, bw2);
  ASSERT_TRUE(r.interp().ResetVariableTensors().ok());
  ASSERT_TRUE(r.interp().Invoke().ok());
  ExpectNear(r.Fetch(g.outputs[0]), kNoCifgNoPeepholeGolden, kTol, "fw after reset");
  ExpectNear(r.Fetch(g.outputs[1]), kNoCifgBwGolden, kTol, "bw after reset");
}

}  // namespace
}  // namespace rnnlite::testing
