#include "cuda/rnn_host_io.h"

#include <algorithm>
#include <cstring>

namespace rnnlite::cu {
namespace {

namespace in = seq_rnn_input;

void CopyOrZero(const float* src, int64_t n, float* dst) {
  if (src != nullptr) {
    std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(float));
  } else {
    std::fill(dst, dst + n, 0.0f);
  }
}

int64_t StepTime(const RnnNodePlan& p, int64_t d, int64_t len, int64_t s) {
  return (s < len && p.reverse(d)) ? len - 1 - s : s;
}

int64_t InputOffset(const RnnNodePlan& p, int64_t time, int64_t b, int64_t width) {
  return (p.params.time_major ? time * p.B + b : b * p.T + time) * width;
}

float* OutputRow(const RnnNodePlan& p, const RnnHostTensors& t, int64_t time, int64_t d, int64_t b) {
  const bool tm = p.params.time_major;
  const int64_t T = p.T, B = p.B, D = p.D, X = p.X;
  switch (p.params.output_layout) {
    case RnnOutputLayout::kStacked:
      return t.y ? t.y + (tm ? (time * D + d) * B + b : (b * T + time) * D + d) * X : nullptr;
    case RnnOutputLayout::kConcat:
      return t.y ? t.y + ((tm ? time * B + b : b * T + time) * D + d) * X : nullptr;
    case RnnOutputLayout::kSplit: {
      float* base = d == 0 ? t.y : t.y_bw;
      return base ? base + (tm ? time * B + b : b * T + time) * X : nullptr;
    }
  }
  return nullptr;
}

bool Stacked(const RnnNodePlan& p) { return p.params.state_layout == RnnStateLayout::kStacked; }

const float* InitialRow(const RnnNodePlan& p, const float* stacked_or_fw, const float* bw, int64_t d, int64_t b,
                        int64_t width) {
  if (Stacked(p)) {
    if (stacked_or_fw == nullptr) return nullptr;
    return stacked_or_fw + (p.params.time_major ? d * p.B + b : b * p.D + d) * width;
  }
  const float* base = d == 0 ? stacked_or_fw : bw;
  return base ? base + b * width : nullptr;
}

}  // namespace

void GatherInputs(const RnnNodePlan& p, const RnnHostTensors& t, const std::vector<int32_t>& lens, int64_t s0,
                  int64_t n, float* xs) {
  const int64_t B = p.B, K = p.K;
  for (int64_t d = 0; d < p.D; ++d) {
    for (int64_t sl = 0; sl < n; ++sl) {
      const int64_t s = s0 + sl;
      for (int64_t b = 0; b < B; ++b) {
        float* dst = xs + ((d * p.chunk + sl) * B + b) * K;
        const int64_t len = lens[static_cast<size_t>(b)];
        if (s >= len) {
          std::fill(dst, dst + K, 0.0f);
          continue;
        }
        const int64_t time = StepTime(p, d, len, s);
        CopyOrZero(t.x + InputOffset(p, time, b, p.I), p.I, dst);
        if (p.I2 > 0) CopyOrZero(t.aux_x ? t.aux_x + InputOffset(p, time, b, p.I2) : nullptr, p.I2, dst + p.I);
      }
    }
  }
}

void ScatterOutputs(const RnnNodePlan& p, const std::vector<int32_t>& lens, int64_t s0, int64_t n, const float* ys,
                    const RnnHostTensors& t) {
  for (int64_t d = 0; d < p.D; ++d) {
    for (int64_t sl = 0; sl < n; ++sl) {
      const int64_t s = s0 + sl;
      for (int64_t b = 0; b < p.B; ++b) {
        const int64_t len = lens[static_cast<size_t>(b)];
        float* dst = OutputRow(p, t, StepTime(p, d, len, s), d, b);
        if (dst == nullptr) continue;
        // Past the row's length the output is zero, whatever the engine wrote.
        CopyOrZero(s < len ? ys + ((d * p.chunk + sl) * p.B + b) * p.X : nullptr, p.X, dst);
      }
    }
  }
}

void PackInitialState(const RnnNodePlan& p, const RnnHostTensors& t, float* h, float* c) {
  for (int64_t d = 0; d < p.D; ++d) {
    for (int64_t b = 0; b < p.B; ++b) {
      CopyOrZero(InitialRow(p, t.h0, t.h0_bw, d, b, p.X), p.X, h + (d * p.B + b) * p.X);
      CopyOrZero(InitialRow(p, t.c0, t.c0_bw, d, b, p.H), p.H, c + (d * p.B + b) * p.H);
    }
  }
}

void UnpackFinalState(const RnnNodePlan& p, const float* h, const float* c, const RnnHostTensors& t) {
  const bool bm_stacked = Stacked(p) && !p.params.time_major;
  for (int64_t d = 0; d < p.D; ++d) {
    for (int64_t b = 0; b < p.B; ++b) {
      const int64_t row = bm_stacked ? b * p.D + d : d * p.B + b;
      if (t.y_h != nullptr) CopyOrZero(h + (d * p.B + b) * p.X, p.X, t.y_h + row * p.X);
      if (t.y_c != nullptr) CopyOrZero(c + (d * p.B + b) * p.H, p.H, t.y_c + row * p.H);
    }
  }
}

StateRegion RegionOfStateSlot(const RnnNodePlan& p, int slot) {
  StateRegion r;
  r.is_c = slot == in::kC0 || slot == in::kC0Bw;
  if (Stacked(p)) {
    r.d0 = 0;
    r.dirs = p.D;
    r.batch_major = !p.params.time_major;
  } else {
    r.d0 = (slot == in::kH0Bw || slot == in::kC0Bw) ? 1 : 0;
    r.dirs = 1;
  }
  return r;
}

void RegionToTensor(const RnnNodePlan& p, const StateRegion& r, const float* canonical, float* tensor) {
  const int64_t w = r.is_c ? p.H : p.X;
  for (int64_t d = 0; d < r.dirs; ++d) {
    for (int64_t b = 0; b < p.B; ++b) {
      const int64_t row = r.batch_major ? b * r.dirs + d : d * p.B + b;
      CopyOrZero(canonical + (d * p.B + b) * w, w, tensor + row * w);
    }
  }
}

void TensorToRegion(const RnnNodePlan& p, const StateRegion& r, const float* tensor, float* canonical) {
  const int64_t w = r.is_c ? p.H : p.X;
  for (int64_t d = 0; d < r.dirs; ++d) {
    for (int64_t b = 0; b < p.B; ++b) {
      const int64_t row = r.batch_major ? b * r.dirs + d : d * p.B + b;
      CopyOrZero(tensor + row * w, w, canonical + (d * p.B + b) * w);
    }
  }
}

}  // namespace rnnlite::cu
