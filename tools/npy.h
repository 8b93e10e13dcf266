// NumPy .npy files (format versions 1.0, 2.0 and 3.0), the exchange format of
// `rnnlite run`. Only what tensors need: little-endian numeric and bool
// element types, C order. Everything else (Fortran order, big-endian,
// structured or object dtypes, malformed headers) is rejected with a message
// saying what is wrong. Sizes in a header are checked against the actual
// byte count before anything is allocated, so a hostile header cannot make
// the reader allocate more than the file holds.
//
// Self-contained on purpose (depends only on the public rnnlite headers):
// tests compile it directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "rnnlite/status.h"
#include "rnnlite/types.h"

namespace rnnlite::npy {

struct Array {
  DType dtype = DType::kFloat32;
  std::vector<int64_t> shape;  // empty for a 0-d array (one element)
  std::vector<uint8_t> data;   // little-endian, C order

  int64_t num_elements() const;
};

// The .npy descr of a dtype ("<f4", "|b1", ...), or "" if .npy cannot hold it.
std::string DescrFor(DType dtype);

// Parses a complete .npy image held in memory.
StatusOr<Array> Parse(const uint8_t* bytes, size_t size);
// Reads and parses a file; files over `max_bytes` are rejected unread.
StatusOr<Array> ReadFile(const std::string& path, uint64_t max_bytes = uint64_t{1} << 34);

// Serializes `bytes` (num_elements(shape) * element size, little-endian,
// C order) as .npy version 1.0 (2.0 only if the header would not fit).
StatusOr<std::vector<uint8_t>> Encode(DType dtype, const std::vector<int64_t>& shape,
                                      const void* bytes, size_t size);
Status WriteFile(const std::string& path, DType dtype, const std::vector<int64_t>& shape,
                 const void* bytes, size_t size);

}  // namespace rnnlite::npy
