// core/calibration.hpp — what the `calibrated` timing model uses from a measured GPU profile
// (the defaults when there is none live in core/rates.hpp).
//
// A Calibration is derived from a profile (core/profile.hpp) and is small enough to travel in
// the page's link (`prof=` in the scenario string): measured HBM bandwidth, launch costs, and
// per data type a grid of GEMM rates over (M, N×K) shapes. Its text form is quantised to three
// significant digits, and estimates always use the decoded text, so a receiver of the link gets
// bit-identical numbers without the file.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "dtype.hpp"
#include "error.hpp"

namespace llmcalc {

// Measured GEMM rates of one data type: rate[i * m.size() + j] is FLOP/s at M = m[j] and the
// i-th (N, K) pair; 0 where the shape could not be measured.
struct GemmGrid {
  std::vector<double> m;
  std::vector<double> n, k;  // same length: the (N, K) pairs
  std::vector<double> rate;
  bool empty() const { return m.empty() || n.empty(); }
  bool operator==(const GemmGrid&) const = default;
};

struct Calibration {
  std::string device;          // measured device's name, e.g. "NVIDIA H100 80GB HBM3"
  std::string date;            // YYYY-MM-DD of the measurement
  double bandwidth_bytes_per_s = 0;  // device-memory read bandwidth at sizes ≫ L2
  double launch_stream_s = 0;  // per kernel, back-to-back launches on a stream
  double launch_graph_s = 0;   // per kernel inside a CUDA graph
  GemmGrid gemm[7];            // indexed by DType (fp32, fp16, bf16, fp8, int8; int4, fp4 unused)
  bool operator==(const Calibration&) const = default;
};

// Measured FLOP/s of a GEMM C[M,N] = A[M,K]·B[K,N] of data type t: interpolated linearly in log M
// within each measured (N, K) column and blended across columns by inverse squared distance in
// (log N, log K); outside the measured M range the nearest measured value. 0 where the
// calibration has no measurement of type t (core/rates.hpp then uses its default efficiency).
double measured_gemm_rate(const Calibration* c, DType t, double m, double n, double k);
// Seconds per kernel launch (0 without a calibration).
double launch_s(const Calibration* c, bool in_graph);

// What a measurement can be (the link decoder and the profile reader refuse anything else).
inline constexpr size_t kMaxCalibrationText = 16384;   // bytes of the prof= text
inline constexpr double kMinBandwidth = 1e9;           // B/s
inline constexpr double kMaxBandwidth = 1e14;          // B/s
inline constexpr double kMaxLaunch = 1e-3;             // s per kernel
inline constexpr double kMaxFlops = 1e17;              // FLOP/s of one GEMM on one GPU
inline constexpr double kMaxGemmDim = 1e7;             // M, N, K
inline constexpr size_t kMaxGridM = 64, kMaxGridNK = 512;  // per data type

// The compact text form (URL-safe characters only) and its reader; decode(encode(c)) is exact
// for any c that came from decode, and encode quantises to 3 significant digits.
std::string encode_calibration(const Calibration& c);
Result<Calibration> decode_calibration(std::string_view text);

}  // namespace llmcalc
