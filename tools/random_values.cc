#include "random_values.h"

#include <cstring>

#include "cli_util.h"

namespace rnnlite::cli {
namespace {

// splitmix64: a tiny generator whose output is the same on every platform.
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

}  // namespace

bool IsIntegerDType(DType d) {
  switch (d) {
    case DType::kInt8: case DType::kUInt8: case DType::kInt16: case DType::kUInt16:
    case DType::kInt32: case DType::kUInt32: case DType::kInt64: case DType::kUInt64:
      return true;
    default:
      return false;
  }
}

void StoreSmallInt(DType d, uint8_t* p, uint64_t v) {
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

Status FillRandomValues(DType dtype, size_t count, uint64_t seed, std::vector<uint8_t>* out) {
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
    } else if (IsIntegerDType(dtype)) {
      StoreSmallInt(dtype, p, rng.Next() % 4);
    } else {
      return Unsupported("cannot fill dtype " + DTypeName(dtype) + " with random values");
    }
  }
  return Status::Ok();
}

}  // namespace rnnlite::cli
