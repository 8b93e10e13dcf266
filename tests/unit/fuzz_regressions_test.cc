// Replays every input the fuzzers ever crashed on (tests/data/
// fuzz_regressions/<target>/) and every seed of the fuzz corpora
// (fuzz/corpus/<target>/) through the exact entry code of the libFuzzer
// targets (fuzz/fuzz_entries.cc). Under the asan preset this is the same
// check the fuzzers make; in any build it checks that no input makes rnnlite
// contradict itself (an Internal status) and that the seeds taken from real
// models still load and run, so the corpora keep exercising the deep paths.
//
// Test binaries do not link the fuzz targets' sources; both files depend
// only on the public headers, so they are compiled in here.
#include "../../fuzz/fuzz_entries.cc"  // NOLINT(bugprone-suspicious-include)
#include "../../tools/npy.cc"          // NOLINT(bugprone-suspicious-include)

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "support/test_util.h"

namespace rnnlite {
namespace {

namespace fs = std::filesystem;
using Entry = Status (*)(const uint8_t*, size_t);

std::vector<uint8_t> ReadAll(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

std::vector<fs::path> FilesIn(const std::string& relative_dir) {
  std::vector<fs::path> files;
  const fs::path dir = testing::SourcePath(relative_dir);
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().filename().string()[0] != '.') files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Runs every file in `dir` through `entry`; returns how many the entry
// accepted all the way (OK status) and lists the others in `*refused`.
int ReplayDir(const std::string& dir, Entry entry, std::string* refused = nullptr) {
  int accepted = 0;
  for (const fs::path& file : FilesIn(dir)) {
    // An exact-size heap copy, so a read one byte past the end is an ASan
    // report here just as it was in the fuzzer.
    const std::vector<uint8_t> bytes = ReadAll(file);
    const Status s = entry(bytes.data(), bytes.size());
    EXPECT_NE(s.code(), StatusCode::kInternal) << file << ": " << s.ToString();
    if (s.ok()) {
      ++accepted;
    } else if (refused != nullptr) {
      *refused += file.filename().string() + ": " + s.ToString() + "\n";
    }
  }
  return accepted;
}

TEST(FuzzRegressionsTest, TfliteCrashInputsAreRefusedOrRunSafely) {
  ReplayDir("tests/data/fuzz_regressions/tflite", fuzz::RunTflite);
}

TEST(FuzzRegressionsTest, OnnxCrashInputsAreRefusedOrRunSafely) {
  ReplayDir("tests/data/fuzz_regressions/onnx", fuzz::RunOnnx);
}

TEST(FuzzRegressionsTest, NpyCrashInputsAreRefusedOrParseSafely) {
  ReplayDir("tests/data/fuzz_regressions/npy", fuzz::RunNpy);
}

// The two ONNX inputs whose dims once wrapped from int64 to int32 are now
// refused by the converter at the node that made the dim, rather than by a
// later graph check as an Internal error.
TEST(FuzzRegressionsTest, OnnxDimsBeyondInt32AreRefusedAtTheirNode) {
  int seen = 0;
  for (const fs::path& file : FilesIn("tests/data/fuzz_regressions/onnx")) {
    if (file.filename().string().find("dim-wraps-int32") == std::string::npos) continue;
    ++seen;
    const std::vector<uint8_t> bytes = ReadAll(file);
    auto r = ConvertOnnxBytes(bytes.data(), bytes.size(), ConvertOptions{});
    ASSERT_FALSE(r.ok()) << file;
    const std::string& m = r.status().message();
    EXPECT_NE(m.find("2^31"), std::string::npos) << file << ": " << m;
    EXPECT_NE(m.find("node '"), std::string::npos) << file << ": " << m;
  }
  EXPECT_EQ(seen, 2);
}

// The seeds are real models: every .tflite seed must load, allocate under
// the fuzzing cap and run, or the tflite target starts from shallow inputs.
TEST(FuzzRegressionsTest, TfliteSeedsAllRun) {
  const size_t seeds = FilesIn("fuzz/corpus/tflite").size();
  ASSERT_GT(seeds, 0u) << "no seeds in fuzz/corpus/tflite (fuzz/make_corpus.sh regenerates them)";
  std::string refused;
  EXPECT_EQ(static_cast<size_t>(ReplayDir("fuzz/corpus/tflite", fuzz::RunTflite, &refused)), seeds) << refused;
}

// ONNX seeds include the deliberately broken models of tests/models/onnx/
// errors, so only most of them convert.
TEST(FuzzRegressionsTest, MostOnnxSeedsConvertAndRun) {
  const size_t seeds = FilesIn("fuzz/corpus/onnx").size();
  ASSERT_GT(seeds, 0u);
  EXPECT_GT(static_cast<size_t>(ReplayDir("fuzz/corpus/onnx", fuzz::RunOnnx)), seeds / 2);
}

TEST(FuzzRegressionsTest, NpySeedsAllRoundTrip) {
  const size_t seeds = FilesIn("fuzz/corpus/npy").size();
  ASSERT_GT(seeds, 0u);
  std::string refused;
  EXPECT_EQ(static_cast<size_t>(ReplayDir("fuzz/corpus/npy", fuzz::RunNpy, &refused)), seeds) << refused;
}

// The entries themselves: a refusal must be a refusal (non-OK), not a
// silent pass, or every regression above would pass vacuously.
TEST(FuzzRegressionsTest, EntriesRefuseJunk) {
  const std::vector<uint8_t> junk = {'T', 'F', 'L', '3', 0xff, 0xff, 0xff, 0x7f, 1, 2, 3};
  EXPECT_FALSE(fuzz::RunTflite(junk.data(), junk.size()).ok());
  EXPECT_FALSE(fuzz::RunOnnx(junk.data(), junk.size()).ok());
  EXPECT_FALSE(fuzz::RunNpy(junk.data(), junk.size()).ok());
  EXPECT_FALSE(fuzz::RunTflite(nullptr, 0).ok());
  EXPECT_FALSE(fuzz::RunNpy(nullptr, 0).ok());
}

}  // namespace
}  // namespace rnnlite
