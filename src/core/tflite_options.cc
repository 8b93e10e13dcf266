#include "core/tflite_options.h"

#include <map>
#include <vector>

#include "schema/tflite_subset_generated.h"

namespace rnnlite::tflite_io {
namespace {

using BO = tflite::BuiltinOptions;

enum class Kind { kBool, kI8, kI32, kF32, kIntVector, kString };

struct Field {
  const char* name;
  flatbuffers::voffset_t vt;
  Kind kind;
  double default_value;
};

struct OptionsTable {
  BO type;
  std::vector<Field> fields;
};

constexpr const char* kAct = "fused_activation_function";

// The table is written from schema/tflite_subset.fbs; the VT_ offsets come
// from the generated code so ids cannot drift from the schema.
const std::map<Op, OptionsTable>& Tables() {
  static const auto* tables = [] {
    auto* t = new std::map<Op, OptionsTable>();
    using AddT = tflite::AddOptions;
    (*t)[Op::kAdd] = {BO::AddOptions, {{kAct, AddT::VT_FUSED_ACTIVATION_FUNCTION, Kind::kI8, 0},
                                       {"pot_scale_int16", AddT::VT_POT_SCALE_INT16, Kind::kBool, 1}}};
    using SubT = tflite::SubOptions;
    (*t)[Op::kSub] = {BO::SubOptions, {{kAct, SubT::VT_FUSED_ACTIVATION_FUNCTION, Kind::kI8, 0},
                                       {"pot_scale_int16", SubT::VT_POT_SCALE_INT16, Kind::kBool, 1}}};
    (*t)[Op::kMul] = {BO::MulOptions, {{kAct, tflite::MulOptions::VT_FUSED_ACTIVATION_FUNCTION, Kind::kI8, 0}}};
    (*t)[Op::kDiv] = {BO::DivOptions, {{kAct, tflite::DivOptions::VT_FUSED_ACTIVATION_FUNCTION, Kind::kI8, 0}}};
    using C2 = tflite::Conv2DOptions;
    (*t)[Op::kConv2d] = {BO::Conv2DOptions,
                         {{"padding", C2::VT_PADDING, Kind::kI8, 0},
                          {"stride_w", C2::VT_STRIDE_W, Kind::kI32, 0},
                          {"stride_h", C2::VT_STRIDE_H, Kind::kI32, 0},
                          {kAct, C2::VT_FUSED_ACTIVATION_FUNCTION, Kind::kI8, 0},
                          {"dilation_w_factor", C2::VT_DILATION_W_FACTOR, Kind::kI32, 1},
                          {"dilation_h_factor", C2::VT_DILATION_H_FACTOR, Kind::kI32, 1},
                          {"quantized_bias_type", C2::VT_QUANTIZED_BIAS_TYPE, Kind::kI8, 0}}};
    using DW = tflite::DepthwiseConv2DOptions;
    (*t)[Op::kDepthwiseConv2d] = {BO::DepthwiseConv2DOptions,
                                  {{"padding", DW::VT_PADDING, Kind::kI8, 0},
                                   {"stride_w", DW::VT_STRIDE_W, Kind::kI32, 0},
                                   {"stride_h", DW::VT_STRIDE_H, Kind::kI32, 0},
                                   {"depth_multiplier", DW::VT_DEPTH_MULTIPLIER, Kind::kI32, 0},
                                   {kAct, DW::VT_FUSED_ACTIVATION_FUNCTION, Kind::kI8, 0},
                                   {"dilation_w_factor", DW::VT_DILATION_W_FACTOR, Kind::kI32, 1},
                                   {"dilation_h_factor", DW::VT_DILATION_H_FACTOR, Kind::kI32, 1}}};
    using FC = tflite::FullyConnectedOptions;
    (*t)[Op::kFullyConnected] = {BO::FullyConnectedOptions,
                                 {{kAct, FC::VT_FUSED_ACTIVATION_FUNCTION, Kind::kI8, 0},
                                  {"weights_format", FC::VT_WEIGHTS_FORMAT, Kind::kI8, 0},
                                  {"keep_num_dims", FC::VT_KEEP_NUM_DIMS, Kind::kBool, 0},
                                  {"asymmetric_quantize_inputs", FC::VT_ASYMMETRIC_QUANTIZE_INPUTS, Kind::kBool, 0},
                                  {"quantized_bias_type", FC::VT_QUANTIZED_BIAS_TYPE, Kind::kI8, 0}}};
    (*t)[Op::kSoftmax] = {BO::SoftmaxOptions, {{"beta", tflite::SoftmaxOptions::VT_BETA, Kind::kF32, 0}}};
    using CO = tflite::ConcatenationOptions;
    (*t)[Op::kConcatenation] = {BO::ConcatenationOptions,
                                {{"axis", CO::VT_AXIS, Kind::kI32, 0},
                                 {kAct, CO::VT_FUSED_ACTIVATION_FUNCTION, Kind::kI8, 0}}};
    (*t)[Op::kReshape] = {BO::ReshapeOptions,
                          {{"new_shape", tflite::ReshapeOptions::VT_NEW_SHAPE, Kind::kIntVector, 0}}};
    (*t)[Op::kPad] = {BO::PadOptions, {}};
    (*t)[Op::kGather] = {BO::GatherOptions, {{"axis", tflite::GatherOptions::VT_AXIS, Kind::kI32, 0},
                                             {"batch_dims", tflite::GatherOptions::VT_BATCH_DIMS, Kind::kI32, 0}}};
    (*t)[Op::kTranspose] = {BO::TransposeOptions, {}};
    for (Op op : {Op::kMean, Op::kSum, Op::kReduceMax, Op::kReduceMin, Op::kReduceProd, Op::kReduceAny,
                  Op::kReduceAll}) {
      (*t)[op] = {BO::ReducerOptions, {{"keep_dims", tflite::ReducerOptions::VT_KEEP_DIMS, Kind::kBool, 0}}};
    }
    (*t)[Op::kSqueeze] = {BO::SqueezeOptions,
                          {{"squeeze_dims", tflite::SqueezeOptions::VT_SQUEEZE_DIMS, Kind::kIntVector, 0}}};
    using SS = tflite::StridedSliceOptions;
    (*t)[Op::kStridedSlice] = {BO::StridedSliceOptions,
                               {{"begin_mask", SS::VT_BEGIN_MASK, Kind::kI32, 0},
                                {"end_mask", SS::VT_END_MASK, Kind::kI32, 0},
                                {"ellipsis_mask", SS::VT_ELLIPSIS_MASK, Kind::kI32, 0},
                                {"new_axis_mask", SS::VT_NEW_AXIS_MASK, Kind::kI32, 0},
                                {"shrink_axis_mask", SS::VT_SHRINK_AXIS_MASK, Kind::kI32, 0},
                                {"offset", SS::VT_OFFSET, Kind::kBool, 0}}};
    (*t)[Op::kExp] = {BO::ExpOptions, {}};
    (*t)[Op::kSplit] = {BO::SplitOptions, {{"num_splits", tflite::SplitOptions::VT_NUM_SPLITS, Kind::kI32, 0}}};
    (*t)[Op::kSplitV] = {BO::SplitVOptions, {{"num_splits", tflite::SplitVOptions::VT_NUM_SPLITS, Kind::kI32, 0}}};
    (*t)[Op::kLogSoftmax] = {BO::LogSoftmaxOptions, {}};
    (*t)[Op::kCast] = {BO::CastOptions, {{"in_data_type", tflite::CastOptions::VT_IN_DATA_TYPE, Kind::kI8, 0},
                                         {"out_data_type", tflite::CastOptions::VT_OUT_DATA_TYPE, Kind::kI8, 0}}};
    (*t)[Op::kDequantize] = {BO::DequantizeOptions, {}};
    (*t)[Op::kMaximum] = {BO::MaximumMinimumOptions, {}};
    (*t)[Op::kMinimum] = {BO::MaximumMinimumOptions, {}};
    (*t)[Op::kArgMax] = {BO::ArgMaxOptions, {{"output_type", tflite::ArgMaxOptions::VT_OUTPUT_TYPE, Kind::kI8, 0}}};
    (*t)[Op::kNeg] = {BO::NegOptions, {}};
    (*t)[Op::kSlice] = {BO::SliceOptions, {}};
    (*t)[Op::kExpandDims] = {BO::ExpandDimsOptions, {}};
    (*t)[Op::kShape] = {BO::ShapeOptions, {{"out_type", tflite::ShapeOptions::VT_OUT_TYPE, Kind::kI8, 0}}};
    (*t)[Op::kPow] = {BO::PowOptions, {}};
    (*t)[Op::kPack] = {BO::PackOptions, {{"values_count", tflite::PackOptions::VT_VALUES_COUNT, Kind::kI32, 0},
                                         {"axis", tflite::PackOptions::VT_AXIS, Kind::kI32, 0}}};
    (*t)[Op::kUnpack] = {BO::UnpackOptions, {{"num", tflite::UnpackOptions::VT_NUM, Kind::kI32, 0},
                                             {"axis", tflite::UnpackOptions::VT_AXIS, Kind::kI32, 0}}};
    (*t)[Op::kZerosLike] = {BO::ZerosLikeOptions, {}};
    (*t)[Op::kFill] = {BO::FillOptions, {}};
    (*t)[Op::kLeakyRelu] = {BO::LeakyReluOptions, {{"alpha", tflite::LeakyReluOptions::VT_ALPHA, Kind::kF32, 0}}};
    (*t)[Op::kAbs] = {BO::AbsOptions, {}};
    (*t)[Op::kReverseV2] = {BO::ReverseV2Options, {}};
    using BM = tflite::BatchMatMulOptions;
    (*t)[Op::kBatchMatmul] = {BO::BatchMatMulOptions,
                              {{"adj_x", BM::VT_ADJ_X, Kind::kBool, 0},
                               {"adj_y", BM::VT_ADJ_Y, Kind::kBool, 0},
                               {"asymmetric_quantize_inputs", BM::VT_ASYMMETRIC_QUANTIZE_INPUTS, Kind::kBool, 0}}};
    using UL = tflite::UnidirectionalSequenceLSTMOptions;
    (*t)[Op::kUnidirectionalSequenceLstm] = {
        BO::UnidirectionalSequenceLSTMOptions,
        {{kAct, UL::VT_FUSED_ACTIVATION_FUNCTION, Kind::kI8, 0},
         {"cell_clip", UL::VT_CELL_CLIP, Kind::kF32, 0},
         {"proj_clip", UL::VT_PROJ_CLIP, Kind::kF32, 0},
         {"time_major", UL::VT_TIME_MAJOR, Kind::kBool, 0},
         {"asymmetric_quantize_inputs", UL::VT_ASYMMETRIC_QUANTIZE_INPUTS, Kind::kBool, 0},
         {"diagonal_recurrent_tensors", UL::VT_DIAGONAL_RECURRENT_TENSORS, Kind::kBool, 0}}};
    using BL = tflite::BidirectionalSequenceLSTMOptions;
    (*t)[Op::kBidirectionalSequenceLstm] = {
        BO::BidirectionalSequenceLSTMOptions,
        {{kAct, BL::VT_FUSED_ACTIVATION_FUNCTION, Kind::kI8, 0},
         {"cell_clip", BL::VT_CELL_CLIP, Kind::kF32, 0},
         {"proj_clip", BL::VT_PROJ_CLIP, Kind::kF32, 0},
         {"merge_outputs", BL::VT_MERGE_OUTPUTS, Kind::kBool, 0},
         {"time_major", BL::VT_TIME_MAJOR, Kind::kBool, 1},
         {"asymmetric_quantize_inputs", BL::VT_ASYMMETRIC_QUANTIZE_INPUTS, Kind::kBool, 0}}};
    using SR = tflite::SequenceRNNOptions;
    (*t)[Op::kUnidirectionalSequenceRnn] = {
        BO::SequenceRNNOptions,
        {{"time_major", SR::VT_TIME_MAJOR, Kind::kBool, 0},
         {kAct, SR::VT_FUSED_ACTIVATION_FUNCTION, Kind::kI8, 0},
         {"asymmetric_quantize_inputs", SR::VT_ASYMMETRIC_QUANTIZE_INPUTS, Kind::kBool, 0}}};
    using BR = tflite::BidirectionalSequenceRNNOptions;
    (*t)[Op::kBidirectionalSequenceRnn] = {
        BO::BidirectionalSequenceRNNOptions,
        {{"time_major", BR::VT_TIME_MAJOR, Kind::kBool, 0},
         {kAct, BR::VT_FUSED_ACTIVATION_FUNCTION, Kind::kI8, 0},
         {"merge_outputs", BR::VT_MERGE_OUTPUTS, Kind::kBool, 0},
         {"asymmetric_quantize_inputs", BR::VT_ASYMMETRIC_QUANTIZE_INPUTS, Kind::kBool, 0}}};
    using LO = tflite::LSTMOptions;
    (*t)[Op::kLstm] = {BO::LSTMOptions,
                       {{kAct, LO::VT_FUSED_ACTIVATION_FUNCTION, Kind::kI8, 0},
                        {"cell_clip", LO::VT_CELL_CLIP, Kind::kF32, 0},
                        {"proj_clip", LO::VT_PROJ_CLIP, Kind::kF32, 0},
                        {"kernel_type", LO::VT_KERNEL_TYPE, Kind::kI8, 0},
                        {"asymmetric_quantize_inputs", LO::VT_ASYMMETRIC_QUANTIZE_INPUTS, Kind::kBool, 0}}};
    (*t)[Op::kRnn] = {BO::RNNOptions,
                      {{kAct, tflite::RNNOptions::VT_FUSED_ACTIVATION_FUNCTION, Kind::kI8, 0},
                       {"asymmetric_quantize_inputs", tflite::RNNOptions::VT_ASYMMETRIC_QUANTIZE_INPUTS, Kind::kBool, 0}}};
    (*t)[Op::kIf] = {BO::IfOptions, {{"then_subgraph_index", tflite::IfOptions::VT_THEN_SUBGRAPH_INDEX, Kind::kI32, 0},
                                     {"else_subgraph_index", tflite::IfOptions::VT_ELSE_SUBGRAPH_INDEX, Kind::kI32, 0}}};
    (*t)[Op::kWhile] = {BO::WhileOptions,
                        {{"cond_subgraph_index", tflite::WhileOptions::VT_COND_SUBGRAPH_INDEX, Kind::kI32, 0},
                         {"body_subgraph_index", tflite::WhileOptions::VT_BODY_SUBGRAPH_INDEX, Kind::kI32, 0}}};
    (*t)[Op::kCallOnce] = {BO::CallOnceOptions,
                           {{"init_subgraph_index", tflite::CallOnceOptions::VT_INIT_SUBGRAPH_INDEX, Kind::kI32, 0}}};
    (*t)[Op::kReverseSequence] = {BO::ReverseSequenceOptions,
                                  {{"seq_dim", tflite::ReverseSequenceOptions::VT_SEQ_DIM, Kind::kI32, 0},
                                   {"batch_dim", tflite::ReverseSequenceOptions::VT_BATCH_DIM, Kind::kI32, 0}}};
    (*t)[Op::kVarHandle] = {BO::VarHandleOptions,
                            {{"container", tflite::VarHandleOptions::VT_CONTAINER, Kind::kString, 0},
                             {"shared_name", tflite::VarHandleOptions::VT_SHARED_NAME, Kind::kString, 0}}};
    (*t)[Op::kReadVariable] = {BO::ReadVariableOptions, {}};
    (*t)[Op::kAssignVariable] = {BO::AssignVariableOptions, {}};
    return t;
  }();
  return *tables;
}

void SetDefault(const Field& f, AttrMap* attrs) {
  if (f.kind == Kind::kF32) {
    attrs->SetFloat(f.name, f.default_value);
  } else if (f.kind == Kind::kIntVector) {
    // Absent vectors stay absent: "no new_shape" differs from "new_shape []".
  } else if (f.kind == Kind::kString) {
    attrs->SetString(f.name, "");
  } else {
    attrs->SetInt(f.name, static_cast<int64_t>(f.default_value));
  }
}

}  // namespace

Status ReadBuiltinOptions(Op op, uint8_t options_type, const flatbuffers::Table* options, AttrMap* attrs) {
  auto it = Tables().find(op);
  if (it == Tables().end()) return Status::Ok();  // op has no options we read
  const OptionsTable& table = it->second;
  if (options_type == 0 || options == nullptr) {
    for (const Field& f : table.fields) SetDefault(f, attrs);
    return Status::Ok();
  }
  if (options_type != static_cast<uint8_t>(table.type)) {
    return InvalidModel("builtin_options type " + std::to_string(options_type) + " does not belong to " +
                        OpName(op) + " (expected " + std::to_string(static_cast<int>(table.type)) + ")");
  }
  for (const Field& f : table.fields) {
    switch (f.kind) {
      case Kind::kBool:
        attrs->SetInt(f.name, options->GetField<uint8_t>(f.vt, static_cast<uint8_t>(f.default_value)) != 0);
        break;
      case Kind::kI8:
        attrs->SetInt(f.name, options->GetField<int8_t>(f.vt, static_cast<int8_t>(f.default_value)));
        break;
      case Kind::kI32:
        attrs->SetInt(f.name, options->GetField<int32_t>(f.vt, static_cast<int32_t>(f.default_value)));
        break;
      case Kind::kF32:
        attrs->SetFloat(f.name, options->GetField<float>(f.vt, static_cast<float>(f.default_value)));
        break;
      case Kind::kIntVector: {
        const auto* v = options->GetPointer<const flatbuffers::Vector<int32_t>*>(f.vt);
        if (v != nullptr) attrs->SetInts(f.name, std::vector<int64_t>(v->begin(), v->end()));
        break;
      }
      case Kind::kString: {
        const auto* v = options->GetPointer<const flatbuffers::String*>(f.vt);
        attrs->SetString(f.name, v != nullptr ? v->str() : "");
        break;
      }
    }
  }
  return Status::Ok();
}

std::pair<uint8_t, uint32_t> WriteBuiltinOptions(Op op, const AttrMap& attrs, flatbuffers::FlatBufferBuilder& fbb) {
  auto it = Tables().find(op);
  if (it == Tables().end()) return {0, 0};
  const OptionsTable& table = it->second;
  // Vectors must be serialized before the table starts.
  std::vector<std::pair<flatbuffers::voffset_t, flatbuffers::Offset<flatbuffers::Vector<int32_t>>>> vectors;
  std::vector<std::pair<flatbuffers::voffset_t, flatbuffers::Offset<flatbuffers::String>>> strings;
  for (const Field& f : table.fields) {
    if (f.kind == Kind::kString && !attrs.GetString(f.name).empty()) {
      strings.emplace_back(f.vt, fbb.CreateString(attrs.GetString(f.name)));
    }
    if (f.kind != Kind::kIntVector || !attrs.Has(f.name)) continue;
    std::vector<int64_t> v64 = attrs.GetInts(f.name);
    std::vector<int32_t> v32(v64.begin(), v64.end());
    vectors.emplace_back(f.vt, fbb.CreateVector(v32));
  }
  flatbuffers::uoffset_t start = fbb.StartTable();
  for (const Field& f : table.fields) {
    switch (f.kind) {
      case Kind::kBool:
        fbb.AddElement<uint8_t>(f.vt, attrs.GetInt(f.name, static_cast<int64_t>(f.default_value)) != 0,
                                static_cast<uint8_t>(f.default_value));
        break;
      case Kind::kI8:
        fbb.AddElement<int8_t>(f.vt, static_cast<int8_t>(attrs.GetInt(f.name, static_cast<int64_t>(f.default_value))),
                               static_cast<int8_t>(f.default_value));
        break;
      case Kind::kI32:
        fbb.AddElement<int32_t>(f.vt, static_cast<int32_t>(attrs.GetInt(f.name, static_cast<int64_t>(f.default_value))),
                                static_cast<int32_t>(f.default_value));
        break;
      case Kind::kF32:
        fbb.AddElement<float>(f.vt, static_cast<float>(attrs.GetFloat(f.name, f.default_value)),
                              static_cast<float>(f.default_value));
        break;
      case Kind::kIntVector:
      case Kind::kString:
        break;
    }
  }
  for (auto& [vt, off] : vectors) fbb.AddOffset(vt, off);
  for (auto& [vt, off] : strings) fbb.AddOffset(vt, off);
  return {static_cast<uint8_t>(table.type), fbb.EndTable(start)};
}

}  // namespace rnnlite::tflite_io
