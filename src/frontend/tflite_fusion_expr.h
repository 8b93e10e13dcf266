// Symbolic evaluation of a WHILE loop body, the ground on which the loop
// fusion pass (tflite_fusion.cc) proves what a recurrent cell computes.
//
// Every float tensor of shape [B, n] that a cell step computes is rewritten
// into a canonical polynomial (Poly): a sum of terms coef ⊙ a1 ⊙ a2 ⊙ ...
// where coef is a constant [n] vector and the a's are atoms of width n:
//   - a base value: the step input x_t or a loop state (h, c),
//   - an activation applied to a polynomial (sigmoid(P), tanh(P), ...),
//   - a linear map M · P of another polynomial P (what FULLY_CONNECTED,
//     MatMul against constants, slicing and concatenation reduce to).
// Constants are folded into coefficients and matrices exactly as the ops
// would combine them (in double precision), linear maps of the same
// argument are merged, and identical atoms are shared (hash-consed), so two
// graphs that compute the same cell algebraically by different op orders
// (Keras' `z*h + (1-z)*hh` or TF1's `u*state + (1-u)*c`, bias added before
// or after a split, forget_bias added after the split) give the same
// polynomials. The cell matchers then read gate pre-activations off those
// polynomials. Anything the evaluator does not model (a non-float op, a
// batch-mixing reshape, a data-dependent index) is a failure with a reason,
// never an approximation.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/sequence_rnn.h"
#include "rnnlite/graph.h"
#include "rnnlite/status.h"

namespace rnnlite::tflite_fusion {

// A constant [rows, cols] matrix, row-major, in double precision.
struct Matrix {
  int rows = 0;
  int cols = 0;
  std::vector<double> v;
  double at(int r, int c) const { return v[static_cast<size_t>(r) * cols + c]; }
  double& at(int r, int c) { return v[static_cast<size_t>(r) * cols + c]; }
  bool operator==(const Matrix&) const = default;
};

struct Poly;

enum class AtomKind : uint8_t {
  kBase,    // x_t (base id 0) or a loop state (id = 1 + loop variable index)
  kAct,     // activation(arg)
  kLinear,  // m · arg (arg has width m.cols, the atom width m.rows)
};

struct Atom {
  AtomKind kind = AtomKind::kBase;
  int width = 0;
  int base = 0;                                        // kBase
  RnnActivation act = RnnActivation::kSigmoid;         // kAct
  int arg = -1;                                        // kAct, kLinear: a PolyId
  Matrix m;                                            // kLinear
};

struct Term {
  std::vector<double> coef;  // width n
  std::vector<int> atoms;    // sorted atom ids (a multiset); empty: constant term
};

// A canonical polynomial of width n (terms sorted by atom list, no two with
// the same atom list, no all-zero coefficient, linear terms with unit
// coefficients and one per argument).
struct Poly {
  int width = 0;
  std::vector<Term> terms;
};

// The atom and polynomial tables of one loop body. Polys and atoms are
// referred to by index; equal polynomials get equal ids (interned).
class Algebra {
 public:
  int width(int poly) const { return polys_[poly].width; }
  const Poly& poly(int id) const { return polys_[id]; }
  const Atom& atom(int id) const { return atoms_[id]; }

  int Base(int base_id, int width);
  int Constant(std::vector<double> coef);
  int Add(int a, int b);
  int Scale(int a, const std::vector<double>& s);  // s: width n or 1
  int Mul(int a, int b);
  int Activation(RnnActivation act, int a);
  // m · a + bias (bias may be empty).
  StatusOr<int> Linear(const Matrix& m, int a, const std::vector<double>& bias);
  // Rows [begin, begin + count) of every term.
  StatusOr<int> Slice(int a, int begin, int count);

  // The affine decomposition of `poly` over base values: constant + sum of
  // M_b · base_b. False if any term is not a constant or a linear map of a
  // single base value.
  struct Affine {
    std::vector<double> bias;      // width n (zeros when absent)
    std::map<int, Matrix> linear;  // base id -> [n, width(base)]
  };
  bool AsAffine(int poly, Affine* out) const;

  // "sigmoid(2 terms)" style description for messages.
  std::string Describe(int poly, int depth = 2) const;

 private:
  int Intern(Poly p);
  int InternAtom(Atom a);
  Poly Canonical(std::vector<Term> terms, int width);
  StatusOr<int> SliceAtom(int atom, int begin, int count);

  std::vector<Poly> polys_;
  std::vector<Atom> atoms_;
  std::map<std::string, std::vector<int>> poly_index_;
  std::map<std::string, std::vector<int>> atom_index_;
};

// Evaluates body tensors symbolically. The caller names the base values
// (which body tensors are x_t and the states) and how loop-invariant
// inputs resolve to constants; everything else is derived from the nodes
// that produce each tensor.
class BodyEvaluator {
 public:
  // `constant_of(tensor)` returns the constant bytes (float32/int32) behind a
  // body tensor, or nullptr: a body constant, or a loop-invariant input fed
  // by a constant of the enclosing graph.
  using ConstantLookup = const Tensor* (*)(const void* ctx, int tensor);
  BodyEvaluator(const Subgraph& body, Algebra* algebra, ConstantLookup lookup, const void* ctx);

  void SetBase(int tensor, int base_id);
  // The polynomial a body tensor computes, or why it cannot be expressed.
  StatusOr<int> Eval(int tensor);

  const Subgraph& body() const { return body_; }
  // The node producing `tensor`, or -1.
  int Producer(int tensor) const;
  const Tensor* ConstantOf(int tensor) const { return lookup_(ctx_, tensor); }

 private:
  StatusOr<int> EvalNode(int tensor, const Node& node, int output_index);
  StatusOr<int> FullyConnected(const Node& node);
  StatusOr<int> SliceLastAxis(const Node& node, int output_index);
  StatusOr<int> ApplyFusedActivation(const Node& node, int poly);

  const Subgraph& body_;
  Algebra* alg_;
  ConstantLookup lookup_;
  const void* ctx_;
  std::vector<int> producer_;
  std::map<int, int> memo_;
  std::map<int, int> bases_;
  int depth_ = 0;
};

// Reads a constant float32/int32 tensor as doubles (false for other types).
bool ReadConstant(const Tensor& t, std::vector<double>* out);
// Width of the last axis of a [B, n] tensor (or [n]); -1 if not rank 1-2.
int LastDim(const Tensor& t);

// The tensor at index `t` of `sg`, or nullptr for -1 / out of range
// (malformed graphs must not crash the matcher).
inline const Tensor* TensorAt(const Subgraph& sg, int t) {
  return t >= 0 && t < static_cast<int>(sg.tensors.size()) ? &sg.tensors[t] : nullptr;
}
inline bool ConstantAt(const Subgraph& sg, int t, std::vector<double>* v) {
  const Tensor* c = TensorAt(sg, t);
  return c && c->is_constant() && ReadConstant(*c, v);
}

}  // namespace rnnlite::tflite_fusion
