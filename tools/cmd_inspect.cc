// `rnnlite inspect MODEL`: what is in a .tflite file, without running it.
#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "cli_util.h"
#include "delegate_choice.h"
#include "rnnlite/convert.h"
#include "rnnlite/interpreter.h"
#include "rnnlite/model.h"

namespace rnnlite::cli {
namespace {

constexpr size_t kMaxListedInts = 16;

std::string ActivationName(int64_t v) {
  static const char* const kNames[] = {"NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT"};
  if (v >= 0 && v < 6) return kNames[v];
  return std::to_string(v);
}

// Enum-valued option fields are stored as ints; naming them makes the
// listing readable without the schema at hand.
std::string FormatAttr(const std::string& name, const AttrValue& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) {
    if (name == "fused_activation_function") return ActivationName(*i);
    if (name == "padding") return *i == 0 ? "SAME" : *i == 1 ? "VALID" : std::to_string(*i);
    if (name == "out_type" || name == "output_type" || name == "in_data_type" || name == "out_data_type" ||
        name == "quantized_bias_type") {
      return IsKnownDType(static_cast<int>(*i)) ? DTypeName(static_cast<DType>(*i)) : std::to_string(*i);
    }
    return std::to_string(*i);
  }
  if (const auto* d = std::get_if<double>(&value)) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%g", *d);
    return buf;
  }
  if (const auto* s = std::get_if<std::string>(&value)) return "\"" + OneLine(*s) + "\"";
  auto list = [](const auto& values) {
    std::string out = "[";
    for (size_t k = 0; k < values.size() && k < kMaxListedInts; ++k) {
      if (k) out += ",";
      if constexpr (std::is_same_v<std::decay_t<decltype(values[k])>, double>) {
        char buf[32];
        std::snprintf(buf, sizeof(buf), "%g", values[k]);
        out += buf;
      } else {
        out += std::to_string(values[k]);
      }
    }
    if (values.size() > kMaxListedInts) out += ",...(" + std::to_string(values.size()) + ")";
    return out + "]";
  };
  if (const auto* v = std::get_if<std::vector<int64_t>>(&value)) return list(*v);
  if (const auto* v = std::get_if<std::vector<double>>(&value)) return list(*v);
  return "?";
}

std::string IndexList(const std::vector<int>& indices) {
  std::string out = "[";
  for (size_t k = 0; k < indices.size(); ++k) {
    if (k) out += ", ";
    out += indices[k] < 0 ? std::string("-") : std::to_string(indices[k]);
  }
  return out + "]";
}

bool Contains(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// Bytes the tensor occupies at its current shape ("?" if not computable).
std::string TensorBytes(const Tensor& t) {
  if (t.is_constant()) return std::to_string(t.constant_bytes);
  const int64_t n = NumElements(t.shape);
  const size_t item = DTypeSize(t.dtype);
  if (n < 0 || item == 0) return "?";
  return std::to_string(static_cast<uint64_t>(n) * item);
}

std::string Quantization(const QuantizationParams& q) {
  if (q.empty()) return "";
  std::string out = "  quant(";
  if (!q.scale.empty()) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "scale=%g", static_cast<double>(q.scale[0]));
    out += buf;
    if (q.scale.size() > 1) out += "..x" + std::to_string(q.scale.size());
  }
  if (!q.zero_point.empty()) out += " zero_point=" + std::to_string(q.zero_point[0]);
  return out + ")";
}

