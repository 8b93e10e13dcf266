#include "vulkan/vk_api.h"

#include <dlfcn.h>

#include <mutex>

namespace rnnlite::vk {
namespace {

struct Loader {
  void* handle = nullptr;
  PFN_vkGetInstanceProcAddr get_instance_proc = nullptr;
  std::string error;
};

// The loader is opened once and never closed: instances created by any
// delegate may still use it, and loaders keep process-wide state anyway.
const Loader& GetLoader() {
  static Loader loader;
  static std::once_flag once;
  std::call_once(once, [] {
    for (const char* name : {"libvulkan.so.1", "libvulkan.so"}) {
      dlerror();
      loader.handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
      if (loader.handle != nullptr) break;
      const char* err = dlerror();
      if (loader.error.empty()) loader.error = err ? err : "dlopen failed";
    }
    if (loader.handle == nullptr) return;
    loader.get_instance_proc =
        reinterpret_cast<PFN_vkGetInstanceProcAddr>(dlsym(loader.handle, "vkGetInstanceProcAddr"));
    if (loader.get_instance_proc == nullptr) loader.error = "the Vulkan loader has no vkGetInstanceProcAddr";
  });
  return loader;
}

}  // namespace

#define RNNLITE_VK_LOAD_GLOBAL(name)                                                           \
  api->name = reinterpret_cast<PFN_##name>(api->vkGetInstanceProcAddr(VK_NULL_HANDLE, #name)); \
  if (api->name == nullptr) return Unavailable("Vulkan loader lacks " #name);

#define RNNLITE_VK_LOAD_INSTANCE(name)                                                   \
  api->name = reinterpret_cast<PFN_##name>(api->vkGetInstanceProcAddr(instance, #name)); \
  if (api->name == nullptr) return Unavailable("Vulkan instance lacks " #name);

#define RNNLITE_VK_LOAD_DEVICE(name)                                               \
  api->name = reinterpret_cast<PFN_##name>(api->vkGetDeviceProcAddr(device, #name)); \
  if (api->name == nullptr) return Unavailable("Vulkan device lacks " #name);

Status LoadGlobalFunctions(Api* api) {
  const Loader& loader = GetLoader();
  if (loader.get_instance_proc == nullptr) {
    return Unavailable("no Vulkan loader (libvulkan.so.1): " + loader.error);
  }
  api->vkGetInstanceProcAddr = loader.get_instance_proc;
  RNNLITE_VK_GLOBAL_FNS(RNNLITE_VK_LOAD_GLOBAL)
  return Status::Ok();
}

Status LoadInstanceFunctions(VkInstance instance, Api* api) {
  RNNLITE_VK_INSTANCE_FNS(RNNLITE_VK_LOAD_INSTANCE)
  // Optional: present only when VK_EXT_debug_utils was enabled.
  api->vkCreateDebugUtilsMessengerEXT = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
      api->vkGetInstanceProcAddr(instance, "vkCreateDebugUtilsMessengerEXT"));
  api->vkDestroyDebugUtilsMessengerEXT = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
      api->vkGetInstanceProcAddr(instance, "vkDestroyDebugUtilsMessengerEXT"));
  return Status::Ok();
}

Status LoadDeviceFunctions(VkDevice device, Api* api) {
  RNNLITE_VK_DEVICE_FNS(RNNLITE_VK_LOAD_DEVICE)
  return Status::Ok();
}

const char* ResultName(VkResult result) {
  switch (result) {
#define RNNLITE_VK_RESULT_CASE(r) \
  case r: return #r;
    RNNLITE_VK_RESULT_CASE(VK_SUCCESS)
    RNNLITE_VK_RESULT_CASE(VK_NOT_READY)
    RNNLITE_VK_RESULT_CASE(VK_TIMEOUT)
    RNNLITE_VK_RESULT_CASE(VK_INCOMPLETE)
    RNNLITE_VK_RESULT_CASE(VK_ERROR_OUT_OF_HOST_MEMORY)
    RNNLITE_VK_RESULT_CASE(VK_ERROR_OUT_OF_DEVICE_MEMORY)
    RNNLITE_VK_RESULT_CASE(VK_ERROR_INITIALIZATION_FAILED)
    RNNLITE_VK_RESULT_CASE(VK_ERROR_DEVICE_LOST)
    RNNLITE_VK_RESULT_CASE(VK_ERROR_MEMORY_MAP_FAILED)
    RNNLITE_VK_RESULT_CASE(VK_ERROR_LAYER_NOT_PRESENT)
    RNNLITE_VK_RESULT_CASE(VK_ERROR_EXTENSION_NOT_PRESENT)
    RNNLITE_VK_RESULT_CASE(VK_ERROR_FEATURE_NOT_PRESENT)
    RNNLITE_VK_RESULT_CASE(VK_ERROR_INCOMPATIBLE_DRIVER)
    RNNLITE_VK_RESULT_CASE(VK_ERROR_TOO_MANY_OBJECTS)
    RNNLITE_VK_RESULT_CASE(VK_ERROR_FORMAT_NOT_SUPPORTED)
    RNNLITE_VK_RESULT_CASE(VK_ERROR_FRAGMENTED_POOL)
    RNNLITE_VK_RESULT_CASE(VK_ERROR_OUT_OF_POOL_MEMORY)
#undef RNNLITE_VK_RESULT_CASE
    default: return "VkResult(unknown)";
  }
}

Status ResultStatus(const char* what, VkResult result) {
  std::string msg = std::string(what) + " failed: " + ResultName(result) + " (" +
                    std::to_string(static_cast<int>(result)) + ")";
  switch (result) {
    case VK_ERROR_OUT_OF_HOST_MEMORY:
    case VK_ERROR_OUT_OF_DEVICE_MEMORY:
    case VK_ERROR_OUT_OF_POOL_MEMORY:
    case VK_ERROR_TOO_MANY_OBJECTS:
      return ResourceExhausted(msg);
    case VK_ERROR_DEVICE_LOST:
    case VK_ERROR_INCOMPATIBLE_DRIVER:
    case VK_ERROR_INITIALIZATION_FAILED:
    case VK_ERROR_LAYER_NOT_PRESENT:
    case VK_ERROR_EXTENSION_NOT_PRESENT:
      return Unavailable(msg);
    default:
      return Internal(msg);
  }
}

}  // namespace rnnlite::vk
