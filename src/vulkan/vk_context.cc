#include "vulkan/vk_context.h"

#include <algorithm>
#include <cstring>

#include "vulkan/vk_commands.h"
#include "vulkan/vk_pipeline.h"

namespace rnnlite::vk {
namespace {

constexpr const char* kValidationLayer = "VK_LAYER_KHRONOS_validation";

// Lower is better; CPU devices last (and only when allowed).
int TypeRank(VkPhysicalDeviceType type) {
  switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return 0;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return 1;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return 2;
    case VK_PHYSICAL_DEVICE_TYPE_OTHER: return 3;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return 4;
    default: return 3;
  }
}

const char* TypeName(VkPhysicalDeviceType type) {
  switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return "discrete GPU";
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return "integrated GPU";
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return "virtual GPU";
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return "CPU";
    default: return "other";
  }
}

bool HasComputeQueue(const Api& api, VkPhysicalDevice dev, uint32_t* family) {
  uint32_t count = 0;
  api.vkGetPhysicalDeviceQueueFamilyProperties(dev, &count, nullptr);
  std::vector<VkQueueFamilyProperties> props(count);
  api.vkGetPhysicalDeviceQueueFamilyProperties(dev, &count, props.data());
  // Prefer a compute queue without graphics (async compute), else any.
  int best = -1;
  for (uint32_t i = 0; i < count; ++i) {
    if (!(props[i].queueFlags & VK_QUEUE_COMPUTE_BIT) || props[i].queueCount == 0) continue;
    if (best < 0 || !(props[i].queueFlags & VK_QUEUE_GRAPHICS_BIT)) best = static_cast<int>(i);
  }
  if (best < 0) return false;
  *family = static_cast<uint32_t>(best);
  return true;
}

}  // namespace

StatusOr<std::shared_ptr<Context>> Context::Create(const ContextOptions& options) {
  std::shared_ptr<Context> ctx(new Context());
  RNNLITE_RETURN_IF_ERROR(ctx->Init(options));
  return ctx;
}

Status Context::Init(const ContextOptions& options) {
  map_device_memory_ = options.map_device_memory;
  RNNLITE_RETURN_IF_ERROR(faults_.Configure(options.test_fault, options.test_fault_skip));
  RNNLITE_RETURN_IF_ERROR(LoadGlobalFunctions(&api_));
  RNNLITE_RETURN_IF_ERROR(CreateInstance(options));
  RNNLITE_RETURN_IF_ERROR(PickDevice(options));
  QueryFp16(options);
  RNNLITE_RETURN_IF_ERROR(CreateDevice());
  kernels_ = std::make_unique<Kernels>(this);
  return TakeValidationErrors();
}

