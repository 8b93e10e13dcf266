// Property tests of the SequenceRnn reference on seeded random
// configurations: relations that must hold whatever the weights are, checked
// through the Interpreter. Each compares two runs of the same reference, so
// they pin layout, direction, length and state handling; the cell math
// itself is pinned by the vector tests (sequence_rnn_*_vectors_test.cc).
#include <gtest/gtest.h>

#include "sequence_rnn_test_helpers.h"

namespace rnnlite::testing::seqrnn {
namespace {

// Two runs of the same float32 math in a different grouping (e.g. aux input
// folded into X) differ by rounding only.
constexpr float kTol = 1e-5f;

struct Config {
  const char* name;
  RnnCell cell;
  bool lbr = false;
  bool cifg = false;
  int proj = 0;
  Extras extras;
};

std::vector<Config> Configs() {
  Extras plain;
  Extras peep;
  peep.peephole = true;
  Extras full = peep;
  full.proj_bias = true;
  full.layer_norm = true;
  Extras nobias;
  nobias.bias = false;
  nobias.h0 = false;
  nobias.c0 = false;
  return {
      {"lstm", RnnCell::kLstm, false, false, 0, plain},
      {"lstm_peephole_proj_ln", RnnCell::kLstm, false, false, 2, full},
      {"lstm_cifg_peephole", RnnCell::kLstm, false, true, 0, peep},
      {"lstm_no_optionals", RnnCell::kLstm, false, false, 0, nobias},
      {"gru_lbr0", RnnCell::kGru, false, false, 0, plain},
      {"gru_lbr1", RnnCell::kGru, true, false, 0, plain},
      {"rnn", RnnCell::kRnn, false, false, 0, plain},
  };
}

SequenceRnnParams ParamsFor(const Config& c, RnnDirection dir, int hidden, bool time_major) {
  SequenceRnnParams p = MakeParams(c.cell, dir, hidden, time_major);
  p.linear_before_reset = c.lbr;
  p.cifg = c.cifg;
  p.proj_size = c.proj;
  return p;
}

// Direction d of a tensor whose leading dim is D.
TestTensor SliceDir(const TestTensor& t, int d) {
  if (t.dtype == DType::kVariant) return t;
  TestTensor s = t;
  const size_t chunk = t.bytes.size() / static_cast<size_t>(t.shape[0]);
  s.shape[0] = 1;
  s.bytes.assign(t.bytes.begin() + static_cast<ptrdiff_t>(chunk * d),
                 t.bytes.begin() + static_cast<ptrdiff_t>(chunk * (d + 1)));
  return s;
}

std::vector<float> Rows(const std::vector<float>& v, size_t first, size_t count, size_t width) {
  return std::vector<float>(v.begin() + static_cast<ptrdiff_t>(first * width),
                            v.begin() + static_cast<ptrdiff_t>((first + count) * width));
}

void ExpectSame(const std::vector<float>& a, const std::vector<float>& b, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_NEAR(a[i], b[i], kTol + kTol * std::fabs(b[i])) << what << " at " << i;
  }
}

RunResult RunSpec(const SequenceRnnParams& p, std::vector<TestTensor> inputs, std::vector<bool> outputs) {
  NodeSpec s;
  s.attrs = Attrs(p);
  s.inputs = std::move(inputs);
  s.outputs = std::move(outputs);
  return RunNode(s);
}

// Bidirectional == forward (+) reverse run separately with each direction's
// weights and states; with and without per-batch lengths.
TEST(SequenceRnnPropertyTest, BidirectionalIsForwardPlusReverse) {
  const Dims dims{5, 3, 3, 4, 0, 0};
  uint32_t seed = 100;
  for (const Config& c : Configs()) {
    for (bool with_lens : {false, true}) {
      SCOPED_TRACE(std::string(c.name) + (with_lens ? " with lengths" : ""));
      SequenceRnnParams p = ParamsFor(c, RnnDirection::kBidirectional, dims.H, true);
      p.output_layout = RnnOutputLayout::kSplit;
      p.state_layout = RnnStateLayout::kPerDirection;
      std::vector<TestTensor> bi = RandomInputs(p, dims, c.extras, ++seed);
      if (with_lens) bi[in::kSeqLens] = I32({3}, {5, 2, 0});
      const bool lstm = c.cell == RnnCell::kLstm;
      RunResult both = RunSpec(p, bi, {true, true, lstm, true});
      ASSERT_TRUE(both.status.ok()) << both.status.ToString();
      for (int d = 0; d < 2; ++d) {
        SequenceRnnParams p1 = p;
        p1.direction = d == 0 ? RnnDirection::kForward : RnnDirection::kReverse;
        p1.activations.resize(static_cast<size_t>(p.activations_per_direction()));
        std::vector<TestTensor> one = bi;
        for (int slot : {in::kW, in::kR, in::kWb, in::kRb, in::kPeephole, in::kProjW, in::kProjB, in::kLayerNorm}) {
          one[slot] = SliceDir(bi[slot], d);
        }
        one[in::kH0] = bi[d == 0 ? in::kH0 : in::kH0Bw];
        one[in::kC0] = bi[d == 0 ? in::kC0 : in::kC0Bw];
        one[in::kH0Bw] = Absent();
        one[in::kC0Bw] = Absent();
        RunResult single = RunSpec(p1, one, {true, true, lstm, false});
        ASSERT_TRUE(single.status.ok()) << single.status.ToString();
        ExpectSame(Values(both.outputs[d == 0 ? out::kY : out::kYBw]), Values(single.outputs[out::kY]), "Y");
        const size_t B = 3, X = static_cast<size_t>(p.recurrent_width());
        ExpectSame(Rows(Values(both.outputs[out::kYh]), d * B, B, X), Values(single.outputs[out::kYh]), "Y_h");
        if (lstm) {
          ExpectSame(Rows(Values(both.outputs[out::kYc]), d * B, B, dims.H), Values(single.outputs[out::kYc]), "Y_c");
        }
      }
    }
  }
}

// Reverse == forward over each row's valid prefix read backwards.
TEST(SequenceRnnPropertyTest, ReverseIsForwardOnReversedValidPrefix) {
  const Dims dims{6, 4, 3, 3, 0, 0};
  const std::vector<int32_t> lens = {6, 3, 1, 0};
  uint32_t seed = 200;
  for (const Config& c : Configs()) {
    SCOPED_TRACE(c.name);
    SequenceRnnParams p = ParamsFor(c, RnnDirection::kReverse, dims.H, true);
    std::vector<TestTensor> rev = RandomInputs(p, dims, c.extras, ++seed);
    rev[in::kSeqLens] = I32({4}, lens);
    const bool lstm = c.cell == RnnCell::kLstm;
    RunResult r = RunSpec(p, rev, {true, true, lstm, false});
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();

    std::vector<TestTensor> fwd = rev;
    std::vector<float> x = Values(rev[in::kX]), xf = x;
    const size_t B = 4, I = 3, X = static_cast<size_t>(p.recurrent_width());
    for (size_t b = 0; b < B; ++b) {
      for (int t = 0; t < lens[b]; ++t) {
        for (size_t k = 0; k < I; ++k) xf[(t * B + b) * I + k] = x[((lens[b] - 1 - t) * B + b) * I + k];
      }
    }
    fwd[in::kX] = F32(rev[in::kX].shape, xf);
    SequenceRnnParams pf = p;
    pf.direction = RnnDirection::kForward;
    RunResult f = RunSpec(pf, fwd, {true, true, lstm, false});
    ASSERT_TRUE(f.status.ok()) << f.status.ToString();
    std::vector<float> yr = Values(r.outputs[out::kY]), yf = Values(f.outputs[out::kY]);
    for (size_t b = 0; b < B; ++b) {
      for (int t = 0; t < dims.T; ++t) {
        // Y is [T, 1, B, X]; padded steps are zero in both runs.
        const size_t rt = (static_cast<size_t>(t) * B + b) * X;
        const size_t ft = t < lens[b] ? ((lens[b] - 1 - t) * B + b) * X : rt;
        ExpectSame(std::vector<float>(yr.begin() + rt, yr.begin() + rt + X),
                   std::vector<float>(yf.begin() + ft, yf.begin() + ft + X), "Y row");
      }
    }
    ExpectSame(Values(r.outputs[out::kYh]), Values(f.outputs[out::kYh]), "Y_h");
    if (lstm) ExpectSame(Values(r.outputs[out::kYc]), Values(f.outputs[out::kYc]), "Y_c");
  }
}

// Per-batch lengths == each row run alone over its own length. Length 0
// leaves the initial state and an all-zero Y.
TEST(SequenceRnnPropertyTest, PerBatchLengthsEqualRowsRunAlone) {
  const Dims dims{5, 4, 2, 3, 0, 0};
  const std::vector<int64_t> lens = {2, 5, 0, 1};
  uint32_t seed = 300;
  for (const Config& c : Configs()) {
    SCOPED_TRACE(c.name);
    SequenceRnnParams p = ParamsFor(c, RnnDirection::kBidirectional, dims.H, true);
    std::vector<TestTensor> all = RandomInputs(p, dims, c.extras, ++seed);
    all[in::kSeqLens] = I64({4}, lens);
    const bool lstm = c.cell == RnnCell::kLstm;
    RunResult r = RunSpec(p, all, {true, true, lstm, false});
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    const size_t B = 4, D = 2, I = 2, H = 3, X = static_cast<size_t>(p.recurrent_width());
    std::vector<float> y = Values(r.outputs[out::kY]), yh = Values(r.outputs[out::kYh]);
    std::vector<float> yc = lstm ? Values(r.outputs[out::kYc]) : std::vector<float>();
    std::vector<float> x = Values(all[in::kX]);
    auto state_row = [&](const TestTensor& t, size_t d, size_t b, size_t w) {
      if (t.dtype == DType::kVariant) return std::vector<float>(w, 0.0f);
      return Rows(Values(t), d * B + b, 1, w);
    };
    for (size_t b = 0; b < B; ++b) {
      SCOPED_TRACE("row " + std::to_string(b));
      for (size_t t = static_cast<size_t>(lens[b]); t < 5; ++t) {
        for (size_t d = 0; d < D; ++d) {
          ExpectSame(Rows(y, (t * D + d) * B + b, 1, X), std::vector<float>(X, 0.0f), "padded Y");
        }
      }
      if (lens[b] == 0) {
        for (size_t d = 0; d < D; ++d) {
          ExpectSame(Rows(yh, d * B + b, 1, X), state_row(all[in::kH0], d, b, X), "Y_h of empty row");
          if (lstm) ExpectSame(Rows(yc, d * B + b, 1, H), state_row(all[in::kC0], d, b, H), "Y_c of empty row");
        }
        continue;
      }
      const int32_t L = static_cast<int32_t>(lens[b]);
      std::vector<TestTensor> one = all;
      one[in::kSeqLens] = Absent();
      std::vector<float> xb;
      for (int32_t t = 0; t < L; ++t) {
        std::vector<float> row = Rows(x, static_cast<size_t>(t) * B + b, 1, I);
        xb.insert(xb.end(), row.begin(), row.end());
      }
      one[in::kX] = F32({L, 1, 2}, xb);
      std::vector<float> h0, c0;
      for (size_t d = 0; d < D; ++d) {
        std::vector<float> hr = state_row(all[in::kH0], d, b, X), cr = state_row(all[in::kC0], d, b, H);
        h0.insert(h0.end(), hr.begin(), hr.end());
        c0.insert(c0.end(), cr.begin(), cr.end());
      }
      if (all[in::kH0].dtype != DType::kVariant) one[in::kH0] = F32({2, 1, static_cast<int32_t>(X)}, h0);
      if (all[in::kC0].dtype != DType::kVariant) one[in::kC0] = F32({2, 1, 3}, c0);
      RunResult alone = RunSpec(p, one, {true, true, lstm, false});
      ASSERT_TRUE(alone.status.ok()) << alone.status.ToString();
      std::vector<float> ya = Values(alone.outputs[out::kY]);
      for (int32_t t = 0; t < L; ++t) {
        for (size_t d = 0; d < D; ++d) {
          ExpectSame(Rows(y, (t * D + d) * B + b, 1, X), Rows(ya, t * D + d, 1, X), "Y");
        }
      }
      for (size_t d = 0; d < D; ++d) {
        ExpectSame(Rows(yh, d * B + b, 1, X), Rows(Values(alone.outputs[out::kYh]), d, 1, X), "Y_h");
        if (lstm) ExpectSame(Rows(yc, d * B + b, 1, H), Rows(Values(alone.outputs[out::kYc]), d, 1, H), "Y_c");
      }
    }
  }
}

// Swaps the first two axes of a rank-3 or rank-4 float tensor.
TestTensor SwapAxes01(const TestTensor& t) {
  if (t.dtype == DType::kVariant) return t;
  std::vector<float> v = Values(t), o(v.size());
  const size_t a = static_cast<size_t>(t.shape[0]), b = static_cast<size_t>(t.shape[1]);
  const size_t inner = v.size() / (a * b);
  for (size_t i = 0; i < a; ++i) {
    for (size_t j = 0; j < b; ++j) {
      std::copy_n(v.begin() + static_cast<ptrdiff_t>((i * b + j) * inner), inner,
                  o.begin() + static_cast<ptrdiff_t>((j * a + i) * inner));
    }
  }
  Shape s = t.shape;
  std::swap(s[0], s[1]);
  TestTensor r = F32(s, o);
  r.constant = t.constant;
  return r;
}

// Batch-major == time-major with X, aux X, states and outputs transposed.
// Stacked Y is [T, D, B, X] vs [B, T, D, X]: a transpose of the first two
// axes after merging (D, B) / (T, D) is not enough, so compare per element.
TEST(SequenceRnnPropertyTest, BatchMajorIsTransposedTimeMajor) {
  Dims dims{4, 3, 3, 2, 0, 2};
  uint32_t seed = 400;
  for (Config c : Configs()) {
    SCOPED_TRACE(c.name);
    c.extras.aux = true;
    SequenceRnnParams tm = ParamsFor(c, RnnDirection::kBidirectional, dims.H, true);
    std::vector<TestTensor> a = RandomInputs(tm, dims, c.extras, ++seed);
    a[in::kSeqLens] = I32({3}, {4, 1, 3});
    const bool lstm = c.cell == RnnCell::kLstm;
    RunResult rt = RunSpec(tm, a, {true, true, lstm, false});
    ASSERT_TRUE(rt.status.ok()) << rt.status.ToString();

    SequenceRnnParams bm = tm;
    bm.time_major = false;
    std::vector<TestTensor> b = a;
    for (int slot : {in::kX, in::kAuxX, in::kH0, in::kC0}) b[slot] = SwapAxes01(a[slot]);
    RunResult rb = RunSpec(bm, b, {true, true, lstm, false});
    ASSERT_TRUE(rb.status.ok()) << rb.status.ToString();

    const size_t T = 4, B = 3, D = 2, X = static_cast<size_t>(tm.recurrent_width());
    std::vector<float> yt = Values(rt.outputs[out::kY]), yb = Values(rb.outputs[out::kY]);
    for (size_t t = 0; t < T; ++t) {
      for (size_t d = 0; d < D; ++d) {
        for (size_t bb = 0; bb < B; ++bb) {
          ExpectSame(Rows(yt, (t * D + d) * B + bb, 1, X), Rows(yb, (bb * T + t) * D + d, 1, X), "Y");
        }
      }
    }
    ExpectSame(Values(SwapAxes01(rt.outputs[out::kYh])), Values(rb.outputs[out::kYh]), "Y_h");
    if (lstm) ExpectSame(Values(SwapAxes01(rt.outputs[out::kYc])), Values(rb.outputs[out::kYc]), "Y_c");
  }
}

// Output layouts (stacked / concat / split) and state layouts (stacked /
// per direction) carry the same numbers.
TEST(SequenceRnnPropertyTest, OutputAndStateLayoutsAgree) {
  const Dims dims{3, 2, 3, 3, 0, 0};
  uint32_t seed = 500;
  for (const Config& c : Configs()) {
    SCOPED_TRACE(c.name);
    SequenceRnnParams p = ParamsFor(c, RnnDirection::kBidirectional, dims.H, true);
    std::vector<TestTensor> a = RandomInputs(p, dims, c.extras, ++seed);
    const bool lstm = c.cell == RnnCell::kLstm;
    RunResult stacked = RunSpec(p, a, {true, true, lstm, false});
    ASSERT_TRUE(stacked.status.ok()) << stacked.status.ToString();
    const size_t T = 3, B = 2, D = 2, X = static_cast<size_t>(p.recurrent_width());

    SequenceRnnParams pc = p;
    pc.output_layout = RnnOutputLayout::kConcat;
    RunResult concat = RunSpec(pc, a, {true, true, lstm, false});
    ASSERT_TRUE(concat.status.ok()) << concat.status.ToString();
    SequenceRnnParams ps = p;
    ps.output_layout = RnnOutputLayout::kSplit;
    ps.state_layout = RnnStateLayout::kPerDirection;
    std::vector<TestTensor> split_in = a;
    for (auto [slot, bw] : {std::pair{in::kH0, in::kH0Bw}, std::pair{in::kC0, in::kC0Bw}}) {
      if (a[slot].dtype == DType::kVariant) continue;
      split_in[slot] = SliceDir(a[slot], 0);
      split_in[slot].shape.erase(split_in[slot].shape.begin());
      split_in[bw] = SliceDir(a[slot], 1);
      split_in[bw].shape.erase(split_in[bw].shape.begin());
    }
    RunResult split = RunSpec(ps, split_in, {true, true, lstm, true});
    ASSERT_TRUE(split.status.ok()) << split.status.ToString();

    std::vector<float> ys = Values(stacked.outputs[out::kY]), yc = Values(concat.outputs[out::kY]);
    std::vector<float> yf = Values(split.outputs[out::kY]), yb = Values(split.outputs[out::kYBw]);
    for (size_t t = 0; t < T; ++t) {
      for (size_t d = 0; d < D; ++d) {
        for (size_t b = 0; b < B; ++b) {
          std::vector<float> ref = Rows(ys, (t * D + d) * B + b, 1, X);
          ExpectSame(Rows(yc, (t * B + b) * D + d, 1, X), ref, "concat Y");
          ExpectSame(Rows(d == 0 ? yf : yb, t * B + b, 1, X), ref, "split Y");
        }
      }
    }
    ExpectSame(Values(split.outputs[out::kYh]), Values(stacked.outputs[out::kYh]), "Y_h");
    if (lstm) ExpectSame(Values(split.outputs[out::kYc]), Values(stacked.outputs[out::kYc]), "Y_c");
  }
}

// Aux input == the same weights applied to X and aux X concatenated.
TEST(SequenceRnnPropertyTest, AuxInputIsConcatenatedInput) {
  Dims dims{4, 2, 3, 3, 0, 2};
  uint32_t seed = 600;
  for (Config c : Configs()) {
    SCOPED_TRACE(c.name);
    c.extras.aux = true;
    SequenceRnnParams p = ParamsFor(c, RnnDirection::kBidirectional, dims.H, true);
    std::vector<TestTensor> a = RandomInputs(p, dims, c.extras, ++seed);
    const bool lstm = c.cell == RnnCell::kLstm;
    RunResult with_aux = RunSpec(p, a, {true, true, lstm, false});
    ASSERT_TRUE(with_aux.status.ok()) << with_aux.status.ToString();

    auto concat_last = [](const std::vector<float>& u, size_t nu, const std::vector<float>& v, size_t nv) {
      std::vector<float> o;
      for (size_t r = 0; r < u.size() / nu; ++r) {
        o.insert(o.end(), u.begin() + static_cast<ptrdiff_t>(r * nu), u.begin() + static_cast<ptrdiff_t>((r + 1) * nu));
        o.insert(o.end(), v.begin() + static_cast<ptrdiff_t>(r * nv), v.begin() + static_cast<ptrdiff_t>((r + 1) * nv));
      }
      return o;
    };
    std::vector<TestTensor> b = a;
    b[in::kX] = F32({4, 2, 5}, concat_last(Values(a[in::kX]), 3, Values(a[in::kAuxX]), 2));
    Shape ws = a[in::kW].shape;
    ws[2] = 5;
    b[in::kW] = F32(ws, concat_last(Values(a[in::kW]), 3, Values(a[in::kAuxW]), 2));
    b[in::kAuxX] = Absent();
    b[in::kAuxW] = Absent();
    RunResult folded = RunSpec(p, b, {true, true, lstm, false});
    ASSERT_TRUE(folded.status.ok()) << folded.status.ToString();
    for (int o = 0; o < (lstm ? 3 : 2); ++o) {
      ExpectSame(Values(with_aux.outputs[o]), Values(folded.outputs[o]), "output " + std::to_string(o));
    }
  }
}

// Streaming: a forward node whose state inputs are variable tensors, run
// chunk by chunk, equals one long run from the same initial state; and
// ResetVariableTensors starts over from zeros.
TEST(SequenceRnnPropertyTest, ChunkedStreamingEqualsOneLongRun) {
  const Dims dims{6, 2, 3, 3, 0, 0};
  uint32_t seed = 700;
  for (const Config& c : Configs()) {
    for (RnnStateLayout layout : {RnnStateLayout::kStacked, RnnStateLayout::kPerDirection}) {
      for (bool time_major : {true, false}) {
        for (int chunk : {1, 2, 3}) {
          SCOPED_TRACE(std::string(c.name) + " layout " + std::to_string(static_cast<int>(layout)) +
                       (time_major ? " time-major" : " batch-major") + " chunk " + std::to_string(chunk));
          SequenceRnnParams p = ParamsFor(c, RnnDirection::kForward, dims.H, time_major);
          p.state_layout = layout;
          p.output_layout = RnnOutputLayout::kConcat;
          Extras e = c.extras;
          e.h0 = e.c0 = true;
          std::vector<TestTensor> a = RandomInputs(p, dims, e, ++seed);
          const bool lstm = c.cell == RnnCell::kLstm;
          RunResult whole = RunSpec(p, a, {true, true, lstm, false});
          ASSERT_TRUE(whole.status.ok()) << whole.status.ToString();

          // X chunk k: steps [k*chunk, (k+1)*chunk) of every row.
          const size_t B = 2, I = 3, X = static_cast<size_t>(p.recurrent_width());
          std::vector<float> x = Values(a[in::kX]);
          auto x_chunk = [&](int k) {
            std::vector<float> v;
            for (size_t r = 0; r < (time_major ? static_cast<size_t>(chunk) : B); ++r) {
              for (size_t q = 0; q < (time_major ? B : static_cast<size_t>(chunk)); ++q) {
                const size_t t = time_major ? k * chunk + r : k * chunk + q, b = time_major ? q : r;
                const size_t src = time_major ? t * B + b : b * 6 + t;
                v.insert(v.end(), x.begin() + static_cast<ptrdiff_t>(src * I),
                         x.begin() + static_cast<ptrdiff_t>((src + 1) * I));
              }
            }
            return F32(time_major ? Shape{chunk, 2, 3} : Shape{2, chunk, 3}, v);
          };
          NodeSpec s;
          s.attrs = Attrs(p);
          s.inputs = a;
          s.inputs[in::kX] = x_chunk(0);
          s.variable_slots = {in::kH0};
          if (lstm) s.variable_slots.push_back(in::kC0);
          s.outputs = {true, false, false, false};
          NodeRunner runner(s);
          ASSERT_TRUE(runner.status().ok()) << runner.status().ToString();
          std::vector<float> y_long = Values(whole.outputs[out::kY]), y_first;
          for (int k = 0; k < 6 / chunk; ++k) {
            std::vector<TestTensor> feed = s.inputs;
            feed[in::kX] = x_chunk(k);
            ASSERT_TRUE(runner.Invoke(feed).ok());
            std::vector<float> y = Values(runner.Output(out::kY));
            if (k == 0) y_first = y;
            for (size_t r = 0; r < y.size() / X; ++r) {
              // Row r of the chunk output is (t, b) in the long run's layout.
              const size_t outer = r / (time_major ? B : static_cast<size_t>(chunk));
              const size_t inner = r % (time_major ? B : static_cast<size_t>(chunk));
              const size_t t = time_major ? k * chunk + outer : k * chunk + inner, b = time_major ? inner : outer;
              const size_t row = time_major ? t * B + b : b * 6 + t;
              ExpectSame(Rows(y, r, 1, X), Rows(y_long, row, 1, X), "Y chunk " + std::to_string(k));
            }
          }
          // The stacked state of one direction is [1, B, X] / [B, 1, X]: the
          // same bytes as Y_h.
          ExpectSame(Values(runner.StateVariable(in::kH0)), Values(whole.outputs[out::kYh]), "h state");
          if (lstm) ExpectSame(Values(runner.StateVariable(in::kC0)), Values(whole.outputs[out::kYc]), "c state");

          // After a reset the state is zero, so the first chunk equals a run
          // without initial states.
          ASSERT_TRUE(runner.interpreter().ResetVariableTensors().ok());
          std::vector<TestTensor> feed = s.inputs;
          feed[in::kX] = x_chunk(0);
          ASSERT_TRUE(runner.Invoke(feed).ok());
          std::vector<TestTensor> zero_init = feed;
          zero_init[in::kH0] = Absent();
          zero_init[in::kC0] = Absent();
          RunResult fresh = RunSpec(p, zero_init, {true, false, false, false});
          ASSERT_TRUE(fresh.status.ok()) << fresh.status.ToString();
          ExpectSame(Values(runner.Output(out::kY)), Values(fresh.outputs[out::kY]), "Y after reset");
        }
      }
    }
  }
}

TestTensor ToF64(const TestTensor& t) {
  if (t.dtype != DType::kFloat32) return t;
  std::vector<float> v = Values(t);
  TestTensor r = MakeTensor(DType::kFloat64, t.shape, std::vector<double>(v.begin(), v.end()));
  r.constant = t.constant;
  return r;
}

// The float64 instantiation of the reference agrees with float32 within
// float32 rounding accumulated over T steps (stated: 2e-5 abs + 1e-4 rel).
TEST(SequenceRnnPropertyTest, Float64AgreesWithFloat32) {
  Dims dims{8, 3, 4, 5, 0, 2};
  uint32_t seed = 800;
  for (Config c : Configs()) {
    SCOPED_TRACE(c.name);
    c.extras.aux = true;
    SequenceRnnParams p = ParamsFor(c, RnnDirection::kBidirectional, dims.H, true);
    std::vector<TestTensor> a = RandomInputs(p, dims, c.extras, ++seed);
    a[in::kSeqLens] = I32({3}, {8, 5, 2});
    const bool lstm = c.cell == RnnCell::kLstm;
    RunResult r32 = RunSpec(p, a, {true, true, lstm, false});
    ASSERT_TRUE(r32.status.ok()) << r32.status.ToString();
    NodeSpec s;
    s.attrs = Attrs(p);
    for (const TestTensor& t : a) s.inputs.push_back(ToF64(t));
    s.outputs = {true, true, lstm, false};
    s.out_dtype = DType::kFloat64;
    RunResult r64 = RunNode(s);
    ASSERT_TRUE(r64.status.ok()) << r64.status.ToString();
    for (int o = 0; o < (lstm ? 3 : 2); ++o) {
      ASSERT_EQ(r64.outputs[o].dtype, DType::kFloat64);
      ASSERT_EQ(r64.outputs[o].shape, r32.outputs[o].shape);
      std::vector<double> v64 = r64.outputs[o].values<double>();
      std::vector<float> v32 = Values(r32.outputs[o]);
      for (size_t i = 0; i < v64.size(); ++i) {
        ASSERT_NEAR(v32[i], v64[i], 2e-5 + 1e-4 * std::fabs(v64[i])) << "output " << o << " at " << i;
      }
    }
  }
}

}  // namespace
}  // namespace rnnlite::testing::seqrnn
