// `rnnlite bench`: the JSON report's structure and sanity on the bundled
// example models, sequence-length inputs, every --delegate choice that can
// run here, and the error cases (exit codes, one-line messages).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "rnnlite/ops.h"
#include "support/test_util.h"

namespace rnnlite {
namespace {

namespace fs = std::filesystem;

const std::string kTestPlugin = std::string(RNNLITE_TEST_PLUGIN_DIR) + "/librnnlite_testdelegate.so";

// ---- a small JSON reader: enough to check the report's structure ------------

struct Json {
  enum Kind { kNull, kBool, kNumber, kString, kArray, kObject } kind = kNull;
  bool b = false;
  double num = 0;
  std::string str;
  std::vector<Json> items;
  std::map<std::string, Json> fields;

  bool Has(const std::string& k) const { return kind == kObject && fields.count(k) != 0; }
  const Json& operator[](const std::string& k) const {
    static const Json kMissing;
    auto it = fields.find(k);
    return it == fields.end() ? kMissing : it->second;
  }
};

class JsonParser {
 public:
  explicit JsonParser(const std::string& text) : s_(text) {}
  // False on any syntax error or trailing junk.
  bool Parse(Json* out) {
    if (!Value(out, 0)) return false;
    Skip();
    return p_ == s_.size();
  }

 private:
  void Skip() {
    while (p_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[p_]))) ++p_;
  }
  bool Literal(const char* word) {
    const std::string w(word);
    if (s_.compare(p_, w.size(), w) != 0) return false;
    p_ += w.size();
    return true;
  }
  bool String(std::string* out) {
    if (p_ >= s_.size() || s_[p_] != '"') return false;
    ++p_;
    while (p_ < s_.size() && s_[p_] != '"') {
      char c = s_[p_++];
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c == '\\') {
        if (p_ >= s_.size()) return false;
        const char e = s_[p_++];
        if (e == 'u') {
          if (p_ + 4 > s_.size()) return false;
          c = static_cast<char>(std::stoi(s_.substr(p_, 4), nullptr, 16));
          p_ += 4;
        } else {
          c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
        }
      }
      out->push_back(c);
    }
    if (p_ >= s_.size()) return false;
    ++p_;
    return true;
  }
  bool Value(Json* v, int depth) {
    if (depth > 32) return false;
    Skip();
    if (p_ >= s_.size()) return false;
    const char c = s_[p_];
    if (c == '{') {
      v->kind = Json::kObject;
      ++p_;
      Skip();
      if (p_ < s_.size() && s_[p_] == '}') return ++p_, true;
      while (true) {
        Skip();
        std::string key;
        if (!String(&key)) return false;
        Skip();
        if (p_ >= s_.size() || s_[p_++] != ':') return false;
        if (!Value(&v->fields[key], depth + 1)) return false;
        Skip();
        if (p_ < s_.size() && s_[p_] == ',') {
          ++p_;
          continue;
        }
        return p_ < s_.size() && s_[p_++] == '}';
      }
    }
    if (c == '[') {
      v->kind = Json::kArray;
      ++p_;
      Skip();
      if (p_ < s_.size() && s_[p_] == ']') return ++p_, true;
      while (true) {
        v->items.emplace_back();
        if (!Value(&v->items.back(), depth + 1)) return false;
        Skip();
        if (p_ < s_.size() && s_[p_] == ',') {
          ++p_;
          continue;
        }
        return p_ < s_.size() && s_[p_++] == ']';
      }
    }
    if (c == '"') {
      v->kind = Json::kString;
      return String(&v->str);
    }
    if (Literal("true")) return v->kind = Json::kBool, v->b = true, true;
    if (Literal("false")) return v->kind = Json::kBool, true;
    if (Literal("null")) return v->kind = Json::kNull, true;
    size_t used = 0;
    try {
      v->num = std::stod(s_.substr(p_, 40), &used);
    } catch (...) {
      return false;
    }
    if (used == 0) return false;
    p_ += used;
    v->kind = Json::kNumber;
    return true;
  }

  const std::string& s_;
  size_t p_ = 0;
};

