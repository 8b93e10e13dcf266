// Reference SequenceRnn. Each (direction, batch row) pair is an independent
// recurrence, so the loops below run one pair at a time: read its initial
// state, walk its valid steps forward or backward, write zeros past its
// length, store its final state. The cell math is one function per cell.
#include "cpu_fallback/sequence_rnn_ref.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace rnnlite {

template <typename T>
T ApplyRnnActivation(const RnnActivationSpec& act, T x) {
  const T alpha = static_cast<T>(act.alpha);
  const T beta = static_cast<T>(act.beta);
  switch (act.kind) {
    case RnnActivation::kSigmoid: return T(1) / (T(1) + std::exp(-x));
    case RnnActivation::kTanh: return std::tanh(x);
    case RnnActivation::kRelu: return std::max(T(0), x);
    case RnnActivation::kHardSigmoid: return std::max(T(0), std::min(T(1), alpha * x + beta));
    case RnnActivation::kLeakyRelu: return x >= T(0) ? x : alpha * x;
    case RnnActivation::kThresholdedRelu: return x > alpha ? x : T(0);
    case RnnActivation::kScaledTanh: return alpha * std::tanh(beta * x);
    case RnnActivation::kAffine: return alpha * x + beta;
    case RnnActivation::kElu: return x >= T(0) ? x : alpha * (std::exp(x) - T(1));
    case RnnActivation::kSoftsign: return x / (T(1) + std::fabs(x));
    // log(1 + e^x), written so that large |x| neither overflows nor loses x.
    case RnnActivation::kSoftplus: return x > T(0) ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
    case RnnActivation::kRelu6: return std::min(T(6), std::max(T(0), x));
    case RnnActivation::kReluN1To1: return std::min(T(1), std::max(T(-1), x));
  }
  return x;
}

