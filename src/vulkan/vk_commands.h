// Command recording: barriers, copies, dispatches, and a CommandStream that
// owns one command buffer + fence per partition (one submit per chunk).
#pragma once

#include <cstdint>

#include "vulkan/vk_context.h"

namespace rnnlite::vk {

struct Kernel;

enum class BarrierKind {
  kPreviousWork,       // at the start of a command buffer: earlier submits' writes
  kTransferToCompute,  // uploads/copies before the shaders read them
  kComputeToCompute,   // one step's writes before the next step reads
  kComputeToTransfer,  // shader results (and earlier copies) before a copy
  kTransferToHost,     // copies (and everything before) before the host reads
};

void Barrier(const Api& api, VkCommandBuffer cb, BarrierKind kind);
void CopyBuffer(const Api& api, VkCommandBuffer cb, VkBuffer src, VkDeviceSize src_offset, VkBuffer dst,
                VkDeviceSize dst_offset, VkDeviceSize bytes);

class CommandStream {
 public:
  explicit CommandStream(Context& ctx) : ctx_(ctx) {}
  ~CommandStream();
  CommandStream(const CommandStream&) = delete;
  CommandStream& operator=(const CommandStream&) = delete;

  Status Init();
  Status Begin();
  void Barrier(BarrierKind kind);
  void Copy(VkBuffer src, VkDeviceSize src_offset, VkBuffer dst, VkDeviceSize dst_offset, VkDeviceSize bytes);
  // Binds `kernel` (skipped when already bound) and `set`, pushes `push`
  // (kernel.push_bytes bytes) and dispatches the group counts.
  void Dispatch(const Kernel& kernel, VkDescriptorSet set, const void* push, uint32_t gx, uint32_t gy,
                uint32_t gz);
  // Ends, submits, waits. The stream can Begin again afterwards.
  Status SubmitAndWait();

 private:
  Context& ctx_;
  VkCommandPool pool_ = VK_NULL_HANDLE;
  VkCommandBuffer cb_ = VK_NULL_HANDLE;
  VkFence fence_ = VK_NULL_HANDLE;
  VkPipeline bound_pipeline_ = VK_NULL_HANDLE;
  VkDescriptorSet bound_set_ = VK_NULL_HANDLE;
  bool recording_ = false;
};

}  // namespace rnnlite::vk
