// TFLite's published LSTM kernel vectors, imported with
// ImportTfliteRecurrentOps and run by the SequenceRnn CPU reference.
// The numbers are facts transcribed from TensorFlow Lite's kernel tests
// (Apache-2.0): tensorflow/lite/kernels/unidirectional_sequence_lstm_test.cc
// (NoCifgNoPeepholeNoProjectionNoClipping, CifgPeepholeNoProjectionNoClipping,
// CifgPeepholeNoProjectionNoClippingLayerNorm) and
// tensorflow/lite/kernels/lstm_test.cc (NoCifg_Peephole_Projection_LayerNorm,
// Cifg_Peephole_Projection_LayerNorm; run through both the single-step LSTM
// op they test and the sequence op).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tflite_golden_util.h"

namespace rnnlite::testing {
namespace {

// CifgPeepholeNoProjectionNoClippingLayerNorm: the CIFG cell plus coefficients.
TfliteLstmCell CifgPeepholeLayerNormCell() {
  TfliteLstmCell c = CifgPeepholeCell();
  c.forget_layer_norm = {0.2f, 0.2f, 0.4f, 0.3f};
  c.cell_layer_norm = {0.7f, 0.2f, 0.3f, 0.8f};
  c.output_layer_norm = {0.6f, 0.2f, 0.2f, 0.5f};
  return c;
}

TfliteLstmCell LstmTestNoCifgPeepholeProjectionLayerNormCell() {
  TfliteLstmCell c;
  c.input_to_input = {0.5f, 0.6f, 0.7f, -0.8f, -0.9f, 0.1f,
      0.2f, 0.3f, -0.4f, 0.5f, -0.8f, 0.7f,
      -0.6f, 0.5f, -0.4f, -0.5f, -0.4f, -0.3f,
      -0.2f, -0.1f};
  c.input_to_forget = {-0.6f, -0.1f, 0.3f, 0.2f, 0.9f, -0.5f,
      -0.2f, -0.4f, 0.3f, -0.8f, -0.4f, 0.3f,
      -0.5f, -0.4f, -0.6f, 0.3f, -0.4f, -0.6f,
      -0.5f, -0.5f};
  c.input_to_cell = {-0.4f, -0.3f, -0.2f, -0.1f, -0.5f, 0.5f,
      -0.2f, -0.3f, -0.2f, -0.6f, 0.6f, -0.1f,
      -0.4f, -0.3f, -0.7f, 0.7f, -0.9f, -0.5f,
      0.8f, 0.6f};
  c.input_to_output = {-0.8f, -0.4f, -0.2f, -0.9f, -0.1f, -0.7f,
      0.3f, -0.3f, -0.8f, -0.2f, 0.6f, -0.2f,
      0.4f, -0.7f, -0.3f, -0.5f, 0.1f, 0.5f,
      -0.6f, -0.4f};
  c.recurrent_to_input = {-0.2f, -0.3f, 0.4f, 0.1f, -0.5f, 0.9f,
      -0.2f, -0.3f, -0.7f, 0.05f, -0.2f, -0.6f};
  c.recurrent_to_forget = {-0.5f, -0.3f, -0.5f, -0.2f, 0.6f, 0.4f,
      0.9f, 0.3f, -0.1f, 0.2f, 0.5f, 0.2f};
  c.recurrent_to_cell = {-0.3f, 0.2f, 0.1f, -0.3f, 0.8f, -0.08f,
      -0.2f, 0.3f, 0.8f, -0.6f, -0.1f, 0.2f};
  c.recurrent_to_output = {0.3f, -0.1f, 0.1f, -0.2f, -0.5f, -0.7f,
      -0.2f, -0.6f, -0.1f, -0.4f, -0.7f, -0.2f};
  c.cell_to_input = {0.05f, 0.1f, 0.25f, 0.15f};
  c.cell_to_forget = {-0.02f, -0.15f, -0.25f, -0.03f};
  c.cell_to_output = {0.1f, -0.1f, -0.5f, 0.05f};
  c.input_gate_bias = {0.03f, 0.15f, 0.22f, 0.38f};
  c.forget_gate_bias = {0.1f, -0.3f, -0.2f, 0.1f};
  c.cell_gate_bias = {-0.05f, 0.72f, 0.25f, 0.08f};
  c.output_gate_bias = {0.05f, -0.01f, 0.2f, 0.1f};
  c.projection_weights = {-0.1f, 0.2f, 0.01f, -0.2f, 0.1f, 0.5f,
      0.3f, 0.08f, 0.07f, 0.2f, -0.4f, 0.2f};
  c.input_layer_norm = {0.1f, 0.2f, 0.3f, 0.5f};
  c.forget_layer_norm = {0.2f, 0.2f, 0.4f, 0.3f};
  c.cell_layer_norm = {0.7f, 0.2f, 0.3f, 0.8f};
  c.output_layer_norm = {0.6f, 0.2f, 0.2f, 0.5f};
  return c;
}

TfliteLstmCell LstmTestCifgPeepholeProjectionLayerNormCell() {
  TfliteLstmCell c;
  c.input_to_forget = {-0.6f, -0.1f, 0.3f, 0.2f, 0.9f, -0.5f,
      -0.2f, -0.4f, 0.3f, -0.8f, -0.4f, 0.3f,
      -0.5f, -0.4f, -0.6f, 0.3f, -0.4f, -0.6f,
      -0.5f, -0.5f};
  c.input_to_cell = {-0.4f, -0.3f, -0.2f, -0.1f, -0.5f, 0.5f,
      -0.2f, -0.3f, -0.2f, -0.6f, 0.6f, -0.1f,
      -0.4f, -0.3f, -0.7f, 0.7f, -0.9f, -0.5f,
      0.8f, 0.6f};
  c.input_to_output = {-0.8f, -0.4f, -0.2f, -0.9f, -0.1f, -0.7f,
      0.3f, -0.3f, -0.8f, -0.2f, 0.6f, -0.2f,
      0.4f, -0.7f, -0.3f, -0.5f, 0.1f, 0.5f,
      -0.6f, -0.4f};
  c.recurrent_to_forget = {-0.5f, -0.3f, -0.5f, -0.2f, 0.6f, 0.4f,
      0.9f, 0.3f, -0.1f, 0.2f, 0.5f, 0.2f};
  c.recurrent_to_cell = {-0.3f, 0.2f, 0.1f, -0.3f, 0.8f, -0.08f,
      -0.2f, 0.3f, 0.8f, -0.6f, -0.1f, 0.2f};
  c.recurrent_to_output = {0.3f, -0.1f, 0.1f, -0.2f, -0.5f, -0.7f,
      -0.2f, -0.6f, -0.1f, -0.4f, -0.7f, -0.2f};
  c.cell_to_forget = {-0.02f, -0.15f, -0.25f, -0.03f};
  c.cell_to_output = {0.1f, -0.1f, -0.5f, 0.05f};
  c.forget_gate_bias = {0.1f, -0.3f, -0.2f, 0.1f};
  c.cell_gate_bias = {-0.05f, 0.72f, 0.25f, 0.08f};
  c.output_gate_bias = {0.05f, -0.01f, 0.2f, 0.1f};
  c.projection_weights = {-0.1f, 0.2f, 0.01f, -0.2f, 0.1f, 0.5f,
      0.3f, 0.08f, 0.07f, 0.2f, -0.4f, 0.2f};
  c.forget_layer_norm = {0.2f, 0.2f, 0.4f, 0.3f};
  c.cell_layer_norm = {0.7f, 0.2f, 0.3f, 0.8f};
  c.output_layer_norm = {0.6f, 0.2f, 0.2f, 0.5f};
  return c;
}

const std::vector<float> kCifgPeepholeLayerNormGolden = {
    -0.102089f, 0.00653987f, 0.0515139f, -0.0630045f, -0.173317f, 0.0109206f, 0.0903292f, -0.109497f,
    -0.23827f, 0.0119514f, 0.119525f, -0.12748f};

const std::vector<std::vector<float>> kLstmTestNoCifgLnInput = {
    {0.7f, 0.8f, 0.1f, 0.2f, 0.3f, 0.3f, 0.2f, 0.9f, 0.8f, 0.1f},
    {0.8f, 0.1f, 0.2f, 0.4f, 0.5f, 0.1f, 0.5f, 0.2f, 0.4f, 0.2f},
    {0.2f, 0.7f, 0.7f, 0.1f, 0.7f, 0.6f, 0.9f, 0.2f, 0.5f, 0.7f},
};

const std::vector<std::vector<float>> kLstmTestNoCifgLnGolden = {
    {0.0244077f, 0.128027f, -0.00170918f, -0.00692428f, 0.0848741f, 0.063445f},
    {0.0137642f, 0.140751f, 0.0395835f, -0.00403912f, 0.139963f, 0.072681f},
    {-0.00459231f, 0.155278f, 0.0837377f, 0.00752706f, 0.161903f, 0.0561371f},
};

const std::vector<std::vector<float>> kLstmTestCifgLnInput = {
    {0.7f, 0.8f, 0.1f, 0.2f, 0.3f, 0.3f, 0.2f, 0.9f, 0.8f, 0.1f},
    {0.8f, 0.1f, 0.2f, 0.4f, 0.5f, 0.1f, 0.5f, 0.2f, 0.4f, 0.2f},
    {0.2f, 0.7f, 0.7f, 0.1f, 0.7f, 0.6f, 0.9f, 0.2f, 0.5f, 0.7f},
};

const std::vector<std::vector<float>> kLstmTestCifgLnGolden = {
    {0.02129706f, 0.140816242f, 0.0112733059f, -0.0226350538f, 0.0916948169f, 0.0769175813f},
    {0.0132302344f, 0.152308047f, 0.0346313119f, -0.0269966982f, 0.149707705f, 0.094149217f},
    {-0.0123688057f, 0.165790111f, 0.0893077999f, -0.0103429332f, 0.173016444f, 0.0720508844f},
};

constexpr float kTol = 1e-5f;  // TFLite's own tolerance for these vectors

// One Invoke over a whole sequence; returns Y.
std::vector<float> RunOnce(const TfliteLstmCell& cell, const UniLstmConfig& cfg, const std::vector<float>& x,
                           Shape* y_shape = nullptr) {
  GraphBuilder b;
  BuiltGraph g = BuildUniLstm(b, cell, cfg);
  Runner r(b);
  EXPECT_TRUE(r.status().ok()) << r.status().ToString();
  if (!r.status().ok()) return {};
  EXPECT_TRUE(r.Feed(g.x, x));
  Status s = r.interp().Invoke();
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (y_shape != nullptr) *y_shape = r.ShapeOf(g.outputs[0]);
  return r.Fetch(g.outputs[0]);
}

UniLstmConfig SmallConfig() {
  UniLstmConfig cfg;
  cfg.n_batch = 1;
  cfg.n_input = 2;
  cfg.n_cell = 4;
  cfg.n_output = 4;
  cfg.seq_len = 3;
  return cfg;
}

TEST(TfliteGoldenLstm, NoCifgNoPeepholeTimeMajor) {
  Shape shape;
  ExpectNear(RunOnce(NoCifgNoPeepholeCell(), SmallConfig(), kInput3Steps, &shape), kNoCifgNoPeepholeGolden, kTol);
  EXPECT_EQ(shape, (Shape{3, 1, 4}));
}

TEST(TfliteGoldenLstm, NoCifgNoPeepholeBatchMajor) {
  UniLstmConfig cfg = SmallConfig();
  cfg.time_major = false;
  Shape shape;
  ExpectNear(RunOnce(NoCifgNoPeepholeCell(), cfg, kInput3Steps, &shape), kNoCifgNoPeepholeGolden, kTol);
  EXPECT_EQ(shape, (Shape{1, 3, 4}));
}

// Two batch rows (the second is the first sequence reversed in time, so the
// rows differ) in both layouts; each row must equal its own one-row run.
TEST(TfliteGoldenLstm, TwoRowsBothLayoutsMatchSingleRowRuns) {
  const std::vector<float> reversed = {1.0f, 1.0f, 3.0f, 4.0f, 2.0f, 3.0f};
  const std::vector<float> row1 = RunOnce(NoCifgNoPeepholeCell(), SmallConfig(), reversed);
  UniLstmConfig cfg = SmallConfig();
  cfg.n_batch = 2;
  const std::vector<std::vector<float>> in = {kInput3Steps, reversed};
  const std::vector<std::vector<float>> want = {kNoCifgNoPeepholeGolden, row1};
  ExpectNear(RunOnce(NoCifgNoPeepholeCell(), cfg, TimeMajor(in, 2)), TimeMajor(want, 4), kTol, "time-major");
  cfg.time_major = false;
  ExpectNear(RunOnce(NoCifgNoPeepholeCell(), cfg, BatchMajor(in)), BatchMajor(want), kTol, "batch-major");
}

TEST(TfliteGoldenLstm, Legacy20InputForm) {
  UniLstmConfig cfg = SmallConfig();
  cfg.legacy_20_inputs = true;
  ExpectNear(RunOnce(NoCifgNoPeepholeCell(), cfg, kInput3Steps), kNoCifgNoPeepholeGolden, kTol);
}

TEST(TfliteGoldenLstm, TwoDimensionalStates) {
  UniLstmConfig cfg = SmallConfig();
  cfg.flat_states = false;
  ExpectNear(RunOnce(NoCifgNoPeepholeCell(), cfg, kInput3Steps), kNoCifgNoPeepholeGolden, kTol);
}

// The states are variable tensors: one step per Invoke continues the
// sequence, and ResetVariableTensors starts it over.
TEST(TfliteGoldenLstm, StreamingOneStepPerInvoke) {
  UniLstmConfig cfg = SmallConfig();
  cfg.seq_len = 1;
  GraphBuilder b;
  BuiltGraph g = BuildUniLstm(b, NoCifgNoPeepholeCell(), cfg);
  Runner r(b);
  ASSERT_TRUE(r.status().ok()) << r.status().ToString();
  std::vector<float> all;
  for (int t = 0; t < 3; ++t) {
    ASSERT_TRUE(r.Feed(g.x, {kInput3Steps[2 * t], kInput3Steps[2 * t + 1]}));
    ASSERT_TRUE(r.interp().Invoke().ok());
    const std::vector<float> y = r.Fetch(g.outputs[0]);
    all.insert(all.end(), y.begin(), y.end());
  }
  ExpectNear(all, kNoCifgNoPeepholeGolden, kTol);
  ASSERT_TRUE(r.interp().ResetVariableTensors().ok());
  ASSERT_TRUE(r.Feed(g.x, {kInput3Steps[0], kInput3Steps[1]}));
  ASSERT_TRUE(r.interp().Invoke().ok());
  ExpectNear(r.Fetch(g.outputs[0]), std::vector<float>(kNoCifgNoPeepholeGolden.begin(), kNoCifgNoPeepholeGolden.begin() + 4),
             kTol, "after reset");
}

TEST(TfliteGoldenLstm, CifgPeephole) {
  ExpectNear(RunOnce(CifgPeepholeCell(), SmallConfig(), kInput3Steps), kCifgPeepholeGolden, kTol);
}

TEST(TfliteGoldenLstm, CifgPeepholeLayerNorm) {
  ExpectNear(RunOnce(CifgPeepholeLayerNormCell(), SmallConfig(), kInput3Steps), kCifgPeepholeLayerNormGolden, kTol);
}

// 24 inputs with every layer-norm coefficient absent is a plain LSTM
// (TFLite's NonLayerNormLstmBlackBoxTest).
TEST(TfliteGoldenLstm, TwentyFourInputsWithoutLayerNorm) {
  TfliteLstmCell cell = CifgPeepholeLayerNormCell();
  cell.forget_layer_norm.clear();
  cell.cell_layer_norm.clear();
  cell.output_layer_norm.clear();
  ExpectNear(RunOnce(cell, SmallConfig(), kInput3Steps), kCifgPeepholeGolden, kTol);
}

// lstm_test.cc runs the single-step LSTM op once per step; the same vectors
// hold for the sequence op over all steps at once, and one step per Invoke.
void CheckLstmTestCase(const TfliteLstmCell& cell, const std::vector<std::vector<float>>& steps_in,
                       const std::vector<std::vector<float>>& steps_out) {
  UniLstmConfig cfg;
  cfg.n_batch = 2;
  cfg.n_input = 5;
  cfg.n_cell = 4;
  cfg.n_output = 3;
  cfg.seq_len = static_cast<int>(steps_in.size());
  std::vector<float> x, want;
  for (const auto& s : steps_in) x.insert(x.end(), s.begin(), s.end());
  for (const auto& s : steps_out) want.insert(want.end(), s.begin(), s.end());
  ExpectNear(RunOnce(cell, cfg, x), want, kTol, "whole sequence");

  cfg.seq_len = 1;
  GraphBuilder b;
  BuiltGraph g = BuildUniLstm(b, cell, cfg);
  Runner r(b);
  ASSERT_TRUE(r.status().ok()) << r.status().ToString();
  for (size_t t = 0; t < steps_in.size(); ++t) {
    ASSERT_TRUE(r.Feed(g.x, steps_in[t]));
    ASSERT_TRUE(r.interp().Invoke().ok());
    ExpectNear(r.Fetch(g.outputs[0]), steps_out[t], kTol, "step " + std::to_string(t));
  }
}

// lstm_test.cc's own op: the single-step LSTM builtin, one Invoke per step.
void CheckLstmStepOp(const TfliteLstmCell& cell, const std::vector<std::vector<float>>& steps_in,
                     const std::vector<std::vector<float>>& steps_out) {
  UniLstmConfig cfg;
  cfg.n_batch = 2;
  cfg.n_input = 5;
  cfg.n_cell = 4;
  cfg.n_output = 3;
  GraphBuilder b;
  BuiltGraph g = BuildLstmStep(b, cell, cfg);
  Runner r(b);
  ASSERT_TRUE(r.status().ok()) << r.status().ToString();
  for (size_t t = 0; t < steps_in.size(); ++t) {
    ASSERT_TRUE(r.Feed(g.x, steps_in[t]));
    ASSERT_TRUE(r.interp().Invoke().ok());
    EXPECT_EQ(r.ShapeOf(g.outputs[0]), (Shape{2, 3}));
    ExpectNear(r.Fetch(g.outputs[0]), steps_out[t], kTol, "LSTM op step " + std::to_string(t));
  }
}

TEST(TfliteGoldenLstm, NoCifgPeepholeProjectionLayerNorm) {
  CheckLstmStepOp(LstmTestNoCifgPeepholeProjectionLayerNormCell(), kLstmTestNoCifgLnInput, kLstmTestNoCifgLnGolden);
  CheckLstmTestCase(LstmTestNoCifgPeepholeProjectionLayerNormCell(), kLstmTestNoCifgLnInput, kLstmTestNoCifgLnGolden);
}

TEST(TfliteGoldenLstm, CifgPeepholeProjectionLayerNorm) {
  CheckLstmStepOp(LstmTestCifgPeepholeProjectionLayerNormCell(), kLstmTestCifgLnInput, kLstmTestCifgLnGolden);
  CheckLstmTestCase(LstmTestCifgPeepholeProjectionLayerNormCell(), kLstmTestCifgLnInput, kLstmTestCifgLnGolden);
}

// Diagonal recurrent weights (IndyLSTM, diagonal_recurrent_tensors) equal
// full matrices that are zero off the diagonal (TFLite's
// CheckThatDiagAndNonDiagRecurrentWeightsAreEqual).
TEST(TfliteGoldenLstm, DiagonalRecurrentWeightsEqualDiagonalMatrices) {
  TfliteLstmCell diag = NoCifgNoPeepholeCell();
  TfliteLstmCell full = diag;
  diag.diagonal_recurrent = true;
  std::vector<float>* d[4] = {&diag.recurrent_to_input, &diag.recurrent_to_forget, &diag.recurrent_to_cell,
                              &diag.recurrent_to_output};
  std::vector<float>* f[4] = {&full.recurrent_to_input, &full.recurrent_to_forget, &full.recurrent_to_cell,
                              &full.recurrent_to_output};
  for (int k = 0; k < 4; ++k) {
    std::vector<float> v(4);
    for (int j = 0; j < 4; ++j) {
      v[j] = (*f[k])[static_cast<size_t>(j * 4 + j)];
      for (int c = 0; c < 4; ++c) {
        if (c != j) (*f[k])[static_cast<size_t>(j * 4 + c)] = 0.0f;
      }
    }
    *d[k] = v;
  }
  const std::vector<float> want = RunOnce(full, SmallConfig(), kInput3Steps);
  const std::vector<float> got = RunOnce(diag, SmallConfig(), kInput3Steps);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], want[i]) << i;
}

// Activations other than TANH map to the matching SequenceRnn activation:
// with RELU the cell input and cell output activations are relu.
TEST(TfliteGoldenLstm, ReluActivationDiffersFromTanh) {
  UniLstmConfig cfg = SmallConfig();
  cfg.activation = kTfliteActRelu;
  const std::vector<float> relu = RunOnce(NoCifgNoPeepholeCell(), cfg, kInput3Steps);
  ASSERT_EQ(relu.size(), 12u);
  for (float v : relu) EXPECT_GE(v, 0.0f);  // o * relu(c) with o in (0, 1)
}

}  // namespace
}  // namespace rnnlite::testing
