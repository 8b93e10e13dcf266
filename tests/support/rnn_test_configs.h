// The seeded SequenceRnn configurations every GPU backend is checked on
// against the CPU reference (tests/vulkan, tests/cuda), and the harness that
// runs one node on the CPU and through a delegate: outputs poisoned with NaN
// before every run, abs + rel tolerance per precision, worst element reported.
// Header-only, so any test binary can include it.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "unit/sequence_rnn_test_helpers.h"

namespace rnnlite::testing::rnncfg {

using namespace ::rnnlite::testing::seqrnn;  // NOLINT: test helpers

// fp32 tolerance against the CPU reference: |got - want| <= kAtol + kRtol * |want|.
// Devices sum dot products in another order, so results differ by a few
// ulps per step; 1e-5 relative holds with margin on the short random
// sequences used here (weights scaled by PrepareWeights).
inline constexpr float kAtol = 2e-6f;
inline constexpr float kRtol = 1e-5f;

// Makes the weight slots of `inputs` constant (the plugin uploads weights at
// compile and declines nodes whose weights are graph inputs) and scales the
// recurrent and projection matrices by ~2.3 / sqrt(columns), which keeps
// their spectral radius below one. Unscaled random matrices make many random
// recurrences chaotic, where any two correct fp32 implementations drift
// apart by orders of magnitude within a few steps (rounding differences
// amplified 3-4x per step), and no fixed tolerance could tell that from a bug.
inline void PrepareWeights(std::vector<TestTensor>* inputs) {
  for (int slot : {in::kW, in::kR, in::kWb, in::kRb, in::kPeephole, in::kProjW, in::kProjB, in::kLayerNorm,
                   in::kAuxW}) {
    TestTensor& t = (*inputs)[static_cast<size_t>(slot)];
    if (t.dtype == DType::kVariant) continue;
    t.constant = true;
    if ((slot == in::kR || slot == in::kProjW) && !t.shape.empty()) {
      const float scale = std::min(1.0f, 2.3f / std::sqrt(static_cast<float>(t.shape.back())));
      std::vector<float> v = t.values<float>();
      for (float& f : v) f *= scale;
      std::memcpy(t.bytes.data(), v.data(), t.bytes.size());
    }
  }
}

template <typename T>
inline T Pick(std::mt19937& rng, const std::vector<T>& options) {
  return options[std::uniform_int_distribution<size_t>(0, options.size() - 1)(rng)];
}

inline bool Chance(std::mt19937& rng, double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }

inline float Uniform(std::mt19937& rng, float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(rng); }

// Activations with well-behaved alpha/beta for random models.
inline RnnActivationSpec RandomActivation(std::mt19937& rng) {
  const RnnActivation kind = Pick<RnnActivation>(
      rng, {RnnActivation::kSigmoid, RnnActivation::kTanh, RnnActivation::kRelu, RnnActivation::kHardSigmoid,
            RnnActivation::kLeakyRelu, RnnActivation::kThresholdedRelu, RnnActivation::kScaledTanh,
            RnnActivation::kAffine, RnnActivation::kElu, RnnActivation::kSoftsign, RnnActivation::kSoftplus,
            RnnActivation::kRelu6, RnnActivation::kReluN1To1});
  RnnActivationSpec a = DefaultRnnActivation(kind);
  switch (kind) {
    case RnnActivation::kHardSigmoid: a.alpha = Uniform(rng, 0.1f, 0.5f); a.beta = Uniform(rng, 0.3f, 0.7f); break;
    case RnnActivation::kLeakyRelu: a.alpha = Uniform(rng, 0.01f, 0.3f); break;
    case RnnActivation::kThresholdedRelu: a.alpha = Uniform(rng, 0.05f, 0.3f); break;
    case RnnActivation::kScaledTanh: a.alpha = Uniform(rng, 0.5f, 1.5f); a.beta = Uniform(rng, 0.5f, 1.5f); break;
    case RnnActivation::kAffine: a.alpha = Uniform(rng, 0.3f, 0.9f); a.beta = Uniform(rng, -0.2f, 0.2f); break;
    case RnnActivation::kElu: a.alpha = Uniform(rng, 0.5f, 1.5f); break;
    default: break;
  }
  return a;
}

// One configuration: the node and a label that says what it is.
struct Config {
  NodeSpec spec;
  std::string label;
};

// Configuration number `seed`: cell, direction, layouts, sizes, lengths
// (absent, random with 0 and T, all equal), states, projection, peepholes,
// CIFG / input_forget, clips, activations, aux input, all drawn from it.
inline Config RandomConfig(uint32_t seed) {
  std::mt19937 rng(seed * 7919u + 17u);
  SequenceRnnParams p;
  p.cell = Pick<RnnCell>(rng, {RnnCell::kLstm, RnnCell::kLstm, RnnCell::kGru, RnnCell::kGru, RnnCell::kRnn});
  p.direction = Pick<RnnDirection>(rng, {RnnDirection::kForward, RnnDirection::kReverse, RnnDirection::kBidirectional});
  p.time_major = Chance(rng, 0.5);
  p.hidden_size = Pick<int32_t>(rng, {1, 3, 8, 17, 64, 70});
  const bool lstm = p.cell == RnnCell::kLstm;
  if (lstm) {
    if (Chance(rng, 0.3)) p.proj_size = Pick<int32_t>(rng, {2, 5, 66});
    if (Chance(rng, 0.2)) {
      p.cifg = true;
    } else if (Chance(rng, 0.15)) {
      p.input_forget = true;
    }
    if (Chance(rng, 0.25)) p.cell_clip = Uniform(rng, 0.3f, 1.5f);
    if (p.proj_size > 0 && Chance(rng, 0.4)) p.proj_clip = Uniform(rng, 0.1f, 0.6f);
  }
  if (p.cell == RnnCell::kGru) p.linear_before_reset = Chance(rng, 0.5);
  if (Chance(rng, 0.2)) p.gate_clip = Uniform(rng, 0.3f, 1.5f);
  const int D = p.num_directions();
  const size_t acts = static_cast<size_t>(p.activations_per_direction() * D);
  if (Chance(rng, 0.35)) {
    for (size_t i = 0; i < acts; ++i) p.activations.push_back(RandomActivation(rng));
  }
  p.output_layout = Pick<RnnOutputLayout>(rng, {RnnOutputLayout::kStacked, RnnOutputLayout::kConcat, RnnOutputLayout::kSplit});
  p.state_layout = Pick<RnnStateLayout>(rng, {RnnStateLayout::kStacked, RnnStateLayout::kPerDirection});
  AttrMap attrs;
  p.ToAttrs(&attrs);  // empty activation lists: FromAttrs fills the cell's defaults
  p = SequenceRnnParams::FromAttrs(attrs).value();

  Dims dims;
  dims.T = Pick<int>(rng, {1, 2, 5, 9});
  dims.B = Pick<int>(rng, {1, 2, 3, 5});
  dims.I = Pick<int>(rng, {1, 3, 6, 20});
  Extras e;
  e.bias = Chance(rng, 0.8);
  e.h0 = Chance(rng, 0.6);
  e.c0 = Chance(rng, 0.6);
  e.peephole = lstm && Chance(rng, 0.35);
  e.layer_norm = lstm && Chance(rng, 0.3);
  e.proj_bias = p.proj_size > 0 && Chance(rng, 0.6);
  e.aux = Chance(rng, 0.15);
  if (e.aux) dims.I2 = Pick<int>(rng, {1, 4});

  Config c;
  c.spec.attrs = attrs;
  c.spec.inputs = RandomInputs(p, dims, e, seed + 1000u);
  PrepareWeights(&c.spec.inputs);
  std::string lens_label = "none";
  if (Chance(rng, 0.5)) {
    std::vector<int64_t> lens(static_cast<size_t>(dims.B));
    const int kind = Pick<int>(rng, {0, 1, 2});
    for (int b = 0; b < dims.B; ++b) {
      if (kind == 0) lens[static_cast<size_t>(b)] = dims.T;  // all equal
      else lens[static_cast<size_t>(b)] = std::uniform_int_distribution<int>(0, dims.T)(rng);
    }
    if (kind == 2) {  // both ends present
      lens[0] = 0;
      lens[static_cast<size_t>(dims.B - 1)] = dims.T;
    }
    if (Chance(rng, 0.5)) {
      c.spec.inputs[in::kSeqLens] = I64({dims.B}, lens);
    } else {
      c.spec.inputs[in::kSeqLens] = I32({dims.B}, std::vector<int32_t>(lens.begin(), lens.end()));
    }
    std::ostringstream os;
    for (int64_t l : lens) os << l << ' ';
    lens_label = os.str();
  }
  c.spec.outputs = {Chance(rng, 0.9), Chance(rng, 0.7), lstm && Chance(rng, 0.7),
                    p.output_layout == RnnOutputLayout::kSplit && D == 2};
  if (!c.spec.outputs[0] && !c.spec.outputs[1] && !c.spec.outputs[2]) c.spec.outputs[1] = true;
  std::ostringstream os;
  os << p.Describe() << " T=" << dims.T << " B=" << dims.B << " I=" << dims.I << " I2=" << dims.I2
     << " bias=" << e.bias << " h0=" << e.h0 << " c0=" << e.c0 << " peephole=" << e.peephole
     << " proj_bias=" << e.proj_bias << " layer_norm=" << e.layer_norm << " lens=" << lens_label;
  c.label = os.str();
  return c;
}

// One SequenceRnn node in an interpreter, optionally delegated.
class Runner {
 public:
  Runner(const NodeSpec& spec, std::shared_ptr<Delegate> delegate) : spec_(spec) {
    GraphBuilder b;
    for (size_t i = 0; i < spec.inputs.size(); ++i) {
      const TestTensor& t = spec.inputs[i];
      const std::string name = "in" + std::to_string(i);
      if (IsVariable(static_cast<int>(i))) {
        inputs_.push_back(b.Variable(name, t.dtype, t.shape));
      } else if (t.dtype == DType::kVariant) {
        inputs_.push_back(kNoTensor);
      } else if (t.constant) {
        inputs_.push_back(b.Constant(name, t));
      } else {
        inputs_.push_back(b.Input(name, t.dtype, t.shape));
      }
    }
    for (size_t i = 0; i < spec.outputs.size(); ++i) {
      int idx = kNoTensor;
      if (spec.outputs[i]) {
        idx = b.Tensor("out" + std::to_string(i), spec.out_dtype);
        b.Output(idx);
      }
      outputs_.push_back(idx);
    }
    std::vector<int> outs = outputs_;
    while (!outs.empty() && outs.back() == kNoTensor) outs.pop_back();
    b.AddCustomNode(kSequenceRnnCustomCode, inputs_, outs, spec.attrs);
    auto model = b.Build();
    if (!model.ok()) {
      status_ = model.status();
      return;
    }
    interp_ = std::make_unique<Interpreter>(*model);
    if (delegate) {
      status_ = interp_->ModifyGraphWithDelegate(delegate);
      if (!status_.ok()) return;
    }
    status_ = interp_->AllocateTensors();
    if (!status_.ok()) return;
    for (int slot : spec.variable_slots) {
      const TestTensor& t = spec.inputs[static_cast<size_t>(slot)];
      Tensor* v = interp_->tensor(inputs_[static_cast<size_t>(slot)]);
      if (!t.bytes.empty() && v->bytes == t.bytes.size()) std::memcpy(v->data, t.bytes.data(), t.bytes.size());
    }
  }

