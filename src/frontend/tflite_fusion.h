// Internal pieces of the WHILE-loop fusion pass (rnnlite/convert.h:
// FuseRecurrentLoops). The pass turns a loop that TensorFlow's TFLite
// converter emitted for a recurrent layer back into ONE SequenceRnn node:
//
//   tflite_fusion_loop.cc   the loop's shape: counters, trip count, the step
//                           input read at time t, outputs written at time t
//                           (lowered TensorList SetItem) or kept as the last
//                           value, loop states (LoopInfo)
//   tflite_fusion_expr.*    canonical polynomials of the cell step
//   tflite_fusion_eval.cc   body ops -> polynomials
//   tflite_fusion_{lstm,gru,rnn}.cc   cell templates -> weights (CellMatch)
//   tflite_fusion.cc        the rewrite of the enclosing graph and cleanup
//   tflite_fusion_assembly.cc  folds reversed-input loops into reverse nodes
//
// Every step either proves its part (structure and constants) or returns
// an Unsupported status whose message says what did not match; the pass
// then leaves the loop as it is and reports that reason.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/sequence_rnn.h"
#include "frontend/tflite_fusion_expr.h"
#include "rnnlite/graph.h"
#include "rnnlite/status.h"

namespace rnnlite::tflite_fusion {

enum class VarKind {
  kInvariant,    // passed through unchanged (the sequence, masks, ...)
  kCounter,      // starts at constant 0, +1 per iteration
  kSequence,     // the step value written at index t (lowered SetItem)
  kLastValue,    // replaced every step by the step value as [1, B, n]
  kState,        // a recurrent state [B, n]
};

struct LoopVar {
  VarKind kind = VarKind::kState;
  int written = -1;  // kSequence / kLastValue: body tensor of the step value
};

struct LoopInfo {
  int node_index = -1;  // the WHILE in the enclosing subgraph
  int cond = -1, body = -1;
  int trip_count = 0;   // proven number of iterations
  int time_var = -1;    // counter used as the time index
  int x_var = -1;       // invariant holding the time-major sequence
  int x_step = -1;      // body tensor: x at time t (GATHER output)
  int seq_len = 0, batch = 0, input_size = 0;
  std::vector<LoopVar> vars;
  // Invariants bounding the time counter at run time (time < v): the
  // caller must prove them >= the largest sequence length.
  std::vector<int> dynamic_bounds;
};

// Proves the loop skeleton of `while_node` (in `sg`, a subgraph of `graph`).
StatusOr<LoopInfo> AnalyzeLoop(const Graph& graph, const Subgraph& sg, int while_node);

// dynamic_rnn's sequence_length guards (tflite_fusion_seqlen.cc): the
// lengths' loop variable (-1: no guards) and, per state / output variable,
// the body tensor of its value before the copy-through SELECT.
struct LengthGuards {
  int seq_var = -1;
  std::map<int, int> state_next;  // state var -> new value
  std::map<int, int> written;     // sequence / last-value var -> step value
};
StatusOr<LengthGuards> StripLengthGuards(const Subgraph& outer, const Node& loop, const Subgraph& body,
                                         const LoopInfo& info, const BodyEvaluator& ev);
Status ProveDynamicBounds(const Subgraph& outer, const Node& loop, const LoopInfo& info, int seq_var);

// What a cell matcher proved: the SequenceRnn parameters (one forward
// direction) and its weights in rnnlite's canonical gate order.
struct CellMatch {
  SequenceRnnParams params;
  std::vector<float> w, r, wb, rb;  // [G*H, I], [G*H, H], [G*H], [G*H]
  int h_var = -1, c_var = -1;       // loop variables holding h and c
  int output_poly = -1;             // the per-step output (h_t)
  std::string summary;              // "LSTM H=8 (sigmoid, tanh, tanh)"
};

// Base ids in the algebra: 0 = x_t, 1 + k = loop variable k.
inline int StateBase(int var) { return 1 + var; }

// The matchers receive each state variable's next value as a polynomial.
StatusOr<CellMatch> MatchLstm(const Algebra& alg, const std::map<int, int>& next, int input_size);
StatusOr<CellMatch> MatchGru(const Algebra& alg, const std::map<int, int>& next, int input_size);
StatusOr<CellMatch> MatchRnn(const Algebra& alg, const std::map<int, int>& next, int input_size);

// Shared by the matchers: the affine form of `poly` over x_t and the state
// `h_var`, as float rows appended to w [H, I], r [H, H], b [H]. Fails if the
// form reads anything else (another state, a product, an activation).
Status AppendAffineGate(const Algebra& alg, int poly, int h_var, int hidden, int input_size, std::vector<float>* w,
                        std::vector<float>* r, std::vector<float>* b, const char* gate);

// The single atom of a one-term polynomial with unit coefficients, or -1.
int SoleAtom(const Algebra& alg, int poly);
bool UnitCoef(const Term& t, double value = 1.0);

// Folds, in `sg`, each SequenceRnn forward node whose input is
// REVERSE_V2(x, time axis) and whose every output only feeds
// REVERSE_V2(time axis) into a reverse node on x (exact when the node has
// no sequence lengths). Returns how many nodes were folded.
int FoldReversedLoops(Graph& graph, Subgraph& sg);

// Merges a forward and a reverse SequenceRnn node over the same sequence
// (and lengths), equal but for direction, into one bidirectional node with
// split outputs (Keras Bidirectional, TF1 bidirectional_dynamic_rnn); the
// final states are split back into the per-direction tensors. Returns how
// many pairs were merged.
int MergeBidirectional(Graph& graph, Subgraph& sg);

}  // namespace rnnlite::tflite_fusion
