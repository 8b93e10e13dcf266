// The GRU cell template (Keras GRUCell with reset_after True or False,
// tf.compat.v1 GRUCell):
//   h_t = z ⊙ h + (1 - z) ⊙ n,   z = σ(A_z),  r = σ(A_r)
//   reset_after (linear_before_reset 1): n = g(Wn x + bx + r ⊙ (Rn h + bh))
//   reset before (linear_before_reset 0): n = g(Wn x + b + Rn (r ⊙ h))
// As a polynomial h_t has exactly three terms: {h, z} (coefficient 1),
// {n} (1) and {z, n} (-1). The candidate's argument then decides the
// variant: a term {r, Rn·h} (with an optional {r}·bh) is reset_after, a
// linear map of the product r ⊙ h is reset before. ONNX's equations
// (docs/semantics.md) are the same with rnnlite's gate order r, z, n.
#include "frontend/tflite_fusion.h"

namespace rnnlite::tflite_fusion {
namespace {

bool IsBase(const Algebra& alg, int atom, int base) {
  return alg.atom(atom).kind == AtomKind::kBase && alg.atom(atom).base == base;
}

// Poly is exactly the base value `base` (single term, unit coefficient).
bool IsBasePoly(const Algebra& alg, int poly, int base) {
  const int a = SoleAtom(alg, poly);
  return a >= 0 && IsBase(alg, a, base);
}

}  // namespace

StatusOr<CellMatch> MatchGru(const Algebra& alg, const std::map<int, int>& next, int input_size) {
  if (next.size() != 1) return Unsupported("a GRU has one state, the loop has " + std::to_string(next.size()));
  const auto [h_var, h_next] = *next.begin();
  const int hidden = alg.width(h_next);
  const Poly& h = alg.poly(h_next);
  if (h.terms.size() != 3) return Unsupported("the new state is not z*h + (1-z)*n: " + alg.Describe(h_next));
  int z = -1, n = -1;
  for (const Term& t : h.terms) {
    if (t.atoms.size() == 1 && UnitCoef(t) && alg.atom(t.atoms[0]).kind == AtomKind::kAct) n = t.atoms[0];
    if (t.atoms.size() == 2 && UnitCoef(t)) {
      if (IsBase(alg, t.atoms[0], StateBase(h_var))) z = t.atoms[1];
      else if (IsBase(alg, t.atoms[1], StateBase(h_var))) z = t.atoms[0];
    }
  }
  if (z < 0 || n < 0 || alg.atom(z).kind != AtomKind::kAct) {
    return Unsupported("the new state is not z*h + (1-z)*n: " + alg.Describe(h_next));
  }
  bool mixed = false;
  for (const Term& t : h.terms) {
    if (t.atoms.size() == 2 && UnitCoef(t, -1.0)) {
      mixed = (t.atoms[0] == z && t.atoms[1] == n) || (t.atoms[0] == n && t.atoms[1] == z);
    }
  }
  if (!mixed) return Unsupported("the new state lacks the -z*n term of (1-z)*n");
  const RnnActivation gate_act = alg.atom(z).act;

  // The candidate's argument: constant, Wn·x, and the reset part.
  const Poly& arg = alg.poly(alg.atom(n).arg);
  int r = -1, lbr = -1;
  std::vector<double> wb_n(hidden, 0.0), rb_n(hidden, 0.0);
  Matrix wn{hidden, input_size, std::vector<double>(static_cast<size_t>(hidden) * input_size, 0.0)};
  Matrix rn{hidden, hidden, std::vector<double>(static_cast<size_t>(hidden) * hidden, 0.0)};
  auto set_r = [&](int atom) {
    if (alg.atom(atom).kind != AtomKind::kAct || alg.atom(atom).act != gate_act) return false;
    if (r >= 0 && r != atom) return false;
    r = atom;
    return true;
  };
  for (const Term& t : arg.terms) {
    if (t.atoms.empty()) {
      wb_n = t.coef;
      continue;
    }
    if (t.atoms.size() == 1) {
      const Atom& a = alg.atom(t.atoms[0]);
      if (a.kind == AtomKind::kLinear && IsBasePoly(alg, a.arg, 0) && UnitCoef(t)) {
        wn = a.m;
        continue;
      }
      if (a.kind == AtomKind::kLinear && UnitCoef(t) && lbr != 1) {
        // Rn · (r ⊙ h): the argument is the product of a gate and h.
        const Poly& prod = alg.poly(a.arg);
        if (prod.terms.size() == 1 && prod.terms[0].atoms.size() == 2 && UnitCoef(prod.terms[0])) {
          const auto& pa = prod.terms[0].atoms;
          const int gate = IsBase(alg, pa[0], StateBase(h_var)) ? pa[1] : IsBase(alg, pa[1], StateBase(h_var)) ? pa[0] : -1;
          if (gate >= 0 && set_r(gate)) {
            rn = a.m;
            lbr = 0;
            continue;
          }
        }
      }
      if (a.kind == AtomKind::kAct && lbr != 0 && set_r(t.atoms[0])) {  // r ⊙ bh
        rb_n = t.coef;
        lbr = 1;
        continue;
      }
    }
    if (t.atoms.size() == 2 && UnitCoef(t) && lbr != 0) {  // r ⊙ (Rn h)
      const int la = alg.atom(t.atoms[0]).kind == AtomKind::kLinear ? t.atoms[0] : t.atoms[1];
      const int ga = la == t.atoms[0] ? t.atoms[1] : t.atoms[0];
      if (alg.atom(la).kind == AtomKind::kLinear && IsBasePoly(alg, alg.atom(la).arg, StateBase(h_var)) &&
          set_r(ga)) {
        rn = alg.atom(la).m;
        lbr = 1;
        continue;
      }
    }
    return Unsupported("the candidate's argument has a term the GRU template does not allow: " +
                       alg.Describe(alg.atom(n).arg));
  }
  if (r < 0 || lbr < 0) return Unsupported("the candidate does not use a reset gate");
  if (wn.rows != hidden || wn.cols != input_size || rn.rows != hidden || rn.cols != hidden) {
    return Unsupported("candidate weights have an unexpected shape");
  }

  CellMatch m;
  // rnnlite order r, z, n.
  RNNLITE_RETURN_IF_ERROR(AppendAffineGate(alg, alg.atom(r).arg, h_var, hidden, input_size, &m.w, &m.r, &m.wb, "r"));
  RNNLITE_RETURN_IF_ERROR(AppendAffineGate(alg, alg.atom(z).arg, h_var, hidden, input_size, &m.w, &m.r, &m.wb, "z"));
  for (double v : wn.v) m.w.push_back(static_cast<float>(v));
  for (double v : rn.v) m.r.push_back(static_cast<float>(v));
  for (double v : wb_n) m.wb.push_back(static_cast<float>(v));
  m.rb.assign(2 * static_cast<size_t>(hidden), 0.0f);
  for (double v : rb_n) m.rb.push_back(static_cast<float>(v));
  m.params.cell = RnnCell::kGru;
  m.params.hidden_size = hidden;
  m.params.linear_before_reset = lbr == 1;
  m.params.activations = {{gate_act, 0, 0}, {alg.atom(n).act, 0, 0}};
  m.h_var = h_var;
  m.output_poly = h_next;
  m.summary = "GRU H=" + std::to_string(hidden) + " linear_before_reset=" + std::to_string(lbr) + " (" +
              RnnActivationName(gate_act) + ", " + RnnActivationName(alg.atom(n).act) + ")";
  return m;
}

}  // namespace rnnlite::tflite_fusion
