// Graph IR basics: attributes, shape arithmetic, structural validation and
// the arena planner.
#include <gtest/gtest.h>

#include <limits>

#include "core/memory_planner.h"
#include "support/test_util.h"

namespace rnnlite {
namespace {

using testing::GraphBuilder;

TEST(AttrMap, TypedGettersAndFallbacks) {
  AttrMap a;
  a.SetInt("axis", -2);
  a.SetFloat("beta", 0.5);
  a.SetInts("new_shape", {1, -1});
  a.SetString("name", "x");
  EXPECT_EQ(a.GetInt("axis"), -2);
  EXPECT_EQ(a.GetInt("missing", 7), 7);
  EXPECT_DOUBLE_EQ(a.GetFloat("beta"), 0.5);
  EXPECT_DOUBLE_EQ(a.GetFloat("axis"), -2.0);  // ints read as floats
  EXPECT_EQ(a.GetInts("new_shape"), (std::vector<int64_t>{1, -1}));
  EXPECT_TRUE(a.GetInts("axis").empty());  // wrong type -> empty
  EXPECT_EQ(a.GetString("name"), "x");
  EXPECT_TRUE(a.Has("beta"));
  EXPECT_FALSE(a.Has("gamma"));
}

TEST(Types, NumElementsRejectsNegativeAndOverflow) {
  EXPECT_EQ(NumElements({}), 1);
  EXPECT_EQ(NumElements({2, 3, 4}), 24);
  EXPECT_EQ(NumElements({2, 0, 4}), 0);
  EXPECT_EQ(NumElements({2, -1}), -1);
  const int32_t big = std::numeric_limits<int32_t>::max();
  EXPECT_EQ(NumElements({big, big, big}), -1);
  EXPECT_EQ(DTypeSize(DType::kFloat16), 2u);
  EXPECT_EQ(DTypeName(DType::kInt64), "int64");
  EXPECT_EQ(ShapeToString({1, 28}), "[1, 28]");
  EXPECT_EQ(OpName(Op::kUnidirectionalSequenceLstm), "UNIDIRECTIONAL_SEQUENCE_LSTM");
  EXPECT_EQ(OpName(static_cast<Op>(9999)), "BUILTIN(9999)");
}

TEST(ValidateGraph, AcceptsWellFormedGraph) {
  GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, {2, 3});
  int y = b.Tensor("y", DType::kFloat32);
  b.AddNode(Op::kRelu, {x}, {y});
  b.Output(y);
  EXPECT_TRUE(ValidateGraph(b.graph()).ok());
}

TEST(ValidateGraph, RejectsOutOfRangeInput) {
  GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, {2});
  int y = b.Tensor("y", DType::kFloat32);
  b.AddNode(Op::kRelu, {x + 17}, {y});
  Status s = ValidateGraph(b.graph());
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
  EXPECT_NE(s.message().find("node 0 (RELU)"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("out of range"), std::string::npos) << s.message();
}

TEST(ValidateGraph, RejectsUseBeforeProduce) {
  GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, {2});
  int y = b.Tensor("y", DType::kFloat32);
  int z = b.Tensor("z", DType::kFloat32);
  b.AddNode(Op::kRelu, {y}, {z});  // y is produced only by the next node
  b.AddNode(Op::kRelu, {x}, {y});
  b.Output(z);
  Status s = ValidateGraph(b.graph());
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
  EXPECT_NE(s.message().find("used before any node produces it"), std::string::npos) << s.message();
}

TEST(ValidateGraph, RejectsTensorProducedTwice) {
  GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, {2});
  int y = b.Tensor("y", DType::kFloat32);
  b.AddNode(Op::kRelu, {x}, {y});
  b.AddNode(Op::kTanh, {x}, {y});
  Status s = ValidateGraph(b.graph());
  EXPECT_NE(s.message().find("produced twice"), std::string::npos) << s.message();
}

TEST(ValidateGraph, RejectsConstantSizeMismatch) {
  GraphBuilder b;
  b.graph().AddConstant(b.subgraph(), "w", DType::kFloat32, {2, 3}, std::vector<float>(5, 1.0f));
  Status s = ValidateGraph(b.graph());
  EXPECT_EQ(s.code(), StatusCode::kInvalidModel);
  EXPECT_NE(s.message().find("'w'"), std::string::npos) << s.message();
}

TEST(ValidateGraph, RejectsSignatureThatContradictsShape) {
  GraphBuilder b;
  b.Input("x", DType::kFloat32, {2, 3}, {-1, 4});
  EXPECT_EQ(ValidateGraph(b.graph()).code(), StatusCode::kInvalidModel);
}

bool Overlaps(const BufferRequest& a, size_t oa, const BufferRequest& b, size_t ob) {
  bool live_together = a.first_use <= b.last_use && b.first_use <= a.last_use;
  bool bytes_overlap = oa < ob + b.bytes && ob < oa + a.bytes;
  return live_together && bytes_overlap && a.bytes > 0 && b.bytes > 0;
}

TEST(ArenaPlanner, ReusesMemoryOfDeadTensorsAndNeverOverlapsLiveOnes) {
  // A chain: t0 -> t1 -> t2 -> t3, each 1000 bytes, each alive for 2 nodes.
  std::vector<BufferRequest> chain;
  for (int i = 0; i < 4; ++i) chain.push_back({1000, i, i + 1});
  ArenaPlan plan = PlanArena(chain);
  EXPECT_LT(plan.total_bytes, 4000u);  // at most two live at once
  EXPECT_GE(plan.total_bytes, 2000u);
  for (size_t i = 0; i < chain.size(); ++i) {
    for (size_t j = i + 1; j < chain.size(); ++j) {
      EXPECT_FALSE(Overlaps(chain[i], plan.offsets[i], chain[j], plan.offsets[j])) << i << " vs " << j;
    }
  }
}

TEST(ArenaPlanner, RandomLifetimesNeverOverlap) {
  std::mt19937 gen(1234);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<BufferRequest> reqs;
    for (int i = 0; i < 30; ++i) {
      int a = static_cast<int>(gen() % 20), b = static_cast<int>(gen() % 20);
      reqs.push_back({static_cast<size_t>(1 + gen() % 5000), std::min(a, b), std::max(a, b)});
    }
    ArenaPlan plan = PlanArena(reqs);
    for (size_t i = 0; i < reqs.size(); ++i) {
      EXPECT_EQ(plan.offsets[i] % kArenaAlignment, 0u);
      EXPECT_LE(plan.offsets[i] + reqs[i].bytes, plan.total_bytes);
      for (size_t j = i + 1; j < reqs.size(); ++j) {
        ASSERT_FALSE(Overlaps(reqs[i], plan.offsets[i], reqs[j], plan.offsets[j]))
            << "trial " << trial << ": " << i << " vs " << j;
      }
    }
  }
}

}  // namespace
}  // namespace rnnlite
