// CPU kernel of the SequenceRnn custom op: validation and shape propagation
// in Prepare; in Eval the fast path (sequence_rnn_fast) when the interpreter
// asks for fast CPU kernels and the fast path covers the node, else the
// reference (sequence_rnn_ref); then the write-back of final states into
// variable state inputs (streaming across Invoke).
#include <algorithm>
#include <cstring>
#include <memory>
#include <type_traits>
#include <vector>

#include "core/op_registry.h"
#include "core/sequence_rnn.h"
#include "cpu_fallback/families.h"
#include "cpu_fallback/sequence_rnn_fast.h"
#include "cpu_fallback/sequence_rnn_ref.h"
#include "cpu_fallback/thread_pool.h"

namespace rnnlite {
namespace {

namespace in = seq_rnn_input;
namespace out = seq_rnn_output;

// Re-issues a status from the shared checks with this node's name.
Status NodeStatus(const KernelContext& ctx, const Status& s) {
  if (s.ok()) return s;
  return s.code() == StatusCode::kUnsupported ? ctx.UnsupportedError(s.message()) : ctx.Error(s.message());
}

class SequenceRnnKernel : public OpKernel {
 public:
  Status Prepare(KernelContext& ctx) override {
    if (ctx.num_inputs() > in::kCount) {
      return ctx.Error(std::to_string(ctx.num_inputs()) + " inputs; SequenceRnn has at most " +
                       std::to_string(in::kCount));
    }
    if (ctx.num_outputs() > out::kCount) {
      return ctx.Error(std::to_string(ctx.num_outputs()) + " outputs; SequenceRnn has at most " +
                       std::to_string(out::kCount));
    }
    auto params = SequenceRnnParams::FromAttrs(ctx.attrs());
    if (!params.ok()) return NodeStatus(ctx, params.status());
    params_ = *params;
    std::vector<const Tensor*> inputs(in::kCount, nullptr);
    for (int i = 0; i < ctx.num_inputs(); ++i) inputs[i] = ctx.input(i);
    auto shapes = CheckSequenceRnnInputs(params_, inputs);
    if (!shapes.ok()) return NodeStatus(ctx, shapes.status());
    shapes_ = *shapes;

    const Shape* out_shapes[out::kCount] = {&shapes_.y, &shapes_.y_h, &shapes_.y_c, &shapes_.y_bw};
    static constexpr const char* kOutNames[out::kCount] = {"y", "y_h", "y_c", "y_bw"};
    for (int i = 0; i < ctx.num_outputs(); ++i) {
      Tensor* t = ctx.output(i);
      if (t == nullptr) continue;
      const std::string label = "output " + std::to_string(i) + " (" + kOutNames[i] + ")";
      if (out_shapes[i]->empty()) {
        return ctx.Error(label + " is not produced by " + params_.Describe() +
                         (i == out::kYc ? " (only LSTM has a cell state)" : " (y_bw needs output_layout split and 2 directions)"));
      }
      if (t->dtype != shapes_.dtype) {
        return ctx.Error(label + ": dtype " + DTypeName(t->dtype) + ", expected " + DTypeName(shapes_.dtype));
      }
      RNNLITE_RETURN_IF_ERROR(ctx.ResizeOutput(i, *out_shapes[i]));
    }
    return CheckStateVariables(ctx);
  }

  Status Eval(KernelContext& ctx) override {
    if (shapes_.dtype == DType::kFloat64) return EvalTyped<double>(ctx);
    return EvalTyped<float>(ctx);
  }