Status Context::CreateInstance(const ContextOptions& options) {
  bool want_validation = false;
  if (options.validation == "1" || options.validation == "auto") {
    uint32_t count = 0;
    RNNLITE_VK_CHECK(api_.vkEnumerateInstanceLayerProperties(&count, nullptr));
    std::vector<VkLayerProperties> layers(count);
    RNNLITE_VK_CHECK(api_.vkEnumerateInstanceLayerProperties(&count, layers.data()));
    for (const auto& l : layers) want_validation |= std::strcmp(l.layerName, kValidationLayer) == 0;
    if (!want_validation && options.validation == "1") {
      return Unavailable(std::string("validation requested but ") + kValidationLayer +
                         " is not installed (Debian: vulkan-validationlayers)");
    }
  }
  VkApplicationInfo app{};
  app.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO;
  app.pApplicationName = "rnnlite";
  app.pEngineName = "rnnlite-vulkan";
  app.apiVersion = VK_API_VERSION_1_0;  // fp32 needs nothing newer
  // fp16 storage is core in 1.1 (features queried with
  // vkGetPhysicalDeviceFeatures2); ask for 1.1 only when fp16 is wanted and
  // the loader has it, so the fp32 path is exactly what it always was.
  if (options.want_fp16) {
    auto enumerate_version = reinterpret_cast<PFN_vkEnumerateInstanceVersion>(
        api_.vkGetInstanceProcAddr(VK_NULL_HANDLE, "vkEnumerateInstanceVersion"));
    uint32_t loader_version = VK_API_VERSION_1_0;
    if (enumerate_version != nullptr && enumerate_version(&loader_version) == VK_SUCCESS &&
        loader_version >= VK_API_VERSION_1_1) {
      app.apiVersion = VK_API_VERSION_1_1;
    }
  }
  instance_version_ = app.apiVersion;

  std::vector<const char*> layers, extensions;
  VkDebugUtilsMessengerCreateInfoEXT messenger_info{};
  messenger_info.sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT;
  messenger_info.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
  messenger_info.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                               VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                               VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
  messenger_info.pfnUserCallback = &Context::OnDebugMessage;
  messenger_info.pUserData = this;
  if (want_validation) {
    layers.push_back(kValidationLayer);
    extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
  }
  VkInstanceCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO;
  info.pApplicationInfo = &app;
  info.enabledLayerCount = static_cast<uint32_t>(layers.size());
  info.ppEnabledLayerNames = layers.data();
  info.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
  info.ppEnabledExtensionNames = extensions.data();
  if (want_validation) info.pNext = &messenger_info;  // also covers instance creation
  RNNLITE_VK_CHECK(api_.vkCreateInstance(&info, nullptr, &instance_));
  RNNLITE_RETURN_IF_ERROR(LoadInstanceFunctions(instance_, &api_));
  if (want_validation) {
    if (api_.vkCreateDebugUtilsMessengerEXT == nullptr) return Unavailable("VK_EXT_debug_utils is not available");
    RNNLITE_VK_CHECK(api_.vkCreateDebugUtilsMessengerEXT(instance_, &messenger_info, nullptr, &messenger_));
    caps_.validation = true;
  }
  return Status::Ok();
}

Status Context::PickDevice(const ContextOptions& options) {
  uint32_t count = 0;
  RNNLITE_VK_CHECK(api_.vkEnumeratePhysicalDevices(instance_, &count, nullptr));
  std::vector<VkPhysicalDevice> devices(count);
  if (count > 0) RNNLITE_VK_CHECK(api_.vkEnumeratePhysicalDevices(instance_, &count, devices.data()));
  if (count == 0) return Unavailable("no Vulkan device (no ICD installed or no driver loaded)");

  struct Candidate {
    VkPhysicalDevice dev;
    VkPhysicalDeviceProperties props;
    uint32_t family;
  };
  std::vector<Candidate> eligible;
  std::string skipped;
  for (VkPhysicalDevice dev : devices) {
    Candidate c{dev, {}, 0};
    api_.vkGetPhysicalDeviceProperties(dev, &c.props);
    std::string label = std::string(c.props.deviceName) + " (" + TypeName(c.props.deviceType) + ")";
    if (faults_.no_compute_queue() || !HasComputeQueue(api_, dev, &c.family)) {
      skipped += "; " + label + ": no compute queue";
      continue;
    }
    if (c.props.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU && !options.allow_cpu_device) {
      skipped += "; " + label + ": CPU device, allowed only with allow_cpu_device=1 or RNNLITE_VULKAN_ALLOW_CPU=1";
      continue;
    }
    eligible.push_back(c);
  }
  std::stable_sort(eligible.begin(), eligible.end(), [](const Candidate& a, const Candidate& b) {
    return TypeRank(a.props.deviceType) < TypeRank(b.props.deviceType);
  });
  if (eligible.empty()) return Unavailable("no usable Vulkan device" + skipped);
  if (options.device_index < 0 || options.device_index >= static_cast<int>(eligible.size())) {
    return InvalidArgument("device_index " + std::to_string(options.device_index) + " out of range: " +
                           std::to_string(eligible.size()) + " usable Vulkan device(s)");
  }
  const Candidate& chosen = eligible[static_cast<size_t>(options.device_index)];
  physical_ = chosen.dev;
  queue_family_ = chosen.family;
  api_.vkGetPhysicalDeviceMemoryProperties(physical_, &memory_);
  FillCaps(chosen.props);
  return Status::Ok();
}

