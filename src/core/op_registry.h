// Maps an op (builtin code, or custom code) to the factory of its CPU kernel.
// Each kernel file registers its ops in a Register*Kernels function that
// cpu_fallback/register_all.cc calls; backends never touch this table.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/kernel.h"
#include "rnnlite/graph.h"

namespace rnnlite {

using KernelFactory = std::function<std::unique_ptr<OpKernel>()>;

class OpRegistry {
 public:
  void Register(Op op, KernelFactory factory);
  void RegisterCustom(const std::string& custom_code, KernelFactory factory);

  // nullptr if nothing is registered for the node's op.
  const KernelFactory* Find(const Node& node) const;

  // The registry with every CPU reference kernel (built once, thread-safe).
  static const OpRegistry& Cpu();

 private:
  std::map<Op, KernelFactory> builtin_;
  std::map<std::string, KernelFactory> custom_;
};

template <typename KernelT>
KernelFactory MakeFactory() {
  return [] { return std::make_unique<KernelT>(); };
}

// Defined in src/cpu_fallback/register_all.cc.
void RegisterCpuKernels(OpRegistry& registry);

}  // namespace rnnlite
