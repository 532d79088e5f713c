// calibrate/measure_memory.cpp — the device and its memory: identity and versions, usable memory,
// launch latency, bandwidth by working set, host copies, peer-to-peer copies.
//
// [SECTION] device identity
// [SECTION] usable memory
// [SECTION] launch latency
// [SECTION] bandwidth
// [SECTION] host copies
// [SECTION] peer-to-peer
#include <cublasLt.h>

#include <cmath>
#include <cstdio>
#include <ctime>

#include "check.hpp"
#include "core/units.hpp"
#include "identity.hpp"
#include "kernels.hpp"
#include "measure.hpp"

namespace calib {

namespace {
std::string version_text(int v) {  // 13000 → "13.0"
  return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10);
}
constexpr size_t kMiB = size_t(1) << 20;
}  // namespace

// ============================================================================================
// [SECTION] device identity
// ============================================================================================

int device_count(std::string* why) {
  int n = 0;
  const cudaError_t e = cudaGetDeviceCount(&n);
  if (e != cudaSuccess) {
    if (why) *why = std::string(cudaGetErrorName(e)) + ": " + cudaGetErrorString(e);
    cudaGetLastError();
    return 0;
  }
  return n;
}

DeviceInfo describe_device(const Options& o, RunState& st) {
  CUDA_CHECK(cudaSetDevice(o.device));
  int mode = 0;
  CUDA_CHECK(cudaDeviceGetAttribute(&mode, cudaDevAttrComputeMode, o.device));
  if (mode == cudaComputeModeProhibited) throw Failure(kBusy, "the device's compute mode is 'prohibited': no process may use it");
  const cudaError_t init = cudaFree(nullptr);  // creates the context
  if (init == cudaErrorDevicesUnavailable)
    throw Failure(kBusy, "the device is busy: it is in exclusive compute mode and another process holds it");
  CUDA_CHECK(init);
  cudaDeviceProp prop{};
  CUDA_CHECK(cudaGetDeviceProperties(&prop, o.device));
  DeviceInfo dev;
  dev.sms = prop.multiProcessorCount;
  dev.threads_per_sm = prop.maxThreadsPerMultiProcessor;
  dev.cc = prop.major * 10 + prop.minor;
  dev.l2_bytes = size_t(prop.l2CacheSize);
  char bus[32] = {};
  if (cudaDeviceGetPCIBusId(bus, sizeof bus, o.device) == cudaSuccess) dev.pci_bus_id = bus;
  cudaGetLastError();
  int clock = 0, mem_clock = 0, bus_bits = 0, driver = 0, runtime = 0;
  CUDA_CHECK(cudaDeviceGetAttribute(&clock, cudaDevAttrClockRate, o.device));
  CUDA_CHECK(cudaDeviceGetAttribute(&mem_clock, cudaDevAttrMemoryClockRate, o.device));
  CUDA_CHECK(cudaDeviceGetAttribute(&bus_bits, cudaDevAttrGlobalMemoryBusWidth, o.device));
  CUDA_CHECK(cudaDriverGetVersion(&driver));
  CUDA_CHECK(cudaRuntimeGetVersion(&runtime));
  const size_t lt = cublasLtGetVersion();
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char iso[32];
  std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::string identity;
  st.update([&](llmcalc::Profile& p) {
    llmcalc::ProfileDevice& d = p.device;
    d.name = prop.name;
    d.compute_capability = std::to_string(prop.major) + "." + std::to_string(prop.minor);
    d.sm_count = prop.multiProcessorCount;
    d.memory_bytes = double(prop.totalGlobalMem);
    d.l2_bytes = double(prop.l2CacheSize);
    d.sm_clock_khz = clock;
    d.memory_clock_khz = mem_clock;
    d.memory_bus_bits = bus_bits;
    p.driver = version_text(driver);
    p.runtime = version_text(runtime);
    p.cublas = std::to_string(lt / 10000) + "." + std::to_string((lt / 100) % 100) + "." + std::to_string(lt % 100);
    p.created = iso;
    identity = note_identity(p);  // MIG slices, H100 NVL, GH200: SM count and memory against the preset
  });
  if (!identity.empty()) std::fprintf(stderr, "llmcalc-calibrate: %s\n", identity.c_str());
  return dev;
}

