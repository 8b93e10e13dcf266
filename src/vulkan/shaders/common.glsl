// Shared by the per-step shaders (lstm_step, gru_step, rnn_step,
// lstm_project): one descriptor layout, the push constants, the node's
// parameter block and the activation functions. The layout of the parameter
// block is mirrored by src/vulkan/rnn_layout.h (kParam*); keep both in step.

// RNNLITE_FP16_WEIGHTS (the fp16 variants, see CMakeLists.txt): the matrix
// is stored as float16_t (VK_KHR_16bit_storage) and widened on load; every
// sum, the state and the gate math stay fp32.
#ifdef RNNLITE_FP16_WEIGHTS
#extension GL_EXT_shader_16bit_storage : require
#define RNNLITE_WEIGHT float16_t
#else
#define RNNLITE_WEIGHT float
#endif

layout(local_size_x_id = 0) in;

// Every step shader sees the same seven buffers (unused ones stay bound).
layout(std430, binding = 0) readonly buffer Xp { float xp[]; };       // [D][Tc][B][G*H] input projection
layout(std430, binding = 1) readonly buffer Mat { RNNLITE_WEIGHT mat[]; };     // R^T [D][X][G*H] or proj_w^T [D][H][P]
layout(std430, binding = 2) buffer State { float state[]; };          // h [2][D][B][X], then c [D][B][H]
layout(std430, binding = 3) readonly buffer Lens { int lens[]; };     // [B] valid steps per batch row
layout(std430, binding = 4) writeonly buffer Ys { float ys[]; };      // [D][Tc][B][X] step outputs
layout(std430, binding = 5) readonly buffer Params { uint prm[]; };   // header + small vectors
layout(std430, binding = 6) buffer Scratch { float scratch[]; };      // per-step temporaries

layout(push_constant) uniform Push {
  uint step;    // global step index s (the time a row reads is derived from s)
  uint lstep;   // s within the current chunk
  uint parity;  // which half of h holds the previous step's state
  uint tc;      // steps per chunk (stride of xp / ys)
  uint batch;   // B
  uint hidden;  // H
  uint width;   // X: recurrent width (P with projection, else H)
  uint dirs;    // D
} pc;

const uint kParamCellClip = 18u;
const uint kParamGateClip = 19u;
const uint kParamProjClip = 20u;
const uint kParamFlags = 21u;
const uint kParamPeephole = 22u;
const uint kParamRbn = 23u;
const uint kParamProjBias = 24u;
const uint kParamLayerNorm = 25u;      // offset of layer-norm weights [D][4][H]
const uint kParamLayerNormBias = 26u;  // offset of the bias added after the norm [D][4][H]

const uint kFlagCifg = 1u;
const uint kFlagInputForget = 2u;
const uint kFlagPeephole = 4u;
const uint kFlagProjection = 8u;
const uint kFlagProjBias = 16u;
const uint kFlagLayerNorm = 32u;

float prmf(uint i) { return uintBitsToFloat(prm[i]); }

// Activation `a` (0: f, 1: g, 2: h in ONNX terms) of direction d.
float activate(uint d, uint a, float x) {
  uint base = (d * 3u + a) * 3u;
  uint kind = prm[base];
  float alpha = prmf(base + 1u);
  float beta = prmf(base + 2u);
  switch (kind) {
    case 0u: return 1.0 / (1.0 + exp(-x));
    // Clamped: tanh built from exp overflows to inf/inf for large |x|, and
    // tanh(10) already rounds to 1.0f.
    case 1u: return tanh(clamp(x, -10.0, 10.0));
    case 2u: return max(0.0, x);
    case 3u: return clamp(alpha * x + beta, 0.0, 1.0);
    case 4u: return x >= 0.0 ? x : alpha * x;
    case 5u: return x > alpha ? x : 0.0;
    case 6u: return alpha * tanh(clamp(beta * x, -10.0, 10.0));
    case 7u: return alpha * x + beta;
    case 8u: return x >= 0.0 ? x : alpha * (exp(x) - 1.0);
    case 9u: return x / (1.0 + abs(x));
    case 10u: return x > 0.0 ? x + log(1.0 + exp(-x)) : log(1.0 + exp(x));
    case 11u: return clamp(x, 0.0, 6.0);
    case 12u: return clamp(x, -1.0, 1.0);
  }
  return x;
}

// limit 0 means no clipping.
float clip_to(float v, float limit) { return limit > 0.0 ? clamp(v, -limit, limit) : v; }

shared float tile[gl_WorkGroupSize.x];

// acc[q] = sum_k M[row0 + q * qstride][k] * v[k] for q < nq, where M is
// direction d's N x K matrix, stored transposed (mat[(d * K + k) * N + row]:
// neighbouring invocations read neighbouring words), and v is
// state[vbase..] or scratch[vbase..]. The vector is staged through shared
// memory one workgroup-sized tile at a time, so K is unbounded. Every
// invocation of the workgroup must call this (it has barriers); `owns_row`
// says whether this one owns a row.
vec4 matvec(uint nq, bool owns_row, uint N, uint row0, uint qstride, uint K, bool from_scratch, uint vbase) {
  vec4 acc = vec4(0.0);
  const uint wg = gl_WorkGroupSize.x;
  const uint lid = gl_LocalInvocationID.x;
  const uint dbase = gl_WorkGroupID.z * K * N;
  for (uint k0 = 0u; k0 < K; k0 += wg) {
    float v = 0.0;
    if (k0 + lid < K) v = from_scratch ? scratch[vbase + k0 + lid] : state[vbase + k0 + lid];
    tile[lid] = v;
    barrier();
    if (owns_row) {
      uint n = min(wg, K - k0);
      for (uint q = 0u; q < nq; ++q) {
        uint at = dbase + k0 * N + row0 + q * qstride;
        float s = 0.0;
        for (uint kk = 0u; kk < n; ++kk, at += N) s += float(mat[at]) * tile[kk];
        acc[q] += s;
      }
    }
    barrier();
  }
  return acc;
}

// Offsets shared by the step shaders for batch row b of direction d.
uint state_row() { return gl_WorkGroupID.z * pc.batch + gl_WorkGroupID.y; }
uint h_prev_base() { return pc.parity * pc.dirs * pc.batch * pc.width + state_row() * pc.width; }
uint h_next_base() { return (1u - pc.parity) * pc.dirs * pc.batch * pc.width + state_row() * pc.width; }
uint c_base() { return 2u * pc.dirs * pc.batch * pc.width + state_row() * pc.hidden; }
uint y_base() { return ((gl_WorkGroupID.z * pc.tc + pc.lstep) * pc.batch + gl_WorkGroupID.y) * pc.width; }
// Layer-norm LSTM: the raw gate pre-activations of row (d, b), [4][H] each,
// after the [D][B][H] projection input m in scratch.
uint ln_gates_base() { return (pc.dirs * pc.batch + state_row() * 4u) * pc.hidden; }
uint xp_base(uint gates) {
  return ((gl_WorkGroupID.z * pc.tc + pc.lstep) * pc.batch + gl_WorkGroupID.y) * gates * pc.hidden;
}
// Steps at or past a row's length leave its state alone and write zeros.
bool step_valid() { return int(pc.step) < lens[gl_WorkGroupID.y]; }
