// The Vulkan entry points the plugin uses, resolved at run time.
//
// The plugin never links libvulkan: OpenVulkanLoader() dlopens
// "libvulkan.so.1" once per process, and the instance- and device-level
// functions are fetched through vkGetInstanceProcAddr / vkGetDeviceProcAddr
// into an Api table owned by each Context. A missing loader or function is a
// Status, never a crash.
#pragma once

#include <vulkan/vulkan.h>

#include <string>

#include "rnnlite/status.h"

namespace rnnlite::vk {

// Functions callable before an instance exists.
#define RNNLITE_VK_GLOBAL_FNS(X)          \
  X(vkCreateInstance)                     \
  X(vkEnumerateInstanceLayerProperties)   \
  X(vkEnumerateInstanceExtensionProperties)

#define RNNLITE_VK_INSTANCE_FNS(X)            \
  X(vkDestroyInstance)                        \
  X(vkEnumeratePhysicalDevices)               \
  X(vkGetPhysicalDeviceProperties)            \
  X(vkGetPhysicalDeviceFeatures)              \
  X(vkGetPhysicalDeviceQueueFamilyProperties) \
  X(vkGetPhysicalDeviceMemoryProperties)      \
  X(vkCreateDevice)                           \
  X(vkGetDeviceProcAddr)

#define RNNLITE_VK_DEVICE_FNS(X)     \
  X(vkDestroyDevice)                 \
  X(vkGetDeviceQueue)                \
  X(vkDeviceWaitIdle)                \
  X(vkCreateBuffer)                  \
  X(vkDestroyBuffer)                 \
  X(vkGetBufferMemoryRequirements)   \
  X(vkAllocateMemory)                \
  X(vkFreeMemory)                    \
  X(vkBindBufferMemory)              \
  X(vkMapMemory)                     \
  X(vkUnmapMemory)                   \
  X(vkCreateShaderModule)            \
  X(vkDestroyShaderModule)           \
  X(vkCreateDescriptorSetLayout)     \
  X(vkDestroyDescriptorSetLayout)    \
  X(vkCreatePipelineLayout)          \
  X(vkDestroyPipelineLayout)         \
  X(vkCreateComputePipelines)        \
  X(vkDestroyPipeline)               \
  X(vkCreateDescriptorPool)          \
  X(vkDestroyDescriptorPool)         \
  X(vkAllocateDescriptorSets)        \
  X(vkUpdateDescriptorSets)          \
  X(vkCreateCommandPool)             \
  X(vkDestroyCommandPool)            \
  X(vkAllocateCommandBuffers)        \
  X(vkResetCommandBuffer)            \
  X(vkBeginCommandBuffer)            \
  X(vkEndCommandBuffer)              \
  X(vkCmdBindPipeline)               \
  X(vkCmdBindDescriptorSets)         \
  X(vkCmdPushConstants)              \
  X(vkCmdDispatch)                   \
  X(vkCmdPipelineBarrier)            \
  X(vkCmdCopyBuffer)                 \
  X(vkCmdFillBuffer)                 \
  X(vkCreateFence)                   \
  X(vkDestroyFence)                  \
  X(vkResetFences)                   \
  X(vkWaitForFences)                 \
  X(vkQueueSubmit)

#define RNNLITE_VK_DECLARE_FN(name) PFN_##name name = nullptr;

struct Api {
  PFN_vkGetInstanceProcAddr vkGetInstanceProcAddr = nullptr;
  RNNLITE_VK_GLOBAL_FNS(RNNLITE_VK_DECLARE_FN)
  RNNLITE_VK_INSTANCE_FNS(RNNLITE_VK_DECLARE_FN)
  RNNLITE_VK_DEVICE_FNS(RNNLITE_VK_DECLARE_FN)
  // VK_EXT_debug_utils (validation runs only).
  PFN_vkCreateDebugUtilsMessengerEXT vkCreateDebugUtilsMessengerEXT = nullptr;
  PFN_vkDestroyDebugUtilsMessengerEXT vkDestroyDebugUtilsMessengerEXT = nullptr;
};

// Opens the Vulkan loader (once per process; it stays loaded, as loaders are
// meant to) and fills the global functions of `api`.
Status LoadGlobalFunctions(Api* api);
Status LoadInstanceFunctions(VkInstance instance, Api* api);
Status LoadDeviceFunctions(VkDevice device, Api* api);

// "VK_ERROR_OUT_OF_DEVICE_MEMORY".
const char* ResultName(VkResult result);
// A Status for a failed call: out-of-memory results map to
// ResourceExhausted, a lost device or missing driver to Unavailable, the rest
// to Internal.
Status ResultStatus(const char* what, VkResult result);

}  // namespace rnnlite::vk

// Every Vulkan call that returns VkResult goes through this.
#define RNNLITE_VK_CHECK(call)                                                          \
  do {                                                                                  \
    VkResult rnnlite_vk_result_ = (call);                                               \
    if (rnnlite_vk_result_ != VK_SUCCESS) return ::rnnlite::vk::ResultStatus(#call, rnnlite_vk_result_); \
  } while (0)
