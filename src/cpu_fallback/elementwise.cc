// Element-wise kernel family: binary math with broadcasting
// (elementwise_binary.cc), unary math and activations (elementwise_unary.cc),
// and dtype conversions (elementwise_cast.cc).
#include "core/op_registry.h"
#include "cpu_fallback/elementwise_common.h"
#include "cpu_fallback/families.h"

namespace rnnlite {

void RegisterElementwiseKernels(OpRegistry& registry) {
  elementwise::RegisterBinaryKernels(registry);
  elementwise::RegisterUnaryKernels(registry);
  elementwise::RegisterConversionKernels(registry);
}

}  // namespace rnnlite
