// calibrate/nvml.cpp — NVML opened at run time (see nvml.hpp).
#include "nvml.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>

namespace calib {

llmcalc::PhaseClocks summarize_clocks(const std::string& phase, const std::vector<ClockSample>& s) {
  llmcalc::PhaseClocks c;
  c.phase = phase;
  c.samples = int(s.size());
  if (s.empty()) return c;
  std::vector<double> clk, pw;
  for (const auto& x : s) {
    clk.push_back(x.sm_mhz);
    pw.push_back(x.power_w);
    c.temperature_c_max = std::max(c.temperature_c_max, x.temp_c);
  }
  std::sort(clk.begin(), clk.end());
  std::sort(pw.begin(), pw.end());
  c.sm_clock_mhz_min = clk.front();
  c.sm_clock_mhz_max = clk.back();
  c.sm_clock_mhz_median = clk[clk.size() / 2];
  c.power_w_median = pw[pw.size() / 2];
  c.power_w_max = pw.back();
  return c;
}

// NVML's C ABI (nvml.h): every call returns nvmlReturn_t, NVML_SUCCESS = 0; a device is an opaque
// handle. Clock type NVML_CLOCK_SM = 1; sensor NVML_TEMPERATURE_GPU = 0; power in milliwatts.
struct NvmlMemory {
  unsigned long long total, free, used;
};
struct Nvml::Api {
  int (*init)();
  int (*shutdown)();
  int (*by_pci)(const char*, void**);
  int (*clock)(void*, int, unsigned*);
  int (*max_clock)(void*, int, unsigned*);
  int (*power)(void*, unsigned*);
  int (*temperature)(void*, int, unsigned*);
  int (*memory)(void*, NvmlMemory*);
};

namespace {
template <class F>
bool bind(void* lib, const char* name, F& out) {
  out = reinterpret_cast<F>(dlsym(lib, name));
  return out != nullptr;
}
}  // namespace

std::unique_ptr<Nvml> Nvml::open(const std::string& pci_bus_id, std::string* why) {
  void* lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    if (why) *why = "NVML (libnvidia-ml.so.1) not found";
    return nullptr;
  }
  std::unique_ptr<Nvml> n(new Nvml);
  n->lib_ = lib;
  n->api_ = std::make_unique<Api>();
  Api& a = *n->api_;
  if (!bind(lib, "nvmlInit_v2", a.init) || !bind(lib, "nvmlShutdown", a.shutdown) ||
      !bind(lib, "nvmlDeviceGetHandleByPciBusId_v2", a.by_pci) || !bind(lib, "nvmlDeviceGetClockInfo", a.clock) ||
      !bind(lib, "nvmlDeviceGetMaxClockInfo", a.max_clock) || !bind(lib, "nvmlDeviceGetPowerUsage", a.power) ||
      !bind(lib, "nvmlDeviceGetTemperature", a.temperature) || !bind(lib, "nvmlDeviceGetMemoryInfo", a.memory)) {
    if (why) *why = "NVML lacks a function llmcalc-calibrate uses";
    n->api_.reset();  // nothing initialised: the destructor only closes the library
    return nullptr;
  }
  if (a.init() != 0) {
    if (why) *why = "nvmlInit failed";
    n->api_.reset();
    return nullptr;
  }
  if (a.by_pci(pci_bus_id.c_str(), &n->dev_) != 0) {
    if (why) *why = "NVML does not know the device at " + pci_bus_id + " (a MIG slice is reached through its parent)";
    return nullptr;
  }
  return n;
}

Nvml::~Nvml() {
  if (api_) api_->shutdown();
  if (lib_) dlclose(lib_);
}

bool Nvml::sample(ClockSample& out) const {
  unsigned clk = 0, mw = 0, temp = 0;
  if (api_->clock(dev_, 1, &clk) != 0) return false;
  out.sm_mhz = clk;
  out.power_w = api_->power(dev_, &mw) == 0 ? mw / 1000.0 : 0;
  out.temp_c = api_->temperature(dev_, 0, &temp) == 0 ? temp : 0;
  return true;
}

bool Nvml::memory(double& used, double& total) const {
  NvmlMemory m{};
  if (api_->memory(dev_, &m) != 0) return false;
  used = double(m.used);
  total = double(m.total);
  return true;
}

double Nvml::max_sm_clock_mhz() const {
  unsigned clk = 0;
  return api_->max_clock(dev_, 1, &clk) == 0 ? clk : 0;
}

ClockSampler::ClockSampler(const Nvml* nvml, int period_ms) : nvml_(nvml), period_ms_(period_ms) {
  if (!nvml_) return;
  thread_ = std::thread([this] {
    while (!stop_.load()) {
      ClockSample s;
      if (nvml_->sample(s)) {
        std::lock_guard<std::mutex> g(mu_);
        latest_ = s;
        if (!phase_.empty()) samples_.push_back(s);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(period_ms_));
    }
  });
}

ClockSampler::~ClockSampler() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void ClockSampler::begin(const std::string& phase) {
  std::lock_guard<std::mutex> g(mu_);
  phase_ = phase;
  samples_.clear();
}

llmcalc::PhaseClocks ClockSampler::end() {
  std::lock_guard<std::mutex> g(mu_);
  llmcalc::PhaseClocks c = summarize_clocks(phase_, samples_);
  phase_.clear();
  samples_.clear();
  return c;
}

ClockSample ClockSampler::latest() const {
  std::lock_guard<std::mutex> g(mu_);
  return latest_;
}

}  // namespace calib
