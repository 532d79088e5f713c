// core/rates.cpp — speeds under each timing model (see rates.hpp).
#include "rates.hpp"

#include <cstdio>

#include "comm.hpp"
#include "formats.hpp"
#include "frameworks.hpp"
#include "units.hpp"

namespace llmcalc {

Rates make_rates(const Scenario& s, const Resolved& r, std::vector<std::string>& warnings) {
  Rates x;
  x.timing = s.timing;
  x.profile = r.calibration.get();
  DType cd = DType::bf16;
  if (s.mode == Mode::infer) cd = info(r.weights).compute;  // int4 (weight-only): bf16 in matmul_peak
  else cd = s.precision == Precision::fp32 ? DType::fp32 : s.precision == Precision::fp8 ? DType::fp8 : DType::bf16;
  bool fell_back = false;
  DType used = cd;
  x.peak_flop_per_s = matmul_peak(r.gpu, cd, &fell_back, &used);
  if (fell_back)
    warnings.push_back(std::string(r.gpu_name) + " has no " + std::string(dtype_name(cd)) + " tensor cores: " +
                       (cd == DType::bf16 || cd == DType::fp32 ? "multiplied in " : "weights are dequantised and multiplied in ") +
                       std::string(dtype_name(used)));
  // llama.cpp multiplies 16-bit (and dequantised) matrices with cuBLAS in FP16 with FP16
  // accumulation (ggml-cuda's default precision), which GeForce cards run at twice the FP32-accumulate rate
  if (s.mode == Mode::infer && r.engine.id == Engine::llamacpp && (used == DType::bf16 || used == DType::fp16) &&
      r.gpu.peak.fp16_acc16 > x.peak_flop_per_s)
    x.peak_flop_per_s = r.gpu.peak.fp16_acc16;
  x.compute_dtype = used;
  x.fit = r.fit;
  x.engine = s.mode == Mode::infer ? r.engine : engine_spec(Engine::none);
  x.weight_only = s.mode == Mode::infer && weight_only(r.weights, used);
  x.gguf = x.weight_only && embedding_on_host(r.weights);  // the GGUF formats
  if (x.weight_only) {
    FormatContext fc;
    fc.group_size = s.group;
    x.weight_bytes = group_bytes(r.weights, TensorGroup::mlp_up, fc);
    x.weight_bits = x.weight_bytes < 0.75 ? 4 : 8;
  }
  x.bandwidth_bytes_per_s = r.gpu.bandwidth_bytes_per_s;
  x.hbm = hbm_memory(r.gpu_id);
  x.generation = r.generation;
  if (s.mode == Mode::train) {
    x.framework = s.framework;
    x.attn_peak_flop_per_s = s.precision == Precision::fp32 ? x.peak_flop_per_s : matmul_peak(r.gpu, DType::bf16);
  }
  x.link_bytes_per_s = r.gpu.interconnect_bytes_per_s;
  const bool conventions = s.mode == Mode::infer ? r.engine.id != Engine::none : s.framework != Framework::none;
  if (s.timing == TimingModel::fitted && !x.profile && conventions) x.sustained = r.sustained;
  if (x.profile && s.timing == TimingModel::fitted) {
    double top = 0;
    for (double v : x.profile->gemm[static_cast<int>(used)].rate) top = top > v ? top : v;
    if (top > x.peak_flop_per_s)
      warnings.push_back("the GPU profile's " + std::string(dtype_name(used)) + " GEMMs (up to " + format_flops(top) +
                         ") are faster than the " + std::string(r.gpu_name) + " datasheet's " + format_flops(x.peak_flop_per_s) +
                         ": capped at the datasheet (is the profile from another GPU?)");
  }
  return x;
}

bool weight_only(WeightFormat f, DType compute) {
  return !is_float(f) && (compute == DType::bf16 || compute == DType::fp16);
}

namespace {
// The GPU's sustained share of its boost clock under tensor load (a labelled factor where it is below 1).
template <class N>
N sustained_share(const Rates& r) {
  return r.sustained < 1 ? in<N>(r.sustained, "sustained clock share (board power ÷ its architecture's reference, ^1/3)",
                                 Unit::number)
                         : N(1.0);
}

template <class N>
N fitted_gemm_share(const Rates& r) {
  if (r.engine.id == Engine::llamacpp) {
    // Hopper's datasheet peak needs its wgmma instructions; kernels written for Ampere's mma.sync
    // reach a smaller share of it (FlashAttention-2: 35% on H100 against 50-73% on A100, Shah et al. 2024)
    const bool hopper = r.generation == Generation::hopper;
    N e = in<N>(hopper ? r.fit.gemm_llamacpp_hopper : r.fit.gemm_llamacpp,
                hopper ? "fitted GEMM efficiency (llama.cpp, Hopper)" : "fitted GEMM efficiency (llama.cpp)", Unit::number);
    if (r.gguf) e = e * in<N>(r.fit.gemm_gguf, "GGUF matrices (MMQ or dequantise first): fitted ratio", Unit::number);
    return e;
  }
  const bool narrow_train = r.compute_dtype == DType::fp8;
  if (r.framework != Framework::none)
    return narrow_train ? in<N>(r.fit.train_gemm_fp8, "fitted fp8 training GEMM efficiency", Unit::number)
                        : in<N>(r.fit.train_gemm[int(r.generation)], "fitted training GEMM efficiency", Unit::number,
                                r.generation == Generation::blackwell ? "Blackwell"
                                : r.generation == Generation::hopper  ? "Hopper"
                                                                      : "Ampere");
  const bool narrow = r.compute_dtype != DType::bf16 && r.compute_dtype != DType::fp16 && r.compute_dtype != DType::fp32;
  return in<N>(narrow ? r.fit.gemm_fp8 : r.fit.gemm, narrow ? "fitted GEMM efficiency (8/4-bit)" : "fitted GEMM efficiency",
               Unit::number);
}
template <class N>
N fitted_gemm_efficiency(const Rates& r) {
  return fitted_gemm_share<N>(r) * sustained_share<N>(r);
}

std::string profile_tag(const Calibration& c) { return "measured on " + c.device + ", " + c.date; }
}  // namespace

template <class N>
RateTerms<N> rate_terms(const Rates& r) {
  RateTerms<N> t;
  t.peak = in<N>(r.peak_flop_per_s, "peak", Unit::flop_per_s, dtype_label(r.compute_dtype));
  const N datasheet = in<N>(r.bandwidth_bytes_per_s, "datasheet bandwidth", Unit::bytes_per_s);
  t.link = in<N>(r.link_bytes_per_s, "interconnect", Unit::bytes_per_s);
  if (!r.fitted()) {
    t.bandwidth = datasheet;
    t.weight_bandwidth = datasheet;
    t.latency = in<N>(kCollectiveLatencyS, "collective latency (assumed)", Unit::seconds);
    return t;
  }
  if (r.profile && r.profile->bandwidth_bytes_per_s > 0) {
    t.bandwidth = in_f<N>(r.profile->bandwidth_bytes_per_s, Unit::bytes_per_s,
                          [&] { return "bandwidth " + profile_tag(*r.profile); });
  } else {
    t.bandwidth = let(datasheet * in<N>(r.fit.bw_native, "fitted bandwidth efficiency", Unit::number), "bandwidth",
                      Unit::bytes_per_s);
  }
  // llama.cpp's mat-vec kernels (one row per warp, small loads) keep too few bytes in flight to
  // cover HBM's larger bandwidth × latency product (Little's law): on GDDR cards they reach 80-90%
  // of the datasheet, on A100/H100 about half (tests/validation: XiongjieDai's llama.cpp tables)
  if (r.engine.id == Engine::llamacpp && r.hbm)
    t.bandwidth = let(t.bandwidth * in<N>(r.fit.bw_llamacpp_hbm, "llama.cpp kernels on HBM (fitted share)", Unit::number),
                      "bandwidth (llama.cpp on HBM)", Unit::bytes_per_s);
  t.weight_bandwidth = t.bandwidth;
  const double reference = r.weight_only && !r.gguf ? weight_only_bandwidth(r.profile, r.weight_bits) : 0.0;
  if (reference > 0)
    t.weight_bandwidth = in_f<N>(reference, Unit::bytes_per_s, [&] {
      return std::string(r.weight_bits == 4 ? "W4A16" : "W8A16") + " weight bandwidth of llmcalc's reference kernel at M = 1, " +
             profile_tag(*r.profile);
    });
  else if (r.weight_only)
    t.weight_bandwidth = let(t.bandwidth * in<N>((r.gguf ? r.fit.bw_gguf : r.fit.bw_weight_only) / r.fit.bw_native,
                                                 r.gguf ? "GGUF dequantisation (fitted efficiency ratio)"
                                                        : "weight-only dequantisation (fitted efficiency ratio)",
                                                 Unit::number),
                             "weight bandwidth", Unit::bytes_per_s);
  t.latency = in<N>(r.fit.allreduce_s, "collective latency (fitted)", Unit::seconds);
  return t;
}

namespace {
// FLOP/s for a GEMM-like operation of shape m × n × k.
template <class N>
N shape_rate(const Rates& r, const RateTerms<N>& t, double m, double n, double k) {
  if (!r.fitted()) return t.peak;
  const double measured = measured_gemm_rate(r.profile, r.compute_dtype, m, n, k);
  if (measured > value_of(t.peak)) return t.peak;  // never above the datasheet (make_rates warns)
  if (measured > 0)
    return in_f<N>(measured, Unit::flop_per_s, [&] {
      char buf[96];
      std::snprintf(buf, sizeof buf, "%s rate at %.0f×%.0f×%.0f, ", std::string(dtype_name(r.compute_dtype)).c_str(), m, n, k);
      return buf + profile_tag(*r.profile);
    });
  return t.peak * fitted_gemm_efficiency<N>(r);
}
}  // namespace

namespace {
// A measured rate, never above the datasheet peak (make_rates warns), as a labelled input.
template <class N, class F>
N measured_rate(const RateTerms<N>& t, double rate, F&& label) {
  if (rate > value_of(t.peak)) return t.peak;
  return in_f<N>(rate, Unit::flop_per_s, std::forward<F>(label));
}

std::string shape_text(double m, double n, double k) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f×%.0f×%.0f", m, n, k);
  return buf;
}

// The rate of a GEMM the profile prices apart from the plain grid (weight-only, grouped); 0 = none.
// Weight-only: the measured reference kernel where it has the shape's M, else the 16-bit GEMM with
// as many FLOP per weight byte (2·M ÷ bytes per weight = 2·M′ ÷ 2, so M′ = M · 2 ÷ bytes per weight).
template <class N>
N special_rate(const Rates& r, const RateTerms<N>& t, const Gemm<N>& g) {
  const double m = value_of(g.m), n = value_of(g.n), k = value_of(g.k);
  const std::string dt(dtype_name(r.compute_dtype));
  if (r.weight_only) {
    if (const double wo = r.gguf ? 0.0 : measured_weight_only_rate(r.profile, r.weight_bits, m, n, k); wo > 0)
      return measured_rate(t, wo, [&] {
        return std::string(r.weight_bits == 4 ? "W4A16" : "W8A16") + " rate at " + shape_text(m, n, k) +
               " (llmcalc reference kernel), " + profile_tag(*r.profile);
      });
    const double m16 = m * 2.0 / r.weight_bytes;
    if (const double bf = measured_gemm_rate(r.profile, r.compute_dtype, m16, n, k); bf > 0)
      return measured_rate(t, bf, [&] {
        char buf[160];
        std::snprintf(buf, sizeof buf, "%s rate at M′ = %.4g (M × 2 ÷ %.4g B/weight: as many FLOP per weight byte), N×K = %.0f×%.0f, ",
                      dt.c_str(), m16, r.weight_bytes, n, k);
        return buf + profile_tag(*r.profile);
      });
  } else if (g.kind == GemmKind::expert) {
    if (const double gr = measured_grouped_rate(r.profile, r.compute_dtype, m, n, k); gr > 0)
      return measured_rate(t, gr, [&] {
        return "grouped (MoE) " + dt + " rate at " + shape_text(m, n, k) + " per expert, " + profile_tag(*r.profile);
      });
  }
  return N(0.0);
}
}  // namespace

