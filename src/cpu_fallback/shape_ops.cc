#include "core/op_registry.h"
#include "cpu_fallback/families.h"

namespace rnnlite {
void RegisterShapeKernels(OpRegistry& registry) {}
}  // namespace rnnlite
