// calibrate/checker.hpp — sampled outputs of a timed kernel against the double-precision
// reference kernels, within verify.hpp's bound (host code: CUDA copies, no device code).
#pragma once
#include <vector>

#include "bench.hpp"
#include "check.hpp"
#include "kernels.hpp"
#include "verify.hpp"

namespace calib {

inline constexpr int kChecks = 64;

// Sampled outputs against the double-precision reference, within verify.hpp's bound.
class Checker {
 public:
  Checker()
      : rows_(kChecks * sizeof(int), "verification"), cols_(kChecks * sizeof(int), "verification"),
        bat_(kChecks * sizeof(int), "verification"), out_(3 * kChecks * sizeof(double), "verification") {}
  // C (n × m per batch, column-major) = Aᵀ·B, A k × n ("TN"), `batch` of them apart by the strides.
  Verdict gemm(const Tolerance& tol, Elem e_ab, Elem e_c, const void* a, const void* b, const void* c, int m, int n, int k, int batch,
               long long sa, long long sb, long long sc, cudaStream_t s) {
    std::vector<int> rows(kChecks), cols(kChecks), bat(kChecks);
    for (int i = 0; i < kChecks; ++i) {
      rows[i] = int((uint64_t(i) * 2654435761u + 17) % uint64_t(n));
      cols[i] = int((uint64_t(i) * 40503u + 3) % uint64_t(m));
      bat[i] = int((uint64_t(i) * 97u) % uint64_t(batch));
    }
    upload(rows, cols, bat, s);
    launch_reference(a, e_ab, b, e_ab, c, e_c, n, k, sa, sb, sc, rows_.as<int>(), cols_.as<int>(), bat_.as<int>(), kChecks,
                     out_.as<double>(), out_.as<double>() + kChecks, out_.as<double>() + 2 * kChecks, s);
    return download_and_verify(tol, k, s);
  }
  Verdict weight_only(const WeightOnly& w, cudaStream_t s) {
    std::vector<int> rows(kChecks), cols(kChecks), bat(kChecks, 0);
    for (int i = 0; i < kChecks; ++i) {
      rows[i] = int((uint64_t(i) * 2654435761u + 5) % uint64_t(w.n));
      cols[i] = int((uint64_t(i) * 40503u + 1) % uint64_t(w.m));
    }
    upload(rows, cols, bat, s);
    launch_weight_only_reference(w, rows_.as<int>(), cols_.as<int>(), kChecks, out_.as<double>(), out_.as<double>() + kChecks,
                                 out_.as<double>() + 2 * kChecks, s);
    return download_and_verify(bf16_out_tolerance(), w.k, s);
  }

 private:
  void upload(const std::vector<int>& rows, const std::vector<int>& cols, const std::vector<int>& bat, cudaStream_t s) {
    CUDA_CHECK(cudaMemcpyAsync(rows_.get(), rows.data(), kChecks * sizeof(int), cudaMemcpyHostToDevice, s));
    CUDA_CHECK(cudaMemcpyAsync(cols_.get(), cols.data(), kChecks * sizeof(int), cudaMemcpyHostToDevice, s));
    CUDA_CHECK(cudaMemcpyAsync(bat_.get(), bat.data(), kChecks * sizeof(int), cudaMemcpyHostToDevice, s));
  }
  Verdict download_and_verify(const Tolerance& tol, int k, cudaStream_t s) {
    CUDA_CHECK(cudaGetLastError());
    std::vector<double> host(3 * kChecks);
    CUDA_CHECK(cudaMemcpyAsync(host.data(), out_.get(), host.size() * sizeof(double), cudaMemcpyDeviceToHost, s));
    CUDA_CHECK(cudaStreamSynchronize(s));
    return verify(tol, k, host.data(), host.data() + kChecks, host.data() + 2 * kChecks, kChecks);
  }
  DeviceBuffer rows_, cols_, bat_, out_;
};

}  // namespace calib
