#include "core/op_registry.h"

namespace rnnlite {

void OpRegistry::Register(Op op, KernelFactory factory) { builtin_[op] = std::move(factory); }

void OpRegistry::RegisterCustom(const std::string& custom_code, KernelFactory factory) {
  custom_[custom_code] = std::move(factory);
}

const KernelFactory* OpRegistry::Find(const Node& node) const {
  if (node.op == Op::kCustom) {
    auto it = custom_.find(node.custom_code);
    return it == custom_.end() ? nullptr : &it->second;
  }
  auto it = builtin_.find(node.op);
  return it == builtin_.end() ? nullptr : &it->second;
}

const OpRegistry& OpRegistry::Cpu() {
  static const OpRegistry* registry = [] {
    auto* r = new OpRegistry();
    RegisterCpuKernels(*r);
    return r;
  }();
  return *registry;
}

}  // namespace rnnlite
