// WHILE, IF, CALL_ONCE and resource variables on hand-built multi-subgraph
// graphs: loop results against values computed here, loop-carried tensors
// that grow every iteration (dynamic outputs feeding later nodes), nested
// loops, state that persists across Invoke, a .tflite round trip, and the
// errors for bad subgraph indices, call cycles, arity and dtype mismatches.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "rnnlite/interpreter.h"
#include "rnnlite/model.h"
#include "support/test_util.h"

namespace rnnlite {
namespace {

using testing::RandomFloats;

// Adds tensors and nodes to one subgraph of a graph under construction.
class Sg {
 public:
  Sg(Graph& g, int index) : g_(g), index_(index) {}
  Subgraph& s() { return g_.subgraphs[static_cast<size_t>(index_)]; }
  int In(const std::string& name, DType dtype, Shape shape) {
    int t = T(name, dtype, std::move(shape));
    s().inputs.push_back(t);
    return t;
  }
  int T(const std::string& name, DType dtype, Shape shape = {}) {
    Tensor t;
    t.name = name;
    t.dtype = dtype;
    t.shape = std::move(shape);
    return s().AddTensor(std::move(t));
  }
  template <typename V>
  int Const(const std::string& name, DType dtype, Shape shape, const std::vector<V>& values) {
    return g_.AddConstant(s(), name, dtype, std::move(shape), values);
  }
  void Out(int t) { s().outputs.push_back(t); }
  Node& Add(Op op, std::vector<int> in, std::vector<int> out, AttrMap attrs = {}) {
    Node n;
    n.op = op;
    n.inputs = std::move(in);
    n.outputs = std::move(out);
    n.attrs = std::move(attrs);
    s().nodes.push_back(std::move(n));
    return s().nodes.back();
  }

