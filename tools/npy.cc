#include "npy.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>
#include <system_error>

namespace rnnlite::npy {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLen = 6;
// numpy itself refuses more dims than this; a cap keeps hostile headers cheap.
constexpr size_t kMaxRank = 64;
// numpy pads the header so the data starts on this boundary.
constexpr size_t kHeaderAlign = 64;

struct DescrEntry {
  DType dtype;
  char kind;
  int size;
};
constexpr DescrEntry kDescrTable[] = {
    {DType::kFloat32, 'f', 4}, {DType::kFloat64, 'f', 8}, {DType::kFloat16, 'f', 2},
    {DType::kInt32, 'i', 4},   {DType::kInt64, 'i', 8},   {DType::kInt8, 'i', 1},
    {DType::kInt16, 'i', 2},   {DType::kUInt8, 'u', 1},   {DType::kUInt16, 'u', 2},
    {DType::kUInt32, 'u', 4},  {DType::kUInt64, 'u', 8},  {DType::kBool, 'b', 1},
};

Status Bad(const std::string& what) { return InvalidArgument("malformed .npy: " + what); }

struct Header {
  DType dtype = DType::kFloat32;
  std::vector<int64_t> shape;
  size_t data_offset = 0;
  uint64_t data_bytes = 0;
};

// A small parser for the Python dict literal numpy writes, e.g.
// {'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }
class DictParser {
 public:
  explicit DictParser(std::string_view text) : text_(text) {}

  Status Parse(Header* header) {
    bool have_descr = false, have_order = false, have_shape = false;
    SkipSpace();
    if (!Consume('{')) return Bad("header is not a dict");
    for (;;) {
      SkipSpace();
      if (Consume('}')) break;
      std::string key;
      RNNLITE_RETURN_IF_ERROR(ParseString(&key));
      SkipSpace();
      if (!Consume(':')) return Bad("expected ':' after '" + key + "'");
      SkipSpace();
      if (key == "descr") {
        if (have_descr) return Bad("duplicate key 'descr'");
        have_descr = true;
        if (Peek() == '[') return Unsupported(".npy structured dtypes are not supported");
        std::string descr;
        RNNLITE_RETURN_IF_ERROR(ParseString(&descr));
        RNNLITE_RETURN_IF_ERROR(DescrToDType(descr, &header->dtype));
      } else if (key == "fortran_order") {
        if (have_order) return Bad("duplicate key 'fortran_order'");
        have_order = true;
        bool fortran = false;
        if (ConsumeWord("True")) {
          fortran = true;
        } else if (!ConsumeWord("False")) {
          return Bad("fortran_order is neither True nor False");
        }
        if (fortran) {
          return Unsupported(".npy arrays in Fortran order are not supported (save C order)");
        }
      } else if (key == "shape") {
        if (have_shape) return Bad("duplicate key 'shape'");
        have_shape = true;
        RNNLITE_RETURN_IF_ERROR(ParseShape(&header->shape));
      } else {
        return Bad("unexpected key '" + key + "'");
      }
      SkipSpace();
      if (Consume(',')) continue;
      SkipSpace();
      if (Consume('}')) break;
      return Bad("expected ',' or '}' in header");
    }
    SkipSpace();
    if (pos_ != text_.size()) return Bad("junk after the header dict");
    if (!have_descr || !have_order || !have_shape) {
      return Bad("header lacks one of 'descr', 'fortran_order', 'shape'");
    }
    return Status::Ok();
  }

