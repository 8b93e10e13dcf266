#include "bench_inputs.h"

#include <cstring>
#include <optional>

#include "cli_util.h"
#include "rnnlite/ops.h"

namespace rnnlite::cli {
namespace {

// Same generator and stream layout as `rnnlite run` (cmd_run.cc), so one
// seed means the same float inputs in both commands.
struct SplitMix64 {
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  float NextSigned() { return static_cast<float>(Next() >> 40) * (1.0f / 8388608.0f) - 1.0f; }
};

template <typename T>
void Store(uint8_t* p, T v) {
  std::memcpy(p, &v, sizeof(T));
}

bool IsInteger(DType d) {
  switch (d) {
    case DType::kInt8: case DType::kUInt8: case DType::kInt16: case DType::kUInt16:
    case DType::kInt32: case DType::kUInt32: case DType::kInt64: case DType::kUInt64:
      return true;
    default:
      return false;
  }
}

// Stores `v` (small and non-negative) as dtype `d`.
void StoreInt(DType d, uint8_t* p, uint64_t v) {
  switch (d) {
    case DType::kInt8: Store(p, static_cast<int8_t>(v)); break;
    case DType::kUInt8: Store(p, static_cast<uint8_t>(v)); break;
    case DType::kInt16: Store(p, static_cast<int16_t>(v)); break;
    case DType::kUInt16: Store(p, static_cast<uint16_t>(v)); break;
    case DType::kInt32: Store(p, static_cast<int32_t>(v)); break;
    case DType::kUInt32: Store(p, static_cast<uint32_t>(v)); break;
    case DType::kInt64: Store(p, static_cast<int64_t>(v)); break;
    case DType::kUInt64: Store(p, static_cast<uint64_t>(v)); break;
    default: break;
  }
}

Status FillRandom(DType dtype, size_t count, uint64_t seed, std::vector<uint8_t>* out) {
  const size_t item = DTypeSize(dtype);
  out->assign(count * item, 0);
  SplitMix64 rng{seed};
  for (size_t i = 0; i < count; ++i) {
    uint8_t* p = out->data() + i * item;
    if (dtype == DType::kFloat32) {
      Store(p, rng.NextSigned());
    } else if (dtype == DType::kFloat64) {
      Store(p, static_cast<double>(rng.NextSigned()));
    } else if (dtype == DType::kFloat16) {
      Store(p, FloatToHalf(rng.NextSigned()));
    } else if (dtype == DType::kBool) {
      Store(p, static_cast<uint8_t>(rng.Next() & 1));
    } else if (IsInteger(dtype)) {
      StoreInt(dtype, p, rng.Next() % 4);
    } else {
      return Unsupported("cannot fill dtype " + DTypeName(dtype) + " with random values");
    }
  }
  return Status::Ok();
}

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
    const std::optional<int32_t> limit = IsInteger(t->dtype) ? SequenceLengthLimit(interp, in.tensor) : std::nullopt;
    if (limit) {
      in.bytes.assign(size, 0);
      for (int64_t k = 0; k < count; ++k) {
        StoreInt(t->dtype, in.bytes.data() + static_cast<size_t>(k) * DTypeSize(t->dtype),
                 static_cast<uint64_t>(*limit));
      }
      in.values = "sequence lengths = T = " + std::to_string(*limit);
    } else {
      // Each input has its own stream (as in `rnnlite run`).
      RNNLITE_RETURN_IF_ERROR(FillRandom(t->dtype, static_cast<size_t>(count), seed * 1000003u + i, &in.bytes));
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
