#version 450
// LSTM projection after lstm_step.comp: h = clip(proj_w · m + proj_b) for
// every (projected unit k, batch row b, direction d), m = o * h(c) from
// scratch. Rows past their length keep h and write zeros.
// Grid: x = P (rounded up to the workgroup), y = B, z = D.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

void main() {
  const uint k = gl_GlobalInvocationID.x;
  const uint d = gl_WorkGroupID.z;
  const uint P = pc.width;
  const uint H = pc.hidden;
  const uint hprev = h_prev_base();
  const uint hnext = h_next_base();
  if (!step_valid()) {
    if (k < P) {
      state[hnext + k] = state[hprev + k];
      ys[y_base() + k] = 0.0;
    }
    return;
  }
  const bool owns_row = k < P;
  const vec4 acc = matvec(1u, owns_row, P, k, 0u, H, true, state_row() * H);
  if (!owns_row) return;
  float v = acc.x;
  if ((prm[kParamFlags] & kFlagProjBias) != 0u) v += prmf(prm[kParamProjBias] + d * P + k);
  v = clip_to(v, prmf(kParamProjClip));
  state[hnext + k] = v;
  ys[y_base() + k] = v;
}