 private:
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  bool ConsumeWord(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  void SkipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  Status ParseString(std::string* out) {
    const char quote = Peek();
    if (quote != '\'' && quote != '"') return Bad("expected a quoted string");
    ++pos_;
    const size_t end = text_.find(quote, pos_);
    if (end == std::string_view::npos) return Bad("unterminated string");
    *out = std::string(text_.substr(pos_, end - pos_));
    if (out->find('\\') != std::string::npos) return Bad("escapes in header strings");
    pos_ = end + 1;
    return Status::Ok();
  }

  Status ParseShape(std::vector<int64_t>* shape) {
    shape->clear();
    if (!Consume('(')) return Bad("shape is not a tuple");
    for (;;) {
      SkipSpace();
      if (Consume(')')) return Status::Ok();
      if (Peek() == '-') return Bad("negative dimension in shape");
      if (Peek() < '0' || Peek() > '9') return Bad("shape holds something that is not an integer");
      int64_t dim = 0;
      while (Peek() >= '0' && Peek() <= '9') {
        const int digit = Peek() - '0';
        if (dim > (std::numeric_limits<int64_t>::max() - digit) / 10) {
          return Bad("dimension too large");
        }
        dim = dim * 10 + digit;
        ++pos_;
      }
      Consume('L');  // Python 2 era files wrote (3L, 4L)
      if (shape->size() == kMaxRank) return Bad("more than 64 dimensions");
      shape->push_back(dim);
      SkipSpace();
      if (Consume(',')) continue;
      SkipSpace();
      if (Consume(')')) return Status::Ok();
      return Bad("expected ',' or ')' in shape");
    }
  }

  static Status DescrToDType(const std::string& descr, DType* dtype) {
    if (descr.size() < 3) return Unsupported("unsupported .npy dtype '" + descr + "'");
    const char order = descr[0];
    const char kind = descr[1];
    const std::optional<int64_t> size = [&]() -> std::optional<int64_t> {
      int64_t v = 0;
      for (size_t i = 2; i < descr.size(); ++i) {
        if (descr[i] < '0' || descr[i] > '9' || v > 1000) return std::nullopt;
        v = v * 10 + (descr[i] - '0');
      }
      return v;
    }();
    if (!size) return Unsupported("unsupported .npy dtype '" + descr + "'");
    for (const DescrEntry& e : kDescrTable) {
      if (e.kind != kind || e.size != *size) continue;
      const bool little = order == '<' || (order == '=' && std::endian::native == std::endian::little);
      if (e.size == 1 ? (order == '|' || order == '<' || order == '>' || order == '=') : little) {
        *dtype = e.dtype;
        return Status::Ok();
      }
      if (order == '>' || order == '=') {
        return Unsupported("big-endian .npy data ('" + descr + "') is not supported");
      }
      return Unsupported("unsupported .npy byte order in '" + descr + "'");
    }
    return Unsupported("unsupported .npy dtype '" + descr + "'");
  }

  std::string_view text_;
  size_t pos_ = 0;
};

uint64_t ReadLE(const uint8_t* p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// Length of the fixed preamble (magic, version, header length) for a
// version, or 0 if unknown.
size_t PreambleLen(uint8_t major) { return major == 1 ? 10 : (major == 2 || major == 3) ? 12 : 0; }

// `prefix` holds at least the preamble and, if long enough, the header;
// `total` is the size of the whole file.
Status ParseHeader(const uint8_t* prefix, size_t prefix_size, uint64_t total, Header* header,
                   size_t* need) {
  if (total < kMagicLen + 2 || std::memcmp(prefix, kMagic, kMagicLen) != 0) {
    return Bad("not a .npy file (magic \\x93NUMPY missing)");
  }
  const uint8_t major = prefix[6];
  const size_t pre = PreambleLen(major);
  if (pre == 0) return Unsupported(".npy format version " + std::to_string(major) + " is not supported");
  if (total < pre) return Bad("file ends inside the preamble");
  if (prefix_size < pre) {
    *need = pre;
    return Status::Ok();
  }
  const uint64_t header_len = ReadLE(prefix + 8, pre == 10 ? 2 : 4);
  if (header_len > total - pre) {
    return Bad("header length " + std::to_string(header_len) + " runs past the end of the file");
  }
  if (prefix_size < pre + header_len) {
    *need = pre + static_cast<size_t>(header_len);
    return Status::Ok();
  }
  *need = 0;
  std::string_view text(reinterpret_cast<const char*>(prefix + pre), static_cast<size_t>(header_len));
  RNNLITE_RETURN_IF_ERROR(DictParser(text).Parse(header));

  const size_t item = DTypeSize(header->dtype);
  uint64_t count = 1;
  for (int64_t d : header->shape) {
    // Overflow of the element count would let a tiny file claim any size.
    if (d != 0 && count > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(d)) {
      return Bad("shape overflows");
    }
    count *= static_cast<uint64_t>(d);
  }
  if (count > std::numeric_limits<uint64_t>::max() / item) return Bad("shape overflows");
  header->data_offset = pre + static_cast<size_t>(header_len);
  header->data_bytes = count * item;
  const uint64_t have = total - header->data_offset;
  if (have < header->data_bytes) {
    return Bad("truncated: shape needs " + std::to_string(header->data_bytes) + " data bytes, file has " +
               std::to_string(have));
  }
  if (have > header->data_bytes) {
    return Bad(std::to_string(have - header->data_bytes) + " unexpected bytes after the data");
  }
  return Status::Ok();
}

std::string ShapeTuple(const std::vector<int64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ",";
  return s + ")";
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

int64_t Array::num_elements() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string DescrFor(DType dtype) {
  for (const DescrEntry& e : kDescrTable) {
    if (e.dtype == dtype) {
      return std::string(1, e.size == 1 ? '|' : '<') + e.kind + std::to_string(e.size);
    }
  }
  return "";
}

StatusOr<Array> Parse(const uint8_t* bytes, size_t size) {
  Header header;
  size_t need = 0;
  RNNLITE_RETURN_IF_ERROR(ParseHeader(bytes, size, size, &header, &need));
  if (need != 0) return Bad("file too short");
  Array array;
  array.dtype = header.dtype;
  array.shape = header.shape;
  array.data.assign(bytes + header.data_offset, bytes + size);
  return array;
}

StatusOr<Array> ReadFile(const std::string& path, uint64_t max_bytes) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return NotFound(path + ": no such file");
  if (!std::filesystem::is_regular_file(path, ec)) return InvalidArgument(path + ": not a regular file");
  const uint64_t total = std::filesystem::file_size(path, ec);
  if (ec) return InvalidArgument(path + ": " + ec.message());
  if (total > max_bytes) {
    return ResourceExhausted(path + ": file of " + std::to_string(total) + " bytes exceeds the limit of " +
                             std::to_string(max_bytes));
  }
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) return NotFound(path + ": " + std::strerror(errno));

  // Read the preamble, then exactly the header, then exactly the data: no
  // allocation is larger than what the file is known to hold.
  std::vector<uint8_t> prefix(static_cast<size_t>(std::min<uint64_t>(total, 12)));
  Header header;
  for (;;) {
    size_t need = 0;
    if (std::fread(prefix.data(), 1, prefix.size(), file.get()) != prefix.size() ||
        std::fseek(file.get(), 0, SEEK_SET) != 0) {
      return InvalidArgument(path + ": read error");
    }
    Status s = ParseHeader(prefix.data(), prefix.size(), total, &header, &need);
    if (!s.ok()) return s.WithContext(path + ": ");
    if (need == 0) break;
    if (need <= prefix.size()) return Internal(path + ": header parser made no progress");
    prefix.resize(need);
  }
  Array array;
  array.dtype = header.dtype;
  array.shape = header.shape;
  array.data.resize(static_cast<size_t>(header.data_bytes));
  if (std::fseek(file.get(), static_cast<long>(header.data_offset), SEEK_SET) != 0 ||
      std::fread(array.data.data(), 1, array.data.size(), file.get()) != array.data.size()) {
    return InvalidArgument(path + ": read error (file changed while reading?)");
  }
  return array;
}

StatusOr<std::vector<uint8_t>> Encode(DType dtype, const std::vector<int64_t>& shape, const void* bytes,
                                      size_t size) {
  const std::string descr = DescrFor(dtype);
  if (descr.empty()) return Unsupported(".npy cannot hold dtype " + DTypeName(dtype));
  uint64_t count = 1;
  for (int64_t d : shape) {
    if (d < 0) return InvalidArgument("negative dimension in shape");
    if (d != 0 && count > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(d)) {
      return InvalidArgument("shape overflows");
    }
    count *= static_cast<uint64_t>(d);
  }
  if (count > std::numeric_limits<uint64_t>::max() / DTypeSize(dtype) || count * DTypeSize(dtype) != size) {
    return InvalidArgument("data size " + std::to_string(size) + " does not match shape " + ShapeTuple(shape) +
                           " of " + DTypeName(dtype));
  }
  std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + ShapeTuple(shape) + ", }";
  size_t pre = 10;
  auto padded = [&](size_t preamble) {
    const size_t unpadded = preamble + header.size() + 1;  // + '\n'
    return header.size() + (kHeaderAlign - unpadded % kHeaderAlign) % kHeaderAlign + 1;
  };
  size_t header_len = padded(pre);
  if (header_len > 0xffff) {
    pre = 12;
    header_len = padded(pre);
  }
  header.resize(header_len - 1, ' ');
  header += '\n';

  // Sized once and filled with memcpy (GCC 12 misreads vector::insert
  // chains here as overflowing, a known -Wstringop-overflow false positive).
  std::vector<uint8_t> out(pre + header_len + size);
  std::memcpy(out.data(), kMagic, kMagicLen);
  out[6] = pre == 10 ? 1 : 2;
  out[7] = 0;
  for (size_t i = 0; i < pre - 8; ++i) out[8 + i] = static_cast<uint8_t>(header_len >> (8 * i));
  std::memcpy(out.data() + pre, header.data(), header_len);
  if (size != 0) std::memcpy(out.data() + pre + header_len, bytes, size);
  return out;
}

Status WriteFile(const std::string& path, DType dtype, const std::vector<int64_t>& shape, const void* bytes,
                 size_t size) {
  RNNLITE_ASSIGN_OR_RETURN(std::vector<uint8_t> image, Encode(dtype, shape, bytes, size));
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "wb"));
  if (!file) return NotFound(path + ": cannot create: " + std::strerror(errno));
  if (std::fwrite(image.data(), 1, image.size(), file.get()) != image.size()) {
    return Internal(path + ": write failed: " + std::strerror(errno));
  }
  if (std::fclose(file.release()) != 0) return Internal(path + ": write failed: " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace rnnlite::npy
