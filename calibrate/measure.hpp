// calibrate/measure.hpp — host-side measurement on one CUDA device: identity, launch costs,
// memory bandwidth, host copies, cuBLASLt GEMMs. Results go straight into core's Profile.
#pragma once
#include <algorithm>
#include <chrono>
#include <functional>
#include <string>

#include "core/profile.hpp"

namespace calib {

struct Options {
  bool quick = false;
  int device = 0;
  double time_limit_s = 0;   // GEMM phase budget; 0 = the mode's default (quick 12 s, full 45 s)
};

// What the measurements need to know about the device (from describe_device).
struct DeviceInfo {
  int sms = 0;                 // streaming multiprocessors
  int threads_per_sm = 2048;   // resident threads per SM at full occupancy
  size_t l2_bytes = 0;
  // A grid that fills the device: every SM at full occupancy with 256-thread blocks (BabelStream).
  int streaming_blocks() const { return std::max(1, sms) * std::max(1, threads_per_sm / 256); }
};

// Progress on stderr: "[#####.....]  45%  bf16 M=256 N=4096 K=4096".
class Progress {
 public:
  explicit Progress(int total) : total_(total > 0 ? total : 1) {}
  void step(const std::string& what);
  void finish();
 private:
  int total_, done_ = 0;
};

using Clock = std::chrono::steady_clock;

// Number of CUDA devices (0 when there is none or no driver); never throws.
int device_count(std::string* why);
// Device identity, versions, free-memory check into the profile; throws Failure (busy, no device).
DeviceInfo describe_device(const Options& o, llmcalc::Profile& p);
void measure_launch(const Options& o, llmcalc::Profile& p);
void measure_bandwidth(const Options& o, const DeviceInfo& dev, llmcalc::Profile& p, Progress& bar);
void measure_host_copies(const Options& o, llmcalc::Profile& p);
// GEMMs per data type over the shape grid, until the deadline; notes what was skipped.
void measure_gemm(const Options& o, const DeviceInfo& dev, llmcalc::Profile& p, Progress& bar,
                  Clock::time_point deadline);
// How many progress steps the GEMM and bandwidth phases have.
int gemm_steps(const Options& o);
int bandwidth_steps(const Options& o);

}  // namespace calib
