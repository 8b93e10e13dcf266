// Fast CPU SequenceRnn; the design is in sequence_rnn_fast.h and
// docs/performance.md. The gate equations mirror sequence_rnn_ref.cc (and
// docs/semantics.md) term by term; only the summation order of the matrix
// products and the sigmoid/tanh approximations differ.
#include "cpu_fallback/sequence_rnn_fast.h"

#include <algorithm>
#include <cstring>

#include "cpu_fallback/gemm.h"
#include "cpu_fallback/sequence_rnn_fast_math.h"
#include "cpu_fallback/thread_pool.h"

namespace rnnlite {
namespace {

// What one direction reads and the state it carries between steps. The
// state buffers are shared by the direction's team of threads; each thread
// writes only the hidden units it owns.
struct DirWork {
  bool reverse = false;
  const float* w = nullptr;
  const float* r = nullptr;
  const float* aux_w = nullptr;
  const float* peephole = nullptr;
  const RnnActivationSpec* act = nullptr;
  std::vector<float> bias;  // [G*H]; GRU n gate: Wb_n (+ Rb_n unless linear_before_reset)
  std::vector<float> rb_n;  // [H] GRU linear_before_reset: Rb_n, applied inside r ⊙ (...)
  std::vector<float> gx;    // [Tc][B][G*H] input projection of the current chunk
  std::vector<float> h[2];  // [B][H] state before / after a step
  std::vector<float> c;     // [B][H] LSTM cell state
  std::vector<float> rh;    // [B][H] GRU r ⊙ h (linear_before_reset = 0)
  int cur = 0;              // which h holds the state after the last step
};

struct Job {
  const SequenceRnnParams* p = nullptr;
  const SequenceRnnRefArgs<float>* a = nullptr;
  int64_t T = 0, B = 0, I = 0, I2 = 0, H = 0, G = 0, GH = 0, D = 0, Tc = 0;
  bool use_gemm = false;
  bool use_packed = false;
  std::vector<int64_t> lens;

  const float* XRow(const float* base, int64_t t, int64_t b, int64_t width) const {
    return base + (p->time_major ? t * B + b : b * T + t) * width;
  }
  float* YRow(int64_t t, int64_t d, int64_t b) const {
    const bool tm = p->time_major;
    switch (p->output_layout) {
      case RnnOutputLayout::kStacked:
        if (a->y == nullptr) return nullptr;
        return a->y + (tm ? (t * D + d) * B + b : (b * T + t) * D + d) * H;
      case RnnOutputLayout::kConcat:
        if (a->y == nullptr) return nullptr;
        return a->y + ((tm ? t * B + b : b * T + t) * D + d) * H;
      case RnnOutputLayout::kSplit: {
        float* base = d == 0 ? a->y : a->y_bw;
        if (base == nullptr) return nullptr;
        return base + (tm ? t * B + b : b * T + t) * H;
      }
    }
    return nullptr;
  }
  const float* Initial(const float* stacked_or_fw, const float* bw, int64_t d, int64_t b) const {
    if (p->state_layout == RnnStateLayout::kStacked) {
      if (stacked_or_fw == nullptr) return nullptr;
      return stacked_or_fw + (p->time_major ? d * B + b : b * D + d) * H;
    }
    const float* base = d == 0 ? stacked_or_fw : bw;
    return base ? base + b * H : nullptr;
  }
};

// One thread's share of one direction: hidden units [j0, j1).
class DirectionWorker {
 public:
  // proj_barrier: the whole team (the projection's rows are split over
  // all of it); barrier: the threads that run the steps (steps = true),
  // which own units [j0, j1). A thread with steps = false only projects.
  DirectionWorker(const Job& job, DirWork& dw, SpinBarrier& proj_barrier, SpinBarrier& barrier, int64_t j0, int64_t j1,
                  bool steps)
      : job_(job), dw_(dw), proj_barrier_(proj_barrier), barrier_(barrier), j0_(j0), nj_(j1 - j0), steps_(steps) {
    rec_.resize(static_cast<size_t>(job.B * job.G * nj_));
    tmp_.resize(static_cast<size_t>(6 * nj_));
    if (job.p->cell == RnnCell::kGru) z_.resize(static_cast<size_t>(job.B * nj_));
    if (job.use_packed) {
      // Each thread packs (and so first touches, into its own cache) the
      // rows of R for the units it owns, gate by gate.
      panel_floats_ = PackedPanelFloats(nj_, job.H);
      packed_.resize(static_cast<size_t>(job.G * panel_floats_));
      for (int64_t g = 0; g < job.G; ++g) {
        PackPanels(nj_, job.H, dw.r + (g * job.H + j0_) * job.H, job.H, packed_.data() + g * panel_floats_);
      }
    }
  }