 private:
  Graph& g_;
  int index_;
};

Graph NewGraph(int num_subgraphs) {
  Graph g;
  g.subgraphs.resize(static_cast<size_t>(num_subgraphs));
  return g;
}

AttrMap WhileAttrs(int cond, int body) {
  AttrMap a;
  a.SetInt("cond_subgraph_index", cond);
  a.SetInt("body_subgraph_index", body);
  return a;
}

// cond(i, n, x): i < n.
void BuildCounterCond(Graph& g, int index, Shape x_shape) {
  Sg c(g, index);
  int i = c.In("i", DType::kInt32, {});
  int n = c.In("n", DType::kInt32, {});
  c.In("x", DType::kFloat32, std::move(x_shape));
  int go = c.T("go", DType::kBool);
  c.Add(Op::kLess, {i, n}, {go});
  c.Out(go);
}

// The doubling loop: main(n, x) = WHILE(i=0, n, x) with body (i+1, n, 2x).
StatusOr<std::shared_ptr<const Model>> DoublingLoop(Shape x_shape) {
  Graph g = NewGraph(3);
  Sg m(g, 0);
  int n = m.In("n", DType::kInt32, {});
  int x = m.In("x", DType::kFloat32, x_shape);
  int zero = m.Const("zero", DType::kInt32, {}, std::vector<int32_t>{0});
  int i_out = m.T("i_out", DType::kInt32), n_out = m.T("n_out", DType::kInt32), y = m.T("y", DType::kFloat32);
  m.Add(Op::kWhile, {zero, n, x}, {i_out, n_out, y}, WhileAttrs(1, 2));
  m.Out(y);
  m.Out(i_out);
  BuildCounterCond(g, 1, x_shape);
  Sg b(g, 2);
  int bi = b.In("i", DType::kInt32, {});
  int bn = b.In("n", DType::kInt32, {});
  int bx = b.In("x", DType::kFloat32, x_shape);
  int one = b.Const("one", DType::kInt32, {}, std::vector<int32_t>{1});
  int two = b.Const("two", DType::kFloat32, {}, std::vector<float>{2.0f});
  int bi2 = b.T("i2", DType::kInt32), bx2 = b.T("x2", DType::kFloat32);
  b.Add(Op::kAdd, {bi, one}, {bi2});
  b.Add(Op::kMul, {bx, two}, {bx2});
  b.Out(bi2);
  b.Out(bn);  // passed straight through
  b.Out(bx2);
  return Model::FromGraph(std::move(g));
}

TEST(ControlFlow, WhileRunsBodyUntilCondFails) {
  auto model = DoublingLoop({2, 3});
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter interp(model.value());
  ASSERT_TRUE(interp.AllocateTensors().ok());
  // Shapes are proven static: the output has storage before Invoke.
  EXPECT_EQ(interp.output_tensor(0)->shape, (Shape{2, 3}));
  EXPECT_NE(interp.output_tensor(0)->data, nullptr);
  const std::vector<float> x = RandomFloats(6, 11);
  for (int32_t n : {7, 0, 3}) {
    interp.input_tensor(0)->data_as<int32_t>()[0] = n;
    std::memcpy(interp.input_tensor(1)->data, x.data(), x.size() * sizeof(float));
    Status s = interp.Invoke();
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(interp.output_tensor(1)->data_as<int32_t>()[0], n);
    for (size_t k = 0; k < x.size(); ++k) {
      EXPECT_FLOAT_EQ(interp.output_tensor(0)->data_as<float>()[k], x[k] * std::ldexp(1.0f, n)) << "n=" << n;
    }
  }
}

// body(i, n, x) = (i+1, n, concat(x, row)): x gains a row per iteration, so
// the WHILE outputs are dynamic and the ADD after it is prepared in Invoke.
TEST(ControlFlow, WhileLoopCarriedTensorChangesShape) {
  Graph g = NewGraph(3);
  Sg m(g, 0);
  int n = m.In("n", DType::kInt32, {});
  int x = m.In("x", DType::kFloat32, {1, 2});
  int zero = m.Const("zero", DType::kInt32, {}, std::vector<int32_t>{0});
  int i_out = m.T("i_out", DType::kInt32), n_out = m.T("n_out", DType::kInt32), y = m.T("y", DType::kFloat32);
  int z = m.T("z", DType::kFloat32);
  m.Add(Op::kWhile, {zero, n, x}, {i_out, n_out, y}, WhileAttrs(1, 2));
  m.Add(Op::kAdd, {y, y}, {z});
  m.Out(z);
  BuildCounterCond(g, 1, {1, 2});
  Sg b(g, 2);
  int bi = b.In("i", DType::kInt32, {});
  int bn = b.In("n", DType::kInt32, {});
  int bx = b.In("x", DType::kFloat32, {1, 2});
  int one = b.Const("one", DType::kInt32, {}, std::vector<int32_t>{1});
  const std::vector<float> row_values = RandomFloats(2, 12);
  int row = b.Const("row", DType::kFloat32, {1, 2}, row_values);
  int bi2 = b.T("i2", DType::kInt32), bx2 = b.T("x2", DType::kFloat32);
  b.Add(Op::kAdd, {bi, one}, {bi2});
  AttrMap axis;
  axis.SetInt("axis", 0);
  b.Add(Op::kConcatenation, {bx, row}, {bx2}, axis);
  b.Out(bi2);
  b.Out(bn);
  b.Out(bx2);
  auto model = Model::FromGraph(std::move(g));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter interp(model.value());
  ASSERT_TRUE(interp.AllocateTensors().ok());
  const std::vector<float> x0 = RandomFloats(2, 13);
  for (int32_t iters : {4, 1, 6}) {
    interp.input_tensor(0)->data_as<int32_t>()[0] = iters;
    std::memcpy(interp.input_tensor(1)->data, x0.data(), 8);
    Status s = interp.Invoke();
    ASSERT_TRUE(s.ok()) << s.ToString();
    const Tensor* out = interp.output_tensor(0);
    ASSERT_EQ(out->shape, (Shape{1 + iters, 2}));
    for (int r = 0; r <= iters; ++r) {
      for (int c = 0; c < 2; ++c) {
        const float want = 2.0f * (r == 0 ? x0[c] : row_values[c]);
        EXPECT_FLOAT_EQ(out->data_as<float>()[r * 2 + c], want) << "iters " << iters << " row " << r;
      }
    }
  }
}

// An outer loop of 3 iterations whose body runs an inner loop of 4, each
// inner step adding 1: the result is x + 12.
TEST(ControlFlow, NestedWhile) {
  Graph g = NewGraph(5);
  Sg m(g, 0);
  int x = m.In("x", DType::kFloat32, {3});
  int zero = m.Const("zero", DType::kInt32, {}, std::vector<int32_t>{0});
  int three = m.Const("three", DType::kInt32, {}, std::vector<int32_t>{3});
  int oi = m.T("oi", DType::kInt32), on = m.T("on", DType::kInt32), y = m.T("y", DType::kFloat32);
  m.Add(Op::kWhile, {zero, three, x}, {oi, on, y}, WhileAttrs(1, 2));
  m.Out(y);
  BuildCounterCond(g, 1, {3});
  BuildCounterCond(g, 3, {3});
  {  // outer body: (i+1, n, WHILE(0, 4, x))
    Sg b(g, 2);
    int bi = b.In("i", DType::kInt32, {});
    int bn = b.In("n", DType::kInt32, {});
    int bx = b.In("x", DType::kFloat32, {3});
    int one = b.Const("one", DType::kInt32, {}, std::vector<int32_t>{1});
    int z = b.Const("zero", DType::kInt32, {}, std::vector<int32_t>{0});
    int four = b.Const("four", DType::kInt32, {}, std::vector<int32_t>{4});
    int bi2 = b.T("i2", DType::kInt32), ii = b.T("ii", DType::kInt32), in = b.T("in", DType::kInt32);
    int bx2 = b.T("x2", DType::kFloat32);
    b.Add(Op::kAdd, {bi, one}, {bi2});
    b.Add(Op::kWhile, {z, four, bx}, {ii, in, bx2}, WhileAttrs(3, 4));
    b.Out(bi2);
    b.Out(bn);
    b.Out(bx2);
  }
  {  // inner body: (i+1, n, x+1)
    Sg b(g, 4);
    int bi = b.In("i", DType::kInt32, {});
    int bn = b.In("n", DType::kInt32, {});
    int bx = b.In("x", DType::kFloat32, {3});
    int one = b.Const("one", DType::kInt32, {}, std::vector<int32_t>{1});
    int onef = b.Const("onef", DType::kFloat32, {}, std::vector<float>{1.0f});
    int bi2 = b.T("i2", DType::kInt32), bx2 = b.T("x2", DType::kFloat32);
    b.Add(Op::kAdd, {bi, one}, {bi2});
    b.Add(Op::kAdd, {bx, onef}, {bx2});
    b.Out(bi2);
    b.Out(bn);
    b.Out(bx2);
  }
  auto model = Model::FromGraph(std::move(g));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter interp(model.value());
  ASSERT_TRUE(interp.AllocateTensors().ok());
  const std::vector<float> x0 = RandomFloats(3, 14);
  std::memcpy(interp.input_tensor(0)->data, x0.data(), 12);
  Status s = interp.Invoke();
  ASSERT_TRUE(s.ok()) << s.ToString();
  for (int k = 0; k < 3; ++k) EXPECT_FLOAT_EQ(interp.output_tensor(0)->data_as<float>()[k], x0[k] + 12.0f);
}

// IF(c, a, b): then = a + b, else = a * b.
StatusOr<std::shared_ptr<const Model>> IfModel(Shape else_out_shape_extra = {}) {
  Graph g = NewGraph(3);
  Sg m(g, 0);
  int c = m.In("c", DType::kBool, {});
  int a = m.In("a", DType::kFloat32, {4});
  int bb = m.In("b", DType::kFloat32, {4});
  int y = m.T("y", DType::kFloat32);
  AttrMap attrs;
  attrs.SetInt("then_subgraph_index", 1);
  attrs.SetInt("else_subgraph_index", 2);
  m.Add(Op::kIf, {c, a, bb}, {y}, attrs);
  m.Out(y);
  for (int k : {1, 2}) {
    Sg s(g, k);
    int sa = s.In("a", DType::kFloat32, {4});
    int sb = s.In("b", DType::kFloat32, {4});
    int so = s.T("o", DType::kFloat32);
    s.Add(k == 1 ? Op::kAdd : Op::kMul, {sa, sb}, {so});
    if (k == 2 && !else_out_shape_extra.empty()) {
      // else returns concat(o, o): a different shape from then's.
      int cat = s.T("cat", DType::kFloat32);
      AttrMap axis;
      axis.SetInt("axis", 0);
      s.Add(Op::kConcatenation, {so, so}, {cat}, axis);
      so = cat;
    }
    s.Out(so);
  }
  return Model::FromGraph(std::move(g));
}

TEST(ControlFlow, IfTakesTheBranchTheConditionNames) {
  for (bool differing_shapes : {false, true}) {
    auto model = IfModel(differing_shapes ? Shape{1} : Shape{});
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    Interpreter interp(model.value());
    ASSERT_TRUE(interp.AllocateTensors().ok());
    const std::vector<float> a = RandomFloats(4, 21), b = RandomFloats(4, 22);
    for (bool c : {true, false, true}) {
      interp.input_tensor(0)->data[0] = c ? 1 : 0;
      std::memcpy(interp.input_tensor(1)->data, a.data(), 16);
      std::memcpy(interp.input_tensor(2)->data, b.data(), 16);
      Status s = interp.Invoke();
      ASSERT_TRUE(s.ok()) << s.ToString();
      const Tensor* y = interp.output_tensor(0);
      const int reps = (!c && differing_shapes) ? 2 : 1;
      ASSERT_EQ(y->shape, (Shape{4 * reps}));
      for (int k = 0; k < 4 * reps; ++k) {
        EXPECT_FLOAT_EQ(y->data_as<float>()[k], c ? a[k % 4] + b[k % 4] : a[k % 4] * b[k % 4]);
      }
    }
  }
}

// main: CALL_ONCE(init); h = VAR_HANDLE("acc"); y = READ(h) + x; ASSIGN(h, y)
// init: ASSIGN(VAR_HANDLE("acc"), c). So Invoke k returns c + k*x.
StatusOr<std::shared_ptr<const Model>> AccumulatorModel(const std::vector<float>& c, bool with_init = true) {
  Graph g = NewGraph(2);
  Sg m(g, 0);
  int x = m.In("x", DType::kFloat32, {3});
  AttrMap handle_attrs;
  handle_attrs.SetString("container", "");
  handle_attrs.SetString("shared_name", "acc");
  AttrMap once;
  once.SetInt("init_subgraph_index", 1);
  if (with_init) m.Add(Op::kCallOnce, {}, {}, once);
  int h = m.T("h", DType::kResource);
  int v = m.T("v", DType::kFloat32);
  int y = m.T("y", DType::kFloat32);
  m.Add(Op::kVarHandle, {}, {h}, handle_attrs);
  m.Add(Op::kReadVariable, {h}, {v});
  m.Add(Op::kAdd, {v, x}, {y});
  m.Add(Op::kAssignVariable, {h, y}, {});
  m.Out(y);
  Sg i(g, 1);
  int ih = i.T("h", DType::kResource);
  int ic = i.Const("c", DType::kFloat32, {3}, c);
  i.Add(Op::kVarHandle, {}, {ih}, handle_attrs);
  i.Add(Op::kAssignVariable, {ih, ic}, {});
  return Model::FromGraph(std::move(g));
}

TEST(ControlFlow, CallOnceAndResourceVariablesPersistAcrossInvoke) {
  const std::vector<float> c = RandomFloats(3, 31), x = RandomFloats(3, 32);
  auto model = AccumulatorModel(c);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter interp(model.value());
  ASSERT_TRUE(interp.AllocateTensors().ok());
  for (int k = 1; k <= 3; ++k) {
    if (k == 3) {
      ASSERT_TRUE(interp.AllocateTensors().ok());  // state survives re-allocation
    }
    std::memcpy(interp.input_tensor(0)->data, x.data(), 12);
    Status s = interp.Invoke();
    ASSERT_TRUE(s.ok()) << s.ToString();
    for (int j = 0; j < 3; ++j) {
      EXPECT_NEAR(interp.output_tensor(0)->data_as<float>()[j], c[j] + static_cast<float>(k) * x[j], 1e-6f)
          << "invoke " << k;
    }
  }
  // A second interpreter has its own variables and runs its own init.
  Interpreter other(model.value());
  ASSERT_TRUE(other.AllocateTensors().ok());
  std::memcpy(other.input_tensor(0)->data, x.data(), 12);
  ASSERT_TRUE(other.Invoke().ok());
  EXPECT_NEAR(other.output_tensor(0)->data_as<float>()[0], c[0] + x[0], 1e-6f);
}

TEST(ControlFlow, ReadingAnUnassignedVariableIsAnError) {
  auto model = AccumulatorModel(RandomFloats(3, 33), /*with_init=*/false);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter interp(model.value());
  ASSERT_TRUE(interp.AllocateTensors().ok());
  Status s = interp.Invoke();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("READ_VARIABLE"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("before any ASSIGN_VARIABLE"), std::string::npos) << s.ToString();
}

TEST(ControlFlow, ControlFlowModelsSurviveATfliteRoundTrip) {
  const std::vector<float> c = RandomFloats(3, 41), x = RandomFloats(3, 42);
  auto model = AccumulatorModel(c);
  ASSERT_TRUE(model.ok());
  auto bytes = WriteTflite(model.value()->graph());
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto loaded = Model::FromBuffer(bytes.value().data(), bytes.value().size());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const Node& handle = loaded.value()->graph().main().nodes[1];
  ASSERT_EQ(handle.op, Op::kVarHandle);
  EXPECT_EQ(handle.attrs.GetString("shared_name"), "acc");
  EXPECT_EQ(loaded.value()->graph().main().nodes[0].attrs.GetInt("init_subgraph_index"), 1);
  Interpreter interp(loaded.value());
  ASSERT_TRUE(interp.AllocateTensors().ok());
  std::memcpy(interp.input_tensor(0)->data, x.data(), 12);
  ASSERT_TRUE(interp.Invoke().ok());
  EXPECT_NEAR(interp.output_tensor(0)->data_as<float>()[2], c[2] + x[2], 1e-6f);

  auto loop = DoublingLoop({2});
  ASSERT_TRUE(loop.ok());
  auto loop_bytes = WriteTflite(loop.value()->graph());
  ASSERT_TRUE(loop_bytes.ok());
  auto loop_loaded = Model::FromBuffer(loop_bytes.value().data(), loop_bytes.value().size());
  ASSERT_TRUE(loop_loaded.ok()) << loop_loaded.status().ToString();
  EXPECT_EQ(loop_loaded.value()->graph().main().nodes[0].attrs.GetInt("body_subgraph_index"), 2);
}

// --- errors -------------------------------------------------------------

Status LoadError(Graph g) {
  auto model = Model::FromGraph(std::move(g));
  return model.ok() ? Status::Ok() : model.status();
}

TEST(ControlFlow, SubgraphIndexOutOfRangeIsRejectedAtLoad) {
  for (int bad : {5, 0, -1}) {
    auto model = DoublingLoop({2});
    ASSERT_TRUE(model.ok());
    // Rebuild the same graph with a bad body index.
    Graph g = NewGraph(3);
    const Graph& src = model.value()->graph();
    for (size_t k = 0; k < 3; ++k) {
      g.subgraphs[k] = src.subgraphs[k];
    }
    g.subgraphs[0].nodes[0].attrs.SetInt("body_subgraph_index", bad);
    Status s = LoadError(std::move(g));
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_NE(s.message().find("body_subgraph_index " + std::to_string(bad) + " out of range"), std::string::npos)
        << s.ToString();
  }
}

TEST(ControlFlow, SubgraphCallCycleIsRejectedAtLoad) {
  // Subgraph 1 is a WHILE body that itself loops with body 1.
  auto model = DoublingLoop({2});
  ASSERT_TRUE(model.ok());
  Graph g = NewGraph(3);
  for (size_t k = 0; k < 3; ++k) g.subgraphs[k] = model.value()->graph().subgraphs[k];
  Sg b(g, 2);
  std::vector<int> ins = b.s().inputs;
  int o0 = b.T("r0", DType::kInt32), o1 = b.T("r1", DType::kInt32), o2 = b.T("r2", DType::kFloat32);
  b.Add(Op::kWhile, ins, {o0, o1, o2}, WhileAttrs(1, 2));
  Status s = LoadError(std::move(g));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("call cycle 2 -> 2"), std::string::npos) << s.ToString();
}

TEST(ControlFlow, ArityAndDtypeMismatchesNameTheNode) {
  {  // body returns 2 values for 3 loop variables
    auto model = DoublingLoop({2});
    ASSERT_TRUE(model.ok());
    Graph g = NewGraph(3);
    for (size_t k = 0; k < 3; ++k) g.subgraphs[k] = model.value()->graph().subgraphs[k];
    g.subgraphs[2].outputs.pop_back();
    auto m = Model::FromGraph(std::move(g));
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    Interpreter interp(m.value());
    Status s = interp.AllocateTensors();
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.message().find("node 0 (WHILE)"), std::string::npos) << s.ToString();
    EXPECT_NE(s.message().find("body_subgraph_index 2 has 3 inputs and 2 outputs"), std::string::npos)
        << s.ToString();
  }
  {  // cond returns a float
    auto model = DoublingLoop({2});
    ASSERT_TRUE(model.ok());
    Graph g = NewGraph(3);
    for (size_t k = 0; k < 3; ++k) g.subgraphs[k] = model.value()->graph().subgraphs[k];
    g.subgraphs[1].outputs = {g.subgraphs[1].inputs[2]};
    auto m = Model::FromGraph(std::move(g));
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    Interpreter interp(m.value());
    Status s = interp.AllocateTensors();
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.message().find("must produce one bool tensor"), std::string::npos) << s.ToString();
  }
  {  // IF condition that is not bool
    auto model = IfModel();
    ASSERT_TRUE(model.ok());
    Graph g = NewGraph(3);
    for (size_t k = 0; k < 3; ++k) g.subgraphs[k] = model.value()->graph().subgraphs[k];
    g.subgraphs[0].tensors[static_cast<size_t>(g.subgraphs[0].inputs[0])].dtype = DType::kInt32;
    auto m = Model::FromGraph(std::move(g));
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    Interpreter interp(m.value());
    Status s = interp.AllocateTensors();
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.message().find("node 0 (IF): condition must be a bool"), std::string::npos) << s.ToString();
  }
}

