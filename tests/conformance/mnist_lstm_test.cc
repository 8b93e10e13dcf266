// TFLite Micro's float MNIST LSTM (../shared/testdata/tflite-micro-mnist-lstm):
// UNIDIRECTIONAL_SEQUENCE_LSTM (batch-major, hidden 20, cell_clip 10, state
// in variable tensors) -> RESHAPE -> FULLY_CONNECTED -> SOFTMAX must classify
// the ten samples as their labels, before and after a write -> read round
// trip, and the writer must keep the LSTM a builtin stock TFLite can run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/rnn_tflite.h"
#include "core/sequence_rnn.h"
#include "rnnlite/interpreter.h"
#include "rnnlite/model.h"
#include "support/test_util.h"

namespace rnnlite {
namespace {

// A minimal .npy reader for the two files here: format 1.x/2.x/3.x,
// little-endian float32 or int32, C order.
struct Npy {
  std::string descr;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;
};

bool ReadNpy(const std::string& path, Npy* out, std::string* error) {
  std::ifstream f(path, std::ios::binary);
  std::vector<uint8_t> b((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (b.size() < 10 || std::memcmp(b.data(), "\x93NUMPY", 6) != 0) {
    *error = "not an .npy file";
    return false;
  }
  size_t header_len = 0, header_at = 0;
  if (b[6] == 1) {
    header_len = b[8] | (b[9] << 8);
    header_at = 10;
  } else if (b.size() >= 12) {
    header_len = b[8] | (b[9] << 8) | (b[10] << 16) | (static_cast<size_t>(b[11]) << 24);
    header_at = 12;
  }
  if (header_at == 0 || header_at + header_len > b.size()) {
    *error = "truncated header";
    return false;
  }
  const std::string h(b.begin() + static_cast<std::ptrdiff_t>(header_at),
                      b.begin() + static_cast<std::ptrdiff_t>(header_at + header_len));
  auto value_of = [&](const std::string& key) {
    const size_t k = h.find("'" + key + "'");
    return k == std::string::npos ? std::string() : h.substr(h.find(':', k) + 1);
  };
  const std::string descr = value_of("descr");
  const size_t q1 = descr.find('\''), q2 = descr.find('\'', q1 + 1);
  if (q1 == std::string::npos || q2 == std::string::npos) {
    *error = "no descr";
    return false;
  }
  out->descr = descr.substr(q1 + 1, q2 - q1 - 1);
  if (h.find("'fortran_order': False") == std::string::npos) {
    *error = "fortran order";
    return false;
  }
  const std::string shape = value_of("shape");
  const size_t p1 = shape.find('('), p2 = shape.find(')');
  int64_t cur = -1;
  for (size_t i = p1 + 1; i < p2; ++i) {
    if (shape[i] >= '0' && shape[i] <= '9') {
      cur = (cur < 0 ? 0 : cur * 10) + (shape[i] - '0');
    } else if (shape[i] == ',' && cur >= 0) {
      out->shape.push_back(cur);
      cur = -1;
    }
  }
  if (cur >= 0) out->shape.push_back(cur);
  out->data.assign(b.begin() + static_cast<std::ptrdiff_t>(header_at + header_len), b.end());
  return true;
}

template <typename T>
std::vector<T> Values(const Npy& n) {
  std::vector<T> v(n.data.size() / sizeof(T));
  if (!v.empty()) std::memcpy(v.data(), n.data.data(), v.size() * sizeof(T));
  return v;
}

// Classifies every sample (state reset before each); returns the argmaxes
// and the probabilities.
std::vector<int> Classify(const std::shared_ptr<const Model>& model, const std::vector<float>& samples,
                          size_t sample_size, std::vector<std::vector<float>>* probs) {
  Interpreter interp(model);
  Status s = interp.AllocateTensors();
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return {};
  std::vector<int> classes;
  for (size_t i = 0; i * sample_size < samples.size(); ++i) {
    EXPECT_TRUE(interp.ResetVariableTensors().ok());
    Tensor* x = interp.input_tensor(0);
    EXPECT_EQ(x->bytes, sample_size * sizeof(float));
    if (x->bytes != sample_size * sizeof(float)) return {};
    std::memcpy(x->data, samples.data() + i * sample_size, x->bytes);
    s = interp.Invoke();
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (!s.ok()) return {};
    const Tensor* y = interp.output_tensor(0);
    const float* p = y->data_as<float>();
    const size_t n = y->bytes / sizeof(float);
    probs->emplace_back(p, p + n);
    classes.push_back(static_cast<int>(std::max_element(p, p + n) - p));
  }
  return classes;
}

TEST(MnistLstm, ClassifiesAllTenSamples) {
  RNNLITE_SKIP_WITHOUT_TESTDATA(dir, "tflite-micro-mnist-lstm");
  Npy samples, labels;
  std::string error;
  ASSERT_TRUE(ReadNpy(dir + "/mnist_samples.npy", &samples, &error)) << error;
  ASSERT_TRUE(ReadNpy(dir + "/mnist_labels.npy", &labels, &error)) << error;
  ASSERT_EQ(samples.descr, "<f4");
  ASSERT_EQ(samples.shape, (std::vector<int64_t>{10, 1, 28, 28}));
  ASSERT_EQ(labels.descr, "<i4");
  const std::vector<int32_t> want = Values<int32_t>(labels);
  ASSERT_EQ(want.size(), 10u);

  auto model = Model::FromFile(dir + "/trained_lstm.tflite");
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  // The LSTM was imported as one SequenceRnn node (batch-major, H = 20).
  const Node& lstm = (*model)->graph().main().nodes.at(0);
  ASSERT_TRUE(lstm.is_custom(kSequenceRnnCustomCode)) << NodeOpName(lstm);
  auto params = SequenceRnnParams::FromAttrs(lstm.attrs);
  ASSERT_TRUE(params.ok()) << params.status().ToString();
  EXPECT_EQ(params->hidden_size, 20);
  EXPECT_FALSE(params->time_major);
  EXPECT_FLOAT_EQ(params->cell_clip, 10.0f);

  std::vector<std::vector<float>> probs;
  const std::vector<float> x = Values<float>(samples);
  const std::vector<int> got = Classify(*model, x, 28 * 28, &probs);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(got[i], want[i]) << "sample " << i;

  // Written back, the LSTM stays a TFLite builtin and the file classifies
  // the same, with the same probabilities.
  Graph lowered;
  ASSERT_TRUE(ExportTfliteRecurrentOps((*model)->graph(), &lowered).ok());
  EXPECT_EQ(lowered.main().nodes.at(0).op, Op::kUnidirectionalSequenceLstm);
  auto bytes = WriteTflite((*model)->graph());
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto again = Model::FromBuffer(bytes->data(), bytes->size());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  std::vector<std::vector<float>> probs2;
  EXPECT_EQ(Classify(*again, x, 28 * 28, &probs2), got);
  EXPECT_EQ(probs2, probs);
}

}  // namespace
}  // namespace rnnlite
