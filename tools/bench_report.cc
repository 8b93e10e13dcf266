#include "bench_report.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>

#include "cli_util.h"

namespace rnnlite::cli {
namespace {

double NowMs() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// ---- JSON writing ------------------------------------------------------------

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

// Finite numbers only: JSON has no NaN or infinity.
std::string JsonNumber(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

std::string JsonNumbers(const std::vector<double>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + JsonNumber(v[i]);
  return s + "]";
}

std::string JsonInts(const std::vector<int>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

std::string JsonSummary(const Summary& s) {
  return "{\"min\": " + JsonNumber(s.min) + ", \"median\": " + JsonNumber(s.median) + ", \"mean\": " +
         JsonNumber(s.mean) + ", \"max\": " + JsonNumber(s.max) + ", \"stddev\": " + JsonNumber(s.stddev) + "}";
}

std::string JsonMemory(const HostMemory& m) {
  return "{\"rss_bytes\": " + std::to_string(m.rss_bytes) + ", \"peak_rss_bytes\": " + std::to_string(m.peak_bytes) +
         "}";
}

std::string JsonStepTimes(const std::vector<StepTime>& steps, bool per_kind, const std::string& indent) {
  std::string s = "[";
  for (size_t i = 0; i < steps.size(); ++i) {
    const StepTime& st = steps[i];
    s += (i ? ",\n" : "\n") + indent + "  {";
    if (!per_kind) s += "\"name\": " + JsonString(st.name) + ", ";
    s += "\"kind\": " + JsonString(st.kind) + ", \"delegated\": " + (st.delegated ? "true" : "false");
    if (per_kind) {
      s += ", \"steps\": " + std::to_string(st.steps);
    } else {
      s += ", \"nodes\": " + JsonInts(st.nodes);
    }
    s += ", \"mean_ms\": " + JsonNumber(st.mean_ms) + ", \"min_ms\": " + JsonNumber(st.min_ms) +
         ", \"max_ms\": " + JsonNumber(st.max_ms) + "}";
  }
  return s + (steps.empty() ? "]" : "\n" + indent + "]");
}

// ---- text --------------------------------------------------------------------

std::string Ms(double ms) {
  char buf[32];
  if (ms >= 100) {
    std::snprintf(buf, sizeof(buf), "%.1f ms", ms);
  } else {
    std::snprintf(buf, sizeof(buf), "%.3f ms", ms);
  }
  return buf;
}

std::string Bytes(uint64_t b) { return b == 0 ? std::string("n/a") : FormatBytes(b); }

int64_t Growth(const HostMemory& before, const HostMemory& after) {
  return static_cast<int64_t>(after.rss_bytes) - static_cast<int64_t>(before.rss_bytes);
}

std::string SignedBytes(int64_t b) {
  return (b < 0 ? "-" : "+") + FormatBytes(static_cast<uint64_t>(b < 0 ? -b : b));
}

}  // namespace

Summary Summarize(const std::vector<double>& values) {
  Summary s;
  if (values.empty()) return s;
  std::vector<double> v = values;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  s.min = v.front();
  s.max = v.back();
  s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  s.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(n);
  double var = 0;
  for (double x : v) var += (x - s.mean) * (x - s.mean);
  s.stddev = n > 1 ? std::sqrt(var / static_cast<double>(n - 1)) : 0.0;
  return s;
}

HostMemory ReadHostMemory() {
  HostMemory m;
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    uint64_t* field = nullptr;
    if (line.rfind("VmRSS:", 0) == 0) field = &m.rss_bytes;
    if (line.rfind("VmHWM:", 0) == 0) field = &m.peak_bytes;
    if (field == nullptr) continue;
    std::istringstream in(line.substr(6));
    uint64_t kib = 0;
    if (in >> kib) *field = kib * 1024;  // the kernel reports kB (KiB)
  }
  return m;
}

void FillStepTimes(const std::vector<StepProfile>& profile, int64_t runs, BenchResult* r) {
  r->steps.clear();
  r->kinds.clear();
  const double per_run = runs > 0 ? 1e-6 / static_cast<double>(runs) : 0.0;
  std::map<std::string, size_t> kind_index;
  for (const StepProfile& p : profile) {
    StepTime st;
    st.name = p.name;
    st.kind = p.kind;
    st.nodes = p.nodes;
    st.delegated = p.delegated;
    st.mean_ms = static_cast<double>(p.total_ns) * per_run;
    st.min_ms = static_cast<double>(p.min_ns) * 1e-6;
    st.max_ms = static_cast<double>(p.max_ns) * 1e-6;
    r->steps.push_back(st);

    auto [it, inserted] = kind_index.emplace(p.kind, r->kinds.size());
    if (inserted) {
      StepTime k = st;
      k.name = p.kind;
      k.nodes.clear();
      r->kinds.push_back(k);
      continue;
    }
    // Per kind: mean adds up (time per Invoke in that kind); min/max are of
    // single steps of that kind.
    StepTime& k = r->kinds[it->second];
    k.steps += 1;
    k.mean_ms += st.mean_ms;
    k.min_ms = std::min(k.min_ms, st.min_ms);
    k.max_ms = std::max(k.max_ms, st.max_ms);
  }
  std::stable_sort(r->kinds.begin(), r->kinds.end(),
                   [](const StepTime& a, const StepTime& b) { return a.mean_ms > b.mean_ms; });
}

void PrintTextReport(const BenchResult& r, std::FILE* out) {
  std::fprintf(out, "model: %s\n", r.model.c_str());
  std::fprintf(out, "backend: %s (%zu partition%s, %zu of %zu nodes delegated)\n", r.backend.c_str(), r.partitions,
               r.partitions == 1 ? "" : "s", r.delegated_nodes, r.nodes);
  std::fprintf(out, "cpu kernels: %s, threads: %s (%d hardware)\n", r.cpu_kernels.c_str(),
               r.threads > 0 ? std::to_string(r.threads).c_str() : "auto", r.hardware_threads);
  std::fprintf(out, "inputs:\n");
  for (size_t i = 0; i < r.inputs.size(); ++i) {
    std::fprintf(out, "  %s  %s  <- %s\n", OneLine(r.inputs[i].name).c_str(), r.input_shapes[i].second.c_str(),
                 r.inputs[i].values.c_str());
  }
  std::fprintf(out, "outputs:\n");
  for (const auto& [name, shape] : r.outputs) std::fprintf(out, "  %s  %s\n", OneLine(name).c_str(), shape.c_str());

  std::fprintf(out, "init: load %s, interpreter %s, delegate %s, allocate %s\n", Ms(r.load_ms).c_str(),
               Ms(r.init_ms).c_str(), Ms(r.delegate_ms).c_str(), Ms(r.allocate_ms).c_str());
  std::fprintf(out, "first run: %s\n", Ms(r.first_run_ms).c_str());
  if (!r.warmup_ms.empty()) {
    std::fprintf(out, "warmup: %zu run%s, mean %s\n", r.warmup_ms.size(), r.warmup_ms.size() == 1 ? "" : "s",
                 Ms(Summarize(r.warmup_ms).mean).c_str());
  }
  std::fprintf(out, "runs: %zu  min %s  median %s  mean %s  max %s  stddev %s\n", r.run_ms.size(),
               Ms(r.runs.min).c_str(), Ms(r.runs.median).c_str(), Ms(r.runs.mean).c_str(), Ms(r.runs.max).c_str(),
               Ms(r.runs.stddev).c_str());

  if (!r.kinds.empty()) {
    std::fprintf(out, "time per Invoke by kind (mean over the timed runs):\n");
    for (const StepTime& k : r.kinds) {
      const double share = r.runs.mean > 0 ? 100.0 * k.mean_ms / r.runs.mean : 0.0;
      std::fprintf(out, "  %-34s %4d step%s  %12s  %5.1f%%\n", OneLine(k.kind).c_str(), k.steps,
                   k.steps == 1 ? " " : "s", Ms(k.mean_ms).c_str(), share);
    }
    // The per-step list only says more than the per-kind one when there
    // are partitions or several steps of a kind; keep it short otherwise.
    if (r.steps.size() != r.kinds.size() || r.partitions > 0) {
      std::fprintf(out, "time per Invoke by step:\n");
      for (const StepTime& s : r.steps) {
        std::fprintf(out, "  %-34s %12s  (min %s, max %s)\n", OneLine(s.name).c_str(), Ms(s.mean_ms).c_str(),
                     Ms(s.min_ms).c_str(), Ms(s.max_ms).c_str());
      }
    }
  }

  std::fprintf(out, "host memory: peak RSS %s, RSS after load %s, before runs %s, growth during runs %s\n",
               Bytes(r.after_runs.peak_bytes).c_str(), Bytes(r.after_load.rss_bytes).c_str(),
               Bytes(r.before_runs.rss_bytes).c_str(), SignedBytes(Growth(r.before_runs, r.after_runs)).c_str());
  std::fprintf(out, "tensor arena: %s\n", FormatBytes(r.arena_bytes).c_str());
  if (r.device.available) {
    std::fprintf(out, "device memory: current %s, peak %s\n", FormatBytes(r.device.current_bytes).c_str(),
                 FormatBytes(r.device.peak_bytes).c_str());
  } else {
    std::fprintf(out, "device memory: n/a\n");
  }
}

std::string ToJson(const BenchResult& r) {
  std::string j = "{\n";
  j += "  \"rnnlite_version\": " + JsonString(kVersion) + ",\n";
  j += "  \"model\": " + JsonString(r.model) + ",\n";
  j += "  \"backend\": {\"requested\": " + JsonString(r.requested_delegate) + ", \"name\": " + JsonString(r.backend) +
       ", \"partitions\": " + std::to_string(r.partitions) + ", \"nodes\": " + std::to_string(r.nodes) +
       ", \"delegated_nodes\": " + std::to_string(r.delegated_nodes) + "},\n";
  j += "  \"config\": {\"cpu_kernels\": " + JsonString(r.cpu_kernels) + ", \"threads\": " + std::to_string(r.threads) +
       ", \"hardware_threads\": " + std::to_string(r.hardware_threads) + ", \"warmup\": " + std::to_string(r.warmup) +
       ", \"runs\": " + std::to_string(r.run_ms.size()) + ", \"runs_requested\": " + std::to_string(r.runs_requested) +
       ", \"max_seconds\": " + JsonNumber(r.max_seconds) + ", \"seed\": " + std::to_string(r.seed) + "},\n";
  j += "  \"inputs\": [";
  for (size_t i = 0; i < r.inputs.size(); ++i) {
    j += std::string(i ? ", " : "") + "{\"name\": " + JsonString(r.inputs[i].name) +
         ", \"shape\": " + r.input_shapes[i].second + ", \"values\": " + JsonString(r.inputs[i].values) + "}";
  }
  j += "],\n  \"outputs\": [";
  for (size_t i = 0; i < r.outputs.size(); ++i) {
    j += std::string(i ? ", " : "") + "{\"name\": " + JsonString(r.outputs[i].first) +
         ", \"shape\": " + r.outputs[i].second + "}";
  }
  j += "],\n";
  j += "  \"init_ms\": {\"load\": " + JsonNumber(r.load_ms) + ", \"interpreter\": " + JsonNumber(r.init_ms) +
       ", \"delegate\": " + JsonNumber(r.delegate_ms) + ", \"allocate\": " + JsonNumber(r.allocate_ms) + "},\n";
  j += "  \"first_run_ms\": " + JsonNumber(r.first_run_ms) + ",\n";
  j += "  \"warmup_ms\": " + JsonNumbers(r.warmup_ms) + ",\n";
  j += "  \"run_ms\": " + JsonNumbers(r.run_ms) + ",\n";
  j += "  \"runs\": " + JsonSummary(r.runs) + ",\n";
  j += "  \"steps\": " + JsonStepTimes(r.steps, false, "  ") + ",\n";
  j += "  \"kinds\": " + JsonStepTimes(r.kinds, true, "  ") + ",\n";
  j += "  \"memory\": {\n";
  j += "    \"at_start\": " + JsonMemory(r.at_start) + ",\n";
  j += "    \"after_load\": " + JsonMemory(r.after_load) + ",\n";
  j += "    \"before_runs\": " + JsonMemory(r.before_runs) + ",\n";
  j += "    \"after_runs\": " + JsonMemory(r.after_runs) + ",\n";
  j += "    \"peak_rss_bytes\": " + std::to_string(r.after_runs.peak_bytes) + ",\n";
  j += "    \"rss_growth_during_runs_bytes\": " + std::to_string(Growth(r.before_runs, r.after_runs)) + ",\n";
  j += "    \"arena_bytes\": " + std::to_string(r.arena_bytes) + ",\n";
  j += "    \"device\": ";
  if (r.device.available) {
    j += "{\"current_bytes\": " + std::to_string(r.device.current_bytes) +
         ", \"peak_bytes\": " + std::to_string(r.device.peak_bytes) + "}\n";
  } else {
    j += "null\n";
  }
  j += "  }\n}\n";
  return j;
}

ProgressBar::ProgressBar(std::string label, int64_t total, double expected_ms)
    : label_(std::move(label)), total_(total), enabled_(total > 1 && expected_ms > 1000.0 && isatty(STDERR_FILENO)) {}

ProgressBar::~ProgressBar() {
  if (enabled_) std::fprintf(stderr, "\r\033[K");
}

void ProgressBar::Update(int64_t done) {
  if (!enabled_) return;
  const double now = NowMs();
  if (done < total_ && now - last_draw_ms_ < 100) return;  // at most 10 redraws a second
  last_draw_ms_ = now;
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(kWidth * done / std::max<int64_t>(total_, 1));
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(stderr, "\r%s [%s] %lld/%lld", label_.c_str(), bar.c_str(), static_cast<long long>(done),
               static_cast<long long>(total_));
  std::fflush(stderr);
}

}  // namespace rnnlite::cli
