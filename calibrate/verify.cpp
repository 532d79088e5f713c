// calibrate/verify.cpp — the error bound of a sampled output (see verify.hpp).
#include "verify.hpp"

#include <cmath>

namespace calib {

Tolerance gemm_tolerance(const std::string& t, bool fast_accum) {
  const double fp32 = std::ldexp(1.0, -24);
  if (t == "int8") return {0, 0, 0, 0};  // int8 × int8 summed in int32: exact
  if (t == "fp32") return {0, fp32, fp32, 8};
  if (t == "tf32") return {std::ldexp(1.0, -10), fp32, fp32, 8};
  if (t == "fp16") return {0, fp32, std::ldexp(1.0, -11), 8};
  if (t == "fp8") return {0, fast_accum ? std::ldexp(1.0, -13) : fp32, std::ldexp(1.0, -8), 8};  // bf16 output
  return {0, fp32, std::ldexp(1.0, -8), 8};  // bf16
}

Tolerance bf16_out_tolerance() { return {0, std::ldexp(1.0, -24), std::ldexp(1.0, -8), 8}; }

double error_bound(const Tolerance& t, double k, double ref, double sum_sq) {
  const double s = std::sqrt(sum_sq);
  return t.safety * (t.eps_in * s + t.eps_acc * std::sqrt(k) * s + t.eps_out * std::fabs(ref)) + 1e-12 * s;
}

Verdict verify(const Tolerance& t, double k, const double* ref, const double* sum_sq, const double* got, int n) {
  Verdict v;
  for (int i = 0; i < n; ++i) {
    const double err = std::fabs(got[i] - ref[i]);
    const double bound = error_bound(t, k, ref[i], sum_sq[i]);
    const double ratio = bound > 0 ? err / bound : (err > 0 ? INFINITY : 0);
    if (!(err <= bound)) {  // NaN fails too
      v.ok = false;
      ++v.failures;
    }
    if (ratio > v.worst || std::isnan(ratio)) v.worst = std::isnan(ratio) ? INFINITY : ratio;
  }
  return v;
}

}  // namespace calib
