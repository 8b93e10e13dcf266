// The bundled example models (examples/*.tflite, used by scripts/demo) load
// and compute exactly what the in-memory graphs they were generated from
// compute. If this fails after a change to the example builders, regenerate
// the files as described in examples/make_example_models.cc.
#include "../../examples/example_models.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <vector>

#include "support/test_util.h"

namespace rnnlite {
namespace {

// Runs `model` on a seeded random input of shape `input_shape`.
std::vector<std::vector<float>> RunOnce(const std::shared_ptr<const Model>& model, const Shape& input_shape,
                                        uint32_t seed) {
  Interpreter interp(model);
  EXPECT_TRUE(interp.ResizeInputTensor(interp.inputs()[0], input_shape).ok());
  Status s = interp.AllocateTensors();
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return {};
  Tensor* in = interp.input_tensor(0);
  const std::vector<float> x = testing::RandomFloats(static_cast<size_t>(in->num_elements()), seed);
  std::memcpy(in->data, x.data(), x.size() * sizeof(float));
  s = interp.Invoke();
  EXPECT_TRUE(s.ok()) << s.ToString();
  std::vector<std::vector<float>> outputs;
  for (size_t i = 0; i < interp.outputs().size(); ++i) {
    const Tensor* t = interp.output_tensor(i);
    const float* p = t->data_as<float>();
    outputs.emplace_back(p, p + t->num_elements());
  }
  return outputs;
}

TEST(ExampleModelsTest, CommittedFilesMatchTheirBuilders) {
  for (const auto& [file, build] : examples::AllExampleModels()) {
    SCOPED_TRACE(file);
    const std::string path = testing::SourcePath("examples/" + file);
    ASSERT_TRUE(std::filesystem::exists(path)) << path;
    // Small enough to live in the repository.
    EXPECT_LT(std::filesystem::file_size(path), 50u * 1024u);
    auto from_file = Model::FromFile(path);
    ASSERT_TRUE(from_file.ok()) << from_file.status().ToString();
    auto in_memory = Model::FromGraph(build());
    ASSERT_TRUE(in_memory.ok()) << in_memory.status().ToString();
    for (int32_t steps : {1, 16, 37}) {
      const Shape shape = {1, steps, 8};
      const auto a = RunOnce(from_file.value(), shape, 100 + steps);
      const auto b = RunOnce(in_memory.value(), shape, 100 + steps);
      // Same kernels, same weights: bit-identical.
      EXPECT_EQ(a, b) << "T=" << steps;
    }
  }
}

TEST(ExampleModelsTest, SequenceClassifierOutputsAreProbabilities) {
  auto model = Model::FromGraph(examples::BuildSequenceClassifier());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const auto outputs = RunOnce(model.value(), {1, 16, 8}, 5);
  ASSERT_EQ(outputs.size(), 2u);
  ASSERT_EQ(outputs[0].size(), 4u);
  float sum = 0;
  for (float p : outputs[0]) {
    EXPECT_GT(p, 0.0f);
    sum += p;
  }
  EXPECT_NEAR(sum, 1.0f, 1e-5f);
  // The embedding is a mean of tanh outputs.
  ASSERT_EQ(outputs[1].size(), 16u);
  for (float e : outputs[1]) {
    EXPECT_GE(e, -1.0f);
    EXPECT_LE(e, 1.0f);
  }
}

}  // namespace
}  // namespace rnnlite