  const Status& status() const { return status_; }
  Interpreter& interpreter() { return *interp_; }
  // the backend name when the node was delegated, else "cpu" (+ the reason).
  std::string Placement() const {
    auto p = interp_->placement();
    return p.empty() ? "none" : p[0].backend + (p[0].reason.empty() ? "" : ": " + p[0].reason);
  }

  // Feeds the non-constant, non-variable inputs, fills every output with NaN
  // (an element the device does not write then fails the comparison) and
  // invokes.
  Status Invoke(const std::vector<TestTensor>& inputs) {
    if (!status_.ok()) return status_;
    for (size_t i = 0; i < inputs_.size() && i < inputs.size(); ++i) {
      const TestTensor& t = spec_.inputs[i];
      if (inputs_[i] == kNoTensor || t.constant || IsVariable(static_cast<int>(i))) continue;
      Tensor* dst = interp_->tensor(inputs_[i]);
      if (dst->bytes != inputs[i].bytes.size()) return Internal("feed size mismatch for slot " + std::to_string(i));
      if (!inputs[i].bytes.empty()) std::memcpy(dst->data, inputs[i].bytes.data(), inputs[i].bytes.size());
    }
    for (int idx : outputs_) {
      if (idx < 0) continue;
      Tensor* t = interp_->tensor(idx);
      float* f = t->data_as<float>();
      for (int64_t k = 0; k < t->num_elements(); ++k) f[k] = std::numeric_limits<float>::quiet_NaN();
    }
    return interp_->Invoke();
  }
  Status Invoke() { return Invoke(spec_.inputs); }

