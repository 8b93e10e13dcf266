// The custom engine's per-step kernels (rnn_kernels.cu). Each step of the
// custom engine is: cuBLAS recurrent GEMM (rec = h · R^T), then one fused
// pointwise kernel doing bias, layer norm, ONNX clip, activations, peepholes,
// CIFG, cell clip, the state update and the output row; plus a second GEMM
// and kernel for LSTM projections and GRU linear_before_reset = 0. Steps at
// or past a row's length keep the row's state (lengths are masks).
//
// Launchers return the launch's cudaError_t; they never synchronize.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

namespace rnnlite::cu {

// An RnnActivationSpec as the kernels read it.
struct DevAct {
  int kind = 0;  // RnnActivation
  float alpha = 0.0f;
  float beta = 0.0f;
};

// Everything one step kernel reads and writes. Canonical layouts
// (rnn_host_io.h): per direction d, rows b; xp is the chunk's input
// projection [D][chunk][B][GH], rec the step's recurrent product [D][B][GH].
struct StepArgs {
  int B = 0, H = 0, X = 0, GH = 0, D = 0, P = 0;
  int chunk = 0;  // steps in the chunk buffers (stride of xp)
  int local = 0;  // step within the chunk
  int step = 0;   // step within the sequence: row b is valid iff step < lens[b]
  const int* lens = nullptr;       // [B]
  const float* xp = nullptr;       // [D][chunk][B][GH]
  float* rec = nullptr;            // [D][B][GH] (layer norm reuses it as scratch)
  const float* wb = nullptr;       // [D][GH] input-side bias (zeros when absent)
  const float* rb = nullptr;       // [D][GH] recurrent-side bias (zeros when absent)
  const float* peephole = nullptr; // [D][3][H] or null
  const float* layer_norm = nullptr;  // [D][4][H] or null
  const float* proj_b = nullptr;   // [D][P] or null
  const float* h_cur = nullptr;    // [D][B][X]
  float* h_next = nullptr;         // [D][B][X]
  float* c = nullptr;              // [D][B][H], updated in place
  float* m = nullptr;              // [D][B][H]: LSTM output before projection; GRU r*h
  float* z = nullptr;              // [D][B][H]: GRU update gate (lbr = 0)
  const float* hp = nullptr;       // [D][B][P]: projection GEMM result
  float* ys = nullptr;             // [D][chunk][B][X]
  float cell_clip = 0.0f, proj_clip = 0.0f, gate_clip = 0.0f;
  int cifg = 0, input_forget = 0, linear_before_reset = 0;
  DevAct act[6];  // per direction: activations_per_direction() entries, direction d at 3*d
};

// LSTM gates and state; with P > 0 writes m (then LaunchProjFinish).
cudaError_t LaunchLstmStep(const StepArgs& a, cudaStream_t stream);
// h_next = clip(hp + proj_b) for valid rows, h_cur otherwise; ys.
cudaError_t LaunchProjFinish(const StepArgs& a, cudaStream_t stream);
// GRU: lbr = 1 in one kernel. lbr = 0: LaunchGruGates writes r*h into m and
// z, the caller multiplies m by R_n into rec's n block, LaunchGruFinish ends.
cudaError_t LaunchGruLbrStep(const StepArgs& a, cudaStream_t stream);
cudaError_t LaunchGruGates(const StepArgs& a, cudaStream_t stream);
cudaError_t LaunchGruFinish(const StepArgs& a, cudaStream_t stream);
cudaError_t LaunchRnnStep(const StepArgs& a, cudaStream_t stream);

// cuDNN engine: rows whose length ends at or before step s0 were run with
// length 1 (cuDNN needs >= 1); put their state back: hy = hx, cy = cx.
cudaError_t LaunchRestoreFinishedRows(const int* lens, int s0, int B, int X, int H, const float* hx, float* hy,
                                      const float* cx, float* cy, cudaStream_t stream);

// cudaSuccess when this build's kernels have an image for the current
// device (else e.g. cudaErrorNoKernelImageForDevice).
cudaError_t CheckKernelImage();

}  // namespace rnnlite::cu
