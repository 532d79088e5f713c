// core/calibration.hpp — what the `calibrated` timing model uses from a measured GPU profile
// (the defaults when there is none live in core/rates.hpp).
//
// A Calibration is derived from a profile (core/profile.hpp) and is small enough to travel in
// the page's link (`prof=` in the scenario string): measured HBM bandwidth, launch costs, per data
// type a grid of GEMM rates over (M, N×K) shapes, and (profile schema 1.1, all optional) the
// weight-only and grouped (MoE) GEMM grids, decode and prefill attention, the small kernels, the
// memory a program can use, imported collectives and peer-to-peer copies. Its text form is
// quantised to three significant digits, and estimates always use the decoded text, so a receiver
// of the link gets bit-identical numbers without the file.
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

// A measured curve y(x) over strictly increasing x: log-log interpolation between points, the end
// values beyond them (curve_at).
struct Curve {
  std::vector<double> x, y;
  bool empty() const { return x.empty(); }
  bool operator==(const Curve&) const = default;
};

// Decode attention measured at one shape: achieved bytes/s reading K and V.
struct AttentionPoint {
  double context = 0, batch = 0, head_dim = 0, gqa = 1;  // tokens, sequences, elements, query heads per KV head
  double bytes_per_s = 0;
  bool operator==(const AttentionPoint&) const = default;
};
// Prefill attention (batched GEMMs + softmax, unfused, every (query, key) pair computed) at one shape.
struct PrefillAttentionPoint {
  double seq = 0, head_dim = 0;  // tokens, elements
  double flop_per_s = 0;         // 4·seq²·head_dim per head ÷ seconds
  bool operator==(const PrefillAttentionPoint&) const = default;
};

// The latency-bound kernels between the GEMMs (llmcalc's own kernels, bf16).
enum class SmallKernel { rmsnorm, silu_mul, rope, residual_add, embedding, sampling };
inline constexpr int kSmallKernelCount = 6;
const char* small_kernel_name(SmallKernel k);  // "rmsnorm", … (the profile's names)

// Collectives imported from nccl-tests output (core/nccl_tests.hpp).
enum class Collective { all_reduce, all_gather, reduce_scatter, all_to_all };
inline constexpr int kCollectiveCount = 4;
const char* collective_name(Collective c);  // "all_reduce", …
struct CollectiveCurve {
  Collective op = Collective::all_reduce;
  int ranks = 0;
  Curve time;  // bytes (as nccl-tests prints "size") → seconds (out-of-place)
  bool operator==(const CollectiveCurve&) const = default;
};

// Weight-only formats llmcalc's reference kernel measures: 4 bits (W4A16, group-128 fp16 scale and
// 4-bit zero) and 8 bits (W8A16, group-128 fp16 scale); bytes per weight, scales included.
inline constexpr double kW4A16BytesPerWeight = 0.5 + 2.5 / 128;
inline constexpr double kW8A16BytesPerWeight = 1.0 + 2.0 / 128;

struct Calibration {
  std::string device;          // measured device's name, e.g. "NVIDIA H100 80GB HBM3"
  std::string date;            // YYYY-MM-DD of the measurement
  double bandwidth_bytes_per_s = 0;  // device-memory read bandwidth at sizes ≫ L2
  double launch_stream_s = 0;  // per kernel, back-to-back launches on a stream
  double launch_graph_s = 0;   // per kernel inside a CUDA graph
  GemmGrid gemm[7];            // indexed by DType (fp32, fp16, bf16, fp8, int8; int4, fp4 unused)
  // schema 1.1 (each empty / 0 when the profile does not have it)
  GemmGrid weight_only[2];     // [0] W4A16, [1] W8A16: FLOP/s of llmcalc's reference kernel
  GemmGrid grouped[7];         // MoE grouped GEMMs by DType: M = rows per expert, FLOP/s over all experts
  std::vector<AttentionPoint> attn_decode;
  std::vector<PrefillAttentionPoint> attn_prefill;
  Curve small[kSmallKernelCount];  // bytes moved → seconds per kernel, launched back to back
  double memory_bytes = 0;     // device memory the driver reports
  double context_bytes = 0;    // taken by the CUDA context + cuBLASLt handle and workspace
  std::vector<CollectiveCurve> collectives;
  double p2p_bytes_per_s = 0;  // GPU-to-GPU copy, largest size measured
  double p2p_latency_s = 0;    // GPU-to-GPU copy of the smallest size
  bool operator==(const Calibration&) const = default;
};

