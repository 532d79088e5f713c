// calibrate/measure.cpp — the measurements (CUDA events, warm-up, repeated samples, median).
//
// [SECTION] utilities: buffers, events, progress
// [SECTION] device identity
// [SECTION] launch latency
// [SECTION] bandwidth
// [SECTION] host copies
// [SECTION] GEMM (cuBLASLt)
#include "measure.hpp"

#include <cublasLt.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <vector>

#include "check.hpp"
#include "core/units.hpp"
#include "kernels.hpp"
#include "stats.hpp"

namespace calib {

// ============================================================================================
// [SECTION] utilities
// ============================================================================================
namespace {

// Device memory, freed when it goes out of scope (all GPU memory is released on every path).
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(size_t bytes, const char* what) { alloc(bytes, what); }
  ~DeviceBuffer() { if (p_) cudaFree(p_); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  void alloc(size_t bytes, const char* what) {
    if (p_) cudaFree(p_);
    p_ = nullptr;
    size_ = 0;
    const cudaError_t e = cudaMalloc(&p_, bytes);
    if (e != cudaSuccess) {
      cudaGetLastError();
      size_t free_b = 0, total_b = 0;
      cudaMemGetInfo(&free_b, &total_b);
      throw Failure(kOutOfMemory, std::string("not enough GPU memory for ") + what + ": need " +
                                      llmcalc::format_bytes(double(bytes)) + ", " + llmcalc::format_bytes(double(free_b)) +
                                      " free");
    }
    size_ = bytes;
  }
  void* get() const { return p_; }
  size_t size() const { return size_; }
 private:
  void* p_ = nullptr;
  size_t size_ = 0;
};

class Event {
 public:
  Event() { CUDA_CHECK(cudaEventCreate(&e_)); }
  ~Event() { cudaEventDestroy(e_); }
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  cudaEvent_t get() const { return e_; }
 private:
  cudaEvent_t e_ = nullptr;
};

class Stream {
 public:
  Stream() { CUDA_CHECK(cudaStreamCreateWithFlags(&s_, cudaStreamNonBlocking)); }
  ~Stream() { cudaStreamDestroy(s_); }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  cudaStream_t get() const { return s_; }
 private:
  cudaStream_t s_ = nullptr;
};

// Seconds between two events around `work` on `s`.
template <class F>
double time_on(cudaStream_t s, F&& work) {
  Event a, b;
  CUDA_CHECK(cudaEventRecord(a.get(), s));
  work();
  CUDA_CHECK(cudaGetLastError());
  CUDA_CHECK(cudaEventRecord(b.get(), s));
  CUDA_CHECK(cudaEventSynchronize(b.get()));
  float ms = 0;
  CUDA_CHECK(cudaEventElapsedTime(&ms, a.get(), b.get()));
  return ms * 1e-3;
}

std::string version_text(int v) {  // 13000 → "13.0"
  return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10);
}

}  // namespace

void Progress::step(const std::string& what) {
  ++done_;
  const int width = 30, filled = std::min(width, done_ * width / total_);
  std::fprintf(stderr, "\r[%s%s] %3d%%  %-40.40s", std::string(size_t(filled), '#').c_str(),
               std::string(size_t(width - filled), '.').c_str(), std::min(100, done_ * 100 / total_), what.c_str());
  std::fflush(stderr);
}

void Progress::finish() { std::fprintf(stderr, "\n"); }

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

