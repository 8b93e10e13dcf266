#include "vulkan/vk_fault.h"

#include <cerrno>
#include <cstdlib>
#include <sstream>

namespace rnnlite::vk {
namespace {

thread_local FaultPhase g_phase = FaultPhase::kNone;

}  // namespace

PhaseScope::PhaseScope(FaultPhase phase) : saved_(g_phase) { g_phase = phase; }
PhaseScope::~PhaseScope() { g_phase = saved_; }
FaultPhase PhaseScope::Current() { return g_phase; }

Status FaultInjector::Configure(const std::string& spec, int skip) {
  skip_ = skip;
  std::stringstream ss(spec);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.empty()) continue;
    const std::string bad = "vulkan option test_fault: '" + item + "' ";
    std::string body = item;
    int count = -1;
    const size_t colon = body.find(':');
    if (colon != std::string::npos) {
      const std::string n = body.substr(colon + 1);
      char* end = nullptr;
      errno = 0;
      const long v = std::strtol(n.c_str(), &end, 10);
      if (errno != 0 || end == n.c_str() || *end != '\0' || v <= 0 || v > 1000000) {
        return InvalidArgument(bad + "has a count that is not a positive integer");
      }
      count = static_cast<int>(v);
      body = body.substr(0, colon);
    }
    if (body == "no_compute_queue") {
      no_compute_queue_ = true;
      continue;
    }
    const size_t at = body.find('@');
    const std::string kind = body.substr(0, at);
    const std::string phase = at == std::string::npos ? "" : body.substr(at + 1);
    Fault f{Kind::kOom, FaultPhase::kNone, count};
    if (kind == "oom") {
      f.kind = Kind::kOom;
    } else if (kind == "device_lost") {
      f.kind = Kind::kDeviceLost;
    } else {
      return InvalidArgument(bad + "(expected oom@PHASE, device_lost@invoke or no_compute_queue)");
    }
    if (phase == "compile") {
      f.phase = FaultPhase::kCompile;
    } else if (phase == "prepare") {
      f.phase = FaultPhase::kPrepare;
    } else if (phase == "invoke") {
      f.phase = FaultPhase::kInvoke;
    } else {
      return InvalidArgument(bad + "needs @compile, @prepare or @invoke");
    }
    // A device is only lost while it works: only submits can see it.
    if (f.kind == Kind::kDeviceLost && f.phase != FaultPhase::kInvoke) {
      return InvalidArgument(bad + "(device_lost is injected at invoke only)");
    }
    faults_.push_back(f);
  }
  fired_ = std::vector<std::atomic<int>>(faults_.size());
  return Status::Ok();
}

bool FaultInjector::Fire(Kind kind) {
  const FaultPhase phase = PhaseScope::Current();
  for (size_t i = 0; i < faults_.size(); ++i) {
    const Fault& f = faults_[i];
    if (f.kind != kind || f.phase != phase) continue;
    const int chance = fired_[i].fetch_add(1, std::memory_order_relaxed);
    if (chance < skip_) continue;
    if (f.count < 0 || chance - skip_ < f.count) return true;
  }
  return false;
}

VkResult FaultInjector::OnAllocate() {
  if (lost()) return VK_ERROR_DEVICE_LOST;
  return Fire(Kind::kOom) ? VK_ERROR_OUT_OF_DEVICE_MEMORY : VK_SUCCESS;
}

VkResult FaultInjector::OnSubmit() {
  if (lost()) return VK_ERROR_DEVICE_LOST;
  return Fire(Kind::kOom) ? VK_ERROR_OUT_OF_DEVICE_MEMORY : VK_SUCCESS;
}

VkResult FaultInjector::OnWait() {
  if (lost()) return VK_ERROR_DEVICE_LOST;
  if (!Fire(Kind::kDeviceLost)) return VK_SUCCESS;
  lost_.store(true, std::memory_order_release);
  return VK_ERROR_DEVICE_LOST;
}

}  // namespace rnnlite::vk