// A chain of IFs, each branch calling the next subgraph: legal (no cycle),
// fine when shallow, an error instead of a stack overflow when deep.
StatusOr<std::shared_ptr<const Model>> IfChain(int depth) {
  Graph g = NewGraph(depth + 1);
  for (int k = 0; k <= depth; ++k) {
    Sg s(g, k);
    int c = s.In("c", DType::kBool, {});
    int x = s.In("x", DType::kFloat32, {2});
    if (k == depth) {
      s.Out(x);
      continue;
    }
    int y = s.T("y", DType::kFloat32);
    AttrMap attrs;
    attrs.SetInt("then_subgraph_index", k + 1);
    attrs.SetInt("else_subgraph_index", k + 1);
    s.Add(Op::kIf, {c, c, x}, {y}, attrs);
    s.Out(y);
  }
  return Model::FromGraph(std::move(g));
}

TEST(ControlFlow, DeepNestingIsBoundedNotAStackOverflow) {
  auto shallow = IfChain(8);
  ASSERT_TRUE(shallow.ok()) << shallow.status().ToString();
  Interpreter ok(shallow.value());
  ASSERT_TRUE(ok.AllocateTensors().ok());
  const std::vector<float> x = RandomFloats(2, 51);
  ok.input_tensor(0)->data[0] = 1;
  std::memcpy(ok.input_tensor(1)->data, x.data(), 8);
  ASSERT_TRUE(ok.Invoke().ok());
  EXPECT_EQ(ok.output_tensor(0)->data_as<float>()[1], x[1]);

  auto deep = IfChain(80);
  ASSERT_TRUE(deep.ok()) << deep.status().ToString();
  Interpreter bad(deep.value());
  Status s = bad.AllocateTensors();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted) << s.ToString();
  EXPECT_NE(s.message().find("nested deeper than 64"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace rnnlite
