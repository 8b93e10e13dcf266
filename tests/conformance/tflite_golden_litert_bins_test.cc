// The tiny LSTM .tflite files of LiteRT's tflite/testdata
// (../shared/testdata/litert-lstm-bins): they load; the sequence LSTM (layer
// norm, projection, quantization intermediates, batch-major) becomes one
// SequenceRnn node that runs and survives a write -> read round trip; so do
// the single-step LSTM op files.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "core/sequence_rnn.h"
#include "rnnlite/interpreter.h"
#include "rnnlite/model.h"
#include "support/test_util.h"

namespace rnnlite {
namespace {

std::vector<float> RunOnce(const std::shared_ptr<const Model>& model) {
  Interpreter interp(model);
  Status s = interp.AllocateTensors();
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return {};
  Tensor* x = interp.input_tensor(0);
  std::vector<float> v = testing::RandomFloats(x->bytes / sizeof(float), 42);
  std::memcpy(x->data, v.data(), x->bytes);
  s = interp.Invoke();
  EXPECT_TRUE(s.ok()) << s.ToString();
  const Tensor* y = interp.output_tensor(0);
  std::vector<float> out(y->bytes / sizeof(float));
  if (!out.empty()) std::memcpy(out.data(), y->data, y->bytes);
  return out;
}

TEST(LitertLstmBins, UnidirectionalSequenceLstmLoadsRunsAndRoundTrips) {
  RNNLITE_SKIP_WITHOUT_TESTDATA(dir, "litert-lstm-bins");
  auto model = Model::FromFile(dir + "/unidirectional_sequence_lstm.bin");
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const Subgraph& sg = (*model)->graph().main();
  ASSERT_EQ(sg.nodes.size(), 1u);
  const Node& n = sg.nodes[0];
  ASSERT_TRUE(n.is_custom(kSequenceRnnCustomCode)) << NodeOpName(n);
  EXPECT_TRUE(n.intermediates.empty());  // quantization scratch, unused in float
  auto p = SequenceRnnParams::FromAttrs(n.attrs);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->cell, RnnCell::kLstm);
  EXPECT_EQ(p->hidden_size, 2);
  EXPECT_EQ(p->proj_size, 2);
  EXPECT_FALSE(p->time_major);
  EXPECT_FLOAT_EQ(p->cell_clip, 10.0f);
  EXPECT_NE(n.inputs.at(seq_rnn_input::kLayerNorm), kNoTensor);
  EXPECT_NE(n.inputs.at(seq_rnn_input::kProjB), kNoTensor);

  const std::vector<float> y = RunOnce(*model);
  ASSERT_EQ(y.size(), 4u);  // [1, 2, 2]
  for (float v : y) EXPECT_TRUE(std::isfinite(v));

  auto bytes = WriteTflite((*model)->graph());
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto again = Model::FromBuffer(bytes->data(), bytes->size());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again.value()->graph().main().nodes.at(0).attrs, n.attrs);
  EXPECT_EQ(RunOnce(*again), y);
}

// The single-step LSTM builtin (layer norm, projection): one SequenceRnn
// time step between RESHAPEs; it runs and round-trips.
TEST(LitertLstmBins, SingleStepLstmFilesLoadRunAndRoundTrip) {
  RNNLITE_SKIP_WITHOUT_TESTDATA(dir, "litert-lstm-bins");
  for (const char* file : {"lstm.bin", "custom_lstm.bin"}) {
    SCOPED_TRACE(file);
    auto model = Model::FromFile(dir + "/" + file);
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    const Subgraph& sg = (*model)->graph().main();
    ASSERT_EQ(sg.nodes.size(), 3u);
    EXPECT_EQ(sg.nodes[0].op, Op::kReshape);
    EXPECT_TRUE(sg.nodes[1].is_custom(kSequenceRnnCustomCode));
    EXPECT_EQ(sg.nodes[2].op, Op::kReshape);
    const std::vector<float> y = RunOnce(*model);
    ASSERT_EQ(y.size(), 2u);  // [1, 2]
    for (float v : y) EXPECT_TRUE(std::isfinite(v));
    auto bytes = WriteTflite((*model)->graph());
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    auto again = Model::FromBuffer(bytes->data(), bytes->size());
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(RunOnce(*again), y);
  }
}

}  // namespace
}  // namespace rnnlite
