// calibrate/nvml.hpp — SM clock, power and temperature while each phase runs (issue #11, 7), and
// the memory other processes hold, through NVML. NVML ships with the driver, not always with the
// toolkit's headers, so it is opened at run time (dlopen of libnvidia-ml.so.1) with the few
// functions of its stable C ABI declared here: no link-time dependency, and without it the
// calibrator runs on and says so. summarize_clocks is pure and tested without a GPU.
#pragma once
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/profile.hpp"

namespace calib {

struct ClockSample {
  double sm_mhz = 0, power_w = 0, temp_c = 0;
};

// Median/min/max of a phase's samples (0 samples: all 0).
llmcalc::PhaseClocks summarize_clocks(const std::string& phase, const std::vector<ClockSample>& samples);

class Nvml {
 public:
  // NVML for the device at `pci_bus_id` ("0000:18:00.0", from cudaDeviceGetPCIBusId); nullptr
  // with *why when the library or the device cannot be had.
  static std::unique_ptr<Nvml> open(const std::string& pci_bus_id, std::string* why);
  ~Nvml();
  bool sample(ClockSample& out) const;
  // Device memory in use (all processes) and in total, bytes.
  bool memory(double& used, double& total) const;
  double max_sm_clock_mhz() const;

 private:
  struct Api;
  Nvml() = default;
  void* lib_ = nullptr;
  void* dev_ = nullptr;
  std::unique_ptr<Api> api_;
};

// Samples a device every `period_ms` on a thread of its own; a phase's samples between begin()
// and end(). Without NVML it samples nothing and end() returns an empty summary.
class ClockSampler {
 public:
  ClockSampler(const Nvml* nvml, int period_ms = 20);
  ~ClockSampler();
  void begin(const std::string& phase);
  llmcalc::PhaseClocks end();
  bool active() const { return nvml_ != nullptr; }
  ClockSample latest() const;

 private:
  const Nvml* nvml_;
  int period_ms_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::string phase_;
  std::vector<ClockSample> samples_;
  ClockSample latest_;
  std::thread thread_;
};

}  // namespace calib