  void Run() {
    const int64_t T = job_.T, Tc = job_.Tc;
    const int64_t chunks = T == 0 ? 0 : (T + Tc - 1) / Tc;
    int cur = 0;
    for (int64_t ci = 0; ci < chunks; ++ci) {
      const int64_t k = dw_.reverse ? chunks - 1 - ci : ci;
      const int64_t ts = k * Tc, te = std::min(T, ts + Tc);
      // The previous chunk's steps read gx until they finish.
      if (ci > 0) proj_barrier_.Wait();
      Project(ts, te);
      if (!steps_) continue;
      for (int64_t s = 0; s < te - ts; ++s) {
        const int64_t t = dw_.reverse ? te - 1 - s : ts + s;
        Step(t, dw_.gx.data() + (t - ts) * job_.B * job_.GH, dw_.h[cur].data(), dw_.h[cur ^ 1].data());
        barrier_.Wait();
        cur ^= 1;
        reverse_panels_ = !reverse_panels_;
      }
    }
    // One writer: the pool's completion publishes it to the caller.
    if (team_index_ == 0) dw_.cur = cur;
  }

 private:
  // Input projection of steps [ts, te), all gates and units, into the chunk
  // workspace: one GEMM per thread over its share of the rows (so the
  // weights are packed once per chunk, not per gate), then a barrier.
  void Project(int64_t ts, int64_t te) {
    const Job& j = job_;
    const auto* a = j.a;
    const int64_t steps = te - ts;
    float* gx = dw_.gx.data();
    if (j.p->time_major) {
      const int64_t rows = steps * j.B;
      const int64_t r0 = rows * team_index_ / team_size_, r1 = rows * (team_index_ + 1) / team_size_;
      if (r1 > r0) {
        Sgemm(false, true, r1 - r0, j.GH, j.I, a->x + (ts * j.B + r0) * j.I, j.I, dw_.w, j.I, gx + r0 * j.GH, j.GH,
              false);
        if (dw_.aux_w) {
          Sgemm(false, true, r1 - r0, j.GH, j.I2, a->aux_x + (ts * j.B + r0) * j.I2, j.I2, dw_.aux_w, j.I2,
                gx + r0 * j.GH, j.GH, true);
        }
      }
    } else {
      // Batch-major: each batch row's steps are contiguous in X.
      const int64_t s0 = steps * team_index_ / team_size_, s1 = steps * (team_index_ + 1) / team_size_;
      for (int64_t b = 0; b < j.B && s1 > s0; ++b) {
        float* out = gx + (s0 * j.B + b) * j.GH;
        Sgemm(false, true, s1 - s0, j.GH, j.I, j.XRow(a->x, ts + s0, b, j.I), j.I, dw_.w, j.I, out, j.B * j.GH,
              false);
        if (dw_.aux_w) {
          Sgemm(false, true, s1 - s0, j.GH, j.I2, j.XRow(a->aux_x, ts + s0, b, j.I2), j.I2, dw_.aux_w, j.I2, out,
                j.B * j.GH, true);
        }
      }
    }
    proj_barrier_.Wait();
  }

  // rec[b][g][jj] = (h_in[b] · R[g*H + j0 + jj]) for the gates in [g0, g1).
  void Recurrent(const float* h_in, const float* r, int64_t g0, int64_t g1) {
    const Job& j = job_;
    for (int64_t i = g0; i < g1; ++i) {
      // Every other step walks R backwards (gates and panels), so it starts
      // on what the previous step left in L2 (DotRowsPacked).
      const int64_t g = reverse_panels_ ? g0 + g1 - 1 - i : i;
      const float* rows = r + (g * j.H + j0_) * j.H;
      float* out = rec_.data() + g * nj_;
      if (j.use_packed) {
        DotRowsPacked(j.B, nj_, j.H, h_in, j.H, packed_.data() + g * panel_floats_, out, j.G * nj_, reverse_panels_);
      } else if (j.use_gemm) {
        Sgemm(false, true, j.B, nj_, j.H, h_in, j.H, rows, j.H, out, j.G * nj_, false);
      } else {
        DotRows(j.B, nj_, j.H, h_in, j.H, rows, j.H, out, j.G * nj_);
      }
    }
  }

