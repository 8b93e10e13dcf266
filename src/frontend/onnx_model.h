// Reading ONNX protobufs: the model file itself, tensor payloads (raw,
// typed fields, or external data files) and attribute values. Everything is
// size-checked before it is allocated; failures are InvalidModel or
// Unsupported statuses, never exceptions.
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <vector>

#include "rnnlite/status.h"
#include "rnnlite/types.h"

namespace rnnlite::onnx_import {

// A tensor held on the host: dtype, dims, little-endian C-order bytes.
struct HostTensor {
  DType dtype = DType::kFloat32;
  std::vector<int64_t> dims;
  std::vector<uint8_t> bytes;

  int64_t num_elements() const;
};

// Parses a serialized ModelProto. Protobuf's own parser does the decoding;
// a parse failure or a model without a graph is InvalidModel.
Status ParseModel(const void* data, size_t size, onnx::ModelProto* model);
Status ReadModelFile(const std::string& path, uint64_t max_bytes, onnx::ModelProto* model);

// ONNX TensorProto.DataType -> DType; false for types rnnlite cannot hold
// (string, complex, 4-bit and 8-bit float types).
bool DTypeFromOnnx(int32_t onnx_type, DType* dtype);
// ONNX element type name for messages ("FLOAT", "STRING", ...).
std::string OnnxTypeName(int32_t onnx_type);

// Decodes a TensorProto (raw_data, typed fields or external data located
// relative to `external_dir`; "" forbids external data).
Status ReadTensorProto(const onnx::TensorProto& proto, const std::string& external_dir, uint64_t max_file_bytes,
                       HostTensor* out);

}  // namespace rnnlite::onnx_import
