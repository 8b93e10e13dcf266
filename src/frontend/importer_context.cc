// NodeContext: what op converters see of the importer (inputs, attributes,
// outputs, emitting and folding), plus the dims helpers.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "frontend/importer_state.h"
#include "rnnlite/interpreter.h"
#include "rnnlite/model.h"

namespace rnnlite::onnx_import {

// --- dims helpers ------------------------------------------------------------

Dims DimsOf(const Tensor& t) {
  Dims d(t.shape.begin(), t.shape.end());
  if (t.shape_signature.size() == t.shape.size()) {
    for (size_t i = 0; i < d.size(); ++i) {
      if (t.shape_signature[i] < 0) d[i] = -1;
    }
  }
  return d;
}

Shape ToShape(const Dims& dims) {
  Shape s;
  for (int64_t d : dims) s.push_back(d < 0 ? 1 : static_cast<int32_t>(d));
  return s;
}

Shape ToSignature(const Dims& dims) {
  if (IsStatic(dims)) return {};
  Shape s;
  for (int64_t d : dims) s.push_back(d < 0 ? -1 : static_cast<int32_t>(d));
  return s;
}

bool IsStatic(const Dims& dims) {
  return std::all_of(dims.begin(), dims.end(), [](int64_t d) { return d >= 0; });
}

int64_t Product(const Dims& dims) {
  int64_t p = 1;
  for (int64_t d : dims) {
    if (d < 0) return -1;
    p *= d;
  }
  return p;
}

std::string DimsToString(const Dims& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i) s += ", ";
    s += dims[i] < 0 ? std::string("?") : std::to_string(dims[i]);
  }
  return s + "]";
}

Status BroadcastDims(const Dims& a, const Dims& b, Dims* out) {
  const size_t rank = std::max(a.size(), b.size());
  Dims r(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t x = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const int64_t y = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (x == 1) r[i] = y;
    else if (y == 1) r[i] = x;
    else if (x == y) r[i] = x;
    else if (x < 0) r[i] = y;
    else if (y < 0) r[i] = x;
    else return InvalidArgument("shapes " + DimsToString(a) + " and " + DimsToString(b) + " do not broadcast");
  }
  *out = std::move(r);
  return Status::Ok();
}

