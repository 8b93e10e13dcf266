// The fast CPU SequenceRnn against the reference (the oracle) over seeded
// random configurations of every variant the fast path covers; thread-count
// determinism; streaming (chunked runs carry state); coverage decisions;
// the sigmoid/tanh approximations.
//
// Tolerance (float32): |fast - ref| <= 2e-5 + 2e-5·|ref|. The fast path sums
// the matrix products in another order (blocked GEMM / 16-wide dot
// products) and approximates sigmoid/tanh to ~2e-7 relative; over the
// short random sequences here the differences stay near 1e-6.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/sequence_rnn.h"
#include "cpu_fallback/sequence_rnn_fast.h"
#include "cpu_fallback/sequence_rnn_fast_math.h"
#include "cpu_fallback/sequence_rnn_ref.h"
#include "cpu_fallback/thread_pool.h"
#include "rnnlite/graph.h"
#include "rnnlite/interpreter.h"
#include "rnnlite/model.h"
#include "support/test_util.h"

namespace rnnlite {
namespace {

constexpr float kAtol = 2e-5f;
constexpr float kRtol = 2e-5f;

// A random problem: params, sizes, and the buffers the args point into.
struct Problem {
  SequenceRnnParams p;
  SequenceRnnShapes s;
  std::vector<float> x, w, r, wb, rb, h0, c0, h0_bw, c0_bw, peephole, aux_x, aux_w;
  std::vector<int64_t> lens;
  bool has_wb = false, has_rb = false, has_h0 = false, has_c0 = false, has_peephole = false, has_aux = false;

