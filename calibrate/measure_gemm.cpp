// calibrate/measure_gemm.cpp — cuBLASLt: the GEMM grid in plan order under per-type budgets, the
// L2-flush comparison, the sustained run, grouped (MoE) GEMMs and the unfused prefill attention.
//
// [SECTION] cuBLASLt plumbing: types, matmul descriptors, operands (rotating weight copies), checks
// [SECTION] the GEMM grid
// [SECTION] flush comparison and sustained clocks
// [SECTION] grouped (MoE) GEMMs
// [SECTION] prefill attention
#include <cublasLt.h>

#include <cmath>
#include <cstring>
#include <list>
#include <map>
#include <memory>

#include "check.hpp"
#include "kernels.hpp"
#include "measure.hpp"
#include "plan.hpp"
#include "checker.hpp"
#include "verify.hpp"

namespace calib {

// ============================================================================================
// [SECTION] cuBLASLt plumbing
// ============================================================================================
namespace {
constexpr size_t kWorkspace = size_t(32) << 20;

struct TypeCfg {
  const char* name;
  cudaDataType_t ab, c;
  cublasComputeType_t compute;
  cudaDataType_t scale;
  Elem e_ab, e_c;
  int min_cc;  // major·10 + minor
};
// FP8 is TN only with 32F compute and a 16-bit output; int8 accumulates in int32 (cuBLASLt docs).
const TypeCfg kTypes[] = {
    {"fp32", CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F, CUDA_R_32F, Elem::f32, Elem::f32, 0},
    {"tf32", CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F_FAST_TF32, CUDA_R_32F, Elem::f32, Elem::f32, 80},
    {"fp16", CUDA_R_16F, CUDA_R_16F, CUBLAS_COMPUTE_32F, CUDA_R_32F, Elem::f16, Elem::f16, 70},
    {"bf16", CUDA_R_16BF, CUDA_R_16BF, CUBLAS_COMPUTE_32F, CUDA_R_32F, Elem::bf16, Elem::bf16, 80},
    {"fp8", CUDA_R_8F_E4M3, CUDA_R_16BF, CUBLAS_COMPUTE_32F, CUDA_R_32F, Elem::e4m3, Elem::bf16, 89},
    {"int8", CUDA_R_8I, CUDA_R_32I, CUBLAS_COMPUTE_32I, CUDA_R_32I, Elem::i8, Elem::i32, 75},
};
const TypeCfg& cfg_of(const std::string& name) {
  for (const auto& t : kTypes)
    if (name == t.name) return t;
  throw Failure(kFailure, "no such GEMM type: " + name);
}

class Lt {
 public:
  Lt() {
    CUBLAS_CHECK(cublasLtCreate(&h_));
    ws_.alloc(kWorkspace, "the cuBLASLt workspace");
  }
  ~Lt() { cublasLtDestroy(h_); }
  Lt(const Lt&) = delete;
  Lt& operator=(const Lt&) = delete;
  cublasLtHandle_t h() const { return h_; }
  void* ws() const { return ws_.get(); }

