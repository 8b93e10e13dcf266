// rnnlite command line: `rnnlite COMMAND [ARGS]`. Each command lives in its
// own cmd_*.cc and is listed once in kCommands below.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "bench_command.h"
#include "cli_util.h"

namespace rnnlite::cli {
namespace {

const Command kCommands[] = {
    {"convert", kConvertSummary, kConvertHelp, RunConvert},
    {"inspect", "print a model's subgraphs, tensors and ops",
     "usage: rnnlite inspect MODEL [--delegate X]\n"
     "\n"
     "Loads MODEL (.tflite) and prints, for every subgraph, its tensors (index,\n"
     "name, dtype, shape, shape_signature, kind, bytes) and its ops (index, op,\n"
     "inputs -> outputs, attributes). With --delegate, also the partition plan:\n"
     "where every node runs and why a node stays on the CPU.\n"
     "\n"
     "  --delegate X              where nodes run: cpu (default), vulkan, cuda,\n"
     "                            auto (first that loads: cuda, vulkan, cpu), or a\n"
     "                            path to a backend plugin (.so)\n"
     "  --delegate-option K=V     backend setting (repeatable), e.g.\n"
     "                            allow_cpu_device=1 lets Vulkan use lavapipe\n"
     "  --require-full-delegation any node left on the CPU is an error\n"
     "  --fuse-loops              first replace the WHILE loops TensorFlow's\n"
     "                            converter made of RNN layers by fused recurrent\n"
     "                            nodes (docs/control_flow.md)\n"
     "\n"
     "exit status: 0 ok, 1 usage error, 2 the model cannot be loaded\n",
     RunInspect},
    {"run", "run a model on .npy or random inputs; print and save outputs",
     "usage: rnnlite run MODEL [options]\n"
     "\n"
     "options:\n"
     "  --input NAME=FILE.npy     value of graph input NAME (repeatable); dtype and\n"
     "                            shape must match the tensor, dynamic dims follow\n"
     "                            the file\n"
     "  --random-inputs           fill inputs not given by --input: floats uniform in\n"
     "                            [-1, 1), integers in [0, 4), bools 0/1\n"
     "  --seed N                  seed for --random-inputs (default 1)\n"
     "  --input-shape NAME=D0,D1  resize input NAME (its dynamic dims) (repeatable)\n"
     "  --output-dir DIR          write every graph output to DIR/NAME.npy (names\n"
     "                            sanitized to file names)\n"
     "  --runs N                  invoke N times and report min/median time\n"
     "                            (default 1; variable tensors reset before each run)\n"
     "  --check                   also run on the CPU reference and print the largest\n"
     "                            absolute/relative difference of every output\n"
     "  --delegate X              where nodes run: cpu (default), vulkan, cuda,\n"
     "                            auto (first that loads: cuda, vulkan, cpu), or a\n"
     "                            path to a backend plugin (.so)\n"
     "  --delegate-option K=V     backend setting (repeatable), e.g.\n"
     "                            allow_cpu_device=1 lets Vulkan use lavapipe\n"
     "  --require-full-delegation any node left on the CPU is an error\n"
     "  --fuse-loops              first replace the WHILE loops TensorFlow's\n"
     "                            converter made of RNN layers by fused recurrent\n"
     "                            nodes (docs/control_flow.md)\n"
     "\n"
     "Inputs may be named by tensor name or by their position among graph inputs.\n"
     "exit status: 0 ok, 1 usage error, 2 model or input error\n",
     RunRun},
    {"bench", kBenchSummary, kBenchHelp, RunBench},
};

void PrintUsage(std::FILE* out) {
  std::fprintf(out,
               "rnnlite %s: run TFLite recurrent sequence models\n"
               "\n"
               "usage: rnnlite COMMAND [ARGS]\n"
               "       rnnlite help COMMAND\n"
               "       rnnlite --version\n"
               "\n"
               "commands:\n",
               kVersion);
  for (const Command& c : kCommands) std::fprintf(out, "  %-10s %s\n", c.name, c.summary);
  std::fprintf(out, "\nexit status: 0 ok, 1 usage error, 2 model or input error\n");
}

const Command* FindCommand(const std::string& name) {
  for (const Command& c : kCommands) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

// Exactly one line on stderr, so scripts can show or grep it.
int Fail(const std::string& prefix, const CliResult& result, const std::string& help_hint) {
  std::fflush(stdout);
  std::string line = prefix + ": error: " + OneLine(result.message);
  if (result.code == kExitUsage) line += " (see '" + help_hint + "')";
  std::fprintf(stderr, "%s\n", line.c_str());
  return result.code;
}

int Main(const std::vector<std::string>& args) {
  if (args.empty()) {
    PrintUsage(stderr);
    return kExitUsage;
  }
  const std::string& first = args[0];
  if (first == "-h" || first == "--help") {
    PrintUsage(stdout);
    return kExitOk;
  }
  if (first == "--version" || first == "-V") {
    std::printf("rnnlite %s\n", kVersion);
    return kExitOk;
  }
  if (first == "help") {
    if (args.size() == 1) {
      PrintUsage(stdout);
      return kExitOk;
    }
    const Command* c = FindCommand(args[1]);
    if (c == nullptr || args.size() > 2) {
      return Fail("rnnlite", CliResult::Usage("no command named '" + args[1] + "'"), "rnnlite --help");
    }
    std::fputs(c->help, stdout);
    return kExitOk;
  }
  const Command* c = FindCommand(first);
  if (c == nullptr) return Fail("rnnlite", CliResult::Usage("unknown command '" + first + "'"), "rnnlite --help");
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  for (const std::string& a : rest) {
    if (a == "--") break;
    if (a == "-h" || a == "--help") {
      std::fputs(c->help, stdout);
      return kExitOk;
    }
  }
  const CliResult result = c->run(rest);
  std::fflush(stdout);
  if (!result.ok()) return Fail(std::string("rnnlite ") + c->name, result, std::string("rnnlite help ") + c->name);
  return kExitOk;
}

}  // namespace
}  // namespace rnnlite::cli

int main(int argc, char** argv) {
  try {
    return rnnlite::cli::Main(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "rnnlite: error: out of memory\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rnnlite: error: internal: %s\n", rnnlite::cli::OneLine(e.what()).c_str());
  }
  return rnnlite::cli::kExitModel;
}
