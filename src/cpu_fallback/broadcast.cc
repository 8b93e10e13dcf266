#include "cpu_fallback/broadcast.h"

#include <algorithm>
#include <string>

namespace rnnlite {

namespace {

// Dim `i` counted from the back (i = 1 is the last dim); 1 when absent.
int32_t DimFromBack(const Shape& s, size_t i) { return i <= s.size() ? s[s.size() - i] : 1; }

}  // namespace

StatusOr<Shape> BroadcastShapes(const Shape& a, const Shape& b) {
  const size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 1; i <= rank; ++i) {
    const int32_t da = DimFromBack(a, i);
    const int32_t db = DimFromBack(b, i);
    if (da < 0 || db < 0) {
      return InvalidArgument("shapes " + ShapeToString(a) + " and " + ShapeToString(b) +
                             " cannot be broadcast: negative dim");
    }
    if (da != db && da != 1 && db != 1) {
      return InvalidArgument("shapes " + ShapeToString(a) + " and " + ShapeToString(b) +
                             " cannot be broadcast: dim -" + std::to_string(i) + " is " +
                             std::to_string(da) + " vs " + std::to_string(db));
    }
    out[rank - i] = da == 1 ? db : da;
  }
  return out;
}

StatusOr<Shape> BroadcastShapes(const std::vector<Shape>& shapes) {
  Shape out;
  for (const Shape& s : shapes) {
    RNNLITE_ASSIGN_OR_RETURN(out, BroadcastShapes(out, s));
  }
  return out;
}

bool BroadcastsTo(const Shape& input, const Shape& output) {
  if (input.size() > output.size()) return false;
  for (size_t i = 1; i <= input.size(); ++i) {
    const int32_t d = DimFromBack(input, i);
    if (d != 1 && d != DimFromBack(output, i)) return false;
  }
  return true;
}

std::vector<int64_t> BroadcastStrides(const Shape& input, const Shape& output) {
  std::vector<int64_t> strides(output.size(), 0);
  int64_t stride = 1;
  for (size_t i = 1; i <= output.size(); ++i) {
    const int32_t d = DimFromBack(input, i);
    // A size-1 input dim repeats along the output dim; even when the output
    // dim is 1 too, stride 0 is equivalent and keeps the rule simple.
    strides[output.size() - i] = d == 1 ? 0 : stride;
    stride *= d;
  }
  return strides;
}

BroadcastIterator::BroadcastIterator(const Shape& output, const std::vector<Shape>& inputs)
    : output_(output), counter_(output.size(), 0), input_index_(inputs.size(), 0) {
  for (const Shape& in : inputs) strides_.push_back(BroadcastStrides(in, output));
  total_ = std::max<int64_t>(NumElements(output), 0);
}

void BroadcastIterator::Next() {
  ++output_index_;
  // Odometer: bump the last dim; on wrap, rewind its contribution to every
  // input index and carry into the dim before it.
  for (size_t d = output_.size(); d-- > 0;) {
    if (++counter_[d] < output_[d]) {
      for (size_t k = 0; k < strides_.size(); ++k) input_index_[k] += strides_[k][d];
      return;
    }
    counter_[d] = 0;
    for (size_t k = 0; k < strides_.size(); ++k) {
      input_index_[k] -= strides_[k][d] * (output_[d] - 1);
    }
  }
}

}  // namespace rnnlite
