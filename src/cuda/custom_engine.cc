// The custom engine: for each chunk, one cuBLAS GEMM projects the inputs of
// every step and direction (xp = xs · W^T); then per step a recurrent GEMM
// (rec = h · R^T, both directions in one strided-batched call) and the fused
// pointwise kernel of the cell (rnn_kernels.cu). LSTM projections and GRU
// linear_before_reset = 0 add a second GEMM + kernel per step. Biases are
// added inside the kernels, because layer norm applies before them.
#include <algorithm>

#include "cuda/engine.h"
#include "cuda/rnn_kernels.h"

namespace rnnlite::cu {
namespace {

class CustomEngine final : public RnnEngine {
 public:
  explicit CustomEngine(PartitionContext* ctx) : ctx_(ctx) {}

  Status Upload(const RnnNodePlan& p, const HostWeights& w) override {
    plan_ = p;
    RNNLITE_RETURN_IF_ERROR(UploadVector(w.w, "input weights", &w_));
    RNNLITE_RETURN_IF_ERROR(UploadVector(w.r, "recurrent weights", &r_));
    RNNLITE_RETURN_IF_ERROR(UploadVector(w.wb, "input bias", &wb_));
    RNNLITE_RETURN_IF_ERROR(UploadVector(w.rb, "recurrent bias", &rb_));
    RNNLITE_RETURN_IF_ERROR(UploadVector(w.peephole, "peepholes", &peephole_));
    RNNLITE_RETURN_IF_ERROR(UploadVector(w.layer_norm, "layer norm weights", &layer_norm_));
    RNNLITE_RETURN_IF_ERROR(UploadVector(w.proj_w, "projection weights", &proj_w_));
    RNNLITE_RETURN_IF_ERROR(UploadVector(w.proj_b, "projection bias", &proj_b_));
    // Compile-time copies are synchronous: the host vectors die after this.
    RNNLITE_CUDA_CHECK(cudaStreamSynchronize(ctx_->stream()));
    return Status::Ok();
  }

  Status Prepare(const RnnNodePlan& p) override {
    plan_ = p;
    MemoryTracker* t = ctx_->tracker();
    const size_t f = sizeof(float);
    RNNLITE_ASSIGN_OR_RETURN(xp_, DeviceBuffer::Create(t, static_cast<size_t>(p.D * p.chunk * p.B * p.GH) * f, "the chunk's input projection"));
    RNNLITE_ASSIGN_OR_RETURN(rec_, DeviceBuffer::Create(t, static_cast<size_t>(p.D * p.B * p.GH) * f, "the recurrent products"));
    RNNLITE_ASSIGN_OR_RETURN(m_, DeviceBuffer::Create(t, static_cast<size_t>(p.D * p.B * p.H) * f, "step scratch"));
    RNNLITE_ASSIGN_OR_RETURN(z_, DeviceBuffer::Create(t, static_cast<size_t>(p.D * p.B * p.H) * f, "step scratch"));
    RNNLITE_ASSIGN_OR_RETURN(hp_, DeviceBuffer::Create(t, static_cast<size_t>(p.D * p.B * std::max<int64_t>(p.P, 1)) * f, "projection scratch"));
    return Status::Ok();
  }

  Status Run(const ChunkIo& io) override {
    const RnnNodePlan& p = plan_;
    const int B = static_cast<int>(p.B), GH = static_cast<int>(p.GH), K = static_cast<int>(p.K);
    const int X = static_cast<int>(p.X), H = static_cast<int>(p.H), P = static_cast<int>(p.P);
    const int D = static_cast<int>(p.D);
    const long long chunk = p.chunk;
    // Input projection of the whole chunk, both directions.
    if (K == 0) {
      RNNLITE_CUDA_CHECK(cudaMemsetAsync(xp_.get(), 0, xp_.bytes(), ctx_->stream()));
    } else {
      RNNLITE_RETURN_IF_ERROR(Gemm(static_cast<int>(io.n) * B, GH, K, w_.f(), K, static_cast<long long>(GH) * K, io.xs, K,
                                   chunk * B * K, xp_.f(), GH, chunk * B * GH, D));
    }
    StepArgs a = BaseArgs(io);
    const bool gru0 = p.params.cell == RnnCell::kGru && !p.params.linear_before_reset;
    for (int64_t sl = 0; sl < io.n; ++sl) {
      a.local = static_cast<int>(sl);
      a.step = static_cast<int>(io.s0 + sl);
      a.h_cur = io.h[*io.cur_h];
      a.h_next = io.h[1 - *io.cur_h];
      a.c = io.c[*io.cur_c];
      // rec = h · R^T; GRU with linear_before_reset = 0 needs r first for its n block.
      const int rows = gru0 ? 2 * H : GH;
      RNNLITE_RETURN_IF_ERROR(Gemm(B, rows, X, r_.f(), X, static_cast<long long>(GH) * X, a.h_cur, X,
                                   static_cast<long long>(B) * X, rec_.f(), GH, static_cast<long long>(B) * GH, D));
      switch (p.params.cell) {
        case RnnCell::kLstm:
          RNNLITE_CUDA_CHECK(LaunchLstmStep(a, ctx_->stream()));
          if (P > 0) {
            RNNLITE_RETURN_IF_ERROR(Gemm(B, P, H, proj_w_.f(), H, static_cast<long long>(P) * H, m_.f(), H,
                                         static_cast<long long>(B) * H, hp_.f(), P, static_cast<long long>(B) * P, D));
            RNNLITE_CUDA_CHECK(LaunchProjFinish(a, ctx_->stream()));
          }
          break;
        case RnnCell::kGru:
          if (gru0) {
            RNNLITE_CUDA_CHECK(LaunchGruGates(a, ctx_->stream()));
            RNNLITE_RETURN_IF_ERROR(Gemm(B, H, H, r_.f() + static_cast<int64_t>(2) * H * X, X,
                                         static_cast<long long>(GH) * X, m_.f(), H, static_cast<long long>(B) * H,
                                         rec_.f() + 2 * H, GH, static_cast<long long>(B) * GH, D));
            RNNLITE_CUDA_CHECK(LaunchGruFinish(a, ctx_->stream()));
          } else {
            RNNLITE_CUDA_CHECK(LaunchGruLbrStep(a, ctx_->stream()));
          }
          break;
        case RnnCell::kRnn:
          RNNLITE_CUDA_CHECK(LaunchRnnStep(a, ctx_->stream()));
          break;
      }
      *io.cur_h = 1 - *io.cur_h;  // c is updated in place
    }
    return Status::Ok();
  }

