// .tflite -> Graph. Every byte is treated as hostile: the flatbuffers
// Verifier checks the structure, then every index, offset and size is
// checked here before use (shape/size consistency is ValidateGraph's job).
#include "core/tflite_reader.h"

#include <algorithm>
#include <cstring>

#include "core/rnn_tflite.h"
#include "core/tflite_options.h"
#include "schema/tflite_subset_generated.h"

namespace rnnlite::tflite_io {
namespace {

constexpr uint32_t kSchemaVersion = 3;

struct Context {
  const uint8_t* file;
  size_t file_size;
  const tflite::Model* model;
  Graph* graph;
};

// Returns the bytes of buffer `index` (empty span for the sentinel / no data).
Status BufferBytes(const Context& ctx, uint32_t index, const uint8_t** data, size_t* size) {
  *data = nullptr;
  *size = 0;
  const auto* buffers = ctx.model->buffers();
  if (buffers == nullptr || index >= buffers->size()) {
    return InvalidModel("buffer " + std::to_string(index) + " out of range (model has " +
                        std::to_string(buffers ? buffers->size() : 0) + " buffers)");
  }
  const tflite::Buffer* b = buffers->Get(index);
  if (b == nullptr) return Status::Ok();
  if (b->offset() > 1) {
    // Large-model form: data lives after the flatbuffer, addressed from the
    // start of the file.
    uint64_t off = b->offset(), len = b->size();
    if (off > ctx.file_size || len > ctx.file_size - off) {
      return InvalidModel("buffer " + std::to_string(index) + ": offset " + std::to_string(off) + " + size " +
                          std::to_string(len) + " exceeds the file (" + std::to_string(ctx.file_size) + " bytes)");
    }
    *data = ctx.file + off;
    *size = len;
    return Status::Ok();
  }
  if (b->data() != nullptr && b->data()->size() > 0) {
    *data = b->data()->data();
    *size = b->data()->size();
  }
  return Status::Ok();
}

Status ReadTensor(const Context& ctx, const tflite::Tensor* src, Tensor* dst) {
  if (src == nullptr) return InvalidModel("null tensor entry");
  if (src->name() != nullptr) dst->name = src->name()->str();
  int type = static_cast<int>(src->type());
  if (!IsKnownDType(type)) return InvalidModel("unknown tensor type " + std::to_string(type));
  dst->dtype = static_cast<DType>(type);
  if (src->shape() != nullptr) dst->shape.assign(src->shape()->begin(), src->shape()->end());
  if (src->shape_signature() != nullptr) {
    dst->shape_signature.assign(src->shape_signature()->begin(), src->shape_signature()->end());
  }
  dst->is_variable = src->is_variable();
  if (src->sparsity() != nullptr) return Unsupported("sparse tensors are not supported");
  if (const auto* q = src->quantization()) {
    if (q->scale() != nullptr) dst->quantization.scale.assign(q->scale()->begin(), q->scale()->end());
    if (q->zero_point() != nullptr) {
      dst->quantization.zero_point.assign(q->zero_point()->begin(), q->zero_point()->end());
    }
    dst->quantization.quantized_dimension = q->quantized_dimension();
  }
  const uint8_t* data = nullptr;
  size_t size = 0;
  RNNLITE_RETURN_IF_ERROR(BufferBytes(ctx, src->buffer(), &data, &size));
  if (data != nullptr) {
    // Kernels read constants as typed arrays: copy the rare misaligned
    // buffer (large-model offsets) instead of reading it unaligned.
    size_t align = std::max<size_t>(DTypeSize(dst->dtype), 1);
    if (reinterpret_cast<uintptr_t>(data) % align != 0) data = ctx.graph->OwnBytes(data, size);
    dst->constant_data = data;
    dst->constant_bytes = size;
  }
  return Status::Ok();
}

Status ReadOperator(const Context& ctx, const tflite::Operator* src, Node* dst) {
  if (src == nullptr) return InvalidModel("null operator entry");
  const auto* codes = ctx.model->operator_codes();
  uint32_t code_index = src->opcode_index();
  if (codes == nullptr || code_index >= codes->size()) {
    return InvalidModel("opcode_index " + std::to_string(code_index) + " out of range (model has " +
                        std::to_string(codes ? codes->size() : 0) + " operator codes)");
  }
  const tflite::OperatorCode* code = codes->Get(code_index);
  if (code == nullptr) return InvalidModel("null operator code " + std::to_string(code_index));
  // Files written before builtin_code existed only set the deprecated byte;
  // newer ones set both (deprecated clamped to 127). The larger one wins.
  int32_t builtin = std::max<int32_t>(code->deprecated_builtin_code(), static_cast<int32_t>(code->builtin_code()));
  if (builtin < 0) return InvalidModel("negative builtin code " + std::to_string(builtin));
  dst->op = static_cast<Op>(builtin);
  dst->version = code->version();
  if (dst->op == Op::kCustom) {
    if (code->custom_code() == nullptr || code->custom_code()->size() == 0) {
      return InvalidModel("custom operator without a custom_code");
    }
    dst->custom_code = code->custom_code()->str();
    if (src->large_custom_options_offset() > 1) {
      uint64_t off = src->large_custom_options_offset(), len = src->large_custom_options_size();
      if (off > ctx.file_size || len > ctx.file_size - off) {
        return InvalidModel("large custom options exceed the file");
      }
      dst->custom_options.assign(ctx.file + off, ctx.file + off + len);
    } else if (src->custom_options() != nullptr) {
      dst->custom_options.assign(src->custom_options()->begin(), src->custom_options()->end());
    }
  }
  if (src->inputs() != nullptr) dst->inputs.assign(src->inputs()->begin(), src->inputs()->end());
  if (src->outputs() != nullptr) dst->outputs.assign(src->outputs()->begin(), src->outputs()->end());
  if (src->intermediates() != nullptr) {
    dst->intermediates.assign(src->intermediates()->begin(), src->intermediates()->end());
  }
  return ReadBuiltinOptions(dst->op, static_cast<uint8_t>(src->builtin_options_type()),
                            reinterpret_cast<const flatbuffers::Table*>(src->builtin_options()), &dst->attrs);
}

Status ReadSubgraph(const Context& ctx, const tflite::SubGraph* src, Subgraph* dst) {
  if (src == nullptr) return InvalidModel("null subgraph entry");
  if (src->name() != nullptr) dst->name = src->name()->str();
  if (src->tensors() != nullptr) {
    dst->tensors.resize(src->tensors()->size());
    for (flatbuffers::uoffset_t i = 0; i < src->tensors()->size(); ++i) {
      RNNLITE_RETURN_IF_ERROR(ReadTensor(ctx, src->tensors()->Get(i), &dst->tensors[i])
                                  .WithContext("tensor " + std::to_string(i) + ": "));
    }
  }
  if (src->inputs() != nullptr) dst->inputs.assign(src->inputs()->begin(), src->inputs()->end());
  if (src->outputs() != nullptr) dst->outputs.assign(src->outputs()->begin(), src->outputs()->end());
  if (src->operators() != nullptr) {
    dst->nodes.resize(src->operators()->size());
    for (flatbuffers::uoffset_t i = 0; i < src->operators()->size(); ++i) {
      Status s = ReadOperator(ctx, src->operators()->Get(i), &dst->nodes[i]);
      if (!s.ok()) {
        return s.WithContext("node " + std::to_string(i) + " (" + NodeOpName(dst->nodes[i]) + "): ");
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Status ReadTflite(const uint8_t* data, size_t size, Graph* graph) {
  if (size < 8) return InvalidModel("file too small to be a .tflite model (" + std::to_string(size) + " bytes)");
  if (!tflite::ModelBufferHasIdentifier(data)) {
    std::string id(reinterpret_cast<const char*>(data) + 4, 4);
    for (char& c : id) {
      if (c < 32 || c > 126) c = '?';
    }
    return InvalidModel("not a .tflite file: file identifier is '" + id + "', expected 'TFL3'");
  }
  // The flatbuffer part of a large model is < 2 GiB; its buffers follow it.
  size_t fb_size = std::min<size_t>(size, FLATBUFFERS_MAX_BUFFER_SIZE - 1);
  flatbuffers::Verifier verifier(data, fb_size, /*max_depth=*/64, /*max_tables=*/10'000'000);
  if (!tflite::VerifyModelBuffer(verifier)) {
    return InvalidModel("flatbuffer verification failed: the file is truncated or corrupt");
  }
  const tflite::Model* model = tflite::GetModel(data);
  if (model->version() != kSchemaVersion) {
    return InvalidModel("schema version " + std::to_string(model->version()) + " (expected " +
                        std::to_string(kSchemaVersion) + ")");
  }
  if (model->subgraphs() == nullptr || model->subgraphs()->size() == 0) {
    return InvalidModel("model has no subgraphs");
  }
  Context ctx{data, size, model, graph};
  if (model->description() != nullptr) graph->description = model->description()->str();
  graph->subgraphs.resize(model->subgraphs()->size());
  for (flatbuffers::uoffset_t i = 0; i < model->subgraphs()->size(); ++i) {
    RNNLITE_RETURN_IF_ERROR(ReadSubgraph(ctx, model->subgraphs()->Get(i), &graph->subgraphs[i])
                                .WithContext("subgraph " + std::to_string(i) + ": "));
  }
  // Structure first (indices in range), then the recurrent rewrite which
  // relies on it, then again to check what the rewrite produced.
  RNNLITE_RETURN_IF_ERROR(ValidateGraph(*graph));
  RNNLITE_RETURN_IF_ERROR(ImportTfliteRecurrentOps(*graph));
  return ValidateGraph(*graph);
}

}  // namespace rnnlite::tflite_io