template <class N>
N gemm_s(const Rates& r, const RateTerms<N>& t, const Gemm<N>& g) {
  if (r.fitted() && r.profile && g.kind != GemmKind::unquantised)
    if (const N rate = special_rate(r, t, g); value_of(rate) > 0) return let(g.flop() / rate, g.name, Unit::seconds);
  const N rate = shape_rate(r, t, value_of(g.m), value_of(g.n), value_of(g.k));
  return let(g.flop() / rate, g.name, Unit::seconds);
}

template <class N>
N attention_s(const Rates& r, const RateTerms<N>& t, N flop, N rows, N context, double head_dim, bool prefill) {
  if (r.framework_fitted() && !r.profile)
    return flop / (in<N>(r.attn_peak_flop_per_s, "16-bit peak", Unit::flop_per_s) *
                   in<N>(r.fit.train_attn, "fitted fused-attention efficiency", Unit::number) * sustained_share<N>(r));
  if (prefill && r.fitted() && r.profile)
    if (const double pr = measured_prefill_attention_rate(r.profile, value_of(context), head_dim); pr > 0)
      return flop / measured_rate(t, pr, [&] {
               char buf[160];
               std::snprintf(buf, sizeof buf, "prefill attention rate at %.0f tokens, head_dim %.0f (batched GEMMs + softmax), ",
                             value_of(context), head_dim);
               return buf + profile_tag(*r.profile);
             });
  return flop / shape_rate(r, t, value_of(rows), value_of(context), head_dim);
}

