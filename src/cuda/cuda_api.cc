#include "cuda/cuda_api.h"

#include <dlfcn.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace rnnlite::cu {
namespace {

std::string DlError() {
  const char* e = dlerror();
  return e ? e : "unknown dlopen error";
}

// Opens the first library of `candidates` that loads; the message lists
// every attempt (the usual fix is LD_LIBRARY_PATH, see docs/cuda.md).
StatusOr<void*> OpenFirst(const std::vector<std::string>& candidates, const char* what, std::string* opened) {
  std::string tried;
  for (const std::string& name : candidates) {
    void* h = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (h != nullptr) {
      *opened = name;
      return h;
    }
    tried += (tried.empty() ? "" : "; ") + DlError();
  }
  return Unavailable(std::string("cuda: cannot load ") + what + " (" + tried +
                     "); install it or add its directory (e.g. site-packages/nvidia/" +
                     (std::string(what) == "cuDNN" ? "cudnn" : "cublas") + "/lib) to LD_LIBRARY_PATH");
}

template <typename Fn>
Status Resolve(void* lib, const char* name, const std::string& path, Fn* out) {
  void* sym = dlsym(lib, name);
  if (sym == nullptr) return Unavailable("cuda: " + path + " lacks " + name + " (too old?)");
  *out = reinterpret_cast<Fn>(sym);
  return Status::Ok();
}

std::vector<std::string> Candidates(const std::string& name, const char* env, std::vector<std::string> defaults) {
  if (!name.empty()) return {name};
  if (const char* v = std::getenv(env); v != nullptr && *v != '\0') return {v};
  return defaults;
}

std::mutex g_mu;

}  // namespace

StatusOr<const CudnnApi*> LoadCudnn(const std::string& name) {
  static auto* cache = new std::map<std::string, std::unique_ptr<CudnnApi>>();
  std::lock_guard<std::mutex> lock(g_mu);
  const std::vector<std::string> candidates = Candidates(name, "RNNLITE_CUDNN_LIBRARY", {"libcudnn.so.9"});
  const std::string key = candidates.front();
  if (auto it = cache->find(key); it != cache->end()) return it->second.get();
  auto api = std::make_unique<CudnnApi>();
  RNNLITE_ASSIGN_OR_RETURN(void* lib, OpenFirst(candidates, "cuDNN", &api->path));
#define RNNLITE_RESOLVE(fn) RNNLITE_RETURN_IF_ERROR(Resolve(lib, #fn, api->path, &api->fn));
  RNNLITE_CUDNN_FUNCTIONS(RNNLITE_RESOLVE)
  api->version = api->cudnnGetVersion();
  if (api->version < 90000) {
    return Unavailable("cuda: " + api->path + " is cuDNN " + std::to_string(api->version) + "; cuDNN 9 is required");
  }
  const CudnnApi* result = api.get();
  cache->emplace(key, std::move(api));
  return result;
}

StatusOr<const CublasApi*> LoadCublas(const std::string& name) {
  static auto* cache = new std::map<std::string, std::unique_ptr<CublasApi>>();
  std::lock_guard<std::mutex> lock(g_mu);
  const std::vector<std::string> candidates =
      Candidates(name, "RNNLITE_CUBLAS_LIBRARY", {"libcublas.so.13", "libcublas.so.12"});
  const std::string key = candidates.front();
  if (auto it = cache->find(key); it != cache->end()) return it->second.get();
  auto api = std::make_unique<CublasApi>();
  RNNLITE_ASSIGN_OR_RETURN(void* lib, OpenFirst(candidates, "cuBLAS", &api->path));
  RNNLITE_CUBLAS_FUNCTIONS(RNNLITE_RESOLVE)
#undef RNNLITE_RESOLVE
  const CublasApi* result = api.get();
  cache->emplace(key, std::move(api));
  return result;
}

Status CudaStatus(cudaError_t e, const char* what) {
  // Reset the runtime's last-error slot (non-sticky errors such as a failed
  // allocation), so that a later launch check does not report this one again.
  (void)cudaGetLastError();
  std::string m = std::string("cuda: ") + what + ": " + cudaGetErrorName(e) + ": " + cudaGetErrorString(e);
  if (e == cudaErrorMemoryAllocation) return ResourceExhausted(m);
  if (e == cudaErrorNoDevice || e == cudaErrorInsufficientDriver) return Unavailable(m);
  return Internal(m);
}

Status CudnnStatus(const CudnnApi& api, cudnnStatus_t s, const char* what) {
  std::string m = std::string("cudnn: ") + what + ": " + api.cudnnGetErrorString(s);
  if (s == CUDNN_STATUS_ALLOC_FAILED) return ResourceExhausted(m);
  if (s == CUDNN_STATUS_NOT_SUPPORTED || s == CUDNN_STATUS_BAD_PARAM) return Unsupported(m);
  return Internal(m);
}

Status CublasStatus(cublasStatus_t s, const char* what) {
  std::string m = std::string("cublas: ") + what + ": status " + std::to_string(static_cast<int>(s));
  if (s == CUBLAS_STATUS_ALLOC_FAILED) return ResourceExhausted(m);
  return Internal(m);
}

}  // namespace rnnlite::cu
