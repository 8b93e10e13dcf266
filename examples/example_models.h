// The example models bundled in examples/*.tflite, built with the public
// graph API. make_example_models.cc writes them to disk; a unit test
// (tests/unit/example_models_test.cc) checks that the committed files still
// load and compute the same outputs as these in-memory graphs.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "rnnlite/graph.h"

namespace rnnlite::examples {

// Deterministic on every platform (unlike <random> distributions), so the
// committed weights can be regenerated bit for bit.
class WeightGenerator {
 public:
  explicit WeightGenerator(uint64_t seed) : state_(seed) {}
  // Uniform in [-scale, scale).
  std::vector<float> Uniform(size_t n, float scale) {
    std::vector<float> v(n);
    for (float& x : v) x = (static_cast<float>(Next() >> 40) * (1.0f / 8388608.0f) - 1.0f) * scale;
    return v;
  }

 private:
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t state_;
};

inline int AddActivation(Subgraph& sg, std::string name, Shape shape, Shape signature = {}) {
  Tensor t;
  t.name = std::move(name);
  t.dtype = DType::kFloat32;
  t.shape = std::move(shape);
  t.shape_signature = std::move(signature);
  return sg.AddTensor(std::move(t));
}

inline Node MakeNode(Op op, std::vector<int> inputs, std::vector<int> outputs) {
  Node n;
  n.op = op;
  n.inputs = std::move(inputs);
  n.outputs = std::move(outputs);
  return n;
}

// sequence_classifier.tflite: a frame-wise MLP over a variable-length
// sequence of 8-dim feature frames, mean-pooled over time and classified
// into 4 classes.
//
//   features [1, T, 8] (T dynamic, 16 in the file)
//     -> FULLY_CONNECTED 8->16 (keep_num_dims, RELU)
//     -> FULLY_CONNECTED 16->16 (keep_num_dims, TANH)
//     -> MEAN over time               => embedding [1, 16]
//     -> FULLY_CONNECTED 16->4 -> SOFTMAX => class_probs [1, 4]
inline Graph BuildSequenceClassifier() {
  constexpr int32_t kT = 16, kIn = 8, kHidden = 16, kClasses = 4;
  Graph g;
  g.description = "rnnlite example: sequence classifier (frame MLP + mean pooling + softmax)";
  g.subgraphs.emplace_back();
  Subgraph& sg = g.subgraphs[0];
  sg.name = "main";
  WeightGenerator w(20240601);

  const int features = AddActivation(sg, "features", {1, kT, kIn}, {1, -1, kIn});
  sg.inputs.push_back(features);
  const auto scale = [](int fan_in) { return 1.0f / std::sqrt(static_cast<float>(fan_in)); };

  const int w1 = g.AddConstant(sg, "dense1/kernel", DType::kFloat32, {kHidden, kIn},
                               w.Uniform(kHidden * kIn, scale(kIn)));
  const int b1 = g.AddConstant(sg, "dense1/bias", DType::kFloat32, {kHidden}, w.Uniform(kHidden, 0.1f));
  const int h1 = AddActivation(sg, "dense1/relu", {1, kT, kHidden}, {1, -1, kHidden});
  Node fc1 = MakeNode(Op::kFullyConnected, {features, w1, b1}, {h1});
  fc1.attrs.SetInt("fused_activation_function", 1);  // RELU
  fc1.attrs.SetInt("keep_num_dims", 1);
  sg.nodes.push_back(std::move(fc1));

  const int w2 = g.AddConstant(sg, "dense2/kernel", DType::kFloat32, {kHidden, kHidden},
                               w.Uniform(kHidden * kHidden, scale(kHidden)));
  const int b2 = g.AddConstant(sg, "dense2/bias", DType::kFloat32, {kHidden}, w.Uniform(kHidden, 0.1f));
  const int h2 = AddActivation(sg, "dense2/tanh", {1, kT, kHidden}, {1, -1, kHidden});
  Node fc2 = MakeNode(Op::kFullyConnected, {h1, w2, b2}, {h2});
  fc2.attrs.SetInt("fused_activation_function", 4);  // TANH
  fc2.attrs.SetInt("keep_num_dims", 1);
  sg.nodes.push_back(std::move(fc2));

  const int axis = g.AddConstant(sg, "pool/axis", DType::kInt32, {1}, std::vector<int32_t>{1});
  const int embedding = AddActivation(sg, "embedding", {1, kHidden});
  Node mean = MakeNode(Op::kMean, {h2, axis}, {embedding});
  mean.attrs.SetInt("keep_dims", 0);
  sg.nodes.push_back(std::move(mean));

  const int w3 = g.AddConstant(sg, "classifier/kernel", DType::kFloat32, {kClasses, kHidden},
                               w.Uniform(kClasses * kHidden, 4.0f));
  const int b3 = g.AddConstant(sg, "classifier/bias", DType::kFloat32, {kClasses}, w.Uniform(kClasses, 0.1f));
  const int logits = AddActivation(sg, "logits", {1, kClasses});
  Node fc3 = MakeNode(Op::kFullyConnected, {embedding, w3, b3}, {logits});
  fc3.attrs.SetInt("fused_activation_function", 0);
  sg.nodes.push_back(std::move(fc3));

  const int probs = AddActivation(sg, "class_probs", {1, kClasses});
  Node softmax = MakeNode(Op::kSoftmax, {logits}, {probs});
  softmax.attrs.SetFloat("beta", 1.0);
  sg.nodes.push_back(std::move(softmax));

  sg.outputs = {probs, embedding};
  return g;
}

// lstm_tagger.tflite: a streaming LSTM tagger, one class distribution per
// frame. The LSTM is TFLite's UNIDIRECTIONAL_SEQUENCE_LSTM builtin (batch
// major, gates i, f, c, o, state in variable tensors that persist across
// Invoke), so stock TFLite runs the file too.
//
//   features [1, T, 8] (T dynamic, 20 in the file)
//     -> UNIDIRECTIONAL_SEQUENCE_LSTM, hidden 16       => [1, T, 16]
//     -> FULLY_CONNECTED 16->3 (keep_num_dims) -> SOFTMAX => frame_probs [1, T, 3]
inline Graph BuildLstmTagger() {
  constexpr int32_t kT = 20, kIn = 8, kHidden = 16, kClasses = 3;
  Graph g;
  g.description = "rnnlite example: LSTM frame tagger (UNIDIRECTIONAL_SEQUENCE_LSTM + dense + softmax)";
  g.subgraphs.emplace_back();
  Subgraph& sg = g.subgraphs[0];
  sg.name = "main";
  WeightGenerator w(20240602);
  const float in_scale = 1.0f / std::sqrt(static_cast<float>(kIn));
  const float rec_scale = 1.0f / std::sqrt(static_cast<float>(kHidden));

  const int features = AddActivation(sg, "features", {1, kT, kIn}, {1, -1, kIn});
  sg.inputs.push_back(features);
  const char* const gates[] = {"input", "forget", "cell", "output"};
  std::vector<int> input_weights, recurrent_weights, biases;
  for (const char* gate : gates) {
    input_weights.push_back(g.AddConstant(sg, std::string("lstm/input_to_") + gate + "_weights", DType::kFloat32,
                                          {kHidden, kIn}, w.Uniform(kHidden * kIn, in_scale)));
  }
  for (const char* gate : gates) {
    recurrent_weights.push_back(g.AddConstant(sg, std::string("lstm/recurrent_to_") + gate + "_weights",
                                              DType::kFloat32, {kHidden, kHidden},
                                              w.Uniform(kHidden * kHidden, rec_scale)));
  }
  for (const char* gate : gates) {
    // The usual forget-gate bias of 1 keeps early state alive.
    std::vector<float> bias = std::string(gate) == "forget" ? std::vector<float>(kHidden, 1.0f)
                                                            : w.Uniform(kHidden, 0.1f);
    biases.push_back(g.AddConstant(sg, std::string("lstm/") + gate + "_gate_bias", DType::kFloat32, {kHidden}, bias));
  }
  auto state = [&](const char* name) {
    Tensor t;
    t.name = name;
    t.dtype = DType::kFloat32;
    t.shape = {1, kHidden};
    t.is_variable = true;
    return sg.AddTensor(std::move(t));
  };
  const int output_state = state("lstm/output_state");
  const int cell_state = state("lstm/cell_state");
  const int lstm_out = AddActivation(sg, "lstm/output", {1, kT, kHidden}, {1, -1, kHidden});

  // TFLite's 24 input slots; absent optional ones (peepholes, projection,
  // layer norm) are -1.
  std::vector<int> inputs = {features};
  inputs.insert(inputs.end(), input_weights.begin(), input_weights.end());          // 1-4
  inputs.insert(inputs.end(), recurrent_weights.begin(), recurrent_weights.end());  // 5-8
  inputs.insert(inputs.end(), {kNoTensor, kNoTensor, kNoTensor});                    // 9-11 peepholes
  inputs.insert(inputs.end(), biases.begin(), biases.end());                        // 12-15
  inputs.insert(inputs.end(), {kNoTensor, kNoTensor});                               // 16-17 projection
  inputs.insert(inputs.end(), {output_state, cell_state});                           // 18-19
  inputs.insert(inputs.end(), {kNoTensor, kNoTensor, kNoTensor, kNoTensor});         // 20-23 layer norm
  Node lstm = MakeNode(Op::kUnidirectionalSequenceLstm, inputs, {lstm_out});
  lstm.attrs.SetInt("fused_activation_function", 4);  // TANH
  lstm.attrs.SetFloat("cell_clip", 0.0);
  lstm.attrs.SetFloat("proj_clip", 0.0);
  lstm.attrs.SetInt("time_major", 0);
  sg.nodes.push_back(std::move(lstm));

  const int wd = g.AddConstant(sg, "dense/kernel", DType::kFloat32, {kClasses, kHidden},
                               w.Uniform(kClasses * kHidden, 2.0f));
  const int bd = g.AddConstant(sg, "dense/bias", DType::kFloat32, {kClasses}, w.Uniform(kClasses, 0.1f));
  const int logits = AddActivation(sg, "logits", {1, kT, kClasses}, {1, -1, kClasses});
  Node fc = MakeNode(Op::kFullyConnected, {lstm_out, wd, bd}, {logits});
  fc.attrs.SetInt("fused_activation_function", 0);
  fc.attrs.SetInt("keep_num_dims", 1);
  sg.nodes.push_back(std::move(fc));

  const int probs = AddActivation(sg, "frame_probs", {1, kT, kClasses}, {1, -1, kClasses});
  Node softmax = MakeNode(Op::kSoftmax, {logits}, {probs});
  softmax.attrs.SetFloat("beta", 1.0);
  sg.nodes.push_back(std::move(softmax));

  sg.outputs = {probs};
  return g;
}

// Every bundled example: file name and builder.
inline std::vector<std::pair<std::string, Graph (*)()>> AllExampleModels() {
  return {{"sequence_classifier.tflite", &BuildSequenceClassifier}, {"lstm_tagger.tflite", &BuildLstmTagger}};
}

}  // namespace rnnlite::examples
