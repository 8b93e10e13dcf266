// ONNX LSTM / GRU / RNN -> one SequenceRnn node each (src/core/sequence_rnn.h).
//
// Gate orders differ: ONNX LSTM is i, o, f, c and GRU z, r, h; rnnlite's
// canonical orders are LSTM i, f, g, o and GRU r, z, n. ONNX peepholes are
// i, o, f; rnnlite's i, f, o. Constant weights are reordered here, once;
// weights fed at run time (ONNX allows that) go through a GATHER along the
// gate axis instead. ONNX's B = [Wb, Rb] is split into the two bias slots.
// Y, Y_h and Y_c keep ONNX's stacked layouts (RnnOutputLayout::kStacked,
// RnnStateLayout::kStacked), for layout 0 (time-major) and 1 (batch-major).
#include <algorithm>
#include <cctype>
#include <cstring>

#include "core/sequence_rnn.h"
#include "frontend/importer.h"

namespace rnnlite::onnx_import {
namespace {

namespace in = seq_rnn_input;
namespace out = seq_rnn_output;

// rnnlite gate k is ONNX gate kPerm[k].
std::vector<int64_t> GatePerm(RnnCell cell) {
  switch (cell) {
    case RnnCell::kLstm: return {0, 2, 3, 1};  // i f g o <- i o f c
    case RnnCell::kGru: return {1, 0, 2};      // r z n <- z r h
    default: return {0};
  }
}

// Row indices (along axis 1 of a [D, G*H, ...] tensor) that put the gates
// in rnnlite's order; `offset` skips a leading block (Rb inside B).
std::vector<int32_t> GateRows(const std::vector<int64_t>& perm, int64_t h, int64_t offset) {
  std::vector<int32_t> rows;
  for (int64_t g : perm) {
    for (int64_t r = 0; r < h; ++r) rows.push_back(static_cast<int32_t>(offset + g * h + r));
  }
  return rows;
}

// Host-side reorder of a constant [D, N, cols] (N rows per direction) into
// [D, rows.size(), cols] taking the given rows.
HostTensor PickRows(const Tensor& t, int64_t d, int64_t n, int64_t cols, const std::vector<int32_t>& rows) {
  const size_t elem = DTypeSize(t.dtype);
  const size_t row_bytes = static_cast<size_t>(cols) * elem;
  HostTensor h;
  h.dtype = t.dtype;
  h.dims = {d, static_cast<int64_t>(rows.size())};
  if (cols != 1 || t.shape.size() == 3) h.dims.push_back(cols);
  h.bytes.resize(static_cast<size_t>(d) * rows.size() * row_bytes);
  for (int64_t dir = 0; dir < d; ++dir) {
    for (size_t k = 0; k < rows.size(); ++k) {
      const uint8_t* src = t.constant_data + (static_cast<size_t>(dir * n + rows[k])) * row_bytes;
      std::memcpy(h.bytes.data() + (static_cast<size_t>(dir) * rows.size() + k) * row_bytes, src, row_bytes);
    }
  }
  return h;
}

struct RnnBuild {
  NodeContext& c;
  int64_t d;   // directions
  int64_t h;   // hidden size
  std::vector<int64_t> perm;