// ============================================================================================
// [SECTION] usable memory
// ============================================================================================

void measure_usable_memory(Bench& b, double others_bytes) {
  llmcalc::UsableMemory m;
  size_t free_b = 0, total_b = 0;
  CUDA_CHECK(cudaMemGetInfo(&free_b, &total_b));  // the context exists (describe_device)
  m.total_bytes = double(total_b);
  m.free_after_context_bytes = double(free_b);
  cublasLtHandle_t lt = nullptr;
  CUBLAS_CHECK(cublasLtCreate(&lt));
  struct LtFree { cublasLtHandle_t h; ~LtFree() { cublasLtDestroy(h); } } guard{lt};
  m.cublas_workspace_bytes = double(32 * kMiB);
  DeviceBuffer workspace(32 * kMiB, "the cuBLASLt workspace");
  CUDA_CHECK(cudaMemGetInfo(&free_b, &total_b));
  m.free_after_cublas_bytes = double(free_b);
  double used = 0, total = 0;
  if (b.nvml && b.nvml->memory(used, total) && others_bytes >= 0) {
    m.others_bytes = others_bytes;
    m.context_bytes = std::max(0.0, used - others_bytes);  // ours: what NVML saw used, less what others held at the start
  } else {
    m.context_bytes = m.total_bytes - m.free_after_cublas_bytes;  // includes other processes' memory
    b.st.note("usable memory: without NVML the context's share includes any other process's memory");
  }
  // the largest single allocation: from what is free, 1% less at a time
  double want = m.free_after_cublas_bytes;
  for (int i = 0; i < 50 && want > double(kMiB); ++i, want *= 0.99) {
    void* p = nullptr;
    if (cudaMalloc(&p, size_t(want)) == cudaSuccess) {
      cudaFree(p);
      m.largest_allocation_bytes = want;
      break;
    }
    cudaGetLastError();
  }
  b.st.update([&](llmcalc::Profile& p) { p.memory = m; });
  b.method("memory", "cudaMemGetInfo (+ NVML for other processes)", 0, 1, "none",
           "after the context, then after a cuBLASLt handle and its 32 MiB workspace; largest cudaMalloc in 1% steps");
}

// ============================================================================================
// [SECTION] launch latency
// ============================================================================================

