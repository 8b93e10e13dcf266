// The LSTM cell template (Keras LSTMCell, tf.compat.v1 LSTMCell without
// peepholes/projection/clip, BasicLSTMCell with its forget_bias):
//   c_t = σ(A_f) ⊙ c + σ(A_i) ⊙ g(A_g)
//   h_t = σ(A_o) ⊙ h(c_t)
// with every A_q affine in x_t and h. As polynomials: c_t has exactly the
// two terms {c, σ(A_f)} and {σ(A_i), g(A_g)} with unit coefficients, h_t the
// single term {σ(A_o), h(c_t)}. forget_bias (added after the split) is
// already inside A_f's constant; the gate order of the source (Keras i, f,
// c, o; TF1 i, j, f, o) does not matter because gates are identified by
// their role in these equations, not by their position.
#include "frontend/tflite_fusion.h"

namespace rnnlite::tflite_fusion {
namespace {

bool IsBase(const Algebra& alg, int atom, int base) {
  return alg.atom(atom).kind == AtomKind::kBase && alg.atom(atom).base == base;
}

bool IsAct(const Algebra& alg, int atom) { return alg.atom(atom).kind == AtomKind::kAct; }

StatusOr<CellMatch> TryLstm(const Algebra& alg, int h_var, int h_next, int c_var, int c_next, int input_size) {
  const Poly& c = alg.poly(c_next);
  const int hidden = alg.width(c_next);
  if (c.terms.size() != 2 || !UnitCoef(c.terms[0]) || !UnitCoef(c.terms[1])) {
    return Unsupported("the cell state update is not f*c + i*g: " + alg.Describe(c_next));
  }
  // Which term carries the old cell state.
  int keep = -1;
  for (int t = 0; t < 2; ++t) {
    const auto& a = c.terms[t].atoms;
    if (a.size() == 2 && (IsBase(alg, a[0], StateBase(c_var)) || IsBase(alg, a[1], StateBase(c_var)))) keep = t;
  }
  if (keep < 0) return Unsupported("the cell state update does not scale the old cell state by a gate");
  const auto& fa = c.terms[keep].atoms;
  const int f = IsBase(alg, fa[0], StateBase(c_var)) ? fa[1] : fa[0];
  const auto& ia = c.terms[1 - keep].atoms;
  if (!IsAct(alg, f) || ia.size() != 2 || !IsAct(alg, ia[0]) || !IsAct(alg, ia[1])) {
    return Unsupported("the cell state update is not f*c + i*g with activated gates");
  }
  const RnnActivation gate_act = alg.atom(f).act;
  // i carries the gate activation; with equal activations i*g is symmetric.
  const int i = alg.atom(ia[0]).act == gate_act ? ia[0] : ia[1];
  const int g = i == ia[0] ? ia[1] : ia[0];
  if (alg.atom(i).act != gate_act) return Unsupported("input and forget gates use different activations");

  const Poly& h = alg.poly(h_next);
  if (h.terms.size() != 1 || !UnitCoef(h.terms[0]) || h.terms[0].atoms.size() != 2) {
    return Unsupported("the new h is not o * h(c): " + alg.Describe(h_next));
  }
  const auto& ha = h.terms[0].atoms;
  int hc = -1, o = -1;
  for (int k = 0; k < 2; ++k) {
    if (IsAct(alg, ha[k]) && alg.atom(ha[k]).arg == c_next) hc = ha[k];
  }
  if (hc < 0) return Unsupported("the new h does not apply an activation to the new cell state");
  o = ha[0] == hc ? ha[1] : ha[0];
  if (!IsAct(alg, o) || alg.atom(o).act != gate_act) {
    return Unsupported("the output gate is not the gate activation of an affine form");
  }

  CellMatch m;
  // rnnlite order i, f, g, o.
  for (const auto& [atom, name] : {std::pair{i, "i"}, {f, "f"}, {g, "g"}, {o, "o"}}) {
    RNNLITE_RETURN_IF_ERROR(
        AppendAffineGate(alg, alg.atom(atom).arg, h_var, hidden, input_size, &m.w, &m.r, &m.wb, name));
  }
  m.rb.assign(m.wb.size(), 0.0f);
  m.params.cell = RnnCell::kLstm;
  m.params.hidden_size = hidden;
  m.params.activations = {{gate_act, 0, 0}, {alg.atom(g).act, 0, 0}, {alg.atom(hc).act, 0, 0}};
  m.h_var = h_var;
  m.c_var = c_var;
  m.output_poly = h_next;
  m.summary = "LSTM H=" + std::to_string(hidden) + " (" + RnnActivationName(gate_act) + ", " +
              RnnActivationName(alg.atom(g).act) + ", " + RnnActivationName(alg.atom(hc).act) + ")";
  return m;
}

}  // namespace

StatusOr<CellMatch> MatchLstm(const Algebra& alg, const std::map<int, int>& next, int input_size) {
  if (next.size() != 2) return Unsupported("an LSTM has two states, the loop has " + std::to_string(next.size()));
  const auto a = *next.begin();
  const auto b = *next.rbegin();
  if (alg.width(a.second) != alg.width(b.second)) return Unsupported("the two states differ in width");
  // The state whose update keeps itself scaled by a gate is c.
  StatusOr<CellMatch> r = TryLstm(alg, a.first, a.second, b.first, b.second, input_size);
  if (r.ok()) return r;
  StatusOr<CellMatch> s = TryLstm(alg, b.first, b.second, a.first, a.second, input_size);
  if (s.ok()) return s;
  return r.status();
}

}  // namespace rnnlite::tflite_fusion