// ---- running the CLI ----------------------------------------------------------

struct CliRun {
  int code = -1;
  std::string out, err;
};

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string Slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

class CliBenchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("cli_bench");
    ASSERT_FALSE(dir_.empty());
  }
  void TearDown() override { fs::remove_all(dir_); }

  CliRun Run(const std::vector<std::string>& args, const std::string& env = "") {
    std::string cmd = env.empty() ? "" : env + " ";
    cmd += Quote(RNNLITE_CLI);
    for (const std::string& a : args) cmd += " " + Quote(a);
    cmd += " >" + Quote(dir_ + "/out") + " 2>" + Quote(dir_ + "/err") + " </dev/null";
    const int status = std::system(cmd.c_str());
    CliRun r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = Slurp(dir_ + "/out");
    r.err = Slurp(dir_ + "/err");
    return r;
  }

  // Runs bench with --json FILE and parses the file.
  Json Bench(std::vector<std::string> args, const std::string& env = "") {
    const std::string json = dir_ + "/report.json";
    fs::remove(json);
    args.insert(args.begin(), "bench");
    args.insert(args.end(), {"--json", json});
    last_ = Run(args, env);
    EXPECT_EQ(last_.code, 0) << last_.err;
    Json j;
    EXPECT_TRUE(JsonParser(Slurp(json)).Parse(&j)) << Slurp(json);
    return j;
  }

  std::string dir_;
  CliRun last_;
};

// The fields every report has, and the relations between them that hold
// whatever the machine's speed.
void ExpectSaneReport(const Json& j, int runs, int warmup) {
  ASSERT_EQ(j.kind, Json::kObject);
  for (const char* key : {"rnnlite_version", "model", "backend", "config", "inputs", "outputs", "init_ms",
                          "first_run_ms", "warmup_ms", "run_ms", "runs", "steps", "kinds", "memory"}) {
    EXPECT_TRUE(j.Has(key)) << "missing " << key;
  }
  EXPECT_EQ(j["config"]["runs"].num, runs);
  EXPECT_EQ(j["config"]["warmup"].num, warmup);
  ASSERT_EQ(j["run_ms"].items.size(), static_cast<size_t>(runs));
  EXPECT_EQ(j["warmup_ms"].items.size(), static_cast<size_t>(warmup));
  const Json& s = j["runs"];
  EXPECT_GT(s["min"].num, 0.0);
  EXPECT_LE(s["min"].num, s["median"].num);
  EXPECT_LE(s["median"].num, s["max"].num);
  EXPECT_LE(s["min"].num, s["mean"].num);
  EXPECT_LE(s["mean"].num, s["max"].num);
  double lo = 1e300, hi = 0;
  for (const Json& v : j["run_ms"].items) {
    lo = std::min(lo, v.num);
    hi = std::max(hi, v.num);
  }
  EXPECT_DOUBLE_EQ(lo, s["min"].num);
  EXPECT_DOUBLE_EQ(hi, s["max"].num);
  for (const char* key : {"load", "interpreter", "delegate", "allocate"}) EXPECT_GE(j["init_ms"][key].num, 0.0) << key;
  EXPECT_GT(j["first_run_ms"].num, 0.0);

  // Steps and kinds cover the same time; both fit inside a whole Invoke.
  ASSERT_FALSE(j["steps"].items.empty());
  ASSERT_FALSE(j["kinds"].items.empty());
  double steps_sum = 0, kinds_sum = 0;
  for (const Json& st : j["steps"].items) {
    EXPECT_EQ(st["name"].kind, Json::kString);
    EXPECT_FALSE(st["kind"].str.empty());
    EXPECT_LE(st["min_ms"].num, st["mean_ms"].num * (1 + 1e-6) + 1e-9);
    EXPECT_LE(st["mean_ms"].num, st["max_ms"].num * (1 + 1e-6) + 1e-9);
    steps_sum += st["mean_ms"].num;
  }
  for (const Json& k : j["kinds"].items) kinds_sum += k["mean_ms"].num;
  EXPECT_NEAR(steps_sum, kinds_sum, 1e-3 * steps_sum + 1e-6);
  EXPECT_LE(kinds_sum, s["mean"].num * 1.01 + 1e-3);

  const Json& m = j["memory"];
  EXPECT_GT(m["peak_rss_bytes"].num, 0.0);
  EXPECT_GE(m["peak_rss_bytes"].num, m["after_runs"]["rss_bytes"].num);
  EXPECT_GE(m["peak_rss_bytes"].num, m["after_load"]["rss_bytes"].num);
  EXPECT_GT(m["arena_bytes"].num, 0.0);
  EXPECT_EQ(m["rss_growth_during_runs_bytes"].num,
            m["after_runs"]["rss_bytes"].num - m["before_runs"]["rss_bytes"].num);
}

