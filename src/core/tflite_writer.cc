// Graph -> .tflite. Recurrent nodes are first lowered to TFLite builtins or
// the documented custom op (rnn_tflite); everything else maps 1:1.
#include <cstdio>
#include <map>
#include <memory>
#include <tuple>

#include "core/rnn_tflite.h"
#include "core/tflite_options.h"
#include "rnnlite/model.h"
#include "schema/tflite_subset_generated.h"

namespace rnnlite {
namespace {

constexpr uint32_t kSchemaVersion = 3;
// Above this the flatbuffer cannot address its own data (2 GiB limit).
constexpr uint64_t kMaxInlineBytes = (uint64_t{1} << 31) - (uint64_t{64} << 20);

class Writer {
 public:
  explicit Writer(const Graph& graph) : graph_(graph) {}

  StatusOr<std::vector<uint8_t>> Write() {
    uint64_t total = 0;
    for (const Subgraph& s : graph_.subgraphs) {
      for (const Tensor& t : s.tensors) total += t.is_constant() ? t.constant_bytes : 0;
    }
    if (total > kMaxInlineBytes) {
      return Unsupported("model constants total " + std::to_string(total) +
                         " bytes; writing models over 2 GiB is not supported");
    }
    // Buffer 0 is the empty sentinel that non-constant tensors point to.
    buffers_.push_back(tflite::CreateBuffer(fbb_));
    std::vector<flatbuffers::Offset<tflite::SubGraph>> subgraphs;
    for (const Subgraph& s : graph_.subgraphs) subgraphs.push_back(WriteSubgraph(s));
    auto model = tflite::CreateModel(fbb_, kSchemaVersion, fbb_.CreateVector(codes_), fbb_.CreateVector(subgraphs),
                                     fbb_.CreateString(graph_.description.empty() ? "rnnlite" : graph_.description),
                                     fbb_.CreateVector(buffers_));
    tflite::FinishModelBuffer(fbb_, model);
    return std::vector<uint8_t>(fbb_.GetBufferPointer(), fbb_.GetBufferPointer() + fbb_.GetSize());
  }

 private:
  uint32_t BufferFor(const Tensor& t) {
    if (!t.is_constant()) return 0;
    auto it = buffer_of_data_.find(t.constant_data);
    if (it != buffer_of_data_.end()) return it->second;
    fbb_.ForceVectorAlignment(t.constant_bytes, 1, 16);
    auto data = fbb_.CreateVector(t.constant_data, t.constant_bytes);
    buffers_.push_back(tflite::CreateBuffer(fbb_, data));
    uint32_t index = static_cast<uint32_t>(buffers_.size() - 1);
    buffer_of_data_[t.constant_data] = index;
    return index;
  }

  uint32_t OpcodeFor(const Node& n) {
    auto key = std::make_tuple(static_cast<int32_t>(n.op), n.custom_code, n.version);
    auto it = opcode_index_.find(key);
    if (it != opcode_index_.end()) return it->second;
    int32_t code = static_cast<int32_t>(n.op);
    auto custom = n.op == Op::kCustom ? fbb_.CreateString(n.custom_code) : flatbuffers::Offset<flatbuffers::String>();
    codes_.push_back(tflite::CreateOperatorCode(fbb_, static_cast<int8_t>(std::min(code, 127)), custom, n.version,
                                                static_cast<tflite::BuiltinOperator>(code)));
    uint32_t index = static_cast<uint32_t>(codes_.size() - 1);
    opcode_index_[key] = index;
    return index;
  }

