// The compute family is split by responsibility into several files; each
// registers its ops here and compute_ops.cc calls them all.
#pragma once

namespace rnnlite {

class OpRegistry;

namespace compute {

// FULLY_CONNECTED, BATCH_MATMUL (compute_matmul.cc).
void RegisterMatmulKernels(OpRegistry& registry);
// CONV_2D, DEPTHWISE_CONV_2D (compute_conv.cc).
void RegisterConvKernels(OpRegistry& registry);
// SOFTMAX, LOG_SOFTMAX (compute_softmax.cc).
void RegisterSoftmaxKernels(OpRegistry& registry);
// MEAN, SUM, REDUCE_MAX, ARG_MAX (compute_reduce.cc).
void RegisterReduceKernels(OpRegistry& registry);

}  // namespace compute
}  // namespace rnnlite