namespace {

// out[j] += sum_k m[j*cols + k] * v[k] for j < rows.
template <typename T>
void AddMatVec(const T* m, int64_t rows, int64_t cols, const T* v, T* out) {
  for (int64_t j = 0; j < rows; ++j) {
    const T* row = m + j * cols;
    T acc = T(0);
    for (int64_t k = 0; k < cols; ++k) acc += row[k] * v[k];
    out[j] += acc;
  }
}

template <typename T>
T Clip(T v, float limit) {
  if (limit <= 0.0f) return v;
  const T l = static_cast<T>(limit);
  return std::min(l, std::max(-l, v));
}

// Everything one direction needs, with its weight pointers already offset.
template <typename T>
struct Direction {
  const SequenceRnnParams* p = nullptr;
  bool reverse = false;
  int64_t H = 0, X = 0, I = 0, I2 = 0, P = 0, GH = 0;
  const T* w = nullptr;        // [G*H, I]
  const T* r = nullptr;        // [G*H, X]
  const T* aux_w = nullptr;    // [G*H, I2] or null
  std::vector<T> bias;         // Wb + Rb, [G*H]
  const T* rb = nullptr;       // [G*H] or null (GRU linear_before_reset keeps Rb_n apart)
  const T* wb = nullptr;       // [G*H] or null
  const T* peephole = nullptr; // [3, H] (i, f, o) or null
  const T* proj_w = nullptr;   // [P, H] or null
  const T* proj_b = nullptr;   // [P] or null
  const T* layer_norm = nullptr;  // [4, H] or null
  const RnnActivationSpec* act = nullptr;  // this direction's activation list
};

// The input-side part of all gates: W·x (+ W_aux·x_aux).
template <typename T>
void InputProjection(const Direction<T>& d, const T* x, const T* aux, std::vector<T>& out) {
  std::fill(out.begin(), out.end(), T(0));
  AddMatVec(d.w, d.GH, d.I, x, out.data());
  if (d.aux_w != nullptr) AddMatVec(d.aux_w, d.GH, d.I2, aux, out.data());
}

// Turns gate q's pre-activation (W·x + R·h + peephole term, no bias yet) into
// its value: TFLite layer norm (normalize over H, scale, then add the bias)
// or plain bias, then ONNX clip, then the activation.
template <typename T>
void FinishGate(const Direction<T>& d, int q, const RnnActivationSpec& act, T* v) {
  const int64_t H = d.H;
  const T* bias = d.bias.data() + q * H;
  if (d.layer_norm != nullptr) {
    T mean = T(0);
    for (int64_t j = 0; j < H; ++j) mean += v[j];
    mean /= static_cast<T>(H);
    T var = T(0);
    for (int64_t j = 0; j < H; ++j) var += (v[j] - mean) * (v[j] - mean);
    var /= static_cast<T>(H);
    const T inv = T(1) / std::sqrt(var + static_cast<T>(kRnnLayerNormEpsilon));
    for (int64_t j = 0; j < H; ++j) v[j] = (v[j] - mean) * inv * d.layer_norm[q * H + j] + bias[j];
  } else {
    for (int64_t j = 0; j < H; ++j) v[j] += bias[j];
  }
  for (int64_t j = 0; j < H; ++j) v[j] = ApplyRnnActivation(act, Clip(v[j], d.p->gate_clip));
}

// One LSTM step. Gates i, f, g, o live at rows 0, H, 2H, 3H of `pre`.
template <typename T>
void LstmStep(const Direction<T>& d, const T* x, const T* aux, T* h, T* c, std::vector<T>& pre) {
  const int64_t H = d.H;
  InputProjection(d, x, aux, pre);
  AddMatVec(d.r, d.GH, d.X, h, pre.data());
  T* i = pre.data();
  T* f = i + H;
  T* g = f + H;
  T* o = g + H;
  const SequenceRnnParams& p = *d.p;
  const RnnActivationSpec& act_f = d.act[0];
  if (!p.cifg) {
    if (d.peephole) for (int64_t j = 0; j < H; ++j) i[j] += d.peephole[j] * c[j];
    FinishGate(d, 0, act_f, i);
  }
  if (!p.input_forget) {
    if (d.peephole) for (int64_t j = 0; j < H; ++j) f[j] += d.peephole[H + j] * c[j];
    FinishGate(d, 1, act_f, f);
  }
  if (p.cifg) for (int64_t j = 0; j < H; ++j) i[j] = T(1) - f[j];
  if (p.input_forget) for (int64_t j = 0; j < H; ++j) f[j] = T(1) - i[j];
  FinishGate(d, 2, d.act[1], g);
  for (int64_t j = 0; j < H; ++j) c[j] = Clip(f[j] * c[j] + i[j] * g[j], p.cell_clip);
  // The output gate's peephole looks at the new cell state.
  if (d.peephole) for (int64_t j = 0; j < H; ++j) o[j] += d.peephole[2 * H + j] * c[j];
  FinishGate(d, 3, act_f, o);
  if (d.proj_w == nullptr) {
    for (int64_t j = 0; j < H; ++j) h[j] = o[j] * ApplyRnnActivation(d.act[2], c[j]);
    return;
  }
  std::vector<T> full(static_cast<size_t>(H));
  for (int64_t j = 0; j < H; ++j) full[j] = o[j] * ApplyRnnActivation(d.act[2], c[j]);
  for (int64_t k = 0; k < d.P; ++k) h[k] = d.proj_b ? d.proj_b[k] : T(0);
  AddMatVec(d.proj_w, d.P, H, full.data(), h);
  for (int64_t k = 0; k < d.P; ++k) h[k] = Clip(h[k], p.proj_clip);
}

// One GRU step. Gates r, z, n live at rows 0, H, 2H.
template <typename T>
void GruStep(const Direction<T>& d, const T* x, const T* aux, T* h, std::vector<T>& pre, std::vector<T>& scratch) {
  const int64_t H = d.H;
  InputProjection(d, x, aux, pre);
  // r and z see R·h; n's recurrent term depends on linear_before_reset.
  AddMatVec(d.r, 2 * H, d.X, h, pre.data());
  T* r = pre.data();
  T* z = r + H;
  T* n = z + H;
  FinishGate(d, 0, d.act[0], r);
  FinishGate(d, 1, d.act[0], z);
  const T* rn = d.r + 2 * H * d.X;  // R_n: [H, H]
  std::fill(scratch.begin(), scratch.end(), T(0));
  if (d.p->linear_before_reset) {
    AddMatVec(rn, H, H, h, scratch.data());
    for (int64_t j = 0; j < H; ++j) {
      const T rbn = d.rb ? d.rb[2 * H + j] : T(0);
      n[j] += r[j] * (scratch[j] + rbn) + (d.wb ? d.wb[2 * H + j] : T(0));
    }
  } else {
    std::vector<T> rh(static_cast<size_t>(H));
    for (int64_t j = 0; j < H; ++j) rh[j] = r[j] * h[j];
    AddMatVec(rn, H, H, rh.data(), scratch.data());
    for (int64_t j = 0; j < H; ++j) n[j] += scratch[j] + d.bias[2 * H + j];
  }
  for (int64_t j = 0; j < H; ++j) {
    const T nj = ApplyRnnActivation(d.act[1], Clip(n[j], d.p->gate_clip));
    h[j] = (T(1) - z[j]) * nj + z[j] * h[j];
  }
}

template <typename T>
void RnnStep(const Direction<T>& d, const T* x, const T* aux, T* h, std::vector<T>& pre) {
  InputProjection(d, x, aux, pre);
  AddMatVec(d.r, d.GH, d.X, h, pre.data());
  FinishGate(d, 0, d.act[0], pre.data());
  std::copy(pre.begin(), pre.begin() + d.H, h);
}

}  // namespace

