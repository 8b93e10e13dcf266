// Element types and shapes. DType values are TFLite's TensorType numbers so
// that reading and writing .tflite never needs a translation table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rnnlite {

enum class DType : int8_t {
  kFloat32 = 0,
  kFloat16 = 1,
  kInt32 = 2,
  kUInt8 = 3,
  kInt64 = 4,
  kString = 5,
  kBool = 6,
  kInt16 = 7,
  kComplex64 = 8,
  kInt8 = 9,
  kFloat64 = 10,
  kComplex128 = 11,
  kUInt64 = 12,
  kResource = 13,
  kVariant = 14,
  kUInt32 = 15,
  kUInt16 = 16,
  kInt4 = 17,
  kBFloat16 = 18,
};

// "float32", "int64", ...; "dtype(42)" for values outside the enum.
std::string DTypeName(DType dtype);
// Bytes per element; 0 for types without a fixed element size (string,
// resource, variant, int4) and for unknown values.
size_t DTypeSize(DType dtype);
// True for values that name a DType this library knows.
bool IsKnownDType(int value);

using Shape = std::vector<int32_t>;

// Number of elements, or -1 if a dim is negative or the product overflows
// int64 (so callers can reject hostile shapes with one check).
int64_t NumElements(const Shape& shape);
// "[1, 28, 28]"
std::string ShapeToString(const Shape& shape);

}  // namespace rnnlite
