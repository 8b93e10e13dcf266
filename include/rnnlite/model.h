// Model: an immutable, verified graph loaded from a .tflite file. Weights
// are used in place from the memory-mapped file. One Model may be shared by
// any number of Interpreters (on any threads).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rnnlite/graph.h"
#include "rnnlite/status.h"

namespace rnnlite {

struct LoadOptions {
  // Files larger than this are rejected before mapping.
  uint64_t max_file_bytes = uint64_t{1} << 36;  // 64 GiB
};

class Model {
 public:
  // Maps the file read-only, verifies it (flatbuffers Verifier plus rnnlite's
  // own index/shape/size checks) and builds the Graph. Nothing is copied.
  static StatusOr<std::shared_ptr<const Model>> FromFile(const std::string& path,
                                                         const LoadOptions& options = {});
  // Same, from bytes in memory (copied once into storage the Model owns).
  static StatusOr<std::shared_ptr<const Model>> FromBuffer(const void* data, size_t size,
                                                           const LoadOptions& options = {});
  // Wraps a graph built in memory (e.g. by a test or the converter) after
  // validating it.
  static StatusOr<std::shared_ptr<const Model>> FromGraph(Graph graph);

  const Graph& graph() const { return graph_; }

 private:
  explicit Model(Graph graph) : graph_(std::move(graph)) {}
  Graph graph_;
};

// Serializes `graph` as a .tflite flatbuffer (TFLite builtins where the node
// is one; documented custom ops otherwise).
StatusOr<std::vector<uint8_t>> WriteTflite(const Graph& graph);
Status WriteTfliteFile(const Graph& graph, const std::string& path);

}  // namespace rnnlite