TEST_F(CliBenchTest, LstmTaggerReportIsCompleteAndConsistent) {
  // T = 400 keeps the recurrent node's time well above the per-step timer
  // overhead, so per-kind times add up to most of an Invoke.
  Json j = Bench({testing::SourcePath("examples/lstm_tagger.tflite"), "--runs", "7", "--warmup", "2",
                  "--input-shape", "features=1,400,8", "--threads", "1"});
  ExpectSaneReport(j, 7, 2);
  EXPECT_EQ(j["backend"]["name"].str, "cpu");
  EXPECT_EQ(j["backend"]["partitions"].num, 0);
  EXPECT_EQ(j["config"]["cpu_kernels"].str, "fast");
  EXPECT_EQ(j["config"]["threads"].num, 1);
  EXPECT_EQ(j["memory"]["device"].kind, Json::kNull);  // CPU: no device memory
  ASSERT_EQ(j["inputs"].items.size(), 1u);
  EXPECT_EQ(j["inputs"].items[0]["name"].str, "features");
  ASSERT_EQ(j["inputs"].items[0]["shape"].items.size(), 3u);
  EXPECT_EQ(j["inputs"].items[0]["shape"].items[1].num, 400);
  EXPECT_EQ(j["outputs"].items[0]["shape"].items[1].num, 400);  // frame_probs [1, T, 3]
  // LSTM -> FULLY_CONNECTED -> SOFTMAX, each a step of its own kind.
  std::map<std::string, double> kinds;
  for (const Json& k : j["kinds"].items) kinds[k["kind"].str] = k["mean_ms"].num;
  EXPECT_TRUE(kinds.count("FULLY_CONNECTED")) << last_.out;
  EXPECT_TRUE(kinds.count("SOFTMAX")) << last_.out;
  EXPECT_EQ(kinds.size(), j["steps"].items.size());
  double sum = 0;
  for (const auto& [kind, ms] : kinds) sum += ms;
  EXPECT_GE(sum, 0.5 * j["runs"]["mean"].num) << "per-kind times should cover most of an Invoke";
  // The text report went to stdout.
  EXPECT_NE(last_.out.find("runs: 7"), std::string::npos) << last_.out;
  EXPECT_NE(last_.out.find("device memory: n/a"), std::string::npos) << last_.out;
}

TEST_F(CliBenchTest, ClassifierWithReferenceKernelsAndJsonOnStdout) {
  CliRun r = Run({"bench", testing::SourcePath("examples/sequence_classifier.tflite"), "--runs", "3", "--warmup",
                  "0", "--cpu-kernels", "reference", "--json", "-"});
  ASSERT_EQ(r.code, 0) << r.err;
  Json j;
  ASSERT_TRUE(JsonParser(r.out).Parse(&j)) << "stdout must be JSON only:\n" << r.out;
  ExpectSaneReport(j, 3, 0);
  EXPECT_EQ(j["config"]["cpu_kernels"].str, "reference");
  EXPECT_EQ(j["outputs"].items.size(), 2u);
  // The text report moved to stderr.
  EXPECT_NE(r.err.find("runs: 3"), std::string::npos) << r.err;
}

