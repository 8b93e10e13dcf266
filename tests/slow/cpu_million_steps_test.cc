// A 1,000,000-step LSTM (B=1, I=H=256) on the fast CPU path: it runs, its
// first steps match the reference, and the process's peak memory grows by
// little more than X and Y themselves (1 GB each): the weights are used in
// place and the workspace is one time chunk (kSequenceRnnChunkFloats).
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include "core/sequence_rnn.h"
#include "rnnlite/graph.h"
#include "rnnlite/interpreter.h"
#include "rnnlite/model.h"
#include "support/test_util.h"

namespace rnnlite {
namespace {

constexpr int kH = 256;

std::shared_ptr<const Model> BuildLstm(int steps) {
  Graph graph;
  graph.subgraphs.emplace_back();
  Subgraph& sg = graph.main();
  Tensor x;
  x.name = "x";
  x.dtype = DType::kFloat32;
  x.shape = {steps, 1, kH};
  x.shape_signature = x.shape;
  const int xi = sg.AddTensor(std::move(x));
  sg.inputs.push_back(xi);
  const float scale = 1.0f / std::sqrt(static_cast<float>(kH));
  const int w = graph.AddConstant(sg, "w", DType::kFloat32, {1, 4 * kH, kH},
                                  testing::RandomFloats(4 * kH * kH, 1, -scale, scale));
  const int r = graph.AddConstant(sg, "r", DType::kFloat32, {1, 4 * kH, kH},
                                  testing::RandomFloats(4 * kH * kH, 2, -scale, scale));
  const int wb = graph.AddConstant(sg, "wb", DType::kFloat32, {1, 4 * kH}, testing::RandomFloats(4 * kH, 3, -0.1f, 0.1f));
  Tensor y;
  y.name = "y";
  y.dtype = DType::kFloat32;
  y.shape = {steps, 1, 1, kH};
  const int yi = sg.AddTensor(std::move(y));
  sg.outputs.push_back(yi);
  SequenceRnnParams params;
  params.cell = RnnCell::kLstm;
  params.hidden_size = kH;
  Node node;
  node.op = Op::kCustom;
  node.custom_code = kSequenceRnnCustomCode;
  node.inputs = {xi, w, r, wb};
  node.outputs = {yi};
  params.ToAttrs(&node.attrs);
  sg.nodes.push_back(std::move(node));
  auto model = Model::FromGraph(std::move(graph));
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  return model.ok() ? *model : nullptr;
}

// Resident set size now, in bytes (/proc/self/statm).
double CurrentRssBytes() {
  long pages = 0, resident = 0;
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0.0;
  if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
  std::fclose(f);
  return static_cast<double>(resident) * 4096.0;
}

double PeakRssBytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) * 1024.0;
}

void FillX(Tensor* x, size_t offset_steps, size_t steps, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  float* data = x->data_as<float>();
  for (size_t i = 0; i < steps * kH; ++i) data[offset_steps * kH + i] = dist(rng);
}

TEST(CpuMillionSteps, RunsInBoundedMemoryAndMatchesTheReference) {
  constexpr int kSteps = 1000000;
  constexpr int kCheck = 64;
  auto model = BuildLstm(kSteps);
  ASSERT_NE(model, nullptr);
  const double before = CurrentRssBytes();
  InterpreterOptions options;
  options.cpu_kernels = CpuKernels::kFast;
  // One thread: this test is about memory, and a lockstep pair of threads
  // on a busy 2-core CI machine would make it needlessly slow.
  options.num_threads = 1;
  Interpreter interp(model, options);
  ASSERT_TRUE(interp.AllocateTensors().ok());
  FillX(interp.input_tensor(0), 0, kSteps, 7);
  const Status st = interp.Invoke();
  ASSERT_TRUE(st.ok()) << st.ToString();
  const double growth = PeakRssBytes() - before;
  const double io = 2.0 * kSteps * kH * sizeof(float);
  std::printf("peak RSS growth %.0f MB for %.0f MB of X and Y\n", growth / 1e6, io / 1e6);
  // X + Y, plus the chunk workspace (4 MB), threads' stacks and allocator
  // slack; a second copy of X, Y or of the projection of all steps (4 GB)
  // would break this.
  EXPECT_LT(growth, io + 128e6);

  const float* y = interp.output_tensor(0)->data_as<float>();
  for (size_t i = static_cast<size_t>(kSteps - 1) * kH; i < static_cast<size_t>(kSteps) * kH; ++i) {
    ASSERT_TRUE(std::isfinite(y[i]));
  }
  // The first steps against the reference on the same inputs.
  auto small = BuildLstm(kCheck);
  InterpreterOptions ref_options;
  ref_options.cpu_kernels = CpuKernels::kReference;
  Interpreter ref(small, ref_options);
  ASSERT_TRUE(ref.AllocateTensors().ok());
  FillX(ref.input_tensor(0), 0, kCheck, 7);
  ASSERT_TRUE(ref.Invoke().ok());
  const float* want = ref.output_tensor(0)->data_as<float>();
  for (int i = 0; i < kCheck * kH; ++i) ASSERT_NEAR(y[i], want[i], 2e-5f + 2e-5f * std::fabs(want[i])) << i;
}

}  // namespace
}  // namespace rnnlite
