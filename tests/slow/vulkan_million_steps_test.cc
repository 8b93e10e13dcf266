// Slow (ctest label `slow`, still run by scripts/test): the Vulkan backend
// runs a 1,000,000-step sequence with a workspace that does not grow with T
// (about a minute on lavapipe: one dispatch per step), and the final state
// matches the CPU reference.
#include <gtest/gtest.h>

#include "vulkan/vulkan_test_util.h"

namespace rnnlite::testing::vulkan {
namespace {

TEST(VulkanSlow, MillionStepsWithBoundedWorkspace) {
  RNNLITE_VULKAN_OR_SKIP(vulkan, {{"validation", "0"}, {"workspace_mb", "1"}});
  SequenceRnnParams p = MakeParams(RnnCell::kRnn, RnnDirection::kForward, 2);
  NodeSpec spec;
  spec.attrs = Attrs(p);
  Dims d;
  d.T = 1000000;
  d.B = 1;
  d.I = 1;
  spec.inputs = RandomInputs(p, d, Extras{}, 98);
  PrepareWeights(&spec.inputs);
  spec.outputs = {false, true, false, false};
  Runner cpu(spec, nullptr), dev(spec, vulkan);
  ASSERT_TRUE(cpu.Invoke().ok());
  Status s = dev.Invoke();
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(Close(dev.Output(1), cpu.Output(1)));
}

}  // namespace
}  // namespace rnnlite::testing::vulkan
