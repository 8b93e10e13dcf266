// Registration entry points, one per kernel family (one source file each).
#pragma once

namespace rnnlite {

class OpRegistry;

// Unary/binary element-wise math, activations, CAST, DEQUANTIZE.
void RegisterElementwiseKernels(OpRegistry& registry);
// Data movement: reshape/transpose/concat/split/slice/gather/pad/...
void RegisterShapeKernels(OpRegistry& registry);
// FULLY_CONNECTED, BATCH_MATMUL, CONV_2D, DEPTHWISE_CONV_2D, SOFTMAX,
// LOG_SOFTMAX, reductions, ARG_MAX.
void RegisterComputeKernels(OpRegistry& registry);
// The fused recurrent op (SequenceRnn) and the TFLite sequence builtins.
void RegisterSequenceRnnKernels(OpRegistry& registry);
// WHILE, IF, CALL_ONCE (control_flow.cc).
void RegisterControlFlowKernels(OpRegistry& registry);
// VAR_HANDLE, READ_VARIABLE, ASSIGN_VARIABLE (resource_vars.cc).
void RegisterResourceVariableKernels(OpRegistry& registry);
// Comparisons, LOGICAL_AND/OR/NOT, SELECT, SELECT_V2 (logic_ops.cc).
void RegisterLogicKernels(OpRegistry& registry);
// REVERSE_SEQUENCE (reverse_sequence.cc).
void RegisterReverseSequenceKernels(OpRegistry& registry);

}  // namespace rnnlite
