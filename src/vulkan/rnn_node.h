// One SequenceRnn node on the device: weights (uploaded at Compile), the
// chunk buffers and descriptor sets (Prepare), the chunk loop (Run), and the
// recurrent state, which stays on the device between runs when the node
// streams (its state inputs are variable tensors).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "vulkan/rnn_cells.h"
#include "vulkan/rnn_host_io.h"
#include "vulkan/rnn_support.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_pipeline.h"

namespace rnnlite::vk {

// Host bytes of tensor `index` for this run (nullptr when it has none).
using HostData = std::function<uint8_t*(int index)>;

class RnnNode {
 public:
  RnnNode(std::shared_ptr<Context> ctx, BackendOptions options) : ctx_(std::move(ctx)), options_(options) {}

  // Plans with the graph's shapes, uploads the weights, builds pipelines.
  Status Compile(const Subgraph& graph, int node);
  // Re-plans with the current shapes; (re)allocates the buffers that depend
  // on T and B. Streaming state restarts at zero (the interpreter writes
  // the variables back before the next run).
  Status Prepare(const Subgraph& graph, const TensorLookup& tensors);
  // Runs the whole sequence: one submit per chunk of steps. When it fails,
  // streaming state is rolled back to what it was before the call, or, where
  // that cannot be known (device lost), marked lost: ReadVariable then fails
  // until Prepare starts the state afresh.
  Status Run(CommandStream& cs, const HostData& host);

  const RnnNodePlan& plan() const { return plan_; }
  // Weights stored as fp16 (fp16 mode on a device with 16-bit storage).
  bool fp16_weights() const { return fp16_weights_; }
  // Variable tensors whose state lives here: tensor index -> input slot.
  const std::map<int, int>& state_variables() const { return state_variables_; }
  Status ReadVariable(int tensor, Tensor& host);
  Status WriteVariable(int tensor, const Tensor& host);

 private:
  struct Dispatch {
    const Kernel* kernel = nullptr;
    VkDescriptorSet set = VK_NULL_HANDLE;
    uint32_t groups_x = 0;
  };
  Status ReadLengths(const HostData& host, std::vector<int32_t>* lens) const;
  RnnHostTensors HostTensors(const HostData& host) const;
  void RecordChunk(CommandStream& cs, int64_t s0, int64_t n, uint32_t* parity);
  Status RunChunks(CommandStream& cs, const HostData& host, int* progress);
  // Byte offset / float count of a state slot's region at the current parity.
  void StateRegionBytes(const StateRegion& r, VkDeviceSize* offset, size_t* floats) const;

  std::shared_ptr<Context> ctx_;
  BackendOptions options_;
  RnnNodePlan plan_;
  std::map<int, int> state_variables_;

  // Compile: weights and pipelines.
  Buffer w_, bias_, r_, proj_, params_;
  bool fp16_weights_ = false;
  const Kernel* gemm_ = nullptr;
  std::vector<StepDispatch> recipe_;
  std::vector<const Kernel*> step_kernels_;

  // Prepare: buffers sized by chunk, B and T.
  Buffer xs_up_, xs_, xp_, ys_, ys_down_, state_, state_up_, state_down_, lens_, scratch_;
  // Streaming nodes: the state as of the start of the current Run, copied on
  // the device by its first submit, restored if a later submit fails.
  Buffer state_saved_;
  bool state_lost_ = false;
  std::unique_ptr<DescriptorPool> pool_;
  VkDescriptorSet gemm_set_ = VK_NULL_HANDLE;
  std::vector<Dispatch> steps_;
  bool prepared_ = false;
  // Which half of h holds the current state (streaming nodes keep it).
  uint32_t parity_ = 0;
};

}  // namespace rnnlite::vk
