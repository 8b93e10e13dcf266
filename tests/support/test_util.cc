#include "support/test_util.h"

#include "core/sequence_rnn.h"

#include <cmath>
#include <filesystem>

namespace rnnlite::testing {

GraphBuilder::GraphBuilder() { graph_.subgraphs.emplace_back(); }

int GraphBuilder::Input(const std::string& name, DType dtype, Shape shape, Shape signature) {
  rnnlite::Tensor t;
  t.name = name;
  t.dtype = dtype;
  t.shape = shape;
  t.shape_signature = signature.empty() ? shape : signature;
  int index = subgraph().AddTensor(std::move(t));
  subgraph().inputs.push_back(index);
  return index;
}

int GraphBuilder::Constant(const std::string& name, const TestTensor& value) {
  return graph_.AddConstant(subgraph(), name, value.dtype, value.shape, value.bytes.data(),
                            value.bytes.size());
}

int GraphBuilder::Tensor(const std::string& name, DType dtype, Shape shape) {
  rnnlite::Tensor t;
  t.name = name;
  t.dtype = dtype;
  t.shape = std::move(shape);
  return subgraph().AddTensor(std::move(t));
}

int GraphBuilder::Variable(const std::string& name, DType dtype, Shape shape) {
  int index = Tensor(name, dtype, std::move(shape));
  subgraph().tensors[index].is_variable = true;
  return index;
}

void GraphBuilder::Output(int tensor) { subgraph().outputs.push_back(tensor); }

Node& GraphBuilder::AddNode(Op op, std::vector<int> inputs, std::vector<int> outputs, AttrMap attrs) {
  Node node;
  node.op = op;
  node.inputs = std::move(inputs);
  node.outputs = std::move(outputs);
  node.attrs = std::move(attrs);
  subgraph().nodes.push_back(std::move(node));
  return subgraph().nodes.back();
}

Node& GraphBuilder::AddCustomNode(const std::string& code, std::vector<int> inputs,
                                  std::vector<int> outputs, AttrMap attrs) {
  Node& node = AddNode(Op::kCustom, std::move(inputs), std::move(outputs), std::move(attrs));
  node.custom_code = code;
  return node;
}

StatusOr<std::shared_ptr<const Model>> GraphBuilder::Build() {
  Graph g = std::move(graph_);
  graph_ = Graph();
  graph_.subgraphs.emplace_back();
  return Model::FromGraph(std::move(g));
}

namespace {

OpRun RunNode(Op op, const std::string& custom_code, const std::vector<TestTensor>& inputs,
              const std::vector<DType>& output_dtypes, AttrMap attrs) {
  GraphBuilder b;
  std::vector<int> in_idx;
  std::vector<std::pair<int, const TestTensor*>> feeds;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const TestTensor& t = inputs[i];
    std::string name = "in" + std::to_string(i);
    if (t.dtype == DType::kVariant) {
      in_idx.push_back(kNoTensor);
    } else if (t.constant) {
      in_idx.push_back(b.Constant(name, t));
    } else {
      int idx = b.Input(name, t.dtype, t.shape);
      in_idx.push_back(idx);
      feeds.emplace_back(idx, &t);
    }
  }
  std::vector<int> out_idx;
  for (size_t i = 0; i < output_dtypes.size(); ++i) {
    int idx = b.Tensor("out" + std::to_string(i), output_dtypes[i]);
    out_idx.push_back(idx);
    b.Output(idx);
  }
  if (op == Op::kCustom) {
    b.AddCustomNode(custom_code, in_idx, out_idx, std::move(attrs));
  } else {
    b.AddNode(op, in_idx, out_idx, std::move(attrs));
  }
  OpRun run;
  auto model = b.Build();
  if (!model.ok()) {
    run.status = model.status();
    return run;
  }
  Interpreter interp(*model);
  run.status = interp.AllocateTensors();
  if (!run.status.ok()) return run;
  for (auto& [idx, t] : feeds) {
    rnnlite::Tensor* dst = interp.tensor(idx);
    if (dst->bytes != t->bytes.size()) {
      run.status = Internal("test feed size mismatch");
      return run;
    }
    if (!t->bytes.empty()) std::memcpy(dst->data, t->bytes.data(), t->bytes.size());
  }
  run.status = interp.Invoke();
  if (!run.status.ok()) return run;
  for (int idx : out_idx) {
    const rnnlite::Tensor* t = interp.tensor(idx);
    TestTensor out;
    out.dtype = t->dtype;
    out.shape = t->shape;
    out.bytes.assign(t->data, t->data + t->bytes);
    run.outputs.push_back(std::move(out));
  }
  return run;
}

}  // namespace

