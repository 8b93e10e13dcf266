// TFLite's experimental custom op UNIDIRECTIONAL_SEQUENCE_GRU, imported with
// ImportTfliteRecurrentOps (gate weights [r; u] and candidate weights over
// the concatenation [x, h] split into SequenceRnn's W and R, GRU with
// linear_before_reset = 0) and run by the SequenceRnn CPU reference.
// The numbers are facts transcribed from TensorFlow Lite's kernel test
// tensorflow/lite/experimental/kernels/unidirectional_sequence_gru_test.cc
// (GRUTest.SimpleTest; TensorFlow, Apache-2.0).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/sequence_rnn.h"
#include "tflite_golden_util.h"

namespace rnnlite::testing {
namespace {

constexpr int kTime = 2, kBatch = 2, kInputSize = 2, kOutput = 3;

const std::vector<float> kInput = {0.89495724f, 0.34482682f, 0.68505806f, 0.7135783f,
                                   0.3167085f,  0.93647677f, 0.47361764f, 0.39643127f};
const std::vector<float> kInputState = {0.09992421f, 0.3028481f, 0.78305984f, 0.50438094f, 0.11269058f, 0.10244724f};
const std::vector<float> kGateWeight = {
    0.7256918f,  0.8945897f,  0.03285786f, 0.42637166f, 0.119376324f, 0.83035135f, 0.16997327f, 0.42302176f,
    0.77598256f, 0.2660894f,  0.9587266f,  0.6218451f,  0.88164485f,  0.12272458f, 0.2699055f,  0.18399088f,
    0.21930052f, 0.3374841f,  0.70866305f, 0.9523419f,  0.25170696f,  0.60988617f, 0.79823977f, 0.64477515f,
    0.2602957f,  0.5053131f,  0.93722224f, 0.8451359f,  0.97905475f,  0.38669217f};
const std::vector<float> kGateBias = {0.032708533f, 0.018445263f, 0.15320699f, 0.8163046f, 0.26683575f, 0.1412022f};
const std::vector<float> kCandidateWeight = {0.96165305f, 0.95572084f, 0.11534478f, 0.96965164f, 0.33562955f,
                                             0.8680755f,  0.003066936f, 0.057793964f, 0.8671354f, 0.33354893f,
                                             0.7313398f,  0.78492093f, 0.19530584f, 0.116550304f, 0.13599132f};
const std::vector<float> kCandidateBias = {0.89837056f, 0.54769796f, 0.63364106f};
const std::vector<float> kGolden = {0.20112592f, 0.45286041f, 0.80842507f, 0.59567153f, 0.2619998f,  0.22922856f,
                                    0.27715868f, 0.5247152f,  0.82300174f, 0.65812796f, 0.38217607f, 0.3401444f};

struct GruGraph {
  int x, state, y, y_state;
};

// The op as a .tflite file holds it: custom code UNIDIRECTIONAL_SEQUENCE_GRU,
// inputs (input, input_state, gate_weight, gate_bias, candidate_weight,
// candidate_bias), outputs (output, output_state). The state is a variable
// tensor, as in TFLite's test.
GruGraph BuildGru(GraphBuilder& b, bool variable_state) {
  GruGraph g;
  g.x = b.Input("input", DType::kFloat32, {kTime, kBatch, kInputSize});
  g.state = variable_state ? b.Variable("input_state", DType::kFloat32, {kBatch, kOutput})
                           : b.Input("input_state", DType::kFloat32, {kBatch, kOutput});
  const int gw = b.Constant("gate_weight", ConstF32({2 * kOutput, kInputSize + kOutput}, kGateWeight));
  const int gb = b.Constant("gate_bias", ConstF32({2 * kOutput}, kGateBias));
  const int cw = b.Constant("candidate_weight", ConstF32({kOutput, kInputSize + kOutput}, kCandidateWeight));
  const int cb = b.Constant("candidate_bias", ConstF32({kOutput}, kCandidateBias));
  g.y = b.Tensor("output", DType::kFloat32, {kTime, kBatch, kOutput});
  g.y_state = b.Tensor("output_state", DType::kFloat32, {kBatch, kOutput});
  b.Output(g.y);
  b.Output(g.y_state);
  b.AddCustomNode("UNIDIRECTIONAL_SEQUENCE_GRU", {g.x, g.state, gw, gb, cw, cb}, {g.y, g.y_state});
  return g;
}

TEST(TfliteGoldenGru, SimpleTest) {
  for (bool variable_state : {true, false}) {
    GraphBuilder b;
    GruGraph g = BuildGru(b, variable_state);
    Runner r(b);
    ASSERT_TRUE(r.status().ok()) << r.status().ToString();
    ASSERT_TRUE(r.Feed(g.x, kInput));
    ASSERT_TRUE(r.Feed(g.state, kInputState));
    ASSERT_TRUE(r.interp().Invoke().ok());
    EXPECT_EQ(r.ShapeOf(g.y), (Shape{kTime, kBatch, kOutput}));
    ExpectNear(r.Fetch(g.y), kGolden, 1e-5f, "output");
    // The final state is the last step's output, shaped [B, n_output].
    EXPECT_EQ(r.ShapeOf(g.y_state), (Shape{kBatch, kOutput}));
    ExpectNear(r.Fetch(g.y_state), std::vector<float>(kGolden.begin() + kBatch * kOutput, kGolden.end()), 1e-5f,
               "output_state");
  }
}

// TFLite's GRU reads its variable input_state but never writes it, so a
// second Invoke with the same input gives the same result.
TEST(TfliteGoldenGru, InputStateIsNotUpdated) {
  GraphBuilder b;
  GruGraph g = BuildGru(b, true);
  Runner r(b);
  ASSERT_TRUE(r.status().ok()) << r.status().ToString();
  ASSERT_TRUE(r.Feed(g.x, kInput));
  ASSERT_TRUE(r.Feed(g.state, kInputState));
  ASSERT_TRUE(r.interp().Invoke().ok());
  ASSERT_TRUE(r.interp().Invoke().ok());
  ExpectNear(r.Fetch(g.y), kGolden, 1e-5f, "second invoke");
  ExpectNear(r.Fetch(g.state), kInputState, 0.0f, "input_state unchanged");
}

TEST(TfliteGoldenGru, ImportsAsOneGruNode) {
  GraphBuilder b;
  BuildGru(b, false);
  auto model = b.Build();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  int gru_nodes = 0;
  for (const Node& n : (*model)->graph().main().nodes) {
    if (!n.is_custom(kSequenceRnnCustomCode)) continue;
    auto p = SequenceRnnParams::FromAttrs(n.attrs);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->cell, RnnCell::kGru);
    EXPECT_FALSE(p->linear_before_reset);
    EXPECT_EQ(p->hidden_size, kOutput);
    ++gru_nodes;
  }
  EXPECT_EQ(gru_nodes, 1);
}

TEST(TfliteGoldenGru, WrongGateWeightShapeIsRejected) {
  GraphBuilder b;
  const int x = b.Input("input", DType::kFloat32, {kTime, kBatch, kInputSize});
  const int s = b.Input("input_state", DType::kFloat32, {kBatch, kOutput});
  const int gw = b.Constant("gate_weight", ConstF32({kOutput, kInputSize + kOutput}, kCandidateWeight));
  const int gb = b.Constant("gate_bias", ConstF32({2 * kOutput}, kGateBias));
  const int cw = b.Constant("candidate_weight", ConstF32({kOutput, kInputSize + kOutput}, kCandidateWeight));
  const int cb = b.Constant("candidate_bias", ConstF32({kOutput}, kCandidateBias));
  const int y = b.Tensor("output", DType::kFloat32);
  const int ys = b.Tensor("output_state", DType::kFloat32);
  b.Output(y);
  b.AddCustomNode("UNIDIRECTIONAL_SEQUENCE_GRU", {x, s, gw, gb, cw, cb}, {y, ys});
  auto model = b.Build();
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("gate_weight"), std::string::npos) << model.status().ToString();
  EXPECT_NE(model.status().message().find("node 0"), std::string::npos) << model.status().ToString();
}

}  // namespace
}  // namespace rnnlite::testing
