// The Vulkan plugin under concurrency and repetition: one Model shared by
// interpreters on several threads, with one delegate shared by all of them
// or one delegate per thread, gives bitwise the results of sequential runs;
// the same inputs give the same bits on the same device, fp32 and fp16.
#include <functional>
#include <thread>

#include "vulkan/vulkan_test_util.h"

namespace rnnlite::testing::vulkan {
namespace {

// A streaming bidirectional LSTM (state in variables) beside a GRU on the
// same input, as one model that every thread shares.
struct SharedModel {
  std::shared_ptr<const Model> model;
  int x = -1;
};

SharedModel Build() {
  GraphBuilder b;
  SharedModel out;
  const int T = 5, B = 2, I = 4, H = 6, H2 = 5;
  SequenceRnnParams lstm = MakeParams(RnnCell::kLstm, RnnDirection::kBidirectional, H);
  Dims d;
  d.T = T;
  d.B = B;
  d.I = I;
  std::vector<TestTensor> v1 = RandomInputs(lstm, d, Extras{}, 71);
  PrepareWeights(&v1);
  std::vector<int> in1(in::kCount, kNoTensor);
  out.x = in1[in::kX] = b.Input("x", DType::kFloat32, v1[in::kX].shape);
  for (int slot : {in::kW, in::kR, in::kWb, in::kRb}) in1[slot] = b.Constant("l" + std::to_string(slot), v1[slot]);
  in1[in::kH0] = b.Variable("h", DType::kFloat32, v1[in::kH0].shape);
  in1[in::kC0] = b.Variable("c", DType::kFloat32, v1[in::kC0].shape);
  int y1 = b.Tensor("y1", DType::kFloat32);
  b.AddCustomNode(kSequenceRnnCustomCode, in1, {y1}, Attrs(lstm));

  // A GRU on the same input: a second node in the same partition.
  SequenceRnnParams gru = MakeParams(RnnCell::kGru, RnnDirection::kForward, H2);
  std::vector<TestTensor> v3 = RandomInputs(gru, d, Extras{}, 73);
  PrepareWeights(&v3);
  std::vector<int> in2(in::kCount, kNoTensor);
  in2[in::kX] = out.x;
  for (int slot : {in::kW, in::kR, in::kWb, in::kRb}) in2[slot] = b.Constant("g" + std::to_string(slot), v3[slot]);
  int y2 = b.Tensor("y2", DType::kFloat32);
  b.AddCustomNode(kSequenceRnnCustomCode, in2, {y2}, Attrs(gru));
  b.Output(y1);
  b.Output(y2);
  auto m = b.Build();
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  if (m.ok()) out.model = *m;
  return out;
}

using Bits = std::vector<std::vector<uint8_t>>;

// Three Invokes with streaming state; all outputs' bytes, then the state's.
Status Session(const SharedModel& sm, const std::shared_ptr<Delegate>& delegate, uint32_t seed, Bits* bits) {
  Interpreter interp(sm.model);
  RNNLITE_RETURN_IF_ERROR(interp.ModifyGraphWithDelegate(delegate));
  for (const NodePlacement& p : interp.placement()) {
    if (p.backend != "vulkan") return Internal("node " + std::to_string(p.node) + " not delegated: " + p.reason);
  }
  RNNLITE_RETURN_IF_ERROR(interp.AllocateTensors());
  for (uint32_t k = 0; k < 3; ++k) {
    Tensor* x = interp.tensor(sm.x);
    const auto v = RandomFloats(static_cast<size_t>(x->num_elements()), seed * 31u + k);
    std::memcpy(x->data, v.data(), x->bytes);
    RNNLITE_RETURN_IF_ERROR(interp.Invoke());
    for (size_t o = 0; o < interp.outputs().size(); ++o) {
      const Tensor* t = interp.output_tensor(o);
      bits->emplace_back(t->data, t->data + t->bytes);
    }
  }
  for (const char* name : {"h", "c"}) {
    const Tensor* t = interp.tensor_by_name(name);
    bits->emplace_back(t->data, t->data + t->bytes);
  }
  return Status::Ok();
}

void CheckThreads(const std::function<std::shared_ptr<Delegate>(int)>& delegate_for, int threads) {
  const SharedModel sm = Build();
  ASSERT_NE(sm.model, nullptr);
  std::vector<Bits> sequential(threads), parallel(threads);
  for (int i = 0; i < threads; ++i) {
    Status s = Session(sm, delegate_for(i), i + 1, &sequential[i]);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  std::vector<Status> status(threads);
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&, i] { status[i] = Session(sm, delegate_for(i), i + 1, &parallel[i]); });
  }
  for (auto& t : pool) t.join();
  for (int i = 0; i < threads; ++i) {
    ASSERT_TRUE(status[i].ok()) << "thread " << i << ": " << status[i].ToString();
    EXPECT_EQ(parallel[i], sequential[i]) << "thread " << i << " differs from its sequential run";
  }
}

TEST(VulkanConcurrency, OneDelegateSharedByThreadsMatchesSequential) {
  RNNLITE_VULKAN_OR_SKIP(vulkan);
  CheckThreads([&](int) { return vulkan; }, 4);
}

TEST(VulkanConcurrency, OneDelegatePerThreadMatchesSequential) {
  RNNLITE_VULKAN_OR_SKIP(vulkan);
  constexpr int kThreads = 3;
  std::vector<std::shared_ptr<Delegate>> own;
  for (int i = 0; i < kThreads; ++i) {
    DelegateOptions o;
    o.extra = {{"allow_cpu_device", "1"}};
    auto d = LoadDelegatePlugin(kVulkanPlugin, o);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    own.push_back(*d);
  }
  CheckThreads([&](int i) { return own[static_cast<size_t>(i)]; }, kThreads);
}

TEST(VulkanDeterminism, SameInputsSameBitsFp32AndFp16) {
  RNNLITE_VULKAN_OR_SKIP(vulkan);
  RNNLITE_VULKAN_OR_SKIP(half, {{"precision", "fp16"}});
  const SharedModel sm = Build();
  ASSERT_NE(sm.model, nullptr);
  for (const auto& d : {vulkan, half}) {
    SCOPED_TRACE(d->device());
    Bits a, b;
    ASSERT_TRUE(Session(sm, d, 9, &a).ok());
    ASSERT_TRUE(Session(sm, d, 9, &b).ok());
    EXPECT_EQ(a, b);
  }
}

}  // namespace
}  // namespace rnnlite::testing::vulkan
