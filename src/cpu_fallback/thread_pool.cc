// Persistent pool and spin barrier (see thread_pool.h for why they spin).
#include "cpu_fallback/thread_pool.h"

#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace rnnlite {
namespace {

// How long a waiting thread spins before it blocks: measured in time, not
// in pause hints, because a pause costs 10 to 140 cycles depending on the
// core. Longer than a partner thread takes to finish its half of a
// recurrent step or to wake from a futex (tens of microseconds on a VM),
// so two threads of a per-step barrier do not fall into waking each other
// every step; short enough that on an oversubscribed machine a thread whose
// partner was descheduled soon blocks and gives the core back.
constexpr auto kSpinDuration = std::chrono::microseconds(100);
// The clock is read once per this many pause hints (a few µs), and after
// the first such batch every check also yields the CPU: when the partner
// thread waits for the same core (both on one CPU early in a process, or a
// busy neighbour's spinning threads), yielding hands it the core at once
// instead of after the whole spin. Measured with ONNX Runtime's threads
// still spinning from its last run: GRU T=128 B=1 kept a 3.4 ms median
// with a 4.2 ms worst case, against 2.6 ms and 18 ms spikes without; on a
// quiet machine the same (no yield happens when the threads are balanced).
constexpr int kSpinsPerClockRead = 64;

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

// Spins until pred() holds (true) or kSpinDuration has passed (false).
bool SpinUntil(const std::function<bool()>& pred) {
  if (pred()) return true;
  const auto deadline = std::chrono::steady_clock::now() + kSpinDuration;
  for (;;) {
    for (int i = 0; i < kSpinsPerClockRead; ++i) {
      if (pred()) return true;
      CpuRelax();
    }
    if (std::chrono::steady_clock::now() >= deadline) return pred();
    std::this_thread::yield();
  }
}

}  // namespace

void SpinThenWait(const std::atomic<uint32_t>& word, uint32_t seen, const std::function<bool()>& pred) {
  if (SpinUntil(pred)) return;
  while (!pred()) word.wait(seen, std::memory_order_acquire);
}

void SpinBarrier::Wait() {
  if (count_ <= 1) return;
  const uint32_t phase = phase_.load(std::memory_order_acquire);
  if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 == count_) {
    arrived_.store(0, std::memory_order_relaxed);
    phase_.fetch_add(1, std::memory_order_acq_rel);
    phase_.notify_all();
    return;
  }
  SpinThenWait(phase_, phase, [&] { return phase_.load(std::memory_order_acquire) != phase; });
}

ThreadPool::ThreadPool(int threads) {
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i] { WorkerLoop(i); });
}

ThreadPool::~ThreadPool() {
  stop_.store(true, std::memory_order_release);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  generation_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void ThreadPool::Run(const std::function<void(int)>& fn) {
  if (workers_.empty()) {
    fn(0);
    return;
  }
  task_ = &fn;
  pending_.store(static_cast<int>(workers_.size()), std::memory_order_relaxed);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  generation_.notify_all();
  fn(0);
  // Workers report completion through pending_; the caller spins on it like
  // a barrier (the generation word is reused as the futex for blocking).
  const auto done = [&] { return pending_.load(std::memory_order_acquire) == 0; };
  while (!SpinUntil(done)) {
  }
  task_ = nullptr;
}

void ThreadPool::WorkerLoop(int id) {
  uint32_t seen = 0;
  for (;;) {
    SpinThenWait(generation_, seen, [&] { return generation_.load(std::memory_order_acquire) != seen; });
    seen = generation_.load(std::memory_order_acquire);
    if (stop_.load(std::memory_order_acquire)) return;
    (*task_)(id);
    pending_.fetch_sub(1, std::memory_order_acq_rel);
  }
}

}  // namespace rnnlite
