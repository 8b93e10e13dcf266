// The cuDNN engine: cudnnRNNForward (v8 API) with padded, sequence-major IO
// and per-row lengths, one unidirectional call per direction over the
// canonical chunk buffers (reverse rows are already reversed there, see
// rnn_host_io.h), the state carried from chunk to chunk through hx/hy.
// Weights are written into cuDNN's weight space once, at Upload, at the
// addresses cudnnGetRNNWeightParams gives for each gate matrix and bias.
//
// cuDNN wants every length >= 1; a row whose sequence ended before the
// chunk runs with length 1 on zero input, and RestoreFinishedRows puts its
// state back afterwards (its outputs are discarded on the host).
#include <algorithm>

#include "cuda/engine.h"
#include "cuda/rnn_kernels.h"

namespace rnnlite::cu {
namespace {

constexpr size_t kAlign = 256;

size_t AlignUp(size_t v) { return (v + kAlign - 1) / kAlign * kAlign; }

class CudnnEngine final : public RnnEngine {
 public:
  explicit CudnnEngine(PartitionContext* ctx) : ctx_(ctx), api_(ctx->cudnn()) {}

  ~CudnnEngine() override {
    if (x_desc_) api_.cudnnDestroyRNNDataDescriptor(x_desc_);
    if (y_desc_) api_.cudnnDestroyRNNDataDescriptor(y_desc_);
    if (h_desc_) api_.cudnnDestroyTensorDescriptor(h_desc_);
    if (c_desc_) api_.cudnnDestroyTensorDescriptor(c_desc_);
    if (m_desc_) api_.cudnnDestroyTensorDescriptor(m_desc_);
    if (b_desc_) api_.cudnnDestroyTensorDescriptor(b_desc_);
    if (rnn_) api_.cudnnDestroyRNNDescriptor(rnn_);
    if (dropout_) api_.cudnnDestroyDropoutDescriptor(dropout_);
  }

  Status Upload(const RnnNodePlan& p, const HostWeights& w) override {
    plan_ = p;
    RNNLITE_RETURN_IF_ERROR(CreateDescriptors());
    RNNLITE_RETURN_IF_ERROR(SetRnnDescriptor());
    RNNLITE_CUDNN_CHECK(api_, cudnnGetRNNWeightSpaceSize(ctx_->cudnn_handle(), rnn_, &weight_bytes_));
    weight_stride_ = AlignUp(weight_bytes_);
    RNNLITE_ASSIGN_OR_RETURN(weights_, DeviceBuffer::Create(ctx_->tracker(), weight_stride_ * static_cast<size_t>(p.D),
                                                            "cuDNN weight space"));
    RNNLITE_CUDA_CHECK(cudaMemsetAsync(weights_.get(), 0, weights_.bytes(), ctx_->stream()));
    const int64_t G = p.G, H = p.H, K = p.K, X = p.X, P = p.P;
    for (int64_t d = 0; d < p.D; ++d) {
      void* space = static_cast<char*>(weights_.get()) + weight_stride_ * static_cast<size_t>(d);
      for (int64_t q = 0; q < G; ++q) {
        // Input matrix q: rows q*H.. of W[d] ([H][K]); recurrent: of R[d] ([H][X]).
        RNNLITE_RETURN_IF_ERROR(Put(space, static_cast<int>(q), w.w.data() + (d * G + q) * H * K, H * K,
                                    w.wb.data() + d * G * H + q * H, H));
        RNNLITE_RETURN_IF_ERROR(Put(space, static_cast<int>(G + q), w.r.data() + (d * G + q) * H * X, H * X,
                                    w.rb.data() + d * G * H + q * H, H));
      }
      // The recurrent projection (LSTM): [P][H], no bias.
      if (P > 0) RNNLITE_RETURN_IF_ERROR(Put(space, 8, w.proj_w.data() + d * P * H, P * H, nullptr, 0));
    }
    RNNLITE_CUDA_CHECK(cudaStreamSynchronize(ctx_->stream()));
    return Status::Ok();
  }

