// tests/calibrate/verify_test.cpp — the verification bound ε·√K·|values| (issue #11, 10): right
// results pass, a scale mistake fails at K = 16k, where the old bound let it through.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "verify.hpp"

using namespace calib;

namespace {
// Round to bf16 (round to nearest even), as a bf16 output of a GEMM is.
double to_bf16(double x) {
  float f = float(x);
  uint32_t u;
  std::memcpy(&u, &f, 4);
  u = (u + 0x7fff + ((u >> 16) & 1)) & 0xffff0000u;
  std::memcpy(&f, &u, 4);
  return f;
}
struct Samples {
  std::vector<double> ref, sq, exact;
};
// 64 outputs of K products of bf16-like values in [-1, 1), summed in double (the reference).
Samples make(int k, uint32_t seed) {
  Samples s;
  uint32_t x = seed;
  auto next = [&] {
    x = x * 1664525u + 1013904223u;
    return to_bf16(double(x >> 8) / 8388608.0 - 1.0);
  };
  for (int i = 0; i < 64; ++i) {
    double sum = 0, sq = 0;
    for (int j = 0; j < k; ++j) {
      const double p = next() * next();
      sum += p;
      sq += p * p;
    }
    s.ref.push_back(sum);
    s.sq.push_back(sq);
  }
  return s;
}
}  // namespace

TEST_CASE("bf16 GEMM outputs: right results pass, a 2x scale error fails at K = 16k") {
  const int k = 16384;
  const Samples s = make(k, 1);
  std::vector<double> right, twice, off_by_1pct;
  for (double r : s.ref) {
    right.push_back(to_bf16(r * (1 + 1e-7)));  // fp32 accumulation noise, then the bf16 output
    twice.push_back(to_bf16(2 * r));
    off_by_1pct.push_back(to_bf16(1.01 * r));
  }
  const Tolerance t = gemm_tolerance("bf16");
  CHECK(verify(t, k, s.ref.data(), s.sq.data(), right.data(), 64).ok);
  const Verdict bad = verify(t, k, s.ref.data(), s.sq.data(), twice.data(), 64);
  CHECK_FALSE(bad.ok);
  CHECK(bad.failures > 48);  // nearly every sample
  CHECK(verify(t, k, s.ref.data(), s.sq.data(), off_by_1pct.data(), 64).ok);  // within bf16's output rounding × 8
  // the bound the calibrator used before: 1e-2 · Σ|a·b| ≈ 1e-2 · K/4 = 41, while |ref| ~ √K/3 ≈ 43
  int old_pass = 0;
  for (int i = 0; i < 64; ++i) old_pass += std::fabs(twice[i] - s.ref[i]) <= 1e-2 * (k / 4.0) ? 1 : 0;
  CHECK(old_pass > 32);  // most 2x errors passed the old check
}

TEST_CASE("each type's bound: int8 exact, tf32 loose enough for its rounded inputs, fp8 fast accumulation looser") {
  const int k = 4096;
  const Samples s = make(k, 7);
  std::vector<double> exact(s.ref), plus_one(s.ref);
  for (double& v : plus_one) v += 1;
  const Tolerance i8 = gemm_tolerance("int8");
  CHECK(verify(i8, k, s.ref.data(), s.sq.data(), exact.data(), 64).ok);
  CHECK_FALSE(verify(i8, k, s.ref.data(), s.sq.data(), plus_one.data(), 64).ok);
  // tf32: a 2^-10 relative error on every product, random in sign
  std::vector<double> tf32(64);
  for (int i = 0; i < 64; ++i) tf32[i] = s.ref[i] + ((i % 2) ? 1 : -1) * std::ldexp(1.0, -10) * std::sqrt(s.sq[i]);
  CHECK(verify(gemm_tolerance("tf32"), k, s.ref.data(), s.sq.data(), tf32.data(), 64).ok);
  CHECK_FALSE(verify(gemm_tolerance("fp32"), k, s.ref.data(), s.sq.data(), tf32.data(), 64).ok);
  CHECK(gemm_tolerance("fp8", true).eps_acc > gemm_tolerance("fp8", false).eps_acc);
  // NaN never passes
  std::vector<double> nan(64, NAN);
  CHECK_FALSE(verify(gemm_tolerance("fp32"), k, s.ref.data(), s.sq.data(), nan.data(), 64).ok);
}
