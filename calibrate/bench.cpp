// calibrate/bench.cpp — buffers, the timed window, flushes, phases (see bench.hpp).
#include "bench.hpp"

#include <atomic>
#include <cmath>
#include <cstdio>

#include "check.hpp"
#include "core/units.hpp"
#include "kernels.hpp"
#include "window.hpp"

namespace calib {

namespace {
constexpr unsigned long long kGateTimeoutNs = 2'000'000'000ull;  // 2 s: the host enqueues far faster
}

DeviceBuffer::~DeviceBuffer() {
  if (p_) cudaFree(p_);
}

DeviceBuffer& DeviceBuffer::operator=(DeviceBuffer&& o) noexcept {
  if (this != &o) {
    if (p_) cudaFree(p_);
    p_ = o.p_;
    size_ = o.size_;
    o.p_ = nullptr;
    o.size_ = 0;
  }
  return *this;
}

void DeviceBuffer::alloc(size_t bytes, const char* what) {
  if (p_) cudaFree(p_);
  p_ = nullptr;
  size_ = 0;
  const cudaError_t e = cudaMalloc(&p_, bytes);
  if (e != cudaSuccess) {
    p_ = nullptr;
    if (sticky(e)) CUDA_CHECK(e);
    cudaGetLastError();
    size_t free_b = 0, total_b = 0;
    cudaMemGetInfo(&free_b, &total_b);
    throw Failure(kOutOfMemory, std::string("not enough GPU memory for ") + what + ": need " + llmcalc::format_bytes(double(bytes)) +
                                    ", " + llmcalc::format_bytes(double(free_b)) + " free");
  }
  size_ = bytes;
}

const char* flush_name(Flush f) { return f == Flush::read ? "read" : f == Flush::write ? "write" : "none"; }

void Progress::step(const std::string& what) {
  ++done_;
  const int width = 30, filled = std::min(width, done_ * width / total_);
  std::fprintf(stderr, "\r[%s%s] %3d%%  %-48.48s", std::string(size_t(filled), '#').c_str(), std::string(size_t(width - filled), '.').c_str(),
               std::min(100, done_ * 100 / total_), what.c_str());
  std::fflush(stderr);
}

void Progress::finish() { std::fprintf(stderr, "\n"); }

Bench::Bench(const Options& opt, const DeviceInfo& d, RunState& state, const Nvml* n)
    : o(opt), dev(d), st(state), nvml(n), clocks(n) {
  CUDA_CHECK(cudaStreamCreateWithFlags(&s_, cudaStreamNonBlocking));
  CUDA_CHECK(cudaEventCreate(&start_));
  CUDA_CHECK(cudaEventCreate(&stop_));
  void* host = nullptr;
  CUDA_CHECK(cudaHostAlloc(&host, 2 * sizeof(int), cudaHostAllocMapped));
  flag_ = static_cast<volatile int*>(host);
  timed_out_ = static_cast<int*>(host) + 1;
  void* dev_ptr = nullptr;
  CUDA_CHECK(cudaHostGetDevicePointer(&dev_ptr, host, 0));
  flag_dev_ = static_cast<int*>(dev_ptr);
  timed_out_dev_ = static_cast<int*>(dev_ptr) + 1;
  // twice the L2 (at least 64 MiB): a pass over it leaves none of the last sample's data in L2
  flush_buf_.alloc(std::max<size_t>(2 * dev.l2_bytes, 64u << 20), "the L2 flush buffer");
  launch_fill_random(flush_buf_.get(), flush_buf_.size() / 4, Elem::f32, 99, s_);
  CUDA_CHECK(cudaStreamSynchronize(s_));
}

Bench::~Bench() {
  if (s_) cudaStreamSynchronize(s_);
  if (flag_) cudaFreeHost(const_cast<int*>(flag_));
  if (start_) cudaEventDestroy(start_);
  if (stop_) cudaEventDestroy(stop_);
  if (s_) cudaStreamDestroy(s_);
}

void Bench::flush(Flush f) {
  if (f == Flush::read)
    launch_read(flush_buf_.get(), flush_buf_.size() / 16, 1, CacheHint::stream, flush_buf_.as<float>(), dev.streaming_blocks(), s_);
  else if (f == Flush::write)
    launch_write(flush_buf_.get(), flush_buf_.size() / 16, 1, CacheHint::stream, dev.streaming_blocks(), s_);
}

void Bench::sync() { CUDA_CHECK(cudaStreamSynchronize(s_)); }

double Bench::window(const std::function<void()>& work, Flush f) {
  for (WindowStep step : window_steps(f != Flush::none)) {
    switch (step) {
      case WindowStep::flush: flush(f); break;
      case WindowStep::spin:
        *flag_ = 0;
        *timed_out_ = 0;
        std::atomic_thread_fence(std::memory_order_seq_cst);
        launch_gate(flag_dev_, timed_out_dev_, kGateTimeoutNs, s_);
        break;
      case WindowStep::start: CUDA_CHECK(cudaEventRecord(start_, s_)); break;
      case WindowStep::work:
        work();
        CUDA_CHECK(cudaGetLastError());
        break;
      case WindowStep::stop: CUDA_CHECK(cudaEventRecord(stop_, s_)); break;
      case WindowStep::release:
        std::atomic_thread_fence(std::memory_order_seq_cst);
        *flag_ = 1;
        break;
      case WindowStep::wait: CUDA_CHECK(cudaEventSynchronize(stop_)); break;
    }
  }
  st.heartbeat();
  float ms = 0;
  CUDA_CHECK(cudaEventElapsedTime(&ms, start_, stop_));
  return *timed_out_ ? -1.0 : ms * 1e-3;
}

std::vector<double> Bench::samples(const std::function<void()>& work, int count, int warmup, int per_window, Flush f) {
  for (int i = 0; i < warmup; ++i) window(work, f);
  std::vector<double> t;
  for (int tries = 0; int(t.size()) < count && tries < 3 * count; ++tries) {
    const double s = window(work, f);
    if (s > 0) t.push_back(s / per_window);
  }
  if (t.empty()) throw Failure(kFailure, "every timed window's spin kernel timed out: the host could not keep up");
  return t;
}

double Bench::first_window(const std::function<void()>& work) {
  // once outside any window: lazy module loading, graph upload and first-touch costs happen here,
  // not while the spin kernel holds the stream
  work();
  CUDA_CHECK(cudaGetLastError());
  sync();
  double t = window(work);
  if (t <= 0) t = window(work);
  return t > 0 ? t : 1e-3;
}

Summary Bench::rotating(const std::function<void(int)>& launch, int copies, int count, int warmup, double target_s) {
  auto cycle = [&] { for (int c = 0; c < copies; ++c) launch(c); };
  const double one = first_window(cycle) / copies;
  const int reps = std::max(1, launches_for(one * copies, target_s, std::max(1, 256 / copies)));
  return summarize(samples([&] { for (int r = 0; r < reps; ++r) cycle(); }, count + 1, warmup, reps * copies));
}

int Bench::copies_for(double bytes) const {
  if (!(bytes > 0)) return 1;
  return int(std::clamp(std::ceil(3.0 * double(dev.l2_bytes) / bytes), 1.0, 32.0));
}

void Bench::phase_begin(const std::string& name) {
  phase_ = name;
  clocks.begin(name);
  st.step(name);
}

void Bench::phase_end() {
  if (!clocks.active() || phase_.empty()) return;
  const llmcalc::PhaseClocks c = clocks.end();
  if (c.samples > 0) st.update([&](llmcalc::Profile& p) { p.clocks.push_back(c); });
  phase_.clear();
}

void Bench::method(const std::string& section, const std::string& timer, int warmup, int repetitions, const std::string& flush,
                   const std::string& details) {
  st.update([&](llmcalc::Profile& p) {
    p.methods.push_back({section, timer, "median", warmup, repetitions, flush, details + "; spread = (p90 - p10) / median"});
  });
}

}  // namespace calib
