#include "core/kernel.h"

namespace rnnlite {

Status KernelContext::Error(const std::string& message) const {
  return InvalidArgument("node " + std::to_string(node_index()) + " (" + NodeOpName(node()) + "): " + message);
}

Status KernelContext::UnsupportedError(const std::string& message) const {
  return Unsupported("node " + std::to_string(node_index()) + " (" + NodeOpName(node()) + "): " + message);
}

}  // namespace rnnlite