void Context::FillCaps(const VkPhysicalDeviceProperties& props) {
  const VkPhysicalDeviceLimits& l = props.limits;
  caps_.name = props.deviceName;
  caps_.type = props.deviceType;
  caps_.api_version = props.apiVersion;
  for (int i = 0; i < 3; ++i) {
    caps_.max_workgroup_size[i] = l.maxComputeWorkGroupSize[i];
    caps_.max_workgroup_count[i] = l.maxComputeWorkGroupCount[i];
  }
  caps_.max_workgroup_invocations = l.maxComputeWorkGroupInvocations;
  caps_.max_shared_memory = l.maxComputeSharedMemorySize;
  caps_.max_storage_buffer_range = l.maxStorageBufferRange;
  caps_.max_storage_buffers_per_stage = l.maxPerStageDescriptorStorageBuffers;
  caps_.max_push_constants = l.maxPushConstantsSize;
  caps_.max_allocation_count = l.maxMemoryAllocationCount;
  for (uint32_t h = 0; h < memory_.memoryHeapCount; ++h) {
    if (memory_.memoryHeaps[h].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) {
      caps_.device_memory_bytes = std::max(caps_.device_memory_bytes, memory_.memoryHeaps[h].size);
    }
  }
  // 64 lanes cover a warp/wavefront pair on every vendor; smaller only where
  // the device cannot do 64. The gemm tile is 16x16 (256 invocations) where
  // allowed, else 8x8 (64, within the guaranteed minimum of 128).
  caps_.step_workgroup = std::min<uint32_t>({64u, caps_.max_workgroup_size[0], caps_.max_workgroup_invocations});
  const bool big_tile = caps_.max_workgroup_invocations >= 256 && caps_.max_workgroup_size[0] >= 16 &&
                        caps_.max_workgroup_size[1] >= 16;
  caps_.gemm_tile = big_tile ? 16u : 8u;
}

void Context::QueryFp16(const ContextOptions& options) {
  if (!options.want_fp16) return;
  const std::string fallback = "; running fp32";
  if (options.hide_fp16) {
    caps_.precision_note = "fp16 requested, 16-bit storage hidden by hide_fp16=1" + fallback;
    return;
  }
  if (instance_version_ < VK_API_VERSION_1_1 || caps_.api_version < VK_API_VERSION_1_1) {
    caps_.precision_note = "fp16 requested, needs Vulkan 1.1 (16-bit storage)" + fallback;
    return;
  }
  auto features2 = reinterpret_cast<PFN_vkGetPhysicalDeviceFeatures2>(
      api_.vkGetInstanceProcAddr(instance_, "vkGetPhysicalDeviceFeatures2"));
  if (features2 == nullptr) {
    caps_.precision_note = "fp16 requested, vkGetPhysicalDeviceFeatures2 missing" + fallback;
    return;
  }
  VkPhysicalDevice16BitStorageFeatures storage16{};
  storage16.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES;
  VkPhysicalDeviceFeatures2 features{};
  features.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2;
  features.pNext = &storage16;
  features2(physical_, &features);
  if (storage16.storageBuffer16BitAccess != VK_TRUE) {
    caps_.precision_note = "fp16 requested, device lacks storageBuffer16BitAccess" + fallback;
    return;
  }
  caps_.fp16_storage = true;
}

