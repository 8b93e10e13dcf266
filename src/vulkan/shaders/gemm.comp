#version 450
// Batched C[z] = A[z] · W[z]^T + bias[z] for the input projection of a time
// chunk: A = gathered inputs, M rows of K (M = steps * batch rows), W =
// input weights [Z][N][K] (N = G*H), C = M rows of N; z is the direction,
// and A[z] / C[z] start at z * a_zstride / z * c_zstride (a chunk buffer's
// stride, which exceeds M * K in a short last chunk). Square tiles of A and
// W are staged in shared memory.
// RNNLITE_FP16_WEIGHTS: W is float16_t (VK_KHR_16bit_storage), widened to
// fp32 on load; A, the tiles and the sums stay fp32.
#ifdef RNNLITE_FP16_WEIGHTS
#extension GL_EXT_shader_16bit_storage : require
#define RNNLITE_WEIGHT float16_t
#else
#define RNNLITE_WEIGHT float
#endif

layout(local_size_x_id = 0, local_size_y_id = 0) in;

layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer W { RNNLITE_WEIGHT w[]; };
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, binding = 3) writeonly buffer C { float c[]; };

layout(push_constant) uniform Push {
  uint m;
  uint n;
  uint k;
  uint a_zstride;
  uint c_zstride;
} pc;

shared float a_tile[gl_WorkGroupSize.y][gl_WorkGroupSize.x];
shared float w_tile[gl_WorkGroupSize.y][gl_WorkGroupSize.x];

void main() {
  const uint ts = gl_WorkGroupSize.x;
  const uint lx = gl_LocalInvocationID.x;
  const uint ly = gl_LocalInvocationID.y;
  const uint z = gl_WorkGroupID.z;
  const uint row = gl_WorkGroupID.y * ts + ly;   // of C and A
  const uint col = gl_WorkGroupID.x * ts + lx;   // of C
  const uint wrow = gl_WorkGroupID.x * ts + ly;  // W row this invocation loads
  const uint abase = z * pc.a_zstride;
  const uint wbase = z * pc.n * pc.k;
  float acc = 0.0;
  for (uint k0 = 0u; k0 < pc.k; k0 += ts) {
    const uint kk = k0 + lx;
    a_tile[ly][lx] = (row < pc.m && kk < pc.k) ? a[abase + row * pc.k + kk] : 0.0;
    w_tile[ly][lx] = (wrow < pc.n && kk < pc.k) ? float(w[wbase + wrow * pc.k + kk]) : 0.0;
    barrier();
    for (uint t = 0u; t < ts; ++t) acc += a_tile[ly][t] * w_tile[lx][t];
    barrier();
  }
  if (row < pc.m && col < pc.n) c[z * pc.c_zstride + row * pc.n + col] = acc + bias[z * pc.n + col];
}
