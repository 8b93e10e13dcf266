// Hostile .tflite files: truncated, bit-flipped, randomly corrupted, and
// hand-crafted with one field wrong at a time. Each must be refused with a
// non-OK status (by Model::FromBuffer/FromFile or at the latest by
// AllocateTensors), never crash, hang or allocate without bound.
//
// Hand-crafted files are built with flatbuffers' low-level builder API and
// the published field ids (id n has vtable offset 4 + 2n), independently of
// rnnlite's own schema code, so the reader is checked against the format and
// not against itself.
#include <flatbuffers/flatbuffers.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "support/test_util.h"

namespace rnnlite {
namespace {

using testing::ConstF32;
using testing::ConstI32;
using testing::GraphBuilder;

// ---------------------------------------------------------------------------
// A plain description of a one-subgraph model and its serialization.

struct RawTensor {
  std::vector<int32_t> shape;
  int8_t type = 0;  // FLOAT32
  uint32_t buffer = 0;
  std::string name;
  bool is_variable = false;
  std::optional<std::vector<int32_t>> signature;
};
struct RawBuffer {
  std::vector<uint8_t> data;
  uint64_t offset = 0;
  uint64_t size = 0;
};
struct RawOpCode {
  int8_t deprecated_builtin_code = 0;
  int32_t builtin_code = 0;
  std::string custom_code;
  int32_t version = 1;
};
struct RawOp {
  uint32_t opcode_index = 0;
  std::vector<int32_t> inputs;
  std::vector<int32_t> outputs;
};
struct RawModel {
  uint32_t version = 3;
  const char* identifier = "TFL3";
  bool has_subgraph = true;
  std::vector<RawOpCode> codes;
  std::vector<RawTensor> tensors;
  std::vector<int32_t> inputs;
  std::vector<int32_t> outputs;
  std::vector<RawOp> ops;
  std::vector<RawBuffer> buffers;
};

RawTensor MakeTensor(std::vector<int32_t> shape, uint32_t buffer, std::string name) {
  RawTensor t;
  t.shape = std::move(shape);
  t.buffer = buffer;
  t.name = std::move(name);
  return t;
}
RawBuffer MakeBuffer(std::vector<uint8_t> data, uint64_t offset = 0, uint64_t size = 0) {
  RawBuffer b;
  b.data = std::move(data);
  b.offset = offset;
  b.size = size;
  return b;
}
RawOpCode MakeCode(int8_t deprecated_builtin_code, int32_t builtin_code, std::string custom_code = "") {
  RawOpCode c;
  c.deprecated_builtin_code = deprecated_builtin_code;
  c.builtin_code = builtin_code;
  c.custom_code = std::move(custom_code);
  return c;
}

constexpr flatbuffers::voffset_t Field(int id) { return static_cast<flatbuffers::voffset_t>(4 + 2 * id); }
using TableOffset = flatbuffers::Offset<flatbuffers::Table>;

std::vector<uint8_t> Serialize(const RawModel& m) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<TableOffset> buffers;
  for (const RawBuffer& b : m.buffers) {
    flatbuffers::Offset<flatbuffers::Vector<uint8_t>> data;
    if (!b.data.empty()) {
      fbb.ForceVectorAlignment(b.data.size(), 1, 16);
      data = fbb.CreateVector(b.data);
    }
    const auto start = fbb.StartTable();
    if (!b.data.empty()) fbb.AddOffset(Field(0), data);
    fbb.AddElement<uint64_t>(Field(1), b.offset, 0);
    fbb.AddElement<uint64_t>(Field(2), b.size, 0);
    buffers.push_back(TableOffset(fbb.EndTable(start)));
  }
  std::vector<TableOffset> tensors;
  for (const RawTensor& t : m.tensors) {
    const auto shape = fbb.CreateVector(t.shape);
    const auto name = fbb.CreateString(t.name);
    flatbuffers::Offset<flatbuffers::Vector<int32_t>> signature;
    if (t.signature) signature = fbb.CreateVector(*t.signature);
    const auto start = fbb.StartTable();
    fbb.AddOffset(Field(0), shape);
    fbb.AddElement<int8_t>(Field(1), t.type, 0);
    fbb.AddElement<uint32_t>(Field(2), t.buffer, 0);
    fbb.AddOffset(Field(3), name);
    fbb.AddElement<uint8_t>(Field(5), t.is_variable ? 1 : 0, 0);
    if (t.signature) fbb.AddOffset(Field(7), signature);
    tensors.push_back(TableOffset(fbb.EndTable(start)));
  }
  std::vector<TableOffset> ops;
  for (const RawOp& op : m.ops) {
    const auto inputs = fbb.CreateVector(op.inputs);
    const auto outputs = fbb.CreateVector(op.outputs);
    const auto start = fbb.StartTable();
    fbb.AddElement<uint32_t>(Field(0), op.opcode_index, 0);
    fbb.AddOffset(Field(1), inputs);
    fbb.AddOffset(Field(2), outputs);
    ops.push_back(TableOffset(fbb.EndTable(start)));
  }
  std::vector<TableOffset> codes;
  for (const RawOpCode& c : m.codes) {
    flatbuffers::Offset<flatbuffers::String> custom;
    if (!c.custom_code.empty()) custom = fbb.CreateString(c.custom_code);
    const auto start = fbb.StartTable();
    fbb.AddElement<int8_t>(Field(0), c.deprecated_builtin_code, 0);
    if (!c.custom_code.empty()) fbb.AddOffset(Field(1), custom);
    fbb.AddElement<int32_t>(Field(2), c.version, 1);
    fbb.AddElement<int32_t>(Field(3), c.builtin_code, 0);
    codes.push_back(TableOffset(fbb.EndTable(start)));
  }
  std::vector<TableOffset> subgraphs;
  if (m.has_subgraph) {
    const auto t = fbb.CreateVector(tensors);
    const auto in = fbb.CreateVector(m.inputs);
    const auto out = fbb.CreateVector(m.outputs);
    const auto o = fbb.CreateVector(ops);
    const auto name = fbb.CreateString("main");
    const auto start = fbb.StartTable();
    fbb.AddOffset(Field(0), t);
    fbb.AddOffset(Field(1), in);
    fbb.AddOffset(Field(2), out);
    fbb.AddOffset(Field(3), o);
    fbb.AddOffset(Field(4), name);
    subgraphs.push_back(TableOffset(fbb.EndTable(start)));
  }
  const auto codes_vec = fbb.CreateVector(codes);
  const auto subgraphs_vec = fbb.CreateVector(subgraphs);
  const auto description = fbb.CreateString("hand-crafted");
  const auto buffers_vec = fbb.CreateVector(buffers);
  const auto start = fbb.StartTable();
  fbb.AddElement<uint32_t>(Field(0), m.version, 0);
  fbb.AddOffset(Field(1), codes_vec);
  fbb.AddOffset(Field(2), subgraphs_vec);
  fbb.AddOffset(Field(3), description);
  fbb.AddOffset(Field(4), buffers_vec);
  fbb.Finish(TableOffset(fbb.EndTable(start)), m.identifier);
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

std::vector<uint8_t> FloatBytes(const std::vector<float>& v) {
  std::vector<uint8_t> b(v.size() * 4);
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// y = x + c with x: [1, 4] input, c: [4] constant {1, 2, 3, 4}.
RawModel AddModel() {
  RawModel m;
  m.codes = {MakeCode(0, 0)};  // ADD
  m.buffers = {MakeBuffer({}), MakeBuffer(FloatBytes({1, 2, 3, 4}))};
  m.tensors = {MakeTensor({1, 4}, 0, "x"), MakeTensor({4}, 1, "c"), MakeTensor({1, 4}, 0, "y")};
  m.inputs = {0};
  m.outputs = {2};
  RawOp add;
  add.inputs = {0, 1};
  add.outputs = {2};
  m.ops = {add};
  return m;
}

// ---------------------------------------------------------------------------
// Loading and running with bounded memory.

InterpreterOptions SmallCap() {
  InterpreterOptions o;
  o.max_tensor_bytes = uint64_t{256} << 20;
  return o;
}

// Load + AllocateTensors + Invoke (inputs zeroed); returns the first failure.
Status LoadAndRun(const std::vector<uint8_t>& bytes, bool invoke = true) {
  auto model = Model::FromBuffer(bytes.data(), bytes.size());
  if (!model.ok()) return model.status();
  Interpreter interp(model.value(), SmallCap());
  RNNLITE_RETURN_IF_ERROR(interp.AllocateTensors());
  if (!invoke) return Status::Ok();
  for (size_t i = 0; i < interp.inputs().size(); ++i) {
    Tensor* t = interp.input_tensor(i);
    if (t != nullptr && t->data != nullptr) std::memset(t->data, 0, t->bytes);
  }
  return interp.Invoke();
}

void ExpectRefused(const RawModel& m, const std::string& what) {
  const std::vector<uint8_t> bytes = Serialize(m);
  Status s = LoadAndRun(bytes);
  EXPECT_FALSE(s.ok()) << what << ": accepted";
  EXPECT_FALSE(s.message().empty()) << what;
  EXPECT_EQ(s.message().find('\n'), std::string::npos) << what << ": multi-line message: " << s.message();
}

TEST(TfliteMalformedTest, HandCraftedBaseModelIsValid) {
  const std::vector<uint8_t> bytes = Serialize(AddModel());
  auto model = Model::FromBuffer(bytes.data(), bytes.size());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Interpreter interp(model.value());
  ASSERT_TRUE(interp.AllocateTensors().ok());
  float* x = interp.input_tensor(0)->data_as<float>();
  for (int i = 0; i < 4; ++i) x[i] = 10.0f * static_cast<float>(i);
  ASSERT_TRUE(interp.Invoke().ok());
  const float* y = interp.output_tensor(0)->data_as<float>();
  EXPECT_EQ(std::vector<float>(y, y + 4), (std::vector<float>{1, 12, 23, 34}));
}

TEST(TfliteMalformedTest, WrongFileIdentifierOrVersion) {
  RawModel m = AddModel();
  m.identifier = "TFL2";
  ExpectRefused(m, "identifier TFL2");
  m = AddModel();
  m.version = 99;
  ExpectRefused(m, "schema version 99");
}

TEST(TfliteMalformedTest, NoSubgraphs) {
  RawModel m = AddModel();
  m.has_subgraph = false;
  ExpectRefused(m, "no subgraphs");
}

TEST(TfliteMalformedTest, BufferIndexOutOfRange) {
  RawModel m = AddModel();
  m.tensors[1].buffer = 7;
  ExpectRefused(m, "buffer 7 of 2");
  m.tensors[1].buffer = 0xffffffffu;
  ExpectRefused(m, "buffer 2^32-1");
}

TEST(TfliteMalformedTest, NegativeShape) {
  RawModel m = AddModel();
  m.tensors[1].shape = {-4};
  ExpectRefused(m, "constant with shape [-4]");
  m = AddModel();
  m.tensors[0].shape = {1, -4};
  m.tensors[0].signature = std::vector<int32_t>{1, -4};
  ExpectRefused(m, "input with shape [1, -4]");
  m = AddModel();
  m.tensors[2].shape = {-7, 4};
  ExpectRefused(m, "activation with shape [-7, 4]");
}

TEST(TfliteMalformedTest, OverflowingShape) {
  RawModel m = AddModel();
  m.tensors[1].shape = {1 << 30, 1 << 30, 1 << 30, 1 << 30};
  ExpectRefused(m, "constant whose element count overflows");
  m = AddModel();
  m.tensors[0].shape = {2147483647, 2147483647, 2147483647, 2147483647};
  ExpectRefused(m, "input whose element count overflows");
}

TEST(TfliteMalformedTest, AbsurdActivationSizeIsRefusedNotAllocated) {
  // 4 TiB of float32, far over any cap: must fail before allocating.
  RawModel m = AddModel();
  m.tensors[0].shape = {1 << 20, 1 << 20};
  m.tensors[2].shape = {1 << 20, 1 << 20};
  ExpectRefused(m, "4 TiB activations");
  // The same with the default interpreter options.
  const std::vector<uint8_t> bytes = Serialize(m);
  auto model = Model::FromBuffer(bytes.data(), bytes.size());
  if (model.ok()) {
    Interpreter interp(model.value());
    EXPECT_FALSE(interp.AllocateTensors().ok());
  }
}

TEST(TfliteMalformedTest, BufferSizeMismatch) {
  RawModel m = AddModel();
  m.buffers[1].data.resize(12);
  ExpectRefused(m, "12-byte buffer for [4] float32");
  m = AddModel();
  m.buffers[1].data.resize(20);
  ExpectRefused(m, "20-byte buffer for [4] float32");
  m = AddModel();
  m.tensors[1].type = 4;  // INT64 needs 32 bytes
  ExpectRefused(m, "16-byte buffer for [4] int64");
}

TEST(TfliteMalformedTest, AbsurdBufferOffsets) {
  RawModel m = AddModel();
  m.buffers[1] = MakeBuffer({}, uint64_t{1} << 62, 16);
  ExpectRefused(m, "offset 2^62");
  m.buffers[1] = MakeBuffer({}, 64, uint64_t{1} << 62);
  ExpectRefused(m, "size 2^62");
  m.buffers[1] = MakeBuffer({}, ~uint64_t{0} - 4, 16);
  ExpectRefused(m, "offset + size wraps around");
}

TEST(TfliteMalformedTest, BadOpcodeIndex) {
  RawModel m = AddModel();
  m.ops[0].opcode_index = 5;
  ExpectRefused(m, "opcode_index 5 of 1");
  m.codes.clear();
  m.ops[0].opcode_index = 0;
  ExpectRefused(m, "no operator codes");
}

TEST(TfliteMalformedTest, TensorIndexOutOfRange) {
  RawModel m = AddModel();
  m.ops[0].inputs = {0, 9};
  ExpectRefused(m, "op input 9 of 3");
  m = AddModel();
  m.ops[0].inputs = {0, -2};
  ExpectRefused(m, "op input -2");
  m = AddModel();
  m.ops[0].outputs = {17};
  ExpectRefused(m, "op output 17");
  m = AddModel();
  m.ops[0].outputs = {-1};
  ExpectRefused(m, "op output absent");
  m = AddModel();
  m.inputs = {42};
  ExpectRefused(m, "graph input 42");
  m = AddModel();
  m.outputs = {-2};
  ExpectRefused(m, "graph output -2");
  m = AddModel();
  m.inputs = {1 << 30};
  ExpectRefused(m, "graph input 2^30");
}

TEST(TfliteMalformedTest, UnknownTypesAndOps) {
  RawModel m = AddModel();
  m.tensors[0].type = 100;
  ExpectRefused(m, "tensor type 100");
  m = AddModel();
  m.tensors[0].type = -3;
  ExpectRefused(m, "tensor type -3");
  m = AddModel();
  m.codes[0] = MakeCode(127, 9999);
  ExpectRefused(m, "builtin 9999");
  // TFLite takes max(deprecated_builtin_code, builtin_code); both negative
  // leaves no valid op.
  m.codes[0] = MakeCode(-5, -5);
  ExpectRefused(m, "negative builtin codes");
  m.codes[0] = MakeCode(32, 32, "NoSuchCustomOp");
  ExpectRefused(m, "unknown custom op");
  m.codes[0] = MakeCode(32, 32, "");
  ExpectRefused(m, "custom op without a code");
}

TEST(TfliteMalformedTest, ErrorsNameTheCulprit) {
  RawModel m = AddModel();
  m.codes[0] = MakeCode(32, 32, "NoSuchCustomOp");
  Status s = LoadAndRun(Serialize(m));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("NoSuchCustomOp"), std::string::npos) << s.ToString();
  m = AddModel();
  m.tensors[1].buffer = 7;
  s = LoadAndRun(Serialize(m));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("tensor 1"), std::string::npos) << s.ToString();
}

TEST(TfliteMalformedTest, GraphStructureErrors) {
  RawModel m = AddModel();
  m.ops[0].outputs = {1};  // writes into the read-only constant
  ExpectRefused(m, "op writes a constant");
  m = AddModel();
  m.ops[0].inputs = {2, 1};  // reads its own output
  ExpectRefused(m, "op reads its own output");
  m = AddModel();
  m.ops.push_back(m.ops[0]);  // y produced twice
  ExpectRefused(m, "tensor produced twice");
  m = AddModel();
  m.tensors[1].type = 2;  // ADD float32 + int32
  ExpectRefused(m, "ADD of float32 and int32");
  m = AddModel();
  m.ops[0].inputs = {0};  // ADD with one input
  ExpectRefused(m, "ADD with one input");
}

TEST(TfliteMalformedTest, OddButHarmlessFieldsNeverCrash) {
  // Whether these load is the reader's call; they must just not crash.
  RawModel m = AddModel();
  m.tensors[0].signature = std::vector<int32_t>{1, -1, 4};  // rank differs from shape
  (void)LoadAndRun(Serialize(m));
  m = AddModel();
  m.tensors[0].shape = std::vector<int32_t>(200, 1);
  (void)LoadAndRun(Serialize(m));
  m = AddModel();
  m.tensors[0].is_variable = true;
  (void)LoadAndRun(Serialize(m));
  m = AddModel();
  m.tensors[0].buffer = 1;  // an input with constant data
  (void)LoadAndRun(Serialize(m));
}

TEST(TfliteMalformedTest, TinyAndJunkBuffers) {
  for (size_t n : {0, 1, 4, 7, 8, 12, 64}) {
    std::vector<uint8_t> junk(n, 0xff);
    EXPECT_FALSE(Model::FromBuffer(junk.data(), junk.size()).ok()) << n << " bytes of 0xff";
    std::vector<uint8_t> zeros(n, 0);
    EXPECT_FALSE(Model::FromBuffer(zeros.data(), zeros.size()).ok()) << n << " zero bytes";
  }
  std::vector<uint8_t> header_only = {8, 0, 0, 0, 'T', 'F', 'L', '3'};
  EXPECT_FALSE(Model::FromBuffer(header_only.data(), header_only.size()).ok());
  EXPECT_FALSE(Model::FromFile("/nonexistent/rnnlite/model.tflite").ok());
  EXPECT_FALSE(Model::FromFile(testing::SourcePath("")).ok()) << "a directory";
}

// ---------------------------------------------------------------------------
// Mutations of a valid file written by rnnlite's own writer.

// x [1, T, 4] -> FULLY_CONNECTED -> ADD(RELU) -> RESHAPE -> GATHER -> SOFTMAX,
// MEAN: a few ops whose attributes, constants and indices a flipped bit can
// turn hostile.
std::vector<uint8_t> WrittenModel() {
  GraphBuilder b;
  const int x = b.Input("x", DType::kFloat32, {1, 3, 4}, {1, -1, 4});
  const int w = b.Constant("w", ConstF32({5, 4}, testing::RandomFloats(20, 11)));
  const int bias = b.Constant("b", ConstF32({5}, testing::RandomFloats(5, 12)));
  const int fc = b.Tensor("fc", DType::kFloat32);
  AttrMap fc_attrs;
  fc_attrs.SetInt("keep_num_dims", 1);
  b.AddNode(Op::kFullyConnected, {x, w, bias}, {fc}, fc_attrs);
  const int c = b.Constant("c", ConstF32({5}, {0.5f, -0.5f, 1.0f, 0.0f, 2.0f}));
  const int a = b.Tensor("a", DType::kFloat32);
  AttrMap relu;
  relu.SetInt("fused_activation_function", 1);
  b.AddNode(Op::kAdd, {fc, c}, {a}, relu);
  const int new_shape = b.Constant("new_shape", ConstI32({2}, {-1, 5}));
  const int r = b.Tensor("r", DType::kFloat32);
  b.AddNode(Op::kReshape, {a, new_shape}, {r});
  const int idx = b.Constant("idx", ConstI32({2}, {2, 0}));
  const int g = b.Tensor("g", DType::kFloat32);
  b.AddNode(Op::kGather, {r, idx}, {g});
  const int s = b.Tensor("s", DType::kFloat32);
  AttrMap beta;
  beta.SetFloat("beta", 1.0);
  b.AddNode(Op::kSoftmax, {g}, {s}, beta);
  const int axis = b.Constant("axis", ConstI32({1}, {1}));
  const int m = b.Tensor("m", DType::kFloat32);
  AttrMap keep;
  keep.SetInt("keep_dims", 1);
  b.AddNode(Op::kMean, {s, axis}, {m}, keep);
  b.Output(s);
  b.Output(m);
  auto bytes = WriteTflite(b.graph());
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? bytes.value() : std::vector<uint8_t>();
}

TEST(TfliteMalformedTest, WrittenBaseModelRuns) {
  const std::vector<uint8_t> bytes = WrittenModel();
  ASSERT_FALSE(bytes.empty());
  Status s = LoadAndRun(bytes);
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(TfliteMalformedTest, EveryTruncationIsRefused) {
  const std::vector<uint8_t> bytes = WrittenModel();
  ASSERT_FALSE(bytes.empty());
  for (size_t n = 0; n < bytes.size(); ++n) {
    // A fresh exact-size copy, so reading one byte past the end is caught
    // by sanitizers rather than landing in the original's tail.
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_FALSE(Model::FromBuffer(cut.data(), cut.size()).ok()) << "prefix of " << n << " of " << bytes.size();
  }
}

TEST(TfliteMalformedTest, EveryBitFlipIsRefusedOrRunsSafely) {
  const std::vector<uint8_t> bytes = WrittenModel();
  ASSERT_FALSE(bytes.empty());
  size_t refused = 0, ran = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::vector<uint8_t> flipped = bytes;
      flipped[i] ^= static_cast<uint8_t>(1u << bit);
      if (LoadAndRun(flipped).ok()) {
        ++ran;
      } else {
        ++refused;
      }
    }
  }
  // Flips inside weights and padding are harmless; structural ones are not.
  EXPECT_GT(refused, 0u);
  EXPECT_GT(ran, 0u);
}

