// Unit tests of the loop-fusion matcher pieces: the canonical polynomial
// algebra (tflite_fusion_expr) and the LSTM / GRU / RNN cell templates,
// on cells written out in the different algebraic forms TensorFlow's
// graphs use, with seeded random weights. The whole pass on real converted
// models is tests/conformance/tf_rnn_fusion_test.cc.
#include <gtest/gtest.h>

#include <random>

#include "frontend/tflite_fusion.h"

namespace rnnlite::tflite_fusion {
namespace {

// The value of a StatusOr the test expects to be OK.
int V(StatusOr<int> s) {
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : 0;
}

Matrix RandomMatrix(std::mt19937& rng, int rows, int cols) {
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  Matrix m{rows, cols, {}};
  // Values representable in float so extracted float weights compare exactly.
  for (int i = 0; i < rows * cols; ++i) m.v.push_back(d(rng));
  return m;
}

std::vector<double> RandomVector(std::mt19937& rng, int n) {
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(d(rng));
  return v;
}

std::vector<float> Floats(const Matrix& m) { return std::vector<float>(m.v.begin(), m.v.end()); }

// Rows [r0, r0 + n) of m.
Matrix Rows(const Matrix& m, int r0, int n) {
  Matrix s{n, m.cols, {}};
  s.v.assign(m.v.begin() + static_cast<ptrdiff_t>(r0) * m.cols, m.v.begin() + static_cast<ptrdiff_t>(r0 + n) * m.cols);
  return s;
}

class FusionAlgebraTest : public ::testing::Test {
 protected:
  std::mt19937 rng{20261126};
  Algebra alg;
};

TEST_F(FusionAlgebraTest, EquivalentGruFormsAreTheSamePolynomial) {
  const int H = 3;
  const int h = alg.Base(StateBase(0), H);
  const int z = alg.Activation(RnnActivation::kSigmoid, alg.Base(0, H));
  const int n = alg.Activation(RnnActivation::kTanh, alg.Scale(alg.Base(0, H), {2.0}));
  const int one = alg.Constant({1.0});
  // Keras: z*h + (1 - z)*n
  const int keras = alg.Add(alg.Mul(z, h), alg.Mul(alg.Add(one, alg.Scale(z, {-1.0})), n));
  // n + z*(h - n)
  const int other = alg.Add(n, alg.Mul(z, alg.Add(h, alg.Scale(n, {-1.0}))));
  EXPECT_EQ(keras, other);
  EXPECT_EQ(alg.poly(keras).terms.size(), 3u);
  // A different function is a different polynomial.
  const int wrong = alg.Add(alg.Mul(z, h), alg.Mul(alg.Add(one, alg.Scale(z, {-0.5})), n));
  EXPECT_NE(keras, wrong);
}

TEST_F(FusionAlgebraTest, LinearMapsComposeMergeAndSlice) {
  const int I = 3, H = 2;
  const Matrix w = RandomMatrix(rng, 4 * H, I), u = RandomMatrix(rng, 4 * H, H);
  const std::vector<double> b = RandomVector(rng, 4 * H);
  const int x = alg.Base(0, I), h = alg.Base(StateBase(1), H);
  // FC(x, W) + FC(h, U) + b
  auto sum = alg.Add(alg.Add(V(alg.Linear(w, x, {})), V(alg.Linear(u, h, {}))), alg.Constant(b));
  // The same through concat([x, h]) and one FC over [W | U].
  Matrix wu{4 * H, I + H, {}};
  for (int r = 0; r < 4 * H; ++r) {
    for (int c = 0; c < I; ++c) wu.v.push_back(w.at(r, c));
    for (int c = 0; c < H; ++c) wu.v.push_back(u.at(r, c));
  }
  Matrix ex{I + H, I, std::vector<double>((I + H) * I, 0.0)}, eh{I + H, H, std::vector<double>((I + H) * H, 0.0)};
  for (int i = 0; i < I; ++i) ex.at(i, i) = 1.0;
  for (int i = 0; i < H; ++i) eh.at(I + i, i) = 1.0;
  const int cat = alg.Add(V(alg.Linear(ex, x, {})), V(alg.Linear(eh, h, {})));
  auto fc = alg.Linear(wu, cat, b);
  ASSERT_TRUE(fc.ok());
  EXPECT_EQ(*fc, sum);
  // Slicing gate 2 of the sum equals the sum of sliced maps.
  auto g2 = alg.Slice(sum, 2 * H, H);
  ASSERT_TRUE(g2.ok());
  Algebra::Affine aff;
  ASSERT_TRUE(alg.AsAffine(*g2, &aff));
  EXPECT_EQ(aff.linear.at(0), Rows(w, 2 * H, H));
  EXPECT_EQ(aff.linear.at(StateBase(1)), Rows(u, 2 * H, H));
  EXPECT_EQ(aff.bias, std::vector<double>(b.begin() + 2 * H, b.begin() + 3 * H));
  // An activation slices through: sigmoid(P)[rows] = sigmoid(P[rows]).
  auto act_slice = alg.Slice(alg.Activation(RnnActivation::kSigmoid, sum), 2 * H, H);
  ASSERT_TRUE(act_slice.ok());
  EXPECT_EQ(*act_slice, alg.Activation(RnnActivation::kSigmoid, *g2));
  // A part of a base value on its own is not modelled.
  EXPECT_FALSE(alg.Slice(x, 0, 1).ok());
  // Width mismatch is an error, not a guess.
  EXPECT_FALSE(alg.Linear(w, h, {}).ok());
}

// Builds Keras' LSTM step as the converter emits it: FC(x) + FC(h) + b,
// split into i, f, g, o, then c' = f*c + i*tanh(g), h' = o*tanh(c').
struct LstmCase {
  Matrix w, u;
  std::vector<double> b;
  int h_next = -1, c_next = -1;
};

LstmCase BuildLstm(Algebra& alg, std::mt19937& rng, int I, int H, bool peephole = false) {
  LstmCase k{RandomMatrix(rng, 4 * H, I), RandomMatrix(rng, 4 * H, H), RandomVector(rng, 4 * H)};
  const int x = alg.Base(0, I), h = alg.Base(StateBase(0), H), c = alg.Base(StateBase(1), H);
  const int z = alg.Add(alg.Add(V(alg.Linear(k.w, x, {})), V(alg.Linear(k.u, h, {}))), alg.Constant(k.b));
  int pre_f = V(alg.Slice(z, H, H));
  if (peephole) pre_f = alg.Add(pre_f, alg.Mul(c, alg.Constant(std::vector<double>(H, 0.5))));
  const int i = alg.Activation(RnnActivation::kSigmoid, V(alg.Slice(z, 0, H)));
  const int f = alg.Activation(RnnActivation::kSigmoid, pre_f);
  const int g = alg.Activation(RnnActivation::kTanh, V(alg.Slice(z, 2 * H, H)));
  const int o = alg.Activation(RnnActivation::kSigmoid, V(alg.Slice(z, 3 * H, H)));
  k.c_next = alg.Add(alg.Mul(f, c), alg.Mul(i, g));
  k.h_next = alg.Mul(o, alg.Activation(RnnActivation::kTanh, k.c_next));
  return k;
}

TEST_F(FusionAlgebraTest, LstmTemplateRecoversWeightsInRnnliteOrder) {
  const int I = 3, H = 4;
  LstmCase k = BuildLstm(alg, rng, I, H);
  auto m = MatchLstm(alg, {{0, k.h_next}, {1, k.c_next}}, I);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->params.cell, RnnCell::kLstm);
  EXPECT_EQ(m->params.hidden_size, H);
  EXPECT_EQ(m->h_var, 0);
  EXPECT_EQ(m->c_var, 1);
  // Keras i, f, c, o is rnnlite's i, f, g, o: the weights come out unchanged.
  EXPECT_EQ(m->w, Floats(k.w));
  EXPECT_EQ(m->r, Floats(k.u));
  EXPECT_EQ(m->wb, std::vector<float>(k.b.begin(), k.b.end()));
  EXPECT_EQ(m->output_poly, k.h_next);
}

TEST_F(FusionAlgebraTest, LstmTemplateRejectsPeepholeAndWrongStateCount) {
  const int I = 2, H = 3;
  LstmCase k = BuildLstm(alg, rng, I, H, /*peephole=*/true);
  auto m = MatchLstm(alg, {{0, k.h_next}, {1, k.c_next}}, I);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("another loop state"), std::string::npos) << m.status().message();
  EXPECT_FALSE(MatchLstm(alg, {{0, k.h_next}}, I).ok());
}

