// The code each libFuzzer target runs on one input, shared with
// tests/unit/fuzz_regressions_test.cc so a committed crash input replays
// through exactly the path that found it. Every entry returns the Status of
// the first step that refused the input (OK if the input went all the way);
// what matters is that it returns at all: no crash, no sanitizer report, no
// allocation beyond the limits below.
#pragma once

#include <cstddef>
#include <cstdint>

#include "rnnlite/status.h"

namespace rnnlite::fuzz {

// Caps for fuzzing: small enough that a hostile shape fails fast with
// ResourceExhausted instead of spending seconds filling memory.
inline constexpr uint64_t kMaxTensorBytes = uint64_t{16} << 20;  // 16 MiB
inline constexpr uint64_t kMaxInputBytes = uint64_t{1} << 20;    // 1 MiB

// .tflite bytes -> Model::FromBuffer -> Interpreter (capped) ->
// AllocateTensors -> inputs filled with small deterministic values -> Invoke.
Status RunTflite(const uint8_t* data, size_t size);
// ONNX bytes -> ConvertOnnxBytes -> WriteTflite -> the .tflite entry on the
// written bytes (so the converter's output is itself checked by the reader).
Status RunOnnx(const uint8_t* data, size_t size);
// Structure-aware: the bytes are a recipe for a one-node graph (op code,
// input dtypes/shapes, constant values, attributes; see fuzz_entries.cc)
// built in memory -> Model::FromGraph -> WriteTflite -> the .tflite entry.
// Reaches kernel Prepare/Eval with hostile shapes and attributes far more
// often than byte mutations of a flatbuffer do.
Status RunGraphRecipe(const uint8_t* data, size_t size);
// .npy bytes -> npy::Parse -> npy::Encode of the result -> Parse again; the
// round trip must give the same array (a mismatch is reported as Internal).
Status RunNpy(const uint8_t* data, size_t size);

}  // namespace rnnlite::fuzz
