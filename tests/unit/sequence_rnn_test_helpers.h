// Shared by the sequence_rnn_*_test.cc suites: build one SequenceRnn node in
// memory, run it through the Interpreter, make seeded random weights, and
// reorder ONNX gate blocks into rnnlite's canonical order.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/sequence_rnn.h"
#include "rnnlite/interpreter.h"
#include "support/test_util.h"

namespace rnnlite::testing::seqrnn {

namespace in = seq_rnn_input;
namespace out = seq_rnn_output;

// One SequenceRnn node: inputs by slot (Absent() where missing), which of
// the four outputs exist, and which state slots are variable tensors.
struct NodeSpec {
  AttrMap attrs;
  std::vector<TestTensor> inputs;
  std::vector<bool> outputs = {true, true, false, false};  // Y, Y_h, Y_c, Y_bw
  DType out_dtype = DType::kFloat32;
  // State slots that become variable tensors. Their initial value is
  // inputs[slot] (when that holds data), written after AllocateTensors.
  std::vector<int> variable_slots;
};

// A built graph + interpreter, for tests that invoke more than once.
class NodeRunner {
 public:
  explicit NodeRunner(const NodeSpec& spec) : spec_(spec) {
    GraphBuilder b;
    std::vector<int> ins;
    for (size_t i = 0; i < spec.inputs.size(); ++i) {
      const TestTensor& t = spec.inputs[i];
      const std::string name = "in" + std::to_string(i);
      if (IsVariable(static_cast<int>(i))) {
        ins.push_back(b.Variable(name, t.dtype, t.shape));
      } else if (t.dtype == DType::kVariant) {
        ins.push_back(kNoTensor);
      } else if (t.constant) {
        ins.push_back(b.Constant(name, t));
      } else {
        ins.push_back(b.Input(name, t.dtype, t.shape));
      }
    }
    inputs_ = ins;
    std::vector<int> outs;
    for (size_t i = 0; i < spec.outputs.size(); ++i) {
      if (!spec.outputs[i]) {
        outs.push_back(kNoTensor);
        continue;
      }
      int idx = b.Tensor("out" + std::to_string(i), spec.out_dtype);
      b.Output(idx);
      outs.push_back(idx);
    }
    while (!outs.empty() && outs.back() == kNoTensor) outs.pop_back();
    outputs_ = outs;
    b.AddCustomNode(kSequenceRnnCustomCode, ins, outs, spec.attrs);
    auto model = b.Build();
    if (!model.ok()) {
      status_ = model.status();
      return;
    }
    interp_ = std::make_unique<Interpreter>(*model);
    status_ = interp_->AllocateTensors();
    if (!status_.ok()) return;
    for (int slot : spec.variable_slots) {
      const TestTensor& t = spec.inputs[static_cast<size_t>(slot)];
      rnnlite::Tensor* v = interp_->tensor(inputs_[static_cast<size_t>(slot)]);
      if (!t.bytes.empty() && v->bytes == t.bytes.size()) std::memcpy(v->data, t.bytes.data(), t.bytes.size());
    }
  }

  const Status& status() const { return status_; }

  // Feeds every graph input (non-constant, non-variable) from `inputs`
  // (same slots as the spec; shapes must match the built graph) and invokes.
  Status Invoke(const std::vector<TestTensor>& inputs) {
    if (!status_.ok()) return status_;
    for (size_t i = 0; i < inputs_.size() && i < inputs.size(); ++i) {
      const TestTensor& t = spec_.inputs[i];
      if (inputs_[i] == kNoTensor || t.constant || IsVariable(static_cast<int>(i))) continue;
      rnnlite::Tensor* dst = interp_->tensor(inputs_[i]);
      if (dst->bytes != inputs[i].bytes.size()) return Internal("feed size mismatch for slot " + std::to_string(i));
      if (!inputs[i].bytes.empty()) std::memcpy(dst->data, inputs[i].bytes.data(), inputs[i].bytes.size());
    }
    return interp_->Invoke();
  }
  Status Invoke() { return Invoke(spec_.inputs); }