// GRU step in Keras' form: z, r from x and h; reset_after selects where r
// applies. Returns h' and the expected rnnlite weights (r, z, n).
struct GruCase {
  int h_next = -1;
  std::vector<float> w, r, wb, rb;
};

GruCase BuildGru(Algebra& alg, std::mt19937& rng, int I, int H, bool reset_after) {
  const Matrix kx = RandomMatrix(rng, 3 * H, I), kh = RandomMatrix(rng, 3 * H, H);
  const std::vector<double> bx = RandomVector(rng, 3 * H), bh = RandomVector(rng, 3 * H);
  const int x = alg.Base(0, I), h = alg.Base(StateBase(0), H);
  const int mx = V(alg.Linear(kx, x, bx));  // Keras column blocks z, r, h
  const int z = alg.Activation(RnnActivation::kSigmoid, alg.Add(V(alg.Slice(mx, 0, H)), V(alg.Linear(Rows(kh, 0, H), h, Rows(Matrix{3 * H, 1, bh}, 0, H).v))));
  const int r = alg.Activation(RnnActivation::kSigmoid, alg.Add(V(alg.Slice(mx, H, H)), V(alg.Linear(Rows(kh, H, H), h, Rows(Matrix{3 * H, 1, bh}, H, H).v))));
  int pre_n = V(alg.Slice(mx, 2 * H, H));
  const std::vector<double> bhn(bh.begin() + 2 * H, bh.end());
  if (reset_after) {
    pre_n = alg.Add(pre_n, alg.Mul(r, V(alg.Linear(Rows(kh, 2 * H, H), h, bhn))));
  } else {
    pre_n = alg.Add(pre_n, V(alg.Linear(Rows(kh, 2 * H, H), alg.Mul(r, h), {})));
  }
  const int n = alg.Activation(RnnActivation::kTanh, pre_n);
  GruCase g;
  // TF1 GRUCell form: u*state + (1-u)*c.
  g.h_next = alg.Add(alg.Mul(z, h), alg.Mul(alg.Add(alg.Constant({1.0}), alg.Scale(z, {-1.0})), n));
  for (int blk : {1, 0, 2}) {
    for (int i = blk * H * I; i < (blk + 1) * H * I; ++i) g.w.push_back(static_cast<float>(kx.v[i]));
    for (int i = blk * H * H; i < (blk + 1) * H * H; ++i) g.r.push_back(static_cast<float>(kh.v[i]));
  }
  for (int blk : {1, 0}) {
    for (int i = blk * H; i < (blk + 1) * H; ++i) g.wb.push_back(static_cast<float>(bx[i] + bh[i]));
  }
  for (int i = 2 * H; i < 3 * H; ++i) g.wb.push_back(static_cast<float>(bx[i]));
  g.rb.assign(2 * H, 0.0f);
  for (int i = 2 * H; i < 3 * H; ++i) g.rb.push_back(reset_after ? static_cast<float>(bh[i]) : 0.0f);
  return g;
}

