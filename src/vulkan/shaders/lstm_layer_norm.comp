#version 450
// Second half of a layer-norm LSTM step (TFLite's layer-norm LSTM), after
// lstm_step.comp stored each gate's raw pre-activation v (W·x + R·h + the
// i/f peephole terms, no bias) in scratch. Per gate q, over the H units:
//   v' = (v - mean) / sqrt(var + 1e-8) * ln[q] + bias[q]
// then clip and activation, the cell update, the output gate (whose
// peephole term, on the new c, joins v before its norm) and h.
// One workgroup per (batch row, direction): grid (1, B, D).
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

shared float reduced;

// Sum of v over the workgroup (serial over the staged partials: cheap at
// this size, and correct for any workgroup size).
float wg_sum(float v) {
  const uint lid = gl_LocalInvocationID.x;
  tile[lid] = v;
  barrier();
  if (lid == 0u) {
    float s = 0.0;
    for (uint k = 0u; k < gl_WorkGroupSize.x; ++k) s += tile[k];
    reduced = s;
  }
  barrier();
  const float r = reduced;
  barrier();
  return r;
}

uint g_base;   // this row's raw gates in scratch
uint c_row;    // this row's c in state
uint ln_base;  // this direction's layer-norm weights / bias ([4][H]) in the parameter block

// v' of gate q at unit j, given the gate's mean and 1/stddev.
float normed(uint q, uint j, float v, float mean, float inv) {
  const uint k = ln_base + q * pc.hidden + j;
  return (v - mean) * inv * prmf(prm[kParamLayerNorm] + k) + prmf(prm[kParamLayerNormBias] + k);
}

// Raw output-gate value: stored v plus the peephole on the new cell state.
float raw_o(uint j, bool peep, uint pbase) {
  const float v = scratch[g_base + 3u * pc.hidden + j];
  return peep ? v + prmf(pbase + 2u * pc.hidden + j) * state[c_row + j] : v;
}

void stats(uint q, out float mean, out float inv) {
  const uint H = pc.hidden;
  float s = 0.0;
  for (uint j = gl_LocalInvocationID.x; j < H; j += gl_WorkGroupSize.x) s += scratch[g_base + q * H + j];
  mean = wg_sum(s) / float(H);
  float ss = 0.0;
  for (uint j = gl_LocalInvocationID.x; j < H; j += gl_WorkGroupSize.x) {
    const float dv = scratch[g_base + q * H + j] - mean;
    ss += dv * dv;
  }
  inv = 1.0 / sqrt(wg_sum(ss) / float(H) + 1e-8);
}

void main() {
  // lstm_step.comp already copied h and wrote zeros for finished rows.
  if (!step_valid()) return;
  const uint H = pc.hidden;
  const uint d = gl_WorkGroupID.z;
  const uint flags = prm[kParamFlags];
  const bool cifg = (flags & kFlagCifg) != 0u;
  const bool input_forget = (flags & kFlagInputForget) != 0u;
  const bool peep = (flags & kFlagPeephole) != 0u;
  const bool proj = (flags & kFlagProjection) != 0u;
  const float gclip = prmf(kParamGateClip);
  const uint pbase = prm[kParamPeephole] + d * 3u * H;
  g_base = ln_gates_base();
  c_row = c_base();
  ln_base = d * 4u * H;

  float mi = 0.0, ii = 0.0, mf = 0.0, if_ = 0.0, mg, ig;
  if (!cifg) stats(0u, mi, ii);
  if (!input_forget) stats(1u, mf, if_);
  stats(2u, mg, ig);
  for (uint j = gl_LocalInvocationID.x; j < H; j += gl_WorkGroupSize.x) {
    float i = 0.0;
    float f = 0.0;
    if (!cifg) i = activate(d, 0u, clip_to(normed(0u, j, scratch[g_base + j], mi, ii), gclip));
    if (!input_forget) f = activate(d, 0u, clip_to(normed(1u, j, scratch[g_base + H + j], mf, if_), gclip));
    if (cifg) i = 1.0 - f;
    if (input_forget) f = 1.0 - i;
    const float g = activate(d, 1u, clip_to(normed(2u, j, scratch[g_base + 2u * H + j], mg, ig), gclip));
    state[c_row + j] = clip_to(f * state[c_row + j] + i * g, prmf(kParamCellClip));
  }
  // The output gate: each invocation re-reads only the c it wrote itself.
  float s = 0.0;
  for (uint j = gl_LocalInvocationID.x; j < H; j += gl_WorkGroupSize.x) s += raw_o(j, peep, pbase);
  const float mo = wg_sum(s) / float(H);
  float ss = 0.0;
  for (uint j = gl_LocalInvocationID.x; j < H; j += gl_WorkGroupSize.x) {
    const float dv = raw_o(j, peep, pbase) - mo;
    ss += dv * dv;
  }
  const float io = 1.0 / sqrt(wg_sum(ss) / float(H) + 1e-8);
  const uint hnext = h_next_base();
  const uint yb = y_base();
  for (uint j = gl_LocalInvocationID.x; j < H; j += gl_WorkGroupSize.x) {
    const float o = activate(d, 0u, clip_to(normed(3u, j, raw_o(j, peep, pbase), mo, io), gclip));
    const float h = o * activate(d, 2u, state[c_row + j]);
    if (proj) {
      scratch[state_row() * H + j] = h;
    } else {
      state[hnext + j] = h;
      ys[yb + j] = h;
    }
  }
}
