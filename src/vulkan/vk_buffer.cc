#include "vulkan/vk_buffer.h"

#include <cstring>

#include "vulkan/vk_commands.h"

namespace rnnlite::vk {

Buffer& Buffer::operator=(Buffer&& other) noexcept {
  if (this != &other) {
    Reset();
    ctx_ = other.ctx_;
    api_ = other.api_;
    device_ = other.device_;
    buffer_ = other.buffer_;
    memory_ = other.memory_;
    size_ = other.size_;
    mapped_ = other.mapped_;
    allocated_ = other.allocated_;
    other.allocated_ = 0;
    other.buffer_ = VK_NULL_HANDLE;
    other.memory_ = VK_NULL_HANDLE;
    other.mapped_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

void Buffer::Reset() {
  if (api_ == nullptr) return;
  if (mapped_ != nullptr) api_->vkUnmapMemory(device_, memory_);
  if (buffer_ != VK_NULL_HANDLE) api_->vkDestroyBuffer(device_, buffer_, nullptr);
  if (memory_ != VK_NULL_HANDLE) api_->vkFreeMemory(device_, memory_, nullptr);
  if (allocated_ > 0 && ctx_ != nullptr) ctx_->OnFreed(allocated_);
  allocated_ = 0;
  buffer_ = VK_NULL_HANDLE;
  memory_ = VK_NULL_HANDLE;
  mapped_ = nullptr;
  size_ = 0;
}

StatusOr<Buffer> Buffer::Create(Context& ctx, VkDeviceSize bytes, MemoryKind kind) {
  const Api& api = ctx.api();
  if (ctx.faults().lost()) return ResultStatus("vkCreateBuffer", VK_ERROR_DEVICE_LOST);
  Buffer b;
  b.ctx_ = &ctx;
  b.api_ = &api;
  b.device_ = ctx.device();
  b.size_ = bytes < 16 ? 16 : (bytes + 15) / 16 * 16;
  VkBufferCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO;
  info.size = b.size_;
  info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
               VK_BUFFER_USAGE_TRANSFER_DST_BIT;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  RNNLITE_VK_CHECK(api.vkCreateBuffer(b.device_, &info, nullptr, &b.buffer_));
  VkMemoryRequirements req{};
  api.vkGetBufferMemoryRequirements(b.device_, b.buffer_, &req);
  RNNLITE_ASSIGN_OR_RETURN(uint32_t type, ctx.FindMemoryType(req.memoryTypeBits, kind == MemoryKind::kDevice,
                                                             kind != MemoryKind::kDevice,
                                                             kind == MemoryKind::kReadback));
  VkMemoryAllocateInfo alloc{};
  alloc.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO;
  alloc.allocationSize = req.size;
  alloc.memoryTypeIndex = type;
  // Out of memory surfaces here on real devices; the injector fails the
  // same call.
  VkResult r = ctx.faults().OnAllocate();
  if (r == VK_SUCCESS) r = api.vkAllocateMemory(b.device_, &alloc, nullptr, &b.memory_);
  if (r != VK_SUCCESS) return ResultStatus("vkAllocateMemory", r);
  b.allocated_ = req.size;
  ctx.OnAllocated(req.size);
  RNNLITE_VK_CHECK(api.vkBindBufferMemory(b.device_, b.buffer_, b.memory_, 0));
  if (ctx.IsHostVisible(type) && (kind != MemoryKind::kDevice || ctx.map_device_memory())) {
    RNNLITE_VK_CHECK(api.vkMapMemory(b.device_, b.memory_, 0, VK_WHOLE_SIZE, 0, &b.mapped_));
  }
  return b;
}

Status Buffer::Write(Context& ctx, VkDeviceSize offset, const void* data, size_t bytes) {
  if (bytes == 0) return Status::Ok();
  if (offset + bytes > size_) return Internal("buffer write past the end");
  // Mapped memory of a lost device holds nothing trustworthy.
  if (ctx.faults().lost()) return ResultStatus("writing a buffer", VK_ERROR_DEVICE_LOST);
  if (mapped_ != nullptr) {
    std::memcpy(static_cast<uint8_t*>(mapped_) + offset, data, bytes);
    return Status::Ok();
  }
  RNNLITE_ASSIGN_OR_RETURN(Buffer staging, Create(ctx, bytes, MemoryKind::kUpload));
  std::memcpy(staging.mapped(), data, bytes);
  return ctx.RunOnce([&](VkCommandBuffer cb) {
    CopyBuffer(ctx.api(), cb, staging.handle(), 0, buffer_, offset, bytes);
  });
}

Status Buffer::Read(Context& ctx, VkDeviceSize offset, void* data, size_t bytes) const {
  if (bytes == 0) return Status::Ok();
  if (offset + bytes > size_) return Internal("buffer read past the end");
  if (ctx.faults().lost()) return ResultStatus("reading a buffer", VK_ERROR_DEVICE_LOST);
  if (mapped_ != nullptr) {
    std::memcpy(data, static_cast<const uint8_t*>(mapped_) + offset, bytes);
    return Status::Ok();
  }
  RNNLITE_ASSIGN_OR_RETURN(Buffer staging, Create(ctx, bytes, MemoryKind::kReadback));
  RNNLITE_RETURN_IF_ERROR(ctx.RunOnce([&](VkCommandBuffer cb) {
    CopyBuffer(ctx.api(), cb, buffer_, offset, staging.handle(), 0, bytes);
    Barrier(ctx.api(), cb, BarrierKind::kTransferToHost);
  }));
  std::memcpy(data, staging.mapped(), bytes);
  return Status::Ok();
}

}  // namespace rnnlite::vk
