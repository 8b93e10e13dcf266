// The one place that lists every family of CPU reference kernels.
#include "core/op_registry.h"
#include "cpu_fallback/families.h"

namespace rnnlite {

void RegisterCpuKernels(OpRegistry& registry) {
  RegisterElementwiseKernels(registry);
  RegisterShapeKernels(registry);
  RegisterComputeKernels(registry);
  RegisterSequenceRnnKernels(registry);
  RegisterControlFlowKernels(registry);
  RegisterResourceVariableKernels(registry);
  RegisterLogicKernels(registry);
  RegisterReverseSequenceKernels(registry);
}

}  // namespace rnnlite
