// Builders for TFLite-form recurrent nodes (the way a .tflite file holds
// them) and small run helpers, shared by the tflite_golden_*_test suites.
// Model::FromGraph (GraphBuilder::Build) runs ImportTfliteRecurrentOps, so a
// graph built here executes through the canonical SequenceRnn kernel.
#pragma once

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "rnnlite/interpreter.h"
#include "rnnlite/model.h"
#include "support/test_util.h"

namespace rnnlite::testing {

// TFLite's activation enum values (schema ActivationFunctionType).
inline constexpr int64_t kTfliteActNone = 0;
inline constexpr int64_t kTfliteActRelu = 1;
inline constexpr int64_t kTfliteActTanh = 4;

// One direction of a TFLite LSTM, tensor by tensor (lstm_shared.h order).
// Empty vectors are absent (-1) inputs.
struct TfliteLstmCell {
  std::vector<float> input_to_input, input_to_forget, input_to_cell, input_to_output;
  std::vector<float> recurrent_to_input, recurrent_to_forget, recurrent_to_cell, recurrent_to_output;
  std::vector<float> cell_to_input, cell_to_forget, cell_to_output;
  std::vector<float> input_gate_bias, forget_gate_bias, cell_gate_bias, output_gate_bias;
  std::vector<float> projection_weights, projection_bias;
  std::vector<float> input_layer_norm, forget_layer_norm, cell_layer_norm, output_layer_norm;
  bool diagonal_recurrent = false;  // recurrent_to_* are [n_cell] vectors
};

inline int AddOptionalConstant(GraphBuilder& b, const std::string& name, const std::vector<float>& v,
                               const Shape& shape) {
  if (v.empty()) return kNoTensor;
  return b.Constant(name, ConstF32(shape, v));
}

// The 17 per-direction inputs (TFLite input slots 1..17 of the
// unidirectional op, or the fw/bw halves of the bidirectional one).
inline std::vector<int> AddLstmCellInputs(GraphBuilder& b, const std::string& prefix, const TfliteLstmCell& c,
                                          int n_input, int n_cell, int n_output) {
  const Shape iw = {n_cell, n_input};
  const Shape rw = c.diagonal_recurrent ? Shape{n_cell} : Shape{n_cell, n_output};
  const Shape vec = {n_cell};
  return {
      AddOptionalConstant(b, prefix + "input_to_input", c.input_to_input, iw),
      AddOptionalConstant(b, prefix + "input_to_forget", c.input_to_forget, iw),
      AddOptionalConstant(b, prefix + "input_to_cell", c.input_to_cell, iw),
      AddOptionalConstant(b, prefix + "input_to_output", c.input_to_output, iw),
      AddOptionalConstant(b, prefix + "recurrent_to_input", c.recurrent_to_input, rw),
      AddOptionalConstant(b, prefix + "recurrent_to_forget", c.recurrent_to_forget, rw),
      AddOptionalConstant(b, prefix + "recurrent_to_cell", c.recurrent_to_cell, rw),
      AddOptionalConstant(b, prefix + "recurrent_to_output", c.recurrent_to_output, rw),
      AddOptionalConstant(b, prefix + "cell_to_input", c.cell_to_input, vec),
      AddOptionalConstant(b, prefix + "cell_to_forget", c.cell_to_forget, vec),
      AddOptionalConstant(b, prefix + "cell_to_output", c.cell_to_output, vec),
      AddOptionalConstant(b, prefix + "input_gate_bias", c.input_gate_bias, vec),
      AddOptionalConstant(b, prefix + "forget_gate_bias", c.forget_gate_bias, vec),
      AddOptionalConstant(b, prefix + "cell_gate_bias", c.cell_gate_bias, vec),
      AddOptionalConstant(b, prefix + "output_gate_bias", c.output_gate_bias, vec),
      AddOptionalConstant(b, prefix + "projection_weights", c.projection_weights, {n_output, n_cell}),
      AddOptionalConstant(b, prefix + "projection_bias", c.projection_bias, {n_output}),
  };
}

struct UniLstmConfig {
  int n_batch = 1, n_input = 0, n_cell = 0, n_output = 0, seq_len = 0;
  bool time_major = true;
  float cell_clip = 0.0f, proj_clip = 0.0f;
  int64_t activation = kTfliteActTanh;
  bool legacy_20_inputs = false;
  bool flat_states = true;  // [B * X] states as TFLite's own tests declare them
};

struct BuiltGraph {
  int x = kNoTensor;
  int aux_x = kNoTensor;
  std::vector<int> outputs;
  std::vector<int> states;
};

// A graph with one UNIDIRECTIONAL_SEQUENCE_LSTM node in TFLite form.
inline BuiltGraph BuildUniLstm(GraphBuilder& b, const TfliteLstmCell& c, const UniLstmConfig& cfg) {
  BuiltGraph g;
  const int T = cfg.seq_len, B = cfg.n_batch;
  g.x = b.Input("input", DType::kFloat32, cfg.time_major ? Shape{T, B, cfg.n_input} : Shape{B, T, cfg.n_input});
  std::vector<int> in = {g.x};
  for (int t : AddLstmCellInputs(b, "", c, cfg.n_input, cfg.n_cell, cfg.n_output)) in.push_back(t);
  const int h = b.Variable("output_state", DType::kFloat32,
                           cfg.flat_states ? Shape{B * cfg.n_output} : Shape{B, cfg.n_output});
  const int s = b.Variable("cell_state", DType::kFloat32, cfg.flat_states ? Shape{B * cfg.n_cell} : Shape{B, cfg.n_cell});
  in.push_back(h);
  in.push_back(s);
  g.states = {h, s};
  if (!cfg.legacy_20_inputs) {
    const Shape vec = {cfg.n_cell};
    in.push_back(AddOptionalConstant(b, "input_layer_norm", c.input_layer_norm, vec));
    in.push_back(AddOptionalConstant(b, "forget_layer_norm", c.forget_layer_norm, vec));
    in.push_back(AddOptionalConstant(b, "cell_layer_norm", c.cell_layer_norm, vec));
    in.push_back(AddOptionalConstant(b, "output_layer_norm", c.output_layer_norm, vec));
  }
  const int y = b.Tensor("output", DType::kFloat32);
  b.Output(y);
  g.outputs = {y};
  AttrMap a;
  a.SetInt("fused_activation_function", cfg.activation);
  a.SetFloat("cell_clip", cfg.cell_clip);
  a.SetFloat("proj_clip", cfg.proj_clip);
  a.SetInt("time_major", cfg.time_major ? 1 : 0);
  a.SetInt("asymmetric_quantize_inputs", 0);
  a.SetInt("diagonal_recurrent_tensors", c.diagonal_recurrent ? 1 : 0);
  b.AddNode(Op::kUnidirectionalSequenceLstm, in, {y}, a);
  return g;
}

// A graph with one single-step LSTM node (builtin LSTM, full kernel):
// input [B, I], output [B, X]; `cfg.seq_len` is ignored.
inline BuiltGraph BuildLstmStep(GraphBuilder& b, const TfliteLstmCell& c, const UniLstmConfig& cfg) {
  BuiltGraph g;
  const int B = cfg.n_batch;
  g.x = b.Input("input", DType::kFloat32, {B, cfg.n_input});
  std::vector<int> in = {g.x};
  for (int t : AddLstmCellInputs(b, "", c, cfg.n_input, cfg.n_cell, cfg.n_output)) in.push_back(t);
  g.states = {b.Variable("output_state", DType::kFloat32, {B, cfg.n_output}),
              b.Variable("cell_state", DType::kFloat32, {B, cfg.n_cell})};
  in.insert(in.end(), g.states.begin(), g.states.end());
  if (!cfg.legacy_20_inputs) {
    const Shape vec = {cfg.n_cell};
    in.push_back(AddOptionalConstant(b, "input_layer_norm", c.input_layer_norm, vec));
    in.push_back(AddOptionalConstant(b, "forget_layer_norm", c.forget_layer_norm, vec));
    in.push_back(AddOptionalConstant(b, "cell_layer_norm", c.cell_layer_norm, vec));
    in.push_back(AddOptionalConstant(b, "output_layer_norm", c.output_layer_norm, vec));
  }
  const int y = b.Tensor("output", DType::kFloat32);
  b.Output(y);
  g.outputs = {y};
  AttrMap a;
  a.SetInt("fused_activation_function", cfg.activation);
  a.SetFloat("cell_clip", cfg.cell_clip);
  a.SetFloat("proj_clip", cfg.proj_clip);
  a.SetInt("kernel_type", 0);
  a.SetInt("asymmetric_quantize_inputs", 0);
  b.AddNode(Op::kLstm, in, {y}, a);
  return g;
}

struct BidiLstmConfig {
  int n_batch = 1, n_input = 0, n_cell = 0, n_output = 0, seq_len = 0;
  bool time_major = true;
  bool merge_outputs = false;
  float cell_clip = 0.0f, proj_clip = 0.0f;
  int64_t activation = kTfliteActTanh;
  int aux_input_size = 0;  // 0: no auxiliary input
  // Auxiliary weights per direction, gates i, f, c, o, each [n_cell, aux];
  // empty: the auxiliary input (if any) is the backward direction's input.
  std::vector<std::vector<float>> fw_aux_weights, bw_aux_weights;
};

// A graph with one BIDIRECTIONAL_SEQUENCE_LSTM node in TFLite form (48 inputs).
inline BuiltGraph BuildBidiLstm(GraphBuilder& b, const TfliteLstmCell& fw, const TfliteLstmCell& bw,
                                const BidiLstmConfig& cfg) {
  BuiltGraph g;
  const int T = cfg.seq_len, B = cfg.n_batch;
  auto seq_shape = [&](int k) { return cfg.time_major ? Shape{T, B, k} : Shape{B, T, k}; };
  g.x = b.Input("input", DType::kFloat32, seq_shape(cfg.n_input));
  std::vector<int> in = {g.x};
  for (int t : AddLstmCellInputs(b, "fw_", fw, cfg.n_input, cfg.n_cell, cfg.n_output)) in.push_back(t);
  for (int t : AddLstmCellInputs(b, "bw_", bw, cfg.n_input, cfg.n_cell, cfg.n_output)) in.push_back(t);
  for (const char* name : {"fw_h", "fw_c", "bw_h", "bw_c"}) {
    const bool h = name[3] == 'h';
    const int v = b.Variable(name, DType::kFloat32, {B * (h ? cfg.n_output : cfg.n_cell)});
    in.push_back(v);
    g.states.push_back(v);
  }
  if (cfg.aux_input_size > 0) {
    g.aux_x = b.Input("aux_input", DType::kFloat32, seq_shape(cfg.aux_input_size));
  }
  in.push_back(g.aux_x);
  for (const auto* weights : {&cfg.fw_aux_weights, &cfg.bw_aux_weights}) {
    for (size_t k = 0; k < 4; ++k) {
      const std::vector<float> empty;
      const std::vector<float>& w = k < weights->size() ? (*weights)[k] : empty;
      in.push_back(AddOptionalConstant(b, "aux_w" + std::to_string(in.size()), w, {cfg.n_cell, cfg.aux_input_size}));
    }
  }
  const int y_fw = b.Tensor("fw_output", DType::kFloat32);
  b.Output(y_fw);
  g.outputs = {y_fw};
  if (!cfg.merge_outputs) {
    const int y_bw = b.Tensor("bw_output", DType::kFloat32);
    b.Output(y_bw);
    g.outputs.push_back(y_bw);
  }
  AttrMap a;
  a.SetInt("fused_activation_function", cfg.activation);
  a.SetFloat("cell_clip", cfg.cell_clip);
  a.SetFloat("proj_clip", cfg.proj_clip);
  a.SetInt("merge_outputs", cfg.merge_outputs ? 1 : 0);
  a.SetInt("time_major", cfg.time_major ? 1 : 0);
  a.SetInt("asymmetric_quantize_inputs", 0);
  b.AddNode(Op::kBidirectionalSequenceLstm, in, g.outputs, a);
  return g;
}

// The two small LSTM cells (n_input 2, n_cell = n_output 4) of TFLite's
// kernel tests, shared by the unidirectional and bidirectional suites.
// Transcribed from tensorflow/lite/kernels/unidirectional_sequence_lstm_test.cc
// (NoCifgNoPeepholeNoProjectionNoClipping, CifgPeepholeNoProjectionNoClipping;
// TensorFlow, Apache-2.0).
inline TfliteLstmCell NoCifgNoPeepholeCell() {
  TfliteLstmCell c;
  c.input_to_input = {-0.45018822f, -0.02338299f, -0.0870589f, -0.34550029f, 0.04266912f, -0.15680569f,
      -0.34856534f, 0.43890524f};
  c.input_to_forget = {0.09701663f, 0.20334584f, -0.50592935f, -0.31343272f, -0.40032279f, 0.44781327f,
      0.01387155f, -0.35593212f};
  c.input_to_cell = {-0.50013041f, 0.1370284f, 0.11810488f, 0.2013163f, -0.20583314f, 0.44344562f,
      0.22077113f, -0.29909778f};
  c.input_to_output = {-0.25065863f, -0.28290087f, 0.04613829f, 0.40525138f, 0.44272184f, 0.03897077f,
      -0.1556896f, 0.19487578f};
  c.recurrent_to_input = {-0.0063535f, -0.2042388f, 0.31454784f, -0.35746509f, 0.28902304f, 0.08183324f,
      -0.16555229f, 0.02286911f, -0.13566875f, 0.03034258f, 0.48091322f, -0.12528998f,
      0.24077177f, -0.51332325f, -0.33502164f, 0.10629296f};
  c.recurrent_to_forget = {-0.48684245f, -0.06655136f, 0.42224967f, 0.2112639f, 0.27654213f, 0.20864892f,
      -0.07646349f, 0.45877004f, 0.00141793f, -0.14609534f, 0.36447752f, 0.09196436f,
      0.28053468f, 0.01560611f, -0.20127171f, -0.01140004f};
  c.recurrent_to_cell = {-0.3407414f, 0.24443203f, -0.2078532f, 0.26320225f, 0.05695659f, -0.00123841f,
      -0.4744786f, -0.35869038f, -0.06418842f, -0.13502428f, -0.501764f, 0.22830659f,
      -0.46367589f, 0.26016325f, -0.03894562f, -0.16368064f};
  c.recurrent_to_output = {0.43385774f, -0.17194885f, 0.2718237f, 0.09215671f, 0.24107647f, -0.39835793f,
      0.18212086f, 0.01301402f, 0.48572797f, -0.50656658f, 0.20047462f, -0.20607421f,
      -0.51818722f, -0.15390486f, 0.0468148f, 0.39922136f};
  c.input_gate_bias = {0.0f, 0.0f, 0.0f, 0.0f};
  c.forget_gate_bias = {1.0f, 1.0f, 1.0f, 1.0f};
  c.cell_gate_bias = {0.0f, 0.0f, 0.0f, 0.0f};
  c.output_gate_bias = {0.0f, 0.0f, 0.0f, 0.0f};
  return c;
}

inline TfliteLstmCell CifgPeepholeCell() {
  TfliteLstmCell c;
  c.input_to_forget = {-0.55291498f, -0.42866567f, 0.13056988f, -0.3633365f, -0.22755712f, 0.28253698f,
      0.24407166f, 0.33826375f};
  c.input_to_cell = {-0.49770179f, -0.27711356f, -0.09624726f, 0.05100781f, 0.04717243f, 0.48944736f,
      -0.38535351f, -0.17212132f};
  c.input_to_output = {0.10725588f, -0.02335852f, -0.55932593f, -0.09426838f, -0.44257352f, 0.54939759f,
      0.01533556f, 0.42751634f};
  c.recurrent_to_forget = {-0.13832897f, -0.0515101f, -0.2359007f, -0.16661474f, -0.14340827f, 0.36986142f,
      0.23414481f, 0.55899f, 0.10798943f, -0.41174671f, 0.17751795f, -0.34484994f,
      -0.35874045f, -0.11352962f, 0.27268326f, 0.54058349f};
  c.recurrent_to_cell = {0.54066205f, -0.32668582f, -0.43562764f, -0.56094903f, 0.42957711f, 0.01841056f,
      -0.32764608f, -0.33027974f, -0.10826075f, 0.20675004f, 0.19069612f, -0.03026325f,
      -0.54532051f, 0.33003211f, 0.44901288f, 0.21193194f};
  c.recurrent_to_output = {0.41613156f, 0.42610586f, -0.16495961f, -0.5663873f, 0.30579174f, -0.05115908f,
      -0.33941799f, 0.23364776f, 0.11178309f, 0.09481031f, -0.26424935f, 0.46261835f,
      0.50248802f, 0.26114327f, -0.43736315f, 0.33149987f};
  c.cell_to_forget = {0.47485286f, -0.51955009f, -0.24458408f, 0.31544167f};
  c.cell_to_output = {-0.17135078f, 0.82760304f, 0.85573703f, -0.77109635f};
  c.forget_gate_bias = {1.0f, 1.0f, 1.0f, 1.0f};
  c.cell_gate_bias = {0.0f, 0.0f, 0.0f, 0.0f};
  c.output_gate_bias = {0.0f, 0.0f, 0.0f, 0.0f};
  return c;
}

// Their input sequence (3 steps of 2) and forward outputs (3 steps of 4).
inline const std::vector<float> kInput3Steps = {2.0f, 3.0f, 3.0f, 4.0f, 1.0f, 1.0f};
inline const std::vector<float> kNoCifgNoPeepholeGolden = {
    -0.02973187f, 0.1229473f, 0.20885126f, -0.15358765f, -0.03716109f, 0.12507336f, 0.41193449f, -0.20860538f,
    -0.15053082f, 0.09120187f, 0.24278517f, -0.12222792f};
inline const std::vector<float> kCifgPeepholeGolden = {
    -0.36444446f, -0.00352185f, 0.12886585f, -0.05163646f, -0.42312205f, -0.01218222f, 0.24201041f, -0.08124574f,
    -0.358325f, -0.04621704f, 0.21641694f, -0.06471302f};

// Sequences given per batch row ([T * K] each) as one flat tensor.
inline std::vector<float> TimeMajor(const std::vector<std::vector<float>>& rows, int k) {
  const size_t B = rows.size(), T = rows.empty() ? 0 : rows[0].size() / static_cast<size_t>(k);
  std::vector<float> out;
  for (size_t t = 0; t < T; ++t) {
    for (size_t bi = 0; bi < B; ++bi) {
      out.insert(out.end(), rows[bi].begin() + static_cast<std::ptrdiff_t>(t * k),
                 rows[bi].begin() + static_cast<std::ptrdiff_t>((t + 1) * k));
    }
  }
  return out;
}

inline std::vector<float> BatchMajor(const std::vector<std::vector<float>>& rows) {
  std::vector<float> out;
  for (const auto& r : rows) out.insert(out.end(), r.begin(), r.end());
  return out;
}

// An interpreter over a built graph, with float feeds and fetches.
class Runner {
 public:
  explicit Runner(GraphBuilder& b) {
    auto model = b.Build();
    status_ = model.status();
    if (!status_.ok()) return;
    interp_ = std::make_unique<Interpreter>(*model);
    status_ = interp_->AllocateTensors();
  }
  const Status& status() const { return status_; }
  Interpreter& interp() { return *interp_; }

  ::testing::AssertionResult Feed(int tensor, const std::vector<float>& v) {
    Tensor* t = interp_->tensor(tensor);
    if (t == nullptr || t->bytes != v.size() * sizeof(float)) {
      return ::testing::AssertionFailure() << "feed size mismatch for tensor " << tensor;
    }
    std::memcpy(t->data, v.data(), t->bytes);
    return ::testing::AssertionSuccess();
  }
  std::vector<float> Fetch(int tensor) {
    const Tensor* t = interp_->tensor(tensor);
    std::vector<float> v(t->bytes / sizeof(float));
    if (!v.empty()) std::memcpy(v.data(), t->data, t->bytes);
    return v;
  }
  Shape ShapeOf(int tensor) { return interp_->tensor(tensor)->shape; }

 private:
  Status status_;
  std::unique_ptr<Interpreter> interp_;
};

inline void ExpectNear(const std::vector<float>& got, const std::vector<float>& want, float atol = 1e-5f,
                       const std::string& what = "") {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_NEAR(got[i], want[i], atol) << what << " at flat index " << i;
  }
}

}  // namespace rnnlite::testing