template <class N>
N kv_read_bandwidth(const Rates& r, N context, N batch, double head_dim, double gqa) {
  if (!r.fitted() || !r.profile) return N(0.0);
  const double bw = measured_decode_attention_bandwidth(r.profile, value_of(context), value_of(batch), head_dim, gqa);
  if (bw <= 0) return N(0.0);
  return in_f<N>(bw, Unit::bytes_per_s, [&] {
    char buf[200];
    std::snprintf(buf, sizeof buf, "KV read bandwidth of decode attention at %.0f tokens, batch %.0f, head_dim %.0f, GQA %.0f (llmcalc kernel), ",
                  value_of(context), value_of(batch), head_dim, gqa);
    return buf + profile_tag(*r.profile);
  });
}

namespace {
// Seconds of an imported collective, as a labelled input; 0 when the profile has none at `ranks`.
template <class N>
N measured_collective(const Rates& r, Collective op, int ranks, double bytes) {
  if (!r.fitted() || !r.profile || ranks < 2) return N(0.0);
  const double s = measured_collective_s(r.profile, op, ranks, bytes);
  if (s <= 0) return N(0.0);
  return in_f<N>(s, Unit::seconds, [&] {
    return std::string(collective_name(op)) + " of " + format_bytes(bytes, ByteUnit::GB) + " over " + std::to_string(ranks) +
           " GPUs (nccl-tests, imported into the profile " + profile_tag(*r.profile) + ")";
  });
}
}  // namespace

