#include "vulkan/vk_commands.h"

#include "vulkan/vk_pipeline.h"

namespace rnnlite::vk {

void Barrier(const Api& api, VkCommandBuffer cb, BarrierKind kind) {
  VkMemoryBarrier b{};
  b.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER;
  VkPipelineStageFlags src = 0, dst = 0;
  switch (kind) {
    case BarrierKind::kPreviousWork:
      src = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
      dst = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
      b.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
      b.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT |
                        VK_ACCESS_TRANSFER_WRITE_BIT;
      break;
    case BarrierKind::kTransferToCompute:
      src = VK_PIPELINE_STAGE_TRANSFER_BIT;
      dst = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT;
      b.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
      b.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT;
      break;
    case BarrierKind::kComputeToCompute:
      src = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT;
      dst = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT;
      b.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT;
      b.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT;
      break;
    case BarrierKind::kComputeToTransfer:
      src = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
      dst = VK_PIPELINE_STAGE_TRANSFER_BIT;
      b.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
      b.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
      break;
    case BarrierKind::kTransferToHost:
      src = VK_PIPELINE_STAGE_TRANSFER_BIT | VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT;
      dst = VK_PIPELINE_STAGE_HOST_BIT;
      b.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT | VK_ACCESS_SHADER_WRITE_BIT;
      b.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
      break;
  }
  api.vkCmdPipelineBarrier(cb, src, dst, 0, 1, &b, 0, nullptr, 0, nullptr);
}

void CopyBuffer(const Api& api, VkCommandBuffer cb, VkBuffer src, VkDeviceSize src_offset, VkBuffer dst,
                VkDeviceSize dst_offset, VkDeviceSize bytes) {
  if (bytes == 0) return;
  VkBufferCopy region{src_offset, dst_offset, bytes};
  api.vkCmdCopyBuffer(cb, src, dst, 1, &region);
}

CommandStream::~CommandStream() {
  const Api& api = ctx_.api();
  if (fence_ != VK_NULL_HANDLE) api.vkDestroyFence(ctx_.device(), fence_, nullptr);
  if (pool_ != VK_NULL_HANDLE) api.vkDestroyCommandPool(ctx_.device(), pool_, nullptr);
}

Status CommandStream::Init() {
  const Api& api = ctx_.api();
  VkCommandPoolCreateInfo pool{};
  pool.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO;
  pool.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  pool.queueFamilyIndex = ctx_.queue_family();
  RNNLITE_VK_CHECK(api.vkCreateCommandPool(ctx_.device(), &pool, nullptr, &pool_));
  VkCommandBufferAllocateInfo alloc{};
  alloc.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO;
  alloc.commandPool = pool_;
  alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  alloc.commandBufferCount = 1;
  RNNLITE_VK_CHECK(api.vkAllocateCommandBuffers(ctx_.device(), &alloc, &cb_));
  VkFenceCreateInfo fence{};
  fence.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO;
  RNNLITE_VK_CHECK(api.vkCreateFence(ctx_.device(), &fence, nullptr, &fence_));
  return Status::Ok();
}

Status CommandStream::Begin() {
  if (cb_ == VK_NULL_HANDLE) return FailedPrecondition("command stream not initialized");
  const Api& api = ctx_.api();
  RNNLITE_VK_CHECK(api.vkResetCommandBuffer(cb_, 0));
  VkCommandBufferBeginInfo begin{};
  begin.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO;
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  RNNLITE_VK_CHECK(api.vkBeginCommandBuffer(cb_, &begin));
  bound_pipeline_ = VK_NULL_HANDLE;
  bound_set_ = VK_NULL_HANDLE;
  recording_ = true;
  // Orders this submit after the writes of the previous one (the host waited
  // on its fence, which orders execution but makes nothing visible).
  vk::Barrier(api, cb_, BarrierKind::kPreviousWork);
  return Status::Ok();
}

void CommandStream::Barrier(BarrierKind kind) { vk::Barrier(ctx_.api(), cb_, kind); }

void CommandStream::Copy(VkBuffer src, VkDeviceSize src_offset, VkBuffer dst, VkDeviceSize dst_offset,
                         VkDeviceSize bytes) {
  CopyBuffer(ctx_.api(), cb_, src, src_offset, dst, dst_offset, bytes);
}

void CommandStream::Dispatch(const Kernel& kernel, VkDescriptorSet set, const void* push, uint32_t gx,
                             uint32_t gy, uint32_t gz) {
  const Api& api = ctx_.api();
  if (bound_pipeline_ != kernel.pipeline) {
    api.vkCmdBindPipeline(cb_, VK_PIPELINE_BIND_POINT_COMPUTE, kernel.pipeline);
    bound_pipeline_ = kernel.pipeline;
    bound_set_ = VK_NULL_HANDLE;
  }
  if (bound_set_ != set) {
    api.vkCmdBindDescriptorSets(cb_, VK_PIPELINE_BIND_POINT_COMPUTE, kernel.layout, 0, 1, &set, 0, nullptr);
    bound_set_ = set;
  }
  if (kernel.push_bytes > 0) {
    api.vkCmdPushConstants(cb_, kernel.layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, kernel.push_bytes, push);
  }
  if (gx > 0 && gy > 0 && gz > 0) api.vkCmdDispatch(cb_, gx, gy, gz);
}

Status CommandStream::SubmitAndWait() {
  if (!recording_) return FailedPrecondition("SubmitAndWait without Begin");
  recording_ = false;
  RNNLITE_VK_CHECK(ctx_.api().vkEndCommandBuffer(cb_));
  return ctx_.SubmitAndWait(cb_, fence_);
}

}  // namespace rnnlite::vk
