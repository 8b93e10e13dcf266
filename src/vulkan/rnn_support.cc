#include "vulkan/rnn_support.h"

#include <algorithm>

namespace rnnlite::vk {
namespace {

namespace in = seq_rnn_input;
namespace out = seq_rnn_output;

constexpr uint32_t kStepBindings = 7;   // common.glsl
constexpr uint32_t kStepPushBytes = 32;  // common.glsl Push
constexpr uint32_t kGemmPushBytes = 20;  // gemm.comp Push

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

std::string Bytes(int64_t b) { return std::to_string(b) + " bytes"; }

// One storage buffer of `floats` elements must fit the device's range.
Status FitsRange(const DeviceCaps& caps, const char* what, int64_t floats) {
  const int64_t bytes = floats * 4;
  if (bytes > static_cast<int64_t>(caps.max_storage_buffer_range)) {
    return Unsupported(std::string(what) + " needs a " + Bytes(bytes) + " storage buffer; the device allows " +
                       Bytes(caps.max_storage_buffer_range) + " (maxStorageBufferRange)");
  }
  return Status::Ok();
}

Status FitsGroups(const DeviceCaps& caps, const char* what, int axis, int64_t groups) {
  if (groups > static_cast<int64_t>(caps.max_workgroup_count[axis])) {
    return Unsupported(std::string(what) + " needs " + std::to_string(groups) + " workgroups along " +
                       "xyz"[axis] + "; the device allows " + std::to_string(caps.max_workgroup_count[axis]));
  }
  return Status::Ok();
}

// Limits that do not depend on T (a one-step chunk must fit).
Status CheckDeviceLimits(const DeviceCaps& caps, const RnnNodePlan& p) {
  if (caps.max_storage_buffers_per_stage < kStepBindings) {
    return Unsupported("the step shaders bind " + std::to_string(kStepBindings) +
                       " storage buffers; the device allows " + std::to_string(caps.max_storage_buffers_per_stage));
  }
  if (caps.max_push_constants < std::max(kStepPushBytes, kGemmPushBytes)) {
    return Unsupported("the device allows only " + Bytes(caps.max_push_constants) + " of push constants");
  }
  const int64_t step_shared = int64_t{caps.step_workgroup} * 4;
  const int64_t gemm_shared = int64_t{2} * caps.gemm_tile * caps.gemm_tile * 4;
  if (std::max(step_shared, gemm_shared) > static_cast<int64_t>(caps.max_shared_memory)) {
    return Unsupported("the shaders need " + Bytes(std::max(step_shared, gemm_shared)) +
                       " of shared memory; the device allows " + Bytes(caps.max_shared_memory));
  }
  const int64_t wg = caps.step_workgroup, ts = caps.gemm_tile;
  RNNLITE_RETURN_IF_ERROR(FitsGroups(caps, "the step shader (hidden units)", 0, CeilDiv(std::max(p.H, p.X), wg)));
  RNNLITE_RETURN_IF_ERROR(FitsGroups(caps, "the step shader (batch rows)", 1, p.B));
  RNNLITE_RETURN_IF_ERROR(FitsGroups(caps, "the step shader (directions)", 2, p.D));
  RNNLITE_RETURN_IF_ERROR(FitsGroups(caps, "the input projection (gate rows)", 0, CeilDiv(p.GH, ts)));
  RNNLITE_RETURN_IF_ERROR(FitsGroups(caps, "the input projection (batch rows)", 1, CeilDiv(p.B, ts)));
  RNNLITE_RETURN_IF_ERROR(FitsRange(caps, "the input weights", p.D * p.GH * p.K));
  RNNLITE_RETURN_IF_ERROR(FitsRange(caps, "the recurrent weights", p.D * p.GH * p.X));
  RNNLITE_RETURN_IF_ERROR(FitsRange(caps, "the projection weights", p.D * p.P * p.H));
  RNNLITE_RETURN_IF_ERROR(FitsRange(caps, "the recurrent state", p.state_floats()));
  RNNLITE_RETURN_IF_ERROR(FitsRange(caps, "one step's gate projection", p.D * p.B * p.GH));
  RNNLITE_RETURN_IF_ERROR(FitsRange(caps, "one step's input", p.D * p.B * p.K));
  const int64_t weights = 4 * (p.D * p.GH * (p.K + p.X) + p.D * p.P * p.H);
  if (caps.device_memory_bytes > 0 && weights > static_cast<int64_t>(caps.device_memory_bytes)) {
    return Unsupported("the weights (" + Bytes(weights) + ") exceed the device memory");
  }
  return Status::Ok();
}

// Stand-in shapes for non-constant inputs whose shape is not known before
// shape propagation (see PlanNode). Shapes already consistent are kept.
void StandInShapes(const SequenceRnnParams& params, std::vector<const Tensor*>* inputs, std::vector<Tensor>* stand_ins) {
  auto& in_ptrs = *inputs;
  auto replace = [&](int slot, Shape shape) {
    const Tensor* t = in_ptrs[slot];
    if (t == nullptr || t->is_constant() || t->shape.size() == shape.size()) return;
    (*stand_ins)[slot] = *t;
    (*stand_ins)[slot].shape = std::move(shape);
    in_ptrs[slot] = &(*stand_ins)[slot];
  };
  const Tensor* w = in_ptrs[in::kW];
  const Tensor* aux_w = in_ptrs[in::kAuxW];
  if (w != nullptr && w->rank() == 3) replace(in::kX, {1, 1, w->dim(2)});
  if (aux_w != nullptr && aux_w->rank() == 3) replace(in::kAuxX, {1, 1, aux_w->dim(2)});
  const Tensor* x = in_ptrs[in::kX];
  if (x == nullptr || x->rank() != 3) return;
  const int32_t B = params.time_major ? x->dim(1) : x->dim(0);
  const int32_t D = params.num_directions(), X = params.recurrent_width(), H = params.hidden_size;
  const bool stacked = params.state_layout == RnnStateLayout::kStacked;
  auto state = [&](int32_t width) -> Shape {
    if (!stacked) return {B, width};
    return params.time_major ? Shape{D, B, width} : Shape{B, D, width};
  };
  replace(in::kSeqLens, {B});
  replace(in::kH0, state(X));
  replace(in::kH0Bw, state(X));
  replace(in::kC0, state(H));
  replace(in::kC0Bw, state(H));
}

}  // namespace

Status PlanNode(const Subgraph& graph, int node, const TensorLookup& tensors, const DeviceCaps& caps,
                bool final_shapes, RnnNodePlan* plan) {
  if (node < 0 || node >= static_cast<int>(graph.nodes.size())) return InvalidArgument("node index out of range");
  const Node& n = graph.nodes[node];
  if (!n.is_custom(kSequenceRnnCustomCode)) {
    return Unsupported("op " + NodeOpName(n) + " is not SequenceRnn (the Vulkan backend runs the fused recurrent op only)");
  }
  if (n.inputs.size() > static_cast<size_t>(in::kCount) || n.outputs.size() > static_cast<size_t>(out::kCount)) {
    return InvalidArgument("SequenceRnn node has too many inputs or outputs");
  }
  RnnNodePlan p;
  p.node = node;
  RNNLITE_ASSIGN_OR_RETURN(p.params, SequenceRnnParams::FromAttrs(n.attrs));
  p.in.assign(in::kCount, -1);
  p.out.assign(out::kCount, -1);
  std::vector<const Tensor*> inputs(in::kCount, nullptr);
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    if (n.inputs[i] < 0) continue;
    inputs[i] = tensors(n.inputs[i]);
    if (inputs[i] == nullptr) return InvalidArgument("input tensor " + std::to_string(n.inputs[i]) + " out of range");
    p.in[i] = n.inputs[i];
  }
  std::vector<Tensor> stand_ins(in::kCount);
  if (!final_shapes) StandInShapes(p.params, &inputs, &stand_ins);
  RNNLITE_ASSIGN_OR_RETURN(p.shapes, CheckSequenceRnnInputs(p.params, inputs));
  if (p.shapes.dtype != DType::kFloat32) {
    return Unsupported("dtype " + DTypeName(p.shapes.dtype) + ": the Vulkan backend computes in float32 only");
  }
  const Shape* expected[out::kCount] = {&p.shapes.y, &p.shapes.y_h, &p.shapes.y_c, &p.shapes.y_bw};
  for (size_t i = 0; i < n.outputs.size(); ++i) {
    if (n.outputs[i] < 0) continue;
    const Tensor* t = tensors(n.outputs[i]);
    if (t == nullptr) return InvalidArgument("output tensor out of range");
    if (expected[i]->empty()) return InvalidArgument("output " + std::to_string(i) + " is not produced by " + p.params.Describe());
    if (t->dtype != DType::kFloat32) return Unsupported("output " + std::to_string(i) + " is not float32");
    p.out[i] = n.outputs[i];
  }

