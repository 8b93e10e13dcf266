// Grouping supported nodes into partitions that never create a cycle.
#pragma once

#include <cstddef>
#include <vector>

namespace rnnlite {

// A unit of the current execution plan: a CPU node or an existing partition.
struct PlanUnit {
  std::vector<int> deps;  // indices of units this one reads tensors from
  bool supported = false;
};

struct UnitGroup {
  bool supported = false;
  std::vector<int> units;  // in plan order
};

// Sweeps the plan in dependency order, each round taking the maximal set of
// units of one kind (supported or not) whose dependencies are all done.
// Every supported group is then convex: no path leaves it and comes back,
// and concatenating the groups in order is a valid execution order.
std::vector<UnitGroup> GroupUnits(const std::vector<PlanUnit>& units);

}  // namespace rnnlite
