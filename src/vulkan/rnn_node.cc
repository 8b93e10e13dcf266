#include "vulkan/rnn_node.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace rnnlite::vk {
namespace {

namespace in = seq_rnn_input;
namespace out = seq_rnn_output;

uint32_t CeilDiv(int64_t a, int64_t b) { return static_cast<uint32_t>((a + b - 1) / b); }

StatusOr<Buffer> MakeBuffer(Context& ctx, int64_t floats, MemoryKind kind) {
  return Buffer::Create(ctx, static_cast<VkDeviceSize>(std::max<int64_t>(floats, 1)) * 4, kind);
}

template <typename T>
StatusOr<Buffer> Upload(Context& ctx, const std::vector<T>& values) {
  RNNLITE_ASSIGN_OR_RETURN(Buffer b, Buffer::Create(ctx, std::max<size_t>(values.size(), 1) * sizeof(T),
                                                    MemoryKind::kDevice));
  RNNLITE_RETURN_IF_ERROR(b.Write(ctx, 0, values.data(), values.size() * sizeof(T)));
  return b;
}

// IEEE binary16 of `f`, rounded to nearest even (callers keep |f| < 65504).
uint16_t FloatToHalf(float f) {
  uint32_t bits = 0;
  std::memcpy(&bits, &f, 4);
  const uint32_t sign = (bits >> 16) & 0x8000u;
  const int32_t exp = static_cast<int32_t>((bits >> 23) & 0xffu);
  uint32_t mant = bits & 0x7fffffu;
  if (exp == 255) return static_cast<uint16_t>(sign | 0x7c00u | (mant != 0 ? 0x200u : 0u));
  const int32_t e = exp - 127 + 15;
  if (e >= 31) return static_cast<uint16_t>(sign | 0x7c00u);
  uint32_t h = 0, rem = 0, halfway = 0;
  if (e <= 0) {  // half subnormal (or zero)
    if (e < -10) return static_cast<uint16_t>(sign);
    mant |= 0x800000u;
    const uint32_t shift = static_cast<uint32_t>(14 - e);
    h = mant >> shift;
    rem = mant & ((1u << shift) - 1u);
    halfway = 1u << (shift - 1u);
  } else {
    h = (static_cast<uint32_t>(e) << 10) | (mant >> 13);
    rem = mant & 0x1fffu;
    halfway = 0x1000u;
  }
  if (rem > halfway || (rem == halfway && (h & 1u) != 0)) ++h;  // a carry rolls into the exponent
  return static_cast<uint16_t>(sign | h);
}

// Every value finite and inside the fp16 range (else the node keeps fp32).
bool FitsHalf(const std::vector<float>& values) {
  for (float v : values) {
    if (!(std::fabs(v) < 65504.0f)) return false;
  }
  return true;
}

std::vector<uint16_t> ToHalf(const std::vector<float>& values) {
  std::vector<uint16_t> out(values.size());
  for (size_t i = 0; i < values.size(); ++i) out[i] = FloatToHalf(values[i]);
  return out;
}

// How far a failed Run got (RnnNode::Run rolls streaming state back).
constexpr int kNothingSubmitted = 0;
constexpr int kFirstSubmitRan = 1;  // submitted; its effect on the state is unknown
constexpr int kStateSaved = 2;      // the first submit saved the state and completed

// The push block of common.glsl.
struct StepPush {
  uint32_t step, lstep, parity, tc, batch, hidden, width, dirs;
};
struct GemmPush {
  uint32_t m, n, k, a_zstride, c_zstride;
};

}  // namespace

