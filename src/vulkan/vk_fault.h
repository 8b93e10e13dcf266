// Test-only fault injection for the Vulkan plugin (option test_fault=...).
//
// Real drivers fail in ways a working test machine never shows: the device
// runs out of memory while weights are uploaded, buffers are sized or a
// command buffer is submitted; the device is lost (driver reset, GPU fell
// off the bus); an ICD exposes no compute queue. The injector makes the
// real call sites return those VkResults, so the plugin's and the
// interpreter's handling of them is what the tests exercise.
//
// Spec: comma-separated faults, each KIND[@PHASE][:COUNT]
//   oom@compile        vkAllocateMemory fails while a partition is compiled
//   oom@prepare        vkAllocateMemory fails in Prepare (buffers sized by T, B)
//   oom@invoke         vkQueueSubmit (and any allocation) fails in Invoke
//   device_lost@invoke vkWaitForFences reports VK_ERROR_DEVICE_LOST in
//                      Invoke; from then on every call on the device does
//   no_compute_queue   device selection sees no compute-capable queue family
// COUNT: fire only COUNT times (default: every time). The option
// test_fault_skip=N lets the first N chances of every fault pass (e.g. the
// second submit of a run fails, after the first one completed).
#pragma once

#include <vulkan/vulkan.h>

#include <atomic>
#include <string>
#include <vector>

#include "rnnlite/status.h"

namespace rnnlite::vk {

enum class FaultPhase { kNone, kCompile, kPrepare, kInvoke };

// Marks the calling thread as inside `phase` of a partition (a partition is
// used by one thread at a time; several partitions may run at once).
class PhaseScope {
 public:
  explicit PhaseScope(FaultPhase phase);
  ~PhaseScope();
  PhaseScope(const PhaseScope&) = delete;
  PhaseScope& operator=(const PhaseScope&) = delete;
  static FaultPhase Current();

 private:
  FaultPhase saved_;
};

class FaultInjector {
 public:
  FaultInjector() = default;
  FaultInjector(const FaultInjector&) = delete;
  FaultInjector& operator=(const FaultInjector&) = delete;

  Status Configure(const std::string& spec, int skip = 0);
  bool no_compute_queue() const { return no_compute_queue_; }
  bool lost() const { return lost_.load(std::memory_order_acquire); }

  // VK_SUCCESS, or the result the call at this site should fail with.
  VkResult OnAllocate();
  VkResult OnSubmit();
  VkResult OnWait();

 private:
  enum class Kind { kOom, kDeviceLost };
  struct Fault {
    Kind kind;
    FaultPhase phase;
    int count;  // -1: every time
  };
  // The first armed fault of `kind` in the current phase fires (and counts).
  bool Fire(Kind kind);

  std::vector<Fault> faults_;
  int skip_ = 0;
  std::vector<std::atomic<int>> fired_;  // per fault
  bool no_compute_queue_ = false;
  std::atomic<bool> lost_{false};
};

}  // namespace rnnlite::vk
