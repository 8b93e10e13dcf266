#include "cuda/rnn_node.h"

#include <algorithm>
#include <cstring>

namespace rnnlite::cu {
namespace {

namespace in = seq_rnn_input;
namespace out = seq_rnn_output;

std::vector<float> Floats(const Tensor* t) {
  if (t == nullptr || t->constant_data == nullptr) return {};
  std::vector<float> v(t->constant_bytes / sizeof(float));
  std::memcpy(v.data(), t->constant_data, v.size() * sizeof(float));
  return v;
}

Status Injected(const BackendOptions& o, const char* where) {
  if (o.fail_at != where) return Status::Ok();
  const std::string m = std::string("cuda: injected fault at ") + where + " (test_fail=" + where + ")";
  // A failed prepare looks like what it simulates: the device ran out of memory.
  return std::string(where) == "prepare" ? ResourceExhausted(m) : Internal(m);
}

}  // namespace

StatusOr<HostWeights> PackWeights(const RnnNodePlan& p, const std::function<const Tensor*(int)>& tensors) {
  auto get = [&](int slot) -> const Tensor* { return p.in[slot] >= 0 ? tensors(p.in[slot]) : nullptr; };
  HostWeights h;
  const std::vector<float> w = Floats(get(in::kW)), aux = Floats(get(in::kAuxW));
  h.r = Floats(get(in::kR));
  const int64_t rows = p.D * p.GH;
  if (static_cast<int64_t>(w.size()) != rows * p.I || static_cast<int64_t>(h.r.size()) != rows * p.X ||
      (p.I2 > 0 && static_cast<int64_t>(aux.size()) != rows * p.I2)) {
    return InvalidArgument("SequenceRnn weights do not match the planned sizes");
  }
  h.w.assign(static_cast<size_t>(rows * p.K), 0.0f);
  for (int64_t row = 0; row < rows; ++row) {
    std::copy_n(w.begin() + row * p.I, p.I, h.w.begin() + row * p.K);
    if (p.I2 > 0) std::copy_n(aux.begin() + row * p.I2, p.I2, h.w.begin() + row * p.K + p.I);
  }
  h.wb = Floats(get(in::kWb));
  h.rb = Floats(get(in::kRb));
  if (h.wb.empty()) h.wb.assign(static_cast<size_t>(rows), 0.0f);
  if (h.rb.empty()) h.rb.assign(static_cast<size_t>(rows), 0.0f);
  h.peephole = Floats(get(in::kPeephole));
  h.layer_norm = Floats(get(in::kLayerNorm));
  h.proj_w = Floats(get(in::kProjW));
  h.proj_b = Floats(get(in::kProjB));
  return h;
}

Status RnnNode::Compile(const Subgraph& graph, int node) {
  TensorLookup lookup = [&graph](int i) -> const Tensor* {
    return i >= 0 && i < static_cast<int>(graph.tensors.size()) ? &graph.tensors[i] : nullptr;
  };
  RNNLITE_RETURN_IF_ERROR(PlanNode(graph, node, lookup, options_, /*final_shapes=*/false, &plan_));
  RNNLITE_RETURN_IF_ERROR(Injected(options_, "compile"));
  for (int slot : {in::kH0, in::kC0, in::kH0Bw, in::kC0Bw}) {
    const int t = plan_.in[slot];
    if (t >= 0 && graph.tensors[t].is_variable) state_variables_[t] = slot;
  }
  RNNLITE_ASSIGN_OR_RETURN(HostWeights weights, PackWeights(plan_, lookup));
  RNNLITE_CUDA_CHECK(cudaSetDevice(ctx_->device().index));
  engine_ = plan_.engine == Engine::kCudnn ? MakeCudnnEngine(ctx_) : MakeCustomEngine(ctx_);
  return engine_->Upload(plan_, weights);
}

Status RnnNode::Prepare(const Subgraph& graph, const TensorLookup& tensors) {
  prepared_ = false;
  RnnNodePlan plan;
  RNNLITE_RETURN_IF_ERROR(PlanNode(graph, plan_.node, tensors, options_, /*final_shapes=*/true, &plan));
  if (plan.I != plan_.I || plan.I2 != plan_.I2 || plan.H != plan_.H || plan.X != plan_.X || plan.engine != plan_.engine) {
    return InvalidArgument("SequenceRnn sizes changed after compile");
  }
  RNNLITE_RETURN_IF_ERROR(Injected(options_, "prepare"));
  PlanChunks(options_, &plan);
  plan_ = plan;
  const RnnNodePlan& p = plan_;
  RNNLITE_CUDA_CHECK(cudaSetDevice(ctx_->device().index));
  MemoryTracker* t = ctx_->tracker();
  const size_t f = sizeof(float);
  const size_t xs_bytes = static_cast<size_t>(p.D * p.chunk * p.B * p.K) * f;
  const size_t ys_bytes = static_cast<size_t>(p.D * p.chunk * p.B * p.X) * f;
  const size_t h_bytes = static_cast<size_t>(p.D * p.B * p.X) * f, c_bytes = static_cast<size_t>(p.D * p.B * p.H) * f;
  RNNLITE_ASSIGN_OR_RETURN(xs_, DeviceBuffer::Create(t, xs_bytes, "the chunk's inputs"));
  RNNLITE_ASSIGN_OR_RETURN(ys_, DeviceBuffer::Create(t, ys_bytes, "the chunk's outputs"));
  for (int k = 0; k < 2; ++k) {
    RNNLITE_ASSIGN_OR_RETURN(h_[k], DeviceBuffer::Create(t, h_bytes, "the recurrent state"));
    RNNLITE_ASSIGN_OR_RETURN(c_[k], DeviceBuffer::Create(t, c_bytes, "the cell state"));
    RNNLITE_CUDA_CHECK(cudaMemsetAsync(h_[k].get(), 0, h_[k].bytes(), ctx_->stream()));
    RNNLITE_CUDA_CHECK(cudaMemsetAsync(c_[k].get(), 0, c_[k].bytes(), ctx_->stream()));
  }
  RNNLITE_ASSIGN_OR_RETURN(lens_dev_, DeviceBuffer::Create(t, static_cast<size_t>(p.B) * sizeof(int), "sequence lengths"));
  RNNLITE_ASSIGN_OR_RETURN(xs_host_, PinnedBuffer::Create(xs_bytes, "the chunk's inputs"));
  RNNLITE_ASSIGN_OR_RETURN(ys_host_, PinnedBuffer::Create(ys_bytes, "the chunk's outputs"));
  RNNLITE_ASSIGN_OR_RETURN(state_host_, PinnedBuffer::Create(h_bytes + c_bytes, "the state"));
  RNNLITE_ASSIGN_OR_RETURN(lens_host_, PinnedBuffer::Create(static_cast<size_t>(p.B) * sizeof(int), "sequence lengths"));
  // An empty batch has no work (Run returns early) and cuDNN rejects it.
  if (p.B > 0) RNNLITE_RETURN_IF_ERROR(engine_->Prepare(p));
  RNNLITE_CUDA_CHECK(cudaStreamSynchronize(ctx_->stream()));
  cur_h_ = cur_c_ = 0;  // streaming state restarts at zero; WriteVariable restores it
  prepared_ = true;
  return Status::Ok();
}

Status RnnNode::ReadLengths(const HostData& host, std::vector<int32_t>* lens) const {
  const RnnNodePlan& p = plan_;
  lens->assign(static_cast<size_t>(p.B), static_cast<int32_t>(p.T));
  const int idx = p.in[in::kSeqLens];
  if (idx < 0) return Status::Ok();
  const uint8_t* data = host(idx);
  if (data == nullptr && p.B > 0) return InvalidArgument("sequence_lengths has no data");
  for (int64_t b = 0; b < p.B; ++b) {
    int64_t v = 0;
    if (p.lens_int64) {
      std::memcpy(&v, data + b * 8, 8);
    } else {
      int32_t v32 = 0;
      std::memcpy(&v32, data + b * 4, 4);
      v = v32;
    }
    if (v < 0 || v > p.T) {
      return InvalidArgument("sequence_lengths[" + std::to_string(b) + "] = " + std::to_string(v) +
                             " is outside [0, T = " + std::to_string(p.T) + "]");
    }
    (*lens)[static_cast<size_t>(b)] = static_cast<int32_t>(v);
  }
  return Status::Ok();
}

RnnHostTensors RnnNode::HostTensors(const HostData& host) const {
  const RnnNodePlan& p = plan_;
  auto in_ptr = [&](int slot) -> const float* {
    return p.in[slot] >= 0 ? reinterpret_cast<const float*>(host(p.in[slot])) : nullptr;
  };
  auto out_ptr = [&](int slot) -> float* {
    return p.out[slot] >= 0 ? reinterpret_cast<float*>(host(p.out[slot])) : nullptr;
  };
  RnnHostTensors t;
  t.x = in_ptr(in::kX);
  t.aux_x = in_ptr(in::kAuxX);
  t.h0 = in_ptr(in::kH0);
  t.c0 = in_ptr(in::kC0);
  t.h0_bw = in_ptr(in::kH0Bw);
  t.c0_bw = in_ptr(in::kC0Bw);
  t.y = out_ptr(out::kY);
  t.y_h = out_ptr(out::kYh);
  t.y_c = out_ptr(out::kYc);
  t.y_bw = out_ptr(out::kYBw);
  return t;
}

Status RnnNode::Run(const HostData& host) {
  if (!prepared_) return FailedPrecondition("CUDA SequenceRnn node run before Prepare");
  RNNLITE_RETURN_IF_ERROR(Injected(options_, "invoke"));
  const RnnNodePlan& p = plan_;
  std::vector<int32_t> lens;
  RNNLITE_RETURN_IF_ERROR(ReadLengths(host, &lens));
  const RnnHostTensors t = HostTensors(host);
  if (p.B == 0) return Status::Ok();  // every output is empty
  if (t.x == nullptr && p.T > 0) return InvalidArgument("input x has no data");
  RNNLITE_CUDA_CHECK(cudaSetDevice(ctx_->device().index));
  cudaStream_t stream = ctx_->stream();
  std::copy(lens.begin(), lens.end(), lens_host_.i());
  RNNLITE_CUDA_CHECK(cudaMemcpyAsync(lens_dev_.get(), lens_host_.get(), lens.size() * sizeof(int),
                                     cudaMemcpyHostToDevice, stream));
  const size_t h_floats = static_cast<size_t>(p.D * p.B * p.X), c_floats = static_cast<size_t>(p.D * p.B * p.H);
  if (!p.streaming) {
    float* h = state_host_.f();
    PackInitialState(p, t, h, h + h_floats);
    cur_h_ = cur_c_ = 0;
    RNNLITE_CUDA_CHECK(cudaMemcpyAsync(h_[0].get(), h, h_floats * sizeof(float), cudaMemcpyHostToDevice, stream));
    RNNLITE_CUDA_CHECK(cudaMemcpyAsync(c_[0].get(), h + h_floats, c_floats * sizeof(float), cudaMemcpyHostToDevice, stream));
  }
  ChunkIo io;
  io.lens = &lens;
  io.lens_dev = lens_dev_.i();
  io.xs = xs_.f();
  io.ys = ys_.f();
  io.h[0] = h_[0].f();
  io.h[1] = h_[1].f();
  io.c[0] = c_[0].f();
  io.c[1] = c_[1].f();
  io.cur_h = &cur_h_;
  io.cur_c = &cur_c_;
  for (int64_t s0 = 0; s0 < p.T; s0 += p.chunk) {
    io.s0 = s0;
    io.n = std::min(p.chunk, p.T - s0);
    // The previous chunk's sync guarantees the staging buffers are free.
    GatherInputs(p, t, lens, s0, io.n, xs_host_.f());
    RNNLITE_CUDA_CHECK(cudaMemcpyAsync(xs_.get(), xs_host_.get(), xs_.bytes(), cudaMemcpyHostToDevice, stream));
    RNNLITE_RETURN_IF_ERROR(engine_->Run(io));
    RNNLITE_CUDA_CHECK(cudaMemcpyAsync(ys_host_.get(), ys_.get(), ys_.bytes(), cudaMemcpyDeviceToHost, stream));
    RNNLITE_CUDA_CHECK(cudaStreamSynchronize(stream));
    ScatterOutputs(p, lens, s0, io.n, ys_host_.f(), t);
  }
  if (t.y_h != nullptr || t.y_c != nullptr) {
    float* h = state_host_.f();
    RNNLITE_CUDA_CHECK(cudaMemcpyAsync(h, h_[cur_h_].get(), h_floats * sizeof(float), cudaMemcpyDeviceToHost, stream));
    RNNLITE_CUDA_CHECK(cudaMemcpyAsync(h + h_floats, c_[cur_c_].get(), c_floats * sizeof(float), cudaMemcpyDeviceToHost, stream));
    RNNLITE_CUDA_CHECK(cudaStreamSynchronize(stream));
    UnpackFinalState(p, h, h + h_floats, t);
  }
  // Nothing may still read the pinned staging buffers when Invoke returns.
  RNNLITE_CUDA_CHECK(cudaStreamSynchronize(stream));
  return Status::Ok();
}

float* RnnNode::RegionAddress(const StateRegion& r, size_t* floats) const {
  const int64_t width = r.is_c ? plan_.H : plan_.X;
  *floats = static_cast<size_t>(r.dirs * plan_.B * width);
  float* base = r.is_c ? c_[cur_c_].f() : h_[cur_h_].f();
  return base + r.d0 * plan_.B * width;
}

Status RnnNode::ReadVariable(int tensor, Tensor& host) {
  auto it = state_variables_.find(tensor);
  if (it == state_variables_.end()) return InvalidArgument("tensor " + std::to_string(tensor) + " is not this node's state");
  if (!prepared_) return FailedPrecondition("no device state before Prepare");
  const StateRegion r = RegionOfStateSlot(plan_, it->second);
  size_t floats = 0;
  const float* src = RegionAddress(r, &floats);
  if (host.bytes != floats * sizeof(float) || (floats > 0 && host.data == nullptr)) {
    return InvalidArgument("variable '" + host.name + "': host tensor size differs from the device state");
  }
  std::vector<float> canonical(floats);
  RNNLITE_CUDA_CHECK(cudaSetDevice(ctx_->device().index));
  RNNLITE_CUDA_CHECK(cudaMemcpyAsync(canonical.data(), src, floats * sizeof(float), cudaMemcpyDeviceToHost, ctx_->stream()));
  RNNLITE_CUDA_CHECK(cudaStreamSynchronize(ctx_->stream()));
  RegionToTensor(plan_, r, canonical.data(), host.data_as<float>());
  return Status::Ok();
}

Status RnnNode::WriteVariable(int tensor, const Tensor& host) {
  auto it = state_variables_.find(tensor);
  if (it == state_variables_.end()) return InvalidArgument("tensor " + std::to_string(tensor) + " is not this node's state");
  if (!prepared_) return FailedPrecondition("no device state before Prepare");
  const StateRegion r = RegionOfStateSlot(plan_, it->second);
  size_t floats = 0;
  float* dst = RegionAddress(r, &floats);
  if (host.bytes != floats * sizeof(float) || (floats > 0 && host.data == nullptr)) {
    return InvalidArgument("variable '" + host.name + "': host tensor size differs from the device state");
  }
  std::vector<float> canonical(floats);
  TensorToRegion(plan_, r, reinterpret_cast<const float*>(host.data), canonical.data());
  RNNLITE_CUDA_CHECK(cudaSetDevice(ctx_->device().index));
  RNNLITE_CUDA_CHECK(cudaMemcpyAsync(dst, canonical.data(), floats * sizeof(float), cudaMemcpyHostToDevice, ctx_->stream()));
  RNNLITE_CUDA_CHECK(cudaStreamSynchronize(ctx_->stream()));
  return Status::Ok();
}

}  // namespace rnnlite::cu