 private:
  // A state input that is a variable tensor carries the state across
  // Invoke. Mixing variable and non-variable state inputs (or an LSTM whose
  // h persists but whose c restarts from zero) would make chunked runs
  // silently differ from one long run, so it is rejected.
  Status CheckStateVariables(KernelContext& ctx) {
    const bool lstm = params_.cell == RnnCell::kLstm;
    const bool per_dir = params_.state_layout == RnnStateLayout::kPerDirection;
    std::vector<int> slots = {in::kH0};
    if (lstm) slots.push_back(in::kC0);
    if (per_dir && params_.num_directions() == 2) {
      slots.push_back(in::kH0Bw);
      if (lstm) slots.push_back(in::kC0Bw);
    }
    int variables = 0;
    for (int slot : slots) {
      const Tensor* t = ctx.input(slot);
      if (t != nullptr && t->is_variable) ++variables;
    }
    streaming_ = variables > 0;
    if (streaming_ && variables != static_cast<int>(slots.size())) {
      std::string names;
      for (int slot : slots) names += std::string(names.empty() ? "" : ", ") + SequenceRnnInputName(slot);
      return ctx.Error("streaming state needs every state input (" + names +
                       ") to be a variable tensor; some are variables and some are not");
    }
    return Status::Ok();
  }

  template <typename T>
  const T* Data(KernelContext& ctx, int slot, int64_t elements, Status* status) {
    const Tensor* t = ctx.input(slot);
    if (t == nullptr) return nullptr;
    if (t->data == nullptr || t->bytes < static_cast<size_t>(elements) * sizeof(T)) {
      *status = ctx.Error(std::string("input ") + SequenceRnnInputName(slot) + " has no storage of the expected size");
      return nullptr;
    }
    return t->data_as<T>();
  }

  template <typename T>
  Status EvalTyped(KernelContext& ctx) {
    SequenceRnnRefArgs<T> a;
    Status st;
    auto data = [&](int slot) {
      const Tensor* t = ctx.input(slot);
      return t ? Data<T>(ctx, slot, t->num_elements(), &st) : nullptr;
    };
    a.x = data(in::kX);
    a.w = data(in::kW);
    a.r = data(in::kR);
    a.wb = data(in::kWb);
    a.rb = data(in::kRb);
    a.h0 = data(in::kH0);
    a.c0 = data(in::kC0);
    a.h0_bw = data(in::kH0Bw);
    a.c0_bw = data(in::kC0Bw);
    a.peephole = data(in::kPeephole);
    a.proj_w = data(in::kProjW);
    a.proj_b = data(in::kProjB);
    a.layer_norm = data(in::kLayerNorm);
    a.aux_x = data(in::kAuxX);
    a.aux_w = data(in::kAuxW);
    RNNLITE_RETURN_IF_ERROR(st);
    RNNLITE_RETURN_IF_ERROR(ReadSequenceLengths(ctx, &a.seq_lens));

    T* outs[out::kCount] = {nullptr, nullptr, nullptr, nullptr};
    for (int i = 0; i < ctx.num_outputs(); ++i) {
      Tensor* t = ctx.output(i);
      if (t == nullptr) continue;
      if (t->data == nullptr && t->num_elements() > 0) return ctx.Error("output " + std::to_string(i) + " has no storage");
      outs[i] = t->data_as<T>();
    }
    a.y = outs[out::kY];
    a.y_h = outs[out::kYh];
    a.y_c = outs[out::kYc];
    a.y_bw = outs[out::kYBw];

    const int64_t D = params_.num_directions(), B = shapes_.batch;
    std::vector<T> final_h, final_c;
    if (streaming_) {
      final_h.resize(static_cast<size_t>(D * B * params_.recurrent_width()));
      final_c.resize(static_cast<size_t>(D * B * params_.hidden_size));
      a.final_h = final_h.data();
      a.final_c = final_c.data();
    }
    RNNLITE_RETURN_IF_ERROR(NodeStatus(ctx, Run<T>(ctx, a)));
    if (streaming_) {
      RNNLITE_RETURN_IF_ERROR(WriteBack(ctx, final_h, params_.recurrent_width(), in::kH0, in::kH0Bw));
      if (params_.cell == RnnCell::kLstm) {
        RNNLITE_RETURN_IF_ERROR(WriteBack(ctx, final_c, params_.hidden_size, in::kC0, in::kC0Bw));
      }
    }
    return Status::Ok();
  }

