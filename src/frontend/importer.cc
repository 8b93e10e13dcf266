// The ONNX import driver: graph inputs and initializers, nodes in
// topological order through the converter table (collecting every failure
// instead of stopping at the first), graph outputs under their ONNX names,
// then the clean-up passes.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

#include "core/sequence_rnn.h"
#include "frontend/importer_state.h"
#include "rnnlite/interpreter.h"
#include "rnnlite/model.h"

namespace rnnlite::onnx_import {
namespace {

// Largest working set constant folding may use for one node.
constexpr uint64_t kMaxFoldedBytes = uint64_t{256} << 20;

float HalfToFloat(uint16_t h) {
  const uint32_t sign = (h >> 15) & 1, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  float v;
  if (exp == 0) v = std::ldexp(static_cast<float>(mant), -24);
  else if (exp == 31) v = mant ? NAN : INFINITY;
  else v = std::ldexp(static_cast<float>(mant | 0x400), static_cast<int>(exp) - 25);
  return sign ? -v : v;
}

template <typename T>
T Load(const uint8_t* p, size_t i) {
  T v;
  std::memcpy(&v, p + i * sizeof(T), sizeof(T));
  return v;
}

template <typename T>
void Store(std::vector<uint8_t>* b, size_t i, T v) {
  std::memcpy(b->data() + i * sizeof(T), &v, sizeof(T));
}

// Reads element i of `t` as double; false for unsupported dtypes.
bool LoadAsDouble(const Tensor& t, size_t i, double* out) {
  const uint8_t* p = t.constant_data;
  switch (t.dtype) {
    case DType::kFloat32: *out = Load<float>(p, i); return true;
    case DType::kFloat64: *out = Load<double>(p, i); return true;
    case DType::kFloat16: *out = HalfToFloat(Load<uint16_t>(p, i)); return true;
    case DType::kInt32: *out = Load<int32_t>(p, i); return true;
    case DType::kInt64: *out = static_cast<double>(Load<int64_t>(p, i)); return true;
    case DType::kInt16: *out = Load<int16_t>(p, i); return true;
    case DType::kInt8: *out = Load<int8_t>(p, i); return true;
    case DType::kUInt8:
    case DType::kBool: *out = Load<uint8_t>(p, i); return true;
    case DType::kUInt16: *out = Load<uint16_t>(p, i); return true;
    case DType::kUInt32: *out = Load<uint32_t>(p, i); return true;
    case DType::kUInt64: *out = static_cast<double>(Load<uint64_t>(p, i)); return true;
    default: return false;
  }
}

std::string OpTypeKey(const onnx::NodeProto& n) {
  const bool default_domain = n.domain().empty() || n.domain() == "ai.onnx";
  return default_domain ? n.op_type() : n.domain() + ":" + n.op_type();
}

const ConverterTable& Converters() {
  static const ConverterTable table = [] {
    ConverterTable t;
    RegisterElementwiseConverters(t);
    RegisterShapeConverters(t);
    RegisterIndexConverters(t);
    RegisterComputeConverters(t);
    RegisterRecurrentConverters(t);
    return t;
  }();
  return table;
}

}  // namespace

bool ReadTensorInts(const Tensor& t, std::vector<int64_t>* out) {
  if (!t.is_constant()) return false;
  const int64_t n = t.num_elements();
  if (n < 0 || static_cast<uint64_t>(n) * DTypeSize(t.dtype) > t.constant_bytes) return false;
  out->resize(static_cast<size_t>(n));
  for (size_t i = 0; i < out->size(); ++i) {
    switch (t.dtype) {
      case DType::kInt64: (*out)[i] = Load<int64_t>(t.constant_data, i); break;
      case DType::kUInt64: (*out)[i] = static_cast<int64_t>(Load<uint64_t>(t.constant_data, i)); break;
      default: {
        double d;
        if (!LoadAsDouble(t, i, &d)) return false;
        if (t.dtype == DType::kFloat32 || t.dtype == DType::kFloat64 || t.dtype == DType::kFloat16) return false;
        (*out)[i] = static_cast<int64_t>(d);
      }
    }
  }
  return true;
}

bool ReadTensorFloats(const Tensor& t, std::vector<double>* out) {
  if (!t.is_constant()) return false;
  const int64_t n = t.num_elements();
  if (n < 0 || static_cast<uint64_t>(n) * DTypeSize(t.dtype) > t.constant_bytes) return false;
  out->resize(static_cast<size_t>(n));
  for (size_t i = 0; i < out->size(); ++i) {
    if (!LoadAsDouble(t, i, &(*out)[i])) return false;
  }
  return true;
}

bool WriteHostInts(const std::vector<int64_t>& v, HostTensor* h) {
  std::vector<double> d(v.begin(), v.end());
  if (h->dtype == DType::kInt64) {
    h->bytes.resize(v.size() * 8);
    for (size_t i = 0; i < v.size(); ++i) Store<int64_t>(&h->bytes, i, v[i]);
    return true;
  }
  return WriteHostFloats(d, h);
}

bool WriteHostFloats(const std::vector<double>& v, HostTensor* h) {
  const size_t elem = DTypeSize(h->dtype);
  h->bytes.assign(v.size() * elem, 0);
  for (size_t i = 0; i < v.size(); ++i) {
    switch (h->dtype) {
      case DType::kFloat32: Store<float>(&h->bytes, i, static_cast<float>(v[i])); break;
      case DType::kFloat64: Store<double>(&h->bytes, i, v[i]); break;
      case DType::kInt32: Store<int32_t>(&h->bytes, i, static_cast<int32_t>(v[i])); break;
      case DType::kInt64: Store<int64_t>(&h->bytes, i, static_cast<int64_t>(v[i])); break;
      case DType::kInt16: Store<int16_t>(&h->bytes, i, static_cast<int16_t>(v[i])); break;
      case DType::kInt8: Store<int8_t>(&h->bytes, i, static_cast<int8_t>(v[i])); break;
      case DType::kUInt8: Store<uint8_t>(&h->bytes, i, static_cast<uint8_t>(v[i])); break;
      case DType::kBool: Store<uint8_t>(&h->bytes, i, v[i] != 0 ? 1 : 0); break;
      case DType::kUInt16: Store<uint16_t>(&h->bytes, i, static_cast<uint16_t>(v[i])); break;
      case DType::kUInt32: Store<uint32_t>(&h->bytes, i, static_cast<uint32_t>(v[i])); break;
      case DType::kUInt64: Store<uint64_t>(&h->bytes, i, static_cast<uint64_t>(v[i])); break;
      default: return false;
    }
  }
  return true;
}

Status Importer::AddNode(Node node) {
  Subgraph& sg = graph.main();
  bool all_const = options.fold_constants && !node.is_custom(kSequenceRnnCustomCode);
  for (int idx : node.inputs) {
    if (idx >= 0 && !sg.tensors[idx].is_constant()) all_const = false;
  }
  if (all_const) {
    Status s = Fold(node);
    // A result too large to hold as a constant stays an op: the model may
    // still be fine to run (and a hostile one cannot make us allocate much).
    if (s.code() != StatusCode::kResourceExhausted) return s;
  }
  sg.nodes.push_back(std::move(node));
  return Status::Ok();
}

Status Importer::Fold(const Node& node) {
  Subgraph& main = graph.main();
  Graph g;
  g.subgraphs.emplace_back();
  Subgraph& s = g.main();
  Node n = node;
  n.inputs.clear();
  n.outputs.clear();
  for (int idx : node.inputs) {
    if (idx < 0) {
      n.inputs.push_back(kNoTensor);
      continue;
    }
    const Tensor& src = main.tensors[idx];
    Tensor t;
    t.name = src.name;
    t.dtype = src.dtype;
    t.shape = src.shape;
    t.constant_data = src.constant_data;
    t.constant_bytes = src.constant_bytes;
    n.inputs.push_back(s.AddTensor(std::move(t)));
  }
  for (int idx : node.outputs) {
    if (idx < 0) {
      n.outputs.push_back(kNoTensor);
      continue;
    }
    Tensor t;
    t.name = main.tensors[idx].name;
    t.dtype = main.tensors[idx].dtype;
    t.shape = main.tensors[idx].shape;
    const int local = s.AddTensor(std::move(t));
    n.outputs.push_back(local);
    s.outputs.push_back(local);
  }
  const std::vector<int> local_outputs = n.outputs;
  s.nodes.push_back(std::move(n));
  auto model = Model::FromGraph(std::move(g));
  if (!model.ok()) return model.status().WithContext("constant folding: ");
  InterpreterOptions limits;
  limits.max_tensor_bytes = kMaxFoldedBytes;
  Interpreter interp(*model, limits);
  Status st = interp.AllocateTensors();
  if (st.ok()) st = interp.Invoke();
  if (!st.ok()) return st.WithContext("constant folding " + NodeOpName(node) + ": ");
  for (size_t k = 0; k < node.outputs.size(); ++k) {
    if (node.outputs[k] < 0) continue;
    const Tensor* r = interp.tensor(local_outputs[k]);
    Tensor& dst = main.tensors[node.outputs[k]];
    const int64_t count = NumElements(r->shape);
    const size_t bytes = static_cast<size_t>(count) * DTypeSize(r->dtype);
    if (count < 0 || (bytes > 0 && (r->data == nullptr || r->bytes < bytes))) {
      return Internal("constant folding " + NodeOpName(node) + " produced no data");
    }
    dst.constant_data = graph.OwnBytes(r->data, bytes);
    dst.constant_bytes = bytes;
    dst.dtype = r->dtype;
    dst.shape = r->shape;
    dst.shape_signature.clear();
  }
  return Status::Ok();
}

namespace {

std::string IssueText(const std::vector<ConvertIssue>& issues) {
  std::string msg = std::to_string(issues.size()) + (issues.size() == 1 ? " node" : " nodes") +
                    " cannot be converted: ";
  for (size_t i = 0; i < issues.size(); ++i) {
    if (i) msg += "; ";
    msg += "node '" + issues[i].node + "' (" + issues[i].op_type + "): " + issues[i].reason;
  }
  return msg;
}

// Kahn's algorithm over value names; models are usually sorted already, but
// the spec does not promise it for every producer.
StatusOr<std::vector<int>> TopologicalOrder(const onnx::GraphProto& g, const std::set<std::string>& available) {
  const int n = g.node_size();
  std::map<std::string, int> producer;
  for (int i = 0; i < n; ++i) {
    for (const auto& o : g.node(i).output()) {
      if (!o.empty()) producer[o] = i;
    }
  }
  std::vector<int> pending(n, 0);
  std::vector<std::vector<int>> users(n);
  for (int i = 0; i < n; ++i) {
    std::set<int> deps;
    for (const auto& in : g.node(i).input()) {
      if (in.empty() || available.count(in)) continue;
      auto it = producer.find(in);
      if (it != producer.end() && it->second != i) deps.insert(it->second);
    }
    pending[i] = static_cast<int>(deps.size());
    for (int d : deps) users[d].push_back(i);
  }
  std::vector<int> order, ready;
  for (int i = n - 1; i >= 0; --i) {
    if (pending[i] == 0) ready.push_back(i);
  }
  while (!ready.empty()) {
    // Smallest index first keeps the model's own order when it is valid.
    auto it = std::min_element(ready.begin(), ready.end());
    const int i = *it;
    ready.erase(it);
    order.push_back(i);
    for (int u : users[i]) {
      if (--pending[u] == 0) ready.push_back(u);
    }
  }
  if (static_cast<int>(order.size()) != n) return InvalidModel("the ONNX graph has a cycle");
  return order;
}

Status AddGraphInput(Importer& im, const onnx::ValueInfoProto& vi) {
  Subgraph& sg = im.graph.main();
  if (!vi.type().has_tensor_type()) return Unsupported("is not a tensor");
  const auto& tt = vi.type().tensor_type();
  Tensor t;
  t.name = vi.name();
  if (!DTypeFromOnnx(tt.elem_type(), &t.dtype)) {
    return Unsupported("has data type " + OnnxTypeName(tt.elem_type()) + ", which rnnlite does not support");
  }
  if (!tt.has_shape()) return Unsupported("has no shape (unknown rank); give its shape in the model");
  Dims dims;
  for (const auto& d : tt.shape().dim()) {
    if (d.has_dim_value()) {
      if (d.dim_value() < 0 || d.dim_value() > INT32_MAX) {
        return InvalidModel("has invalid dim " + std::to_string(d.dim_value()));
      }
      dims.push_back(d.dim_value());
    } else {
      dims.push_back(-1);
    }
  }
  auto over = im.options.input_shapes.find(vi.name());
  if (over != im.options.input_shapes.end()) {
    if (over->second.size() != dims.size()) {
      return InvalidArgument("input_shapes gives rank " + std::to_string(over->second.size()) + ", the model has " +
                             std::to_string(dims.size()));
    }
    for (size_t i = 0; i < dims.size(); ++i) {
      const int64_t want = over->second[i];
      if (want < -1 || want > INT32_MAX) return InvalidArgument("input_shapes has invalid dim");
      if (want >= 0 && dims[i] >= 0 && dims[i] != want) {
        return InvalidArgument("input_shapes sets dim " + std::to_string(i) + " to " + std::to_string(want) +
                               " but the model fixes it to " + std::to_string(dims[i]));
      }
      if (want >= 0) dims[i] = want;
    }
  }
  t.shape = ToShape(dims);
  t.shape_signature = ToSignature(dims);
  const int idx = sg.AddTensor(std::move(t));
  sg.inputs.push_back(idx);
  Value v;
  v.tensor = idx;
  im.values[vi.name()] = v;
  return Status::Ok();
}

// Graph outputs must be distinct tensors carrying the ONNX output names.
Status BindOutputs(Importer& im, const onnx::GraphProto& g) {
  Subgraph& sg = im.graph.main();
  std::set<int> used;
  for (const auto& o : g.output()) {
    auto it = im.values.find(o.name());
    if (it == im.values.end() || it->second.tensor < 0) {
      return InvalidModel("graph output '" + o.name() + "' is not produced by any node");
    }
    int idx = it->second.tensor;
    Tensor& t = sg.tensors[idx];
    const bool is_input = std::find(sg.inputs.begin(), sg.inputs.end(), idx) != sg.inputs.end();
    if (t.name != o.name() || is_input || used.count(idx)) {
      const bool renamable = !is_input && !used.count(idx) && !t.is_constant() &&
                             im.values.count(t.name) && im.values[t.name].tensor == idx &&
                             std::none_of(g.output().begin(), g.output().end(),
                                          [&](const onnx::ValueInfoProto& v) { return v.name() == t.name; });
      if (renamable) {
        t.name = o.name();
      } else {
        // A copy under the output's name (aliases of inputs or of other outputs).
        Tensor copy;
        copy.name = o.name();
        copy.dtype = t.dtype;
        copy.shape = t.shape;
        copy.shape_signature = t.shape_signature;
        const Dims dims = DimsOf(t);
        const int out = sg.AddTensor(std::move(copy));
        Node n;
        n.op = Op::kReshape;
        if (IsStatic(dims) || std::count(dims.begin(), dims.end(), -1) == 1) {
          std::vector<int64_t> shape(dims.begin(), dims.end());
          n.attrs.SetInts("new_shape", shape);
          std::vector<int32_t> s32(shape.begin(), shape.end());
          n.inputs = {idx, im.graph.AddConstant(sg, o.name() + "/shape", DType::kInt32,
                                                {static_cast<int32_t>(s32.size())}, s32.data(), s32.size() * 4)};
        } else {
          Tensor st;
          st.name = o.name() + "/shape";
          st.dtype = DType::kInt32;
          st.shape = {static_cast<int32_t>(dims.size())};
          const int shape_t = sg.AddTensor(std::move(st));
          Node sn;
          sn.op = Op::kShape;
          sn.attrs.SetInt("out_type", static_cast<int64_t>(DType::kInt32));
          sn.inputs = {idx};
          sn.outputs = {shape_t};
          sg.nodes.push_back(std::move(sn));
          n.inputs = {idx, shape_t};
        }
        n.outputs = {out};
        sg.nodes.push_back(std::move(n));
        idx = out;
      }
    }
    used.insert(idx);
    sg.outputs.push_back(idx);
  }
  return Status::Ok();
}

}  // namespace

StatusOr<ConvertResult> ImportOnnx(const onnx::ModelProto& model, const std::string& external_dir,
                                   const ConvertOptions& options, ConvertReport* report_on_error) {
  Importer im(options, external_dir);
  ConvertReport& rep = im.report;
  rep.source_format = "onnx";
  rep.producer = model.producer_name() + (model.producer_version().empty() ? "" : " " + model.producer_version());
  auto fail = [&](Status s) -> StatusOr<ConvertResult> {
    if (report_on_error) *report_on_error = rep;
    return s;
  };

  bool have_default = false;
  for (const auto& os : model.opset_import()) {
    if (os.domain().empty() || os.domain() == "ai.onnx") {
      im.opset = os.version();
      have_default = true;
    }
  }
  if (!have_default) {
    // IR version 2 models predate opset_import and mean opset 1.
    im.opset = 1;
  }
  if (im.opset < 7 || im.opset > 21) {
    return fail(Unsupported("model uses ONNX opset " + std::to_string(im.opset) +
                            "; rnnlite converts opsets 7 to 21 (re-export or run onnx.version_converter)"));
  }
  rep.opset = im.opset;

  const onnx::GraphProto& g = model.graph();
  if (g.sparse_initializer_size() > 0) return fail(Unsupported("sparse initializers are not supported"));
  im.graph.description = "converted from ONNX by rnnlite" + (rep.producer.empty() ? "" : " (producer: " + rep.producer + ")");

  // Initializers first: an input with an initializer is a constant (its
  // default value), as ONNX Runtime treats it without overriding inputs.
  std::set<std::string> defined;
  for (const auto& init : g.initializer()) {
    HostTensor h;
    Status s = ReadTensorProto(init, external_dir, options.max_file_bytes, &h);
    if (!s.ok()) {
      rep.issues.push_back({init.name(), "Initializer", s.message()});
      Value v;
      v.poisoned = true;
      im.values[init.name()] = v;
      defined.insert(init.name());
      continue;
    }
    Shape shape(h.dims.begin(), h.dims.end());
    Value v;
    v.tensor = im.graph.AddConstant(im.graph.main(), init.name(), h.dtype, shape, h.bytes.data(), h.bytes.size());
    im.values[init.name()] = v;
    defined.insert(init.name());
  }
  for (const auto& in : g.input()) {
    if (defined.count(in.name())) continue;
    Status s = AddGraphInput(im, in);
    if (!s.ok()) {
      if (s.code() == StatusCode::kInvalidArgument) return fail(s.WithContext("graph input '" + in.name() + "': "));
      rep.issues.push_back({in.name(), "graph input", s.message()});
      Value v;
      v.poisoned = true;
      im.values[in.name()] = v;
    }
    defined.insert(in.name());
  }
  for (const auto& kv : options.input_shapes) {
    bool found = false;
    for (const auto& in : g.input()) found = found || in.name() == kv.first;
    if (!found) return fail(InvalidArgument("input_shapes names '" + kv.first + "', which is not a graph input"));
  }

  auto order = TopologicalOrder(g, defined);
  if (!order.ok()) return fail(order.status());
  rep.ops_in = g.node_size();
  const auto& table = Converters();
  for (int index : *order) {
    const onnx::NodeProto& node = g.node(index);
    const std::string key = OpTypeKey(node);
    rep.ops_in_by_type[key]++;
    NodeContext ctx(im, node, index);
    auto poison = [&] {
      for (const auto& o : node.output()) {
        if (o.empty()) continue;
        Value v;
        v.poisoned = true;
        im.values[o] = v;
      }
    };
    bool skip = false;
    std::string missing;
    for (const auto& in : node.input()) {
      if (in.empty()) continue;
      auto it = im.values.find(in);
      if (it == im.values.end()) {
        if (missing.empty()) missing = in;
      } else if (it->second.poisoned) {
        skip = true;
      }
    }
    if (!missing.empty()) {
      rep.issues.push_back({ctx.label(), key,
                            "input '" + missing + "' is not a graph input, an initializer or the output of any node"});
      poison();
      continue;
    }
    if (skip) {  // its input already has an issue; don't report twice
      poison();
      continue;
    }
    // Every ONNX op has at least one output and converters name their result
    // after output 0: a (hostile) node without one must not reach them.
    if (node.output_size() == 0) {
      rep.issues.push_back({ctx.label(), key, "node has no outputs"});
      continue;
    }
    auto conv = table.find(key);
    if (conv == table.end()) {
      const bool default_domain = node.domain().empty() || node.domain() == "ai.onnx";
      rep.issues.push_back({ctx.label(), key,
                            default_domain ? "unsupported op (see docs/convert.md for the supported ops)"
                                           : "op of domain '" + node.domain() + "' is not supported"});
      poison();
      continue;
    }
    const size_t nodes_before = im.graph.main().nodes.size();
    Status s;
    try {
      s = conv->second(ctx);
    } catch (const std::bad_alloc&) {
      s = ResourceExhausted("out of memory");
    }
    if (s.ok() && !ctx.shape_error().empty()) s = InvalidArgument(ctx.shape_error());
    for (int i = 0; s.ok() && i < node.output_size(); ++i) {
      if (!node.output(i).empty() && !im.values.count(node.output(i))) {
        s = Unsupported("output " + std::to_string(i) + " ('" + node.output(i) + "') is not supported");
      }
    }
    if (!s.ok()) {
      rep.issues.push_back({ctx.label(), key, s.message()});
      poison();
      continue;
    }
    if (im.graph.main().nodes.size() == nodes_before) {
      bool all_const = true;
      for (const auto& o : node.output()) {
        if (o.empty()) continue;
        const int t = im.values[o].tensor;
        all_const = all_const && t >= 0 && im.graph.main().tensors[t].is_constant();
      }
      if (all_const) rep.folded_nodes++;
    }
  }

  if (rep.issues.empty()) {
    Status s = BindOutputs(im, g);
    if (!s.ok()) return fail(s);
  }
  if (!rep.issues.empty()) return fail(Unsupported(IssueText(rep.issues)));

  Subgraph& sg = im.graph.main();
  if (options.fold_rnn_glue) rep.folded_rnn_glue = FoldRnnOutputGlue(sg, im.merge_last_two);
  CancelTransposePairs(sg);
  CollapseReshapeChains(sg);
  const size_t before = sg.nodes.size();
  RemoveDeadNodes(sg);
  CompactTensors(sg);
  rep.removed_nodes = static_cast<int>(before - sg.nodes.size());
  Status valid = ValidateGraph(im.graph);
  if (!valid.ok()) return fail(Internal("converted graph is invalid: " + valid.message()));

  rep.ops_out = static_cast<int>(sg.nodes.size());
  for (const Node& n : sg.nodes) {
    rep.ops_out_by_type[NodeOpName(n)]++;
    if (n.is_custom(kSequenceRnnCustomCode)) rep.recurrent_layers++;
  }
  ConvertResult result{std::move(im.graph), rep};
  return result;
}

}  // namespace rnnlite::onnx_import
