// TFLite's recurrent ops <-> rnnlite's one recurrent op (SequenceRnn).
//
// Import (called by the reader and by Model::FromGraph) rewrites, in every
// subgraph, the TFLite forms of a recurrent layer into canonical SequenceRnn
// nodes (src/core/sequence_rnn.h), packing TFLite's per-gate weight tensors
// into [D, G*H, ...] constants in rnnlite's gate order, once:
//   UNIDIRECTIONAL_SEQUENCE_LSTM (24 inputs, or the legacy 20),
//   BIDIRECTIONAL_SEQUENCE_LSTM (48 inputs), UNIDIRECTIONAL_SEQUENCE_RNN,
//   BIDIRECTIONAL_SEQUENCE_RNN, the custom op UNIDIRECTIONAL_SEQUENCE_GRU
//   (TFLite's experimental GRU), the single-step LSTM and RNN builtins (one
//   time step between RESHAPEs) and rnnlite's own custom op
//   RNNLITE_SEQUENCE_RNN (flexbuffer options decoded into attributes).
// What rnnlite cannot compute exactly (quantized or hybrid weights, fused
// activations without an exact counterpart, non-constant weights) is
// rejected with an Unsupported status (malformed nodes with InvalidModel)
// naming the subgraph, node, op and field. Export is the inverse used by the writer: builtins where a node is
// exactly one, the documented custom op otherwise (docs/format.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/sequence_rnn.h"
#include "rnnlite/graph.h"
#include "rnnlite/status.h"

