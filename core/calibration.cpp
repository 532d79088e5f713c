// core/calibration.cpp — default efficiencies (no profile loaded).
#include "calibration.hpp"

namespace llmcalc {

double gemm_efficiency(const Calibration*, DType, double, double, double) { return kDefaultGemmEfficiency; }
double bandwidth_efficiency(const Calibration*, double) { return kDefaultBandwidthEfficiency; }
double kernel_overhead_s(const Calibration*) { return 0.0; }

}  // namespace llmcalc
