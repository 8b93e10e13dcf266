// Times one SequenceRnn node (rnnlite's recurrent op) per backend:
//
//   cpu-reference  the interpreter with CpuKernels::kReference (the oracle)
//   cpu-fast       the interpreter with CpuKernels::kFast (the default;
//                  threads: RNNLITE_BENCH_THREADS, default 2)
//   vulkan         librnnlite_vulkan.so via LoadDelegatePlugin; CPU-type
//                  devices (lavapipe) only with RNNLITE_VULKAN_ALLOW_CPU=1
//   cuda           librnnlite_cuda.so via LoadDelegatePlugin("cuda"); skipped
//                  with the reason when the plugin or a device is absent
//
// over T in {128, 1024, 8192}, B in {1, 8, 64}, H in {128, 256, 512, 1024},
// LSTM, GRU and RNN, uni- and bidirectional, input size I = H. Names read
//   SequenceRnn/<backend>/<LSTM|GRU|RNN>/<uni|bi>/T:<T>/B:<B>/H:<H>/real_time
// so --benchmark_filter picks a slice. Without a filter only a small slice
// runs (T=128, B in {1, 8}, H=128); the full grid (--benchmark_filter=.)
// is hours of CPU reference time (docs/benchmarks.md).
//
// One iteration is one Invoke: host upload of X, the whole sequence, host
// download of Y. The CPU column is the whole process's CPU time (all
// threads), so CPU > wall means the threads ran in parallel and CPU << wall
// means they waited (a busy machine). Counters:
//   us_per_step  wall microseconds per timestep (Invoke time / T)
//   GFLOP/s      matrix work only, 2*D*T*B*G*H*(I+H) per Invoke (G gates);
//                the elementwise gate math is not counted
//   GB/s         effective bandwidth: the bytes an implementation cannot
//                avoid moving, over the wall time: X and Y once, W once,
//                R once per step (a step needs all of R and, past the
//                caches' size, streams it from memory)
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/sequence_rnn.h"
#include "rnnlite/delegate.h"
#include "rnnlite/graph.h"
#include "rnnlite/interpreter.h"
#include "rnnlite/model.h"

namespace {

using rnnlite::DType;
using rnnlite::RnnCell;
using rnnlite::RnnDirection;

enum class Backend { kCpuReference, kCpuFast, kVulkan, kCuda };

const char* BackendName(Backend b) {
  switch (b) {
    case Backend::kCpuReference: return "cpu-reference";
    case Backend::kCpuFast: return "cpu-fast";
    case Backend::kVulkan: return "vulkan";
    case Backend::kCuda: return "cuda";
  }
  return "?";
}

struct Config {
  Backend backend = Backend::kCpuReference;
  RnnCell cell = RnnCell::kLstm;
  bool bidirectional = false;
  int t = 0;
  int b = 0;
  int h = 0;

