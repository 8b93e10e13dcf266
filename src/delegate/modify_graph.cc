// Interpreter::ModifyGraphWithDelegate: the partitioner applied to the
// interpreter's plan. Lives in the delegate room; core only executes plans.
#include <algorithm>
#include <map>
#include <set>

#include "core/interpreter_impl.h"
#include "delegate/partitioner.h"

namespace rnnlite {
namespace {

std::string NodeLabel(const Subgraph& s, int n) {
  return "node " + std::to_string(n) + " (" + NodeOpName(s.nodes[n]) + ")";
}

// Boundary inputs/outputs and variables of a node set.
void ComputeBoundary(const Subgraph& sg, PartitionRecord* rec) {
  std::set<int> in_set(rec->nodes.begin(), rec->nodes.end());
  std::set<int> produced;
  for (int n : rec->nodes) {
    for (int idx : sg.nodes[n].outputs) {
      if (idx >= 0) produced.insert(idx);
    }
  }
  std::set<int> inputs, variables;
  for (int n : rec->nodes) {
    for (int idx : sg.nodes[n].inputs) {
      if (idx < 0) continue;
      const Tensor& t = sg.tensors[idx];
      if (t.is_variable) {
        variables.insert(idx);
      } else if (!produced.count(idx) && !t.is_constant()) {
        inputs.insert(idx);
      }
    }
  }
  // An output leaves the partition if a node outside reads it or it is a
  // graph output.
  std::set<int> outputs;
  std::set<int> graph_outputs(sg.outputs.begin(), sg.outputs.end());
  for (int idx : produced) {
    bool escapes = graph_outputs.count(idx) > 0;
    for (size_t n = 0; n < sg.nodes.size() && !escapes; ++n) {
      if (in_set.count(static_cast<int>(n))) continue;
      for (int i : sg.nodes[n].inputs) escapes |= (i == idx);
    }
    if (escapes) outputs.insert(idx);
  }
  rec->inputs.assign(inputs.begin(), inputs.end());
  rec->outputs.assign(outputs.begin(), outputs.end());
  rec->variables.assign(variables.begin(), variables.end());
}

}  // namespace

Status Interpreter::ModifyGraphWithDelegate(std::shared_ptr<Delegate> delegate) {
  if (!delegate) return InvalidArgument("ModifyGraphWithDelegate: null delegate");
  Impl& m = *impl_;
  RNNLITE_RETURN_IF_ERROR(m.init_status);
  const Subgraph& sg = *m.subgraph;
  const DelegateOptions& opts = delegate->options();
  const std::string dname = delegate->name();

  // Units of the current plan, their producers, and who supports what.
  const size_t num_units = m.plan.size();
  std::map<int, int> producer_unit;  // tensor -> unit
  auto unit_nodes = [&](size_t u) {
    const ExecutionStep& st = m.plan[u];
    return st.node >= 0 ? std::vector<int>{st.node} : m.partitions[st.partition].nodes;
  };
  for (size_t u = 0; u < num_units; ++u) {
    for (int n : unit_nodes(u)) {
      for (int idx : sg.nodes[n].outputs) {
        if (idx >= 0) producer_unit[idx] = static_cast<int>(u);
      }
    }
  }
  std::vector<PlanUnit> units(num_units);
  std::vector<std::string> reasons(sg.nodes.size());
  for (size_t u = 0; u < num_units; ++u) {
    std::set<int> deps;
    for (int n : unit_nodes(u)) {
      for (int idx : sg.nodes[n].inputs) {
        auto it = producer_unit.find(idx);
        if (it != producer_unit.end() && it->second != static_cast<int>(u)) deps.insert(it->second);
      }
    }
    units[u].deps.assign(deps.begin(), deps.end());
    const ExecutionStep& st = m.plan[u];
    if (st.node < 0) continue;  // already delegated: a barrier for this delegate
    SupportResult r = delegate->Supports(sg, st.node);
    units[u].supported = r.supported;
    if (!r.supported) reasons[st.node] = dname + ": " + (r.reason.empty() ? "not supported" : r.reason);
  }

  std::vector<UnitGroup> groups = GroupUnits(units);
  if (groups.size() > 0) {
    size_t grouped = 0;
    for (const UnitGroup& g : groups) grouped += g.units.size();
    if (grouped != num_units) return Internal("partitioning found a cycle in the execution plan");
  }

  // Size filters: min nodes, then the largest max_partitions groups.
  std::vector<size_t> candidates;
  for (size_t g = 0; g < groups.size(); ++g) {
    if (!groups[g].supported) continue;
    if (static_cast<int>(groups[g].units.size()) < std::max(1, opts.min_nodes_per_partition)) {
      for (int u : groups[g].units) {
        reasons[m.plan[u].node] = dname + ": partition of " + std::to_string(groups[g].units.size()) +
                                  " node(s) is below min_nodes_per_partition=" +
                                  std::to_string(opts.min_nodes_per_partition);
      }
      groups[g].supported = false;
      continue;
    }
    candidates.push_back(g);
  }
  if (opts.max_partitions > 0 && static_cast<int>(candidates.size()) > opts.max_partitions) {
    std::stable_sort(candidates.begin(), candidates.end(),
                     [&](size_t a, size_t b) { return groups[a].units.size() > groups[b].units.size(); });
    for (size_t k = opts.max_partitions; k < candidates.size(); ++k) {
      UnitGroup& g = groups[candidates[k]];
      for (int u : g.units) {
        reasons[m.plan[u].node] = dname + ": max_partitions=" + std::to_string(opts.max_partitions) +
                                  " reached (larger partitions kept)";
      }
      g.supported = false;
    }
  }

  // Compile the survivors and build the new plan in group order.
  std::vector<ExecutionStep> new_plan;
  for (UnitGroup& g : groups) {
    if (g.supported) {
      PartitionRecord rec;
      rec.delegate = delegate;
      for (int u : g.units) rec.nodes.push_back(m.plan[u].node);
      std::sort(rec.nodes.begin(), rec.nodes.end());
      auto compiled = delegate->Compile(sg, rec.nodes);
      if (compiled.ok() && *compiled) {
        rec.kernel = std::move(*compiled);
        ComputeBoundary(sg, &rec);
        int p = static_cast<int>(m.partitions.size());
        for (int n : rec.nodes) {
          m.node_partition[n] = p;
          m.node_cpu_reason[n].clear();
        }
        m.partitions.push_back(std::move(rec));
        new_plan.push_back({-1, p});
        continue;
      }
      std::string why = compiled.ok() ? "Compile returned no partition" : compiled.status().message();
      if (!opts.allow_cpu_fallback) {
        return Unavailable(dname + ": compiling a partition of " + std::to_string(rec.nodes.size()) +
                           " nodes failed and CPU fallback is disabled: " + why);
      }
      m.Log(dname + ": partition of " + std::to_string(rec.nodes.size()) + " nodes stays on the CPU: " + why);
      for (int n : rec.nodes) reasons[n] = dname + ": compile failed: " + why;
    }
    for (int u : g.units) new_plan.push_back(m.plan[u]);
  }
  for (size_t n = 0; n < sg.nodes.size(); ++n) {
    if (m.node_partition[n] < 0 && !reasons[n].empty()) m.node_cpu_reason[n] = reasons[n];
  }
  m.plan = std::move(new_plan);
  m.allocated = false;

  if (!opts.allow_cpu_fallback) {
    for (size_t n = 0; n < sg.nodes.size(); ++n) {
      if (m.node_partition[n] < 0) {
        return Unavailable("full delegation required but " + NodeLabel(sg, static_cast<int>(n)) +
                           " stays on the CPU: " + m.node_cpu_reason[n]);
      }
    }
  }
  return Status::Ok();
}

}  // namespace rnnlite