Status RnnNode::Compile(const Subgraph& graph, int node) {
  TensorLookup lookup = [&graph](int i) -> const Tensor* {
    return i >= 0 && i < static_cast<int>(graph.tensors.size()) ? &graph.tensors[i] : nullptr;
  };
  RNNLITE_RETURN_IF_ERROR(PlanNode(graph, node, lookup, ctx_->caps(), /*final_shapes=*/false, &plan_));
  for (int slot : {in::kH0, in::kC0, in::kH0Bw, in::kC0Bw}) {
    const int t = plan_.in[slot];
    if (t >= 0 && graph.tensors[t].is_variable) state_variables_[t] = slot;
  }
  RNNLITE_ASSIGN_OR_RETURN(PackedWeights packed, PackWeights(plan_, lookup));
  Context& ctx = *ctx_;
  const DeviceCaps& caps = ctx.caps();
  // fp16 mode stores the three weight matrices as fp16 (biases, peepholes,
  // layer norm and everything computed stay fp32); weights outside the fp16
  // range keep this node in fp32 rather than turning into inf.
  fp16_weights_ = caps.fp16_storage && FitsHalf(packed.w) && FitsHalf(packed.r) && FitsHalf(packed.proj);
  if (fp16_weights_) {
    RNNLITE_ASSIGN_OR_RETURN(w_, Upload(ctx, ToHalf(packed.w)));
    RNNLITE_ASSIGN_OR_RETURN(r_, Upload(ctx, ToHalf(packed.r)));
    RNNLITE_ASSIGN_OR_RETURN(proj_, Upload(ctx, ToHalf(packed.proj)));
  } else {
    RNNLITE_ASSIGN_OR_RETURN(w_, Upload(ctx, packed.w));
    RNNLITE_ASSIGN_OR_RETURN(r_, Upload(ctx, packed.r));
    RNNLITE_ASSIGN_OR_RETURN(proj_, Upload(ctx, packed.proj));
  }
  RNNLITE_ASSIGN_OR_RETURN(bias_, Upload(ctx, packed.bias));
  RNNLITE_ASSIGN_OR_RETURN(params_, Upload(ctx, packed.params));

  RNNLITE_ASSIGN_OR_RETURN(gemm_, ctx.kernels().Get(ShaderId::kGemm, {caps.gemm_tile}, fp16_weights_));
  recipe_ = StepRecipe(plan_);
  step_kernels_.clear();
  for (const StepDispatch& s : recipe_) {
    RNNLITE_ASSIGN_OR_RETURN(const Kernel* k,
                             ctx.kernels().Get(s.shader, {caps.step_workgroup, s.mode}, fp16_weights_));
    step_kernels_.push_back(k);
  }
  return Status::Ok();
}

