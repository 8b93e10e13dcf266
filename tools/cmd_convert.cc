// `rnnlite convert MODEL -o OUT.tflite`: ONNX (or .tflite) -> .tflite with
// one fused node per recurrent layer (rnnlite/convert.h, docs/convert.md).
//
// Wiring (tools/main.cc and cli_util.h belong to the CLI's owner): declare
// `CliResult RunConvert(const std::vector<std::string>& args);` in
// cli_util.h and add {"convert", kConvertSummary, kConvertHelp, RunConvert}
// to kCommands.
#include <cstdio>
#include <string>
#include <vector>

#include "cli_util.h"
#include "rnnlite/convert.h"

namespace rnnlite::cli {

extern const char* const kConvertSummary;
extern const char* const kConvertHelp;
CliResult RunConvert(const std::vector<std::string>& args);

const char* const kConvertSummary = "convert an ONNX model (or a .tflite) into a .tflite file";

const char* const kConvertHelp =
    "usage: rnnlite convert MODEL -o OUT.tflite [options]\n"
    "\n"
    "Converts MODEL (.onnx, opsets 7-21, external weights next to it; or a\n"
    ".tflite, rewritten through rnnlite's IR) into OUT.tflite. Every ONNX\n"
    "LSTM/GRU/RNN becomes one fused recurrent node; other ops map onto TFLite\n"
    "builtins (docs/convert.md). Graph inputs and outputs keep their names;\n"
    "dynamic dims stay dynamic.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE         where to write the .tflite (required)\n"
    "  --input-shape NAME=D0,D1  fix dims of graph input NAME; -1 keeps a dim\n"
    "                            dynamic (repeatable)\n"
    "  --no-fold                 keep constant sub-graphs as ops\n"
    "  --keep-rnn-glue           keep the Transpose/Reshape/Squeeze after\n"
    "                            recurrent layers instead of folding it\n"
    "  --no-fuse-loops           .tflite input: keep the WHILE loops TensorFlow\n"
    "                            emits for RNN layers (by default each proven\n"
    "                            one becomes one fused recurrent node; every loop\n"
    "                            fused or left is listed with the reason)\n"
    "  --quiet                   print nothing on success\n"
    "\n"
    "On failure nothing is written; the message lists every node that cannot\n"
    "be converted.\n"
    "exit status: 0 ok, 1 usage error, 2 the model cannot be converted\n";

CliResult RunConvert(const std::vector<std::string>& args) {
  // `-o FILE` is the one short option, as compilers have it.
  std::vector<std::string> expanded;
  for (const std::string& a : args) expanded.push_back(a == "-o" ? "--output" : a);
  ParsedArgs parsed;
  CliResult r = ParseArgs(expanded,
                          {{"output", true, false},
                           {"input-shape", true, true},
                           {"no-fold", false, false},
                           {"keep-rnn-glue", false, false},
                           {"no-fuse-loops", false, false},
                           {"quiet", false, false}},
                          &parsed);
  if (!r.ok()) return r;
  if (parsed.positional.size() != 1) return CliResult::Usage("expected exactly one MODEL argument");
  const std::string output = parsed.Get("output").value_or("");
  if (output.empty()) return CliResult::Usage("missing -o OUT.tflite");
  ConvertOptions options;
  options.fold_constants = !parsed.Has("no-fold");
  options.fold_rnn_glue = !parsed.Has("keep-rnn-glue");
  options.fuse_loops = !parsed.Has("no-fuse-loops");
  for (const std::string& spec : parsed.GetAll("input-shape")) {
    auto kv = SplitAssignment(spec);
    if (!kv) return CliResult::Usage("--input-shape wants NAME=D0,D1,..., got '" + spec + "'");
    auto shape = ParseShape(kv->second);
    if (!shape) return CliResult::Usage("--input-shape: bad dims '" + kv->second + "'");
    options.input_shapes[kv->first] = std::vector<int64_t>(shape->begin(), shape->end());
  }
  ConvertReport report;
  uint64_t written = 0;
  Status s = ConvertModelFile(parsed.positional[0], output, options, &report, &written);
  if (!s.ok()) return CliResult::FromStatus(s, parsed.positional[0]);
  if (!parsed.Has("quiet")) {
    std::printf("%s\nwrote %s (%s)\n", report.Summary().c_str(), output.c_str(), FormatBytes(written).c_str());
  }
  return CliResult::Ok();
}

}  // namespace rnnlite::cli
