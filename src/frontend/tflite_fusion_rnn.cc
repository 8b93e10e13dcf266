// The simple RNN cell template, h_t = f(W x_t + R h_{t-1} + b), and the
// helpers the LSTM and GRU templates share.
#include "frontend/tflite_fusion.h"

namespace rnnlite::tflite_fusion {

bool UnitCoef(const Term& t, double value) {
  for (double c : t.coef) {
    if (c != value) return false;
  }
  return true;
}

int SoleAtom(const Algebra& alg, int poly) {
  const Poly& p = alg.poly(poly);
  if (p.terms.size() != 1 || p.terms[0].atoms.size() != 1 || !UnitCoef(p.terms[0])) return -1;
  return p.terms[0].atoms[0];
}

Status AppendAffineGate(const Algebra& alg, int poly, int h_var, int hidden, int input_size, std::vector<float>* w,
                        std::vector<float>* r, std::vector<float>* b, const char* gate) {
  Algebra::Affine aff;
  if (alg.width(poly) != hidden || !alg.AsAffine(poly, &aff)) {
    return Unsupported(std::string("gate ") + gate + " is not an affine function of x_t and h: " + alg.Describe(poly));
  }
  for (const auto& [base, m] : aff.linear) {
    if (base != 0 && base != StateBase(h_var)) {
      return Unsupported(std::string("gate ") + gate + " reads another loop state (peephole or extra state)");
    }
    const int cols = base == 0 ? input_size : hidden;
    if (m.rows != hidden || m.cols != cols) {
      return Unsupported(std::string("gate ") + gate + " weights have an unexpected shape");
    }
  }
  auto append = [&](int base, int cols, std::vector<float>* dst) {
    const auto it = aff.linear.find(base);
    for (int i = 0; i < hidden; ++i) {
      for (int j = 0; j < cols; ++j) dst->push_back(it == aff.linear.end() ? 0.0f : static_cast<float>(it->second.at(i, j)));
    }
  };
  append(0, input_size, w);
  append(StateBase(h_var), hidden, r);
  for (double v : aff.bias) b->push_back(static_cast<float>(v));
  return Status::Ok();
}

StatusOr<CellMatch> MatchRnn(const Algebra& alg, const std::map<int, int>& next, int input_size) {
  if (next.size() != 1) return Unsupported("a simple RNN has one state, the loop has " + std::to_string(next.size()));
  const auto [h_var, h_next] = *next.begin();
  const int act = SoleAtom(alg, h_next);
  if (act < 0 || alg.atom(act).kind != AtomKind::kAct) {
    return Unsupported("the new state is not one activation of an affine form: " + alg.Describe(h_next));
  }
  CellMatch m;
  const int hidden = alg.width(h_next);
  RNNLITE_RETURN_IF_ERROR(AppendAffineGate(alg, alg.atom(act).arg, h_var, hidden, input_size, &m.w, &m.r, &m.wb, "h"));
  m.rb.assign(m.wb.size(), 0.0f);
  m.params.cell = RnnCell::kRnn;
  m.params.hidden_size = hidden;
  m.params.activations = {{alg.atom(act).act, 0.0f, 0.0f}};
  m.h_var = h_var;
  m.output_poly = h_next;
  m.summary = "RNN H=" + std::to_string(hidden) + " (" + RnnActivationName(alg.atom(act).act) + ")";
  return m;
}

}  // namespace rnnlite::tflite_fusion
