// core/profile.hpp — the GPU profile file (DESIGN.md §3): what llmcalc-calibrate measures and
// writes, what the CLI and the page import. Raw latencies are stored; rates are derived here.
// Schema: docs/gpu-profile.schema.json ("schema": "llmcalc.gpu-profile", "schema_version": "1.x").
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calibration.hpp"
#include "error.hpp"
#include "gpu.hpp"
#include "scenario.hpp"

namespace llmcalc {

inline constexpr const char* kProfileSchema = "llmcalc.gpu-profile";
inline constexpr int kProfileMajor = 1;
inline constexpr const char* kProfileVersion = "1.1";  // 1.1: the sections after "gemm" (all optional)
inline constexpr size_t kMaxProfileBytes = 4 * 1024 * 1024;  // a dropped file larger than this is refused
inline constexpr size_t kMaxProfileGemm = 4096;       // entries of "gemm" (a full calibrator run writes ~1,500)
inline constexpr size_t kMaxProfileBandwidth = 256;   // entries of "bandwidth" and of "host_copies"
inline constexpr size_t kMaxProfileSection = 1024;    // entries of any other list

struct ProfileDevice {
  std::string name;             // as the driver reports it
  std::string compute_capability;  // "9.0"
  int sm_count = 0;
  double memory_bytes = 0;
  double l2_bytes = 0;
  double sm_clock_khz = 0, memory_clock_khz = 0;  // maximum clocks
  int memory_bus_bits = 0;
  std::string mig;              // the MIG profile ("3g.40gb") when the device is a MIG slice, else ""
};

// How one section was measured (schema 1.1, "methods"): what a reader needs to trust a number.
struct SectionMethod {
  std::string section;     // "bandwidth", "gemm", "attention.decode", …
  std::string timer;       // "cudaEvent pair after a spin kernel" …
  std::string statistic;   // "median"
  int warmup = 0, repetitions = 0;
  std::string flush;       // "none" | "read" | "write" | "rotate" (what stood between samples)
  std::string details;     // anything else (passes per launch, rotating copies, algorithms tried)
};

// NVML samples while a phase ran (schema 1.1, "clocks"): burst vs sustained clocks.
struct PhaseClocks {
  std::string phase;
  int samples = 0;
  double sm_clock_mhz_min = 0, sm_clock_mhz_median = 0, sm_clock_mhz_max = 0;
  double power_w_median = 0, power_w_max = 0;
  double temperature_c_max = 0;
};

struct BandwidthSample {
  std::string pattern;  // "read" | "write" | "copy"
  double working_set_bytes = 0;  // bytes of the buffers the kernel streams over
  double bytes_moved = 0;        // bytes read + written per run (copy counts both)
  double seconds = 0;            // statistic of the runs (method.statistic)
  double spread = 0;             // (p90 − p10) / median of the samples (1.1)
};

struct HostCopySample {
  std::string direction;  // "h2d" | "d2h" (pinned host memory)
  double bytes = 0, seconds = 0;
};

struct GemmSample {
  std::string dtype;   // fp32 tf32 fp16 bf16 fp8 int8
  double m = 0, n = 0, k = 0;  // C[m,n] = A[m,k]·B[k,n]; m = tokens
  double seconds = 0;          // the heuristic's first algorithm
  double best_seconds = 0;     // best of the algorithms tried
  int algorithms_tried = 0;
  bool verified = false;       // checked against a reference on sampled outputs
  double spread = 0;           // (1.1)
  // fp8 (1.1): `seconds` is with cuBLASLt's fast accumulation (what serving runs); the time
  // without it, labelled, when measured (0 otherwise)
  bool fast_accum = false;
  double seconds_without_fast_accum = 0;
};

// Decode GEMMs timed three ways (1.1): the L2 flush that stood before each sample.
struct FlushComparison {
  std::string dtype;
  double m = 0, n = 0, k = 0;
  double write_flush_s = 0, read_flush_s = 0, rotate_s = 0;
};

// A large GEMM run back to back for a while (1.1): the first and the last second's time per GEMM.
struct SustainedSample {
  std::string dtype;
  double m = 0, n = 0, k = 0;
  double duration_s = 0, first_seconds = 0, last_seconds = 0;
  double sm_clock_mhz_first = 0, sm_clock_mhz_last = 0, power_w_last = 0, temperature_c_last = 0;
};

// Decode attention (1.1): llmcalc's own split-context kernel over a bf16 KV cache.
struct AttentionDecodeSample {
  double context = 0, batch = 0, head_dim = 0, q_heads = 0, kv_heads = 0;
  double bytes_moved = 0;  // K and V read (+ Q, O)
  double seconds = 0, spread = 0;
  bool verified = false;
};

// Prefill attention (1.1): what the calibrator ran, named in `kernel`.
struct AttentionPrefillSample {
  double seq = 0, batch = 0, heads = 0, head_dim = 0;
  double flop = 0;  // 4·seq²·head_dim·heads·batch: every (query, key) pair
  double seconds = 0, spread = 0;
  bool verified = false;
  std::string kernel;
};

// Weight-only GEMM (1.1): llmcalc's reference dequantising kernel.
struct WeightOnlySample {
  std::string format;  // "w4a16_g128" | "w8a16_g128"
  double m = 0, n = 0, k = 0;
  double weight_bytes = 0;  // packed weights + scales (+ zeros) read
  double seconds = 0, spread = 0;
  bool verified = false;
  std::string kernel;  // "llmcalc reference (gemv)" …
};

// Grouped (MoE) GEMM (1.1): `experts` GEMMs of rows_per_expert × n × k, each its own weights.
struct GroupedGemmSample {
  std::string dtype;
  double experts = 0, rows_per_expert = 0, n = 0, k = 0;
  double seconds = 0, spread = 0;
  bool verified = false;
};

// A small kernel (1.1): time per kernel launched back to back on a stream.
struct SmallKernelSample {
  std::string kernel;  // small_kernel_name(): rmsnorm silu_mul rope residual_add embedding sampling
  double tokens = 0, width = 0;  // rows, and elements per row (hidden, ffn, (heads+kv)·d, vocab)
  double bytes_moved = 0, seconds = 0, spread = 0;
};

// What a program can use (1.1).
struct UsableMemory {
  double total_bytes = 0;               // what the driver reports
  double free_after_context_bytes = 0;  // cudaMemGetInfo once the context exists
  double free_after_cublas_bytes = 0;   // … and a cuBLASLt handle and its workspace
  double cublas_workspace_bytes = 0;
  double context_bytes = 0;             // used by this process for the context + cuBLASLt (NVML), else total − free
  double others_bytes = 0;              // used by other processes when the run began (NVML; 0 unknown)
  double largest_allocation_bytes = 0;  // the largest single cudaMalloc that succeeded
};

struct P2PSample {
  int src = 0, dst = 0;
  double bytes = 0, seconds = 0;
  bool peer_access = false;  // cudaDeviceCanAccessPeer (else staged through the host)
};

// A collective (1.1), imported from nccl-tests output (core/nccl_tests.hpp).
struct CollectiveSample {
  std::string op;  // collective_name(): all_reduce all_gather reduce_scatter all_to_all
  int ranks = 0;
  double bytes = 0, seconds = 0;  // nccl-tests' "size" and out-of-place "time"
  double bus_bandwidth = 0;       // bytes/s, as nccl-tests reports it ("busbw")
  std::string source;             // file name and the devices it lists
};

struct Profile {
  std::string schema_version = kProfileVersion;
  std::string created;  // ISO 8601 UTC
  std::string status = "complete", status_reason;  // "complete" | "partial" (1.1)
  std::string tool = "llmcalc-calibrate", tool_version, run_mode;  // run_mode: "quick" | "full"
  double run_seconds = 0;
  ProfileDevice device;
  std::string driver, runtime, cublas;  // versions
  std::string timer = "cudaEvent", statistic = "median";
  int warmup = 0, repetitions = 0;
  bool l2_flushed = true;
  double launch_empty_s = 0, launch_back_to_back_s = 0, launch_graph_s = 0;  // per kernel
  std::vector<BandwidthSample> bandwidth;
  std::vector<HostCopySample> host_copies;
  std::vector<GemmSample> gemm;
  // 1.1
  std::vector<SectionMethod> methods;
  std::vector<PhaseClocks> clocks;
  std::vector<FlushComparison> gemm_flush;
  std::vector<SustainedSample> sustained;
  std::vector<AttentionDecodeSample> attention_decode;
  std::vector<AttentionPrefillSample> attention_prefill;
  std::vector<WeightOnlySample> weight_only;
  std::vector<GroupedGemmSample> grouped_gemm;
  std::vector<SmallKernelSample> small_kernels;
  UsableMemory memory;  // total_bytes 0: not measured
  std::vector<P2PSample> p2p;
  std::vector<CollectiveSample> collectives;
  std::vector<std::string> notes;  // what was skipped and why
};

// The error for a file of `bytes` bytes when it is over the cap (also used before reading it).
std::optional<Error> profile_size_error(size_t bytes);
// Reads a profile defensively: size cap, JSON syntax, types of every field used; an unknown
// major version is refused, unknown fields ignored. Errors name the field.
Result<Profile> parse_profile(std::string_view text);
// The profile as JSON (what the calibrator writes).
std::string write_profile(const Profile& p);
// Rates derived from the raw latencies: bandwidth = bytes_moved / seconds of the largest
// "read" working set; GEMM rate = 2·m·n·k / seconds; launch costs as measured.
Calibration calibration_from_profile(const Profile& p);
// Measured peak FLOP/s of a data type (best over shapes), 0 when not measured.
double measured_peak(const Profile& p, std::string_view dtype);
// Best measured bandwidth of a pattern over working sets ≥ 4× L2 (device memory, not L2).
double measured_bandwidth(const Profile& p, std::string_view pattern);
// Puts the profile's calibration into the scenario (prof=…) and, unless keep_gpu, selects the
// GPU preset its device matches. Returns what it changed, for the user.
std::vector<std::string> apply_profile(Scenario& s, const Profile& p, bool keep_gpu);
// `llmcalc profile check`: device and how it matches a preset, peaks per type vs datasheet,
// bandwidth vs datasheet, and a line per schema-1.1 section (what was measured, how).
std::string profile_summary(const Profile& p);

}  // namespace llmcalc
