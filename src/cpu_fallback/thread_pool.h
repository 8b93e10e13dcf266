// A small persistent thread pool for the fast CPU kernels. The recurrent op
// synchronises its threads once or twice per time step (a few microseconds
// of work each), so creating threads per call or sleeping on a condition
// variable between steps would cost more than the step itself. Workers and
// barriers spin briefly (with a pause hint) and only then block on a futex
// (std::atomic::wait), so an oversubscribed machine degrades to blocking
// instead of burning the cores other threads need.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace rnnlite {

// A reusable barrier for a fixed number of participants.
class SpinBarrier {
 public:
  explicit SpinBarrier(int count = 1) : count_(count) {}
  void Reset(int count) {
    count_ = count;
    arrived_.store(0, std::memory_order_relaxed);
  }
  // Returns once all `count` participants have arrived. Memory written
  // before Wait by any participant is visible to all after it.
  void Wait();

 private:
  int count_;
  std::atomic<int> arrived_{0};
  std::atomic<uint32_t> phase_{0};
};

class ThreadPool {
 public:
  // `threads` participants in total: the calling thread plus threads - 1
  // workers, started here and kept until destruction.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  // Runs fn(0) .. fn(size() - 1) concurrently (fn(0) on the calling thread)
  // and returns when all have returned. Not reentrant.
  void Run(const std::function<void(int)>& fn);

 private:
  void WorkerLoop(int id);

  std::vector<std::thread> workers_;
  const std::function<void(int)>* task_ = nullptr;
  std::atomic<uint32_t> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<bool> stop_{false};
};

// Spins for a bounded number of iterations while pred() is false, then
// blocks on `word` changing from `seen` (futex). Returns when pred() holds.
void SpinThenWait(const std::atomic<uint32_t>& word, uint32_t seen, const std::function<bool()>& pred);

}  // namespace rnnlite
