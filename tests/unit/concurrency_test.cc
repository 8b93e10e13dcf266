// One Model shared by many interpreters on many threads (docs/robustness.md,
// thread safety): every thread gets bitwise the results a sequential run
// gets. The stress test is bounded in count and time so that it also runs
// under ThreadSanitizer (scripts/test-tsan), which is where it earns its keep.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <thread>

#include "core/sequence_rnn.h"
#include "support/test_util.h"

namespace rnnlite {
namespace {

using testing::GraphBuilder;

const std::string kTestPlugin = std::string(RNNLITE_TEST_PLUGIN_DIR) + "/librnnlite_testdelegate.so";

std::shared_ptr<const Model> LoadExample(const std::string& file) {
  auto m = Model::FromFile(testing::SourcePath("examples/" + file));
  EXPECT_TRUE(m.ok()) << file << ": " << m.status().ToString();
  return m.ok() ? *m : nullptr;
}

// A bidirectional GRU with per-batch lengths, then elementwise ops: more
// code paths than the examples, all of it stateless.
std::shared_ptr<const Model> BidiGruModel() {
  GraphBuilder b;
  const int T = 5, B = 3, I = 4, H = 6;
  int x = b.Input("x", DType::kFloat32, {T, B, I});
  int lens = b.Constant("lens", testing::ConstI32({B}, {5, 2, 0}));
  int w = b.Constant("w", testing::ConstF32({2, 3 * H, I}, testing::RandomFloats(2 * 3 * H * I, 51, -0.5f, 0.5f)));
  int r = b.Constant("r", testing::ConstF32({2, 3 * H, H}, testing::RandomFloats(2 * 3 * H * H, 52, -0.5f, 0.5f)));
  int y = b.Tensor("y", DType::kFloat32), out = b.Tensor("out", DType::kFloat32);
  SequenceRnnParams p;
  p.cell = RnnCell::kGru;
  p.direction = RnnDirection::kBidirectional;
  p.hidden_size = H;
  AttrMap attrs;
  p.ToAttrs(&attrs);
  std::vector<int> in(seq_rnn_input::kCount, kNoTensor);
  in[seq_rnn_input::kX] = x;
  in[seq_rnn_input::kW] = w;
  in[seq_rnn_input::kR] = r;
  in[seq_rnn_input::kSeqLens] = lens;
  b.AddCustomNode(kSequenceRnnCustomCode, in, {y}, attrs);
  b.AddNode(Op::kTanh, {y}, {out});
  b.Output(out);
  auto m = b.Build();
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? *m : nullptr;
}

struct Workload {
  std::string name;
  std::shared_ptr<const Model> model;
  Shape input_shape;  // empty: the model's own
};

std::vector<Workload> Workloads() {
  return {{"lstm_tagger", LoadExample("lstm_tagger.tflite"), {1, 9, 8}},
          {"sequence_classifier", LoadExample("sequence_classifier.tflite"), {1, 7, 8}},
          {"bidi_gru", BidiGruModel(), {}}};
}

// `invokes` Invokes of one interpreter on seeded inputs; every output of
// every Invoke, then the final value of every variable (streaming state).
using Trace = std::vector<std::vector<float>>;

Status RunSession(const Workload& w, const InterpreterOptions& options, std::shared_ptr<Delegate> delegate,
                  uint32_t seed, int invokes, Trace* trace) {
  Interpreter interp(w.model, options);
  if (delegate) {
    RNNLITE_RETURN_IF_ERROR(interp.ModifyGraphWithDelegate(delegate));
    if (interp.num_partitions() == 0) return Internal(w.name + ": the delegate took no node");
  }
  if (!w.input_shape.empty()) RNNLITE_RETURN_IF_ERROR(interp.ResizeInputTensor(interp.inputs()[0], w.input_shape));
  RNNLITE_RETURN_IF_ERROR(interp.AllocateTensors());
  for (int k = 0; k < invokes; ++k) {
    Tensor* in = interp.input_tensor(0);
    const auto x = testing::RandomFloats(static_cast<size_t>(in->num_elements()), seed * 977u + k);
    std::memcpy(in->data, x.data(), x.size() * sizeof(float));
    RNNLITE_RETURN_IF_ERROR(interp.Invoke());
    for (size_t o = 0; o < interp.outputs().size(); ++o) {
      const Tensor* t = interp.output_tensor(o);
      trace->emplace_back(t->data_as<float>(), t->data_as<float>() + t->num_elements());
    }
  }
  for (size_t i = 0; i < interp.tensors_size(); ++i) {
    const Tensor* t = interp.tensor(static_cast<int>(i));
    if (t->is_variable) trace->emplace_back(t->data_as<float>(), t->data_as<float>() + t->num_elements());
  }
  return Status::Ok();
}

// Runs `threads` sessions at once (session i on seed i) and compares each
// with the same session run alone.
void CheckParallelMatchesSequential(const Workload& w, const InterpreterOptions& options,
                                    const std::function<std::shared_ptr<Delegate>()>& delegate, int threads,
                                    int invokes) {
  SCOPED_TRACE(w.name);
  ASSERT_NE(w.model, nullptr);
  std::vector<Trace> sequential(threads), parallel(threads);
  for (int i = 0; i < threads; ++i) {
    Status s = RunSession(w, options, delegate(), i + 1, invokes, &sequential[i]);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  std::vector<Status> status(threads);
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&, i] { status[i] = RunSession(w, options, delegate(), i + 1, invokes, &parallel[i]); });
  }
  for (auto& t : pool) t.join();
  for (int i = 0; i < threads; ++i) {
    ASSERT_TRUE(status[i].ok()) << "thread " << i << ": " << status[i].ToString();
    EXPECT_EQ(parallel[i], sequential[i]) << "thread " << i << " differs from its sequential run";
  }
}

