#include "core/memory_planner.h"

#include <algorithm>
#include <numeric>

namespace rnnlite {

namespace {
size_t AlignUp(size_t n) { return (n + kArenaAlignment - 1) / kArenaAlignment * kArenaAlignment; }
}  // namespace

ArenaPlan PlanArena(const std::vector<BufferRequest>& requests) {
  ArenaPlan plan;
  plan.offsets.assign(requests.size(), 0);
  std::vector<size_t> order(requests.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return requests[a].bytes > requests[b].bytes; });

  std::vector<size_t> placed;  // indices already given an offset
  for (size_t r : order) {
    const BufferRequest& req = requests[r];
    size_t size = AlignUp(req.bytes);
    // Live neighbours sorted by offset; take the first gap that fits.
    std::vector<size_t> live;
    for (size_t p : placed) {
      const BufferRequest& other = requests[p];
      if (other.first_use <= req.last_use && req.first_use <= other.last_use) live.push_back(p);
    }
    std::sort(live.begin(), live.end(), [&](size_t a, size_t b) { return plan.offsets[a] < plan.offsets[b]; });
    size_t offset = 0;
    for (size_t p : live) {
      if (plan.offsets[p] >= offset + size) break;
      offset = std::max(offset, plan.offsets[p] + AlignUp(requests[p].bytes));
    }
    plan.offsets[r] = offset;
    plan.total_bytes = std::max(plan.total_bytes, offset + size);
    placed.push_back(r);
  }
  return plan;
}

}  // namespace rnnlite
