#version 450
// One LSTM step for every (hidden unit j, batch row b, direction d): the
// recurrent matvec R·h for the four gates (i, f, g, o), then the fused cell
// update with peepholes, CIFG / input_forget, gate clip and cell clip.
// With a projection the output m = o * h(c) goes to scratch and
// lstm_project.comp turns it into h; otherwise h is written here. With
// layer norm this shader only stores the raw pre-activations (plus the i/f
// peephole terms) in scratch and lstm_layer_norm.comp finishes the step.
// Grid: x = H (rounded up to the workgroup), y = B, z = D.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

void main() {
  const uint j = gl_GlobalInvocationID.x;
  const uint d = gl_WorkGroupID.z;
  const uint H = pc.hidden;
  const uint flags = prm[kParamFlags];
  const bool proj = (flags & kFlagProjection) != 0u;
  const uint hprev = h_prev_base();
  const uint hnext = h_next_base();
  // Uniform per workgroup (one batch row per workgroup), so the early
  // return never splits a barrier.
  if (!step_valid()) {
    if (!proj && j < H) {
      state[hnext + j] = state[hprev + j];
      ys[y_base() + j] = 0.0;
    }
    return;
  }
  const bool owns_row = j < H;
  const vec4 rec = matvec(4u, owns_row, 4u * H, j, H, pc.width, false, hprev);
  if (!owns_row) return;

  const uint xb = xp_base(4u) + j;
  float gi = xp[xb] + rec.x;
  float gf = xp[xb + H] + rec.y;
  float gg = xp[xb + 2u * H] + rec.z;
  float go = xp[xb + 3u * H] + rec.w;
  const uint ci = c_base() + j;
  const float c = state[ci];
  const bool peep = (flags & kFlagPeephole) != 0u;
  const uint pbase = prm[kParamPeephole] + d * 3u * H + j;
  if ((flags & kFlagLayerNorm) != 0u) {
    const uint gb = ln_gates_base() + j;
    scratch[gb] = peep ? gi + prmf(pbase) * c : gi;
    scratch[gb + H] = peep ? gf + prmf(pbase + H) * c : gf;
    scratch[gb + 2u * H] = gg;
    scratch[gb + 3u * H] = go;
    return;
  }
  const float gclip = prmf(kParamGateClip);
  const bool cifg = (flags & kFlagCifg) != 0u;
  const bool input_forget = (flags & kFlagInputForget) != 0u;
  float i = 0.0;
  float f = 0.0;
  if (!cifg) {
    if (peep) gi += prmf(pbase) * c;
    i = activate(d, 0u, clip_to(gi, gclip));
  }
  if (!input_forget) {
    if (peep) gf += prmf(pbase + H) * c;
    f = activate(d, 0u, clip_to(gf, gclip));
  }
  if (cifg) i = 1.0 - f;
  if (input_forget) f = 1.0 - i;
  const float g = activate(d, 1u, clip_to(gg, gclip));
  const float cn = clip_to(f * c + i * g, prmf(kParamCellClip));
  // The output gate's peephole looks at the new cell state.
  if (peep) go += prmf(pbase + 2u * H) * cn;
  const float o = activate(d, 0u, clip_to(go, gclip));
  const float h = o * activate(d, 2u, cn);
  state[ci] = cn;
  if (proj) {
    scratch[state_row() * H + j] = h;
  } else {
    state[hnext + j] = h;
    ys[y_base() + j] = h;
  }
}