// RNNLITE_FUZZ_SCALE=N multiplies the number of random trials (for longer
// runs under the asan preset); the default keeps the suite fast.
int FuzzScale() {
  const char* env = std::getenv("RNNLITE_FUZZ_SCALE");
  const int scale = env != nullptr ? std::atoi(env) : 1;
  return scale > 0 ? scale : 1;
}

void CorruptRandomly(const std::vector<uint8_t>& bytes, uint32_t seed, int trials) {
  trials *= FuzzScale();
  std::mt19937 rng(seed);
  // Values that turn sizes, offsets and indices hostile.
  const uint8_t nasty[] = {0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe};
  for (int trial = 0; trial < trials; ++trial) {
    std::vector<uint8_t> corrupt = bytes;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const size_t pos = rng() % corrupt.size();
      corrupt[pos] = (rng() & 1) ? nasty[rng() % sizeof(nasty)] : static_cast<uint8_t>(rng());
    }
    (void)LoadAndRun(corrupt);
  }
}

TEST(TfliteMalformedTest, RandomCorruptionIsRefusedOrRunsSafely) {
  const std::vector<uint8_t> bytes = WrittenModel();
  ASSERT_FALSE(bytes.empty());
  CorruptRandomly(bytes, 1234, 3000);
}

// The TFLite LSTM importer rewrites 24 inputs into one fused node: many
// indices and shapes for corruption to break.
TEST(TfliteMalformedTest, CorruptedLstmModelIsRefusedOrRunsSafely) {
  const std::string path = testing::SourcePath("examples/lstm_tagger.tflite");
  std::vector<uint8_t> bytes;
  {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    ASSERT_NE(f, nullptr) << path;
    uint8_t chunk[4096];
    for (size_t n; (n = std::fread(chunk, 1, sizeof(chunk), f)) > 0;) bytes.insert(bytes.end(), chunk, chunk + n);
    std::fclose(f);
  }
  ASSERT_TRUE(LoadAndRun(bytes).ok());
  for (size_t n = 0; n < bytes.size(); n += 7) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_FALSE(Model::FromBuffer(cut.data(), cut.size()).ok()) << "prefix of " << n;
  }
  CorruptRandomly(bytes, 99, 3000);
}

}  // namespace
}  // namespace rnnlite