TEST_F(CliBenchTest, PartitionsOfATestDelegateAreTimedAsOneStep) {
  Json j = Bench({testing::SourcePath("examples/sequence_classifier.tflite"), "--runs", "4", "--delegate",
                  kTestPlugin, "--delegate-option", "ops=FULLY_CONNECTED"});
  ExpectSaneReport(j, 4, 1);
  EXPECT_GE(j["backend"]["partitions"].num, 1);
  EXPECT_GE(j["backend"]["delegated_nodes"].num, 1);
  bool found = false;
  for (const Json& k : j["kinds"].items) {
    if (k["kind"].str == "delegate:test") {
      found = true;
      EXPECT_TRUE(k["delegated"].b);
    }
  }
  EXPECT_TRUE(found) << last_.out;
  EXPECT_NE(last_.out.find("test partition 0"), std::string::npos) << last_.out;
}

// A SequenceRnn with a sequence-length input: bench fills it with T (the
// full work), not with small random integers.
TEST_F(CliBenchTest, SequenceLengthInputsGetTheFullLength) {
  const int T = 9, B = 3, I = 4, H = 5;
  testing::GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, {T, B, I}, {-1, B, I});
  int w = b.Constant("W", testing::ConstF32({1, 4 * H, I}, testing::RandomFloats(4 * H * I, 11)));
  int rw = b.Constant("R", testing::ConstF32({1, 4 * H, H}, testing::RandomFloats(4 * H * H, 12)));
  int lens = b.Input("lens", DType::kInt32, {B});
  int y = b.Tensor("y", DType::kFloat32);
  AttrMap attrs;
  attrs.SetInt("cell", 0);
  attrs.SetInt("direction", 0);
  attrs.SetInt("hidden_size", H);
  attrs.SetInt("time_major", 1);
  b.AddCustomNode(kSequenceRnnCustomCode, {x, w, rw, kNoTensor, kNoTensor, lens}, {y}, attrs);
  b.Output(y);
  const std::string model = dir_ + "/lstm_lens.tflite";
  ASSERT_TRUE(WriteTfliteFile(b.graph(), model).ok());

  Json j = Bench({model, "--runs", "2"});
  ExpectSaneReport(j, 2, 1);
  ASSERT_EQ(j["inputs"].items.size(), 2u);
  EXPECT_EQ(j["inputs"].items[1]["name"].str, "lens");
  EXPECT_EQ(j["inputs"].items[1]["values"].str, "sequence lengths = T = 9");
  EXPECT_NE(j["inputs"].items[0]["values"].str.find("random"), std::string::npos);

  j = Bench({model, "--runs", "2", "--input-shape", "x=20,3,4"});
  EXPECT_EQ(j["inputs"].items[1]["values"].str, "sequence lengths = T = 20");
}

TEST_F(CliBenchTest, AutoAlwaysRunsSomewhere) {
  Json j = Bench({testing::SourcePath("examples/lstm_tagger.tflite"), "--runs", "2", "--delegate", "auto"});
  ExpectSaneReport(j, 2, 1);
  EXPECT_FALSE(j["backend"]["name"].str.empty());
}

