// RNNLITE_SEQUENCE_RNN custom options: the node's attributes as a flexbuffer
// map (docs/format.md). Doubles and int64 are written at full width so that
// write -> read reproduces every attribute bit for bit.
#include <flatbuffers/flexbuffers.h>

#include <set>
#include <string>

#include "core/rnn_tflite.h"

namespace rnnlite {
namespace {

const std::set<std::string>& KnownKeys() {
  static const std::set<std::string> keys = {
      seq_rnn_attr::kCell,        seq_rnn_attr::kDirection,          seq_rnn_attr::kTimeMajor,
      seq_rnn_attr::kHiddenSize,  seq_rnn_attr::kProjSize,           seq_rnn_attr::kLinearBeforeReset,
      seq_rnn_attr::kCifg,        seq_rnn_attr::kInputForget,        seq_rnn_attr::kCellClip,
      seq_rnn_attr::kProjClip,
      seq_rnn_attr::kGateClip,    seq_rnn_attr::kActivations,        seq_rnn_attr::kActivationAlpha,
      seq_rnn_attr::kActivationBeta, seq_rnn_attr::kOutputLayout,    seq_rnn_attr::kStateLayout,
  };
  return keys;
}

bool IsIntType(flexbuffers::Type t) {
  return t == flexbuffers::FBT_INT || t == flexbuffers::FBT_INDIRECT_INT || t == flexbuffers::FBT_UINT ||
         t == flexbuffers::FBT_INDIRECT_UINT || t == flexbuffers::FBT_BOOL;
}

bool IsFloatType(flexbuffers::Type t) {
  return t == flexbuffers::FBT_FLOAT || t == flexbuffers::FBT_INDIRECT_FLOAT;
}

// Reads a vector of numbers of any flexbuffer vector flavour. Sets *is_int
// when every element is an integer (an empty untyped vector counts as ints).
template <typename Vec>
bool ReadNumbers(const Vec& v, std::vector<int64_t>* ints, std::vector<double>* floats, bool* all_int) {
  *all_int = true;
  for (size_t i = 0; i < v.size(); ++i) {
    flexbuffers::Reference e = v[i];
    if (IsIntType(e.GetType())) {
      ints->push_back(e.AsInt64());
      floats->push_back(static_cast<double>(e.AsInt64()));
    } else if (IsFloatType(e.GetType())) {
      *all_int = false;
      ints->push_back(0);
      floats->push_back(e.AsDouble());
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

std::vector<uint8_t> EncodeSequenceRnnOptions(const AttrMap& attrs) {
  flexbuffers::Builder fbb;
  fbb.Map([&] {
    for (const auto& [name, value] : attrs.values()) {
      const char* key = name.c_str();
      if (auto* i = std::get_if<int64_t>(&value)) {
        fbb.Int(key, *i);
      } else if (auto* d = std::get_if<double>(&value)) {
        fbb.Double(key, *d);
      } else if (auto* s = std::get_if<std::string>(&value)) {
        fbb.String(key, *s);
      } else if (auto* iv = std::get_if<std::vector<int64_t>>(&value)) {
        fbb.Vector(key, iv->data(), iv->size());
      } else if (auto* dv = std::get_if<std::vector<double>>(&value)) {
        fbb.Vector(key, dv->data(), dv->size());
      }
    }
  });
  fbb.Finish();
  return fbb.GetBuffer();
}

Status DecodeSequenceRnnOptions(const std::vector<uint8_t>& bytes, AttrMap* attrs) {
  if (bytes.size() < 3 || !flexbuffers::VerifyBuffer(bytes.data(), bytes.size())) {
    return InvalidModel("not a valid flexbuffer (" + std::to_string(bytes.size()) + " bytes)");
  }
  flexbuffers::Reference root = flexbuffers::GetRoot(bytes);
  if (!root.IsMap()) return InvalidModel("expected a flexbuffer map of attributes");
  flexbuffers::Map map = root.AsMap();
  flexbuffers::TypedVector keys = map.Keys();
  flexbuffers::Vector values = map.Values();
  AttrMap out;
  for (size_t k = 0; k < keys.size(); ++k) {
    const std::string key = keys[k].AsKey();
    if (KnownKeys().count(key) == 0) {
      return Unsupported("unknown attribute '" + key + "' (written by a newer rnnlite?)");
    }
    flexbuffers::Reference v = values[k];
    const flexbuffers::Type t = v.GetType();
    if (IsIntType(t)) {
      out.SetInt(key, v.AsInt64());
    } else if (IsFloatType(t)) {
      out.SetFloat(key, v.AsDouble());
    } else if (t == flexbuffers::FBT_STRING) {
      out.SetString(key, v.AsString().str());
    } else if (v.IsTypedVector() || v.IsFixedTypedVector() || (v.IsVector() && !v.IsMap())) {
      std::vector<int64_t> ints;
      std::vector<double> floats;
      bool all_int = true, ok = false;
      bool typed_float = false;
      if (v.IsTypedVector()) {
        flexbuffers::TypedVector tv = v.AsTypedVector();
        typed_float = IsFloatType(tv.ElementType());
        ok = ReadNumbers(tv, &ints, &floats, &all_int);
      } else if (v.IsFixedTypedVector()) {
        flexbuffers::FixedTypedVector fv = v.AsFixedTypedVector();
        typed_float = IsFloatType(fv.ElementType());
        ok = ReadNumbers(fv, &ints, &floats, &all_int);
      } else {
        ok = ReadNumbers(v.AsVector(), &ints, &floats, &all_int);
      }
      if (!ok) return InvalidModel("attribute '" + key + "': vector elements must be numbers");
      if (all_int && !typed_float) {
        out.SetInts(key, std::move(ints));
      } else {
        out.SetFloats(key, std::move(floats));
      }
    } else {
      return InvalidModel("attribute '" + key + "': unsupported flexbuffer type " +
                          std::to_string(static_cast<int>(t)));
    }
  }
  *attrs = std::move(out);
  return Status::Ok();
}

}  // namespace rnnlite
