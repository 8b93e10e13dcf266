// Canonical polynomials over a loop body (see tflite_fusion_expr.h).
#include "frontend/tflite_fusion_expr.h"

#include <algorithm>
#include <cstring>

namespace rnnlite::tflite_fusion {
namespace {

uint64_t Mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

uint64_t HashDoubles(uint64_t h, const std::vector<double>& v) {
  h = Mix(h, v.size());
  for (double d : v) {
    uint64_t bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    h = Mix(h, bits);
  }
  return h;
}

bool AllZero(const std::vector<double>& v) {
  for (double d : v) {
    if (d != 0.0) return false;
  }
  return true;
}

bool AllOne(const std::vector<double>& v) {
  for (double d : v) {
    if (d != 1.0) return false;
  }
  return true;
}

std::vector<double> Broadcast(const std::vector<double>& v, int n) {
  if (static_cast<int>(v.size()) == n) return v;
  return std::vector<double>(n, v.empty() ? 0.0 : v[0]);
}

const char* ActName(RnnActivation a) {
  switch (a) {
    case RnnActivation::kSigmoid: return "sigmoid";
    case RnnActivation::kTanh: return "tanh";
    case RnnActivation::kRelu: return "relu";
    case RnnActivation::kRelu6: return "relu6";
    case RnnActivation::kReluN1To1: return "relu_n1_to_1";
    default: return "activation";
  }
}

}  // namespace

bool ReadConstant(const Tensor& t, std::vector<double>* out) {
  if (!t.is_constant()) return false;
  const int64_t n = t.num_elements();
  if (n < 0) return false;
  out->assign(static_cast<size_t>(n), 0.0);
  if (t.dtype == DType::kFloat32) {
    if (t.constant_bytes < static_cast<size_t>(n) * 4) return false;
    for (int64_t i = 0; i < n; ++i) {
      float f;
      std::memcpy(&f, t.constant_data + i * 4, 4);
      (*out)[i] = f;
    }
    return true;
  }
  if (t.dtype == DType::kInt32) {
    if (t.constant_bytes < static_cast<size_t>(n) * 4) return false;
    for (int64_t i = 0; i < n; ++i) {
      int32_t v;
      std::memcpy(&v, t.constant_data + i * 4, 4);
      (*out)[i] = v;
    }
    return true;
  }
  if (t.dtype == DType::kInt64) {
    if (t.constant_bytes < static_cast<size_t>(n) * 8) return false;
    for (int64_t i = 0; i < n; ++i) {
      int64_t v;
      std::memcpy(&v, t.constant_data + i * 8, 8);
      (*out)[i] = static_cast<double>(v);
    }
    return true;
  }
  return false;
}

int LastDim(const Tensor& t) {
  if (t.rank() < 1 || t.rank() > 2) return -1;
  return t.dim(-1);
}

// ---------------------------------------------------------------- Algebra

int Algebra::InternAtom(Atom a) {
  uint64_t h = Mix(static_cast<uint64_t>(a.kind), static_cast<uint64_t>(a.width));
  h = Mix(h, static_cast<uint64_t>(a.base));
  h = Mix(h, static_cast<uint64_t>(a.act));
  h = Mix(h, static_cast<uint64_t>(a.arg + 1));
  h = Mix(h, static_cast<uint64_t>(a.m.rows));
  h = HashDoubles(h, a.m.v);
  const std::string key = std::to_string(h);
  auto& bucket = atom_index_[key];
  for (int id : bucket) {
    const Atom& o = atoms_[id];
    if (o.kind == a.kind && o.width == a.width && o.base == a.base && o.act == a.act && o.arg == a.arg &&
        o.m == a.m) {
      return id;
    }
  }
  atoms_.push_back(std::move(a));
  bucket.push_back(static_cast<int>(atoms_.size()) - 1);
  return bucket.back();
}

int Algebra::Intern(Poly p) {
  uint64_t h = Mix(0, static_cast<uint64_t>(p.width));
  for (const Term& t : p.terms) {
    h = HashDoubles(h, t.coef);
    for (int a : t.atoms) h = Mix(h, static_cast<uint64_t>(a));
  }
  const std::string key = std::to_string(h);
  auto& bucket = poly_index_[key];
  for (int id : bucket) {
    const Poly& o = polys_[id];
    if (o.width != p.width || o.terms.size() != p.terms.size()) continue;
    bool same = true;
    for (size_t i = 0; same && i < p.terms.size(); ++i) {
      same = o.terms[i].coef == p.terms[i].coef && o.terms[i].atoms == p.terms[i].atoms;
    }
    if (same) return id;
  }
  polys_.push_back(std::move(p));
  bucket.push_back(static_cast<int>(polys_.size()) - 1);
  return bucket.back();
}

// Merges terms with equal atom lists, folds coefficients of single linear
// atoms into their matrix and merges linear maps of the same argument.
Poly Algebra::Canonical(std::vector<Term> terms, int width) {
  // Linear terms first: arg -> accumulated matrix.
  std::map<int, Matrix> linear;
  std::vector<Term> rest;
  for (Term& t : terms) {
    t.coef = Broadcast(t.coef, width);
    if (t.atoms.size() == 1 && atoms_[t.atoms[0]].kind == AtomKind::kLinear) {
      const Atom a = atoms_[t.atoms[0]];
      Matrix m = a.m;
      for (int r = 0; r < m.rows; ++r) {
        for (int c = 0; c < m.cols; ++c) m.at(r, c) *= t.coef[r];
      }
      auto it = linear.find(a.arg);
      if (it == linear.end()) {
        linear.emplace(a.arg, std::move(m));
      } else {
        for (size_t i = 0; i < m.v.size(); ++i) it->second.v[i] += m.v[i];
      }
      continue;
    }
    std::sort(t.atoms.begin(), t.atoms.end());
    rest.push_back(std::move(t));
  }
  for (auto& [arg, m] : linear) {
    if (AllZero(m.v)) continue;
    Atom a;
    a.kind = AtomKind::kLinear;
    a.width = width;
    a.arg = arg;
    a.m = std::move(m);
    Term t;
    t.coef.assign(width, 1.0);
    t.atoms = {InternAtom(std::move(a))};
    rest.push_back(std::move(t));
  }
  std::sort(rest.begin(), rest.end(), [](const Term& a, const Term& b) { return a.atoms < b.atoms; });
  Poly p;
  p.width = width;
  for (Term& t : rest) {
    if (!p.terms.empty() && p.terms.back().atoms == t.atoms) {
      for (int i = 0; i < width; ++i) p.terms.back().coef[i] += t.coef[i];
    } else {
      p.terms.push_back(std::move(t));
    }
  }
  p.terms.erase(std::remove_if(p.terms.begin(), p.terms.end(), [](const Term& t) { return AllZero(t.coef); }),
                p.terms.end());
  return p;
}

int Algebra::Base(int base_id, int width) {
  Atom a;
  a.kind = AtomKind::kBase;
  a.width = width;
  a.base = base_id;
  Term t;
  t.coef.assign(width, 1.0);
  t.atoms = {InternAtom(std::move(a))};
  return Intern(Canonical({std::move(t)}, width));
}

int Algebra::Constant(std::vector<double> coef) {
  const int width = static_cast<int>(coef.size());
  Term t;
  t.coef = std::move(coef);
  return Intern(Canonical({std::move(t)}, width));
}

int Algebra::Add(int a, int b) {
  const int n = std::max(width(a), width(b));
  std::vector<Term> terms = polys_[a].terms;
  for (const Term& t : polys_[b].terms) terms.push_back(t);
  return Intern(Canonical(std::move(terms), n));
}

int Algebra::Scale(int a, const std::vector<double>& s) {
  const int n = std::max(width(a), static_cast<int>(s.size()));
  const std::vector<double> sb = Broadcast(s, n);
  std::vector<Term> terms = polys_[a].terms;
  for (Term& t : terms) {
    t.coef = Broadcast(t.coef, n);
    for (int i = 0; i < n; ++i) t.coef[i] *= sb[i];
  }
  return Intern(Canonical(std::move(terms), n));
}

int Algebra::Mul(int a, int b) {
  const int n = std::max(width(a), width(b));
  std::vector<Term> terms;
  for (const Term& x : polys_[a].terms) {
    for (const Term& y : polys_[b].terms) {
      Term t;
      const std::vector<double> cx = Broadcast(x.coef, n), cy = Broadcast(y.coef, n);
      t.coef.resize(n);
      for (int i = 0; i < n; ++i) t.coef[i] = cx[i] * cy[i];
      t.atoms = x.atoms;
      t.atoms.insert(t.atoms.end(), y.atoms.begin(), y.atoms.end());
      terms.push_back(std::move(t));
    }
  }
  return Intern(Canonical(std::move(terms), n));
}

int Algebra::Activation(RnnActivation act, int a) {
  Atom at;
  at.kind = AtomKind::kAct;
  at.width = width(a);
  at.act = act;
  at.arg = a;
  Term t;
  t.coef.assign(at.width, 1.0);
  const int n = at.width;
  t.atoms = {InternAtom(std::move(at))};
  return Intern(Canonical({std::move(t)}, n));
}

StatusOr<int> Algebra::Linear(const Matrix& m, int a, const std::vector<double>& bias) {
  if (m.cols != width(a)) {
    return Unsupported("matrix of " + std::to_string(m.cols) + " columns applied to a value of width " +
                       std::to_string(width(a)));
  }
  std::vector<Term> terms;
  Term constant;
  constant.coef.assign(m.rows, 0.0);
  if (!bias.empty()) constant.coef = Broadcast(bias, m.rows);
  for (const Term& t : polys_[a].terms) {
    const std::vector<double> c = Broadcast(t.coef, m.cols);
    if (t.atoms.empty()) {
      for (int r = 0; r < m.rows; ++r) {
        for (int k = 0; k < m.cols; ++k) constant.coef[r] += m.at(r, k) * c[k];
      }
      continue;
    }
    Atom lin;
    lin.kind = AtomKind::kLinear;
    lin.width = m.rows;
    if (t.atoms.size() == 1 && atoms_[t.atoms[0]].kind == AtomKind::kLinear) {
      // m · (c ⊙ (inner · arg)) = (m · diag(c) · inner) · arg
      const Atom& inner = atoms_[t.atoms[0]];
      lin.arg = inner.arg;
      lin.m.rows = m.rows;
      lin.m.cols = inner.m.cols;
      lin.m.v.assign(static_cast<size_t>(m.rows) * inner.m.cols, 0.0);
      for (int r = 0; r < m.rows; ++r) {
        for (int k = 0; k < m.cols; ++k) {
          const double f = m.at(r, k) * c[k];
          if (f == 0.0) continue;
          for (int j = 0; j < inner.m.cols; ++j) lin.m.at(r, j) += f * inner.m.at(k, j);
        }
      }
    } else {
      Term unit;
      unit.coef.assign(m.cols, 1.0);
      unit.atoms = t.atoms;
      lin.arg = Intern(Canonical({std::move(unit)}, m.cols));
      lin.m = m;
      for (int r = 0; r < m.rows; ++r) {
        for (int k = 0; k < m.cols; ++k) lin.m.at(r, k) *= c[k];
      }
    }
    Term lt;
    lt.coef.assign(m.rows, 1.0);
    lt.atoms = {InternAtom(std::move(lin))};
    terms.push_back(std::move(lt));
  }
  terms.push_back(std::move(constant));
  return Intern(Canonical(std::move(terms), m.rows));
}

StatusOr<int> Algebra::SliceAtom(int atom, int begin, int count) {
  const Atom a = atoms_[atom];
  if (begin == 0 && count == a.width) return atom;
  switch (a.kind) {
    case AtomKind::kBase:
      return Unsupported("a part of a loop state or step input is used on its own");
    case AtomKind::kAct: {
      RNNLITE_ASSIGN_OR_RETURN(int arg, Slice(a.arg, begin, count));
      Atom s = a;
      s.arg = arg;
      s.width = count;
      return InternAtom(std::move(s));
    }
    case AtomKind::kLinear: {
      Atom s = a;
      s.width = count;
      s.m.rows = count;
      s.m.v.assign(a.m.v.begin() + static_cast<ptrdiff_t>(begin) * a.m.cols,
                   a.m.v.begin() + static_cast<ptrdiff_t>(begin + count) * a.m.cols);
      return InternAtom(std::move(s));
    }
  }
  return Internal("unknown atom kind");
}

StatusOr<int> Algebra::Slice(int a, int begin, int count) {
  const int n = width(a);
  if (begin < 0 || count < 0 || begin + count > n) return Unsupported("slice out of range");
  if (begin == 0 && count == n) return a;
  std::vector<Term> terms;
  for (const Term& t : polys_[a].terms) {
    Term s;
    const std::vector<double> c = Broadcast(t.coef, n);
    s.coef.assign(c.begin() + begin, c.begin() + begin + count);
    for (int at : t.atoms) {
      RNNLITE_ASSIGN_OR_RETURN(int sliced, SliceAtom(at, begin, count));
      s.atoms.push_back(sliced);
    }
    terms.push_back(std::move(s));
  }
  return Intern(Canonical(std::move(terms), count));
}

bool Algebra::AsAffine(int poly, Affine* out) const {
  const Poly& p = polys_[poly];
  out->bias.assign(p.width, 0.0);
  out->linear.clear();
  for (const Term& t : p.terms) {
    if (t.atoms.empty()) {
      out->bias = Broadcast(t.coef, p.width);
      continue;
    }
    if (t.atoms.size() != 1) return false;
    const Atom& a = atoms_[t.atoms[0]];
    if (a.kind == AtomKind::kBase) {
      if (a.width != p.width) return false;  // an elementwise base must match the width
      Matrix m{p.width, a.width, std::vector<double>(static_cast<size_t>(p.width) * a.width, 0.0)};
      const std::vector<double> c = Broadcast(t.coef, p.width);
      for (int i = 0; i < p.width; ++i) m.at(i, i) = c[i];
      if (out->linear.count(a.base)) return false;
      out->linear[a.base] = std::move(m);
      continue;
    }
    if (a.kind != AtomKind::kLinear) return false;
    const Poly& arg = polys_[a.arg];
    if (arg.terms.size() != 1 || arg.terms[0].atoms.size() != 1 || !AllOne(arg.terms[0].coef)) return false;
    const Atom& b = atoms_[arg.terms[0].atoms[0]];
    if (b.kind != AtomKind::kBase || out->linear.count(b.base)) return false;
    out->linear[b.base] = a.m;
  }
  return true;
}

std::string Algebra::Describe(int poly, int depth) const {
  const Poly& p = polys_[poly];
  if (p.terms.empty()) return "0";
  if (depth <= 0) return std::to_string(p.terms.size()) + " terms";
  std::string s;
  for (size_t i = 0; i < p.terms.size() && i < 4; ++i) {
    if (i) s += " + ";
    const Term& t = p.terms[i];
    if (t.atoms.empty()) s += "const";
    for (size_t k = 0; k < t.atoms.size(); ++k) {
      if (k) s += "*";
      const Atom& a = atoms_[t.atoms[k]];
      switch (a.kind) {
        case AtomKind::kBase: s += a.base == 0 ? "x" : "state" + std::to_string(a.base - 1); break;
        case AtomKind::kAct: s += std::string(ActName(a.act)) + "(" + Describe(a.arg, depth - 1) + ")"; break;
        case AtomKind::kLinear: s += "W(" + Describe(a.arg, depth - 1) + ")"; break;
      }
    }
  }
  if (p.terms.size() > 4) s += " + ...";
  return s;
}

}  // namespace rnnlite::tflite_fusion