DeviceInfo describe_device(const Options& o, llmcalc::Profile& p) {
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
  llmcalc::ProfileDevice& d = p.device;
  d.name = prop.name;
  d.compute_capability = std::to_string(prop.major) + "." + std::to_string(prop.minor);
  d.sm_count = prop.multiProcessorCount;
  d.memory_bytes = double(prop.totalGlobalMem);
  d.l2_bytes = double(prop.l2CacheSize);
  int v = 0;
  CUDA_CHECK(cudaDeviceGetAttribute(&v, cudaDevAttrClockRate, o.device));
  d.sm_clock_khz = v;
  CUDA_CHECK(cudaDeviceGetAttribute(&v, cudaDevAttrMemoryClockRate, o.device));
  d.memory_clock_khz = v;
  CUDA_CHECK(cudaDeviceGetAttribute(&v, cudaDevAttrGlobalMemoryBusWidth, o.device));
  d.memory_bus_bits = v;
  DeviceInfo dev;
  dev.sms = prop.multiProcessorCount;
  dev.threads_per_sm = prop.maxThreadsPerMultiProcessor;
  dev.l2_bytes = size_t(prop.l2CacheSize);
  CUDA_CHECK(cudaDriverGetVersion(&v));
  p.driver = version_text(v);
  CUDA_CHECK(cudaRuntimeGetVersion(&v));
  p.runtime = version_text(v);
  const size_t lt = cublasLtGetVersion();
  p.cublas = std::to_string(lt / 10000) + "." + std::to_string((lt / 100) % 100) + "." + std::to_string(lt % 100);
  size_t free_b = 0, total_b = 0;
  CUDA_CHECK(cudaMemGetInfo(&free_b, &total_b));
  if (free_b < total_b * 0.8) {
    p.notes.push_back("only " + llmcalc::format_bytes(double(free_b)) + " of " + llmcalc::format_bytes(double(total_b)) +
                      " were free at the start: another process may have disturbed the measurements");
  }
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char iso[32];
  std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
  p.created = iso;
  return dev;
}

// ============================================================================================
// [SECTION] launch latency
// ============================================================================================