  Status Prepare(const RnnNodePlan& p) override {
    plan_ = p;
    const int B = static_cast<int>(p.B);
    const int dims_h[3] = {1, B, static_cast<int>(p.X)}, strides_h[3] = {B * static_cast<int>(p.X), static_cast<int>(p.X), 1};
    const int dims_c[3] = {1, B, static_cast<int>(p.H)}, strides_c[3] = {B * static_cast<int>(p.H), static_cast<int>(p.H), 1};
    RNNLITE_CUDNN_CHECK(api_, cudnnSetTensorNdDescriptor(h_desc_, CUDNN_DATA_FLOAT, 3, dims_h, strides_h));
    RNNLITE_CUDNN_CHECK(api_, cudnnSetTensorNdDescriptor(c_desc_, CUDNN_DATA_FLOAT, 3, dims_c, strides_c));
    lens_.assign(static_cast<size_t>(p.B), static_cast<int>(p.chunk));
    RNNLITE_RETURN_IF_ERROR(SetDataDescriptors(static_cast<int>(p.chunk)));
    size_t reserve = 0;
    RNNLITE_CUDNN_CHECK(api_, cudnnGetRNNTempSpaceSizes(ctx_->cudnn_handle(), rnn_, CUDNN_FWD_MODE_INFERENCE, x_desc_,
                                                       &work_bytes_, &reserve));
    RNNLITE_ASSIGN_OR_RETURN(work_, DeviceBuffer::Create(ctx_->tracker(), work_bytes_, "cuDNN workspace"));
    RNNLITE_ASSIGN_OR_RETURN(dev_lens_, DeviceBuffer::Create(ctx_->tracker(), static_cast<size_t>(p.B) * sizeof(int), "cuDNN lengths"));
    RNNLITE_ASSIGN_OR_RETURN(host_lens_, PinnedBuffer::Create(static_cast<size_t>(p.B) * sizeof(int), "cuDNN lengths"));
    return Status::Ok();
  }

  Status Run(const ChunkIo& io) override {
    const RnnNodePlan& p = plan_;
    const int n = static_cast<int>(io.n);
    bool any = false, finished = false;
    for (size_t b = 0; b < lens_.size(); ++b) {
      const int64_t left = std::clamp<int64_t>((*io.lens)[b] - io.s0, 0, io.n);
      any |= left > 0;
      finished |= left == 0;
      lens_[b] = static_cast<int>(std::max<int64_t>(left, 1));
    }
    if (!any) return Status::Ok();  // every row is past its length: state unchanged
    // The previous chunk's copy of host_lens_ has completed before its sync.
    std::copy(lens_.begin(), lens_.end(), host_lens_.i());
    RNNLITE_CUDA_CHECK(cudaMemcpyAsync(dev_lens_.get(), host_lens_.get(), lens_.size() * sizeof(int),
                                       cudaMemcpyHostToDevice, ctx_->stream()));
    RNNLITE_RETURN_IF_ERROR(SetDataDescriptors(n));
    if (n != p.chunk) {  // the last, shorter chunk: its workspace need is no larger, but check
      size_t work = 0, reserve = 0;
      RNNLITE_CUDNN_CHECK(api_, cudnnGetRNNTempSpaceSizes(ctx_->cudnn_handle(), rnn_, CUDNN_FWD_MODE_INFERENCE, x_desc_,
                                                         &work, &reserve));
      if (work > work_bytes_) return Internal("cuDNN asks for more workspace for a shorter chunk");
    }
    const bool lstm = p.params.cell == RnnCell::kLstm;
    const int hc = *io.cur_h, cc = *io.cur_c;
    for (int64_t d = 0; d < p.D; ++d) {
      const float* hx = io.h[hc] + d * p.B * p.X;
      float* hy = io.h[1 - hc] + d * p.B * p.X;
      const float* cx = lstm ? io.c[cc] + d * p.B * p.H : nullptr;
      float* cy = lstm ? io.c[1 - cc] + d * p.B * p.H : nullptr;
      const void* space = static_cast<const char*>(weights_.get()) + weight_stride_ * static_cast<size_t>(d);
      RNNLITE_CUDNN_CHECK(api_, cudnnRNNForward(ctx_->cudnn_handle(), rnn_, CUDNN_FWD_MODE_INFERENCE, dev_lens_.i(), x_desc_,
                                                io.xs + d * p.chunk * p.B * p.K, y_desc_,
                                                io.ys + d * p.chunk * p.B * p.X, h_desc_, hx, hy, c_desc_, cx, cy,
                                                weight_bytes_, space, work_bytes_, work_.get(), 0, nullptr));
      if (finished) {
        RNNLITE_CUDA_CHECK(LaunchRestoreFinishedRows(io.lens_dev, static_cast<int>(io.s0), static_cast<int>(p.B),
                                                     static_cast<int>(p.X), lstm ? static_cast<int>(p.H) : 0, hx, hy,
                                                     cx, cy, ctx_->stream()));
      }
    }
    *io.cur_h = 1 - hc;
    if (lstm) *io.cur_c = 1 - cc;
    return Status::Ok();
  }

