// calibrate/bench.hpp — what every measurement shares: device buffers that free themselves, the
// timed window (window.hpp: a spin kernel, then the events around the work), L2 flushes, NVML
// clocks per phase, and the run's state. Host code with CUDA types; kernels live in the .cu files.
#pragma once
#include <cuda_runtime.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "nvml.hpp"
#include "run.hpp"
#include "stats.hpp"

namespace calib {

struct Options {
  bool quick = false;
  int device = 0;
  double time_limit_s = 0;   // GEMM phase budget; 0 = the mode's default (quick 30 s, full 150 s)
  double sustained_s = -1;   // seconds of the sustained GEMM; < 0 = the mode's default (quick 0, full 10)
};

// What the measurements need to know about the device (from describe_device).
struct DeviceInfo {
  int sms = 0;                 // streaming multiprocessors
  int threads_per_sm = 2048;   // resident threads per SM at full occupancy
  int cc = 0;                  // compute capability, major·10 + minor
  size_t l2_bytes = 0;
  std::string pci_bus_id;
  // A grid that fills the device: every SM at full occupancy with 256-thread blocks (BabelStream).
  int streaming_blocks() const { return std::max(1, sms) * std::max(1, threads_per_sm / 256); }
};

// Device memory, freed when it goes out of scope (all GPU memory is released on every path).
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  DeviceBuffer(size_t bytes, const char* what) { alloc(bytes, what); }
  ~DeviceBuffer();
  DeviceBuffer(DeviceBuffer&& o) noexcept : p_(o.p_), size_(o.size_) { o.p_ = nullptr, o.size_ = 0; }
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  void alloc(size_t bytes, const char* what);  // throws Failure(kOutOfMemory) naming `what`
  void* get() const { return p_; }
  template <class T>
  T* as() const { return static_cast<T*>(p_); }
  size_t size() const { return size_; }

 private:
  void* p_ = nullptr;
  size_t size_ = 0;
};

enum class Flush { none, read, write };
const char* flush_name(Flush f);

// Progress on stderr: "[#####.....]  45%  bf16 M=256 N=4096 K=4096".
class Progress {
 public:
  void set_total(int total) { total_ = total > 0 ? total : 1; }
  void step(const std::string& what);
  void finish();

 private:
  int total_ = 1, done_ = 0;
};

class Bench {
 public:
  Bench(const Options& o, const DeviceInfo& dev, RunState& st, const Nvml* nvml);
  ~Bench();
  Bench(const Bench&) = delete;
  Bench& operator=(const Bench&) = delete;

  const Options& o;
  const DeviceInfo dev;
  RunState& st;
  Progress bar;
  const Nvml* nvml;
  ClockSampler clocks;
  cudaStream_t stream() const { return s_; }

  // Seconds of one timed window around `work` (window_steps: flush, spin, start, work, stop,
  // release, wait); negative when the spin kernel timed out (the host was too slow: not a sample).
  double window(const std::function<void()>& work, Flush flush = Flush::none);
  // `count` valid windows after `warmup` ones (a timed-out window is taken again, at most 3 times
  // over), each divided by `per_window` (launches in it).
  std::vector<double> samples(const std::function<void()>& work, int count, int warmup, int per_window = 1, Flush flush = Flush::none);
  // One window around `work` after running it once outside any window (lazy loading, first touch):
  // an estimate of its time for sizing windows (1 ms when it cannot be had).
  double first_window(const std::function<void()>& work);
  // How many launches make a window last about `target_s`, given one launch's time (1…cap).
  static int launches_for(double one_s, double target_s, int cap) { return reps_for(one_s, target_s, cap); }
  // Seconds per launch of `launch(i)` over rotating copies i = 0 … copies − 1 of the data it reads
  // (so each copy is cold in L2 when its turn comes again, as each layer's weights are), with as
  // many launches per window as make it last ≥ target_s (at most 256).
  Summary rotating(const std::function<void(int)>& launch, int copies, int count, int warmup, double target_s = 100e-6);
  // Copies of `bytes` of data that together exceed three times the L2 (1…32).
  int copies_for(double bytes) const;
  void flush(Flush f);
  void sync();

  // A phase: its NVML clocks (when there is NVML) go into the profile's clocks.
  void phase_begin(const std::string& name);
  void phase_end();
  // How a section was measured.
  void method(const std::string& section, const std::string& timer, int warmup, int repetitions, const std::string& flush,
              const std::string& details);

 private:
  cudaStream_t s_ = nullptr;
  cudaEvent_t start_ = nullptr, stop_ = nullptr;
  volatile int* flag_ = nullptr;  // host-mapped: the gate kernel waits for it
  int* timed_out_ = nullptr;      // host-mapped
  int* flag_dev_ = nullptr;
  int* timed_out_dev_ = nullptr;
  DeviceBuffer flush_buf_;
  std::string phase_;
};

inline constexpr const char* kTimer = "cudaEvent pair after a spin kernel (host gaps excluded)";

}  // namespace calib