namespace rnnlite {

// Rewrites TFLite's recurrent builtins (and decodes RNNLITE_SEQUENCE_RNN
// custom ops) into canonical SequenceRnn nodes. Idempotent: SequenceRnn nodes
// that already carry attributes (no custom_options) only get the canonical
// spelling of those attributes (when they are valid; invalid ones are left
// for the kernel's Prepare to report).
Status ImportTfliteRecurrentOps(Graph& graph);

// Produces `out`: a copy of `in` in which every SequenceRnn node is a TFLite
// builtin where that builtin computes exactly the same function, and the
// RNNLITE_SEQUENCE_RNN custom op with flexbuffer options otherwise.
// Constant data of `in` is referenced, not copied; new constants (split
// per-gate weights) are owned by `out`.
Status ExportTfliteRecurrentOps(const Graph& in, Graph* out);

// The custom options of RNNLITE_SEQUENCE_RNN: a flexbuffer map from the
// attribute names of seq_rnn_attr to ints, doubles, int vectors and double
// vectors (docs/format.md).
std::vector<uint8_t> EncodeSequenceRnnOptions(const AttrMap& attrs);
// Verifies and decodes the map; keys rnnlite does not know are Unsupported
// (a newer writer's feature this build cannot compute).
Status DecodeSequenceRnnOptions(const std::vector<uint8_t>& bytes, AttrMap* attrs);

// Helpers shared by the rnn_tflite*.cc files; not for other callers.
namespace rnn_tflite_detail {

// TFLite ActivationFunctionType values.
enum TfliteActivation : int64_t {
  kActNone = 0,
  kActRelu = 1,
  kActReluN1To1 = 2,
  kActRelu6 = 3,
  kActTanh = 4,
  kActSignBit = 5,
};

// The activation rnnlite uses for a TFLite fused activation; Unsupported
// for SIGN_BIT and out-of-range values.
StatusOr<RnnActivationSpec> FromTfliteActivation(int64_t act);
// The inverse; false when `spec` has no exact TFLite counterpart.
bool ToTfliteActivation(const RnnActivationSpec& spec, int64_t* act);

// One node being imported: where it is and how to name it in messages.
struct ImportSite {
  Graph& graph;
  int subgraph;
  int node_index;
  Node node;  // a copy: the subgraph's node list changes during the rewrite
  Subgraph& sg() { return graph.subgraphs[subgraph]; }
  // "subgraph 0 node 3 (UNIDIRECTIONAL_SEQUENCE_LSTM)"
  std::string Label() const;
  // Input/output tensor index, or kNoTensor when absent or beyond the list.
  int in(int i) const;
  int out(int i) const;
  const Tensor* tensor(int index) const;
  Status Unsupported(const std::string& field, const std::string& what) const;
  Status Invalid(const std::string& field, const std::string& what) const;
};

// Reads a float tensor's values. Accepts float32 and float16 constants, and
// float16 constants routed through a DEQUANTIZE node (TFLite's float16
// weight format). Quantized (hybrid) weights, sparse tensors and values only
// known at run time are Unsupported. `shape` is the expected shape.
StatusOr<std::vector<float>> ReadFloatConstant(const ImportSite& site, int tensor, const Shape& shape,
                                               const std::string& field);

// Appends a float32 constant owned by `graph`; returns its index.
int AddFloatConstant(Graph& graph, Subgraph& sg, const std::string& name, Shape shape,
                     const std::vector<float>& values);

// The weights of one direction in rnnlite's layout and gate order (row-major,
// gates stacked along the first axis). Empty vectors are absent inputs.
struct DirectionWeights {
  std::vector<float> w;           // [G*H, I]
  std::vector<float> r;           // [G*H, X]
  std::vector<float> wb;          // [G*H]
  std::vector<float> rb;          // [G*H]
  std::vector<float> peephole;    // [3*H] i, f, o
  std::vector<float> proj_w;      // [P, H]
  std::vector<float> proj_b;      // [P]
  std::vector<float> layer_norm;  // [4*H] i, f, g, o
  std::vector<float> aux_w;       // [G*H, I2]
};

// Everything needed to emit one canonical SequenceRnn node.
struct SequenceRnnSpec {
  SequenceRnnParams params;
  int input_size = 0;      // I
  int aux_input_size = 0;  // I2 (0: no auxiliary input)
  std::vector<DirectionWeights> dirs;  // params.num_directions() entries
  int x = kNoTensor, aux_x = kNoTensor;
  int h0 = kNoTensor, c0 = kNoTensor, h0_bw = kNoTensor, c0_bw = kNoTensor;
  int y = kNoTensor, yh = kNoTensor, yc = kNoTensor, y_bw = kNoTensor;
  std::string name;  // prefix of the new constants' names
};

// Packs the weights into new constants and returns the node.
StatusOr<Node> MakeSequenceRnnNode(Graph& graph, Subgraph& sg, const SequenceRnnSpec& spec);

// Replaces the node at `site.node_index` by `nodes` (in order); returns the
// index of the last one so the caller's loop continues after it.
int ReplaceNode(ImportSite& site, std::vector<Node> nodes);

// Appends a float32 tensor shaped like `like` with its last dim set to
// `last_dim` (an intermediate between two new nodes).
int AddIntermediateLike(Subgraph& sg, const Tensor& like, int32_t last_dim, const std::string& name);

// A CONCATENATION along the last axis of two rank-3 tensors.
Node MakeConcatLastAxis(int a, int b, int out);

// A RESHAPE of `in` to `shape` (adds the int32 shape constant to `sg`).
Node MakeReshape(Graph& graph, Subgraph& sg, int in, int out, const Shape& shape, const std::string& name);

// Makes a TFLite state tensor [B * X] or [B, X] shaped [B, X] (TFLite accepts
// any shape with the right element count; SequenceRnn wants [B, X]).
Status NormalizeStateShape(ImportSite& site, int tensor, int batch, int width, const std::string& field);

// Per-op importers (rnn_tflite_lstm.cc, rnn_tflite_rnn.cc). Each rewrites
// site.node_index and returns the index of the last node it emitted.
StatusOr<int> ImportUnidirectionalLstm(ImportSite& site);
StatusOr<int> ImportBidirectionalLstm(ImportSite& site);
StatusOr<int> ImportUnidirectionalRnn(ImportSite& site);
StatusOr<int> ImportBidirectionalRnn(ImportSite& site);
StatusOr<int> ImportGru(ImportSite& site);
// The single-step LSTM (full kernel) and RNN builtins, run as one time step.
StatusOr<int> ImportLstmStep(ImportSite& site);
StatusOr<int> ImportRnnStep(ImportSite& site);

}  // namespace rnn_tflite_detail
}  // namespace rnnlite
