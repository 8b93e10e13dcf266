// One Vulkan device for the plugin: instance, physical-device choice, logical
// device, compute queue, the limits the backend plans with, optional
// validation, and the pipeline cache. Shared (shared_ptr) by the delegate
// and every partition it compiles, so whichever is destroyed last tears the
// device down.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rnnlite/status.h"
#include "vulkan/vk_api.h"
#include "vulkan/vk_fault.h"

namespace rnnlite::vk {

struct ContextOptions {
  // CPU-type devices (Mesa lavapipe) are skipped unless allowed.
  bool allow_cpu_device = false;
  // Index into the eligible devices, best first (discrete, integrated,
  // virtual, other, CPU).
  int device_index = 0;
  // "1": enable VK_LAYER_KHRONOS_validation (error if absent); "auto": enable
  // it when installed; "0": never. Validation errors fail the next submit.
  std::string validation = "0";
  // false: device-local buffers are never mapped, even where the memory is
  // host-visible (lavapipe, UMA), so every upload and read-back goes through
  // staging copies as on a discrete GPU. A test knob.
  bool map_device_memory = true;
  // Precision::kFp16 asked for: enable 16-bit storage when the device has it
  // (DeviceCaps::fp16_storage), else stay fp32 and say so in precision_note.
  bool want_fp16 = false;
  // Test knob: behave as if the device lacked 16-bit storage.
  bool hide_fp16 = false;
  // Test knob: injected faults (vk_fault.h), e.g. "oom@prepare".
  std::string test_fault;
  int test_fault_skip = 0;
};

// What the backend needs to know about the device to plan work.
struct DeviceCaps {
  std::string name;
  VkPhysicalDeviceType type = VK_PHYSICAL_DEVICE_TYPE_OTHER;
  uint32_t api_version = 0;
  uint32_t max_workgroup_size[3] = {0, 0, 0};
  uint32_t max_workgroup_invocations = 0;
  uint32_t max_workgroup_count[3] = {0, 0, 0};
  uint32_t max_shared_memory = 0;
  uint32_t max_storage_buffer_range = 0;
  uint32_t max_storage_buffers_per_stage = 0;
  uint32_t max_push_constants = 0;
  uint32_t max_allocation_count = 0;
  VkDeviceSize device_memory_bytes = 0;  // largest device-local heap
  // Workgroup sizes chosen for this device (see Context::Create).
  uint32_t step_workgroup = 64;  // 1-D step shaders
  uint32_t gemm_tile = 16;       // gemm tile edge (tile^2 invocations)
  bool validation = false;
  // storageBuffer16BitAccess enabled: weights may be stored as fp16.
  bool fp16_storage = false;
  // Why fp16 was asked for but not enabled (empty otherwise).
  std::string precision_note;
};

class Kernels;

class Context {
 public:
  static StatusOr<std::shared_ptr<Context>> Create(const ContextOptions& options);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  const Api& api() const { return api_; }
  VkDevice device() const { return device_; }
  uint32_t queue_family() const { return queue_family_; }
  const DeviceCaps& caps() const { return caps_; }
  // "llvmpipe (LLVM 15.0.6, 256 bits) [CPU, Vulkan 1.3.230]"
  std::string Describe() const;
  Kernels& kernels() { return *kernels_; }

  // A memory type for a buffer with `type_bits`. Host-visible types are
  // always HOST_COHERENT (the backend never flushes). `prefer_cached` asks
  // for HOST_CACHED (read-back buffers).
  StatusOr<uint32_t> FindMemoryType(uint32_t type_bits, bool device_local, bool host_visible,
                                    bool prefer_cached) const;
  bool IsHostVisible(uint32_t memory_type) const;
  bool map_device_memory() const { return map_device_memory_; }

  // Submits one command buffer and waits for `fence` (queue access is
  // serialized across partitions). Fails with the validation layer's first
  // message if validation reported an error since the last submit.
  Status SubmitAndWait(VkCommandBuffer cb, VkFence fence);
  // Records `record` into a one-off command buffer and runs it (uploads and
  // read-backs outside Invoke).
  Status RunOnce(const std::function<void(VkCommandBuffer)>& record);
  // Validation errors reported since the last call, as one Status.
  Status TakeValidationErrors();

  FaultInjector& faults() { return faults_; }
  // Every VkDeviceMemory this context holds (device-local and host-visible
  // staging alike), and the high-water mark since it was created.
  void OnAllocated(VkDeviceSize bytes);
  void OnFreed(VkDeviceSize bytes);
  uint64_t allocated_bytes() const { return allocated_.load(std::memory_order_relaxed); }
  uint64_t peak_bytes() const { return peak_.load(std::memory_order_relaxed); }

 private:
  Context() = default;
  Status Init(const ContextOptions& options);
  Status CreateInstance(const ContextOptions& options);
  Status PickDevice(const ContextOptions& options);
  void QueryFp16(const ContextOptions& options);
  Status CreateDevice();
  void FillCaps(const VkPhysicalDeviceProperties& props);
  static VKAPI_ATTR VkBool32 VKAPI_CALL OnDebugMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                       VkDebugUtilsMessageTypeFlagsEXT types,
                                                       const VkDebugUtilsMessengerCallbackDataEXT* data,
                                                       void* user);

  Api api_;
  VkInstance instance_ = VK_NULL_HANDLE;
  uint32_t instance_version_ = VK_API_VERSION_1_0;
  VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
  VkPhysicalDevice physical_ = VK_NULL_HANDLE;
  VkPhysicalDeviceMemoryProperties memory_{};
  VkDevice device_ = VK_NULL_HANDLE;
  VkQueue queue_ = VK_NULL_HANDLE;
  uint32_t queue_family_ = 0;
  DeviceCaps caps_;
  bool map_device_memory_ = true;
  std::unique_ptr<Kernels> kernels_;

  std::mutex queue_mutex_;
  // One-off submissions (RunOnce) share this pool, guarded by queue_mutex_.
  VkCommandPool once_pool_ = VK_NULL_HANDLE;
  VkCommandBuffer once_cb_ = VK_NULL_HANDLE;
  VkFence once_fence_ = VK_NULL_HANDLE;

  FaultInjector faults_;
  std::atomic<uint64_t> allocated_{0};
  std::atomic<uint64_t> peak_{0};

  std::mutex validation_mutex_;
  std::vector<std::string> validation_errors_;
};

}  // namespace rnnlite::vk
