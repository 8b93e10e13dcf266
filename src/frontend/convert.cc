// Public converter API (rnnlite/convert.h).
#include "rnnlite/convert.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <new>
#include <unistd.h>

#include "core/sequence_rnn.h"
#include "frontend/importer_state.h"
#include "frontend/onnx_model.h"
#include "rnnlite/model.h"

namespace rnnlite {
namespace {

namespace fs = std::filesystem;

template <typename F>
auto Guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory while converting");
  } catch (const std::exception& e) {
    return Internal(std::string("converter failure: ") + e.what());
  }
}

std::string FolderOf(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

}  // namespace

std::string ConvertReport::Summary() const {
  std::string s;
  s += "source: " + source_format;
  if (!producer.empty()) s += " (" + producer + ")";
  if (opset > 0) s += ", opset " + std::to_string(opset);
  s += "\nops in: " + std::to_string(ops_in);
  for (const auto& [op, n] : ops_in_by_type) s += "\n  " + op + " x" + std::to_string(n);
  s += "\nops out: " + std::to_string(ops_out);
  for (const auto& [op, n] : ops_out_by_type) s += "\n  " + op + " x" + std::to_string(n);
  s += "\nrecurrent layers fused: " + std::to_string(recurrent_layers);
  s += "\nnodes folded to constants: " + std::to_string(folded_nodes);
  s += "\ndead nodes removed: " + std::to_string(removed_nodes);
  if (folded_rnn_glue > 0) s += "\nrecurrent output glue folded: " + std::to_string(folded_rnn_glue);
  if (loop_fusion.loops > 0) s += "\n" + loop_fusion.Summary();
  for (const std::string& n : notes) s += "\nnote: " + n;
  return s;
}

StatusOr<ConvertResult> ConvertOnnxBytes(const void* data, size_t size, const ConvertOptions& options,
                                         ConvertReport* report_on_error) {
  return Guarded([&]() -> StatusOr<ConvertResult> {
    onnx::ModelProto model;
    RNNLITE_RETURN_IF_ERROR(onnx_import::ParseModel(data, size, &model));
    return onnx_import::ImportOnnx(model, options.external_data_dir, options, report_on_error);
  });
}

StatusOr<ConvertResult> ConvertOnnxFile(const std::string& path, const ConvertOptions& options,
                                        ConvertReport* report_on_error) {
  return Guarded([&]() -> StatusOr<ConvertResult> {
    onnx::ModelProto model;
    RNNLITE_RETURN_IF_ERROR(onnx_import::ReadModelFile(path, options.max_file_bytes, &model));
    const std::string dir = options.external_data_dir.empty() ? FolderOf(path) : options.external_data_dir;
    return onnx_import::ImportOnnx(model, dir, options, report_on_error);
  });
}

StatusOr<OnnxTensorData> ReadOnnxTensorFile(const std::string& path) {
  return Guarded([&]() -> StatusOr<OnnxTensorData> {
    std::ifstream f(path, std::ios::binary);
    if (!f) return NotFound("cannot open '" + path + "'");
    std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    onnx::TensorProto proto;
    if (bytes.size() > (size_t{1} << 31) || !proto.ParseFromString(bytes)) {
      return InvalidModel("'" + path + "' is not a serialized ONNX TensorProto");
    }
    onnx_import::HostTensor h;
    RNNLITE_RETURN_IF_ERROR(onnx_import::ReadTensorProto(proto, FolderOf(path), uint64_t{1} << 32, &h));
    OnnxTensorData out;
    out.name = proto.name();
    out.dtype = h.dtype;
    out.dims = h.dims;
    out.bytes = std::move(h.bytes);
    return out;
  });
}

