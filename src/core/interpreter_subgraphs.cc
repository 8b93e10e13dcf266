// Child executors for control flow: WHILE, IF and CALL_ONCE kernels run
// other subgraphs of the model through KernelContext::PrepareSubgraph /
// InvokeSubgraph, which land here.
//
// Each called subgraph gets one child Impl (its own tensors, kernels, arena
// and plan), owned by the root Impl and created on first use, so a loop body
// is prepared once and re-prepared only when the shapes fed to it change.
// ValidateGraph rejects call cycles between subgraphs; the re-entry guard
// below is a second line of defence, so no subgraph is ever active twice
// (its tensors would be overwritten under the caller).
#include <cstring>

#include "core/interpreter_impl.h"

namespace rnnlite {
namespace {

std::string SubgraphLabel(const Graph& g, int index) {
  std::string label = "subgraph " + std::to_string(index);
  if (index >= 0 && static_cast<size_t>(index) < g.subgraphs.size() && !g.subgraphs[index].name.empty()) {
    label += " ('" + g.subgraphs[index].name + "')";
  }
  return label;
}

// Calls nest this deep at most: every level costs native stack (prepare
// and invoke recurse), and a hostile model could chain thousands of
// subgraphs without forming a cycle. Converted models nest 2 or 3 deep.
constexpr int kMaxCallDepth = 64;

// Marks a subgraph active and counts the nesting depth, undone on every exit
// path.
class ActiveGuard {
 public:
  ActiveGuard(char* flag, int* depth) : flag_(flag), depth_(depth) {
    *flag_ = 1;
    ++*depth_;
  }
  ~ActiveGuard() {
    *flag_ = 0;
    --*depth_;
  }
  ActiveGuard(const ActiveGuard&) = delete;
  ActiveGuard& operator=(const ActiveGuard&) = delete;

 private:
  char* flag_;
  int* depth_;
};

Status CheckEnter(const std::string& label, char active, int depth) {
  if (active) return InvalidArgument(label + " is already running (recursive call)");
  if (depth >= kMaxCallDepth) {
    return ResourceExhausted(label + ": control flow nested deeper than " + std::to_string(kMaxCallDepth) +
                             " subgraphs");
  }
  return Status::Ok();
}

// Gives the child's inputs the caller's dtypes and shapes; a changed shape
// invalidates the child's plan.
Status BindInputShapes(Interpreter::Impl& c, const std::string& label, const std::vector<const Tensor*>& inputs) {
  const Subgraph& sg = *c.subgraph;
  if (inputs.size() != sg.inputs.size()) {
    return InvalidArgument(label + " takes " + std::to_string(sg.inputs.size()) + " inputs, the caller passes " +
                           std::to_string(inputs.size()));
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Tensor* in = inputs[i];
    Tensor& t = c.tensors[sg.inputs[i]];
    if (in == nullptr) return InvalidArgument(label + ": input " + std::to_string(i) + " is absent");
    if (in->dtype != t.dtype) {
      return InvalidArgument(label + ": input " + std::to_string(i) + " ('" + t.name + "') is " +
                             DTypeName(t.dtype) + ", the caller passes " + DTypeName(in->dtype));
    }
    if (t.shape != in->shape) {
      t.shape = in->shape;
      c.allocated = false;
    }
  }
  return Status::Ok();
}

}  // namespace

StatusOr<Interpreter::Impl*> Interpreter::Impl::Child(int index) {
  Impl& r = *root;
  const Graph& g = model->graph();
  const int n = static_cast<int>(g.subgraphs.size());
  if (index <= 0 || index >= n) {
    return InvalidArgument("subgraph index " + std::to_string(index) + " out of range [1, " + std::to_string(n) +
                           ") (subgraph 0 is the main graph and cannot be called)");
  }
  if (r.children.size() != static_cast<size_t>(n)) {
    r.children.resize(static_cast<size_t>(n));
    r.subgraph_active.assign(static_cast<size_t>(n), 0);
  }
  auto& slot = r.children[static_cast<size_t>(index)];
  if (!slot) {
    auto c = std::make_unique<Impl>();
    c->model = model;
    c->options = options;
    c->options.enable_profiling = false;  // steps are timed as part of the calling node
    c->num_threads = num_threads;
    c->root = &r;
    c->InitSubgraph(index);
    slot = std::move(c);
  }
  return slot.get();
}

Status Interpreter::Impl::PrepareSubgraph(int index, const std::vector<const Tensor*>& inputs,
                                          std::vector<const Tensor*>* outputs, std::vector<char>* dynamic_outputs) {
  StatusOr<Impl*> child = Child(index);
  if (!child.ok()) return child.status();
  Impl& c = *child.value();
  const std::string label = SubgraphLabel(model->graph(), index);
  char& active = root->subgraph_active[static_cast<size_t>(index)];
  RNNLITE_RETURN_IF_ERROR(CheckEnter(label, active, root->call_depth));
  ActiveGuard guard(&active, &root->call_depth);
  RNNLITE_RETURN_IF_ERROR(BindInputShapes(c, label, inputs));
  if (!c.allocated) {
    Status s = c.Allocate();
    if (!s.ok()) return s.WithContext(label + ": ");
  }
  outputs->clear();
  dynamic_outputs->clear();
  for (int idx : c.subgraph->outputs) {
    outputs->push_back(&c.tensors[idx]);
    dynamic_outputs->push_back(c.dynamic[idx]);
  }
  return Status::Ok();
}

Status Interpreter::Impl::InvokeSubgraph(int index, const std::vector<const Tensor*>& inputs,
                                         std::vector<const Tensor*>* outputs) {
  StatusOr<Impl*> child = Child(index);
  if (!child.ok()) return child.status();
  Impl& c = *child.value();
  const std::string label = SubgraphLabel(model->graph(), index);
  char& active = root->subgraph_active[static_cast<size_t>(index)];
  RNNLITE_RETURN_IF_ERROR(CheckEnter(label, active, root->call_depth));
  ActiveGuard guard(&active, &root->call_depth);
  RNNLITE_RETURN_IF_ERROR(BindInputShapes(c, label, inputs));
  if (!c.allocated) {
    Status s = c.Allocate();
    if (!s.ok()) return s.WithContext(label + ": ");
  }
  const Subgraph& sg = *c.subgraph;
  for (size_t i = 0; i < inputs.size(); ++i) {
    Tensor& dst = c.tensors[sg.inputs[i]];
    const Tensor& src = *inputs[i];
    if (&dst == &src || dst.bytes == 0) continue;
    if (src.data == nullptr || src.bytes < dst.bytes) {
      return Internal(label + ": input " + std::to_string(i) + " ('" + dst.name + "') has " +
                      std::to_string(src.bytes) + " bytes of data, expected " + std::to_string(dst.bytes));
    }
    // The same tensor may feed two inputs, and a body may pass its input
    // straight through: memmove keeps both cases correct.
    std::memmove(dst.data, src.data, dst.bytes);
  }
  Status s = c.Invoke();
  if (!s.ok()) return s.WithContext(label + ": ");
  outputs->clear();
  for (int idx : sg.outputs) outputs->push_back(&c.tensors[idx]);
  return Status::Ok();
}

}  // namespace rnnlite