void measure_launch(Bench& b) {
  b.phase_begin("launch");
  const cudaStream_t s = b.stream();
  // the clocks up first: an idle GPU answers its first launches slowly
  launch_busy(200'000'000ull, b.dev.sms * 2, s);
  b.sync();
  std::vector<double> single;  // one empty kernel launched and waited for from the host
  for (int i = 0; i < 60; ++i) {
    const auto t0 = Clock::now();
    launch_empty(s);
    CUDA_CHECK(cudaStreamSynchronize(s));
    single.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  const int reps = 256;  // back to back inside a gated window (a launch queue holds ~1000)
  launch_empty(s);
  b.sync();
  const auto b2b = b.samples([&] { for (int i = 0; i < reps; ++i) launch_empty(s); }, b.o.quick ? 6 : 12, 2, reps);
  cudaGraph_t graph = nullptr;
  cudaGraphExec_t exec = nullptr;
  CUDA_CHECK(cudaStreamBeginCapture(s, cudaStreamCaptureModeThreadLocal));
  for (int i = 0; i < 100; ++i) launch_empty(s);
  CUDA_CHECK(cudaStreamEndCapture(s, &graph));
  struct GraphFree {
    cudaGraph_t& g;
    cudaGraphExec_t& e;
    ~GraphFree() {
      if (e) cudaGraphExecDestroy(e);
      if (g) cudaGraphDestroy(g);
    }
  } guard{graph, exec};
  CUDA_CHECK(cudaGraphInstantiate(&exec, graph, 0));
  CUDA_CHECK(cudaGraphUpload(exec, s));  // not inside a window
  b.sync();
  const auto g = b.samples([&] { for (int i = 0; i < 4; ++i) CUDA_CHECK(cudaGraphLaunch(exec, s)); }, b.o.quick ? 6 : 12, 2, 400);
  b.st.update([&](llmcalc::Profile& p) {
    p.launch_empty_s = summarize(single).median;
    p.launch_back_to_back_s = summarize(b2b).median;
    p.launch_graph_s = summarize(g).median;
  });
  b.method("launch", kTimer, 2, b.o.quick ? 6 : 12, "none",
           "after 200 ms of busy kernels; empty kernels: 256 back to back per window, 4 launches of a 100-kernel graph per window; "
           "the single launch is timed from the host");
  b.phase_end();
}

// ============================================================================================
// [SECTION] bandwidth
// ============================================================================================
namespace {
std::vector<size_t> bandwidth_sizes(const Options& o) {
  // working sets from well inside L2 to many times it: the plateau and the fall to HBM
  std::vector<size_t> sizes;
  if (o.quick) sizes = {4 * kMiB, 32 * kMiB, 256 * kMiB, 1024 * kMiB, 2048 * kMiB};
  else for (size_t s = kMiB; s <= 4096 * kMiB; s *= 2) sizes.push_back(s);
  return sizes;
}
}  // namespace

void measure_bandwidth(Bench& b) {
  b.phase_begin("bandwidth");
  size_t free_b = 0, total_b = 0;
  CUDA_CHECK(cudaMemGetInfo(&free_b, &total_b));
  std::vector<size_t> sizes = bandwidth_sizes(b.o);
  const size_t cap = free_b / 4;  // two buffers of this size at most, leaving room for others
  sizes.erase(std::remove_if(sizes.begin(), sizes.end(), [&](size_t s) { return s > cap; }), sizes.end());
  if (sizes.empty()) throw Failure(kOutOfMemory, "not enough free GPU memory for the bandwidth test");
  const size_t biggest = sizes.back();
  DeviceBuffer a(biggest, "the bandwidth test"), c(biggest, "the bandwidth test"), sink(64, "the bandwidth sink");
  const cudaStream_t s = b.stream();
  launch_fill_random(a.get(), biggest / 4, Elem::f32, 1, s);
  b.sync();
  const int blocks = b.dev.streaming_blocks(), count = b.o.quick ? 8 : 15;
  for (const char* pattern : {"read", "write", "copy"}) {
    for (size_t bytes : sizes) {
      const std::string label = std::string("memory ") + pattern + " " + std::to_string(bytes >> 20) + " MiB";
      b.bar.step(label);
      guarded(b.st, label, [&] {
        // an L2-sized set is cached in L2 only (.cg) and gone over many times in one launch;
        // a larger one is streamed (.cs, evict first) once per launch
        const bool in_l2 = bytes * 2 <= b.dev.l2_bytes * 3;  // up to 1.5 × L2: what L2 can still serve in part
        const CacheHint hint = in_l2 ? CacheHint::l2 : CacheHint::stream;
        const int passes = bytes < 4 * b.dev.l2_bytes ? int(std::max<size_t>(1, (512 * kMiB) / bytes)) : 1;
        const size_t n4 = bytes / 16;
        auto run = [&] {
          if (pattern[0] == 'r') launch_read(a.get(), n4, passes, hint, sink.as<float>(), blocks, s);
          else if (pattern[0] == 'w') launch_write(c.get(), n4, passes, hint, blocks, s);
          else launch_copy(c.get(), a.get(), n4, passes, hint, blocks, s);
        };
        const double one = b.first_window(run);
        const int inner = Bench::launches_for(one, 500e-6, 64);  // windows of ≥ 0.5 ms
        const Summary t = summarize(b.samples([&] { for (int r = 0; r < inner; ++r) run(); }, count + 1, 1, inner));
        llmcalc::BandwidthSample bs;
        bs.pattern = pattern;
        bs.working_set_bytes = double(bytes);
        bs.bytes_moved = double(bytes) * passes * (pattern[0] == 'c' ? 2 : 1);  // copy reads and writes
        bs.seconds = t.median;
        bs.spread = t.spread;
        b.st.update([&](llmcalc::Profile& p) { p.bandwidth.push_back(bs); });
      });
    }
  }
  b.method("bandwidth", kTimer, 1, count, "none",
           "16-byte accesses, 4 in flight per thread, a grid of full occupancy; sets up to 1.5 x L2 cached in L2 only (.cg), larger "
           "ones streamed (.cs); sets under 4 x L2 gone over until 512 MiB moved per launch; windows of >= 0.5 ms");
  b.phase_end();
}

// ============================================================================================
// [SECTION] host copies
// ============================================================================================

void measure_host_copies(Bench& b) {
  b.phase_begin("host copies");
  const size_t bytes = (b.o.quick ? 64 : 256) * kMiB;
  void* host = nullptr;
  CUDA_CHECK(cudaMallocHost(&host, bytes));
  struct HostFree { void* h; ~HostFree() { cudaFreeHost(h); } } guard{host};
  DeviceBuffer dev(bytes, "the host-copy test");
  const cudaStream_t s = b.stream();
  for (const char* dir : {"h2d", "d2h"}) {
    const auto t = b.samples([&] {
      if (dir[0] == 'h') CUDA_CHECK(cudaMemcpyAsync(dev.get(), host, bytes, cudaMemcpyHostToDevice, s));
      else CUDA_CHECK(cudaMemcpyAsync(host, dev.get(), bytes, cudaMemcpyDeviceToHost, s));
    }, 6, 1);
    b.st.update([&](llmcalc::Profile& p) { p.host_copies.push_back({dir, double(bytes), summarize(t, 0).median}); });
  }
  b.method("host_copies", kTimer, 1, 6, "none", "pinned host memory, cudaMemcpyAsync");
  b.phase_end();
}

// ============================================================================================
// [SECTION] peer-to-peer
// ============================================================================================

void measure_p2p(Bench& b, int devices) {
  if (devices < 2) return;
  b.phase_begin("p2p");
  const int src = b.o.device;
  const cudaStream_t s = b.stream();
  const size_t sizes[] = {4096, kMiB, 64 * kMiB, 256 * kMiB};
  DeviceBuffer from(sizes[3], "the peer-to-peer source");
  for (int dst = 0; dst < devices && dst < 8; ++dst) {
    if (dst == src) continue;
    guarded(b.st, "p2p to GPU " + std::to_string(dst), [&] {
      struct Back {  // whatever happens, this GPU is current again afterwards
        int dev;
        ~Back() { cudaSetDevice(dev); }
      } back{src};
      int can = 0;
      CUDA_CHECK(cudaDeviceCanAccessPeer(&can, src, dst));
      if (can) {
        const cudaError_t e = cudaDeviceEnablePeerAccess(dst, 0);
        if (e != cudaErrorPeerAccessAlreadyEnabled) CUDA_CHECK(e);
        cudaGetLastError();
      }
      CUDA_CHECK(cudaSetDevice(dst));
      DeviceBuffer to(sizes[3], "the peer-to-peer destination");
      CUDA_CHECK(cudaSetDevice(src));
      for (size_t bytes : sizes) {
        const auto t = b.samples([&] { CUDA_CHECK(cudaMemcpyPeerAsync(to.get(), dst, from.get(), src, bytes, s)); }, 7, 2);
        b.st.update([&](llmcalc::Profile& p) { p.p2p.push_back({src, dst, double(bytes), summarize(t, 0).median, can != 0}); });
      }
      CUDA_CHECK(cudaSetDevice(dst));
      to = DeviceBuffer();  // freed on its own device
      CUDA_CHECK(cudaSetDevice(src));
    });
  }
  b.method("p2p", kTimer, 2, 7, "none", "cudaMemcpyPeerAsync from this GPU to each other one (peer access where the driver allows)");
  b.phase_end();
}

}  // namespace calib