Status Context::CreateDevice() {
  const float priority = 1.0f;
  VkDeviceQueueCreateInfo queue{};
  queue.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO;
  queue.queueFamilyIndex = queue_family_;
  queue.queueCount = 1;
  queue.pQueuePriorities = &priority;
  VkPhysicalDeviceFeatures features{};  // none needed
  VkDeviceCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO;
  info.queueCreateInfoCount = 1;
  info.pQueueCreateInfos = &queue;
  info.pEnabledFeatures = &features;
  VkPhysicalDevice16BitStorageFeatures storage16{};
  storage16.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES;
  if (caps_.fp16_storage) {
    storage16.storageBuffer16BitAccess = VK_TRUE;
    info.pNext = &storage16;
  }
  RNNLITE_VK_CHECK(api_.vkCreateDevice(physical_, &info, nullptr, &device_));
  RNNLITE_RETURN_IF_ERROR(LoadDeviceFunctions(device_, &api_));
  api_.vkGetDeviceQueue(device_, queue_family_, 0, &queue_);

  VkCommandPoolCreateInfo pool{};
  pool.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO;
  pool.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  pool.queueFamilyIndex = queue_family_;
  RNNLITE_VK_CHECK(api_.vkCreateCommandPool(device_, &pool, nullptr, &once_pool_));
  VkCommandBufferAllocateInfo alloc{};
  alloc.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO;
  alloc.commandPool = once_pool_;
  alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  alloc.commandBufferCount = 1;
  RNNLITE_VK_CHECK(api_.vkAllocateCommandBuffers(device_, &alloc, &once_cb_));
  VkFenceCreateInfo fence{};
  fence.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO;
  RNNLITE_VK_CHECK(api_.vkCreateFence(device_, &fence, nullptr, &once_fence_));
  return Status::Ok();
}

Context::~Context() {
  if (device_ != VK_NULL_HANDLE) {
    api_.vkDeviceWaitIdle(device_);
    kernels_.reset();
    if (once_fence_ != VK_NULL_HANDLE) api_.vkDestroyFence(device_, once_fence_, nullptr);
    if (once_pool_ != VK_NULL_HANDLE) api_.vkDestroyCommandPool(device_, once_pool_, nullptr);
    api_.vkDestroyDevice(device_, nullptr);
  }
  if (messenger_ != VK_NULL_HANDLE) api_.vkDestroyDebugUtilsMessengerEXT(instance_, messenger_, nullptr);
  if (instance_ != VK_NULL_HANDLE) api_.vkDestroyInstance(instance_, nullptr);
}

std::string Context::Describe() const {
  const uint32_t v = caps_.api_version;
  return caps_.name + " [" + TypeName(caps_.type) + ", Vulkan " + std::to_string(VK_API_VERSION_MAJOR(v)) + "." +
         std::to_string(VK_API_VERSION_MINOR(v)) + "." + std::to_string(VK_API_VERSION_PATCH(v)) +
         (caps_.validation ? ", validation on" : "") + (caps_.fp16_storage ? ", fp16 weights" : "") + "]" +
         (caps_.precision_note.empty() ? "" : " (" + caps_.precision_note + ")");
}

