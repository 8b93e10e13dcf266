// Independent evidence for the TFLite-only parts of the SequenceRnn
// reference (layer norm, CIFG, peephole + projection, TFLite's GRU), from
// published kernel test vectors transcribed as facts:
//  - Android NNAPI's LSTM layer-norm test specs (lstm*_layer_norm*.mod.py in
//    AOSP packages/modules/NeuralNetworks, Apache-2.0). NNAPI's LSTM is
//    TFLite's lstm_eval; each example is one step whose input state is the
//    previous example's golden output, i.e. a 3-step sequence here.
//  - TFLite's UNIDIRECTIONAL_SEQUENCE_GRU test (tensorflow/lite/experimental/
//    kernels/unidirectional_sequence_gru_test.cc, Apache-2.0).
// TFLite keeps one tensor per gate; this file packs them into rnnlite's
// [D, G*H, ...] blocks in order i, f, g(cell), o / r, z(u), n(candidate).
#include <gtest/gtest.h>

#include "sequence_rnn_test_helpers.h"

namespace rnnlite::testing::seqrnn {
namespace {

std::vector<float> Concat(std::initializer_list<std::vector<float>> parts) {
  std::vector<float> v;
  for (const auto& p : parts) v.insert(v.end(), p.begin(), p.end());
  return v;
}

// Shared weights of the two NNAPI layer-norm examples: n_batch 2,
// n_input 5, n_cell 4, n_output 3 (projection without bias), peepholes,
// tanh activation, no clipping.
struct LayerNormLstmWeights {
  std::vector<float> input_to_input = {0.5, 0.6, 0.7, -0.8, -0.9, 0.1, 0.2, 0.3, -0.4, 0.5,
                                       -0.8, 0.7, -0.6, 0.5, -0.4, -0.5, -0.4, -0.3, -0.2, -0.1};
  std::vector<float> input_to_forget = {-0.6, -0.1, 0.3, 0.2, 0.9, -0.5, -0.2, -0.4, 0.3, -0.8,
                                        -0.4, 0.3, -0.5, -0.4, -0.6, 0.3, -0.4, -0.6, -0.5, -0.5};
  std::vector<float> input_to_cell = {-0.4, -0.3, -0.2, -0.1, -0.5, 0.5, -0.2, -0.3, -0.2, -0.6,
                                      0.6, -0.1, -0.4, -0.3, -0.7, 0.7, -0.9, -0.5, 0.8, 0.6};
  std::vector<float> input_to_output = {-0.8, -0.4, -0.2, -0.9, -0.1, -0.7, 0.3, -0.3, -0.8, -0.2,
                                        0.6, -0.2, 0.4, -0.7, -0.3, -0.5, 0.1, 0.5, -0.6, -0.4};
  std::vector<float> input_gate_bias = {0.03, 0.15, 0.22, 0.38};
  std::vector<float> forget_gate_bias = {0.1, -0.3, -0.2, 0.1};
  std::vector<float> cell_gate_bias = {-0.05, 0.72, 0.25, 0.08};
  std::vector<float> output_gate_bias = {0.05, -0.01, 0.2, 0.1};
  std::vector<float> recurrent_to_input = {-0.2, -0.3, 0.4, 0.1, -0.5, 0.9, -0.2, -0.3, -0.7, 0.05, -0.2, -0.6};
  std::vector<float> recurrent_to_cell = {-0.3, 0.2, 0.1, -0.3, 0.8, -0.08, -0.2, 0.3, 0.8, -0.6, -0.1, 0.2};
  std::vector<float> recurrent_to_forget = {-0.5, -0.3, -0.5, -0.2, 0.6, 0.4, 0.9, 0.3, -0.1, 0.2, 0.5, 0.2};
  std::vector<float> recurrent_to_output = {0.3, -0.1, 0.1, -0.2, -0.5, -0.7, -0.2, -0.6, -0.1, -0.4, -0.7, -0.2};
  std::vector<float> cell_to_input = {0.05, 0.1, 0.25, 0.15};
  std::vector<float> cell_to_forget = {-0.02, -0.15, -0.25, -0.03};
  std::vector<float> cell_to_output = {0.1, -0.1, -0.5, 0.05};
  std::vector<float> projection = {-0.1, 0.2, 0.01, -0.2, 0.1, 0.5, 0.3, 0.08, 0.07, 0.2, -0.4, 0.2};
  std::vector<float> input_layer_norm = {0.1, 0.2, 0.3, 0.5};
  std::vector<float> forget_layer_norm = {0.2, 0.2, 0.4, 0.3};
  std::vector<float> cell_layer_norm = {0.7, 0.2, 0.3, 0.8};
  std::vector<float> output_layer_norm = {0.6, 0.2, 0.2, 0.5};
  // Three steps of [n_batch = 2, n_input = 5].
  std::vector<float> input = {0.7, 0.8, 0.1, 0.2, 0.3, 0.3, 0.2, 0.9, 0.8, 0.1, 0.8, 0.1, 0.2, 0.4, 0.5,
                              0.1, 0.5, 0.2, 0.4, 0.2, 0.2, 0.7, 0.7, 0.1, 0.7, 0.6, 0.9, 0.2, 0.5, 0.7};
};

NodeSpec LayerNormLstm(const LayerNormLstmWeights& w, bool cifg) {
  SequenceRnnParams p = MakeParams(RnnCell::kLstm, RnnDirection::kForward, 4);
  p.proj_size = 3;
  p.cifg = cifg;
  p.output_layout = RnnOutputLayout::kConcat;  // TFLite's [T, B, n_output]
  p.state_layout = RnnStateLayout::kPerDirection;
  // CIFG has no input-gate tensors; rnnlite ignores those rows, so zeros.
  const std::vector<float> z20(20, 0.0f), z12(12, 0.0f), z4(4, 0.0f);
  NodeSpec s;
  s.attrs = Attrs(p);
  s.inputs = NoInputs();
  s.inputs[in::kX] = F32({3, 2, 5}, w.input);
  s.inputs[in::kW] = ConstF32(
      {1, 16, 5}, Concat({cifg ? z20 : w.input_to_input, w.input_to_forget, w.input_to_cell, w.input_to_output}));
  s.inputs[in::kR] = ConstF32({1, 16, 3}, Concat({cifg ? z12 : w.recurrent_to_input, w.recurrent_to_forget,
                                                   w.recurrent_to_cell, w.recurrent_to_output}));
  s.inputs[in::kWb] = ConstF32(
      {1, 16}, Concat({cifg ? z4 : w.input_gate_bias, w.forget_gate_bias, w.cell_gate_bias, w.output_gate_bias}));
  s.inputs[in::kPeephole] =
      ConstF32({1, 3, 4}, Concat({cifg ? z4 : w.cell_to_input, w.cell_to_forget, w.cell_to_output}));
  s.inputs[in::kProjW] = ConstF32({1, 3, 4}, w.projection);
  s.inputs[in::kLayerNorm] = ConstF32(
      {1, 4, 4}, Concat({cifg ? z4 : w.input_layer_norm, w.forget_layer_norm, w.cell_layer_norm, w.output_layer_norm}));
  s.outputs = {true, true, true, false};
  return s;
}

// "NoCifgPeepholeProjectionNoClippingLayerNormLstm".
TEST(SequenceRnnTfliteVectorsTest, LayerNormPeepholeProjection) {
  RunResult r = RunNode(LayerNormLstm(LayerNormLstmWeights(), /*cifg=*/false));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  // golden_outputs of the three steps, then golden_cell_states of the last.
  ExpectNear(r.outputs[out::kY], {3, 2, 3},
             {0.024407668039203, 0.128027379512787, -0.001709178090096, -0.006924282759428, 0.084874063730240,
              0.063444979488850, 0.013764165341854, 0.140751048922539, 0.039583537727594, -0.004039138555527,
              0.139963015913963, 0.072681039571762, -0.004592306911945, 0.155278354883194, 0.083737745881081,
              0.007527053356171, 0.161902531981468, 0.056137066334486},
             1e-5f, 1e-5f);
  ExpectNear(r.outputs[out::kYc], {1, 2, 4},
             {-0.742560744285583, 0.579139292240143, 0.114988230168819, 0.649957716464996, -0.686565399169922,
              0.548869132995605, 0.173138767480850, 0.587379336357117},
             1e-5f, 1e-5f);
}

// "CifgPeepholeProjectionNoClippingLayerNormLstm": same weights without the
// input-gate tensors.
TEST(SequenceRnnTfliteVectorsTest, LayerNormCifgPeepholeProjection) {
  RunResult r = RunNode(LayerNormLstm(LayerNormLstmWeights(), /*cifg=*/true));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectNear(r.outputs[out::kY], {3, 2, 3},
             {0.02129706, 0.140816242, 0.0112733059, -0.0226350538, 0.0916948169, 0.0769175813, 0.0132302344,
              0.152308047, 0.0346313119, -0.0269966982, 0.149707705, 0.094149217, -0.0123688057, 0.165790111,
              0.0893077999, -0.0103429332, 0.173016444, 0.0720508844},
             1e-5f, 1e-5f);
  ExpectNear(r.outputs[out::kYc], {1, 2, 4},
             {-0.5736622, 0.5952501, 0.1292950, 0.7110270, -0.5323033, 0.5556133, 0.1800992, 0.7845056}, 1e-5f, 1e-5f);
}

// The same vectors through variable state tensors, one step per Invoke (the
// way NNAPI's examples chain them): streaming equals the 3-step run.
TEST(SequenceRnnTfliteVectorsTest, LayerNormStepwiseWithStateVariables) {
  LayerNormLstmWeights w;
  NodeSpec s = LayerNormLstm(w, false);
  s.inputs[in::kX] = F32({1, 2, 5}, std::vector<float>(w.input.begin(), w.input.begin() + 10));
  s.inputs[in::kH0] = F32({2, 3}, std::vector<float>(6, 0.0f));
  s.inputs[in::kC0] = F32({2, 4}, std::vector<float>(8, 0.0f));
  s.variable_slots = {in::kH0, in::kC0};
  s.outputs = {true, false, false, false};
  NodeRunner runner(s);
  ASSERT_TRUE(runner.status().ok()) << runner.status().ToString();
  std::vector<float> y;
  for (int step = 0; step < 3; ++step) {
    std::vector<TestTensor> feed = s.inputs;
    feed[in::kX] = F32({1, 2, 5}, std::vector<float>(w.input.begin() + step * 10, w.input.begin() + step * 10 + 10));
    ASSERT_TRUE(runner.Invoke(feed).ok());
    std::vector<float> part = Values(runner.Output(out::kY));
    y.insert(y.end(), part.begin(), part.end());
  }
  ExpectNear(F32({3, 2, 3}, y), {3, 2, 3},
             {0.024407668039203, 0.128027379512787, -0.001709178090096, -0.006924282759428, 0.084874063730240,
              0.063444979488850, 0.013764165341854, 0.140751048922539, 0.039583537727594, -0.004039138555527,
              0.139963015913963, 0.072681039571762, -0.004592306911945, 0.155278354883194, 0.083737745881081,
              0.007527053356171, 0.161902531981468, 0.056137066334486},
             1e-5f, 1e-5f);
  ExpectNear(runner.StateVariable(in::kC0), {2, 4},
             {-0.742560744285583, 0.579139292240143, 0.114988230168819, 0.649957716464996, -0.686565399169922,
              0.548869132995605, 0.173138767480850, 0.587379336357117},
             1e-5f, 1e-5f);
  ExpectNear(runner.StateVariable(in::kH0), {2, 3},
             {-0.004592306911945, 0.155278354883194, 0.083737745881081, 0.007527053356171, 0.161902531981468,
              0.056137066334486},
             1e-5f, 1e-5f);
}

// TFLite GRU (GRUTest.SimpleTest): n_time 2, n_batch 2, n_input 2, n_output 3.
// gate_weight [6, 5] holds rows r then u over columns [x | h]; candidate
// weight [3, 5] is applied to [x | r*h]; h = (1-u)*tanh(c) + u*h, which is
// rnnlite's GRU with linear_before_reset = 0 and z = u.
TEST(SequenceRnnTfliteVectorsTest, TfliteGruSimple) {
  const std::vector<float> gate_weight = {
      0.7256918f,  0.8945897f,  0.03285786f, 0.42637166f, 0.119376324f, 0.83035135f, 0.16997327f, 0.42302176f,
      0.77598256f, 0.2660894f,  0.9587266f,  0.6218451f,  0.88164485f,  0.12272458f, 0.2699055f,  0.18399088f,
      0.21930052f, 0.3374841f,  0.70866305f, 0.9523419f,  0.25170696f,  0.60988617f, 0.79823977f, 0.64477515f,
      0.2602957f,  0.5053131f,  0.93722224f, 0.8451359f,  0.97905475f,  0.38669217f};
  const std::vector<float> gate_bias = {0.032708533f, 0.018445263f, 0.15320699f, 0.8163046f, 0.26683575f, 0.1412022f};
  const std::vector<float> candidate_weight = {0.96165305f, 0.95572084f, 0.11534478f, 0.96965164f, 0.33562955f,
                                               0.8680755f,  0.003066936f, 0.057793964f, 0.8671354f, 0.33354893f,
                                               0.7313398f,  0.78492093f, 0.19530584f, 0.116550304f, 0.13599132f};
  const std::vector<float> candidate_bias = {0.89837056f, 0.54769796f, 0.63364106f};
  std::vector<float> w, r;  // [9, 2] and [9, 3]: rows r (0-2), z (3-5), n (6-8)
  for (int row = 0; row < 9; ++row) {
    const float* src = row < 6 ? &gate_weight[static_cast<size_t>(row) * 5]
                               : &candidate_weight[static_cast<size_t>(row - 6) * 5];
    w.insert(w.end(), src, src + 2);
    r.insert(r.end(), src + 2, src + 5);
  }
  SequenceRnnParams p = MakeParams(RnnCell::kGru, RnnDirection::kForward, 3);
  p.output_layout = RnnOutputLayout::kConcat;
  NodeSpec s;
  s.attrs = Attrs(p);
  s.inputs = NoInputs();
  s.inputs[in::kX] = F32({2, 2, 2}, {0.89495724f, 0.34482682f, 0.68505806f, 0.7135783f, 0.3167085f, 0.93647677f,
                                     0.47361764f, 0.39643127f});
  s.inputs[in::kW] = ConstF32({1, 9, 2}, w);
  s.inputs[in::kR] = ConstF32({1, 9, 3}, r);
  s.inputs[in::kWb] = ConstF32({1, 9}, Concat({gate_bias, candidate_bias}));
  s.inputs[in::kH0] = F32({1, 2, 3}, {0.09992421f, 0.3028481f, 0.78305984f, 0.50438094f, 0.11269058f, 0.10244724f});
  RunResult res = RunNode(s);
  ASSERT_TRUE(res.status.ok()) << res.status.ToString();
  ExpectNear(res.outputs[out::kY], {2, 2, 3},
             {0.20112592f, 0.45286041f, 0.80842507f, 0.59567153f, 0.2619998f, 0.22922856f, 0.27715868f, 0.5247152f,
              0.82300174f, 0.65812796f, 0.38217607f, 0.3401444f},
             1e-5f, 1e-5f);
}

}  // namespace
}  // namespace rnnlite::testing::seqrnn
