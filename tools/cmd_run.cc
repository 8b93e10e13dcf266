// `rnnlite run MODEL ...`: feed inputs (.npy files or seeded random values),
// invoke, print and save outputs, report timings.
#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "cli_util.h"
#include "delegate_choice.h"
#include "npy.h"
#include "random_values.h"
#include "rnnlite/convert.h"
#include "rnnlite/interpreter.h"
#include "rnnlite/model.h"

namespace rnnlite::cli {
namespace {

constexpr size_t kPrintedValues = 8;
constexpr int64_t kMaxRuns = 1000000;

const std::vector<OptionSpec> kRunOptions = {
    {"input", true, true},        {"random-inputs", false, false}, {"seed", true, false},
    {"input-shape", true, true},  {"output-dir", true, false},     {"runs", true, false},
    {"check", false, false},      {"fuse-loops", false, false},
};

std::vector<OptionSpec> RunOptions() {
  std::vector<OptionSpec> specs = kRunOptions;
  specs.insert(specs.end(), kDelegateOptions.begin(), kDelegateOptions.end());
  return specs;
}

using Clock = std::chrono::steady_clock;

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// What one graph input will be fed with.
struct InputPlan {
  int tensor = -1;
  std::string name;
  std::string source;  // for the report: the file or "random"
  std::optional<npy::Array> array;
  std::optional<Shape> shape;  // from --input-shape
  std::vector<uint8_t> bytes;  // final value, copied in before every run
};

std::string NpyShapeString(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::optional<Shape> ToShape(const std::vector<int64_t>& dims) {
  Shape shape;
  for (int64_t d : dims) {
    if (d < 0 || d > std::numeric_limits<int32_t>::max()) return std::nullopt;
    shape.push_back(static_cast<int32_t>(d));
  }
  return shape;
}

std::string InputNames(const Interpreter& interp) {
  std::string names;
  for (int t : interp.inputs()) {
    if (!names.empty()) names += ", ";
    names += "'" + interp.subgraph().tensors.at(static_cast<size_t>(t)).name + "'";
  }
  return names.empty() ? "(none)" : names;
}

// Position among the graph inputs of the input called `name` (or numbered
// `name`), or -1.
int FindInput(const Interpreter& interp, const std::string& name) {
  const std::vector<int>& inputs = interp.inputs();
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (interp.subgraph().tensors.at(static_cast<size_t>(inputs[i])).name == name) return static_cast<int>(i);
  }
  const std::optional<int64_t> pos = ParseInt(name);
  if (pos && *pos >= 0 && *pos < static_cast<int64_t>(inputs.size())) return static_cast<int>(*pos);
  return -1;
}

std::string Ms(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3f ms", ms);
  return buf;
}

CliResult WriteOutputs(Interpreter& interp, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    return CliResult::ModelError("--output-dir " + dir + ": cannot create directory" +
                                 (ec ? ": " + ec.message() : std::string()));
  }
  std::set<std::string> used;
  for (size_t i = 0; i < interp.outputs().size(); ++i) {
    const Tensor* t = interp.output_tensor(i);
    std::string stem = SanitizeFileName(t->name.empty() ? "output_" + std::to_string(i) : t->name);
    // Two names may sanitize to the same stem ("a:0" and "a/0").
    if (used.count(stem)) stem += "_" + std::to_string(i);
    used.insert(stem);
    const std::string path = (std::filesystem::path(dir) / (stem + ".npy")).string();
    if (npy::DescrFor(t->dtype).empty()) {
      std::printf("skipped output '%s': dtype %s cannot be stored in .npy\n", OneLine(t->name).c_str(),
                  DTypeName(t->dtype).c_str());
      continue;
    }
    const std::vector<int64_t> shape(t->shape.begin(), t->shape.end());
    const size_t size = static_cast<size_t>(std::max<int64_t>(t->num_elements(), 0)) * DTypeSize(t->dtype);
    if (size > t->bytes) {
      return CliResult::ModelError("output '" + t->name + "': tensor holds " + std::to_string(t->bytes) +
                                   " bytes, shape needs " + std::to_string(size));
    }
    Status s = npy::WriteFile(path, t->dtype, shape, t->data, size);
    if (!s.ok()) return CliResult::FromStatus(s, "output '" + t->name + "'");
    std::printf("wrote %s\n", path.c_str());
  }
  return CliResult::Ok();
}

// Runs the same inputs on a CPU-only interpreter and prints, per output, the
// largest absolute and relative difference from the delegated run.
CliResult CheckAgainstCpu(const std::shared_ptr<const Model>& model, Interpreter& delegated,
                          const std::vector<InputPlan>& plans) {
  Interpreter cpu(model);
  for (const InputPlan& plan : plans) {
    Status s = cpu.ResizeInputTensor(plan.tensor, delegated.tensor(plan.tensor)->shape);
    if (!s.ok()) return CliResult::FromStatus(s, "--check");
  }
  Status s = cpu.AllocateTensors();
  if (!s.ok()) return CliResult::FromStatus(s, "--check: AllocateTensors");
  for (const InputPlan& plan : plans) {
    if (!plan.bytes.empty()) std::memcpy(cpu.tensor(plan.tensor)->data, plan.bytes.data(), plan.bytes.size());
  }
  s = cpu.Invoke();
  if (!s.ok()) return CliResult::FromStatus(s, "--check: CPU reference Invoke");
  std::printf("check against the CPU reference:\n");
  for (size_t i = 0; i < delegated.outputs().size(); ++i) {
    const Tensor* a = delegated.output_tensor(i);
    const Tensor* b = cpu.output_tensor(i);
    if (a->shape != b->shape || a->dtype != b->dtype) {
      std::printf("  %s  shape/dtype differ: %s vs %s\n", OneLine(a->name).c_str(), ShapeToString(a->shape).c_str(),
                  ShapeToString(b->shape).c_str());
      continue;
    }
    if (a->dtype != DType::kFloat32) {
      bool same = a->bytes == b->bytes && (a->bytes == 0 || std::memcmp(a->data, b->data, a->bytes) == 0);
      std::printf("  %s  %s\n", OneLine(a->name).c_str(), same ? "identical" : "DIFFERENT");
      continue;
    }
    double max_abs = 0, max_rel = 0;
    const float* x = a->data_as<float>();
    const float* y = b->data_as<float>();
    for (int64_t k = 0; k < a->num_elements(); ++k) {
      double d = std::fabs(static_cast<double>(x[k]) - y[k]);
      if (std::isnan(d)) d = std::numeric_limits<double>::infinity();
      max_abs = std::max(max_abs, d);
      max_rel = std::max(max_rel, d / std::max(1e-12, std::fabs(static_cast<double>(y[k]))));
    }
    std::printf("  %s  max_abs_diff %.3g  max_rel_diff %.3g\n", OneLine(a->name).c_str(), max_abs, max_rel);
  }
  return CliResult::Ok();
}

}  // namespace