  TestTensor Output(int slot) { return Read(outputs_[static_cast<size_t>(slot)]); }
  TestTensor State(int slot) { return Read(inputs_[static_cast<size_t>(slot)]); }
  int tensor_index(int slot) const { return inputs_[static_cast<size_t>(slot)]; }

 private:
  bool IsVariable(int slot) const {
    for (int s : spec_.variable_slots) {
      if (s == slot) return true;
    }
    return false;
  }
  TestTensor Read(int index) {
    TestTensor t;
    if (index < 0) return t;
    const Tensor* src = interp_->tensor(index);
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

// Every element within tolerance, no NaN; reports the worst element.
inline ::testing::AssertionResult Close(const TestTensor& got, const TestTensor& want, float atol = kAtol,
                                        float rtol = kRtol) {
  if (got.shape != want.shape) {
    return ::testing::AssertionFailure() << "shape " << ShapeToString(got.shape) << " vs " << ShapeToString(want.shape);
  }
  const std::vector<float> g = got.values<float>(), w = want.values<float>();
  if (g.size() != w.size()) return ::testing::AssertionFailure() << "size " << g.size() << " vs " << w.size();
  size_t bad = 0, worst = 0;
  double worst_excess = -1.0;
  for (size_t i = 0; i < g.size(); ++i) {
    const double err = std::fabs(static_cast<double>(g[i]) - w[i]);
    const double excess = std::isnan(g[i]) || std::isnan(w[i]) ? 1e30 : err - (atol + rtol * std::fabs(w[i]));
    if (excess > 0) ++bad;
    if (excess > worst_excess) {
      worst_excess = excess;
      worst = i;
    }
  }
  if (bad == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << bad << " of " << g.size() << " elements off; worst at flat index " << worst
                                       << ": got " << g[worst] << ", want " << w[worst];
}

}  // namespace rnnlite::testing::rnncfg
