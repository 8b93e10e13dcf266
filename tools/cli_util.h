// Shared pieces of the rnnlite command line: exit codes, the error type that
// carries one, option parsing, and small formatting helpers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rnnlite/status.h"
#include "rnnlite/types.h"

namespace rnnlite::cli {

#ifdef RNNLITE_VERSION
inline constexpr const char* kVersion = RNNLITE_VERSION;
#else
// Keep in step with project(VERSION) in the top CMakeLists.txt.
inline constexpr const char* kVersion = "0.1.0";
#endif

// Scripts branch on these, so they never change meaning.
enum ExitCode : int {
  kExitOk = 0,
  kExitUsage = 1,  // bad command line
  kExitModel = 2,  // the model or an input file is wrong (or cannot be used)
};

// What a command returns: an exit code and, unless it is kExitOk, a message
// that main() prints as ONE line on stderr.
struct CliResult {
  int code = kExitOk;
  std::string message;

  static CliResult Ok() { return {}; }
  static CliResult Usage(std::string m) { return {kExitUsage, std::move(m)}; }
  static CliResult ModelError(std::string m) { return {kExitModel, std::move(m)}; }
  static CliResult FromStatus(const Status& s, const std::string& context = "") {
    return {kExitModel, context.empty() ? s.ToString() : context + ": " + s.ToString()};
  }
  bool ok() const { return code == kExitOk; }
};

// A subcommand. Adding one (convert, bench, ...) means one more entry in
// the table in main.cc and one more cmd_*.cc file.
struct Command {
  const char* name;
  const char* summary;  // one line for `rnnlite --help`
  const char* help;     // full text for `rnnlite help NAME`
  CliResult (*run)(const std::vector<std::string>& args);
};

CliResult RunInspect(const std::vector<std::string>& args);
CliResult RunRun(const std::vector<std::string>& args);
CliResult RunConvert(const std::vector<std::string>& args);
extern const char* const kConvertSummary;  // cmd_convert.cc
extern const char* const kConvertHelp;

// ---------------------------------------------------------------------------
// Option parsing: `--name value`, `--name=value`, boolean `--flag`; options
// may repeat; everything else is positional; `--` ends options.

struct OptionSpec {
  const char* name;  // without the leading "--"
  bool takes_value;
  bool repeatable;
};

struct ParsedArgs {
  std::vector<std::string> positional;
  // In command-line order: (name, value); value is "" for flags.
  std::vector<std::pair<std::string, std::string>> options;
  bool help = false;  // -h / --help seen

  bool Has(const std::string& name) const;
  // Last value given for `name`.
  std::optional<std::string> Get(const std::string& name) const;
  std::vector<std::string> GetAll(const std::string& name) const;
};

// Fills `out`; on error returns a usage-error result naming the option.
CliResult ParseArgs(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs,
                    ParsedArgs* out);

// Strict decimal parsing (no trailing junk, range-checked).
std::optional<int64_t> ParseInt(std::string_view text);
// "1,-1,8" -> {1, -1, 8}; dims must fit int32. Empty text is a rank-0 shape.
std::optional<Shape> ParseShape(std::string_view text);
// Splits "NAME=VALUE" at the LAST '=' (tensor names may contain '=' rarely,
// file names and shapes practically never). nullopt if there is no '='.
std::optional<std::pair<std::string, std::string>> SplitAssignment(const std::string& text);

// A tensor name turned into a safe file name stem: keeps [A-Za-z0-9._-],
// maps everything else to '_', never empty, never "." / "..", no leading '.'.
std::string SanitizeFileName(const std::string& name);

// Messages go on one stderr line: newlines and control chars become spaces.
std::string OneLine(std::string text);

// "12.3 KiB"
std::string FormatBytes(uint64_t bytes);
// Up to `max_values` elements of a tensor's data as "[0.1, -2, ...]".
std::string FormatValues(DType dtype, const void* data, size_t bytes, size_t max_values);

// IEEE half <-> float, bit exact (round to nearest even on the way down).
float HalfToFloat(uint16_t h);
uint16_t FloatToHalf(float f);

}  // namespace rnnlite::cli
