// The CUDA backend against the CPU reference on the seeded configurations
// the Vulkan backend is checked on (tests/support/rnn_test_configs.h), each
// through both engines: `auto` (cuDNN wherever it computes the node exactly)
// and `custom` (the custom kernels for everything). Plus targeted cases:
// lengths 0..T in one batch, many chunks, hidden sizes on and off multiples
// of 32/128, layer norm across block passes, T = 0 and T = 1, tf32 mode.
// Without a CUDA device every test skips with the reason.
#include "cuda/cuda_test_util.h"

namespace rnnlite::testing::cuda {
namespace {

using Extra = std::map<std::string, std::string>;

// Even seeds run with the default chunking (one chunk for these short
// sequences), odd seeds with two steps per chunk, so chunk boundaries fall
// inside every kind of sequence (and cuDNN's length-1 stand-in for finished
// rows is exercised).
TEST(CudaSequenceRnn, RandomConfigsMatchCpuReference) {
  RNNLITE_CUDA_OR_SKIP(automatic);
  RNNLITE_CUDA_OR_SKIP(automatic_chunked, Extra{{"chunk_steps", "2"}});
  RNNLITE_CUDA_OR_SKIP(custom, Extra{{"engine", "custom"}});
  RNNLITE_CUDA_OR_SKIP(custom_chunked, Extra{{"engine", "custom"}, {"chunk_steps", "2"}});
  for (uint32_t seed = 0; seed < 96; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Config c = RandomConfig(seed);
    {
      SCOPED_TRACE("engine auto");
      ExpectSameAsCpu(c, seed % 2 ? automatic_chunked : automatic);
    }
    {
      SCOPED_TRACE("engine custom");
      ExpectSameAsCpu(c, seed % 2 ? custom_chunked : custom);
    }
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// engine=cudnn declines, with the reason, exactly what cuDNN does not compute.
TEST(CudaSequenceRnn, CudnnEngineTakesExactNodesOnly) {
  RNNLITE_CUDA_OR_SKIP(cudnn, Extra{{"engine", "cudnn"}});
  int accepted = 0, declined = 0;
  for (uint32_t seed = 0; seed < 96; ++seed) {
    const Config c = RandomConfig(seed);
    Runner dev(c.spec, cudnn);
    ASSERT_TRUE(dev.status().ok()) << dev.status().ToString();
    const std::string placement = dev.Placement();
    if (placement == "cuda") {
      ++accepted;
      SCOPED_TRACE(c.label);
      ExpectSameAsCpu(c, cudnn);
    } else {
      ++declined;
      EXPECT_NE(placement.find("cuDNN does not compute"), std::string::npos) << placement;
    }
  }
  EXPECT_GT(accepted, 5);
  EXPECT_GT(declined, 5);
}

TEST(CudaSequenceRnn, ZeroAndFullLengthsInOneBatch) {
  RNNLITE_CUDA_OR_SKIP(automatic);
  RNNLITE_CUDA_OR_SKIP(custom, Extra{{"engine", "custom"}});
  RNNLITE_CUDA_OR_SKIP(chunked, Extra{{"chunk_steps", "2"}});
  for (RnnCell cell : {RnnCell::kLstm, RnnCell::kGru, RnnCell::kRnn}) {
    for (RnnDirection dir : {RnnDirection::kForward, RnnDirection::kReverse, RnnDirection::kBidirectional}) {
      Config c;
      c.spec = SimpleSpec(cell, dir, 6, 4, 3, 5, 41);
      c.spec.inputs[in::kSeqLens] = I32({4}, {0, 6, 3, 1});
      c.label = RnnCellName(cell) + " lengths 0 6 3 1, direction " + std::to_string(static_cast<int>(dir));
      for (const auto& d : {automatic, custom, chunked}) ExpectSameAsCpu(c, d);
    }
  }
}

TEST(CudaSequenceRnn, LongSequenceAcrossManyChunks) {
  RNNLITE_CUDA_OR_SKIP(automatic, Extra{{"chunk_steps", "37"}});
  RNNLITE_CUDA_OR_SKIP(custom, Extra{{"chunk_steps", "37"}, {"engine", "custom"}});
  for (RnnCell cell : {RnnCell::kLstm, RnnCell::kGru}) {
    Config c;
    c.spec = SimpleSpec(cell, RnnDirection::kBidirectional, 300, 2, 4, 8, 43);
    c.spec.inputs[in::kSeqLens] = I32({2}, {300, 251});
    c.label = RnnCellName(cell) + " T=300, 37 steps per chunk";
    ExpectSameAsCpu(c, automatic);
    ExpectSameAsCpu(c, custom);
  }
}

// Sizes on and off the multiples of 32 (warp) and 128 (the step kernels'
// block), T = 1 and T = 17, batch 1 and 3, both engines.
TEST(CudaSequenceRnn, HiddenSizesOnAndOffBlockMultiples) {
  RNNLITE_CUDA_OR_SKIP(automatic);
  RNNLITE_CUDA_OR_SKIP(custom, Extra{{"engine", "custom"}});
  for (int H : {32, 128, 256, 33, 200}) {
    for (RnnCell cell : {RnnCell::kLstm, RnnCell::kGru, RnnCell::kRnn}) {
      for (int T : {1, 17}) {
        Config c;
        c.spec = SimpleSpec(cell, RnnDirection::kBidirectional, T, T == 1 ? 1 : 3, 19, H, 47);
        c.label = RnnCellName(cell) + " H=" + std::to_string(H) + " T=" + std::to_string(T);
        ExpectSameAsCpu(c, automatic);
        ExpectSameAsCpu(c, custom);
      }
    }
  }
}

// Layer norm reduces over all H units in one block of 256 threads: H = 300
// needs two passes; with CIFG, peepholes and a projection.
TEST(CudaSequenceRnn, LayerNormAcrossBlockPasses) {
  RNNLITE_CUDA_OR_SKIP(cuda);
  for (bool cifg : {false, true}) {
    SequenceRnnParams p = MakeParams(RnnCell::kLstm, RnnDirection::kBidirectional, 300);
    p.cifg = cifg;
    p.proj_size = cifg ? 40 : 0;
    Config c;
    c.spec.attrs = Attrs(p);
    Dims d;
    d.T = 4;
    d.B = 3;
    d.I = 5;
    Extras e;
    e.peephole = true;
    e.layer_norm = true;
    e.proj_bias = cifg;
    c.spec.inputs = RandomInputs(p, d, e, 59);
    c.spec.inputs[in::kSeqLens] = I32({3}, {4, 0, 2});
    PrepareWeights(&c.spec.inputs);
    c.spec.outputs = {true, true, true, false};
    c.label = std::string("layer norm H=300 cifg=") + (cifg ? "1" : "0");
    ExpectSameAsCpu(c, cuda);
  }
}

// cuDNN's projection (no bias) and cell clip, against the reference.
TEST(CudaSequenceRnn, CudnnProjectionAndCellClip) {
  RNNLITE_CUDA_OR_SKIP(cudnn, Extra{{"engine", "cudnn"}});
  SequenceRnnParams p = MakeParams(RnnCell::kLstm, RnnDirection::kBidirectional, 48);
  p.proj_size = 20;
  p.cell_clip = 0.4f;
  Config c;
  c.spec.attrs = Attrs(p);
  Dims d;
  d.T = 9;
  d.B = 3;
  d.I = 7;
  c.spec.inputs = RandomInputs(p, d, Extras{}, 61);
  c.spec.inputs[in::kSeqLens] = I64({3}, {9, 2, 5});
  PrepareWeights(&c.spec.inputs);
  c.spec.outputs = {true, true, true, false};
  c.label = "cuDNN LSTM P=20 cell_clip=0.4";
  ExpectSameAsCpu(c, cudnn);
}

TEST(CudaSequenceRnn, EmptySequenceReturnsInitialState) {
  RNNLITE_CUDA_OR_SKIP(cuda);
  Config c;
  c.spec = SimpleSpec(RnnCell::kLstm, RnnDirection::kBidirectional, 0, 3, 2, 4, 53);
  c.label = "T=0";
  ExpectSameAsCpu(c, cuda);
}

TEST(CudaSequenceRnn, Tf32ModeWithinStatedTolerance) {
  RNNLITE_CUDA_OR_SKIP(tf32, Extra{{"precision", "tf32"}});
  RNNLITE_CUDA_OR_SKIP(tf32_custom, Extra{{"precision", "tf32"}, {"engine", "custom"}});
  for (RnnCell cell : {RnnCell::kLstm, RnnCell::kGru}) {
    Config c;
    c.spec = SimpleSpec(cell, RnnDirection::kForward, 12, 4, 64, 256, 67);
    c.label = RnnCellName(cell) + " tf32";
    ExpectSameAsCpu(c, tf32, kTf32Atol, kTf32Rtol);
    ExpectSameAsCpu(c, tf32_custom, kTf32Atol, kTf32Rtol);
  }
}

}  // namespace
}  // namespace rnnlite::testing::cuda