template <typename T>
Status RunSequenceRnnReference(const SequenceRnnParams& p, const SequenceRnnShapes& s,
                               const SequenceRnnRefArgs<T>& a) {
  const int64_t T_ = s.seq_len, B = s.batch, I = s.input_size, I2 = s.aux_input_size;
  const int64_t D = p.num_directions(), H = p.hidden_size, X = p.recurrent_width();
  const int64_t GH = static_cast<int64_t>(p.num_gates()) * H;
  const size_t per_dir = static_cast<size_t>(p.activations_per_direction());
  if (p.activations.size() != per_dir * static_cast<size_t>(D)) {
    return InvalidArgument("SequenceRnn: " + std::to_string(p.activations.size()) + " activations, expected " +
                           std::to_string(per_dir * static_cast<size_t>(D)));
  }
  if (!a.seq_lens.empty() && static_cast<int64_t>(a.seq_lens.size()) != B) {
    return InvalidArgument("SequenceRnn: " + std::to_string(a.seq_lens.size()) + " sequence lengths for batch " +
                           std::to_string(B));
  }
  for (size_t b = 0; b < a.seq_lens.size(); ++b) {
    if (a.seq_lens[b] < 0 || a.seq_lens[b] > T_) {
      return InvalidArgument("sequence_lengths[" + std::to_string(b) + "] = " + std::to_string(a.seq_lens[b]) +
                             " is outside [0, T = " + std::to_string(T_) + "]");
    }
  }
  const bool tm = p.time_major;
  const bool stacked_state = p.state_layout == RnnStateLayout::kStacked;

  // Offsets of the contiguous rows the loops read and write.
  auto x_row = [&](int64_t t, int64_t b, int64_t width) { return (tm ? t * B + b : b * T_ + t) * width; };
  auto state_row = [&](int64_t d, int64_t b, int64_t width) {
    return ((tm || !stacked_state) ? d * B + b : b * D + d) * width;
  };
  auto y_row = [&](int64_t t, int64_t d, int64_t b) -> T* {
    switch (p.output_layout) {
      case RnnOutputLayout::kStacked:
        if (a.y == nullptr) return nullptr;
        return a.y + (tm ? (t * D + d) * B + b : (b * T_ + t) * D + d) * X;
      case RnnOutputLayout::kConcat:
        if (a.y == nullptr) return nullptr;
        return a.y + ((tm ? t * B + b : b * T_ + t) * D + d) * X;
      case RnnOutputLayout::kSplit: {
        T* base = d == 0 ? a.y : a.y_bw;
        if (base == nullptr) return nullptr;
        return base + (tm ? t * B + b : b * T_ + t) * X;
      }
    }
    return nullptr;
  };
  // Initial state row of (d, b), or nullptr for zeros.
  auto initial = [&](const T* stacked_or_fw, const T* bw, int64_t d, int64_t b, int64_t width) -> const T* {
    if (stacked_state) return stacked_or_fw ? stacked_or_fw + state_row(d, b, width) : nullptr;
    const T* base = d == 0 ? stacked_or_fw : bw;
    return base ? base + b * width : nullptr;
  };

  std::vector<T> h(static_cast<size_t>(X)), c(static_cast<size_t>(H));
  std::vector<T> pre(static_cast<size_t>(GH)), scratch(static_cast<size_t>(H));
  for (int64_t d = 0; d < D; ++d) {
    Direction<T> dir;
    dir.p = &p;
    dir.reverse = p.direction == RnnDirection::kReverse || (p.direction == RnnDirection::kBidirectional && d == 1);
    dir.H = H;
    dir.X = X;
    dir.I = I;
    dir.I2 = I2;
    dir.P = p.proj_size;
    dir.GH = GH;
    dir.w = a.w + d * GH * I;
    dir.r = a.r + d * GH * X;
    dir.aux_w = a.aux_w ? a.aux_w + d * GH * I2 : nullptr;
    dir.wb = a.wb ? a.wb + d * GH : nullptr;
    dir.rb = a.rb ? a.rb + d * GH : nullptr;
    dir.bias.assign(static_cast<size_t>(GH), T(0));
    for (int64_t j = 0; j < GH; ++j) {
      dir.bias[j] = (dir.wb ? dir.wb[j] : T(0)) + (dir.rb ? dir.rb[j] : T(0));
    }
    dir.peephole = a.peephole ? a.peephole + d * 3 * H : nullptr;
    dir.proj_w = a.proj_w ? a.proj_w + d * p.proj_size * H : nullptr;
    dir.proj_b = a.proj_b ? a.proj_b + d * p.proj_size : nullptr;
    dir.layer_norm = a.layer_norm ? a.layer_norm + d * 4 * H : nullptr;
    dir.act = p.activations.data() + d * static_cast<int64_t>(per_dir);

    for (int64_t b = 0; b < B; ++b) {
      const int64_t len = a.seq_lens.empty() ? T_ : a.seq_lens[b];
      const T* h0 = initial(a.h0, a.h0_bw, d, b, X);
      const T* c0 = initial(a.c0, a.c0_bw, d, b, H);
      for (int64_t k = 0; k < X; ++k) h[k] = h0 ? h0[k] : T(0);
      for (int64_t k = 0; k < H; ++k) c[k] = c0 ? c0[k] : T(0);
      for (int64_t step = 0; step < len; ++step) {
        // The reverse direction starts at this row's last valid step.
        const int64_t t = dir.reverse ? len - 1 - step : step;
        const T* xt = a.x + x_row(t, b, I);
        const T* auxt = a.aux_x ? a.aux_x + x_row(t, b, I2) : nullptr;
        switch (p.cell) {
          case RnnCell::kLstm: LstmStep(dir, xt, auxt, h.data(), c.data(), pre); break;
          case RnnCell::kGru: GruStep(dir, xt, auxt, h.data(), pre, scratch); break;
          case RnnCell::kRnn: RnnStep(dir, xt, auxt, h.data(), pre); break;
        }
        if (T* yt = y_row(t, d, b)) std::copy(h.begin(), h.end(), yt);
      }
      for (int64_t t = len; t < T_; ++t) {
        if (T* yt = y_row(t, d, b)) std::fill(yt, yt + X, T(0));
      }
      const bool bm_stacked = stacked_state && !tm;
      const int64_t out_row = bm_stacked ? b * D + d : d * B + b;
      if (a.y_h) std::copy(h.begin(), h.end(), a.y_h + out_row * X);
      if (a.y_c) std::copy(c.begin(), c.end(), a.y_c + out_row * H);
      if (a.final_h) std::copy(h.begin(), h.end(), a.final_h + (d * B + b) * X);
      if (a.final_c) std::copy(c.begin(), c.end(), a.final_c + (d * B + b) * H);
    }
  }
  return Status::Ok();
}

template Status RunSequenceRnnReference<float>(const SequenceRnnParams&, const SequenceRnnShapes&,
                                               const SequenceRnnRefArgs<float>&);
template Status RunSequenceRnnReference<double>(const SequenceRnnParams&, const SequenceRnnShapes&,
                                                const SequenceRnnRefArgs<double>&);
template float ApplyRnnActivation<float>(const RnnActivationSpec&, float);
template double ApplyRnnActivation<double>(const RnnActivationSpec&, double);

}  // namespace rnnlite