  TestTensor Output(int slot) const { return Read(slot < static_cast<int>(outputs_.size()) ? outputs_[slot] : -1); }
  TestTensor StateVariable(int slot) const { return Read(inputs_[static_cast<size_t>(slot)]); }
  Interpreter& interpreter() { return *interp_; }

 private:
  bool IsVariable(int slot) const {
    for (int s : spec_.variable_slots) {
      if (s == slot) return true;
    }
    return false;
  }
  TestTensor Read(int index) const {
    TestTensor t;
    if (index < 0) return t;
    const rnnlite::Tensor* src = interp_->tensor(index);
    t.dtype = src->dtype;
    t.shape = src->shape;
    t.bytes.assign(src->data, src->data + src->bytes);
    return t;
  }

  NodeSpec spec_;
  std::vector<int> inputs_, outputs_;
  Status status_;
  std::unique_ptr<Interpreter> interp_;
};

struct RunResult {
  Status status;
  std::vector<TestTensor> outputs;  // Y, Y_h, Y_c, Y_bw (empty where absent)
};

inline RunResult RunNode(const NodeSpec& spec) {
  RunResult r;
  NodeRunner runner(spec);
  r.status = runner.status();
  if (r.status.ok()) r.status = runner.Invoke();
  if (!r.status.ok()) return r;
  for (int i = 0; i < 4; ++i) r.outputs.push_back(runner.Output(i));
  return r;
}

inline AttrMap Attrs(const SequenceRnnParams& p) {
  AttrMap a;
  p.ToAttrs(&a);
  return a;
}

// Params with the default activations of the cell filled in.
inline SequenceRnnParams MakeParams(RnnCell cell, RnnDirection dir, int hidden, bool time_major = true) {
  AttrMap a;
  a.SetInt(seq_rnn_attr::kCell, static_cast<int64_t>(cell));
  a.SetInt(seq_rnn_attr::kDirection, static_cast<int64_t>(dir));
  a.SetInt(seq_rnn_attr::kHiddenSize, hidden);
  a.SetInt(seq_rnn_attr::kTimeMajor, time_major ? 1 : 0);
  return SequenceRnnParams::FromAttrs(a).value();
}

// Inputs vector of kCount absent slots.
inline std::vector<TestTensor> NoInputs() { return std::vector<TestTensor>(in::kCount, Absent()); }

// Reorders gate blocks of a [D, G*H, cols] (or [D, G*H] with cols = 1)
// tensor: block q of the result is block src[q] of the input.
inline std::vector<float> ReorderGates(const std::vector<float>& v, int dirs, int hidden, int cols,
                                       const std::vector<int>& src) {
  const size_t g = src.size();
  const size_t block = static_cast<size_t>(hidden) * static_cast<size_t>(cols);
  std::vector<float> outv(v.size());
  for (size_t d = 0; d < static_cast<size_t>(dirs); ++d) {
    for (size_t q = 0; q < g; ++q) {
      const float* from = v.data() + (d * g + static_cast<size_t>(src[q])) * block;
      std::copy(from, from + block, outv.data() + (d * g + q) * block);
    }
  }
  return outv;
}

// ONNX gate orders -> rnnlite's (docs/semantics.md):
// LSTM iofc -> ifgo; GRU zrh -> rzn; peephole iof -> ifo.
inline const std::vector<int> kFromOnnxLstm = {0, 2, 3, 1};
inline const std::vector<int> kFromOnnxGru = {1, 0, 2};
inline const std::vector<int> kFromOnnxPeephole = {0, 2, 1};

// Splits ONNX's B = [D, 2*G*H] (Wb then Rb per direction) into Wb and Rb.
inline void SplitOnnxBias(const std::vector<float>& b, int dirs, int gh, std::vector<float>* wb,
                          std::vector<float>* rb) {
  wb->clear();
  rb->clear();
  for (int d = 0; d < dirs; ++d) {
    const float* row = b.data() + static_cast<size_t>(d) * 2 * gh;
    wb->insert(wb->end(), row, row + gh);
    rb->insert(rb->end(), row + gh, row + 2 * gh);
  }
}

// Expects |a - e| <= atol + rtol * |e| elementwise; shape checked too.
inline void ExpectNear(const TestTensor& actual, const Shape& shape, const std::vector<float>& expected,
                       float atol = 1e-5f, float rtol = 1e-5f) {
  ExpectTensorNear(actual, shape, expected, atol, rtol);
}

// The sizes of one random configuration.
struct Dims {
  int T = 4, B = 3, I = 3, H = 3, P = 0, I2 = 0;
};

// Which optional inputs a random configuration carries.
struct Extras {
  bool bias = true;
  bool h0 = true;
  bool c0 = true;
  bool peephole = false;
  bool projection = false;
  bool proj_bias = false;
  bool layer_norm = false;
  bool aux = false;
};

// Seeded random weights and inputs for `p` (time-major or batch-major X,
// stacked or per-direction states as p says). Values lie in [-0.6, 0.6) so
// that gates stay away from saturation and differences stay visible.
inline std::vector<TestTensor> RandomInputs(const SequenceRnnParams& p, const Dims& d, const Extras& e,
                                            uint32_t seed) {
  std::vector<TestTensor> v = NoInputs();
  const int D = p.num_directions(), G = p.num_gates(), H = p.hidden_size, X = p.recurrent_width();
  auto rnd = [&](Shape s, uint32_t salt) {
    return F32(s, RandomFloats(static_cast<size_t>(NumElements(s)), seed * 131u + salt, -0.6f, 0.6f));
  };
  v[in::kX] = rnd(p.time_major ? Shape{d.T, d.B, d.I} : Shape{d.B, d.T, d.I}, 1);
  v[in::kW] = rnd({D, G * H, d.I}, 2);
  v[in::kR] = rnd({D, G * H, X}, 3);
  if (e.bias) {
    v[in::kWb] = rnd({D, G * H}, 4);
    v[in::kRb] = rnd({D, G * H}, 5);
  }
  const bool stacked = p.state_layout == RnnStateLayout::kStacked;
  const Shape hs = stacked ? (p.time_major ? Shape{D, d.B, X} : Shape{d.B, D, X}) : Shape{d.B, X};
  const Shape cs = stacked ? (p.time_major ? Shape{D, d.B, H} : Shape{d.B, D, H}) : Shape{d.B, H};
  const bool lstm = p.cell == RnnCell::kLstm;
  if (e.h0) {
    v[in::kH0] = rnd(hs, 6);
    if (!stacked && D == 2) v[in::kH0Bw] = rnd(hs, 7);
  }
  if (e.c0 && lstm) {
    v[in::kC0] = rnd(cs, 8);
    if (!stacked && D == 2) v[in::kC0Bw] = rnd(cs, 9);
  }
  if (e.peephole && lstm) v[in::kPeephole] = rnd({D, 3, H}, 10);
  if (p.proj_size > 0) {
    v[in::kProjW] = rnd({D, p.proj_size, H}, 11);
    if (e.proj_bias) v[in::kProjB] = rnd({D, p.proj_size}, 12);
  }
  if (e.layer_norm && lstm) v[in::kLayerNorm] = rnd({D, 4, H}, 13);
  if (e.aux) {
    v[in::kAuxX] = rnd(p.time_major ? Shape{d.T, d.B, d.I2} : Shape{d.B, d.T, d.I2}, 14);
    v[in::kAuxW] = rnd({D, G * H, d.I2}, 15);
  }
  return v;
}

// Values of a float32 TestTensor.
inline std::vector<float> Values(const TestTensor& t) { return t.values<float>(); }

}  // namespace rnnlite::testing::seqrnn