  int gates() const { return cell == RnnCell::kLstm ? 4 : cell == RnnCell::kGru ? 3 : 1; }
  int dirs() const { return bidirectional ? 2 : 1; }
  int input_size() const { return h; }
};

std::vector<float> RandomValues(size_t n, float scale, std::mt19937* rng) {
  std::uniform_real_distribution<float> dist(-scale, scale);
  std::vector<float> v(n);
  for (float& x : v) x = dist(*rng);
  return v;
}

// One SequenceRnn node: X is the only graph input, Y (stacked, time-major
// [T, D, B, H]) the only output; weights, biases constant. Matrices are
// scaled by 1/sqrt(columns) so the recurrence stays bounded over 8192 steps
// (no NaN or denormal slow paths skewing the timings).
rnnlite::StatusOr<std::shared_ptr<const rnnlite::Model>> BuildModel(const Config& c) {
  std::mt19937 rng(12345);
  const int d = c.dirs(), g = c.gates(), h = c.h, in = c.input_size();
  rnnlite::Graph graph;
  graph.subgraphs.emplace_back();
  rnnlite::Subgraph& sg = graph.main();

  rnnlite::Tensor x;
  x.name = "x";
  x.dtype = DType::kFloat32;
  x.shape = {c.t, c.b, in};
  x.shape_signature = x.shape;
  const int x_index = sg.AddTensor(std::move(x));
  sg.inputs.push_back(x_index);

  const size_t gh = static_cast<size_t>(g) * h;
  const int w = graph.AddConstant(sg, "w", DType::kFloat32, {d, g * h, in},
                                  RandomValues(d * gh * in, 1.0f / std::sqrt(float(in)), &rng));
  const int r = graph.AddConstant(sg, "r", DType::kFloat32, {d, g * h, h},
                                  RandomValues(d * gh * h, 1.0f / std::sqrt(float(h)), &rng));
  const int wb = graph.AddConstant(sg, "wb", DType::kFloat32, {d, g * h}, RandomValues(d * gh, 0.1f, &rng));
  const int rb = graph.AddConstant(sg, "rb", DType::kFloat32, {d, g * h}, RandomValues(d * gh, 0.1f, &rng));

  rnnlite::Tensor y;
  y.name = "y";
  y.dtype = DType::kFloat32;
  y.shape = {c.t, d, c.b, h};
  const int y_index = sg.AddTensor(std::move(y));
  sg.outputs.push_back(y_index);

  rnnlite::SequenceRnnParams params;
  params.cell = c.cell;
  params.direction = c.bidirectional ? RnnDirection::kBidirectional : RnnDirection::kForward;
  params.time_major = true;
  params.hidden_size = h;
  rnnlite::Node node;
  node.op = rnnlite::Op::kCustom;
  node.custom_code = rnnlite::kSequenceRnnCustomCode;
  node.inputs = {x_index, w, r, wb, rb};
  node.outputs = {y_index};
  params.ToAttrs(&node.attrs);
  sg.nodes.push_back(std::move(node));
  return rnnlite::Model::FromGraph(std::move(graph));
}

rnnlite::StatusOr<std::shared_ptr<rnnlite::Delegate>>* LoadPlugin(const char* name) {
  rnnlite::DelegateOptions options;
  const char* allow = std::getenv("RNNLITE_VULKAN_ALLOW_CPU");
  if (allow != nullptr && std::strcmp(allow, "1") == 0) options.extra["allow_cpu_device"] = "1";
  if (const char* p = std::getenv("RNNLITE_BENCH_PRECISION"); p != nullptr && std::strcmp(p, "fp16") == 0) {
    options.precision = rnnlite::Precision::kFp16;
  }
  return new rnnlite::StatusOr<std::shared_ptr<rnnlite::Delegate>>(rnnlite::LoadDelegatePlugin(name, options));
}

// Loaded once and kept for the process (a GPU device torn down from a
// static destructor can crash inside layers whose statics are already gone).
const rnnlite::StatusOr<std::shared_ptr<rnnlite::Delegate>>& GpuDelegate(Backend b) {
  static auto* vulkan = LoadPlugin("vulkan");
  static auto* cuda = LoadPlugin("cuda");
  return b == Backend::kCuda ? *cuda : *vulkan;
}

int BenchThreads() {
  const char* t = std::getenv("RNNLITE_BENCH_THREADS");
  return t != nullptr ? std::atoi(t) : 2;
}

void RunSequenceRnn(benchmark::State& state, Config c) {
  auto model = BuildModel(c);
  if (!model.ok()) {
    state.SkipWithError(("model: " + model.status().ToString()).c_str());
    return;
  }
  rnnlite::InterpreterOptions options;
  options.max_tensor_bytes = uint64_t{64} << 30;  // the largest grid point needs ~6 GiB of X and Y
  options.cpu_kernels = c.backend == Backend::kCpuReference ? rnnlite::CpuKernels::kReference
                                                             : rnnlite::CpuKernels::kFast;
  options.num_threads = BenchThreads();
  rnnlite::Interpreter interp(model.value(), options);
  if (c.backend == Backend::kVulkan || c.backend == Backend::kCuda) {
    const auto& delegate = GpuDelegate(c.backend);
    if (!delegate.ok()) {
      state.SkipWithError((std::string("no usable ") + BackendName(c.backend) +
                           " backend: " + delegate.status().ToString())
                              .c_str());
      return;
    }
    rnnlite::Status s = interp.ModifyGraphWithDelegate(delegate.value());
    if (!s.ok()) {
      state.SkipWithError(("delegation: " + s.ToString()).c_str());
      return;
    }
    const auto placement = interp.placement();
    if (placement.empty() || placement[0].backend == "cpu") {
      const std::string why = placement.empty() ? "no placement" : placement[0].reason;
      state.SkipWithError(("node stayed on the CPU: " + why).c_str());
      return;
    }
    state.SetLabel(delegate.value()->device());
  }
  if (rnnlite::Status s = interp.AllocateTensors(); !s.ok()) {
    state.SkipWithError(("AllocateTensors: " + s.ToString()).c_str());
    return;
  }
  {
    std::mt19937 rng(777);
    rnnlite::Tensor* x = interp.input_tensor(0);
    const auto values = RandomValues(static_cast<size_t>(x->num_elements()), 1.0f, &rng);
    std::memcpy(x->data, values.data(), values.size() * sizeof(float));
  }
  // Warm-up outside the timing: first-use allocation, pipeline creation.
  if (rnnlite::Status s = interp.Invoke(); !s.ok()) {
    state.SkipWithError(("Invoke: " + s.ToString()).c_str());
    return;
  }

  double seconds = 0.0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    rnnlite::Status s = interp.Invoke();
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!s.ok()) {
      state.SkipWithError(("Invoke: " + s.ToString()).c_str());
      break;
    }
    benchmark::DoNotOptimize(interp.output_tensor(0)->data);
  }
  if (state.iterations() == 0) return;
  const double invokes = static_cast<double>(state.iterations());
  const double flops = 2.0 * c.dirs() * c.t * double(c.b) * c.gates() * c.h * (c.input_size() + c.h);
  state.counters["us_per_step"] = benchmark::Counter(seconds * 1e6 / (invokes * c.t));
  state.counters["GFLOP/s"] = benchmark::Counter(flops * invokes / seconds / 1e9);
  const double io_bytes = 4.0 * c.t * double(c.b) * (c.input_size() + c.dirs() * c.h);
  const double weight_bytes = 4.0 * c.dirs() * c.gates() * double(c.h) * (c.input_size() + double(c.t) * c.h);
  state.counters["GB/s"] = benchmark::Counter((io_bytes + weight_bytes) * invokes / seconds / 1e9);
}

