#include "vulkan/rnn_cells.h"

#include <algorithm>
#include <cstring>

namespace rnnlite::vk {
namespace {

namespace in = seq_rnn_input;

// The parameter block header; mirrors common.glsl (kParam*, kFlag*).
constexpr uint32_t kParamActivations = 0;  // [d][a] = kind, alpha, beta (d < 2, a < 3)
constexpr uint32_t kParamCellClip = 18;
constexpr uint32_t kParamGateClip = 19;
constexpr uint32_t kParamProjClip = 20;
constexpr uint32_t kParamFlags = 21;
constexpr uint32_t kParamPeephole = 22;
constexpr uint32_t kParamRbn = 23;
constexpr uint32_t kParamProjBias = 24;
constexpr uint32_t kParamLayerNorm = 25;
constexpr uint32_t kParamLayerNormBias = 26;
constexpr uint32_t kParamHeader = 32;

constexpr uint32_t kFlagCifg = 1;
constexpr uint32_t kFlagInputForget = 2;
constexpr uint32_t kFlagPeephole = 4;
constexpr uint32_t kFlagProjection = 8;
constexpr uint32_t kFlagProjBias = 16;
constexpr uint32_t kFlagLayerNorm = 32;

uint32_t FloatBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof(u));
  return u;
}

// A constant input's values (copied: model data need not be aligned), or
// empty when the slot is absent.
std::vector<float> ConstValues(const RnnNodePlan& p, const TensorLookup& tensors, int slot) {
  if (p.in[slot] < 0) return {};
  const Tensor* t = tensors(p.in[slot]);
  std::vector<float> v(static_cast<size_t>(t->num_elements()));
  if (!v.empty()) std::memcpy(v.data(), t->constant_data, v.size() * sizeof(float));
  return v;
}

// [D][rows][cols] -> [D][cols][rows]: the step shaders read one column
// (a k) across neighbouring rows (hidden units) per invocation group.
std::vector<float> TransposePerDirection(const std::vector<float>& v, int64_t dirs, int64_t rows, int64_t cols) {
  std::vector<float> t(v.size());
  for (int64_t d = 0; d < dirs; ++d) {
    const float* src = v.data() + d * rows * cols;
    float* dst = t.data() + d * rows * cols;
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t c = 0; c < cols; ++c) dst[c * rows + r] = src[r * cols + c];
    }
  }
  return t;
}

}  // namespace

