// Fused pointwise step kernels of the custom engine. The arithmetic mirrors
// the CPU reference (src/cpu_fallback/sequence_rnn_ref.cc) operation for
// operation, summation order included where it can, so fp32 results agree
// to a few ulps per step: pre-activation = (x-part + R-part) [+ peephole]
// + (wb + rb), then layer norm, ONNX clip, activation.
#include "cuda/rnn_kernels.h"

namespace rnnlite::cu {
namespace {

constexpr int kThreads = 128;    // pointwise kernels: one thread per unit
constexpr int kLnThreads = 256;  // layer norm: one block per (row, direction)
constexpr float kLnEpsilon = 1e-8f;  // kRnnLayerNormEpsilon

__device__ float Act(const DevAct& a, float x) {
  switch (a.kind) {
    case 0: return 1.0f / (1.0f + expf(-x));
    case 1: return tanhf(x);
    case 2: return fmaxf(0.0f, x);
    case 3: return fmaxf(0.0f, fminf(1.0f, a.alpha * x + a.beta));
    case 4: return x >= 0.0f ? x : a.alpha * x;
    case 5: return x > a.alpha ? x : 0.0f;
    case 6: return a.alpha * tanhf(a.beta * x);
    case 7: return a.alpha * x + a.beta;
    case 8: return x >= 0.0f ? x : a.alpha * (expf(x) - 1.0f);
    case 9: return x / (1.0f + fabsf(x));
    case 10: return x > 0.0f ? x + log1pf(expf(-x)) : log1pf(expf(x));
    case 11: return fminf(6.0f, fmaxf(0.0f, x));
    case 12: return fminf(1.0f, fmaxf(-1.0f, x));
    default: return x;
  }
}

__device__ float Clip(float v, float limit) { return limit > 0.0f ? fminf(limit, fmaxf(-limit, v)) : v; }

__device__ bool Valid(const StepArgs& a, int b) { return a.step < a.lens[b]; }

// Offsets of (d, b) rows.
__device__ int64_t XpRow(const StepArgs& a, int d, int b) {
  return ((static_cast<int64_t>(d) * a.chunk + a.local) * a.B + b) * a.GH;
}
__device__ int64_t YsRow(const StepArgs& a, int d, int b) {
  return ((static_cast<int64_t>(d) * a.chunk + a.local) * a.B + b) * a.X;
}
__device__ int64_t Row(const StepArgs& a, int d, int b, int width) {
  return (static_cast<int64_t>(d) * a.B + b) * width;
}

// Gate q's value from its raw pre-activation (no bias yet), without layer norm.
__device__ float Finish(const StepArgs& a, int d, int q, int j, const DevAct& act, float raw) {
  const int k = d * a.GH + q * a.H + j;
  return Act(act, Clip(raw + (a.wb[k] + a.rb[k]), a.gate_clip));
}

// ---------------------------------------------------------------- LSTM ----

__device__ void LstmOutput(const StepArgs& a, int d, int b, int j, float hf) {
  if (a.P > 0) {
    a.m[Row(a, d, b, a.H) + j] = hf;
  } else {
    a.h_next[Row(a, d, b, a.X) + j] = hf;
    a.ys[YsRow(a, d, b) + j] = hf;
  }
}

__global__ void LstmStepKernel(StepArgs a) {
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  const int b = blockIdx.y, d = blockIdx.z;
  if (j >= a.H) return;
  if (!Valid(a, b)) {
    if (a.P == 0) a.h_next[Row(a, d, b, a.X) + j] = a.h_cur[Row(a, d, b, a.X) + j];
    return;
  }
  const int H = a.H;
  const float* xp = a.xp + XpRow(a, d, b);
  const float* rec = a.rec + Row(a, d, b, a.GH);
  const float* peep = a.peephole ? a.peephole + static_cast<int64_t>(d) * 3 * H : nullptr;
  const DevAct* act = a.act + 3 * d;
  float* cp = a.c + Row(a, d, b, H) + j;
  const float c = *cp;
  float i = 0.0f, f = 0.0f;
  if (!a.cifg) {
    float raw = xp[j] + rec[j];
    if (peep) raw += peep[j] * c;
    i = Finish(a, d, 0, j, act[0], raw);
  }
  if (!a.input_forget) {
    float raw = xp[H + j] + rec[H + j];
    if (peep) raw += peep[H + j] * c;
    f = Finish(a, d, 1, j, act[0], raw);
  }
  if (a.cifg) i = 1.0f - f;
  if (a.input_forget) f = 1.0f - i;
  const float g = Finish(a, d, 2, j, act[1], xp[2 * H + j] + rec[2 * H + j]);
  const float c_new = Clip(f * c + i * g, a.cell_clip);
  *cp = c_new;
  float raw_o = xp[3 * H + j] + rec[3 * H + j];
  if (peep) raw_o += peep[2 * H + j] * c_new;
  const float o = Finish(a, d, 3, j, act[0], raw_o);
  LstmOutput(a, d, b, j, o * Act(act[2], c_new));
}

// Sum over the block (blockDim.x == kLnThreads); every thread gets it.
__device__ float BlockSum(float v, float* shared) {
  shared[threadIdx.x] = v;
  __syncthreads();
  for (int s = kLnThreads / 2; s > 0; s >>= 1) {
    if (static_cast<int>(threadIdx.x) < s) shared[threadIdx.x] += shared[threadIdx.x + s];
    __syncthreads();
  }
  const float total = shared[0];
  __syncthreads();
  return total;
}

// Layer-normalizes gate q held raw in v[0..H) and turns it into its value, in place.
__device__ void NormGate(const StepArgs& a, int d, int q, const DevAct& act, float* v, float* shared) {
  const int H = a.H;
  float s = 0.0f;
  for (int j = threadIdx.x; j < H; j += kLnThreads) s += v[j];
  const float mean = BlockSum(s, shared) / static_cast<float>(H);
  float sq = 0.0f;
  for (int j = threadIdx.x; j < H; j += kLnThreads) sq += (v[j] - mean) * (v[j] - mean);
  const float var = BlockSum(sq, shared) / static_cast<float>(H);
  const float inv = 1.0f / sqrtf(var + kLnEpsilon);
  const float* ln = a.layer_norm + (static_cast<int64_t>(d) * 4 + q) * H;
  for (int j = threadIdx.x; j < H; j += kLnThreads) {
    const int k = d * a.GH + q * H + j;
    v[j] = Act(act, Clip((v[j] - mean) * inv * ln[j] + (a.wb[k] + a.rb[k]), a.gate_clip));
  }
  __syncthreads();
}

// Layer norm couples all H units of a gate: one block per (row, direction).
// Raw gates, then values, live in rec's row (scratch for this step).
__global__ void LstmLayerNormKernel(StepArgs a) {
  __shared__ float shared[kLnThreads];
  const int b = blockIdx.y, d = blockIdx.z, H = a.H;
  if (!Valid(a, b)) {
    if (a.P == 0) {
      for (int j = threadIdx.x; j < H; j += kLnThreads) a.h_next[Row(a, d, b, a.X) + j] = a.h_cur[Row(a, d, b, a.X) + j];
    }
    return;
  }
  const float* xp = a.xp + XpRow(a, d, b);
  float* v = a.rec + Row(a, d, b, a.GH);
  float* c = a.c + Row(a, d, b, H);
  const float* peep = a.peephole ? a.peephole + static_cast<int64_t>(d) * 3 * H : nullptr;
  const DevAct* act = a.act + 3 * d;
  for (int j = threadIdx.x; j < H; j += kLnThreads) {
    for (int q = 0; q < 3; ++q) {
      float raw = xp[q * H + j] + v[q * H + j];
      if (peep && q < 2) raw += peep[q * H + j] * c[j];
      v[q * H + j] = raw;
    }
  }
  __syncthreads();
  if (!a.cifg) NormGate(a, d, 0, act[0], v, shared);
  if (!a.input_forget) NormGate(a, d, 1, act[0], v + H, shared);
  NormGate(a, d, 2, act[1], v + 2 * H, shared);
  for (int j = threadIdx.x; j < H; j += kLnThreads) {
    float i = v[j], f = v[H + j];
    if (a.cifg) i = 1.0f - f;
    if (a.input_forget) f = 1.0f - i;
    const float c_new = Clip(f * c[j] + i * v[2 * H + j], a.cell_clip);
    c[j] = c_new;
    float raw_o = xp[3 * H + j] + v[3 * H + j];
    if (peep) raw_o += peep[2 * H + j] * c_new;
    v[3 * H + j] = raw_o;
  }
  __syncthreads();
  NormGate(a, d, 3, act[0], v + 3 * H, shared);
  for (int j = threadIdx.x; j < H; j += kLnThreads) LstmOutput(a, d, b, j, v[3 * H + j] * Act(act[2], c[j]));
}

__global__ void ProjFinishKernel(StepArgs a) {
  const int k = blockIdx.x * blockDim.x + threadIdx.x;
  const int b = blockIdx.y, d = blockIdx.z;
  if (k >= a.P) return;
  const int64_t row = Row(a, d, b, a.X);
  if (!Valid(a, b)) {
    a.h_next[row + k] = a.h_cur[row + k];
    return;
  }
  const float bias = a.proj_b ? a.proj_b[static_cast<int64_t>(d) * a.P + k] : 0.0f;
  const float h = Clip(bias + a.hp[Row(a, d, b, a.P) + k], a.proj_clip);
  a.h_next[row + k] = h;
  a.ys[YsRow(a, d, b) + k] = h;
}

// ----------------------------------------------------------------- GRU ----

__device__ void GruOutput(const StepArgs& a, int d, int b, int j, float z, float n) {
  const int64_t row = Row(a, d, b, a.X);
  const float h = (1.0f - z) * n + z * a.h_cur[row + j];
  a.h_next[row + j] = h;
  a.ys[YsRow(a, d, b) + j] = h;
}

__device__ bool KeepRow(const StepArgs& a, int d, int b, int j) {
  if (Valid(a, b)) return false;
  a.h_next[Row(a, d, b, a.X) + j] = a.h_cur[Row(a, d, b, a.X) + j];
  return true;
}

__global__ void GruLbrKernel(StepArgs a) {
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  const int b = blockIdx.y, d = blockIdx.z, H = a.H;
  if (j >= H || KeepRow(a, d, b, j)) return;
  const float* xp = a.xp + XpRow(a, d, b);
  const float* rec = a.rec + Row(a, d, b, a.GH);
  const DevAct* act = a.act + 3 * d;
  const float r = Finish(a, d, 0, j, act[0], xp[j] + rec[j]);
  const float z = Finish(a, d, 1, j, act[0], xp[H + j] + rec[H + j]);
  const int kn = d * a.GH + 2 * H + j;
  const float n_raw = xp[2 * H + j] + (r * (rec[2 * H + j] + a.rb[kn]) + a.wb[kn]);
  GruOutput(a, d, b, j, z, Act(act[1], Clip(n_raw, a.gate_clip)));
}

__global__ void GruGatesKernel(StepArgs a) {
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  const int b = blockIdx.y, d = blockIdx.z, H = a.H;
  if (j >= H) return;
  const int64_t row = Row(a, d, b, H);
  if (!Valid(a, b)) {
    a.m[row + j] = 0.0f;  // keeps the R_n GEMM's output finite; unused
    return;
  }
  const float* xp = a.xp + XpRow(a, d, b);
  const float* rec = a.rec + Row(a, d, b, a.GH);
  const DevAct* act = a.act + 3 * d;
  const float r = Finish(a, d, 0, j, act[0], xp[j] + rec[j]);
  a.z[row + j] = Finish(a, d, 1, j, act[0], xp[H + j] + rec[H + j]);
  a.m[row + j] = r * a.h_cur[Row(a, d, b, a.X) + j];
}

__global__ void GruFinishKernel(StepArgs a) {
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  const int b = blockIdx.y, d = blockIdx.z, H = a.H;
  if (j >= H || KeepRow(a, d, b, j)) return;
  const float* xp = a.xp + XpRow(a, d, b);
  const float* rec = a.rec + Row(a, d, b, a.GH);
  const int kn = d * a.GH + 2 * H + j;
  const float n_raw = xp[2 * H + j] + (rec[2 * H + j] + (a.wb[kn] + a.rb[kn]));
  GruOutput(a, d, b, j, a.z[Row(a, d, b, H) + j], Act(a.act[3 * d + 1], Clip(n_raw, a.gate_clip)));
}

// ----------------------------------------------------------------- RNN ----

__global__ void RnnStepKernel(StepArgs a) {
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  const int b = blockIdx.y, d = blockIdx.z;
  if (j >= a.H || KeepRow(a, d, b, j)) return;
  const float* xp = a.xp + XpRow(a, d, b);
  const float* rec = a.rec + Row(a, d, b, a.GH);
  const float h = Finish(a, d, 0, j, a.act[3 * d], xp[j] + rec[j]);
  a.h_next[Row(a, d, b, a.X) + j] = h;
  a.ys[YsRow(a, d, b) + j] = h;
}

// --------------------------------------------------------------- cuDNN ----

__global__ void RestoreRowsKernel(const int* lens, int s0, int B, int X, int H, const float* hx, float* hy,
                                  const float* cx, float* cy) {
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  const int b = blockIdx.y;
  if (lens[b] > s0) return;
  if (j < X) hy[static_cast<int64_t>(b) * X + j] = hx[static_cast<int64_t>(b) * X + j];
  if (cy != nullptr && j < H) cy[static_cast<int64_t>(b) * H + j] = cx[static_cast<int64_t>(b) * H + j];
}

dim3 UnitGrid(const StepArgs& a, int units) {
  return dim3(static_cast<unsigned>((units + kThreads - 1) / kThreads), static_cast<unsigned>(a.B),
              static_cast<unsigned>(a.D));
}

}  // namespace

cudaError_t CheckKernelImage() {
  cudaFuncAttributes attr{};
  return cudaFuncGetAttributes(&attr, RnnStepKernel);
}

cudaError_t LaunchLstmStep(const StepArgs& a, cudaStream_t stream) {
  if (a.layer_norm != nullptr) {
    LstmLayerNormKernel<<<dim3(1, static_cast<unsigned>(a.B), static_cast<unsigned>(a.D)), kLnThreads, 0, stream>>>(a);
  } else {
    LstmStepKernel<<<UnitGrid(a, a.H), kThreads, 0, stream>>>(a);
  }
  return cudaGetLastError();
}

cudaError_t LaunchProjFinish(const StepArgs& a, cudaStream_t stream) {
  ProjFinishKernel<<<UnitGrid(a, a.P), kThreads, 0, stream>>>(a);
  return cudaGetLastError();
}

cudaError_t LaunchGruLbrStep(const StepArgs& a, cudaStream_t stream) {
  GruLbrKernel<<<UnitGrid(a, a.H), kThreads, 0, stream>>>(a);
  return cudaGetLastError();
}

cudaError_t LaunchGruGates(const StepArgs& a, cudaStream_t stream) {
  GruGatesKernel<<<UnitGrid(a, a.H), kThreads, 0, stream>>>(a);
  return cudaGetLastError();
}

cudaError_t LaunchGruFinish(const StepArgs& a, cudaStream_t stream) {
  GruFinishKernel<<<UnitGrid(a, a.H), kThreads, 0, stream>>>(a);
  return cudaGetLastError();
}

cudaError_t LaunchRnnStep(const StepArgs& a, cudaStream_t stream) {
  RnnStepKernel<<<UnitGrid(a, a.H), kThreads, 0, stream>>>(a);
  return cudaGetLastError();
}

cudaError_t LaunchRestoreFinishedRows(const int* lens, int s0, int B, int X, int H, const float* hx, float* hy,
                                      const float* cx, float* cy, cudaStream_t stream) {
  const int units = X > H ? X : H;
  const dim3 grid(static_cast<unsigned>((units + kThreads - 1) / kThreads), static_cast<unsigned>(B));
  RestoreRowsKernel<<<grid, kThreads, 0, stream>>>(lens, s0, B, X, H, hx, hy, cx, cy);
  return cudaGetLastError();
}

}  // namespace rnnlite::cu