  // The coverage decision: float32 nodes the fast path covers
  // (SequenceRnnFastUnsupportedReason) run fast unless the interpreter asks
  // for the reference; everything else runs the reference.
  template <typename T>
  Status Run(KernelContext& ctx, const SequenceRnnRefArgs<T>& a) {
    if constexpr (std::is_same_v<T, float>) {
      if (ctx.cpu_kernels() == CpuKernels::kFast && SequenceRnnFastUnsupportedReason(params_, a).empty()) {
        const int threads = std::max(1, ctx.num_threads());
        if (pool_ == nullptr || pool_->size() != threads) pool_ = std::make_unique<ThreadPool>(threads);
        return RunSequenceRnnFast(params_, shapes_, a, *pool_);
      }
    }
    return RunSequenceRnnReference<T>(params_, shapes_, a);
  }

  // Checks every length against [0, T] here, in Eval: the values may change
  // between Invoke calls.
  Status ReadSequenceLengths(KernelContext& ctx, std::vector<int64_t>* lens) {
    const Tensor* t = ctx.input(in::kSeqLens);
    if (t == nullptr) return Status::Ok();
    const int64_t B = shapes_.batch;
    const size_t elem = t->dtype == DType::kInt64 ? 8 : 4;
    if (t->data == nullptr || t->bytes < static_cast<size_t>(B) * elem) {
      return ctx.Error("sequence_lengths has no storage of the expected size");
    }
    lens->resize(static_cast<size_t>(B));
    for (int64_t b = 0; b < B; ++b) {
      (*lens)[b] = t->dtype == DType::kInt64 ? t->data_as<int64_t>()[b] : t->data_as<int32_t>()[b];
      if ((*lens)[b] < 0 || (*lens)[b] > shapes_.seq_len) {
        return ctx.Error("sequence_lengths[" + std::to_string(b) + "] = " + std::to_string((*lens)[b]) +
                         " is outside [0, T = " + std::to_string(shapes_.seq_len) + "]");
      }
    }
    return Status::Ok();
  }

  // Copies canonical [D][B][width] final states into the variable state
  // input(s), in the node's state layout.
  template <typename T>
  Status WriteBack(KernelContext& ctx, const std::vector<T>& fin, int64_t width, int slot, int bw_slot) {
    const int64_t D = params_.num_directions(), B = shapes_.batch;
    const size_t row_bytes = static_cast<size_t>(width) * sizeof(T);
    if (params_.state_layout == RnnStateLayout::kPerDirection) {
      for (int64_t d = 0; d < D; ++d) {
        Tensor* v = ctx.variable_input(d == 0 ? slot : bw_slot);
        if (v == nullptr || v->bytes < static_cast<size_t>(B) * row_bytes) {
          return ctx.Error("state variable for direction " + std::to_string(d) + " is missing or too small");
        }
        if (B > 0) std::memcpy(v->data, fin.data() + d * B * width, static_cast<size_t>(B) * row_bytes);
      }
      return Status::Ok();
    }
    Tensor* v = ctx.variable_input(slot);
    if (v == nullptr || v->bytes < static_cast<size_t>(D * B) * row_bytes) {
      return ctx.Error(std::string("state variable ") + SequenceRnnInputName(slot) + " is missing or too small");
    }
    T* dst = v->data_as<T>();
    for (int64_t d = 0; d < D; ++d) {
      for (int64_t b = 0; b < B; ++b) {
        const int64_t row = params_.time_major ? d * B + b : b * D + d;
        std::memcpy(dst + row * width, fin.data() + (d * B + b) * width, row_bytes);
      }
    }
    return Status::Ok();
  }

  SequenceRnnParams params_;
  SequenceRnnShapes shapes_;
  bool streaming_ = false;
  // Created at the first fast Eval and kept: threads persist across Invoke.
  std::unique_ptr<ThreadPool> pool_;
};

}  // namespace

void RegisterSequenceRnnKernels(OpRegistry& registry) {
  registry.RegisterCustom(kSequenceRnnCustomCode, MakeFactory<SequenceRnnKernel>());
}

}  // namespace rnnlite
