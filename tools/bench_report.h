// What `rnnlite bench` measured, and the two ways it is written out: a text
// report for people and JSON for scripts (benchmarks/peers/ reads it).
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "bench_inputs.h"
#include "rnnlite/delegate.h"
#include "rnnlite/interpreter.h"

namespace rnnlite::cli {

struct Summary {
  double min = 0, median = 0, mean = 0, max = 0, stddev = 0;
};
Summary Summarize(const std::vector<double>& values);

// One line of the per-step or per-kind table (times in ms per Invoke).
struct StepTime {
  std::string name;  // step name, or the kind for the per-kind table
  std::string kind;
  std::vector<int> nodes;
  bool delegated = false;
  int steps = 1;     // execution steps merged into this line
  double mean_ms = 0, min_ms = 0, max_ms = 0;
};

// Process memory from /proc/self/status (0 when unreadable, e.g. not Linux).
struct HostMemory {
  uint64_t rss_bytes = 0;   // VmRSS
  uint64_t peak_bytes = 0;  // VmHWM: high-water mark of the resident set
};
HostMemory ReadHostMemory();

struct BenchResult {
  std::string model;
  std::string requested_delegate;
  std::string backend;  // what ran, in words
  std::string cpu_kernels;
  int threads = 0;         // as requested (0 = one per core)
  int hardware_threads = 0;
  int64_t seed = 1;
  int64_t warmup = 0;
  int64_t runs_requested = 0;
  double max_seconds = 0;  // 0: no time limit on the timed runs
  size_t partitions = 0;
  size_t nodes = 0, delegated_nodes = 0;
  std::vector<BenchInput> inputs;  // values are not written out, only how chosen
  std::vector<std::pair<std::string, std::string>> input_shapes;  // name, "[1, 20, 8]"
  std::vector<std::pair<std::string, std::string>> outputs;       // name, shape

  double load_ms = 0, init_ms = 0, delegate_ms = 0, allocate_ms = 0, first_run_ms = 0;
  std::vector<double> warmup_ms, run_ms;
  Summary runs;

  std::vector<StepTime> steps, kinds;  // per Invoke, over the timed runs only

  HostMemory at_start, after_load, before_runs, after_runs;
  uint64_t arena_bytes = 0;
  DeviceMemoryStats device;  // !available: "n/a"
};

// Mean/min/max per step and per kind from the interpreter's profile, which
// must cover exactly `runs` Invokes.
void FillStepTimes(const std::vector<StepProfile>& profile, int64_t runs, BenchResult* r);

void PrintTextReport(const BenchResult& r, std::FILE* out);
std::string ToJson(const BenchResult& r);

// A one-line progress bar on stderr, drawn only when stderr is a terminal
// and the work is expected to take a while; erased when done.
class ProgressBar {
 public:
  ProgressBar(std::string label, int64_t total, double expected_ms);
  ~ProgressBar();
  void Update(int64_t done);

 private:
  std::string label_;
  int64_t total_;
  bool enabled_;
  double last_draw_ms_ = -1e9;
};

}  // namespace rnnlite::cli