Status NormalizeAxis(int64_t axis, int64_t rank, int64_t* out) {
  if (axis < -rank || axis >= rank) {
    return InvalidArgument("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  }
  *out = axis < 0 ? axis + rank : axis;
  return Status::Ok();
}

// --- NodeContext -------------------------------------------------------------

NodeContext::NodeContext(Importer& im, const onnx::NodeProto& node, int index)
    : im_(im), node_(node), index_(index) {}

int64_t NodeContext::opset() const { return im_.opset; }

std::string NodeContext::label() const {
  return node_.name().empty() ? "#" + std::to_string(index_) : node_.name();
}

const Value& NodeContext::value(int i) const {
  static const Value kAbsent;
  if (!has_input(i)) return kAbsent;
  auto it = im_.values.find(node_.input(i));
  return it == im_.values.end() ? kAbsent : it->second;
}

int NodeContext::input(int i) const { return value(i).tensor; }

const Tensor& NodeContext::tensor(int i) const {
  static const Tensor kEmpty;
  const int t = input(i);
  return t < 0 ? kEmpty : im_.graph.main().tensors[t];
}

StatusOr<std::vector<int64_t>> NodeContext::ConstInts(int i) const {
  if (!is_const(i)) return Unsupported("input " + std::to_string(i) + " ('" + node_.input(i) + "') must be a constant");
  std::vector<int64_t> v;
  if (!ReadTensorInts(tensor(i), &v)) {
    return Unsupported("input " + std::to_string(i) + " has dtype " + DTypeName(dtype(i)) + ", expected integers");
  }
  return v;
}

StatusOr<std::vector<double>> NodeContext::ConstFloats(int i) const {
  if (!is_const(i)) return Unsupported("input " + std::to_string(i) + " ('" + node_.input(i) + "') must be a constant");
  std::vector<double> v;
  if (!ReadTensorFloats(tensor(i), &v)) {
    return Unsupported("input " + std::to_string(i) + " has dtype " + DTypeName(dtype(i)) + ", expected numbers");
  }
  return v;
}

std::optional<std::vector<int64_t>> NodeContext::KnownInts(int i) const {
  if (!has_input(i)) return std::nullopt;
  if (is_const(i)) {
    std::vector<int64_t> v;
    if (ReadTensorInts(tensor(i), &v)) return v;
    return std::nullopt;
  }
  const Value& v = value(i);
  if (v.has_partial) return v.partial;
  return std::nullopt;
}

Status NodeContext::RequireInputs(int min_count, int max_count) const {
  int present_prefix = num_inputs();
  if (present_prefix < min_count) {
    return InvalidArgument("has " + std::to_string(present_prefix) + " inputs, needs at least " + std::to_string(min_count));
  }
  for (int i = 0; i < min_count; ++i) {
    if (!has_input(i)) return InvalidArgument("required input " + std::to_string(i) + " is missing");
  }
  for (int i = max_count; i < present_prefix; ++i) {
    if (has_input(i)) return Unsupported("input " + std::to_string(i) + " is not supported");
  }
  return Status::Ok();
}

const onnx::AttributeProto* NodeContext::attr(const std::string& name) const {
  for (const auto& a : node_.attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

int64_t NodeContext::GetInt(const std::string& name, int64_t fallback) const {
  const auto* a = attr(name);
  return a ? a->i() : fallback;
}

double NodeContext::GetFloat(const std::string& name, double fallback) const {
  const auto* a = attr(name);
  return a ? a->f() : fallback;
}

std::string NodeContext::GetString(const std::string& name, const std::string& fallback) const {
  const auto* a = attr(name);
  return a ? a->s() : fallback;
}

std::vector<int64_t> NodeContext::GetInts(const std::string& name) const {
  const auto* a = attr(name);
  if (!a) return {};
  return std::vector<int64_t>(a->ints().begin(), a->ints().end());
}

std::vector<double> NodeContext::GetFloats(const std::string& name) const {
  const auto* a = attr(name);
  if (!a) return {};
  return std::vector<double>(a->floats().begin(), a->floats().end());
}

std::vector<std::string> NodeContext::GetStrings(const std::string& name) const {
  const auto* a = attr(name);
  if (!a) return {};
  return std::vector<std::string>(a->strings().begin(), a->strings().end());
}

Status NodeContext::GetTensor(const std::string& name, HostTensor* out) const {
  const auto* a = attr(name);
  if (!a || !a->has_t()) return InvalidArgument("attribute '" + name + "' holds no tensor");
  return ReadTensorProto(a->t(), im_.external_dir, im_.options.max_file_bytes, out);
}

Status NodeContext::CheckAttributes(std::initializer_list<const char*> known) const {
  for (const auto& a : node_.attribute()) {
    bool ok = false;
    for (const char* k : known) ok = ok || a.name() == k;
    if (!ok) return Unsupported("attribute '" + a.name() + "' is not supported");
  }
  return Status::Ok();
}

void NodeContext::CheckDims(const std::string& tensor, const Dims& dims) {
  if (!shape_error_.empty()) return;
  for (int64_t d : dims) {
    if (d > INT32_MAX) {
      shape_error_ = "tensor '" + tensor + "' would have dim " + std::to_string(d) + " (shape " +
                     DimsToString(dims) + "), more than a .tflite shape holds (2^31 - 1)";
      return;
    }
  }
}

int NodeContext::Output(int i, DType dtype, const Dims& dims) {
  CheckDims(node_.output(i), dims);
  Tensor t;
  t.name = node_.output(i);
  t.dtype = dtype;
  t.shape = ToShape(dims);
  t.shape_signature = ToSignature(dims);
  const int idx = im_.graph.main().AddTensor(std::move(t));
  Value v;
  v.tensor = idx;
  im_.values[node_.output(i)] = v;
  return idx;
}

void NodeContext::Alias(int i, int tensor) {
  Value v;
  // Keep what is known about the source value (partial contents, zeros).
  for (int k = 0; k < num_inputs(); ++k) {
    if (input(k) == tensor) {
      v = value(k);
      break;
    }
  }
  v.tensor = tensor;
  v.poisoned = false;
  im_.values[node_.output(i)] = v;
}

Value& NodeContext::out_value(int i) { return im_.values[node_.output(i)]; }

void NodeContext::SetPartial(int i, std::vector<int64_t> partial) {
  Value& v = out_value(i);
  Tensor& t = im_.graph.main().tensors[v.tensor];
  if (t.is_constant()) return;
  const bool all_known =
      std::none_of(partial.begin(), partial.end(), [](int64_t x) { return x == kUnknownValue; });
  if (all_known) {
    // Fully known: the value becomes a constant; its producers die later.
    HostTensor h;
    h.dtype = t.dtype;
    h.dims = DimsOf(t);
    if (WriteHostInts(partial, &h) && h.num_elements() == static_cast<int64_t>(partial.size())) {
      t.constant_data = im_.graph.OwnBytes(h.bytes.data(), h.bytes.size());
      t.constant_bytes = h.bytes.size();
      t.shape = ToShape(h.dims);
      t.shape_signature.clear();
      return;
    }
  }
  v.has_partial = true;
  v.partial = std::move(partial);
}

void NodeContext::SetKnownZero(int i) { out_value(i).known_zero = true; }

int NodeContext::Temp(const std::string& suffix, DType dtype, const Dims& dims) {
  Tensor t;
  t.name = (num_outputs() > 0 ? node_.output(0) : label()) + "/" + suffix;
  CheckDims(t.name, dims);
  t.dtype = dtype;
  t.shape = ToShape(dims);
  t.shape_signature = ToSignature(dims);
  return im_.graph.main().AddTensor(std::move(t));
}

int NodeContext::Const(const std::string& suffix, const HostTensor& value) {
  const std::string base = num_outputs() > 0 ? node_.output(0) : label();
  CheckDims(base + "/" + suffix, value.dims);
  Shape shape;
  for (int64_t d : value.dims) shape.push_back(static_cast<int32_t>(d));
  return im_.graph.AddConstant(im_.graph.main(), base + "/" + suffix, value.dtype, shape, value.bytes.data(),
                               value.bytes.size());
}

int NodeContext::ConstI32(const std::string& suffix, const std::vector<int32_t>& v, bool scalar) {
  HostTensor h;
  h.dtype = DType::kInt32;
  if (!scalar) h.dims = {static_cast<int64_t>(v.size())};
  h.bytes.resize(v.size() * 4);
  if (!v.empty()) std::memcpy(h.bytes.data(), v.data(), h.bytes.size());
  return Const(suffix, h);
}

int NodeContext::ConstI64(const std::string& suffix, const std::vector<int64_t>& v, bool scalar) {
  HostTensor h;
  h.dtype = DType::kInt64;
  if (!scalar) h.dims = {static_cast<int64_t>(v.size())};
  h.bytes.resize(v.size() * 8);
  if (!v.empty()) std::memcpy(h.bytes.data(), v.data(), h.bytes.size());
  return Const(suffix, h);
}

int NodeContext::ConstF32(const std::string& suffix, const std::vector<float>& v, const Dims& dims) {
  HostTensor h;
  h.dtype = DType::kFloat32;
  h.dims = dims;
  h.bytes.resize(v.size() * 4);
  if (!v.empty()) std::memcpy(h.bytes.data(), v.data(), h.bytes.size());
  return Const(suffix, h);
}

StatusOr<int> NodeContext::ConstScalar(const std::string& suffix, DType dtype, double v) {
  HostTensor h;
  h.dtype = dtype;
  if (!WriteHostFloats({v}, &h)) return Unsupported("no scalar constant of dtype " + DTypeName(dtype));
  return Const(suffix, h);
}

Status NodeContext::Emit(Op op, std::vector<int> inputs, std::vector<int> outputs, AttrMap attrs) {
  Node n;
  n.op = op;
  n.inputs = std::move(inputs);
  n.outputs = std::move(outputs);
  n.attrs = std::move(attrs);
  return im_.AddNode(std::move(n));
}

Status NodeContext::EmitCustom(const std::string& code, std::vector<int> inputs, std::vector<int> outputs,
                               AttrMap attrs) {
  Node n;
  n.op = Op::kCustom;
  n.custom_code = code;
  n.inputs = std::move(inputs);
  n.outputs = std::move(outputs);
  n.attrs = std::move(attrs);
  return im_.AddNode(std::move(n));
}

StatusOr<int> NodeContext::Unary(Op op, int x, DType dtype, const Dims& out_dims, const std::string& suffix,
                                 AttrMap attrs) {
  const int out = Temp(suffix, dtype, out_dims);
  RNNLITE_RETURN_IF_ERROR(Emit(op, {x}, {out}, std::move(attrs)));
  return out;
}

StatusOr<int> NodeContext::Binary(Op op, int a, int b, DType dtype, const Dims& out_dims, const std::string& suffix) {
  const int out = Temp(suffix, dtype, out_dims);
  RNNLITE_RETURN_IF_ERROR(Emit(op, {a, b}, {out}));
  return out;
}

StatusOr<int> NodeContext::Reshape(int x, const Dims& dims, const std::string& suffix) {
  if (std::count_if(dims.begin(), dims.end(), [](int64_t d) { return d < 0; }) > 1) {
    return Unsupported("reshape to " + DimsToString(dims) + " needs more than one dynamic dim");
  }
  std::vector<int32_t> shape;
  for (int64_t d : dims) shape.push_back(d < 0 ? -1 : static_cast<int32_t>(d));
  const Tensor& src = sg().tensors[x];
  const int out = Temp(suffix, src.dtype, dims);
  AttrMap a;
  a.SetInts("new_shape", std::vector<int64_t>(shape.begin(), shape.end()));
  RNNLITE_RETURN_IF_ERROR(Emit(Op::kReshape, {x, ConstI32(suffix + "_shape", shape)}, {out}, std::move(a)));
  return out;
}

StatusOr<int> NodeContext::Transpose(int x, const std::vector<int64_t>& perm, const std::string& suffix) {
  const Tensor& src = sg().tensors[x];
  const Dims in = DimsOf(src);
  if (perm.size() != in.size()) return InvalidArgument("transpose perm rank mismatch");
  Dims out_dims;
  std::vector<int32_t> p32;
  for (int64_t p : perm) {
    out_dims.push_back(in[p]);
    p32.push_back(static_cast<int32_t>(p));
  }
  const int out = Temp(suffix, src.dtype, out_dims);
  RNNLITE_RETURN_IF_ERROR(Emit(Op::kTranspose, {x, ConstI32(suffix + "_perm", p32)}, {out}));
  return out;
}

void NodeContext::MarkMergesLastTwo(int tensor) { im_.merge_last_two.insert(tensor); }

Graph& NodeContext::graph() { return im_.graph; }
Subgraph& NodeContext::sg() { return im_.graph.main(); }
void NodeContext::Note(const std::string& note) { im_.report.notes.push_back(label() + ": " + note); }

}  // namespace rnnlite::onnx_import