  // Weights are uploaded (and repacked) once, at Compile.
  for (int slot : {in::kW, in::kR, in::kWb, in::kRb, in::kPeephole, in::kProjW, in::kProjB, in::kLayerNorm,
                   in::kAuxW}) {
    if (inputs[slot] != nullptr && !inputs[slot]->is_constant()) {
      return Unsupported(std::string("input ") + SequenceRnnInputName(slot) +
                         " is not a constant (the Vulkan backend uploads weights once, at compile)");
    }
  }
  // Variable tensors carry streaming state, and only in the state slots.
  const bool lstm = p.params.cell == RnnCell::kLstm;
  std::vector<int> state_slots = {in::kH0};
  if (lstm) state_slots.push_back(in::kC0);
  if (p.params.state_layout == RnnStateLayout::kPerDirection && p.params.num_directions() == 2) {
    state_slots.push_back(in::kH0Bw);
    if (lstm) state_slots.push_back(in::kC0Bw);
  }
  int variables = 0;
  for (int slot = 0; slot < in::kCount; ++slot) {
    if (inputs[slot] == nullptr || !inputs[slot]->is_variable) continue;
    if (std::find(state_slots.begin(), state_slots.end(), slot) == state_slots.end()) {
      return Unsupported(std::string("variable tensor in input ") + SequenceRnnInputName(slot) +
                         " (only state inputs may be variables)");
    }
    ++variables;
  }
  if (variables > 0 && variables != static_cast<int>(state_slots.size())) {
    return InvalidArgument("streaming state needs every state input to be a variable tensor");
  }
  p.streaming = variables > 0;
  p.lens_int64 = inputs[in::kSeqLens] != nullptr && inputs[in::kSeqLens]->dtype == DType::kInt64;
  for (size_t a = 0; a < n.inputs.size(); ++a) {
    for (size_t b = a + 1; b < n.inputs.size(); ++b) {
      if (p.streaming && n.inputs[a] >= 0 && n.inputs[a] == n.inputs[b] && inputs[a]->is_variable) {
        return Unsupported("one variable tensor feeds two state inputs");
      }
    }
  }