 private:
  cublasLtHandle_t h_ = nullptr;
  DeviceBuffer ws_;
};

// One matmul shape: C (n × m, column-major) = op(A) · B, A k×n with TRANSA=T ("TN": the weights of
// a layer, m = tokens) or n×k with TRANSA=N, B k×m; `batch` of them apart by the strides.
struct Matmul {
  cublasLtMatmulDesc_t op = nullptr;
  cublasLtMatrixLayout_t a = nullptr, b = nullptr, c = nullptr;
  cublasLtMatmulPreference_t pref = nullptr;
  cublasLtMatmulHeuristicResult_t heur[4] = {};
  int found = 0;
  const TypeCfg* t = nullptr;
  ~Matmul() {
    if (pref) cublasLtMatmulPreferenceDestroy(pref);
    if (c) cublasLtMatrixLayoutDestroy(c);
    if (b) cublasLtMatrixLayoutDestroy(b);
    if (a) cublasLtMatrixLayoutDestroy(a);
    if (op) cublasLtMatmulDescDestroy(op);
  }
};

void set_batch(cublasLtMatrixLayout_t l, int batch, long long stride) {
  CUBLAS_CHECK(cublasLtMatrixLayoutSetAttribute(l, CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT, &batch, sizeof batch));
  CUBLAS_CHECK(cublasLtMatrixLayoutSetAttribute(l, CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET, &stride, sizeof stride));
}

std::unique_ptr<Matmul> make_matmul(const Lt& lt, const TypeCfg& t, int m, int n, int k, bool transa, bool fast_accum, int batch = 1,
                                    long long sa = 0, long long sb = 0, long long sc = 0) {
  auto mm = std::make_unique<Matmul>();
  mm->t = &t;
  CUBLAS_CHECK(cublasLtMatmulDescCreate(&mm->op, t.compute, t.scale));
  const cublasOperation_t opa = transa ? CUBLAS_OP_T : CUBLAS_OP_N, opb = CUBLAS_OP_N;
  CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(mm->op, CUBLASLT_MATMUL_DESC_TRANSA, &opa, sizeof opa));
  CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(mm->op, CUBLASLT_MATMUL_DESC_TRANSB, &opb, sizeof opb));
  if (t.ab == CUDA_R_8F_E4M3) {  // issue #11, 9: serving runs FP8 with fast accumulation
    const int8_t fast = fast_accum ? 1 : 0;
    CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(mm->op, CUBLASLT_MATMUL_DESC_FAST_ACCUM, &fast, sizeof fast));
  }
  if (transa) CUBLAS_CHECK(cublasLtMatrixLayoutCreate(&mm->a, t.ab, k, n, k));
  else CUBLAS_CHECK(cublasLtMatrixLayoutCreate(&mm->a, t.ab, n, k, n));
  CUBLAS_CHECK(cublasLtMatrixLayoutCreate(&mm->b, t.ab, k, m, k));
  CUBLAS_CHECK(cublasLtMatrixLayoutCreate(&mm->c, t.c, n, m, n));
  if (batch > 1) {
    set_batch(mm->a, batch, sa);
    set_batch(mm->b, batch, sb);
    set_batch(mm->c, batch, sc);
  }
  CUBLAS_CHECK(cublasLtMatmulPreferenceCreate(&mm->pref));
  CUBLAS_CHECK(cublasLtMatmulPreferenceSetAttribute(mm->pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &kWorkspace, sizeof kWorkspace));
  const cublasStatus_t hs = cublasLtMatmulAlgoGetHeuristic(lt.h(), mm->op, mm->a, mm->b, mm->c, mm->c, mm->pref, 4, mm->heur, &mm->found);
  if (hs != CUBLAS_STATUS_SUCCESS || mm->found == 0) throw Failure(kFailure, "cuBLASLt offers no algorithm for this shape");
  return mm;
}

void run(const Lt& lt, const Matmul& mm, int algo, const void* a, const void* b, void* c, cudaStream_t s) {
  const float alpha_f = 1, beta_f = 0;
  const int32_t alpha_i = 1, beta_i = 0;
  const bool ints = mm.t->scale == CUDA_R_32I;
  const void* alpha = ints ? static_cast<const void*>(&alpha_i) : &alpha_f;
  const void* beta = ints ? static_cast<const void*>(&beta_i) : &beta_f;
  CUBLAS_CHECK(cublasLtMatmul(lt.h(), mm.op, alpha, a, mm.a, b, mm.b, beta, c, mm.c, c, mm.c, &mm.heur[algo].algo, lt.ws(), kWorkspace, s));
}

