// The measurement behind docs/performance.md's choice of GEMM library: the
// products of the recurrent op, single-threaded (rnnlite's own pool splits
// the work), C[M, N] = A[M, K] · Wᵀ with W stored [N, K] as the op's
// weights are, through OpenBLAS, oneDNN, Eigen and rnnlite's DotRows.
// Not built by CMake (it needs libeigen3-dev and libdnnl-dev, which rnnlite
// itself does not); build and run from the repository root:
//
//   g++ -O2 -march=native -std=c++20 benchmarks/blas_choice.cc -Isrc \
//       -I/usr/include/eigen3 -I/usr/include/x86_64-linux-gnu/openblas-pthread \
//       -Lbuild/lib -Wl,-rpath,$PWD/build/lib -lrnnlite -lopenblas -ldnnl -o /tmp/blas_choice
//   OMP_NUM_THREADS=1 /tmp/blas_choice
#include <cblas.h>
#include <dnnl.h>

#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <random>
#include <vector>

#include "cpu_fallback/gemm.h"

namespace {

double MedianUs(const std::function<void()>& fn, int reps) {
  fn();
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    const auto s = std::chrono::steady_clock::now();
    fn();
    t.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - s).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

}  // namespace

int main() {
  openblas_set_num_threads(1);
  struct Shape {
    const char* what;
    int M, N, K;
  };
  const Shape shapes[] = {
      {"projection T*B=1000, 4H=1024, I=256", 1000, 1024, 256},
      {"projection T*B=1000, 4H=2048, I=512", 1000, 2048, 512},
      {"step B=1, 4H=1024, H=256", 1, 1024, 256},
      {"step B=1, 4H=2048, H=512", 1, 2048, 512},
      {"step B=16, 4H=1024, H=256", 16, 1024, 256},
      {"step B=64, 4H=2048, H=512", 64, 2048, 512},
  };
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::printf("%-40s %12s %12s %12s %12s  (median us, GFLOP/s)\n", "shape", "OpenBLAS", "oneDNN", "Eigen", "DotRows");
  for (const Shape& s : shapes) {
    std::vector<float> a(static_cast<size_t>(s.M) * s.K), w(static_cast<size_t>(s.N) * s.K),
        c(static_cast<size_t>(s.M) * s.N);
    for (float& v : a) v = dist(rng);
    for (float& v : w) v = dist(rng);
    const int reps = s.M == 1 ? 2000 : s.M < 100 ? 300 : 30;
    const double flops = 2.0 * s.M * s.N * s.K;
    const double blas = MedianUs([&] {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, s.M, s.N, s.K, 1.0f, a.data(), s.K, w.data(), s.K, 0.0f,
                  c.data(), s.N);
    }, reps);
    const double onednn = MedianUs([&] {
      dnnl_sgemm('N', 'T', s.M, s.N, s.K, 1.0f, a.data(), s.K, w.data(), s.K, 0.0f, c.data(), s.N);
    }, reps);
    using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    Eigen::Map<const RowMat> ea(a.data(), s.M, s.K), ew(w.data(), s.N, s.K);
    Eigen::Map<RowMat> ec(c.data(), s.M, s.N);
    const double eigen = MedianUs([&] { ec.noalias() = ea * ew.transpose(); }, reps);
    const double dot = MedianUs([&] {
      rnnlite::DotRows(s.M, s.N, s.K, a.data(), s.K, w.data(), s.K, c.data(), s.N);
    }, reps);
    std::printf("%-40s %6.1f %5.1f %6.1f %5.1f %6.1f %5.1f %6.1f %5.1f\n", s.what, blas, flops / blas / 1e3, onednn,
                flops / onednn / 1e3, eigen, flops / eigen / 1e3, dot, flops / dot / 1e3);
  }
  return 0;
}
