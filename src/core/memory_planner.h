// Arena planning: tensors whose lifetimes (first..last node that touches
// them) do not overlap share memory. Greedy by size, largest first, each
// placed at the lowest offset that fits between live neighbours (the same
// strategy as TFLite's arena planner).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rnnlite {

struct BufferRequest {
  size_t bytes = 0;
  int first_use = 0;  // node index (inclusive); -1 for graph inputs
  int last_use = 0;   // node index (inclusive); num_nodes for graph outputs
};

struct ArenaPlan {
  std::vector<size_t> offsets;  // per request
  size_t total_bytes = 0;
};

inline constexpr size_t kArenaAlignment = 64;

ArenaPlan PlanArena(const std::vector<BufferRequest>& requests);

}  // namespace rnnlite
