// `rnnlite bench` (cmd_bench.cc), registered in main.cc's command table.
#pragma once

#include <string>
#include <vector>

#include "cli_util.h"

namespace rnnlite::cli {

extern const char* const kBenchSummary;
extern const char* const kBenchHelp;
CliResult RunBench(const std::vector<std::string>& args);

}  // namespace rnnlite::cli
