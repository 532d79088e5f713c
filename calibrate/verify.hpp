// calibrate/verify.hpp — whether a measured kernel computed the right thing: each sampled output
// against a double-precision reference, within a bound that scales like the error the type can
// really make (issue #11, 10). Pure C++, tested without a GPU (tests/calibrate/verify_test.cpp).
//
// For an output y = Σₖ aₖ·bₖ over K terms, with S = √(Σ (aₖ·bₖ)²) (= √K · rms of the products):
//   |got − ref| ≤ safety · (ε_in · S + ε_acc · √K · S + ε_out · |ref|) + tiny
//   ε_in:  rounding of the inputs inside the kernel (tf32 keeps 10 mantissa bits: 2⁻¹⁰ per product),
//          random in sign, so it grows like √K · rms = S;
//   ε_acc: accumulation, ~ε per addition on partial sums of size ~√k · rms: √K · S overall;
//   ε_out: rounding of the output to its type (bf16 2⁻⁸, fp16 2⁻¹¹, fp32 2⁻²⁴; int32: exact).
// A scale mistake (a 2× error is |ref| ≈ S) fails it; the old bound (1e-2 · Σ|a·b| ≈ 1e-2 · K/4 for
// values in [−1, 1]) let a 2× error through at K = 16k.
#pragma once
#include <string>

namespace calib {

struct Tolerance {
  double eps_in = 0, eps_acc = 0, eps_out = 0;
  double safety = 8;  // sigmas of the random parts, and room for the reference's own rounding
};

// The tolerance of a cuBLASLt GEMM of `dtype` ("fp32", "tf32", "fp16", "bf16", "fp8", "int8");
// fp8 with fast accumulation accumulates in fewer bits (ε_acc 2⁻¹³).
Tolerance gemm_tolerance(const std::string& dtype, bool fast_accum = false);
// bf16 outputs of llmcalc's own kernels that accumulate in fp32 (weight-only GEMM, attention).
Tolerance bf16_out_tolerance();

// The bound for one output (see above); `sum_sq` = Σ (aₖ·bₖ)².
double error_bound(const Tolerance& t, double k, double ref, double sum_sq);

struct Verdict {
  bool ok = true;
  int failures = 0;
  double worst = 0;  // largest |got − ref| ÷ bound (≤ 1 passes)
};
Verdict verify(const Tolerance& t, double k, const double* ref, const double* sum_sq, const double* got, int n);

}  // namespace calib
