// The CUDA plugin as a delegate. The first group runs on every machine: the
// plugin must load (dlopen) without a GPU and without cuDNN, and creating
// the delegate must then fail with a message saying what is missing, never
// crash; `--delegate auto` on the command line moves on. The second group
// needs a device: streaming state on the device across Invoke, device
// memory that does not grow with T, fault injection (test_fail=...).
#include <dlfcn.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cuda/cuda_test_util.h"

namespace rnnlite::testing::cuda {
namespace {

using Extra = std::map<std::string, std::string>;

StatusOr<std::shared_ptr<Delegate>> Load(const Extra& extra) {
  DelegateOptions options;
  options.extra = extra;
  return LoadDelegatePlugin(kCudaPlugin, options);
}

bool HaveDefaultLibraries() {
  for (const char* lib : {"libcudnn.so.9", "libcublas.so.13"}) {
    void* h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr) return false;
  }
  return true;
}

TEST(CudaPlugin, LoadsWithoutDeviceAndSaysWhy) {
  ASSERT_TRUE(std::filesystem::exists(kCudaPlugin)) << kCudaPlugin;
  auto d = Load({});
  if (d.ok()) GTEST_SKIP() << "a CUDA device is present: " << (*d)->device();
  const std::string m = d.status().message();
  EXPECT_NE(m.find("cuda"), std::string::npos) << m;
  if (HaveDefaultLibraries()) {
    EXPECT_NE(m.find("no CUDA device"), std::string::npos) << m;
    EXPECT_NE(m.find("cudaGetDeviceCount"), std::string::npos) << m;
  } else {
    EXPECT_NE(m.find("cannot load"), std::string::npos) << m;
  }
}

TEST(CudaPlugin, MissingCudnnIsAClearError) {
  const std::string missing = "/nonexistent/rnnlite-test/libcudnn.so.9";
  auto d = Load({{"cudnn_library", missing}});
  ASSERT_FALSE(d.ok());
  const std::string m = d.status().message();
  EXPECT_NE(m.find("cannot load cuDNN"), std::string::npos) << m;
  EXPECT_NE(m.find(missing), std::string::npos) << m;
  EXPECT_NE(m.find("LD_LIBRARY_PATH"), std::string::npos) << m;
  // The same through the environment override.
  ASSERT_EQ(setenv("RNNLITE_CUDNN_LIBRARY", missing.c_str(), 1), 0);
  auto e = Load({});
  unsetenv("RNNLITE_CUDNN_LIBRARY");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("cannot load cuDNN"), std::string::npos) << e.status().message();
}

TEST(CudaPlugin, MissingCublasIsAClearError) {
  auto d = Load({{"cublas_library", "/nonexistent/rnnlite-test/libcublas.so.13"}});
  ASSERT_FALSE(d.ok());
  const std::string m = d.status().message();
  if (m.find("cannot load cuDNN") != std::string::npos) GTEST_SKIP() << "no cuDNN here: " << m;
  EXPECT_NE(m.find("cannot load cuBLAS"), std::string::npos) << m;
}

TEST(CudaPlugin, WrongLibraryIsAClearError) {
  // A library that loads but is not cuDNN: the missing entry point is named.
  auto d = Load({{"cudnn_library", "libm.so.6"}});
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("lacks cudnn"), std::string::npos) << d.status().message();
}

TEST(CudaPlugin, BadOptionsAreRejected) {
  const std::pair<Extra, std::string> cases[] = {
      {{{"engine", "fast"}}, "engine=fast"},
      {{{"precision", "fp8"}}, "precision=fp8"},
      {{{"chunk_steps", "-3"}}, "chunk_steps=-3"},
      {{{"workspace_mb", "x"}}, "workspace_mb=x"},
      {{{"test_fail", "sometimes"}}, "test_fail=sometimes"},
  };
  for (const auto& [extra, want] : cases) {
    auto d = Load(extra);
    ASSERT_FALSE(d.ok()) << want;
    EXPECT_NE(d.status().message().find(want), std::string::npos) << d.status().message();
  }
}

struct CliRun {
  int code = -1;
  std::string out;
};

CliRun RunCli(const std::string& env, const std::string& args) {
  const std::string dir = TempDir("cuda_cli");
  const std::string out_file = dir + "/out.txt";
  const std::string cmd = env + " '" + std::string(RNNLITE_CLI) + "' " + args + " > '" + out_file + "' 2>&1";
  CliRun r;
  const int status = std::system(cmd.c_str());
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream f(out_file);
  std::stringstream ss;
  ss << f.rdbuf();
  r.out = ss.str();
  std::filesystem::remove_all(dir);
  return r;
}

