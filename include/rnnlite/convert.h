// Converter: ONNX models (and .tflite files) -> rnnlite's Graph IR -> .tflite.
//
// Every ONNX LSTM / GRU / RNN node becomes ONE fused SequenceRnn node (gate
// weights reordered once, at conversion); every other supported ONNX op maps
// onto TFLite builtins. Constant sub-graphs (the Shape/Gather/Concat/
// ConstantOfShape chains exporters emit) are folded, dead nodes dropped.
// Supported ops and attributes: docs/convert.md.
//
//   rnnlite::ConvertOptions opt;
//   auto r = rnnlite::ConvertOnnxFile("model.onnx", opt);
//   if (!r.ok()) { puts(r.status().ToString().c_str()); return; }
//   rnnlite::WriteTfliteFile(r->graph, "model.tflite");
//
// Errors: a model that uses an unsupported op, attribute value or data type
// fails with ONE Unsupported status listing every offending node as
// "node 'NAME' (OP): REASON", separated by "; ". A malformed file is an
// InvalidModel status; nothing here crashes on bad input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rnnlite/graph.h"
#include "rnnlite/model.h"
#include "rnnlite/status.h"

namespace rnnlite {

struct ConvertOptions {
  // Fixes dims of graph inputs (e.g. {"x", {1, -1, 40}}): entries >= 0
  // replace the model's dim, -1 keeps it (dynamic dims stay dynamic, written
  // as shape_signature -1 and resolved by Interpreter::ResizeInputTensor).
  std::map<std::string, std::vector<int64_t>> input_shapes;
  // Folds sub-graphs whose inputs are all constant into constants.
  bool fold_constants = true;
  // Folds the Transpose/Reshape/Squeeze glue exporters put after recurrent
  // layers into the SequenceRnn node's output layout, where it only
  // reorders the output.
  bool fold_rnn_glue = true;
  // Folder of external tensor data files; "" = the model file's folder
  // (ConvertOnnxBytes: external data is an error when this is empty).
  std::string external_data_dir;
  // Files (model or external data) larger than this are rejected unread.
  uint64_t max_file_bytes = uint64_t{1} << 34;  // 16 GiB
  // .tflite input: replace the WHILE loops TensorFlow's converter emits for
  // recurrent layers by fused SequenceRnn nodes (FuseRecurrentLoops).
  bool fuse_loops = true;
};

// What FuseRecurrentLoops did with one WHILE loop.
struct LoopFusionEntry {
  int subgraph = 0;      // subgraph that held the WHILE
  int node = -1;         // its node index before the pass
  std::string name;      // the loop's name (its body subgraph, less "_body")
  bool fused = false;
  std::string detail;    // fused: the recurrent node ("LSTM H=8 ..."); else why not
};

struct LoopFusionReport {
  int loops = 0;               // WHILE nodes seen
  int fused = 0;               // replaced by SequenceRnn nodes
  int reverse_folded = 0;      // go_backwards loops turned into reverse nodes
  int bidirectional_merged = 0;  // forward + reverse pairs made one node
  int removed_nodes = 0;       // dead nodes dropped afterwards
  int removed_subgraphs = 0;   // condition/body subgraphs dropped
  std::vector<LoopFusionEntry> entries;
  std::string Summary() const;
};

// One node the converter could not handle.
struct ConvertIssue {
  std::string node;     // ONNX node name ("" if the node has none: then "#index")
  std::string op_type;  // "LSTM", "com.microsoft:Attention", ...
  std::string reason;
};

struct ConvertReport {
  std::string source_format;  // "onnx" or "tflite"
  std::string producer;       // ONNX producer_name + version, if any
  int64_t opset = 0;          // default-domain opset of an ONNX model
  int ops_in = 0;             // nodes in the source graph
  int ops_out = 0;            // nodes in the converted graph
  int recurrent_layers = 0;   // fused SequenceRnn nodes in the result
  int folded_nodes = 0;       // source nodes replaced by constants
  int removed_nodes = 0;      // dead nodes dropped
  int folded_rnn_glue = 0;    // Transpose/Reshape/Squeeze folded into RNN outputs
  std::map<std::string, int> ops_in_by_type;
  std::map<std::string, int> ops_out_by_type;
  std::vector<ConvertIssue> issues;  // empty on success
  std::vector<std::string> notes;    // non-fatal remarks (e.g. a dropped Dropout)
  LoopFusionReport loop_fusion;      // .tflite input with fuse_loops

  // Multi-line human-readable summary (ops in/out, fused layers, ...).
  std::string Summary() const;
};

struct ConvertResult {
  Graph graph;
  ConvertReport report;
};

// Parses an ONNX model (opsets 7 to 21; external data next to the file) and
// converts it. On failure the status message lists every offending node;
// `report_on_error` (optional) receives the report including `issues`.
StatusOr<ConvertResult> ConvertOnnxFile(const std::string& path, const ConvertOptions& options = {},
                                        ConvertReport* report_on_error = nullptr);
StatusOr<ConvertResult> ConvertOnnxBytes(const void* data, size_t size, const ConvertOptions& options = {},
                                         ConvertReport* report_on_error = nullptr);

// Loads a .tflite file through the IR (recurrent builtins canonicalized into
// SequenceRnn) and drops dead nodes and tensors, so writing it back
// normalizes options.
StatusOr<ConvertResult> ConvertTfliteFile(const std::string& path, const ConvertOptions& options = {});

// Replaces every WHILE loop that TensorFlow's TFLite converter emitted for
// a Keras LSTM / GRU / SimpleRNN layer or a tf.compat.v1 RNN cell (see
// docs/convert.md) by ONE SequenceRnn node computing the same function, and
// removes the subgraphs, nodes and tensors only the loop used. A loop is
// fused only when its structure and constants are proven to be such a
// layer; every other loop stays (and still runs), and the report says why.
// Call it on a Graph before Model::FromGraph to fuse at load time. The
// only error is a graph that fails ValidateGraph on entry (InvalidModel;
// nothing is changed then).
StatusOr<LoopFusionReport> FuseRecurrentLoops(Graph& graph);

// Loads a .tflite file, fuses its recurrent loops and wraps the result in a
// Model (the load-time form of FuseRecurrentLoops). `report` may be null.
StatusOr<std::shared_ptr<const Model>> LoadTfliteFusingLoops(const std::string& path,
                                                             LoopFusionReport* report = nullptr);

// True if the file starts like a .tflite flatbuffer (identifier "TFL3").
bool LooksLikeTflite(const std::string& path);

// Converts `input` (.onnx, or .tflite by its identifier) and writes `output`
// (.tflite) through a temporary file renamed into place, so a failure never
// leaves a partial file. Fills `report` (may be null) in both cases;
// `bytes_written` receives the output size.
Status ConvertModelFile(const std::string& input, const std::string& output, const ConvertOptions& options,
                        ConvertReport* report, uint64_t* bytes_written = nullptr);

// A tensor stored as a serialized ONNX TensorProto (the input_N.pb /
// output_N.pb files of ONNX's backend tests).
struct OnnxTensorData {
  std::string name;
  DType dtype = DType::kFloat32;
  std::vector<int64_t> dims;
  std::vector<uint8_t> bytes;  // little-endian, C order
};
StatusOr<OnnxTensorData> ReadOnnxTensorFile(const std::string& path);

}  // namespace rnnlite
