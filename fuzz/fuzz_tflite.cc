// libFuzzer target: see fuzz_entries.h for what one input goes through.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz_entries.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const rnnlite::Status s = rnnlite::fuzz::RunTflite(data, size);
  // Internal means rnnlite contradicted itself: a finding, like a crash.
  if (s.code() == rnnlite::StatusCode::kInternal) {
    std::fprintf(stderr, "Internal status: %s\n", s.ToString().c_str());
    std::abort();
  }
  return 0;
}
