#include "delegate_choice.h"

#include <cstdio>

#include "rnnlite/delegate.h"

namespace rnnlite::cli {

const std::vector<OptionSpec> kDelegateOptions = {
    {"delegate", true, false}, {"delegate-option", true, true}, {"require-full-delegation", false, false}};

const char* const kDelegateHelp =
    "  --delegate X              where recurrent nodes run: cpu (default), vulkan,\n"
    "                            cuda, auto (first that loads: cuda, vulkan, cpu),\n"
    "                            or a path to a backend plugin (.so)\n"
    "  --delegate-option K=V     backend setting (repeatable), e.g.\n"
    "                            allow_cpu_device=1 to let Vulkan use lavapipe\n"
    "  --require-full-delegation any node left on the CPU is an error\n";

CliResult ApplyDelegateChoice(const ParsedArgs& args, Interpreter& interp, std::string* summary,
                              std::shared_ptr<Delegate>* chosen) {
  const std::string choice = args.Get("delegate").value_or("cpu");
  DelegateOptions options;
  options.allow_cpu_fallback = !args.Has("require-full-delegation");
  for (const std::string& kv : args.GetAll("delegate-option")) {
    auto parsed = SplitAssignment(kv);
    if (!parsed || parsed->first.empty()) return CliResult::Usage("--delegate-option expects KEY=VALUE, got '" + kv + "'");
    options.extra[parsed->first] = parsed->second;
  }
  if (choice == "cpu") {
    *summary = "cpu";
    return CliResult::Ok();
  }
  std::shared_ptr<Delegate> delegate;
  if (choice == "auto") {
    std::string why;
    for (const char* name : {"cuda", "vulkan"}) {
      auto d = LoadDelegatePlugin(name, options);
      if (d.ok()) {
        delegate = *d;
        break;
      }
      why += std::string(why.empty() ? "" : "; ") + name + ": " + d.status().message();
    }
    if (!delegate) {
      if (options.allow_cpu_fallback == false) {
        return CliResult::ModelError("--delegate auto: no GPU backend loads and full delegation is required (" + why + ")");
      }
      *summary = "cpu (auto: " + why + ")";
      return CliResult::Ok();
    }
  } else {
    auto d = LoadDelegatePlugin(choice, options);
    if (!d.ok()) return CliResult::FromStatus(d.status(), "--delegate " + choice);
    delegate = *d;
  }
  Status s = interp.ModifyGraphWithDelegate(delegate);
  if (!s.ok()) return CliResult::FromStatus(s, "--delegate " + choice);
  *summary = delegate->name();
  if (!delegate->device().empty()) *summary += " on " + delegate->device();
  if (chosen != nullptr) *chosen = delegate;
  return CliResult::Ok();
}

void PrintPlacement(const Interpreter& interp) {
  std::printf("placement:\n");
  const Subgraph& sg = interp.subgraph();
  for (const NodePlacement& p : interp.placement()) {
    std::string line = "  node " + std::to_string(p.node) + " (" + NodeOpName(sg.nodes[p.node]) + ") -> " + p.backend;
    if (p.partition >= 0) line += " [partition " + std::to_string(p.partition) + "]";
    if (p.partition < 0 && !p.reason.empty()) line += ": " + OneLine(p.reason);
    std::printf("%s\n", line.c_str());
  }
}

}  // namespace rnnlite::cli
