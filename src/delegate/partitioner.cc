#include "delegate/partitioner.h"

namespace rnnlite {

std::vector<UnitGroup> GroupUnits(const std::vector<PlanUnit>& units) {
  const size_t n = units.size();
  std::vector<char> done(n, 0);
  size_t remaining = n;
  std::vector<UnitGroup> groups;
  auto ready = [&](size_t u) {
    for (int d : units[u].deps) {
      if (!done[d]) return false;
    }
    return true;
  };
  while (remaining > 0) {
    // The kind of the earliest ready unit leads this round.
    bool kind = false;
    bool found = false;
    for (size_t u = 0; u < n && !found; ++u) {
      if (!done[u] && ready(u)) {
        kind = units[u].supported;
        found = true;
      }
    }
    if (!found) break;  // a cycle in the input plan; cannot happen for a valid graph
    UnitGroup group;
    group.supported = kind;
    bool progress = true;
    while (progress) {
      progress = false;
      for (size_t u = 0; u < n; ++u) {
        if (done[u] || units[u].supported != kind || !ready(u)) continue;
        done[u] = 1;
        --remaining;
        group.units.push_back(static_cast<int>(u));
        progress = true;
      }
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

}  // namespace rnnlite
