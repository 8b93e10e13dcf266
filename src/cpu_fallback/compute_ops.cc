// Entry point of the compute family: matrix products, convolutions,
// softmaxes and reductions (see compute_kernels.h for which file holds what).
#include "core/op_registry.h"
#include "cpu_fallback/compute_kernels.h"
#include "cpu_fallback/families.h"

namespace rnnlite {

void RegisterComputeKernels(OpRegistry& registry) {
  compute::RegisterMatmulKernels(registry);
  compute::RegisterConvKernels(registry);
  compute::RegisterSoftmaxKernels(registry);
  compute::RegisterReduceKernels(registry);
}

}  // namespace rnnlite