TEST(Concurrency, SharedModelReferenceKernelsMatchSequential) {
  InterpreterOptions o;
  o.cpu_kernels = CpuKernels::kReference;
  o.num_threads = 1;
  for (const Workload& w : Workloads()) CheckParallelMatchesSequential(w, o, [] { return nullptr; }, 4, 3);
}

TEST(Concurrency, SharedModelFastKernelsWithWorkerThreadsMatchSequential) {
  InterpreterOptions o;
  o.cpu_kernels = CpuKernels::kFast;
  o.num_threads = 2;  // threads inside each interpreter, too
  for (const Workload& w : Workloads()) CheckParallelMatchesSequential(w, o, [] { return nullptr; }, 3, 3);
}

TEST(Concurrency, SharedDelegateAcrossThreadsMatchesSequential) {
  DelegateOptions d;
  d.extra = {{"ops", std::string(kSequenceRnnCustomCode) + ",TANH"}};
  auto shared = LoadDelegatePlugin(kTestPlugin, d);
  ASSERT_TRUE(shared.ok()) << shared.status().ToString();
  std::shared_ptr<Delegate> delegate = *shared;
  // The test delegate computes with a default-options interpreter inside.
  const InterpreterOptions o;
  CheckParallelMatchesSequential(Workloads()[2], o, [&] { return delegate; }, 4, 2);
}

// Many short-lived interpreters, plugin loads and resizes on several threads
// at once; every result checked against a sequential oracle. Stops after a
// fixed count or a time budget, whichever comes first.
TEST(Concurrency, StressBoundedInCountAndTime) {
  const std::vector<Workload> workloads = Workloads();
  for (const Workload& w : workloads) ASSERT_NE(w.model, nullptr) << w.name;
  constexpr int kThreads = 4, kRounds = 12, kVariants = 6;
  const InterpreterOptions o;  // as inside the test delegate, which some rounds use
  // Oracle: variant v = workload v % 3 with seed v, run alone.
  std::vector<Trace> oracle(kVariants);
  for (int v = 0; v < kVariants; ++v) {
    Status s = RunSession(workloads[v % workloads.size()], o, nullptr, 100 + v, 2, &oracle[v]);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::atomic<int> mismatches{0}, errors{0}, runs{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < kThreads; ++t) {
    pool.emplace_back([&, t] {
      for (int round = 0; round < kRounds && std::chrono::steady_clock::now() < deadline; ++round) {
        const int v = (t + round) % kVariants;
        std::shared_ptr<Delegate> delegate;
        if (round % 3 == 1) {  // the loader, concurrently
          DelegateOptions d;
          d.extra = {{"ops", std::string(kSequenceRnnCustomCode) +
                                 ",UNIDIRECTIONAL_SEQUENCE_LSTM,FULLY_CONNECTED,SOFTMAX,TANH"}};
          auto loaded = LoadDelegatePlugin(kTestPlugin, d);
          if (!loaded.ok()) {
            ++errors;
            continue;
          }
          delegate = *loaded;
        }
        Trace trace;
        Status s = RunSession(workloads[v % workloads.size()], o, delegate, 100 + v, 2, &trace);
        if (!s.ok()) {
          ++errors;
        } else if (trace != oracle[v]) {
          ++mismatches;
        }
        ++runs;
      }
    });
  }
  for (auto& th : pool) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_GE(runs.load(), kThreads) << "every thread finished at least one round";
}

}  // namespace
}  // namespace rnnlite
