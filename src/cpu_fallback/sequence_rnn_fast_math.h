// Vectorized gate math for the fast SequenceRnn: activations over arrays.
// Sigmoid and tanh use an exp approximation (range reduction to
// [-ln2/2, ln2/2] and a degree-6 polynomial, relative error about 2e-7;
// tanh near 0 uses its odd Taylor polynomial to avoid cancellation). Other
// activations use the reference's scalar ApplyRnnActivation. AVX2+FMA is
// chosen at run time; the scalar path does the same operations with
// std::fma, so a lane computes the same bits as the scalar tail.
#pragma once

#include <cstdint>

#include "core/sequence_rnn.h"

namespace rnnlite {

// v[i] = act(clip(v[i])) for i < n; clip <= 0 means none.
void ActivateArray(const RnnActivationSpec& act, float clip, float* v, int64_t n);

// Element-wise pieces of the cell updates, 8 lanes at a time with AVX2
// (runtime check). Plain multiplies and adds in the written order, no fma
// contraction, so vector lanes and the scalar tail give the same bits.
// out = (a + b) + c (pre-activations: input projection, recurrent product,
// bias); out may alias a.
void AddThree(const float* a, const float* b, const float* c, float* out, int64_t n);
// c = f·c + i·g (the LSTM cell).
void LstmCell(const float* i, const float* f, const float* g, float* c, int64_t n);
// out = a·b.
void MulArrays(const float* a, const float* b, float* out, int64_t n);
// h = (1 - z)·n + z·h_prev (the GRU output).
void GruBlend(const float* z, const float* n_gate, const float* h_prev, float* h, int64_t n);

// Scalar forms of the approximations (exposed for tests).
float FastSigmoid(float x);
float FastTanh(float x);

}  // namespace rnnlite