 private:
  Status UploadVector(const std::vector<float>& v, const char* what, DeviceBuffer* out) {
    if (v.empty()) {
      *out = DeviceBuffer();
      return Status::Ok();
    }
    RNNLITE_ASSIGN_OR_RETURN(*out, DeviceBuffer::Create(ctx_->tracker(), v.size() * sizeof(float), what));
    RNNLITE_CUDA_CHECK(cudaMemcpyAsync(out->get(), v.data(), v.size() * sizeof(float), cudaMemcpyHostToDevice, ctx_->stream()));
    return Status::Ok();
  }

  // Row-major, per batch item d: C[M][N] (ldc) = A[M][K] (lda) · W[N][K]^T (ldw).
  // cuBLAS is column-major, so this is C^T = W · A^T there.
  Status Gemm(int M, int N, int K, const float* W, int ldw, long long stride_w, const float* A, int lda,
              long long stride_a, float* C, int ldc, long long stride_c, int batch) {
    if (M == 0 || N == 0) return Status::Ok();
    const float one = 1.0f, zero = 0.0f;
    const CublasApi& api = ctx_->cublas();
    RNNLITE_CUBLAS_CHECK(api, cublasSgemmStridedBatched(ctx_->cublas_handle(), CUBLAS_OP_T, CUBLAS_OP_N, N, M, K, &one, W,
                                                        ldw, stride_w, A, lda, stride_a, &zero, C, ldc, stride_c, batch));
    return Status::Ok();
  }

  StepArgs BaseArgs(const ChunkIo& io) {
    const RnnNodePlan& p = plan_;
    StepArgs a;
    a.B = static_cast<int>(p.B);
    a.H = static_cast<int>(p.H);
    a.X = static_cast<int>(p.X);
    a.GH = static_cast<int>(p.GH);
    a.D = static_cast<int>(p.D);
    a.P = static_cast<int>(p.P);
    a.chunk = static_cast<int>(p.chunk);
    a.lens = io.lens_dev;
    a.xp = xp_.f();
    a.rec = rec_.f();
    a.wb = wb_.f();
    a.rb = rb_.f();
    a.peephole = p.peephole ? peephole_.f() : nullptr;
    a.layer_norm = p.layer_norm ? layer_norm_.f() : nullptr;
    a.proj_b = p.has_proj_bias ? proj_b_.f() : nullptr;
    a.m = m_.f();
    a.z = z_.f();
    a.hp = hp_.f();
    a.ys = io.ys;
    a.cell_clip = p.params.cell_clip;
    a.proj_clip = p.params.proj_clip;
    a.gate_clip = p.params.gate_clip;
    a.cifg = p.params.cifg ? 1 : 0;
    a.input_forget = p.params.input_forget ? 1 : 0;
    a.linear_before_reset = p.params.linear_before_reset ? 1 : 0;
    const size_t per_dir = static_cast<size_t>(p.params.activations_per_direction());
    for (size_t d = 0; d < static_cast<size_t>(p.D); ++d) {
      for (size_t k = 0; k < per_dir; ++k) {
        const RnnActivationSpec& s = p.params.activations[d * per_dir + k];
        a.act[3 * d + k] = DevAct{static_cast<int>(s.kind), s.alpha, s.beta};
      }
    }
    return a;
  }

  PartitionContext* ctx_;
  RnnNodePlan plan_;
  DeviceBuffer w_, r_, wb_, rb_, peephole_, layer_norm_, proj_w_, proj_b_;
  DeviceBuffer xp_, rec_, m_, z_, hp_;
};

}  // namespace

std::unique_ptr<RnnEngine> MakeCustomEngine(PartitionContext* ctx) { return std::make_unique<CustomEngine>(ctx); }

}  // namespace rnnlite::cu