  bool Active(int64_t t, int64_t b) const { return job_.lens.empty() || t < job_.lens[b]; }

  void WriteY(int64_t t, int64_t b, const float* h_own) {
    float* y = job_.YRow(t, dir_index_, b);
    if (y == nullptr) return;
    if (Active(t, b)) {
      std::memcpy(y + j0_, h_own, static_cast<size_t>(nj_) * sizeof(float));
    } else {
      std::fill(y + j0_, y + j0_ + nj_, 0.0f);
    }
  }

 public:
  int64_t dir_index_ = 0;  // d, for the output row
  int team_index_ = 0;     // this thread's place in the direction's team
  int team_size_ = 1;

 private:
  void Step(int64_t t, const float* gx, const float* hp, float* hn) {
    switch (job_.p->cell) {
      case RnnCell::kLstm: LstmStep(t, gx, hp, hn); break;
      case RnnCell::kGru: GruStep(t, gx, hp, hn); break;
      case RnnCell::kRnn: RnnStep(t, gx, hp, hn); break;
    }
  }

  void LstmStep(int64_t t, const float* gx, const float* hp, float* hn) {
    // A thread that owns no hidden units (more threads than units) has
    // nothing to do here; its empty buffers have no storage at all.
    if (nj_ == 0) return;
    const Job& j = job_;
    const SequenceRnnParams& p = *j.p;
    const int64_t H = j.H, nj = nj_, j0 = j0_;
    Recurrent(hp, dw_.r, 0, 4);
    float* gi = tmp_.data();
    float* gf = gi + nj;
    float* gg = gf + nj;
    float* go = gg + nj;
    float* th = go + nj;
    const float* bias = dw_.bias.data() + j0;
    const float* peep = dw_.peephole;
    for (int64_t b = 0; b < j.B; ++b) {
      const float* hpb = hp + b * H + j0;
      float* hnb = hn + b * H + j0;
      if (!Active(t, b)) {
        std::memcpy(hnb, hpb, static_cast<size_t>(nj) * sizeof(float));
        WriteY(t, b, hnb);
        continue;
      }
      const float* x = gx + b * j.GH + j0;
      const float* rc = rec_.data() + b * j.G * nj;
      float* c = dw_.c.data() + b * H + j0;
      for (int64_t g = 0; g < 4; ++g) AddThree(x + g * H, rc + g * nj, bias + g * H, gi + g * nj, nj);
      if (peep) {
        for (int64_t k = 0; k < nj; ++k) {
          gi[k] += peep[j0 + k] * c[k];
          gf[k] += peep[H + j0 + k] * c[k];
        }
      }
      if (!p.cifg) ActivateArray(dw_.act[0], p.gate_clip, gi, nj);
      if (!p.input_forget) ActivateArray(dw_.act[0], p.gate_clip, gf, nj);
      if (p.cifg) for (int64_t k = 0; k < nj; ++k) gi[k] = 1.0f - gf[k];
      if (p.input_forget) for (int64_t k = 0; k < nj; ++k) gf[k] = 1.0f - gi[k];
      ActivateArray(dw_.act[1], p.gate_clip, gg, nj);
      LstmCell(gi, gf, gg, c, nj);
      if (p.cell_clip > 0.0f) {
        const float l = p.cell_clip;
        for (int64_t k = 0; k < nj; ++k) c[k] = std::min(l, std::max(-l, c[k]));
      }
      if (peep) for (int64_t k = 0; k < nj; ++k) go[k] += peep[2 * H + j0 + k] * c[k];
      ActivateArray(dw_.act[0], p.gate_clip, go, nj);
      std::memcpy(th, c, static_cast<size_t>(nj) * sizeof(float));
      ActivateArray(dw_.act[2], 0.0f, th, nj);
      MulArrays(go, th, hnb, nj);
      WriteY(t, b, hnb);
    }
  }