TEST_F(CliBenchTest, VulkanOnLavapipeOrAClearError) {
  const std::string model = testing::SourcePath("examples/lstm_tagger.tflite");
  CliRun r = Run({"bench", model, "--runs", "2", "--delegate", "vulkan", "--delegate-option", "allow_cpu_device=1",
                  "--json", dir_ + "/vk.json"});
  if (r.code != 0) {
    // No plugin built or no Vulkan driver: a model/backend error, one line.
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("--delegate vulkan"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    GTEST_SKIP() << "Vulkan backend unavailable here: " << r.err;
  }
  Json j;
  ASSERT_TRUE(JsonParser(Slurp(dir_ + "/vk.json")).Parse(&j));
  ExpectSaneReport(j, 2, 1);
  EXPECT_NE(j["backend"]["name"].str.find("vulkan"), std::string::npos);
  EXPECT_GE(j["backend"]["partitions"].num, 1);
  // The backend either reports its device memory or says it does not.
  const Json& dev = j["memory"]["device"];
  if (dev.kind != Json::kNull) {
    EXPECT_GT(dev["peak_bytes"].num, 0.0);
    EXPECT_GE(dev["peak_bytes"].num, dev["current_bytes"].num);
  }
}

TEST_F(CliBenchTest, CudaWithoutADeviceIsAClearError) {
  CliRun r = Run({"bench", testing::SourcePath("examples/lstm_tagger.tflite"), "--runs", "1", "--delegate", "cuda"});
  if (r.code == 0) GTEST_SKIP() << "a CUDA backend loads here";
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(r.err.rfind("rnnlite bench: error: --delegate cuda", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST_F(CliBenchTest, ErrorsHaveExitCodesAndOneLine) {
  const std::string model = testing::SourcePath("examples/lstm_tagger.tflite");
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string needle;
  };
  std::ofstream(dir_ + "/junk.tflite") << "not a flatbuffer";
  const std::vector<Case> cases = {
      {{"bench"}, 1, "expected exactly one MODEL"},
      {{"bench", model, "--runs", "0"}, 1, "--runs"},
      {{"bench", model, "--warmup", "-1"}, 1, "--warmup"},
      {{"bench", model, "--threads", "x"}, 1, "--threads"},
      {{"bench", model, "--cpu-kernels", "turbo"}, 1, "--cpu-kernels"},
      {{"bench", model, "--input-shape", "features"}, 1, "--input-shape"},
      {{"bench", model, "--bogus"}, 1, "--bogus"},
      {{"bench", dir_ + "/missing.tflite"}, 2, "missing.tflite"},
      {{"bench", dir_ + "/junk.tflite"}, 2, "junk.tflite"},
      {{"bench", model, "--input-shape", "nosuch=1,2,8"}, 2, "no graph input named 'nosuch'"},
      // Only the time dim is dynamic: changing the feature dim is refused.
      {{"bench", model, "--input-shape", "features=1,20,9"}, 2, "--input-shape features"},
      {{"bench", model, "--delegate", dir_ + "/librnnlite_none.so"}, 2, "--delegate"},
      {{"bench", model, "--json", dir_ + "/no/such/dir/r.json"}, 2, "--json"},
  };
  for (const Case& c : cases) {
    CliRun r = Run(c.args);
    std::string joined;
    for (const std::string& a : c.args) joined += a + " ";
    EXPECT_EQ(r.code, c.code) << joined << "\n" << r.err;
    EXPECT_NE(r.err.find(c.needle), std::string::npos) << joined << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << joined << "\n" << r.err;
  }
}

TEST_F(CliBenchTest, HelpAndNoProgressBarWithoutATerminal) {
  CliRun help = Run({"help", "bench"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("usage: rnnlite bench MODEL"), std::string::npos);
  CliRun list = Run({"--help"});
  EXPECT_NE(list.out.find("bench"), std::string::npos);
  // stderr is a file here: no progress bar (no carriage returns) however
  // long the runs.
  CliRun r = Run({"bench", testing::SourcePath("examples/lstm_tagger.tflite"), "--runs", "20", "--input-shape",
                  "features=1,1000,8", "--threads", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
}

}  // namespace
}  // namespace rnnlite