  p.layer_norm = inputs[in::kLayerNorm] != nullptr;

  p.T = p.shapes.seq_len;
  p.B = p.shapes.batch;
  p.I = p.shapes.input_size;
  p.I2 = p.shapes.aux_input_size;
  p.K = p.I + p.I2;
  p.H = p.params.hidden_size;
  p.X = p.params.recurrent_width();
  p.P = p.params.proj_size;
  p.D = p.params.num_directions();
  p.G = p.params.num_gates();
  p.GH = p.G * p.H;
  RNNLITE_RETURN_IF_ERROR(CheckDeviceLimits(caps, p));
  *plan = std::move(p);
  return Status::Ok();
}

Status PlanChunks(const DeviceCaps& caps, const BackendOptions& options, RnnNodePlan* plan) {
  RnnNodePlan& p = *plan;
  const int64_t per_step_floats = p.D * p.B * (p.K + p.GH + p.X);
  int64_t chunk = options.chunk_steps > 0 ? options.chunk_steps
                                          : options.workspace_bytes / std::max<int64_t>(1, per_step_floats * 4);
  chunk = std::clamp<int64_t>(chunk, 1, std::max<int64_t>(1, std::min(p.T, options.max_chunk_steps)));
  // The largest chunk buffer (gate projections) and the gemm grid must fit.
  const int64_t range_floats = static_cast<int64_t>(caps.max_storage_buffer_range) / 4;
  const int64_t widest = p.D * p.B * std::max({p.GH, p.K, p.X, int64_t{1}});
  chunk = std::min(chunk, std::max<int64_t>(1, range_floats / std::max<int64_t>(1, widest)));
  const int64_t rows_max = int64_t{caps.max_workgroup_count[1]} * caps.gemm_tile;
  chunk = std::min(chunk, std::max<int64_t>(1, rows_max / std::max<int64_t>(1, p.B)));
  RNNLITE_RETURN_IF_ERROR(FitsRange(caps, "the gate projection of one chunk", chunk * widest));
  RNNLITE_RETURN_IF_ERROR(FitsGroups(caps, "the input projection (rows)", 1, CeilDiv(chunk * p.B, caps.gemm_tile)));
  p.chunk = chunk;
  return Status::Ok();
}

}  // namespace rnnlite::vk
