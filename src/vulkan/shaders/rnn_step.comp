#version 450
// One vanilla RNN step, h = f(clip(Wx + R·h + b)), for every (hidden unit
// j, batch row b, direction d). Grid: x = H, y = B, z = D.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

void main() {
  const uint j = gl_GlobalInvocationID.x;
  const uint d = gl_WorkGroupID.z;
  const uint H = pc.hidden;
  const uint hprev = h_prev_base();
  const uint hnext = h_next_base();
  if (!step_valid()) {
    if (j < H) {
      state[hnext + j] = state[hprev + j];
      ys[y_base() + j] = 0.0;
    }
    return;
  }
  const bool owns_row = j < H;
  const vec4 rec = matvec(1u, owns_row, H, j, 0u, H, false, hprev);
  if (!owns_row) return;
  const float h = activate(d, 0u, clip_to(xp[xp_base(1u) + j] + rec.x, prmf(kParamGateClip)));
  state[hnext + j] = h;
  ys[y_base() + j] = h;
}