OpRun RunOp(Op op, const std::vector<TestTensor>& inputs, const std::vector<DType>& output_dtypes,
            AttrMap attrs) {
  return RunNode(op, "", inputs, output_dtypes, std::move(attrs));
}

OpRun RunCustomOp(const std::string& code, const std::vector<TestTensor>& inputs,
                  const std::vector<DType>& output_dtypes, AttrMap attrs) {
  return RunNode(Op::kCustom, code, inputs, output_dtypes, std::move(attrs));
}

void ExpectTensorNear(const TestTensor& actual, const Shape& shape, const std::vector<float>& expected,
                      float atol, float rtol) {
  ASSERT_EQ(actual.dtype, DType::kFloat32);
  ASSERT_EQ(actual.shape, shape);
  std::vector<float> got = actual.values<float>();
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_NEAR(got[i], expected[i], atol + rtol * std::fabs(expected[i])) << "at flat index " << i;
  }
}

std::vector<float> RandomFloats(size_t n, uint32_t seed, float lo, float hi) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) {
    do {
      x = dist(gen);
    } while (x == 0.0f);
  }
  return v;
}

std::string SharedTestdata(const std::string& relative) {
  std::filesystem::path p = std::filesystem::path(RNNLITE_SHARED_TESTDATA) / relative;
  return std::filesystem::exists(p) ? p.string() : std::string();
}

std::string SourcePath(const std::string& relative) {
  return (std::filesystem::path(RNNLITE_SOURCE_DIR) / relative).string();
}

std::string TempDir(const std::string& tag) {
  std::string templ = (std::filesystem::temp_directory_path() / ("rnnlite_" + tag + "_XXXXXX")).string();
  char* made = mkdtemp(templ.data());
  return made ? std::string(made) : std::string();
}

std::shared_ptr<const Model> StreamingLstmModel(int T, int B, int I, int H, uint32_t seed) {
  GraphBuilder b;
  int x = b.Input("x", DType::kFloat32, {T, B, I});
  int w = b.Constant("w", ConstF32({1, 4 * H, I}, RandomFloats(4 * H * I, seed, -0.5f, 0.5f)));
  int r = b.Constant("r", ConstF32({1, 4 * H, H}, RandomFloats(4 * H * H, seed + 1, -0.5f, 0.5f)));
  int bias = b.Constant("b", ConstF32({1, 4 * H}, RandomFloats(4 * H, seed + 2, -0.5f, 0.5f)));
  int h = b.Variable("h", DType::kFloat32, {1, B, H});
  int c = b.Variable("c", DType::kFloat32, {1, B, H});
  int y = b.Tensor("y", DType::kFloat32);
  int out = b.Tensor("out", DType::kFloat32);
  SequenceRnnParams params;
  params.cell = RnnCell::kLstm;
  params.hidden_size = H;
  AttrMap attrs;
  params.ToAttrs(&attrs);
  std::vector<int> in(seq_rnn_input::kCount, kNoTensor);
  in[seq_rnn_input::kX] = x;
  in[seq_rnn_input::kW] = w;
  in[seq_rnn_input::kR] = r;
  in[seq_rnn_input::kWb] = bias;
  in[seq_rnn_input::kH0] = h;
  in[seq_rnn_input::kC0] = c;
  b.AddCustomNode(kSequenceRnnCustomCode, in, {y}, attrs);
  b.AddNode(Op::kRelu, {y}, {out});
  b.Output(out);
  auto m = b.Build();
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? *m : nullptr;
}

}  // namespace rnnlite::testing