TEST_F(FusionAlgebraTest, GruTemplateBothResetModes) {
  const int I = 3, H = 2;
  for (bool reset_after : {true, false}) {
    Algebra a;
    GruCase g = BuildGru(a, rng, I, H, reset_after);
    auto m = MatchGru(a, {{0, g.h_next}}, I);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    EXPECT_EQ(m->params.linear_before_reset, reset_after);
    EXPECT_EQ(m->w, g.w);
    EXPECT_EQ(m->r, g.r);
    ASSERT_EQ(m->wb.size(), g.wb.size());
    for (size_t i = 0; i < g.wb.size(); ++i) EXPECT_FLOAT_EQ(m->wb[i], g.wb[i]) << i;
    if (reset_after) {
      EXPECT_EQ(m->rb, g.rb);
    } else {
      // reset before: the recurrent bias of n is inside Wb_n already.
      for (size_t i = 2 * H; i < g.rb.size(); ++i) EXPECT_EQ(m->rb[i], 0.0f);
    }
  }
}

TEST_F(FusionAlgebraTest, GruTemplateRejectsWrongUpdateRule) {
  const int I = 2, H = 2;
  const int x = alg.Base(0, I), h = alg.Base(StateBase(0), H);
  const int z = alg.Activation(RnnActivation::kSigmoid, V(alg.Linear(RandomMatrix(rng, H, I), x, {})));
  const int n = alg.Activation(RnnActivation::kTanh, V(alg.Linear(RandomMatrix(rng, H, H), h, {})));
  // z*h + z*n: the (1 - z) became z.
  const int bad = alg.Add(alg.Mul(z, h), alg.Mul(z, n));
  EXPECT_FALSE(MatchGru(alg, {{0, bad}}, I).ok());
  // Candidate without a reset gate.
  const int no_reset = alg.Add(alg.Mul(z, h), alg.Mul(alg.Add(alg.Constant({1.0}), alg.Scale(z, {-1.0})), n));
  auto m = MatchGru(alg, {{0, no_reset}}, I);
  ASSERT_FALSE(m.ok());
}

TEST_F(FusionAlgebraTest, RnnTemplate) {
  const int I = 3, H = 5;
  const Matrix w = RandomMatrix(rng, H, I), u = RandomMatrix(rng, H, H);
  const std::vector<double> b = RandomVector(rng, H);
  const int x = alg.Base(0, I), h = alg.Base(StateBase(2), H);
  const int pre = alg.Add(V(alg.Linear(w, x, b)), V(alg.Linear(u, h, {})));
  auto m = MatchRnn(alg, {{2, alg.Activation(RnnActivation::kRelu, pre)}}, I);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->params.activations.at(0).kind, RnnActivation::kRelu);
  EXPECT_EQ(m->w, Floats(w));
  EXPECT_EQ(m->r, Floats(u));
  EXPECT_EQ(m->h_var, 2);
  // A scaled activation (e.g. Keras' hard_sigmoid as relu6(x+3)/6) is not
  // one of the template's forms.
  EXPECT_FALSE(MatchRnn(alg, {{2, alg.Scale(alg.Activation(RnnActivation::kRelu6, pre), {1.0 / 6})}}, I).ok());
  // The new state must not read x through anything but a linear map.
  EXPECT_FALSE(MatchRnn(alg, {{2, alg.Activation(RnnActivation::kTanh, alg.Mul(pre, x))}}, I).ok());
}

}  // namespace
}  // namespace rnnlite::tflite_fusion
