#include "cuda/device.h"

#include <dlfcn.h>

#include <utility>

#include "cuda/rnn_kernels.h"

namespace rnnlite::cu {

DeviceBuffer& DeviceBuffer::operator=(DeviceBuffer&& o) noexcept {
  if (this != &o) {
    Reset();
    ptr_ = std::exchange(o.ptr_, nullptr);
    bytes_ = std::exchange(o.bytes_, 0);
    tracker_ = std::exchange(o.tracker_, nullptr);
  }
  return *this;
}

StatusOr<DeviceBuffer> DeviceBuffer::Create(MemoryTracker* tracker, size_t bytes, const char* what) {
  DeviceBuffer b;
  const size_t n = bytes > 0 ? bytes : 4;  // never a null buffer
  const cudaError_t e = cudaMalloc(&b.ptr_, n);
  if (e != cudaSuccess) {
    b.ptr_ = nullptr;
    return CudaStatus(e, (std::string("allocating ") + std::to_string(n) + " bytes of device memory for " + what).c_str());
  }
  b.bytes_ = n;
  b.tracker_ = tracker;
  if (tracker) tracker->Add(n);
  return b;
}

void DeviceBuffer::Reset() {
  if (ptr_ != nullptr) {
    cudaFree(ptr_);  // errors here are sticky context errors, reported by the next checked call
    if (tracker_) tracker_->Sub(bytes_);
  }
  ptr_ = nullptr;
  bytes_ = 0;
}

PinnedBuffer& PinnedBuffer::operator=(PinnedBuffer&& o) noexcept {
  if (this != &o) {
    Reset();
    ptr_ = std::exchange(o.ptr_, nullptr);
    bytes_ = std::exchange(o.bytes_, 0);
  }
  return *this;
}

StatusOr<PinnedBuffer> PinnedBuffer::Create(size_t bytes, const char* what) {
  PinnedBuffer b;
  const size_t n = bytes > 0 ? bytes : 4;
  const cudaError_t e = cudaHostAlloc(&b.ptr_, n, cudaHostAllocDefault);
  if (e != cudaSuccess) {
    b.ptr_ = nullptr;
    return CudaStatus(e, (std::string("allocating ") + std::to_string(n) + " bytes of pinned host memory for " + what).c_str());
  }
  b.bytes_ = n;
  return b;
}

void PinnedBuffer::Reset() {
  if (ptr_ != nullptr) cudaFreeHost(ptr_);
  ptr_ = nullptr;
  bytes_ = 0;
}

std::string DeviceInfo::Describe() const {
  std::string s = name + " (sm_" + std::to_string(cc_major) + std::to_string(cc_minor) + ", " +
                  std::to_string(total_memory >> 20) + " MiB, driver " + std::to_string(driver_version / 1000) + "." +
                  std::to_string((driver_version % 1000) / 10);
  if (cudnn) s += ", cuDNN " + std::to_string(cudnn->version);
  if (cublas) s += ", " + cublas->path;
  return s + ")";
}

StatusOr<DeviceInfo> OpenDevice(int index, const std::string& cudnn_name, const std::string& cublas_name) {
  DeviceInfo info;
  // Libraries first: their absence is reported the same on any machine.
  RNNLITE_ASSIGN_OR_RETURN(info.cudnn, LoadCudnn(cudnn_name));
  RNNLITE_ASSIGN_OR_RETURN(info.cublas, LoadCublas(cublas_name));
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) {
    // Without the driver library the runtime says "driver version is
    // insufficient"; say what is actually missing.
    void* driver = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_LOCAL);
    std::string hint = driver == nullptr ? "no NVIDIA driver (libcuda.so.1 not found); " : "";
    if (driver != nullptr) dlclose(driver);
    int driver_version = 0;
    if (driver != nullptr && e == cudaErrorInsufficientDriver && cudaDriverGetVersion(&driver_version) == cudaSuccess) {
      hint = "the NVIDIA driver supports CUDA " + std::to_string(driver_version / 1000) + "." +
             std::to_string((driver_version % 1000) / 10) + ", this build's runtime needs CUDA " +
             std::to_string(CUDART_VERSION / 1000) + "." + std::to_string((CUDART_VERSION % 1000) / 10) + "; ";
    }
    return Unavailable("cuda: no CUDA device (" + hint + "cudaGetDeviceCount: " + cudaGetErrorName(e) + ": " +
                       cudaGetErrorString(e) + ")");
  }
  if (count == 0) return Unavailable("cuda: no CUDA device (cudaGetDeviceCount found 0)");
  if (index < 0 || index >= count) {
    return InvalidArgument("cuda: device_index " + std::to_string(index) + " out of range (" + std::to_string(count) +
                           " device(s))");
  }
  RNNLITE_CUDA_CHECK(cudaSetDevice(index));
  cudaDeviceProp prop{};
  RNNLITE_CUDA_CHECK(cudaGetDeviceProperties(&prop, index));
  RNNLITE_CUDA_CHECK(cudaDriverGetVersion(&info.driver_version));
  info.index = index;
  info.name = prop.name;
  info.cc_major = prop.major;
  info.cc_minor = prop.minor;
  info.total_memory = prop.totalGlobalMem;
  // The kernels are built for CMAKE_CUDA_ARCHITECTURES (sm_90 + PTX by
  // default); a GPU none of them runs on is refused here, not at Invoke.
  if (const cudaError_t k = CheckKernelImage(); k != cudaSuccess) {
    return Unsupported("cuda: " + info.name + " (compute capability " + std::to_string(prop.major) + "." +
                       std::to_string(prop.minor) + ") cannot run this build's kernels (" + cudaGetErrorName(k) +
                       "); rebuild with CMAKE_CUDA_ARCHITECTURES including it");
  }
  return info;
}

}  // namespace rnnlite::cu
