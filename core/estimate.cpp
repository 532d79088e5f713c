// core/estimate.cpp — memory and time of one scenario. Every formula cites its source here and
// in docs/formulas.md (same section names).
//
// [SECTION] resolve: presets + overrides
// [SECTION] shared helpers (quantisation bytes, GEMM lists, timing combination)
// [SECTION] inference: memory, prefill, decode
// [SECTION] training: memory, step time
// [SECTION] compute / estimate
// [SECTION] explain: formulas with the inputs substituted
#include "estimate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>

#include "units.hpp"

namespace llmcalc {

// ============================================================================================
// [SECTION] resolve
// ============================================================================================

Result<Resolved> resolve(const Scenario& s) {
  Resolved r;
  const ArchOverrides& o = s.arch;
  if (s.model == "custom") {
    const char* need[] = {"layers", "hidden", "heads", "ffn", "vocab"};
    const int have[] = {o.layers, o.hidden, o.heads, o.ffn, o.vocab};
    for (int i = 0; i < 5; ++i)
      if (have[i] <= 0)
        return make_error(ErrorCode::missing_value,
                          std::string(need[i]) + ": required with model=custom");
    r.model = ModelSpec{};
    r.model_id = "custom";
    r.model_name = "Custom model";
  } else {
    const ModelPreset* p = find_model_preset(s.model);
    if (!p)
      return make_error(ErrorCode::unknown_preset,
                        "model: unknown model '" + s.model + "' ('llmcalc models' lists them)");
    r.model = p->spec;
    r.model_id = p->id;
    r.model_name = p->name;
  }
  ModelSpec& m = r.model;
  if (o.layers) m.layers = o.layers;
  if (o.hidden) m.hidden = o.hidden;
  if (o.heads) m.heads = o.heads;
  if (o.kv_heads) m.kv_heads = o.kv_heads;
  if (o.head_dim) m.head_dim = o.head_dim;
  if (o.ffn) m.ffn = o.ffn;
  if (o.vocab) m.vocab = o.vocab;
  if (o.experts) m.experts = o.experts;
  if (o.experts_active) m.experts_active = o.experts_active;
  if (o.gated >= 0) m.gated = o.gated != 0;
  if (o.tied >= 0) m.tied = o.tied != 0;
  if (m.kv_heads <= 0 || (s.model == "custom" && !o.kv_heads)) m.kv_heads = m.heads;
  if (m.experts < 1) m.experts = 1;
  if (m.experts == 1) m.experts_active = 1;
  if (m.experts_active < 1) m.experts_active = std::min(2, m.experts);
  if (m.heads % m.kv_heads != 0)
    return make_error(ErrorCode::inconsistent, "kv_heads: heads=" + std::to_string(m.heads) +
                                                   " is not a multiple of kv_heads=" + std::to_string(m.kv_heads));
  if (m.experts_active > m.experts)
    return make_error(ErrorCode::inconsistent, "experts_active: " + std::to_string(m.experts_active) +
                                                   " is more than experts=" + std::to_string(m.experts));
  if (m.head_dim <= 0 && m.hidden % m.heads != 0)
    return make_error(ErrorCode::inconsistent, "heads: hidden=" + std::to_string(m.hidden) +
                                                   " is not a multiple of heads=" + std::to_string(m.heads) +
                                                   " (give head_dim)");
  const GpuPreset* g = find_gpu_preset(s.gpu);
  if (!g)
    return make_error(ErrorCode::unknown_preset, "gpu: unknown GPU '" + s.gpu + "' ('llmcalc gpus' lists them)");
  r.gpu = g->spec;
  r.gpu_id = g->id;
  r.gpu_name = g->name;
  r.params = count_params(m);
  if (!s.prof.empty()) {
    Result<Calibration> c = decode_calibration(s.prof);
    if (!c) return c.error();
    r.calibration = std::make_shared<const Calibration>(std::move(c).value());
  }
  return r;
}

// ============================================================================================
// [SECTION] shared helpers
// ============================================================================================
namespace {

// Bytes per element of a quantised linear weight, scales included:
//  - int8: one fp32 scale per output row (per-channel, as in LLM.int8 / SmoothQuant): 4/K;
//  - int4: group-wise (group 128) fp16 scale + 4-bit zero point (GPTQ/AWQ): 2.5/128;
//  - fp8: one scale per tensor: negligible.
double weight_bytes(DType t, double in_features) {
  switch (t) {
    case DType::int8: return 1.0 + 4.0 / in_features;
    case DType::int4: return 0.5 + 2.5 / 128.0;
    default: return dtype_bytes(t);
  }
}
// QLoRA's NF4 with double quantisation: 4 bits + 0.127 bits of scales per parameter
// (Dettmers et al. 2023, "QLoRA", §2: 8/64 + 32/(64·256) = 0.127 bits).
constexpr double kNf4Bytes = (4.0 + 0.127) / 8.0;
// KV-cache element bytes: int8/int4 keep an fp16 scale per head vector of d elements.
double kv_elem_bytes(DType t, double d) {
  if (t == DType::int8 || t == DType::int4) return dtype_bytes(t) + 2.0 / d;
  return dtype_bytes(t);
}
// 8-bit AdamW state: 1 byte per value + one fp32 absmax per block of 2048 (Dettmers et al. 2022,
// "8-bit Optimizers via Block-wise Quantization", §2).
constexpr double kAdam8bitStateBytes = 1.0 + 4.0 / 2048.0;

// A GEMM C[m,n] = A[m,k]·B[k,n], repeated `count` times.
struct Gemm {
  double m = 0, n = 0, k = 0, count = 0;
  double flops() const { return 2.0 * m * n * k * count; }
};

// The GEMMs of one transformer block (per GPU under TP) for `tokens` rows, MoE-aware: routed
// tokens are spread over the experts, so each expert GEMM sees tokens·Ea/E rows on average.
int block_gemms(const ModelSpec& m, double tokens, double tp, Gemm* out) {
  const double h = m.hidden, d = m.dim_head(), a = m.heads, k = m.kv_heads, f = m.ffn;
  const double E = m.experts, Ea = m.experts_active;
  const double rows_expert = E > 1 ? std::max(1.0, tokens * Ea / E) : tokens;
  const double experts_used = E > 1 ? std::min(E, tokens * Ea) : 1.0;
  int n = 0;
  out[n++] = Gemm{tokens, (a + 2 * k) * d / tp, h, 1};         // Q, K, V projections
  out[n++] = Gemm{tokens, h, a * d / tp, 1};                   // output projection
  out[n++] = Gemm{rows_expert, (m.gated ? 2 : 1) * f / tp, h, experts_used};  // up (+ gate)
  out[n++] = Gemm{rows_expert, h, f / tp, experts_used};       // down
  if (E > 1) out[n++] = Gemm{tokens, E, h, 1};                 // router
  return n;
}

// Expected distinct experts touched per layer by `tokens` tokens each choosing Ea of E uniformly:
// E·(1 − (1 − Ea/E)^tokens).
// x^n for a whole n by repeated squaring: only + and ×, so the native and WASM builds give
// bit-identical results (libm's pow may differ in the last bit between glibc and musl).
double pow_whole(double x, double n) {
  unsigned long long k = n > 0 ? static_cast<unsigned long long>(n) : 0ULL;
  double r = 1.0;
  for (; k; k >>= 1, x *= x)
    if (k & 1) r *= x;
  return r;
}
double experts_touched(const ModelSpec& m, double tokens) {
  if (m.experts <= 1) return 1.0;
  const double E = m.experts, Ea = m.experts_active;
  return E * (1.0 - pow_whole(1.0 - Ea / E, tokens));
}

// Ring all-reduce time over g GPUs: 2(g−1)/g · bytes / link + latency (Patarasuk & Yuan 2009).
double allreduce_s(double bytes, double g, double link) {
  if (g <= 1) return 0.0;
  return 2.0 * (g - 1) / g * bytes / link + kCollectiveLatencyS;
}

double combine(TimingModel tm, double compute, double memory) {
  return tm == TimingModel::additive ? compute + memory : std::max(compute, memory);
}

// Average over x∈[lo,hi] of max(a1 + b1·x, a2 + b2·x) (exact: split at the crossing point).
double avg_max_linear(double a1, double b1, double a2, double b2, double lo, double hi) {
  auto mx = [&](double x) { return std::max(a1 + b1 * x, a2 + b2 * x); };
  if (hi <= lo) return mx(lo);
  if (b1 != b2) {
    const double x = (a2 - a1) / (b1 - b2);
    if (x > lo && x < hi)
      return ((x - lo) * mx(0.5 * (lo + x)) + (hi - x) * mx(0.5 * (x + hi))) / (hi - lo);
  }
  return mx(0.5 * (lo + hi));
}

std::string fmt(const char* f, ...) {
  char buf[768];
  va_list ap;
  va_start(ap, f);
  std::vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  return buf;
}

struct Ctx {
  const Scenario& s;
  Estimate& e;
  const ModelSpec& m;
  const ParamCounts& P;
  const Calibration* cal;
  bool calibrated;
  double t, L, Lg;      // tp, layers, layers on the heaviest pipeline stage
  double peak;          // matmul peak FLOP/s
  double bw;            // datasheet bandwidth
  double link;          // interconnect bytes/s
  // Device-memory bytes/s the time model uses: datasheet for additive/roofline; measured (or
  // datasheet × default efficiency) for calibrated.
  double mem_bw() const { return calibrated ? memory_rate(cal, bw) : bw; }
  double gemm_s(const Gemm& g) const {
    const double rate = calibrated ? gemm_rate(cal, e.d.compute_dtype, g.m, g.n, g.k, peak) : peak;
    return g.flops() / rate;
  }
  // Attention core (QKᵀ, softmax, AV): batched GEMM-like work, at the rate of a
  // (rows × context × head_dim) GEMM.
  double attn_s(double flops, double rows, double ctx) const {
    const double rate = calibrated ? gemm_rate(cal, e.d.compute_dtype, rows, ctx, m.dim_head(), peak) : peak;
    return flops / rate;
  }
  double launches_s(double kernels, bool graph) const { return calibrated ? kernels * launch_s(cal, graph) : 0.0; }
  // Non-GEMM kernels of one block stream their tensors through device memory between the GEMMs,
  // one after another (not overlapped): per token, 2 norms (read h, write h), 2 residual adds
  // (read 2h, write h), rotary on Q and K (read + write (a+k)·d/t) and the MLP activation (read
  // 2f, write f per routed expert for a gated MLP; read f, write f otherwise), × element bytes.
  // Counted by the calibrated model only; the seed's additive and the roofline models omit them.
  double elementwise_s(double tokens, double layers, double elem_bytes, double passes) const {
    if (!calibrated) return 0.0;
    const double ea = m.experts > 1 ? m.experts_active : 1.0;
    const double per_token = 10.0 * m.hidden + 2.0 * (m.heads + m.kv_heads) * m.dim_head() / t +
                             (m.gated ? 3.0 : 2.0) * m.ffn * ea / t;
    return tokens * layers * per_token * elem_bytes * passes / memory_rate(cal, bw);
  }
};

// ============================================================================================
// [SECTION] inference
// ============================================================================================

void infer(Ctx& c) {
  const Scenario& s = c.s;
  Estimate& e = c.e;
  Detail& d = e.d;
  const ModelSpec& m = c.m;
  const ParamCounts& P = c.P;
  const double h = m.hidden, hd = m.dim_head(), a = m.heads, V = m.vocab, t = c.t;
  const double b = s.batch, sp = s.prompt, gen = s.gen;
  const double act_b = s.dtype == DType::fp32 ? 4.0 : 2.0;  // activations/non-linear params

  // ---- memory (per GPU) -------------------------------------------------------------------
  // weights: quantised linear layers of the blocks + 16-bit rest (embeddings, head, norms,
  // biases); the heaviest pipeline stage, divided by TP.
  const double wq = weight_bytes(s.dtype, h);
  const double linear_gpu = c.Lg * P.per_layer_linear / t;
  const double other_gpu = d.params_per_gpu - linear_gpu;
  d.weight_bytes_per_param = wq;
  e.memory.weights = linear_gpu * wq + other_gpu * act_b;
  // KV cache (DESIGN.md; Pope et al. 2022 "Efficiently Scaling Transformer Inference" §2):
  // 2 (K and V) · layers · kv_heads · head_dim · tokens · batch · bytes; KV heads split by TP
  // (replicated when kv_heads < tp).
  const DType kvt = s.kv_dtype();
  d.kv_heads_per_gpu = (m.kv_heads + int(t) - 1) / int(t);
  d.kv_bytes_per_token = 2.0 * c.Lg * d.kv_heads_per_gpu * hd * kv_elem_bytes(kvt, hd);
  d.kv_tokens = sp + gen;
  e.memory.kv_cache = d.kv_bytes_per_token * d.kv_tokens * b;
  // Activation workspace: the peak transient tensors of one block while prefilling all
  // prompts at once (no chunking): residual + normed input (2h) and the MLP's intermediate
  // tensors (gate, up, product: 3f for a gated MLP, 2f otherwise, per routed expert); scores
  // and softmax (2·a·s² per sequence) without fused attention; fp32 logits of the last position.
  const double tokens = b * sp;
  const double ea = m.experts > 1 ? m.experts_active : 1.0;
  const double mlp_ws = tokens * (2 * h + (m.gated ? 3.0 : 2.0) * m.ffn * ea / t) * act_b;
  const double attn_ws = s.flash ? 0.0 : b * (a / t) * sp * sp * 2.0 * act_b;
  const double logits_ws = b * V / t * 4.0;
  e.memory.activations = mlp_ws + attn_ws + logits_ws;
  d.act_logits = logits_ws;
  e.memory.overhead = kRuntimeOverheadBytes;

  // ---- time ---------------------------------------------------------------------------------
  // Latency runs through all pipeline stages one after the other, so time uses every layer
  // (L, not Lg) divided by TP; PP adds its hand-offs.
  const double L = c.L;
  const double kv_tok_all = 2.0 * L * d.kv_heads_per_gpu * hd * kv_elem_bytes(kvt, hd);
  const double head_params = (m.tied ? P.embedding - double(m.learned_positions) * h : P.lm_head);
  const double other_layer = P.per_layer_active - P.per_layer_linear_active;  // norms, biases
  // Bytes of weights read to process `tok` tokens: the attention weights, the experts touched,
  // norms, the output head, and the embedding rows gathered.
  auto weight_read = [&](double tok) {
    const double mlp = experts_touched(m, tok) * P.mlp_linear;
    const double linear = L * (P.attn_linear + mlp + P.router) / t * wq;
    return linear + (L * other_layer + head_params) / t * act_b + tok * h * act_b;
  };
  auto phase_comm = [&](double tok) {
    double comm = L * 2.0 * allreduce_s(tok * h * act_b, t, c.link);  // Megatron: 2 per block
    if (s.pp > 1) comm += (s.pp - 1) * (tok * h * act_b / c.link + kCollectiveLatencyS);
    return comm;
  };
  // Kernels per block: 4–5 GEMMs, 2 norms, rotary, attention, activation, 2 residual adds.
  const double kernels = L * 12 + 4;

  // Prefill: 2·N·tokens for the matmuls (Kaplan et al. 2020, Table 1) — the head only for the
  // last position — plus the attention core 4·s²·a·d per sequence and layer, halved when a
  // fused causal kernel skips the masked half.
  Gemm g[5]{};
  const int ng = block_gemms(m, tokens, t, g);
  Phase& pf = e.prefill;
  double gemm_s = 0;
  for (int i = 0; i < ng; ++i) {
    pf.flops += L * g[i].flops();
    gemm_s += L * c.gemm_s(g[i]);
  }
  const Gemm head{b, V / t, h, 1};
  pf.flops += head.flops();
  gemm_s += c.gemm_s(head);
  const double causal = s.flash ? 0.5 : 1.0;
  const double attn_pf = L * 4.0 * b * sp * sp * (a / t) * hd * causal;
  pf.flops += attn_pf;
  pf.compute_s = gemm_s + c.attn_s(attn_pf, sp, sp);
  pf.bytes = weight_read(tokens) + tokens * kv_tok_all +
             (s.flash ? 0.0 : L * b * (a / t) * sp * sp * act_b * 2.0 * 2.0);
  d.bandwidth = c.mem_bw();
  pf.memory_s = pf.bytes / d.bandwidth;
  pf.comm_s = phase_comm(tokens);
  pf.overhead_s = c.launches_s(kernels, false);
  pf.elementwise_s = c.elementwise_s(tokens, L, act_b, 1.0);
  pf.time_s = combine(s.timing, pf.compute_s, pf.memory_s) + pf.comm_s + pf.overhead_s + pf.elementwise_s;
  pf.bound_compute = pf.flops / c.peak >= pf.bytes / c.bw;

  // Decode: one token per sequence per step; linear in the context length c:
  // FLOP = 2·N·b + 4·c·a·d·L·b, bytes = weights touched + K,V of c tokens read + 1 token written.
  const int nd = block_gemms(m, b, t, g);
  double f0 = 0, s0 = 0;
  for (int i = 0; i < nd; ++i) {
    f0 += L * g[i].flops();
    s0 += L * c.gemm_s(g[i]);
  }
  f0 += head.flops();
  s0 += c.gemm_s(head);
  const double f1 = L * 4.0 * b * (a / t) * hd;             // attention FLOP per context token
  const double b0 = weight_read(b) + b * kv_tok_all, b1 = b * kv_tok_all;
  d.ctx_lo = gen > 1 ? sp + 0.5 : sp + 1;
  d.ctx_hi = gen > 1 ? sp + gen - 0.5 : sp + 1;
  const double mid = 0.5 * (d.ctx_lo + d.ctx_hi);
  const double bwd = d.bandwidth;
  const double a_eff = c.calibrated ? c.attn_s(1.0, b, mid) : 1.0 / c.peak;  // s per attention FLOP
  Phase& dc = e.decode;
  dc.flops = f0 + f1 * mid;
  dc.bytes = b0 + b1 * mid;
  dc.compute_s = s0 + f1 * mid * a_eff;
  dc.memory_s = dc.bytes / bwd;
  dc.comm_s = phase_comm(b);
  dc.overhead_s = c.launches_s(kernels, true);  // serving engines replay decode as a CUDA graph
  dc.elementwise_s = c.elementwise_s(b, L, act_b, 1.0);
  const double fixed = dc.comm_s + dc.overhead_s + dc.elementwise_s;
  double avg;
  if (s.timing == TimingModel::additive)
    avg = dc.compute_s + dc.memory_s;  // linear in c: the average is the value at the mean
  else
    avg = avg_max_linear(s0, f1 * a_eff, b0 / bwd, b1 / bwd, d.ctx_lo, d.ctx_hi);
  dc.time_s = avg + fixed;
  dc.bound_compute = dc.flops / c.peak >= dc.bytes / c.bw;

  e.ttft_s = pf.time_s;
  e.tpot_s = dc.time_s;
  e.e2e_s = e.ttft_s + (gen - 1) * e.tpot_s;
  const double dp = e.dp;
  e.tokens_per_s = dp * b * gen / e.e2e_s;
  e.decode_tokens_per_s = dp * b / e.tpot_s;
  e.prefill_tokens_per_s = dp * tokens / e.ttft_s;

  if (m.context > 0 && sp + gen > m.context)
    e.warnings.push_back(fmt("prompt+gen = %.0f tokens is longer than %s's context of %d tokens",
                             sp + gen, std::string(e.r.model_name).c_str(), m.context));
}

// ============================================================================================
// [SECTION] training
// ============================================================================================

void train(Ctx& c) {
  const Scenario& s = c.s;
  Estimate& e = c.e;
  Detail& d = e.d;
  const ModelSpec& m = c.m;
  const ParamCounts& P = c.P;
  const double h = m.hidden, hd = m.dim_head(), a = m.heads, V = m.vocab, t = c.t;
  const double b = s.batch, sq = s.seq, dp = e.dp, r = s.rank;
  const bool lora = s.method != Method::full;
  const double w16 = s.precision == Precision::fp32 ? 4.0 : 2.0;  // weights, grads, activations

  // ---- parameters and adapters ---------------------------------------------------------------
  // LoRA (Hu et al. 2021) adapters on every linear layer of every block — Q, K, V, O and the
  // MLP's gate, up, down (every expert's) — as QLoRA (Dettmers et al. 2023) recommends: an
  // adapter on a K→N matrix has r·(K + N) parameters.
  const double n_mats = 4.0 + m.experts * (m.gated ? 3.0 : 2.0);
  d.adapter_params = lora ? c.L * r * block_linear_rows_plus_cols(m) : 0.0;
  const double adapters_gpu = lora ? c.Lg * r * block_linear_rows_plus_cols(m) / t : 0.0;
  d.trainable_per_gpu = lora ? adapters_gpu : d.params_per_gpu;
  const double linear_gpu = c.Lg * P.per_layer_linear / t;
  const double other_gpu = d.params_per_gpu - linear_gpu;

  // ---- weights -------------------------------------------------------------------------------
  // full / LoRA: 16-bit (fp32 with precision=fp32) copy of every parameter; QLoRA: NF4 linear
  // layers + 16-bit embeddings, head and norms; adapters in the training precision.
  double weights;
  if (s.method == Method::qlora) {
    d.weight_bytes_per_param = kNf4Bytes;
    weights = linear_gpu * kNf4Bytes + other_gpu * 2.0 + adapters_gpu * w16;
  } else {
    d.weight_bytes_per_param = w16;
    weights = d.params_per_gpu * w16 + adapters_gpu * w16;
  }
  // ZeRO-3 / FSDP shards the parameters over dp, and gathers each layer in full while it runs
  // (the current layer and the prefetched next one) (Rajbhandari et al. 2020, "ZeRO", §5).
  if (s.zero >= 3 && dp > 1)
    weights = weights / dp + 2.0 * P.per_layer / t * (s.method == Method::qlora ? kNf4Bytes : w16);
  e.memory.weights = weights;

  // ---- gradients and optimizer states ----------------------------------------------------------
  // Mixed precision (Micikevicius et al. 2018; ZeRO §3.1): 2 (16-bit weights) + 2 (16-bit grads)
  // + 12 (fp32 master, Adam m and v) = 16 bytes per trainable parameter.
  d.grad_bytes_per_param = w16;
  const double master = s.precision == Precision::mixed ? 4.0 : 0.0;
  const double sb = s.precision == Precision::bf16 ? 2.0 : 4.0;  // optimizer state element
  double states = 0;
  switch (s.optimizer) {
    case Optimizer::adamw: states = 2 * sb; break;                  // m, v
    case Optimizer::adamw8bit: states = 2 * kAdam8bitStateBytes; break;
    case Optimizer::sgd: states = 0; break;
    case Optimizer::sgdm: states = sb; break;                       // momentum
    case Optimizer::adafactor: {
      // Shazeer & Stern 2018: the second moment of an R×C matrix is kept as R + C values; vectors
      // in full; no first moment (β1 = 0, the paper's default).
      double factored;
      if (lora) {
        factored = c.Lg * (block_linear_rows_plus_cols(m) + 2.0 * r * n_mats) / t;
      } else {
        const double vectors = P.per_layer - P.per_layer_linear;
        factored = (c.Lg * (block_linear_rows_plus_cols(m) + vectors) +
                    (V + h) * (m.tied ? 1.0 : 2.0) + h) / t;
      }
      states = d.trainable_per_gpu > 0 ? factored * sb / d.trainable_per_gpu : 0.0;
      break;
    }
  }
  d.optimizer_bytes_per_param = master + states;
  e.memory.gradients = d.trainable_per_gpu * w16 / (s.zero >= 2 ? dp : 1.0);
  e.memory.optimizer = d.trainable_per_gpu * (master + states) / (s.zero >= 1 ? dp : 1.0);

  // ---- activations: Korthikanti et al. 2022, "Reducing Activation Recomputation in Large
  // Transformer Models", §4, Table 2 (16-bit, bytes per layer):
  //   no parallelism            s·b·h·(34 + 5·a·s/h)
  //   tensor parallel t         s·b·h·(10 + 24/t + 5·a·s/(h·t))
  //   tensor + sequence par.    s·b·h·(34 + 5·a·s/h) / t
  //   selective recomputation   drops the 5·a·s/h term (attention core recomputed)
  //   full recomputation        2·s·b·h (÷t with SP): only each layer's input is kept
  // Fused (flash) attention keeps no s² tensors: the 5·a·s²·b term becomes the fp32
  // log-sum-exp, 4·a·s·b (Dao et al. 2022, "FlashAttention", §3.1).
  const double sbh = sq * b * h;
  const double attn_full = 5.0 * a * sq * sq * b;
  const double attn_flash = 4.0 * a * sq * b;
  const double attn = s.flash ? attn_flash : attn_full;
  const bool use_sp = s.sp && t > 1;
  auto layer_none = [&](double attn_term) {
    if (t <= 1) return sbh * 34.0 + attn_term;
    if (use_sp) return (sbh * 34.0 + attn_term) / t;
    return sbh * (10.0 + 24.0 / t) + attn_term / t;
  };
  const double scale = w16 / 2.0;  // the paper's constants are for 16-bit activations
  const double lora_act = lora ? sq * b * r * w16 * n_mats / t : 0.0;  // adapters' A·x outputs
  double per_layer = 0, working = 0;
  switch (s.recompute) {
    case Recompute::none: per_layer = layer_none(attn); break;
    case Recompute::selective: per_layer = layer_none(s.flash ? attn_flash : 0.0); break;
    case Recompute::full:
      per_layer = 2.0 * sbh / (use_sp ? t : 1.0);
      working = layer_none(attn) * scale + lora_act;  // one layer rematerialised at a time
      break;
  }
  per_layer = per_layer * scale + (s.recompute == Recompute::full ? 0.0 : lora_act);
  d.act_per_layer = per_layer;
  d.inflight = s.pp > 1 ? std::min(s.pp, s.accum) : 1;  // 1F1B: up to pp micro-batches in flight
  // Output layer (paper §4.3): final-norm and head inputs 2·s·b·h each at 16 bits, plus the
  // fp32 logits of the cross-entropy, 4·s·b·V (vocab-parallel under TP).
  d.act_logits = 2.0 * sbh * w16 + 4.0 * sq * b * V / t;
  e.memory.activations = per_layer * c.Lg * d.inflight + working + d.act_logits;
  e.memory.overhead = kRuntimeOverheadBytes;

  // ---- step time --------------------------------------------------------------------------------
  // FLOP: forward 2·N per token, backward 4·N (weights and inputs), +2·N when full recomputation
  // reruns the forward (Narayanan et al. 2021, "Efficient Large-Scale Language Model Training on
  // GPU Clusters Using Megatron-LM", §5.1: 6N, 8N). LoRA/QLoRA skip the frozen weights' gradients:
  // 4·N (+2·N), plus 6 FLOP per adapter parameter.
  const double tokens = b * sq;  // per micro-batch per replica
  const double passes = (lora ? 2.0 : 3.0) + (s.recompute == Recompute::full ? 1.0 : 0.0);
  Gemm g[5]{};
  const int ng = block_gemms(m, tokens, t, g);
  Phase& st = e.step;
  double gemm_s = 0, flops = 0;
  for (int i = 0; i < ng; ++i) {
    flops += c.Lg * g[i].flops() * passes;
    gemm_s += c.Lg * c.gemm_s(g[i]) * passes;
  }
  const Gemm head{tokens, V / t, h, 1};
  flops += head.flops() * passes;
  gemm_s += c.gemm_s(head) * passes;
  flops += 6.0 * adapters_gpu * tokens;
  gemm_s += 6.0 * adapters_gpu * tokens / c.peak;
  // Attention core: 4·s²·a·d per sequence per layer forward (halved by a causal fused kernel),
  // ×3 for forward + backward, +1 forward when recomputed (selective or full).
  const double attn_fwd = c.Lg * 4.0 * b * sq * sq * (a / t) * hd * (s.flash ? 0.5 : 1.0);
  const double attn_passes = 3.0 + (s.recompute != Recompute::none ? 1.0 : 0.0);
  flops += attn_fwd * attn_passes;
  double compute_s = gemm_s + c.attn_s(attn_fwd * attn_passes, sq, sq);
  st.flops = flops * s.accum;
  st.compute_s = compute_s * s.accum;
  // Memory traffic: per micro-batch the 16-bit weights are read in the forward and in the
  // backward (twice for full training: input and weight gradients); once per step the optimizer
  // reads and writes weights, gradients and states.
  const double weight_reads = (lora ? 2.0 : 3.0) * weights;
  st.bytes = s.accum * weight_reads +
             2.0 * (e.memory.weights + e.memory.gradients + e.memory.optimizer);
  d.bandwidth = c.mem_bw();
  st.memory_s = st.bytes / d.bandwidth;
  // TP: 2 all-reduces per block forward and 2 backward (+2 when recomputing) of s·b·h values
  // (Megatron-LM, Shoeybi et al. 2019, §3); SP replaces each by reduce-scatter + all-gather of
  // the same volume. PP: one activation send forward and one gradient send backward.
  const double ar = c.Lg * (4.0 + (s.recompute == Recompute::full ? 2.0 : 0.0)) *
                    allreduce_s(tokens * h * w16, t, c.link);
  const double pp_comm = s.pp > 1 ? 2.0 * (tokens * h * w16 / c.link + kCollectiveLatencyS) : 0.0;
  st.comm_s = s.accum * (ar + pp_comm);
  st.overhead_s = c.launches_s(s.accum * passes * (c.Lg * 12 + 4), false);
  // Pipeline bubble (Narayanan et al. 2021, §2.2): idle fraction (pp − 1)/m of the ideal time.
  d.bubble = s.pp > 1 ? double(s.pp - 1) / s.accum : 0.0;
  // backward ≈ twice the forward's elementwise traffic; a recomputed forward once more
  st.elementwise_s = s.accum * c.elementwise_s(tokens, c.Lg, w16, passes);
  const double busy = (combine(s.timing, st.compute_s, st.memory_s) + st.comm_s + st.overhead_s + st.elementwise_s) *
                      (1.0 + d.bubble);
  // DP: gradients all-reduced once per step (reduce-scatter + all-gather under ZeRO-1/2, same
  // volume); ZeRO-3 also all-gathers the parameters in the forward and the backward of every
  // micro-batch. Overlapped with the backward pass (PyTorch DDP buckets), so only its excess over
  // the compute shows.
  const double link_dp = e.gpus > kGpusPerNode ? std::min(c.link, kInterNodeBandwidth) : c.link;
  double dpc = allreduce_s(d.trainable_per_gpu * w16, dp, link_dp);
  if (s.zero >= 3 && dp > 1)
    dpc += s.accum * 2.0 * ((dp - 1) / dp * d.params_per_gpu * w16 / link_dp + kCollectiveLatencyS);
  d.dp_comm_s = dpc;
  st.time_s = std::max(busy, dpc);
  st.bound_compute = st.flops / c.peak >= st.bytes / c.bw;
  e.step_s = st.time_s;
  const double step_tokens = tokens * s.accum * dp;
  e.tokens_per_s = step_tokens / e.step_s;
  const double n_model = P.active - P.embedding + (m.tied ? P.embedding : 0.0);
  e.mfu = 6.0 * n_model * step_tokens / (e.step_s * c.peak * e.gpus);

  if (m.context > 0 && sq > m.context)
    e.warnings.push_back(fmt("seq = %.0f tokens is longer than %s's context of %d tokens", sq,
                             std::string(e.r.model_name).c_str(), m.context));
  if (s.method == Method::qlora && s.zero >= 3 && dp > 1)
    e.warnings.push_back("QLoRA with ZeRO-3/FSDP needs a quantised-storage-aware FSDP (e.g. FSDP-QLoRA)");
}

}  // namespace

// ============================================================================================
// [SECTION] compute / estimate
// ============================================================================================

Estimate compute(const Scenario& s, const Resolved& r) {
  Estimate e;
  e.mode = s.mode;
  e.r = r;
  e.tp = s.tp;
  e.pp = s.pp;
  e.gpus = s.gpus;
  e.dp = std::max(1, s.dp());
  e.capacity = r.gpu.memory_bytes;
  const ModelSpec& m = e.r.model;
  const ParamCounts& P = e.r.params;
  Detail& d = e.d;
  d.layers_per_gpu = (m.layers + s.pp - 1) / s.pp;
  // The heaviest pipeline stage holds ceil(L/pp) blocks plus the larger of the embedding (first
  // stage) and the head + final norm (last stage); everything is divided by TP (vocab-parallel
  // embedding and head, Megatron-LM).
  const double norm = m.layernorm ? 2.0 * m.hidden : m.hidden;
  const double edge = s.pp > 1 ? std::max(P.embedding, P.lm_head + norm) : P.embedding + P.lm_head + norm;
  d.params_per_gpu = (d.layers_per_gpu * P.per_layer + edge) / s.tp;

  DType cd = DType::bf16;
  if (s.mode == Mode::infer) {
    cd = s.dtype == DType::int4 ? DType::bf16 : s.dtype;  // int4 is weight-only (W4A16)
  } else {
    cd = s.precision == Precision::fp32 ? DType::fp32 : DType::bf16;
  }
  bool fell_back = false;
  const double peak = matmul_peak(r.gpu, cd, &fell_back);
  if (fell_back) {
    e.warnings.push_back(fmt("%s has no %s tensor cores: weights are dequantised and multiplied in bf16",
                             std::string(r.gpu_name).c_str(), std::string(dtype_name(cd)).c_str()));
    cd = DType::bf16;
  }
  d.compute_dtype = cd;
  d.peak_flops = peak;

  Ctx c{s, e, m, P, r.calibration.get(), s.timing == TimingModel::calibrated,
        double(s.tp), double(m.layers), double(d.layers_per_gpu), peak, r.gpu.bandwidth,
        r.gpu.interconnect};
  if (s.mode == Mode::infer) infer(c); else train(c);

  MemoryBytes& mb = e.memory;
  mb.total = mb.weights + mb.gradients + mb.optimizer + mb.activations + mb.kv_cache + mb.overhead;
  e.fits = mb.total <= e.capacity;

  if (m.kv_heads < s.tp && s.mode == Mode::infer)
    e.warnings.push_back(fmt("kv_heads = %d < tp = %d: each KV head is replicated on %d GPUs",
                             m.kv_heads, s.tp, s.tp / std::max(1, m.kv_heads)));
  if (m.heads % s.tp != 0)
    e.warnings.push_back(fmt("heads = %d is not divisible by tp = %d", m.heads, s.tp));
  if (s.tp > kGpusPerNode)
    e.warnings.push_back(fmt("tp = %d spans more than one %d-GPU node: tensor-parallel traffic would cross the network",
                             s.tp, kGpusPerNode));
  if (s.pp > m.layers)
    e.warnings.push_back(fmt("pp = %d is more than the model's %d layers", s.pp, m.layers));
  if (r.calibration && s.timing != TimingModel::calibrated)
    e.warnings.push_back("a GPU profile is loaded but timing=" + std::string(timing_name(s.timing)) +
                         ": its measured speeds are used only by timing=calibrated");
  if (r.calibration && !gpu_matches(r.calibration->device, r.gpu_id))
    e.warnings.push_back("the GPU profile was measured on " + r.calibration->device + ", not on a " +
                         std::string(r.gpu_name) + ": times use its measurements, memory the " + std::string(r.gpu_id) + " preset");
  if (s.mode == Mode::train && s.sp && s.tp == 1)
    e.warnings.push_back("sp=1 has no effect without tensor parallelism (tp = 1)");
  return e;
}

Result<Estimate> estimate(const Scenario& s) {
  Result<Resolved> r = resolve(s);
  if (!r) return r.error();
  return compute(s, r.value());
}

// ============================================================================================
// [SECTION] explain
// ============================================================================================

namespace {
std::string gb(double bytes) { return format_bytes(bytes, ByteUnit::GB); }
std::string tm(double s) { return format_seconds(s); }
std::string num(double v) { return format_count(v); }
const char* kKorthikanti = "Korthikanti et al. 2022, Reducing Activation Recomputation in Large Transformer Models, Table 2";
const char* kMegatron = "Narayanan et al. 2021 (Megatron-LM at scale), §5.1; Kaplan et al. 2020, Table 1";
}  // namespace

void explain(const Scenario& s, Estimate& e) {
  e.explain.clear();
  const Detail& d = e.d;
  const ModelSpec& m = e.r.model;
  auto add = [&](const char* id, std::string f, const char* src) { e.explain.push_back({id, std::move(f), src}); };
  const std::string par = fmt("tp=%d, pp=%d, dp=%d", e.tp, e.pp, e.dp);
  const char* bound_pf = e.prefill.compute_bound() ? "compute" : "memory";
  const char* bound_dc = e.decode.compute_bound() ? "compute" : "memory";
  auto phase = [&](const Phase& p) {
    return fmt("%s model: compute %s (%.3g TFLOP / %s%s), memory %s (%s / %s), comm %s, launches %s, elementwise kernels %s",
               std::string(timing_name(s.timing)).c_str(), tm(p.compute_s).c_str(), p.flops / 1e12,
               format_flops(d.peak_flops).c_str(),
               s.timing != TimingModel::calibrated ? ""
               : e.r.calibration ? (" → GEMM rates measured on " + e.r.calibration->device + ", " + e.r.calibration->date).c_str()
                                 : " × 0.75 default efficiency",
               tm(p.memory_s).c_str(),
               gb(p.bytes).c_str(), format_bandwidth(d.bandwidth).c_str(), tm(p.comm_s).c_str(), tm(p.overhead_s).c_str(),
               tm(p.elementwise_s).c_str());
  };
  const char* combine_txt = s.timing == TimingModel::additive ? "compute + memory + comm"
                            : s.timing == TimingModel::roofline ? "max(compute, memory) + comm"
                                                                : "max(compute, memory) + comm + launches + elementwise";

  if (e.mode == Mode::infer) {
    add("memory.weights",
        fmt("%s params/GPU (%s) × %s bytes (%s%s) = %s", num(d.params_per_gpu).c_str(), par.c_str(),
            format_number(std::round(d.weight_bytes_per_param * 1e4) / 1e4).c_str(),
            std::string(dtype_name(s.dtype)).c_str(),
            s.dtype == DType::int4 || s.dtype == DType::int8 ? " incl. scales; embeddings/head 16-bit" : "",
            gb(e.memory.weights).c_str()),
        "DESIGN.md bytes per element; GPTQ/AWQ group-128 scales for int4");
    add("memory.kv_cache",
        fmt("2 × %d layers × %d KV heads × %d head_dim × %s B (%s) × %.0f tokens × %d batch = %s",
            d.layers_per_gpu, d.kv_heads_per_gpu, m.dim_head(),
            format_number(dtype_bytes(s.kv_dtype())).c_str(), std::string(dtype_name(s.kv_dtype())).c_str(),
            d.kv_tokens, s.batch, gb(e.memory.kv_cache).c_str()),
        "Pope et al. 2022, Efficiently Scaling Transformer Inference, §2; seed: 2·h·L·b·s·2");
    add("memory.activations",
        fmt("prefill workspace of one block: %d×%d tokens × (2h + %s·ffn/tp) × bytes%s + fp32 logits %s = %s",
            s.batch, s.prompt, m.gated ? "3" : "2", s.flash ? "" : " + scores 2·a·s²·b·bytes",
            gb(d.act_logits).c_str(), gb(e.memory.activations).c_str()),
        "llmcalc model of the transient tensors (docs/formulas.md §Inference activations)");
    add("time.ttft",
        fmt("prefill: FLOP = 2·N·b·s + attention 4·s²·a·d·L·b%s; %s → %s = %s (%s-bound)",
            s.flash ? "/2" : "", phase(e.prefill).c_str(), combine_txt, tm(e.ttft_s).c_str(), bound_pf),
        kMegatron);
    add("time.tpot",
        fmt("decode step averaged over context %.0f…%.0f: FLOP = 2·N·b + 4·c·a·d·L·b, bytes = weights + KV(c); %s → %s = %s (%s-bound)",
            d.ctx_lo, d.ctx_hi, phase(e.decode).c_str(), combine_txt, tm(e.tpot_s).c_str(), bound_dc),
        "Pope et al. 2022 §2; seed TPOT = weights/bandwidth");
    add("time.e2e", fmt("TTFT %s + (%d − 1) × TPOT %s = %s", tm(e.ttft_s).c_str(), s.gen,
                        tm(e.tpot_s).c_str(), tm(e.e2e_s).c_str()), "definition");
    add("time.tokens_per_s", fmt("dp %d × batch %d × gen %d / e2e %s = %.1f tokens/s", e.dp, s.batch,
                                 s.gen, tm(e.e2e_s).c_str(), e.tokens_per_s), "definition");
  } else {
    const char* meth = method_name(s.method).data();
    add("memory.weights",
        fmt("%s params/GPU (%s) × %s B%s%s = %s", num(d.params_per_gpu).c_str(), par.c_str(),
            format_number(std::round(d.weight_bytes_per_param * 1e4) / 1e4).c_str(),
            s.method == Method::qlora ? " (NF4 linear layers, 16-bit rest)" : "",
            s.zero >= 3 && e.dp > 1 ? fmt(" ÷ dp %d (ZeRO-3) + 2 gathered layers", e.dp).c_str() : "",
            gb(e.memory.weights).c_str()),
        "ZeRO (Rajbhandari et al. 2020) §3.1; QLoRA (Dettmers et al. 2023) §2");
    add("memory.gradients",
        fmt("%s trainable params/GPU (%s) × %s B%s = %s", num(d.trainable_per_gpu).c_str(), meth,
            format_number(d.grad_bytes_per_param).c_str(), s.zero >= 2 ? fmt(" ÷ dp %d (ZeRO-2)", e.dp).c_str() : "",
            gb(e.memory.gradients).c_str()),
        "ZeRO §3.1");
    add("memory.optimizer",
        fmt("%s trainable params/GPU × %s B (%s, %s precision%s)%s = %s", num(d.trainable_per_gpu).c_str(),
            format_number(std::round(d.optimizer_bytes_per_param * 1e4) / 1e4).c_str(),
            std::string(optimizer_name(s.optimizer)).c_str(), std::string(precision_name(s.precision)).c_str(),
            s.precision == Precision::mixed ? ": 4 B fp32 master copy + states" : "",
            s.zero >= 1 ? fmt(" ÷ dp %d (ZeRO-1)", e.dp).c_str() : "", gb(e.memory.optimizer).c_str()),
        "ZeRO §3.1 (Adam: 12 B/param mixed); Dettmers et al. 2022 (8-bit); Shazeer & Stern 2018 (Adafactor)");
    add("memory.activations",
        fmt("per layer s·b·h·(34 + 5·a·s/h) variant [recompute=%s, flash=%d, tp=%d, sp=%d] = %s × %d layers × %d in flight + output layer %s = %s",
            std::string(recompute_name(s.recompute)).c_str(), s.flash ? 1 : 0, e.tp, s.sp ? 1 : 0,
            gb(d.act_per_layer).c_str(), d.layers_per_gpu, d.inflight, gb(d.act_logits).c_str(),
            gb(e.memory.activations).c_str()),
        kKorthikanti);
    add("time.step",
        fmt("FLOP = %s·N·tokens + attention (%d×%d×%d tokens/GPU); %s → %s, ×(1 + bubble %.2f), DP comm %s overlapped = %s (%s-bound)",
            s.method == Method::full ? (s.recompute == Recompute::full ? "8" : "6") : (s.recompute == Recompute::full ? "6" : "4"),
            s.batch, s.seq, s.accum, phase(e.step).c_str(), combine_txt, d.bubble, tm(d.dp_comm_s).c_str(),
            tm(e.step_s).c_str(), e.step.compute_bound() ? "compute" : "memory"),
        kMegatron);
    add("time.tokens_per_s", fmt("dp %d × batch %d × seq %d × accum %d / step %s = %.0f tokens/s (MFU %.1f%%)",
                                 e.dp, s.batch, s.seq, s.accum, tm(e.step_s).c_str(), e.tokens_per_s, e.mfu * 100),
        "definition; MFU as in Chowdhery et al. 2022 (PaLM), App. B");
  }
  add("memory.overhead", fmt("CUDA context, library workspaces and allocator reserve = %s", gb(e.memory.overhead).c_str()),
      "seed: ~1 GB for the CUDA context and kernels");
  add("memory.total",
      fmt("weights + gradients + optimizer + activations + KV cache + overhead = %s of %s (%s)",
          gb(e.memory.total).c_str(), gb(e.capacity).c_str(), e.fits ? "fits" : "does not fit"),
      "sum");
}

const Explanation* find_explanation(const Estimate& e, std::string_view id) {
  for (const auto& x : e.explain)
    if (x.id == id) return &x;
  return nullptr;
}

}  // namespace llmcalc