Status RnnNode::Prepare(const Subgraph& graph, const TensorLookup& tensors) {
  prepared_ = false;
  RnnNodePlan plan;
  RNNLITE_RETURN_IF_ERROR(PlanNode(graph, plan_.node, tensors, ctx_->caps(), /*final_shapes=*/true, &plan));
  if (plan.I != plan_.I || plan.I2 != plan_.I2 || plan.H != plan_.H || plan.X != plan_.X) {
    return InvalidArgument("SequenceRnn sizes changed after compile");
  }
  RNNLITE_RETURN_IF_ERROR(PlanChunks(ctx_->caps(), options_, &plan));
  plan_ = plan;
  const RnnNodePlan& p = plan_;
  Context& ctx = *ctx_;
  const int64_t chunk_rows = p.D * p.chunk * p.B;
  RNNLITE_ASSIGN_OR_RETURN(xs_up_, MakeBuffer(ctx, chunk_rows * p.K, MemoryKind::kUpload));
  RNNLITE_ASSIGN_OR_RETURN(xs_, MakeBuffer(ctx, chunk_rows * p.K, MemoryKind::kDevice));
  RNNLITE_ASSIGN_OR_RETURN(xp_, MakeBuffer(ctx, chunk_rows * p.GH, MemoryKind::kDevice));
  RNNLITE_ASSIGN_OR_RETURN(ys_, MakeBuffer(ctx, chunk_rows * p.X, MemoryKind::kDevice));
  RNNLITE_ASSIGN_OR_RETURN(ys_down_, MakeBuffer(ctx, chunk_rows * p.X, MemoryKind::kReadback));
  RNNLITE_ASSIGN_OR_RETURN(state_, MakeBuffer(ctx, p.state_floats(), MemoryKind::kDevice));
  RNNLITE_ASSIGN_OR_RETURN(state_up_, MakeBuffer(ctx, p.state_floats(), MemoryKind::kUpload));
  RNNLITE_ASSIGN_OR_RETURN(state_down_, MakeBuffer(ctx, p.state_floats(), MemoryKind::kReadback));
  RNNLITE_ASSIGN_OR_RETURN(lens_, MakeBuffer(ctx, p.B, MemoryKind::kUpload));
  RNNLITE_ASSIGN_OR_RETURN(scratch_, MakeBuffer(ctx, p.scratch_floats(), MemoryKind::kDevice));
  state_saved_ = Buffer();
  if (p.streaming) {
    RNNLITE_ASSIGN_OR_RETURN(state_saved_, MakeBuffer(ctx, p.state_floats(), MemoryKind::kDevice));
  }
  state_lost_ = false;
  // Streaming state starts from zero here; WriteVariable restores it.
  std::vector<float> zeros(static_cast<size_t>(p.state_floats()), 0.0f);
  RNNLITE_RETURN_IF_ERROR(state_.Write(ctx, 0, zeros.data(), zeros.size() * sizeof(float)));
  parity_ = 0;

  pool_ = std::make_unique<DescriptorPool>(ctx);
  const uint32_t sets = static_cast<uint32_t>(1 + recipe_.size());
  RNNLITE_RETURN_IF_ERROR(pool_->Init(sets, gemm_->bindings + 7 * static_cast<uint32_t>(recipe_.size())));
  RNNLITE_ASSIGN_OR_RETURN(gemm_set_, pool_->Allocate(*gemm_, {xs_.handle(), w_.handle(), bias_.handle(), xp_.handle()}));
  steps_.clear();
  for (size_t i = 0; i < recipe_.size(); ++i) {
    const StepDispatch& s = recipe_[i];
    Dispatch d;
    d.kernel = step_kernels_[i];
    d.groups_x = CeilDiv(s.units, ctx.caps().step_workgroup);
    RNNLITE_ASSIGN_OR_RETURN(
        d.set, pool_->Allocate(*d.kernel, {xp_.handle(), s.projection_weights ? proj_.handle() : r_.handle(),
                                           state_.handle(), lens_.handle(), ys_.handle(), params_.handle(),
                                           scratch_.handle()}));
    steps_.push_back(d);
  }
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

void RnnNode::RecordChunk(CommandStream& cs, int64_t s0, int64_t n, uint32_t* parity) {
  const RnnNodePlan& p = plan_;
  const int64_t chunk_rows = p.D * p.chunk * p.B;
  cs.Copy(xs_up_.handle(), 0, xs_.handle(), 0, static_cast<VkDeviceSize>(chunk_rows * p.K) * 4);
  cs.Barrier(BarrierKind::kTransferToCompute);
  const uint32_t ts = ctx_->caps().gemm_tile;
  GemmPush g{static_cast<uint32_t>(n * p.B), static_cast<uint32_t>(p.GH), static_cast<uint32_t>(p.K),
             static_cast<uint32_t>(p.chunk * p.B * p.K), static_cast<uint32_t>(p.chunk * p.B * p.GH)};
  cs.Dispatch(*gemm_, gemm_set_, &g, CeilDiv(p.GH, ts), CeilDiv(n * p.B, ts), static_cast<uint32_t>(p.D));
  cs.Barrier(BarrierKind::kComputeToCompute);
  for (int64_t sl = 0; sl < n; ++sl) {
    StepPush push{static_cast<uint32_t>(s0 + sl), static_cast<uint32_t>(sl), *parity,
                  static_cast<uint32_t>(p.chunk), static_cast<uint32_t>(p.B), static_cast<uint32_t>(p.H),
                  static_cast<uint32_t>(p.X), static_cast<uint32_t>(p.D)};
    for (const Dispatch& d : steps_) {
      cs.Dispatch(*d.kernel, d.set, &push, d.groups_x, static_cast<uint32_t>(p.B), static_cast<uint32_t>(p.D));
      cs.Barrier(BarrierKind::kComputeToCompute);
    }
    *parity ^= 1u;
  }
  cs.Barrier(BarrierKind::kComputeToTransfer);
  cs.Copy(ys_.handle(), 0, ys_down_.handle(), 0, static_cast<VkDeviceSize>(chunk_rows * p.X) * 4);
}

Status RnnNode::Run(CommandStream& cs, const HostData& host) {
  if (!prepared_) return FailedPrecondition("Vulkan SequenceRnn node run before Prepare");
  if (state_lost_) return FailedPrecondition("device state lost in an earlier failed run; Prepare again");
  int progress = kNothingSubmitted;
  Status s = RunChunks(cs, host, &progress);
  if (s.ok() || !plan_.streaming) return s;
  // A failed vkQueueSubmit leaves every resource it names untouched (Vulkan
  // spec), so a first submit that failed there changed nothing; after a
  // completed first submit the saved copy is the state before this run.
  if (progress == kStateSaved) {
    const VkDeviceSize bytes = static_cast<VkDeviceSize>(plan_.state_floats()) * 4;
    Status r = ctx_->RunOnce([&](VkCommandBuffer cb) {
      CopyBuffer(ctx_->api(), cb, state_saved_.handle(), 0, state_.handle(), 0, bytes);
    });
    state_lost_ = !r.ok();
  } else if (progress == kFirstSubmitRan) {
    const std::string& m = s.message();
    state_lost_ = m.rfind("vkQueueSubmit", 0) != 0 && m.find("vkEndCommandBuffer") == std::string::npos;
  }
  return s;
}

Status RnnNode::RunChunks(CommandStream& cs, const HostData& host, int* progress) {
  const RnnNodePlan& p = plan_;
  std::vector<int32_t> lens;
  RNNLITE_RETURN_IF_ERROR(ReadLengths(host, &lens));
  const RnnHostTensors t = HostTensors(host);
  if (p.B == 0) return Status::Ok();  // every output is empty
  if (t.x == nullptr && p.T > 0) return InvalidArgument("input x has no data");
  std::memcpy(lens_.mapped(), lens.data(), lens.size() * sizeof(int32_t));

  const int64_t chunks = p.T == 0 ? 0 : (p.T + p.chunk - 1) / p.chunk;
  const int64_t submits = std::max<int64_t>(chunks, 1);
  const VkDeviceSize state_bytes = static_cast<VkDeviceSize>(p.state_floats()) * 4;
  uint32_t parity = p.streaming ? parity_ : 0u;
  for (int64_t k = 0; k < submits; ++k) {
    RNNLITE_RETURN_IF_ERROR(cs.Begin());
    if (k == 0 && p.streaming && submits > 1) {
      cs.Copy(state_.handle(), 0, state_saved_.handle(), 0, state_bytes);
      cs.Barrier(BarrierKind::kTransferToCompute);  // the copy reads state_ before the steps write it
    }
    if (k == 0 && !p.streaming) {
      float* h = state_up_.as<float>();
      std::fill(h, h + p.state_floats(), 0.0f);
      PackInitialState(p, t, h, h + 2 * p.D * p.B * p.X);
      cs.Copy(state_up_.handle(), 0, state_.handle(), 0, state_bytes);
      cs.Barrier(BarrierKind::kTransferToCompute);
    }
    const int64_t s0 = k * p.chunk;
    const int64_t n = k < chunks ? std::min(p.chunk, p.T - s0) : 0;
    if (n > 0) {
      GatherInputs(p, t, lens, s0, n, xs_up_.as<float>());
      RecordChunk(cs, s0, n, &parity);
    }
    if (k == submits - 1) {
      cs.Barrier(BarrierKind::kComputeToTransfer);
      cs.Copy(state_.handle(), 0, state_down_.handle(), 0, state_bytes);
    }
    cs.Barrier(BarrierKind::kTransferToHost);
    if (k == 0) *progress = kFirstSubmitRan;
    RNNLITE_RETURN_IF_ERROR(cs.SubmitAndWait());
    if (k == 0 && p.streaming && submits > 1) *progress = kStateSaved;
    if (n > 0) ScatterOutputs(p, lens, s0, n, ys_down_.as<float>(), t);
  }
  const float* fin = state_down_.as<float>();
  UnpackFinalState(p, fin + parity * p.D * p.B * p.X, fin + 2 * p.D * p.B * p.X, t);
  parity_ = parity;
  return Status::Ok();
}

void RnnNode::StateRegionBytes(const StateRegion& r, VkDeviceSize* offset, size_t* floats) const {
  const RnnNodePlan& p = plan_;
  const int64_t width = r.is_c ? p.H : p.X;
  const int64_t base = r.is_c ? 2 * p.D * p.B * p.X : parity_ * p.D * p.B * p.X;
  *offset = static_cast<VkDeviceSize>(base + r.d0 * p.B * width) * 4;
  *floats = static_cast<size_t>(r.dirs * p.B * width);
}

Status RnnNode::ReadVariable(int tensor, Tensor& host) {
  auto it = state_variables_.find(tensor);
  if (it == state_variables_.end()) return InvalidArgument("tensor " + std::to_string(tensor) + " is not this node's state");
  if (!prepared_) return FailedPrecondition("no device state before Prepare");
  if (state_lost_) return Unavailable("variable '" + host.name + "': the device state was lost in a failed run");
  const StateRegion r = RegionOfStateSlot(plan_, it->second);
  VkDeviceSize offset = 0;
  size_t floats = 0;
  StateRegionBytes(r, &offset, &floats);
  if (host.bytes != floats * sizeof(float) || (floats > 0 && host.data == nullptr)) {
    return InvalidArgument("variable '" + host.name + "': host tensor size differs from the device state");
  }
  std::vector<float> canonical(floats);
  RNNLITE_RETURN_IF_ERROR(state_.Read(*ctx_, offset, canonical.data(), floats * sizeof(float)));
  RegionToTensor(plan_, r, canonical.data(), host.data_as<float>());
  return Status::Ok();
}

Status RnnNode::WriteVariable(int tensor, const Tensor& host) {
  auto it = state_variables_.find(tensor);
  if (it == state_variables_.end()) return InvalidArgument("tensor " + std::to_string(tensor) + " is not this node's state");
  if (!prepared_) return FailedPrecondition("no device state before Prepare");
  const StateRegion r = RegionOfStateSlot(plan_, it->second);
  VkDeviceSize offset = 0;
  size_t floats = 0;
  StateRegionBytes(r, &offset, &floats);
  if (host.bytes != floats * sizeof(float) || (floats > 0 && host.data == nullptr)) {
    return InvalidArgument("variable '" + host.name + "': host tensor size differs from the device state");
  }
  std::vector<float> canonical(floats);
  TensorToRegion(plan_, r, host.data_as<float>(), canonical.data());
  return state_.Write(*ctx_, offset, canonical.data(), floats * sizeof(float));
}

}  // namespace rnnlite::vk
