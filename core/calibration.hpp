// core/calibration.hpp — the efficiencies the `calibrated` timing model applies to datasheet
// peaks: flat documented defaults until a measured GPU profile is imported (issue 4 replaces
// the defaults with shape-dependent values interpolated from the profile's GEMM grid).
#pragma once
#include "dtype.hpp"

namespace llmcalc {

// Defaults when no profile is loaded. These are NOT measurements: they are typical published
// achievements, documented in docs/formulas.md §Time:
//  - dense GEMM: large bf16 cuBLAS GEMMs reach ~70–80% of dense peak on A100/H100;
//  - device memory: streaming kernels reach ~85–90% of datasheet HBM bandwidth.
inline constexpr double kDefaultGemmEfficiency = 0.75;
inline constexpr double kDefaultBandwidthEfficiency = 0.85;

struct Calibration;  // defined by the profile module (issue 4); nullptr = defaults

// Fraction of the datasheet peak a GEMM of shape M×N×K (C[M,N] = A[M,K]·B[K,N]) reaches.
double gemm_efficiency(const Calibration* c, DType t, double m, double n, double k);
// Fraction of datasheet bandwidth reached when streaming `bytes` through device memory.
double bandwidth_efficiency(const Calibration* c, double bytes);
// Seconds of launch overhead per kernel (0 without a profile: the roofline ignores launches).
double kernel_overhead_s(const Calibration* c);

}  // namespace llmcalc