TEST(CudaPlugin, CliDelegateAutoMovesOnWithoutCuda) {
  const std::string model = SourcePath("examples/lstm_tagger.tflite");
  ASSERT_TRUE(std::filesystem::exists(model)) << model;
  // cuDNN made unloadable: auto must fall through to Vulkan or the CPU.
  CliRun r = RunCli("RNNLITE_CUDNN_LIBRARY=/nonexistent/libcudnn.so.9",
                    "run '" + model + "' --random-inputs --delegate auto");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("backend: "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("backend: cuda"), std::string::npos) << r.out;
  if (r.out.find("backend: cpu") != std::string::npos) {
    EXPECT_NE(r.out.find("cannot load cuDNN"), std::string::npos) << r.out;
  }
  // Asking for cuda explicitly is an error with the reason, not a crash.
  CliRun c = RunCli("RNNLITE_CUDNN_LIBRARY=/nonexistent/libcudnn.so.9",
                    "run '" + model + "' --random-inputs --delegate cuda");
  EXPECT_EQ(c.code, 2) << c.out;
  EXPECT_NE(c.out.find("cannot load cuDNN"), std::string::npos) << c.out;
}

// ---------------------------------------------------------- needs a GPU ----

NodeSpec StreamingSpec(RnnCell cell, RnnDirection dir, RnnStateLayout layout, bool time_major, uint32_t seed) {
  SequenceRnnParams p = MakeParams(cell, dir, 6, time_major);
  p.state_layout = layout;
  if (cell == RnnCell::kGru) p.linear_before_reset = seed % 2 == 0;
  NodeSpec spec;
  spec.attrs = Attrs(p);
  Dims d;
  d.T = 3;
  d.B = 2;
  d.I = 4;
  spec.inputs = RandomInputs(p, d, Extras{}, seed);
  PrepareWeights(&spec.inputs);
  const bool lstm = cell == RnnCell::kLstm;
  spec.variable_slots = {in::kH0};
  if (lstm) spec.variable_slots.push_back(in::kC0);
  if (layout == RnnStateLayout::kPerDirection && p.num_directions() == 2) {
    spec.variable_slots.push_back(in::kH0Bw);
    if (lstm) spec.variable_slots.push_back(in::kC0Bw);
  }
  spec.outputs = {true, true, lstm, false};
  return spec;
}

// Each Invoke feeds fresh steps; the state carries over on the device, is
// read and written by the host through the interpreter, and reset.
void CheckStreaming(const NodeSpec& spec, const std::shared_ptr<Delegate>& cuda) {
  Runner cpu(spec, nullptr), dev(spec, cuda);
  ASSERT_TRUE(cpu.status().ok()) << cpu.status().ToString();
  ASSERT_TRUE(dev.status().ok()) << dev.status().ToString();
  ASSERT_EQ(dev.Placement(), "cuda");
  std::vector<TestTensor> feed = spec.inputs;
  const TestTensor& x = spec.inputs[in::kX];
  auto run = [&](uint32_t seed) {
    feed[in::kX] = F32(x.shape, RandomFloats(static_cast<size_t>(NumElements(x.shape)), seed));
    ASSERT_TRUE(cpu.Invoke(feed).ok());
    Status s = dev.Invoke(feed);
    ASSERT_TRUE(s.ok()) << s.ToString();
    for (int slot = 0; slot < 3; ++slot) {
      if (spec.outputs[static_cast<size_t>(slot)]) {
        EXPECT_TRUE(Close(dev.Output(slot), cpu.Output(slot))) << "output " << slot << ", feed seed " << seed;
      }
    }
  };
  for (uint32_t k = 0; k < 3; ++k) run(100 + k);
  for (int slot : spec.variable_slots) EXPECT_TRUE(Close(dev.State(slot), cpu.State(slot))) << "state " << slot;
  for (Runner* r : {&cpu, &dev}) r->interpreter().tensor(r->tensor_index(in::kH0))->data_as<float>()[0] = 0.75f;
  run(200);
  ASSERT_TRUE(cpu.interpreter().ResetVariableTensors().ok());
  ASSERT_TRUE(dev.interpreter().ResetVariableTensors().ok());
  run(300);
  for (int slot : spec.variable_slots) EXPECT_TRUE(Close(dev.State(slot), cpu.State(slot))) << "state " << slot;
}

TEST(CudaDelegate, StreamingStateStaysOnDeviceAndMatchesCpu) {
  RNNLITE_CUDA_OR_SKIP(automatic);
  RNNLITE_CUDA_OR_SKIP(custom, Extra{{"engine", "custom"}});
  struct Case {
    RnnCell cell;
    RnnDirection dir;
    RnnStateLayout layout;
    bool time_major;
  };
  const Case cases[] = {
      {RnnCell::kLstm, RnnDirection::kForward, RnnStateLayout::kPerDirection, true},
      {RnnCell::kLstm, RnnDirection::kBidirectional, RnnStateLayout::kPerDirection, false},
      {RnnCell::kLstm, RnnDirection::kBidirectional, RnnStateLayout::kStacked, false},
      {RnnCell::kGru, RnnDirection::kReverse, RnnStateLayout::kStacked, true},
      {RnnCell::kGru, RnnDirection::kBidirectional, RnnStateLayout::kStacked, true},
      {RnnCell::kRnn, RnnDirection::kBidirectional, RnnStateLayout::kStacked, true},
  };
  uint32_t seed = 61;
  for (const auto& cuda : {automatic, custom}) {
    for (const Case& c : cases) {
      SCOPED_TRACE(RnnCellName(c.cell) + " direction " + std::to_string(static_cast<int>(c.dir)) + " layout " +
                   std::to_string(static_cast<int>(c.layout)) + (cuda == custom ? " custom" : " auto"));
      CheckStreaming(StreamingSpec(c.cell, c.dir, c.layout, c.time_major, seed++), cuda);
    }
  }
}

