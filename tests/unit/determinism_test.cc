// Determinism (docs/robustness.md): the same model and inputs give
// bitwise-identical outputs on the same backend with the same kernel choice
// and thread count: in a fresh interpreter, in the same interpreter again
// after a reset, and after a resize back to the same shape. The reference
// kernels are single-threaded, so num_threads must not change their bits.
#include <gtest/gtest.h>

#include <cstring>

#include "core/sequence_rnn.h"
#include "support/test_util.h"

namespace rnnlite {
namespace {

using testing::GraphBuilder;

// LSTM with projection, peepholes and layer norm, batch-major, streaming
// state; beside it a GRU with lengths. Wide enough (H = 24, B = 5)
// that a multithreaded kernel has work to split.
std::shared_ptr<const Model> TwoBranchModel() {
  GraphBuilder b;
  const int T = 6, B = 5, I = 7, H = 24, P = 10, H2 = 9;
  int x = b.Input("x", DType::kFloat32, {B, T, I});
  auto rnd = [&](Shape s, uint32_t seed) {
    return b.Constant("w" + std::to_string(seed),
                      testing::ConstF32(s, testing::RandomFloats(static_cast<size_t>(NumElements(s)), seed, -0.4f, 0.4f)));
  };
  SequenceRnnParams lstm;
  lstm.cell = RnnCell::kLstm;
  lstm.hidden_size = H;
  lstm.proj_size = P;
  lstm.time_major = false;
  AttrMap a1;
  lstm.ToAttrs(&a1);
  std::vector<int> in1(seq_rnn_input::kCount, kNoTensor);
  in1[seq_rnn_input::kX] = x;
  in1[seq_rnn_input::kW] = rnd({1, 4 * H, I}, 61);
  in1[seq_rnn_input::kR] = rnd({1, 4 * H, P}, 62);
  in1[seq_rnn_input::kWb] = rnd({1, 4 * H}, 63);
  in1[seq_rnn_input::kPeephole] = rnd({1, 3, H}, 64);
  in1[seq_rnn_input::kProjW] = rnd({1, P, H}, 65);
  in1[seq_rnn_input::kLayerNorm] = rnd({1, 4, H}, 66);
  in1[seq_rnn_input::kH0] = b.Variable("h", DType::kFloat32, {B, 1, P});
  in1[seq_rnn_input::kC0] = b.Variable("c", DType::kFloat32, {B, 1, H});
  int y1 = b.Tensor("y1", DType::kFloat32);
  b.AddCustomNode(kSequenceRnnCustomCode, in1, {y1}, a1);

  SequenceRnnParams gru;
  gru.cell = RnnCell::kGru;
  gru.hidden_size = H2;
  gru.time_major = false;
  gru.linear_before_reset = true;
  AttrMap a2;
  gru.ToAttrs(&a2);
  std::vector<int> in2(seq_rnn_input::kCount, kNoTensor);
  in2[seq_rnn_input::kX] = x;  // y1 is [B, T, D, P]: a second branch, not a stack
  in2[seq_rnn_input::kW] = rnd({1, 3 * H2, I}, 67);
  in2[seq_rnn_input::kR] = rnd({1, 3 * H2, H2}, 68);
  in2[seq_rnn_input::kWb] = rnd({1, 3 * H2}, 69);
  in2[seq_rnn_input::kRb] = rnd({1, 3 * H2}, 70);
  in2[seq_rnn_input::kSeqLens] = b.Constant("lens", testing::ConstI32({B}, {6, 1, 4, 0, 6}));
  int y2 = b.Tensor("y2", DType::kFloat32);
  b.AddCustomNode(kSequenceRnnCustomCode, in2, {y2}, a2);
  b.Output(y1);
  b.Output(y2);
  auto m = b.Build();
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? *m : nullptr;
}

std::shared_ptr<const Model> Example(const char* file) {
  auto m = Model::FromFile(testing::SourcePath(std::string("examples/") + file));
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? *m : nullptr;
}

// Three Invokes (state carries over), every output as raw bytes.
using Bits = std::vector<std::vector<uint8_t>>;

void Feed(Interpreter& interp, uint32_t seed) {
  Tensor* in = interp.input_tensor(0);
  const auto x = testing::RandomFloats(static_cast<size_t>(in->num_elements()), seed);
  std::memcpy(in->data, x.data(), x.size() * sizeof(float));
}

Bits Run3(Interpreter& interp) {
  Bits out;
  for (uint32_t k = 0; k < 3; ++k) {
    Feed(interp, 700 + k);
    Status s = interp.Invoke();
    EXPECT_TRUE(s.ok()) << s.ToString();
    for (size_t o = 0; o < interp.outputs().size(); ++o) {
      const Tensor* t = interp.output_tensor(o);
      out.emplace_back(t->data, t->data + t->bytes);
    }
  }
  return out;
}

Bits FreshRun(const std::shared_ptr<const Model>& model, const InterpreterOptions& o, const Shape& shape) {
  Interpreter interp(model, o);
  if (!shape.empty()) {
    EXPECT_TRUE(interp.ResizeInputTensor(interp.inputs()[0], shape).ok());
  }
  Status s = interp.AllocateTensors();
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return {};
  return Run3(interp);
}

struct Case {
  const char* name;
  std::shared_ptr<const Model> model;
  Shape shape;
};

std::vector<Case> Cases() {
  return {{"two_branch", TwoBranchModel(), {}},
          {"lstm_tagger", Example("lstm_tagger.tflite"), {1, 11, 8}},
          {"sequence_classifier", Example("sequence_classifier.tflite"), {1, 13, 8}}};
}

TEST(Determinism, SameBackendAndThreadsGiveIdenticalBits) {
  for (const Case& c : Cases()) {
    ASSERT_NE(c.model, nullptr) << c.name;
    for (CpuKernels kernels : {CpuKernels::kReference, CpuKernels::kFast}) {
      for (int threads : {1, 2, 3}) {
        SCOPED_TRACE(std::string(c.name) + (kernels == CpuKernels::kFast ? " fast" : " reference") + " threads=" +
                     std::to_string(threads));
        InterpreterOptions o;
        o.cpu_kernels = kernels;
        o.num_threads = threads;
        const Bits first = FreshRun(c.model, o, c.shape);
        ASSERT_FALSE(first.empty());
        EXPECT_EQ(FreshRun(c.model, o, c.shape), first) << "a fresh interpreter";

        Interpreter interp(c.model, o);
        if (!c.shape.empty()) {
          ASSERT_TRUE(interp.ResizeInputTensor(interp.inputs()[0], c.shape).ok());
        }
        ASSERT_TRUE(interp.AllocateTensors().ok());
        EXPECT_EQ(Run3(interp), first) << "first pass";
        ASSERT_TRUE(interp.ResetVariableTensors().ok());
        EXPECT_EQ(Run3(interp), first) << "after ResetVariableTensors";
        // A resize away and back re-plans memory; the bits stay.
        if (!c.shape.empty()) {
          Shape other = c.shape;
          other[1] += 3;
          ASSERT_TRUE(interp.ResizeInputTensor(interp.inputs()[0], other).ok());
          ASSERT_TRUE(interp.AllocateTensors().ok());
          Run3(interp);
          ASSERT_TRUE(interp.ResizeInputTensor(interp.inputs()[0], c.shape).ok());
          ASSERT_TRUE(interp.AllocateTensors().ok());
          ASSERT_TRUE(interp.ResetVariableTensors().ok());
          EXPECT_EQ(Run3(interp), first) << "after a resize round trip";
        }
      }
    }
  }
}

TEST(Determinism, ReferenceKernelsIgnoreThreadCount) {
  for (const Case& c : Cases()) {
    ASSERT_NE(c.model, nullptr) << c.name;
    InterpreterOptions one;
    one.cpu_kernels = CpuKernels::kReference;
    one.num_threads = 1;
    InterpreterOptions many = one;
    many.num_threads = 4;
    EXPECT_EQ(FreshRun(c.model, one, c.shape), FreshRun(c.model, many, c.shape)) << c.name;
  }
}

}  // namespace
}  // namespace rnnlite
