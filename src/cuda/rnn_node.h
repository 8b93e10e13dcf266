// One SequenceRnn node on the GPU: weights (uploaded once, at Compile, by
// its engine), the chunk buffers and state (Prepare), the chunk loop (Run)
// and the recurrent state, which stays on the device between runs when the
// node streams (its state inputs are variable tensors).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "cuda/engine.h"
#include "cuda/rnn_host_io.h"

namespace rnnlite::cu {

// Host bytes of tensor `index` for this run (nullptr when it has none).
using HostData = std::function<uint8_t*(int index)>;

class RnnNode {
 public:
  RnnNode(PartitionContext* ctx, BackendOptions options) : ctx_(ctx), options_(std::move(options)) {}

  Status Compile(const Subgraph& graph, int node);
  Status Prepare(const Subgraph& graph, const TensorLookup& tensors);
  Status Run(const HostData& host);

  const RnnNodePlan& plan() const { return plan_; }
  const std::map<int, int>& state_variables() const { return state_variables_; }
  Status ReadVariable(int tensor, Tensor& host);
  Status WriteVariable(int tensor, const Tensor& host);

 private:
  Status ReadLengths(const HostData& host, std::vector<int32_t>* lens) const;
  RnnHostTensors HostTensors(const HostData& host) const;
  // Device address and float count of a state slot's region (current buffers).
  float* RegionAddress(const StateRegion& r, size_t* floats) const;

  PartitionContext* ctx_;
  BackendOptions options_;
  RnnNodePlan plan_;
  std::unique_ptr<RnnEngine> engine_;
  std::map<int, int> state_variables_;

  DeviceBuffer xs_, ys_, h_[2], c_[2], lens_dev_;
  PinnedBuffer xs_host_, ys_host_, state_host_, lens_host_;
  int cur_h_ = 0, cur_c_ = 0;
  bool prepared_ = false;
};

// The node's constant inputs, repacked (see HostWeights).
StatusOr<HostWeights> PackWeights(const RnnNodePlan& plan, const std::function<const Tensor*(int)>& tensors);

}  // namespace rnnlite::cu
