// Shared by the ONNX conversion tests: convert, write .tflite, load it back,
// run it on the CPU interpreter, compare with reference outputs.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "rnnlite/convert.h"
#include "rnnlite/interpreter.h"
#include "rnnlite/model.h"

namespace rnnlite::onnx_test {

// A value fed to or read from a graph.
struct HostValue {
  std::string name;
  DType dtype = DType::kFloat32;
  std::vector<int64_t> dims;
  std::vector<uint8_t> bytes;
};

inline HostValue FromOnnx(const OnnxTensorData& t) { return {t.name, t.dtype, t.dims, t.bytes}; }

// Writes `graph` as .tflite, loads it back (the path a user takes) and runs
// it with `inputs` (matched by position). Fails the test on any error.
inline std::vector<HostValue> RunThroughTflite(const Graph& graph, const std::vector<HostValue>& inputs) {
  std::vector<HostValue> outputs;
  auto bytes = WriteTflite(graph);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  if (!bytes.ok()) return outputs;
  auto model = Model::FromBuffer(bytes->data(), bytes->size());
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  if (!model.ok()) return outputs;
  Interpreter interp(*model);
  EXPECT_EQ(interp.inputs().size(), inputs.size());
  if (interp.inputs().size() != inputs.size()) return outputs;
  for (size_t i = 0; i < inputs.size(); ++i) {
    Shape shape(inputs[i].dims.begin(), inputs[i].dims.end());
    if (interp.input_tensor(i)->shape != shape) {
      Status s = interp.ResizeInputTensor(interp.inputs()[i], shape);
      EXPECT_TRUE(s.ok()) << "input " << i << ": " << s.ToString();
      if (!s.ok()) return outputs;
    }
  }
  Status s = interp.AllocateTensors();
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return outputs;
  for (size_t i = 0; i < inputs.size(); ++i) {
    Tensor* t = interp.input_tensor(i);
    EXPECT_EQ(t->dtype, inputs[i].dtype) << "input " << i;
    EXPECT_EQ(t->bytes, inputs[i].bytes.size()) << "input " << i;
    if (t->dtype != inputs[i].dtype || t->bytes != inputs[i].bytes.size()) return outputs;
    if (t->bytes) std::memcpy(t->data, inputs[i].bytes.data(), t->bytes);
  }
  s = interp.Invoke();
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return outputs;
  for (size_t i = 0; i < interp.outputs().size(); ++i) {
    const Tensor* t = interp.output_tensor(i);
    HostValue v;
    v.name = t->name;
    v.dtype = t->dtype;
    v.dims.assign(t->shape.begin(), t->shape.end());
    const size_t n = static_cast<size_t>(NumElements(t->shape)) * DTypeSize(t->dtype);
    v.bytes.assign(t->data, t->data + n);
    outputs.push_back(std::move(v));
  }
  return outputs;
}

inline std::vector<double> AsDoubles(const HostValue& v) {
  std::vector<double> out;
  const size_t elem = DTypeSize(v.dtype);
  for (size_t i = 0; elem && i < v.bytes.size() / elem; ++i) {
    const uint8_t* p = v.bytes.data() + i * elem;
    double d = 0;
    switch (v.dtype) {
      case DType::kFloat32: { float f; std::memcpy(&f, p, 4); d = f; break; }
      case DType::kFloat64: std::memcpy(&d, p, 8); break;
      case DType::kInt32: { int32_t x; std::memcpy(&x, p, 4); d = x; break; }
      case DType::kInt64: { int64_t x; std::memcpy(&x, p, 8); d = static_cast<double>(x); break; }
      default: ADD_FAILURE() << "unexpected dtype " << DTypeName(v.dtype); return out;
    }
    out.push_back(d);
  }
  return out;
}

// |got - want| <= atol + rtol * |want| everywhere; same dims.
inline void ExpectClose(const HostValue& got, const HostValue& want, double atol, double rtol,
                        const std::string& what) {
  ASSERT_EQ(got.dims, want.dims) << what;
  const auto g = AsDoubles(got), w = AsDoubles(want);
  ASSERT_EQ(g.size(), w.size()) << what;
  double worst = 0;
  size_t bad = 0, first_bad = 0;
  for (size_t i = 0; i < g.size(); ++i) {
    const double err = std::fabs(g[i] - w[i]);
    worst = std::max(worst, err);
    if (!(err <= atol + rtol * std::fabs(w[i]))) {
      if (bad++ == 0) first_bad = i;
    }
  }
  EXPECT_EQ(bad, 0u) << what << ": " << bad << " of " << g.size() << " elements off; first at " << first_bad
                     << " got " << (g.empty() ? 0 : g[first_bad]) << " want " << (w.empty() ? 0 : w[first_bad])
                     << "; max abs error " << worst;
}

// Loads an .npy file (the caller provides the reader: tests compile
// tools/npy.cc themselves).
using NpyLoader = std::function<HostValue(const std::string& path, const std::string& name)>;

// Converts dir/model_file, feeds dir/in_<input>.npy for every graph input,
// compares every output that has a dir/out_<output>.npy. Returns the
// conversion report through `report` (optional).
inline void RunCaseDir(const std::string& dir, const std::string& model_file, int recurrent_layers, double atol,
                       double rtol, const NpyLoader& load, ConvertReport* report = nullptr) {
  auto conv = ConvertOnnxFile(dir + "/" + model_file);
  ASSERT_TRUE(conv.ok()) << conv.status().ToString();
  if (report) *report = conv->report;
  EXPECT_EQ(conv->report.recurrent_layers, recurrent_layers) << conv->report.Summary();
  const Subgraph& sg = conv->graph.main();
  std::vector<HostValue> inputs;
  for (int idx : sg.inputs) {
    const std::string& name = sg.tensors[idx].name;
    const std::string p = dir + "/in_" + name + ".npy";
    ASSERT_TRUE(std::filesystem::exists(p)) << "no input file for graph input '" << name << "'";
    inputs.push_back(load(p, name));
  }
  auto got = RunThroughTflite(conv->graph, inputs);
  ASSERT_EQ(got.size(), sg.outputs.size());
  int compared = 0;
  for (const HostValue& g : got) {
    const std::string p = dir + "/out_" + g.name + ".npy";
    if (!std::filesystem::exists(p)) continue;
    ExpectClose(g, load(p, g.name), atol, rtol, dir + " output " + g.name);
    ++compared;
  }
  EXPECT_GT(compared, 0) << "no out_*.npy matched any graph output name";
}

}  // namespace rnnlite::onnx_test