  void GruStep(int64_t t, const float* gx, const float* hp, float* hn) {
    const Job& j = job_;
    const SequenceRnnParams& p = *j.p;
    const int64_t H = j.H, nj = nj_, j0 = j0_;
    const bool lbr = p.linear_before_reset;
    Recurrent(hp, dw_.r, 0, lbr ? 3 : 2);
    float* gr = tmp_.data();
    float* gn = gr + nj;
    const float* bias = dw_.bias.data() + j0;
    for (int64_t b = 0; b < j.B; ++b) {
      const float* x = gx + b * j.GH + j0;
      const float* rc = rec_.data() + b * j.G * nj;
      const float* hpb = hp + b * H + j0;
      float* z = z_.data() + b * nj;
      AddThree(x, rc, bias, gr, nj);
      AddThree(x + H, rc + nj, bias + H, z, nj);
      ActivateArray(dw_.act[0], p.gate_clip, gr, nj);
      ActivateArray(dw_.act[0], p.gate_clip, z, nj);
      if (lbr) {
        const float* rbn = dw_.rb_n.data() + j0;
        for (int64_t k = 0; k < nj; ++k) gn[k] = x[2 * H + k] + (gr[k] * (rc[2 * nj + k] + rbn[k]) + bias[2 * H + k]);
        FinishGru(t, b, gn, z, hpb, hn + b * H + j0);
      } else {
        float* rh = dw_.rh.data() + b * H + j0;
        for (int64_t k = 0; k < nj; ++k) rh[k] = gr[k] * hpb[k];
      }
    }
    if (lbr) return;
    // R_n multiplies r ⊙ h, which needs every unit's r: wait for the team.
    barrier_.Wait();
    const float* rows = dw_.r + (2 * H + j0) * H;
    float* out = rec_.data() + 2 * nj;
    if (j.use_packed) {
      DotRowsPacked(j.B, nj, H, dw_.rh.data(), H, packed_.data() + 2 * panel_floats_, out, j.G * nj, reverse_panels_);
    } else if (j.use_gemm) {
      Sgemm(false, true, j.B, nj, H, dw_.rh.data(), H, rows, H, out, j.G * nj, false);
    } else {
      DotRows(j.B, nj, H, dw_.rh.data(), H, rows, H, out, j.G * nj);
    }
    for (int64_t b = 0; b < j.B; ++b) {
      const float* x = gx + b * j.GH + j0;
      const float* rc = rec_.data() + b * j.G * nj;
      AddThree(x + 2 * H, rc + 2 * nj, bias + 2 * H, gn, nj);
      FinishGru(t, b, gn, z_.data() + b * nj, hp + b * H + j0, hn + b * H + j0);
    }
  }

  void FinishGru(int64_t t, int64_t b, float* gn, const float* z, const float* hpb, float* hnb) {
    const int64_t nj = nj_;
    if (!Active(t, b)) {
      std::memcpy(hnb, hpb, static_cast<size_t>(nj) * sizeof(float));
      WriteY(t, b, hnb);
      return;
    }
    ActivateArray(dw_.act[1], job_.p->gate_clip, gn, nj);
    GruBlend(z, gn, hpb, hnb, nj);
    WriteY(t, b, hnb);
  }

  void RnnStep(int64_t t, const float* gx, const float* hp, float* hn) {
    const Job& j = job_;
    const int64_t H = j.H, nj = nj_, j0 = j0_;
    Recurrent(hp, dw_.r, 0, 1);
    const float* bias = dw_.bias.data() + j0;
    for (int64_t b = 0; b < j.B; ++b) {
      const float* hpb = hp + b * H + j0;
      float* hnb = hn + b * H + j0;
      if (!Active(t, b)) {
        std::memcpy(hnb, hpb, static_cast<size_t>(nj) * sizeof(float));
        WriteY(t, b, hnb);
        continue;
      }
      const float* x = gx + b * j.GH + j0;
      const float* rc = rec_.data() + b * nj;
      AddThree(x, rc, bias, hnb, nj);
      ActivateArray(dw_.act[0], j.p->gate_clip, hnb, nj);
      WriteY(t, b, hnb);
    }
  }

