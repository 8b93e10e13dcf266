#pragma once

#include <cstddef>
#include <cstdint>

#include "rnnlite/graph.h"
#include "rnnlite/status.h"

namespace rnnlite::tflite_io {

// Parses and verifies a .tflite image into `graph`. Constant tensors point
// into `data`, which must outlive the graph (the caller keeps it alive via
// Graph::KeepAlive).
Status ReadTflite(const uint8_t* data, size_t size, Graph* graph);

}  // namespace rnnlite::tflite_io
