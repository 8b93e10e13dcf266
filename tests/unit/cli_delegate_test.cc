// `--delegate` on the command line, with the test delegate plugin standing in
// for a GPU backend: partition plans, full delegation, --check, load errors.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/test_util.h"

namespace rnnlite {
namespace {

namespace fs = std::filesystem;

const std::string kTestPlugin = std::string(RNNLITE_TEST_PLUGIN_DIR) + "/librnnlite_testdelegate.so";

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

class CliDelegateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("cli_delegate");
    ASSERT_FALSE(dir_.empty());
    // ADD -> RELU -> NEG on a [2, 3] input: ADD and RELU go to the test
    // delegate, NEG stays on the CPU.
    testing::GraphBuilder b;
    int x = b.Input("x", DType::kFloat32, {2, 3});
    int c = b.Constant("c", testing::ConstF32({3}, {0.5f, -1.5f, 2.0f}));
    int t0 = b.Tensor("t0", DType::kFloat32), t1 = b.Tensor("t1", DType::kFloat32);
    int y = b.Tensor("y", DType::kFloat32);
    b.AddNode(Op::kAdd, {x, c}, {t0});
    b.AddNode(Op::kRelu, {t0}, {t1});
    b.AddNode(Op::kNeg, {t1}, {y});
    b.Output(y);
    model_ = dir_ + "/chain.tflite";
    ASSERT_TRUE(WriteTfliteFile(b.graph(), model_).ok());
  }
  void TearDown() override { fs::remove_all(dir_); }

  CliRun Run(const std::vector<std::string>& args) {
    std::string cmd = Quote(RNNLITE_CLI);
    for (const std::string& a : args) cmd += " " + Quote(a);
    cmd += " >" + Quote(dir_ + "/out") + " 2>" + Quote(dir_ + "/err") + " </dev/null";
    int status = std::system(cmd.c_str());
    CliRun r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = Slurp(dir_ + "/out");
    r.err = Slurp(dir_ + "/err");
    return r;
  }

  std::string dir_, model_;
};

TEST_F(CliDelegateTest, InspectPrintsPlanAndReasons) {
  CliRun r = Run({"inspect", model_, "--delegate", kTestPlugin, "--delegate-option", "ops=ADD,RELU"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("node 0 (ADD) -> test [partition 0]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("node 1 (RELU) -> test [partition 0]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("node 2 (NEG) -> cpu: test: op NEG not in this test delegate's list"), std::string::npos)
      << r.out;
}

TEST_F(CliDelegateTest, RunWithCheckMatchesCpu) {
  CliRun r = Run({"run", model_, "--random-inputs", "--check", "--delegate", kTestPlugin, "--delegate-option",
                  "ops=ADD,RELU,NEG"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("backend: test"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("y  max_abs_diff 0  max_rel_diff 0"), std::string::npos) << r.out;
}

TEST_F(CliDelegateTest, RequireFullDelegationFailsWithTheNode) {
  CliRun r = Run({"run", model_, "--random-inputs", "--require-full-delegation", "--delegate", kTestPlugin,
                  "--delegate-option", "ops=ADD,RELU"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("node 2 (NEG)"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST_F(CliDelegateTest, MissingPluginIsAModelErrorNotACrash) {
  CliRun r = Run({"run", model_, "--random-inputs", "--delegate", dir_ + "/librnnlite_none.so"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
  CliRun bad = Run({"run", model_, "--random-inputs", "--delegate-option", "novalue"});
  EXPECT_EQ(bad.code, 1) << bad.err;
}

TEST_F(CliDelegateTest, AutoFallsBackToACpuOrGpuBackendAndRuns) {
  CliRun r = Run({"run", model_, "--random-inputs", "--delegate", "auto"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("backend: "), std::string::npos) << r.out;
}

}  // namespace
}  // namespace rnnlite