// A (dtype, N, K) column's weights: rotating copies (together over 3 × L2, so each launch reads its
// weights from device memory, as each layer does), kept in a cache under a memory cap, least
// recently used out first. The tokens and outputs are scratch buffers grown to the job's M (M
// grows along the plan), so the cache holds weights only.
struct Operands {
  std::vector<DeviceBuffer> a;
  DeviceBuffer* b = nullptr;
  DeviceBuffer* c = nullptr;
  size_t bytes = 0;
};
class OperandCache {
 public:
  explicit OperandCache(size_t cap) : cap_(cap) {}
  Operands& get(Bench& bench, const TypeCfg& t, int n, int k, int m) {
    grow(bench, b_, size_t(k) * m * elem_bytes(t.e_ab), t.e_ab, "GEMM inputs");
    grow(bench, c_, size_t(n) * m * elem_bytes(t.e_c), Elem::i8, "GEMM outputs");
    const std::string key = std::string(t.name) + "/" + std::to_string(n) + "x" + std::to_string(k);
    for (auto it = lru_.begin(); it != lru_.end(); ++it)
      if (it->first == key) {
        lru_.splice(lru_.begin(), lru_, it);
        return bind(lru_.front().second);
      }
    const size_t a_bytes = size_t(n) * k * elem_bytes(t.e_ab);
    const int copies = bench.copies_for(double(a_bytes));
    while (!lru_.empty() && used_ + a_bytes * copies > cap_) {
      used_ -= lru_.back().second.bytes;
      lru_.pop_back();
    }
    Operands o;
    o.bytes = a_bytes * copies;
    for (int i = 0; i < copies; ++i) {
      o.a.emplace_back(a_bytes, "GEMM weights");
      launch_fill_random(o.a.back().get(), size_t(n) * k, t.e_ab, 7 + uint32_t(i), bench.stream());
    }
    bench.sync();
    used_ += o.bytes;
    lru_.emplace_front(key, std::move(o));
    return bind(lru_.front().second);
  }

 private:
  // Scratch of at least `bytes`, filled with values of `e` when it grows (a type change refills it).
  void grow(Bench& bench, DeviceBuffer& buf, size_t bytes, Elem e, const char* what) {
    if (buf.size() >= bytes && (&buf == &c_ || filled_ == e)) return;
    if (buf.size() < bytes) buf.alloc(bytes, what);
    if (&buf == &b_) {
      launch_fill_random(buf.get(), buf.size() / elem_bytes(e), e, 11, bench.stream());
      bench.sync();
      filled_ = e;
    }
  }
  Operands& bind(Operands& o) {
    o.b = &b_;
    o.c = &c_;
    return o;
  }
  size_t cap_, used_ = 0;
  std::list<std::pair<std::string, Operands>> lru_;
  DeviceBuffer b_, c_;
  Elem filled_ = Elem::i32;
};

int samples_of(const Options& o) { return o.quick ? 5 : 9; }
constexpr int kWarmup = 2;

// Times one GEMM shape: the heuristic's first algorithm (what frameworks get), verified, over
// rotating weight copies; then the best of up to three more, each verified before it may count.
llmcalc::GemmSample time_gemm(Bench& b, const Lt& lt, Checker& chk, Operands& ops, const TypeCfg& t, int m, int n, int k,
                              bool fast_accum) {
  const cudaStream_t s = b.stream();
  const auto mm = make_matmul(lt, t, m, n, k, true, fast_accum);
  auto check = [&](int algo) {
    CUDA_CHECK(cudaMemsetAsync(ops.c->get(), 0, size_t(n) * m * elem_bytes(t.e_c), s));
    run(lt, *mm, algo, ops.a[0].get(), ops.b->get(), ops.c->get(), s);
    return chk.gemm(gemm_tolerance(t.name, fast_accum), t.e_ab, t.e_c, ops.a[0].get(), ops.b->get(), ops.c->get(), m, n, k, 1, 0, 0, 0, s).ok;
  };
  llmcalc::GemmSample g;
  g.dtype = t.name;
  g.m = m;
  g.n = n;
  g.k = k;
  g.algorithms_tried = mm->found;
  g.fast_accum = fast_accum && t.ab == CUDA_R_8F_E4M3;
  g.verified = check(0);
  const int copies = int(ops.a.size());
  const Summary first = b.rotating([&](int c) { run(lt, *mm, 0, ops.a[c].get(), ops.b->get(), ops.c->get(), s); }, copies, samples_of(b.o), kWarmup);
  g.seconds = first.median;
  g.spread = first.spread;
  g.best_seconds = g.seconds;
  for (int algo = 1; algo < mm->found; ++algo) {
    if (!check(algo)) continue;
    const Summary t_a = b.rotating([&](int c) { run(lt, *mm, algo, ops.a[c].get(), ops.b->get(), ops.c->get(), s); }, copies, 3, 1);
    g.best_seconds = std::min(g.best_seconds, t_a.median);
  }
  return g;
}
}  // namespace

