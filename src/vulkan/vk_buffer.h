// Storage buffers and the host <-> device copies around them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "vulkan/vk_context.h"

namespace rnnlite::vk {

enum class MemoryKind {
  kDevice,    // device-local; mapped too when the device memory is host-visible (UMA, lavapipe)
  kUpload,    // host-visible coherent: the host writes, the device reads
  kReadback,  // host-visible coherent, cached where possible: the device writes, the host reads
};

// A VkBuffer with its own memory (usage: storage + transfer src/dst).
// Move-only; frees on destruction. Sizes are rounded up to 16 bytes so
// empty tensors still get a valid buffer.
class Buffer {
 public:
  Buffer() = default;
  ~Buffer() { Reset(); }
  Buffer(Buffer&& other) noexcept { *this = std::move(other); }
  Buffer& operator=(Buffer&& other) noexcept;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  static StatusOr<Buffer> Create(Context& ctx, VkDeviceSize bytes, MemoryKind kind);

  VkBuffer handle() const { return buffer_; }
  VkDeviceSize size() const { return size_; }
  bool valid() const { return buffer_ != VK_NULL_HANDLE; }
  // Host pointer, or nullptr when the memory is not host-visible.
  void* mapped() const { return mapped_; }
  template <typename T>
  T* as() const { return static_cast<T*>(mapped_); }

  // Host -> buffer and buffer -> host at `offset`: a memcpy when mapped,
  // else through a temporary staging buffer and a one-off submit.
  Status Write(Context& ctx, VkDeviceSize offset, const void* data, size_t bytes);
  Status Read(Context& ctx, VkDeviceSize offset, void* data, size_t bytes) const;

 private:
  void Reset();

  Context* ctx_ = nullptr;
  const Api* api_ = nullptr;
  VkDevice device_ = VK_NULL_HANDLE;
  VkBuffer buffer_ = VK_NULL_HANDLE;
  VkDeviceMemory memory_ = VK_NULL_HANDLE;
  VkDeviceSize size_ = 0;
  VkDeviceSize allocated_ = 0;  // bytes of memory_, counted in the context's stats
  void* mapped_ = nullptr;
};

}  // namespace rnnlite::vk