  // Input i as [D, rows.size(), cols] in rnnlite order (cols = 1 and
  // `flat` for 2-D inputs such as biases).
  StatusOr<int> Reordered(int i, int64_t n, int64_t cols, const std::vector<int32_t>& rows, const std::string& tag) {
    const Tensor& t = c.tensor(i);
    const bool two_d = t.shape.size() == 2;
    if (t.is_constant()) {
      HostTensor host = PickRows(t, d, n, two_d ? 1 : cols, rows);
      if (two_d) host.dims.resize(2);
      return c.Const(tag, host);
    }
    Dims od = {d, static_cast<int64_t>(rows.size())};
    if (!two_d) od.push_back(cols);
    const int y = c.Temp(tag, t.dtype, od);
    AttrMap a;
    a.SetInt("axis", 1);
    RNNLITE_RETURN_IF_ERROR(c.Emit(Op::kGather, {c.input(i), c.ConstI32(tag + "_rows", rows)}, {y}, std::move(a)));
    return y;
  }
};

bool NeedsAlpha(RnnActivation a) {
  return a == RnnActivation::kAffine || a == RnnActivation::kLeakyRelu || a == RnnActivation::kThresholdedRelu ||
         a == RnnActivation::kScaledTanh || a == RnnActivation::kHardSigmoid || a == RnnActivation::kElu;
}
bool NeedsBeta(RnnActivation a) {
  return a == RnnActivation::kAffine || a == RnnActivation::kScaledTanh || a == RnnActivation::kHardSigmoid;
}

// ONNX activations + alpha/beta lists -> per-direction specs. alpha and
// beta values are consumed in order, only by activations that use them
// (as onnxruntime does); missing ones take the documented defaults.
Status ParseActivations(NodeContext& c, const SequenceRnnParams& p, std::vector<RnnActivationSpec>* specs) {
  const auto names = c.GetStrings("activations");
  const auto alphas = c.GetFloats("activation_alpha");
  const auto betas = c.GetFloats("activation_beta");
  const size_t per_dir = static_cast<size_t>(p.activations_per_direction());
  const size_t dirs = static_cast<size_t>(p.num_directions());
  specs->clear();
  if (names.empty()) {
    if (!alphas.empty() || !betas.empty()) return InvalidArgument("activation_alpha/beta given without activations");
    return Status::Ok();  // FromAttrs fills the defaults
  }
  if (names.size() != per_dir && names.size() != per_dir * dirs) {
    return InvalidArgument("activations lists " + std::to_string(names.size()) + " functions, expected " +
                           std::to_string(per_dir * dirs));
  }
  size_t ia = 0, ib = 0;
  for (const std::string& name : names) {
    RnnActivation kind;
    if (!ParseRnnActivationName(name, &kind)) return Unsupported("activation '" + name + "' is not supported");
    RnnActivationSpec s = DefaultRnnActivation(kind);
    if (NeedsAlpha(kind) && ia < alphas.size()) s.alpha = static_cast<float>(alphas[ia++]);
    if (NeedsBeta(kind) && ib < betas.size()) s.beta = static_cast<float>(betas[ib++]);
    specs->push_back(s);
  }
  if (specs->size() == per_dir && dirs == 2) {
    // One set given for a bidirectional layer: both directions use it.
    for (size_t i = 0; i < per_dir; ++i) specs->push_back((*specs)[i]);
  }
  return Status::Ok();
}

Status ConvertRecurrent(NodeContext& c, RnnCell cell) {
  const bool lstm = cell == RnnCell::kLstm, gru = cell == RnnCell::kGru;
  if (lstm) {
    RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"activation_alpha", "activation_beta", "activations", "clip", "direction",
                                               "hidden_size", "input_forget", "layout"}));
  } else if (gru) {
    RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"activation_alpha", "activation_beta", "activations", "clip", "direction",
                                               "hidden_size", "layout", "linear_before_reset"}));
  } else {
    RNNLITE_RETURN_IF_ERROR(c.CheckAttributes({"activation_alpha", "activation_beta", "activations", "clip", "direction",
                                               "hidden_size", "layout"}));
  }
  RNNLITE_RETURN_IF_ERROR(c.RequireInputs(3, lstm ? 8 : 6));
  const DType dt = c.dtype(0);
  if (dt != DType::kFloat32 && dt != DType::kFloat64) {
    return Unsupported("dtype " + DTypeName(dt) + " is not supported (float32, float64)");
  }
  for (int i : {1, 2, 3, 5, 6, 7}) {
    if (c.has_input(i) && c.dtype(i) != dt) {
      return InvalidArgument("input " + std::to_string(i) + " has dtype " + DTypeName(c.dtype(i)) + ", X has " + DTypeName(dt));
    }
  }

  SequenceRnnParams p;
  p.cell = cell;
  const std::string dir = c.GetString("direction", "forward");
  if (dir == "forward") p.direction = RnnDirection::kForward;
  else if (dir == "reverse") p.direction = RnnDirection::kReverse;
  else if (dir == "bidirectional") p.direction = RnnDirection::kBidirectional;
  else return Unsupported("direction '" + dir + "' is not supported");
  const int64_t layout = c.GetInt("layout", 0);
  if (layout != 0 && layout != 1) return Unsupported("layout " + std::to_string(layout) + " is not supported");
  p.time_major = layout == 0;
  const int64_t d = p.num_directions(), g = p.num_gates();

  const Dims x = c.dims(0), w = c.dims(1), r = c.dims(2);
  if (x.size() != 3) return InvalidArgument("X must be 3-D, got " + DimsToString(x));
  if (w.size() != 3 || r.size() != 3) return InvalidArgument("W and R must be 3-D");
  if (w[0] >= 0 && w[0] != d) return InvalidArgument("W has " + std::to_string(w[0]) + " directions, direction=" + dir);
  int64_t h = c.GetInt("hidden_size", 0);
  if (!c.has_attr("hidden_size")) h = r[2];
  if (h <= 0) return InvalidArgument("hidden_size is unknown or not positive");
  if (w[1] != g * h || r[1] != g * h || r[2] != h) {
    return InvalidArgument("W " + DimsToString(w) + " / R " + DimsToString(r) + " do not match hidden_size " +
                           std::to_string(h) + " with " + std::to_string(g) + " gates");
  }
  const int64_t isz = w[2];
  if (isz < 0 || (x[2] >= 0 && x[2] != isz)) return InvalidArgument("X " + DimsToString(x) + " does not match W " + DimsToString(w));
  p.hidden_size = static_cast<int32_t>(h);
  if (gru) p.linear_before_reset = c.GetInt("linear_before_reset", 0) != 0;
  if (lstm) p.input_forget = c.GetInt("input_forget", 0) != 0;
  if (c.has_attr("clip")) {
    const double clip = c.GetFloat("clip", 0);
    if (!(clip > 0)) return InvalidArgument("clip must be positive, got " + std::to_string(clip));
    p.gate_clip = static_cast<float>(clip);
  }
  RNNLITE_RETURN_IF_ERROR(ParseActivations(c, p, &p.activations));

  RnnBuild b{c, d, h, GatePerm(cell)};
  std::vector<int> ins(in::kCount, kNoTensor);
  ins[in::kX] = c.input(0);
  const auto rows = GateRows(b.perm, h, 0);
  RNNLITE_ASSIGN_OR_RETURN(ins[in::kW], b.Reordered(1, g * h, isz, rows, "w"));
  RNNLITE_ASSIGN_OR_RETURN(ins[in::kR], b.Reordered(2, g * h, h, rows, "r"));
  if (c.has_input(3)) {
    const Dims bd = c.dims(3);
    if (bd.size() != 2 || bd[0] != d || bd[1] != 2 * g * h) {
      return InvalidArgument("B " + DimsToString(bd) + ", expected [" + std::to_string(d) + ", " + std::to_string(2 * g * h) + "]");
    }
    RNNLITE_ASSIGN_OR_RETURN(ins[in::kWb], b.Reordered(3, 2 * g * h, 1, rows, "wb"));
    RNNLITE_ASSIGN_OR_RETURN(ins[in::kRb], b.Reordered(3, 2 * g * h, 1, GateRows(b.perm, h, g * h), "rb"));
  }
  const int64_t batch = p.time_major ? x[1] : x[0];
  if (c.has_input(4)) {
    const Dims sd = c.dims(4);
    if (sd.size() != 1 || (sd[0] >= 0 && batch >= 0 && sd[0] != batch)) {
      return InvalidArgument("sequence_lens " + DimsToString(sd) + " does not match batch " + std::to_string(batch));
    }
    if (c.dtype(4) != DType::kInt32 && c.dtype(4) != DType::kInt64) return InvalidArgument("sequence_lens must be int32");
    ins[in::kSeqLens] = c.input(4);
  }
  const Dims state = p.time_major ? Dims{d, batch, h} : Dims{batch, d, h};
  for (int i : {5, 6}) {
    if (i == 6 && !lstm) break;
    if (!c.has_input(i) || c.value(i).known_zero) continue;  // zeros = absent
    const Dims sd = c.dims(i);
    bool ok = sd.size() == 3;
    for (size_t k = 0; ok && k < 3; ++k) ok = sd[k] < 0 || state[k] < 0 || sd[k] == state[k];
    if (!ok) {
      return InvalidArgument(std::string(i == 5 ? "initial_h " : "initial_c ") + DimsToString(sd) + ", expected " +
                             DimsToString(state));
    }
    ins[i == 5 ? in::kH0 : in::kC0] = c.input(i);
  }
  if (lstm && c.has_input(7)) {
    const Dims pd = c.dims(7);
    if (pd.size() != 2 || pd[0] != d || pd[1] != 3 * h) return InvalidArgument("P " + DimsToString(pd) + " is not [D, 3*H]");
    RNNLITE_ASSIGN_OR_RETURN(int peep, b.Reordered(7, 3 * h, 1, GateRows({0, 2, 1}, h, 0), "p"));
    // [D, 3H] -> [D, 3, H]
    RNNLITE_ASSIGN_OR_RETURN(ins[in::kPeephole], c.Reshape(peep, {d, 3, h}, "peephole"));
  }

  const int64_t t = p.time_major ? x[0] : x[1];
  std::vector<int> outs(lstm ? 3 : 2, kNoTensor);
  if (c.has_output(0)) outs[out::kY] = c.Output(0, dt, p.time_major ? Dims{t, d, batch, h} : Dims{batch, t, d, h});
  if (c.has_output(1)) outs[out::kYh] = c.Output(1, dt, state);
  if (lstm && c.has_output(2)) outs[out::kYc] = c.Output(2, dt, state);
  while (!outs.empty() && outs.back() < 0) outs.pop_back();
  if (outs.empty()) {
    c.Note("recurrent layer has no used outputs");
    return Status::Ok();
  }
  while (!ins.empty() && ins.back() < 0) ins.pop_back();
  AttrMap attrs;
  p.ToAttrs(&attrs);
  auto check = SequenceRnnParams::FromAttrs(attrs);
  if (!check.ok()) return check.status();
  return c.EmitCustom(kSequenceRnnCustomCode, ins, outs, std::move(attrs));
}

Status ConvertLstm(NodeContext& c) { return ConvertRecurrent(c, RnnCell::kLstm); }
Status ConvertGru(NodeContext& c) { return ConvertRecurrent(c, RnnCell::kGru); }
Status ConvertRnn(NodeContext& c) { return ConvertRecurrent(c, RnnCell::kRnn); }

}  // namespace

void RegisterRecurrentConverters(ConverterTable& t) {
  t["LSTM"] = ConvertLstm;
  t["GRU"] = ConvertGru;
  t["RNN"] = ConvertRnn;
}

}  // namespace rnnlite::onnx_import
