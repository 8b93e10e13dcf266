#include "cli_util.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace rnnlite::cli {

bool ParsedArgs::Has(const std::string& name) const {
  for (const auto& [n, v] : options) {
    if (n == name) return true;
  }
  return false;
}

std::optional<std::string> ParsedArgs::Get(const std::string& name) const {
  std::optional<std::string> value;
  for (const auto& [n, v] : options) {
    if (n == name) value = v;
  }
  return value;
}

std::vector<std::string> ParsedArgs::GetAll(const std::string& name) const {
  std::vector<std::string> values;
  for (const auto& [n, v] : options) {
    if (n == name) values.push_back(v);
  }
  return values;
}

CliResult ParseArgs(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs,
                    ParsedArgs* out) {
  *out = ParsedArgs();
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      out->positional.insert(out->positional.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                             args.end());
      break;
    }
    if (arg == "-h" || arg == "--help") {
      out->help = true;
      continue;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      out->positional.push_back(arg);
      continue;
    }
    if (arg[1] != '-') return CliResult::Usage("unknown option '" + arg + "'");
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& s : specs) {
      if (name == s.name) spec = &s;
    }
    if (spec == nullptr) return CliResult::Usage("unknown option '--" + name + "'");
    std::string value;
    if (spec->takes_value) {
      if (eq != std::string::npos) {
        value = arg.substr(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return CliResult::Usage("option --" + name + " needs a value");
      }
    } else if (eq != std::string::npos) {
      return CliResult::Usage("option --" + name + " takes no value");
    }
    if (!spec->repeatable && out->Has(name)) {
      return CliResult::Usage("option --" + name + " given more than once");
    }
    out->options.emplace_back(name, std::move(value));
  }
  return CliResult::Ok();
}

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  if (begin == end) return std::nullopt;
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::optional<Shape> ParseShape(std::string_view text) {
  Shape shape;
  if (text.empty()) return shape;
  size_t start = 0;
  for (;;) {
    const size_t comma = text.find(',', start);
    const std::string_view part =
        text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    const std::optional<int64_t> dim = ParseInt(part);
    if (!dim || *dim < std::numeric_limits<int32_t>::min() || *dim > std::numeric_limits<int32_t>::max()) {
      return std::nullopt;
    }
    shape.push_back(static_cast<int32_t>(*dim));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return shape;
}

std::optional<std::pair<std::string, std::string>> SplitAssignment(const std::string& text) {
  const size_t eq = text.rfind('=');
  if (eq == std::string::npos) return std::nullopt;
  return std::make_pair(text.substr(0, eq), text.substr(eq + 1));
}

std::string SanitizeFileName(const std::string& name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                      c == '-' || c == '.';
    out += keep ? c : '_';
  }
  // A leading dot would hide the file (and "." / ".." are not files at all).
  if (!out.empty() && out[0] == '.') out[0] = '_';
  if (out.empty()) out = "_";
  // Far below NAME_MAX (255) even after ".npy" and a de-duplicating suffix.
  if (out.size() > 200) out.resize(200);
  return out;
}

std::string OneLine(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

std::string FormatBytes(uint64_t bytes) {
  char buf[64];
  if (bytes < 1024) {
    std::snprintf(buf, sizeof(buf), "%llu B", static_cast<unsigned long long>(bytes));
  } else if (bytes < (uint64_t{1} << 20)) {
    std::snprintf(buf, sizeof(buf), "%.1f KiB", static_cast<double>(bytes) / 1024.0);
  } else if (bytes < (uint64_t{1} << 30)) {
    std::snprintf(buf, sizeof(buf), "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  } else {
    std::snprintf(buf, sizeof(buf), "%.2f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
  }
  return buf;
}

namespace {

template <typename T>
T Load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

std::string FormatOne(DType dtype, const uint8_t* p) {
  char buf[64];
  switch (dtype) {
    case DType::kFloat32: std::snprintf(buf, sizeof(buf), "%.6g", static_cast<double>(Load<float>(p))); break;
    case DType::kFloat64: std::snprintf(buf, sizeof(buf), "%.6g", Load<double>(p)); break;
    case DType::kFloat16:
      std::snprintf(buf, sizeof(buf), "%.5g", static_cast<double>(HalfToFloat(Load<uint16_t>(p))));
      break;
    case DType::kInt8: return std::to_string(Load<int8_t>(p));
    case DType::kUInt8: return std::to_string(Load<uint8_t>(p));
    case DType::kInt16: return std::to_string(Load<int16_t>(p));
    case DType::kUInt16: return std::to_string(Load<uint16_t>(p));
    case DType::kInt32: return std::to_string(Load<int32_t>(p));
    case DType::kUInt32: return std::to_string(Load<uint32_t>(p));
    case DType::kInt64: return std::to_string(Load<int64_t>(p));
    case DType::kUInt64: return std::to_string(Load<uint64_t>(p));
    case DType::kBool: return Load<uint8_t>(p) ? "true" : "false";
    default: return "?";
  }
  return buf;
}

}  // namespace

std::string FormatValues(DType dtype, const void* data, size_t bytes, size_t max_values) {
  const size_t item = DTypeSize(dtype);
  if (item == 0 || data == nullptr) return "(" + DTypeName(dtype) + " values not shown)";
  const size_t count = bytes / item;
  const auto* p = static_cast<const uint8_t*>(data);
  std::string out = "[";
  for (size_t i = 0; i < count && i < max_values; ++i) {
    if (i) out += ", ";
    out += FormatOne(dtype, p + i * item);
  }
  if (count > max_values) out += ", ...";
  return out + "]";
}

float HalfToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1fu;
  const uint32_t mant = h & 0x3ffu;
  if (exp == 0) {
    const float magnitude = std::ldexp(static_cast<float>(mant), -24);
    return sign ? -magnitude : magnitude;
  }
  if (exp == 31) return std::bit_cast<float>(sign | 0x7f800000u | (mant << 13));
  return std::bit_cast<float>(sign | ((exp - 15 + 127) << 23) | (mant << 13));
}

uint16_t FloatToHalf(float f) {
  const uint32_t x = std::bit_cast<uint32_t>(f);
  const uint32_t sign = (x >> 16) & 0x8000u;
  const uint32_t exp = (x >> 23) & 0xffu;
  uint32_t mant = x & 0x7fffffu;
  if (exp == 0xff) return static_cast<uint16_t>(sign | 0x7c00u | (mant ? 0x200u | (mant >> 13) : 0u));
  const int e = static_cast<int>(exp) - 127 + 15;
  if (e >= 31) return static_cast<uint16_t>(sign | 0x7c00u);
  if (e <= 0) {
    if (e < -10) return static_cast<uint16_t>(sign);
    mant |= 0x800000u;
    const int shift = 14 - e;
    uint32_t half_mant = mant >> shift;
    const uint32_t rem = mant & ((1u << shift) - 1);
    const uint32_t halfway = 1u << (shift - 1);
    if (rem > halfway || (rem == halfway && (half_mant & 1u))) ++half_mant;
    return static_cast<uint16_t>(sign | half_mant);
  }
  uint32_t half = sign | (static_cast<uint32_t>(e) << 10) | (mant >> 13);
  const uint32_t rem = mant & 0x1fffu;
  // A carry out of the mantissa correctly bumps the exponent (up to inf).
  if (rem > 0x1000u || (rem == 0x1000u && (half & 1u))) ++half;
  return static_cast<uint16_t>(half);
}

}  // namespace rnnlite::cli
