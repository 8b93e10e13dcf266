// Device and pinned host memory owned by the CUDA plugin, with the byte
// counts Delegate::device_memory() reports. Buffers are move-only RAII
// handles; creating one is the only place the plugin allocates device
// memory, and that happens at Compile and Prepare, never in Invoke.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "cuda/cuda_api.h"

namespace rnnlite::cu {

class MemoryTracker {
 public:
  void Add(uint64_t bytes) {
    const uint64_t now = current_.fetch_add(bytes) + bytes;
    uint64_t peak = peak_.load();
    while (now > peak && !peak_.compare_exchange_weak(peak, now)) {
    }
  }
  void Sub(uint64_t bytes) { current_.fetch_sub(bytes); }
  uint64_t current() const { return current_.load(); }
  uint64_t peak() const { return peak_.load(); }

 private:
  std::atomic<uint64_t> current_{0};
  std::atomic<uint64_t> peak_{0};
};

class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  DeviceBuffer(DeviceBuffer&& o) noexcept { *this = std::move(o); }
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  ~DeviceBuffer() { Reset(); }

  // `what` names the buffer in the out-of-memory message.
  static StatusOr<DeviceBuffer> Create(MemoryTracker* tracker, size_t bytes, const char* what);
  void Reset();
  void* get() const { return ptr_; }
  float* f() const { return static_cast<float*>(ptr_); }
  int* i() const { return static_cast<int*>(ptr_); }
  size_t bytes() const { return bytes_; }

 private:
  void* ptr_ = nullptr;
  size_t bytes_ = 0;
  MemoryTracker* tracker_ = nullptr;
};

// Page-locked host memory: the staging area of every boundary copy, so
// cudaMemcpyAsync really is asynchronous and runs at full PCIe speed.
class PinnedBuffer {
 public:
  PinnedBuffer() = default;
  PinnedBuffer(PinnedBuffer&& o) noexcept { *this = std::move(o); }
  PinnedBuffer& operator=(PinnedBuffer&& o) noexcept;
  PinnedBuffer(const PinnedBuffer&) = delete;
  PinnedBuffer& operator=(const PinnedBuffer&) = delete;
  ~PinnedBuffer() { Reset(); }

  static StatusOr<PinnedBuffer> Create(size_t bytes, const char* what);
  void Reset();
  void* get() const { return ptr_; }
  float* f() const { return static_cast<float*>(ptr_); }
  int* i() const { return static_cast<int*>(ptr_); }
  size_t bytes() const { return bytes_; }

 private:
  void* ptr_ = nullptr;
  size_t bytes_ = 0;
};

// The device the delegate was created for, and the libraries it uses.
struct DeviceInfo {
  int index = 0;
  std::string name;
  int cc_major = 0, cc_minor = 0;
  uint64_t total_memory = 0;
  int driver_version = 0;
  const CudnnApi* cudnn = nullptr;
  const CublasApi* cublas = nullptr;
  std::string Describe() const;
};

// Loads cuDNN and cuBLAS (names: "" for the defaults), then finds device
// `index`; every failure is a Status that says what is missing.
StatusOr<DeviceInfo> OpenDevice(int index, const std::string& cudnn_name, const std::string& cublas_name);

}  // namespace rnnlite::cu