StatusOr<PackedWeights> PackWeights(const RnnNodePlan& p, const TensorLookup& tensors) {
  for (int slot : {in::kW, in::kR, in::kWb, in::kRb, in::kPeephole, in::kProjW, in::kProjB, in::kLayerNorm,
                   in::kAuxW}) {
    if (p.in[slot] < 0) continue;
    const Tensor* t = tensors(p.in[slot]);
    if (t == nullptr || t->constant_data == nullptr ||
        t->constant_bytes < static_cast<size_t>(t->num_elements()) * sizeof(float)) {
      return InvalidArgument(std::string("constant input ") + SequenceRnnInputName(slot) + " has no data of its size");
    }
  }
  const int64_t D = p.D, GH = p.GH, H = p.H, K = p.K, I = p.I, I2 = p.I2;
  PackedWeights out;
  const std::vector<float> w = ConstValues(p, tensors, in::kW);
  const std::vector<float> aux_w = ConstValues(p, tensors, in::kAuxW);
  out.w.assign(static_cast<size_t>(D * GH * K), 0.0f);
  for (int64_t row = 0; row < D * GH; ++row) {
    std::memcpy(&out.w[row * K], &w[row * I], I * sizeof(float));
    if (I2 > 0 && !aux_w.empty()) std::memcpy(&out.w[row * K + I], &aux_w[row * I2], I2 * sizeof(float));
  }
  out.r = TransposePerDirection(ConstValues(p, tensors, in::kR), D, GH, p.X);
  out.proj = TransposePerDirection(ConstValues(p, tensors, in::kProjW), D, p.P, H);

  const std::vector<float> wb = ConstValues(p, tensors, in::kWb);
  const std::vector<float> rb = ConstValues(p, tensors, in::kRb);
  const std::vector<float> peephole = ConstValues(p, tensors, in::kPeephole);
  const std::vector<float> proj_b = ConstValues(p, tensors, in::kProjB);
  const std::vector<float> layer_norm = ConstValues(p, tensors, in::kLayerNorm);
  // GRU with linear_before_reset keeps Rb_n inside r * (R_n·h + Rb_n); every
  // other bias is added to the pre-activation, so the gemm adds Wb + Rb.
  const bool split_rbn = p.params.cell == RnnCell::kGru && p.params.linear_before_reset;
  out.bias.assign(static_cast<size_t>(D * GH), 0.0f);
  std::vector<float> rbn(static_cast<size_t>(D * H), 0.0f);
  for (int64_t d = 0; d < D; ++d) {
    for (int64_t j = 0; j < GH; ++j) {
      const size_t i = static_cast<size_t>(d * GH + j);
      const float wv = wb.empty() ? 0.0f : wb[i];
      const float rv = rb.empty() ? 0.0f : rb[i];
      if (split_rbn && j >= 2 * H) {
        out.bias[i] = wv;
        rbn[static_cast<size_t>(d * H + j - 2 * H)] = rv;
      } else {
        out.bias[i] = wv + rv;
      }
    }
  }

  std::vector<uint32_t>& prm = out.params;
  prm.assign(kParamHeader, 0u);
  const size_t per_dir = static_cast<size_t>(p.params.activations_per_direction());
  for (size_t d = 0; d < static_cast<size_t>(D); ++d) {
    for (size_t a = 0; a < per_dir; ++a) {
      const RnnActivationSpec& act = p.params.activations[d * per_dir + a];
      const size_t base = kParamActivations + (d * 3 + a) * 3;
      prm[base] = static_cast<uint32_t>(act.kind);
      prm[base + 1] = FloatBits(act.alpha);
      prm[base + 2] = FloatBits(act.beta);
    }
  }
  prm[kParamCellClip] = FloatBits(p.params.cell_clip);
  prm[kParamGateClip] = FloatBits(p.params.gate_clip);
  prm[kParamProjClip] = FloatBits(p.params.proj_clip);
  uint32_t flags = 0;
  if (p.params.cifg) flags |= kFlagCifg;
  if (p.params.input_forget) flags |= kFlagInputForget;
  if (!peephole.empty()) flags |= kFlagPeephole;
  if (p.P > 0) flags |= kFlagProjection;
  if (!proj_b.empty()) flags |= kFlagProjBias;
  if (!layer_norm.empty()) flags |= kFlagLayerNorm;
  prm[kParamFlags] = flags;
  auto append = [&prm](const std::vector<float>& v) {
    const uint32_t offset = static_cast<uint32_t>(prm.size());
    for (float f : v) prm.push_back(FloatBits(f));
    return offset;
  };
  prm[kParamPeephole] = append(peephole);
  prm[kParamRbn] = append(rbn);
  prm[kParamProjBias] = append(proj_b);
  if (!layer_norm.empty()) {
    // With layer norm the bias is added after the normalization, so it moves
    // from the gemm to the parameter block.
    prm[kParamLayerNorm] = append(layer_norm);
    prm[kParamLayerNormBias] = append(out.bias);
    std::fill(out.bias.begin(), out.bias.end(), 0.0f);
  }
  return out;
}

std::vector<StepDispatch> StepRecipe(const RnnNodePlan& p) {
  switch (p.params.cell) {
    case RnnCell::kLstm: {
      std::vector<StepDispatch> steps = {{ShaderId::kLstmStep, 0, false, p.H}};
      // One workgroup per row normalizes over all H units.
      if (p.layer_norm) steps.push_back({ShaderId::kLstmLayerNorm, 0, false, 1});
      if (p.P > 0) steps.push_back({ShaderId::kLstmProject, 0, true, p.P});
      return steps;
    }
    case RnnCell::kGru:
      if (p.params.linear_before_reset) return {{ShaderId::kGruStep, 0, false, p.H}};
      return {{ShaderId::kGruStep, 1, false, p.H}, {ShaderId::kGruStep, 2, false, p.H}};
    case RnnCell::kRnn:
      return {{ShaderId::kRnnStep, 0, false, p.H}};
  }
  return {};
}

}  // namespace rnnlite::vk
