// Input values for `rnnlite bench`: seeded random data that makes the model
// do its full work (sequence-length inputs get the full T, not small random
// integers that would cut every sequence short).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rnnlite/interpreter.h"
#include "rnnlite/status.h"

namespace rnnlite::cli {

struct BenchInput {
  int tensor = -1;
  std::string name;
  std::string values;          // for the report: how the values were chosen
  std::vector<uint8_t> bytes;  // copied into the tensor before every run
};

// Fills every graph input of `interp` (after AllocateTensors: shapes are
// final). Floats are uniform in [-1, 1); an integer input that feeds the
// sequence-length slot of a SequenceRnn node (directly or through CAST) is
// set to that node's T for every batch entry; other integers are in [0, 4)
// and bools 0/1, as `rnnlite run --random-inputs` does. The same seed gives
// the same floats as `rnnlite run --random-inputs --seed N`.
StatusOr<std::vector<BenchInput>> MakeBenchInputs(const Interpreter& interp, uint64_t seed);

// Copies the values into the interpreter's input tensors (again before
// every run: the memory plan may reuse an input's buffer).
void CopyBenchInputs(const std::vector<BenchInput>& inputs, Interpreter& interp);

}  // namespace rnnlite::cli
