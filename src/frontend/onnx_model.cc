#include "frontend/onnx_model.h"

#include <google/protobuf/io/coded_stream.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

namespace rnnlite::onnx_import {
namespace {

namespace fs = std::filesystem;

// Largest tensor payload accepted (the .tflite writer cannot hold more).
constexpr uint64_t kMaxTensorBytes = uint64_t{1} << 31;

Status ReadWholeFile(const std::string& path, uint64_t max_bytes, std::string* out) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return NotFound("'" + path + "' is not a readable file");
  const uint64_t size = fs::file_size(path, ec);
  if (ec) return NotFound("cannot stat '" + path + "': " + ec.message());
  if (size > max_bytes) {
    return InvalidArgument("'" + path + "' has " + std::to_string(size) + " bytes, more than the limit of " +
                           std::to_string(max_bytes));
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) return NotFound("cannot open '" + path + "'");
  out->resize(static_cast<size_t>(size));
  if (size > 0 && !f.read(out->data(), static_cast<std::streamsize>(size))) {
    return NotFound("cannot read '" + path + "'");
  }
  return Status::Ok();
}

// Copies `count` values of a repeated proto field into `out` as T.
template <typename T, typename Field>
void CopyRepeated(const Field& field, size_t count, std::vector<uint8_t>* out) {
  out->resize(count * sizeof(T));
  for (size_t i = 0; i < count; ++i) {
    T v = static_cast<T>(field.Get(static_cast<int>(i)));
    std::memcpy(out->data() + i * sizeof(T), &v, sizeof(T));
  }
}

Status ReadExternal(const onnx::TensorProto& proto, const std::string& external_dir, uint64_t max_file_bytes,
                    size_t want_bytes, std::vector<uint8_t>* out) {
  std::string location;
  uint64_t offset = 0;
  int64_t length = -1;
  for (const auto& kv : proto.external_data()) {
    if (kv.key() == "location") {
      location = kv.value();
    } else if (kv.key() == "offset" || kv.key() == "length") {
      char* end = nullptr;
      errno = 0;
      unsigned long long v = std::strtoull(kv.value().c_str(), &end, 10);
      if (kv.value().empty() || *end != '\0' || errno != 0 || kv.value()[0] == '-') {
        return InvalidModel("external data " + kv.key() + " '" + kv.value() + "' is not a number");
      }
      if (kv.key() == "offset") offset = v;
      else length = static_cast<int64_t>(std::min<unsigned long long>(v, LLONG_MAX));
    }
  }
  if (location.empty()) return InvalidModel("external data has no location");
  if (external_dir.empty()) {
    return InvalidArgument("tensor data lives in external file '" + location +
                           "', but the model was given as bytes without an external data folder");
  }
  const fs::path rel(location);
  if (rel.is_absolute()) return InvalidModel("external data location '" + location + "' is an absolute path");
  for (const auto& part : rel) {
    if (part == "..") return InvalidModel("external data location '" + location + "' leaves the model folder");
  }
  const fs::path full = fs::path(external_dir) / rel;
  std::error_code ec;
  if (!fs::is_regular_file(full, ec)) return NotFound("external data file '" + full.string() + "' not found");
  const uint64_t file_size = fs::file_size(full, ec);
  if (ec) return NotFound("cannot stat '" + full.string() + "'");
  if (file_size > max_file_bytes) return InvalidArgument("external data file '" + full.string() + "' is too large");
  if (length >= 0 && static_cast<uint64_t>(length) != want_bytes) {
    return InvalidModel("external data length " + std::to_string(length) + " differs from the " +
                        std::to_string(want_bytes) + " bytes the tensor's shape needs");
  }
  if (offset > file_size || file_size - offset < want_bytes) {
    return InvalidModel("external data file '" + full.string() + "' (" + std::to_string(file_size) +
                        " bytes) is too short for offset " + std::to_string(offset) + " + " +
                        std::to_string(want_bytes) + " bytes");
  }
  std::ifstream f(full, std::ios::binary);
  if (!f) return NotFound("cannot open '" + full.string() + "'");
  f.seekg(static_cast<std::streamoff>(offset));
  out->resize(want_bytes);
  if (want_bytes > 0 && !f.read(reinterpret_cast<char*>(out->data()), static_cast<std::streamsize>(want_bytes))) {
    return NotFound("cannot read '" + full.string() + "'");
  }
  return Status::Ok();
}

}  // namespace

