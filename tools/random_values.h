// Seeded input values shared by `rnnlite run --random-inputs` and
// `rnnlite bench`, so one --seed means the same inputs in both commands and
// on every platform.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "rnnlite/status.h"
#include "rnnlite/types.h"

namespace rnnlite::cli {

// count values of dtype into *out (replacing it): floats uniform in [-1, 1)
// with 24 bits of resolution (exact in float32; splitmix64 underneath);
// integers small and non-negative, in [0, 4), so that index-like inputs
// stay in range for small dims; bools 0/1. Other dtypes: Unsupported.
Status FillRandomValues(DType dtype, size_t count, uint64_t seed, std::vector<uint8_t>* out);

bool IsIntegerDType(DType dtype);

// Stores v (small, non-negative) at p as an integer dtype.
void StoreSmallInt(DType dtype, uint8_t* p, uint64_t v);

}  // namespace rnnlite::cli