// Measured FLOP/s of a GEMM C[M,N] = A[M,K]·B[K,N] of data type t: interpolated linearly in log M
// within each measured (N, K) column and blended across columns by inverse squared distance in
// (log N, log K); outside the measured M range the nearest measured value. 0 where the
// calibration has no measurement of type t (core/rates.hpp then uses its default efficiency).
double measured_gemm_rate(const Calibration* c, DType t, double m, double n, double k);
// Seconds per kernel launch (0 without a calibration).
double launch_s(const Calibration* c, bool in_graph);

// The schema-1.1 look-ups; each is 0 where the calibration has no such measurement.
// y(x) of a curve: log-log between points, the end values beyond.
double curve_at(const Curve& c, double x);
// FLOP/s of llmcalc's weight-only reference kernel (bits 4 or 8) at a shape, as measured_gemm_rate;
// 0 above the largest measured M (large GEMMs dequantise once and run at the 16-bit rate).
double measured_weight_only_rate(const Calibration* c, int bits, double m, double n, double k);
// Bytes/s that kernel streams its weights at: the best measured M = 1 shape.
double weight_only_bandwidth(const Calibration* c, int bits);
// FLOP/s of a grouped (MoE) GEMM of type t with `rows` rows per expert.
double measured_grouped_rate(const Calibration* c, DType t, double rows, double n, double k);
// Bytes/s decode attention reads K and V at: blended over the measured shapes by inverse squared
// distance in (log context, log batch, log head_dim, log gqa); a measured shape exactly.
double measured_decode_attention_bandwidth(const Calibration* c, double context, double batch, double head_dim, double gqa);
// FLOP/s of prefill attention at `seq` tokens: log-log in seq among the shapes of the nearest head_dim.
double measured_prefill_attention_rate(const Calibration* c, double seq, double head_dim);
// Seconds one small kernel moving `bytes` takes, launched back to back.
double measured_small_kernel_s(const Calibration* c, SmallKernel k, double bytes);
// Seconds of a collective of `bytes` over `ranks` GPUs (0 unless measured at exactly that many).
double measured_collective_s(const Calibration* c, Collective op, int ranks, double bytes);

// What a measurement can be (the link decoder and the profile reader refuse anything else).
inline constexpr size_t kMaxCalibrationText = 16384;   // bytes of the prof= text
inline constexpr double kMinBandwidth = 1e9;           // B/s
inline constexpr double kMaxBandwidth = 1e14;          // B/s
inline constexpr double kMaxLaunch = 1e-3;             // s per kernel
inline constexpr double kMaxFlops = 1e17;              // FLOP/s of one GEMM on one GPU
inline constexpr double kMaxGemmDim = 1e7;             // M, N, K
inline constexpr size_t kMaxGridM = 64, kMaxGridNK = 512;  // per data type
inline constexpr size_t kMaxPoints = 128;                  // per attention list, small-kernel or collective curve
inline constexpr size_t kMaxCollectiveCurves = 16;
inline constexpr double kMaxMemoryBytes = 1e15;

// The compact text form (URL-safe characters only) and its reader; decode(encode(c)) is exact
// for any c that came from decode, and encode quantises to 3 significant digits (a curve point
// whose x quantises onto the previous one is dropped). Links without the schema-1.1 sections
// (every link written before them) read as before.
std::string encode_calibration(const Calibration& c);
Result<Calibration> decode_calibration(std::string_view text);

}  // namespace llmcalc