  flatbuffers::Offset<tflite::Tensor> WriteTensor(const Tensor& t) {
    uint32_t buffer = BufferFor(t);
    auto shape = fbb_.CreateVector(t.shape);
    flatbuffers::Offset<flatbuffers::Vector<int32_t>> signature;
    if (!t.shape_signature.empty() && t.shape_signature != t.shape) signature = fbb_.CreateVector(t.shape_signature);
    flatbuffers::Offset<tflite::QuantizationParameters> quant;
    if (!t.quantization.empty()) {
      quant = tflite::CreateQuantizationParameters(
          fbb_, 0, 0, fbb_.CreateVector(t.quantization.scale), fbb_.CreateVector(t.quantization.zero_point),
          tflite::QuantizationDetails::NONE, 0, t.quantization.quantized_dimension);
    }
    auto name = fbb_.CreateString(t.name);
    return tflite::CreateTensor(fbb_, shape, static_cast<tflite::TensorType>(t.dtype), buffer, name, quant,
                                t.is_variable, 0, signature, /*has_rank=*/true);
  }

  flatbuffers::Offset<tflite::Operator> WriteNode(const Node& n) {
    uint32_t opcode = OpcodeFor(n);
    auto inputs = fbb_.CreateVector(n.inputs);
    auto outputs = fbb_.CreateVector(n.outputs);
    flatbuffers::Offset<flatbuffers::Vector<int32_t>> intermediates;
    if (!n.intermediates.empty()) intermediates = fbb_.CreateVector(n.intermediates);
    flatbuffers::Offset<flatbuffers::Vector<uint8_t>> custom;
    if (n.op == Op::kCustom && !n.custom_options.empty()) custom = fbb_.CreateVector(n.custom_options);
    auto [options_type, options] = tflite_io::WriteBuiltinOptions(n.op, n.attrs, fbb_);
    tflite::OperatorBuilder b(fbb_);
    b.add_opcode_index(opcode);
    b.add_inputs(inputs);
    b.add_outputs(outputs);
    if (options_type != 0) {
      b.add_builtin_options_type(static_cast<tflite::BuiltinOptions>(options_type));
      b.add_builtin_options(flatbuffers::Offset<void>(options));
    }
    if (!custom.IsNull()) b.add_custom_options(custom);
    if (!intermediates.IsNull()) b.add_intermediates(intermediates);
    return b.Finish();
  }

  flatbuffers::Offset<tflite::SubGraph> WriteSubgraph(const Subgraph& s) {
    std::vector<flatbuffers::Offset<tflite::Tensor>> tensors;
    for (const Tensor& t : s.tensors) tensors.push_back(WriteTensor(t));
    std::vector<flatbuffers::Offset<tflite::Operator>> ops;
    for (const Node& n : s.nodes) ops.push_back(WriteNode(n));
    return tflite::CreateSubGraph(fbb_, fbb_.CreateVector(tensors), fbb_.CreateVector(s.inputs),
                                  fbb_.CreateVector(s.outputs), fbb_.CreateVector(ops), fbb_.CreateString(s.name));
  }

  const Graph& graph_;
  flatbuffers::FlatBufferBuilder fbb_{1 << 16};
  std::vector<flatbuffers::Offset<tflite::Buffer>> buffers_;
  std::vector<flatbuffers::Offset<tflite::OperatorCode>> codes_;
  std::map<const uint8_t*, uint32_t> buffer_of_data_;
  std::map<std::tuple<int32_t, std::string, int32_t>, uint32_t> opcode_index_;
};

}  // namespace

StatusOr<std::vector<uint8_t>> WriteTflite(const Graph& graph) {
  RNNLITE_RETURN_IF_ERROR(ValidateGraph(graph));
  Graph lowered;
  RNNLITE_RETURN_IF_ERROR(ExportTfliteRecurrentOps(graph, &lowered));
  return Writer(lowered).Write();
}

Status WriteTfliteFile(const Graph& graph, const std::string& path) {
  RNNLITE_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, WriteTflite(graph));
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!f) return NotFound("cannot open '" + path + "' for writing");
  if (std::fwrite(bytes.data(), 1, bytes.size(), f.get()) != bytes.size()) {
    return Internal("short write to '" + path + "'");
  }
  return Status::Ok();
}

}  // namespace rnnlite