template <class N>
N allreduce_time(const Rates& r, const RateTerms<N>& t, N bytes, N g, int ranks, N link) {
  if (const N s = measured_collective<N>(r, Collective::all_reduce, ranks, value_of(bytes)); value_of(s) > 0) return s;
  return allreduce_s(bytes, g, link, t.latency);
}

template <class N>
N allgather_time(const Rates& r, const RateTerms<N>& t, N g, N values, N value_bytes, int ranks, N link) {
  const double bytes = value_of(values) * value_of(value_bytes);
  if (const N s = measured_collective<N>(r, Collective::all_gather, ranks, bytes); value_of(s) > 0) return s;
  return allgather_s(g, values, value_bytes, link, t.latency);
}

template <class N>
N send_time(const Rates& r, const RateTerms<N>& t, N bytes, N link, bool within_node) {
  if (within_node && r.fitted() && r.profile && r.profile->p2p_bytes_per_s > 0)
    return send_s(bytes, in_f<N>(r.profile->p2p_bytes_per_s, Unit::bytes_per_s, [&] { return "peer-to-peer copy bandwidth, " + profile_tag(*r.profile); }),
                  in_f<N>(r.profile->p2p_latency_s, Unit::seconds, [&] { return "peer-to-peer copy latency, " + profile_tag(*r.profile); }));
  return send_s(bytes, link, t.latency);
}