int64_t HostTensor::num_elements() const {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

Status ParseModel(const void* data, size_t size, onnx::ModelProto* model) {
  if (size > static_cast<size_t>(INT_MAX)) {
    return InvalidModel("ONNX protobuf of " + std::to_string(size) +
                        " bytes exceeds protobuf's 2 GiB limit; store large weights as external data");
  }
  google::protobuf::io::CodedInputStream stream(static_cast<const uint8_t*>(data), static_cast<int>(size));
  stream.SetTotalBytesLimit(INT_MAX);
  stream.SetRecursionLimit(64);
  if (!model->ParseFromCodedStream(&stream) || !stream.ConsumedEntireMessage()) {
    return InvalidModel("not a valid ONNX model: the protobuf does not parse (truncated or corrupt file?)");
  }
  if (!model->has_graph()) return InvalidModel("ONNX model has no graph");
  return Status::Ok();
}

Status ReadModelFile(const std::string& path, uint64_t max_bytes, onnx::ModelProto* model) {
  std::string bytes;
  RNNLITE_RETURN_IF_ERROR(ReadWholeFile(path, max_bytes, &bytes));
  Status s = ParseModel(bytes.data(), bytes.size(), model);
  if (!s.ok()) return s.WithContext("'" + path + "': ");
  return Status::Ok();
}

bool DTypeFromOnnx(int32_t t, DType* dtype) {
  switch (t) {
    case onnx::TensorProto::FLOAT: *dtype = DType::kFloat32; return true;
    case onnx::TensorProto::UINT8: *dtype = DType::kUInt8; return true;
    case onnx::TensorProto::INT8: *dtype = DType::kInt8; return true;
    case onnx::TensorProto::UINT16: *dtype = DType::kUInt16; return true;
    case onnx::TensorProto::INT16: *dtype = DType::kInt16; return true;
    case onnx::TensorProto::INT32: *dtype = DType::kInt32; return true;
    case onnx::TensorProto::INT64: *dtype = DType::kInt64; return true;
    case onnx::TensorProto::BOOL: *dtype = DType::kBool; return true;
    case onnx::TensorProto::FLOAT16: *dtype = DType::kFloat16; return true;
    case onnx::TensorProto::DOUBLE: *dtype = DType::kFloat64; return true;
    case onnx::TensorProto::UINT32: *dtype = DType::kUInt32; return true;
    case onnx::TensorProto::UINT64: *dtype = DType::kUInt64; return true;
    case onnx::TensorProto::BFLOAT16: *dtype = DType::kBFloat16; return true;
    default: return false;
  }
}

std::string OnnxTypeName(int32_t t) {
  static const char* const kNames[] = {"UNDEFINED", "FLOAT",  "UINT8",  "INT8",      "UINT16",     "INT16",
                                       "INT32",     "INT64",  "STRING", "BOOL",      "FLOAT16",    "DOUBLE",
                                       "UINT32",    "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16", "FLOAT8E4M3FN",
                                       "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4", "INT4"};
  if (t >= 0 && t < static_cast<int32_t>(sizeof(kNames) / sizeof(kNames[0]))) return kNames[t];
  return "type(" + std::to_string(t) + ")";
}

Status ReadTensorProto(const onnx::TensorProto& proto, const std::string& external_dir, uint64_t max_file_bytes,
                       HostTensor* out) {
  const std::string label = "tensor '" + proto.name() + "'";
  if (!DTypeFromOnnx(proto.data_type(), &out->dtype)) {
    return Unsupported(label + " has data type " + OnnxTypeName(proto.data_type()) + ", which rnnlite does not support");
  }
  if (proto.has_segment()) return Unsupported(label + " is segmented");
  out->dims.clear();
  uint64_t count = 1;
  for (int64_t d : proto.dims()) {
    if (d < 0 || d > INT32_MAX) return InvalidModel(label + " has invalid dim " + std::to_string(d));
    out->dims.push_back(d);
    if (d != 0 && count > kMaxTensorBytes / static_cast<uint64_t>(d)) {
      return Unsupported(label + " is larger than 2 GiB");
    }
    count *= static_cast<uint64_t>(d);
  }
  if (out->dims.size() > 16) return Unsupported(label + " has rank " + std::to_string(out->dims.size()) + " (max 16)");
  const size_t elem = DTypeSize(out->dtype);
  if (count * elem > kMaxTensorBytes) return Unsupported(label + " is larger than 2 GiB");
  const size_t want = static_cast<size_t>(count) * elem;
  const size_t n = static_cast<size_t>(count);

  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    Status s = ReadExternal(proto, external_dir, max_file_bytes, want, &out->bytes);
    return s.ok() ? s : s.WithContext(label + ": ");
  }
  if (proto.has_raw_data()) {
    if (proto.raw_data().size() != want) {
      return InvalidModel(label + " has " + std::to_string(proto.raw_data().size()) + " bytes of raw data, its shape " +
                          "needs " + std::to_string(want));
    }
    out->bytes.assign(proto.raw_data().begin(), proto.raw_data().end());
    return Status::Ok();
  }
  auto check = [&](int have) -> Status {
    if (static_cast<size_t>(have) != n) {
      return InvalidModel(label + " holds " + std::to_string(have) + " values, its shape needs " + std::to_string(n));
    }
    return Status::Ok();
  };
  switch (out->dtype) {
    case DType::kFloat32:
      RNNLITE_RETURN_IF_ERROR(check(proto.float_data_size()));
      CopyRepeated<float>(proto.float_data(), n, &out->bytes);
      break;
    case DType::kFloat64:
      RNNLITE_RETURN_IF_ERROR(check(proto.double_data_size()));
      CopyRepeated<double>(proto.double_data(), n, &out->bytes);
      break;
    case DType::kInt64:
      RNNLITE_RETURN_IF_ERROR(check(proto.int64_data_size()));
      CopyRepeated<int64_t>(proto.int64_data(), n, &out->bytes);
      break;
    case DType::kUInt32:
      RNNLITE_RETURN_IF_ERROR(check(proto.uint64_data_size()));
      CopyRepeated<uint32_t>(proto.uint64_data(), n, &out->bytes);
      break;
    case DType::kUInt64:
      RNNLITE_RETURN_IF_ERROR(check(proto.uint64_data_size()));
      CopyRepeated<uint64_t>(proto.uint64_data(), n, &out->bytes);
      break;
    case DType::kInt32:
      RNNLITE_RETURN_IF_ERROR(check(proto.int32_data_size()));
      CopyRepeated<int32_t>(proto.int32_data(), n, &out->bytes);
      break;
    case DType::kInt16:
      RNNLITE_RETURN_IF_ERROR(check(proto.int32_data_size()));
      CopyRepeated<int16_t>(proto.int32_data(), n, &out->bytes);
      break;
    case DType::kUInt16:
    case DType::kFloat16:
    case DType::kBFloat16:  // 16-bit payloads live in the low bits of int32_data
      RNNLITE_RETURN_IF_ERROR(check(proto.int32_data_size()));
      CopyRepeated<uint16_t>(proto.int32_data(), n, &out->bytes);
      break;
    case DType::kInt8:
      RNNLITE_RETURN_IF_ERROR(check(proto.int32_data_size()));
      CopyRepeated<int8_t>(proto.int32_data(), n, &out->bytes);
      break;
    case DType::kUInt8:
    case DType::kBool:
      RNNLITE_RETURN_IF_ERROR(check(proto.int32_data_size()));
      CopyRepeated<uint8_t>(proto.int32_data(), n, &out->bytes);
      break;
    default:
      return Unsupported(label + ": data type " + DTypeName(out->dtype) + " is not supported");
  }
  return Status::Ok();
}

}  // namespace rnnlite::onnx_import
