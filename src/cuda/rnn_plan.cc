#include "cuda/rnn_plan.h"

#include <algorithm>
#include <climits>
#include <cstring>

namespace rnnlite::cu {
namespace {

namespace in = seq_rnn_input;
namespace out = seq_rnn_output;

// Stand-in shapes for non-constant inputs not yet shaped before shape
// propagation (see PlanNode). Shapes already of the right rank are kept.
void StandInShapes(const SequenceRnnParams& params, std::vector<const Tensor*>* inputs, std::vector<Tensor>* stand_ins) {
  auto& ptrs = *inputs;
  auto replace = [&](int slot, Shape shape) {
    const Tensor* t = ptrs[slot];
    if (t == nullptr || t->is_constant() || t->shape.size() == shape.size()) return;
    (*stand_ins)[slot] = *t;
    (*stand_ins)[slot].shape = std::move(shape);
    ptrs[slot] = &(*stand_ins)[slot];
  };
  const Tensor* w = ptrs[in::kW];
  const Tensor* aux_w = ptrs[in::kAuxW];
  if (w != nullptr && w->rank() == 3) replace(in::kX, {1, 1, w->dim(2)});
  if (aux_w != nullptr && aux_w->rank() == 3) replace(in::kAuxX, {1, 1, aux_w->dim(2)});
  const Tensor* x = ptrs[in::kX];
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

bool AllZero(const Tensor* t) {
  if (t == nullptr) return true;
  if (!t->is_constant()) return false;
  const float* f = reinterpret_cast<const float*>(t->constant_data);
  const size_t n = t->constant_bytes / sizeof(float);
  return std::all_of(f, f + n, [](float v) { return v == 0.0f; });
}

// cuBLAS and cuDNN take int sizes and leading dimensions.
Status FitsInt(const RnnNodePlan& p) {
  const int64_t widest = std::max({p.GH * std::max(p.K, p.X), p.P * p.H, p.B * p.GH, p.B * p.K});
  if (widest > INT_MAX) {
    return Unsupported("a matrix of " + std::to_string(widest) + " elements exceeds the 32-bit sizes of cuBLAS/cuDNN");
  }
  return Status::Ok();
}

}  // namespace

std::string RnnNodePlan::Describe() const {
  return engine == Engine::kCudnn ? "cuDNN" : "custom kernels (" + custom_reason + ")";
}

Status CudnnExact(const RnnNodePlan& p, const std::vector<const Tensor*>& inputs) {
  const SequenceRnnParams& q = p.params;
  const int per_dir = q.activations_per_direction();
  auto acts_are = [&](std::vector<RnnActivation> want) {
    for (int d = 0; d < q.num_directions(); ++d) {
      for (int k = 0; k < per_dir; ++k) {
        if (q.activations[static_cast<size_t>(d * per_dir + k)].kind != want[static_cast<size_t>(k)]) return false;
      }
    }
    return true;
  };
  if (q.gate_clip > 0.0f) return Unsupported("ONNX clip on gate inputs");
  switch (q.cell) {
    case RnnCell::kLstm:
      if (p.peephole) return Unsupported("peepholes");
      if (q.cifg || q.input_forget) return Unsupported("coupled input/forget gate");
      if (p.layer_norm) return Unsupported("layer norm");
      if (q.proj_clip > 0.0f) return Unsupported("projection clip");
      // cuDNN's recurrent projection has no bias.
      if (p.P > 0 && !AllZero(inputs[in::kProjB])) return Unsupported("projection bias");
      if (p.P > p.H) return Unsupported("a projection wider than the hidden size");
      if (!acts_are({RnnActivation::kSigmoid, RnnActivation::kTanh, RnnActivation::kTanh})) {
        return Unsupported("non-default activations");
      }
      break;
    case RnnCell::kGru:
      if (!q.linear_before_reset) return Unsupported("GRU linear_before_reset=0 (cuDNN computes 1)");
      if (!acts_are({RnnActivation::kSigmoid, RnnActivation::kTanh})) return Unsupported("non-default activations");
      break;
    case RnnCell::kRnn:
      if (!acts_are({RnnActivation::kTanh}) && !acts_are({RnnActivation::kRelu})) {
        return Unsupported("RNN activation other than tanh or relu in every direction");
      }
      break;
  }
  return Status::Ok();
}

Status PlanNode(const Subgraph& graph, int node, const TensorLookup& tensors, const BackendOptions& options,
                bool final_shapes, RnnNodePlan* plan) {
  if (node < 0 || node >= static_cast<int>(graph.nodes.size())) return InvalidArgument("node index out of range");
  const Node& n = graph.nodes[node];
  if (!n.is_custom(kSequenceRnnCustomCode)) {
    return Unsupported("op " + NodeOpName(n) + " is not SequenceRnn (the CUDA backend runs the fused recurrent op only)");
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
    return Unsupported("dtype " + DTypeName(p.shapes.dtype) + ": the CUDA backend computes in float32 only");
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
  for (int slot : {in::kW, in::kR, in::kWb, in::kRb, in::kPeephole, in::kProjW, in::kProjB, in::kLayerNorm,
                   in::kAuxW}) {
    if (inputs[slot] != nullptr && !inputs[slot]->is_constant()) {
      return Unsupported(std::string("input ") + SequenceRnnInputName(slot) +
                         " is not a constant (the CUDA backend repacks and uploads weights once, at compile)");
    }
  }
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
  for (size_t a = 0; a < n.inputs.size(); ++a) {
    for (size_t b = a + 1; b < n.inputs.size(); ++b) {
      if (p.streaming && n.inputs[a] >= 0 && n.inputs[a] == n.inputs[b] && inputs[a]->is_variable) {
        return Unsupported("one variable tensor feeds two state inputs");
      }
    }
  }
  p.lens_int64 = inputs[in::kSeqLens] != nullptr && inputs[in::kSeqLens]->dtype == DType::kInt64;
  p.layer_norm = inputs[in::kLayerNorm] != nullptr;
  p.peephole = inputs[in::kPeephole] != nullptr;
  p.has_proj_bias = inputs[in::kProjB] != nullptr;
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
  RNNLITE_RETURN_IF_ERROR(FitsInt(p));
  // Kernels put batch rows on gridDim.y.
  if (p.B > 65535) return Unsupported("batch " + std::to_string(p.B) + " exceeds 65535 rows");

  Status exact = CudnnExact(p, inputs);
  // cuDNN's RNN data descriptors need a non-empty batch and input.
  if (exact.ok() && (p.K == 0)) exact = Unsupported("empty input vector");
  switch (options.engine) {
    case EngineChoice::kAuto:
      p.engine = exact.ok() ? Engine::kCudnn : Engine::kCustom;
      p.custom_reason = exact.ok() ? "" : "cuDNN does not compute " + exact.message();
      break;
    case EngineChoice::kCudnn:
      if (!exact.ok()) return Unsupported("engine=cudnn, and cuDNN does not compute " + exact.message());
      p.engine = Engine::kCudnn;
      break;
    case EngineChoice::kCustom:
      p.engine = Engine::kCustom;
      p.custom_reason = "engine=custom";
      break;
  }
  *plan = std::move(p);
  return Status::Ok();
}

void PlanChunks(const BackendOptions& options, RnnNodePlan* plan) {
  RnnNodePlan& p = *plan;
  // Device floats per step: xs, xp (custom engine) and ys, for D x B rows.
  const int64_t per_step = p.D * p.B * (p.K + p.GH + p.X) * 4;
  int64_t chunk = options.chunk_steps > 0 ? options.chunk_steps : options.workspace_bytes / std::max<int64_t>(1, per_step);
  chunk = std::clamp<int64_t>(chunk, 1, std::max<int64_t>(1, std::min(p.T, options.max_chunk_steps)));
  // cuBLAS m = chunk * B must stay an int.
  chunk = std::min<int64_t>(chunk, std::max<int64_t>(1, INT_MAX / std::max<int64_t>(1, p.B * std::max(p.GH, p.K))));
  p.chunk = chunk;
}

}  // namespace rnnlite::cu