CliResult RunRun(const std::vector<std::string>& args) {
  ParsedArgs parsed;
  CliResult r = ParseArgs(args, RunOptions(), &parsed);
  if (!r.ok()) return r;
  if (parsed.positional.size() != 1) return CliResult::Usage("expected exactly one MODEL argument");
  const std::string& path = parsed.positional[0];

  int64_t seed = 1;
  if (auto v = parsed.Get("seed")) {
    const std::optional<int64_t> n = ParseInt(*v);
    if (!n) return CliResult::Usage("--seed: '" + *v + "' is not an integer");
    seed = *n;
  }
  int64_t runs = 1;
  if (auto v = parsed.Get("runs")) {
    const std::optional<int64_t> n = ParseInt(*v);
    if (!n || *n < 1 || *n > kMaxRuns) return CliResult::Usage("--runs: expected an integer in [1, 1000000]");
    runs = *n;
  }
  const bool random_inputs = parsed.Has("random-inputs");
  std::vector<std::pair<std::string, std::string>> input_files, input_shapes;
  for (const std::string& a : parsed.GetAll("input")) {
    auto kv = SplitAssignment(a);
    if (!kv || kv->first.empty() || kv->second.empty()) {
      return CliResult::Usage("--input expects NAME=FILE.npy, got '" + a + "'");
    }
    input_files.push_back(*kv);
  }
  for (const std::string& a : parsed.GetAll("input-shape")) {
    auto kv = SplitAssignment(a);
    if (!kv || kv->first.empty() || !ParseShape(kv->second)) {
      return CliResult::Usage("--input-shape expects NAME=D0,D1,..., got '" + a + "'");
    }
    input_shapes.push_back(*kv);
  }

  // --- load ------------------------------------------------------------------
  auto start = Clock::now();
  // --fuse-loops: TensorFlow's WHILE-loop RNNs become fused recurrent nodes.
  LoopFusionReport fusion;
  auto loaded = parsed.Has("fuse-loops") ? LoadTfliteFusingLoops(path, &fusion) : Model::FromFile(path);
  if (!loaded.ok()) return CliResult::FromStatus(loaded.status(), parsed.Has("fuse-loops") ? path : "");
  if (parsed.Has("fuse-loops")) std::printf("%s\n", fusion.Summary().c_str());
  const double load_ms = MillisSince(start);
  Interpreter interp(loaded.value());
  std::string backend;
  start = Clock::now();
  CliResult delegated = ApplyDelegateChoice(parsed, interp, &backend);
  if (!delegated.ok()) return delegated;
  const double delegate_ms = MillisSince(start);

  std::vector<InputPlan> plans(interp.inputs().size());
  for (size_t i = 0; i < plans.size(); ++i) {
    plans[i].tensor = interp.inputs()[i];
    plans[i].name = interp.tensor(plans[i].tensor)->name;
  }
  for (const auto& [name, file] : input_files) {
    const int pos = FindInput(interp, name);
    if (pos < 0) {
      return CliResult::ModelError("--input: no graph input named '" + name + "'; inputs are " + InputNames(interp));
    }
    InputPlan& plan = plans[static_cast<size_t>(pos)];
    if (plan.array) return CliResult::Usage("--input: input '" + plan.name + "' given more than once");
    auto array = npy::ReadFile(file);
    if (!array.ok()) return CliResult::FromStatus(array.status(), "input '" + plan.name + "'");
    plan.array = std::move(array).value();
    plan.source = file;
  }
  for (const auto& [name, dims] : input_shapes) {
    const int pos = FindInput(interp, name);
    if (pos < 0) {
      return CliResult::ModelError("--input-shape: no graph input named '" + name + "'; inputs are " +
                                   InputNames(interp));
    }
    InputPlan& plan = plans[static_cast<size_t>(pos)];
    if (plan.shape) return CliResult::Usage("--input-shape: input '" + plan.name + "' given more than once");
    plan.shape = ParseShape(dims);
  }
  for (InputPlan& plan : plans) {
    if (!plan.array && !random_inputs) {
      return CliResult::Usage("input '" + plan.name + "' has no value: pass --input " + plan.name +
                              "=FILE.npy or --random-inputs");
    }
    if (plan.source.empty()) plan.source = "random (seed " + std::to_string(seed) + ")";
  }

  // --- resize + allocate ------------------------------------------------------
  for (InputPlan& plan : plans) {
    std::optional<Shape> want = plan.shape;
    if (!want && plan.array) {
      want = ToShape(plan.array->shape);
      if (!want) {
        return CliResult::ModelError("input '" + plan.name + "': .npy shape " + NpyShapeString(plan.array->shape) +
                                     " has a dimension too large for a tensor");
      }
    }
    if (!want || *want == interp.tensor(plan.tensor)->shape) continue;
    Status s = interp.ResizeInputTensor(plan.tensor, *want);
    if (!s.ok()) {
      const std::string from = plan.shape ? "--input-shape" : plan.source;
      return CliResult::FromStatus(s, "input '" + plan.name + "' (" + from + ")");
    }
  }
  start = Clock::now();
  Status allocated = interp.AllocateTensors();
  if (!allocated.ok()) return CliResult::FromStatus(allocated, "AllocateTensors");
  const double allocate_ms = MillisSince(start);

  // --- input values -----------------------------------------------------------
  for (size_t i = 0; i < plans.size(); ++i) {
    InputPlan& plan = plans[i];
    const Tensor* t = interp.tensor(plan.tensor);
    const int64_t count = t->num_elements();
    if (count < 0) {
      return CliResult::ModelError("input '" + plan.name + "': unresolved shape " + ShapeToString(t->shape));
    }
    const size_t size = static_cast<size_t>(count) * DTypeSize(t->dtype);
    if (plan.array) {
      if (plan.array->dtype != t->dtype) {
        return CliResult::ModelError("input '" + plan.name + "': " + plan.source + " holds " +
                                     DTypeName(plan.array->dtype) + ", the tensor is " + DTypeName(t->dtype));
      }
      if (plan.array->shape != std::vector<int64_t>(t->shape.begin(), t->shape.end())) {
        return CliResult::ModelError("input '" + plan.name + "': " + plan.source + " has shape " +
                                     NpyShapeString(plan.array->shape) + ", the tensor has shape " +
                                     ShapeToString(t->shape));
      }
      plan.bytes = std::move(plan.array->data);
    } else {
      // Each input gets its own stream, so adding an input does not change
      // the values of the others.
      Status s = FillRandomValues(t->dtype, static_cast<size_t>(count), static_cast<uint64_t>(seed) * 1000003u + i,
                            &plan.bytes);
      if (!s.ok()) return CliResult::FromStatus(s, "input '" + plan.name + "'");
    }
    if (plan.bytes.size() != size || size > t->bytes || (size != 0 && t->data == nullptr)) {
      return CliResult::ModelError("input '" + plan.name + "': " + std::to_string(plan.bytes.size()) +
                                   " bytes do not fit the tensor's " + std::to_string(t->bytes));
    }
  }

  // --- invoke -----------------------------------------------------------------
  std::vector<double> invoke_ms;
  for (int64_t run = 0; run < runs; ++run) {
    if (run > 0) {
      Status s = interp.ResetVariableTensors();
      if (!s.ok()) return CliResult::FromStatus(s, "ResetVariableTensors");
    }
    // Re-copied every run: the memory plan may reuse an input's buffer.
    for (const InputPlan& plan : plans) {
      Tensor* t = interp.tensor(plan.tensor);
      if (!plan.bytes.empty()) std::memcpy(t->data, plan.bytes.data(), plan.bytes.size());
    }
    start = Clock::now();
    Status s = interp.Invoke();
    invoke_ms.push_back(MillisSince(start));
    if (!s.ok()) return CliResult::FromStatus(s, "Invoke");
  }

  // --- report -----------------------------------------------------------------
  std::printf("model: %s\n", path.c_str());
  std::printf("backend: %s (%zu partition%s, setup %s)\n", backend.c_str(), interp.num_partitions(),
              interp.num_partitions() == 1 ? "" : "s", Ms(delegate_ms).c_str());
  std::printf("inputs:\n");
  for (const InputPlan& plan : plans) {
    const Tensor* t = interp.tensor(plan.tensor);
    std::printf("  %s  %s %s  <- %s\n", OneLine(plan.name).c_str(), DTypeName(t->dtype).c_str(),
                ShapeToString(t->shape).c_str(), plan.source.c_str());
  }
  std::printf("outputs:\n");
  for (size_t i = 0; i < interp.outputs().size(); ++i) {
    const Tensor* t = interp.output_tensor(i);
    const int64_t count = std::max<int64_t>(t->num_elements(), 0);
    const size_t size = std::min(static_cast<size_t>(count) * DTypeSize(t->dtype), t->bytes);
    std::printf("  %s  %s %s  %s\n", OneLine(t->name).c_str(), DTypeName(t->dtype).c_str(),
                ShapeToString(t->shape).c_str(), FormatValues(t->dtype, t->data, size, kPrintedValues).c_str());
  }
  std::vector<double> sorted = invoke_ms;
  std::sort(sorted.begin(), sorted.end());
  const double median = sorted.size() % 2 ? sorted[sorted.size() / 2]
                                          : (sorted[sorted.size() / 2 - 1] + sorted[sorted.size() / 2]) / 2;
  std::printf("timing: load %s, allocate %s, invoke min %s, median %s (%lld run%s)\n", Ms(load_ms).c_str(),
              Ms(allocate_ms).c_str(), Ms(sorted.front()).c_str(), Ms(median).c_str(), static_cast<long long>(runs),
              runs == 1 ? "" : "s");

  if (parsed.Has("check")) {
    CliResult c = CheckAgainstCpu(loaded.value(), interp, plans);
    if (!c.ok()) return c;
  }
  if (auto dir = parsed.Get("output-dir")) return WriteOutputs(interp, *dir);
  return CliResult::Ok();
}

}  // namespace rnnlite::cli
