// Compute pipelines built from the embedded SPIR-V, cached per device by
// (shader, specialization constants), and descriptor sets for them.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "vulkan/vk_context.h"

namespace rnnlite::vk {

enum class ShaderId { kGemm, kLstmStep, kLstmLayerNorm, kLstmProject, kGruStep, kRnnStep };

// SPIR-V words of a shader (shaders.cc) and its interface. `fp16_weights`
// picks the variant whose weight buffer (gemm W, step shaders' matrix) holds
// fp16 values; it needs storageBuffer16BitAccess (DeviceCaps::fp16_storage).
struct ShaderInfo {
  const char* name;
  const uint32_t* words;
  size_t word_count;
  uint32_t bindings;    // storage buffers 0..bindings-1 in set 0
  uint32_t push_bytes;  // push-constant block size
};
const ShaderInfo& GetShader(ShaderId id, bool fp16_weights = false);

struct Kernel {
  VkDescriptorSetLayout set_layout = VK_NULL_HANDLE;
  VkPipelineLayout layout = VK_NULL_HANDLE;
  VkPipeline pipeline = VK_NULL_HANDLE;
  uint32_t bindings = 0;
  uint32_t push_bytes = 0;
};

class Kernels {
 public:
  explicit Kernels(Context* ctx) : ctx_(ctx) {}
  ~Kernels();
  // The pipeline for `id` with specialization constants 0..n-1 = `spec`
  // (constant 0 is the workgroup size), fp32 or fp16-weight variant. Built
  // on first use; thread-safe.
  StatusOr<const Kernel*> Get(ShaderId id, const std::vector<uint32_t>& spec, bool fp16_weights = false);

 private:
  Status Build(ShaderId id, const std::vector<uint32_t>& spec, bool fp16_weights, Kernel* k);
  void Destroy(Kernel& k);

  Context* ctx_;
  std::mutex mutex_;
  std::map<std::pair<int, std::vector<uint32_t>>, std::unique_ptr<Kernel>> cache_;
};

// A descriptor pool sized for a node's sets; sets are written once per
// Prepare (buffers change only then).
class DescriptorPool {
 public:
  explicit DescriptorPool(Context& ctx) : ctx_(ctx) {}
  ~DescriptorPool();
  DescriptorPool(const DescriptorPool&) = delete;
  DescriptorPool& operator=(const DescriptorPool&) = delete;

  Status Init(uint32_t max_sets, uint32_t max_buffers);
  // Allocates a set for `kernel` binding `buffers[i]` (whole buffer) to i.
  StatusOr<VkDescriptorSet> Allocate(const Kernel& kernel, const std::vector<VkBuffer>& buffers);

 private:
  Context& ctx_;
  VkDescriptorPool pool_ = VK_NULL_HANDLE;
};

}  // namespace rnnlite::vk
