// Builtin option tables <-> node attributes. Each TFLite option table field
// becomes an attribute of the same name (bools and enums as ints), so the
// reader, the writer and the kernels share one spelling of every parameter.
#pragma once

#include <cstdint>
#include <utility>

#include "rnnlite/graph.h"
#include "rnnlite/status.h"

namespace flatbuffers {
class FlatBufferBuilder;
class Table;
}  // namespace flatbuffers

namespace rnnlite::tflite_io {

// Fills `attrs` from a builtin options table. `options_type` is the union
// type stored in the file (0 = none, then every field takes its schema
// default); a table of the wrong type for `op` is an InvalidModel error.
Status ReadBuiltinOptions(Op op, uint8_t options_type, const flatbuffers::Table* options, AttrMap* attrs);

// Builds the option table for `op` from `attrs`. Returns {0, 0} for ops
// without options; otherwise {union type, table offset}.
std::pair<uint8_t, uint32_t> WriteBuiltinOptions(Op op, const AttrMap& attrs,
                                                 flatbuffers::FlatBufferBuilder& fbb);

}  // namespace rnnlite::tflite_io
