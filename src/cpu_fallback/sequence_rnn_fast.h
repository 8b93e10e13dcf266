// The fast CPU SequenceRnn (float32): the default CPU implementation, with
// the reference (sequence_rnn_ref.h) as its oracle and fallback.
//
// Per direction and time chunk, the input projection X·Wᵀ of all the
// chunk's steps is one GEMM (OpenBLAS); then each step does the recurrent
// product h·Rᵀ (our register-tiled kernel on a copy of R packed into panels
// once per Invoke, each thread packing the rows it owns; for Invokes of
// fewer than 4 steps, sgemm or our DotRows on R in place) and the fused
// gate math for its hidden units. Threads split the rows of
// the projection GEMM (one barrier per chunk), then the hidden units of the
// steps (each thread owns the same units for the recurrent product and the
// gate math, so the only sync is one barrier per step, two for GRU with
// linear_before_reset = 0); a bidirectional op with two or more threads
// runs its directions on separate thread groups with no sync between them.
// Steps too small to pay for a per-step barrier run on fewer threads than
// the projection. The workspace is bounded by the time chunk, plus the
// packed R (docs/performance.md).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/sequence_rnn.h"
#include "cpu_fallback/sequence_rnn_ref.h"
#include "rnnlite/status.h"

namespace rnnlite {

class ThreadPool;

// Why the fast path does not run this configuration, or "" when it does.
// It runs float32 LSTM / GRU (both linear_before_reset) / RNN in every
// direction, layout, with sequence lengths, initial states, peepholes,
// CIFG / input_forget, gate and cell clip, any activations and the
// auxiliary input. It leaves LSTM projection and layer normalization to the
// reference (both need the whole hidden vector inside the step, i.e. more
// cross-thread syncs than they would save).
std::string SequenceRnnFastUnsupportedReason(const SequenceRnnParams& params, const SequenceRnnRefArgs<float>& args);

// Floats of time-chunk workspace per direction (the input projection of
// one chunk); the chunk is max(1, this / (B·G·H)) steps.
inline constexpr int64_t kSequenceRnnChunkFloats = int64_t{1} << 20;

// From kSequenceRnnPackMinSteps steps per Invoke the recurrent product
// runs on R packed into panels (DotRowsPacked), at every batch size
// (packing costs about two steps' worth of reading R). Shorter Invokes
// (streaming) use sgemm from kSequenceRnnGemmMinBatch rows, DotRows on R
// in place below it (sgemm is several times slower at 1-2 rows).
inline constexpr int64_t kSequenceRnnGemmMinBatch = 3;
inline constexpr int64_t kSequenceRnnPackMinSteps = 4;

// Each thread that shares a step's recurrent product and gate math gets at
// least this many multiply-adds of it (B·G·H·H per step in all); smaller
// steps run on fewer threads (down to one, with no per-step barrier), the
// others only sharing the input projection (docs/performance.md).
inline constexpr int64_t kSequenceRnnMinStepFmasPerThread = int64_t{1} << 16;

// Runs the op on `pool` (its size is the thread count). Same contract and
// errors as RunSequenceRnnReference; the caller checks coverage first.
// min_step_fmas_per_thread: see kSequenceRnnMinStepFmasPerThread (tests
// lower it to split small steps too).
Status RunSequenceRnnFast(const SequenceRnnParams& params, const SequenceRnnShapes& shapes,
                          const SequenceRnnRefArgs<float>& args, ThreadPool& pool,
                          int64_t min_step_fmas_per_thread = kSequenceRnnMinStepFmasPerThread);

}  // namespace rnnlite