  const Job& job_;
  DirWork& dw_;
  SpinBarrier& proj_barrier_;
  SpinBarrier& barrier_;
  const int64_t j0_, nj_;
  const bool steps_;
  std::vector<float> rec_;  // [B][G][nj]
  std::vector<float> tmp_;  // gate temporaries, [6][nj]
  std::vector<float> z_;    // GRU update gate, [B][nj]
  std::vector<float> packed_;  // [G][panels of R rows g*H + j0 ...] when job_.use_packed
  int64_t panel_floats_ = 0;
  bool reverse_panels_ = false;  // flips every step
};

// Splits H units among `count` threads at multiples of 8 (a vector), the
// last thread taking the remainder.
void UnitRange(int64_t H, int count, int index, int64_t* j0, int64_t* j1) {
  auto bound = [&](int k) -> int64_t {
    if (k >= count) return H;
    return (H * k / count) / 8 * 8;
  };
  *j0 = bound(index);
  *j1 = bound(index + 1);
}

void PrepareDirection(const Job& j, int64_t d, DirWork* dw) {
  const SequenceRnnParams& p = *j.p;
  const auto& a = *j.a;
  const int64_t GH = j.GH, H = j.H;
  dw->reverse = p.direction == RnnDirection::kReverse || (p.direction == RnnDirection::kBidirectional && d == 1);
  dw->w = a.w + d * GH * j.I;
  dw->r = a.r + d * GH * H;
  dw->aux_w = a.aux_w && a.aux_x ? a.aux_w + d * GH * j.I2 : nullptr;
  dw->peephole = a.peephole ? a.peephole + d * 3 * H : nullptr;
  dw->act = p.activations.data() + d * p.activations_per_direction();
  const float* wb = a.wb ? a.wb + d * GH : nullptr;
  const float* rb = a.rb ? a.rb + d * GH : nullptr;
  dw->bias.assign(static_cast<size_t>(GH), 0.0f);
  for (int64_t k = 0; k < GH; ++k) dw->bias[k] = (wb ? wb[k] : 0.0f) + (rb ? rb[k] : 0.0f);
  if (p.cell == RnnCell::kGru && p.linear_before_reset) {
    dw->rb_n.assign(static_cast<size_t>(H), 0.0f);
    for (int64_t k = 0; k < H; ++k) {
      dw->rb_n[k] = rb ? rb[2 * H + k] : 0.0f;
      dw->bias[2 * H + k] = wb ? wb[2 * H + k] : 0.0f;
    }
  }
  dw->gx.assign(static_cast<size_t>(j.Tc * j.B * GH), 0.0f);
  for (auto& h : dw->h) h.assign(static_cast<size_t>(j.B * H), 0.0f);
  if (p.cell == RnnCell::kLstm) dw->c.assign(static_cast<size_t>(j.B * H), 0.0f);
  if (p.cell == RnnCell::kGru && !p.linear_before_reset) dw->rh.assign(static_cast<size_t>(j.B * H), 0.0f);
  for (int64_t b = 0; b < j.B; ++b) {
    if (const float* h0 = j.Initial(a.h0, a.h0_bw, d, b)) std::memcpy(dw->h[0].data() + b * H, h0, H * sizeof(float));
    if (p.cell == RnnCell::kLstm) {
      if (const float* c0 = j.Initial(a.c0, a.c0_bw, d, b)) std::memcpy(dw->c.data() + b * H, c0, H * sizeof(float));
    }
  }
}

}  // namespace

std::string SequenceRnnFastUnsupportedReason(const SequenceRnnParams& params, const SequenceRnnRefArgs<float>& args) {
  if (params.proj_size > 0) return "LSTM projection (proj_size > 0)";
  if (args.layer_norm != nullptr) return "layer normalization";
  if (args.proj_w != nullptr) return "projection weights";
  return "";
}

Status RunSequenceRnnFast(const SequenceRnnParams& p, const SequenceRnnShapes& s, const SequenceRnnRefArgs<float>& a,
                          ThreadPool& pool, int64_t min_step_fmas_per_thread) {
  const std::string why = SequenceRnnFastUnsupportedReason(p, a);
  if (!why.empty()) return Unsupported("SequenceRnn fast path: " + why);
  Job j;
  j.p = &p;
  j.a = &a;
  j.T = s.seq_len;
  j.B = s.batch;
  j.I = s.input_size;
  j.I2 = a.aux_x && a.aux_w ? s.aux_input_size : 0;
  j.H = p.hidden_size;
  j.G = p.num_gates();
  j.GH = j.G * j.H;
  j.D = p.num_directions();
  const size_t per_dir = static_cast<size_t>(p.activations_per_direction());
  if (p.activations.size() != per_dir * static_cast<size_t>(j.D)) {
    return InvalidArgument("SequenceRnn: " + std::to_string(p.activations.size()) + " activations, expected " +
                           std::to_string(per_dir * static_cast<size_t>(j.D)));
  }
  if (!a.seq_lens.empty() && static_cast<int64_t>(a.seq_lens.size()) != j.B) {
    return InvalidArgument("SequenceRnn: " + std::to_string(a.seq_lens.size()) + " sequence lengths for batch " +
                           std::to_string(j.B));
  }
  for (size_t b = 0; b < a.seq_lens.size(); ++b) {
    if (a.seq_lens[b] < 0 || a.seq_lens[b] > j.T) {
      return InvalidArgument("sequence_lengths[" + std::to_string(b) + "] = " + std::to_string(a.seq_lens[b]) +
                             " is outside [0, T = " + std::to_string(j.T) + "]");
    }
  }
  j.lens = a.seq_lens;
  j.Tc = std::max<int64_t>(1, std::min<int64_t>(j.T, kSequenceRnnChunkFloats / std::max<int64_t>(1, j.B * j.GH)));
  // Packing R costs about two steps' worth of reading it; short sequences
  // (streaming one step per Invoke) keep sgemm, which packs per call anyway,
  // or at batch < 3 DotRows on R in place.
  j.use_packed = j.T >= kSequenceRnnPackMinSteps;
  j.use_gemm = !j.use_packed && SgemmUsesBlas() && j.B >= kSequenceRnnGemmMinBatch;

  std::vector<DirWork> dirs(static_cast<size_t>(j.D));
  for (int64_t d = 0; d < j.D; ++d) PrepareDirection(j, d, &dirs[d]);

  const int n = pool.size();
  const int groups = (j.D == 2 && n >= 2) ? 2 : 1;
  const int team[2] = {(n + groups - 1) / groups, n - (n + groups - 1) / groups};
  // A step's work split over more threads than it can pay for loses more
  // to the per-step barrier (a futex wake-up whenever the partner was
  // preempted) than it gains; the extra threads then only share the
  // projection GEMM.
  const int64_t step_fmas = j.B * j.GH * j.H;
  const int64_t want = std::max<int64_t>(1, step_fmas / std::max<int64_t>(1, min_step_fmas_per_thread));
  const int steppers[2] = {static_cast<int>(std::min<int64_t>(team[0], want)),
                           static_cast<int>(std::min<int64_t>(std::max(team[1], 1), want))};
  SpinBarrier proj_barriers[2], barriers[2];
  for (int g = 0; g < 2; ++g) {
    proj_barriers[g].Reset(g == 0 || groups == 2 ? team[g] : 1);
    barriers[g].Reset(g == 0 || groups == 2 ? steppers[g] : 1);
  }
  pool.Run([&](int tid) {
    const int g = tid < team[0] ? 0 : 1;
    const int local = g == 0 ? tid : tid - team[0];
    const bool steps = local < steppers[g];
    int64_t j0 = j.H, j1 = j.H;
    if (steps) UnitRange(j.H, steppers[g], local, &j0, &j1);
    for (int64_t d = 0; d < j.D; ++d) {
      if (groups == 2 && d != g) continue;
      DirectionWorker worker(j, dirs[d], proj_barriers[g], barriers[g], j0, j1, steps);
      worker.dir_index_ = d;
      worker.team_index_ = local;
      worker.team_size_ = team[g];
      worker.Run();
    }
  });

  const bool bm_stacked = p.state_layout == RnnStateLayout::kStacked && !p.time_major;
  for (int64_t d = 0; d < j.D; ++d) {
    const DirWork& dw = dirs[d];
    for (int64_t b = 0; b < j.B; ++b) {
      const float* h = dw.h[dw.cur].data() + b * j.H;
      const int64_t out_row = bm_stacked ? b * j.D + d : d * j.B + b;
      const size_t bytes = static_cast<size_t>(j.H) * sizeof(float);
      if (a.y_h) std::memcpy(a.y_h + out_row * j.H, h, bytes);
      if (a.final_h) std::memcpy(a.final_h + (d * j.B + b) * j.H, h, bytes);
      if (p.cell == RnnCell::kLstm) {
        const float* c = dw.c.data() + b * j.H;
        if (a.y_c) std::memcpy(a.y_c + out_row * j.H, c, bytes);
        if (a.final_c) std::memcpy(a.final_c + (d * j.B + b) * j.H, c, bytes);
      }
    }
  }
  return Status::Ok();
}

}  // namespace rnnlite
