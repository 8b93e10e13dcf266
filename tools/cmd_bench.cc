// `rnnlite bench MODEL ...`: how fast one model runs on one backend, in the
// spirit of TFLite's benchmark_model: load / delegate / allocate times, the
// first run, then min/median/mean/max over timed runs after warmup, time per
// step and per op kind, host and device memory; text or JSON.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench_command.h"
#include "bench_inputs.h"
#include "bench_report.h"
#include "cli_util.h"
#include "delegate_choice.h"
#include "rnnlite/delegate.h"
#include "rnnlite/interpreter.h"
#include "rnnlite/model.h"

namespace rnnlite::cli {

const char* const kBenchSummary = "time a model on one backend (init, first run, runs, per op kind, memory)";

const char* const kBenchHelp =
    "usage: rnnlite bench MODEL [options]\n"
    "\n"
    "Loads MODEL (.tflite), applies the backend, fills the inputs with seeded\n"
    "random values (sequence-length inputs get the full T), runs it once (first\n"
    "run), --warmup more times, then --runs timed times. Reports load, delegation\n"
    "and allocation times, the first run, min/median/mean/max/stddev of the timed\n"
    "runs, time per step (CPU node or delegate partition) and per op kind, peak\n"
    "host memory (VmHWM), resident-set growth during the runs, and the device\n"
    "memory a GPU backend holds (n/a when the backend does not report it).\n"
    "\n"
    "options:\n"
    "  --warmup N                untimed runs after the first run (default 1)\n"
    "  --runs N                  timed runs (default 10)\n"
    "  --max-seconds S           stop the timed runs early once they took S seconds\n"
    "                            (at least 3 runs; default 0: no limit)\n"
    "  --input-shape NAME=D0,D1  resize input NAME (its dynamic dims) (repeatable)\n"
    "  --seed N                  seed of the random inputs (default 1; same values\n"
    "                            as `rnnlite run --random-inputs --seed N`)\n"
    "  --threads N               threads for CPU kernels (default 0: one per core)\n"
    "  --cpu-kernels K           fast (default) or reference\n"
    "  --json FILE               also write everything as JSON to FILE ('-': to\n"
    "                            stdout, and the text report goes to stderr)\n"
    "  --delegate X              where nodes run: cpu (default), vulkan, cuda,\n"
    "                            auto (first that loads: cuda, vulkan, cpu), or a\n"
    "                            path to a backend plugin (.so)\n"
    "  --delegate-option K=V     backend setting (repeatable), e.g.\n"
    "                            allow_cpu_device=1 lets Vulkan use lavapipe\n"
    "  --require-full-delegation any node left on the CPU is an error\n"
    "\n"
    "A progress bar is drawn on stderr when it is a terminal and the runs take\n"
    "more than a second. Variable (state) tensors are reset before every run.\n"
    "exit status: 0 ok, 1 usage error, 2 model, shape or backend error\n";

namespace {

constexpr int64_t kMaxRuns = 1000000;
constexpr int64_t kMaxThreads = 1024;

using Clock = std::chrono::steady_clock;

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::vector<OptionSpec> BenchOptions() {
  std::vector<OptionSpec> specs = {
      {"warmup", true, false},  {"runs", true, false},        {"max-seconds", true, false},
      {"input-shape", true, true}, {"seed", true, false},     {"threads", true, false},
      {"cpu-kernels", true, false}, {"json", true, false},
  };
  specs.insert(specs.end(), kDelegateOptions.begin(), kDelegateOptions.end());
  return specs;
}

// Parses an integer option in [lo, hi]; `*value` keeps its default when absent.
CliResult IntOption(const ParsedArgs& args, const char* name, int64_t lo, int64_t hi, int64_t* value) {
  auto text = args.Get(name);
  if (!text) return CliResult::Ok();
  const std::optional<int64_t> n = ParseInt(*text);
  if (!n || *n < lo || *n > hi) {
    return CliResult::Usage(std::string("--") + name + ": expected an integer in [" + std::to_string(lo) + ", " +
                            std::to_string(hi) + "], got '" + *text + "'");
  }
  *value = *n;
  return CliResult::Ok();
}

std::string JsonShape(const Shape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

// One Invoke with fresh inputs and state, timed.
Status TimedRun(Interpreter& interp, const std::vector<BenchInput>& inputs, double* ms) {
  RNNLITE_RETURN_IF_ERROR(interp.ResetVariableTensors());
  CopyBenchInputs(inputs, interp);
  const auto start = Clock::now();
  Status s = interp.Invoke();
  *ms = MillisSince(start);
  return s;
}

CliResult WriteJson(const std::string& target, const std::string& json) {
  if (target == "-") {
    std::fwrite(json.data(), 1, json.size(), stdout);
    return CliResult::Ok();
  }
  std::ofstream f(target, std::ios::binary | std::ios::trunc);
  f << json;
  f.close();
  if (!f) return CliResult::ModelError("--json " + target + ": cannot write the file");
  return CliResult::Ok();
}

}  // namespace

CliResult RunBench(const std::vector<std::string>& args) {
  ParsedArgs parsed;
  CliResult r = ParseArgs(args, BenchOptions(), &parsed);
  if (!r.ok()) return r;
  if (parsed.positional.size() != 1) return CliResult::Usage("expected exactly one MODEL argument");

  BenchResult result;
  result.model = parsed.positional[0];
  result.requested_delegate = parsed.Get("delegate").value_or("cpu");
  int64_t warmup = 1, runs = 10, seed = 1, threads = 0;
  for (CliResult c : {IntOption(parsed, "warmup", 0, kMaxRuns, &warmup), IntOption(parsed, "runs", 1, kMaxRuns, &runs),
                      IntOption(parsed, "seed", 0, INT64_MAX, &seed),
                      IntOption(parsed, "threads", 0, kMaxThreads, &threads)}) {
    if (!c.ok()) return c;
  }
  double max_seconds = 0;
  if (auto v = parsed.Get("max-seconds")) {
    char* end = nullptr;
    max_seconds = std::strtod(v->c_str(), &end);
    if (v->empty() || *end != '\0' || !(max_seconds >= 0) || max_seconds > 1e7) {
      return CliResult::Usage("--max-seconds: expected a number of seconds >= 0, got '" + *v + "'");
    }
  }
  InterpreterOptions options;
  options.enable_profiling = true;
  options.num_threads = static_cast<int>(threads);
  result.cpu_kernels = parsed.Get("cpu-kernels").value_or("fast");
  if (result.cpu_kernels == "reference") {
    options.cpu_kernels = CpuKernels::kReference;
  } else if (result.cpu_kernels != "fast") {
    return CliResult::Usage("--cpu-kernels: expected fast or reference, got '" + result.cpu_kernels + "'");
  }
  std::vector<std::pair<std::string, Shape>> shapes;
  for (const std::string& a : parsed.GetAll("input-shape")) {
    auto kv = SplitAssignment(a);
    std::optional<Shape> shape = kv ? ParseShape(kv->second) : std::nullopt;
    if (!kv || kv->first.empty() || kv->second.empty() || !shape) {
      return CliResult::Usage("--input-shape expects NAME=D0,D1,..., got '" + a + "'");
    }
    shapes.emplace_back(kv->first, *shape);
  }
  const std::optional<std::string> json_target = parsed.Get("json");
  if (json_target && json_target->empty()) return CliResult::Usage("--json expects a file name or '-'");
  if (json_target && *json_target != "-") {
    // Fail before a long benchmark, not after it.
    const std::filesystem::path parent = std::filesystem::path(*json_target).parent_path();
    std::error_code ec;
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
      return CliResult::ModelError("--json " + *json_target + ": no directory " + parent.string());
    }
  }
  result.seed = seed;
  result.warmup = warmup;
  result.runs_requested = runs;
  result.max_seconds = max_seconds;
  result.threads = static_cast<int>(threads);
  result.hardware_threads = static_cast<int>(std::thread::hardware_concurrency());

