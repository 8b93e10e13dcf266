// NumPy-style broadcasting shared by CPU kernels (binary element-wise ops,
// and any other op whose inputs broadcast against each other).
//
// Shapes are aligned at their last dimension; a missing leading dim counts as
// 1. Two dims are compatible when equal or when one of them is 1 (so a 0 dim
// broadcasts only against 0 or 1, as in NumPy and TFLite).
#pragma once

#include <cstdint>
#include <vector>

#include "rnnlite/status.h"
#include "rnnlite/types.h"

namespace rnnlite {

// The broadcast shape of `a` and `b`, or InvalidArgument naming both shapes
// and the first incompatible dim ("shapes [2, 3] and [4] cannot be broadcast:
// dim -1 is 3 vs 4").
StatusOr<Shape> BroadcastShapes(const Shape& a, const Shape& b);
// The same over any number of shapes (the broadcast of none is the scalar []).
StatusOr<Shape> BroadcastShapes(const std::vector<Shape>& shapes);

// True if `input` broadcasts to exactly `output` (output is what
// BroadcastShapes returned for a set of shapes that included `input`).
bool BroadcastsTo(const Shape& input, const Shape& output);

// Per-output-dim strides of `input` (rank of output): the input's row-major
// stride for dims it carries, 0 for dims it broadcasts along. Requires
// BroadcastsTo(input, output).
std::vector<int64_t> BroadcastStrides(const Shape& input, const Shape& output);

// Walks the output of a broadcast in row-major order and keeps, for every
// input, the flat index of the element that feeds the current output element.
//
//   BroadcastIterator it(out_shape, {a_shape, b_shape});
//   for (; !it.done(); it.Next())
//     out[it.output_index()] = a[it.input_index(0)] + b[it.input_index(1)];
//
// Every input shape must broadcast to `output` (check with BroadcastShapes or
// BroadcastsTo first); indices then stay within each input's element count.
class BroadcastIterator {
 public:
  BroadcastIterator(const Shape& output, const std::vector<Shape>& inputs);

  bool done() const { return output_index_ >= total_; }
  int64_t output_index() const { return output_index_; }
  int64_t input_index(size_t k) const { return input_index_[k]; }
  void Next();

 private:
  Shape output_;
  std::vector<std::vector<int64_t>> strides_;  // [input][dim]
  std::vector<int32_t> counter_;               // position in each output dim
  std::vector<int64_t> input_index_;
  int64_t output_index_ = 0;
  int64_t total_ = 0;
};

}  // namespace rnnlite