void RegisterAll() {
  for (Backend backend : {Backend::kCpuReference, Backend::kCpuFast, Backend::kVulkan, Backend::kCuda}) {
    for (RnnCell cell : {RnnCell::kLstm, RnnCell::kGru, RnnCell::kRnn}) {
      for (bool bi : {false, true}) {
        for (int t : {128, 1024, 8192}) {
          for (int b : {1, 8, 64}) {
            for (int h : {128, 256, 512, 1024}) {
              const Config c{backend, cell, bi, t, b, h};
              const char* cell_name = cell == RnnCell::kLstm ? "/LSTM" : cell == RnnCell::kGru ? "/GRU" : "/RNN";
              const std::string name = std::string("SequenceRnn/") + BackendName(backend) + cell_name +
                                       (bi ? "/bi" : "/uni") +
                                       "/T:" + std::to_string(t) + "/B:" + std::to_string(b) +
                                       "/H:" + std::to_string(h);
              benchmark::RegisterBenchmark(name.c_str(), [c](benchmark::State& state) { RunSequenceRnn(state, c); })
                  ->Unit(benchmark::kMillisecond)
                  ->MeasureProcessCPUTime()
                  ->UseRealTime();
            }
          }
        }
      }
    }
  }
  // The issue-8 target shapes (T = 1000, B in {1, 16, 64}, I = H in
  // {256, 512}; LSTM, GRU, bidirectional LSTM), compared against ONNX
  // Runtime in docs/performance.md:
  //   SequenceRnnTarget/<backend>/<LSTM|GRU|biLSTM>/T:1000/B:<B>/H:<H>/real_time
  for (Backend backend : {Backend::kCpuReference, Backend::kCpuFast, Backend::kVulkan, Backend::kCuda}) {
    for (int kind = 0; kind < 3; ++kind) {
      for (int b : {1, 16, 64}) {
        for (int h : {256, 512}) {
          const Config c{backend, kind == 1 ? RnnCell::kGru : RnnCell::kLstm, kind == 2, 1000, b, h};
          const std::string name = std::string("SequenceRnnTarget/") + BackendName(backend) +
                                   (kind == 0 ? "/LSTM" : kind == 1 ? "/GRU" : "/biLSTM") +
                                   "/T:1000/B:" + std::to_string(b) + "/H:" + std::to_string(h);
          benchmark::RegisterBenchmark(name.c_str(), [c](benchmark::State& state) { RunSequenceRnn(state, c); })
              ->Unit(benchmark::kMillisecond)
              ->MeasureProcessCPUTime()
              ->UseRealTime();
        }
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  RegisterAll();
  // Default slice when no filter is given (see the top of this file).
  std::vector<char*> args(argv, argv + argc);
  bool has_filter = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--benchmark_filter", 18) == 0) has_filter = true;
  }
  std::string default_filter = "--benchmark_filter=^SequenceRnn/.*/T:128/B:(1|8)/H:128/";
  if (!has_filter) args.push_back(default_filter.data());
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