  // --- load, delegate, allocate ------------------------------------------------
  result.at_start = ReadHostMemory();
  auto start = Clock::now();
  auto loaded = Model::FromFile(result.model);
  if (!loaded.ok()) return CliResult::FromStatus(loaded.status());  // names the file
  result.load_ms = MillisSince(start);
  result.after_load = ReadHostMemory();

  start = Clock::now();
  Interpreter interp(loaded.value(), options);
  result.init_ms = MillisSince(start);
  std::shared_ptr<Delegate> delegate;
  start = Clock::now();
  r = ApplyDelegateChoice(parsed, interp, &result.backend, &delegate);
  if (!r.ok()) return r;
  result.delegate_ms = MillisSince(start);

  for (const auto& [name, shape] : shapes) {
    int index = interp.FindTensor(name);
    const std::vector<int>& in = interp.inputs();
    if (std::find(in.begin(), in.end(), index) == in.end()) {
      // Inputs may also be named by position, as in `rnnlite run`.
      const std::optional<int64_t> pos = ParseInt(name);
      index = pos && *pos >= 0 && *pos < static_cast<int64_t>(in.size()) ? in[static_cast<size_t>(*pos)] : -1;
    }
    if (index < 0) {
      std::string names;
      for (int t : in) names += (names.empty() ? "'" : ", '") + interp.tensor(t)->name + "'";
      return CliResult::ModelError("--input-shape: no graph input named '" + name + "'; inputs are " +
                                   (names.empty() ? "(none)" : names));
    }
    Status s = interp.ResizeInputTensor(index, shape);
    if (!s.ok()) return CliResult::FromStatus(s, "--input-shape " + name);
  }
  start = Clock::now();
  Status s = interp.AllocateTensors();
  if (!s.ok()) return CliResult::FromStatus(s, "AllocateTensors");
  result.allocate_ms = MillisSince(start);
  result.arena_bytes = interp.arena_bytes();