bool has_small_kernels(const Rates& r) {
  if (!r.fitted() || !r.profile) return false;
  for (const Curve& c : r.profile->small)
    if (c.empty()) return false;
  return true;
}

template <class N>
N small_kernel_s(const Rates& r, SmallKernel k, N bytes) {
  const double b = value_of(bytes);
  const double beyond = measured_small_kernel_s(r.profile, k, b) - r.profile->launch_stream_s;
  return in_f<N>(beyond > 0 ? beyond : 0.0, Unit::seconds, [&] {
    return std::string(small_kernel_name(k)) + " moving " + format_bytes(b, ByteUnit::GB) + ", beyond an empty kernel, " +
           profile_tag(*r.profile);
  });
}

template <class N>
N launches_s(const Rates& r, N kernels, bool graph) {
  if (!r.fitted()) return in<N>(0.0, "launches: counted by timing=fitted only", Unit::seconds);
  const bool none = r.engine.id == Engine::none;
  if (none && !r.profile) return in<N>(0.0, "launches: engine=none counts them with a GPU profile only", Unit::seconds);
  const bool in_graph = graph && (r.engine.graphs || none);
  if (r.profile && (in_graph || none)) {
    const double per = launch_s(r.profile, in_graph);
    return kernels * in_f<N>(per, Unit::seconds, [&] {
             return std::string(in_graph ? "per kernel in a CUDA graph, " : "per kernel launch, ") + profile_tag(*r.profile);
           });
  }
  if (in_graph || r.engine.graphs) return kernels * in<N>(r.fit.kernel_graph_s, "per kernel, CUDA graph (fitted)", Unit::seconds);
  return kernels * in<N>(r.fit.kernel_eager_s, "per kernel launched from Python (fitted)", Unit::seconds);
}

bool launches_overlap(const Rates& r) {
  return r.fitted() && r.engine.id != Engine::none && !r.engine.graphs;
}

template <class N>
N step_overhead_s(const Rates& r) {
  if (!r.fitted() || r.engine.id == Engine::none) return in<N>(0.0, "no engine step overhead", Unit::seconds);
  return in_f<N>(r.fit.step_s[int(r.engine.time_like)], Unit::seconds,
                 [&] { return std::string(r.engine.name) + " host time per step (fitted)"; });
}

template <class N>
N elementwise_s(const Rates& r, const RateTerms<N>& t, N elements, N tokens, N elem_bytes, N passes) {
  if (!r.fitted()) return in<N>(0.0, "elementwise kernels: counted by timing=fitted only", Unit::seconds);
  return let(tokens * elements * elem_bytes * passes / t.bandwidth, "elementwise kernels", Unit::seconds);
}

template <class N>
N combine(TimingModel timing, N compute, N memory) {
  return timing == TimingModel::additive ? compute + memory : max_of(compute, memory);
}