 private:
  Status CreateDescriptors() {
    RNNLITE_CUDNN_CHECK(api_, cudnnCreateRNNDescriptor(&rnn_));
    RNNLITE_CUDNN_CHECK(api_, cudnnCreateDropoutDescriptor(&dropout_));
    RNNLITE_CUDNN_CHECK(api_, cudnnCreateRNNDataDescriptor(&x_desc_));
    RNNLITE_CUDNN_CHECK(api_, cudnnCreateRNNDataDescriptor(&y_desc_));
    RNNLITE_CUDNN_CHECK(api_, cudnnCreateTensorDescriptor(&h_desc_));
    RNNLITE_CUDNN_CHECK(api_, cudnnCreateTensorDescriptor(&c_desc_));
    RNNLITE_CUDNN_CHECK(api_, cudnnCreateTensorDescriptor(&m_desc_));
    RNNLITE_CUDNN_CHECK(api_, cudnnCreateTensorDescriptor(&b_desc_));
    // Inference: no dropout, so no RNG state.
    RNNLITE_CUDNN_CHECK(api_, cudnnSetDropoutDescriptor(dropout_, ctx_->cudnn_handle(), 0.0f, nullptr, 0, 0));
    return Status::Ok();
  }

  Status SetRnnDescriptor() {
    const RnnNodePlan& p = plan_;
    cudnnRNNMode_t mode = CUDNN_LSTM;
    if (p.params.cell == RnnCell::kGru) mode = CUDNN_GRU;
    if (p.params.cell == RnnCell::kRnn) {
      mode = p.params.activations[0].kind == RnnActivation::kRelu ? CUDNN_RNN_RELU : CUDNN_RNN_TANH;
    }
    // fp32: the standard algorithm restricted to FMA kernels. (For float
    // data CUDNN_DEFAULT_MATH still permits TF32 tensor cores on Ampere and
    // later, which would break fp32 tolerance; PyTorch picks FMA_MATH for
    // the same reason when TF32 is off.) tf32: tensor ops, conversion allowed.
    const cudnnMathType_t math =
        ctx_->math() == MathMode::kFp32 ? CUDNN_FMA_MATH : CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION;
    const int proj = static_cast<int>(p.P > 0 ? p.P : p.H);
    RNNLITE_CUDNN_CHECK(api_, cudnnSetRNNDescriptor_v8(rnn_, CUDNN_RNN_ALGO_STANDARD, mode, CUDNN_RNN_DOUBLE_BIAS,
                                                       CUDNN_UNIDIRECTIONAL, CUDNN_LINEAR_INPUT, CUDNN_DATA_FLOAT,
                                                       CUDNN_DATA_FLOAT, math, static_cast<int32_t>(p.K),
                                                       static_cast<int32_t>(p.H), proj, 1, dropout_,
                                                       CUDNN_RNN_PADDED_IO_ENABLED));
    if (p.params.cell == RnnCell::kLstm && p.params.cell_clip > 0.0f) {
      const double clip = p.params.cell_clip;
      RNNLITE_CUDNN_CHECK(api_, cudnnRNNSetClip_v9(rnn_, CUDNN_RNN_CLIP_MINMAX, -clip, clip));
    }
    return Status::Ok();
  }