// Chunked time keeps device memory independent of T.
TEST(CudaDelegate, DeviceMemoryDoesNotGrowWithT) {
  RNNLITE_CUDA_OR_SKIP(probe);
  uint64_t peaks[2] = {0, 0};
  const int lengths[2] = {2000, 20000};
  for (int k = 0; k < 2; ++k) {
    // A fresh delegate per length: the peak is per delegate.
    auto d = Load({{"chunk_steps", "500"}});
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    Config c;
    c.spec = SimpleSpec(RnnCell::kLstm, RnnDirection::kForward, lengths[k], 1, 8, 64, 71);
    c.label = "T=" + std::to_string(lengths[k]);
    ExpectSameAsCpu(c, *d);
    peaks[k] = (*d)->device_memory().peak_bytes;
    EXPECT_TRUE((*d)->device_memory().available);
  }
  EXPECT_GT(peaks[0], 0u);
  EXPECT_EQ(peaks[0], peaks[1]) << "device memory grew with T";
}

TEST(CudaDelegate, CompileFaultFallsBackToCpu) {
  RNNLITE_CUDA_OR_SKIP(faulty, Extra{{"test_fail", "compile"}});
  Config c;
  c.spec = SimpleSpec(RnnCell::kLstm, RnnDirection::kForward, 4, 2, 3, 8, 73);
  Runner cpu(c.spec, nullptr), dev(c.spec, faulty);
  ASSERT_TRUE(dev.status().ok()) << dev.status().ToString();
  EXPECT_NE(dev.Placement().find("cpu"), std::string::npos) << dev.Placement();
  ASSERT_TRUE(cpu.Invoke().ok());
  ASSERT_TRUE(dev.Invoke().ok());
  EXPECT_TRUE(Close(dev.Output(0), cpu.Output(0)));
}

TEST(CudaDelegate, PrepareFaultIsAnErrorOrCpuFallback) {
  RNNLITE_CUDA_OR_SKIP(faulty, Extra{{"test_fail", "prepare"}});
  Config c;
  c.spec = SimpleSpec(RnnCell::kGru, RnnDirection::kForward, 4, 2, 3, 8, 79);
  Runner cpu(c.spec, nullptr), dev(c.spec, faulty);
  if (!dev.status().ok()) {
    EXPECT_NE(dev.status().message().find("injected fault at prepare"), std::string::npos) << dev.status().ToString();
    return;
  }
  ASSERT_TRUE(cpu.Invoke().ok());
  ASSERT_TRUE(dev.Invoke().ok());
  EXPECT_TRUE(Close(dev.Output(0), cpu.Output(0)));
}

TEST(CudaDelegate, InvokeFaultIsAnError) {
  RNNLITE_CUDA_OR_SKIP(faulty, Extra{{"test_fail", "invoke"}});
  Config c;
  c.spec = SimpleSpec(RnnCell::kRnn, RnnDirection::kForward, 4, 2, 3, 8, 83);
  Runner dev(c.spec, faulty);
  ASSERT_TRUE(dev.status().ok()) << dev.status().ToString();
  ASSERT_EQ(dev.Placement(), "cuda");
  Status s = dev.Invoke();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("injected fault at invoke"), std::string::npos) << s.ToString();
}

TEST(CudaDelegate, BadLengthsAreAnErrorNotACrash) {
  RNNLITE_CUDA_OR_SKIP(cuda);
  Config c;
  c.spec = SimpleSpec(RnnCell::kLstm, RnnDirection::kForward, 4, 2, 3, 8, 89);
  c.spec.inputs[in::kSeqLens] = I32({2}, {4, 9});
  c.spec.inputs[in::kSeqLens].constant = false;
  Runner dev(c.spec, cuda);
  ASSERT_TRUE(dev.status().ok()) << dev.status().ToString();
  Status s = dev.Invoke();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("outside [0, T = 4]"), std::string::npos) << s.ToString();
}

TEST(CudaDelegate, DescribesDevice) {
  RNNLITE_CUDA_OR_SKIP(cuda);
  EXPECT_EQ(cuda->name(), "cuda");
  EXPECT_NE(cuda->device().find("cuDNN"), std::string::npos) << cuda->device();
}

}  // namespace
}  // namespace rnnlite::testing::cuda
