// TFLite's published UNIDIRECTIONAL_SEQUENCE_RNN and BIDIRECTIONAL_SEQUENCE_RNN
// vectors (RELU, 16 units, 8 inputs, 16 steps, two identical batch rows),
// imported with ImportTfliteRecurrentOps and run by the SequenceRnn CPU
// reference. The numbers are facts transcribed from TensorFlow Lite's kernel
// tests (Apache-2.0): tensorflow/lite/kernels/unidirectional_sequence_rnn_test.cc
// (BlackBoxTest, TimeMajorBlackBoxTest) and
// tensorflow/lite/kernels/bidirectional_sequence_rnn_test.cc (ClosedBoxTest,
// ...TimeMajor, ...MergeOutputs, ...NoCrossLinking..., ...CrossLinkingAuxInputOnly)
// and tensorflow/lite/kernels/basic_rnn_test.cc (RnnOpTest.BlackBoxTest, the
// single-step RNN op); the files share the input, weights and bias, and
// recurrent weights of 0.1 times the identity.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/sequence_rnn.h"
#include "tflite_golden_util.h"

namespace rnnlite::testing {
namespace {

const std::vector<float> kRnnInput = {
    0.23689353f, 0.285385f, 0.037029743f, -0.19858193f, -0.27569133f, 0.43773448f, 0.60379338f, 0.35562468f,
    -0.69424844f, -0.93421471f, -0.87287879f, 0.37144363f, -0.62476718f, 0.23791671f, 0.40060222f, 0.1356622f,
    -0.99774903f, -0.98858172f, -0.38952237f, -0.47685933f, 0.31073618f, 0.71511042f, -0.63767755f, -0.31729108f,
    0.33468103f, 0.75801885f, 0.30660987f, -0.37354088f, 0.77002847f, -0.62747043f, -0.68572164f, 0.0069220066f,
    0.65791464f, 0.35130811f, 0.80834007f, -0.61777675f, -0.21095741f, 0.41213346f, 0.73784804f, 0.094794154f,
    0.47791874f, 0.86496925f, -0.53376222f, 0.85315156f, 0.10288584f, 0.86684f, -0.011186242f, 0.10513687f,
    0.87825835f, 0.59929144f, 0.62827742f, 0.18899453f, 0.31440187f, 0.99059987f, 0.87170351f, -0.35091716f,
    0.74861872f, 0.17831337f, 0.2755419f, 0.51864719f, 0.55084288f, 0.58982027f, -0.47443086f, 0.20875752f,
    -0.058871567f, -0.66609079f, 0.59098077f, 0.73017097f, 0.74604273f, 0.32882881f, -0.17503482f, 0.22396147f,
    0.19379807f, 0.29120302f, 0.077113032f, -0.70331609f, 0.15804303f, -0.93407321f, 0.40182066f, 0.036301374f,
    0.66521823f, 0.0300982f, -0.7747041f, -0.02038002f, 0.020698071f, -0.90300065f, 0.62870288f, -0.23068321f,
    0.27531278f, -0.095755219f, -0.712036f, -0.17384434f, -0.50593495f, -0.18646687f, -0.96508682f, 0.43519354f,
    0.14744234f, 0.62589407f, 0.1653645f, -0.10651493f, -0.045277178f, 0.99032974f, -0.88255352f, -0.85147917f,
    0.28153265f, 0.19455957f, -0.55479527f, -0.56042433f, 0.26048636f, 0.84702539f, 0.47587705f, -0.074295521f,
    -0.12287641f, 0.70117295f, 0.90532446f, 0.89782166f, 0.79817224f, 0.53402734f, -0.33286154f, 0.073485017f,
    -0.56172788f, -0.044897556f, 0.89964068f, -0.067662835f, 0.76863563f, 0.93455386f, -0.6324693f, -0.083922029f};

const std::vector<float> kRnnWeights = {
    0.461459f, 0.153381f, 0.529743f, -0.00371218f, 0.676267f, -0.211346f, 0.317493f, 0.969689f,
    -0.343251f, 0.186423f, 0.398151f, 0.152399f, 0.448504f, 0.317662f, 0.523556f, -0.323514f,
    0.480877f, 0.333113f, -0.757714f, -0.674487f, -0.643585f, 0.217766f, -0.0251462f, 0.79512f,
    -0.595574f, -0.422444f, 0.371572f, -0.452178f, -0.556069f, -0.482188f, -0.685456f, -0.727851f,
    0.841829f, 0.551535f, -0.232336f, 0.729158f, -0.00294906f, -0.69754f, 0.766073f, -0.178424f,
    0.369513f, -0.423241f, 0.548547f, -0.0152023f, -0.757482f, -0.85491f, 0.251331f, -0.989183f,
    0.306261f, -0.340716f, 0.886103f, -0.0726757f, -0.723523f, -0.784303f, 0.0354295f, 0.566564f,
    -0.485469f, -0.620498f, 0.832546f, 0.697884f, -0.279115f, 0.294415f, -0.584313f, 0.548772f,
    0.0648819f, 0.968726f, 0.723834f, -0.0080452f, -0.350386f, -0.272803f, 0.115121f, -0.412644f,
    -0.824713f, -0.992843f, -0.592904f, -0.417893f, 0.863791f, -0.423461f, -0.147601f, -0.770664f,
    -0.479006f, 0.654782f, 0.587314f, -0.639158f, 0.816969f, -0.337228f, 0.659878f, 0.73107f,
    0.754768f, -0.337042f, 0.0960841f, 0.368357f, 0.244191f, -0.817703f, -0.211223f, 0.442012f,
    0.37225f, -0.623598f, -0.405423f, 0.455101f, 0.673656f, -0.145345f, -0.511346f, -0.901675f,
    -0.81252f, -0.127006f, 0.809865f, -0.721884f, 0.636255f, 0.868989f, -0.347973f, -0.10179f,
    -0.777449f, 0.917274f, 0.819286f, 0.206218f, -0.00785118f, 0.167141f, 0.45872f, 0.972934f,
    -0.276798f, 0.837861f, 0.747958f, -0.0151566f, -0.330057f, -0.469077f, 0.277308f, 0.415818f};

const std::vector<float> kRnnBias = {
    0.065691948f, -0.69055247f, 0.1107955f, -0.97084129f, -0.23957068f, -0.23566568f, -0.389184f, 0.47481549f,
    -0.4791103f, 0.29931796f, 0.10463274f, 0.83918178f, 0.37197268f, 0.61957061f, 0.3956964f, -0.37609905f};

const std::vector<float> kRnnFwGolden = {
    0.496726f, 0.0f, 0.965996f, 0.0f, 0.0584254f, 0.0f, 0.0f, 0.12315f,
    0.0f, 0.0f, 0.612266f, 0.456601f, 0.0f, 0.52286f, 1.16099f, 0.0291232f,
    0.0f, 0.0f, 0.524901f, 0.0f, 0.0f, 0.0f, 0.0f, 1.02116f,
    0.0f, 1.35762f, 0.0f, 0.356909f, 0.436415f, 0.0355727f, 0.0f, 0.0f,
    0.0f, 0.0f, 0.0f, 0.262335f, 0.0f, 0.0f, 0.0f, 1.33992f,
    0.0f, 2.9739f, 0.0f, 0.0f, 1.31914f, 2.66147f, 0.0f, 0.0f,
    0.942568f, 0.0f, 0.0f, 0.0f, 0.025507f, 0.0f, 0.0f, 0.0f,
    0.321429f, 0.569141f, 1.25274f, 1.57719f, 0.8158f, 1.21805f, 0.586239f, 0.25427f,
    1.04436f, 0.0f, 0.630725f, 0.0f, 0.133801f, 0.210693f, 0.363026f, 0.0f,
    0.533426f, 0.0f, 1.25926f, 0.722707f, 0.0f, 1.22031f, 1.30117f, 0.495867f,
    0.222187f, 0.0f, 0.72725f, 0.0f, 0.767003f, 0.0f, 0.0f, 0.147835f,
    0.0f, 0.0f, 0.0f, 0.608758f, 0.469394f, 0.00720298f, 0.927537f, 0.0f,
    0.856974f, 0.424257f, 0.0f, 0.0f, 0.937329f, 0.0f, 0.0f, 0.0f,
    0.476425f, 0.0f, 0.566017f, 0.418462f, 0.141911f, 0.996214f, 1.13063f, 0.0f,
    0.967899f, 0.0f, 0.0f, 0.0f, 0.0831304f, 0.0f, 0.0f, 1.00378f,
    0.0f, 0.0f, 0.0f, 1.44818f, 1.01768f, 0.943891f, 0.502745f, 0.0f,
    0.940135f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 2.13243f,
    0.0f, 0.71208f, 0.123918f, 1.53907f, 1.30225f, 1.59644f, 0.70222f, 0.0f,
    0.804329f, 0.0f, 0.430576f, 0.0f, 0.505872f, 0.509603f, 0.343448f, 0.0f,
    0.107756f, 0.614544f, 1.44549f, 1.52311f, 0.0454298f, 0.300267f, 0.562784f, 0.395095f,
    0.228154f, 0.0f, 0.675323f, 0.0f, 1.70536f, 0.766217f, 0.0f, 0.0f,
    0.0f, 0.735363f, 0.0759267f, 1.91017f, 0.941888f, 0.0f, 0.0f, 0.0f,
    0.0f, 0.0f, 1.5909f, 0.0f, 0.0f, 0.0f, 0.0f, 0.5755f,
    0.0f, 0.184687f, 0.0f, 1.56296f, 0.625285f, 0.0f, 0.0f, 0.0f,
    0.0f, 0.0f, 0.0857888f, 0.0f, 0.0f, 0.0f, 0.0f, 0.488383f,
    0.252786f, 0.0f, 0.0f, 0.0f, 1.02817f, 1.85665f, 0.0f, 0.0f,
    0.00981836f, 0.0f, 1.06371f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    0.0f, 0.290445f, 0.316406f, 0.0f, 0.304161f, 1.25079f, 0.0707152f, 0.0f,
    0.986264f, 0.309201f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.64896f,
    0.346248f, 0.0f, 0.918175f, 0.78884f, 0.524981f, 1.92076f, 2.07013f, 0.333244f,
    0.415153f, 0.210318f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 2.02616f,
    0.0f, 0.728256f, 0.84183f, 0.0907453f, 0.628881f, 3.58099f, 1.49974f, 0.0f};

const std::vector<float> kRnnBwGolden = {
    0.496726f, 0.0f, 1.00883f, 0.0f, 0.0584256f, 0.0f, 0.0f, 0.236412f,
    0.0f, 0.0f, 0.612267f, 0.487726f, 0.0f, 0.54883f, 1.16099f, 0.0291233f,
    0.0f, 0.0f, 0.428302f, 0.0f, 0.0f, 0.0f, 0.0f, 1.13262f,
    0.0f, 1.64415f, 0.0f, 0.311249f, 0.570804f, 0.259696f, 0.0f, 0.0f,
    0.0f, 0.0f, 0.0f, 0.262334f, 0.0f, 0.0f, 0.0f, 1.23781f,
    0.0f, 2.86532f, 0.0f, 0.0f, 1.34389f, 2.76409f, 0.0f, 0.0f,
    1.03969f, 0.0f, 0.00410865f, 0.0f, 0.0470295f, 0.0f, 0.0f, 0.0f,
    0.371556f, 0.27175f, 1.36614f, 1.63956f, 0.683887f, 1.06176f, 0.719552f, 0.301314f,
    0.971195f, 0.0f, 0.697143f, 0.0f, 0.215219f, 0.210693f, 0.363027f, 0.0f,
    0.501283f, 0.0f, 1.13399f, 0.623774f, 0.0f, 1.09851f, 1.33313f, 0.470441f,
    0.210965f, 0.0f, 0.664178f, 0.0f, 0.839686f, 0.0f, 0.0f, 0.147834f,
    0.0f, 0.0f, 0.0f, 0.58786f, 0.490128f, 0.0f, 0.905806f, 0.0f,
    0.932134f, 0.424257f, 0.0f, 0.0f, 0.860629f, 0.0f, 0.0f, 0.0f,
    0.476425f, 0.0f, 0.566017f, 0.513721f, 0.207341f, 1.09508f, 1.08385f, 0.0f,
    0.973787f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.20698f,
    0.0f, 0.0f, 0.0f, 1.56135f, 1.12369f, 0.99588f, 0.459803f, 0.0f,
    0.915854f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 2.03206f,
    0.0f, 0.773264f, 0.267228f, 1.55012f, 1.202f, 1.51611f, 0.701202f, 0.0f,
    0.725088f, 0.0f, 0.509069f, 0.0f, 0.671349f, 0.581129f, 0.343447f, 0.0f,
    0.107755f, 0.611838f, 1.4331f, 1.55871f, 0.015242f, 0.140624f, 0.492562f, 0.395095f,
    0.147722f, 0.0f, 0.784925f, 0.0f, 1.65477f, 0.715257f, 0.0f, 0.0f,
    0.0f, 0.685024f, 0.0f, 1.89505f, 1.00037f, 0.0f, 0.0f, 0.0f,
    0.0f, 0.0f, 1.52659f, 0.0f, 0.0f, 0.0f, 0.0f, 0.618583f,
    0.0f, 0.11115f, 0.0f, 1.37194f, 0.630225f, 0.0f, 0.0f, 0.0f,
    0.0f, 0.0f, 0.0322124f, 0.0f, 0.0f, 0.0f, 0.0f, 0.430834f,
    0.252786f, 0.0f, 0.0f, 0.0f, 0.991297f, 1.98451f, 0.0f, 0.0f,
    0.111511f, 0.0f, 1.05513f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
    0.0f, 0.290445f, 0.412559f, 0.0429958f, 0.256564f, 1.27858f, 0.289948f, 0.0f,
    1.01693f, 0.327141f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.83508f,
    0.346248f, 0.0f, 0.961535f, 0.790026f, 0.552203f, 2.13457f, 2.19233f, 0.333244f,
    0.316526f, 0.179398f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.86126f,
    0.0f, 0.728256f, 0.750013f, 0.011861f, 0.576383f, 3.38891f, 1.29273f, 0.0f};

constexpr float kTol = 1e-5f;
constexpr int kUnits = 16, kInputSize = 8, kSteps = 16, kBatch = 2;

std::vector<float> RecurrentWeights() {
  std::vector<float> r(static_cast<size_t>(kUnits * kUnits), 0.0f);
  for (int i = 0; i < kUnits; ++i) r[static_cast<size_t>(i * kUnits + i)] = 0.1f;
  return r;
}

Shape SeqShape(bool time_major, int k) {
  return time_major ? Shape{kSteps, kBatch, k} : Shape{kBatch, kSteps, k};
}

std::vector<float> TwoRows(const std::vector<float>& row, bool time_major, int k) {
  return time_major ? TimeMajor({row, row}, k) : BatchMajor({row, row});
}

// [x, W, R, b, h] for one direction.
std::vector<int> AddDirection(GraphBuilder& b, const std::string& pre, const std::vector<float>& w) {
  return {b.Constant(pre + "weights", ConstF32({kUnits, kInputSize}, w)),
          b.Constant(pre + "recurrent_weights", ConstF32({kUnits, kUnits}, RecurrentWeights())),
          b.Constant(pre + "bias", ConstF32({kUnits}, kRnnBias)),
          b.Variable(pre + "hidden_state", DType::kFloat32, {kBatch, kUnits})};
}

void CheckUni(bool time_major) {
  GraphBuilder b;
  const int x = b.Input("input", DType::kFloat32, SeqShape(time_major, kInputSize));
  std::vector<int> in = {x};
  for (int t : AddDirection(b, "", kRnnWeights)) in.push_back(t);
  const int y = b.Tensor("output", DType::kFloat32);
  b.Output(y);
  AttrMap a;
  a.SetInt("time_major", time_major ? 1 : 0);
  a.SetInt("fused_activation_function", kTfliteActRelu);
  a.SetInt("asymmetric_quantize_inputs", 0);
  b.AddNode(Op::kUnidirectionalSequenceRnn, in, {y}, a);
  Runner r(b);
  ASSERT_TRUE(r.status().ok()) << r.status().ToString();
  ASSERT_TRUE(r.Feed(x, TwoRows(kRnnInput, time_major, kInputSize)));
  ASSERT_TRUE(r.interp().Invoke().ok());
  EXPECT_EQ(r.ShapeOf(y), SeqShape(time_major, kUnits));
  ExpectNear(r.Fetch(y), TwoRows(kRnnFwGolden, time_major, kUnits), kTol);
}

TEST(TfliteGoldenRnn, UnidirectionalBatchMajor) { CheckUni(false); }
TEST(TfliteGoldenRnn, UnidirectionalTimeMajor) { CheckUni(true); }

// The single-step RNN builtin, one Invoke per step (its first 8 steps).
TEST(TfliteGoldenRnn, SingleStepRnnOp) {
  GraphBuilder b;
  const int x = b.Input("input", DType::kFloat32, {kBatch, kInputSize});
  std::vector<int> in = {x};
  for (int t : AddDirection(b, "", kRnnWeights)) in.push_back(t);
  const int y = b.Tensor("output", DType::kFloat32);
  b.Output(y);
  AttrMap a;
  a.SetInt("fused_activation_function", kTfliteActRelu);
  b.AddNode(Op::kRnn, in, {y}, a);
  Runner r(b);
  ASSERT_TRUE(r.status().ok()) << r.status().ToString();
  for (int t = 0; t < 8; ++t) {
    const auto step = [&](const std::vector<float>& v, int k) {
      return std::vector<float>(v.begin() + t * k, v.begin() + (t + 1) * k);
    };
    ASSERT_TRUE(r.Feed(x, TimeMajor({step(kRnnInput, kInputSize), step(kRnnInput, kInputSize)}, kInputSize)));
    ASSERT_TRUE(r.interp().Invoke().ok());
    EXPECT_EQ(r.ShapeOf(y), (Shape{kBatch, kUnits}));
    ExpectNear(r.Fetch(y), TimeMajor({step(kRnnFwGolden, kUnits), step(kRnnFwGolden, kUnits)}, kUnits), kTol,
               "step " + std::to_string(t));
  }
}

enum class Aux { kNone, kBackwardInput, kCrossLinked };

struct BidiRnnRun {
  std::vector<float> fw, bw;
  size_t sequence_rnn_nodes = 0;
};

// A BIDIRECTIONAL_SEQUENCE_RNN node with both directions' weights `w`
// (`aux_w` for the auxiliary input when cross-linked).
BidiRnnRun RunBidi(bool time_major, bool merge, Aux aux, const std::vector<float>& x_row,
                   const std::vector<float>& aux_row, const std::vector<float>& w, const std::vector<float>& aux_w) {
  GraphBuilder b;
  const int x = b.Input("input", DType::kFloat32, SeqShape(time_major, kInputSize));
  std::vector<int> in = {x};
  for (const char* pre : {"fw_", "bw_"}) {
    for (int t : AddDirection(b, pre, w)) in.push_back(t);
  }
  const int ax = aux == Aux::kNone ? kNoTensor : b.Input("aux_input", DType::kFloat32, SeqShape(time_major, kInputSize));
  in.push_back(ax);
  for (const char* pre : {"fw_", "bw_"}) {
    in.push_back(aux == Aux::kCrossLinked ? b.Constant(std::string(pre) + "aux_weights",
                                                       ConstF32({kUnits, kInputSize}, aux_w))
                                          : kNoTensor);
  }
  std::vector<int> outs = {b.Tensor("fw_output", DType::kFloat32)};
  if (!merge) outs.push_back(b.Tensor("bw_output", DType::kFloat32));
  for (int o : outs) b.Output(o);
  AttrMap a;
  a.SetInt("time_major", time_major ? 1 : 0);
  a.SetInt("fused_activation_function", kTfliteActRelu);
  a.SetInt("merge_outputs", merge ? 1 : 0);
  a.SetInt("asymmetric_quantize_inputs", 0);
  b.AddNode(Op::kBidirectionalSequenceRnn, in, outs, a);
  BidiRnnRun out;
  Runner r(b);
  EXPECT_TRUE(r.status().ok()) << r.status().ToString();
  if (!r.status().ok()) return out;
  for (const Node& n : r.interp().subgraph().nodes) out.sequence_rnn_nodes += n.is_custom(kSequenceRnnCustomCode);
  EXPECT_TRUE(r.Feed(x, TwoRows(x_row, time_major, kInputSize)));
  if (ax != kNoTensor) {
    EXPECT_TRUE(r.Feed(ax, TwoRows(aux_row, time_major, kInputSize)));
  }
  EXPECT_TRUE(r.interp().Invoke().ok());
  if (merge) {
    const std::vector<float> y = r.Fetch(outs[0]);
    EXPECT_EQ(r.ShapeOf(outs[0]), SeqShape(time_major, 2 * kUnits));
    for (size_t row = 0; row < y.size() / (2 * kUnits); ++row) {
      auto at = [&](size_t k) { return y.begin() + static_cast<std::ptrdiff_t>(k); };
      out.fw.insert(out.fw.end(), at(row * 2 * kUnits), at(row * 2 * kUnits + kUnits));
      out.bw.insert(out.bw.end(), at(row * 2 * kUnits + kUnits), at((row + 1) * 2 * kUnits));
    }
  } else {
    out.fw = r.Fetch(outs[0]);
    out.bw = r.Fetch(outs[1]);
  }
  return out;
}

void CheckBidi(bool time_major, bool merge) {
  BidiRnnRun r = RunBidi(time_major, merge, Aux::kNone, kRnnInput, {}, kRnnWeights, {});
  EXPECT_EQ(r.sequence_rnn_nodes, 1u);
  ExpectNear(r.fw, TwoRows(kRnnFwGolden, time_major, kUnits), kTol, "fw");
  ExpectNear(r.bw, TwoRows(kRnnBwGolden, time_major, kUnits), kTol, "bw");
}

TEST(TfliteGoldenRnn, BidirectionalBatchMajor) { CheckBidi(false, false); }
TEST(TfliteGoldenRnn, BidirectionalTimeMajor) { CheckBidi(true, false); }
TEST(TfliteGoldenRnn, BidirectionalMergeOutputs) { CheckBidi(false, true); }
TEST(TfliteGoldenRnn, BidirectionalTimeMajorMergeOutputs) { CheckBidi(true, true); }

// No cross-linking: the auxiliary input is the backward direction's input.
TEST(TfliteGoldenRnn, AuxInputWithoutWeightsIsBackwardInput) {
  const std::vector<float> zeros(kRnnInput.size(), 0.0f);
  BidiRnnRun both = RunBidi(true, false, Aux::kBackwardInput, kRnnInput, kRnnInput, kRnnWeights, {});
  EXPECT_EQ(both.sequence_rnn_nodes, 2u);
  ExpectNear(both.fw, TwoRows(kRnnFwGolden, true, kUnits), kTol, "fw");
  ExpectNear(both.bw, TwoRows(kRnnBwGolden, true, kUnits), kTol, "bw");
  BidiRnnRun fw_only = RunBidi(true, false, Aux::kBackwardInput, kRnnInput, zeros, kRnnWeights, {});
  ExpectNear(fw_only.fw, TwoRows(kRnnFwGolden, true, kUnits), kTol, "fw with zero aux");
  BidiRnnRun bw_only = RunBidi(true, true, Aux::kBackwardInput, zeros, kRnnInput, kRnnWeights, {});
  ExpectNear(bw_only.bw, TwoRows(kRnnBwGolden, true, kUnits), kTol, "merged bw with zero input");
}

// Cross-linking with the input zeroed and its weights zero: the auxiliary
// input and weights alone reproduce the goldens.
TEST(TfliteGoldenRnn, CrossLinkedAuxInputOnly) {
  const std::vector<float> zeros(kRnnInput.size(), 0.0f), zero_w(kRnnWeights.size(), 0.0f);
  for (bool time_major : {false, true}) {
    BidiRnnRun r = RunBidi(time_major, false, Aux::kCrossLinked, zeros, kRnnInput, zero_w, kRnnWeights);
    EXPECT_EQ(r.sequence_rnn_nodes, 1u);
    ExpectNear(r.fw, TwoRows(kRnnFwGolden, time_major, kUnits), kTol, "fw");
    ExpectNear(r.bw, TwoRows(kRnnBwGolden, time_major, kUnits), kTol, "bw");
  }
}

}  // namespace
}  // namespace rnnlite::testing
