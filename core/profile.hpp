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
inline constexpr const char* kProfileVersion = "1.0";
inline constexpr size_t kMaxProfileBytes = 4 * 1024 * 1024;  // a dropped file larger than this is refused
inline constexpr size_t kMaxProfileGemm = 4096;       // entries of "gemm" (a full calibrator run writes ~400)
inline constexpr size_t kMaxProfileBandwidth = 256;   // entries of "bandwidth" and of "host_copies"

struct ProfileDevice {
  std::string name;             // as the driver reports it
  std::string compute_capability;  // "9.0"
  int sm_count = 0;
  double memory_bytes = 0;
  double l2_bytes = 0;
  double sm_clock_khz = 0, memory_clock_khz = 0;  // maximum clocks
  int memory_bus_bits = 0;
};

struct BandwidthSample {
  std::string pattern;  // "read" | "write" | "copy"
  double working_set_bytes = 0;  // bytes of the buffers the kernel streams over
  double bytes_moved = 0;        // bytes read + written per run (copy counts both)
  double seconds = 0;            // statistic of the runs (method.statistic)
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
};

struct Profile {
  std::string schema_version = kProfileVersion;
  std::string created;  // ISO 8601 UTC
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
// `llmcalc profile check`: device, peaks per type vs datasheet, bandwidth vs datasheet.
std::string profile_summary(const Profile& p);

}  // namespace llmcalc
