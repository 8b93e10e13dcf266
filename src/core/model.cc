#include "rnnlite/model.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/rnn_tflite.h"
#include "core/tflite_reader.h"

namespace rnnlite {
namespace {

// A read-only private mapping; constants point straight into it.
class MappedFile {
 public:
  MappedFile(void* addr, size_t size) : addr_(addr), size_(size) {}
  ~MappedFile() {
    if (addr_ != nullptr) munmap(addr_, size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  const uint8_t* data() const { return static_cast<const uint8_t*>(addr_); }
  size_t size() const { return size_; }

 private:
  void* addr_;
  size_t size_;
};

}  // namespace

StatusOr<std::shared_ptr<const Model>> Model::FromFile(const std::string& path, const LoadOptions& options) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NotFound("cannot open '" + path + "': " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return InvalidArgument("'" + path + "' is not a regular file");
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > options.max_file_bytes) {
    ::close(fd);
    return ResourceExhausted("'" + path + "' is " + std::to_string(size) + " bytes, above the limit of " +
                             std::to_string(options.max_file_bytes));
  }
  if (size < 8) {
    ::close(fd);
    return InvalidModel("'" + path + "': file too small to be a .tflite model (" + std::to_string(size) + " bytes)");
  }
  void* addr = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (addr == MAP_FAILED) return Internal("cannot map '" + path + "': " + std::strerror(errno));
  auto mapping = std::make_shared<MappedFile>(addr, size);

  Graph graph;
  graph.KeepAlive(mapping);
  Status s = tflite_io::ReadTflite(mapping->data(), mapping->size(), &graph);
  if (!s.ok()) return s.WithContext("'" + path + "': ");
  return std::shared_ptr<const Model>(new Model(std::move(graph)));
}

StatusOr<std::shared_ptr<const Model>> Model::FromBuffer(const void* data, size_t size, const LoadOptions& options) {
  if (data == nullptr && size > 0) return InvalidArgument("null buffer");
  if (size > options.max_file_bytes) return ResourceExhausted("buffer exceeds max_file_bytes");
  Graph graph;
  const uint8_t* owned = graph.OwnBytes(data, size);
  RNNLITE_RETURN_IF_ERROR(tflite_io::ReadTflite(owned, size, &graph));
  return std::shared_ptr<const Model>(new Model(std::move(graph)));
}

StatusOr<std::shared_ptr<const Model>> Model::FromGraph(Graph graph) {
  RNNLITE_RETURN_IF_ERROR(ValidateGraph(graph));
  // Builders may use TFLite's recurrent builtins; canonicalize like the reader.
  RNNLITE_RETURN_IF_ERROR(ImportTfliteRecurrentOps(graph));
  RNNLITE_RETURN_IF_ERROR(ValidateGraph(graph));
  return std::shared_ptr<const Model>(new Model(std::move(graph)));
}

}  // namespace rnnlite
