#include "vulkan/vk_pipeline.h"

namespace rnnlite::vk {

Kernels::~Kernels() {
  for (auto& [key, k] : cache_) Destroy(*k);
}

void Kernels::Destroy(Kernel& k) {
  const Api& api = ctx_->api();
  VkDevice dev = ctx_->device();
  if (k.pipeline != VK_NULL_HANDLE) api.vkDestroyPipeline(dev, k.pipeline, nullptr);
  if (k.layout != VK_NULL_HANDLE) api.vkDestroyPipelineLayout(dev, k.layout, nullptr);
  if (k.set_layout != VK_NULL_HANDLE) api.vkDestroyDescriptorSetLayout(dev, k.set_layout, nullptr);
  k = Kernel{};
}

StatusOr<const Kernel*> Kernels::Get(ShaderId id, const std::vector<uint32_t>& spec, bool fp16_weights) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto key = std::make_pair(static_cast<int>(id) * 2 + (fp16_weights ? 1 : 0), spec);
  auto it = cache_.find(key);
  if (it != cache_.end()) return static_cast<const Kernel*>(it->second.get());
  auto k = std::make_unique<Kernel>();
  Status s = Build(id, spec, fp16_weights, k.get());
  if (!s.ok()) {
    Destroy(*k);
    return s.WithContext(std::string("building the ") + GetShader(id, fp16_weights).name + " pipeline: ");
  }
  const Kernel* out = k.get();
  cache_.emplace(std::move(key), std::move(k));
  return out;
}

Status Kernels::Build(ShaderId id, const std::vector<uint32_t>& spec, bool fp16_weights, Kernel* k) {
  const Api& api = ctx_->api();
  VkDevice dev = ctx_->device();
  const ShaderInfo& info = GetShader(id, fp16_weights);
  k->bindings = info.bindings;
  k->push_bytes = info.push_bytes;

  std::vector<VkDescriptorSetLayoutBinding> bindings(info.bindings);
  for (uint32_t i = 0; i < info.bindings; ++i) {
    bindings[i].binding = i;
    bindings[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
    bindings[i].descriptorCount = 1;
    bindings[i].stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
  }
  VkDescriptorSetLayoutCreateInfo set_info{};
  set_info.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO;
  set_info.bindingCount = info.bindings;
  set_info.pBindings = bindings.data();
  RNNLITE_VK_CHECK(api.vkCreateDescriptorSetLayout(dev, &set_info, nullptr, &k->set_layout));

  VkPushConstantRange push{VK_SHADER_STAGE_COMPUTE_BIT, 0, info.push_bytes};
  VkPipelineLayoutCreateInfo layout_info{};
  layout_info.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO;
  layout_info.setLayoutCount = 1;
  layout_info.pSetLayouts = &k->set_layout;
  layout_info.pushConstantRangeCount = info.push_bytes > 0 ? 1 : 0;
  layout_info.pPushConstantRanges = &push;
  RNNLITE_VK_CHECK(api.vkCreatePipelineLayout(dev, &layout_info, nullptr, &k->layout));

  VkShaderModuleCreateInfo module_info{};
  module_info.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO;
  module_info.codeSize = info.word_count * sizeof(uint32_t);
  module_info.pCode = info.words;
  VkShaderModule module = VK_NULL_HANDLE;
  RNNLITE_VK_CHECK(api.vkCreateShaderModule(dev, &module_info, nullptr, &module));

  std::vector<VkSpecializationMapEntry> entries(spec.size());
  for (size_t i = 0; i < spec.size(); ++i) {
    entries[i] = {static_cast<uint32_t>(i), static_cast<uint32_t>(i * sizeof(uint32_t)), sizeof(uint32_t)};
  }
  VkSpecializationInfo spec_info{};
  spec_info.mapEntryCount = static_cast<uint32_t>(entries.size());
  spec_info.pMapEntries = entries.data();
  spec_info.dataSize = spec.size() * sizeof(uint32_t);
  spec_info.pData = spec.data();

  VkComputePipelineCreateInfo pipe{};
  pipe.sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO;
  pipe.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
  pipe.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
  pipe.stage.module = module;
  pipe.stage.pName = "main";
  pipe.stage.pSpecializationInfo = spec.empty() ? nullptr : &spec_info;
  pipe.layout = k->layout;
  VkResult r = api.vkCreateComputePipelines(dev, VK_NULL_HANDLE, 1, &pipe, nullptr, &k->pipeline);
  api.vkDestroyShaderModule(dev, module, nullptr);
  if (r != VK_SUCCESS) return ResultStatus("vkCreateComputePipelines", r);
  return Status::Ok();
}

DescriptorPool::~DescriptorPool() {
  if (pool_ != VK_NULL_HANDLE) ctx_.api().vkDestroyDescriptorPool(ctx_.device(), pool_, nullptr);
}

Status DescriptorPool::Init(uint32_t max_sets, uint32_t max_buffers) {
  VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, max_buffers};
  VkDescriptorPoolCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO;
  info.maxSets = max_sets;
  info.poolSizeCount = 1;
  info.pPoolSizes = &size;
  RNNLITE_VK_CHECK(ctx_.api().vkCreateDescriptorPool(ctx_.device(), &info, nullptr, &pool_));
  return Status::Ok();
}

StatusOr<VkDescriptorSet> DescriptorPool::Allocate(const Kernel& kernel, const std::vector<VkBuffer>& buffers) {
  if (buffers.size() != kernel.bindings) return Internal("descriptor set: wrong number of buffers");
  const Api& api = ctx_.api();
  VkDescriptorSetAllocateInfo alloc{};
  alloc.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO;
  alloc.descriptorPool = pool_;
  alloc.descriptorSetCount = 1;
  alloc.pSetLayouts = &kernel.set_layout;
  VkDescriptorSet set = VK_NULL_HANDLE;
  RNNLITE_VK_CHECK(api.vkAllocateDescriptorSets(ctx_.device(), &alloc, &set));
  std::vector<VkDescriptorBufferInfo> infos(buffers.size());
  std::vector<VkWriteDescriptorSet> writes(buffers.size());
  for (size_t i = 0; i < buffers.size(); ++i) {
    infos[i] = {buffers[i], 0, VK_WHOLE_SIZE};
    writes[i].sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET;
    writes[i].dstSet = set;
    writes[i].dstBinding = static_cast<uint32_t>(i);
    writes[i].descriptorCount = 1;
    writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
    writes[i].pBufferInfo = &infos[i];
  }
  api.vkUpdateDescriptorSets(ctx_.device(), static_cast<uint32_t>(writes.size()), writes.data(), 0, nullptr);
  return set;
}

}  // namespace rnnlite::vk