// ============================================================================================
// [SECTION] the GEMM grid
// ============================================================================================

void measure_gemm(Bench& b, double budget_s) {
  b.phase_begin("gemm");
  std::vector<std::string> types;
  for (const auto& t : kTypes) {
    if (b.dev.cc >= t.min_cc) types.push_back(t.name);
    else b.st.note(std::string(t.name) + ": not measured, compute capability " + std::to_string(b.dev.cc / 10) + "." +
                   std::to_string(b.dev.cc % 10) + " has no such tensor-core path");
  }
  const std::vector<GemmJob> plan = plan_gemm(types, b.o.quick);
  Budget budget(plan, budget_s);
  b.bar.set_total(int(plan.size()));
  size_t free_b = 0, total_b = 0;
  CUDA_CHECK(cudaMemGetInfo(&free_b, &total_b));
  Lt lt;
  Checker chk;
  OperandCache cache(free_b / 5 * 2);  // 40% of what is free: every serving type's weights fit on an 80 GB GPU
  for (size_t i = 0; i < plan.size(); ++i) {
    const GemmJob& j = plan[i];
    char label[96];
    std::snprintf(label, sizeof label, "gemm %s M=%d N=%d K=%d", j.dtype.c_str(), j.m, j.n, j.k);
    b.bar.step(label);
    if (!budget.may_start(i)) {
      budget.skip(i);
      continue;
    }
    b.st.step(label);
    const auto t0 = Clock::now();
    guarded(b.st, label, [&] {
      const TypeCfg& t = cfg_of(j.dtype);
      Operands& ops = cache.get(b, t, j.n, j.k, j.m);
      llmcalc::GemmSample g = time_gemm(b, lt, chk, ops, t, j.m, j.n, j.k, true);
      // fp8 without fast accumulation (the slower, more precise path; serving does not use it), labelled
      if (j.dtype == "fp8" && !b.o.quick && j.m >= 256) {
        const llmcalc::GemmSample slow = time_gemm(b, lt, chk, ops, t, j.m, j.n, j.k, false);
        if (slow.verified) g.seconds_without_fast_accum = slow.seconds;
      }
      if (!g.verified) b.st.note(std::string(label) + ": result did not match the reference; its time is not used");
      b.st.update([&](llmcalc::Profile& p) { p.gemm.push_back(g); });
    });
    budget.done(i, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  for (const auto& [type, n] : budget.skipped()) {
    b.st.note("gemm " + type + ": the time budget ran out: " + std::to_string(n) + " shapes not measured (--time-limit)");
    b.st.partial("the GEMM time budget ran out");
  }
  b.method("gemm", kTimer, kWarmup, samples_of(b.o), "rotate",
           "cuBLASLt TN, 32 MiB workspace; weights rotated through copies together over 3 x L2 (no flush kernel: see gemm_flush); "
           "the heuristic's first algorithm (seconds) and the best of up to 4 (best_seconds), each verified on 64 sampled outputs "
           "(|err| <= 8 (eps_in S + eps_acc sqrt(K) S + eps_out |ref|)); fp8 with fast accumulation; order: bf16 fp16 fp8 int8 "
           "by M, then tf32 fp32, each type its own share of the budget");
  b.phase_end();
}

// ============================================================================================
// [SECTION] flush comparison and sustained clocks
// ============================================================================================

void measure_flush_comparison(Bench& b) {
  b.phase_begin("gemm flush");
  Lt lt;
  Checker chk;
  OperandCache cache(size_t(8) << 30);
  const cudaStream_t s = b.stream();
  const int shapes[][3] = {{1, 4096, 4096}, {16, 4096, 4096}, {1, 8192, 8192}, {64, 14336, 4096}};
  for (const char* name : {"bf16", "fp8"}) {
    const TypeCfg& t = cfg_of(name);
    if (b.dev.cc < t.min_cc) continue;
    for (const auto& sh : shapes) {
      const std::string label = std::string("flush comparison ") + name + " M=" + std::to_string(sh[0]) + " N=" + std::to_string(sh[1]);
      b.st.step(label);
      guarded(b.st, label, [&] {
        Operands& ops = cache.get(b, t, sh[1], sh[2], 64);
        const auto mm = make_matmul(lt, t, sh[0], sh[1], sh[2], true, true);
        auto one = [&] { run(lt, *mm, 0, ops.a[0].get(), ops.b->get(), ops.c->get(), s); };
        llmcalc::FlushComparison f;
        f.dtype = name;
        f.m = sh[0];
        f.n = sh[1];
        f.k = sh[2];
        f.write_flush_s = summarize(b.samples(one, 9, 2, 1, Flush::write)).median;
        f.read_flush_s = summarize(b.samples(one, 9, 2, 1, Flush::read)).median;
        f.rotate_s = b.rotating([&](int c) { run(lt, *mm, 0, ops.a[c].get(), ops.b->get(), ops.c->get(), s); }, int(ops.a.size()), 9, 2).median;
        b.st.update([&](llmcalc::Profile& p) { p.gemm_flush.push_back(f); });
      });
    }
  }
  b.method("gemm_flush", kTimer, 2, 9, "write, read, rotate",
           "one decode GEMM per window after a write flush (dirty lines written back inside the window), after a read flush, and "
           "back to back over rotating weight copies (what the gemm section uses)");
  b.phase_end();
}

void measure_sustained(Bench& b, double seconds) {
  if (seconds <= 0) return;
  b.phase_begin("sustained");
  guarded(b.st, "sustained GEMM", [&] {
    const TypeCfg& t = cfg_of(b.dev.cc >= 80 ? "bf16" : "fp16");
    const int n = 8192;
    Lt lt;
    OperandCache cache(size_t(2) << 30);
    Operands& ops = cache.get(b, t, n, n, n);  // M = N = K = 8192
    const auto mm = make_matmul(lt, t, n, n, n, true, true);
    const cudaStream_t s = b.stream();
    auto one = [&] { run(lt, *mm, 0, ops.a[0].get(), ops.b->get(), ops.c->get(), s); };
    const double single = b.first_window(one);
    const int per = Bench::launches_for(single, 0.25, 200);  // windows of a quarter second
    llmcalc::SustainedSample x;
    x.dtype = t.name;
    x.m = x.n = x.k = n;
    const auto start = Clock::now();
    bool first = true;
    while (std::chrono::duration<double>(Clock::now() - start).count() < seconds) {
      const double w = b.window([&] { for (int i = 0; i < per; ++i) one(); });
      if (w <= 0) continue;
      const ClockSample c = b.clocks.latest();
      if (first) {
        x.first_seconds = w / per;
        x.sm_clock_mhz_first = c.sm_mhz;
        first = false;
      }
      x.last_seconds = w / per;
      x.sm_clock_mhz_last = c.sm_mhz;
      x.power_w_last = c.power_w;
      x.temperature_c_last = c.temp_c;
    }
    x.duration_s = std::chrono::duration<double>(Clock::now() - start).count();
    b.st.update([&](llmcalc::Profile& p) { p.sustained.push_back(x); });
  });
  b.method("sustained", kTimer, 0, 0, "none",
           "an 8192^3 16-bit GEMM back to back for the duration, in windows of ~0.25 s: the first and the last window per GEMM, with "
           "NVML's SM clock, power and temperature then (burst vs sustained)");
  b.phase_end();
}

// ============================================================================================
// [SECTION] grouped (MoE) GEMMs
// ============================================================================================

void measure_grouped_gemm(Bench& b) {
  b.phase_begin("grouped gemm");
  const struct {
    int experts, n, k;
  } shapes[] = {{8, 28672, 4096}, {8, 4096, 14336}, {32, 4096, 7168}, {32, 7168, 2048}};  // Mixtral-, DeepSeek-like experts
  const std::vector<int> rows = b.o.quick ? std::vector<int>{1, 4, 16, 64} : std::vector<int>{1, 2, 4, 8, 16, 32, 64, 128};
  const int max_rows = rows.back();
  Lt lt;
  Checker chk;
  const cudaStream_t s = b.stream();
  for (const char* name : {"bf16", "fp8"}) {
    const TypeCfg& t = cfg_of(name);
    if (b.dev.cc < t.min_cc) continue;
    for (const auto& sh : shapes) {
      guarded(b.st, std::string("grouped ") + name, [&] {
        const size_t eb = elem_bytes(t.e_ab);
        DeviceBuffer a(size_t(sh.experts) * sh.n * sh.k * eb, "expert weights");
        DeviceBuffer x(size_t(sh.experts) * sh.k * max_rows * eb, "expert inputs");
        DeviceBuffer c(size_t(sh.experts) * sh.n * max_rows * elem_bytes(t.e_c), "expert outputs");
        launch_fill_random(a.get(), size_t(sh.experts) * sh.n * sh.k, t.e_ab, 21, s);
        launch_fill_random(x.get(), size_t(sh.experts) * sh.k * max_rows, t.e_ab, 23, s);
        b.sync();
        for (int r : rows) {
          const std::string label = std::string("grouped ") + name + " E=" + std::to_string(sh.experts) + " rows=" + std::to_string(r) +
                                    " N=" + std::to_string(sh.n) + " K=" + std::to_string(sh.k);
          b.st.step(label);
          guarded(b.st, label, [&] {
            const long long sa = (long long)sh.n * sh.k, sb = (long long)sh.k * r, sc = (long long)sh.n * r;
            const auto mm = make_matmul(lt, t, r, sh.n, sh.k, true, true, sh.experts, sa, sb, sc);
            run(lt, *mm, 0, a.get(), x.get(), c.get(), s);
            llmcalc::GroupedGemmSample g;
            g.dtype = name;
            g.experts = sh.experts;
            g.rows_per_expert = r;
            g.n = sh.n;
            g.k = sh.k;
            g.verified = chk.gemm(gemm_tolerance(name, true), t.e_ab, t.e_c, a.get(), x.get(), c.get(), r, sh.n, sh.k, sh.experts, sa, sb, sc, s).ok;
            // the experts' weights together are far larger than L2: back to back, each launch reads them anew
            const Summary m = summarize(b.samples([&] { for (int i = 0; i < 4; ++i) run(lt, *mm, 0, a.get(), x.get(), c.get(), s); },
                                                  samples_of(b.o) + 1, kWarmup, 4));
            g.seconds = m.median;
            g.spread = m.spread;
            b.st.update([&](llmcalc::Profile& p) { p.grouped_gemm.push_back(g); });
          });
        }
      });
    }
  }
  b.method("grouped_gemm", kTimer, kWarmup, samples_of(b.o), "none",
           "cuBLASLt strided-batched GEMM, one batch entry per expert (equal rows per expert), each expert its own weights; 4 back to "
           "back per window");
  b.phase_end();
}

// ============================================================================================
// [SECTION] prefill attention
// ============================================================================================

void measure_prefill_attention(Bench& b) {
  b.phase_begin("prefill attention");
  const std::vector<int> seqs = b.o.quick ? std::vector<int>{1024, 4096, 16384} : std::vector<int>{512, 1024, 2048, 4096, 8192, 16384, 32768};
  const std::vector<int> dims = b.o.quick ? std::vector<int>{128} : std::vector<int>{64, 128};
  const char* kernel = "cuBLASLt batched GEMMs QK^T and PV + llmcalc causal softmax (unfused: every (query, key) pair computed, "
                       "the s^2 scores written and read)";
  Lt lt;
  Checker chk;
  const cudaStream_t s = b.stream();
  const TypeCfg& t = cfg_of(b.dev.cc >= 80 ? "bf16" : "fp16");
  for (int d : dims)
    for (int seq : seqs) {
      const std::string label = "prefill attention seq=" + std::to_string(seq) + " d=" + std::to_string(d);
      b.st.step(label);
      guarded(b.st, label, [&] {
        const double score_bytes = double(seq) * seq * 2;
        const int heads = int(std::clamp(std::floor(2.0 * (1u << 30) / score_bytes), 1.0, 32.0));  // scores within 2 GiB
        const size_t qkv = size_t(heads) * seq * d;
        DeviceBuffer q(qkv * 2, "attention Q"), k(qkv * 2, "attention K"), v(qkv * 2, "attention V"), o(qkv * 2, "attention O");
        DeviceBuffer sc(size_t(heads) * seq * seq * 2, "attention scores");
        for (auto [buf, seed] : {std::pair<DeviceBuffer*, uint32_t>{&q, 31}, {&k, 37}, {&v, 41}}) launch_fill_random(buf->get(), qkv, t.e_ab, seed, s);
        const long long sqkv = (long long)seq * d, ss = (long long)seq * seq;
        // scores (keys × queries per head, a query's keys contiguous) = Kᵀ·Q; O (d × queries) = V · P
        const auto qk = make_matmul(lt, t, seq, seq, d, true, true, heads, sqkv, sqkv, ss);
        const auto pv = make_matmul(lt, t, seq, d, seq, false, true, heads, sqkv, ss, sqkv);
        run(lt, *qk, 0, k.get(), q.get(), sc.get(), s);
        bool ok = chk.gemm(gemm_tolerance(t.name), t.e_ab, t.e_c, k.get(), q.get(), sc.get(), seq, seq, d, heads, sqkv, sqkv, ss, s).ok;
        launch_causal_softmax(sc.get(), heads, seq, 1.0f / std::sqrt(float(d)), s);
        std::vector<uint16_t> row{std::vector<uint16_t>(size_t(seq))};  // the last query's probabilities sum to 1
        CUDA_CHECK(cudaMemcpyAsync(row.data(), sc.as<uint16_t>() + size_t(seq - 1) * seq, size_t(seq) * 2, cudaMemcpyDeviceToHost, s));
        b.sync();
        double sum = 0;
        for (uint16_t h : row) {
          const uint32_t bits = uint32_t(h) << 16;  // bf16 → float
          float f;
          std::memcpy(&f, &bits, 4);
          sum += f;
        }
        ok = ok && std::fabs(sum - 1.0) < 0.02;
        auto attention = [&] {
          run(lt, *qk, 0, k.get(), q.get(), sc.get(), s);
          launch_causal_softmax(sc.get(), heads, seq, 1.0f / std::sqrt(float(d)), s);
          run(lt, *pv, 0, v.get(), sc.get(), o.get(), s);
        };
        const Summary m = summarize(b.samples(attention, samples_of(b.o) + 1, 1));
        llmcalc::AttentionPrefillSample a;
        a.seq = seq;
        a.batch = 1;
        a.heads = heads;
        a.head_dim = d;
        a.flop = 4.0 * seq * double(seq) * d * heads;
        a.seconds = m.median;
        a.spread = m.spread;
        a.verified = ok;
        a.kernel = kernel;
        b.st.update([&](llmcalc::Profile& p) { p.attention_prefill.push_back(a); });
      });
    }
  b.method("attention.prefill", kTimer, 1, samples_of(b.o), "none",
           std::string(kernel) + "; as many heads as keep the scores within 2 GiB; QK^T checked on 64 sampled scores, a row of "
                                 "probabilities summed");
  b.phase_end();
}

}  // namespace calib
