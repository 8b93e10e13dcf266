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

}  // namespace rnnlite
