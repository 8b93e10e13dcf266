// The `rnnlite` command line, run as a separate process (RNNLITE_CLI is the
// built binary): exit codes, one-line errors, inspect and run output, .npy
// files in and out. The CLI's helper code (tools/cli_util.cc, tools/npy.cc)
// depends only on public headers and is compiled in here for direct checks.
#include "../../tools/cli_util.cc"  // NOLINT(bugprone-suspicious-include)
#include "../../tools/npy.cc"       // NOLINT(bugprone-suspicious-include)

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_util.h"

namespace rnnlite {
namespace {

namespace fs = std::filesystem;
using testing::ConstF32;
using testing::ConstI32;
using testing::GraphBuilder;

struct CliRun {
  int code = -1;  // exit status; -1 if killed by a signal (a crash)
  std::string out;
  std::string err;
};

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string ReadText(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

size_t CountLines(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("cli");
    ASSERT_FALSE(dir_.empty());
  }
  void TearDown() override { fs::remove_all(dir_); }

  CliRun Run(const std::vector<std::string>& args) {
    std::string cmd = Quote(RNNLITE_CLI);
    for (const std::string& a : args) cmd += " " + Quote(a);
    const std::string out = dir_ + "/stdout.txt", err = dir_ + "/stderr.txt";
    cmd += " >" + Quote(out) + " 2>" + Quote(err) + " </dev/null";
    const int status = std::system(cmd.c_str());
    CliRun r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = ReadText(out);
    r.err = ReadText(err);
    return r;
  }

  // A failing run: the expected exit code, nothing but one line on stderr
  // that mentions `needle`.
  void ExpectFailure(const std::vector<std::string>& args, int code, const std::string& needle) {
    CliRun r = Run(args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_EQ(r.code, code) << joined << "\nstderr: " << r.err;
    EXPECT_EQ(CountLines(r.err), 1u) << joined << "\nstderr: " << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << joined << "\nstderr: " << r.err;
  }

  // x [1, T, 2] (T dynamic, 3 in the file) -> y:0 = x + [10, 20];
  // scaled/out = x * 2.
  std::string AddMulModel() {
    GraphBuilder b;
    const int x = b.Input("x", DType::kFloat32, {1, 3, 2}, {1, -1, 2});
    const int c = b.Constant("c", ConstF32({2}, {10, 20}));
    const int two = b.Constant("two", ConstF32({1}, {2}));
    const int y = b.Tensor("y:0", DType::kFloat32);
    const int s = b.Tensor("scaled/out", DType::kFloat32);
    b.AddNode(Op::kAdd, {x, c}, {y});
    b.AddNode(Op::kMul, {x, two}, {s});
    b.Output(y);
    b.Output(s);
    return Write(b, "addmul.tflite");
  }

  // ids int32 [3] -> ids_plus = ids + 100.
  std::string IntModel() {
    GraphBuilder b;
    const int ids = b.Input("ids", DType::kInt32, {3});
    const int k = b.Constant("k", ConstI32({1}, {100}));
    const int out = b.Tensor("ids_plus", DType::kInt32);
    b.AddNode(Op::kAdd, {ids, k}, {out});
    b.Output(out);
    return Write(b, "int.tflite");
  }

  std::string Write(GraphBuilder& b, const std::string& name) {
    const std::string path = dir_ + "/" + name;
    Status s = WriteTfliteFile(b.graph(), path);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return path;
  }

  std::string WriteNpy(const std::string& name, DType dtype, const std::vector<int64_t>& shape, const void* data,
                       size_t bytes) {
    const std::string path = dir_ + "/" + name;
    Status s = npy::WriteFile(path, dtype, shape, data, bytes);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return path;
  }

  std::vector<float> ReadFloats(const std::string& path, std::vector<int64_t>* shape = nullptr) {
    auto a = npy::ReadFile(path);
    EXPECT_TRUE(a.ok()) << path << ": " << a.status().ToString();
    if (!a.ok()) return {};
    EXPECT_EQ(a->dtype, DType::kFloat32);
    if (shape) *shape = a->shape;
    std::vector<float> v(a->data.size() / 4);
    std::memcpy(v.data(), a->data.data(), v.size() * 4);
    return v;
  }

  std::string dir_;
};

// --- help, version, usage errors ----------------------------------------------

TEST_F(CliTest, HelpAndVersion) {
  CliRun r = Run({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("inspect"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("run"), std::string::npos) << r.out;
  EXPECT_TRUE(r.err.empty()) << r.err;
  r = Run({"help", "run"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--random-inputs"), std::string::npos) << r.out;
  r = Run({"run", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--output-dir"), std::string::npos) << r.out;
  r = Run({"help", "inspect"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("inspect MODEL"), std::string::npos) << r.out;
  r = Run({"--version"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.rfind("rnnlite ", 0), 0u) << r.out;
  EXPECT_EQ(CountLines(r.out), 1u);
}

TEST_F(CliTest, UsageErrorsExitOne) {
  CliRun r = Run({});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("usage"), std::string::npos) << r.err;
  const std::string model = AddMulModel();
  ExpectFailure({"frobnicate"}, 1, "frobnicate");
  ExpectFailure({"help", "frobnicate"}, 1, "frobnicate");
  ExpectFailure({"inspect"}, 1, "MODEL");
  ExpectFailure({"inspect", model, model}, 1, "MODEL");
  ExpectFailure({"inspect", "--bogus", model}, 1, "--bogus");
  ExpectFailure({"run"}, 1, "MODEL");
  ExpectFailure({"run", model, "--bogus"}, 1, "--bogus");
  ExpectFailure({"run", model, "--runs", "0"}, 1, "--runs");
  ExpectFailure({"run", model, "--runs", "many"}, 1, "--runs");
  ExpectFailure({"run", model, "--random-inputs", "--seed", "x1"}, 1, "--seed");
  ExpectFailure({"run", model, "--input", "x"}, 1, "--input");
  ExpectFailure({"run", model, "--input-shape", "x=1,a,2"}, 1, "--input-shape");
  ExpectFailure({"run", model, "--output-dir"}, 1, "--output-dir");
  ExpectFailure({"run", model, "--random-inputs=yes"}, 1, "--random-inputs");
  ExpectFailure({"run", model}, 1, "'x'");  // no value for input x
}

// --- model errors -----------------------------------------------------------

TEST_F(CliTest, BadModelFilesExitTwo) {
  ExpectFailure({"inspect", dir_ + "/absent.tflite"}, 2, "absent.tflite");
  const std::string junk = dir_ + "/junk.tflite";
  std::ofstream(junk) << "this is not a flatbuffer at all, just some text";
  ExpectFailure({"inspect", junk}, 2, "junk.tflite");
  ExpectFailure({"run", junk, "--random-inputs"}, 2, "junk.tflite");
  // Truncated: half of a valid file.
  const std::string model = AddMulModel();
  const auto size = fs::file_size(model);
  const std::string cut = dir_ + "/cut.tflite";
  fs::copy_file(model, cut);
  fs::resize_file(cut, size / 2);
  ExpectFailure({"inspect", cut}, 2, "cut.tflite");
}

TEST_F(CliTest, UnknownOpExitsTwoNamingTheNode) {
  GraphBuilder b;
  const int x = b.Input("x", DType::kFloat32, {2});
  const int y = b.Tensor("y", DType::kFloat32, {2});
  b.AddCustomNode("NoSuchOp", {x}, {y});
  b.Output(y);
  const std::string model = Write(b, "custom.tflite");
  CliRun r = Run({"inspect", model});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("NoSuchOp"), std::string::npos) << r.out;
  ExpectFailure({"run", model, "--random-inputs"}, 2, "NoSuchOp");
}

// --- inspect ----------------------------------------------------------------

TEST_F(CliTest, InspectListsTensorsAndOps) {
  CliRun r = Run({"inspect", AddMulModel()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  for (const char* s : {"subgraph 0", "x", "y:0", "scaled/out", "float32", "[1, 3, 2]", "[1, -1, 2]", "constant",
                        "activation", "input", "output", "ADD", "MUL", "[0, 1] -> [3]"}) {
    EXPECT_NE(r.out.find(s), std::string::npos) << "missing '" << s << "' in:\n" << r.out;
  }
}

TEST_F(CliTest, InspectSharedTestdataModels) {
  RNNLITE_SKIP_WITHOUT_TESTDATA(lstm, "tflite-micro-mnist-lstm/trained_lstm.tflite");
  std::vector<std::string> files = {lstm};
  const std::string bins = testing::SharedTestdata("litert-lstm-bins");
  if (!bins.empty()) {
    for (const auto& e : fs::directory_iterator(bins)) {
      if (e.path().extension() == ".bin") files.push_back(e.path().string());
    }
  }
  for (const std::string& f : files) {
    CliRun r = Run({"inspect", f});
    EXPECT_EQ(r.code, 0) << f << "\n" << r.err;
    EXPECT_NE(r.out.find("tensors:"), std::string::npos) << f;
    EXPECT_NE(r.out.find("ops:"), std::string::npos) << f;
  }
}

// --- run --------------------------------------------------------------------

TEST_F(CliTest, RunWithNpyInputWritesOutputs) {
  const std::string model = AddMulModel();
  const std::vector<float> x = {1, 2, 3, 4, 5, 6};
  const std::string in = WriteNpy("x.npy", DType::kFloat32, {1, 3, 2}, x.data(), 24);
  const std::string out_dir = dir_ + "/out";
  CliRun r = Run({"run", model, "--input", "x=" + in, "--output-dir", out_dir});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  EXPECT_NE(r.out.find("y:0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[11, 22, 13, 24, 15, 26]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("timing: load"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("median"), std::string::npos) << r.out;
  // Output names sanitized to file names.
  std::vector<int64_t> shape;
  EXPECT_EQ(ReadFloats(out_dir + "/y_0.npy", &shape), (std::vector<float>{11, 22, 13, 24, 15, 26}));
  EXPECT_EQ(shape, (std::vector<int64_t>{1, 3, 2}));
  EXPECT_EQ(ReadFloats(out_dir + "/scaled_out.npy"), (std::vector<float>{2, 4, 6, 8, 10, 12}));
  // Inputs may also be named by position.
  r = Run({"run", model, "--input", "0=" + in});
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST_F(CliTest, NpyShapeResizesDynamicDims) {
  const std::string model = AddMulModel();
  std::vector<float> x(10);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i);
  const std::string in = WriteNpy("x5.npy", DType::kFloat32, {1, 5, 2}, x.data(), 40);
  CliRun r = Run({"run", model, "--input", "x=" + in, "--output-dir", dir_ + "/o"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::vector<int64_t> shape;
  const std::vector<float> y = ReadFloats(dir_ + "/o/y_0.npy", &shape);
  EXPECT_EQ(shape, (std::vector<int64_t>{1, 5, 2}));
  ASSERT_EQ(y.size(), 10u);
  for (size_t i = 0; i < 10; ++i) EXPECT_EQ(y[i], x[i] + (i % 2 ? 20.0f : 10.0f)) << i;
}

TEST_F(CliTest, InputShapeOptionResizes) {
  const std::string model = AddMulModel();
  CliRun r = Run({"run", model, "--random-inputs", "--input-shape", "x=1,7,2", "--output-dir", dir_ + "/o"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("[1, 7, 2]"), std::string::npos) << r.out;
  std::vector<int64_t> shape;
  ReadFloats(dir_ + "/o/scaled_out.npy", &shape);
  EXPECT_EQ(shape, (std::vector<int64_t>{1, 7, 2}));
  // Only dims that are -1 in the signature may change.
  ExpectFailure({"run", model, "--random-inputs", "--input-shape", "x=1,7,3"}, 2, "'x'");
  ExpectFailure({"run", model, "--random-inputs", "--input-shape", "nope=1,7,2"}, 2, "nope");
}

TEST_F(CliTest, RandomInputsAreSeededAndInRange) {
  const std::string model = AddMulModel();
  auto run_seed = [&](const std::string& seed, const std::string& out) {
    CliRun r = Run({"run", model, "--random-inputs", "--seed", seed, "--output-dir", out});
    EXPECT_EQ(r.code, 0) << r.err;
    return std::make_pair(ReadFloats(out + "/y_0.npy"), ReadFloats(out + "/scaled_out.npy"));
  };
  const auto [y1, s1] = run_seed("7", dir_ + "/a");
  const auto [y2, s2] = run_seed("7", dir_ + "/b");
  const auto [y3, s3] = run_seed("8", dir_ + "/c");
  EXPECT_EQ(y1, y2);
  EXPECT_EQ(s1, s2);
  EXPECT_NE(s1, s3);
  ASSERT_EQ(s1.size(), 6u);
  ASSERT_EQ(y1.size(), 6u);
  for (size_t i = 0; i < 6; ++i) {
    const float x = s1[i] / 2;  // x * 2 is exact
    EXPECT_GE(x, -1.0f);
    EXPECT_LT(x, 1.0f);
    EXPECT_NE(x, 0.0f);
    EXPECT_FLOAT_EQ(y1[i], x + (i % 2 ? 20.0f : 10.0f));
  }
}

TEST_F(CliTest, RandomIntegerInputsAreSmallAndNonNegative) {
  CliRun r = Run({"run", IntModel(), "--random-inputs", "--seed", "3", "--output-dir", dir_ + "/o"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto a = npy::ReadFile(dir_ + "/o/ids_plus.npy");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->dtype, DType::kInt32);
  ASSERT_EQ(a->data.size(), 12u);
  for (int i = 0; i < 3; ++i) {
    int32_t v;
    std::memcpy(&v, a->data.data() + 4 * i, 4);
    EXPECT_GE(v, 100);
    EXPECT_LT(v, 104);
  }
}

TEST_F(CliTest, MismatchedNpyExitsTwoNamingTheTensor) {
  const std::string model = AddMulModel();
  const std::vector<int32_t> ints(6, 1);
  const std::string wrong_dtype = WriteNpy("i.npy", DType::kInt32, {1, 3, 2}, ints.data(), 24);
  ExpectFailure({"run", model, "--input", "x=" + wrong_dtype}, 2, "'x'");
  ExpectFailure({"run", model, "--input", "x=" + wrong_dtype}, 2, "int32");
  const std::vector<float> f(9, 1.0f);
  const std::string wrong_static_dim = WriteNpy("d.npy", DType::kFloat32, {1, 3, 3}, f.data(), 36);
  ExpectFailure({"run", model, "--input", "x=" + wrong_static_dim}, 2, "'x'");
  const std::string wrong_rank = WriteNpy("r.npy", DType::kFloat32, {3, 3}, f.data(), 36);
  ExpectFailure({"run", model, "--input", "x=" + wrong_rank}, 2, "'x'");
  ExpectFailure({"run", model, "--input", "x=" + dir_ + "/absent.npy"}, 2, "absent.npy");
  const std::string fortran = dir_ + "/fortran.npy";
  {
    std::string header = "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 3, 2), }";
    while ((10 + header.size() + 1) % 64) header += ' ';
    header += '\n';
    std::ofstream o(fortran, std::ios::binary);
    o << std::string("\x93NUMPY\x01\x00", 8) << static_cast<char>(header.size()) << '\0' << header
      << std::string(24, '\0');
  }
  ExpectFailure({"run", model, "--input", "x=" + fortran}, 2, "Fortran");
  ExpectFailure({"run", model, "--input", "nope=" + wrong_dtype}, 2, "nope");
  ExpectFailure({"run", model, "--input", "x=" + wrong_dtype, "--input", "x=" + wrong_dtype}, 1, "'x'");
}

TEST_F(CliTest, RunsOptionRepeatsInvoke) {
  CliRun r = Run({"run", AddMulModel(), "--random-inputs", "--runs", "5"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("(5 runs)"), std::string::npos) << r.out;
}

TEST_F(CliTest, RunsTheBundledExample) {
  const std::string example = testing::SourcePath("examples/sequence_classifier.tflite");
  CliRun r = Run({"inspect", example});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("FULLY_CONNECTED"), std::string::npos) << r.out;
  r = Run({"run", example, "--random-inputs", "--input-shape", "features=1,40,8", "--output-dir", dir_ + "/o"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::vector<float> probs = ReadFloats(dir_ + "/o/class_probs.npy");
  ASSERT_EQ(probs.size(), 4u);
  float sum = 0;
  for (float p : probs) {
    EXPECT_GT(p, 0.0f);
    sum += p;
  }
  EXPECT_NEAR(sum, 1.0f, 1e-5f);
}

TEST_F(CliTest, RepeatedRunsStartFromFreshState) {
  // lstm_tagger keeps its LSTM state in variable tensors; --runs resets them
  // before every run, so 3 runs leave the same outputs as 1.
  const std::string example = testing::SourcePath("examples/lstm_tagger.tflite");
  CliRun r = Run({"run", example, "--random-inputs", "--output-dir", dir_ + "/one"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = Run({"run", example, "--random-inputs", "--runs", "3", "--output-dir", dir_ + "/three"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::vector<int64_t> shape;
  const std::vector<float> one = ReadFloats(dir_ + "/one/frame_probs.npy", &shape);
  EXPECT_EQ(shape, (std::vector<int64_t>{1, 20, 3}));
  EXPECT_EQ(one, ReadFloats(dir_ + "/three/frame_probs.npy"));
}

TEST_F(CliTest, ClassifiesMnistSamplesEndToEnd) {
  RNNLITE_SKIP_WITHOUT_TESTDATA(model, "tflite-micro-mnist-lstm/trained_lstm.tflite");
  auto samples = npy::ReadFile(testing::SharedTestdata("tflite-micro-mnist-lstm/mnist_samples.npy"));
  auto labels = npy::ReadFile(testing::SharedTestdata("tflite-micro-mnist-lstm/mnist_labels.npy"));
  ASSERT_TRUE(samples.ok() && labels.ok());
  ASSERT_EQ(samples->shape, (std::vector<int64_t>{10, 1, 28, 28}));
  const size_t image_bytes = 28 * 28 * 4;
  for (int i = 0; i < 10; ++i) {
    SCOPED_TRACE("sample " + std::to_string(i));
    const std::string in = WriteNpy("sample.npy", DType::kFloat32, {1, 28, 28},
                                    samples->data.data() + i * image_bytes, image_bytes);
    const std::string out_dir = dir_ + "/mnist" + std::to_string(i);
    CliRun r = Run({"run", model, "--input", "serving_default_fixed_input:0=" + in, "--output-dir", out_dir});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::vector<float> probs = ReadFloats(out_dir + "/StatefulPartitionedCall_0.npy");
    ASSERT_EQ(probs.size(), 10u);
    int32_t label;
    std::memcpy(&label, labels->data.data() + 4 * i, 4);
    EXPECT_EQ(std::max_element(probs.begin(), probs.end()) - probs.begin(), label);
  }
}

// --- helpers of the CLI -------------------------------------------------------

TEST(CliUtilTest, SanitizeFileName) {
  EXPECT_EQ(cli::SanitizeFileName("StatefulPartitionedCall:0"), "StatefulPartitionedCall_0");
  EXPECT_EQ(cli::SanitizeFileName("a/b\\c d"), "a_b_c_d");
  EXPECT_EQ(cli::SanitizeFileName(".."), "_.");
  EXPECT_EQ(cli::SanitizeFileName("."), "_");
  EXPECT_EQ(cli::SanitizeFileName(""), "_");
  EXPECT_EQ(cli::SanitizeFileName("ok-name_1.x"), "ok-name_1.x");
  EXPECT_EQ(cli::SanitizeFileName(std::string(1000, 'a')).size(), 200u);
}

TEST(CliUtilTest, ParseShapeAndInts) {
  EXPECT_EQ(cli::ParseShape("1,-1,8"), (Shape{1, -1, 8}));
  EXPECT_EQ(cli::ParseShape(""), Shape{});
  EXPECT_FALSE(cli::ParseShape("1,,2"));
  EXPECT_FALSE(cli::ParseShape("1,x"));
  EXPECT_FALSE(cli::ParseShape("3000000000"));
  EXPECT_EQ(cli::ParseInt("+12"), 12);
  EXPECT_FALSE(cli::ParseInt("12abc"));
  EXPECT_FALSE(cli::ParseInt(""));
  auto kv = cli::SplitAssignment("a=b=c.npy");
  ASSERT_TRUE(kv);
  EXPECT_EQ(kv->first, "a=b");
  EXPECT_EQ(kv->second, "c.npy");
}

TEST(CliUtilTest, HalfConversion) {
  EXPECT_EQ(cli::FloatToHalf(1.0f), 0x3c00);
  EXPECT_EQ(cli::FloatToHalf(-2.0f), 0xc000);
  EXPECT_EQ(cli::FloatToHalf(65504.0f), 0x7bff);
  EXPECT_EQ(cli::FloatToHalf(1e6f), 0x7c00);                // overflow -> inf
  EXPECT_EQ(cli::FloatToHalf(std::ldexp(1.0f, -24)), 0x0001);  // smallest subnormal
  EXPECT_EQ(cli::FloatToHalf(std::ldexp(1.0f, -26)), 0x0000);  // underflow
  EXPECT_EQ(cli::FloatToHalf(1.0f + std::ldexp(1.0f, -11)), 0x3c00);  // tie -> even
  EXPECT_EQ(cli::FloatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3c02);
  EXPECT_TRUE(std::isnan(cli::HalfToFloat(cli::FloatToHalf(std::nanf("")))));
  // Every finite half survives half -> float -> half.
  for (uint32_t h = 0; h < 0x10000; ++h) {
    if ((h & 0x7c00) == 0x7c00 && (h & 0x3ff)) continue;  // NaN payloads
    ASSERT_EQ(cli::FloatToHalf(cli::HalfToFloat(static_cast<uint16_t>(h))), h) << std::hex << h;
  }
}

TEST(CliUtilTest, ParseArgs) {
  const std::vector<cli::OptionSpec> specs = {{"input", true, true}, {"flag", false, false}, {"n", true, false}};
  cli::ParsedArgs p;
  ASSERT_TRUE(cli::ParseArgs({"m", "--input", "a=1", "--input=b=2", "--flag", "--n=3", "--", "--x"}, specs, &p).ok());
  EXPECT_EQ(p.positional, (std::vector<std::string>{"m", "--x"}));
  EXPECT_EQ(p.GetAll("input"), (std::vector<std::string>{"a=1", "b=2"}));
  EXPECT_TRUE(p.Has("flag"));
  EXPECT_EQ(p.Get("n"), "3");
  EXPECT_EQ(cli::ParseArgs({"--n", "1", "--n", "2"}, specs, &p).code, cli::kExitUsage);
  EXPECT_EQ(cli::ParseArgs({"--flag=1"}, specs, &p).code, cli::kExitUsage);
  EXPECT_EQ(cli::ParseArgs({"-x"}, specs, &p).code, cli::kExitUsage);
  EXPECT_EQ(cli::ParseArgs({"--n"}, specs, &p).code, cli::kExitUsage);
}

TEST(CliUtilTest, FormatValues) {
  const std::vector<float> f = {1.5f, -2, 0.25f};
  EXPECT_EQ(cli::FormatValues(DType::kFloat32, f.data(), 12, 8), "[1.5, -2, 0.25]");
  EXPECT_EQ(cli::FormatValues(DType::kFloat32, f.data(), 12, 2), "[1.5, -2, ...]");
  const std::vector<int64_t> i = {7, -1};
  EXPECT_EQ(cli::FormatValues(DType::kInt64, i.data(), 16, 8), "[7, -1]");
  EXPECT_EQ(cli::OneLine("a\nb\tc\n"), "a b c");
}

}  // namespace
}  // namespace rnnlite
