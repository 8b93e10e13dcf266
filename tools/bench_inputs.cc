#include "bench_inputs.h"

#include <cstring>
#include <optional>

#include "cli_util.h"
#include "random_values.h"
#include "rnnlite/ops.h"

namespace rnnlite::cli {
namespace {

// T of the SequenceRnn node whose sequence-length slot `tensor` reaches,
// following CAST nodes; nullopt if it feeds no such slot.
std::optional<int32_t> SequenceLengthLimit(const Interpreter& interp, int tensor, int depth = 0) {
  if (depth > 4) return std::nullopt;
  const Subgraph& sg = interp.subgraph();
  for (const Node& node : sg.nodes) {
    bool uses = false;
    for (int in : node.inputs) uses = uses || in == tensor;
    if (!uses) continue;
    if (node.op == Op::kCast && node.outputs.size() == 1) {
      if (auto t = SequenceLengthLimit(interp, node.outputs[0], depth + 1)) return t;
      continue;
    }
    constexpr size_t kSeqLensSlot = 5;  // seq_rnn_input::kSeqLens (src/core/sequence_rnn.h)
    constexpr size_t kXSlot = 0;
    if (!node.is_custom(kSequenceRnnCustomCode) || node.inputs.size() <= kSeqLensSlot ||
        node.inputs[kSeqLensSlot] != tensor) {
      continue;
    }
    const Tensor* x = interp.tensor(node.inputs[kXSlot]);
    if (x == nullptr || x->rank() < 2) continue;
    const bool time_major = node.attrs.GetInt("time_major", 1) != 0;
    return x->dim(time_major ? 0 : 1);
  }
  return std::nullopt;
}

}  // namespace

StatusOr<std::vector<BenchInput>> MakeBenchInputs(const Interpreter& interp, uint64_t seed) {
  std::vector<BenchInput> inputs;
  for (size_t i = 0; i < interp.inputs().size(); ++i) {
    BenchInput in;
    in.tensor = interp.inputs()[i];
    const Tensor* t = interp.tensor(in.tensor);
    in.name = t->name;
    const int64_t count = t->num_elements();
    if (count < 0) return InvalidArgument("input '" + t->name + "': unresolved shape " + ShapeToString(t->shape));
    const size_t size = static_cast<size_t>(count) * DTypeSize(t->dtype);
    if (size > t->bytes || (size != 0 && t->data == nullptr)) {
      return Internal("input '" + t->name + "': tensor holds " + std::to_string(t->bytes) + " bytes, needs " +
                      std::to_string(size));
    }
    const std::optional<int32_t> limit =
        IsIntegerDType(t->dtype) ? SequenceLengthLimit(interp, in.tensor) : std::nullopt;
    if (limit) {
      in.bytes.assign(size, 0);
      for (int64_t k = 0; k < count; ++k) {
        StoreSmallInt(t->dtype, in.bytes.data() + static_cast<size_t>(k) * DTypeSize(t->dtype),
                 static_cast<uint64_t>(*limit));
      }
      in.values = "sequence lengths = T = " + std::to_string(*limit);
    } else {
      // Each input has its own stream, as in `rnnlite run` (same seeds).
      RNNLITE_RETURN_IF_ERROR(FillRandomValues(t->dtype, static_cast<size_t>(count), seed * 1000003u + i, &in.bytes));
      in.values = "random (seed " + std::to_string(seed) + ")";
    }
    inputs.push_back(std::move(in));
  }
  return inputs;
}

void CopyBenchInputs(const std::vector<BenchInput>& inputs, Interpreter& interp) {
  for (const BenchInput& in : inputs) {
    Tensor* t = interp.tensor(in.tensor);
    if (!in.bytes.empty()) std::memcpy(t->data, in.bytes.data(), in.bytes.size());
  }
}

}  // namespace rnnlite::cli
