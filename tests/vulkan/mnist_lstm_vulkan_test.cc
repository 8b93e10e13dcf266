// End to end on a real model: TFLite Micro's float MNIST LSTM
// (../shared/testdata/tflite-micro-mnist-lstm) with its recurrent node on
// Vulkan classifies the ten samples as their labels, with the CPU's
// probabilities. Its state lives in variable tensors, reset before every
// sample, so each run starts with a host -> device state hand-off.
#include <algorithm>
#include <fstream>
#include <iterator>

#include "vulkan/vulkan_test_util.h"

namespace rnnlite::testing::vulkan {
namespace {

// The payload of a little-endian .npy file holding exactly `bytes` bytes of
// data (the fixed-size samples and labels here): the file's last bytes.
std::vector<uint8_t> NpyPayload(const std::string& path, size_t bytes) {
  std::ifstream f(path, std::ios::binary);
  std::vector<uint8_t> b((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (b.size() < bytes + 10) return {};
  return std::vector<uint8_t>(b.end() - static_cast<std::ptrdiff_t>(bytes), b.end());
}

std::vector<std::vector<float>> Probabilities(const std::shared_ptr<const Model>& model,
                                              const std::shared_ptr<Delegate>& delegate, const std::vector<float>& x) {
  Interpreter interp(model);
  if (delegate) {
    EXPECT_TRUE(interp.ModifyGraphWithDelegate(delegate).ok());
    EXPECT_EQ(interp.placement().at(0).backend, "vulkan") << interp.placement().at(0).reason;
  }
  EXPECT_TRUE(interp.AllocateTensors().ok());
  std::vector<std::vector<float>> out;
  const size_t sample = 28 * 28;
  for (size_t i = 0; i * sample < x.size(); ++i) {
    EXPECT_TRUE(interp.ResetVariableTensors().ok());
    Tensor* in = interp.input_tensor(0);
    if (in->bytes != sample * sizeof(float)) {
      ADD_FAILURE() << "unexpected input size " << in->bytes;
      return {};
    }
    std::memcpy(in->data, x.data() + i * sample, in->bytes);
    Status s = interp.Invoke();
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (!s.ok()) return {};
    const Tensor* y = interp.output_tensor(0);
    out.emplace_back(y->data_as<float>(), y->data_as<float>() + y->num_elements());
  }
  return out;
}

TEST(VulkanMnistLstm, ClassifiesTheTenSamplesLikeTheCpu) {
  RNNLITE_VULKAN_OR_SKIP(vulkan);
  RNNLITE_SKIP_WITHOUT_TESTDATA(dir, "tflite-micro-mnist-lstm");
  const std::vector<uint8_t> sample_bytes = NpyPayload(dir + "/mnist_samples.npy", 10 * 28 * 28 * 4);
  const std::vector<uint8_t> label_bytes = NpyPayload(dir + "/mnist_labels.npy", 10 * 4);
  ASSERT_FALSE(sample_bytes.empty());
  ASSERT_FALSE(label_bytes.empty());
  std::vector<float> x(10 * 28 * 28);
  std::memcpy(x.data(), sample_bytes.data(), sample_bytes.size());
  std::vector<int32_t> labels(10);
  std::memcpy(labels.data(), label_bytes.data(), label_bytes.size());

  auto model = Model::FromFile(dir + "/trained_lstm.tflite");
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const auto cpu = Probabilities(*model, nullptr, x);
  const auto dev = Probabilities(*model, vulkan, x);
  ASSERT_EQ(cpu.size(), 10u);
  ASSERT_EQ(dev.size(), 10u);
  for (size_t i = 0; i < 10; ++i) {
    const auto argmax = [](const std::vector<float>& p) { return std::max_element(p.begin(), p.end()) - p.begin(); };
    EXPECT_EQ(argmax(dev[i]), labels[i]) << "sample " << i;
    EXPECT_TRUE(Close(F32({static_cast<int>(dev[i].size())}, dev[i]), F32({static_cast<int>(cpu[i].size())}, cpu[i])))
        << "sample " << i;
  }
}

}  // namespace
}  // namespace rnnlite::testing::vulkan
