// --delegate handling shared by `run`, `inspect` and `bench`.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli_util.h"
#include "rnnlite/delegate.h"
#include "rnnlite/interpreter.h"

namespace rnnlite::cli {

// --delegate cpu|vulkan|cuda|auto|PATH, --delegate-option KEY=VALUE
// (repeatable, passed to the backend), --require-full-delegation.
extern const std::vector<OptionSpec> kDelegateOptions;
extern const char* const kDelegateHelp;

// Loads the chosen backend and applies it to `interp`. `auto` takes the
// first backend that loads, in the order cuda, vulkan, cpu. `*summary` says
// what was chosen (and why others were not). `chosen`, when given, receives
// the applied delegate (null for the CPU), e.g. to read its device memory.
CliResult ApplyDelegateChoice(const ParsedArgs& args, Interpreter& interp, std::string* summary,
                              std::shared_ptr<Delegate>* chosen = nullptr);

// "node 7 (RNNLITE_SEQUENCE_RNN) -> vulkan [partition 0]" per node, plus the
// reason for every node left on the CPU.
void PrintPlacement(const Interpreter& interp);

}  // namespace rnnlite::cli