  int64_t D() const { return p.num_directions(); }
  int64_t H() const { return p.hidden_size; }
  int64_t YSize() const {
    return static_cast<int64_t>(s.seq_len) * s.batch * (p.output_layout == RnnOutputLayout::kSplit ? 1 : D()) * H();
  }
};

struct Outputs {
  std::vector<float> y, y_h, y_c, y_bw, final_h, final_c;
};

std::vector<float> Rand(size_t n, uint32_t seed, float scale) { return testing::RandomFloats(n, seed, -scale, scale); }

Problem MakeProblem(uint32_t seed, int force_batch = 0, int force_steps = 0) {
  std::mt19937 rng(seed);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto coin = [&](double p) { return std::bernoulli_distribution(p)(rng); };
  Problem pr;
  SequenceRnnParams& p = pr.p;
  p.cell = static_cast<RnnCell>(pick(0, 2));
  p.direction = static_cast<RnnDirection>(pick(0, 2));
  p.time_major = coin(0.5);
  // Sizes on both sides of the 8-wide vectors and of the thread split.
  static const int kHidden[] = {1, 3, 8, 13, 16, 24, 37, 64};
  p.hidden_size = kHidden[pick(0, 7)];
  p.linear_before_reset = p.cell == RnnCell::kGru && coin(0.5);
  if (p.cell == RnnCell::kLstm) {
    const int variant = pick(0, 3);
    p.cifg = variant == 1;
    p.input_forget = variant == 2;
    if (coin(0.3)) p.cell_clip = 0.5f + static_cast<float>(pick(0, 10)) / 10.0f;
  }
  if (coin(0.3)) p.gate_clip = 1.0f + static_cast<float>(pick(0, 20)) / 10.0f;
  static const RnnActivation kActs[] = {RnnActivation::kSigmoid, RnnActivation::kTanh, RnnActivation::kHardSigmoid,
                                        RnnActivation::kSoftsign, RnnActivation::kScaledTanh, RnnActivation::kRelu};
  const int per_dir = p.activations_per_direction();
  const bool odd_acts = coin(0.25);
  for (int d = 0; d < p.num_directions(); ++d) {
    for (int k = 0; k < per_dir; ++k) {
      RnnActivation kind;
      if (!odd_acts) {
        kind = (p.cell != RnnCell::kRnn && k == 0) ? RnnActivation::kSigmoid : RnnActivation::kTanh;
      } else {
        kind = kActs[pick(0, 5)];
      }
      RnnActivationSpec spec = DefaultRnnActivation(kind);
      if (kind == RnnActivation::kScaledTanh) spec.alpha = 0.9f, spec.beta = 1.1f;
      p.activations.push_back(spec);
    }
  }
  const int D = p.num_directions();
  p.output_layout = static_cast<RnnOutputLayout>(pick(0, D == 2 ? 2 : 1));
  p.state_layout = static_cast<RnnStateLayout>(pick(0, 1));

  SequenceRnnShapes& s = pr.s;
  s.seq_len = pick(1, 11);
  if (force_steps > 0) s.seq_len = force_steps;  // after the pick: same draws as without
  s.batch = force_batch > 0 ? force_batch : (coin(0.3) ? pick(8, 10) : pick(1, 4));
  s.input_size = pick(1, 21);
  const int64_t T = s.seq_len, B = s.batch, I = s.input_size, H = p.hidden_size, G = p.num_gates();
  const float ws = 1.5f / std::sqrt(static_cast<float>(std::max<int64_t>(I, H)));
  pr.x = Rand(T * B * I, seed * 31 + 1, 1.0f);
  pr.w = Rand(D * G * H * I, seed * 31 + 2, ws);
  pr.r = Rand(D * G * H * H, seed * 31 + 3, ws);
  pr.has_wb = coin(0.8);
  pr.has_rb = coin(0.6);
  pr.wb = Rand(D * G * H, seed * 31 + 4, 0.5f);
  pr.rb = Rand(D * G * H, seed * 31 + 5, 0.5f);
  pr.has_h0 = coin(0.6);
  pr.has_c0 = p.cell == RnnCell::kLstm && coin(0.6);
  const int64_t state_rows = p.state_layout == RnnStateLayout::kStacked ? D * B : B;
  pr.h0 = Rand(state_rows * H, seed * 31 + 6, 0.8f);
  pr.c0 = Rand(state_rows * H, seed * 31 + 7, 0.8f);
  pr.h0_bw = Rand(B * H, seed * 31 + 8, 0.8f);
  pr.c0_bw = Rand(B * H, seed * 31 + 9, 0.8f);
  pr.has_peephole = p.cell == RnnCell::kLstm && coin(0.5);
  pr.peephole = Rand(D * 3 * H, seed * 31 + 10, 0.5f);
  if (coin(0.5)) {
    for (int64_t b = 0; b < B; ++b) pr.lens.push_back(pick(0, static_cast<int>(T)));
  }
  pr.has_aux = coin(0.2);
  if (pr.has_aux) {
    s.aux_input_size = pick(1, 9);
    pr.aux_x = Rand(T * B * s.aux_input_size, seed * 31 + 11, 1.0f);
    pr.aux_w = Rand(D * G * H * s.aux_input_size, seed * 31 + 12, ws);
  }
  return pr;
}

SequenceRnnRefArgs<float> Args(const Problem& pr, Outputs* o) {
  SequenceRnnRefArgs<float> a;
  const bool per_dir = pr.p.state_layout == RnnStateLayout::kPerDirection;
  a.x = pr.x.data();
  a.w = pr.w.data();
  a.r = pr.r.data();
  a.wb = pr.has_wb ? pr.wb.data() : nullptr;
  a.rb = pr.has_rb ? pr.rb.data() : nullptr;
  a.h0 = pr.has_h0 ? pr.h0.data() : nullptr;
  a.c0 = pr.has_c0 ? pr.c0.data() : nullptr;
  a.h0_bw = pr.has_h0 && per_dir && pr.D() == 2 ? pr.h0_bw.data() : nullptr;
  a.c0_bw = pr.has_c0 && per_dir && pr.D() == 2 ? pr.c0_bw.data() : nullptr;
  a.peephole = pr.has_peephole ? pr.peephole.data() : nullptr;
  a.aux_x = pr.has_aux ? pr.aux_x.data() : nullptr;
  a.aux_w = pr.has_aux ? pr.aux_w.data() : nullptr;
  a.seq_lens = pr.lens;
  const int64_t DBH = pr.D() * pr.s.batch * pr.H();
  o->y.assign(static_cast<size_t>(pr.YSize()), -7.0f);
  o->y_h.assign(static_cast<size_t>(DBH), -7.0f);
  o->final_h.assign(static_cast<size_t>(DBH), -7.0f);
  o->final_c.assign(static_cast<size_t>(DBH), -7.0f);
  if (pr.p.cell == RnnCell::kLstm) o->y_c.assign(static_cast<size_t>(DBH), -7.0f);
  a.y = o->y.data();
  a.y_h = o->y_h.data();
  a.y_c = o->y_c.empty() ? nullptr : o->y_c.data();
  if (pr.p.output_layout == RnnOutputLayout::kSplit) {
    o->y_bw.assign(static_cast<size_t>(pr.YSize()), -7.0f);
    a.y_bw = o->y_bw.data();
  }
  a.final_h = o->final_h.data();
  a.final_c = pr.p.cell == RnnCell::kLstm ? o->final_c.data() : nullptr;
  return a;
}

void ExpectClose(const std::vector<float>& fast, const std::vector<float>& ref, const std::string& what) {
  ASSERT_EQ(fast.size(), ref.size()) << what;
  for (size_t i = 0; i < ref.size(); ++i) {
    ASSERT_NEAR(fast[i], ref[i], kAtol + kRtol * std::fabs(ref[i])) << what << " element " << i;
  }
}

// min_fmas = 1: every thread shares every step (the small test shapes
// would otherwise run their steps on one thread; see
// kSequenceRnnMinStepFmasPerThread).
Outputs RunFast(const Problem& pr, int threads, int64_t min_fmas = 1) {
  Outputs o;
  const auto a = Args(pr, &o);
  ThreadPool pool(threads);
  const Status st = RunSequenceRnnFast(pr.p, pr.s, a, pool, min_fmas);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return o;
}

Outputs RunRef(const Problem& pr) {
  Outputs o;
  const auto a = Args(pr, &o);
  const Status st = RunSequenceRnnReference<float>(pr.p, pr.s, a);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return o;
}

void CompareAll(const Outputs& f, const Outputs& r, const std::string& what) {
  ExpectClose(f.y, r.y, what + " y");
  ExpectClose(f.y_bw, r.y_bw, what + " y_bw");
  ExpectClose(f.y_h, r.y_h, what + " y_h");
  ExpectClose(f.y_c, r.y_c, what + " y_c");
  ExpectClose(f.final_h, r.final_h, what + " final_h");
  ExpectClose(f.final_c, r.final_c, what + " final_c");
}

TEST(SequenceRnnFast, MatchesReferenceOnRandomConfigurations) {
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    const Problem pr = MakeProblem(seed);
    const std::string what = "seed " + std::to_string(seed) + ": " + pr.p.Describe() + " T=" +
                             std::to_string(pr.s.seq_len) + " B=" + std::to_string(pr.s.batch) +
                             " I=" + std::to_string(pr.s.input_size) + (pr.has_aux ? " aux" : "") +
                             (pr.lens.empty() ? "" : " lens");
    Outputs scratch;
    ASSERT_EQ(SequenceRnnFastUnsupportedReason(pr.p, Args(pr, &scratch)), "");
    const Outputs ref = RunRef(pr);
    const int threads = 1 + static_cast<int>(seed % 3);
    const Outputs fast = RunFast(pr, threads);
    CompareAll(fast, ref, what + " threads " + std::to_string(threads));
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// Invokes of fewer than kSequenceRnnPackMinSteps steps use sgemm from
// kSequenceRnnGemmMinBatch rows on, DotRows below; cover both sides (and
// the packed kernel, for the problems MakeProblem gives more steps).
TEST(SequenceRnnFast, MatchesReferenceAcrossTheGemmSwitch) {
  for (int64_t batch : {kSequenceRnnGemmMinBatch - 1, kSequenceRnnGemmMinBatch, kSequenceRnnGemmMinBatch + 5}) {
    for (uint32_t seed = 500; seed < 515; ++seed) {
      Problem pr = MakeProblem(seed, static_cast<int>(batch));
      const Outputs ref = RunRef(pr);
      CompareAll(RunFast(pr, 2), ref, "seed " + std::to_string(seed) + " B=" + std::to_string(batch));
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

// From kSequenceRnnPackMinSteps steps the recurrent product runs on R
// packed into 16-column panels: 1-2 batch rows on two-panel tiles, more on
// up-to-6-row register tiles, the panel order alternating per step; odd
// batches leave partial row tiles, hidden sizes and the thread split leave
// partial panels and odd panel counts; every cell, direction and
// sequence-length mix comes from MakeProblem.
TEST(SequenceRnnFast, MatchesReferenceOnThePackedRecurrentProduct) {
  for (int64_t batch : {1, 2, 3, 4, 8, 12}) {
    for (uint32_t seed = 900; seed < 912; ++seed) {
      const Problem pr = MakeProblem(seed + static_cast<uint32_t>(batch) * 100, static_cast<int>(batch),
                                     static_cast<int>(kSequenceRnnPackMinSteps + seed % 5));
      const Outputs ref = RunRef(pr);
      const int threads = 1 + static_cast<int>(seed % 3);
      CompareAll(RunFast(pr, threads), ref,
                 "seed " + std::to_string(seed) + " B=" + std::to_string(batch) + " H=" + std::to_string(pr.H()) +
                     " " + pr.p.Describe() + " threads " + std::to_string(threads));
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

// With the default threshold the small steps run on one thread while the
// others only share the projection (and wait out the steps at the next
// chunk's barrier, so chunked runs cover the hand-over).
TEST(SequenceRnnFast, ProjectionOnlyThreadsMatchTheReference) {
  for (uint32_t seed = 950; seed < 990; ++seed) {
    Problem pr = MakeProblem(seed, 1 + static_cast<int>(seed % 12));
    const Outputs ref = RunRef(pr);
    const int threads = 2 + static_cast<int>(seed % 2);
    CompareAll(RunFast(pr, threads, kSequenceRnnMinStepFmasPerThread), ref,
               "seed " + std::to_string(seed) + " threads " + std::to_string(threads));
    if (::testing::Test::HasFatalFailure()) return;
  }
}

bool BitwiseEqual(const Outputs& a, const Outputs& b) {
  auto eq = [](const std::vector<float>& x, const std::vector<float>& y) {
    return x.size() == y.size() && (x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(float)) == 0);
  };
  return eq(a.y, b.y) && eq(a.y_bw, b.y_bw) && eq(a.y_h, b.y_h) && eq(a.y_c, b.y_c) && eq(a.final_h, b.final_h) &&
         eq(a.final_c, b.final_c);
}

// Each thread owns whole hidden units and the recurrent product (DotRows)
// and the gate math give every unit the same bits whichever thread runs it;
// OpenBLAS's sgemm (input projection) may round differently when the column
// split changes, so 1 / 2 / 3 / 4 threads agree within the tolerance, and
// exactly for a given thread count (next test).
TEST(SequenceRnnFast, ThreadCountsAgree) {
  for (uint32_t seed = 700; seed < 740; ++seed) {
    const Problem pr = MakeProblem(seed, 1 + static_cast<int>(seed % 4));
    const Outputs one = RunFast(pr, 1);
    for (int threads : {2, 3, 4}) {
      CompareAll(RunFast(pr, threads), one, "seed " + std::to_string(seed) + " threads " + std::to_string(threads));
    }
  }
}

TEST(SequenceRnnFast, RepeatedRunsAreBitwiseEqual) {
  for (uint32_t seed = 800; seed < 820; ++seed) {
    const Problem pr = MakeProblem(seed, seed % 2 ? 3 : 9);
    const int threads = 2 + static_cast<int>(seed % 2);
    ThreadPool pool(threads);
    Outputs first, second;
    ASSERT_TRUE(RunSequenceRnnFast(pr.p, pr.s, Args(pr, &first), pool, 1).ok());
    ASSERT_TRUE(RunSequenceRnnFast(pr.p, pr.s, Args(pr, &second), pool, 1).ok());
    EXPECT_TRUE(BitwiseEqual(first, second)) << "seed " << seed;
  }
}

// Streaming: two runs over halves of the sequence, the second starting
// from the first's final state, equal one run over the whole sequence.
TEST(SequenceRnnFast, ChunkedRunsCarryState) {
  for (uint32_t seed = 900; seed < 930; ++seed) {
    Problem whole = MakeProblem(seed);
    // Streaming is forward-only, full-length, time-major.
    whole.p.direction = RnnDirection::kForward;
    whole.p.time_major = true;
    whole.p.output_layout = RnnOutputLayout::kStacked;
    whole.p.state_layout = RnnStateLayout::kStacked;
    whole.p.activations.resize(static_cast<size_t>(whole.p.activations_per_direction()));
    whole.lens.clear();
    whole.s.seq_len = 10;
    const int64_t B = whole.s.batch, I = whole.s.input_size, H = whole.H(), G = whole.p.num_gates();
    whole.x = Rand(10 * B * I, seed, 1.0f);
    whole.w.resize(static_cast<size_t>(G * H * I));
    whole.r.resize(static_cast<size_t>(G * H * H));
    whole.has_aux = false;
    whole.s.aux_input_size = 0;
    whole.has_h0 = whole.has_c0 = true;
    whole.h0.resize(static_cast<size_t>(B * H));
    whole.c0.resize(static_cast<size_t>(B * H));
    whole.peephole.resize(static_cast<size_t>(3 * H));
    const Outputs full = RunFast(whole, 2);

    Problem first = whole, second = whole;
    first.s.seq_len = second.s.seq_len = 5;
    first.x.assign(whole.x.begin(), whole.x.begin() + 5 * B * I);
    second.x.assign(whole.x.begin() + 5 * B * I, whole.x.end());
    const Outputs a = RunFast(first, 2);
    second.h0 = a.final_h;
    if (whole.p.cell == RnnCell::kLstm) second.c0 = a.final_c;
    const Outputs b = RunFast(second, 2);
    std::vector<float> y = a.y;
    y.insert(y.end(), b.y.begin(), b.y.end());
    ExpectClose(y, full.y, "seed " + std::to_string(seed) + " y");
    ExpectClose(b.final_h, full.final_h, "seed " + std::to_string(seed) + " final_h");
  }
}

TEST(SequenceRnnFast, LeavesProjectionAndLayerNormToTheReference) {
  SequenceRnnParams p;
  p.hidden_size = 4;
  SequenceRnnRefArgs<float> a;
  EXPECT_EQ(SequenceRnnFastUnsupportedReason(p, a), "");
  p.proj_size = 2;
  EXPECT_NE(SequenceRnnFastUnsupportedReason(p, a).find("projection"), std::string::npos);
  p.proj_size = 0;
  const float ln = 1.0f;
  a.layer_norm = &ln;
  EXPECT_NE(SequenceRnnFastUnsupportedReason(p, a).find("layer normalization"), std::string::npos);
  ThreadPool pool(1);
  SequenceRnnShapes s;
  EXPECT_EQ(RunSequenceRnnFast(p, s, a, pool).code(), StatusCode::kUnsupported);
}

TEST(SequenceRnnFast, RejectsSequenceLengthsOutsideRange) {
  Problem pr = MakeProblem(42);
  pr.lens.assign(static_cast<size_t>(pr.s.batch), 0);
  pr.lens.back() = pr.s.seq_len + 1;
  Outputs o;
  ThreadPool pool(2);
  const Status st = RunSequenceRnnFast(pr.p, pr.s, Args(pr, &o), pool);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("sequence_lengths"), std::string::npos) << st.ToString();
}

// Through the Interpreter: CpuKernels picks the implementation, and a node
// the fast path does not cover (LSTM projection) runs the reference even in
// fast mode (bitwise the same as reference mode).
std::vector<float> RunLstmThroughInterpreter(CpuKernels kernels, int proj) {
  constexpr int T = 6, B = 2, I = 5, H = 12;
  const int X = proj > 0 ? proj : H;
  Graph graph;
  graph.subgraphs.emplace_back();
  Subgraph& sg = graph.main();
  Tensor x;
  x.name = "x";
  x.dtype = DType::kFloat32;
  x.shape = {T, B, I};
  x.shape_signature = x.shape;
  const int xi = sg.AddTensor(std::move(x));
  sg.inputs.push_back(xi);
  std::vector<int> ins = {xi, graph.AddConstant(sg, "w", DType::kFloat32, {1, 4 * H, I}, Rand(4 * H * I, 1, 0.4f)),
                          graph.AddConstant(sg, "r", DType::kFloat32, {1, 4 * H, X}, Rand(4 * H * X, 2, 0.4f)),
                          graph.AddConstant(sg, "wb", DType::kFloat32, {1, 4 * H}, Rand(4 * H, 3, 0.2f))};
  SequenceRnnParams params;
  params.hidden_size = H;
  params.proj_size = proj;
  if (proj > 0) {
    for (int k = 4; k < seq_rnn_input::kProjW; ++k) ins.push_back(-1);
    ins.push_back(graph.AddConstant(sg, "pw", DType::kFloat32, {1, proj, H}, Rand(proj * H, 4, 0.4f)));
  }
  Tensor y;
  y.name = "y";
  y.dtype = DType::kFloat32;
  y.shape = {T, 1, B, X};
  const int yi = sg.AddTensor(std::move(y));
  sg.outputs.push_back(yi);
  Node node;
  node.op = Op::kCustom;
  node.custom_code = kSequenceRnnCustomCode;
  node.inputs = ins;
  node.outputs = {yi};
  params.ToAttrs(&node.attrs);
  sg.nodes.push_back(std::move(node));
  auto model = Model::FromGraph(std::move(graph));
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  if (!model.ok()) return {};
  InterpreterOptions options;
  options.cpu_kernels = kernels;
  options.num_threads = 2;
  Interpreter interp(*model, options);
  EXPECT_TRUE(interp.AllocateTensors().ok());
  const auto xs = Rand(T * B * I, 5, 1.0f);
  std::memcpy(interp.input_tensor(0)->data, xs.data(), xs.size() * sizeof(float));
  const Status st = interp.Invoke();
  EXPECT_TRUE(st.ok()) << st.ToString();
  const float* out = interp.output_tensor(0)->data_as<float>();
  return std::vector<float>(out, out + T * B * X);
}

TEST(SequenceRnnFast, InterpreterOptionSelectsTheImplementation) {
  const auto fast = RunLstmThroughInterpreter(CpuKernels::kFast, 0);
  const auto ref = RunLstmThroughInterpreter(CpuKernels::kReference, 0);
  ExpectClose(fast, ref, "plain LSTM");
  const auto fast_proj = RunLstmThroughInterpreter(CpuKernels::kFast, 7);
  const auto ref_proj = RunLstmThroughInterpreter(CpuKernels::kReference, 7);
  ASSERT_EQ(fast_proj.size(), ref_proj.size());
  EXPECT_EQ(0, std::memcmp(fast_proj.data(), ref_proj.data(), ref_proj.size() * sizeof(float)))
      << "projection is not covered by the fast path, so both modes run the reference";
}

TEST(SequenceRnnFastMath, SigmoidAndTanhAreAccurate) {
  double max_sig = 0.0, max_tanh = 0.0;
  for (float x = -30.0f; x <= 30.0f; x += 0.00731f) {
    const double s = 1.0 / (1.0 + std::exp(-static_cast<double>(x)));
    const double t = std::tanh(static_cast<double>(x));
    max_sig = std::max(max_sig, std::fabs(FastSigmoid(x) - s) / std::max(s, 1e-30));
    max_tanh = std::max(max_tanh, std::fabs(FastTanh(x) - t) / std::max(std::fabs(t), 1e-30));
  }
  EXPECT_LT(max_sig, 1e-6);
  EXPECT_LT(max_tanh, 1e-6);
  EXPECT_EQ(FastTanh(0.0f), 0.0f);
  EXPECT_EQ(FastSigmoid(-200.0f) >= 0.0f, true);
  EXPECT_FLOAT_EQ(FastSigmoid(200.0f), 1.0f);
}

// The vector lanes and the scalar tail compute the same bits.
TEST(SequenceRnnFastMath, VectorAndScalarPathsAgreeBitwise) {
  const std::vector<float> x = Rand(1001, 3, 12.0f);
  for (RnnActivation kind : {RnnActivation::kSigmoid, RnnActivation::kTanh}) {
    std::vector<float> v = x;
    ActivateArray(DefaultRnnActivation(kind), 0.0f, v.data(), static_cast<int64_t>(v.size()));
    for (size_t i = 0; i < x.size(); ++i) {
      const float scalar = kind == RnnActivation::kSigmoid ? FastSigmoid(x[i]) : FastTanh(x[i]);
      ASSERT_EQ(v[i], scalar) << "x = " << x[i];
    }
  }
}

// Vector lanes and the scalar tail of the cell updates round alike: an
// element's bits must not depend on whether a thread split put it in a
// full vector or in the tail (this caught GCC contracting f·c + i·g into
// an fma in the vector code only; the file is built with -ffp-contract=off).
TEST(SequenceRnnFastMath, CellUpdatesAgreeBitwiseInVectorsAndTail) {
  const int64_t n = 64;
  const std::vector<float> a = Rand(n, 81, 2.0f), b = Rand(n, 82, 2.0f), c = Rand(n, 83, 2.0f),
                           d = Rand(n, 84, 2.0f);
  std::vector<float> vec(static_cast<size_t>(n)), one(1);
  AddThree(a.data(), b.data(), c.data(), vec.data(), n);
  for (int64_t k = 0; k < n; ++k) {
    AddThree(a.data() + k, b.data() + k, c.data() + k, one.data(), 1);
    ASSERT_EQ(vec[k], one[0]) << "AddThree " << k;
  }
  std::vector<float> cell = d;
  LstmCell(a.data(), b.data(), c.data(), cell.data(), n);
  for (int64_t k = 0; k < n; ++k) {
    one[0] = d[k];
    LstmCell(a.data() + k, b.data() + k, c.data() + k, one.data(), 1);
    ASSERT_EQ(cell[k], one[0]) << "LstmCell " << k;
  }
  MulArrays(a.data(), b.data(), vec.data(), n);
  for (int64_t k = 0; k < n; ++k) {
    MulArrays(a.data() + k, b.data() + k, one.data(), 1);
    ASSERT_EQ(vec[k], one[0]) << "MulArrays " << k;
  }
  GruBlend(a.data(), b.data(), c.data(), vec.data(), n);
  for (int64_t k = 0; k < n; ++k) {
    GruBlend(a.data() + k, b.data() + k, c.data() + k, one.data(), 1);
    ASSERT_EQ(vec[k], one[0]) << "GruBlend " << k;
  }
}

}  // namespace
}  // namespace rnnlite