void PrintSubgraph(size_t index, const Subgraph& sg) {
  std::printf("\nsubgraph %zu%s%s: %zu tensors, %zu ops, inputs %s, outputs %s\n", index,
              sg.name.empty() ? "" : " ", sg.name.empty() ? "" : ("'" + OneLine(sg.name) + "'").c_str(),
              sg.tensors.size(), sg.nodes.size(), IndexList(sg.inputs).c_str(), IndexList(sg.outputs).c_str());

  size_t name_width = 4;
  for (const Tensor& t : sg.tensors) name_width = std::max(name_width, std::min<size_t>(t.name.size(), 48));
  std::printf("  tensors:\n");
  std::printf("    %4s  %-*s  %-8s  %-16s  %-16s  %-10s  %-6s  %s\n", "idx", static_cast<int>(name_width), "name",
              "dtype", "shape", "signature", "kind", "role", "bytes");
  // Tensors no node or graph boundary refers to (e.g. weights the loader
  // repacked into a fused op) are listed as "unused".
  std::vector<bool> used(sg.tensors.size(), false);
  auto mark = [&](const std::vector<int>& indices) {
    for (int t : indices) {
      if (t >= 0 && static_cast<size_t>(t) < used.size()) used[static_cast<size_t>(t)] = true;
    }
  };
  mark(sg.inputs);
  mark(sg.outputs);
  for (const Node& n : sg.nodes) {
    mark(n.inputs);
    mark(n.outputs);
    mark(n.intermediates);
  }
  uint64_t constant_total = 0;
  for (size_t i = 0; i < sg.tensors.size(); ++i) {
    const Tensor& t = sg.tensors[i];
    const char* kind = t.is_constant() ? "constant" : t.is_variable ? "variable" : "activation";
    const int idx = static_cast<int>(i);
    const char* role = Contains(sg.inputs, idx)    ? "input"
                       : Contains(sg.outputs, idx) ? "output"
                       : !used[i]                  ? "unused"
                                                   : "-";
    const std::string sig =
        t.shape_signature.empty() || t.shape_signature == t.shape ? "-" : ShapeToString(t.shape_signature);
    if (t.is_constant() && used[i]) constant_total += t.constant_bytes;
    std::printf("    %4zu  %-*s  %-8s  %-16s  %-16s  %-10s  %-6s  %s%s\n", i, static_cast<int>(name_width),
                OneLine(t.name).c_str(), DTypeName(t.dtype).c_str(), ShapeToString(t.shape).c_str(), sig.c_str(),
                kind, role, TensorBytes(t).c_str(), Quantization(t.quantization).c_str());
  }
  std::printf("  constant data: %s\n", FormatBytes(constant_total).c_str());

  std::printf("  ops:\n");
  size_t op_width = 4;
  for (const Node& n : sg.nodes) op_width = std::max(op_width, std::min<size_t>(NodeOpName(n).size(), 40));
  for (size_t i = 0; i < sg.nodes.size(); ++i) {
    const Node& n = sg.nodes[i];
    std::string line = IndexList(n.inputs) + " -> " + IndexList(n.outputs);
    if (n.version > 1) line += "  v" + std::to_string(n.version);
    for (const auto& [name, value] : n.attrs.values()) line += "  " + name + "=" + FormatAttr(name, value);
    if (!n.custom_options.empty()) line += "  custom_options=" + std::to_string(n.custom_options.size()) + "B";
    if (!n.intermediates.empty()) line += "  intermediates=" + IndexList(n.intermediates);
    std::printf("    %4zu  %-*s  %s\n", i, static_cast<int>(op_width), OneLine(NodeOpName(n)).c_str(),
                line.c_str());
  }
}

}  // namespace

CliResult RunInspect(const std::vector<std::string>& args) {
  ParsedArgs parsed;
  std::vector<OptionSpec> specs = kDelegateOptions;
  specs.push_back({"fuse-loops", false, false});
  CliResult r = ParseArgs(args, specs, &parsed);
  if (!r.ok()) return r;
  if (parsed.positional.size() != 1) return CliResult::Usage("expected exactly one MODEL argument");
  const std::string& path = parsed.positional[0];

  // --fuse-loops: TensorFlow's WHILE-loop RNNs become fused recurrent nodes.
  LoopFusionReport fusion;
  auto model = parsed.Has("fuse-loops") ? LoadTfliteFusingLoops(path, &fusion) : Model::FromFile(path);
  if (!model.ok()) return CliResult::FromStatus(model.status(), parsed.Has("fuse-loops") ? path : "");
  if (parsed.Has("fuse-loops")) std::printf("%s\n", fusion.Summary().c_str());
  const Graph& graph = model.value()->graph();

  std::map<std::string, int> op_counts;
  size_t total_ops = 0;
  for (const Subgraph& sg : graph.subgraphs) {
    for (const Node& n : sg.nodes) ++op_counts[NodeOpName(n)];
    total_ops += sg.nodes.size();
  }
  std::printf("model: %s\n", path.c_str());
  if (!graph.description.empty()) std::printf("description: %s\n", OneLine(graph.description).c_str());
  std::printf("subgraphs: %zu, ops: %zu", graph.subgraphs.size(), total_ops);
  const char* sep = " (";
  for (const auto& [name, count] : op_counts) {
    std::printf("%s%s x%d", sep, OneLine(name).c_str(), count);
    sep = ", ";
  }
  std::printf("%s\n", op_counts.empty() ? "" : ")");
  for (size_t i = 0; i < graph.subgraphs.size(); ++i) PrintSubgraph(i, graph.subgraphs[i]);
  if (parsed.Has("delegate")) {
    // The partition plan: where every node of the main subgraph runs.
    Interpreter interp(model.value());
    std::string summary;
    CliResult d = ApplyDelegateChoice(parsed, interp, &summary);
    if (!d.ok()) return d;
    std::printf("delegate: %s\n", summary.c_str());
    PrintPlacement(interp);
  }
  return CliResult::Ok();
}

}  // namespace rnnlite::cli