StatusOr<uint32_t> Context::FindMemoryType(uint32_t type_bits, bool device_local, bool host_visible,
                                           bool prefer_cached) const {
  int best = -1, best_score = -1;
  for (uint32_t i = 0; i < memory_.memoryTypeCount; ++i) {
    if (!(type_bits & (1u << i))) continue;
    const VkMemoryPropertyFlags f = memory_.memoryTypes[i].propertyFlags;
    const bool visible = (f & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) && (f & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
    if (host_visible && !visible) continue;
    int score = 0;
    if (device_local && (f & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT)) score += 4;
    if (prefer_cached && (f & VK_MEMORY_PROPERTY_HOST_CACHED_BIT)) score += 2;
    if (visible) score += 1;  // lets uploads skip the staging copy
    if (score > best_score) {
      best = static_cast<int>(i);
      best_score = score;
    }
  }
  if (best < 0) {
    return ResourceExhausted(std::string("no Vulkan memory type fits a ") +
                             (host_visible ? "host-visible coherent" : "device") + " buffer");
  }
  return static_cast<uint32_t>(best);
}

bool Context::IsHostVisible(uint32_t memory_type) const {
  const VkMemoryPropertyFlags f = memory_.memoryTypes[memory_type].propertyFlags;
  return (f & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) && (f & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
}

Status Context::SubmitAndWait(VkCommandBuffer cb, VkFence fence) {
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    VkSubmitInfo submit{};
    submit.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO;
    submit.commandBufferCount = 1;
    submit.pCommandBuffers = &cb;
    RNNLITE_VK_CHECK(api_.vkResetFences(device_, 1, &fence));
    VkResult r = faults_.OnSubmit();
    if (r == VK_SUCCESS) r = api_.vkQueueSubmit(queue_, 1, &submit, fence);
    if (r != VK_SUCCESS) return ResultStatus("vkQueueSubmit", r);
  }
  // The real wait comes first even when a loss is injected, so nothing the
  // device still executes is freed under it.
  VkResult r = api_.vkWaitForFences(device_, 1, &fence, VK_TRUE, UINT64_MAX);
  if (r == VK_SUCCESS) r = faults_.OnWait();
  if (r != VK_SUCCESS) return ResultStatus("vkWaitForFences", r);
  return TakeValidationErrors();
}

Status Context::RunOnce(const std::function<void(VkCommandBuffer)>& record) {
  std::lock_guard<std::mutex> lock(queue_mutex_);
  RNNLITE_VK_CHECK(api_.vkResetCommandBuffer(once_cb_, 0));
  VkCommandBufferBeginInfo begin{};
  begin.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO;
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  RNNLITE_VK_CHECK(api_.vkBeginCommandBuffer(once_cb_, &begin));
  Barrier(api_, once_cb_, BarrierKind::kPreviousWork);
  record(once_cb_);
  RNNLITE_VK_CHECK(api_.vkEndCommandBuffer(once_cb_));
  VkSubmitInfo submit{};
  submit.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO;
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &once_cb_;
  RNNLITE_VK_CHECK(api_.vkResetFences(device_, 1, &once_fence_));
  VkResult r = faults_.OnSubmit();
  if (r == VK_SUCCESS) r = api_.vkQueueSubmit(queue_, 1, &submit, once_fence_);
  if (r != VK_SUCCESS) return ResultStatus("vkQueueSubmit", r);
  r = api_.vkWaitForFences(device_, 1, &once_fence_, VK_TRUE, UINT64_MAX);
  if (r == VK_SUCCESS) r = faults_.OnWait();
  if (r != VK_SUCCESS) return ResultStatus("vkWaitForFences", r);
  return TakeValidationErrors();
}

void Context::OnAllocated(VkDeviceSize bytes) {
  const uint64_t now = allocated_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  uint64_t peak = peak_.load(std::memory_order_relaxed);
  while (now > peak && !peak_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
}

void Context::OnFreed(VkDeviceSize bytes) { allocated_.fetch_sub(bytes, std::memory_order_relaxed); }

Status Context::TakeValidationErrors() {
  std::lock_guard<std::mutex> lock(validation_mutex_);
  if (validation_errors_.empty()) return Status::Ok();
  std::string msg = "Vulkan validation error: " + validation_errors_.front();
  if (validation_errors_.size() > 1) msg += " (and " + std::to_string(validation_errors_.size() - 1) + " more)";
  validation_errors_.clear();
  return Internal(msg);
}

VKAPI_ATTR VkBool32 VKAPI_CALL Context::OnDebugMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                       VkDebugUtilsMessageTypeFlagsEXT,
                                                       const VkDebugUtilsMessengerCallbackDataEXT* data,
                                                       void* user) {
  if (!(severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) || user == nullptr) return VK_FALSE;
  auto* self = static_cast<Context*>(user);
  std::lock_guard<std::mutex> lock(self->validation_mutex_);
  if (self->validation_errors_.size() < 16) {
    self->validation_errors_.push_back(data && data->pMessage ? data->pMessage : "(no message)");
  }
  return VK_FALSE;
}

}  // namespace rnnlite::vk