void measure_launch(const Options& o, llmcalc::Profile& p) {
  Stream s;
  const int reps = o.quick ? 200 : 1000;
  // (1) one empty kernel, launched and waited for from the host
  std::vector<double> single;
  for (int i = 0; i < 50; ++i) {
    const auto t0 = Clock::now();
    launch_empty(s.get());
    CUDA_CHECK(cudaStreamSynchronize(s.get()));
    single.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  p.launch_empty_s = summarize(single).median;
  // (2) back-to-back launches on one stream, per kernel
  std::vector<double> b2b;
  for (int r = 0; r < 6; ++r)
    b2b.push_back(time_on(s.get(), [&] { for (int i = 0; i < reps; ++i) launch_empty(s.get()); }) / reps);
  p.launch_back_to_back_s = summarize(b2b).median;
  // (3) the same kernels captured into a CUDA graph, per kernel
  cudaGraph_t graph = nullptr;
  cudaGraphExec_t exec = nullptr;
  CUDA_CHECK(cudaStreamBeginCapture(s.get(), cudaStreamCaptureModeThreadLocal));
  for (int i = 0; i < 100; ++i) launch_empty(s.get());
  CUDA_CHECK(cudaStreamEndCapture(s.get(), &graph));
  CUDA_CHECK(cudaGraphInstantiate(&exec, graph, 0));
  std::vector<double> g;
  for (int r = 0; r < 6; ++r)
    g.push_back(time_on(s.get(), [&] { for (int i = 0; i < 10; ++i) CUDA_CHECK(cudaGraphLaunch(exec, s.get())); }) / 1000);
  cudaGraphExecDestroy(exec);
  cudaGraphDestroy(graph);
  p.launch_graph_s = summarize(g).median;
}

// ============================================================================================
// [SECTION] bandwidth
// ============================================================================================
namespace {
std::vector<size_t> bandwidth_sizes(const Options& o) {
  // working sets from well inside L2 to many times it: the plateau and the fall to HBM
  std::vector<size_t> sizes;
  const size_t MiB = size_t(1) << 20;
  if (o.quick) sizes = {4 * MiB, 32 * MiB, 256 * MiB, 1024 * MiB, 2048 * MiB};
  else for (size_t s = MiB; s <= 4096 * MiB; s *= 2) sizes.push_back(s);
  return sizes;
}
}  // namespace

int bandwidth_steps(const Options& o) { return int(bandwidth_sizes(o).size()) * 3; }

void measure_bandwidth(const Options& o, const DeviceInfo& dev, llmcalc::Profile& p, Progress& bar) {
  size_t free_b = 0, total_b = 0;
  CUDA_CHECK(cudaMemGetInfo(&free_b, &total_b));
  std::vector<size_t> sizes = bandwidth_sizes(o);
  const size_t cap = free_b / 4;  // two buffers of this size at most, leaving room for others
  sizes.erase(std::remove_if(sizes.begin(), sizes.end(), [&](size_t s) { return s > cap; }), sizes.end());
  if (sizes.empty()) throw Failure(kOutOfMemory, "not enough free GPU memory for the bandwidth test");
  const size_t biggest = sizes.back();
  DeviceBuffer a(biggest, "the bandwidth test"), b(biggest, "the bandwidth test"), sink(64, "the bandwidth sink");
  Stream s;
  launch_fill_random(a.get(), biggest / 4, Elem::f32, 1, s.get());
  CUDA_CHECK(cudaStreamSynchronize(s.get()));
  const int blocks = dev.streaming_blocks(), threads = 256, samples = o.quick ? 8 : 16;
  for (const char* pattern : {"read", "write", "copy"}) {
    for (size_t bytes : sizes) {
      const size_t n4 = bytes / 16;
      auto run = [&] {
        if (pattern[0] == 'r') launch_read(a.get(), n4, static_cast<float*>(sink.get()), blocks, threads, s.get());
        else if (pattern[0] == 'w') launch_write(b.get(), n4, blocks, threads, s.get());
        else launch_copy(b.get(), a.get(), n4, blocks, threads, s.get());
      };
      // small working sets: several runs per timed sample so the event resolution does not dominate
      const double one = time_on(s.get(), run);
      const int inner = reps_for(one, 200e-6, 4096);
      std::vector<double> t;
      for (int i = 0; i < samples + 1; ++i) t.push_back(time_on(s.get(), [&] { for (int r = 0; r < inner; ++r) run(); }) / inner);
      llmcalc::BandwidthSample bs;
      bs.pattern = pattern;
      bs.working_set_bytes = double(bytes);
      bs.bytes_moved = double(bytes) * (pattern[0] == 'c' ? 2 : 1);  // copy reads and writes
      bs.seconds = summarize(t).median;
      p.bandwidth.push_back(bs);
      bar.step(std::string("memory ") + pattern + " " + std::to_string(bytes >> 20) + " MiB");
    }
  }
}

// ============================================================================================
// [SECTION] host copies
// ============================================================================================

void measure_host_copies(const Options& o, llmcalc::Profile& p) {
  const size_t bytes = (o.quick ? 64 : 256) * (size_t(1) << 20);
  void* host = nullptr;
  CUDA_CHECK(cudaMallocHost(&host, bytes));
  struct HostFree { void* h; ~HostFree() { cudaFreeHost(h); } } guard{host};
  DeviceBuffer dev(bytes, "the host-copy test");
  Stream s;
  for (const char* dir : {"h2d", "d2h"}) {
    std::vector<double> t;
    for (int i = 0; i < 6; ++i)
      t.push_back(time_on(s.get(), [&] {
        if (dir[0] == 'h') CUDA_CHECK(cudaMemcpyAsync(dev.get(), host, bytes, cudaMemcpyHostToDevice, s.get()));
        else CUDA_CHECK(cudaMemcpyAsync(host, dev.get(), bytes, cudaMemcpyDeviceToHost, s.get()));
      }));
    p.host_copies.push_back({dir, double(bytes), summarize(t).median});
  }
}

// ============================================================================================
// [SECTION] GEMM (cuBLASLt)
// ============================================================================================
namespace {

struct TypeCfg {
  const char* name;
  cudaDataType_t ab, c;
  cublasComputeType_t compute;
  cudaDataType_t scale;
  Elem e_ab, e_c;
  int min_cc;        // major*10 + minor
  double tol;        // |got − ref| ≤ tol · Σ|a·b| on every sampled output: fp32 accumulation over
                     // K = 16k errs by ~√K·ε ≈ 1e-5 (1e-4 allowed); tf32 inputs keep 10 mantissa bits;
                     // 16-bit outputs round to 2^-8…2^-11; int8 with int32 accumulation is exact
  int max_m;         // largest M measured (fp32 is slow: keep the full run within its budget)
};

const TypeCfg kTypes[] = {
    {"fp32", CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F, CUDA_R_32F, Elem::f32, Elem::f32, 0, 1e-4, 4096},
    {"tf32", CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F_FAST_TF32, CUDA_R_32F, Elem::f32, Elem::f32, 80, 5e-3, 16384},
    {"fp16", CUDA_R_16F, CUDA_R_16F, CUBLAS_COMPUTE_32F, CUDA_R_32F, Elem::f16, Elem::f16, 70, 1e-2, 16384},
    {"bf16", CUDA_R_16BF, CUDA_R_16BF, CUBLAS_COMPUTE_32F, CUDA_R_32F, Elem::bf16, Elem::bf16, 80, 1e-2, 16384},
    {"fp8", CUDA_R_8F_E4M3, CUDA_R_16BF, CUBLAS_COMPUTE_32F, CUDA_R_32F, Elem::e4m3, Elem::bf16, 89, 1e-2, 16384},
    {"int8", CUDA_R_8I, CUDA_R_32I, CUBLAS_COMPUTE_32I, CUDA_R_32I, Elem::i8, Elem::i32, 75, 0.0, 16384},
};

std::vector<int> m_grid(const Options& o) {
  if (o.quick) return {1, 4, 16, 64, 256, 1024, 4096, 16384};
  return {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384};
}
// hidden sizes and MLP widths of 2k…16k (Llama-3 8B: 4096 / 14336; 70B: 8192; 405B: 16384)
std::vector<std::pair<int, int>> nk_grid(const Options& o) {
  if (o.quick) return {{4096, 4096}, {14336, 4096}, {8192, 8192}, {16384, 16384}};
  return {{2048, 2048}, {4096, 4096}, {14336, 4096}, {4096, 14336}, {8192, 8192}, {16384, 16384}};
}

struct LtMatmul {
  cublasLtMatmulDesc_t op = nullptr;
  cublasLtMatrixLayout_t a = nullptr, b = nullptr, c = nullptr;
  cublasLtMatmulPreference_t pref = nullptr;
  ~LtMatmul() {
    if (pref) cublasLtMatmulPreferenceDestroy(pref);
    if (c) cublasLtMatrixLayoutDestroy(c);
    if (b) cublasLtMatrixLayoutDestroy(b);
    if (a) cublasLtMatrixLayoutDestroy(a);
    if (op) cublasLtMatmulDescDestroy(op);
  }
};

}  // namespace

int gemm_steps(const Options& o) {
  int n = 0;
  for (const auto& t : kTypes)
    for (int m : m_grid(o)) n += m <= t.max_m ? int(nk_grid(o).size()) : 0;
  return n;
}

void measure_gemm(const Options& o, const DeviceInfo& dev, llmcalc::Profile& p, Progress& bar,
                  Clock::time_point deadline) {
  int major = 0, minor = 0;
  CUDA_CHECK(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, o.device));
  CUDA_CHECK(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, o.device));
  const int cc = major * 10 + minor;
  cublasLtHandle_t lt = nullptr;
  CUBLAS_CHECK(cublasLtCreate(&lt));
  struct LtFree { cublasLtHandle_t h; ~LtFree() { cublasLtDestroy(h); } } lt_guard{lt};
  Stream s;
  const size_t workspace_bytes = 32u << 20;
  DeviceBuffer workspace(workspace_bytes, "the cuBLASLt workspace");
  DeviceBuffer flush(std::max<size_t>(2 * dev.l2_bytes, 8u << 20), "the L2 flush buffer");
  const int samples = o.quick ? 5 : 10, warmup = 2, n_check = 64;
  p.warmup = warmup;
  p.repetitions = samples;
  p.statistic = "median";
  p.l2_flushed = true;
  // verification buffers (rows, cols, results) for the sampled outputs
  DeviceBuffer d_rows(n_check * sizeof(int), "verification"), d_cols(n_check * sizeof(int), "verification");
  DeviceBuffer d_ref(n_check * sizeof(double), "verification"), d_mag(n_check * sizeof(double), "verification"),
      d_got(n_check * sizeof(double), "verification");
  int max_n = 0, max_k = 0, max_m = 0;
  for (auto [n, k] : nk_grid(o)) { max_n = std::max(max_n, n); max_k = std::max(max_k, k); }
  for (int m : m_grid(o)) max_m = std::max(max_m, m);
  bool out_of_time = false;
  for (const TypeCfg& t : kTypes) {
    if (cc < t.min_cc) {
      p.notes.push_back(std::string(t.name) + ": not measured, compute capability " + p.device.compute_capability +
                        " has no such tensor-core path");
      for (int m : m_grid(o)) if (m <= t.max_m) for (size_t i = 0; i < nk_grid(o).size(); ++i) bar.step(std::string(t.name) + " skipped");
      continue;
    }
    const int tm = std::min(max_m, t.max_m);
    const size_t ab = elem_bytes(t.e_ab), cb = elem_bytes(t.e_c);
    DeviceBuffer A(size_t(max_n) * max_k * ab, "GEMM inputs"), B(size_t(max_k) * tm * ab, "GEMM inputs"),
        C(size_t(max_n) * tm * cb, "GEMM outputs");
    launch_fill_random(A.get(), size_t(max_n) * max_k, t.e_ab, 7, s.get());
    launch_fill_random(B.get(), size_t(max_k) * tm, t.e_ab, 11, s.get());
    CUDA_CHECK(cudaStreamSynchronize(s.get()));
    for (auto [n, k] : nk_grid(o)) {
      for (int m : m_grid(o)) {
        if (m > t.max_m) continue;
        char label[96];
        std::snprintf(label, sizeof label, "%s M=%d N=%d K=%d", t.name, m, n, k);
        bar.step(label);
        if (Clock::now() > deadline) { out_of_time = true; continue; }
        // cuBLAS column-major, "TN": C[n×m] = Aᵀ·B with A k×n (the weights), B k×m (the tokens)
        LtMatmul mm;
        CUBLAS_CHECK(cublasLtMatmulDescCreate(&mm.op, t.compute, t.scale));
        const cublasOperation_t T = CUBLAS_OP_T, N = CUBLAS_OP_N;
        CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(mm.op, CUBLASLT_MATMUL_DESC_TRANSA, &T, sizeof T));
        CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(mm.op, CUBLASLT_MATMUL_DESC_TRANSB, &N, sizeof N));
        CUBLAS_CHECK(cublasLtMatrixLayoutCreate(&mm.a, t.ab, k, n, k));
        CUBLAS_CHECK(cublasLtMatrixLayoutCreate(&mm.b, t.ab, k, m, k));
        CUBLAS_CHECK(cublasLtMatrixLayoutCreate(&mm.c, t.c, n, m, n));
        CUBLAS_CHECK(cublasLtMatmulPreferenceCreate(&mm.pref));
        CUBLAS_CHECK(cublasLtMatmulPreferenceSetAttribute(mm.pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES,
                                                          &workspace_bytes, sizeof workspace_bytes));
        cublasLtMatmulHeuristicResult_t heur[4] = {};
        int found = 0;
        const cublasStatus_t hs = cublasLtMatmulAlgoGetHeuristic(lt, mm.op, mm.a, mm.b, mm.c, mm.c, mm.pref, 4, heur, &found);
        if (hs != CUBLAS_STATUS_SUCCESS || found == 0) {
          p.notes.push_back(std::string(label) + ": cuBLASLt offers no algorithm for this shape");
          continue;
        }
        const float alpha_f = 1, beta_f = 0;
        const int32_t alpha_i = 1, beta_i = 0;
        const void* alpha = t.scale == CUDA_R_32I ? static_cast<const void*>(&alpha_i) : &alpha_f;
        const void* beta = t.scale == CUDA_R_32I ? static_cast<const void*>(&beta_i) : &beta_f;
        auto run = [&](int algo) {
          CUBLAS_CHECK(cublasLtMatmul(lt, mm.op, alpha, A.get(), mm.a, B.get(), mm.b, beta, C.get(), mm.c, C.get(), mm.c,
                                      &heur[algo].algo, workspace.get(), workspace_bytes, s.get()));
        };
        // Verify an algorithm's output on sampled entries against a double-precision reference.
        auto verified = [&](int algo) {
          CUDA_CHECK(cudaMemsetAsync(C.get(), 0, size_t(n) * m * cb, s.get()));
          run(algo);
          std::vector<int> rows(n_check), cols(n_check);
          for (int i = 0; i < n_check; ++i) {
            rows[i] = int((uint64_t(i) * 2654435761u + 17) % uint64_t(n));
            cols[i] = int((uint64_t(i) * 40503u + 3) % uint64_t(m));
          }
          CUDA_CHECK(cudaMemcpyAsync(d_rows.get(), rows.data(), n_check * sizeof(int), cudaMemcpyHostToDevice, s.get()));
          CUDA_CHECK(cudaMemcpyAsync(d_cols.get(), cols.data(), n_check * sizeof(int), cudaMemcpyHostToDevice, s.get()));
          launch_reference(A.get(), t.e_ab, B.get(), t.e_ab, C.get(), t.e_c, n, k, static_cast<int*>(d_rows.get()),
                           static_cast<int*>(d_cols.get()), n_check, static_cast<double*>(d_ref.get()),
                           static_cast<double*>(d_mag.get()), static_cast<double*>(d_got.get()), s.get());
          CUDA_CHECK(cudaGetLastError());
          std::vector<double> ref(n_check), mag(n_check), got(n_check);
          CUDA_CHECK(cudaMemcpyAsync(ref.data(), d_ref.get(), n_check * sizeof(double), cudaMemcpyDeviceToHost, s.get()));
          CUDA_CHECK(cudaMemcpyAsync(mag.data(), d_mag.get(), n_check * sizeof(double), cudaMemcpyDeviceToHost, s.get()));
          CUDA_CHECK(cudaMemcpyAsync(got.data(), d_got.get(), n_check * sizeof(double), cudaMemcpyDeviceToHost, s.get()));
          CUDA_CHECK(cudaStreamSynchronize(s.get()));
          for (int i = 0; i < n_check; ++i)
            if (!(std::fabs(got[i] - ref[i]) <= t.tol * mag[i] + 1e-6)) return false;
          return true;
        };
        // One timed sample: flush L2 (so weights come from HBM, as in a real layer), then the GEMM.
        auto sample = [&](int algo) {
          launch_write(flush.get(), flush.size() / 16, dev.streaming_blocks(), 256, s.get());
          return time_on(s.get(), [&] { run(algo); });
        };
        llmcalc::GemmSample g;
        g.dtype = t.name;
        g.m = m;
        g.n = n;
        g.k = k;
        g.algorithms_tried = found;
        g.verified = verified(0);
        std::vector<double> ts;
        for (int i = 0; i < warmup; ++i) sample(0);
        for (int i = 0; i < samples + 1; ++i) ts.push_back(sample(0));
        g.seconds = summarize(ts).median;
        g.best_seconds = g.seconds;
        for (int a = 1; a < found; ++a) {  // the best of a few, each verified before it may count
          if (!verified(a)) continue;
          std::vector<double> ta;
          for (int i = 0; i < 4; ++i) ta.push_back(sample(a));
          g.best_seconds = std::min(g.best_seconds, summarize(ta).median);
        }
        if (!g.verified) p.notes.push_back(std::string(label) + ": result did not match the reference; its time is not used");
        p.gemm.push_back(g);
      }
    }
  }
  if (out_of_time) p.notes.push_back("the GEMM time budget ran out: the remaining shapes were not measured");
}

}  // namespace calib