  Status SetDataDescriptors(int max_len) {
    const RnnNodePlan& p = plan_;
    float fill = 0.0f;
    RNNLITE_CUDNN_CHECK(api_, cudnnSetRNNDataDescriptor(x_desc_, CUDNN_DATA_FLOAT, CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_UNPACKED,
                                                        max_len, static_cast<int>(p.B), static_cast<int>(p.K),
                                                        lens_.data(), &fill));
    RNNLITE_CUDNN_CHECK(api_, cudnnSetRNNDataDescriptor(y_desc_, CUDNN_DATA_FLOAT, CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_UNPACKED,
                                                        max_len, static_cast<int>(p.B), static_cast<int>(p.X),
                                                        lens_.data(), &fill));
    return Status::Ok();
  }

  // Copies `count` matrix floats (and `bias_count` bias floats) to where
  // cuDNN keeps linear layer `id`, after checking cuDNN's size agrees.
  Status Put(void* space, int id, const float* m, int64_t count, const float* bias, int64_t bias_count) {
    void* m_addr = nullptr;
    void* b_addr = nullptr;
    RNNLITE_CUDNN_CHECK(api_, cudnnGetRNNWeightParams(ctx_->cudnn_handle(), rnn_, 0, weight_bytes_, space, id, m_desc_,
                                                      &m_addr, b_desc_, &b_addr));
    RNNLITE_RETURN_IF_ERROR(CopyTo(m_desc_, m_addr, m, count, id, "matrix"));
    if (bias != nullptr) RNNLITE_RETURN_IF_ERROR(CopyTo(b_desc_, b_addr, bias, bias_count, id, "bias"));
    return Status::Ok();
  }

  Status CopyTo(cudnnTensorDescriptor_t desc, void* addr, const float* src, int64_t count, int id, const char* what) {
    if (addr == nullptr) return Internal("cuDNN has no " + std::string(what) + " for linear layer " + std::to_string(id));
    cudnnDataType_t type{};
    int nb = 0, dims[8] = {}, strides[8] = {};
    RNNLITE_CUDNN_CHECK(api_, cudnnGetTensorNdDescriptor(desc, 8, &type, &nb, dims, strides));
    int64_t elems = 1;
    for (int i = 0; i < nb; ++i) elems *= dims[i];
    if (elems != count) {
      return Internal("cuDNN's " + std::string(what) + " of linear layer " + std::to_string(id) + " has " +
                      std::to_string(elems) + " elements, expected " + std::to_string(count));
    }
    RNNLITE_CUDA_CHECK(cudaMemcpyAsync(addr, src, static_cast<size_t>(count) * sizeof(float), cudaMemcpyHostToDevice,
                                       ctx_->stream()));
    return Status::Ok();
  }

  PartitionContext* ctx_;
  const CudnnApi& api_;
  RnnNodePlan plan_;
  cudnnRNNDescriptor_t rnn_ = nullptr;
  cudnnDropoutDescriptor_t dropout_ = nullptr;
  cudnnRNNDataDescriptor_t x_desc_ = nullptr, y_desc_ = nullptr;
  cudnnTensorDescriptor_t h_desc_ = nullptr, c_desc_ = nullptr, m_desc_ = nullptr, b_desc_ = nullptr;
  size_t weight_bytes_ = 0, weight_stride_ = 0, work_bytes_ = 0;
  DeviceBuffer weights_, work_, dev_lens_;
  PinnedBuffer host_lens_;
  std::vector<int> lens_;  // cuDNN's per-row lengths of the current chunk
};

}  // namespace

std::unique_ptr<RnnEngine> MakeCudnnEngine(PartitionContext* ctx) { return std::make_unique<CudnnEngine>(ctx); }

}  // namespace rnnlite::cu
