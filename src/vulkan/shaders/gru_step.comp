#version 450
// One GRU step (gates r, z, n) for every (hidden unit j, batch row b,
// direction d). MODE selects the variant:
//   0: linear_before_reset = 1, the whole step here:
//        n = g(Wx_n + Wb_n + r * (R_n·h + Rb_n))
//   1: linear_before_reset = 0, first half: r and z; writes r*h and z to
//      scratch ([D][B][H] each), because n needs R_n·(r*h) over all units
//   2: linear_before_reset = 0, second half: n = g(Wx_n + R_n·(r*h) + Wb_n + Rb_n)
// then h = (1 - z) * n + z * h_prev. Grid: x = H, y = B, z = D.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(constant_id = 1) const uint MODE = 0u;

void main() {
  const uint j = gl_GlobalInvocationID.x;
  const uint d = gl_WorkGroupID.z;
  const uint H = pc.hidden;
  const uint hprev = h_prev_base();
  const uint hnext = h_next_base();
  if (!step_valid()) {
    if (MODE != 1u && j < H) {
      state[hnext + j] = state[hprev + j];
      ys[y_base() + j] = 0.0;
    }
    return;
  }
  const bool owns_row = j < H;
  const uint row = state_row();
  const uint scratch_z = pc.dirs * pc.batch * H;
  const float gclip = prmf(kParamGateClip);
  const uint xb = xp_base(3u) + j;
  if (MODE == 2u) {
    const vec4 rn = matvec(1u, owns_row, 3u * H, 2u * H + j, 0u, H, true, row * H);
    if (!owns_row) return;
    const float n = activate(d, 1u, clip_to(xp[xb + 2u * H] + rn.x, gclip));
    const float z = scratch[scratch_z + row * H + j];
    const float h = (1.0 - z) * n + z * state[hprev + j];
    state[hnext + j] = h;
    ys[y_base() + j] = h;
    return;
  }
  const vec4 rec = matvec(MODE == 0u ? 3u : 2u, owns_row, 3u * H, j, H, H, false, hprev);
  if (!owns_row) return;
  const float r = activate(d, 0u, clip_to(xp[xb] + rec.x, gclip));
  const float z = activate(d, 0u, clip_to(xp[xb + H] + rec.y, gclip));
  const float hp = state[hprev + j];
  if (MODE == 1u) {
    scratch[row * H + j] = r * hp;
    scratch[scratch_z + row * H + j] = z;
    return;
  }
  const float rbn = prmf(prm[kParamRbn] + d * H + j);
  const float n = activate(d, 1u, clip_to(xp[xb + 2u * H] + r * (rec.z + rbn), gclip));
  const float h = (1.0 - z) * n + z * hp;
  state[hnext + j] = h;
  ys[y_base() + j] = h;
}