template <class N>
N kernel_floor(N device_s, N kernels) {
  if (value_of(kernels) * kMinKernelS <= value_of(device_s)) return device_s;
  return let(kernels * in<N>(kMinKernelS, "shortest kernel (an empty kernel in a CUDA graph, ~1 \xC2\xB5s on A100/H100)",
                             Unit::seconds),
             "kernels \xC3\x97 shortest kernel (the floor)", Unit::seconds);
}

const char* device_memory_tag(const Resolved& r) {
  return r.capacity_measured ? "GPU profile (measured)" : r.gpu_name.data();
}

template <class N>
N measured_context(const Resolved& r) {
  return in_f<N>(r.context_bytes, Unit::bytes, [&] {
    return "CUDA context + cuBLASLt handle and workspace, " + profile_tag(*r.calibration);
  });
}
template double measured_context(const Resolved&);
template Traced measured_context(const Resolved&);

const char* timing_rule(TimingModel timing) {
  switch (timing) {
    case TimingModel::additive: return "timing=additive: compute + memory + comm (the seed's model)";
    case TimingModel::roofline: return "timing=roofline: max(compute, memory) + comm, at datasheet peaks";
    case TimingModel::fitted: break;
  }
  return "timing=fitted: max(compute, memory) + comm + launches + engine step + elementwise kernels, at efficiencies "
         "fitted to published engine measurements (or a GPU profile's measured speeds)";
}

double fitted_gemm_share(const Rates& r) { return fitted_gemm_efficiency<double>(r); }

std::string timing_note(const Scenario& s, double gemm_share, const Calibration* profile) {
  std::string o = "Timing: " + std::string(timing_name(s.timing));
  if (s.timing != TimingModel::fitted) return o;
  // who the overheads and efficiencies belong to: the engine (inference), the framework (training)
  const std::string who = s.mode == Mode::infer              ? std::string(engine_spec(s.engine).name)
                          : s.framework != Framework::none ? std::string(framework_spec(s.framework).name)
                                                           : "no framework";
  if (profile) return o + " (measured speeds from the GPU profile; " + who + " overheads fitted)";
  // the share this estimate ran at (what gemm_s uses, Detail::gemm_share), not a default
  char buf[200];
  if (s.mode == Mode::train)
    std::snprintf(buf, sizeof buf, " (%s; efficiencies fitted to published training runs: %.0f%% GEMM on this GPU "
                  "\xE2\x80\x94 not measured on it)", who.c_str(), gemm_share * 100);
  else
    std::snprintf(buf, sizeof buf, " (%s; efficiencies fitted to published measurements: %.0f%% GEMM, %.0f%% bandwidth "
                  "\xE2\x80\x94 not measured on this GPU)", who.c_str(), gemm_share * 100, kFitted.bw_native * 100);
  return o + buf;
}

#define LLMCALC_RATES(N)                                                                                  \
  template RateTerms<N> rate_terms(const Rates&);                                                        \
  template N gemm_s(const Rates&, const RateTerms<N>&, const Gemm<N>&);                                  \
  template N attention_s(const Rates&, const RateTerms<N>&, N, N, N, double, bool);                      \
  template N kv_read_bandwidth(const Rates&, N, N, double, double);                                      \
  template N allreduce_time(const Rates&, const RateTerms<N>&, N, N, int, N);                            \
  template N allgather_time(const Rates&, const RateTerms<N>&, N, N, N, int, N);                         \
  template N send_time(const Rates&, const RateTerms<N>&, N, N, bool);                                   \
  template N small_kernel_s(const Rates&, SmallKernel, N);                                               \
  template N launches_s(const Rates&, N, bool);                                                          \
  template N step_overhead_s(const Rates&);                                                              \
  template N elementwise_s(const Rates&, const RateTerms<N>&, N, N, N, N);                               \
  template N combine(TimingModel, N, N);                                                                 \
  template N kernel_floor(N, N);
LLMCALC_RATES(double)
LLMCALC_RATES(Traced)
#undef LLMCALC_RATES

}  // namespace llmcalc