StatusOr<std::shared_ptr<const Model>> LoadTfliteFusingLoops(const std::string& path, LoopFusionReport* report) {
  return Guarded([&]() -> StatusOr<std::shared_ptr<const Model>> {
    ConvertOptions options;
    options.fuse_loops = true;
    RNNLITE_ASSIGN_OR_RETURN(ConvertResult r, ConvertTfliteFile(path, options));
    if (report) *report = r.report.loop_fusion;
    return Model::FromGraph(std::move(r.graph));
  });
}

bool LooksLikeTflite(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  char head[8] = {};
  if (!f.read(head, 8)) return false;
  return std::string(head + 4, 4) == "TFL3";
}

StatusOr<ConvertResult> ConvertTfliteFile(const std::string& path, const ConvertOptions& options) {
  return Guarded([&]() -> StatusOr<ConvertResult> {
    LoadOptions lo;
    lo.max_file_bytes = options.max_file_bytes;
    RNNLITE_ASSIGN_OR_RETURN(auto model, Model::FromFile(path, lo));
    ConvertResult r;
    r.report.source_format = "tflite";
    // A copy of the IR that borrows the model's constant data; the model
    // stays alive as long as the new graph.
    r.graph.description = model->graph().description;
    r.graph.KeepAlive(model);
    for (const Subgraph& s : model->graph().subgraphs) {
      r.graph.subgraphs.push_back(s);
      for (Tensor& t : r.graph.subgraphs.back().tensors) {
        t.data = nullptr;
        t.bytes = 0;
        t.storage = Storage::kNone;
      }
    }
    for (const Node& n : model->graph().main().nodes) r.report.ops_in_by_type[NodeOpName(n)]++;
    r.report.ops_in = static_cast<int>(model->graph().main().nodes.size());
    if (options.fuse_loops) {
      RNNLITE_ASSIGN_OR_RETURN(r.report.loop_fusion, FuseRecurrentLoops(r.graph));
    }
    Subgraph& sg = r.graph.main();
    // Only the main subgraph is pruned: other subgraphs are reached through
    // control-flow ops whose operands this pass does not model.
    if (r.graph.subgraphs.size() == 1) {
      r.report.removed_nodes = onnx_import::RemoveDeadNodes(sg);
      onnx_import::CompactTensors(sg);
    }
    r.report.ops_out = static_cast<int>(sg.nodes.size());
    for (const Node& n : sg.nodes) {
      r.report.ops_out_by_type[NodeOpName(n)]++;
      if (n.is_custom(kSequenceRnnCustomCode)) r.report.recurrent_layers++;
    }
    RNNLITE_RETURN_IF_ERROR(ValidateGraph(r.graph));
    return r;
  });
}

Status ConvertModelFile(const std::string& input, const std::string& output, const ConvertOptions& options,
                        ConvertReport* report, uint64_t* bytes_written) {
  return Guarded([&]() -> Status {
    ConvertReport scratch;
    ConvertReport* rep = report ? report : &scratch;
    StatusOr<ConvertResult> result = LooksLikeTflite(input) ? ConvertTfliteFile(input, options)
                                                            : ConvertOnnxFile(input, options, rep);
    if (!result.ok()) return result.status();
    *rep = result->report;
    RNNLITE_ASSIGN_OR_RETURN(auto bytes, WriteTflite(result->graph));
    // Write next to the target, then rename: no partial file on failure.
    const std::string tmp = output + ".tmp" + std::to_string(::getpid());
    {
      std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
      if (!f) return NotFound("cannot create '" + tmp + "'");
      f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
      f.close();
      if (!f) {
        std::error_code ec;
        fs::remove(tmp, ec);
        return Unavailable("cannot write '" + tmp + "' (disk full?)");
      }
    }
    std::error_code ec;
    fs::rename(tmp, output, ec);
    if (ec) {
      fs::remove(tmp, ec);
      return Unavailable("cannot move the result to '" + output + "': " + ec.message());
    }
    if (bytes_written) *bytes_written = bytes.size();
    return Status::Ok();
  });
}

}  // namespace rnnlite