  auto inputs = MakeBenchInputs(interp, static_cast<uint64_t>(seed));
  if (!inputs.ok()) return CliResult::FromStatus(inputs.status());
  result.inputs = std::move(inputs).value();
  for (const BenchInput& in : result.inputs) {
    result.input_shapes.emplace_back(in.name, JsonShape(interp.tensor(in.tensor)->shape));
  }
  result.partitions = interp.num_partitions();
  for (const NodePlacement& p : interp.placement()) {
    ++result.nodes;
    if (p.partition >= 0) ++result.delegated_nodes;
  }

  // --- first run, warmup, timed runs -------------------------------------------
  s = TimedRun(interp, result.inputs, &result.first_run_ms);
  if (!s.ok()) return CliResult::FromStatus(s, "Invoke (first run)");
  const double expected_ms = result.first_run_ms * static_cast<double>(warmup + runs);
  {
    ProgressBar bar("warmup", warmup, expected_ms);
    for (int64_t i = 0; i < warmup; ++i) {
      double ms = 0;
      s = TimedRun(interp, result.inputs, &ms);
      if (!s.ok()) return CliResult::FromStatus(s, "Invoke (warmup)");
      result.warmup_ms.push_back(ms);
      bar.Update(i + 1);
    }
  }
  // The profile then covers exactly the timed runs.
  interp.ResetProfile();
  result.before_runs = ReadHostMemory();
  {
    ProgressBar bar("bench", runs, expected_ms);
    constexpr int64_t kMinRunsWithTimeLimit = 3;
    const auto runs_start = Clock::now();
    for (int64_t i = 0; i < runs; ++i) {
      if (max_seconds > 0 && i >= kMinRunsWithTimeLimit && MillisSince(runs_start) > 1e3 * max_seconds) break;
      double ms = 0;
      s = TimedRun(interp, result.inputs, &ms);
      if (!s.ok()) return CliResult::FromStatus(s, "Invoke (run " + std::to_string(i + 1) + ")");
      result.run_ms.push_back(ms);
      bar.Update(i + 1);
    }
  }
  result.after_runs = ReadHostMemory();
  result.runs = Summarize(result.run_ms);
  FillStepTimes(interp.profile(), static_cast<int64_t>(result.run_ms.size()), &result);
  if (delegate) result.device = delegate->device_memory();
  for (size_t i = 0; i < interp.outputs().size(); ++i) {
    const Tensor* t = interp.output_tensor(i);
    result.outputs.emplace_back(t->name, JsonShape(t->shape));
  }

  // --- report -------------------------------------------------------------------
  const bool json_to_stdout = json_target && *json_target == "-";
  PrintTextReport(result, json_to_stdout ? stderr : stdout);
  if (json_target) return WriteJson(*json_target, ToJson(result));
  return CliResult::Ok();
}

}  // namespace rnnlite::cli
